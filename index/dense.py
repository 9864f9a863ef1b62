"""The dense store: Chroma, embedded (PersistentClient in the data dir) or a server (YIJU_CHROMA_URL)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlparse

from index.errors import IndexUnavailable

COLLECTION_PREFIX = "yiju_"


def server_url() -> str | None:
    return os.environ.get("YIJU_CHROMA_URL") or None


def client(path: Path | None = None, retries: int = 3):  # noqa: ANN201 - chromadb.ClientAPI
    """PersistentClient(path) by default; HttpClient when YIJU_CHROMA_URL is set (with retries)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    url = server_url()
    if url is None:
        if path is None:
            raise ValueError("an embedded Chroma store needs a path")
        return chromadb.PersistentClient(path=str(path), settings=settings)
    u = urlparse(url if "://" in url else f"http://{url}")
    delay = 0.5
    for attempt in range(retries):
        try:
            c = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https",
                                    settings=settings)
            c.heartbeat()
            return c
        except Exception as exc:  # connection refused, timeouts, HTTP errors
            if attempt == retries - 1:
                raise IndexUnavailable(url, type(exc).__name__) from exc
            time.sleep(delay)
            delay *= 2
    raise IndexUnavailable(url, "unreachable")


def collection_name(build_id: str) -> str:
    return f"{COLLECTION_PREFIX}{build_id}".replace(".", "_")[:60]

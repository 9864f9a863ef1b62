"""The dense store: Chroma, embedded (PersistentClient in the build dir) or a server (YIJU_CHROMA_URL)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from urllib.parse import urlparse

from index.errors import IndexUnavailable

COLLECTION_PREFIX = "yiju_"


def server_url() -> str | None:
    """The Chroma server to use, or None for the embedded store."""
    from corpus.config import chroma_url

    return chroma_url()


def _settings():  # noqa: ANN202 - chromadb.config.Settings
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def client(path: Path | None = None, retries: int = 4, url: str | None = None):  # noqa: ANN201 - ClientAPI
    """PersistentClient(path) by default; HttpClient when YIJU_CHROMA_URL (or `url`) is set.

    A server that does not answer is retried with backoff (0.5 s, 1 s, 2 s, …), then IndexUnavailable is raised.
    """
    import chromadb

    url = url or server_url()
    if url is None:
        if path is None:
            raise ValueError("an embedded Chroma store needs a path")
        return chromadb.PersistentClient(path=str(path), settings=_settings())
    u = urlparse(url if "://" in url else f"http://{url}")
    delay, last = 0.5, "unreachable"
    for attempt in range(max(1, retries)):
        try:
            c = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
                                    ssl=u.scheme == "https", settings=_settings())
            c.heartbeat()
            return c
        except Exception as exc:  # noqa: BLE001 - connection refused, timeouts, HTTP errors all mean "down"
            last = f"{type(exc).__name__}: {str(exc)[:120]}" if str(exc) else type(exc).__name__
            if attempt < retries - 1:
                time.sleep(delay)
                delay *= 2
    raise IndexUnavailable(url, last)


def close(c) -> None:  # noqa: ANN001
    """Release a client (an embedded store's files must be closed before its directory is moved)."""
    try:
        c.close()
    except Exception:  # noqa: BLE001 - older chromadb without close(), or already closed
        pass


def namespace(index_root: Path) -> str:
    """A short tag of the data dir, so several data dirs can share one Chroma server without touching
    each other's collections."""
    return hashlib.sha1(str(Path(index_root).resolve()).encode()).hexdigest()[:8]


def collection_name(build_id: str, ns: str = "") -> str:
    """`yiju_<ns>_<build id>`: a fresh collection per build (Chroma allows [a-zA-Z0-9._-], 3…512 chars)."""
    name = f"{COLLECTION_PREFIX}{ns + '_' if ns else ''}{build_id}"
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "_" for ch in name)[:120]


def collection_names(c) -> list[str]:  # noqa: ANN001
    return [x if isinstance(x, str) else x.name for x in c.list_collections()]


def where_doc_keys(allowed: set[str], all_keys: set[str]) -> dict | None:
    """A Chroma `where` that keeps the allowed documents: None for all, else the shorter of $in / $nin."""
    if allowed >= all_keys:
        return None
    excluded = all_keys - allowed
    if len(excluded) < len(allowed):
        return {"doc_key": {"$nin": sorted(excluded)}}
    return {"doc_key": {"$in": sorted(allowed)}}

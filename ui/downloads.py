"""One-time download links for quiz exports: a link works once, for EXPORT_TTL_S seconds, only from the client
address and while the login that made the export is valid. Files live in `$YIJU_HOME/exports/` (owner-only),
shared by the workers, and are deleted after the download or when they expire."""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from ui import store

EXPORT_TTL_S = 600


def export_dir() -> Path:
    from corpus.config import home

    path = home() / "exports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def sweep(now: float | None = None) -> int:
    """Delete export folders older than EXPORT_TTL_S; the number deleted."""
    now = time.time() if now is None else now
    gone = 0
    for folder in export_dir().iterdir():
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > EXPORT_TTL_S:
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
        except OSError:
            continue
    return gone


def new_folder() -> Path:
    sweep()
    folder = export_dir() / secrets.token_hex(16)
    folder.mkdir(mode=0o700)
    return folder


def register(token: str, client: str, path: Path, name: str) -> str:
    """A new link key for `path`, bound to the login `token` and `client`."""
    key = secrets.token_urlsafe(24)
    with store.transaction() as con:
        con.execute("INSERT INTO downloads (digest, token_digest, client, path, name, expires) VALUES (?,?,?,?,?,?)",
                    (store.digest(key), store.digest(token), client, str(path), name, time.time() + EXPORT_TTL_S))
    return key


def claim(key: str, client: str) -> tuple[Path, str] | None:
    """(file, download name) once for a valid key from the client it was made for, while its login is valid."""
    from ui import auth

    if not key or len(key) > 100:
        return None
    with store.transaction() as con:
        row = con.execute("SELECT token_digest, client, path, name, expires FROM downloads WHERE digest = ?",
                          (store.digest(key),)).fetchone()
        if row is None or row[1] != client:
            return None
        con.execute("DELETE FROM downloads WHERE digest = ?", (store.digest(key),))
    token_digest, _, path, name, expires = row
    path = Path(path)
    if expires < time.time() or auth.check_digest(token_digest, ("trainer",), client) is None or not path.is_file():
        shutil.rmtree(path.parent, ignore_errors=True)
        return None
    return path, name

"""Security state shared by every worker process that uses the same YIJU_HOME: login tokens, login attempts and
rate-limit events, and one-time download links, in `$YIJU_HOME/security.sqlite` (mode 0600, WAL).

Tokens are stored as SHA-256 digests, never in clear. Every counter update is one `BEGIN IMMEDIATE` transaction,
so workers cannot race each other past a limit."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
  digest TEXT PRIMARY KEY, user TEXT NOT NULL, role TEXT NOT NULL, client TEXT NOT NULL,
  pw_hash TEXT NOT NULL, expires REAL NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS tokens_user ON tokens(user);
CREATE TABLE IF NOT EXISTS events (
  bucket TEXT NOT NULL, key TEXT NOT NULL, ts REAL NOT NULL, expires REAL NOT NULL, tag TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS events_key ON events(bucket, key, ts);
CREATE INDEX IF NOT EXISTS events_expiry ON events(expires);
CREATE TABLE IF NOT EXISTS downloads (
  digest TEXT PRIMARY KEY, token_digest TEXT NOT NULL, client TEXT NOT NULL, path TEXT NOT NULL,
  name TEXT NOT NULL, expires REAL NOT NULL);
"""
_ready: set[str] = set()
_ready_lock = threading.Lock()


def db_path() -> Path:
    from corpus.config import home

    return home() / "security.sqlite"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def private_file(path: Path) -> None:
    """Create `path` readable by its owner only (or tighten an existing file to 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_private_db(path: Path, schema: str) -> sqlite3.Connection:
    """A connection to an owner-only SQLite file in WAL mode, its schema created on first use in this process."""
    key = f"{path}\0{hash(schema)}"
    if key not in _ready:
        with _ready_lock:
            private_file(path)
            con = sqlite3.connect(path, timeout=30, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(schema)
            con.close()
            _ready.add(key)
    return sqlite3.connect(path, timeout=30, isolation_level=None)


def _open(path: Path) -> sqlite3.Connection:
    con = open_private_db(path, SCHEMA)
    con.execute("PRAGMA synchronous=NORMAL")
    return con


@contextlib.contextmanager
def transaction() -> Iterator[sqlite3.Connection]:
    """A write transaction (BEGIN IMMEDIATE: one writer at a time over all workers)."""
    con = _open(db_path())
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


@contextlib.contextmanager
def reading() -> Iterator[sqlite3.Connection]:
    con = _open(db_path())
    try:
        yield con
    finally:
        con.close()


def _sweep(con: sqlite3.Connection, now: float) -> None:
    """Now and then, drop expired rows of every key (each call already trims its own key)."""
    if random.random() < 0.02:
        con.execute("DELETE FROM events WHERE expires < ?", (now,))
        con.execute("DELETE FROM tokens WHERE expires < ?", (now,))
        con.execute("DELETE FROM downloads WHERE expires < ?", (now,))


def count(con: sqlite3.Connection, bucket: str, key: str, window: float, now: float) -> tuple[int, float]:
    """(events of `key` within the window, time of the oldest); expired events of the key are dropped."""
    con.execute("DELETE FROM events WHERE bucket = ? AND key = ? AND ts <= ?", (bucket, key, now - window))
    n, oldest = con.execute("SELECT COUNT(*), MIN(ts) FROM events WHERE bucket = ? AND key = ?",
                            (bucket, key)).fetchone()
    return int(n), float(oldest if oldest is not None else now)


def add(con: sqlite3.Connection, bucket: str, key: str, now: float, window: float, tag: str = "") -> None:
    con.execute("INSERT INTO events (bucket, key, ts, expires, tag) VALUES (?,?,?,?,?)",
                (bucket, key, now, now + window, tag))
    _sweep(con, now)


def hit(bucket: str, key: str, limit: int, window: float, now: float) -> float:
    """Count one event unless `limit` events are already in the window: 0.0, else seconds to wait."""
    with transaction() as con:
        n, oldest = count(con, bucket, key, window, now)
        if n >= limit:
            return max(0.1, window - (now - oldest))
        add(con, bucket, key, now, window)
        return 0.0


def clear(bucket: str) -> None:
    with transaction() as con:
        con.execute("DELETE FROM events WHERE bucket = ?", (bucket,))

"""Per-user conversation history of the officer page, server-side in `$YIJU_HOME/conversations.sqlite` (mode
0600, WAL, shared by workers). Every read and write names the user: a conversation of another user is never
returned, listed or extended. Messages are plain text (the answer's markdown) plus a small JSON of metadata."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY, user TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_user ON conversations(user, updated);
CREATE TABLE IF NOT EXISTS messages (
  conv TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, meta TEXT NOT NULL,
  PRIMARY KEY (conv, seq));
CREATE TABLE IF NOT EXISTS ratings (
  user TEXT NOT NULL, answer TEXT NOT NULL, rating TEXT NOT NULL, ts REAL NOT NULL, PRIMARY KEY (user, answer));
"""
MAX_LIST = 50
MAX_MESSAGES = 200  # per conversation (the newest kept)


def db_path() -> Path:
    from corpus.config import home

    return home() / "conversations.sqlite"


@contextlib.contextmanager
def _db() -> Iterator[sqlite3.Connection]:
    from ui.store import open_private_db

    con = open_private_db(db_path(), SCHEMA)
    try:
        yield con
    finally:
        con.close()


def new_id() -> str:
    return uuid.uuid4().hex


def owner(conv: str) -> str | None:
    with _db() as con:
        row = con.execute("SELECT user FROM conversations WHERE id = ?", (conv,)).fetchone()
    return row[0] if row else None


def append(user: str, conv: str, question: str, answer: str, meta: dict) -> bool:
    """Add one question and its answer to the user's conversation (created on first use); False when the id
    belongs to another user (nothing written)."""
    now = time.time()
    with _db() as con:
        con.execute("BEGIN IMMEDIATE")
        row = con.execute("SELECT user FROM conversations WHERE id = ?", (conv,)).fetchone()
        if row and row[0] != user:
            con.execute("ROLLBACK")
            return False
        if row is None:
            con.execute("INSERT INTO conversations VALUES (?,?,?,?,?)", (conv, user, question[:40], now, now))
        else:
            con.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conv))
        seq = con.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE conv = ?", (conv,)).fetchone()[0]
        con.executemany("INSERT INTO messages VALUES (?,?,?,?,?)",
                        [(conv, seq, "user", question, "{}"),
                         (conv, seq + 1, "assistant", answer, json.dumps(meta, ensure_ascii=False))])
        con.execute("DELETE FROM messages WHERE conv = ? AND seq < ?", (conv, seq + 2 - MAX_MESSAGES))
        con.execute("COMMIT")
    return True


def conversations(user: str, limit: int = MAX_LIST) -> list[dict]:
    """The user's conversations, newest first: id, title, updated (local time, minutes)."""
    with _db() as con:
        rows = con.execute("SELECT id, title, updated FROM conversations WHERE user = ? ORDER BY updated DESC "
                           "LIMIT ?", (user, limit)).fetchall()
    return [{"id": i, "title": t, "updated": time.strftime("%m-%d %H:%M", time.localtime(u))} for i, t, u in rows]


def messages(user: str, conv: str) -> list[dict] | None:
    """The messages of the user's conversation ({"role", "content", "meta"}), or None when it is not theirs."""
    with _db() as con:
        row = con.execute("SELECT user FROM conversations WHERE id = ?", (conv,)).fetchone()
        if row is None or row[0] != user:
            return None
        rows = con.execute("SELECT role, content, meta FROM messages WHERE conv = ? ORDER BY seq", (conv,)).fetchall()
    return [{"role": r, "content": c, "meta": json.loads(m or "{}")} for r, c, m in rows]


def rate_once(user: str, answer: str, rating: str) -> bool:
    """Record that the user rated this answer; False when they already had (one rating per answer)."""
    with _db() as con:
        try:
            con.execute("INSERT INTO ratings VALUES (?,?,?,?)", (user, answer, rating, time.time()))
        except sqlite3.IntegrityError:
            return False
    return True

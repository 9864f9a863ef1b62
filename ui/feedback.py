"""👍/👎 feedback with an optional comment, stored with the question, answer and citations (SQLite in YIJU_HOME)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT, role TEXT, rating TEXT NOT NULL,
  comment TEXT, question TEXT, answer TEXT, citations TEXT)"""
RATINGS = ("up", "down")
_lock = threading.Lock()


def db_path() -> Path:
    from corpus.config import home

    return home() / "feedback.sqlite"


def _connect() -> sqlite3.Connection:
    con = sqlite3.connect(db_path(), timeout=10)
    con.execute(SCHEMA)
    cols = {r[1] for r in con.execute("PRAGMA table_info(feedback)")}
    if "role" not in cols:  # a file from before the role column
        con.execute("ALTER TABLE feedback ADD COLUMN role TEXT")
    return con


def store(rating: str, question: str, answer: str, citations: list[str], comment: str = "", user: str = "",
          role: str = "") -> None:
    if rating not in RATINGS:
        raise ValueError("rating must be up or down")
    with _lock:
        con = _connect()
        try:
            with con:
                con.execute(
                    "INSERT INTO feedback (ts, user, role, rating, comment, question, answer, citations) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    (time.strftime("%Y-%m-%dT%H:%M:%S%z"), user, role, rating, (comment or "")[:2000],
                     (question or "")[:5000], (answer or "")[:20000], json.dumps(list(citations), ensure_ascii=False)))
        finally:
            con.close()


def all_feedback() -> list[dict]:
    if not db_path().is_file():
        return []
    con = _connect()
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM feedback ORDER BY id")]
    finally:
        con.close()

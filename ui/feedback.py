"""👍/👎 feedback with an optional comment, stored with the question, answer and citations."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

_lock = threading.Lock()


def db_path() -> Path:
    from corpus.config import home

    return home() / "feedback.sqlite"


def store(rating: str, question: str, answer: str, citations: list[str], comment: str = "", user: str = "") -> None:
    if rating not in ("up", "down"):
        raise ValueError("rating must be up or down")
    with _lock, sqlite3.connect(db_path(), timeout=10) as con:
        con.execute("CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT, user TEXT, "
                    "rating TEXT, comment TEXT, question TEXT, answer TEXT, citations TEXT)")
        con.execute("INSERT INTO feedback (ts, user, rating, comment, question, answer, citations) VALUES (?,?,?,?,?,?,?)",
                    (time.strftime("%Y-%m-%dT%H:%M:%S"), user, rating, comment[:2000], question[:5000], answer[:20000],
                     json.dumps(citations, ensure_ascii=False)))


def all_feedback() -> list[dict]:
    if not db_path().is_file():
        return []
    with sqlite3.connect(db_path()) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM feedback ORDER BY id")]

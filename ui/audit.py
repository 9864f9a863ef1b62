"""Append-only audit log (SQLite) of officer and trainer questions, answers and citations. No secrets."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL,
  action TEXT NOT NULL, question TEXT, answer TEXT, citations TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
_lock = threading.Lock()


def db_path() -> Path:
    from corpus.config import home

    return home() / "audit.sqlite"


def _connect() -> sqlite3.Connection:
    con = sqlite3.connect(db_path(), timeout=10)
    con.executescript(SCHEMA)
    return con


def record(user: str, role: str, action: str, question: str = "", answer: str = "", citations: list[str] | None = None
           ) -> None:
    with _lock, _connect() as con:
        con.execute("INSERT INTO audit (ts, user, role, action, question, answer, citations) VALUES (?,?,?,?,?,?,?)",
                    (time.strftime("%Y-%m-%dT%H:%M:%S"), user, role, action, question[:5000], answer[:20000],
                     json.dumps(citations or [], ensure_ascii=False)))


def rows(limit: int = 100) -> list[dict]:
    with _connect() as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))]

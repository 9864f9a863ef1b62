"""Append-only audit log (SQLite in YIJU_HOME) of officer and trainer questions, answers and citations.

INSERT only: triggers abort any UPDATE or DELETE. Nothing secret is written (no passwords, no tokens)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts TEXT NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  question TEXT,
  answer TEXT,
  citations TEXT NOT NULL DEFAULT '[]'
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


def record(user: str, role: str, action: str, question: str = "", answer: str = "",
           citations: list[str] | None = None) -> None:
    """Append one row: `action` is ask | quiz | export | login | logout."""
    with _lock:
        con = _connect()
        try:
            with con:
                con.execute(
                    "INSERT INTO audit (ts, user, role, action, question, answer, citations) VALUES (?,?,?,?,?,?,?)",
                    (time.strftime("%Y-%m-%dT%H:%M:%S%z"), user, role, action, (question or "")[:5000],
                     (answer or "")[:20000], json.dumps(list(citations or []), ensure_ascii=False)))
        finally:
            con.close()


def rows(limit: int = 100) -> list[dict]:
    """The newest rows first."""
    if not db_path().is_file():
        return []
    con = _connect()
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))]
    finally:
        con.close()

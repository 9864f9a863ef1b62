"""Append-only, tamper-evident audit log (SQLite in YIJU_HOME, mode 0600): officer and trainer questions,
answers and citations, quizzes and exports, logins, failed logins and lockouts.

INSERT only: triggers abort any UPDATE or DELETE. Each row carries the SHA-256 of the previous row's hash and its
own fields (a hash chain), so an edited, removed or inserted row is found by `yiju audit verify` even when the
triggers were dropped. Nothing secret is written (no passwords, no tokens)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
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
  citations TEXT NOT NULL DEFAULT '[]',
  client TEXT NOT NULL DEFAULT '',
  prev TEXT,
  hash TEXT
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
NEW_COLUMNS = {"client": "TEXT NOT NULL DEFAULT ''", "prev": "TEXT", "hash": "TEXT"}  # added to older files
HASHED = ("id", "ts", "user", "role", "action", "question", "answer", "citations", "client")
_lock = threading.Lock()


def db_path() -> Path:
    from corpus.config import home

    return home() / "audit.sqlite"


def _connect() -> sqlite3.Connection:
    from ui.store import private_file

    path = db_path()
    private_file(path)  # owner-only, also for a file created before this rule
    con = sqlite3.connect(path, timeout=30)
    con.executescript(SCHEMA)
    cols = {r[1] for r in con.execute("PRAGMA table_info(audit)")}
    for name, decl in NEW_COLUMNS.items():
        if name not in cols:
            con.execute(f"ALTER TABLE audit ADD COLUMN {name} {decl}")
    return con


def row_hash(prev: str, row: dict) -> str:
    """SHA-256 over the previous hash and the row's fields (canonical JSON)."""
    payload = json.dumps([prev, *(row.get(k) for k in HASHED)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def record(user: str, role: str, action: str, question: str = "", answer: str = "",
           citations: list[str] | None = None, client: str = "") -> None:
    """Append one row: `action` is ask | api-ask | quiz | export | login | login-failed | lockout | logout."""
    row = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": (user or "")[:200], "role": role or "",
           "action": action, "question": (question or "")[:5000], "answer": (answer or "")[:20000],
           "citations": json.dumps(list(citations or []), ensure_ascii=False), "client": (client or "")[:100]}
    with _lock:
        con = _connect()
        try:
            con.execute("BEGIN IMMEDIATE")  # the previous row cannot change under us, in any worker
            last = con.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            row["id"] = (last[0] + 1) if last else 1
            prev = (last[1] or "") if last else ""
            con.execute("INSERT INTO audit (id, ts, user, role, action, question, answer, citations, client, prev, "
                        "hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (*(row[k] for k in HASHED), prev, row_hash(prev, row)))
            con.execute("COMMIT")
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


@dataclass
class Verification:
    rows: int = 0
    legacy: int = 0  # rows written before the hash chain (only allowed before the first chained row)
    head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Verification:
    """Walk the chain: every row's hash, its link to the previous row, and no missing ids."""
    v = Verification()
    if not db_path().is_file():
        return v
    con = _connect()
    try:
        con.row_factory = sqlite3.Row
        prev, last_id = "", None
        for r in con.execute("SELECT * FROM audit ORDER BY id"):
            row, v.rows = dict(r), v.rows + 1
            if last_id is not None and row["id"] != last_id + 1:
                v.problems.append(f"第 {last_id + 1}–{row['id'] - 1} 行缺失")
            last_id = row["id"]
            if row["hash"] is None:
                if prev:
                    v.problems.append(f"第 {row['id']} 行没有哈希（链中不应出现）")
                v.legacy += 1
                continue
            if (row["prev"] or "") != prev:
                v.problems.append(f"第 {row['id']} 行与上一行的哈希链断开")
            if row_hash(row["prev"] or "", row) != row["hash"]:
                v.problems.append(f"第 {row['id']} 行内容与其哈希不符（被修改）")
            prev = row["hash"]
        v.head = prev
    finally:
        con.close()
    return v

"""Conversation sessions: follow-ups resolve against the last question's slots. Isolated per session id.

Sessions live in `$YIJU_HOME/sessions.sqlite` (mode 0600, WAL), so `yiju ask --session s1` in one process is
continued by the next, and the JSON API's workers share them. `get_session(id)` reads the latest state;
`Session.remember` writes it back in one transaction. Sessions untouched for `session_ttl()` seconds expire."""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("yiju")

HISTORY_TURNS = 20
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, state TEXT NOT NULL, touched REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_touched ON sessions(touched);
"""
# one lock per stripe of session ids: turns of one session are remembered one at a time within a process
_LOCKS = [threading.Lock() for _ in range(64)]


def _lock_for(session_id: str) -> threading.Lock:
    return _LOCKS[zlib.crc32(session_id.encode("utf-8", "surrogatepass")) % len(_LOCKS)]


@dataclass
class Session:
    id: str
    slots: dict = field(default_factory=dict)
    intent: str = ""
    scenario: str = ""
    cited: list[str] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer markdown)
    touched: float = field(default_factory=time.time)
    lock: threading.Lock = field(default=None, repr=False)  # type: ignore[assignment]
    store: SessionStore | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.lock is None:
            self.lock = _lock_for(self.id)

    def remember(self, question: str, answer_md: str, intent: str, slots: dict, scenario: str, cited: list[str]
                 ) -> None:
        """Record one answered turn and persist the session."""
        self.history.append((question, answer_md))
        del self.history[:-HISTORY_TURNS]
        self.intent, self.slots, self.scenario, self.cited = intent, dict(slots), scenario, list(cited)
        self.touched = time.time()
        if self.store is not None:
            self.store.save(self)

    def state(self) -> dict:
        return {"slots": self.slots, "intent": self.intent, "scenario": self.scenario, "cited": self.cited,
                "history": [list(turn) for turn in self.history]}


def _from_state(session_id: str, raw: str, touched: float) -> Session:
    try:
        s = json.loads(raw)
        return Session(id=session_id, slots=dict(s.get("slots") or {}), intent=str(s.get("intent") or ""),
                       scenario=str(s.get("scenario") or ""), cited=[str(c) for c in s.get("cited") or []],
                       history=[(str(q), str(a)) for q, a in s.get("history") or []], touched=touched)
    except (ValueError, TypeError, AttributeError):  # a damaged row starts the conversation afresh
        log.warning("会话 %s 的记录无法读取，已重新开始", session_id[:40])
        return Session(id=session_id)


class SessionStore:
    """Sessions in SQLite under YIJU_HOME (shared by processes); falls back to memory when it cannot be used."""

    def __init__(self) -> None:
        self._ready: set[str] = set()
        self._lock = threading.Lock()
        self._local = threading.local()  # one open connection per thread and database (closing one costs ms)
        self._memory: dict[str, Session] = {}  # only when the database cannot be opened

    def _connect(self) -> sqlite3.Connection:
        from corpus.config import sessions_path

        path = str(sessions_path())
        cons = self._local.__dict__.setdefault("cons", {})
        if path in cons:
            return cons[path]
        if path not in self._ready:
            with self._lock:
                _create(Path(path))
                self._ready.add(path)
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
        con.execute("PRAGMA synchronous=NORMAL")
        while len(cons) >= 4:  # YIJU_HOME changed (tests): let go of the oldest
            cons.pop(next(iter(cons))).close()
        cons[path] = con
        return con

    def get(self, session_id: str | None = None) -> Session:
        """The session's latest state (a new, empty one for an unknown or expired id)."""
        from corpus.config import session_ttl

        sid = session_id or uuid.uuid4().hex
        try:
            row = self._connect().execute("SELECT state, touched FROM sessions WHERE id = ? AND touched >= ?",
                                          (sid, time.time() - session_ttl())).fetchone()
        except sqlite3.Error as exc:
            log.warning("会话库不可用（%s），会话只保存在本进程内存中", exc)
            return self._memory.setdefault(sid, Session(id=sid, store=self))
        sess = _from_state(sid, *row) if row else Session(id=sid)
        sess.store = self
        return sess

    def save(self, sess: Session) -> None:
        from corpus.config import session_ttl

        now = time.time()
        try:
            con = self._connect()
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute("INSERT INTO sessions (id, state, touched) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE "
                            "SET state = excluded.state, touched = excluded.touched",
                            (sess.id, json.dumps(sess.state(), ensure_ascii=False), now))
                if random.random() < 0.02:
                    con.execute("DELETE FROM sessions WHERE touched < ?", (now - session_ttl(),))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:  # the connection is kept: never leave a transaction open
                    con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            log.warning("会话库不可用（%s），会话只保存在本进程内存中", exc)
            self._memory[sess.id] = sess

    def drop(self, session_id: str) -> None:
        """Forget a session (a new chat, a logout)."""
        self._memory.pop(session_id, None)
        try:
            self._connect().execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        except sqlite3.Error as exc:
            log.warning("会话库不可用（%s）", exc)


def _create(path: Path) -> None:
    """The database file, owner-only (it holds questions and answers), in WAL mode with the schema."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(SCHEMA)
    finally:
        con.close()


STORE = SessionStore()


def get_session(session_id: str | None = None) -> Session:
    return STORE.get(session_id)

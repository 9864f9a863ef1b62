"""Conversation sessions: follow-ups resolve against the last question's slots. Isolated per session id."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

MAX_SESSIONS = 5000
TTL_SECONDS = 8 * 3600


@dataclass
class Session:
    id: str
    slots: dict = field(default_factory=dict)
    intent: str = ""
    scenario: str = ""
    cited: list[str] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer markdown)
    touched: float = field(default_factory=time.time)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remember(self, question: str, answer_md: str, intent: str, slots: dict, scenario: str, cited: list[str]
                 ) -> None:
        self.history.append((question, answer_md))
        del self.history[:-20]
        self.intent, self.slots, self.scenario, self.cited = intent, dict(slots), scenario, list(cited)
        self.touched = time.time()


class SessionStore:
    """Thread-safe in-memory store with expiry."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str | None = None) -> Session:
        with self._lock:
            now = time.time()
            if len(self._sessions) > MAX_SESSIONS:
                for sid in [k for k, s in self._sessions.items() if now - s.touched > TTL_SECONDS]:
                    del self._sessions[sid]
            sid = session_id or uuid.uuid4().hex
            if sid not in self._sessions:
                self._sessions[sid] = Session(id=sid)
            return self._sessions[sid]

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)


STORE = SessionStore()


def get_session(session_id: str | None = None) -> Session:
    return STORE.get(session_id)

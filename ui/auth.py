"""Users (bcrypt-hashed, in $YIJU_HOME/users.json), login throttling and server-side session tokens.

Tokens are random, live only in server memory (the app keeps them in gr.State, which Gradio never sends to the
browser) and are bound to the client address they were issued to. Passwords are never stored or logged."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import bcrypt

ROLES = ("officer", "trainer")
ROLE_LABEL = {"officer": "执法人员", "trainer": "培训"}
MAX_FAILURES = 5  # per user and client address within WINDOW_S
MAX_CLIENT_FAILURES = 20  # per client address over all user names within WINDOW_S (password spraying)
WINDOW_S = 300
TOKEN_TTL_S = 8 * 3600
MIN_PASSWORD = 8
_lock = threading.Lock()
# Compared against when the user does not exist, so that a wrong name costs as much time as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"yiju-no-such-user", bcrypt.gensalt()).decode()


def users_path() -> Path:
    from corpus.config import home

    return home() / "users.json"


def _load() -> dict:
    p = users_path()
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text("utf-8"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _save(users: dict) -> None:
    p = users_path()
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(users, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, p)


def valid_name(name: str) -> bool:
    return bool(name) and len(name) <= 64 and name.isprintable() and not any(ch.isspace() for ch in name)


def add_user(name: str, password: str, role: str) -> bool:
    """Create or reset a user; True when the user is new."""
    name = (name or "").strip()
    if not valid_name(name):
        raise ValueError("用户名不能为空、不能含空白字符，且不超过64个字符")
    if role not in ROLES:
        raise ValueError(f"角色必须是 {' / '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise ValueError(f"密码至少{MIN_PASSWORD}位")
    if len(password.encode()) > 72:
        raise ValueError("密码不能超过72字节（bcrypt 的上限）")
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()
    with _lock:
        users = _load()
        new = name not in users
        users[name] = {"role": role, "hash": hashed, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
        _save(users)
    revoke_user(name)  # a reset password ends the user's open sessions
    return new


def remove_user(name: str) -> bool:
    with _lock:
        users = _load()
        if name not in users:
            return False
        del users[name]
        _save(users)
    revoke_user(name)
    return True


def list_users() -> list[tuple[str, str]]:
    return sorted((n, u.get("role", "")) for n, u in _load().items())


@dataclass
class Login:
    ok: bool
    message: str
    token: str = ""
    user: str = ""
    role: str = ""


_failures: dict[str, list[float]] = {}
_tokens: dict[str, tuple[str, str, float, str, str]] = {}  # token → (user, role, expiry, client, password hash)


def _recent(key: str, now: float) -> list[float]:
    hits = [t for t in _failures.get(key, []) if now - t < WINDOW_S]
    if hits:
        _failures[key] = hits
    else:
        _failures.pop(key, None)
    return hits


def _wait(hits: list[float], now: float) -> int:
    return int(WINDOW_S - (now - hits[0])) + 1


def login(name: str, password: str, client: str = "") -> Login:
    """Check a password. 5 failures per user and client address within 5 minutes (or 20 per address over all
    names) lock further attempts until the oldest failure is 5 minutes old."""
    name = (name or "").strip()[:64]
    now = time.time()
    user_key, client_key = f"u|{name}|{client}", f"c|{client}"
    with _lock:
        by_user, by_client = _recent(user_key, now), _recent(client_key, now)
        if len(by_user) >= MAX_FAILURES or len(by_client) >= MAX_CLIENT_FAILURES:
            hits = by_user if len(by_user) >= MAX_FAILURES else by_client
            return Login(False, f"登录失败次数过多，请 {_wait(hits, now)} 秒后再试。")
    user = _load().get(name) if name else None
    stored = user.get("hash", "") if isinstance(user, dict) else ""
    try:
        ok = bcrypt.checkpw((password or "").encode()[:72], (stored or _DUMMY_HASH).encode()) and bool(stored)
    except ValueError:  # a corrupt hash in users.json
        ok = False
    if not ok or user.get("role") not in ROLES:
        with _lock:
            _failures.setdefault(user_key, []).append(now)
            _failures.setdefault(client_key, []).append(now)
        return Login(False, "用户名或密码错误。")
    token = secrets.token_urlsafe(32)
    with _lock:
        _failures.pop(user_key, None)
        for t in [t for t, e in _tokens.items() if e[2] < now]:
            del _tokens[t]
        _tokens[token] = (name, user["role"], now + TOKEN_TTL_S, client, stored)
    return Login(True, f"已登录：{name}（{ROLE_LABEL[user['role']]}）", token, name, user["role"])


def check(token: str | None, roles: tuple[str, ...], client: str | None = None) -> tuple[str, str] | None:
    """(user, role) for a valid, unexpired token whose role is allowed (an officer may also use trainer
    functions) and, when `client` is given, that was issued to that client address; else None.

    The users file is re-read, so `yiju users remove` or a password reset (from another process) ends open
    sessions at once."""
    if not token or not isinstance(token, str):
        return None
    with _lock:
        entry = _tokens.get(token)
        if entry is None or entry[2] < time.time():
            _tokens.pop(token, None)
            return None
    name, role, _, issued_to, hashed = entry
    if client is not None and client != issued_to:
        return None
    current = _load().get(name)
    if not isinstance(current, dict) or current.get("role") != role or current.get("hash") != hashed:
        logout(token)
        return None
    if role not in roles and not (role == "officer" and "trainer" in roles):
        return None
    return name, role


def logout(token: str | None) -> None:
    with _lock:
        _tokens.pop(token or "", None)


def revoke_user(name: str) -> None:
    """End every session of a user (after removal or a password reset in this process)."""
    with _lock:
        for t in [t for t, e in _tokens.items() if e[0] == name]:
            del _tokens[t]

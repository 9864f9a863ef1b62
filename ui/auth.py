"""Users (bcrypt-hashed, in $YIJU_HOME/users.json), login throttling and server-side session tokens."""

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
MAX_FAILURES = 5
WINDOW_S = 300
TOKEN_TTL_S = 8 * 3600
_lock = threading.Lock()


def users_path() -> Path:
    from corpus.config import home

    return home() / "users.json"


def _load() -> dict:
    p = users_path()
    if not p.is_file():
        return {}
    try:
        return json.loads(p.read_text("utf-8"))
    except ValueError:
        return {}


def _save(users: dict) -> None:
    p = users_path()
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(users, ensure_ascii=False, indent=1), "utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, p)


def add_user(name: str, password: str, role: str) -> None:
    name = name.strip()
    if not name or len(name) > 64:
        raise ValueError("用户名不能为空，且不超过64个字符")
    if role not in ROLES:
        raise ValueError(f"角色必须是 {' / '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("密码至少8位")
    with _lock:
        users = _load()
        users[name] = {"role": role, "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
                       "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
        _save(users)


def remove_user(name: str) -> bool:
    with _lock:
        users = _load()
        if name not in users:
            return False
        del users[name]
        _save(users)
        return True


def list_users() -> list[tuple[str, str]]:
    return sorted((n, u["role"]) for n, u in _load().items())


@dataclass
class Login:
    ok: bool
    message: str
    token: str = ""
    user: str = ""
    role: str = ""


_failures: dict[str, list[float]] = {}
_tokens: dict[str, tuple[str, str, float]] = {}


def login(name: str, password: str, client: str = "") -> Login:
    """Check a password; 5 failures per user/client within 5 minutes lock further attempts for a while."""
    key = f"{name}|{client}"
    now = time.time()
    with _lock:
        recent = [t for t in _failures.get(key, []) if now - t < WINDOW_S]
        _failures[key] = recent
        if len(recent) >= MAX_FAILURES:
            wait = int(WINDOW_S - (now - recent[0])) + 1
            return Login(False, f"登录失败次数过多，请 {wait} 秒后再试。")
    user = _load().get(name or "")
    ok = bool(user) and bcrypt.checkpw((password or "").encode(), user["hash"].encode())
    if not ok:
        with _lock:
            _failures.setdefault(key, []).append(now)
        return Login(False, "用户名或密码错误。")
    token = secrets.token_urlsafe(32)
    with _lock:
        _failures.pop(key, None)
        _tokens[token] = (name, user["role"], now + TOKEN_TTL_S)
    return Login(True, f"已登录：{name}（{'执法人员' if user['role'] == 'officer' else '培训'}）", token, name, user["role"])


def check(token: str | None, roles: tuple[str, ...]) -> tuple[str, str] | None:
    """(user, role) for a valid, unexpired token whose role is allowed; else None."""
    if not token:
        return None
    with _lock:
        entry = _tokens.get(token)
        if entry is None or entry[2] < time.time():
            _tokens.pop(token, None)
            return None
    name, role, _ = entry
    if role not in roles and not (role == "officer" and "trainer" in roles):
        return None
    return name, role


def logout(token: str | None) -> None:
    with _lock:
        _tokens.pop(token or "", None)

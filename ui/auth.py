"""Users (bcrypt-hashed, in $YIJU_HOME/users.json), login throttling and server-side session tokens.

Tokens are random and bound to the client address they were issued to; the page keeps them in gr.State (never
sent to the browser), API callers in their Authorization header. Tokens, failed attempts and lockouts live in
the store shared by all workers (ui.store: SQLite in YIJU_HOME, tokens as SHA-256 digests). An attempt is
counted before its password is checked, so parallel guesses cannot overrun the lockout, and at most
`max_password_checks()` bcrypt checks run at a time per worker. Passwords are never stored or logged."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from ui import store

ROLES = ("officer", "trainer")
ROLE_LABEL = {"officer": "执法人员", "trainer": "培训"}
MAX_FAILURES = 5  # per user and client address within WINDOW_S
MAX_CLIENT_FAILURES = 20  # per client address over all user names within WINDOW_S (password spraying)
WINDOW_S = 300
TOKEN_TTL_S = 8 * 3600
MIN_PASSWORD = 8
LOGIN_WAIT_S = 10.0  # longest wait for a free password-check slot before "busy"
_lock = threading.Lock()
log = logging.getLogger("yiju.auth")


def max_password_checks() -> int:
    from corpus.config import max_password_checks as setting

    return setting()


def _slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(max_password_checks())


_checks = _slots()
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
    status: str = "ok"  # ok | bad (wrong name or password) | locked | busy


def _keys(name: str, client: str) -> tuple[tuple[str, str], tuple[str, str]]:
    return ("login-user", f"{name}|{client}"), ("login-client", client)


def _reserve(name: str, client: str, now: float) -> tuple[str, int]:
    """Count this attempt as a failure before the password is checked: (tag, 0), or ("", seconds to wait) when
    the user (for this client) or the client is locked."""
    (ub, uk), (cb, ck) = _keys(name, client)
    with store.transaction() as con:
        n_user, old_user = store.count(con, ub, uk, WINDOW_S, now)
        n_client, old_client = store.count(con, cb, ck, WINDOW_S, now)
        if n_user >= MAX_FAILURES or n_client >= MAX_CLIENT_FAILURES:
            oldest = old_user if n_user >= MAX_FAILURES else old_client
            return "", int(WINDOW_S - (now - oldest)) + 1
        tag = f"p:{uuid.uuid4().hex}"
        store.add(con, ub, uk, now, WINDOW_S, tag)
        store.add(con, cb, ck, now, WINDOW_S, tag)
    return tag, 0


def _settle(tag: str, name: str, client: str, ok: bool) -> tuple[int, int]:
    """A success drops the reservation and the user's failures; a failure keeps it. (user, client) failures."""
    (ub, uk), (cb, ck) = _keys(name, client)
    with store.transaction() as con:
        if ok:
            con.execute("DELETE FROM events WHERE tag = ?", (tag,))
            con.execute("DELETE FROM events WHERE bucket = ? AND key = ? AND tag = 'f'", (ub, uk))
        else:
            con.execute("UPDATE events SET tag = 'f' WHERE tag = ?", (tag,))
        n = [con.execute("SELECT COUNT(*) FROM events WHERE bucket = ? AND key = ? AND tag = 'f'", k).fetchone()[0]
             for k in ((ub, uk), (cb, ck))]
    return n[0], n[1]


def _verify(name: str, password: str) -> tuple[dict | None, str]:
    """(user record, stored hash) when the password is right, else (None, "")."""
    user = _load().get(name) if name else None
    stored = user.get("hash", "") if isinstance(user, dict) else ""
    try:
        ok = bcrypt.checkpw((password or "").encode()[:72], (stored or _DUMMY_HASH).encode()) and bool(stored)
    except ValueError:  # a corrupt hash in users.json
        ok = False
    if not ok or user.get("role") not in ROLES:
        return None, ""
    return user, stored


def _audit(user: str, role: str, action: str, client: str, note: str = "") -> None:
    from ui import audit

    try:
        audit.record(user, role, action, note, client=client)
    except Exception:  # a full disk must not turn a login into a 500
        log.exception("audit write failed")


def login(name: str, password: str, client: str = "") -> Login:
    """Check a password. 5 failures per user and client address within 5 minutes (or 20 per address over all
    names) lock further attempts until the oldest failure is 5 minutes old. Audited: logins, failures and the
    failure that starts a lockout."""
    name = (name or "").strip()[:64]
    now = time.time()
    tag, wait = _reserve(name, client, now)
    if not tag:
        log.warning("login refused (locked): user=%r client=%s", name, client)
        return Login(False, f"登录失败次数过多，请 {wait} 秒后再试。", status="locked")
    if not _checks.acquire(timeout=LOGIN_WAIT_S):
        with store.transaction() as con:
            con.execute("DELETE FROM events WHERE tag = ?", (tag,))
        log.warning("login refused (busy): client=%s", client)
        return Login(False, "登录请求过多，请稍后再试。", status="busy")
    try:
        user, stored = _verify(name, password)
    finally:
        _checks.release()
    n_user, n_client = _settle(tag, name, client, user is not None)
    if user is None:
        log.warning("login failed: user=%r client=%s", name, client)
        _audit(name, "", "login-failed", client)
        if n_user == MAX_FAILURES or n_client == MAX_CLIENT_FAILURES:
            _audit(name, "", "lockout", client, "user" if n_user == MAX_FAILURES else "client")
        return Login(False, "用户名或密码错误。", status="bad")
    token = secrets.token_urlsafe(32)
    with store.transaction() as con:
        con.execute("DELETE FROM tokens WHERE expires < ?", (now,))
        con.execute("INSERT INTO tokens (digest, user, role, client, pw_hash, expires, created) VALUES (?,?,?,?,?,?,?)",
                    (store.digest(token), name, user["role"], client, stored, now + TOKEN_TTL_S, now))
    _audit(name, user["role"], "login", client)
    return Login(True, f"已登录：{name}（{ROLE_LABEL[user['role']]}）", token, name, user["role"])


def check(token: str | None, roles: tuple[str, ...], client: str | None = None) -> tuple[str, str] | None:
    """(user, role) for a valid, unexpired token whose role is allowed (an officer may also use trainer
    functions) and, when `client` is given, that was issued to that client address; else None.

    The users file is re-read, so `yiju users remove` or a password reset (from another process) ends open
    sessions at once."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    return check_digest(store.digest(token), roles, client)


def token_digest(token: str) -> str:
    """The form a token is stored and keyed by (rate limits, download links): its SHA-256."""
    return store.digest(token)


def check_digest(digest: str, roles: tuple[str, ...], client: str | None = None) -> tuple[str, str] | None:
    """`check` for a token known by its digest (download links keep the digest, never the token)."""
    with store.reading() as con:
        row = con.execute("SELECT user, role, expires, client, pw_hash FROM tokens WHERE digest = ?",
                          (digest,)).fetchone()
    if row is None:
        return None
    name, role, expires, issued_to, hashed = row
    current = _load().get(name)
    stale = not isinstance(current, dict) or current.get("role") != role or current.get("hash") != hashed
    if expires < time.time() or stale:
        with store.transaction() as con:
            con.execute("DELETE FROM tokens WHERE digest = ?", (digest,))
        return None
    if client is not None and client != issued_to:
        return None
    if role not in roles and not (role == "officer" and "trainer" in roles):
        return None
    return name, role


def logout(token: str | None) -> bool:
    """End one session; True when it existed."""
    if not token or not isinstance(token, str):
        return False
    with store.transaction() as con:
        return con.execute("DELETE FROM tokens WHERE digest = ?", (store.digest(token),)).rowcount > 0


def revoke_user(name: str) -> int:
    """End every session of a user, in every worker; the number ended."""
    with store.transaction() as con:
        return con.execute("DELETE FROM tokens WHERE user = ?", (name,)).rowcount


def sessions() -> list[tuple[str, str, str, float]]:
    """Open sessions: (user, role, client, expiry), soonest expiry first (no tokens)."""
    with store.reading() as con:
        return [tuple(r) for r in con.execute("SELECT user, role, client, expires FROM tokens WHERE expires >= ? "
                                              "ORDER BY expires", (time.time(),))]

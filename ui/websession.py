"""Keeping the page's login across reloads with an HttpOnly, SameSite=Strict cookie.

The login token never goes to the page's script. After a login the page gets a one-time ticket (random, bound to
the client address, valid TICKET_TTL_S seconds, in this worker's memory — the load balancer keeps a browser on one
worker anyway) and POSTs it to /session; that route sets the cookie holding the token, with Max-Age = the token's
remaining life. On the next page load the `restore` handler reads the cookie from the request and checks the
token like any other (address binding, expiry, revocation). DELETE /session clears the cookie and ends the token.
"""

from __future__ import annotations

import secrets
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

COOKIE = "yiju_session"
TICKET_TTL_S = 60
_tickets: dict[str, tuple[str, str, float]] = {}
_lock = threading.Lock()


def issue_ticket(token: str, client: str) -> str:
    """A one-time ticket that /session exchanges for the login cookie (only from `client`)."""
    now = time.time()
    ticket = secrets.token_urlsafe(24)
    with _lock:
        for k in [k for k, (_, _, exp) in _tickets.items() if exp < now]:
            del _tickets[k]
        _tickets[ticket] = (token, client, now + TICKET_TTL_S)
    return ticket


def redeem(ticket: str, client: str) -> str | None:
    """The token of a valid ticket from the same client (the ticket is spent either way)."""
    if not isinstance(ticket, str) or len(ticket) > 100:
        return None
    with _lock:
        got = _tickets.pop(ticket, None)
    if got is None or got[1] != client or got[2] < time.time():
        return None
    return got[0]


def remaining(token: str) -> int:
    """Seconds the token has left (0 when it is unknown or over)."""
    from ui import store

    with store.reading() as con:
        row = con.execute("SELECT expires FROM tokens WHERE digest = ?", (store.digest(token),)).fetchone()
    return max(0, int(row[0] - time.time())) if row else 0


def cookie_token(request) -> str:
    """The token in the request's login cookie ('' without one)."""
    cookies = getattr(request, "cookies", None) or {}
    try:
        value = cookies.get(COOKIE, "")
    except AttributeError:
        return ""
    return value if isinstance(value, str) and len(value) <= 200 else ""


def add_routes(app: FastAPI, client_of) -> None:
    """POST /session {"ticket"} sets the cookie; DELETE /session clears it and ends its token."""
    from ui import auth

    @app.post("/session")
    async def set_cookie(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        token = redeem(body.get("ticket", "") if isinstance(body, dict) else "", client_of(request))
        life = remaining(token) if token else 0
        if not token or not life or auth.check(token, auth.ROLES, client_of(request)) is None:
            return JSONResponse({"error": "登录凭据无效或已过期。"}, status_code=401)
        r = JSONResponse({"ok": True})
        r.set_cookie(COOKIE, token, max_age=life, httponly=True, samesite="strict", path="/",
                     secure=request.url.scheme == "https")
        return r

    @app.delete("/session")
    async def clear_cookie(request: Request) -> JSONResponse:
        token = request.cookies.get(COOKIE, "")
        if token:
            auth.logout(token)
        r = JSONResponse({"ok": True})
        r.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return r

"""The HTTP server: the Gradio page, one-time quiz downloads and (with `--api`) a JSON API: /api/health,
/api/login, /api/logout, /api/ask (officer token), /api/public/ask.

Officer answers need a bearer token from /api/login, bound to the client address that logged in; public questions
are always answered in public mode and rate-limited per client. Tokens, lockouts and rate-limit counters live in
the store shared by every worker (ui.store). Every request passes `Guard` first: bodies over
`max_body_bytes()` get 413 before they are read, uploads are refused (the app takes no files), and a Gradio call
that carries a file reference is refused; each rejected request is logged on one line. Bad input gets a 4xx with
a clear message, never a traceback. The client address is the TCP peer unless it is one of YIJU_TRUSTED_PROXIES."""

from __future__ import annotations

import functools
import json
import logging
import shutil
import uuid
from typing import TYPE_CHECKING

import anyio
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from ui import audit, auth
from ui.ratelimit import RateLimiter

if TYPE_CHECKING:
    from assistant.models import Answer

log = logging.getLogger("yiju.http")
MAX_QUESTION_BYTES = 200_000
MAX_LOGIN_WAITING = 50  # logins waiting for a password-check slot; more are turned away at once
_public_limit = RateLimiter(60, 60.0, name="api-public")
OFFICER_LIMIT = RateLimiter(60, 60.0, name="api-officer")  # per token: one officer session
LOGGED_STATUSES = {400, 401, 403, 405, 413, 422, 429, 503}


class LoginIn(BaseModel):
    user: str
    password: str


class AskIn(BaseModel):
    question: str
    session: str | None = None


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def bearer(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; "" for anything else (no bare tokens)."""
    scheme, sep, value = (header or "").partition(" ")
    if not sep or scheme.lower() != "bearer" or not value or any(ch.isspace() for ch in value):
        return ""
    return value


def _answer_json(a: Answer) -> dict:
    d = a.to_dict()
    return {k: d[k] for k in ("question", "markdown", "intent", "slots", "conclusion", "citations", "penalties",
                              "cases", "confidence", "declined", "notice", "warnings", "basis_paragraph", "mode",
                              "generator")}


def _officer(authorization: str, request: Request) -> tuple[str, tuple[str, str]]:
    token = bearer(authorization)
    who = auth.check(token, ("officer",), _client(request)) if token else None
    if who is None:
        raise HTTPException(401, "需要执法人员登录（POST /api/login 取得 token，放在 Authorization: Bearer 头中）。")
    return token, who


def _add_auth_routes(api: FastAPI) -> None:
    slots = anyio.CapacityLimiter(auth.max_password_checks())

    @api.post("/api/login")
    async def login(body: LoginIn, request: Request) -> dict:
        if slots.statistics().tasks_waiting >= MAX_LOGIN_WAITING:
            raise HTTPException(503, "登录请求过多，请稍后再试。")
        r = await anyio.to_thread.run_sync(auth.login, body.user, body.password, _client(request), limiter=slots)
        if not r.ok:
            raise HTTPException({"bad": 401, "locked": 429}.get(r.status, 503), r.message)
        return {"token": r.token, "user": r.user, "role": r.role, "expires_in": auth.TOKEN_TTL_S}

    @api.post("/api/logout")
    def logout(request: Request, authorization: str = Header(default="")) -> dict:
        token = bearer(authorization)
        who = auth.check(token, auth.ROLES, _client(request)) if token else None
        if who is None:
            raise HTTPException(401, "token 无效或已失效。")
        auth.logout(token)
        audit.record(who[0], who[1], "logout", client=_client(request))
        return {"ok": True}


def _add_ask_routes(api: FastAPI, limiter: RateLimiter) -> None:
    @api.post("/api/ask")
    def ask(body: AskIn, request: Request, authorization: str = Header(default="")) -> dict:
        token, who = _officer(authorization, request)
        if len(body.question.encode("utf-8", "ignore")) > MAX_QUESTION_BYTES:
            raise HTTPException(413, "问题过长。")
        if not OFFICER_LIMIT.allow(auth.token_digest(token)):
            raise HTTPException(429, "提问过于频繁，请稍后再试。")
        from assistant import ask as assistant_ask

        session = f"api:{who[0]}:{(body.session or uuid.uuid4().hex)[:100]}"
        a = assistant_ask(body.question, session=session, mode="officer")
        audit.record(who[0], who[1], "api-ask", a.question, a.markdown, [c.provision_id for c in a.citations],
                     client=_client(request))
        return _answer_json(a)

    @api.post("/api/public/ask")
    def public_ask(body: AskIn, request: Request) -> dict:
        if not limiter.allow(_client(request)):
            raise HTTPException(429, "提问过于频繁，请稍后再试。")
        if len(body.question.encode("utf-8", "ignore")) > MAX_QUESTION_BYTES:
            raise HTTPException(413, "问题过长。")
        from assistant import ask as assistant_ask

        return _answer_json(assistant_ask(body.question, mode="public"))


def create_api(public_limit: RateLimiter | None = None) -> FastAPI:
    api = FastAPI(title="Yiju API", docs_url=None, redoc_url=None, openapi_url=None)

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:  # never leak a traceback
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"error": "服务器内部错误，请稍后重试。"}, status_code=500)

    @api.get("/api/health")
    def health() -> dict:
        from index.build import index_status

        try:
            status = index_status()
        except Exception as exc:  # reported, not raised
            return {"ok": False, "index": str(exc)}
        return {"ok": bool(status.get("exists")), "index": status.get("build_id"), "chroma": status.get("chroma")}

    _add_auth_routes(api)
    _add_ask_routes(api, public_limit or _public_limit)
    return api


def _add_download_route(app: FastAPI) -> None:
    @app.get("/download/{key}")
    def download(key: str, request: Request):  # a file or a JSON refusal
        from ui import downloads

        got = downloads.claim(key, _client(request))
        if got is None:
            return JSONResponse({"error": "下载链接无效、已使用或已过期（仅限导出它的登录与本机使用一次）。"},
                                status_code=404)
        path, name = got
        return FileResponse(path, filename=name, headers={"Cache-Control": "no-store"},
                            background=BackgroundTask(shutil.rmtree, path.parent, True))


# -- the guard in front of everything ----------------------------------------------------------------------------

def _has_file_reference(value: object, depth: int = 0) -> bool:
    """True for any dict that Gradio would treat as a file ({"path": …} / FileData meta / a file message)."""
    if depth > 40:
        return True
    if isinstance(value, dict):
        meta = value.get("meta")
        if "path" in value or "file" in value or (isinstance(meta, dict) and "_type" in meta):
            return True
        return any(_has_file_reference(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_file_reference(v, depth + 1) for v in value)
    return False


def _fits(component, value: object) -> bool:  # a Gradio component
    """Whether `value` has the shape the page itself sends for `component` (else Gradio would print a traceback)."""
    import gradio as gr

    if component.stateful or value is None:
        return True  # State inputs are ignored by the server
    if isinstance(component, gr.Textbox):
        return isinstance(value, str) and len(value) <= 20_000
    if isinstance(component, gr.Number):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(component, gr.Dropdown | gr.Radio):
        values = value if isinstance(value, list) and getattr(component, "multiselect", False) else [value]
        choices = {c[1] if isinstance(c, tuple | list) else c for c in (component.choices or [])}
        custom = getattr(component, "allow_custom_value", False)
        return len(values) <= 100 and all(isinstance(v, str) and (custom or v in choices) for v in values)
    return isinstance(value, str | int | float | list) and not _has_file_reference(value)


def _event(demo, payload: dict, path: str):  # gr.Blocks → BlockFunction | None
    """The event a Gradio call targets: by fn_index (queue/join) or by the api_name in /call/[v2/]<name>."""
    if isinstance(payload.get("fn_index"), int):
        return demo.fns.get(payload["fn_index"])
    if "/call/" in path:
        name = path.rstrip("/").rsplit("/", 1)[-1]
        return next((f for f in demo.fns.values() if f.api_name == name), None)
    return None


def gradio_call_problem(demo, payload: object, path: str = "") -> str:  # gr.Blocks
    """Why a Gradio call (queue/join or /call/ body) does not fit its event's inputs; "" when it does or when it
    is no call (Gradio answers those itself)."""
    if not isinstance(payload, dict):
        return ""
    if _has_file_reference(payload.get("data")) or _has_file_reference(payload):
        return "请求中不能包含文件引用。"
    fn = _event(demo, payload, path)
    if fn is None:
        return ""
    inputs = fn.inputs
    data = payload.get("data")
    if "/call/v2/" in path:  # named parameters, one per input shown in the API
        inputs, data = [c for c in fn.inputs if not c.skip_api], list(payload.values())
        if len(data) > len(inputs):
            return "输入个数不符。"
        data = data + [None] * (len(inputs) - len(data))
    elif "/call/" in path and isinstance(data, list) and len(data) != len(inputs):
        inputs = [c for c in fn.inputs if not c.skip_api]
    if not isinstance(data, list) or len(data) != len(inputs):
        return "输入个数不符。"
    if not all(_fits(c, v) for c, v in zip(inputs, data, strict=True)):
        return "输入格式不符。"
    return ""


def _no_files(payload: object, path: str = "") -> str:
    return "请求中不能包含文件引用。" if isinstance(payload, dict) and _has_file_reference(payload.get("data")) else ""


class Guard:
    """ASGI middleware: body cap (413 before reading), no uploads, Gradio calls whose data does not fit their
    event (file references, wrong shapes) refused, and one log line per rejected request."""

    def __init__(self, app, max_body: int, check=_no_files) -> None:  # ASGI app, callable
        self.app, self.max_body, self.check = app, max_body, check

    async def __call__(self, scope, receive, send) -> None:  # ASGI
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        client = (scope.get("client") or ("unknown", 0))[0]
        if path.rstrip("/").endswith("/upload"):
            return await self._refuse(send, 403, "本服务不接受文件上传。", method, path, client)
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body:
            return await self._refuse(send, 413, "请求体过大。", method, path, client)
        body = b""
        if method in ("POST", "PUT", "PATCH"):
            body, too_big = await self._read(receive)
            if too_big:
                return await self._refuse(send, 413, "请求体过大。", method, path, client)
            problem = "" if path.startswith("/api/") else self._problem(body, path)
            if problem:
                return await self._refuse(send, 400, problem, method, path, client)
        await self.app(scope, self._replay(body, receive) if body else receive, self._watch(send, method, path, client))

    async def _read(self, receive) -> tuple[bytes, bool]:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks), False

    def _problem(self, body: bytes, path: str) -> str:
        try:
            payload = json.loads(body)
            return self.check(payload, path)
        except RecursionError:
            return "请求嵌套过深。"
        except ValueError:
            return ""  # not JSON: the route answers 4xx itself

    @staticmethod
    def _replay(body: bytes, receive):
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    def _watch(send, method: str, path: str, client: str):
        async def watched(message: dict) -> None:
            if message["type"] == "http.response.start" and message["status"] in LOGGED_STATUSES:
                log.warning("rejected %s %s from %s: %d", method, path[:200], client, message["status"])
            await send(message)

        return watched

    @staticmethod
    async def _refuse(send, status: int, message: str, method: str, path: str, client: str) -> None:
        log.warning("rejected %s %s from %s: %d %s", method, path[:200], client, status, message)
        body = json.dumps({"error": message, "detail": message}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# -- the app ------------------------------------------------------------------------------------------------------

def blocked_paths() -> list[str]:
    """Never served by Gradio's file route, whatever a handler returns: the data dir, the checkout, system dirs."""
    from corpus.config import REPO_ROOT, home

    return [str(home()), str(REPO_ROOT), "/etc", "/proc", "/sys", "/root", "/var"]


def create_app(with_api: bool = True) -> FastAPI:
    """The page at /, the download route, and the JSON API when `with_api`."""
    import gradio as gr

    from corpus.config import max_body_bytes
    from ui import websession
    from ui.app import build_app, mount_options

    app = create_api() if with_api else FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    _add_download_route(app)
    websession.add_routes(app, _client)
    demo = build_app()
    demo.max_threads = 16
    app = gr.mount_gradio_app(app, demo, path="/", **mount_options(), show_error=False, footer_links=["api"],
                              blocked_paths=blocked_paths(), max_file_size="1mb", mcp_server=False,
                              enable_monitoring=False, ssr_mode=False)
    # Gradio runs its own "was this file uploaded by a user / may this file be served" checks only for an app
    # that has been launched; a mounted app is never launched, so it is marked here.
    demo.has_launched = True
    app.state.yiju_blocks = demo
    app.add_middleware(Guard, max_body=max_body_bytes(), check=functools.partial(gradio_call_problem, demo))
    return app


def uvicorn_options() -> dict:
    """No forwarded header is believed unless YIJU_TRUSTED_PROXIES names the proxies that may send them."""
    from corpus.config import trusted_proxies

    proxies = trusted_proxies()
    return {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or [], "server_header": False,
            "log_level": "warning", "timeout_keep_alive": 30}


def run(host: str = "127.0.0.1", port: int = 7860, with_api: bool = True) -> None:
    import uvicorn

    from ui.app import warm_up

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    yiju = logging.getLogger("yiju")
    yiju.addHandler(handler)
    yiju.setLevel(logging.WARNING)
    yiju.propagate = False
    warm_up()
    uvicorn.run(create_app(with_api), host=host, port=port, **uvicorn_options())

"""A JSON HTTP API beside the web page: /api/health, /api/login, /api/ask (officer token), /api/public/ask.

Officer answers need a bearer token from /api/login; public questions are always answered in public mode and
rate-limited per client. Bad input gets a 4xx with a clear message, never a traceback."""

from __future__ import annotations

import uuid

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ui import audit, auth
from ui.ratelimit import RateLimiter

MAX_QUESTION_BYTES = 200_000
_public_limit = RateLimiter(60, 60.0)


class LoginIn(BaseModel):
    user: str
    password: str


class AskIn(BaseModel):
    question: str
    session: str | None = None


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _answer_json(a) -> dict:  # noqa: ANN001 - assistant.Answer
    d = a.to_dict()
    return {k: d[k] for k in ("question", "markdown", "intent", "slots", "conclusion", "citations", "penalties",
                              "cases", "confidence", "declined", "notice", "warnings", "basis_paragraph", "mode",
                              "generator")}


def create_api(public_limit: RateLimiter | None = None) -> FastAPI:
    limiter = public_limit or _public_limit
    api = FastAPI(title="Yiju API", docs_url=None, redoc_url=None, openapi_url=None)

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:  # never leak a traceback
        return JSONResponse({"error": "服务器内部错误，请稍后重试。"}, status_code=500)

    @api.get("/api/health")
    def health() -> dict:
        from index.build import index_status

        try:
            status = index_status()
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return {"ok": False, "index": str(exc)}
        return {"ok": bool(status.get("exists")), "index": status.get("build_id"), "chroma": status.get("chroma")}

    @api.post("/api/login")
    def login(body: LoginIn, request: Request) -> dict:
        r = auth.login(body.user, body.password, _client(request))
        if not r.ok:
            raise HTTPException(401 if "错误" in r.message else 429, r.message)
        return {"token": r.token, "user": r.user, "role": r.role}

    @api.post("/api/ask")
    def ask(body: AskIn, request: Request, authorization: str = Header(default="")) -> dict:
        token = authorization.removeprefix("Bearer ").strip()
        who = auth.check(token, ("officer",))
        if who is None:
            raise HTTPException(401, "需要执法人员登录（POST /api/login 取得 token，放在 Authorization: Bearer 头中）。")
        if len(body.question.encode("utf-8", "ignore")) > MAX_QUESTION_BYTES:
            raise HTTPException(413, "问题过长。")
        from assistant import ask as assistant_ask

        session = f"api:{who[0]}:{body.session or uuid.uuid4().hex}"
        a = assistant_ask(body.question, session=session, mode="officer")
        audit.record(who[0], who[1], "api-ask", a.question, a.markdown, [c.provision_id for c in a.citations])
        return _answer_json(a)

    @api.post("/api/public/ask")
    def public_ask(body: AskIn, request: Request) -> dict:
        if not limiter.allow(_client(request)):
            raise HTTPException(429, "提问过于频繁，请稍后再试。")
        if len(body.question.encode("utf-8", "ignore")) > MAX_QUESTION_BYTES:
            raise HTTPException(413, "问题过长。")
        from assistant import ask as assistant_ask

        return _answer_json(assistant_ask(body.question, mode="public"))

    return api


def create_app() -> FastAPI:
    """The JSON API with the Gradio page mounted at /."""
    import gradio as gr

    from ui.app import CSS, build_app

    return gr.mount_gradio_app(create_api(), build_app(), path="/", css=CSS, show_error=False, footer_links=["api"])


def run(host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    from ui.app import warm_up

    warm_up()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", timeout_keep_alive=30)

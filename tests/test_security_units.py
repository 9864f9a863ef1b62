"""Issue 14 without a server process: the shared store, login reservation and the password-check cap, strict
bearer tokens, the guard middleware, proxy settings, the audit hash chain, one-time export links and XLSX
formula escaping. Each test here fails on the code before the fix."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from ui import audit, auth


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    monkeypatch.delenv("YIJU_TRUSTED_PROXIES", raising=False)
    return tmp_path


@pytest.fixture()
def slow_bcrypt(monkeypatch):
    """bcrypt.checkpw that takes 0.2 s and records how many run at once."""
    real = auth.bcrypt.checkpw
    state = {"now": 0, "max": 0, "calls": 0}
    lock = threading.Lock()

    def checkpw(password: bytes, hashed: bytes) -> bool:
        with lock:
            state["now"] += 1
            state["calls"] += 1
            state["max"] = max(state["max"], state["now"])
        try:
            time.sleep(0.2)
            return real(password, hashed)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(auth.bcrypt, "checkpw", checkpw)
    return state


# -- 3: lockout race and bcrypt exhaustion -------------------------------------------------------------------

def test_parallel_wrong_passwords_cannot_overrun_the_lockout(home, slow_bcrypt):
    auth.add_user("race", "officer-pass", "officer")
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: auth.login("race", "wrong-pass", "10.2.2.2"), range(20)))
    wrong = [r for r in results if r.message == "用户名或密码错误。"]
    assert len(wrong) <= auth.MAX_FAILURES and slow_bcrypt["calls"] <= auth.MAX_FAILURES
    assert all("过多" in r.message for r in results if r not in wrong)
    assert "过多" in auth.login("race", "officer-pass", "10.2.2.2").message


def test_concurrent_password_checks_are_capped(home, slow_bcrypt):
    for i in range(8):
        auth.add_user(f"cap{i}", "officer-pass", "officer")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: auth.login(f"cap{i}", "officer-pass", f"10.3.3.{i}"), range(8)))
    assert all(r.ok for r in results)
    assert slow_bcrypt["max"] <= 2  # YIJU_MAX_PASSWORD_CHECKS, default 2


def test_success_clears_only_finished_failures(home):
    auth.add_user("zhou", "officer-pass", "officer")
    for _ in range(auth.MAX_FAILURES - 1):
        assert not auth.login("zhou", "wrong-pass", "10.4.4.4").ok
    assert auth.login("zhou", "officer-pass", "10.4.4.4").ok
    for _ in range(auth.MAX_FAILURES - 1):  # the success reset the user's count for this client
        assert auth.login("zhou", "wrong-pass", "10.4.4.4").status == "bad"


# -- 4: tokens ------------------------------------------------------------------------------------------------

def test_tokens_are_shared_through_the_store_and_stored_as_digests(home):
    auth.add_user("wang", "officer-pass", "officer")
    token = auth.login("wang", "officer-pass", "10.0.0.1").token
    with sqlite3.connect(home / "security.sqlite") as con:
        stored = [r[0] for r in con.execute("SELECT digest FROM tokens")]
    assert stored and token not in stored and token.encode() not in (home / "security.sqlite").read_bytes()
    # another worker is another process with its own memory: only the file is shared
    code = ("from ui import auth; import sys; "
            f"print(auth.check({token!r}, ('officer',), '10.0.0.1'))")
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, YIJU_HOME=str(home)), cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert "('wang', 'officer')" in out.stdout, out.stderr
    assert auth.revoke_user("wang") == 1 and auth.check(token, ("officer",), "10.0.0.1") is None


def test_bearer_header_is_strict():
    from ui.api import bearer

    assert bearer("Bearer abc") == "abc" and bearer("bearer abc") == "abc"
    for header in ("abc", "", None, "Bearer", "Bearer ", "Basic abc", "Bearerabc", "Bearer a b", "Token abc"):
        assert bearer(header) == "", header


def test_api_tokens_bound_to_client_logout_and_revocation(home, monkeypatch):
    from ui.api import create_api

    monkeypatch.setattr("assistant.ask", lambda q, session=None, mode="officer": _fake_answer(q, mode))
    auth.add_user("li", "officer-pass", "officer")
    api = create_api()
    a = TestClient(api, client=("10.5.5.1", 5000))
    b = TestClient(api, client=("10.5.5.2", 5000))
    token = a.post("/api/login", json={"user": "li", "password": "officer-pass"}).json()["token"]
    ask = {"question": "电梯检验机构出具虚假报告怎么罚"}
    assert a.post("/api/ask", json=ask, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert a.post("/api/ask", json=ask, headers={"Authorization": token}).status_code == 401  # no bare tokens
    assert b.post("/api/ask", json=ask, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert b.post("/api/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert a.post("/api/logout", headers={"Authorization": f"Bearer {token}"}).json() == {"ok": True}
    assert a.post("/api/ask", json=ask, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    token = a.post("/api/login", json={"user": "li", "password": "officer-pass"}).json()["token"]
    r = CliRunner().invoke(__import__("ui.cli", fromlist=["cli"]).cli, ["users", "revoke", "li"])
    assert r.exit_code == 0 and "1" in r.output
    assert a.post("/api/ask", json=ask, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    actions = [row["action"] for row in audit.rows()]
    assert {"login", "api-ask", "logout"} <= set(actions)


def _fake_answer(question: str, mode: str):
    from assistant.models import Answer

    return Answer(question=question, markdown="回答", mode=mode)


def test_rate_limits_with_a_name_are_shared(home):
    from ui.ratelimit import RateLimiter

    one, two = RateLimiter(3, 60, name="shared"), RateLimiter(3, 60, name="shared")  # as in two workers
    assert [one.allow("k"), two.allow("k"), one.allow("k")] == [True, True, True]
    assert not two.allow("k") and not one.allow("k")


# -- 6: audit ---------------------------------------------------------------------------------------------------

def test_logins_failures_and_lockouts_are_audited(home):
    auth.add_user("sun", "officer-pass", "officer")
    assert auth.login("sun", "officer-pass", "10.6.6.6").ok
    for _ in range(auth.MAX_FAILURES):
        auth.login("sun", "wrong-pass", "10.6.6.6")
    auth.login("sun", "wrong-pass", "10.6.6.6")  # refused while locked: logged, not audited again
    rows = audit.rows()
    actions = [r["action"] for r in reversed(rows)]
    assert actions == ["login"] + ["login-failed"] * auth.MAX_FAILURES + ["lockout"]
    assert all(r["client"] == "10.6.6.6" and r["user"] == "sun" for r in rows)
    assert "wrong-pass" not in json.dumps(rows, ensure_ascii=False)


def test_audit_file_is_private(home):
    audit.record("u", "officer", "ask", "问题")
    assert audit.db_path().stat().st_mode & 0o077 == 0
    os.chmod(audit.db_path(), 0o644)  # a file from before the rule is tightened on the next write
    audit.record("u", "officer", "ask", "问题")
    assert audit.db_path().stat().st_mode & 0o077 == 0
    assert (home / "security.sqlite").exists() is False or (home / "security.sqlite").stat().st_mode & 0o077 == 0


def test_audit_hash_chain_detects_tampering(home):
    for i in range(4):
        audit.record("zhang", "officer", "ask", f"问题{i}", "答案", ["特种设备安全法/93"], client="10.0.0.1")
    ok = audit.verify()
    assert ok.ok and ok.rows == 4 and len(ok.head) == 64
    runner = CliRunner()
    from ui.cli import cli

    r = runner.invoke(cli, ["audit", "verify"])
    assert r.exit_code == 0 and "4" in r.output and ok.head in r.output
    con = sqlite3.connect(audit.db_path())
    con.executescript("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
    con.execute("UPDATE audit SET answer = '改过的答案' WHERE id = 2")
    con.execute("DELETE FROM audit WHERE id = 3")
    con.commit()
    con.close()
    bad = audit.verify()
    assert not bad.ok and any("第 2 行" in p for p in bad.problems) and any("缺失" in p for p in bad.problems)
    r = runner.invoke(cli, ["audit", "verify"])
    assert r.exit_code == 1 and "第 2 行" in r.output


def test_audit_from_before_the_chain_is_migrated(home):
    con = sqlite3.connect(home / "audit.sqlite")
    con.executescript("CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT NOT NULL,"
                      " role TEXT NOT NULL, action TEXT NOT NULL, question TEXT, answer TEXT,"
                      " citations TEXT NOT NULL DEFAULT '[]');"
                      "INSERT INTO audit (ts, user, role, action) VALUES ('2026-01-01', 'old', 'officer', 'ask');")
    con.close()
    audit.record("new", "officer", "login", client="10.0.0.1")
    v = audit.verify()
    assert v.ok and v.rows == 2 and v.legacy == 1


# -- 6: XLSX formula injection ------------------------------------------------------------------------------------

def test_xlsx_cells_never_become_formulas(tmp_path):
    from openpyxl import load_workbook

    from assistant.quiz import Question
    from assistant.quiz_export import to_xlsx

    q = Question(qtype="单选", stem='=HYPERLINK("http://evil.example","点此")', options=["+1+2", "-3", "@SUM(A1)", "正常"],
                 answer="A", explanation="=1+1", citation="《某法》第一条", provision_id="某法/1")
    path = to_xlsx([q], tmp_path / "q.xlsx")
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    row = load_workbook(path).active[2]
    assert [c.value for c in row[1:6]] == [q.stem, "+1+2", "-3", "@SUM(A1)", "正常"]
    assert all(c.data_type == "s" for c in row)


# -- 6: quiz export links ------------------------------------------------------------------------------------------

def test_export_links_are_one_time_and_need_the_login(home):
    from ui import downloads

    auth.add_user("chen", "trainer-pass", "trainer")
    token = auth.login("chen", "trainer-pass", "10.7.7.7").token

    def export() -> str:
        folder = downloads.new_folder()
        (folder / "yiju-quiz.xlsx").write_bytes(b"xlsx")
        return downloads.register(token, "10.7.7.7", folder / "yiju-quiz.xlsx", "yiju-quiz.xlsx")

    key = export()
    assert downloads.claim(key, "10.7.7.8") is None  # another client
    path, name = downloads.claim(key, "10.7.7.7")
    assert name == "yiju-quiz.xlsx" and path.read_bytes() == b"xlsx"
    assert downloads.claim(key, "10.7.7.7") is None  # once
    key = export()
    auth.logout(token)
    assert downloads.claim(key, "10.7.7.7") is None  # the login ended
    old = downloads.new_folder()
    os.utime(old, (time.time() - downloads.EXPORT_TTL_S - 5,) * 2)
    downloads.sweep()
    assert not old.exists()


def test_export_handler_returns_a_one_time_link_not_a_file(home, monkeypatch):
    from ui import app

    auth.add_user("chen", "trainer-pass", "trainer")
    req = SimpleNamespace(client=SimpleNamespace(host="127.0.0.1"), session_hash="s")
    token = auth.login("chen", "trainer-pass", "127.0.0.1").token
    q = {"qtype": "判断", "stem": "题干", "options": [], "answer": "正确", "explanation": "解析", "citation": "依据",
         "provision_id": "某法/1"}
    link, msg = app.export("xlsx")(token, [q], req)
    assert "已导出 1 题" in msg and "download/" in link and "gradio_api/file=" not in link
    assert app.export("xlsx")("forged", [q], req) == (None, app.NEED_LOGIN)


# -- 5: bodies and uploads ----------------------------------------------------------------------------------------

def _guarded(max_body: int = 1000) -> TestClient:
    from ui.api import Guard

    inner = FastAPI()

    @inner.post("/echo")
    async def echo(request: Request) -> dict:
        return {"n": len(await request.body())}

    @inner.post("/gradio_api/queue/join")
    async def join(request: Request) -> dict:
        return {"ok": True}

    @inner.post("/gradio_api/upload")
    async def upload() -> dict:
        return {"ok": True}

    return TestClient(Guard(inner, max_body=max_body))


def test_guard_caps_bodies_refuses_uploads_and_file_references(caplog):
    caplog.set_level("WARNING", logger="yiju.http")
    c = _guarded()
    assert c.post("/echo", content=b"x" * 1000).json() == {"n": 1000}
    assert c.post("/echo", content=b"x" * 1001).status_code == 413

    def chunks():
        for _ in range(5):
            yield b"x" * 300

    assert c.post("/echo", content=chunks()).status_code == 413  # no Content-Length: counted while read
    assert c.post("/gradio_api/upload", files={"files": ("a.txt", b"a")}).status_code == 403
    file_ref = {"data": ["q", [{"role": "user", "content": {"path": "/etc/passwd"}}]], "fn_index": 0}
    assert c.post("/gradio_api/queue/join", json=file_ref).status_code == 400
    assert c.post("/gradio_api/queue/join", json={"data": ["q", []], "fn_index": 0}).json() == {"ok": True}
    deep = b'{"data": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    assert _guarded(200_000).post("/gradio_api/queue/join", content=deep).status_code == 400
    assert len([r for r in caplog.records if "rejected" in r.getMessage()]) == 5  # one line per rejection


# -- 1: history and Gradio's own file checks -------------------------------------------------------------------------

def test_history_is_plain_text_only():
    from ui.app import _history

    hist = [{"role": "user", "content": "问"}, {"role": "assistant", "content": [{"type": "text", "text": "答"}]},
            {"role": "user", "content": {"path": "/etc/passwd"}},
            {"role": "user", "content": [{"type": "file", "file": {"path": "/etc/passwd"}}]},
            {"role": "assistant", "content": [{"type": "component", "component": "file", "value": "/etc/passwd"}]},
            {"role": "system", "content": "x"}, "junk"]
    assert _history(hist) == [{"role": "user", "content": "问"}, {"role": "assistant", "content": "答"}]


def test_mounted_app_runs_gradios_file_checks(home, monkeypatch):
    from gradio import processing_utils
    from gradio.context import LocalContext
    from gradio.exceptions import InvalidPathError

    from ui import api

    monkeypatch.setattr("ui.app.build_app", _tiny_blocks)
    app = api.create_app(with_api=False)
    demo = app.state.yiju_blocks
    assert demo.has_launched and str(home) in demo.blocked_paths and demo.max_file_size == 1024 * 1024
    (home / "users.json").write_text("{}", "utf-8")
    ctx = LocalContext.blocks.set(demo)
    try:
        for path in (home / "users.json", "/etc/passwd"):
            with pytest.raises(InvalidPathError):
                processing_utils._check_allowed(path, True)  # "not uploaded by a user"
    finally:
        LocalContext.blocks.reset(ctx)


def _tiny_blocks():
    import gradio as gr

    with gr.Blocks() as demo:
        gr.Textbox()
    return demo


# -- 2: forwarded headers --------------------------------------------------------------------------------------------

def _peer_seen(options: dict, headers: dict) -> str:
    """Run uvicorn with `options` on a loopback port; the client address the app sees for one request."""
    import uvicorn

    app = FastAPI()

    @app.get("/who")
    def who(request: Request) -> dict:
        return {"host": request.client.host}

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):  # bounded: 10 s
            if server.started:
                break
            time.sleep(0.1)
        return httpx.get(f"http://127.0.0.1:{port}/who", headers=headers, timeout=10).json()["host"]
    finally:
        server.should_exit = True
        thread.join(10)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(monkeypatch):
    from ui.api import uvicorn_options

    monkeypatch.delenv("YIJU_TRUSTED_PROXIES", raising=False)
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    assert uvicorn_options()["proxy_headers"] is False
    assert _peer_seen(uvicorn_options(), spoof) == "127.0.0.1"
    monkeypatch.setenv("YIJU_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert uvicorn_options()["forwarded_allow_ips"] == ["127.0.0.1", "10.0.0.0/8"]
    assert _peer_seen(uvicorn_options(), spoof) == "203.0.113.9"


def test_gradio_calls_must_fit_their_event():
    import gradio as gr

    from ui.api import gradio_call_problem

    with gr.Blocks() as demo:
        q, hist, level = gr.Textbox(), gr.State([]), gr.Radio(["易", "中"])
        docs = gr.Dropdown(["甲", "乙"], multiselect=True)
        out = gr.Textbox()
        gr.Button().click(lambda *a: "", [q, hist, level, docs], out, api_name="ask")
    index = next(i for i, f in demo.fns.items() if f.api_name == "ask")
    join = "/gradio_api/queue/join"
    assert gradio_call_problem(demo, {"fn_index": index, "data": ["问", "ignored", "中", ["甲"]]}, join) == ""
    for data in (["问"], [["问"], None, "中", []], ["问", None, "难", []], ["问", None, "中", ["丙"]],
                 ["问", None, "中", list(range(5))], ["x" * 30_000, None, None, None]):
        assert gradio_call_problem(demo, {"fn_index": index, "data": data}, join), data
    assert gradio_call_problem(demo, {"fn_index": index, "data": [{"path": "/etc/passwd"}, None, None, None]}, join)
    assert gradio_call_problem(demo, {"data": ["问", "中", ["甲"]]}, "/gradio_api/call/ask") == ""  # State skipped
    assert gradio_call_problem(demo, {"data": [5, "中", ["甲"]]}, "/gradio_api/call/ask")
    assert gradio_call_problem(demo, {"q": "问"}, "/gradio_api/call/v2/ask") == ""
    assert gradio_call_problem(demo, {"q": ["问"]}, "/gradio_api/call/v2/ask")

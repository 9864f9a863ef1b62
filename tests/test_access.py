"""Access control, audit and rate limits against the running app, through HTTP (gradio_client and raw queue
calls by fn_index), not only through the page."""

from __future__ import annotations

import json
import sqlite3
import uuid

import httpx
import pytest

from tests.conftest import OFFICER, TRAINER, raw_call
from ui import audit, auth

pytestmark = pytest.mark.slow
PENALTY_Q = "电梯检验机构出具虚假报告怎么罚"
# Text that only an answered officer question, an article view, a quiz or an export would contain.
SECRET_MARKERS = ("中华人民共和国特种设备安全法", "处罚依据", "yiju-quiz", "单选", "已登录", "$2b$")


def last_reply(history: list) -> str:
    """Text of the last chat message (Gradio 6 returns content as a list of typed parts)."""
    content = history[-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def config(base: str) -> dict:
    return httpx.get(f"{base}/config", timeout=30).json()


def fn_index(cfg: dict, api_name: str) -> int:
    return next(i for i, d in enumerate(cfg["dependencies"]) if d.get("api_name") == api_name)



def sample_inputs(cfg: dict, dep: dict) -> list:
    """Plausible values for every input of a dependency (State values are ignored by the server)."""
    types = {c["id"]: c["type"] for c in cfg["components"]}
    by_type = {"textbox": PENALTY_Q, "chatbot": [], "state": "forged-token", "number": 5, "dropdown": [],
               "radio": "中", "dataset": 0, "html": ""}
    return [by_type.get(types.get(i), None) for i in dep["inputs"]]


def test_only_the_public_endpoint_is_exposed(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    api = client.view_api(return_format="dict", print_info=False)
    names = set(api["named_endpoints"]) | set(api.get("unnamed_endpoints", {}))
    assert names == {"/public_ask"}, names
    info = httpx.get(f"{app_server}/gradio_api/info", timeout=30).json()
    assert set(info["named_endpoints"]) == {"/public_ask"}
    for hidden in ("/officer_ask", "/quiz_make", "/export_xlsx", "/show_article", "/do_login"):
        with pytest.raises(Exception):  # noqa: B017 - the client refuses unknown/private endpoints
            client.predict(PENALTY_Q, [], api_name=hidden)


def test_public_api_is_forced_to_faq_scope(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    history, _ = client.predict("对检测机构罚款的自由裁量基准是多少？", api_name="/public_ask")
    assert "公众咨询模式" in last_reply(history)
    history, _ = client.predict("我怀疑检测报告是假的，去哪里投诉举报？", api_name="/public_ask")
    assert "检验检测机构监督管理办法》第二十四条" in last_reply(history)
    history, _ = client.predict(PENALTY_Q, api_name="/public_ask")
    reply = last_reply(history)  # the statute's own words, never the officers' penalty table or discretion notes
    assert "第九十三条" in reply and "处罚依据与幅度" not in reply and "不提供裁量意见" in reply


def test_every_private_handler_refuses_without_login_over_raw_http(app_server):
    """Call every event handler by fn_index with a fresh session (no login): none returns officer data. A
    session that did log in gets the answer through the same call, so the refusals are the handlers' checks."""
    cfg = config(app_server)
    called = 0
    for index, dep in enumerate(cfg["dependencies"]):
        if not dep.get("backend_fn") or dep.get("api_name") == "public_ask":
            continue
        event = {"index": 1, "value": "特种设备安全法/93"} if any(t[1] == "select" for t in dep["targets"]) else None
        msg = raw_call(app_server, index, sample_inputs(cfg, dep), uuid.uuid4().hex, event)
        text = json.dumps(msg, ensure_ascii=False)
        assert not any(m in text for m in SECRET_MARKERS), (dep.get("api_name"), text[:500])
        called += 1
    assert called >= 12

    logged_in = uuid.uuid4().hex
    login = fn_index(cfg, "do_login")
    ask = fn_index(cfg, "officer_ask")
    assert "已登录" in json.dumps(raw_call(app_server, login, [*OFFICER, None], logged_in), ensure_ascii=False)
    answered = json.dumps(raw_call(app_server, ask, [PENALTY_Q, [], None, None], logged_in), ensure_ascii=False)
    assert "《中华人民共和国特种设备安全法》第九十三条" in answered
    assert OFFICER[1] not in answered
    # the token never leaves the server: the login's State output is not sent
    out = raw_call(app_server, login, [*OFFICER, None], uuid.uuid4().hex)["output"]["data"]
    assert out[0] is None
    # another session (without the login) is refused by the same handler
    other = json.dumps(raw_call(app_server, ask, [PENALTY_Q, [], "forged", None], uuid.uuid4().hex),
                       ensure_ascii=False)
    assert "请先登录" in other and "第九十三条" not in other


def test_trainer_cannot_use_officer_only_role_and_quiz_needs_login(app_server):
    cfg = config(app_server)
    session = uuid.uuid4().hex
    make = fn_index(cfg, "quiz_make")
    inputs = [None, [], [], [], 3, 0, 0, 0, "中", 0]
    refused = json.dumps(raw_call(app_server, make, inputs, session), ensure_ascii=False)
    assert "请先登录" in refused and "单选" not in refused
    raw_call(app_server, fn_index(cfg, "do_login"), [*TRAINER, None], session)
    built = raw_call(app_server, make, inputs, session)["output"]["data"]
    assert built[0]["data"] and built[0]["data"][0][0] == "单选"
    exported = json.dumps(raw_call(app_server, fn_index(cfg, "export_xlsx"), [None, None], session),
                          ensure_ascii=False)
    assert "yiju-quiz.xlsx" in exported
    rows = audit.rows(20)
    assert any(r["user"] == TRAINER[0] and r["action"] == "quiz" for r in rows)


def test_data_files_are_not_served(app_server, built_home):
    for name in ("users.json", "audit.sqlite"):
        r = httpx.get(f"{app_server}/gradio_api/file={built_home / name}", timeout=30)
        assert r.status_code in (403, 404), (name, r.status_code)
        assert "$2b$" not in r.text


def test_public_rate_limit(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    replies = [last_reply(client.predict("什么是检验检测报告？", api_name="/public_ask")[0]) for _ in range(12)]
    assert sum("过于频繁" in r for r in replies) >= 2
    assert "过于频繁" not in replies[0]


def test_passwords_hashed_and_login_throttled(built_home, app_server):
    raw = (built_home / "users.json").read_text("utf-8")
    assert OFFICER[1] not in raw and "$2b$" in raw
    for _ in range(auth.MAX_FAILURES):
        assert not auth.login(OFFICER[0], "wrong-password", "10.9.9.9").ok
    locked = auth.login(OFFICER[0], OFFICER[1], "10.9.9.9")
    assert not locked.ok and "过多" in locked.message
    assert auth.login(OFFICER[0], OFFICER[1], "10.9.9.8").ok  # another client is not locked out
    assert auth.check("forged-token", ("officer",)) is None


def test_login_throttle_over_http(app_server):
    """Five wrong passwords from a client lock that user for the client, even with the right password."""
    # a fresh name: failed attempts are kept in YIJU_HOME for 5 minutes (shared by workers, kept over restarts)
    user = (f"throttle_{uuid.uuid4().hex[:8]}", "throttle-pass-1")
    auth.add_user(*user, role="trainer")  # the server reads the users file at each login
    cfg = config(app_server)
    login = fn_index(cfg, "do_login")
    assert "已登录" in json.dumps(raw_call(app_server, login, [*user, None], uuid.uuid4().hex), ensure_ascii=False)
    for _ in range(auth.MAX_FAILURES):
        msg = raw_call(app_server, login, [user[0], "not-the-password", None], uuid.uuid4().hex)
        assert "用户名或密码错误" in json.dumps(msg, ensure_ascii=False)
    msg = json.dumps(raw_call(app_server, login, [*user, None], uuid.uuid4().hex), ensure_ascii=False)
    assert "登录失败次数过多" in msg and "已登录" not in msg


def test_audit_log_is_append_only_and_has_no_secrets(built_home, app_server):
    audit.record("u", "officer", "ask", "问题", "答案", ["特种设备安全法/93"])
    with sqlite3.connect(audit.db_path()) as con:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE audit SET question = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit")
        cols = [r[1] for r in con.execute("PRAGMA table_info(audit)")]
    assert cols[:3] == ["id", "ts", "user"] and {"role", "question", "answer", "citations"} <= set(cols)
    rows = audit.rows(500)
    asked = [r for r in rows if r["action"] == "ask" and r["user"] == OFFICER[0]]
    assert asked and "特种设备安全法/93" in json.loads(asked[-1]["citations"])
    blob = audit.db_path().read_bytes() + (built_home / "serve.log").read_bytes()
    for secret in (OFFICER[1], TRAINER[1], "not-the-password"):
        assert secret.encode() not in blob

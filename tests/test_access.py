"""Access control, audit and rate limits, through the HTTP API (gradio_client), not only the page."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import OFFICER
from ui import audit, auth

pytestmark = pytest.mark.slow


def last_reply(history: list) -> str:
    """Text of the last chat message (Gradio 6 returns content as a list of typed parts)."""
    content = history[-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_only_the_public_endpoint_is_exposed(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    api = client.view_api(return_format="dict", print_info=False)
    names = set(api["named_endpoints"]) | set(api.get("unnamed_endpoints", {}))
    assert names == {"/public_ask"}, names


def test_public_api_declines_internal_questions_and_answers_faq(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    history, _ = client.predict("对检测机构罚款的自由裁量基准是多少？", [], api_name="/public_ask")
    assert "公众咨询模式" in last_reply(history)
    history, _ = client.predict("我怀疑检测报告是假的，去哪里投诉举报？", [], api_name="/public_ask")
    assert "检验检测机构监督管理办法》第二十四条" in last_reply(history)
    history, _ = client.predict("检验机构出具虚假报告罚多少？", [], api_name="/public_ask")
    assert "处罚依据与幅度" not in last_reply(history)


def test_officer_functions_unreachable_without_login(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    for fn_index in range(0, 12):
        try:
            result = client.predict("检验机构出具虚假报告罚多少？", [], fn_index=fn_index)
        except Exception:  # noqa: BLE001 - private endpoints refuse API calls
            continue
        assert "第二十七条" not in json.dumps(result, ensure_ascii=False) or fn_index_is_public(client, fn_index)


def fn_index_is_public(client, fn_index: int) -> bool:
    api = client.view_api(return_format="dict", print_info=False)
    return any(e.get("fn_index") == fn_index for e in api["named_endpoints"].values())


def test_public_rate_limit(app_server):
    from gradio_client import Client

    client = Client(app_server, verbose=False)
    replies = [last_reply(client.predict("什么是检验检测报告？", [], api_name="/public_ask")[0]) for _ in range(12)]
    assert any("过于频繁" in r for r in replies)


def test_passwords_hashed_and_login_throttled(built_home, app_server):
    raw = (built_home / "users.json").read_text("utf-8")
    assert OFFICER[1] not in raw and "$2b$" in raw
    for _ in range(auth.MAX_FAILURES):
        assert not auth.login(OFFICER[0], "wrong", "10.9.9.9").ok
    locked = auth.login(OFFICER[0], OFFICER[1], "10.9.9.9")
    assert not locked.ok and "过多" in locked.message
    assert auth.login(OFFICER[0], OFFICER[1], "10.9.9.8").ok  # another client is not locked out
    assert auth.check("forged-token", ("officer",)) is None


def test_audit_log_is_append_only(built_home):
    audit.record("u", "officer", "ask", "问题", "答案", ["特种设备安全法/93"])
    with sqlite3.connect(audit.db_path()) as con:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE audit SET question = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit")
    text = audit.db_path().read_bytes()
    assert OFFICER[1].encode() not in text

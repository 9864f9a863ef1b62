"""The officer page's new server state over raw HTTP (Gradio's queue by fn_index, and /session), not through the
page: conversations are listed and opened only for their owner, feedback needs the login and counts once per
answer, and the login cookie is HttpOnly, SameSite=Strict, made only from a one-time ticket."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest

from tests.conftest import OFFICER, raw_call
from ui import auth, feedback

pytestmark = pytest.mark.slow
OTHER = ("officer_wang", "officer-pass-2")


def dump(msg: dict) -> str:
    return json.dumps(msg, ensure_ascii=False)


def fns(base: str) -> dict[str, int]:
    cfg = httpx.get(f"{base}/config", timeout=30).json()
    return {d["api_name"]: i for i, d in enumerate(cfg["dependencies"]) if d.get("api_name")}


def signed_in(base: str, idx: dict, user: tuple[str, str], http: httpx.Client | None = None) -> tuple[str, dict]:
    session = uuid.uuid4().hex
    msg = raw_call(base, idx["do_login"], [*user, None], session, http=http)
    assert "已登录" in dump(msg)
    return session, msg


def asked(base: str, idx: dict, session: str, question: str) -> list:
    msg = raw_call(base, idx["officer_ask"], [question, None, None, None], session)
    return msg["output"]["data"]


def test_conversations_are_listed_and_opened_only_for_their_owner(app_server):
    auth.add_user(*OTHER, role="officer")
    idx = fns(app_server)
    marker = f"检验检测报告保存多少年？{uuid.uuid4().hex[:8]}"
    owner, _ = signed_in(app_server, idx, OFFICER)
    out = asked(app_server, idx, owner, marker)
    cid = re.search(r"data-cid='([0-9a-f]+)'", dump(out[9])).group(1)
    assert out[2] is None  # the conversation id is server-side State, never sent

    def opened(session: str) -> str:
        return dump(raw_call(app_server, idx["open_conversation"], [None], session, {"index": 0, "value": cid}))

    mine = opened(owner)
    assert marker in mine and "检验检测机构监督管理办法" in mine
    other, login_msg = signed_in(app_server, idx, OTHER)
    assert cid not in dump(login_msg)  # not in the other officer's list
    theirs = opened(other)
    assert marker not in theirs and "没有找到这次对话" in theirs
    anonymous = opened(uuid.uuid4().hex)
    assert marker not in anonymous and "请先登录" in anonymous
    # another user cannot append to the conversation either (it stays the owner's)
    from ui import history

    assert history.owner(cid) == OFFICER[0]


def test_feedback_needs_the_login_and_counts_once_per_answer(app_server):
    idx = fns(app_server)
    like = {"index": 1, "value": "x", "liked": True}
    refused = dump(raw_call(app_server, idx["rate_message"], [None, "匿名意见", None], uuid.uuid4().hex, like))
    assert "请先登录" in refused
    assert not [r for r in feedback.all_feedback() if r["comment"] == "匿名意见"]
    session, _ = signed_in(app_server, idx, OFFICER)
    asked(app_server, idx, session, "电梯检验机构出具虚假报告怎么罚")
    note = f"意见{uuid.uuid4().hex[:8]}"
    first = dump(raw_call(app_server, idx["rate_message"], [None, note, None], session, like))
    again = dump(raw_call(app_server, idx["rate_message"], [None, note, None], session, {**like, "liked": False}))
    assert "已记录" in first and "已评价过" in again
    rows = [r for r in feedback.all_feedback() if r["comment"] == note]
    assert len(rows) == 1 and rows[0]["user"] == OFFICER[0] and rows[0]["rating"] == "up"
    wrong = dump(raw_call(app_server, idx["rate_message"], [None, "", None], session, {**like, "index": 0}))
    assert "请对一条回答评价" in wrong  # a question is not an answer


def test_login_cookie_comes_only_from_a_one_time_ticket(app_server):
    idx = fns(app_server)
    with httpx.Client(timeout=60) as http:
        r = http.post(f"{app_server}/session", json={"ticket": "forged"})
        assert r.status_code == 401 and "set-cookie" not in r.headers
        _, msg = signed_in(app_server, idx, OFFICER, http)
        ticket = msg["output"]["data"][5]
        assert isinstance(ticket, str) and len(ticket) >= 20
        r = http.post(f"{app_server}/session", json={"ticket": ticket})
        assert r.status_code == 200
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        age = int(re.search(r"max-age=(\d+)", cookie).group(1))
        assert 0 < age <= auth.TOKEN_TTL_S
        assert http.post(f"{app_server}/session", json={"ticket": ticket}).status_code == 401  # spent
        # a new page load with the cookie is signed in, and can ask
        restored = uuid.uuid4().hex
        out = raw_call(app_server, idx["restore"], [None], restored, http=http)
        assert "已登录" in dump(out) and out["output"]["data"][0] is None  # the token stays server-side
        answered = dump(raw_call(app_server, idx["officer_ask"], ["电梯检验机构出具虚假报告怎么罚", None, None, None],
                                 restored, http=http))
        assert "第九十三条" in answered
        value = http.cookies.get("yiju_session")
        assert value and http.delete(f"{app_server}/session").status_code == 200  # ends the token too
        assert http.cookies.get("yiju_session") is None
    with httpx.Client(timeout=60, cookies={"yiju_session": value}) as replay:
        assert "已登录" not in dump(raw_call(app_server, idx["restore"], [None], uuid.uuid4().hex, http=replay))
    with httpx.Client(timeout=60) as fresh:
        assert "已登录" not in dump(raw_call(app_server, idx["restore"], [None], uuid.uuid4().hex, http=fresh))

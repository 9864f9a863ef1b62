"""UI building blocks without a server: users and login throttle, tokens, rate limits, audit, feedback, the
users CLI, the clause panel, and every handler's own access check (called directly, as Gradio would)."""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import gradio as gr
import pytest
from click.testing import CliRunner

from assistant.models import Answer, Citation
from ui import app, audit, auth, feedback
from ui.cli import cli
from ui.ratelimit import PublicLimits, RateLimiter


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    return tmp_path


def request(host: str = "127.0.0.1", session: str = "s1"):
    return SimpleNamespace(client=SimpleNamespace(host=host), session_hash=session)


def citation(n=1, pid="特种设备安全法/93/1", text="违反本法规定……处二万元以上二十万元以下罚款", status="现行有效"):
    return Citation(n=n, provision_id=pid, citation="《中华人民共和国特种设备安全法》第九十三条第一款",
                    doc_key="特种设备安全法", doc_title="中华人民共和国特种设备安全法", doc_type="法律",
                    version_date="2013-06-29", status=status, text=text, role="处罚依据")


# -- users, passwords, tokens ------------------------------------------------------------------------------

def test_users_file_holds_bcrypt_hashes_only(home):
    assert auth.add_user("zhang", "s3cret-pass", "officer") is True
    assert auth.add_user("zhang", "s3cret-pass-2", "officer") is False  # reset
    raw = (home / "users.json").read_text("utf-8")
    assert "s3cret-pass" not in raw and json.loads(raw)["zhang"]["hash"].startswith("$2b$")
    assert (home / "users.json").stat().st_mode & 0o077 == 0
    assert auth.list_users() == [("zhang", "officer")]
    assert auth.remove_user("zhang") and not auth.remove_user("zhang")


@pytest.mark.parametrize("name,password,role", [("", "longenough", "officer"), ("a b", "longenough", "officer"),
                                                ("li", "short", "officer"), ("li", "longenough", "admin"),
                                                ("li", "x" * 80, "trainer")])
def test_add_user_rejects_bad_input(home, name, password, role):
    with pytest.raises(ValueError):
        auth.add_user(name, password, role)


def test_login_tokens_roles_and_client_binding(home):
    auth.add_user("wang", "officer-pass", "officer")
    auth.add_user("li", "trainer-pass", "trainer")
    off = auth.login("wang", "officer-pass", "10.0.0.1")
    tr = auth.login("li", "trainer-pass", "10.0.0.1")
    assert off.ok and tr.ok and off.role == "officer" and len(off.token) >= 40
    assert auth.check(off.token, ("officer",), "10.0.0.1") == ("wang", "officer")
    assert auth.check(off.token, ("trainer",), "10.0.0.1") == ("wang", "officer")  # officers may build quizzes
    assert auth.check(tr.token, ("officer",), "10.0.0.1") is None
    assert auth.check(off.token, ("officer",), "10.0.0.2") is None  # bound to the client it was issued to
    assert auth.check("", ("officer",)) is None and auth.check(None, ("officer",)) is None
    auth.logout(off.token)
    assert auth.check(off.token, ("officer",)) is None


def test_removal_and_password_change_by_another_process_end_sessions(home):
    auth.add_user("zhao", "officer-pass", "officer")
    t1 = auth.login("zhao", "officer-pass", "c").token
    users = json.loads((home / "users.json").read_text("utf-8"))
    users["zhao"]["hash"] = auth.bcrypt.hashpw(b"another-pass", auth.bcrypt.gensalt()).decode()
    (home / "users.json").write_text(json.dumps(users), "utf-8")  # as `yiju users add` in another process would
    assert auth.check(t1, ("officer",), "c") is None
    t2 = auth.login("zhao", "another-pass", "c").token
    assert auth.check(t2, ("officer",), "c")
    (home / "users.json").write_text("{}", "utf-8")
    assert auth.check(t2, ("officer",), "c") is None


def test_tokens_expire(home, monkeypatch):
    auth.add_user("sun", "officer-pass", "officer")
    token = auth.login("sun", "officer-pass", "c").token
    now = auth.time.time()
    monkeypatch.setattr(auth.time, "time", lambda: now + auth.TOKEN_TTL_S + 1)
    assert auth.check(token, ("officer",), "c") is None


def test_login_throttle_per_user_and_per_client(home, monkeypatch):
    monkeypatch.setattr(auth, "MAX_CLIENT_FAILURES", 8)  # 20 in service; fewer bcrypt checks here
    auth.add_user("qian", "officer-pass", "officer")
    for _ in range(auth.MAX_FAILURES):
        r = auth.login("qian", "wrong-pass", "10.1.1.1")
        assert not r.ok and r.message == "用户名或密码错误。"
    locked = auth.login("qian", "officer-pass", "10.1.1.1")
    assert not locked.ok and "过多" in locked.message and "秒后再试" in locked.message
    assert auth.login("qian", "officer-pass", "10.1.1.2").ok
    # password spraying: many names from one address
    for i in range(auth.MAX_CLIENT_FAILURES):
        assert not auth.login(f"nobody{i}", "wrong-pass", "10.1.1.3").ok
    assert "过多" in auth.login("qian", "officer-pass", "10.1.1.3").message
    assert auth.login("", "", "10.1.1.4").message == "用户名或密码错误。"


# -- rate limits -------------------------------------------------------------------------------------------

def test_rate_limiter_sliding_window():
    rl = RateLimiter(limit=3, window_s=60)
    assert [rl.retry_after("k", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert rl.retry_after("k", now=3) == pytest.approx(57)
    assert rl.retry_after("other", now=3) == 0
    assert rl.retry_after("k", now=60.5) == 0  # the first hit left the window


def test_public_limits_per_session_and_per_address():
    limits = PublicLimits(per_session=2, per_address=3, window_s=60)
    assert not limits.retry_after("1.2.3.4", "a") and not limits.retry_after("1.2.3.4", "a")
    assert limits.retry_after("1.2.3.4", "a") > 0
    assert not limits.retry_after("1.2.3.4", "b")
    assert limits.retry_after("1.2.3.4", "c") > 0  # a new session does not escape the address limit
    assert not limits.retry_after("5.6.7.8", "a")


# -- audit and feedback ------------------------------------------------------------------------------------

def test_audit_is_insert_only(home):
    audit.record("zhang", "officer", "ask", "问题", "答案", ["特种设备安全法/93"])
    audit.record("li", "trainer", "quiz", "{}", "3 题")
    rows = audit.rows()
    assert [r["user"] for r in rows] == ["li", "zhang"] and json.loads(rows[1]["citations"]) == ["特种设备安全法/93"]
    con = sqlite3.connect(audit.db_path())
    for sql in ("UPDATE audit SET answer = ''", "DELETE FROM audit", "DELETE FROM audit WHERE id = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()
    assert len(audit.rows()) == 2


def test_feedback_stored_with_question_answer_citations(home):
    feedback.store("down", "问题", "答案", ["特种设备安全法/93"], "金额不对", "zhang", "officer")
    feedback.store("up", "问题2", "答案2", [])
    rows = feedback.all_feedback()
    assert [r["rating"] for r in rows] == ["down", "up"]
    assert rows[0]["comment"] == "金额不对" and json.loads(rows[0]["citations"]) == ["特种设备安全法/93"]
    with pytest.raises(ValueError):
        feedback.store("meh", "q", "a", [])


# -- the users CLI -----------------------------------------------------------------------------------------

def test_users_cli_never_echoes_the_password(home):
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "zhou", "--role", "officer"], input="hidden-pass-1\nhidden-pass-1\n")
    assert r.exit_code == 0, r.output
    assert "hidden-pass-1" not in r.output and "已添加用户 zhou" in r.output
    r = runner.invoke(cli, ["users", "add", "wu", "--role", "trainer", "--password-stdin"], input="stdin-pass-1\n")
    assert r.exit_code == 0 and "stdin-pass-1" not in r.output
    assert auth.login("wu", "stdin-pass-1", "cli").ok
    r = runner.invoke(cli, ["users", "list"])
    assert r.output.split() == ["wu", "trainer", "zhou", "officer"]
    r = runner.invoke(cli, ["users", "add", "zheng", "--role", "officer", "--password-stdin"], input="short\n")
    assert r.exit_code != 0 and "至少8位" in r.output
    r = runner.invoke(cli, ["users", "add", "zheng", "--role", "boss", "--password-stdin"], input="longenough\n")
    assert r.exit_code != 0
    assert runner.invoke(cli, ["users", "remove", "wu"]).exit_code == 0
    r = runner.invoke(cli, ["users", "remove", "wu"])
    assert r.exit_code != 0 and "没有用户" in r.output


def test_serve_refuses_without_index_when_told_not_to_build(home):
    r = CliRunner().invoke(cli, ["serve", "--no-build", "--port", "7999"])
    assert r.exit_code != 0 and "yiju index build" in r.output


# -- the clause panel --------------------------------------------------------------------------------------

def test_clause_panel_shows_fields_and_escapes_text():
    html = app.clause_panel([citation(), citation(2, "某法/1", "<script>alert(1)</script>", "已废止")],
                            ["注意：<b>旧法</b>"])
    for part in ("[1] 《中华人民共和国特种设备安全法》第九十三条第一款", "中华人民共和国特种设备安全法", "2013-06-29",
                 "现行有效", "处二万元以上二十万元以下罚款", "data-pid='特种设备安全法/93/1'", "处罚依据"):
        assert part in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;旧法" in html
    assert "badge bad" in html
    assert "没有引用条文" in app.clause_panel([])


def test_badges():
    assert "badge '" in app.badge("现行有效") and "badge bad" in app.badge("已废止")
    assert "badge warn" in app.badge("已被修改") and "badge warn" in app.badge("效力待核实")


def test_article_view_whole_article_and_neighbours():
    view = app.article_view("特种设备安全法/93/1/3")
    assert "引用的是《中华人民共和国特种设备安全法》第九十三条第一款第（三）项" in view
    assert "第九十二条" in view and "第九十四条" in view and "上一条" in view and "下一条" in view
    assert "（三）出具虚假的检验、检测结果和鉴定结论" in view
    assert "没有找到" in app.article_view("不存在/1") and "没有找到" in app.article_view(None)


# -- handlers check the session themselves -----------------------------------------------------------------

@pytest.fixture()
def no_answers(monkeypatch):
    """The assistant must not be reached by a refused call; public calls are recorded with their mode."""
    calls = []

    def fake_ask(question, session=None, mode="officer", on_text=None):
        calls.append((question, session, mode))
        if mode != "public":
            return Answer(question=question, markdown="机密回答", citations=[citation()], basis_paragraph="依据……",
                          mode=mode)
        return Answer(question=question, markdown="公开回答", mode="public")

    monkeypatch.setattr("assistant.ask", fake_ask)
    return calls


def officer_final(*args) -> tuple:
    """What the officer handler (a generator: the answer bubble grows while an LLM streams) ends with."""
    return list(app.officer_ask(*args))[-1]


def like(index: int, liked: bool | None = True):
    return SimpleNamespace(index=index, liked=liked, value=None)


def test_officer_handlers_refuse_forged_or_missing_tokens(home, no_answers):
    req = request()
    answered = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "meta": {"aid": "x1"}}]
    for token in ("", "forged-token", None, 123):
        hist, *_rest = officer_final("电梯检验机构出具虚假报告怎么罚", [], token, "", req)
        assert hist[-1]["content"] == app.NEED_LOGIN
        assert app.officer_echo("电梯检验机构出具虚假报告怎么罚", [], token, req) == ([], app.NEED_LOGIN)
        assert app.show_basis({"basis": "依据……"}, token, req) == app.NEED_LOGIN
        assert app.NEED_LOGIN in app.show_article(token, SimpleNamespace(value="特种设备安全法/93"), req)[1]
        assert app.rate_message(answered, "", token, like(1), req)[0] == app.NEED_LOGIN
        assert app.open_conversation(token, SimpleNamespace(value="x"), req)[-1] == app.NEED_LOGIN
        assert app.new_chat(token, "", req)[-1] == app.NEED_LOGIN
        assert all(not isinstance(x, str) for x in app.restore(token, req))  # nothing restored, nothing wiped
        assert all(not isinstance(x, (list, str)) for x in app.resume(token, req))  # nothing shown
        assert app.quiz_make(token, [], [], [], 3, 0, 0, 0, "中", 0, req) == ([], [], app.NEED_LOGIN)
        assert app.export("xlsx")(token, [{"qtype": "单选"}], req) == (None, app.NEED_LOGIN)
    assert no_answers == [] and feedback.all_feedback() == [] and audit.rows() == []


def test_officer_handlers_work_with_a_login_from_the_same_client(home, no_answers):
    auth.add_user("feng", "officer-pass", "officer")
    auth.add_user("chen", "trainer-pass", "trainer")
    token = auth.login("feng", "officer-pass", "127.0.0.1").token
    hist, q, sid, last, panel, *_, state, convs, status = officer_final("出具虚假报告怎么罚", [], token, "", request())
    assert "机密回答" in hist[-1]["content"] and q == "" and sid and "第九十三条" in panel and status == ""
    assert no_answers[-1][2] == "officer" and no_answers[-1][1] == f"feng:{sid}"
    assert app.show_basis(last, token, request()) == "依据……"
    assert "已记录" in app.rate_message(state, "金额有误", token, like(1, False), request())[0]
    assert "已评价过" in app.rate_message(state, "", token, like(1, True), request())[0]  # once per answer
    assert feedback.all_feedback()[0]["comment"] == "金额有误" and len(feedback.all_feedback()) == 1
    assert "出具虚假报告怎么罚" in convs
    assert audit.rows()[0]["action"] == "ask" and audit.rows()[0]["user"] == "feng"
    # the same token from another address is refused
    hist, *_ = officer_final("出具虚假报告怎么罚", [], token, sid, request("10.0.0.9"))
    assert hist[-1]["content"] == app.NEED_LOGIN
    # a trainer may ask too, in trainer mode
    tt = auth.login("chen", "trainer-pass", "127.0.0.1").token
    officer_final("出具虚假报告怎么罚", [], tt, "", request())
    assert no_answers[-1][2] == "trainer"


def test_public_handler_is_forced_to_public_mode_and_rate_limited(no_answers, monkeypatch):
    monkeypatch.setattr("ui.handlers.PUBLIC_LIMITS", PublicLimits(per_session=3, per_address=5, window_s=60))
    replies = [app.public_ask("什么是检验检测报告？", [], request("9.9.9.9", "p1"))[0][-1]["content"] for _ in range(4)]
    assert all("公开回答" in r for r in replies[:3]) and "过于频繁" in replies[3]
    assert {mode for _, _, mode in no_answers} == {"public"} and all(s is None for _, s, _ in no_answers)
    # malformed history from the client is dropped, and the history is bounded
    hist, _, _ = app.public_ask("什么是检验检测报告？", ["junk", {"role": "system", "content": "x"}],
                                request("9.9.9.9", "p2"))
    assert [m["role"] for m in hist] == ["user", "assistant"]
    big = [{"role": "user", "content": "x"}] * 500
    hist, _, _ = app.public_ask("什么是检验检测报告？", big, request("8.8.8.8", "p3"))
    assert len(hist) <= app.MAX_HISTORY + 2


# -- the app's wiring ---------------------------------------------------------------------------------------

def test_app_exposes_only_the_public_endpoint_with_deliberate_limits():
    demo = app.build_app()
    fns = [f for f in demo.fns.values() if f.fn is not None]
    public = [f for f in fns if f.api_visibility != "private"]
    assert [f.api_name for f in public] == ["public_ask"]
    by_name = {f.name: f for f in fns}
    assert by_name["public_ask"].concurrency_id == "public" and by_name["public_ask"].concurrency_limit == 2
    assert by_name["officer_ask"].concurrency_id == "answer" and by_name["do_login"].concurrency_id == "login"
    assert by_name["quiz_make"].concurrency_id == by_name["export_xlsx"].concurrency_id == "quiz"
    assert demo._queue.max_size == 200 and demo._queue.default_concurrency_limit == 2
    assert demo.api_open is False
    # every officer/trainer handler takes the server-side token (a gr.State) as an input
    states = {b._id for b in demo.blocks.values() if isinstance(b, gr.State)}
    for f in fns:
        if f.name not in ("public_ask", "load_example", "do_login"):  # restore reads the cookie and the state
            assert any(i._id in states for i in f.inputs), f.name

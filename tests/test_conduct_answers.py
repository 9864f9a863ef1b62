"""Answers chosen from the conduct catalogue: the actor's own provision, the asker is not the actor, doubt is
shown as two readings, off-topic follow-ups are declined, traditional Chinese gets the same lead."""

from __future__ import annotations

import pytest

from assistant import ask
from assistant.session import get_session
from assistant.understand import detect_who, understand


@pytest.mark.parametrize("text,who,asker", [
    ("物业找的检测公司出了假报告怎么罚", "检验检测机构", None),
    ("我局执法人员检查发现某小区物业的电梯没有年检，应如何定性", "特种设备使用单位", "authority"),
    ("市场监管部门核查发现检测机构篡改数据，应如何定性", "检验检测机构", "authority"),
    ("车主用了伪造的检验合格标志", "机动车所有人", None),
])
def test_actor_is_who_did_it_not_who_asks(text, who, asker):
    assert detect_who(text) == (who, asker)


def test_traditional_is_read_as_simplified():
    u = understand("電梯檢驗機構出具虛假報告罰多少？")
    assert u.script == "traditional" and "检验机构" in u.text


@pytest.mark.usefixtures("built_home")
def test_an_officer_describing_a_lab_gets_the_labs_article_not_the_officials():
    a = ask("市场监管部门核查发现某检验检测机构出具虚假检验检测报告，应如何定性处罚？")
    assert not a.lead.startswith("检验检测机构监督管理办法/28"), a.lead
    assert a.lead.startswith("检验检测机构监督管理办法/27"), a.lead


@pytest.mark.usefixtures("built_home")
def test_an_elevator_user_gets_the_users_article():
    a = ask("小区物业管理的电梯使用登记都没办就投入使用了，怎么处罚？")
    leads = [a.lead, *a.readings]
    assert any(x.startswith("特种设备安全法/83") for x in leads), leads
    assert not any(x.startswith("特种设备安全法/93") for x in leads), leads


@pytest.mark.usefixtures("built_home")
def test_traditional_question_gets_the_same_lead_and_a_traditional_answer():
    s = ask("检验机构出具虚假报告罚多少？依据哪条？")
    t = ask("檢驗機構出具虛假報告罰多少？依據哪條？")
    assert t.lead == s.lead and t.script == "traditional"
    assert "罰款" in t.markdown and t.citations[0].text == s.citations[0].text  # clauses stay verbatim


@pytest.mark.usefixtures("built_home")
def test_off_topic_follow_up_does_not_inherit_the_previous_answer():
    sess = get_session("off-topic-test")
    first = ask("电梯检验机构出具虚假报告怎么罚", session=sess)
    assert first.lead.startswith("特种设备安全法/93")
    other = ask("今天天气怎么样", session=sess)
    assert other.declined and not other.citations
    again = ask("那情节严重呢？", session=sess)
    assert again.lead.startswith("特种设备安全法/93")


@pytest.mark.usefixtures("built_home")
def test_close_rivals_are_shown_as_two_readings_not_a_guess():
    a = ask("设备出问题了报告也不对，罚多少")
    assert a.declined or a.readings or a.confidence < 0.5


def test_missing_mission_document_is_said_at_the_top_and_named_documents_are_declined(tmp_path, monkeypatch):
    """A mistyped corpus directory: every answer says which mission documents are missing and where it looked;
    a question naming one of them is declined instead of answered from another law."""
    from assistant import retrieve
    from corpus import load as corpus_load

    monkeypatch.setenv("YIJU_CORPUS_DIRS", str(tmp_path / "nope"))
    corpus_load._cached.cache_clear()
    try:
        a = ask("检验检测机构监督管理办法第二十七条怎么规定的")
        assert a.declined and "检验检测机构监督管理办法" in a.conclusion
        assert "语料缺少任务文件" in a.markdown.split("###")[0] and str(tmp_path / "nope") in a.markdown
        b = ask("今天天气怎么样")
        assert "语料缺少任务文件" in b.markdown and b.confidence < 0.5
    finally:
        corpus_load._cached.cache_clear()
        retrieve.reset()


def test_a_follow_up_with_nothing_to_continue_asks_for_the_whole_question():
    a = ask("那情节严重呢？", session=get_session("orphan-follow-up-test"))
    assert a.declined and a.clarify and not a.citations
    b = ask("那情节严重呢？")
    assert b.declined and not b.citations

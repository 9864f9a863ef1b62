"""Optional LLM path: a local OpenAI-compatible HTTP server on loopback (tests/llm_stub.py) stands in for the
endpoint, one-shot JSON or streamed server-sent events.

The whole client path (langchain-openai → HTTP → JSON/SSE) is real; only the model's words are scripted.
Streaming: checked sentences reach the caller (and the page's handler) before the stream ends, a sentence that
fails the check never does, and the answer served is the one the one-shot path serves for the same words."""

from __future__ import annotations

import json
import time

import pytest

from assistant import ask
from assistant.citations import check
from assistant.llm import Sentences
from tests.conftest import OFFICER
from tests.llm_stub import BAD, BAD_MARKERS, BAD_SENTENCE, GOOD, LLMStub, Q, Script, pieces


@pytest.fixture()
def llm(monkeypatch, built_home):
    with LLMStub() as stub:
        monkeypatch.setenv("YIJU_LLM_BASE_URL", stub.url)
        monkeypatch.setenv("YIJU_LLM_TIMEOUT", "2")
        yield stub


@pytest.fixture(params=["stream", "one-shot"])
def mode(request, monkeypatch) -> str:
    monkeypatch.setenv("YIJU_LLM_STREAM", "1" if request.param == "stream" else "0")
    return request.param


def say(llm: LLMStub, text: str, **kw) -> None:
    llm.script = Script(pieces(text), **kw)


def test_good_llm_output_is_served(llm, mode):
    say(llm, "依据《中华人民共和国特种设备安全法》第九十三条[1]，对机构处五万元以上二十万元以下罚款，"
             "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款。")
    a = ask(Q)
    assert a.generator == "llm", a.warnings
    assert "模型整理" in a.markdown and "第九十三条" in a.markdown
    assert llm.seen[0].get("stream", False) is (mode == "stream")
    prompt = llm.seen[0]["messages"][1]["content"]
    assert "第九十三条" in prompt and "参考答案" in prompt


def test_fabricated_citation_falls_back(llm, mode):
    say(llm, "依据《中华人民共和国特种设备安全法》第九十九条第五款，罚款一百万元。")
    a = ask(Q)
    assert a.generator == "extractive"
    assert any("未通过引用核查" in w for w in a.warnings)
    assert "第九十九条" not in a.markdown


def test_citation_outside_retrieved_set_falls_back(llm, mode):
    say(llm, "依据《中华人民共和国刑法》第一条处理。")
    a = ask(Q)
    assert a.generator == "extractive" and any("不在检索到的条文中" in w for w in a.warnings)


def test_timeout_falls_back(llm, mode):
    say(llm, "依据《中华人民共和国特种设备安全法》第九十三条[1]。", stall_at=0, stall=3.5)
    a = ask(Q)
    assert a.generator == "extractive" and any("LLM 不可用" in w for w in a.warnings)
    assert a.citations[0].provision_id == "特种设备安全法/93"


def test_endpoint_down_falls_back(monkeypatch, built_home, mode):
    monkeypatch.setenv("YIJU_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("YIJU_LLM_TIMEOUT", "2")
    a = ask(Q)
    assert a.generator == "extractive" and a.citations


# -- streaming --------------------------------------------------------------------------------------------------

def test_sentences_are_cut_after_stops_and_line_ends_but_not_inside_quotes():
    cut = Sentences()
    got = cut.feed("甲。乙：“丙。丁。”戊；| a | b |\n- 项")
    assert got == ["甲。", "乙：“丙。丁。”戊；", "| a | b |\n"] and cut.rest == "- 项"
    assert Sentences().feed("见《某法。》第一条。") == ["见《某法。》第一条。"]


@pytest.mark.parametrize("script", ["good", "bad", "stall"])
def test_streamed_answer_equals_the_one_shot_answer(llm, monkeypatch, script):
    text = BAD if script == "bad" else GOOD
    kw = {"stall_at": 12, "stall": 3.5} if script == "stall" else {}
    answers = {}
    for stream in ("1", "0"):
        monkeypatch.setenv("YIJU_LLM_STREAM", stream)
        say(llm, text, **kw)
        answers[stream] = ask(Q, on_text=lambda _: None)
    one, streamed = answers["0"], answers["1"]
    assert (streamed.markdown, streamed.generator, streamed.warnings) == (one.markdown, one.generator, one.warnings)
    assert streamed.generator == ("llm" if script == "good" else "extractive")


def test_checked_sentences_arrive_before_the_stream_ends(llm):
    say(llm, GOOD, gap=0.03)
    seen: list[tuple[str, int]] = []
    a = ask(Q, on_text=lambda t: seen.append((t, llm.finished)))
    assert a.generator == "llm", a.warnings
    assert seen[0][1] == 0 and sum(1 for _, done in seen if done == 0) >= 4  # while the model was still writing
    texts = [t for t, _ in seen]
    assert all(y.startswith(x) and len(y) > len(x) for x, y in zip(texts, texts[1:], strict=False))  # it grows
    assert all(check(t, a_corpus()).ok and t.count("“") == t.count("”") for t in texts)  # never half a quote
    assert GOOD.strip() in a.markdown and a.markdown.startswith("### 回答（模型整理，已通过引用核查）")
    assert check(a.markdown, a_corpus(), allow_repealed=True).ok


def test_a_sentence_that_fails_stops_the_stream_and_is_never_shown(llm):
    say(llm, BAD, gap=0.05)
    seen: list[str] = []
    a = ask(Q, on_text=seen.append)
    assert llm.finished == 0  # the stream was dropped, not read to its end
    assert seen and all(m not in t for t in seen for m in BAD_MARKERS)
    assert a.generator == "extractive" and all(m not in a.markdown for m in BAD_MARKERS)
    assert any("未通过引用核查" in w and "第九十六条" in w for w in a.warnings)
    assert check(a.markdown, a_corpus(), allow_repealed=True).ok


def test_a_stall_past_the_timeout_falls_back(llm):
    say(llm, GOOD, stall_at=20, stall=3.5)
    seen: list[str] = []
    a = ask(Q, on_text=seen.append)
    assert seen and a.generator == "extractive" and any("LLM 不可用" in w for w in a.warnings)


def test_the_streamed_total_is_bounded(llm, monkeypatch):
    monkeypatch.setenv("YIJU_LLM_STREAM_TOTAL", "1")
    say(llm, GOOD * 3, gap=0.1)  # no silence reaches the 2 s timeout, but the whole reply takes ~20 s
    t0 = time.monotonic()
    a = ask(Q, on_text=lambda _: None)
    assert a.generator == "extractive" and any("LLM 不可用（TimeoutError）" in w for w in a.warnings)
    assert time.monotonic() - t0 < 8


def a_corpus():
    from corpus.load import load_corpus

    return load_corpus()


# -- the page's handler ------------------------------------------------------------------------------------------

def officer_run(question: str) -> list[tuple]:
    """Every message the officer handler yields, as Gradio would collect them."""
    from types import SimpleNamespace

    from ui import auth, handlers

    auth.add_user(*OFFICER, role="officer")
    token = auth.login(*OFFICER, "127.0.0.1").token
    req = SimpleNamespace(client=SimpleNamespace(host="127.0.0.1"), session_hash="stream-test")
    return list(handlers.officer_ask(question, [], token, "", req))


def test_the_handler_grows_the_answer_and_ends_as_without_streaming(llm, monkeypatch):
    say(llm, GOOD, gap=0.03)
    yields = officer_run(Q)
    assert len(yields) >= 4, len(yields)  # the bubble grew before the answer was done
    growing = [y[0][-1]["content"] for y in yields[:-1]]
    assert all("模型整理中" in g and "answer-top" not in g for g in growing)
    final = yields[-1]
    assert "模型整理，已通过引用核查" in final[0][-1]["content"] and "第九十三条" in final[4]
    assert check(final[8][-1]["content"], a_corpus(), allow_repealed=True).ok
    monkeypatch.setenv("YIJU_LLM_STREAM", "0")
    say(llm, GOOD)
    (one,) = officer_run(Q)  # one-shot: a single yield, the same answer and clause panel

    def same(y: tuple) -> tuple[str, str]:
        return y[0][-1]["content"].replace(y[3]["aid"], "AID"), y[4].replace(y[3]["aid"], "AID")

    assert same(one) == same(final)


def test_the_handler_never_yields_the_bad_sentence(llm):
    say(llm, BAD, gap=0.03)
    yields = officer_run(Q)
    dumped = [json.dumps(y, ensure_ascii=False, default=str) for y in yields]
    assert len(yields) >= 2 and all(BAD_SENTENCE not in d and "一百万元" not in d for d in dumped)
    assert all("第九十六条" not in m["content"] for y in yields for m in y[0])  # nowhere in the chat
    final = yields[-1]
    # the clause panel's warning names the rejected citation (as without streaming), not the sentence
    assert "模型整理" not in final[0][-1]["content"] and "未通过引用核查（《中华人民共和国特种设备安全法》第九十六条" in final[4]
    assert check(final[8][-1]["content"], a_corpus(), allow_repealed=True).ok
    assert any("模型整理中" in y[0][-1]["content"] for y in yields[:-1])  # good sentences were shown first


def test_a_repealed_text_is_held_until_the_words_after_it_are_written(built_home):
    """'…第九十九条处罚。该法已废止，按行为时的旧法引用。' passes (the words after the citation say it is the old
    law): the first sentence waits for them instead of failing; without them it fails once they can no longer come."""
    from assistant.llm import Checked, Rejected

    corpus, cited, shown = a_corpus(), {"大气污染防治法/99"}, []
    assert corpus.documents["大气污染防治法"].status == "已废止"
    held = Checked(corpus, cited, shown.append)
    held.add("依据《大气污染防治法》第九十九条处罚。")
    assert shown == [] and held.held
    held.add("该法已废止，此处按行为时的旧法引用。")
    assert shown == ["依据《大气污染防治法》第九十九条处罚。该法已废止，此处按行为时的旧法引用。"]
    bare = Checked(corpus, cited, shown.append)
    bare.add("依据《大气污染防治法》第九十九条处罚。")
    with pytest.raises(Rejected, match="已废止"):
        bare.add("对排污单位处十万元以上一百万元以下罚款，情节严重的，报经有批准权的人民政府批准，责令停业、关闭，"
                 "并由主管部门依法没收其违法所得和用于违法活动的设备。")
    assert len(shown) == 1


def test_yiju_ask_stream_prints_checked_sentences_on_stderr(llm):
    from click.testing import CliRunner

    from ui.cli import cli

    say(llm, GOOD, gap=0.01)
    out = CliRunner().invoke(cli, ["ask", "--stream", Q])
    assert out.exit_code == 0, out.output
    assert "模型整理中" in out.stderr and "对机构处五万元以上二十万元以下罚款；" in out.stderr
    assert out.stdout.startswith("### 回答（模型整理，已通过引用核查）") and "模型整理中" not in out.stdout
    say(llm, BAD, gap=0.01)
    out = CliRunner().invoke(cli, ["ask", "--stream", Q])
    assert "抽取式答案" in out.stderr and all(m not in out.stderr + out.stdout for m in BAD_MARKERS)

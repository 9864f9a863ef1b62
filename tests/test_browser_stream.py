"""Streaming with an LLM, in Debian chromium at 1366×768: the officer's answer bubble grows sentence by sentence
(the "正在检索…" echo first, then only sentences that passed the citation check), and a reply with a sentence that
cites an article the assistant did not retrieve never shows that sentence: the page falls back to the extractive
answer with the warning. The endpoint is tests/llm_stub.py (a real loopback SSE server; there is no LLM here).
Screenshots: test-artifacts/ui-stream-*.png."""

from __future__ import annotations

import pytest

from tests import test_browser_ui
from tests.conftest import OFFICER
from tests.llm_stub import BAD, BAD_MARKERS, GOOD, Q, Script, pieces
from tests.test_browser_ui import SIZES, login, open_page, shot, text_of

pytestmark = [pytest.mark.slow, pytest.mark.browser]
# Every distinct text the officer chat shows, however briefly (in order).
WATCH = """(sel) => { window.__snaps = []; const el = document.querySelector(sel);
  const take = () => { const t = el.innerText; if (window.__snaps[window.__snaps.length - 1] !== t &&
    window.__snaps.length < 2000) window.__snaps.push(t); };
  new MutationObserver(take).observe(el, {subtree: true, childList: true, characterData: true}); take(); }"""
GROWING = "模型整理中"
chromium = test_browser_ui.chromium  # the module-scoped Debian chromium fixture


def asked(pg, question: str) -> list[str]:
    """Ask, wait for the finished answer, and return what the chat showed on the way (after the question)."""
    before = pg.evaluate("document.querySelectorAll('#officer-chat .answer-top').length")
    pg.evaluate(WATCH, "#officer-chat")
    pg.fill("#officer-q textarea", question)
    pg.press("#officer-q textarea", "Enter")
    pg.wait_for_function(f"document.querySelectorAll('#officer-chat .answer-top').length > {before}",
                         timeout=120_000)
    pg.wait_for_timeout(400)
    return pg.evaluate("window.__snaps")


@pytest.fixture(params=list(SIZES))
def officer_page(request, chromium, llm_app_server):
    """A logged-in officer page at each width (1366×768 and 390×844)."""
    base, stub = llm_app_server
    with open_page(chromium, base, request.param) as (_, pg):
        login(pg, *OFFICER)
        pg.size = request.param
        yield pg, stub


def test_the_answer_bubble_grows_sentence_by_sentence(officer_page):
    pg, stub = officer_page
    stub.script = Script(pieces(GOOD), gap=0.12)
    before = pg.evaluate("document.querySelectorAll('#officer-chat .answer-top').length")
    pg.evaluate(WATCH, "#officer-chat")
    pg.fill("#officer-q textarea", Q)
    pg.press("#officer-q textarea", "Enter")
    pg.wait_for_function(f"{text_of('#officer-chat')}.includes('{GROWING}') && "
                         f"{text_of('#officer-chat')}.includes('对机构处五万元')", timeout=120_000)
    shot(pg, "stream-growing", pg.size)  # a few checked sentences shown, the rest still being written
    pg.wait_for_function(f"document.querySelectorAll('#officer-chat .answer-top').length > {before}",
                         timeout=120_000)
    pg.wait_for_timeout(400)
    snaps = [s for s in pg.evaluate("window.__snaps") if Q in s]
    growing = [s.split(Q, 1)[1] for s in snaps if GROWING in s]
    assert len(set(growing)) >= 3, growing  # it grew several times before the answer was done
    first = next(i for i, s in enumerate(snaps) if GROWING in s)
    assert any("正在检索" in s for s in snaps[:first])  # the echo came first and stayed until then
    assert all("正在检索" in s or GROWING in s or "已通过引用核查" in s for s in snaps)  # never an empty bubble
    chat = pg.inner_text("#officer-chat")
    assert "模型整理，已通过引用核查" in chat and GROWING not in chat
    assert "特种设备检验、检测机构及其检验、检测人员应当客观、公正" in chat
    assert pg.locator("#clause-panel .clause").count() >= 2
    shot(pg, "stream-done", pg.size)


def test_a_sentence_that_fails_the_check_is_never_seen(officer_page):
    pg, stub = officer_page
    stub.script = Script(pieces(BAD), gap=0.12)
    snaps = asked(pg, Q)
    assert any(GROWING in s for s in snaps)  # the good sentences before it were shown
    assert all(m not in s for s in snaps for m in BAD_MARKERS)
    chat = pg.inner_text("#officer-chat")
    assert "模型整理" not in chat.split(Q)[-1] and "违法行为认定" in chat  # the extractive answer
    assert all(m not in chat for m in BAD_MARKERS)
    pg.wait_for_function(f"{text_of('#clause-panel')}.includes('未通过引用核查')", timeout=10_000)
    shot(pg, "stream-fallback", pg.size)

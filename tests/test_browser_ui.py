"""The page as an officer and a visitor use it, in Debian chromium at 1366×768 and 390×844 (issue 17): answer
first with the question box in view, the question echoed at once, Enter/Shift+Enter, empty and over-long
questions, Chinese labels, the public landing tab, article text and 12315 for visitors, clickable [n] markers
with the panel in step, the login kept across a reload with a conversation list, per-answer feedback and the
copy fallback, the penalty table on a phone. Screenshots go to test-artifacts/ui-*.png."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import ARTIFACTS, OFFICER, TRAINER

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
PENALTY_Q = "电梯检验机构出具虚假报告怎么罚"
# Gradio's own English strings that must not reach the page.
ENGLISH = {"Copy message", "Copied message", "Like", "Dislike", "Clear", "Scroll down", "Share", "Retry", "Undo",
           "Error", "Use via API", "More tabs", "chatbot conversation"}
# Counts every time the chat shows "正在检索…", however briefly.
WATCH_PENDING = """(sel) => { window.__pending = 0; const el = document.querySelector(sel);
  new MutationObserver(() => { if (el.innerText.includes('正在检索')) window.__pending += 1; })
    .observe(el, {subtree: true, childList: true, characterData: true}); }"""


def text_of(selector: str) -> str:
    return f"(document.querySelector({selector!r}) || {{innerText: ''}}).innerText"


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run `make browser` (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(chromium, app_server, size: str, locale: str = "zh-CN", no_clipboard: bool = False
              ) -> Iterator[tuple]:
    """(browser context, page) with the page loaded at that size; the context is closed afterwards."""
    width, height = SIZES[size]
    ctx = chromium.new_context(viewport={"width": width, "height": height}, locale=locale)
    if no_clipboard:  # as on a plain-HTTP LAN host
        ctx.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});")
    try:
        pg = ctx.new_page()
        pg.goto(app_server)
        pg.wait_for_selector("#public-q textarea", timeout=60_000)
        pg.wait_for_function("window.yijuCopy !== undefined", timeout=30_000)
        settle(pg)  # the page's own load events (login cookie check) re-render boxes: act after them
        yield ctx, pg
    finally:
        ctx.close()


def settle(pg) -> None:
    """Wait until the page's load-time requests are done (on a loaded CI box they can finish after the first
    click and re-render the question box, wiping its hint); a page that keeps a connection open is not waited for."""
    try:
        pg.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # playwright's TimeoutError: go on, the tests' own waits still apply
        pass


def shot(pg, name: str, size: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"ui-{name}-{size}.png"))


def login(pg, user: str, password: str) -> None:
    if not pg.is_visible("#login-user textarea"):
        pg.click("#login-box .label-wrap")
    pg.fill("#login-user textarea", user)
    pg.fill("#login-pass input", password)
    pg.click("#login-btn")
    pg.wait_for_function(f"{text_of('#login-box')}.includes('已登录')", timeout=30_000)


def ask(pg, question: str, box: str = "#officer-q", chat: str = "#officer-chat") -> None:
    """Type the question and press Enter; wait for the answer to replace the pending bubble."""
    before = pg.evaluate(f"document.querySelectorAll('{chat} .answer-top').length")
    pg.fill(f"{box} textarea", question)
    pg.press(f"{box} textarea", "Enter")
    pg.wait_for_function(f"document.querySelectorAll('{chat} .answer-top').length > {before} || "
                         f"{text_of(chat)}.includes('请先登录')", timeout=120_000)
    pg.wait_for_timeout(400)  # the scroll to the answer's top


def in_view(pg, selector: str) -> bool:
    return pg.evaluate(f"""(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }})()""")


def answer_top_in_view(pg, chat: str) -> bool:
    """The newest answer's first line is at the top of the chat's scrolled view (not scrolled past)."""
    return pg.evaluate(f"""(() => {{
        const tops = document.querySelectorAll('{chat} .answer-top'), top = tops[tops.length - 1];
        const box = [...document.querySelectorAll('{chat} *')].find((e) => e.scrollHeight > e.clientHeight + 4 &&
            ['auto', 'scroll'].includes(getComputedStyle(e).overflowY));
        const t = top.getBoundingClientRect().top, b = box.getBoundingClientRect();
        return t >= b.top - 2 && t <= b.top + 80; }})()""")


@pytest.mark.parametrize("size", SIZES)
def test_visitor_lands_on_public_tab_gets_article_text_and_12315(chromium, app_server, size):
    with open_page(chromium, app_server, size) as (ctx, pg):
        assert pg.evaluate("document.querySelector('[role=tab][aria-selected=true]').innerText").strip() == "公众咨询"
        pg.click("#login-box .label-wrap")
        body = pg.inner_text("body")
        assert "yiju users add" not in body and "yiju" not in pg.inner_text("#login-box").lower()
        assert pg.locator("[aria-label='Share'], [aria-label='分享'], [title='Share']").count() == 0
        ask(pg, "给我看特种设备安全法第九十三条", "#public-q", "#public-chat")
        chat = pg.inner_text("#public-chat")
        assert "《中华人民共和国特种设备安全法》第九十三条" in chat and "（八）利用检验工作故意刁难相关单位的" in chat
        assert answer_top_in_view(pg, "#public-chat")  # the view starts at the answer, not at the disclaimer
        shot(pg, "public-article", size)
        ask(pg, "我怀疑检测报告是假的，去哪里投诉举报？", "#public-q", "#public-chat")
        last = pg.inner_text("#public-chat").split("我怀疑检测报告是假的")[-1]
        assert "12315" in last and "第二十四条" in last
        assert "资质认定管理办法》第三十八条" not in last and "第五十六条" not in last  # not on point here
        assert answer_top_in_view(pg, "#public-chat")
        shot(pg, "public-complaint", size)


@pytest.mark.parametrize("size", SIZES)
def test_officer_answer_first_echo_markers_and_phone_layout(chromium, app_server, size):
    with open_page(chromium, app_server, size) as (ctx, pg):
        login(pg, *OFFICER)
        pg.evaluate(WATCH_PENDING, "#officer-chat")
        ask(pg, PENALTY_Q)
        assert pg.evaluate("window.__pending") > 0  # the question was echoed with "正在检索…" before the answer
        chat = pg.inner_text("#officer-chat")
        assert PENALTY_Q in chat and chat.index("结论") < chat.index("处罚依据与幅度") < chat.index("版本与效力")
        folds = pg.evaluate("[...document.querySelectorAll('#officer-chat details.fold')].map(d => "
                            "[d.querySelector('summary').innerText, d.open])")
        assert ["版本与效力", False] in folds and ["引用条文", False] in folds and ["相关案例", False] in folds
        assert "5万元以上20万元以下罚款" in chat  # the penalty table is open
        assert in_view(pg, "#officer-q textarea") or size == "phone"
        shot(pg, "officer-answer", size)
        # [n] selects the card of this answer and marks it
        pg.locator("#officer-chat a.cite[href$='-2']").first.click()
        pg.wait_for_function("document.querySelector('#clause-panel .clause.flash') !== null", timeout=10_000)
        assert pg.get_attribute("#clause-panel .clause.flash", "data-n") == "2"
        assert pg.is_visible("#clause-panel .clause.flash")
        if size == "phone":
            _phone_layout(pg)
        shot(pg, "officer-marker", size)


def _phone_layout(pg) -> None:
    """The penalty table scrolls sideways (no one-character columns); the cited clauses follow the answer."""
    table = pg.evaluate("""(() => { const t = document.querySelector('#officer-chat table');
        return {display: getComputedStyle(t).display, overflow: getComputedStyle(t).overflowX,
                narrowest: Math.min(...[...t.querySelectorAll('th')].map((c) => c.getBoundingClientRect().width))}; })()""")
    assert table["display"] == "block" and table["overflow"] == "auto" and table["narrowest"] >= 60, table
    y = {s: pg.evaluate(f"document.querySelector({s!r}).getBoundingClientRect().top + window.scrollY")
         for s in ("#officer-q", "#clause-panel", "#basis-btn")}
    assert y["#officer-q"] < y["#clause-panel"] < y["#basis-btn"], y


def test_panel_stays_in_step_with_the_answer_read(chromium, app_server):
    with open_page(chromium, app_server, "desktop") as (ctx, pg):
        login(pg, *OFFICER)
        ask(pg, PENALTY_Q)
        ask(pg, "检验检测报告保存多少年？")
        aids = pg.evaluate("[...document.querySelectorAll('#officer-chat .answer-top')].map(a => a.id.slice(7))")
        visible = "[...document.querySelectorAll('#clause-panel section.answer-cites')].filter(s => !s.hidden)" \
                  ".map(s => s.dataset.aid)"
        assert len(aids) == 2 and pg.evaluate(visible) == [aids[1]]
        pg.wait_for_timeout(1500)  # the page scrolls to a new answer 80 and 500 ms after it arrives (later on a loaded box)
        pg.locator(f"#officer-chat a.cite[href='#cite-{aids[0]}-1']").first.click()
        pg.wait_for_function(f"({visible}).join() === '{aids[0]}'", timeout=20_000)
        assert "第九十三条" in pg.inner_text("#clause-panel")
        pg.evaluate("(aid) => document.getElementById('answer-' + aid).scrollIntoView({block: 'start'})", aids[1])
        pg.wait_for_function(f"({visible}).join() === '{aids[1]}'", timeout=20_000)
        shot(pg, "officer-panel-in-step", "desktop")


@pytest.mark.parametrize("size", SIZES)
def test_question_box_rules(chromium, app_server, size):
    with open_page(chromium, app_server, size) as (ctx, pg):
        before = pg.inner_text("#public-chat")
        pg.click("#public-send")  # empty: said in Chinese, nothing sent
        pg.wait_for_function(f"{text_of('#public-q')}.includes('请输入问题')", timeout=30_000)
        pg.wait_for_timeout(1000)
        assert pg.inner_text("#public-chat") == before
        pg.fill("#public-q textarea", "第一行")
        pg.press("#public-q textarea", "Shift+Enter")
        pg.keyboard.type("第二行")
        assert pg.input_value("#public-q textarea") == "第一行\n第二行"  # Shift+Enter breaks the line, sends nothing
        pg.fill("#public-q textarea", "什么是检验检测报告？" * 60)  # 600 characters
        pg.wait_for_function(f"{text_of('#public-q')}.includes('600 / 500')", timeout=30_000)
        ask(pg, "什么是检验检测报告？" * 60, "#public-q", "#public-chat")
        assert "超过 500 字的上限" in pg.inner_text("#public-chat")
        login(pg, *OFFICER)
        long_q = "电梯检验机构出具虚假报告怎么罚，" * 75  # 1,200 characters
        pg.fill("#officer-q textarea", long_q)
        pg.wait_for_function(f"{text_of('#officer-q')}.includes('1200 / 1000')", timeout=30_000)
        assert "超出部分不会被检索" in pg.inner_text("#officer-q")
        shot(pg, "officer-long-question", size)
        before = pg.evaluate("document.querySelectorAll('#officer-chat .answer-top').length")
        pg.press("#officer-q textarea", "Enter")
        pg.press("#officer-q textarea", "Enter")  # again at once: refused while the first is answered
        assert "正在检索，请稍候" in pg.inner_text("#officer-q")
        pg.wait_for_function(f"document.querySelectorAll('#officer-chat .answer-top').length > {before}",
                             timeout=120_000)
        pg.wait_for_timeout(2000)
        assert pg.evaluate("document.querySelectorAll('#officer-chat .answer-top').length") == before + 1
        assert "超过 1000 字的上限" in pg.inner_text("#officer-status")
        pg.click("#officer-send")
        pg.wait_for_function(f"{text_of('#officer-q')}.includes('请输入问题')", timeout=30_000)


def test_login_kept_across_reload_with_conversation_list(chromium, app_server):
    with open_page(chromium, app_server, "desktop") as (ctx, pg):
        login(pg, *OFFICER)
        for _ in range(50):  # the page exchanges its one-time ticket for the cookie just after the login
            cookie = next((c for c in ctx.cookies() if c["name"] == "yiju_session"), None)
            if cookie:
                break
            pg.wait_for_timeout(200)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert pg.evaluate("document.cookie").find("yiju_session") < 0  # not readable by the page's script
        first = f"检验检测报告保存多少年？（{uuid.uuid4().hex[:6]}）"
        ask(pg, first)
        pg.reload()
        pg.wait_for_function(f"{text_of('#login-box')}.includes('已登录')", timeout=60_000)
        assert pg.evaluate("document.querySelector('[role=tab][aria-selected=true]').innerText").strip() == "执法人员"
        pg.wait_for_function(f"{text_of('#conv-list')}.includes({first[:20]!r})", timeout=30_000)
        pg.wait_for_function(f"{text_of('#officer-chat')}.includes({first!r})", timeout=30_000)  # chat is back
        assert "第" in pg.inner_text("#clause-panel")  # with its cited clauses
        pg.click("#officer-new")
        pg.wait_for_function(f"{text_of('#officer-status')}.includes('已开始新对话')", timeout=30_000)
        assert first not in pg.inner_text("#officer-chat")
        ask(pg, PENALTY_Q)
        pg.locator("#conv-list [data-cid]", has_text=first[:20]).click()
        pg.wait_for_function(f"{text_of('#officer-chat')}.includes({first!r})", timeout=30_000)
        assert PENALTY_Q not in pg.inner_text("#officer-chat")
        shot(pg, "officer-history", "desktop")
        pg.click("#login-box .label-wrap")  # folded after the login
        pg.click("#logout-btn")
        pg.wait_for_function(f"{text_of('#login-msg')}.includes('已退出')", timeout=30_000)
        pg.wait_for_timeout(500)
        assert not [c for c in ctx.cookies() if c["name"] == "yiju_session"]
        pg.reload()
        pg.wait_for_selector("#public-q textarea", timeout=60_000)
        pg.wait_for_timeout(1500)
        assert "已登录" not in pg.inner_text("#login-box")


@pytest.mark.parametrize("size", SIZES)
def test_feedback_once_per_answer_and_copy_without_clipboard_api(chromium, app_server, size):
    from ui import feedback

    with open_page(chromium, app_server, size, no_clipboard=True) as (ctx, pg):
        login(pg, *OFFICER)
        ask(pg, PENALTY_Q)
        note = f"罚款幅度准确 {uuid.uuid4().hex[:6]}"
        pg.fill("#fb-comment textarea", note)
        pg.locator("#officer-chat button[aria-label*='👍']").last.click()
        pg.wait_for_function(f"{text_of('#fb-msg')}.includes('已记录')", timeout=30_000)
        pg.locator("#officer-chat button[aria-label*='👎']").last.click()
        pg.wait_for_function(f"{text_of('#fb-msg')}.includes('已评价过')", timeout=30_000)
        rows = [r for r in feedback.all_feedback() if r["comment"] == note]
        assert len(rows) == 1 and rows[0]["rating"] == "up" and "特种设备安全法/93" in rows[0]["citations"]
        assert pg.evaluate("navigator.clipboard === undefined")
        pg.click("#basis-btn")
        pg.wait_for_function(f"{text_of('#copy-msg')}.length > 0", timeout=30_000)
        msg = pg.inner_text("#copy-msg")
        assert "已复制" in msg or "Ctrl+C" in msg, msg
        assert pg.input_value("#basis textarea").startswith("当事人的")
        shot(pg, "officer-feedback-copy", size)


@pytest.mark.parametrize("size", SIZES)
def test_chinese_everywhere_even_for_an_english_browser(chromium, app_server, size):
    with open_page(chromium, app_server, size, locale="en-US") as (ctx, pg):
        login(pg, *TRAINER)
        pg.fill("#n-single input", "80")
        pg.click("#quiz-make")
        pg.wait_for_function(f"{text_of('#quiz-msg')}.includes('题')", timeout=120_000)
        msg = pg.inner_text("#quiz-msg")
        assert "0–50" in msg and "greater" not in msg.lower()
        pg.click("#tab-officer-button")
        ask(pg, PENALTY_Q)
        labels = set(pg.evaluate("[...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap("
                                 "e => ['aria-label', 'title', 'placeholder'].map(a => e.getAttribute(a)))"
                                 ".filter(Boolean)"))
        assert not labels & ENGLISH, labels & ENGLISH
        assert not [t for t in labels if t.startswith(("bot's message", "user's message"))]
        assert "复制这条消息" in labels
        shot(pg, "english-browser", size)

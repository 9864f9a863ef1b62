"""The app in a real browser: Debian chromium (installed by `make browser`) driven by playwright, headless, on
loopback. A full-page screenshot of each screen goes to test-artifacts/."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ARTIFACTS, OFFICER, TRAINER

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def text_of(selector: str) -> str:
    """JS expression: the visible text of an element ('' while it is not rendered)."""
    return f"(document.querySelector({selector!r}) || {{innerText: ''}}).innerText"


@pytest.fixture()
def page(app_server):
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run `make browser` (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
        pg.goto(app_server)
        pg.wait_for_selector("#public-q textarea", timeout=60_000)  # a visitor lands on 公众咨询
        yield pg
        browser.close()


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(pg, user: str, password: str) -> None:
    if not pg.is_visible("#login-user textarea"):
        pg.click("#login-box .label-wrap")  # the login box is folded
    pg.fill("#login-user textarea", user)
    pg.fill("#login-pass input", password)
    pg.click("#login-btn")
    pg.wait_for_function(f"{text_of('#login-msg')}.includes('已登录')", timeout=30_000)


def test_officer_penalty_question_shows_clause(page, built_home):
    shot(page, "0-start")
    login(page, *OFFICER)
    page.fill("#officer-q textarea", "电梯检验机构出具虚假报告怎么罚")
    page.click("#officer-send")
    page.wait_for_function(f"{text_of('#clause-panel')}.includes('第九十三条')", timeout=90_000)
    panel = page.inner_text("#clause-panel")
    assert "《中华人民共和国特种设备安全法》第九十三条" in panel and "现行有效" in panel
    assert "版本日期" in panel and "2013-06-29" in panel and "文件：中华人民共和国特种设备安全法" in panel
    assert "对机构处五万元以上二十万元以下罚款" in panel  # verbatim text
    assert "第九十三条" in page.inner_text("#officer-chat")
    shot(page, "1-officer-answer")

    page.click("#basis-btn")
    page.wait_for_function("(document.querySelector('#basis textarea') || {value: ''}).value.includes('依据')",
                           timeout=30_000)
    basis = page.input_value("#basis textarea")
    assert basis.startswith("当事人的") and "违反了《" in basis and "第九十三条第一款" in basis

    # clicking a cited clause opens the whole article with its neighbours
    page.click("#clause-panel .clause[data-pid^='特种设备安全法/93']")
    page.wait_for_function(f"{text_of('#article-view')}.includes('下一条')", timeout=30_000)
    view = page.inner_text("#article-view")
    assert "第九十三条" in view and "第九十二条" in view and "第九十四条" in view
    shot(page, "2-officer-article")

    page.fill("#fb-comment textarea", "依据准确")
    page.click("#officer-chat button[aria-label*='👍']")
    page.wait_for_function(f"{text_of('#fb-msg')}.includes('已记录')", timeout=30_000)

    from ui import audit, feedback

    assert any("电梯检验机构" in r["question"] and r["user"] == OFFICER[0] for r in audit.rows())
    fb = feedback.all_feedback()
    assert fb and fb[-1]["rating"] == "up" and fb[-1]["comment"] == "依据准确" and "特种设备安全法/93" in fb[-1]["citations"]


def test_officer_tab_without_login_refuses(page):
    page.click("#tab-officer-button")
    page.fill("#officer-q textarea", "电梯检验机构出具虚假报告怎么罚")
    page.click("#officer-send")
    page.wait_for_function(f"{text_of('#officer-chat')}.includes('请先登录')", timeout=30_000)
    assert "第九十三条" not in page.inner_text("#clause-panel")


def test_public_mode_declines_internal_question(page):
    page.click("#tab-public-button")
    page.fill("#public-q textarea", "你们内部检查计划什么时候到我们公司？")
    page.click("#public-send")
    page.wait_for_function(f"{text_of('#public-chat')}.includes('公众咨询模式')", timeout=60_000)
    assert "不提供执法裁量" in page.inner_text("#public-chat")
    shot(page, "3-public-decline")
    page.fill("#public-q textarea", "我怀疑检测报告是假的，去哪里投诉举报？")
    page.click("#public-send")
    page.wait_for_function(f"{text_of('#public-chat')}.includes('第二十四条')", timeout=60_000)
    shot(page, "3-public-faq")


def test_trainer_builds_quiz_and_downloads_xlsx(page, tmp_path):
    from openpyxl import load_workbook

    login(page, *TRAINER)
    page.wait_for_selector("#quiz-make", state="visible", timeout=30_000)  # the login switched to the 培训 tab
    page.click("#quiz-make")
    page.wait_for_function(f"{text_of('#quiz-msg')}.includes('已生成')", timeout=90_000)
    made = int(re.search(r"已生成 (\d+) 题", page.inner_text("#quiz-msg")).group(1))
    assert made >= 10 and "单选" in page.inner_text("#quiz-preview")
    page.click("#quiz-xlsx")
    link = page.wait_for_selector("#quiz-file a[download]", timeout=60_000)
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / "quiz.xlsx"
    dl.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]
    assert len(rows) == 1 + made and {r[0] for r in rows[1:]} <= {"单选", "多选", "判断", "填空"}
    assert all(r[8] for r in rows[1:])  # every question names its provision
    shot(page, "4-trainer")

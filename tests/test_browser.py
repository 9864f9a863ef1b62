"""The app in a real browser: Debian chromium driven by playwright on loopback. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, OFFICER, TRAINER

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture()
def page(app_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        pg.goto(app_server)
        pg.wait_for_selector("#login-user textarea", timeout=60_000)
        yield pg
        browser.close()


def login(pg, user: str, password: str) -> None:
    pg.fill("#login-user textarea", user)
    pg.fill("#login-pass input", password)
    pg.click("#login-btn")
    pg.wait_for_function("document.querySelector('#login-msg').innerText.includes('已登录')", timeout=30_000)


def test_officer_penalty_question_shows_clause(page, built_home):
    login(page, *OFFICER)
    page.fill("#officer-q textarea", "电梯检验机构出具虚假报告怎么罚")
    page.click("#officer-send")
    page.wait_for_function("document.querySelector('#clause-panel').innerText.includes('第九十三条')", timeout=90_000)
    panel = page.inner_text("#clause-panel")
    assert "《中华人民共和国特种设备安全法》第九十三条" in panel and "现行有效" in panel
    assert "对机构处五万元以上二十万元以下罚款" in panel
    page.click("#basis-btn")
    page.wait_for_function("document.querySelector('#basis textarea').value.includes('依据')", timeout=30_000)
    assert "第九十三条第一款" in page.input_value("#basis textarea")
    page.screenshot(path=str(ARTIFACTS / "officer.png"))
    from ui import audit

    assert any("电梯检验机构" in r["question"] for r in audit.rows())


def test_public_mode_declines_internal_question(page):
    page.click("#tab-public-button")
    page.fill("#public-q textarea", "你们内部检查计划什么时候到我们公司？")
    page.click("#public-send")
    page.wait_for_function("document.querySelector('#public-chat').innerText.includes('公众咨询模式')", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "public.png"))
    assert "不提供执法裁量" in page.inner_text("#public-chat")


def test_trainer_builds_quiz_and_downloads_xlsx(page, tmp_path):
    from openpyxl import load_workbook

    login(page, *TRAINER)
    page.click("#tab-trainer-button")
    page.click("#quiz-make")
    page.wait_for_function("document.querySelector('#quiz-preview').innerText.includes('单选')", timeout=60_000)
    page.click("#quiz-xlsx")
    link = page.wait_for_selector("#quiz-file a[download], #quiz-file a", timeout=60_000)
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / "quiz.xlsx"
    dl.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]
    assert len(rows) > 10
    page.screenshot(path=str(ARTIFACTS / "trainer.png"))

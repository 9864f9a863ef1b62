"""The page's pieces without a server: the answer laid out answer-first, clickable [n] markers, the cited 款/项
marked in its article, per-user conversation history, the login-cookie tickets, and WCAG AA contrast of the
page's own CSS colours."""

from __future__ import annotations

import re

import pytest

from ui import history, page, render, websession

ANSWER = """### 两种理解
问题不够明确，两种理解：
- 如果是甲，依据《某法》第一条[1]

### 结论
依据《某法》第二条[2]：处5万元以上20万元以下罚款。

### 处罚依据与幅度
| 处罚对象 | 罚款 | 依据 |
|---|---|---|
| 机构 | 5万元以上20万元以下罚款 | 《某法》第二条[2] |

### 相关案例
- 某案[3]

### 版本与效力
- 《某法》：现行有效

### 引用条文
[1] 《某法》第一条
> 条文一

---
*本回答供执法办案参考。*"""


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    return tmp_path


def test_answer_first_conclusion_and_table_open_reference_parts_folded():
    out = render.answer_markdown(ANSWER, "a1")
    assert out.index("### 结论") < out.index("### 处罚依据与幅度") < out.index("### 两种理解")
    for title in ("相关案例", "版本与效力", "引用条文"):
        assert f"<details class='fold'><summary>{title}</summary>" in out
    assert out.index("### 两种理解") < out.index("<details")  # every open part comes before the folded ones
    assert out.rstrip().endswith("<p class='disclaimer'>本回答供执法办案参考。</p>")
    assert "id='answer-a1'" in out and "href='#cite-a1-2'" in out
    assert "class='cite'" not in render.answer_markdown(ANSWER, "a1", links=False)  # public: no panel to open


def test_markers_become_links_to_the_cards_of_their_answer():
    out = render.link_markers("依据第二条[2]，见[10]；链接[x](http://a)不动", "ab")
    assert out.count("class='cite'") == 2 and "href='#cite-ab-2'" in out and "href='#cite-ab-10'" in out
    assert "[x](http://a)" in out


def test_cited_item_is_marked_in_its_article():
    art = "第一句。\n（一）甲；\n（二）乙。"
    assert render.marked_text(art, "（二）乙。") == "第一句。\n（一）甲；\n<mark class='cited'>（二）乙。</mark>"
    assert render.marked_text(art, art) == art  # an article cited whole: nothing to mark
    assert render.marked_text("<b>", "<b>") == "&lt;b&gt;"


def test_panel_sections_follow_their_answers():
    html = render.panels(["<section class='answer-cites' data-aid='a'>A</section>",
                          "<section class='answer-cites' data-aid='b'>B</section>"])
    assert "class='answer-cites' hidden data-aid='a'" in html and "class='answer-cites' data-aid='b'" in html
    assert render.panels([]) == render.PANEL_EMPTY


def test_conversations_are_per_user(home):
    assert history.append("zhang", "c1", "电梯检验机构出具虚假报告怎么罚", "答案一", {"aid": "x"})
    assert history.append("zhang", "c1", "追问", "答案二", {})
    assert not history.append("li", "c1", "偷写", "x", {})  # another user's id: nothing written
    assert [c["id"] for c in history.conversations("zhang")] == ["c1"] and history.conversations("li") == []
    msgs = history.messages("zhang", "c1")
    assert [m["content"] for m in msgs] == ["电梯检验机构出具虚假报告怎么罚", "答案一", "追问", "答案二"]
    assert msgs[1]["meta"] == {"aid": "x"}
    assert history.messages("li", "c1") is None and history.messages("zhang", "nope") is None
    assert history.rate_once("zhang", "x", "up") and not history.rate_once("zhang", "x", "down")
    assert (home / "conversations.sqlite").stat().st_mode & 0o077 == 0
    assert "data-cid='c1'" in render.conversation_list(history.conversations("zhang"), "c1")


def test_cookie_tickets_are_one_time_and_bound_to_the_address():
    t = websession.issue_ticket("tok", "10.0.0.1")
    assert websession.redeem(t, "10.0.0.2") is None  # wrong address spends it
    assert websession.redeem(t, "10.0.0.1") is None
    t = websession.issue_ticket("tok", "10.0.0.1")
    assert websession.redeem(t, "10.0.0.1") == "tok" and websession.redeem(t, "10.0.0.1") is None
    assert websession.redeem(None, "10.0.0.1") is None  # type: ignore[arg-type]


# -- contrast (WCAG 2.x) ------------------------------------------------------------------------------------

def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h[:6]
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        props = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v)
        rules.append((selector.strip(), props))
    return rules


def test_contrast_helper():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#595959", "#ffffff")


def test_page_css_text_colours_pass_wcag_aa():
    """Every rule of the page's CSS that sets a text colour: against its own background, or against white (the
    page's background) when it sets none; 4.5:1 at least."""
    checked = []
    for selector, props in css_rules(page.static_text("yiju.css")):
        colour = props.get("color", "")
        if not colour.startswith("#"):
            continue
        bg = props.get("background", props.get("background-color", "#ffffff"))
        bg = bg if bg.startswith("#") else "#ffffff"
        ratio = contrast(colour, bg)
        checked.append(selector)
        assert ratio >= 4.5, f"{selector}: {colour} on {bg} is {ratio:.2f}:1"
        if selector.startswith(".fold") or selector.startswith("a.cite"):  # also shown on the fold's grey
            assert contrast(colour, "#f6f8fa") >= 4.5, selector
    assert len(checked) >= 15 and any(".hint" in s for s in checked)
    assert any('aria-selected="true"' in s for s in checked)  # the selected tab (Gradio's orange was 2.8:1)


def test_theme_colours_pass_wcag_aa():
    t = page.theme()
    pairs = [(t.button_primary_text_color, t.button_primary_background_fill), (t.color_accent, "#ffffff"),
             (t.body_text_color_subdued, "#ffffff"), (t.link_text_color, "#ffffff")]
    for fg, bg in pairs:
        assert contrast(fg, bg) >= 4.5, (fg, bg)

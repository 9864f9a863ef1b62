"""Law in time: repeals, successors, renumbering and 从旧兼从轻 (issue 9)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant import ask
from assistant.citations import check
from corpus.history import history_chain, propose_maps, succession, version_in_force
from corpus.load import load_corpus
from ui.cli import cli


@pytest.fixture(scope="module")
def c():
    return load_corpus()


@pytest.mark.parametrize("doc,old,new", [
    ("检验检测机构监督管理办法", 13, "检验检测机构监督管理办法/14"),
    ("检验检测机构监督管理办法", 14, "检验检测机构监督管理办法/15"),
    ("检验检测机构监督管理办法", 26, "检验检测机构监督管理办法/27"),
    ("检验检测机构资质认定管理办法", 41, "检验检测机构资质认定管理办法/34"),
    ("行政处罚法", 27, "行政处罚法/32"),
    ("大气污染防治法", 112, "生态环境法典/1230"),
])
def test_confirmed_article_maps(c, doc, old, new):
    maps = [m for m in succession().maps_from(doc, old) if m.status == "confirmed"]
    assert [m.to for m in maps] == [new]
    assert new in c.provisions


def test_target_texts_match_the_mapped_topic(c):
    assert "不得出具不实检验检测报告" in c.provisions["检验检测机构监督管理办法/14"].text
    assert "不得出具虚假检验检测报告" in c.provisions["检验检测机构监督管理办法/15"].text
    assert "未依法取得资质认定" in c.provisions["检验检测机构资质认定管理办法/34"].text
    assert "从轻或者减轻行政处罚" in c.provisions["行政处罚法/32"].text
    assert "排放检验" in c.provisions["大气污染防治法/112"].text and "机动车船排放检验" in c.provisions["生态环境法典/1230"].text


def test_repealed_law_labelled_with_successor(c):
    doc = c.documents["大气污染防治法"]
    assert doc.status == "已废止"
    assert "2026-08-15" in doc.status_note and "第一千二百四十二条" in doc.status_note
    assert "大气污染防治法" in c.provisions["生态环境法典/1242"].text
    assert "大气污染防治法/112" in c.provisions  # repealed texts stay in the corpus


def test_version_in_force_by_date():
    assert version_in_force("检验检测机构监督管理办法", "2023-05-01")["version"] == "2021"
    assert version_in_force("检验检测机构监督管理办法", "2025-06-01")["version"] == "2025"
    assert version_in_force("大气污染防治法", "2026-09-01") is None
    assert version_in_force("生态环境法典", "2026-09-01")["version"] == "2026"


def test_history_chain_and_cli(c):
    lines = "\n".join(history_chain(c, "检验检测机构监督管理办法", 26))
    assert "2021版第二十六条" in lines and "第二十七条" in lines and "3万元" in lines
    out = CliRunner().invoke(cli, ["corpus", "history", "39号令", "26"]).output
    assert "2021版第二十六条" in out and "已人工确认" in out
    show = CliRunner().invoke(cli, ["corpus", "show", "大气法", "112"]).output
    assert "已废止" in show and "2026-08-15" in show and "第一千二百三十条" in show


def test_proposed_maps_by_similarity(c):
    pairs = propose_maps(c, "大气污染防治法", "生态环境法典", threshold=0.6)
    assert pairs and all(a.startswith("大气污染防治法/") and b.startswith("生态环境法典/") for a, b, _ in pairs)
    assert all(0.6 <= s <= 1 for _, _, s in pairs)


@pytest.mark.usefixtures("built_home")
def test_dated_emission_question_uses_law_at_the_time(c):
    a = ask("2025年6月某机动车排放检验机构出具虚假报告，怎么罚？")
    ids = [x.provision_id for x in a.citations]
    assert "大气污染防治法/112" in ids and "生态环境法典/1230" in ids
    assert "第一百一十二条" in a.conclusion and "行为时" in a.conclusion
    old = [r for r in a.penalties if r["provision_id"].startswith("生态环境法典/1230/2") and r["tier"] == "基本"][0]
    assert (old["fine_min"], old["fine_max"]) == (100_000, 500_000)
    assert "**行为时适用" in a.markdown and "**现行规定（对照）**" in a.markdown


@pytest.mark.usefixtures("built_home")
def test_undated_emission_question_uses_current_code(c):
    a = ask("机动车排放检验机构出具虚假报告怎么罚？")
    assert a.citations[0].provision_id == "生态环境法典/1230"
    assert "适用行为时" not in a.conclusion


def test_old_article_number_explained(c):
    a = ask("监督管理办法第二十六条罚多少")
    assert "2021版第二十六条" in a.markdown and "现行《检验检测机构监督管理办法》第二十七条" in a.markdown
    assert "3万元" in a.markdown and "5万元以下" in a.markdown and "10万元以下" in a.markdown


def test_checker_rejects_repealed_as_current(c):
    bad = check("依据《中华人民共和国大气污染防治法》第一百一十二条，对该机构处十万元以上五十万元以下罚款。", c)
    assert any("已废止" in f.reason for f in bad.problems)
    ok = check("行为时适用的《中华人民共和国大气污染防治法》第一百一十二条（已废止）规定……", c)
    assert not any("已废止" in f.reason for f in ok.problems)


@pytest.mark.parametrize(("text", "expected"), [
    ("引用的《检验检测机构资质认定管理办法》（2015年版）第四十一条", None),  # a version, not a date
    ("文书引用行政处罚法（2017年）第二十七条从轻处罚", None),
    ("按2025年补充要求，监测人员最少要多少人", None),
    ("法典2026年8月15日起施行后，企业改数据", None),
    ("2026年3月，一家受托的监测公司伪造报告", "2026-03-15"),
    ("2025年企业篡改数据违反了法典", "2025-06-15"),
    ("检测公司2022年出的一份假报告，今年才被举报", "2022-06-15"),
])
def test_years_that_name_a_text_are_not_conduct_dates(text, expected):
    from assistant.understand import detect_date

    assert detect_date(text) == expected


def test_reference_with_a_bracketed_version_year(c, built_home):
    from corpus.refs import find_references

    refs = find_references("以前文书引用行政处罚法（2017年）第二十七条，按现行法应当引用哪条", c)
    assert [(r.doc_key, r.article) for r in refs] == [("行政处罚法", 27)]
    ans = ask("以前文书引用行政处罚法（2017年）第二十七条从轻处罚，按现行行政处罚法应当引用哪一条？")
    # the 2017 text's 第二十七条 (从轻减轻) is 第三十二条 of the current law (succession.yaml, confirmed)
    assert ans.route == "counterpart" and ans.lead.startswith("行政处罚法/32")


def test_a_text_named_as_context_of_past_conduct_does_not_empty_the_answer(c, built_home):
    ans = ask("2026年3月，一家受托的第三方监测机构对自行监测数据弄虚作假，当时生态环境法典还没施行，应依据哪条处罚？")
    assert not ans.declined and ans.lead.startswith("生态环境监测条例/")


def test_the_before_repeal_date_that_excuses_a_repealed_citation_comes_from_succession(c):
    from assistant.citations import repeal_context
    from corpus.history import before_repeal_words

    assert before_repeal_words() == [f"{int(y)}年{int(m)}月{int(d)}日前" for y, m, d in
                                     (succession().repeals["大气污染防治法"]["repealed_on"].split("-"),)]
    assert all(w in repeal_context().pattern for w in before_repeal_words())
    cited = "适用《中华人民共和国大气污染防治法》第一百一十二条。"
    assert not check(cited, c).ok  # a repealed text cited as if in force
    assert check(before_repeal_words()[0] + "的行为，" + cited, c).ok


def test_decision_basis_for_past_conduct_cites_the_rule_on_time_and_the_text_then_in_force(c, built_home):
    ans = ask("2025年4月一家机动车检测站给排放超标的车出了合格的排放检验报告，现在怎么处罚？")
    assert "大气污染防治法》第一百一十二条" in ans.basis_paragraph  # the law in force at the time
    assert "行政处罚法》第三十七条" in ans.basis_paragraph


def test_renumbering_note_is_generated_from_the_confirmed_maps():
    from corpus.history import renumber_note

    note = renumber_note("检验检测机构监督管理办法")
    maps = [m for m in succession().maps if m.doc == "检验检测机构监督管理办法" and m.status == "confirmed"]
    from corpus.numerals import int_to_cn

    assert maps and all(int_to_cn(m.from_article) in note for m in maps)
    assert "第十四、十五、二十七条" in note and renumber_note("特种设备安全法") == ""

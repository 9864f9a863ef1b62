"""Trainer quizzes: deterministic, grounded in the cited text, exported to formats exam systems import."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from assistant.quiz import LETTERS, answer_is_grounded, build_quiz
from assistant.quiz_export import XLSX_HEADER, to_docx, to_gift, to_xlsx
from corpus.load import load_corpus
from ui.cli import cli


@pytest.fixture(scope="module")
def c():
    return load_corpus()


@pytest.fixture(scope="module")
def quiz(c):
    return build_quiz(c, doc_keys=["特种设备安全法", "检验检测机构监督管理办法", "道路交通安全法"], n=24, seed=7)


def test_counts_determinism_no_duplicates(c, quiz):
    assert [q.qtype for q in quiz].count("单选") == 6 and len(quiz) == 24
    again = build_quiz(c, doc_keys=["特种设备安全法", "检验检测机构监督管理办法", "道路交通安全法"], n=24, seed=7)
    assert [q.to_dict() for q in again] == [q.to_dict() for q in quiz]
    other = build_quiz(c, doc_keys=["特种设备安全法", "检验检测机构监督管理办法", "道路交通安全法"], n=24, seed=8)
    assert [q.stem for q in other] != [q.stem for q in quiz]
    assert len({q.stem for q in quiz}) == len(quiz)
    counts = build_quiz(c, doc_keys=["特种设备安全法"], counts={"单选": 3, "多选": 0, "判断": 2, "填空": 1})
    assert [q.qtype for q in counts].count("单选") == 3 and [q.qtype for q in counts].count("多选") == 0


def test_every_answer_is_determined_by_its_cited_text(c, quiz):
    for q in quiz:
        p = c.provisions[q.provision_id]
        assert q.citation == p.citation
        assert answer_is_grounded(q, c), q
        text = p.text.replace("\n", "")
        if q.qtype == "填空":
            assert "____" in q.stem and q.stem.replace("____", q.answer).split("：", 1)[1] in text
        elif q.qtype == "判断":
            assert q.answer in ("正确", "错误")
            assert (q.stem.split("规定：", 1)[1] in text) == (q.answer == "正确")
        else:
            assert len(q.options) == 4 and len(set(q.options)) == 4
            assert re.fullmatch(r"[ABCD]+", q.answer)
            right = [q.options[LETTERS.index(x)] for x in q.answer]
            if q.qtype == "多选":
                assert all(r in text for r in right)
                assert not any(o in text for o in q.options if o not in right)
        assert q.explanation and "规定" in q.explanation or "所列情形" in q.explanation


def test_fine_question_matches_parsed_penalty(c):
    qs = build_quiz(c, doc_keys=["道路交通安全法"], counts={"单选": 20, "多选": 0, "判断": 0, "填空": 0}, seed=1)
    q94 = [q for q in qs if q.provision_id == "道路交通安全法/94" and "罚款" in "".join(q.options)]
    assert q94
    right = q94[0].options[LETTERS.index(q94[0].answer)]
    assert right == "所收检验费用5倍以上10倍以下罚款"


def test_xlsx_gift_docx(tmp_path, quiz):
    from openpyxl import load_workbook

    path = to_xlsx(quiz, tmp_path / "q.xlsx")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == XLSX_HEADER and len(rows) == len(quiz) + 1
    assert {r[0] for r in rows[1:]} == {"单选", "多选", "判断", "填空"}
    gift = to_gift(quiz)
    blocks = [b for b in gift.split("\n\n") if b.strip()]
    assert len(blocks) == len(quiz)
    for b, q in zip(blocks, quiz, strict=True):
        body = re.sub(r"\\.", "", b.split("\n", 1)[1])  # drop escaped characters
        assert body.count("{") == 1 and body.count("}") == 1
        if q.qtype == "单选":
            assert body.count("=") == 1 and body.count("~") == 3
        if q.qtype == "判断":
            assert "{T " in body or "{F " in body
    import docx

    d = docx.Document(str(to_docx(quiz, tmp_path / "q.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "答案与解析" in text and quiz[0].stem in text


def test_cli_writes_file(tmp_path):
    out = tmp_path / "quiz.xlsx"
    r = CliRunner().invoke(cli, ["quiz", "--doc", "特设法", "--n", "8", "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.is_file() and "已生成 8 题" in r.output
    bad = CliRunner().invoke(cli, ["quiz", "--doc", "不存在的法", "-o", str(out)])
    assert bad.exit_code != 0 and "未找到文件" in bad.output

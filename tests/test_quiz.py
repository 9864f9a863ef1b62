"""Trainer quizzes on the real corpus: deterministic, counts honoured, every answer determined by the cited
provision's text, distractors absent from it; XLSX / GIFT / DOCX / JSON exports and `yiju quiz`."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from assistant.quiz import (
    FALSE,
    FILL,
    LETTERS,
    TRUE,
    TYPES,
    Question,
    QuizError,
    build_quiz,
    normalize,
    spread,
    validate_question,
)
from assistant.quiz_export import XLSX_HEADER, to_docx, to_gift, to_json, to_xlsx
from corpus.load import load_corpus
from ui.cli import cli

DOCS = ["特种设备安全法", "检验检测机构监督管理办法", "道路交通安全法"]
COUNTS = {"单选": 8, "多选": 4, "判断": 5, "填空": 4}


@pytest.fixture(scope="module")
def c():
    return load_corpus()


@pytest.fixture(scope="module")
def quiz(c):
    return build_quiz(c, doc_keys=DOCS, counts=COUNTS, seed=7)


@pytest.fixture(scope="module")
def every_level(c):
    """Larger quizzes at every difficulty, to check the invariants on many questions."""
    return [q for level in ("易", "中", "难")
            for q in build_quiz(c, doc_keys=DOCS, counts={"单选": 25, "多选": 8, "判断": 15, "填空": 12},
                                difficulty=level, seed=3)]


# -- selection, counts, determinism -------------------------------------------------------------------------------

def test_counts_per_type_are_honoured(quiz):
    assert {t: sum(1 for q in quiz if q.qtype == t) for t in TYPES} == COUNTS
    assert [q.qtype for q in quiz] == sorted((q.qtype for q in quiz), key=TYPES.index)  # grouped by type


def test_same_seed_same_quiz_other_seed_other_quiz(c, quiz):
    again = build_quiz(c, doc_keys=DOCS, counts=COUNTS, seed=7)
    assert [q.to_dict() for q in again] == [q.to_dict() for q in quiz]
    other = build_quiz(c, doc_keys=DOCS, counts=COUNTS, seed=8)
    assert [q.stem for q in other] != [q.stem for q in quiz]


def test_n_is_spread_over_the_types(c):
    assert spread(20) == {"单选": 8, "多选": 4, "判断": 4, "填空": 4}
    assert sum(spread(7).values()) == 7
    qs = build_quiz(c, doc_keys=["特种设备安全法"], n=20)
    assert len(qs) == 20 and {t: sum(1 for q in qs if q.qtype == t) for t in TYPES} == spread(20)
    # a document without material for some types: the shortfall is made up by the others, but never with more
    # "which task/article says this" items than the balance allows (the paper comes out shorter instead)
    plan = build_quiz(c, doc_keys=["行动方案"], n=15)
    assert 3 <= len(plan) < 15 and {q.provision_id.split("/")[0] for q in plan} == {"检验检测领域综合治理行动方案"}
    singles = [q for q in plan if q.qtype == "单选"]
    assert sum(q.meta["kind"] == "article" for q in singles) <= max(1, 0.3 * len(singles))


def test_no_duplicate_stems_or_facts(quiz, every_level):
    for qs in (quiz, every_level[:60], every_level[60:120], every_level[120:]):
        assert len({q.stem for q in qs}) == len(qs)
        facts = [(q.provision_id, q.qtype, tuple(q.keys)) for q in qs]
        assert len(set(facts)) == len(facts)


def test_selection_by_document_alias_chapter_and_topic(c):
    by_alias = build_quiz(c, doc_keys=["特设法"], n=10, seed=1)
    assert by_alias and all(q.provision_id.startswith("特种设备安全法/") for q in by_alias)
    chapter = build_quiz(c, doc_keys=["特种设备安全法"], chapters=["法律责任"], n=12)
    assert len(chapter) == 12
    assert all(c.provisions[q.provision_id].chapter == "第六章 法律责任" for q in chapter)
    authority = build_quiz(c, doc_keys=DOCS, topics=["执法主体"], n=5)
    assert authority and all(q.topic == "执法主体" for q in authority)
    keyword = build_quiz(c, doc_keys=["特种设备安全法"], topics=["检验"], n=10)
    assert keyword and all("检验" in normalize(c.provisions[q.provision_id].text) for q in keyword)


def test_bad_requests_are_refused(c):
    with pytest.raises(QuizError, match="未找到文件：不存在的法"):
        build_quiz(c, doc_keys=["不存在的法"])
    with pytest.raises(QuizError, match="难度"):
        build_quiz(c, doc_keys=DOCS, difficulty="超难")
    with pytest.raises(QuizError, match="未知题型"):
        build_quiz(c, doc_keys=DOCS, counts={"问答": 2})
    assert build_quiz(c, doc_keys=DOCS, counts={"单选": 0}) == []


# -- every answer is determined by the cited text -------------------------------------------------------------------

def _text(c, q: Question) -> str:
    return normalize(c.provisions[q.provision_id].text)


def test_every_question_passes_the_validator(c, quiz, every_level):
    for q in quiz + every_level:
        assert validate_question(q, c) == [], q
        assert q.citation == c.provisions[q.provision_id].citation
        assert q.citation in q.explanation and "“" in q.explanation  # the 解析 quotes the clause


def test_answer_key_is_in_the_cited_text_and_distractors_are_not(c, every_level):
    kinds = set()
    for q in every_level:
        text = _text(c, q)
        kinds.add(q.meta["kind"])
        if q.qtype in ("单选", "多选"):
            assert len(q.options) == 4 and len(set(q.options)) == 4
            assert re.fullmatch(r"[ABCD]" if q.qtype == "单选" else r"[ABCD]{2,3}", q.answer)
            right = [q.options[LETTERS.index(x)] for x in q.answer]
            wrong = [o for o in q.options if o not in right]
            assert wrong and not set(wrong) & set(right)
            if q.meta["kind"] == "article":  # which article: the quoted words are in it and in no distractor
                assert right == [q.meta["answer_label"] == c.provisions[q.provision_id].article_label and
                                 q.meta["answer_label"]]
                assert q.meta["snippet"] in text
                assert all(q.meta["snippet"] not in normalize(c.provisions[d].text) for d in q.meta["distractor_ids"])
            else:
                assert all(normalize(r) in text for r in right), q
                assert not any(normalize(w) in text for w in wrong), q
                if "gap" in q.meta:  # the clause with the right value is verbatim in the text, with a wrong one not
                    assert q.meta["gap"].replace("{gap}", right[0]) in text
                    assert not any(q.meta["gap"].replace("{gap}", w) in text for w in wrong)
        elif q.qtype == "判断":
            assert q.answer in (TRUE, FALSE)
            if q.answer == TRUE:
                assert q.keys and all(normalize(k) in q.stem for k in q.keys)
            else:
                assert q.absent and all(a in q.stem and normalize(a) not in text for a in q.absent)
                assert "故错误" in q.explanation
        else:
            assert q.stem.count(FILL) == 1 and not q.options
            assert normalize(q.answer) in text
            assert q.meta["filled"] in text
    assert kinds >= {"fine", "authority", "period", "article", "items"}


def test_known_facts(c):
    """Answers checked by hand against the law: 道交法94 multiple, 39号令 6年, 特设法93 institution fine."""
    multiple = [q for q in build_quiz(c, doc_keys=["道交法"], topics=["倍数罚款"], counts={"单选": 5, "填空": 5})
                if q.provision_id == "道路交通安全法/94/2"]
    assert multiple
    for q in multiple:
        assert (q.correct_options() or [q.answer])[0] in ("5倍以上10倍以下", "10倍")
        assert "所收检验费用" in q.stem
    keep = [q for q in build_quiz(c, doc_keys=["39号令"], topics=["期限"], counts={"填空": 3})
            if q.provision_id == "检验检测机构监督管理办法/13"]
    assert [q.answer for q in keep] == ["6年"] and "保存期限不少于____" in keep[0].stem
    fines = [q for q in build_quiz(c, doc_keys=["特种设备安全法"], topics=["罚款数额"], counts={"单选": 40}, seed=0)
             if q.provision_id == "特种设备安全法/93/1"]
    assert fines
    for q in fines:
        assert q.correct_options()[0] in ("5万元以上20万元以下", "5000元以上5万元以下")
        if "对机构处" in q.stem:
            assert q.correct_options() == ["5万元以上20万元以下"]


def test_normalize_makes_numbers_comparable():
    assert normalize("处五万元以上二十万元以下罚款") == "处5万元以上20万元以下罚款"
    assert normalize("所收检验费用五倍以上十倍以下") == "所收检验费用5倍以上10倍以下"
    assert normalize("保存期限不少于六年；二十四小时内") == "保存期限不少于6年；24小时内"
    assert normalize("五千元") == "5000元" and normalize("一百五十万元") == "150万元"
    assert normalize("处上一年年收入") == "处上一年年收入"
    text = "处五万元以上二十万元以下罚款，六年"
    assert normalize(normalize(text)) == normalize(text)


# -- exports --------------------------------------------------------------------------------------------------------

def test_xlsx_reads_back_with_the_import_header(tmp_path, quiz):
    from openpyxl import load_workbook

    path = to_xlsx(quiz, tmp_path / "quiz.xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == XLSX_HEADER == ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]
    assert len(rows) == len(quiz) + 1
    for row, q in zip(rows[1:], quiz, strict=True):
        assert row[0] == q.qtype and row[1] == q.stem and row[6] == q.answer and row[8] == q.citation
        if q.qtype in ("单选", "多选"):
            assert list(row[2:6]) == q.options
        else:
            assert row[2:6] == (None, None, None, None)


def _unescaped(s: str) -> str:
    return re.sub(r"\\.", "", s)


def check_gift(text: str) -> list[tuple[str, str]]:
    """A small GIFT checker: (question type, answer block) for every question; asserts the syntax."""
    out = []
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    for block in blocks:
        lines = [ln for ln in block.split("\n") if not ln.startswith("//")]
        body = _unescaped("\n".join(lines))
        if body.startswith("$CATEGORY:"):
            continue
        assert body.startswith("::") and body.count("::") == 2, block
        assert body.count("{") == 1 and body.count("}") == 1 and body.index("{") < body.index("}"), block
        answer = body[body.index("{") + 1: body.index("}")]
        assert "####" in answer  # general feedback (解析 and citation)
        choices = answer.split("####")[0].split()
        if any(x.startswith("~%") for x in choices):
            weights = [float(re.match(r"~%(-?[\d.]+)%", x).group(1)) for x in choices]
            assert abs(sum(w for w in weights if w > 0) - 100) < 0.01 and all(w < 0 for w in weights if w <= 0)
            out.append(("多选", answer))
        elif any(x.startswith("~") for x in choices):
            assert answer.count("=") == 1 and len(choices) == 4, block  # one right answer
            out.append(("单选", answer))
        elif choices in (["T"], ["F"]):
            out.append(("判断", answer))
        else:
            assert choices and all(x.startswith("=") for x in choices)
            out.append(("填空", answer))
    return out


def test_gift_is_valid_moodle_syntax(quiz):
    tricky = Question("单选", "含特殊字符 {a} ~b =c #d :e 的题干", ["A:1", "B~2", "C=3", "D#{4}"], "A", "解析：x=1",
                      "《测试》第一条", "测试/1")
    text = to_gift([*quiz, tricky])
    parsed = check_gift(text)
    assert [t for t, _ in parsed] == [q.qtype for q in [*quiz, tricky]]
    assert r"\{a\} \~b \=c \#d \:e" in text and r"=A\:1" in text and r"~D\#\{4\}" in text
    for (_, answer), q in zip(parsed[:-1], quiz, strict=True):
        if q.qtype == "判断":
            assert answer.split("####")[0].split() == (["T"] if q.answer == TRUE else ["F"])
        if q.qtype == "填空":
            assert "=" + q.answer in answer


def test_docx_paper_with_answer_sheet(tmp_path, quiz):
    import docx

    d = docx.Document(str(to_docx(quiz, tmp_path / "paper.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "一、单项选择题" in text and "四、填空题" in text
    paragraphs = [p.text for p in d.paragraphs]
    assert "答案与解析" in paragraphs  # the answer sheet's heading, after the last question
    assert paragraphs.index("答案与解析") > paragraphs.index(f"{len(quiz)}. {quiz[-1].stem}")
    for n, q in enumerate(quiz, 1):
        assert f"{n}. {q.stem}" in text and f"{n}. 【答案】" in text
    assert [cell.text for cell in d.tables[0].rows[0].cells] == ["题号", "一", "二", "三", "四", "总分"]  # scores
    table = d.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == ["题号", "答案", "依据"] and len(table.rows) == len(quiz) + 1
    assert table.rows[1].cells[1].text == quiz[0].answer and table.rows[1].cells[2].text == quiz[0].citation


def test_json_round_trips_into_questions(quiz):
    data = json.loads(to_json(quiz))
    assert [Question(**d) for d in data] == quiz


# -- CLI ------------------------------------------------------------------------------------------------------------

def test_cli_writes_xlsx(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "quiz.xlsx"
    r = CliRunner().invoke(cli, ["quiz", "--doc", "特设法", "--n", "10", "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "已生成 10 题" in r.output and out.is_file()
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == XLSX_HEADER and len(rows) == 11


def test_cli_counts_formats_and_errors(tmp_path):
    runner = CliRunner()
    paper = tmp_path / "试卷.docx"
    r = runner.invoke(cli, ["quiz", "--doc", "特种设备安全法", "--doc", "39号令", "--single", "3", "--multi", "2",
                            "--judge", "2", "--blank", "1", "--difficulty", "难", "--seed", "5", "-o", str(paper)])
    assert r.exit_code == 0, r.output
    assert "单选3，多选2，判断2，填空1" in r.output and "docx" in r.output and paper.is_file()
    r = runner.invoke(cli, ["quiz", "--doc", "道交法", "--n", "4", "--format", "gift", "-o", "-"])
    assert r.exit_code == 0 and len(check_gift(r.output)) == 4
    r = runner.invoke(cli, ["quiz", "--doc", "道交法", "--n", "3", "--format", "json", "-o", "-"])
    assert r.exit_code == 0 and len(json.loads(r.output)) == 3
    bad = runner.invoke(cli, ["quiz", "--doc", "不存在的法", "-o", str(tmp_path / "x.xlsx")])
    assert bad.exit_code != 0 and "未找到文件" in bad.output and "特种设备安全法" in bad.output
    assert runner.invoke(cli, ["quiz", "--doc", "特设法"]).exit_code != 0  # no -o
    assert runner.invoke(cli, ["quiz", "--doc", "特设法", "-o", "-"]).exit_code != 0  # xlsx to the screen
    short = runner.invoke(cli, ["quiz", "--doc", "行动方案", "--multi", "2", "-o", str(tmp_path / "p.json")])
    assert short.exit_code != 0 and "没有可出题" in short.output
    help_text = runner.invoke(cli, ["quiz", "--help"]).output
    assert "--difficulty" in help_text and "题型、题干、选项A" in help_text

"""Balanced trainer papers on the real corpus: question kinds and answer letters spread, distractors of the
answer's kind, self-contained 判断 statements, no option letters in 解析/GIFT feedback, citations verbatim; the
A4/CJK DOCX, the exam paper with its separate answer key (DOCX and PDF, read back) and `yiju quiz --paper`."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections import Counter

import pytest
from click.testing import CliRunner

from assistant.quiz import LETTERS, TRUE, build_quiz, validate_question
from assistant.quiz.balance import kind_limit
from assistant.quiz.distractors import numeric_sort_key, option_kind
from assistant.quiz.export import to_docx, to_gift
from assistant.quiz.normalize import SPACE
from assistant.quiz.paper import PaperSpec, answer_text, section_heading, write_paper
from assistant.quiz.validate import mentions_letter
from corpus.load import load_corpus
from ui.cli import cli

DOCS = ["特种设备安全法", "检验检测机构监督管理办法", "检验检测机构资质认定管理办法"]
SEEDS = (0, 1, 2, 3)


@pytest.fixture(scope="module")
def c():
    return load_corpus()


@pytest.fixture(scope="module")
def sixty(c):
    """60-question runs over every document in force, three seeds."""
    return [build_quiz(c, n=60, seed=s) for s in (0, 1, 2)]


@pytest.fixture(scope="module")
def papers(c):
    """20-item papers (8 单选) over several seeds and selections."""
    return [build_quiz(c, doc_keys=docs, n=20, seed=s) for s in SEEDS for docs in (DOCS, None)]


@pytest.fixture(scope="module")
def paper(c):
    return build_quiz(c, doc_keys=DOCS, n=20, seed=11)


# -- balance --------------------------------------------------------------------------------------------------------

def test_which_article_items_are_at_most_30_percent_of_single_choice(c, sixty, papers):
    narrow = [build_quiz(c, doc_keys=[d], n=20, seed=s) for d in ("计量法", "行动方案", "特种设备安全法") for s in (0, 1)]
    for qs in [*sixty, *papers, *narrow]:
        for qtype in ("单选", "判断"):
            items = [q for q in qs if q.qtype == qtype]
            articles = sum(q.meta["kind"] == "article" for q in items)
            assert articles <= kind_limit(qtype, "article", len(items)), (qtype, len(items), articles)
            assert articles <= max(1, 0.3 * len(items))


def test_single_choice_asks_amounts_duties_authorities_and_time_limits(sixty):
    for qs in sixty:
        kinds = Counter(q.meta["kind"] for q in qs if q.qtype == "单选")
        for kind in ("fine", "duty", "authority", "period", "items"):  # 罚款数额, 义务主体, 执法主体, 期限, 所列情形
            assert kinds[kind] >= 2, kinds
        assert max(kinds.values()) <= 0.3 * sum(kinds.values())


def test_no_letter_holds_more_than_40_percent_of_the_keys(papers, sixty):
    for qs in papers:
        keys = [q.answer for q in qs if q.qtype == "单选"]
        assert len(keys) == 8
        assert max(Counter(keys).values()) <= 0.4 * len(keys), Counter(keys)
    for qs in sixty:
        keys = Counter(q.answer for q in qs if q.qtype == "单选")
        assert max(keys.values()) - min(keys[x] for x in LETTERS) <= 1  # a seeded shuffle of ABCD ABCD …
        multi = Counter(x for q in qs if q.qtype == "多选" for x in q.answer)
        assert max(multi.values()) - min(multi[x] for x in LETTERS) <= 1
        # amounts keep ascending order where the balance allows (the key letter is the amount's own place)
        numeric = [q for q in qs if q.qtype == "单选" and q.meta.get("numeric")]
        ascending = [q for q in numeric if q.options == sorted(q.options, key=numeric_sort_key)]
        assert len(ascending) >= 0.8 * len(numeric) > 0


def test_judge_answers_alternate(sixty, papers):
    for qs in [*sixty, *papers]:
        answers = Counter(q.answer for q in qs if q.qtype == "判断")
        assert abs(answers[TRUE] - (sum(answers.values()) - answers[TRUE])) <= 1, answers


def test_balancing_keeps_each_answer_on_its_option(sixty, c):
    for qs in sixty:
        for q in qs:
            assert not validate_question(q, c), (q.stem, validate_question(q, c))
            if q.qtype in ("单选", "多选") and q.meta["kind"] != "article":
                assert sorted(q.correct_options()) == sorted(q.keys)


# -- distractors of the answer's kind, self-contained stems ------------------------------------------------------------

def test_option_kinds():
    assert option_kind("吊销资质认定证书") == option_kind("没收违法所得") == "处罚"
    assert option_kind("有与其从事的检验检测活动相适应的检验检测技术人员和管理人员") == "资质条件"
    assert option_kind("未按照规定对检验检测人员实施有效管理，影响检验检测独立、公正、诚信的") == "违法行为"
    assert option_kind("1万元以上10万元以下") == "数额" and option_kind("30日") == "期限" and option_kind("3倍以下") == "倍数"
    assert option_kind("县级以上地方市场监督管理部门") == "机关" and option_kind("特种设备使用单位") == "当事人"
    assert option_kind("发生重大事故，处50万元以上200万元以下罚款") == "处罚"
    assert option_kind("特种设备的定期检验和定期自行检查记录") == "证件材料"
    assert option_kind("路边停车应当紧靠道路右侧") == "义务"


def test_every_distractor_is_of_its_answers_kind(sixty):
    for q in (q for qs in sixty for q in qs if q.qtype in ("单选", "多选") and q.meta["kind"] != "article"):
        wrong = [o for o in q.options if o not in q.correct_options()]
        if q.meta["kind"] == "items":
            assert all(option_kind(o) in q.meta["kinds"] for o in q.options), q.options
        else:
            right = {option_kind(o) for o in q.correct_options()}
            assert all(option_kind(o) in right for o in wrong), (q.stem, q.options)


def test_a_distractor_of_another_kind_is_refused(sixty, c):
    q = next(q for qs in sixty for q in qs if q.qtype == "单选" and q.meta["kind"] == "fine")
    i = next(i for i, x in enumerate(LETTERS) if x != q.answer)
    odd = dataclasses.replace(q, options=[*q.options[:i], "30日", *q.options[i + 1:]],
                              absent=[*(a for a in q.absent if a != q.options[i]), "30日"])
    assert any("类别不同" in p for p in validate_question(odd, c))
    items = next(q for qs in sixty for q in qs if q.qtype == "多选" and "处罚" not in q.meta["kinds"])
    i = next(i for i, x in enumerate(LETTERS) if x not in items.answer)
    odd = dataclasses.replace(items, options=[*items.options[:i], "吊销资质认定证书", *items.options[i + 1:]],
                              absent=[*(a for a in items.absent if a != items.options[i]), "吊销资质认定证书"])
    assert any("类别不同" in p for p in validate_question(odd, c))


def test_judge_statements_name_law_and_article_and_stand_alone(sixty, c):
    judges = [q for qs in sixty for q in qs if q.qtype == "判断"]
    assert len(judges) == 36
    for q in judges:
        p = c.provisions[q.provision_id]
        assert f"《{p.doc_key}》" in q.stem and re.search(r"第[一二三四五六七八九十百零]+条|”部分", q.stem), q.stem
        for quoted in re.findall(r"：“([^”]+)”", q.stem):
            assert not re.match(r"其|该|上述|或者|并且|但|以及|[（(][一二三四五六七八九十]+[)）]", quoted), q.stem
    fragment = dataclasses.replace(judges[0], stem="依据有关规定，该单位应当……")
    problems = validate_question(fragment, c)
    assert "判断题须写明法律文件名称" in problems and "判断题须写明条文序号" in problems


def test_every_citation_and_quote_is_verbatim_in_the_corpus(sixty, papers, c):
    for q in (q for qs in [*sixty, *papers] for q in qs):
        p = c.provisions[q.provision_id]
        assert q.citation == p.citation and q.citation in q.explanation
        article = c.provisions.get(p.article_id, p)
        text = SPACE.sub("", p.text + article.text).replace("\n", "")
        quote = re.search(r"“(.+?)”[。，]", q.explanation).group(1)
        for piece in (x.strip("。；;，,：:") for x in quote.split("……")):
            assert not piece or piece in text, (q.citation, piece)


# -- no option letters in feedback ------------------------------------------------------------------------------------

def test_no_option_letter_in_explanations_or_gift_feedback(sixty):
    for qs in sixty:
        for q in qs:
            assert not mentions_letter(q.explanation, q.citation), q.explanation
            if q.qtype in ("单选", "多选"):
                assert all(f"“{o}”" in q.explanation for o in q.correct_options() if q.meta["kind"] != "article") \
                    or q.meta["kind"] == "article"
        gift = to_gift(qs)
        feedback = re.findall(r"####(.*)", gift)
        assert len(feedback) == len(qs)
        for fb in feedback:
            own = re.sub(r"“[^”]*”|《[^》]*》", "", fb.replace("\\", ""))
            assert not re.search(r"(?<![A-Za-z])[A-D]{1,4}(?![A-Za-z])", own), fb
            assert "答案为" not in own or "正确答案为" in own


# -- DOCX: A4, CJK fonts --------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _run_fonts(d) -> list[tuple[str, str | None, list[str]]]:
    """(style name, eastAsia font, theme attributes) of every run in body paragraphs and table cells."""
    paragraphs = list(d.paragraphs) + [p for t in d.tables for row in t.rows for cell in row.cells
                                       for p in cell.paragraphs]
    out = []
    for p in paragraphs:
        for r in p.runs:
            rfonts = r._element.rPr.find(f"{W}rFonts") if r._element.rPr is not None else None
            east = rfonts.get(f"{W}eastAsia") if rfonts is not None else None
            themes = [a for a in (rfonts.attrib if rfonts is not None else {}) if "heme" in a]
            out.append((p.style.name, east, themes))
    return out


@pytest.mark.parametrize("make", ["docx", "paper", "key"])
def test_docx_is_a4_with_cjk_fonts_in_every_run(tmp_path, paper, make):
    import docx

    if make == "docx":
        path = to_docx(paper, tmp_path / "quiz.docx")
    else:
        paths = write_paper(paper, tmp_path / "试卷.docx")
        path = paths[0] if make == "paper" else paths[1]
    d = docx.Document(str(path))
    for s in d.sections:
        assert abs(s.page_width.mm - 210) < 0.5 and abs(s.page_height.mm - 297) < 0.5
    fonts = _run_fonts(d)
    assert fonts and all(east in ("宋体", "黑体") and not themes for _, east, themes in fonts)
    assert {east for style, east, _ in fonts if style.startswith("Heading")} == {"黑体"}
    assert {east for style, east, _ in fonts if not style.startswith("Heading")} == {"宋体"}
    defaults = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "宋体" and not [a for a in defaults.attrib if "heme" in a]
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode()
    assert 'w:name="宋体"' in table and "Noto Serif CJK SC" in table and "Noto Sans CJK SC" in table


# -- the exam paper and its answer key ----------------------------------------------------------------------------------

def test_paper_and_key_read_back(tmp_path, paper):
    import docx

    spec = PaperSpec(title="特种设备与检验检测法规测试", minutes=45)
    paper_path, key_path = write_paper(paper, tmp_path / "试卷.docx", spec=spec)
    assert key_path.name == "试卷-答案.docx"
    d = docx.Document(str(paper_path))
    lines = [p.text for p in d.paragraphs]
    text = "\n".join(lines)
    assert lines[0] == spec.title and "考试时间：45分钟" in text and "满分：40分" in text
    assert "姓名：" in text and "单位：" in text and "得分：" in text
    assert [cell.text for cell in d.tables[0].rows[1].cells][0] == "得分"
    for k, qtype in enumerate(("单选", "多选", "判断", "填空")):
        count = sum(q.qtype == qtype for q in paper)
        assert section_heading(k, qtype, count, spec) in lines
    assert "一、单项选择题（共8题，每题2分，共16分）" in lines and "二、多项选择题（共4题，每题3分，共12分）" in lines
    for n, q in enumerate(paper, 1):
        assert any(line.startswith(f"{n}. {q.stem}") for line in lines)
        for i, o in enumerate(q.options):
            assert f"{LETTERS[i]}. {o}" in lines
    assert "【答案】" not in text and "【解析】" not in text and not any(q.explanation in text for q in paper)

    k = docx.Document(str(key_path))
    key_text = "\n".join(p.text for p in k.paragraphs)
    assert "参考答案与解析" in k.paragraphs[0].text
    table = k.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["题号", "答案", "依据"]
    for n, q in enumerate(paper, 1):
        assert [cell.text for cell in table.rows[n].cells] == [str(n), answer_text(q, False), q.citation]
        assert f"{n}. 【答案】{answer_text(q)}" in key_text
        assert f"【解析】{q.explanation}" in key_text and f"【依据】{q.citation}" in key_text
    single = next(q for q in paper if q.qtype == "单选")
    assert answer_text(single) == f"{single.answer}（{single.correct_options()[0]}）"


def test_paper_and_key_as_pdf(tmp_path, paper):
    from pypdf import PdfReader

    paper_path, key_path = write_paper(paper, tmp_path / "试卷.pdf")
    assert key_path.name == "试卷-答案.pdf"

    def flat(path):
        reader = PdfReader(str(path))
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
            fonts = page["/Resources"]["/Font"]
            assert any("STSong-Light" in str(f.get_object()["/BaseFont"]) for f in fonts.values())
        return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))

    text = flat(paper_path)
    assert "检验检测监管法律知识测试" in text and "考试时间：60分钟" in text and "姓名：" in text
    assert "一、单项选择题（共8题，每题2分，共16分）" in text
    for q in paper:
        assert re.sub(r"\s+", "", q.stem) in text
    assert "【解析】" not in text
    key = flat(key_path)
    assert "参考答案与解析" in key
    for q in paper:
        assert re.sub(r"\s+", "", q.citation) in key and re.sub(r"\s+", "", q.explanation)[:40] in key


def test_cli_paper(tmp_path):
    result = CliRunner().invoke(cli, ["quiz", "--doc", "特设法", "--n", "10", "--paper", "--title", "特设法测验",
                                      "--minutes", "30", "-o", str(tmp_path / "卷.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "卷.pdf").exists() and (tmp_path / "卷-答案.pdf").exists()
    assert "试卷" in result.output and "参考答案" in result.output
    result = CliRunner().invoke(cli, ["quiz", "--doc", "特设法", "--n", "10", "--paper", "--points", "5,5,5,5",
                                      "-o", str(tmp_path / "a")])
    assert result.exit_code == 0 and (tmp_path / "a.docx").exists() and (tmp_path / "a-答案.docx").exists()
    import docx

    assert "满分：50分" in docx.Document(str(tmp_path / "a.docx")).paragraphs[1].text
    bad = CliRunner().invoke(cli, ["quiz", "--n", "5", "--paper", "--points", "2,3", "-o", str(tmp_path / "b.docx")])
    assert bad.exit_code != 0 and "单选,多选,判断,填空" in bad.output
    bad = CliRunner().invoke(cli, ["quiz", "--n", "5", "--paper", "-o", str(tmp_path / "q.xlsx")])
    assert bad.exit_code != 0 and "docx 或 pdf" in bad.output
    bad = CliRunner().invoke(cli, ["quiz", "--n", "5", "-o", str(tmp_path / "q.pdf")])
    assert bad.exit_code != 0 and "--paper" in bad.output
    assert "试卷" in CliRunner().invoke(cli, ["quiz", "--help"]).output


# -- the quiz vocabulary is validated data ------------------------------------------------------------------------------

GOOD_VOCABULARY = """subjects: {机关: [部门], 当事人: [单位]}
generic_subjects: [行政机关]
option_kinds:
  - kind: 处罚
    starts: [罚款]
authority_families: {市场监管: [市场监督]}
standard_authorities: [县级以上市场监督管理部门]
"""


@pytest.mark.parametrize("text,message", [
    (GOOD_VOCABULARY + "colour: red\n", "未知字段.*colour"),
    (GOOD_VOCABULARY.replace("    starts: [罚款]", "    starts: [罚款]\n    colour: red"), "未知字段"),
    (GOOD_VOCABULARY.replace("当事人: [单位]", "当事人: [3]"), "字符串"),
    (GOOD_VOCABULARY.replace("generic_subjects: [行政机关]\n", ""), "缺少字段.*generic_subjects"),
])
def test_bad_quiz_vocabulary_is_refused(refused_knowledge, text, message):
    refused_knowledge("quiz.yaml", "quiz_vocabulary", text, message)


def test_quiz_vocabulary_loads():
    from corpus.knowledge import quiz_vocabulary

    v = quiz_vocabulary()
    assert set(v.subjects) == {"机关", "当事人"} and [k.kind for k in v.option_kinds][:3] == ["违法行为", "处罚", "资质条件"]
    assert "市场监管" in v.authority_families and "县级以上市场监督管理部门" in v.standard_authorities


def test_paper_zip_for_the_web_page(tmp_path, paper):
    import io

    import docx

    from assistant.quiz import Question
    from assistant.quiz.paper import write_paper_zip

    rows = [q.to_dict() for q in paper]  # what the page keeps between generating and exporting
    out = write_paper_zip([Question(**r) for r in rows], tmp_path / "yiju-paper.zip", "docx",
                          PaperSpec(title="季度测验", minutes=30))
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["试卷-答案.docx", "试卷.docx"]
        d = docx.Document(io.BytesIO(z.read("试卷.docx")))
    assert d.paragraphs[0].text == "季度测验" and "考试时间：30分钟" in d.paragraphs[1].text
    with zipfile.ZipFile(write_paper_zip(paper, tmp_path / "p.zip", "pdf")) as z:
        assert sorted(z.namelist()) == ["试卷-答案.pdf", "试卷.pdf"]


@pytest.mark.parametrize("fmt", ["paper-docx", "paper-pdf"])
def test_trainer_page_exports_the_paper_and_its_answer_key(paper, fmt):
    import zipfile
    from dataclasses import asdict

    from ui.handlers import _write_export

    out, n = _write_export(fmt, [asdict(q) for q in paper])
    ext = fmt.split("-")[1]
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == sorted([f"试卷.{ext}", f"试卷-答案.{ext}"])
    assert n == len(paper)

"""Quiz exports: XLSX (the import template Chinese exam systems use), Moodle GIFT, a DOCX paper, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.quiz.model import FALSE, LETTERS, TRUE, TYPES, Question

XLSX_HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]
SECTION_TITLES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题", "填空": "填空题"}
CN_ORDINALS = "一二三四五六七八九十"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a cell starting with one of these could run as a formula


def set_text(cell, value: object) -> None:  # noqa: ANN001 - an openpyxl cell
    """Write `value` as plain text: openpyxl would store a string starting with `=` as a live formula (and
    spreadsheet tools evaluate `+ - @` too), so such a cell is typed as a string with Excel's quote prefix."""
    text = "" if value is None else str(value)
    cell.value = text
    if text.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


# -- XLSX ----------------------------------------------------------------------------------------------------------

def to_xlsx(questions: list[Question], path: Path | str) -> Path:
    """One sheet, header 题型/题干/选项A…D/答案/解析/依据, one question a row (judge and blank: no options)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "试题"
    ws.append(XLSX_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, q in enumerate(questions, 2):
        options = (list(q.options) + [""] * 4)[:4] if q.qtype in ("单选", "多选") else [""] * 4
        for c, value in enumerate([q.qtype, q.stem, *options, q.answer, q.explanation, q.citation], 1):
            set_text(ws.cell(row=r, column=c), value)
    for col, width in zip("ABCDEFGHI", (8, 60, 26, 26, 26, 26, 10, 70, 36), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# -- GIFT ----------------------------------------------------------------------------------------------------------

def gift_escape(text: str) -> str:
    """Escape GIFT's control characters (~ = # { } : and the backslash); newlines become \\n."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([~=#{}:])", r"\\\1", text)
    return text.replace("\r", "").replace("\n", "\\n")


def _weight(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.5f}"


def to_gift(questions: list[Question], category: str = "依据/检验检测监管") -> str:
    """Moodle GIFT. 单选 `{=right ~wrong …}`; 多选 `{~%50%a ~%50%b ~%-100%c …}` (right answers share 100%,
    wrong ones share −100%); 判断 `{T}`/`{F}`; 填空 short answer `{=text =other spelling}`. The 解析 and the
    citation go into the general feedback (`####…`)."""
    blocks = [f"$CATEGORY: {category}"] if category else []
    for n, q in enumerate(questions, 1):
        name = f"::Q{n:03d} {q.qtype}::"
        stem = gift_escape(q.stem)
        feedback = "####" + gift_escape(f"{q.explanation}（依据：{q.citation}）")
        if q.qtype == "单选":
            lines = [("=" if LETTERS[i] == q.answer else "~") + gift_escape(o) for i, o in enumerate(q.options)]
        elif q.qtype == "多选":
            right = len(q.answer)
            wrong = len(q.options) - right
            lines = [(f"~%{_weight(100 / right)}%" if LETTERS[i] in q.answer else f"~%-{_weight(100 / wrong)}%")
                     + gift_escape(o) for i, o in enumerate(q.options)]
        elif q.qtype == "判断":
            lines = ["T" if q.answer == TRUE else "F"]
        else:
            answers = [q.answer, *q.meta.get("alternatives", [])]
            lines = ["=" + gift_escape(a) for a in dict.fromkeys(answers)]
        body = "\n".join(f"\t{x}" for x in [*lines, feedback])
        blocks.append(f"// {n}. {q.qtype}｜{q.citation}\n{name}{stem}{{\n{body}\n}}")
    return "\n\n".join(blocks) + "\n"


# -- DOCX ----------------------------------------------------------------------------------------------------------

def _grouped(questions: list[Question]) -> list[tuple[str, list[tuple[int, Question]]]]:
    """Sections in the order 单选, 多选, 判断, 填空 with the questions' running numbers."""
    numbered = []
    n = 0
    for qtype in TYPES:
        qs = [q for q in questions if q.qtype == qtype]
        if qs:
            numbered.append((qtype, [(n + i + 1, q) for i, q in enumerate(qs)]))
            n += len(qs)
    return numbered


def to_docx(questions: list[Question], path: Path | str, title: str = "检验检测监管法律知识测试") -> Path:
    """A paper: numbered questions by section, then 答案与解析 (an answer table and each question's 解析/依据)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(11)
    heading = d.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    groups = _grouped(questions)
    summary = "，".join(f"{SECTION_TITLES[t]}{len(qs)}题" for t, qs in groups)
    intro = d.add_paragraph(f"共{len(questions)}题（{summary}）。题目依据现行法律法规条文生成，答案与解析附后。")
    intro.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("姓名：__________    单位：__________    得分：__________")
    for k, (qtype, qs) in enumerate(groups):
        d.add_heading(f"{CN_ORDINALS[k]}、{SECTION_TITLES[qtype]}（共{len(qs)}题）", level=2)
        for n, q in qs:
            stem = q.stem + ("（  ）" if q.qtype == "判断" else "")
            d.add_paragraph(f"{n}. {stem}")
            if q.qtype in ("单选", "多选"):
                for i, o in enumerate(q.options):
                    p = d.add_paragraph(f"{LETTERS[i]}. {o}")
                    p.paragraph_format.left_indent = Pt(18)
    d.add_page_break()
    d.add_heading("答案与解析", level=1)
    table = d.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "题号"
    table.rows[0].cells[1].text = "答案"
    for _, qs in groups:
        for n, q in qs:
            row = table.add_row().cells
            row[0].text = str(n)
            row[1].text = _answer_text(q)
    for _, qs in groups:
        for n, q in qs:
            d.add_paragraph(f"{n}. 【答案】{_answer_text(q)}")
            d.add_paragraph(f"【解析】{q.explanation}")
            d.add_paragraph(f"【依据】{q.citation}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def _answer_text(q: Question) -> str:
    if q.qtype in ("单选", "多选"):
        return q.answer
    if q.qtype == "判断":
        return "√（正确）" if q.answer == TRUE else "×（错误）" if q.answer == FALSE else q.answer
    return q.answer


# -- JSON ----------------------------------------------------------------------------------------------------------

def to_json(questions: list[Question]) -> str:
    return json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=2)


def write(questions: list[Question], path: Path | str, fmt: str) -> Path:
    """Write in one of xlsx, docx, gift, json."""
    path = Path(path)
    if fmt == "xlsx":
        return to_xlsx(questions, path)
    if fmt == "docx":
        return to_docx(questions, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gift":
        path.write_text(to_gift(questions), "utf-8")
    elif fmt == "json":
        path.write_text(to_json(questions) + "\n", "utf-8")
    else:
        raise ValueError(f"unknown format: {fmt}")
    return path

"""Quiz exports: XLSX (the import template Chinese exam systems use), Moodle GIFT, a DOCX paper, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.quiz.model import LETTERS, TRUE, Question

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

XLSX_HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a cell starting with one of these could run as a formula


def set_text(cell: Cell, value: object) -> None:
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

def to_docx(questions: list[Question], path: Path | str, title: str = "检验检测监管法律知识测试") -> Path:
    """One document for self-study: the paper (A4, 宋体/黑体, sections with points), then on a new page 答案与解析
    (answer table, each question's answer, 解析 and 依据). For a paper to hand out with a separate key, see
    `assistant.quiz.paper.write_paper`."""
    from assistant.quiz.paper import Block, PaperSpec, key_blocks, paper_blocks
    from assistant.quiz.render import render_docx

    spec = PaperSpec(title=title)
    key = key_blocks(questions, spec)
    key[0] = Block("title", "答案与解析")
    return render_docx([*paper_blocks(questions, spec), Block("pagebreak"), *key], path)


# -- JSON ----------------------------------------------------------------------------------------------------------

def to_json(questions: list[Question]) -> str:
    return json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=2)


def write(questions: list[Question], path: Path | str, fmt: str, title: str = "检验检测监管法律知识测试") -> Path:
    """Write in one of xlsx, docx, gift, json (`title`: the DOCX's heading)."""
    path = Path(path)
    if fmt == "xlsx":
        return to_xlsx(questions, path)
    if fmt == "docx":
        return to_docx(questions, path, title=title)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gift":
        path.write_text(to_gift(questions), "utf-8")
    elif fmt == "json":
        path.write_text(to_json(questions) + "\n", "utf-8")
    else:
        raise ValueError(f"unknown format: {fmt}")
    return path

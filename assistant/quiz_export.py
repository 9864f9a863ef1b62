"""Quiz exports: XLSX (the import template of Chinese exam systems), Moodle GIFT, a DOCX paper, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.quiz import LETTERS, Question

XLSX_HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "依据"]


def to_xlsx(questions: list[Question], path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "题库"
    ws.append(XLSX_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for q in questions:
        opts = (q.options + ["", "", "", ""])[:4] if q.qtype in ("单选", "多选") else ["", "", "", ""]
        answer = {"正确": "正确", "错误": "错误"}.get(q.answer, q.answer)
        ws.append([q.qtype, q.stem, *opts, answer, q.explanation, q.citation])
    for col, width in zip("ABCDEFGHI", (6, 60, 24, 24, 24, 24, 8, 60, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    wb.save(path)
    return path


def _gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", text.replace("\n", " "))


def to_gift(questions: list[Question]) -> str:
    """Moodle GIFT: single choice `{=right ~wrong}`, multiple `{~%33.33333%a …}`, true/false `{T}`/`{F}`, blank `{=x}`."""
    blocks = []
    for n, q in enumerate(questions, 1):
        title = f"::{_gift_escape(q.qtype)}{n}::"
        stem = _gift_escape(q.stem)
        feedback = f"####{_gift_escape(q.explanation)}"
        if q.qtype == "单选":
            opts = " ".join(("=" if LETTERS[i] == q.answer else "~") + _gift_escape(o) for i, o in enumerate(q.options))
            body = f"{{{opts} {feedback}}}"
        elif q.qtype == "多选":
            right = len(q.answer)
            wrong = len(q.options) - right
            parts = []
            for i, o in enumerate(q.options):
                weight = f"{100 / right:.5f}" if LETTERS[i] in q.answer else f"-{100 / max(wrong, 1):.5f}"
                parts.append(f"~%{weight}%{_gift_escape(o)}")
            body = "{" + " ".join(parts) + f" {feedback}}}"
        elif q.qtype == "判断":
            body = f"{{{'T' if q.answer == '正确' else 'F'} {feedback}}}"
        else:
            body = f"{{={_gift_escape(q.answer)} {feedback}}}"
        blocks.append(f"// {q.citation}\n{title}{stem} {body}")
    return "\n\n".join(blocks) + "\n"


def to_docx(questions: list[Question], path: Path | str, title: str = "检验检测监管法律知识测试") -> Path:
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    for qtype in ("单选", "多选", "判断", "填空"):
        qs = [q for q in questions if q.qtype == qtype]
        if not qs:
            continue
        d.add_heading(f"{qtype}题", level=2)
        for q in qs:
            d.add_paragraph(f"{questions.index(q) + 1}. {q.stem}")
            if q.qtype in ("单选", "多选"):
                for i, o in enumerate(q.options):
                    d.add_paragraph(f"{LETTERS[i]}. {o}", style="List Bullet")
    d.add_page_break()
    d.add_heading("答案与解析", level=1)
    for n, q in enumerate(questions, 1):
        d.add_paragraph(f"{n}. 答案：{q.answer}　依据：{q.citation}")
        d.add_paragraph(f"解析：{q.explanation}")
    path = Path(path)
    d.save(path)
    return path


def to_json(questions: list[Question]) -> str:
    return json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=2)

"""An exam paper a trainer hands out, and its separate answer key, as DOCX (A4, 宋体/黑体) or PDF.

The paper: title, 考试时间/满分, 姓名/单位/得分 lines, a score table, then one section per type with its points
(一、单项选择题（共8题，每题2分，共16分）) and an instruction. The key: the answer of every question with the
correct option's text, its 解析 and the provision cited. Both are built as a list of blocks and rendered by
`render_docx` or `render_pdf`, so the two formats say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.quiz.model import FALSE, LETTERS, TRUE, TYPES, Question

SECTION_TITLES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题", "填空": "填空题"}
CN_ORDINALS = "一二三四五六七八九十"
POINTS = {"单选": 2.0, "多选": 3.0, "判断": 1.0, "填空": 2.0}
INSTRUCTIONS = {
    "单选": "每题的备选项中，只有1个最符合题意，请将其字母填入括号内。",
    "多选": "每题的备选项中，有2个或2个以上符合题意，请将其字母填入括号内；错选、少选、多选均不得分。",
    "判断": "请判断下列表述是否正确，正确的在括号内画“√”，错误的画“×”。",
    "填空": "请将正确答案填写在横线上。",
}
FORMATS = ("docx", "pdf")


@dataclass
class PaperSpec:
    """What the header says: title, time allowed (minutes) and points per question of each type."""

    title: str = "检验检测监管法律知识测试"
    minutes: int = 60
    points: dict[str, float] = field(default_factory=lambda: dict(POINTS))


@dataclass
class Block:
    """One element of a paper: title, subtitle, fields, heading, note, question, option, table or text."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def grouped(questions: list[Question]) -> list[tuple[str, list[tuple[int, Question]]]]:
    """Sections in the order 单选, 多选, 判断, 填空 with the questions' running numbers."""
    out, n = [], 0
    for qtype in TYPES:
        qs = [q for q in questions if q.qtype == qtype]
        if qs:
            out.append((qtype, [(n + i + 1, q) for i, q in enumerate(qs)]))
            n += len(qs)
    return out


def total_points(questions: list[Question], spec: PaperSpec) -> float:
    return sum(spec.points.get(q.qtype, 0) for q in questions)


def section_heading(k: int, qtype: str, count: int, spec: PaperSpec) -> str:
    """一、单项选择题（共8题，每题2分，共16分）"""
    each = spec.points.get(qtype, 0)
    return f"{CN_ORDINALS[k]}、{SECTION_TITLES[qtype]}（共{count}题，每题{_num(each)}分，共{_num(each * count)}分）"


def paper_blocks(questions: list[Question], spec: PaperSpec | None = None) -> list[Block]:
    """The paper: header, score table, sections with their questions (no answers)."""
    spec = spec or PaperSpec()
    groups = grouped(questions)
    blocks = [Block("title", spec.title),
              Block("subtitle", f"考试时间：{spec.minutes}分钟　　满分：{_num(total_points(questions, spec))}分"),
              Block("fields", "姓名：______________　单位：______________　得分：__________"),
              Block("table", rows=[["题号", *(CN_ORDINALS[k] for k in range(len(groups))), "总分"],
                                   ["得分", *([""] * len(groups)), ""]])]
    for k, (qtype, qs) in enumerate(groups):
        blocks += [Block("heading", section_heading(k, qtype, len(qs), spec)), Block("note", INSTRUCTIONS[qtype])]
        for n, q in qs:
            gap = "（　　）" if q.qtype == "判断" else ""
            blocks.append(Block("question", f"{n}. {q.stem}{gap}"))
            if q.qtype in ("单选", "多选"):
                blocks += [Block("option", f"{LETTERS[i]}. {o}") for i, o in enumerate(q.options)]
    return blocks


def answer_text(q: Question, with_option: bool = True) -> str:
    """B（5万元以上20万元以下） for a choice, √（正确）/×（错误） for a 判断, the words for a 填空."""
    if q.qtype in ("单选", "多选"):
        return q.answer + (f"（{'；'.join(q.correct_options())}）" if with_option else "")
    if q.qtype == "判断":
        return "√（正确）" if q.answer == TRUE else "×（错误）" if q.answer == FALSE else q.answer
    return q.answer


def key_blocks(questions: list[Question], spec: PaperSpec | None = None) -> list[Block]:
    """The answer key: a table 题号/答案/依据, then per question 【答案】【解析】【依据】."""
    spec = spec or PaperSpec()
    groups = grouped(questions)
    blocks = [Block("title", f"{spec.title}　参考答案与解析"),
              Block("subtitle", f"共{len(questions)}题，满分{_num(total_points(questions, spec))}分"),
              Block("heading", "一、参考答案"),
              Block("table", rows=[["题号", "答案", "依据"]] + [[str(n), answer_text(q, False), q.citation]
                                                            for _, qs in groups for n, q in qs]),
              Block("heading", "二、解析")]
    for k, (qtype, qs) in enumerate(groups):
        blocks.append(Block("subheading", f"（{CN_ORDINALS[k]}）{SECTION_TITLES[qtype]}"))
        for n, q in qs:
            blocks += [Block("question", f"{n}. 【答案】{answer_text(q)}"),
                       Block("text", f"【解析】{q.explanation}"),
                       Block("text", f"【依据】{q.citation}")]
    return blocks


def key_path(path: Path | str) -> Path:
    """试卷.docx → 试卷-答案.docx"""
    path = Path(path)
    return path.with_name(f"{path.stem}-答案{path.suffix}")


def write_paper(questions: list[Question], path: Path | str, fmt: str | None = None,
                spec: PaperSpec | None = None) -> tuple[Path, Path]:
    """The paper at `path` and its answer key next to it (试卷.docx, 试卷-答案.docx); fmt docx or pdf (default:
    by the suffix). Returns (paper, key)."""
    path = Path(path)
    fmt = fmt or (path.suffix.lower().lstrip(".") if path.suffix.lower() in (".docx", ".pdf") else "docx")
    if fmt not in FORMATS:
        raise ValueError(f"试卷格式须为 docx 或 pdf，收到：{fmt}")
    if path.suffix.lower() != f".{fmt}":
        path = path.with_suffix(f".{fmt}")
    spec = spec or PaperSpec()
    if fmt == "docx":
        from assistant.quiz.render import render_docx as render
    else:
        from assistant.quiz.render import render_pdf as render
    return (render(paper_blocks(questions, spec), path),
            render(key_blocks(questions, spec), key_path(path)))


def write_paper_zip(questions: list[Question], path: Path | str, fmt: str = "docx",
                    spec: PaperSpec | None = None) -> Path:
    """The paper and its answer key (试卷.docx, 试卷-答案.docx, or .pdf) in one zip: one download in the web page."""
    import tempfile
    import zipfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paper, key = write_paper(questions, Path(tmp) / f"试卷.{fmt}", fmt, spec)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(paper, paper.name)
            z.write(key, key.name)
    return path

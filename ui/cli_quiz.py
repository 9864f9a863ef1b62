"""`yiju quiz`: build a trainer quiz from provisions and export it (XLSX / GIFT / DOCX / JSON), or an exam paper
with a separate answer key (--paper: DOCX / PDF)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from assistant.quiz.paper import PaperSpec

__all__ = ["quiz_cmd"]

FORMATS = ("xlsx", "gift", "docx", "json", "pdf")
PAPER_FORMATS = ("docx", "pdf")
SUFFIX_FORMAT = {".xlsx": "xlsx", ".gift": "gift", ".txt": "gift", ".docx": "docx", ".json": "json", ".pdf": "pdf"}


@click.command("quiz")
@click.option("--doc", "docs", multiple=True, metavar="NAME",
              help="文件名或简称，可重复（如 特种设备安全法、特设法、道交法、39号令）。默认：全部现行文件。")
@click.option("--chapter", "chapters", multiple=True, metavar="TEXT",
              help="只用章节名含此文字的条文，可重复（如 法律责任、第六章）。")
@click.option("--topic", "topics", multiple=True, metavar="TEXT",
              help="只出与此主题相关的题，可重复：条文关键词（如 检验、虚假）或题目类别"
                   "（罚款数额、倍数罚款、执法主体、义务主体、期限、条文定位、所列情形）。")
@click.option("--n", "n", type=click.IntRange(1, 500), default=20, show_default=True,
              help="题目总数，按 单选4:多选2:判断2:填空2 分配（未用 --single 等单独指定时）。")
@click.option("--single", type=click.IntRange(0, 500), help="单选题数量。")
@click.option("--multi", type=click.IntRange(0, 500), help="多选题数量。")
@click.option("--judge", type=click.IntRange(0, 500), help="判断题数量。")
@click.option("--blank", type=click.IntRange(0, 500), help="填空题数量。")
@click.option("--difficulty", type=click.Choice(["易", "中", "难"]), default="中", show_default=True,
              help="难度：干扰项与正确答案的接近程度（易：题干注明条号、干扰项差别大；难：干扰项最接近）。")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子：同一范围、同一种子生成同一套题。")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="导出格式；默认按 -o 的扩展名判断（.xlsx/.docx/.gift/.txt/.json/.pdf），否则 xlsx（--paper 时 docx）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出文件；gift/json 可用 - 输出到屏幕。")
@click.option("--paper", is_flag=True,
              help="生成可发放的试卷（docx 或 pdf，按 -o 的扩展名）：卷头含标题、考试时间、姓名/单位/得分栏，各题型注明分值；"
                   "参考答案与解析另存为同名“-答案”文件（如 试卷.docx 与 试卷-答案.docx）。")
@click.option("--title", default="检验检测监管法律知识测试", show_default=True, help="试卷标题（用于 --paper 与 docx）。")
@click.option("--minutes", type=click.IntRange(1, 600), default=60, show_default=True, help="考试时间（分钟，用于 --paper）。")
@click.option("--points", default="2,3,1,2", show_default=True, metavar="单选,多选,判断,填空",
              help="各题型每题分值（用于 --paper），依次为 单选、多选、判断、填空。")
def quiz_cmd(docs: tuple[str, ...], chapters: tuple[str, ...], topics: tuple[str, ...], n: int,
             single: int | None, multi: int | None, judge: int | None, blank: int | None, difficulty: str,
             seed: int, fmt: str | None, output: Path | None, paper: bool, title: str, minutes: int,
             points: str) -> None:
    """从条文生成培训试题（单选 / 多选 / 判断 / 填空），每题附答案、解析（引用条文原文）和依据。

    题目由条文确定性生成：罚款数额与倍数、执法主体、义务主体（“（  ）应当……”）、期限（如“保存期限不少于6年”）、
    条文定位、所列情形；干扰项取自同类条文且与答案同类（不以处罚充当资质条件），均不出现在所引条文中。
    单选题“条文定位”题不超过三成；答案字母按种子均衡分布；判断题写明法律名称与条号。

    \b
    XLSX 列：题型、题干、选项A、选项B、选项C、选项D、答案、解析、依据（国内考试系统常用导入模板）
    GIFT：Moodle 题库导入格式（反馈写明正确选项内容，不写字母）；DOCX：A4 试卷，末尾附“答案与解析”。
    --paper：可发放的试卷（docx/pdf）与单独的参考答案。

    \b
    例：
      yiju quiz --doc 特种设备安全法 --n 20 --format xlsx -o quiz.xlsx
      yiju quiz --doc 特设法 --doc 39号令 --single 10 --multi 5 --judge 5 --blank 5 -o 试卷.docx
      yiju quiz --doc 特设法 --n 20 --paper --title 特种设备安全法考试 --minutes 45 -o 试卷.pdf
      yiju quiz --doc 道交法 --chapter 法律责任 --difficulty 难 --seed 3 --format gift -o quiz.gift
      yiju quiz --topic 执法主体 --n 10 --format json -o -
    """
    from assistant.quiz import QuizError, build_quiz
    from corpus.load import load_corpus

    fmt = _format(fmt, output, paper)
    counts = _counts(single, multi, judge, blank)
    spec = _spec(title, minutes, points)
    try:
        qs = build_quiz(load_corpus(), doc_keys=list(docs) or None, chapters=list(chapters) or None,
                        topics=list(topics) or None, counts=counts, n=n, difficulty=difficulty, seed=seed)
    except QuizError as exc:
        raise click.ClickException(str(exc)) from None
    if not qs:
        raise click.ClickException("所选范围内没有可出题的条文（文件、章节或主题过窄），请放宽条件。")
    _warn_shortfall(qs, counts, n)
    _write(qs, output, fmt, spec if paper else None, title, f"难度{difficulty}，种子{seed}")


def _format(fmt: str | None, output: Path | None, paper: bool) -> str:
    """The export format from --format or the output's suffix; usage errors for impossible combinations."""
    if output is None:
        raise click.UsageError("请用 -o 指定输出文件（如 -o quiz.xlsx；gift/json 可用 -o - 输出到屏幕）。")
    to_stdout = str(output) == "-"
    if fmt is None:
        default = "docx" if paper else "xlsx"
        fmt = SUFFIX_FORMAT.get(output.suffix.lower(), default) if not to_stdout else default
    if paper and fmt not in PAPER_FORMATS:
        raise click.UsageError(f"--paper 只能导出 docx 或 pdf，收到：{fmt}。")
    if fmt == "pdf" and not paper:
        raise click.UsageError("pdf 仅用于试卷，请加 --paper。")
    if to_stdout and fmt not in ("gift", "json"):
        raise click.UsageError(f"{fmt} 是二进制格式，不能输出到屏幕，请用 -o 指定文件。")
    return fmt


def _spec(title: str, minutes: int, points: str) -> PaperSpec:
    """The paper's header: title, minutes and points per question of 单选/多选/判断/填空 ("2,3,1,2")."""
    from assistant.quiz import TYPES
    from assistant.quiz.paper import PaperSpec

    try:
        values = [float(x) for x in points.replace("，", ",").split(",")]
    except ValueError:
        values = []
    if len(values) != len(TYPES) or any(v < 0 or v > 100 for v in values):
        raise click.UsageError(f"--points 须为 4 个 0～100 的分值，依次为 单选,多选,判断,填空（如 2,3,1,2），收到：{points}")
    return PaperSpec(title=title.strip() or PaperSpec().title, minutes=minutes, points=dict(zip(TYPES, values, strict=True)))


def _counts(single: int | None, multi: int | None, judge: int | None, blank: int | None) -> dict[str, int] | None:
    explicit = {"单选": single, "多选": multi, "判断": judge, "填空": blank}
    if all(v is None for v in explicit.values()):
        return None
    counts = {t: v or 0 for t, v in explicit.items()}
    if sum(counts.values()) == 0:
        raise click.UsageError("各题型数量均为 0，没有可生成的题目。")
    return counts


def _warn_shortfall(qs: list, counts: dict[str, int] | None, n: int) -> None:
    from assistant.quiz import TYPES

    got = {t: sum(1 for q in qs if q.qtype == t) for t in TYPES}
    short = [f"{t}{got[t]}/{(counts or {})[t]}" for t in TYPES if (counts or {}).get(t, 0) > got[t]]
    if short:
        click.echo(f"注意：所选范围内可出的题不足，已生成：{'、'.join(short)}。", err=True)
    elif counts is None and len(qs) < n:
        click.echo(f"注意：所选范围内只能生成 {len(qs)} 题（要求 {n} 题）。", err=True)


def _write(qs: list, output: Path, fmt: str, spec: PaperSpec | None, title: str, how: str) -> None:
    """The export (or, with a spec, the paper and its key) written, and one line saying where."""
    from assistant.quiz import TYPES
    from assistant.quiz.export import to_gift, to_json, write
    from assistant.quiz.paper import write_paper

    if str(output) == "-":
        sys.stdout.write(to_gift(qs) if fmt == "gift" else to_json(qs) + "\n")
        return
    try:
        if spec is not None:
            paths = write_paper(qs, output, fmt, spec)
        else:
            paths = (write(qs, output, fmt, title=title),)
    except OSError as exc:
        raise click.ClickException(f"无法写入 {output}：{exc.strerror or exc}") from None
    summary = "，".join(f"{t}{k}" for t in TYPES if (k := sum(1 for q in qs if q.qtype == t)))
    where = f"试卷 {paths[0]}，参考答案 {paths[1]}" if spec is not None else str(paths[0])
    click.echo(f"已生成 {len(qs)} 题（{summary}），{how} → {where}（{fmt}）")

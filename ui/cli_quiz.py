"""`yiju quiz`: build a quiz from provisions and export it."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["quiz_cmd"]


@click.command("quiz")
@click.option("--doc", "docs", multiple=True, help="文件名或简称（如 特设法、39号令），可重复；默认全部现行文件。")
@click.option("--chapter", "chapters", multiple=True, help="只用章节名含此文字的条文（如 法律责任）。")
@click.option("--topic", "topics", multiple=True, help="只用含此关键词的条文（如 虚假）。")
@click.option("--n", default=20, show_default=True, help="题目总数（未单独指定各题型数量时平均分配）。")
@click.option("--single", type=int, help="单选题数量。")
@click.option("--multi", type=int, help="多选题数量。")
@click.option("--judge", type=int, help="判断题数量。")
@click.option("--blank", type=int, help="填空题数量。")
@click.option("--difficulty", type=click.Choice(["易", "中", "难"]), default="中", show_default=True)
@click.option("--seed", default=0, show_default=True, help="随机种子：同一种子生成同一套题。")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "gift", "docx", "json"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出文件。")
def quiz_cmd(docs: tuple[str, ...], chapters: tuple[str, ...], topics: tuple[str, ...], n: int, single: int | None,
             multi: int | None, judge: int | None, blank: int | None, difficulty: str, seed: int, fmt: str,
             output: Path) -> None:
    """从条文生成培训题（单选/多选/判断/填空），含答案、解析与依据，导出 XLSX / GIFT / DOCX / JSON。

    \b
    例：yiju quiz --doc 特种设备安全法 --n 20 --format xlsx -o quiz.xlsx
    """
    from assistant.quiz import build_quiz
    from assistant.quiz_export import to_docx, to_gift, to_json, to_xlsx
    from corpus.load import load_corpus

    corpus = load_corpus()
    keys = []
    for d in docs:
        doc = corpus.find_document(d)
        if doc is None:
            known = "、".join(list(corpus.documents)[:8])
            raise click.ClickException(f"未找到文件“{d}”。已收录的文件如：{known}……")
        keys.append(doc.key)
    counts = None
    if any(x is not None for x in (single, multi, judge, blank)):
        counts = {"单选": single or 0, "多选": multi or 0, "判断": judge or 0, "填空": blank or 0}
    qs = build_quiz(corpus, doc_keys=keys or None, chapters=list(chapters) or None, topics=list(topics) or None,
                    counts=counts, n=n, difficulty=difficulty, seed=seed)
    if not qs:
        raise click.ClickException("所选范围内没有可出题的条文。请放宽文件、章节或关键词。")
    if fmt == "xlsx":
        to_xlsx(qs, output)
    elif fmt == "docx":
        to_docx(qs, output)
    elif fmt == "gift":
        output.write_text(to_gift(qs), "utf-8")
    else:
        output.write_text(to_json(qs), "utf-8")
    by_type = {t: sum(1 for q in qs if q.qtype == t) for t in ("单选", "多选", "判断", "填空")}
    click.echo(f"已生成 {len(qs)} 题 {by_type} → {output}")

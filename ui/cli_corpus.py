"""`yiju corpus …`: statistics, one article with its parsed penalties, version history."""

from __future__ import annotations

import json

import click

__all__ = ["corpus_group"]


@click.group("corpus")
def corpus_group() -> None:
    """语料：文件解析、条文与罚则。"""


@corpus_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def stats(as_json: bool) -> None:
    """文件数、条文数、罚则记录数，以及缺失的任务文件。"""
    from corpus.load import load_corpus

    c = load_corpus()
    kinds: dict[str, int] = {}
    for p in c.provisions.values():
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    mission = c.mission_status()
    data = {
        "documents": len(c.documents), "provisions": kinds, "penalty_records": len(c.penalties),
        "cases": len(c.cases), "mission": {k: {"found": f, "provisions": n} for k, (f, n) in mission.items()},
        "missing_laws": c.missing_laws, "errors": [str(e) for e in c.errors],
        "by_document": {k: {"title": d.title, "type": d.doc_type, "status": d.status, "version": d.version_date,
                            "articles": sum(1 for p in c.provisions.values()
                                            if p.doc_key == k and p.kind in ("article", "plan_item", "case"))}
                        for k, d in c.documents.items()},
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"文件 {data['documents']} 件；条文 {kinds.get('article', 0)} 条、款 {kinds.get('paragraph', 0)}、"
               f"项 {kinds.get('item', 0)}、行动方案条目 {kinds.get('plan_item', 0)}、案例 {kinds.get('case', 0)}；"
               f"罚则记录 {len(c.penalties)} 条")
    click.echo("\n任务文件：")
    for label, (found, n) in mission.items():
        click.echo(f"  {'✓' if found else '✗ 缺失'} {label}：{n} 条" if found else f"  ✗ 缺失 {label}")
    click.echo("\n各文件：")
    for k, d in data["by_document"].items():
        click.echo(f"  {k}（{d['type']}，{d['version'] or '日期未载'}，{d['status']}）：{d['articles']}")
    if c.missing_laws:
        click.echo("\n法律库中未找到：" + "、".join(c.missing_laws))
    if c.errors:
        click.echo("\n未能收录的文件：")
        for e in c.errors:
            click.echo(f"  ✗ {e}")


@corpus_group.command("show")
@click.argument("document")
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def show(document: str, article: str, as_json: bool) -> None:
    """显示一条条文：引用格式、版本与效力、原文、解析出的罚则。

    \b
    例：yiju corpus show 特种设备安全法 93
        yiju corpus show 39号令 第二十七条
    """
    from corpus.load import load_corpus
    from corpus.numerals import cn_to_int

    c = load_corpus()
    doc = c.find_document(document)
    if doc is None:
        raise click.ClickException(f"未找到文件“{document}”。可用 `yiju corpus stats` 查看已收录的文件。")
    raw = article.strip().removeprefix("第").removesuffix("条")
    try:
        number = cn_to_int(raw.split("之")[0])
    except ValueError:
        raise click.ClickException(f"无法识别条号“{article}”（例：93 或 第九十三条）") from None
    prov = c.article(doc.key, number)
    if prov is None:
        raise click.ClickException(f"《{doc.title}》中没有第{article}条（语料中不存在，不作推测）。")
    penalties = c.penalties_for(prov.id)
    if as_json:
        click.echo(json.dumps({"provision": prov.to_dict(), "document": doc.to_dict(),
                               "penalties": [r.to_dict() for r in penalties]}, ensure_ascii=False, indent=2))
        return
    click.echo(prov.citation)
    click.echo(f"文件：{doc.title}｜{doc.doc_type}｜{doc.doc_number or '文号未载'}｜{doc.dates_label}｜{doc.status}")
    if doc.status_note:
        click.echo(f"效力说明：{doc.status_note}")
    from corpus.history import describe

    for line in describe(c, prov.id):
        click.echo(line)
    if prov.chapter:
        click.echo(f"章节：{prov.chapter}{(' ' + prov.section) if prov.section else ''}")
    click.echo("")
    click.echo(prov.text)
    if penalties:
        click.echo("\n解析出的罚则：")
        for r in penalties:
            parts = [r.fine_label(), "、".join(r.sanctions)]
            click.echo(f"  [{r.provision_id}] {r.kind}｜对象：{r.target}｜{r.tier}｜"
                       + "；".join(p for p in parts if p)
                       + (f"｜执法主体：{r.authority}" if r.authority else ""))


@corpus_group.command("history")
@click.argument("document")
@click.argument("article")
def history(document: str, article: str) -> None:
    """条文沿革：各版本、旧条号 → 新条号的对应（已确认/待确认）、废止与承继。

    \b
    例：yiju corpus history 检验检测机构监督管理办法 26
        yiju corpus history 大气法 112
    """
    from corpus.history import history_chain
    from corpus.load import load_corpus
    from corpus.numerals import cn_to_int, int_to_cn

    c = load_corpus()
    doc = c.find_document(document)
    if doc is None:
        raise click.ClickException(f"未找到文件“{document}”。")
    try:
        number = cn_to_int(article.strip().removeprefix("第").removesuffix("条"))
    except ValueError:
        raise click.ClickException(f"无法识别条号“{article}”") from None
    click.echo(f"《{doc.title}》第{int_to_cn(number)}条 沿革：")
    for line in history_chain(c, doc.key, number):
        click.echo(f"  {line}")


@corpus_group.command("propose-maps")
@click.argument("old_document")
@click.argument("new_document")
@click.option("--threshold", default=0.6, show_default=True, help="文本相似度下限。")
def propose(old_document: str, new_document: str, threshold: float) -> None:
    """按文本相似度建议旧文本 → 新文本的条文对应（供人工确认后写入 corpus/data/succession.yaml）。"""
    from corpus.history import propose_maps
    from corpus.load import load_corpus

    c = load_corpus()
    old, new = c.find_document(old_document), c.find_document(new_document)
    if old is None or new is None:
        raise click.ClickException("未找到文件。")
    for a, b, score in propose_maps(c, old.key, new.key, threshold):
        click.echo(f"{a} → {b}  相似度 {score}")

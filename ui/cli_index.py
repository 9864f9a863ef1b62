"""`yiju index …`, `yiju search` and `yiju bench`."""

from __future__ import annotations

import json

import click

__all__ = ["index_group", "search_cmd", "bench_cmd"]


@click.group("index")
def index_group() -> None:
    """检索索引：构建、状态。"""


@index_group.command("build")
@click.option("--full", is_flag=True, help="忽略已有向量，全部重新向量化。")
@click.option("--quiet", is_flag=True, help="不显示进度条。")
def build_cmd(full: bool, quiet: bool) -> None:
    """构建或增量更新索引：只对内容变化的条文重新向量化，删除已消失的条文；在旁边建好后原子切换。"""
    from corpus.load import load_corpus
    from index.build import build_index
    from index.errors import IndexError_

    corpus = load_corpus()
    for e in corpus.errors:
        click.echo(f"⚠ 未能收录：{e}", err=True)
    try:
        r = build_index(corpus, progress=not quiet, full=full)
    except IndexError_ as exc:
        raise click.ClickException(str(exc)) from None
    if r.skipped:
        click.echo(f"索引已是最新（{r.build_id}，{r.units} 条，{r.seconds} 秒）。")
    else:
        click.echo(f"索引 {r.build_id}：{r.units} 条；新向量化 {r.embedded}，复用 {r.reused}，"
                   f"新增 {r.added}，更新 {r.updated}，删除 {r.removed}；用时 {r.seconds} 秒 {r.timings}")


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True)
def status_cmd(as_json: bool) -> None:
    """索引是否存在、是否完好、是否与语料一致。"""
    from index.build import index_status
    from index.errors import IndexError_

    try:
        s = index_status()
    except IndexError_ as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
    elif not s["exists"]:
        click.echo("尚未构建索引。请运行 `yiju index build`。")
    else:
        click.echo(f"索引 {s['build_id']}（{s['created']}）：{s['units']} 条，模型 {s['model']}，Chroma {s['chroma']}，"
                   + ("与语料一致。" if s["up_to_date"] else "语料已变化，请运行 `yiju index build` 更新。"))


@click.command("search")
@click.argument("query")
@click.option("-k", default=8, show_default=True, help="返回条数。")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True)
@click.option("--doc", "docs", multiple=True, help="只在某文件中检索（可用简称，如 特设法），可重复。")
@click.option("--include-repealed", is_flag=True, help="包括已废止的文本。")
@click.option("--json", "as_json", is_flag=True)
def search_cmd(query: str, k: int, mode: str, docs: tuple[str, ...], include_repealed: bool, as_json: bool) -> None:
    """检索条文（BM25 + 向量混合），显示引用、效力与摘录。

    \b
    例：yiju search "电梯检验机构出具虚假报告怎么罚"
        yiju search --doc 39号令 "授权签字人"
    """
    from corpus.load import load_corpus
    from index.errors import IndexError_
    from index.search import Searcher

    corpus = load_corpus()
    keys = []
    for d in docs:
        doc = corpus.find_document(d)
        if doc is None:
            raise click.ClickException(f"未找到文件“{d}”。")
        keys.append(doc.key)
    try:
        hits = Searcher(corpus=corpus).search(query, k=k, mode=mode, doc_keys=keys or None,
                                              include_repealed=include_repealed)
    except IndexError_ as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps([{"provision_id": h.id, "citation": h.provision.citation, "status": h.document.status,
                                "version_date": h.document.version_date, "score": h.score, "ranks": h.ranks,
                                "text": h.provision.text} for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("没有找到相关条文。")
    for n, h in enumerate(hits, 1):
        text = h.provision.text.replace("\n", " ")
        click.echo(f"{n}. {h.provision.citation}（{h.document.version_date}版，{h.document.status}）"
                   f" score={h.score:.4f} {h.ranks}")
        click.echo(f"   {text[:160]}{'…' if len(text) > 160 else ''}")


@click.command("bench")
@click.option("--cold/--no-cold", default=True, show_default=True, help="是否在临时目录测冷启动构建（含模型转换）。")
@click.option("--repeat", default=3, show_default=True, help="每条查询的重复次数。")
def bench_cmd(cold: bool, repeat: int) -> None:
    """性能基准：冷构建、无变化重建、BM25/向量/混合与完整回答的延迟 p50/p95、常驻内存。"""
    from evals.bench import print_table, run_bench

    print_table(run_bench(cold=cold, repeat=repeat))

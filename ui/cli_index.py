"""`yiju index build|status`, `yiju search` and `yiju bench`."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["index_group", "search_cmd", "bench_cmd"]


@click.group("index")
def index_group() -> None:
    """检索索引：构建、状态。"""


@index_group.command("build")
@click.option("--full", is_flag=True, help="不复用已有向量，全部重新向量化。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
def build_cmd(full: bool, quiet: bool) -> None:
    """构建或增量更新索引：只对内容变化的条文重新向量化，删除已消失的条文；在旁边建好、校验后原子切换。"""
    from corpus.load import load_corpus
    from index.build import build_index
    from index.errors import SearchIndexError

    corpus = load_corpus()
    for e in corpus.errors:
        click.echo(f"⚠ 未能收录：{e}", err=True)
    try:
        r = build_index(corpus, progress=not quiet, full=full)
    except SearchIndexError as exc:
        raise click.ClickException(str(exc)) from None
    if r.skipped:
        click.echo(f"索引已是最新（{r.build_id}，{r.units} 条，{r.seconds} 秒）。")
    else:
        t = "，".join(f"{k} {v} 秒" for k, v in r.timings.items())
        click.echo(f"索引 {r.build_id}：{r.units} 条（BM25 含款项 {r.lexical_units} 条，向量单元 {r.dense_units} 个）；"
                   f"新向量化 {r.embedded}，"
                   f"复用 {r.reused}；新增 {r.added}，更新 {r.updated}，删除 {r.removed}；用时 {r.seconds} 秒（{t}）。")


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def status_cmd(as_json: bool) -> None:
    """索引是否存在、是否完好、是否与语料一致。"""
    from index.build import index_status
    from index.errors import SearchIndexError

    try:
        s = index_status(deep=True)
    except SearchIndexError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    if s.get("building"):
        click.echo(f"正在构建（进程 {s['building']}）。")
    if not s["exists"]:
        click.echo("尚未构建索引。请运行 `yiju index build`。")
        return
    click.echo(f"索引 {s['build_id']}（{s['created']}）：{s['units']} 条，BM25 {s['lexical_units']} 条，"
               f"向量 {s['vectors']} 个（单元 {s['dense_units']}，{s['runtime']}），模型 {s['model']}，"
               f"Chroma {s['chroma']}；" + ("与语料一致。" if s["up_to_date"] else "语料已变化，请运行 `yiju index build` 更新。"))


@click.command("search")
@click.argument("query")
@click.option("-k", default=8, show_default=True, help="返回条数。")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True)
@click.option("--doc", "docs", multiple=True, help="只在某文件中检索（可用简称，如 特设法、39号令），可重复。")
@click.option("--type", "doc_types", multiple=True, help="只检索某类文件（法律、行政法规、部门规章、规范性文件、典型案例）。")
@click.option("--sector", "sectors", multiple=True, help="只检索某领域（特种设备、机动车、生态环境、食品产品、建设工程、综合）。")
@click.option("--include-repealed", is_flag=True, help="包括已废止的文本。")
@click.option("--penalty/--no-penalty", default=None, help="按处罚问题处理（默认自动判断）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def search_cmd(query: str, k: int, mode: str, docs: tuple[str, ...], doc_types: tuple[str, ...],
               sectors: tuple[str, ...], include_repealed: bool, penalty: bool | None, as_json: bool) -> None:
    """检索条文（BM25 + 向量混合），显示引用、效力、得分与摘录。

    \b
    例：yiju search "电梯检测单位出了假报告如何处罚"
        yiju search "道交法94条"
        yiju search --doc 39号令 "授权签字人"
    """
    from corpus.load import load_corpus
    from index.errors import SearchIndexError
    from index.search import Searcher
    from ui.cli_assistant import warn_missing_corpus

    corpus = load_corpus()
    warn_missing_corpus(corpus)
    keys = []
    for d in docs:
        doc = corpus.find_document(d)
        if doc is None:
            raise click.ClickException(f"未找到文件“{d}”。")
        keys.append(doc.key)
    try:
        hits = Searcher(corpus=corpus, prefetch=mode != "bm25").search(query, k=k, mode=mode, doc_keys=keys or None,
                                              doc_types=list(doc_types) or None, sectors=list(sectors) or None,
                                              include_repealed=include_repealed, penalty=penalty)
    except SearchIndexError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("没有找到相关条文。")
    for n, h in enumerate(hits, 1):
        text = h.provision.text.replace("\n", " ")
        sub = corpus.provisions.get(h.matched_id) if h.matched_id else None
        by = "+".join(f"{s}#{r}" for s, r in h.ranks.items())
        click.echo(f"{n}. {h.provision.citation}（{h.document.version_label}） score={h.score:.4f} [{by}]")
        if sub is not None:
            click.echo(f"   命中：{sub.citation}")
        click.echo(f"   {text[:160]}{'…' if len(text) > 160 else ''}")


@click.command("bench")
@click.option("--queries", "n_queries", default=50, show_default=True, help="用于延迟测量的查询条数（最多 50）。")
@click.option("--repeat", default=2, show_default=True, help="每条查询的重复次数（每次都清空查询向量缓存）。")
@click.option("--cold/--no-cold", default=True, show_default=True, help="是否在临时目录测冷构建（含模型转换）。")
@click.option("--quality/--no-quality", default=True, show_default=True, help="是否在金标集上比较三种检索方式。")
@click.option("--runtimes/--no-runtimes", default=True, show_default=True,
              help="是否在同一次运行中对比 torch fp32 参考实现与各 ONNX 运行时（短问题、案情长问题、批量）。")
@click.option("--server/--no-server", default=True, show_default=True,
              help="是否另起一个 Chroma 服务器，把同一索引放进去，与嵌入式 Chroma 并列测查询延迟。")
@click.option("--startup/--no-startup", default=True, show_default=True,
              help="是否测新进程 yiju search / yiju ask 从启动到退出的用时：文件缓存热时，与先逐文件清出缓存（冷）时。")
@click.option("--scale", is_flag=True,
              help="改为规模测试：默认语料（1×）与 laws.db 全部 378 部法律各建一次索引，比较构建时间、查询延迟与内存；"
                   "--server 时两者都另在 Chroma 服务器上与嵌入式并列测查询延迟。")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="结果 JSON 写到这里（默认 $YIJU_HOME/reports/bench-<时间>.json）。")
def bench_cmd(n_queries: int, repeat: int, cold: bool, quality: bool, runtimes: bool, server: bool, startup: bool,
              scale: bool, out_path: Path | None) -> None:
    """性能基准：冷构建、无变化重建、BM25/向量/混合的延迟 p50/p95 与命中率、常驻内存，以及 torch 与 ONNX 向量化对比。"""
    from evals.bench import print_scale, print_table, run_bench, scale_bench, write_result

    if scale:
        r = scale_bench(repeat=repeat, queries=n_queries, progress=True, server=server)
        r["written_to"] = str(write_result(r, out_path, "bench-scale"))
        print_scale(r)
        return
    print_table(run_bench(cold=cold, repeat=repeat, queries=n_queries, quality=quality, runtimes=runtimes,
                          server=server, startup=startup, out_path=out_path))

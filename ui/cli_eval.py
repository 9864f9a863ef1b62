"""`yiju eval`: run the gold set through every system and write a report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["eval_cmd"]


@click.command("eval")
@click.option("--fast", is_flag=True, help="只跑标注为 fast 的子集（CI 用）。")
@click.option("--no-baseline", is_flag=True, help="不跑 china-law-mcp 基线（其首次建索引较慢）。")
@click.option("--gate", is_flag=True, help="任一质量门槛未达标时以退出码 1 结束。")
@click.option("--no-build", is_flag=True, help="不先更新索引（默认先增量构建，语料未变时约 0.2 秒）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="报告目录（默认 $YIJU_HOME/reports/<时间戳>/，不改动检出目录中的文件）。")
@click.option("--publish", is_flag=True,
              help="同时把本次报告发布为仓库中的 evals/reports/latest.md 与 latest/（会改动受版本管理的文件）。")
def eval_cmd(fast: bool, no_baseline: bool, gate: bool, no_build: bool, out: Path | None, publish: bool) -> None:
    """离线评测：BM25、向量、混合检索、助手与 china-law-mcp 基线并列比较，输出 report.md、metrics.json 与图表。

    默认先把索引更新到与语料一致（新检出目录上即完整构建），再评测。报告写在 $YIJU_HOME/reports/ 下；
    只有加 --publish 才更新仓库中的 evals/reports/latest*。
    """
    from evals.run import check_gates, publish_report, run

    if not no_build:
        from index.build import build_index

        r = build_index(progress=True)
        click.echo(f"索引：{r.build_id}（{'无变化' if r.skipped else f'新嵌入 {r.embedded} 条'}，{r.seconds:.1f} 秒）", err=True)

    metrics, path = run(fast=fast, baseline=not no_baseline, out_dir=out)
    click.echo((path / "report.md").read_text("utf-8"))
    click.echo(f"报告：{path / 'report.md'}")
    if publish:
        click.echo(f"已发布：{publish_report(path)}（及 latest.md）")
    failed = check_gates(metrics)
    if gate and failed:
        click.echo("质量门槛未达标：\n" + "\n".join(f"  ✗ {f}" for f in failed), err=True)
        sys.exit(1)

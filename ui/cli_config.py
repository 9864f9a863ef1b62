"""`yiju config`: every setting's effective value and where it came from (environment or default)."""

from __future__ import annotations

import json

import click

__all__ = ["config_cmd"]


@click.command("config")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def config_cmd(as_json: bool) -> None:
    """显示各项设置的当前取值及其来源（环境变量/默认值）；密钥只显示是否已设置。"""
    from corpus.config import effective

    rows = [{"name": v.name, "value": shown, "source": source, "meaning": v.meaning}
            for v, shown, source in effective()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        click.echo(f"{r['name']:<{width}}  [{r['source']}]  {r['value']}")
        click.echo(f"{'':<{width}}  {r['meaning']}")

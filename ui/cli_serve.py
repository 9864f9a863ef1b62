"""`yiju serve`: the web app."""

from __future__ import annotations

import click

__all__ = ["serve_cmd"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（对外服务时放在反向代理之后）。")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--no-build", is_flag=True, help="索引缺失时不自动构建，直接报错。")
def serve_cmd(host: str, port: int, no_build: bool) -> None:
    """启动网页：执法人员问答（需登录）、培训出题（需登录）、公众咨询（无需登录）。"""
    from index.build import index_status
    from index.errors import IndexError_

    try:
        status = index_status()
    except IndexError_ as exc:
        raise click.ClickException(str(exc)) from None
    if not status["exists"] or not status["up_to_date"]:
        if no_build:
            raise click.ClickException("索引缺失或已过期。请先运行 `yiju index build`。")
        from index.build import build_index

        click.echo("正在构建/更新索引……")
        build_index()
    from ui.app import serve

    click.echo(f"Yiju 运行于 http://{host}:{port}")
    serve(host, port)

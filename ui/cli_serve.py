"""`yiju serve`: the web app (执法人员 / 培训 / 公众咨询)."""

from __future__ import annotations

import click

__all__ = ["serve_cmd"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（对外服务时请放在反向代理之后）。")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-build", is_flag=True, help="索引缺失或过期时不自动构建，直接报错退出。")
@click.option("--api", "with_api", is_flag=True, help="同时提供 JSON 接口（/api/health、/api/login、/api/ask、/api/public/ask）。")
def serve_cmd(host: str, port: int, no_build: bool, with_api: bool) -> None:
    """启动网页：执法人员问答（需登录）、培训出题（需登录）、公众咨询（无需登录）。"""
    from index.build import index_status
    from index.errors import IndexError_

    try:
        status = index_status()
        problem = "" if status["exists"] and status["up_to_date"] else \
            "索引已过期（语料有变化）" if status["exists"] else "索引不存在"
    except IndexError_ as exc:
        problem = f"索引损坏：{exc}"
    if problem:
        if no_build:
            raise click.ClickException(f"{problem}。请先运行 `yiju index build`。")
        from index.build import build_index

        click.echo(f"{problem}，正在构建索引（首次约需数分钟）……")
        try:
            build_index()
        except IndexError_ as exc:
            raise click.ClickException(f"索引构建失败：{exc}。请运行 `yiju index build` 查看详情。") from None
    from ui.auth import list_users

    if not list_users():
        click.echo("提示：尚无登录账号，执法人员和培训模式需要登录。创建账号：yiju users add 姓名 --role officer")
    click.echo(f"Yiju 正在启动：http://{host}:{port}" + ("（含 JSON 接口 /api/…）" if with_api else ""))
    if with_api:
        from ui.api import run

        run(host, port)
        return
    from ui.app import serve

    serve(host, port)

"""`yiju serve`: the web app (执法人员 / 培训 / 公众咨询)."""

from __future__ import annotations

import click

__all__ = ["serve_cmd"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（对外服务时请放在反向代理之后）。")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-build", is_flag=True, help="索引缺失或过期时不自动构建，直接报错退出。")
@click.option("--api", "with_api", is_flag=True,
              help="同时提供 JSON 接口（/api/health、/api/login、/api/logout、/api/ask、/api/public/ask）。")
def serve_cmd(host: str, port: int, no_build: bool, with_api: bool) -> None:
    """启动网页：执法人员问答（需登录）、培训出题（需登录）、公众咨询（无需登录）。"""
    from ui.cli_assistant import warn_missing_corpus

    warn_missing_corpus()  # a mistyped YIJU_CORPUS_DIRS must not go unnoticed
    from index.build import index_status
    from index.errors import SearchIndexError

    try:
        status = index_status()
        problem = "" if status["exists"] and status["up_to_date"] else \
            "索引已过期（语料有变化）" if status["exists"] else "索引不存在"
    except SearchIndexError as exc:
        problem = f"索引损坏：{exc}"
    if problem:
        if no_build:
            raise click.ClickException(f"{problem}。请先运行 `yiju index build`。")
        from index.build import build_index

        click.echo(f"{problem}，正在构建索引（首次约需数分钟）……")
        try:
            build_index()
        except SearchIndexError as exc:
            raise click.ClickException(f"索引构建失败：{exc}。请运行 `yiju index build` 查看详情。") from None
    from ui.auth import list_users

    if not list_users():
        click.echo("提示：尚无登录账号，执法人员和培训模式需要登录。创建账号：yiju users add 姓名 --role officer")
    _proxy_note(host)
    click.echo(f"Yiju 正在启动：http://{host}:{port}" + ("（含 JSON 接口 /api/…）" if with_api else ""))
    from ui.api import run

    run(host, port, with_api=with_api)


def _proxy_note(host: str) -> None:
    """Say which address lockouts and rate limits key on."""
    from corpus.config import trusted_proxies

    proxies = trusted_proxies()
    if proxies:
        click.echo(f"信任以下反向代理转发的客户端地址（X-Forwarded-For）：{', '.join(proxies)}")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("提示：未设置 YIJU_TRUSTED_PROXIES，客户端地址取 TCP 对端（X-Forwarded-For 一律不信任）。"
                   "在反向代理之后运行时，请把代理地址写入 YIJU_TRUSTED_PROXIES，否则所有用户共用代理地址的限频与锁定。")

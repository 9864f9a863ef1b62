"""`yiju loadtest`: concurrent sessions against the assistant or a running server (loopback only)."""

from __future__ import annotations

import json
import sys

import click

__all__ = ["loadtest_cmd"]


@click.command("loadtest")
@click.option("--sessions", default=50, show_default=True)
@click.option("--questions", default=20, show_default=True, help="每个会话的问题数。")
@click.option("--workers", default=16, show_default=True, help="并发线程数。")
@click.option("--url", default=None, help="对运行中的服务（仅限 127.0.0.1/localhost）施压；不给则在进程内测试。")
@click.option("--user", default=None,
              help="执法人员账号：每个会话各自登录取得 token，经 JSON 接口追问（需 `yiju serve --api`）。"
                   "不给则匿名使用公众接口（受每地址限频约束）。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取 --user 的密码（第一行）；否则交互输入。")
def loadtest_cmd(sessions: int, questions: int, workers: int, url: str | None, user: str | None,
                 password_stdin: bool) -> None:
    """负载测试：N 个会话 × M 个问题，报告错误数、会话串扰数与延迟 p50/p95。有错误或串扰时退出码为 1。"""
    from evals.load import run_http, run_inprocess

    password = None
    if url and user:
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else click.prompt("密码", hide_input=True)
    try:
        report = (run_http(url, sessions, questions, workers, user, password) if url
                  else run_inprocess(sessions, questions, workers))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    for line in (report.errors + report.leaks)[:10]:
        click.echo(f"  ✗ {line}", err=True)
    if report.errors or report.leaks:
        sys.exit(1)

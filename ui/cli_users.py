"""`yiju users …`: accounts for the officer and trainer modes (bcrypt-hashed in $YIJU_HOME/users.json), their
open sessions; `yiju audit …`: the audit log's hash chain."""

from __future__ import annotations

import sys

import click

__all__ = ["users_group", "audit_group"]


@click.group("users")
def users_group() -> None:
    """登录账号管理（执法人员 officer / 培训 trainer）。公众咨询模式无需账号。"""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["officer", "trainer"]), required=True, help="officer=执法人员，trainer=培训。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（第一行，供脚本使用）。")
def add(name: str, role: str, password_stdin: bool) -> None:
    """添加用户或重置其密码。密码至少8位，不回显；只保存 bcrypt 哈希。"""
    from ui.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        new = add_user(name, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    label = "执法人员" if role == "officer" else "培训"
    click.echo(f"{'已添加' if new else '已更新'}用户 {name.strip()}（{label}）。")


@users_group.command("list")
def list_cmd() -> None:
    """列出用户与角色（不显示密码哈希）。"""
    from ui.auth import list_users

    _table(list_users(), "尚无用户。添加：yiju users add 姓名 --role officer")


@users_group.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """删除用户（其已登录的会话随即失效）。"""
    from ui.auth import remove_user

    if not remove_user(name):
        raise click.ClickException(f"没有用户 {name}。")
    click.echo(f"已删除用户 {name}。")


@users_group.command("sessions")
def sessions_cmd() -> None:
    """列出已登录的会话（用户、角色、客户端地址、到期时间；不显示 token）。"""
    import time

    from ui.auth import sessions

    _table([(user, role, client, time.strftime("%Y-%m-%d %H:%M", time.localtime(expires)))
            for user, role, client, expires in sessions()], "没有已登录的会话。")


def _table(rows: list[tuple], empty: str) -> None:
    """Tab-separated rows, or `empty` when there are none."""
    if not rows:
        click.echo(empty)
    for row in rows:
        click.echo("\t".join(map(str, row)))


@users_group.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """立即结束某用户的全部会话（所有工作进程；网页与 API 的 token 都随即失效）。"""
    from ui.auth import revoke_user

    click.echo(f"已结束 {name} 的 {revoke_user(name)} 个会话。")


@click.group("audit")
def audit_group() -> None:
    """审计日志（只追加，带哈希链）。"""


@audit_group.command("verify")
def verify_cmd() -> None:
    """逐行核对审计日志的哈希链：内容被改、行被删或插入都会被发现。有问题时退出码为 1。"""
    from ui.audit import db_path, verify

    v = verify()
    for problem in v.problems[:50]:
        click.echo(f"  ✗ {problem}", err=True)
    if not v.ok:
        click.echo(f"审计日志校验失败：{len(v.problems)} 处问题（{db_path()}）。", err=True)
        sys.exit(1)
    legacy = f"（其中 {v.legacy} 行早于哈希链）" if v.legacy else ""
    click.echo(f"审计日志完好：{v.rows} 行{legacy}。链尾哈希：{v.head or '（空）'}")
    click.echo("请把链尾哈希另行保存；日后再核对时，它应仍出现在链中。")

"""`yiju users …`: accounts for the officer and trainer modes (bcrypt-hashed in $YIJU_HOME/users.json)."""

from __future__ import annotations

import sys

import click

__all__ = ["users_group"]


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

    users = list_users()
    if not users:
        click.echo("尚无用户。添加：yiju users add 姓名 --role officer")
    for name, role in users:
        click.echo(f"{name}\t{role}")


@users_group.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """删除用户（其已登录的会话随即失效）。"""
    from ui.auth import remove_user

    if not remove_user(name):
        raise click.ClickException(f"没有用户 {name}。")
    click.echo(f"已删除用户 {name}。")

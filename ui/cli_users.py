"""`yiju users …`: accounts for the officer and trainer modes (bcrypt-hashed)."""

from __future__ import annotations

import sys

import click

__all__ = ["users_group"]


@click.group("users")
def users_group() -> None:
    """登录用户管理（执法人员 officer / 培训 trainer）。"""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["officer", "trainer"]), required=True)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（脚本用）。")
def add(name: str, role: str, password_stdin: bool) -> None:
    """添加或重置用户。密码至少8位，只保存 bcrypt 哈希，不回显。"""
    from ui.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        add_user(name, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已添加用户 {name}（{role}）。")


@users_group.command("list")
def list_cmd() -> None:
    """列出用户与角色。"""
    from ui.auth import list_users

    for name, role in list_users():
        click.echo(f"{name}\t{role}")


@users_group.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """删除用户。"""
    from ui.auth import remove_user

    if not remove_user(name):
        raise click.ClickException(f"没有用户 {name}。")
    click.echo(f"已删除用户 {name}。")

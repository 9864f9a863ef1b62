"""The `yiju` command line: one group, subcommands assembled from the ui.cli_* modules."""

from __future__ import annotations

import importlib
import os
import sys

import click

from ui.cli_zh import install

# Each module defines click commands/groups listed in its __all__; a helper owns one module.
COMMAND_MODULES = ["ui.cli_corpus", "ui.cli_index", "ui.cli_assistant", "ui.cli_serve", "ui.cli_quiz",
                   "ui.cli_eval", "ui.cli_users", "ui.cli_load", "ui.cli_config"]


install()  # click's usage errors and help headings in Chinese


class Failed(click.ClickException):
    """A command that could not do its work (index missing or damaged): message and exit status 2."""

    exit_code = 2


class YijuGroup(click.Group):
    """Turns the typed index errors, and an unexpected end of file while reading data (a truncated index file
    raises EOFError, which click would report as a bare "Aborted!"), into one message naming what to do."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EOFError as exc:
            raise Failed(f"检索索引已损坏或数据文件不完整（读到意外的文件结尾：{exc or 'EOFError'}）。"
                         "请运行 `yiju index build` 重建索引。") from None
        except Exception as exc:
            from index.errors import SearchIndexError

            if isinstance(exc, SearchIndexError):
                raise Failed(str(exc)) from None
            raise


@click.group(cls=YijuGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="yiju")
def cli() -> None:
    """依据 Yiju — 检验检测监管法律依据助手（离线）。

    \b
    常用：
      yiju corpus stats                      语料统计与缺失的任务文件
      yiju corpus show 特种设备安全法 93       条文、引用格式与解析出的罚则
      yiju index build                       构建/增量更新检索索引
      yiju search "电梯检测单位出了假报告如何处罚"
      yiju ask "检测公司出了假报告，罚款多少？依据是哪条？"
      yiju serve                             启动网页（127.0.0.1:7860）
      yiju config                            当前设置及其来源
    """


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        if exc.name != _name:
            raise
        continue
    for _cmd in getattr(_mod, "__all__", []):
        cli.add_command(getattr(_mod, _cmd))


# Read-only commands whose process has nothing left to do once their output is written: the `yiju` entry point
# ends them without the interpreter's teardown, which costs ~0.7 s after a search (dropping the query tokenizer's
# 250,000-piece vocabulary, chromadb's and ONNX Runtime's native objects) and changes nothing they wrote.
QUICK_EXIT = frozenset({"search"})


def _quick_exit() -> None:
    """Flush what a command that succeeded printed and end the process now (only from `main`, never in tests)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`yiju search … | head`): nothing more can be written
            pass
    os._exit(0)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except SystemExit as exc:
        if exc.code in (0, None) and sys.argv[1:2] and sys.argv[1] in QUICK_EXIT:
            _quick_exit()
        raise
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except Exception as exc:  # typed index/assistant errors carry a message meant for the user
        from index.errors import SearchIndexError

        if not isinstance(exc, SearchIndexError):
            raise
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()

"""`yiju ask` and `yiju verify`: answers with citations, and the citation checker on any text."""

from __future__ import annotations

import json
import sys

import click

__all__ = ["ask_cmd", "verify_cmd"]


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（答案、引用、罚则记录、置信度）。")
@click.option("--mode", type=click.Choice(["officer", "trainer", "public"]), default="officer", show_default=True,
              help="回答模式；public 只回答公众咨询范围内的问题。")
@click.option("--session", "session_id", default=None, help="会话 ID：同一会话中的追问（“那情节严重呢？”）沿用上文。")
@click.option("--stream", is_flag=True,
              help="接入大模型时，在标准错误上逐句显示已通过引用核查的句子；标准输出仍是完整答案。")
def ask_cmd(question: str | None, as_json: bool, mode: str, session_id: str | None, stream: bool) -> None:
    """回答一个问题，附逐字引用的条文。不给 QUESTION 时从管道（标准输入）读取。

    \b
    例：yiju ask "检测公司出了假报告，罚款多少？依据是哪条？"
        yiju ask --json "车检站伪造检验结果如何处罚"
    无法给出回答（检索索引缺失或损坏）时退出码为 2。
    """
    from assistant import ask

    if question is None:
        question = piped_input()
    warn_missing_corpus()
    shown = StreamEcho() if stream else None
    answer = ask(question, session=session_id, mode=mode, on_text=shown)
    if shown is not None:
        shown.done(answer.generator == "llm")
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(answer.markdown)
    if answer.intent == "error":  # no answer could be produced (index missing or damaged)
        sys.exit(2)


class StreamEcho:
    """`yiju ask --stream`: each newly checked part of a streamed LLM reply on stderr as it comes."""

    def __init__(self) -> None:
        self.printed = 0

    def __call__(self, checked: str) -> None:
        if not self.printed:
            click.secho("（模型整理中，以下句子均已通过引用核查）", err=True, dim=True)
        click.echo(checked[self.printed:], nl=False, err=True)
        self.printed = len(checked)

    def done(self, served: bool) -> None:
        if self.printed:
            click.echo("", err=True)
            click.secho("（完整回答见下）" if served else "（模型输出未通过引用核查或不可用，已停止；下面是抽取式答案）",
                        err=True, dim=True)


def warn_missing_corpus(corpus: object | None = None) -> None:
    """A loud warning on stderr when mission documents are missing (names them and the directories looked in)."""
    from corpus.load import load_corpus, missing_corpus_warning

    warning = missing_corpus_warning(corpus or load_corpus())
    if warning:
        click.secho(f"⚠ 警告：{warning}", fg="red", bold=True, err=True)


def piped_input() -> str:
    """The text piped into stdin; at a terminal (nothing piped) show the command's help instead of waiting."""
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        ctx = click.get_current_context()
        click.echo(ctx.get_help())
        click.echo("\n未给出要处理的文字：请把它写在命令后面（加引号），或通过管道从标准输入传入。", err=True)
        ctx.exit(2)
    raw = getattr(stdin, "buffer", None)
    return raw.read().decode("utf-8", "replace") if raw is not None else stdin.read()


@click.command("verify")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def verify_cmd(text: str | None, as_json: bool) -> None:
    """核查一段文字中的条文引用：条号是否存在于语料、引文是否逐字一致、是否把已废止条文当作现行依据。

    \b
    例：yiju verify "依据《中华人民共和国特种设备安全法》第九十三条第一款第（三）项……"
    不给 TEXT 时从管道（标准输入）读取。有问题时退出码为 1。
    """
    from assistant.citations import check
    from corpus.load import load_corpus

    if text is None:
        text = piped_input()
    result = check(text, load_corpus())
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        lines = result.verdict_lines()
        for line in lines:
            click.echo(line)
        if not lines:
            click.echo("未发现条文引用。")
        elif result.problems:
            click.echo(f"结论：{sum(1 for x in lines if x.startswith('✗'))} 处引用有问题（✗）。")
        else:
            click.echo("结论：全部引用均可在语料中核实。")
    if result.problems:
        sys.exit(1)

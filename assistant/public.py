"""Public-mode scope: which questions the public FAQ answers, and which it politely declines.

`classify_public(question) -> (allowed, reason)`: a question is answered only when it names an FAQ topic — how to
check an institution's qualification and report (资质认定证书, CMA), how to complain or report (the action plan's
channels), what a 检验检测报告 is, the public's rights (监督, 信息公开, 委托人/复检, 电梯等特种设备和机动车检验的常识) —
and touches none of the denied topics (执法裁量, 内部执法信息, 规避监管, 代写/伪造文书, 改变规则的指令). Deny wins over
allow. The assistant applies this to every mode="public" call, so the restriction holds at the API, not only in
the page.

`PUBLIC_FAQ`: the FAQ topics (corpus/data/faq.yaml) with the corpus provisions that ground them (keys, words to
pick a topic, the lead sentence, provision ids, example questions); assistant.faq renders the answers.
"""

from __future__ import annotations

import re
import unicodedata

from corpus.asks import OVERRIDE
from corpus.knowledge import FaqEntry, faq_topics, public_scope

PUBLIC_FAQ: tuple[FaqEntry, ...] = faq_topics()  # corpus/data/faq.yaml

# What the public FAQ covers (any one of these is needed) and what it never answers, by category (the first
# match names the reason): corpus/data/public_scope.yaml.
ALLOW = re.compile("|".join(public_scope().allow))
DENY: tuple[tuple[str, re.Pattern], ...] = (
    ("改变回答规则的指令", re.compile(OVERRIDE)),
    *((category, re.compile("|".join(patterns))) for category, patterns in public_scope().deny),
)

_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
SCOPE_HINT = public_scope().hint
DISCRETION = "执法裁量"  # the denied category a request for statute text may name…
INTERNAL_DISCRETION = re.compile("裁量|基准|量罚|内部")  # …unless it asks for the authorities' own standards


def normalize(question: str) -> str:
    """NFKC (full-width → half-width), lower case, and no spaces or zero-width characters (自 由 裁 量)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", question or "")).lower()


def _normalized(question: object) -> str:
    return normalize(question if isinstance(question, str) else str(question or ""))


def denial(question: object, text_request: bool = False) -> str:
    """Why the public mode refuses a question outright (discretion, internal enforcement, evasion…), else ''.
    A question that merely names no FAQ topic is not refused this way (statute text is public); nor is a request
    for a provision's own text that names a penalty ('超载怎么处罚的那条原文'): the law is public, the
    discretion is not."""
    q = _normalized(question)
    for category, pattern in DENY:
        if m := pattern.search(q):
            if text_request and category == DISCRETION and not INTERNAL_DISCRETION.search(q):
                continue
            return f"公众咨询模式不解答{category}类问题（“{m.group(0)}”）"
    return ""


def classify_public(question: str) -> tuple[bool, str]:
    """(allowed, reason). Deny wins over allow: discretion, internal enforcement and evasion are out of scope."""
    q = _normalized(question)
    if not q:
        return False, "问题为空"
    if refused := denial(q):
        return False, refused
    if ALLOW.search(q):
        return True, ""
    return False, f"不在公众咨询范围内（{SCOPE_HINT}）"

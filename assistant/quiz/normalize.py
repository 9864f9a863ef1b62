"""One spelling for numbers (五万元 → 5万元, 六年 → 6年), sentence and clause splitting, similarity."""

from __future__ import annotations

import functools
import re

from corpus.models import yuan
from corpus.numerals import DIGITS, cn_to_int

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_RUN = r"[0-9.]+|[零〇一二两三四五六七八九十百千万]+"
_MONEY = re.compile(rf"({_RUN})(万元|元)")
_COUNT = re.compile(rf"(?<![^以]上)(?<![同统])({_RUN})(倍|个工作日|工作日|个月|年|日|天|小时|周岁)")
SPACE = re.compile(r"[ \t\r\f\v\u3000\u00a0]+")


def fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _number(run: str) -> float | None:
    """'五' → 5, '二十' → 20, '二〇二一' → 2021, '6' → 6; None for runs that are no number."""
    if re.fullmatch(r"\d+(?:\.\d+)?", run):
        return float(run)
    if not re.fullmatch(r"[零〇一二两三四五六七八九十百千万]+", run) or not re.search("[零〇一二两三四五六七八九十百千]", run):
        return None
    if not re.search("[十百千万]", run):
        return float("".join(str(DIGITS[ch]) for ch in run))
    try:
        return float(cn_to_int(run))
    except ValueError:
        return None


def _money(m: re.Match) -> str:
    value = _number(m.group(1))
    if value is None:
        return m.group(0)
    return yuan(value * (10_000 if m.group(2) == "万元" else 1))


def _count(m: re.Match) -> str:
    value = _number(m.group(1))
    return m.group(0) if value is None else fmt_number(value) + m.group(2)


def normalize(text: str) -> str:
    """Spaces dropped (newlines kept), amounts and periods in Arabic figures: 五万元 → 5万元, 五千元 → 5000元,
    十倍 → 10倍, 六年 → 6年, 三十日 → 30日. Idempotent; applied to texts and options alike."""
    text = SPACE.sub("", text.translate(_FULLWIDTH))
    text = _MONEY.sub(_money, text)
    return _COUNT.sub(_count, text)


def split_sentences(text: str) -> list[str]:
    """Split after 。；\\n, keeping the delimiters; empty parts dropped."""
    return [s for s in re.split(r"(?<=[。；;\n])", text) if s.strip()]


def trim_clause(s: str) -> str:
    return s.strip().rstrip("。；;，,：:\n")


def strip_item(text: str) -> str:
    return re.sub(r"^\s*[（(][一二三四五六七八九十]+[)）]", "", text).strip().rstrip("；;。，,")


@functools.lru_cache(maxsize=1 << 16)
def _bigrams(s: str) -> frozenset[str]:
    s = re.sub(r"[，。；：、（）()“”\s]", "", s)
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity (0…1)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


GENERIC_ITEM = re.compile(r"^其他|(?:规定|认为|确定)[^，；]{0,30}的其他|其他[^，；]{0,12}(?:情形|行为|职权|事项|职责)$")


def is_generic(item: str) -> bool:
    return bool(GENERIC_ITEM.search(item))



def spellings(value: str) -> list[str]:
    """Other accepted spellings of a blank's answer: 6年 → 六年; 20万元 → 二十万元, 200000元."""
    out = []
    m = re.fullmatch(r"(\d+)(万元|元|倍|个工作日|工作日|个月|年|日|天|小时|周岁)", value)
    if m:
        from corpus.numerals import int_to_cn

        n, unit = int(m.group(1)), m.group(2)
        out.append(int_to_cn(n) + unit)
        if unit == "万元":
            out.append(f"{n * 10_000}元")
        if unit == "元" and n >= 10_000 and n % 10_000 == 0:
            out.append(int_to_cn(n // 10_000) + "万元")
    return [x for x in dict.fromkeys(out) if x != value]



# an item that refers to other provisions (属于第十五条第一项规定情形的) does not stand on its own
CROSS_REF = re.compile(r"第[一二三四五六七八九十百零\d]+(?:条|项|款)|前款|本条|前[两三]款")


def usable_item(item: str) -> bool:
    """Whether a listed item (label stripped) can be an option or a statement: 6–70 characters, not a catch-all
    (其他…情形), no reference to other provisions, not the lead of a sub-list (…：)."""
    return 6 <= len(item) <= 70 and not is_generic(item) and not CROSS_REF.search(item) \
        and not item.endswith(("：", ":"))

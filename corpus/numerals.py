"""Chinese numerals both ways: 第一百零一条 ↔ 101, and money amounts (五万元, 2万元)."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_CN = "零一二三四五六七八九"
NUMBER = r"[零〇一二两三四五六七八九十百千\d]+"  # an article, paragraph or item number as written (第一百零一条, 第27条)
AMOUNT = r"[零〇一二两三四五六七八九十百千万\d.]+"  # an amount or multiple (五万元, 2.5万元, 十倍)


def numbered(template: str, numeral: str = NUMBER) -> re.Pattern:
    """A pattern whose every `{n}` is a group of one numeral: `numbered("^第{n}章")` finds 第三章 (group 1 三),
    `numbered("{n}元以上{n}元以下", AMOUNT)` 二千元以上一万元以下 (groups 二千, 一万). Other braces are left as written."""
    return re.compile(template.replace("{n}", f"({numeral})"))


def cn_to_int(text: str) -> int:
    """'一百零一' → 101, '十二' → 12, '27' → 27; raises ValueError on anything else."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            section += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        elif ch == "亿":
            total += (section + (digit or 0)) * 100_000_000
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def _below_10000(n: int) -> str:
    out, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(_CN[d] + unit)
        elif out:
            zero = True
    return "".join(out)


def int_to_cn(n: int) -> str:
    """101 → '一百零一', 10 → '十', 12 → '十二', 1230 → '一千二百三十'."""
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    text = ""
    if high:
        text = _below_10000(high) + "万"
        if low and low < 1000:
            text += "零"
    text += _below_10000(low)
    if text.startswith("一十"):
        text = text[1:]
    return text


_AMOUNT = re.compile(r"^([0-9０-９.]+|[" + CN_NUM + r"]+)\s*(万|千)?$")


def parse_amount(text: str) -> float:
    """'五万' → 50000, '2万' → 20000, '5000' → 5000, '0.5万' → 5000 (the part before 元)."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    m = _AMOUNT.match(text)
    if not m:
        raise ValueError(f"not an amount: {text!r}")
    number, unit = m.groups()
    if re.fullmatch(r"[0-9.]+", number):
        value = float(number)
        scale = {"万": 10_000, "千": 1000, None: 1}[unit]
        return value * scale
    return float(cn_to_int(number + (unit or "")))

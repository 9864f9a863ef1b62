"""Distractor pools (sibling amounts, authorities, periods, items, articles) and their ranking by difficulty."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable

from assistant.quiz.candidates import AUTHORITY_SHAPE, PERIOD_UNIT, QuizContext, find_periods, multiple_value
from assistant.quiz.normalize import (
    fmt_number,
    is_generic,
    normalize,
    similarity,
    split_sentences,
    strip_item,
)
from corpus.models import Provision, yuan


class Pools(QuizContext):
    """Distractor pools per document, cached, and the pick by difficulty."""

    # -- distractor pools ---------------------------------------------------------------------------------------
    def _pool(self, name: str, build) -> list:
        cache = self.__dict__.setdefault("_pools", {})
        if name not in cache:
            cache[name] = build()
        return cache[name]

    def fine_pool(self, doc_key: str) -> list[tuple[str, float | None, float | None]]:
        def build():
            rows = []
            for r in self.c.penalties:
                if r.kind == "处罚" and r.multiple_max is None and r.multiple_min is None and (
                        r.fine_min is not None or r.fine_max is not None):
                    rows.append((r.provision_id.split("/")[0], r.fine_label().removesuffix("罚款"), r.fine_min,
                                 r.fine_max))
            return rows
        return doc_first(self._pool("fine", build), doc_key)

    def multiple_pool(self, doc_key: str) -> list[tuple[str, float | None, float | None]]:
        def build():
            rows = [(r.provision_id.split("/")[0], multiple_value(r.multiple_min, r.multiple_max), r.multiple_min,
                     r.multiple_max) for r in self.c.penalties
                    if r.kind == "处罚" and (r.multiple_min is not None or r.multiple_max is not None)]
            rows += [("", multiple_value(lo, hi), lo, hi) for lo, hi in STANDARD_MULTIPLES]
            return rows
        return doc_first(self._pool("multiple", build), doc_key)

    def authority_pool(self, doc_key: str) -> list[str]:
        def build():
            rows = []
            for r in self.c.penalties:
                auth = normalize(r.authority)
                if auth and AUTHORITY_SHAPE.fullmatch(auth):
                    rows.append((r.provision_id.split("/")[0], auth))
            rows += [("", a) for a in STANDARD_AUTHORITIES]
            return rows
        return [row[1] for row in doc_first(self._pool("authority", build), doc_key)]

    def period_pool(self, doc_key: str, unit: str) -> list[str]:
        def build():
            rows = []
            for p in self.c.provisions.values():
                if p.kind in ("paragraph", "plan_item"):
                    for sentence in split_sentences(self.norm(p)):
                        rows.extend((p.doc_key, v) for v in find_periods(sentence))
            return rows
        values = [v for d, v in self._pool("period", build) if d == doc_key and PERIOD_UNIT.search(v).group(0) == unit]
        values += [f"{fmt_number(x)}{unit}" for x in STANDARD_PERIODS.get(unit, [])]
        return list(dict.fromkeys(values))

    def item_pool(self, doc_key: str) -> list[tuple[str, str]]:
        """(paragraph id, item text) of every usable item; this document's first, then the rest of the corpus."""
        def build():
            rows = []
            for para_id, items in self.items_of.items():
                doc = para_id.split("/")[0]
                if doc.startswith("典型案例"):
                    continue
                for it in items:
                    s = strip_item(normalize(it.text))
                    if 6 <= len(s) <= 70 and not is_generic(s):
                        rows.append((doc, para_id, s))
            return rows
        rows = self._pool("items", build)
        same = [(pid, s) for d, pid, s in rows if d == doc_key]
        other = [(pid, s) for d, pid, s in rows if d != doc_key]
        return same + other

    # -- ranking by difficulty ------------------------------------------------------------------------------------
    def pick(self, rng: random.Random, ranked: list[str], k: int) -> list[str]:
        """k distractors from a list ranked closest-first: 难 the closest, 中 a mix, 易 the farthest."""
        ranked = list(dict.fromkeys(ranked))
        if len(ranked) < k:
            return []
        if self.difficulty == "难":
            window = ranked[: max(k, min(len(ranked), k + 2))]
        elif self.difficulty == "中":
            window = ranked[: max(k, min(len(ranked), 3 * k + 3))]
        else:
            window = ranked[len(ranked) // 3:] if len(ranked) - len(ranked) // 3 >= k else ranked
        return rng.sample(window, k)


# Departments that are one body in practice (工商/质监/食药/特种设备/认证认可/价格 are all 市场监管 today);
# a distractor from the answer's family would be arguable, so it is never offered.
AUTHORITY_FAMILIES = {
    "市场监管": ("市场监督", "工商", "质量技术监督", "质量监督", "食品安全监督", "食品药品", "特种设备", "认证认可",
             "标准化", "计量", "价格", "产品质量"),
    "生态环境": ("生态环境", "环境保护"),
    "公安": ("公安",),
    "交通运输": ("交通运输", "海事", "铁路", "民用航空"),
    "住房城乡建设": ("住房城乡建设", "建设行政", "城乡建设", "城镇排水", "环境卫生", "供水"),
    "应急管理": ("应急管理", "安全生产监督"),
    "农业农村": ("农业农村", "农业", "渔业", "林业", "草原"),
    "卫生健康": ("卫生",),
    "海关": ("海关", "出入境检验检疫", "商检"),
    "能源": ("能源",),
    "工业和信息化": ("工业和信息化", "商务"),
}
VAGUE_AUTHORITY = re.compile(r"有关|其他|确定的|指定的|上级|其所在|授予")  # catch-alls: never distractors
_AUTH_NOISE = re.compile(r"县级以上|设区的市级|省级以上|省级|国务院|地方|人民政府|负责|有关|按照职责|的|等|主管|行政|管理|监督|"
                         r"部门|机关|机构")


def authority_core(a: str) -> str:
    return _AUTH_NOISE.sub("", a)


def same_authority(a: str, b: str) -> bool:
    """Whether two authority names may denote the same body (same family, or one's core contains the other's)."""
    if a == b or a in b or b in a:
        return True
    fam_a = {f for f, words in AUTHORITY_FAMILIES.items() if any(w in a for w in words)}
    fam_b = {f for f, words in AUTHORITY_FAMILIES.items() if any(w in b for w in words)}
    if fam_a & fam_b:
        return True
    ca, cb = authority_core(a), authority_core(b)
    return bool(ca and cb and (ca in cb or cb in ca))


STANDARD_AUTHORITIES = [
    "县级以上市场监督管理部门", "省级市场监督管理部门", "国务院市场监督管理部门", "负责特种设备安全监督管理的部门",
    "公安机关交通管理部门", "县级以上人民政府生态环境主管部门", "交通运输主管部门", "住房城乡建设主管部门",
    "价格主管部门", "认证认可监督管理部门", "应急管理部门", "县级以上人民政府农业农村主管部门",
]
STANDARD_MULTIPLES = [(1, 3), (1, 5), (2, 5), (3, 5), (2, 10), (3, 10), (5, 10), (5, 20), (10, 20), (10, 30),
                      (None, 3), (None, 5), (None, 10)]
STANDARD_PERIODS = {"年": [1, 2, 3, 5, 6, 10, 15, 20, 30], "个月": [1, 2, 3, 6, 9, 12, 18, 24],
                    "日": [3, 5, 7, 10, 15, 20, 30, 45, 60, 90], "天": [3, 5, 7, 10, 15, 30, 60, 90],
                    "工作日": [3, 5, 7, 10, 15, 20, 30], "个工作日": [3, 5, 7, 10, 15, 20, 30],
                    "小时": [1, 2, 4, 6, 8, 12, 24, 48, 72], "周岁": [14, 16, 18, 20, 22, 60, 70]}
def doc_first(rows: list[tuple], doc_key: str) -> list[tuple]:
    return [r for r in rows if r[0] == doc_key] + [r for r in rows if r[0] != doc_key]


def nice_amount(x: float) -> float:
    """Round to a 'legal-looking' amount: 1, 2, 3, 5 × 10^k."""
    if x <= 0:
        return 0
    k = 10 ** math.floor(math.log10(x))
    return min((1, 2, 3, 5, 10), key=lambda m: abs(m * k - x)) * k


def synthetic_fines(lo: float | None, hi: float | None) -> list[tuple[str, float | None, float | None]]:
    out = []
    for f in (0.5, 2, 0.2, 5, 0.1, 10, 3):
        a = nice_amount(lo * f) if lo else None
        b = nice_amount(hi * f) if hi else None
        if (a or b) and (a is None or b is None or a < b):
            out.append((fine_label(a, b), a, b))
    if lo and hi:
        out.append((fine_label(lo, nice_amount(hi * 2)), lo, nice_amount(hi * 2)))
        out.append((fine_label(nice_amount(lo / 2), hi), nice_amount(lo / 2), hi))
    return out


def fine_label(lo: float | None, hi: float | None) -> str:
    if lo is not None and lo == hi:
        return yuan(lo)
    return (f"{yuan(lo)}以上" if lo else "") + (f"{yuan(hi)}以下" if hi else "")


def range_shape(lo, hi) -> str:
    return "range" if lo is not None and hi is not None and lo != hi else "exact" if lo == hi else \
        "max" if hi is not None else "min"


def rank_numeric(value: str, lo_hi: tuple, pool: Iterable[tuple[str, float | None, float | None]],
                  article_text: str) -> list[str]:
    """Distractor values closest-first: same shape (range/以下/以上) before others, then by log distance."""
    lo, hi = lo_hi
    shape = range_shape(lo, hi)
    scored = []
    for v, a, b in pool:
        v = normalize(v)
        if not v or v == value or v in article_text or value in v or (a is None and b is None):
            continue
        d = 0.0
        for x, y in ((lo, a), (hi, b)):
            if x and y:
                d += abs(math.log10(x) - math.log10(y))
            elif (x is None) != (y is None):
                d += 1.5
        scored.append((range_shape(a, b) != shape, round(d, 6), v))
    scored.sort()
    return list(dict.fromkeys(v for _, _, v in scored))


def numeric_sort_key(option: str) -> tuple:
    nums = []
    for m in re.finditer(r"(\d+(?:\.\d+)?)(万)?", option):
        nums.append(float(m.group(1)) * (10_000 if m.group(2) else 1))
    if "以下" in option and "以上" not in option:
        nums = [0.0, *nums]
    return (tuple(nums) if nums else (math.inf,), option)




def paraphrased(snippet: str, text: str, threshold: float = 0.45) -> bool:
    """Whether some clause of the text is close to the snippet (bigram similarity)."""
    for clause in re.split(r"[。；;\n，,]", text):
        if len(clause) >= 6 and similarity(snippet, clause) >= threshold:
            return True
    return similarity(snippet, text) >= threshold


def article_option(a: Provision) -> str:
    if a.kind == "plan_item":
        return f"{a.label}{a.heading}"
    return a.article_label


def article_order(a: Provision) -> tuple:
    if a.article is not None:
        return (a.article, a.article_suffix)
    m = re.search(r"/(\d+)$", a.id)
    return (int(m.group(1)) if m else 0, 0)


def rank_articles(p: Provision, pool: list[Provision]) -> list[Provision]:
    """Closest first: same chapter and nearest number."""
    n = article_order(p)[0]
    return sorted(pool, key=lambda a: (a.chapter != p.chapter, abs(article_order(a)[0] - n), article_order(a)))


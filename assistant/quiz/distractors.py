"""Distractor pools (sibling amounts, authorities, periods, items, articles) and their ranking by difficulty."""

from __future__ import annotations

import functools
import math
import random
import re
from collections import Counter
from collections.abc import Iterable

from assistant.quiz.candidates import (
    AUTHORITY_SHAPE,
    PERIOD_UNIT,
    QuizContext,
    duty_sentence,
    find_periods,
    multiple_value,
)
from assistant.quiz.normalize import (
    fmt_number,
    normalize,
    similarity,
    split_sentences,
    strip_item,
    usable_item,
)
from corpus.knowledge import quiz_vocabulary
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
            rows += [("", a) for a in quiz_vocabulary().standard_authorities]
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

    def subject_pool(self, doc_key: str) -> list[str]:
        """Subjects of duty sentences (X应当…), this document's first."""
        def build():
            rows = []
            for p in self.c.provisions.values():
                if p.kind in ("paragraph", "plan_item", "plan_part") and not p.doc_key.startswith("典型案例"):
                    for sentence in split_sentences(self.norm(p).replace("\n", "")):
                        m = duty_sentence(sentence, plan=p.kind != "paragraph")
                        if m:
                            rows.append((p.doc_key, m.group(1)))
            return rows
        return list(dict.fromkeys(row[1] for row in doc_first(self._pool("subject", build), doc_key)))

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
                    if usable_item(s):
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


VAGUE_AUTHORITY = re.compile(r"有关|其他|确定的|指定的|上级|其所在|授予")  # catch-alls: never distractors
_AUTH_NOISE = re.compile(r"县级以上|设区的市级|省级以上|省级|国务院|地方|人民政府|负责|有关|按照职责|的|等|主管|行政|管理|监督|"
                         r"部门|机关|机构")


def authority_core(a: str) -> str:
    return _AUTH_NOISE.sub("", a)


def same_authority(a: str, b: str) -> bool:
    """Whether two authority names may denote the same body (same family, or one's core contains the other's)."""
    if a == b or a in b or b in a:
        return True
    fam_a = {f for f, words in quiz_vocabulary().authority_families.items() if any(w in a for w in words)}
    fam_b = {f for f, words in quiz_vocabulary().authority_families.items() if any(w in b for w in words)}
    if fam_a & fam_b:
        return True
    ca, cb = authority_core(a), authority_core(b)
    return bool(ca and cb and (ca in cb or cb in ca))


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



# -- semantic kinds ---------------------------------------------------------------------------------------------

NUMERIC_KINDS = (("倍数", re.compile(r"\d倍")), ("数额", re.compile(r"\d(?:万元|元)")),
                 ("期限", re.compile(r"\d(?:个工作日|工作日|个月|年|日|天|小时|周岁)")))


def similar_subject(a: str, b: str) -> bool:
    """Whether a subject could be read as the other one (使用单位 ⊂ 特种设备使用单位; 锅炉使用单位 ~ 特种设备使用单位:
    the same head noun; a department of the same family)."""
    if a in b or b in a or a[-4:] == b[-4:] or ("人民政府" in a and "人民政府" in b):
        return True
    return subject_kind(a) == "机关" and same_authority(a, b)


def subject_kind(text: str) -> str:
    """机关 (a department or government) or 当事人 (a regulated party) by the phrase's ending; "" for neither."""
    for kind, ends in quiz_vocabulary().subjects.items():
        if text.endswith(ends):
            return kind
    return ""


@functools.lru_cache(maxsize=1 << 14)
def option_kind(text: str) -> str:
    """The semantic kind of an option or listed item: 数额/倍数/期限, 机关/当事人, 违法行为/处罚/资质条件, else 其他.

    A distractor must be of its answer's kind: a sanction is never offered where a qualification is asked, nor a
    time limit where an amount is."""
    text = text.strip().rstrip("；;。，,")
    for kind, pattern in NUMERIC_KINDS:
        if pattern.search(text) and len(text) <= 16:
            return kind
    for k in quiz_vocabulary().option_kinds:
        if k.matches(text):
            return k.kind
    return (subject_kind(text) if len(text) <= 30 else "") or "其他"


def other_kind(options: Iterable[str], answers: Iterable[str]) -> list[str]:
    """The options whose semantic kind is none of the answers' kinds (empty when all fit)."""
    kinds = {option_kind(a) for a in answers}
    return [o for o in options if option_kind(o) not in kinds]


def list_kinds(items: list[str]) -> set[str]:
    """The kinds a list's distractors may have: its dominant kind when ≥60 % of its items share it, else all of
    the list's kinds."""
    counts = Counter(option_kind(s) for s in items)
    kind, n = counts.most_common(1)[0] if counts else ("其他", 0)
    return {kind} if n >= 0.6 * len(items) else set(counts)

"""Trainer quizzes generated deterministically from provisions: 单选, 多选, 判断, 填空.

Every question is built from one cited provision (an article, 款 or action-plan item) and carries the answer,
a 解析 quoting the clause and the citation. The facts asked about are the ones trainers drill: fine bounds and
multiples from parsed penalty records, the enforcing authority, periods (保存期限不少于6年), which article says
something, and the conduct/content lists of an article. Distractors come from sibling provisions (other penalty
amounts, other authorities, other items lists, neighbouring articles) and never occur in the cited text, so the
cited text alone determines the answer; `validate_question` re-checks this for every question that is emitted.

Numbers are compared in a normalised form (`normalize`: 五万元 → 5万元, 六年 → 6年, 十倍 → 10倍) so that the
structured penalty records, the options and the legal text agree on one spelling.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from corpus.load import Corpus
from corpus.models import IN_FORCE, PenaltyRecord, Provision, yuan
from corpus.numerals import DIGITS, cn_to_int
from corpus.penalties import TARGET_PHRASE, split_conduct, target_of

TYPES = ("单选", "多选", "判断", "填空")
LETTERS = "ABCD"
DIFFICULTIES = ("易", "中", "难")
SHARE = {"单选": 0.4, "多选": 0.2, "判断": 0.2, "填空": 0.2}
BLANK = "（  ）"  # the gap in a choice question's stem
FILL = "____"  # the gap in a 填空 stem
TRUE, FALSE = "正确", "错误"

# Which generators feed which question type (round-robin, in this order).
KINDS: dict[str, tuple[str, ...]] = {
    "单选": ("fine", "authority", "period", "article", "items", "multiple"),
    "多选": ("items",),
    "判断": ("fine", "period", "items", "authority", "multiple", "article"),
    "填空": ("period", "fine", "multiple"),
}
TOPIC_OF = {"fine": "罚款数额", "multiple": "倍数罚款", "authority": "执法主体", "period": "期限",
            "article": "条文定位", "items": "所列情形"}


class QuizError(ValueError):
    """A quiz request that cannot be served (unknown document, bad counts or difficulty)."""


@dataclass
class Question:
    """One exam question. `answer`: "B", "ACD", 正确/错误, or the blank's text.

    `keys` are the values the cited text must contain (normalised, see `normalize`); `absent` the values it
    must not contain (the distractors, or the falsified value of a 判断); `meta` holds generator details
    (`filled`: the clause with the answer filled in, exactly as in the normalised text; `alternatives`:
    other accepted spellings of a blank).
    """

    qtype: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    citation: str
    provision_id: str
    difficulty: str = "中"
    topic: str = ""
    keys: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def correct_options(self) -> list[str]:
        """The option texts the answer letters point at (choice questions)."""
        if self.qtype not in ("单选", "多选"):
            return []
        return [self.options[LETTERS.index(c)] for c in self.answer if c in LETTERS[: len(self.options)]]


# -- normalisation ---------------------------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_RUN = r"[0-9.]+|[零〇一二两三四五六七八九十百千万]+"
_MONEY = re.compile(rf"({_RUN})(万元|元)")
_COUNT = re.compile(rf"(?<![^以]上)(?<![同统])({_RUN})(倍|个工作日|工作日|个月|年|日|天|小时|周岁)")
_SPACE = re.compile(r"[ \t\r\f\v\u3000\u00a0]+")


def _fmt(x: float) -> str:
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
    return m.group(0) if value is None else _fmt(value) + m.group(2)


def normalize(text: str) -> str:
    """Spaces dropped (newlines kept), amounts and periods in Arabic figures: 五万元 → 5万元, 五千元 → 5000元,
    十倍 → 10倍, 六年 → 6年, 三十日 → 30日. Idempotent; applied to texts and options alike."""
    text = _SPACE.sub("", text.translate(_FULLWIDTH))
    text = _MONEY.sub(_money, text)
    return _COUNT.sub(_count, text)


def _sentences(text: str) -> list[str]:
    """Split after 。；\\n, keeping the delimiters; empty parts dropped."""
    return [s for s in re.split(r"(?<=[。；;\n])", text) if s.strip()]


def _clause(s: str) -> str:
    return s.strip().rstrip("。；;，,：:\n")


def _strip_item(text: str) -> str:
    return re.sub(r"^\s*[（(][一二三四五六七八九十]+[)）]", "", text).strip().rstrip("；;。，,")


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[，。；：、（）()“”\s]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity (0…1)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


GENERIC_ITEM = re.compile(r"^其他|(?:规定|认为|确定)[^，；]{0,30}的其他|其他[^，；]{0,12}(?:情形|行为|职权|事项|职责)$")


def _generic(item: str) -> bool:
    return bool(GENERIC_ITEM.search(item))


# -- citation helpers ------------------------------------------------------------------------------------------

def short_citation(p: Provision) -> str:
    """《特种设备安全法》第九十三条第一款 (the document's short key instead of its full title)."""
    return p.citation.replace(f"《{p.doc_title}》", f"《{p.doc_key}》", 1)


def _doc_ref(p: Provision) -> str:
    return f"《{p.doc_key}》"


def _fine_pattern(value: str) -> re.Pattern:
    """The value as a complete fine expression: '5万元以下' must not match inside '1万元以上5万元以下罚款'."""
    return re.compile(rf"(?<![\d.])(?<!以上){re.escape(value)}(?=的?罚款)")


FINE_ANY = re.compile(r"\d(?:万元|元|倍)(?:以上|以下)?的?罚款|罚款\d")
TIER_WORD = re.compile(r"情节(?:特别)?严重|情节较轻|情节轻微|逾期|拒不|构成犯罪|造成")


# -- candidates --------------------------------------------------------------------------------------------------

@dataclass
class _Candidate:
    kind: str
    prov: Provision  # the provision cited (paragraph, article or plan item)
    fact: tuple  # what is asked; each fact is used once per quiz
    record: PenaltyRecord | None = None
    value: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return "|".join(str(x) for x in (self.kind, *self.fact))

    @property
    def article_id(self) -> str:
        return self.prov.article_id


@dataclass
class _Built:
    """A generator's raw material for one fact, before it becomes a question of a given type."""

    prefix: str  # 依据《X》(第N条)，
    body: str  # the clause with {gap} where the value goes
    value: str  # the answer value
    distractors: list[str]  # ranked, best first for the difficulty
    filled: str  # the clause fragment with the value, verbatim in the normalised cited text
    gap_template: str  # fragment with {gap}; filled == gap_template.format(gap=value)
    quote: str
    numeric: bool = False
    blank_value: str = ""  # 填空: the part of the value that is blanked (the upper bound of a range)
    blank_body: str = ""


class _Quiz:
    def __init__(self, corpus: Corpus, doc_keys: list[str], chapters: list[str] | None, topics: list[str] | None,
                 difficulty: str, seed: int):
        self.c = corpus
        self.doc_keys = doc_keys
        self.chapters = [c for c in (chapters or []) if c.strip()]
        self.topics = [t for t in (topics or []) if t.strip()]
        self.difficulty = difficulty
        self.seed = seed
        self._norm: dict[str, str] = {}
        self.items_of: dict[str, list[Provision]] = {}
        for p in corpus.provisions.values():
            if p.kind == "item":
                self.items_of.setdefault(p.id.rsplit("/", 1)[0], []).append(p)
        self.docset = set(doc_keys)

    # -- basic lookups -----------------------------------------------------------------------------------------
    def norm(self, p: Provision) -> str:
        if p.id not in self._norm:
            self._norm[p.id] = normalize(p.text)
        return self._norm[p.id]

    def article_of(self, p: Provision) -> Provision:
        return self.c.provisions.get(p.article_id, p)

    def cited(self, p: Provision) -> Provision:
        """The provision a question cites: the paragraph, or its article when the article has one paragraph."""
        if p.kind == "paragraph" and p.n_paras <= 1:
            art = self.c.provisions.get(p.article_id)
            if art is not None and self.norm(art) == self.norm(p):
                return art
        return p

    def selected(self, p: Provision) -> bool:
        if p.doc_key not in self.docset:
            return False
        if self.chapters and not any(ch in p.chapter or ch in p.section or ch in p.heading for ch in self.chapters):
            return False
        return True

    def topic_ok(self, cand: _Candidate) -> bool:
        if not self.topics:
            return True
        doc = self.c.documents.get(cand.prov.doc_key)
        hay = [TOPIC_OF[cand.kind], self.norm(cand.prov), cand.prov.chapter, cand.prov.section, cand.prov.heading,
               *(doc.sectors if doc else [])]
        return any(t in h for t in self.topics for h in hay)

    def rng(self, cand: _Candidate, qtype: str) -> random.Random:
        return random.Random(f"{self.seed}|{self.difficulty}|{qtype}|{cand.key}")

    def prefix(self, p: Provision, need_article: bool) -> str:
        if need_article or self.difficulty == "易":
            return f"依据{short_citation(self.cited(p))}，"
        return f"依据{_doc_ref(p)}，"

    def unique_in_doc(self, p: Provision, snippet: str) -> bool:
        """True when the snippet occurs in exactly one article of the document (so no article number is needed)."""
        if len(snippet) < 8:
            return False
        hits = 0
        for a in self.articles(p.doc_key):
            if snippet in self.norm(a):
                hits += 1
                if hits > 1:
                    return False
        return hits == 1

    def articles(self, doc_key: str) -> list[Provision]:
        cache = self.__dict__.setdefault("_articles", {})
        if doc_key not in cache:
            cache[doc_key] = [p for p in self.c.provisions.values()
                              if p.doc_key == doc_key and p.kind in ("article", "plan_item")]
        return cache[doc_key]

    # -- candidate lists ----------------------------------------------------------------------------------------
    def candidates(self, kind: str) -> list[_Candidate]:
        cache = self.__dict__.setdefault("_cands", {})
        if kind not in cache:
            cache[kind] = list(getattr(self, f"_cands_{kind}")())
        return cache[kind]

    def _records(self) -> Iterator[tuple[PenaltyRecord, Provision]]:
        for r in self.c.penalties:
            p = self.c.provisions.get(r.provision_id)
            if r.kind == "处罚" and p is not None and self.selected(p):
                yield r, p

    def _cands_fine(self) -> Iterator[_Candidate]:
        seen = set()
        for r, p in self._records():
            if r.fine_max is None and r.fine_min is None or r.multiple_max is not None:
                continue
            value = r.fine_label().removesuffix("罚款")
            if (p.id, value) not in seen:
                seen.add((p.id, value))
                yield _Candidate("fine", p, (p.id, value), record=r, value=value)

    def _cands_multiple(self) -> Iterator[_Candidate]:
        seen = set()
        for r, p in self._records():
            if r.multiple_max is None and r.multiple_min is None:
                continue
            value = _multiple_value(r.multiple_min, r.multiple_max)
            if r.multiple_min == 1 and value not in self.norm(p) and "等值以上" in self.norm(p):
                value = "等值以上" + _multiple_value(None, r.multiple_max)
            if (p.id, value) not in seen:
                seen.add((p.id, value))
                yield _Candidate("multiple", p, (p.id, value), record=r, value=value)

    def _cands_authority(self) -> Iterator[_Candidate]:
        seen = set()
        for r, p in self._records():
            auth = normalize(r.authority)
            if not auth or not AUTHORITY_SHAPE.fullmatch(auth) or (p.id, auth) in seen:
                continue
            seen.add((p.id, auth))
            yield _Candidate("authority", p, (p.id, auth), record=r, value=auth)

    def _text_units(self) -> Iterator[Provision]:
        for p in self.c.provisions.values():
            if p.kind in ("paragraph", "plan_item", "plan_part") and self.selected(p):
                yield p

    def _cands_period(self) -> Iterator[_Candidate]:
        for p in self._text_units():
            for li, line in enumerate(self.norm(p).split("\n")):
                for si, sentence in enumerate(_sentences(line)):
                    for value in _periods(sentence):
                        yield _Candidate("period", p, (p.id, li, si, value), value=value,
                                         extra={"line": li, "sentence": si})

    def _cands_article(self) -> Iterator[_Candidate]:
        for p in self.c.provisions.values():
            if p.kind in ("article", "plan_item") and self.selected(p) and len(self.norm(p)) >= 16:
                yield _Candidate("article", p, (p.id,))

    def _cands_items(self) -> Iterator[_Candidate]:
        for p in self.c.provisions.values():
            if p.kind == "paragraph" and self.selected(p) and len(self.items_of.get(p.id, [])) >= 3:
                yield _Candidate("items", p, (p.id,))

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
        return _doc_first(self._pool("fine", build), doc_key)

    def multiple_pool(self, doc_key: str) -> list[tuple[str, float | None, float | None]]:
        def build():
            rows = [(r.provision_id.split("/")[0], _multiple_value(r.multiple_min, r.multiple_max), r.multiple_min,
                     r.multiple_max) for r in self.c.penalties
                    if r.kind == "处罚" and (r.multiple_min is not None or r.multiple_max is not None)]
            rows += [("", _multiple_value(lo, hi), lo, hi) for lo, hi in STANDARD_MULTIPLES]
            return rows
        return _doc_first(self._pool("multiple", build), doc_key)

    def authority_pool(self, doc_key: str) -> list[str]:
        def build():
            rows = []
            for r in self.c.penalties:
                auth = normalize(r.authority)
                if auth and AUTHORITY_SHAPE.fullmatch(auth):
                    rows.append((r.provision_id.split("/")[0], auth))
            rows += [("", a) for a in STANDARD_AUTHORITIES]
            return rows
        return [row[1] for row in _doc_first(self._pool("authority", build), doc_key)]

    def period_pool(self, doc_key: str, unit: str) -> list[str]:
        def build():
            rows = []
            for p in self.c.provisions.values():
                if p.kind in ("paragraph", "plan_item"):
                    for sentence in _sentences(self.norm(p)):
                        rows.extend((p.doc_key, v) for v in _periods(sentence))
            return rows
        values = [v for d, v in self._pool("period", build) if d == doc_key and PERIOD_UNIT.search(v).group(0) == unit]
        values += [f"{_fmt(x)}{unit}" for x in STANDARD_PERIODS.get(unit, [])]
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
                    s = _strip_item(normalize(it.text))
                    if 6 <= len(s) <= 70 and not _generic(s):
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

    # -- builders -------------------------------------------------------------------------------------------------
    def build(self, cand: _Candidate, qtype: str) -> Question | None:
        rng = self.rng(cand, qtype)
        if cand.kind == "article":
            return self._article_question(cand, qtype, rng)
        if cand.kind == "items":
            return self._items_question(cand, qtype, rng)
        raw = getattr(self, f"_raw_{cand.kind}")(cand, rng)
        if raw is None:
            return None
        return self._value_question(cand, qtype, raw, rng)

    def _value_question(self, cand: _Candidate, qtype: str, raw: _Built, rng: random.Random) -> Question | None:
        p = self.cited(cand.prov)
        topic = TOPIC_OF[cand.kind]
        base = dict(citation=p.citation, provision_id=p.id, difficulty=self.difficulty, topic=topic)
        status = self._status_note(p)
        if qtype == "单选":
            wrong = self.pick(rng, raw.distractors, 3)
            if len(wrong) < 3:
                return None
            options = [raw.value, *wrong]
            if raw.numeric:
                options.sort(key=_sort_key)
            else:
                rng.shuffle(options)
            letter = LETTERS[options.index(raw.value)]
            stem = raw.prefix + raw.body.replace("{gap}", BLANK) + "。"
            expl = f"{p.citation}规定：“{raw.quote}”。故答案为{letter}（{raw.value}）。{status}"
            return Question("单选", stem, options, letter, expl, keys=[raw.value], absent=wrong,
                            meta={"kind": cand.kind, "filled": raw.filled, "gap": raw.gap_template}, **base)
        if qtype == "判断":
            truth = rng.random() < 0.5
            wrong = [] if truth else self.pick(rng, raw.distractors, 1)
            if not truth and not wrong:
                return None
            shown = raw.value if truth else wrong[0]
            stem = raw.prefix + raw.body.replace("{gap}", shown) + "。"
            if truth:
                expl = f"{p.citation}规定：“{raw.quote}”。表述与条文一致，故正确。{status}"
            else:
                expl = (f"{p.citation}规定：“{raw.quote}”。条文规定为“{raw.value}”，题干写作“{shown}”，"
                        f"故错误。{status}")
            return Question("判断", stem, [], TRUE if truth else FALSE, expl, keys=[raw.value], absent=wrong,
                            meta={"kind": cand.kind, "filled": raw.filled, "gap": raw.gap_template,
                                  "shown": shown}, **base)
        if qtype == "填空":
            blank_value = raw.blank_value or raw.value
            body = raw.blank_body or raw.body.replace("{gap}", FILL)
            stem = raw.prefix + body + "。"
            expl = f"{p.citation}规定：“{raw.quote}”。故应填“{blank_value}”。{status}"
            alternatives = _spellings(blank_value)
            return Question("填空", stem, [], blank_value, expl, keys=[raw.value, blank_value], absent=[],
                            meta={"kind": cand.kind, "filled": raw.filled, "alternatives": alternatives,
                                  "fill": body}, **base)
        return None

    def _status_note(self, p: Provision) -> str:
        doc = self.c.documents.get(p.doc_key)
        if doc is None or doc.status.startswith(IN_FORCE):
            return ""
        return f"（注意：《{doc.title}》的效力状态为“{doc.status}”。）"

    # fines and multiples ------------------------------------------------------------------------------------------
    def _penalty_context(self, cand: _Candidate, rng: random.Random, locate) -> dict | None:
        """Conduct + the sanction clauses up to the segment `locate` picks, for a penalty paragraph.

        Returns the stem body pieces, the matched segment and the quote; None when the text does not carry
        the record's value where the record says (then no question is asked about it)."""
        p, r = cand.prov, cand.record
        items = self.items_of.get(p.id, [])
        full = self.norm(p)
        lead = full.split("\n", 1)[0] if items else full.replace("\n", "")
        conduct, sanction = split_conduct(lead)
        sentences = _sentences(sanction)
        hits = []
        for si, sentence in enumerate(sentences):
            segs = re.split(r"[，,：:]", _clause(sentence))
            for gi, seg in enumerate(segs):
                m = locate(seg)
                if m:
                    hits.append((si, gi, segs, m))
        if not hits:
            return None
        if len(hits) > 1 and r is not None:
            own = [h for h in hits if _segment_target(h[2][h[1]]) in (r.target, None)]
            hits = own or hits
        si, gi, segs, m = hits[0]
        seg = segs[gi]
        explicit = _segment_target(seg)
        if r is not None and explicit is not None and explicit != r.target:
            return None  # the record and the text disagree on who is fined
        context: list[str] = []
        if si > 0:  # the common opening of the sanctions (由…责令限期改正) before the first condition or fine
            for s in re.split(r"[，,：:]", _clause(sentences[0])):
                if not s or FINE_ANY.search(s) or TIER_WORD.search(s) or s.endswith("的") or "规定" in s:
                    break
                context.append(s)
        fines_before = [k for k in range(gi) if FINE_ANY.search(segs[k])]
        if fines_before:
            # the sentence's opening (conditions, authority, other sanctions) up to the first fine, without the
            # condition that belongs to that fine; then what follows the last fine before this one
            opening = segs[: fines_before[0]]
            if opening and opening[-1].endswith("的"):
                opening = opening[:-1]
            context += [s for s in opening + segs[fines_before[-1] + 1:gi] if s]
        else:
            context += [s for s in segs[:gi] if s]
        # conduct: the subject with one listed item, else the conduct clause without 另有规定 parts
        conduct_parts = [s for s in re.split(r"[，,]", conduct.rstrip("，,：:")) if s and not re.search(
            r"有[^，]{0,12}规定的|另有规定|从其规定", s)]
        conduct_text = "，".join(conduct_parts)
        item_prov = None
        if items and re.search(r"下列|以下", conduct_text):
            subject = re.split(r"有下列|存在下列|具有下列|下列|以下", conduct_text, maxsplit=1)[0].rstrip("，,")
            usable = [i for i in items if 4 <= len(_strip_item(self.norm(i))) <= 60
                      and not _generic(_strip_item(self.norm(i)))]
            if usable:
                item_prov = rng.choice(usable)
                text = _strip_item(self.norm(item_prov))
                conduct_text = subject + text + ("" if text.endswith("的") else "的")
        if conduct_text and not conduct_text.endswith("的"):
            conduct_text += "的" if not re.search(r"规定$", conduct_text) else ""
        if CONDUCT_ELSEWHERE.search(conduct_text) or len(conduct_text.replace("，", "")) < 8 \
                or TIER_WORD.match(conduct_text):
            return None  # '有前款规定情形的': the conduct is not in the question
        snippet = _strip_item(self.norm(item_prov)) if item_prov is not None else conduct_text
        need_article = not conduct_text or not self.unique_in_doc(p, snippet.rstrip("的"))
        parts = ([conduct_text] if conduct_text else []) + context
        quote = self._quote(p, lead, sanction, si, item_prov)
        return {"parts": parts, "seg": seg, "match": m, "need_article": need_article, "quote": quote}

    def _quote(self, p: Provision, lead_norm: str, sanction_norm: str, si: int, item: Provision | None) -> str:
        """The clause in its original wording: the lead up to the sentence used (+ the item used)."""
        items = self.items_of.get(p.id, [])
        original = _SPACE.sub("", p.text)
        lead = original.split("\n", 1)[0] if items else original.replace("\n", "")
        sentences = _sentences(lead)
        n_conduct = len(_sentences(lead_norm)) - len(_sentences(sanction_norm))
        upto = max(0, n_conduct) + si + 1
        quote = "".join(sentences[:upto]) if len(sentences) >= upto else lead
        if len(quote) > 220:
            quote = "……" + sentences[min(upto, len(sentences)) - 1]
        quote = quote.rstrip("。；;，,")
        if item is not None:
            quote += f"……{_SPACE.sub('', item.text).strip()}"
        return quote.rstrip("。；;")

    def _raw_fine(self, cand: _Candidate, rng: random.Random) -> _Built | None:
        value = cand.value
        pattern = _fine_pattern(value)
        ctx = self._penalty_context(cand, rng, pattern.search)
        if ctx is None:
            return None
        seg, m = ctx["seg"], ctx["match"]
        gap_template = seg[:m.start()] + "{gap}" + seg[m.end():]
        body = "，".join([*ctx["parts"], gap_template])
        article_text = self.norm(self.article_of(cand.prov))
        lo_hi = (cand.record.fine_min, cand.record.fine_max)
        pool = [(v, lo, hi) for _, v, lo, hi in self.fine_pool(cand.prov.doc_key)]
        pool += [(v, lo, hi) for v, lo, hi in _synthetic_fines(*lo_hi)]
        ranked = _rank_numeric(value, lo_hi, pool, article_text)
        blank_value, blank_body = _blank_bound(value, gap_template, ctx["parts"])
        return _Built(self.prefix(cand.prov, ctx["need_article"]), body, value, ranked, seg, gap_template,
                      ctx["quote"], numeric=True, blank_value=blank_value, blank_body=blank_body)

    def _raw_multiple(self, cand: _Candidate, rng: random.Random) -> _Built | None:
        value = cand.value
        pattern = _fine_pattern(value)
        ctx = self._penalty_context(cand, rng, pattern.search)
        if ctx is None:
            return None
        seg, m = ctx["seg"], ctx["match"]
        gap_template = seg[:m.start()] + "{gap}" + seg[m.end():]
        body = "，".join([*ctx["parts"], gap_template])
        article_text = self.norm(self.article_of(cand.prov))
        lo_hi = (cand.record.multiple_min, cand.record.multiple_max)
        pool = [(v, lo, hi) for _, v, lo, hi in self.multiple_pool(cand.prov.doc_key)]
        ranked = _rank_numeric(value, lo_hi, pool, article_text)
        blank_value, blank_body = _blank_bound(value, gap_template, ctx["parts"])
        return _Built(self.prefix(cand.prov, ctx["need_article"]), body, value, ranked, seg, gap_template,
                      ctx["quote"], numeric=True, blank_value=blank_value, blank_body=blank_body)

    def _raw_authority(self, cand: _Candidate, rng: random.Random) -> _Built | None:
        auth = cand.value
        needle = f"由{auth}"

        def locate(seg: str):
            i = seg.find(needle)
            return (i + 1, i + 1 + len(auth)) if i >= 0 else None

        ctx = self._penalty_context(cand, rng, locate)
        if ctx is None:
            return None
        seg, (a, b) = ctx["seg"], ctx["match"]
        gap_template = seg[:a] + "{gap}" + seg[b:]
        body = "，".join([*ctx["parts"], gap_template])
        article_text = self.norm(self.article_of(cand.prov))
        pool = [x for x in self.authority_pool(cand.prov.doc_key)
                if x not in article_text and not same_authority(x, auth) and not VAGUE_AUTHORITY.search(x)]
        ranked = sorted(dict.fromkeys(pool), key=lambda x: -similarity(x, auth))
        return _Built(self.prefix(cand.prov, ctx["need_article"]), body, auth, ranked, seg, gap_template,
                      ctx["quote"])

    def _raw_period(self, cand: _Candidate, rng: random.Random) -> _Built | None:
        p, value = cand.prov, cand.value
        lines = self.norm(p).split("\n")
        originals = _SPACE.sub("", p.text).split("\n")
        if len(originals) != len(lines):
            originals = lines
        li, si = cand.extra["line"], cand.extra["sentence"]
        sents = _sentences(lines[li])
        osents = _sentences(originals[li])
        if len(osents) != len(sents):
            osents = sents
        label = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
        core = _clause(sents[si])
        if si == 0:
            core = label.sub("", core)
        # the sentences of the same 句 before this one (since the last 。), for context
        start = si
        item_line = bool(label.match(lines[li])) and li > 0
        while start > 0 and (item_line or not sents[start - 1].rstrip().endswith("。")):
            start -= 1  # an item line is read whole: its opening names the case the period is for
        if start == si and si > 0 and len(core) < 18:
            start = si - 1
        before = label.sub("", "".join(sents[start:si]))
        lead_ctx, quote_lead = "", ""
        if label.match(lines[li]) and li > 0 and self.items_of.get(p.id):  # an item of a list: its lead first
            intro, _ = _intro(lines[0])
            if not intro:
                return None
            lead_ctx, quote_lead = intro + "：", _clause(originals[0]) + "：……"
        if len(lead_ctx) + len(before) + len(core) > 200 or len(lead_ctx) + len(before) + len(core) < 12:
            return None
        if core.count(value) != 1:
            return None
        quote = quote_lead + "".join(osents[start:si]) + _clause(osents[si])
        pos = core.find(value)
        gap_template = core[:pos] + "{gap}" + core[pos + len(value):]
        unit = PERIOD_UNIT.search(value).group(0)
        same_shape = re.compile(re.escape(core[:pos]) + r"\d+(?:\.\d+)?" + re.escape(unit) + re.escape(core[pos + len(value):]))
        if not before and len(same_shape.findall(self.norm(self.article_of(p)))) > 1:
            return None  # the same sentence with another period elsewhere in the article: ambiguous
        number = float(value[: -len(unit)])
        article_text = self.norm(self.article_of(p))
        pool = [v for v in self.period_pool(p.doc_key, unit) if v != value and v not in article_text]
        ranked = sorted(pool, key=lambda v: (abs(math.log(max(float(v[: -len(unit)]), 0.01) / max(number, 0.01))),
                                            float(v[: -len(unit)])))
        pieces = [x for x in (core[:pos][-30:], core[pos + len(value):][:30]) if len(x) >= 8]
        need_article = p.kind == "plan_item" or not any(self.unique_in_doc(p, x) for x in pieces)
        return _Built(self.prefix(p, need_article), lead_ctx + before + gap_template, value, ranked, core,
                      gap_template, quote, numeric=True)

    # which article -------------------------------------------------------------------------------------------------
    def _article_question(self, cand: _Candidate, qtype: str, rng: random.Random) -> Question | None:
        if qtype not in ("单选", "判断"):
            return None
        p = cand.prov
        text = self.norm(p)
        sentences = _sentences(text)
        originals = _sentences(_SPACE.sub("", p.text))
        if len(originals) != len(sentences):
            originals = sentences
        snippets = []
        longest = 60 if qtype == "判断" else 45
        for k, s in enumerate(sentences):
            s = _strip_item(_clause(s))
            if qtype == "判断":  # a statement to judge must be a whole clause, not a fragment of one
                pieces = [s] if 12 <= len(s) <= longest else []
            else:
                pieces = [s] if len(s) <= longest else [x for x in re.split(r"[，,]", s) if 10 <= len(x) <= 36]
            for x in pieces:
                if p.heading and (p.heading in x or similarity(p.heading, x) > 0.4):
                    continue
                if 10 <= len(x) <= longest and not re.search(r"下列|以下|违反本|本(?:法|条例|办法)自|前款|依照其规定", x) \
                        and not re.match(r"或者|并且|但是|但|以及|并|且|其中|和|对|由|经|自|除", x) \
                        and not re.search(r"第[一二三四五六七八九十百零]+条", x):
                    score = 2 * bool(re.search(r"应当|不得|禁止|负责|有权|罚款|吊销|保存|期限|必须", x))
                    snippets.append((score, -abs(len(x) - 25), x, k))
        snippets.sort(key=lambda t: (-t[0], -t[1], t[2]))
        siblings = [a for a in self.articles(p.doc_key) if a.id != p.id]
        for _, _, snippet, k in snippets[:6]:
            if not self.unique_in_doc(p, snippet):
                continue
            # no distractor article may say the same thing in other words
            pool = [a for a in siblings if snippet not in self.norm(a) and not _paraphrased(snippet, self.norm(a))]
            ranked = _rank_articles(p, pool)
            labels = {a.id: _article_option(a) for a in ranked}
            wrong_ids = self.pick(rng, [a.id for a in ranked], 3 if qtype == "单选" else 1)
            if not wrong_ids or len({labels[i] for i in wrong_ids} | {_article_option(p)}) < len(wrong_ids) + 1:
                continue
            whole = _clause(_SPACE.sub("", p.text).replace("\n", ""))
            quote = whole if len(whole) <= 200 else _clause(originals[k])
            label = _article_option(p)
            base = dict(citation=p.citation, provision_id=p.id, difficulty=self.difficulty, topic=TOPIC_OF["article"])
            if qtype == "判断":
                truth = rng.random() < 0.5
                shown = p if truth else self.c.provisions[wrong_ids[0]]
                where = f"“{_article_option(shown)}”部分提出" if p.kind == "plan_item" else f"{_article_option(shown)}规定"
                stem = f"《{p.doc_key}》{where}：“{snippet}”。"
                verdict = "故正确。" if truth else f"而非{_article_option(shown)}，故错误。"
                expl = f"该表述出自{p.citation}：“{quote}”，{verdict}"
                return Question("判断", stem, [], TRUE if truth else FALSE, expl, keys=[snippet],
                                absent=[] if truth else [_article_option(shown)],
                                meta={"kind": "article", "snippet": snippet, "answer_label": label,
                                      "shown_id": shown.id}, **base)
            chosen = sorted([p, *(self.c.provisions[i] for i in wrong_ids)], key=_article_order)
            options = [_article_option(a) for a in chosen]
            letter = LETTERS[options.index(label)]
            what = "哪一项任务" if p.kind == "plan_item" else "哪一条"
            stem = f"《{p.doc_key}》中，规定“{snippet}”的是{what}？{BLANK}"
            expl = f"该表述出自{p.citation}：“{quote}”。故答案为{letter}（{label}）。"
            return Question("单选", stem, options, letter, expl, keys=[snippet], absent=[],
                            meta={"kind": "article", "snippet": snippet, "answer_label": label,
                                  "distractor_ids": list(wrong_ids)}, **base)
        return None

    # items lists -----------------------------------------------------------------------------------------------------
    def _items_question(self, cand: _Candidate, qtype: str, rng: random.Random) -> Question | None:
        if qtype == "填空":
            return None
        para = cand.prov
        p = self.cited(para)
        text = self.norm(para)
        items = self.items_of.get(para.id, [])
        own = [_strip_item(self.norm(i)) for i in items]
        usable = [s for s in own if 6 <= len(s) <= 70 and not _generic(s)]
        need = {"多选": 2, "单选": 1, "判断": 1}[qtype]
        if len(usable) < need:
            return None
        intro, noun = _intro(text.split("\n", 1)[0])
        if not intro:
            return None
        pool = [(pid, s) for pid, s in self.item_pool(para.doc_key)
                if pid != para.id and s not in text and s not in own
                and all(similarity(s, o) < 0.5 and s not in o and o not in s for o in own)]
        same_doc = [(pid, s) for pid, s in pool if pid.split("/")[0] == para.doc_key]
        if len(same_doc) >= 6:
            pool = same_doc
        ranked = [s for _, s in sorted(pool, key=lambda t: (-max(similarity(t[1], o) for o in own), t[1]))]
        unit = "款" if para.n_paras > 1 else "条"
        cite = short_citation(p)
        lead_quote = _clause(_SPACE.sub("", para.text).split("\n", 1)[0])
        originals = [_SPACE.sub("", i.text).strip() for i in items]
        listing = "".join(originals)
        if len(lead_quote) + len(listing) > 600:  # long lists: the lead and the items the question uses
            shown_items = [o for o, s in zip(originals, own, strict=True) if s in usable]
            listing = "……" + "……".join(shown_items[:4])
        quote = f"{lead_quote}：{listing}".rstrip("。；;")
        status = self._status_note(p)
        base = dict(citation=p.citation, provision_id=p.id, difficulty=self.difficulty, topic=TOPIC_OF["items"])
        if qtype == "判断":
            truth = rng.random() < 0.5
            if truth:
                shown = rng.choice(usable)
                wrong = []
            else:
                wrong = self.pick(rng, ranked, 1)
                if not wrong:
                    return None
                shown = wrong[0]
            stem = f"依据{cite}，“{intro}”中所列的{noun}包括：“{shown}”。"
            verdict = "属于该" + unit + "所列" + noun + "，故正确。" if truth else "不在该" + unit + "所列" + noun + "之中，故错误。"
            expl = f"{p.citation}规定：“{quote}”。“{shown}”{verdict}{status}"
            return Question("判断", stem, [], TRUE if truth else FALSE, expl, keys=[shown] if truth else [],
                            absent=wrong, meta={"kind": "items", "shown": shown, "intro": intro}, **base)
        k = 1 if qtype == "单选" else (rng.choice([2, 3]) if len(usable) >= 3 else 2)
        right = rng.sample(usable, k)
        wrong = self.pick(rng, ranked, 4 - k)
        if len(wrong) < 4 - k:
            return None
        options = right + wrong
        rng.shuffle(options)
        letters = "".join(sorted(LETTERS[options.index(x)] for x in right))
        ask = "的有" if qtype == "多选" else "的是"
        stem = f"依据{cite}，关于“{intro}”，下列属于该{unit}所列{noun}{ask}{BLANK}。"
        expl = (f"{p.citation}规定：“{quote}”。选项{letters}均为该{unit}所列{noun}，其余选项不在其中。{status}"
                if qtype == "多选" else
                f"{p.citation}规定：“{quote}”。选项{letters}为该{unit}所列{noun}，其余选项不在其中。{status}")
        return Question(qtype, stem, options, letters, expl, keys=right, absent=wrong,
                        meta={"kind": "items", "intro": intro}, **base)


# -- helpers used by the builders ---------------------------------------------------------------------------------

AUTHORITY_SHAPE = re.compile(r"[\u4e00-\u9fa5、（）()]{3,24}(?:部门|机关|机构|人民政府|总局)")
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


def _authority_core(a: str) -> str:
    return _AUTH_NOISE.sub("", a)


def same_authority(a: str, b: str) -> bool:
    """Whether two authority names may denote the same body (same family, or one's core contains the other's)."""
    if a == b or a in b or b in a:
        return True
    fam_a = {f for f, words in AUTHORITY_FAMILIES.items() if any(w in a for w in words)}
    fam_b = {f for f, words in AUTHORITY_FAMILIES.items() if any(w in b for w in words)}
    if fam_a & fam_b:
        return True
    ca, cb = _authority_core(a), _authority_core(b)
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
PERIOD = re.compile(r"(?<![\d.第])\d+(?:\.\d+)?(?:个工作日|工作日|个月|年|日|天|小时|周岁)")
CONDUCT_ELSEWHERE = re.compile(r"前款|前两款|前三款|本条第|本条前|^有?第[一二三四五六七八九十]+(?:项|款)")
# sentences that only make sense with another provision or date in view
CONTEXT_BOUND = re.compile(r"施行|前款|前两款|前三款|第[一二三四五六七八九十]+项|本条第")
PERIOD_CUE = re.compile(r"不少于|不得少于|不超过|不得超过|以内|内|之日起|起|届满|满|至少|超过|期限|为期|有效期|以上|以下|"
                        r"后|前|每|连续|期间|达到|逾期|以前")
PERIOD_UNIT = re.compile(r"(?:个工作日|工作日|个月|年|日|天|小时|周岁)$")


def _periods(sentence: str) -> list[str]:
    """The periods a question can ask about in a sentence (不少于6年, 30日内…), not dates or enumerations."""
    if CONTEXT_BOUND.search(sentence) or len(PERIOD.findall(sentence)) > 2:
        return []
    out = []
    for m in PERIOD.finditer(sentence):
        value = m.group(0)
        if _is_date(sentence, m) or sentence.count(value) != 1 or re.search(r"[“\"]" + re.escape(value), sentence):
            continue
        window = sentence[max(0, m.start() - 8): m.start()] + "|" + sentence[m.end(): m.end() + 4]
        if not PERIOD_CUE.search(window) or sentence[max(0, m.start() - 1): m.start()] in ("上", "近"):
            continue
        out.append(value)
    return out


def _is_date(sentence: str, m: re.Match) -> bool:
    value = m.group(0)
    before = sentence[: m.start()]
    if value.endswith("年") and float(value[:-1]) >= 1900:
        return True
    if value.endswith("日") and re.search(r"\d月$", before):
        return True
    return bool(re.search(r"第$|前款$", before))


def _multiple_value(lo: float | None, hi: float | None) -> str:
    return (f"{_fmt(lo)}倍以上" if lo is not None else "") + (f"{_fmt(hi)}倍以下" if hi is not None else "")


def _doc_first(rows: list[tuple], doc_key: str) -> list[tuple]:
    return [r for r in rows if r[0] == doc_key] + [r for r in rows if r[0] != doc_key]


def _nice(x: float) -> float:
    """Round to a 'legal-looking' amount: 1, 2, 3, 5 × 10^k."""
    if x <= 0:
        return 0
    k = 10 ** math.floor(math.log10(x))
    return min((1, 2, 3, 5, 10), key=lambda m: abs(m * k - x)) * k


def _synthetic_fines(lo: float | None, hi: float | None) -> list[tuple[str, float | None, float | None]]:
    out = []
    for f in (0.5, 2, 0.2, 5, 0.1, 10, 3):
        a = _nice(lo * f) if lo else None
        b = _nice(hi * f) if hi else None
        if (a or b) and (a is None or b is None or a < b):
            out.append((_fine_label(a, b), a, b))
    if lo and hi:
        out.append((_fine_label(lo, _nice(hi * 2)), lo, _nice(hi * 2)))
        out.append((_fine_label(_nice(lo / 2), hi), _nice(lo / 2), hi))
    return out


def _fine_label(lo: float | None, hi: float | None) -> str:
    if lo is not None and lo == hi:
        return yuan(lo)
    return (f"{yuan(lo)}以上" if lo else "") + (f"{yuan(hi)}以下" if hi else "")


def _shape(lo, hi) -> str:
    return "range" if lo is not None and hi is not None and lo != hi else "exact" if lo == hi else \
        "max" if hi is not None else "min"


def _rank_numeric(value: str, lo_hi: tuple, pool: Iterable[tuple[str, float | None, float | None]],
                  article_text: str) -> list[str]:
    """Distractor values closest-first: same shape (range/以下/以上) before others, then by log distance."""
    lo, hi = lo_hi
    shape = _shape(lo, hi)
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
        scored.append((_shape(a, b) != shape, round(d, 6), v))
    scored.sort()
    return list(dict.fromkeys(v for _, _, v in scored))


def _sort_key(option: str) -> tuple:
    nums = []
    for m in re.finditer(r"(\d+(?:\.\d+)?)(万)?", option):
        nums.append(float(m.group(1)) * (10_000 if m.group(2) else 1))
    if "以下" in option and "以上" not in option:
        nums = [0.0, *nums]
    return (tuple(nums) if nums else (math.inf,), option)


def _blank_bound(value: str, gap_template: str, parts: list[str]) -> tuple[str, str]:
    """填空 for a fine: blank the upper bound of a range ('5万元以上____以下'), else the whole amount."""
    m = re.fullmatch(r"(.*以上)?(.+?)以下", value)
    if m:
        blank_value = m.group(2)
        shown = (m.group(1) or "") + FILL + "以下"
    else:
        m = re.fullmatch(r"(.+?)以上", value)
        blank_value = m.group(1) if m else value
        shown = FILL + "以上" if m else FILL
    body = "，".join([*parts, gap_template.replace("{gap}", shown)])
    return blank_value, body


def _spellings(value: str) -> list[str]:
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


def _segment_target(seg: str) -> str | None:
    m = TARGET_PHRASE.search(seg)
    return target_of(m.group(1)) if m else None


def _intro(lead: str) -> tuple[str, str]:
    """The list's introduction ('特种设备使用单位…应当包括以下内容') and the listed noun (内容/行为/情形…)."""
    lead = lead.strip().rstrip("：:")
    sentence = next((s for s in _sentences(lead) if re.search(r"下列|以下", s)), "")
    sentence = _clause(sentence)
    if not sentence:
        return "", ""
    segs = [s for s in re.split(r"[，,]", sentence) if not re.fullmatch(r"违反本(?:法|条例|办法|规定)(?:规定)?", s)]
    i = next((k for k, s in enumerate(segs) if re.search(r"下列|以下", s)), 0)
    first = 0
    while first < i and len("，".join(segs[first:i + 1])) > 90:
        first += 1
    intro = "，".join(segs[first:i + 1])
    if len(intro) < 12 and i + 1 < len(segs):
        intro += "，" + segs[i + 1]
    intro = re.sub(r"^违反本(?:法|条例|办法|规定)(?:规定)?[，,]", "", intro)
    m = re.search(r"(?:下列|以下)([\u4e00-\u9fa5]{1,4}?)(?:之一|$|，|的|：)", intro)
    noun = m.group(1) if m else "事项"
    if noun in ("规定", "各项", "几"):
        noun = "事项"
    return intro, noun


def _paraphrased(snippet: str, text: str, threshold: float = 0.45) -> bool:
    """Whether some clause of the text is close to the snippet (bigram similarity)."""
    for clause in re.split(r"[。；;\n，,]", text):
        if len(clause) >= 6 and similarity(snippet, clause) >= threshold:
            return True
    return similarity(snippet, text) >= threshold


def _article_option(a: Provision) -> str:
    if a.kind == "plan_item":
        return f"{a.label}{a.heading}"
    return a.article_label


def _article_order(a: Provision) -> tuple:
    if a.article is not None:
        return (a.article, a.article_suffix)
    m = re.search(r"/(\d+)$", a.id)
    return (int(m.group(1)) if m else 0, 0)


def _rank_articles(p: Provision, pool: list[Provision]) -> list[Provision]:
    """Closest first: same chapter and nearest number."""
    n = _article_order(p)[0]
    return sorted(pool, key=lambda a: (a.chapter != p.chapter, abs(_article_order(a)[0] - n), _article_order(a)))


# -- validation ---------------------------------------------------------------------------------------------------

def validate_question(q: Question, corpus: Corpus) -> list[str]:
    """Problems that would make the question unfair; [] when the cited text alone determines its answer."""
    problems: list[str] = []
    p = corpus.provisions.get(q.provision_id)
    if p is None:
        return [f"引用的条文不存在：{q.provision_id}"]
    if q.citation != p.citation:
        problems.append(f"引用格式与条文不符：{q.citation} ≠ {p.citation}")
    if q.qtype not in TYPES:
        problems.append(f"未知题型：{q.qtype}")
    text = normalize(p.text)
    for k in q.keys:
        if normalize(k) not in text:
            problems.append(f"答案要点不在所引条文中：{k}")
    for a in q.absent:
        if normalize(a) in text:
            problems.append(f"干扰项出现在所引条文中：{a}")
    filled = q.meta.get("filled")
    if filled and filled not in text:
        problems.append("填入答案后的条文片段与原文不一致")
    if q.qtype in ("单选", "多选"):
        if len(q.options) != 4 or len(set(q.options)) != 4 or not all(o.strip() for o in q.options):
            problems.append("选择题须有4个互不相同的选项")
        if not re.fullmatch(r"[A-D]+", q.answer or "") or "".join(sorted(set(q.answer))) != q.answer:
            problems.append(f"答案格式错误：{q.answer}")
        elif q.qtype == "单选" and len(q.answer) != 1:
            problems.append("单选题只能有一个答案")
        elif q.qtype == "多选" and len(q.answer) < 2:
            problems.append("多选题至少两个答案")
        right = q.correct_options()
        wrong = [o for i, o in enumerate(q.options) if LETTERS[i] not in q.answer]
        if not wrong:
            problems.append("没有干扰项")
        if q.meta.get("kind") == "article":
            snippet = q.meta.get("snippet", "")
            if right != [q.meta.get("answer_label")]:
                problems.append("条文定位题的答案与所引条文不符")
            for did in q.meta.get("distractor_ids", []):
                d = corpus.provisions.get(did)
                if d is None or snippet in normalize(d.text):
                    problems.append(f"干扰条文也含有该表述：{did}")
        else:
            if sorted(normalize(x) for x in right) != sorted(normalize(k) for k in q.keys):
                problems.append("正确选项与答案要点不一致")
            if sorted(normalize(x) for x in wrong) != sorted(normalize(a) for a in q.absent):
                problems.append("干扰项未全部核对")
            gap = q.meta.get("gap")
            if gap:
                for w in wrong:
                    if gap.replace("{gap}", w) in text:
                        problems.append(f"干扰项填入后同样符合原文：{w}")
    elif q.qtype == "判断":
        if q.answer not in (TRUE, FALSE):
            problems.append(f"判断题答案须为{TRUE}或{FALSE}")
        if q.meta.get("kind") == "article":
            shown = corpus.provisions.get(q.meta.get("shown_id", ""))
            snippet = q.meta.get("snippet", "")
            if shown is None:
                problems.append("判断题所称条文不存在")
            elif (shown.id == p.id) != (q.answer == TRUE):
                problems.append("判断题所称条文与答案不符")
            elif shown.id != p.id and snippet in normalize(shown.text):
                problems.append("所称条文同样含有该表述")
        shown = q.meta.get("shown", "")
        if q.answer == TRUE and not all(normalize(k) in q.stem for k in q.keys):
            problems.append("判断题（正确）的题干未包含条文原值")
        if q.answer == FALSE and (not q.absent or not all(a in q.stem for a in q.absent)):
            problems.append("判断题（错误）须注明被改动的值")
        if shown and q.answer == FALSE and normalize(shown) in text:
            problems.append("判断题（错误）的改动值出现在条文中")
        gap = q.meta.get("gap")
        if gap and q.answer == FALSE and gap.replace("{gap}", shown) in text:
            problems.append("判断题（错误）的表述与原文一致")
    elif q.qtype == "填空":
        if q.stem.count(FILL) != 1:
            problems.append("填空题须恰有一个空")
        if not q.answer or normalize(q.answer) not in text:
            problems.append("填空答案不在所引条文中")
        fill = q.meta.get("fill", "")
        if fill and fill.replace(FILL, q.answer) not in text and not filled:
            problems.append("填空补全后与原文不一致")
    if not q.explanation or q.citation not in q.explanation:
        problems.append("解析须引用条文")
    return problems


def answer_is_grounded(q: Question, corpus: Corpus) -> bool:
    """True when the cited provision's text alone determines the answer (see `validate_question`)."""
    return not validate_question(q, corpus)


# -- the public entry point ----------------------------------------------------------------------------------------

def spread(n: int) -> dict[str, int]:
    """n questions over the four types (4:2:2:2, largest remainder)."""
    raw = {t: n * SHARE[t] for t in TYPES}
    out = {t: int(v) for t, v in raw.items()}
    for t in sorted(TYPES, key=lambda t: (-(raw[t] - out[t]), TYPES.index(t)))[: n - sum(out.values())]:
        out[t] += 1
    return out


def resolve_documents(corpus: Corpus, names: Iterable[str] | None) -> list[str]:
    """Document names or aliases (特设法, 39号令) → keys; QuizError naming the unknown ones.

    Without names: every document in force except case batches."""
    if not names:
        return [k for k, d in corpus.documents.items()
                if d.doc_type != "典型案例" and d.status.startswith(IN_FORCE)]
    keys, unknown = [], []
    for name in names:
        doc = corpus.documents.get(name) or corpus.find_document(name)
        if doc is None:
            unknown.append(name)
        elif doc.key not in keys:
            keys.append(doc.key)
    if unknown:
        from corpus.catalog import MISSION_DOCUMENTS

        known = [k for k, d in corpus.documents.items() if d.doc_type != "典型案例"]
        known.sort(key=lambda k: k not in MISSION_DOCUMENTS.values())  # the mission's documents first
        raise QuizError(f"未找到文件：{'、'.join(unknown)}。已收录的文件如：{'、'.join(known[:8])}等"
                        f"（共{len(known)}件，可用简称，如 特设法、道交法、39号令）。")
    return keys


def build_quiz(corpus: Corpus, doc_keys: Iterable[str] | None = None, chapters: Iterable[str] | None = None,
               topics: Iterable[str] | None = None, counts: dict[str, int] | None = None, n: int = 20,
               difficulty: str = "中", seed: int = 0) -> list[Question]:
    """A deterministic quiz: the same corpus, selection, counts, difficulty and seed give the same questions.

    `doc_keys`: document keys or aliases (default: all documents in force); `chapters`: substrings of a
    provision's chapter/section (e.g. 法律责任); `topics`: keywords a question's provision text, chapter, sector
    or kind (罚款数额, 倍数罚款, 执法主体, 期限, 条文定位, 所列情形) must contain. `counts` per type
    ({"单选": 5, "多选": 2, "判断": 2, "填空": 1}) are honoured when the selection offers enough material (fewer
    otherwise); without `counts`, `n` is spread 4:2:2:2 and shortfalls of one type are made up by the others.
    """
    if difficulty not in DIFFICULTIES:
        raise QuizError(f"难度须为 {'/'.join(DIFFICULTIES)}，收到：{difficulty}")
    if counts is not None:
        bad = [t for t in counts if t not in TYPES]
        if bad:
            raise QuizError(f"未知题型：{'、'.join(bad)}（可用：{'、'.join(TYPES)}）")
        if any(int(v) < 0 for v in counts.values()):
            raise QuizError("题目数量不能为负数")
        want = {t: int(counts.get(t, 0)) for t in TYPES}
    else:
        if n < 0:
            raise QuizError("题目数量不能为负数")
        want = spread(n)
    keys = resolve_documents(corpus, list(doc_keys) if doc_keys else None)
    quiz = _Quiz(corpus, keys, list(chapters or []), list(topics or []), difficulty, seed)
    state = _State()
    fillers = {t: _TypeFiller(quiz, state, t) for t in TYPES}

    def have(t: str) -> int:
        return sum(1 for q in state.out if q.qtype == t)

    # one question per type in turn, so that no type uses up the facts the others need
    active = [t for t in ("多选", "填空", "判断", "单选") if want[t] > 0]
    while active:
        for t in list(active):
            q = fillers[t].next() if have(t) < want[t] else None
            if q is None:
                active.remove(t)
            else:
                state.add(q, quiz)
    if counts is None:  # make up a shortfall with the types that still have material
        active = [t for t in ("单选", "判断", "填空", "多选") if want[t] > 0 or n > 0]
        while active and len(state.out) < n:
            for t in list(active):
                if len(state.out) >= n:
                    break
                q = fillers[t].next()
                if q is None:
                    active.remove(t)
                else:
                    state.add(q, quiz)
    return sorted(state.out, key=lambda q: TYPES.index(q.qtype))  # stable: generation order within a type


@dataclass
class _State:
    out: list[Question] = field(default_factory=list)
    stems: set[str] = field(default_factory=set)
    facts: set[tuple] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    def add(self, q: Question, quiz: _Quiz) -> None:
        self.out.append(q)
        self.stems.add(q.stem)
        self.articles.add(quiz.c.provisions[q.provision_id].article_id)


class _TypeFiller:
    """The questions of one type, on demand: round-robin over its generators; first one question per article,
    then repeats allowed."""

    def __init__(self, quiz: _Quiz, state: _State, qtype: str):
        self.quiz, self.state, self.qtype = quiz, state, qtype
        self.strict = True
        self.streams = self._streams()
        self.turn = 0

    def _streams(self) -> list[Iterator[_Candidate]]:
        out = []
        for kind in KINDS[self.qtype]:
            cands = list(self.quiz.candidates(kind))
            random.Random(f"{self.quiz.seed}|{self.quiz.difficulty}|{self.qtype}|{kind}").shuffle(cands)
            out.append(iter(_interleave(cands)))
        return out

    def next(self) -> Question | None:
        while True:
            while self.streams:
                i = self.turn % len(self.streams)
                q = _next_question(self.quiz, self.state, self.streams[i], self.qtype, self.strict)
                if q is None:
                    del self.streams[i]
                    continue
                self.turn = i + 1
                return q
            if not self.strict:
                return None
            self.strict = False
            self.streams = self._streams()
            self.turn = 0


def _interleave(cands: list[_Candidate]) -> list[_Candidate]:
    """Round-robin over documents (in order of first appearance) so that big codes do not crowd out the rest."""
    by_doc: dict[str, list[_Candidate]] = {}
    for cand in cands:
        by_doc.setdefault(cand.prov.doc_key, []).append(cand)
    out: list[_Candidate] = []
    queues = list(by_doc.values())
    depth = 0
    while len(out) < len(cands):
        out.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return out


def _next_question(quiz: _Quiz, state: _State, stream: Iterator[_Candidate], qtype: str, strict: bool
                   ) -> Question | None:
    for cand in stream:
        if cand.fact in state.facts or (cand.key, qtype) in state.rejected:
            continue
        if strict and cand.article_id in state.articles:
            continue
        if not quiz.topic_ok(cand):
            continue
        q = quiz.build(cand, qtype)
        if q is None or q.stem in state.stems or validate_question(q, quiz.c):
            state.rejected.add((cand.key, qtype))
            continue
        state.facts.add(cand.fact)
        return q
    return None

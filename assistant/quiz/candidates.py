"""The facts a quiz can ask about (candidates) and the lookups every builder needs (QuizContext)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assistant.quiz.model import TOPIC_OF
from assistant.quiz.normalize import fmt_number, normalize, split_sentences
from corpus.knowledge import quiz_vocabulary
from corpus.load import Corpus
from corpus.models import PenaltyRecord, Provision

# -- citation helpers ------------------------------------------------------------------------------------------

def short_citation(p: Provision) -> str:
    """《特种设备安全法》第九十三条第一款 (the document's short key instead of its full title)."""
    return p.citation.replace(f"《{p.doc_title}》", f"《{p.doc_key}》", 1)


def doc_ref(p: Provision) -> str:
    return f"《{p.doc_key}》"


def fine_pattern(value: str) -> re.Pattern:
    """The value as a complete fine expression: '5万元以下' must not match inside '1万元以上5万元以下罚款'."""
    return re.compile(rf"(?<![\d.])(?<!以上){re.escape(value)}(?=的?罚款)")


AUTHORITY_SHAPE = re.compile(r"[\u4e00-\u9fa5、（）()]{3,24}(?:部门|机关|机构|人民政府|总局)")
FINE_ANY = re.compile(r"\d(?:万元|元|倍)(?:以上|以下)?的?罚款|罚款\d")
TIER_WORD = re.compile(r"情节(?:特别)?严重|情节较轻|情节轻微|逾期|拒不|构成犯罪|造成")


# -- candidates --------------------------------------------------------------------------------------------------

@dataclass
class Candidate:
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



class QuizContext:
    """The selection (documents, chapters, topics, difficulty, seed), cached lookups and candidate lists."""

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

    def topic_ok(self, cand: Candidate) -> bool:
        if not self.topics:
            return True
        doc = self.c.documents.get(cand.prov.doc_key)
        hay = [TOPIC_OF[cand.kind], self.norm(cand.prov), cand.prov.chapter, cand.prov.section, cand.prov.heading,
               *(doc.sectors if doc else [])]
        return any(t in h for t in self.topics for h in hay)

    def rng(self, cand: Candidate, qtype: str) -> random.Random:
        return random.Random(f"{self.seed}|{self.difficulty}|{qtype}|{cand.key}")

    def prefix(self, p: Provision, need_article: bool) -> str:
        if need_article or self.difficulty == "易":
            return f"依据{short_citation(self.cited(p))}，"
        return f"依据{doc_ref(p)}，"

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
    def candidates(self, kind: str) -> list[Candidate]:
        cache = self.__dict__.setdefault("_cands", {})
        if kind not in cache:
            cache[kind] = list(getattr(self, f"_cands_{kind}")())
        return cache[kind]

    def _records(self) -> Iterator[tuple[PenaltyRecord, Provision]]:
        for r in self.c.penalties:
            p = self.c.provisions.get(r.provision_id)
            if r.kind == "处罚" and p is not None and self.selected(p):
                yield r, p

    def _record_cands(self, kind: str, value_of: Callable[[PenaltyRecord, Provision], str | None]
                      ) -> Iterator[Candidate]:
        """One candidate per provision and value read from its penalty records (None: the record has none)."""
        seen = set()
        for r, p in self._records():
            value = value_of(r, p)
            if value and (p.id, value) not in seen:
                seen.add((p.id, value))
                yield Candidate(kind, p, (p.id, value), record=r, value=value)

    def _cands_fine(self) -> Iterator[Candidate]:
        def fine(r: PenaltyRecord, p: Provision) -> str | None:
            if r.fine_max is None and r.fine_min is None or r.multiple_max is not None:
                return None
            return r.fine_label().removesuffix("罚款")
        return self._record_cands("fine", fine)

    def _cands_multiple(self) -> Iterator[Candidate]:
        def multiple(r: PenaltyRecord, p: Provision) -> str | None:
            if r.multiple_max is None and r.multiple_min is None:
                return None
            value = multiple_value(r.multiple_min, r.multiple_max)
            if r.multiple_min == 1 and value not in self.norm(p) and "等值以上" in self.norm(p):
                value = "等值以上" + multiple_value(None, r.multiple_max)
            return value
        return self._record_cands("multiple", multiple)

    def _cands_authority(self) -> Iterator[Candidate]:
        def authority(r: PenaltyRecord, p: Provision) -> str | None:
            auth = normalize(r.authority)
            return auth if auth and AUTHORITY_SHAPE.fullmatch(auth) else None
        return self._record_cands("authority", authority)

    def _text_units(self) -> Iterator[Provision]:
        for p in self.c.provisions.values():
            if p.kind in ("paragraph", "plan_item", "plan_part") and self.selected(p):
                yield p

    def _cands_period(self) -> Iterator[Candidate]:
        for p in self._text_units():
            for li, line in enumerate(self.norm(p).split("\n")):
                for si, sentence in enumerate(split_sentences(line)):
                    for value in find_periods(sentence):
                        yield Candidate("period", p, (p.id, li, si, value), value=value,
                                         extra={"line": li, "sentence": si})

    def _cands_article(self) -> Iterator[Candidate]:
        for p in self.c.provisions.values():
            if p.kind in ("article", "plan_item") and self.selected(p) and len(self.norm(p)) >= 16:
                yield Candidate("article", p, (p.id,))

    def _cands_duty(self) -> Iterator[Candidate]:
        """Whole sentences 'X应当/必须/不得/负责…' whose subject X is a department or a regulated party."""
        for p in self._text_units():
            if self.items_of.get(p.id):
                continue
            for si, sentence in enumerate(split_sentences(self.norm(p).replace("\n", ""))):
                m = duty_sentence(sentence, plan=p.kind != "paragraph")
                if m:
                    yield Candidate("duty", p, (p.id, si), value=m.group(1), extra={"sentence": m.group(0)})

    def _cands_items(self) -> Iterator[Candidate]:
        for p in self.c.provisions.values():
            if p.kind == "paragraph" and self.selected(p) and len(self.items_of.get(p.id, [])) >= 3:
                yield Candidate("items", p, (p.id,))


PERIOD = re.compile(r"(?<![\d.第])\d+(?:\.\d+)?(?:个工作日|工作日|个月|年|日|天|小时|周岁)")
CONDUCT_ELSEWHERE = re.compile(r"前款|前两款|前三款|本条第|本条前|^有?第[一二三四五六七八九十]+(?:项|款)")
# sentences that only make sense with another provision or date in view
CONTEXT_BOUND = re.compile(r"施行|前款|前两款|前三款|第[一二三四五六七八九十]+项|本条第")
PERIOD_CUE = re.compile(r"不少于|不得少于|不超过|不得超过|以内|内|之日起|起|届满|满|至少|超过|期限|为期|有效期|以上|以下|"
                        r"后|前|每|连续|期间|达到|逾期|以前")
PERIOD_UNIT = re.compile(r"(?:个工作日|工作日|个月|年|日|天|小时|周岁)$")


ITEM_LABEL = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
DANGLING = re.compile(r"^(?:其|该|此|这|上述|前述|前款|本款|或者|并且|但是|但|以及|并|且|同时|其中|对此|为此)")


DUTY = re.compile(r"([\u4e00-\u9fa5、]{2,24}?)(应当|必须|不得|可以|负责|有权|对)([^。；;]{6,70})。")
PLAN_DUTY = re.compile(r"([\u4e00-\u9fa5、]{2,24}?)(要|应当|负责|不得)([^。；;]{6,70})[。；;]")


def duty_sentence(sentence: str, plan: bool = False) -> re.Match | None:
    """'特种设备使用单位应当…。' (a plan's '市场监管部门要…'): group 1 the subject, 2 the modal (应当/必须/不得/可以/
    负责/有权/对…实施), 3 the rest; None for fragments, sentences that need another provision in view, or subjects
    that are neither a department nor a regulated party."""
    s = ITEM_LABEL.sub("", sentence.strip())
    m = (PLAN_DUTY if plan else DUTY).fullmatch(s)
    if not m or DANGLING.match(s) or CONTEXT_BOUND.search(s) or CONDUCT_ELSEWHERE.search(s):
        return None
    subject = m.group(1)
    if subject in quiz_vocabulary().generic_subjects or re.search(r"有关|其他|^任何|^各地各", subject):
        return None
    if re.search(r"[向对在经由按将为被从]", subject) or re.match(r"[，,、]", m.group(3)):
        return None  # '分包单位向总承包单位负责，…': a preposition inside, not a subject
    if re.match(r"[^，]{0,24}?的(?:部门|机构|单位|人员)", m.group(3)):
        return None  # '县级以上地方各级人民政府负责特种设备安全监督管理的部门对…': the subject goes on
    if not subject_ending(subject) or subject in m.group(3) or re.search(r"本(?:法|条例|办法|规定)|依照|按照", subject):
        return None
    return m


def subject_ending(text: str) -> bool:
    ends = [e for words in quiz_vocabulary().subjects.values() for e in words]
    return text.endswith(tuple(ends))


def find_periods(sentence: str) -> list[str]:
    """The periods a question can ask about in a sentence (不少于6年, 30日内…), not dates or enumerations."""
    if CONTEXT_BOUND.search(sentence) or len(PERIOD.findall(sentence)) > 2:
        return []
    out = []
    for m in PERIOD.finditer(sentence):
        value = m.group(0)
        if is_date(sentence, m) or sentence.count(value) != 1 or re.search(r"[“\"]" + re.escape(value), sentence):
            continue
        window = sentence[max(0, m.start() - 8): m.start()] + "|" + sentence[m.end(): m.end() + 4]
        if not PERIOD_CUE.search(window) or sentence[max(0, m.start() - 1): m.start()] in ("上", "近"):
            continue
        out.append(value)
    return out


def is_date(sentence: str, m: re.Match) -> bool:
    value = m.group(0)
    before = sentence[: m.start()]
    if value.endswith("年") and float(value[:-1]) >= 1900:
        return True
    if value.endswith("日") and re.search(r"\d月$", before):
        return True
    return bool(re.search(r"第$|前款$", before))


def multiple_value(lo: float | None, hi: float | None) -> str:
    return (f"{fmt_number(lo)}倍以上" if lo is not None else "") + (f"{fmt_number(hi)}倍以下" if hi is not None else "")


def doc_first(rows: list[tuple], doc_key: str) -> list[tuple]:
    return [r for r in rows if r[0] == doc_key] + [r for r in rows if r[0] != doc_key]


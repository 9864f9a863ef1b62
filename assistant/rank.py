"""Rank the conduct catalogue by evidence: which sanctioned conduct does a question describe?

Candidates are catalogue entries (corpus/conduct.py). Each gets features, all in [−1, 1]:

* lex — BM25 of the expanded question over the entry's subject + conduct text (normalised to the best entry);
* ret — reciprocal rank of the entry's 项/款/article among the hybrid index hits (BM25 + dense over the corpus);
* actor — +1 when the question's actor is the entry's sanctioned subject, −1 when both are known and differ;
* sector — +1 same sector, −1 a different special sector (a general text, 综合, scores 0);
* rank — 1 for a law, 0.5 for an administrative regulation, 0 below (lex specialis and hierarchy);
* curated — 1 when curated knowledge (corpus/data/knowledge.yaml) is attached;
* conduct — 1 when the entry's text says the conduct label the question was understood to name.

The score is a weighted sum. `python -m evals.ranker` fits the weights on the blind dev set (a softmax over each
question's candidates) and compares them with the hand weights leave-one-writer-out; `--write` saves fitted weights
to assistant/rank_weights.json, which then replaces HAND_WEIGHTS. On 2026-12-02 the fit did not beat the hand
weights out of fold (0.712 vs 0.724 top-1; a cosine feature from e5 over the entries added nothing either), so no
file is written and the hand weights apply. `margin` and `doubt` say whether the top candidate clearly beats
the best one from another article.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant import retrieve
from corpus.conduct import Entry, catalogue
from corpus.knowledge import actors
from corpus.load import Corpus
from index.errors import SearchFailed

FEATURES = ("lex", "ret", "actor", "sector", "rank", "curated", "conduct")
HAND_WEIGHTS = {"lex": 1.0, "ret": 0.8, "actor": 0.7, "sector": 0.5, "rank": 0.25, "curated": 0.15, "conduct": 0.5}
WEIGHTS_FILE = Path(__file__).resolve().parent / "rank_weights.json"
MIN_LEX = 0.15  # below this share of the best lexical score an entry is not a candidate
DOUBT_MARGIN = 0.25  # a rival from another article within this margin makes the answer show both readings
MIN_SCORE = 0.9  # a top score below this is no answer: retrieval takes over
IMPLEMENTED_MARGIN = 1.3  # …or within this wider one for the law a sector regulation implements, in close wording
CLOSE_WORDING = 0.7  # share of conduct words for 'close wording'
PRECEDENCE_MARGIN = 0.8  # a higher-rank or sector-specific text on the same conduct wins within this margin
NO_SECTOR_NAMED = -0.3  # sector feature of a sector's own text when the question names no sector
SAME_CONDUCT = 0.5  # share of the shorter conduct's words found in the other: above this, the same conduct


@dataclass
class Candidate:
    entry: Entry
    score: float
    features: dict = field(default_factory=dict)


@dataclass
class Ranking:
    candidates: list[Candidate]
    margin: float = 1.0
    rival: Candidate | None = None

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def doubt(self) -> bool:
        return self.rival is not None and self.margin < DOUBT_MARGIN


@functools.cache
def weights() -> dict[str, float]:
    """The fitted weights (assistant/rank_weights.json), else the hand weights; unknown names are ignored."""
    try:
        fitted = json.loads(WEIGHTS_FILE.read_text("utf-8")).get("weights") or {}
    except (OSError, ValueError):
        fitted = {}
    return {k: float(fitted.get(k, HAND_WEIGHTS[k])) for k in FEATURES}


@functools.cache
def _family() -> dict[str, str]:
    return {a.name: a.family for a in actors()}


def _lexical(corpus: Corpus):
    cached = getattr(corpus, "_conduct_lexical", None)
    if cached is None:
        from index.lexical import LexicalIndex
        from index.tokenize import tokenizer_for

        entries = list(catalogue(corpus))
        tok = tokenizer_for(sorted(corpus.alias_index))
        # standard length normalisation: a short law article must not lose to a long regulation for being short
        index = LexicalIndex.build([e.id for e in entries], [e.text for e in entries], tok, k1=1.2, b=0.75)
        cached = (index, entries)
        object.__setattr__(corpus, "_conduct_lexical", cached)
    return cached


OFFICIALS = "公职"  # the actor family of officials (corpus/data/actors.yaml)
UNNAMED_OFFICIAL = -0.5  # an officials' provision when the question names no official: a less likely reading


def actor_feature(who: str | None, entry: Entry) -> float:
    fam = _family()
    if not who and entry.actors and all(fam.get(a) == OFFICIALS for a in entry.actors):
        return UNNAMED_OFFICIAL
    if not who or not entry.actors:
        return 0.0
    if who in entry.actors:
        return 1.0
    return 0.3 if fam.get(who) in {fam.get(a) for a in entry.actors} else -1.0


def sector_feature(sector: str | None, entry: Entry) -> float:
    if not entry.sector or entry.sector == "综合":
        return 0.0
    if not sector:
        return NO_SECTOR_NAMED  # a sector's own text when the question names no sector: its condition is not shown
    if sector == entry.sector:
        return 1.0
    return 0.3 if "机动车排放" in (sector, entry.sector) and {sector, entry.sector} & {"机动车", "生态环境"} else -1.0


def _retrieval_ranks(query: str, crime: bool, on: str | None = None) -> dict[str, float]:
    try:
        if crime:
            hits = retrieve.search(query, k=20, doc_keys=["刑法"])
        else:  # conduct in the past may fall under a text repealed since
            hits = retrieve.search(query, k=20, penalty=True, include_repealed=bool(on))
    except SearchFailed:
        return {}
    out: dict[str, float] = {}  # provision id → credit (reciprocal root rank)
    for n, h in enumerate(hits, 1):
        matched = h.matched_id or h.provision.id
        article = h.provision.article_id
        out.setdefault(matched, 1.0 / n ** 0.5)
        # the whole article matched: every 项 shares the credit; one 项 matched: its siblings get half
        out.setdefault(article, (1.0 if matched == article else 0.5) / n ** 0.5)
    return out


DUTY_CREDIT = 0.8  # share of a cited duty article's credit that its sanction gets


def _ret_feature(entry: Entry, ranks: dict[str, float]) -> float:
    """Credit of the entry's own 项/款 among the index hits, else of its article (half when another 项 of the
    article was the one that matched), or a share of the credit of the duty article its conduct cites
    ('违反本办法第十四条': the facts match 第十四条's cases, the sanction is in the 罚则)."""
    own = max((ranks.get(pid, 0.0) for pid in (entry.id, entry.penalty_id, entry.article_id)), default=0.0)
    return max([own, *(DUTY_CREDIT * ranks.get(d, 0.0) for d in entry.duties)])


def valid_on(entry: Entry, corpus: Corpus, on: str | None) -> bool:
    """In force on a date (today's texts when no date): a law not yet in force, or repealed by then, is out."""
    from corpus.history import in_force_on

    return entry.in_force if on is None else in_force_on(corpus.documents[entry.doc_key], on)


def _mask(corpus: Corpus, entries: list[Entry], on: str | None) -> np.ndarray:
    key = f"_conduct_mask_{on}"
    cached = getattr(corpus, key, None)
    if cached is None:
        cached = np.array([valid_on(e, corpus, on) for e in entries], dtype=bool)
        object.__setattr__(corpus, key, cached)
    return cached


@functools.cache
def _conduct_keys() -> dict[str, re.Pattern]:
    """Conduct label → what a sanctioning text says when it is about that conduct (corpus/data/thesaurus.yaml)."""
    from corpus.knowledge import thesaurus

    return {t.conduct: re.compile(t.key) for t in thesaurus() if t.conduct and t.key}


def conduct_feature(conduct: str | None, entry: Entry) -> float:
    """1 when the entry's own conduct text says the conduct the question was understood to name."""
    key = _conduct_keys().get(conduct or "")
    return 1.0 if key is not None and key.search(entry.label or entry.conduct) else 0.0


def rank(query: str, who: str | None, sector: str | None, corpus: Corpus, crime: bool = False,
         curated: frozenset[str] = frozenset(), on: str | None = None, conduct: str | None = None,
         raw: bool = False, focus: str = "") -> Ranking:
    """Catalogue entries for a question (valid on the conduct's date, if given), best first. `raw` skips the
    precedence rules (the ranker's fit sees the weighted order itself)."""
    index, entries = _lexical(corpus)
    mask = _mask(corpus, entries, on)
    lex = _focused(dict(index.search(query, k=60, mask=mask)), dict(index.search(focus, k=60, mask=mask)) if focus else {})
    if not lex:
        return Ranking([])
    top_lex = max(lex.values())
    ranks = _retrieval_ranks(query, crime, on)
    if focus:
        ranks = _blend(ranks, _retrieval_ranks(focus, crime, on))
    feats = []
    for n, score in sorted(lex.items()):  # catalogue order: equal scores keep it
        e = entries[n]
        if score < MIN_LEX * top_lex or e.criminal != crime or crime and e.doc_key != "刑法":
            continue
        feats.append((e, {"lex": score / top_lex, "ret": _ret_feature(e, ranks), "actor": actor_feature(who, e),
                          "sector": sector_feature(sector, e), "rank": {0: 1.0, 1: 0.5}.get(e.rank, 0.0),
                          "curated": 1.0 if {e.id, e.penalty_id, e.article_id} & curated else 0.0,
                          "conduct": conduct_feature(conduct, e)}))
    best = max((f["lex"] + f["ret"] for _, f in feats), default=0.0)
    out = [Candidate(e, score_of(f, f["lex"] + f["ret"] >= best), f) for e, f in feats]
    out.sort(key=lambda c: (-c.score, c.entry.id))
    if raw:
        return Ranking(out)
    out = _escalation_after(_sanctioning_first(_saying_the_conduct_first(out), corpus), corpus, query)
    valid = [e for e, ok in zip(entries, mask, strict=True) if ok]
    out = prefer_special(_superseding(out, valid, conduct, table_only=True), sector, index.tokenizer,
                         set(index.tokenizer(query)))
    out = _superseding(_deferring_yields(out, corpus), valid, conduct)
    return with_margin(out, sector, index.tokenizer)


FOCUS_SHARE = 0.5  # weight of the sentences about the party asked about, beside the whole question's


def _focused(whole: dict[int, float], focus: dict[int, float]) -> dict[int, float]:
    """Lexical scores against the whole question blended with those against the sentences about the party asked
    about (facts naming several parties: the asked party's conduct decides), each relative to its own best."""
    if not focus or not whole:
        return whole
    tw, tf = max(whole.values()), max(focus.values())
    return _blend({n: v / tw for n, v in whole.items()}, {n: v / tf for n, v in focus.items()})


def _blend(whole: dict, focus: dict) -> dict:
    """Scores of the whole question and of the asked party's sentences, mixed by FOCUS_SHARE."""
    return {k: (1 - FOCUS_SHARE) * whole.get(k, 0.0) + FOCUS_SHARE * focus.get(k, 0.0) for k in whole.keys() | focus.keys()}


STRONGEST_PRIOR = 0.25  # a guessed actor or sector against the entry both searches match best counts a quarter


def score_of(f: dict[str, float], strongest: bool = False) -> float:
    """The weighted sum of the features. The actor and sector are guesses from the question's words; against the
    entry that the lexical and the index search both match best (the text that says the facts) a contradicting
    guess weighs a quarter (a restaurant's missing gas alarm is named by 安全生产法, not by the food law)."""
    w = weights()
    score = sum(w[k] * v for k, v in f.items() if k in w)
    if strongest:
        score -= (1 - STRONGEST_PRIOR) * sum(w[k] * min(f[k], 0.0) for k in ("actor", "sector"))
    return score


def _superseding(cands: list[Candidate], valid: list[Entry], conduct: str | None = None,
                 table_only: bool = False) -> list[Candidate]:
    """Curated 上位法优先 (knowledge.yaml `supersedes` of an entry, and the `superior` table of 款/项): when the top
    entry is a lower-rank text that a higher one supersedes and that one is in force on the conduct date, the
    superseding entry leads, scored as the top was; the lower text stays as its companion, not as a rival reading.
    Only for the same conduct: a lower text that alone says the conduct asked (条例42(二) 未定期检定、校准, which
    法典1087 does not name) keeps it."""
    if not cands:
        return cands
    top = cands[0]
    for targets in _superior_targets(top.entry, table_only):
        winner = next((c for c in cands[1:] if {c.entry.id, c.entry.penalty_id} & targets), None)
        if winner is None:
            entry = next((e for e in valid if {e.id, e.penalty_id} & targets), None)
            winner = Candidate(entry, top.score, {**top.features, "curated": 1.0,
                                                  "conduct": conduct_feature(conduct, entry)}) if entry else None
        if winner is not None and top.features.get("conduct") and not winner.features.get("conduct"):
            return cands
        if winner is not None:
            top.features["superseded"] = 1.0
            winner.score = max(winner.score, top.score)
            return [winner, *(c for c in cands if c is not winner)]
    return cands


def _superior_targets(entry: Entry, table_only: bool = False) -> list[set[str]]:
    """The ids of the higher-rank entries that supersede this one: curated entries' `supersedes`, then the
    `superior` table (one 款/项 of a regulation → the law's on the same conduct)."""
    from corpus.knowledge import knowledge

    kb = knowledge()
    own = {entry.id, entry.penalty_id, entry.article_id}
    found = [] if table_only else [set(k.conduct_items or k.penalty) for k in kb.entries if own & set(k.supersedes)]
    return found + [{kb.superior[i]} for i in (entry.id, entry.penalty_id) if i in kb.superior]


CONDUCT_MARGIN = 0.5  # an entry that says the named conduct beats a top entry that does not, within this margin


def _saying_the_conduct_first(cands: list[Candidate]) -> list[Candidate]:
    """When the question names a conduct (冒签 → 虚假报告, 检查时弄虚作假 → 拒绝检查), an entry whose text says it
    goes before a near-tied top entry whose text does not (and whose actor it does not contradict)."""
    if len(cands) < 2 or cands[0].features.get("conduct", 0.0) > 0:
        return cands
    return _near_first(cands, lambda c: c.features.get("conduct", 0.0) > 0)


def _near_first(cands: list[Candidate], ok: Callable[[Candidate], bool], margin: float = CONDUCT_MARGIN
                ) -> list[Candidate]:
    """The first of the next five entries that is `ok`, contradicts neither actor nor sector and scores within
    `margin` of the top goes first; otherwise the order stays."""
    top = cands[0]
    near = next((c for c in cands[1:6] if ok(c) and c.features["actor"] >= 0 and c.features["sector"] >= 0
                 and top.score - c.score <= margin), None)
    return cands if near is None else [near, *(c for c in cands if c is not near)]


# what an administrative sanction says; '除依照有关法律法规规定予以处罚外，还应当…承担连带责任' says none of its own
SANCTION = re.compile(r"罚款|罚金|吊销|撤销|责令|没收|警告|拘留|处分|停业|停产|取消|通报批评|禁止|不得")


def _sanctioning_first(cands: list[Candidate], corpus: Corpus) -> list[Candidate]:
    """A top entry whose paragraph sets no administrative sanction of its own (only civil joint liability) yields
    to a near entry that does, for the same actor and sector."""
    if len(cands) < 2 or SANCTION.search(corpus.provisions[cands[0].entry.penalty_id].text):
        return cands
    return _near_first(cands, lambda c: bool(SANCTION.search(corpus.provisions[c.entry.penalty_id].text)))


ESCALATION = re.compile(r"按日连续处罚")  # a sanction for refusing to correct after a fine, not the conduct's own


def _escalation_after(cands: list[Candidate], corpus: Corpus, query: str) -> list[Candidate]:
    """A top entry that escalates a fine not corrected (按日连续处罚) yields to a near entry naming the same conduct
    as the conduct's own sanction, unless the escalation is what is asked."""
    def escalates(c: Candidate) -> bool:
        return bool(ESCALATION.search(corpus.provisions[c.entry.penalty_id].text))
    if len(cands) < 2 or re.search(r"按日|拒不改正|不改正", query) or not escalates(cands[0]):
        return cands
    said = cands[0].features.get("conduct", 0.0)
    return _near_first(cands, lambda c: not escalates(c) and c.features.get("conduct", 0.0) >= said, 2 * CONDUCT_MARGIN)


# '其他有关法律、法规对处罚机关和处罚方式有规定的，依照法律、法规的规定执行': the text hands the sanction to others
# (not '另有规定的，从其规定': that is lex specialis for a sector's own law, settled by prefer_special); or it names
# them: '不符合强制性标准的，依照《中华人民共和国产品质量法》…等法律、行政法规的规定查处'
DEFERS = re.compile(r"其他有关法律、法规对处罚机关和处罚方式有规定的|依照《[^》]+》[^。；]{0,60}的规定(查处|处罚|处理)")
NAMED_LAW = re.compile(r"《([^》]+)》")


def _deferring_yields(cands: list[Candidate], corpus: Corpus) -> list[Candidate]:
    """A top entry whose paragraph defers its sanction to other laws yields to a near entry of another document
    that does not contradict the actor and either is one of the laws it names or the special text precedence put
    it over (within the wider margin: the text itself says other laws apply) or says the conduct the question
    names (its thesaurus key)."""
    from corpus.catalog import short_name

    text = corpus.provisions[cands[0].entry.penalty_id].text if cands else ""
    if len(cands) < 2 or not DEFERS.search(text):
        return cands
    top = cands[0]
    named = {short_name(t) for t in NAMED_LAW.findall(text)}

    def fits(c: Candidate) -> bool:
        if c.entry.doc_key == top.entry.doc_key or c.features["actor"] < 0 or c.features["sector"] <= -1:
            return False  # (sector −0.3: a sector's own text, its sector not named in the question — not contradicted)
        if c.entry.doc_key in named or c.features.get("superseded"):  # …or the special text it was put over
            return top.score - c.score <= IMPLEMENTED_MARGIN
        return c.features.get("conduct", 0.0) > 0 and top.score - c.score <= CONDUCT_MARGIN

    near = next((c for c in cands[1:8] if fits(c)), None)
    if near is None:
        return cands
    near.features.pop("superseded", None)  # the general text that deferred to it is no rival reading either
    top.features["superseded"] = 1.0
    return [near, *(c for c in cands if c is not near)]


def prefer_special(cands: list[Candidate], sector: str | None, tokenize, asked: set[str] = frozenset()
                   ) -> list[Candidate]:
    """Lex superior and lex specialis: a law over a regulation over a rule, and a sector's own text over the
    general one (综合), when both describe the same conduct for the same actor and score within a margin — but
    not a law for every field over the rule that names what the question names (资质认定 where 行政许可法 says
    行政许可); a sector's law over its own regulation stays."""
    if len(cands) < 2:
        return cands
    top = cands[0]
    words = _conduct_words(top.entry, tokenize)

    def names_asked(c: Candidate) -> bool:
        """The top's own words (not the other's) are the question's, and the other's own words are not."""
        other = _conduct_words(c.entry, tokenize)
        return bool((words - other) & asked) and not (other - words) & asked

    def better(c: Candidate) -> bool:
        if c.entry.rank < top.entry.rank and c.entry.sector in (None, "综合") and names_asked(c):
            return False  # a law for every field (行政许可法) over the field's own rule the question names
        if c.entry.sector in (None, "综合") and sector and top.entry.sector == sector \
                and top.features.get("conduct", 0.0) > 0:
            return False  # …or over the asked field's own text saying the conduct the question names (登记规定80)
        # an entry whose text names no subject ('违反本法规定，有下列情形之一的') does not contradict the actor
        needed = min(top.features["actor"], 0.0) if not c.entry.actors else top.features["actor"]
        other = _conduct_words(c.entry, tokenize)
        share = len(words & other) / max(1, min(len(words), len(other)))
        # the law a sector's regulation implements, on the same conduct in nearly the same words, over a wider gap
        implemented = c.entry.rank < top.entry.rank and c.entry.sector == top.entry.sector not in (None, "综合")
        margin = IMPLEMENTED_MARGIN if implemented and share >= CLOSE_WORDING else PRECEDENCE_MARGIN
        if top.score - c.score > margin or c.features["actor"] < needed:
            return False
        if c.entry.actors and not top.entry.actors and share < CLOSE_WORDING:
            return False  # a text naming its subject (检验机构) is not one naming none ('有下列情形之一的') in other words
        if top.features["curated"] and not c.features["curated"]:
            return False  # curated knowledge already states which text leads (建设工程质量管理条例67 over 建筑法69)
        if top.features.get("conduct", 0.0) > 0 >= c.features.get("conduct", 0.0):
            return False  # the lower text alone says the conduct asked (条例96 不在机构执业; the law: two bodies)
        # the question's own sector's text over a general one, or over another document's text of a neighbouring
        # sector (机动车排放: 法典 over 道交法); within one document the texts are not special to one another
        specific = bool(sector) and top.entry.sector != sector and c.entry.sector == sector and (
            top.entry.sector == "综合" or c.entry.doc_key != top.entry.doc_key)
        general = not sector and top.entry.sector not in (None, "综合") and c.entry.sector == "综合"
        if general:
            pass  # no sector named: the general rule answers, the special laws go in its note
        elif specific:
            pass
        elif c.entry.rank >= top.entry.rank or not sector and c.entry.sector not in (None, "综合"):
            return False
        need = SAME_CONDUCT * 0.6 if specific else SAME_CONDUCT  # both fit the question; the sector's text is named
        # …or both say the conduct the question names (its thesaurus key), in their own words
        both_say = specific and c.features.get("conduct", 0.0) > 0 and top.features.get("conduct", 0.0) > 0
        return share >= need or both_say

    winner = next((c for c in cands[1:12] if better(c)), None)
    if winner is None:
        return cands
    top.features["superseded"] = 1.0  # the same conduct in a lower or general text: not a rival reading
    return [winner, *(c for c in cands if c is not winner)]


FRAME_WORDS = frozenset("规定 情形 下列 之一 行为 违反 本法 本条例 本办法 有关 按照 依照 前款 单位 机构 人员".split())


def _conduct_words(entry: Entry, tokenize) -> set[str]:
    """The words that say an entry's conduct (with the previous 款 for '有前款规定情形的'), frame words left out."""
    return {w for w in tokenize(f"{entry.context} {entry.conduct}") if w not in FRAME_WORDS}


def with_margin(cands: list[Candidate], sector: str | None = None, tokenize=None) -> Ranking:
    """The margin over the best rival reading: another article, not the same conduct in another text, and not a
    sector's special law when the question names no sector and the general rule leads (its note names them)."""
    if not cands:
        return Ranking([])
    top = cands[0]
    words = set(tokenize(top.entry.conduct)) if tokenize else set()

    def rival(c: Candidate) -> bool:
        if c.entry.article_id == top.entry.article_id or c.features.get("superseded"):
            return False
        if c.features.get("conduct", 0.0) < top.features.get("conduct", 0.0):
            return False  # not the conduct the question names
        if c.features.get("actor", 0.0) < 0 < top.features.get("actor", 0.0):
            return False  # its subject is not the one the question names
        if not sector and top.entry.sector in (None, "综合") and c.entry.sector not in (None, "综合"):
            return False
        other = set(tokenize(c.entry.conduct)) if tokenize else set()
        same = bool(words and other) and len(words & other) / min(len(words), len(other)) >= SAME_CONDUCT
        return not (same and c.entry.rank != top.entry.rank)

    best = next((c for c in cands[1:] if rival(c)), None)
    margin = min(1.0, max(0.0, top.score - best.score)) if best else 1.0  # no rival is as clear as a far one
    return Ranking(cands, round(margin, 3), best)

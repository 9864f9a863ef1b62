"""Which crime a conduct may reach: the crime table (corpus/data/crimes.yaml) weighed with the retrieval ranking.

A crime fits a question when its words say the question's conduct (in a sector it covers); a named actor outside
its `actors` contradicts it. The crime route orders the 刑法 candidates by retrieval score + curated link (the
criminal provisions knowledge.yaml attaches to the conducts the question most resembles) + fit, then lets a crime
go `before` another that fits as well (the more specific crime)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from assistant.rank import Candidate, _family, _lexical
from corpus.conduct import Entry
from corpus.knowledge import Crime, crimes
from corpus.load import Corpus

FIT_WEIGHT = 0.8  # the crime's words say the question's conduct
LINK_WEIGHT = 0.6  # a criminal provision curated for a conduct the question resembles
CONTRADICTED = -1.0  # the actor named is not one who commits the crime
ACTOR_WEIGHT = 0.5  # the actor named is one the crime's table names, and its words fit


@functools.cache
def _table() -> dict[str, tuple[Crime, re.Pattern]]:
    return {c.article: (c, re.compile("|".join(f"(?:{w})" for w in c.words))) for c in crimes()}


def says(article: str, text: str, sector: str | None) -> bool:
    """Whether the question's words say the conduct of this crime (in a sector it covers)."""
    crime, words = _table().get(article, (None, None))
    if crime is None or (crime.sectors and sector not in crime.sectors):  # a sector's crime needs the sector named
        return False
    return words.search(text) is not None


def contradicted(article: str, who: str | None) -> bool:
    crime = _table().get(article, (None,))[0]
    if crime is None or not who or not crime.actors or who in crime.actors:
        return False
    fam = _family()
    return fam.get(who) not in {fam.get(a) for a in crime.actors}


def named(article: str, who: str | None) -> bool:
    crime = _table().get(article, (None,))[0]
    return crime is not None and who is not None and who in crime.actors


def _entry_of(article: str, corpus: Corpus, text: str) -> Entry | None:
    """The catalogue entry of a crime's article — of several 款, the one whose words the question shares most
    ('私刻检测公司的专用章' is 280(2), a company's seal); an article that states no conduct of its own
    (单位犯本节…之罪的) stands as its own entry."""
    from assistant.retrieve import sentence_score

    _, entries = _lexical(corpus)
    own = [e for e in entries if e.criminal and e.article_id == article]
    found = max(own, key=lambda e: sentence_score(text, e.conduct), default=None)
    art = corpus.provisions.get(article)
    if found is not None or art is None:
        return found
    return Entry(id=article, penalty_id=article, article_id=article, doc_key=art.doc_key, subject="", actors=(),
                 conduct=art.text, label="", obligations=(), sector=None, rank=0, in_force=True, criminal=True)


def weigh(pool: list[Candidate], linked: set[str], text: str, who: str | None, sector: str | None,
          corpus: Corpus) -> list[Candidate]:
    """The 刑法 candidates, with the linked and fitting crimes the retrieval missed, best first (score rewritten)."""
    seen = {c.entry.article_id for c in pool}
    extra = [a for a in (*sorted(linked), *_table()) if a not in seen and (a in linked or says(a, text, sector))]
    for article in dict.fromkeys(extra):
        entry = _entry_of(article, corpus, text)
        if entry is not None:
            pool = [*pool, Candidate(entry, 0.0, {})]
    out = []
    for c in pool:
        a = c.entry.article_id
        # a crime the named actor does not commit takes no credit from words or links
        fits = not contradicted(a, who) and says(a, text, sector)
        credit = CONTRADICTED if contradicted(a, who) else (
            FIT_WEIGHT * fits + ACTOR_WEIGHT * (fits and named(a, who)) + LINK_WEIGHT * (a in linked))
        out.append(Candidate(c.entry, c.score + credit,
                             {**c.features, "crime_fit": float(fits), "linked": float(a in linked)}))
    # a crime whose words say the conduct goes before one that only shares words with the question
    out.sort(key=lambda c: (-c.features["crime_fit"], -c.score))
    return _deliberate_first(_primary_first(_specific_first(out, text, sector), text), text)


WHICH_CRIME = re.compile(r"什么罪|哪个罪|哪些罪|何罪|罪名|刑期|判几年|判多少年|坐几年|几年(有期徒刑|牢)")


def _primary_first(cands: list[Candidate], text: str) -> list[Candidate]:
    """A question asking which crime (or its sentence) leads with the crime, not with the rule punishing a unit
    for it (刑法231), which follows."""
    top = _table().get(cands[0].entry.article_id, (None,))[0] if cands else None
    if top is None or not top.secondary or not WHICH_CRIME.search(text):
        return cands
    def primary(c: Candidate) -> bool:
        crime = _table().get(c.entry.article_id, (None,))[0]
        return bool(c.features.get("crime_fit")) and (crime is None or not crime.secondary)
    return _lead_with(cands, primary)


NEGLIGENT = re.compile(r"严重不负责任|玩忽职守|过失")  # a 款 punishing negligence ('出具的证明文件有重大失实')
NEGLIGENCE_SAID = re.compile(r"不负责任|疏忽|大意|马虎|粗心|失误|过失|失实|不小心|没注意|没仔细|玩忽职守|失职")


def _deliberate_first(cands: list[Candidate], text: str) -> list[Candidate]:
    """Of one article, the 款 of the deliberate act leads over its negligence 款 unless the question speaks of
    negligence ('作弊软件改数据出合格报告' is 刑法229(1), not 229(3))."""
    if not cands or NEGLIGENCE_SAID.search(text) or not NEGLIGENT.search(cands[0].entry.conduct):
        return cands
    top = cands[0].entry.article_id
    return _lead_with(cands, lambda c: c.entry.article_id == top and not NEGLIGENT.search(c.entry.conduct))


def _specific_first(cands: list[Candidate], text: str, sector: str | None) -> list[Candidate]:
    """A fitting crime that goes `before` the fitting top one leads (污染环境 before 破坏计算机信息系统…), and one
    that goes before that one in turn (164 before 229 before 163: the giver, not the taker, when the giver is asked)."""
    for _ in range(3):
        if not cands or not cands[0].features.get("crime_fit"):
            return cands
        top = cands[0].entry.article_id

        def before_top(c: Candidate, top: str = top) -> bool:
            crime = _table().get(c.entry.article_id, (None,))[0]
            return crime is not None and top in crime.before and bool(c.features.get("crime_fit")) and c.score > 0
        moved = _lead_with(cands, before_top)
        if moved[0] is cands[0]:
            return cands
        cands = moved
    return cands


def _lead_with(cands: list[Candidate], ok: Callable[[Candidate], bool]) -> list[Candidate]:
    """The first candidate after the top that is `ok` leads, scored as the top was; else the order stands."""
    for c in cands[1:]:
        if ok(c):
            c.score = max(c.score, cands[0].score)
            return [c, *(x for x in cands if x is not c)]
    return cands

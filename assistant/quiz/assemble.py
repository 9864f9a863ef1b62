"""build_quiz: the requested counts filled type by type, round-robin over the generators."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from assistant.quiz.balance import balance_letters, kind_limit, next_truth
from assistant.quiz.builders import Quiz
from assistant.quiz.candidates import Candidate
from assistant.quiz.model import DIFFICULTIES, KINDS, SHARE, TYPES, Question, QuizError
from assistant.quiz.validate import validate_question
from corpus.load import Corpus
from corpus.models import IN_FORCE

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
    quiz = Quiz(corpus, keys, list(chapters or []), list(topics or []), difficulty, seed)
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
    ordered = sorted(state.out, key=lambda q: TYPES.index(q.qtype))  # stable: generation order within a type
    return balance_letters(ordered, seed)


@dataclass
class _State:
    out: list[Question] = field(default_factory=list)
    stems: set[str] = field(default_factory=set)
    facts: set[tuple] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    def add(self, q: Question, quiz: Quiz) -> None:
        self.out.append(q)
        self.stems.add(q.stem)
        self.articles.add(quiz.c.provisions[q.provision_id].article_id)


class _TypeFiller:
    """The questions of one type, on demand: round-robin over its generators; first one question per article,
    then repeats allowed."""

    def __init__(self, quiz: Quiz, state: _State, qtype: str):
        self.quiz, self.state, self.qtype = quiz, state, qtype
        self.strict = True
        self.streams = self._streams()
        self.turn = 0

    def _streams(self) -> list[tuple[str, Iterator[Candidate]]]:
        out = []
        for kind in KINDS[self.qtype]:
            cands = list(self.quiz.candidates(kind))
            random.Random(f"{self.quiz.seed}|{self.quiz.difficulty}|{self.qtype}|{kind}").shuffle(cands)
            out.append((kind, iter(_interleave(cands))))
        return out

    def _full(self, kind: str) -> bool:
        """Whether one more question of the kind would exceed the share the balance allows (counted on the
        questions of this type so far, so that a paper that comes out short keeps the share too)."""
        mine = [q for q in self.state.out if q.qtype == self.qtype]
        limit = kind_limit(self.qtype, kind, len(mine) + 1)
        return limit is not None and sum(1 for q in mine if q.meta.get("kind") == kind) >= limit

    def next(self) -> Question | None:
        while True:
            skipped = 0  # streams passed over in a row because their kind is full
            while self.streams and skipped < len(self.streams):
                i = self.turn % len(self.streams)
                kind, stream = self.streams[i]
                if self._full(kind):
                    self.turn, skipped = i + 1, skipped + 1
                    continue
                self.quiz.want_truth = next_truth(self.state.out) if self.qtype == "判断" else None
                q = _next_question(self.quiz, self.state, stream, self.qtype, self.strict)
                if q is None:
                    del self.streams[i]
                    skipped = 0
                    continue
                self.turn = i + 1
                return q
            if not self.strict:
                return None
            self.strict = False
            self.streams = self._streams()
            self.turn = 0

def _interleave(cands: list[Candidate]) -> list[Candidate]:
    """Round-robin over documents (in order of first appearance) so that big codes do not crowd out the rest."""
    by_doc: dict[str, list[Candidate]] = {}
    for cand in cands:
        by_doc.setdefault(cand.prov.doc_key, []).append(cand)
    out: list[Candidate] = []
    queues = list(by_doc.values())
    depth = 0
    while len(out) < len(cands):
        out.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return out


def _next_question(quiz: Quiz, state: _State, stream: Iterator[Candidate], qtype: str, strict: bool
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

"""A paper's balance: answer letters spread evenly (deterministically by seed), 'which article' items capped, and
判断 answers alternating between 正确 and 错误."""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter

from assistant.quiz.model import LETTERS, TRUE, Question

ARTICLE_SHARE = 0.3  # at most this share of a paper's 单选/判断 items ask "which article says this"
CAPPED = {"单选": {"article": ARTICLE_SHARE}, "判断": {"article": ARTICLE_SHARE}}


def kind_limit(qtype: str, kind: str, want: int) -> int | None:
    """How many questions of this kind a type may hold when `want` of the type are asked (None: no limit)."""
    share = CAPPED.get(qtype, {}).get(kind)
    return None if share is None else max(1, math.floor(share * want))


def next_truth(questions: list[Question]) -> bool:
    """The 判断 answer the next statement should have: 正确 while 正确 is not ahead of 错误."""
    answers = Counter(q.answer for q in questions if q.qtype == "判断")
    return answers[TRUE] <= sum(answers.values()) - answers[TRUE]


def balance_letters(questions: list[Question], seed: int) -> list[Question]:
    """Options re-placed so that 单选 keys are spread evenly over A–D (a seeded shuffle of ABCD ABCD …) and 多选
    keys use the least-used letters so far; the 解析 names option texts, never letters, so it stays right."""
    rng = random.Random(f"{seed}|letters")
    singles = [i for i, q in enumerate(questions) if q.qtype == "单选"]
    out = list(questions)
    for i, letter in zip(singles, single_targets([out[i] for i in singles], rng), strict=True):
        out[i] = place(out[i], letter)
    used: Counter[str] = Counter()
    for i, q in enumerate(out):
        if q.qtype == "多选":
            order = sorted(LETTERS, key=lambda x: (used[x], rng.random()))
            letters = "".join(sorted(order[: len(q.answer)]))
            used.update(letters)
            out[i] = place(q, letters)
    return out


def single_targets(singles: list[Question], rng: random.Random) -> list[str]:
    """The key letter of each 单选: n//4 of each letter (the remainder on seeded letters). Questions whose options
    are in order (amounts ascending, articles by number) keep their own key while that letter has room, so that
    their options stay in order; the others take the remaining letters in a seeded order."""
    slots = [LETTERS[k % len(LETTERS)] for k in range(len(singles))]
    rng.shuffle(slots)
    room = Counter(slots)
    targets: list[str | None] = [None] * len(singles)
    for ordered in (lambda q: q.meta.get("numeric"), lambda q: q.meta.get("kind") == "article"):  # amounts first
        for j, q in enumerate(singles):
            if targets[j] is None and ordered(q) and room[q.answer] > 0:
                targets[j] = q.answer
                room[q.answer] -= 1
    rest = []  # the letters left, in the slots' shuffled order
    for x in slots:
        if room[x] > 0:
            rest.append(x)
            room[x] -= 1
    left = iter(rest)
    return [t if t is not None else next(left) for t in targets]


def place(q: Question, letters: str) -> Question:
    """The question with its correct options at `letters` (as many as it has) and the others, in their order,
    filling the remaining places."""
    if len(letters) != len(q.answer) or len(q.options) != len(LETTERS):
        return q
    right = iter(q.correct_options())
    wrong = iter(o for i, o in enumerate(q.options) if LETTERS[i] not in q.answer)
    options = [next(right) if x in letters else next(wrong) for x in LETTERS]
    return dataclasses.replace(q, options=options, answer=letters)

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
    targets = [LETTERS[k % len(LETTERS)] for k in range(len(singles))]
    rng.shuffle(targets)
    out = list(questions)
    for i, letter in zip(singles, targets, strict=True):
        out[i] = place(out[i], letter)
    used: Counter[str] = Counter()
    for i, q in enumerate(out):
        if q.qtype == "多选":
            order = sorted(LETTERS, key=lambda x: (used[x], rng.random()))
            letters = "".join(sorted(order[: len(q.answer)]))
            used.update(letters)
            out[i] = place(q, letters)
    return out


def place(q: Question, letters: str) -> Question:
    """The question with its correct options at `letters` (as many as it has) and the others, in their order,
    filling the remaining places."""
    if len(letters) != len(q.answer) or len(q.options) != len(LETTERS):
        return q
    right = iter(q.correct_options())
    wrong = iter(o for i, o in enumerate(q.options) if LETTERS[i] not in q.answer)
    options = [next(right) if x in letters else next(wrong) for x in LETTERS]
    return dataclasses.replace(q, options=options, answer=letters)

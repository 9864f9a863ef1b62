"""Trainer quizzes generated deterministically from provisions: 单选, 多选, 判断, 填空.

Every question is built from one cited provision (an article, 款 or action-plan item) and carries the answer,
a 解析 quoting the clause and the citation. The facts asked about are the ones trainers drill: fine bounds and
multiples from parsed penalty records, the enforcing authority, periods (保存期限不少于6年), which article says
something, and the conduct/content lists of an article. Distractors come from sibling provisions (other penalty
amounts, other authorities, other items lists, neighbouring articles) and never occur in the cited text, so the
cited text alone determines the answer; `validate_question` re-checks this for every question that is emitted.

The package is cut at its seams: `model` (Question, constants), `normalize` (五万元 → 5万元, sentences),
`candidates` (the facts to ask about), `distractors` (pools and ranking), `builders` (candidate → question),
`validate`, `assemble` (build_quiz), `export` (XLSX/GIFT/DOCX/JSON) and `paper` (exam paper + answer key).
"""

from __future__ import annotations

from assistant.quiz.assemble import build_quiz, resolve_documents, spread
from assistant.quiz.candidates import short_citation
from assistant.quiz.distractors import same_authority
from assistant.quiz.model import (
    BLANK,
    DIFFICULTIES,
    FALSE,
    FILL,
    LETTERS,
    SHARE,
    TOPIC_OF,
    TRUE,
    TYPES,
    Question,
    QuizError,
)
from assistant.quiz.normalize import normalize, similarity
from assistant.quiz.paper import PaperSpec, write_paper, write_paper_zip
from assistant.quiz.validate import answer_is_grounded, validate_question

__all__ = [
    "BLANK", "DIFFICULTIES", "FALSE", "FILL", "LETTERS", "SHARE", "TOPIC_OF", "TRUE", "TYPES", "PaperSpec",
    "Question", "QuizError", "answer_is_grounded", "build_quiz", "normalize", "resolve_documents", "same_authority",
    "short_citation", "similarity", "spread", "validate_question", "write_paper", "write_paper_zip",
]

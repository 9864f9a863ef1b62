"""Query expansion: everyday words → statutory wording (corpus/data/thesaurus.yaml), shared by index and assistant."""

from __future__ import annotations

import functools
import re

from corpus.knowledge import thesaurus


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """Plain thesaurus terms (conduct-labelled ones expand only for the conduct a question is understood to name)."""
    return tuple((re.compile("|".join(t.words)), t.means) for t in thesaurus() if t.means and not t.conduct)


@functools.cache
def _conduct_means() -> dict[str, str]:
    return {t.conduct: t.means for t in thesaurus() if t.conduct and t.means}


def expand(text: str, conduct: str | None = None) -> str:
    """The text plus the statutory words its everyday words stand for, and those of the conduct it names
    (idempotent: expanding an expanded text adds nothing)."""
    extra = [rep for pat, rep in _patterns() if pat.search(text) and rep not in text]
    if conduct and (means := _conduct_means().get(conduct)) and means not in text:
        extra.append(means)
    extra = list(dict.fromkeys(extra))
    return f"{text} {' '.join(extra)}".strip() if extra else text

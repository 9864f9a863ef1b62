"""Query expansion: everyday words → statutory wording (corpus/data/thesaurus.yaml), shared by index and assistant."""

from __future__ import annotations

import functools
import re

from corpus.knowledge import thesaurus


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str, tuple[str, ...]], ...]:
    """Plain thesaurus terms (conduct-labelled ones expand only for the conduct a question is understood to name)."""
    return tuple((re.compile("|".join(t.words)), t.means, t.sectors) for t in thesaurus() if t.means and not t.conduct)


@functools.cache
def _conduct_means() -> dict[str, str]:
    return {t.conduct: t.means for t in thesaurus() if t.conduct and t.means}


@functools.cache
def _sector_patterns() -> dict[str, re.Pattern]:
    from corpus.knowledge import sectors

    return {s.name: re.compile("|".join(map(re.escape, s.question))) for s in sectors() if s.question}


def named_sectors(text: str) -> set[str]:
    """The sectors whose question words the text uses (corpus/data/sectors.yaml)."""
    return {name for name, pattern in _sector_patterns().items() if pattern.search(text)}


def in_context(text: str, term_sectors: tuple[str, ...]) -> bool:
    """A sector-scoped term applies when the text names one of its sectors, or names no sector at all."""
    if not term_sectors:
        return True
    named = named_sectors(text)
    return not named or bool(named & set(term_sectors))


def expand(text: str, conduct: str | None = None) -> str:
    """The text plus the statutory words its everyday words stand for, and those of the conduct it names
    (idempotent: expanding an expanded text adds nothing)."""
    extra = [rep for pat, rep, scope in _patterns() if pat.search(text) and in_context(text, scope)]
    if conduct and (means := _conduct_means().get(conduct)):
        extra.append(means)
    added: list[str] = []
    for rep in dict.fromkeys(extra):
        if rep not in text and not any(rep in a for a in added):
            added.append(rep)
    return f"{text} {' '.join(added)}".strip() if added else text

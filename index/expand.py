"""Query expansion: everyday words → statutory wording (corpus/data/thesaurus.yaml), shared by index and assistant."""

from __future__ import annotations

import functools
import re

from corpus.knowledge import thesaurus


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile("|".join(t.words)), t.means) for t in thesaurus() if t.means)


def expand(text: str) -> str:
    """The text plus the statutory words its everyday words stand for (idempotent: expanding an expanded
    text adds nothing)."""
    extra = list(dict.fromkeys(rep for pat, rep in _patterns() if pat.search(text) and rep not in text))
    return f"{text} {' '.join(extra)}".strip() if extra else text

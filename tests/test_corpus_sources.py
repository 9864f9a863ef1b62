"""Defects of the source texts are mended as data (corpus/data/source_fixes.yaml) and said, never hidden."""

from __future__ import annotations

from collections import defaultdict

import pytest

from corpus.knowledge import lost_headings
from corpus.load import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_every_gap_in_a_laws_article_numbers_is_a_listed_lost_heading(corpus):
    """A missing article number means the source lost a heading: each one must be listed (and so mended)."""
    numbers: dict[str, set[int]] = defaultdict(set)
    for p in corpus.provisions.values():
        if p.kind == "article" and p.article is not None and corpus.documents[p.doc_key].source.startswith("china-law"):
            numbers[p.doc_key].add(p.article)
    gaps = {f"{k}/{n}" for k, ns in numbers.items() for n in range(min(ns), max(ns)) if n not in ns}
    assert gaps == set(), f"laws.db 条号缺口未在 source_fixes.yaml 中登记：{sorted(gaps)}"


def test_a_mended_article_stands_under_its_own_number_and_says_so(corpus):
    for fix in lost_headings():
        key = next(k for k in corpus.documents if fix.law.endswith(k) or k.endswith(fix.law))
        lost, host = corpus.provisions[f"{key}/{fix.article}"], corpus.provisions[f"{key}/{fix.after}"]
        assert lost.text.startswith(fix.starts) and lost.text.split("\n")[0] not in host.text
        assert lost.source_note == fix.note and not host.source_note
        assert all(p.source_note == fix.note for p in corpus.provisions.values()
                   if p.id.startswith(f"{key}/{fix.article}/"))

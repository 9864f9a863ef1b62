"""Law in time: versions, repeals, successors and old → new article maps (corpus/data/succession.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus.models import REPEALED

if TYPE_CHECKING:
    from corpus.load import Corpus


def apply_history(corpus: Corpus) -> None:
    """Attach succession facts to the loaded documents."""


def describe(corpus: Corpus, provision_id: str) -> list[str]:
    """Lines on the validity of a provision's text (status, repeal, successor)."""
    p = corpus.provisions.get(provision_id)
    doc = corpus.documents.get(p.doc_key) if p else None
    if doc is None:
        return []
    if doc.status == REPEALED:
        return [f"⚠ 本文件已废止（{doc.status_note or '见法律库标注'}），不得作为现行依据引用。"]
    return []

"""The BM25 index as a search process loads it: bm25s' saved arrays read with numpy (SavedScores) give bm25s' own
scores, bit for bit, with and without a scope mask, and loading and searching imports neither bm25s nor scipy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.lexical import LexicalIndex, SavedScores
from index.tokenize import LegalTokenizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> tuple[Path, list[str]]:
    """A BM25 index of ~2,000 real corpus texts saved by bm25s, and the benchmark questions."""
    from corpus.load import load_corpus
    from evals.bench import LONG_QUERIES, QUERIES

    provisions = list(load_corpus().provisions.values())[::4][:2000]
    path = tmp_path_factory.mktemp("bm25")
    LexicalIndex.build([p.id for p in provisions], [p.text for p in provisions], LegalTokenizer(["特设法"])).save(path)
    return path, [*QUERIES, *LONG_QUERIES, "的", "特种设备安全法第九十三条 罚款 罚款"]


def test_saved_scores_equal_bm25s_scores_bit_for_bit(saved):
    import bm25s

    path, queries = saved
    ours, ref = LexicalIndex.load(path), bm25s.BM25.load(str(path), mmap=False)
    assert isinstance(ours.bm25, SavedScores) and ours.bm25.vocab_dict == ref.vocab_dict
    mask = (np.arange(ours.bm25.scores["num_docs"]) % 3 != 0).astype(np.float32)
    compared = 0
    for q in queries:
        ids = [ours.bm25.vocab_dict[t] for t in ours.tokenizer.query(q) if t in ours.bm25.vocab_dict]
        if not ids:
            continue
        for weights in (None, mask):
            a = ours.bm25.get_scores_from_ids(ids, weight_mask=weights)
            b = ref.get_scores_from_ids(ids, weight_mask=None if weights is None else weights.copy())
            assert a.dtype == b.dtype and np.array_equal(a, b), q
        compared += 1
    assert compared >= 50
    top = ours.search(queries[0], 20, mask)
    assert top and all(mask[n] for n, _ in top) and [s for _, s in top] == sorted((s for _, s in top), reverse=True)


def test_loading_and_searching_imports_neither_bm25s_nor_scipy(saved):
    path, queries = saved
    code = ("import json, sys; from pathlib import Path; from index.lexical import LexicalIndex; "
            "ix = LexicalIndex.load(Path(sys.argv[1])); hits = ix.search(sys.argv[2], 5); "
            "print(json.dumps([len(hits), [m for m in ('bm25s', 'scipy') if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", code, str(path), queries[0]], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    n, imported = json.loads(out.stdout.strip().splitlines()[-1])
    assert n > 0 and imported == []

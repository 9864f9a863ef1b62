"""The lexical store: BM25 (bm25s) over jieba tokens, saved next to the tokenizer's user dictionary.

bm25s builds and saves the index; a search process reads its saved arrays with numpy alone (SavedScores): the
same arithmetic as bm25s' numpy backend, without importing bm25s and scipy.sparse (~0.3 s of a new process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.tokenize import LegalTokenizer, tokenizer_for

if TYPE_CHECKING:
    import bm25s

FILES = ("params.index.json", "vocab.index.json", "ids.json", "words.json")
SAVED_METHODS = ("lucene", "robertson", "atire")  # bm25s variants without a non-occurrence term: SavedScores


class SavedScores:
    """A saved bm25s index read with numpy: its vocabulary and precomputed per-token scores (CSC arrays), and
    get_scores_from_ids as bm25s' numpy backend computes it (the same additions in the same order)."""

    def __init__(self, path: Path) -> None:
        params = json.loads((path / "params.index.json").read_text("utf-8"))
        if params.get("method") not in SAVED_METHODS or params.get("backend", "numpy") != "numpy":
            raise ValueError(f"bm25s method {params.get('method')!r} / backend {params.get('backend')!r}")
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        self.vocab_dict: dict[str, int] = json.loads((path / "vocab.index.json").read_text("utf-8"))
        self.scores = {"data": np.load(path / "data.csc.index.npy"), "indices": np.load(path / "indices.csc.index.npy"),
                       "indptr": np.load(path / "indptr.csc.index.npy"), "num_docs": int(params["num_docs"])}

    def get_scores_from_ids(self, query_tokens_ids: list[int], weight_mask: np.ndarray | None = None) -> np.ndarray:
        """Per document, the sum of the query tokens' scores (bm25s.BM25._compute_relevance_from_scores, token by
        token), times `weight_mask`."""
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        ids = np.asarray(query_tokens_ids, dtype=self.int_dtype)
        if int(ids.max(initial=0)) >= len(indptr) - 1:
            raise ValueError("a query token is not in the index")
        starts, ends = indptr[ids], indptr[ids + 1]
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for start, end in zip(starts, ends, strict=True):
            np.add.at(scores, indices[start:end], data[start:end])
        if weight_mask is not None:
            scores *= weight_mask
        return scores


class LexicalIndex:
    """BM25 over a fixed list of unit ids; `search` returns (position, score) pairs, best first."""

    def __init__(self, bm25: bm25s.BM25 | SavedScores, ids: list[str], tokenizer: LegalTokenizer) -> None:
        self.bm25 = bm25
        self.ids = ids
        self.tokenizer = tokenizer
        self._vocab: dict[str, int] = bm25.vocab_dict

    @classmethod
    def build(cls, ids: list[str], texts: list[str], tokenizer: LegalTokenizer,
              k1: float = 0.9, b: float = 0.4) -> LexicalIndex:  # low b: long articles are not penalised much
        import bm25s

        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.index([tokenizer(t) or ["∅"] for t in texts], show_progress=False)
        return cls(bm25, list(ids), tokenizer)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.bm25.save(str(path))
        (path / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), "utf-8")
        (path / "words.json").write_text(json.dumps(self.tokenizer.words, ensure_ascii=False), "utf-8")
        self.tokenizer.save_prefix(path)  # a search process then loads jieba's dictionary 3× faster

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        """A saved index, for searching (by SavedScores; by bm25s itself for a variant it does not cover)."""
        ids = json.loads((path / "ids.json").read_text("utf-8"))
        words = json.loads((path / "words.json").read_text("utf-8"))
        try:
            bm25: bm25s.BM25 | SavedScores = SavedScores(path)
        except ValueError:
            import bm25s

            bm25 = bm25s.BM25.load(str(path), mmap=False)
        if bm25.scores["num_docs"] != len(ids):
            raise ValueError(f"BM25 has {bm25.scores['num_docs']} documents for {len(ids)} ids")
        tokenizer = tokenizer_for(words)
        tokenizer.use_prefix(path)
        return cls(bm25, ids, tokenizer)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k positions for a query (tokens de-duplicated); positions outside `mask` (bool, or float32 weights
        of 1.0 and 0.0) never come back."""
        token_ids = [self._vocab[t] for t in self.tokenizer.query(query) if t in self._vocab]
        if not token_ids:
            return []
        weights = mask if mask is None or mask.dtype == np.float32 else mask.astype(np.float32)
        scores = self.bm25.get_scores_from_ids(token_ids, weight_mask=weights)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(n), float(scores[n])) for n in top if scores[n] > 0]

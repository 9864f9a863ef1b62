"""Search: BM25 + Chroma dense, fused by reciprocal rank, with filters, a penalty boost and direct lookup."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.load import Corpus, load_corpus
from corpus.models import REPEALED, Document, Provision
from corpus.refs import find_references
from index import dense
from index.build import require_current
from index.expand import expand

MAX_QUERY = 500
RRF_K = 60
CANDIDATES = 60
PENALTY_WORDS = re.compile(r"罚|处罚|罚款|怎么处理|如何处理|法律责任|吊销|撤销|没收|追责|后果")
PENALTY_CHAPTERS = ("法律责任", "罚则")


@dataclass
class Hit:
    provision: Provision
    document: Document
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # system → 1-based rank
    matched_id: str = ""  # the 款/项 that matched, when narrower than the article

    @property
    def id(self) -> str:
        return self.provision.id


class Searcher:
    """Loads the current index once; safe to share between threads."""

    def __init__(self, home: Path | None = None, corpus: Corpus | None = None, embedder: object | None = None) -> None:
        import bm25s

        from index.tokenize import LegalTokenizer

        self.corpus = corpus or load_corpus()
        self.build_dir, self.manifest = require_current(home)
        self.ids: list[str] = self.manifest["ids"]
        self.meta: list[dict] = self.manifest["meta"]
        self.bm25 = bm25s.BM25.load(str(self.build_dir / "bm25"))
        self.tokenize = LegalTokenizer(list(self.corpus.alias_index))
        self._client = dense.client(self.build_dir / "chroma")
        self.collection = self._client.get_collection(self.manifest["collection"])
        self._embedder = embedder
        self._lock = threading.Lock()
        self._pos = {pid: n for n, pid in enumerate(self.ids)}

    @property
    def embedder(self):  # noqa: ANN201
        if self._embedder is None:
            from index.embed import Embedder

            self._embedder = Embedder(self.manifest["model"])
        return self._embedder

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - one Searcher per process
    def _query_vec(self, text: str) -> tuple[float, ...]:
        with self._lock:
            return tuple(self.embedder.embed_queries([text])[0].tolist())

    # -- filters ------------------------------------------------------------------------------------------
    def _allowed(self, n: int, doc_keys: set[str] | None, doc_types: set[str] | None, sectors: set[str] | None,
                 include_repealed: bool) -> bool:
        m = self.meta[n]
        if doc_keys and m["doc_key"] not in doc_keys:
            return False
        if doc_types and m["doc_type"] not in doc_types:
            return False
        if sectors and not (set(m["sector"].split(",")) & sectors):
            return False
        doc = self.corpus.documents.get(m["doc_key"])
        if not include_repealed and (doc is None or doc.status == REPEALED):
            return False
        return m["provision_id"] in self.corpus.provisions

    def _mask(self, **f) -> np.ndarray:  # noqa: ANN003
        return np.array([self._allowed(n, **f) for n in range(len(self.ids))], dtype=bool)

    # -- systems ------------------------------------------------------------------------------------------
    def _bm25(self, query: str, k: int, mask: np.ndarray) -> list[tuple[int, float]]:
        tokens = self.tokenize(query)
        if not tokens:
            return []
        k = min(k, len(self.ids))
        docs, scores = self.bm25.retrieve([tokens], k=k, show_progress=False, weight_mask=mask.astype(np.float32))
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0 and mask[int(d)]]

    def _dense(self, query: str, k: int, mask: np.ndarray, where: dict | None) -> list[tuple[int, float]]:
        vec = list(self._query_vec(query))
        res = self.collection.query(query_embeddings=[vec], n_results=min(k, len(self.ids)), where=where,
                                    include=["distances"])
        out = []
        for pid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            n = self._pos.get(pid)
            if n is not None and mask[n]:
                out.append((n, 1.0 - float(dist)))
        return out

    def search(self, query: str, k: int = 10, mode: str = "hybrid", doc_keys: list[str] | None = None,
               doc_types: list[str] | None = None, sectors: list[str] | None = None, include_repealed: bool = False,
               penalty: bool | None = None) -> list[Hit]:
        """Ranked hits, one per article. Odd input gives an empty list, never an exception."""
        query = "".join(ch for ch in str(query or "")[: MAX_QUERY * 4] if unicodedata.category(ch)[0] != "C")
        query = re.sub(r"\s+", " ", query)[:MAX_QUERY].strip()
        if not re.search(r"[^\W_]", query):  # nothing but punctuation, symbols or control characters
            return []
        query = expand(query)
        filters = dict(doc_keys=set(doc_keys) if doc_keys else None, doc_types=set(doc_types) if doc_types else None,
                       sectors=set(sectors) if sectors else None, include_repealed=include_repealed)
        mask = self._mask(**filters)
        if not mask.any():
            return []
        where = {"doc_key": {"$in": list(filters["doc_keys"])}} if filters["doc_keys"] else None
        if where and len(filters["doc_keys"]) == 1:
            where = {"doc_key": next(iter(filters["doc_keys"]))}
        lists: dict[str, list[tuple[int, float]]] = {}
        if mode in ("bm25", "hybrid"):
            lists["bm25"] = self._bm25(query, CANDIDATES, mask)
        if mode in ("dense", "hybrid"):
            lists["dense"] = self._dense(query, CANDIDATES, mask, where)
        if mode not in ("bm25", "dense", "hybrid"):
            raise ValueError(f"unknown mode {mode!r}")
        boost = PENALTY_WORDS.search(query) is not None if penalty is None else penalty
        fused: dict[int, float] = {}
        ranks: dict[int, dict[str, int]] = {}
        for system, hits in lists.items():
            for rank, (n, _score) in enumerate(hits, 1):
                fused[n] = fused.get(n, 0.0) + 1.0 / (RRF_K + rank)
                ranks.setdefault(n, {})[system] = rank
        if mode != "hybrid":  # single systems keep their own order
            fused = {n: 1.0 / (RRF_K + r[mode]) for n, r in ranks.items()}
        if boost:
            for n in fused:
                if any(w in self.meta[n]["chapter"] for w in PENALTY_CHAPTERS) or self._has_penalty(n):
                    fused[n] *= 1.25
        for p in self.lookup(query):  # a cited article goes first, even from a repealed text (it was asked for)
            n = self._pos.get(p.article_id)
            if n is not None and (mask[n] or self._allowed(n, **{**filters, "include_repealed": True})):
                fused[n] = max(fused.values(), default=0) + 1.0
                ranks.setdefault(n, {})["lookup"] = 1
        order = sorted(fused, key=lambda n: -fused[n])[:k]
        out = []
        for n in order:
            prov = self.corpus.provisions[self.ids[n]]
            out.append(Hit(prov, self.corpus.documents[prov.doc_key], round(fused[n], 6), ranks.get(n, {})))
        return out

    def _has_penalty(self, n: int) -> bool:
        return bool(self.corpus.penalties_for(self.ids[n]))

    def lookup(self, query: str) -> list[Provision]:
        """Direct references ('道交法94条', '39号令第27条') → provisions that exist."""
        out = []
        for ref in find_references(str(query or "")[:MAX_QUERY], self.corpus, bare_numbers=True):
            pid = ref.provision_id
            p = self.corpus.provisions.get(pid or "") or self.corpus.provisions.get(ref.article_id or "")
            if p is not None and p not in out:
                out.append(p)
        return out

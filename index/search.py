"""Search: BM25 + Chroma dense fused by weighted reciprocal rank, with filters, a penalty-chapter boost,
direct lookup of cited provisions and de-duplication of 条 vs its 款/项."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corpus.asks import PENALTY_QUESTION
from corpus.load import Corpus, load_corpus
from corpus.models import REPEALED, Document, Provision
from corpus.refs import find_references, named_documents
from index import dense
from index.build import (
    current_dir,
    describe_model,
    index_root,
    model_id,
    open_collection,
    open_store,
    require_current,
)
from index.errors import IndexCorrupted, IndexModelMismatch, SearchIndexError
from index.expand import expand

MODES = ("hybrid", "bm25", "dense")
MAX_QUERY = 300  # characters; longer input is cut (a pasted document is not a question)
RRF_K = 30
WEIGHTS = {"bm25": 1.0, "dense": 0.7}  # tuned on the gold set (evals/data): BM25 is the stronger system here
LEXICAL_CANDIDATES = 120  # BM25 units (articles, 款, 项) before collapsing to articles
DENSE_CANDIDATES = 60
UNFILTERED_OVERFETCH = 600  # up to this many filtered-out articles' units, query Chroma unfiltered; beyond, see below
# A scope keeping share s of the units: Chroma fetches wanted / s × SHARE_SAFETY units, unfiltered, when s is at
# least MIN_SHARE (so at most 6× wanted); a narrower filter is searched exactly. On the default corpus with every
# scope sent this way, the hybrid top 10 equalled the exact search's for 51 of 60 benchmark questions at 2×, 59 at
# 3× (58 for the full over-fetch of every excluded unit), and no more at 4× or 6×, which cost more.
SHARE_SAFETY = 3.0
MIN_SHARE = 0.5
# how a dense query is answered (Searcher._nearest)
DENSE_PATHS = ("chroma", "chroma-share", "exact", "exact-fallback", "chroma-filtered")
PENALTY_BOOST = 1.25
NAMED_BOOST = 1.5  # units of a document the question names ('按安全生产法…')
SUB_MATCH = 0.8  # a 款/项 is reported as the match when it scores at least this share of its article
ITEM_PREFERENCE = 0.9  # …and a 项 instead of its 款 when it scores at least this share of the 款
PENALTY_CHAPTERS = ("法律责任", "罚则", "处罚", "责任追究")


@dataclass
class Hit:
    """One search result: an article (or plan item, case) with the 款/项 that matched, when narrower."""

    provision: Provision
    document: Document
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # system (bm25, dense, lookup) → 1-based rank
    matched_id: str = ""  # the 款/项 that matched best, when narrower than the article
    scores: dict[str, float] = field(default_factory=dict)  # raw BM25 score / cosine similarity

    @property
    def id(self) -> str:
        return self.provision.id

    @property
    def status(self) -> str:
        return self.document.status

    @property
    def citation(self) -> str:
        return self.provision.citation

    def to_dict(self) -> dict:
        return {"provision_id": self.id, "matched_id": self.matched_id or self.id, "citation": self.citation,
                "doc_key": self.document.key, "doc_title": self.document.title, "doc_type": self.document.doc_type,
                "version_date": self.document.version_date, "status": self.status, "chapter": self.provision.chapter,
                "score": self.score, "ranks": dict(self.ranks), "text": self.provision.text}


def clean_query(query: object) -> str:
    """Printable text, whitespace collapsed, cut to MAX_QUERY characters; '' when nothing searchable is left."""
    text = str(query or "")[: MAX_QUERY * 4]
    text = "".join(ch if unicodedata.category(ch)[0] not in "CZ" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()[:MAX_QUERY].strip()
    return text if re.search(r"[^\W_]", text) else ""


def is_penalty_question(query: str) -> bool:
    return PENALTY_QUESTION.search(query) is not None


def _matched(subs: list[tuple[str, float]], article_score: float) -> str:
    """The 款/项 that carries an article's match: the best-scoring one if it scores close to the article
    (else the match is spread over the article); a 项 wins over its 款 when nearly as good (more specific)."""
    if not subs:
        return ""
    uid, score = subs[0]  # candidates come best first
    if score < SUB_MATCH * article_score:
        return ""
    items = [(i, s) for i, s in subs if i.startswith(uid + "/") and s >= ITEM_PREFERENCE * score]
    return items[0][0] if items else uid


_EMBEDDERS: dict[str, object] = {}
_EMBEDDERS_LOCK = threading.Lock()


def shared_embedder():
    """One embedder per runtime, model and process: Searchers made after a rebuild (or by several layers) share
    the loaded weights instead of holding a copy each. Nothing is loaded (nor torch imported) here."""
    from index.embed import create_embedder

    emb = create_embedder()
    with _EMBEDDERS_LOCK:
        return _EMBEDDERS.setdefault(f"{emb.runtime}:{emb.name}", emb)


class Searcher:
    """Loads the serving index once (BM25, Chroma collection, corpus); safe to share between threads.

    `search()` never raises on odd input; a Chroma server that goes away raises IndexUnavailable.
    """

    def __init__(self, home: Path | None = None, corpus: Corpus | None = None, embedder: object | None = None,
                 prefetch: bool = True) -> None:
        from index.lexical import LexicalIndex

        self.home = home
        self.corpus = corpus or load_corpus()
        self.build_dir, self.manifest = require_current(home)
        self._embedder = embedder
        self._embed_lock = threading.Lock()
        if prefetch:  # not for a process that will only search by BM25
            self._prefetch()
        self.build_id: str = self.manifest["build_id"]
        self.ids: list[str] = self.manifest["ids"]
        self._pos = {pid: n for n, pid in enumerate(self.ids)}
        try:
            self.lexical = LexicalIndex.load(self.build_dir / "bm25")
            import json

            parents = json.loads((self.build_dir / "bm25" / "parents.json").read_text("utf-8"))
        except Exception as exc:
            raise IndexCorrupted(str(self.build_dir), f"BM25 无法读取（{type(exc).__name__}）") from None
        if len(parents) != len(self.lexical.ids):
            raise IndexCorrupted(str(self.build_dir), "BM25 与条文列表不一致")
        self._lex_parent = np.array([self._pos.get(p, -1) for p in parents], dtype=np.int64)
        # dense units: the articles themselves (`article` scheme), or their 款/项 (`full`), each with its article
        self.dense_ids: list[str] = self.manifest.get("dense_ids") or self.ids
        self._dense_pos = {uid: n for n, uid in enumerate(self.dense_ids)}
        self._dense_parent = np.array(self.manifest.get("dense_parents") or range(len(self.ids)), dtype=np.int64)
        self.units_per_article = max(1.0, len(self.dense_ids) / max(1, len(self.ids)))
        # a query whose filters leave out more dense units than this is searched exactly, not by Chroma
        self.exact_above = int(UNFILTERED_OVERFETCH * self.units_per_article)
        self._client = None  # the Chroma store opens on the first query it answers (chromadb takes ~1 s to import)
        self._collection = None
        self._store_lock = threading.Lock()
        self.dense_paths: Counter[str] = Counter()  # how dense queries were answered (DENSE_PATHS)
        self.exact_dense = False  # True: every dense query by exact search of vectors.npy (recall reference)
        self._dense_vectors: np.ndarray | bool | None = None  # vectors.npy, for filtered dense queries
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._masks: dict[frozenset[str], np.ndarray] = {}
        self._allowed_cache: dict[tuple, frozenset[str]] = {}
        self._unit_masks: dict[frozenset[str], tuple[np.ndarray, np.ndarray, int]] = {}
        # per unit: its document, whether the live corpus still has it, whether it sits in a liability chapter
        self._doc_keys = sorted({pid_doc for pid_doc in (self._doc_of(pid) for pid in self.ids)})
        doc_index = {k: i for i, k in enumerate(self._doc_keys)}
        self._unit_doc = np.array([doc_index[self._doc_of(pid)] for pid in self.ids], dtype=np.int64)
        self._exists = np.array([pid in self.corpus.provisions for pid in self.ids], dtype=bool)
        penalised = {self.corpus.provisions[r.provision_id].article_id for r in self.corpus.penalties
                     if r.provision_id in self.corpus.provisions}
        self._liability = np.array([
            self._exists[n] and (any(w in (self.corpus.provisions[pid].chapter or "") for w in PENALTY_CHAPTERS)
                                 or pid in penalised)
            for n, pid in enumerate(self.ids)], dtype=bool)

    def _doc_of(self, pid: str) -> str:
        p = self.corpus.provisions.get(pid)
        if p is not None:
            return p.doc_key
        return "/".join(pid.split("/")[:2]) if pid.startswith("典型案例/") else pid.split("/")[0]

    # -- lifecycle ----------------------------------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            with self._embed_lock:
                if self._embedder is None:
                    emb = shared_embedder()
                    if getattr(emb, "runtime", "") == "onnx":
                        _ = emb.marker  # EmbeddingModelMissing (run `yiju index build`) rather than a mismatch
                    if model_id(emb.name) != self.manifest["model"]:
                        raise IndexModelMismatch(describe_model(self.manifest["model"], self.manifest.get("model_name")),
                                                 describe_model(model_id(emb.name), emb.name))
                    self._embedder = emb
        return self._embedder

    def _prefetch(self) -> None:
        """Start loading the ONNX query model in the background while the BM25 index and Chroma load (a new
        `yiju search` process needs both; the tokenizer alone takes a second)."""
        if self._embedder is not None:
            return
        try:
            emb = self.embedder
        except SearchIndexError:
            return  # a mismatch or missing model is reported by the first dense query
        if hasattr(emb, "prefetch"):
            emb.prefetch()

    def warmup(self) -> None:
        """Load the embedding model and tokenizer now rather than on the first question."""
        self.search("检测机构出具假报告怎么处罚", k=1)

    def is_current(self) -> bool:
        """False once a newer build has been switched in (then make a new Searcher)."""
        d = current_dir(index_root(self.home))
        return d is not None and d.name == self.build_id

    def clear_cache(self) -> None:
        """Forget cached query vectors and tokens (benchmarks measure uncached queries)."""
        with self._cache_lock:
            self._cache.clear()
        self.lexical.tokenizer.clear_cache()

    @property
    def collection(self) -> Any:  # a chromadb Collection (or a stand-in with its query())
        """The build's Chroma collection, opened on first use: a process whose queries never reach Chroma (BM25
        only, or answered by the exact search of a heavy filter) does not import chromadb."""
        if self._collection is None:
            with self._store_lock:
                if self._collection is None:
                    self._client = open_store(self.build_dir, self.manifest)
                    self._collection = open_collection(self._client, self.build_dir, self.manifest)
        return self._collection

    @collection.setter
    def collection(self, value: object) -> None:
        self._collection = value

    def close(self) -> None:
        if self._client is not None and not self.manifest.get("chroma_url"):
            dense.close(self._client)

    # -- filters ------------------------------------------------------------------------------------------
    def allowed_documents(self, doc_keys: list[str] | None = None, doc_types: list[str] | None = None,
                          sectors: list[str] | None = None, include_repealed: bool = False) -> set[str]:
        """Keys of indexed documents that pass the filters (names and aliases are accepted for documents)."""
        return set(self._allowed(doc_keys, doc_types, sectors, include_repealed))

    def _allowed(self, doc_keys: list[str] | None, doc_types: list[str] | None, sectors: list[str] | None,
                 include_repealed: bool) -> frozenset[str]:
        """allowed_documents, remembered per filter: a query no longer walks every document (384 at scale)."""
        key = (tuple(doc_keys or ()), tuple(doc_types or ()), tuple(sectors or ()), bool(include_repealed))
        got = self._allowed_cache.get(key)
        if got is None:
            if len(self._allowed_cache) > 256:
                self._allowed_cache.clear()
            got = self._allowed_cache[key] = frozenset(self._filter_documents(doc_keys, doc_types, sectors,
                                                                              include_repealed))
        return got

    def _filter_documents(self, doc_keys: list[str] | None, doc_types: list[str] | None, sectors: list[str] | None,
                          include_repealed: bool) -> set[str]:
        wanted = None
        if doc_keys:
            wanted = set()
            for name in doc_keys:
                doc = self.corpus.documents.get(name) or self.corpus.find_document(name)
                wanted.add(doc.key if doc else name)
        out = set()
        for key in self._doc_keys:
            doc = self.corpus.documents.get(key)
            if doc is None or (wanted is not None and key not in wanted):
                continue
            if doc_types and doc.doc_type not in doc_types:
                continue
            if sectors and not set(doc.sectors) & set(sectors):
                continue
            if not include_repealed and doc.status == REPEALED:
                continue
            out.add(key)
        return out

    def dense_units_of(self, allowed: frozenset[str]) -> int:
        """How many dense units the documents `allowed` have (those the live corpus still holds)."""
        return self._unit_scope(allowed)[2]

    def _mask(self, allowed: frozenset[str]) -> np.ndarray:
        mask = self._masks.get(allowed)
        if mask is None:
            ok = np.array([k in allowed for k in self._doc_keys], dtype=bool)
            mask = ok[self._unit_doc] & self._exists
            if len(self._masks) > 256:
                self._masks.clear()
                self._unit_masks.clear()
            self._masks[allowed] = mask
        return mask

    def _unit_scope(self, allowed: frozenset[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """Per scope, computed once: BM25 unit weights (1.0 in scope, else 0.0: bm25s' weight mask), the dense
        units in scope, and their number (each an O(units) array op a query would otherwise repeat)."""
        got = self._unit_masks.get(allowed)
        if got is None:
            mask = self._mask(allowed)
            lex = (mask[np.maximum(self._lex_parent, 0)] & (self._lex_parent >= 0)).astype(np.float32)
            units = mask[self._dense_parent]
            got = self._unit_masks[allowed] = (lex, units, int(units.sum()))
        return got

    # -- systems ------------------------------------------------------------------------------------------
    def _query_vec(self, text: str) -> list[float]:
        with self._cache_lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                return vec
        emb = self.embedder
        with self._embed_lock:
            vec = emb.embed_queries([text])[0].astype(np.float32).tolist()
        with self._cache_lock:
            self._cache[text] = vec
            while len(self._cache) > 1024:
                self._cache.popitem(last=False)
        return vec

    def _lexical(self, query: str, allowed: frozenset[str]) -> list[tuple[int, float, str]]:
        """(unit position, BM25 score, matched sub-provision id or '') per article, best first."""
        lex_weights = self._unit_scope(allowed)[0]
        order: list[int] = []  # articles by their best unit's rank
        best: dict[int, float] = {}
        subs: dict[int, list[tuple[str, float]]] = {}
        for n, score in self.lexical.search(query, LEXICAL_CANDIDATES, lex_weights):
            parent = int(self._lex_parent[n])
            if parent not in best:
                order.append(parent)
                best[parent] = score
            uid = self.lexical.ids[n]
            if uid != self.ids[parent]:
                subs.setdefault(parent, []).append((uid, score))
        return [(n, best[n], _matched(subs.get(n, []), best[n])) for n in order]

    def _dense(self, query: str, mask: np.ndarray, allowed: frozenset[str]) -> list[tuple[int, float]]:
        """(article position, best cosine of its units) for the nearest dense units, best first."""
        vec = self._query_vec(query)
        _, unit_mask, allowed_units = self._unit_scope(allowed)
        if allowed_units <= 0:
            return []
        res = self._nearest(vec, unit_mask, allowed_units, allowed)
        out: dict[int, float] = {}
        pos, parent = self._dense_pos, self._dense_parent
        for uid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            u = pos.get(uid)
            n = int(parent[u]) if u is not None else -1
            if n >= 0 and mask[n] and n not in out:
                out[n] = 1.0 - float(dist)
                if len(out) == DENSE_CANDIDATES:  # the rest of an over-fetch cannot enter the list
                    break
        return list(out.items())

    def _nearest(self, vec: list[float], unit_mask: np.ndarray, allowed_units: int, allowed: frozenset[str]) -> dict:
        """The nearest allowed dense units, as Chroma answers a query, by one of DENSE_PATHS (counted in
        `dense_paths`). Chroma unfiltered, over-fetching every excluded unit, while they number at most
        `exact_above` (UNFILTERED_OVERFETCH articles' worth) ("chroma"); else, when the scope keeps at least
        MIN_SHARE of the units (the in-force texts of a large index), Chroma unfiltered fetching
        wanted / share × SHARE_SAFETY units ("chroma-share"), or, when fewer than `wanted` of those are allowed (a
        question near the excluded texts), the exact search ("exact-fallback"); a narrower scope: an exact
        masked search of vectors.npy ("exact"), or a metadata-filtered Chroma query when that file is unusable
        ("chroma-filtered"). `exact_dense` sends every query to the exact search (a recall reference)."""
        wanted = int(DENSE_CANDIDATES * min(self.units_per_article, 3.0))  # units: ~DENSE_CANDIDATES articles remain
        total = len(self.dense_ids)
        excluded = total - allowed_units
        share = allowed_units / max(1, total)
        if self.exact_dense and self._vectors() is not None:
            path, res = "exact", self._exact_search(vec, unit_mask, wanted, allowed_units)
        elif excluded <= self.exact_above:  # cheaper to over-fetch and drop than to filter
            path, res = "chroma", self._query_store(vec, min(total, wanted + excluded), None)
        elif share >= MIN_SHARE:
            path, res = "chroma-share", self._query_store(vec, min(total, math.ceil(wanted / share * SHARE_SAFETY)),
                                                          None)
            if self._allowed_count(res, unit_mask) < wanted:
                path, res = "exact-fallback", self._exact_search(vec, unit_mask, wanted, allowed_units, allowed)
        else:
            path, res = "exact", self._exact_search(vec, unit_mask, wanted, allowed_units, allowed)
        if path.startswith("exact") and "distances" not in res:  # vectors.npy unusable
            path = "chroma-filtered"
            res = self._query_store(vec, min(wanted, allowed_units), res["where"])
        with self._cache_lock:
            self.dense_paths[path] += 1
        return res

    def _allowed_count(self, res: dict, unit_mask: np.ndarray) -> int:
        """How many of the units Chroma returned are in the scope (`unit_mask`)."""
        pos = self._dense_pos
        return sum(1 for uid in res["ids"][0] if (u := pos.get(uid)) is not None and unit_mask[u])

    def _exact_search(self, vec: list[float], unit_mask: np.ndarray, wanted: int, allowed_units: int,
               allowed: frozenset[str] = frozenset()) -> dict:
        """The exact search of vectors.npy, or {"where": filter} for a filtered Chroma query when it is unusable."""
        vectors = self._vectors()
        if vectors is None:
            return {"where": dense.where_doc_keys(set(allowed), set(self._doc_keys))}
        return _exact(vectors, np.asarray(vec, np.float32), unit_mask, min(wanted, allowed_units), self.dense_ids)

    def _vectors(self) -> np.ndarray | None:
        """The build's own copy of the dense vectors (vectors.npy, read on first use), or None when it is missing
        or does not match the manifest (then Chroma filters)."""
        if self._dense_vectors is None:
            try:
                v = np.load(self.build_dir / "vectors.npy")
                ok = v.shape == (len(self.dense_ids), int(self.manifest.get("dim") or v.shape[1]))
            except (OSError, ValueError):
                ok = False
            self._dense_vectors = np.ascontiguousarray(v, np.float32) if ok else False
        return self._dense_vectors if self._dense_vectors is not False else None

    def _query_store(self, vec: list[float], n_results: int, where: dict | None) -> dict:
        """Query Chroma; a server that dropped the connection is reconnected once (with backoff), and one
        that stays down raises IndexUnavailable."""
        try:
            return self.collection.query(query_embeddings=[vec], n_results=n_results, where=where,
                                         include=["distances"])
        except Exception as exc:
            url = self.manifest.get("chroma_url")
            if not url:
                raise IndexCorrupted(str(self.build_dir), f"Chroma 查询失败（{type(exc).__name__}）") from exc
        self._client = dense.client(url=url)  # raises IndexUnavailable when the server stays down
        self.collection = open_collection(self._client, self.build_dir, self.manifest)
        return self.collection.query(query_embeddings=[vec], n_results=n_results, where=where, include=["distances"])

    # -- search -------------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, mode: str = "hybrid", doc_keys: list[str] | None = None,
               doc_types: list[str] | None = None, sectors: list[str] | None = None, include_repealed: bool = False,
               penalty: bool | None = None) -> list[Hit]:
        """Ranked hits, one per article, at most k. Repealed texts only with include_repealed. `penalty` None
        detects penalty questions (罚/处罚/怎么处理/法律责任…) and then prefers 法律责任/罚则 articles.
        Empty, huge or junk input gives a (possibly empty) list, never an exception."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        text = clean_query(query)
        try:
            k = max(0, int(k))
        except (TypeError, ValueError):
            k = 10
        if not text or k == 0:
            return []
        named_docs = self.named_documents(text)
        allowed = self._scope(named_docs, doc_keys, doc_types, sectors, include_repealed)
        mask = self._mask(allowed) if allowed else None
        if mask is None or not mask.any():
            return []
        ranks, raw, matched = self._ranks(expand(text), mode, mask, allowed)
        fused = {n: sum(WEIGHTS[s] / (RRF_K + r) for s, r in rs.items()) for n, rs in ranks.items()}
        self._boost(fused, text, penalty, named_docs & allowed, allowed)
        self._cited_first(fused, text, mask, ranks, matched)
        order = sorted(fused, key=lambda n: (-fused[n], n))[:k]
        out = []
        for n in order:
            prov = self.corpus.provisions[self.ids[n]]
            out.append(Hit(prov, self.corpus.documents[prov.doc_key], round(fused[n], 6), ranks.get(n, {}),
                           matched.get(n, ""), raw.get(n, {})))
        return out

    def _scope(self, named_docs: set[str], doc_keys: list[str] | None, doc_types: list[str] | None,
               sectors: list[str] | None, include_repealed: bool) -> frozenset[str]:
        """The documents searched: the filters, plus a repealed text the question names ('按大气法…')."""
        allowed = self._allowed(doc_keys, doc_types, sectors, include_repealed)
        repealed = {k for k in named_docs if self.corpus.documents[k].status == REPEALED}
        if not include_repealed and not doc_keys and repealed:  # it is answered, marked 已废止
            allowed = allowed | self._allowed(sorted(repealed), doc_types, sectors, True)
        return allowed

    def _ranks(self, expanded: str, mode: str, mask: np.ndarray, allowed: frozenset[str]
               ) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, float]], dict[int, str]]:
        """Per unit: its rank and raw score on each side (BM25, dense), and the 款/项 that matched."""
        ranks: dict[int, dict[str, int]] = {}
        raw: dict[int, dict[str, float]] = {}
        matched: dict[int, str] = {}
        if mode in ("bm25", "hybrid"):
            for rank, (n, score, sub) in enumerate(self._lexical(expanded, allowed), 1):
                ranks.setdefault(n, {})["bm25"] = rank
                raw.setdefault(n, {})["bm25"] = round(score, 4)
                if sub:
                    matched[n] = sub
        if mode in ("dense", "hybrid"):
            for rank, (n, sim) in enumerate(self._dense(expanded, mask, allowed), 1):
                ranks.setdefault(n, {})["dense"] = rank
                raw.setdefault(n, {})["dense"] = round(sim, 4)
        return ranks, raw, matched

    def _boost(self, fused: dict[int, float], text: str, penalty: bool | None, named: frozenset[str],
               allowed: frozenset[str]) -> None:
        """法律责任/罚则 articles for penalty questions; a text the question names ('按评审准则') first."""
        if penalty if penalty is not None else is_penalty_question(text):
            for n in fused:
                if self._liability[n]:
                    fused[n] *= PENALTY_BOOST
        if named and len(named) < len(allowed):
            ok = np.array([k in named for k in self._doc_keys], dtype=bool)
            for n in fused:
                if ok[self._unit_doc[n]]:
                    fused[n] *= NAMED_BOOST

    def _cited_first(self, fused: dict[int, float], text: str, mask: np.ndarray, ranks: dict[int, dict[str, int]],
                     matched: dict[int, str]) -> None:
        """A provision the question cites ('特种设备安全法第九十三条') goes first, in the order cited."""
        top = max(fused.values(), default=0.0)
        refs = self.lookup_refs(text)
        for i, (p, sub) in enumerate(refs):
            n = self._pos.get(p.id)
            if n is not None and mask[n]:
                fused[n] = top + 1.0 + (len(refs) - i) * 1e-3
                ranks.setdefault(n, {})["lookup"] = i + 1
                if sub:
                    matched[n] = sub

    def named_documents(self, text: str) -> set[str]:
        """Keys of documents the text names by title or alias (corpus.refs.named_documents)."""
        return named_documents(text, self.corpus)

    def lookup_refs(self, query: str) -> list[tuple[Provision, str]]:
        """(article, cited 款/项 id or '') for every reference in the text that exists in the corpus."""
        out: list[tuple[Provision, str]] = []
        seen: set[str] = set()
        try:
            refs = find_references(clean_query(query), self.corpus, bare_numbers=True)
        except Exception:
            return []
        for ref in refs:
            art = self.corpus.provisions.get(ref.article_id or "")
            if art is None or art.id in seen:
                continue
            seen.add(art.id)
            sub = ref.provision_id if ref.provision_id in self.corpus.provisions and ref.provision_id != art.id else ""
            out.append((art, sub or ""))
        return out

    def lookup(self, query: str) -> list[Provision]:
        """Direct references ('特种设备安全法第九十三条', '道交法94条', '39号令第27条') → the provisions cited
        (the 款/项 when one is named), that exist in the corpus."""
        return [self.corpus.provisions[sub] if sub else art for art, sub in self.lookup_refs(query)]


def _exact(vectors: np.ndarray, vec: np.ndarray, allowed: np.ndarray, n: int, ids: list[str]) -> dict:
    """The n allowed units nearest to `vec` by cosine (unit vectors: dot product), as Chroma answers a query.
    Chroma's metadata-filtered query cost ~125 ms CPU over 51,000 units (every law of laws.db, 14 repealed
    ones filtered out) against ~13 ms unfiltered; a masked matrix-vector product costs a few ms and is exact."""
    sims = vectors @ vec
    sims[~allowed] = -np.inf
    n = min(n, int(allowed.sum()))
    if n <= 0:
        return {"ids": [[]], "distances": [[]]}
    top = np.argpartition(-sims, n - 1)[:n]
    top = top[np.argsort(-sims[top], kind="stable")]
    return {"ids": [[ids[i] for i in top]], "distances": [[float(1.0 - sims[i]) for i in top]]}


def search(query: str, k: int = 10, **kwargs) -> list[Hit]:
    """One-off search with a fresh Searcher (scripts; long-lived callers keep a Searcher)."""
    s = Searcher()
    try:
        return s.search(query, k=k, **kwargs)
    finally:
        s.close()


__all__ = ["Hit", "SearchIndexError", "Searcher", "clean_query", "is_penalty_question", "search"]

"""Retrieval quality of the embedding runtimes, compared on equal terms: every dense unit of the default corpus is
embedded by each runtime, and the gold and dev questions are searched (dense mode, through the real Searcher) by
exact cosine search over those vectors instead of Chroma's approximate index, so that two runtimes differ only by
their vectors. `python -m evals.runtimes [onnx-int8 onnx-fp32 …]` prints dense hit@5 per runtime and set (the
bar for a runtime: within 0.01 of onnx-fp32 on both). Needs the built index (its unit ids and documents)."""

from __future__ import annotations

import json
import sys
import time

import numpy as np


class ExactStore:
    """Stands where the Chroma collection stands in a Searcher: `query` by exact cosine over given vectors, with
    the `doc_key` $in/$nin filter the Searcher uses."""

    def __init__(self, ids: list[str], vectors: np.ndarray, doc_keys: list[str]) -> None:
        self.ids, self.vectors, self.doc_keys = ids, np.asarray(vectors, np.float32), np.array(doc_keys)

    def query(self, query_embeddings: list, n_results: int, where: dict | None = None, include: object = None) -> dict:
        sims = self.vectors @ np.asarray(query_embeddings[0], np.float32)
        if where:
            cond = where["doc_key"]
            inside = np.isin(self.doc_keys, list(cond.get("$in") or cond.get("$nin")))
            sims = np.where(inside if "$in" in cond else ~inside, sims, -np.inf)
        top = [int(i) for i in np.argsort(-sims, kind="stable")[:n_results] if np.isfinite(sims[i])]
        return {"ids": [[self.ids[i] for i in top]], "distances": [[float(1 - sims[i]) for i in top]]}


def runtime_quality(runtimes: list[str]) -> dict:
    """{runtime: {"gold": hit@5, "dev": hit@5, "embed_s": seconds}} by exact dense search."""
    from corpus.load import load_corpus
    from evals.bench import _embedders, _quality
    from index.build import dense_units, units
    from index.search import Searcher

    corpus = load_corpus()
    base = Searcher(corpus=corpus)
    texts = {uid: t for uid, _, t in dense_units(corpus, units(corpus), base.manifest["dense_units"])}
    if list(texts) != base.dense_ids:
        raise SystemExit("索引与语料不一致：请先运行 `yiju index build`")
    doc_keys = [base._doc_of(base.ids[p]) for p in base.manifest["dense_parents"]]
    out: dict = {}
    for name, emb in _embedders(runtimes).items():
        if name == "torch-fp32" and "torch" not in runtimes:
            continue
        t = time.perf_counter()
        vectors = emb.embed_passages(list(texts.values()), batch_size=16)
        searcher = Searcher(corpus=corpus, embedder=emb)
        searcher.collection = ExactStore(base.dense_ids, vectors, doc_keys)
        out[name] = {"embed_s": round(time.perf_counter() - t, 1),
                     **{s: _quality(searcher, "dense", s)["hit@5"] for s in ("gold", "dev")}}
        print(name, json.dumps(out[name]), file=sys.stderr, flush=True)
    return out


if __name__ == "__main__":
    print(json.dumps(runtime_quality(sys.argv[1:] or ["onnx-fp32", "onnx-int8", "onnx-int8-all"]), indent=1))

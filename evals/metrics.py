"""Retrieval metrics in the manner of sentence-transformers' InformationRetrievalEvaluator.

`relevant`: query id → set of relevant article ids; `results`: query id → ranked ids. A hit id counts for a
relevant article id when it is that id or lies under it (`X/93/1/3` counts for `X/93`)."""

from __future__ import annotations

import math


def matches(hit: str, relevant: set[str]) -> bool:
    return hit in relevant or any(hit.startswith(r + "/") for r in relevant)


def ir_metrics(relevant: dict[str, set[str]], results: dict[str, list[str]], ks: tuple[int, ...] = (1, 5, 10)
               ) -> dict[str, float]:
    """hit@k (accuracy@k), recall@k, MRR@10 and nDCG@10, averaged over the queries in `relevant`."""
    qids = [q for q in relevant if relevant[q]]
    out: dict[str, float] = {}
    if not qids:
        return {f"hit@{k}": 0.0 for k in ks} | {"mrr@10": 0.0, "ndcg@10": 0.0}
    for k in ks:
        hit = recall = 0.0
        for q in qids:
            ranked = results.get(q, [])[:k]
            found = {r for r in relevant[q] if any(matches(h, {r}) for h in ranked)}
            hit += bool(found)
            recall += len(found) / len(relevant[q])
        out[f"hit@{k}"] = round(hit / len(qids), 4)
        out[f"recall@{k}"] = round(recall / len(qids), 4)
    mrr = ndcg = 0.0
    for q in qids:
        ranked = results.get(q, [])[:10]
        for rank, h in enumerate(ranked, 1):
            if matches(h, relevant[q]):
                mrr += 1.0 / rank
                break
        seen: set[str] = set()
        dcg = 0.0
        for rank, h in enumerate(ranked, 1):
            rel = next((r for r in relevant[q] if matches(h, {r}) and r not in seen), None)
            if rel is not None:
                seen.add(rel)
                dcg += 1.0 / math.log2(rank + 1)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant[q]), 10)))
        ndcg += dcg / ideal if ideal else 0.0
    out["mrr@10"] = round(mrr / len(qids), 4)
    out["ndcg@10"] = round(ndcg / len(qids), 4)
    return out


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0…100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)

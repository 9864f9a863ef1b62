"""Retrieval metrics in the manner of sentence-transformers' InformationRetrievalEvaluator, as pure functions.

`queries`: query id → text; `relevant`: query id → set of relevant (article-level) provision ids; `results`:
query id → ranked provision ids as a system returned them. Matching is at article level (docs/ARCHITECTURE.md):
a hit counts for a relevant id when it is that id or lies under it (`X/93/1/3` counts for `X/93`, `X/9` and
`X/931` do not). Each relevant id is credited once, at the first hit under it, so several 款/项 of one relevant
article do not inflate precision, recall or nDCG. As in the evaluator, queries without relevant ids are skipped
and a query without results scores zero."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence


def matches(hit: str, relevant: Iterable[str]) -> bool:
    """True when `hit` is one of `relevant` or lies under one of them."""
    return any(hit == r or hit.startswith(r + "/") for r in relevant)


def credited(ranked: Sequence[str], relevant: Collection[str], k: int) -> list[bool]:
    """For each of the top-k hits: does it newly cover a relevant id (one not covered by an earlier hit)?"""
    seen: set[str] = set()
    out = []
    for hit in ranked[:k]:
        rel = next((r for r in sorted(relevant) if r not in seen and matches(hit, (r,))), None)
        if rel is not None:
            seen.add(rel)
        out.append(rel is not None)
    return out


def evaluate_ir(queries: Mapping[str, str], relevant: Mapping[str, Collection[str]],
                results: Mapping[str, Sequence[str]], ks: Sequence[int] = (1, 5, 10), mrr_at: int = 10,
                ndcg_at: int = 10) -> dict[str, float]:
    """accuracy@k (also as hit@k), precision@k, recall@k, MRR@mrr_at and nDCG@ndcg_at (binary gains), averaged
    over the queries in `queries` that have relevant ids; `n` is how many that is. Values are not rounded."""
    qids = [q for q in queries if relevant.get(q)]
    out: dict[str, float] = {}
    n = len(qids)
    for k in ks:
        acc = prec = rec = 0.0
        for q in qids:
            flags = credited(results.get(q, []), relevant[q], k)
            found = sum(flags)
            acc += found > 0
            prec += found / k
            rec += found / len(relevant[q])
        out[f"accuracy@{k}"] = out[f"hit@{k}"] = acc / n if n else 0.0
        out[f"precision@{k}"] = prec / n if n else 0.0
        out[f"recall@{k}"] = rec / n if n else 0.0
    mrr = ndcg = 0.0
    for q in qids:
        first = next((rank for rank, hit in enumerate(results.get(q, [])[:mrr_at], 1) if matches(hit, relevant[q])),
                     None)
        mrr += 1.0 / first if first else 0.0
        dcg = sum(1.0 / math.log2(rank + 1) for rank, ok in enumerate(credited(results.get(q, []), relevant[q],
                                                                                ndcg_at), 1) if ok)
        idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant[q]), ndcg_at) + 1))
        ndcg += dcg / idcg
    out[f"mrr@{mrr_at}"] = mrr / n if n else 0.0
    out[f"ndcg@{ndcg_at}"] = ndcg / n if n else 0.0
    out["n"] = float(n)
    return out


def ir_metrics(relevant: Mapping[str, Collection[str]], results: Mapping[str, Sequence[str]],
               ks: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    """The runner's summary: hit@k and recall@k for each k, MRR@10 and nDCG@10, rounded to 4 places."""
    full = evaluate_ir({q: q for q in relevant}, relevant, results, ks=ks)
    keys = [f"{m}@{k}" for k in ks for m in ("hit", "recall")] + ["mrr@10", "ndcg@10"]
    return {key: round(full[key], 4) for key in keys}


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0…100), as numpy's default; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)

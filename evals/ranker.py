"""Fit the conduct ranker's weights (assistant/rank_weights.json) on the blind dev set.

    python -m evals.ranker [DIR…]          # compare hand weights and fitted weights out-of-fold
    python -m evals.ranker --write [DIR…]  # …and save the fitted weights (use only if they win out of fold)

For every dev question whose expected lead is a catalogued sanctioning article, the catalogue is ranked
(assistant.rank.rank) and each candidate's features are recorded. A conditional-logit model (softmax over a
question's candidates, L2) learns the feature weights that put an expected article first. Folds are the blind
writers' files (leave one writer out), so the figure says how the weights carry to questions written by someone
else; the sealed set stays the unseen check.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from evals.lead import DEV_DIRS, article_id_of, load

L2 = 0.05
STEPS = 600
LR = 0.3


def collect(items: list[dict], today: date | None = None) -> list[dict]:
    """Per question: candidate feature matrix and which candidates hold an expected lead article."""
    from assistant import rank as ranking
    from assistant import scenarios
    from assistant.understand import understand
    from corpus.load import load_corpus

    corpus = load_corpus()
    rows = []
    for item in items:
        if item["kind"] in ("decline", "plan", "public") or not item.get("lead"):
            continue
        u = understand(item["question"], today)
        crime = item["kind"] == "crime"
        r = ranking.rank(u.expanded, u.who, u.sector, corpus, crime=crime, curated=scenarios.curated_ids(),
                         on=u.conduct_date, conduct=u.conduct, raw=True)  # before precedence: the weights alone
        cands = r.candidates[:40]
        pos = [article_id_of(c.entry.article_id) in item["lead"] for c in cands]
        if not any(pos):
            continue  # the expected article is not among the candidates: no weight can fix it
        rows.append({"id": item["id"], "writer": item["id"].split("-")[0],
                     "x": [[c.features.get(k, 0.0) for k in ranking.FEATURES] for c in cands], "pos": pos})
    return rows


def _grad(w: np.ndarray, rows: list[dict]) -> tuple[float, np.ndarray]:
    loss, g = 0.0, np.zeros_like(w)
    for r in rows:
        x = np.asarray(r["x"])
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        pos = np.asarray(r["pos"])
        q = p * pos / max(p[pos].sum(), 1e-12)
        loss -= np.log(max(p[pos].sum(), 1e-12))
        g += x.T @ (p - q)
    n = max(1, len(rows))
    return loss / n + L2 * float(w @ w), g / n + 2 * L2 * w


def fit(rows: list[dict], start: np.ndarray) -> np.ndarray:
    """Gradient descent on the conditional-logit loss from `start` (the hand weights)."""
    w = start.astype(float).copy()
    for _ in range(STEPS):
        _, g = _grad(w, rows)
        w -= LR * g
    return w


def top1(w: np.ndarray, rows: list[dict]) -> float:
    return sum(bool(r["pos"][int(np.argmax(np.asarray(r["x"]) @ w))]) for r in rows) / max(1, len(rows))


def compare(rows: list[dict], hand: np.ndarray) -> dict:
    """Leave-one-writer-out top-1 of the hand weights and of weights fitted on the other writers."""
    out = {"n": len(rows), "hand_top1": round(top1(hand, rows), 3), "folds": {}}
    hits = 0
    for writer in sorted({r["writer"] for r in rows}):
        train = [r for r in rows if r["writer"] != writer]
        test = [r for r in rows if r["writer"] == writer]
        w = fit(train, hand)
        acc = top1(w, test)
        hits += acc * len(test)
        out["folds"][writer] = {"n": len(test), "hand": round(top1(hand, test), 3), "fitted": round(acc, 3)}
    out["fitted_top1_out_of_fold"] = round(hits / max(1, len(rows)), 3)
    return out


def main(argv: list[str]) -> None:
    from assistant import rank as ranking

    dirs = [Path(a) for a in argv if not a.startswith("--")] or list(DEV_DIRS)
    items = [i for d in dirs for i in load(d)]
    rows = collect(items)
    hand = np.asarray([ranking.HAND_WEIGHTS[k] for k in ranking.FEATURES])
    report = compare(rows, hand)
    w = fit(rows, hand)
    report["weights"] = {k: round(float(v), 4) for k, v in zip(ranking.FEATURES, w, strict=True)}
    report["in_sample_top1"] = round(top1(w, rows), 3)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if "--write" in argv:
        meta = {"fitted_on": [str(d.relative_to(Path.cwd())) if d.is_absolute() else str(d) for d in dirs],
                "date": date.today().isoformat(), "n": report["n"], "hand_top1": report["hand_top1"],
                "fitted_top1_out_of_fold": report["fitted_top1_out_of_fold"]}
        ranking.WEIGHTS_FILE.write_text(json.dumps({"weights": report["weights"], **meta}, ensure_ascii=False,
                                                   indent=1) + "\n", "utf-8")
        print(f"wrote {ranking.WEIGHTS_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])

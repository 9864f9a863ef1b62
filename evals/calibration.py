"""Fit the confidence calibration (assistant/calibration.json) on the blind dev sets and the spent sealed sets.

    python -m evals.calibration            # fit, report out-of-fold figures, write the weights

Per answer route, a logistic regression (scikit-learn, L2, C=1) predicts whether the lead provision is right from
the answer's evidence (assistant.calibrate.FEATURES). Routes with fewer than MIN_ROUTE dev answers share one
pooled model. The figures reported are out-of-fold (5-fold cross-validation), so they are not the training fit;
the sealed test set is the unseen check.
"""

from __future__ import annotations

import json
from datetime import date

from assistant.calibrate import FEATURES, ROUTES, WEIGHTS_FILE, vector
from corpus.config import environment
from evals.lead import FIT_DIRS, judge, load

MIN_ROUTE = 25
FOLDS = 5
TARGET_CONFIDENT_WRONG = 0.02  # (unseen first runs ran up to 2.5× the out-of-fold rate: sealed9 0.074, sealed10 0.069 against 0.030) the doubt threshold is the lowest that keeps out-of-fold confident-wrong under this


def collect(items: list[dict]) -> list[dict]:
    """Each dev item through the assistant with calibration off: route, features, right."""
    from assistant import ask

    rows = []
    with environment(YIJU_NO_CALIBRATION="1"):
        for item in items:
            a = ask(item["question"], mode=item.get("mode", "officer"))
            if a.declined or item["kind"] == "decline" or a.route not in ROUTES:
                continue  # a route whose confidence is not calibrated (curated general rules) is not fitted
            rows.append({"id": item["id"], "route": a.route, "right": judge(item, a)["right"],
                         "x": vector(a.evidence, a.slots, a.question)})
    return rows


def _fit(xs: list[list[float]], ys: list[bool]) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(ys)) < 2:
        return [4.0 if ys[0] else -4.0] + [0.0] * (len(FEATURES) - 1)
    m = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000).fit(xs, ys)
    return [round(float(w), 4) for w in m.coef_[0]]


def _groups(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        big = sum(1 for x in rows if x["route"] == r["route"]) >= MIN_ROUTE
        out.setdefault(r["route"] if big else "pooled", []).append(r)
    return out


def out_of_fold(rows: list[dict]) -> list[float]:
    """Cross-validated P(right) for every row (its own fold never sees it)."""
    import numpy as np

    from assistant.calibrate import probability

    preds = [0.0] * len(rows)
    index = {id(r): n for n, r in enumerate(rows)}
    for fold in range(FOLDS):
        train = [r for n, r in enumerate(rows) if n % FOLDS != fold]
        table = {"routes": {g: _fit([r["x"] for r in rs], [r["right"] for r in rs]) for g, rs in _groups(train).items()}}
        for n, r in enumerate(rows):
            if n % FOLDS == fold:
                route = r["route"] if r["route"] in table["routes"] else "pooled"
                preds[index[id(r)]] = probability(route, r["x"], table) or 0.5
    return list(np.round(preds, 3))


def threshold(rows: list[dict], oof: list[float]) -> float:
    """The lowest doubt threshold whose out-of-fold confident-wrong share stays within the target."""
    for t in [x / 100 for x in range(50, 96)]:
        if sum(1 for r, p in zip(rows, oof, strict=True) if not r["right"] and p >= t) <= TARGET_CONFIDENT_WRONG * len(rows):
            return t
    return 0.95


def main() -> int:
    rows = collect(load(*FIT_DIRS))
    oof = out_of_fold(rows)
    doubt = threshold(rows, oof)
    cw = sum(1 for r, p in zip(rows, oof, strict=True) if not r["right"] and p >= doubt)
    confident = sum(1 for p in oof if p >= doubt)
    bins = []
    for lo, hi in ((0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)):
        b = [r["right"] for r, p in zip(rows, oof, strict=True) if lo <= p < hi]
        bins.append({"bin": f"{lo}-{min(hi, 1.0)}", "n": len(b), "accuracy": round(sum(b) / len(b), 3) if b else None})
    routes = {g: _fit([r["x"] for r in rs], [r["right"] for r in rs]) for g, rs in _groups(rows).items()}
    sets = " + ".join(d.name for d in FIT_DIRS)
    report = {"fitted_on": f"{sets} ({len(rows)} answered items)", "date": date.today().isoformat(),
              "features": list(FEATURES), "routes": routes, "doubt_below": doubt,
              "out_of_fold": {"confident_wrong_of_answered": round(cw / len(rows), 3),
                              "confident_share_of_answered": round(confident / len(rows), 3), "reliability": bins}}
    WEIGHTS_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(report["out_of_fold"], ensure_ascii=False, indent=1))
    print(f"weights → {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

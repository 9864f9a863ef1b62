"""Calibrated confidence: P(the lead provision is right), from the evidence an answer was built on.

A logistic regression over a few features (FEATURES) per answer route, fitted on the blind dev set by
`python -m evals.calibration` and saved with its provenance in assistant/calibration.json (the weights are data,
like bm25s saves its parameters with the index). An answer whose calibrated confidence is below `doubt_below()` says so at
the top instead of reading as settled. Without the file, confidences stay as the routes set them.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

WEIGHTS_FILE = Path(__file__).resolve().parent / "calibration.json"
DEFAULT_DOUBT = 0.7
ROUTES = ("conduct", "crime", "retrieval", "plan", "faq", "public_retrieval", "counterpart", "lookup")
FEATURES = ("bias", "score", "margin", "f_lex", "f_ret", "f_actor", "f_sector", "f_rank", "f_curated", "f_conduct",
            "overlap", "corroborated", "agree", "named",
            "who", "sector", "conduct", "asker", "long", "parts")


def vector(evidence: dict, slots: dict, question: str) -> list[float]:
    """The feature vector of one answer (route-specific weights are applied to it)."""
    ev = dict(evidence)
    values = {"bias": 1.0, "who": float(bool(slots.get("who"))), "sector": float(bool(slots.get("sector"))),
              "conduct": float(bool(slots.get("conduct"))), "asker": float(slots.get("asker") == "authority"),
              "long": min(len(question) / 100.0, 3.0), "parts": asked_parts(question)}
    for key in FEATURES:
        values.setdefault(key, float(ev.get(key, 0.0) or 0.0))
    return [values[k] for k in FEATURES]


def asked_parts(question: str) -> float:
    """How many further things a question asks beyond one ('…保存几年？签字的人呢？', '分别'): one lead answers one."""
    marks = len(re.findall(r"[？?]", question))
    return float(min(2, max(0, marks - 1) + ("分别" in question) + bool(re.search(r"呢[？?]?\s*$", question) and marks > 1)))


@functools.cache
def weights() -> dict:
    try:
        return json.loads(WEIGHTS_FILE.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def doubt_below() -> float:
    """Answers less likely right than this say so (the threshold is fitted with the weights, see evals/calibration)."""
    return float(weights().get("doubt_below", DEFAULT_DOUBT))


def probability(route: str, x: list[float], table: dict | None = None) -> float | None:
    """P(right) under the fitted weights; weights and features are matched by name (a file fitted on other
    features uses the ones they share)."""
    table = weights() if table is None else table
    w = (table.get("routes") or {}).get(route)
    if not w:
        return None
    named = dict(zip(table.get("features") or FEATURES, w, strict=False))
    z = sum(named.get(name, 0.0) * value for name, value in zip(FEATURES, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def predict(evidence: dict, slots: dict, route: str, question: str) -> float | None:
    x = vector(evidence, slots, question)
    return probability(route if route in (weights().get("routes") or {}) else "pooled", x)


def apply(ans, slots: dict) -> None:
    """Replace the route's heuristic confidence by the calibrated one; flag doubt when it is low."""
    if ans.declined or ans.route not in ROUTES:
        return
    p = predict(ans.evidence, slots, ans.route, ans.question)
    if p is None:
        return
    if (cap := ans.evidence.get("cap")) is not None:
        p = min(p, cap)  # the route knows its lead is only the nearest wording (a crime no word of the facts says)
    ans.evidence["calibrated"] = round(p, 3)
    ans.confidence = round(min(p, doubt_below() - 0.01) if ans.readings else p, 2)
    if ans.confidence < doubt_below() and not ans.readings:
        note = ("把握不大：问题中的行为主体、行为或领域与所引条文的对应不够确定，请核对条文原文，"
                "或补充说明是谁实施了什么行为、属于哪个领域。")
        if getattr(ans, "mode", "") == "public":
            note = "以下内容可能与您的问题不完全对应，请以条文原文和当地主管部门的答复为准。"
        ans.notice = f"{ans.notice} {note}".strip()
        ans.markdown = f"> ⚠ {note}\n\n{ans.markdown}"

"""Product data and code hold no eval question: a set the product has memorised measures memory, not skill."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("corpus/*.py"), *ROOT.glob("corpus/data/*"),
           *ROOT.glob("index/*.py"), *ROOT.glob("ui/*.py")]


def _questions() -> list[str]:
    out = []
    for path in (ROOT / "evals" / "data").rglob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out += [item.get("question", "")] + [t.get("question", "") for t in item.get("turns", [])]
    return [q.strip("？?。 ") for q in out if len(q) >= 10]


def test_no_eval_question_appears_in_product_files():
    text = "\n".join(p.read_text("utf-8", errors="ignore") for p in PRODUCT if p.is_file())
    leaked = [q for q in _questions() if q in text]
    assert not leaked, leaked[:10]

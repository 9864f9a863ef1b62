"""Lead-citation evaluator for the blind dev sets and the sealed test sets (evals/data/dev*, evals/data/sealed*).

Sets: `dev` = evals/data/dev (written 2026-12-01) + dev2 + dev3 + dev4 (written 2026-12-02) + dev5 (written
2026-12-02, third session) + dev6 (fourth session; all tuned on; each was first run once untuned); `sealed` (run once at d6ac3c9),
`sealed2` (603c4e8), `sealed3` (5133782) and `sealed4` (3232bdc): each run once before any tuning on it; `spent`
= those four, used since as extra dev data (the calibration is fitted on dev + spent); `sealed5` (run once at 32ded64)
and `sealed6` (batch 6, run once at the end of the fourth session); batches 7–9 (fifth and sixth sessions) likewise:
each devN first run untuned, each sealedN run once and reported (evals/reports/), then joined `dev` / `spent`
(batch 10 too: dev10 first run at 414dc89, sealed10 run once at c85fa7e; batch 16: sealed16 run once at 20204a5,
batch 17: dev17 first run at 8b63a30, sealed17 run once at 008c6b3; batch 18: dev18 first run at e7d8c8f, sealed18
still sealed; batch 19, written at the end of the twelfth session: dev19 and sealed19 both unrun).

Contract (one evaluator per file, like sentence-transformers' evaluators): `LeadEvaluator(items)(ask)` returns a
metrics dict. Per question it records:

* lead right — the answer's lead provision (article level) is one of the item's `lead` ids; a `decline` item is
  right when the answer declines;
* doubt — the answer flags doubt (declined, several readings shown, a clarifying question, or confidence < 0.5);
* confident-wrong — lead wrong and no doubt flagged: the headline failure;
* citation recall — share of the item's `relevant` ids cited anywhere in the answer;
* conclusion holds — for items with `answer_contains`, every phrase is in the conclusion itself;
* script consistency — the same question in traditional Chinese gets the same lead (OpenCC s2t).

Breakdowns by kind, actor, sector and style; a reliability table of confidence bins.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.calibrate import doubt_below  # the threshold below which answers say they doubt
from corpus.models import article_id_of

if TYPE_CHECKING:
    from assistant.models import Answer

DATA_DIR = Path(__file__).resolve().parent / "data"
DEV_DIR = DATA_DIR / "dev"
LAST_SPENT = 28  # batches whose sealed half has had its one first run (reported in evals/reports/sealedN-first-run.md)
LAST_BATCH = 29  # the newest batch written (its sealed half still unrun)
SETS = {"dev": (DEV_DIR, *(DATA_DIR / f"dev{n}" for n in range(2, LAST_SPENT + 1))),
        "sealed": (DATA_DIR / "sealed",), "sealed2": (DATA_DIR / "sealed2",),
        **{f"{half}{n}": (DATA_DIR / f"{half}{n}",) for n in range(3, LAST_BATCH + 1) for half in ("dev", "sealed")}}
# the sealed halves already run once and reported: measured again only as extra dev data
SETS["spent"] = tuple(DATA_DIR / f"sealed{n}" for n in ("", *(str(k) for k in range(2, LAST_SPENT + 1))))
DEV_DIRS = SETS["dev"]
FIT_DIRS = SETS["dev"] + SETS["spent"]  # what the confidence calibration is fitted on
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


def load(*directories: Path) -> list[dict]:
    items = []
    for path in sorted(p for d in directories for p in d.glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return items


def lead_of(answer: Answer) -> str:
    """The answer's lead provision: its declared lead, else its first citation."""
    if getattr(answer, "lead", ""):
        return article_id_of(answer.lead)
    return article_id_of(answer.citations[0].provision_id) if answer.citations else ""


def doubted(answer: Answer) -> bool:
    return bool(answer.declined or getattr(answer, "readings", None) or getattr(answer, "clarify", "")
                or answer.confidence < doubt_below())


def judge(item: dict, answer: Answer) -> dict:
    """One item's outcome."""
    lead = lead_of(answer)
    if item["kind"] == "decline":
        right = bool(answer.declined)
    else:
        readings = [article_id_of(r) for r in getattr(answer, "readings", None) or []]
        right = lead in item["lead"] or (item.get("ambiguous") and bool(set(readings) & set(item["lead"])))
    cited = {article_id_of(c.provision_id) for c in answer.citations}
    relevant = item.get("relevant") or item.get("lead") or []
    phrases = item.get("answer_contains") or []
    conclusion = answer.conclusion
    if getattr(answer, "script", "") == "traditional" and (t2s := _converter("t2s")) is not None:
        conclusion = t2s(conclusion)  # the phrases are written in the sources' script
    return {
        "id": item["id"], "lead": lead, "right": bool(right), "doubt": doubted(answer),
        "route": getattr(answer, "route", ""),
        "confidence": round(float(answer.confidence), 2),
        "recall": (sum(1 for r in relevant if r in cited) / len(relevant)) if relevant else None,
        "conclusion_holds": all(p in conclusion for p in phrases) if phrases else None,
    }


def _rate(rows: list[dict], key: str) -> float | None:
    vals = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(vals) / len(vals), 3) if vals else None


def summary(rows: list[dict]) -> dict:
    cw = [r for r in rows if not r["right"] and not r["doubt"]]
    return {"n": len(rows), "lead_accuracy": _rate(rows, "right"),
            "confident_wrong": round(len(cw) / len(rows), 3) if rows else None,
            "doubt_rate": _rate(rows, "doubt"), "citation_recall": _rate(rows, "recall"),
            "conclusion_holds": _rate(rows, "conclusion_holds")}


def reliability(rows: list[dict]) -> list[dict]:
    """Accuracy per confidence bin (answers that flag no doubt and those that do, together)."""
    out = []
    for lo, hi in BINS:
        b = [r for r in rows if lo <= r["confidence"] < hi]
        out.append({"bin": f"{lo:.2f}–{min(hi, 1.0):.2f}", "n": len(b), "lead_accuracy": _rate(b, "right")})
    return out


class LeadEvaluator:
    """Runs items through `ask(question, mode=...)` and scores the answers."""

    def __init__(self, items: list[dict], traditional: bool = True) -> None:
        self.items = items
        self.traditional = traditional

    def __call__(self, ask: Callable) -> dict:
        rows, by = [], {"kind": defaultdict(list), "actor": defaultdict(list), "sector": defaultdict(list),
                        "style": defaultdict(list)}
        same = 0
        to_trad = _converter() if self.traditional else None
        for item in self.items:
            answer = ask(item["question"], mode=item.get("mode", "officer"))
            row = judge(item, answer) | {"question": item["question"]}
            rows.append(row)
            for key, groups in by.items():
                groups[item.get(key) or "—"].append(row)
            if to_trad is not None:
                same += lead_of(ask(to_trad(item["question"]), mode=item.get("mode", "officer"))) == row["lead"]
        out = summary(rows) | {"reliability": reliability(rows), "rows": rows}
        out["breakdown"] = {key: {g: summary(rs) for g, rs in sorted(groups.items())} for key, groups in by.items()}
        if to_trad is not None and rows:
            out["traditional_same_lead"] = round(same / len(rows), 3)
        return out


def _converter(config: str = "s2t") -> Callable[[str], str] | None:
    from assistant.understand import converter

    return converter(config)


def report_lines(name: str, m: dict) -> list[str]:
    """Markdown for a metrics dict of this evaluator."""
    lines = [f"## {name} (n={m['n']})", "",
             "| metric | value |", "|---|---|"]
    for key in ("lead_accuracy", "confident_wrong", "doubt_rate", "citation_recall", "conclusion_holds",
                "traditional_same_lead"):
        lines.append(f"| {key} | {m.get(key)} |")
    for key, groups in m["breakdown"].items():
        lines += ["", f"**by {key}**", "", "| group | n | lead | confident-wrong | recall |", "|---|---|---|---|---|"]
        lines += [f"| {g} | {s['n']} | {s['lead_accuracy']} | {s['confident_wrong']} | {s['citation_recall']} |"
                  for g, s in groups.items()]
    lines += ["", "**reliability** (confidence bin → lead accuracy)", "", "| bin | n | lead accuracy |",
              "|---|---|---|"]
    lines += [f"| {b['bin']} | {b['n']} | {b['lead_accuracy']} |" for b in m["reliability"]]
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.lead dev|sealed [OUT.json]`: run a set through the real assistant, print the summary."""
    import sys

    args = argv if argv is not None else sys.argv[1:]
    which = args[0] if args else "dev"
    items = load(*SETS[which])
    from assistant import ask

    metrics = LeadEvaluator(items)(ask)
    print("\n".join(report_lines(f"{which} set", metrics)))
    if len(args) > 1:
        Path(args[1]).write_text(json.dumps(metrics, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

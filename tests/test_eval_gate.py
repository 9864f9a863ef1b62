"""CI quality gates on the fast subset of the gold set; a deliberately broken retriever must fail them."""

from __future__ import annotations

import pytest

from evals.run import GATES, check_gates, evaluate, index_ranker, load_gold, write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fast_items():
    items = load_gold(fast=True)
    assert len(items) >= 30
    return items


def test_fast_subset_meets_the_gates(built_home, fast_items, tmp_path):
    metrics = evaluate(fast_items, {"hybrid": index_ranker("hybrid"), "bm25": index_ranker("bm25")})
    failed = check_gates(metrics)
    report = write_report(metrics, tmp_path / "report")
    assert (report / "report.md").is_file() and (report / "metrics.json").is_file()
    assert list(report.glob("*.png"))
    assert failed == [], failed
    assert metrics["assistant"]["citation_verifiability"] == 1.0


def test_broken_retriever_fails_the_gate(built_home, fast_items):
    from assistant.models import Answer

    def broken_ranker(question: str) -> list[str]:
        return ["刑法/1", "计量法/1"]

    def broken_ask(question: str, **kw) -> Answer:
        return Answer(question=question, markdown="（无）")

    metrics = evaluate(fast_items, {"hybrid": broken_ranker}, ask=broken_ask)
    failed = check_gates(metrics)
    assert any(f.startswith("retrieval.hybrid.hit@5") for f in failed)
    assert any(f.startswith("assistant.penalty_exact") for f in failed)
    assert set(GATES) >= {"retrieval.hybrid.hit@5", "assistant.citation_verifiability"}

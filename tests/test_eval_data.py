"""The gold set is well-formed and every expectation is verified against the corpus texts."""

from __future__ import annotations

import pytest

from corpus.load import load_corpus
from corpus.numerals import int_to_cn
from evals.metrics import ir_metrics, percentile
from evals.run import load_gold

MINIMUMS = {"legal_basis": 45, "penalty_range": 35, "fact": 15, "authority": 10, "plan": 15, "dialogue": 10,
            "public_scope": 20, "no_answer": 10}


@pytest.fixture(scope="module")
def items():
    return load_gold()


def test_counts_and_uniqueness(items):
    assert len(items) >= 150
    for t, n in MINIMUMS.items():
        assert sum(1 for i in items if i["type"] == t) >= n, t
    questions = [i["question"] for i in items]
    assert len(questions) == len(set(questions))
    assert 30 <= sum(1 for i in items if i.get("fast")) <= 60
    assert sum(1 for i in items if i.get("transition")) >= 6


def test_ids_exist_in_corpus(items):
    c = load_corpus()
    for i in items:
        ids = list(i.get("relevant", [])) + [r for t in i.get("turns", []) for r in t.get("relevant", [])]
        for pid in ids:
            assert pid in c.provisions, (i["id"], pid)


def _cn_amount(yuan: float) -> list[str]:
    y = int(yuan)
    forms = [f"{int_to_cn(y // 10000)}万元" if y % 10000 == 0 else f"{int_to_cn(y)}元", f"{y // 10000}万元" if y % 10000 == 0
             else f"{y}元", f"{int_to_cn(y // 1000)}千元" if y % 1000 == 0 else "—"]
    return forms


def test_penalty_bounds_appear_in_the_text(items):
    c = load_corpus()
    for i in [i for i in items if i["type"] == "penalty_range"]:
        text = c.provisions[i["provision"]].text.replace(" ", "")
        for exp in i["expected"]:
            for key in ("fine_min", "fine_max"):
                if exp.get(key):
                    assert any(f in text for f in _cn_amount(exp[key])), (i["id"], key, exp[key])
            for key in ("multiple_min", "multiple_max"):
                if exp.get(key):
                    assert f"{int_to_cn(int(exp[key]))}倍" in text, (i["id"], key)


def test_answer_phrases_appear_in_relevant_text(items):
    c = load_corpus()
    for i in [i for i in items if i["type"] in ("fact", "authority", "plan")]:
        text = "".join(c.provisions[r].text for r in i["relevant"]).replace(" ", "")
        for phrase in i["answer_contains"]:
            assert phrase in text, (i["id"], phrase)


def test_metrics_by_hand():
    rel = {"q1": {"A/1"}, "q2": {"B/2", "B/3"}}
    res = {"q1": ["X/9", "A/1/2/1"], "q2": ["B/3", "Y/1", "B/2"]}
    m = ir_metrics(rel, res, ks=(1, 5))
    assert m["hit@1"] == 0.5 and m["hit@5"] == 1.0
    assert m["recall@1"] == 0.25 and m["recall@5"] == 1.0
    assert m["mrr@10"] == round((0.5 + 1.0) / 2, 4)
    import math

    ndcg_q1 = (1 / math.log2(3)) / 1.0
    ndcg_q2 = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert m["ndcg@10"] == round((ndcg_q1 + ndcg_q2) / 2, 4)
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([5], 95) == 5

"""The benchmark's own machinery (no index needed): interleaved latency groups."""

from __future__ import annotations

from evals.bench import LONG_QUERIES, QUERIES, _lat_groups


def test_groups_are_timed_in_turn_and_reported_apart():
    calls: list[str] = []
    cleared: list[int] = []
    out = _lat_groups(calls.append, {"short": ["a", "b", "c"], "long": ["X"]}, repeat=2,
                      before=lambda: cleared.append(1))
    # one query of each group in turn, a shorter group simply runs out
    assert calls == ["a", "X", "b", "c", "a", "X", "b", "c"]
    assert len(cleared) == len(calls)
    assert (out["short"]["n"], out["long"]["n"]) == (6, 2)
    for stats in out.values():
        assert 0 <= stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
        assert stats["cpu_p50_ms"] >= 0 and stats["cpu_p95_ms"] >= stats["cpu_p50_ms"]


def test_case_fact_questions_are_long_and_short_ones_short():
    assert all(200 <= len(q) <= 400 for q in LONG_QUERIES) and len(LONG_QUERIES) >= 8
    assert max(map(len, QUERIES)) < 40


def test_exact_store_answers_like_a_chroma_collection():
    import numpy as np

    from evals.runtimes import ExactStore

    vecs = np.array([[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8]], np.float32)
    store = ExactStore(["a", "b", "c", "d"], vecs, ["甲", "乙", "甲", "乙"])
    got = store.query([[1.0, 0.0]], n_results=3)
    assert got["ids"] == [["a", "b", "d"]] and np.allclose(got["distances"][0], [0.0, 0.2, 0.4])
    assert store.query([[1.0, 0.0]], 3, where={"doc_key": {"$in": ["乙"]}})["ids"] == [["b", "d"]]
    assert store.query([[0.0, 1.0]], 1, where={"doc_key": {"$nin": ["甲"]}})["ids"] == [["d"]]

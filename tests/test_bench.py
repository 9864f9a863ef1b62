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


def test_import_profile_counts_what_the_program_imports_itself():
    from evals.startup import import_profile

    text = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:       500 |        500 |     chromadb.api",
        "import time:      1000 |     900000 |   chromadb",
        "import time:       200 |       3000 |   json",
        "import time:       300 |      50000 | index.search",  # imported by the program: one space
        "import time:       100 |      20000 | corpus.load",
        "some other line | a | b",
    ])
    r = import_profile(text, top=1)
    assert r == {"total_ms": 70.0, "top_ms": {"index.search": 50.0}, "chromadb": False}


def test_eviction_empties_the_page_cache_of_a_file(tmp_path):
    """What a cold start measurement rests on: after evict(), none of the file is cached (mincore)."""
    import os
    import sys

    import pytest

    from evals.startup import evict, files_under, resident_bytes

    if not sys.platform.startswith("linux"):
        pytest.skip("posix_fadvise and mincore: Linux")
    mounts = [line.split() for line in open("/proc/mounts")]
    fs = max((m for m in mounts if str(tmp_path).startswith(m[1])), key=lambda m: len(m[1]))[2]
    if fs in ("tmpfs", "ramfs", "overlay"):
        pytest.skip(f"{fs}: its pages cannot be dropped")
    path = tmp_path / "sub" / "data.bin"
    path.parent.mkdir()
    path.write_bytes(os.urandom(2**20))
    path.read_bytes()
    assert files_under([tmp_path]) == [path] and resident_bytes(path) > 0
    evict([path])
    assert resident_bytes(path) == 0
    path.read_bytes()
    assert resident_bytes(path) == 2**20


def _store_row(p95: float) -> dict:
    stats = {"p50_ms": p95 / 2, "p95_ms": p95}
    return {"stores": {"embedded": "embedded", "server": "http://127.0.0.1:1"}, "same_results": 1.0,
            **{f"query_{m}": {"embedded": stats, "server": {"p50_ms": p95, "p95_ms": 2 * p95}}
               for m in ("bm25", "dense", "hybrid", "hybrid_all")},
            "dense_paths": {"hybrid": {"embedded": {"chroma": 0, "exact": 100, "chroma-filtered": 0},
                                       "server": {"chroma": 0, "exact": 100, "chroma-filtered": 0}}}}


def _scale_row(laws: int, p95: float, paths: dict) -> dict:
    stats = {"p50_ms": p95 / 2, "p95_ms": p95}
    return {"laws": laws, "provisions": 1000 * laws, "build_s": 10.0 * laws, "serving_rss_mb": 1000.0,
            **{f"query_{m}": stats for m in ("bm25", "dense", "hybrid", "hybrid_all")},
            "dense_scope": {"dense_units": 7000, "excluded_by_default": 300, "exact_above": 1200},
            "dense_paths": {"hybrid": paths, "hybrid_all": {"chroma": 100, "exact": 0, "chroma-filtered": 0}},
            "vs_exact": {"queries": 60, "k": 10, "hybrid_same": 0.95, "dense_same": 0.9, "dense_recall": 0.99},
            "profile": {"search.py:316(_lexical)": 0.25}, "server": _store_row(p95)}


def test_scale_output_puts_the_stores_side_by_side_and_says_which_path_answered(capsys):
    from evals.bench import _growth, print_scale

    one = _scale_row(17, 20.0, {"chroma": 120, "exact": 0, "chroma-filtered": 0})
    big = _scale_row(378, 30.0, {"chroma": 0, "exact": 120, "chroma-filtered": 0})
    g = _growth(one, big)
    assert (g["hybrid_p95"], g["server_hybrid_p95"], g["embedded_hybrid_all_p95"], g["build_s"]) == (1.5, 1.5, 1.5, 22.24)
    print_scale({"1x": one, "scale": big, "growth": g, "machine": {}})
    out = capsys.readouterr().out
    assert "378 部" in out and "混合检索·含已废止文本" in out and "服务器" in out and "嵌入式" in out
    assert "chroma 120 · exact 0" in out and "chroma 0 · exact 120" in out  # 1× from Chroma, 378 laws exactly
    assert "与精确检索相同的前 10 条（60 个问题）：混合检索 0.95，向量检索 0.9；向量检索召回率 0.99" in out
    assert "search.py:316(_lexical) 0.25" in out
    assert "10.0 / 20.0" in out and "30.0 / 60.0" in out  # p50 / p95 of each store, each build

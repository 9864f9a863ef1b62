"""Benchmarks, reported as numbers (not asserted): build times, query and answer latency, serving memory."""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from evals.metrics import percentile

QUERIES = [
    "电梯检验机构出具虚假报告怎么罚", "车检站出具虚假检验结果怎么罚", "检验检测报告保存多少年", "授权签字人有什么要求",
    "检验机构出具不实报告罚多少", "气瓶检验机构使用无证人员检验", "机动车排放检验机构出具虚假报告", "监测数据弄虚作假怎么处罚",
    "食品检验机构出具虚假检验报告", "产品质量检验机构伪造检验结果", "专项整治为期多久", "整治重点领域有哪些",
    "工作总结什么时候报送", "检验检测机构超出资质认定范围出具数据", "未取得资质认定出具报告", "分包检验项目要注明吗",
    "特种设备安全法第九十三条", "道交法94条", "39号令第27条", "监督管理办法第二十六条", "行政处罚法从轻减轻情形",
    "初次违法可以不罚吗", "提供虚假证明文件罪", "锅炉检验少检项目", "检验人员同时在两个机构执业", "建设工程质量检测机构造假",
    "农产品检测机构出具虚假检测报告", "资质认定证书出借", "报告上没有CMA标志", "谁负责检验检测机构的监督管理",
    "投诉检验检测机构找谁", "检验检测机构应当独立于利益相关方", "能力验证结果公布", "特种设备检验发现严重事故隐患",
    "机动车安全技术检验收费标准", "监管人员玩忽职守", "生态环境监测机构篡改数据", "替检代检怎么处理",
    "检验检测机构自我声明", "原始记录怎么保存", "情节严重吊销资质", "直接负责的主管人员罚款", "排放检验弄虚作假 法典",
    "压力管道检验机构", "燃气管道检验", "检测数据篡改刑事责任", "实验室开放日", "你点我检", "三公开系统", "回头看",
]


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _lat(fn, queries: list[str], repeat: int) -> dict:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2), "n": len(times)}


def run_bench(cold: bool = True, repeat: int = 3, write: bool = True) -> dict:
    """Measure and return the figures; also written to evals/reports/bench-<timestamp>.json."""
    from corpus.load import load_corpus
    from index.build import build_index

    out: dict = {"machine": {"cpus": os.cpu_count()}, "queries": len(QUERIES)}
    corpus = load_corpus()
    if cold:
        saved = os.environ.get("YIJU_HOME")
        with tempfile.TemporaryDirectory(prefix="yiju-bench-") as tmp:
            os.environ["YIJU_HOME"] = tmp
            try:
                t = time.perf_counter()
                r = build_index(corpus, home=Path(tmp), progress=False)
                out["cold_build_s"] = round(time.perf_counter() - t, 2)
                out["cold_build_detail"] = r.to_dict()
            finally:
                if saved is None:
                    os.environ.pop("YIJU_HOME", None)
                else:
                    os.environ["YIJU_HOME"] = saved
    t = time.perf_counter()
    r = build_index(corpus, progress=False)  # brings the real index up to date (or builds it)
    out["update_build_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    r = build_index(corpus, progress=False)
    out["no_change_rebuild_s"] = round(time.perf_counter() - t, 2)
    from assistant import ask
    from assistant import retrieve as assistant_retrieve
    from index.search import Searcher

    assistant_retrieve.reset()
    searcher = Searcher(corpus=corpus)
    for q in QUERIES:  # warm-up: model load and query-embedding cache
        searcher.search(q, mode="hybrid")
    searcher._query_vec.cache_clear()
    for mode in ("bm25", "dense", "hybrid"):
        out[f"query_{mode}"] = _lat(lambda q, m=mode: searcher.search(q, k=10, mode=m), QUERIES, repeat)
        searcher._query_vec.cache_clear()
    for q in QUERIES:
        ask(q)
    out["answer"] = _lat(ask, QUERIES, repeat)
    out["serving_rss_mb"] = round(_rss_mb(), 1)
    out["budget"] = {"cold_build_s": 120, "no_change_rebuild_s": 10, "hybrid_p50_ms": 30, "hybrid_p95_ms": 80,
                     "answer_p50_ms": 60, "answer_p95_ms": 150, "serving_rss_mb": 1536}
    if write:
        reports = Path(__file__).resolve().parent / "reports"
        reports.mkdir(exist_ok=True)
        path = reports / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
        out["written_to"] = str(path)
    return out


def print_table(r: dict) -> None:
    b = r["budget"]
    rows = [("cold build incl. model conversion (s)", r.get("cold_build_s"), b["cold_build_s"]),
            ("no-change rebuild (s)", r.get("no_change_rebuild_s"), b["no_change_rebuild_s"])]
    for mode in ("bm25", "dense", "hybrid"):
        q = r[f"query_{mode}"]
        rows.append((f"{mode} query p50 / p95 (ms)", f"{q['p50_ms']} / {q['p95_ms']}",
                     f"{b['hybrid_p50_ms']} / {b['hybrid_p95_ms']}" if mode == "hybrid" else ""))
    a = r["answer"]
    rows.append(("answer p50 / p95 (ms)", f"{a['p50_ms']} / {a['p95_ms']}", f"{b['answer_p50_ms']} / {b['answer_p95_ms']}"))
    rows.append(("serving RSS (MB)", r["serving_rss_mb"], b["serving_rss_mb"]))
    print(f"{'measure':<42} {'value':>18} {'budget':>12}")
    for name, value, budget in rows:
        print(f"{name:<42} {value!s:>18} {budget!s:>12}")
    if r.get("written_to"):
        print(f"written to {r['written_to']}")

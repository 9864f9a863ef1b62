"""Index builds on small synthetic corpora: incremental rebuild with a changed and a deleted document (no ghost
hits), a build killed mid-way, corruption detection, the build lock, and Chroma server mode."""

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
from index.build import build_index, current_dir, index_root, index_status, read_manifest
from index.errors import IndexBusy, IndexCorrupted, IndexUnavailable
from index.search import Searcher

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
LAW = "计量法"  # a short law from laws.db keeps these corpora small
RULE = ("---\ntitle: {topic}检验管理规定\ndoc_type: 地方规章\nstatus: 现行有效\npublish_date: 2024-01-01\n---\n"
        "第一条　为了规范{topic}检验检测活动，制定本规定。\n\n"
        "第二条　{topic}检验机构出具虚假报告的，处一万元以上三万元以下罚款。\n")


@pytest.fixture()
def small(tmp_path, model_path, monkeypatch):
    """A fresh data dir using the shared converted model, and a writer of small corpora."""
    monkeypatch.setenv("YIJU_EMBED_MODEL", model_path)
    monkeypatch.delenv("YIJU_CHROMA_URL", raising=False)
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    monkeypatch.setenv("YIJU_HOME", str(home))

    def corpus(topics: list[str], extra: dict[str, str] | None = None, laws: tuple[str, ...] = (LAW,)):
        for f in docs.iterdir():
            f.unlink()
        for topic in topics:
            (docs / f"{topic}.md").write_text(RULE.format(topic=topic) + (extra or {}).get(topic, ""), "utf-8")
        return build_corpus(dirs=[docs], laws=list(laws))

    return home, docs, corpus


def test_incremental_rebuild_reembeds_only_changes_and_forgets_deleted_documents(small):
    home, _, corpus = small
    c1 = corpus(["电梯", "锅炉"])
    first = build_index(c1, home=home, progress=False)
    n_law = sum(1 for p in c1.provisions.values() if p.doc_key == LAW and p.kind == "article")
    assert first.units == n_law + 4 and first.embedded == first.dense_units and first.added == first.units
    s1 = Searcher(home=home, corpus=c1)
    assert s1.search("锅炉检验机构出具虚假报告", k=1)[0].id == "锅炉检验管理规定/2"

    again = build_index(corpus(["电梯", "锅炉"]), home=home, progress=False)
    assert again.skipped and again.build_id == first.build_id and again.embedded == 0

    # one document changes (a new article), the other is deleted
    c3 = corpus(["电梯"], extra={"电梯": "\n第三条　电梯检验机构应当将检验报告存档六年。\n"})
    third = build_index(c3, home=home, progress=False)
    assert (third.added, third.removed, third.embedded) == (1, 2, 1)
    assert third.reused == third.dense_units - 1 and third.units == first.units - 1
    m = read_manifest(current_dir(index_root(home)))
    assert "锅炉检验管理规定/2" not in m["ids"] and "电梯检验管理规定/3" in m["ids"]
    s3 = Searcher(home=home, corpus=c3)
    assert s3.collection.count() == third.dense_units  # the dense store holds no vector of the deleted document
    for mode in ("bm25", "dense", "hybrid"):  # no ghost hits
        assert not [h for h in s3.search("锅炉检验机构出具虚假报告", k=20, mode=mode)
                    if h.document.key.startswith("锅炉")]
    assert s3.search("电梯检验报告存档几年", k=1)[0].id == "电梯检验管理规定/3"
    # the previous build survives (a running server may still read it); older ones are deleted
    assert sorted(d.name for d in (index_root(home) / "builds").iterdir()) == sorted({first.build_id, third.build_id})
    # the old Searcher keeps working until it is replaced, and knows it is stale
    assert not s1.is_current() and s3.is_current()
    assert s1.search("锅炉检验机构出具虚假报告", k=1)[0].id == "锅炉检验管理规定/2"


def test_status_changes_without_text_changes_update_metadata_without_reembedding(small):
    home, docs, corpus = small
    build_index(corpus(["电梯"]), home=home, progress=False)
    path = docs / "电梯.md"
    path.write_text(path.read_text("utf-8").replace("status: 现行有效", "status: 已废止"), "utf-8")
    c2 = build_corpus(dirs=[docs], laws=[LAW])
    r = build_index(c2, home=home, progress=False)
    assert not r.skipped and r.updated == 2 and r.embedded == 0
    s = Searcher(home=home, corpus=c2)
    assert not [h for h in s.search("电梯检验机构出具虚假报告", k=10) if h.document.key.startswith("电梯")]
    hit = s.search("电梯检验机构出具虚假报告", k=10, include_repealed=True)[0]
    assert hit.id == "电梯检验管理规定/2" and hit.status == "已废止"
    got = s.collection.get(ids=["电梯检验管理规定/2"], include=["metadatas"])
    assert got["metadatas"][0]["status"] == "已废止"


def test_killed_build_leaves_the_previous_index_serving(small, tmp_path):
    home, docs, corpus = small
    c1 = corpus(["电梯"])
    build_index(c1, home=home, progress=False)
    root = index_root(home)
    old = (root / "CURRENT").read_text()
    # a full build of a bigger corpus in another process, killed -9 while it embeds
    script = ("from pathlib import Path; from corpus.load import build_corpus; from index.build import build_index; "
              f"c = build_corpus(dirs=[Path({str(docs)!r})], laws=['计量法', '标准化法', '产品质量法', '食品安全法']); "
              f"build_index(c, home=Path({str(home)!r}), progress=True, full=True)")
    log = tmp_path / "build.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ), stderr=err, cwd=ROOT)
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None and "向量化" not in log.read_text("utf-8", "replace"):
            time.sleep(0.1)
        assert proc.poll() is None, log.read_text("utf-8", "replace")[-2000:]
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (root / "CURRENT").read_text() == old
    assert list((root / "builds").glob(".tmp-*")) and (root / "build.lock").exists()  # it really died mid-way
    status = index_status(home=home, corpus=c1)
    assert status["exists"] and status["building"] is None and status["partial_builds"]
    assert Searcher(home=home, corpus=c1).search("电梯检验机构出具虚假报告", k=1)[0].id == "电梯检验管理规定/2"
    # the next build ignores the stale lock, cleans the half-built directory and succeeds
    report = build_index(c1, home=home, progress=False, full=True)
    assert not report.skipped and report.build_id != old
    assert not list((root / "builds").glob(".tmp-*")) and not (root / "build.lock").exists()
    assert Searcher(home=home, corpus=c1).search("电梯检验机构出具虚假报告", k=1)[0].id == "电梯检验管理规定/2"


def test_a_live_build_lock_is_respected(small):
    home, _, corpus = small
    c1 = corpus(["电梯"])
    root = index_root(home)
    root.mkdir(parents=True)
    from index.build import _proc_start

    (root / "build.lock").write_text(json.dumps({"pid": os.getpid(), "start": _proc_start(os.getpid())}))
    with pytest.raises(IndexBusy, match="另一个索引构建"):
        build_index(c1, home=home, progress=False)
    (root / "build.lock").write_text(json.dumps({"pid": 2**22 + 12345, "start": "1"}))  # a dead owner
    assert build_index(c1, home=home, progress=False).units > 0


@pytest.mark.parametrize("damage", ["vectors", "manifest", "bm25", "chroma", "chroma-db", "pointer"])
def test_corrupted_index_is_detected_and_rebuilt(small, damage):
    home, _, corpus = small
    c1 = corpus(["电梯"])
    build_index(c1, home=home, progress=False)
    root = index_root(home)
    build = current_dir(root)
    if damage == "vectors":
        (build / "vectors.npy").write_bytes(b"garbage")
    elif damage == "manifest":
        (build / "manifest.json").write_text("{not json", "utf-8")
    elif damage == "bm25":
        (build / "bm25" / "vocab.index.json").unlink()
    elif damage == "chroma":
        import shutil

        shutil.rmtree(build / "chroma")
    elif damage == "chroma-db":
        (build / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    else:
        (root / "CURRENT").write_text("no-such-build")
    with pytest.raises(IndexCorrupted, match="yiju index build"):
        index_status(home=home, corpus=c1, deep=True)
    with pytest.raises(IndexCorrupted, match="yiju index build"):
        Searcher(home=home, corpus=c1)
    report = build_index(c1, home=home, progress=False)  # a broken serving build is replaced, not skipped
    assert not report.skipped
    # its vectors are reused only from an intact vectors.npy that matches its manifest
    assert report.embedded == (0 if damage == "chroma-db" else report.dense_units)
    assert index_status(home=home, corpus=c1)["up_to_date"]
    assert Searcher(home=home, corpus=c1).search("电梯检验机构出具虚假报告", k=1)[0].id == "电梯检验管理规定/2"


def test_missing_index_names_the_build_command(small):
    from index.errors import IndexMissing

    home, _, corpus = small
    assert index_status(home=home, corpus=corpus(["电梯"]))["exists"] is False
    with pytest.raises(IndexMissing, match="yiju index build"):
        Searcher(home=home, corpus=corpus(["电梯"]))


def test_chroma_server_mode(small, chroma_server, monkeypatch):
    import chromadb

    from index import dense

    home, _, corpus = small
    url, proc = chroma_server
    monkeypatch.setenv("YIJU_CHROMA_URL", url)
    c1 = corpus(["电梯", "锅炉"])
    r1 = build_index(c1, home=home, progress=False)
    build = current_dir(index_root(home))
    assert not (build / "chroma").exists()  # the vectors live on the server
    s = Searcher(home=home, corpus=c1)
    assert s.manifest["chroma_url"] == url
    assert s.search("锅炉检验机构出具虚假报告", k=1, mode="dense")[0].id.startswith("锅炉检验管理规定")
    assert s.search("锅炉检验机构出具虚假报告", k=1)[0].id == "锅炉检验管理规定/2"
    port = int(url.rsplit(":", 1)[1])
    server = chromadb.HttpClient(host="127.0.0.1", port=port)
    assert s.manifest["collection"] in dense.collection_names(server)
    assert build_index(corpus(["电梯", "锅炉"]), home=home, progress=False).skipped

    # a changed corpus gets a fresh collection; after the next switch the oldest one is deleted
    c2 = corpus(["电梯"])
    r2 = build_index(c2, home=home, progress=False)
    assert r2.removed == 2 and r2.embedded == 0 and r2.reused == r2.dense_units
    c3 = corpus(["电梯"], extra={"电梯": "\n第三条　本规定自发布之日起施行。\n"})
    r3 = build_index(c3, home=home, progress=False)
    names = dense.collection_names(server)
    assert dense.collection_name(r1.build_id, s.manifest["namespace"]) not in names
    assert {dense.collection_name(b, s.manifest["namespace"]) for b in (r2.build_id, r3.build_id)} <= set(names)
    s3 = Searcher(home=home, corpus=c3)
    assert not [h for h in s3.search("锅炉检验机构出具虚假报告", k=20) if h.document.key.startswith("锅炉")]

    # the server goes away: a clear IndexUnavailable, after retries, never a crash
    proc.terminate()
    proc.wait(10)
    with pytest.raises(IndexUnavailable, match="Chroma"):
        dense.client(retries=2)
    with pytest.raises(IndexUnavailable, match="Chroma"):
        s3.search("电梯检验机构出具虚假报告", k=3, mode="dense")
    assert s3.search("电梯检验机构出具虚假报告", k=3, mode="bm25")  # the lexical side still answers


def test_bench_serves_the_same_index_from_a_chroma_server(small):
    """`yiju bench`'s server row: the built index moved (not re-embedded) into a real `chroma run`, both stores
    timed side by side and giving the same results; the server is gone afterwards."""
    import urllib.request

    from evals.bench import MODES, _server_comparison

    home, _, corpus = small
    c = corpus(["电梯", "锅炉"])
    build_index(c, home=home, progress=False)
    row = _server_comparison(c, home, 3, 1)
    assert row["embedded_units"] == 0 and row["stores"]["server"] == row["url"]
    assert row["stores"]["embedded"] == "embedded" and row["same_results"] == 1.0
    for mode in MODES:
        assert row[f"query_{mode}"]["embedded"]["n"] == row[f"query_{mode}"]["server"]["n"] == 3
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{row['url']}/api/v2/heartbeat", timeout=2)

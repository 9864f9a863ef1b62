"""Index builds: provisions → BM25 + Chroma + vectors, incremental by content hash, swapped in atomically."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from corpus.load import Corpus, content_hash, load_corpus
from corpus.models import Provision
from index import dense
from index.errors import IndexBusy, IndexCorrupted, IndexMissing

UNIT_KINDS = ("article", "plan_item", "plan_part", "case")
MANIFEST = "manifest.json"
FORMAT = 2
MAX_EMBED_CHARS = 160  # e5-small sees at most 512 tokens; long articles are cut for the dense side only


@dataclass
class BuildReport:
    build_id: str = ""
    units: int = 0
    embedded: int = 0
    reused: int = 0
    removed: int = 0
    added: int = 0
    updated: int = 0
    skipped: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def index_root(home: Path | None = None) -> Path:
    from corpus.config import home as default_home

    return (home or default_home()) / "index"


def unit_text(p: Provision, corpus: Corpus) -> str:
    """Self-describing text of an indexed unit: document, chapter, citation, then the verbatim text."""
    doc = corpus.documents[p.doc_key]
    head = " ".join(x for x in (doc.key, p.chapter, p.section, p.citation) if x)
    return f"{head}\n{p.text}"


def units(corpus: Corpus) -> list[Provision]:
    return [p for p in corpus.provisions.values() if p.kind in UNIT_KINDS]


def metadata(p: Provision, corpus: Corpus) -> dict:
    doc = corpus.documents[p.doc_key]
    return {"provision_id": p.id, "citation": p.citation, "doc_key": doc.key, "doc_title": doc.title,
            "doc_type": doc.doc_type, "version_date": doc.version_date, "status": doc.status,
            "chapter": p.chapter, "kind": p.kind, "sector": ",".join(doc.sectors)}


def current_dir(root: Path) -> Path | None:
    pointer = root / "CURRENT"
    if not pointer.is_file():
        return None
    build = pointer.read_text("utf-8").strip()
    path = root / "builds" / build
    return path if build and path.is_dir() else None


def read_manifest(build_dir: Path) -> dict:
    try:
        m = json.loads((build_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorrupted(str(build_dir), f"manifest 无法读取（{type(exc).__name__}）") from None
    if m.get("format") != FORMAT or "ids" not in m:
        raise IndexCorrupted(str(build_dir), "manifest 格式不符")
    return m


def _acquire_lock(root: Path) -> Path:
    lock = root / "build.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            pid = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            pid = 0
        if pid and _alive(pid):
            raise IndexBusy(pid) from None
        lock.unlink(missing_ok=True)  # stale lock of a killed build
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _progress(total: int, desc: str, enabled: bool):  # noqa: ANN202 - tqdm
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="条", file=sys.stderr, disable=not enabled, dynamic_ncols=True)


def build_index(corpus: Corpus | None = None, home: Path | None = None, progress: bool = True, full: bool = False,
                embedder: object | None = None) -> BuildReport:
    """Build aside, reuse unchanged embeddings, then swap CURRENT atomically. Killing it leaves the old index."""
    t0 = time.perf_counter()
    corpus = corpus or load_corpus()
    root = index_root(home)
    (root / "builds").mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(root)
    report = BuildReport()
    try:
        _clean_partial(root)
        from index.embed import Embedder

        emb = embedder or Embedder()
        items = units(corpus)
        hashes = {p.id: content_hash(p, corpus.documents[p.doc_key]) for p in items}
        fingerprint = corpus.fingerprint()
        prev_dir = current_dir(root)
        prev: dict = {}
        prev_vecs: np.ndarray | None = None
        if prev_dir is not None and not full:
            try:
                prev = read_manifest(prev_dir)
                prev_vecs = np.load(prev_dir / "vectors.npy")
            except (IndexCorrupted, OSError, ValueError):
                prev, prev_vecs = {}, None
        if (prev and prev.get("fingerprint") == fingerprint and prev.get("model") == emb.name
                and prev.get("chroma_url") == dense.server_url() and _store_ok(prev_dir, prev)):
            report.skipped, report.build_id, report.units = True, prev["build_id"], len(prev["ids"])
            report.reused = report.units
            report.seconds = round(time.perf_counter() - t0, 2)
            return report
        build_id = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
        tmp = root / "builds" / f".tmp-{build_id}"
        tmp.mkdir(parents=True)
        report.build_id = build_id
        prev_index = {pid: n for n, pid in enumerate(prev.get("ids", []))}
        prev_hash = prev.get("hashes", {})
        vectors = np.zeros((len(items), 0), np.float32)
        todo = [n for n, p in enumerate(items)
                if prev_vecs is None or p.id not in prev_index or prev_hash.get(p.id) != hashes[p.id]]
        texts = {n: unit_text(items[n], corpus)[:MAX_EMBED_CHARS] for n in todo}
        todo.sort(key=lambda n: len(texts[n]))  # similar lengths batch together: far less padding
        report.reused = len(items) - len(todo)
        report.added = sum(1 for p in items if p.id not in prev_index)
        report.updated = len(todo) - report.added
        report.removed = sum(1 for pid in prev_index if pid not in hashes)
        t = time.perf_counter()
        dim = prev_vecs.shape[1] if prev_vecs is not None and prev_vecs.size else None
        new_vecs: dict[int, np.ndarray] = {}
        with _progress(len(todo), "向量化", progress) as bar:
            batch = 16
            for start in range(0, len(todo), batch):
                idx = todo[start:start + batch]
                vec = emb.embed_passages([texts[n] for n in idx])
                for n, v in zip(idx, vec, strict=True):
                    new_vecs[n] = v
                dim = vec.shape[1]
                bar.update(len(idx))
        report.embedded = len(todo)
        report.timings["embed"] = round(time.perf_counter() - t, 2)
        vectors = np.zeros((len(items), dim or 384), np.float32)
        for n, p in enumerate(items):
            vectors[n] = new_vecs[n] if n in new_vecs else prev_vecs[prev_index[p.id]]
        np.save(tmp / "vectors.npy", vectors)
        t = time.perf_counter()
        _write_bm25(tmp, items, corpus)
        report.timings["bm25"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        coll = _write_chroma(tmp, build_id, items, vectors, corpus, progress)
        report.timings["chroma"] = round(time.perf_counter() - t, 2)
        manifest = {"format": FORMAT, "build_id": build_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "fingerprint": fingerprint, "model": emb.name, "dim": int(vectors.shape[1]),
                    "chroma_url": dense.server_url(), "collection": coll, "ids": [p.id for p in items],
                    "hashes": hashes, "meta": [metadata(p, corpus) for p in items]}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
        final = root / "builds" / build_id
        os.replace(tmp, final)
        pointer = root / "CURRENT.tmp"
        pointer.write_text(build_id, "utf-8")
        with open(pointer, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(pointer, root / "CURRENT")  # the atomic switch
        report.units = len(items)
        _gc(root, keep={build_id, prev_dir.name if prev_dir else ""})
        report.seconds = round(time.perf_counter() - t0, 2)
        return report
    finally:
        lock.unlink(missing_ok=True)


def _store_ok(build_dir: Path | None, manifest: dict) -> bool:
    if build_dir is None:
        return False
    try:
        return validate(build_dir, manifest) is None
    except Exception:  # noqa: BLE001 - any failure means "rebuild"
        return False


def _write_bm25(out: Path, items: list[Provision], corpus: Corpus) -> None:
    import bm25s

    from index.tokenize import LegalTokenizer

    tok = LegalTokenizer(list(corpus.alias_index))
    retriever = bm25s.BM25()
    retriever.index([tok(unit_text(p, corpus)) or ["∅"] for p in items], show_progress=False)
    retriever.save(str(out / "bm25"))


def _write_chroma(out: Path, build_id: str, items: list[Provision], vectors: np.ndarray, corpus: Corpus,
                  progress: bool) -> str:
    name = dense.collection_name(build_id)
    client = dense.client(out / "chroma")
    coll = client.create_collection(name, metadata={"hnsw:space": "cosine"})
    batch = 1000
    with _progress(len(items), "写入 Chroma", progress) as bar:
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            coll.add(ids=[p.id for p in chunk], embeddings=vectors[start:start + batch].tolist(),
                     metadatas=[metadata(p, corpus) for p in chunk], documents=[p.text for p in chunk])
            bar.update(len(chunk))
    return name


def _clean_partial(root: Path) -> None:
    """Remove half-built directories left by a killed build."""
    for d in (root / "builds").glob(".tmp-*"):
        shutil.rmtree(d, ignore_errors=True)
    (root / "CURRENT.tmp").unlink(missing_ok=True)


def _gc(root: Path, keep: set[str]) -> None:
    """Delete builds (and server collections) other than the current and the previous one."""
    for d in (root / "builds").iterdir():
        if d.name not in keep and not d.name.startswith(".tmp-"):
            shutil.rmtree(d, ignore_errors=True)
    if dense.server_url():
        try:
            client = dense.client()
            wanted = {dense.collection_name(b) for b in keep if b}
            for c in client.list_collections():
                name = c if isinstance(c, str) else c.name
                if name.startswith(dense.COLLECTION_PREFIX) and name not in wanted:
                    client.delete_collection(name)
        except Exception:  # noqa: BLE001 - garbage collection must never fail a build
            pass


def validate(build_dir: Path, manifest: dict | None = None) -> None:
    """Raise IndexCorrupted when a build directory is unusable."""
    m = manifest or read_manifest(build_dir)
    try:
        vecs = np.load(build_dir / "vectors.npy", mmap_mode="r")
    except (OSError, ValueError) as exc:
        raise IndexCorrupted(str(build_dir), f"vectors.npy 无法读取（{type(exc).__name__}）") from None
    if vecs.shape[0] != len(m["ids"]):
        raise IndexCorrupted(str(build_dir), "向量数与条文数不一致")
    for name in ("params.index.json", "vocab.index.json"):
        if not (build_dir / "bm25" / name).is_file():
            raise IndexCorrupted(str(build_dir), f"BM25 文件缺失：{name}")
    if not m.get("chroma_url") and not (build_dir / "chroma").is_dir():
        raise IndexCorrupted(str(build_dir), "Chroma 目录缺失")


def index_status(home: Path | None = None, corpus: Corpus | None = None) -> dict:
    """Whether an index exists, is valid and matches the corpus."""
    root = index_root(home)
    build = current_dir(root)
    if build is None:
        return {"exists": False, "root": str(root)}
    m = read_manifest(build)
    validate(build, m)
    corpus = corpus or load_corpus()
    return {"exists": True, "build_id": m["build_id"], "created": m["created"], "units": len(m["ids"]),
            "model": m["model"], "chroma": m.get("chroma_url") or "embedded", "collection": m["collection"],
            "up_to_date": m["fingerprint"] == corpus.fingerprint(), "path": str(build)}


def require_current(home: Path | None = None) -> tuple[Path, dict]:
    root = index_root(home)
    build = current_dir(root)
    if build is None:
        raise IndexMissing(str(root))
    m = read_manifest(build)
    validate(build, m)
    return build, m

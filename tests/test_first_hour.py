"""Issue 15, a new user's first hour: sessions that persist across processes, a clear message for a corrupted
index, clear verify verdicts, Chinese usage errors, history wording, eval reports that leave the checkout clean,
no big leftovers in the temp dir, and packaging/README facts."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def _yiju(home: Path, *args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """`yiju ARGS` in a fresh process with its own YIJU_HOME (so nothing is shared in memory)."""
    env = dict(os.environ, YIJU_HOME=str(home), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, input=stdin if stdin is not None else "", timeout=timeout)


# -- (1) sessions persist in YIJU_HOME ------------------------------------------------------------------------

def test_cli_session_continues_in_a_second_process(tmp_path):
    first = _yiju(tmp_path, "ask", "--session", "s1", "电梯检验机构出具虚假报告怎么罚")
    assert first.returncode == 0, first.stderr[-800:]
    follow = _yiju(tmp_path, "ask", "--json", "--session", "s1", "那情节严重呢？")
    assert follow.returncode == 0, follow.stderr[-800:]
    body = json.loads(follow.stdout)
    assert body["citations"][0]["provision_id"] == "特种设备安全法/93"
    assert body["slots"].get("aggravated") and body["slots"].get("sector") == "特种设备"
    db = tmp_path / "sessions.sqlite"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_session_store_is_shared_and_isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    from assistant.session import SessionStore

    worker_a, worker_b = SessionStore(), SessionStore()  # two workers on one YIJU_HOME
    s = worker_a.get("w1")
    with s.lock:
        s.remember("电梯检验机构出具虚假报告怎么罚", "md", "penalty", {"sector": "特种设备"}, "scen",
                   ["特种设备安全法/93"])
    seen = worker_b.get("w1")
    assert (seen.intent, seen.scenario, seen.slots, seen.cited) == ("penalty", "scen", {"sector": "特种设备"},
                                                                    ["特种设备安全法/93"])
    assert seen.history == [("电梯检验机构出具虚假报告怎么罚", "md")]
    assert worker_b.get("w2").scenario == ""
    worker_b.drop("w1")
    assert worker_a.get("w1").scenario == ""


def test_expired_session_starts_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    monkeypatch.setenv("YIJU_SESSION_TTL", "1")
    from assistant.session import SessionStore

    store = SessionStore()
    s = store.get("old")
    s.remember("q", "a", "penalty", {}, "scen", [])
    import sqlite3

    with sqlite3.connect(tmp_path / "sessions.sqlite") as con:
        con.execute("UPDATE sessions SET touched = touched - 10")
    assert store.get("old").scenario == ""

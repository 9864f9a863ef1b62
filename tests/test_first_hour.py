"""Issue 15, a new user's first hour: sessions that persist across processes, a clear message for a corrupted
index, clear verify verdicts, Chinese usage errors, history wording, eval reports that leave the checkout clean,
no big leftovers in the temp dir, and packaging/README facts."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

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


# -- (2) a damaged index gives the promised message, never "Aborted!"; no answer → non-zero exit ------------

CORRUPTIONS = [("vectors.npy", 0), ("vectors.npy", 0.5), ("vectors.npy", 60), ("manifest.json", 0.5),
               ("bm25/data.csc.index.npy", 0), ("bm25/ids.json", 0.5), ("chroma/chroma.sqlite3", 0.5),
               ("chroma/*/*", 0)]


@pytest.fixture()
def damaged_home(built_home, model_path, tmp_path, monkeypatch):
    """A copy of the serving build of the shared index (its own YIJU_HOME), removed afterwards."""
    from assistant import retrieve
    from index.build import current_dir, index_root

    build = current_dir(index_root(built_home))
    home = tmp_path / "damaged"
    shutil.copytree(build, home / "index" / "builds" / build.name)
    shutil.copy(index_root(built_home) / "CURRENT", home / "index" / "CURRENT")
    monkeypatch.setenv("YIJU_HOME", str(home))
    monkeypatch.setenv("YIJU_EMBED_MODEL", model_path)  # the shared home's model: no conversion into the copy
    retrieve.reset()
    yield home / "index" / "builds" / build.name
    retrieve.reset()
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.parametrize(("name", "keep"), CORRUPTIONS)
def test_damaged_index_names_the_rebuild(damaged_home, name, keep):
    from click.testing import CliRunner

    from ui.cli import cli

    for path in damaged_home.glob(name):
        os.truncate(path, int(path.stat().st_size * keep) if isinstance(keep, float) else keep)
    for args in (["search", "电梯检验机构出具虚假报告怎么罚"], ["ask", "检验检测机构的授权签字人应当符合什么要求"],
                 ["index", "status"]):
        r = CliRunner().invoke(cli, args)
        out = r.output
        assert "Aborted" not in out and "Traceback" not in out, (args, out[-500:])
        assert "检索索引已损坏" in out and "yiju index build" in out, (args, out[-500:])
        assert r.exit_code != 0, (args, r.exit_code)


def test_end_of_file_while_reading_is_a_message_not_aborted():
    import click
    from click.testing import CliRunner

    from ui.cli import YijuGroup

    @click.group(cls=YijuGroup)
    def group() -> None:
        pass

    @group.command()
    def load() -> None:
        raise EOFError("No data left in file")

    r = CliRunner().invoke(group, ["load"])
    assert r.exit_code == 2 and "Aborted" not in r.output
    assert "yiju index build" in r.output


# -- (4) Chinese usage errors; a bare `yiju ask` at a terminal shows help instead of waiting -----------------

@pytest.mark.parametrize(("args", "expect"), [
    (["search"], "缺少参数"), (["ask", "--mode", "boss", "x"], "取值无效"), (["nosuch"], "没有命令"),
    (["search", "--bogus", "x"], "没有选项"), (["corpus", "show", "特设法", "93", "多余"], "多余的参数"),
])
def test_usage_errors_are_chinese(args, expect):
    from click.testing import CliRunner

    from ui.cli import cli

    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2
    assert expect in r.output and "错误：" in r.output and "用法" in r.output, r.output
    assert not any(w in r.output for w in ("Missing argument", "Error:", "Usage:", "No such", "Invalid value"))


def test_help_headings_are_chinese():
    from click.testing import CliRunner

    from ui.cli import cli

    out = CliRunner().invoke(cli, ["ask", "--help"]).output
    assert "用法" in out and "选项" in out and "显示本帮助并退出" in out and "Options" not in out


@pytest.mark.parametrize("command", ["ask", "verify"])
def test_bare_command_at_a_terminal_shows_help(tmp_path, command):
    import pty

    master, slave = pty.openpty()
    try:
        env = dict(os.environ, YIJU_HOME=str(tmp_path), PYTHONIOENCODING="utf-8")
        proc = subprocess.run([sys.executable, "-m", "ui.cli", command], env=env, cwd=ROOT, stdin=slave,
                              capture_output=True, text=True, timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    assert proc.returncode == 2
    assert "用法" in proc.stdout and "--json" in proc.stdout
    assert "管道" in proc.stderr


def test_piped_question_is_still_read(tmp_path):
    r = _yiju(tmp_path, "ask", "--json", stdin="电梯检验机构出具虚假报告怎么罚")
    assert r.returncode == 0, r.stderr[-500:]
    assert json.loads(r.stdout)["citations"][0]["provision_id"] == "特种设备安全法/93"


# -- (3) yiju verify: one clear verdict per reference -----------------------------------------------------------

def _verify(text: str) -> tuple[int, list[str]]:
    from click.testing import CliRunner

    from ui.cli import cli

    r = CliRunner().invoke(cli, ["verify", text])
    return r.exit_code, [line for line in r.output.splitlines() if line.strip()]


def test_readme_verify_example_names_the_missing_article():
    code, lines = _verify("依据《特种设备安全法》第二百条……")
    assert code == 1
    assert lines[0] == "✗ 《特种设备安全法》第二百条：《中华人民共和国特种设备安全法》中没有第二百条（该文件共101条）"
    assert not any("没有法》" in line for line in lines)


def test_repealed_reference_gets_one_verdict():
    code, lines = _verify("依据《大气污染防治法》第一百一十二条处罚")
    refs = [line for line in lines if "《大气污染防治法》第一百一十二条" in line]
    assert code == 1 and len(refs) == 1 and refs[0].startswith("✗") and "已废止" in refs[0]
    code, lines = _verify("行为发生在废止前，按原《大气污染防治法》第一百一十二条处罚")
    refs = [line for line in lines if "第一百一十二条" in line]
    assert code == 0 and len(refs) == 1 and refs[0].startswith("✓")


def test_wrong_quote_makes_its_reference_fail_once():
    code, lines = _verify("特种设备安全法第九十三条规定“对机构处五万元以上一百万元以下罚款”；道交法94条；道交法94条")
    assert code == 1
    assert [line[0] for line in lines[:-1]] == ["✗", "✓"]
    assert "原文不一致" in lines[0] and lines[-1].startswith("结论：1 处")


# -- (5) corpus history: plain words, each version's own dates ------------------------------------------------

def test_history_has_no_internal_words():
    from click.testing import CliRunner

    from ui.cli import cli

    out = CliRunner().invoke(cli, ["corpus", "history", "39号令", "26"]).output
    assert "notes" not in out and "第二十六条 沿革" in out
    assert "施行 2021-06-01，至 2025-03-18" in out and "施行 2025-03-18，现行" in out
    show = CliRunner().invoke(cli, ["corpus", "show", "39号令", "27"]).output
    assert "notes" not in show


def test_each_version_shows_its_own_dates(built_home):
    from corpus.load import load_corpus

    c = load_corpus()
    rule = c.documents["检验检测机构监督管理办法"]
    assert rule.version_date == "2025-03-18" and rule.own_effective_date == ""
    assert rule.dates_label == "2025-03-18版，本版施行日期未载（原文本 2021-06-01 起施行）"
    assert "notes" not in rule.status_note
    assert c.documents["特种设备安全监察条例"].dates_label == "2009-01-24版，施行日期 2009-05-01"
    assert c.documents["特种设备安全法"].dates_label == "2013-06-29版，施行日期 2014-01-01"
    from assistant import ask

    a = ask("检验检测机构出具虚假报告怎么罚")
    assert "施行日期 2021-06-01" not in a.markdown and "notes" not in a.markdown


# -- (6) yiju eval writes under YIJU_HOME; only --publish touches evals/reports/ ---------------------------------

METRICS = {"counts": {"legal_basis": 1}, "retrieval": {"hybrid": {"n": 1, "hit@1": 1.0, "hit@5": 1.0}},
           "assistant": {"citation_verifiability": 1.0}, "by_type": {}}


def _git_status(path: str) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", path], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def _fake_eval(monkeypatch, tmp_path, *args: str):
    from click.testing import CliRunner

    import evals.run
    from ui.cli import cli

    monkeypatch.setenv("YIJU_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(evals.run, "run", lambda fast=False, baseline=True, out_dir=None: (
        METRICS, evals.run.write_report(METRICS, out_dir)))
    return CliRunner().invoke(cli, ["eval", "--no-build", *args])


def test_eval_leaves_the_checkout_clean(monkeypatch, tmp_path):
    before = _git_status("evals/reports")
    r = _fake_eval(monkeypatch, tmp_path)
    assert r.exit_code == 0, r.output
    reports = list((tmp_path / "home" / "reports").glob("*/report.md"))
    assert len(reports) == 1 and str(reports[0]) in r.output
    assert _git_status("evals/reports") == before


def test_eval_publish_updates_the_tracked_copy(monkeypatch, tmp_path):
    import evals.run

    published = tmp_path / "published"
    published.mkdir()
    monkeypatch.setattr(evals.run, "REPORTS_DIR", published)
    r = _fake_eval(monkeypatch, tmp_path, "--publish")
    assert r.exit_code == 0, r.output
    assert (published / "latest" / "report.md").is_file() and (published / "latest" / "metrics.json").is_file()
    assert "](latest/retrieval_by_system.png)" in (published / "latest.md").read_text("utf-8")


# -- (7) tests leave no big files in the system temp dir ----------------------------------------------------------

@pytest.mark.skipif(not os.environ.get("YIJU_TMP_PROBE"), reason="run by test_tests_leave_the_temp_dir_empty")
def test_tmp_probe(tmp_path, tmp_path_factory):
    for where in (tmp_path, tmp_path_factory.mktemp("probe-home")):
        (where / "vectors.npy").write_bytes(b"\0" * 3_000_000)


def test_tests_leave_the_temp_dir_empty(tmp_path):
    """A pytest session (with this project's settings) that writes big files into tmp_path and a session temp
    dir leaves almost nothing behind in the system temp dir."""
    sys_tmp = tmp_path / "system-temp"
    sys_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(sys_tmp), YIJU_TMP_PROBE="1")
    env.pop("YIJU_KEEP_TMP", None)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_first_hour.py::test_tmp_probe"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-1000:]
    left = sum(f.stat().st_size for f in sys_tmp.rglob("*") if f.is_file() and not f.is_symlink())
    assert left < 1_000_000, f"{left} bytes left in the temp dir"


# -- (8) packaging and the README's set-up facts ---------------------------------------------------------------

def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_pyproject_license_is_an_spdx_string_and_python_is_311():
    p = _pyproject()
    assert p["project"]["license"] == "MIT"
    assert p["project"]["requires-python"] == ">=3.11,<3.12"
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in p["build-system"]["requires"])


def test_wheel_builds_without_warnings_and_ships_the_data(tmp_path):
    import zipfile

    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".yiju", ".git", "test-artifacts", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
        "reports"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
                           "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-1500:]
    log = proc.stdout + proc.stderr
    assert "absent from the `packages` configuration" not in log
    assert "`project.license` as a TOML table is deprecated" not in log
    (wheel,) = (tmp_path / "dist").glob("yiju-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "assistant/calibration.json" in names and "corpus/data/succession.yaml" in names
    assert any(n.startswith("corpus/documents/action_plan/") and n.endswith(".txt") for n in names)
    assert "evals/data/holdout/legal_basis.jsonl" in names
    assert {"ui/static/yiju.css", "ui/static/yiju.js"} <= names  # the page's styles and script


def _make(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(["make", "-s", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=timeout)


def test_makefile_refuses_another_python(tmp_path):
    fake = tmp_path / "python3.12"
    fake.write_text('#!/bin/sh\n[ "$1" = "--version" ] && { echo "Python 3.12.9"; exit 0; }\nexit 1\n')
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    r = _make("install", f"PY={fake}", f"VENV={venv}")
    assert r.returncode != 0
    assert "需要 Python 3.11" in r.stderr and "Python 3.12.9" in r.stderr and "PY=" in r.stderr
    assert not venv.exists()


def test_cpu_torch_wheel_step_is_documented_and_wired():
    url = "https://download.pytorch.org/whl/cpu"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"pip install torch==2.13.0 --index-url {url}" in readme
    assert "Python 3.11" in readme and f"TORCH_INDEX={url}" in readme
    r = _make("-n", "install", "VENV=/nonexistent-yiju-venv", f"TORCH_INDEX={url}")
    assert r.returncode == 0, r.stderr
    assert f"pip install -q torch==2.13.0 --index-url {url}" in r.stdout
    plain = _make("-n", "install", "VENV=/nonexistent-yiju-venv")
    assert "--index-url" not in plain.stdout


# -- missing mission documents: detection and the loud start-up warning ---------------------------------------

def test_missing_mission_documents_are_named_with_the_directories(tmp_path, monkeypatch):
    from corpus.load import build_corpus, load_corpus, missing_corpus_warning, missing_mission_documents

    assert missing_mission_documents(load_corpus()) == [] and missing_corpus_warning(load_corpus()) == ""
    monkeypatch.setenv("YIJU_CORPUS_DIRS", str(tmp_path / "nope"))
    from corpus import config

    bare = build_corpus(config.corpus_dirs())
    assert missing_mission_documents(bare) == ["检验检测机构监督管理办法", "典型案例"]
    warning = missing_corpus_warning(bare)
    assert f"{tmp_path / 'nope'}（不存在）" in warning and "检验检测机构监督管理办法" in warning


@pytest.mark.parametrize("args", [["search", "检验检测机构监督管理办法第二十七条", "--mode", "bm25", "-k", "1"],
                                  ["ask", "--json", "检验机构出具虚假报告罚多少？"], ["serve", "--no-build"]])
def test_cli_warns_at_start_when_the_corpus_dir_is_wrong(tmp_path, args):
    env_dir = tmp_path / "typo"
    proc = subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, YIJU_HOME=str(tmp_path / "home"),
                                                YIJU_CORPUS_DIRS=str(env_dir), PYTHONIOENCODING="utf-8"))
    assert "语料缺少任务文件" in proc.stderr and f"{env_dir}（不存在）" in proc.stderr, proc.stderr[-800:]

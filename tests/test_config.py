"""Settings: one module reads the environment, every YIJU_* variable is declared and documented, and
`yiju config` shows each effective value with its source, never a secret."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from corpus import config

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "corpus", "index", "ui", "evals")
SETTINGS_MODULE = Path("corpus/config.py")
# Files outside the settings module allowed to touch the environment, each with its reason (none today).
ALLOWED: dict[Path, str] = {}
# Variables read only by the test suite (tests/conftest.py, tests/test_first_hour.py), not by the product.
TEST_ONLY = {"YIJU_TEST_HOME", "YIJU_KEEP_TMP", "YIJU_TMP_PROBE"}
ENV_ACCESS = re.compile(r"\bos\.(environ|getenv|putenv|unsetenv)\b|\bfrom os import[^\n]*\b(environ|getenv)\b")


def product_files() -> list[Path]:
    return sorted(p.relative_to(ROOT) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_only_the_settings_module_reads_the_environment():
    offenders = [f"{p}:{n}" for p in product_files() if p != SETTINGS_MODULE and p not in ALLOWED
                 for n, line in enumerate((ROOT / p).read_text(encoding="utf-8").splitlines(), 1)
                 if ENV_ACCESS.search(line)]
    assert offenders == [], f"read settings through corpus.config, not os.environ: {offenders}"


def test_every_variable_the_product_names_is_declared_and_documented():
    named = {m for p in product_files() for m in re.findall(r"YIJU_[A-Z_]+", (ROOT / p).read_text("utf-8"))}
    declared = {v.name for v in config.VARIABLES}
    assert named - declared == set()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [n for n in sorted(declared | TEST_ONLY) if f"`{n}`" not in readme] == []


def test_defaults_when_unset(monkeypatch):
    for v in config.VARIABLES:
        monkeypatch.delenv(v.name, raising=False)
    s = config.settings()
    assert s.home == config.REPO_ROOT / ".yiju"
    assert (s.chroma_url, s.llm_base_url, s.embed_model, s.laws_db) == (None, None, None, None)
    assert (s.llm_api_key, s.llm_model, s.llm_timeout) == ("not-needed", "default", 20.0)
    assert (s.llm_stream, s.llm_stream_total) == (True, 120.0)
    assert (s.max_body_bytes, s.max_password_checks, s.session_ttl, s.calibration) == (1_000_000, 2, 28800.0, True)
    assert s.query_max_tokens == config.query_max_tokens() == config.QUERY_MAX_TOKENS == 64
    assert s.corpus_dirs[0] == config.PACKAGED_DOCUMENTS
    assert {source for _, _, source in config.effective()} == {config.FROM_DEFAULT}


def test_values_are_typed_and_bad_numbers_fall_back(monkeypatch, tmp_path):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    monkeypatch.setenv("YIJU_LLM_TIMEOUT", "3.5")
    monkeypatch.setenv("YIJU_LLM_STREAM", "0")
    monkeypatch.setenv("YIJU_LLM_STREAM_TOTAL", "soon")
    monkeypatch.setenv("YIJU_MAX_BODY_BYTES", "10")  # below the 1 KiB floor
    monkeypatch.setenv("YIJU_MAX_PASSWORD_CHECKS", "many")
    monkeypatch.setenv("YIJU_TRUSTED_PROXIES", " 10.0.0.0/8, ,127.0.0.1")
    monkeypatch.setenv("YIJU_CHROMA_URL", "   ")  # blank counts as unset
    monkeypatch.setenv("YIJU_NO_CALIBRATION", "1")
    monkeypatch.setenv("YIJU_CORPUS_DIRS", "")  # set but empty: only the packaged documents
    monkeypatch.setenv("YIJU_QUERY_MAX_TOKENS", "4096")  # above what the model reads: 512
    s = config.settings()
    assert s.query_max_tokens == 512
    monkeypatch.setenv("YIJU_QUERY_MAX_TOKENS", "2")  # below the floor of 8
    assert config.query_max_tokens() == 8
    assert (s.home, s.llm_timeout, s.max_body_bytes, s.max_password_checks) == (tmp_path, 3.5, 1024, 2)
    assert s.trusted_proxies == ["10.0.0.0/8", "127.0.0.1"]
    assert s.chroma_url is None and s.calibration is False
    assert (s.llm_stream, s.llm_stream_total) == (False, 120.0)
    assert s.corpus_dirs == [config.PACKAGED_DOCUMENTS]
    assert config.trusted_proxies() == s.trusted_proxies and config.calibration_enabled() is False


def test_environment_block_restores_what_was_there(monkeypatch):
    monkeypatch.setenv("YIJU_NO_CALIBRATION", "0")
    monkeypatch.delenv("YIJU_LLM_MODEL", raising=False)
    with config.environment(YIJU_NO_CALIBRATION="1", YIJU_LLM_MODEL="m"):
        assert not config.calibration_enabled() and config.settings().llm_model == "m"
    assert config.calibration_enabled() and config.settings().llm_model == "default"


def test_yiju_config_shows_values_and_sources_but_no_secret(monkeypatch, tmp_path):
    from ui.cli import cli

    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    monkeypatch.setenv("YIJU_LLM_API_KEY", "sk-do-not-print")
    monkeypatch.delenv("YIJU_LLM_MODEL", raising=False)
    out = CliRunner().invoke(cli, ["config"])
    assert out.exit_code == 0, out.output
    assert "sk-do-not-print" not in out.output
    line = next(x for x in out.output.splitlines() if x.startswith("YIJU_HOME"))
    assert "[环境变量]" in line and str(tmp_path) in line
    rows = {r["name"]: r for r in json.loads(CliRunner().invoke(cli, ["config", "--json"]).output)}
    assert rows.keys() == {v.name for v in config.VARIABLES}
    assert rows["YIJU_LLM_MODEL"]["source"] == "默认值" and rows["YIJU_LLM_MODEL"]["value"] == "default"
    assert rows["YIJU_LLM_API_KEY"]["source"] == "环境变量" and "sk-" not in rows["YIJU_LLM_API_KEY"]["value"]
    assert "设置" in CliRunner().invoke(cli, ["config", "--help"]).output
    monkeypatch.setenv("YIJU_CORPUS_DIRS", "")  # set but empty: no extra directories, not the default
    rows = {r["name"]: r for r in json.loads(CliRunner().invoke(cli, ["config", "--json"]).output)}
    assert rows["YIJU_CORPUS_DIRS"] == {**rows["YIJU_CORPUS_DIRS"], "value": "（空）", "source": "环境变量"}

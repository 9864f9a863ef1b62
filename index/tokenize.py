"""Chinese tokenisation for BM25: jieba with a legal user dictionary built from the corpus.

jieba builds its prefix dictionary (~500,000 entries) in every process: from its marshal cache in the temp dir,
~0.6 s, because marshal.load reads a file piece by piece. An index build therefore writes the finished dictionary
(jieba's own plus the legal words) beside its BM25 files (PREFIX_FILE, with PREFIX_META naming what made it and
the payload's hash), and a search process reads it whole and unmarshals it (~0.2 s); anything that does not
match falls back to jieba's own initialisation, which gives the same dictionary."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import marshal
import os
import re
import sys
import threading
from pathlib import Path

import jieba

from corpus.knowledge import tokenizer_words

jieba.setLogLevel(logging.WARNING)

# Terms jieba would split but officers search as one word (law names and aliases come from the corpus), and the
# words dropped from texts and queries: corpus/data/tokenizer.yaml.
LEGAL_TERMS = list(tokenizer_words().dictionary)
STOP = frozenset(tokenizer_words().stop)
PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
MAX_TOKENIZE = 2000  # characters of one text that are tokenised (queries are cut earlier)
PREFIX_FILE = "jieba-prefix.marshal"  # the prefix dictionary with the legal words: marshal of (FREQ, total)
PREFIX_META = "jieba-prefix.json"  # {"key": prefix_key(words), "sha256": of PREFIX_FILE}


class LegalTokenizer:
    """A private jieba instance, so the user dictionary never leaks into other users of jieba."""

    def __init__(self, extra_words: list[str] | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._ready = False
        self.words = sorted({*LEGAL_TERMS, *(w for w in (extra_words or []) if 2 <= len(w) <= 30)})
        self._cached = functools.lru_cache(maxsize=4096)(self._tokenize)
        self._prefix_dirs: list[Path] = []  # build dirs whose saved prefix dictionary may be used (use_prefix)
        self.prefix_source = ""  # once ready: "saved" (PREFIX_FILE) or "jieba" (its own initialisation)

    def _init(self) -> None:
        with self._lock:
            if self._ready:
                return
            if any(self._load_prefix(d) for d in self._prefix_dirs):
                self.prefix_source = "saved"
            else:
                self._jieba.initialize()  # jieba caches its prefix dictionary in the temp dir
                for w in self.words:
                    self._jieba.add_word(w, freq=20000)
                self.prefix_source = "jieba"
            self._ready = True

    def use_prefix(self, path: Path) -> None:
        """Initialise from the prefix dictionary saved in `path` (save_prefix), if it matches, when first needed."""
        if not self._ready and Path(path) not in self._prefix_dirs:
            self._prefix_dirs.append(Path(path))

    def save_prefix(self, path: Path) -> None:
        """Write the finished prefix dictionary into `path` (an index build's BM25 directory)."""
        if not self._ready:
            self._init()
        payload = marshal.dumps((self._jieba.FREQ, self._jieba.total))
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / PREFIX_FILE).write_bytes(payload)
        meta = {"key": prefix_key(self.words), "sha256": hashlib.sha256(payload).hexdigest()}
        (Path(path) / PREFIX_META).write_text(json.dumps(meta), "utf-8")

    def _load_prefix(self, path: Path) -> bool:
        """Set jieba's FREQ and total from `path`'s saved dictionary; False when missing or not matching."""
        try:
            meta = json.loads((path / PREFIX_META).read_text("utf-8"))
            if meta.get("key") != prefix_key(self.words):
                return False
            payload = (path / PREFIX_FILE).read_bytes()
            if hashlib.sha256(payload).hexdigest() != meta.get("sha256"):
                return False
            freq, total = marshal.loads(payload)
        except (OSError, ValueError, EOFError, TypeError):
            return False
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = freq, total, True
        return True

    def _tokenize(self, text: str) -> tuple[str, ...]:
        if not self._ready:
            self._init()
        out = []
        for w in self._jieba.lcut_for_search(text[:MAX_TOKENIZE]):
            w = w.strip().lower()
            if w and w not in STOP and not PUNCT.match(w):
                out.append(w)
        return tuple(out)

    def __call__(self, text: str) -> list[str]:
        """Tokens of a text: words and, for long words, their parts (jieba's search mode); no stop words."""
        return list(self._tokenize(text or ""))

    def cut(self, text: str) -> list[str]:
        """jieba's precise cut with the legal dictionary (whole words, no parts), stop words kept."""
        if not self._ready:
            self._init()
        return self._jieba.lcut(text)

    def clear_cache(self) -> None:
        self._cached.cache_clear()

    def query(self, text: str) -> list[str]:
        """Distinct tokens of a query, in order (cached: officers repeat questions)."""
        return list(dict.fromkeys(self._cached(text or "")))


@functools.cache
def _dictionary_stamp() -> str:
    """jieba's version and its default dictionary file (size, mtime): what its prefix dictionary is made from."""
    st = os.stat(Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)  # the dictionary a jieba.Tokenizer() reads
    return f"{jieba.__version__}:{st.st_size}:{st.st_mtime_ns}"


def prefix_key(words: list[str]) -> str:
    """What a saved prefix dictionary must have been made from: jieba and its dictionary, the legal words (with
    their frequency) and the marshal format of this Python."""
    h = hashlib.sha256("\n".join(["freq=20000", *words]).encode()).hexdigest()
    return f"{_dictionary_stamp()}|{h}|marshal{marshal.version}|py{sys.version_info[0]}.{sys.version_info[1]}"


_TOKENIZERS: dict[str, LegalTokenizer] = {}
_TOKENIZERS_LOCK = threading.Lock()


def tokenizer_for(aliases: list[str] | tuple[str, ...] | None = None) -> LegalTokenizer:
    """One shared tokenizer per set of document names (build and search then split text the same way)."""
    words = sorted(set(aliases or ()))
    key = hashlib.sha1("\n".join(words).encode()).hexdigest()
    with _TOKENIZERS_LOCK:
        tok = _TOKENIZERS.get(key)
        if tok is None:
            tok = _TOKENIZERS[key] = LegalTokenizer(words)
        return tok

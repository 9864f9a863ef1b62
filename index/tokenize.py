"""Chinese tokenisation for BM25: jieba with a legal user dictionary built from the corpus."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading

import jieba

from corpus.knowledge import tokenizer_words

jieba.setLogLevel(logging.WARNING)

# Terms jieba would split but officers search as one word (law names and aliases come from the corpus), and the
# words dropped from texts and queries: corpus/data/tokenizer.yaml.
LEGAL_TERMS = list(tokenizer_words().dictionary)
STOP = frozenset(tokenizer_words().stop)
PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
MAX_TOKENIZE = 2000  # characters of one text that are tokenised (queries are cut earlier)


class LegalTokenizer:
    """A private jieba instance, so the user dictionary never leaks into other users of jieba."""

    def __init__(self, extra_words: list[str] | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._ready = False
        self.words = sorted({*LEGAL_TERMS, *(w for w in (extra_words or []) if 2 <= len(w) <= 30)})
        self._cached = functools.lru_cache(maxsize=4096)(self._tokenize)

    def _init(self) -> None:
        with self._lock:
            if not self._ready:
                self._jieba.initialize()  # jieba caches its prefix dictionary in the temp dir
                for w in self.words:
                    self._jieba.add_word(w, freq=20000)
                self._ready = True

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

"""The BM25 tokenizer's saved prefix dictionary: a process that loads it from an index build tokenises exactly as
one that lets jieba build it (on real corpus texts and the benchmark questions), and a file that does not match
(other legal words, a damaged payload) is ignored in favour of jieba's own initialisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.tokenize import PREFIX_FILE, PREFIX_META, LegalTokenizer


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from corpus.load import load_corpus
    from evals.bench import LONG_QUERIES, QUERIES

    provisions = list(load_corpus().provisions.values())
    return [*QUERIES, *LONG_QUERIES, *(p.text for p in provisions[:: max(1, len(provisions) // 600)])]


@pytest.fixture(scope="module")
def reference() -> LegalTokenizer:
    """Initialised by jieba itself, with the legal words and two aliases a corpus would add."""
    tok = LegalTokenizer(["特设法", "检验检测机构监督管理办法"])
    tok("检验")
    assert tok.prefix_source == "jieba"
    return tok


def _fresh(words: list[str], saved: Path) -> LegalTokenizer:
    tok = LegalTokenizer(words)
    tok.use_prefix(saved)
    return tok


def test_a_saved_prefix_dictionary_tokenises_exactly_as_jieba_builds_it(tmp_path, reference, texts):
    reference.save_prefix(tmp_path)
    assert (tmp_path / PREFIX_FILE).stat().st_size > 1_000_000 and (tmp_path / PREFIX_META).is_file()
    tok = _fresh(["检验检测机构监督管理办法", "特设法"], tmp_path)
    assert [tok(t) for t in texts] == [reference(t) for t in texts]
    assert [tok.cut(t) for t in texts[:200]] == [reference.cut(t) for t in texts[:200]]
    assert tok.prefix_source == "saved"
    assert tok._jieba.FREQ == reference._jieba.FREQ and tok._jieba.total == reference._jieba.total
    assert "特设法" in tok._jieba.FREQ and tok("按特设法处罚") == reference("按特设法处罚")


def test_a_saved_dictionary_of_other_words_or_damaged_is_not_used(tmp_path, reference, texts):
    reference.save_prefix(tmp_path)
    other = _fresh(["特设法"], tmp_path)  # another corpus' words: jieba builds its own
    assert other(texts[0]) and other.prefix_source == "jieba"
    assert "检验检测机构监督管理办法" not in other._jieba.FREQ
    payload = bytearray((tmp_path / PREFIX_FILE).read_bytes())
    payload[len(payload) // 2] ^= 0xFF
    (tmp_path / PREFIX_FILE).write_bytes(bytes(payload))
    damaged = _fresh(["特设法", "检验检测机构监督管理办法"], tmp_path)
    assert [damaged(t) for t in texts[:30]] == [reference(t) for t in texts[:30]]
    assert damaged.prefix_source == "jieba"
    missing = LegalTokenizer(["特设法", "检验检测机构监督管理办法"])
    assert not missing._load_prefix(tmp_path / "nothing-here") and not missing._jieba.initialized

"""The assistant's view of the index: hits as (provision, score), with a clear message when no index exists."""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from corpus.load import Corpus
from corpus.models import Provision
from index.errors import IndexCorrupted, IndexUnavailable, SearchFailed

if TYPE_CHECKING:
    from index.search import Searcher

STOP = set("的 了 是 吗 呢 啊 吧 么 什么 怎么 怎样 如何 多少 哪 哪条 哪个 依据 规定 一个 这个 那个 请问 可以 应该 有 没有 和 与 或 及 对 被 把 在 为"
           " 原文 全文 条文 那条 这条 一条 看看 给我 一下 告诉 里面 想看".split())  # words of asking, not of what is asked
WHICH = re.compile(r"哪一?(级|类|种|项|层级|部分)")  # 'which level/kind' in a question




@dataclass
class Hit:
    provision: Provision
    score: float
    matched_id: str = ""  # the 款/项 whose words matched, when deeper than the article
    ranks: dict[str, int] = field(default_factory=dict)  # system (bm25, dense) → 1-based rank


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _searcher() -> Searcher:
    from index.search import Searcher

    return Searcher()


def searcher() -> Searcher:
    """The loaded searcher, loading it on first use; SearchFailed (naming what to do) when there is none."""
    with _lock:
        try:
            return _searcher()
        except Exception as exc:  # the index layer raises its own typed errors
            _searcher.cache_clear()
            msg = str(exc) if "yiju index build" in str(exc) or "Chroma" in str(exc) else f"{exc}。请先运行 `yiju index build`"
            raise SearchFailed(f"检索索引不可用：{msg}") from exc


def reset() -> None:
    """Forget the loaded searcher (after a rebuild, or in tests with another YIJU_HOME)."""
    _searcher.cache_clear()


def search(query: str, k: int = 8, **filters) -> list[Hit]:
    """Hits from the index; a store that fails mid-query (Chroma server down) becomes SearchFailed, and the
    searcher is dropped so the next question reconnects."""
    s = searcher()
    try:
        hits = s.search(query, k=k, **filters)
    except Exception as exc:  # chromadb/httpx errors when the server goes away
        reset()
        if isinstance(exc, IndexCorrupted | IndexUnavailable):  # its message says what to do
            raise SearchFailed(f"检索索引不可用：{exc}") from exc
        raise SearchFailed(f"检索服务暂时不可用（{type(exc).__name__}），请稍后重试") from exc
    return [Hit(h.provision, float(h.score), getattr(h, "matched_id", "") or "", dict(getattr(h, "ranks", {}) or {}))
            for h in hits]


@functools.lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """The content words of a text, cut with the index's legal dictionary (whole words)."""
    from index.tokenize import tokenizer_for

    text = WHICH.sub(" ", text)  # '哪一级' asks which level; its '一级' is not what is asked about
    words = {w.strip() for w in tokenizer_for().cut(text) if len(w.strip()) >= 2}
    return frozenset(w for w in words if w not in STOP and not re.fullmatch(r"[\W\d_]+", w))


def overlap(question: str, text: str, ignore: frozenset[str] = frozenset()) -> float:
    """Share of the question's content words found in the text (0…1); `ignore`: words that name a document the
    question refers to ('监督管理办法里…'), which say where to look, not what is asked."""
    q = terms(question) - ignore
    if not q:
        return 0.0
    return sum(1 for w in q if w in text) / len(q)


def best_sentence(question: str, text: str) -> str:
    """The sentence of a provision that shares most words with the question; on a tie the earlier one (an
    article states its main rule first: '…的，处…罚款' before '情节严重的，…')."""
    sentences = [s for s in re.split(r"(?<=[。；！？])", text.replace("\n", "")) if s.strip()]
    if not sentences:
        return text
    return max(enumerate(sentences), key=lambda x: (overlap(question, x[1]), -x[0]))[1]


# what a question asks for → what the answering sentence looks like (a duration, a date, who, how many, measures)
ASK_CUES: tuple[tuple[re.Pattern, re.Pattern], ...] = tuple((re.compile(a), re.compile(b)) for a, b in (
    (r"多久|多长时间|多长|为期|频次|频率|(隔|每)(多久|多长时间|几)|几个月|几年|几日|几天|多少天|多少年|多少日|期限|持续|几(个)?小时",
     r"为期|[\d一二两三四五六七八九十百]+(个月|年|日|天|个工作日|工作日|小时)|年内|日内|工作日|每(月|年|日|天|周|季度|半年)"),
    (r"什么时候|何时|几号|截止|之前|日前|时间节点|哪天|时限|多会儿|啥时候", r"\d+月\d+日|\d+日前|月底|年底|日前|前[，。；将报]"),
    (r"谁|哪个部门|哪些部门|哪个单位|报给|报送|牵头|负责|哪些机构|哪些单位|什么机构", r"局|部门|司|机构|单位|厅"),
    (r"多少|几个|几家|几次|几项|几名|几人|比例|百分之|覆盖",
     r"\d|[一二三四五六七八九十两百千万]+(个|家|次|项|类|名|人|倍|元)|%|百分之|全覆盖|比例"),
    (r"哪些措施|怎么(做|搞|整治|查)|如何(开展|整治|落实)|措施|重点|要求|任务|内容", r"开展|推进|加强|建立|严厉|组织|重点|严格"),
    # what happens to those who do it: the sentence that says the consequence
    (r"会怎样|会怎么样|怎么处理|如何处理|怎么处置|后果|下场|怎么办|会被|处理原则|怎么表态|什么态度|怎么说",
     r"查处|通报|禁用|惩处|吊销|撤销|移送|追究|处罚|严禁|从严|从重|一律|不得|禁止"),
    (r"什么罪|哪些罪|罪名|犯罪|刑事", r"罪|刑事|司法机关"),
))


def sentences(text: str) -> list[str]:
    """A text's sentences (。；！？), line breaks removed."""
    return [s for s in re.split(r"(?<=[。；！？])", text.replace("\n", "")) if s.strip()] or [text]


def sentence_score(question: str, sentence: str) -> float:
    """How well one sentence answers: shared words, plus the shape of what is asked (a duration, who…)."""
    return overlap(question, sentence) + 0.5 * sum(1 for a, b in ASK_CUES if a.search(question) and b.search(sentence))


def answer_sentences(question: str, text: str, heading: str = "", n: int = 1) -> list[str]:
    """The sentences of a text that answer a question: shared words, plus the shape of what is asked (a
    duration, a deadline, who, how many, which measures); a bare heading sentence answers nothing."""
    sentences_ = sentences(text)

    def score(i: int, s: str) -> tuple[float, int]:
        bare = heading and re.sub(r"^[（(][^）)]+[）)]|^[一二三四五六七八九十]+、|[。.]", "", s).strip() == heading.strip("。")
        return sentence_score(question, s) - (0.6 if bare and len(sentences_) > 1 else 0.0), -i

    ranked = sorted(enumerate(sentences_), key=lambda x: score(*x), reverse=True)
    chosen = sorted(ranked[:n], key=lambda x: x[0])
    return [s for _, s in chosen]


ASK_SPLIT = re.compile(r"[？?；;]|(?<=[吗呢])[，,]")
ANSWER_BUDGET = 220  # characters a conclusion quotes at most (its best sentence always, whatever its length)


def sub_questions(question: str) -> list[str]:
    """The parts of a question that asks several things ('多久受理？评审要多久？'); [] for a single ask."""
    parts = [p for p in ASK_SPLIT.split(question) if len(p.strip()) >= 4]
    return parts if len(parts) > 1 else []


def answering_sentences(question: str, text: str, budget: int = ANSWER_BUDGET) -> list[str]:
    """The sentences of a provision that answer a question: the two best for the whole question and the best
    for each part of one that asks several things, within a length budget, in the text's order."""
    sentences_ = sentences(text)

    def ranked(q: str) -> list[int]:
        return sorted(range(len(sentences_)), key=lambda i: (sentence_score(q, sentences_[i]), -i), reverse=True)

    whole = ranked(question)
    picks = [whole[0]]
    for part in sub_questions(question):
        best = ranked(part)[0]
        if sentence_score(part, sentences_[best]) > 0:
            picks.append(best)
    chosen, size = [], 0
    for i in dict.fromkeys([*picks, *whole[1:2]]):
        if not chosen or size + len(sentences_[i]) <= budget:
            chosen.append(i)
            size += len(sentences_[i])
    return [sentences_[i] for i in sorted(chosen)]


def quote(text: str, sentences: list[str]) -> str:
    """Sentences of one text as verbatim quotes: one quote when they are adjacent, else one quote each."""
    joined = "".join(sentences)
    if joined in text.replace("\n", ""):
        return f"“{joined}”"
    return "……".join(f"“{s}”" for s in sentences)


def articles_only(hits: list[Hit], corpus: Corpus) -> list[Hit]:
    """Collapse 款/项 hits into their article, keeping the best score and each system's best rank."""
    out: dict[str, Hit] = {}
    for h in hits:
        aid = h.provision.article_id
        art = corpus.provisions.get(aid, h.provision)
        ranks = {k: min(v, out[aid].ranks.get(k, v)) for k, v in h.ranks.items()} if aid in out else dict(h.ranks)
        if aid not in out or out[aid].score < h.score:
            out[aid] = Hit(art, h.score)
        out[aid].ranks.update(ranks)
    return sorted(out.values(), key=lambda h: -h.score)

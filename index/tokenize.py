"""Chinese tokenisation for BM25: jieba with a legal user dictionary built from the corpus."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading

import jieba

jieba.setLogLevel(logging.WARNING)

# Terms jieba would split but officers search as one word. Law names and their aliases come from the corpus.
LEGAL_TERMS = [
    "检验检测机构", "检验检测报告", "检验检测人员", "检验检测活动", "检验检测数据", "检验检测结果", "特种设备",
    "检验机构", "检测机构", "检验人员", "检测人员", "授权签字人", "资质认定", "资质认定证书", "资质认定标志",
    "不实检验检测报告", "虚假检验检测报告", "虚假报告", "不实报告", "虚假检验结果", "原始数据", "原始记录",
    "机动车安全技术检验机构", "机动车安全技术检验", "安全技术检验", "安全技术规范", "排放检验", "机动车排放检验",
    "检验合格标志", "监测数据", "监测机构", "生态环境监测机构", "弄虚作假", "直接负责的主管人员",
    "直接责任人员", "情节严重", "责令改正", "责令限期改正", "没收违法所得", "违法所得", "吊销", "撤销", "通报批评",
    "所收检验费用", "公安机关交通管理部门", "市场监督管理部门", "生态环境主管部门", "特种设备安全监督管理部门",
    "行动方案", "专项整治", "回头看", "双随机、一公开", "替检代检", "篡改数据", "伪造数据", "能力验证", "分包",
    "检验资格", "鉴定结论", "严重失实", "从轻", "减轻", "不予处罚", "行政处罚", "刑事责任", "追究刑事责任",
    "提供虚假证明文件罪", "出具证明文件重大失实罪", "电梯", "锅炉", "气瓶", "压力容器", "压力管道", "起重机械",
    "场（厂）内专用机动车辆", "大型游乐设施", "客运索道", "车检站", "罚款", "法律责任", "罚则", "保存期限",
    "检验检测专用章", "能力范围", "自我声明", "告知承诺", "信用监管", "失信惩戒", "监督抽查",
]
STOP = frozenset(
    "的 了 是 在 和 与 对 于 由 从 被 把 及 或 并 等 请问 我 我们 你 他 它 这 那 个 之 其 什么 怎么 怎样 如何 咋 啥 "
    "应该 可以 能 能不能 是否 有没有 如果 因为 所以 但是 然后 因此 吗 呢 啊 吧 么 哪 哪些 哪个 哪条 多少 一下 "
    "规定 本法 本条例 本办法 下列 之一 有关 相关 应当 依法 依据 根据 按照 为 有 没有 要 会 还 都 也 就 该".split())
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

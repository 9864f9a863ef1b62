"""Chinese tokenisation for BM25: jieba with a legal user dictionary built from the corpus."""

from __future__ import annotations

import logging
import re
import threading

import jieba

jieba.setLogLevel(logging.WARNING)

LEGAL_TERMS = [
    "检验检测机构", "检验检测报告", "检验检测人员", "特种设备", "检验机构", "检测机构", "授权签字人", "资质认定",
    "资质认定证书", "资质认定标志", "不实检验检测报告", "虚假检验检测报告", "虚假报告", "不实报告", "原始数据",
    "原始记录", "机动车安全技术检验机构", "安全技术检验", "安全技术规范", "排放检验", "机动车排放检验",
    "监测数据", "弄虚作假", "直接负责的主管人员", "直接责任人员", "情节严重", "责令改正", "责令限期改正",
    "没收违法所得", "吊销", "撤销", "通报批评", "所收检验费用", "公安机关交通管理部门", "市场监督管理部门",
    "生态环境主管部门", "特种设备安全监督管理部门", "行动方案", "专项整治", "回头看", "双随机、一公开",
    "替检代检", "篡改数据", "能力验证", "分包", "检验资格", "鉴定结论", "严重失实", "从轻", "减轻", "不予处罚",
    "电梯", "锅炉", "气瓶", "压力容器", "压力管道", "起重机械", "车检站", "罚款", "法律责任",
]
STOP = set("的 了 是 在 和 与 对 于 由 从 被 把 及 或 并 等 请问 我 你 他 它 这 那 个 之 其 什么 怎么 怎样 如何 "
           "应该 可以 是否 有没有 如果 因为 所以 但是 然后 因此 吗 呢 啊 吧 么 哪 哪些 哪个 多少 一下 规定 本法 "
           "本条例 本办法 下列 之一 有关 相关 应当 依法".split())
PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


class LegalTokenizer:
    """A private jieba instance, so the user dictionary never leaks into other users of jieba."""

    def __init__(self, extra_words: list[str] | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._ready = False
        self._words = sorted({*LEGAL_TERMS, *(w for w in (extra_words or []) if 2 <= len(w) <= 30)})

    def _init(self) -> None:
        with self._lock:
            if not self._ready:
                self._jieba.initialize()
                for w in self._words:
                    self._jieba.add_word(w, freq=20000)
                self._ready = True

    def __call__(self, text: str) -> list[str]:
        if not self._ready:
            self._init()
        out = []
        for w in self._jieba.lcut_for_search(text or ""):
            w = w.strip().lower()
            if w and w not in STOP and not PUNCT.match(w):
                out.append(w)
        return out

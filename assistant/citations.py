"""The citation checker: every 《X》第N条(第M款)(第（K）项) must resolve in the corpus, quotes must be verbatim,
and a repealed provision must not be presented as in force."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from corpus.history import before_repeal_words
from corpus.load import Corpus
from corpus.models import REPEALED
from corpus.numerals import int_to_cn
from corpus.refs import Ref, find_references, unknown_law_refs

QUOTE = re.compile(r"「([^」]{6,})」|“([^”]{12,})”")
BLOCKQUOTE = re.compile(r"^>\s?(.*)$", re.MULTILINE)
HEADER = re.compile(r"^\[\d+\] 《[^\n]*$", re.MULTILINE)  # '[n] 《…》第N条（…）' above a blockquote
# words near a citation of a repealed text showing that it is cited as the law at the time, not as in force
REPEAL_WORDS = ("废止", "已失效", "行为时", "原《", "旧法", "修订前", "此前", "当时", "已被")


@functools.cache
def repeal_context() -> re.Pattern:
    """REPEAL_WORDS and 'before the repeal' dates ('2026年8月15日前') from corpus/data/succession.yaml."""
    return re.compile("|".join(map(re.escape, (*REPEAL_WORDS, *before_repeal_words()))))


@dataclass
class Finding:
    raw: str
    reason: str


@dataclass
class Verdict:
    """One reference (or a quotation no reference stands before) and its single verdict."""

    raw: str
    ok: bool
    reason: str  # why it fails; when it passes, a short note (the provision's citation and status)
    provision_id: str | None = None

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.raw}：{self.reason}"


@dataclass
class CheckResult:
    """Resolved references, problems found, one verdict per reference, and the text with bad references
    removed and flagged."""

    resolved: list[Ref] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    text: str = ""
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"ok": self.ok, "resolved": [r.provision_id for r in self.resolved],
                "problems": [{"raw": f.raw, "reason": f.reason} for f in self.problems], "text": self.text,
                "verdicts": [{"raw": v.raw, "ok": v.ok, "reason": v.reason, "provision_id": v.provision_id}
                             for v in self.verdicts]}

    def verdict_lines(self) -> list[str]:
        """One line per distinct reference, in the order they appear (a reference repeated with the same
        verdict is shown once)."""
        return list(dict.fromkeys(v.line() for v in self.verdicts))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def resolve(ref: Ref, corpus: Corpus) -> str | None:
    """None when the reference resolves; else the reason it does not."""
    if ref.doc_key is None:
        return f"语料中没有《{ref.name}》"
    art = corpus.provisions.get(ref.article_id or "")
    if art is None:
        doc = corpus.documents[ref.doc_key]
        n = sum(1 for p in corpus.provisions.values() if p.doc_key == doc.key and p.kind == "article")
        label = f"第{int_to_cn(ref.article)}条" + (f"之{int_to_cn(ref.suffix)}" if ref.suffix else "")
        return f"《{doc.title}》中没有{label}" + (f"（该文件共{n}条）" if n else "")
    if ref.para is not None and ref.para > max(art.n_paras, 1):
        return f"{art.citation}只有{art.n_paras}款"
    if ref.item is not None and ref.provision_id not in corpus.provisions:
        if ref.para is None and any(p.kind == "item" and p.item == ref.item for p in corpus.children(art.id)):
            return None
        return f"{art.citation}没有第（{ref.item}）项"
    return None


def check(text: str, corpus: Corpus, allow_repealed: bool = False) -> CheckResult:
    """Check an answer (template or LLM). Unknown references are removed from `text` and flagged."""
    result = CheckResult(text=text)
    refs = find_references(text, corpus)
    bad: list[tuple[Ref | None, str, str]] = []
    verdicts: dict[int, Verdict] = {}  # per reference (by position)
    for ref in refs:
        reason = resolve(ref, corpus)
        if reason:
            bad.append((ref, ref.raw, reason))
            verdicts[ref.start] = Verdict(ref.raw, False, reason)
            continue
        result.resolved.append(ref)
        verdicts[ref.start] = _verdict(ref, text, corpus, allow_repealed)
        if not verdicts[ref.start].ok:
            result.problems.append(Finding(ref.raw, verdicts[ref.start].reason))
    for name, raw in unknown_law_refs(text, corpus):
        bad.append((None, raw, f"语料中没有《{name}》"))
        verdicts[text.find(raw)] = Verdict(raw, False, f"语料中没有《{name}》")
    for _, raw, reason in bad:
        result.problems.append(Finding(raw, reason))
        result.text = result.text.replace(raw, f"〔已删除无法核实的引用：{reason}〕")
    for ref, finding in _check_quotes(text, corpus, refs, result):
        v = verdicts[ref.start]
        v.reason = finding.reason if v.ok else f"{v.reason}；{finding.reason}"
        v.ok = False
    result.verdicts = [verdicts[k] for k in sorted(verdicts)]
    return result


def _verdict(ref: Ref, text: str, corpus: Corpus, allow_repealed: bool) -> Verdict:
    """The verdict on a reference that resolves: in force, repealed but cited as the old law, or repealed and
    cited as if in force."""
    doc = corpus.documents[ref.doc_key]
    p = corpus.provisions.get(ref.provision_id or "") or corpus.provisions[ref.article_id or ""]
    if doc.status != REPEALED:
        return Verdict(ref.raw, True, f"核实无误，即{p.citation}（{doc.status}）", ref.provision_id)
    window = text[max(0, ref.start - 40): ref.end + 60]
    if allow_repealed or repeal_context().search(window):
        return Verdict(ref.raw, True, f"核实无误，即{p.citation}（已废止；上下文表明按行为时/旧法引用）",
                       ref.provision_id)
    return Verdict(ref.raw, False, f"《{doc.title}》已废止，不能作为现行依据引用", ref.provision_id)


def _check_quotes(text: str, corpus: Corpus, refs: list[Ref], result: CheckResult) -> list[tuple[Ref, Finding]]:
    """Quoted clause text must appear verbatim in the provision cited just before it.

    A quotation counts as clause text when a resolved reference stands right before it (“…第N条：「…」”,
    “…第N条规定“…””) or when it is a blockquote under a citation line (“[n] 《…》第N条” then “> …”)."""
    quotes = [(m.start(), m.group(1) or m.group(2), 40) for m in QUOTE.finditer(text)]
    for m in BLOCKQUOTE.finditer(text):
        if len(_norm(m.group(1))) < 6:
            continue
        headers = list(HEADER.finditer(text, 0, m.start()))
        head = headers[-1] if headers else None
        if head is not None and "\n\n" not in text[head.end():m.start()]:
            quotes.append((m.start(), m.group(1), m.start() - head.start()))
    found = []
    for pos, quote, reach in quotes:
        before = [r for r in refs if r.end <= pos and r.doc_key and pos - r.end <= reach]
        if not before:
            continue
        q = _norm(quote.strip()).rstrip("…")
        if not re.search(r"[\u4e00-\u9fff]", q):
            continue
        art = corpus.provisions.get(before[-1].article_id or "")
        if art is None:
            continue
        if q not in _norm(art.text):
            finding = Finding(quote[:40], f"引文与{art.citation}原文不一致")
            result.problems.append(finding)
            found.append((before[-1], finding))
    return found

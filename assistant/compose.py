"""Markdown building blocks: numbered citations, penalty tables, validity lines."""

from __future__ import annotations

import re

from assistant.models import Citation
from corpus.load import Corpus
from corpus.models import REPEALED, PenaltyRecord, Provision
from corpus.penalties import ORG, target_of, wording

TARGET_LABEL = {"机构": "机构（单位）", "直接责任人员": "直接负责的主管人员和其他直接责任人员", "个人": "个人",
                "当事人": "当事人", "单位": "单位"}
TARGET_ORDER = {"机构": 0, "单位": 0, "直接责任人员": 1, "个人": 2, "当事人": 3}
TIER_ORDER = {"基本": 0, "逾期未改正": 1, "拒不改正": 1, "情节较轻": 1, "情节严重": 2, "造成严重后果": 2, "情节特别严重": 3,
              "加重（所列情形）": 3, "构成犯罪": 4}
SERIOUS = ("情节严重", "造成严重后果", "情节特别严重")  # graver tiers, each named as the text names it


PERSON_PHRASE = re.compile(r"对(?:其)?([^，；。对]{2,14}?)(?:处|并处|给予|依法给予|没收)")


def target_label(r: PenaltyRecord) -> str:
    """Who a record punishes, as the text names the person ('机动车所有人（个人）', '检验检测人员（个人）'); a unit
    or the responsible persons by their fixed labels."""
    if r.target == "机构" and r.source_text and not ORG.search(r.source_text):
        return "违法行为人"  # the text names no unit ('有下列行为之一的，由…处二百元以上二千元以下罚款'): a person or a unit
    if r.target != "个人":
        return TARGET_LABEL.get(r.target, r.target)
    named = next((m.group(1) for m in PERSON_PHRASE.finditer(r.source_text or "") if target_of(m.group(1)) == "个人"),
                 "")
    return f"{named}（个人）" if named else "个人"


class Citations:
    """Collects cited provisions, one entry per article, numbered in order of first use."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.items: list[Citation] = []
        self._n: dict[str, int] = {}

    def article_of(self, pid: str) -> Provision | None:
        p = self.corpus.provisions.get(pid)
        if p is None:
            return None
        return self.corpus.provisions.get(p.article_id, p)

    def mark(self, pid: str, role: str = "") -> str:
        """'[n]' for the article containing pid (registering it)."""
        art = self.article_of(pid)
        if art is None:
            return ""
        if art.id not in self._n:
            doc = self.corpus.documents[art.doc_key]
            self._n[art.id] = len(self.items) + 1
            self.items.append(Citation(
                n=self._n[art.id], provision_id=art.id, citation=art.citation, doc_key=doc.key, doc_title=doc.title,
                doc_type=doc.doc_type, version_date=doc.version_date, status=doc.status, text=art.text, role=role))
        return f"[{self._n[art.id]}]"

    def ref(self, pid: str, role: str = "") -> str:
        """'《…》第N条第M款[n]' — the most specific citation, with the marker of its article."""
        p = self.corpus.provisions.get(pid)
        if p is None:
            return ""
        return f"{p.citation}{self.mark(pid, role)}"

    def ids(self) -> list[str]:
        return [c.provision_id for c in self.items]


def join_cn(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    return "、".join(parts)


def said(r: PenaltyRecord) -> list[str]:
    """The record's sanctions in its text's own words (corpus.penalties.wording)."""
    return list(dict.fromkeys(wording(s, r.source_text) for s in r.sanctions))


def sanction_text(r: PenaltyRecord) -> str:
    """'责令改正，处5万元以上20万元以下罚款、没收违法所得'."""
    shown = said(r)
    before = [s for s in shown if s.startswith("责令")]
    after = [s for s in shown if not s.startswith("责令")]
    fine = f"处{r.fine_label()}" if r.fine_label() else ""
    head = "、".join(before)
    tail = join_cn([fine, *after])
    return "，".join(x for x in (head, tail) if x)


def sort_records(records: list[PenaltyRecord]) -> list[PenaltyRecord]:
    return sorted(records, key=lambda r: (r.provision_id, TIER_ORDER.get(r.tier, 5), TARGET_ORDER.get(r.target, 9)))


def penalty_table(records: list[PenaltyRecord], cites: Citations) -> list[str]:
    lines = ["| 处罚对象 | 情形 | 罚款 | 其他处罚 | 依据 |", "|---|---|---|---|---|"]
    for r in sort_records(records):
        situation = r.tier if not r.conduct or r.conduct in _lead_conducts(records) else f"{r.conduct}；{r.tier}"
        lines.append(f"| {target_label(r)} | {situation} | {r.fine_label() or '—'} | "
                     f"{join_cn(said(r)) or '—'} | {cites.ref(r.provision_id, '处罚依据')} |")
    return lines


def _lead_conducts(records: list[PenaltyRecord]) -> set[str]:
    """The shared conduct text of a paragraph (not a sub-conduct like 出具不实检验检测报告)."""
    counts: dict[str, int] = {}
    for r in records:
        counts[r.conduct] = counts.get(r.conduct, 0) + 1
    return {c for c, n in counts.items() if n > 1 or len(c) > 30}


def summarize(records: list[PenaltyRecord], actor: str | None = None, aggravated: bool = False) -> str:
    """One clause per target for the conclusion: '对机构处5万元以上20万元以下罚款；对…；情节严重的，…'."""
    base = [r for r in sort_records(records) if r.tier == "基本" and r.kind == "处罚"]
    serious = [r for r in sort_records(records) if r.tier in SERIOUS]
    later = [r for r in sort_records(records) if r.tier in ("逾期未改正", "拒不改正") and r.kind == "处罚"]
    missing = ""
    if actor in ("直接责任人员", "个人"):
        focus = [r for r in base if r.target in ("直接责任人员", "个人")]
        if not focus:
            missing = f"所引条文未规定对{TARGET_LABEL[actor]}的罚款，只规定了"
        base = focus or base
        serious = [r for r in serious if r.target in ("直接责任人员", "个人")] or serious
    parts = []
    for r in base:
        text = sanction_text(r)
        if text:
            sub = f"（{r.conduct}）" if r.conduct.startswith("出具") and len(r.conduct) < 20 else ""
            parts.append(f"对{target_label(r)}{sub}{text}")
    out = missing + "；".join(parts)
    for r in later:
        text = sanction_text(r)
        if text:
            out = f"{out}；{r.tier}的，对{target_label(r)}{text}" if out else f"{r.tier}的，{text}"
    if serious:
        s = "；".join(f"对{target_label(r)}{sanction_text(r)}" for r in serious if sanction_text(r))
        graver = serious[0].tier  # '情节严重' or '造成严重后果', as the text says
        out = f"{out}；{graver}的，{s}" if out else f"{graver}的，{s}"
        if aggravated:
            out = f"{graver}的，{s}（一般情形：{'；'.join(parts) or '见下表'}）"
    return out


def validity_lines(cites: Citations, corpus: Corpus) -> list[str]:
    seen: dict[str, list[str]] = {}
    for c in cites.items:
        seen.setdefault(c.doc_key, []).append(c.provision_id)
    lines = []
    for key in seen:
        doc = corpus.documents[key]
        if doc.doc_type == "典型案例":
            continue
        badge = "⚠ 已废止" if doc.status == REPEALED else doc.status
        extra = f"；{doc.doc_number}" if doc.doc_number else ""
        lines.append(f"- 《{doc.title}》（{doc.doc_type}{extra}）：{doc.dates_label}，**{badge}**")
        if doc.status_note and doc.status_note != doc.status:
            lines.append(f"  - 效力说明：{_short(doc.status_note, 160)}")
    return lines


def quote_lines(cites: Citations, corpus: Corpus) -> list[str]:
    out = []
    for c in cites.items:
        doc = corpus.documents[c.doc_key]
        status = "⚠ 已废止" if doc.status == REPEALED else doc.status
        out.append(f"[{c.n}] {c.citation}（{doc.version_date or '日期未载'}版，{status}）")
        out.extend(f"> {line}" for line in c.text.split("\n"))
        if (p := corpus.provisions.get(c.provision_id)) is not None and p.source_note:
            out.append(f"> ⚠ 来源说明：{p.source_note}")
        out.append("")
    return out


def _short(text: str, n: int) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def render_note(note: str, cites: Citations) -> str:
    """'{特种设备安全法/93}' placeholders → citation with marker."""
    return re.sub(r"\{([^{}]+)\}", lambda m: cites.ref(m.group(1), "适用说明") or m.group(0), note)

"""The provision model: Document, Provision, PenaltyRecord, CaseRecord."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from corpus.numerals import int_to_cn

IN_FORCE = "现行有效"
AMENDED = "已被修改"
REPEALED = "已废止"


@dataclass
class Document:
    """One legal text (one version of it) or a case batch."""

    key: str
    title: str
    doc_type: str
    aliases: list[str] = field(default_factory=list)
    issuer: str = ""
    doc_number: str = ""
    publish_date: str = ""
    effective_date: str = ""
    version_date: str = ""
    status: str = IN_FORCE
    status_note: str = ""
    source: str = ""
    path: str = ""
    sectors: list[str] = field(default_factory=list)
    notes: str = ""
    version_effective_date: str = ""  # this version's own effective date when the source states it

    @property
    def own_effective_date(self) -> str:
        """The date this version took effect; "" when the source gives only the original text's date."""
        if self.version_effective_date:
            return self.version_effective_date
        if self.effective_date and (not self.version_date or self.effective_date >= self.version_date):
            return self.effective_date
        return ""

    @property
    def dates_label(self) -> str:
        """'2013-06-29版，施行日期 2014-01-01', or for a revision whose own effective date is not stated:
        '2025-03-18版，本版施行日期未载（原文本 2021-06-01 起施行）'."""
        head = f"{self.version_date or self.publish_date or '日期未载'}版"
        if self.own_effective_date:
            return f"{head}，施行日期 {self.own_effective_date}"
        if self.effective_date:
            return f"{head}，本版施行日期未载（原文本 {self.effective_date} 起施行）"
        return head

    @property
    def in_force(self) -> bool:
        return self.status.startswith(IN_FORCE)

    @property
    def version_label(self) -> str:
        """Human label of this version: date and status."""
        date = self.version_date or self.publish_date or "日期未载"
        return f"{date}版，{self.status}"

    def to_dict(self) -> dict:
        return asdict(self)


def article_id_of(pid: str) -> str:
    """The article a provision id belongs to: '特种设备安全法/93/1/3' → '特种设备安全法/93'; a case id
    ('典型案例/<batch>/<n>') keeps its three parts."""
    parts = pid.split("/")
    return "/".join(parts[:3] if parts[0] == "典型案例" else parts[:2])


@dataclass
class Provision:
    """A citable unit: an article (条), a paragraph (款) or an item (项); or an action-plan item or case."""

    id: str
    doc_key: str
    doc_title: str
    text: str
    kind: str = "article"  # article | paragraph | item | plan_item | plan_part | case
    article: int | None = None
    article_suffix: int = 0  # 1 for 之一
    para: int | None = None
    item: int | None = None
    chapter: str = ""
    section: str = ""
    heading: str = ""  # plan items and cases carry a title
    label: str = ""  # e.g. （三） for plan items, 一、 for plan parts
    n_paras: int = 1  # paragraphs in the parent article (to decide whether to print 第一款)
    source_note: str = ""  # a defect of the source text, said beside every quote (corpus/data/source_fixes.yaml)

    @property
    def article_id(self) -> str:
        """The id of the enclosing article (or of itself for plan items and cases)."""
        return article_id_of(self.id) if self.kind in ("paragraph", "item") else self.id

    @property
    def article_label(self) -> str:
        if self.article is None:
            return self.label
        suffix = f"之{int_to_cn(self.article_suffix)}" if self.article_suffix else ""
        return f"第{int_to_cn(self.article)}条{suffix}"

    @property
    def citation(self) -> str:
        """《中华人民共和国特种设备安全法》第九十三条第一款第（三）项."""
        if self.kind in ("plan_item", "plan_part"):
            return f"《{self.doc_title}》{self.label}{self.heading}"
        if self.kind == "case":
            return f"{self.doc_title}：{self.heading}"
        out = f"《{self.doc_title}》{self.article_label}"
        if self.para is not None and self.n_paras > 1:
            out += f"第{int_to_cn(self.para)}款"
        if self.item is not None:
            out += f"第（{int_to_cn(self.item)}）项"
        return out

    def to_dict(self) -> dict:
        d = asdict(self)
        d["citation"] = self.citation
        d["article_id"] = self.article_id
        return d


@dataclass
class PenaltyRecord:
    """One sanction set for one target and tier, parsed from a provision's text."""

    provision_id: str
    target: str  # 机构 | 直接责任人员 | 个人
    tier: str = "基本"  # 基本 | 情节严重 | 情节特别严重 | 情节较轻
    kind: str = "处罚"  # 处罚 | 从轻减轻 | 不予处罚 | 刑罚
    conduct: str = ""
    conduct_refs: list[str] = field(default_factory=list)
    fine_min: float | None = None
    fine_max: float | None = None
    multiple_min: float | None = None
    multiple_max: float | None = None
    multiple_base: str = ""
    fine_note: str = ""  # the condition of a fixed range that sits beside a multiple ('检验费用不足一万元的')
    sanctions: list[str] = field(default_factory=list)
    authority: str = ""
    cross_refs: list[str] = field(default_factory=list)
    source_text: str = ""

    @property
    def has_fine(self) -> bool:
        return self.fine_max is not None or self.fine_min is not None or self.multiple_max is not None

    def fine_label(self) -> str:
        """'5万元以上20万元以下罚款' / '所收检验费用5倍以上10倍以下罚款' / ''."""
        if self.multiple_max is not None and self.multiple_min == self.multiple_max:
            return f"{self.multiple_base}{_num(self.multiple_max)}倍罚款"
        if self.multiple_max is not None or self.multiple_min is not None:
            lo = f"{_num(self.multiple_min)}倍以上" if self.multiple_min is not None else ""
            hi = f"{_num(self.multiple_max)}倍以下" if self.multiple_max is not None else ""
            label = f"{self.multiple_base}{lo}{hi}罚款"
            if self.fine_max is not None:
                fixed = f"{yuan(self.fine_min)}以上" if self.fine_min is not None else ""
                label += f"（{self.fine_note or '另'}，{fixed}{yuan(self.fine_max)}以下罚款）"
            return label
        if not self.has_fine:
            return ""
        if self.fine_min is not None and self.fine_min == self.fine_max:
            return f"{yuan(self.fine_min)}罚款"
        lo = f"{yuan(self.fine_min)}以上" if self.fine_min is not None else ""
        hi = f"{yuan(self.fine_max)}以下" if self.fine_max is not None else ""
        return f"{lo}{hi}罚款"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["fine_label"] = self.fine_label()
        return d


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def yuan(x: float | None) -> str:
    """50000 → '5万元', 5000 → '5000元', 1500000 → '150万元'."""
    if x is None:
        return ""
    if x >= 10_000 and (x / 10_000).is_integer():
        return f"{int(x // 10_000)}万元"
    return f"{_num(x)}元"


@dataclass
class CaseRecord:
    """A typical case (典型案例) as published field extracts."""

    id: str
    batch: str
    title: str
    authority: str = ""
    party: str = ""
    facts: str = ""
    violated: str = ""
    basis: str = ""
    penalty: str = ""
    source: str = ""
    publisher: str = ""
    publish_date: str = ""
    sectors: list[str] = field(default_factory=list)
    cited_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

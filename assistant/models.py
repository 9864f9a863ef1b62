"""What the assistant returns: an Answer with numbered, verified citations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DISCLAIMER = "本回答依据语料库中的条文自动整理，供执法办案参考，不替代法制审核与集体讨论。"
PUBLIC_DISCLAIMER = "本回答依据公开的法律、法规、规章条文整理，仅供参考；具体事项请以当地市场监督管理等主管部门的答复为准。"


@dataclass
class Citation:
    """One cited provision, numbered [n] in the answer text."""

    n: int
    provision_id: str
    citation: str
    doc_key: str
    doc_title: str
    doc_type: str
    version_date: str
    status: str
    text: str
    role: str = ""  # 违法行为认定 | 处罚依据 | 执法主体 | 适用说明 | 参考 | 案例

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    """A structured answer. `markdown` is what the chat shows; the rest feeds the clause panel and JSON."""

    question: str
    markdown: str
    intent: str = "legal_basis"  # legal_basis | penalty | fact | authority | cases | plan | lookup | out_of_scope | …
    slots: dict = field(default_factory=dict)
    conclusion: str = ""
    citations: list[Citation] = field(default_factory=list)
    penalties: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    confidence: float = 0.0
    declined: bool = False
    notice: str = ""  # why the answer is limited (low confidence, out of scope, bad input)
    warnings: list[str] = field(default_factory=list)  # citation-checker findings, validity warnings
    basis_paragraph: str = ""  # 行政处罚决定书 legal-basis paragraph
    mode: str = "officer"  # officer | trainer | public
    generator: str = "extractive"  # extractive | llm
    lead: str = ""  # the provision the answer rests on (its first 依据)
    readings: list[str] = field(default_factory=list)  # lead provisions of the readings shown side by side
    clarify: str = ""  # the one clarifying question asked instead of guessing
    route: str = ""  # which path answered (conduct, lookup, plan, retrieval, …)
    script: str = "simplified"  # the user's script; 'traditional' answers are converted back
    evidence: dict = field(default_factory=dict)  # what the confidence is computed from (assistant/calibrate.py)

    def to_dict(self) -> dict:
        return asdict(self)

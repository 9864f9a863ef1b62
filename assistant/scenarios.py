"""Scenarios: a catalogue entry (generated from the texts) with the curated knowledge attached to it.

A scenario is a `corpus.knowledge.Knowledge`: the curated record from corpus/data/knowledge.yaml when one is
attached to the entry, else one synthesised from the entry itself (its penalty 款, the 项 describing the conduct,
and the obligation articles the text cites). Session keys: a knowledge key, or `entry:<id>#<label>`.
"""

from __future__ import annotations

import re

from corpus.conduct import Entry, catalogue
from corpus.knowledge import Knowledge, knowledge
from corpus.load import Corpus

Scenario = Knowledge
ENTRY_PREFIX = "entry:"


def curated_ids() -> frozenset[str]:
    """Provision ids curated knowledge is attached to (a small ranking feature)."""
    ids: set[str] = set()
    for k in knowledge().entries:
        ids.update(k.conduct_items or k.penalty)
    return frozenset(ids)


def _attached(entry: Entry, sector: str | None) -> list[Knowledge]:
    out = []
    for k in knowledge().entries:
        if k.conduct_items:
            hit = entry.id in k.conduct_items
        else:
            hit = entry.penalty_id in k.penalty or entry.id in k.penalty or entry.article_id in k.penalty
        if hit and k.conduct and entry.label and k.conduct != entry.label:
            hit = False
        if hit and k.sectors and sector not in k.sectors:
            hit = False
        if hit:
            out.append(k)
    return sorted(out, key=lambda k: not k.sectors)  # a sector-specific note before the general one


OWN_DOER = re.compile(r"^[\u4e00-\u9fff]{2,12}(者|人|人员|单位|车辆|机构|企业)(在|未|不|擅自|违反|有)")


def title_of(entry: Entry) -> str:
    """The conduct as a conclusion states it: '特种设备使用单位使用特种设备未按照规定办理使用登记'."""
    text = entry.conduct.split("：", 1)[-1] if "：" in entry.conduct else entry.conduct
    text = re.sub(r"^[（(][^）)]+[）)]\s*", "", text)
    text = re.sub(r"^违反本(?:法|条例|办法|规定)(?:第[^，]{1,30}条)?(?:第[^，]{1,6}款)?规定，", "", text)
    if entry.label:
        text = entry.label
    text = text.rstrip("；;。.").removesuffix("的")
    subject = entry.subject.strip("，, ").removesuffix("的")  # a subject cut at the end of its clause ends in 的
    own = entry.label and OWN_DOER.match(entry.label)  # a clause naming its own doer ('房屋建筑使用者在装修过程中…')
    if subject and not own and not text.startswith(subject) and len(subject) <= 40 and "有下列" not in subject:
        text = subject + text
    return text


def for_entry(entry: Entry, sector: str | None = None) -> Scenario:
    attached = _attached(entry, sector)
    if attached:
        return attached[0]
    from corpus.catalog import AUTHORITY_BASIS

    return Knowledge(key=f"{ENTRY_PREFIX}{entry.id}#{entry.label}", title=title_of(entry), penalty=(entry.penalty_id,),
                     violated=entry.obligations, conduct_items=(entry.id,) if entry.id != entry.penalty_id else (),
                     authority_basis=AUTHORITY_BASIS.get(entry.doc_key, ""))


def label_of(s: Scenario) -> str:
    """The sub-conduct a catalogue scenario stands for (its key 'entry:<id>#<label>', as for_entry makes it)."""
    return s.key.split("#", 1)[1] if s.key.startswith(ENTRY_PREFIX) and "#" in s.key else ""


def successor(s: Scenario, conduct_date: str | None) -> Scenario:
    """A repealed text's scenario, seen from the text that replaced it: the answer then shows the law at the time
    and today's side by side (行政处罚法第三十七条)."""
    newer = next((k for k in knowledge().entries if k.predecessor == s.key), None)
    if newer is not None and conduct_date and conduct_date < newer.valid_from:
        return newer
    return s


def by_key(key: str, corpus: Corpus) -> Scenario | None:
    """The scenario a session remembered."""
    if not key.startswith(ENTRY_PREFIX):
        return knowledge().by_key(key)
    eid, _, label = key[len(ENTRY_PREFIX):].partition("#")
    entry = next((e for e in catalogue(corpus) if e.id == eid and e.label == label), None)
    return for_entry(entry) if entry else None


def available(s: Scenario, corpus: Corpus) -> bool:
    """Every provision the scenario cites is in this corpus (a partial corpus falls back to retrieval)."""
    ids = (*s.ids(), *re.findall(r"\{([^{}]+)\}", s.note))
    if s.predecessor:
        pred = knowledge().by_key(s.predecessor)
        ids += pred.penalty if pred else ("<missing predecessor>",)
    return all(pid in corpus.provisions for pid in ids)

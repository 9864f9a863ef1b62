"""Typical cases (典型案例): batches of field extracts → CaseRecords and citable case provisions."""

from __future__ import annotations

import re
from pathlib import Path

from corpus.catalog import CASE_SECTORS, sectors_for
from corpus.files import IngestError, read_text, split_front_matter
from corpus.models import CaseRecord, Document, Provision

CASE_HEAD = re.compile(r"^##\s+(.*)$")
FIELD = re.compile(r"^-\s*([^：:]{1,20})[：:]\s*(.*)$")
FIELDS = {
    "查处机关": "authority", "当事人": "party", "事实要素": "facts", "违反条款": "violated",
    "处罚依据条款": "basis", "处罚依据": "basis", "处罚结果": "penalty", "处理结果": "penalty", "定性": "facts",
}
LAW_REF = re.compile(r"《([^》]+)》((?:第[零一二三四五六七八九十百千\d]+条(?:第[一二三四五六七八九十]+款)?[、，和及]?)+)")


def batch_key(path: Path) -> str:
    return f"典型案例/{path.stem}"


def load_cases(path: Path) -> tuple[Document, list[Provision], list[CaseRecord]]:
    """One batch file → (document, case provisions, case records)."""
    meta, body = split_front_matter(path, read_text(path))
    key = batch_key(path)
    title = str(meta.get("title") or path.stem)
    doc = Document(
        key=key, title=title, doc_type="典型案例", issuer=str(meta.get("publisher") or ""),
        publish_date=str(meta.get("publish_date") or ""), version_date=str(meta.get("publish_date") or ""),
        status="典型案例（要素摘录）", status_note=str(meta.get("confidence") or ""),
        source=str(meta.get("source_url") or path), path=str(path), sectors=[],
    )
    records: list[CaseRecord] = []
    current: dict | None = None
    sections: list[dict] = []
    for line in body.splitlines():
        line = line.strip()
        if m := CASE_HEAD.match(line):
            current = {"title": m.group(1).strip(), "fields": {}, "lines": []}
            sections.append(current)
        elif current is not None and (m := FIELD.match(line)):
            name, value = m.group(1).strip(), m.group(2).strip()
            current["lines"].append(f"{name}：{value}")
            for label, attr in FIELDS.items():
                if name.startswith(label) or label in name.split("/"):
                    current["fields"].setdefault(attr, value)
    provisions: list[Provision] = []
    n = 0
    for sec in sections:
        if not sec["fields"] or sec["title"].startswith(("背景", "案例二至")) and "facts" not in sec["fields"]:
            continue
        n += 1
        f = sec["fields"]
        text = "\n".join(sec["lines"])
        case_title = re.sub(r"^案例[一二三四五六七八九十]+\s*", "", sec["title"]) if sec["title"] != "案件要素" else title
        sectors = [s for s, words in CASE_SECTORS.items() if any(w in text + case_title for w in words)]
        rec = CaseRecord(
            id=f"{key}/{n}", batch=key, title=case_title, authority=f.get("authority", ""), party=f.get("party", ""),
            facts=f.get("facts", ""), violated=f.get("violated", ""), basis=f.get("basis", ""),
            penalty=f.get("penalty", ""), source=doc.source, publisher=doc.issuer, publish_date=doc.publish_date,
            sectors=sectors or sectors_for(""), cited_ids=[],
        )
        records.append(rec)
        provisions.append(Provision(id=rec.id, doc_key=key, doc_title=title, text=f"{case_title}\n{text}",
                                    kind="case", article=n, heading=case_title))
    if not records:
        raise IngestError(path, "未找到案例要素（## 标题与“- 字段：内容”列表）")
    doc.sectors = sorted({s for r in records for s in r.sectors})
    return doc, provisions, records


def cited_laws(text: str) -> list[tuple[str, str]]:
    """《X》第N条 references in a case field → [(law title, '第N条…')]."""
    return [(m.group(1), m.group(2)) for m in LAW_REF.finditer(text or "")]

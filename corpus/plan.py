"""The action plan (国市监检测发〔2024〕80号) and the Shanxi forwarding notice (晋市监发〔2024〕193号)."""

from __future__ import annotations

import re
from pathlib import Path

from corpus.articles import join_broken_lines
from corpus.catalog import ALIASES
from corpus.files import IngestError, read_text
from corpus.models import IN_FORCE, Document, Provision
from corpus.numerals import cn_to_int

PLAN_KEY = "检验检测领域综合治理行动方案"
NOTICE_KEY = "山西省贯彻落实行动方案的通知"
PART = re.compile(r"^#*\s*(?:\*\*)?([一二三四五六七八九十]+)、(.*)$")
ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）](.*)$")
ENDS = ("。", "”", "！", "？", "：", ")", "）")


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, re-joining sentences split by page breaks; a heading, part or item
    always starts a new one."""
    return join_broken_lines(lines, ENDS, lambda prev, line: bool(
        line.startswith("#") or PART.match(line) or ITEM.match(line) or prev.startswith("#")))


def _title_split(body: str) -> tuple[str, str]:
    """'深入开展机动车检验专项整治。各地…' → ('深入开展机动车检验专项整治', '…full text…')."""
    body = body.replace("**", "")
    head = re.split(r"[。.]", body, maxsplit=1)[0]
    return head.strip(), body.strip()


def load_plan(path: Path) -> tuple[list[Document], list[Provision]]:
    """Parse the seed text into the notice and the plan, each item citable."""
    text = read_text(path)
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip().lstrip("#").strip() == PLAN_KEY)
    except StopIteration:
        raise IngestError(path, f"未找到《{PLAN_KEY}》正文标题") from None
    notice = Document(
        key=NOTICE_KEY, doc_type="规范性文件", aliases=ALIASES.get(NOTICE_KEY, []),
        title="山西省市场监督管理局等5部门关于贯彻落实市场监管总局等5部门《检验检测领域综合治理行动方案》的通知",
        issuer="山西省市场监督管理局、山西省公安厅、山西省生态环境厅、山西省住房和城乡建设厅、山西省交通运输厅",
        doc_number="晋市监发〔2024〕193号", publish_date="2024-09-29", version_date="2024-09-29",
        status=IN_FORCE, status_note="此件公开发布；工作部署类文件，时限要求以文中为准",
        source=f"{path.name}（用户提供的原始文件，见 corpus/documents/action_plan/SOURCE.md）", path=str(path),
        sectors=["综合"],
    )
    plan = Document(
        key=PLAN_KEY, title=PLAN_KEY, doc_type="规范性文件", aliases=ALIASES.get(PLAN_KEY, []),
        issuer="市场监管总局、公安部、生态环境部、住房和城乡建设部、交通运输部",
        doc_number="国市监检测发〔2024〕80号", publish_date="2024-08-13", version_date="2024-08-13",
        status=IN_FORCE, status_note="此件公开发布；专项整治“回头看”为期5个月",
        source=notice.source, path=str(path), sectors=["综合"],
    )
    provisions = _notice_items(notice, lines[:start]) + _plan_items(plan, lines[start + 1 :])
    return [plan, notice], provisions


def _notice_items(doc: Document, lines: list[str]) -> list[Provision]:
    out = []
    for para in _paragraphs(lines):
        m = PART.match(para.replace("**", ""))
        if not m:
            continue
        n = cn_to_int(m.group(1))
        heading, body = _title_split(m.group(2))
        out.append(Provision(id=f"{doc.key}/{n}", doc_key=doc.key, doc_title=doc.title, text=f"{m.group(1)}、{body}",
                             kind="plan_item", article=n, label=f"{m.group(1)}、", heading=heading))
    return out


def _plan_items(doc: Document, lines: list[str]) -> list[Provision]:
    out: list[Provision] = []
    part: Provision | None = None
    current: Provision | None = None
    for para in _paragraphs(lines):
        clean = para.lstrip("#").strip()
        if (m := PART.match(clean)) and para.startswith("#"):
            label = m.group(1)
            part = Provision(id=f"{doc.key}/part-{label}", doc_key=doc.key, doc_title=doc.title, text=clean,
                             kind="plan_part", label=f"{label}、", heading=m.group(2).strip(), chapter=clean)
            out.append(part)
            current = None
            continue
        if (m := ITEM.match(clean)) and part is not None:
            n = cn_to_int(m.group(1))
            heading, _ = _title_split(m.group(2))
            current = Provision(id=f"{doc.key}/{n}", doc_key=doc.key, doc_title=doc.title, text=clean,
                                kind="plan_item", article=n, label=f"（{m.group(1)}）", heading=heading,
                                chapter=part.chapter)
            out.append(current)
            continue
        if part is not None:
            part.text += "\n" + clean  # lead and closing paragraphs of a part
        elif out:
            out[-1].text += "\n" + clean
        else:  # the preamble before 一、
            out.append(Provision(id=f"{doc.key}/preamble", doc_key=doc.key, doc_title=doc.title, text=clean,
                                 kind="plan_part", label="", heading="（序言）"))
    return out

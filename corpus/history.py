"""Law in time: versions, repeals, successors and old → new article maps (corpus/data/succession.yaml)."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from corpus import yamlio
from corpus.asks import OLD_VERSION
from corpus.config import PACKAGED_DATA
from corpus.models import REPEALED, Document
from corpus.numerals import int_to_cn

if TYPE_CHECKING:
    from corpus.load import Corpus
    from corpus.refs import Ref



@dataclass
class Mapping:
    doc: str
    from_version: str
    from_article: int
    to: str  # provision id in the current corpus
    status: str  # confirmed | proposed
    from_para: int | None = None  # the old article's 款 this map is for (an article split across new ones)
    topic: str = ""
    basis: str = ""
    old_penalty: str = ""
    old_fine_max: float | None = None
    new_penalty: str = ""

    @property
    def label(self) -> str:
        para = f"第{int_to_cn(self.from_para)}款" if self.from_para else ""
        return f"{self.from_version}版第{int_to_cn(self.from_article)}条{para}"


@dataclass
class Succession:
    repeals: dict[str, dict] = field(default_factory=dict)
    versions: dict[str, list[dict]] = field(default_factory=dict)
    maps: list[Mapping] = field(default_factory=list)

    def maps_from(self, doc: str, article: int, version: str | None = None, para: int | None = None
                  ) -> list[Mapping]:
        """The maps of an old article: of its 款 when one is asked and mapped on its own, else the whole article's."""
        found = [m for m in self.maps if m.doc == doc and m.from_article == article
                 and (version is None or m.from_version == version)]
        own = [m for m in found if para is not None and m.from_para == para]
        return own or [m for m in found if m.from_para is None] or found

    def maps_to(self, provision_id: str) -> list[Mapping]:
        return [m for m in self.maps if m.to == provision_id]


# the keys succession.yaml may use: (allowed, required) per kind of entry
KEYS = {
    "top": ({"repeals", "versions", "article_maps"}, set()),
    "repeals": ({"repealed_on", "repealed_by", "successor"}, {"repealed_on", "successor"}),
    "versions": ({"version", "label", "effective", "until", "in_corpus", "note"}, {"version", "label"}),
    "article_maps": ({"doc", "from", "para", "to", "status", "topic", "basis", "old_penalty", "old_fine_max",
                      "new_penalty"},
                     {"doc", "from", "to", "status"}),
}


def _check_keys(kind: str, where: str, entry: object) -> None:
    from corpus.knowledge import KnowledgeError

    allowed, required = KEYS[kind]
    if not isinstance(entry, dict):
        raise KnowledgeError(f"succession.yaml:{where}: 应为映射")
    if unknown := set(entry) - allowed:
        raise KnowledgeError(f"succession.yaml:{where}: 未知字段 {sorted(unknown)}")
    if missing := required - set(entry):
        raise KnowledgeError(f"succession.yaml:{where}: 缺少字段 {sorted(missing)}")


def _validated(data: object) -> dict:
    """succession.yaml's content once every entry has only known keys (KnowledgeError naming it otherwise)."""
    from corpus.knowledge import KnowledgeError

    _check_keys("top", "", data)
    assert isinstance(data, dict)
    for key, info in (data.get("repeals") or {}).items():
        _check_keys("repeals", f"repeals.{key}", info)
    for key, versions in (data.get("versions") or {}).items():
        for n, v in enumerate(versions):
            _check_keys("versions", f"versions.{key}[{n}]", v)
    for n, m in enumerate(data.get("article_maps") or []):
        _check_keys("article_maps", f"article_maps[{n}]", m)
        if m["status"] not in ("confirmed", "proposed"):
            raise KnowledgeError(f"succession.yaml:article_maps[{n}]: status 应为 confirmed 或 proposed")
        if "para" in m and not (isinstance(m["para"], int) and m["para"] > 0):
            raise KnowledgeError(f"succession.yaml:article_maps[{n}]: para 应为正整数（旧条文的第几款）")
    return data


@functools.lru_cache(maxsize=1)
def succession() -> Succession:
    data = _validated(yamlio.safe_load((PACKAGED_DATA / "succession.yaml").read_text("utf-8")))
    maps = []
    for m in data.get("article_maps", []):
        version, article = str(m["from"]).split("/")
        maps.append(Mapping(doc=m["doc"], from_version=version, from_article=int(article), to=m["to"],
                            status=m["status"], topic=m.get("topic", ""), basis=m.get("basis", ""),
                            old_penalty=m.get("old_penalty", ""), old_fine_max=m.get("old_fine_max"),
                            new_penalty=m.get("new_penalty", ""), from_para=m.get("para")))
    return Succession(repeals=data.get("repeals", {}), versions=data.get("versions", {}), maps=maps)


def renumber_note(doc_key: str) -> str:
    """What a revision did to a document's article numbers and penalty, from succession.yaml's confirmed maps
    ('2021版第十三、十四、二十六条对应现行第十四、十五、二十七条…'); '' when it has none."""
    maps = [m for m in succession().maps if m.doc == doc_key and m.status == "confirmed" and m.to.startswith(doc_key)]
    versions = succession().versions.get(doc_key, [])
    if not maps or len(versions) < 2:
        return ""
    old, new = versions[-2], versions[-1]
    olds = "、".join(int_to_cn(m.from_article) for m in maps)
    news = "、".join(int_to_cn(int(m.to.split("/")[1])) for m in maps)
    penalty = next((m for m in maps if m.old_penalty and m.new_penalty), None)
    text = f"《{doc_key}》{new['label']}条号有变：{old['version']}版第{olds}条对应现行第{news}条"
    if penalty is not None:
        text += f"；罚则由“{penalty.old_penalty}”改为“{penalty.new_penalty}”"
    return text + f"；修订施行前作出的决定书引用的是{old['version']}版条号。"


def before_repeal_words() -> list[str]:
    """'2026年8月15日前' for each repeal date in succession.yaml: words saying a citation concerns the time
    before a repeal."""
    dates = sorted({str(info["repealed_on"]) for info in succession().repeals.values() if info.get("repealed_on")})
    return [f"{int(y)}年{int(m)}月{int(d)}日前" for y, m, d in (x.split("-") for x in dates)]


def apply_history(corpus: Corpus) -> None:
    """Label repealed documents with their repeal date and successor (they stay indexed)."""
    s = succession()
    for key, info in s.repeals.items():
        doc = corpus.documents.get(key)
        if doc is None:
            continue
        doc.status = REPEALED
        by = corpus.provisions.get(info.get("repealed_by", ""))
        by_text = by.citation if by else info.get("repealed_by", "")
        doc.status_note = f"自{info['repealed_on']}起废止（{by_text}），由《{_title(corpus, info['successor'])}》取代"


def _title(corpus: Corpus, key: str) -> str:
    doc = corpus.documents.get(key)
    return doc.title if doc else key


def in_force_on(doc: Document, on: str) -> bool:
    """Whether a document applied to conduct on a date: in force by then and not yet repealed."""
    if doc.effective_date and on < doc.effective_date:
        return False
    repealed = succession().repeals.get(doc.key, {}).get("repealed_on", "")
    return doc.status != REPEALED or bool(repealed) and on < repealed


def version_in_force(doc_key: str, on: str) -> dict | None:
    """The version of a document in force on an ISO date, from the succession data."""
    for v in succession().versions.get(doc_key, []):
        if v.get("effective", "") <= on and (not v.get("until") or on < v["until"]):
            return v
    return None


def describe(corpus: Corpus, provision_id: str) -> list[str]:
    """Lines on the validity of a provision's text: status, repeal, successor provision, renumbering."""
    p = corpus.provisions.get(provision_id)
    doc = corpus.documents.get(p.doc_key) if p else None
    if doc is None:
        return []
    out = []
    if doc.status == REPEALED:
        out.append(f"⚠ 本条所在文件已废止：{doc.status_note or '见法律库标注'}。不得作为现行依据引用。")
        if p.article is not None:
            for m in succession().maps_from(doc.key, p.article):
                succ = corpus.provisions.get(m.to)
                if succ:
                    out.append(f"  现行对应条文：{succ.citation}（{_status_word(m.status)}）。")
    for m in succession().maps_to(p.article_id):
        old = f"《{_title(corpus, m.doc)}》{m.label}"
        out.append(f"  沿革：{old} → {corpus.provisions[m.to].citation}（{m.topic}；{_status_word(m.status)}）。")
    return out


def _status_word(status: str) -> str:
    return "已人工确认" if status == "confirmed" else "系自动推定，待人工确认"


def history_chain(corpus: Corpus, doc_key: str, article: int) -> list[str]:
    """`yiju corpus history` lines: the article under each known version and where it went."""
    from corpus.files import plain_words

    lines = []
    versions = succession().versions.get(doc_key, [])
    for v in versions:
        lines.append(f"版本：{v['label']}，施行 {v.get('effective', '未载')}"
                     + (f"，至 {v['until']}" if v.get("until") else "，现行")
                     + ("" if v.get("in_corpus", True) else "（全文未收录）"))
        if v.get("note"):
            lines.append(f"  说明：{plain_words(v['note'])}")
    doc = corpus.documents.get(doc_key)
    if not versions and doc is not None:
        lines.append(f"版本：语料中的文本为{doc.dates_label}，{doc.status}")
    maps = succession().maps_from(doc_key, article)
    for m in maps:
        target = corpus.provisions.get(m.to)
        lines.append(f"{m.label}（{m.topic}） → {target.citation if target else m.to}（{_status_word(m.status)}；"
                     f"依据：{plain_words(m.basis)}）")
        if m.old_penalty:
            lines.append(f"  旧版罚则：{plain_words(m.old_penalty)}")
        if m.new_penalty:
            lines.append(f"  新版罚则：{m.new_penalty}")
    current = corpus.article(doc_key, article)
    if current is not None:
        lines.append(f"现行文本第{int_to_cn(article)}条：{current.citation}")
        lines += describe(corpus, current.id)
        for m in succession().maps_to(current.id):
            lines.append(f"  来自 {m.label}")
    if not lines:
        lines.append("没有该条的版本沿革记录。")
    return lines


def old_number_lines(corpus: Corpus, ref: Ref, question: str, old: bool = False) -> list[str]:
    """When a question cites an article number that moved in a revision, explain the renumbering; `old`: the
    question dates the citation before the current version (a decision of 2023 citing 第二十五条)."""
    if not ref.doc_key:
        return []
    explicit = old or bool(OLD_VERSION.search(question))
    maps = [m for m in succession().maps_from(ref.doc_key, ref.article) if m.doc == ref.doc_key]
    maps = [m for m in maps if m.to.split("/")[0] == ref.doc_key or explicit
            or corpus.documents[ref.doc_key].status == REPEALED]
    if not maps:
        return []
    out = []
    for m in maps:
        target = corpus.provisions.get(m.to)
        if target is None:
            continue
        head = "条号已变更" if explicit else "注意条号变更"
        out.append(f"**{head}**：《{_title(corpus, m.doc)}》{m.label}（{m.topic}） → 现行{target.citation}"
                   f"（{_status_word(m.status)}）。")
        if not explicit and corpus.article(ref.doc_key, ref.article) is not None:
            out.append(f"如您指的是现行文本的第{int_to_cn(ref.article)}条，见下文；如指{m.label}，其内容现为{target.citation}。")
        if m.old_penalty or m.new_penalty:
            out.append(f"- {m.label}罚则：{m.old_penalty or '原文未收录'}")
            out.append(f"- 现行{target.citation}罚则：{m.new_penalty or '见下文'}")
    return out


def propose_maps(corpus: Corpus, old_doc: str, new_doc: str, threshold: float = 0.6) -> list[tuple[str, str, float]]:
    """Propose old → new article maps by text similarity (for hand confirmation)."""
    olds = [p for p in corpus.provisions.values() if p.doc_key == old_doc and p.kind == "article"]
    best: dict[str, tuple[float, str]] = {}
    matcher = difflib.SequenceMatcher(None)
    for new in (p for p in corpus.provisions.values() if p.doc_key == new_doc and p.kind == "article"):
        matcher.set_seq2(new.text)  # the new text is analysed once, then compared with every old article
        for old in olds:
            matcher.set_seq1(old.text)
            floor = max(threshold, best.get(old.id, (0.0, ""))[0])  # ratio() <= quick_ratio() <= real_quick_ratio()
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            r = matcher.ratio()
            if r > best.get(old.id, (0.0, ""))[0]:
                best[old.id] = (r, new.id)
    return [(old.id, best[old.id][1], round(best[old.id][0], 3)) for old in olds
            if old.id in best and best[old.id][0] >= threshold]

"""The conduct catalogue, generated from the texts: one entry per sanctioned conduct.

Every sanctioning provision (a 款 with parsed penalty records) yields an entry per conduct it sanctions: one per
项 when it lists items ("有下列行为之一的"), one per sub-conduct when one sentence sanctions several (监督管理办法
第二十七条: 不实 / 虚假), else one for the 款. An entry names the sanctioned subject as the text does, normalised
to the actor vocabulary (corpus/data/actors.yaml), the conduct text, the obligation articles it cites
(违反本法第X条), its sector, its document's rank (law > regulation > rule) and whether it is in force.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from corpus.knowledge import actors, sector_of_document, sectors
from corpus.load import Corpus
from corpus.models import REPEALED, PenaltyRecord, Provision
from corpus.numerals import cn_to_int

RANK = {"法律": 0, "行政法规": 1, "部门规章": 2, "规范性文件": 3}
OFFICIAL = "国家机关工作人员"
OBLIGATION = re.compile(r"(?:违反|未按照|未依照|不符合)本(?:法|条例|办法|规定)(?:第([零〇一二两三四五六七八九十百]+)条(?:第([一二三四五六七八九十]+)款)?"
                        r"((?:、第[零〇一二两三四五六七八九十百]+条)*))")
MORE = re.compile(r"第([零〇一二两三四五六七八九十百]+)条")
PREVIOUS = re.compile(r"前款|前两款|本条第一款")
KNOWING = re.compile(r"(?:违反本(?:法|条例|办法)规定，)?(?:知道或者应当知道|明知)")
SANCTIONED = re.compile(r"被(?:撤销|吊销|注销|取消)[^，。；]{0,12}的([^，。；]{2,12})")  # '被撤销资质认定的检验检测机构'
CONDITION = re.compile(r"的\s*[，,]")  # '…的，处…': a sanction conditioned on a conduct
# '对驾驶前款所列机动车上道路行驶的驾驶人，处…': a sanction addressed to whoever did a conduct
ADDRESSED = re.compile(r"^对([^，；。]{2,60}的[^，；。]{0,10}(?:驾驶人|单位|个人|人员|机构|企业|者))，")
SUBJECT_END = re.compile(r"有下列(?:行为|情形)之一|知道或者应当知道|明知|违反|未经|未|不|擅自|在|对|伪造|出具|拒绝|拒不|使用(?!单位)|同时")


@dataclass(frozen=True)
class Entry:
    id: str  # the 项 or 款 the conduct is stated in
    penalty_id: str  # the 款 whose penalty records apply
    article_id: str
    doc_key: str
    subject: str  # the subject clause as the text names it
    actors: tuple[str, ...]  # canonical actors (empty: the text names none)
    conduct: str  # the conduct text (the 项 with its lead-in, or the 款's conduct clause)
    label: str  # sub-conduct label inside one sentence ('出具虚假检验检测报告'), else ''
    obligations: tuple[str, ...]
    sector: str | None
    rank: int
    in_force: bool
    criminal: bool = False
    context: str = ""  # the previous paragraph's conduct, for '前款所列机构…' / '有前款规定情形的'
    duty: str = ""  # the text of the obligation article the conduct breaches ('违反本办法第十四条' → its 不实 cases)
    duties: tuple[str, ...] = ()  # …and their ids

    @property
    def text(self) -> str:
        return f"{self.context} {self.subject} {self.conduct} {self.duty}".strip()


def _subject(clause: str) -> str:
    """'特种设备使用单位有下列行为之一的' → '特种设备使用单位'; '违反本法规定，X…' drops the lead."""
    clause = re.sub(r"^违反本(?:法|条例|办法|规定)(?:第[^，]{1,30}条)?(?:规定|的规定)?，", "", clause)
    m = SUBJECT_END.search(clause)
    return clause[: m.start()] if m else clause


def actors_in(text: str, vocabulary: str = "text") -> tuple[str, ...]:
    """Canonical actors whose words (regular expressions; plain words match themselves) occur in `text`
    (statute words by default)."""
    out = []
    for a in actors():
        if any(_word(w).search(text) for w in getattr(a, vocabulary)):
            out.append(a.name)
    return tuple(out)


def _instigators(text: str) -> tuple[str, ...]:
    """Actors a sanctioned conduct names inside it ('指使其委托的生态环境监测机构…': the client)."""
    return tuple(a.name for a in actors() if any(_word(w).search(text) for w in a.conduct))


@functools.cache
def _word(word: str) -> re.Pattern:
    return re.compile(word)


def _obligations(corpus: Corpus, doc_key: str, text: str) -> tuple[str, ...]:
    out = []
    for m in OBLIGATION.finditer(text):
        if not m.group(1):
            continue
        nums = [m.group(1)] + MORE.findall(m.group(3) or "")
        for n in nums:
            pid = f"{doc_key}/{cn_to_int(n)}"
            if pid in corpus.provisions:
                out.append(pid)
    return tuple(dict.fromkeys(out))


def _sector(doc_key: str, text: str) -> str | None:
    """The document's sector, refined by the text: 机动车排放 inside the environment code, and any sector for a
    general document (刑法's 食品 or 特种设备 offences)."""
    default = sector_of_document(doc_key)
    text = re.sub(r"《[^》]*》", "", text)  # a law the text names is not its field ('依照《产品质量法》…查处')
    for s in sectors():
        refines = s.name == "机动车排放" or default in (None, "综合")
        if s.name != default and s.text and refines and any(w in text for w in s.text):
            return s.name
    return default


def _paragraph_before(corpus: Corpus, prov: Provision) -> str:
    """The text of the 款 before a paragraph ('前款所列' when that 款 sets no penalty of its own)."""
    before = corpus.provisions.get(f"{prov.article_id}/{(prov.para or 1) - 1}")
    return before.text if before is not None and before.id != prov.id else ""


def _entries_for(corpus: Corpus, pid: str, records: list[PenaltyRecord], previous: tuple[tuple[str, ...], str]
                 ) -> list[Entry]:
    """The entries of one sanctioning 款 (`previous`: the actors and conduct of the article's previous 款)."""
    prov = corpus.provisions[pid]
    doc = corpus.documents[prov.doc_key]
    lead = records[0].conduct or ((m := ADDRESSED.match(prov.text)) and m.group(1)) or ""
    subject = _subject(lead)
    # '知道或者应当知道…而为其提供运输…', '明知…仍为其提供场所': whoever helps; the words after are the others'
    found = (actors_in(subject) or (() if KNOWING.match(lead) else actors_in(lead))) + _instigators(lead)
    refers_back = bool(PREVIOUS.search(lead))
    if not found and refers_back:
        found = previous[0]
    if not found:  # '以欺骗…取得资质认定的，…撤销。被撤销资质认定的检验检测机构…': named by what befell it
        found = tuple(a for m in SANCTIONED.finditer(prov.text) for a in actors_in(m.group(1)))
    base = dict(penalty_id=pid, article_id=prov.article_id, doc_key=prov.doc_key, sector=None,
                context=(previous[1] or _paragraph_before(corpus, prov)) if refers_back else "",
                rank=RANK.get(doc.doc_type, 4), in_force=doc.status != REPEALED,
                criminal=records[0].kind == "刑罚", obligations=_obligations(corpus, prov.doc_key, prov.text))
    if base["criminal"]:  # a criminal provision's whole paragraph defines the offence
        return [Entry(id=pid, subject=subject, actors=_perpetrators(subject), conduct=prov.text, label="", **base | {
            "sector": _sector(prov.doc_key, prov.text)})]
    items = list(dict.fromkeys(i for r in records for i in r.conduct_refs if i in corpus.provisions))
    if not lead and not items and not CONDITION.search(prov.text):
        return []  # penalty types, summary procedure, handling of confiscated goods: no conduct is sanctioned
    if items:
        out = []
        for iid in items:
            text = corpus.provisions[iid].text
            acts = found or actors_in(_subject(re.sub(r"^[（(][^）)]+[）)]", "", text)))
            if OFFICIAL not in acts:  # an official's own instigating ('明示或者暗示…篡改') names no client
                acts += tuple(a for a in _instigators(text) if a not in acts)  # an item's own instigators too
            obligations = _obligations(corpus, prov.doc_key, text) or _obligations(corpus, prov.doc_key, lead)
            out.append(Entry(id=iid, subject=subject, actors=acts, conduct=f"{lead}：{text}", label="",
                             **base | {"sector": _sector(prov.doc_key, f"{lead}{text}"), "obligations": obligations}))
        return out
    base["sector"] = _sector(prov.doc_key, corpus.provisions[prov.article_id].text)
    labels = [r.conduct for r in records if r.conduct and r.conduct != lead and r.conduct in prov.text]
    acts = found
    out = [Entry(id=pid, subject=subject, actors=acts, conduct=lead or prov.text[:120], label="", **base)]
    for label in dict.fromkeys(labels):
        out.append(Entry(id=pid, subject=subject, actors=acts, conduct=f"{lead}，{label}", label=label, **base))
    return out if not labels else out[1:]


CRIMINAL_SPECIAL_PART = 102  # 刑法第一百零二条 opens 分则: the offences; 总则 (故意犯罪, 未遂, 没收财产…) defines none


def _offence(corpus: Corpus, pid: str) -> bool:
    """Not a 刑法 总则 provision (general rules of crime and punishment are no sanctioned conduct)."""
    prov = corpus.provisions[pid]
    return prov.doc_key != "刑法" or (prov.article or 0) >= CRIMINAL_SPECIAL_PART


def build_catalogue(corpus: Corpus) -> list[Entry]:
    """Every sanctioned conduct of the corpus, in corpus order."""
    by_pid: dict[str, list[PenaltyRecord]] = {}
    for r in corpus.penalties:
        if r.kind in ("处罚", "刑罚") and r.provision_id in corpus.provisions and _offence(corpus, r.provision_id):
            by_pid.setdefault(r.provision_id, []).append(r)
    out: list[Entry] = []
    previous: dict[str, tuple[tuple[str, ...], str]] = {}
    for pid, records in by_pid.items():
        art = corpus.provisions[pid].article_id
        before = previous.get(art, ((), ""))
        entries = _entries_for(corpus, pid, records, before)
        if entries:
            previous[art] = (entries[0].actors or before[0], f"{entries[0].context} {entries[0].conduct}".strip())
        out += entries
    out = [_with_duty(corpus, e) for e in out if not PROCEDURE.search(e.conduct)]
    return out + _defined_crimes(corpus, set(by_pid)) + _referring(corpus, out)


def _with_duty(corpus: Corpus, entry: Entry) -> Entry:
    """The entry with the text of the obligation articles its conduct breaches: a sanction that only cites them
    ('违反本办法第十四条、第十五条规定') is found by the words of the duty. A sub-conduct (不实 / 虚假) takes only the
    article that names it."""
    ids = list(entry.obligations)
    if entry.label:
        ids = [o for o in ids if entry.label.removeprefix("出具") in corpus.provisions[o].text] or ids
    return replace(entry, duty=" ".join(corpus.provisions[o].text for o in ids), duties=tuple(ids)) if ids else entry


# a paragraph on how a penalty is imposed, not a conduct that is sanctioned: 'X的罚款，当事人无异议的，可以当场收缴',
# '对…处以罚款…处罚的，由…决定', '交通警察认为应当…处罚的，可以先予扣留', '当事人对行政处罚决定不服的', '期限从处罚决定
# 生效之日起计算', '…暂扣或者吊销机动车驾驶证的，应当出具行政处罚决定书'
PROCEDURE = re.compile(r"^对[^，；。]{1,40}(?:处罚|罚款)[^，；。]{0,4}的(?:$|，)|认为应当[^，；。]{0,40}处罚的|"
                       r"当事人[^，；。]{0,10}(?:不服|无异议)的|期限从[^，；。]{0,12}之日起计算|应当出具行政处罚决定书|"
                       r"违反多个[^，；。]{0,16}应当给予罚款处罚的|"  # (…按照罚款数额高的规定处罚: a rule, no conduct)
                       # how the authority must punish others ('交通警察应当依据事实…对…违法行为予以处罚'): its duty
                       r"应当依据事实[^。]{0,40}违法行为予以处罚")


DEFINES_CRIME = re.compile(r"的，(?:是|为)[^，。；]{1,14}罪")
NO_PERPETRATOR = re.compile(r"^(以|对|向|为|在|明知|故意|非法|采用|利用|违反|将)")


def _defined_crimes(corpus: Corpus, sanctioned: set[str]) -> list[Entry]:
    """刑法 paragraphs that define a crime without stating its punishment ('…的，是受贿罪。', punished by a later
    article): entries too, so that the conduct they define can be found."""
    out = []
    for prov in corpus.provisions.values():
        if prov.doc_key != "刑法" or prov.kind != "paragraph" or prov.id in sanctioned or not _offence(corpus, prov.id):
            continue
        if not DEFINES_CRIME.search(prov.text):
            continue
        subject = _subject(prov.text)
        doc = corpus.documents[prov.doc_key]
        out.append(Entry(id=prov.id, penalty_id=prov.id, article_id=prov.article_id, doc_key=prov.doc_key,
                         subject=subject, actors=_perpetrators(subject), conduct=prov.text, label="", obligations=(),
                         sector=_sector(prov.doc_key, prov.text), rank=RANK.get(doc.doc_type, 4), in_force=True,
                         criminal=True))
    return out


REFERS_PENALTY = re.compile(r"(?:依照|按照|依)(前款|前两款|第([一二三四])款|本条第([一二三四])款)(?:的)?规定(?:予以|给予)?处罚")


def _referring(corpus: Corpus, entries: list[Entry]) -> list[Entry]:
    """An administrative 款 that sanctions its own conduct by another 款's penalty ('电梯的维护保养单位未按照…
    进行电梯维护保养的，依照前款规定处罚'): an entry whose penalty is that 款'."""
    have = {e.id for e in entries} | {e.penalty_id for e in entries}
    out = []
    for prov in corpus.provisions.values():
        m = REFERS_PENALTY.search(prov.text) if prov.kind == "paragraph" and prov.doc_key != "刑法" else None
        if m is None or prov.id in have or prov.para is None or prov.text[max(0, m.start() - 1)] == "除":
            continue
        n = cn_to_int(m.group(2) or m.group(3)) if (m.group(2) or m.group(3)) else prov.para - 1
        target = f"{prov.article_id}/{n}"
        if n < 1 or n == prov.para or not corpus.penalties_for(target):
            continue
        doc = corpus.documents[prov.doc_key]
        lead = prov.text[:m.start()].rstrip("，, ")
        subject = _subject(lead)
        out.append(Entry(id=prov.id, penalty_id=target, article_id=prov.article_id, doc_key=prov.doc_key,
                         subject=subject, actors=actors_in(subject) or actors_in(lead), conduct=lead, label="",
                         obligations=_obligations(corpus, prov.doc_key, prov.text),
                         sector=_sector(prov.doc_key, prov.text), rank=RANK.get(doc.doc_type, 4),
                         in_force=doc.status != REPEALED))
    return out


def _perpetrators(subject: str) -> tuple[str, ...]:
    """Who commits a crime, when its text opens with them ('国家工作人员利用职务上的便利…'); a text that opens with
    the method or the victim ('以暴力、威胁方法阻碍国家机关工作人员…') names no perpetrator."""
    return () if NO_PERPETRATOR.match(subject) else actors_in(subject)


def catalogue(corpus: Corpus) -> list[Entry]:
    """The catalogue of a corpus, built once per corpus object."""
    cached = getattr(corpus, "_catalogue", None)
    if cached is None:
        cached = build_catalogue(corpus)
        object.__setattr__(corpus, "_catalogue", cached)
    return cached


def unparsed(entries: list[Entry]) -> list[Entry]:
    """Entries whose sanctioned subject could not be named (listed by tests for the mission documents)."""
    return [e for e in entries if not e.actors]


# '本法规定的…行政处罚，由…决定' (建筑法第七十六条, 计量法第三十条): who decides a text's penalties
DECIDES = re.compile(r"(本法|本条例|本办法|本规定)(第[^。]{0,40}条)?规定的[^。]{0,30}行政处罚[^。]{0,4}由[^。]{0,40}(决定|裁决)|"
                     r"行政处罚[^。]{0,4}由[^。]{0,30}(决定|裁决)")


def deciding_articles(corpus: Corpus) -> dict[str, str]:
    """Document key → the article of that text saying which authority decides its penalties (found in the texts;
    the first such article of a document), found once per corpus object."""
    found = getattr(corpus, "_deciding", None)
    if found is None:
        found = {}
        for pid, p in corpus.provisions.items():
            if pid == p.article_id and p.doc_key not in found and DECIDES.search(p.text):
                found[p.doc_key] = pid
        object.__setattr__(corpus, "_deciding", found)
    return found


# '任何单位和个人有权向…部门举报', '部门…接受咨询、投诉、举报': the office a text names to take complaints
COMPLAINT_OFFICE = re.compile(r"有权([^。；]{0,12}向[^。；]{0,30}(部门|机关)[^。；，]{0,6})?(投诉|举报|检举|控告)|"
                              r"(部门|机关)[^。]{0,30}接受[^。]{0,6}(投诉|举报)")


# '…还应当与…其他责任者承担连带责任': who shares a civil liability with the one that caused the damage
SHARED_LIABILITY = re.compile(r"连带(赔偿)?责任")


def complaint_articles(corpus: Corpus) -> list[str]:
    """The articles that name the office taking complaints or reports (found in the texts, in corpus order)."""
    return _articles_saying(corpus, COMPLAINT_OFFICE)


def shared_liability_articles(corpus: Corpus) -> list[str]:
    """The articles that make someone share a civil liability (连带责任), found in the texts."""
    return _articles_saying(corpus, SHARED_LIABILITY)


def _articles_saying(corpus: Corpus, pattern: re.Pattern) -> list[str]:
    """The articles whose text matches `pattern` (repealed texts too: a dated question asks the text of its
    time), in corpus order, found once per corpus object."""
    cache = getattr(corpus, "_saying", None)
    if cache is None:
        cache = {}
        object.__setattr__(corpus, "_saying", cache)
    if pattern.pattern not in cache:
        cache[pattern.pattern] = [pid for pid, p in corpus.provisions.items()
                                  if pid == p.article_id and pattern.search(p.text)]
    return cache[pattern.pattern]

"""Penalty records parsed from provisions that set a sanction: who, how much, which tier, by whom."""

from __future__ import annotations

import re
from dataclasses import replace

from corpus.models import PenaltyRecord, Provision
from corpus.numerals import AMOUNT, cn_to_int, numbered, parse_amount

# the fines a text sets, each `{n}` an amount: a range, an upper or lower bound, an exact sum, a multiple of a base
FINE_RANGE, FINE_MAX, FINE_MIN, FINE_EXACT, MULTIPLE, MULTIPLE_MAX, MULTIPLE_EXACT = (
    numbered(amounts + "(?:的)?罚款", AMOUNT) for amounts in (
        "{n}元以上{n}元以下", r"(?<![上\d]){n}元以下", "{n}元以上", "处{n}元",
        r"(?:处|并处)?([^，；。处]{0,14}?)(等值|" + AMOUNT + r"倍)以上{n}倍以下", r"(?:处|并处)([^，；。处]{2,14}?){n}倍以下",
        r"(?:处|并处)([^，；。处]{2,30}?){n}倍"))  # '并处…应缴纳的保险费的二倍罚款'

AUTHORITY = re.compile(
    r"由((?:县级以上|设区的市级|省级|国务院|上级|有关|其所在|授予)?[^，；。由]{2,40}?(?:部门|机关|机构|主管部门|人民政府))"
    r"(?:依据职责|依照职责|按照职责|按照规定)?(?=责令|处|对|没收|给予|予以|吊销|撤销|取消|依法|依照|按照|，)")
CROSS_REF = re.compile(r"依照(《[^》]+》)?(?:的)?((?:本法|本条例|本办法)?第[^，；。]{1,20}?条)?(?:的)?(?:有关)?规定(?:处罚|给予处罚|予以处罚|执行)?")
DIRECT = ("直接负责的主管人员", "直接责任人员")
ORG = re.compile(r"机构|单位|企业|公司|生产者|销售者|经营者|场所|检验站|检测站")
PERSON = re.compile(r"人员|个人|签字人|检验员|从业者|所有人|驾驶人|警察|使用者")
# sanctions other than fines, named once for the classifying table and the signal that a paragraph sanctions
SEIZE = r"收缴[^，；。]{0,30}(?:证书|号牌|行驶证|驾驶证|标志)"  # 收缴…证书、号牌 (道交法实施条例103)
REVOKE = r"(?<!被)撤销[^，；。资]{0,16}(?:登记|许可|资质认定)(?![^，；。]{0,6}建议)"  # not '被撤销的证书', not a recommendation
ENTRUST = r"约谈[^，；。]{0,6}(?:暂停|取消)|(?:暂停|取消)[^，；。]{0,8}委托"  # 资质认定管理办法29
SANCTIONS: list[tuple[str, re.Pattern]] = [
    ("责令限期改正", re.compile(r"责令限期改正")),
    ("责令改正", re.compile(r"责令(?!限期)改正")),
    ("警告", re.compile(r"警告")),
    ("通报批评", re.compile(r"通报批评")),
    ("没收违法所得", re.compile(r"没收违法所得")),
    ("没收", re.compile(r"没收(?!违法所得)")),
    ("暂停", re.compile(r"暂停(?![^，；。]{0,6}取消委托)")),
    ("责令停业整顿", re.compile(r"停业整顿")),
    ("责令停产停业", re.compile(r"停产停业|停止生产")),
    ("责令停业", re.compile(r"责令停业(?!整顿)")),
    ("责令关闭", re.compile(r"(?:停业、|责令)关闭")),
    ("降低资质等级", re.compile(r"降低资质等级")),
    ("吊销驾驶证", re.compile(r"吊销[^，；。]{0,8}驾驶证")),
    ("暂扣驾驶证", re.compile(r"暂扣[^，；。]{0,8}驾驶证")),
    ("扣留车辆", re.compile(r"扣留(?:机动)?车辆")),
    ("责令停止使用", re.compile(r"责令停止使用")),
    ("吊销资质", re.compile(r"吊销[^，；。]{0,16}(?:资质|许可|证书|执照|证照)")),
    ("吊销资格", re.compile(r"吊销[^，；。]{0,16}资格")),
    ("撤销资格", re.compile(r"撤销[^，；。]{0,16}资格")),
    ("取消资格", re.compile(r"取消[^，；。]{0,16}资格")),
    ("禁止从业", re.compile(r"禁止从事|不得从事")),
    ("停止执业", re.compile(r"停止执业")),
    ("行政拘留", re.compile(r"日以下拘留")),
    ("不予受理或者不予许可", re.compile(r"不予(?:受理|(?:行政)?许可)")),  # 资质认定管理办法33, 行政许可法78
    ("不得再次申请", re.compile(r"不得再次申请|年内不得申请")),
    ("依法给予处分", re.compile(r"给予[^，；。罚]{0,12}处分")),  # 行政处分, 降级或者撤职的处分, 记大过处分
    ("依法给予行政处罚", re.compile(r"依法给予行政处罚")),
    # the paragraph's only sanction, by the body it names under that body's own law (法典1126); beside a
    # sanction of its own it is another body's ('构成违反治安管理行为的，由公安机关依法予以处罚'): see _own_sanctions
    ("依法予以处罚", re.compile(r"(?<!除)依法(?:予以|给予)处罚(?!外)")),
    ("收缴证照", re.compile(SEIZE)),
    ("撤销登记或者许可", re.compile(REVOKE)),
    ("约谈、暂停或者取消委托", re.compile(ENTRUST)),
    ("依法处理", re.compile(r"依法予以处理")),
    ("追究刑事责任", re.compile(r"追究刑事责任|移送(?:公安|司法)")),
    ("依照有关规定处罚", re.compile(r"依照[^，；。]{0,90}规定(?:给予|予以)?处罚")),
]
SANCTION_SIGNAL = re.compile(r"罚款|责令停业|(?:给予|予以)(?:行政)?处罚|给予[^，；。罚]{0,12}处分|予以处理|移送公安|吊销|"
                             r"撤销[^，；。]{0,16}资格|没收|有期徒刑|通报批评|警告|禁止从事|停业整顿|取消[^，；。]{0,16}资格|"
                             r"追究刑事责任|暂扣[^，；。]{0,8}驾驶证|扣留(?:机动)?车辆|不予受理或者不予(?:行政)?许可|"
                             r"责令关闭|日以下拘留|" f"{SEIZE}|{REVOKE}|{ENTRUST}")
# in a 法律责任/罚则 chapter an order to correct is a sanction too ('责令限期改正；逾期不改正的，…公示')
CHAPTER_SIGNAL = re.compile(r"责令(?:限期)?改正|责令停止使用")
LISTED = re.compile(r"的[，,]")  # the end of one listed conduct
# what a sanction part opens with ('责令改正', '处…罚款', '由…没收', '没收…'): not one more conduct
SANCTION_START = re.compile(r"(?:由|对|并|处|除|责令|没收|吊销|给予|予以|依照|按照|可以|情节)|[^，]*由[^，；。]{0,30}(?:部门|机关|机构)")
MITIGATE = re.compile(r"从轻或者减轻(?:行政)?处罚")
EXEMPT = re.compile(r"不予(?:行政)?处罚")
TIER_WORDS = [("逾期未改正", "逾期未改正"), ("逾期不改正", "逾期未改正"), ("拒不改正", "拒不改正"),
              ("情节特别严重", "情节特别严重"), ("情节严重", "情节严重"), ("情节较轻", "情节较轻"),
              ("情节轻微", "情节较轻"), ("构成犯罪", "构成犯罪"), ("触犯刑律", "构成犯罪"),
              ("造成严重后果", "造成严重后果")]
PENALTY_CHAPTER = ("法律责任", "罚则", "处理")


def target_of(phrase: str) -> str | None:
    """'直接负责的主管人员和其他直接责任人员' → 直接责任人员; '机构' → 机构; '检验检测人员' → 个人."""
    if any(w in phrase for w in DIRECT):
        return "直接责任人员"
    if re.search(r"(?:机构|单位|企业|公司)(?:中)?的[^，；]{0,12}人员", phrase):
        return "个人"
    if ORG.search(phrase):
        return "机构"
    if PERSON.search(phrase):
        return "个人"
    return None


def _amount(text: str) -> float | None:
    try:
        return parse_amount(text)
    except ValueError:
        return None


def _multiple(text: str) -> float | None:
    if text == "等值":
        return 1.0
    text = text.removesuffix("倍")
    try:
        return float(text) if re.fullmatch(r"[\d.]+", text) else float(cn_to_int(text))
    except ValueError:
        return None


def _clean_base(base: str) -> str:
    base = re.sub(r"^(?:并处|处|对其|对|按)", "", base.strip())
    return base.removesuffix("的").strip() or "基数"


def split_conduct(text: str) -> tuple[str, str]:
    """A paragraph → (conduct clause, sanction part). The conduct ends at the first '的，' or '的：' — or, when
    several conducts are listed one after another ('伪造产品产地的，伪造或者冒用他人厂名、厂址的，…的，责令改正'), at
    the last of them before the sanction."""
    m = re.search(r"的[，,：:]", text)
    if not m or not (SANCTION_SIGNAL.search(text[m.end():]) or CHAPTER_SIGNAL.search(text[m.end():])):
        return "", text
    while m.group(0)[-1] in "，," and (n := LISTED.search(text, m.end())) is not None \
            and not re.search(r"[；;。：:]|应当", between := text[m.end():n.start()]) \
            and not SANCTION_SIGNAL.search(between) and not CHAPTER_SIGNAL.search(between) \
            and not SANCTION_START.match(between) and SANCTION_SIGNAL.search(text[n.end():]):
        m = n  # the next clause is one more conduct, not the sanction or a graver case
    conduct = re.sub(r"^违反本(?:法|条例|办法|规定)(?:规定)?[，,]", "", text[: m.start() + 1])
    return conduct, text[m.end():]


def _subject_target(conduct: str) -> str | None:
    """The target a conduct clause names as its doer ('房屋建筑使用者在装修过程中…' → 个人), if any."""
    subject = re.split(r"有下列|出具|未|不|违反|伪造|同时|对", conduct, maxsplit=1)[0] or conduct
    return target_of(subject) or target_of(conduct)


def _default_target(conduct: str) -> str:
    return _subject_target(conduct) or "机构"


def parse_paragraph(prov: Provision, items: list[Provision] | None = None, chapter_required: bool = True
                    ) -> list[PenaltyRecord]:
    """Penalty records for one paragraph (款) provision."""
    items = items or []
    lead = prov.text.split("\n", 1)[0] if items else prov.text
    if MITIGATE.search(lead) or (EXEMPT.search(lead) and "罚款" not in lead):
        return _mitigation(prov, lead, items)
    if "有期徒刑" in lead or "拘役" in lead:
        return _criminal(prov, lead, items)
    in_chapter = bool(prov.chapter) and any(w in prov.chapter for w in PENALTY_CHAPTER)
    if not (SANCTION_SIGNAL.search(lead) or (in_chapter and CHAPTER_SIGNAL.search(lead))):
        return []
    if chapter_required and prov.chapter and not in_chapter:
        return []
    if items and TIER_LIST.search(lead) and all(FINE_RANGE.search(compact(i.text)) for i in items):
        return _tier_items(prov, lead, items)
    conduct, sanction_text = split_conduct(lead)
    authority_m = AUTHORITY.search(lead)
    records = _Records(prov, lead, conduct, items, authority_m.group(1) if authority_m else "", _cross_refs(lead))
    default = _default_target(conduct) if conduct else "机构"
    if default == "个人" and any(w in sanction_text for w in DIRECT):
        default = "机构"  # only a unit has 直接负责的主管人员 ('…阻挠执法人员…的，处…；对直接负责的主管人员…')
    for full_stop in re.split(r"。", compact(sanction_text)):
        base = _sentence_subject(full_stop, default)
        for n, sentence in enumerate(re.split(r"[；;]", full_stop)):
            # each clause starts from the subject of its sentence; the first from the paragraph's subject
            _parse_clause(sentence, default if n == 0 else base, records, _own_conduct(sentence) if n else "")
    return _unsplit_ranges(lead, _own_sanctions([r for r in records.records.values() if r.has_fine or r.sanctions]))


def _unsplit_ranges(lead: str, records: list[PenaltyRecord]) -> list[PenaltyRecord]:
    """A paragraph that sets more fine ranges than its records hold ('有前款第一项…的，处…；有前款第二项…的，处…',
    '对企业事业单位处…，对其他生产经营者处…', by the class of an accident) is not yet split by case: no record shows
    one of its ranges as if it were the whole paragraph's — the fine is named and the article's own words decide."""
    in_text = {m.group(0) for m in FINE_RANGE.finditer(compact(lead))}
    held = {(r.fine_min, r.fine_max) for r in records if r.fine_min is not None and r.fine_max is not None}
    if len(in_text) <= len(held):
        return records
    for r in records:
        if r.fine_min is not None or r.fine_max is not None:
            r.fine_min = r.fine_max = None
            r.fine_note = ""
            if "罚款" not in r.sanctions:
                r.sanctions.append("罚款")
    return records


def _own_sanctions(records: list[PenaltyRecord]) -> list[PenaltyRecord]:
    """'依法予以处罚' beside the paragraph's own sanctions is another body's (the police's for a breach of public
    order), not one of them."""
    if not any(r.has_fine or set(r.sanctions) - {DEFERRED} for r in records):
        return records
    out = []
    for r in records:
        if DEFERRED in r.sanctions:
            r = replace(r, sanctions=[x for x in r.sanctions if x != DEFERRED])
        if r.has_fine or r.sanctions:
            out.append(r)
    return out


DEFERRED = "依法予以处罚"


# '发生事故，对负有责任的单位…依照下列规定处以罚款：（一）发生一般事故，处十万元以上二十万元以下罚款；…': the
# items are the grades of one conduct, each with its own range
TIER_LIST = re.compile(r"(?:依照|按照)下列规定(?:处以|处)?罚款[：:]?$")


def _tier_items(prov: Provision, lead: str, items: list[Provision]) -> list[PenaltyRecord]:
    """One record per item of a list of graded fines, filed under the item (its grade is its conduct)."""
    head = TIER_LIST.sub("", lead).rstrip("，,：: ")
    target = next((t for seg in re.split(r"[，,]", head) if (t := _explicit_target(seg))), None) or "机构"
    authority = AUTHORITY.search(lead)
    out = []
    for item in items:
        grade = re.sub(r"^[（(][^）)]+[）)]", "", compact(item.text)).split("，处", 1)[0]
        rec = PenaltyRecord(provision_id=item.id, target=target, conduct=f"{head}（{grade}）",
                            authority=authority.group(1) if authority else "", source_text=f"{lead}{item.text}")
        _fines(compact(item.text), rec)
        out.append(rec)
    return out


def _cross_refs(lead: str) -> list[str]:
    """The texts a paragraph defers to ('依照《…》第…条的规定处罚', '有规定的，从其规定')."""
    cross = [_cross_label(m) for m in CROSS_REF.finditer(lead)]
    if m := re.search(r"[^，；。]*(?:有|另有)(?:行政处罚)?规定的，依照[^，；。]{0,30}?(?:执行|处罚|处理)", lead):
        cross.append(m.group(0))
    if "从其规定" in lead:
        clause = re.search(r"[^，；。]*(?:有规定|另有规定)的，(?:依照其规定|从其规定)", lead)
        cross.append(clause.group(0) if clause else "从其规定")
    return cross


class _Records:
    """A paragraph's records, one per (target, tier, sub-conduct), in the order first met."""

    def __init__(self, prov: Provision, lead: str, conduct: str, items: list[Provision], authority: str,
                 cross: list[str]) -> None:
        self.prov, self.lead, self.conduct, self.items = prov, lead, conduct, items
        self.authority, self.cross = authority, list(dict.fromkeys(cross))
        self.records: dict[tuple[str, str, str], PenaltyRecord] = {}
        self.seen_targets: list[str] = []

    def __call__(self, target: str, tier: str, sub: str = "") -> PenaltyRecord:
        if target not in self.seen_targets:
            self.seen_targets.append(target)
        key = (target, tier, sub)
        if key not in self.records:
            self.records[key] = PenaltyRecord(
                provision_id=self.prov.id, target=target, tier=tier, conduct=sub or self.conduct.strip("，,："),
                conduct_refs=[] if sub else [i.id for i in self.items], authority=self.authority,
                cross_refs=list(self.cross), source_text=self.lead)
        return self.records[key]


# '…处50万元以上100万元以下的罚款；房屋建筑使用者在装修过程中擅自变动…的，责令改正，处5万元…': a later clause that
# names a conduct of its own (not a graver case of the first: 情节严重的, 逾期未改正的) is a sub-conduct
OWN_CONDUCT = re.compile(r"^([^，,：:]{8,80}的)[，,]")


# a clause's condition on the same conduct (its value, gains, consequence, type, or no other rule), not a new one
CONDITION_START = re.compile(r"^(有|对|由|依照|按照|前款|本条|其|违法|货值|没有|法律|法规|规章|造成|导致|致使|报批|限期|"
                             r"情节|逾期|拒不|单位|个人)")


def _own_conduct(sentence: str) -> str:
    m = OWN_CONDUCT.match(sentence)
    if m is None or any(word in m.group(1) for word, _ in TIER_WORDS) or _explicit_target(m.group(1)) \
            or not _has_fine(sentence[m.end():]) or CONDITION_START.match(m.group(1)):
        return ""
    return m.group(1)


def _parse_clause(sentence: str, target: str, record: _Records, own: str = "") -> None:
    """One clause (between semicolons): its segments set the target and tier and add fines and sanctions;
    `own`: the conduct the clause names of its own (a record apart)."""
    tier, condition = "基本", ""
    fined = record.records.get((target, tier, ""))
    sub = own if fined is not None and fined.has_fine else ""  # a second fine for another conduct: no overwrite
    if sub:  # its own doer ('房屋建筑使用者…'), when its words name one
        target = _subject_target(sub) or target
    for seg in re.split(r"[，,：:]", sentence):
        if not seg or CROSS_CONDITION.search(seg):
            continue  # '法律、法规对撤销、吊销…有规定的' names another text's sanctions, not this one's
        tier = next((name for word, name in TIER_WORDS if word in seg), tier)
        if t := _explicit_target(seg):
            target = t
            # 对出具不实检验检测报告的检验检测机构处… names a sub-conduct of its own
            m = TARGET_PHRASE.search(seg)
            sm = re.match(r"^(.{2,30}?)的(?:检验检测)?(?:机构|单位|人员)", m.group(1)) if m else None
            sub = sm.group(1) if sm and not sm.group(1).startswith(("直接", "其")) else ""
        if _has_fine(seg):
            _fines(seg, record(target, tier, sub), condition)
        condition = seg if seg.endswith("的") and not _has_fine(seg) else ""
        for part_target, names in _sanctions(seg, target, record.seen_targets):
            if "行政拘留" in names and part_target == "机构":  # only a person can be detained
                names = [n for n in names if n != "行政拘留"]
                person = "直接责任人员" if "直接责任人员" in record.seen_targets else "个人"
                detain = record(person, tier, "")
                if "行政拘留" not in detain.sanctions:
                    detain.sanctions.append("行政拘留")
                if not names:
                    continue
            rec = record(part_target, tier, sub if part_target == target else "")
            rec.sanctions.extend(n for n in names if n not in rec.sanctions)


CROSS_CONDITION = re.compile(r"^(?:法律|法规|规章|法律、(?:行政)?法规)[^，；]{0,40}(?:有|另有)(?:行政处罚)?规定的$")
TARGET_PHRASE = re.compile(r"(?:^|[^反应])对(?:其)?([^处给没予依吊撤罚]{1,40})")


def _sentence_subject(sentence: str, default: str) -> str:
    """Who the clauses of a sentence punish: its first explicit target, unless a sanction came first."""
    for seg in re.split(r"[，,：:；;]", sentence):
        if t := _explicit_target(seg):
            return t
        if _has_fine(seg) or any(pat.search(seg) for _, pat in SANCTIONS):
            return default
    return default


def _explicit_target(seg: str) -> str | None:
    """'对直接负责的主管人员和其他直接责任人员处…' → 直接责任人员; None when the segment names no target."""
    m = TARGET_PHRASE.search(seg)
    if m and not any(w in m.group(1) for w in DIRECT) and re.search(r"负责人|法定代表人", m.group(1)):
        return "个人"  # '对单位处…；对主要负责人处…': the second range is the person's, not the unit's again
    return target_of(m.group(1)) if m else None


# labels that stand for a family of sanctions: an answer shows the text's own words ('吊销营业执照', not '吊销资质')
IN_OWN_WORDS = {"吊销资质": re.compile(r"吊销[^，；。]{0,16}(?:资质|许可|证书|执照|证照)(?:证书|证)?"),
                # (not across the body's own part: '吊销机构资质和有关人员的资格' says the persons' part as 吊销资格)
                "吊销资格": re.compile(r"吊销[^，；。资]{0,16}资格"), "撤销资格": re.compile(r"撤销[^，；。资]{0,16}资格"),
                "取消资格": re.compile(r"取消[^，；。资]{0,16}资格"),
                "责令停产停业": re.compile(r"(?:责令)?(?:停产停业|停止生产(?:、销售|、经营)?)"),
                "禁止从业": re.compile(r"(?:终身)?(?:禁止从事|不得从事)[^，；。]{0,20}"),
                "没收": re.compile(r"没收(?!违法所得)[^，；。]{0,24}"),
                "不得再次申请": re.compile(r"[^，；。]{0,12}年内不得(?:再次)?申请[^，；。]{0,30}"),
                "收缴证照": re.compile(r"收缴[^；。]{0,40}(?:证书|号牌|行驶证|驾驶证|标志)"),
                "撤销登记或者许可": re.compile(r"撤销[^，；。资]{0,30}(?:登记|许可|资质认定)(?:证)?"),
                "约谈、暂停或者取消委托": re.compile(r"(?:约谈、)?暂停[^，；。]{0,4}取消委托[^，；。]{0,12}")}


def wording(label: str, text: str) -> str:
    """A sanction as its text says it: for a family label the words found in the provision text, else the label."""
    pattern = IN_OWN_WORDS.get(label)
    m = pattern.search(compact(text)) if pattern else None
    if m is None:
        return label
    said = m.group(0)
    return f"责令{said}" if label.startswith("责令") and not said.startswith("责令") else said


def compact(text: str) -> str:
    """Drop stray spaces inside Chinese text ('一万元 以上' → '一万元以上') and a definition in brackets that holds a
    comma ('产品（包括已售出和未售出的产品，下同）货值金额': the comma would split the fine's base)."""
    return re.sub(r"[（(][^（）()]*，[^（）()]*下同[）)]", "", re.sub(r"\s+", "", text))


def _sanctions(seg: str, target: str, seen: list[str]) -> list[tuple[str, list[str]]]:
    """Sanction names in a segment, per target; '吊销机构资质和有关人员的资格' splits between targets."""
    names = [name for name, pat in SANCTIONS if pat.search(seg)]
    if "没收违法所得" in names and "没收" in names:
        names.remove("没收")
    if not names:
        return []
    if not (ORG.search(seg) and PERSON.search(seg)):
        return [(target, names)]
    verb = re.search(r"吊销|撤销|取消", seg)
    out = []
    for part in re.split(r"和|及|以及", seg):
        t = target_of(part) or target
        if t == "个人" and "直接责任人员" in seen:
            t = "直接责任人员"
        part_names = [n for n, pat in SANCTIONS if pat.search(part)]
        if not part_names and verb and "资格" in part:
            part_names = [f"{verb.group(0)}资格"]
        if part_names:
            out.append((t, part_names))
    return out or [(target, names)]


def _has_fine(seg: str) -> bool:
    return "罚款" in seg


def _fines(seg: str, rec: PenaltyRecord, condition: str = "") -> None:
    if rec.multiple_max is not None and (m := FINE_RANGE.search(seg)):
        # '…并处检验费用五倍以上十倍以下罚款，检验费用不足一万元的，并处五万元以上十万元以下罚款'
        rec.fine_min, rec.fine_max, rec.fine_note = _amount(m.group(1)), _amount(m.group(2)), condition
        return
    if m := MULTIPLE.search(seg):
        rec.multiple_min, rec.multiple_max = _multiple(m.group(2)), _multiple(m.group(3))
        rec.multiple_base = _clean_base(m.group(1))
    elif m := MULTIPLE_MAX.search(seg):
        rec.multiple_max, rec.multiple_base = _multiple(m.group(2)), _clean_base(m.group(1))
    elif m := FINE_RANGE.search(seg):
        rec.fine_min, rec.fine_max = _amount(m.group(1)), _amount(m.group(2))
        rec.fine_note = rec.fine_note or condition
    elif m := FINE_MAX.search(seg):
        rec.fine_max = _amount(m.group(1))
    elif m := FINE_MIN.search(seg):
        rec.fine_min = _amount(m.group(1))
    elif m := FINE_EXACT.search(seg):
        rec.fine_min = rec.fine_max = _amount(m.group(1))
    elif m := MULTIPLE_EXACT.search(seg):
        rec.multiple_min = rec.multiple_max = _multiple(m.group(2))
        rec.multiple_base = _clean_base(m.group(1))
    elif not rec.has_fine and "罚款" not in rec.sanctions:
        rec.sanctions.append("罚款")  # '可以并处罚款': a fine whose amount the text does not set


def _cross_label(m: re.Match) -> str:
    return m.group(0)


CRIME = re.compile(r"处([^，；。]{0,12}(?:有期徒刑|拘役|管制)[^；。]*)")


def _criminal(prov: Provision, lead: str, items: list[Provision]) -> list[PenaltyRecord]:
    """刑法-style provisions: one record per sentence ('情节严重的，处五年以下有期徒刑或者拘役，并处罚金')."""
    out: list[PenaltyRecord] = []
    conduct = re.split(r"[，；]", lead, maxsplit=1)[0]
    for sentence in re.split(r"[；。]", compact(lead)):
        m = CRIME.search(sentence)
        if not m:
            continue
        tier = next((name for word, name in TIER_WORDS if word in sentence), "基本")
        if "有下列情形之一" in sentence:
            tier = "加重（所列情形）"
        target = "单位" if sentence.startswith("单位") else "个人"
        out.append(PenaltyRecord(provision_id=prov.id, target=target, tier=tier, kind="刑罚", conduct=conduct,
                                 conduct_refs=[i.id for i in items] if "下列" in sentence else [],
                                 sanctions=[m.group(1)], source_text=lead))
    return out


def _mitigation(prov: Provision, lead: str, items: list[Provision]) -> list[PenaltyRecord]:
    kind = "从轻减轻" if MITIGATE.search(lead) else "不予处罚"
    return [PenaltyRecord(provision_id=prov.id, target="当事人", tier="基本", kind=kind,
                          conduct=lead.strip("：:"), conduct_refs=[i.id for i in items], source_text=lead)]


def parse_provisions(provisions: list[Provision]) -> list[PenaltyRecord]:
    """All penalty records of a document's provisions (paragraph level)."""
    items_of: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.kind == "item":
            items_of.setdefault(p.id.rsplit("/", 1)[0], []).append(p)
    # Only documents with a 法律责任/罚则 chapter confine sanctions to it (资质认定管理办法 has none).
    has_chapters = any(any(w in p.chapter for w in PENALTY_CHAPTER) for p in provisions if p.kind == "paragraph")
    out: list[PenaltyRecord] = []
    for p in provisions:
        if p.kind == "paragraph":
            out.extend(parse_paragraph(p, items_of.get(p.id), chapter_required=has_chapters))
    return out

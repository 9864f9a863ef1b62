"""Question understanding: normalise colloquial wording, detect intent and fill slots."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from corpus.asks import OLD_VERSION, PENALTY_ASK, PLAN_NAMED, TEXT_YEAR, alternatives
from corpus.conduct import OFFICIAL
from corpus.knowledge import ask_words
from index.expand import expand, in_context, primary_sector, statutory_negation

MAX_QUESTION = 2000

def _conduct_words() -> dict[str, tuple[str, ...]]:
    from corpus.knowledge import thesaurus

    out: dict[str, tuple[str, ...]] = {}
    for t in thesaurus():
        if t.conduct:
            out[t.conduct] = out.get(t.conduct, ()) + t.words
    return out


def _grave_conducts() -> tuple[str, ...]:
    from corpus.knowledge import thesaurus

    return tuple(t.conduct for t in thesaurus() if t.conduct and t.grave)


def _conduct_sectors() -> dict[str, tuple[str, ...]]:
    """Conduct label → the sectors it is scoped to (empty: any)."""
    from corpus.knowledge import thesaurus

    return {t.conduct: t.sectors for t in thesaurus() if t.conduct}


def _conduct_actors(field: str) -> dict[str, str]:
    """Conduct label → an actor the thesaurus gives it (entries with both): `actor`, the one its everyday words
    imply; `teller`, who did it when an outside body was told to."""
    from corpus.knowledge import thesaurus

    return {t.conduct: getattr(t, field) for t in thesaurus() if t.conduct and getattr(t, field)}


CONDUCT_WORDS = _conduct_words()  # corpus/data/thesaurus.yaml (entries with a conduct label)
CONDUCT_ACTORS = _conduct_actors("actor")
CONDUCT_TELLERS = _conduct_actors("teller")
CONDUCT_SECTORS = _conduct_sectors()
GRAVE_WORDS = {c: CONDUCT_WORDS[c] for c in _grave_conducts()}
# a grave conduct the facts deny ('尚无证据显示其篡改数据') is no fact
GRAVE_DENIED = re.compile(r"(没有|不是|并非|并未|无|未|暂无|尚无)[^，。；]{0,10}(故意|主观)?(造假|伪造|篡改|编造|弄虚作假)")
# the asked part of a question ('…算不算虚假报告？'): a grave word there is what is asked, not a fact
ASKED_CLAUSE = re.compile(r"(算不算|是不是|算是|属于|属不属于|构成|认定为|视为|还是)[^，。；]*$|[^，。；？]*[？?吗]$")

ACTOR_WORDS = list(ask_words().targets.items())  # corpus/data/asks.yaml targets, in the order tried

INTENT_PATTERNS: list[tuple[str, re.Pattern]] = [  # corpus/data/asks.yaml intents, in the order tried
    (name, re.compile("|".join(words))) for name, words in ask_words().intents.items()
]

FOLLOW_UP = re.compile(
    f"^({alternatives('follow_up')})|呢[？?]?$|"
    r"^(对)?(直接)?责任人员|^这种|^这个|^上述|^该")
AGGRAVATED = re.compile(alternatives("aggravated"))
RELATIVE_YEAR = {"今年": 0, "去年": -1, "前年": -2}
DATE = re.compile(r"(20\d{2}|19\d{2})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?")


@dataclass
class Understanding:
    """What the question asks, with the slots it fills."""

    raw: str
    text: str  # cleaned question
    expanded: str  # with statutory synonyms appended, for retrieval
    intent: str
    intents: list[str] = field(default_factory=list)
    sector: str | None = None
    conduct: str | None = None
    actor: str | None = None
    aggravated: bool = False
    conduct_date: str | None = None  # YYYY-MM-DD
    version_hint: str | None = None
    follow_up: bool = False
    truncated: bool = False
    empty: bool = False
    who: str | None = None  # the actor (actors.yaml) who did the conduct, not the asker
    focus: str = ""  # in facts naming several parties, the sentences about the one asked about (expanded)
    asker: str | None = None  # 'authority' when an officer describes someone else's conduct
    script: str = "simplified"  # 'traditional' when the question was written in 繁體

    def slots(self) -> dict:
        return {k: v for k, v in {
            "sector": self.sector, "conduct": self.conduct, "actor": self.actor, "aggravated": self.aggravated or None,
            "conduct_date": self.conduct_date, "version": self.version_hint, "who": self.who,
            "asker": self.asker}.items() if v}


def clean(text: str) -> tuple[str, bool]:
    """Drop control characters and invalid surrogates, collapse spaces, cap the length."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUESTION
    return text[:MAX_QUESTION], truncated


def _first(words: dict[str, tuple[str, ...]], text: str, skip: Callable[[str], bool] = lambda _: False) -> str | None:
    """The name whose word (a regular expression, as in the thesaurus) occurs first in the text; at the same
    place the longer match, the more specific words ('没资质…做维保' over '没资质') (`skip`: names not to consider)."""
    best, pos = None, (len(text) + 1, 0)
    for name, ws in words.items():
        if skip(name):
            continue
        for w in ws:
            m = _pattern(w).search(text)
            if m is not None and (m.start(), -len(m.group(0))) < pos:
                best, pos = name, (m.start(), -len(m.group(0)))
    return best


@functools.cache
def _pattern(word: str) -> re.Pattern:
    return re.compile(word)


def detect_sector(text: str) -> str | None:
    return primary_sector(text)


def detect_conduct(text: str) -> str | None:
    """The conduct named first; a forged or proxy signature is a false report (监督管理办法15(五)), whichever
    word comes first ('授权签字人那栏是别人冒签的')."""
    # a conduct of another sector's words does not count ('车年检过期还在开' is no use of uninspected equipment;
    # a missing food-trade licence is no unlicensed making of equipment, but still working without a licence)
    def foreign(c: str) -> bool:
        return not in_context(text, CONDUCT_SECTORS.get(c, ()))
    conduct = _first(CONDUCT_WORDS, text, foreign) or _first(CONDUCT_WORDS, statutory_negation(text)[0], foreign)
    if conduct is not None and conduct not in GRAVE_WORDS and (grave := _grave_in_facts(text)):
        return grave  # '分包给B公司，B公司编造检测数据出报告': the fraud, not the subcontracting
    if conduct == "虚假报告" and _names("逃避监管排放", text) and not foreign("逃避监管排放"):
        return "逃避监管排放"  # faked monitoring that hid a discharge: 篡改、伪造监测数据 as a way to discharge
    if conduct == "分包签发" and _names("未办变更", text):
        return "未办变更"  # '授权签字人调走了没办变更': the lapse is the change, not the signing
    if conduct == "分包签发" and re.search(r"伪造|代签|冒签|假签|冒名", text):
        return "虚假报告"
    if conduct != "拒绝检查" and re.search(r"检查(时|中|期间)", text) and _names("拒绝检查", text):
        return "拒绝检查"  # deceiving or stonewalling an inspection is obstruction, whatever else is named
    if conduct is None and re.search(r"(没|未|不)[^，。；？]{0,12}(取样|送检)", text):
        return "未送检"  # '钢筋进场没取样送检'
    if conduct is None and re.search(r"(没|不|未)(按|依|遵守)(照)?[^，。；？]{0,6}(技术规范|规范|标准)(来|的要求|要求)?(检验|检测|进行|做|来|，|。|$)", text):
        return "减少检验项目"  # '不依照技术规范检测': the procedure the inspection must follow
    if conduct is None and re.search(r"(拒绝|拒不|不肯|不让|不)(配合|接受)[^，。；？]{0,4}检查", text):
        return "拒绝检查"  # '不肯配合执法检查'
    return conduct


def _names(conduct: str, text: str) -> bool:
    """Whether the text names the conduct by one of its thesaurus words (regular expressions)."""
    return _first({conduct: CONDUCT_WORDS[conduct]}, text) is not None


def _grave_in_facts(text: str) -> str | None:
    """A grave conduct the facts (not the asked clause) name."""
    for clause in re.split(r"(?<=[，。；？?！!])", text):
        if ASKED_CLAUSE.search(clause) or GRAVE_DENIED.search(clause):
            continue
        if (grave := _first(GRAVE_WORDS, clause)) is not None:
            return grave
    return None


def detect_actor(text: str) -> str | None:
    for name, ws in ACTOR_WORDS:
        if any(w in text for w in ws):
            if name == "个人" and re.search(r"机构|公司|单位|检测站", text) and not re.search(r"对.{0,6}(人员|个人)", text):
                return "机构"
            return name
    return None


def detect_date(text: str, today: date | None = None) -> str | None:
    today = today or date.today()
    if m := DATE.search(TEXT_YEAR.sub("", text)):
        y, mo, d = int(m.group(1)), int(m.group(2) or 6), int(m.group(3) or 15)
        try:
            return date(y, max(1, min(mo, 12)), max(1, min(d, 28))).isoformat()
        except ValueError:
            return None
    for word, delta in RELATIVE_YEAR.items():
        if word in text:
            return date(today.year + delta, 6, 30).isoformat()
    return None


ASKER = re.compile(f"({alternatives('asker')}|" r"我(市|县|区|省)[^，。；]{0,12}"
                   f"(局|队|部门)|({alternatives('asker_authority')})" r"[^，。；]{0,8}(部门|局|队|所))"
                   f"[^，。；]{{0,16}}?(在|对|于)?[^，。；]{{0,16}}?({alternatives('inspection')})"
                   f"[^，。；]{{0,6}}?(中|时|过程中|期间)?[，,]?({alternatives('finding')})?")


# an office's staff doing wrong in their own inspection ('执法人员抽查实验室时收了好处') are the actors
MISCONDUCT = re.compile(r"玩忽职守|滥用职权|徇私|私情|人情|放任不管|不予查处|压着不|包庇|收受|索要|索取|收了[^，。；]{0,6}(钱|好处|红包|礼)|"
                        r"(不|没有?|未)(依法)?(移送|移交)|不(把|将)[^，。；]{0,10}(移送|移交)")


def _asking(m: re.Match, text: str) -> bool:
    """An authority's inspection clause names the asker, unless the clause tells of its staff's own misconduct."""
    end = min((i for i in (text.find(p, m.end()) for p in "。；？") if i >= 0), default=len(text))
    return not MISCONDUCT.search(text[m.start():end])


# the authority that finds or punishes ('被交警查到', '市监局会怎么处罚') is neither actor nor asker; '会被罚' keeps
# its 罚 (it asks about the party before it)
ENFORCER = re.compile(f"被(?!罚|处罚)[^，。？；]{{0,10}}?({alternatives('caught')})|"
                      f"({alternatives('enforcer')})[^，。？；]{{0,6}}?(来)?(怎么|如何|会|要|能|可以|应当?)?"
                      f"({alternatives('enforce')})")
# '为/给/替/帮 X' names whom a conduct served, not who did it
# '给县局两个科长送了红包': the one money is given to is the recipient, not who acted
GIVEN_TO = re.compile(r"(给|向|塞给|送给)[^，。？]{0,8}$")
GIFT = re.compile(r"^[^，。？]{0,8}(塞|送|给)了?[^，。？]{0,6}(钱|红包|礼|好处|万|购物卡|现金)")
# '送红包给…所长', '送了五万元现金给…工作人员'
GIFT_TO = re.compile(r"(塞|送)(点|些|了)?[^，。？]{0,6}(钱|红包|好处|礼|购物卡|现金|万|千)[^，。？]{0,4}给[^，。？]{0,8}$")
# '让车管所的人…，私下给了对方三万块': the one named first and paid after is who received, not who acted
PAID_AFTER = re.compile(r"^[^。？]{0,30}(给|送|塞)了?(对方|他|她|人家|他们)[^，。？]{0,8}(钱|现金|万|红包|好处|购物卡)")
BENEFICIARY = re.compile(r"((为|给|替|帮)(了)?|(收|拿|收受|接受)了?)(这家|该|一家|某|其|特种设备|"
                         r"本单位的?|单位的?|公司的?|厂里的?|新来的|新招的|"
                         r"我们(的|家|这)?(好?[几两三四五]个)?|我家|好?[几两三四五]个)?$")
# ('收了检测公司送的钱': the giver; '帮我家两栋楼修锅炉': the one served)
# '受化工厂之托做检测', '受X的委托': the client that engaged someone is not the one who acted
CLIENT = re.compile(r"(受|接受|应)了?(多|几|两|三|一|某|这|该|那)?(家|个|位)?$")  # "受几家化工厂委托": still the client
CLIENT_AFTER = re.compile(r"^的?(委托|邀请|聘请|委派)")
# '抽查那家实验室时…': the one inspected is not the one who acted
INSPECTED = re.compile(r"(?<!被)(检查|抽查|核查|查处|督查|巡查|监督检查)了?$")
# '拼装成客车': what a thing was made into is an object, not who acted
MADE_INTO = re.compile(r"(改装|改造|改|拼装|做|变|当)成(了)?[^，。？]{0,3}$")
# '不让/阻挠/殴打 X': X is the one obstructed (an inspector), not the actor
OBSTRUCTED = re.compile(r"(不让|不许|不准|拒绝|阻挠|阻碍|阻止|拦住|拦着|殴打|推搡|威胁|辱骂|围攻|刁难|欺骗|糊弄|应付|躲着)$")
# '把执法人员挡在门外': shut out by what follows them
OBSTRUCTED_AFTER = re.compile(r"^[^，。？]{0,2}(挡|拦|关|堵|锁|晾)在[^，。？]{0,4}(门外|外面|外头|门口)|^[^，。？]{0,3}(赶走|轰走|轰出|拒之门外)")
# '对该委托单位应当如何处罚': the party the question asks about
# …or the subject of the clause that asks for the penalty ('卖这台锅炉的商家归哪儿监管，怎么处罚')
ASKED_ABOUT = (re.compile(r"对(这家|该|这个|这位|这名|此|其)?([^，。？；]{1,16}?)(应当?|要|该|会)?((怎么|如何|怎样)(罚|处罚|处理|处分|追究|问责)|"
                          r"有?(什么|哪些|啥)(样的)?后果)"),
               # '局里拟对丙公司作出处罚，依据哪条' / '拟处罚丙公司': the party an intended penalty is for
               re.compile(r"(拟|准备|打算|决定)(?:对(?:这家|该|这个|此|其)?)([^，。？；、]{1,16}?)(?:进行|作出|给予|予以|实施)?"
                          r"(?:行政)?处罚(?=[，,。？；、]|$)"),
               re.compile(r"(拟|准备|打算|决定)处罚(?:这家|该|这个)?([^，。？；、]{1,12}?)(?=[，,。？；、]|$)"),
               re.compile(r"(^|[，。？；：])([^，。？；：、]{1,14}?)(这样|这种)?(会被|要被|会|要|该|应当?|算)?(怎么|如何|怎样)?"
                          r"(处罚|罚|归哪|(负|承担|担)(什么|哪些|何种|啥)?(刑事|法律|行政)?责任|追究(什么|哪些|何种|啥)(样的)?(刑事|法律|行政)?责任|"
                          r"犯(了)?什么罪|构成什么罪|"
                          r"(受到|面临)(什么|哪些|何种|啥)(样的)?(处罚|处理))"),
               re.compile(r"(^|[，。？；：])([^，。？；：、]{1,10}?)(这样|这种)?(会被|要被|会|要|该|应当?)(怎么|如何|怎样)(处理|处分)"),
               # 'X的行为应怎样定性': the party whose conduct is to be characterised
               re.compile(r"(^|[，。？；：])(?:对)?(?:这家|该|这个|此|其)?([^，。？；：、]{1,14}?)的?(行为|做法)?(应当?|该|应该)?"
                          r"(如何|怎么|怎样)(定性|认定)"),
               # 'X违反了哪条': the subject of the breach is the party asked about
               re.compile(r"(^|[，。？；：])([^，。？；：、]{1,10}?)(这样做?|这么做|这种做法)?(违反|违背)了?[^，。？]{0,12}(哪|什么|哪些)"),
               # '对X个人，依…可以罚多少': the party named in its own clause before the asked one
               re.compile(r"(^|[，。？；：])对([^，。？；：]{1,16}?)(个人|本人)?[，,][^。？；]{0,20}?"
                          r"(罚多少|罚款多少|(怎么|如何|怎样|能|可以|会|要)(罚|处罚|处理))"),
               # '咱单位会不会挨罚': the asker's own unit is the one asked about
               re.compile(r"(^|[，。？；：])(?:这样做?|那|那么|这么做)?((我们|咱们|我)(的)?(公司|厂|单位|企业))[^，。？]{0,4}"
                          r"(算|是不是|算不算|会不会|有没有)"
                          r"[^，。？]{0,4}(违法|违规|被罚|处罚|责任)"),
               # '…该如何处理这家工厂？': the party named after the verb
               re.compile(r"(怎么|如何|怎样)(?:处罚|罚|处理)(?:这家|该|这个|那家|这些)?([^，。？；：、]{1,8}?)(?=[？?，。；]|$)"))
# '检验机构判定要报废': the party that found a defect or asked for a fix assessed the thing, it
# did not do the conduct
ASSESSED = re.compile(r"^[^，。？]{0,3}(说|认定|判定|认为|要求|建议|指出|提出|下达)(?=[^。？]{0,24}"
                      r"(报废|整改|停用|停止使用|修理|维修|更换|不合格|隐患|超标|修理价值|检验意见))")
# '采样员没去化工厂里': a place gone to, not who acted
PLACE = re.compile(r"(?<![拿送交])(去|到|回|赶到|跑到)(了|过)?[^，。？]{0,8}?(里|那里|那儿)")
APPOSITION = re.compile(r"[（(]([^）)]{2,12})[）)]")  # a role in brackets after a party's name
# a unit named by no role of its own ('厂里', '我们公司'): in a sector's question, that sector's unit (sectors.yaml)
GENERIC_UNIT = re.compile(r"(厂里|厂子|工厂|厂|公司|单位|企业|老板)(里|的)?$")
FACTORY = re.compile(r"(厂里|厂子|工厂|本厂|(我们|咱们?|这个|那个|该)厂)(里)?$")  # a factory named by no role
OWN_UNIT = re.compile(r"^(我们|咱们|我)(的)?(公司|厂|单位|企业)$")  # the asker's own unit, named by no role
MAKERS = ("生产方", "经营方")  # actor families that make or sell (corpus/data/actors.yaml)


def _asked_about(body: str, sector: str | None) -> str | None:
    """The actor named in '对X怎么罚' (the question says whom it asks about), if the words name exactly one that
    fits the question's sector; a generic unit ('厂子要负啥法律责任') is the sector's own unit."""
    for pattern in ASKED_ABOUT:
        for m in pattern.finditer(body):
            named = _named_in(m.group(2), sector) or _labelled(body, m.group(2))
            if sector and any(not _fits(a, sector) for a in named):
                named = {a for a in named if _fits(a, sector)} or _sector_unit(sector, m.group(2))
            elif sector and not named and (FACTORY.search(m.group(2)) or OWN_UNIT.search(m.group(2))):
                named = _sector_unit(sector, m.group(2))
            if len(named) > 1 and (aside := APPOSITION.search(m.group(2))):  # '化工企业（委托方）': the role it gives
                named &= _named_in(aside.group(1), sector)
            if len(named) == 1:
                return _specific_maker(named.pop(), body, sector).name
            if pattern in ASKED_ABOUT[1:3]:
                return None  # the party of an intended penalty is named, by no known role: no later guess
    return None


def _named_in(words: str, sector: str | None) -> set:
    """The actors whose question words (for the sector) occur in these words."""
    from corpus.knowledge import actors

    return {a for a in actors() for w in _words(a, sector) if _pattern(w).search(words)}


FACTS_MIN = 60  # characters of facts below which the whole question is about one party
PARTY = re.compile(r"([甲乙丙丁戊己庚]|[A-Z])(?=[\u4e00-\u9fff])|([\u4e00-\u9fff]某)")  # '乙仓储公司', '李某'
DETERMINERS = re.compile(r"^(对|这家|该|这个|这位|这名|此|其|那家|某)+")


def facts_of_asked(text: str) -> str:
    """In facts that name several parties, the sentences that mention the party the question asks about ('对乙仓储
    公司怎么罚' → the sentences naming 乙): its conduct, not the others'. Empty when no party is asked about, the
    facts are short, or every sentence names it."""
    if len(text) < FACTS_MIN:
        return ""
    asked = next((m for pattern in ASKED_ABOUT for m in pattern.finditer(text)), None)
    if asked is None:
        return ""
    words = DETERMINERS.sub("", asked.group(2).strip())
    label = PARTY.search(words)
    if label is None:
        return ""  # a party named by its role only ('该化工厂'): the facts are about it and its staff
    key = label.group(1) or label.group(2)
    parts = [s for s in re.split(r"(?<=[。；！？\n])", text[:asked.start()]) if s.strip()]
    mine = [s for s in parts if key in s]
    return "".join(mine) if mine and len(mine) < len(parts) else ""


# a party the facts name by a letter or a surname ('乙公司', 'A公司', '王某'): its first mention says its role
LABEL = re.compile(r"([甲乙丙丁戊]|[A-Z](?![A-Za-z]))(?=公司|厂|单位|机构|企业|站|队)|([\u4e00-\u9fff]某)(?![\u4e00-\u9fff]{0,1}(公司|厂|单位|机构|企业))")


def _labelled(body: str, asked: str) -> set:
    """The actor a labelled party asked about ('对丙站…') was introduced as ('丙建材检测站', '化验员孙某')."""
    from corpus.knowledge import actors

    m = LABEL.search(asked)
    if m is None:
        return set()
    label = m.group(1) or m.group(2)
    first = body.find(label)
    if first < 0 or first >= body.find(asked):
        return set()
    # a letter comes before its role ('丙建材检测站'), a surname after it ('化验员孙某')
    span = body[first:first + 10] if m.group(1) else body[max(0, first - 8):first]
    span = re.split(r"[，。？；：、]", span)[0] if m.group(1) else re.split(r"[，。？；：、]", span)[-1]
    found = [(x.start(), x.end(), a) for a in actors() for w in a.question for x in _pattern(w).finditer(span)]
    if not found:
        return set()
    # the role word nearest the label ('实验室化验员孙某': the 化验员)
    near = min(found, key=lambda f: f[0]) if m.group(1) else max(found, key=lambda f: (f[1], f[0]))
    return {near[2]}


def _words(actor, sector: str | None) -> tuple[str, ...]:
    """The words that name an actor in a question of this sector (its generic ones only in its own)."""
    return (*actor.question, *actor.weak) if actor.weak and sector == actor.sector else actor.question


def _fits(actor, sector: str) -> bool:
    """Of no sector, any sector, the question's or the one it is filed under (机动车排放 → 机动车)."""
    from corpus.knowledge import index_sector

    return not actor.sector or actor.any_sector or actor.sector in (sector, index_sector(sector))


def _sector_unit(sector: str, words: str) -> set:
    from corpus.knowledge import actors, sectors

    unit = next((s.unit for s in sectors() if s.name == sector), "")
    return {a for a in actors() if a.name == unit} if unit and GENERIC_UNIT.search(words.strip()) else set()


def _specific_maker(actor, body: str, sector: str | None):
    """A maker or seller of any product asked about ('这个卖家') is the sector's own maker or seller when the
    question names exactly one ('倒卖旧气瓶的…商家': the equipment dealer)."""
    from corpus.knowledge import actors

    if not (actor.any_sector and sector):
        return actor
    own = {a for a in actors() if a.sector == sector and a.family in MAKERS and not a.any_sector
           for w in a.question if _pattern(w).search(body)}
    return own.pop() if len(own) == 1 else actor


def detect_who(text: str) -> tuple[str | None, str | None]:
    """(actor, asker): the actor is named by everyday words once the asker's own clause is removed; among
    several actors the one named last before the first conduct word did it ('物业找的检测公司出了假报告')."""
    from corpus.knowledge import actors, thesaurus

    asker = "authority" if any(_asking(m, text) for m in ASKER.finditer(text)) else None
    body = _without_titles(ENFORCER.sub("，", ASKER.sub(lambda m: "，" if _asking(m, text) else m.group(0), text)))
    sector = primary_sector(body)
    if (target := _asked_about(body, sector)) is not None:
        return target, asker
    conduct_at = min((m.start() for t in thesaurus() if t.conduct for m in [re.search("|".join(t.words), body)] if m),
                     default=len(body))
    best: tuple[bool, bool, int, int, str] | None = None  # (fits the sector, before conduct, position, length, actor)
    found_conduct = conduct_at < len(body)
    found = [(a, m) for a in actors() for w in _words(a, sector) for m in _pattern(w).finditer(body)]
    places = list(PLACE.finditer(body))
    for a, m in found:
        fits = not sector or not a.sector or a.sector == sector or a.any_sector or sector in a.takes_over
        # '小作坊焊压力容器': no food business; '超市卖的韭菜': the food business sells the farm produce
        before = body[max(0, m.start() - 5):m.start()]
        given = (GIVEN_TO.search(body[max(0, m.start() - 12):m.start()]) and GIFT.search(body[m.end():])) \
            or GIFT_TO.search(body[max(0, m.start() - 16):m.start()])
        if BENEFICIARY.search(before) or OBSTRUCTED.search(before) or OBSTRUCTED_AFTER.match(body[m.end():]) \
                or INSPECTED.search(before) or given \
                or any(p.start() < m.start() and m.end() <= p.end() for p in places) \
                or MADE_INTO.search(body[max(0, m.start() - 8):m.start()]) or PAID_AFTER.search(body[m.end():]) \
                or (a.family == "机构" and ASSESSED.search(body[m.end():])) \
                or (CLIENT.search(before) and CLIENT_AFTER.search(body[m.end():])) \
                or _inside(m, found) or _modifies(m, found, body):
            continue  # '为排污单位伪造报告', '帮小区安装电梯': for whom, not who; '分管检测机构的领导': a modifier;
            # '拦着执法人员不让进车间': the one obstructed, not who acted
        # the actor named last before the conduct did it; with no conduct word, the sentence's subject
        # (the first actor named: '使用单位没给作业人员做培训')
        near = m.start() if found_conduct and m.start() < conduct_at else -m.start()
        # an actor named by its own conduct word (玩忽职守) is named at the conduct, not after it
        key = (fits, m.start() <= conduct_at, near, len(m.group(0)), a.name)
        if best is None or key[:4] > best[:4]:
            best = key
    if best is None and re.search(r"(假|虚假|不实|失实|造假|伪造)[^，。？]{0,4}(检验|检测|监测)?报告|出(具)?[^，。？]{0,6}报告", body):
        return "检验检测机构", asker  # a report is issued by an inspection or testing body
    if (knowing := _knowing_official(found, body)) is not None:
        return knowing, asker
    if best is not None and not best[0]:
        # only actors of another sector were named ('厂里' in a food question): none is sure, unless the
        # conduct's own words imply one
        return _implied_actor(body, sector), asker
    return (best[4] if best else _implied_actor(body, sector)), asker


@functools.cache
def _titles() -> re.Pattern | None:
    """The corpus's document titles and aliases of four characters or more, longest first."""
    from corpus.load import load_corpus

    try:
        names = sorted((n for n in load_corpus().alias_index if len(n) >= 4), key=len, reverse=True)
    except (OSError, ValueError):  # no corpus or a broken one: no titles to set aside (its loader reports it)
        return None
    return re.compile("|".join(map(re.escape, names))) if names else None


def _without_titles(text: str) -> str:
    """A text with the documents it names set aside: a statute's title ('…环境监测条例') names a text, not a monitoring body."""
    pattern = _titles()
    return pattern.sub("文件", text) if pattern is not None else text


# '质监科的人明知检测站造假也不查': the official who knows of another's conduct is the one asked about
KNOWING = re.compile(r"^[^，。？]{0,4}(明知|明明知道|早就知道|早知道|知道|发现)")


def _knowing_official(found: list, body: str) -> str | None:
    from assistant.rank import OFFICIALS, _family

    fam = _family()
    for a, m in found:
        end = min((i for i in (body.find(p, m.end()) for p in "。；？") if i >= 0), default=len(body))
        if fam.get(a.name) == OFFICIALS and not _inside(m, found) and \
                (KNOWING.search(body[m.end():]) or MISCONDUCT.search(body[m.end():end])):
            return a.name  # …or whose own misconduct the sentence tells (an officer who kept a case back)
    return None


def _implied_actors() -> tuple[tuple[str, tuple[str, ...], re.Pattern], ...]:
    from corpus.knowledge import thesaurus

    return tuple((t.actor, t.sectors, re.compile("|".join(t.words))) for t in thesaurus() if t.actor)


IMPLIED_ACTORS = _implied_actors()  # corpus/data/thesaurus.yaml terms with an `actor`


def _implied_actor(body: str, sector: str | None) -> str | None:
    """The actor a conduct's everyday words imply when no one is named ('车检过期没去检': the car owner)."""
    return next((actor for actor, sectors, words in IMPLIED_ACTORS
                 if (not sectors or sector in sectors) and words.search(body)), None)


def _modifies(m: re.Match, found: list, body: str) -> bool:
    """Whether the match only qualifies an actor named right after it ('学校的锅炉的维保单位': the 维保单位)."""
    return any(o.start() >= m.end() and re.fullmatch(r"(电梯|锅炉|气瓶|压力容器|起重机|叉车|设备|车辆?|项目|工程)?的", body[m.end():o.start()])
               for _, o in found)


def _inside(m: re.Match, found: list) -> bool:
    """Whether another actor's longer match wraps this one ('分管检测机构的领导' names an official)."""
    return any(o.start() <= m.start() and m.end() <= o.end() and o.end() - o.start() > m.end() - m.start()
               for _, o in found)


def _taken_over(sector: str | None, who: str | None) -> str | None:
    """The actor's own sector when it deals in the goods of the question's sector under its own text (a
    supermarket's vegetables: 食品, not 农产品)."""
    from corpus.knowledge import actors

    return next((a.sector for a in actors() if a.name == who and sector in a.takes_over), sector)


def _implied_sector(who: str | None) -> str | None:
    """The sector an actor implies when the question names none (物业 → 特种设备 only via its elevator word)."""
    from corpus.knowledge import actors

    return next((a.sector for a in actors() if a.name == who and a.sector), None)


def to_simplified(text: str) -> tuple[str, str]:
    """Traditional Chinese → simplified (OpenCC t2s); returns (text, script)."""
    t2s = converter("t2s")
    if t2s is None:
        return text, "simplified"
    simple = t2s(text)
    return simple, ("traditional" if simple != text and sum(a != b for a, b in zip(simple, text, strict=False)) >= 2 else "simplified")


@functools.cache
def converter(config: str) -> Callable[[str], str] | None:
    """An OpenCC conversion ('t2s', 's2t'); None where opencc is not installed."""
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC(config).convert


def _intents(text: str) -> list[str]:
    """The intents a question's words show, in the order tried. A plan word that does not name the plan
    ('…报告报送我局') is no plan question when the question asks how a conduct is punished."""
    intents = [name for name, pat in INTENT_PATTERNS if pat.search(text)]
    if "plan" in intents and "penalty" in intents and not PLAN_NAMED.search(text) and "方案" not in text:
        intents.remove("plan")
    return intents


DUTY_FIRST = re.compile(r"多长时间|多少天|多久|最晚|最迟|(?<![好那这前])几(天|个月)|多少日|有什么义务|有没有义务|义务吗")


BODIES = ("检验检测机构", "检验检测人员")
# a body outside the one who asks it to falsify (an operator, a commissioned lab), not its own staff
TOLD_BODY = re.compile(r"(授意|指使|暗示|明示|让|叫|要求|找|安排|交代|嘱咐|打[了个声]?招呼)[^，。？]{0,12}"
                       r"(运维|第三方|受托|其委托|委托的|检测公司|监测公司|检测机构|监测机构|外包)")


def _own_conduct(conduct: str | None, who: str | None, text: str) -> str | None:
    """An official asked about is sanctioned for his handling of others' conduct: an official's own conduct
    named anywhere ('查到造假却不移送') is what he did; a conduct whose words imply another actor (a lapsed
    elevator still running: its user's) tells the facts, not what he did."""
    if who == OFFICIAL and (own := next((c for c, a in CONDUCT_ACTORS.items() if a == OFFICIAL and c != conduct
                                         and _names(c, text)), None)):
        return own
    other = CONDUCT_ACTORS.get(conduct or "")
    return None if who == OFFICIAL and other and other != who else conduct


def _instigator(conduct: str | None, who: str | None, text: str) -> str | None:
    """A conduct whose thesaurus teller is the client (an operator told to change the readings: 指使) was done by the one who had
    an outside body falsify, not by the body that did as told."""
    teller = CONDUCT_TELLERS.get(conduct or "")
    return teller if teller and who in BODIES and TOLD_BODY.search(text) else who


# '只就某单位隐瞒不报这项行为…': the one conduct of several facts the question asks about
SINGLED_OUT = re.compile(r"(?:^|[，。；：？！]|仅|只|单)(?:就|针对|对于)([^，。？]{2,30}?)(?:这一|这个|该|这种|这项)?"
                         r"(?:行为|违法行为|问题)")


def _singled_out(text: str) -> str | None:
    """The conduct named where the question singles one out of its facts, if the thesaurus knows it; a thing
    singled out ('就压力表的问题') names the conduct of the facts' clauses about that thing."""
    m = SINGLED_OUT.search(text)
    if m is None:
        return None
    if (named := detect_conduct(m.group(1))) is not None:
        return named
    thing = m.group(1).strip("的")
    about = [c for c in re.split(r"[，。；？！]", text[:m.start()]) if len(thing) >= 2 and thing in c]
    return detect_conduct("，".join(about)) if about else None


def understand(question: str, today: date | None = None) -> Understanding:
    text, truncated = clean(question)
    text, script = to_simplified(text)
    who, asker = detect_who(text)
    conduct = _own_conduct(_singled_out(text) or detect_conduct(text), who, text)
    who = _instigator(conduct, who, text)
    expanded = expand(text, conduct)
    intents = _intents(text)
    intent = intents[0] if intents else "legal_basis"
    # "罚多少？依据哪条？" is a penalty question first; "有类似案例吗" is about cases even with 罚 in it
    if "penalty" in intents and intent in ("legal_basis", "fact", "authority"):
        intent = "penalty"
    # …but "吊销资质由哪个机关决定" asks who, and "过了多久就不罚了" asks a fact: the penalty intent holds against
    # those only when the question asks for the penalty itself (an amount, a range, how to punish, the liability)
    if intent == "penalty" and {"fact", "authority"} & set(intents) and not PENALTY_ASK.search(text):
        intent = "authority" if "authority" in intents else "fact"
    # a time limit or duty ('几天内要办') asked before the sanction ('不办会怎样') is asked first
    if intent == "penalty" and (f := DUTY_FIRST.search(text)) and (p := PENALTY_ASK.search(text)) \
            and f.start() < p.start():
        intent = "fact"
    v = OLD_VERSION.search(text)
    sector = _taken_over(detect_sector(text), who) or _implied_sector(who)
    return Understanding(
        raw=question if isinstance(question, str) else repr(question), text=text, expanded=expanded, intent=intent,
        intents=intents, sector=sector, conduct=conduct, actor=detect_actor(text),
        aggravated=bool(AGGRAVATED.search(text)),
        conduct_date=detect_date(text, today), version_hint=v.group(0) if v else None,
        follow_up=bool(FOLLOW_UP.search(text)) and len(text) <= 40, truncated=truncated, empty=not text.strip("？?。.!！ "),
        who=who, asker=asker, script=script, focus=expand(focus, conduct) if (focus := facts_of_asked(text)) else "",
    )

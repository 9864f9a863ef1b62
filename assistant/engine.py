"""Question → Answer: scenario answers, direct lookups, retrieval answers, cases, the action plan; all cited."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher

from assistant import calibrate, retrieve, scenarios
from assistant import crimes as crime_table
from assistant.citations import check, resolve
from assistant.compose import (
    SERIOUS,
    Citations,
    penalty_table,
    quote_lines,
    render_note,
    sanction_text,
    sort_records,
    summarize,
    target_label,
    validity_lines,
)
from assistant.models import DISCLAIMER, Answer
from assistant.rank import MIN_SCORE, Ranking, rank, with_margin
from assistant.scenarios import Scenario
from assistant.session import Session, get_session
from assistant.understand import DUTY_FIRST, INTENT_PATTERNS, Understanding, converter, understand
from corpus.asks import (
    ADMIN_ASK,
    HOW_PUNISHED,
    INJECTION,
    OLD_VERSION,
    PENALTY_ASK,
    PENALTY_QUESTION,
    PLAN_NAMED,
    alternatives,
)
from corpus.conduct import (
    RANK,
    SHARED_LIABILITY,
    catalogue,
    complaint_articles,
    deciding_articles,
    shared_liability_articles,
)
from corpus.config import calibration_enabled
from corpus.history import in_force_on, renumber_note
from corpus.knowledge import index_sector, scope, sector_documents, sector_of_document, sectors
from corpus.load import Corpus, load_corpus, missing_corpus_warning
from corpus.models import REPEALED, PenaltyRecord, Provision
from corpus.numerals import cn_to_int, int_to_cn, numbered
from corpus.refs import Ref, find_references, unknown_law_refs
from corpus.refs import named_documents as refs_named_documents
from index.errors import SearchFailed
from index.expand import expand

PLAN_KEYS = ["检验检测领域综合治理行动方案", "山西省贯彻落实行动方案的通知"]
LOW_CONFIDENCE = 0.34
CORROBORATING_RANK = 2  # a hit this high in both BM25 and dense retrieval is on topic even in everyday words
RETRIEVAL_OVER_SCENARIO = 0.6  # retrieval confidence at which it overrides a scenario chosen by sector alone
CUE_WEIGHT = 0.1  # per shape of the asked answer (a duration, who, how many) the best sentence has
RERANK_MARGIN = 0.15  # overlap (share of question words) by which a lower hit must beat the top one
# questions about texts not yet made ("下次修订会加哪些条款", "明年收费标准涨多少"): no corpus can answer them
FUTURE = re.compile("|".join(scope().future))
FOREIGN = re.compile("|".join(scope().foreign) or "(?!)")
PRICES = re.compile("|".join(scope().prices) or "(?!)")  # fees and prices: not in the corpus
LOCAL = re.compile("|".join(scope().local) or "(?!)")  # provincial and municipal legislation: not in the corpus
RECORDS = re.compile("|".join(scope().records) or "(?!)")  # a named party's own penalty records: not in the corpus
OFF_TOPIC = re.compile("|".join(scope().off_topic))
# enforcement statistics ("今年总共立案了多少起", "罚没了多少"): the corpus holds texts and case extracts, no totals
STATS = re.compile(f"({alternatives('stats_total')})[^，。？]{{0,8}}({alternatives('stats_act')})了?[^，。？]{{0,6}}多少|"
                   f"({alternatives('stats_done')})了多少|罚没(款|金额)?(一共|总共|共)?多少|多少(起|件)案|"
                   + "|".join(scope().statistics or ["(?!)"]))
CRIME_ASK = re.compile(alternatives("crime_ask"))
# a crime ruled out in the facts ('尚不构成犯罪') is no question about it
NO_CRIME = re.compile(r"(尚|还|并|也)?((不|未|没有?)(构成|够|涉嫌|达到|到)|够不上|够不着|构不成|达不到)[^，。？]{0,4}(犯罪|刑事)")
# a crime stated as a fact of the case ('案子已构成犯罪，只作了罚款'), and a transfer not made (an official's conduct),
# not a crime asked — unless the official acted out of favour (徇私: 刑法402's own element)
CRIME_FACT = re.compile(r"(已经|明明|已|确已|明显)+(涉嫌|构成)犯罪|涉嫌犯罪的(案件|线索)|(不|没有?|未)(依法)?(移送|移交)(司法|公安)")
FAVOUR = re.compile(r"徇私|亲戚|人情|私情|熟人|朋友|关系好|好处|收了|红包|打招呼")
# what a question sets aside rather than asks ('除了罚款，还要坐牢吗', '刑法上如何认定')
NOT_ASKED = re.compile(r"除了?[^，。？]{0,10}(行政处罚|罚款|处罚|罚)[^，。？]{0,4}|(在|按|依)?刑法上[^，。？]{0,6}")
# a question that asks for the legal basis of a conduct (not a fact, a definition or a duty)
BASIS_ASK = re.compile(alternatives("basis_ask"))
# general rules of administrative penalty ("同一行为几部法规都能罚", "过了多久就不罚了") live in 行政处罚法
PRINCIPLE = re.compile("|".join(scope().principles))
RULE_ARTICLES = tuple((pid, re.compile("|".join(words))) for pid, words in scope().rule_articles)


def principle_article(text: str) -> str | None:
    """The article that states the general rule the question asks: of the rules whose words it holds, the one
    named nearest its end (long facts come first, the ask last) — none when the ask itself names no general rule
    (facts naming a buyer from another town, then '对X应如何处罚？', ask X's sanction, not the territorial rule)."""
    if not PRINCIPLE.search(_asked_part(text)):
        return None
    found = [(m.end(), len(m.group()), pid) for pid, pattern in RULE_ARTICLES for m in pattern.finditer(text)]
    return max(found)[2] if found else None  # at one end the longer, more particular wording wins


def ask(question: str, session: Session | str | None = None, mode: str = "officer", today: date | None = None,
        on_text: Callable[[str], None] | None = None) -> Answer:
    """Answer one question. Never raises on bad input; every clause shown comes from the corpus. When an LLM
    streams its reply, `on_text` receives the part that has passed the citation check so far."""
    sess = session if isinstance(session, Session) else get_session(session) if session else None
    try:
        return _ask(question, sess, mode, today, on_text)
    except SearchFailed as exc:
        return Answer(question=str(question)[:200], markdown=f"⚠ {exc}", intent="error", notice=str(exc))


@dataclass
class Asked:
    """One question on its way through the routes: what was understood, the session, references and notices."""

    u: Understanding
    sess: Session | None
    mode: str
    today: date | None
    corpus: Corpus
    notices: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    inherits: bool = False
    scenario: Scenario | None = None
    on_text: Callable[[str], None] | None = None  # the checked part of a streamed LLM reply, as it grows

    @property
    def own_refs(self) -> bool:
        """References to answer now (a follow-up to a conduct answer keeps its conduct instead)."""
        return bool(self.refs) and not (self.u.follow_up and self.sess is not None and self.sess.scenario)


def _ask(question: str, sess: Session | None, mode: str, today: date | None,
         on_text: Callable[[str], None] | None = None) -> Answer:
    corpus = load_corpus()
    if not isinstance(question, str):
        question = question.decode("utf-8", "replace") if isinstance(question, bytes) else str(question)
    u = understand(question, today)
    if u.empty:
        return Answer(question="", markdown="请输入问题，例如：“检测公司出了假报告，罚款多少？依据是哪条？”", intent="empty",
                      notice="问题为空", route="empty")
    if mode == "public":
        return _public(u, corpus, today)
    a = Asked(u, sess, mode, today, corpus, on_text=on_text)
    if missing := missing_corpus_warning(corpus):
        a.notices.append(missing)
    if u.truncated:
        a.notices.append(f"问题过长，仅按前 {len(u.text)} 个字符理解。")
    if INJECTION.search(u.text) and (refused := _strip_injection(a)) is not None:
        return refused
    _prepare(a)
    ans = _route(a)
    return _finish_answer(a, ans, bool(missing))


def _public(u: Understanding, corpus: Corpus, today: date | None = None) -> Answer:
    """The public mode's FAQ; what it would answer but no mode can (statistics, future texts, prices, other
    jurisdictions, absent documents, other topics named alongside an FAQ word) is declined as in the officer mode."""
    from assistant.faq import answer_public

    ans = answer_public(u, corpus, today)
    if not ans.declined or ans.route == "public_nearest":  # what no mode answers says so, not the nearest texts
        a = Asked(u, None, "public", today, corpus)
        _prepare(a)
        ans = _out_of_scope(a) or ans
    if calibration_enabled():
        calibrate.apply(ans, u.slots())
    if u.script == "traditional":
        _to_traditional(ans)
    return ans


def answer_officer(u: Understanding, corpus: Corpus, today: date | None = None) -> Answer:
    """What the officer routes answer, with no session and no finishing (the public mode shows only the statute
    text such an answer leads with)."""
    a = Asked(u, None, "officer", today, corpus)
    _prepare(a)
    return _route(a)


# routes that decline what the corpus cannot answer in any mode (the public mode's off-topic check is the explicit
# word list alone: its FAQ answers everyday questions that name no statute)
OUT_OF_SCOPE = ("unknown_document", "statistics", "records", "future", "foreign", "prices", "local")


def _out_of_scope(a: Asked) -> Answer | None:
    return _first_route(a, OUT_OF_SCOPE) or (_off_topic(a.u) if OFF_TOPIC.search(a.u.text) else None)


def _strip_injection(a: Asked) -> Answer | None:
    """Drop the clauses that try to change the rules; refuse when nothing else was asked."""
    a.notices.append("检测到要求改变回答规则或编造内容的指令，已忽略；只依据语料原文作答，不会生成语料中不存在的条文或金额。")
    rest = "，".join(seg for seg in re.split(r"[，,。；;！!]", a.u.text) if seg and not INJECTION.search(seg))
    if rest.strip():
        a.u = understand(rest, a.today)
        return None
    md = "\n".join(f"> ⚠ {n}" for n in a.notices) + \
        "\n\n请直接提出要查询的问题，例如：车检站伪造检验结果如何处罚？（也可直接输入法律名称和条号查询条文。）"
    return Answer(question=a.u.text, markdown=md, intent="refused", declined=True, notice=a.notices[0], mode=a.mode,
                  route="refused")


def _prepare(a: Asked) -> None:
    """Session continuation, references, and documents named that the corpus does not hold."""
    u, sess, corpus = a.u, a.sess, a.corpus
    # a question with no sector and no conduct of its own ("构成犯罪按哪一罪？") continues the conversation
    a.inherits = sess is not None and bool(sess.scenario) and (u.follow_up or (
        u.sector is None and u.conduct is None and u.who is None and on_topic(u, [])))
    if sess is not None:
        _merge_follow_up(u, sess)
    a.refs = [r for r in find_references(u.text, corpus, bare_numbers=True)
              if not (r.doc_key in PLAN_KEYS and "第" not in r.raw)  # '行动方案分几部分' names no item
              and not _background_ref(u, r, corpus)]
    unknown = unknown_law_refs(u.text, corpus)
    if u.intent != "plan":  # '方案里是否部署某部条例的立法' asks about the plan, not that regulation
        unknown += [(n, n) for n in unknown_regulations(u.text, corpus)]
    if not unknown and not named_documents(u.text, corpus):
        unknown = [(n, n) for n in absent_laws(u.text, corpus)]
    unknown += [(n, n) for n in catalogued_but_absent(u.text, corpus) if (n, n) not in unknown]
    a.unknown = [(n, raw) for n, raw in unknown if not _quoted_by_named(n, u.text, corpus)]


def _background_ref(u: Understanding, ref: Ref, corpus: Corpus) -> bool:
    """An old article number cited as the background of a question that asks how the conduct is punished under
    another text named after it (the old number only sets the scene): the conduct is asked."""
    if not (OLD_VERSION.search(u.text) and PENALTY_ASK.search(u.text)):
        return False
    return any(k != ref.doc_key for k in named_documents(u.text[ref.end:], corpus))


def _quoted_by_named(name: str, text: str, corpus: Corpus) -> bool:
    """Whether a text the question names itself mentions this absent document ('判定办法中关于《X行动计划》排名的
    规定…' asks about the 判定办法's rule, not about the plan)."""
    return any(name in p.text for k in named_documents(text, corpus) for p in corpus.provisions.values()
               if p.doc_key == k and p.kind == "article")


def _is_orphan(a: Asked) -> bool:
    u = a.u
    return (u.follow_up and not (a.sess is not None and a.sess.scenario) and len(u.text) <= 20 and not a.refs
            and u.sector is None and u.conduct is None and u.who is None and u.intent not in ("cases", "plan")
            and not PRINCIPLE.search(u.text))  # '要是初次违法…呢？' asks a general rule: it stands alone


def _is_principle(a: Asked) -> bool:
    """A general rule of administrative penalty — not a crime question that says 罚金 ('公司本身也会被判罚金吗'),
    nor one asking the sanction first and mitigation after ('该怎么罚，可以减轻吗': the conduct's article leads)."""
    m = PRINCIPLE.search(a.u.text)
    offset = m is not None and "罚金" in m.group() and "款" in m.group()  # a fine set against a criminal fine: 折抵
    return m is not None and "行政处罚法" in a.corpus.documents and not a.refs \
        and (offset or not asks_crime(a.u.text)) \
        and not (LIGHTER.match(m.group()) and HOW_PUNISHED_RE.search(a.u.text[:m.start()])) \
        and not _who_decides_first(a.u.text, m.start())


AUTHORITY_ASK = dict(INTENT_PATTERNS)["authority"]


def _who_decides_first(text: str, at: int) -> bool:
    """Who decides is asked in an earlier sentence than the general rule's words (detention's authority, then
    whether a fine may be imposed on the spot): the asking sentence ends before them."""
    return len(_authority_sentence(text)) <= at


RULE_CONFIDENCE = 0.92  # measured: see README (general rules named by their words)
LIGHTER = re.compile(r".{0,4}(从轻|减轻|少罚|免罚|不罚|不予处罚|免予处罚)")  # mitigation, or none
HOW_PUNISHED_RE = re.compile(HOW_PUNISHED)


def _principle(a: Asked) -> Answer | None:
    """A general rule of penalty from 行政处罚法 (and the sector code's own); when none is found, the next route
    answers (a question of dated facts asking which version applies still has its conduct's provision)."""
    rule = principle_article(a.u.text)
    rule = rule if rule in a.corpus.provisions else None
    docs = _principle_documents(a, rule)
    ans = answer_retrieval(a.u, a.corpus, doc_keys=docs, first=rule, insist=True)
    if ans.declined and (asked := _principle_clause(a.u.text)) != a.u.text:  # long facts drown the asked rule
        ans = answer_retrieval(replace(a.u, text=asked, expanded=expand(asked)), a.corpus, doc_keys=docs,
                               first=rule, insist=True)
        ans.question = a.u.text
    own = _special_rule(ans, a.u.text, a.corpus, docs) if not ans.declined else None
    if own:
        special = answer_retrieval(a.u, a.corpus, doc_keys=docs, first=own, insist=True)
        ans = ans if special.declined else special
    if rule and ans.lead in (rule, own):  # the rule the question names, from curated knowledge (scope.yaml)
        ans.route, ans.confidence = "principle", RULE_CONFIDENCE
    return None if ans.declined else ans


SPECIAL_RULES = {pid: (special, re.compile(when) if when else None) for pid, special, when in scope().rule_special}
DEFERS = re.compile(r"法律另有规定的除外|法律另有规定的，从其规定|另有规定的，依照其规定")


def _special_rule(ans: Answer, question: str, corpus: Corpus, docs: list[str]) -> str | None:
    """The sector code's own rule on the matter of the 行政处罚法 article quoted (lex specialis, curated in
    scope.yaml `rule_special`: 法典1054 on the time bar, 1055 on one act against several norms, 1057 on law in
    time), when the code is among `docs` (the question's sector) and 行政处罚法's article defers to other laws
    ('法律另有规定的除外') or the question asks what the code's rule says (its `when` words)."""
    lead = corpus.provisions.get(ans.lead)
    if lead is None:
        return None
    if lead.article_id not in SPECIAL_RULES:
        return _restating(lead.article_id, corpus, docs)
    special, when = SPECIAL_RULES[lead.article_id]
    defers = bool(DEFERS.search(corpus.provisions[lead.article_id].text))
    asked = defers or when is None or bool(when.search(question))
    return special if asked and special in corpus.provisions and corpus.provisions[special].doc_key in docs else None


RESTATED = 16  # characters of one clause a code's general rule shares with the 行政处罚法 article it restates


def _restating(rule: str, corpus: Corpus, docs: list[str]) -> str | None:
    """The article of a sector code's general part (among `docs`) that restates a clause of the quoted 行政处罚法
    article in its own words ('…不予处罚' for '…不予行政处罚', 法典1056 for 行政处罚法33): the code's own rule."""
    def plain(text: str) -> str:
        return re.sub(r"\s|行政", "", text)

    if corpus.provisions[rule].doc_key != "行政处罚法":
        return None
    base, best = plain(corpus.provisions[rule].text), (RESTATED - 1, None)
    for pid, p in corpus.provisions.items():
        if pid == p.article_id and p.doc_key in docs and p.doc_key != "行政处罚法" and GENERAL_PART in p.chapter:
            text = plain(p.text)
            size = SequenceMatcher(None, base, text, autojunk=False).find_longest_match(0, len(base), 0, len(text)).size
            best = max(best, (size, pid), key=lambda b: b[0])
    return best[1]


def _answering(question: str, text: str) -> list[str]:
    """The one or two sentences of a provision a retrieval answer's conclusion quotes."""
    return retrieve.answering_sentences(question, text)


def _principle_clause(text: str) -> str:
    """The sentence holding the general-rule words and what follows it ('…已全部召回。这种情况可以减轻吗？')."""
    m = PRINCIPLE.search(text)
    start = max(text.rfind(p, 0, m.start()) for p in "。；！？") + 1 if m else 0
    return text[start:] or text


GENERAL_PART = "法律责任通则"  # a code's own chapter of general rules on liability (生态环境法典 第五编第一章)


def _principle_documents(a: Asked, rule: str | None = None) -> list[str]:
    """行政处罚法, and a law of the question's sector that has its own chapter of general liability rules (生态环境
    法典's time bar and law in time): the special rule 行政处罚法 itself defers to ('法律另有规定的除外'); and the
    text of the rule the question names (a traffic fine's own payment rule)."""
    own = [d for d in sector_documents(a.u.sector) if d in a.corpus.documents
           and any(GENERAL_PART in p.chapter for p in a.corpus.provisions.values() if p.doc_key == d)]
    named = [a.corpus.provisions[rule].doc_key] if rule else []
    return list(dict.fromkeys(["行政处罚法", *own, *named]))


# '…方案说要移送的犯罪，刑法哪条规定？' asks the criminal law's article, which the plan does not hold
CRIME_BASIS = re.compile(r"刑法[^，。？；]{0,4}(依据|哪条|哪一条|第几条|条文|怎么规定|如何规定)")


def _is_plan(a: Asked) -> bool:
    """About the action plan or the Shanxi notice — not '监测条例里的自行监测方案应包括什么' (another text's 方案),
    nor a question asking the 刑法 article of a crime the plan names."""
    if a.u.intent != "plan" or CRIME_BASIS.search(a.u.text):
        return False
    others = named_documents(a.u.text, a.corpus) - set(PLAN_KEYS)
    return not others or bool(PLAN_NAMED.search(a.u.text))


def _is_off_topic(a: Asked) -> bool:
    """Not about inspection & testing law — a question naming a text of the corpus always is (by name or alias)."""
    off = not on_topic(a.u, a.refs) and not named_documents(a.u.text, a.corpus, a.u.sector)
    return (off or bool(OFF_TOPIC.search(a.u.text))) and not a.inherits


AUTHORITY_DUTIES = tuple((pid, re.compile("|".join(words))) for pid, words in scope().authority_duties)


# what the authority itself is to do (its handling, its measures), not how the other party is punished (a station's
# fine): the authority named in the sentence that asks
AUTHORITY_DOES = re.compile(r"(车管所|车辆管理所|交警|交管|公安|我们|我队|支队|大队|部门|我局)[^。？]{0,80}?"
                            r"(?<!依据)(怎么|如何|怎样|哪些|什么)(处理|处置|措施)|采取(哪些|什么)措施")


def _authority_duty(a: Asked) -> str | None:
    """The article governing what an authority does in the situation the question describes (scope.yaml
    `authority_duties`), when it is in the corpus, the authority's own handling is asked and no crime."""
    if not (AUTHORITY_DOES.search(a.u.text) or a.u.intent == "authority") or asks_crime(a.u.text):
        return None
    return next((pid for pid, words in AUTHORITY_DUTIES if pid in a.corpus.provisions and words.search(a.u.text)),
                None)


def _duty_answer(a: Asked) -> Answer:
    pid = _authority_duty(a)
    ans = answer_retrieval(a.u, a.corpus, doc_keys=None, first=pid, insist=True)
    if ans.lead == pid:  # the situation is the article's own words (curated knowledge)
        ans.route, ans.confidence = "authority_duty", RULE_CONFIDENCE
    return ans


def _decider_of_refs(a: Asked) -> str | None:
    """Who decides the penalties of cited articles: the cited text's own article on who decides."""
    doc = a.refs[0].doc_key
    return _deciding(a.u, doc, a.corpus) if doc else None


def _decides(a: Asked) -> Answer:
    pid = _decider_of_refs(a)
    return answer_retrieval(a.u, a.corpus, doc_keys=[a.corpus.provisions[pid].doc_key], first=pid, insist=True)


def _conduct(a: Asked) -> Answer:
    ans, a.scenario = answer_conduct(a.u, a.corpus, a.sess if a.inherits else None, a.today)
    return ans


# (name, applies?, handler): the first route that applies and returns an answer answers. The name is recorded
# on the answer (Answer.route, shown in --json and the audit log) when the handler set none of its own.
ROUTES: tuple[tuple[str, Callable[[Asked], bool], Callable[[Asked], Answer | None]], ...] = (
    ("orphan_follow_up", _is_orphan, lambda a: _orphan_follow_up(a.u)),
    ("unknown_document", lambda a: bool(a.unknown) and not a.refs, lambda a: _unknown_documents(a.u, a.unknown)),
    ("decides", lambda a: a.own_refs and bool(_decider_of_refs(a)), lambda a: _decides(a)),
    ("counterpart", lambda a: a.own_refs, lambda a: answer_counterpart(a.u, _counterpart_ref(a), a.corpus)),
    ("lookup", lambda a: a.own_refs, lambda a: answer_lookup(a.u, a.refs, a.corpus)),
    ("statistics", lambda a: bool(STATS.search(a.u.text)), lambda a: _statistics(a.u)),
    ("records", lambda a: bool(RECORDS.search(a.u.text)) and not a.refs,
     lambda a: _not_held(a.u, "具体单位的处罚决定书、处罚记录等个案信息（行政处罚信息可到国家企业信用信息公示系统查询）")),
    ("future", lambda a: bool(FUTURE.search(a.u.text)), lambda a: _future(a.u)),
    ("foreign", lambda a: bool(FOREIGN.search(a.u.text)) and not a.refs, lambda a: _foreign(a.u)),
    ("prices", lambda a: bool(PRICES.search(a.u.text)) and not a.refs, lambda a: _not_held(a.u, "收费标准、价格")),
    ("local", lambda a: bool(LOCAL.search(a.u.text)) and not a.refs, lambda a: _not_held(a.u, "地方性法规、地方政府规章")),
    ("absent_part", lambda a: bool(_absent_part(a)), lambda a: _absent_part_answer(a.u, _absent_part(a))),
    ("authority_duty", lambda a: bool(_authority_duty(a)), lambda a: _duty_answer(a)),
    ("principle", _is_principle, lambda a: _principle(a)),
    ("cases", lambda a: a.u.intent == "cases" or bool(pointed_cases(a.u.text, a.corpus)),
     lambda a: answer_cases(a.u, a.corpus, a.sess)),
    ("plan", _is_plan, lambda a: answer_plan(a.u, a.corpus)),
    ("off_topic", _is_off_topic, lambda a: _off_topic(a.u)),
    ("conduct", lambda a: True, _conduct),
)


def _counterpart_ref(a: Asked) -> Ref:
    """Of several old numbers ('违反第十三条，按照第二十六条处罚'), a question about the sanction ('现在的罚则')
    leads with the one whose present text sets it."""
    if len(a.refs) > 1 and PENALTY_QUESTION.search(a.u.text):
        for ref in a.refs:
            ids, _ = _counterparts(a.corpus, ref, a.u.text)
            if ids and any(r.kind == "处罚" for r in a.corpus.penalties_for(ids[0])):
                return ref
    return a.refs[0]


def _route(a: Asked) -> Answer:
    if (ans := _first_route(a)) is None:
        raise AssertionError("the conduct route always answers")  # pragma: no cover
    return ans


def _first_route(a: Asked, names: tuple[str, ...] | None = None) -> Answer | None:
    """The answer of the first route (of `names`, or of all) that applies and answers, its name recorded."""
    for name, applies, handler in ROUTES:
        if (names is None or name in names) and applies(a) and (ans := handler(a)) is not None:
            ans.route = ans.route or name
            return ans
    return None


def _finish_answer(a: Asked, ans: Answer, incomplete: bool) -> Answer:
    """Notices, the citation check, the optional LLM, calibration, the user's script, the session."""
    u = a.u
    if a.notices:
        ans.notice = " ".join([*a.notices, ans.notice]).strip()
        ans.markdown = "\n".join(f"> ⚠ {n}" for n in a.notices) + "\n\n" + ans.markdown
    ans.question, ans.slots, ans.mode = u.text, u.slots(), a.mode
    _final_check(ans, a.corpus)
    from assistant import llm

    if llm.enabled():
        ans = llm.rephrase(ans, a.corpus, _in_script(a.on_text, u.script))
    if calibration_enabled():
        calibrate.apply(ans, u.slots())
    if incomplete:
        ans.confidence = min(ans.confidence, 0.45)  # an incomplete corpus: no answer is settled
    if u.script == "traditional":
        _to_traditional(ans)
    if a.sess is not None and ans.route != "off_topic":  # an aside does not end the conversation's topic
        with a.sess.lock:
            a.sess.remember(u.text, ans.markdown, ans.intent, u.slots(), a.scenario.key if a.scenario else "",
                            [c.provision_id for c in ans.citations])
    return ans


def _in_script(sink: Callable[[str], None] | None, script: str) -> Callable[[str], None] | None:
    """A streamed reply is shown in the user's script, as the finished answer is (see _to_traditional)."""
    conv = converter("s2t") if sink is not None and script == "traditional" else None
    return sink if conv is None or sink is None else (lambda text: sink(conv(text)))


def _unknown_documents(u: Understanding, unknown: list[tuple[str, str]]) -> Answer:
    names = "、".join(f"《{name}》" for name, _ in unknown)
    md = (f"### 结论\n语料中没有{names}，无法提供其条文或罚则，不作推测。\n\n"
          "可用 `yiju corpus stats` 查看已收录的法律法规；如需收录，请把正式文本放入语料目录后重建索引。")
    return Answer(question=u.text, markdown=md, intent="lookup", declined=True, notice=f"语料中没有{names}",
                  conclusion=f"语料中没有{names}。")


def _unanswerable(u: Understanding, conclusion: str, hint: str, notice: str) -> Answer:
    """A question the corpus cannot answer by its nature (statistics, future texts, foreign law): said so."""
    return Answer(question=u.text, markdown=f"### 结论\n{conclusion}\n\n{hint}", intent="not_found", declined=True,
                  confidence=0.0, notice=notice, conclusion=conclusion)


def _statistics(u: Understanding) -> Answer:
    return _unanswerable(
        u, "语料收录的是法律、法规、规章、行动方案和典型案例摘录，不含执法统计数据或工作总结，无法回答查处数量、"
           "罚没金额等统计问题，不作推测。",
        "如需某一类行为的典型案例，可问：“有没有检测公司造假报告被处罚的典型案例？”", "问题涉及语料不含的统计数据")


def _future(u: Understanding) -> Answer:
    return _unanswerable(
        u, "语料只收录已经公布的法律、法规、规章和文件，无法回答尚未公布的修订、调整或未来的安排，不作推测。",
        "可查询现行文本及其版本与效力，例如：“监督管理办法现在施行的是哪个版本？”；条文沿革见 `yiju corpus history`。",
        "问题涉及未公布的内容")


def _foreign(u: Understanding) -> Answer:
    return _unanswerable(
        u, "语料只收录中华人民共和国的法律、行政法规、部门规章和相关文件，不含其他国家或地区的法律，无法回答或比较境外的规定，"
           "不作推测。",
        "可以查询国内的规定，例如：“检测公司出了假报告，罚款多少？依据是哪条？”", "问题涉及语料不含的境外法律")


APPENDIX = re.compile(r"(附录|附件|附表)\s*([0-9一二三四五六七八九十]+)")


def _absent_part(a: Asked) -> str | None:
    """The appendix a question names when the corpus text itself says it does not hold it ('本文件未收录附录2')."""
    for m in APPENDIX.finditer(a.u.text):
        name = m.group(1) + m.group(2)
        if any(f"未收录{name}" in p.text for p in a.corpus.provisions.values()):
            return name
    return None


def _absent_part_answer(u: Understanding, name: str) -> Answer:
    return _unanswerable(
        u, f"语料中的文本注明未收录{name}（来源抽取问题），无法回答其具体内容，不作推测；请查阅官方发布的原文。",
        "可以查询正文条款，例如：“申请监测类资质，基础检测项目须达到什么条件？”", f"问题涉及语料未收录的{name}")


def _not_held(u: Understanding, what: str) -> Answer:
    return _unanswerable(
        u, f"语料只收录国家法律、行政法规、部门规章、行动方案（含山西省贯彻通知）和典型案例摘录，不含{what}，无法回答，不作推测。",
        "可以查询国家层面的规定，例如：“检测公司出了假报告，罚款多少？依据是哪条？”", f"问题涉及语料不含的{what}")


LEGAL_WORDS = re.compile(alternatives("legal_words"))


def on_topic(u: Understanding, refs: list) -> bool:
    """Whether a question is about inspection & testing law at all ('今天天气怎么样' is not)."""
    return bool(refs or u.sector or u.conduct or u.who or LEGAL_WORDS.search(u.text))


def _orphan_follow_up(u: Understanding) -> Answer:
    conclusion = "这像是接着上一个问题的追问，但当前对话中没有可以接续的问题，无法确定所指的行为和条文，不作推测。"
    md = (f"### 结论\n{conclusion}\n\n请把情况说完整，例如：“电梯检测单位出假报告、情节严重的，如何处罚？”"
          "（命令行可用 `yiju ask --session 名称` 让追问接续同一对话。）")
    return Answer(question=u.text, markdown=md, intent="clarify", declined=True, conclusion=conclusion,
                  clarify="请把情况说完整：谁实施了什么行为？", notice="追问缺少上文", route="orphan_follow_up")


def _off_topic(u: Understanding) -> Answer:
    conclusion = "这个问题与检验检测监管的法律依据无关，Yiju 只回答法律、法规、规章条文和行动方案方面的问题。"
    md = f"### 结论\n{conclusion}\n\n例如可以问：“检测公司出了假报告，罚款多少？依据是哪条？”"
    return Answer(question=u.text, markdown=md, intent="out_of_scope", declined=True, notice="问题与本系统无关",
                  conclusion=conclusion, route="off_topic")


def answer_conduct(u: Understanding, corpus: Corpus, sess: Session | None, today: date | None
                   ) -> tuple[Answer, Scenario | None]:
    """Rank the conduct catalogue; answer from the best entry, show two readings when a rival is close."""
    # a text named only as context of a past conduct ('当时法典还没施行') restricts nothing
    named = {k for k in named_documents(u.text, corpus, u.sector)
             if not u.conduct_date or in_force_on(corpus.documents[k], u.conduct_date)}
    prev = sess.slots if sess is not None else {}
    same_subject = u.sector == prev.get("sector") and u.who == prev.get("who")
    if sess is not None and same_subject and (s := scenarios.by_key(sess.scenario, corpus)) and \
            scenarios.available(s, corpus):
        return _conduct_answer(u, s, corpus, today, None, 1.0), s  # a follow-up stays with its conduct
    crime = asks_crime(u.text)
    penaltyish = u.intent == "penalty" or crime or (u.intent in ("legal_basis", "authority") and bool(
        BASIS_ASK.search(u.text)) and (u.conduct is not None or u.who is not None or u.intent == "legal_basis"))
    if u.intent == "authority" and not crime and not u.conduct and not PENALTY_ASK.search(u.text) \
            and not re.search(r"罚[^，。？]{0,4}(怎么|如何)(算|计算)", u.text):
        penaltyish = False  # 'X的处罚归哪一级机关作出': the sanction named is the object decided, not the ask
    if OBJECTION.search(u.text) and not HOW_PUNISHED_RE.search(u.text) and not crime:
        penaltyish = False  # objecting to a test result asks the way to contest it, not a sanction
    if CIVIL.search(u.text) and not crime and not HOW_MUCH.search(u.text):
        penaltyish = False  # '罚款之外对委托人负什么连带责任' asks the civil liability article
    if not penaltyish and (ans := answer_overseer(u, corpus)) is not None:
        return ans, None
    if not penaltyish:
        return answer_retrieval(u, corpus, doc_keys=sorted(named) or None), None
    r = rank(u.expanded, u.who, u.sector, corpus, curated=scenarios.curated_ids(), on=u.conduct_date,
             conduct=u.conduct, focus=u.focus)
    if crime and _crime_first(u.text):  # '罚多少？是否涉嫌犯罪': the penalty leads; '构成犯罪的…怎么处罚': the crime
        return answer_crime(u, r, corpus, today), None
    if r.top and (decider := _deciding(u, r.top.entry.doc_key, corpus)):
        return answer_retrieval(u, corpus, doc_keys=[r.top.entry.doc_key], first=decider, insist=True), None
    if named and r.top and r.top.entry.doc_key not in named:
        r = with_margin([c for c in r.candidates if c.entry.doc_key in named])
    if not r.top or r.top.score < MIN_SCORE:
        return answer_retrieval(u, corpus, doc_keys=sorted(named) or None), None
    s = scenarios.successor(scenarios.for_entry(r.top.entry, u.sector), u.conduct_date)
    if not scenarios.available(s, corpus):
        return answer_retrieval(u, corpus), None
    evidence = {"score": r.top.score, "margin": r.margin, **{f"f_{k}": v for k, v in r.top.features.items()}}
    p = calibrate.predict(evidence, u.slots(), "conduct", u.text) if calibration_enabled() else None
    unsure = r.doubt or (p is not None and p < calibrate.doubt_below())
    rival = scenarios.for_entry(r.rival.entry, u.sector) if unsure and r.rival else None
    if rival is not None and (set(rival.penalty) == set(s.penalty) or not scenarios.available(rival, corpus)):
        rival = None
    if rival is None and (general := _general_rule(u, s, corpus)) and \
            (ans := _general_rule_answer(u, s, general, corpus)):
        return ans, s
    ans = _conduct_answer(u, s, corpus, today, rival, r.margin)
    ans.evidence = evidence
    return ans, s


OVERSEE = re.compile(r"(归|由|是)?(哪个|什么|哪一个|哪)(个)?(部门|单位|机关)[^，。？]{0,2}(管|负责|监管|主管|监督)|谁(来)?(管|监管|主管)")


def _overseer_of(u: Understanding, corpus: Corpus) -> str | None:
    """'锅炉由什么部门监管': which department oversees a sector at all (no conduct named) is answered by the
    sector's overseeing article (sectors.yaml `overseer`), not by a sanction that names some department."""
    if u.intent != "authority" or u.conduct or not OVERSEE.search(u.text) or PENALTY_QUESTION.search(u.text):
        return None
    pid = next((s.overseer for s in sectors() if s.name == u.sector and s.overseer), None)
    return pid if pid in corpus.provisions else None


def answer_overseer(u: Understanding, corpus: Corpus, rules_only: bool = False) -> Answer | None:
    """The answer led by the sector's overseeing article (_overseer_of), or None when there is none or the
    search within its document does not find it."""
    if (pid := _overseer_of(u, corpus)) is None:
        return None
    ans = answer_retrieval(u, corpus, doc_keys=[pid.split("/")[0]], rules_only=rules_only, first=pid)
    return ans if ans.lead == pid else None


GENERAL_RULE_CONFIDENCE = 0.7
GENERAL = "综合"  # the sector of texts that bind every inspection body (检验检测机构监督管理办法…)


def _general_rule(u: Understanding, s: Scenario, corpus: Corpus) -> str | None:
    """A conduct (e.g. one person working for two inspection bodies) that only a sector's own text sanctions (特种设备安全法
    93(2)), asked in no sector or another one, is answered by the general text's article that forbids it (监督管理办法8) —
    the article of a 综合 text holding the conduct's statutory wording and setting no penalty itself."""
    from corpus.conduct import catalogue
    from corpus.knowledge import thesaurus

    lead_doc = corpus.documents[s.penalty[0].split("/")[0]]
    if not u.conduct or GENERAL in lead_doc.sectors or (u.sector and u.sector == sector_of_document(lead_doc.key)):
        return None
    phrases = {w for t in thesaurus() if t.conduct == u.conduct for w in t.means.split() if len(w) >= 6}
    sanctioned = {o for e in catalogue(corpus) for o in e.obligations}  # rules some 罚则 punishes a breach of
    for p in corpus.provisions.values():
        doc = corpus.documents[p.doc_key]
        if p.kind == "article" and GENERAL in doc.sectors and doc.status != REPEALED and p.id not in sanctioned \
                and any(w in p.text for w in phrases) \
                and not any(r.kind == "处罚" for r in corpus.penalties_for(p.id)):
            return p.id
    return None


def _general_rule_answer(u: Understanding, s: Scenario, general: str, corpus: Corpus) -> Answer | None:
    """The general article leads; the sector text's sanction follows as what applies in that sector (None when
    retrieval does not find the article)."""
    def sector_lines(cites: Citations) -> list[str]:
        sectors = "、".join(x for x in corpus.documents[s.penalty[0].split("/")[0]].sectors if x != GENERAL)
        return ["### 特定领域的罚则",
                f"- {corpus.provisions[general].doc_title}本身对此未设罚则；属于{sectors}领域的，"
                f"{s.title}，依据{cites.ref(s.penalty[0], '依据')}处罚。", ""]
    ans = answer_retrieval(u, corpus, doc_keys=[corpus.provisions[general].doc_key], extra=sector_lines,
                           first=general)
    ans.route = "conduct"
    ans.confidence = max(ans.confidence, GENERAL_RULE_CONFIDENCE)  # chosen by a rule, not by word overlap
    return ans if ans.lead == general else None


def asks_crime(text: str) -> bool:
    facts = text if FAVOUR.search(text) else CRIME_FACT.sub("", text)
    return bool(CRIME_ASK.search(NO_CRIME.sub("", facts)))


def _crime_first(text: str) -> bool:
    """Whether a question asking about crime (asks_crime) asks it first: before the administrative sanction, a
    ban's length or the consequences (asked first, crime second: the ban leads); a question with no other
    ask (only '在刑法上…') asks only about the crime."""
    asked = NOT_ASKED.sub("", NO_CRIME.sub("", text))
    other = ADMIN_ASK.search(asked) or OTHER_ASK.search(asked)
    crime = CRIME_ASK.search(asked)
    return other is None or (crime is not None and crime.start() < other.start())


OTHER_ASK = re.compile(r"几年|多少年|多久|多长时间|什么后果|有什么后果|会有什么|哪一?条|什么规定")  # …or the basis


UNSAID_CRIME = 0.45  # a crime no word of the facts says and no conduct links to: the nearest wording, in doubt


def answer_crime(u: Understanding, r: Ranking, corpus: Corpus, today: date | None) -> Answer:
    """'会坐牢吗' leads with the criminal provision the conduct may reach; the administrative answer follows."""
    crimes = rank(u.expanded, u.who, u.sector, corpus, crime=True, on=u.conduct_date)
    admin = scenarios.for_entry(r.top.entry, u.sector) if r.top and r.top.score >= MIN_SCORE else None
    # criminal provisions curated for the conducts the question most resembles
    linked = {pid for c in r.candidates[:5] for pid in scenarios.for_entry(c.entry, u.sector).criminal}
    pool = crime_table.weigh([c for c in crimes.candidates if c.entry.doc_key == "刑法"], linked, u.text, u.who,
                             u.sector, corpus)
    best = pool[0] if pool else None
    if best is None:
        return answer_retrieval(u, corpus, doc_keys=["刑法"])
    cites = Citations(corpus)
    art, own = corpus.provisions[best.entry.article_id], best.entry.penalty_id  # own: the 款 quoted
    sentence = retrieve.answer_sentences(u.text, corpus.provisions[own].text)[0]
    conclusion = (f"可能涉及{cites.ref(own, '刑事责任')}：“{sentence}”是否构成犯罪由司法机关认定；"
                  "行政机关发现涉嫌犯罪的，应当依法移送。")
    lines = ["### 结论", conclusion, "", "### 刑事责任", f"- {cites.ref(own, '刑事责任')}：“{sentence}”"]
    # other crimes worth a look: those whose words say the conduct or that are linked to it, not bare word overlap
    others = [c for c in pool[:6] if c.entry.article_id != art.id
              and (c.features.get("crime_fit") or c.features.get("linked"))][:2]
    lines += [f"- 也可能相关：{cites.ref(c.entry.article_id, '刑事责任')}（{c.entry.conduct[:60]}…）" for c in others]
    lines += ["- 是否构成犯罪由司法机关认定；行政机关发现涉嫌犯罪的，应依法移送。", ""]
    if admin is not None and scenarios.available(admin, corpus):
        lines.append("### 行政处罚")
        lines.append(f"- {admin.title}的，行政处罚依据{'、'.join(cites.ref(p, '处罚依据') for p in admin.penalty)}。")
        lines.append("")
    margin = best.score - max((c.score for c in others), default=0.0)
    said = bool(best.features.get("crime_fit") or best.features.get("linked"))  # not the nearest wording alone
    ans = Answer(question=u.text, markdown="", intent="crime", conclusion=conclusion, lead=art.id, route="crime",
                 confidence=round(min(0.85 if said else UNSAID_CRIME, 0.5 + 0.3 * min(margin, 1.0)), 2),
                 evidence={"score": best.score, "margin": margin, "f_linked": float(art.id in linked),
                           **({} if said else {"cap": UNSAID_CRIME})})
    _finish(ans, lines, cites, corpus, [])
    return ans


def _conduct_answer(u: Understanding, s: Scenario, corpus: Corpus, today: date | None, rival: Scenario | None,
                    margin: float) -> Answer:
    ans = answer_scenario(u, s, corpus, today)
    ans.route = "conduct"
    pred = scenarios.by_key(s.predecessor, corpus) if s.predecessor else None
    past = pred is not None and bool(u.conduct_date) and u.conduct_date < s.valid_from
    ans.lead = ans.lead or (pred.penalty[0] if past else s.penalty[0])  # answer_scenario may lead with another
    doc = corpus.documents[s.penalty[0].split("/")[0]]
    if doc.status == REPEALED:
        ans.markdown = (f"> ⚠ {doc.title}已废止；行为发生在废止前，依《中华人民共和国行政处罚法》第三十七条适用行为时的规定，"
                        "但新的规定处罚较轻或者不认为是违法的，适用新的规定。\n\n") + ans.markdown
    ans.confidence = round(min(0.95, 0.6 + 0.35 * min(margin, 1.0)), 2)
    if rival is None:
        return ans
    own, other = _reading(s, corpus), _reading(rival, corpus)
    ans.readings = [s.penalty[0], rival.penalty[0]]
    ans.confidence = min(ans.confidence, 0.45)
    head = ("### 两种理解\n问题中的行为主体或行为不够明确，以下两种理解的依据不同，请按实际情况选用：\n"
            f"- 如果是{own}\n- 如果是{other}\n\n")
    ans.clarify = f"请补充说明实际情况：是{s.title}，还是{rival.title}？"
    head += f"**{ans.clarify}**\n\n"
    ans.markdown = head + ans.markdown
    ans.conclusion = f"{ans.conclusion}（另一种理解：如果是{other}）"
    ans.notice = (ans.notice + " 存在两种理解，请核对行为主体和行为").strip()
    return ans


def _reading(s: Scenario, corpus: Corpus) -> str:
    return f"{s.title}，依据{corpus.provisions[s.penalty[0]].citation}"


def _to_traditional(ans: Answer) -> None:
    """Give the answer back in the user's script; the cited clauses (panel, JSON) stay verbatim (简体 originals)."""
    conv = converter("s2t")
    if conv is None:
        return
    ans.markdown = conv(ans.markdown) + "\n\n*（回答已轉為繁體顯示；條文原文以簡體官方文本為準。）*"
    ans.conclusion = conv(ans.conclusion)
    ans.script = "traditional"


def _merge_follow_up(u: Understanding, sess: Session) -> None:
    """'要是情节严重呢？' / '负责人个人呢？' / '如果是另一类机构呢？' inherit the previous question's slots."""
    if not sess.slots or not (u.follow_up or (u.sector is None and u.conduct is None)):
        return
    prev = sess.slots
    u.sector = u.sector or prev.get("sector")
    u.conduct = u.conduct or prev.get("conduct")
    u.actor = u.actor or prev.get("actor")
    u.who = u.who or prev.get("who")
    u.conduct_date = u.conduct_date or prev.get("conduct_date")
    if u.intent == "legal_basis" and sess.intent in ("penalty", "legal_basis", "authority"):
        u.intent = "penalty" if ("penalty" in u.intents or sess.intent == "penalty") else sess.intent
    if u.intent not in ("cases", "plan", "authority") and sess.intent == "penalty":
        u.intent = "penalty"
    u.expanded = f"{u.expanded} {prev.get('sector') or ''} {prev.get('conduct') or ''}".strip()


# -- scenario answers ---------------------------------------------------------------------------------------

def _records(corpus: Corpus, ids: tuple[str, ...], conduct: str | None, label: str = "") -> list[PenaltyRecord]:
    out = []
    for pid in ids:
        out.extend(replace(r, sanctions=list(r.sanctions)) for r in corpus.penalties_for(pid) if r.kind == "处罚")
    out = _of_label(out, label)
    # 监督管理办法第二十七条 distinguishes 不实 and 虚假 reports inside one sentence
    want = {"虚假报告": REPORT_SUBS[0], "不实报告": REPORT_SUBS[1]}.get(conduct or "")
    subs = {r.conduct for r in out if r.conduct in REPORT_SUBS}
    if want and subs:
        out = [r for r in out if r.conduct not in subs or r.conduct == want]
    # fold the shared sanctions of a paragraph (责令限期改正、通报批评) into its sub-conduct records
    merged = []
    for r in out:
        twins = [x for x in out if x is not r and x.provision_id == r.provision_id and x.target == r.target
                 and x.tier == r.tier and x.conduct in subs and r.conduct not in subs]
        if twins and not r.has_fine:
            for t in twins:
                t.sanctions = list(dict.fromkeys([*r.sanctions, *t.sanctions]))
            continue
        merged.append(r)
    return merged


REPORT_SUBS = ("出具虚假检验检测报告", "出具不实检验检测报告")  # sub-conducts sharing their paragraph's sanctions


def _of_label(records: list[PenaltyRecord], label: str) -> list[PenaltyRecord]:
    """A conduct a paragraph names in a clause of its own ('…；房屋建筑使用者…擅自变动…的，处5万元…') takes only
    its own records of that paragraph, not the first conduct's range."""
    own = [r for r in records if label and r.conduct == label]
    if not own or label in REPORT_SUBS:
        return records
    return [r for r in records if r.provision_id != own[0].provision_id or r.conduct == label]


def answer_scenario(u: Understanding, s: Scenario, corpus: Corpus, today: date | None) -> Answer:
    """The full answer for one conduct: conclusion, violation, penalty table, authority, notes, cases."""
    cites = Citations(corpus)
    past = scenarios.by_key(s.predecessor, corpus) if (
        s.valid_from and u.conduct_date and u.conduct_date < s.valid_from and s.predecessor) else None
    records = _records(corpus, s.penalty, u.conduct, scenarios.label_of(s))
    pid = _personal_article(u, s, records, corpus)
    personal = bool(pid) and not UNIT_ASKED.search(_asked_part(u.text))
    if personal:  # only the persons asked: their article is cited first, the lead
        conclusion = _personal_text(pid, cites, corpus) + "单位本身：" + _scenario_conclusion(u, s, past, records,
                                                                                          cites, corpus)
    else:  # the unit asked too ('对施工企业如何处罚？项目经理个人也罚吗？'): the unit's article leads
        unit_u = replace(u, actor=None) if pid else u
        conclusion = _scenario_conclusion(unit_u, s, past, records, cites, corpus) + (
            _personal_text(pid, cites, corpus) if pid else "")
    conclusion += _asked_beyond(u, s, corpus)
    lines = ["### 结论", conclusion, ""]
    if s.criminal and asks_crime(u.text):  # "够刑事吗？哪个罪": the criminal provisions come first
        lines += ["### 刑事责任", *_crime_lines(u, s.criminal, cites, corpus)]
    lines += _violation_lines(s, cites)
    lines += _penalty_lines(u, past, records, cites, corpus)
    lines += _authority_lines(s, records, cites, corpus)
    if notes := _scenario_notes(u, s, cites):
        lines += ["### 适用说明", *(f"- {n}" for n in notes), ""]
    old = sort_records(_records(corpus, past.penalty, u.conduct)) if past else []
    ans = Answer(question=u.text, markdown="", intent=u.intent, conclusion=conclusion,
                 lead=cites.items[0].provision_id if personal else "",
                 penalties=[r.to_dict() for r in old + sort_records(records)], confidence=0.9,
                 basis_paragraph=_basis_paragraph(s, corpus, past))
    _finish(ans, lines, cites, corpus, _matching_cases(corpus, u, cites.ids()))
    return ans


PERSONS_ASKED = re.compile(r"(主管人员|直接责任人|责任人员|负责人|项目经理|个人)[^，。？]{0,12}(罚|处罚|处理|追究)")
UNIT_ASKED = re.compile(r"对[^，。？]{0,8}(单位|公司|企业|机构)(?![^，。？]{0,12}(人员|负责人|项目经理))[^，。？]{0,4}"
                        r"(如何|怎么|怎样|应当|应|是否|要不要|能否)[^，。？]{0,4}(处罚|罚|处理)|"
                        r"(如何|怎么|怎样)(处罚|罚|处理)[^，。？人]{0,6}(单位|公司|企业|机构)")  # '该怎么处罚这家公司'


def _asked_part(text: str) -> str:
    """The question's asking sentences (from the first one with a question mark), not its facts."""
    sentences = re.split(r"(?<=[。！!])", text)
    return "".join(sentences[next((i for i, x in enumerate(sentences) if re.search(r"[？?吗]", x)), 0):])


def _personal_article(u: Understanding, s: Scenario, records: list[PenaltyRecord], corpus: Corpus) -> str:
    """The article fining a unit's responsible persons (knowledge.yaml personal_liability), when the question asks
    about them and the unit's own provision fines no person."""
    from corpus.knowledge import knowledge

    docs = {corpus.provisions[p].doc_key for p in s.penalty if p in corpus.provisions}
    pid = next((knowledge().personal_liability[d] for d in docs if d in knowledge().personal_liability), "")
    if not PERSONS_ASKED.search(_asked_part(u.text)) or pid not in corpus.provisions \
            or any(r.target in ("直接责任人员", "个人") for r in records):
        return ""
    return pid


def _personal_text(pid: str, cites: Citations, corpus: Corpus) -> str:
    return f"对单位直接负责的主管人员和其他直接责任人员，依据{cites.ref(pid, '依据')}：“{corpus.provisions[pid].text}”"


def _scenario_conclusion(u: Understanding, s: Scenario, past: Scenario | None, records: list[PenaltyRecord],
                         cites: Citations, corpus: Corpus) -> str:
    penalty_refs = "、".join(cites.ref(pid, "处罚依据") for pid in s.penalty)
    item_refs = "、".join(cites.ref(pid, "违法行为认定") for pid in s.conduct_items)
    if past:
        when = u.conduct_date or ""
        old_records = _records(corpus, past.penalty, u.conduct)
        old_refs = "、".join(cites.ref(pid, "行为时依据") for pid in past.penalty)
        return (f"{s.title}，行为发生在{when[:7].replace('-', '年')}月，早于现行规定施行日（{s.valid_from}），"
                f"依{cites.ref('行政处罚法/37', '适用说明')}原则上适用行为时的{old_refs}：{summarize(old_records, u.actor)}；"
                f"{_lighter_text(old_records, records)}")
    summary = summarize(records, u.actor, u.aggravated)
    return f"{s.title}的，依据{penalty_refs}" + (f"（行为见{item_refs}）" if item_refs else "") + \
        (f"：{_by_whom(u, records)}{summary}。" if summary else "。")


def _by_whom(u: Understanding, records: list[PenaltyRecord]) -> str:
    """'由公安机关交通管理部门': who imposes the sanction, as its text names it, when the question asks who."""
    if not AUTHORITY_ASK.search(u.text):
        return ""
    names = list(dict.fromkeys(r.authority for r in records if r.authority))
    return f"由{'、'.join(names)}" if names else ""


# a time or a way of counting asked beside the penalty (from which day a daily fine runs, how a fine is counted)
ASKS_WHEN_HOW = re.compile(r"(从|自)(哪天|何时|什么时候|哪一天)|起算|(怎么|如何)(算|计算)|按什么|多少天|多长时间|多久|几年|几天|几日")
SAYS_WHEN_HOW = re.compile(r"次日|之日起|起计算|原罚款数额|[\d一二两三四五六七八九十百]+(个月|年|日|天|个工作日|工作日|小时)|倍")


def _asked_beyond(u: Understanding, s: Scenario, corpus: Corpus) -> str:
    """The penalty article's own sentence on the time or the way of counting asked, quoted verbatim."""
    if not ASKS_WHEN_HOW.search(u.text) or not s.penalty or s.penalty[0] not in corpus.provisions:
        return ""
    art = corpus.provisions.get(corpus.provisions[s.penalty[0]].article_id)
    best = retrieve.answer_sentences(u.text, art.text)[0] if art else ""
    return f"条文原文：“{best}”" if SAYS_WHEN_HOW.search(best) else ""


def _crime_lines(u: Understanding, criminal: tuple[str, ...], cites: Citations, corpus: Corpus) -> list[str]:
    lines = [f"- {cites.ref(pid, '刑事责任')}：“{retrieve.best_sentence(u.text, corpus.provisions[pid].text)}”"
             for pid in criminal]
    return [*lines, "- 是否构成犯罪由司法机关认定；行政机关发现涉嫌犯罪的，应依法移送。", ""]


def _violation_lines(s: Scenario, cites: Citations) -> list[str]:
    lines = ["### 违法行为认定"]
    item_refs = "、".join(cites.ref(pid, "违法行为认定") for pid in s.conduct_items)
    if s.violated:
        lines.append(f"- 该行为违反{'、'.join(cites.ref(pid, '违法行为认定') for pid in s.violated)}的规定。")
    if item_refs:
        lines.append(f"- 行为对应{item_refs}所列情形。")
    if not s.violated and not item_refs:
        lines.append(f"- 违法行为与罚则规定在同一条：{'、'.join(cites.ref(pid, '处罚依据') for pid in s.penalty)}。")
    return [*lines, ""]


def _penalty_lines(u: Understanding, past: Scenario | None, records: list[PenaltyRecord], cites: Citations,
                   corpus: Corpus) -> list[str]:
    lines = ["### 处罚依据与幅度"]
    if past:
        lines.append(f"**行为时适用（{past.penalty[0].split('/')[0]}，已废止）**")
        lines += [*penalty_table(_records(corpus, past.penalty, u.conduct), cites), "", "**现行规定（对照）**"]
    lines += penalty_table(records, cites) if records else ["（所引条文未解析出罚则，请阅读下方原文。）"]
    if u.aggravated:
        serious = [r for r in records if r.tier in SERIOUS]
        lines += ["", f"- {serious[0].tier if serious else '情节严重'}的：" + ("；".join(f"对{target_label(r)}{sanction_text(r)}"
                                               for r in serious) if serious else "所引条文未单独规定情节严重的处罚档次。")]
    lines += [f"- 衔接条款：{x}。" for x in sorted({x for r in records for x in r.cross_refs})]
    return [*lines, ""]


def _authority_lines(s: Scenario, records: list[PenaltyRecord], cites: Citations, corpus: Corpus) -> list[str]:
    authorities = sorted({r.authority for r in records if r.authority})
    if authorities:
        line = f"- {'；'.join(authorities)}（见{'、'.join(cites.ref(pid, '处罚依据') for pid in s.penalty)}）。"
    elif s.authority_basis:
        first = corpus.provisions[s.authority_basis].text.split(chr(10))[0]
        line = f"- 罚则条文未写明执法主体；依{cites.ref(s.authority_basis, '执法主体')}：“{first}”"
    else:
        line = "- 所引条文未写明执法主体，请结合部门职责规定确定。"
    return ["### 执法主体", line, ""]


# the question mentions lighter treatment: the notes add 行政处罚法 32 and 33
MITIGATION = re.compile(alternatives("mitigation"))
OBJECTION = re.compile(alternatives("objection"))
# a sanction of a named conduct, asked who decides it (a suspension, a licence revoked, a fine)
# who decides a named sanction ('扣车后的拘留归谁决定', '这拘留是派出所定的吗？谁裁决')
DECIDED_BY = re.compile(r"(处罚|罚款|吊销|降低资质|停业整顿|拘留)(?:[^。]{0,20}?(?:由|归|是)(?:哪|什么|谁)[^，。？]{0,8}"
                        r"(?:决定|作出|裁决|说了算)|是[^，。？]{0,10}(?:决定|裁决)的吗)")
GENERAL_DECISION = re.compile(r"本(法|条例|办法|规定)(第[^。]{0,40}?条)?规定的行政处罚|其他行政处罚")


def _deciding(u: Understanding, doc_key: str, corpus: Corpus) -> str | None:
    """Who decides a named sanction: the text's own article on who decides its penalties, when it covers the
    sanction asked about (道路交通安全法第一百一十一条 covers detention only)."""
    m = DECIDED_BY.search(u.text) if u.intent == "authority" else None
    pid = deciding_articles(corpus).get(doc_key) if m else None
    if pid is None:
        return None
    text = corpus.provisions[pid].text
    return pid if GENERAL_DECISION.search(text) or m.group(1) in text else None


CIVIL = re.compile(r"(民事|连带)(赔偿)?责任|连带赔偿|(一起|一块|共同)(承担|赔偿|赔|担)[^，。？]{0,4}(责任|损失)?")
HOW_MUCH = re.compile(r"罚多少|罚款多少|怎么罚|如何处罚|罚款幅度")


def _scenario_notes(u: Understanding, s: Scenario, cites: Citations) -> list[str]:
    notes = [render_note(s.note, cites)] if s.note else []
    if s.related:
        notes.append("相关规定：" + "、".join(cites.ref(pid, "相关规定") for pid in s.related) + "。")
    if s.general and "一般规定" not in s.note:
        notes.append("一般规定：" + "、".join(cites.ref(pid, "一般规定") for pid in s.general) + "。")
    if s.criminal:
        notes.append("涉嫌犯罪的，应依法移送司法机关；可能涉及" + "、".join(cites.ref(pid, "刑事责任") for pid in s.criminal)
                     + "。")
    if MITIGATION.search(u.text):
        notes.append(f"从轻、减轻或者不予处罚：{cites.ref('行政处罚法/32', '适用说明')}（应当从轻或者减轻的情形）、"
                     f"{cites.ref('行政处罚法/33', '适用说明')}（不予处罚、初次违法可以不予处罚）。")
    if any(pid.startswith("检验检测机构监督管理办法") for pid in (*s.penalty, *s.violated)):
        notes.append(renumber_note("检验检测机构监督管理办法"))
    return notes




def _band_verdicts(old: list[PenaltyRecord], new: list[PenaltyRecord]) -> list[str]:
    """Tier by tier, how the basic institution fines of two texts compare (行政处罚法第三十七条 从旧兼从轻)."""
    def band(records: list[PenaltyRecord], tier: str) -> tuple[float | None, float | None] | None:
        r = next((r for r in records if r.target == "机构" and r.tier == tier and r.has_fine), None)
        return (r.fine_min, r.fine_max) if r else None

    verdicts = []
    for tier in ("基本", "情节严重"):
        a, b = band(old, tier), band(new, tier)
        if a and b:
            if a == b:
                verdicts.append(f"{tier}档罚款幅度相同")
            elif (b[0] or 0) <= (a[0] or 0) and (b[1] or 0) <= (a[1] or 0):
                verdicts.append(f"{tier}档新规定较轻")
            elif (b[0] or 0) >= (a[0] or 0) and (b[1] or 0) >= (a[1] or 0):
                verdicts.append(f"{tier}档新规定较重")
            else:
                verdicts.append(f"{tier}档无法机械比较")
        elif a or b:
            verdicts.append(f"{tier}档{'新规定增设罚款，新规定较重' if b else '新规定取消罚款，新规定较轻'}")
    return verdicts


def _undecided(verdicts: list[str]) -> bool:
    return any("无法" in v or "仅" in v for v in verdicts)


def _new_is_lighter(verdicts: list[str]) -> bool:
    """The new text is lighter on every compared tier (and none could not be compared)."""
    lighter = any("新规定较轻" in v for v in verdicts) and not any("较重" in v for v in verdicts)
    return lighter and not _undecided(verdicts)


def _lighter_text(old: list[PenaltyRecord], new: list[PenaltyRecord]) -> str:
    """Compare the basic institution fines of two texts (行政处罚法第三十七条 从旧兼从轻)."""
    verdicts = _band_verdicts(old, new)
    if not verdicts:
        return "新旧规定的轻重无法机械判断，请结合案情比较。"
    tail = "新规定处罚较轻，适用新规定。" if _new_is_lighter(verdicts) else "新规定并不更轻，适用行为时的规定。"
    if _undecided(verdicts):
        tail = "请结合案情判断哪一规定对当事人更轻。"
    return "比较：" + "，".join(verdicts) + "；" + tail


def _basis_paragraph(s: Scenario, corpus: Corpus, past: Scenario | None) -> str:
    """The legal-basis paragraph of a 行政处罚决定书."""
    def cite(pid: str) -> str:
        return corpus.provisions[pid].citation

    lighter = past is not None and _new_is_lighter(_band_verdicts(_records(corpus, past.penalty, None),
                                                                  _records(corpus, s.penalty, None)))
    penalty = past.penalty if past and not lighter else s.penalty
    viol = (past.violated if past and not lighter else s.violated)
    parts = []
    if viol:
        parts.append(f"当事人的上述行为违反了{'、'.join(cite(p) for p in viol)}的规定，")
    else:
        parts.append(f"当事人{s.title}的行为，违反了{'、'.join(cite(p) for p in penalty)}的规定，")
    parts.append(f"构成{s.title}的违法行为。")
    rule = ""
    if past:  # 行政处罚法第三十七条: the law at the time of the conduct, unless the new one is lighter
        then = "、".join(cite(p) for p in past.penalty)
        parts.append(f"违法行为发生时施行的是{then}，依据{cite('行政处罚法/37')}，适用违法行为发生时的规定"
                     + ("；新的规定处罚较轻的，适用新的规定。" if lighter else "。"))
        rule = f"、{cite('行政处罚法/37')}"
    parts.append(f"依据{'、'.join(cite(p) for p in penalty)}{rule}的规定，本机关决定对当事人作出如下行政处罚：……")
    return "".join(parts)


# -- direct lookups -----------------------------------------------------------------------------------------

COUNTERPART = re.compile(alternatives("counterpart"))


def _counterparts(corpus: Corpus, ref: Ref, text: str) -> tuple[list[str], str]:
    """Where an old article now lives: (ids, how) — 'confirmed'/'proposed' maps of succession.yaml, or a text
    comparison with the successor of a repealed law ('similar', never shown as settled)."""
    from corpus.history import propose_maps, succession

    doc = corpus.documents.get(ref.doc_key or "")
    maps = succession().maps_from(ref.doc_key or "", ref.article or 0, para=ref.para)
    if doc is not None and not maps and (up := _superior_of(corpus, ref, text)):
        return [up], "superior"
    if doc is None or not maps and doc.status != REPEALED:
        return [], ""
    if maps and (OLD_VERSION.search(text) or doc.status == REPEALED or ref.article_id not in corpus.provisions):
        return [m.to for m in maps if m.to in corpus.provisions], maps[0].status
    successor = succession().repeals.get(doc.key, {}).get("successor")
    if doc.status != REPEALED or not successor or ref.article_id not in corpus.provisions:
        return [], ""
    item = corpus.provisions.get(ref.provision_id or "")
    if ref.item and item is not None and (found := _similar_item(corpus, item, successor)):
        return [found], "similar"  # '第某条第某项': the item named, compared with the successor's items
    old = corpus.provisions[ref.article_id]
    sub = build_sub(corpus, [old.id], successor)
    best = [new for old_id, new, _ in propose_maps(sub, old.doc_key, successor, threshold=0.3) if old_id == old.id]
    return best[:1], "similar"


def _similar_item(corpus: Corpus, item: Provision, new_doc: str, threshold: float = 0.5) -> str | None:
    """The item of a successor text whose words are closest to an old item's (its whole article would be
    compared with whole articles, where one item's words weigh little)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, item.text)
    scored = []
    for p in corpus.provisions.values():
        if p.doc_key == new_doc and p.kind == "item":
            matcher.set_seq2(p.text)
            if matcher.quick_ratio() >= threshold:
                scored.append((matcher.ratio(), p.id))
    best = max(scored, default=None)
    return best[1] if best and best[0] >= threshold else None


def _superior_of(corpus: Corpus, ref: Ref, text: str) -> str | None:
    """A regulation's 款/项 that the law the question names now governs ('原按条例某条某项处罚的，法律施行后
    引哪条'): the law's 款/项 from knowledge.yaml `superior` (curated, same conduct)."""
    from corpus.knowledge import knowledge

    table = knowledge().superior
    up = table.get(ref.provision_id or "") or (table.get(f"{ref.article_id}/1") if ref.para is None else None)
    named = named_documents(text, corpus)
    return up if up in corpus.provisions and corpus.provisions[up].doc_key in named else None


def build_sub(corpus: Corpus, old_ids: list[str], new_doc: str) -> Corpus:
    """A corpus view holding only some old articles and one new document (for a quick text comparison)."""
    view = Corpus(documents=corpus.documents)
    view.provisions = {pid: p for pid, p in corpus.provisions.items() if pid in old_ids or
                       (p.doc_key == new_doc and p.kind == "article")}
    return view


PENALTY_BEFORE = re.compile(r"(罚则|处罚|罚款|罚)[^，。？]{0,3}$")
PENALTY_AFTER = re.compile(r"^[^，。？]{0,2}(处罚|罚|处理)")


def _asks_counterpart(text: str) -> bool:
    """Where an article now lives is asked ('现在对应哪条', '变成第几条'), not which article sanctions (the 罚则
    asked, '按哪条处罚')."""
    def sanction(m: re.Match) -> bool:
        return bool(PENALTY_BEFORE.search(text[:m.start()]) or PENALTY_AFTER.search(text[m.end():]))
    return any(not (m.group() in ("哪条", "哪一条", "第几条") and sanction(m)) for m in COUNTERPART.finditer(text))


def answer_counterpart(u: Understanding, ref: Ref, corpus: Corpus) -> Answer | None:
    """'大气法112条对应法典哪条' / '旧版第二十六条如今是第几条': lead with where the text now is."""
    if not COUNTERPART.search(u.text):
        return None
    ids, how = _counterparts(corpus, ref, u.text)
    if not ids or not (_asks_counterpart(u.text) or corpus.penalties_for(ids[0])):
        return None  # '罚则是哪条' of an old duty's number: the lookup leads with the duty's sanction today
    cites = Citations(corpus)
    old = corpus.provisions.get(ref.article_id or "")
    new = corpus.provisions[ids[0]]
    label = {"confirmed": "已核对", "proposed": "按条号后移规则推定，未逐条核对", "similar": "按文本相似度自动比对，未经人工确认",
             "superior": "上位法对同一行为的规定，知识库人工整理"}[how]
    from corpus.history import succession

    maps = succession().maps_from(ref.doc_key or "", ref.article or 0, para=ref.para)
    if old and corpus.documents[old.doc_key].status == REPEALED:
        old_text = cites.ref(old.id, "条号沿革") + (f"第{int_to_cn(maps[0].from_para)}款" if maps and maps[0].from_para else "")
    else:
        old_text = f"《{corpus.documents[ref.doc_key].title}》{maps[0].label}" if maps else ref.raw
    conclusion = f"{old_text}的内容现为{cites.ref(new.id, '现行条文')}（{label}）：“{retrieve.answer_sentences(u.text, new.text)[0]}”"
    lines = ["### 结论", conclusion, ""]
    recs = [r for r in corpus.penalties_for(new.id) or corpus.penalties_for(new.article_id) if r.kind == "处罚"]
    if not recs and PENALTY_QUESTION.search(u.text):  # a duty's new place and its 罚则 asked: the breach's sanction
        recs = _sanctions_of_duty(corpus, new.article_id)
    if recs:
        lines += ["### 现行罚则", *penalty_table(recs, cites), ""]
    before = [r for r in corpus.penalties_for(old.article_id) if r.kind == "处罚"] if old and how == "superior" else []
    if before:  # the regulation still in the corpus: its range beside the law's, to compare
        lines += [f"### 原引用的《{corpus.documents[old.doc_key].title}》罚则（对照）", *penalty_table(before, cites), ""]
    from corpus.history import describe

    lines += describe(corpus, new.id)
    ans = Answer(question=u.text, markdown="", intent="lookup", conclusion=conclusion, route="counterpart",
                 lead=new.id, penalties=[r.to_dict() for r in recs],
                 confidence={"confirmed": 0.9, "superior": 0.9, "proposed": 0.6}.get(how, 0.45),
                 notice="" if how in ("confirmed", "superior") else f"条文对应关系{label}，请核对")
    _finish(ans, lines, cites, corpus, [])
    return ans


def _sanctions_of_duty(corpus: Corpus, article_id: str) -> list[PenaltyRecord]:
    """The penalty records of the articles whose conduct is a breach of an obligation article ('违反本办法第十五条')."""
    pids = dict.fromkeys(e.penalty_id for e in catalogue(corpus) if article_id in e.obligations and e.in_force)
    return [r for pid in pids for r in corpus.penalties_for(pid) if r.kind == "处罚"]


def answer_lookup(u: Understanding, refs: list[Ref], corpus: Corpus) -> Answer:
    """'特种设备安全法第九十三条': the article (or 款/项) itself, its version and status, its penalty table; an
    article the corpus does not have is said so, never guessed."""
    cites = Citations(corpus)
    found = [(ref, corpus.provisions[ref.article_id]) for ref in refs[:4] if ref.article_id in corpus.provisions]
    lines = [line for ref in refs[:4] if ref.article_id not in corpus.provisions
             for line in _missing_article_lines(u, ref, corpus)]
    conclusion, records, problems = "", [], []
    for ref, art in found:
        block, recs, said, problem = _article_block(u, ref, art, cites, corpus)
        lines += block
        records += recs
        conclusion = conclusion or said
        problems += [problem] if problem else []
    if not found:
        conclusion = "语料中没有所问条文。"
        if near := _nearest(u, corpus, cites):
            lines += ["最接近的条文（仅供参考）：", *near]
    lines = ["### 结论", conclusion, "", *lines]
    if problems and len(found) == 1:
        conclusion = f"语料中没有所问的款项：{problems[0]}。"
    ok = bool(found) and not problems
    ans = Answer(question=u.text, markdown="", intent="lookup", conclusion=conclusion, route="lookup",
                 lead=_looked_up(u, found, corpus),
                 penalties=[r.to_dict() for r in records], confidence=1.0 if ok else 0.3 if found else 0.0,
                 declined=not found, notice="" if ok else "所问条文或款项在语料中不存在")
    _finish(ans, lines, cites, corpus, [])
    return ans


SANCTION_ASKED = re.compile(PENALTY_ASK.pattern + r"|罚则|(哪|几)一?条[^，。？]{0,2}(处罚|罚)")


def _looked_up(u: Understanding, found: list, corpus: Corpus) -> str:
    """The lead of a lookup: the article asked, or where its old number now lives when the citation is dated
    before the current version."""
    from corpus.history import succession

    if not found:
        return ""
    ref, art = found[0]
    old = cited_before_version(u, art, corpus) or bool(OLD_VERSION.search(u.text))
    maps = succession().maps_from(ref.doc_key or "", ref.article) if old else []
    if not maps:
        return art.id
    if SANCTION_ASKED.search(u.text) and not corpus.penalties_for(maps[0].to):  # an old duty's present 罚则 asked
        return next((r.provision_id for r in _sanctions_of_duty(corpus, maps[0].to)), maps[0].to)
    return maps[0].to


def _missing_article_lines(u: Understanding, ref: Ref, corpus: Corpus) -> list[str]:
    """An article number the corpus does not have: its history if it is an old number, else a loud 'no such'."""
    from corpus.history import old_number_lines

    if history := old_number_lines(corpus, ref, u.text):
        return history
    doc = corpus.documents.get(ref.doc_key or "")
    n_articles = max((p.article or 0) for p in corpus.provisions.values()
                     if doc and p.doc_key == doc.key and p.kind == "article") if doc else 0
    asked = ref.raw[len(ref.name):].strip("》 ") or "该条"
    return [f"⚠ 《{doc.title if doc else ref.name}》共{n_articles}条，语料中没有所问的“{asked}”。"
            "不作推测，也不会给出该条的内容或罚款金额。"]


def _article_block(u: Understanding, ref: Ref, art, cites: Citations, corpus: Corpus
                   ) -> tuple[list[str], list[PenaltyRecord], str, str]:
    """(lines, penalty records, conclusion, problem) for one article found in the corpus."""
    from corpus.history import describe, old_number_lines

    doc = corpus.documents[art.doc_key]
    target = corpus.provisions.get(ref.provision_id or "", art)
    lines = [f"### {target.citation}{cites.mark(art.id, '查询条文')}"]
    old = cited_before_version(u, art, corpus)
    history = old_number_lines(corpus, ref, u.text, old)
    records, conclusion = [], ""
    if history:
        block, records, conclusion = _moved_lines(u, ref, art, history, cites, corpus, old)
        lines += block
    status = "⚠ 已废止" if doc.status == REPEALED else doc.status
    lines += [f"《{doc.title}》{doc.version_date or ''}版，{status}。", *describe(corpus, art.id)]
    if target is not art:
        lines.append(f"> {target.text}")
    if problem := resolve(ref, corpus):
        lines.append(f"⚠ {problem}，语料中没有所问的款项；以下为该条全文，不作推测。")
    if recs := [r for r in corpus.penalties_for(art.id) if r.kind == "处罚"]:
        records += recs
        lines += ["", *penalty_table(recs, cites)]
    conclusion = conclusion or f"{target.citation}：{retrieve.best_sentence(u.text, target.text)}"
    return [*lines, ""], records, conclusion, problem or ""


def cited_before_version(u: Understanding, art, corpus: Corpus) -> bool:
    """Whether the question dates the article's citation before the version in the corpus took effect (a
    decision of 2023 citing a rule revised in 2025: the old numbering is meant)."""
    doc = corpus.documents[art.doc_key]
    since = doc.own_effective_date or doc.version_date
    return bool(u.conduct_date and since and u.conduct_date < since)


def _moved_lines(u: Understanding, ref: Ref, art, history: list[str], cites: Citations,
                 corpus: Corpus, old: bool = False) -> tuple[list[str], list[PenaltyRecord], str]:
    """An old article number: where its text now lives and the current penalty table."""
    from corpus.history import succession

    maps = succession().maps_from(ref.doc_key or "", ref.article)
    lines, records, conclusion = list(history), [], ""
    for m in maps:
        recs = [r for r in corpus.penalties_for(m.to) if r.kind == "处罚"] or _sanctions_of_duty(corpus, m.to)
        lines.append(f"- 对应现行条文：{cites.ref(m.to, '条号沿革')}")
        if recs and m.to != art.id:
            records += recs
            lines += ["", *penalty_table(recs, cites)]
        if (old or OLD_VERSION.search(u.text)) and not conclusion:
            title = corpus.documents[art.doc_key].title
            conclusion = (f"《{title}》{maps[0].label}（{maps[0].topic}）现为{corpus.provisions[m.to].citation}。"
                          f"旧版罚则：{maps[0].old_penalty or '原文未收录'}；现行罚则：{maps[0].new_penalty or '见下表'}。")
    return [*lines, ""], records, conclusion


# -- retrieval answers --------------------------------------------------------------------------------------

def _nearest(u: Understanding, corpus: Corpus, cites: Citations, k: int = 3) -> list[str]:
    try:
        hits = retrieve.articles_only(retrieve.search(u.expanded, k=k * 2), corpus)[:k]
    except SearchFailed:
        return []
    return [f"- {cites.ref(h.provision.id, '参考')}：{retrieve.best_sentence(u.text, h.provision.text)[:120]}"
            for h in hits]


def _article(pid: str) -> str:
    """'特种设备安全法/93/1/3' → '特种设备安全法/93'."""
    return "/".join(pid.split("/")[:2])


def _retrieval_differs(alt: Answer, ans: Answer, s: Scenario) -> bool:
    """A confident retrieval answer with penalty records from an article the scenario does not cite."""
    if alt.declined or not alt.penalties or alt.confidence < RETRIEVAL_OVER_SCENARIO:
        return False
    article = _article(alt.penalties[0]["provision_id"])
    cited = {_article(pid) for pid in (*s.penalty, *s.violated, *s.related, *s.general)}
    return article not in cited and article not in {_article(c.provision_id) for c in ans.citations}


@functools.cache
def _law_names() -> tuple[str, ...]:
    """Short names of every law in laws.db (at least four characters), longest first; () without a laws.db."""
    from corpus.config import laws_db
    from corpus.laws import list_laws

    try:
        names = {n.removeprefix("中华人民共和国") for _, n, _ in list_laws(laws_db())}
    except Exception:
        return ()
    return tuple(sorted((n for n in names if len(n) >= 4), key=len, reverse=True))


def catalogued_but_absent(text: str, corpus: Corpus) -> list[str]:
    """Documents the catalogue knows by name (监督管理办法, 39号令…) that this corpus does not hold: a question
    naming one is declined, never answered from another text."""
    from corpus.catalog import ALIASES

    out = []
    for key, aliases in ALIASES.items():
        if key in corpus.documents:
            continue
        if any(len(n) >= 4 and n in text for n in (key, *aliases)):
            out.append(key)
    return out


def absent_laws(text: str, corpus: Corpus) -> list[str]:
    """National laws (by their names in laws.db) that the question names and the corpus does not hold:
    '药品管理法关于药品检验机构…' must not be answered from another law."""
    out: list[str] = []
    for name in _law_names():
        if name in text and corpus.find_document(name) is None and not any(name in o for o in out):
            out.append(name)
    return out


REGULATION_NAME = re.compile(r"《([^》]{2,40})》|([\u4e00-\u9fff]{4,20}条例)|([\u4e00-\u9fff]{6,20}(?:管理规定|实施细则|管理办法))|"
                             # a technical code or standard by its number ('TSG T7001', 'GB 7258', 'HJ 212')
                             r"(?<![A-Za-z])((?:TSG|GB/T|GB|HJ/T|HJ|JJG|JJF|RB/T|GA|CNAS-[A-Z]{2})\s?[A-Z]?\s?\d{2,5}(?:[.-]\d+)*)")
LEADING_VERB = re.compile(r"^(违反|按照|依照|根据|依据|参照|对照|按|依|照)")
ASKING_WORDS = re.compile(r"^.*(适用|还是|应当|应该|按照|依照|根据|依据|参照|违反|是)了?")
NOT_A_NAME = re.compile(r"^(违反|按照|依照|根据|依据|按|依|本|该|这个|那个|有关|相关|国家)|不按|没有|没|未|不")


def unknown_regulations(text: str, corpus: Corpus) -> list[str]:
    """Regulations the question names that the corpus does not hold ('医疗器械监督管理条例')."""
    out = []
    for m in REGULATION_NAME.finditer(text):
        name = (m.group(1) or m.group(2) or m.group(3) or m.group(4)).strip()
        if m.group(3) and NOT_A_NAME.search(name):
            continue
        name = LEADING_VERB.sub("", name)  # '依…管理条例': the name after the verb
        if m.group(2):  # '适用条例或是…': the words after the last function word, and no bare '条例'
            name = ASKING_WORDS.sub("", name)
            if len(name) <= 3:
                continue
        if corpus.find_document(name) is not None or any(name.endswith(a) for a in corpus.alias_index if len(a) >= 3):
            continue
        out.append(name)
    return out


SECTOR_REGULATION = {"特种设备": "特种设备安全监察条例", "生态环境": "生态环境监测条例", "机动车": "道路交通安全法实施条例",
                     "建设工程": "建设工程质量管理条例"}


def named_documents(text: str, corpus: Corpus, sector: str | None = None) -> set[str]:
    """Documents the question names without an article number ('监察条例规定罚多少'); a bare '条例' means the
    sector's regulation."""
    out = set()
    if sector in SECTOR_REGULATION and re.search(r"(^|[^\u4e00-\u9fff]|[按依据照的])条例", text):
        out.add(SECTOR_REGULATION[sector])
    for key in refs_named_documents(text, corpus):
        if not any(key == k or key in k for k in out):
            out.add(key)
    return out


def _statute_first(u: Understanding, hits: list, corpus: Corpus) -> list:
    """A case only illustrates; a plan item guides the campaign but sanctions nothing (unless the plan is named)."""
    plan_last = not PLAN_NAMED.search(u.text)
    return sorted(hits, key=lambda h: (corpus.documents[h.provision.doc_key].doc_type == "典型案例",
                                       plan_last and h.provision.doc_key in PLAN_KEYS))


def _retrieval_hits(u: Understanding, corpus: Corpus, doc_keys: list[str] | None, penalty: bool,
                    rules_only: bool) -> list[retrieve.Hit]:
    """Article hits for a question (repealed texts only when named or the conduct is dated; `rules_only`: no
    sanctioning article)."""
    include_repealed = bool(doc_keys) and any(corpus.documents[k].status == REPEALED for k in doc_keys) or bool(
        u.conduct_date and u.conduct_date < date.today().isoformat())
    hits = retrieve.articles_only(retrieve.search(u.expanded, k=12, penalty=penalty or None, doc_keys=doc_keys,
                                                  include_repealed=include_repealed), corpus)
    if rules_only:
        hits = [h for h in hits if not any(r.kind == "处罚" for r in corpus.penalties_for(h.provision.id))]
    return hits


def answer_retrieval(u: Understanding, corpus: Corpus, doc_keys: list[str] | None = None,
                     rules_only: bool = False, extra: Callable[[Citations], list[str]] | None = None,
                     first: str | None = None, insist: bool = False) -> Answer:
    """The best-matching article, quoted; `rules_only` leaves sanctioning articles out (the public mode answers
    from the rules, not from 法律责任); `first` (an article id among the hits) leads — with `insist`, even when the
    search did not find it (curated knowledge named it); `extra` adds lines."""
    cites = Citations(corpus)
    penalty = u.intent == "penalty"
    hits = _retrieval_hits(u, corpus, doc_keys, penalty, rules_only)
    dated = [h for h in hits if in_force_on(corpus.documents[h.provision.doc_key], u.conduct_date)] \
        if u.conduct_date else hits  # the searcher already leaves repealed texts out unless the question names them
    if not hits:
        return _not_found(u, corpus, cites, [])
    if not dated:  # no text of the corpus was in force then: today's, said loudly, instead of nothing
        ans = answer_retrieval(replace(u, conduct_date=None), corpus, doc_keys, rules_only, extra, first, insist)
        note = f"语料中没有在{u.conduct_date[:7]}（问题所述时间）已施行的相关文本；以下为现行条文，适用前请核对行为时的规定。"
        ans.markdown = f"> ⚠ {note}\n\n{ans.markdown}"
        ans.notice = f"{note} {ans.notice}".strip()
        ans.confidence = min(ans.confidence, 0.5)
        return ans
    hits = _reorder(u, dated, corpus)
    if first and (lead := next((h for h in hits if h.provision.id == first), None)):
        hits = _to_front(hits, lead)
    elif insist and first in corpus.provisions:
        hits = [retrieve.Hit(corpus.provisions[first], hits[0].score), *hits]  # named by curated knowledge
    top = hits[0]
    conf = _word_share(u, top, corpus)
    corroborated = _corroborated(top)  # everyday words that share little with the statute's, but both agree
    named = (insist and top.provision.id == first) or _named_by_structure(u, top, corpus)
    if conf < LOW_CONFIDENCE and not (conf > 0 and corroborated) and not named:  # named by knowledge or structure
        return _not_found(u, corpus, cites, hits[:3])
    lines = ["### 结论"]
    sentences = _answering(u.text, top.provision.text)
    conclusion = f"依据{cites.ref(top.provision.id, '依据')}：{retrieve.quote(top.provision.text, sentences)}"
    lines += [conclusion, ""]
    records: list[PenaltyRecord] = []
    if penalty:
        for h in hits[:4]:
            recs = [r for r in corpus.penalties_for(h.provision.id) if r.kind == "处罚"]
            if recs:
                records = recs
                lines.append("### 处罚依据与幅度")
                lines += penalty_table(recs, cites)
                lines.append("")
                break
    lines += extra(cites) if extra else []
    others = [h for h in hits[1:4] if retrieve.overlap(u.text, h.provision.text) >= LOW_CONFIDENCE / 2]
    if others:
        lines.append("### 相关条文")
        for h in others:
            lines.append(f"- {cites.ref(h.provision.id, '相关')}：{retrieve.best_sentence(u.text, h.provision.text)[:140]}")
        lines.append("")
    ans = Answer(question=u.text, markdown="", intent=u.intent, conclusion=conclusion, lead=top.provision.id,
                 route="retrieval", penalties=[r.to_dict() for r in records], confidence=round(min(conf, 0.85), 2),
                 evidence={"overlap": conf, "margin": _gap(hits), "corroborated": float(corroborated),
                           "agree": _agree(top)})
    _finish(ans, lines, cites, corpus, _matching_cases(corpus, u, cites.ids()) if penalty else [])
    return ans


def _named_by_structure(u: Understanding, top: retrieve.Hit, corpus: Corpus) -> bool:
    """The lead is what the question's structure asks for, however few words it shares: the text's own deciding
    article, the text naming who shares a civil liability asked, or the office a text names to take the asked
    complaint ('向谁举报' → '有权向…部门举报')."""
    if _deciding(u, top.provision.doc_key, corpus) == top.provision.id:
        return True
    if CIVIL.search(u.text) and SHARED_LIABILITY.search(top.provision.text):
        return True  # a shared civil liability asked: the text that says who shares it
    if COMPLAINT_WHERE.search(u.text) and COMPLAINT_OFFICE.search(top.provision.text):
        return True
    return bool((does := _doing_asked_act(u)) and does.search(top.provision.text))  # the department doing the act


def _reorder(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """The search's order, corrected by what the question asks: its words, a rule for whether a thing is allowed,
    its sector, a text's 施行 article for when it took effect; statutes before plan items and cases."""
    for step in (_rerank_by_wording, _subject_first, _shape_first, _authority_first, _structural_first, _rule_first,
                 _sector_fit_first, _effective_first, _statute_first, _decider_first, _referred_first):
        hits = step(u, hits, corpus)
    return hits


# '…依照本法第六十三条的规定召回': a text that does a duty by another article's rule
REFERS = numbered(r"(?:依照|按照|依据)本(?:法|条例|办法|规定)第{n}条的?规定")


def _referred_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """A rule question whose first hit only applies another article of its text ('进口商…依照本法第六十三条的规定
    召回'), that article found next to it about as well: the article that sets the rule goes first."""
    if not hits or u.intent in ("penalty", "crime"):
        return hits
    top = hits[0]
    for m in REFERS.finditer(top.provision.text):
        pid = f"{top.provision.doc_key}/{cn_to_int(m.group(1))}"
        found = next((h for h in hits[1:3] if h.provision.id == pid), None)
        if found is not None and found.score >= top.score * 0.9:
            return _to_front(hits, found)
    return hits


def _decider_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """Who decides a fine already imposed: the found text's own article on who decides its penalties."""
    pid = _deciding(u, hits[0].provision.doc_key, corpus) if hits else None
    if pid is None or pid == hits[0].provision.id:
        return hits
    found = next((h for h in hits if h.provision.id == pid), None)
    return _to_front(hits, found) if found else [retrieve.Hit(corpus.provisions[pid], hits[0].score), *hits]


def _word_share(u: Understanding, hit: retrieve.Hit, corpus: Corpus) -> float:
    """Share of the question's words (or, a little discounted, of its expansion) the hit's text holds; the words
    that name a document the question refers to say where to look, not what is asked."""
    titles = [corpus.documents[k].title for k in named_documents(u.text, corpus)]
    ignore = frozenset(w for w in retrieve.terms(u.text) if any(w in t for t in titles))
    text = hit.provision.text
    return max(retrieve.overlap(u.text, text, ignore), retrieve.overlap(u.expanded, text, ignore) * 0.9)


def _corroborated(hit: retrieve.Hit) -> bool:
    """Both the BM25 and the dense retriever rank the article among their first two."""
    return all(hit.ranks.get(system, CORROBORATING_RANK + 1) <= CORROBORATING_RANK for system in ("bm25", "dense"))


def _rerank_by_wording(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """Among the first three hits, the one whose text shares clearly more of the question's words goes first
    (a semantic near-miss like '故意刁难' for '不肯配合执法检查' does not outrank the article that says it); then
    a law stating the same as a regulation or rule ahead of it goes first (lex superior)."""
    head = hits[:3]
    cues = [b for a, b in retrieve.ASK_CUES if a.search(u.text)]
    shares = [_fit(u, h) for h in head]  # each hit's share of the question's words, computed once

    def cued(h: retrieve.Hit) -> int:
        best = retrieve.answer_sentences(u.text, h.provision.text)[0]
        return sum(1 for b in cues if b.search(best))
    scored = [(share + CUE_WEIGHT * cued(h), n, h) for n, (share, h) in enumerate(zip(shares, head, strict=True))]
    best = max(scored, key=lambda x: (x[0], -x[1]))
    whole = next((h for s, h in zip(shares[1:], head[1:], strict=True) if s == 1.0), None) if shares[0] < 1.0 else None
    if best[1] != 0 and best[0] >= scored[0][0] + RERANK_MARGIN:
        hits = _to_front(hits, best[2])
    elif whole is not None:  # the first of the next two holding every word the question asks with, the top not
        hits = _to_front(hits, whole)
    if DEFINITION.search(u.text):
        return _defining_first(u.text, hits)  # '算不算篡改': the defining text answers, whatever its rank
    return _law_first(hits, scored, corpus)


OPENING = 14  # characters of a provision's opening that name its subject ('某某负责人应当具备…')


def _subject_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """A fact question about someone ('质量主管得干满几年') is answered by the provision whose subject that person
    is, not by one that lists them among others: when the top hit's opening names none of the persons the question
    names, a near one among the first three whose opening does goes first."""
    if u.intent in ("penalty", "crime") or len(hits) < 2:
        return hits
    roles = _roles(u.text, [h.provision.text[:OPENING] for h in hits[:3]])
    if not roles or any(r in hits[0].provision.text[:OPENING] for r in roles):
        return hits
    return _promote(u, hits, lambda h: any(r in h.provision.text[:OPENING] for r in roles), 3, RERANK_MARGIN)


def _roles(text: str, openings: list[str]) -> set[str]:
    """The persons a question names; with the two characters before them when the openings use that title
    ('技术负责人', not just '负责人', which the quality manager's article opens with too)."""
    bare = {w for w in retrieve.terms(text) if re.search(r"(负责人|签字人|人员|员)$", w)}
    titled = {m.group(0) for w in bare for m in re.finditer(rf"[^的和与及、，。？\W\d]{{2}}{w}", text)}
    return {r for r in titled if any(r in o for o in openings)} or bare


def _effective_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """'这个办法哪天开始施行': the named text's own 施行 article answers, wherever the search ranked it."""
    named = named_documents(u.text, corpus)
    if not EFFECTIVE_ASK.search(u.text) or len(named) != 1 or not hits:
        return hits
    key = next(iter(named))
    arts = [p for p in corpus.provisions.values()
            if p.doc_key == key and p.kind == "article" and EFFECTIVE_TEXT.search(p.text)]
    if not arts:
        return hits
    art = max(arts, key=lambda p: (p.article or 0, p.article_suffix))
    hit = next((h for h in hits if h.provision.id == art.id), None) or retrieve.Hit(
        provision=art, score=hits[0].score, ranks={"lookup": 1})
    return _to_front(hits, hit)


def _sector_fit_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """A sector's own law does not answer a question that names no such sector ('检测员在两家公司同时上班' is
    not about 特种设备 inspectors): a text of the question's sector, or a general one, that fits about as well
    goes first."""
    if not hits or sector_of_document(hits[0].provision.doc_key) in (None, u.sector):
        return hits
    if sector_of_document(hits[0].provision.doc_key) == "综合":  # the named sector's own text, when as near
        if u.sector is None:
            return hits
        return _promote(u, hits, lambda h: sector_of_document(h.provision.doc_key) == u.sector, 4, RERANK_MARGIN)
    # a question naming another sector needs a near fit; one naming none, a general text that fits better
    wanted = ("综合", u.sector) if u.sector is not None else ("综合",)
    slack = RERANK_MARGIN if u.sector is not None else -0.01
    return _promote(u, hits, lambda h: sector_of_document(h.provision.doc_key) in wanted, 4, slack)


def _shape_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """'吊销以后隔多长时间可以再申请': an answer of the asked shape (a duration) must be in the text; when the first hit
    holds none and a near one does, the near one goes first."""
    asked, shape = retrieve.ASK_CUES[0]  # the duration
    if not hits or not asked.search(u.text) or shape.search(hits[0].provision.text):
        return hits

    return _promote(u, hits, lambda h: bool(shape.search(h.provision.text)), 3, RERANK_MARGIN)


AUTH_ACT = re.compile(r"调查|查处|处罚|监督检查|监督管理|发布|吊销|审批|核发|颁发|发放|登记|组织实施|决定|裁决|投诉|举报")
COMPLAINT_OFFICE = re.compile(r"(部门|机关)[^。；，]{0,4}(投诉|举报)")
COMPLAINT_WHERE = re.compile(r"(去|到|向|找|上)(哪|谁)(里|儿|个|家)?[^，。？]{0,4}(投诉|举报|反映|控告|检举|告(他|她|它|状|发))")
AGENCY = r"(部门|机关|总局|人民政府|管理局|车辆管理所)"
# a grant asked of ('资质是国家发还是省里发', '申请许可找谁'): the text by which an authority grants it answers
GRANT_ASK = re.compile(r"申请[^，。？]{0,8}(资质|许可|证|认定|资格|CMA|cma|核准)|颁发|审批|"
                       r"(资质|许可|证书|认定|CMA|cma)[^，。？]{0,16}申请|(拿|领|办|申领)[^，。？]{0,4}(证|资质|CMA|cma|许可)|"
                       r"(?<![出签开])发(?=的|吗|呢|还是)|批(?=的|吗|呢|还是)")
GRANT_ACTS = {"组织实施", "审批", "核发", "颁发", "发给", "许可"}


def _doing_asked_act(u: Understanding) -> re.Pattern | None:
    """For 'which department does X': a department doing the asked act ('…主管部门负责调查…', '由市场监管总局负责
    组织实施' for a grant asked), None when the question asks no authority or names no act."""
    acts = set(AUTH_ACT.findall(u.text)) | ({"投诉", "举报"} if COMPLAINT_WHERE.search(u.text) else set()) | \
        (GRANT_ACTS if GRANT_ASK.search(_authority_sentence(u.text)) else set())
    if u.intent != "authority" or not acts:
        return None
    return re.compile(AGENCY + r"[^。；，]{0,8}(负责|依法|按照职责)?(" + "|".join(sorted(acts)) + ")")


LEVELS = ((re.compile(r"国家|总局|中央|部委|国务院"), re.compile(r"总局|国务院")),
          (re.compile(r"省"), re.compile(r"省级|省、自治区、直辖市")),
          (re.compile(r"(?<!城)市(?!场)"), re.compile(r"设区的市|市级")), (re.compile(r"县"), re.compile(r"县级")))


def _levels_named(question: str, text: str | None = None) -> int:
    """How many of the government levels a question weighs ('找省局还是总局') a text names (all it weighs when no
    text is given)."""
    return sum(1 for asked, named in LEVELS if asked.search(question) and (text is None or named.search(text)))


def _authority_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """For 'which department does X': the text where a department does the asked act ('…主管部门负责调查…')
    answers, not one that only mentions it ('由负责调查的部门将…列入名单'); such a near hit goes first."""
    does = _doing_asked_act(u)
    if does is None or not hits or does.search(hits[0].provision.text):
        return hits
    asked = _authority_sentence(u.text)  # who decides asked before another matter: fit on that sentence
    ua, ok = replace(u, text=asked, expanded=asked), (lambda h: bool(does.search(h.provision.text)))
    hits = _higher_first(ua, _promote(ua, hits, ok, 3, RERANK_MARGIN), ok, corpus)
    if ok(hits[0]) or _levels_named(u.text) < 2:
        return hits
    # one level or another weighed ('找省局还是总局'): the searched text's own article giving the act to a
    # department, wherever the search ranked it
    own = [p for p in corpus.provisions.values() if p.doc_key == hits[0].provision.doc_key and p.kind == "article"
           and does.search(p.text)]
    best = max(own, key=lambda p: (_levels_named(u.text, p.text), _fit(ua, retrieve.Hit(p, 0.0))), default=None)
    found = best and (next((h for h in hits if h.provision.id == best.id), None) or retrieve.Hit(best, hits[0].score))
    return _to_front(hits, found) if found else hits


def _structural_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """What the question asks names the kind of article that answers, found in the texts wherever the search
    ranked it: '向谁举报' the office that takes complaints (corpus.conduct.complaint_articles), '要不要一起赔'
    who shares a civil liability (shared_liability_articles, its sector's texts only) — of the texts in force
    when the conduct happened, the question's sector's first (complaints: else the general ones), the best
    fitting, the law's before its regulation's."""
    if not hits:
        return hits
    if COMPLAINT_WHERE.search(u.text):
        found, general = complaint_articles(corpus), True
    elif CIVIL.search(_not_set_aside(u.text)) and not HOW_MUCH.search(u.text):
        found, general = shared_liability_articles(corpus), False
    else:
        return hits
    arts = [p for p in map(corpus.provisions.get, found) if _in_force_then(u, corpus.documents[p.doc_key])]
    docs = set(sector_documents(u.sector))
    own = [p for p in arts if p.doc_key in docs]
    arts = own or ([p for p in arts if sector_of_document(p.doc_key) == "综合"] if general else [])
    if not arts:
        return hits
    fit = {p.id: _fit(u, retrieve.Hit(p, 0.0)) for p in arts}
    near = [p for p in arts if fit[p.id] >= max(fit.values()) - RERANK_MARGIN]
    level = (lambda p: -RANK.get(corpus.documents[p.doc_key].doc_type, 4)) if own else (lambda p: 0)
    best = max(near, key=lambda p: (level(p), retrieve.overlap(u.text, p.text), fit[p.id]))
    hit = next((h for h in hits if h.provision.id == best.id), None) or retrieve.Hit(best, hits[0].score)
    return _to_front(hits, hit)


def _in_force_then(u: Understanding, doc) -> bool:
    """In force when the conduct happened (a dated question), else now."""
    return in_force_on(doc, u.conduct_date) if u.conduct_date else doc.status != REPEALED


def _not_set_aside(text: str) -> str:
    """The question without what it sets aside ('民事赔偿责任之外另受何种处罚': not the civil liability asked)."""
    return NOT_ASKED.sub("", re.sub(r"除了?[^，。？]{0,10}(民事|赔偿)(赔偿)?责任", "", text))


def _higher_first(u: Understanding, hits: list[retrieve.Hit], ok: Callable[[retrieve.Hit], bool], corpus: Corpus
                  ) -> list[retrieve.Hit]:
    """Of a regulation's article and its law's that both do the asked act about as well (条例49 and 特种设备安全法56
    on complaints), the law's goes first."""
    def level(h: retrieve.Hit) -> int:
        return RANK.get(corpus.documents[h.provision.doc_key].doc_type, 4)

    if not hits or not ok(hits[0]) or level(hits[0]) not in (1, 2):  # a regulation's or a rule's article
        return hits
    sector, top = sector_of_document(hits[0].provision.doc_key), _fit(u, hits[0])
    higher = next((h for h in hits[1:5] if ok(h) and level(h) < level(hits[0]) and _fit(u, h) >= top - RERANK_MARGIN
                   and sector_of_document(h.provision.doc_key) == sector), None)
    return _to_front(hits, higher) if higher else hits


def _authority_sentence(text: str) -> str:
    """The question up to the end of the sentence that asks who decides (all of it when that is the last)."""
    m = AUTHORITY_ASK.search(text)
    ends = [i for i in (text.find(p, m.end()) for p in "。；！？?") if i >= 0] if m else []
    return text[:min(ends) + 1] if ends else text


SANCTION_TIME = re.compile(r"扣|吊销|撤销|拘留|禁|不得|不能再|不准|不许|再申请|重新申请|停业|停止执业|罚")


def _duty_time_first(text: str) -> bool:
    """A duty's time asked before the sanction ('隔几天得检查一回？没做到会怎样'), not a sanction's own length
    ('扣证多久、罚多少')."""
    d, p = DUTY_FIRST.search(text), PENALTY_ASK.search(text)
    if not (d and p and d.start() < p.start()):
        return False
    return not _sanction_length(text, d)


def _sanction_length(text: str, asked: re.Match) -> bool:
    """Whether the clause of a time asked names a sanction whose length it asks (a licence held, a bar on
    applying again)."""
    start = max(text.rfind(c, 0, asked.start()) for c in "，。？；,?")
    end = min((i for i in (text.find(c, asked.end()) for c in "，。？；,?") if i >= 0), default=len(text))
    return bool(SANCTION_TIME.search(text[start + 1:end]))


def _rule_first(u: Understanding, hits: list[retrieve.Hit], corpus: Corpus) -> list[retrieve.Hit]:
    """'能不能给企业做推荐': whether a thing is allowed is said by the rule, not by the article punishing a
    breach; a rule among the first three that fits about as well goes first. So too for a duty's time asked
    before the sanction ('隔几天得检查一回？没做到会怎样') or with none: the rule says the time."""
    duty = _duty_time_first(u.text)
    d = DUTY_FIRST.search(u.text)
    period = u.intent == "fact" and bool(d) and not PENALTY_QUESTION.search(u.text) and not _sanction_length(u.text, d)
    allowed = PERMISSION.search(u.text) and not KEEPS_LICENCE.search(u.text)  # keeping one's licence: a sanction asked
    if u.intent == "penalty" or not (duty or period or allowed) or not hits \
            or (u.intent == "authority" and not PERMISSION.search(_authority_sentence(u.text))):
        return hits

    def sanctions(h: retrieve.Hit) -> bool:
        return any(r.kind == "处罚" for r in corpus.penalties_for(h.provision.id))
    if period and (sanctions(hits[0]) or not PERIOD_TEXT.search(hits[0].provision.text)):
        # a period asked with no sanction (by when a registration is due): the rule that states one, of the first five
        return _promote(u, hits, lambda h: not sanctions(h) and bool(PERIOD_TEXT.search(h.provision.text)), 5, 1.0)
    if not sanctions(hits[0]):
        return hits
    if duty:  # the sanction asked after the duty pulls the search towards 罚则: fit the duty's part alone
        asked = u.text[:PENALTY_ASK.search(u.text).start()]
        return _promote(replace(u, text=asked, expanded=asked), hits, lambda h: not sanctions(h), 5, RERANK_MARGIN)
    return _promote(u, hits, lambda h: not sanctions(h), 3, RERANK_MARGIN)


KEEPS_LICENCE = re.compile(r"(驾驶证|驾照|执照|资质|证书|许可证|资格)[^，。？]{0,6}(还能|能不能|能|可以|会不会)[^，。？]{0,4}"
                           r"(保住|保得住|留住|留着|继续用|不被吊销|保留)")
PERIOD_TEXT = re.compile(r"[一二两三四五六七八九十百0-9０-９]+个?(工作日|日|天|小时|个月|月|年)(内|以内|前|以前)")


def _to_front(hits: list[retrieve.Hit], hit: retrieve.Hit) -> list[retrieve.Hit]:
    """`hit` first, the others in their order."""
    return [hit, *(h for h in hits if h is not hit)]


def _fit(u: Understanding, h: retrieve.Hit) -> float:
    """Share of the question's words (or of its expansion) a hit's text holds."""
    return max(retrieve.overlap(u.text, h.provision.text), retrieve.overlap(u.expanded, h.provision.text))


def _promote(u: Understanding, hits: list[retrieve.Hit], ok: Callable[[retrieve.Hit], bool], window: int,
             slack: float) -> list[retrieve.Hit]:
    """The first of hits[1:window] that is `ok` and fits within `slack` of the top hit goes first."""
    top = _fit(u, hits[0])
    near = next((h for h in hits[1:window] if ok(h) and _fit(u, h) >= top - slack), None)
    return _to_front(hits, near) if near else hits


def _defining_first(question: str, hits: list[retrieve.Hit]) -> list[retrieve.Hit]:
    """The hit that defines the asked term ('本办法所称篡改监测数据，系指…') goes first."""
    m = DEFINED_TERM.search(question)
    if not m:
        return hits
    term = m.group(1).strip("的是")
    for h in hits[:5]:
        if re.search(rf"(所称|所说的){re.escape(term)}|{re.escape(term)}[^。]{{0,6}}(是指|系指)", h.provision.text):
            return [h, *(x for x in hits if x is not h)]
    return hits


DEFINITION = re.compile(f"{alternatives('definition_of')}|{alternatives('definition')}")
PERMISSION = re.compile(alternatives("permission"))
EFFECTIVE_ASK = re.compile(alternatives("effective_ask"))
EFFECTIVE_TEXT = re.compile(r"自[^。；]{0,16}起(施行|实施|执行)")
# the term a definition question asks about ('算不算X' → X)
DEFINED_TERM = re.compile(f"(?:{alternatives('definition_of')})([^，。？?]{{2,12}})")


def _law_first(hits: list[retrieve.Hit], scored: list[tuple], corpus: Corpus) -> list[retrieve.Hit]:
    from corpus.conduct import RANK as rank

    top = hits[0]
    top_rank = rank.get(corpus.documents[top.provision.doc_key].doc_type, 3)
    fit = {id(h): f for f, _, h in scored}
    for h in hits[1:3]:
        same = retrieve.overlap(top.provision.text[:300], h.provision.text) >= 0.5
        close = fit.get(id(h), 0.0) >= fit.get(id(top), 0.0) - RERANK_MARGIN
        if same and close and rank.get(corpus.documents[h.provision.doc_key].doc_type, 3) < top_rank:
            return [h, *(x for x in hits if x is not h)]
    return hits


def _not_found(u: Understanding, corpus: Corpus, cites: Citations, hits: list[retrieve.Hit]) -> Answer:
    lines = ["### 结论", "语料中没有找到能直接回答这个问题的条文。不作推测；以下是最接近的条文，仅供参考，请人工核对。", ""]
    for h in hits:
        lines.append(f"- {cites.ref(h.provision.id, '参考')}：{retrieve.best_sentence(u.text, h.provision.text)[:120]}")
    ans = Answer(question=u.text, markdown="", intent="not_found", conclusion="语料中没有找到能直接回答这个问题的条文。",
                 confidence=0.0, declined=True, notice="检索置信度低")
    _finish(ans, lines, cites, corpus, [])
    return ans


NOTICE_WORDS = re.compile(alternatives("notice_words"))
PLAN_WORDS = re.compile(alternatives("plan_words"))
COMPARE = re.compile(alternatives("compare"))


def _plan_hits(u: Understanding) -> list[retrieve.Hit]:
    """Plan/notice hits; a question naming the Shanxi notice (or the national plan) gets that document first."""
    hits = [h for h in retrieve.search(u.expanded, k=8, doc_keys=PLAN_KEYS) if h.provision.doc_key in PLAN_KEYS]
    notice, plan = bool(NOTICE_WORDS.search(u.text)), bool(PLAN_WORDS.search(u.text))
    if notice != plan or not notice:  # the national plan unless the question points at the Shanxi notice
        first = PLAN_KEYS[1] if notice and not plan else PLAN_KEYS[0]
        hits.sort(key=lambda h: h.provision.doc_key != first)
    return hits


PLAN_ITEM = re.compile(r"第?[（(]([一二三四五六七八九十]+)[)）]项?")
PLAN_PART = re.compile(r"第([一二三四五六七八九十])部分|(最后)一(个)?部分")


def _named_parts(text: str, key: str, corpus: Corpus) -> set[str]:
    """'第三部分' / '最后一部分' → the plan part ids they name."""
    parts = sorted((p for p in corpus.provisions.values() if p.doc_key == key and p.kind == "plan_part"),
                   key=lambda p: p.article or 0)
    out = set()
    for m in PLAN_PART.finditer(text):
        if m.group(2) and parts:
            out.add(parts[-1].id)
        elif m.group(1) and f"{key}/part-{m.group(1)}" in corpus.provisions:
            out.add(f"{key}/part-{m.group(1)}")
    return out


def answer_plan(u: Understanding, corpus: Corpus) -> Answer:
    cites = Citations(corpus)
    named = [cn_to_int(m.group(1)) for m in PLAN_ITEM.finditer(u.text)]
    key = PLAN_KEYS[1] if NOTICE_WORDS.search(u.text) else PLAN_KEYS[0]
    if named and not any(f"{key}/{n}" in corpus.provisions for n in named):
        return _not_found(u, corpus, cites, [])  # an item the document does not have ('第（二十五）项')
    hits = _plan_hits(u)
    wanted = {f"{key}/{n}" for n in named} | _named_parts(u.text, key, corpus)
    hits += [retrieve.Hit(corpus.provisions[w], 0.0) for w in wanted if w not in {h.provision.id for h in hits}]
    hits.sort(key=lambda h: h.provision.id not in wanted)
    if not hits:
        return _not_found(u, corpus, cites, [])
    if not wanted:
        hits = _heading_named_first(u.text, _by_answering_sentence(u.text, hits), key, corpus)
    top = hits[0].provision
    compare = bool(COMPARE.search(u.text))
    sentences = retrieve.answer_sentences(u.text, top.text, top.heading, n=2)  # plan items are dense: two sentences
    conclusion = f"{cites.ref(top.id, '行动方案')}：{retrieve.quote(top.text, sentences)}"
    other = next((h.provision for h in hits[1:] if h.provision.doc_key != top.doc_key), None) if compare else None
    if other is not None:
        extra = retrieve.answer_sentences(u.text, other.text, other.heading)[0]
        conclusion += f"；{cites.ref(other.id, '行动方案')}：“{extra}”"
    lines = ["### 结论", conclusion, "", "### 相关部署"]
    for h in hits[1:4]:
        lines.append(f"- {cites.ref(h.provision.id, '行动方案')}："
                     f"{retrieve.answer_sentences(u.text, h.provision.text, h.provision.heading)[0][:140]}")
    shared = retrieve.overlap(u.text, top.text)
    ans = Answer(question=u.text, markdown="", intent="plan", conclusion=conclusion, lead=top.id, route="plan",
                 confidence=round(min(0.85, max(0.4, shared)), 2),
                 evidence={"overlap": shared, "margin": _gap(hits),
                           "agree": _agree(hits[0]), "named": float(bool(wanted))})
    _finish(ans, lines, cites, corpus, [])
    return ans


def _gap(hits: list[retrieve.Hit]) -> float:
    """How far the lead's score is ahead of the next hit's, as a share of it (hits moved up by rule may trail)."""
    if len(hits) < 2 or hits[0].score <= 0:
        return 1.0
    return max(-1.0, (hits[0].score - hits[1].score) / hits[0].score)


def _agree(hit: retrieve.Hit) -> float:
    """1 when the lexical and the dense search both rank the lead among their first three (independent agreement)."""
    return float(hit.ranks.get("bm25", 99) <= 3 and hit.ranks.get("dense", 99) <= 3)


def _by_answering_sentence(question: str, hits: list[retrieve.Hit], head: int = 5) -> list[retrieve.Hit]:
    """Plan items are long: among the first few, the one holding the sentence that best answers the question goes
    first when it clearly beats the top item's best sentence (words spread over a long item do not answer)."""
    def best(h: retrieve.Hit) -> float:
        return max(retrieve.sentence_score(question, sent) for sent in retrieve.sentences(h.provision.text))

    scored = [(best(h), n, h) for n, h in enumerate(hits[:head])]
    # on a tie an item answers before the preamble (which states the plan's purpose, not what it requires)
    winner = max(scored, key=lambda x: (x[0], not x[2].provision.id.endswith("/preamble"), -x[1]))
    top_is_preamble = scored[0][2].provision.id.endswith("/preamble")
    if winner[1] == 0 or winner[0] < scored[0][0] + (0.0 if top_is_preamble else PLAN_SENTENCE_MARGIN):
        return hits
    return _to_front(hits, winner[2])


PLAN_SENTENCE_MARGIN = 0.25
HEADING_MIN, HEADING_MARGIN = 6, 3  # characters of an item's heading the question repeats, and the lead over others
HEADING_VERB = re.compile(r"^(深入开展|扎实开展|持续开展|开展|切实|着力|加强|加大|推进|强化|完善|严格)")  # not what an item is about


def _heading_named_first(question: str, hits: list[retrieve.Hit], key: str, corpus: Corpus) -> list[retrieve.Hit]:
    """A question repeating a plan item's heading: the part or item whose heading the question repeats clearly more
    than any other's ((四)深入开展建设工程质量检测专项整治) goes first, found among the hits or not."""
    items = [p for p in corpus.provisions.values() if p.doc_key == key and p.kind in ("plan_item", "plan_part")
             and p.heading]
    scored = sorted(((_common_run(question, HEADING_VERB.sub("", p.heading)), p) for p in items), key=lambda x: -x[0])
    # a short heading repeated whole ('总体要求里提出…') names its part as surely as a long one repeated in part
    whole = bool(scored) and len(scored[0][1].heading) >= 4 and scored[0][1].heading in question
    if not scored or scored[0][0] < HEADING_MIN and not whole or \
            len(scored) > 1 and scored[0][0] < scored[1][0] + (0 if whole else HEADING_MARGIN):
        return hits
    best = scored[0][1]
    if best.kind == "plan_part" and hits and hits[0].provision.chapter == best.chapter:
        return hits  # the part is named only as the place of the item that answers
    lead = next((h for h in hits if h.provision.id == best.id), None) or retrieve.Hit(best, 0.0)
    return _to_front(hits, lead)


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of characters the two texts share."""
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            if b[i:j] not in a:
                break
            best = j - i
    return best


# -- cases --------------------------------------------------------------------------------------------------

def _matching_cases(corpus: Corpus, u: Understanding, cited_ids: list[str], limit: int = 3) -> list[dict]:
    cited_docs = {pid.split("/")[0] for pid in cited_ids}
    sector = index_sector(u.sector)  # the sector the case extracts are filed under (sectors.yaml)
    scored = []
    for c in corpus.cases:
        score = 0.0
        text = f"{c.title}{c.facts}{c.violated}{c.basis}"
        if sector and sector in c.sectors:
            score += 2
        linked = sum(1 for d in cited_docs if d in text)
        if u.conduct == "虚假报告" and re.search(r"虚假|弄虚作假|伪造|篡改", text):
            linked += 1
        if linked and score + linked >= 2:  # the sector alone is no link (a lent car is no emission-test case)
            score += linked
            scored.append((score, c))
    scored.sort(key=lambda x: -x[0])
    return [c.to_dict() for _, c in scored[:limit]]


CASE_PARTY = re.compile(r"([\u4e00-\u9fff]{2,6})" f"(?:{alternatives('party_suffix')})")
GENERIC_PARTY = re.compile(f"^({alternatives('generic_party')})+$")
ASKS_RESULT = re.compile(alternatives("asks_result"))
NOT_IN_EXTRACT = re.compile(r"未含|截断")
POINTS_AT_ONE = re.compile(alternatives("points_at_one"))


def named_party(text: str) -> list[str]:
    """Names a question gives a party by ('湖州那家东港公司…的案子' → ['湖州东港', '东港']); [] for a generic one.
    Only questions that point at one case ('那个…', '那家…', '叫…的') name a party."""
    if not POINTS_AT_ONE.search(text):
        return []
    pointer = r"那个|这个|那起|这起|那家|这家|一家|有个|有家"
    for m in CASE_PARTY.finditer(text):
        own = re.split(pointer, m.group(1))[-1]  # the words after a pointer ('…那个X'): the party's own name
        if not own or GENERIC_PARTY.match(own):
            continue  # '<某地>那个车检站': a place, then only generic words — no party's name
        name = re.sub(pointer, "", m.group(1))
        name = re.sub(r"(检测|检验|监测)+$", "", name)
        names = [n for n in (name, name[2:] if len(name) >= 4 else "") if len(n) >= 2 and not GENERIC_PARTY.match(n)]
        if names:
            return names
    return []


def _cases_answer(u: Understanding, corpus: Corpus, cites: Citations, conclusion: str, cases: list[dict],
                  declined: bool) -> Answer:
    lines = ["### 结论", conclusion, ""]
    for c in cases:
        mark = cites.mark(c["id"], "案例")
        lines.append(f"- **{c['title']}**{mark}：{c['authority'] or '查处机关摘录未含'}；{c['facts'][:120]}"
                     f"{'；违反：' + c['violated'] if c['violated'] else ''}{'；结果：' + c['penalty'] if c['penalty'] else ''}")
    ans = Answer(question=u.text, markdown="", intent="cases", conclusion=conclusion,
                 confidence=0.2 if declined else 0.7, declined=declined,
                 notice="案例摘录未含所问内容" if declined and cases else ("无匹配案例" if declined else ""))
    _finish(ans, lines, cites, corpus, [])
    ans.cases = cases
    return ans


# '大连那个…的公司，最后怎么处理的': a case pointed at by its place, asking how it ended
POINTED_AT = re.compile(r"([\u4e00-\u9fff]{2,6})(那个|那家|那起|那件)(?=[^。？]{0,40}(最后|后来|结果|案子|案件|罚了|判了))")


def pointed_cases(text: str, corpus: Corpus) -> list:
    """The corpus cases a question points at by a place ('宁波那家…'): those whose title, party or authority
    hold most of the place's two-character runs; [] when none does."""
    m = POINTED_AT.search(text)
    if m is None:
        return []
    place = m.group(1)
    runs = {place[i:i + 2] for i in range(len(place) - 1)}

    def held(c) -> int:
        return sum(1 for r in runs if r in c.title + c.party + c.authority)
    best = max((held(c) for c in corpus.cases), default=0)
    return [c for c in corpus.cases if best and held(c) == best]


def answer_cases(u: Understanding, corpus: Corpus, sess: Session | None) -> Answer:
    cites = Citations(corpus)
    names = named_party(u.text)
    pointed = pointed_cases(u.text, corpus)
    if pointed or names:  # a particular case: it is in the corpus, or the answer says it is not
        found = [c for c in corpus.cases if any(n in c.title + c.party for n in names)] or pointed  # named first
        if not found:
            return _cases_answer(u, corpus, cites, f"语料中没有涉及“{names[0]}”的典型案例，无法说明该案情况，不作推测。",
                                 [], True)
        if ASKS_RESULT.search(u.text) and all(not c.penalty or NOT_IN_EXTRACT.search(c.penalty) for c in found):
            return _cases_answer(u, corpus, cites, "语料中的该案例摘录未包含处罚结果（见下），无法回答最后如何处罚，不作推测。",
                                 [c.to_dict() for c in found], True)
        return _cases_answer(u, corpus, cites, f"找到 {len(found)} 个相关典型案例（要素摘录，条款号为当时有效版本）。",
                             [c.to_dict() for c in found], False)
    prior = sess.cited if sess else []
    cases = _matching_cases(corpus, u, prior, limit=5) or _matching_cases(corpus, u, prior + ["检验检测机构监督管理办法"], 5)
    # cases whose facts the question describes come first ("抽一个样就出全批报告的案例"); a follow-up
    # ("有类似案例吗？") describes them by the conversation's earlier questions
    by_id = {c.id: c for c in corpus.cases}
    context = " ".join(q for q, _ in sess.history[-3:]) if sess is not None and u.follow_up else ""
    try:
        hits = retrieve.search(expand(f"{context} {u.text}".strip()), k=30 if context else 10)
    except SearchFailed:
        hits = []
    if context:
        described = [by_id[h.provision.id].to_dict() for h in hits if h.provision.id in by_id][:3]
    else:
        described = [by_id[h.provision.id].to_dict() for h in hits if h.provision.id in by_id
                     and retrieve.overlap(u.text, h.provision.text) >= LOW_CONFIDENCE]
    cases = list({c["id"]: c for c in [*described, *cases]}.values())[:5]
    if not cases and not u.sector:
        cases = [c.to_dict() for c in corpus.cases[:5]]
    if not cases:
        return _cases_answer(u, corpus, cites, "语料中没有与该情形相符的典型案例。", [], True)
    return _cases_answer(u, corpus, cites, f"找到 {len(cases)} 个相关典型案例（要素摘录，条款号为当时有效版本）。", cases, False)


# -- finishing ----------------------------------------------------------------------------------------------

def _finish(ans: Answer, lines: list[str], cites: Citations, corpus: Corpus, cases: list[dict]) -> None:
    if cases:
        lines.append("### 相关案例")
        for c in cases:
            violated = c["violated"] if c["violated"] and "摘录未含" not in c["violated"] else ""
            lines.append(f"- {c['title']}（{c['publisher'] or c['batch']}，{c['publish_date']}）"
                         f"{'：违反' + violated if violated else ''}{cites.mark(c['id'], '案例')}")
        lines.append("- 案例为公开报道的要素摘录，条款号按当时有效版本，引用前请回源核对。")
        lines.append("")
        ans.cases = cases
    validity = validity_lines(cites, corpus)
    if validity:
        lines += ["### 版本与效力", *validity, ""]
    if cites.items:
        lines += ["### 引用条文", *quote_lines(cites, corpus)]
    lines += ["---", f"*{DISCLAIMER}*"]
    ans.markdown = "\n".join(lines)
    ans.citations = cites.items


def _final_check(ans: Answer, corpus: Corpus) -> None:
    """Run the citation checker over the final Markdown; template answers must pass it."""
    result = check(ans.markdown, corpus, allow_repealed=True)
    missing = [c.provision_id for c in ans.citations if c.provision_id not in corpus.provisions]
    if result.problems or missing:
        ans.warnings += [f"{f.raw}：{f.reason}" for f in result.problems] + [f"{m}：不存在" for m in missing]
        ans.markdown = result.text

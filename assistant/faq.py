"""Public FAQ mode: a few topics the public may ask about, each grounded in corpus provisions.

Scope decisions come from assistant.public.classify_public; anything outside the FAQ is declined politely,
and no penalty tables, discretion or internal enforcement detail is ever shown in this mode."""

from __future__ import annotations

import re
from datetime import date

from assistant import retrieve
from assistant.compose import Citations, quote_lines
from assistant.models import PUBLIC_DISCLAIMER, Answer
from assistant.public import PUBLIC_FAQ, FaqEntry, classify_public, denial
from assistant.understand import Understanding
from corpus.asks import PENALTY_QUESTION, alternatives
from corpus.load import Corpus
from corpus.models import Provision
from corpus.refs import Ref
from index.errors import SearchFailed

TOPICS = list(PUBLIC_FAQ)  # the FAQ topics, with their grounding provisions
TEXT_REQUEST = re.compile(alternatives("text_request"))  # '那条的原文发我' (corpus/data/asks.yaml)

DECLINE = ("抱歉，公众咨询模式只解答查询机构资质、投诉举报渠道、检验检测报告常识和公众权利等问题，"
           "不提供执法裁量、内部工作要求或个案处理意见。如需反映具体问题，可向当地市场监督管理部门投诉举报。")


def topic_hits(topic: FaqEntry, text: str) -> int:
    """How many of the topic's words the question contains."""
    return sum(1 for w in topic.words if w.lower() in text.lower())


def pick_topic(text: str) -> FaqEntry | None:
    """The topic the question asks about (its `asks` pattern), else the one sharing most words with it, or None
    when none shares any."""
    asked = next((t for t in TOPICS if t.asks and re.search(t.asks, text)), None)
    if asked is not None:
        return asked  # '可以去哪里举报': the way it asks names the topic
    scored = [(topic_hits(t, text), t) for t in TOPICS]
    best = max(scored, key=lambda x: x[0])
    return best[1] if best[0] > 0 else None


def answer_public(u: Understanding, corpus: Corpus, today: date | None = None) -> Answer:
    """Answer within the FAQ scope, or decline; the restriction is enforced here, not in the page."""
    from corpus.refs import find_references

    allowed, reason = classify_public(u.text)
    wants_text = bool(TEXT_REQUEST.search(u.text))
    denied = bool(denial(u.text, text_request=wants_text))
    refs = [] if denied else find_references(u.text, corpus)
    if refs:  # statute text is public: show the article itself (text only, no penalty table or notes)
        return _public_text(u, corpus, refs[0])
    if not denied and u.intent == "penalty" and (sanction := _public_sanction(u, corpus, today)) is not None:
        return sanction  # the range the law sets is public statute text; discretion was refused above
    topic = pick_topic(u.text) if allowed else None
    penalty_text = wants_text and bool(PENALTY_QUESTION.search(u.text))  # '…罚多少的那条原文': a 法律责任 article
    found = None if denied else _public_retrieval(u, corpus, rules_only=not penalty_text)  # unless a FAQ topic fits
    ans = found if found is not None and not found.declined else None
    asked = topic is not None and bool(topic.asks) and re.search(topic.asks, u.text) is not None  # '向哪里举报'
    if ans is not None and (topic is None or wants_text or (not asked and _retrieval_beats(ans, topic, u, corpus))):
        return ans  # a visitor asking for a provision's text gets the provision, not a topic summary
    if topic is None and found is not None and found.citations and (u.sector or u.conduct or u.who):
        return found  # no text answers directly: it says so and shows the nearest statute texts, for reference
    if not allowed or topic is None:
        return Answer(question=u.text, markdown=DECLINE, intent="out_of_scope", declined=True, mode="public",
                      notice=reason or "不在公众咨询范围内", conclusion=DECLINE, route="public_decline")
    return _faq_answer(u, corpus, topic, ans.lead if ans is not None else None)


def _retrieval_beats(ans: Answer, topic: FaqEntry, u: Understanding, corpus: Corpus) -> bool:
    """A retrieval lead outside the topic's provisions wins when its text fits the question better than every
    provision of the topic, and it stands out (a clear margin, or both retrievers rank it first or second)
    or the topic shares only one word with the question."""
    if ans.lead in topic.provisions:
        return False  # the topic answers, led by that provision
    if _other_field(topic, u, corpus) and corpus.provisions[ans.lead].doc_key in _own_documents(u):
        return True  # '年检标志撕坏了去哪补': a topic on labs' marks does not answer a car owner

    def fit(pid: str) -> float:
        text = corpus.provisions[pid].text
        return max(retrieve.overlap(u.text, text), retrieve.overlap(u.expanded, text))

    if fit(ans.lead) <= max(fit(p) for p in topic.on_point(u.text)):
        return False
    clear = ans.evidence.get("margin", 1.0) >= 0.1 or bool(ans.evidence.get("corroborated"))
    return clear or topic_hits(topic, u.text) < 2


def _faq_answer(u: Understanding, corpus: Corpus, topic: FaqEntry, lead: str | None) -> Answer:
    """The topic's channel and lead sentence, its provisions on point: the retrieval's lead first when it is one
    of them, else the question's own sector's text first."""
    cites = Citations(corpus)
    provisions = _sector_first(topic.on_point(u.text), u.sector)
    # a question in the topic's own terms ('去哪里查') is answered in the topic's order; otherwise the
    # retrieval's lead goes first when it is one of the topic's provisions
    if lead in topic.provisions and not (topic.asks and re.search(topic.asks, u.text)):
        provisions = [lead, *(p for p in provisions if p != lead)]
    conclusion = _faq_conclusion(u, topic, corpus.provisions[provisions[0]], cites)
    lines = [f"### {topic.title}", conclusion]
    if topic.channel:
        lines.insert(1, f"**{topic.channel}**")
    for pid in provisions:
        p = corpus.provisions[pid]
        lines.append(f"- {cites.ref(pid, '公众咨询')}：“{retrieve.best_sentence(u.text + topic.title, p.text)}”")
    lines += ["", "### 引用条文", *quote_lines(cites, corpus), "---", f"*{PUBLIC_DISCLAIMER}*"]
    return Answer(question=u.text, markdown="\n".join(lines), intent=f"faq:{topic.key}", conclusion=conclusion,
                  citations=cites.items, confidence=0.8 if topic_hits(topic, u.text) >= 2 else 0.45, mode="public",
                  lead=provisions[0], route="faq")


def _own_documents(u: Understanding) -> set[str]:
    from corpus.knowledge import sector_documents

    return set(sector_documents(u.sector))


def _other_field(topic: FaqEntry, u: Understanding, corpus: Corpus) -> bool:
    """The question is about a field (its sector) none of whose texts the topic cites."""
    own = _own_documents(u)
    return bool(own) and not any(corpus.provisions[p].doc_key in own for p in topic.provisions if p in corpus.provisions)


def _faq_conclusion(u: Understanding, topic: FaqEntry, first: Provision, cites: Citations) -> str:
    """The topic's plain-words lead, then what its first provision says on the question, verbatim (the
    office, the time limit, the amount the question asks)."""
    said = retrieve.quote(first.text, retrieve.answering_sentences(u.text + topic.title, first.text, budget=160))
    if any(rule.split(":", 1)[0].strip() == first.id for rule in topic.conditional):
        return f"依据{cites.ref(first.id, '公众咨询')}：{said}"  # the particular case asked, not the topic's summary
    lead = re.sub(r"[；;，,]?\s*相关规定如下[：:]?$", "", topic.lead).rstrip("：:；;。")
    return f"{lead}。依据{cites.ref(first.id, '公众咨询')}：{said}"


def _sector_first(provisions: list[str], sector: str | None) -> list[str]:
    """The question's own sector's text first (电梯 → 特种设备安全法, 监测站 → 生态环境监测条例)."""
    from corpus.knowledge import sector_of_document

    return sorted(provisions, key=lambda pid: not sector or sector_of_document(pid.split("/")[0]) != sector)


def _public_text(u: Understanding, corpus: Corpus, ref: Ref) -> Answer:
    """The text of an article the visitor names, with its version and status."""
    art = corpus.provisions.get(ref.article_id or "")
    if art is None:
        msg = f"语料中没有所问的条文（{ref.raw}），无法提供其内容。"
        return Answer(question=u.text, markdown=msg, intent="lookup", declined=True, mode="public", conclusion=msg,
                      route="public_text")
    cites = Citations(corpus)
    doc = corpus.documents[art.doc_key]
    conclusion = f"{cites.ref(art.id, '条文')}原文如下（{doc.version_date or ''}版，{doc.status}）。"
    quoted = "\n".join(f"> {line}" for line in art.text.splitlines() if line.strip())
    lines = ["### 条文原文", conclusion, "", quoted, "", "---", f"*{PUBLIC_DISCLAIMER}*"]
    return Answer(question=u.text, markdown="\n".join(lines), intent="lookup", conclusion=conclusion,
                  citations=cites.items, confidence=0.9, mode="public", lead=art.id, route="public_text")


PUBLIC_SANCTION_NOTE = "具体是否处罚、如何处罚，由执法机关根据违法事实、性质、情节依法决定；公众咨询模式只提供法律条文，不提供裁量意见。"


def _public_sanction(u: Understanding, corpus: Corpus, today: date | None) -> Answer | None:
    """'…会受什么处罚': the sanctioning articles the officer routes lead with (and the other readings they show),
    in the law's own words only — no penalty table, discretion, cases or enforcement notes; None when they find
    none."""
    from assistant.engine import answer_officer

    found = answer_officer(u, corpus, today)
    leads = [p for p in dict.fromkeys([found.lead, *found.readings]) if p in corpus.provisions]
    if found.declined or not leads:
        return None
    cites = Citations(corpus)
    first = corpus.provisions[leads[0]]
    said = retrieve.quote(first.text, retrieve.answering_sentences(u.text, first.text, budget=160))
    conclusion = f"依据{cites.ref(first.id, '法律条文')}：{said}"
    lines = ["### 法律规定", conclusion, "", f"> {PUBLIC_SANCTION_NOTE}", ""]
    for pid in leads[1:3]:
        lines.append(f"- 另一种情形，{cites.ref(pid, '法律条文')}：“{retrieve.best_sentence(u.text, corpus.provisions[pid].text)}”")
    lines += ["", "### 引用条文", *quote_lines(cites, corpus), "---", f"*{PUBLIC_DISCLAIMER}*"]
    return Answer(question=u.text, markdown="\n".join(lines), intent="public_sanction", conclusion=conclusion,
                  citations=cites.items, confidence=found.confidence, mode="public", lead=first.id,
                  readings=list(found.readings), route="public_sanction", evidence=dict(found.evidence))


def _public_retrieval(u: Understanding, corpus: Corpus, rules_only: bool = True) -> Answer | None:
    """A public question outside the FAQ topics, answered from the statute texts (no penalty tables, no
    enforcement notes); declined, with the nearest texts, when nothing fits with confidence; None when the
    search fails."""
    from dataclasses import replace

    from assistant.engine import answer_overseer, answer_retrieval

    try:
        # '扶梯由哪个部门监管': the sector's overseeing article, else the texts that fit best
        ans = answer_overseer(u, corpus, rules_only=True) or \
            answer_retrieval(replace(u, intent="fact" if rules_only else "penalty"), corpus, rules_only=rules_only)
    except SearchFailed:
        return None
    body = ans.markdown.split("### 版本与效力")[0].split("### 引用条文")[0]
    ans.markdown = body + "\n---\n" + f"*{PUBLIC_DISCLAIMER}*"
    ans.mode, ans.penalties, ans.cases = "public", [], []
    ans.route = "public_nearest" if ans.declined else "public_retrieval"
    return ans

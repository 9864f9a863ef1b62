"""Public FAQ mode: a few topics the public may ask about, each grounded in corpus provisions.

Scope decisions come from assistant.public.classify_public; anything outside the FAQ is declined politely,
and no penalty tables, discretion or internal enforcement detail is ever shown in this mode."""

from __future__ import annotations

from dataclasses import dataclass

from assistant import retrieve
from assistant.compose import Citations, quote_lines
from assistant.models import PUBLIC_DISCLAIMER, Answer
from assistant.understand import Understanding
from corpus.load import Corpus


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    words: tuple[str, ...]
    lead: str
    provisions: tuple[str, ...]


def _topics() -> list:
    """The FAQ topics, defined with their grounding provisions in assistant.public.PUBLIC_FAQ."""
    from assistant.public import PUBLIC_FAQ

    return list(PUBLIC_FAQ)


TOPICS = _topics()

# The national channel for complaints and reports to market regulators, named in every complaint answer.
CHANNEL_12315 = ("全国统一的投诉举报渠道：拨打 12315 热线，或登录全国12315平台（www.12315.cn）提交；"
                 "也可以直接向当地县级以上市场监督管理部门投诉举报。")
# Provisions of a topic cited only when the question is about what they govern (the rest are always on point).
ON_POINT = {
    "检验检测机构资质认定管理办法/38": ("评审", "资质认定部门", "评价机构", "评审人员"),
    "特种设备安全法/12": ("电梯", "特种设备", "锅炉", "压力容器", "起重", "气瓶", "游乐", "索道", "场内"),
    "特种设备安全法/56": ("刁难",),
}

DECLINE = ("抱歉，公众咨询模式只解答查询机构资质、投诉举报渠道、检验检测报告常识和公众权利等问题，"
           "不提供执法裁量、内部工作要求或个案处理意见。如需反映具体问题，可向当地市场监督管理部门投诉举报。")


def topic_hits(topic: Topic, text: str) -> int:
    return sum(1 for w in topic.words if w.lower() in text.lower())


def pick_topic(text: str) -> Topic | None:
    scored = [(topic_hits(t, text), t) for t in TOPICS]
    best = max(scored, key=lambda x: x[0])
    return best[1] if best[0] > 0 else None


def answer_public(u: Understanding, corpus: Corpus) -> Answer:
    """Answer within the FAQ scope, or decline; the restriction is enforced here, not in the page."""
    try:
        from assistant.public import classify_public
    except ImportError:  # no scope classifier: answer nothing rather than too much
        def classify_public(question: str) -> tuple[bool, str]:
            return False, "公众咨询范围未配置"

    allowed, reason = classify_public(u.text)
    from corpus.refs import find_references

    refs = find_references(u.text, corpus) if allowed else []
    if refs:  # statute text is public: show the article itself (text only, no penalty table or notes)
        return _public_text(u, corpus, refs[0])
    topic = pick_topic(u.text) if allowed else None
    if allowed:
        ans = _public_retrieval(u, corpus)  # the statute text answers unless a FAQ topic fits at least as well
        weak = topic is None or topic_hits(topic, u.text) < 2
        clear = ans is not None and ans.evidence.get("margin", 1.0) >= 0.1  # a retrieval lead that stands out
        if ans is not None and (topic is None or clear and ans.confidence >= (0.5 if weak else 0.6)
                                and ans.lead not in topic.provisions):
            return ans
    if not allowed or topic is None:
        return Answer(question=u.text, markdown=DECLINE, intent="out_of_scope", declined=True, mode="public",
                      notice=reason or "不在公众咨询范围内", conclusion=DECLINE)
    cites = Citations(corpus)
    lines = [f"### {topic.title}", topic.lead]
    if topic.key == "complaint":
        lines.insert(1, f"**{CHANNEL_12315}**")
    for pid in on_point(topic, u.text):
        p = corpus.provisions[pid]
        lines.append(f"- {cites.ref(pid, '公众咨询')}：“{retrieve.best_sentence(u.text + topic.title, p.text)}”")
    lines += ["", "### 引用条文", *quote_lines(cites, corpus), "---", f"*{PUBLIC_DISCLAIMER}*"]
    return Answer(question=u.text, markdown="\n".join(lines), intent=f"faq:{topic.key}", conclusion=topic.lead,
                  citations=cites.items, confidence=0.8 if topic_hits(topic, u.text) >= 2 else 0.45, mode="public",
                  lead=topic.provisions[0], route="faq")


def on_point(topic: Topic, text: str) -> list[str]:
    """The topic's provisions that bear on this question (conditional ones only when their subject is asked)."""
    kept = [p for p in topic.provisions if p not in ON_POINT or any(w in text for w in ON_POINT[p])]
    return kept or list(topic.provisions[:1])


def _public_text(u: Understanding, corpus: Corpus, ref) -> Answer:  # noqa: ANN001 - corpus.refs.Ref
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


def _public_retrieval(u: Understanding, corpus: Corpus) -> Answer | None:
    """A public question outside the FAQ topics, answered from the statute texts (no penalty tables, no
    enforcement notes); None when nothing fits with confidence."""
    from dataclasses import replace

    from assistant.engine import answer_retrieval

    try:
        ans = answer_retrieval(replace(u, intent="fact"), corpus)
    except retrieve.IndexMissing:
        return None
    if ans.declined:
        return None
    body = ans.markdown.split("### 版本与效力")[0].split("### 引用条文")[0]
    ans.markdown = body + "\n---\n" + f"*{PUBLIC_DISCLAIMER}*"
    ans.mode, ans.penalties, ans.cases, ans.route = "public", [], [], "public_retrieval"
    return ans

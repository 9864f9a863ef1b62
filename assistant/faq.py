"""Public FAQ mode: a few topics the public may ask about, each grounded in corpus provisions.

Scope decisions come from assistant.public.classify_public; anything outside the FAQ is declined politely,
and no penalty tables, discretion or internal enforcement detail is ever shown in this mode."""

from __future__ import annotations

from dataclasses import dataclass

from assistant import retrieve
from assistant.compose import Citations, quote_lines
from assistant.models import DISCLAIMER, Answer
from assistant.understand import Understanding
from corpus.load import Corpus


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    words: tuple[str, ...]
    lead: str
    provisions: tuple[str, ...]


TOPICS: list[Topic] = [
    Topic("qualification", "如何查询检验检测机构的资质",
          ("资质", "CMA", "查询", "正规", "合法", "有没有资格", "认证", "能力范围", "查机构", "标志"),
          "查看报告上的资质认定标志，并到资质认定部门官方网站或信息查询平台核对机构信息和证书状态：",
          ("检验检测机构资质认定管理办法/21", "检验检测机构资质认定管理办法/22", "检验检测领域综合治理行动方案/9",
           "山西省贯彻落实行动方案的通知/5")),
    Topic("complaint", "如何投诉、举报检验检测机构",
          ("投诉", "举报", "反映", "维权", "12315", "报告造假", "假报告", "举报电话", "渠道"),
          "任何单位和个人都可以向县级以上市场监督管理部门举报检验检测机构的违法行为；相关规定如下：",
          ("检验检测机构监督管理办法/24", "检验检测领域综合治理行动方案/9", "检验检测机构资质认定管理办法/38",
           "消费者权益保护法/39")),
    Topic("report", "什么是检验检测报告，机构要对报告负什么责任",
          ("检验检测报告", "检测报告", "什么是", "报告是", "报告有效", "负责", "送检", "样品"),
          "检验检测报告是检验检测机构向社会出具的具有证明作用的数据、结果、报告；相关规定如下：",
          ("检验检测机构监督管理办法/2", "检验检测机构监督管理办法/5", "检验检测机构监督管理办法/10")),
    Topic("rights", "公众有哪些权利，可以怎样监督",
          ("权利", "监督", "公开", "公示", "信息", "开放日", "你点我检", "消费者"),
          "公众可以查询机构信息、参与监督，监管部门依法公开监督检查结果：",
          ("检验检测领域综合治理行动方案/9", "检验检测机构监督管理办法/23", "检验检测机构监督管理办法/17",
           "山西省贯彻落实行动方案的通知/5")),
]

DECLINE = ("抱歉，公众咨询模式只解答查询机构资质、投诉举报渠道、检验检测报告常识和公众权利等问题，"
           "不提供执法裁量、内部工作要求或个案处理意见。如需反映具体问题，可向当地市场监督管理部门投诉举报。")


def pick_topic(text: str) -> Topic | None:
    scored = [(sum(1 for w in t.words if w.lower() in text.lower()), t) for t in TOPICS]
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
    topic = pick_topic(u.text) if allowed else None
    if not allowed or topic is None:
        return Answer(question=u.text, markdown=DECLINE, intent="out_of_scope", declined=True, mode="public",
                      notice=reason or "不在公众咨询范围内", conclusion=DECLINE)
    cites = Citations(corpus)
    lines = [f"### {topic.title}", topic.lead]
    for pid in topic.provisions:
        p = corpus.provisions[pid]
        lines.append(f"- {cites.ref(pid, '公众咨询')}：“{retrieve.best_sentence(u.text + topic.title, p.text)}”")
    lines += ["", "### 引用条文", *quote_lines(cites, corpus), "---", f"*{DISCLAIMER}*"]
    return Answer(question=u.text, markdown="\n".join(lines), intent=f"faq:{topic.key}", conclusion=topic.lead,
                  citations=cites.items, confidence=0.8, mode="public")

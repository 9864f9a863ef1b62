"""Public-mode scope: which questions the public FAQ answers, and which it politely declines.

`classify_public(question) -> (allowed, reason)`: a question is answered only when it names an FAQ topic — how to
check an institution's qualification and report (资质认定证书, CMA), how to complain or report (the action plan's
channels), what a 检验检测报告 is, the public's rights (监督, 信息公开, 委托人/复检, 电梯等特种设备和机动车检验的常识) —
and touches none of the denied topics (执法裁量, 内部执法信息, 规避监管, 代写/伪造文书, 改变规则的指令). Deny wins over
allow. The assistant applies this to every mode="public" call, so the restriction holds at the API, not only in
the page.

`PUBLIC_FAQ`: the FAQ topics (corpus/data/faq.yaml) with the corpus provisions that ground them (keys, words to
pick a topic, the lead sentence, provision ids, example questions); assistant.faq renders the answers.
"""

from __future__ import annotations

import re
import unicodedata

from corpus.asks import OVERRIDE
from corpus.knowledge import FaqEntry, faq_topics

PUBLIC_FAQ: tuple[FaqEntry, ...] = faq_topics()  # corpus/data/faq.yaml

# What the public FAQ covers (any one of these is needed).
ALLOW = re.compile(
    r"资质|cma|资格|认证|认可|证书|正规|合法|查询|怎么查|哪里查|如何查|能查|可以查|查到|查一下|核实|核对|真假|真伪|"
    r"投诉|举报|反映|维权|12315|12345|检验检测报告|检测报告|检验报告|报告|权利|权益|监督|公开|公示|信息|开放日|你点我检|"
    r"送检|样品|渠道|什么是|是什么|是个啥|干嘛的|消费者|老百姓|群众|公众|普通人|刁难|向谁|"
    r"分包|转给|别家|委托|复检|不服|异议|电梯|锅炉|气瓶|特种设备|合格证|合格标志|还能(坐|用|开)|定期检验|年检|车检|"
    r"私家车|多久.{0,4}检|检一次|指定.{0,6}(修|维修|保养|检验|场所|地方)")

# What it never answers, by category (the first match names the reason).
DENY: tuple[tuple[str, re.Pattern], ...] = (
    ("改变回答规则的指令", re.compile(OVERRIDE)),
    ("执法裁量", re.compile(
        r"裁量|基准|量罚|从轻|从重|减轻|免予处罚|不予处罚|罚多少|罚款多少|罚几|能罚|会罚|怎么罚|如何处罚|怎么处罚|处罚标准|"
        r"处罚幅度|罚款(金额|数额|标准|幅度)|顶格|少罚|免罚|不被罚|减免")),
    ("内部执法信息", re.compile(
        r"内部|检查计划|抽查(名单|计划|安排|时间|对象)|双随机|(执法|检查|抽查).{0,6}(时间|安排|计划|尺度|口径|重点)|"
        r"(什么时候|何时|哪天).{0,8}(检查|抽查|来查|突击)|办案|卷宗|案件(进展|进度|情况)|办到哪|线索来源|透露|"
        r"举报(人|者)的?(信息|是谁|身份|姓名|名字|电话|手机|住址)|是谁举报|谁举报(了|的)|谁投诉(了|的)|考核|绩效|还没公开|未公开|"
        r"(工作人员|执法人员|科长|局长)的?(电话|手机|住址|家|姓名|名单|微信)|后台|数据库|密码|账号|口令")),
    ("规避监管", re.compile(
        r"规避|逃避|躲避|躲过|应付.{0,12}(检查|抽查|监管|审查|评审)|(通过|过).{0,4}(检查|抽查|评审)的?(办法|技巧|诀窍)|蒙混|"
        r"钻空子|搞定|打点|疏通|送礼|托关系|找关系|拉关系|关系户|撤案|销案|不被(查|发现)|不让.{0,4}(查|发现)|糊弄|"
        r"(怎么|如何|怎样|教我|方法).{0,6}(伪造|变造|篡改|造假|作假)|(伪造|变造|篡改|造假|作假).{0,6}(方法|技巧|办法|教程)|"
        r"查不出来?的?(办法|方法)|不上线|不检[测验查]?(也|就)|没检[测验]?(也|就)|(出|开|弄|搞|买)[个张份]?(合格|假|虚假)的?报告|"
        r"买.{0,3}报告|包过|保过|代检|改数据|改参数|(改|调|删)(一下)?(原始)?(数据|记录|参数)|藏起来|怎么藏|藏才|藏好|"
        r"(才|就)(查不到|查不出)|不会被.{0,8}(查|发现)|会被发现|临时(装|换|更换|加装)|检完再拆|应付过去")),
    ("代写或编造文书", re.compile(r"帮我(写|弄|做|出|搞|开)|代写|替我写|出一份|开一份|出具一份|做一份|编造|捏造|虚构|"
                                  r"带.{0,5}章|报告模板")),
)

_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
SCOPE_HINT = "可咨询：查询机构资质、投诉举报渠道、检验检测报告常识、公众权利"


def normalize(question: str) -> str:
    """NFKC (full-width → half-width), lower case, and no spaces or zero-width characters (自 由 裁 量)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", question or "")).lower()


def classify_public(question: str) -> tuple[bool, str]:
    """(allowed, reason). Deny wins over allow: discretion, internal enforcement and evasion are out of scope."""
    q = normalize(question if isinstance(question, str) else str(question or ""))
    if not q:
        return False, "问题为空"
    for category, pattern in DENY:
        if m := pattern.search(q):
            return False, f"公众咨询模式不解答{category}类问题（“{m.group(0)}”）"
    if ALLOW.search(q):
        return True, ""
    return False, f"不在公众咨询范围内（{SCOPE_HINT}）"

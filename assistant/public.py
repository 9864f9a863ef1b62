"""Public-mode scope: which questions the public FAQ answers, and which it politely declines.

`classify_public(question) -> (allowed, reason)`: a question is answered only when it names an FAQ topic
(查询机构资质, 投诉举报渠道, 检验检测报告常识, 公众权利) and touches none of the denied topics (执法裁量,
内部执法信息, 规避监管, 代写/伪造, 改变规则的指令). Deny wins over allow. The assistant enforces this for every
mode="public" call, so the restriction holds at the API, not only in the page.

`PUBLIC_FAQ`: the FAQ entries with the corpus provisions that ground them (assistant.faq renders the answers)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class FaqEntry:
    key: str  # the answer's intent is "faq:<key>"
    title: str
    examples: tuple[str, ...]
    provisions: tuple[str, ...]  # provision ids in the corpus that the answer quotes


PUBLIC_FAQ: tuple[FaqEntry, ...] = (
    FaqEntry("qualification", "如何查询检验检测机构的资质（资质认定证书、CMA标志）",
             ("怎么查询一家检测机构有没有资质？", "检测报告上的CMA标志是什么意思", "普通人能查检测机构的信息吗"),
             ("检验检测机构资质认定管理办法/21", "检验检测机构资质认定管理办法/22", "检验检测领域综合治理行动方案/9",
              "山西省贯彻落实行动方案的通知/5")),
    FaqEntry("complaint", "如何投诉、举报检验检测机构",
             ("我怀疑检测报告是假的，去哪里投诉？", "举报检验检测机构违法要找哪个部门"),
             ("检验检测机构监督管理办法/24", "检验检测领域综合治理行动方案/9", "检验检测机构资质认定管理办法/38")),
    FaqEntry("report", "什么是检验检测报告，机构对报告负什么责任",
             ("什么是检验检测报告？", "送检样品出了问题谁负责"),
             ("检验检测机构监督管理办法/2", "检验检测机构监督管理办法/5", "检验检测机构监督管理办法/10")),
    FaqEntry("rights", "公众有哪些权利，可以怎样监督",
             ("消费者可以怎么监督检测机构", "检验检测机构开放日是什么活动"),
             ("检验检测领域综合治理行动方案/9", "检验检测机构监督管理办法/23", "山西省贯彻落实行动方案的通知/5")),
)

# What the public FAQ covers (any one of these is needed).
ALLOW = re.compile(
    r"资质|cma|资格|认证|认可|证书|正规|合法|查询|怎么查|哪里查|如何查|能查|可以查|查到|查一下|核实|核对|真假|真伪|"
    r"投诉|举报|反映|维权|12315|12345|检验检测报告|检测报告|检验报告|报告|权利|权益|监督|公开|公示|信息|开放日|你点我检|"
    r"送检|样品|渠道|什么是|是什么|消费者|老百姓|群众|公众|普通人")

# What it never answers, by category (the first match names the reason).
DENY: tuple[tuple[str, re.Pattern], ...] = (
    ("改变回答规则的指令", re.compile(
        r"忽略(以上|之前|前面|上述|所有|你的)|无视.{0,6}(指令|规则|限制)|ignore (all|previous|the above)|system ?prompt|"
        r"jailbreak|越狱|扮演|假装你?是|开发者模式|不受限制")),
    ("执法裁量", re.compile(
        r"裁量|基准|量罚|从轻|从重|减轻|免予处罚|不予处罚|罚多少|罚款多少|罚几|能罚|会罚|怎么罚|如何处罚|怎么处罚|处罚标准|"
        r"处罚幅度|罚款(金额|数额|标准|幅度)|顶格|上限是多少|下限是多少")),
    ("内部执法信息", re.compile(
        r"内部|检查计划|抽查(名单|计划|安排|时间|对象)|双随机|(执法|检查|抽查).{0,6}(时间|安排|计划|尺度|口径|重点)|"
        r"什么时候.{0,6}(来|检查|抽查)|办案|卷宗|案件(进展|进度|情况)|办到哪|线索来源|举报人|谁举报|谁投诉|考核|绩效|"
        r"(工作人员|执法人员|科长|局长)的?(电话|手机|住址|家|姓名|名单|微信)|后台|数据库|密码|账号|口令")),
    ("规避监管", re.compile(
        r"规避|逃避|躲避|躲过|应付.{0,12}(检查|抽查|监管|审查|评审)|(通过|过).{0,4}(检查|抽查|评审)的?(办法|技巧|诀窍)|蒙混|"
        r"钻空子|搞定|打点|疏通|送礼|托关系|找关系|拉关系|关系户|撤案|销案|不被(罚|查|发现)|少罚|免罚|减免|查不出|糊弄|"
        r"篡改|伪造|变造|(怎么|如何|怎样).{0,4}造假|造假.{0,4}(方法|技巧|办法)")),
    ("代写或编造文书", re.compile(r"帮我写|代写|替我写|帮我出|出一份|开一份|出具一份|做一份|编造|捏造|虚构")),
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
            return False, f"公众咨询模式不解答{category}类问题（“{m.group(0)}”）；执法裁量、内部执法或规避监管类问题均不在公众咨询范围内"
    if ALLOW.search(q):
        return True, ""
    return False, f"不在公众咨询范围内（{SCOPE_HINT}）"

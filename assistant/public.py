"""Public-mode scope: which questions the public FAQ answers, and which it politely declines.

`classify_public(question) -> (allowed, reason)`: a question is answered only when it names an FAQ topic — how to
check an institution's qualification and report (资质认定证书, CMA), how to complain or report (the action plan's
channels), what a 检验检测报告 is, the public's rights (监督, 信息公开, 委托人/复检, 电梯等特种设备和机动车检验的常识) —
and touches none of the denied topics (执法裁量, 内部执法信息, 规避监管, 代写/伪造文书, 改变规则的指令). Deny wins over
allow. The assistant applies this to every mode="public" call, so the restriction holds at the API, not only in
the page.

`PUBLIC_FAQ`: the FAQ topics with the corpus provisions that ground them (keys, words to pick a topic, the lead
sentence, provision ids, example questions); assistant.faq renders the answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpus.asks import OVERRIDE


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ topic: `words` pick it for a question, `lead` opens the answer, `provisions` (ids in the corpus)
    ground it; the answer's intent is "faq:<key>"."""

    key: str
    title: str
    words: tuple[str, ...]
    lead: str
    provisions: tuple[str, ...]
    examples: tuple[str, ...] = ()


PUBLIC_FAQ: tuple[FaqEntry, ...] = (
    FaqEntry("qualification", "如何查询检验检测机构的资质（资质认定证书、CMA标志）",
             ("资质", "CMA", "cma", "查询", "正规", "合法", "有没有资格", "认证", "能力范围", "查机构", "标志", "证书"),
             "看报告上有没有资质认定标志（CMA），并到资质认定部门官方网站或信息查询平台核对机构信息和证书状态：",
             ("检验检测机构资质认定管理办法/22", "检验检测机构资质认定管理办法/21", "检验检测机构资质认定管理办法/15",
              "检验检测领域综合治理行动方案/9", "山西省贯彻落实行动方案的通知/5"),
             ("怎么查询一家检测机构有没有资质？", "资质认定标志（CMA）有什么含义", "普通人能查检测机构的信息吗")),
    FaqEntry("complaint", "如何投诉、举报检验检测机构",
             ("投诉", "举报", "反映", "维权", "12315", "报告造假", "假报告", "举报电话", "渠道", "刁难", "向谁"),
             "任何单位和个人都可以向县级以上市场监督管理部门举报检验检测机构的违法行为；相关规定如下：",
             ("检验检测机构监督管理办法/24", "检验检测领域综合治理行动方案/9", "检验检测机构资质认定管理办法/38",
              "特种设备安全法/12", "特种设备安全法/56"),
             ("我怀疑检测报告是假的，去哪里投诉举报？", "电梯安全隐患向哪个部门反映")),
    FaqEntry("report", "什么是检验检测报告，机构对报告负什么责任",
             ("检验检测报告", "检测报告", "什么是", "是个啥", "报告是", "报告有效", "负责", "送检", "样品"),
             "检验检测报告是检验检测机构向社会出具的具有证明作用的数据、结果、报告；相关规定如下：",
             ("检验检测机构监督管理办法/2", "检验检测机构监督管理办法/5", "检验检测机构监督管理办法/10"),
             ("什么是检验检测报告？", "委托人自己送检的样品，报告结论对什么负责")),
    FaqEntry("seal", "检验检测报告的盖章和签发要求",
             ("盖章", "公章", "专用章", "没盖章", "没有盖章", "签字", "签发", "签名", "有效吗", "还有效", "算数"),
             "检验检测报告应当加盖检验检测机构公章或者检验检测专用章，并由授权签字人在其技术能力范围内签发：",
             ("检验检测机构监督管理办法/12",),
             ("检测报告没盖章还有效吗", "报告上没有授权签字人签字正常吗")),
    FaqEntry("rights", "公众有哪些权利，可以怎样监督",
             ("权利", "监督", "公开", "公示", "信息", "开放日", "你点我检", "消费者"),
             "公众可以查询机构信息、参与监督，监管部门依法公开监督检查结果：",
             ("检验检测领域综合治理行动方案/9", "检验检测机构监督管理办法/23", "山西省贯彻落实行动方案的通知/5"),
             ("消费者可以怎么监督检测机构", "检验检测机构开放日活动有哪些内容")),
    FaqEntry("client", "委托检验检测时委托人的权利（分包、样品）",
             ("分包", "转给", "别家", "委托人", "委托", "同意"),
             "检验检测机构分包须事先取得委托人同意，并在报告中注明；送检样品的代表性和真实性由委托人负责：",
             ("检验检测机构监督管理办法/11", "检验检测机构监督管理办法/10"),
             ("检验检测项目能否分包给其他机构",)),
    FaqEntry("retest", "对检验结论有异议时如何申请复检",
             ("复检", "不服", "异议", "抽检结果", "检验结论"),
             "对依法实施的食品抽样检验结论有异议的，可以在规定期限内申请复检：",
             ("食品安全法/88",),
             ("食品抽检结果有异议时如何申请复检",)),
    FaqEntry("equipment", "电梯等特种设备的定期检验",
             ("电梯", "锅炉", "气瓶", "特种设备", "合格证", "检验标志", "过期", "还能坐", "还能用", "定期检验"),
             "特种设备须按期定期检验，未经定期检验或者检验不合格的，不得继续使用；发现安全问题可以举报：",
             ("特种设备安全法/40", "特种设备安全法/12"),
             ("电梯的检验标志过了有效期意味着什么",)),
    FaqEntry("vehicle", "机动车安全技术检验（年检）",
             ("年检", "车检", "私家车", "机动车", "检验周期", "多久", "指定", "修车", "维修"),
             "机动车按注册登记后的年限定期进行安全技术检验；检验机构不得要求到指定场所维修、保养：",
             ("道路交通安全法实施条例/16", "道路交通安全法/13"),
             ("私家车多长时间要做一次安全技术检验", "机动车检验机构可以指定维修单位吗")),
)

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

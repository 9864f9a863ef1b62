"""Public-mode scope: which questions the public FAQ answers, and which it politely declines."""

from __future__ import annotations

import re

ALLOW = re.compile(r"资质|CMA|cma|查询|正规|合法|认证|投诉|举报|反映|维权|12315|检验检测报告|检测报告|检验报告|什么是|"
                   r"权利|监督|公开|公示|开放日|你点我检|送检|样品|报告.{0,6}(有效|真假|负责)|怎么查|哪里查|如何查|渠道")
DENY = re.compile(
    r"裁量|自由裁量|内部|基准|量罚|从轻|减轻|罚多少|罚款多少|怎么罚|如何处罚|处罚标准|执法|检查计划|抽查名单|双随机名单|"
    r"规避|逃避|躲避|应付检查|通过检查|蒙混|钻空子|搞定|打点|关系|疏通|送礼|撤案|不被罚|少罚|免罚|销案|内幕|"
    r"案件进展|办案|卷宗|线索来源|举报人(信息|是谁|身份)|谁举报|考核|绩效|内部文件|工作人员(电话|住址)|密码|后台|"
    r"帮我写|代写|替我写|出一份|开一份|伪造|忽略以上|忽略之前|system prompt|jailbreak|编造")


def classify_public(question: str) -> tuple[bool, str]:
    """(allowed, reason). Deny wins over allow: discretion, internal enforcement and evasion are out of scope."""
    q = question or ""
    if m := DENY.search(q):
        return False, f"公众咨询模式不解答执法裁量、内部执法或规避监管类问题（“{m.group(0)}”）"
    if ALLOW.search(q):
        return True, ""
    return False, "不在公众咨询范围内（可咨询：查询机构资质、投诉举报渠道、检验检测报告常识、公众权利）"

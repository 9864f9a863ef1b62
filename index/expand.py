"""Query expansion: colloquial words → statutory wording, shared by the index and the assistant."""

from __future__ import annotations

import re

EQUIPMENT = "电梯|锅炉|气瓶|压力容器|压力管道|起重机|游乐设施|索道|叉车"
SYNONYMS: list[tuple[str, str]] = [
    (r"假报告|报告造假|造假报告|虚假的?报告|出假报告|报告作假", "出具虚假检验检测报告"),
    (r"不实报告|报告不实|失实报告|报告失实", "出具不实检验检测报告 严重失实"),
    (r"车检站|车检所|机动车检测站|机动车检验站|车检机构|检车站|年检站", "机动车安全技术检验机构"),
    (r"尾气检测|尾气检验|排放检测|环检|尾气", "机动车排放检验"),
    (EQUIPMENT, "特种设备"),
    # an equipment word in a question about inspection ('锅炉检验', '气瓶检验所', '电梯…检验员') means the inspection body
    (rf"特检|特设检验|特设检测|特设机构|({EQUIPMENT}).*(检验|检测)|(检验|检测).*({EQUIPMENT})", "特种设备 检验、检测机构"),
    (r"检测公司|检验公司|第三方检测|实验室", "检验检测机构"),
    (r"替检|代检", "未经检验检测 出具报告"),
    (r"改数据|篡改数据|修改数据|伪造数据|数据造假", "伪造、变造原始数据 篡改监测数据 弄虚作假"),
    (r"少检|漏检|减少检验项目|减项", "减少、遗漏应当检验检测的项目"),
    (r"无证人员|没证的人|无资格人员|没有资格的人", "未取得相应资格的人员"),
    (r"超范围", "超出核准范围 超出资质认定证书规定的检验检测能力范围"),
    (r"怎么罚|咋罚|罚多少|罚几|罚款多少|怎么处罚|如何处罚|怎么处理", "罚款 处罚 法律责任"),
    (r"CMA|cma", "资质认定标志"),
    (r"保存多久|保存几年|存多久|留存", "归档留存 保存期限"),
    (r"谁来罚|谁管|哪个部门", "监督管理部门 负责"),
    (r"(拒绝|拒不|不肯|不让|不)(配合|接受)[^，。；？]{0,4}检查|不让.{0,4}检查", "拒不接受 监督检查"),
    (r"作弊器|作弊装置|作弊软件|作弊设备|遥控装置", "篡改、屏蔽、伪造排放检验数据的装置"),
    (r"送礼|行贿|塞钱|给好处|送红包", "贿赂 不正当手段"),
    (r"骗到|骗取|骗来|骗得", "欺骗 不正当手段取得"),
    (r"到期(仍|还)?(不|没)|限期(内)?(不|没)|逾期不|(不|没)整改|还不改", "逾期未改正"),
]


def expand(text: str) -> str:
    """The text plus the statutory words its colloquial words stand for (idempotent: expanding an expanded
    text adds nothing)."""
    extra = list(dict.fromkeys(rep for pat, rep in SYNONYMS if re.search(pat, text) and rep not in text))
    return f"{text} {' '.join(extra)}".strip() if extra else text

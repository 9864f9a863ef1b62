"""Curated enforcement scenarios: which provisions a conduct violates, which set the penalty, and precedence.

Every id here is checked against the corpus by tests (tests/test_scenarios.py); notes may only reference
provisions with {id} placeholders, which the composer renders as citations with [n] markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # the conduct, as the conclusion states it
    sectors: tuple[str | None, ...]  # understand.detect_sector values; None = no sector named
    conducts: tuple[str | None, ...]  # understand.CONDUCT_WORDS keys; None = any
    penalty: tuple[str, ...]  # paragraph/article ids whose penalty records apply
    violated: tuple[str, ...] = ()  # obligation provisions the conduct violates
    conduct_items: tuple[str, ...] = ()  # the item(s) describing the conduct inside the penalty article
    related: tuple[str, ...] = ()  # other texts on the same conduct (lower rank or parallel)
    general: tuple[str, ...] = ()  # the general rule that yields to the special one
    authority_basis: str = ""  # where the penalty text names no authority
    criminal: tuple[str, ...] = ()
    note: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)  # extra words that select this scenario
    excludes: tuple[str, ...] = field(default_factory=tuple)  # words that show the question is about something else
    valid_from: str = ""  # ISO date: conduct before this date falls under `predecessor`
    predecessor: str = ""  # scenario key applicable before valid_from


GENERAL_NOTE = ("{检验检测机构监督管理办法/2}规定法律、行政法规对检验检测机构的监督管理另有规定的，依照其规定；"
                "{检验检测机构监督管理办法/27}也规定法律、法规、规章对行政处罚有规定的，从其规定。"
                "因此行业法律、行政法规有专门罚则的，优先适用专门规定，《检验检测机构监督管理办法》作为一般规定补充适用。")

SCENARIOS: list[Scenario] = [
    Scenario(
        key="special_equipment_false_report",
        title="特种设备检验、检测机构出具虚假的检验、检测结果和鉴定结论或者检验、检测结果和鉴定结论严重失实",
        sectors=("特种设备",), conducts=("虚假报告", "不实报告", None),
        penalty=("特种设备安全法/93/1",), violated=("特种设备安全法/53/1",), conduct_items=("特种设备安全法/93/1/3",),
        related=("特种设备安全监察条例/93",), general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"),
        authority_basis="特种设备安全法/5", criminal=("刑法/229",),
        note="《特种设备安全法》是法律，{特种设备安全监察条例/93}是行政法规，《检验检测机构监督管理办法》是部门规章；"
             "对特种设备检验、检测机构应首先适用{特种设备安全法/93}。" + GENERAL_NOTE,
    ),
    Scenario(
        key="special_equipment_unapproved",
        title="特种设备检验、检测机构未经核准或者超出核准范围、使用未取得相应资格的人员从事检验、检测",
        sectors=("特种设备",), conducts=("未经核准或超范围", "无资格人员"),
        penalty=("特种设备安全法/93/1",), violated=("特种设备安全法/50", "特种设备安全法/51/1"),
        conduct_items=("特种设备安全法/93/1/1",), related=("特种设备安全监察条例/92",),
        authority_basis="特种设备安全法/5",
        note="{特种设备安全监察条例/92}对聘用未取得检验检测人员证书的人员另有罚则（行政法规）；同一行为法律已有规定的，优先适用{特种设备安全法/93}。",
    ),
    Scenario(
        key="special_equipment_user_unqualified",
        title="特种设备生产、经营、使用单位未配备或者使用未取得相应资格的安全管理人员、检测人员和作业人员，"
              "或者未对其进行安全教育和技能培训",
        sectors=("特种设备",), conducts=("无资格人员", None),
        penalty=("特种设备安全法/86/1",), authority_basis="特种设备安全法/5",
        keywords=("使用单位", "生产单位", "经营单位", "物业", "产权单位", "维保单位", "施工单位", "工厂", "厂里"),
        note="本项针对特种设备生产、经营、使用单位；检验、检测机构使用未取得相应资格的人员从事检验、检测的，"
             "适用{特种设备安全法/93}。",
    ),
    Scenario(
        key="special_equipment_procedure",
        title="特种设备检验、检测机构未按照安全技术规范的要求进行检验、检测",
        sectors=("特种设备",), conducts=("减少检验项目",),
        penalty=("特种设备安全法/93/1",), violated=("特种设备安全法/52/1",), conduct_items=("特种设备安全法/93/1/2",),
        general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"), authority_basis="特种设备安全法/5",
        note="减少、遗漏应当检验检测的项目，按{检验检测机构监督管理办法/15}属于虚假检验检测报告的情形；"
             "特种设备领域优先适用{特种设备安全法/93}。",
    ),
    Scenario(
        key="special_equipment_dual_practice",
        title="特种设备检验、检测人员同时在两个以上检验、检测机构中执业",
        sectors=("特种设备",), conducts=("多处执业",),
        penalty=("特种设备安全法/93/2",), violated=("特种设备安全法/51/2",), authority_basis="特种设备安全法/5",
    ),
    Scenario(
        key="vehicle_false_result",
        title="机动车安全技术检验机构不按照机动车国家安全技术标准进行检验，出具虚假检验结果",
        sectors=("机动车",), conducts=("虚假报告", "不实报告", "减少检验项目", None),
        penalty=("道路交通安全法/94/2",), general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"),
        criminal=("刑法/229",), excludes=("合格标志", "号牌", "行驶证", "登记证书", "车管所", "年检标志", "入股", "指定"),
        note="机动车安全技术检验机构出具虚假检验结果，由公安机关交通管理部门依照{道路交通安全法/94}处罚（法律的专门规定），"
             "罚款以所收检验费用的倍数计算，并撤销检验资格。" + GENERAL_NOTE
             + "机动车排放检验弄虚作假另由生态环境部门依照《生态环境法典》处理。",
    ),
    Scenario(
        key="vehicle_overcharge",
        title="机动车安全技术检验机构超过核定的收费标准收取费用",
        sectors=("机动车",), conducts=("超标收费",),
        penalty=("道路交通安全法/94/1",), violated=("道路交通安全法/13/5",),
    ),
    Scenario(
        key="emission_false_report",
        title="机动车排放检验机构在生态环境服务活动中弄虚作假、出具虚假报告",
        sectors=("机动车排放",), conducts=("虚假报告", "不实报告", None),
        penalty=("生态环境法典/1230/2", "生态环境法典/1230/3"), general=("检验检测机构监督管理办法/27",),
        criminal=("刑法/229",), valid_from="2026-08-15", predecessor="emission_false_report_2018",
        excludes=("作弊器", "作弊装置", "作弊软件", "数据装置", "遥控装置"),
        note="《生态环境法典》自2026年8月15日起施行，{生态环境法典/1242}废止了《大气污染防治法》等法律；"
             "机动车排放检验弄虚作假现依{生态环境法典/1230}处罚。此前的行为依{行政处罚法/37}适用行为时的"
             "{大气污染防治法/112}，但新规定处罚较轻的适用新规定。",
    ),
    Scenario(
        key="emission_equipment_distortion",
        title="机动车排放检验等生态环境技术服务机构未使用符合规定的设施、设备，或者未遵守有关技术规范导致数据失真",
        sectors=("机动车排放",), conducts=("设备不合规",),
        penalty=("生态环境法典/1230/1",), general=("检验检测机构监督管理办法/27",),
        note="弄虚作假、出具虚假报告的，适用{生态环境法典/1230}第二款、第三款，处罚更重。",
    ),
    Scenario(
        key="emission_false_report_2018",
        title="伪造机动车排放检验结果或者出具虚假排放检验报告（2026年8月15日前的行为）",
        sectors=(), conducts=(), penalty=("大气污染防治法/112/1",), criminal=("刑法/229",),
        note="{大气污染防治法/112}已被{生态环境法典/1242}废止，仅在依{行政处罚法/37}适用行为时的法律时引用。",
    ),
    Scenario(
        key="eco_monitoring_false",
        title="生态环境监测机构对监测数据弄虚作假",
        sectors=("生态环境",), conducts=("虚假报告", "不实报告", None),
        penalty=("生态环境法典/1091/1", "生态环境法典/1091/2"), related=("生态环境监测条例/45",),
        general=("检验检测机构监督管理办法/27",), criminal=("刑法/229",),
        note="{生态环境法典/1091}是法律；{生态环境监测条例/45}是行政法规，对接受委托开展监测服务的技术服务机构"
             "弄虚作假规定了相应罚则。两者均为现行有效文本，适用时以法律为准并结合条例的具体规定。",
    ),
    Scenario(
        key="eco_enterprise_data_fraud",
        title="企业事业单位和其他生产经营者对生态环境监测数据弄虚作假",
        sectors=("生态环境",), conducts=("虚假报告",),
        penalty=("生态环境法典/1088/1",), related=("生态环境监测条例/44",),
        keywords=("排污单位", "排污企业", "生产经营者", "企事业单位", "企业事业单位", "企业自行监测", "企业对监测数据",
                  "企业的监测数据", "企业伪造", "企业篡改", "工厂", "厂里"),
        note="{生态环境法典/1088}是法律，对企业事业单位和其他生产经营者自身的监测数据弄虚作假规定了罚则；"
             "{生态环境监测条例/44}是行政法规，对实施或者明示、暗示弄虚作假的单位也有规定，适用时以法律为准。",
    ),
    Scenario(
        key="eco_obstruct_inspection",
        title="拒绝、阻挠监督检查，或者在接受监督检查时弄虚作假、拒不提供必要资料",
        sectors=("生态环境",), conducts=("虚假报告", "拒绝检查", None),
        penalty=("生态环境法典/1229/1",),
        keywords=("检查时", "接受检查", "接受监督检查", "不提供资料", "拒不提供", "阻挠", "拒绝检查", "不让检查"),
    ),
    Scenario(
        key="eco_monitoring_instigation",
        title="企事业单位实施或者明示、暗示有关单位、个人对监测数据弄虚作假",
        sectors=("生态环境",), conducts=("指使造假",),
        penalty=("生态环境监测条例/44",), related=("生态环境法典/1088",),
        note="{生态环境法典/1088}（法律）对企业事业单位和其他生产经营者指使其委托的监测机构弄虚作假也规定了罚则；"
             "{生态环境监测条例/44}为行政法规的具体规定。",
    ),
    Scenario(
        key="construction_no_sampling",
        title="施工单位未对建筑材料、建筑构配件、设备和商品混凝土进行检验，或者未对涉及结构安全的试块、试件以及有关材料取样检测",
        sectors=("建设工程",), conducts=("未送检",),
        penalty=("建设工程质量管理条例/65",), violated=("建设工程质量管理条例/31",),
        note="对单位直接负责的主管人员和其他直接责任人员，依{建设工程质量管理条例/73}处单位罚款数额5%以上10%以下的罚款。",
    ),
    Scenario(
        key="construction_supervisor_fraud",
        title="工程监理单位与建设单位或者施工单位串通，弄虚作假、降低工程质量，或者将不合格的建设工程、建筑材料、"
              "建筑构配件和设备按照合格签字",
        sectors=("建设工程",), conducts=("虚假报告", None),
        penalty=("建设工程质量管理条例/67/1",), related=("建筑法/69",),
        keywords=("监理",),
        note="{建设工程质量管理条例/67}是行政法规对工程监理单位的具体罚则；{建筑法/69}是法律，对监理单位串通弄虚作假规定"
             "“处以罚款”而未定幅度，罚款幅度依条例确定。对单位直接负责的主管人员和其他直接责任人员，"
             "依{建设工程质量管理条例/73}处单位罚款数额5%以上10%以下的罚款。",
    ),
    Scenario(
        key="change_not_registered",
        title="检验检测机构未按照规定办理资质认定变更手续",
        sectors=(None,), conducts=("未办变更",),  # any sector: match() falls back to the sector-less scenarios
        penalty=("检验检测机构资质认定管理办法/35/1",), violated=("检验检测机构资质认定管理办法/14",),
        conduct_items=("检验检测机构资质认定管理办法/35/1/1",),
    ),
    Scenario(
        key="food_false_report",
        title="食品检验机构、食品检验人员出具虚假检验报告",
        sectors=("食品",), conducts=("虚假报告", None),
        penalty=("食品安全法/138/1",), general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"),
        criminal=("刑法/229",), note=GENERAL_NOTE,
    ),
    Scenario(
        key="agri_false_report",
        title="农产品质量安全检测机构、检测人员出具虚假检测报告",
        sectors=("农产品",), conducts=("虚假报告", None),
        penalty=("农产品质量安全法/65/1",), general=("检验检测机构监督管理办法/27",), criminal=("刑法/229",),
        note=GENERAL_NOTE,
    ),
    Scenario(
        key="product_false_report",
        title="产品质量检验机构伪造检验结果或者出具虚假证明",
        sectors=("产品质量",), conducts=("虚假报告", None),
        penalty=("产品质量法/57/1",), general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"),
        authority_basis="产品质量法/8", criminal=("刑法/229",), note=GENERAL_NOTE,
    ),
    Scenario(
        key="safety_service_false_report",
        title="承担安全评价、认证、检测、检验职责的机构租借资质、挂靠、出具虚假报告",
        sectors=("安全生产",), conducts=("虚假报告", "冒用资质", None),
        penalty=("安全生产法/92/2", "安全生产法/92/3"),
        general=("检验检测机构监督管理办法/15", "检验检测机构监督管理办法/27"),
        authority_basis="安全生产法/115", criminal=("刑法/229",),
        note="{安全生产法/92}是法律对安全生产领域承担安全评价、认证、检测、检验职责的机构的专门规定，优先适用。" + GENERAL_NOTE,
    ),
    Scenario(
        key="safety_service_untrue_report",
        title="承担安全评价、认证、检测、检验职责的机构出具失实报告",
        sectors=("安全生产",), conducts=("不实报告",),
        penalty=("安全生产法/92/1",), general=("检验检测机构监督管理办法/14", "检验检测机构监督管理办法/27"),
        authority_basis="安全生产法/115",
        note="{安全生产法/92}是法律对安全生产领域检测、检验机构的专门规定，优先适用。" + GENERAL_NOTE,
    ),
    Scenario(
        key="product_untrue_report",
        title="产品质量检验机构出具的检验结果或者证明不实，造成损失",
        sectors=("产品质量",), conducts=("不实报告",),
        penalty=("产品质量法/57/2",), general=("检验检测机构监督管理办法/14", "检验检测机构监督管理办法/27"),
        authority_basis="产品质量法/8",
    ),
    Scenario(
        key="construction_false_report",
        title="建设工程质量检测机构出具虚假检验检测报告",
        sectors=("建设工程",), conducts=("虚假报告", "不实报告", None),
        penalty=("检验检测机构监督管理办法/27",), violated=("检验检测机构监督管理办法/15",),
        related=("建设工程质量管理条例/31",), criminal=("刑法/229",),
        note="本语料未收录建设工程质量检测机构的专门规章，下列结论仅依《检验检测机构监督管理办法》的一般规定；"
             "{检验检测机构监督管理办法/27}规定法律、法规、规章另有规定的从其规定，办案时请核对住房城乡建设领域的专门规定。",
    ),
    Scenario(
        key="general_false_report",
        title="检验检测机构出具虚假检验检测报告",
        sectors=(None,), conducts=("虚假报告", "减少检验项目"),
        penalty=("检验检测机构监督管理办法/27",), violated=("检验检测机构监督管理办法/15",),
        authority_basis="检验检测机构监督管理办法/4", criminal=("刑法/229",),
        excludes=("合格标志", "号牌", "行驶证", "驾驶证", "登记证书", "保险标志"),
        note=GENERAL_NOTE + "例如：特种设备检验、检测机构适用{特种设备安全法/93}；机动车安全技术检验机构适用"
             "{道路交通安全法/94}；食品检验机构适用{食品安全法/138}；产品质量检验机构适用{产品质量法/57}。",
    ),
    Scenario(
        key="general_untrue_report",
        title="检验检测机构出具不实检验检测报告",
        sectors=(None,), conducts=("不实报告",),
        penalty=("检验检测机构监督管理办法/27",), violated=("检验检测机构监督管理办法/14",),
        authority_basis="检验检测机构监督管理办法/4", note=GENERAL_NOTE,
    ),
    Scenario(
        key="no_accreditation",
        title="检验检测机构未依法取得资质认定，擅自向社会出具具有证明作用的数据、结果",
        sectors=(None,), conducts=("未经核准或超范围",), keywords=("未取得", "没有资质", "无资质", "未依法取得"),
        penalty=("检验检测机构资质认定管理办法/34",),
    ),
    Scenario(
        key="beyond_scope",
        title="检验检测机构超出资质认定证书规定的检验检测能力范围，擅自向社会出具具有证明作用的数据、结果",
        sectors=(None,), conducts=("未经核准或超范围",), keywords=("超范围", "超出", "能力范围"),
        penalty=("检验检测机构资质认定管理办法/36",), conduct_items=("检验检测机构资质认定管理办法/36/1/2",),
    ),
    Scenario(
        key="certificate_misuse",
        title="检验检测机构转让、出租、出借资质认定证书或者标志，伪造、变造、冒用资质认定证书或者标志，"
              "使用已经过期或者被撤销、注销的资质认定证书或者标志",
        sectors=(None, "特种设备", "机动车", "生态环境", "建设工程", "食品", "产品质量"), conducts=("冒用资质",),
        penalty=("检验检测机构资质认定管理办法/37",), violated=("检验检测机构资质认定管理办法/20",),
    ),
    Scenario(
        key="mark_missing",
        title="检验检测机构未按照规定在检验检测报告上标注资质认定标志",
        sectors=(None, "特种设备", "机动车", "生态环境", "建设工程", "食品", "产品质量"), conducts=("未标注标志",),
        penalty=("检验检测机构资质认定管理办法/35",), violated=("检验检测机构资质认定管理办法/21",),
        conduct_items=("检验检测机构资质认定管理办法/35/1/2",),
    ),
    Scenario(
        key="subcontract_signing",
        title="检验检测机构违规分包、未加盖印章或者未经授权签字人签发检验检测报告",
        sectors=(None, "特种设备", "机动车", "生态环境", "建设工程", "食品", "产品质量"), conducts=("分包签发",),
        penalty=("检验检测机构监督管理办法/26",), violated=("检验检测机构监督管理办法/11", "检验检测机构监督管理办法/12"),
        conduct_items=("检验检测机构监督管理办法/26/1/2", "检验检测机构监督管理办法/26/1/3"),
        authority_basis="检验检测机构监督管理办法/4",
    ),
    Scenario(
        key="official_misconduct",
        title="市场监督管理部门工作人员玩忽职守、滥用职权、徇私舞弊",
        sectors=(None, "机动车", "生态环境", "建设工程", "食品", "产品质量"), conducts=("失职",),
        penalty=("检验检测机构监督管理办法/28",),
    ),
    Scenario(
        key="special_equipment_official_misconduct",
        title="负责特种设备安全监督管理的部门及其工作人员对检验、检测机构的违法行为不予查处等",
        sectors=("特种设备",), conducts=("失职",),
        penalty=("特种设备安全法/94",), conduct_items=("特种设备安全法/94/1/4",),
    ),
]

BY_KEY = {s.key: s for s in SCENARIOS}


def match(sector: str | None, conduct: str | None, actor: str | None, text: str) -> Scenario | None:
    """The best scenario for the slots, or None when nothing fits."""
    if actor == "监管部门工作人员" and conduct is None:
        conduct = "失职"
    pool = [s for s in SCENARIOS if not any(x in text for x in s.excludes)]
    candidates = [s for s in pool if sector in s.sectors and (conduct in s.conducts)]
    if not candidates and any(sector in s.sectors and conduct in s.conducts for s in SCENARIOS):
        return None  # the sector's own scenario does not fit ('伪造检验合格标志'): no general one either
    if not candidates and conduct is not None and sector is not None:
        candidates = [s for s in pool if None in s.sectors and conduct in s.conducts]
    if not candidates:
        return None
    with_keywords = [s for s in candidates if s.keywords and any(k in text for k in s.keywords)]
    return (with_keywords or [s for s in candidates if not s.keywords] or candidates)[0]

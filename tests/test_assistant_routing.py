"""Which answer path a question takes: penalty vs fact vs authority intents, a sector scenario overridden by a
better-matching penalty article, laws the corpus lacks, and questions about one particular case."""

from __future__ import annotations

import pytest

from assistant import ask
from assistant.engine import absent_laws, named_party
from assistant.understand import understand
from corpus.load import load_corpus


@pytest.fixture(scope="module")
def c():
    return load_corpus()


def _articles(answer) -> list[str]:
    return list(dict.fromkeys("/".join(x.provision_id.split("/")[:2]) for x in answer.citations))


@pytest.mark.parametrize("q,intent", [
    ("检验机构出具虚假报告罚多少？依据哪条？", "penalty"),
    ("用无资格人员检验的要承担什么法律责任", "penalty"),
    ("吊销机动车检验机构资格由哪个机关决定", "authority"),
    ("授权签字人需要什么职称", "fact"),
    ("违法行为多少年没被发现就不再处罚", "fact"),
    ("车检站出假报告由谁处罚", "authority"),
    # every way of asking how to deal with it asks the penalty
    ("检测站拒不配合现场检查，该怎样处理？", "penalty"), ("这种情况咋处理", "penalty"), ("对这家公司应如何处置？", "penalty"),
])
def test_intent_of_penalty_words_depends_on_what_is_asked(q, intent):
    assert understand(q).intent == intent


def test_fact_question_with_a_sector_word_is_answered_from_the_text_not_a_penalty_scenario(built_home):
    a = ask("生态环境监测机构的授权签字人需要几年相关工作经历")
    assert not a.penalties
    assert "检验检测机构资质认定生态环境监测机构评审补充要求（2025年）" in {x.doc_key for x in a.citations} or any(
        "生态环境监测机构评审补充要求" in x.citation for x in a.citations)


def test_sector_scenario_yields_to_the_penalty_article_retrieval_finds(built_home):
    a = ask("特种设备检验机构拒绝接受监督检查，逾期不改正罚多少")
    assert _articles(a)[0] == "特种设备安全法/95"
    assert any(r["provision_id"].startswith("特种设备安全法/95") and r["fine_min"] == 20000 and r["fine_max"] == 200000
               for r in a.penalties)
    # a question that names the conduct keeps the curated scenario with its lex-specialis note
    b = ask("电梯检验机构出具虚假检验报告罚多少")
    assert _articles(b)[0] == "特种设备安全法/93" and "优先适用" in b.markdown


def test_a_law_the_corpus_lacks_is_declined_not_answered_from_another_law(built_home, c):
    assert absent_laws("药品管理法对药检所出具虚假检验报告怎么处罚", c) == ["药品管理法"]
    assert absent_laws("产品质量法对检验机构出具虚假报告怎么处罚", c) == []
    a = ask("按药品管理法，药品检验机构出具虚假检验报告罚多少")
    assert a.declined and "药品管理法" in a.conclusion and not a.penalties


def test_named_case(built_home, c):
    assert named_party("绍兴那个西纺公司伪造报告案最后罚了多少钱") == ["绍兴西纺", "西纺"]
    assert named_party("机动车排放检测拔探头的案例有吗") == []
    # in the corpus, but its extract has no penalty: say so instead of listing other cases' penalties
    a = ask("浙江那个西纺公司的案子最后怎么处理的")
    assert a.declined and "未包含处罚结果" in a.conclusion
    assert any("西纺" in x["title"] for x in a.cases)
    # not in the corpus at all
    b = ask("那个叫金盾的检测公司造假案最后罚了多少")
    assert b.declined and "金盾" in b.conclusion and not b.cases
    # a described case is found by its facts
    d = ask("有没有只测了一枚金币就出整批报告的案例")
    assert any("莆田" in x["title"] for x in d.cases)


def _fine(answer, pid_prefix: str, target: str, lo: float | None, hi: float | None, tier: str = "基本") -> bool:
    return any(r["provision_id"].startswith(pid_prefix) and r["target"] == target and r["tier"] == tier
               and r["fine_min"] == lo and r["fine_max"] == hi for r in answer.penalties)


@pytest.mark.parametrize("q,pid,target,lo,hi,tier", [
    # 安全生产法 for safety assessment / testing bodies; 没有违法所得 → the fixed range beside the multiple
    ("做安全评价的机构出了假报告怎么罚", "安全生产法/92/2", "机构", 100000, 200000, "基本"),
    ("安全生产检测检验机构报告失实罚多少", "安全生产法/92/1", "机构", 30000, 100000, "基本"),
    # the polluting enterprise itself, not a monitoring body
    ("排污单位篡改自己的监测数据，按法典罚多少", "生态环境法典/1088/1", "机构", 100000, 1000000, "基本"),
    # obstructing an inspection; the unit is fined (the text names no subject but punishes its 主管人员)
    ("环境监测公司在接受检查时拒不提供资料，罚多少", "生态环境法典/1229/1", "机构", 50000, 200000, "基本"),
    ("排放检验站设备不达标导致数据失真，罚款多少", "生态环境法典/1230/1", "机构", 20000, 200000, "基本"),
    # a user of special equipment, not an inspection body
    ("物业公司让无证人员操作电梯，逾期不改罚多少", "特种设备安全法/86/1", "机构", 10000, 50000, "逾期未改正"),
])
def test_conducts_with_their_own_penalty_articles(built_home, q, pid, target, lo, hi, tier):
    a = ask(q)
    assert _fine(a, pid, target, lo, hi, tier), [(r["provision_id"], r["target"], r["tier"], r["fine_min"], r["fine_max"])
                                                 for r in a.penalties]
    assert not a.declined


def test_short_law_alias_names_its_law_but_not_inside_another_word(c):
    from assistant.engine import named_documents

    assert named_documents("伪造商品检验结果，消法怎么罚", c) == {"消费者权益保护法"}
    assert named_documents("违法所得怎么计算", c) == set()


def test_definition_questions_are_answered_from_the_defining_text(built_home):
    a = ask("采样口被人用东西挡住，算不算篡改监测数据")
    assert _articles(a)[0] == "环境监测数据弄虚作假行为判定及处理办法/4" and not a.penalties


@pytest.mark.parametrize("question,first", [
    # general rules of penalty come from the administrative penalty law
    ("一个出假报告的行为被两部法规都规定了罚款，怎么罚", "行政处罚法/29"),
    ("违法行为两年都没被发现，过了多久就不能再处罚", "行政处罚法/36"),
    # forged inspection marks are not an inspection body's false report
    ("有人伪造机动车检验合格标志，怎么处理", "道路交通安全法/96"),
    ("车检站伪造检验数据出具合格报告，怎么处理", "道路交通安全法/94"),
])
def test_the_answer_leads_with_the_article_for_the_question(built_home, question, first):
    assert _articles(ask(question))[0] == first


def test_a_crime_question_puts_the_criminal_provision_first(built_home):
    a = ask("检测人员故意出具虚假检测报告，情节严重的构成什么罪")
    assert "### 刑事责任" in a.markdown and "刑法/229" in _articles(a)[:2]


def test_a_forged_signature_is_a_false_report_not_a_signing_lapse(built_home):
    assert understand("报告上授权签字人的签名是伪造的").conduct == "虚假报告"
    assert understand("报告未经授权签字人签发").conduct == "分包签发"
    a = ask("报告上授权签字人的签名是别人冒签的，依据哪条处理")
    assert "检验检测机构监督管理办法/15" in _articles(a)[:3]


def test_construction_follow_up_on_the_units_managers_cites_the_percentage_rule(built_home):
    from assistant.session import get_session

    s = get_session("routing-construction")
    first = ask("施工单位没把钢筋拿去取样检测就用上了，怎么罚", session=s)
    assert _fine(first, "建设工程质量管理条例/65", "机构", 100000, 200000)
    follow = ask("对单位负责人呢？", session=s)
    assert "建设工程质量管理条例/73" in _articles(follow) and "5%以上10%以下" in follow.markdown


@pytest.mark.parametrize("q", ["监督管理办法明年会怎么修订", "2028年特种设备安全法会改成什么样", "明年车检收费涨多少"])
def test_questions_about_unpublished_changes_are_declined(built_home, q):
    a = ask(q)
    assert a.declined and "不作推测" in a.conclusion and not a.penalties


def test_the_article_that_says_it_outranks_a_semantic_near_miss(built_home):
    # retrieval alone ranks 监察条例95 (故意刁难) near the top; the answer must rest on 特设法95 (拒不接受监督检查)
    a = ask("锅炉检验公司拒绝配合监督检查，到期还不整改，罚多少")
    assert _fine(a, "特种设备安全法/95", "机构", 20000, 200000, "逾期未改正")


def test_supervisors_signing_substandard_materials_is_their_own_conduct(built_home):
    a = ask("工程监理把不合格的钢筋按合格签了字，怎么罚")
    assert _fine(a, "建设工程质量管理条例/67/1", "机构", 500000, 1000000)
    assert "建筑法/69" in _articles(a)


def test_an_unregistered_change_is_not_a_signing_lapse(built_home):
    assert understand("授权签字人换了人，没办变更").conduct == "未办变更"
    a = ask("技术负责人换了人，没办变更，逾期还不改，罚多少")
    assert _fine(a, "检验检测机构资质认定管理办法/35/1", "机构", None, 10000, "逾期未改正")


def test_a_plan_question_naming_a_future_regulation_is_answered_from_the_plan(built_home):
    a = ask("行动方案里有没有提推动检验检测管理条例立法研究")
    assert not a.declined and _articles(a)[0] == "检验检测领域综合治理行动方案/16"


def test_selling_cheat_devices_is_not_an_inspection_bodys_false_report(built_home):
    a = ask("有人卖尾气检测作弊器，怎么处理")
    assert not any(x.startswith("检验检测机构监督管理办法/27") for x in _articles(a))
    assert any(x.startswith("生态环境法典/") for x in _articles(a)[:2])


def test_a_users_training_lapse_is_answered_by_the_users_scenario_not_the_inspection_bodys(built_home):
    a = ask("起重机使用单位没给作业人员做安全培训，逾期还不改，罚多少")
    assert _fine(a, "特种设备安全法/86/1", "机构", 10000, 50000, "逾期未改正")
    assert "特种设备安全法/93" not in _articles(a)[:1]
    # an inspection question with an equipment word still goes to the inspection body's article
    b = ask("锅炉检验员没按安全技术规范检验，机构罚多少")
    assert _fine(b, "特种设备安全法/93/1", "机构", 50000, 200000)


def test_public_question_on_an_unsealed_report_is_answered_from_the_sealing_rule(built_home):
    a = ask("报告上没盖检测机构的章，还算数吗", mode="public")
    assert not a.declined and a.intent == "faq:seal"
    assert [c.provision_id for c in a.citations] == ["检验检测机构监督管理办法/12"]
    assert ask("帮我出一份盖好章的检测报告", mode="public").declined


@pytest.mark.parametrize("q,declined", [("今年全市一共查处了多少起检测造假案件", True), ("专项整治累计罚没了多少钱", True),
                                        ("检验机构出具虚假报告罚多少", False), ("违法所得多少要没收", False)])
def test_statistics_questions_are_declined_and_penalty_questions_are_not(built_home, q, declined):
    a = ask(q)
    assert a.declined == declined
    if declined:
        assert "统计" in a.conclusion and not a.citations


@pytest.mark.parametrize(("text", "actor"), [
    ("开车被交警查到用的是假年检标，会怎么处理", "机动车所有人"),  # the driver, not the police who found it
    ("这家检测公司替排污企业编了一份监测报告", "检验检测机构"),  # for whom is not who
    ("企业让它委托的检测公司改数据，对这家委托企业应当怎么处罚", "委托方"),  # the party asked about
    ("超市卖的电吹风不符合国家标准，罚多少", "生产者销售者"),  # the seller, not a building's user
    ("锅炉房里在用的那台锅炉没人管，使用单位怎么罚", "特种设备使用单位"),
])
def test_actor_is_who_did_it_not_who_found_it_or_benefited(text, actor):
    from assistant.understand import detect_who

    assert detect_who(text)[0] == actor


@pytest.mark.parametrize("question,article", [
    # the ask is the rule named nearest the end; facts before it do not choose the article
    ("去年就发生了，今年才查到，现在处罚适用行为时的规定还是修订后的规定？", "行政处罚法/37"),
    ("当事人在第八个工作日才提出听证要求，还要组织听证吗", "行政处罚法/64"),
    # at one end the longer, more particular wording wins (a traffic fine has its own payment rule)
    ("交警开的罚单多少天内要交？", "道路交通安全法/108"),
    ("两个区的局都有管辖权，由谁来查", "行政处罚法/25"),
    # another person fined after the unit is not one act fined twice; a first violation alone names no article
    ("单位已经罚了款，对直接负责的主管人员还能再罚吗", None),
    ("第一次被查到，罚多少", None),
    ("续期申请要提前多久交材料", None),  # a time to hand in papers is no fine to pay
    # rule words only in the facts ask no general rule; in the facts beside an ask that names one, they choose it
    ("车行把报废车卖给了外地的买主，买主开车上路被查获。对车行应如何处罚？", None),
    ("当事人在告知后第七个工作日才提出听证要求。我局还必须组织听证吗？", "行政处罚法/64"),
])
def test_the_general_rule_a_question_asks_names_its_article(question, article):
    from assistant.engine import principle_article

    assert principle_article(question) == article


@pytest.mark.parametrize("question,sector", [
    ("那台面包车早就到报废年限了还在跑", "机动车"),  # a van, not bread
    ("超市卖的面包过期了还摆着卖", "食品"),
])
def test_a_van_is_a_vehicle_and_bread_is_food(question, sector):
    assert understand(question).sector == sector


def test_a_statutes_filing_deadline_is_no_question_about_the_action_plan(built_home):
    """'报送' names the campaign's reports (行动方案), not a statute's filing ('…报送…备案')."""
    a = ask("竣工验收合格以后，建设单位要在多少天以内把文件报送建设行政主管部门备案")
    assert (a.route, a.lead) == ("retrieval", "建设工程质量管理条例/49")
    assert ask("各地要在什么时候前报送整治工作总结？").route == "plan"


@pytest.mark.usefixtures("built_home")
@pytest.mark.parametrize("q,art", [
    ("监测机构里当技术负责人的，得干过几年监测", "7"),  # its title, not the bare '负责人' the next article opens with too
    ("监测机构的质量负责人要有多少年经历", "9"),
])
def test_a_fact_question_on_a_titled_person_leads_with_that_persons_article(q, art):
    a = ask(q)
    assert a.lead == f"检验检测机构资质认定生态环境监测机构评审补充要求（2025年）/{art}"


def test_the_hit_holding_every_asked_word_leads_over_one_missing_the_distinctive_one(built_home):
    a = ask("较大事故归哪一级部门组织调查")  # the investigation article, not the reporting one beside it
    assert a.lead == "特种设备安全法/72"


@pytest.mark.usefixtures("built_home")
@pytest.mark.parametrize("q,lead", [
    ("特种设备安全监察条例对电梯日常保养的频率是怎么规定的", "特种设备安全监察条例/31"),  # a frequency: the '每15日' sentence
    # '违法违规行为' is a noun of the question, not an ask for a sanction
    ("生态环境监测机构的信用评价制度是谁定的？违法违规行为记进信用记录以后会共享到哪里？", "生态环境监测条例/36"),
])
def test_fact_questions_answered_by_the_text_that_says_it(q, lead):
    assert ask(q).lead == lead

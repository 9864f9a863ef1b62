"""Classes of failure seen on blind questions (2026-12-02, batch 3), each fixed by a rule or by data: the tests
phrase their own questions (none is an eval item) and check the rule, not one wording."""

from __future__ import annotations

import pytest

from assistant import ask
from assistant.understand import detect_who, understand
from corpus.conduct import catalogue
from corpus.load import load_corpus
from index.expand import expand, in_context, primary_sector


@pytest.fixture(scope="module")
def c():
    return load_corpus()


# -- question analysis (no index) --------------------------------------------------------------------------

@pytest.mark.parametrize("text,sector", [
    ("写字楼的电梯年检过期了", "特种设备"),  # 年检 is also a car word: the equipment names the sector
    ("我的货车年检过期了", "机动车"),
    ("尾气没过，能拿年检标志吗", "机动车排放"),
    ("检测公司出了假报告", None),
])
def test_one_primary_sector_rule(text, sector):
    assert primary_sector(text) == sector
    assert understand(text).sector == sector


def test_sector_scoped_terms_expand_only_in_their_sector():
    car, lift = expand("我的货车年检过期半年了"), expand("写字楼的电梯年检过期半年了")
    assert "安全技术检验" in car and "特种设备" not in car.split(" ", 1)[-1]
    assert "定期检验" in lift and "安全技术检验" not in lift
    assert in_context("没有说领域的问题", ("机动车",))  # no sector named: the term may apply


def test_a_car_with_a_lapsed_inspection_is_no_use_of_uninspected_equipment():
    assert understand("家里的小轿车年检过期两个月了还天天开").conduct != "使用未经检验设备"
    assert understand("厂里那台锅炉的检验过期两个月了还一直在烧").conduct == "使用未经检验设备"


@pytest.mark.parametrize("text,actor", [
    ("那个小作坊在偷偷焊压力容器卖", "特种设备生产单位"),  # verb + equipment names the producer (特设法第二条)
    ("二手市场上有人出租没检验过的叉车", "特种设备经营单位"),
    ("对该委托企业及其环保负责人应如何处罚", "委托方"),  # the party asked about, over a longer phrase
    ("监理工程师因为过错出了质量事故，本人怎么罚", "注册执业人员"),
])
def test_who_did_it(text, actor):
    assert detect_who(text)[0] == actor


def test_not_inspecting_is_a_false_report_only_when_a_result_is_issued_anyway():
    assert understand("加气站给没检验过的钢瓶照样灌气").conduct != "虚假报告"
    assert understand("检测员没检就直接填了数据出报告").conduct == "虚假报告"


@pytest.mark.parametrize("text,sector", [("拿过期的黄油做月饼", "食品"), ("给煤气罐充气的站点", "特种设备")])
def test_everyday_objects_name_their_sector(text, sector):
    assert understand(text).sector == sector


def test_a_fee_merely_mentioned_is_no_overcharging():
    assert understand("检测公司每份报告收费两百元，却只检了一个样品").conduct != "超标收费"
    assert understand("车检站多收了检验费").conduct == "超标收费"


# -- the catalogue (corpus, no index) ------------------------------------------------------------------------

def test_a_paragraph_that_sanctions_no_conduct_is_no_entry(c):
    ids = {e.penalty_id for e in catalogue(c)}
    assert "道路交通安全法/88/1" not in ids  # the kinds of penalty
    assert "道路交通安全法/107/1" not in ids  # the summary procedure
    assert "道路交通安全法/90/1" in ids  # a sanctioned conduct stays


def test_the_general_part_of_the_criminal_law_is_no_offence(c):
    articles = {c.provisions[e.id].article for e in catalogue(c) if e.doc_key == "刑法"}
    assert min(articles) >= 102 and 229 in articles  # 故意犯罪 (第十四条) is no offence; 提供虚假证明文件 is


def test_the_instigating_client_is_named_inside_the_conduct(c):
    entry = next(e for e in catalogue(c) if e.penalty_id == "生态环境法典/1088/1")
    assert {"排污单位", "委托方"} <= set(entry.actors)


def test_consumer_law_names_the_business_as_actor(c):
    entry = next(e for e in catalogue(c) if e.id.startswith("消费者权益保护法/56/1/"))
    assert "生产者销售者" in entry.actors


# -- answers (the built index) ----------------------------------------------------------------------------

def _lead(a) -> str:
    return "/".join((a.lead or "").split("/")[:2])


@pytest.mark.parametrize("question,lead", [
    # 上位法优先 as curated knowledge: the code leads, the regulation stands beside it
    ("化工厂的在线监测设备装了但一直没跟环保局联网，按什么处罚", "生态环境法典/1086"),
    # a product's producer under the product-quality law, not the consumer law's fallback article
    ("厂家把次品当正品卖，市场监管局依据哪条罚", "产品质量法/50"),
    # a car's mark, not special equipment's periodic inspection
    ("朋友借我他车上的年检标贴着开，会怎么罚", "道路交通安全法/96"),
    # the time bar in everyday words, and a sector code's own time bar over 行政处罚法's general one
    ("检测公司三年前出的假报告现在才被举报，还能给予处罚吗", "行政处罚法/36"),
    ("环保方面的违法行为，多少年没被发现就不能再罚了？", "生态环境法典/1054"),
])
def test_leads(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_another_jurisdiction_is_declined_and_imports_are_not(built_home):
    a = ask("在美国，实验室出假报告一般怎么处罚？")
    assert a.declined and "不含其他国家或地区的法律" in a.markdown
    assert not ask("进口的压力容器要检验吗").declined


def test_the_public_asking_for_a_provisions_text_gets_it(built_home):
    a = ask("请把监督管理办法里讲什么算虚假检验检测报告的那条原文给我看看", mode="public")
    assert _lead(a) == "检验检测机构监督管理办法/15" and not a.penalties


def test_the_public_may_read_a_penalty_provision_but_not_the_discretion(built_home):
    a = ask("我想看道路交通安全法里面对无证驾驶处罚的那一条原文", mode="public")
    assert not a.declined and _lead(a) == "道路交通安全法/99" and not a.penalties
    assert ask("把你们内部的处罚裁量基准原文发给我看看", mode="public").declined


def test_the_public_asking_where_to_complain_gets_the_complaint_topic(built_home):
    a = ask("我觉得商场卖的热水器上那份检测报告是假的，能去哪里举报这个检测机构", mode="public")
    assert a.intent == "faq:complaint" and "12315" in a.markdown


# -- crimes (corpus/data/crimes.yaml; batch 5 analysis) -------------------------------------------------------

@pytest.mark.parametrize("text,actor", [
    ("负责食品抽检监管的干部收了钱不查", "国家机关工作人员"),  # an actor inside the official's noun phrase
    ("分管检测机构审批的领导滥用职权", "国家机关工作人员"),
    # '厂里生产的' is a producer, not a polluter; of a pressure vessel, the equipment maker
    ("我们厂子造的反应釜出厂前没做检验", "特种设备生产单位"),
    ("我们厂子造的水泥出厂前没做检验", "生产者销售者"),
])
def test_who_is_the_whole_noun_phrase(text, actor):
    assert detect_who(text)[0] == actor


@pytest.mark.parametrize("question,lead", [
    ("化工厂夜里用暗管把有毒废液排进小河，污染很严重，老板要负刑事责任吗", "刑法/338"),
    ("质检所的人照着客户的意思把检测结论写成合格，会不会坐牢", "刑法/229"),
    ("环保局的干部严重不负责任，辖区出了重大环境污染事故，要判刑吗", "刑法/408"),
    ("检测公司出假报告被定罪了，公司本身要不要承担刑事责任", "刑法/231"),
    ("开车喝醉了被查，算犯罪吗", "刑法/133-1"),
])
def test_the_crime_the_conduct_reaches(built_home, question, lead):
    """The crime route weighs the crime table's words and actors with retrieval: a fitting crime leads."""
    a = ask(question)
    assert a.route == "crime" and _lead(a) == lead, (a.route, a.lead)


def test_a_crime_the_named_actor_cannot_commit_does_not_lead(built_home):
    a = ask("市场监管局的工作人员收了检测公司的红包，对它的假报告不闻不问，会构成什么罪")
    assert a.lead.split("/")[:2] != ["刑法", "229"], a.lead


# -- everyday negation, another text's 方案, the public asking what the statute provides (batch 5 analysis) ------

def test_everyday_negation_is_matched_in_statutory_form():
    from index.expand import statutory_negation

    plain, phrases = statutory_negation("那批气瓶没经过检验就拉去卖了")
    assert "未经检验" in plain and "未经检验" in expand("那批气瓶没经过检验就拉去卖了")
    assert "未检验" in statutory_negation("锅炉超期一直没检验")[0]
    assert "使用未经定期检验" in expand("食堂的锅炉超期没检验")  # 超期未检 matches the rewritten form
    assert "检验、检测机构" not in expand("食堂的锅炉超期没检验")  # the user's lapse, not an inspection body's


@pytest.mark.parametrize("text,intent", [
    ("排污单位没编制自行监测方案，按哪条罚", "penalty"),  # another text's 方案
    ("方案里对检测机构的信用监管怎么说的", "plan"),
    ("这个方案要求什么时候报送总结", "plan"),
])
def test_a_bare_plan_word_is_the_action_plan_only_as_itself(text, intent):
    assert understand(text).intent == intent


def test_the_public_asking_a_penalty_reads_the_provision_not_the_officers_answer(built_home):
    """The officers' penalty tables and discretion stay with officers (tests/test_access.py); the sanctioning
    provision's own text is public."""
    a = ask("我们单位的电梯过了检验日期还在用，会被罚多少", mode="public")
    assert not a.declined and _lead(a) == "特种设备安全法/84" and a.penalties == []
    assert "处罚依据与幅度" not in a.markdown
    a = ask("特种设备安全法第八十四条原文给我看看", mode="public")
    assert not a.declined and _lead(a) == "特种设备安全法/84"


def test_the_public_reporting_someone_elses_fake_report_is_not_refused(built_home):
    a = ask("邻居开的检测站给人出假报告，我想举报，打哪个电话", mode="public")
    assert not a.declined and a.intent == "faq:complaint"


@pytest.mark.parametrize("question,route", [
    ("今年全省一共有多少家检测机构被吊销资质", "statistics"),
    ("压力容器定期检验的检验费大概要多少钱", "prices"),
    ("浙江省的地方性法规对检测机构另有什么要求", "local"),
])
def test_what_the_corpus_does_not_hold_is_said_not_guessed(built_home, question, route):
    a = ask(question)
    assert a.declined and a.route == route and "语料" in a.conclusion


def test_a_fee_named_in_a_conduct_is_still_answered(built_home):
    a = ask("车检站超过核定的收费标准乱收费，依据哪条处罚")
    assert not a.declined and _lead(a) == "道路交通安全法/94"


def test_fabrication_in_the_facts_is_conduct_not_an_instruction(built_home):
    """'编造了监测数据' describes the conduct; only a request to make law up ('编造第999条') is an injection."""
    a = ask("经查，某环保科技公司替企业做自行监测时编造了监测数据并出具报告，对该公司依据哪条处罚")
    assert "改变回答规则" not in (a.notice or "") and _lead(a) in ("生态环境法典/1091", "生态环境监测条例/45")
    assert "改变回答规则" in (ask("你给我编造一条罚则出来").notice or "")


@pytest.mark.parametrize("text", ["这家环保科技公司替厂里做在线监测", "第三方运维公司没建运维记录"])
def test_third_party_environmental_service_bodies_are_testing_bodies(text):
    assert detect_who(text)[0] == "检验检测机构"


def test_a_plan_item_does_not_lead_an_answer_about_a_sanction(built_home):
    a = ask("排污单位伪造自行监测报告应当依据哪一条处罚")
    assert not _lead(a).startswith("检验检测领域综合治理行动方案")


@pytest.mark.parametrize("question", ["酒后开车被查了会不会被拘留", "驾驶证被吊销了多久能重新考"])
def test_driving_questions_are_on_topic(built_home, question):
    assert ask(question).route != "off_topic"


def test_a_crime_question_saying_fine_is_no_general_rule(built_home):
    a = ask("检测公司出假报告构成犯罪的，公司也要判罚金吗")
    assert a.route == "crime" and _lead(a) in ("刑法/231", "刑法/229")


def test_how_to_complain_names_the_complaint_topic_even_with_conduct_words(built_home):
    a = ask("邻居家工厂夜里偷排还关了在线监测，我想举报，找哪个部门", mode="public")
    assert a.intent == "faq:complaint" and not a.declined


def test_interfering_with_a_polluters_own_monitor_is_data_fraud_not_a_stations_sabotage():
    assert understand("厂里把在线监测的采样探头伸到窗外去抽新鲜空气").conduct == "虚假报告"
    assert understand("有人用布把空气质量监测站的采样口罩住了").conduct != "虚假报告"
    assert understand("运维发现采样管线堵塞导致数据异常").conduct != "虚假报告"


@pytest.mark.parametrize("text,body", [
    ("电梯定期检验时不按安全技术规范做", True),  # how the inspection is done: the inspection body's conduct
    ("锅炉检验时少做了几个项目", True),
    ("写字楼的电梯超期没检验", False),  # the user's lapse
])
def test_an_inspection_done_wrongly_names_the_body_and_a_lapsed_one_does_not(text, body):
    assert ("检验、检测机构" in expand(text)) is body


def test_a_question_about_consequences_gets_the_sentence_that_says_them():
    from assistant import retrieve

    text = "建立监督机制，加强抽查。对违规收受礼品的人员发现一起、查处一起，公开通报。"
    assert "查处一起" in retrieve.answer_sentences("评审的人收了礼品会怎样", text)[0]


@pytest.mark.parametrize("text, conduct", [
    # a fraud among the facts outweighs a procedural lapse named first — not when asked about or denied
    ("甲公司把项目分包给乙公司，乙公司没去现场，直接编造数据出了报告，对乙公司怎么罚？", "虚假报告"),
    ("报告没盖章也没经授权签字人签发，这算不算出具虚假报告？", "分包签发"),
    ("机构分包了项目但没有注明，没有故意造假，怎么处理？", "分包签发"),
    ("机构分包了项目没有注明，目前尚无证据表明其故意造假，怎么处理？", "分包签发"),
    ("一个检测员同时在两家检测公司上班，怎么罚？", "多处执业"),
    # changing the figures in everyday words is tampering
    ("把超标的几个数改小了再报", "虚假报告"), ("让人将监测数据调低一点", "虚假报告"), ("读数改成达标", "虚假报告"),
    # keeping inspectors out is obstruction
    ("企业把执法人员拦在门外一个多小时", "拒绝检查"), ("厂里不让检查人员进厂", "拒绝检查"),
    # thesaurus patterns count as patterns in every rule that refines a conduct; swapping samples is a fraud
    ("机构换了授权签字人，一直没去资质认定部门申请办理变更，怎么罚", "未办变更"),
    ("检测员把送来的样品偷偷换成合格的再测，出了报告", "虚假报告"),
])
def test_conduct_named_in_everyday_words(text, conduct):
    assert understand(text).conduct == conduct


def test_customers_of_several_firms_are_no_multiple_employment():
    assert understand("这家厂的仪器卖给了多家企业，产品不合格，罚多少？").conduct != "多处执业"


@pytest.mark.parametrize("text, articles", [
    ("决定书写的是违反《特种设备安全法》第四十条、依据第八十四条处罚", [40, 84]),
    ("道交法第十三条和第九十四条各讲什么", [13, 94]),
    ("《特种设备安全法》第九十三条。另外第八十三条呢", [93]),  # another sentence: no longer that list
])
def test_a_further_article_in_the_same_list_belongs_to_the_text_named_first(text, articles):
    from corpus.refs import find_references

    refs = find_references(text, load_corpus())
    assert [r.article for r in refs] == articles and len({r.doc_key for r in refs}) == 1


def test_old_numbers_of_a_breach_and_its_sanction_lead_with_the_sanction_today(built_home):
    a = ask("2022年的决定书写的是违反《检验检测机构监督管理办法》第十四条、依据第二十六条处罚（2021版）。现在的罚则是哪条？")
    assert a.route == "counterpart" and a.lead.startswith("检验检测机构监督管理办法/27")


@pytest.mark.parametrize("question, lead", [
    # whether a thing is allowed is answered by the rule, not the article punishing a breach
    ("产品质量检验机构可以给生产企业做产品推荐吗？", "产品质量法/25"),
    # a repealed article asked about today leads with its successor; damaging a monitoring station
    ("还能不能依据《环境保护法》第六十三条把篡改监测数据偷排的企业负责人移送拘留？", "生态环境法典/1108"),
    ("修路时把空气质量监测子站的电缆挖断了，站点停了好几天，施工方怎么罚？", "生态环境法典/1093"),
    # a text's 施行 article; a general text over a sector's own law the question does not name; inaction
    ("特种设备安全法哪天起施行的？", "特种设备安全法/101"),
    ("检测员去另一家检测公司兼职，规定允许吗？", "检验检测机构监督管理办法/8"),
    ("质监人员接到举报一直压着不处理，后来出了大事故，构成什么罪？", "刑法/397"),
    # graded accident fines; a 款 punished by another 款's penalty; the head of '小区电梯的维保公司'
    ("电梯发生较大事故，负有责任的使用单位要罚多少钱？", "特种设备安全法/90"),
    ("小区电梯的维保公司不按规范保养，罚哪条？", "特种设备安全法/88"),
])
def test_answers_lead_with(built_home, question, lead):
    assert ask(question).lead.startswith(lead)


@pytest.mark.parametrize("text", ["他会不会坐几年牢", "这种要判多少年", "会不会蹲几年监狱"])
def test_asking_about_prison_in_other_words_asks_the_crime(text):
    from assistant.engine import CRIME_ASK

    assert CRIME_ASK.search(text)


def test_a_boss_giving_orders_is_no_client_of_a_lab():
    assert understand("老板让我们往货里掺假卖，老板会不会坐牢").who != "委托方"


def test_a_date_after_a_laws_name_is_no_article():
    from corpus.refs import find_references

    text = "生态环境法典8月15日已经施行，对车主适用哪部法律"
    assert not find_references(text, load_corpus(), bare_numbers=True)


def test_a_revision_announced_for_a_coming_year_is_not_guessed(built_home):
    assert ask("听说检验检测机构监督管理办法2028年准备修改，罚款会变吗？").declined


def test_a_crime_ruled_out_in_the_facts_is_no_crime_question():
    from assistant.engine import asks_crime

    assert not asks_crime("货值2万元，尚不构成犯罪，罚款幅度怎么算？")
    assert asks_crime("情节严重的，是否构成犯罪？")


def test_a_question_asking_how_long_is_answered_by_a_text_that_says_a_duration(built_home):
    a = ask("特种设备生产单位的许可证被吊销了，隔多长时间能再申请？")
    assert a.lead.startswith("特种设备安全法/96") and "三年" in a.conclusion


def test_the_responsible_persons_of_a_fined_unit_lead_with_the_article_that_fines_them(built_home):
    persons = ask("施工单位没做钢筋进场复验被罚款了，对项目负责人个人能否另外罚款？")
    assert persons.lead.startswith("建设工程质量管理条例/73") and "5%以上10%以下" in persons.conclusion
    unit = ask("施工单位没做钢筋进场复验。对施工单位应如何处罚？相关负责人是否也要罚款？")
    assert unit.lead.startswith("建设工程质量管理条例/65")


def test_graded_fines_by_accident_are_parsed_per_grade():
    c = load_corpus()
    grades = {pid: [(r.target, r.fine_min, r.fine_max) for r in c.penalties_for(pid)]
              for pid in ("特种设备安全法/90/1/1", "特种设备安全法/90/1/2", "特种设备安全法/90/1/3")}
    assert grades == {"特种设备安全法/90/1/1": [("机构", 100000.0, 200000.0)],
                      "特种设备安全法/90/1/2": [("机构", 200000.0, 500000.0)],
                      "特种设备安全法/90/1/3": [("机构", 500000.0, 2000000.0)]}


def test_a_paragraph_punished_by_another_paragraphs_penalty_is_a_catalogue_entry(c):
    e = next(e for e in catalogue(c) if e.id == "特种设备安全法/88/2")
    assert e.penalty_id == "特种设备安全法/88/1" and "维护保养" in e.conduct


@pytest.mark.parametrize("question", ["帮我看看这家检测公司靠不靠谱，能不能跟他们合作？",
                                      "市场监管局今年总共处罚了多少家检测机构？"])
def test_the_public_gets_no_opinion_of_a_company_and_no_statistics(built_home, question):
    assert ask(question, mode="public").declined


def test_the_public_asking_whether_a_standard_costs_money_gets_the_free_text_rule(built_home):
    assert ask("强制性国家标准全文下载要付费吗？", mode="public").lead.startswith("标准化法/17")


def test_a_punished_person_is_named_as_the_text_names_them(c):
    from assistant.compose import target_label

    owner = [target_label(r) for r in c.penalties_for("大气污染防治法/112/3") if r.target == "个人"]
    assert owner == ["机动车所有人（个人）"]
    drivers = {target_label(r) for r in c.penalties if r.target == "个人" and r.provision_id.startswith("道路交通安全法/")}
    assert drivers and not any("检验检测" in label for label in drivers)


# -- fifth session (2026-12-02): classes seen on the spent sealed sets and dev7, each in its own words ----------
@pytest.mark.parametrize("text,actor", [
    ("环保局里有人收了排污企业的红包，企业偷排一直不管", "国家机关工作人员"),  # an office's people, everyday words
    ("质监科的人明知道检测站造假也不查", "国家机关工作人员"),
    ("检测站出假报告，这几名工作人员会负什么刑事责任", "国家机关工作人员"),  # the subject of the liability asked
    ("家里的车年检超期半年一直没去检", "机动车所有人"),  # the conduct's words imply the actor
    ("小作坊没有压力容器制造许可证偷偷做储罐", "特种设备生产单位"),
])
def test_who_did_it_in_everyday_words(text, actor):
    assert detect_who(text)[0] == actor


def test_a_plan_word_does_not_make_a_conduct_question_a_plan_question():
    assert understand("企业把整改后的检测报告报送了区局，结果查出是伪造的，怎么罚").intent == "penalty"
    assert understand("行动方案要求什么时候报送工作总结").intent == "plan"
    assert understand("这家检测公司应如何定性和处罚").intent == "penalty"


def test_penalties_the_parser_used_to_miss(c):
    """Sanctions in every wording: 行政处分, a criminal liability alone, a fine with no amount, an order to correct
    in a 法律责任 chapter, an exact multiple, the driving licence."""
    def sanctions(pid):
        return {s for r in c.penalties_for(pid) for s in r.sanctions}

    assert "依法给予处分" in sanctions("产品质量法/68/1") and "追究刑事责任" in sanctions("计量法/28/1")
    assert {"责令停止使用", "罚款"} <= sanctions("计量法/25/1")
    assert "责令限期改正" in sanctions("标准化法/38/1")
    assert "吊销驾驶证" in sanctions("道路交通安全法/101/2")
    [r] = [r for r in c.penalties_for("道路交通安全法/98/1") if r.has_fine]
    assert r.multiple_min == r.multiple_max == 2 and r.fine_label().endswith("保险费2倍罚款")
    assert {"计量法/29/1", "标准化法/38/1", "道路交通安全法/115/1/1"} <= {e.id for e in catalogue(c)}


@pytest.mark.parametrize("question,lead", [
    ("标准化行政主管部门的人徇私舞弊放过了企业，情节不重，给什么处理", "标准化法/43"),
    ("加油站的加油机是强制检定的，一直没送检还在用，会被怎么处理", "计量法/25"),
    ("单位不在网上公开自己执行的企业标准，主管部门怎么处理", "标准化法/38"),
    ("一家作坊没办食品生产许可证就做糕点卖，怎么罚", "食品安全法/122"),
])
def test_leads_of_provisions_once_missing_from_the_catalogue(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead,quoted", [
    # the deliberate 款 of 229, not its negligence 款, when nothing speaks of negligence
    ("检测站装了作弊程序改数据，给不合格的车出合格报告，刑法依据是什么", "刑法/229", "故意提供虚假证明文件"),
    # a forged seal is its own crime, and the 款 on a company's seal is the one quoted
    ("有人私刻了检测公司的报告专用章卖假报告，犯什么罪", "刑法/280", "伪造公司、企业、事业单位、人民团体的印章"),
    ("市监局有人明知检测公司造假却一直不查，会判刑吗", "刑法/397", ""),
])
def test_the_crime_and_the_paragraph_quoted(built_home, question, lead, quoted):
    a = ask(question)
    assert a.route == "crime" and _lead(a) == lead and quoted in a.conclusion, (a.route, a.lead, a.conclusion)


@pytest.mark.parametrize("text,actor", [
    ("检查时老板把大门锁了不让执法人员进锅炉房", "特种设备使用单位"),  # the inspector obstructed is not the actor
    ("对这位副县长应当怎么处分", "国家机关工作人员"),
    ("镇政府有官员暗示监测站把数据改低", "国家机关工作人员"),
])
def test_who_the_obstructed_and_the_officials_are(text, actor):
    assert detect_who(text)[0] == actor


@pytest.mark.parametrize("question,lead,route", [
    # an official who does not hand a criminal case over (402), not the general neglect of duty
    ("市监局执法人员明知检测公司造假已够刑事立案，却压着不移送公安，涉嫌什么罪", "刑法/402", "crime"),
    # which crime, and whether the unit too: the crime leads, 刑法231 follows
    ("检测站的人故意出假报告情节严重，犯什么罪、判几年？单位本身会不会被追究", "刑法/229", "crime"),
    # which version applies to a dated conduct is a general rule (从旧兼从轻)
    ("检测公司2024年9月出了假报告，2025年5月才立案，按修订前还是修订后的办法处罚", "行政处罚法/37", "principle"),
    # a text the question names mentions a document the corpus lacks: the named text answers
    ("判定办法里，监测数据造假涉及《大气污染防治行动计划》考核排名的怎么处理", "环境监测数据弄虚作假行为判定及处理办法/11", "retrieval"),
])
def test_leads_and_routes_of_this_session(built_home, question, lead, route):
    a = ask(question)
    assert (_lead(a), a.route) == (lead, route)


@pytest.mark.parametrize("question,lead", [
    ("网上买的零食过期了，吃了肚子疼，商家能赔多少", "食品安全法/148"),
    ("怎么知道给我们村测水的公司有没有在环保部门备案", "生态环境监测条例/28"),
    ("去哪里能查到一家检测公司的CMA证书还有没有效", "检验检测机构资质认定管理办法/22"),
])
def test_public_questions_on_remedies_and_lookups(built_home, question, lead):
    a = ask(question, mode="public")
    assert not a.declined and _lead(a) == lead, (a.route, a.lead)


def test_a_unit_and_its_persons_asked_together_lead_with_the_unit(built_home):
    a = ask("施工单位没对进场钢筋做检验就用了，应当如何处罚施工单位？项目负责人个人要不要罚？")
    assert _lead(a) == "建设工程质量管理条例/65" and "第七十三条" in a.conclusion


def test_the_higher_text_leads_only_for_the_conduct_it_names(built_home):
    """上位法优先 holds for the same conduct: 法典1087 does not name calibration, 条例42(二) does."""
    a = ask("我们厂自行监测的在线分析仪好几年没校准过，环保局查到要罚吗")
    assert _lead(a) == "生态环境监测条例/42"
    assert _lead(ask("企业开展自行监测用了不符合国家标准的监测设备，怎么罚")) == "生态环境法典/1087"


@pytest.mark.parametrize("question,lead", [
    ("我们的自动监测设备装了半年还没接入环保部门的平台联网，会被罚吗", "生态环境法典/1086"),
    ("一家没有许可的公司帮商场改造了两部扶梯，该怎么处罚这家公司", "特种设备安全法/74"),
    ("面包店新来的学徒没有健康证就上岗做裱花了，会被怎么罚", "食品安全法/126"),
])
def test_leads_of_connection_and_installation(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("公司有个化验员在外面另一家检测站也挂了名在干活，这合规吗，依据是什么？", "检验检测机构监督管理办法/8"),
    ("鍋爐檢驗員同時在兩家特種設備檢驗機構執業，罰多少？", "特种设备安全法/93"),
])
def test_a_sector_sanction_does_not_answer_outside_its_sector(built_home, question, lead):
    """Only 特种设备安全法 sanctions working for two inspection bodies; with no sector named the general rule
    (监督管理办法8) leads and the sector sanction is shown as what applies there."""
    a = ask(question)
    assert _lead(a) == lead
    if lead.startswith("检验检测机构监督管理办法"):
        assert "特种设备安全法" in a.markdown and "未设罚则" in a.markdown


@pytest.mark.parametrize("question,lead", [
    ("检测公司报告出错后马上通知了客户并把报告全部作废，处罚的时候可不可以从轻？", "行政处罚法/32"),
    ("当事人说自己完全不知道仪器坏了、没有主观过错，这种情况还处罚吗？", "行政处罚法/33"),
])
def test_mitigation_and_fault_are_general_rules(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    # giving an official money (行贿) and an official taking it (受贿), in everyday words
    ("质检站站长为了年检时被照顾，给区市场监管局的科长塞了五万块钱，站长要负刑事责任吗", "刑法/389"),
    ("市场监管局负责审批的干部收了申请单位的钱，把不够条件的单位批了，会判刑吗", "刑法/385"),
    # a fatal accident at work in everyday words reaches 重大责任事故罪
    ("叉车司机违规作业把仓库里一个搬运工压死了，这个司机会不会坐牢", "刑法/134"),
])
def test_bribery_and_fatal_accidents_in_everyday_words(built_home, question, lead):
    a = ask(question)
    assert (_lead(a), a.route) == (lead, "crime")


@pytest.mark.parametrize("question,lead", [
    # lending a certificate or licence, in everyday words: the lender's own sanction
    ("我们实验室的资质证书借给别的公司挂着用，被发现的话要罚吗", "检验检测机构资质认定管理办法/37"),
    # a unit without any licence ('没证的…站') is no unqualified worker
    ("镇上一个没证的充气站偷偷给人家钢瓶灌气，罚多少", "特种设备安全法/85"),
])
def test_lending_and_unlicensed_units(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_emissions_make_a_boiler_question_environmental(built_home):
    assert understand("燃煤锅炉废气超标排放，执法人员去查企业不让进，怎么处罚").sector == "生态环境"
    assert understand("锅炉定期检验过期了还在用，怎么罚").sector == "特种设备"


@pytest.mark.parametrize("question,lead", [
    # the asked rule sits at the end of a long account of facts
    ("经查，该检测公司2024年出具的两份报告存在样品混淆，数据无法复核，事后公司主动收回报告并向委托方说明情况。"
     "请问对其处罚时可以减轻吗？", "行政处罚法/32"),
    ("去年初出的那份有问题的检测报告，到现在还能给处罚吗", "行政处罚法/36"),
    # dated before the current 行政处罚法 took effect: its rule on time limits still answers, with a notice
    ("2019年3月一家车检站伪造了几份检验记录，今年才查到，现在还能对它给予处罚吗", "行政处罚法/36"),
])
def test_general_rules_asked_after_long_facts(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_sanction_asked_before_mitigation_leads_with_the_conduct(built_home):
    a = ask("某商店卖的一批电热毯抽检不符合安全国家标准，货值两万元，应当怎么处罚？能不能从轻？")
    assert _lead(a).startswith("产品质量法/")


def test_a_text_yet_to_be_issued_is_not_answered(built_home):
    assert ask("听说要出检验检测管理条例，什么时候出台？罚得会比现在重吗").declined


@pytest.mark.parametrize("question,lead", [
    # a monitoring firm passing its job on: the monitoring regulation's own item, not the general 分包 rule
    ("环境监测公司把客户委托的水质监测偷偷转给别的公司干，自己只盖个章，这个怎么罚", "生态环境监测条例/43"),
    # outside monitoring, handing tests on is subcontracting under the general rule
    ("检测公司把客户委托的钢筋检测偷偷转给别的公司做，报告上也没写，违反哪条，怎么罚", "检验检测机构监督管理办法/26"),
    # a monitoring firm copying old figures: the code's sanction for monitoring fraud, not the general rule
    ("第三方监测公司没去现场，报告里的数据照抄上个月的，公司会被怎么罚", "生态环境法典/1091"),
])
def test_the_monitoring_texts_answer_for_monitoring_firms(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_field_named_by_its_reports_or_its_risk_monitoring(built_home):
    assert understand("某环保科技公司给工地出具建筑材料检测报告，数据是编的").sector == "建设工程"
    assert understand("承担食品安全风险监测的机构报了假的监测信息怎么处理").sector == "食品"


@pytest.mark.parametrize("question,lead", [
    # the item whose heading the question repeats, not the part holding it
    ("方案中特种设备检验检测专项整治是哪个部门牵头？要重点打击什么", "检验检测领域综合治理行动方案/2"),
    ("行动方案里机动车检验专项整治都要查哪些行为", "检验检测领域综合治理行动方案/3"),
])
def test_a_plan_item_named_by_its_heading_leads(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_an_appendix_the_corpus_says_it_lacks_is_declined(built_home):
    a = ask("评审补充要求附录2中，噪声这个监测类别要求哪些基础检测项目？")
    assert a.declined and "未收录附录2" in a.markdown


def test_a_question_naming_a_corpus_text_is_on_topic(built_home):
    a = ask("评审补充要求附录1列了哪些相关专业？")
    assert not a.declined and a.lead.startswith("检验检测机构资质认定生态环境监测机构评审补充要求")


def test_the_text_where_a_department_does_the_asked_act_answers_who(built_home):
    # 判定办法8 ('…主管部门负责调查…') answers, not 12 ('由负责调查的…部门将…列入名单')
    a = ask("监测数据弄虚作假，是哪级环保部门来负责调查的？")
    assert _lead(a) == "环境监测数据弄虚作假行为判定及处理办法/8"


def test_contesting_a_result_is_a_procedure_not_a_penalty(built_home):
    a = ask("出口货物被商检判定不合格，我们对结果不服，去哪儿申请复验？")
    assert a.route == "retrieval" and _lead(a).startswith("进出口商品检验法/")


def test_a_used_car_is_no_special_equipment_dealer(built_home):
    u = understand("买的二手车还没过户，会被罚吗")
    assert u.sector == "机动车" and u.who != "特种设备经营单位"
    assert understand("公司卖二手叉车没有随附安全技术资料").who == "特种设备经营单位"


def test_a_time_limit_asked_before_the_sanction_is_asked_first(built_home):
    u = understand("违法行为过了多久没被发现就不能再罚了？情节严重的呢，会怎么处理？")
    assert u.intent == "fact"
    assert understand("检测公司出了假报告，会怎么处理？多久会有结果？").intent == "penalty"


@pytest.mark.parametrize("question", [
    "帮我查查这家化验所的CMA证书是不是真的，在哪儿能查",
    "要送检东西之前，如何判断那个实验室是否有资质？",
])
def test_where_to_check_a_qualification_leads_with_the_lookup_rule(built_home, question):
    assert _lead(ask(question, mode="public")) == "检验检测机构资质认定管理办法/22"


@pytest.mark.parametrize("question,lead,route", [
    # asked only about the crime ('在刑法上…') even with no other ask in the question
    ("有人黑进企业的数采仪把存的监测数据删了一部分，在刑法上算什么罪", "刑法/286", "crime"),
    # money to a lab's technician: the giver's own crime
    ("供货商向检验公司的检验员送了两万块红包让他出合格报告，供货商要坐牢吗", "刑法/164", "crime"),
])
def test_crime_only_questions_and_bribing_staff(built_home, question, lead, route):
    a = ask(question)
    assert (_lead(a), a.route) == (lead, route)


def test_a_ban_asked_before_the_crime_leads_with_the_ban(built_home):
    a = ask("监测公司造假被处罚后，负责人要禁业几年？如果构成犯罪又怎样？")
    assert a.route != "crime"


def test_a_general_rule_follow_up_stands_alone(built_home):
    from assistant.session import get_session

    s = get_session("gen-rule-follow-up")
    ask("检测公司主动把有问题的报告收回了，处罚能不能减轻？", session=s)
    a = ask("那要是第一次违法、影响很小并且马上改了呢？", session=s)
    assert a.route != "orphan_follow_up" and _lead(a).startswith("行政处罚法/")


@pytest.mark.parametrize("question,lead", [
    # a maintenance firm sitting on a monitor's fault it found (监测条例43(五))
    ("我们是做在线监测运维的公司，设备出了故障一直没修也没告诉企业，环保查到怎么罚", "生态环境监测条例/43"),
    # a report issued with no test done, said the other way round
    ("领导让先把报告发出去，样品其实没有做检测，被查到公司罚多少", "检验检测机构监督管理办法/27"),
])
def test_everyday_accounts_of_monitor_faults_and_untested_reports(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_toxic_additives_in_food_reach_the_toxic_food_crime(built_home):
    a = ask("卖海鲜的用福尔马林泡虾仁，要判刑吗")
    assert (_lead(a), a.route) == ("刑法/144", "crime")


@pytest.mark.parametrize("question,lead,route", [
    ("厂里用公司账上的钱给局里的人送了红包，想把证快点办下来，厂里会被追究刑事责任吗", "刑法/393", "crime"),
    ("环保局有个干部收了企业的红包，把人家偷排的事瞒下来了，这算啥罪", "刑法/385", "crime"),
])
def test_a_unit_bribing_and_crime_asked_in_everyday_words(built_home, question, lead, route):
    a = ask(question)
    assert (_lead(a), a.route) == (lead, route)


@pytest.mark.parametrize("question,lead", [
    ("市场监管已经罚过我们一次了，同一个事儿住建还能再罚一次吗", "行政处罚法/29"),
    ("罚款太多了交不起，可以分期交吗", "行政处罚法/66"),
    ("处罚告知书说可以申请听证，听证要在几天内提？", "行政处罚法/64"),
])
def test_more_general_rules_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_cma_and_hearings_are_on_topic(built_home):
    assert not ask("申请CMA一般要多长时间能批下来").route == "off_topic"


@pytest.mark.parametrize("question,who", [
    # the facts name the worker, the question asks about the unit in plain words: the sector's own unit
    ("仓库里开叉车的老李到现在还没考下证来，被查到的话厂里要负啥责任", "特种设备使用单位"),
    # a seller of any product asked about, where the question says it sells the sector's equipment
    ("旧货市场有人倒卖淘汰下来的锅炉，对这种卖家会怎么处理", "特种设备经营单位"),
    # an actor of the sector the emission sector is filed under (机动车排放 → 机动车)
    ("尾气复检前去修理厂临时改了程序，对车主应如何处罚", "机动车所有人"),
    # a party the facts name by a letter or a surname: its first mention gives its role
    ("经查，丙建材厂送样给丁检测公司，丁公司没做试验就出了合格报告。对丁公司应如何处罚？", "检验检测机构"),
    ("调查发现检测中心化验员刘某私自改了两份原始记录，对刘某应当怎么处理", "检验检测人员"),
    # a factory is a polluter only in an environmental question
    ("质监的人到厂里抽检产品，老板拦着不让抽，这样会怎么罚", None),
    ("厂里晚上偷排废水被查了，要罚多少", "排污单位"),
    # '会被罚' asks about the party before it; nothing stands between 被 and 罚 to set aside
    ("咱们小区物业外聘的开发商没组织竣工验收就交了房，这样开发商会被罚吗", "建设单位"),
])
def test_the_party_the_question_asks_about_in_its_sector(question, who):
    from assistant.understand import understand

    assert understand(question).who == who


@pytest.mark.parametrize("question,lead", [
    ("仓库里电焊的师傅没有特种作业操作证就干活，应急管理局来查，单位要罚多少", "安全生产法/97"),
    ("替煤矿做安全设备检测检验的公司收钱出了假的检测报告，怎么罚", "安全生产法/92"),
])
def test_work_safety_is_its_own_field(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    # the official who takes the money is asked about: 受贿, not the giver's 行贿 that goes first for a giver
    ("质监站的一个站长前后拿了施工方十几万好处费，对偷工减料睁一只眼闭一只眼，站长犯的是什么罪", "刑法/385"),
    # no accident yet, but an order to stop work defied with a real danger of one
    ("仓库被应急局责令停产停业整顿后，老板叫人连夜偷偷开工，里面的危化品随时可能出大事，有现实危险，老板会不会判刑", "刑法/134-1"),
    ("厂长让人把一桶桶废液灌进厂后头的水沟里，下游的水都臭了，厂长要坐牢吗", "刑法/338"),
])
def test_crimes_of_the_taker_the_defier_and_the_dumper(built_home, question, lead):
    a = ask(question)
    assert (_lead(a), a.route) == (lead, "crime")


@pytest.mark.parametrize("question,case", [
    ("上海那个用配好的气样顶替现场样品的事，后来怎么处理的", "典型案例/生态环境部_第十三批生态环境执法典型案例_第三方环保服务机构_2023-02-27/2"),
    ("仙游那家没资质就给车做检测的分公司，结果怎么样了", "典型案例/福建省市场监督管理局_检验检测机构典型违法案例_2023-12/2"),
])
def test_a_case_pointed_at_by_its_place(built_home, question, case):
    a = ask(question)
    assert a.route == "cases" and a.citations[0].provision_id == case


@pytest.mark.parametrize("question,lead", [
    # the provision whose subject the person asked about is, not the one listing several persons
    ("做环境监测的机构，授权签字人得有几年相关经历才行", "检验检测机构资质认定生态环境监测机构评审补充要求（2025年）/8"),
    ("监测机构的技术负责人要多少年监测工作经验", "检验检测机构资质认定生态环境监测机构评审补充要求（2025年）/7"),
])
def test_a_fact_about_a_person_from_the_provision_about_that_person(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_which_territory_takes_a_case(built_home):
    a = ask("外省一家检测机构到我们市里给工地做检测，报告是假的，归我们市局查还是它注册地的局查？")
    assert _lead(a) == "行政处罚法/22"


@pytest.mark.parametrize("question", [
    "城边一家小加工厂没有制造许可，偷偷焊了十几个储气罐往外卖，怎么罚",
    "没有取得安装许可的装修队给写字楼装了一部电梯，会怎么处理",
])
def test_making_or_installing_without_a_licence_is_not_filling_cylinders(built_home, question):
    assert _lead(ask(question)) == "特种设备安全法/74"


def test_the_head_of_a_unit_to_blame_for_an_accident(built_home):
    a = ask("电梯困人伤亡认定为一般事故，物业公司总经理没有落实安全管理职责，对总经理本人怎么罚")
    assert _lead(a) == "特种设备安全法/91"


@pytest.mark.parametrize("question,lead", [
    ("拿着伪造的车辆合格证去车管所上牌，当场被识破，会怎么处理", "机动车登记规定/80"),
    ("化工企业对自行监测数据弄虚作假，按生态环境监测条例该怎么处罚", "生态环境监测条例/44"),
])
def test_false_papers_at_registration_and_a_polluters_own_fraud(built_home, question, lead):
    assert _lead(ask(question)) in (lead, "生态环境法典/1088")


@pytest.mark.parametrize("question,lead", [
    ("小吃摊往米粉里加吊白块增白，被市场监管查了会罚多少", "食品安全法/123"),
    ("厂里生产的电缆铜芯里掺了铝，合格证上还写着纯铜，会怎么处罚", "产品质量法/50"),
    ("自己把货车车厢栏板加高了半米，没去车管所办手续，会被怎么处理", "机动车登记规定/79"),
])
def test_everyday_names_of_adulterants_and_alterations(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_figures_made_up_without_going_to_the_site(built_home):
    a = ask("有家环保检测公司压根没派人去现场，编了几份废气监测报告交给客户，环保部门能罚它多少")
    assert _lead(a) in ("生态环境法典/1091", "生态环境监测条例/45")


def test_makers_and_sellers_of_substandard_monitors(built_home):
    assert _lead(ask("卖给企业的在线监测仪器不达国家标准，对做这种仪器的厂家怎么罚")) == "生态环境法典/1092"


@pytest.mark.parametrize("question,who", [
    ("仓库缺人手，组长安排还没拿到证的小王去开行车，被查到了厂里会受到什么处罚", "特种设备使用单位"),
    ("锅炉房的老师傅一直没考证就烧锅炉，质监查到以后会怎么处罚工厂", "特种设备使用单位"),
])
def test_the_unit_asked_about_after_the_verb(question, who):
    from assistant.understand import understand

    assert understand(question).who == who


@pytest.mark.parametrize("question,lead", [
    ("加油站的加油机强检到期了一年多没送检还在用，会怎么处理", "计量法/25"),
    ("锅炉改造完没做监督检验就投用了，改造单位会怎么罚", "特种设备安全法/79"),
])
def test_verification_and_supervisory_inspection_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_money_to_a_police_officer_is_bribery(built_home):
    a = ask("想塞钱给交警队的民警，让他把扣分消掉，被查出来算什么罪")
    assert (_lead(a), a.route) == ("刑法/389", "crime")


def test_items_not_tested_but_filled_in_are_a_false_report(built_home):
    a = ask("赶工期的时候主任让我们好几项没测也直接把数据填上，报告照常盖章发出去，市场监管查到罚多少")
    assert _lead(a) == "检验检测机构监督管理办法/27"


@pytest.mark.parametrize("question,lead", [
    # the law's own sub-conducts of equipment makers, users and maintainers, in everyday words
    ("锅炉厂新研制的锅炉型号还没做过型式试验就量产了，怎么处理", "特种设备安全法/76"),
    ("厂家出厂的压力容器一份技术资料都没附，使用单位找上门，厂家会被怎么罚", "特种设备安全法/77"),
    ("我们厂焊的压力容器没报特检院监督检验就运走了，罚款多少", "特种设备安全法/79"),
    ("商场扶梯有异响，物业没检修还一直照常运行，怎么处罚物业", "特种设备安全法/84"),
    ("一家没有许可的公司给写字楼做电梯维护保养，罚多少", "特种设备安全法/88"),
    ("游乐场过山车出了事故，老板让员工瞒着不报，对游乐场怎么罚", "特种设备安全法/89"),
    ("起重机司机没有证，让他开起重机的工厂罚多少", "特种设备安全法/86"),
])
def test_equipment_conducts_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_unit_and_its_head_get_their_own_ranges_in_the_answer(built_home):
    a = ask("电梯出了事故，使用单位瞒报了，单位罚多少？")
    assert _lead(a) == "特种设备安全法/89"
    assert "5万元以上20万元以下" in a.markdown and "1万元以上5万元以下" in a.markdown


@pytest.mark.parametrize("question,lead", [
    ("收到处罚决定书以后罚款要在几天内缴清？", "行政处罚法/67"),
    ("甲地和乙地的市场监管局对同一家公司都立了案，案子归谁管辖", "行政处罚法/25"),
    # 行政处罚法36 defers ('法律另有规定的除外'): the environmental code's own time bar leads
    ("排污单位违法造成了污染后果，处罚时效是几年？", "生态环境法典/1054"),
])
def test_general_rules_of_penalty_and_the_special_rule_they_defer_to(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("五金店把过了有效期的灭火器继续拿出来卖，依据哪条罚", "产品质量法/52"),  # 消保法56 defers to it
    ("肉摊的秤被人动了手脚，每斤少给二两，怎么处理", "计量法/27"),
    ("开发商把一栋楼的工程分成好几块分别包给三家施工队，怎么罚", "建筑法/65"),
    ("被罚款后限期改正，复查时废气还是超标排放，还能怎么处理", "生态环境法典/1060"),
    ("申请资质认定时隐瞒了实验室搬迁的情况，会有什么后果", "检验检测机构资质认定管理办法/33"),
    ("检测公司资质还没批下来就开始对外出检测报告，罚多少", "检验检测机构资质认定管理办法/34"),
    ("企业自己定的企业标准没有进行编号，怎么处理", "标准化法/42"),
    ("淘宝店出售能绕过尾气检测的作弊模块，怎么处罚", "生态环境法典/1125"),
    ("维修厂给货车拆掉了DPF颗粒捕集器，对维修厂怎么处罚", "生态环境法典/1124"),
    ("某省制定的地方标准没有报国务院标准化行政主管部门备案，怎么处理", "标准化法/40"),
])
def test_conducts_of_products_measures_standards_and_emissions_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("环评公司出的环境影响评价报告跟现场实际严重不符，相关人员要负刑事责任吗", "刑法/229"),
    ("老板私下送了五万元现金给审批科的工作人员，想让资质快点批下来，这是什么罪", "刑法/389"),
])
def test_crimes_of_intermediaries_and_of_givers_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_food_report_question_leads_with_the_food_law_over_the_general_rule(built_home):
    a = ask("食品检验报告需要哪些人签名盖章，谁对报告负责")
    assert _lead(a) == "食品安全法/86"


@pytest.mark.parametrize("question,lead", [
    ("锅炉是归哪个部门监管的", "特种设备安全法/5"),
    ("私家车上路的交通安全由什么部门负责管", "道路交通安全法/5"),
])
def test_which_department_oversees_a_sector_at_all(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_gift_of_an_amount_to_an_official_names_the_giver(built_home):
    from assistant.understand import detect_who

    assert detect_who("公司经理送了三千元购物卡给质监站的工作人员")[0] != "国家机关工作人员"


def test_a_fine_paid_before_a_criminal_fine_is_offset(built_home):
    assert _lead(ask("公司已经交了二十万罚款，法院又判了罚金，罚款能抵吗")) == "行政处罚法/35"


def test_civil_liability_beside_the_penalty_is_its_own_article(built_home):
    a = ask("排放检验机构出具虚假报告造成污染，除了被罚款，对委托人要承担什么连带责任")
    assert _lead(a) == "生态环境法典/1067"


def test_a_short_plan_heading_repeated_whole_names_its_part(built_home):
    a = ask("行动方案总体要求部分的指导思想是什么")
    assert a.lead == "检验检测领域综合治理行动方案/part-一"


def test_the_procedure_of_revoking_something_is_no_sanction_question(built_home):
    from assistant.understand import understand

    assert understand("撤销一个国家监测站点需要走哪些程序").intent != "penalty"
    assert understand("检测机构被撤销资质认定证书后怎么办").intent == "penalty"


@pytest.mark.parametrize("question,conduct", [
    # signing and stamping are how every report is issued: named among the facts they are no fault
    ("检测员做完试验，报告由授权签字人签发并盖了检验检测专用章后交给客户，这个流程有问题吗", None),
    ("报告上没盖检验检测专用章就发出去了，怎么处理", "分包签发"),
    ("授权签字人出差了，报告由办公室文员签的字", "分包签发"),
    # no accreditation at all, in any of the ways it is said
    ("那家检测站压根就没拿到过资质认定，照样出报告", "未经核准或超范围"),
    ("分所没有单独取得资质认定就对外出具报告", "未经核准或超范围"),
    # no licence for a licensed trade's work is working without a licence, not a missing accreditation
    ("一家没资质的小公司帮我们几栋楼做电梯维保", "未经许可"),
])
def test_incidental_words_name_no_conduct_and_specific_words_win(question, conduct):
    assert understand(question).conduct == conduct


def test_the_party_named_in_its_own_clause_before_the_penalty_asked(built_home):
    u = understand("某经销商请检测员小周帮忙，小周没做试验就签发了报告。对检测员小周个人，依法可以罚多少？")
    assert u.who == "检验检测人员"


def test_the_party_served_is_not_the_one_acting(built_home):
    u = understand("街上一家小公司没资质，在帮我们两个小区做电梯维保")
    assert u.who != "特种设备使用单位" and u.conduct == "未经许可"


@pytest.mark.parametrize("question,lead", [
    ("一个刚开张的化验室还没拿到CMA就给人出检测报告，怎么罚", "检验检测机构资质认定管理办法/34"),
    ("一家没资质的小公司帮我们几栋楼做电梯维保，罚多少", "特种设备安全法/88"),
])
def test_missing_accreditation_and_missing_licence_lead_with_their_own_articles(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_guessed_actor_and_sector_weigh_less_against_the_text_both_searches_match_best():
    from assistant.rank import STRONGEST_PRIOR, score_of, weights

    w = weights()
    f = {"lex": 1.0, "ret": 1.0, "actor": -1.0, "sector": -1.0, "rank": 1.0, "curated": 0.0, "conduct": 0.0}
    assert score_of(f, strongest=True) - score_of(f) == pytest.approx((1 - STRONGEST_PRIOR) * (w["actor"] + w["sector"]))
    # only a contradicting guess is discounted: an agreeing actor keeps its whole weight
    g = {**f, "actor": 1.0}
    assert score_of(g, strongest=True) - score_of(g) == pytest.approx((1 - STRONGEST_PRIOR) * w["sector"])


@pytest.mark.parametrize("question,lead", [
    # a restaurant's gas without an alarm: the safety-production text says the facts, whatever the food words
    ("一家烧烤店用瓶装液化气，店里没有安装可燃气体报警装置，会受什么处罚", "安全生产法/99"),
    # 标准化法37 hands products below a mandatory standard to 产品质量法 by name
    ("超市卖的电暖器抽检发现不符合强制性国家标准，超市要被怎么罚", "产品质量法/49"),
])
def test_the_text_that_says_the_facts_and_the_law_a_text_hands_over_to(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_paragraphs_on_how_a_penalty_is_imposed_are_no_catalogue_entries():
    c = load_corpus()
    ids = {e.id for e in catalogue(c)}
    # on-the-spot collection, provisional seizure of a licence, who decides, appeal, how a period is counted
    for pid in ("道路交通安全法/108/2", "道路交通安全法/110/1", "道路交通安全法/110/3", "道路交通安全法/113/1",
                "道路交通安全法实施条例/109/1", "计量法/31/1"):
        assert pid not in ids, pid
    # …while conducts that mention an earlier penalty stay ('经处罚不改的'), and so does a sanction on persons
    assert {"道路交通安全法/92/4", "建设工程质量管理条例/73/1"} <= ids


def test_a_car_handed_to_someone_without_a_licence_and_the_person_it_fines(built_home):
    a = ask("老周把自家的皮卡借给没驾照的外甥开，被交警拦下了，老周会被怎么罚")
    assert _lead(a) == "道路交通安全法/99"
    assert "对违法行为人处200元以上2000元以下罚款" in a.conclusion  # the text names no unit


def test_a_typical_case_is_shown_only_when_it_touches_the_cited_law_or_conduct(built_home):
    a = ask("老周把自家的皮卡借给没驾照的外甥开，被交警拦下了，老周会被怎么罚")
    assert not [c for c in a.citations if c.provision_id.startswith("典型案例/")]


def test_a_signatory_beyond_his_competence_is_not_a_body_beyond_its_accreditation():
    from assistant.rank import conduct_feature

    c = load_corpus()
    entries = {e.id: e for e in catalogue(c)}
    assert conduct_feature("未经核准或超范围", entries["检验检测机构监督管理办法/26/1/3"]) == 0.0
    assert conduct_feature("未经核准或超范围", entries["检验检测机构资质认定管理办法/36/1/2"]) == 1.0


@pytest.mark.parametrize("question,lead", [
    ("车间里那台行车的操作工一直没考证就在开，被查到了，厂子要罚多少", "特种设备安全法/86"),
    ("老板让新来的员工签了生死状，出了事故概不负责，老板会受处罚吗", "安全生产法/106"),
    ("我们作坊做的洗洁精瓶子上没标厂名厂址和生产日期，会被怎么处理", "产品质量法/54"),
    ("承包了一个厂房工程，我们转手给别的施工队干，自己赚差价，住建查到会怎么罚", "建筑法/67"),
    ("公司那辆货车核定载质量8吨，司机装了12吨被交警查到，罚多少", "道路交通安全法/92"),
])
def test_conducts_of_workplaces_products_contractors_and_trucks_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_the_askers_own_unit_asked_about_is_the_sectors_unit():
    who, _ = detect_who("我们厂做印染的，请了第三方来测废水，这样我们公司算违法吗")
    assert who == "排污单位"


def test_asking_the_tester_for_a_good_result_is_instigation(built_home):
    u = understand("我们是搞化工的，厂长让我跟监测公司打个招呼，结果一定要达标，我们公司会不会被罚")
    assert u.conduct == "指使造假" and u.who == "排污单位"
    assert _lead(ask("我们是搞化工的，厂长让我跟监测公司打个招呼，结果一定要达标，我们公司会不会被罚")) == "生态环境法典/1088"


@pytest.mark.parametrize("question,lead", [
    # the code's own rule that says the same as 行政处罚法29's sentence asked: lex specialis
    ("检测公司伪造监测数据，法典和监测条例里都规定了罚款，同一件事到底按哪个来罚", "生态环境法典/1055"),
    # …but the rule the code does not restate ('不得给予两次以上罚款') stays 行政处罚法's
    ("一件事被环保罚过款了，别的部门还能再罚一次款吗", "行政处罚法/29"),
    ("监理单位和施工单位是一个老板开的，还接了这个工程的监理，罚多少", "建设工程质量管理条例/68"),
])
def test_the_codes_own_general_rule_and_a_supervisor_tied_to_the_builder(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("化工厂把在线监测的量程调小了，废气其实一直超标外排，厂长会不会被拘留", "生态环境法典/1108"),
    ("工厂在厂区后面挖了渗坑往里排废水，怎么处罚", "生态环境法典/1108"),
])
def test_discharging_while_evading_oversight(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_fake_plates_and_a_question_of_detention(built_home):
    a = ask("开着套了别人车牌的车被交警查到，会被拘留吗")
    assert a.intent == "penalty" and _lead(a) == "道路交通安全法/96"


def test_a_sanction_that_cites_its_duty_is_found_by_the_duty_words():
    c = load_corpus()
    entries = {(e.id, e.label): e for e in catalogue(c)}
    false = entries[("检验检测机构监督管理办法/27/1", "出具虚假检验检测报告")]
    untrue = entries[("检验检测机构监督管理办法/27/1", "出具不实检验检测报告")]
    # each sub-conduct takes the article that defines it, and its words become searchable
    assert false.duties == ("检验检测机构监督管理办法/15",) and "调换检验检测样品" in false.text
    assert untrue.duties == ("检验检测机构监督管理办法/14",) and "样品的采集" in untrue.text
    # an item takes its own cited article, not the ones its siblings cite
    assert entries[("特种设备安全监察条例/83/1/4", "")].duties == ()
    assert entries[("特种设备安全监察条例/83/1/3", "")].duties == ("特种设备安全监察条例/27",)


def test_the_facts_of_the_labelled_party_asked_about_are_its_own_sentences():
    from assistant.understand import facts_of_asked
    q = ("甲厂生产的插座冒充名牌，货值两万多元；乙仓储公司明知是假货仍替甲厂保管存放，收了保管费；丙超市进货销售。"
         "对乙仓储公司怎么罚？")
    assert facts_of_asked(q) == "乙仓储公司明知是假货仍替甲厂保管存放，收了保管费；"
    # a party named by its role only: the facts are about it and its staff, no sentence is singled out
    assert facts_of_asked("市场监管局对某酒厂的锅炉实施了查封。第二天厂长让工人撕了封条继续烧。对该酒厂应如何处罚？") == ""
    assert facts_of_asked("乙公司出假报告怎么罚") == ""  # too short to hold several parties' facts


@pytest.mark.parametrize("question,lead", [
    # several parties: the one asked about is the one who stored the fakes, not the one who made them
    ("甲厂生产的插座冒充名牌；乙仓储公司明知是假货仍替甲厂保管存放，收了保管费；丙超市进货销售。对乙仓储公司怎么罚？",
     "产品质量法/61"),
    # goods crossing the border: the import-export law's own conduct, not the fake-goods one beside it
    ("外贸公司出口的一批服装属于法检商品，没有报检就直接装船运出去了，怎么罚", "进出口商品检验法/32"),
    # a seal broken and the sealed equipment moved
    ("市场监管部门扣押了一台不合格的锅炉，厂里趁晚上偷偷把它运走卖掉了，怎么处罚", "特种设备安全法/95"),
])
def test_conducts_of_a_party_among_several_of_border_goods_and_of_seals(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_text_on_goods_crossing_the_border_does_not_answer_a_question_about_none(built_home):
    assert not _lead(ask("商场把次品当正品卖给顾客，怎么罚")).startswith("进出口商品检验法")


@pytest.mark.parametrize("question,lead", [
    ("商检局检验员收了出口企业的钱，没检验就出了合格证单，判什么罪", "刑法/412"),
    ("进口的一批机器属于法检目录，没报检就卖给了客户，老板会坐牢吗", "刑法/230"),
])
def test_crimes_of_inspection_at_the_border_by_who_committed_them(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_crime_ruled_out_in_everyday_words_is_not_asked(built_home):
    a = ask("检测报告造假，但数额不大，还构不成犯罪，行政上怎么罚")
    assert a.route != "crime" and not _lead(a).startswith("刑法")


@pytest.mark.parametrize("question", [
    "食堂的蒸汽锅炉被市场监管部门查封了，老板让人把封条揭了照常烧，怎么处罚",
    "被查封的起重机，厂里趁周末拆下来运走，装到另一个车间继续用，要罚多少",
])
def test_using_or_moving_sealed_equipment_is_its_own_conduct(built_home, question):
    assert _lead(ask(question)) == "特种设备安全法/95"


def test_a_far_rival_is_no_clearer_than_no_rival():
    """The margin feeds the confidence: a rival far behind must not make an answer surer than having none."""
    from assistant.rank import Candidate, with_margin

    c = load_corpus()
    entries = {e.id: e for e in catalogue(c)}
    top = Candidate(entries["检验检测机构监督管理办法/27/1"], 3.0, {"conduct": 1.0, "actor": 1.0})
    far = Candidate(entries["检验检测机构监督管理办法/26/1/1"], 0.5, {"conduct": 1.0, "actor": 1.0})
    near = Candidate(entries["检验检测机构监督管理办法/26/1/1"], 2.7, {"conduct": 1.0, "actor": 1.0})
    assert with_margin([top, far]).margin == with_margin([top]).margin == 1.0
    assert with_margin([top, near]).margin == pytest.approx(0.3)


@pytest.mark.parametrize("question,who", [
    ("外卖平台不审核入驻商家的许可证，平台要担什么责任", "网络交易平台提供者"),
    ("团购平台对没证的商户也照样上架，对平台方怎么处罚", "网络交易平台提供者"),
])
def test_a_platform_is_not_the_merchants_on_it(question, who):
    assert detect_who(question)[0] == who
    assert detect_who("在外卖平台上开了家店，没办食品经营许可证，会被罚多少")[0] != "网络交易平台提供者"


@pytest.mark.parametrize("question,lead", [
    # the field's own rule names what the question names; 行政许可法79 says the same of every licence
    ("检测机构通过贿赂评审人员取得了资质认定，查实后怎么处理", "检验检测机构资质认定管理办法/32"),
    ("评审员给同一家实验室既做咨询又做技术评审，资质认定部门可以怎么处理这个评审员", "检验检测机构资质认定管理办法/29"),
    ("用假材料骗取了机动车登记，被车管所查出来会怎么处理", "道路交通安全法实施条例/103"),
])
def test_sanctions_other_than_fines_and_a_field_s_own_rule(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_plate_covered_on_purpose(built_home):
    assert _lead(ask("送货的面包车车牌被我用泥巴糊了一半，怕被拍，被交警发现会怎样")) == "道路交通安全法/95"


@pytest.mark.parametrize("question,who", [
    # the office's own staff doing wrong in their inspection are the actors, not the asking authority
    ("区市场监管局的执法人员在抽查一家实验室时收了好处，对发现的造假问题不予查处，该怎么处理这个执法人员", "国家机关工作人员"),
    # …while an office telling of its inspection is the asker, and the body inspected is the actor
    ("我局在检查一家检测公司时发现其出具虚假报告，怎么罚", "检验检测机构"),
])
def test_an_office_s_staff_doing_wrong_are_actors_not_askers(question, who):
    assert detect_who(question)[0] == who


@pytest.mark.parametrize("question,lead", [
    # long facts whose words retrieve another article of 行政处罚法 (当场, 告知) or a sanction
    ("我们公司被查出报告编号重复，检查人员指出后当天就更正了，也没有造成任何影响，这是头一回，可以免予处罚吗",
     "行政处罚法/33"),
    ("质监部门已经对锅炉厂罚过款了，安监部门就同一个违法行为还能再罚一次款吗", "行政处罚法/29"),
    ("异地交通违法，当时没有当场处罚，可以回机动车登记地接受处理吗", "道路交通安全法实施条例/109"),
    # the environmental code's own rule where 行政处罚法 defers to it
    ("排污造成污染后果的行为四年后才被发现，环保部门现在还能处罚吗", "生态环境法典/1054"),
])
def test_a_general_rule_named_by_its_words_leads_with_its_own_article(built_home, question, lead):
    from assistant.calibrate import doubt_below

    a = ask(question)
    assert _lead(a) == lead
    assert a.route == "principle" and a.confidence >= doubt_below()


def test_a_decision_time_limit_is_not_read_as_the_codes_other_rules(built_home):
    """行政处罚法60 defers to other laws, but the environmental code has no decision time limit of its own."""
    assert _lead(ask("生态环境部门对排污单位立案后，最迟多少天内要作出处罚决定")) == "行政处罚法/60"


@pytest.mark.parametrize("question,lead", [
    # the regulation (2009) ranks first on the words; the law (2014) sanctions the same conduct and governs
    ("电梯检验不合格了，物业还继续让业主坐，罚多少", "特种设备安全法/84"),  # 条例83(五) ranks first
    ("锅炉出了异常情况没做全面检查就继续使用，罚多少", "特种设备安全法/84"),  # 条例83(六) ranks first
    ("锅炉厂的新型锅炉部件没做型式试验就批量生产，罚多少", "特种设备安全法/76"),
])
def test_a_law_leads_over_the_regulation_item_it_restates(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("出入境检验检疫机构的一名工作人员收了出口商的钱，伪造了出口商品的检验结果，构成什么罪", "刑法/412"),
    ("检疫员嫌麻烦，对一批进口水果根本没检疫就放行了，造成国家重大损失，要负什么刑事责任", "刑法/413"),
    # the party asked about is named in '对该X应如何追究': the official, not the lab in the facts
    ("执法人员查办检测公司出假报告的案子，够移送标准却收了好处只罚了款，该执法人员要负什么刑事责任", "刑法/402"),
])
def test_officials_crimes_in_inspection_and_quarantine_work(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,who", [
    ("我们厂新装的废气在线监测仪不符合国家标准，测的数不准", "排污单位"),  # a factory speaking of its own monitoring
    ("我们公司接了一家印染厂的废水监测业务，化验的时候漏了几项", "检验检测机构"),  # the factory is the client
    ("受托开展地下水监测的那家公司没按规范采样", "检验检测机构"),
])
def test_who_monitors_for_whom(question, who):
    assert understand(question).who == who


def test_figures_someone_made_up_are_a_false_report():
    assert understand("监测公司的采样员没去现场，数据全是自己编的").conduct == "虚假报告"


@pytest.mark.parametrize("question,lead", [
    ("商场扶梯把顾客夹伤了，经理让员工不要声张，过了两天才报告，对商场罚多少", "特种设备安全法/89"),
    ("物业找的电梯保养公司其实没有电梯维保的资质，对这家保养公司怎么罚", "特种设备安全法/88"),
    ("化工厂请人做的安全检测，检测公司的报告是假的，对检测公司怎么罚", "安全生产法/92"),
])
def test_accidents_kept_quiet_unlicensed_upkeep_and_safety_testing_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,lead", [
    ("我们公司资质认定证书到期没延续，报告上还照样印CMA标志，罚多少", "检验检测机构资质认定管理办法/37"),
    ("小卖部卖过期的饮料，罚多少", "食品安全法/124"),
    ("养殖户不让农业农村局的人进棚抽检，怎么处理", "农产品质量安全法/76"),
    ("种植户卖出去的黄瓜农药残留超过标准，用的是常规农药，怎么罚", "农产品质量安全法/71"),
])
def test_expired_marks_expired_food_and_farm_produce_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_an_expired_calibration_certificate_is_no_expired_accreditation(built_home):
    """'检定证书过期' is a measuring instrument's, not the lab's CMA certificate (资质认定管理办法37)."""
    assert _lead(ask("实验室的天平检定证书过期了还在用，出的报告数据有错，怎么罚")) != "检验检测机构资质认定管理办法/37"


@pytest.mark.parametrize("question,who", [
    ("养殖户往鸡饲料里加了禁用兽药", "农产品生产经营者"),
    ("村里的瓜农用了国家禁用的农药", "农产品生产经营者"),
    ("检测站给合作社的蔬菜农残检测出了假报告", "检验检测机构"),  # '蔬菜农残' holds no 菜农; the co-op is the client
])
def test_growers_and_keepers_of_farm_produce_are_actors(question, who):
    assert understand(question).who == who


def test_a_grower_using_a_banned_pesticide_leads_with_the_farm_produce_law(built_home):
    assert _lead(ask("种西瓜的瓜农用了国家禁用的农药，西瓜已经卖了，怎么罚")) == "农产品质量安全法/70"


@pytest.mark.parametrize("question", ["把行人撞倒后没停车一走了之，司机会被怎么处理", "肇事后溜了的司机驾驶证还能保住吗"])
def test_leaving_the_scene_of_an_accident_is_hit_and_run(built_home, question):
    assert _lead(ask(question)) in ("道路交通安全法/101", "道路交通安全法/99")


@pytest.mark.parametrize("question", [
    "工厂生产的电热毯不符合保障人身安全的国家标准，货值两万元，该怎么罚？能不能免罚？",  # the sanction asked first
])
def test_a_sanction_asked_before_exemption_leads_with_the_conduct(built_home, question):
    assert _lead(ask(question)).startswith("产品质量法/")


def test_the_official_asked_about_is_the_actor_not_the_firm_he_failed_to_stop(built_home):
    a = ask("一家锅炉检验所长期出具假报告，区市场监管局一名执法人员明知却一直不管，后来锅炉爆炸伤了人。这名执法人员会被追究什么责任？")
    assert _lead(a) == "特种设备安全法/94"  # the officials' own article: 不予查处
    a = ask("一家锅炉检验所长期出具假报告，区市场监管局一名执法人员明知却一直不管，后来锅炉爆炸死了人。这名执法人员会被追究什么责任？会坐牢吗？")
    assert _lead(a) == "刑法/397"


@pytest.mark.parametrize("question,who", [
    ("有个卖卤菜的小店没办许可证就在我们的订餐平台上接单，我们没核过它的证照。平台违反了哪条规定？", "网络交易平台提供者"),
    ("检测公司替商场出了份假的电梯检验报告，商场拿着它继续用电梯。商场违反了什么规定？", "特种设备使用单位"),
])
def test_the_subject_of_the_breach_asked_about_is_the_actor(question, who):
    assert understand(question).who == who


def test_a_law_naming_its_subject_does_not_supersede_an_item_naming_none_in_other_words(built_home):
    # 法典1090 (a monitoring body's duties) is not 计量法25 (compulsory verification) said again
    a = ask("环境监测站一台属于强制检定的计量器具没按期送检还在用，怎么处理")
    assert _lead(a) == "计量法/25"


@pytest.mark.parametrize("question,lead", [
    ("修理铺把报废的三轮车拼装成四轮小客车卖给村民，怎么处罚", "道路交通安全法/103"),  # what it was made into is no actor
    ("因为要吊销驾照，区交警大队能自己作决定吗，还是要市交警支队决定", "道路交通安全法实施条例/109"),
])
def test_selling_rebuilt_vehicles_and_who_revokes_a_licence(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question", ["GB/T 27025里对人员能力的要求是什么", "按TSG 21的规定，压力容器多久做一次定期检验"])
def test_a_technical_standard_named_by_its_number_is_said_to_be_absent(built_home, question):
    a = ask(question)
    assert a.declined and a.route == "unknown_document" and "语料中没有" in a.conclusion and not a.citations


@pytest.mark.parametrize("question,lead", [
    ("车间里工人被压伤，主任不许大家声张，拖了一天人没了，主任要坐牢吗", "刑法/139-1"),
    ("叉车司机违反安全规程作业，撞死了一个搬运工，司机会被判刑吗", "刑法/134"),
    ("店里把残次品当优等品卖，销售额十几万，会判刑吗", "刑法/140"),
])
def test_crimes_said_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_a_crime_no_word_of_the_facts_says_is_given_in_doubt(built_home):
    a = ask("邻居家的狗总是半夜叫，吵得人睡不着，这样会不会判刑")  # no conduct of the field: the nearest wording at best
    assert a.declined or a.confidence < 0.5


def test_the_official_paid_after_being_named_is_who_received(built_home):
    a = ask("包工头想让住建局的人在验收时放一马，当晚给了他两万块现金，包工头算犯什么罪")
    assert _lead(a) == "刑法/389"


def test_a_route_cap_holds_under_the_calibration(built_home):
    """A crime picked by its wording alone keeps its cap whatever the fitted weights say of its features."""
    from assistant import calibrate
    from assistant.models import Answer

    ans = Answer(question="q", markdown="", intent="crime", route="crime", lead="刑法/165", confidence=0.9,
                 evidence={"score": 3.0, "margin": 2.0, "cap": 0.45})
    calibrate.apply(ans, {})
    assert ans.confidence <= 0.45 and "把握不大" in ans.notice


def test_a_role_in_brackets_names_the_party_asked_about():
    q = "电镀厂委托检测公司做自行监测，厂长让检测公司把超标数据改小。请问对这家电镀厂（委托方）应当如何处罚？"
    assert understand(q).who == "委托方"


def test_how_the_police_must_punish_others_is_no_sanction_of_the_police(built_home):
    from corpus.conduct import catalogue
    from corpus.load import load_corpus

    assert not [e for e in catalogue(load_corpus()) if e.article_id == "道路交通安全法/87"]
    a = ask("交警收了钱，给一辆没检验的车发了合格标志，这个交警怎么处理？")
    assert _lead(a) == "道路交通安全法/115"


@pytest.mark.parametrize("question,lead", [
    ("环检没通过的面包车继续开上路，会怎么处理", "生态环境法典/1126"),  # the driver's, not the testing body's
    ("镇上有家没任何手续的小作坊在给煤气罐充气，怎么罚", "特种设备安全法/85"),
])
def test_driving_a_failed_vehicle_and_unlicensed_filling(built_home, question, lead):
    assert _lead(ask(question)) == lead


def test_tests_passed_to_another_lab_unmarked_are_subcontracting(built_home):
    for q in ("我们检测站把两项微生物指标转到邻市一家检测公司去测，报告里没注明是外单位做的，会怎么罚",
              "检测公司有几个项目做不了，就转给外省一家实验室做，报告上也没写哪些是别家做的，这怎么罚"):
        assert _lead(ask(q)) == "检验检测机构监督管理办法/26"


def test_equipment_running_on_after_its_inspection_lapsed_is_use_of_uninspected_equipment(built_home):
    a = ask("厂里那台锅炉的定期检验合格证明年初就过期了，一直没报检，锅炉照样在运转，会怎么罚")
    assert _lead(a) == "特种设备安全法/84"


# -- thirteenth session (batch 19 dev) ------------------------------------------------------------------------

def test_an_inspector_who_let_a_lapsed_lift_run_is_judged_by_his_own_duty(built_home):
    """The user's conduct in the facts (a lapsed lift still running) does not become the official's."""
    q = "有人举报商场扶梯检验到期了还在运行，市场监管局的监察员收到后一拖再拖，这个监察员该怎么处理"
    u = understand(q)
    assert u.who == "国家机关工作人员" and u.conduct is None
    assert _lead(ask(q)) == "特种设备安全法/94"


def test_equipment_left_running_after_its_inspection_ran_out(built_home):
    q = "酒店的观光电梯定期检验到期一个多月了，酒店说等排期，电梯先那样开着，酒店会被罚多少"
    assert understand(q).conduct == "使用未经检验设备"
    assert _lead(ask(q)) == "特种设备安全法/84"


def test_the_body_that_found_the_defect_is_no_actor_of_the_use(built_home):
    q = "仓库那台叉车检验时被判定不合格，检验机构要求停用整改，仓库没理会继续用，怎么处罚"
    assert understand(q).who != "检验检测机构"
    assert _lead(ask(q)) == "特种设备安全法/84"


def test_a_place_gone_to_is_no_actor():
    q = "我们是第三方监测公司，监测员没去化工厂里采样，直接编了数据出报告，公司会怎么罚"
    assert detect_who(q)[0] == "检验检测机构"


def test_the_party_whose_conduct_is_to_be_characterised_is_asked_about():
    for q in ("电镀厂找了一家环保技术公司做监测，数据是电镀厂授意后才改的。该环保技术公司的行为如何定性？",
              "环保技术公司给电镀厂做监测，电镀厂让它把数据改小了。该环保技术公司的行为应当如何认定？"):
        assert understand(q).who == "检验检测机构"


def test_a_gas_cylinder_filled_from_a_tank_without_a_licence(built_home):
    a = ask("有个小卖部没有许可，私下拿大储罐往家用煤气罐里倒气再卖出去，这个怎么处理")
    assert a.lead == "特种设备安全法/85/2"  # 未经许可 (第二款), not a licensed filler's faults (第一款)


def test_switching_off_an_alarm_named_before_the_switching(built_home):
    a = ask("仓库的有毒气体报警器嫌吵，保管员把它关掉了，这样就算没出事会判刑吗")
    assert _lead(a) == "刑法/134-1"


def test_a_case_handler_is_an_official():
    assert detect_who("案件承办人收了当事人的好处，把案子压下了")[0] == "国家机关工作人员"


def test_a_duty_s_period_asked_before_the_sanction_is_answered_by_the_rule(built_home):
    a = ask("依据特种设备安全监察条例，自动扶梯最少隔多少天维护保养一次？没做到的话怎么处理")
    assert a.lead.startswith("特种设备安全监察条例/31")  # the rule with the period, not 第八十三条's sanction


def test_a_sanction_s_own_length_is_no_duty_period():
    from assistant.engine import _duty_time_first

    assert _duty_time_first("电梯多少天保养一次？没做会怎么处罚")
    assert not _duty_time_first("酒后开车被查，驾驶证暂扣多久、罚多少")


def test_a_further_party_fined_after_the_unit_is_no_time_bar(built_home):
    a = ask("按安全生产法罚了这家企业以后，对它的主要负责人还能罚吗？罚多少")
    assert a.lead is None or not a.lead.startswith("行政处罚法/36")
    assert ask("这家公司四年前出过一份不实报告，今年才发现，还能罚吗").lead.startswith("行政处罚法/36")


def test_the_basis_asked_before_the_crime_leads(built_home):
    a = ask("有交警收了钱，给没检验的车发了检验合格标志。对这个交警依据哪些规定处理？构成犯罪的又怎么办？")
    assert a.route != "crime" and not _lead(a).startswith("刑法")


def test_a_filing_not_made_is_its_own_conduct(built_home):
    q = "我们这家做环境检测的技术服务公司资质认定证书早就有了，只是一直没向环保部门备案，会怎么罚"
    assert understand(q).conduct == "未备案"
    assert _lead(ask(q)) == "生态环境法典/1089"


def test_faked_monitoring_that_hid_a_real_discharge_is_discharging_while_evading_oversight(built_home):
    q = "检查发现某电镀厂把在线监测探头泡在清水桶里，平台上的数据一直显示正常，其实排出去的废水重金属严重超标，怎么处罚？"
    assert understand(q).conduct == "逃避监管排放"
    assert _lead(ask(q)) == "生态环境法典/1108"
    assert understand("伪造行驶证开车上路，会被拘留吗").conduct != "逃避监管排放"  # another sector's words


def test_leftovers_made_into_food_again(built_home):
    q = "烧烤店把客人吃剩的羊肉串收集起来，回锅再烤了卖给下一桌，怎么处罚"
    assert understand(q).who == "食品生产经营者"
    assert _lead(ask(q)) == "食品安全法/123"


def test_a_cheaper_fibre_mixed_in_and_passed_off_as_pure(built_home):
    q = "作坊往真丝围巾里掺化纤冒充纯真丝卖，按产品质量法罚多少"
    assert "掺杂" in understand(q).expanded and _lead(ask(q)) == "产品质量法/50"


def test_residues_over_the_limit_by_who_sells_them(built_home):
    grower = "果蔬基地卖出去的葡萄农药残留超过标准限量，不是禁用农药，农业农村局会怎么罚"
    assert understand(grower).who == "农产品生产经营者"
    assert _lead(ask(grower)) == "农产品质量安全法/71"
    shop = "我开了家生鲜超市，卖的芹菜被抽检出农残超标，会被怎么罚"  # a food business's sale: 食品安全法第二条
    assert understand(shop).sector == "食品"
    assert _lead(ask(shop)) == "食品安全法/124"


def test_an_official_whose_own_misconduct_the_sentence_tells_is_the_actor():
    q = "稽查队员办理一起计量作弊案时，明知已涉嫌犯罪，却碍于人情没有移送公安，会追究什么刑事责任"
    assert detect_who(q)[0] == "国家机关工作人员"


def test_a_fine_for_refusing_correction_does_not_lead_for_the_conduct_itself(built_home):
    a = ask("2025年3月一家水泥厂粉尘排放超过大气污染物排放标准，当时还在用大气污染防治法，应依据哪条处罚")
    assert _lead(a) == "大气污染防治法/99"  # not 第一百二十三条's 按日连续处罚
    b = ask("水泥厂因超标排放被罚款并责令改正，之后仍拒不改正，按日连续处罚依据大气污染防治法哪一条")
    assert _lead(b) == "大气污染防治法/123"


def test_data_tuned_to_pass_while_discharging_on_is_evading_oversight():
    q = "化工厂偷偷调低了在线监测仪的参数，数据显示达标后就照常排放废气"
    assert understand(q).conduct == "逃避监管排放"


def test_discharging_without_a_permit_is_the_permit_article(built_home):
    a = ask("养殖场没领排污许可证，粪污水一直往河里排，环保局会怎么处罚")
    assert _lead(a) == "生态环境法典/1102"  # 未依法取得排污许可证, not another licence's article


def test_less_steel_or_a_lower_concrete_grade_is_skimping(built_home):
    q = "搭楼板的时候配筋缩水了，柱子的水泥也少用了，施工单位要承担什么处罚"
    assert understand(q).conduct == "偷工减料"
    assert _lead(ask(q)) in ("建筑法/74", "建设工程质量管理条例/64")


def test_an_injury_kept_quiet_or_reported_days_later_is_a_late_accident_report():
    for q in ("游乐场过山车停在半空，两名游客受伤，老板让员工别对外声张，也没上报",
              "锅炉房蒸汽管爆开烫伤了工人，厂里拖到第四天才向监管部门报告"):
        assert understand(q).conduct == "事故瞒报"


def test_an_article_number_cited_in_a_decision_before_the_revision_is_the_old_number(built_home):
    a = ask("2022年的一份行政处罚决定书引用了《检验检测机构监督管理办法》第十四条，现在对应哪一条")
    assert a.route == "lookup" and a.lead == "检验检测机构监督管理办法/15"
    assert ask("《检验检测机构监督管理办法》第十四条是怎么规定的").lead == "检验检测机构监督管理办法/14"


def test_who_decides_a_named_sanction_is_an_authority_question(built_home):
    a = ask("按建设工程质量管理条例，责令监理单位停业整顿的处罚由哪个机关来决定")
    assert a.lead.startswith("建设工程质量管理条例/75")


def test_a_department_head_who_kept_a_criminal_case_back_is_the_official():
    q = "稽查科室负责人收了企业老板的请托，案子早够刑事立案了，他不将案件移送公安，只罚了款，这个负责人要负什么刑事责任"
    assert understand(q).who == "国家机关工作人员"


def test_a_department_head_who_kept_a_criminal_case_back_is_402(built_home):
    q = "稽查科室负责人收了企业老板的请托，案子早够刑事立案了，他不将案件移送公安，只罚了款，这个负责人要负什么刑事责任"
    assert _lead(ask(q)) == "刑法/402"


def test_the_client_that_engaged_a_firm_is_no_actor():
    q = "一家检测站受水泥厂的委托测烟尘，没去测就编了数据交差，该依据哪条处罚"
    assert understand(q).who == "检验检测机构"


def test_a_quarry_is_a_work_safety_question(built_home):
    q = "采石场老板让工人签了受伤自理的协议，依法对单位怎么罚"
    assert understand(q).sector == "安全生产"
    assert _lead(ask(q)) == "安全生产法/106"


def test_a_civil_claim_s_limitation_is_no_administrative_time_bar(built_home):
    a = ask("买的电暖器漏电把孩子电伤了，找厂家索赔的诉讼时效多长")
    assert a.route != "principle" and _lead(a) == "产品质量法/45"


def test_who_decides_asked_before_a_rule_of_procedure(built_home):
    a = ask("违反道交法要行政拘留的，谁来裁决？交警可以当场决定吗？")
    assert _lead(a) == "道路交通安全法/111"


def test_an_accident_with_no_equipment_named_is_a_work_safety_accident(built_home):
    q = "车间里出了事故，有两名工人死亡，厂长事发后跑得无影无踪，对厂长怎么处理"
    assert understand(q).sector == "安全生产"
    assert _lead(ask(q)) == "安全生产法/110"
    assert _lead(ask("电梯出了事故困死一人，物业经理事后失联了，怎么处罚")) == "特种设备安全法/89"


def test_an_accident_in_an_official_s_district_names_no_unit():
    q = "住建局工作人员在验收时收取费用；之后辖区内发生事故，局里又瞒报。对有关人员怎么处理？"
    assert understand(q).who == "国家机关工作人员"


def test_work_safety_s_production_unit_is_its_own_actor(built_home):
    from corpus.conduct import catalogue
    from corpus.load import load_corpus

    entries = {e.id: e for e in catalogue(load_corpus())}
    assert "生产经营单位" in entries["安全生产法/106/1"].actors
    assert "特种设备经营单位" not in entries["安全生产法/106/1"].actors


def test_who_decides_a_named_conduct_s_sanction_is_the_deciding_article(built_home):
    a = ask("施工单位超越资质承揽工程，需要吊销资质证书的，这一处罚由哪个机关决定")
    assert _lead(a) == "建筑法/76"
    b = ask("商店卖未经检定的计量器具被罚了款，这一处罚应由哪一级部门决定？")
    assert _lead(b) == "计量法/30" and not b.declined


def test_a_safety_evaluator_s_false_report_asked_as_a_sentence_is_229(built_home):
    a = ask("安全评价公司的评价师故意出具虚假评价报告，情节严重，可能面临什么刑罚")
    assert a.route == "crime" and _lead(a) == "刑法/229"


def test_short_of_a_crime_is_no_crime_question(built_home):
    a = ask("伪造商检标志用在进口货物上，情节较轻没到犯罪程度，依哪条罚")
    assert a.route != "crime" and _lead(a) == "进出口商品检验法/34"


def test_misusing_an_identity_is_no_misuse_of_a_certificate():
    assert understand("有人冒用亲戚的身份证明去车管所办了业务，怎么处罚").conduct != "冒用资质"
    assert understand("这家实验室冒用别家机构的CMA证书出报告，怎么罚").conduct == "冒用资质"


def test_another_s_factory_name_is_the_product_quality_law_s_conduct(built_home):
    assert _lead(ask("作坊冒用别家的厂名厂址生产洗衣粉卖，依据哪条处罚")) == "产品质量法/53"


def test_data_altered_inside_a_monitoring_system_is_the_system_crime(built_home):
    a = ask("运维人员用账号登录数采仪，把存着的超标数据改成了达标，情节严重，构成什么罪")
    assert a.route == "crime" and _lead(a) == "刑法/286"


def test_who_decides_the_penalties_of_cited_articles(built_home):
    a = ask("计量法第二十三条至第二十七条规定的行政处罚，由哪个部门决定？")
    assert _lead(a) == "计量法/30"


def test_an_accident_graded_with_its_kind_names_the_unit():
    assert understand("厂里发生一起较大生产安全事故，企业要罚多少").who == "事故责任单位"


def test_what_the_authority_itself_does_in_a_governed_situation(built_home):
    facts = "交警大队在发放年检标时查出检测站给没上线的车开了合格证明，"
    a = ask(facts + "大队应当采取哪些措施")
    assert a.route == "authority_duty" and _lead(a) == "机动车登记规定/72"
    assert _lead(ask(facts + "对该检测站如何处罚")) == "道路交通安全法/94"  # the station's sanction asked


def test_an_authority_as_the_subject_of_its_sanction_is_an_official(built_home):
    from corpus.conduct import catalogue
    from corpus.load import load_corpus

    entries = {e.id: e for e in catalogue(load_corpus())}
    for eid in ("行政处罚法/80/1", "行政许可法/74/1/1", "产品质量法/66/1", "计量法/29/1", "标准化法/43/1"):
        assert entries[eid].actors == ("国家机关工作人员",), eid
    # an authority named as the object of the conduct ('拒不接受生态环境主管部门…的监督检查') is no subject
    assert "国家机关工作人员" not in entries["大气污染防治法/98/1"].actors


def test_a_period_asked_with_no_sanction_is_the_rule_that_states_it(built_home):
    a = ask("刚装好的电梯要在多长时间内去办使用登记")  # (a rule that states no period, or a sanction, found first)
    assert _lead(a) == "特种设备安全法/33"


def test_where_a_complaint_goes_is_the_text_that_names_the_office(built_home):
    # an inspector who makes trouble on purpose: the complaint article, not the inspector's sanction
    a = ask("做压力容器检验的人一直挑刺，拖着不给出报告，我们公司该找谁告他")
    assert a.intent == "authority" and _lead(a) == "特种设备安全法/56"
    # the general complaint article of the sector's law, found wherever the search ranked it
    assert _lead(ask("看见有人偷偷改装电梯，能去哪里举报")) == "特种设备安全法/12"
    # a testing body's report thought false: the rule's own complaint article, answered rather than declined
    a = ask("总觉得那家检测公司给的报告有假，普通人该向谁举报")
    assert not a.declined and _lead(a) == "检验检测机构监督管理办法/24"


def test_a_report_to_an_authority_is_no_complaint():
    from assistant.engine import COMPLAINT_WHERE

    assert not COMPLAINT_WHERE.search("出了质量事故要向谁报告，向哪里告知")
    assert COMPLAINT_WHERE.search("去哪儿反映") and COMPLAINT_WHERE.search("找谁告状")


def test_the_people_who_came_to_inspect_are_inspectors_not_those_who_sent_samples():
    assert understand("来检验气瓶的人故意为难我们").who == "检验检测人员"
    assert understand("来检验气瓶的人故意为难我们").expanded.count("利用检验工作故意刁难") == 1
    assert understand("送检的人要不要在委托单上签字").who != "检验检测人员"


def test_a_code_restating_a_general_penalty_rule_leads_in_its_sector(built_home):
    # 法典1056's second paragraph restates 行政处罚法33 in its own words: the environmental code's rule
    a = ask("排污单位头一回违规，后果很轻，当场就改了，按生态环境法典能免于处罚吗")
    assert a.route == "principle" and _lead(a) == "生态环境法典/1056"
    assert _lead(ask("检测机构头一回违规，后果很轻，当场就改了，能免于处罚吗")) == "行政处罚法/33"  # no such code


def test_a_named_crime_asked_of_is_a_crime_question():
    from assistant.engine import asks_crime

    assert asks_crime("这样做会不会构成污染环境罪")
    assert asks_crime("老板这种情况够不够提供虚假证明文件罪")
    assert not asks_crime("检测报告数据不实构成什么违法行为")


def test_a_quality_mark_on_goods_that_never_earned_it(built_home):
    a = ask("这家工厂的电热水壶没拿到3C认证，外壳上照样打了CCC标志出厂销售，该怎么处罚")
    assert understand("这家工厂的电热水壶没拿到3C认证，外壳上照样打了CCC标志出厂销售").conduct == "冒用质量标志"
    assert _lead(a) == "产品质量法/53"


def test_the_lower_text_that_alone_says_the_conduct_keeps_it(built_home):
    # 条例96 names an inspector working outside any body; the law's 93(2) only two bodies at once
    assert _lead(ask("锅炉检验员没有在任何检验机构执业，自己私下接活给工厂做检验，怎么处罚")) == "特种设备安全监察条例/96"
    assert _lead(ask("压力容器检验员同时在两家检验机构执业，怎么处罚")) == "特种设备安全法/93"


def test_the_sanction_s_basis_asked_is_a_penalty_question():
    assert understand("这种行为属于什么性质？依据哪条处罚？").intent == "penalty"
    assert understand("这种行为属于什么性质？").intent == "fact"


def test_the_head_of_a_station_an_authority_runs_is_an_official(built_home):
    q = "环保局直属监测中心的副主任叫手下把水站超标数据删掉，为了考核过关，对这个副主任依据哪条处理"
    assert understand(q).who == "国家机关工作人员"
    assert _lead(ask(q)) in ("生态环境法典/1062", "生态环境监测条例/41")
    assert understand("受托监测公司的负责人让员工改数据，怎么罚").who == "检验检测机构"


def test_everyday_words_for_vehicle_noise_tampering_and_banned_pesticides(built_home):
    assert _lead(ask("邻居把摩托车的消音器拆掉了，天天半夜在路上轰，这违反哪条、怎么罚")) == "生态环境法典/1187"
    assert _lead(ask("修理厂给货车摘除颗粒捕集器收费，修理厂怎么处罚")) == "生态环境法典/1124"
    assert _lead(ask("果农在桃树上喷了禁用的高毒农药，桃子卖出去了，对果农怎么罚")) == "农产品质量安全法/70"


def test_a_price_per_job_is_no_bribe_and_one_caught_is_no_actor():
    assert "受贿" not in understand("这家店给人改车每辆收钱五百").expanded
    assert "受贿" in understand("检验员收了钱就给出合格报告").expanded
    assert understand("开车闯红灯被交警逮住了，怎么罚").who != "国家机关工作人员"
    assert understand("该由农业农村部门还是市场监管部门处罚").intent == "authority"


def test_meat_of_animals_dead_of_disease_by_who_sells_it(built_home):
    assert _lead(ask("卤菜店进了一批病死的鸭子做成卤味卖，市场监管局怎么罚")) == "食品安全法/123"
    assert _lead(ask("养鸡场把瘟死的鸡低价卖给小贩，农业农村局怎么罚")) == "农产品质量安全法/70"


def test_a_firm_cleaning_others_boilers_is_a_producer(built_home):
    assert understand("清洗公司帮酒店洗锅炉，没有经过监督检验").who == "特种设备生产单位"
    assert _lead(ask("清洗公司帮酒店做锅炉化学清洗，全程没经过监督检验，怎么处理")) == "特种设备安全法/79"


def test_a_regulation_item_asked_under_the_law_now_named(built_home):
    a = ask("原来办案引用特种设备安全监察条例第八十三条第一款第（二）项，现在按特种设备安全法应该引哪一条")
    assert a.route == "counterpart" and a.lead.startswith("特种设备安全法/83")
    assert "对照" in a.markdown  # the regulation's range beside the law's


def test_who_runs_a_market_is_sanctioned_for_letting_unlicensed_sellers_in(built_home):
    q = "美食节的主办方放没办证的商户进来摆摊卖卤味，主办方该怎么罚"
    assert understand(q).who == "市场开办者"
    assert _lead(ask(q)) == "食品安全法/130"
    assert _lead(ask("无证小贩在路边卖凉皮，怎么处理")) == "食品安全法/122"  # the seller himself
    assert understand("摊主的电子秤被改过，称重短斤少两，怎么罚").sector != "食品"  # scales: not a food stall


def test_a_platform_asked_about_for_its_administrative_liability(built_home):
    q = "外卖App对入驻商户的许可证一个都没核对，这个平台要承担什么行政责任"
    assert understand(q).who == "网络交易平台提供者"
    assert _lead(ask(q)) == "食品安全法/131"


def test_a_food_seller_that_did_its_purchase_checks(built_home):
    assert _lead(ask("我们便利店进饮料时供货商的许可证都看了，也做了进货台账，饮料还是被抽检不合格，我们也要罚款吗")) == \
        "食品安全法/136"
    # the checks missed are the conduct itself, no exemption
    assert _lead(ask("小卖部进货从来不查供货商证照，也没有进货记录，怎么罚")) != "食品安全法/136"


def test_a_tableware_disinfection_firm_is_a_food_business(built_home):
    q = "碗筷消毒公司送出去的餐具没附消毒合格证明，归哪个部门罚"
    assert understand(q).who == "食品生产经营者"
    assert _lead(ask(q)) == "食品安全法/126"


def test_who_decides_a_sanction_asked_in_everyday_words(built_home):
    assert _lead(ask("开套牌车被抓，说要拘留，这拘留是派出所定的吗？到底由谁裁决")) == "道路交通安全法/111"
    assert _lead(ask("建筑法里的那些罚款究竟是哪个部门说了算")) == "建筑法/76"


def test_a_regulation_article_asked_under_the_law_now_named(built_home):
    a = ask("原来对超年限不报废的锅炉按特种设备安全监察条例第八十四条处罚，特种设备安全法施行后应当引哪一条")
    assert a.route == "counterpart" and a.lead.startswith("特种设备安全法/84")


def test_a_case_closed_with_a_fine_instead_of_transferred(built_home):
    facts = "区市场监管局查实一起检测数据造假案，已经涉嫌犯罪，办案人员"
    a = ask(facts + "图省事只罚了款，没有移送公安，这些人员会有什么后果")
    assert a.route != "crime" and _lead(a) == "行政处罚法/82"
    a = ask(facts + "收了老板的好处只罚了款，没有移送公安，这些人员会有什么后果")
    assert a.route == "crime" and _lead(a) == "刑法/402"  # out of favour: the crime


def test_an_old_article_split_across_new_ones_maps_by_its_paragraph(built_home):
    from corpus.history import succession

    assert [m.to for m in succession().maps_from("大气污染防治法", 112, para=3)] == ["生态环境法典/1124"]
    assert [m.to for m in succession().maps_from("大气污染防治法", 112)] == ["生态环境法典/1230"]
    a = ask("大气污染防治法第一百一十二条第三款那个破坏车载排放诊断系统的罚则，法典里现在是哪条")
    assert a.route == "counterpart" and _lead(a) == "生态环境法典/1124" and "第三款" in a.conclusion


def test_a_para_that_is_no_positive_number_is_refused(tmp_path, monkeypatch):
    from corpus import history
    from corpus.knowledge import KnowledgeError

    good = {"article_maps": [{"doc": "x", "from": "2018/1", "para": 3, "to": "y/1", "status": "confirmed"}]}
    assert history._validated(good) == good
    bad = {"article_maps": [{"doc": "x", "from": "2018/1", "para": "三", "to": "y/1", "status": "confirmed"}]}
    with pytest.raises(KnowledgeError, match="正整数"):
        history._validated(bad)


def test_borrowed_plates_and_a_shared_civil_liability(built_home):
    assert _lead(ask("表哥把他车上的号牌借给我，我套在自己车上开，被查了怎么罚")) == "道路交通安全法/96"
    a = ask("第三方监测公司造假让工厂偷排的废水毁了稻田，监测公司要不要跟工厂一起赔")
    assert not a.declined and _lead(a) == "生态环境法典/1067"


def test_a_shared_liability_asked_of_dated_conduct_is_the_text_of_its_time(built_home):
    a = ask("2024年一家运维公司帮企业在自动监测上做手脚，企业趁机超标排放毁了鱼塘，运维公司要跟企业一起赔吗")
    assert _lead(a) == "环境保护法/65"  # the code was not yet in force
    assert not _civil_asked("除了民事责任，还要受什么行政处罚")


def _civil_asked(text: str) -> bool:
    from assistant.engine import CIVIL, _not_set_aside

    return bool(CIVIL.search(_not_set_aside(text)))


def test_a_safety_evaluation_is_work_safety_whatever_equipment_it_covers(built_home):
    q = "安全评价公司给化工厂的压力容器区做安全评价，没去现场就出了假的评价报告，这家公司怎么罚"
    assert understand(q).sector == "安全生产"
    assert _lead(ask(q)) == "安全生产法/92"


# -- the conclusion holds the answer of every part asked (sixteenth session) ---------------------------------

def test_a_question_of_two_parts_gets_a_sentence_for_each():
    from assistant.retrieve import answering_sentences, sub_questions

    text = ("甲应当在三日内报告。乙应当备案。丙应当公示；公示期间不少于十五日。丁负责监督。戊负责指导。")
    assert sub_questions("甲几天内报告？公示期多长？") == ["甲几天内报告", "公示期多长"]
    assert sub_questions("甲几天内报告") == []
    chosen = answering_sentences("甲几天内报告？公示期多长？", text)
    assert "甲应当在三日内报告。" in chosen and "公示期间不少于十五日。" in chosen
    assert chosen == sorted(chosen, key=text.index)  # in the text's order
    assert answering_sentences("甲几天内报告？公示期多长？", text, budget=10) == ["甲应当在三日内报告。"]  # the best only


def test_a_two_part_question_on_one_article_is_answered_whole_in_the_conclusion(built_home):
    a = ask("车牌丢了去补办，车管所多少天内给补发？补办期间能先领个临时牌照吗，管几天？")
    assert _lead(a) == "机动车登记规定/51"
    assert "十五日内补发" in a.conclusion and "不超过十五日的临时" in a.conclusion


def test_a_title_cut_short_from_the_front_names_its_document(c):
    from corpus.refs import find_references, named_documents

    assert c.title_tails.get("质量管理条例") == "建设工程质量管理条例"
    assert "管理条例" not in c.title_tails  # shared by several texts: names none
    assert named_documents("依环境监测条例第四十四条处罚", c) == {"生态环境监测条例"}
    assert [r.doc_key for r in find_references("依环境监测条例第四十四条处罚", c)] == ["生态环境监测条例"]
    assert named_documents("兽药质量管理条例", c) == set()  # a longer name is another text


def test_a_question_naming_a_text_by_its_tail_is_not_declined(built_home):
    a = ask("照质量管理条例，监理公司把不合格的钢筋签字放行了，罚多少")
    assert not a.declined and _lead(a).startswith("建设工程质量管理条例/")
    assert ask("按医疗器械监督管理条例，检验机构出假报告怎么罚").declined  # a text the corpus does not hold


@pytest.mark.parametrize("q,lead", [
    ("饮料厂往饮料里偷偷加了降糖药，怎么罚", "食品安全法/123"),  # a medicine put into food
    ("一辆超过报废年限的摩托车还在路上跑，交警怎么处理", "道路交通安全法/100"),  # past its scrapping age
    ("锅炉被查封了，厂里把贴着封条的那台拉走藏到别的车间，怎么罚", "特种设备安全法/95"),  # a sealed thing moved
    ("加油站的加油机改过主板，加一百升少给三升，怎么处理", "计量法/27"),  # a rigged instrument
])
def test_everyday_words_for_statutory_conducts(built_home, q, lead):
    assert _lead(ask(q)) == lead


def test_officials_shut_out_are_not_who_acted():
    assert detect_who("化工厂把来检查的执法人员挡在门口不让进车间")[0] != "国家机关工作人员"


def test_words_of_another_conduct_inside_a_noun_or_a_count_are_no_conduct():
    assert understand("跨两个以上省份的食品安全事故由哪一级部门调查").conduct != "多处执业"
    assert understand("锅炉装好三个月了，安装单位一直没把监督检验证明交给我们厂").conduct != "未经监督检验"
    assert "特种设备事故" not in expand("饭店出了食物中毒事故，谁来调查")  # a food accident is no equipment accident
    assert detect_who("某检测公司受两家化工厂委托做自行监测，编造了监测数据")[0] != "排污单位"  # the client


def test_a_document_not_handed_over_is_not_an_uninspected_installation(built_home):
    a = ask("锅炉装好三个月了，安装单位一直没把监督检验证明和技术资料交给我们厂，催了也不给，怎么处罚安装单位")
    assert _lead(a) == "特种设备安全法/78"


def test_a_general_text_that_defers_to_other_laws_yields_to_the_special_one(built_home):
    # 消费者权益保护法56 applies only where no other law sets the penalty; 产品质量法50 sets it
    assert _lead(ask("建材店把以次充好的水管当好货卖，货值四万多，怎么罚")) == "产品质量法/50"
    assert _lead(ask("小卖部把以次充好的插线板当正品卖，已经卖了两万块，怎么罚")) == "产品质量法/50"


def test_obstructing_an_inspection_in_other_words():
    assert understand("化工厂以各种理由阻挠环保执法人员进入车间").conduct == "拒绝检查"


def test_a_penalty_conclusion_names_who_imposes_it_when_asked(built_home):
    a = ask("监测公司篡改监测数据，依监测条例归哪个部门来罚？")
    assert "由生态环境主管部门" in a.conclusion
    assert "由生态环境主管部门" not in ask("监测公司篡改监测数据，依监测条例罚多少？").conclusion  # not asked


def test_a_penalty_conclusion_quotes_the_time_or_count_asked(built_home):
    a = ask("排污企业拒不改正继续超标排放，按日连续处罚的天数从什么时候开始算？")
    assert "次日起" in a.conclusion and "条文原文" in a.conclusion


def test_a_public_answer_quotes_what_its_first_provision_says_on_the_question(built_home):
    a = ask("网店卖给我的零食不符合食品安全标准，赔偿最少能拿多少钱？", mode="public")
    assert a.route == "faq" and "一千元" in a.conclusion  # the text's own floor, not only the topic's summary
    assert "相关规定如下" not in a.conclusion


@pytest.mark.parametrize("mode", ["officer", "public"])
def test_a_lost_or_torn_car_paper_is_a_replacement_asked(built_home, mode):
    a = ask("挡风玻璃上的年检贴纸掉了，在哪能补一张？", mode=mode)
    assert not a.declined and _lead(a) == "机动车登记规定/57"
    assert _lead(ask("行驶证被小孩撕坏了，去哪补办？", mode=mode)).startswith("机动车登记规定/")


def test_keeping_a_licence_asks_the_sanction_not_a_permission(built_home):
    assert _lead(ask("撞了人就跑的司机，驾照还能保住吗")) in ("道路交通安全法/101", "道路交通安全法/99")


def test_a_local_discretion_benchmark_is_not_held(built_home):
    assert ask("湖南省住建厅对工程质量违法的行政处罚裁量基准里，罚款分几档？").declined
    assert not ask("行政处罚裁量基准要不要向社会公布？").declined  # 行政处罚法 says benchmarks are made public


# -- seventeenth session: classes from dev26 (own phrasings) --------------------------------------------------

@pytest.mark.parametrize("q", ["国家部委下面的质检中心要拿CMA证书，该向省市场监管局还是总局提交申请？",
                               "民营实验室的资质认定证书，是省里批还是国家批？"])
def test_which_level_grants_an_accreditation(built_home, q):
    a = ask(q)
    assert understand(q).intent == "authority"
    assert not a.declined and _lead(a) == "检验检测机构资质认定管理办法/8"


def test_an_old_version_article_asked_where_it_now_lives(built_home):
    a = ask("检验检测机构监督管理办法2021年版第十三条说的不实报告，新版改到哪一条了？")
    assert a.route == "counterpart" and _lead(a) == "检验检测机构监督管理办法/14"


def test_an_old_duty_asked_for_its_present_sanction(built_home):
    a = ask("处罚决定书里援引的是监督管理办法（2021版）第十三条，今天办同类案子罚则是哪一条？")
    assert _lead(a) == "检验检测机构监督管理办法/27"
    assert any(p["provision_id"].startswith("检验检测机构监督管理办法/27") for p in a.penalties)


def test_an_old_number_as_background_of_a_penalty_under_another_law(built_home):
    a = ask("参照《检验检测机构监督管理办法》（2021年版）第十四条的虚假报告情形，气瓶检验机构没检就出报告，按特种设备安全法怎么罚？")
    assert _lead(a) == "特种设备安全法/93"


def test_a_prediction_of_a_law_change_is_declined(built_home):
    a = ask("你猜一下，明年国家会不会改特种设备安全法的罚款？")
    assert a.declined and a.route == "future"


def test_a_failing_result_written_up_as_a_pass(built_home):
    q = "车检站把检测不达标的车辆写成达标放行，会被撤销检验资格吗？"
    assert understand(q).conduct == "虚假报告" and understand(q).intent == "penalty"
    assert _lead(ask(q)) == "道路交通安全法/94"


def test_dilution_air_in_a_sampling_line_is_tampering():
    assert understand("企业在烟气在线监测的采样管里混入稀释风，让数据好看").conduct == "虚假报告"


def test_special_equipment_used_unregistered(built_home):
    q = "物业把新装的电梯没办登记就投入使用，违反哪条，罚多少？"
    assert understand(q).conduct == "未办使用登记"
    assert _lead(ask(q)) == "特种设备安全法/83"
    assert understand("新车买回来没登记就开上路了").conduct != "未办使用登记"  # a car's registration is another matter


def test_whether_penalty_information_is_published_is_a_fact(built_home):
    q = "检测机构受到的行政处罚会不会公示？在哪里能查到？"
    assert understand(q).intent == "fact"
    assert _lead(ask(q)) == "检验检测机构监督管理办法/23"


def test_a_case_named_by_its_party(built_home):
    a = ask("重庆中涵环保研究院编造监测报告的那个案子，最后罚了多少？")
    assert a.cases and "重庆中涵" in a.cases[0]["title"]
    # a place and generic words name no party: the place points at the case
    a = ask("福建罗源那个车检站的案子最后怎么处理的？")
    assert a.cases and "罗源" in a.cases[0]["title"]


def test_an_installer_named_by_the_regulation_is_a_producer(built_home):
    entries = [e for e in catalogue(load_corpus()) if e.article_id == "特种设备安全监察条例/78"]
    assert entries and all(e.actors == ("特种设备生产单位",) for e in entries)  # not a builder or a car repairer
    a = ask("2011年一家起重机安装队没事先书面告知监管部门就动工，责令改正后仍不改，按当时规定罚多少？")
    assert _lead(a) == "特种设备安全监察条例/78"


def test_a_buildings_warranty_is_on_topic(built_home):
    a = ask("外墙面防渗漏的最低保修年限是多少？")
    assert not a.declined and _lead(a) == "建设工程质量管理条例/40"


def test_a_bare_how_long_names_no_car_inspection_topic(built_home):
    a = ask("买的电动车电池有缺陷起火烧伤了人，拖了一年多，多久以内还能起诉？", mode="public")
    assert _lead(a) == "产品质量法/45"


def test_which_article_handles_a_conduct_asks_the_sanction(built_home):
    q = "超市里的台秤属于强制检定，一直不送检就用，依照计量法哪一条处理？"
    assert understand(q).intent == "penalty"
    assert _lead(ask(q)) == "计量法/25"


def test_a_middleman_organizing_deceitful_applications(built_home):
    q = "有个中介专门收钱组织外地人用假居住证明来车管所办上牌，赚了好几万，对中介怎么罚？"
    assert understand(q).conduct == "组织骗领牟利"
    assert _lead(ask(q)) == "机动车登记规定/81"


def test_a_sticker_got_by_a_bribe_is_no_forged_one(built_home):
    a = ask("车主托人给车管所的人塞钱，补办了一张年检标志，查出来怎么处理？")
    assert _lead(a) == "机动车登记规定/81"  # not 道路交通安全法96 (forged or borrowed papers)


def test_false_papers_caught_before_registration(built_home):
    q = "拿假的购车发票去车管所申请上牌，被工作人员识破没给办，会怎样处理？"
    assert understand(q).conduct == "虚假材料申请"
    assert _lead(ask(q)) == "机动车登记规定/80"  # the field's own rule, not 行政许可法78's same words
    assert understand("他用伪造的居住证明办了车辆登记").conduct != "虚假报告"  # an applicant's papers, no report


def test_an_officer_in_league_with_a_middleman(built_home):
    q = "车管所有个民警和中介勾结，收钱帮人办登记，这个民警怎么处理？"
    assert understand(q).conduct == "与中介串通"
    assert _lead(ask(q)) in ("机动车登记规定/83", "道路交通安全法/115")


def test_a_residential_estate_names_no_equipment_user_by_itself(built_home):
    q = "帮小区住户做室内空气检测的公司没上门就出了报告，罚多少？"
    assert understand(q).who != "特种设备使用单位" and understand(q).conduct == "虚假报告"
    assert _lead(ask(q)) == "检验检测机构监督管理办法/27"


def test_a_faulty_gauge_and_the_equipment_kept_running(built_home):
    q = "锅炉的安全阀失灵了，厂长说别停接着烧，会怎么罚？"
    assert understand(q).conduct == "故障继续使用"
    assert _lead(ask(q)) == "特种设备安全法/84"


def test_an_emission_device_named_before_its_removal():
    assert understand("货车的DPF被修理厂给拆了，车主会被罚吗").conduct == "篡改排放控制"


def test_a_registry_clerk_is_an_official():
    assert understand("车管所的登记员收了好处，给没查验的车办了登记，怎么处理").who == "国家机关工作人员"


def test_a_contracts_own_sums_are_not_held(built_home):
    assert ask("锅炉维保合同约定的违约金比例多少合适？").declined


def test_the_basis_asked_before_a_conditional_crime(built_home):
    a = ask("监管人员在审批中滥用职权，按哪条规定追究？构成犯罪的怎么办？")
    assert a.route != "crime"


def test_who_told_an_outside_body_to_falsify(built_home):
    q = "化工厂授意受托的监测公司把超标数据改成达标，化工厂怎么罚？"
    assert understand(q).who in ("委托方", "排污单位")
    assert understand("老板叫外包的运维公司把在线监测仪参数调一下").who == "委托方"  # not the body that did as told
    assert _lead(ask(q)) == "生态环境法典/1088"
    assert understand("监测站站长授意站里的人删掉超标数据").who != "委托方"  # its own staff: no client


def test_still_punishable_asks_the_time_bar_only_when_time_has_passed(built_home):
    assert ask("检测机构留样管理不合规，但数据复核无误，还能处罚吗？").route != "principle"
    assert ask("五年前出的假报告现在才查出来，还能处罚吗？").route == "principle"


def test_no_error_is_no_untrue_report():
    assert understand("数据复核没有错误，只是记录写得不规范").conduct != "不实报告"


def test_a_sticker_got_through_connections_is_no_registration(built_home):
    a = ask("找中介走关系把年检合格标志办下来了，查到了怎么处理？")
    assert _lead(a) == "机动车登记规定/81"  # a sticker got by deceit (81第二款), not a registration (实施条例103)
    assert _lead(ask("花钱请人疏通关系帮我把检验合格标志搞到手，会有什么后果？")) == "机动车登记规定/81"  # not 96 (borrowed)


# -- session 18: public statute text, conduct vocabulary, scope --------------------------------------------

def test_the_public_on_topic_question_nothing_answers_shows_the_nearest_texts(built_home):
    a = ask("旋转木马这种游乐设施每天营业前，园方是不是必须先空转试一试、把保险装置都检查一遍？", mode="public")
    assert a.mode == "public" and "特种设备安全法/43" in [c.provision_id for c in a.citations]
    assert a.penalties == [] and "处罚依据与幅度" not in a.markdown


def test_the_public_asking_how_soon_a_complaint_must_be_handled(built_home):
    a = ask("我向工商部门投诉了一家卖假鞋的网店，他们最多几天得给我回复处理结果？", mode="public")
    assert a.lead == "消费者权益保护法/46" and "任何单位和个人" not in a.conclusion


@pytest.mark.parametrize("question", [
    "把那家叫某某检测的公司以前的行政处罚决定书全文发我看看",
    "楼下那家汽修厂前几年被罚过几次？",
    "全省总共有几家检测机构因为出假报告挨了罚？",
])
def test_a_partys_own_records_and_counts_are_not_held(built_home, question):
    assert ask(question).route in ("records", "statistics")
    assert ask(question, mode="public").declined


@pytest.mark.parametrize("question,lead", [
    ("通过篡改自动监测数据的手段排放废气的，法典怎么罚？", "生态环境法典/1108"),  # faked data as the way of discharging
    ("往辣条里添加了非食用物质，怎么罚？", "食品安全法/123"),
    ("超市货架上摆着过期的饼干面包，会被怎么罚？", "食品安全法/124"),
    ("开拼装的三轮摩托上路被查，驾驶人怎么罚？", "道路交通安全法/100"),
])
def test_conducts_named_in_everyday_words(built_home, question, lead):
    assert _lead(ask(question)) == lead


@pytest.mark.parametrize("question,conduct", [
    ("索道开放前没试运行检查，结果出了一般事故，索道公司对事故负有责任，对公司怎么罚？", "事故责任"),
    ("没证的黑作坊做豆腐往菜市场送，怎么处罚？", "无证生产经营食品"),
    ("我们是展销会的举办方，有商户没办许可证就进场卖糕点", "市场放任无证经营"),
])
def test_conducts_of_their_own(question, conduct):
    assert understand(question).conduct == conduct


def test_a_lab_that_skipped_testing_for_a_substance_is_no_one_adding_it(built_home):
    q = "食品检验公司没真的检测三聚氰胺，就出了合格报告，检验公司怎么罚？"
    assert understand(q).conduct != "添加非食用物质"
    assert understand("作坊往腐竹里加了吊白块").conduct == "添加非食用物质"


def test_a_pieced_together_car_driven_is_a_catalogue_entry(c):
    entries = [e for e in catalogue(c) if e.id == "道路交通安全法/100/2"]
    assert entries and "驾驶" in entries[0].conduct and "驾驶拼装的机动车" in entries[0].context


@pytest.mark.parametrize("text", ["对这家物流公司罚款应当依据哪一条？", "查实以后，罚款数额如何计算？"])
def test_the_sanction_asked_after_its_word(text):
    assert understand(text).intent == "penalty"


def test_a_duty_asked_is_a_fact():
    assert understand("检测公司发现产品普遍有质量问题，有没有报告的义务？").intent == "fact"


def test_a_rule_question_leads_with_the_article_another_applies(built_home):
    a = ask("食品生产者发现已经卖出去的一批产品不符合食品安全标准，按规定要怎么召回？")
    assert _lead(a) == "食品安全法/63"
    from assistant.engine import REFERS
    assert REFERS.search("发现进口食品不符合标准的，进口商应当依照本法第六十三条的规定召回")


def test_which_text_applies_is_no_unknown_document(built_home):
    a = ask("2013年10月有人无证维修锅炉，2014年2月才查处，应当适用条例还是特种设备安全法？罚多少？")
    assert a.route != "unknown_document" and _lead(a) == "特种设备安全监察条例/77"
    assert ask("处罚时用修订前的资质认定管理办法还是2021年修订后的？").lead.startswith("行政处罚法/37")


def test_a_supervision_stations_staff_are_officials():
    who, _ = detect_who("监察所的人知道锅炉有隐患却一直不管，后来锅炉爆炸伤了人，这个人要负刑事责任吗？")
    assert who == "国家机关工作人员"


def test_an_old_item_named_is_compared_item_by_item(built_home):
    a = ask("以前按大气污染防治法第一百条第（三）项处罚的情形，法典施行后改引哪一条？")
    assert a.route == "counterpart" and a.lead.startswith("生态环境法典/1086")


def test_a_repeal_asked_of_next_year_is_a_future_text(built_home):
    assert ask("听说后年要取消电梯定期检验了，是真的吗？").declined


def test_an_occupant_breaking_a_load_bearing_wall(built_home):
    """The occupant's own clause of 条例69 (the law names no occupant), its own range; a renovation project
    without a design is the law's (建筑法70); the estate manager named in passing runs no lift."""
    a = ask("隔壁住户装修时把承重柱凿掉一截，物业管不了，对住户能罚多少？")
    assert _lead(a) == "建设工程质量管理条例/69" and "5万元以上10万元以下" in a.conclusion
    assert "50万元" not in a.conclusion and understand("装修时物业管不了").sector != "特种设备"
    assert _lead(ask("装修队没有设计方案就把承重墙打通了，怎么处罚？")) in ("建筑法/70", "建设工程质量管理条例/69")


def test_a_prison_term_asked_is_a_crime_question():
    from assistant.engine import asks_crime

    assert asks_crime("监理单位明知偷工减料还签字，楼塌了，监理工程师要判什么刑？")
    assert not asks_crime("检测报告的判定依据是什么标准？")


def test_one_conduct_singled_out_of_several_facts():
    q = ("起重机倒塌砸死一人。查明：检验机构的定期检验报告造假；使用单位事后瞒着没上报，还和家属私下和解。"
         "只就使用单位隐瞒不报事故这一行为，怎么处罚？")
    assert understand(q).conduct == "事故瞒报"


def test_a_thing_singled_out_names_the_conduct_of_its_facts():
    q = ("检查发现：压力容器的安全阀两年没校验；另有一名操作工无证上岗，已当场纠正。"
         "针对安全阀的问题，按哪条处罚？")
    assert understand(q).conduct == "安全附件未校验"


@pytest.mark.parametrize("question,lead", [
    ("菜市场摊位上卖的韭菜被抽出农药残留超标，该农业部门管还是市场监管部门管？", "农产品质量安全法/77"),
    ("我们刚注册的第三方检测实验室要办CMA，应该去哪一级部门申请？", "检验检测机构资质认定管理办法/8"),
    ("工地塔吊倒了压死一个人，这起事故该由哪个部门牵头调查？", "特种设备安全法/72"),
    ("企业在线监测的数据被人篡改了，区里的环保局能自己调查吗？", "环境监测数据弄虚作假行为判定及处理办法/8"),
    ("违反计量法的罚款，县里的市场监管局能罚吗？还是哪个部门决定？", "计量法/30"),
])
def test_which_department_for_a_situation_its_article_names(built_home, question, lead):
    a = ask(question)
    assert a.route == "authority_duty" and _lead(a) == lead


def test_who_revokes_an_accreditation_is_not_who_grants_it(built_home):
    assert _lead(ask("监测公司数据造假情节严重，它的资质证书由哪个部门吊销？")) != "检验检测机构资质认定管理办法/8"

"""What a question asks or attempts, as regular expressions shared by the index and the assistant (one place
for each pattern; the modules that test questions import them from here). The words by which a question asks
(坐牢, 判刑…; 我局, 执法人员…) are data, corpus/data/asks.yaml; `alternatives(name)` gives one list for a pattern."""

from __future__ import annotations

import re

from corpus.knowledge import ask_words


def alternatives(name: str) -> str:
    """A word list of corpus/data/asks.yaml as a regular-expression alternation ('a|b|c', in the order written)."""
    return ask_words().words(name)


# the question names the action plan or the Shanxi notice
PLAN_NAMED = re.compile(alternatives("plan_named"))

# -- penalties ---------------------------------------------------------------------------------------------
# how a question asks what the sanction is ('怎么罚', '如何处理'): the part every penalty pattern shares
HOW_PUNISHED = (r"罚多少|怎么罚|如何罚|怎么处罚|如何处罚|(怎么|如何|怎样|咋|该怎么)(处理|处置)|"
                r"(怎么|如何|怎样)定性(和|并|及|、|与)?(处罚|处理|罚)|(怎么|如何|怎样)处分|(什么|何种|哪种)处分|"
                r"罚款?(数额|金额)?(怎么|如何|怎样)(计算|算|确定)|(怎么|如何|怎样)(计算|算)罚款")
# anything about sanctions or liability: the search boosts 法律责任/罚则 articles for these
PENALTY_QUESTION = re.compile(r"罚|处分|法律责任|吊销|撤销.{0,4}(资格|资质|证书)|没收|追责|追究|怎么处理|如何处理|咋处理|"
                              r"怎么办|咋办|后果|会怎样|会怎么样|承担什么责任|什么责任|刑事")
# asks for the penalty itself (an amount, a range, how to punish, the liability), not who imposes it
PENALTY_ASK = re.compile(HOW_PUNISHED + r"|罚款多少|罚几|罚款范围|幅度|区间|"
                         r"罚款标准|多少钱|最高|最多|上限|下限|倍|法律责任|什么责任|承担|后果|会怎样|"
                         # whether a named sanction follows ('会不会被吊销资格')
                         r"(会不会|是否会?|能否|可能会?)被?(吊销|撤销|没收|拘留|关停|停业)|"
                         r"(会|要)被(吊销|撤销|没收|拘留|关停|停业)[^，。？]{0,8}(吗|么|？|\?)|"
                         # the sanction's basis asked ('按照哪一条罚'): the sanction is asked, not only a fact
                         r"(依据|依照|按照?|根据)[^，。？]{0,12}?(哪些|哪条|哪一条|哪个|什么)[^，。？]{0,6}(处理|处分|处罚|罚)|"
                         # …or named before it ('对该单位罚款应按哪条', '罚款的依据是什么')
                         r"(处理|处分|处罚|罚款?)[^，。？]{0,6}(依据|依照|按照?|根据)(是|应是|为)?(哪些|哪条|哪一条|哪个|什么)")
# asks for the administrative sanction (as against the crime)
# ('按哪条规定处分' asks the basis of the sanction too)
ADMIN_ASK = re.compile(HOW_PUNISHED + r"|行政处罚|罚款|给予.{0,4}处罚|"
                       r"(依据|依照|按照?|根据)(哪些|哪条|哪一条|哪个|什么)[^，。？]{0,6}(处理|处分|处罚|罚)")

# -- versions ----------------------------------------------------------------------------------------------
# a version year in brackets after a text's name: '行政处罚法（2017年）', '（2015年版）'
BRACKET_YEAR = r"[（(]\s*(?:19|20)\d{2}\s*年?\s*(?:的|那个?|旧|老)?\s*(?:版本?|修订|修正|修订版|修正版|修订前|修改前)?\s*[)）]"
# a year that names a text, not when the conduct happened: '（2017年）', '2015年版', '按2025年补充要求',
# '2026年8月15日起施行' (taken out before the conduct date is read)
TEXT_YEAR = re.compile(BRACKET_YEAR
                       + r"|(?:19|20)\d{2}\s*年?\s*(?:版|修订|修正)"
                       r"|(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)的?《?[^，。；、？?！!\d出具篡改伪造发现检查让被把给对]{0,16}?"
                       r"(?:法|条例|办法|规定|要求|准则|规则|通知|方案)"
                       r"|(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\s*起?(?:施行|生效|公布|印发|发布|实施)")
# a version the question names ('2021版', '（2017年）', '旧法'); its words are the understanding's version hint
VERSION_NAMED = re.compile(r"(20\d{2}|19\d{2})\s*(?:年)?(?:版|年版|修订版|修正版)|[（(]\s*(?:19|20)\d{2}\s*年\s*[)）]|旧法|旧版|原办法|修订前|老版")
# any sign that the question means an older text (also '修改前', '原《…》', '修订后是第几条')
OLD_VERSION = re.compile(VERSION_NAMED.pattern + r"|(?:20\d{2}|19\d{2})\s*年?\s*(?:版|修订版|修正版|修改版)|"
                         r"修改前|老《|原《|旧《|(?:修订|修改|修正)后[^，。？]{0,12}(?:第几条|哪一条|哪条)")

# -- attempts to change the rules ---------------------------------------------------------------------------
# asks the assistant to set its rules aside (the public mode declines these)
OVERRIDE = (r"忽略(以上|之前|前面|上述|所有|你的)|无视.{0,6}(指令|规则|限制)|ignore (all|previous|the above)|system ?prompt|"
            r"jailbreak|越狱|扮演|假装你?是|开发者模式|不受限制")
# …or to make law up ('编造第999条', '帮我编一条'); not a conduct the facts describe ('这家企业编了检测数据')
FABRICATE = (r"(编造|捏造|虚构|编)(一|几|个)?(条|第[\d一二三四五六七八九十百零]+条|[^，。？]{0,6}(条文|条款|法条|法律依据|案例|罚款数额))"
             r"|(请|你|帮我|给我|替我)[^，。？]{0,6}(编造|捏造|虚构|瞎编|编一)|不要引用|随便编|瞎编")
INJECTION = re.compile(f"{OVERRIDE}|{FABRICATE}", re.IGNORECASE)

"""The conduct catalogue generated from the texts: subjects, items, sub-conducts, obligations."""

from __future__ import annotations

from corpus.conduct import catalogue, unparsed
from corpus.load import load_corpus

# documents whose every sanctioning provision must name its subject (the inspection-and-testing core)
CORE = ("检验检测机构监督管理办法", "检验检测机构资质认定管理办法", "特种设备安全监察条例")


def _entries(pid: str) -> list:
    return [e for e in catalogue(load_corpus()) if e.id == pid]


def test_items_are_entries_with_their_subject():
    (e,) = _entries("特种设备安全法/93/1/3")
    assert {"检验检测机构", "检验检测人员"} <= set(e.actors)
    assert e.penalty_id == "特种设备安全法/93/1" and e.sector == "特种设备" and e.rank == 0
    assert "出具虚假的检验、检测结果" in e.conduct
    (user,) = _entries("特种设备安全法/84/1/1")
    assert user.actors == ("特种设备使用单位",)


def test_sub_conducts_of_one_sentence_are_separate_entries():
    labels = {e.label for e in _entries("检验检测机构监督管理办法/27/1")}
    assert labels == {"出具不实检验检测报告", "出具虚假检验检测报告"}


def test_obligations_cited_by_the_text_are_parsed():
    (e,) = _entries("检验检测机构监督管理办法/26/1/2")
    assert e.obligations == ("检验检测机构监督管理办法/11",)


def test_previous_paragraph_subject_is_inherited():
    (e,) = [x for x in _entries("生态环境法典/1230/2")]
    assert "检验检测机构" in e.actors and e.sector == "机动车排放"


def test_repealed_texts_are_marked():
    old = [e for e in catalogue(load_corpus()) if e.doc_key == "大气污染防治法"]
    assert old and not any(e.in_force for e in old)


def test_core_documents_name_every_subject():
    """Lists every entry of the core documents whose subject could not be parsed (must be none)."""
    missing = [(e.id, e.conduct[:40]) for e in unparsed(catalogue(load_corpus())) if e.doc_key in CORE]
    assert not missing, missing


def test_crimes_defined_without_their_punishment_are_catalogued_and_victims_are_not_perpetrators():
    from corpus.conduct import catalogue
    from corpus.load import load_corpus

    entries = {e.id: e for e in catalogue(load_corpus()) if e.criminal}
    assert "刑法/385/1" in entries  # '…的，是受贿罪' (punished under 第三百八十六条)
    # '以暴力、威胁方法阻碍国家机关工作人员…': the official is the victim, anyone can commit it
    assert entries["刑法/277/1"].actors == ()


def test_a_conduct_title_names_its_subject_once():
    """A subject cut at the end of its clause ('…收取的费用的') is the conduct itself, not a prefix to repeat."""
    from assistant.scenarios import title_of

    (e,) = _entries("行政许可法/75/2")
    assert title_of(e) == "截留、挪用、私分或者变相私分实施行政许可依法收取的费用"
    doubled = [x.id for x in catalogue(load_corpus()) if len(t := title_of(x)) > 12 and t[:len(t) // 2] == t[len(t) // 2:]]
    assert doubled == []


def test_conducts_listed_one_after_another_are_all_the_entry_s_conduct():
    """'伪造产品产地的，伪造或者冒用他人厂名、厂址的，伪造或者冒用认证标志等质量标志的，责令改正…': every listed
    conduct is sanctioned, not only the first; a graver case or the sanction after '的，' is not one more conduct."""
    from corpus.penalties import split_conduct

    (e,) = _entries("产品质量法/53/1")
    assert "冒用认证标志" in e.conduct and "厂名、厂址" in e.conduct
    (e,) = _entries("进出口商品检验法/32/1")
    assert "擅自出口" in e.conduct
    conduct, sanction = split_conduct("甲的，乙的，责令改正，处一万元以下罚款；情节严重的，吊销许可证。")
    assert conduct == "甲的，乙的" and sanction.startswith("责令改正")
    # a duty of the authority between two '的，' ends the conduct (生态环境法典1060: 复查 is the office's task)
    conduct, _ = split_conduct("排污者受到罚款处罚，被责令改正的，作出决定的部门应当组织复查，发现其拒不改正的，按照原罚款数额按日连续处罚。")
    assert conduct == "排污者受到罚款处罚，被责令改正的"
    conduct, _ = split_conduct("设置排污口的，除本条第二款规定外，由主管部门责令限期拆除，逾期不拆除的，处二万元以上罚款。")
    assert conduct == "设置排污口的"


def test_a_law_named_in_a_text_is_not_its_field_and_a_ministry_is_an_official_body():
    """标准化法37 hands its sanction to 《产品质量法》: naming that law does not file it under product quality;
    标准化法41 sanctions 国务院标准化行政主管部门, an authority, not a maker."""
    (e,) = _entries("标准化法/37/1")
    assert e.sector == "综合"
    (o,) = _entries("标准化法/41/1")
    assert o.actors == ("国家机关工作人员",)


def test_a_subject_named_only_by_what_befell_it_is_parsed():
    """'以欺骗、贿赂等不正当手段取得资质认定的，…撤销资质认定。被撤销资质认定的检验检测机构，三年内不得再次申请'."""
    (e,) = _entries("检验检测机构资质认定管理办法/32/1")
    assert e.actors == ("检验检测机构",)


def test_whoever_knowingly_helps_is_no_maker():
    """'知道或者应当知道属于本法规定禁止生产、销售的产品而为其提供运输、保管、仓储等便利条件的' (产品质量法61): the
    words 生产、销售 describe the goods, not the one sanctioned."""
    (e,) = _entries("产品质量法/61/1")
    assert e.actors == ()

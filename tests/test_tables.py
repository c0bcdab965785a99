"""kg.tables: the table shapes → rows of typed cells, with true offsets; and what the
extractor makes of a row (leaders, units, deadlines), through process_document."""

from __future__ import annotations

import re

import pytest

from kg.model import SourceDocument
from kg.pipeline import load_toolkit, process_document
from kg.segment import _lines
from kg.tables import TableRules, column_role, find_tables


@pytest.fixture(scope="module")
def table_rules(all_rules):
    tasks = all_rules["tasks"]
    return TableRules(tasks.columns, tasks.bullets, tasks.numbering[0].pattern)


@pytest.fixture(scope="module")
def toolkit():
    return load_toolkit()


def read_rows(text, table_rules):
    """[(role, cell text), …] per row, and every piece's offsets checked."""
    rows = []
    for table in find_tables(_lines(text), text, table_rules):
        for row in table.rows:
            assert text[row.span.start : row.span.end] == row.span.text
            for cell in row.cells:
                for piece in cell.pieces:
                    assert text[piece.start : piece.end] == piece.text
            rows.append([(cell.role, cell.text) for cell in row.cells])
    return rows


@pytest.mark.parametrize(
    "header, role",
    [
        ("序号", "ordinal"),
        ("重点工作", "project"),
        ("分 管 县领导", "lead"),  # spaces removed, and the generic cue 领导
        ("牵头责任单位", "leadUnit"),  # the longest cue wins over 责任单位
        ("责任单位", "unit"),
        ("牵头组织实施单位", "leadUnit"),
        ("完成时限", "deadline"),
        ("权力类型", "category"),
        ("备注", "other"),
        ("蒲江县深化医药卫生体制改革工作领导小组全体会议召开", "other"),  # a headline, not a column
    ],
)
def test_column_role(header, role, table_rules):
    assert column_role(header, table_rules) == role


CELL_LINES = """2025年重点工作及责任清单
序号 |
重点工作 |
责任领导 |
责任单位 |
完成时限 |
1 |
优化营商环境,落实“项目管家”制度。 |
张三 |
招商部、安商部 |
全年 |
2 |
盘活存量土地。 |
李四 |
改革办 |
6月底前 |
"""

PIPE_ROWS = """序号 | 重点工作 | 责任领导 | 责任单位 | 完成时限
1 | 优化营商环境,落实“项目管家”制度。 | 张三 | 招商部、安商部 | 全年
2 | 盘活存量土地。 | 李四 | 改革办 | 6月底前
"""

BOX = """┌──────────┬───┬──────┬────┐
│ 工 作 任 务 │分管领│牵头单位│完成时限│
│ │ 导 │ │ │
├──────────┼───┼──────┼────┤
│抓好财税工作 │张三 │市财政局、│年内见成│
├──────────┤ │国家税务│ 效 │
│△调整支出结构 │ │局 │ │
│△加强财政监督,│ ├──────┤ │
│提高效益 │ │市教育局│ │
└──────────┴───┴──────┴────┘
"""

SPACED = """序号 权力类型 项目编码 项目名称 子项 实施依据
1 行政确认 某某证核发与注销
《某某条例》第三十九条
2 行政给付 A-01 某某补助发放
《某某办法》第五条
"""


def test_cell_lines(table_rules):
    rows = read_rows(CELL_LINES, table_rules)
    assert rows == [
        [("ordinal", "1"), ("project", "优化营商环境,落实“项目管家”制度。"), ("lead", "张三"), ("unit", "招商部、安商部"), ("deadline", "全年")],
        [("ordinal", "2"), ("project", "盘活存量土地。"), ("lead", "李四"), ("unit", "改革办"), ("deadline", "6月底前")],
    ]


def test_pipe_rows_read_like_cell_lines(table_rules):
    assert read_rows(PIPE_ROWS, table_rules) == read_rows(CELL_LINES, table_rules)


def test_box_cells_run_over_lines_and_span_rows(table_rules):
    rows = read_rows(BOX, table_rules)
    # A task per bullet; the leader's and the deadline's cells span all three tasks; each task
    # takes the unit cell beside it.
    assert [dict(r)["project"] for r in rows] == ["抓好财税工作", "△调整支出结构", "△加强财政监督,提高效益"]
    assert {dict(r)["lead"] for r in rows} == {"张三"}
    assert {dict(r)["deadline"] for r in rows} == {"年内见成效"}
    assert [dict(r)["leadUnit"] for r in rows] == ["市财政局、国家税务局", "市财政局、国家税务局", "市教育局"]


def test_spaced_header_skips_an_empty_code_column(table_rules):
    rows = read_rows(SPACED, table_rules)
    assert [(dict(r)["ordinal"], dict(r)["category"], dict(r)["project"]) for r in rows] == [
        ("1", "行政确认", "某某证核发与注销"),
        ("2", "行政给付", "某某补助发放"),
    ]
    assert dict(rows[1])["code"] == "A-01"


def test_spaced_rows_stop_at_a_new_section(table_rules):
    rows = read_rows(SPACED + "二、其他事项\n这一段不属于表格。\n", table_rules)
    assert all("这一段" not in text for row in rows for _, text in row)


SPACED_PROGRESS = """序号 目标任务 责任单位 上半年推进情况
一、主要预期目标
1 地区生产总值增长6%以上。 区甲委 同比增长2.9%。
2 第一产业增加值增长5%。 区乙委
区丙局
区丁中心
同比增长3.4%。
二、重点工作
（一）更大力度推动科技创新
3 实施创新平台建设行动。 区戊局 全面启动创建工作。
"""


def test_spaced_rows_under_numbered_headings_with_units_a_line(toolkit):
    """Numbered headings between a spaced table's rows head the rows below them; a unit cell
    of several lines keeps every unit, and the progress cell after it is no unit (铜梁)."""
    _, facts = facts_of(SPACED_PROGRESS, toolkit, "tasks")
    assert {(s, p, o) for s, p, o in facts if p in ("leadUnit", "tier", "ordinal")} == {
        ("地区生产总值增长6%以上", "ordinal", "1"),
        ("第一产业增加值增长5%", "ordinal", "2"),
        ("实施创新平台建设行动", "ordinal", "3"),
        ("地区生产总值增长6%以上", "leadUnit", "区甲委"),
        ("第一产业增加值增长5%", "leadUnit", "区乙委"),
        ("第一产业增加值增长5%", "leadUnit", "区丙局"),
        ("第一产业增加值增长5%", "leadUnit", "区丁中心"),
        ("实施创新平台建设行动", "leadUnit", "区戊局"),
        ("地区生产总值增长6%以上", "tier", "主要预期目标"),
        ("第一产业增加值增长5%", "tier", "主要预期目标"),
        ("实施创新平台建设行动", "tier", "更大力度推动科技创新"),
    }


MERGED_UNIT_PIPES = """序号 | 项目内容 | 月度工作计划 | 牵头单位 | 落实情况 |
1 | 为全县老年人免费接种流感疫苗。 | 4月:制定工作方案。 | 县甲局 | 已完成。 |
2 | 为重点人群免费开展筛查。 | 4月:完成筛查1480人。 | 已完成。 完成筛查3495人。 | |
3 | 新增配置除颤仪47台。 | 4月:公布采购意向公告。 | 已完成。 完成点位设置。 | |
4 | 培训应急救护人员235人。 | 4月:完成培训65人。 | 县乙会 | 已完成。 |
5 | 随迁子女就读公办学校比例达90%。 | 3-4月:联系公安户籍部门统一为公办学校随迁子女办理入学。
"""


MERGED_TASK_PIPES = """序号 | 工作任务 | 细化分工 | 责任处室 | 完成时限 | 备注 |
1 | 做好疫情防控信息发布 | 重点围绕散发疫情发布权威信息 | 应急处 | 长期推进 |
|
2 | 扎实做好疫苗接种信息公开 | 疾控处 | 长期推进 |
|
3 | 常规政务公开事项 | 强化行政执法信息公开 | 政法处 | 长期推进 |
|
4 | 推进部门预算决算公开 | 财务处 | 2021年8月前 |
"""


def test_a_merged_task_cell_is_the_tier_when_a_last_column_is_always_empty(toolkit):
    """No row fills 备注, so no row is as wide as the header: the widest rows show the columns
    (广东 卫生健康委). 工作任务 spans rows and is their tier; 细化分工 holds the tasks."""
    _, facts = facts_of(MERGED_TASK_PIPES, toolkit, "tasks")
    assert {(s, o) for s, p, o in facts if p == "tier"} == {
        ("重点围绕散发疫情发布权威信息", "做好疫情防控信息发布"),
        ("扎实做好疫苗接种信息公开", "做好疫情防控信息发布"),
        ("强化行政执法信息公开", "常规政务公开事项"),
        ("推进部门预算决算公开", "常规政务公开事项"),
    }
    assert ("扎实做好疫苗接种信息公开", "leadUnit", "疾控处") in facts
    assert ("推进部门预算决算公开", "deadline", "2021年8月前") in facts


CELL_LINES_CUT = """序号 |
年度目标 |
第二季度任务目标 |
分管区领导 |
责任单位 |
进展情况 |
1 |
坚守耕地保护红线,全方位夯实粮食安全基础。 |
做好耕地保护监测图斑整改工作。 |
耿 峰 彭开国 |
区自然资源局 区农业农村局 各镇政府 |
加强小麦田间管理。 |
2 |
拓宽村集体增收路径。 |
村集体经济收入超过10万元的村达到55%。 |
彭开国 |
区农业农村局 |
全区140个行政村中,达标的村86个。 |
3 |
扎实推进现代农业产业园项目。 |
"""


def test_units_and_names_a_space_apart_and_a_last_row_cut_short(toolkit):
    """A cell of units a space apart is one unit each, and of names padded to three characters
    one person each (周村, 吉水); the last row, cut by the copy's end after its task, is a task of
    its own and does not make the task column a category."""
    _, facts = facts_of(CELL_LINES_CUT, toolkit, "tasks")
    first = "坚守耕地保护红线,全方位夯实粮食安全基础"
    assert {(s, p, o) for s, p, o in facts if s == first and p in ("leadUnit", "leadPerson")} == {
        (first, "leadPerson", "耿峰"),
        (first, "leadPerson", "彭开国"),
        (first, "leadUnit", "区自然资源局"),
        (first, "leadUnit", "区农业农村局"),
        (first, "leadUnit", "各镇政府"),
    }
    assert ("扎实推进现代农业产业园项目", "ordinal", "3") in facts
    assert not {f for f in facts if f[1] == "tier"}


BARE_FIGURES = """序号
考核内容
单位
年度目标
责任部门
1
粮食播种面积
万亩
0.07
县甲局
2
生猪存栏
万头
0
县乙局
3
水产品产量
万吨
42
县丙局
"""

BARE_SOME_ROWS = """序号
目标任务
牵头责任单位
计划完成时间
6
农村居民人均可支配收入增长7%
经管站
12月底
52
建设高标准农田5万亩
农田建设股
10月底
53
推进农村人居环境整治
乡村建设股
12月底
"""


@pytest.mark.parametrize("text, rows", [(BARE_FIGURES, ["1", "2", "3"]), (BARE_SOME_ROWS, ["6", "52", "53"])])
def test_row_numbers_count_up_and_figures_are_cells(text, rows, toolkit):
    """In a table a cell a line, a number that does not count up ("0" in 年度目标) or leaps ahead
    before its row has its cells ("42") is a cell (嵊泗); a table of some rows of a longer one
    numbers them as it likes (怀远: 6, 52, 53)."""
    _, facts = facts_of(text, toolkit, "tasks")
    assert sorted((o for s, p, o in facts if p == "ordinal"), key=int) == rows
    assert len({s for s, p, o in facts if p == "leadUnit"}) == 3


def test_a_unit_cell_spanning_rows_leaves_the_task_column_a_task_column(toolkit):
    """Rows 2 and 3 sit under row 1's merged 牵头单位 cell: they take its unit, and the task
    column stays the tasks' (泰顺), though a row cut short (5) leaves its task to the row above."""
    _, facts = facts_of(MERGED_UNIT_PIPES, toolkit, "tasks")
    assert {(s, o) for s, p, o in facts if p == "leadUnit"} == {
        ("为全县老年人免费接种流感疫苗", "县甲局"),
        ("为重点人群免费开展筛查", "县甲局"),
        ("新增配置除颤仪47台", "县甲局"),
        ("培训应急救护人员235人", "县乙会"),
    }
    assert ("随迁子女就读公办学校比例达90%", "a", "project") not in facts  # facts_of keeps no kinds
    assert ("随迁子女就读公办学校比例达90%", "ordinal", "5") in facts


@pytest.mark.parametrize(
    "text",
    [
        "序号 |\n1 |\n2 |\n3 |\n",  # no project column
        "甲 | 乙\n1 | 2\n",  # headers we do not know
        "│ 不是表格 │\n",
    ],
)
def test_not_tables(text, table_rules):
    assert find_tables(_lines(text), text, table_rules) == []


def facts_of(text, toolkit, genre=None):
    resolved = process_document(SourceDocument("t", "t.txt", "t.txt", text), toolkit, genre)
    rows = set()
    for f in resolved.facts:
        obj = f.object.label if hasattr(f.object, "label") else f.object.text
        rows.add((f.subject.label, f.predicate, obj))
    return resolved, rows


def test_row_facts(toolkit):
    _, facts = facts_of(CELL_LINES, toolkit)
    project = "优化营商环境,落实“项目管家”制度"
    assert {
        (project, "ordinal", "1"),
        (project, "leadPerson", "张三"),
        (project, "leadUnit", "招商部"),
        (project, "leadUnit", "安商部"),
        (project, "deadline", "全年"),
        (project, "deadlineDate", "2025"),  # the year of the title line
        ("盘活存量土地", "deadlineDate", "2025-06"),
    } <= facts


def test_box_row_facts_keep_true_offsets(toolkit):
    resolved, facts = facts_of(BOX, toolkit, "tasks")
    assert ("抓好财税工作", "leadUnit", "国家税务局") in facts  # 国家税务 + 局 on the next line
    assert ("加强财政监督,提高效益", "leadUnit", "市教育局") in facts
    assert ("调整支出结构", "leadPerson", "张三") in facts
    for mention in resolved.mentions:
        for span in (mention.span, mention.exact):
            assert BOX[span.start : span.end] == span.text
    # A name read across lines is the joined name; what was written (with the frame) is its span.
    unit = next(m for m in resolved.mentions if m.entity.label == "国家税务局")
    assert unit.exact.text.startswith("国家税务") and unit.exact.text.endswith("局")
    assert unit.written_form == "国家税务局"


def test_padded_names_run_together(toolkit):
    text = "序号 |\n目标与任务 |\n分 管 县领导 |\n牵头责任单位 |\n责任单位 |\n81 |\n发展职业教育。 |\n陆 明俞 悦 |\n县教育局 |\n县各有关单位 |\n"
    _, facts = facts_of(text, toolkit)
    assert {("发展职业教育", "leadPerson", "陆明"), ("发展职业教育", "leadPerson", "俞悦")} <= facts
    assert ("发展职业教育", "supportUnit", "县各有关单位") in facts  # 责任单位 beside 牵头责任单位


def test_split_pipes_cells_and_offsets():
    from kg.model import Span
    from kg.tables import _split_pipes

    text = "| 甲 |乙｜ |"
    assert _split_pipes(Span(10, 10 + len(text), text)) == [
        Span(10, 10, ""),
        Span(12, 13, "甲"),
        Span(15, 16, "乙"),
        Span(17, 17, ""),
        Span(19, 19, ""),
    ]
    assert _split_pipes(Span(5, 8, " 丙 ")) == [Span(6, 7, "丙")]  # a line without pipes is one cell


# A table whose cells a mirror glued together (成都, 西城): the header's names run on, each row
# runs on after its number, a site's page mark ("2、") breaks a unit's name over two lines.
GLUED_RUN_ON = (
    "贯彻落实甲制度重点任务责任分工表.docx\n"
    "1、贯彻落实甲制度重点任务责任分工表序号工作内容目标任务责任单位备注"
    "1将甲分类投放作为精神文明建设的重要内容,加强宣传发动;广泛开展志愿活动。2021年2月底前,群众知晓率达90%以上。"
    "市委宣传部(市文明办)、市城管委,市住建局、团市委、市文广旅局等部门,各区(市)县政府(管委会)"
    "2完善回收利用体系,优化社区回收设施布局。2021年2月底前,基本建成回收利用体系。市商务局,市\n"
    "2、住建局、市发改委,各区(市)县政府(管委会)3加强家庭源危险废物处置的规范化管理。2021年2月底前,制定12个指导意见。"
    "市生态环境局\n"
)
GLUED_LINES = (
    "某区政府2020年重点工作任务目标全年完成情况\n"
    "类别序号重点督办内容牵头单位全年完成情况\n"
    "经济社会发展主要预期目标1地区生产总值增长6%左右。区发展改革委某区地区生产总值增速调整为正增长。\n"
    "经济社会发展主要预期目标2区级一般公共预算收入增长2%左右。区财政局某区一般公共预算收入完成413.84亿元。\n"
)


def test_glued_table_rows_and_cells(table_rules):
    """Rows by their numbers counting up (not 2021年2月, 90%, 12个 or a page mark), cells by what
    each column holds, every piece at its true offsets."""
    rules = TableRules(table_rules.columns, table_rules.bullets, table_rules.section, says_who=_says_who(), glued_row=_glued_row())
    rows = read_rows(GLUED_RUN_ON, rules)
    assert [dict(row)["ordinal"] for row in rows] == ["1", "2", "3"]
    first = rows[0]
    assert first[1] == ("project", "将甲分类投放作为精神文明建设的重要内容,加强宣传发动;广泛开展志愿活动。")
    assert first[2] == ("other", "2021年2月底前,群众知晓率达90%以上。")  # a row's first task cell names it
    assert first[3] == ("unit", "市委宣传部(市文明办)、市城管委,市住建局、团市委、市文广旅局等部门,各区(市)县政府(管委会)")
    assert rows[1][3] == ("unit", "市商务局,市住建局、市发改委,各区(市)县政府(管委会)")  # over the page mark
    assert rows[2][3] == ("unit", "市生态环境局")
    by_line = read_rows(GLUED_LINES, rules)
    assert by_line[0] == [
        ("category", "经济社会发展主要预期目标"),
        ("ordinal", "1"),
        ("project", "地区生产总值增长6%左右。"),
        ("leadUnit", "区发展改革委"),
        ("other", "某区地区生产总值增速调整为正增长。"),  # not a unit: no list goes on after 区发展改革委
    ]
    assert by_line[1][3] == ("leadUnit", "区财政局")


def test_glued_table_facts(toolkit):
    _, facts = facts_of(GLUED_RUN_ON, toolkit, "tasks")
    task = "将甲分类投放作为精神文明建设的重要内容,加强宣传发动"
    assert {(task, "ordinal", "1"), (task, "deadline", "2021年2月底前"), (task, "leadUnit", "市委宣传部(市文明办)"), (task, "leadUnit", "市城管委")} <= facts
    assert (task, "leadUnit", "部门") not in facts  # "市文广旅局等部门": the list's end
    assert ("完善回收利用体系,优化社区回收设施布局", "leadUnit", "市住房和城乡建设局") in facts  # 市住建局 over the page mark
    _, facts = facts_of(GLUED_LINES, toolkit, "tasks")
    assert {
        ("地区生产总值增长6%左右", "leadUnit", "区发展和改革委员会"),
        ("地区生产总值增长6%左右", "tier", "经济社会发展主要预期目标"),
        ("区级一般公共预算收入增长2%左右", "ordinal", "2"),
    } <= facts
    assert not any(obj == "某区地区生产总值增速调整为正增长" for _, _, obj in facts)


def _says_who():
    """Units, or collectives, in a list: as kg.segment reads a cell of who does the work."""
    brackets = load_toolkit().genres["tasks"].brackets
    return lambda text: all(brackets.is_unit(p) or p.startswith("各") for p in re.split("[、，,]", text) if p)


def _glued_row():
    return load_toolkit().genres["tasks"].patterns["glued_row"][0]


def test_an_items_name_keeps_no_pipe_of_a_table_it_could_not_read(toolkit):
    """A numbered cell of a table read as an item ("1.甲路 |", 新建): its name stops before the pipe."""
    text = "2024年民生实事项目进度表\n序号 |\n项目名称 |\n业主单位 |\n||\n一 |\n区住建局 |\n区政府民生实事项目(1个) |\n1.文化中心北路 |\n区城投 |\n已完工 |\n2.乐业路 |\n区城管局 |\n"
    _, facts = facts_of(text, toolkit, "tasks")
    names = {subject for subject, _, _ in facts}
    assert "乐业路" in names and not any(name.endswith("|") for name in names)


def test_a_box_table_whose_first_column_spans_the_rows(table_rules):
    """A category written a character a line down the first column (宁波): the rule under the
    header leaves that column open, and the header is read."""
    text = (
        "┌─┬──┬─────┬─────┬─────┐\n"
        "│技│序号│ 项目 │ 责任单位 │ 配合单位 │\n"
        "│ ├──┼─────┼─────┼─────┤\n"
        "│术│ 9 │工业用水重│ 市经委 │ 市城管局 │\n"
        "│ │ │复利用率 │ │ 市水利局 │\n"
        "│考├──┼─────┼─────┼─────┤\n"
        "│核│ 10 │城市供水管│ 市城管局 │鄞州区政府│\n"
        "│ │ │网漏损率 │ │ │\n"
        "└─┴──┴─────┴─────┴─────┘\n"
    )
    rows = read_rows(text, table_rules)
    assert [dict(row).get("project") for row in rows] == ["工业用水重复利用率", "城市供水管网漏损率"]
    assert dict(rows[1])["supportUnit"] == "鄞州区政府"


def test_a_row_number_over_several_rows_gives_way_to_the_tasks_own(toolkit):
    """A unit's number spans its tasks, each numbered in its cell (郑州): each task's ordinal is its
    own number; a row number of one row stays the row's."""
    text = (
        "┌──┬────┬──────────────┬─────┐\n"
        "│序号│责任单位│ 任务目标 │ 完成时间 │\n"
        "├──┼────┼──────────────┼─────┤\n"
        "│ 1 │ 甲区 │1.新建绿地50万平方米。 │2006.11.30│\n"
        "│ │ ├──────────────┼─────┤\n"
        "│ │ │2.新建游园5个。 │2006.11.30│\n"
        "├──┼────┼──────────────┼─────┤\n"
        "│ 2 │ 乙区 │1.新植乔木2万株。 │2006.04.30│\n"
        "└──┴────┴──────────────┴─────┘\n"
    )
    _, facts = facts_of(text, toolkit, "tasks")
    assert {("新建绿地50万平方米", "ordinal", "1"), ("新建游园5个", "ordinal", "2"), ("新植乔木2万株", "ordinal", "2")} <= facts
    assert ("新建游园5个", "ordinal", "1") not in facts and ("新植乔木2万株", "ordinal", "1") not in facts

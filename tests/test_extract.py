"""kg.extract: officials, problems, levels, measures, prose projects, project keys, group lists.

Sentences come from pingshan-2017-reform-plan.txt and the shared corpus, copied in. Each is placed
inside a small document (after ``PREFIX``) so that offsets are checked away from 0.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.extract import (
    QUOTES,
    extract_records,
    find_levels,
    find_measures,
    find_officials,
    find_problems,
    find_prose_project,
    normalize_key,
    project_key,
    trim_span,
)
from kg.model import SourceDocument, Span, StatedFigure, Value
from kg.segment import segment_document, split_clauses

ROOT = Path(__file__).resolve().parents[1]

PREFIX = "据了解。\n"


def cases(table):
    """A table's rows as pytest params: a plain row is ``(id, *values)``; a ``pytest.param`` passes as is."""
    return [row if isinstance(row, type(pytest.param())) else pytest.param(*row[1:], id=row[0]) for row in table]


def in_document(sentence: str) -> tuple[str, Span]:
    """A document holding ``sentence`` after ``PREFIX``, and the sentence's span in it."""
    return PREFIX + sentence + "\n", Span(len(PREFIX), len(PREFIX) + len(sentence), sentence)


def extract_text(text, plan, lexicon):
    document = SourceDocument("d", "d.txt", "d.txt", text)
    return extract_records(document, segment_document(document, plan, lexicon), plan, lexicon)


# --- officials ---------------------------------------------------------------------------

# (id, sentence, expected officials as (posts, person or None))
OFFICIAL_CASES = [
    ("post-and-name", "区委书记吕玉印亲自牵头深化基层治理体制改革项目", [(("区委书记",), "吕玉印")]),
    ("full-post-after-er", "而区长陶永欣则牵头民生诉求渠道流程优化改革", [(("区长",), "陶永欣")]),
    ("chain-of-two-posts", "会议由县委书记、县人大常委会主任熊亚平主持", [(("县委书记", "县人大常委会主任"), "熊亚平")]),
    ("two-posts-no-person", "由区委书记和区长分别牵头", [(("区委书记",), None), (("区长",), None)]),
    ("chain-no-person", "区委书记、区长领任务", [(("区委书记", "区长"), None)]),
    ("bureau-director", "会上,县科技局局长胡锋平就《通城县“国家知识产权强县工程试点”工作实施方案(送审稿)》起草情况作说明", [(("县科技局局长",), "胡锋平")]),
    (
        "two-officials-in-one-clause",
        "县水利局局长吴彤、县发改局局长汪向东分别就水利局改革项目和发改局改革项目作述职述责",
        [(("县水利局局长",), "吴彤"), (("县发改局局长",), "汪向东")],
    ),
    ("group-leader", "市委书记、市委全面深化改革领导小组组长王敏对深入贯彻中央和省委部署提出要求", [(("市委书记", "市委全面深化改革领导小组组长"), "王敏")]),
    ("field-value", "区委书记吕玉印", [(("区委书记",), "吕玉印")]),
    ("no-post", "持续在社区基层治理上攻坚突破", []),
    ("not-inside-shequ-changqi", "解决社区长期存在的问题", []),
    # jieba cuts 王兴/电; a name that runs up to punctuation is taken whole.
    ("three-character-name-before-comma", "县委常委、常务副县长王兴电，县委常委", [(("县委常委", "常务副县长"), "王兴电"), (("县委常委",), None)]),
    ("name-before-bracket-is-not-lengthened", "县科技局局长胡锋平就《方案》作说明", [(("县科技局局长",), "胡锋平")]),
    # jieba cuts 陈新/日/安排: a lone character between a two-character name and a verb ends the name.
    ("three-character-name-before-verb", "县委常委、县委办公室主任陈新日安排部署了迎接省市2017年度全面深化改革考评检查工作", [(("县委常委", "县委办公室主任"), "陈新日")]),
    ("two-character-name-before-verb", "区委书记朱龙主持召开会议", [(("区委书记",), "朱龙")]),
    ("two-character-name-then-adverb", "区长刘强则牵头流程优化改革", [(("区长",), "刘强")]),
    ("two-character-name-then-particle", "副区长刘强等参加", [(("副区长",), "刘强")]),
    ("trade-union-chair", "县委常委、县总工会主席罗小虎分别就分管的改革工作述职述责", [(("县委常委", "县总工会主席"), "罗小虎")]),
    # In a chain, a unit's post needs no level word; alone it does.
    ("office-director-without-level", "党工委副书记、纪工委书记、全面深化改革小组办公室主任周冠中", [(("党工委副书记", "纪工委书记", "全面深化改革小组办公室主任"), "周冠中")]),
    ("unit-post-without-level-outside-a-chain", "听取了科技局、改革小组办公室主任汇报", []),
]


@pytest.mark.parametrize("sentence, expected", cases(OFFICIAL_CASES))
def test_find_officials(sentence, expected, lexicon, assert_offsets):
    text, span = in_document(sentence)
    officials = find_officials(span, lexicon)
    got = [(tuple(p.text for p in o.posts), o.person.text if o.person else None) for o in officials]
    assert got == expected
    assert_offsets(text, [s for o in officials for s in (*o.posts, o.person) if s is not None])


# --- problems ----------------------------------------------------------------------------

# (id, sentence, expected problems)
PROBLEM_CASES = [
    (
        "item-1-three-problems",
        "针对职责划分不清晰、管理链条长、居民自治活力不足等突出问题，深化基层治理体制改革，持续在社区基层治理上攻坚突破，进一步提升基层治理质量。",
        ["职责划分不清晰", "管理链条长", "居民自治活力不足"],
    ),
    (
        "item-1-prose-ascii-commas",
        "针对基层职责划分不清晰、管理链条长、居民自治活力不足等问题,区委书记吕玉印亲自牵头深化基层治理体制改革项目,持续在社区基层治理上攻坚突破。",
        ["基层职责划分不清晰", "管理链条长", "居民自治活力不足"],
    ),
    (
        "item-2-five-problems",
        "针对市民与政府的沟通渠道不顺畅、市民诉求处理过程不透明且无法追踪、对处理结果缺乏反馈与互动、需多方协调解决的事件难于明确牵头单位、"
        "责任部门对事件处置缺乏力度等问题,从统一受理渠道、健全分拨机制、界定办理期限、建立处置协调机制、完善督办问责制度等方面着手,以信息化手段。",
        ["市民与政府的沟通渠道不顺畅", "市民诉求处理过程不透明且无法追踪", "对处理结果缺乏反馈与互动", "需多方协调解决的事件难于明确牵头单位", "责任部门对事件处置缺乏力度"],
    ),
    (
        "item-3-development-bottleneck",
        "针对坪山科技创新总体水平不高、科技创新支撑产业发展的能力不强、创新创业服务不优的发展瓶颈,持续深化科技、产业创新体制机制改革。",
        ["坪山科技创新总体水平不高", "科技创新支撑产业发展的能力不强", "创新创业服务不优"],
    ),
    (
        "item-4-drops-the-setting",
        "针对当前城市更新推进过程中,开发企业圈地行为管控不足,项目统筹力度不强、城区产业发展及公共服务配套缺乏前瞻性规划等问题,推进城市更新体制机制改革。",
        ["开发企业圈地行为管控不足", "项目统筹力度不强", "城区产业发展及公共服务配套缺乏前瞻性规划"],
    ),
    (
        "item-5-keeps-adjective-list-whole",
        "针对当前坪山基层医疗卫生服务薄弱,不能满足社区居民便捷化、高质量医疗服务需求的问题,加大力度补齐民生短板,建立健全分级诊疗制度。",
        ["坪山基层医疗卫生服务薄弱", "不能满足社区居民便捷化、高质量医疗服务需求"],
    ),
    (
        "item-7-phenomenon-then-problems",
        "针对市与区级,政府与部门间存在“信息孤岛”现象,同时区内事权不一致、权责不清等问题,深入落实强区放权改革,做好“放管服”工作。",
        ["市与区级,政府与部门间存在“信息孤岛”现象", "区内事权不一致", "权责不清"],
    ),
    (
        "item-8-strips-dangqian",
        "针对当前社区党建标准化任务仍未全部达标、社区党委领导核心地位还有待进一步加强、社区党员先锋模范作用发挥还不够明显等问题,全面推进党建标准化建设。",
        ["社区党建标准化任务仍未全部达标", "社区党委领导核心地位还有待进一步加强", "社区党员先锋模范作用发挥还不够明显"],
    ),
    (
        "item-9",
        "针对当前改革创新推进过程中的试错界限不明确、纠错措施不区分、激励政策不突出等问题,持续深化从严治党体制机制改革。",
        ["改革创新推进过程中的试错界限不明确", "纠错措施不区分", "激励政策不突出"],
    ),
    ("pojie-frame", "破解市民与政府的沟通渠道不顺畅、诉求处置不力问题,将从完善机制着手。", ["市民与政府的沟通渠道不顺畅", "诉求处置不力"]),
    pytest.param(
        "一些部门间存在“信息孤岛”现象,影响办事效率。", ["一些部门间存在“信息孤岛”"], id="phenomenon-alone-keeps-quotes-balanced",
            ),
    ("no-frame", "持续在社区基层治理上攻坚突破,进一步提升基层治理质量。", []),
]


@pytest.mark.parametrize("sentence, expected", cases(PROBLEM_CASES))
def test_find_problems(sentence, expected, plan, lexicon, assert_offsets):
    text, span = in_document(sentence)
    problems = find_problems(span, plan, lexicon)
    assert [p.text for p in problems] == expected
    assert_offsets(text, problems)


# --- levels ------------------------------------------------------------------------------

# (id, sentence, expected levels)
LEVEL_CASES = [
    ("quoted-chain", "建立“区-街道-社区”三级权责清单", ["区", "街道", "社区"]),
    ("em-dash-chain", "建立“区—街道—社区”三级权责清单", ["区", "街道", "社区"]),
    ("enumeration", "将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。", ["区", "街道", "社区"]),
    ("enumeration-with-ji", "打造区、街道、社区三级公共文化服务平台", ["区", "街道", "社区"]),
    ("national-provincial-city", "既围绕国家、省、市普遍关注的科技产业创新", ["国家", "省", "市"]),
    ("yu-and-ji", "针对市与区级,政府与部门间存在“信息孤岛”现象", ["市", "区"]),
    ("level-ji", "推进区级审批事项下放", ["区"]),
    ("standalone-word", "启动居民小组党建标准化建设", ["居民小组"]),
    ("single-character-inside-word", "城区产业发展", []),
    ("shichang", "市场", []),
    ("no-level-word", "推进审批事项下放", []),
    ("level-in-a-later-block", "目标明确，2024年推进区级审批", ["区"]),
    ("standalone-in-a-later-block", "目标明确，启动居民小组党建", ["居民小组"]),
    ("shimin", "破解市民与政府的沟通渠道不顺畅", []),
    # only the blocks a run starts or ends in, or holding a standalone word, are cut
    ("carved-out-of-words", "推进城市、区域协调发展", []),
    ("run-over-two-blocks-then-standalone", "理顺区、街道职能，启动社区党建", ["区", "街道", "社区"]),
    ("standalone-before-a-run", "启动社区党建，推进区级审批", ["社区", "区"]),
    pytest.param(
        "在留学人员集中的重点城市、区域建立“接触广州”人才联络站", [], id="chain-carved-out-of-words",
            ),
]


@pytest.mark.parametrize("sentence, expected", cases(LEVEL_CASES))
def test_find_levels(sentence, expected, plan, lexicon, assert_offsets):
    text, span = in_document(sentence)
    levels = find_levels(span, plan, lexicon)
    assert [lv.text for lv in levels] == expected
    assert_offsets(text, levels)


# --- measures ----------------------------------------------------------------------------

# (id, clause, the project's keys to exclude, expected measures)
MEASURE_CASES = [
    ("measure-verb", "建立“区-街道-社区”三级权责清单", set(), ["建立“区-街道-社区”三级权责清单"]),
    ("adverb-stripped", "切实推进社区减负增效", set(), ["推进社区减负增效"]),
    ("jiang-stripped", "将理顺区、街道、社区职能", set(), ["理顺区、街道、社区职能"]),
    ("no-measure-verb", "进一步提升基层治理质量", set(), []),
    ("project-name-excluded", "深化基层治理体制改革", {"深化基层治理体制改革"}, []),
]


@pytest.mark.parametrize("clause, exclude, expected", cases(MEASURE_CASES))
def test_find_measures(clause, exclude, expected, lexicon, assert_offsets):
    text, span = in_document(clause)
    measures = find_measures([span], lexicon, exclude)
    assert [m.text for m in measures] == expected
    assert_offsets(text, measures)


# --- projects in prose -------------------------------------------------------------------

# (id, clause, first clause of its sentence?, expected project name or None)
PROSE_PROJECT_CASES = [
    ("verb-stripped", "深化安全生产监管体制改革", True, "安全生产监管体制改革"),
    ("shixing", "实行政府投资项目全流程优化改革", True, "政府投资项目全流程优化改革"),
    ("verb-inside-clause-keeps-quotes", "还有一个重要发力点就是创新“互联网+”工作机制", True, "“互联网+”工作机制"),
    ("number-in-clause", "全年预计在28个项目中进行改革创新", True, None),
    ("number-in-later-clause", "全年预计在28个项目中进行改革创新", False, None),
    ("gaige-needs-no-verb", "市区共建城市管理治理创新体系改革", True, "市区共建城市管理治理创新体系改革"),
    ("adverbs-and-verbs-stripped", "也会探索建立旧工业区改造升级模式", True, "旧工业区改造升级模式"),
    ("moshi-in-later-clause-is-a-measure", "也会探索建立旧工业区改造升级模式", False, None),
    ("gaige-in-later-clause", "推行公共服务均等化改革", False, "公共服务均等化改革"),
    ("opening-quote-trimmed", "“还将探索社区集体经济监管体制机制改革", True, "社区集体经济监管体制机制改革"),
    ("gaige-chuangxin", "促进生态文明体制改革创新", True, "生态文明体制改革创新"),
    ("enumeration-inside-name", "深化生态旅游资源保护、开发利用机制体制改革", True, "生态旅游资源保护、开发利用机制体制改革"),
    ("no-head", "提升政府服务效能", True, None),
    ("chinese-numeral-first", "三项改革", True, None),
]


@pytest.mark.parametrize("clause, first, expected", cases(PROSE_PROJECT_CASES))
def test_find_prose_project(clause, first, expected, lexicon, assert_offsets):
    text, span = in_document(clause)
    name = find_prose_project(span, lexicon, first_in_sentence=first)
    assert (name.text if name else None) == expected
    if name:
        assert_offsets(text, [name])


# (id, name, expected key)
PROJECT_KEY_CASES = [
    ("listed-with-verb", "深化基层治理体制改革", "基层治理体制改革"),
    ("prose-without-verb", "基层治理体制改革", "基层治理体制改革"),
    ("trailing-xiangmu", "深化基层治理体制改革项目", "基层治理体制改革"),
    ("two-verbs", "探索建立基层医疗集团", "基层医疗集团"),
    ("quotes-dropped", "“互联网+”工作机制", "互联网+工作机制"),
    ("full-width-plus-normalised", "“互联网＋”工作机制", "互联网+工作机制"),
    ("too-short-to-strip", "进一步深化改革", "深化改革"),
]


@pytest.mark.parametrize("name, expected", cases(PROJECT_KEY_CASES))
def test_project_key(name, expected, lexicon):
    assert project_key(name, lexicon) == expected


# (id, listed name, prose name) that must be one project
SAME_PROJECT_CASES = [
    ("listed-and-prose", "深化基层治理体制改革", "基层治理体制改革"),
    ("prose-with-xiangmu", "深化基层治理体制改革", "深化基层治理体制改革项目"),
    ("deep-implementation", "深入落实强区放权改革", "强区放权改革"),
]


@pytest.mark.parametrize("listed, prose", cases(SAME_PROJECT_CASES))
def test_project_key_unites_forms(listed, prose, lexicon):
    assert project_key(listed, lexicon) == project_key(prose, lexicon)


# (id, text, expected key)
NORMALIZE_KEY_CASES = [
    ("white-space-and-quotes", " “互联网＋” 工作\t机制", "互联网+工作机制"),
    ("full-width-letters-and-digits", "ＡＢ２８", "AB28"),
    ("corner-brackets", "「放管服」改革", "放管服改革"),
    # every character isspace() is true of goes: ideographic space, line breaks, \x1c
    ("all-white-space", "甲\u3000乙\r\n丙\x1c丁\u00a0戊", "甲乙丙丁戊"),
]


@pytest.mark.parametrize("text, expected", cases(NORMALIZE_KEY_CASES))
def test_normalize_key(text, expected):
    assert normalize_key(text) == expected


# (id, text, characters to trim, expected)
TRIM_CASES = [
    ("quotes-and-deng", "“经济体制等”", QUOTES + "等", "经济体制"),
    ("white-space", "  社区 \t", "", "社区"),
    ("everything-trimmed", "“”", QUOTES, ""),
    ("inner-kept", "“互联网+”工作机制", QUOTES, "互联网+”工作机制"),
]


@pytest.mark.parametrize("value, chars, expected", cases(TRIM_CASES))
def test_trim_span(value, chars, expected, assert_offsets):
    text, span = in_document(value)
    trimmed = trim_span(span, chars)
    assert trimmed.text == expected
    if trimmed.text:
        assert_offsets(text, [trimmed])


# --- groups listed in prose (find_group_lists, through extract_records) ------------------

GROUPS_3 = "此次的“区重点改革项目”分别由经济体制、社会体制和司法体制、纪律检查体制等3个改革专项小组负责实施。"

# (id, document text, expected (group label, text as written), expected figures (label, value), warnings)
GROUP_LIST_CASES = [
    (
        "three-groups",
        GROUPS_3,
        [("经济体制改革专项小组", "经济体制"), ("社会体制和司法体制改革专项小组", "社会体制和司法体制"), ("纪律检查体制改革专项小组", "纪律检查体制")],
        [("3个改革专项小组", 3)],
        [],
    ),
    (
        "chinese-numeral-count",
        GROUPS_3.replace("等3个", "等三个"),
        [("经济体制改革专项小组", "经济体制"), ("社会体制和司法体制改革专项小组", "社会体制和司法体制"), ("纪律检查体制改革专项小组", "纪律检查体制")],
        [("三个改革专项小组", 3)],
        [],
    ),
    (
        "count-mismatch-warns",
        GROUPS_3.replace("等3个", "等4个"),
        [("经济体制改革专项小组", "经济体制"), ("社会体制和司法体制改革专项小组", "社会体制和司法体制"), ("纪律检查体制改革专项小组", "纪律检查体制")],
        [("4个改革专项小组", 4)],
        [
            "d.txt: the text says 4 groups (4个改革专项小组) but lists 3: "
            "经济体制改革专项小组、社会体制和司法体制改革专项小组、纪律检查体制改革专项小组"
        ],
    ),
    (
        "suffix-already-written",
        "由经济体制改革专项小组、民生体制等2个改革专项小组负责。",
        [("经济体制改革专项小组", "经济体制改革专项小组"), ("民生体制改革专项小组", "民生体制")],
        [("2个改革专项小组", 2)],
        [],
    ),
    ("no-list", "这些改革项目,关系到坪山大发展。", [], [], []),
]


@pytest.mark.parametrize("text, groups, figures, warnings", cases(GROUP_LIST_CASES))
def test_group_lists(text, groups, figures, warnings, plan, lexicon, assert_offsets):
    extraction = extract_text(text, plan, lexicon)
    mentions = [m for m in extraction.mentions if m.entity.kind == "group"]
    assert [(m.entity.label, m.exact.text) for m in mentions] == groups
    assert all(m.entity.key == normalize_key(m.entity.label) for m in mentions)
    assert [(f.label, f.value) for f in extraction.figures] == figures
    assert all(f.counts == "group" and f.scope is None and f.evidence.text == text for f in extraction.figures)
    assert list(extraction.warnings) == warnings
    assert_offsets(text, [s for m in extraction.mentions for s in (m.span, m.exact)] + [f.evidence for f in extraction.figures])


# --- whole small documents ---------------------------------------------------------------

ITEMS = (
    "改革项目一览表\n"
    "1.深化基层治理体制改革牵头区领导:区委书记吕玉印\n"
    "将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。这是社会体制和司法体制改革专项小组负责项目。\n"
    "2.民生诉求渠道流程优化改革牵头区领导:区长陶永欣\n"
    "针对市民与政府的沟通渠道不顺畅等问题,开发建设统一的民生诉求受理监督平台。这是经济体制改革专项小组负责项目。\n"
)
TIERS = (
    "据了解,坪山本年度的28个改革项目中,分别列为“区主要领导牵头改革项目”“区重点改革项目”“区一般改革项目”三类层次。"
    "此次的“区重点改革项目”分别由经济体制、民生体制等2个改革专项小组负责实施。\n"
)
TIER_POSTS = (
    "分别列为“区主要领导牵头改革项目”“区重点改革项目”“区一般改革项目”三类层次。"
    "其中,“区主要领导牵头改革项目”有两个,均与基层民生密切相关,由区委书记和区长分别牵头。\n"
)
PROSE_LEAD = "而区长陶永欣则牵头民生诉求渠道流程优化改革,破解市民与政府的沟通渠道不顺畅、诉求处置不力问题。\n"

# (id, document text, expected facts as (subject label, predicate, object label or literal, rule))
DOCUMENT_CASES = [
    (
        "listed-items-with-fields",
        ITEMS,
        [
            ("深化基层治理体制改革", "ordinal", "1", "item-number"),
            ("吕玉印", "holdsPost", "区委书记", "field-lead"),
            ("深化基层治理体制改革", "leadPost", "区委书记", "field-lead"),
            ("深化基层治理体制改革", "leadPerson", "吕玉印", "field-lead"),
            ("深化基层治理体制改革", "involvesLevel", "区", "level-word"),
            ("深化基层治理体制改革", "involvesLevel", "街道", "level-word"),
            ("深化基层治理体制改革", "involvesLevel", "社区", "level-word"),
            ("深化基层治理体制改革", "hasMeasure", "理顺区、街道、社区职能", "measure-verb"),
            ("深化基层治理体制改革", "responsibleGroup", "社会体制和司法体制改革专项小组", "responsible-group"),
            ("民生诉求渠道流程优化改革", "ordinal", "2", "item-number"),
            ("陶永欣", "holdsPost", "区长", "field-lead"),
            ("民生诉求渠道流程优化改革", "leadPost", "区长", "field-lead"),
            ("民生诉求渠道流程优化改革", "leadPerson", "陶永欣", "field-lead"),
            ("民生诉求渠道流程优化改革", "addressesProblem", "市民与政府的沟通渠道不顺畅", "problem-frame"),
            ("民生诉求渠道流程优化改革", "hasMeasure", "开发建设统一的民生诉求受理监督平台", "measure-verb"),
            ("民生诉求渠道流程优化改革", "responsibleGroup", "经济体制改革专项小组", "responsible-group"),
        ],
    ),
    (
        "tiers-carried-out-by-groups",
        TIERS,
        [
            ("区重点改革项目", "carriedOutBy", "经济体制改革专项小组", "tier-groups"),
            ("区重点改革项目", "carriedOutBy", "民生体制改革专项小组", "tier-groups"),
        ],
    ),
    (
        "tier-led-by-posts",
        TIER_POSTS,
        [
            ("区主要领导牵头改革项目", "ledByPost", "区委书记", "tier-posts"),
            ("区主要领导牵头改革项目", "ledByPost", "区长", "tier-posts"),
        ],
    ),
    (
        "lead-in-prose",
        PROSE_LEAD,
        [
            ("陶永欣", "holdsPost", "区长", "lead-in-prose"),
            ("民生诉求渠道流程优化改革", "leadPost", "区长", "lead-in-prose"),
            ("民生诉求渠道流程优化改革", "leadPerson", "陶永欣", "lead-in-prose"),
            ("民生诉求渠道流程优化改革", "addressesProblem", "市民与政府的沟通渠道不顺畅", "problem-frame"),
            ("民生诉求渠道流程优化改革", "addressesProblem", "诉求处置不力", "problem-frame"),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", cases(DOCUMENT_CASES))
def test_extract_records(text, expected, plan, lexicon, assert_offsets):
    extraction = extract_text(text, plan, lexicon)
    got = [
        (f.subject.label, f.predicate, f.object.text if isinstance(f.object, Value) else f.object.label, f.rule)
        for f in extraction.facts
    ]
    assert got == expected
    assert not any(f.inferred for f in extraction.facts)
    assert_offsets(text, [s for f in extraction.facts for s in f.evidence])
    assert_offsets(text, [s for m in extraction.mentions for s in (m.span, m.exact)])
    assert_offsets(text, extraction.used)


# (id, document text, expected figures as (label, value, counts, scope key or None))
FIGURE_CASES = [
    (
        "tiers-projects-groups",
        TIERS,
        [("三类层次", 3, "tier", None), ("28个改革项目", 28, "project", None), ("2个改革专项小组", 2, "group", None)],
    ),
    (
        "projects-in-one-tier",
        TIER_POSTS,
        [("三类层次", 3, "tier", None), ("“区主要领导牵头改革项目”有两个", 2, "project", "区主要领导牵头改革项目")],
    ),
    ("qualified-project-count", "探索设立“一站式”科技创新服务站、建筑废弃物资源化试点等5个重点项目将被重点推进。", [("5个重点项目", 5, "project:重点", None)]),
    ("no-figure", "这些改革项目,关系到坪山大发展。", []),
]


@pytest.mark.parametrize("text, expected", cases(FIGURE_CASES))
def test_extract_records_figures(text, expected, plan, lexicon, assert_offsets):
    extraction = extract_text(text, plan, lexicon)
    got = [(f.label, f.value, f.counts, f.scope.key if f.scope else None) for f in extraction.figures]
    assert got == expected
    assert all(isinstance(f, StatedFigure) and f.label in f.evidence.text for f in extraction.figures)
    assert_offsets(text, [f.evidence for f in extraction.figures])


def test_clauses_feed_prose_projects(plan, lexicon):
    """The Pingshan sentence naming one project in its first clause and measures after it."""
    sentence = "深化安全生产监管体制改革,探索建立管控排查预防体系。"
    text, span = in_document(sentence)
    clauses = split_clauses(span, plan)
    names = [find_prose_project(c, lexicon, first_in_sentence=i == 0) for i, c in enumerate(clauses)]
    assert [n.text if n else None for n in names] == ["安全生产监管体制改革", None]


# --- fields, units, deadlines ----------------------------------------------------------------

from kg.extract import find_field_regions, read_deadline, split_list  # noqa: E402


@pytest.mark.parametrize(
    "text, expected",
    [
        ("甲、乙", ["甲", "乙"]),
        ("各县(市、区)政府,市财政局、国家税务局", ["各县(市、区)政府", "市财政局", "国家税务局"]),
        ("市级各有关部门及各县市区政府", ["市级各有关部门", "各县市区政府"]),
        ("区发展和改革局", ["区发展和改革局"]),  # 和 is inside names, never a separator
    ],
)
def test_split_list(text, expected, plan, assert_offsets):
    pieces = split_list(Span(len(PREFIX), len(PREFIX) + len(text), text), plan.list_seps)
    assert [p.text for p in pieces] == expected
    assert_offsets(PREFIX + text, pieces)


@pytest.mark.parametrize(
    "text, expected",
    [
        # corpus 04: cue words in a full-width parenthesis
        ("形成一批重大制度创新。（牵头单位：市发展改革委，配合单位：市委组织部、各区、县级市）", [("leadUnit", "市发展改革委"), ("supportUnit", "市委组织部、各区、县级市")]),
        # corpus 01: ASCII parenthesis, leaders without posts, cut short before it closes
        ("形成一批重大制度创新。(牵头区领导:刘胜、夏东;牵头单位:区发展改革局;", [("lead", "刘胜、夏东"), ("leadUnit", "区发展改革局")]),
        # corpus 05: square brackets, a unit with its own parenthesis
        ("切实巩固成果。[牵头单位:区卫健局;责任单位:各街办(新区)]", [("leadUnit", "区卫健局"), ("unit", "各街办(新区)")]),
        # corpus 03 (simplified): 甲牵头，乙按职责分工负责
        ("确保无缝衔接。(市政府办公室牵头,市级各有关部门按职责分工负责)", [("leadUnit", "市政府办公室"), ("supportUnit", "市级各有关部门")]),
        # corpus 16 (simplified): all units lead
        ("实施期限延长。(市人力资源社会保障局、市财政局负责)", [("leadUnit", "市人力资源社会保障局、市财政局")]),
        # a parenthesis that is no field
        ("依法决定是否受理(不予受理的应当告知理由)。", []),
    ],
)
def test_find_field_regions(text, expected, plan, assert_offsets):
    span = Span(len(PREFIX), len(PREFIX) + len(text), text)
    regions = find_field_regions(span, plan)
    pairs = [(field, value.text) for _, found in regions for field, value in found]
    assert pairs == expected
    assert_offsets(PREFIX + text, [r for r, _ in regions] + [v for _, found in regions for _, v in found])


@pytest.mark.parametrize(
    "written, year, expected",
    [
        ("2022年10月底前", None, Value("2022-10", "gYearMonth")),
        ("2021年12月31日", None, Value("2021-12-31", "date")),
        ("6月30日前", 2025, Value("2025-06-30", "date")),
        ("全年", 2025, Value("2025", "gYear")),
        ("年内见成效", 2020, Value("2020", "gYear")),
        ("2018年底前", None, Value("2018", "gYear")),
        ("全年", None, None),  # no year to read it in
        ("长期", 2025, None),
        ("13月底前", 2025, None),
        ("2月30日前", 2025, None),
    ],
)
def test_read_deadline(written, year, expected, plan):
    assert read_deadline(written, plan, year) == expected


@pytest.mark.parametrize(
    "written, full",
    [
        ("区发改局", "区发展和改革局"),
        ("市发展改革委", "市发展和改革委员会"),
        ("区卫健局", "区卫生健康局"),
        ("县教育局", "县教育局"),
        ("发改局改革项目", "发改局改革项目"),  # only a name that ends in the alias
    ],
)
def test_canonical_unit(written, full, lexicon):
    assert lexicon.canonical_unit(written) == full


def test_unit_keeps_its_written_form(plan, lexicon, assert_offsets):
    text = PREFIX + "1.推进营商环境改革。(牵头单位:区发改局;责任单位:区卫健局)\n2.深化财税体制改革。(区财政局负责)\n"
    extraction = extract_records(SourceDocument("d", "d.txt", "d.txt", text), segment_document(SourceDocument("d", "d.txt", "d.txt", text), plan, lexicon), plan, lexicon)
    units = {(f.subject.label, f.predicate, f.object.label) for f in extraction.facts if f.predicate.endswith("Unit")}
    assert units == {
        ("推进营商环境改革", "leadUnit", "区发展和改革局"),
        ("推进营商环境改革", "supportUnit", "区卫生健康局"),
        ("深化财税体制改革", "leadUnit", "区财政局"),
    }
    written = {m.exact.text for m in extraction.mentions if m.entity.kind == "organization"}
    assert written == {"区发改局", "区卫健局", "区财政局"}
    assert_offsets(text, [m.exact for m in extraction.mentions] + [e for f in extraction.facts for e in f.evidence])


def test_project_list_counts_its_items(plan, lexicon):
    text = PREFIX + "会议指出,重点在3个领域改革攻坚:推进公共卫生领域改革攻坚;推进流程再造改革攻坚;推进科教体制改革攻坚。\n"
    document = SourceDocument("d", "d.txt", "d.txt", text)
    extraction = extract_records(document, segment_document(document, plan, lexicon), plan, lexicon)
    projects = sorted({m.entity.label for m in extraction.mentions if m.entity.kind == "project"})
    assert projects == ["公共卫生领域改革攻坚", "流程再造改革攻坚", "科教体制改革攻坚"]
    assert [(f.value, f.counts) for f in extraction.figures] == [(3, "project")]
    assert extraction.warnings == ()


# --- jieba's part-of-speech model, scored over the pairs of states that can follow each other ---


@pytest.mark.parametrize(
    "run, states",
    cases(
        [
            ("three-character name", "王兴电", [("B", "nr"), ("E", "nr"), ("B", "n")]),
            ("name then verb", "陈新日安排", [("S", "nr"), ("B", "nz"), ("M", "nz"), ("E", "nz"), ("B", "v")]),
            ("place", "屏山", [("B", "ns"), ("E", "ns")]),
            ("one character: the best first state, whole or not", "电", [("B", "n")]),
            # rare characters: the best route may start with E; jieba's model finds it too
            ("rare characters", "秕岿", [("E", "n"), ("B", "i")]),
        ]
    ),
)
def test_tag_states(run, states):
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P, viterbi

    from kg.tagger import tag_states

    assert tag_states(run) == states
    assert viterbi(run, char_state_tab_P, start_P, trans_P, emit_P)[1] == states


def test_tag_states_is_jiebas_viterbi():
    """The same states as jieba.posseg.viterbi on random runs, characters outside the model included."""
    import random

    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P, viterbi

    from kg.tagger import tag_states

    rng = random.Random(7)
    known = sorted(char_state_tab_P)
    unknown = [chr(c) for c in range(0x4E00, 0x9FD6) if chr(c) not in char_state_tab_P]
    for _ in range(400):
        run = "".join(rng.choice(unknown if rng.random() < 0.2 else known) for _ in range(rng.randint(1, 10)))
        assert tag_states(run) == viterbi(run, char_state_tab_P, start_P, trans_P, emit_P)[1], run


def test_pos_tagger_takes_jiebas_word_tags_without_sharing_them(lexicon):
    import jieba.posseg

    tagger = lexicon.tokenizer
    tagger.makesure_userdict_loaded()
    assert tagger.word_tag_tab is not jieba.posseg.dt.word_tag_tab
    assert tagger.word_tag_tab["常务副县长"] == "lex" and "常务副县长" not in jieba.posseg.dt.word_tag_tab
    # Every word of jieba's dictionary has the tag jieba's own tagger reads from the file, but
    # the lexicon's words (a post jieba knows, such as 区长), which are "lex".
    jiebas = jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
    assert jiebas.keys() <= tagger.word_tag_tab.keys()
    assert {tagger.word_tag_tab[word] for word, tag in jiebas.items() if tagger.word_tag_tab[word] != tag} == {"lex"}


@pytest.mark.parametrize("hmm", [True, False])
def test_pos_tagger_cuts_and_tags_as_jieba_posseg(lexicon, hmm):
    """The tagger's tokens are jieba.posseg's, word for word and tag for tag, on the seed and a
    quarter of the corpus (jieba's model is slow: 10 s for all): Chinese, letters, digits, spaces
    and punctuation, with the model and without."""
    import jieba.posseg

    ours = lexicon.tokenizer
    ours.makesure_userdict_loaded()  # the lexicon's words move from the tokenizer to ours
    theirs = jieba.posseg.POSTokenizer(ours.tokenizer)
    theirs.word_tag_tab.update(ours.word_tag_tab)  # the lexicon's words, which ours has taken
    for path in [ROOT / "data" / "pingshan-2017-reform-plan.txt", *sorted((ROOT / "tests" / "corpus").glob("*.txt"))[::4]]:
        text = path.read_text(encoding="utf-8") + " GDP增长7.5%，R&D投入 C++ 2017年\r\n"
        assert [(t.word, t.flag) for t in ours.cut(text, HMM=hmm)] == [(p.word, p.flag) for p in theirs.cut(text, HMM=hmm)], path.name


def test_the_tagger_s_model_is_read_from_its_cache_file(tmp_path, monkeypatch):
    import jieba

    from kg import tagger

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    dictionary = None  # jieba's
    tagger.load_model.cache_clear()
    try:
        made = tagger.load_model(dictionary)
        (cached,) = tmp_path.glob("tagger-*.marshal")
        tagger.load_model.cache_clear()

        def no_jieba(dictionary, path):
            raise AssertionError("the model was made again")

        monkeypatch.setattr(tagger, "_tables_from_jieba", no_jieba)
        assert tagger.load_model(dictionary) == made
        assert made.word_tags["改革"] == "vn" and ("B", "n") in made.start
        # The dictionary as jieba's tokenizer loads it (from jieba's own cache).
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        assert made.frequencies == tokenizer.FREQ and made.total == tokenizer.total
        fresh = tagger.new_tokenizer()
        assert fresh.initialized and fresh.FREQ == tokenizer.FREQ and fresh.FREQ is not made.frequencies
        # A broken file is made again, not trusted.
        cached.write_bytes(b"not marshal")
        monkeypatch.undo()
        monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
        tagger.load_model.cache_clear()
        assert tagger.load_model(dictionary) == made
    finally:
        tagger.load_model.cache_clear()


def test_tagging_a_document_does_not_import_jieba_posseg(tmp_path):
    """jieba.posseg reads its dictionary's word tags as it is imported (0.6 s): once the model
    is in the cache, tagging never imports it."""
    import subprocess
    import sys

    script = (
        "import sys; from kg.lexicon import load_lexicon; "
        "print([tuple(t) for t in load_lexicon().tokenizer.cut('常务副县长负责推进改革')]); "
        "print('jieba.posseg' in sys.modules)"
    )
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.splitlines() == [again.stdout.splitlines()[0], "True"]  # made from jieba.posseg once
    assert again.stdout.splitlines()[1] == "False"
    assert "('常务副县长', 'lex')" in again.stdout


def test_pos_tagger_tokens(lexicon):
    # "常务副县长王兴电，…": the tokenizer's tokens are jieba's, names cut as jieba cuts them
    tokens = [(t.word, t.flag) for t in lexicon.tokenizer.cut("常务副县长王兴电，负责")]
    assert tokens == [("常务副县长", "lex"), ("王兴", "nr"), ("电", "n"), ("，", "x"), ("负责", "v")]


# --- prose sentences bound to the listed item they restate ---


@pytest.mark.parametrize("offset", range(7))
def test_bound_item_finds_twenty_shared_characters_at_any_offset(offset):
    from kg.extract import MIN_SHARED_CHARS, _bound_item, _item_shingles
    from kg.model import Entity, Segment

    shared = "推进政务服务一网通办实现群众办事只进一扇门最多跑一次"[:MIN_SHARED_CHARS]
    near = shared[:-1]  # one character short
    item_texts = ["甲乙丙丁" * 3 + "戊" * offset + shared + "己庚", "辛" * offset + near + "壬癸" * 5]
    items = [(Segment("item", Span(0, len(t), t)), Entity("project", f"p{i}", f"p{i}")) for i, t in enumerate(item_texts)]
    shingles = _item_shingles(items)
    sentence = "我们要" + shared + "。"
    assert _bound_item(Span(0, len(sentence), sentence), items, shingles) == items[0][1]
    sentence = "我们要" + near + "。"
    assert _bound_item(Span(0, len(sentence), sentence), items, shingles) is None

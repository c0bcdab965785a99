"""kg.segment: headings, numbered items and paragraphs with offsets; sentence and clause splits.

Every case is a row of a table. Inputs are short Chinese texts written here (some taken from
pingshan-2017-reform-plan.txt); every span a function returns must quote the document text.
"""

from __future__ import annotations

import pytest

from kg.model import SourceDocument, Span
from kg.segment import segment_document, split_clauses, split_sentences, split_span, sub_span

# An excerpt of pingshan-2017-reform-plan.txt: a short unpunctuated line, then the project list.
PINGSHAN_LIST = (
    "区委书记、区长领任务\n"
    "这些改革项目,关系到坪山大发展。\n"
    "改革项目一览表\n"
    "1.深化基层治理体制改革牵头区领导:区委书记吕玉印\n"
    "将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。\n"
    "2.民生诉求渠道流程优化改革牵头区领导:区长陶永欣\n"
    "针对市民与政府的沟通渠道不顺畅等问题,开发建设统一的民生诉求受理监督平台。\n"
    "3.深化科技、产业创新体制机制改革\n"
)

# (id, text, expected segments as (kind, ordinal, depth, parent, span text, title text, body text))
SEGMENT_CASES = [
    (
        "pingshan-items-under-unnumbered-heading",
        PINGSHAN_LIST,
        [
            ("heading", None, 4, -1, "区委书记、区长领任务", "区委书记、区长领任务", None),
            ("paragraph", None, 0, 0, "这些改革项目,关系到坪山大发展。", None, None),
            ("heading", None, 4, -1, "改革项目一览表", "改革项目一览表", None),
            (
                "item", 1, 3, 2,
                "1.深化基层治理体制改革牵头区领导:区委书记吕玉印\n将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。",
                "深化基层治理体制改革牵头区领导:区委书记吕玉印",
                "将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。",
            ),
            (
                "item", 2, 3, 2,
                "2.民生诉求渠道流程优化改革牵头区领导:区长陶永欣\n针对市民与政府的沟通渠道不顺畅等问题,开发建设统一的民生诉求受理监督平台。",
                "民生诉求渠道流程优化改革牵头区领导:区长陶永欣",
                "针对市民与政府的沟通渠道不顺畅等问题,开发建设统一的民生诉求受理监督平台。",
            ),
            ("item", 3, 3, 2, "3.深化科技、产业创新体制机制改革", "深化科技、产业创新体制机制改革", None),
        ],
    ),
    (
        "chinese-numbered-headings-then-items",
        "一、总体要求\n（一）指导思想\n坚持问题导向，推进改革。\n二、重点项目\n"
        "1.深化基层治理体制改革\n将理顺区、街道、社区职能。\n2.民生诉求渠道流程优化改革\n针对问题，优化流程。\n",
        [
            ("heading", 1, 1, -1, "一、总体要求", "总体要求", None),
            ("heading", 1, 2, 0, "（一）指导思想", "指导思想", None),
            ("paragraph", None, 0, 1, "坚持问题导向，推进改革。", None, None),
            ("heading", 2, 1, -1, "二、重点项目", "重点项目", None),
            ("item", 1, 3, 3, "1.深化基层治理体制改革\n将理顺区、街道、社区职能。", "深化基层治理体制改革", "将理顺区、街道、社区职能。"),
            ("item", 2, 3, 3, "2.民生诉求渠道流程优化改革\n针对问题，优化流程。", "民生诉求渠道流程优化改革", "针对问题，优化流程。"),
        ],
    ),
    (
        "unnumbered-heading-between-items-becomes-their-parent",
        "一、总体要求\n1.甲项目\n2.乙项目\n第二部分\n3.丙项目\n",
        [
            ("heading", 1, 1, -1, "一、总体要求", "总体要求", None),
            ("item", 1, 3, 0, "1.甲项目", "甲项目", None),
            ("item", 2, 3, 0, "2.乙项目", "乙项目", None),
            ("heading", None, 4, 0, "第二部分", "第二部分", None),
            ("item", 3, 3, 3, "3.丙项目", "丙项目", None),
        ],
    ),
    (
        "depth-1-numbering-used-twice-makes-items",
        "一、甲项目\n正文一。\n二、乙项目\n正文二。\n",
        [
            ("item", 1, 1, -1, "一、甲项目\n正文一。", "甲项目", "正文一。"),
            ("item", 2, 1, -1, "二、乙项目\n正文二。", "乙项目", "正文二。"),
        ],
    ),
    (
        "parenthesised-numbering-makes-items",
        "（一）甲项目\n正文一。\n(二)乙项目\n",
        [
            ("item", 1, 2, -1, "（一）甲项目\n正文一。", "甲项目", "正文一。"),
            ("item", 2, 2, -1, "(二)乙项目", "乙项目", None),
        ],
    ),
    (
        "tens-in-chinese-numbering",
        "十、甲项目\n十一、乙项目\n",
        [
            ("item", 10, 1, -1, "十、甲项目", "甲项目", None),
            ("item", 11, 1, -1, "十一、乙项目", "乙项目", None),
        ],
    ),
    (
        "full-width-digits",
        "１．甲项目\n２．乙项目\n",
        [
            ("item", 1, 3, -1, "１．甲项目", "甲项目", None),
            ("item", 2, 3, -1, "２．乙项目", "乙项目", None),
        ],
    ),
    (
        "decimal-number-is-not-an-item-number",
        "10、甲项目\n11、乙项目\n1.5亿元投入,完成改革。\n",
        [
            ("item", 10, 3, -1, "10、甲项目", "甲项目", None),
            ("item", 11, 3, -1, "11、乙项目\n1.5亿元投入,完成改革。", "乙项目", "1.5亿元投入,完成改革。"),
        ],
    ),
    (
        # A deeper numbered line inside an item is part of it, unless it names fields of its own.
        "sub-item-with-its-own-units",
        "一、关于甲问题。\n乙部研究提出了办理意见。\n二、关于丙问题。你省请求，国家给予支持。\n1.关于丁问题。戊部会同己部研究提出了办理意见。\n2.说明。\n三、关于庚问题。\n辛部研究提出了办理意见。\n",
        [
            ("item", 1, 1, -1, "一、关于甲问题。\n乙部研究提出了办理意见。", "关于甲问题。", "乙部研究提出了办理意见。"),
            ("item", 2, 1, -1, "二、关于丙问题。你省请求，国家给予支持。", "关于丙问题。你省请求，国家给予支持。", None),
            ("item", 1, 3, -1, "1.关于丁问题。戊部会同己部研究提出了办理意见。\n2.说明。", "关于丁问题。戊部会同己部研究提出了办理意见。", "2.说明。"),
            ("item", 3, 1, -1, "三、关于庚问题。\n辛部研究提出了办理意见。", "关于庚问题。", "辛部研究提出了办理意见。"),
        ],
    ),
    (
        # A numbered title over deeper lines that name fields heads them; it is no task itself.
        "title-over-sub-items-with-units",
        "（一）甲项目建设。\n1.抓好乙。（丙局负责）\n2.推进丁。（戊局负责）\n",
        [
            ("heading", 1, 2, -1, "（一）甲项目建设。", "甲项目建设。", None),
            ("item", 1, 3, 0, "1.抓好乙。（丙局负责）", "抓好乙。（丙局负责）", None),
            ("item", 2, 3, 0, "2.推进丁。（戊局负责）", "推进丁。（戊局负责）", None),
        ],
    ),
    (
        # Several items run together on one line are a line each.
        "items-run-together-on-one-line",
        "（一）甲增长5%。（乙局负责）（二）丙增长3%。（丁局主办，戊局协办）\n",
        [
            ("item", 1, 2, -1, "（一）甲增长5%。（乙局负责）", "甲增长5%。（乙局负责）", None),
            ("item", 2, 2, -1, "（二）丙增长3%。（丁局主办，戊局协办）", "丙增长3%。（丁局主办，戊局协办）", None),
        ],
    ),
    (
        # An unnumbered paragraph closed by its bracket of units is a task; a bracket on a line
        # of its own belongs to the paragraph above it.
        "paragraph-tasks",
        "一、深化改革\n推进甲改革，建立乙机制。（丙部、丁部按职责分工负责）\n完善戊制度。\n（己部牵头）\n",
        [
            ("heading", 1, 1, -1, "一、深化改革", "深化改革", None),
            ("item", None, 1, 0, "推进甲改革，建立乙机制。（丙部、丁部按职责分工负责）", "推进甲改革，建立乙机制。（丙部、丁部按职责分工负责）", None),
            ("item", None, 1, 0, "完善戊制度。\n（己部牵头）", "完善戊制度。", "（己部牵头）"),
        ],
    ),
    (
        "numbering-used-once-is-a-heading",
        "1.总体思路\n坚持问题导向。\n",
        [
            ("heading", 1, 3, -1, "1.总体思路", "总体思路", None),
            ("paragraph", None, 0, 0, "坚持问题导向。", None, None),
        ],
    ),
    (
        "item-body-stops-at-short-unpunctuated-line",
        "1.甲项目\n正文一。\n组建基层医疗集团 为民生服务\n2.乙项目\n",
        [
            ("item", 1, 3, -1, "1.甲项目\n正文一。", "甲项目", "正文一。"),
            ("heading", None, 4, -1, "组建基层医疗集团 为民生服务", "组建基层医疗集团 为民生服务", None),
            ("item", 2, 3, 1, "2.乙项目", "乙项目", None),
        ],
    ),
    (
        "long-unpunctuated-line-is-a-paragraph",
        "这是一个没有标点但是非常非常长的一行文字它超过了三十个字符所以不是标题\n",
        [("paragraph", None, 0, -1, "这是一个没有标点但是非常非常长的一行文字它超过了三十个字符所以不是标题", None, None)],
    ),
    (
        "short-line-with-sentence-end-is-a-paragraph",
        "改革有成效。\n",
        [("paragraph", None, 0, -1, "改革有成效。", None, None)],
    ),
    (
        "crlf-line-ends",
        "标题\r\n1.甲项目\r\n正文一。\r\n正文二，续。\r\n2.乙项目\r\n正文三。\r\n",
        [
            ("heading", None, 4, -1, "标题", "标题", None),
            ("item", 1, 3, 0, "1.甲项目\r\n正文一。\r\n正文二，续。", "甲项目", "正文一。\r\n正文二，续。"),
            ("item", 2, 3, 0, "2.乙项目\r\n正文三。", "乙项目", "正文三。"),
        ],
    ),
    (
        "surrounding-white-space-and-blank-lines",
        "  改革项目一览表  \n\n\u3000\u30001. 甲项目\t\n   \n2.乙项目\n",
        [
            ("heading", None, 4, -1, "改革项目一览表", "改革项目一览表", None),
            ("item", 1, 3, 0, "1. 甲项目", "甲项目", None),
            ("item", 2, 3, 0, "2.乙项目", "乙项目", None),
        ],
    ),
    ("empty-document", "\n \r\n", []),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in SEGMENT_CASES], ids=[c[0] for c in SEGMENT_CASES])
def test_segment_document(text, expected, plan, lexicon, assert_offsets):
    segments = segment_document(SourceDocument("d", "d.txt", "d.txt", text), plan, lexicon)
    got = [
        (s.kind, s.ordinal, s.depth, s.parent, s.span.text, s.title and s.title.text, s.body and s.body.text)
        for s in segments
    ]
    assert got == expected
    assert_offsets(text, [span for s in segments for span in (s.span, s.title, s.body) if span is not None])


# Sentences and clauses are split inside a span that does not start at 0, to check offsets.
PREFIX = "前文。\n"

# (id, text, expected sentences)
SENTENCE_CASES = [
    ("full-width-ends", "甲。乙！丙？丁；", ["甲。", "乙！", "丙？", "丁；"]),
    ("ascii-ends", "甲!乙?丙;丁", ["甲!", "乙?", "丙;", "丁"]),
    ("newline-ends-a-sentence", "甲\n乙", ["甲", "乙"]),
    ("crlf", "正文一。\r\n正文二，续。\r\n", ["正文一。", "正文二，续。"]),
    ("commas-do-not-end-sentences", "甲,乙，丙、丁。", ["甲,乙，丙、丁。"]),
    ("repeated-ends-give-no-empty-sentence", "甲。。乙", ["甲。", "乙"]),
    ("ellipsis-is-not-an-end", "探索建立容错纠错、正向激励机制……", ["探索建立容错纠错、正向激励机制……"]),
    (
        "pingshan-item-body",
        "理顺社区基层组织的职能和关系,使各类基层组织按需设置、按职履责。建立“区-街道-社区”三级权责清单,整合社区基层工作力量。",
        ["理顺社区基层组织的职能和关系,使各类基层组织按需设置、按职履责。", "建立“区-街道-社区”三级权责清单,整合社区基层工作力量。"],
    ),
    ("white-space-around-sentences", " 甲。  乙。 ", ["甲。", "乙。"]),
    ("only-separators", "。；\n", []),
]

# (id, text, expected clauses)
CLAUSE_CASES = [
    ("ascii-and-full-width", "甲,乙，丙;丁；戊。", ["甲", "乙", "丙", "丁", "戊"]),
    ("question-and-exclamation", "甲！乙?丙!丁？", ["甲", "乙", "丙", "丁"]),
    ("newline", "甲\n乙\r\n丙", ["甲", "乙", "丙"]),
    ("enumeration-comma-does-not-split", "针对职责划分不清晰、管理链条长等问题,深化改革。", ["针对职责划分不清晰、管理链条长等问题", "深化改革"]),
    (
        "pingshan-prose",
        "针对基层职责划分不清晰、管理链条长、居民自治活力不足等问题,区委书记吕玉印亲自牵头深化基层治理体制改革项目,持续在社区基层治理上攻坚突破。",
        ["针对基层职责划分不清晰、管理链条长、居民自治活力不足等问题", "区委书记吕玉印亲自牵头深化基层治理体制改革项目", "持续在社区基层治理上攻坚突破"],
    ),
    ("white-space-trimmed", " 甲 , 乙 ", ["甲", "乙"]),
    ("empty-clauses-dropped", "甲,,乙。", ["甲", "乙"]),
]


def _in_document(text: str) -> tuple[str, Span]:
    document = PREFIX + text + "\n后文。"
    return document, Span(len(PREFIX), len(PREFIX) + len(text), text)


@pytest.mark.parametrize("text, expected", [c[1:] for c in SENTENCE_CASES], ids=[c[0] for c in SENTENCE_CASES])
def test_split_sentences(text, expected, plan, assert_offsets):
    document, span = _in_document(text)
    sentences = split_sentences(span, plan)
    assert [s.text for s in sentences] == expected
    assert_offsets(document, sentences)


@pytest.mark.parametrize("text, expected", [c[1:] for c in CLAUSE_CASES], ids=[c[0] for c in CLAUSE_CASES])
def test_split_clauses(text, expected, plan, assert_offsets):
    document, span = _in_document(text)
    clauses = split_clauses(span, plan)
    assert [c.text for c in clauses] == expected
    assert_offsets(document, clauses)


# (id, text, separators, keep_separator, expected pieces)
SPLIT_SPAN_CASES = [
    ("keep-separator", "甲、乙、丙", "、", True, ["甲、", "乙、", "丙"]),
    ("drop-separator", "甲、乙、丙", "、", False, ["甲", "乙", "丙"]),
    ("no-separator", "甲乙丙", "、", False, ["甲乙丙"]),
    ("trailing-separator", "甲、乙、", "、", False, ["甲", "乙"]),
    ("several-separators", "经济体制、民生体制，文化体制", "、，", False, ["经济体制", "民生体制", "文化体制"]),
    # separators are found by a regex character class: its special characters stand for themselves
    ("regex-special-separators", "甲]乙-丙^丁\\戊", "]-^\\", False, ["甲", "乙", "丙", "丁", "戊"]),
    ("line-break-and-space", "甲\n乙 丙", "\n ", True, ["甲", "乙", "丙"]),
    ("no-separators-given", "甲、乙", "", True, ["甲、乙"]),
]


@pytest.mark.parametrize("text, separators, keep, expected", [c[1:] for c in SPLIT_SPAN_CASES], ids=[c[0] for c in SPLIT_SPAN_CASES])
def test_split_span(text, separators, keep, expected, assert_offsets):
    document, span = _in_document(text)
    pieces = split_span(span, separators, keep_separator=keep)
    assert [p.text for p in pieces] == expected
    assert_offsets(document, pieces)


# (id, text, start and end relative to the text, expected piece)
SUB_SPAN_CASES = [
    ("inner", "区委书记吕玉印", 4, 7, "吕玉印"),
    ("strips-white-space", "甲  乙丙 \t丁", 1, 6, "乙丙"),
    ("strips-ideographic-space", "\u3000甲乙\u3000", 0, 4, "甲乙"),
    ("empty", "甲乙", 1, 1, ""),
]


@pytest.mark.parametrize("text, start, end, expected", [c[1:] for c in SUB_SPAN_CASES], ids=[c[0] for c in SUB_SPAN_CASES])
def test_sub_span(text, start, end, expected, assert_offsets):
    document, span = _in_document(text)
    piece = sub_span(span, span.start + start, span.start + end)
    assert piece.text == expected
    assert_offsets(document, [piece])

"""kg.resolve: tier inference, figure counts, and merging facts and entities.

Facts are built by hand here, with evidence spans cut from ``TEXT`` (sentences of
pingshan-2017-reform-plan.txt), so that each case reads as a small story.
"""

from __future__ import annotations

import pytest

from kg.model import Entity, Extraction, Fact, Mention, SourceDocument, Span, StatedFigure, Value
from kg.resolve import INFERENCE_RULES, count_found, infer_tiers, resolve_extraction

TEXT = (
    "其中,“区主要领导牵头改革项目”有两个,由区委书记和区长分别牵头。"
    "此次的“区重点改革项目”分别由经济体制、民生体制等2个改革专项小组负责实施。"
    "这是经济体制改革专项小组负责项目。"
    "这是民生体制改革专项小组负责项目。"
    "区委书记吕玉印亲自牵头深化基层治理体制改革项目。"
    "据了解,坪山本年度的28个改革项目中,分别列为三类层次。"
)
DOCUMENT = SourceDocument("d", "d.txt", "d.txt", TEXT)


def cases(table):
    """A table's rows as pytest params: a plain row is ``(id, *values)``; a ``pytest.param`` passes as is."""
    return [row if isinstance(row, type(pytest.param())) else pytest.param(*row[1:], id=row[0]) for row in table]


def sentence(n: int) -> Span:
    """The n-th sentence (from 0) of TEXT."""
    start = 0
    for _ in range(n):
        start = TEXT.index("。", start) + 1
    end = TEXT.index("。", start) + 1
    return Span(start, end, TEXT[start:end])


S_TIER_POSTS, S_TIER_GROUPS, S_GROUP_ECONOMY, S_GROUP_LIVELIHOOD, S_LEAD, S_FIGURE = (sentence(i) for i in range(6))

LEADERS_TIER = Entity("tier", "区主要领导牵头改革项目", "区主要领导牵头改革项目")
KEY_TIER = Entity("tier", "区重点改革项目", "区重点改革项目")
ECONOMY = Entity("group", "经济体制改革专项小组", "经济体制改革专项小组")
LIVELIHOOD = Entity("group", "民生体制改革专项小组", "民生体制改革专项小组")
SECRETARY = Entity("post", "区委书记", "区委书记")
GOVERNANCE = Entity("project", "基层治理体制改革", "深化基层治理体制改革")
GOVERNANCE_PROSE = Entity("project", "基层治理体制改革", "基层治理体制改革")
TECHNOLOGY = Entity("project", "科技、产业创新体制机制改革", "深化科技、产业创新体制机制改革")
HEALTH = Entity("project", "基层医疗集团", "探索建立基层医疗集团")
LU = Entity("person", "吕玉印", "吕玉印")

# The facts the stories are told with.
KEY_BY_ECONOMY = Fact(KEY_TIER, "carriedOutBy", ECONOMY, (S_TIER_GROUPS,), "tier-groups")
KEY_BY_LIVELIHOOD = Fact(KEY_TIER, "carriedOutBy", LIVELIHOOD, (S_TIER_GROUPS,), "tier-groups")
LEADERS_BY_SECRETARY = Fact(LEADERS_TIER, "ledByPost", SECRETARY, (S_TIER_POSTS,), "tier-posts")
TECHNOLOGY_ECONOMY = Fact(TECHNOLOGY, "responsibleGroup", ECONOMY, (S_GROUP_ECONOMY,), "responsible-group")
HEALTH_LIVELIHOOD = Fact(HEALTH, "responsibleGroup", LIVELIHOOD, (S_GROUP_LIVELIHOOD,), "responsible-group")
HEALTH_ECONOMY = Fact(HEALTH, "responsibleGroup", ECONOMY, (S_GROUP_ECONOMY,), "responsible-group")
GOVERNANCE_SECRETARY = Fact(GOVERNANCE, "leadPost", SECRETARY, (S_LEAD,), "lead-in-prose")
TECHNOLOGY_STATED_KEY = Fact(TECHNOLOGY, "tier", KEY_TIER, (S_GROUP_ECONOMY,), "tier-stated")


def inferred(project_fact: Fact, tier_fact: Fact, rule: str) -> tuple:
    """What infer_tiers must make of two premises: (fact, premises)."""
    evidence = tuple(sorted(set(project_fact.evidence + tier_fact.evidence)))
    return Fact(project_fact.subject, "tier", tier_fact.subject, evidence, rule, True), (tier_fact, project_fact)


# (id, facts, expected [(inferred fact, its premises)])
INFER_CASES = [
    ("tier-from-group", [KEY_BY_ECONOMY, TECHNOLOGY_ECONOMY], [inferred(TECHNOLOGY_ECONOMY, KEY_BY_ECONOMY, "tier-from-group")]),
    ("order-does-not-matter", [TECHNOLOGY_ECONOMY, KEY_BY_ECONOMY], [inferred(TECHNOLOGY_ECONOMY, KEY_BY_ECONOMY, "tier-from-group")]),
    (
        "tier-from-lead-post",
        [LEADERS_BY_SECRETARY, GOVERNANCE_SECRETARY],
        [inferred(GOVERNANCE_SECRETARY, LEADERS_BY_SECRETARY, "tier-from-lead-post")],
    ),
    ("stated-tier-not-duplicated", [KEY_BY_ECONOMY, TECHNOLOGY_ECONOMY, TECHNOLOGY_STATED_KEY], []),
    ("group-carries-out-no-tier", [KEY_BY_LIVELIHOOD, TECHNOLOGY_ECONOMY], []),
    ("no-tier-facts", [TECHNOLOGY_ECONOMY, HEALTH_LIVELIHOOD], []),
    (
        "two-projects-one-tier",
        [KEY_BY_ECONOMY, KEY_BY_LIVELIHOOD, TECHNOLOGY_ECONOMY, HEALTH_LIVELIHOOD],
        [
            inferred(TECHNOLOGY_ECONOMY, KEY_BY_ECONOMY, "tier-from-group"),
            inferred(HEALTH_LIVELIHOOD, KEY_BY_LIVELIHOOD, "tier-from-group"),
        ],
    ),
    (
        "two-routes-to-one-tier-give-one-fact",
        [KEY_BY_ECONOMY, KEY_BY_LIVELIHOOD, HEALTH_LIVELIHOOD, HEALTH_ECONOMY],
        [inferred(HEALTH_ECONOMY, KEY_BY_ECONOMY, "tier-from-group")],
    ),
]


@pytest.mark.parametrize("facts, expected", cases(INFER_CASES))
def test_infer_tiers(facts, expected):
    got = infer_tiers(facts)
    assert got == [fact for fact, _ in expected]
    assert [f.premises for f in got] == [premises for _, premises in expected]
    for fact in got:
        assert fact.inferred and fact.rule in INFERENCE_RULES
        assert set(fact.evidence) == {e for p in fact.premises for e in p.evidence}
        assert all(TEXT[e.start : e.end] == e.text for e in fact.evidence)


def figure(counts: str, value: int, scope: Entity | None = None) -> StatedFigure:
    return StatedFigure(f"{value}个", value, counts, scope, S_FIGURE)


TIER_FACTS = [
    Fact(TECHNOLOGY, "tier", KEY_TIER, (S_GROUP_ECONOMY,), "tier-from-group", True),
    Fact(HEALTH, "tier", KEY_TIER, (S_GROUP_LIVELIHOOD,), "tier-from-group", True),
    Fact(GOVERNANCE, "tier", LEADERS_TIER, (S_LEAD,), "tier-from-lead-post", True),
]
ENTITIES = [KEY_TIER, LEADERS_TIER, ECONOMY, LIVELIHOOD, TECHNOLOGY, HEALTH, GOVERNANCE, SECRETARY, LU]

# (id, figure, entities, facts, expected count)
COUNT_CASES = [
    ("projects", figure("project", 28), ENTITIES, TIER_FACTS, 3),
    ("groups", figure("group", 2), ENTITIES, TIER_FACTS, 2),
    ("tiers", figure("tier", 3), ENTITIES, TIER_FACTS, 2),
    ("projects-in-a-tier", figure("project", 2, KEY_TIER), ENTITIES, TIER_FACTS, 2),
    ("projects-in-another-tier", figure("project", 2, LEADERS_TIER), ENTITIES, TIER_FACTS, 1),
    ("tier-with-no-members", figure("project", 5, Entity("tier", "区一般改革项目", "区一般改革项目")), ENTITIES, TIER_FACTS, 0),
    ("qualified-cannot-be-counted", figure("project:重点", 5), ENTITIES, TIER_FACTS, None),
    ("nothing-found", figure("group", 7), [], [], 0),
]


@pytest.mark.parametrize("stated, entities, facts, expected", cases(COUNT_CASES))
def test_count_found(stated, entities, facts, expected):
    assert count_found(stated, entities, facts) == expected


def extraction(facts, mentions=(), figures=(), used=()) -> Extraction:
    return Extraction(DOCUMENT, "plan", (), tuple(mentions), tuple(facts), tuple(figures), tuple(used))


ORDINAL = Fact(GOVERNANCE, "ordinal", Value("1", "integer"), (S_LEAD,), "item-number")

# (id, extraction facts, expected resolved facts as (subject label, predicate, object label, evidence sentences, rule, inferred))
MERGE_CASES = [
    (
        "same-fact-twice-merges-evidence",
        [
            Fact(GOVERNANCE, "leadPerson", LU, (S_LEAD,), "lead-in-prose"),
            Fact(GOVERNANCE, "leadPerson", LU, (S_TIER_POSTS,), "field-lead"),
        ],
        [("深化基层治理体制改革", "leadPerson", "吕玉印", (S_TIER_POSTS, S_LEAD), "lead-in-prose", False)],
    ),
    (
        "same-evidence-not-repeated",
        [GOVERNANCE_SECRETARY, GOVERNANCE_SECRETARY],
        [("深化基层治理体制改革", "leadPost", "区委书记", (S_LEAD,), "lead-in-prose", False)],
    ),
    (
        "prose-label-merges-into-listed-project",
        [
            Fact(GOVERNANCE_PROSE, "leadPerson", LU, (S_LEAD,), "lead-in-prose"),
            ORDINAL,
            Fact(GOVERNANCE, "leadPerson", LU, (S_TIER_POSTS,), "field-lead"),
        ],
        [
            ("深化基层治理体制改革", "leadPerson", "吕玉印", (S_TIER_POSTS, S_LEAD), "lead-in-prose", False),
            ("深化基层治理体制改革", "ordinal", "1", (S_LEAD,), "item-number", False),
        ],
    ),
    (
        "different-objects-stay-apart",
        [TECHNOLOGY_ECONOMY, Fact(TECHNOLOGY, "responsibleGroup", LIVELIHOOD, (S_GROUP_LIVELIHOOD,), "responsible-group")],
        [
            ("深化科技、产业创新体制机制改革", "responsibleGroup", "民生体制改革专项小组", (S_GROUP_LIVELIHOOD,), "responsible-group", False),
            ("深化科技、产业创新体制机制改革", "responsibleGroup", "经济体制改革专项小组", (S_GROUP_ECONOMY,), "responsible-group", False),
        ],
    ),
    (
        "inference-after-merging",
        [KEY_BY_ECONOMY, KEY_BY_ECONOMY, TECHNOLOGY_ECONOMY],
        [
            ("深化科技、产业创新体制机制改革", "responsibleGroup", "经济体制改革专项小组", (S_GROUP_ECONOMY,), "responsible-group", False),
            ("深化科技、产业创新体制机制改革", "tier", "区重点改革项目", (S_TIER_GROUPS, S_GROUP_ECONOMY), "tier-from-group", True),
            ("区重点改革项目", "carriedOutBy", "经济体制改革专项小组", (S_TIER_GROUPS,), "tier-groups", False),
        ],
    ),
    (
        "stated-tier-kept-once",
        [KEY_BY_ECONOMY, TECHNOLOGY_ECONOMY, TECHNOLOGY_STATED_KEY],
        [
            ("深化科技、产业创新体制机制改革", "responsibleGroup", "经济体制改革专项小组", (S_GROUP_ECONOMY,), "responsible-group", False),
            ("深化科技、产业创新体制机制改革", "tier", "区重点改革项目", (S_GROUP_ECONOMY,), "tier-stated", False),
            ("区重点改革项目", "carriedOutBy", "经济体制改革专项小组", (S_TIER_GROUPS,), "tier-groups", False),
        ],
    ),
]


@pytest.mark.parametrize("facts, expected", cases(MERGE_CASES))
def test_resolve_merges_facts(facts, expected):
    resolved = resolve_extraction(extraction(facts), [])
    got = [
        (f.subject.label, f.predicate, f.object.text if isinstance(f.object, Value) else f.object.label, f.evidence, f.rule, f.inferred)
        for f in resolved.facts
    ]
    assert got == expected
    assert all(TEXT[e.start : e.end] == e.text for f in resolved.facts for e in f.evidence)


def test_resolve_canonical_entities_and_mentions():
    """Mentions of one (kind, key) point at one entity, the listed project's label winning; repeats go."""
    prose = Span(TEXT.index("深化基层治理体制改革"), TEXT.index("深化基层治理体制改革") + 10, "深化基层治理体制改革")
    exact = Span(prose.start + 2, prose.end, "基层治理体制改革")
    mentions = [Mention(GOVERNANCE_PROSE, S_LEAD, exact), Mention(GOVERNANCE_PROSE, S_LEAD, exact), Mention(GOVERNANCE, S_LEAD, prose)]
    resolved = resolve_extraction(extraction([ORDINAL], mentions), [])
    assert resolved.entities == (GOVERNANCE,)
    assert resolved.mentions == (Mention(GOVERNANCE, S_LEAD, prose), Mention(GOVERNANCE, S_LEAD, exact))
    assert all(TEXT[s.start : s.end] == s.text for m in resolved.mentions for s in (m.span, m.exact))


# (id, figures in the extraction, expected (label, value, found))
RESOLVED_FIGURE_CASES = [
    ("groups-found-in-facts", [figure("group", 2)], [("2个", 2, 1)]),
    ("tier-scope-counts-inferred-members", [figure("project", 1, KEY_TIER)], [("1个", 1, 1)]),
    ("repeated-figure-kept-once", [figure("group", 2), figure("group", 2)], [("2个", 2, 1)]),
    ("qualified", [figure("project:重点", 5)], [("5个", 5, None)]),
]


@pytest.mark.parametrize("figures, expected", cases(RESOLVED_FIGURE_CASES))
def test_resolve_counts_figures(figures, expected):
    resolved = resolve_extraction(extraction([KEY_BY_ECONOMY, TECHNOLOGY_ECONOMY], figures=figures), [])
    assert [(f.label, f.value, found) for f, found in resolved.figures] == expected


# (id, spans used by rules, expected unused sentences)
UNUSED_CASES = [
    ("nothing-used", [], [S_TIER_POSTS, S_LEAD, S_FIGURE]),
    ("overlap-counts-as-used", [Span(S_LEAD.start + 2, S_LEAD.start + 5, S_LEAD.text[2:5])], [S_TIER_POSTS, S_FIGURE]),
    ("touching-is-not-overlapping", [Span(S_LEAD.end, S_LEAD.end, "")], [S_TIER_POSTS, S_LEAD, S_FIGURE]),
]


@pytest.mark.parametrize("used, expected", cases(UNUSED_CASES))
def test_resolve_reports_unused_sentences(used, expected):
    resolved = resolve_extraction(extraction([], used=used), [S_TIER_POSTS, S_LEAD, S_FIGURE])
    assert list(resolved.unused) == expected


def test_order_keys_are_the_dataclass_order():
    # resolve_extraction sorts by tuples of the compared fields: the dataclasses' own order
    from kg.resolve import _entity_order, _span_order

    entities = [Entity("unit", "乙", "乙"), Entity("person", "甲", "甲二"), Entity("person", "甲", "甲"), Entity("person", "丙", "丙", alt_label="x")]
    assert sorted(entities, key=_entity_order) == sorted(entities)
    assert [_entity_order(e) for e in sorted(entities)] == [("person", "丙", "丙"), ("person", "甲", "甲"), ("person", "甲", "甲二"), ("unit", "乙", "乙")]
    spans = [Span(3, 5, "乙"), Span(3, 4, "甲"), Span(1, 9, "丙"), Span(3, 4, "丁")]
    assert sorted(spans, key=_span_order) == sorted(spans) == [Span(1, 9, "丙"), Span(3, 4, "丁"), Span(3, 4, "甲"), Span(3, 5, "乙")]

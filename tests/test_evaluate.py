"""kg.evaluate: normalisation, matching, scoring, the gold reader, and the Pingshan gold file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import GraphError, InputError, KgError, RuleFileError
from kg.evaluate import (
    MICRO,
    RELATIONS,
    Row,
    Score,
    counts_to_score,
    evaluate_files,
    format_scores,
    forms_match,
    match_rows,
    normalise_text,
    read_gold,
    read_predicted,
    score,
)
from kg.vocab import ID, RKG

GOLD_DIR = Path(__file__).parent / "gold"
PINGSHAN_GOLD = GOLD_DIR / "pingshan-2017.tsv"
HEADER = "relation\tsubject\tobject\tnote\n"


def row(relation: str, subject: str, obj: str = "") -> Row:
    """A row as the gold reader makes it: ``|`` splits alternatives."""
    split = lambda cell: tuple(a for a in cell.split("|") if a)  # noqa: E731
    return Row(relation, split(subject), split(obj))


def write_gold(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "gold.tsv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# --- normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("建立“区-街道-社区”三级权责清单", "建立区-街道-社区三级权责清单"),
        ("建立\"区—街道—社区\"三级权责清单", "建立区-街道-社区三级权责清单"),
        ("区–街道‐社区", "区-街道-社区"),
        ("完善社区集体经济监管‘四个平台’建设", "完善社区集体经济监管四个平台建设"),
        ("「信息孤岛」现象", "信息孤岛现象"),
        ("  深化 基层治理\t体制改革\n", "深化基层治理体制改革"),
        ("小政府、大社会，小机构、大服务", "小政府、大社会,小机构、大服务"),  # full-width comma
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("推进社区减负增效。", "推进社区减负增效"),  # trailing punctuation
        ("，管理链条长、", "管理链条长"),
        ("《关于支持干部履职担当创新的若干意见》", "《关于支持干部履职担当创新的若干意见》"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("gold", "predicted", "lenient", "expected"),
    [
        (("区长",), ("区长",), False, True),
        (("区长",), ("区委书记",), False, False),
        (("生态文明体制改革创新", "生态文明体制改革"), ("生态文明体制改革",), False, True),  # alternative
        (("生态文明体制改革创新",), ("x", "生态文明体制改革创新"), False, True),  # altLabel form
        (("“互联网+”工作机制",), ("互联网+工作机制",), False, True),
        (("权责不清",), ("区内事权不一致、权责不清",), False, False),
        (("权责不清",), ("区内事权不一致、权责不清",), True, True),  # predicted contains gold
        (("以信息化手段,开发建设统一的民生诉求受理监督平台",), ("民生诉求受理监督平台",), True, True),
        (("统一受理渠道",), ("健全分拨机制",), True, False),
        ((), (), False, True),  # unary relations have no object on either side
        ((), ("x",), True, False),
    ],
)
def test_forms_match(gold, predicted, lenient, expected) -> None:
    assert forms_match(gold, predicted, lenient) is expected


def test_alternatives_in_gold_file_are_split(tmp_path: Path) -> None:
    path = write_gold(tmp_path, "project\t生态文明体制改革创新| 生态文明体制改革 \t\tprose\n")
    (gold,) = read_gold(path)
    assert gold.subject == ("生态文明体制改革创新", "生态文明体制改革")
    assert gold.note == "prose" and gold.line == 2


# --- one-to-one matching and arithmetic --------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "predicted", "lenient", "tp"),
    [
        # one gold row cannot absorb two identical predictions
        ([row("project", "甲")], [row("project", "甲"), row("project", "甲")], False, 1),
        # nor one prediction two gold rows
        ([row("project", "甲"), row("project", "甲")], [row("project", "甲")], False, 1),
        # a greedy pass would give 甲乙 to the first gold row and leave the second unmatched
        (
            [row("hasMeasure", "P", "甲乙|乙"), row("hasMeasure", "P", "甲乙")],
            [row("hasMeasure", "P", "甲乙"), row("hasMeasure", "P", "乙")],
            False,
            2,
        ),
        (
            [row("hasMeasure", "P", "甲"), row("hasMeasure", "P", "甲乙")],
            [row("hasMeasure", "P", "甲乙"), row("hasMeasure", "P", "甲")],
            True,
            2,
        ),
        # subjects must match strictly even when objects are lenient
        ([row("hasMeasure", "P", "甲")], [row("hasMeasure", "PQ", "甲")], True, 0),
        # relation must agree
        ([row("leadPost", "P", "区长")], [row("leadPerson", "P", "区长")], False, 0),
    ],
)
def test_match_rows_is_one_to_one(gold, predicted, lenient, tp) -> None:
    pairs = match_rows(gold, predicted, lenient)
    assert len(pairs) == tp
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == tp


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((2, 1, 1), Score(2, 1, 1, 2 / 3, 2 / 3, 2 / 3)),
        ((1, 0, 3), Score(1, 0, 3, 1.0, 0.25, 0.4)),
        ((0, 0, 4), Score(0, 0, 4, 0.0, 0.0, 0.0)),
        ((0, 2, 0), Score(0, 2, 0, 0.0, 0.0, 0.0)),
        ((0, 0, 0), Score(0, 0, 0, 0.0, 0.0, 0.0)),
    ],
)
def test_counts_to_score(counts, expected) -> None:
    assert counts_to_score(*counts) == pytest.approx(expected)


# --- a tiny graph, built with the rdflib API ---------------------------------------------------


def label(graph: Graph, node, text: str, cls) -> None:
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(text, lang="zh")))


@pytest.fixture
def tiny_graph() -> Graph:
    g = Graph()
    p1, p2, dup = ID["project/p1"], ID["project/p2"], ID["project/dup"]
    person, post, group, tier = ID["person/a"], ID["post/a"], ID["group/a"], ID["tier/a"]
    label(g, p1, "深化基层治理体制改革", RKG.ReformProject)
    label(g, p2, "促进生态文明体制改革创新", RKG.ReformProject)  # wrong label …
    g.add((p2, RKG.writtenForm, Literal("生态文明体制改革", lang="zh")))  # … right written form
    label(g, dup, "深化基层治理体制改革", RKG.ReformProject)  # an unmerged duplicate
    g.add((p1, RKG.ordinal, Literal(1)))
    label(g, person, "吕玉印", RKG.Person)
    label(g, post, "区委书记", RKG.Post)
    g.add((person, RDFS.label, Literal("Lü Yuyin", lang="en")))  # not a zh label: ignored
    g.add((p1, RKG.leadPerson, person))
    g.add((p1, RKG.leadPost, post))
    g.add((person, RKG.holdsPost, post))
    label(g, group, "经济体制改革专项小组", RKG.SpecialGroup)
    label(g, tier, "区重点改革项目", RKG.ProjectTier)
    g.add((p1, RKG.tier, tier))  # wrong tier
    for key, text in (("a", "职责划分不清晰、管理链条长"), ("b", "居民自治活力不足")):
        problem = ID[f"problem/{key}"]
        label(g, problem, text, RKG.TargetProblem)
        g.add((p1, RKG.addressesProblem, problem))
    measure = ID["measure/a"]
    label(g, measure, "建立“区—街道—社区”三级权责清单", RKG.Measure)
    g.add((p1, RKG.hasMeasure, measure))
    level = ID["level/a"]
    label(g, level, "社区", RKG.GovernanceLevel)
    g.add((p1, RKG.involvesLevel, level))
    doc, figure = ID["doc/a"], ID["figure/a"]
    g.add((doc, RKG.statesFigure, figure))
    g.add((figure, RDFS.label, Literal("28个改革项目", lang="zh")))
    g.add((figure, RKG.statedValue, Literal(28)))
    g.add((figure, SKOS.altLabel, Literal("28个项目", lang="zh")))
    return g


TINY_GOLD = """\
project\t深化基层治理体制改革\t\t
project\t生态文明体制改革创新|生态文明体制改革\t\tprose
project\t安全生产监管体制改革\t\tprose
ordinal\t深化基层治理体制改革\t1\t
leadPerson\t深化基层治理体制改革\t吕玉印\t
leadPost\t深化基层治理体制改革\t区委书记\t
holdsPost\t吕玉印\t区委书记\t
group\t经济体制改革专项小组\t\t
tierName\t区主要领导牵头改革项目\t\t
tierName\t区重点改革项目\t\t
tier\t深化基层治理体制改革\t区主要领导牵头改革项目\t
involvesLevel\t深化基层治理体制改革\t社区\t
involvesLevel\t深化基层治理体制改革\t街道\t
addressesProblem\t深化基层治理体制改革\t职责划分不清晰|基层职责划分不清晰\t
addressesProblem\t深化基层治理体制改革\t管理链条长\t
addressesProblem\t深化基层治理体制改革\t居民自治活力不足\t
figure\t28个项目\t28\t
hasMeasure\t深化基层治理体制改革\t建立“区-街道-社区”三级权责清单\t
hasMeasure\t深化基层治理体制改革\t整合社区基层工作力量\t
"""

# relation: (strict tp, fp, fn), (lenient tp, fp, fn)
TINY_EXPECTED = {
    "project": ((2, 1, 1), (2, 1, 1)),  # dup is a false positive; 安全生产 missed
    "ordinal": ((1, 0, 0), (1, 0, 0)),
    "leadPerson": ((1, 0, 0), (1, 0, 0)),
    "leadPost": ((1, 0, 0), (1, 0, 0)),
    "holdsPost": ((1, 0, 0), (1, 0, 0)),
    "group": ((1, 0, 0), (1, 0, 0)),
    "tierName": ((1, 0, 1), (1, 0, 1)),
    "tier": ((0, 1, 1), (0, 1, 1)),
    "involvesLevel": ((1, 0, 1), (1, 0, 1)),
    # the merged "职责划分不清晰、管理链条长" matches one gold row leniently, never two
    "addressesProblem": ((1, 1, 2), (2, 0, 1)),
    "figure": ((1, 0, 0), (1, 0, 0)),  # through the altLabel
    "hasMeasure": ((1, 0, 1), (1, 0, 1)),
}


def test_read_predicted_uses_labels_and_alternatives(tiny_graph: Graph) -> None:
    rows = read_predicted(tiny_graph)
    assert Counter(r.relation for r in rows)["project"] == 3
    (lead,) = [r for r in rows if r.relation == "leadPerson"]
    assert lead == Row("leadPerson", ("深化基层治理体制改革",), ("吕玉印",))
    (figure,) = [r for r in rows if r.relation == "figure"]
    assert figure.subject == ("28个改革项目", "28个项目") and figure.obj == ("28",)
    (ordinal,) = [r for r in rows if r.relation == "ordinal"]
    assert ordinal.obj == ("1",)
    assert {r.relation for r in rows} <= set(RELATIONS)


def test_score_tiny_graph(tmp_path: Path, tiny_graph: Graph) -> None:
    scores = score(read_gold(write_gold(tmp_path, TINY_GOLD)), read_predicted(tiny_graph))
    got = {rel: (s.strict[:3], s.lenient[:3]) for rel, s in scores.items() if rel != MICRO}
    assert got == TINY_EXPECTED
    strict_totals = [sum(v[0][k] for v in TINY_EXPECTED.values()) for k in range(3)]
    lenient_totals = [sum(v[1][k] for v in TINY_EXPECTED.values()) for k in range(3)]
    assert scores[MICRO].strict == pytest.approx(counts_to_score(*strict_totals))
    assert scores[MICRO].lenient == pytest.approx(counts_to_score(*lenient_totals))
    assert scores["addressesProblem"].lenient == pytest.approx(Score(2, 0, 1, 1.0, 2 / 3, 0.8))


# rdflib's own JSON-LD and TriG parsers still use its deprecated ConjunctiveGraph internally
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("name", "rdf_format"),
    [("g.ttl", "turtle"), ("g.nt", "nt"), ("g.jsonld", "json-ld"), ("g.rdf", "xml"), ("g.trig", "trig")],
)
def test_evaluate_files_reads_format_from_extension(
    tmp_path: Path, tiny_graph: Graph, name: str, rdf_format: str
) -> None:
    gold = write_gold(tmp_path, TINY_GOLD)
    expected = score(read_gold(gold), read_predicted(tiny_graph))
    tiny_graph.serialize(tmp_path / name, format=rdf_format, encoding="utf-8")
    assert evaluate_files(gold, tmp_path / name) == expected


@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("bad.ttl", "@prefix rkg: <oops", "cannot parse"),
        ("graph.unknown", "", "extension"),
        ("missing.ttl", None, "not found"),
    ],
)
def test_evaluate_files_graph_errors(tmp_path: Path, name, content, phrase) -> None:
    gold = write_gold(tmp_path, TINY_GOLD)
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(GraphError, match=phrase) as info:
        evaluate_files(gold, tmp_path / name)
    assert "\n" not in str(info.value) and "[E300]" in str(info.value)


def test_format_scores_is_an_aligned_table(tmp_path: Path, tiny_graph: Graph) -> None:
    scores = score(read_gold(write_gold(tmp_path, TINY_GOLD)), read_predicted(tiny_graph))
    lines = format_scores(scores).splitlines()
    table = [line for line in lines if not line.startswith("~")]
    assert len(table) == 2 + len(scores)
    assert len({len(line) for line in table}) == 1  # every row as wide as the header
    header = table[0].split()
    assert header[:9] == ["relation", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1"]
    problems = next(line for line in table if line.startswith("addressesProblem")).split()
    assert problems[1:] == ["3", "2", "1", "1", "2", "0.500", "0.333", "0.400", "2", "1.000", "0.667", "0.800"]
    assert table[-1].startswith(MICRO)


# --- gold-file validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "phrase"),
    [
        (HEADER + "# a comment\n\nprojekt\t甲\t\t\n", 4, "unknown relation 'projekt'; valid relations: project, ordinal"),
        (HEADER + "project\t甲\n", 2, "expected 4 tab-separated columns"),
        (HEADER + "project\t甲\t\t\t\textra\n", 2, "found 6"),
        (HEADER + "project\t甲\t乙\t\n", 2, "takes no object"),
        (HEADER + "leadPost\t甲\t\t\n", 2, "the object is empty"),
        (HEADER + "leadPost\t | \t区长\t\n", 2, "the subject is empty"),
        (HEADER + "ordinal\t甲\t一\t\n", 2, "must be an integer"),
        (HEADER + "project\t甲\t\t\nfigure\t28个项目\t28.0\t\n", 3, "must be an integer"),
        ("# no header\nproject\t甲\t\t\n", 2, "expected the header"),
    ],
)
def test_read_gold_rejects_bad_lines(tmp_path: Path, content: str, line: int, phrase: str) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        read_gold(path)
    message = str(info.value)
    assert f"line {line}:" in message
    assert phrase in message
    assert str(path) in message and "[E200]" in message
    assert isinstance(info.value, KgError)


def test_read_gold_without_header_or_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tsv"
    empty.write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="no header"):
        read_gold(empty)
    with pytest.raises(InputError, match="not found"):
        read_gold(tmp_path / "absent.tsv")


def test_read_gold_accepts_missing_note_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("\ufeff" + HEADER + "leadPost\t甲\t区长\n", encoding="utf-8")
    assert read_gold(path) == [Row("leadPost", ("甲",), ("区长",), "", 2)]


# --- the Pingshan gold file ------------------------------------------------------------------------


def readme_counts() -> dict[str, int]:
    text = (GOLD_DIR / "README.md").read_text(encoding="utf-8")
    counts_section = text.split("## Counts", 1)[1]
    return {
        name: int(n)
        for name, n in re.findall(r"^\| (\w+) \| (\d+) \|$", counts_section, flags=re.MULTILINE)
    }


def test_pingshan_gold_matches_readme_counts() -> None:
    rows = read_gold(PINGSHAN_GOLD)
    counts = Counter(r.relation for r in rows)
    stated = readme_counts()
    total = stated.pop("total")
    assert dict(counts) == stated
    assert len(rows) == total


def test_pingshan_gold_minimums() -> None:
    counts = Counter(r.relation for r in read_gold(PINGSHAN_GOLD))
    assert counts["ordinal"] == 9
    assert counts["group"] == 7
    assert counts["tierName"] == 3
    assert counts["project"] >= 20
    assert counts["addressesProblem"] >= 20
    # The article names no units and no deadlines; every other relation is annotated.
    assert set(counts) == set(RELATIONS) - {"leadUnit", "supportUnit", "deadline", "deadlineDate"}


def test_pingshan_gold_is_consistent() -> None:
    """Every project-relation subject is a project row's cell; ordinals are 1..9; every
    responsibleGroup and tier object is a declared group or tier."""
    rows = read_gold(PINGSHAN_GOLD)
    of = lambda relation: [r for r in rows if r.relation == relation]  # noqa: E731
    projects = {r.subject for r in of("project")}
    for r in rows:
        if r.relation not in {"project", "group", "tierName", "holdsPost", "figure"}:
            assert r.subject in projects, (r.line, r.subject)
    assert sorted(int(r.obj[0]) for r in of("ordinal")) == list(range(1, 10))
    groups = {r.subject for r in of("group")}
    assert {r.obj for r in of("responsibleGroup")} == groups
    tiers = {r.subject for r in of("tierName")}
    assert {r.obj for r in of("tier")} <= tiers
    assert len({r.subject for r in of("project")}) == len(of("project"))


def test_pingshan_gold_scores_perfectly_against_itself() -> None:
    rows = read_gold(PINGSHAN_GOLD)
    scores = score(rows, rows)
    assert all(s.strict.f1 == 1.0 and s.lenient.f1 == 1.0 for s in scores.values())

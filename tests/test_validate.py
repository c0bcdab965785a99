"""kg.validate: shapes.ttl compiled to SPARQL on pyoxigraph finds what pyshacl finds, with the
shapes' own messages; an unsupported SHACL construct is an error, not a skipped constraint."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH

from kg.errors import ShapesError
from kg.query import open_engine
from kg.validate import ShapeCompiler, compile_shapes, load_ontology, load_shapes, load_templates, validate_graph, validate_store
from kg.vocab import RKG

CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = CASES / "plan" / "pingshan-2017" / "expected.ttl"
# The oracle's fixture: small enough for pyshacl, which runs a SPARQL constraint once per focus
# node; projects with leaders, units and measures (nanling), posts and stated figures (siping).
ORACLE_CASES = [CASES / "tasks" / "nanling-2024" / "expected.ttl", CASES / "meeting" / "siping-2017" / "expected.ttl"]


@pytest.fixture(scope="module")
def golden() -> Graph:
    return Graph().parse(GOLDEN)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def drop_a_statement(g: Graph) -> None:
    st = next(s for s in g.subjects(RDF.predicate, RKG.leadPerson))
    for triple in list(g.triples((st, None, None))):
        g.remove(triple)


def stretch_an_evidence(g: Graph) -> None:
    ev = sorted(g.subjects(RDF.type, RKG.Evidence))[0]
    end = int(g.value(ev, RKG.end))
    g.set((ev, RKG.end, Literal(end + 3)))


def assert_unasserted_triple(g: Graph) -> None:
    st = next(s for s in sorted(g.subjects(RKG.extractedBy, None)))
    g.remove((g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)))


def use_an_undeclared_term(g: Graph) -> None:
    project = next(g.subjects(RDF.type, RKG.ReformProject))
    g.add((project, URIRef(str(RKG._NS) + "notATerm"), Literal("x")))


def strip_a_person(g: Graph) -> None:
    """A person who neither holds a post nor leads a project is no official of ours."""
    person = sorted(g.subjects(RDF.type, RKG.Person))[0]
    for triple in list(g.triples((person, RKG.holdsPost, None))) + list(g.triples((None, RKG.leadPerson, person))):
        g.remove(triple)


def test_golden_graph_conforms(golden):
    assert validate_graph(golden).conforms


def test_a_graph_with_typed_deadlines_conforms_with_and_without_rdfs_inference():
    """A store that entails before it validates sees each rkg:deadlineDate as an rkg:deadline too
    (its sub-property): pyshacl with RDFS inference and the ontology finds the graph conforming."""
    import pyshacl

    graph = Graph().parse(CASES / "keypoints" / "xianyang-2022-trad" / "expected.ttl")
    assert any(graph.triples((None, RKG.deadlineDate, None)))
    ontology = Graph().parse(CASES.parents[1] / "ontology.ttl")
    for inference in ("none", "rdfs"):
        conforms, _, text = pyshacl.validate(graph, shacl_graph=load_shapes(), ont_graph=ontology, inference=inference)
        assert conforms, (inference, text)


def test_every_golden_case_conforms():
    """All genres' expected graphs at once: a leader named in a table without a post is valid."""
    graph = Graph()
    for path in sorted(CASES.glob("*/*/expected.ttl")):
        graph.parse(path)
    leaders_without_post = [p for p in graph.subjects(RDF.type, RKG.Person) if (p, RKG.holdsPost, None) not in graph]
    assert leaders_without_post
    report = validate_graph(graph)
    assert report.conforms, [v.message for v in report.violations][:5]


@pytest.mark.parametrize(
    "break_it, expect",
    [
        (drop_a_statement, "has no rdf:Statement"),
        (stretch_an_evidence, "Offsets do not fit the quote"),
        (assert_unasserted_triple, "reifies a triple that is not in the graph"),
        (use_an_undeclared_term, "notATerm"),
        (strip_a_person, "holds a post (rkg:holdsPost) or leads a project"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_each_break_is_reported(golden, break_it, expect):
    graph = _copy(golden)
    break_it(graph)
    report = validate_graph(graph)
    assert not report.conforms
    texts = [v.message for v in report.violations] + list(report.undeclared)
    assert any(expect in t for t in texts), texts


# --- agreement with pyshacl ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Graph:
    graph = Graph()
    for path in ORACLE_CASES:
        graph.parse(path)
    return graph


def pyshacl_pairs(graph: Graph) -> set[tuple[str, str]]:
    """(focus, path) of every violation pyshacl finds with shapes.ttl as it is, no inference."""
    import pyshacl

    _, results, text = pyshacl.validate(graph, shacl_graph=load_shapes(), inference="none")
    assert isinstance(results, Graph), text
    return {
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath) or ""))
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(r, SH.resultSeverity) == SH.Violation
    }


def first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls))[0]


def drop_required_document(g: Graph) -> None:
    g.remove((first(g, RKG.ReformProject), RKG.inDocument, None))


def give_two_labels(g: Graph) -> None:
    g.add((first(g, RKG.ReformProject), RDFS.label, Literal("又一个名字", lang="zh")))


def point_to_wrong_class(g: Graph) -> None:
    g.add((first(g, RKG.ReformProject), RKG.leadPost, first(g, RKG.Person)))


def type_an_offset_as_text(g: Graph) -> None:
    ev = first(g, RKG.Evidence)
    g.set((ev, RKG.start, Literal(str(g.value(ev, RKG.start)))))


def count_a_literal_class(g: Graph) -> None:
    g.set((first(g, RKG.StatedFigure), RKG.countsClass, Literal("SpecialGroup")))


def label_in_english_only(g: Graph) -> None:
    project = first(g, RKG.ReformProject)
    g.set((project, RDFS.label, Literal("a project", lang="en")))


def break_a_content_hash(g: Graph) -> None:
    g.set((first(g, RKG.SourceDocument), RKG.contentHash, Literal("F3658B2A")))


def make_an_offset_negative(g: Graph) -> None:
    g.set((first(g, RKG.Evidence), RKG.start, Literal(-1)))


def a_stated_statement(g: Graph):
    return next(s for s in sorted(g.subjects(RDF.type, RDF.Statement)) if (s, RKG.extractedBy, None) in g)


def state_and_infer(g: Graph) -> None:
    """Both stated and inferred: sh:xone wants exactly one."""
    stated = a_stated_statement(g)
    g.add((stated, RKG.inferredBy, first(g, RKG.InferenceRule)))
    g.add((stated, PROV.wasDerivedFrom, first(g, RDF.Statement)))


def neither_state_nor_infer(g: Graph) -> None:
    g.remove((a_stated_statement(g), RKG.extractedBy, None))


def write_an_unreadable_date(g: Graph) -> None:
    g.add((first(g, RKG.ReformProject), RKG.deadlineDate, Literal("2017年底")))


def name_an_entity_in_english(g: Graph) -> None:
    """sh:qualifiedValueShape: no label left that is @zh."""
    measure = first(g, RKG.Measure)
    g.set((measure, RDFS.label, Literal("a measure", lang="en")))


def score_a_match_above_one(g: Graph) -> None:
    """A match of two projects (kg diff) whose score is out of range, and a second one with no
    score at all, which is then neither stated, inferred nor matched."""
    a, b = sorted(g.subjects(RDF.type, RKG.ReformProject))[:2]
    evidence = first(g, RKG.Evidence)
    for number, score in enumerate((Literal(Decimal("1.5")), None)):
        statement = URIRef(f"https://w3id.org/reform-kg/id/statement/match{number}")
        g.add((b if number else a, RKG.continues, a if number else b))
        for p, o in ((RDF.type, RDF.Statement), (RDF.subject, b if number else a), (RDF.predicate, RKG.continues), (RDF.object, a if number else b), (RKG.evidence, evidence)):
            g.add((statement, p, o))
        if score is not None:
            g.add((statement, RKG.matchScore, score))


def name_a_project_by_a_blank_node(g: Graph) -> None:
    g.add((BNode("p"), RDF.type, RKG.ReformProject))


BREAKS = [
    drop_required_document,
    give_two_labels,
    point_to_wrong_class,
    type_an_offset_as_text,
    count_a_literal_class,
    label_in_english_only,
    break_a_content_hash,
    make_an_offset_negative,
    state_and_infer,
    neither_state_nor_infer,
    write_an_unreadable_date,
    name_an_entity_in_english,
    name_a_project_by_a_blank_node,
    score_a_match_above_one,
    strip_a_person,
    drop_a_statement,
    stretch_an_evidence,
    assert_unasserted_triple,
    use_an_undeclared_term,
]


def test_small_fixture_agrees_with_pyshacl(small):
    report = validate_graph(small)
    assert report.conforms, report.violations[:3]
    assert pyshacl_pairs(small) == set()


@pytest.mark.parametrize("break_it", BREAKS, ids=lambda f: f.__name__)
def test_same_violations_as_pyshacl(small, break_it):
    graph = _copy(small)
    break_it(graph)
    expected = pyshacl_pairs(graph)
    report = validate_graph(graph)
    assert not report.conforms
    assert {(v.focus, v.path) for v in report.violations} == expected


@pytest.mark.parametrize(
    "break_it, path, message",
    [
        (give_two_labels, RDFS.label, "A reform project needs exactly one rdfs:label"),
        (drop_required_document, RKG.inDocument, "A reform project needs exactly one rkg:inDocument"),
        (point_to_wrong_class, RKG.leadPost, "rkg:leadPost must point to a node typed rkg:Post."),
        (make_an_offset_negative, RKG.start, "A rkg:Evidence needs exactly one rkg:start"),
        (break_a_content_hash, RKG.contentHash, "64 lowercase hex digits"),
        (name_an_entity_in_english, RDFS.label, "Missing Chinese name"),
        (write_an_unreadable_date, RKG.deadlineDate, "xsd:date, xsd:gYearMonth or xsd:gYear"),
        (strip_a_person, "", "A rkg:Person is a named official"),
        (state_and_infer, "", "either stated"),
        (name_a_project_by_a_blank_node, "", "never a blank node"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_violation_messages(small, break_it, path, message):
    """The message of the shape that fails: the property shape's, else its node shape's."""
    graph = _copy(small)
    break_it(graph)
    report = validate_graph(graph)
    assert any(v.path == str(path) and message in v.message for v in report.violations), report.violations


def test_store_of_named_graphs_validates_as_their_union(small):
    """A dataset's store read through use_default_graph_as_union: the same report."""
    import pyoxigraph as ox

    graph = _copy(small)
    point_to_wrong_class(graph)
    use_an_undeclared_term(graph)
    store = ox.Store()
    for index, (s, p, o) in enumerate(sorted(graph)):
        # Some triples in two graphs: counts must not see them twice.
        for name in {index % 3, index % 2}:
            quad = open_engine(Graph().add((s, p, o)), "oxigraph").store.quads_for_pattern(None, None, None)
            store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"urn:g:{name}")) for q in quad)
    assert validate_store(store, union=True) == validate_graph(graph)
    assert validate_store(open_engine(graph, "oxigraph").store) == validate_graph(graph)


SHAPE_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rkg: <https://w3id.org/reform-kg/ontology#> .
@prefix ex: <http://example.org/> .
"""


@pytest.mark.parametrize(
    "shape, expect",
    [
        ("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:closed true .", "sh:closed has no template"),
        ("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:property [ sh:path rkg:x ; sh:maxLength 3 ] .", "sh:maxLength has no template"),
        ("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:property [ sh:path [ sh:zeroOrMorePath rkg:x ] ; sh:minCount 1 ] .", "kind of path"),
        ("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:minCount 1 .", "needs a property shape"),
    ],
)
def test_unsupported_shapes_are_an_error(shape, expect):
    shapes = Graph().parse(data=SHAPE_PREFIXES + shape, format="turtle")
    with pytest.raises(ShapesError, match=expect):
        ShapeCompiler(shapes, load_templates(), "test.ttl").compile()


def test_undeclared_terms_from_a_store(small):
    graph = _copy(small)
    use_an_undeclared_term(graph)
    graph.add((first(graph, RKG.Person), RDF.type, URIRef(str(RKG._NS) + "NotAClass")))
    report = validate_store(open_engine(graph, "oxigraph").store, ontology=load_ontology())
    assert report.undeclared == (str(RKG._NS) + "NotAClass", str(RKG._NS) + "notATerm")


def _compiled(shape: str):
    return ShapeCompiler(Graph().parse(data=SHAPE_PREFIXES + shape, format="turtle"), load_templates(), "test.ttl").compile()


def test_the_constraints_that_merging_graphs_can_break_are_marked():
    # In shapes.ttl: the upper bounds and "exactly one of".
    counting = {(c.shape.rsplit("/", 1)[-1], c.component) for c in compile_shapes() if c.counts}
    assert ("shapes#StatementShape", "xone") in counting
    assert ("shapes#ReformProject-label", "maxCount") in counting
    assert {component for _, component in counting} == {"maxCount", "xone"}
    # A bound inside a nested shape counts too; at-least constraints do not.
    nested = _compiled("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:or ( [ sh:path rkg:x ; sh:maxCount 1 ] [ sh:path rkg:y ; sh:minCount 1 ] ) .")
    assert [(c.component, c.counts) for c in nested] == [("or", True)]
    at_least = _compiled("ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:or ( [ sh:path rkg:x ; sh:minCount 1 ] ) ; sh:property [ sh:path rkg:y ; sh:class rkg:Post ] .")
    assert {(c.component, c.counts) for c in at_least} == {("or", False), ("class", False)}


def test_validate_shared_checks_the_bounds_of_the_nodes_several_documents_describe(tmp_path, monkeypatch):
    from kg import validate
    from kg.runs import Spool, join_sorted, merge_lines, sorted_lines

    shape = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:message \"one p\" ] ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ."
    monkeypatch.setattr(validate, "compile_shapes", lambda: _compiled(shape))
    ex = "http://example.org/"
    C, p = URIRef(ex + "C"), URIRef(ex + "p")
    x, y, z = URIRef(ex + "x"), URIRef(ex + "y"), URIRef(ex + "z")
    documents = [
        [(x, RDF.type, C), (x, p, Literal(1)), (z, RDF.type, C), (z, p, Literal(1))],
        [(x, RDF.type, C), (x, p, Literal(2)), (z, RDF.type, C), (z, p, Literal(1))],
        [(y, RDF.type, C), (y, p, Literal(1)), (y, p, Literal(2))],  # one document's: its own check
    ]
    with Spool(str(tmp_path)) as spool:
        union = spool.add(b"".join(merge_lines([sorted_lines(d).splitlines(keepends=True) for d in documents])))
        subjects = [spool.add(join_sorted(line.split(b" ", 1)[0] for line in sorted_lines(d).splitlines())) for d in documents]
        spool.seal()
        report = validate.validate_shared(spool.path, union, spool.path, subjects, str(tmp_path))
    # x has two values of ex:p only in the union; z's documents agree; y is in one document, and
    # no at-least constraint (ex:q) is checked again: each document's check reports those.
    assert [(v.focus, v.path, v.message) for v in report.violations] == [(str(x), ex + "p", "one p")]


def test_each_named_graph_is_validated_on_its_own_all_at_once(small):
    """validate_graphs: one query per constraint over a store of several graphs, each graph's
    violations credited to it, as if each had been validated alone."""
    import pyoxigraph as ox

    from kg.validate import DATA_GRAPH, validate_graphs

    broken = _copy(small)
    point_to_wrong_class(broken)
    use_an_undeclared_term(broken)
    half = _copy(small)
    strip_a_person(half)  # his post is stated in the other graph only: each graph must conform alone
    store = ox.Store()
    for name, graph in (("urn:g:broken", broken), ("urn:g:valid", small), ("urn:g:half", half)):
        store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    report = validate_graphs(store, {"urn:g:broken": "broken.txt", "urn:g:half": "half.txt"})
    alone = {name: validate_graph(graph) for name, graph in (("broken.txt", broken), ("half.txt", half))}
    assert not validate_graph(small).violations and alone["half.txt"].violations
    assert {(v.focus, v.path, v.message, v.document) for v in report.violations} == {
        (v.focus, v.path, v.message, name) for name, each in alone.items() for v in each.violations
    }
    assert report.undeclared == alone["broken.txt"].undeclared
    # In the union the person is valid: another graph states his post.
    person = {v.focus for v in alone["half.txt"].violations}
    assert not person & {v.focus for v in validate_graph(small + half).violations}
    assert DATA_GRAPH not in {v.document for v in report.violations}


def test_an_sh_select_with_a_sub_select_is_refused():
    """pyoxigraph drops the graph's binding of a sub-select's rows inside GRAPH: such a select
    cannot be checked a graph at a time, and is an error rather than a wrong answer."""
    shape = (
        'ex:S a sh:NodeShape ; sh:targetClass rkg:Person ; sh:sparql [ sh:select """'
        'SELECT $this WHERE { { SELECT $this WHERE { $this a rkg:Person } } }""" ] .'
    )
    with pytest.raises(ShapesError, match="no sub-select"):
        _compiled(shape)

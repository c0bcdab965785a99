"""kg.validate: shapes.ttl's SPARQL constraints, run once per graph, still catch what they target."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.validate import validate_graph
from kg.vocab import RKG

CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = CASES / "plan" / "pingshan-2017" / "expected.ttl"


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
    st = next(s for s in g.subjects(RDF.predicate, RKG.leadPost))
    g.remove((g.value(st, RDF.subject), RKG.leadPost, g.value(st, RDF.object)))


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

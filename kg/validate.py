"""Is a graph valid? SHACL shapes (shapes.ttl) plus "every rkg: term used is declared"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, SH

from .vocab import RKG

if TYPE_CHECKING:
    from .export import ExportSource

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_PATH = ROOT / "ontology.ttl"
SHAPES_PATH = ROOT / "shapes.ttl"
DECLARING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    violations: tuple[Violation, ...]
    undeclared: tuple[str, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.undeclared

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"{len(self.violations)} SHACL violation(s), {len(self.undeclared)} undeclared term(s)"


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in DECLARING_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}


def undeclared_terms(graph: Graph, ontology: Graph) -> list[str]:
    """rkg: classes and properties the graph uses that ontology.ttl does not declare."""
    ns = str(RKG._NS)
    used = {p for p in graph.predicates() if str(p).startswith(ns)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(ns)}
    return sorted(str(t) for t in used - declared_terms(ontology))


@dataclass(frozen=True)
class _GraphConstraint:
    """A shape's SPARQL constraint, run once over the whole graph instead of once per focus node."""

    select: str
    message: str
    target_classes: tuple[URIRef, ...]
    target_subjects_of: tuple[URIRef, ...]
    prefixes: tuple[tuple[str, str], ...]

    def targets(self, graph: Graph) -> set:
        nodes = {n for c in self.target_classes for n in graph.subjects(RDF.type, c)}
        return nodes | {n for p in self.target_subjects_of for n in graph.subjects(p, None)}


@lru_cache(maxsize=1)
def split_shapes() -> tuple[Graph, tuple[_GraphConstraint, ...]]:
    """shapes.ttl without its SPARQL constraints, and those constraints as whole-graph queries.

    pyshacl parses and runs a SPARQL constraint once per focus node: seconds for a few thousand
    evidence spans. Run once with ``$this`` free, then kept for the shape's targets, the same
    query finds the same violations in milliseconds.
    """
    shapes = load_shapes()
    core = Graph()
    for triple in shapes:
        core.add(triple)
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        prefixes = tuple(
            (str(shapes.value(d, SH.prefix)), str(shapes.value(d, SH.namespace)))
            for source in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(source, SH.declare)
        )
        constraints.append(
            _GraphConstraint(
                select=str(shapes.value(constraint, SH.select)).replace("$this", "?this"),
                message=str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)),
                target_classes=tuple(shapes.objects(shape, SH.targetClass)),
                target_subjects_of=tuple(shapes.objects(shape, SH.targetSubjectsOf)),
                prefixes=prefixes,
            )
        )
        core.remove((shape, SH.sparql, constraint))
        for triple in list(shapes.triples((constraint, None, None))):
            core.remove(triple)
    return core, tuple(constraints)


def _graph_constraint_violations(graph: Graph) -> list[Violation]:
    violations = []
    for constraint in split_shapes()[1]:
        targets = constraint.targets(graph)
        for row in graph.query(constraint.select, initNs=dict(constraint.prefixes)):
            focus = row.this
            if focus in targets:
                path = getattr(row, "path", None) if "path" in row.labels else None
                violations.append(Violation(str(focus), str(path or ""), constraint.message))
    return violations


def validate_graph(graph: Graph) -> ValidationReport:
    """SHACL without RDFS inference (inference would hide gaps) and the ontology check."""
    import pyshacl  # heavy import, only where validation runs

    core, _ = split_shapes()
    _, results, _ = pyshacl.validate(graph, shacl_graph=core, inference="none", allow_warnings=True)
    violations = _graph_constraint_violations(graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        violations.append(
            Violation(
                str(results.value(result, SH.focusNode)),
                str(results.value(result, SH.resultPath) or ""),
                str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return ValidationReport(tuple(sorted(violations, key=lambda v: (v.focus, v.path, v.message))), tuple(undeclared_terms(graph, load_ontology())))


def validate_source(source: ExportSource) -> ValidationReport:
    """``validate_graph`` of an export source's union graph (a corpus build's, made of shards)."""
    return validate_graph(Graph().parse(data=b"".join(source.triple_lines()), format="nt"))

"""Is a graph valid? SHACL shapes (shapes.ttl) plus "every rkg: term used is declared"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, SH

from .vocab import RKG

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


def validate_graph(graph: Graph) -> ValidationReport:
    """SHACL without RDFS inference (inference would hide gaps) and the ontology check."""
    import pyshacl  # heavy import, only where validation runs

    _, results, _ = pyshacl.validate(graph, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True)
    violations = []
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

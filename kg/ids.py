"""Deterministic IRIs: a type slug and a hash of a canonical key. Never blank nodes for entities."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from .model import Entity, SourceDocument, Span, StatedFigure
from .vocab import ID, RKG

# Entity kind → (class, what its identity is scoped to):
#   "global"   a post title, a level of government or a problem means the same everywhere (the
#              same problem addressed in several plans is one node);
#   "place"    a person, a special group or a unit is one within the place its document is from,
#              where kg.resolve.assign_places resolves one, and within its document otherwise;
#   "document" a project, a tier or a measure belongs to the document that states it.
KIND_CLASSES = {
    "project": (RKG.ReformProject, "document"),
    "person": (RKG.Person, "place"),
    "post": (RKG.Post, "global"),
    "group": (RKG.SpecialGroup, "place"),
    "organization": (RKG.Organization, "place"),
    "tier": (RKG.ProjectTier, "document"),
    "level": (RKG.GovernanceLevel, "global"),
    "problem": (RKG.TargetProblem, "global"),
    "measure": (RKG.Measure, "document"),
}

HASH_CHARS = 16


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:HASH_CHARS]


def entity_scope(entity: Entity, document: SourceDocument, place: str | None = None) -> str:
    """The part of an entity's identity beyond its key: "" for a global kind, the ``place`` it
    was resolved to (see KIND_CLASSES), else its document."""
    scope = KIND_CLASSES[entity.kind][1]
    if scope == "global":
        return ""
    return place if scope == "place" and place else _document_key(document)


def entity_iri(entity: Entity, scope: str) -> URIRef:
    if entity.kind == "level":
        return ID[f"level/{entity.key}"]
    return ID[f"{entity.kind}/{digest(scope, entity.key)}"]


def _document_key(document: SourceDocument) -> str:
    """A document's part in its IRIs: a hash of its identity, which an edit of its text keeps
    (``SourceDocument.key``); the text's hash where it has none."""
    return digest("document", document.identity) if document.identity else document.doc_id


def document_iri(document: SourceDocument) -> URIRef:
    return ID[f"document/{_document_key(document)}"]


def document_graph_iri(document: SourceDocument) -> URIRef:
    return ID[f"graph/{_document_key(document)}"]


INFERRED_GRAPH = ID["graph/inferred"]
# The named graph the ontology goes in, in the dataset exports and beside the data for the rules: its own IRI.
ONTOLOGY_GRAPH = URIRef("https://w3id.org/reform-kg/ontology")


def evidence_iri(document: SourceDocument, span: Span) -> URIRef:
    return ID[f"evidence/{digest(_document_key(document), str(span.start), str(span.end))}"]


def statement_iri(document: SourceDocument, subject: URIRef, predicate: URIRef, obj: str) -> URIRef:
    """One document's statement of a triple: where two documents state the same triple (a
    person resolved across them holds the same post), each keeps its own evidence and rule."""
    return ID[f"statement/{digest(_document_key(document), str(subject), str(predicate), obj)}"]


def figure_iri(document: SourceDocument, figure: StatedFigure, scope: str) -> URIRef:
    return ID[f"figure/{digest(_document_key(document), figure.counts, scope, str(figure.value))}"]


def place_iri(code: str) -> URIRef:
    """A division of the code list: its code is its identity (a place renamed keeps it)."""
    return ID[f"place/{code}"]


def rule_iri(name: str) -> URIRef:
    """An inference rule (rkg:InferenceRule), named by its name."""
    return ID[f"rule/{name}"]


def extraction_rule_iri(name: str) -> URIRef:
    """An extraction rule (rkg:ExtractionRule), named by its name: a path of its own, so that an
    extraction rule and an inference rule of the same name stay two nodes."""
    return ID[f"extraction-rule/{name}"]


def match_statement_iri(subject: URIRef, predicate: URIRef, obj: URIRef) -> URIRef:
    """The statement of a match between two projects (``kg diff``): of no one document, so
    named by the triple alone; the same pair matched again is the same statement."""
    return ID[f"statement/{digest('match', str(subject), str(predicate), str(obj))}"]

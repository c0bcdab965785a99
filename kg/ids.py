"""Deterministic IRIs: a type slug and a hash of a canonical key. Never blank nodes for entities."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from .model import Entity, SourceDocument, Span, StatedFigure
from .vocab import ID, RKG

# Entity kind → (class, whether its identity is scoped to one document).
# A post title or a level of government means the same everywhere; a project, a group or a
# unit belongs to the document (and place) that names it. Problems are shared so that a
# researcher can see the same problem addressed in several plans.
KIND_CLASSES = {
    "project": (RKG.ReformProject, True),
    "person": (RKG.Person, True),
    "post": (RKG.Post, False),
    "group": (RKG.SpecialGroup, True),
    "organization": (RKG.Organization, True),
    "tier": (RKG.ProjectTier, True),
    "level": (RKG.GovernanceLevel, False),
    "problem": (RKG.TargetProblem, False),
    "measure": (RKG.Measure, True),
}

HASH_CHARS = 16


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:HASH_CHARS]


def entity_scope(entity: Entity, document: SourceDocument) -> str:
    """The part of an entity's identity that comes from its document ("" where it has none)."""
    return document.doc_id if KIND_CLASSES[entity.kind][1] else ""


def entity_iri(entity: Entity, scope: str) -> URIRef:
    if entity.kind == "level":
        return ID[f"level/{entity.key}"]
    return ID[f"{entity.kind}/{digest(scope, entity.key)}"]


def document_iri(document: SourceDocument) -> URIRef:
    return ID[f"document/{document.doc_id}"]


def document_graph_iri(document: SourceDocument) -> URIRef:
    return ID[f"graph/{document.doc_id}"]


INFERRED_GRAPH = ID["graph/inferred"]


def evidence_iri(document: SourceDocument, span: Span) -> URIRef:
    return ID[f"evidence/{digest(document.doc_id, str(span.start), str(span.end))}"]


def statement_iri(subject: URIRef, predicate: URIRef, obj: str) -> URIRef:
    return ID[f"statement/{digest(str(subject), str(predicate), obj)}"]


def figure_iri(document: SourceDocument, figure: StatedFigure, scope: str) -> URIRef:
    return ID[f"figure/{digest(document.doc_id, figure.counts, scope, str(figure.value))}"]


def rule_iri(name: str) -> URIRef:
    return ID[f"rule/{name}"]

"""Resolved records → an rdflib Dataset: one named graph per document, one for inferred facts.

Every typed relation is also reified as an ``rdf:Statement`` carrying its evidence (stated) or
its rule and premises (inferred), so SPARQL alone can answer "which sentence says that…".
"""

from __future__ import annotations

import hashlib
import re

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .ids import (
    INFERRED_GRAPH,
    KIND_CLASSES,
    document_graph_iri,
    document_iri,
    entity_iri,
    entity_scope,
    evidence_iri,
    extraction_rule_iri,
    figure_iri,
    place_iri,
    rule_iri,
    statement_iri,
)
from .model import Entity, Fact, Resolved, Span, Value
from .script import LANGUAGE_TAGS, SIMPLIFIED_TAG
from .resolve import INFERENCE_RULES, assign_places
from .vocab import RKG

# What a stated figure counts → the class counted.
COUNTED_CLASSES = {kind: cls for kind, (cls, _) in KIND_CLASSES.items()}
# The kinds that are SKOS concepts, and the scheme (declared in ontology.ttl) each is in.
CONCEPT_SCHEMES = {"tier": RKG.ProjectTiers, "level": RKG.GovernanceLevels, "problem": RKG.TargetProblems}


def _literal(value: Value) -> Literal:
    if value.datatype:
        return Literal(value.text, datatype=XSD[value.datatype])
    return Literal(value.text, lang=value.language or None)


class _Writer:
    """Adds one document's records to its named graph and the inferred graph: rdflib graphs, or
    sets of triples (anything with ``add(triple)``)."""

    def __init__(self, graph: Graph | set, inferred: Graph | set, resolved: Resolved, places: dict[tuple[str, str, str], str]):
        self.resolved = resolved
        self.places = places  # from kg.resolve.assign_places, over every document of the build
        self.document = resolved.document
        self.graph = graph
        self.inferred = inferred
        self.doc = document_iri(self.document)
        # The tag of the document's own text: "zh" for simplified documents, "zh-Hant" for traditional.
        self.language = LANGUAGE_TAGS[self.document.script]

    def node(self, entity: Entity) -> URIRef:
        place = self.places.get((self.document.doc_id, entity.kind, entity.key))
        return entity_iri(entity, entity_scope(entity, self.document, place))

    def evidence(self, span: Span) -> URIRef:
        node = evidence_iri(self.document, span)
        g = self.graph
        g.add((node, RDF.type, RKG.Evidence))
        g.add((node, RKG.quote, Literal(span.text)))
        g.add((node, RKG.start, Literal(span.start)))
        g.add((node, RKG.end, Literal(span.end)))
        g.add((node, RKG.inDocument, self.doc))
        return node

    def entity(self, entity: Entity) -> URIRef:
        node = self.node(entity)
        cls = KIND_CLASSES[entity.kind][0]
        self.graph.add((node, RDF.type, cls))
        self.graph.add((node, RDFS.label, Literal(entity.label, lang=self.language)))
        if entity.alt_label:
            self.graph.add((node, SKOS.altLabel, Literal(entity.alt_label, lang=SIMPLIFIED_TAG)))
        if entity.kind in CONCEPT_SCHEMES:
            self.graph.add((node, SKOS.prefLabel, Literal(entity.label, lang=self.language)))
            self.graph.add((node, SKOS.inScheme, CONCEPT_SCHEMES[entity.kind]))
        if entity.kind == "project":
            self.graph.add((node, RKG.inDocument, self.doc))
        return node

    def term(self, obj) -> URIRef | Literal:
        return self.node(obj) if isinstance(obj, Entity) else _literal(obj)

    def state(self, target: Graph | set, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: tuple[Span, ...]) -> URIRef:
        """``s p o`` in ``target``, with its rdf:Statement and the spans that state it."""
        target.add((s, p, o))
        statement = statement_iri(self.document, s, p, o.n3())
        target.add((statement, RDF.type, RDF.Statement))
        target.add((statement, RDF.subject, s))
        target.add((statement, RDF.predicate, p))
        target.add((statement, RDF.object, o))
        for span in evidence:
            target.add((statement, RKG.evidence, self.evidence(span)))
        return statement

    def fact(self, fact: Fact) -> URIRef:
        s, p, o = self.node(fact.subject), RKG[fact.predicate], self.term(fact.object)
        target = self.inferred if fact.inferred else self.graph
        statement = self.state(target, s, p, o, fact.evidence)
        if fact.inferred:
            target.add((statement, RKG.inferredBy, rule_iri(fact.rule)))
            for premise in fact.premises:
                ps, pp, po = self.node(premise.subject), RKG[premise.predicate], self.term(premise.object)
                target.add((statement, PROV.wasDerivedFrom, statement_iri(self.document, ps, pp, po.n3())))
        else:
            self.extracted_by(statement, fact.rule)
        return statement

    def extracted_by(self, statement: URIRef, rule: str) -> None:
        """The extraction rule that read a stated relation: a node, as an inferred one's rule is,
        named in the document's graph so that the graph describes it on its own."""
        node = extraction_rule_iri(rule)
        self.graph.add((statement, RKG.extractedBy, node))
        self.graph.add((node, RDF.type, RKG.ExtractionRule))
        self.graph.add((node, RDFS.label, Literal(rule, lang="en")))


def _add_document(w: _Writer) -> None:
    doc, g, d = w.doc, w.graph, w.document
    g.add((doc, RDF.type, RKG.SourceDocument))
    g.add((doc, RDFS.label, Literal(d.title or d.name, lang=w.language)))
    if d.title:
        g.add((doc, DCTERMS.title, Literal(d.title, lang=w.language)))
    # Only where it is not the graph's default "zh": simplified documents' graphs stay as they were.
    if w.language != LANGUAGE_TAGS["simplified"]:
        g.add((doc, DCTERMS.language, Literal(w.language, datatype=XSD.language)))
    g.add((doc, DCTERMS.source, Literal(d.name)))
    if d.identity:  # where the document is, which its IRIs are made from ("台账/2024/a.docx")
        g.add((doc, DCTERMS.identifier, Literal(d.identity)))
    g.add((doc, DCTERMS["format"], Literal(d.media_type)))
    g.add((doc, RKG.contentHash, Literal("sha256:" + hashlib.sha256(d.text.encode("utf-8")).hexdigest())))
    g.add((doc, RKG.charCount, Literal(len(d.text))))
    g.add((doc, RKG.encoding, Literal(d.encoding)))
    g.add((doc, RKG.genre, Literal(w.resolved.genre)))
    if w.resolved.place:
        # Found in the simplified reading, so it is simplified: one place whichever script names it.
        g.add((doc, RKG.place, Literal(w.resolved.place, lang=LANGUAGE_TAGS["simplified"])))


# The tier of a division (kg.divisions.TIERS) → its rkg:DivisionLevel.
DIVISION_LEVELS = {"province": RKG.ProvinceLevel, "prefecture": RKG.PrefectureLevel, "county": RKG.CountyLevel}
# How each grounding was read, for its statements' rkg:extractedBy.
PLACE_RULES = {"issuingPlace": "place-from-issuer", "jurisdiction": "jurisdiction-from-unit-name", "collectiveOver": "collective-from-unit-name"}


def _add_places(w: _Writer) -> None:
    """The divisions the document's grounding names, as rkg:Place nodes with their codes, tiers
    and parents; its issuing place and its units' divisions as statements with evidence."""
    r, g = w.resolved, w.graph
    for division in r.divisions:
        node = place_iri(division.code)
        g.add((node, RDF.type, RKG.Place))
        # the code list's name, simplified whichever script the document is in: one label a place
        g.add((node, RDFS.label, Literal(division.name, lang=LANGUAGE_TAGS["simplified"])))
        g.add((node, RKG.divisionCode, Literal(division.code)))
        g.add((node, RKG.divisionLevel, DIVISION_LEVELS[division.tier]))
        g.add((node, SKOS.inScheme, RKG.AdministrativeDivisions))
        if division.parent:
            g.add((node, SKOS.broader, place_iri(division.parent)))
    grounding = r.grounding
    if grounding is not None and grounding.chain and grounding.evidence is not None:
        _state(w, w.doc, "issuingPlace", place_iri(grounding.chain[0].code), (grounding.evidence,))
        g.add((w.doc, RKG.codeListYear, Literal(grounding.list_year)))
    if r.unit_places:
        spans = _first_spans(r)
        for unit in r.unit_places:
            entity = Entity(unit.kind, unit.key, "")
            predicate = "jurisdiction" if unit.relation == "jurisdiction" else "collectiveOver"
            span = spans.get((unit.kind, unit.key))
            if span is not None:
                _state(w, w.node(entity), predicate, place_iri(unit.code), (span,))


def _state(w: _Writer, subject: URIRef, predicate: str, obj: URIRef, evidence: tuple[Span, ...]) -> None:
    """``subject predicate obj`` in the document's graph, with its statement, evidence and rule."""
    statement = w.state(w.graph, subject, RKG[predicate], obj, evidence)
    w.extracted_by(statement, PLACE_RULES[predicate])


def _first_spans(resolved: Resolved) -> dict[tuple[str, str], Span]:
    """(kind, key) → the first sentence that names each entity."""
    spans: dict[tuple[str, str], Span] = {}
    for mention in resolved.mentions:
        key = (mention.entity.kind, mention.entity.key)
        if key not in spans or (mention.span.start, mention.span.end) < (spans[key].start, spans[key].end):
            spans[key] = mention.span
    for fact in resolved.facts:
        if isinstance(fact.object, Entity) and fact.evidence:
            key = (fact.object.kind, fact.object.key)
            spans.setdefault(key, fact.evidence[0])
    return spans


def _add_figures(w: _Writer) -> None:
    for figure, found in w.resolved.figures:
        scope = w.node(figure.scope) if figure.scope else None
        node = figure_iri(w.document, figure, str(scope or ""))
        g = w.graph
        g.add((w.doc, RKG.statesFigure, node))
        g.add((node, RDF.type, RKG.StatedFigure))
        g.add((node, RDFS.label, Literal(figure.label, lang=w.language)))
        g.add((node, RKG.statedValue, Literal(figure.value)))
        kind = figure.counts.split(":")[0]
        g.add((node, RKG.countsClass, COUNTED_CLASSES[kind]))
        if scope is not None:
            g.add((node, RKG.scope, scope))
        if found is not None:
            g.add((node, RKG.foundValue, Literal(found)))
        g.add((node, RKG.evidence, w.evidence(figure.evidence)))


def _add_rules(g: Graph | set) -> None:
    for name, comment in sorted(INFERENCE_RULES.items()):
        node = rule_iri(name)
        g.add((node, RDF.type, RKG.InferenceRule))
        g.add((node, RDFS.label, Literal(name, lang="en")))
        g.add((node, RDFS.comment, Literal(comment, lang="en")))


def records_to_dataset(documents: list[Resolved], places: dict[tuple[str, str, str], str] | None = None) -> Dataset:
    """Build the dataset for all documents. Pure: the same records give the same triples.
    ``places``: kg.resolve.assign_places over a corpus these documents are part of (by default,
    over these documents)."""
    dataset = Dataset()
    for prefix, ns in (("rkg", RKG._NS), ("skos", SKOS), ("prov", PROV), ("dcterms", DCTERMS)):
        dataset.bind(prefix, ns)
    places = assign_places(documents) if places is None else places
    for resolved in documents:
        _write(_Writer(dataset.graph(document_graph_iri(resolved.document)), dataset.graph(INFERRED_GRAPH), resolved, places))
    if any(f.inferred for r in documents for f in r.facts):
        _add_rules(dataset.graph(INFERRED_GRAPH))
    return dataset


def document_triples(resolved: Resolved, places: dict[tuple[str, str, str], str]) -> tuple[set, set]:
    """What ``records_to_dataset`` adds for one document, without an rdflib store: the triples
    of its named graph, and of its share of the inferred graph. ``places``: its entries of
    kg.resolve.assign_places over the corpus."""
    graph: set = set()
    inferred: set = set()
    _write(_Writer(graph, inferred, resolved, places))
    if any(f.inferred for f in resolved.facts):
        _add_rules(inferred)
    return graph, inferred


def _write(w: _Writer) -> None:
    _add_document(w)
    _add_places(w)
    for entity in w.resolved.entities:
        w.entity(entity)
    for mention in w.resolved.mentions:
        w.graph.add((w.node(mention.entity), RKG.evidence, w.evidence(mention.span)))
        written = re.sub(r"\s+", "", mention.written_form)
        if mention.exact != mention.span and written != mention.entity.label and mention.entity.kind not in ("level", "measure"):
            w.graph.add((w.node(mention.entity), RKG.writtenForm, Literal(written, lang=w.language)))
    for fact in w.resolved.facts:
        w.fact(fact)
    _add_figures(w)


def union_graph(dataset: Dataset) -> Graph:
    """All named graphs as one graph, with the dataset's prefixes."""
    graph = Graph()
    for prefix, ns in dataset.namespaces():
        graph.bind(prefix, ns)
    for quad in dataset.quads((None, None, None, None)):
        graph.add(quad[:3])
    return graph

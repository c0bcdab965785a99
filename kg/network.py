"""RDF → networkx: the projection that views (and graph exports) draw.

Entities become nodes and relations between them typed edges; literals become attributes, and the
evidence behind a node or an edge comes along as quotes. Evidence spans, reified statements and
stated figures are not drawn: they are what a node's or an edge's quotes are made of.

Pure: a graph in, a ``networkx.MultiDiGraph`` out, nodes and edges added in sorted order so the
same graph always gives the same network.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from .vocab import RKG

# The classes drawn, in legend order.
NODE_CLASSES = (
    RKG.SourceDocument,
    RKG.ReformProject,
    RKG.Person,
    RKG.Post,
    RKG.SpecialGroup,
    RKG.Organization,
    RKG.ProjectTier,
    RKG.GovernanceLevel,
    RKG.TargetProblem,
    RKG.Measure,
)

# The relations drawn as edges: the vocabulary's own, between entities. Their inverses
# (rkg:leads, …) and the aligned vocabularies' copies (org:holds, …), which kg.infer adds, would
# draw each edge twice.
EDGES = {
    RKG.inDocument,
    RKG.tier,
    RKG.leadPerson,
    RKG.leadPost,
    RKG.holdsPost,
    RKG.responsibleGroup,
    RKG.leadUnit,
    RKG.supportUnit,
    RKG.involvesLevel,
    RKG.addressesProblem,
    RKG.hasMeasure,
    RKG.carriedOutBy,
    RKG.ledByPost,
    RKG.scope,
}


@dataclass(frozen=True, order=True, slots=True)
class Quote:
    """A span of a source document: where the text states a node or an edge."""

    document: str  # the document's IRI
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"document": self.document, "start": self.start, "end": self.end, "text": self.text}


def local_name(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


def graph_to_network(graph: Graph | Iterable[tuple]) -> nx.MultiDiGraph:
    """Nodes carry ``cls`` (the class's local name), ``label``, ``documents`` (IRIs of the
    documents that state them), ``quotes`` and ``attrs`` (literal values by property); edges are
    keyed by the property's local name and carry ``quotes``, ``inferred`` and ``rule``.
    ``graph``: an rdflib graph, or its triples, each once."""
    triples = _Triples(graph)
    quotes = _read_quotes(triples)
    statements = _read_statements(triples, quotes)
    node_class = _node_classes(triples)
    network = nx.MultiDiGraph()
    documents: dict[str, set[str]] = defaultdict(set)

    for iri in sorted(node_class, key=str):
        own = sorted(q for e in triples.objects(iri, RKG.evidence) if (q := quotes.get(e)))
        # Values by their text: 市 tagged zh and zh-Hant is one value to show.
        attrs: dict[str, set[str]] = defaultdict(set)
        labels = []
        for p, o in triples.about[iri]:
            if p == RDFS.label:
                labels.append(str(o))
            elif isinstance(o, Literal):
                attrs[local_name(p)].add(str(o))
        network.add_node(
            str(iri),
            cls=local_name(node_class[iri]),
            label=min(labels) if labels else local_name(iri),
            quotes=own,
            attrs={k: sorted(v) for k, v in sorted(attrs.items())},
        )
        documents[str(iri)].update(q.document for q in own)
        if node_class[iri] == RKG.SourceDocument:
            documents[str(iri)].add(str(iri))

    for s, p, o in sorted(triples.edges):
        if s not in node_class or o not in node_class:
            continue
        said = statements.get((s, p, o), ([], None))
        edge_quotes, rule = said
        key = local_name(p)
        network.add_edge(str(s), str(o), key=key, predicate=str(p), quotes=edge_quotes, inferred=rule is not None, rule=rule or "")
        for q in edge_quotes:
            documents[str(s)].add(q.document)
            documents[str(o)].add(q.document)
        if p == RKG.inDocument:
            documents[str(s)].add(str(o))
    for node, docs in documents.items():
        network.nodes[node]["documents"] = sorted(docs)
    return network


class _Triples:
    """What the projection reads of a graph, indexed in one pass: each subject's predicates and
    objects, the subjects of each class, and the triples of the relations drawn."""

    def __init__(self, triples: Iterable[tuple]):
        self.about: dict = defaultdict(list)
        self.typed: dict = defaultdict(list)
        self.edges: list[tuple] = []
        for s, p, o in triples:
            self.about[s].append((p, o))
            if p == RDF.type:
                self.typed[o].append(s)
            elif p in EDGES:
                self.edges.append((s, p, o))

    def objects(self, subject, predicate) -> list:
        return [o for p, o in self.about.get(subject, ()) if p == predicate]

    def value(self, subject, predicate):
        """An object of the subject's predicate (the least, should it have several), or None."""
        return min(self.objects(subject, predicate), default=None)


def _node_classes(triples: _Triples) -> dict[URIRef, URIRef]:
    """Each drawn node's class; a node typed twice takes the first in legend order."""
    found: dict[URIRef, URIRef] = {}
    for cls in reversed(NODE_CLASSES):
        for s in triples.typed.get(cls, ()):
            if isinstance(s, URIRef):
                found[s] = cls
    return found


def _read_quotes(triples: _Triples) -> dict[URIRef, Quote]:
    quotes = {}
    documents: dict = {}  # one string of each document's IRI, however many quotes it has
    for e in triples.typed.get(RKG.Evidence, ()):
        text, start, end, doc = (triples.value(e, p) for p in (RKG.quote, RKG.start, RKG.end, RKG.inDocument))
        if text is not None and start is not None and end is not None:
            quotes[e] = Quote(documents.setdefault(doc, str(doc or "")), int(start), int(end), str(text))
    return quotes


def _read_statements(triples: _Triples, quotes: dict[URIRef, Quote]) -> dict[tuple, tuple[list[Quote], str | None]]:
    """(s, p, o) → the quotes of every statement of it, and the rule that inferred it: None when
    some document states it, which outweighs an inference."""
    said: dict[tuple, set[Quote]] = defaultdict(set)
    rules: dict[tuple, set[str]] = defaultdict(set)
    stated: set[tuple] = set()
    for st in triples.typed.get(RDF.Statement, ()):
        key = (triples.value(st, RDF.subject), triples.value(st, RDF.predicate), triples.value(st, RDF.object))
        said[key].update(q for e in triples.objects(st, RKG.evidence) if (q := quotes.get(e)))
        inferred_by = triples.value(st, RKG.inferredBy)
        if inferred_by is None:
            stated.add(key)
        else:
            rules[key].add(local_name(inferred_by))
    return {key: (sorted(q), None if key in stated or not rules[key] else min(rules[key])) for key, q in said.items()}


class NetworkMerger:
    """The projection of a union of graphs, from the projections of each (kg.shard): the same
    network ``graph_to_network`` makes of the union, without the union. Projections are merged as
    they come, so that they need not all be held. A node's class is the
    first in legend order, its label the least, its quotes, values and documents all of the
    parts'; an edge stated in any part is stated, else it keeps the least rule."""

    def __init__(self):
        self.order = {local_name(cls): rank for rank, cls in enumerate(NODE_CLASSES)}
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str, str], dict] = {}

    def add(self, part: nx.MultiDiGraph) -> None:
        for node, data in part.nodes(data=True):
            into = self.nodes.get(node)
            if into is None:
                self.nodes[node] = {**data, "quotes": set(data["quotes"]), "documents": set(data["documents"]), "attrs": {k: set(v) for k, v in data["attrs"].items()}}
                continue
            if self.order[data["cls"]] < self.order[into["cls"]]:
                into["cls"] = data["cls"]
            into["label"] = min(into["label"], data["label"])
            into["quotes"].update(data["quotes"])
            into["documents"].update(data["documents"])
            for name, values in data["attrs"].items():
                into["attrs"].setdefault(name, set()).update(values)
        for source, target, key, data in part.edges(keys=True, data=True):
            into = self.edges.get((source, target, key))
            if into is None:
                self.edges[(source, target, key)] = {**data, "quotes": set(data["quotes"])}
                continue
            into["quotes"].update(data["quotes"])
            if not data["inferred"]:
                into.update(inferred=False, rule="")
            elif into["inferred"]:
                into["rule"] = min(into["rule"], data["rule"])

    def network(self) -> nx.MultiDiGraph:
        """The merged network, nodes and edges in the order graph_to_network adds them. They are
        taken out of the merger as they go in (the two are never both whole): once only."""
        network = nx.MultiDiGraph()
        for node in sorted(self.nodes):
            data = self.nodes.pop(node)
            network.add_node(
                node,
                cls=data["cls"],
                label=data["label"],
                quotes=sorted(data["quotes"]),
                attrs={k: sorted(v) for k, v in sorted(data["attrs"].items())},
                documents=sorted(data["documents"]),
            )
        for source, target, key in sorted(self.edges, key=lambda e: (e[0], self.edges[e]["predicate"], e[1])):
            data = self.edges.pop((source, target, key))
            network.add_edge(source, target, key=key, **{**data, "quotes": sorted(data["quotes"])})
        return network

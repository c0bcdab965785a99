"""RDF → a network: the projection that views (and graph exports) draw.

Entities become nodes and relations between them typed edges; literals become attributes, and the
evidence behind a node or an edge comes along as quotes. Evidence spans, reified statements and
stated figures are not drawn: they are what a node's or an edge's quotes are made of.

Pure: a graph in, a ``Projection`` out (read like a ``networkx.MultiDiGraph``), nodes and edges
in sorted order so the same graph always gives the same network.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Iterable, Iterator

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


def graph_to_network(graph: Graph | Iterable[tuple]) -> Projection:
    """Nodes carry ``cls`` (the class's local name), ``label``, ``documents`` (IRIs of the
    documents that state them), ``quotes`` and ``attrs`` (literal values by property); edges are
    keyed by the property's local name and carry ``predicate``, ``quotes``, ``inferred`` and
    ``rule``. ``graph``: an rdflib graph, or its triples, each once."""
    triples = _Triples(graph)
    quotes = _read_quotes(triples)
    statements = _read_statements(triples, quotes)
    node_class = _node_classes(triples)
    names = {iri: str(iri) for iri in node_class}  # one string of each IRI, however many edges
    documents: dict[str, set[str]] = defaultdict(set)
    nodes: dict[str, tuple] = {}

    for iri in sorted(node_class, key=str):
        own = tuple(sorted(q for e in triples.objects(iri, RKG.evidence) if (q := quotes.get(e))))
        # Values by their text: 市 tagged zh and zh-Hant is one value to show.
        attrs: dict[str, set[str]] = defaultdict(set)
        labels = []
        for p, o in triples.about[iri]:
            if p == RDFS.label:
                labels.append(str(o))
            elif isinstance(o, Literal):
                attrs[local_name(p)].add(str(o))
        name = names[iri]
        nodes[name] = (local_name(node_class[iri]), min(labels) if labels else local_name(iri), own, tuple((k, tuple(sorted(v))) for k, v in sorted(attrs.items())))
        documents[name].update(q.document for q in own)
        if node_class[iri] == RKG.SourceDocument:
            documents[name].add(name)

    edges = []
    predicates: dict = {}
    for s, p, o in sorted(triples.edges):
        if s not in node_class or o not in node_class:
            continue
        edge_quotes, rule = statements.get((s, p, o), ((), None))
        edges.append((names[s], names[o], local_name(p), (predicates.setdefault(p, str(p)), edge_quotes, rule)))
        for q in edge_quotes:
            documents[names[s]].add(q.document)
            documents[names[o]].add(q.document)
        if p == RKG.inDocument:
            documents[names[s]].add(names[o])
    return Projection({node: (*record, tuple(sorted(documents[node]))) for node, record in nodes.items()}, edges)


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


def _read_statements(triples: _Triples, quotes: dict[URIRef, Quote]) -> dict[tuple, tuple[tuple[Quote, ...], str | None]]:
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
    return {key: (tuple(sorted(q)), None if key in stated or not rules[key] else min(rules[key])) for key, q in said.items()}


class Projection:
    """The projection as a corpus build holds it: a read-only multigraph of keyed, directed edges,
    kept in tuples (networkx's dicts took 250 kB a document, 1.3 GB for 5,000). It reads like the
    ``networkx.MultiDiGraph`` made by adding its nodes and then its edges in the order given, in
    the same order, for the part of that interface the views and exports use; a node's or an
    edge's data is a new dict at each read."""

    __slots__ = ("_nodes", "_out", "_in", "_size")

    def __init__(self, nodes: dict[str, tuple], edges: Iterable[tuple[str, str, str, tuple]]):
        """``nodes``: node → (cls, label, quotes, attrs as (name, values) pairs, documents);
        ``edges``: (source, target, key, (predicate, quotes, rule or None when stated)), sorted
        by source, each (source, target, key) once."""
        self._nodes = nodes
        out: dict[str, tuple] = {}
        into: dict[str, list] = defaultdict(list)
        self._size = 0
        for source, group in itertools.groupby(edges, key=lambda e: e[0]):
            # networkx keeps a node's edges by target, the targets in the order first met.
            by_target: dict[str, list] = {}
            for _, target, key, edge in group:
                by_target.setdefault(target, []).append((target, key, edge))
            out[source] = tuple(e for targets in by_target.values() for e in targets)
            for target, key, edge in out[source]:
                into[target].append((source, key, edge))
            self._size += len(out[source])
        self._out = out
        self._in = {node: tuple(edges) for node, edges in into.items()}

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __contains__(self, node) -> bool:
        return node in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    @property
    def nodes(self) -> _NodeView:
        return _NodeView(self._nodes)

    def number_of_nodes(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return self._size

    def edges(self, keys: bool = False, data: bool = False) -> Iterator[tuple]:
        for source in self._nodes:
            yield from self.out_edges(source, keys, data)

    def out_edges(self, node: str, keys: bool = False, data: bool = False) -> Iterator[tuple]:
        for target, key, edge in self._out.get(node, ()):
            yield (node, target) + ((key,) if keys else ()) + ((_edge_data(edge),) if data else ())

    def in_edges(self, node: str, keys: bool = False, data: bool = False) -> Iterator[tuple]:
        for source, key, edge in self._in.get(node, ()):
            yield (source, node) + ((key,) if keys else ()) + ((_edge_data(edge),) if data else ())

    def successors(self, node: str) -> Iterator[str]:
        return iter(dict.fromkeys(target for target, _, _ in self._out.get(node, ())))

    def predecessors(self, node: str) -> Iterator[str]:
        return iter(dict.fromkeys(source for source, _, _ in self._in.get(node, ())))

    def degree(self, node: str | None = None):
        """A node's edges in and out; with no node, (node, degree) for each."""
        if node is not None:
            return len(self._out.get(node, ())) + len(self._in.get(node, ()))
        return ((n, self.degree(n)) for n in self._nodes)

    @property
    def succ(self) -> _Successors:
        return _Successors(self._out)

    def get_edge_data(self, source: str, target: str, key: str | None = None, default=None):
        found = self.succ[source].get(target)
        if found is None:
            return default
        return found if key is None else found.get(key, default)


NODE_FIELDS = ("cls", "label", "quotes", "attrs", "documents")


class _NodeData(Mapping):
    """A node's data as networkx gives it, each field read when it is asked for: a level or a
    problem that thousands of documents state has as many quotes and documents, and the pages
    that draw it read them without a copy (its quotes and documents are tuples, not lists)."""

    __slots__ = ("_record",)

    def __init__(self, record: tuple):
        self._record = record

    def __getitem__(self, key: str):
        try:
            at = NODE_FIELDS.index(key)
        except ValueError:
            raise KeyError(key) from None
        value = self._record[at]
        # Quotes and documents as kept, a tuple each: read, never copied.
        return {name: list(values) for name, values in value} if key == "attrs" else value

    def __iter__(self) -> Iterator[str]:
        return iter(NODE_FIELDS)

    def __len__(self) -> int:
        return len(NODE_FIELDS)


def _edge_data(edge: tuple) -> dict:
    predicate, quotes, rule = edge
    return {"predicate": predicate, "quotes": list(quotes), "inferred": rule is not None, "rule": rule or ""}


class _NodeView(Mapping):
    """``Projection.nodes``: node → its data; called, the nodes alone, with their data
    (``data=True``) or with one attribute of it (``data="label"``)."""

    def __init__(self, nodes: dict[str, tuple]):
        self._nodes = nodes

    def __getitem__(self, node: str) -> dict:
        return _NodeData(self._nodes[node])

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node) -> bool:
        return node in self._nodes

    def __call__(self, data: bool | str = False) -> Iterator:
        if data is False:
            return iter(self._nodes)
        if data is True:
            return ((node, _NodeData(record)) for node, record in self._nodes.items())
        return ((node, _NodeData(record).get(data)) for node, record in self._nodes.items())


class _Successors(Mapping):
    """``Projection.succ``: node → {target: {key: data}}, made as it is read."""

    def __init__(self, out: dict[str, tuple]):
        self._out = out

    def __getitem__(self, node: str) -> dict[str, dict[str, dict]]:
        targets: dict[str, dict[str, dict]] = {}
        for target, key, edge in self._out.get(node, ()):
            targets.setdefault(target, {})[key] = _edge_data(edge)
        return targets

    def __iter__(self) -> Iterator[str]:
        return iter(self._out)

    def __len__(self) -> int:
        return len(self._out)


class NetworkMerger:
    """The projection of a union of graphs, from the projections of each (kg.shard): the same
    network ``graph_to_network`` makes of the union, without the union. Projections are merged as
    they come, so that they need not all be held. A node's class is the first in legend order,
    its label the least, its quotes, values and documents all of the parts'; an edge stated in any
    part is stated, else it keeps the least rule. What one part alone has is kept as it came; what
    several have grows in sets until the end."""

    def __init__(self):
        self.order = {local_name(cls): rank for rank, cls in enumerate(NODE_CLASSES)}
        self.nodes: dict[str, tuple] = {}
        self.edges: dict[tuple[str, str, str], tuple] = {}
        self.growing: dict = {}  # node or edge → its merged parts so far, in sets
        # One string of each IRI, name and value, however many parts have it (not the quotes').
        self.strings: dict[str, str] = {}

    def add(self, part: Projection) -> None:
        strings = self.strings
        for node, record in part._nodes.items():
            node = strings.setdefault(node, node)
            into = self.growing.get(node)
            if into is None:
                if node not in self.nodes:
                    cls, label, quotes, attrs, documents = record
                    attrs = tuple((strings.setdefault(k, k), tuple(strings.setdefault(v, v) for v in values)) for k, values in attrs)
                    self.nodes[node] = (strings.setdefault(cls, cls), strings.setdefault(label, label), quotes, attrs, documents)
                    continue
                cls, label, quotes, attrs, documents = self.nodes[node]
                into = self.growing[node] = [cls, label, set(quotes), {k: set(v) for k, v in attrs}, set(documents)]
            cls, label, quotes, attrs, documents = record
            if self.order[cls] < self.order[into[0]]:
                into[0] = cls
            into[1] = min(into[1], label)
            into[2].update(quotes)
            for name, values in attrs:
                into[3].setdefault(name, set()).update(values)
            into[4].update(documents)
        for source, edges in part._out.items():
            for target, key, (predicate, quotes, rule) in edges:
                edge = (strings.setdefault(source, source), strings.setdefault(target, target), strings.setdefault(key, key))
                into = self.growing.get(edge)
                if into is None:
                    if edge not in self.edges:
                        self.edges[edge] = (strings.setdefault(predicate, predicate), quotes, rule and strings.setdefault(rule, rule))
                        continue
                    first = self.edges[edge]
                    into = self.growing[edge] = [first[0], set(first[1]), first[2]]
                into[1].update(quotes)
                if rule is None or into[2] is None:
                    into[2] = None
                else:
                    into[2] = min(into[2], rule)

    def network(self) -> Projection:
        """The merged projection, nodes and edges in the order graph_to_network adds them. They
        are taken out of the merger as they go in (the two are never both whole): once only."""
        nodes = {}
        for node in sorted(self.nodes):
            nodes[node] = self._node(node)
        order = sorted(self.edges, key=lambda e: (e[0], self.edges[e][0], e[1]))
        self.strings.clear()
        return Projection(nodes, ((s, o, key, self._edge((s, o, key))) for s, o, key in order))

    def _node(self, node: str) -> tuple:
        record = self.nodes.pop(node)
        into = self.growing.pop(node, None)
        if into is None:
            return record
        cls, label, quotes, attrs, documents = into
        return (cls, label, tuple(sorted(quotes)), tuple((k, tuple(sorted(v))) for k, v in sorted(attrs.items())), tuple(sorted(documents)))

    def _edge(self, edge: tuple[str, str, str]) -> tuple:
        record = self.edges.pop(edge)
        into = self.growing.pop(edge, None)
        return record if into is None else (into[0], tuple(sorted(into[1])), into[2])

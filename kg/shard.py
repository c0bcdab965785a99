"""A corpus's graph a document at a time, merged as sorted lines: how ``kg build`` scales.

Everything the build derives from one document's records — its named graph, what the inference
rules entail from it, its network projection, its ledger rows — depends on that document alone
(and on the places assigned over the corpus, computed before). So each document becomes a
``Shard`` in a worker process: its triples as sorted N-Triples lines, its share of the inferred
graph, its network fragment and ledger rows. The parent keeps the lines on disk, in a ``Spool``,
and merges them as sorted streams (``merge_lines``): the corpus is never held as an rdflib graph,
and the merged lines are the same bytes a sort of the whole graph gives.
"""

from __future__ import annotations

import pickle
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from rdflib import RDF, Graph

from .exportsource import ExportSource
from .ids import INFERRED_GRAPH, document_graph_iri, document_iri
from .infer import entailment_triples
from .ledger import engine_to_ledger
from .model import Resolved
from .network import NetworkMerger, Projection, graph_to_network
from .query import OxigraphEngine
from . import rdf  # read at each call: a test may replace rdf.document_triples
from .report import document_report
from .runs import Run, Spool, join_sorted, read_run, sorted_lines
from .validate import DocumentChecks, load_ontology
from .vocab import RKG


@dataclass(frozen=True)
class Shard:
    """One document's share of the corpus's outputs."""

    graph: str  # the IRI of the document's named graph
    order: tuple[str, str]  # the document's label and IRI: the ledger's order
    lines: bytes  # the named graph, sorted N-Triples
    summary: bytes  # its triples about the document and the figures it states, sorted N-Triples
    inferred: bytes  # what it adds to the inferred graph, sorted N-Triples
    network: Projection  # its projection (kg.network), merged with the others'
    ledger: tuple[tuple[str, ...], ...]  # its rows of the responsibility ledger
    report: dict  # its entry of the build report (kg.report.document_report)
    validate: bool  # whether its graph is to be validated (kg.validate.validate_checks)
    subjects: bytes  # the subjects of its lines and inferred lines, sorted, a line each (kg.validate.validate_shared)


def places_by_document(places: dict[tuple[str, str, str], str]) -> dict[str, dict[tuple[str, str, str], str]]:
    """kg.resolve.assign_places's entries grouped by document, each document's for its shard."""
    grouped: dict[str, dict[tuple[str, str, str], str]] = defaultdict(dict)
    for key, place in places.items():
        grouped[key[0]][key] = place
    return grouped


def make_shard(resolved: Resolved, places: dict[tuple[str, str, str], str], validate: bool = True) -> Shard:
    """One document's graph, entailments, projection and ledger rows, and with ``validate`` what
    validating them needs (they are validated with the other documents', kg.validate).
    ``places``: its entries of kg.resolve.assign_places over the whole corpus. The document's
    triples are kept in sets, not in an rdflib store, and go to pyoxigraph (for the inference
    rules and the ledger's query) as the N-Triples lines they are written as anyway."""
    iri, document = document_graph_iri(resolved.document), document_iri(resolved.document)
    graph, inferred = rdf.document_triples(resolved, places)
    lines = sorted_lines(graph)
    inferred.update(entailment_triples(_store({iri: lines, INFERRED_GRAPH: sorted_lines(inferred)}), load_ontology()))
    inferred_lines = sorted_lines(inferred)
    # The ledger's query reads the default graph, which holds the union (as kg.query's stores do).
    store = _store({iri: lines, INFERRED_GRAPH: inferred_lines}, union=True)
    network = graph_to_network(graph | inferred)
    figures = {o for s, p, o in graph if s == document and p == RKG.statesFigure}
    # the divisions the document names, for the landing page's places (kg.render.place_summary)
    figures |= {s for s, p, o in graph if p == RDF.type and o == RKG.Place}
    return Shard(
        graph=str(iri),
        order=(network.nodes[str(document)]["label"], str(document)),
        lines=lines,
        summary=sorted_lines(t for t in graph if t[0] == document or t[0] in figures),
        inferred=inferred_lines,
        network=network,
        ledger=tuple(tuple(row) for row in engine_to_ledger(OxigraphEngine(store))),
        report=document_report(resolved),
        validate=validate,
        subjects=join_sorted(line[: line.find(b" ")] for line in (*lines.splitlines(), *inferred_lines.splitlines())) if validate else b"",
    )


def _store(graphs: dict, union: bool = False):
    """A pyoxigraph store of named graphs given as N-Triples lines; with ``union``, their triples
    in the default graph too."""
    import pyoxigraph as ox

    store = ox.Store()
    for name, lines in graphs.items():
        store.load(lines, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        if union:
            store.load(lines, ox.RdfFormat.N_TRIPLES)
    return store


def make_pickled_shard(resolved: bytes, places: dict[tuple[str, str, str], str], validate: bool = True) -> Shard:
    """``make_shard`` of a Resolved pickled and compressed with zlib (how kg.pipeline.build_corpus
    keeps the documents waiting for their shards)."""
    return make_shard(pickle.loads(zlib.decompress(resolved)), places, validate)


class ShardCollector:
    """Shards as they come, in document order: their lines go to the spool, the rest is kept
    for ``source()``, the ExportSource of them all."""

    def __init__(self, spool: Spool):
        self.spool = spool
        self.runs: list = []
        self.networks = NetworkMerger()
        self.summary = Graph()
        self.ledgers: list[tuple[tuple[str, str], tuple[tuple[str, ...], ...]]] = []
        self.reports: list[dict] = []
        self.documents: list[tuple[str, str, tuple[tuple[int, int], ...]]] = []  # DocumentChecks.documents
        self.subject_runs: list[tuple[int, int]] = []  # one a validated document

    def add(self, shard: Shard) -> None:
        # Read by the spool's path: another process can read them too (ExportSource.lines_only).
        lines, inferred = self.spool.add(shard.lines), self.spool.add(shard.inferred)
        self.runs.append(Run(shard.graph, partial(read_run, self.spool.path, lines)))
        self.runs.append(Run(str(INFERRED_GRAPH), partial(read_run, self.spool.path, inferred)))
        self.networks.add(shard.network)
        self.summary.parse(data=shard.summary, format="nt")
        self.ledgers.append((shard.order, shard.ledger))
        self.reports.append(shard.report)
        if shard.validate:
            self.documents.append((shard.graph, shard.report["file"], (lines, inferred)))
            self.subject_runs.append(self.spool.add(shard.subjects))

    def source(self) -> ExportSource:
        # The ledger in its query's order: by the document's label and IRI, then as each
        # document's rows come.
        ledger = [list(row) for _, rows in sorted(self.ledgers) for row in rows]
        self.spool.seal()
        checks = DocumentChecks(self.spool.path, tuple(self.documents), tuple(self.subject_runs)) if self.documents else None
        return ExportSource.from_shards(sorted(self.runs, key=lambda run: run.graph), self.networks.network(), ledger, self.summary, checks)

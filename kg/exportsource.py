"""What the outputs read: the built graph as an ``ExportSource``, and its counts (``GraphStats``).

An ``ExportSource`` is the graph as sorted runs of N-Triples lines per named graph (kg.runs), and
what is derived from it once, on demand: the ontology, the network projection, the ledger rows,
the counts. The exporters (kg.export), the views, the report and the VoID description read it;
the corpus build (kg.shard) makes one from its shards. It lives below all of them, so that each
can name it without importing the writers of the others.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator

from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from .ids import ONTOLOGY_GRAPH
from .ledger import engine_to_ledger
from .network import Projection, graph_to_network
from .query import open_engine
from .rdf import union_graph
from .runs import Run, Spool, merge_lines, open_run, sorted_lines, spool_directory, with_graph
from .validate import DocumentChecks, ValidationReport, load_ontology, validate_checks, validate_graph


SKOLEM_AUTHORITY, SKOLEM_PATH = "https://w3id.org", "/reform-kg/.well-known/genid/"


@dataclass(frozen=True)
class GraphStats:
    """Counts over the union graph, made in one pass over its sorted lines."""

    triples: int
    subjects: int
    entities: int  # subjects typed with an rkg: class
    classes: dict[str, int]  # class IRI → its instances
    properties: dict[str, int]  # property IRI → its triples
    graphs: dict[str, int]  # named graph IRI → its triples


class ExportSource:
    """What exporters read: the graph as sorted runs of N-Triples lines per named graph, and what
    is derived from it once, on demand (the ontology, the network projection, the ledger rows,
    the counts). Made from an rdflib dataset (``ExportSource(dataset)``: ``kg export``, tests)
    or from the shards of a corpus build (``ExportSource.from_shards``), which never holds the
    corpus in rdflib. A dataset read back from graph.trig holds the ontology's graph too: it is
    set apart, as the exports add the ontology themselves where they carry it."""

    def __init__(self, dataset: Dataset | None = None):
        if dataset is not None and len(dataset.graph(ONTOLOGY_GRAPH)):
            data = Dataset()
            for prefix, ns in dataset.namespaces():
                data.bind(prefix, ns)
            for quad in dataset.quads((None, None, None, None)):
                if quad[3] != ONTOLOGY_GRAPH and getattr(quad[3], "identifier", None) != ONTOLOGY_GRAPH:
                    data.add(quad)
            dataset = data
        self.dataset = dataset

    # Where a corpus build's documents are, to be validated (validate_source).
    checks: DocumentChecks | None = None
    # The exports a build writes, which void.ttl lists (None: all of them).
    formats: tuple[str, ...] | None = None

    @classmethod
    def from_shards(cls, runs: list[Run], network: Projection, ledger: list[list[str]], summary: Graph, checks: DocumentChecks | None = None) -> ExportSource:
        """``summary``: the documents' and their stated figures' triples, which the landing page,
        the report and the VoID description show."""
        source = cls()
        source.__dict__.update(runs=runs, network=network, ledger_rows=ledger, summary=summary, checks=checks)
        return source

    @classmethod
    def from_lines(cls, runs: list[Run], union: tuple[str, tuple[int, int]]) -> ExportSource:
        """What the graph files need of a corpus build's source (its runs, each of which reads a
        spool's file by its path, and where the union is: ``lines_only`` below), in a process
        that shares nothing else with the build."""
        source = cls()
        source.__dict__.update(runs=runs, _union_run=union)
        return source

    def lines_only(self) -> tuple[list[Run], tuple[str, tuple[int, int]]]:
        """``from_lines``' arguments: small, as the lines stay in their files."""
        return self.runs, self.union_run()

    @cached_property
    def runs(self) -> list[Run]:
        runs = []
        for named in sorted(self.dataset.graphs(), key=lambda g: str(g.identifier)):
            if len(named) and isinstance(named.identifier, URIRef):
                lines = sorted_lines(named)
                runs.append(Run(str(named.identifier), lambda lines=lines: lines.splitlines(keepends=True)))
        return runs

    @cached_property
    def graph(self) -> Graph:
        """The union graph in rdflib: for a source made from a dataset only."""
        if self.dataset is None:
            raise ValueError("a corpus build's source holds no rdflib graph")
        return union_graph(self.dataset)

    @cached_property
    def summary(self) -> Graph:
        return self.graph

    @cached_property
    def ontology(self) -> Graph:
        return load_ontology()

    @cached_property
    def ontology_lines(self) -> bytes:
        """The ontology, sorted N-Triples. Its blank nodes (the union domains) become IRIs named
        by their canonical labels: the same in every build, and a store that is sent the graph
        twice keeps one copy of them, not two."""
        return sorted_lines(to_canonical_graph(self.ontology).skolemize(authority=SKOLEM_AUTHORITY, basepath=SKOLEM_PATH))

    @cached_property
    def network(self) -> Projection:
        return graph_to_network(self.graph)

    @cached_property
    def ledger_rows(self) -> list[list[str]]:
        """A row per reform project, in the query's order (document, number, name)."""
        return engine_to_ledger(self.oxigraph)

    @cached_property
    def oxigraph(self):
        """The dataset loaded in pyoxigraph, for the ledger's query."""
        return open_engine(self.dataset, "oxigraph")

    def triple_lines(self) -> Iterator[bytes]:
        """The union graph: every triple once, sorted. Several exports read it: it is merged
        once, into a spool, and read back from there."""
        return open_run(*self.union_run())

    def union_run(self) -> tuple[str, tuple[int, int]]:
        """Where ``triple_lines`` are: the path of a spool's file and the run (kg.shard.read_run),
        for a process that shares nothing else with this one."""
        return self._union_run

    @cached_property
    def _union_run(self) -> tuple[str, tuple[int, int]]:
        spool = Spool(spool_directory())
        run = spool.extend(merge_lines([iter(run.lines()) for run in self.runs], spool_directory()))
        spool.seal()
        self._spool = spool  # the file is removed with it
        return spool.path, run

    def quad_lines(self) -> Iterator[bytes]:
        """Every quad, the ontology's graph included, sorted."""
        runs = [with_graph(run.lines(), run.graph) for run in self.runs]
        runs.append(with_graph(self.ontology_lines.splitlines(keepends=True), str(ONTOLOGY_GRAPH)))
        return merge_lines(runs, spool_directory())

    def graph_lines(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """Each named graph, the ontology's included, in IRI order, with its sorted lines."""
        by_graph: dict[str, list[Run]] = defaultdict(list)
        for run in self.runs:
            by_graph[run.graph].append(run)
        by_graph[str(ONTOLOGY_GRAPH)].append(Run(str(ONTOLOGY_GRAPH), lambda: self.ontology_lines.splitlines(keepends=True)))
        for graph in sorted(by_graph):
            yield graph, merge_lines([iter(run.lines()) for run in by_graph[graph]], spool_directory())

    @cached_property
    def stats(self) -> GraphStats:
        return count_lines(self.triple_lines(), {graph: sum(1 for _ in lines) for graph, lines in self.graph_lines() if graph != str(ONTOLOGY_GRAPH)})


_TYPE = f"<{RDF.type}>".encode()
_RKG = b"<https://w3id.org/reform-kg/ontology#"


def count_lines(lines: Iterable[bytes], graphs: dict[str, int]) -> GraphStats:
    """GraphStats of sorted, unique N-Triples lines (a subject's lines are together)."""
    triples = subjects = entities = 0
    classes: Counter = Counter()
    properties: Counter = Counter()
    previous, typed = None, False
    for line in lines:
        subject, predicate, rest = line.split(b" ", 2)
        triples += 1
        properties[predicate] += 1
        if subject != previous:
            subjects += 1
            previous, typed = subject, False
        if predicate == _TYPE and rest.startswith(b"<"):
            classes[rest[: rest.index(b">") + 1]] += 1
            if rest.startswith(_RKG) and not typed and subject.startswith(b"<"):
                entities += 1
                typed = True
    return GraphStats(
        triples=triples,
        subjects=subjects,
        entities=entities,
        classes={_iri(k): v for k, v in sorted(classes.items())},
        properties={_iri(k): v for k, v in sorted(properties.items())},
        graphs=dict(sorted(graphs.items())),
    )


def _iri(term: bytes) -> str:
    return term[1:-1].decode("utf-8")


def validate_source(source: ExportSource) -> ValidationReport:
    """An export source's graph validated: a corpus build's (made of shards) as ``kg build`` does
    (kg.validate.validate_checks), any other as a whole."""
    if source.checks is None:
        return validate_graph(source.graph)
    return validate_checks(*source.union_run(), source.checks, spool_directory())

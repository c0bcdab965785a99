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

import heapq
import io
import os
import pickle
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator

from rdflib import RDF, Graph
# What rdflib's N-Triples writer writes of one triple (private, but the one place rdflib says it).
from rdflib.plugins.serializers.nt import _nt_row

from .model import Resolved
from .network import NetworkMerger, Projection
from .validate import DocumentChecks, load_ontology

if TYPE_CHECKING:
    from .export import ExportSource

# At most this many runs are merged at once: each holds an iterator, and a corpus may have more
# documents than a process may open files. Runs beyond it are merged in rounds.
MERGE_WIDTH = 256


def sorted_lines(triples: Graph | Iterable[tuple]) -> bytes:
    """A graph, or rdflib triples, as N-Triples, one triple a line, sorted: the same graph gives
    the same bytes. rdflib's writer: pyoxigraph's would lower-case language tags (zh-Hant)."""
    return join_sorted(_nt_row(triple).encode("utf-8") for triple in triples)


def join_sorted(lines: Iterable[bytes]) -> bytes:
    """Unique non-blank lines in byte order (UTF-8's byte order is the code points' order)."""
    return b"".join(sorted({line if line.endswith(b"\n") else line + b"\n" for line in lines if line.strip()}))


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
    from .ids import INFERRED_GRAPH, document_graph_iri, document_iri
    from .infer import entailment_triples
    from .ledger import engine_to_ledger
    from .network import graph_to_network
    from .query import OxigraphEngine
    from .rdf import document_triples
    from .report import document_report
    from .vocab import RKG

    iri, document = document_graph_iri(resolved.document), document_iri(resolved.document)
    graph, inferred = document_triples(resolved, places)
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
        from .export import Run
        from .ids import INFERRED_GRAPH

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
        from .export import ExportSource

        # The ledger in its query's order: by the document's label and IRI, then as each
        # document's rows come.
        ledger = [list(row) for _, rows in sorted(self.ledgers) for row in rows]
        self.spool.seal()
        checks = DocumentChecks(self.spool.path, tuple(self.documents), tuple(self.subject_runs)) if self.documents else None
        return ExportSource.from_shards(sorted(self.runs, key=lambda run: run.graph), self.networks.network(), ledger, self.summary, checks)


class Spool:
    """Sorted runs of lines, appended to one temporary file and read back by position: one file
    however many runs, and of each run only a block at a time in memory (read with ``os.pread``,
    not mapped, so that what was read is the system's cache, not this process's). The file has a
    name (``path``), so that another process can read a run too (``read_run``); it is removed when
    the spool is closed."""

    BLOCK = 1 << 16

    def __init__(self, directory: str | None = None):
        remove_stale_spools(directory)
        self._file = tempfile.NamedTemporaryFile(prefix=f"kg-spool-{os.getpid()}-", dir=directory)
        self.path = os.path.abspath(self._file.name)
        self._size = 0
        self._reading = False

    def add(self, data: bytes) -> tuple[int, int]:
        """Append a run; returns where it is, for ``lines``."""
        if self._reading:
            raise ValueError("the spool is read already")
        self._file.write(data)
        start, self._size = self._size, self._size + len(data)
        return start, self._size

    def extend(self, lines: Iterable[bytes]) -> tuple[int, int]:
        """Append a run as its lines come; returns where it is."""
        start = self._size
        for line in lines:
            self.add(line)
        return start, self._size

    def seal(self) -> None:
        """No more runs: what was written is in the file, for this process and others to read."""
        if not self._reading:
            self._file.flush()
            self._reading = True

    def lines(self, run: tuple[int, int]) -> Iterator[bytes]:
        """The lines of a run, read as they are needed."""
        self.seal()
        return _read_lines(self._file.fileno(), *run)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_run(path: str, run: tuple[int, int]) -> Iterator[bytes]:
    """The lines of a run of a sealed spool, read by the file's path (in another process too).
    The file is opened when the first line is read: thousands of runs may wait for a merge."""
    yield from _lines_of(open(path, "rb"), *run)


def open_run(path: str, run: tuple[int, int]) -> Iterator[bytes]:
    """``read_run``, the file opened now: its lines can be read after the spool is closed (which
    removes the file), as a lazy export of a source that is gone reads them."""
    return _lines_of(open(path, "rb"), *run)


def _lines_of(handle: BinaryIO, position: int, end: int) -> Iterator[bytes]:
    with handle:
        yield from _read_lines(handle.fileno(), position, end)


def _read_lines(fd: int, position: int, end: int) -> Iterator[bytes]:
    rest = b""
    while position < end:
        block = os.pread(fd, min(Spool.BLOCK, end - position), position)
        if not block:
            break
        position += len(block)
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def merge_lines(runs: list[Iterable[bytes]], spill: str | None = None, unique: bool = True) -> Iterator[bytes]:
    """The sorted runs merged into one sorted stream, each line once (or, not ``unique``, as often
    as the runs have it). Beyond MERGE_WIDTH runs, groups of them are merged first into temporary
    files in ``spill`` (a folder; the system's default if None)."""
    keep = _unique if unique else iter
    while len(runs) > MERGE_WIDTH:
        merged = []
        for start in range(0, len(runs), MERGE_WIDTH):
            handle = tempfile.TemporaryFile(prefix="kg-merge-", dir=spill)
            handle.writelines(keep(heapq.merge(*runs[start : start + MERGE_WIDTH])))
            handle.seek(0)
            merged.append(_read_closing(handle))
        runs = merged
    return keep(heapq.merge(*runs))


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _read_closing(handle) -> Iterator[bytes]:
    with handle:
        yield from handle


def with_graph(lines: Iterable[bytes], graph: str) -> Iterator[bytes]:
    """N-Triples lines as N-Quads lines of ``graph``. Sorted lines stay sorted: the object of a
    triple is followed by a space in both forms."""
    tail = f" <{graph}> .\n".encode("utf-8")
    for line in lines:
        yield line.rstrip()[:-2] + tail


def lines_reader(lines: Iterable[bytes]) -> io.BufferedReader:
    """A binary file that reads the lines as they come: how a parser takes a merged stream."""
    return io.BufferedReader(_LinesIO(iter(lines)), buffer_size=1 << 20)


class _LinesIO(io.RawIOBase):
    def __init__(self, lines: Iterator[bytes]):
        self._lines = lines
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._rest:
            self._rest = next(self._lines, None)
            if self._rest is None:
                self._rest = b""
                return 0
        size = min(len(target), len(self._rest))
        target[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def remove_stale_spools(directory: str | None = None) -> None:
    """Spools a killed build left in ``directory`` (the system's temporary folder by default):
    those named for a process that is gone."""
    from .outfolder import alive

    folder = Path(directory or tempfile.gettempdir())
    for path in sorted(folder.glob("kg-spool-*-*")):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not alive(int(pid)):
            path.unlink(missing_ok=True)


def spool_directory() -> str | None:
    """Where spools and merge runs go: $KG_TMPDIR, else the system's temporary folder."""
    return os.environ.get("KG_TMPDIR") or None

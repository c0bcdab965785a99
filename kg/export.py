"""Serialise the graph to every export format, and write output files atomically.

``EXPORTERS`` maps a format name to an ``Exporter``: the file it writes under ``output/`` and a
function from an ``ExportSource`` (the dataset, and what is derived from it once: the union
graph, the ontology, the networkx projection) to the file's bytes. ``kg build`` writes them all,
``kg export --format NAME`` one.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

import networkx as nx
from rdflib import Dataset, Graph
from rdflib.plugins.serializers.trig import TrigSerializer

from .ledger import ledger_to_csv, ledger_to_xlsx, source_to_ledger
from .rdf import union_graph


class ExportSource:
    """What exporters read: the dataset (a named graph per document, and the inferred graph),
    with the union graph, the ontology and the network projection computed once, on demand."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @cached_property
    def graph(self) -> Graph:
        return union_graph(self.dataset)

    @cached_property
    def ontology(self) -> Graph:
        from .validate import load_ontology

        return load_ontology()

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        from .network import graph_to_network

        return graph_to_network(self.graph)


def _sorted_lines(data: str) -> bytes:
    """Line-based formats in sorted order, so the same graph gives the same bytes."""
    return "".join(sorted(line + "\n" for line in data.splitlines() if line.strip())).encode("utf-8")


def dataset_to_turtle(dataset: Dataset) -> bytes:
    return union_graph(dataset).serialize(format="turtle", encoding="utf-8")


def dataset_to_ntriples(dataset: Dataset) -> bytes:
    return _sorted_lines(union_graph(dataset).serialize(format="nt"))


def dataset_to_nquads(dataset: Dataset) -> bytes:
    return _sorted_lines(dataset.serialize(format="nquads"))


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with the graphs in IRI order: its memory store keeps them in a set,
    which iterates in an order that changes with the process's hash seed."""

    def __init__(self, store: Dataset):
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def dataset_to_trig(dataset: Dataset) -> bytes:
    """TriG keeps the named graphs that Turtle and N-Triples flatten into one."""
    stream = io.BytesIO()
    _SortedTrigSerializer(dataset).serialize(stream, encoding="utf-8")
    return stream.getvalue()


@dataclass(frozen=True)
class Exporter:
    """``write`` gives one file's bytes, or for an export of several files (``path`` is then a
    folder) their bytes by name."""

    path: str  # under output/
    write: Callable[[ExportSource], bytes | dict[str, bytes]]
    description: str


def _of_dataset(function: Callable[[Dataset], bytes]) -> Callable[[ExportSource], bytes]:
    return lambda source: function(source.dataset)


EXPORTERS: dict[str, Exporter] = {
    "ttl": Exporter("graph.ttl", _of_dataset(dataset_to_turtle), "Turtle: every triple, the named graphs merged"),
    "nt": Exporter("graph.nt", _of_dataset(dataset_to_ntriples), "N-Triples, one triple a line, sorted"),
    "nq": Exporter("graph.nq", _of_dataset(dataset_to_nquads), "N-Quads: each triple with its named graph, sorted"),
    "trig": Exporter("graph.trig", _of_dataset(dataset_to_trig), "TriG: a named graph per document and one for inferred facts"),
    "ledger-csv": Exporter("ledger.csv", lambda source: ledger_to_csv(source_to_ledger(source)), "the responsibility ledger, a row per project: CSV, UTF-8 with a byte-order mark for Excel"),
    "ledger-xlsx": Exporter("ledger.xlsx", lambda source: ledger_to_xlsx(source_to_ledger(source)), "the responsibility ledger, a row per project: an Excel workbook"),
}


def export_files(source: ExportSource, names: list[str] | None = None) -> dict[str, bytes]:
    """The files of the named exports (all by default), by their path under output/."""
    files = {}
    for name in names or EXPORTERS:
        exporter = EXPORTERS[name]
        data = exporter.write(source)
        if isinstance(data, dict):
            files.update({f"{exporter.path}/{file}": content for file, content in data.items()})
        else:
            files[exporter.path] = data
    return files


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# What a pruned folder may lose: only the kinds of file the project writes there.
PRUNED_SUFFIXES = {".html", ".js", ".css", ".json", ".png"}


def write_outputs(files: dict[str, bytes], out_dir: Path, prune: str | None = None) -> list[Path]:
    """Write every file to a temporary name first, then move them all into place.

    Nothing in ``out_dir`` changes until every file has been written in full, so a build that
    fails part-way leaves the previous output as it was. ``prune`` names a folder under
    ``out_dir`` whose files are all in ``files``: pages an earlier build wrote there and this one
    did not (a project no longer found) are removed once the new ones are in place.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in sorted(files.items()):
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    if prune is not None:
        _prune(out_dir / prune, {target for _, target in staged})
    return [target for _, target in staged]


def _prune(folder: Path, keep: set[Path]) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.suffix in PRUNED_SUFFIXES and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()

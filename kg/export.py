"""Serialise graphs and reports to bytes, and write output files atomically.

``EXPORTERS`` maps a format name to a function ``Dataset -> bytes``; the CLI picks by name.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from rdflib import Dataset
from rdflib.plugins.serializers.trig import TrigSerializer

from .rdf import union_graph


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


EXPORTERS: dict[str, Callable[[Dataset], bytes]] = {
    "ttl": dataset_to_turtle,
    "nt": dataset_to_ntriples,
    "nq": dataset_to_nquads,
    "trig": dataset_to_trig,
}


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

"""Serialise the graph to every export format, and write output files atomically.

``EXPORTERS`` maps a format name to an ``Exporter``: the file it writes under ``output/`` and a
function from an ``ExportSource`` (the graph as sorted runs of lines, and what is derived from it
once: the ontology, the network projection, the ledger rows, the counts) to the file's content.
The graph files are written from a merge of the sorted runs as it goes (kg.shard), the
serialisations by pyoxigraph's streaming writers: their size is bounded by the disk, not the
memory. ``kg build`` writes graph.trig, and the others ``--formats`` names (``choose_formats``);
``kg export --format NAME`` writes one from graph.trig.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Union

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph

from . import writers
from .catalog import EXPORT_FORMATS
from .describe import describe_dataset
from .errors import UsageError
from .exportsource import ExportSource
from .graphtools import NEO4J_FILES, flatten_source, write_gexf, write_graphml
from .ledger import ledger_to_csv, ledger_to_xlsx
from .render import render_ontology
from .runs import Run, sorted_lines


def write_turtle(source: ExportSource, handle: BinaryIO) -> None:
    """Turtle of the union graph, a subject's triples together, subjects in IRI order."""
    writers.write_turtle(source.triple_lines(), handle, writers.Prefixes(CONTEXT_PREFIXES))


def write_trig(source: ExportSource, handle: BinaryIO) -> None:
    """TriG keeps the named graphs that Turtle and N-Triples flatten into one: in IRI order."""
    writers.write_trig(source.graph_lines(), handle, writers.Prefixes(CONTEXT_PREFIXES))


def write_rdfxml(source: ExportSource, handle: BinaryIO) -> None:
    """RDF/XML, a description per subject, in subject order."""
    writers.write_rdfxml(source.triple_lines(), handle, writers.Prefixes(CONTEXT_PREFIXES))


def write_jsonld(source: ExportSource, handle: BinaryIO) -> None:
    """Compact JSON-LD of the union graph under the published context (context.jsonld),
    embedded so the file loads with no network; a node object per subject, in IRI order."""
    writers.write_jsonld(source.triple_lines(), handle, ontology_to_context(source.ontology)["@context"])


def write_lines(lines: Iterable[bytes], handle: BinaryIO) -> None:
    for line in lines:
        handle.write(line)


def dataset_to_turtle(dataset: Dataset) -> bytes:
    stream = io.BytesIO()
    write_turtle(ExportSource(dataset), stream)
    return stream.getvalue()


def graph_to_turtle(graph: Graph) -> bytes:
    """rdflib's Turtle of a small graph (a query's result)."""
    return graph.serialize(format="turtle", encoding="utf-8")


def graph_to_sorted_turtle(graph: Graph) -> bytes:
    """Turtle of a graph as the exports write it: the same graph gives the same bytes."""
    stream = io.BytesIO()
    writers.write_turtle(sorted_lines(graph).splitlines(keepends=True), stream, writers.Prefixes(CONTEXT_PREFIXES))
    return stream.getvalue()


# Prefixes of the JSON-LD context, beside the ontology's terms.
CONTEXT_PREFIXES = {
    "rkg": "https://w3id.org/reform-kg/ontology#",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
}


def ontology_to_context(ontology: Graph) -> dict:
    """The JSON-LD context: the prefixes, and a term per rkg: property (``leadPerson``), whose
    values are IRIs for object properties and typed for integer-valued ones."""
    namespace = CONTEXT_PREFIXES["rkg"]
    context: dict = dict(CONTEXT_PREFIXES)
    context["label"] = {"@id": "rdfs:label"}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in ontology.subjects(RDF.type, kind):
            if not str(prop).startswith(namespace):
                continue
            name = str(prop)[len(namespace) :]
            term: dict = {"@id": f"rkg:{name}"}
            if kind == OWL.ObjectProperty:
                term["@type"] = "@id"
            elif ontology.value(prop, RDFS.range) == XSD.integer:
                term["@type"] = "xsd:integer"
            context[name] = term
    return {"@context": dict(sorted(context.items()))}


def source_to_context(source: ExportSource) -> bytes:
    return json_bytes(ontology_to_context(source.ontology))


def source_to_void(source: ExportSource) -> bytes:
    distributions = [(e.path, e.description) for name, e in EXPORTERS.items() if name != "void" and (source.formats is None or name in source.formats)]
    return describe_dataset(source.stats, source.summary, distributions).serialize(format="turtle", encoding="utf-8")


def source_to_ontology_page(source: ExportSource) -> bytes:
    return render_ontology(source.ontology)


@dataclass(frozen=True)
class Exporter:
    """``write`` gives one file's content, or for an export of several files (``path`` is then a
    folder, ``parts`` their names) their contents by name."""

    path: str  # under output/
    write: Callable[[ExportSource], Content | dict[str, Content]]
    description: str
    parts: tuple[str, ...] = ()
    apart: bool = False  # it reads the graph's lines and the ontology only (see stage_apart)


# name → (write, the files of a folder's export, apart); the file each writes and its description
# are in kg.catalog, which the command line reads without importing the writers.
_WRITERS: dict[str, tuple[Callable[[ExportSource], Content | dict[str, Content]], tuple[str, ...], bool]] = {
    "ttl": (lambda source: partial(write_turtle, source), (), True),
    "nt": (lambda source: partial(write_lines, source.triple_lines()), (), True),
    "nq": (lambda source: partial(write_lines, source.quad_lines()), (), True),
    "trig": (lambda source: partial(write_trig, source), (), True),
    "jsonld": (lambda source: partial(write_jsonld, source), (), True),
    "context": (source_to_context, (), True),
    "rdfxml": (lambda source: partial(write_rdfxml, source), (), True),
    "graphml": (lambda source: partial(write_graphml, flatten_source(source)), (), False),
    "gexf": (lambda source: partial(write_gexf, flatten_source(source)), (), False),
    "neo4j": (lambda source: {name: partial(write, flatten_source(source)) for name, write in NEO4J_FILES.items()}, ("nodes.csv", "relationships.csv"), False),
    "ledger-csv": (lambda source: ledger_to_csv(source.ledger_rows), (), False),
    "ledger-xlsx": (lambda source: ledger_to_xlsx(source.ledger_rows), (), False),
    "void": (source_to_void, (), False),
    "ontology-html": (source_to_ontology_page, (), False),
}

EXPORTERS: dict[str, Exporter] = {name: Exporter(path, _WRITERS[name][0], description, *_WRITERS[name][1:]) for name, (path, description) in EXPORT_FORMATS.items()}

def download_paths(names: Iterable[str] | None = None) -> dict[str, str]:
    """The exports a views landing page lists (kg.render.render_views), name → path under
    output/, in EXPORTERS' order: those ``names`` (all by default)."""
    chosen = set(EXPORTERS if names is None else names)
    return {name: exporter.path for name, exporter in EXPORTERS.items() if name in chosen}


# The graph every build writes, whatever --formats says: what kg views, export, serve, query,
# diff and publish read. TriG keeps a named graph per document, is the smallest of the RDF files
# (25 MB for 340 documents, where N-Quads takes 73 MB: benchmarks/pay_for_use.py) and is read by
# every RDF tool.
CANONICAL = "trig"
# What a build of several documents writes besides, unless --formats says otherwise: the ledger.
# A build of one document writes every export (ALL), which costs it little.
CORPUS_FORMATS = ("ledger-csv", "ledger-xlsx")
ALL = "all"


def choose_formats(text: str | None, documents: int) -> list[str]:
    """The exports a build writes, in EXPORTERS' order: CANONICAL and those ``text`` names (kg
    build --formats: names separated by commas, or "all"); by default all for one document,
    CORPUS_FORMATS for several. An unknown name is a usage error that lists the known ones."""
    if text is None:
        names = set(EXPORTERS) if documents == 1 else set(CORPUS_FORMATS)
    else:
        names = {name.strip() for name in text.split(",") if name.strip()}
        unknown = sorted(names - set(EXPORTERS) - {ALL})
        if unknown:
            raise UsageError(f"unknown format{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} in --formats; the formats are: {', '.join(EXPORTERS)}, or {ALL}")
        names = set(EXPORTERS) if ALL in names else names
    return [name for name in EXPORTERS if name in names or name == CANONICAL]


# What a file's content is: its bytes, or a function that writes them to a binary file (the
# large graph files are written as they are merged, never held whole).
Content = Union[bytes, Callable[[BinaryIO], None]]


def write_content(content: Content, handle: BinaryIO) -> None:
    if isinstance(content, bytes):
        handle.write(content)
    else:
        content(handle)


def content_bytes(content: Content) -> bytes:
    if isinstance(content, bytes):
        return content
    stream = io.BytesIO()
    content(stream)
    return stream.getvalue()


def export_files(source: ExportSource, names: list[str] | None = None, lazy: bool = False) -> dict[str, Content]:
    """The files of the named exports (all by default), by their path under output/. ``lazy``:
    every file as a function that writes it, made when it is written (by write_outputs' processes)."""
    files: dict[str, Content] = {}
    for name in names or EXPORTERS:
        exporter = EXPORTERS[name]
        if lazy and exporter.parts:
            files.update({f"{exporter.path}/{part}": partial(_write_part, exporter, source, part) for part in exporter.parts})
        elif lazy:
            files[exporter.path] = partial(_write_export, exporter, source)
        elif isinstance(data := exporter.write(source), dict):
            files.update({f"{exporter.path}/{file}": content for file, content in data.items()})
        else:
            files[exporter.path] = data
    return files


def _write_export(exporter: Exporter, source: ExportSource, handle: BinaryIO) -> None:
    write_content(exporter.write(source), handle)


def _write_part(exporter: Exporter, source: ExportSource, part: str, handle: BinaryIO) -> None:
    write_content(exporter.write(source)[part], handle)


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()

def write_outputs(
    files: dict[str, Content],
    out_dir: Path,
    then: Callable[[], dict[str, Content]] | None = None,
    elsewhere: Callable[[], list[tuple[Path, Path]]] | None = None,
) -> list[Path]:
    """Write every file to a temporary name first, then move them all into place.

    Nothing in ``out_dir`` changes until every file has been written in full, so a build that
    fails part-way leaves the previous output as it was (a whole build writes into a folder of
    its own, ``kg.outfolder``, which takes the output's place in one step). ``elsewhere``
    waits for files another process staged meanwhile (``stage_apart``). ``then`` gives more files
    once those are written (a report of what ran beside them), moved in with them.
    """
    for folder in sorted({(out_dir / name).parent for name in files} | {out_dir}):
        folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name in sorted(files):
            staged.append(_stage(files[name], out_dir / name))
        if elsewhere is not None:
            waiting, elsewhere = elsewhere, None
            staged.extend(waiting())
        later = then() if then is not None else {}
        for name in sorted(later):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            staged.append(_stage(later[name], out_dir / name))
    except BaseException:
        if elsewhere is not None:  # the other process's files are removed too, once it is done
            try:
                staged.extend(elsewhere())
            except BaseException:
                pass  # it removed its own, and this error is the one to tell
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    staged.sort(key=lambda pair: pair[1])
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def _stage(data: Content, target: Path) -> tuple[Path, Path]:
    """``data`` written to a temporary file beside ``target``; removed again if writing fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write_content(data, handle)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are ordinary files
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp), target


def stage_apart(runs: list[Run], union: tuple[str, tuple[int, int]], names: list[str], out_dir: Path) -> list[tuple[Path, Path]]:
    """Stage the exports ``names`` (``apart`` ones) of the source ``ExportSource.from_lines(runs,
    union)`` makes: in a process that shares nothing with the build, which passes it the source's
    ``lines_only()``. Returns the staged files for write_outputs' ``elsewhere``; a failure removes
    them."""
    files = export_files(ExportSource.from_lines(runs, union), names, lazy=True)
    done: list[tuple[Path, Path]] = []
    try:
        for name in sorted(files):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            done.append(_stage(files[name], out_dir / name))
    except BaseException:
        for tmp, _ in done:
            tmp.unlink(missing_ok=True)
        raise
    return done


def release_memory() -> None:
    """Give memory that was freed back to the system: glibc's allocator keeps it for the process
    otherwise (a no-op where there is no glibc)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass

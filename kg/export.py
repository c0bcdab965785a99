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
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.trig import TrigSerializer

from .graphtools import flat_to_gexf, flat_to_graphml, flat_to_neo4j, flatten_source
from .ledger import ledger_to_csv, ledger_to_xlsx, source_to_ledger
from .rdf import union_graph


# The named graph the ontology goes in: the ontology's own IRI.
ONTOLOGY_GRAPH = URIRef("https://w3id.org/reform-kg/ontology")
SKOLEM_AUTHORITY, SKOLEM_PATH = "https://w3id.org", "/reform-kg/.well-known/genid/"


class ExportSource:
    """What exporters read: the dataset (a named graph per document, and the inferred graph),
    with the union graph, the ontology and the network projection computed once, on demand.
    A dataset read back from graph.trig holds the ontology's graph too: it is set apart, as the
    exports add the ontology themselves where they carry it."""

    def __init__(self, dataset: Dataset):
        if len(dataset.graph(ONTOLOGY_GRAPH)):
            data = Dataset()
            for prefix, ns in dataset.namespaces():
                data.bind(prefix, ns)
            for quad in dataset.quads((None, None, None, None)):
                if quad[3] != ONTOLOGY_GRAPH and getattr(quad[3], "identifier", None) != ONTOLOGY_GRAPH:
                    data.add(quad)
            dataset = data
        self.dataset = dataset

    @cached_property
    def graph(self) -> Graph:
        return union_graph(self.dataset)

    @cached_property
    def ontology(self) -> Graph:
        from .validate import load_ontology

        return load_ontology()

    @cached_property
    def full_dataset(self) -> Dataset:
        """The dataset with the ontology as one more named graph. Its blank nodes (the union
        domains) become IRIs named by their canonical labels: the same in every build, and a
        store that is sent the graph twice keeps one copy of them, not two."""
        full = Dataset()
        for prefix, ns in self.dataset.namespaces():
            full.bind(prefix, ns)
        for quad in self.dataset.quads((None, None, None, None)):
            full.add(quad)
        target = full.graph(ONTOLOGY_GRAPH)
        for triple in to_canonical_graph(self.ontology).skolemize(authority=SKOLEM_AUTHORITY, basepath=SKOLEM_PATH):
            target.add(triple)
        return full

    @cached_property
    def oxigraph(self):
        """The dataset loaded in pyoxigraph, for the exports that query it (the ledger's two
        files): loading takes far longer than their query."""
        from .query import open_engine

        return open_engine(self.dataset, "oxigraph")

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        from .network import graph_to_network

        return graph_to_network(self.graph)


def _sorted_lines(data: str) -> bytes:
    """Line-based formats in sorted order, so the same graph gives the same bytes."""
    return "".join(sorted(line + "\n" for line in data.splitlines() if line.strip())).encode("utf-8")


def dataset_to_turtle(dataset: Dataset) -> bytes:
    return graph_to_turtle(union_graph(dataset))


def graph_to_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def dataset_to_ntriples(dataset: Dataset) -> bytes:
    return graph_to_ntriples(union_graph(dataset))


def graph_to_ntriples(graph: Graph) -> bytes:
    return _sorted_lines(graph.serialize(format="nt"))


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


def _sorted_json(value):
    """JSON with every list in a stable order: rdflib lists a node's values in store order."""
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


def source_to_jsonld(source: ExportSource) -> bytes:
    """Compact JSON-LD of the union graph under the published context (context.jsonld),
    embedded so the file loads with no network; a node object per subject, in IRI order."""
    context = ontology_to_context(source.ontology)["@context"]
    data = json.loads(source.graph.serialize(format="json-ld", context=context, auto_compact=True))
    graph = data.get("@graph", [data] if "@id" in data else [])
    data["@graph"] = sorted((_sorted_json(node) for node in graph), key=lambda node: node["@id"])
    data = {"@context": context, "@graph": data["@graph"]}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def source_to_context(source: ExportSource) -> bytes:
    return json_bytes(ontology_to_context(source.ontology))


def source_to_rdfxml(source: ExportSource) -> bytes:
    """RDF/XML with the descriptions in subject order: rdflib writes them in store order."""
    from lxml import etree

    graph = Graph()
    for prefix, ns in CONTEXT_PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in sorted(source.graph):
        graph.add(triple)
    root = etree.fromstring(graph.serialize(format="xml", encoding="utf-8"), etree.XMLParser(remove_blank_text=True))
    about = f"{{{RDF}}}about"
    root[:] = sorted(root, key=lambda element: (element.get(about) or "", etree.tostring(element)))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def source_to_void(source: ExportSource) -> bytes:
    from .describe import describe_dataset

    distributions = [(e.path, e.description) for name, e in EXPORTERS.items() if name != "void"]
    return describe_dataset(source.dataset, source.graph, distributions).serialize(format="turtle", encoding="utf-8")


def source_to_ontology_page(source: ExportSource) -> bytes:
    from .render import render_ontology

    return render_ontology(source.ontology)


@dataclass(frozen=True)
class Exporter:
    """``write`` gives one file's bytes, or for an export of several files (``path`` is then a
    folder) their bytes by name."""

    path: str  # under output/
    write: Callable[[ExportSource], bytes | dict[str, bytes]]
    description: str


EXPORTERS: dict[str, Exporter] = {
    # The union graph of the source, computed once for every export that needs it: a copy of
    # every triple, which takes as long as serialising them on a large corpus.
    "ttl": Exporter("graph.ttl", lambda source: graph_to_turtle(source.graph), "Turtle: every triple, the named graphs merged"),
    "nt": Exporter("graph.nt", lambda source: graph_to_ntriples(source.graph), "N-Triples, one triple a line, sorted"),
    "nq": Exporter("graph.nq", lambda source: dataset_to_nquads(source.full_dataset), "N-Quads: each triple with its named graph (as in TriG), sorted"),
    "trig": Exporter("graph.trig", lambda source: dataset_to_trig(source.full_dataset), "TriG: a named graph per document, one for inferred facts and one for the ontology"),
    "jsonld": Exporter("graph.jsonld", source_to_jsonld, "JSON-LD, compacted with the context of context.jsonld (embedded)"),
    "context": Exporter("context.jsonld", source_to_context, "the JSON-LD context: prefixes and a term per rkg: property"),
    "rdfxml": Exporter("graph.rdf", source_to_rdfxml, "RDF/XML, descriptions in subject order"),
    "graphml": Exporter("graph.graphml", lambda source: flat_to_graphml(flatten_source(source)), "GraphML for Gephi and yEd: entities, relations, evidence as attributes"),
    "gexf": Exporter("graph.gexf", lambda source: flat_to_gexf(flatten_source(source)), "GEXF for Gephi: entities, relations, evidence as attributes"),
    "neo4j": Exporter("neo4j", lambda source: flat_to_neo4j(flatten_source(source)), "nodes.csv and relationships.csv for neo4j-admin database import"),
    "ledger-csv": Exporter("ledger.csv", lambda source: ledger_to_csv(source_to_ledger(source)), "the responsibility ledger, a row per project: CSV, UTF-8 with a byte-order mark for Excel"),
    "ledger-xlsx": Exporter("ledger.xlsx", lambda source: ledger_to_xlsx(source_to_ledger(source)), "the responsibility ledger, a row per project: an Excel workbook"),
    "void": Exporter("void.ttl", source_to_void, "the dataset described in VoID and DCAT: sources, counts, classes, properties, files"),
    "ontology-html": Exporter("ontology.html", source_to_ontology_page, "the vocabulary as a page: every class and property with labels, comments, domain, range, alignments"),
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


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()

# What a pruned folder may lose: only the kinds of file the project writes there.
PRUNED_SUFFIXES = {".html", ".js", ".css", ".json", ".png"}


def write_outputs(files: dict[str, bytes], out_dir: Path, prune: str | list[str] | None = None) -> list[Path]:
    """Write every file to a temporary name first, then move them all into place.

    Nothing in ``out_dir`` changes until every file has been written in full, so a build that
    fails part-way leaves the previous output as it was. ``prune`` names a folder (or several)
    under ``out_dir`` whose files are all in ``files``: pages an earlier build wrote there and this one
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
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are ordinary files
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    for folder in [prune] if isinstance(prune, str) else prune or []:
        _prune(out_dir / folder, {target for _, target in staged})
    return [target for _, target in staged]


def _prune(folder: Path, keep: set[Path]) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.suffix in PRUNED_SUFFIXES and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()

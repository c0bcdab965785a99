"""Descriptions of what kg builds: the dataset in VoID and DCAT (``void.ttl``), the vocabulary as a
page (``ontology.html``).

Pure: graphs in, a graph or HTML text out. The words and the licence of the dataset are in
``kg/exports/dataset.toml``; the page's layout in ``kg/views/ontology.html``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, VOID

from . import __version__
from .errors import RuleFileError
from .ids import digest
from .vocab import ID, RKG, SCHEMA

if TYPE_CHECKING:
    from .exportsource import GraphStats

DATASET_PATH = Path(__file__).resolve().parent / "exports" / "dataset.toml"

# Media types of the files kg build writes, by suffix.
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".graphml": "application/graphml+xml",
    ".gexf": "application/gexf+xml",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
}
SOFTWARE = URIRef("https://w3id.org/reform-kg")


def load_dataset_text(path: Path = DATASET_PATH) -> dict:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read: {exc}", str(path)) from None
    missing = {"title_zh", "title_en", "description_zh", "description_en", "license", "vocabularies"} - set(data)
    if missing:
        raise RuleFileError(f"missing key(s): {', '.join(sorted(missing))}", str(path))
    return data


def describe_dataset(stats: GraphStats, graph: Graph, distributions: list[tuple[str, str]], text: dict | None = None) -> Graph:
    """VoID and DCAT for the built dataset: title, licence, source documents (from ``graph``,
    which holds at least their triples), counts of triples, entities, classes and properties
    (``stats``, over the union graph), the named graphs as subsets, the files as distributions
    (``(path under output/, description)``, each an IRI under the dataset's own, ``…/dataset/H/graph.ttl``:
    a strict parser takes no relative IRI without a base, and the dataset's IRI is where a
    publisher serves its files) and the tool that made it. No timestamp, so the same graph gives
    the same description."""
    text = text or load_dataset_text()
    documents = sorted(graph.subjects(RDF.type, RKG.SourceDocument))
    hashes = sorted(str(graph.value(d, RKG.contentHash)) for d in documents)
    node = ID[f"dataset/{digest(*hashes)}"]
    out = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("prov", PROV), ("schema", SCHEMA), ("rkg", RKG._NS), ("xsd", XSD)):
        out.bind(prefix, ns)
    out.add((node, RDF.type, VOID.Dataset))
    out.add((node, RDF.type, DCAT.Dataset))
    out.add((node, DCTERMS.title, Literal(text["title_zh"], lang="zh")))
    out.add((node, DCTERMS.title, Literal(text["title_en"], lang="en")))
    out.add((node, DCTERMS.description, Literal(text["description_zh"], lang="zh")))
    out.add((node, DCTERMS.description, Literal(text["description_en"], lang="en")))
    out.add((node, DCTERMS.license, URIRef(text["license"])))
    for vocabulary in text["vocabularies"]:
        out.add((node, VOID.vocabulary, URIRef(vocabulary)))
    for document in documents:
        out.add((node, DCTERMS.source, document))
        for p in (RDFS.label, DCTERMS.source, RKG.contentHash):
            for value in graph.objects(document, p):
                out.add((document, p, value))

    out.add((node, VOID.triples, Literal(stats.triples)))
    out.add((node, VOID.entities, Literal(stats.entities)))
    out.add((node, VOID.distinctSubjects, Literal(stats.subjects)))
    out.add((node, VOID.classes, Literal(len(stats.classes))))
    out.add((node, VOID.properties, Literal(len(stats.properties))))
    for cls, count in sorted(stats.classes.items()):
        part = URIRef(f"{node}/class/{digest(cls)}")
        out.add((node, VOID.classPartition, part))
        out.add((part, VOID["class"], URIRef(cls)))
        out.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(stats.properties.items()):
        part = URIRef(f"{node}/property/{digest(prop)}")
        out.add((node, VOID.propertyPartition, part))
        out.add((part, VOID.property, URIRef(prop)))
        out.add((part, VOID.triples, Literal(count)))
    for named, count in sorted(stats.graphs.items()):
        if count and named.startswith(str(ID)):
            out.add((node, VOID.subset, URIRef(named)))
            out.add((URIRef(named), RDF.type, VOID.Dataset))
            out.add((URIRef(named), VOID.triples, Literal(count)))
    out.add((node, VOID.uriSpace, Literal(str(ID))))
    for path, description in distributions:
        file = URIRef(f"{node}/{path}")
        out.add((node, DCAT.distribution, file))
        out.add((file, RDF.type, DCAT.Distribution))
        out.add((file, DCAT.downloadURL, file))
        out.add((file, DCTERMS.description, Literal(description, lang="en")))
        media = MEDIA_TYPES.get(Path(path).suffix)
        if media:
            out.add((file, DCAT.mediaType, Literal(media)))
        if Path(path).stem == "graph" and Path(path).suffix in (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"):
            out.add((node, VOID.dataDump, file))
    activity = URIRef(f"{node}/build")
    out.add((node, PROV.wasGeneratedBy, activity))
    out.add((activity, RDF.type, PROV.Activity))
    out.add((activity, PROV.wasAssociatedWith, SOFTWARE))
    out.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    out.add((SOFTWARE, RDF.type, SCHEMA.SoftwareApplication))
    out.add((SOFTWARE, RDFS.label, Literal("reform-kg")))
    out.add((SOFTWARE, SCHEMA.softwareVersion, Literal(__version__)))
    return out


# --- the vocabulary as a page -----------------------------------------------------------------


def _labels(ontology: Graph, term, predicate=RDFS.label) -> dict[str, str]:
    found: dict[str, str] = {}
    for label in ontology.objects(term, predicate):
        found.setdefault((label.language or "").split("-")[0], str(label))
    return found


def _curie(ontology: Graph, term) -> str:
    if not isinstance(term, URIRef):
        # an owl:unionOf class or datatype: its members, "A or B"
        members = ontology.value(term, OWL.unionOf)
        if members is not None:
            from rdflib.collection import Collection

            return " | ".join(_curie(ontology, m) for m in Collection(ontology, members))
        return "…"
    prefix, namespace, name = ontology.compute_qname(term)
    return f"{prefix}:{name}"


def _uses(ontology: Graph, namespace: str) -> bool:
    """Whether a term of ``namespace`` is a subject, predicate, object or datatype in ``ontology``."""
    return any(
        str(term).startswith(namespace) or (isinstance(term, Literal) and term.datatype is not None and str(term.datatype).startswith(namespace))
        for triple in ontology
        for term in triple
    )


def describe_terms(ontology: Graph) -> dict:
    """What ontology.html shows: the ontology's header, then each rkg: class and property with its
    labels, comments, domain, range, alignments and inverse."""
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    namespace = str(RKG._NS)

    def term_rows(kinds) -> list[dict]:
        rows = []
        for kind in kinds:
            for term in ontology.subjects(RDF.type, kind):
                if not str(term).startswith(namespace):
                    continue
                rows.append(
                    {
                        "name": str(term)[len(namespace) :],
                        "iri": str(term),
                        "kind": kind.rsplit("#", 1)[-1],
                        "labels": _labels(ontology, term),
                        "comments": _labels(ontology, term, RDFS.comment),
                        "domain": [_curie(ontology, d) for d in ontology.objects(term, RDFS.domain)],
                        "range": [_curie(ontology, r) for r in ontology.objects(term, RDFS.range)],
                        "broader": sorted(_curie(ontology, b) for p in (RDFS.subClassOf, RDFS.subPropertyOf) for b in ontology.objects(term, p)),
                        "inverse": sorted(_curie(ontology, i) for i in ontology.objects(term, OWL.inverseOf)),
                    }
                )
        return sorted(rows, key=lambda r: r["name"])

    return {
        "iri": str(header),
        "titles": _labels(ontology, header, DCTERMS.title),
        "descriptions": _labels(ontology, header, DCTERMS.description),
        "version": str(ontology.value(header, OWL.versionInfo) or ""),
        "license": str(ontology.value(header, DCTERMS.license) or ""),
        "namespace": namespace,
        # The prefixes the ontology uses, not every one rdflib binds by default (brick:, csvw:, …).
        "prefixes": sorted((p, str(n)) for p, n in ontology.namespaces() if p and _uses(ontology, str(n))),
        "classes": term_rows([OWL.Class]),
        "properties": term_rows([OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty]),
    }

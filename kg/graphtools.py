"""The network for graph tools: GraphML and GEXF (Gephi, yEd) and CSV for ``neo4j-admin database import``.

``flatten_network`` turns kg.network's projection into a graph whose attributes are all scalars,
which is what GraphML and GEXF can carry; the three writers serialise that graph. Entities are
nodes, literals their attributes (never nodes), relations typed edges with their evidence.

Pure: a network in, bytes out; nodes and edges in sorted order, edge ids hashed from the triple,
no timestamps, so the same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from rdflib import RDFS, XSD, Graph

from .ids import digest
from .network import local_name

if TYPE_CHECKING:
    from .export import ExportSource

# Between the values of a multi-valued attribute (documents, written forms, evidence quotes).
# Readable in Gephi's data table; a quote taken from a table may hold " | " itself, so a program
# that needs each value exactly reads graph.ttl instead.
SEPARATOR = " | "
# Between the elements of an array in nodes.csv: neo4j-admin's default --array-delimiter. Only the
# document IRIs are an array, and an IRI holding it is refused (neo4j-admin cannot escape it).
ARRAY_DELIMITER = ";"

# The attributes every flat node has; the literal attributes (ordinal, writtenForm, …) follow.
NODE_ATTRIBUTES = ("label", "class", "iri", "documents")
NODES_HEADER = ["iri:ID", ":LABEL", "label", "class", "documents:string[]"]
RELATIONSHIPS_HEADER = [":START_ID", ":END_ID", ":TYPE", "predicate", "inferred:boolean", "rule", "quote"]

# xsd:integer's lexical form.
INTEGER = re.compile(r"[+-]?[0-9]+")
# Characters XML 1.0 cannot carry (a form feed from a PDF's text layer): written as U+FFFD in
# GraphML and GEXF, so the file still parses; graph.ttl and the CSV keep them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def integer_attributes(ontology: Graph) -> frozenset[str]:
    """The attributes whose property has the range xsd:integer in the ontology (ordinal,
    charCount, …), by local name: ``flatten_network`` keeps them as ints."""
    return frozenset(local_name(p) for p in ontology.subjects(RDFS.range, XSD.integer))


def flatten_network(network: nx.MultiDiGraph, integers: Collection[str] = frozenset()) -> nx.MultiDiGraph:
    """kg.network's projection with scalar attributes only.

    A node (its IRI) has ``label``, ``class`` (the class's local name, e.g. ReformProject),
    ``iri``, ``documents`` (the IRIs of the documents that state it) and an attribute per literal
    property (``ordinal``, ``deadline``, ``writtenForm``, …). An edge, keyed by a stable id (a hash
    of subject, predicate and object), has ``type`` (the relation's local name, e.g. leadPerson),
    ``predicate`` (its IRI), ``inferred``, ``rule`` (the rule that inferred it, else "") and
    ``quote`` (the sentences that state it, in document order). Several values are joined with
    SEPARATOR. An attribute named in ``integers`` is an int when every node that has it has one
    value, an integer; otherwise it is text like the others, so each attribute has one type.
    """
    integer = _integer_columns(network, integers)
    flat = nx.MultiDiGraph()
    for node in sorted(network):
        data = network.nodes[node]
        attrs = {name: int(values[0]) if name in integer else SEPARATOR.join(values) for name, values in data["attrs"].items()}
        own = dict(zip(NODE_ATTRIBUTES, (data["label"], data["cls"], node, SEPARATOR.join(data["documents"]))))
        flat.add_node(node, **own, **attrs)
    for source, target, key, data in sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[3]["predicate"])):
        flat.add_edge(
            source,
            target,
            key=f"e{digest(source, data['predicate'], target)}",
            type=key,
            predicate=data["predicate"],
            inferred=data["inferred"],
            rule=data["rule"],
            quote=SEPARATOR.join(dict.fromkeys(q.text for q in data["quotes"])),
        )
    return flat


def flatten_source(source: ExportSource) -> nx.MultiDiGraph:
    """The flat network of what kg.export exports: its network, integers typed by its ontology."""
    return flatten_network(source.network, integer_attributes(source.ontology))


def _integer_columns(network: nx.MultiDiGraph, integers: Collection[str]) -> set[str]:
    values: dict[str, list[list[str]]] = defaultdict(list)
    for _, attrs in network.nodes(data="attrs"):
        for name in attrs.keys() & integers:
            values[name].append(attrs[name])
    return {name for name, lists in values.items() if all(len(v) == 1 and INTEGER.fullmatch(v[0]) for v in lists)}


def flat_to_graphml(flat: nx.MultiDiGraph) -> bytes:
    """GraphML (Gephi, yEd): edges carry their stable id. networkx's plain-XML writer, not its
    lxml one, so the bytes do not depend on whether lxml is installed. Values are element text,
    where an XML reader turns "\r\n" into "\n"."""
    stream = io.BytesIO()
    nx.write_graphml_xml(_xml_safe(flat), stream, encoding="utf-8")
    return stream.getvalue()


def flat_to_gexf(flat: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (Gephi). GEXF's edge ``type`` means directed or undirected, so the relation goes
    into the edge's ``label``, which Gephi shows; the stable id is the edge's id."""
    safe = _xml_safe(flat)
    gexf = nx.MultiDiGraph()
    gexf.add_nodes_from(safe.nodes(data=True))
    for source, target, key, data in safe.edges(keys=True, data=True):
        rest = {name: value for name, value in data.items() if name != "type"}
        gexf.add_edge(source, target, key=key, id=key, label=data["type"], **rest)
    writer = GEXFWriter(encoding="utf-8")
    writer.add_graph(gexf)
    # networkx stamps today's date and repeats each edge's key as an attribute: both go.
    del writer.xml.find("meta").attrib["lastmodifieddate"]
    _drop_attribute(writer.xml, "networkx_key")
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _xml_safe(flat: nx.MultiDiGraph) -> nx.MultiDiGraph:
    def clean(data: dict) -> dict:
        return {name: NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value for name, value in data.items()}

    safe = nx.MultiDiGraph()
    safe.add_nodes_from((node, clean(data)) for node, data in flat.nodes(data=True))
    safe.add_edges_from((source, target, key, clean(data)) for source, target, key, data in flat.edges(keys=True, data=True))
    return safe


def _drop_attribute(root: Element, title: str) -> None:
    for declarations in root.iter("attributes"):
        for attribute in declarations.findall(f"attribute[@title='{title}']"):
            declarations.remove(attribute)
            for values in root.iter("attvalues"):
                for value in values.findall(f"attvalue[@for='{attribute.get('id')}']"):
                    values.remove(value)


def flat_to_neo4j(flat: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import full``.

    A node's :LABEL is its class; its documents are a string array (ARRAY_DELIMITER); each literal
    attribute is a column, typed long where it holds integers. RFC 4180 CSV in UTF-8 without a
    byte-order mark: a value holding a comma, a quote or a line break is quoted, quotes doubled
    (the import needs --multiline-fields=true, as quotes may span lines); an empty field is no
    property, so a stated relation has no ``rule``.
    """
    columns = sorted({name for _, data in flat.nodes(data=True) for name in data} - set(NODE_ATTRIBUTES))
    integer = {name for _, data in flat.nodes(data=True) for name, value in data.items() if isinstance(value, int)}
    nodes = [NODES_HEADER + [f"{name}:long" if name in integer else name for name in columns]]
    for node, data in flat.nodes(data=True):
        documents = data["documents"].split(SEPARATOR) if data["documents"] else []  # an IRI has no spaces
        if any(ARRAY_DELIMITER in document for document in documents):
            raise ValueError(f"{node}: a document IRI holds {ARRAY_DELIMITER!r}, neo4j-admin's array delimiter: {documents}")
        nodes.append([node, data["class"], data["label"], data["class"], ARRAY_DELIMITER.join(documents), *(data.get(name, "") for name in columns)])
    relationships = [RELATIONSHIPS_HEADER]
    for source, target, data in flat.edges(data=True):
        relationships.append([source, target, data["type"], data["predicate"], str(data["inferred"]).lower(), data["rule"], data["quote"]])
    return {"nodes.csv": _csv(nodes), "relationships.csv": _csv(relationships)}


def _csv(rows: list[list]) -> bytes:
    # The csv module's default dialect: CRLF line ends, so a value holding "\r" is quoted too.
    stream = io.StringIO(newline="")
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode("utf-8")

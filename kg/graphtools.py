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
import itertools
import re
from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator

import networkx as nx
from rdflib import RDFS, XSD, Graph

from .ids import digest
from .network import Projection, local_name

if TYPE_CHECKING:
    from .exportsource import ExportSource

# Between the values of a multi-valued attribute (documents, written forms, evidence quotes).
# Readable in Gephi's data table; a quote taken from a table may hold " | " itself, so a program
# that needs each value exactly reads graph.ttl instead.
SEPARATOR = " | "
# Between the elements of an array in nodes.csv: neo4j-admin's default --array-delimiter. An IRI
# holding it is refused (neo4j-admin cannot escape it); an attribute a value of which holds it is
# written as text.
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


def flatten_network(network: Projection, integers: Collection[str] = frozenset()) -> nx.MultiDiGraph:
    """kg.network's projection with scalar attributes only (``FlatView``'s nodes and edges)."""
    view = FlatView(network, integers)
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(view.nodes(data=True))
    flat.add_edges_from(view.edges(keys=True, data=True))
    return flat


class FlatView:
    """kg.network's projection with scalar attributes only, made node by node and edge by edge as
    they are read (the writers below take it or a flattened graph).

    A node (its IRI) has ``label``, ``class`` (the class's local name, e.g. ReformProject),
    ``iri``, ``documents`` (the IRIs of the documents that state it) and an attribute per literal
    property (``ordinal``, ``deadline``, ``writtenForm``, …). An edge, keyed by a stable id (a hash
    of subject, predicate and object), has ``type`` (the relation's local name, e.g. leadPerson),
    ``predicate`` (its IRI), ``inferred``, ``rule`` (the rule that inferred it, else "") and
    ``quote`` (the sentences that state it, in document order). Several values are joined with
    SEPARATOR. An attribute named in ``integers`` is an int when every node that has it has one
    value, an integer; otherwise it is text like the others, so each attribute has one type.
    """

    def __init__(self, network: Projection, integers: Collection[str] = frozenset()):
        self.network = network
        self.integer = _integer_columns(network, integers)

    def nodes(self, data: bool = False) -> Iterator:
        for node in sorted(self.network):
            if not data:
                yield node
                continue
            values = self.network.nodes[node]
            attrs = {name: int(v[0]) if name in self.integer else SEPARATOR.join(v) for name, v in values["attrs"].items()}
            own = dict(zip(NODE_ATTRIBUTES, (values["label"], values["cls"], node, SEPARATOR.join(values["documents"]))))
            yield node, {**own, **attrs}

    def edges(self, keys: bool = False, data: bool = False) -> Iterator:
        for source, target, key, values in sorted(self.network.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[3]["predicate"])):
            flat = {
                "type": key,
                "predicate": values["predicate"],
                "inferred": values["inferred"],
                "rule": values["rule"],
                "quote": SEPARATOR.join(dict.fromkeys(q.text for q in values["quotes"])),
            }
            yield (source, target) + ((f"e{digest(source, values['predicate'], target)}",) if keys else ()) + ((flat,) if data else ())


def flatten_source(source: ExportSource) -> FlatView:
    """The flat view of what kg.export exports: its network, integers typed by its ontology."""
    return FlatView(source.network, integer_attributes(source.ontology))


def _integer_columns(network: Projection, integers: Collection[str]) -> set[str]:
    values: dict[str, list[list[str]]] = defaultdict(list)
    for _, attrs in network.nodes(data="attrs"):
        for name in attrs.keys() & integers:
            values[name].append(attrs[name])
    return {name for name, lists in values.items() if all(len(v) == 1 and INTEGER.fullmatch(v[0]) for v in lists)}


def flat_to_graphml(flat: nx.MultiDiGraph | FlatView) -> bytes:
    return _to_bytes(write_graphml, flat)


def flat_to_gexf(flat: nx.MultiDiGraph | FlatView) -> bytes:
    return _to_bytes(write_gexf, flat)


def _to_bytes(write: Callable, flat) -> bytes:
    stream = io.BytesIO()
    write(flat, stream)
    return stream.getvalue()


GRAPHML_HEADER = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
GEXF_HEADER = (
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">'
)
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
# The types GraphML and GEXF declare for an attribute's Python values.
XML_TYPES = {str: "string", int: "long", bool: "boolean"}


def write_graphml(flat: nx.MultiDiGraph | FlatView, handle: BinaryIO) -> None:
    """GraphML (Gephi, yEd), written as it is made: edges carry their stable id. The layout of
    networkx's writer (write_graphml_xml), which holds the whole document as a tree. Values are
    element text, where an XML reader turns "\r\n" into "\n"."""
    keys: dict[tuple[str, str, str], str] = {}
    for scope, items in (("node", _node_data(flat)), ("edge", _edge_data(flat))):
        for data in items:
            for name, value in data.items():
                keys.setdefault((name, XML_TYPES[type(value)], scope), f"d{len(keys)}")
    out = _XmlWriter(handle)
    out.line(0, XML_DECLARATION + "\n" + GRAPHML_HEADER)
    for (name, kind, scope), key in reversed(keys.items()):
        out.line(1, _element("key", {"id": key, "for": scope, "attr.name": name, "attr.type": kind}) + " />")
    items = [(_element("node", {"id": node}), "node", data) for node, data in flat.nodes(data=True)]
    edges = ((_element("edge", {"source": s, "target": t, "id": key}), "edge", data) for s, t, key, data in flat.edges(keys=True, data=True))
    if not items and not any(True for _ in flat.edges()):
        out.line(1, '<graph edgedefault="directed" />')
    else:
        out.line(1, '<graph edgedefault="directed">')
        for element, scope, data in itertools.chain(items, edges):
            if not data:
                out.line(2, element + " />")
                continue
            out.line(2, element + ">")
            for name, value in data.items():
                text = _escape_text(_xml_safe_value(value) if isinstance(value, str) else str(value))
                key = keys[(name, XML_TYPES[type(value)], scope)]
                out.line(3, f'<data key="{key}">{text}</data>' if text else f'<data key="{key}" />')
            out.line(2, f"</{scope}>")
        out.line(1, "</graph>")
    out.line(0, "</graphml>")
    out.close()


def write_gexf(flat: nx.MultiDiGraph | FlatView, handle: BinaryIO) -> None:
    """GEXF 1.2 (Gephi), written as it is made, in the layout of networkx's writer. GEXF's edge
    ``type`` means directed or undirected, so the relation goes into the edge's ``label``, which
    Gephi shows; the stable id is the edge's id. A node's label is its ``label`` attribute."""
    ids: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    count = itertools.count()
    for scope, items in (("node", _node_data(flat, without=("label",))), ("edge", _edge_data(flat, without=("type",)))):
        for data in items:
            for name, value in data.items():
                if name not in ids[scope]:
                    ids[scope][name] = (str(next(count)), XML_TYPES[type(value)])
    out = _XmlWriter(handle)
    out.line(0, XML_DECLARATION + "\n" + GEXF_HEADER)
    out.line(1, "<meta>")
    out.line(2, "<creator>reform-kg</creator>")
    out.line(1, "</meta>")
    out.line(1, '<graph defaultedgetype="directed" mode="static" name="">')
    for scope in ("edge", "node"):  # each class's declarations as networkx inserts them: the last first
        if ids[scope]:
            out.line(2, f'<attributes mode="static" class="{scope}">')
            for name, (number, kind) in ids[scope].items():
                out.line(3, _element("attribute", {"id": number, "title": name, "type": kind}) + " />")
            out.line(2, "</attributes>")
    nodes = ((_element("node", {"id": node, "label": _xml_safe_value(data["label"])}), "node", data) for node, data in flat.nodes(data=True))
    edges = (
        (_element("edge", {"source": s, "target": t, "id": key, "label": _xml_safe_value(data["type"])}), "edge", data)
        for s, t, key, data in flat.edges(keys=True, data=True)
    )
    for scope, items in (("nodes", nodes), ("edges", edges)):
        first = next(items, None)
        if first is None:
            out.line(2, f"<{scope} />")
            continue
        out.line(2, f"<{scope}>")
        for element, kind, data in itertools.chain([first], items):
            values = [(name, value) for name, value in data.items() if name in ids[kind]]
            if not values:
                out.line(3, element + " />")
                continue
            out.line(3, element + ">")
            out.line(4, "<attvalues>")
            for name, value in values:
                text = str(value).lower() if isinstance(value, bool) else _xml_safe_value(value) if isinstance(value, str) else str(value)
                out.line(5, _element("attvalue", {"for": ids[kind][name][0], "value": text}) + " />")
            out.line(4, "</attvalues>")
            out.line(3, f"</{kind}>")
        out.line(2, f"</{scope}>")
    out.line(1, "</graph>")
    out.line(0, "</gexf>")
    out.close()


def _node_data(flat, without: tuple[str, ...] = ()) -> Iterator[dict]:
    for _, data in flat.nodes(data=True):
        yield {name: value for name, value in data.items() if name not in without}


def _edge_data(flat, without: tuple[str, ...] = ()) -> Iterator[dict]:
    for _, _, data in flat.edges(data=True):
        yield {name: value for name, value in data.items() if name not in without}


def _xml_safe_value(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


class _XmlWriter:
    """Lines of an indented XML document, encoded and written in blocks."""

    BLOCK = 1 << 16

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.pending: list[str] = []
        self.size = 0

    def line(self, depth: int, text: str) -> None:
        self.pending.append("  " * depth + text + "\n")
        self.size += len(text)
        if self.size > self.BLOCK:
            self.flush()

    def flush(self) -> None:
        self.handle.write("".join(self.pending).encode("utf-8"))
        self.pending, self.size = [], 0

    def close(self) -> None:
        self.flush()


def _element(tag: str, attributes: dict[str, str]) -> str:
    """An opening tag, not closed: ``>`` or `` />`` follows."""
    return f"<{tag} " + " ".join(f'{name}="{_escape_attribute(value)}"' for name, value in attributes.items())


def _escape_text(text: str) -> str:
    """As xml.etree.ElementTree escapes element text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    """As xml.etree.ElementTree escapes attribute values: line ends and tabs as references, so
    that a reader gives them back."""
    return _escape_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def flat_to_neo4j(flat: nx.MultiDiGraph | FlatView) -> dict[str, bytes]:
    """``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import full``
    (``neo4j_files``' contents as bytes)."""
    return {name: _to_bytes(write, flat) for name, write in NEO4J_FILES.items()}


def write_neo4j_nodes(flat: nx.MultiDiGraph | FlatView, handle: BinaryIO) -> None:
    """``nodes.csv``: a node's :LABEL is its class; its documents are a string array
    (ARRAY_DELIMITER); each literal attribute is a column, typed long where it holds integers and
    a string array where a node has several values of it (altLabel ``国家;國家``), unless a value
    holds the delimiter itself. In ``relationships.csv`` the :TYPE is the relation's name in
    Neo4j's UPPER_SNAKE_CASE (``LEAD_PERSON``), its IRI in ``predicate``.

    Both files are RFC 4180 CSV in UTF-8 without a byte-order mark: a value holding a comma, a
    quote or a line break is quoted, quotes doubled (the import needs --multiline-fields=true, as
    quotes may span lines); an empty field is no property, so a stated relation has no ``rule``.
    Written a block of rows at a time.
    """
    names: dict[str, None] = {}
    integer: set[str] = set()
    several: set[str] = set()  # attributes some node has several values of
    unsplittable: set[str] = set()  # attributes a value of which holds the array delimiter
    for _, data in flat.nodes(data=True):
        names.update(dict.fromkeys(data))
        for name, value in data.items():
            if isinstance(value, int):
                integer.add(name)
            elif name not in NODE_ATTRIBUTES:
                several.update([name] if SEPARATOR in value else [])
                unsplittable.update([name] if ARRAY_DELIMITER in value else [])
    columns = sorted(set(names) - set(NODE_ATTRIBUTES))
    arrays = several - unsplittable
    rows = _CsvRows(handle)
    rows.add(NODES_HEADER + [f"{name}:long" if name in integer else f"{name}:string[]" if name in arrays else name for name in columns])
    for node, data in flat.nodes(data=True):
        documents = data["documents"].split(SEPARATOR) if data["documents"] else []  # an IRI has no spaces
        if any(ARRAY_DELIMITER in document for document in documents):
            raise ValueError(f"{node}: a document IRI holds {ARRAY_DELIMITER!r}, neo4j-admin's array delimiter: {documents}")
        values = [ARRAY_DELIMITER.join(str(data.get(name, "")).split(SEPARATOR)) if name in arrays else data.get(name, "") for name in columns]
        rows.add([node, data["class"], data["label"], data["class"], ARRAY_DELIMITER.join(documents), *values])
    rows.close()


def neo4j_type(relation: str) -> str:
    """A relationship type as Neo4j names them: "leadPerson" → "LEAD_PERSON"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", relation).upper()


def write_neo4j_relationships(flat: nx.MultiDiGraph | FlatView, handle: BinaryIO) -> None:
    """``relationships.csv``, as ``write_neo4j_nodes`` says."""
    rows = _CsvRows(handle)
    rows.add(RELATIONSHIPS_HEADER)
    for source, target, data in flat.edges(data=True):
        rows.add([source, target, neo4j_type(data["type"]), data["predicate"], str(data["inferred"]).lower(), data["rule"], data["quote"]])
    rows.close()


NEO4J_FILES = {"nodes.csv": write_neo4j_nodes, "relationships.csv": write_neo4j_relationships}


class _CsvRows:
    """Rows written to a binary handle as CSV, a block at a time. The csv module's default
    dialect: CRLF line ends, so a value holding "\r" is quoted too."""

    BLOCK = 1 << 16

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.stream = io.StringIO(newline="")
        self.writer = csv.writer(self.stream)

    def add(self, row: list) -> None:
        self.writer.writerow(row)
        if self.stream.tell() > self.BLOCK:
            self.close()

    def close(self) -> None:
        self.handle.write(self.stream.getvalue().encode("utf-8"))
        self.stream.seek(0)
        self.stream.truncate()

"""Is a graph valid? SHACL shapes (shapes.ttl) plus "every rkg: term used is declared".

The shapes are compiled into SPARQL queries run on pyoxigraph: one query per constraint of a
shape with targets, returning every focus node (and value) that fails it. pyshacl, which walks
the graph focus node by focus node in Python, took 250 s on 300,000 triples.

The queries are built from the templates of ``kg/validation/components.toml``, one per SHACL
core constraint component, as the SHACL spec builds its SPARQL-based validators: a shape's path
is written into the text (``$PATH`` in SHACL), and so are its parameters, as N-Triples terms read
from shapes.ttl, never from the data. A shape that uses a component with no template is an error
(ShapesError), never skipped. Nested shapes (sh:or, sh:xone, sh:qualifiedValueShape) compile to
``NOT EXISTS`` tests with variables of their own.

Every query checks each named graph of the store on its own and says which graph fails. A corpus
(``kg build``) is validated in bulk: each document's graph, with what the rules infer from it, is
loaded into a named graph of its own, a few hundred thousand triples to a store, and each
constraint is one query over the store, not one per document: the queries' fixed cost (parsing
and planning, half of a document's checks: benchmarks/validation_bulk.py) is paid once per store. A document's graph must
conform on its own: a person whose post only another document states fails in the document that
names it alone. Merging graphs can only break the constraints that bound how many values a node
has (``counts`` in components.toml): those are checked again over the merged triples of the nodes
that several documents describe (``validate_shared``). SPARQL constraints are checked per
document only.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from itertools import count
from pathlib import Path
from string import Template
from typing import Iterable, Iterator

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from .errors import ShapesError
from .vocab import RKG

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_PATH = ROOT / "ontology.ttl"
SHAPES_PATH = ROOT / "shapes.ttl"
TEMPLATES_PATH = Path(__file__).resolve().parent / "validation" / "components.toml"
DECLARING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)

TARGETS = ("targetClass", "targetSubjectsOf")
# Predicates of a shape that describe it or link it to others: not constraints.
STRUCTURE = {SH.name, SH.message, SH.description, SH.path, SH.property, SH.sparql, SH.declare, SH.order, SH.group}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    # The document whose graph shows it (kg build validates a document at a time); "" for a
    # graph validated whole, or what only the merge of several documents shows.
    document: str = ""


@dataclass(frozen=True)
class ValidationReport:
    violations: tuple[Violation, ...]
    undeclared: tuple[str, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.undeclared

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"{len(self.violations)} SHACL violation(s), {len(self.undeclared)} undeclared term(s)"

    @classmethod
    def of(cls, violations: Iterable[Violation], undeclared: Iterable[str]) -> ValidationReport:
        """A report of violations and terms found in any order, more than once (by several documents)."""
        return cls(tuple(sorted(set(violations), key=lambda v: (v.focus, v.path, v.message, v.document))), tuple(sorted(set(undeclared))))

    def merge(self, other: ValidationReport) -> ValidationReport:
        return ValidationReport.of((*self.violations, *other.violations), (*self.undeclared, *other.undeclared))


@dataclass(frozen=True)
class DocumentChecks:
    """Where a corpus build's documents are, to be validated (``validate_checks``): runs of sorted
    lines in the spool's file at ``path`` (kg.shard.read_run). ``documents``: each document's
    graph IRI, its name (which its violations are credited to) and the runs of its graph and of
    what the rules infer from it; ``subject_runs``: each document's subjects (validate_shared)."""

    path: str
    documents: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]
    subject_runs: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@lru_cache(maxsize=1)
def load_templates() -> dict:
    with TEMPLATES_PATH.open("rb") as file:
        return tomllib.load(file)


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in DECLARING_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}


def undeclared_terms(graph: Graph, ontology: Graph) -> list[str]:
    """rkg: classes and properties the graph uses that ontology.ttl does not declare."""
    ns = str(RKG._NS)
    used = {p for p in graph.predicates() if str(p).startswith(ns)}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(ns)}
    return sorted(str(t) for t in used - declared_terms(ontology))


def undeclared_store_terms(store, ontology: Graph, union: bool = False) -> list[str]:
    """``undeclared_terms`` for a pyoxigraph store, in one query."""
    text = _fill(load_templates()["usedTerms"]["select"], namespace=Literal(str(RKG._NS)).n3())
    used = {solution["term"].value for solution in store.query(text, use_default_graph_as_union=union)}
    return sorted(used - {str(t) for t in declared_terms(ontology)})


# --- compiling shapes.ttl -------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledConstraint:
    """One query that lists the focus nodes (``?focus``, with ``?value`` where there is one) failing
    a constraint, or a SPARQL constraint's rows (``?this``, ``?path``, ``?value``)."""

    shape: str
    component: str
    query: str
    path: str
    message: str
    prefixes: tuple[tuple[str, str], ...] = ()
    counts: bool = False  # uses a component that merging graphs can break (components.toml)


@dataclass(frozen=True)
class _Scope:
    """Where a shape is checked: its focus variable, the pattern binding it, and its value variable."""

    this: str
    focus: str
    value: str
    values: str  # the pattern binding ``value`` from ``this``; "" when they are one variable


# An sh:select: its head (prefixes, SELECT, DISTINCT), what it selects, and its WHERE group.
_SELECT = re.compile(r"(?P<head>.*?\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?)(?P<projection>[^{]*?)WHERE\s*\{(?P<where>.*)\}\s*", re.DOTALL | re.IGNORECASE)


def _fill(template: str, **values: str) -> str:
    return Template(template).substitute(values)


class ShapeCompiler:
    """shapes.ttl → CompiledConstraint, with fresh variable names for every nested shape."""

    def __init__(self, shapes: Graph, templates: dict, source: str = str(SHAPES_PATH)):
        self.shapes = shapes
        self.templates = templates
        self.source = source
        self.components = {name: spec for name, spec in templates.items() if "parameters" in spec}
        self.parameters = {SH[p] for spec in self.components.values() for p in spec["parameters"] + spec.get("optional", [])}
        self.counter = count(1)
        self.counting = False  # whether the constraint being compiled uses a component that counts
        self.graph = templates["query"]["graph"]  # the variable of the named graph validated

    def fill(self, template: str, **values: str) -> str:
        return _fill(template, graph=self.graph, **values)

    def fail(self, shape: Node, message: str) -> ShapesError:
        name = shape.n3(self.shapes.namespace_manager) if isinstance(shape, URIRef) else "a blank-node shape"
        supported = ", ".join(f"sh:{c}" for c in sorted(self.components))
        return ShapesError(f"{name}: {message}; the validator supports {supported}, sh:sparql, sh:property and sh:targetClass / sh:targetSubjectsOf", self.source)

    def fresh(self, name: str) -> str:
        return f"?{name}_{next(self.counter)}"

    # -- the parts of a shape --

    def path_text(self, shape: Node, path: Node) -> str:
        if isinstance(path, URIRef):
            return path.n3()
        paths = self.templates["paths"]
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return self.fill(paths["inversePath"], path=self.path_text(shape, inverse))
        if (path, RDF.first, None) in self.shapes:
            return paths["sequence"].join(self.path_text(shape, step) for step in Collection(self.shapes, path))
        raise self.fail(shape, f"sh:path {path.n3()} is a kind of path with no template")

    def check_predicates(self, shape: Node) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if predicate == RDF.type or not str(predicate).startswith(str(SH)):
                continue
            if predicate in STRUCTURE or predicate in self.parameters or predicate in {SH[t] for t in TARGETS}:
                continue
            raise self.fail(shape, f"{predicate.n3(self.shapes.namespace_manager)} has no template")

    def scope_of(self, shape: Node, this: str, focus: str) -> _Scope:
        path = self.shapes.value(shape, SH.path)
        if path is None:
            return _Scope(this, focus, this, "")
        value = self.fresh("value")
        return _Scope(this, focus, value, self.fill(self.templates["focus"]["values"], this=this, path=self.path_text(shape, path), value=value))

    def nested_scope(self, scope: _Scope) -> tuple[str, str]:
        """The focus variable and pattern of a shape nested in ``scope``: its value nodes."""
        if not scope.values:
            return scope.this, scope.focus
        return scope.value, self.fill(self.templates["focus"]["nested"], value=scope.value, focus=scope.focus, values=scope.values)

    def parameter(self, shape: Node, name: str, scope: _Scope) -> str:
        """A parameter's text in a template: a term, a list of terms, or nested shapes."""
        value = self.shapes.value(shape, SH[name])
        if name in ("or", "xone"):
            spec = self.components[name]
            this, focus = self.nested_scope(scope)
            members = [self.fill(spec["member"], failure=self.failure(m, this, focus)) for m in Collection(self.shapes, value)]
            return spec["join"].join(members)
        if name == "qualifiedValueShape":
            this, focus = self.nested_scope(scope)
            return self.failure(value, this, focus)
        if (value, RDF.first, None) in self.shapes or value == RDF.nil:
            return " ".join(term.n3() for term in Collection(self.shapes, value))
        if isinstance(value, BNode):
            raise self.fail(shape, f"sh:{name} has a blank node where the template needs a term")
        return value.n3()

    def component_failure(self, shape: Node, name: str, scope: _Scope) -> str:
        spec = self.components[name]
        self.counting |= spec.get("counts", False)
        if spec["path"] == "required" and not scope.values:
            raise self.fail(shape, f"sh:{name} needs a property shape (one with sh:path)")
        fill = {
            "this": scope.this,
            "value": scope.value,
            "values": scope.values,
            "focus": scope.focus,
            "path": self.path_text(shape, self.shapes.value(shape, SH.path)) if scope.values else "",
            "count": self.fresh("count"),
            "tag": self.fresh("tag"),
            "other": self.fresh("other"),
            "members": "",
        }
        for parameter in spec["parameters"]:
            fill["members" if name in ("or", "xone") else parameter] = self.parameter(shape, parameter, scope)
        for parameter in spec.get("optional", []):
            value = self.shapes.value(shape, SH[parameter])
            fill[parameter] = (value if value is not None else Literal("")).n3()
        if name == "nodeKind":
            kind = self.shapes.value(shape, SH.nodeKind)
            flags = self.templates["nodeKinds"].get(str(kind).removeprefix(str(SH)))
            if flags is None:
                raise self.fail(shape, f"sh:nodeKind {kind.n3()} is not a SHACL node kind")
            fill.update({flag: str(on).lower() for flag, on in flags.items()})
        # A component may have a cheaper form for the value 1 of its parameter (sh:minCount 1).
        one = "one" in spec and self.shapes.value(shape, SH[spec["parameters"][0]]) == Literal(1)
        return self.fill(spec["one" if one else "failure"], **fill)

    def constraints_of(self, shape: Node) -> list[str]:
        """The components a shape uses, in template order; a component is named by its last
        parameter (sh:qualifiedValueShape goes with sh:qualifiedMinCount)."""
        self.check_predicates(shape)
        used = {p for p in self.shapes.predicates(shape, None)}
        found = [name for name, spec in self.components.items() if all(SH[p] in used for p in spec["parameters"])]
        covered = {SH[p] for name in found for p in self.components[name]["parameters"] + self.components[name].get("optional", [])}
        stray = (used & self.parameters) - covered
        if stray:
            raise self.fail(shape, f"{', '.join(sorted(p.n3(self.shapes.namespace_manager) for p in stray))} without the rest of its component")
        return found

    def failure(self, shape: Node, this: str, focus: str) -> str:
        """A group that matches when the focus node ``this`` fails ``shape`` (nested use)."""
        spec = self.templates["shape"]
        scope = self.scope_of(shape, this, focus)
        parts = [self.component_failure(shape, name, scope) for name in self.constraints_of(shape)]
        for child in self.shapes.objects(shape, SH.property):
            parts.append(self.failure(child, scope.value, self.nested_scope(scope)[1]))
        if self.shapes.value(shape, SH.sparql) is not None:
            raise self.fail(shape, "sh:sparql inside sh:or, sh:xone or sh:qualifiedValueShape")
        if not parts:
            return spec["empty"]
        return "{ " + spec["join"].join(self.fill(spec["member"], failure=p) for p in parts) + " }"

    # -- shapes with targets --

    def focus_pattern(self, shapes: list[Node], this: str) -> str:
        spec = self.templates["focus"]
        targets = [
            self.fill(spec[target], this=this, **{target: node.n3()})
            for shape in shapes
            for target in TARGETS
            for node in sorted(self.shapes.objects(shape, SH[target]))
        ]
        return self.fill(spec["pattern"], this=this, targets=spec["join"].join(targets))

    def message(self, *shapes: Node) -> str:
        for shape in shapes:
            message = self.shapes.value(shape, SH.message)
            if message is not None:
                return str(message)
        return ""

    def compile_shape(self, shape: Node, this: str, focus: str, parent: Node | None) -> list[CompiledConstraint]:
        scope = self.scope_of(shape, this, focus)
        path = self.shapes.value(shape, SH.path)
        path_name = "" if path is None else str(path) if isinstance(path, URIRef) else self.path_text(shape, path)
        message = self.message(shape, *([parent] if parent is not None else []))
        compiled = []
        for name in self.constraints_of(shape):
            self.counting = False
            failure = self.component_failure(shape, name, scope)
            query = self.fill(self.templates["query"]["select"], this=this, value=scope.value, focus=focus, failure=failure)
            compiled.append(CompiledConstraint(str(shape), name, query, path_name, message, counts=self.counting))
        for child in sorted(self.shapes.objects(shape, SH.property)):
            compiled += self.compile_shape(child, scope.value, self.nested_scope(scope)[1], shape)
        for constraint in self.shapes.objects(shape, SH.sparql):
            compiled.append(self.compile_sparql(shape, constraint))
        return compiled

    def compile_sparql(self, shape: Node, constraint: Node) -> CompiledConstraint:
        """A SPARQL constraint, run once with ``$this`` free and kept for the shape's focus nodes."""
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise self.fail(shape, "an sh:sparql constraint without sh:select")
        prefixes = tuple(
            sorted(
                (str(self.shapes.value(d, SH.prefix)), str(self.shapes.value(d, SH.namespace)))
                for source in self.shapes.objects(constraint, SH.prefixes)
                for d in self.shapes.objects(source, SH.declare)
            )
        )
        focus = self.focus_pattern([shape], "?this")
        query = self.fill(self.templates["query"]["sparql"], select=self.select_in_graph(shape, str(select)), focus=focus)
        message = self.message(constraint, shape)
        return CompiledConstraint(str(shape), "sparql", query, "", message, prefixes)

    def select_in_graph(self, shape: Node, select: str) -> str:
        """An sh:select evaluated against each named graph: the graph's variable selected too, and
        the WHERE group inside GRAPH. A select that holds a sub-select is refused: inside GRAPH
        pyoxigraph would drop the graph's binding of its rows."""
        match = _SELECT.fullmatch(select)
        if match is None or re.search(r"\bSELECT\b", match["where"], re.IGNORECASE) or self.graph[1:] in select:
            raise self.fail(shape, f"an sh:select must read SELECT … WHERE {{ … }}, with no sub-select and no variable named {self.graph}")
        projection = match["projection"] if match["projection"].strip() == "*" else f"{self.graph} {match['projection']}"
        return f"{match['head']}{projection}WHERE {{ GRAPH {self.graph} {{{match['where']}}} }}"

    def compile(self) -> tuple[CompiledConstraint, ...]:
        targeted = sorted({s for t in TARGETS for s in self.shapes.subjects(SH[t], None)})
        compiled = []
        for shape in targeted:
            this = self.fresh("this")
            compiled += self.compile_shape(shape, this, self.focus_pattern([shape], this), None)
        return tuple(compiled)


@lru_cache(maxsize=1)
def compile_shapes() -> tuple[CompiledConstraint, ...]:
    return ShapeCompiler(load_shapes(), load_templates()).compile()


# --- running ----------------------------------------------------------------------------------

# The named graph a store's data is put in to be validated as one graph.
DATA_GRAPH = "https://w3id.org/reform-kg/id/graph/validated"

# A corpus's documents are validated in stores of at most this many bytes of N-Triples lines
# (about 300,000 triples, which pyoxigraph's in-memory store holds in about 90 MB): enough that
# each query's fixed cost is paid once for hundreds of documents, and a build of thousands of
# documents never holds their graphs at once.
BATCH_BYTES = 48 << 20


def _term_text(term) -> str:
    return "" if term is None else str(term.value)


def constraint_violations(store, constraint: CompiledConstraint, documents: dict[str, str] | None = None) -> list[Violation]:
    """The violations of one constraint in every named graph of ``store``, each credited to its
    graph's document (``documents``: graph IRI → document name; "" for a graph not in it)."""
    documents = documents or {}
    results = store.query(constraint.query, prefixes=dict(constraint.prefixes) or None)
    if constraint.component == "sparql":
        return [Violation(_term_text(row["this"]), _term_text(row["path"]), constraint.message, documents.get(_term_text(row["graph"]), "")) for row in results]
    return [Violation(_term_text(row["focus"]), constraint.path, constraint.message, documents.get(_term_text(row["graph"]), "")) for row in results]


def validate_graphs(store, documents: dict[str, str] | None = None, ontology: Graph | None = None) -> ValidationReport:
    """Each named graph of a pyoxigraph store validated on its own, all at once: a query per
    constraint over the whole store (components.toml), not a query per constraint and graph."""
    violations = [v for constraint in compile_shapes() for v in constraint_violations(store, constraint, documents)]
    undeclared = undeclared_store_terms(store, ontology if ontology is not None else load_ontology(), union=True)
    return ValidationReport.of(violations, undeclared)


def validate_store(store, union: bool = False, ontology: Graph | None = None) -> ValidationReport:
    """Validate a pyoxigraph store whose default graph holds the data (as ``kg.query`` loads a
    dataset: the union of its graphs); ``union``: the data is in named graphs, and their union
    is validated as one graph."""
    import pyoxigraph as ox

    graph = ox.NamedNode(DATA_GRAPH)
    quads = store.quads_for_pattern(None, None, None, None if union else ox.DefaultGraph())
    data = ox.Store()
    data.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    return validate_graphs(data, ontology=ontology)


def validate_graph(graph: Graph) -> ValidationReport:
    """SHACL without RDFS inference (inference would hide gaps) and the ontology check."""
    from .query import open_engine

    return validate_store(open_engine(graph, "oxigraph").store)


def validate_file(path: str | Path) -> ValidationReport:
    """A graph or dataset file (graph.trig) validated as one graph: the union of its graphs but
    the ontology's, which a build writes beside the data (kg export sets it apart too)."""
    import pyoxigraph as ox

    from .errors import GraphError, UsageError
    from .ids import ONTOLOGY_GRAPH

    path = Path(path)
    if not path.is_file():
        raise UsageError("no such graph file", str(path))
    try:
        quads = ox.parse(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower() or "ttl"))
        graph, ontology = ox.NamedNode(DATA_GRAPH), ox.NamedNode(str(ONTOLOGY_GRAPH))
        data = ox.Store()
        data.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads if q.graph_name != ontology)
    except (SyntaxError, ValueError) as exc:  # a bad file, or a suffix pyoxigraph does not read
        raise GraphError(f"cannot parse graph: {' '.join(str(exc).split())}", str(path)) from None
    return validate_graphs(data)


def validate_checks(path: str, run: tuple[int, int], checks: DocumentChecks, directory: str | None = None) -> ValidationReport:
    """A corpus build's validation: each document's graph, with what the rules infer from it, on
    its own (``validate_documents``), and what only their merge can break (``validate_shared``).
    ``path`` and ``run``: the corpus's sorted N-Triples lines, as validate_shared reads them.
    It reads the files by their paths, so that a process started apart can run it."""
    report = validate_documents(checks.path, checks.documents)
    if len(checks.subject_runs) > 1:  # one graph has nothing to merge
        report = report.merge(validate_shared(path, run, checks.path, checks.subject_runs, directory))
    return report


def validate_documents(path: str, documents: Iterable[tuple[str, str, tuple[tuple[int, int], ...]]]) -> ValidationReport:
    """Each document's graph validated on its own, as ``validate_graphs`` does it: documents
    ``(graph IRI, name, runs of its lines in the spool's file at path)`` loaded a named graph
    each into stores of up to BATCH_BYTES, a few queries a store."""
    reports, batch, size = [], [], 0
    for document in documents:
        batch.append(document)
        size += sum(end - start for start, end in document[2])
        if size >= BATCH_BYTES:
            reports.append(_validate_batch(path, batch))
            batch, size = [], 0
    if batch:
        reports.append(_validate_batch(path, batch))
    return ValidationReport.of((v for r in reports for v in r.violations), (t for r in reports for t in r.undeclared))


def _validate_batch(path: str, documents: list[tuple[str, str, tuple[tuple[int, int], ...]]]) -> ValidationReport:
    import pyoxigraph as ox

    store = ox.Store()
    with open(path, "rb") as spool:
        for graph, _, runs in documents:
            for start, end in runs:
                store.load(os.pread(spool.fileno(), end - start, start), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    return validate_graphs(store, {graph: name for graph, name, _ in documents})


def validate_shared(path: str, run: tuple[int, int], subjects_path: str, subject_runs: Iterable[tuple[int, int]], directory: str | None = None) -> ValidationReport:
    """What validating each document's graph on its own cannot see: the constraints that count
    values (``counts``), over the merged triples of the nodes that are the subject of triples in
    several documents' graphs. Those triples only: they hold every value of such a node along
    a predicate, which is what shapes.ttl bounds; a bound along an inverse or longer path, or on
    what its values are, is checked in each document's graph only. ``path`` and ``run``: the corpus's sorted N-Triples lines (the
    union of its graphs); ``subject_runs``: each document's subjects, sorted lines of the spool's
    file at ``subjects_path`` (kg.shard.read_run), merged in ``directory`` if there are many.
    It reads the files by their paths, so that a process started apart can run it."""
    import pyoxigraph as ox

    from .runs import lines_reader, merge_lines, read_run

    constraints = [c for c in compile_shapes() if c.counts]
    if not constraints:
        return ValidationReport((), ())
    # Each run holds a subject once: a line met twice in the merge is in two documents' graphs.
    merged = merge_lines([read_run(subjects_path, r) for r in subject_runs], directory, unique=False)
    shared = {line.rstrip(b"\n") for line in _repeated(merged)}
    if not shared:
        return ValidationReport((), ())
    store = ox.Store()
    store.bulk_load(lines_reader(line for line in read_run(path, run) if line[: line.find(b" ")] in shared), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DATA_GRAPH))
    return ValidationReport.of((v for c in constraints for v in constraint_violations(store, c)), ())


def _repeated(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a sorted stream that are the line before them too."""
    previous = None
    for line in lines:
        if line == previous:
            yield line
        previous = line

"""Named SPARQL queries: find them in ``queries/*.rq``, read their headers, run them with bound
parameters on one of two engines, and write the results in the W3C result formats.

A query file starts with a header of comment lines::

    # title: Projects led by a person or post
    # description: What the official or the holder of the post leads, …
    # param: ?leader a person's name or a post's label

and writes each parameter ``$leader`` in its text (``$x`` and ``?x`` are one variable in SPARQL;
the sigil marks what a caller binds). A value is bound as an RDF term through the engine's API —
rdflib's ``initBindings``, pyoxigraph's ``substitutions`` — never written into the query text.
pyoxigraph binds a variable only where the query's result could show it (SEP-0007), so a SELECT
projects its parameters and a CONSTRUCT or ASK selects them in a sub-select.

The default graph a query sees is the union of the file's graphs: a Turtle file is one graph, a
TriG or N-Quads file has a named graph per document, and ``GRAPH ?g`` still reaches those.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

from .errors import GraphError, QueryError, UsageError

# rdflib is imported where it is used: the Oxigraph engine runs a query and writes its results
# without it, so that `kg query` starts in a fraction of the time (benchmarks/query_startup.py).
if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.graph import ConjunctiveGraph
    from rdflib.term import Identifier

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
HEADER_KEYS = ("title", "description", "param")

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_HEADER_FIELD = re.compile(r"#\s?([A-Za-z]+)\s*:\s*(.*?)\s*$")  # "# title: …"; an indented line continues one
_CONTINUATION = re.compile(r"#\s{2,}(\S.*?)\s*$")  # "#   more words" goes on with the field above
_PARAM = re.compile(rf"[?$]({_NAME})\s+(\S.*)$")
_PARAM_USE = re.compile(rf"\$({_NAME})")
_COMMENT_LINE = re.compile(r"^\s*#.*$", re.M)
_PROLOGUE = re.compile(r"\s*(?:#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)
_KEYWORD = re.compile(r"\s*([A-Za-z]+)")
_DECLARED_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.I)
# An IRI as SPARQL and Turtle allow it: a scheme, and none of the characters that end an IRI.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*")


@dataclass(frozen=True)
class NamedQuery:
    name: str  # file stem
    path: Path
    title: str
    description: str
    params: tuple[tuple[str, str], ...]  # (name without "?", meaning)
    text: str
    form: str  # "SELECT" | "CONSTRUCT" | "ASK" | "DESCRIBE"


_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING, XSD_INTEGER = _XSD + "string", _XSD + "integer"


class Cell(NamedTuple):
    """A value of a result as the result formats write it, made by either engine without rdflib."""

    kind: str  # "uri" | "bnode" | "literal"
    value: str  # the IRI, the blank node's id, or the literal's lexical form (as rdflib gives it)
    language: str | None = None
    datatype: str | None = None  # None for a plain literal (xsd:string) and a tagged one


class QueryResult:
    """What a query gave: ``rows`` of rdflib terms (or None) for SELECT, the same values as
    ``cells`` (what the result formats write), ``boolean`` for ASK, ``graph`` for CONSTRUCT and
    DESCRIBE. An engine gives rows or cells and the other is made when first asked for: writing
    Oxigraph's results this way needs no rdflib."""

    def __init__(self, form: str, variables: tuple[str, ...], rows=(), boolean: bool | None = None, graph: Graph | None = None, *, cells=None):
        self.form, self.variables, self.boolean, self.graph = form, variables, boolean, graph
        self._rows, self._cells = (None, cells) if cells is not None else (rows, None)

    @property
    def rows(self) -> tuple[tuple[object, ...], ...]:
        if self._rows is None:
            convert = lru_cache(maxsize=None)(_cell_term)  # a result repeats its values
            self._rows = tuple(tuple(convert(cell) for cell in row) for row in self._cells)
        return self._rows

    @property
    def cells(self) -> tuple[tuple[Cell | None, ...], ...]:
        if self._cells is None:
            self._cells = tuple(tuple(_rdflib_cell(term) for term in row) for row in self._rows)
        return self._cells

    def __eq__(self, other) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.form, self.variables, self.rows, self.boolean, self.graph) == (other.form, other.variables, other.rows, other.boolean, other.graph)

    __hash__ = None

    def __repr__(self) -> str:
        return f"QueryResult({self.form!r}, {self.variables!r}, {self.rows!r}, {self.boolean!r}, {self.graph!r})"


# --- reading queries -------------------------------------------------------------------------


def parse_query(text: str, path: Path, strict: bool = True) -> NamedQuery:
    """A query file's text → NamedQuery. ``strict`` (the library) requires a title and description.

    Errors name the file and line: the header is what ``kg query --list`` and the web page show,
    so a typo there must not pass silently.
    """

    def fail(line: int, message: str) -> QueryError:
        return QueryError(message, f"{path}:{line}")

    fields: dict[str, list[str]] = {}  # title / description → its words, continuation lines included
    params: dict[str, list[str]] = {}  # parameter name → its meaning
    last: list[str] | None = None  # the words a continuation line ("#    more") goes on
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        field = _HEADER_FIELD.match(line)
        if field and field.group(1).lower() in HEADER_KEYS:
            key, value = field.group(1).lower(), field.group(2)
            if not value:
                raise fail(number, f"'# {key}:' has nothing after it")
            if key == "param":
                param = _PARAM.match(value)
                if not param:
                    raise fail(number, f"'# param:' wants '?name meaning', got {value!r}")
                if param.group(1) in params:
                    raise fail(number, f"parameter ?{param.group(1)} is declared twice")
                last = params[param.group(1)] = [param.group(2)]
            else:
                if key in fields:
                    raise fail(number, f"'# {key}:' is given twice")
                last = fields[key] = [value]
        elif field and strict:
            raise fail(number, f"unknown header field '{field.group(1)}'; the fields are: {', '.join(HEADER_KEYS)}")
        elif last is not None and (more := _CONTINUATION.match(line)):
            last.append(more.group(1))
    for key in ("title", "description"):
        if strict and key not in fields:
            raise fail(1, f"the header has no '# {key}:' line")
    declared = list(params)
    body = _COMMENT_LINE.sub("", text)
    used = set(_PARAM_USE.findall(body))
    for name in declared:
        if name not in used:
            raise fail(_line_of(lines, f"?{name}"), f"parameter ?{name} is declared but the query never uses ${name}")
    for name in sorted(used - set(declared)):
        raise fail(_line_of(lines, f"${name}"), f"${name} is used but not declared: add '# param: ?{name} meaning' to the header")
    return NamedQuery(
        name=path.stem,
        path=path,
        title=" ".join(fields.get("title", [path.stem])),
        description=" ".join(fields.get("description", [])),
        params=tuple((name, " ".join(meaning)) for name, meaning in params.items()),
        text=text,
        form=_query_form(text, path),
    )


def _line_of(lines: list[str], needle: str) -> int:
    return next((n for n, line in enumerate(lines, 1) if needle in line), 1)


def _query_form(text: str, path: Path) -> str:
    position = 0
    while (match := _PROLOGUE.match(text, position)) and match.end() > position:
        position = match.end()
    keyword = _KEYWORD.match(text, position)
    word = keyword.group(1).upper() if keyword else ""
    if word not in FORMS:
        line = text.count("\n", 0, keyword.start(1) if keyword else position) + 1
        found = f"'{keyword.group(1)}'" if keyword else "nothing"
        raise QueryError(f"expected a SPARQL query ({', '.join(FORMS)}), found {found}; updates are not run", f"{path}:{line}")
    return word


def discover_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every ``*.rq`` in ``directory``, by name in sorted order."""
    return {path.stem: parse_query(_read_text(path), path) for path in sorted(Path(directory).glob("*.rq"))}


_EXAMPLE = re.compile(r"e\.g\. (\S+)")


def example_bindings(query: NamedQuery) -> dict[str, str] | None:
    """The first example each ``# param:`` line gives ("…, e.g. 张三 or 区委书记" → 张三), or
    None unless every parameter has one: values to run a query with when none are given."""
    found = {name: _EXAMPLE.search(meaning) for name, meaning in query.params}
    if not all(found.values()):
        return None
    return {name: match.group(1) for name, match in found.items()}


def load_query(name_or_path: str) -> NamedQuery:
    """A library query by name (``responsibility-matrix``) or a query file by path."""
    path = Path(name_or_path)
    # A path by its look, not by what the folder holds: a file named like a library query in the
    # working folder must not shadow the library.
    if name_or_path.endswith(".rq") or "/" in name_or_path or "\\" in name_or_path:
        if not path.is_file():
            raise UsageError("no such query file", name_or_path)
        return parse_query(_read_text(path), path, strict=False)
    library = QUERY_DIR / f"{name_or_path}.rq"
    if re.fullmatch(r"[A-Za-z0-9_.\-]+", name_or_path) and library.is_file():
        return parse_query(_read_text(library), library)
    raise QueryError(f"unknown query {name_or_path!r}; `kg query --list` shows the named queries, or give a .rq file")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QueryError("a query file must be UTF-8 text", str(path)) from None


# --- binding parameters ----------------------------------------------------------------------


def _text_iri(value: str) -> str | None:
    """``<https://…>`` → the IRI; anything else → None (a plain literal)."""
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not _IRI.fullmatch(iri):
            raise QueryError(f"{value!r} is not an IRI (a scheme such as https:, and no spaces or <>\"{{}}|^`\\)")
        return iri
    return None


def text_to_term(value: str) -> Identifier:
    """``<https://…>`` → an IRI; anything else → a plain literal (queries compare labels by
    ``STR``, so a plain value matches a label tagged ``@zh`` as well)."""
    from rdflib import Literal, URIRef

    iri = _text_iri(value)
    return Literal(value) if iri is None else URIRef(iri)


def _is_rdflib(value, *names: str) -> bool:
    """Whether ``value`` is one of rdflib's ``names`` classes; never so while rdflib is not loaded."""
    rdflib = sys.modules.get("rdflib")
    return rdflib is not None and isinstance(value, tuple(getattr(rdflib, name) for name in names))


def _given_values(query: NamedQuery, bindings: dict[str, object] | None) -> dict[str, object]:
    """The given values by the query's parameter names, each name checked against its header."""
    declared = dict(query.params)
    values: dict[str, object] = {}
    for given, value in (bindings or {}).items():
        name = given.lstrip("?$")
        if name not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise QueryError(f"query {query.name} has no parameter {name!r}; it takes: {takes}")
        values[name] = value
    missing = [name for name in declared if name not in values]
    if missing:
        name = missing[0]
        raise QueryError(f"query {query.name} needs a value for parameter {name!r} ({declared[name]})")
    return values


def bind_parameters(query: NamedQuery, bindings: dict[str, object] | None) -> dict[str, Identifier]:
    """Check the given values against the query's declared parameters and make them RDF terms."""
    values = _given_values(query, bindings)
    return {name: value if _is_rdflib(value, "URIRef", "Literal") else text_to_term(str(value)) for name, value in values.items()}


_WHERE_GROUP = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n]*")
_SUBSELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def values_query(query: NamedQuery, terms: dict[str, Identifier]) -> str:
    """The query's text with ``terms`` (from ``bind_parameters``) bound by a VALUES block that
    opens each of its WHERE groups, sub-selects included — for a SPARQL endpoint, which takes
    text alone. Each value is written by rdflib (``n3()``), so no text given by a user is pasted
    into the query. Opening every group binds a parameter wherever it is read, as the engines'
    own bindings do; a VALUES clause after the query would join only after the groups' FILTERs
    had failed on the unbound parameter."""
    if not terms:
        return query.text
    # Comments blanked (same length) so that a "where {" in a comment is not taken.
    searchable = _COMMENT.sub(lambda m: " " * len(m.group()), query.text)
    # "WHERE { SELECT …": a group that is one sub-select takes nothing beside it; the
    # sub-select's own WHERE group is bound instead.
    groups = [m.end() for m in _WHERE_GROUP.finditer(searchable) if not _SUBSELECT.match(searchable, m.end())]
    if not groups:
        raise QueryError(f"query {query.name} has no WHERE {{ … }} group to bind its parameters in")
    names = sorted(terms)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms[n].n3() for n in names)}) }}"
    text = query.text
    for end in reversed(groups):
        text = text[:end] + block + text[end:]
    return text


# --- terms, the same from either engine --------------------------------------------------------


@lru_cache(maxsize=None)  # a graph has a few tags, and a result holds them many times
def _language(tag: str) -> str:
    """BCP 47 case (zh-Hant, en-GB): pyoxigraph lowercases tags, rdflib keeps them as written."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    return "-".join(out)


def _normal_term(term):
    """One form per term, whichever engine made it: ``"x"^^xsd:string`` is the plain ``"x"`` (RDF 1.1
    says they are one literal; pyoxigraph writes the datatype, rdflib leaves it out)."""
    from rdflib import XSD, Literal

    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=_language(term.language))
        if term.datatype is None or term.datatype == XSD.string:
            return Literal(str(term))
    return term


def _normal_graph(triples, prefixes: dict[str, str]) -> Graph:
    from rdflib import RDF, RDFS, XSD, Graph
    from rdflib.namespace import DCTERMS, PROV, SKOS

    from .vocab import RKG

    # Prefixes a result graph is written with, besides those its query declares.
    known = {"rkg": str(RKG._NS), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS), "prov": str(PROV), "dcterms": str(DCTERMS)}
    graph = Graph(bind_namespaces="none")
    for prefix, iri in sorted({**known, **prefixes}.items()):
        graph.bind(prefix, iri)
    # Sorted insertion: the serialisers follow the store's order, and the output must not vary.
    for triple in sorted(tuple(_normal_term(t) for t in triple) for triple in triples):
        graph.add(triple)
    return graph


def _prefixes(text: str) -> dict[str, str]:
    return {prefix: iri for prefix, iri in _DECLARED_PREFIX.findall(_COMMENT_LINE.sub("", text))}


# --- engines ---------------------------------------------------------------------------------


class QueryEngine:
    """Runs queries on one loaded dataset. Two implementations: pyoxigraph's store and rdflib."""

    name = ""

    def run(self, query: NamedQuery | str, bindings: dict[str, str] | None = None) -> QueryResult:
        """``query`` is a NamedQuery or the text of one (its header, if any, declares its parameters)."""
        if isinstance(query, str):
            query = parse_query(query, Path("<query>"), strict=False)
        return self._execute(query, self._bind(query, bindings))

    def _bind(self, query: NamedQuery, bindings: dict[str, object] | None) -> dict:
        return bind_parameters(query, bindings)

    def _execute(self, query: NamedQuery, terms: dict) -> QueryResult:
        raise NotImplementedError


class RdflibEngine(QueryEngine):
    name = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph  # a Graph, or a Dataset whose default graph is the union of its graphs

    def _execute(self, query: NamedQuery, terms: dict[str, Identifier]) -> QueryResult:
        try:
            result = self.graph.query(query.text, initBindings=terms)
            if result.type == "ASK":
                return QueryResult("ASK", (), (), bool(result.askAnswer), None)
            if result.type in GRAPH_FORMS:
                return QueryResult(result.type, (), (), None, _normal_graph(result.graph, _prefixes(query.text)))
            variables = tuple(str(v) for v in result.vars or ())
            rows = tuple(tuple(_normal_term(term) for term in row) for row in result)
        except QueryError:
            raise
        except Exception as exc:  # rdflib's parser and evaluator raise many kinds; the user needs one line
            raise QueryError(f"{query.name}: {type(exc).__name__}: {exc}") from None
        return QueryResult("SELECT", variables, rows, None, None)


class OxigraphEngine(QueryEngine):
    name = "oxigraph"

    def __init__(self, store):
        self.store = store

    def _bind(self, query: NamedQuery, bindings: dict[str, object] | None) -> dict:
        """Pyoxigraph terms by parameter name: text is bound without making rdflib terms."""
        import pyoxigraph as ox

        terms = {}
        for name, value in _given_values(query, bindings).items():
            if _is_rdflib(value, "URIRef", "Literal"):
                terms[name] = _to_oxigraph(value)
            else:
                iri = _text_iri(str(value))
                terms[name] = ox.Literal(str(value)) if iri is None else ox.NamedNode(iri)
        return terms

    def _execute(self, query: NamedQuery, terms: dict) -> QueryResult:
        import pyoxigraph as ox

        substitutions = {ox.Variable(name): term for name, term in terms.items()}
        try:
            result = self.store.query(query.text, substitutions=substitutions or None)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", (), (), bool(result), None)
            if isinstance(result, ox.QueryTriples):
                # A result repeats its values (a document's name on each of its rows): each is
                # made an rdflib term once, which is most of the time a large result takes here.
                convert = lru_cache(maxsize=None)(_from_oxigraph)
                triples = [tuple(convert(t) for t in (x.subject, x.predicate, x.object)) for x in result]
                return QueryResult(query.form, (), (), None, _normal_graph(triples, _prefixes(query.text)))
            cell = lru_cache(maxsize=None)(_oxigraph_cell)
            variables = tuple(v.value for v in result.variables)
            cells = tuple(tuple(cell(solution[v]) for v in variables) for solution in result)
        except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
            message = str(exc)
            if "projection" in message:  # pyoxigraph binds only variables the result could show
                message += " (a parameter must be projected by the SELECT, or by a sub-select in CONSTRUCT and ASK)"
            raise QueryError(f"{query.name}: {message}") from None
        return QueryResult("SELECT", variables, cells=cells)


def _to_oxigraph(term: Identifier):
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_oxigraph(term):
    """A pyoxigraph term as an rdflib term, a literal in its normal form (as _normal_term leaves it)."""
    return _cell_term(_oxigraph_cell(term))


def _oxigraph_cell(term) -> Cell | None:
    """A pyoxigraph term as the Cell of the rdflib term ``_from_oxigraph`` makes of it."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Cell("literal", term.value, _language(term.language))
        datatype = term.datatype.value
        return Cell("literal", term.value) if datatype == XSD_STRING else Cell("literal", _lexical(term.value, datatype), None, datatype)
    raise QueryError(f"a result holds an RDF-star triple term, which reform-kg does not show: {term}")


# Lexical forms rdflib keeps as they are, by datatype: its Literal writes others in a normal form
# of its own ("01"^^xsd:integer as "1", "1"^^xsd:boolean as "true"), which rdflib alone knows.
_KEPT_AS_WRITTEN = {
    XSD_INTEGER: re.compile(r"-?(?:0|[1-9][0-9]*)"),
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


@lru_cache(maxsize=4096)
def _lexical(value: str, datatype: str) -> str:
    """A typed literal's text as rdflib gives it, so that both engines write the same bytes."""
    kept = _KEPT_AS_WRITTEN.get(datatype)
    if kept is not None and kept.fullmatch(value):
        return value
    from rdflib import Literal, URIRef

    return str(Literal(value, datatype=URIRef(datatype)))


def _rdflib_cell(term) -> Cell | None:
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Cell("uri", str(term))
    if isinstance(term, BNode):
        return Cell("bnode", str(term))
    return Cell("literal", str(term), term.language or None, None if term.datatype is None else str(term.datatype))


def _cell_term(cell: Cell | None):
    """The rdflib term of a Cell (as ``_from_oxigraph`` makes it)."""
    from rdflib import BNode, Literal, URIRef

    if cell is None:
        return None
    if cell.kind == "uri":
        return URIRef(cell.value)
    if cell.kind == "bnode":
        return BNode(cell.value)
    if cell.language:
        return Literal(cell.value, lang=cell.language)
    return Literal(cell.value) if cell.datatype is None else Literal(cell.value, datatype=URIRef(cell.datatype))


# Formats that hold named graphs: read into an rdflib Dataset so that GRAPH ?g reaches them. A
# file of one graph is read into a Graph, on which rdflib answers faster.
DATASET_FORMATS = ("trig", "nquads", "trix", "json-ld")


def _load_rdflib(path: Path) -> Graph:
    from rdflib import Dataset, Graph
    from rdflib.util import guess_format

    fmt = guess_format(str(path)) or "turtle"
    graph = Dataset(default_union=True) if fmt in DATASET_FORMATS else Graph()
    return graph.parse(str(path), format=fmt)


def _copy_into_rdflib(source: ConjunctiveGraph) -> Dataset:
    """A fresh union dataset holding ``source``'s quads: the caller's dataset is left as it was."""
    from rdflib import Dataset, Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    dataset = Dataset(default_union=True)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    for prefix, iri in source.namespaces():
        dataset.bind(prefix, iri, override=True)
    for s, p, o, g in source.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        if name is None or name == DATASET_DEFAULT_GRAPH_ID:
            default.add((s, p, o))
        else:
            dataset.graph(name).add((s, p, o))
    return dataset


def _oxigraph_store(quads: list, path: Path | None = None):
    """A pyoxigraph store whose default graph is the union (a set) of every graph in ``quads``.

    pyoxigraph's own union option repeats a triple once per graph that holds it, and rdflib's
    does not: copying the triples into the default graph gives both engines one union.
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in named)
    return store


def _load_oxigraph(path: Path):
    import pyoxigraph as ox

    extension = path.suffix.lstrip(".").lower()
    try:
        fmt = ox.RdfFormat.from_extension(extension) if extension else None
    except ValueError:
        fmt = None
    if fmt is None:  # a suffix pyoxigraph does not know: let rdflib read it
        return _oxigraph_store(_rdflib_to_oxigraph(_load_rdflib(path)))
    return _oxigraph_store(list(ox.parse(path=str(path), format=fmt)))


def _rdflib_to_oxigraph(graph: Graph) -> list:
    """An rdflib Graph's triples, or a Dataset's quads, as pyoxigraph quads."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

    if not isinstance(graph, ConjunctiveGraph):
        return [ox.Quad(*(_to_oxigraph(t) for t in triple)) for triple in graph]
    quads = []
    for s, p, o, g in graph.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        graph_name = ox.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID else _to_oxigraph(name)
        quads.append(ox.Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o), graph_name))
    return quads


def _open_rdflib(source) -> QueryEngine:
    if _is_rdflib(source, "ConjunctiveGraph"):  # a Dataset too: keep its named graphs
        return RdflibEngine(_copy_into_rdflib(source))
    # A Graph is queried as it is: a query cannot change it.
    return RdflibEngine(source if _is_rdflib(source, "Graph") else _load_rdflib(source))


def _open_oxigraph(source) -> QueryEngine:
    if _is_rdflib(source, "Graph"):
        return OxigraphEngine(_oxigraph_store(_rdflib_to_oxigraph(source)))
    return OxigraphEngine(_load_oxigraph(source))


ENGINES: dict[str, Callable[[object], QueryEngine]] = {"oxigraph": _open_oxigraph, "rdflib": _open_rdflib}


def open_engine(path_or_dataset, engine: str = "oxigraph") -> QueryEngine:
    """An engine over a graph file (.ttl, .trig, .nq, .nt, …) or an rdflib Dataset or Graph."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; the engines are: {', '.join(ENGINES)}")
    source = path_or_dataset
    if not _is_rdflib(source, "Graph"):
        source = Path(source)
        if not source.is_file():
            raise UsageError("no such graph file", str(source))
    try:
        return ENGINES[engine](source)
    except (SyntaxError, ValueError) as exc:  # what both parsers raise on a bad file
        raise GraphError(f"cannot parse graph: {exc}", str(source)) from None
    except Exception as exc:  # rdflib's parsers raise many kinds; the user needs one line
        if isinstance(exc, (UsageError, GraphError, QueryError)):
            raise
        raise GraphError(f"cannot parse graph: {type(exc).__name__}: {exc}", str(source)) from None


# --- result formats --------------------------------------------------------------------------


def _plain(cell: Cell | None) -> str:
    """A value as CSV and the table show it: an IRI or a literal's text, ``_:id`` for a blank node."""
    if cell is None:
        return ""
    if cell.kind == "bnode":
        return f"_:{cell.value}"
    return cell.value


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _table_cell(cell: Cell | None) -> str:
    # One row per line: line breaks and tabs inside a quote would break the columns.
    return re.sub(r"[\t\r\n\v\f]+", " ", _plain(cell))


def result_to_table(result: QueryResult) -> bytes:
    if result.form == "ASK":
        return ("true\n" if result.boolean else "false\n").encode("utf-8")
    header = list(result.variables)
    body = [[_table_cell(cell) for cell in row] for row in result.cells]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        padded = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(cells)]
        return "  ".join(padded).rstrip() + "\n"

    rule = ["-" * w for w in widths]
    return "".join(line(cells) for cells in [header, rule, *body]).encode("utf-8")


def result_to_csv(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results CSV: bare values, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(cell) for cell in row] for row in result.cells)
    return out.getvalue().encode("utf-8")


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _tsv_term(cell: Cell | None) -> str:
    """A value in Turtle syntax, as SPARQL 1.1 TSV wants; integers in their short form."""
    if cell is None:
        return ""
    if cell.kind == "uri":
        return f"<{cell.value}>"
    if cell.kind == "bnode":
        return f"_:{cell.value}"
    if cell.language:
        return f"{_turtle_string(cell.value)}@{cell.language}"
    if cell.datatype == XSD_INTEGER and re.fullmatch(r"[+-]?\d+", cell.value):
        return cell.value
    if cell.datatype is not None:
        return f"{_turtle_string(cell.value)}^^<{cell.datatype}>"
    return _turtle_string(cell.value)


def result_to_tsv(result: QueryResult) -> bytes:
    if result.form == "ASK":
        lines = ["?boolean", "true" if result.boolean else "false"]
    else:
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join(_tsv_term(cell) for cell in row) for row in result.cells]
    return ("\n".join(lines) + "\n").encode("utf-8")


# What makes a spreadsheet read a cell as a formula: "=HYPERLINK(…)", "+1", "-1+1", "@SUM(…)",
# and a tab or carriage return before one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: one that would start a formula is written
    after an apostrophe, which Excel and LibreOffice take as "text follows" and do not show."""
    return "'" + text if text.startswith(FORMULA_START) else text


def result_to_plain(result: QueryResult) -> bytes:
    """Tab-separated plain values, for a spreadsheet or a shell pipe: the variables' names as the
    header, each value as text (no quotes, language tags or angle brackets), a tab or line break
    inside a value written as a space, and no cell that a spreadsheet would take for a formula."""
    if result.form == "ASK":
        rows = [["boolean"], ["true" if result.boolean else "false"]]
    else:
        rows = [list(result.variables), *([re.sub(r"[\t\r\n]+", " ", _plain(cell)) for cell in row] for row in result.cells)]
    return "".join("\t".join(text_cell(cell) for cell in row) + "\n" for row in rows).encode("utf-8")


def _json_term(cell: Cell) -> dict[str, str]:
    value = {"type": cell.kind, "value": cell.value}
    if cell.language:
        value["xml:lang"] = cell.language
    elif cell.datatype is not None:
        value["datatype"] = cell.datatype
    return value


def result_to_json(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results JSON; an unbound variable is left out of its row, as the format says."""
    if result.form == "ASK":
        document: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _json_term(c) for v, c in zip(result.variables, row) if c is not None} for row in result.cells]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# Characters XML 1.0 cannot hold at all, even escaped: shown as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape  # it imports urllib: loaded for this format only

    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(cell: Cell) -> str:
    from xml.sax.saxutils import quoteattr

    if cell.kind != "literal":
        return f"<{cell.kind}>{_xml_text(cell.value)}</{cell.kind}>"
    if cell.language:
        attribute = f" xml:lang={quoteattr(cell.language)}"
    elif cell.datatype is not None:
        attribute = f" datatype={quoteattr(cell.datatype)}"
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(cell.value)}</literal>"


def result_to_xml(result: QueryResult) -> bytes:
    """SPARQL Query Results XML Format (second edition)."""
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
        lines += ["  </head>", "  <results>"]
        for row in result.cells:
            lines.append("    <result>")
            lines += [f"      <binding name={quoteattr(v)}>{_xml_term(c)}</binding>" for v, c in zip(result.variables, row) if c is not None]
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def graph_to_turtle(result: QueryResult) -> bytes:
    return result.graph.serialize(format="turtle", encoding="utf-8")


def _sorted_json(value):
    """Lists sorted by their items' JSON text: rdflib's JSON-LD writer orders nodes by hash, which
    changes from one process to the next, and the order means nothing in JSON-LD — but in an
    "@list" (an RDF collection), whose order is kept."""
    if isinstance(value, dict):
        return {key: [_sorted_json(i) for i in item] if key == "@list" else _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


def graph_to_jsonld(result: QueryResult) -> bytes:
    document = json.loads(result.graph.serialize(format="json-ld"))
    return (json.dumps(_sorted_json(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# format name → (writer, the result forms it can write)
FORMATS: dict[str, tuple[Callable[[QueryResult], bytes], tuple[str, ...]]] = {
    "table": (result_to_table, ("SELECT", "ASK")),
    "csv": (result_to_csv, ("SELECT", "ASK")),
    "tsv": (result_to_tsv, ("SELECT", "ASK")),
    "plain": (result_to_plain, ("SELECT", "ASK")),
    "json": (result_to_json, ("SELECT", "ASK")),
    "xml": (result_to_xml, ("SELECT", "ASK")),
    "turtle": (graph_to_turtle, GRAPH_FORMS),
    "json-ld": (graph_to_jsonld, GRAPH_FORMS),
}


def default_format(result: QueryResult) -> str:
    return "turtle" if result.form in GRAPH_FORMS else "table"


def format_result(result: QueryResult, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    writer, forms = FORMATS[fmt]
    if result.form not in forms:
        fitting = ", ".join(name for name, (_, f) in FORMATS.items() if result.form in f)
        raise UsageError(f"a {result.form} result cannot be written as {fmt}; use one of: {fitting}")
    return writer(result)

"""Upload a built dataset to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

One request per named graph, to ``{endpoint}?graph={IRI}`` (the protocol's "indirect
identification", which every store speaks): POST adds the triples to the graph — RDF graphs are
sets, so publishing the same build twice adds nothing — and PUT (``--replace``) replaces the
graph, so a document that lost facts since the last publish loses them in the store too.

A document's graph is named for where the document is (``SourceDocument.identity``), so an
edited document replaces its own graph. Each publish also writes a catalog graph
(``CATALOG_GRAPH``) listing the graphs it published; ``--replace`` reads the previous catalog
and deletes the graphs it lists that the build no longer has (a document removed). Graphs that
no catalog lists — the store's other data — are never touched.

The protocol is two verbs, a query string, a Content-Type and Basic or Digest authentication;
``urllib.request`` speaks all of it, so a client library (requests, SPARQLWrapper) would be a
dependency for nothing.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.util import guess_format

from .errors import GraphError, PublishError, UsageError

# The password never goes on the command line, where `ps` and shell history would show it.
PASSWORD_VARIABLE = "KG_PUBLISH_PASSWORD"
# Turtle: every Graph Store Protocol implementation reads it, and it is UTF-8 by definition.
CONTENT_TYPE = "text/turtle; charset=utf-8"
# How much of an error response to quote: enough for a store's one-line reason, not its HTML page.
BODY_EXCERPT_CHARS = 200
# The graph that lists the graphs a publish sent (void:subset), for the next --replace.
CATALOG_GRAPH = URIRef("https://w3id.org/reform-kg/id/graph/published")
VOID = Namespace("http://rdfs.org/ns/void#")


@dataclass(frozen=True)
class Upload:
    """One request's worth: the target graph (None: the store's default graph) and its triples."""

    graph: URIRef | None
    triples: int
    body: bytes

    @property
    def label(self) -> str:
        return f"<{self.graph}>" if self.graph is not None else "default graph"


def read_dataset(path: str | Path) -> Dataset:
    """A dataset file (TriG or N-Quads keep the named graphs; Turtle has only a default graph)."""
    if not Path(path).is_file():
        raise UsageError("no such dataset file (kg build writes output/graph.trig)", str(path))
    try:
        return Dataset().parse(str(path), format=guess_format(str(path)) or "trig")
    except Exception as exc:  # rdflib raises many kinds; the user needs one line
        # rdflib's messages run over lines: the user gets one
        raise GraphError(f"cannot parse dataset: {' '.join(str(exc).split())}", str(path)) from None


def _turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def plan_uploads(dataset: Dataset, into: URIRef | None = None) -> list[Upload]:
    """The requests that publish ``dataset``: one per non-empty named graph in IRI order, then the
    default graph if it holds anything; or, with ``into``, the union of all of them into that graph."""
    if into is not None:
        from .rdf import union_graph  # here: kg.rdf loads the lexicon, which only --graph needs

        union = union_graph(dataset)
        return [Upload(into, len(union), _turtle(union))]
    named = sorted(
        (g for g in dataset.graphs() if g.identifier not in (DATASET_DEFAULT_GRAPH_ID, CATALOG_GRAPH) and len(g)), key=lambda g: str(g.identifier)
    )
    uploads = [Upload(URIRef(g.identifier), len(g), _turtle(g)) for g in named]
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):
        uploads.append(Upload(None, len(default), _turtle(default)))
    if named:
        uploads.append(catalog_upload([URIRef(g.identifier) for g in named]))
    return uploads


def catalog_upload(graphs: list[URIRef]) -> Upload:
    """The catalog graph: ``CATALOG_GRAPH`` a void:Dataset whose subsets are ``graphs``."""
    catalog = Graph()
    catalog.add((CATALOG_GRAPH, RDF.type, VOID.Dataset))
    for graph in graphs:
        catalog.add((CATALOG_GRAPH, VOID.subset, graph))
    return Upload(CATALOG_GRAPH, len(catalog), _turtle(catalog))


def published_graphs(opener: urllib.request.OpenerDirector, endpoint: str, timeout: float, log) -> set[URIRef]:
    """The graphs the store's catalog lists: what the last publish sent (none if it has no catalog)."""
    request = urllib.request.Request(graph_url(endpoint, CATALOG_GRAPH), headers={"Accept": "text/turtle"})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return set()
        if exc.code in (405, 501):  # a store that takes graphs but gives none back
            log(f"warning: {endpoint} answered {exc.code} to GET <{CATALOG_GRAPH}>: graphs of documents no longer built stay in the store")
            return set()
        raise PublishError(f"{endpoint} answered {exc.code} {exc.reason} to GET <{CATALOG_GRAPH}>") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise PublishError(f"cannot read the catalog from {endpoint}: {getattr(exc, 'reason', exc)}") from None
    try:
        catalog = Graph().parse(data=data, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; the user needs one line
        raise PublishError(f"the catalog <{CATALOG_GRAPH}> at {endpoint} is not Turtle: {exc}") from None
    return {URIRef(g) for g in catalog.objects(CATALOG_GRAPH, VOID.subset)}


def graph_url(endpoint: str, graph: URIRef | None) -> str:
    """``endpoint?graph=IRI`` (percent-encoded) or ``endpoint?default``; ``&`` if it has a query already."""
    query = "default" if graph is None else "graph=" + urllib.parse.quote(str(graph), safe="")
    return endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + query


def check_endpoint(endpoint: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--endpoint must be an http:// or https:// URL, got {endpoint!r}")
    return endpoint


def check_graph_iri(iri: str) -> URIRef:
    parts = urllib.parse.urlsplit(iri)
    if not parts.scheme or any(c in iri for c in ' <>"{}|\\^`'):
        raise UsageError(f"--graph must be an absolute IRI such as https://example.org/graph/reform, got {iri!r}")
    return URIRef(iri)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect becomes an error: urllib would follow a 301 to a POST with a body-less GET and
    report success with nothing stored."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def make_opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    """An opener that answers the store's Basic or Digest challenge (Virtuoso asks for Digest)."""
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        text = ""
    text = " ".join(text.split())
    if error.headers.get("Location"):
        text = f"redirects to {error.headers['Location']}; give that URL as --endpoint"
    return text[:BODY_EXCERPT_CHARS] + ("…" if len(text) > BODY_EXCERPT_CHARS else "")


def send_upload(opener: urllib.request.OpenerDirector, endpoint: str, upload: Upload, method: str, timeout: float) -> None:
    """Send one graph; any failure is a PublishError naming the endpoint and what it answered."""
    request = urllib.request.Request(graph_url(endpoint, upload.graph), data=upload.body, method=method, headers={"Content-Type": CONTENT_TYPE})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        excerpt = _excerpt(exc)
        raise PublishError(f"{endpoint} answered {exc.code} {exc.reason} to {method} {upload.label}" + (f": {excerpt}" if excerpt else "")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise PublishError(f"no answer from {endpoint} within {timeout:g} s") from None
        raise PublishError(f"cannot reach {endpoint}: {exc.reason}") from None
    except TimeoutError:
        raise PublishError(f"no answer from {endpoint} within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise PublishError(f"connection to {endpoint} failed during {method} {upload.label}: {exc or type(exc).__name__}") from None


def delete_graph(opener: urllib.request.OpenerDirector, endpoint: str, graph: URIRef, timeout: float) -> None:
    """Delete one graph (a 404, a graph already gone, is no error)."""
    request = urllib.request.Request(graph_url(endpoint, graph), method="DELETE")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise PublishError(f"{endpoint} answered {exc.code} {exc.reason} to DELETE <{graph}>") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise PublishError(f"connection to {endpoint} failed during DELETE <{graph}>: {getattr(exc, 'reason', exc)}") from None


def publish_uploads(uploads: list[Upload], endpoint: str, method: str, opener: urllib.request.OpenerDirector, timeout: float, log) -> None:
    """Send every upload in order, ``log`` a line for each; stop at the first failure and say how
    far it got (graphs sent before it stay in the store: each request is a transaction of its own)."""
    for done, upload in enumerate(uploads):
        try:
            send_upload(opener, endpoint, upload, method, timeout)
        except PublishError as exc:
            if not done:
                raise
            raise PublishError(f"{exc.message} ({done} of {len(uploads)} graphs were published before)") from None
        log(f"{upload.label}: {upload.triples} triples")

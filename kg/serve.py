"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph.

Oxigraph's server evaluates the queries: ``oxigraph serve-read-only``, the binary of the
``oxigraph`` package, runs as a child process on a loopback port of its own, over a store loaded
from the graph file into a temporary folder. A small HTTP server in front of it, on the address
the user asked for, adds what it lacks:

- ``/``: an offline page listing the named queries (``queries/*.rq``) with a form to run each.
  Oxigraph's own page loads YASGUI from the network.
- ``/query`` (GET, or POST as ``application/sparql-query`` or a form): passed on with the client's
  Accept header, so content negotiation and the parser's messages are Oxigraph's, under a hard
  deadline and a size cap. Oxigraph's ``--timeout-s`` does not stop every query (a sort is never
  interrupted) and, once results have started, ends a timed-out answer with an error message
  inside a 200. So the front reads the whole answer before sending any of it: 503 when the
  deadline passes, 413 when the answer outgrows the cap (a 413 speaks of requests, but it is the
  4xx that tells a client to ask for less, and a result cut short would be malformed). A query
  past the deadline is stopped with its engine, which is started again at once over the same
  store: Oxigraph's own timeout does not stop every evaluation, and one that went on would hold
  a core and its memory for minutes. Queries the engine was answering then get 502.
- ``/queries/NAME``: a named query, its parameters bound by VALUES blocks (``kg.query.values_query``).
- CORS headers on every answer (refusals included, so a browser client can read them), and
  answers to OPTIONS preflight requests.
- 403 for ``/update``, and for an update sent to ``/query`` as a form's ``update`` or as
  ``application/sparql-update`` (one sent as a query fails to parse: 400); 405 for PUT, DELETE
  and PATCH. Oxigraph is started read-only as well, and listens on loopback only.

The child is in the front's process group, so Ctrl-C in a terminal reaches both; SIGINT and
SIGTERM stop the front, which then stops the child. On Linux the child also gets SIGTERM when the
front dies without cleaning up (SIGKILL), and a child that dies (Oxigraph panics on some queries)
is started again.
"""

from __future__ import annotations

import ctypes
import html
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from .errors import GraphError, QueryError, ServeError, UsageError
from .query import NamedQuery, discover_queries, text_to_term, values_query

# Graph file suffix → the format name Oxigraph's loader takes (it aborts on a suffix it does not know).
GRAPH_FORMATS = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".n3": "n3", ".rdf": "rdf", ".owl": "rdf", ".xml": "rdf", ".jsonld": "jsonld"}

# A form's choice of format → the Accept header it stands for: an HTML form cannot set headers.
FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "n3": "text/n3",  # SPARQLWrapper's name for a graph's format; Turtle is N3
}
# A query form → the formats its answer can take, the first one the page's default.
FORMAT_CHOICES = {
    "SELECT": ("json", "xml", "csv", "tsv"),
    "ASK": ("json", "xml", "csv", "tsv"),
    "CONSTRUCT": ("turtle", "ntriples", "rdfxml"),
    "DESCRIBE": ("turtle", "ntriples", "rdfxml"),
}

# A media type given as a format: "text/csv", "application/sparql-results+json".
MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+", re.IGNORECASE)
FORM = "application/x-www-form-urlencoded"
MAX_REQUEST_BYTES = 1 << 20
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
NOT_FOUND = "not found: the endpoint is /query, its page /"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
# Oxigraph prints a backtrace with each error when RUST_BACKTRACE asks for one; its messages are enough.
ENGINE_ENV = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}
ENGINE_START_SECONDS = 30


# What a query's text holds that is no keyword: IRIs, strings (long or short), comments.
_NOT_KEYWORDS = re.compile(r"""<[^<>\s]*>|'\''[\s\S]*?'\''|"\"\"[\s\S]*?"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|#[^\n]*""")
# The keyword, not a variable (?service), nor a prefixed name's part (ex:service).
SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.IGNORECASE)
NO_SERVICE = "this endpoint fetches nothing a query names: SERVICE is refused"


def names_a_service(query: str) -> bool:
    """Whether a query calls a SERVICE: the word as a keyword, not inside an IRI, a string or a
    comment. The engine would send a request to any address a query names, for any web page a
    user opens to make it (CORS lets every origin ask)."""
    return SERVICE.search(_NOT_KEYWORDS.sub(" ", query)) is not None


class Refused(Exception):
    """An answer the front gives itself instead of the engine's: a status and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_oxigraph() -> str:
    # The package puts the binary beside this Python's scripts, which an unactivated virtualenv leaves off PATH.
    found = shutil.which("oxigraph", path=sysconfig.get_path("scripts")) or shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed; reinstall reform-kg (pip install -e .), whose dependencies include it")
    return found


def load_store(oxigraph: str, graph: Path, store: Path) -> None:
    """Load ``graph`` (any RDF format Oxigraph reads; a dataset keeps its named graphs) into a new store."""
    if not graph.is_file():
        raise UsageError("no such graph file (build one with: kg build)", str(graph))
    fmt = GRAPH_FORMATS.get(graph.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the graph's format from its suffix; use one of {', '.join(sorted(GRAPH_FORMATS))}", str(graph))
    done = subprocess.run(
        [oxigraph, "load", "--location", str(store), "--file", str(graph), "--format", fmt],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=ENGINE_ENV,
    )
    if done.returncode:
        lines = [line for line in done.stderr.splitlines() if line.startswith("Error")] or done.stderr.splitlines() or ["no message"]
        raise GraphError(f"cannot load the graph: {lines[0].removeprefix(f'Error while loading file {graph}: ')}", str(graph))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop_with_parent(parent: int):
    """What the child runs before exec, on Linux: SIGTERM when the parent dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not in the child
    pr_set_pdeathsig = 1

    def arrange() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)

    return arrange


class Engine:
    """The Oxigraph child, answering on a free loopback port, and the limits put on its answers."""

    def __init__(self, oxigraph: str, store: Path, log: Path, timeout: int, max_bytes: int):
        self.oxigraph = oxigraph
        self.store = store
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.log = log  # Oxigraph's own output: its "Listening on <internal port>" would mislead on the terminal
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_start = 0  # where the current child's output begins in the log
        self.ready = threading.Event()  # set while a child listens; cleared when one is stopped
        self.abandoned = False  # the child was stopped for a query past the deadline

    def start(self) -> None:
        port = _free_port()
        command = [
            self.oxigraph, "serve-read-only", "--location", str(self.store), "--bind", f"127.0.0.1:{port}",
            # A dataset's named graphs are queried without GRAPH, as the Turtle output's single graph is.
            "--union-default-graph",
            # A second after the front's deadline, so the front always answers first (see the module doc).
            "--timeout-s", str(self.timeout + 1),
        ]
        with open(self.log, "ab") as log:
            self.log_start = log.tell()
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=ENGINE_ENV, preexec_fn=_stop_with_parent(os.getpid()))
        deadline = time.monotonic() + ENGINE_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServeError(f"oxigraph stopped while starting (exit {self.process.returncode}): {self.last_words()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                self.port = port
                self.abandoned = False
                self.ready.set()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServeError(f"oxigraph did not start listening within {ENGINE_START_SECONDS} s: {self.last_words()}")

    def last_words(self) -> str:
        """What the current child wrote, but the line saying where it listens."""
        with open(self.log, "rb") as log:
            log.seek(self.log_start)
            lines = log.read().decode("utf-8", errors="replace").splitlines()
        return " / ".join(line.strip() for line in lines if line.strip() and not line.startswith("Listening")) or "no message"

    def stopped(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def abandon(self) -> None:
        """Stop the child, which evaluates a query past the deadline: Oxigraph's own timeout does
        not stop every evaluation (a sort, a cartesian product), which would go on at full speed
        and hold its memory for minutes. The main thread starts a new child (``service_actions``);
        queries that came meanwhile wait for it, those the child was answering get 502."""
        process = self.process
        self.ready.clear()
        if process is not None and process.poll() is None:
            self.abandoned = True
            process.kill()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def ask(self, fields: list[tuple[str, str]], body: bytes | None, accept: str | None) -> tuple[int, str, bytes]:
        """Status, content type and content of the engine's answer, read in full by the deadline.

        ``fields`` are the protocol's parameters; ``body`` a query sent as ``application/sparql-query``.
        """
        timeout, max_bytes = self.timeout, self.max_bytes
        if not self.ready.wait(ENGINE_START_SECONDS):
            raise Refused(503, "the query engine is starting again; try again shortly")
        deadline = time.monotonic() + timeout
        headers = {"Accept": accept} if accept else {}
        if body is None:
            path, body = "/query", urlencode(fields).encode("utf-8")
            headers["Content-Type"] = FORM
        else:
            path = "/query" + (f"?{urlencode(fields)}" if fields else "")
            headers["Content-Type"] = "application/sparql-query"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            content = bytearray()
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                connection.sock.settimeout(left)
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                content += chunk
                if len(content) > max_bytes:
                    raise Refused(413, f"the result is larger than {max_bytes} bytes (kg serve --max-bytes); ask for less, e.g. with LIMIT")
        except TimeoutError:
            self.abandon()
            raise Refused(503, f"the query ran longer than {timeout} s (kg serve --timeout) and was abandoned") from None
        except (OSError, http.client.HTTPException) as exc:
            raise Refused(502, f"the query engine did not answer: {exc}") from None
        finally:
            connection.close()  # an abandoned answer: Oxigraph stops writing it
        return response.status, response.getheader("Content-Type", "application/octet-stream"), bytes(content)


def parse_term(name: str, text: str) -> URIRef | Literal:
    """A parameter's value as ``kg query`` reads one: ``<iri>`` is an IRI, any other text a plain
    literal (the named queries compare labels by their text, so 张三 finds "张三"@zh)."""
    try:
        return text_to_term(text)
    except QueryError as exc:
        raise Refused(400, f"parameter ?{name}: {exc.message}") from None


def render_page(queries: dict[str, NamedQuery]) -> bytes:
    """The endpoint's home page: self-contained, every text from a query file escaped."""
    e = html.escape

    def choose_format(choices: tuple[str, ...]) -> str:
        options = "".join(f"<option>{e(name)}</option>" for name in choices)
        return f'<label>format <select name="format">{options}</select></label>'

    sections = []
    for query in queries.values():
        params = "".join(
            f'<p><label><code>?{e(name)}</code> <input name="{e(name)}" size="40"></label> {e(meaning)}</p>'
            for name, meaning in query.params
        )
        sections.append(
            f'<section id="{e(query.name)}">\n<h3>{e(query.title)}</h3>\n<p>{e(query.description)}</p>\n'
            f'<form method="get" action="/queries/{e(quote(query.name))}">{params}'
            f'<p>{choose_format(FORMAT_CHOICES.get(query.form, tuple(FORMATS)))} <button>Run</button></p></form>\n'
            f"<details><summary>SPARQL</summary><pre>{e(query.text)}</pre></details>\n</section>"
        )
    listing = "\n".join(sections) or "<p>None.</p>"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>reform-kg SPARQL endpoint</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; }}
section {{ border-top: 1px solid #ccc; }}
pre, textarea {{ background: #f6f6f6; padding: .5em; overflow-x: auto; }}
</style>
</head>
<body>
<h1>reform-kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code>: GET with <code>?query=…</code>, or POST as
<code>application/sparql-query</code> or a form. Read-only. The Accept header chooses the format
(JSON, XML, CSV, TSV for results; Turtle, N-Triples, RDF/XML for graphs).</p>
<form method="post" action="/query">
<p><textarea name="query" rows="6" cols="80">SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10</textarea></p>
<p>{choose_format(tuple(FORMATS))} <button>Run</button></p>
</form>
<h2>Named queries</h2>
<p>A parameter is an RDF term as SPARQL writes it (<code>"text"@zh</code>, <code>&lt;iri&gt;</code>, <code>42</code>); left empty, it stays unbound.</p>
{listing}
</body>
</html>
"""
    return page.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has a Content-Length
    server: Endpoint

    def version_string(self) -> str:
        return "reform-kg"

    def do_OPTIONS(self) -> None:
        self.respond(204, b"", None)

    def do_GET(self) -> None:
        path, _, query_string = self.path.partition("?")
        self.answer(lambda: self.route(path, parse_fields(query_string)))

    def do_POST(self) -> None:
        path, _, query_string = self.path.partition("?")

        def post() -> None:
            if path == "/update":
                self.close_connection = True  # its body is left unread
                raise Refused(403, READ_ONLY)
            body = self.read_body()
            media = self.headers.get_content_type()
            if media == "application/sparql-update":
                raise Refused(403, READ_ONLY)
            if media == "application/sparql-query":
                if path != "/query":
                    raise Refused(404, NOT_FOUND)
                self.run_query(parse_fields(query_string), body)
            elif media == FORM:
                self.route(path, parse_fields(body))
            else:
                raise Refused(415, f"send a query as application/sparql-query or {FORM}, not {media}")

        self.answer(post)

    def refuse_write(self) -> None:
        self.close_connection = True  # its body is left unread
        self.respond(405, b"this endpoint is read-only\n", "text/plain; charset=utf-8", {"Allow": "GET, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = refuse_write

    def answer(self, handle) -> None:
        try:
            handle()
        except Refused as refusal:
            self.respond(refusal.status, f"{refusal.message}\n".encode("utf-8"), "text/plain; charset=utf-8")

    def route(self, path: str, fields: list[tuple[str, str]]) -> None:
        """A GET, or a POST of a form."""
        if path == "/" and self.command == "GET":
            self.respond(200, self.server.page, "text/html; charset=utf-8", {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"})
        elif path == "/query":
            self.run_query(fields, None)
        elif path.startswith("/queries/"):
            self.run_named(unquote(path.removeprefix("/queries/")), fields)
        elif path == "/.well-known/void" and self.command == "GET":
            self.respond(200, self.server.void, "text/turtle; charset=utf-8")
        elif path == "/update":
            raise Refused(403, READ_ONLY)
        else:
            raise Refused(404, NOT_FOUND)

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            self.close_connection = True
            raise Refused(411, "a POST needs a Content-Length")
        if int(length) > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise Refused(413, f"a request may hold at most {MAX_REQUEST_BYTES} bytes")
        return self.rfile.read(int(length))

    def run_query(self, fields: list[tuple[str, str]], body: bytes | None) -> None:
        if any(key == "update" for key, _ in fields):
            raise Refused(403, READ_ONLY)
        query = body.decode("utf-8", errors="replace") if body is not None else next((value for key, value in fields if key == "query"), "")
        if names_a_service(query):
            raise Refused(403, NO_SERVICE)
        accept = self.headers.get("Accept")
        choice = [value for key, value in fields if key == "format"]
        if choice:
            # A short name ("tsv"), or a media type as SPARQLWrapper and others send it
            # ("text/tab-separated-values"), which the engine negotiates as an Accept header.
            if choice[-1] not in FORMATS and not MEDIA_TYPE.fullmatch(choice[-1]):
                raise Refused(400, f"unknown format {choice[-1]!r}; use one of {', '.join(FORMATS)}, or a media type")
            accept = FORMATS.get(choice[-1], choice[-1])
            fields = [(key, value) for key, value in fields if key != "format"]
        status, content_type, content = self.server.engine.ask(fields, body, accept)
        self.respond(status, content, content_type, {"Vary": "Accept"})

    def run_named(self, name: str, fields: list[tuple[str, str]]) -> None:
        query = self.server.queries.get(name)
        if query is None:
            raise Refused(404, f"no named query {name!r}; the page / lists them")
        given = dict(fields)
        bindings = {param: parse_term(param, given[param].strip()) for param, _ in query.params if given.get(param, "").strip()}
        choice = [("format", given["format"])] if "format" in given else []
        self.run_query([("query", values_query(query, bindings)), *choice], None)

    def respond(self, status: int, content: bytes, content_type: str | None, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        for key, value in {**CORS, **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(content)

    def log_request(self, code="-", size="-") -> None:
        # The path without its query string, which can be long; a request line too long to read
        # (answered 414 by the base class) has no path.
        if not self.server.quiet:
            _log(f"{self.command or '-'} {getattr(self, 'path', '-').partition('?')[0]} {int(code)}")

    def log_message(self, format, *args) -> None:
        if not self.server.quiet:
            _log(f"{self.address_string()}: {format % args}")


def parse_fields(data: str | bytes) -> list[tuple[str, str]]:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the request's parameters are not UTF-8 form encoded") from None


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, engine: Engine, queries: dict[str, NamedQuery], quiet: bool):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.engine = engine
        self.queries = queries
        self.page = render_page(queries)
        self.quiet = quiet
        self.void = b""  # the dataset's description, once the address is known (describe_endpoint)
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer's own looks the host's name up in DNS (getfqdn), which can hang offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def service_actions(self) -> None:
        # Run by serve_forever in the main thread, which must be the one that starts the child:
        # Linux signals a child when the thread that started it ends.
        if self.engine.stopped():
            if not self.engine.abandoned:
                _log(f"warning: oxigraph stopped (exit {self.engine.process.returncode}: {self.engine.last_words()}); starting it again")
            self.engine.start()

    def handle_error(self, request, client_address) -> None:
        kind, error = sys.exc_info()[:2]
        if not issubclass(kind, ConnectionError):  # a client that hung up is no error of ours
            _log(f"error: request from {client_address[0]}: {kind.__name__}: {error}")


@contextmanager
def _stop_on_signals():
    """SIGTERM stops the server as Ctrl-C (SIGINT) does, and neither interrupts the cleanup after."""

    def interrupt(signum, frame):
        for stop_signal in previous:
            signal.signal(stop_signal, signal.SIG_IGN)
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()  # only the main thread may set handlers
    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGINT, signal.SIGTERM)} if main else {}
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def describe_endpoint(graph: Path, endpoint: str) -> bytes:
    """The dataset's VoID description (``/.well-known/void``, where the VoID specification puts it):
    the build's void.ttl beside ``graph`` where there is one, with ``void:sparqlEndpoint`` the
    endpoint's own address; else that statement alone, on a node of the endpoint's."""
    description = Graph()
    beside = graph.parent / "void.ttl"
    if beside.is_file():
        try:
            description.parse(beside, format="turtle")
        except Exception:  # a damaged description: the endpoint serves without it
            description = Graph()
    datasets = sorted(description.subjects(RDF.type, DCAT.Dataset)) or [URIRef(endpoint.removesuffix("query") + "#dataset")]
    for dataset in datasets:
        description.add((dataset, RDF.type, VOID.Dataset))
        description.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    description.bind("void", VOID)
    return description.serialize(format="turtle", encoding="utf-8")


def serve_graph(graph: Path, host: str, port: int, timeout: int, max_bytes: int, queries_dir: Path | None, quiet: bool) -> int:
    """Serve ``graph`` until SIGINT or SIGTERM; 0 once stopped."""
    queries = discover_queries(queries_dir) if queries_dir else discover_queries()
    oxigraph = find_oxigraph()
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as folder:
        store = Path(folder) / "store"
        load_store(oxigraph, graph, store)
        engine = Engine(oxigraph, store, Path(folder) / "oxigraph.log", timeout, max_bytes)
        with _stop_on_signals():
            try:
                engine.start()
                try:
                    server = Endpoint((host, port), engine, queries, quiet)
                except OSError as exc:
                    raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
                with server:
                    bound = server.server_address[1]
                    url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
                    server.void = describe_endpoint(graph, f"{url}query")
                    if not _is_loopback(host):
                        _log(f"warning: listening on {host}: anyone who can reach this machine can query the graph")
                    _log(f"serving {graph} at {url} (SPARQL endpoint: {url}query); Ctrl-C stops")
                    server.serve_forever()
            finally:
                engine.stop()
    _log("stopped")
    return 0

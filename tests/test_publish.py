"""`kg publish` against a real Oxigraph server: a subprocess on a free loopback port, real sockets.

The server binary comes from the `oxigraph` wheel in pyproject's dependencies. Without it these
tests skip on a workstation and fail under CI (CI=true): a publish test that never runs is a
publish that is never tested.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.cli import main
from kg.publish import CATALOG_GRAPH, graph_url, plan_uploads, read_dataset
from kg.query import bind_parameters, discover_queries, open_engine, values_query
from test_query import EXAMPLES
from kg.rdf import union_graph

ROOT = Path(__file__).resolve().parents[1]

# SPARQL lives in test files or queries/, never in kg/. Both are parameter-free.
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
DROP_ALL = "DROP ALL"
UNION_IRI = "https://example.org/test/reform-union"


def free_port() -> int:
    """A loopback port nobody listens on (bound, read and released: nothing listens there after)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_oxigraph() -> str:
    found = shutil.which("oxigraph", path=sysconfig.get_path("scripts")) or shutil.which("oxigraph")
    if found:
        return found
    message = "the oxigraph server is not installed (it is in pyproject's dependencies: python -m pip install -e .)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class Oxigraph:
    """A writable `oxigraph serve` on a free loopback port, stopped by ``stop``; ``options`` are
    those of `oxigraph serve` besides --location and --bind."""

    def __init__(self, location: Path, log: Path, options: tuple[str, ...] = ("--union-default-graph",)):
        binary = find_oxigraph()
        for _ in range(3):  # another process may take the port between free_port() and the bind
            self.port = free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            with log.open("wb") as out:
                # --union-default-graph: a query without GRAPH sees every document, as `kg serve` gives it.
                self.process = subprocess.Popen(
                    [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}", *options],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            if self.wait_ready(log):
                return
        pytest.fail(f"oxigraph serve did not start: {log.read_text(errors='replace')[-2000:]}")

    def wait_ready(self, log: Path, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # exited: the port was taken, or worse; the caller retries or fails with the log
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as response:
                    if response.status == 200:
                        return True
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"oxigraph serve gave no answer within {seconds} s: {log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def store(self) -> str:
        return self.base + "/store"

    def select(self, query: str) -> list[dict]:
        request = urllib.request.Request(
            self.base + "/query",
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["results"]["bindings"]

    def ask(self, query: str) -> bool:
        request = urllib.request.Request(
            self.base + "/query",
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["boolean"]

    def construct(self, query: str) -> Graph:
        request = urllib.request.Request(
            self.base + "/query", data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return Graph().parse(data=response.read(), format="turtle")

    def update(self, update: str) -> None:
        request = urllib.request.Request(self.base + "/update", data=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(request, timeout=60):
            pass

    def counts(self) -> dict[str, int]:
        return {row["g"]["value"]: int(row["n"]["value"]) for row in self.select(COUNT_PER_GRAPH)}

    def fetch(self, graph: str) -> Graph:
        request = urllib.request.Request(graph_url(self.store, URIRef(graph)), headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return Graph().parse(data=response.read(), format="turtle")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxigraph")
    oxigraph = Oxigraph(folder / "db", folder / "server.log")
    yield oxigraph
    oxigraph.stop()


@pytest.fixture(autouse=True)
def empty_store(request):
    """Each test starts from an empty store (tests that need no server do not start one)."""
    if "server" in request.fixturenames:
        request.getfixturevalue("server").update(DROP_ALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Dataset]:
    """The Pingshan plan built by `kg build`: (graph.trig, the dataset read back from it)."""
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--out", str(out), "--no-validate", "--quiet"]) == 0
    return out / "graph.trig", read_dataset(out / "graph.trig")


@pytest.fixture
def published(server, built):
    """The Pingshan dataset, published into the (emptied) store."""
    trig, _ = built
    assert_published(publish("--endpoint", server.store, "--from", str(trig)))


def local_counts(dataset: Dataset) -> dict[str, int]:
    return {str(u.graph): u.triples for u in plan_uploads(dataset)}


def publish(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`kg publish ARGS` in a process of its own, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "kg", "publish", *args], capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def assert_published(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # results are in the store; stdout stays empty


def assert_one_line_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_every_named_graph_arrives_with_its_triples(server, built):
    trig, dataset = built
    proc = publish("--endpoint", server.store, "--from", str(trig))
    assert_published(proc)
    expected = local_counts(dataset)
    assert len(expected) == 4  # the Pingshan document's graph, the inferred one, the ontology and the catalog
    assert str(CATALOG_GRAPH) in expected
    assert server.counts() == expected
    for graph, triples in expected.items():
        assert f"<{graph}>: {triples} triples" in proc.stderr
    assert f"4 graph(s) at {server.store}: {sum(expected.values())} triples" in proc.stderr


def test_a_document_graph_comes_back_isomorphic(server, built):
    trig, dataset = built
    assert_published(publish("--endpoint", server.store, "--from", str(trig)))
    document_graph = next(g for g in sorted(local_counts(dataset)) if "/id/graph/" in g and not g.endswith("/inferred"))
    local = dataset.graph(URIRef(document_graph))
    remote = server.fetch(document_graph)
    if not isomorphic(local, remote):
        _, only_local, only_remote = graph_diff(to_isomorphic(local), to_isomorphic(remote))
        pytest.fail(f"only here:\n{only_local.serialize(format='nt')}\nonly in the store:\n{only_remote.serialize(format='nt')}")


@pytest.mark.parametrize("mode", [["--replace"], []], ids=["replace-PUT", "merge-POST"])
def test_publishing_twice_leaves_the_same_triples(server, built, mode):
    """PUT replaces, so twice is once; POST adds to a set, so twice adds nothing the second time."""
    trig, dataset = built
    for _ in range(2):
        assert_published(publish("--endpoint", server.store, "--from", str(trig), *mode))
    assert server.counts() == local_counts(dataset)


def test_replace_drops_what_the_graph_no_longer_says(server, built, tmp_path):
    trig, dataset = built
    document_graph = next(g for g in sorted(local_counts(dataset)) if "/id/graph/" in g and not g.endswith("/inferred"))
    stale = tmp_path / "stale.trig"
    stale.write_text(f"<{document_graph}> {{ <https://example.org/stale> <https://example.org/p> \"gone\" . }}\n", encoding="utf-8")
    assert_published(publish("--endpoint", server.store, "--from", str(stale)))
    assert_published(publish("--endpoint", server.store, "--from", str(trig)))
    assert server.counts()[document_graph] == local_counts(dataset)[document_graph] + 1  # POST merged
    assert_published(publish("--endpoint", server.store, "--from", str(trig), "--replace"))
    assert server.counts() == local_counts(dataset)  # PUT replaced


def test_replace_after_an_edit_a_removal_and_an_addition_leaves_the_store_equal_to_the_build(server, tmp_path):
    """A document's graph is named for where it is, not for its bytes: an edited document
    replaces its graph; a removed one's graph is deleted (the catalog of the last publish lists
    it); an added one arrives. The store then holds the build's graphs, no more."""
    corpus = ROOT / "tests" / "corpus"
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for name in ("02-huoshan-devzone-2025-key-tasks.txt", "05-xialu-2020-key-work-breakdown.txt"):
        shutil.copy(corpus / name, docs / name)
    assert main(["build", str(docs), "--out", str(out), "--no-validate", "-q"]) == 0
    assert_published(publish("--endpoint", server.store, "--from", str(out / "graph.trig"), "--replace"))
    before = read_dataset(out / "graph.trig")
    huoshan = docs / "02-huoshan-devzone-2025-key-tasks.txt"
    huoshan.write_text(huoshan.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # an edit
    (docs / "05-xialu-2020-key-work-breakdown.txt").unlink()  # a removal
    shutil.copy(corpus / "13-tongcheng-2017-reform-group-meeting.txt", docs)  # an addition
    assert main(["build", str(docs), "--out", str(out), "--no-validate", "-q"]) == 0
    after = read_dataset(out / "graph.trig")
    kept = set(local_counts(before)) & set(local_counts(after))
    assert sum(1 for g in kept if "/id/graph/" in g and not g.endswith(("/inferred", "/published"))) == 1  # the edited one
    proc = publish("--endpoint", server.store, "--from", str(out / "graph.trig"), "--replace")
    assert_published(proc)
    assert "deleted (no longer in the build)" in proc.stderr
    assert server.counts() == local_counts(after)


def test_graph_option_puts_the_union_in_one_graph(server, built):
    trig, dataset = built
    proc = publish("--endpoint", server.store, "--from", str(trig), "--graph", UNION_IRI)
    assert_published(proc)
    assert server.counts() == {UNION_IRI: len(union_graph(dataset))}
    assert f"<{UNION_IRI}>: {len(union_graph(dataset))} triples" in proc.stderr


def sparql_json_term(cell: dict | None):
    if cell is None:
        return None
    if cell["type"] == "uri":
        return URIRef(cell["value"])
    if cell["type"] == "bnode":
        return BNode(cell["value"])
    return Literal(cell["value"], lang=cell.get("xml:lang"), datatype=cell.get("datatype"))


def sorted_rows(rows) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple("" if term is None else term.n3() for term in row))


@pytest.mark.parametrize("name", sorted(discover_queries()))
def test_named_queries_give_the_same_answers_in_the_store_as_locally(server, built, published, name):
    """Every named query, with the example values its tests use, gives the same answer from
    the store as locally."""
    trig, _ = built
    query = discover_queries()[name]
    bindings = EXAMPLES.get(name, {})
    local = open_engine(trig, "oxigraph").run(query, bindings)
    # The store takes text alone: the same values, bound by a VALUES block of rdflib-written terms.
    text = values_query(query, bind_parameters(query, bindings))
    if query.form == "SELECT":
        remote = sorted_rows(tuple(sparql_json_term(b.get(v)) for v in local.variables) for b in server.select(text))
        assert remote == sorted_rows(local.rows)
    elif query.form == "ASK":
        assert server.ask(text) == local.boolean
    else:
        assert isomorphic(server.construct(text), local.graph)


def test_the_library_compares_real_rows(server, built, published):
    trig, _ = built
    matrix = open_engine(trig, "oxigraph").run(discover_queries()["responsibility-matrix"])
    assert len(matrix.rows) == 25


def test_docs_publish_examples_run(built, tmp_path):
    """The README's and docs/ publishing commands, as written: an Oxigraph server started with the
    docs' options (on a free port, in a folder of the test's), then each `kg publish` of the build.
    A command for Oxigraph on port 7878 is sent to that server; one for Fuseki, GraphDB or Virtuoso,
    which are not installed here, runs with --dry-run, which checks its options and plans its
    requests without sending them."""
    from test_docs import doc_commands

    trig, dataset = built
    (serve,) = {c.words: c for c in doc_commands("oxigraph", "serve")}
    options = list(serve[2:])
    for option in ("--location", "--bind"):  # a folder and a port of the test's
        del options[options.index(option) : options.index(option) + 2]
    store = Oxigraph(tmp_path / "db", tmp_path / "server.log", tuple(options))
    try:
        examples = doc_commands("kg", "publish")
        assert len(examples) >= 5
        for command in examples:
            words = list(command.words[2:])
            endpoint = urllib.parse.urlsplit(words[words.index("--endpoint") + 1])
            if endpoint.port == 7878:
                words[words.index("--endpoint") + 1] = store.base + endpoint.path
            else:
                words.append("--dry-run")
            proc = publish(*words, "--from", str(trig), env=dict(command.env))
            assert proc.returncode == 0, f"{command}: {proc.stderr}"
        union = "https://example.org/graph/reform"
        assert {*local_counts(dataset), str(CATALOG_GRAPH), union} <= set(store.counts())
    finally:
        store.stop()


def test_unreachable_endpoint_is_one_clear_line(built):
    trig, _ = built
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    assert_one_line_error(publish("--endpoint", endpoint, "--from", str(trig), "--timeout", "10"), "cannot reach", endpoint)


def test_a_silent_endpoint_times_out_in_one_clear_line(built):
    """A socket that listens but never answers: the kernel completes the connection, nobody reads."""
    trig, _ = built
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        assert_one_line_error(publish("--endpoint", endpoint, "--from", str(trig), "--timeout", "1"), "no answer from", endpoint, "1 s")


def test_http_error_names_the_status(server, built):
    trig, _ = built
    endpoint = server.base + "/no-such-path"
    assert_one_line_error(publish("--endpoint", endpoint, "--from", str(trig)), endpoint, "404")
    assert server.counts() == {}


def test_dry_run_lists_the_requests_and_sends_nothing(built):
    trig, dataset = built
    endpoint = f"http://127.0.0.1:{free_port()}/store"  # nobody listens: a request would fail
    proc = publish("--endpoint", endpoint, "--from", str(trig), "--replace", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    # In the order they are sent: the graphs, then the catalog that lists them.
    expected = [f"PUT {graph_url(endpoint, u.graph)} {u.triples} triples" for u in plan_uploads(dataset)]
    assert expected[-1].startswith(f"PUT {graph_url(endpoint, CATALOG_GRAPH)} ")
    assert proc.stdout.splitlines() == [*expected, f"DELETE each graph the store's catalog <{CATALOG_GRAPH}> lists and this build does not have"]


def test_graph_url_encodes_the_iri():
    assert graph_url("http://h/store", URIRef("https://w3id.org/x/graph/a#b")) == "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fx%2Fgraph%2Fa%23b"
    assert graph_url("http://h/sparql-graph-crud?x=1", None) == "http://h/sparql-graph-crud?x=1&default"


@pytest.mark.parametrize(
    "args, words",
    [
        pytest.param(["--endpoint", "localhost:7878/store"], "http://", id="endpoint-not-a-url"),
        pytest.param(["--endpoint", "http://h/store", "--graph", "not an iri"], "absolute IRI", id="graph-not-an-iri"),
        pytest.param(["--endpoint", "http://h/store", "--from", "missing.trig"], "missing.trig", id="missing-file"),
        pytest.param(["--endpoint", "http://h/store", "--user", "admin"], "KG_PUBLISH_PASSWORD", id="user-without-password"),
    ],
)
def test_usage_errors_exit_2(args, words, capsys, monkeypatch):
    monkeypatch.delenv("KG_PUBLISH_PASSWORD", raising=False)
    assert main(["publish", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_turtle_file_without_graph_is_refused(built, tmp_path, capsys):
    """Turtle flattens the named graphs: publishing it would put every document in the default graph."""
    trig, dataset = built
    flat = tmp_path / "graph.ttl"
    flat.write_bytes(union_graph(dataset).serialize(format="turtle", encoding="utf-8"))
    assert main(["publish", "--endpoint", "http://127.0.0.1:9/store", "--from", str(flat), "--dry-run"]) == 2
    assert "no named graphs" in capsys.readouterr().err
    assert main(["publish", "--endpoint", "http://127.0.0.1:9/store", "--from", str(flat), "--dry-run", "--graph", UNION_IRI]) == 0


class _BasicAuthStore(http.server.BaseHTTPRequestHandler):
    """A store that wants Basic credentials and records what it was sent (the class holds the state)."""

    credentials = "Basic " + base64.b64encode(b"publisher:s3cret").decode()
    received: list[tuple[str, str]] = []

    def refused(self) -> bool:
        if self.headers.get("Authorization") == self.credentials:
            return False
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_GET(self):  # the catalog of an earlier publish: there is none
        if not self.refused():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.refused():
            return
        self.received.append((urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0], self.headers["Content-Type"]))
        Graph().parse(data=body, format="turtle")  # what was sent is Turtle
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def basic_auth_store():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BasicAuthStore)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _BasicAuthStore.received = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


def test_user_and_password_from_the_environment(built, basic_auth_store):
    trig, dataset = built
    proc = publish("--endpoint", basic_auth_store, "--from", str(trig), "--replace", "--user", "publisher", env={"KG_PUBLISH_PASSWORD": "s3cret"})
    assert_published(proc)
    assert [g for g, _ in _BasicAuthStore.received] == [str(u.graph) for u in plan_uploads(dataset)]
    assert {t for _, t in _BasicAuthStore.received} == {"text/turtle; charset=utf-8"}
    assert "s3cret" not in proc.stderr


def test_wrong_password_is_one_clear_line(built, basic_auth_store):
    trig, _ = built
    proc = publish("--endpoint", basic_auth_store, "--from", str(trig), "--replace", "--user", "publisher", env={"KG_PUBLISH_PASSWORD": "wrong"})
    assert_one_line_error(proc, basic_auth_store, "401")
    assert "wrong" not in proc.stderr

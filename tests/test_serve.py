"""``kg serve`` over real processes and sockets, no mocks: a ``kg serve`` process with Oxigraph
behind it, spoken to over HTTP on loopback. The queries sent are files in ``tests/serve/``.

Nothing here is skipped: a missing ``oxigraph`` binary fails the tests, as it would fail ``kg serve``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from rdflib import RDF, Graph, Literal

from kg.cli import main
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "serve"
TIMEOUT = 1  # seconds: the slow query runs for minutes
MAX_BYTES = 300_000  # all-triples.rq answers about 500 kB, every other query far less
FORM = "application/x-www-form-urlencoded"
PLACE = "坪山区"


def text_of(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    stderr: Path
    stdout: Path

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict[str, str] | None = None):
        """(status, headers, text) of one request on a new connection."""
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body.encode("utf-8") if isinstance(body, str) else body, headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode("utf-8")
        finally:
            connection.close()

    def get(self, query: str, accept: str | None = None, **fields):
        return self.request("GET", "/query?" + urlencode({"query": query, **fields}), headers={"Accept": accept} if accept else {})

    def select(self, query: str) -> list[dict]:
        status, _, text = self.get(query, "application/sparql-results+json")
        assert status == 200, text
        return [{k: v["value"] for k, v in row.items()} for row in json.loads(text)["results"]["bindings"]]


def start_server(folder: Path, *args: str) -> Server:
    """``kg serve`` on any free port, in a session of its own so that a failed test can end it and
    its child at once, with its temporary store in ``folder``; returns once it says where it listens."""
    stdout, stderr = folder / "stdout", folder / "stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--port", "0", *args],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True, env={**os.environ, "TMPDIR": str(folder)},
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        said = stderr.read_text(encoding="utf-8")
        found = re.search(r"^serving .* at (http://\S+/) ", said, re.M)
        if found:
            return Server(process, found.group(1), stderr, stdout)
        if process.poll() is not None:
            pytest.fail(f"kg serve exited with {process.returncode}: {said}")
        time.sleep(0.05)
    end_server(process)
    pytest.fail(f"kg serve did not start: {stderr.read_text(encoding='utf-8')}")


def end_server(process: subprocess.Popen) -> None:
    """Stopped as a user stops it, so that it removes its store; killed if that fails."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state == "Z":  # ended; its parent has not reaped it yet
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    assert main(["build", "--out", str(out), "--no-validate", "-q"]) == 0
    return out / "graph.ttl"


@pytest.fixture(scope="module")
def server(graph, tmp_path_factory):
    """One server for the module: the project's named queries and a hostile one on its page."""
    queries = tmp_path_factory.mktemp("queries")
    for path in [*(ROOT / "queries").glob("*.rq"), DATA / "queries" / "hostile.rq"]:
        shutil.copy(path, queries)
    running = start_server(tmp_path_factory.mktemp("server"), "--graph", str(graph), "--timeout", str(TIMEOUT), "--max-bytes", str(MAX_BYTES), "--queries", str(queries))
    yield running
    end_server(running.process)


def test_listens_on_loopback_by_default(server):
    assert urlsplit(server.url).hostname == "127.0.0.1"
    # The kernel's table of listening sockets agrees: 127.0.0.1, not 0.0.0.0.
    listening = {line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:] if line.split()[3] == "0A"}
    assert f"0100007F:{server.port:04X}" in listening
    assert f"00000000:{server.port:04X}" not in listening


@pytest.mark.parametrize(
    "method, content_type",
    [("GET", None), ("POST", "application/sparql-query"), ("POST", FORM), ("POST", f"{FORM}; charset=utf-8")],
)
def test_select_answers_json(server, method, content_type):
    query = text_of("place.rq")
    if method == "GET":
        status, headers, text = server.get(query)
    else:
        body = query if content_type.startswith("application/sparql-query") else urlencode({"query": query})
        status, headers, text = server.request("POST", "/query", body, {"Content-Type": content_type})
    assert status == 200, text
    assert headers["Content-Type"] == "application/sparql-results+json"
    assert headers["Access-Control-Allow-Origin"] == "*"
    rows = json.loads(text)["results"]["bindings"]
    assert [row["place"] for row in rows] == [{"type": "literal", "value": PLACE, "xml:lang": "zh"}]


def _csv_places(text: str) -> list[str]:
    return [row["place"] for row in csv.DictReader(io.StringIO(text))]


def _tsv_places(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return [row[rows[0].index("?place")] for row in rows[1:]]


def _xml_places(text: str) -> list[str]:
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    return [b.findtext("r:literal", namespaces=ns) for b in ET.fromstring(text).iterfind(".//r:binding[@name='place']", ns)]


@pytest.mark.parametrize(
    "accept, places",
    [
        ("text/csv", _csv_places),
        ("text/tab-separated-values", _tsv_places),
        ("application/sparql-results+xml", _xml_places),
        ("text/csv;q=0.5, application/sparql-results+xml", _xml_places),
    ],
)
def test_accept_header_chooses_the_result_format(server, accept, places):
    status, headers, text = server.get(text_of("place.rq"), accept)
    assert status == 200, text
    assert headers["Content-Type"].split(";")[0] == accept.split(",")[-1].strip()
    assert PLACE in "".join(places(text))


def test_construct_answers_turtle(server):
    status, headers, text = server.get(text_of("project-labels.rq"), "text/turtle")
    assert status == 200, text
    assert headers["Content-Type"].startswith("text/turtle")
    labels = set(Graph().parse(data=text, format="turtle").objects())
    assert Literal("深化基层治理体制改革", lang="zh") in labels and len(labels) == 25


def test_malformed_query_gets_400_with_the_parser_message(server):
    status, headers, text = server.get(text_of("malformed.rq"))
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    # Oxigraph's parser's message, as it wrote it: where, and what it expected there.
    assert re.fullmatch(r"error at \d+:\d+: expected .+", text.strip()), text


@pytest.mark.parametrize(
    "path, body, content_type",
    [
        ("/update", "update", FORM),
        ("/update", "raw", "application/sparql-update"),
        ("/query", "update", FORM),
        ("/query", "raw", "application/sparql-update"),
        ("/query", "raw", "application/sparql-query"),  # an update where a query belongs: a parse error
    ],
)
def test_updates_are_refused_and_change_nothing(server, path, body, content_type):
    update = text_of("insert.ru")
    before = server.select(text_of("count.rq"))
    status, _, text = server.request("POST", path, urlencode({"update": update}) if body == "update" else update, {"Content-Type": content_type})
    assert 400 <= status < 500, (status, text)
    assert json.loads(server.get(text_of("inserted.rq"))[2])["boolean"] is False
    assert server.select(text_of("count.rq")) == before


def test_update_by_get_and_writing_methods_are_refused(server):
    assert server.request("GET", "/update?" + urlencode({"update": text_of("insert.ru")}))[0] == 403
    for method in ("PUT", "DELETE"):
        assert server.request(method, "/store?default", "<urn:kg-test:s> <urn:kg-test:p> <urn:kg-test:o> .", {"Content-Type": "application/n-triples"})[0] == 405
    assert json.loads(server.get(text_of("inserted.rq"))[2])["boolean"] is False


def test_slow_query_gets_the_timeout_status_and_the_server_goes_on(server):
    """The slow query (a cartesian product, sorted) would keep Oxigraph at full speed for minutes:
    the engine evaluating it is stopped, a new one answers the next query."""
    (engine,) = children(server.process.pid)
    warned = server.stderr.read_text(encoding="utf-8").count("oxigraph stopped")
    status, headers, text = server.get(text_of("slow.rq"))
    assert status == 503, text
    assert f"longer than {TIMEOUT} s" in text and headers["Access-Control-Allow-Origin"] == "*"
    assert wait_gone(engine, 5)
    assert server.select(text_of("place.rq"))[0]["place"] == PLACE
    (again,) = children(server.process.pid)
    assert again != engine
    assert server.stderr.read_text(encoding="utf-8").count("oxigraph stopped") == warned  # stopped on purpose: no warning


def test_result_larger_than_the_cap_gets_413(server):
    status, _, text = server.get(text_of("all-triples.rq"))
    assert status == 413 and f"larger than {MAX_BYTES} bytes" in text
    assert server.get(text_of("all-triples.rq") + " LIMIT 10")[0] == 200


class _Listener:
    """An HTTP server on a free loopback port that records every request it is sent."""

    def __init__(self):
        import http.server
        import threading

        seen = self.seen = []

        class Record(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                seen.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def close(self):
        self.server.shutdown()


@pytest.mark.parametrize("form", ["SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "select * {{ service silent <{url}> {{ ?s ?p ?o }} }}"])
def test_a_query_naming_a_service_is_refused_and_nothing_is_fetched(server, form):
    listener = _Listener()
    try:
        query = form.format(url=listener.url)
        for status, _, text in (server.get(query), server.request("POST", "/query", query, {"Content-Type": "application/sparql-query"})):
            assert status == 403 and "SERVICE is refused" in text
        assert listener.seen == []
    finally:
        listener.close()
    # The word as a variable, in a string or an IRI is no call: those queries run.
    assert server.get('SELECT ?service WHERE { BIND("SERVICE" AS ?service) }')[0] == 200


@pytest.mark.parametrize(
    "format_, content_type",
    [("text/tab-separated-values", "text/tab-separated-values"), ("text/csv", "text/csv"), ("application/sparql-results+json", "application/sparql-results+json")],
)
def test_format_may_be_a_media_type(server, format_, content_type):
    status, headers, text = server.get(text_of("place.rq"), format=format_)
    assert status == 200, text
    assert headers["Content-Type"].split(";")[0] == content_type and PLACE in text


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_reads_every_select_format(server, return_format):
    """SPARQLWrapper, a protocol client of others' making, sends format= as it does (a media type
    for TSV and CSV) and parses what comes back."""
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url + "query")
    client.setQuery(text_of("place.rq"))
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[return_format])
    result = client.query().convert()
    if return_format == "json":
        assert result["results"]["bindings"][0]["place"]["value"] == PLACE
    elif return_format == "xml":
        assert PLACE in result.toxml()
    else:
        assert PLACE in result.decode("utf-8")


def test_sparqlwrapper_describe_as_n3_and_turtle(server):
    from SPARQLWrapper import N3, TURTLE, SPARQLWrapper

    for return_format in (TURTLE, N3):
        client = SPARQLWrapper(server.url + "query")
        client.setQuery("DESCRIBE ?p WHERE { ?p a <https://w3id.org/reform-kg/ontology#ReformProject> } LIMIT 1")
        client.setReturnFormat(return_format)
        text = client.query().convert()
        graph = Graph().parse(data=text if isinstance(text, str) else text.decode("utf-8"), format="turtle" if return_format == TURTLE else "n3")
        assert len(graph) > 0


def test_rdflibs_sparqlstore_reads_the_graph_and_is_refused_updates(server, graph):
    """rdflib's SPARQLStore, a store of others' making over the SPARQL protocol: a Graph on the
    endpoint counts what the built graph holds, queries it, and cannot write to it."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

    built = Graph().parse(graph)
    remote = Graph(store=SPARQLStore(server.url + "query", returnFormat="json"))
    assert len(remote) == len(built)
    projects = set(remote.subjects(RDF.type, RKG.ReformProject))
    assert projects == set(built.subjects(RDF.type, RKG.ReformProject)) and projects
    rows = list(remote.query(text_of("place.rq")))
    assert PLACE in {str(row.place) for row in rows}
    writer = SPARQLUpdateStore(server.url + "query", server.url + "update")
    with pytest.raises(Exception):
        writer.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    assert len(remote) == len(built)


def test_a_request_line_too_long_gets_414(server):
    """A GET past the 64 KiB a request line may hold gets 414, and the server goes on."""
    status, _, _ = server.request("GET", "/query?" + urlencode({"query": "SELECT * {} #" + "x" * 70000}))
    assert status == 414
    assert server.select(text_of("place.rq"))[0]["place"] == PLACE
    assert "Traceback" not in server.stderr.read_text(encoding="utf-8") and "AttributeError" not in server.stderr.read_text(encoding="utf-8")


def test_the_dataset_describes_itself_with_its_endpoint(server):
    """/.well-known/void, where the VoID specification says to look: the build's description
    with the endpoint's own address as void:sparqlEndpoint."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, RDF, VOID

    status, headers, text = server.request("GET", "/.well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    void = Graph().parse(data=text, format="turtle")
    (dataset,) = void.subjects(RDF.type, DCAT.Dataset)
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"http://127.0.0.1:{server.port}/query")
    assert void.value(dataset, VOID.triples).toPython() > 0


def test_cors_preflight(server):
    status, headers, _ = server.request(
        "OPTIONS", "/query", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_page_lists_the_named_queries_escaped_and_offline(server):
    status, headers, page = server.request("GET", "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Evidence for a relation" in page and 'action="/queries/evidence-for-relation"' in page
    assert 'name="subjectLabel"' in page and 'name="objectLabel"' in page
    # Every text from a query file is escaped: its markup shows as text.
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; more" in page
    assert "<script" not in page and "<b>" not in page and "</textarea><script" not in page
    # Offline: nothing is loaded from elsewhere, and the browser is told so.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_named_query_runs_with_its_parameters_bound(server):
    params = {"subjectLabel": "深化基层治理体制改革", "objectLabel": "吕玉印", "format": "csv"}
    status, headers, text = server.request("GET", "/queries/evidence-for-relation?" + urlencode(params))
    assert status == 200, text
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["relation"].rsplit("#")[-1] for row in rows} == {"leadPerson"}
    assert any("区委书记吕玉印亲自牵头" in row["quote"] for row in rows)
    # The same from the page's form, which posts the fields.
    status, _, text = server.request("POST", "/queries/evidence-for-relation", urlencode(params), {"Content-Type": FORM})
    assert status == 200 and list(csv.DictReader(io.StringIO(text))) == rows


@pytest.mark.parametrize(
    "path, status",
    [
        ("/queries/evidence-for-relation?" + urlencode({"subjectLabel": "<not an iri>", "objectLabel": "x"}), 400),
        ("/queries/evidence-for-relation?format=pdf", 400),
        ("/queries/" + quote("no-such-query"), 404),
        ("/nowhere", 404),
    ],
)
def test_named_query_refusals(server, path, status):
    assert server.request("GET", path)[0] == status


@pytest.mark.parametrize("value", ['"a" . } DELETE WHERE { ?s ?p ?o', 'x" } ; DROP ALL ; { "', "_:b"])
def test_hostile_parameter_is_an_ordinary_literal(server, value):
    """Whatever the text, it is one literal: the query runs, finds nothing, and the graph stays."""
    params = {"subjectLabel": value, "objectLabel": value, "format": "csv"}
    status, _, text = server.request("GET", "/queries/evidence-for-relation?" + urlencode(params))
    assert status == 200, text
    assert list(csv.DictReader(io.StringIO(text))) == []
    status, _, text = server.request("GET", "/query?" + urlencode({"query": text_of("count.rq")}))
    assert status == 200 and text


def test_docs_curl_examples_print_what_they_show(server):
    """Each `curl` command of the README and docs/, sent to this server, prints what the docs show."""
    from test_docs import assert_shows, doc_commands

    examples = doc_commands("curl")
    assert any(c.page == "README.md" and c.shows == "place\n坪山区\n" for c in examples)
    for command in examples:
        words = [w.replace("http://127.0.0.1:7878/", server.url) for w in command.words]
        done = subprocess.run(words, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        assert command.shows, f"{command}: the docs say what it prints"
        assert_shows(command.shows, done.stdout, command)


def test_docs_serve_examples_answer(graph, tmp_path):
    """Each `kg serve` command of the README and docs/ starts and answers, on any free port and on
    the module's build (whatever graph it names)."""
    from test_docs import doc_commands

    examples = {c.words[2:]: c for c in doc_commands("kg", "serve")}
    assert () in examples
    for n, words in enumerate(examples):
        args = list(words)
        for option in ("--port", "--graph"):
            if option in args:
                del args[args.index(option) : args.index(option) + 2]
        folder = tmp_path / str(n)
        folder.mkdir()
        running = start_server(folder, *args, "--graph", str(graph.parent / "graph.trig"))
        try:
            assert running.select(text_of("place.rq"))[0]["place"] == PLACE, examples[words]
        finally:
            end_server(running.process)


def test_engine_that_dies_is_started_again(server):
    (engine,) = children(server.process.pid)
    os.kill(engine, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while server.request("GET", "/query?" + urlencode({"query": text_of("inserted.rq")}))[0] != 200:
        assert time.monotonic() < deadline, server.stderr.read_text(encoding="utf-8")
        time.sleep(0.1)
    assert "oxigraph stopped" in server.stderr.read_text(encoding="utf-8")
    assert server.process.poll() is None


def test_sigint_stops_both_processes_cleanly(graph, tmp_path):
    running = start_server(tmp_path, "--graph", str(graph))
    try:
        (engine,) = children(running.process.pid)
        assert running.select(text_of("place.rq"))[0]["place"] == PLACE
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(60) == 0
    finally:
        end_server(running.process)
    said = running.stderr.read_text(encoding="utf-8")
    assert "Traceback" not in said and said.rstrip().endswith("stopped"), said
    assert running.stdout.read_bytes() == b""
    assert wait_gone(engine)


def test_engine_ends_when_the_front_is_killed(graph, tmp_path):
    running = start_server(tmp_path, "--graph", str(graph), "-q")
    try:
        (engine,) = children(running.process.pid)
        running.process.kill()
        running.process.wait()
        assert wait_gone(engine)
    finally:
        end_server(running.process)


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--graph", "missing.ttl"], 2, "no such graph file"),
        (["--graph", "README.md"], 2, "use one of"),
        (["--port", "70000"], 2, "port number"),
        (["--timeout", "0"], 2, "1 or more"),
    ],
)
def test_usage_errors_are_one_line(args, code, words):
    done = subprocess.run([sys.executable, "-m", "kg", "serve", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == code and words in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_graph_that_cannot_be_loaded_is_one_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "cannot load the graph" in done.stderr and "[E300]" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_port_in_use_is_a_usage_error(server, graph):
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", str(server.port)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot listen" in done.stderr and "Traceback" not in done.stderr, done.stderr

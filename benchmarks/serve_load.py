"""Load on ``kg serve``: the named queries from 16 concurrent clients for 30 s. Not part of the tests.

    python benchmarks/serve_load.py [--graph PATH] [--clients 16] [--seconds 30]

Builds the bundled document's graph (unless ``--graph`` names one), starts ``kg serve`` on a free
loopback port, and lets each client send the named queries in turn over its own keep-alive
connection until the time is up: each query as it is written (POST ``application/sparql-query``
to ``/query``) and, where every parameter's description gives an example ("e.g. …"), bound to the
examples through ``/queries/NAME``. Prints throughput, p50/p99 latency and errors (any answer but
200, or a failed connection) on stdout; exits 1 if there was an error. The clients are threads of
this process, so on a small machine they share its cores with the server.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.query import discover_queries, example_bindings  # noqa: E402


def workload() -> list[tuple[str, str, bytes, dict[str, str]]]:
    """(label, path, body, headers) of each request a client sends in turn."""
    requests = []
    for name, query in discover_queries().items():
        # A graph is asked for as Turtle, results as SPARQL JSON: what a client of each would accept.
        accept = "text/turtle" if query.form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        requests.append((name, "/query", query.text.encode("utf-8"), {"Content-Type": "application/sparql-query", "Accept": accept}))
        examples = example_bindings(query)
        if query.params and examples:
            fields = urlencode(examples).encode("ascii")
            requests.append((f"{name} (bound)", f"/queries/{name}", fields, {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}))
    return requests


def start_server(graph: Path, log: Path) -> tuple[subprocess.Popen, int]:
    with open(log, "wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", "0", "-q"], cwd=ROOT, stdin=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = re.search(r"at (http://\S+/) ", log.read_text(encoding="utf-8"))
        if found:
            return server, urlsplit(found.group(1)).port
        if server.poll() is not None:
            break
        time.sleep(0.05)
    server.kill()
    sys.exit(f"kg serve did not start: {log.read_text(encoding='utf-8')}")


def run_client(port: int, requests, stop_at: float, latencies: dict[str, list[float]], errors: list[str]) -> None:
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    turn = 0
    while time.monotonic() < stop_at:
        label, path, body, headers = requests[turn % len(requests)]
        turn += 1
        started = time.perf_counter()
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{label}: HTTP {response.status}")
                continue
        except OSError as exc:
            errors.append(f"{label}: {exc}")
            connection.close()
            connection = HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies[label].append(time.perf_counter() - started)  # list.append is atomic under the GIL
    connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", help="graph file to serve (default: build the bundled document)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-load-") as folder:
        graph = Path(args.graph) if args.graph else Path(folder) / "graph.ttl"
        if not args.graph:
            subprocess.run([sys.executable, "-m", "kg", "build", "--out", folder, "--no-validate", "-q"], cwd=ROOT, check=True)
        server, port = start_server(graph, Path(folder) / "serve.log")
        try:
            requests = workload()
            latencies: dict[str, list[float]] = {label: [] for label, *_ in requests}
            errors: list[str] = []
            print(f"kg serve on port {port}: {args.clients} clients for {args.seconds:g} s, requests: {', '.join(latencies)}", file=sys.stderr)
            started = time.monotonic()
            clients = [threading.Thread(target=run_client, args=(port, requests, started + args.seconds, latencies, errors)) for _ in range(args.clients)]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.monotonic() - started
        finally:
            server.send_signal(signal.SIGINT)
            stopped = server.wait(30)
    every = [value for values in latencies.values() for value in values]
    print(f"clients {args.clients}, {elapsed:.1f} s, {len(every) + len(errors)} requests, {os.cpu_count()} CPUs")
    print(f"throughput {len(every) / elapsed:.1f} requests/s")
    print(f"latency p50 {percentile(every, 0.50) * 1000:.1f} ms, p99 {percentile(every, 0.99) * 1000:.1f} ms")
    for label, values in latencies.items():
        print(f"  {label}: {len(values)} requests, p50 {percentile(values, 0.50) * 1000:.1f} ms, p99 {percentile(values, 0.99) * 1000:.1f} ms")
    print(f"errors {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"kg serve exited with {stopped}")
    return 1 if errors or stopped != 0 else 0


if __name__ == "__main__":
    sys.exit(main())

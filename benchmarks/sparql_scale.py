"""How the named queries scale: p50 and p99 latency of each query on pyoxigraph and on rdflib, on
graphs of about 10k, 100k and 1M triples, with load times and peak memory.

    python benchmarks/sparql_scale.py [--cache DIR] [--sizes 10k,100k,1M] [--budget 3] [--cap 60]

Not part of the test suite. The graphs are the tests/corpus build (about 16k triples, 18 documents)
copied with its document- and place-scoped entities renamed (see _graphs.py): one copy, 6 and 62.
They are written as N-Triples, into --cache DIR when given (a later run reuses the files there; delete
them after the corpus or the extractor changes). Each engine loads the file in a process of its own,
as ``kg query --graph`` would, so its load time and peak RSS are its alone.

Each query runs with the examples its header gives, through kg.query's engines (as query_engines.py
runs them: pyoxigraph's results made rdflib terms, as ``kg query`` and the ledger get them). Runs
repeat until --runs runs or --budget seconds per query and engine; p50 is the median, p99 the
nearest-rank 99th percentile (so the slowest run, below 100 runs). pyoxigraph is warmed up by one
run first; rdflib is not (at 1M triples one run takes up to minutes), but a trivial query first
builds its SPARQL grammar. A run longer than --cap seconds is stopped and shown as ">cap"; the query
is then not run at the larger sizes on that engine.

Takes about 14 minutes on a 2-core AMD EPYC (Python 3.11) shared with other jobs, half of it rdflib
at 1M triples; the 1M-triple graph is generated in about a minute of that. Results on stdout,
progress on stderr.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from kg.query import ENGINES, discover_queries, example_bindings, open_engine  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
TARGET_MS = 50  # every named query at 1M triples should answer within this on pyoxigraph (issue 7)


class OverCap(BaseException):
    """Raised by the alarm in the middle of a run; a BaseException, so kg.query's handlers let it through."""


def stop_run(signum, frame):
    raise OverCap


# --- graphs ----------------------------------------------------------------------------------


def copies_for(base: Graph, triples: int) -> int:
    """How many copies of ``base`` make about ``triples`` triples (every copy after the first adds fewer)."""
    from _graphs import copy_triples

    added = sum(1 for _ in copy_triples(base, 1))
    return max(1, 1 + round((triples - len(base)) / added))


def write_copies(base: Graph, copies: int, path: Path) -> None:
    from _graphs import copy_triples

    partial = path.with_suffix(".part")
    with open(partial, "wb") as out:
        for copy in range(copies):
            graph = Graph()
            for triple in copy_triples(base, copy):
                graph.add(triple)
            out.write(graph.serialize(format="nt", encoding="utf-8"))
    partial.rename(path)


def graph_files(sizes: dict[str, int], folder: Path) -> dict[str, Path]:
    """One N-Triples file per size, generated unless ``folder`` has it already."""
    # Imported here: the processes that measure import this module too, and should not carry the
    # pipeline (jieba and its dictionaries) in their memory.
    from _graphs import corpus_graph

    paths = {label: folder / f"corpus-{label}.nt" for label in sizes}
    base = None
    for label, path in paths.items():
        if path.is_file():
            log(f"{label}: reusing {path}")
            continue
        if base is None:
            log("building tests/corpus ...")
            base = corpus_graph()
        copies = copies_for(base, sizes[label])
        start = time.perf_counter()
        write_copies(base, copies, path)
        log(f"{label}: {copies} copies written to {path} in {time.perf_counter() - start:.0f} s")
    return paths


# --- timing ----------------------------------------------------------------------------------


def time_runs(action, runs: int, budget: float, cap: float) -> tuple[list[float], bool]:
    """Seconds of each run: until ``runs`` runs or ``budget`` seconds; True if a run passed ``cap``."""
    times: list[float] = []
    while len(times) < runs and (not times or sum(times) < budget):
        signal.setitimer(signal.ITIMER_REAL, cap)
        start = time.perf_counter()
        try:
            action()
        except OverCap:
            return times, True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - start)
    return times, False


def percentile(times: list[float], fraction: float) -> float:
    """Nearest rank: the smallest time at least ``fraction`` of the runs do not exceed."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss, which Linux carries
    over from the parent the process was forked from."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def measure(path: Path, engine_name: str, names: list[str], options: argparse.Namespace) -> dict:
    """Load ``path`` on one engine and time each query in ``names``; run in a fresh process."""
    signal.signal(signal.SIGALRM, stop_run)
    before = peak_rss_mb()
    start = time.perf_counter()
    engine = open_engine(path, engine_name)
    triples = len(engine.store) if engine_name == "oxigraph" else len(engine.graph)
    loaded = {"triples": triples, "load_s": time.perf_counter() - start, "rss_before_mb": before, "load_rss_mb": peak_rss_mb()}
    engine.run("ASK {}")  # rdflib parses and caches its SPARQL grammar on first use
    queries = discover_queries()
    results = {}
    for name in names:
        query, bindings = queries[name], example_bindings(queries[name])
        if engine_name == "oxigraph":  # answers fast enough to be warmed up first, as query_engines.py does
            engine.run(query, bindings)
        times, over = time_runs(lambda: engine.run(query, bindings), options.runs, options.budget, options.cap)
        results[name] = {"times": times, "over": over}
        log(f"  {engine_name} {name}: {len(times)} runs{', then one over the cap' if over else ''}")
    return {**loaded, "peak_rss_mb": peak_rss_mb(), "results": results}


def run_apart(function, *args):
    """``function(*args)`` in a new process: its memory and peak RSS start from nothing."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


# --- report ----------------------------------------------------------------------------------


def cell(result: dict | None, cap: float) -> str:
    """``p50 p99 runs`` in ms, or why there is none."""
    if result is None:
        return f"{'skipped':>9} {'':>9} {'':>5}"
    times = result["times"]
    if result["over"] and not times:
        return f"{'>' + format(cap, 'g') + ' s':>9} {'':>9} {'0':>5}"
    p99 = f">{cap:g} s" if result["over"] else f"{percentile(times, 0.99) * 1000:.1f}"
    return f"{statistics.median(times) * 1000:>9.1f} {p99:>9} {len(times):>5}"


def ratio(fast: dict | None, slow: dict | None, cap: float) -> str:
    """rdflib's p50 over pyoxigraph's; at least the cap over it when rdflib never finished a run."""
    if not fast or not fast["times"] or slow is None:
        return ""
    fast_s = statistics.median(fast["times"])
    if not slow["times"]:
        return f">{cap / fast_s:.0f}×"
    return f"{statistics.median(slow['times']) / fast_s:.0f}×"


def misses(result: dict | None) -> bool:
    return not result or not result["times"] or statistics.median(result["times"]) * 1000 >= TARGET_MS


def print_size(label: str, measured: dict[str, dict], names: list[str], cap: float) -> list[str]:
    """The table of one size; returns the queries whose pyoxigraph p50 misses TARGET_MS."""
    print(f"\n{label}: {measured['oxigraph']['triples']:,} triples")
    for engine, data in measured.items():
        print(f"  {engine:<8} load {data['load_s']:6.1f} s; RSS {data['rss_before_mb']:,.0f} MB before loading, "
              f"{data['load_rss_mb']:,.0f} MB after, peak {data['peak_rss_mb']:,.0f} MB")
    head = f"{'p50 ms':>9} {'p99 ms':>9} {'runs':>5}"
    print(f"  {'':<24} {'pyoxigraph':^25}   {'rdflib':^25}")
    print(f"  {'query':<24} {head}   {head}   {'ratio':>7}")
    missed = []
    for name in names:
        fast = measured["oxigraph"]["results"].get(name)
        slow = measured["rdflib"]["results"].get(name)
        if misses(fast):
            missed.append(name)
        print(f"  {name:<24} {cell(fast, cap)}   {cell(slow, cap)}   {ratio(fast, slow, cap):>7}")
    return missed


# --- main ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> dict[str, int]:
    unknown = [label for label in text.split(",") if label not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {unknown[0]!r}; the sizes are: {', '.join(SIZES)}")
    return {label: SIZES[label] for label in text.split(",")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="folder for the generated graphs, kept for later runs (default: a temporary folder)")
    parser.add_argument("--sizes", type=parse_sizes, default=dict(SIZES), help="of 10k, 100k, 1M, comma-separated (default: all)")
    parser.add_argument("--query", action="append", help="only this named query (repeatable; default: all)")
    parser.add_argument("--runs", type=int, default=100, help="at most this many timed runs per query and engine (default 100)")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of runs per query and engine before stopping (default 3)")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds after which a run is stopped (default 60)")
    options = parser.parse_args()
    queries = discover_queries()
    names = options.query or list(queries)
    unknown = [name for name in names if name not in queries]
    if unknown:
        parser.error(f"no named query {unknown[0]!r}; `kg query --list` shows them")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.cache or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths = graph_files(options.sizes, folder)
        over_cap: dict[str, set[str]] = {engine: set() for engine in ENGINES}
        missed: list[str] = []
        for label, path in paths.items():
            measured = {}
            for engine in ENGINES:
                log(f"{label}: {engine} ...")
                todo = [name for name in names if name not in over_cap[engine]]
                measured[engine] = run_apart(measure, path, engine, todo, options)
                over_cap[engine] |= {name for name, result in measured[engine]["results"].items() if result["over"]}
            missed = print_size(label, measured, names, options.cap)
            sys.stdout.flush()
    largest = list(paths)[-1]
    print(f"\nAt {largest}: {len(names) - len(missed)} of {len(names)} queries have a pyoxigraph p50 under {TARGET_MS} ms"
          + (f"; not: {', '.join(missed)}" if missed else ""))
    print(f"whole run: {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())

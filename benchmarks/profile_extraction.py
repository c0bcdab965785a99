"""Profile extraction (kg.pipeline.process_document) over a folder of documents, one core.

    python benchmarks/generate_corpus.py 100 /tmp/corpus100
    python benchmarks/profile_extraction.py /tmp/corpus100 [--top 25]

Prints the functions with the most cumulative time, then those with the most time of their own.
The toolkit is loaded and jieba's dictionary read before profiling starts.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

from kg.pipeline import expand_paths, load_toolkit, process_document, read_document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="documents or folders")
    parser.add_argument("--top", type=int, default=25, help="functions to print per ordering (default: 25)")
    args = parser.parse_args(argv)
    files, _ = expand_paths([Path(p) for p in args.paths])
    documents = [read_document(f) for f in files]
    if not documents:
        print("no documents", file=sys.stderr)
        return 2
    toolkit = load_toolkit()
    process_document(documents[0], toolkit)  # jieba's dictionary is loaded on first use: not profiled
    profile = cProfile.Profile()
    profile.enable()
    for document in documents:
        process_document(document, toolkit)
    profile.disable()
    print(f"{len(documents)} documents, {sum(len(d.text) for d in documents):,} characters")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

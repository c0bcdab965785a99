"""Every figure of issues 7 and 19 in one run: the default build against the import floor, stage
by stage; corpus scaling (100, 1,000 and 5,000 generated documents: time, documents/s, MB/s, peak
memory, cores used, extraction against jieba.lcut); the named queries' p50 and p99 at 10k, 100k
and 1M triples on pyoxigraph and rdflib; what a corpus build writes and pays for it, before and
after --formats; validation in bulk against a document at a time, pyshacl and pyrudof; a
build on a Dask cluster against local workers; and `kg query`'s start-up against importing pyoxigraph.

    python benchmarks/run_all.py [--quick] [--only build scaling sparql formats validation dask startup]

Not part of the test suite. Each benchmark runs as its own process, one after the other (they
would slow each other down on two cores), and prints its figures as it goes; benchmarks/README.md
records the latest. The full run takes about an hour on the 2-core machine; --quick takes the
small sizes only (100 documents; 10k and 100k triples) and fewer repeats, in a few minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name → (arguments of the full run, arguments of --quick)
BENCHMARKS = {
    "build": (["build_stages.py", "--repeat", "5"], ["build_stages.py", "--repeat", "3"]),
    "scaling": (["corpus_scaling.py", "--sizes", "100", "1000", "5000"], ["corpus_scaling.py", "--sizes", "100"]),
    "sparql": (["sparql_scale.py"], ["sparql_scale.py", "--sizes", "10k,100k", "--budget", "1"]),
    "formats": (["pay_for_use.py"], ["pay_for_use.py", "--copies", "2", "--repeat", "1", "--single-repeat", "3"]),
    "validation": (["validation_bulk.py"], ["validation_bulk.py", "--copies", "2", "--repeat", "3", "--sample", "5"]),
    "dask": (["dask_build.py", "--repeat", "5"], ["dask_build.py", "--copies", "2", "--repeat", "3"]),
    "startup": (["query_startup.py", "--repeat", "21"], ["query_startup.py", "--repeat", "7"]),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and fewer repeats")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS), help="the benchmarks to run (default: all)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}", flush=True)
    failed = []
    for name in args.only:
        command = [sys.executable, str(HERE / BENCHMARKS[name][args.quick][0]), *BENCHMARKS[name][args.quick][1:]]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        start = time.perf_counter()
        if subprocess.run(command, cwd=HERE.parent).returncode != 0:
            failed.append(name)
        print(f"=== {name}: {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A build on a Dask cluster against a build on local workers, side by side in one run.

    python benchmarks/dask_build.py [--copies 20] [--workers 2] [--repeat 5]

Not part of the test suite; needs the `dask` extra. The corpus is tests/corpus's 17 documents
written --copies times, each copy with a first line of its own (generate_corpus.py --copies-of).
The cluster is what docs/cluster.md starts, on this machine: `dask scheduler` on 127.0.0.1 and
--workers `dask worker` processes of one thread each, started once and kept, as a cluster is.
Timed, as commands, in turns so that the machine's drift weighs on both alike:

- local: `python -m kg build CORPUS --out OUT -q --no-cache -j WORKERS`, the same number of
  worker processes on this machine, forked for the build;
- dask: `python -m kg build CORPUS --out OUT -q --no-cache --scheduler ADDRESS`.

Each build extracts every document (--no-cache). The first Dask build, on workers that have not
loaded the toolkit yet, is timed apart; then medians of --repeat rounds. The outputs of the two
are compared file by file. Then the per-document work alone, what the workers do (read, extract,
make each document's graph: kg.pipeline.build_corpus, in this process, no cache), on each, in
turns: the rest of a build (merging, exports, views, report) is the same work on both. Last, what the default build would pay to use Dask's LocalCluster
instead of its own pool: a fresh interpreter that imports distributed, starts a LocalCluster of
--workers processes and closes it, against one that does nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_corpus import copy_corpus  # noqa: E402

LOCAL_CLUSTER = "from distributed import LocalCluster; LocalCluster(n_workers={workers}, threads_per_worker=1, dashboard_address='127.0.0.1:0').close()"


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}


def start(args: list[str], folder: Path, name: str) -> subprocess.Popen:
    with (folder / f"{name}.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-m", *args], cwd=folder, env=environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    from distributed import Client

    loopback = ["--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0"]
    processes = [start(["dask", "scheduler", *loopback, "--port", "0", "--scheduler-file", "scheduler.json"], folder, "scheduler")]
    while not (folder / "scheduler.json").is_file() or not (folder / "scheduler.json").read_text().strip().endswith("}"):
        time.sleep(0.2)
    address = json.loads((folder / "scheduler.json").read_text())["address"]
    for n in range(workers):
        processes.append(start(["dask", "worker", address, *loopback, "--nworkers", "1", "--nthreads", "1"], folder, f"worker-{n}"))
    with Client(address, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def stop(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def seconds(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=cwd, env=environment())
    return time.perf_counter() - started


def corpus_seconds(paths: list[Path], **where) -> float:
    """kg.pipeline.build_corpus of ``paths``, timed: on local workers (jobs=N) or a cluster's
    (scheduler=ADDRESS)."""
    from kg.pipeline import build_corpus, load_toolkit
    from kg.runs import Spool

    toolkit = load_toolkit()
    started = time.perf_counter()
    with Spool() as spool:
        build_corpus(paths, spool, toolkit, **where)
        return time.perf_counter() - started


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of tests/corpus's 17 documents (default 20: 340 documents)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes and Dask workers (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-dask-bench-") as tmp:
        folder = Path(tmp)
        paths = copy_corpus(ROOT / "tests" / "corpus", args.copies, folder / "corpus")
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} documents ({size / 1e6:.2f} MB), {args.workers} workers, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
        address, processes = start_cluster(folder, args.workers)
        try:
            build = ["-m", "kg", "build", "corpus", "-q", "--no-cache"]
            local = [*build, "--out", "out-local", "-j", str(args.workers)]
            dask = [*build, "--out", "out-dask", "--scheduler", address]
            first = seconds(dask, folder)
            times: dict[str, list[float]] = {"local": [], "dask": []}
            for _ in range(args.repeat):
                times["local"].append(seconds(local, folder))
                times["dask"].append(seconds(dask, folder))
            same = read_tree(folder / "out-local") == read_tree(folder / "out-dask")
            work: dict[str, list[float]] = {"local": [], "dask": []}
            for _ in range(args.repeat):
                work["local"].append(corpus_seconds([folder / "corpus"], jobs=args.workers))
                work["dask"].append(corpus_seconds([folder / "corpus"], scheduler=address))
        finally:
            stop(processes)
        floor = [seconds(["-c", "pass"], folder) for _ in range(args.repeat)]
        cluster = [seconds(["-c", LOCAL_CLUSTER.format(workers=args.workers)], folder) for _ in range(args.repeat)]
    local_median, dask_median = statistics.median(times["local"]), statistics.median(times["dask"])
    rows = [
        (f"local, -j {args.workers}", local_median, f"{len(paths) / local_median:.1f} documents/s"),
        (f"dask, {args.workers} workers", dask_median, f"{len(paths) / dask_median:.1f} documents/s, {dask_median / local_median:.2f}x local"),
        ("dask, first build on new workers", first, "one run: each worker loads the toolkit"),
    ]
    print(f"\nbuild, median of {args.repeat} (the two taking turns):")
    for name, value, note in rows:
        print(f"  {name:<34}{value:7.2f} s  ({note})")
    print(f"  the same bytes: {'yes' if same else 'NO'}")
    local_work, dask_work = statistics.median(work["local"]), statistics.median(work["dask"])
    print(f"\nthe per-document work alone (build_corpus), median of {args.repeat}:")
    print(f"  {'local, -j ' + str(args.workers):<34}{local_work:7.2f} s")
    print(f"  {'dask, ' + str(args.workers) + ' workers':<34}{dask_work:7.2f} s  ({dask_work / local_work:.2f}x local)")
    extra = statistics.median(cluster) - statistics.median(floor)
    print(f"\nLocalCluster of {args.workers} processes, imported, started and closed: {statistics.median(cluster):.2f} s, {extra:.2f} s over an interpreter doing nothing ({statistics.median(floor):.2f} s)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

"""How does ``kg build`` scale with the number of documents? Wall time, throughput, peak memory
and CPU use of a build of a generated corpus of each size, and extraction against plain jieba.

    python benchmarks/corpus_scaling.py [--sizes 100 1000 5000] [--jobs 2] [--repeat 1] [--skip build extraction jieba]
    python benchmarks/corpus_scaling.py --stages 100 [--jobs 2]

Not part of the test suite. For each size the corpus is written by generate_corpus.py (kept in
--corpus-dir, and written again only when the generator, its templates or the seed change), then
built by ``python -m kg build DIR --out OUT -q -j JOBS --no-cache`` in a subprocess: the whole
default build, SHACL validation, the exports a corpus gets and the views included. Measured for the build:

- wall time, documents/s and MB/s of input (UTF-8 bytes of the documents);
- peak memory: the largest sum of the proportional set sizes (PSS) of the build and its worker
  and writer processes, polled from /proc every 0.2 s (what the machine must hold at once: pages
  a forked process shares are counted once), and beside it the largest single process's maximum
  resident set from ``os.wait4`` (exact, but not a sum);
- CPU use: user + system time of the build and every process under it over wall time (each
  process's as last polled from /proc, or ``os.wait4``'s figure for the build and the children
  it waited for, whichever is more: a helper forked from multiprocessing's forkserver is waited
  for by the forkserver, which ``os.wait4`` does not count); 2.0 is both cores busy throughout.

A build that passes --memory-limit (default 8 GiB, to spare a shared machine) or --timeout is
stopped, and reported as stopped.

Extraction alone, in this process, for each size: with --jobs workers as kg build runs it (wall,
documents/s, CPU over wall: whether both cores work), then on one core against jieba: the CPU
time of ``process_document`` (script, genre, segment, extract, resolve) over every document, the
toolkit loaded, against ``jieba.lcut`` over the same texts after ``jieba.initialize()``. Timed
directly rather than as the build's time less its start-up, because most of a build's time is
the RDF stages after extraction.

--stages N times each stage of ``kg build`` on the corpus of N, in this process, in the order
cmd_build runs them (load, extract, RDF, inference, union graph, validation, report, each export,
views, writing): wall and CPU seconds, and the peak resident set after each stage. The process's
address space is limited to --memory-limit: a stage that needs more stops the run, named.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_corpus import TEMPLATES, generate_corpus  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
POLL_SECONDS = 0.2
TARGET_RATIO = 5.0  # time(5,000) / time(1,000): linear (issue 19)
TARGET_BYTES = 2 << 30
TARGET_JIEBA = 0.5  # extraction at least half of jieba.lcut's throughput


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_tree: int  # bytes: the largest polled sum over the process tree
    peak_process: int  # bytes: the largest single process (ru_maxrss)
    cpu: float  # user + system seconds of the build and its workers
    stopped: str = ""  # why the build was stopped, or "" if it finished
    summary: str = ""  # the build's own summary line ("… documents built …, N triples")


def corpus_folder(cache: Path, size: int, seed: int) -> Path:
    """The corpus of ``size`` documents, written unless an identical one is there already."""
    stamp = hashlib.sha256(TEMPLATES.read_bytes() + Path(__file__).with_name("generate_corpus.py").read_bytes()).hexdigest()[:16]
    folder = cache / f"seed{seed}-{size}"
    marker = folder / "generated.stamp"  # not a document suffix: the build skips it
    if marker.is_file() and marker.read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    generate_corpus(size, folder, seed)
    marker.write_text(stamp)
    return folder


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # the process ended meanwhile
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def resident_bytes(pids: list[int]) -> int:
    """The proportional set size of the processes: each page shared by n of them (a forked
    process shares its parent's until either writes to it) counts 1/n to each, so the sum is
    what the machine holds for them, where a sum of resident sets would count shared pages again."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith(b"Pss:")) * 1024
        except (OSError, IndexError, ValueError, StopIteration):
            pass
    return total


def run_build(folder: Path, out: Path, jobs: int, memory_limit: int, timeout: float) -> Run:
    command = [sys.executable, "-m", "kg", "build", str(folder), "--out", str(out), "-q", "-j", str(jobs), "--no-cache"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    peak, stopped, cpu = 0, "", {}
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        tree = process_tree(process.pid)
        peak = max(peak, resident_bytes(tree))
        cpu.update(cpu_times(tree))
        elapsed = time.perf_counter() - start
        if not stopped and (peak > memory_limit or elapsed > timeout):
            stopped = f"stopped at {peak / 2**30:.1f} GiB" if peak > memory_limit else f"stopped after {elapsed:.0f} s"
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the build and its workers only
        time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if not stopped and process.returncode not in (0, 1):
        stopped = f"exit code {process.returncode}"
    log.seek(0)
    summary = next((line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if "document(s) built" in line), "")
    log.close()
    return Run(seconds, peak, usage.ru_maxrss * 1024, max(usage.ru_utime + usage.ru_stime, sum(cpu.values())), stopped, summary)


def cpu_times(pids: list[int]) -> dict[int, float]:
    """User + system seconds of each process so far (those that ended meanwhile left out)."""
    times = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            pass
    return times


@dataclass(frozen=True)
class Extraction:
    chars: int
    parallel_wall: float  # load and extract with --jobs workers, as a build does
    parallel_cpu: float
    serial: float  # CPU seconds of process_document, one core, toolkit loaded
    jieba: float  # CPU seconds of jieba.lcut over the same texts


def time_extraction(folder: Path, jobs: int, against_jieba: bool = True) -> Extraction:
    """The extraction stage of a build alone, in this process: with ``jobs`` workers as kg build
    runs it (wall and CPU, the workers' start-up included), then on one core against jieba.lcut."""
    import jieba

    from kg.pipeline import count_jobs, expand_paths, extract_document, load_toolkit, open_executor, process_document, read_document, run_each

    files = expand_paths([folder])[0]
    wall, cpu = time.perf_counter(), cpu_seconds()
    with open_executor(count_jobs(jobs, files)) as executor:
        documents = list(run_each(executor, read_document, [(str(f), (f,)) for f in files]))
        toolkit = load_toolkit() if executor is None else None
        for _ in run_each(executor, extract_document, [(d.path, (d, None, toolkit)) for d in documents]):
            pass  # outcomes dropped as they come: only the time is wanted
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    chars = sum(len(d.text) for d in documents)
    if not against_jieba:
        return Extraction(chars, wall, cpu, 0.0, 0.0)
    toolkit = load_toolkit()
    process_document(documents[0], toolkit)  # jieba's dictionary is loaded on first use: not timed
    start = time.process_time()
    for document in documents:
        process_document(document, toolkit)
    serial = time.process_time() - start
    jieba.initialize()
    start = time.process_time()
    for document in documents:
        jieba.lcut(document.text)
    plain = time.process_time() - start
    return Extraction(chars, wall, cpu, serial, plain)


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.txt"))


def measure_sizes(args: argparse.Namespace, cache: Path) -> None:
    results: dict[int, Run] = {}
    extractions: dict[int, Extraction] = {}
    for size in args.sizes:
        folder = corpus_folder(cache, size, args.seed)
        megabytes = corpus_bytes(folder) / 1e6
        load = os.getloadavg()[0]
        runs = []
        for _ in range(args.repeat if "build" not in args.skip else 0):
            with tempfile.TemporaryDirectory(prefix="kg-scaling-out-") as out:
                runs.append(run_build(folder, Path(out), args.jobs, int(args.memory_limit * 2**30), args.timeout))
            if runs[-1].stopped:
                break  # a stopped build is not repeated
        if runs:
            results[size] = run = Run(
                statistics.median(r.seconds for r in runs),
                max(r.peak_tree for r in runs),
                max(r.peak_process for r in runs),
                statistics.median(r.cpu for r in runs),
                runs[-1].stopped,
                runs[-1].summary,
            )
            repeat = f"median of {len(runs)}" if len(runs) > 1 else "one run"
            # A killed build's workers are not waited for: their CPU time is lost, so none is shown.
            if run.stopped:
                speed = f"{run.stopped} after {run.seconds:.0f} s"
                cpu = "CPU not known"
            else:
                speed = f"build {run.seconds:.1f} s, {size / run.seconds:.2f} documents/s, {megabytes / run.seconds:.3f} MB/s"
                cpu = f"CPU {run.cpu / run.seconds:.2f} cores"
            print(
                f"{size} documents ({megabytes:.1f} MB): {speed}; peak memory {run.peak_tree / 2**30:.2f} GiB (process tree), "
                f"{run.peak_process / 2**30:.2f} GiB (largest process); {cpu} ({repeat}; load average {load:.1f} before)",
                flush=True,
            )
            if run.summary:
                print(f"  {run.summary}")
        if "extraction" in args.skip or (args.extraction_sizes and size not in args.extraction_sizes):
            continue
        x = extractions[size] = time_extraction(folder, args.jobs, "jieba" not in args.skip)
        print(
            f"{size} documents ({megabytes:.1f} MB), extraction alone with -j {args.jobs}: {x.parallel_wall:.1f} s, {size / x.parallel_wall:.1f} documents/s, "
            f"{megabytes / x.parallel_wall:.3f} MB/s, CPU {x.parallel_cpu / x.parallel_wall:.2f} cores",
            flush=True,
        )
        if x.serial:
            print(
                f"  one core: extraction {x.chars / x.serial / 1e3:.1f} k characters/s, jieba.lcut {x.chars / x.jieba / 1e3:.1f} k characters/s: "
                f"extraction at {x.jieba / x.serial:.2f} of jieba's throughput (target ≥ {TARGET_JIEBA})",
                flush=True,
            )
    print("scaling, time(larger) / time(smaller) against the ratio of sizes:")
    sizes = sorted(set(results) | set(extractions))
    for small, large in zip(sizes, sizes[1:]):
        target = f" (target ≤ {TARGET_RATIO})" if (small, large) == (1000, 5000) else ""
        parts = []
        if small in results and large in results:
            stopped = results[small].stopped or results[large].stopped
            parts.append("build not known (stopped)" if stopped else f"build {results[large].seconds / results[small].seconds:.2f}")
        if small in extractions and large in extractions:
            parts.append(f"extraction alone {extractions[large].parallel_wall / extractions[small].parallel_wall:.2f}")
        print(f"  {large}/{small} documents = {large / small:.0f}: {', '.join(parts)}{target}")
    for size, run in results.items():
        verdict = "under" if run.peak_tree < TARGET_BYTES and not run.stopped else "over"
        print(f"{size} documents: peak {run.peak_tree / 2**30:.2f} GiB{' when stopped' if run.stopped else ''}, {verdict} the 2 GiB target")


def time_stages(size: int, args: argparse.Namespace, cache: Path) -> None:
    """Each stage of kg build, in the order cmd_build runs them, timed in this process."""
    from kg.export import EXPORTERS, write_outputs
    from kg.pipeline import BuildResult, count_jobs, expand_paths, extract_document, load_toolkit, open_executor, read_document, run_each
    from kg.render import render_views
    from kg.report import build_report
    from kg.resolve import assign_places
    from kg.runs import Spool
    from kg.shard import ShardCollector, make_shard, places_by_document
    from kg.exportsource import validate_source
    from kg.validate import load_ontology

    folder = corpus_folder(cache, size, args.seed)
    print(f"stages of kg build, {size} documents ({corpus_bytes(folder) / 1e6:.1f} MB), -j {args.jobs}: wall s, CPU s (this process and its workers), peak RSS of this process after the stage")
    state: dict = {}

    def stage(name: str, work) -> None:
        # The name first: if the stage runs out of memory, the log still says which it was
        # (an allocation that fails in pyoxigraph ends the process without a Python error).
        print(f"  {name:<24}", end="", flush=True)
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            state[name] = work()
        except MemoryError:
            print(f" out of memory after {time.perf_counter() - wall:.1f} s (address space limited to {args.memory_limit:g} GiB)", flush=True)
            raise SystemExit(1) from None
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f" {wall:8.1f} {cpu:8.1f}   {peak:5.2f} GiB", flush=True)

    # The process's address space is capped, so that a corpus too large for the machine fails
    # in the stage that needs the memory instead of starving the machine. The workers inherit it.
    limit = int(args.memory_limit * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    files = expand_paths([folder])[0]
    stage("toolkit", load_toolkit)
    # Loaded here rather than in the workers as a build does: reading text files is quick either way.
    stage("load", lambda: [read_document(f) for f in files])
    spool = Spool()

    def extract_and_shard():
        # The pool is shut down inside the stage, so that its workers' CPU time is counted
        # (a process's children count once they have ended); their toolkit loading is counted too.
        with open_executor(count_jobs(args.jobs, files)) as executor:
            own = state["toolkit"] if executor is None else None
            documents = sorted(run_each(executor, extract_document, [(d.path, (d, None, own)) for d in state["load"]]), key=lambda r: (r.document.doc_id, r.document.path))
            places = places_by_document(assign_places(documents))
            collector = ShardCollector(spool)
            work = [(r.document.path, (r, places.get(r.document.doc_id, {}), args.validate)) for r in documents]
            for shard in run_each(executor, make_shard, work):
                collector.add(shard)
            return documents, collector

    shards = "extract, then shards (RDF, inference, projection, ledger rows)"
    stage(shards, extract_and_shard)
    documents, collector = state[shards]
    stage("merge the shards (network, ledger)", collector.source)
    source = state["merge the shards (network, ledger)"]
    stage("counts (one pass over the merged lines)", lambda: source.stats)
    print(f"  ({source.stats.triples:,} triples)")
    if args.validate:
        stage("validation: each document in bulk, then what they share", lambda: validate_source(source))
    stage("report", lambda: build_report(BuildResult(tuple(documents), (), None), source.stats, state.get("validation: each document in bulk, then what they share")))
    with tempfile.TemporaryDirectory(prefix="kg-scaling-out-") as out:

        def write_export(exporter):  # as kg build writes it: the graph files stream to disk
            content = exporter.write(source)
            files = {f"{exporter.path}/{k}": v for k, v in content.items()} if isinstance(content, dict) else {exporter.path: content}
            return write_outputs(files, Path(out))

        for name, exporter in EXPORTERS.items():
            stage(f"export {name}", lambda e=exporter: write_export(e))
        stage("views", lambda: render_views(source.summary, source.network, load_ontology(), triples=source.stats.triples, ledger=source.ledger_rows))
        stage("write the views", lambda: write_outputs({f"views/{k}": v for k, v in state["views"].items()}, Path(out)))
    spool.close()


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the median is printed (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "kg-corpus-scaling", help="where the generated corpora are kept")
    parser.add_argument("--memory-limit", type=float, default=8.0, help="GiB: a build whose process tree holds more is stopped; with --stages, the address space (default 8)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds: a longer build is stopped (default 3600)")
    parser.add_argument("--skip", nargs="+", default=[], choices=["build", "extraction", "jieba"], help="parts to leave out: the build, extraction alone, extraction against jieba")
    parser.add_argument("--extraction-sizes", type=int, nargs="+", metavar="N", help="time extraction alone at these sizes only (default: every size)")
    parser.add_argument("--stages", type=int, metavar="N", help="time each stage of a build of N documents instead")
    parser.add_argument("--validate", action="store_true", help="with --stages: validate too (each document's graph, in bulk, then what the documents share)")
    args = parser.parse_args()
    args.corpus_dir.mkdir(parents=True, exist_ok=True)
    if args.stages:
        time_stages(args.stages, args, args.corpus_dir)
    else:
        measure_sizes(args, args.corpus_dir)


if __name__ == "__main__":
    main()

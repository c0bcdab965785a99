"""What a build pays for what it writes: a corpus build before and after --formats (time, cold and
warm, and bytes written against bytes read), a one-document build with every export against
the corpus default, and pyoxigraph's RDF writers against kg.writers, side by side in one run.

    python benchmarks/pay_for_use.py [--copies 20] [--repeat 3] [--before REV] [--single-repeat 7] [--skip corpus single writers]

Not part of the test suite. The corpus is issue 19's: the 17 documents of tests/corpus, --copies
times each (340 by default, 1.4 MB). Each build is ``python -m kg build CORPUS --out OUT -q`` in
a process of its own, with the code of this tree ("after") or of --before ("before", by default
the revision before --formats, which wrote every export); cold is --no-cache (every document
extracted), warm a rebuild from a filled extraction cache. The builds take turns, a run of each
a round; medians of --repeat. Then the output folders' bytes against the input's (the target:
at most 50 times), the views apart; and the views rendered in-process from the after build's
graph (render_views, every page and data file in memory) by each version, taking turns.

One document: the bundled plan built warm with its default (every export), with
--formats ledger-csv,ledger-xlsx (what a corpus gets) and with the code of --before, medians of
--single-repeat.

Writers: the corpus's graph written as Turtle, TriG, RDF/XML and JSON-LD by kg.writers (what kg
build uses) and by pyoxigraph's serializer from the same sorted lines, median of 3; and whether
pyoxigraph's files hold the same graph as rdflib reads it (rdflib.compare.isomorphic, on the
tests/corpus graph).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _builds import BEFORE, check_out, folder_bytes, median_turns, repeat_corpus, run_kg, scratch  # noqa: E402

TARGET_RATIO = 50  # output bytes / input bytes, by default, for a corpus (issue 19)
TARGET_JIEBA = 3  # (cold build - import floor) / jieba.lcut over the same text (issue 19)
FLOOR = "import rdflib, jieba, networkx, pyvis.network; jieba.initialize()"
# jieba.lcut over the documents' text, after jieba.initialize(): prints its seconds.
JIEBA = "import sys, time, jieba; jieba.initialize(); texts = [open(p, encoding='utf-8').read() for p in sys.argv[1:]]; start = time.perf_counter(); [jieba.lcut(t) for t in texts]; print(time.perf_counter() - start)"
# render_views over a build's graph.trig, the ledger's rows made first, as a build has them: prints its seconds.
VIEWS = (
    "import sys, time; from kg.export import ExportSource; from kg.publish import read_dataset; from kg.network import graph_to_network; "
    "from kg.render import render_views; from kg.validate import load_ontology; from kg.ledger import engine_to_ledger; from kg.query import open_engine; "
    "graph = ExportSource(read_dataset(sys.argv[1])).graph; network = graph_to_network(graph); ontology = load_ontology(); "
    "rows = engine_to_ledger(open_engine(graph, 'oxigraph')); start = time.perf_counter(); render_views(graph, network, ontology, ledger=rows); "
    "print(time.perf_counter() - start)"
)


def corpus_builds(args, work: Path, corpus: Path) -> dict[str, Path]:
    """Cold and warm builds of each version, taking turns with the import floor and jieba.lcut
    over the same text; their output folders."""
    versions = {"after": ROOT}
    if args.before != "none":
        versions[f"before ({args.before})"] = check_out(args.before, work / "before")
    outs = {name: work / f"out-{number}" for number, name in enumerate(versions)}
    caches = {name: work / f"cache-{number}" for number, name in enumerate(versions)}
    for name, tree in versions.items():  # fills each version's extraction cache
        run_kg(tree, ["build", str(corpus), "--out", str(outs[name]), "-q"], caches[name])
    tasks = {}
    for name, tree in versions.items():
        build = ["build", str(corpus), "--out", str(outs[name]), "-q"]
        tasks[f"{name}, cold (--no-cache)"] = lambda tree=tree, build=build, name=name: run_kg(tree, [*build, "--no-cache"], caches[name])
        tasks[f"{name}, warm"] = lambda tree=tree, build=build, name=name: run_kg(tree, build, caches[name])
    documents = sorted(str(p) for p in corpus.glob("*.txt"))
    tasks["import floor"] = lambda: _seconds([sys.executable, "-c", FLOOR])
    tasks["jieba.lcut over the same text"] = lambda: float(subprocess.run([sys.executable, "-c", JIEBA, *documents], check=True, capture_output=True, text=True).stdout)
    medians = median_turns(tasks, args.repeat)
    floor, jieba = medians["import floor"], medians["jieba.lcut over the same text"]
    print(f"\ncorpus build as a command, median of {args.repeat}, the builds taking turns (with the import floor and jieba.lcut):")
    for name, seconds in medians.items():
        builds = name not in ("import floor", "jieba.lcut over the same text")
        ratio = f"  (build - floor) = {(seconds - floor) / jieba:5.1f}x jieba.lcut (target {TARGET_JIEBA}x cold)" if builds else ""
        print(f"  {name:<36} {seconds:7.1f} s{ratio}")
    for mode in ("cold (--no-cache)", "warm"):
        before = [s for n, s in medians.items() if n.startswith("before") and n.endswith(mode)]
        if before:
            print(f"  after / before, {mode}: {medians[f'after, {mode}'] / before[0]:.2f}")
    graph = outs["after"] / "graph.trig"
    rendering = {name: (lambda tree=tree: _printed_seconds(tree, VIEWS, str(graph))) for name, tree in versions.items()}
    views = median_turns(rendering, args.repeat)
    print(f"\nthe views rendered in-process from the after build's graph (render_views), median of {args.repeat}, taking turns:")
    for name, seconds in views.items():
        print(f"  {name:<36} {seconds:7.2f} s")
    return outs


def _printed_seconds(tree: Path, script: str, *args: str) -> float:
    """The seconds ``script`` prints, run by the code of ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    return float(subprocess.run([sys.executable, "-c", script, *args], cwd=tree, env=env, check=True, capture_output=True, text=True).stdout)


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def output_sizes(outs: dict[str, Path], input_bytes: int) -> None:
    print(f"\noutput folder against the input's {input_bytes / 1e6:.2f} MB (target: at most {TARGET_RATIO}x by default):")
    for name, out in outs.items():
        views = folder_bytes(out / "views")
        total = folder_bytes(out)
        rest = total - views
        files = ", ".join(sorted(p.name for p in out.iterdir() if p.name != "views"))
        print(f"  {name:<16} {total / 1e6:7.1f} MB = {total / input_bytes:5.1f}x; the views {views / 1e6:6.1f} MB, the rest {rest / 1e6:6.1f} MB = {rest / input_bytes:5.1f}x ({files})")
        written = [p for p in (out / "views").rglob("*") if p.is_file()]
        pages = [p for p in written if p.suffix == ".html"]
        data = [p for p in written if p.relative_to(out / "views").parts[0] == "data"]
        print(f"  {'':<16} the views: {len(pages)} pages ({sum(p.stat().st_size for p in pages) / 1e6:.1f} MB), {len(data)} data files ({sum(p.stat().st_size for p in data) / 1e6:.1f} MB), {len(written)} files in all")
        largest = sorted(((folder_bytes(p) if p.is_dir() else p.stat().st_size, p.name) for p in out.iterdir() if p.name != "views"), reverse=True)[:4]
        print(f"  {'':<16} largest: " + ", ".join(f"{n} {b / 1e6:.1f} MB" for b, n in largest))


def single_document(args, work: Path) -> None:
    """The bundled plan: every export (its default) against what a corpus gets by default, and
    the default build of --before."""
    ways = {"every export (the default for one document)": (ROOT, []), "--formats ledger-csv,ledger-xlsx (a corpus's default)": (ROOT, ["--formats", "ledger-csv,ledger-xlsx"])}
    if args.before != "none":
        ways[f"before ({args.before}), every export"] = (check_out(args.before, work / "before"), [])
    outs = {name: work / f"single-{number}" for number, name in enumerate(ways)}
    caches = {name: work / f"cache-single-{tree == ROOT}" for name, (tree, _) in ways.items()}
    for name, (tree, extra) in ways.items():
        run_kg(tree, ["build", "--out", str(outs[name]), "-q", *extra], caches[name])
    tasks = {name: (lambda name=name, tree=tree, extra=extra: run_kg(tree, ["build", "--out", str(outs[name]), "-q", *extra], caches[name])) for name, (tree, extra) in ways.items()}
    medians = median_turns(tasks, args.single_repeat)
    print(f"\none document (the bundled plan), warm, median of {args.single_repeat}, taking turns:")
    first = next(iter(medians.values()))
    for name, seconds in medians.items():
        print(f"  {name:<56} {seconds:6.2f} s  ({seconds - first:+.2f} s)  {folder_bytes(outs[name]) / 1e6:5.1f} MB written")


def writers(work: Path, corpus: Path, small: Path) -> None:
    """kg.writers against pyoxigraph's serializer, from the same sorted lines."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    from kg import writers as ours
    from kg.export import CONTEXT_PREFIXES, ontology_to_context
    from kg.validate import load_ontology

    out = work / "lines"
    run_kg(ROOT, ["build", str(corpus), "--out", str(out), "-q", "--no-validate", "--formats", "nt,nq"], work / "cache-0")
    prefixes = ours.Prefixes(CONTEXT_PREFIXES)
    context = ontology_to_context(load_ontology())["@context"]

    def graphs_of(nq: bytes):
        # graph.nq is sorted by line; TriG wants a graph's lines together: grouped, each sorted.
        by_graph: dict[str, list[bytes]] = {}
        for line in nq.splitlines(keepends=True):
            head, graph = line.rstrip()[:-2].rsplit(b" ", 1)
            by_graph.setdefault(graph[1:-1].decode(), []).append(head + b" .\n")
        return sorted(by_graph.items())

    def ours_write(fmt: str, nt: bytes, nq: bytes) -> bytes:
        handle = io.BytesIO()
        lines = nt.splitlines(keepends=True)
        {"ttl": lambda: ours.write_turtle(lines, handle, prefixes), "trig": lambda: ours.write_trig(graphs_of(nq), handle, prefixes),
         "rdfxml": lambda: ours.write_rdfxml(lines, handle, prefixes), "jsonld": lambda: ours.write_jsonld(lines, handle, context)}[fmt]()
        return handle.getvalue()

    def oxigraph_write(fmt: str, nt: bytes, nq: bytes) -> bytes:
        grouped = b"".join(line[:-2] + f"<{graph}> .\n".encode() for graph, lines in graphs_of(nq) for line in lines)
        source = ox.parse(grouped, ox.RdfFormat.N_QUADS) if fmt == "trig" else ox.parse(nt, ox.RdfFormat.N_TRIPLES)
        target = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        return ox.serialize(source, format=target, prefixes=CONTEXT_PREFIXES)

    nt, nq = (out / "graph.nt").read_bytes(), (out / "graph.nq").read_bytes()
    triples = nt.count(b"\n")
    print(f"\nwriters, the corpus's graph ({triples:,} triples), median of 3; isomorphic: the file read by rdflib against graph.nt, on the tests/corpus graph:")
    run_kg(ROOT, ["build", str(small), "--out", str(work / "small"), "-q", "--no-validate", "--formats", "nt,nq"], work / "cache-0")
    small_nt, small_nq = (work / "small" / "graph.nt").read_bytes(), (work / "small" / "graph.nq").read_bytes()
    reference = Graph().parse(data=small_nt, format="nt")
    for fmt, rdflib_format in (("ttl", "turtle"), ("trig", "trig"), ("rdfxml", "xml"), ("jsonld", "json-ld")):
        figures = []
        for name, write in (("kg.writers", ours_write), ("pyoxigraph", oxigraph_write)):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                data = write(fmt, nt, nq)
                times.append(time.perf_counter() - start)
            written = write(fmt, small_nt, small_nq)
            if fmt == "trig":
                dataset = Dataset()
                dataset.parse(data=written, format="trig")
                read = Graph()
                for s, p, o, g in dataset.quads():
                    if str(g) != "https://w3id.org/reform-kg/ontology" and str(getattr(g, "identifier", g)) != "https://w3id.org/reform-kg/ontology":
                        read.add((s, p, o))
            else:
                read = Graph().parse(data=written, format=rdflib_format)
            figures.append(f"{name} {statistics.median(times):5.2f} s, {len(data) / 1e6:5.1f} MB, isomorphic: {'yes' if isomorphic(read, reference) else 'no'}")
        print(f"  {fmt:<7} " + "; ".join(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of each of the 17 documents (default 20: 340 documents)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--single-repeat", type=int, default=7)
    parser.add_argument("--before", default=BEFORE, help=f"the revision to compare with (default {BEFORE}); none to leave it out")
    parser.add_argument("--skip", nargs="+", default=[], choices=["corpus", "single", "writers"])
    args = parser.parse_args()
    with scratch("kg-pay-for-use-") as work:
        work = Path(work)
        paths = repeat_corpus(args.copies, work / "corpus")
        small = work / "small-corpus"
        repeat_corpus(1, small)
        input_bytes = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} documents, {input_bytes / 1e6:.2f} MB", flush=True)
        if "corpus" not in args.skip:
            output_sizes(corpus_builds(args, work, work / "corpus"), input_bytes)
        if "single" not in args.skip:
            single_document(args, work)
        if "writers" not in args.skip:
            writers(work, work / "corpus", small)


if __name__ == "__main__":
    main()

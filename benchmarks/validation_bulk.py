"""Validating a corpus: in bulk (each constraint one query over a store of many documents' graphs,
kg build today) against a document at a time (the code of --before) and against pyshacl and
pyrudof, side by side in one run.

    python benchmarks/validation_bulk.py [--copies 20] [--repeat 5] [--before REV] [--sample 17]

Not part of the test suite. The corpus is issue 19's: the 17 documents of tests/corpus, --copies
times each (340 by default). It is built once, in this process, as kg build builds it (shards in
a spool); then each way validates every document's graph with what the rules infer from it, on
its own, and the ways take turns --repeat times:

- bulk: kg.validate.validate_documents, what kg build runs;
- a document at a time with the same compiled queries (a store and 112 queries per document);
- before: the code of --before (default: the revision before the bulk validation), which
  validated each document in its own store with its own queries, in a process of its own;

and once, on the first --sample documents (one copy of each text), pyshacl and pyrudof (if it is
installed), a document at a time, each scaled to the whole corpus. pyrudof is also held to
pyshacl on the graphs tests/test_validate.py breaks one constraint at a time. Wall seconds;
medians. The reports of bulk, a document at a time and before are compared.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _builds import BEFORE, check_out, median_turns, repeat_corpus, scratch  # noqa: E402

# Run in a process with the code of --before: each document validated in a store of its own, as
# that code's shards did. Prints seconds and the report as JSON.
BEFORE_SCRIPT = """
import json, pickle, sys, time
from kg.ids import INFERRED_GRAPH
from kg.shard import _store
from kg.validate import ValidationReport, compile_shapes, validate_store
documents = pickle.load(open(sys.argv[1], "rb"))
compile_shapes()
start = time.perf_counter()
reports = [validate_store(_store({graph: lines, INFERRED_GRAPH: inferred}, union=True)).found_in(name) for graph, name, lines, inferred in documents]
seconds = time.perf_counter() - start
report = ValidationReport.of((v for r in reports for v in r.violations), (t for r in reports for t in r.undeclared))
print(json.dumps({"seconds": seconds, "violations": sorted([v.focus, v.path, v.message, v.document] for v in report.violations), "undeclared": list(report.undeclared)}))
"""


def report_rows(report) -> dict:
    return {"violations": sorted([v.focus, v.path, v.message, v.document] for v in report.violations), "undeclared": list(report.undeclared)}


def build_documents(folder: Path, cache: Path, spool):
    """The corpus built as kg build builds it: its checks (where each document's lines are in the
    spool) and each document as (graph IRI, name, lines, inferred lines)."""
    import os

    os.environ["KG_CACHE_DIR"] = str(cache)
    from kg.cache import ExtractionCache
    from kg.pipeline import build_corpus, load_toolkit
    from kg.runs import read_run

    result, source = build_corpus([folder], spool, load_toolkit(), cache=ExtractionCache(cache))
    checks = source.checks
    documents = []
    for graph, name, (lines, inferred) in checks.documents:
        documents.append((graph, name, b"".join(read_run(checks.path, lines)), b"".join(read_run(checks.path, inferred))))
    return checks, documents


def one_at_a_time(documents) -> object:
    """Each document's graph in a store of its own, the compiled queries run on each."""
    import pyoxigraph as ox

    from kg.validate import DATA_GRAPH, ValidationReport, validate_graphs

    reports = []
    for _, name, lines, inferred in documents:
        store = ox.Store()
        store.load(lines + inferred, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DATA_GRAPH))
        reports.append(validate_graphs(store, {DATA_GRAPH: name}))
    return ValidationReport.of((v for r in reports for v in r.violations), (t for r in reports for t in r.undeclared))


def planning_seconds(documents: int) -> float:
    """What a document at a time pays to parse and plan its queries: the compiled queries run
    once per document on an empty store."""
    import pyoxigraph as ox

    from kg.validate import compile_shapes

    empty, constraints = ox.Store(), compile_shapes()
    start = time.perf_counter()
    for _ in range(documents):
        for constraint in constraints:
            list(empty.query(constraint.query, prefixes=dict(constraint.prefixes) or None))
    return time.perf_counter() - start


def time_pyshacl(documents) -> list[float]:
    import pyshacl
    from rdflib import Graph

    from kg.validate import load_shapes

    shapes, times = load_shapes(), []
    for _, _, lines, inferred in documents:
        start = time.perf_counter()
        pyshacl.validate(Graph().parse(data=lines + inferred, format="nt"), shacl_graph=shapes, inference="none")
        times.append(time.perf_counter() - start)
    return times


def time_pyrudof(documents) -> list[float] | None:
    try:
        import pyrudof
    except ImportError:
        return None
    from kg.validate import SHAPES_PATH

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(str(SHAPES_PATH))
    times = []
    for _, _, lines, inferred in documents:
        start = time.perf_counter()
        rudof.read_data((lines + inferred).decode("utf-8"), format=pyrudof.RDFFormat.NTriples)
        rudof.validate_shacl()
        times.append(time.perf_counter() - start)
    return times


def pyrudof_agreement() -> tuple[int, int, list[str]]:
    """On tests/test_validate.py's fixture and each way it breaks it: whether pyrudof finds the
    (focus, path) pairs pyshacl finds, and pyrudof's message against shapes.ttl's."""
    import pyrudof

    sys.path.insert(0, str(HERE.parent / "tests"))
    import test_validate as cases

    from kg.validate import SHAPES_PATH, validate_graph

    def pairs(graph):
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_shacl(str(SHAPES_PATH))
        rudof.read_data(graph.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
        found = rudof.validate_shacl().violations
        return {(str(v.focus_node).strip("<>").removeprefix("_:"), str(v.path).strip("<>") if v.path else "") for v in found}, {_literal_text(str(v.message)) for v in found}

    small = cases.Graph()
    for path in cases.ORACLE_CASES:
        small.parse(path)
    graphs = [("valid", small)]
    for breaking in cases.BREAKS:
        graph = cases._copy(small)
        breaking(graph)
        graphs.append((breaking.__name__, graph))
    agree, notes = 0, []
    for name, graph in graphs:
        found, messages = pairs(graph)
        ours = {v.message for v in validate_graph(graph).violations}
        if found == cases.pyshacl_pairs(graph):
            agree += 1
        else:
            notes.append(f"{name}: other focus nodes or paths than pyshacl's")
        if messages - ours:
            notes.append(f"{name}: messages not in shapes.ttl, e.g. {sorted(messages - ours)[0][:80]!r}")
    return agree, len(graphs), notes


def _literal_text(text: str) -> str:
    """pyrudof gives a message as a literal is written ("…"@en): its text."""
    return text[1 : text.rindex('"')] if text.startswith('"') else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of each of the 17 documents (default 20: 340 documents)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default=BEFORE, help=f"the revision to compare with (default {BEFORE}); none to leave it out")
    parser.add_argument("--sample", type=int, default=17, help="documents pyshacl and pyrudof validate, scaled to the corpus (default 17)")
    args = parser.parse_args()
    from kg.runs import Spool
    from kg.validate import compile_shapes, validate_documents

    with scratch("kg-validation-") as work:
        work = Path(work)
        paths = repeat_corpus(args.copies, work / "corpus")
        with Spool(str(work)) as spool:
            checks, documents = build_documents(work / "corpus", work / "cache", spool)
            triples = sum(lines.count(b"\n") + inferred.count(b"\n") for _, _, lines, inferred in documents)
            print(f"{len(paths)} documents, {triples:,} triples in their graphs and what is inferred from each", flush=True)
            tasks = {
                "bulk (kg build)": lambda: _timed(lambda: validate_documents(checks.path, checks.documents)),
                "a document at a time, the same queries": lambda: _timed(lambda: one_at_a_time(documents)),
            }
            before = None
            if args.before != "none":
                tree = check_out(args.before, work / "before")
                with open(work / "documents.pickle", "wb") as handle:
                    pickle.dump(documents, handle)
                tasks[f"before ({args.before}): a document at a time"] = lambda: _run_before(tree, work / "documents.pickle", runs)
            runs: list[dict] = []
            medians = median_turns(tasks, args.repeat)
            bulk = medians["bulk (kg build)"]
            print(f"\nvalidating every document's graph on its own, median of {args.repeat}, the ways taking turns:")
            for name, seconds in medians.items():
                print(f"  {name:<48} {seconds:7.2f} s  {seconds / bulk:5.1f}x bulk  ({seconds / len(documents) * 1000:5.1f} ms a document)")
            report = report_rows(validate_documents(checks.path, checks.documents))
            same = report == report_rows(one_at_a_time(documents))
            if runs:
                before = {"violations": runs[-1]["violations"], "undeclared": runs[-1]["undeclared"]}
                same = same and before == report
            planning = planning_seconds(len(documents))
            print(f"  of a document at a time, parsing and planning its {len(compile_shapes())} queries (on an empty store): {planning:.2f} s")
            print(f"  the same report each way: {'yes' if same else 'NO'} ({len(report['violations'])} violations, {len(report['undeclared'])} undeclared terms)")
            sample = documents[: args.sample]
            shacl = time_pyshacl(sample)
            scale = len(documents) / len(sample)
            print(f"\non {len(sample)} documents, a document at a time, scaled to {len(documents)}:")
            print(f"  pyshacl   {statistics.median(shacl) * 1000:8.0f} ms a document (median), {sum(shacl):7.1f} s for {len(sample)}: about {sum(shacl) * scale:7.0f} s for the corpus = {sum(shacl) * scale / bulk:6.0f}x bulk")
            rudof = time_pyrudof(sample)
            if rudof is None:
                print("  pyrudof   not installed (pip install pyrudof)")
            else:
                print(f"  pyrudof   {statistics.median(rudof) * 1000:8.0f} ms a document (median), {sum(rudof):7.1f} s for {len(sample)}: about {sum(rudof) * scale:7.0f} s for the corpus = {sum(rudof) * scale / bulk:6.0f}x bulk")
                agree, total, notes = pyrudof_agreement()
                print(f"  pyrudof finds pyshacl's focus nodes and paths on {agree} of {total} graphs of tests/test_validate.py")
                for note in notes[:5]:
                    print(f"    {note}")


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _run_before(tree: Path, documents: Path, runs: list[dict]) -> float:
    import os

    done = subprocess.run([sys.executable, "-c", BEFORE_SCRIPT, str(documents)], env=dict(os.environ, PYTHONPATH=str(tree)), cwd=tree, check=True, capture_output=True, text=True)
    runs.append(json.loads(done.stdout))
    return runs[-1]["seconds"]


if __name__ == "__main__":
    main()

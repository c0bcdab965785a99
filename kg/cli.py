"""Command line: ``kg build | views | export | validate | eval | diff | query | publish | serve``. Results on stdout, diagnostics on stderr.

Exit codes: 0 success, 1 a data problem (a document failed, validation failed), 2 usage.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from . import __version__
from .catalog import DIFF_FILES, EXPORT_FORMATS
from .errors import InputError, KgError, UsageError

DEFAULT_OUT = Path("output")


def _log(message: str) -> None:
    print(message, file=sys.stderr)


class BuildLog:
    """What a build says on stderr: a line per document, and a progress bar on a terminal.

    The bar is redrawn in place with a carriage return, so it is drawn only when stderr is a
    terminal: logs and CI output then hold whole lines only. ``quiet`` drops the lines of
    documents that built normally, and the bar; problems are always told.
    """

    BAR_CELLS = 20

    def __init__(self, quiet: bool, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.bar = not quiet and self.stream.isatty()
        self.drawn = 0  # terminal columns the bar occupies now

    def write_line(self, message: str) -> None:
        self.clear_bar()
        print(message, file=self.stream)

    def log_outcome(self, outcome, done: int, total: int) -> None:
        from .pipeline import Duplicate, Failure
        from .report import count_projects

        if isinstance(outcome, Failure):
            self.write_line(f"error: {outcome}")
            path = outcome.path
        elif isinstance(outcome, Duplicate):
            self.write_line(f"skipped: {outcome}")
            path = outcome.path
        else:
            path = outcome.document.path
            for note in outcome.document.notes:  # the file was read, with this to know
                self.write_line(f"warning: {path}: {note}")
            projects = count_projects(outcome)
            line = f"{path}: genre {outcome.genre}, {projects} projects, {len(outcome.facts)} facts"
            # Not a failure: the document is in the graph, and meeting reports often name no project.
            if not projects:
                self.write_line(f"warning: {line}; no reform project found")
            elif not self.quiet:
                self.write_line(line)
        if self.bar:
            self.draw_bar(done, total, Path(path).name)

    def draw_bar(self, done: int, total: int, name: str) -> None:
        filled = self.BAR_CELLS * done // max(total, 1)
        text = f"[{'#' * filled}{'.' * (self.BAR_CELLS - filled)}] {done}/{total} {name}"
        # One column short of the width: writing the last column makes some terminals wrap.
        text, width = fit_columns(text, shutil.get_terminal_size().columns - 1)
        self.clear_bar()
        self.stream.write("\r" + text)
        self.stream.flush()
        self.drawn = width

    def clear_bar(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.drawn = 0


def fit_columns(text: str, columns: int) -> tuple[str, int]:
    """``text`` cut to ``columns`` terminal columns, and the columns it takes: CJK characters
    take two, and a bar that wraps can no longer be redrawn in place."""
    used = 0
    for index, char in enumerate(text):
        width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + width > columns:
            return text[:index], used
        used += width
    return text, used


def cmd_build(args: argparse.Namespace) -> int:
    from .cache import ExtractionCache, default_cache_dir
    from .export import choose_formats
    from .pipeline import DEFAULT_INPUT, build_corpus, load_toolkit
    from .runs import Spool, spool_directory
    from .validate import load_ontology, validate_checks

    def load_writers() -> None:
        # What writes the output (pyvis, jinja2, networkx, the exporters, the pages' templates:
        # a second and more), loaded while the workers extract.
        for module in OUTPUT_MODULES:
            importlib.import_module(module)
        load_ontology()
        from .render import compile_templates

        compile_templates()

    paths = args.paths or [DEFAULT_INPUT]
    choose_formats(args.formats, 1)  # a mistyped name is told before the build, not after
    if args.scheduler is not None and args.jobs is not None:
        raise UsageError("--jobs and --scheduler exclude each other: with --scheduler the cluster's workers do the work")
    log = BuildLog(args.quiet)
    with Spool(spool_directory()) as spool:
        try:
            # A missing path is not a usage error: like any bad input it gets its line, and the rest builds.
            cache = None if args.no_cache else ExtractionCache(default_cache_dir())
            result, source = build_corpus(
                paths, spool, load_toolkit(), args.genre, log.log_outcome, args.jobs, cache, not args.no_validate, load_writers, args.scheduler
            )
            if cache is not None:
                cache.prune()
        finally:
            log.clear_bar()
        inputs = len(result.documents) + len(result.failures) + len(result.duplicates)
        if source is None:
            _log(f"error: none of the {inputs} input(s) could be built; output left as it was")
            return 1
        from .export import EXPORTERS, download_paths, export_files, json_bytes, release_memory, stage_apart, write_outputs
        from .outfolder import OutputFolder
        from .render import render_views
        from .report import build_report, report_to_markdown

        # Counted here: counting merges the graph's lines once, into a spool that every export
        # and the processes below then read.
        triples = source.stats.triples
        # Validation (each document's graph, in bulk, and what merging them can break) reads the
        # spool's lines, and the graph files need those lines only: both run in processes of
        # their own meanwhile, which above HELPERS_APART_ABOVE triples share nothing with this
        # one (see run_apart).
        apart_from_here = triples > HELPERS_APART_ABOVE
        if apart_from_here:
            release_memory()  # the shards' garbage goes back to the system (0.1 s at least)
        checks = source.checks
        validating = run_apart(apart_from_here, validate_checks, *source.union_run(), checks, spool_directory()) if checks is not None else None
        formats = choose_formats(args.formats, len(result.documents))
        source.formats = tuple(formats)
        apart = [name for name in formats if EXPORTERS[name].apart]
        files = export_files(source, [name for name in formats if name not in apart], lazy=True)
        network = source.network
        # What the build holds now (the projection above all) lives until its end: the collector
        # need not walk it again at each collection while the pages are made.
        gc.freeze()
        views = render_views(source.summary, network, load_ontology(), triples=triples, lazy=True, ledger=source.ledger_rows, downloads=download_paths(formats))
        files.update({f"{VIEWS_DIR}/{name}": data for name, data in views.items()})
        outcome: dict = {}

        def reports() -> dict[str, bytes]:
            # Once the other files are written: validation has run beside them meanwhile.
            outcome["validation"] = validation = validating() if validating is not None else None
            outcome["report"] = report = build_report(result, source.stats, validation)
            return {"report.json": json_bytes(report), "report.md": report_to_markdown(report).encode("utf-8")}

        # The rest is written here, the pages one at a time: they read the network projection,
        # which a process forked from this one would copy as it read it. All of it goes into a
        # folder beside the output, which then takes the output's place in one step.
        # The exports not asked for this time go: an earlier build's would not match this graph.
        with OutputFolder(Path(args.out), owned=(VIEWS_DIR,), replaced=tuple(e.path for e in EXPORTERS.values())) as staging:
            writing = run_apart(apart_from_here, stage_apart, *source.lines_only(), apart, staging)
            staged = write_outputs(files, staging, then=reports, elsewhere=writing)
        written = [Path(args.out) / path.relative_to(staging) for path in staged]
        validation, report = outcome["validation"], outcome["report"]
    projects = sum(d["projects"] for d in report["documents"])
    facts = sum(d["facts"] for d in report["documents"])
    _log(
        f"{len(result.documents)} document(s) built, {len(result.failures)} failed, {len(result.duplicates)} duplicate(s) skipped: "
        f"{projects} projects, {facts} facts, {triples} triples"
        + (f"; {len(result.cached)} read from the extraction cache" if result.cached else "")
    )
    if not args.quiet:
        for r in result.documents:
            for figure, found in r.figures:
                if found is not None and found != figure.value:
                    _log(f"  {r.document.name}: stated {figure.label} = {figure.value}, found {found}")
    if validation is not None:
        _log(f"validation: {validation.summary()}")
    top = sorted({str(Path(args.out) / Path(p).relative_to(args.out).parts[0]) for p in written if Path(p).relative_to(args.out).parts[0] != VIEWS_DIR})
    _log(f"wrote {', '.join(top)}, and {_pages(views)} pages in {Path(args.out) / VIEWS_DIR}/")
    failed = bool(result.failures) or (validation is not None and not validation.conforms)
    return 1 if failed else 0


VIEWS_DIR = "views"
# The modules that write a build's output, loaded while its workers extract (kg build).
OUTPUT_MODULES = ["kg.export", "kg.render", "kg.report"]

# Loaded once by the process that helpers of a large build are forked from (see run_apart).
HELPER_MODULES = ["kg.validate", "kg.export"]
# Above this many triples a build's helpers are forked from a process of their own.
HELPERS_APART_ABOVE = 1_000_000


def run_apart(apart: bool, function, *args):
    """Start ``function(*args)`` in another process and return a function that waits for its
    result. The arguments and the result are pickled: they should be small.

    With ``apart``, the process is forked from multiprocessing's forkserver, a fresh interpreter
    started for it, and shares nothing with this one; else it is forked from this one, which
    starts in no time. A helper forked from a large build would share its memory and keep a copy
    of each page the build changes afterwards: of its network projection as it writes the pages,
    1.0 to 1.4 GiB at 5,000 documents. Where neither start method exists, or on one CPU, the
    function runs here, at once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if apart else "fork"
    if method not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        result = function(*args)
        return lambda: result
    context = multiprocessing.get_context(method)
    if apart:
        context.set_forkserver_preload(HELPER_MODULES)
    executor = ProcessPoolExecutor(1, mp_context=context)
    future = executor.submit(function, *args)

    def wait():
        try:
            return future.result()
        finally:
            executor.shutdown()

    return wait


def _pages(views: dict) -> int:
    """The pages among the views' files (not their scripts, styles or data)."""
    return sum(1 for name in views if name.endswith(".html"))


def views_files(graph, downloads: dict[str, str] | None = None) -> dict[str, bytes]:
    from .network import graph_to_network
    from .render import render_views
    from .validate import load_ontology

    return render_views(graph, graph_to_network(graph), load_ontology(), downloads=downloads)


def cmd_views(args: argparse.Namespace) -> int:
    from .export import EXPORTERS, ExportSource, download_paths, write_outputs
    from .outfolder import OutputFolder
    from .publish import read_dataset
    from .render import DATA_FOLDER, ENTITY_SHELL, MATRIX_FOLDER, PAGE_KINDS

    graph = ExportSource(read_dataset(args.graph)).graph  # the ontology's graph set apart
    out = Path(args.out)
    # The landing page lists the exports that are there beside the pages (a build's output).
    downloads = download_paths(name for name, e in EXPORTERS.items() if (out.parent / e.path).exists())
    files = views_files(graph, downloads)
    # Pages of entities no longer in the graph go, and so do a corpus's entity page and data where
    # this graph is of one document; anything else in the folder stays. The folder changes in one step.
    with OutputFolder(out, owned=(*PAGE_KINDS.values(), MATRIX_FOLDER, "assets", DATA_FOLDER, ENTITY_SHELL)) as staging:
        write_outputs(files, staging)
    pages = _pages(files)
    _log(f"wrote {pages} pages to {out}/: open {out / 'index.html'} in a browser")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import EXPORTERS, ExportSource, write_content, write_outputs
    from .publish import read_dataset

    exporter = EXPORTERS[args.format]
    data = exporter.write(ExportSource(read_dataset(args.graph)))
    if isinstance(data, dict):  # several files: --out is their folder
        folder = Path(args.out or DEFAULT_OUT / exporter.path)
        if args.out == "-":
            raise UsageError(f"--format {args.format} writes several files; give --out a folder")
        write_outputs(data, folder)
        _log(f"wrote {', '.join(sorted(data))} to {folder}/ ({exporter.description})")
        return 0
    if args.out == "-":
        write_content(data, sys.stdout.buffer)
        sys.stdout.flush()
        return 0
    target = Path(args.out or DEFAULT_OUT / exporter.path)
    if target.exists() and not target.is_file() and not target.is_dir():
        # A device or a pipe ("--out /dev/stdout", a FIFO) is written into, never replaced.
        try:
            with open(target, "wb") as handle:
                write_content(data, handle)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(target)) from None
    else:
        write_outputs({target.name: data}, target.parent)
    _log(f"wrote {target} ({exporter.description})")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_file

    report = validate_file(args.graph)
    for v in report.violations:
        print(f"violation: {v.focus} {v.path}: {v.message}")
    for term in report.undeclared:
        print(f"undeclared: {term} is used but not declared in ontology.ttl")
    print(f"{args.graph}: {report.summary()}")
    return 0 if report.conforms else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_files, format_case_scores, format_scores, read_cases, read_predicted, score_case

    if args.graph is not None:
        print(format_scores(evaluate_files(args.gold, args.graph)))
        return 0
    if not Path(args.gold).is_dir():
        raise UsageError(f"{args.gold}: give the graph file to score against this gold file, or a folder of cases")
    # A folder of cases: each document built here, in memory, and scored on its own relations.
    from .pipeline import build_graph, load_toolkit
    from .rdf import union_graph

    toolkit, results = load_toolkit(), []
    for case in read_cases(args.gold):
        result = build_graph([case.document], toolkit, case.genre, jobs=1)
        if result.failures:
            raise InputError(result.failures[0].message, str(case.document))
        results.append(score_case(case, read_predicted(union_graph(result.dataset))))
    print(format_case_scores(results), end="")
    return 0


# A graph file named as a side of kg diff, rather than a document.
GRAPH_SUFFIXES = (".trig", ".ttl", ".nq", ".nt", ".jsonld", ".rdf")


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import DIFF_FORMATS, compare_sides, load_diff_spec
    from .render import load_text, vocabulary_labels
    from .validate import load_ontology

    spec = load_diff_spec()
    words = load_text()
    toolkit: list = []  # loaded once, and only if a side is a document to build
    failed = False
    sides = []
    for path in (args.a, args.b):
        side, failures = _read_diff_side(path, words, toolkit, not args.no_cache)
        for failure in failures:  # a folder of documents of which some failed: the rest is compared
            _log(f"error: {failure}")
        failed = failed or bool(failures)
        sides.append(side)
    diff = compare_sides(*sides, spec, args.threshold)
    labels = vocabulary_labels(load_ontology())
    summary = f"{len(diff.continued)} continued ({sum(1 for p in diff.continued if p.changes)} changed), {len(diff.new)} new, {len(diff.dropped)} dropped"
    if args.out is None:
        sys.stdout.buffer.write(DIFF_FORMATS[args.format][1](diff, words, labels))
        sys.stdout.flush()
        _log(summary)
        return 1 if failed else 0
    from .export import write_outputs
    from .outfolder import OutputFolder

    files = {name: write(diff, words, labels) for name, write in DIFF_FORMATS.values()}
    out = Path(args.out)
    with OutputFolder(out) as staging:
        write_outputs(files, staging)
    _log(f"{summary}: wrote {', '.join(str(out / name) for name in sorted(files))}")
    return 1 if failed else 0


def _read_diff_side(path: str, words: dict, toolkit: list, use_cache: bool):
    """One side of kg diff, and the documents of it that failed: a build's folder (its
    graph.trig, else graph.ttl), a graph file, or documents (a file or a folder of them) built
    here as kg build builds them, so their projects have the IRIs a build gives them."""
    from .diff import network_to_side
    from .network import graph_to_network
    from .pipeline import OUTPUT_GRAPHS

    source = Path(path)
    if not source.exists():
        raise InputError("no such file or folder", path)
    if source.is_dir():
        graphs = [source / name for name in OUTPUT_GRAPHS if (source / name).is_file()]
    else:
        graphs = [source] if source.suffix.lower() in GRAPH_SUFFIXES else []
    failures = ()
    if graphs:
        from .export import ExportSource
        from .publish import read_dataset

        graph = ExportSource(read_dataset(graphs[0])).graph
        empty = "the graph holds no reform project: nothing to compare"
    else:
        from .cache import ExtractionCache, default_cache_dir
        from .pipeline import build_graph, load_toolkit
        from .rdf import union_graph

        toolkit[:] = toolkit or [load_toolkit()]
        result = build_graph([source], toolkit[0], cache=ExtractionCache(default_cache_dir()) if use_cache else None)
        if not result.documents:
            failure = result.failures[0]
            raise InputError(failure.message, failure.path)
        graph, failures = union_graph(result.dataset), result.failures
        empty = "no reform project found in it: nothing to compare"
    side = network_to_side(graph_to_network(graph), path, words, graph)
    if not side.projects:
        raise InputError(empty, path)
    return side, failures


def cmd_publish(args: argparse.Namespace) -> int:
    import os

    from .publish import (
        CATALOG_GRAPH,
        PASSWORD_VARIABLE,
        check_endpoint,
        check_graph_iri,
        delete_graph,
        graph_url,
        make_opener,
        plan_uploads,
        publish_uploads,
        published_graphs,
        read_dataset,
    )

    endpoint = check_endpoint(args.endpoint)
    into = check_graph_iri(args.graph) if args.graph else None
    password = os.environ.get(PASSWORD_VARIABLE)
    if args.user is not None and password is None:
        raise UsageError(f"--user {args.user} needs the password in the environment variable {PASSWORD_VARIABLE}")
    dataset = read_dataset(args.source)
    uploads = plan_uploads(dataset, into)
    if into is None and all(u.graph is None for u in uploads):
        raise UsageError("holds no named graphs (Turtle and N-Triples cannot); publish the graph.trig that kg build writes, or give --graph IRI to put everything in one graph", args.source)
    method = "PUT" if args.replace else "POST"
    triples = sum(u.triples for u in uploads)
    if args.dry_run:
        for upload in uploads:
            print(f"{method} {graph_url(endpoint, upload.graph)} {upload.triples} triples")
        if args.replace and into is None:
            print(f"DELETE each graph the store's catalog <{CATALOG_GRAPH}> lists and this build does not have")
        _log(f"dry run: {len(uploads)} graph(s), {triples} triples, nothing sent")
        return 0
    opener = make_opener(endpoint, args.user, password)
    # The catalog goes last, after the graphs it lists are in and the stale ones gone: a publish
    # that fails part-way leaves the previous catalog, and the next --replace finds what to delete.
    data = [u for u in uploads if u.graph != CATALOG_GRAPH]
    catalog = [u for u in uploads if u.graph == CATALOG_GRAPH]
    stale = sorted(published_graphs(opener, endpoint, args.timeout, _log) - {u.graph for u in data}) if args.replace and into is None else []
    publish_uploads(data, endpoint, method, opener, args.timeout, _log)
    for graph in stale:
        delete_graph(opener, endpoint, graph, args.timeout)
        _log(f"<{graph}>: deleted (no longer in the build)")
    publish_uploads(catalog, endpoint, method, opener, args.timeout, _log)
    _log(f"{'replaced' if args.replace else 'added to'} {len(uploads)} graph(s) at {endpoint}: {triples} triples" + (f"; deleted {len(stale)}" if stale else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve_graph

    return serve_graph(Path(args.graph), args.host, args.port, args.timeout, args.max_bytes, args.queries and Path(args.queries), args.quiet)


def cmd_query(args: argparse.Namespace) -> int:
    from .query import default_format, discover_queries, display_width, format_result, load_query, open_engine

    if args.list:
        queries = discover_queries()
        width = max(display_width(name) for name in queries)
        for name, query in queries.items():
            print(f"{name}{' ' * (width - display_width(name))}  {query.title}")
            for param, meaning in query.params:
                print(f"{' ' * width}    --param {param}=…  {meaning}")
        return 0
    if not args.query:
        raise UsageError("name a query (`kg query --list` shows them) or give a .rq file")
    query = load_query(args.query)
    graph = Path(args.graph or DEFAULT_OUT / "graph.trig")
    if args.graph is None and not graph.is_file():
        raise UsageError("no graph here yet: run `kg build` first, or give one with --graph PATH", str(graph))
    result = open_engine(graph, args.engine).run(query, dict(args.param))
    data = format_result(result, args.format or default_format(result))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    if result.form == "SELECT" and (args.format or "table") == "table":
        _log(f"{len(result.cells)} row(s)")
    return 0


def parameter(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip("?$"):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip("?$"), value


def positive_int(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def port_number(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 (any free port) to 65535, got {text!r}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Build and use a knowledge graph of responsibilities in Chinese reform documents.")
    parser.add_argument("--version", action="version", version=f"reform-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="extract documents into output/graph.trig, the views, the ledger and a build report", description="Build the knowledge graph of who answers for which reform project from documents or folders of them (.txt .md .html .docx .pdf; default: the bundled Pingshan plan). Writes into --out: graph.trig (a named graph per document, every fact with the sentence that states it), report.md and report.json (what was read and found, figures the text states against those found, warnings), the responsibility ledger (ledger.csv and ledger.xlsx) and views/ (offline pages: an overview, a page per project, person, group, tier and document, the responsibility matrix, the ledger), and for one document every other export; --formats names others. The folder is switched in one step: a failed build leaves the previous one as it was.")
    build.add_argument("paths", nargs="*", metavar="PATH", help="documents or folders (.txt .md .html .docx .pdf)")
    build.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help="output folder (default: output)")
    build.add_argument("--genre", metavar="NAME", help="use this genre's rules instead of detecting the genre")
    build.add_argument("--no-validate", action="store_true", help="skip SHACL validation of the result")
    build.add_argument("-j", "--jobs", type=positive_int, metavar="N", help="extract in N worker processes (default: one per MiB of input, up to the CPUs; one file is always built in this process)")
    build.add_argument("--scheduler", metavar="ADDRESS", help="read, extract and make each document's graph on the workers of this Dask scheduler (tcp://host:8786), the output the same as a local build's; needs the dask extra (docs/cluster.md)")
    build.add_argument("--no-cache", action="store_true", help="extract every document again, and leave the extraction cache alone (default: reuse what the same code extracted before, from $KG_CACHE_DIR or ~/.cache/reform-kg)")
    build.add_argument(
        "--formats",
        metavar="LIST",
        help="the exports to write besides graph.trig, the report and the views: kg export's format names separated by commas "
        "(ttl,jsonld,graphml), or all (default: all for one document; the ledger, ledger-csv and ledger-xlsx, for several)",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="no line per built document and no progress bar; failures, warnings and the summary remain")
    build.set_defaults(func=cmd_build)

    views = sub.add_parser(
        "views",
        help="write the interactive HTML views of a graph (kg build writes them too)",
        description="Write offline HTML pages that draw the graph: a landing page, an overview, a problem map, and a page per document, person, special group, tier and project, each with the sentences behind its facts. They need no network: open views/index.html from disk.",
    )
    views.add_argument("--graph", default=str(DEFAULT_OUT / "graph.trig"), metavar="PATH", help="graph or dataset file (default: output/graph.trig)")
    views.add_argument("--out", default=str(DEFAULT_OUT / VIEWS_DIR), metavar="DIR", help="folder for the pages (default: output/views); pages from an earlier run that no longer apply are removed")
    views.set_defaults(func=cmd_views)

    export = sub.add_parser(
        "export",
        help="write the graph in one export format (kg build writes those its --formats names)",
        description="Write one export of a graph: "
        + "; ".join(f"{name} → {path} ({description})" for name, (path, description) in EXPORT_FORMATS.items())
        + ".",
    )
    export.add_argument("--format", required=True, choices=list(EXPORT_FORMATS), help="the export to write")
    export.add_argument("--graph", default=str(DEFAULT_OUT / "graph.trig"), metavar="PATH", help="graph or dataset file to export (default: output/graph.trig, which keeps the named graphs)")
    export.add_argument("--out", metavar="PATH", help="file to write (default: the format's file under output/); - for stdout")
    export.set_defaults(func=cmd_export)

    validate = sub.add_parser("validate", help="check a graph against shapes.ttl and ontology.ttl", description="SHACL validation (no RDFS inference) plus: every rkg: term used is declared.")
    validate.add_argument("graph", nargs="?", default=str(DEFAULT_OUT / "graph.trig"), help="graph or dataset file (default: output/graph.trig, the ontology's graph in it set apart)")
    validate.set_defaults(func=cmd_validate)

    evaluate = sub.add_parser(
        "eval",
        help="precision, recall and F1 of a graph against a gold annotation, or of a folder of cases",
        description="Score an extracted graph against a gold TSV, per relation type; or build every case of a folder "
        "(document.txt, case.toml, facts.tsv) and score each on the relations its case.toml lists, with the macro F1 over documents.",
    )
    evaluate.add_argument("gold", help="gold annotation (TSV: relation, subject, object, note), or a folder of cases")
    evaluate.add_argument("graph", nargs="?", help="extracted graph file (with a gold TSV)")
    evaluate.set_defaults(func=cmd_eval)

    publish = sub.add_parser(
        "publish",
        help="upload the graph to a triple store (SPARQL 1.1 Graph Store HTTP Protocol)",
        description="Upload each document's named graph (and the inferred one) to a store that speaks the SPARQL 1.1 Graph Store HTTP Protocol: Oxigraph, Fuseki, GraphDB, Virtuoso. By default each graph is added to (POST); --replace replaces it (PUT).",
    )
    publish.add_argument("--endpoint", required=True, metavar="URL", help="the store's Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph) or http://localhost:3030/ds/data (Fuseki)")
    publish.add_argument("--from", dest="source", default=str(DEFAULT_OUT / "graph.trig"), metavar="PATH", help="the dataset to upload (default: output/graph.trig, which keeps the named graphs)")
    publish.add_argument("--graph", metavar="IRI", help="upload everything into this one graph instead of one graph per document")
    publish.add_argument("--replace", action="store_true", help="replace each graph (HTTP PUT) instead of adding to it (POST)")
    publish.add_argument("--user", metavar="NAME", help="log in as NAME (Basic or Digest); the password is read from the environment variable KG_PUBLISH_PASSWORD, never from the command line")
    publish.add_argument("--timeout", type=positive_int, default=60, metavar="SECONDS", help="give up on a request after this long (default: 60)")
    publish.add_argument("--dry-run", action="store_true", help="print the requests (method, URL, triples) on stdout and send nothing")
    publish.set_defaults(func=cmd_publish)
    diff = sub.add_parser(
        "diff",
        help="compare two documents or builds: projects continued, new and dropped, and what changed",
        description="Compare two documents or builds (this year's plan against last year's, two places' plans of one year): "
        "the projects of A and B matched one to one by the similarity of their names and what they share, with each match's score; "
        "for each continued project, the changes of its leaders, group, lead and support units, deadline and tier; the projects only B has (new) "
        "and only A has (dropped). Without --out the report is printed; with --out DIR, " + ", ".join(DIFF_FILES.values()) + " are written there.",
    )
    diff.add_argument("a", metavar="A", help="the first side: a document (.txt .md .html .docx .pdf), a folder of documents, a kg build output folder (graph.trig or graph.ttl) or a graph file")
    diff.add_argument("b", metavar="B", help="the second side, as A: the later year, or the other place")
    diff.add_argument("--out", metavar="DIR", help="write diff.md, diff.json, diff.ttl and diff.html into DIR (which changes in one step) instead of printing")
    diff.add_argument("--format", choices=list(DIFF_FILES), default="markdown", help="what to print without --out: markdown (default), json, turtle or html")
    diff.add_argument("--threshold", type=fraction, metavar="X", help="the least score, from 0 to 1, of a matched pair (default: threshold in kg/exports/diff.toml)")
    diff.add_argument("--no-cache", action="store_true", help="extract the documents again rather than take them from the extraction cache")
    diff.set_defaults(func=cmd_diff)
    serve = sub.add_parser("serve", help="a read-only SPARQL endpoint over a graph, with a page of the named queries", description="Serve a graph over the SPARQL 1.1 Protocol (at /query), read-only, with Oxigraph as the query engine; / lists the named queries with a form for each. Runs until Ctrl-C.")
    serve.add_argument("--graph", default=str(DEFAULT_OUT / "graph.trig"), metavar="PATH", help="graph or dataset file: .ttl .nt .nq .trig .rdf .jsonld .n3 (default: output/graph.trig, which keeps one named graph per document)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=port_number, default=7878, help="port to listen on; 0 for any free one (default: 7878)")
    serve.add_argument("--timeout", type=positive_int, default=10, metavar="SECONDS", help="answer 503 to a query that runs longer (default: 10)")
    serve.add_argument("--max-bytes", type=positive_int, default=10_000_000, metavar="N", help="answer 413 to a query whose result is larger (default: 10000000)")
    serve.add_argument("--queries", metavar="DIR", help="folder of named queries (*.rq) for the page (default: queries/)")
    serve.add_argument("-q", "--quiet", action="store_true", help="no line per request on stderr")
    serve.set_defaults(func=cmd_serve)
    from .query import ENGINES, FORMATS

    query = sub.add_parser("query", help="run a named SPARQL query (queries/*.rq) or a .rq file on the graph", description="Run a named query or a query file; `--list` shows the named queries and their parameters.")
    query.add_argument("query", nargs="?", metavar="NAME|FILE", help="a named query (see --list) or a .rq file")
    query.add_argument("--list", action="store_true", help="list the named queries with their titles and parameters")
    query.add_argument("--param", action="append", default=[], type=parameter, metavar="NAME=VALUE", help="a parameter's value: text is a literal, <…> an IRI (repeat for each parameter)")
    query.add_argument("--format", choices=list(FORMATS), help="table (default), csv, tsv, json, xml (the SPARQL result formats), plain (tab-separated plain values, for a spreadsheet); turtle (default) or json-ld for CONSTRUCT")
    query.add_argument("--graph", metavar="PATH", help="graph file: .ttl, .trig, .nq, .nt, … (default: output/graph.trig)")
    query.add_argument("--engine", choices=list(ENGINES), default="oxigraph", help="oxigraph (default, fast) or rdflib")
    query.set_defaults(func=cmd_query)
    return parser


# What a shell reports for a process its reader left: 128 + SIGPIPE.
BROKEN_PIPE_EXIT = 141


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return 2 if exc.code else 0
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except KgError as exc:
        _log(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _log("interrupted")
        return 130
    except BrokenPipeError:
        # The reader stopped reading ("kg export --out - | head -1"): nothing more to say to it.
        # Python would flush stdout at exit and fail again, so stdout goes nowhere from here.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_EXIT
    except OSError as exc:
        # The system refused a file: one that exists where a folder must go, a folder that is
        # not writable, a full disk. One line naming it; the previous output stays (see writers).
        where = f"{exc.filename}: " if exc.filename else ""
        _log(f"error: {where}{exc.strerror or exc}")
        return 1


def main_entry() -> None:
    sys.exit(main())

"""Command line: ``kg build | validate | eval | query``. Results on stdout, diagnostics on stderr.

Exit codes: 0 success, 1 a data problem (a document failed, validation failed), 2 usage.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import KgError, UsageError

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
    from .export import EXPORTERS, json_bytes, write_outputs
    from .pipeline import DEFAULT_INPUT, build_graph, load_toolkit
    from .rdf import union_graph
    from .report import build_report, report_to_markdown
    from .validate import validate_graph

    paths = args.paths or [DEFAULT_INPUT]
    log = BuildLog(args.quiet)
    try:
        # A missing path is not a usage error: like any bad input it gets its line, and the rest builds.
        result = build_graph(paths, load_toolkit(), args.genre, log.log_outcome, args.jobs)
    finally:
        log.clear_bar()
    inputs = len(result.documents) + len(result.failures) + len(result.duplicates)
    if not result.documents:
        _log(f"error: none of the {inputs} input(s) could be built; output left as it was")
        return 1
    graph = union_graph(result.dataset)
    validation = None if args.no_validate else validate_graph(graph)
    report = build_report(result, graph, validation)
    files = {"graph.ttl": EXPORTERS["ttl"](result.dataset), "report.json": json_bytes(report), "report.md": report_to_markdown(report).encode("utf-8")}
    written = write_outputs(files, Path(args.out))
    projects = sum(d["projects"] for d in report["documents"])
    facts = sum(d["facts"] for d in report["documents"])
    _log(
        f"{len(result.documents)} document(s) built, {len(result.failures)} failed, {len(result.duplicates)} duplicate(s) skipped: "
        f"{projects} projects, {facts} facts, {len(graph)} triples"
    )
    if not args.quiet:
        for r in result.documents:
            for figure, found in r.figures:
                if found is not None and found != figure.value:
                    _log(f"  {r.document.name}: stated {figure.label} = {figure.value}, found {found}")
    if validation is not None:
        _log(f"validation: {validation.summary()}")
    _log(f"wrote {', '.join(str(p) for p in written)}")
    failed = bool(result.failures) or (validation is not None and not validation.conforms)
    return 1 if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_graph

    graph = _read_graph(args.graph)
    report = validate_graph(graph)
    for v in report.violations:
        print(f"violation: {v.focus} {v.path}: {v.message}")
    for term in report.undeclared:
        print(f"undeclared: {term} is used but not declared in ontology.ttl")
    print(f"{args.graph}: {report.summary()}")
    return 0 if report.conforms else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_files, format_scores

    print(format_scores(evaluate_files(args.gold, args.graph)))
    return 0


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
    graph = Path(args.graph or DEFAULT_OUT / "graph.ttl")
    if args.graph is None and not graph.is_file():
        raise UsageError("no graph here yet: run `kg build` first, or give one with --graph PATH", str(graph))
    result = open_engine(graph, args.engine).run(query, dict(args.param))
    data = format_result(result, args.format or default_format(result))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    if result.form == "SELECT" and (args.format or "table") == "table":
        _log(f"{len(result.rows)} row(s)")
    return 0


def parameter(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip("?$"):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip("?$"), value


def _read_graph(path: str):
    from rdflib import Graph
    from rdflib.util import guess_format

    from .errors import GraphError

    if not Path(path).is_file():
        raise UsageError("no such graph file", path)
    try:
        return Graph().parse(path, format=guess_format(path) or "turtle")
    except Exception as exc:  # rdflib raises many kinds; the user needs one line
        raise GraphError(f"cannot parse graph: {exc}", path) from None


def positive_int(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Build and use a knowledge graph of responsibilities in Chinese reform documents.")
    parser.add_argument("--version", action="version", version=f"reform-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="extract documents into output/graph.ttl and a build report", description="Build the knowledge graph from files or folders (default: the bundled Pingshan plan).")
    build.add_argument("paths", nargs="*", metavar="PATH", help="documents or folders (.txt .md .html .docx .pdf)")
    build.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help="output folder (default: output)")
    build.add_argument("--genre", metavar="NAME", help="use this genre's rules instead of detecting the genre")
    build.add_argument("--no-validate", action="store_true", help="skip SHACL validation of the result")
    build.add_argument("-j", "--jobs", type=positive_int, metavar="N", help="extract in N worker processes (default: one per MiB of input, up to the CPUs; one file is always built in this process)")
    build.add_argument("-q", "--quiet", action="store_true", help="no line per built document and no progress bar; failures, warnings and the summary remain")
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="check a graph against shapes.ttl and ontology.ttl", description="SHACL validation (no RDFS inference) plus: every rkg: term used is declared.")
    validate.add_argument("graph", nargs="?", default=str(DEFAULT_OUT / "graph.ttl"), help="graph file (default: output/graph.ttl)")
    validate.set_defaults(func=cmd_validate)

    evaluate = sub.add_parser("eval", help="precision, recall and F1 of a graph against a gold annotation", description="Score an extracted graph against a gold TSV, per relation type.")
    evaluate.add_argument("gold", help="gold annotation (TSV: relation, subject, object, note)")
    evaluate.add_argument("graph", help="extracted graph file")
    evaluate.set_defaults(func=cmd_eval)

    from .query import ENGINES, FORMATS

    query = sub.add_parser("query", help="run a named SPARQL query (queries/*.rq) or a .rq file on the graph", description="Run a named query or a query file; `--list` shows the named queries and their parameters.")
    query.add_argument("query", nargs="?", metavar="NAME|FILE", help="a named query (see --list) or a .rq file")
    query.add_argument("--list", action="store_true", help="list the named queries with their titles and parameters")
    query.add_argument("--param", action="append", default=[], type=parameter, metavar="NAME=VALUE", help="a parameter's value: text is a literal, <…> an IRI (repeat for each parameter)")
    query.add_argument("--format", choices=list(FORMATS), help="table (default), csv, tsv, json, xml; turtle (default) or json-ld for CONSTRUCT")
    query.add_argument("--graph", metavar="PATH", help="graph file: .ttl, .trig, .nq, .nt, … (default: output/graph.ttl)")
    query.add_argument("--engine", choices=list(ENGINES), default="oxigraph", help="oxigraph (default, fast) or rdflib")
    query.set_defaults(func=cmd_query)
    return parser


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


def main_entry() -> None:
    sys.exit(main())

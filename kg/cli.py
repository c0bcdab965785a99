"""Command line: ``kg build | validate | eval``. Results on stdout, diagnostics on stderr.

Exit codes: 0 success, 1 a data problem (a document failed, validation failed), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import KgError, UsageError

DEFAULT_OUT = Path("output")


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .export import EXPORTERS, json_bytes, write_outputs
    from .pipeline import DEFAULT_INPUT, build_graph, load_toolkit
    from .rdf import union_graph
    from .report import build_report, report_to_markdown
    from .validate import validate_graph

    paths = args.paths or [DEFAULT_INPUT]
    for path in paths:
        if not Path(path).exists():
            raise UsageError("no such file or folder", str(path))
    toolkit = load_toolkit()

    def progress(path: str, resolved, error: str | None) -> None:
        if error:
            _log(f"error: {error}")
        elif args.verbose:
            _log(f"{path}: {sum(1 for e in resolved.entities if e.kind == 'project')} projects, {len(resolved.facts)} facts")

    result = build_graph(paths, toolkit, args.genre, progress)
    if not result.documents:
        _log("error: no document could be read; output left as it was")
        return 1
    graph = union_graph(result.dataset)
    validation = None if args.no_validate else validate_graph(graph)
    report = build_report(result, graph, validation)
    files = {"graph.ttl": EXPORTERS["ttl"](result.dataset), "report.json": json_bytes(report), "report.md": report_to_markdown(report).encode("utf-8")}
    written = write_outputs(files, Path(args.out))
    projects = sum(1 for r in result.documents for e in r.entities if e.kind == "project")
    facts = sum(len(r.facts) for r in result.documents)
    _log(f"{len(result.documents)} document(s), {projects} projects, {facts} facts, {len(graph)} triples")
    for r in result.documents:
        for figure, found in r.figures:
            _log(f"  {r.document.name}: stated {figure.label} = {figure.value}, found {'-' if found is None else found}")
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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Build and use a knowledge graph of responsibilities in Chinese reform documents.")
    parser.add_argument("--version", action="version", version=f"reform-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="extract documents into output/graph.ttl and a build report", description="Build the knowledge graph from files or folders (default: the bundled Pingshan plan).")
    build.add_argument("paths", nargs="*", metavar="PATH", help="documents or folders (.txt .md .html .docx .pdf)")
    build.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help="output folder (default: output)")
    build.add_argument("--genre", metavar="NAME", help="use this genre's rules instead of detecting the genre")
    build.add_argument("--no-validate", action="store_true", help="skip SHACL validation of the result")
    build.add_argument("-v", "--verbose", action="store_true", help="a line per document on stderr")
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="check a graph against shapes.ttl and ontology.ttl", description="SHACL validation (no RDFS inference) plus: every rkg: term used is declared.")
    validate.add_argument("graph", nargs="?", default=str(DEFAULT_OUT / "graph.ttl"), help="graph file (default: output/graph.ttl)")
    validate.set_defaults(func=cmd_validate)

    evaluate = sub.add_parser("eval", help="precision, recall and F1 of a graph against a gold annotation", description="Score an extracted graph against a gold TSV, per relation type.")
    evaluate.add_argument("gold", help="gold annotation (TSV: relation, subject, object, note)")
    evaluate.add_argument("graph", help="extracted graph file")
    evaluate.set_defaults(func=cmd_eval)
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

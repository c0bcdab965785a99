"""Documentation that cannot drift: the README's commands and CI agree, every command and query
shown in the README and docs/ runs (here or in the test of what it exercises), what they are
shown to print is what they print, and every relative link leads to a file.

The helpers at the top (``doc_commands``, ``assert_shows``) are also used by test_query.py,
test_ledger.py, test_serve.py and test_publish.py, which run the commands of their subject.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The README, then docs/ page by page: docs/quality.md and docs/reading.md included.
PAGES: dict[str, str] = {
    path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)
PINGSHAN_GOLDEN = ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl"


def readme_blocks(lang: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"```{lang}\n(.*?)```", README, re.S)]


def doc_blocks(lang: str) -> list[tuple[str, str]]:
    """(page, text) of every fenced block in ``lang`` in the README and docs/, in page order."""
    return [(page, m.group(2)) for page, text in PAGES.items() for m in FENCE.finditer(text) if m.group(1) == lang]


@dataclass(frozen=True)
class Command:
    """One command of a ```sh block: ``a && b`` is two, a trailing ``&`` is dropped."""

    page: str
    words: tuple[str, ...]  # shell words, the comment dropped and ``NAME=value`` prefixes moved to env
    env: tuple[tuple[str, str], ...]
    shows: str | None  # the ```text block right after a block of this one command: what it prints

    def starts(self, *words: str) -> bool:
        return self.words[: len(words)] == words

    def __str__(self) -> str:
        return f"{self.page}: {shlex.join(self.words)}"


def doc_commands(*prefix: str) -> list[Command]:
    """The commands of the README's and docs/ pages' ```sh blocks that start with ``prefix``."""
    found = []
    for page, text in PAGES.items():
        fences = list(FENCE.finditer(text))
        for n, fence in enumerate(fences):
            if fence.group(1) != "sh":
                continue
            commands = []
            for line in fence.group(2).splitlines():
                words = shlex.split(line, comments=True)
                while words:
                    cut = words.index("&&") if "&&" in words else len(words)
                    command, words = words[:cut], words[cut + 1 :]
                    commands.append(command[:-1] if command[-1] == "&" else command)
            following = fences[n + 1] if n + 1 < len(fences) else None
            shown = following.group(2) if following and following.group(1) == "text" and not text[fence.end() : following.start()].strip() else None
            for words in commands:
                env = []
                while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
                    env.append(tuple(words.pop(0).split("=", 1)))
                found.append(Command(page, tuple(words), tuple(env), shown if len(commands) == 1 else None))
    return [c for c in found if c.starts(*prefix)]


def assert_shows(shown: str | None, printed: str, command: object = "") -> None:
    """What the docs show a command printing is what it prints: each shown line is a printed line
    (trailing white space and CR aside), in order; a line ending in "…" stands for the lines that
    start with what precedes it, and a line "…" for lines left out."""
    if shown is None:
        return
    lines = iter(line.rstrip() for line in printed.splitlines())
    for want in (w.rstrip() for w in shown.splitlines()):
        if want == "…":
            continue
        matches = (lambda got: got.startswith(want[:-1])) if want.endswith("…") else (lambda got: got == want)
        assert any(matches(got) for got in lines), f"{command}: the docs show {want!r}, which it does not print (in that order):\n{printed}"


# --- the README's front door ---------------------------------------------------------------------


def test_readme_starts_with_the_two_commands():
    first_two = re.findall(r"```sh\n(.*?)\n```", README[:600], re.S)
    assert first_two[:2] == ["python -m pip install -e . && python build_graph.py", "bash .ci/setup && python -m pytest"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = readme_blocks("sh")[1]
    assert test_command in ci.splitlines()


def test_readme_is_a_front_door():
    """Short, with its picture: the reference is in docs/."""
    assert len(README.encode("utf-8")) < 10_000
    image = ROOT / "docs" / "images" / "project-view.png"
    assert "](docs/images/project-view.png)" in README
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size < 300_000
    assert (ROOT / "docs" / "images" / "make_screenshots.py").is_file()  # what makes it


# --- every example runs --------------------------------------------------------------------------

HERE = "test_docs.py::test_the_commands_of_each_page_run_in_a_folder_of_their_own"
# Which test runs the commands of the docs, by their first words; a command that none of these
# nor NOT_RUN names fails test_every_command_of_the_docs_is_run_or_says_why_not.
RUN_BY = {
    ("python", "build_graph.py"): HERE,
    ("kg", "build"): HERE,
    ("kg", "views"): HERE,
    ("kg", "validate"): HERE,
    ("kg", "eval"): HERE,
    ("kg", "diff"): HERE,
    ("kg", "--help"): HERE,
    ("kg", "query"): "test_query.py::test_docs_query_examples_run",
    ("kg", "export"): "test_ledger.py::test_docs_export_examples_run",
    ("kg", "serve"): "test_serve.py::test_docs_serve_examples_answer",
    ("curl",): "test_serve.py::test_docs_curl_examples_print_what_they_show",
    ("oxigraph", "serve"): "test_publish.py::test_docs_publish_examples_run",
    ("kg", "publish"): "test_publish.py::test_docs_publish_examples_run",
    ("dask", "scheduler"): "test_cluster.py::test_docs_cluster_recipe_runs and test_docs_tls_recipe_runs",
    ("dask", "worker"): "test_cluster.py::test_docs_cluster_recipe_runs and test_docs_tls_recipe_runs",
    ("openssl",): "test_cluster.py::test_docs_tls_recipe_runs",
}
# A command with one of these options needs what a page's folder lacks (a cluster), and is run
# by the test named, whatever its first words.
RUN_BY_OPTION = {
    "--scheduler": "test_cluster.py::test_docs_cluster_recipe_runs and test_docs_tls_recipe_runs",
}


def runner(command: Command) -> str | None:
    """The test that runs ``command``, if any."""
    for option, test in RUN_BY_OPTION.items():
        if option in command.words:
            return test
    return next((test for prefix, test in RUN_BY.items() if command.starts(*prefix)), None)
NOT_RUN = {
    ("python", "-m", "pip", "install"): "installs reform-kg: the tests run where it is installed",
    ("bash", ".ci/setup"): "installs the test dependencies and system packages: the tests run where they are installed",
    ("python", "-m", "pytest"): "the test suite itself, which .ci/run runs (test_ci_runs_the_readme_test_command)",
    ("neo4j-admin",): "needs a Neo4j installation, which the tests do not have; test_graphtools.py checks the CSV it imports",
}
# Fenced blocks by language: text and unmarked blocks are not code; sh and sparql blocks run.
NOT_RUN_BLOCKS = {
    "": "not code: a file layout or a sample",
    "text": "not code: what a command prints (checked with the command) or a layout",
    "cypher": "needs Neo4j with neosemantics, which the tests do not have",
}


def test_every_command_of_the_docs_is_run_or_says_why_not():
    commands = doc_commands()
    assert len(commands) > 40
    for command in commands:
        assert runner(command) or any(command.starts(*p) for p in NOT_RUN), f"{command}: no test runs it; add one, or a reason to NOT_RUN"
    languages = {m.group(1) for text in PAGES.values() for m in FENCE.finditer(text)}
    assert languages <= {"sh", "sparql", *NOT_RUN_BLOCKS}, languages


def test_docs_sparql_example_runs_on_the_golden_graph():
    ((page, query),) = doc_blocks("sparql")
    assert page == "docs/graph.md"
    graph = Graph().parse(PINGSHAN_GOLDEN)
    rows = list(graph.query(query))
    assert any("区委书记吕玉印" in str(r[0]) for r in rows)


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Path:
    """A folder holding what the docs' commands name: the bundled build in output/ and out/;
    plans/ and corpus/ of real documents, more.docx, doc.txt; tests/ (gold files, corpus, cases)."""
    from docx import Document

    from kg.cli import main

    folder = tmp_path_factory.mktemp("docs-bench")
    corpus = ROOT / "tests" / "corpus"
    assert main(["build", "--out", str(folder / "output"), "-q"]) == 0
    shutil.copytree(folder / "output", folder / "out")
    (folder / "plans").mkdir()
    for name in ("01-luohu-2022-reform-keypoints.txt", "05-xialu-2020-key-work-breakdown.txt"):
        shutil.copy(corpus / name, folder / "plans" / name)
    (folder / "corpus").mkdir()
    for name in ("pingshan-2017-reform-plan.txt", "02-huoshan-devzone-2025-key-tasks.txt"):
        shutil.copy(corpus / name, folder / "corpus" / name)
    shutil.copy(ROOT / "data" / "pingshan-2017-reform-plan.txt", folder / "doc.txt")
    document = Document()
    for line in (corpus / "06-lishan-2023-key-work-division.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(folder / "more.docx")
    (folder / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    return folder


def run_here(command: Command, cwd: Path, capsys) -> tuple[int, str]:
    """Run one command as the docs give it, in ``cwd``: (exit code, what it printed)."""
    from kg.cli import main

    words = [hit for w in command.words for hit in (sorted(glob.glob(w, root_dir=cwd)) if "*" in w else [w])]
    if command.starts("python", "build_graph.py"):
        done = subprocess.run([sys.executable, str(ROOT / "build_graph.py"), *words[2:]], cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return done.returncode, done.stdout + done.stderr
    capsys.readouterr()
    try:
        code = main(words[1:])
    except SystemExit as exit_:  # argparse's --help
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("page", [p for p in PAGES if any(c.page == p and runner(c) == HERE for c in doc_commands())])
def test_the_commands_of_each_page_run_in_a_folder_of_their_own(page, bench, tmp_path, monkeypatch, capsys):
    """Each page's build, views, validate, eval and help commands run in order, as written (globs
    expanded), in a copy of the bench; each exits 0 and prints what the page shows it printing."""
    folder = tmp_path / "here"
    shutil.copytree(bench, folder, symlinks=True)
    monkeypatch.chdir(folder)
    for command in doc_commands():
        if command.page == page and runner(command) == HERE:
            code, printed = run_here(command, folder, capsys)
            assert code == 0, f"{command}: exit {code}\n{printed}"
            assert_shows(command.shows, printed, command)


# --- links ---------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def anchors(markdown: str) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", FENCE.sub("", markdown), re.M)}


@pytest.mark.parametrize("page", PAGES)
def test_every_relative_link_leads_to_a_file(page):
    base = (ROOT / page).parent
    for target in LINK.findall(FENCE.sub("", PAGES[page])):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        linked = (base / path).resolve() if path else ROOT / page
        assert linked.exists(), f"{page}: {target} leads nowhere"
        assert ROOT in linked.parents, f"{page}: {target} leaves the repository"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{page}: {target}: no such heading"


# --- docs/reading.md and docs/quality.md ---------------------------------------------------------


def _table_rows(page: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table under ``header`` in docs/``page``."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    table = text[text.index(header) :].split("\n\n")[0]
    return [[c.strip().strip("`") for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_named_queries_have_headers_and_run_with_bound_parameters():
    from rdflib import Literal

    graph = Graph().parse(PINGSHAN_GOLDEN)
    queries = sorted((ROOT / "queries").glob("*.rq"))
    assert queries
    for path in queries:
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^# (title|description): (.+)$", text, re.M))
        assert header.get("title") and header.get("description"), path.name
    rows = list(
        graph.query(
            (ROOT / "queries" / "evidence-for-relation.rq").read_text(encoding="utf-8"),
            initBindings={"subjectLabel": Literal("深化基层治理体制改革", lang="zh"), "objectLabel": Literal("吕玉印", lang="zh")},
        )
    )
    assert {str(r.relation).rsplit("#")[-1] for r in rows} == {"leadPerson"}
    assert any("区委书记吕玉印亲自牵头" in str(r.quote) for r in rows)


def test_the_label_examples_of_docs_reading_hold(all_rules):
    rows = _table_rows("reading.md", "| label | field |")
    assert len(rows) >= 10
    for label, field in rows:
        assert all_rules["tasks"].field_of(label) == (None if field == "none" else field), label


def test_the_bracket_examples_of_docs_reading_hold(all_rules):
    from kg.brackets import parse_bracket

    rows = _table_rows("reading.md", "| bracket | lead units | supporting units |")
    assert len(rows) >= 5
    for bracket, lead, support in rows:
        inside = bracket[1:-1]
        parts = parse_bracket(inside, all_rules["opinions"].brackets)
        got = {f: [inside[p.start : p.end] for p in parts if p.field == f] for f in ("leadUnit", "supportUnit")}
        assert got["leadUnit"] == [x.strip() for x in lead.split(" / ") if x.strip()], bracket
        assert got["supportUnit"] == [x.strip() for x in support.split(" / ") if x.strip()], bracket


def test_the_figures_of_docs_quality_are_what_kg_eval_measures_now(toolkit):
    """The "now" column of docs/quality.md (and the README's) cannot drift from the extractor:
    a change that moves a figure must say so in the docs."""
    from kg.evaluate import format_case_scores, read_cases, read_predicted, score_case
    from kg.pipeline import build_graph
    from kg.rdf import union_graph

    rows = {r[0].split(",")[0].strip("` "): r for r in _table_rows("quality.md", "| set | before the grammars |")}
    for split in ("dev", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17"):
        results = []
        for case in read_cases(ROOT / "tests" / "eval" / split):
            result = build_graph([case.document], toolkit, case.genre, jobs=1)
            results.append(score_case(case, read_predicted(union_graph(result.dataset))))
        macro = sum(r.f1 for r in results) / len(results)
        below = sum(1 for r in results if r.f1 < 0.6)
        assert rows[f"{split}/"][-1] == f"{macro:.3f} ({below} below 0.6)", format_case_scores(results)
    readme_now = re.search(r"The blind half, studied since, scores ([0-9.]+) \(([0-9]+) below 0.6\)", README)
    assert readme_now and rows["blind/"][-1] == f"{readme_now.group(1)} ({readme_now.group(2)} below 0.6)"

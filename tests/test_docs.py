"""Documentation that cannot drift: the README's commands and CI agree, and the README's example query runs."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_blocks(lang: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"```{lang}\n(.*?)```", README, re.S)]


def test_readme_starts_with_the_two_commands():
    first_two = re.findall(r"```sh\n(.*?)\n```", README[:600], re.S)
    assert first_two[:2] == ["python -m pip install -e . && python build_graph.py", "bash .ci/setup && python -m pytest"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = readme_blocks("sh")[1]
    assert test_command in ci.splitlines()


def test_readme_sparql_example_runs_on_the_golden_graph():
    (query,) = readme_blocks("sparql")
    graph = Graph().parse(ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl")
    rows = list(graph.query(query))
    assert any("区委书记吕玉印" in str(r[0]) for r in rows)


def test_named_queries_have_headers_and_run_with_bound_parameters():
    from rdflib import Literal

    graph = Graph().parse(ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl")
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


def _table_rows(page: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table under ``header`` in docs/``page``."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    table = text[text.index(header) :].split("\n\n")[0]
    return [[c.strip().strip("`") for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


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
    for split in ("dev", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8"):
        results = []
        for case in read_cases(ROOT / "tests" / "eval" / split):
            result = build_graph([case.document], toolkit, case.genre, jobs=1)
            results.append(score_case(case, read_predicted(union_graph(result.dataset))))
        macro = sum(r.f1 for r in results) / len(results)
        below = sum(1 for r in results if r.f1 < 0.6)
        assert rows[f"{split}/"][-1] == f"{macro:.3f} ({below} below 0.6)", format_case_scores(results)
    readme_now = re.search(r"The blind half, studied since, scores ([0-9.]+) \(([0-9]+) below 0.6\)", README)
    assert readme_now and rows["blind/"][-1] == f"{readme_now.group(1)} ({readme_now.group(2)} below 0.6)"

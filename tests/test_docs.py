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

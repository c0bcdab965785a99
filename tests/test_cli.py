"""The kg command's contract: results on stdout, one-line errors on stderr, exit codes, atomic output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main, make_parser

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "pingshan-2017-reform-plan.txt"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd or ROOT)


@pytest.fixture(scope="module")
def built_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--out", str(out), "--no-validate"]) == 0
    return out


def test_build_writes_graph_and_report(built_out):
    assert {p.name for p in built_out.iterdir()} >= {"graph.trig", "graph.ttl", "report.json", "report.md"}
    report = (built_out / "report.md").read_text(encoding="utf-8")
    assert "28个改革项目" in report and "| 7个改革专项小组 | group |  | 7 | 7 |" in report
    # The document's row names its genre and place.
    assert "| plan | 坪山区 | 25 | 148 |" in report


def test_build_keeps_the_named_graphs_in_trig(built_out):
    """graph.ttl is the union; graph.trig holds the same triples in a graph per document and the inferred graph."""
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    dataset = Dataset().parse(built_out / "graph.trig", format="trig")
    named = {str(g.identifier).rsplit("/", 1)[-1]: g for g in dataset.graphs() if len(g)}
    assert len(named) == 3 and "inferred" in named and "ontology" in named
    del named["ontology"]  # the vocabulary, not in graph.ttl
    union = Graph()
    for graph in named.values():
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, Graph().parse(built_out / "graph.ttl", format="turtle"))


def test_build_summary_on_stderr(tmp_path):
    proc = run("build", str(SEED), "--out", str(tmp_path), "--no-validate")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "1 document(s)" in proc.stderr and "stated 28个改革项目 = 28" in proc.stderr and str(tmp_path) in proc.stderr


def _write(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).write_bytes(data)
    return folder / name


@pytest.mark.parametrize(
    "make_input, code, words",
    [
        # A missing path is a bad input like any other (exit 1), not a usage error: the rest still builds.
        pytest.param(lambda d: d / "missing.txt", 1, "no such file", id="missing"),
        pytest.param(lambda d: _write(d, "empty.txt", b""), 1, "empty", id="empty"),
        pytest.param(lambda d: _write(d, "x.xyz", "改革".encode()), 1, "unsupported", id="unsupported"),
        pytest.param(lambda d: _write(d, "bin.txt", b"\x00\x01\x02" * 100), 1, "bin.txt", id="binary"),
    ],
)
def test_bad_input_is_one_clear_line_and_keeps_previous_output(tmp_path, make_input, code, words):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous")
    bad = make_input(tmp_path)
    proc = run("build", str(bad), "--out", str(out), "--no-validate")
    assert proc.returncode == code
    assert "Traceback" not in proc.stderr
    assert words in proc.stderr.lower() or words in proc.stderr
    assert bad.name in proc.stderr
    assert (out / "graph.ttl").read_text() == "previous"


def test_one_bad_document_does_not_stop_the_others(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(SEED.read_bytes())
    (corpus / "b.txt").write_text("   \n")
    proc = run("build", str(corpus), "--out", str(tmp_path / "out"), "--no-validate")
    assert proc.returncode == 1  # something failed …
    assert "b.txt" in proc.stderr
    assert (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8").count("深化基层治理体制改革") >= 1  # … the rest built


def test_a_corpus_gets_the_canonical_graph_and_the_ledger_and_what_formats_asks_for(tmp_path):
    import re

    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, RDF

    corpus, out = tmp_path / "corpus", tmp_path / "output"
    corpus.mkdir()
    (corpus / "plan.txt").write_bytes(SEED.read_bytes())
    (corpus / "keypoints.txt").write_bytes((ROOT / "tests" / "corpus" / "01-luohu-2022-reform-keypoints.txt").read_bytes())

    def written() -> set[str]:
        return {p.name for p in out.iterdir()}

    def downloads() -> set[str]:
        return set(re.findall(r'<a href="\.\./([^"]+)">', (out / "views" / "index.html").read_text(encoding="utf-8")))

    assert main(["build", str(corpus), "--out", str(out), "-q", "--no-validate", "-j", "1"]) == 0
    assert written() == {"graph.trig", "ledger.csv", "ledger.xlsx", "report.json", "report.md", "views"}
    assert downloads() == {"graph.trig", "ledger.csv", "ledger.xlsx"}
    # What the other commands read by default is there: kg query answers from graph.trig.
    proc = run("query", "person-workload", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0 and "吕玉印" in proc.stdout, proc.stderr

    # More on request; the ledger, not asked for this time, goes with the earlier build.
    assert main(["build", str(corpus), "--out", str(out), "-q", "--no-validate", "-j", "1", "--formats", "ttl, graphml,void"]) == 0
    assert written() == {"graph.trig", "graph.ttl", "graph.graphml", "void.ttl", "report.json", "report.md", "views"}
    assert downloads() == {"graph.trig", "graph.ttl", "graph.graphml", "void.ttl"}
    void = Graph().parse(out / "void.ttl")
    (dataset,) = void.subjects(RDF.type, DCAT.Dataset)
    assert {URIRef(str(d)).split("/")[-1] for d in void.objects(dataset, DCAT.distribution)} == {"graph.trig", "graph.ttl", "graph.graphml"}
    assert len(Graph().parse(out / "graph.ttl")) == json_triples(out)
    # kg views redraws the pages from graph.trig and lists the exports that are there.
    assert main(["views", "--graph", str(out / "graph.trig"), "--out", str(out / "views")]) == 0
    assert downloads() == {"graph.trig", "graph.ttl", "graph.graphml", "void.ttl"}

    assert main(["build", str(corpus), "--out", str(out), "-q", "--no-validate", "-j", "1", "--formats", "all"]) == 0
    assert {"graph.nt", "graph.nq", "graph.jsonld", "graph.rdf", "graph.gexf", "neo4j", "ontology.html", "context.jsonld", "ledger.xlsx"} <= written()


def json_triples(out: Path) -> int:
    """The triples the build says it wrote (report.json), the ontology's apart."""
    import json

    return json.loads((out / "report.json").read_text(encoding="utf-8"))["triples"]


def test_an_unknown_format_is_a_usage_error_before_anything_is_built(tmp_path):
    proc = run("build", str(SEED), "--out", str(tmp_path / "out"), "--formats", "ttl,turtle,graphml")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: unknown format 'turtle' in --formats; the formats are: ttl, nt, nq, trig, jsonld, context, rdfxml, graphml, gexf, "
        "neo4j, ledger-csv, ledger-xlsx, void, ontology-html, or all [E900]"
    ]
    assert not (tmp_path / "out").exists()


def test_build_graph_script_is_kg_build(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--out", str(tmp_path), "--no-validate"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "graph.ttl").stat().st_size > 10_000


def test_eval_prints_scores(built_out):
    proc = run("eval", str(ROOT / "tests" / "gold" / "pingshan-2017.tsv"), str(built_out / "graph.ttl"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].split()[:4] == ["relation", "gold", "pred", "tp"]
    assert any(line.startswith("leadPerson") for line in proc.stdout.splitlines())


def test_eval_scores_a_folder_of_cases(tmp_path):
    """Each case is built and scored on the relations its case.toml lists: measures found in the
    document but not annotated are no false positives."""
    case = tmp_path / "cases" / "a"
    case.mkdir(parents=True)
    (case / "document.txt").write_text("1.推进甲改革。（甲局负责）\n2.推进乙改革。（乙局牵头，丙局配合）\n", encoding="utf-8")
    (case / "case.toml").write_text('relations = ["project", "leadUnit", "supportUnit"]\n', encoding="utf-8")
    (case / "facts.tsv").write_text(
        "relation\tsubject\tobject\tnote\nproject\t推进甲改革\t\t\nproject\t推进乙改革\t\t\nleadUnit\t推进甲改革\t甲局\t\n"
        "leadUnit\t推进乙改革\t乙局\t\nsupportUnit\t推进乙改革\t丁局\t\n",
        encoding="utf-8",
    )
    proc = run("eval", str(tmp_path / "cases"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1].split() == ["a", "0.800", "4/1/1"]  # 丙局 found, 丁局 annotated
    assert "ordinal" not in proc.stdout  # not annotated, so not scored
    assert lines[-1] == "macro F1 over 1 documents: 0.800; below 0.6: 0"


def test_eval_errors_are_one_line(tmp_path):
    gold = ROOT / "tests" / "gold" / "pingshan-2017.tsv"
    proc = run("eval", str(gold))
    assert proc.returncode == 2 and "give the graph file" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    proc = run("eval", str(tmp_path))
    assert proc.returncode != 0 and "no case.toml below this folder" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_fails_readably_on_a_broken_graph(tmp_path, built_out):
    from rdflib import Graph, Namespace

    broken = tmp_path / "broken.ttl"
    graph = Graph().parse(built_out / "graph.ttl")
    # Drop every quote of every evidence node: each becomes a violation.
    graph.remove((None, Namespace("https://w3id.org/reform-kg/ontology#").quote, None))
    graph.serialize(broken, format="turtle")
    proc = run("validate", str(broken))
    assert proc.returncode == 1
    assert "violation:" in proc.stdout and "quote" in proc.stdout.lower()


def test_validate_unparsable_graph_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .")
    proc = run("validate", str(bad))
    assert proc.returncode == 1 and "bad.ttl" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_errors_exit_2():
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


@pytest.mark.parametrize("command", sorted(make_parser()._subparsers._group_actions[0].choices))
def test_every_subcommand_has_help(command):
    parser = make_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    assert sub.description and len(sub.description) > 20
    assert all(a.help for a in sub._actions if a.dest != "help")


def test_build_validates_each_document_and_fails_on_a_violation(tmp_path, monkeypatch, capsys):
    import json

    from rdflib import Literal

    from kg import rdf
    from kg.vocab import RKG

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_bytes(SEED.read_bytes())
    (corpus / "keypoints.txt").write_bytes((ROOT / "tests" / "corpus" / "01-luohu-2022-reform-keypoints.txt").read_bytes())
    assert main(["build", str(corpus), "--out", str(tmp_path / "good"), "-q", "-j", "1", "--no-cache"]) == 0
    assert "validation: conforms" in capsys.readouterr().err
    assert json.loads((tmp_path / "good" / "report.json").read_text(encoding="utf-8"))["validation"]["conforms"] is True

    # One document's projects numbered twice: the build writes its output, says so and fails.
    real = rdf.document_triples

    def numbered_twice(resolved, places):
        graph, inferred = real(resolved, places)
        if resolved.document.name == "plan.txt":
            graph |= {(s, RKG.ordinal, Literal(1000)) for s, p, _ in graph if p == RKG.ordinal}
        return graph, inferred

    monkeypatch.setattr(rdf, "document_triples", numbered_twice)
    assert main(["build", str(corpus), "--out", str(tmp_path / "bad"), "-q", "-j", "1", "--no-cache"]) == 1
    err = capsys.readouterr().err
    validation = json.loads((tmp_path / "bad" / "report.json").read_text(encoding="utf-8"))["validation"]
    assert validation["conforms"] is False and validation["violations"]
    assert f"validation: {len(validation['violations'])} SHACL violation(s), 0 undeclared term(s)" in err
    assert {v["path"] for v in validation["violations"]} == {str(RKG.ordinal)}
    assert {v["document"] for v in validation["violations"]} == {"plan.txt"}
    assert "at most one rkg:ordinal" in validation["violations"][0]["message"]
    markdown = (tmp_path / "bad" / "report.md").read_text(encoding="utf-8")
    assert "| document | focus | path | message |" in markdown and f"| plan.txt | {validation['violations'][0]['focus']} |" in markdown

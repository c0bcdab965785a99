"""End to end on golden cases: specific facts, evidence, provenance, determinism, validity."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV

from kg.evaluate import read_gold, read_predicted, rows_match
from kg.export import dataset_to_turtle
from kg.load import load_document
from kg.pipeline import build_graph
from kg.rdf import union_graph
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p.parent for p in (ROOT / "tests" / "cases").glob("*/*/case.toml"))


def read_case(case: Path) -> dict:
    meta = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    meta["input_path"] = ROOT / meta["input"] if not (case / meta["input"]).exists() else case / meta["input"]
    return meta


@pytest.fixture(scope="session")
def built(toolkit):
    """Each golden case built once: (case folder, its document, the union graph)."""
    results = {}
    for case in CASES:
        meta = read_case(case)
        result = build_graph([meta["input_path"]], toolkit, meta.get("genre"))
        results[case.name] = (case, load_document(meta["input_path"]), union_graph(result.dataset), result)
    return results


@pytest.fixture(scope="session")
def pingshan(built):
    return built["pingshan-2017"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_case_holds_its_facts(case, built):
    """Every fact listed in the case's facts.tsv is in the graph (strict match)."""
    _, _, graph, _ = built[case.name]
    predicted = read_predicted(graph)
    missing = [f"{r.relation}\t{r.subject}\t{r.obj}" for r in read_gold(case / "facts.tsv") if not any(rows_match(r, p) for p in predicted)]
    assert not missing, "missing facts:\n" + "\n".join(missing)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_case_genre_is_detected(case, built):
    """A case's folder names its genre; unless case.toml forces one, detection must find it."""
    _, _, _, result = built[case.name]
    assert [r.genre for r in result.documents] == [case.parent.name]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_case_matches_expected_graph(case, built, request):
    """The whole graph equals the case's expected.ttl; --update-golden rewrites it and fails."""
    _, _, graph, result = built[case.name]
    expected_path = case / "expected.ttl"
    if request.config.getoption("--update-golden"):
        expected_path.write_bytes(dataset_to_turtle(result.dataset))
        pytest.fail(f"rewrote {expected_path.relative_to(ROOT)}; review the diff and run again without --update-golden")
    assert expected_path.exists(), f"{expected_path} is missing: run pytest --update-golden"
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(graph, expected):
        _, only_expected, only_built = graph_diff(to_isomorphic(expected), to_isomorphic(graph))
        lines = sorted(f"- {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in only_expected)[:40]
        lines += sorted(f"+ {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in only_built)[:40]
        pytest.fail("graph differs from expected.ttl (- expected only, + built only):\n" + "\n".join(lines))


def test_every_evidence_quotes_the_document(built, assert_evidence_quotes):
    """Offsets are the truth: text[start:end] == quote, for every evidence node of every case."""
    for _, document, graph, _ in built.values():
        assert_evidence_quotes(graph, document.text)


def test_every_relation_has_a_statement_with_evidence_or_a_rule(pingshan):
    _, _, graph, _ = pingshan
    statements = {(graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)): st for st in graph.subjects(RDF.type, RDF.Statement)}
    relations = [RKG.leadPerson, RKG.leadPost, RKG.holdsPost, RKG.responsibleGroup, RKG.tier, RKG.involvesLevel, RKG.addressesProblem, RKG.hasMeasure, RKG.ordinal]
    triples = [t for p in relations for t in graph.triples((None, p, None))]
    assert len(triples) > 100
    for triple in triples:
        st = statements.get(triple)
        assert st is not None, triple
        assert graph.value(st, RKG.evidence) is not None, triple
        assert (graph.value(st, RKG.extractedBy) is None) != (graph.value(st, RKG.inferredBy) is None), triple


def test_a_stated_relation_names_its_extraction_rule_by_a_node(pingshan):
    """rkg:extractedBy points to an rkg:ExtractionRule named by the rule, as rkg:inferredBy
    points to an rkg:InferenceRule: "区委书记吕玉印" was read by the lead field's rule."""
    _, _, graph, _ = pingshan
    project, person = _project(graph, "深化基层治理体制改革"), graph.value(predicate=RDFS.label, object=Literal("吕玉印", lang="zh"))
    (st,) = [s for s in graph.subjects(RDF.subject, project) if graph.value(s, RDF.predicate) == RKG.leadPerson and graph.value(s, RDF.object) == person]
    rule = graph.value(st, RKG.extractedBy)
    assert rule == URIRef("https://w3id.org/reform-kg/id/extraction-rule/field-lead")
    assert (rule, RDF.type, RKG.ExtractionRule) in graph and graph.value(rule, RDFS.label) == Literal("field-lead", lang="en")
    rules = set(graph.objects(None, RKG.extractedBy))
    assert len(rules) == 9 and all((r, RDF.type, RKG.ExtractionRule) in graph and str(r).endswith("/" + str(graph.value(r, RDFS.label))) for r in rules)


def _project(graph, label):
    found = [s for s in graph.subjects(RDF.type, RKG.ReformProject) if (s, RDFS.label, Literal(label, lang="zh")) in graph]
    assert len(found) == 1, f"{label}: {len(found)} project nodes"
    return found[0]


def test_inferred_tier_is_marked_with_rule_premises_and_evidence(pingshan):
    _, _, graph, _ = pingshan
    project = _project(graph, "创新基层党建工作机制")
    (tier,) = [t for t in graph.objects(project, RKG.tier)]
    assert graph.value(tier, RDFS.label) == Literal("区重点改革项目", lang="zh")
    (st,) = [s for s in graph.subjects(RDF.subject, project) if graph.value(s, RDF.predicate) == RKG.tier]
    rule = graph.value(st, RKG.inferredBy)
    assert rule is not None and (rule, RDF.type, RKG.InferenceRule) in graph
    premises = set(graph.objects(st, PROV.wasDerivedFrom))
    assert {graph.value(p, RDF.predicate) for p in premises} == {RKG.carriedOutBy, RKG.responsibleGroup}
    quotes = {str(graph.value(e, RKG.quote)) for e in graph.objects(st, RKG.evidence)}
    assert any("等7个改革专项小组负责实施" in q for q in quotes)
    assert any("这是党的建设制度改革专项小组负责项目" in q for q in quotes)


def test_listed_projects_are_not_duplicated_by_prose(pingshan):
    _, document, graph, _ = pingshan
    projects = list(graph.subjects(RDF.type, RKG.ReformProject))
    ordinals = sorted(int(graph.value(p, RKG.ordinal)) for p in projects if graph.value(p, RKG.ordinal) is not None)
    assert ordinals == list(range(1, 10))
    # The 基层医疗集团 paragraph restates item 5: it is evidence for that project, not a new one.
    item5 = _project(graph, "探索建立基层医疗集团")
    quotes = [str(graph.value(e, RKG.quote)) for e in graph.objects(item5, RKG.evidence)]
    list_start = document.text.index("改革项目一览表")
    assert any("组建坪山基层医疗集团" in q and document.text.index(q) < list_start for q in quotes)
    # A measure inside a listed project's text is not a project of its own.
    assert not [p for p in projects if "公立医院综合改革" in str(graph.value(p, RDFS.label))]


def test_sparql_finds_the_sentence_behind_a_relation(pingshan):
    _, _, graph, _ = pingshan
    query = """
    PREFIX rkg: <https://w3id.org/reform-kg/ontology#>
    SELECT ?quote ?start WHERE {
      ?project rdfs:label "深化基层治理体制改革"@zh . ?person rdfs:label "吕玉印"@zh .
      ?st rdf:subject ?project ; rdf:predicate rkg:leadPerson ; rdf:object ?person ; rkg:evidence ?ev .
      ?ev rkg:quote ?quote ; rkg:start ?start .
    } ORDER BY ?start"""
    quotes = [str(row.quote) for row in graph.query(query)]
    assert any(q.startswith("针对基层职责划分不清晰") and "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in q for q in quotes)
    assert "深化基层治理体制改革牵头区领导:区委书记吕玉印" in quotes


def test_stated_figures_against_found(pingshan):
    _, _, graph, _ = pingshan
    values = {}
    for f in graph.subjects(RDF.type, RKG.StatedFigure):
        label = str(graph.value(f, RDFS.label))
        found = graph.value(f, RKG.foundValue)
        values[label] = (int(graph.value(f, RKG.statedValue)), None if found is None else int(found))
    assert values["7个改革专项小组"] == (7, 7)
    assert values["三类层次"] == (3, 3)
    assert values["“区主要领导牵头改革项目”有两个"] == (2, 2)
    stated, found = values["28个改革项目"]
    assert stated == 28 and 20 <= found < 28  # the article details only some of its 28 projects


def test_graph_conforms_to_shapes_and_ontology(pingshan):
    from kg.validate import validate_graph

    _, _, graph, _ = pingshan
    report = validate_graph(graph)
    assert report.conforms, [*report.violations, *report.undeclared]


def test_build_is_byte_identical_across_processes(tmp_path):
    """Same input, same bytes — whatever the hash seed of the process."""
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--no-cache", "--out", str(out)], env=env, capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert set(outputs[0]) >= {"graph.ttl", "report.json", "report.md", "views/index.html", "views/overview.html"}
    assert outputs[0] == outputs[1]


def test_no_document_name_is_written_into_the_extractor(pingshan):
    """Rules are generic: no person, project or group name from the document appears in kg/."""
    _, _, graph, _ = pingshan
    names = set()
    for cls in (RKG.Person, RKG.ReformProject, RKG.SpecialGroup):
        for node in graph.subjects(RDF.type, cls):
            names |= {str(o) for o in graph.objects(node, None) if isinstance(o, Literal) and o.language == "zh" and len(str(o)) >= 3}
    sources = [p for p in (ROOT / "kg").rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".tsv", ".html", ".js", ".css")]
    hits = [(p.name, n) for p in sources for n in names if n in p.read_text(encoding="utf-8")]
    assert not hits


def test_count_jobs_gives_a_build_that_asks_a_worker_of_its_own(monkeypatch, tmp_path):
    from kg import pipeline
    from kg.pipeline import count_jobs

    files = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for f in files:
        f.write_text("x", encoding="utf-8")
    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert count_jobs(None, files) == 0  # small input: this process
    assert count_jobs(None, files, apart=True) == 1  # one worker, this process free meanwhile
    assert count_jobs(1, files, apart=True) == 0 and count_jobs(4, files) == 2  # -j as asked, no more than the files
    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert count_jobs(None, files, apart=True) == 0  # one CPU: nothing to overlap


def test_build_corpus_runs_meanwhile_once_while_its_worker_extracts(toolkit, tmp_path, monkeypatch):
    from kg import pipeline
    from kg.pipeline import build_corpus
    from kg.runs import Spool

    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    real, where = pipeline.process_document, tmp_path / "extracted-in"

    def process_document(*args):  # the worker is forked: it runs this too
        where.write_text(str(os.getpid()), encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(pipeline, "process_document", process_document)
    calls = []
    with Spool(str(tmp_path)) as spool:
        result, source = build_corpus([ROOT / "data" / "pingshan-2017-reform-plan.txt"], spool, toolkit, meanwhile=lambda: calls.append(os.getpid()))
        assert source is not None and len(result.documents) == 1 and not result.failures
    assert calls == [os.getpid()]  # here, once
    assert int(where.read_text(encoding="utf-8")) != os.getpid()  # while a worker extracted

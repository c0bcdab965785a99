"""Named queries (queries/*.rq) and kg.query: headers, bound parameters, both engines alike, the
result formats, and ``kg query``.

Expected rows come from reading the Pingshan plan (tests/cases/plan/pingshan-2017/expected.ttl)
and the corpus (tests/corpus/*.txt, built once here).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.errors import QueryError, UsageError
from kg.query import (
    FORMATS,
    FORMS,
    QUERY_DIR,
    NamedQuery,
    QueryResult,
    discover_queries,
    display_width,
    format_result,
    load_query,
    open_engine,
)
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
PINGSHAN = ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl"
CORPUS = ROOT / "tests" / "corpus"
QUERIES = discover_queries()
ENGINES = ("oxigraph", "rdflib")

# Values to run each parameterised query with; a new query with parameters needs a line here.
EXAMPLES: dict[str, dict[str, str]] = {
    "evidence-for-relation": {"subjectLabel": "深化基层治理体制改革", "objectLabel": "吕玉印"},
    "project-measures": {"project": "深化基层治理体制改革"},
    "project-subgraph": {"project": "深化基层治理体制改革"},
    "projects-at-level": {"level": "社区"},
    "projects-by-leader": {"leader": "区委书记"},
    "projects-of-group": {"group": "党的建设制度改革专项小组"},
    "projects-by-place": {"tier": "province"},
    "posts-by-place-level": {"within": "广东省"},
}
INJECTION = 'x" } ; DROP ALL ; { "'


@pytest.fixture(scope="module")
def pingshan():
    return {name: open_engine(PINGSHAN, name) for name in ENGINES}


@pytest.fixture(scope="module")
def corpus_dataset(toolkit):
    from kg.pipeline import build_graph

    return build_graph(sorted(CORPUS.glob("*.txt")), toolkit, jobs=1).dataset


@pytest.fixture(scope="module")
def corpus(corpus_dataset):
    """The corpus as `kg build` writes it to graph.ttl: one graph, the union of the documents'."""
    from kg.rdf import union_graph

    graph = union_graph(corpus_dataset)
    return {name: open_engine(graph, name) for name in ENGINES}


def run(engine, name: str, **bindings: str):
    return engine.run(QUERIES[name], bindings or EXAMPLES.get(name))


def table(result) -> list[dict[str, str | None]]:
    """Rows as dicts of text, unbound as None."""
    return [{v: (None if t is None else str(t)) for v, t in zip(result.variables, row)} for row in result.rows]


# --- the library -------------------------------------------------------------------------------


def test_at_least_fourteen_named_queries_each_with_a_title_and_description():
    assert len(QUERIES) >= 14
    for name, query in QUERIES.items():
        assert query.name == name and query.path == QUERY_DIR / f"{name}.rq"
        assert query.title and query.description and query.form in FORMS, name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_declared_parameters_are_exactly_those_the_text_binds(name):
    query = QUERIES[name]
    body = re.sub(r"(?m)^\s*#.*$", "", query.text)
    assert {p for p, _ in query.params} == set(re.findall(r"\$(\w+)", body))
    assert all(meaning for _, meaning in query.params)
    assert set(EXAMPLES.get(name, {})) == {p for p, _ in query.params}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_use_only_the_vocabulary(name):
    text = QUERIES[name].text
    prefixes = dict(re.findall(r"PREFIX\s+(\w+):\s*<([^>]*)>", text))
    assert set(prefixes) <= {"rkg", "rdf", "rdfs", "skos"}, prefixes
    assert prefixes.get("rkg", str(RKG._NS)) == str(RKG._NS)
    for term in re.findall(r"\brkg:(\w+)", re.sub(r"(?m)^\s*#.*$", "", text)):
        assert RKG[term]  # DefinedNamespace raises on a term ontology.ttl does not declare


# --- every query on the Pingshan plan ------------------------------------------------------------


def test_matrix_names_the_leaders_of_project_one_and_the_groups_of_the_others(pingshan):
    rows = table(run(pingshan["oxigraph"], "responsibility-matrix"))
    assert len(rows) == 25 and {r["document"] for r in rows} == {"pingshan-2017-reform-plan.txt"}
    first = rows[0]
    assert (first["ordinal"], first["project"], first["leadPost"], first["leadPerson"]) == ("1", "深化基层治理体制改革", "区委书记", "吕玉印")
    assert first["tier"] == "区主要领导牵头改革项目" and first["group"] is None
    assert first["levels"] == "区、社区、街道"  # joined with 、 in code-point order
    problems = first["problems"].split("、")
    assert "居民自治活力不足" in problems and problems == sorted(problems)
    # the project's own sentences, each once, in text order: the list of projects, the news, the item
    quotes = first["quote"].split(" ‖ ")
    assert len(quotes) == 3 and "区委书记吕玉印亲自牵头" in quotes[1] and quotes[2] == "深化基层治理体制改革牵头区领导:区委书记吕玉印"
    eighth = next(r for r in rows if r["ordinal"] == "8")
    assert (eighth["project"], eighth["group"], eighth["tier"]) == ("创新基层党建工作机制", "党的建设制度改革专项小组", "区重点改革项目")
    assert [r["ordinal"] for r in rows[:9]] == [str(n) for n in range(1, 10)]
    assert all(r["ordinal"] is None for r in rows[9:])  # unnumbered projects after the numbered


def test_projects_by_leader_by_name_and_by_post(pingshan):
    (row,) = table(run(pingshan["oxigraph"], "projects-by-leader", leader="吕玉印"))
    assert (row["project"], row["leaderName"], row["how"], row["leader"]) == ("深化基层治理体制改革", "吕玉印", "leadPerson", "吕玉印")
    (row,) = table(run(pingshan["oxigraph"], "projects-by-leader", leader="区委书记"))
    assert (row["ordinal"], row["how"]) == ("1", "leadPerson/holdsPost, leadPost")
    assert [r["project"] for r in table(run(pingshan["oxigraph"], "projects-by-leader", leader="区长"))] == ["民生诉求渠道流程优化改革"]


def test_projects_of_a_group(pingshan):
    (row,) = table(run(pingshan["oxigraph"], "projects-of-group"))
    assert (row["ordinal"], row["project"], row["tier"]) == ("8", "创新基层党建工作机制", "区重点改革项目")


def test_projects_at_a_level_with_the_sentence(pingshan):
    rows = table(run(pingshan["oxigraph"], "projects-at-level"))
    assert [r["ordinal"] for r in rows] == ["1", "5", "6", "8", None]
    assert rows[-1]["project"] == "社区集体经济监管体制机制改革"
    assert all("社区" in r["quote"] for r in rows)


def test_problem_index_and_shared_problems(pingshan):
    rows = table(run(pingshan["oxigraph"], "problem-index"))
    assert {"problem": "权责不清", "projectCount": "1", "projects": "深入落实强区放权改革"} in rows
    assert len(rows) == 28
    assert table(run(pingshan["oxigraph"], "shared-problems")) == []  # no two Pingshan projects share one


def test_shared_problems_when_two_projects_name_one(pingshan):
    graph = Graph().parse(PINGSHAN)
    problem = next(s for s, o in graph.subject_objects(RDFS.label) if str(o) == "权责不清")
    project = next(s for s, o in graph.subject_objects(RDFS.label) if str(o) == "深化基层治理体制改革")
    graph.add((project, RKG.addressesProblem, problem))
    for name in ENGINES:
        engine = open_engine(graph, name)
        rows = table(run(engine, "shared-problems"))
        assert [(r["problem"], r["projectCount"], r["ordinal"]) for r in rows] == [("权责不清", "2", "1"), ("权责不清", "2", "7")]
        top = table(run(engine, "problem-index"))[0]
        assert top == {"problem": "权责不清", "projectCount": "2", "projects": "深入落实强区放权改革、深化基层治理体制改革"}


def test_accountability_gaps_are_the_projects_named_only_in_prose(pingshan):
    rows = table(run(pingshan["oxigraph"], "accountability-gaps"))
    projects = {r["project"] for r in rows}
    assert len(rows) == 16 and {"安全生产监管体制改革", "社区集体经济监管体制机制改革"} <= projects
    assert "深化基层治理体制改革" not in projects and all(r["ordinal"] is None for r in rows)


def test_evidence_for_relation(pingshan):
    rows = table(run(pingshan["oxigraph"], "evidence-for-relation"))
    assert {r["relation"] for r in rows} == {str(RKG.leadPerson)}
    assert any("区委书记吕玉印亲自牵头" in r["quote"] for r in rows)
    assert [int(r["start"]) for r in rows] == sorted(int(r["start"]) for r in rows)


def test_stated_vs_found(pingshan):
    rows = table(run(pingshan["oxigraph"], "stated-vs-found"))
    first = rows[0]
    assert (first["figure"], first["stated"], first["found"], first["difference"], first["counts"]) == ("28个改革项目", "28", "25", "3", "ReformProject")
    groups = next(r for r in rows if r["counts"] == "SpecialGroup")
    assert (groups["stated"], groups["found"]) == ("7", "7")


def test_tier_membership_marks_inferred_tiers(pingshan):
    rows = table(run(pingshan["oxigraph"], "tier-membership"))
    assert len(rows) == 9 and {r["basis"] for r in rows} == {"inferred"}
    assert {r["ordinal"]: r["rules"] for r in rows if r["tier"] == "区主要领导牵头改革项目"} == {"1": "tier-from-lead-post", "2": "tier-from-lead-post"}
    assert [r["ordinal"] for r in rows if r["tier"] == "区重点改革项目"] == [str(n) for n in range(3, 10)]


def test_tier_membership_stated_in_the_corpus(corpus):
    rows = table(run(corpus["oxigraph"], "tier-membership"))
    guangzhou = [r for r in rows if r["document"].startswith("04-guangzhou")]
    assert guangzhou and {(r["basis"], r["rules"]) for r in guangzhou} == {("stated", "heading-tier")}


def test_person_workload(pingshan, corpus):
    rows = table(run(pingshan["oxigraph"], "person-workload"))
    assert rows == [
        {"person": "吕玉印", "posts": "区委书记", "projectCount": "1", "projects": "深化基层治理体制改革"},
        {"person": "陶永欣", "posts": "区长", "projectCount": "1", "projects": "民生诉求渠道流程优化改革"},
    ]
    rows = table(run(corpus["oxigraph"], "person-workload"))
    assert rows[0]["person"] == "梁志强" and rows[0]["projectCount"] == "7"
    assert {"person": "熊亚平", "posts": "县人大常委会主任、县委书记", "projectCount": "0", "projects": None} in rows


def test_project_measures_in_text_order(pingshan):
    rows = table(run(pingshan["oxigraph"], "project-measures"))
    assert len(rows) == 7 and rows[0]["measure"] == "理顺区、街道、社区职能"
    assert "建立“区-街道-社区”三级权责清单" in {r["measure"] for r in rows}
    assert all(r["measure"] in r["quote"] for r in rows)


def test_co_responsibility(pingshan, corpus):
    assert table(run(pingshan["oxigraph"], "co-responsibility")) == []  # one group per project, no units
    top = table(run(corpus["oxigraph"], "co-responsibility"))[0]
    assert (top["first"], top["second"], top["projectCount"]) == ("各区、县级市", "市人力资源和社会保障局", "19")


def test_project_subgraph(pingshan):
    result = run(pingshan["oxigraph"], "project-subgraph")
    graph = result.graph
    assert result.form == "CONSTRUCT" and len(graph) > 50
    project = next(graph.subjects(RKG.leadPerson, None))
    person = graph.value(project, RKG.leadPerson)
    assert graph.value(person, RDFS.label) == Literal("吕玉印", lang="zh")
    quotes = {str(q) for q in graph.objects(None, RKG.quote)}
    assert any("区委书记吕玉印" in q for q in quotes)
    assert set(graph.subjects(RDF.subject, None)) and set(graph.objects(None, RDF.subject)) == {project}


def test_document_contributions(pingshan, corpus):
    (row,) = table(run(pingshan["oxigraph"], "document-contributions"))
    assert (row["genre"], row["place"], row["projects"], row["people"], row["groups"], row["units"]) == ("plan", "坪山区", "25", "2", "7", "0")
    # 9 tier memberships, and 20 inverses (2 rkg:leads, 7 rkg:responsibleFor, 9 rkg:includesProject, 2 rkg:heldBy)
    assert int(row["statedRelations"]) > 100 and row["inferredRelations"] == "29"
    rows = table(run(corpus["oxigraph"], "document-contributions"))
    assert len(rows) == 17 and {r["genre"] for r in rows} >= {"plan", "tasks", "meeting", "opinions", "reply", "dutylist", "keypoints"}


def test_tasks_document_gives_lead_units_and_deadlines(corpus):
    rows = [r for r in table(run(corpus["oxigraph"], "responsibility-matrix")) if r["document"].startswith("02-huoshan")]
    assert [(r["ordinal"], r["leadPerson"], r["leadUnits"], r["deadline"]) for r in rows] == [
        ("1", "叶林", "安商工作部、招商工作部", "全年"),
        ("2", "马振明", "改革办", "全年"),
        ("3", "张云峰", "规划建设局", "全年"),
    ]
    dates = [r for r in table(run(corpus["oxigraph"], "deadlines")) if r["document"].startswith("02-huoshan")]
    assert {(r["firstDate"], r["deadlines"]) for r in dates} == {("2025", "全年")}


def test_traditional_documents_keep_their_script(corpus):
    rows = [r for r in table(run(corpus["oxigraph"], "responsibility-matrix")) if "trad" in r["document"]]
    assert "全面實施行政許可事項清單管理" in {r["project"] for r in rows}
    assert "堅持系統集成,推動審批全鏈條最佳化" in {r["tier"] for r in rows}


def test_unevidenced_relations(pingshan):
    assert run(pingshan["oxigraph"], "unevidenced-relations").boolean is False
    graph = Graph().parse(PINGSHAN)
    graph.add((URIRef("https://example.org/p"), RKG.leadUnit, URIRef("https://example.org/u")))
    for name in ENGINES:
        assert run(open_engine(graph, name), "unevidenced-relations").boolean is True


# --- both engines, the same answers --------------------------------------------------------------


def assert_same(a, b, name):
    assert (a.form, a.variables, a.boolean) == (b.form, b.variables, b.boolean), name
    assert a.rows == b.rows, name
    if a.graph is not None:
        assert set(a.graph) == set(b.graph), name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree_on_pingshan(pingshan, name):
    assert_same(run(pingshan["oxigraph"], name), run(pingshan["rdflib"], name), name)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree_on_the_corpus(corpus, name):
    assert_same(run(corpus["oxigraph"], name), run(corpus["rdflib"], name), name)


@pytest.fixture(scope="module")
def bare():
    """One project and its document, no relations: every sub-select finds nothing."""
    graph = Graph().parse(PINGSHAN)
    project = next(graph.subjects(RDFS.label, Literal("安全生产监管体制改革", lang="zh")))
    document = graph.value(project, RKG.inDocument)
    small = Graph()
    for s, p, o in graph:
        if (s == project and p in (RDF.type, RDFS.label, RKG.inDocument)) or (s == document and p != RKG.statesFigure):
            small.add((s, p, o))
    return {name: open_engine(small, name) for name in ENGINES}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree_on_a_graph_with_nothing_to_find(bare, name):
    results = [run(bare[engine], name) for engine in ENGINES]
    assert_same(*results, name)
    assert len(results[0].rows) <= 1 and not results[0].boolean


def test_a_trig_file_is_queried_as_the_union_of_its_graphs(corpus, corpus_dataset, tmp_path):
    """Named graphs per document: the default graph is their union (each triple once), and GRAPH
    reaches each document's graph — in both engines."""
    trig = tmp_path / "corpus.trig"
    trig.write_bytes(corpus_dataset.serialize(format="trig", encoding="utf-8"))
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?type } } GROUP BY ?g ORDER BY ?g"
    results = {}
    for name in ENGINES:
        engine = open_engine(trig, name)
        assert_same(run(engine, "responsibility-matrix"), run(corpus[name], "responsibility-matrix"), name)
        results[name] = engine.run(per_graph)
        assert len(results[name].rows) >= 17  # a graph per document, and one for inferences
    assert_same(results["oxigraph"], results["rdflib"], "GRAPH ?g")


@pytest.fixture(scope="module")
def union_store(corpus_dataset, tmp_path_factory):
    """The corpus in a store whose default graph is pyoxigraph's own union of the named graphs, as
    an Oxigraph server started with --union-default-graph has it: a triple that several documents
    state comes once per graph."""
    import pyoxigraph as ox

    trig = tmp_path_factory.mktemp("union") / "corpus.trig"
    trig.write_bytes(corpus_dataset.serialize(format="trig", encoding="utf-8"))
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return store


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.form == "SELECT"))
def test_a_store_with_a_union_default_graph_gives_the_same_rows(union_store, corpus, name):
    import pyoxigraph as ox

    from kg.query import _to_oxigraph, bind_parameters

    query = QUERIES[name]
    terms = bind_parameters(query, EXAMPLES.get(name) if query.params else None)
    solutions = union_store.query(query.text, substitutions={ox.Variable(k): _to_oxigraph(v) for k, v in terms.items()} or None, use_default_graph_as_union=True)
    variables = [v.value for v in solutions.variables]
    theirs = sorted(tuple(str(s[v].value) if s[v] is not None else "" for v in variables) for s in solutions)
    ours = sorted(tuple(str(t) if t is not None else "" for t in row) for row in run(corpus["oxigraph"], name).rows)
    assert theirs == ours


# --- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_value_is_a_literal_never_query_text(engine):
    graph = Graph().parse(PINGSHAN)
    size = len(graph)
    opened = open_engine(graph, engine)
    assert run(opened, "projects-by-leader", leader=INJECTION).rows == ()
    assert run(opened, "projects-by-leader", leader="吕玉印").rows  # the engine still holds the graph
    assert len(graph) == size


@pytest.mark.parametrize("engine", ENGINES)
def test_an_iri_in_angle_brackets_binds_the_node(pingshan, engine):
    by_label = run(pingshan[engine], "project-measures")
    project = next(Graph().parse(PINGSHAN).subjects(RDFS.label, Literal("深化基层治理体制改革", lang="zh")))
    by_iri = run(pingshan[engine], "project-measures", project=f"<{project}>")
    assert by_iri.rows and [r[:-1] for r in by_iri.rows] == [r[:-1] for r in by_label.rows]


def test_a_labelled_literal_binds_like_plain_text(pingshan):
    plain = run(pingshan["rdflib"], "projects-by-leader", leader="吕玉印").rows
    tagged = pingshan["rdflib"].run(QUERIES["projects-by-leader"], {"leader": Literal("吕玉印", lang="zh")}).rows
    assert [r[:-1] for r in plain] == [r[:-1] for r in tagged]


@pytest.mark.parametrize(
    "bindings, words",
    [
        ({}, "needs a value for parameter 'leader'"),
        ({"leader": "a", "who": "b"}, "no parameter 'who'"),
        ({"leader": "<not an iri>"}, "is not an IRI"),
    ],
)
def test_bad_bindings_are_query_errors_naming_the_parameter(pingshan, bindings, words):
    with pytest.raises(QueryError, match=re.escape(words)):
        pingshan["oxigraph"].run(QUERIES["projects-by-leader"], bindings)


# --- reading query files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("# description: d\nSELECT * WHERE { ?s ?p ?o }\n", 1, "no '# title:'"),
        ("# title: t\n# descripton: d\nSELECT * WHERE { ?s ?p ?o }\n", 2, "unknown header field 'descripton'"),
        ("# title: t\n# description: d\n# param: ?x a thing\nSELECT * WHERE { ?s ?p ?o }\n", 3, "?x is declared but"),
        ("# title: t\n# description: d\nSELECT * WHERE {\n  ?s ?p $x }\n", 4, "$x is used but not declared"),
        ("# title: t\n# description: d\n# param: ?x a\n# param: ?x b\nSELECT $x WHERE { ?s ?p $x }\n", 4, "declared twice"),
        ("# title: t\n# description: d\n# param: x\nSELECT * WHERE { ?s ?p ?o }\n", 3, "wants '?name meaning'"),
        ("# title: t\n# description: d\nPREFIX ex: <http://ex/#>\nDROP ALL\n", 4, "updates are not run"),
    ],
)
def test_header_errors_name_the_file_and_line(tmp_path, text, line, words):
    (tmp_path / "bad.rq").write_text(text, encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        discover_queries(tmp_path)
    assert f"bad.rq:{line}:" in str(caught.value) and words in str(caught.value)


def test_header_continuation_lines_and_forms(tmp_path):
    (tmp_path / "q.rq").write_text("# title: Two\n#   lines\n# description: d\n# param: ?x the\n#    thing\nASK { ?s ?p $x }\n", encoding="utf-8")
    query = discover_queries(tmp_path)["q"]
    assert (query.title, query.params, query.form) == ("Two lines", (("x", "the thing"),), "ASK")


def test_load_query_by_name_or_file(tmp_path):
    assert load_query("responsibility-matrix") == QUERIES["responsibility-matrix"]
    adhoc = tmp_path / "mine.rq"
    adhoc.write_text("SELECT ?s WHERE { ?s a ?t } LIMIT 1\n", encoding="utf-8")
    query = load_query(str(adhoc))
    assert isinstance(query, NamedQuery) and (query.name, query.title, query.params, query.form) == ("mine", "mine", (), "SELECT")
    with pytest.raises(QueryError, match="unknown query"):
        load_query("no-such-query")
    with pytest.raises(UsageError):
        load_query(str(tmp_path / "missing.rq"))


def test_unknown_engine_and_missing_graph_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="unknown engine"):
        open_engine(PINGSHAN, "virtuoso")
    with pytest.raises(UsageError, match="no such graph file"):
        open_engine(tmp_path / "none.ttl")


# --- formats -------------------------------------------------------------------------------------


def test_json_is_sparql_results_json(pingshan):
    result = run(pingshan["oxigraph"], "responsibility-matrix")
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == list(result.variables)
    first = document["results"]["bindings"][0]
    assert first["ordinal"] == {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["leadPerson"] == {"type": "literal", "value": "吕玉印"} and "group" not in first  # unbound: left out
    evidence = json.loads(format_result(run(pingshan["oxigraph"], "evidence-for-relation"), "json"))
    assert evidence["results"]["bindings"][0]["relation"]["type"] == "uri"
    assert json.loads(format_result(run(pingshan["oxigraph"], "unevidenced-relations"), "json")) == {"head": {}, "boolean": False}


def test_csv_and_tsv(pingshan):
    result = run(pingshan["oxigraph"], "responsibility-matrix")
    data = format_result(result, "csv").decode("utf-8")
    assert data.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows[0] == list(result.variables) and len(rows) == 26 and rows[0][-3:] == ["problems", "quote", "iri"]
    assert rows[1][:6] == ["pingshan-2017-reform-plan.txt", "1", "深化基层治理体制改革", "区主要领导牵头改革项目", "区委书记", "吕玉印"]
    lines = format_result(run(pingshan["oxigraph"], "evidence-for-relation"), "tsv").decode("utf-8").splitlines()
    assert lines[0].split("\t")[:3] == ["?relation", "?quote", "?start"]
    cells = lines[1].split("\t")
    assert len(cells) == 8 and cells[0] == f"<{RKG.leadPerson}>" and cells[1].startswith('"') and cells[2].isdigit()


def test_plain_values_for_a_spreadsheet(pingshan):
    """`--format plain`: tab-separated text without SPARQL's quotes, tags and brackets, no tab or
    line break inside a cell, and no cell a spreadsheet would take for a formula."""
    lines = format_result(run(pingshan["oxigraph"], "evidence-for-relation"), "plain").decode("utf-8").splitlines()
    assert lines[0].split("\t")[:3] == ["relation", "quote", "start"]
    cells = lines[1].split("\t")
    assert len(cells) == 8 and cells[0] == str(RKG.leadPerson) and not cells[1].startswith('"') and cells[2].isdigit()
    crafted = QueryResult("SELECT", ("x", "y"), ((Literal("=HYPERLINK(1)"), Literal("甲\t乙\n丙", lang="zh")),), None, None)
    assert format_result(crafted, "plain").decode("utf-8") == "x\ty\n'=HYPERLINK(1)\t甲 乙 丙\n"


def test_xml_is_sparql_results_xml(pingshan):
    result = run(pingshan["oxigraph"], "responsibility-matrix")
    root = ET.fromstring(format_result(result, "xml"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == list(result.variables)
    results = root.findall("s:results/s:result", ns)
    assert len(results) == 25
    person = results[0].find("s:binding[@name='leadPerson']/s:literal", ns)
    assert person.text == "吕玉印"
    boolean = ET.fromstring(format_result(run(pingshan["oxigraph"], "unevidenced-relations"), "xml"))
    assert boolean.find("s:boolean", ns).text == "false"


def test_table_aligns_columns_by_display_width(pingshan):
    result = run(pingshan["oxigraph"], "responsibility-matrix")
    lines = format_result(result, "table").decode("utf-8").splitlines()
    assert len(lines) == 2 + len(result.rows) and set(lines[1]) <= {"-", " "}
    starts = [display_width(lines[0][: m.start()]) for m in re.finditer(r"\S+", lines[0])]
    for line, row in zip(lines[2:], result.rows):
        position = 0
        for column, term in enumerate(row):
            if term is None:
                continue
            position = line.index(str(term), position)
            assert display_width(line[:position]) == starts[column], (line, str(term))
            position += len(str(term))
    assert display_width("吕玉印") == 6 and display_width("ab") == 2


def test_graph_formats(pingshan):
    result = run(pingshan["oxigraph"], "project-subgraph")
    turtle = format_result(result, "turtle")
    assert len(Graph().parse(data=turtle, format="turtle")) == len(result.graph)
    jsonld = format_result(result, "json-ld")
    assert len(Graph().parse(data=jsonld, format="json-ld")) == len(result.graph)
    assert format_result(run(pingshan["rdflib"], "project-subgraph"), "json-ld") == jsonld  # deterministic
    with pytest.raises(UsageError, match="cannot be written as table"):
        format_result(result, "table")
    with pytest.raises(UsageError, match="cannot be written as turtle"):
        format_result(run(pingshan["oxigraph"], "deadlines"), "turtle")
    assert set(FORMATS) == {"table", "csv", "tsv", "plain", "json", "xml", "turtle", "json-ld"}


# --- kg query, as a process ------------------------------------------------------------------------


def kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", "query", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_cli_lists_and_runs_queries():
    listing = kg("--list")
    assert listing.returncode == 0
    for name, query in QUERIES.items():
        assert re.search(rf"^{re.escape(name)}\s+{re.escape(query.title)}$", listing.stdout, re.M)
    assert "--param leader=" in listing.stdout
    proc = kg("projects-by-leader", "--param", "leader=吕玉印", "--graph", str(PINGSHAN), "--format", "csv", "--engine", "rdflib")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.splitlines()[1] == "pingshan-2017-reform-plan.txt,1,深化基层治理体制改革,吕玉印,leadPerson,吕玉印"


def test_cli_errors_are_one_line_and_exit_2(tmp_path):
    missing = kg("responsibility-matrix", cwd=tmp_path)
    assert missing.returncode == 2 and "kg build" in missing.stderr and "Traceback" not in missing.stderr
    unknown = kg("projects-by-leader", "--param", "who=x", "--graph", str(PINGSHAN))
    assert unknown.returncode == 2 and "'who'" in unknown.stderr and "Traceback" not in unknown.stderr
    wrong = kg("project-subgraph", "--param", "project=x", "--graph", str(PINGSHAN), "--format", "csv")
    assert wrong.returncode == 2 and "turtle, json-ld" in wrong.stderr


def test_docs_query_examples_run(capsys):
    """Every `kg query` command of the README and docs/ runs (on the Pingshan graph, whatever graph
    it names), and prints what the docs show it printing."""
    from kg.cli import main
    from test_docs import assert_shows, doc_commands

    examples = doc_commands("kg", "query")
    assert len(examples) >= 6 and any(c.page == "README.md" and c.shows for c in examples)
    for command in examples:
        words = list(command.words[2:])
        if "--graph" in words:
            del words[words.index("--graph") : words.index("--graph") + 2]
        capsys.readouterr()
        assert main(["query", *words, *([] if "--list" in words else ["--graph", str(PINGSHAN)])]) == 0, command
        assert_shows(command.shows, capsys.readouterr().out, command)


def test_values_query_binds_every_group_and_stays_a_literal():
    """For endpoints, which take text: the value is one rdflib-written literal in a VALUES block
    at each WHERE group, and the text still parses (the injection string stays a literal)."""
    from rdflib.plugins.sparql import prepareQuery

    from kg.query import bind_parameters, values_query

    query = QUERIES["projects-at-level"]
    text = values_query(query, bind_parameters(query, {"level": 'x" } ; DROP ALL ; { "'}))
    assert text.count('VALUES (?level) { ("x\\" } ; DROP ALL ; { \\"") }') == text.upper().count("WHERE {") >= 2
    prepareQuery(text)


def test_every_parameter_gives_an_example():
    """The benchmarks run each query with the examples its header gives ("e.g. …")."""
    from kg.query import example_bindings

    assert example_bindings(QUERIES["projects-by-leader"]) == {"leader": "吕玉印"}
    assert all(example_bindings(q) for q in QUERIES.values() if q.params)
    assert example_bindings(QUERIES["responsibility-matrix"]) == {}


# Literals whose text rdflib writes in a form of its own ("01"^^xsd:integer is "1"), and others.
ODD_LITERALS = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/s> <https://example.org/p> "01"^^xsd:integer, "-0"^^xsd:integer, "+7"^^xsd:integer, "42"^^xsd:integer,
    "1"^^xsd:boolean, "true"^^xsd:boolean, "1e0"^^xsd:double, "1.50"^^xsd:decimal, "01.5"^^xsd:decimal,
    "2025-12-31"^^xsd:date, "2025-02-30"^^xsd:date, "2025-12-31Z"^^xsd:date, "2025"^^xsd:gYear, "abc"^^xsd:integer,
    "x"^^<https://example.org/type>, "text", "文字"@zh-hans, "a\\tb\\nc"@EN-gb, "=1+1", _:b1, <https://example.org/o> .
"""


@pytest.mark.parametrize("query", ["SELECT ?o WHERE { ?s ?p ?o } ORDER BY STR(?o)", "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ORDER BY STR(?o)"])
def test_oxigraph_results_are_written_as_from_rdflib_terms(tmp_path, query):
    """Oxigraph's results are written from Cells, without rdflib: the same bytes in every format
    as from the rdflib terms of the same rows (the way they were written before), odd literals too."""
    path = tmp_path / "odd.ttl"
    path.write_text(ODD_LITERALS, encoding="utf-8")
    result = open_engine(path, "oxigraph").run(query)
    from_terms = QueryResult(result.form, result.variables, result.rows)
    assert len(result.rows) >= 19
    for name, (_, forms) in FORMATS.items():
        if "SELECT" in forms:
            assert format_result(result, name) == format_result(from_terms, name), name
    assert from_terms.cells == result.cells
    assert Literal("01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")) in {row[0] for row in result.rows}


def test_kg_query_imports_neither_rdflib_nor_the_build_libraries(tmp_path):
    """`kg query` on Oxigraph loads only what it runs: not jieba, networkx, pyvis, rdflib or the
    exports, which took most of its start-up before (benchmarks/query_startup.py measures it)."""
    heavy = ("rdflib", "jieba", "networkx", "pyvis", "kg.export", "kg.render")
    wrapper = "import runpy, sys; sys.argv = ['kg', *sys.argv[1:]]\ntry:\n    runpy.run_module('kg', run_name='__main__')\nexcept SystemExit as exit:\n    print(sorted(m for m in sys.modules if m in %r), exit.code, file=sys.stderr)\n" % (heavy,)
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "graph.trig").write_bytes(PINGSHAN.read_bytes())  # Turtle is TriG
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["person-workload"], ["projects-by-leader", "--param", "leader=吕玉印", "--format", "json"], ["--list"]):
        proc = subprocess.run([sys.executable, "-c", wrapper, "query", *args], capture_output=True, text=True, cwd=tmp_path, env=env)
        assert proc.stderr.splitlines()[-1] == "[] 0", (args, proc.stderr)
        assert proc.stdout
    turtle = subprocess.run([sys.executable, "-c", wrapper, "query", "project-subgraph", "--param", "project=深化基层治理体制改革"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert turtle.stderr.splitlines()[-1] == "['rdflib'] 0" and "@prefix rkg:" in turtle.stdout  # a graph is written by rdflib

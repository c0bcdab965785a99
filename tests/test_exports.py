"""The RDF exports, the dataset description, the ontology page and the inference rules, on the
default build: each export parses back to the Turtle graph, and each says what it should."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, VOID

from kg.cli import main
from kg.ids import digest
from kg.pipeline import DEFAULT_INPUT

ROOT = Path(__file__).resolve().parents[1]
RKG = Namespace("https://w3id.org/reform-kg/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ONTOLOGY_GRAPH = "https://w3id.org/reform-kg/ontology"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    assert main(["build", "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def turtle(out) -> Graph:
    return Graph().parse(out / "graph.ttl")


def labelled(graph: Graph, label: str, cls) -> URIRef:
    (node,) = [s for s in graph.subjects(RDFS.label, Literal(label, lang="zh")) if (s, RDF.type, cls) in graph]
    return node


def test_the_build_writes_every_export(out):
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and "views" not in p.parts}
    assert names >= {
        "graph.ttl", "graph.nt", "graph.nq", "graph.trig", "graph.jsonld", "context.jsonld", "graph.rdf",
        "graph.graphml", "graph.gexf", "neo4j/nodes.csv", "neo4j/relationships.csv", "void.ttl", "ontology.html",
    }  # fmt: skip


@pytest.mark.parametrize("name, fmt", [("graph.nt", "nt"), ("graph.jsonld", "json-ld"), ("graph.rdf", "xml")])
def test_each_graph_export_parses_back_to_the_turtle_graph(out, turtle, name, fmt):
    assert isomorphic(Graph().parse(out / name, format=fmt), turtle)


@pytest.mark.parametrize("name, fmt", [("graph.trig", "trig"), ("graph.nq", "nquads")])
def test_the_dataset_exports_hold_a_graph_per_document_the_inferred_graph_and_the_ontology(out, turtle, name, fmt):
    dataset = Dataset()
    dataset.parse(out / name, format=fmt)
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    # The document's graph is named for where the document is (data/…), not for its bytes.
    document_graph = f"https://w3id.org/reform-kg/id/graph/{digest('document', 'data/pingshan-2017-reform-plan.txt')}"
    assert set(graphs) == {document_graph, "https://w3id.org/reform-kg/id/graph/inferred", ONTOLOGY_GRAPH}
    data = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if str(g) != ONTOLOGY_GRAPH:
            data.add((s, p, o))
    assert isomorphic(data, turtle)
    # The ontology has no blank nodes, so the graph is the ontology itself: no skolem IRIs that an
    # OWL tool would read as classes, and a store sent it twice keeps one copy.
    assert not any(isinstance(t, BNode) or "/.well-known/genid/" in str(t) for triple in graphs[ONTOLOGY_GRAPH] for t in triple)
    assert isomorphic(graphs[ONTOLOGY_GRAPH], Graph().parse(ROOT / "ontology.ttl"))


def test_a_quote_is_stated_once_and_its_web_annotation_form_is_inferred(out):
    """The document's graph states each span in the contract's terms only (rkg:quote, rkg:start,
    rkg:end); the inferred graph holds the same span as oa:exact, oa:start and oa:end."""
    oa = Namespace("http://www.w3.org/ns/oa#")
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    inferred = graphs.pop("https://w3id.org/reform-kg/id/graph/inferred")
    graphs.pop(ONTOLOGY_GRAPH)
    (document,) = graphs.values()
    spans = list(document.subject_objects(RKG.quote))
    assert spans and not list(document.triples((None, oa.exact, None))) and not list(document.triples((None, oa.start, None)))
    for evidence, quote in spans:
        assert inferred.value(evidence, oa.exact) == quote
        assert inferred.value(evidence, oa.start) == document.value(evidence, RKG.start)
        assert not list(inferred.triples((evidence, RKG.quote, None)))


def test_jsonld_is_compact_under_the_published_context_and_expands_with_pyld(out, turtle):
    from pyld import jsonld

    document = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    assert context["@context"]["leadPerson"] == {"@id": "rkg:leadPerson", "@type": "@id"}
    assert context["@context"]["ordinal"] == {"@id": "rkg:ordinal", "@type": "xsd:integer"}
    project = str(labelled(turtle, "深化基层治理体制改革", RKG.ReformProject))
    person = str(labelled(turtle, "吕玉印", RKG.Person))
    (node,) = [n for n in document["@graph"] if n["@id"] == project]
    assert node["leadPerson"] == person and node["ordinal"] == "1"  # typed xsd:integer by the context
    expanded = jsonld.expand(document)
    (same,) = [n for n in expanded if n["@id"] == project]
    assert same[str(RKG.leadPerson)] == [{"@id": person}]
    assert {"@value": "深化基层治理体制改革", "@language": "zh"} in same[str(RDFS.label)]


def test_tiers_levels_and_problems_are_in_their_concept_schemes(turtle):
    from rdflib.namespace import SKOS

    ontology = Graph().parse(ROOT / "ontology.ttl")
    for cls, scheme in ((RKG.ProjectTier, RKG.ProjectTiers), (RKG.GovernanceLevel, RKG.GovernanceLevels), (RKG.TargetProblem, RKG.TargetProblems)):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
        concepts = set(turtle.subjects(RDF.type, cls))
        assert concepts and all((c, SKOS.inScheme, scheme) in turtle for c in concepts), cls
    (level,) = [c for c in turtle.subjects(RDF.type, RKG.GovernanceLevel) if (c, SKOS.prefLabel, Literal("社区", lang="zh")) in turtle]
    assert (level, SKOS.inScheme, RKG.GovernanceLevels) in turtle


def test_void_describes_the_dataset(out, turtle):
    # Absolute IRIs only: a strict parser, given no base, reads it (pyoxigraph refused "<graph.ttl>").
    import pyoxigraph

    pyoxigraph.Store().load(path=str(out / "void.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    void = Graph().parse(out / "void.ttl")
    (dataset,) = void.subjects(RDF.type, DCAT.Dataset)  # the named graphs are void:Datasets too, as subsets
    assert void.value(dataset, VOID.triples).toPython() == len(turtle)
    assert void.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert Literal("改革责任知识图谱", lang="zh") in set(void.objects(dataset, DCTERMS.title))
    key = digest("document", "data/pingshan-2017-reform-plan.txt")  # where the document is
    assert (dataset, DCTERMS.source, URIRef(f"https://w3id.org/reform-kg/id/document/{key}")) in void
    classes = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython() for p in void.objects(dataset, VOID.classPartition)}
    assert classes[RKG.ReformProject] == 25 and classes[RKG.Person] == 2 and classes[FOAF.Person] == 2
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython() for p in void.objects(dataset, VOID.propertyPartition)}
    assert properties[RKG.leadPerson] == 2 and properties[RKG.leads] == 2
    assert void.value(dataset, VOID.uriSpace) == Literal("https://w3id.org/reform-kg/id/")
    assert all(str(d).startswith(f"{dataset}/") for d in void.objects(dataset, VOID.dataDump))
    dumps = {Path(str(d)).name for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == {"graph.ttl", "graph.nt", "graph.nq", "graph.trig", "graph.jsonld", "graph.rdf"}
    media = {Path(str(d)).name: str(void.value(d, DCAT.mediaType)) for d in void.objects(dataset, DCAT.distribution)}
    assert media["graph.ttl"] == "text/turtle" and media["graph.nq"] == "application/n-quads" and media["ontology.html"] == "text/html"
    assert void.value(URIRef("https://w3id.org/reform-kg"), URIRef("https://schema.org/softwareVersion")) is not None
    assert {str(s) for s in void.objects(dataset, VOID.subset)} == {f"https://w3id.org/reform-kg/id/graph/{key}", "https://w3id.org/reform-kg/id/graph/inferred"}


def test_the_ontology_page_lists_every_term_with_its_labels(out):
    html = (out / "ontology.html").read_text(encoding="utf-8")
    ontology = Graph().parse(ROOT / "ontology.ttl")
    namespace = str(RKG)
    terms = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty) for s in ontology.subjects(RDF.type, t) if str(s).startswith(namespace)}
    assert len(terms) > 50
    for term in terms:
        name = str(term)[len(namespace) :]
        assert f'<tr id="{name}">' in html and f"<code>rkg:{name}</code>" in html
        for label in ontology.objects(term, RDFS.label):
            assert str(label) in html, (name, label)
    assert "<td>foaf:Person, rkg:NamedEntity, schema:Person</td>" in html  # the alignments and the superclass
    assert "<td>rkg:DocumentPart</td><td>rkg:SourceDocument</td>" in html  # inDocument's domain and range
    assert 'href="views/assets/views.css"' in html
    assert '<a href="../ontology.html">' in (out / "views" / "index.html").read_text(encoding="utf-8")
    # Its prefixes are those the ontology uses, not every one rdflib binds by default.
    prefixes = html[html.index('<table id="kg-prefixes">') :].split("</table>")[0]
    assert "skos:" in prefixes and "prov:" in prefixes and "rkg:" in prefixes
    assert not any(unused in html for unused in ("brick:", "csvw:", "odrl:", "doap:"))


def test_no_page_refers_to_an_address_off_the_machine(out):
    """The pages work offline: no src or href to http(s), not even a link (the licence is named as text)."""
    pages = [out / "ontology.html", *sorted((out / "views").rglob("*.html"))]
    assert len(pages) > 30
    for page in pages:
        assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', page.read_text(encoding="utf-8")), page
    assert "<code>https://creativecommons.org/licenses/by/4.0/</code>" in (out / "ontology.html").read_text(encoding="utf-8")


# --- inference by SPARQL rules --------------------------------------------------------------------


def test_rules_entail_aligned_types_relations_and_inverses_with_evidence(turtle):
    person = labelled(turtle, "吕玉印", RKG.Person)
    project = labelled(turtle, "深化基层治理体制改革", RKG.ReformProject)
    post = labelled(turtle, "区委书记", RKG.Post)
    assert (person, RDF.type, FOAF.Person) in turtle and (person, RDF.type, URIRef("https://schema.org/Person")) in turtle
    assert (person, ORG.holds, post) in turtle
    assert (person, RKG.leads, project) in turtle and (post, RKG.heldBy, person) in turtle
    (statement,) = [st for st in turtle.subjects(RDF.predicate, RKG.leads) if turtle.value(st, RDF.subject) == person and turtle.value(st, RDF.object) == project]
    assert turtle.value(statement, RKG.inferredBy) == URIRef("https://w3id.org/reform-kg/id/rule/inverse-relations")
    premise = turtle.value(statement, PROV.wasDerivedFrom)
    assert turtle.value(premise, RDF.predicate) == RKG.leadPerson
    quotes = {str(turtle.value(e, RKG.quote)) for e in turtle.objects(statement, RKG.evidence)}
    assert any("区委书记吕玉印亲自牵头深化基层治理体制改革项目" in q for q in quotes)
    rules = {str(turtle.value(r, RDFS.label)) for r in turtle.subjects(RDF.type, RKG.InferenceRule)}
    assert {"class-alignment", "property-alignment", "inverse-relations", "tier-from-group"} <= rules


def test_rules_keep_to_the_aligned_vocabularies(tmp_path):
    """rkg:deadlineDate is under rkg:deadline: entailing it would give each project two deadlines."""
    assert main(["build", str(ROOT / "tests" / "corpus" / "02-huoshan-devzone-2025-key-tasks.txt"), "--out", str(tmp_path), "-q"]) == 0
    graph = Graph().parse(tmp_path / "graph.ttl")
    dated = list(graph.subject_objects(RKG.deadlineDate))
    assert dated
    for project, date in dated:
        assert (project, RKG.deadline, date) not in graph
        assert all(isinstance(d, Literal) and d.datatype is None for d in graph.objects(project, RKG.deadline))


def test_a_rule_that_is_not_a_construct_is_refused(tmp_path):
    from kg.errors import RuleFileError
    from kg.infer import load_rules

    (tmp_path / "bad.rq").write_text("# title: Bad\n# description: Not a CONSTRUCT.\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(tmp_path)
    assert "bad.rq" in str(error.value) and "CONSTRUCT" in str(error.value)


# --- kg export and kg validate --------------------------------------------------------------------


def test_kg_export_writes_one_format_to_a_file_a_folder_or_stdout(out, tmp_path, turtle):
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "--format", "jsonld", "--graph", str(out / "graph.trig"), "--out", "-"], capture_output=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith(b"{")
    assert isomorphic(Graph().parse(data=proc.stdout, format="json-ld"), turtle)
    assert main(["export", "--format", "neo4j", "--graph", str(out / "graph.trig"), "--out", str(tmp_path / "neo")]) == 0
    assert sorted(p.name for p in (tmp_path / "neo").iterdir()) == ["nodes.csv", "relationships.csv"]
    assert main(["export", "--format", "rdfxml", "--graph", str(out / "graph.trig"), "--out", str(tmp_path / "g.rdf")]) == 0
    assert (tmp_path / "g.rdf").read_bytes() == (out / "graph.rdf").read_bytes()


def test_kg_export_of_a_missing_graph_or_an_unknown_format_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "--format", "ttl", "--graph", str(tmp_path / "none.trig")], capture_output=True, text=True)
    assert proc.returncode == 2 and "none.trig" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "--format", "pdf"], capture_output=True, text=True)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_kg_validate_passes_on_the_default_build(out):
    proc = subprocess.run([sys.executable, "-m", "kg", "validate", str(out / "graph.ttl")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("conforms")


def _content(text: str):
    return lambda handle: handle.write(text.encode("utf-8"))


def _failing(handle):
    handle.write(b"half")
    raise OSError("disk full")


def test_write_outputs_writes_functions_and_bytes_alike(tmp_path):
    from kg.export import write_outputs

    files = {"a.txt": b"bytes", "b.ttl": _content("streamed"), **{f"views/p{i}.html": _content(f"page {i}") for i in range(450)}}
    written = write_outputs(files, tmp_path, then=lambda: {"report.json": b"{}"})
    assert (tmp_path / "report.json").read_bytes() == b"{}"  # given once the others were written
    assert len(written) == 453 and (tmp_path / "b.ttl").read_text() == "streamed" and (tmp_path / "views/p449.html").read_text() == "page 449"
    assert not [p for p in tmp_path.rglob(".*")]  # no temporary file left


def test_a_file_that_fails_to_write_leaves_the_previous_output_as_it_was(tmp_path):
    from kg.export import write_outputs

    write_outputs({"a.txt": b"old", "views/p.html": b"old page"}, tmp_path)
    files = {"a.txt": b"new", "b.ttl": _failing, **{f"views/p{i}.html": _content("new page") for i in range(300)}}
    with pytest.raises(OSError, match="disk full"):
        write_outputs(files, tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"old" and (tmp_path / "views/p.html").read_bytes() == b"old page"
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt", "views/p.html"]



def _staged_elsewhere(out_dir, names, fail=False):
    """What kg.export.stage_apart hands write_outputs: files staged beside their targets."""
    from kg.export import _stage

    def wait():
        if fail:
            raise OSError("disk full elsewhere")
        return [_stage(b"staged elsewhere", out_dir / name) for name in names]

    return wait


def test_write_outputs_moves_in_what_another_process_staged(tmp_path):
    from kg.export import write_outputs

    written = write_outputs({"a.txt": b"here"}, tmp_path, elsewhere=_staged_elsewhere(tmp_path, ["graph.ttl"]))
    assert sorted(p.name for p in written) == ["a.txt", "graph.ttl"]
    assert (tmp_path / "graph.ttl").read_bytes() == b"staged elsewhere"
    assert not [p for p in tmp_path.rglob(".*")]


@pytest.mark.parametrize("where", ["here", "elsewhere"])
def test_a_failure_here_or_elsewhere_leaves_the_previous_output_as_it_was(tmp_path, where):
    from kg.export import write_outputs

    write_outputs({"a.txt": b"old"}, tmp_path)
    files = {"a.txt": b"new", "b.ttl": _failing if where == "here" else _content("streamed")}
    with pytest.raises(OSError, match="disk full"):
        write_outputs(files, tmp_path, elsewhere=_staged_elsewhere(tmp_path, ["graph.nt"], fail=where == "elsewhere"))
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_bytes() == b"old"


def test_stage_apart_writes_the_graph_files_from_the_lines_alone(tmp_path):
    """What the build's other process gets (kg.export.stage_apart): the runs and where the union
    is, all by file path; it writes what the source itself writes."""
    from kg.export import EXPORTERS, content_bytes, export_files, stage_apart
    from kg.pipeline import build_corpus
    from kg.runs import Spool

    with Spool(str(tmp_path)) as spool:
        _, source = build_corpus([DEFAULT_INPUT], spool, jobs=1)
        apart = [name for name, exporter in EXPORTERS.items() if exporter.apart]
        runs, union = pickle.loads(pickle.dumps(source.lines_only()))  # as a process started apart gets them
        staged = stage_apart(runs, union, apart, tmp_path / "out")
        expected = {name: content_bytes(data) for name, data in export_files(source, apart).items()}
        assert sorted(target.name for _, target in staged) == sorted(expected) and "graph.trig" in expected
        assert all(Path(tmp).read_bytes() == expected[target.name] for tmp, target in staged)


def test_a_build_whose_helpers_are_forked_apart_writes_the_same_files(out, tmp_path, monkeypatch):
    """Above HELPERS_APART_ABOVE triples, validation and the graph files run in processes forked
    from the forkserver, which share nothing with the build: the same files come out."""
    from kg import cli

    monkeypatch.setattr(cli, "HELPERS_APART_ABOVE", 0)
    assert main(["build", "--out", str(tmp_path), "-q"]) == 0
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) and Path("graph.trig") in written
    assert all((tmp_path / name).read_bytes() == (out / name).read_bytes() for name in written)

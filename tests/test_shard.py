"""A corpus built a document at a time (kg.shard) gives the graph, the projection and the ledger
that building it whole gives; the sorted-line merge and the streaming writers it rests on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg import runs as runs_module
from kg import shard as shard_module
from kg.export import EXPORTERS, ExportSource, content_bytes
from kg.exportsource import count_lines
from kg.pipeline import build_corpus, build_graph
from kg.runs import Spool, join_sorted, merge_lines, open_run, read_run, with_graph
from kg.vocab import RKG
from kg.writers import Prefixes, parse_term, write_jsonld, write_rdfxml, write_trig, write_turtle

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
PINGSHAN = ROOT / "data" / "pingshan-2017-reform-plan.txt"
EX = Namespace("http://example.org/")
# Traditional documents among them: their literals are tagged zh-Hant, which must keep its case.
DOCUMENTS = [PINGSHAN, *sorted(p for p in CORPUS.glob("*.txt") if p.name != PINGSHAN.name)]


@pytest.fixture(scope="module")
def both(toolkit, tmp_path_factory):
    """The corpus built whole (rdflib) and by shards, with the shards' spool open."""
    whole = ExportSource(build_graph(DOCUMENTS, toolkit, jobs=1).dataset)
    spool = Spool(str(tmp_path_factory.mktemp("spool")))
    result, sharded = build_corpus(DOCUMENTS, spool, toolkit, jobs=1)
    yield whole, sharded, result
    spool.close()


@pytest.mark.parametrize("name", ["nt", "nq", "jsonld", "void", "ledger-csv", "graphml", "gexf"])
def test_a_corpus_built_by_shards_writes_the_same_bytes_as_built_whole(both, name):
    whole, sharded, _ = both
    assert content_bytes(EXPORTERS[name].write(sharded)) == content_bytes(EXPORTERS[name].write(whole))


def test_the_merged_projection_is_the_projection_of_the_union(both):
    whole, sharded, _ = both
    assert list(sharded.network.nodes(data=True)) == list(whole.network.nodes(data=True))
    assert list(sharded.network.edges(keys=True, data=True)) == list(whole.network.edges(keys=True, data=True))
    # Merged for real: the district's 区委书记 leads projects of one document, and the level 区
    # is shared by several documents.
    district = [n for n, d in sharded.network.nodes(data=True) if d["cls"] == "GovernanceLevel" and d["label"] == "区"]
    assert len(district) == 1 and len(sharded.network.nodes[district[0]]["documents"]) >= 2


def test_the_counts_of_the_merged_lines_are_the_union_graphs(both):
    whole, sharded, result = both
    graph = whole.graph
    stats = sharded.stats
    assert stats.triples == len(graph) > 15000
    assert stats.subjects == len(set(graph.subjects()))
    assert stats.classes[str(RDF.Statement)] == len(set(graph.subjects(RDF.type, RDF.Statement)))
    assert stats.properties[str(RDFS.label)] == len(list(graph.triples((None, RDFS.label, None))))
    assert len(stats.graphs) == len(result.documents) + 1  # a graph per document, and the inferred one


def test_the_traditional_documents_keep_the_case_of_their_language_tag_in_every_format(both, tmp_path):
    _, sharded, _ = both
    label = Literal("03-xianyang-2022-fangguanfu-keypoints-trad.txt", lang="zh-Hant")
    for name, fmt in [("ttl", "turtle"), ("rdfxml", "xml"), ("jsonld", "json-ld"), ("nt", "nt")]:
        graph = Graph().parse(data=content_bytes(EXPORTERS[name].write(sharded)), format=fmt)
        assert any(o == label and o.language == "zh-Hant" for o in graph.objects(None, RDFS.label)), name


def test_the_streamed_turtle_trig_and_rdfxml_hold_the_union_and_the_named_graphs(both):
    whole, sharded, _ = both
    for name, fmt in [("ttl", "turtle"), ("rdfxml", "xml")]:
        assert isomorphic(Graph().parse(data=content_bytes(EXPORTERS[name].write(sharded)), format=fmt), whole.graph), name
    trig = Dataset()
    trig.parse(data=content_bytes(EXPORTERS["trig"].write(sharded)), format="trig")
    nquads = Dataset()
    nquads.parse(data=content_bytes(EXPORTERS["nq"].write(whole)), format="nquads")
    assert sorted(map(str, trig.quads())) == sorted(map(str, nquads.quads()))


def test_a_shard_that_fails_is_reported_and_the_other_documents_are_built(toolkit, tmp_path, monkeypatch):
    real = shard_module.make_shard

    def broken(resolved, places, validate):
        if resolved.document.name == PINGSHAN.name:
            raise KeyError("boom")
        return real(resolved, places, validate)

    monkeypatch.setattr(shard_module, "make_shard", broken)
    with Spool(str(tmp_path)) as spool:
        result, source = build_corpus([PINGSHAN, CORPUS / "01-luohu-2022-reform-keypoints.txt"], spool, toolkit, jobs=1)
        assert [r.document.name for r in result.documents] == ["01-luohu-2022-reform-keypoints.txt"]
        (failure,) = result.failures
        assert failure.path.endswith(PINGSHAN.name) and "internal error" in failure.message and "KeyError" in failure.message
        assert source.stats.triples > 100


def test_merge_lines_merges_sorted_runs_into_one_sorted_stream_each_line_once(monkeypatch, tmp_path):
    runs = [[b"a\n", b"c\n", b"e\n"], [b"b\n", b"c\n", b"f\n"], [], [b"a\n", b"z\n"]]
    assert list(merge_lines([iter(r) for r in runs])) == [b"a\n", b"b\n", b"c\n", b"e\n", b"f\n", b"z\n"]
    # More runs than are merged at once: merged in rounds through files, the same result.
    monkeypatch.setattr(runs_module, "MERGE_WIDTH", 2)
    assert list(merge_lines([iter(r) for r in runs], str(tmp_path))) == [b"a\n", b"b\n", b"c\n", b"e\n", b"f\n", b"z\n"]


def test_a_spool_gives_back_each_run(tmp_path):
    with Spool(str(tmp_path)) as spool:
        first, empty, second = spool.add(b"x\ny\n"), spool.add(b""), spool.extend(iter([b"p\n", b"q"]))
        assert list(spool.lines(first)) == [b"x\n", b"y\n"]
        assert list(spool.lines(empty)) == []
        assert list(spool.lines(second)) == [b"p\n", b"q"]
        with pytest.raises(ValueError):
            spool.add(b"late\n")  # read already: a run appended now would not be seen
        # Another process reads a run by the file's path; the file goes with the spool, but a run
        # opened before stays readable.
        assert list(read_run(spool.path, second)) == [b"p\n", b"q"]
        opened = open_run(spool.path, first)
    assert not Path(spool.path).exists()
    assert list(opened) == [b"x\n", b"y\n"]


def test_with_graph_turns_sorted_triples_into_sorted_quads():
    lines = join_sorted([b'<http://e/s> <http://e/p> "a" .\n', b'<http://e/s> <http://e/p> "a b" .\n']).splitlines(keepends=True)
    quads = list(with_graph(lines, "http://e/g"))
    assert quads == [b'<http://e/s> <http://e/p> "a b" <http://e/g> .\n', b'<http://e/s> <http://e/p> "a" <http://e/g> .\n']
    assert quads == sorted(quads)


def _graph() -> Graph:
    graph = Graph()
    s, blank = EX["s"], BNode("b1")
    graph.add((s, RDF.type, EX.Thing))
    graph.add((s, RDF.type, EX.Other))
    graph.add((s, RDFS.label, Literal("甲", lang="zh-Hant")))
    graph.add((s, RDFS.label, Literal('引号"与\\斜线\n换行 <b>&amp;', lang="zh")))
    graph.add((s, EX["count"], Literal(5)))
    graph.add((s, EX.when, Literal("2024-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    graph.add((s, EX["with/slash"], EX["o/1"]))
    graph.add((s, URIRef("http://other.org/ns#rel"), blank))
    graph.add((blank, RDFS.label, Literal("plain")))
    return graph


def _lines(graph: Graph) -> list[bytes]:
    return runs_module.sorted_lines(graph).splitlines(keepends=True)


@pytest.mark.parametrize("writer, fmt", [(write_turtle, "turtle"), (write_rdfxml, "xml")])
def test_the_streaming_writers_write_what_rdflib_reads_back_as_the_same_graph(writer, fmt):
    graph, stream = _graph(), io.BytesIO()
    writer(_lines(graph), stream, Prefixes({"ex": str(EX), "rdfs": str(RDFS)}))
    assert isomorphic(Graph().parse(data=stream.getvalue(), format=fmt), graph)
    assert "zh-Hant" in stream.getvalue().decode("utf-8")


def test_the_trig_writer_keeps_each_graph():
    graph, stream = _graph(), io.BytesIO()
    write_trig([("http://example.org/g1", _lines(graph)), ("http://example.org/g2", _lines(graph))], stream, Prefixes({"ex": str(EX)}))
    dataset = Dataset()
    dataset.parse(data=stream.getvalue(), format="trig")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {"http://example.org/g1", "http://example.org/g2"}
    assert all(isomorphic(g, graph) for g in dataset.graphs() if len(g))


def test_the_jsonld_writer_compacts_under_the_context():
    graph, stream = _graph(), io.BytesIO()
    context = {"ex": str(EX), "rdfs": str(RDFS), "xsd": "http://www.w3.org/2001/XMLSchema#", "label": {"@id": "rdfs:label"}, "count": {"@id": "ex:count", "@type": "xsd:integer"}}
    write_jsonld(_lines(graph), stream, context)
    document = json.loads(stream.getvalue())
    node = next(n for n in document["@graph"] if n["@id"] == str(EX["s"]))
    assert node["@type"] == ["ex:Other", "ex:Thing"]
    assert node["count"] == "5"  # the term's type: the lexical form
    assert {"@language": "zh-Hant", "@value": "甲"} in node["label"]
    assert node["ex:when"] == {"@type": "xsd:date", "@value": "2024-01-02"}
    assert isomorphic(Graph().parse(data=stream.getvalue(), format="json-ld"), graph)


def test_parse_term_unescapes_literals():
    term = parse_term(r'"a\"b\\c\nd\u00e9"@zh-Hant')
    assert (term.kind, term.value, term.language) == ("literal", 'a"b\\c\ndé', "zh-Hant")
    assert parse_term('"5"^^<http://www.w3.org/2001/XMLSchema#integer>').datatype == "http://www.w3.org/2001/XMLSchema#integer"
    with pytest.raises(ValueError):
        parse_term('"unclosed')


def test_count_lines_counts_subjects_classes_and_properties():
    graph = _graph()
    stats = count_lines(_lines(graph), {"http://example.org/g": len(graph)})
    assert (stats.triples, stats.subjects) == (len(graph), 2)
    assert stats.classes == {str(EX.Other): 1, str(EX.Thing): 1}
    assert stats.properties[str(RDFS.label)] == 3
    assert stats.entities == 0  # no rkg: class


def test_the_lazy_export_files_are_the_eager_ones(both):
    from kg.export import export_files

    _, sharded, _ = both
    eager, lazy = export_files(sharded), export_files(sharded, lazy=True)
    assert sorted(eager) == sorted(lazy) and "neo4j/nodes.csv" in lazy
    assert all(content_bytes(lazy[name]) == content_bytes(eager[name]) for name in eager)


class _Marker:
    """A result that can be watched: bytes and tuples cannot be weakly referenced."""


def _marker(number: int) -> _Marker:
    return _Marker()


def test_run_each_lets_go_of_each_result_once_it_is_handed_on():
    """A corpus's shards must not all be held until the last arrives (run_each kept its futures,
    and each future its result: 1.3 GiB for 1,000 documents)."""
    import gc
    import weakref

    from kg.pipeline import open_executor, run_each

    seen = []
    with open_executor(2) as executor:
        for result in run_each(executor, _marker, [(str(i), (i,)) for i in range(6)]):
            assert isinstance(result, _Marker)
            seen.append(weakref.ref(result))
            del result
            gc.collect()
            assert all(ref() is None for ref in seen[:-1])
    assert len(seen) == 6


def test_a_corpus_validated_a_document_at_a_time_finds_what_validating_it_whole_finds(both):
    from kg.exportsource import validate_source
    from kg.validate import validate_graph

    whole, sharded, _ = both
    assert len(sharded.checks.subject_runs) == len(sharded.checks.documents) == len(DOCUMENTS)
    assert validate_source(sharded) == validate_graph(whole.graph)


def test_a_document_s_violations_and_those_only_the_merge_has_are_found_as_in_the_union(toolkit, tmp_path, monkeypatch):
    from kg import rdf, validate
    from kg.exportsource import validate_source
    from kg.validate import ShapeCompiler, load_shapes, load_templates, validate_documents, validate_graph

    # Two copies of a plan, a line apart (not duplicates): the problems they target are one node
    # in both, each with its own evidence. A bound that only the merge breaks: one rkg:evidence
    # a problem (most have one in a copy).
    once = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/reform-kg/ontology#> . "
        "<urn:once> sh:targetClass rkg:TargetProblem ; sh:property [ sh:path rkg:evidence ; sh:maxCount 1 ] .",
        format="turtle",
    )
    monkeypatch.setattr(validate, "compile_shapes", lambda: ShapeCompiler(load_shapes() + once, load_templates()).compile())
    # And a violation of one document's own: a second ordinal on each project of the copy.
    real = rdf.document_triples

    def numbered_twice(resolved, places):
        graph, inferred = real(resolved, places)
        if resolved.document.path.endswith("copy.txt"):
            graph |= {(s, RKG.ordinal, Literal(1000)) for s, p, _ in graph if p == RKG.ordinal}
        return graph, inferred

    monkeypatch.setattr(rdf, "document_triples", numbered_twice)
    text = PINGSHAN.read_text(encoding="utf-8")
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(text + "\n", encoding="utf-8")
    with Spool(str(tmp_path)) as spool:
        result, sharded = build_corpus([tmp_path / "plan.txt", tmp_path / "copy.txt"], spool, toolkit, jobs=1)
        union = Graph().parse(data=b"".join(sharded.triple_lines()), format="nt")
        report = validate_source(sharded)
        each = validate_documents(sharded.checks.path, sharded.checks.documents)
    assert len(result.documents) == 2
    whole = validate_graph(union)
    assert {(v.focus, v.path, v.message) for v in report.violations} == {(v.focus, v.path, v.message) for v in whole.violations}
    assert report.undeclared == whole.undeclared
    # A document's violations name it; those only the merge shows name none.
    only_merged = set(report.violations) - set(each.violations)
    assert only_merged and {v.path for v in only_merged} == {str(RKG.evidence)} and {v.document for v in only_merged} == {""}
    assert {v.focus for v in only_merged} <= {str(s) for s in union.subjects(RDF.type, RKG.TargetProblem)}
    ordinals = [v for v in report.violations if v.path == str(RKG.ordinal)]
    assert {v.focus for v in ordinals} == {str(s) for s in union.subjects(RKG.ordinal, Literal(1000))} and ordinals
    assert {v.document for v in ordinals} == {"copy.txt"}

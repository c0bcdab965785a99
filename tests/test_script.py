"""Traditional-script documents: the length-preserving map, script detection, restoring labels,
and the done-when of issue 3 item 3 — the same document in either script gives the same facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from opencc import OpenCC
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.cli import main
from kg.export import dataset_to_turtle
from kg.vocab import RKG
from kg.load import load_document
from kg.model import Resolved, SourceDocument, Value
from kg.pipeline import build_graph, process_document
from kg.rdf import union_graph
from kg.script import detect_script, load_script_tables, script_restorer, to_simplified

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
PINGSHAN = ROOT / "data" / "pingshan-2017-reform-plan.txt"
TALENT = CORPUS / "04-guangzhou-2012-talent-633-opinions.txt"
# Simplified documents read in both scripts: the plan, the talent opinions, and one of each
# shape test_formats.py reads in every format (field lines, a flattened table, a meeting report).
SIMPLIFIED_SOURCES = [PINGSHAN, TALENT] + [
    CORPUS / name
    for name in (
        "06-lishan-2023-key-work-division.txt",
        "02-huoshan-devzone-2025-key-tasks.txt",
        "13-tongcheng-2017-reform-group-meeting.txt",
    )
]
TRADITIONAL = sorted(CORPUS.glob("*-trad.txt"))
LOCAL_FILES = sorted(CORPUS.glob("*.txt")) + [PINGSHAN]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def expected_script(path: Path) -> str:
    # The corpus names its traditional files "…-trad.txt" (index.tsv's script column agrees).
    return "traditional" if path.name.endswith("-trad.txt") else "simplified"


# --- the map ------------------------------------------------------------------------------


def test_corpus_has_the_three_traditional_files():
    assert [p.name[:3] for p in TRADITIONAL] == ["03-", "15-", "16-"]


@pytest.mark.parametrize("path", TRADITIONAL, ids=lambda p: p.name)
def test_to_simplified_keeps_length_on_traditional_files(path):
    text = read(path)
    simplified = to_simplified(text)
    assert len(simplified) == len(text)
    assert simplified != text
    assert detect_script(simplified) == "simplified"


def _table_characters() -> list[str]:
    tables = load_script_tables()
    return sorted({chr(c) for c in tables.simplified_chars} | {ch for key in tables.simplified_phrases for ch in key})


@given(st.text(alphabet=st.sampled_from(_table_characters() + list("ab 1，。\n"))))
def test_to_simplified_never_changes_length(text):
    assert len(to_simplified(text)) == len(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("區委書記張三", "区委书记张三"),
        ("反覆研究", "反复研究"),  # a phrase: the character table alone keeps 覆
        ("據瞭解", "据了解"),
        ("乾隆年間", "乾隆年间"),  # a phrase that keeps 乾, which alone becomes 干
        ("区委书记", "区委书记"),  # simplified text is left as it is
        ("A-1 (2021)", "A-1 (2021)"),
    ],
)
def test_to_simplified(text, expected):
    assert to_simplified(text) == expected


# --- detection ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", LOCAL_FILES, ids=lambda p: p.name)
def test_detect_script_on_local_files(path):
    assert detect_script(read(path)) == expected_script(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("區委書記張三負責", "traditional"),
        ("区委书记张三负责", "simplified"),
        ("由区委書記负责", "simplified"),  # two traditional characters are not enough
        ("于勇明同志在於家村调研，了解乾隆年间的古建筑保护情况，推进改革", "simplified"),  # 1 in 30
        ("", "simplified"),
        ("no Chinese at all", "simplified"),
    ],
)
def test_detect_script(text, expected):
    assert detect_script(text) == expected


# --- restoring a simplified string to the document's script ---------------------------------


@pytest.mark.parametrize(
    "original, query, expected",
    [
        ("區委書記", "区委书记", "區委書記"),
        # a whole string takes the spelling the document gives it, not the commoner character
        ("製造業改革，制度建設，制度創新", "制造业", "製造業"),
        ("製造業改革，制度建設，制度創新", "制", "制"),
        # not found as a whole (a suffix the rules appended): character by character
        ("黨的建設、經濟等專項小組", "党的建设专项小组", "黨的建設專項小組"),
        # a tie goes to the spelling met first
        ("關于推進於是", "于", "于"),
        ("於是關于推進", "于", "於"),
        # a character the document never uses takes OpenCC's default traditional form
        ("區委", "区长", "區長"),
        ("區委", "28个", "28個"),
        ("區委", "", ""),
    ],
)
def test_script_restorer(original, query, expected):
    assert script_restorer(original, to_simplified(original))(query) == expected


def test_script_restorer_needs_texts_of_one_length():
    with pytest.raises(ValueError):
        script_restorer("區委書記", "区委")


# --- the same document in both scripts ------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _to_traditional(text: str) -> str:
    converted = OpenCC("s2t").convert(text)
    # Offsets are compared one to one, so the conversion must keep the length (it does for
    # these documents; a phrase that did not would need a character-level s2t map here).
    assert len(converted) == len(text)
    return converted


@pytest.fixture(scope="module")
def pairs(toolkit, tmp_path_factory) -> dict[str, tuple[Resolved, Resolved]]:
    """name → (simplified run, traditional run) of one document, each loaded from a file.

    The simplified sources are converted simplified → traditional with OpenCC; the three
    traditional corpus files are converted the other way.
    """
    folder = tmp_path_factory.mktemp("scripts")
    runs = {}
    for source in SIMPLIFIED_SOURCES:
        traditional = _write(folder / f"{source.stem}-trad.txt", _to_traditional(read(source)))
        runs[source.stem] = (source, traditional)
    for source in TRADITIONAL:
        simplified = _write(folder / f"{source.stem}-simp.txt", to_simplified(read(source)))
        runs[source.stem] = (simplified, source)
    result = {}
    for name, (simplified, traditional) in runs.items():
        simp, trad = load_document(simplified), load_document(traditional)
        assert (simp.script, trad.script) == ("simplified", "traditional")
        result[name] = (process_document(simp, toolkit), process_document(trad, toolkit))
    return result


PAIR_NAMES = [p.stem for p in SIMPLIFIED_SOURCES + TRADITIONAL]


def mentions_of(resolved: Resolved) -> set[tuple]:
    return {(m.entity.kind, m.entity.key, m.span.start, m.span.end, m.exact.start, m.exact.end) for m in resolved.mentions}


def figures_of(resolved: Resolved) -> set[tuple]:
    return {
        (to_simplified(f.label), f.value, f.counts, f.scope.key if f.scope else "", f.evidence.start, f.evidence.end, found)
        for f, found in resolved.figures
    }


@pytest.mark.parametrize("name", PAIR_NAMES)
def test_same_facts_in_either_script(pairs, name, facts_of):
    simp, trad = pairs[name]
    assert simp.facts, "the document gives facts, so the comparison says something"
    assert facts_of(trad) == facts_of(simp)
    assert mentions_of(trad) == mentions_of(simp)
    assert figures_of(trad) == figures_of(simp)
    assert [(s.start, s.end) for s in trad.unused] == [(s.start, s.end) for s in simp.unused]
    assert trad.genre == simp.genre


@pytest.mark.parametrize("path", TRADITIONAL, ids=lambda p: p.name)
def test_big5_file_gives_the_facts_of_the_simplified_utf8_text(pairs, toolkit, tmp_path, path, facts_of):
    big5 = tmp_path / path.name
    big5.write_bytes(read(path).encode("big5"))
    document = load_document(big5)
    assert (document.encoding, document.script) == ("big5", "traditional")
    simp, _ = pairs[path.stem]
    assert facts_of(process_document(document, toolkit)) == facts_of(simp)


@pytest.mark.parametrize("name", PAIR_NAMES)
def test_traditional_run_quotes_its_own_text(pairs, name, assert_offsets):
    _, trad = pairs[name]
    spans = [s for m in trad.mentions for s in (m.span, m.exact)]
    spans += [s for f in trad.facts for s in f.evidence] + [f.evidence for f, _ in trad.figures] + list(trad.unused)
    assert_offsets(trad.document.text, spans)


@pytest.mark.parametrize("name", PAIR_NAMES)
def test_traditional_labels_with_simplified_alternatives(pairs, name):
    """Every label is in the document's script; the alternative is the simplified run's label."""
    simp, trad = pairs[name]
    simplified_labels = {(e.kind, e.key): e.label for e in simp.entities}
    assert [(e.kind, e.key) for e in trad.entities] == [(e.kind, e.key) for e in simp.entities]
    for entity in trad.entities:
        simplified = simplified_labels[(entity.kind, entity.key)]
        assert to_simplified(entity.label) == simplified
        assert entity.alt_label == (simplified if entity.label != simplified else "")
    assert all(not e.alt_label for e in simp.entities)


@pytest.mark.parametrize(
    "name, kind, label, alt_label",
    [
        (PINGSHAN.stem, "person", "呂玉印", "吕玉印"),
        (PINGSHAN.stem, "person", "陶永欣", ""),  # no character of the name differs
        (PINGSHAN.stem, "post", "區委書記", "区委书记"),
        (PINGSHAN.stem, "group", "黨的建設制度改革專項小組", "党的建设制度改革专项小组"),  # suffix appended by the rule
        (PINGSHAN.stem, "tier", "區重點改革項目", "区重点改革项目"),
        (PINGSHAN.stem, "level", "街道", ""),
        ("15-xiajin-2020-reform-tackling-trad", "person", "張長臣", "张长臣"),
        ("15-xiajin-2020-reform-tackling-trad", "post", "縣人大常委會主任", "县人大常委会主任"),
    ],
)
def test_specific_traditional_labels(pairs, name, kind, label, alt_label):
    _, trad = pairs[name]
    found = [e for e in trad.entities if e.kind == kind and e.label == label]
    assert found, f"no {kind} labelled {label}"
    assert found[0].alt_label == alt_label


ITEM_WITH_DEADLINE = (
    "改革项目一览表\n"
    "1.深化基层治理体制改革牵头区领导:区委书记吕玉印\n"
    "将理顺区、街道、社区职能,实现扁平化管理、便捷化服务。\n"
    "2.民生诉求渠道流程优化改革牵头区领导:区长陶永欣 完成时限:2018年6月底前启动\n"
    "针对市民与政府的沟通渠道不顺畅等问题,开发建设统一的民生诉求受理监督平台。\n"
)


def test_traditional_deadline_is_written_as_in_the_document(toolkit):
    text = _to_traditional(ITEM_WITH_DEADLINE)
    resolved = process_document(SourceDocument("t", "t.txt", "t.txt", text, script="traditional"), toolkit)
    deadlines = [f.object for f in resolved.facts if f.predicate == "deadline"]
    assert deadlines == [Value("2018年6月底前啓動", language="zh-Hant")]


def test_a_simplified_document_whose_layout_was_reflowed_keeps_its_labels_simplified(toolkit):
    # A cell wrapped a character a line is joined in a copy of the layout; 发改委 expands to a
    # name with characters the document never writes (员, 会): they stay simplified.
    text = "\n".join(["牵头单位", "| 目标任务", "| 责任单位", "|", "市", "发", "改", "委", "| 地区生产总值增长13%", "| 市统计局", "|", "市财政局", "| 财政收入增长", "| 市统计局", "|"])
    resolved = process_document(SourceDocument("s", "s.txt", "s.txt", text), toolkit, "tasks")
    units = {e.label: e.alt_label for e in resolved.entities if e.kind == "organization"}
    assert units.get("市发展和改革委员会") == ""
    assert not any("員" in label or "會" in label for label in units)


# --- end to end through kg build ------------------------------------------------------------


@pytest.fixture(scope="module")
def trad_build(tmp_path_factory) -> tuple[Path, Graph]:
    out = tmp_path_factory.mktemp("trad-out")
    assert main(["build", str(CORPUS / "15-xiajin-2020-reform-tackling-trad.txt"), "--out", str(out)]) == 0
    return out, Graph().parse(out / "graph.ttl", format="turtle")


@pytest.mark.parametrize(
    "label, alt_label",
    [("縣委副書記", "县委副书记"), ("張長臣", "张长臣")],
)
def test_build_labels_traditional_with_simplified_alt_label(trad_build, label, alt_label):
    _, graph = trad_build
    nodes = set(graph.subjects(RDFS.label, Literal(label, lang="zh-Hant")))
    assert len(nodes) == 1
    assert set(graph.objects(nodes.pop(), SKOS.altLabel)) == {Literal(alt_label, lang="zh-Hans")}


def test_build_records_the_documents_script(trad_build):
    _, graph = trad_build
    languages = set(graph.objects(None, DCTERMS.language))
    assert languages == {Literal("zh-Hant", datatype=XSD.language)}
    # Every Chinese label of the traditional document is tagged as traditional; the divisions of
    # the code list keep the list's simplified names, one label a place (docs/places.md).
    places = set(graph.subjects(RDF.type, RKG.Place))
    tags = {o.language for s, o in graph.subject_objects(RDFS.label) if isinstance(o, Literal) and o.language != "en" and s not in places}
    assert tags == {"zh-Hant"}  # "en" labels the inference rules
    assert places and {o.language for p in places for o in graph.objects(p, RDFS.label)} == {"zh"}


def test_build_of_a_traditional_document_is_byte_identical(trad_build, toolkit):
    out, _ = trad_build
    again = build_graph([CORPUS / "15-xiajin-2020-reform-tackling-trad.txt"], toolkit)
    assert dataset_to_turtle(again.dataset) == (out / "graph.ttl").read_bytes()


def test_a_post_is_one_node_in_either_script(tmp_path, toolkit):
    """Keys stay simplified, so 区委书记 of the simplified plan and 區委書記 of its traditional copy are one post."""
    traditional = _write(tmp_path / "pingshan-trad.txt", _to_traditional(read(PINGSHAN)))
    graph = union_graph(build_graph([PINGSHAN, traditional], toolkit).dataset)
    simplified_node = graph.value(predicate=RDFS.label, object=Literal("区委书记", lang="zh"))
    traditional_node = graph.value(predicate=RDFS.label, object=Literal("區委書記", lang="zh-Hant"))
    assert isinstance(simplified_node, URIRef) and simplified_node == traditional_node

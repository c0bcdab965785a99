"""Resolution across documents: where a document is from, and which people, groups and units of
several documents are one node.

Small plans are written here in the house style of the Pingshan plan (a numbered list whose title
lines name the leading official and the lead unit) and run through ``process_document``; the
place detector is also run on real texts in ``tests/corpus/`` (see its README for sources).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal

from kg.ids import document_graph_iri
from kg.model import Entity, Resolved, SourceDocument
from kg.pipeline import build_graph, process_document
from kg.rdf import records_to_dataset, union_graph
from kg.resolve import CITED_TITLE, _find_place_names, _place_name_pattern, _read_place_names, _split_place, assign_places, detect_place, find_tagged_blocks, tag_block
from kg.validate import validate_graph
from kg.vocab import ID, RKG

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def cases(table):
    """A table's rows as pytest params: ``(id, *values)``."""
    return [pytest.param(*row[1:], id=row[0]) for row in table]


def plan(place: str, *items: tuple[str, str, str]) -> str:
    """A reform plan of ``place`` ("" for none): items of (project, leading post and name, lead unit)."""
    lines = [f"{place}2018年改革计划", "改革项目一览表"]
    for n, (project, leader, unit) in enumerate(items, 1):
        lines.append(f"{n}.{project}牵头区领导:{leader};牵头单位:{unit}")
        lines.append(f"针对职责不清等问题,{project}。这是经济体制改革专项小组负责项目。")
    return "\n".join(lines) + "\n"


def meeting(place: str, sentence: str) -> str:
    """A news report of ``place`` whose one sentence names a leader in prose (rule lead-in-prose)."""
    return f"{place}召开改革工作会议\n会议要求,{sentence}\n"


# Items reused below.
GOVERNANCE = ("深化基层治理体制改革", "区委书记张三", "区发展改革局")
RENEWAL = ("推进城市更新体制改革", "区长李四", "区住房建设局")
CULTURE = ("完善公共文化服务体系", "区委书记张三", "区发展改革局")
PARTY = ("创新基层党建工作机制", "区委书记王五", "区发展改革局")


def run(toolkit, *texts: str) -> tuple[list[Resolved], Dataset]:
    """Each text as one document (doc_id d0, d1, …) → the resolved documents and their dataset."""
    documents = [process_document(SourceDocument(f"d{i}", f"d{i}.txt", f"d{i}.txt", t), toolkit, "plan") for i, t in enumerate(texts)]
    return documents, records_to_dataset(documents)


def nodes(dataset, cls, label: str) -> set:
    graph = union_graph(dataset)
    return {s for s in graph.subjects(RDFS.label, Literal(label, lang="zh")) if (s, RDF.type, cls) in graph}


def graphs_with_evidence(dataset, node) -> set:
    """The named graphs in which ``node`` has rkg:evidence."""
    return {g for _, _, _, g in dataset.quads((node, RKG.evidence, None, None))}


# --- same person, group, unit -----------------------------------------------------------------

# (id, documents as (place, items), class, label, how many nodes)
MERGE_CASES = [
    ("same-person-same-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [CULTURE, RENEWAL])], RKG.Person, "张三", 1),
    ("same-name-other-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("罗湖区", [CULTURE, RENEWAL])], RKG.Person, "张三", 2),
    (
        "same-name-same-place-posts-disagree",
        [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [("完善公共文化服务体系", "县教育局局长张三", "区发展改革局"), RENEWAL, PARTY])],
        RKG.Person,
        "张三",
        2,
    ),
    (
        "posts-agree-on-level",  # 区委书记 in one plan, 区长 in the other: one 区 official
        [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [("完善公共文化服务体系", "区长张三", "区发展改革局"), RENEWAL])],
        RKG.Person,
        "张三",
        1,
    ),
    ("no-place-stays-in-document", [("", [GOVERNANCE, RENEWAL]), ("", [CULTURE, RENEWAL])], RKG.Person, "张三", 2),
    ("same-unit-same-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [CULTURE, RENEWAL])], RKG.Organization, "区发展和改革局", 1),
    ("same-unit-other-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("罗湖区", [CULTURE, RENEWAL])], RKG.Organization, "区发展和改革局", 2),
    ("same-group-same-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [CULTURE, RENEWAL])], RKG.SpecialGroup, "经济体制改革专项小组", 1),
    ("same-group-other-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("罗湖区", [CULTURE, RENEWAL])], RKG.SpecialGroup, "经济体制改革专项小组", 2),
    # Projects stay in their documents even where the place is the same.
    ("same-project-same-place", [("坪山区", [GOVERNANCE, RENEWAL]), ("坪山区", [CULTURE, RENEWAL])], RKG.ReformProject, "推进城市更新体制改革", 2),
]


@pytest.mark.parametrize("plans, cls, label, count", cases(MERGE_CASES))
def test_entities_across_documents(plans, cls, label, count, toolkit):
    documents, dataset = run(toolkit, *(plan(place, *items) for place, items in plans))
    assert [r.place for r in documents] == [place or None for place, _ in plans]  # the places are found, so the rule decides
    assert len(nodes(dataset, cls, label)) == count


def test_one_person_has_evidence_in_each_document_graph(toolkit):
    documents, dataset = run(toolkit, plan("坪山区", GOVERNANCE, RENEWAL), plan("坪山区", CULTURE, RENEWAL))
    (person,) = nodes(dataset, RKG.Person, "张三")
    assert graphs_with_evidence(dataset, person) == {document_graph_iri(r.document) for r in documents}
    graph = union_graph(dataset)
    assert list(graph.objects(person, RDFS.label)) == [Literal("张三", lang="zh")]
    # one person, so the post node has one holder; the two plans' statements stay two
    (post,) = nodes(dataset, RKG.Post, "区委书记")
    assert set(graph.subjects(RKG.holdsPost, post)) == {person}
    statements = set(graph.subjects(RDF.subject, person))
    assert len(statements) == 2
    assert {graph.value(graph.value(s, RKG.evidence), RKG.inDocument) for s in statements} == set(graph.subjects(RDF.type, RKG.SourceDocument))


def test_a_shared_post_does_not_merge_its_holders(toolkit):
    _, dataset = run(
        toolkit,
        plan("坪山区", GOVERNANCE, RENEWAL),
        plan("坪山区", PARTY, RENEWAL),
    )
    (post,) = nodes(dataset, RKG.Post, "区委书记")
    holders = set(union_graph(dataset).subjects(RKG.holdsPost, post))
    assert len(holders) == 2
    assert {str(union_graph(dataset).value(h, RDFS.label)) for h in holders} == {"张三", "王五"}


def test_merged_nodes_validate_and_projects_keep_one_document(toolkit):
    """A node in several named graphs still conforms to shapes.ttl; each project has one rkg:inDocument.

    The second document states 张三 holds 区委书记 by another rule (lead-in-prose): the statement
    is per document, so each carries one rkg:extractedBy.
    """
    _, dataset = run(
        toolkit,
        plan("坪山区", GOVERNANCE, RENEWAL),
        plan("坪山区", CULTURE, RENEWAL),
        meeting("坪山区", "区委书记张三亲自牵头深化基层治理体制改革项目。"),
    )
    graph = union_graph(dataset)
    assert len(nodes(dataset, RKG.Person, "张三")) == 1
    report = validate_graph(graph)
    assert report.conforms, report.violations[:5]
    for project in graph.subjects(RDF.type, RKG.ReformProject):
        assert len(list(graph.objects(project, RKG.inDocument))) == 1


def test_documents_record_their_place(toolkit):
    documents, dataset = run(toolkit, plan("坪山区", GOVERNANCE, RENEWAL), plan("", CULTURE, RENEWAL))
    assert [r.place for r in documents] == ["坪山区", None]
    graph = union_graph(dataset)
    places = {doc: graph.value(doc, RKG.place) for doc in graph.subjects(RDF.type, RKG.SourceDocument)}
    assert sorted(map(str, filter(None, places.values()))) == ["坪山区"]
    assert sum(1 for p in places.values() if p is None) == 1


# --- the person rule on hand-made records -----------------------------------------------------


def resolved(doc_id: str, place: str | None, levels: tuple[str, ...] | None) -> Resolved:
    """A document naming 张三, who holds posts at ``levels`` (None: names no post for him)."""
    person = Entity("person", "张三", "张三")
    held = () if levels is None else (("张三", levels),)
    return Resolved(SourceDocument(doc_id, doc_id, doc_id, ""), "plan", (person,), (), (), (), (), place=place, person_levels=held)


# (id, [(place, levels) per document], documents whose 张三 is scoped to the place)
PERSON_RULE_CASES = [
    ("agree", [("坪山区", ("区",)), ("坪山区", ("区",))], {"d0", "d1"}),
    ("no-post-agrees-with-any", [("坪山区", ("区",)), ("坪山区", None)], {"d0", "d1"}),
    ("level-less-post-agrees", [("坪山区", ("区",)), ("坪山区", ())], {"d0", "d1"}),
    ("disagree", [("坪山区", ("区",)), ("坪山区", ("县",))], set()),
    # one pair disagrees, so no document can say which 张三 the others are
    ("one-disagreement-splits-all", [("坪山区", ("区",)), ("坪山区", ("县",)), ("坪山区", ("区",))], set()),
    ("two-levels-share-one", [("坪山区", ("区", "市")), ("坪山区", ("市",))], {"d0", "d1"}),
    ("other-place-is-another-group", [("坪山区", ("区",)), ("罗湖区", ("县",))], {"d0", "d1"}),
    ("no-place", [(None, ("区",)), (None, ("区",))], set()),
]


@pytest.mark.parametrize("accounts, expected", cases(PERSON_RULE_CASES))
def test_person_rule(accounts, expected):
    documents = [resolved(f"d{i}", place, levels) for i, (place, levels) in enumerate(accounts)]
    places = assign_places(documents)
    assert {doc for doc, kind, _ in places if kind == "person"} == expected
    assert assign_places(documents[::-1]) == places


# --- where a document is from ----------------------------------------------------------------

FILLER = "要坚持问题导向,推动改革落地见效。" * 8  # pushes what follows past the opening

# (id, text, expected place)
PLACE_CASES = [
    ("opening", "坪山区2018年改革计划\n" + FILLER, "坪山区"),
    ("organ-owner", FILLER + "坪山区委召开会议。", "坪山区"),
    ("suffix-less-name-counts", FILLER + "坪山区委召开会议。罗湖区代表参加。坪山将加快发展。坪山要深化改革。", "坪山区"),
    ("passing-mention", FILLER + "区委书记张三主持会议,学习罗湖区经验。", None),
    ("parent-city-is-another-level", "深圳市坪山区委全面深化改革委员会\n" + FILLER + "深圳市要求,深圳市提出,深圳市部署。区委书记张三主持。", "坪山区"),
    ("cited-title", "某某文件\n" + FILLER + "贯彻落实《广东省若干措施》《广东省实施意见》,东莞市人民政府提出如下意见。", "东莞市"),
    ("no-place", "区委书记张三主持召开会议。" + FILLER, None),
]


@pytest.mark.parametrize("text, expected", cases(PLACE_CASES))
def test_detect_place(text, expected, lexicon):
    assert detect_place(text, lexicon) == expected


# (file in tests/corpus, or data/ for the bundled plan; the place it is from, None where its text does not say)
CORPUS_PLACES = [
    ("pingshan", ROOT / "data" / "pingshan-2017-reform-plan.txt", "坪山区"),
    ("luohu-name-without-suffix", CORPUS / "01-luohu-2022-reform-keypoints.txt", None),
    ("huoshan-devzone", CORPUS / "02-huoshan-devzone-2025-key-tasks.txt", None),
    ("xianyang-excerpt-names-no-place", CORPUS / "03-xianyang-2022-fangguanfu-keypoints-trad.txt", None),
    ("guangzhou-districts-named-too", CORPUS / "04-guangzhou-2012-talent-633-opinions.txt", "广州市"),
    ("xialu-name-only-in-a-header-jieba-misses", CORPUS / "05-xialu-2020-key-work-breakdown.txt", None),
    ("lishan-city-and-province-named-too", CORPUS / "06-lishan-2023-key-work-division.txt", "立山区"),
    ("nanling-other-city-in-passing", CORPUS / "07-nanling-2024-gov-report-task-table.txt", None),
    ("unnamed-city-table", CORPUS / "08-city-gov-report-task-table-boxdrawing.txt", None),
    ("mingnan-street-of-a-city", CORPUS / "09-mingnan-street-2019-power-duty-list.txt", "明南街道"),
    ("sichuan-cities-named-more", CORPUS / "10-gov-2004-sichuan-issues-reply-letter.txt", "四川省"),
    ("siping-devzone-says-only-our-district", CORPUS / "11-siping-hzeda-2017-reform-office-meeting.txt", None),
    ("jinan", CORPUS / "12-jinan-2014-reform-group-special-groups.txt", "济南市"),
    ("tongcheng-county", CORPUS / "13-tongcheng-2017-reform-group-meeting.txt", "通城县"),
    ("xisaishan-unnamed-district", CORPUS / "14-xisaishan-2025-reform-commission-meeting.txt", None),
    ("xiajin-traditional-parent-city-named-more", CORPUS / "15-xiajin-2020-reform-tackling-trad.txt", "夏津縣"),
    ("dongguan-province-only-in-cited-titles", CORPUS / "16-dongguan-2021-employment-measures-trad.txt", "東莞市"),
]


@pytest.mark.parametrize("path, expected", cases(CORPUS_PLACES))
def test_detect_place_in_real_documents(path, expected, lexicon):
    assert detect_place(path.read_text(encoding="utf-8"), lexicon) == expected


def test_find_tagged_blocks_keeps_the_blocks_a_place_name_can_end_in(lexicon):
    # jieba's blocks: "某某区委书记", "全市推进", "甲乙县", "dd"; 全市 has one character before 市.
    text = "某某区委书记，全市推进。甲乙县 dd"
    assert find_tagged_blocks(text, _place_name_pattern(lexicon)) == [(0, "某某区委书记"), (12, "甲乙县")]
    assert find_tagged_blocks(text, re.compile("推进|dd")) == [(7, "全市推进"), (16, "dd")]


def test_tag_block_leaves_a_run_untagged_unless_it_or_the_next_word_is_wanted(lexicon):
    # jieba's model cuts the run 王兴电 into 王兴/nr 电/n; 主持 is the dictionary word after it.
    block = "区委书记王兴电主持召开会议"
    words = [(t.word, t.flag) for t in tag_block(block, lexicon, re.compile("(?!)"))]
    assert words == [("区委书记", "n"), ("王兴电", "x"), ("主持", "v"), ("召开", "v"), ("会议", "n")]
    for wanted in ("兴", "主持"):
        assert tag_block(block, lexicon, re.compile(wanted)) == list(lexicon.tokenizer.cut(block))


def test_tag_block_keeps_a_blocks_route_for_the_next_call(lexicon):
    # The route of dictionary words is the block's, whatever is wanted: kept once, read again.
    block = "区委书记王兴电主持召开会议"
    runs, routes = {}, {}
    untagged = tag_block(block, lexicon, re.compile("(?!)"), runs, routes)
    assert list(routes) == [block]
    assert tag_block(block, lexicon, re.compile("兴"), runs, routes) == list(lexicon.tokenizer.cut(block))
    assert tag_block(block, lexicon, re.compile("(?!)"), runs, routes) == untagged
    assert list(runs) == ["王兴电"]


def test_place_suffix_organs(lexicon):
    organs = dict(lexicon.place_suffix_organs)
    assert [s for s, _ in lexicon.place_suffix_organs] == [s for s, _ in lexicon.place_suffixes]
    assert "区委" in organs["区"] and "区政府" in organs["区"] and "县委" not in organs["区"]


def test_tag_block_wanting_everything_is_jieba_posseg(lexicon):
    text = (ROOT / "data" / "pingshan-2017-reform-plan.txt").read_text(encoding="utf-8")
    for _, block in find_tagged_blocks(text, re.compile("")):
        assert tag_block(block, lexicon, re.compile("")) == list(lexicon.tokenizer.cut(block))


@pytest.mark.parametrize("path", [p for _, p, _ in CORPUS_PLACES], ids=[name for name, _, _ in CORPUS_PLACES])
def test_place_names_from_blocks_are_those_of_the_whole_text(path, lexicon):
    """Tagging only the blocks a name can be in finds what tagging the whole text finds."""
    text = CITED_TITLE.sub(lambda m: " " * len(m.group()), path.read_text(encoding="utf-8"))
    tokens = list(lexicon.tokenizer.cut(text))
    names, bare = _find_place_names(text, lexicon)
    assert names == _read_place_names(tokens, 0, lexicon)
    stems = {_split_place(name, lexicon)[0] for name, _ in names}
    assert bare == Counter(t.word for t in tokens if t.flag == "ns" and t.word in stems)


# --- the whole corpus as one build --------------------------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus_build(toolkit):
    return build_graph(CORPUS_FILES, toolkit, jobs=1)


def test_corpus_builds_every_document_into_its_own_graph(corpus_build):
    assert corpus_build.failures == ()
    assert sorted(r.document.name for r in corpus_build.documents) == sorted(p.name for p in CORPUS_FILES)
    graphs = {str(g.identifier) for g in corpus_build.dataset.graphs() if str(g.identifier).startswith(str(ID["graph/"]))}
    assert {str(document_graph_iri(r.document)) for r in corpus_build.documents} <= graphs


def test_corpus_build_finds_what_each_document_finds_alone(corpus_build, toolkit, facts_of):
    """Building together changes identities across documents, never what a document says."""
    for resolved in corpus_build.documents:
        alone = build_graph([Path(resolved.document.path)], toolkit, jobs=1).documents[0]
        assert facts_of(resolved) == facts_of(alone), resolved.document.name


@pytest.mark.parametrize(
    "file, predicate, subject, obj",
    [
        ("02-huoshan-devzone-2025-key-tasks.txt", "leadPerson", "持续提升园区承载能力", "张云峰"),
        ("04-guangzhou-2012-talent-633-opinions.txt", "leadUnit", "羊城企业家培养项目", "市委组织部"),
        ("06-lishan-2023-key-work-division.txt", "supportUnit", "一般公共预算收入增长8%左右", "税务局"),
        ("08-city-gov-report-task-table-boxdrawing.txt", "deadline", "抓好财税金融工作,增强发展保障能力", "年内见成效"),
        ("13-tongcheng-2017-reform-group-meeting.txt", "holdsPost", "熊亚平", "县委书记"),
        ("16-dongguan-2021-employment-measures-trad.txt", "leadUnit", "繼續按不高于2017年征收標準征收殘疾人就業保障金", "市殘聯"),
    ],
)
def test_corpus_facts_are_evidenced_in_their_document_graph(corpus_build, file, predicate, subject, obj):
    """A fact of one document, in the corpus graph, is stated in that document's named graph with
    a quote that is the document's own text."""
    resolved = next(r for r in corpus_build.documents if r.document.name == file)
    graph = corpus_build.dataset.graph(document_graph_iri(resolved.document))
    text = resolved.document.text
    found = []
    for st in graph.subjects(RDF.predicate, RKG[predicate]):
        s, o = graph.value(st, RDF.subject), graph.value(st, RDF.object)
        labels = {str(x) for x in graph.objects(s, RDFS.label)}
        objects = {str(o)} | {str(x) for x in graph.objects(o, RDFS.label)}
        if subject in labels and obj in objects:
            for ev in graph.objects(st, RKG.evidence):
                start, end = int(graph.value(ev, RKG.start)), int(graph.value(ev, RKG.end))
                assert text[start:end] == str(graph.value(ev, RKG.quote))
                found.append(ev)
    assert found, f"{file}: no evidenced {predicate} {subject} → {obj}"

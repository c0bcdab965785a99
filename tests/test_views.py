"""The network projection (kg.network) and the pages rendered from it (kg.render, kg views),
without a browser: what each page holds, escaping, offline assets, determinism, the style file.
tests/test_browser.py opens the same pages in Chromium."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.cli import main
from kg.errors import RuleFileError
from kg.ids import digest
from kg.network import graph_to_network
from kg.render import STYLE_PATH, load_style, load_text, neighbourhood, plan_views, render_views, script_json
from kg.validate import load_ontology
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(GOLDEN)


@pytest.fixture(scope="module")
def network(graph):
    return graph_to_network(graph)


@pytest.fixture(scope="module")
def files(graph, network) -> dict[str, bytes]:
    from kg.export import download_paths

    return render_views(graph, network, load_ontology(), downloads=download_paths())


def node_labelled(network, label: str, cls: str) -> str:
    (node,) = [n for n, d in network.nodes(data=True) if d["label"] == label and d["cls"] == cls]
    return node


def page_data(html: bytes) -> dict:
    text = html.decode("utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S).group(1))


# --- the projection ---------------------------------------------------------------------------------


def as_networkx(network):
    """The networkx.MultiDiGraph a Projection stands for: its nodes, then its edges in the order
    graph_to_network adds them (by source, predicate and target)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(network.nodes(data=True))
    edges = sorted(network.edges(keys=True, data=True), key=lambda e: (e[0], e[3]["predicate"], e[1]))
    graph.add_edges_from(edges)
    return graph


def test_the_projection_reads_like_networkx_in_the_same_order(network):
    graph = as_networkx(network)
    # each node with edges in and out to several others, by more than one key
    busy = sorted(network, key=lambda n: (-len(set(network.successors(n))) - len(set(network.predecessors(n))), n))[:5]
    project = next(n for n, d in network.nodes(data=True) if d["cls"] == "ReformProject")
    assert list(network.nodes(data=True)) == list(graph.nodes(data=True)) and list(network) == list(graph)
    assert list(network.nodes(data="label")) == list(graph.nodes(data="label"))
    assert list(network.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert list(network.edges()) == list(graph.edges())
    assert dict(network.degree()) == dict(graph.degree())
    assert (network.number_of_nodes(), network.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges()) == (141, 164)
    for node in [*busy, project]:
        assert list(network.out_edges(node, keys=True, data=True)) == list(graph.out_edges(node, keys=True, data=True))
        assert list(network.in_edges(node, keys=True)) == list(graph.in_edges(node, keys=True))
        assert list(network.successors(node)) == list(graph.successors(node))
        assert list(network.predecessors(node)) == list(graph.predecessors(node))
        assert network.succ[node] == dict(graph.succ[node]) and list(network.succ[node]) == list(graph.succ[node])
        assert network.degree(node) == graph.degree(node) and network.nodes[node] == graph.nodes[node]
        for target in network.successors(node):
            assert network.get_edge_data(node, target) == graph.get_edge_data(node, target)
    assert network.get_edge_data(project, project) is None and "no such node" not in network


def test_the_projection_keeps_a_node_s_edges_by_target_as_networkx_does():
    """networkx keeps a node's edges grouped by target, the targets in the order first added, and
    a target's sources likewise: not the order the edges were added in."""
    from kg.network import Projection

    node = ("Person", "a", (), (), ())
    # added by source, predicate and target, as graph_to_network adds them
    edges = [("a", "c", "k1", ("p1", (), None)), ("a", "b", "k2", ("p2", (), "rule")), ("a", "c", "k3", ("p3", (), None)), ("b", "c", "k1", ("p1", (), None))]
    network = Projection({n: node for n in "abc"}, edges)
    graph = as_networkx(network)
    assert list(network.out_edges("a", keys=True)) == [("a", "c", "k1"), ("a", "c", "k3"), ("a", "b", "k2")] == list(graph.out_edges("a", keys=True))
    assert list(network.in_edges("c", keys=True)) == [("a", "c", "k1"), ("a", "c", "k3"), ("b", "c", "k1")] == list(graph.in_edges("c", keys=True))
    assert list(network.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert network.get_edge_data("a", "b") == {"k2": {"predicate": "p2", "quotes": [], "inferred": True, "rule": "rule"}}
    assert dict(network.degree()) == {"a": 3, "b": 2, "c": 3} == dict(graph.degree())

def test_every_entity_is_a_node_and_nothing_else_is(graph, network):
    drawn = {str(s) for cls in ("SourceDocument", "ReformProject", "Person", "Post", "SpecialGroup", "Organization", "ProjectTier", "GovernanceLevel", "TargetProblem", "Measure") for s in graph.subjects(RDF.type, RKG[cls])}
    assert set(network.nodes) == drawn
    assert network.number_of_nodes() == 141
    assert not any("/evidence/" in n or "/statement/" in n or "/figure/" in n for n in network.nodes)


def test_relations_are_typed_edges_with_their_sentences(network):
    project = node_labelled(network, "深化基层治理体制改革", "ReformProject")
    leader = node_labelled(network, "吕玉印", "Person")
    (edge,) = network.get_edge_data(project, leader).values()
    assert edge["predicate"] == str(RKG.leadPerson)
    assert any("区委书记吕玉印亲自牵头深化基层治理体制改革项目" in q.text for q in edge["quotes"])
    key = digest("document", "data/pingshan-2017-reform-plan.txt")  # the document's IRI is made from where it is
    assert all(q.document.endswith(f"/document/{key}") for q in edge["quotes"])
    assert edge["inferred"] is False
    assert set(network.get_edge_data(leader, node_labelled(network, "区委书记", "Post"))) == {"holdsPost"}


def test_inferred_relations_carry_their_rule(network):
    inferred = [(s, o, d["rule"]) for s, o, k, d in network.edges(keys=True, data=True) if d["inferred"]]
    assert len(inferred) == 9 and {r for *_, r in inferred} == {"tier-from-group", "tier-from-lead-post"}
    assert all(network.nodes[o]["cls"] == "ProjectTier" for _, o, _ in inferred)


def test_literals_are_attributes_not_nodes(network):
    project = node_labelled(network, "深化基层治理体制改革", "ReformProject")
    assert network.nodes[project]["attrs"]["ordinal"] == ["1"]
    document = node_labelled(network, "pingshan-2017-reform-plan.txt", "SourceDocument")
    assert network.nodes[document]["attrs"]["place"] == ["坪山区"] and network.nodes[document]["attrs"]["genre"] == ["plan"]
    assert list(network.nodes[project]["documents"]) == [document]


# --- the pages ------------------------------------------------------------------------------------


def test_pages_are_the_overview_the_problem_map_and_one_per_entity_of_each_kind(files, network):
    pages = sorted(name for name in files if name.endswith(".html"))
    kinds = Counter(name.split("/")[0] for name in pages)
    assert kinds == {"index.html": 1, "overview.html": 1, "problems.html": 1, "ledger.html": 1, "matrix": 1, "document": 1, "person": 2, "group": 7, "tier": 3, "project": 25}
    assert set(files) - set(pages) == {"assets/vis-network.min.js", "assets/vis-network.css", "assets/views.js", "assets/views.css", "assets/tables.js"}


def test_a_leaders_page_draws_their_projects_with_groups_tiers_and_problems(files, network):
    leader = node_labelled(network, "吕玉印", "Person")
    data = page_data(files[f"person/{leader.rsplit('/', 1)[-1]}.html"])
    labels = {n["label"] for n in data["nodes"]}
    assert {"吕玉印", "区委书记", "深化基层治理体制改革", "区主要领导牵头改革项目", "居民自治活力不足", "社区"} <= labels
    assert "陶永欣" not in labels and "民生诉求渠道流程优化改革" not in labels
    assert "pingshan-2017-reform-plan.txt" not in labels  # documents only as a direct neighbour
    html = files[f"person/{leader.rsplit('/', 1)[-1]}.html"].decode("utf-8")
    assert "<h1 id=\"kg-title\">区委书记 吕玉印</h1>" in html


def test_a_project_page_lists_the_sentences_behind_its_facts(files, network):
    project = node_labelled(network, "深化基层治理体制改革", "ReformProject")
    html = files[f"project/{project.rsplit('/', 1)[-1]}.html"].decode("utf-8")
    facts = html.split('<section class="kg-facts">', 1)[1]
    assert "牵头领导" in facts and "吕玉印" in facts
    assert "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in facts
    assert "502–583" in facts  # offsets into the document's text
    assert "所属层次" in facts and "由规则推断" in facts  # the tier, inferred, says so


def card(html: bytes) -> dict[str, str]:
    """A page's summary card as term → the text of its values, links kept as (text → href)."""
    section = html.decode("utf-8").split('<section id="kg-card"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<div class="kg-card-row" data-term="(\w+)"><dt>.*?</dt><dd>(.*?)</dd></div>', section, re.S)
    return {term: re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 → \1", re.sub(r"</?span[^>]*>", "", value)) for term, value in rows}


def page_of(network, label: str, cls: str) -> str:
    from kg.render import page_path

    return page_path(node_labelled(network, label, cls), cls)


def test_a_project_page_opens_with_a_card_of_who_answers_for_it(files, network):
    shown = card(files[page_of(network, "深化基层治理体制改革", "ReformProject")])
    assert list(shown) == ["ordinal", "leadPerson", "responsibleGroup", "tier", "leadUnit", "supportUnit", "deadline", "addressesProblem", "involvesLevel", "inDocument"]
    assert shown["ordinal"] == "1"
    assert shown["leadPerson"] == f"区委书记 吕玉印 → ../{page_of(network, '吕玉印', 'Person')}"
    assert shown["tier"] == f"区主要领导牵头改革项目 → ../{page_of(network, '区主要领导牵头改革项目', 'ProjectTier')}"
    assert shown["involvesLevel"] == "区、社区、街道"
    assert "居民自治活力不足" in shown["addressesProblem"]
    assert shown["leadUnit"] == shown["deadline"] == "—"  # the plan names none: the gap shows
    html = files[page_of(network, "深化基层治理体制改革", "ReformProject")].decode("utf-8")
    assert html.index('id="kg-card"') < html.index('id="kg-graph"')  # at the top, above the graph
    # a project led through a group names it
    group_project = card(files[page_of(network, "探索建立基层医疗集团", "ReformProject")])
    assert group_project["responsibleGroup"].startswith("民生体制改革专项小组 → ../group/")


def test_cards_of_a_person_a_group_a_tier_and_the_document(files, network):
    person = card(files[page_of(network, "吕玉印", "Person")])
    assert person == {"holdsPost": "区委书记", "leads": f"深化基层治理体制改革 → ../{page_of(network, '深化基层治理体制改革', 'ReformProject')}"}
    group = card(files[page_of(network, "民生体制改革专项小组", "SpecialGroup")])
    assert "探索建立基层医疗集团 → ../project/" in group["responsibleFor"]
    tier = card(files[page_of(network, "区主要领导牵头改革项目", "ProjectTier")])
    assert re.sub(r" → [^、]+", "", tier["includesProject"]) == "深化基层治理体制改革、民生诉求渠道流程优化改革"  # in the plan's order
    document = card(files[page_of(network, "pingshan-2017-reform-plan.txt", "SourceDocument")])
    assert document["genre"] == "plan" and document["place"] == "坪山区"
    assert "28个改革项目: 28 / 25" in document["figures"]  # stated against found, as on the index
    assert document["projects"].count(" → ../project/") == 25
    assert document["matrix"].startswith("责任矩阵 → ../matrix/")


def test_the_matrix_marks_who_answers_for_each_project_and_links_the_sentence(files, network):
    from kg.render import fact_anchor, matrix_path

    document = node_labelled(network, "pingshan-2017-reform-plan.txt", "SourceDocument")
    html = files[matrix_path(document)].decode("utf-8")
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count('class="kg-matrix-project"') == 25
    assert head.index("深化基层治理体制改革") < head.index("民生诉求渠道流程优化改革")
    bands = re.findall(r'scope="rowgroup">(.*?)</th>', html)
    assert bands == ["牵头领导", "专项小组"]  # Pingshan names no unit, so no band of units
    leader = node_labelled(network, "吕玉印", "Person")
    row = html.split(">区委书记 吕玉印</a></th>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert len(cells) == 25 and [i for i, c in enumerate(cells) if c] == [0]
    target = f"../{page_of(network, '深化基层治理体制改革', 'ReformProject')}#{fact_anchor('leadPerson', False, leader)}"
    assert f'href="{target}"' in cells[0] and ">牵头</a>" in cells[0]
    assert "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in cells[0] and "502–583" in cells[0]
    # the anchor is the row of the project's facts table that quotes the sentence
    facts = files[page_of(network, "深化基层治理体制改革", "ReformProject")].decode("utf-8")
    anchored = facts.split(f'id="{target.split("#")[1]}"', 1)[1].split("</tr>", 1)[0]
    assert "吕玉印" in anchored and "牵头领导" in anchored
    assert html.count(">负责</a>") == 7  # each of the seven groups' projects
    index = files["index.html"].decode("utf-8")
    assert f'href="{matrix_path(document)}"' in index


def test_the_ledger_page_has_the_ledger_s_columns_and_rows(files, network, graph):
    from kg.ledger import engine_to_ledger, load_ledger_spec
    from kg.query import open_engine

    html = files["ledger.html"].decode("utf-8")
    headers = re.findall(r'<button type="button" class="kg-sort"[^>]*>(.*?)</button>', html)
    assert headers == load_ledger_spec().headers  # the columns of ledger.xlsx, in its order
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    expected = engine_to_ledger(open_engine(graph, "oxigraph"))
    assert len(rows) == len(expected) == 25
    first = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[0])]
    assert first == expected[0] and first[:4] == ["1", "深化基层治理体制改革", "区主要领导牵头改革项目", "区委书记吕玉印"]
    assert f'<a href="{page_of(network, "深化基层治理体制改革", "ReformProject")}">深化基层治理体制改革</a>' in rows[0]
    assert 'data-number="true"' in html.split("</button>", 1)[0]  # 序号 sorts as a number
    assert 'src="assets/tables.js"' in html and 'href="ledger.html"' in files["index.html"].decode("utf-8")


def test_the_ledger_page_shows_the_rows_it_is_given(graph, network):
    from kg.ledger import load_ledger_spec

    width = len(load_ledger_spec().columns)
    files = render_views(graph, network, load_ontology(), ledger=[["9", "<b>x</b>", *[""] * (width - 2)]])
    body = files["ledger.html"].decode("utf-8").split("<tbody>", 1)[1]
    assert "&lt;b&gt;x&lt;/b&gt;" in body and "<b>" not in body


def test_the_index_describes_each_file_of_the_build_in_chinese(files):
    """The index is a Chinese page: each file a build writes is described in Chinese (text.toml's
    [file_notes], a line for every exporter)."""
    from kg.export import EXPORTERS
    from kg.render import load_text

    words = load_text()["file_notes"]
    assert set(words) == set(EXPORTERS)
    index = files["index.html"].decode("utf-8")
    for name, exporter in EXPORTERS.items():
        assert f"{exporter.path}</a> <small>{words[name]}</small>" in index, name
    assert "every triple" not in index


def test_neighbourhood_of_a_project_stops_at_its_neighbours(network):
    project = node_labelled(network, "民生诉求渠道流程优化改革", "ReformProject")
    around = neighbourhood(network, project)
    assert node_labelled(network, "陶永欣", "Person") in around
    assert node_labelled(network, "区长", "Post") in around
    assert node_labelled(network, "吕玉印", "Person") not in around


def test_the_problem_map_joins_projects_through_shared_problems_and_levels(files, network):
    data = page_data(files["problems.html"])
    classes = {n["cls"] for n in data["nodes"]}
    assert classes == {"ReformProject", "TargetProblem", "GovernanceLevel"}
    assert {e["pred"] for e in data["edges"]} == {"addressesProblem", "involvesLevel"}
    community = "https://w3id.org/reform-kg/id/level/community"
    assert sum(1 for e in data["edges"] if e["to"] == community) >= 2  # shared by several projects


def test_nodes_have_class_colour_shape_and_size_from_the_style_file(files, network):
    style = load_style()
    data = page_data(files["overview.html"])
    for node in data["nodes"]:
        look = style.classes[node["cls"]]
        assert (node["color"], node["shape"]) == (look.color, look.shape)
        assert node["value"] == network.degree(node["id"])
    assert data["options"]["layout"]["randomSeed"] == style.options["layout"]["randomSeed"]
    assert data["options"]["nodes"]["font"]["face"] == style.font_stack  # CJK fonts on the canvas too
    assert [c["name"] for c in data["classes"]] == [n for n in style.classes if any(d["cls"] == n for d in data["nodes"])]


def test_no_page_refers_to_anything_outside_the_views_folder(files):
    for name, data in files.items():
        if not name.endswith((".html", ".css")):
            continue
        text = data.decode("utf-8")
        refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text) + re.findall(r"url\(\s*[\"']?([^)\"']*)", text)
        for ref in refs:
            assert not re.match(r"[a-z][a-z0-9+.-]*:", ref, re.I) or ref.startswith("data:"), (name, ref)
            if ref.startswith("../") and name == "index.html":
                continue  # the exports, written beside views/ by kg build
            if not ref.startswith("data:"):
                target, _, anchor = ref.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                assert target in files, (name, ref)
                assert not anchor or f'id="{anchor}"' in files[target].decode("utf-8"), (name, ref)  # a matrix cell's sentence


def test_every_page_is_utf8_with_a_csp_and_no_inline_script(files):
    for name, data in files.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert f"--kg-font: {load_style().font_stack};" in text and '"Noto Sans CJK SC"' in text
            assert '<meta charset="utf-8">' in text
            assert "Content-Security-Policy" in text
            scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text)
            assert all('type="application/json"' in s for s in scripts), name


def relabelled(graph: Graph, network, label: str, cls: str, new: str) -> tuple[Graph, URIRef]:
    """A copy of ``graph`` in which the node labelled ``label`` is labelled ``new``, and the node."""
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    node = URIRef(node_labelled(network, label, cls))
    changed.remove((node, RDFS.label, None))
    changed.add((node, RDFS.label, Literal(new, lang="zh")))
    return changed, node


def test_document_text_is_escaped_in_the_html_and_in_the_embedded_data(graph, network):
    hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>&amp;'
    changed, project = relabelled(graph, network, "深化基层治理体制改革", "ReformProject", hostile)
    files = render_views(changed, graph_to_network(changed), load_ontology())
    page = files[f"project/{str(project).rsplit('/', 1)[-1]}.html"].decode("utf-8")
    for name, data in files.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert "<img" not in text and "<svg" not in text and "<script>" not in text, name
            assert text.count("</script>") == text.count("<script"), name
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the card of the project's leader names the project, escaped, as do the matrix and the ledger
    leader_page = files[f"person/{node_labelled(network, '吕玉印', 'Person').rsplit('/', 1)[-1]}.html"].decode("utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in leader_page.split('id="kg-card"', 1)[1].split("</section>", 1)[0]
    matrix = next(data for name, data in files.items() if name.startswith("matrix/")).decode("utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in matrix and "&lt;/script&gt;&lt;script&gt;alert(1)" in files["ledger.html"].decode("utf-8")
    assert hostile in {n["label"] for n in page_data(files["overview.html"])["nodes"]}  # the data round-trips exactly


def test_script_json_cannot_close_its_element():
    text = script_json({"a": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_rendering_is_deterministic(graph):
    first = render_views(graph, graph_to_network(graph), load_ontology())
    second = render_views(graph, graph_to_network(graph), load_ontology())
    assert first == second


def test_plan_views_titles_people_by_post_and_name(network):
    titles = {v.title for v in plan_views(network, load_text()) if v.kind == "person"}
    assert titles == {"区委书记 吕玉印", "区长 陶永欣"}


# --- the style file -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda t: t.replace('[classes.Measure]\ncolor = "#bab0ac"\nshape = "dot"', ""), "[classes.Measure] is missing"),
        (lambda t: t.replace('color = "#4e79a7"', 'color = "blue"'), "[classes.ReformProject] color must be #rrggbb"),
        (lambda t: t.replace('shape = "star"', 'shape = "blob"'), "[classes.Person] shape must be one of"),
        (lambda t: t.replace("fold_above = 1000", ""), "missing key 'fold_above'"),
        (lambda t: t.replace('hub_classes = ["Person"', 'hub_classes = ["Leader"'), "hub_classes names 'Leader', not a drawn class; use SourceDocument, "),
        (lambda t: t + "\n[[[", "cannot read"),
        (lambda t: t.replace('"Noto Sans CJK SC", ', '"x"; } </style><script>alert(1)</script>, '), "font_stack must be font names"),
    ],
)
def test_a_bad_style_file_is_named_with_its_problem(tmp_path, change, words):
    bad = tmp_path / "style.toml"
    bad.write_text(change(STYLE_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_style(bad)
    assert words in str(error.value) and str(bad) in str(error.value)


# --- kg views -------------------------------------------------------------------------------------


def test_kg_views_writes_the_pages_and_removes_stale_ones(tmp_path):
    out = tmp_path / "views"
    (out / "project").mkdir(parents=True)
    (out / "project" / "gone.html").write_text("a project no longer found")
    (out / "notes.txt").write_text("a user's own file")
    assert main(["views", "--graph", str(GOLDEN), "--out", str(out)]) == 0
    assert (out / "index.html").is_file() and (out / "assets" / "vis-network.min.js").is_file()
    assert len(list((out / "project").glob("*.html"))) == 25
    assert not (out / "project" / "gone.html").exists()
    assert (out / "notes.txt").read_text() == "a user's own file"


def test_kg_views_on_a_missing_or_broken_graph_is_one_clear_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "views", "--graph", str(tmp_path / "none.trig"), "--out", str(tmp_path / "v")], capture_output=True, text=True)
    assert proc.returncode == 2 and "none.trig" in proc.stderr and "Traceback" not in proc.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <")
    proc = subprocess.run([sys.executable, "-m", "kg", "views", "--graph", str(broken), "--out", str(tmp_path / "v")], capture_output=True, text=True)
    assert proc.returncode == 1 and "broken.ttl" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "v").exists()


# --- large graphs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> Graph:
    """Two plans built together: Pingshan and Luohu's 2022 key points."""
    from kg.pipeline import build_graph, load_toolkit
    from kg.rdf import union_graph

    result = build_graph([ROOT / "data" / "pingshan-2017-reform-plan.txt", ROOT / "tests" / "corpus" / "01-luohu-2022-reform-keypoints.txt"], load_toolkit(), jobs=1)
    return union_graph(result.dataset)


def test_an_overview_above_fold_above_draws_one_node_per_document(two_documents):
    import dataclasses

    network = graph_to_network(two_documents)
    small = dataclasses.replace(load_style(), fold_above=50)
    files = render_views(two_documents, network, load_ontology(), small)
    data = page_data(files["overview.html"])
    documents = {n for n, d in network.nodes(data=True) if d["cls"] == "SourceDocument"}
    assert {n["id"] for n in data["nodes"]} == documents
    for node in data["nodes"]:
        members = sum(1 for _, docs in network.nodes(data="documents") if node["id"] in docs)
        assert node["value"] == members and node["label"].endswith(f"({members})")
        assert node["page"].startswith("document/")
    # every label can still be searched for, and leads to its document's page
    index = dict(map(tuple, data["index"]))
    assert index["吕玉印"] == next(n["page"] for n in data["nodes"] if "pingshan" in n["label"])
    assert "图很大" in files["overview.html"].decode("utf-8")
    # below the threshold nothing is folded
    assert len(page_data(render_views(two_documents, network, load_ontology())["overview.html"])["nodes"]) == network.number_of_nodes()



def test_an_overview_of_several_documents_starts_in_clusters_around_labelled_hubs(two_documents, files):
    from kg.clusters import document_clusters

    network = graph_to_network(two_documents)
    style = load_style()
    first = render_views(two_documents, network, load_ontology())
    data = page_data(first["overview.html"])
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    documents = sorted(n for n, d in network.nodes(data=True) if d["cls"] == "SourceDocument")
    clusters = document_clusters(network, style.hub_classes, style.hubs_per_cluster)
    hubs = {hub for c in clusters for hub in c.hubs}
    assert sorted(data["hubs"][:2]) == documents and set(data["hubs"]) == hubs and len(hubs) > 2
    for node in data["nodes"]:
        # a hub stays where it is placed, its label in the font the default zoom needs
        assert (node.get("fixed"), "font" in node) == ((True, True) if node["id"] in hubs else (None, False)), node["label"]
    # its physics only settles the picture: no pull to the centre, a short run
    physics = data["options"]["physics"]
    assert physics["forceAtlas2Based"]["centralGravity"] == 0 and physics["stabilization"]["iterations"] < style.options["physics"]["stabilization"]["iterations"]
    assert physics["forceAtlas2Based"]["springLength"] == style.options["physics"]["forceAtlas2Based"]["springLength"]  # the rest as the style has it
    assert render_views(two_documents, network, load_ontology())["overview.html"] == first["overview.html"]
    # the other pages are drawn as before, and so is the overview of one document
    document = next(name for name in first if name.startswith("document/"))
    assert "x" not in page_data(first[document])["nodes"][0] and page_data(first[document])["hubs"] == []
    single = page_data(files["overview.html"])
    assert single["hubs"] == [] and not any("x" in n or "fixed" in n for n in single["nodes"])
    assert single["options"]["physics"] == page_data(first[document])["options"]["physics"]


def test_a_node_that_many_documents_state_links_none_of_them_when_folded():
    import dataclasses

    import networkx as nx

    from kg.render import fold_by_document

    network = nx.MultiDiGraph()
    for name in "abc":
        network.add_node(f"doc:{name}", cls="SourceDocument", label=name, documents=[f"doc:{name}"], quotes=[], attrs={})
    network.add_node("problem", cls="TargetProblem", label="形式主义", documents=["doc:a", "doc:b", "doc:c"], quotes=[], attrs={})
    network.add_node("unit", cls="Organization", label="区发展改革局", documents=["doc:a", "doc:b"], quotes=[], attrs={})

    def links(below: int) -> dict:
        folded = fold_by_document(network, dataclasses.replace(load_style(), fold_shared_below=below), load_text())
        return {(a, b): data["count"] for a, b, data in folded.edges(data=True)}

    assert links(100) == {("doc:a", "doc:b"): 2, ("doc:a", "doc:c"): 1, ("doc:b", "doc:c"): 1}
    # At 3, the problem all three state links none of them; the unit two state still links those.
    assert links(3) == {("doc:a", "doc:b"): 1}


def test_a_problem_map_above_fold_above_draws_the_problems_and_levels_sized_by_their_projects(network):
    import dataclasses

    view = next(v for v in plan_views(network, load_text()) if v.kind == "problems")
    small = dataclasses.replace(load_style(), fold_above=len(view.nodes) - 1)
    page = render_views(Graph(), network, load_ontology(), small)["problems.html"]
    data = page_data(page)
    drawn = {n["id"]: n for n in data["nodes"]}
    ends = {o: key for s, o, key in network.edges(keys=True) if key in ("addressesProblem", "involvesLevel")}
    assert set(drawn) == set(ends)  # no project is drawn
    for node, key in ends.items():
        projects = {s for s, o, k in network.in_edges(node, keys=True) if k == key}
        assert drawn[node]["value"] == len(projects) and drawn[node]["label"].endswith(f"({len(projects)})")
    # a problem and a level are linked by the projects that do both
    for edge in data["edges"]:
        problem, level = edge["from"], edge["to"]
        both = {s for s, o, k in network.in_edges(problem, keys=True) if k == "addressesProblem"} & {s for s, o, k in network.in_edges(level, keys=True) if k == "involvesLevel"}
        assert edge["label"].endswith(f" {len(both)}") or edge.get("title", "").endswith(f" {len(both)}")
    assert data["edges"] and "问题和层级画作一个节点" in page.decode("utf-8")


# --- a corpus: a page per document, the entities drawn from data files -----------------------------


@pytest.fixture(scope="module")
def corpus_files(two_documents) -> dict[str, bytes]:
    return render_views(two_documents, graph_to_network(two_documents), load_ontology())


DATA_FILE = re.compile(r'\(window\.kgData = window\.kgData \|\| \{\}\)\[("[^"]*")\] = (.*);\n', re.S)


def data_file(files: dict, path: str) -> tuple[str, dict]:
    """A data file's key in window.kgData and its JSON."""
    match = DATA_FILE.fullmatch(files[path].decode("utf-8"))
    assert match, path
    return json.loads(match.group(1)), json.loads(match.group(2))


def entity_record(files: dict, network, node: str) -> tuple[dict, dict]:
    """What the entity page reads for ``node``: its document's data file and its own record."""
    from kg.render import PAGE_KINDS, lookup_shard

    kind, name = PAGE_KINDS[network.nodes[node]["cls"]], node.rsplit("/", 1)[-1]
    key, where = data_file(files, f"data/entities/{lookup_shard(name)}.js")
    assert key == f"entities/{lookup_shard(name)}"
    home = where[f"{kind}/{name}"]
    key, document = data_file(files, f"data/documents/{home}.js")
    assert key == f"documents/{home}"
    return document, document["entities"][f"{kind}/{name}"]


def test_a_corpus_has_a_page_per_document_and_one_page_for_its_entities(corpus_files, two_documents):
    network = graph_to_network(two_documents)
    documents = sorted(n.rsplit("/", 1)[-1] for n, d in network.nodes(data=True) if d["cls"] == "SourceDocument")
    kinds = Counter(name.split("/")[0] for name in corpus_files)
    assert kinds == {"index.html": 1, "overview.html": 1, "problems.html": 1, "ledger.html": 1, "entity.html": 1, "matrix": 2, "document": 2, "assets": 7, "data": kinds["data"]}
    assert {name for name in corpus_files if name.startswith("data/documents/")} == {f"data/documents/{d}.js" for d in documents}
    assert "data/search.js" in corpus_files and {"assets/entity.js", "assets/search.js"} <= set(corpus_files)
    entities = [n for n, d in network.nodes(data=True) if d["cls"] in ("Person", "SpecialGroup", "ProjectTier", "ReformProject")]
    lookups = {}
    for name in corpus_files:
        if name.startswith("data/entities/"):
            lookups.update(data_file(corpus_files, name)[1])
    assert len(lookups) == len(entities) > 37  # every entity found, each once (Pingshan has 37)
    # entity.html holds the site's words and looks, and nothing of a document
    shell = corpus_files["entity.html"].decode("utf-8")
    assert "吕玉印" not in shell and "深化基层治理体制改革" not in shell and 'src="assets/entity.js"' in shell


def test_an_entity_s_data_is_what_its_own_page_would_draw(corpus_files, two_documents):
    from kg.render import CARD_ROWS
    from kg.vocab import ID

    network = graph_to_network(two_documents)
    leader = node_labelled(network, "吕玉印", "Person")
    document, record = entity_record(corpus_files, network, leader)

    def iri(i: int) -> str:  # a node's IRI, its start left out where it is reform-kg's
        return document["nodes"][i][0] if ":" in document["nodes"][i][0] else str(ID) + document["nodes"][i][0]

    assert iri(record["i"]) == leader
    assert {iri(i) for i in record["n"]} == neighbourhood(network, leader)
    labels = {document["nodes"][i][2] for i in record["n"]}
    assert {"吕玉印", "区委书记", "深化基层治理体制改革", "区主要领导牵头改革项目", "居民自治活力不足", "社区"} <= labels
    assert document["nodes"][record["i"]][5] == "区委书记 吕玉印"  # the title, where it is not the label
    project = node_labelled(network, "深化基层治理体制改革", "ReformProject")
    document, record = entity_record(corpus_files, network, project)
    (lead,) = [document["edges"][f] for f in record["f"] if f >= 0 and document["edges"][f][2] == "leadPerson"]
    quotes = [document["quotes"][q] for q in lead[3]]
    assert any(q[0].startswith("针对基层职责划分不清晰") and "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in q[0] and q[1:3] == [502, 583] for q in quotes)
    assert {document["documents"][q[3]] for q in quotes} == {"pingshan-2017-reform-plan.txt"}
    # the card: the leader by post and name (a node), the deadline the plan does not state (none)
    rows = dict(zip([term for term, _, _ in CARD_ROWS["project"]], record["c"]))
    assert [document["nodes"][i][5] for i in rows["leadPerson"]] == ["区委书记 吕玉印"] and rows["deadline"] == [] and rows["ordinal"] == ["1"]
    # the subject is drawn largest, as on its own page
    sizes = dict(map(tuple, record["v"]))
    size = {i: sizes.get(i, document["nodes"][i][3]) for i in record["n"]}
    assert size[record["i"]] == max(size.values()) and min(size.values()) == size[next(i for i in record["n"] if document["nodes"][i][2] == "pingshan-2017-reform-plan.txt")]


def test_a_corpus_links_every_entity_to_the_entity_page(corpus_files, two_documents):
    from kg.render import fact_anchor, matrix_path

    network = graph_to_network(two_documents)
    leader = node_labelled(network, "吕玉印", "Person")
    project = node_labelled(network, "深化基层治理体制改革", "ReformProject")
    pingshan = node_labelled(network, "pingshan-2017-reform-plan.txt", "SourceDocument")
    leader_page, project_page = f"entity.html#person/{leader.rsplit('/', 1)[-1]}", f"entity.html#project/{project.rsplit('/', 1)[-1]}"
    document_page = corpus_files[f"document/{pingshan.rsplit('/', 1)[-1]}.html"]
    assert {n["id"]: n["page"] for n in page_data(document_page)["nodes"]}[leader] == "../" + leader_page
    assert f"深化基层治理体制改革 → ../{project_page}" in card(document_page)["projects"]
    matrix = corpus_files[matrix_path(pingshan)].decode("utf-8")
    assert f'href="../{project_page}/{fact_anchor("leadPerson", False, leader)}"' in matrix  # the entity, then its row
    assert f'<a href="{project_page}">深化基层治理体制改革</a>' in corpus_files["ledger.html"].decode("utf-8")
    for name, data in corpus_files.items():
        if name.endswith(".html"):
            assert not re.search(r'href="(\.\./)?(person|group|tier|project)/', data.decode("utf-8")), name
    # the index lists the documents and finds the rest by name
    index = corpus_files["index.html"].decode("utf-8")
    assert 'id="kg-person-pages"' not in index and 'id="kg-find"' in index and '<script src="data/search.js">' in index
    assert "人员 " in index.split('id="kg-find-counts">', 1)[1].split("</p>", 1)[0]
    _, search = data_file(corpus_files, "data/search.js")
    kinds = [kind for kind, _ in search["kinds"]]
    (entry,) = [e for e in search["entries"] if e[0] == "区委书记 吕玉印"]
    assert kinds[entry[1]] == "person" and entry[2] == leader_page and search["documents"][entry[3]] == "pingshan-2017-reform-plan.txt"
    assert sum(1 for e in search["entries"] if kinds[e[1]] == "document") == 2


def test_every_link_of_a_corpus_s_pages_finds_its_page_or_entity(corpus_files):
    from kg.render import lookup_shard

    for name, data in corpus_files.items():
        if not name.endswith(".html"):
            continue
        for ref in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', data.decode("utf-8")):
            if ref.startswith("../") and name == "index.html":
                continue  # the exports, written beside views/ by kg build
            target, _, fragment = ref.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert target in corpus_files, (name, ref)
            if target == "entity.html":
                kind, entity = fragment.split("/")[:2]
                _, where = data_file(corpus_files, f"data/entities/{lookup_shard(entity)}.js")
                assert f"{kind}/{entity}" in where, (name, ref)


def test_a_corpus_s_data_files_escape_document_text(two_documents):
    hostile = '</script><script>alert(1)</script>&amp;\u2028<img src=x onerror=alert(2)>'
    changed, project = relabelled(two_documents, graph_to_network(two_documents), "深化基层治理体制改革", "ReformProject", hostile)
    files = render_views(changed, graph_to_network(changed), load_ontology())
    data = {name: body for name, body in files.items() if name.startswith("data/")}
    for name, body in data.items():
        text = body.decode("utf-8")
        assert not re.search("[<>&\u2028\u2029]", text), name
    document, record = entity_record(files, graph_to_network(changed), str(project))
    assert document["nodes"][record["i"]][2] == hostile  # the data round-trips exactly
    _, search = data_file(files, "data/search.js")
    assert hostile in {e[0] for e in search["entries"]}


def test_a_corpus_s_views_are_the_same_bytes_each_time(corpus_files, two_documents):
    again = render_views(two_documents, graph_to_network(two_documents), load_ontology())
    assert again == corpus_files


def test_a_corpus_may_still_have_a_page_per_entity(two_documents):
    files = render_views(two_documents, graph_to_network(two_documents), load_ontology(), shell=False)
    assert "entity.html" not in files and not any(name.startswith("data/") for name in files)
    assert sum(1 for name in files if name.startswith("person/")) >= 2


def test_kg_views_of_one_document_after_a_corpus_removes_the_entity_page_and_its_data(tmp_path, two_documents):
    corpus = tmp_path / "corpus.ttl"
    two_documents.serialize(corpus, format="turtle")
    out = tmp_path / "views"
    assert main(["views", "--graph", str(corpus), "--out", str(out)]) == 0
    assert (out / "entity.html").is_file() and any((out / "data" / "documents").iterdir()) and not (out / "project").exists()
    assert main(["views", "--graph", str(GOLDEN), "--out", str(out)]) == 0
    assert not (out / "entity.html").exists() and not (out / "data").exists() and not (out / "assets" / "entity.js").exists()
    assert len(list((out / "project").glob("*.html"))) == 25

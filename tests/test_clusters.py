"""The corpus overview's clusters and starting layout (kg.clusters), on a small graph made by hand
whose answer is known. tests/test_views.py checks the overview page that uses them, and
tests/test_browser.py the page of a 500-node corpus in Chromium."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import pytest

from kg.clusters import LABEL_DROP, LINE_EM, document_clusters, group_documents, label_width, layout_clusters, ring_layout
from kg.network import Quote

HUB_CLASSES = ("Person", "Post", "SpecialGroup", "Organization")
NODE_SIZE, BASE_FONT, HUB_PX, CANVAS = 36, 14, 14, (1160, 720)


def quote(document: str, start: int = 0) -> Quote:
    return Quote(document, start, start + 2, "……")


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    """Four documents: a and b name the place 甲 and are one cluster, c names 乙, d none.

    - a states two projects, a1 and a2, led by 张三; b one project, b1, led by him too; c two
      projects, c1 and c2, led by 李四, who heads the group 小组 of both;
    - 王五 leads a1 and c1 and c2: c states him twice, a once, so he goes with c;
    - 办公室 is the lead unit of b1 and c1, once each: a tie goes to the first group, a and b's;
    - 区 is a level that d alone names, unquoted: linked to d, so d's;
    - 孤点 no document states.
    """
    graph = nx.MultiDiGraph()

    def node(name: str, cls: str, documents: list[str], quotes: list[Quote] = (), place: list[str] = ()):
        graph.add_node(name, cls=cls, label=name, quotes=list(quotes), attrs={"place": list(place)} if place else {}, documents=documents)

    def edge(source: str, target: str, key: str, quotes: list[Quote] = ()):
        graph.add_edge(source, target, key=key, predicate=key, quotes=list(quotes), inferred=False, rule="")

    node("doc:a", "SourceDocument", ["doc:a"], place=["甲"])
    node("doc:b", "SourceDocument", ["doc:b"], place=["甲"])
    node("doc:c", "SourceDocument", ["doc:c"], place=["乙"])
    node("doc:d", "SourceDocument", ["doc:d"])
    for project, document in (("a1", "doc:a"), ("a2", "doc:a"), ("b1", "doc:b"), ("c1", "doc:c"), ("c2", "doc:c")):
        node(project, "ReformProject", [document], [quote(document)])
        edge(project, document, "inDocument")
    node("张三", "Person", ["doc:a", "doc:b"], [quote("doc:a", 10)])
    for project, document in (("a1", "doc:a"), ("a2", "doc:a"), ("b1", "doc:b")):
        edge(project, "张三", "leadPerson", [quote(document, 20)])
    node("李四", "Person", ["doc:c"], [quote("doc:c", 10)])
    node("小组", "SpecialGroup", ["doc:c"], [quote("doc:c", 30)])
    for project in ("c1", "c2"):
        edge(project, "李四", "leadPerson", [quote("doc:c", 20)])
        edge(project, "小组", "responsibleGroup", [quote("doc:c", 40)])
    node("王五", "Person", ["doc:a", "doc:c"])
    edge("a1", "王五", "leadPerson", [quote("doc:a", 50)])
    edge("c1", "王五", "leadPerson", [quote("doc:c", 50)])
    edge("c2", "王五", "leadPerson", [quote("doc:c", 60)])
    node("办公室", "Organization", ["doc:b", "doc:c"])
    edge("b1", "办公室", "leadUnit", [quote("doc:b", 70)])
    edge("c1", "办公室", "leadUnit", [quote("doc:c", 70)])
    node("区", "GovernanceLevel", ["doc:d"])
    edge("doc:d", "区", "involvesLevel")
    node("孤点", "Measure", [])
    return graph


def test_documents_that_name_one_place_are_one_group(network):
    assert group_documents(network) == [("doc:a", "doc:b"), ("doc:c",), ("doc:d",)]


def test_each_node_goes_to_the_cluster_of_the_documents_that_state_it_most(network):
    clusters = document_clusters(network, HUB_CLASSES, hubs_per_cluster=3)
    # the largest first, then by documents; the nodes no document states last
    assert [c.documents for c in clusters] == [("doc:a", "doc:b"), ("doc:c",), ("doc:d",), ()]
    assert [c.members for c in clusters] == [
        ("a1", "a2", "b1", "doc:a", "doc:b", "办公室", "张三"),  # 办公室: once each, a tie to the first
        ("c1", "c2", "doc:c", "小组", "李四", "王五"),  # 王五: twice by c, once by a
        ("doc:d", "区"),
        ("孤点",),
    ]
    # hubs: the documents, then who answers for the work with two relations or more in the
    # cluster, the most first (ties by label); 办公室 has one relation in a and b's cluster
    assert [c.hubs for c in clusters] == [("doc:a", "doc:b", "张三"), ("doc:c", "小组", "李四", "王五"), ("doc:d",), ()]
    assert [c.hubs for c in document_clusters(network, HUB_CLASSES, hubs_per_cluster=1)][1] == ("doc:c", "小组")


def test_a_cluster_s_hubs_stand_in_a_column_and_the_rest_on_rings_around_them(network):
    (ab, c, *_) = document_clusters(network, HUB_CLASSES, hubs_per_cluster=3)
    points = ring_layout(network, c, spacing=80, pitch=100)
    assert points["doc:c"] == (0.0, 0.0)
    assert [points[n] for n in ("王五", "李四", "小组")] == [(0.0, -300.0), (0.0, -200.0), (0.0, -100.0)]  # the first hub nearest
    assert sorted(round(math.dist(points[n], (0, 0))) for n in ("c1", "c2")) == [80, 80]  # the first ring
    points = ring_layout(network, ab, spacing=80, pitch=100)
    assert (points["张三"], points["doc:a"], points["doc:b"]) == ((0.0, -100.0), (0.0, 0.0), (0.0, 100.0))  # documents at the bottom


def test_the_layout_groups_clusters_apart_and_leaves_room_for_every_hub_label(network):
    clusters = document_clusters(network, HUB_CLASSES, hubs_per_cluster=3)
    layout = layout_clusters(network, clusters, 80, NODE_SIZE, BASE_FONT, HUB_PX, CANVAS)
    assert set(layout.positions) == set(network) and all(isinstance(v, int) for p in layout.positions.values() for v in p)
    # the documents first, then each cluster's first entity hub, then its second, ...
    assert layout.hub_order == ("doc:a", "doc:b", "doc:c", "doc:d", "张三", "小组", "李四", "王五")
    # no cluster reaches into another's extent
    extents = []
    for cluster in clusters:
        xs, ys = [layout.positions[m][0] for m in cluster.members], [layout.positions[m][1] for m in cluster.members]
        extents.append((min(xs), min(ys), max(xs), max(ys)))
    for p, q in combinations(extents, 2):
        assert p[2] < q[0] or q[2] < p[0] or p[3] < q[1] or q[3] < p[1], (p, q)
    # the hub labels, as estimated, are clear of one another
    boxes = {}
    for hub in layout.hub_order:
        x, y = layout.positions[hub]
        top = y + NODE_SIZE + LABEL_DROP + layout.hub_font / 2
        half = label_width(hub, layout.hub_font) / 2
        boxes[hub] = (x - half, top, x + half, top + layout.hub_font * LINE_EM)
    for (a, p), (b, q) in combinations(boxes.items(), 2):
        assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1], (a, b)
    # hub_px pixels high on the canvas the whole layout is fitted to (a little less or more: the
    # font is found in rounds)
    xs, ys = [p[0] for p in layout.positions.values()], [p[1] for p in layout.positions.values()]
    scale = min(CANVAS[0] / (max(xs) - min(xs)), CANVAS[1] / (max(ys) - min(ys)))
    assert HUB_PX * 0.8 <= layout.hub_font * scale
    assert layout_clusters(network, clusters, 80, NODE_SIZE, BASE_FONT, HUB_PX, CANVAS) == layout  # no random start


def test_label_widths_are_estimated_a_little_over_what_chromium_draws():
    # measured in Chromium with the style's font stack: 19.4, 5.6 and 13.8 em, and 1 em for a CJK character
    for label, measured in (("04-guangzhou-2012-talent-633-opinions.txt", 19.43), ("README.md", 5.56), ("pingshan-2017-reform-plan.txt", 13.83), ("区委书记", 4.0)):
        assert measured <= label_width(label, 1) <= measured * 1.2, label

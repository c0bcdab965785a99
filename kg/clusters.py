"""The overview of a corpus laid out in clusters: one per document, or one per place that several
documents name, each drawn around its hubs.

A corpus overview of a few hundred nodes, all drawn from vis-network's random start, settles into
one tangle whose labels cannot be read. Here every node is put in the cluster of the document that
states it most (its own quotes and those of its relations, counted by document); each cluster's
hubs (its documents, then the few people, posts, groups or units with the most relations in it)
stand in a column at its centre and the other members on rings around them; and the clusters are
packed in rows, each given the room its hubs' labels take. vis-network starts from these
positions, and its physics only settles them; the page labels the hubs at the default zoom
(kg/views/views.js).

Pure and deterministic: a network in, clusters and positions out, in sorted order, with no random
start; positions are rounded to whole canvas units, so the page does not carry the last bits of
the trigonometry."""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import networkx as nx

# A label's width in ems, as a sans-serif font draws it: a CJK character one em, a Latin letter or
# digit about 0.6, a thin one (i, l, t, punctuation) 0.4, a broad one (m, w, M, W) 0.9. A little
# over what Chromium measures in the font stack (19.4 em for a file name of 41 characters, here
# 22.6), so that labels estimated apart stay apart.
WIDE = ("W", "F")
NARROW_EM = 0.62
THIN = frozenset(" !'(),-./:;I[]fijlrt|J")
THIN_EM = 0.4
BROAD = frozenset("%@MWmw")
BROAD_EM = 0.9
LINE_EM = 1.25  # a label's height, in ems of its font
LABEL_DROP = 4  # vis-network hangs a node's label this far (and half its font) below its shape
FONT_ROUNDS = 6  # layouts made in search of the hub labels' font
FIT_MARGIN = 1.1  # vis-network fits the graph's extent and a tenth more to the canvas


@dataclass(frozen=True)
class Cluster:
    """The nodes drawn together: the documents that gather them, every member (the documents
    among them), and the hubs, labelled at the default zoom: the documents, then the entities of
    ``hub_classes`` with the most relations inside the cluster."""

    documents: tuple[str, ...]
    members: tuple[str, ...]
    hubs: tuple[str, ...]


@dataclass(frozen=True)
class ClusterLayout:
    """Where each node starts (canvas units), the font size of the hub labels (canvas units:
    ``hub_font_px`` pixels on a canvas of ``canvas`` pixels showing the whole layout), and the hubs
    in the order their labels are drawn: every document, then each cluster's first entity hub,
    then each one's second, and so on."""

    positions: dict[str, tuple[int, int]]
    hub_font: int
    hub_order: tuple[str, ...]


def group_documents(network) -> list[tuple[str, ...]]:
    """The documents in groups: a place that two documents or more name gathers them (and any
    other place one of them names), every other document is a group of its own. Groups are sorted
    by their first document."""
    graph = nx.Graph()
    for node, data in network.nodes(data=True):
        if data["cls"] == "SourceDocument":
            graph.add_node(node)
            for place in data["attrs"].get("place", ()):
                graph.add_edge(node, ("place", place))
    groups = (sorted(n for n in component if isinstance(n, str)) for component in nx.connected_components(graph))
    return sorted(tuple(group) for group in groups if group)


def stating_counts(network, node: str) -> Counter:
    """How often each document states a node: the quotes of the node and of its relations."""
    counts = Counter(q.document for q in network.nodes[node]["quotes"])
    for edges in (network.out_edges(node, data=True), network.in_edges(node, data=True)):
        for _, _, data in edges:
            counts.update(q.document for q in data["quotes"])
    return counts


def assign_clusters(network, groups: Sequence[tuple[str, ...]]) -> list[list[str]]:
    """The members of each group, and last those of no group (a node no document states): a node
    goes to the group whose documents state it most, a tie (or a node only linked to a document,
    unquoted) to the first group among those of its documents."""
    group_of = {document: number for number, group in enumerate(groups) for document in group}
    members: list[list[str]] = [[] for _ in range(len(groups) + 1)]
    for node, data in network.nodes(data=True):
        if node in group_of:
            members[group_of[node]].append(node)
            continue
        candidates = sorted({group_of[d] for d in data["documents"] if d in group_of})
        if not candidates:
            members[-1].append(node)
            continue
        counts = stating_counts(network, node)
        stated = Counter()
        for document, count in counts.items():
            if document in group_of:
                stated[group_of[document]] += count
        members[max(candidates, key=lambda g: (stated[g], -g))].append(node)
    return [sorted(group) for group in members]


def inner_degrees(network, members: Collection[str]) -> dict[str, int]:
    """Each member's relations with other members, an edge in either direction counted once a key."""
    inside = set(members)
    degree = dict.fromkeys(members, 0)
    for node in members:
        for _, target in network.out_edges(node):
            if target in inside and target != node:
                degree[node] += 1
                degree[target] += 1
    return degree


def document_clusters(network, hub_classes: Collection[str], hubs_per_cluster: int) -> list[Cluster]:
    """The clusters of the overview, the largest first (ties by first document), then a cluster
    of the nodes no document states, if any. A hub is a member of ``hub_classes`` related to two
    members or more; the ``hubs_per_cluster`` with the most such relations are taken."""
    groups = group_documents(network)
    clusters = []
    for group, members in zip([*groups, ()], assign_clusters(network, groups)):
        if not members:
            continue
        degree = inner_degrees(network, members)
        candidates = [n for n in members if network.nodes[n]["cls"] in hub_classes and degree[n] >= 2]
        candidates.sort(key=lambda n: (-degree[n], network.nodes[n]["label"], n))
        clusters.append(Cluster(tuple(group), tuple(members), tuple(group) + tuple(candidates[:hubs_per_cluster])))
    named = sorted((c for c in clusters if c.documents), key=lambda c: (-len(c.members), c.documents))
    return named + [c for c in clusters if not c.documents]


def ring_layout(network, cluster: Cluster, spacing: float, pitch: float) -> dict[str, tuple[float, float]]:
    """One cluster's nodes around (0, 0): its hubs in a column, ``pitch`` apart so that the label
    each hangs clears the next, the documents at the bottom (the first at the centre), the entity
    hubs above them; then the other members on rings, in breadth-first order from the hubs (the
    better-connected neighbours first), each ring as full as ``spacing`` allows. Around a ring the
    nodes follow the angles of the nodes that reached them, so that what is related stays near."""
    members = set(cluster.members)
    degree = inner_degrees(network, members)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for node in cluster.members:
        for _, target in network.out_edges(node):
            if target in members and target != node:
                neighbours[node].add(target)
                neighbours[target].add(node)

    def by_weight(nodes) -> list[str]:
        return sorted(nodes, key=lambda n: (-degree[n], n))

    positions: dict[str, tuple[float, float]] = {}
    column = [n for n in cluster.hubs if n not in cluster.documents][::-1] + list(cluster.documents)
    for number, hub in enumerate(column):
        positions[hub] = (0.0, (number - len(column) + len(cluster.documents)) * pitch)

    # The order the rings are filled in, with the node each was reached from (None: a start).
    order: list[tuple[str, str | None]] = []
    seen = set(column)
    queue = list(cluster.hubs)
    for start in [None, *by_weight(members)]:
        if start is not None and start not in seen:  # a part of the cluster its hubs do not reach
            seen.add(start)
            order.append((start, None))
            queue.append(start)
        while queue:
            node = queue.pop(0)
            for other in by_weight(neighbours[node] - seen):
                seen.add(other)
                order.append((other, node))
                queue.append(other)

    ring, placed = 1, 0
    while placed < len(order):
        radius = ring * spacing
        size = min(len(order) - placed, max(1, int(2 * math.pi * radius / spacing)))
        nodes = order[placed : placed + size]
        # Around the ring in the order of the angles of the nodes that reached them; those reached
        # from the centre, or from nowhere, spread evenly in their order.
        free = [i for i, (_, parent) in enumerate(nodes) if positions.get(parent, (0.0, 0.0)) == (0.0, 0.0)]
        angles = [_angle(positions[parent]) if parent in positions else 0.0 for _, parent in nodes]
        for rank, i in enumerate(free):
            angles[i] = 2 * math.pi * rank / len(free) - math.pi / 2
        ranked = sorted(range(size), key=lambda i: (angles[i] % (2 * math.pi), i))
        step = 2 * math.pi / size
        turn = _mean_turn([angles[i] - rank * step for rank, i in enumerate(ranked)])
        for rank, i in enumerate(ranked):
            angle = turn + rank * step
            positions[nodes[i][0]] = (radius * math.cos(angle), radius * math.sin(angle))
        placed += size
        ring += 1
    return positions


def _angle(point: tuple[float, float]) -> float:
    return math.atan2(point[1], point[0])


def _mean_turn(turns: list[float]) -> float:
    """The circular mean of some angles: the turn of a ring that best keeps its nodes near their parents."""
    return math.atan2(sum(math.sin(t) for t in turns), sum(math.cos(t) for t in turns))


def label_width(text: str, font: float) -> float:
    """A label's width as drawn in a font of ``font`` units (an estimate a little over the real one)."""
    return font * sum(_em(c) for c in text)


def _em(character: str) -> float:
    if unicodedata.east_asian_width(character) in WIDE:
        return 1.0
    return THIN_EM if character in THIN else BROAD_EM if character in BROAD else NARROW_EM


def layout_clusters(
    network,
    clusters: Sequence[Cluster],
    spacing: float,
    node_size: float,
    base_font: float,
    hub_font_px: float,
    canvas: tuple[int, int],
) -> ClusterLayout:
    """Each cluster laid out in rings (ring_layout), then the clusters packed in rows in their
    order, each in a box wide and tall enough for its hubs' labels. The hub labels' font is chosen
    so that on a canvas of ``canvas`` pixels fitted to the layout it is ``hub_font_px`` pixels: as
    the boxes grow with the font, a few rounds find it (on a corpus of many small documents, the
    labels can take more room than the canvas has, and come out smaller)."""
    font = base_font
    for round_ in range(FONT_ROUNDS):
        drop = node_size + LABEL_DROP + font / 2  # from a hub to the top of its label
        local = [ring_layout(network, cluster, spacing, drop + font * LINE_EM + node_size) for cluster in clusters]
        boxes = [_box(network, cluster, points, font, spacing, drop) for cluster, points in zip(clusters, local)]
        corners, width, height = _pack(boxes, canvas[0] / canvas[1])
        wanted = max(base_font, hub_font_px * FIT_MARGIN * max(width / canvas[0], height / canvas[1]))
        if abs(wanted - font) <= font / 50 or round_ == FONT_ROUNDS - 1:
            break
        font = wanted
    positions: dict[str, tuple[int, int]] = {}
    for points, box, (left, top) in zip(local, boxes, corners):
        x0, y0 = left - box[0] - width / 2, top - box[1] - height / 2
        for node, (x, y) in points.items():
            positions[node] = (round(x + x0), round(y + y0))
    firsts = [n for c in clusters for n in c.hubs if n in c.documents]
    entity_hubs = [[n for n in c.hubs if n not in c.documents] for c in clusters]
    rounds = [hubs[i] for i in range(max(map(len, entity_hubs), default=0)) for hubs in entity_hubs if i < len(hubs)]
    return ClusterLayout(dict(sorted(positions.items())), round(font), tuple(firsts + rounds))


def _box(network, cluster: Cluster, points: dict[str, tuple[float, float]], font: float, spacing: float, drop: float) -> tuple[float, float, float, float]:
    """What a cluster covers, (left, top, right, bottom) around its centre: its nodes with half a
    spacing around them, and the label each hub hangs ``drop`` below it."""
    left = min(x for x, _ in points.values()) - spacing / 2
    right = max(x for x, _ in points.values()) + spacing / 2
    top = min(y for _, y in points.values()) - spacing / 2
    bottom = max(y for _, y in points.values()) + spacing / 2
    for hub in cluster.hubs:
        x, y = points[hub]
        half = label_width(network.nodes[hub]["label"], font) / 2 + spacing / 4
        left, right = min(left, x - half), max(right, x + half)
        bottom = max(bottom, y + drop + font * LINE_EM + spacing / 4)
    return left, top, right, bottom


def _pack(boxes: list[tuple[float, float, float, float]], aspect: float) -> tuple[list[tuple[float, float]], float, float]:
    """Boxes in rows, in the order given, each row as long as fits, centred in the row's height
    and the rows in the width: of the row lengths tried (the widest box, and each sum of boxes
    from the first), the one whose whole is shown largest on a canvas of that ``aspect``. The
    top-left corner of each box, and the width and height of the whole."""
    sizes = [(b[2] - b[0], b[3] - b[1]) for b in boxes]
    widest = max(w for w, _ in sizes)
    best = None
    for limit in sorted({widest, *itertools.accumulate(w for w, _ in sizes)}):
        if limit < widest:
            continue
        rows: list[list[int]] = [[]]
        length = 0.0
        for number, (w, _) in enumerate(sizes):
            if rows[-1] and length + w > limit:
                rows.append([])
                length = 0.0
            rows[-1].append(number)
            length += w
        width = max(sum(sizes[i][0] for i in row) for row in rows)
        height = sum(max(sizes[i][1] for i in row) for row in rows)
        shown = min(aspect / width, 1 / height)  # the scale of the whole fitted to a canvas of that shape
        if best is None or shown > best[0]:
            best = (shown, rows, width, height)
    _, rows, width, height = best
    corners: list[tuple[float, float]] = [(0.0, 0.0)] * len(sizes)
    top = 0.0
    for row in rows:
        x = (width - sum(sizes[i][0] for i in row)) / 2
        row_height = max(sizes[i][1] for i in row)
        for i in row:
            corners[i] = (x, top + (row_height - sizes[i][1]) / 2)
            x += sizes[i][0]
        top += row_height
    return corners, width, height

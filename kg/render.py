"""kg.network's projection → the HTML views under ``output/views/``: self-contained, offline,
every document string shown as text.

pyvis assembles each page's nodes, edges and vis-network options. The page around them comes
from ``kg/views/*.html`` (Jinja2, autoescaped), because pyvis 0.3.2's own template loads Bootstrap
and vis-network from CDNs in every ``cdn_resources`` mode, writes its heading unescaped and turns
titles containing "href" into HTML. vis-network (pyvis's bundled copy) and the page script are
written once, to ``views/assets/``, and every page refers to them by a relative path.

The look (colours, shapes, fonts, vis-network options) is in ``kg/views/style.toml`` and the page
words in ``kg/views/text.toml``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network
from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .clusters import ClusterLayout, document_clusters, layout_clusters
from .errors import RuleFileError
from .network import EDGES, NODE_CLASSES, Projection, Quote, local_name
from .vocab import ID, RKG

VIEWS_DIR = Path(__file__).resolve().parent / "views"
STYLE_PATH = VIEWS_DIR / "style.toml"
TEXT_PATH = VIEWS_DIR / "text.toml"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"

# Files every page shares, written once under views/assets/.
ASSETS = {
    "vis-network.min.js": VIS_DIR / "vis-network.min.js",
    "vis-network.css": VIS_DIR / "vis-network.css",
    "views.js": VIEWS_DIR / "views.js",
    "tables.js": VIEWS_DIR / "tables.js",
    "views.css": VIEWS_DIR / "views.css",
}

# Classes whose nodes get a page of their own, and the folder it goes in.
PAGE_KINDS = {
    "SourceDocument": "document",
    "Person": "person",
    "SpecialGroup": "group",
    "ProjectTier": "tier",
    "ReformProject": "project",
}
# The folder of each document's responsibility matrix, and the ledger's page: tables, not graphs.
MATRIX_FOLDER = "matrix"
LEDGER_PAGE = "ledger.html"
# A corpus's people, groups, tiers and projects have no file each: one page draws any of them in
# the browser from the data files under data/, the entity named in its fragment
# (``entity.html#project/5fb77a7e9f95e2f9``), so that a corpus's pages grow with its documents.
ENTITY_SHELL = "entity.html"
SHELL_KINDS = ("person", "group", "tier", "project")
DATA_FOLDER = "data"
# The scripts of a corpus's pages only: the entity page's, and the index's search.
SHELL_ASSETS = {"entity.js": VIEWS_DIR / "entity.js", "search.js": VIEWS_DIR / "search.js"}
SHAPES = {"dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon", "box", "ellipse", "database"}
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Font names, quoted or not, separated by commas: nothing that could end the <style> it goes into.
FONT_STACK = re.compile(r"""\s*(?:"[\w ]+"|[\w-]+)(?:\s*,\s*(?:"[\w ]+"|[\w-]+))*\s*""")
TOOLTIP_QUOTES = 2  # quotes per node or edge in its tooltip; a project page lists them all
TOOLTIP_CHARS = 160
# The words of text.toml that views.js shows, which each graph page carries.
PAGE_WORDS = ("inferred_by", "no_evidence", "search_found", "search_none")


@dataclass(frozen=True)
class ClassStyle:
    color: str
    shape: str


@dataclass(frozen=True)
class Style:
    font_stack: str
    fold_above: int
    fold_shared: tuple[str, ...]
    fold_shared_below: int
    edge_labels_below: int
    edge_color: str
    inferred_color: str
    dimmed_color: str
    focus_border_width: int
    focus_font_size: int
    distant_labels_zoom: float
    readable_label_px: int
    cluster_spacing: int
    hub_classes: tuple[str, ...]
    hubs_per_cluster: int
    hub_font_px: int
    overview_canvas: tuple[int, int]
    clustered_physics: dict
    classes: dict[str, ClassStyle]
    options: dict


@dataclass(frozen=True)
class View:
    """One page: its path under views/, what it is about, and the nodes it draws."""

    path: str
    kind: str
    title: str
    focus: str | None
    nodes: Collection[str]  # a set, the whole network (the overview) or a Neighbourhood


class Neighbourhood(Collection):
    """The nodes of an entity's page: counted as the pages are planned, found again as the page
    is drawn. A corpus has a page for each of 100,000 entities or more, and their sets of nodes
    would all be held until the last page is written."""

    __slots__ = ("network", "focus", "size")

    def __init__(self, network: Projection | nx.MultiDiGraph, focus: str):
        self.network, self.focus = network, focus
        self.size = len(neighbourhood(network, focus))

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[str]:
        return iter(neighbourhood(self.network, self.focus))

    def __contains__(self, node) -> bool:
        return node in neighbourhood(self.network, self.focus)


def read_asset(path: Path) -> bytes:
    """An asset as shipped, less a source-map comment: the map is not shipped, and a browser's
    developer tools would go looking for it."""
    return re.sub(rb"\s*//# sourceMappingURL=\S+\s*$", b"\n", path.read_bytes())


def load_style(path: Path = STYLE_PATH) -> Style:
    data = _read_toml(path)
    classes = {}
    for cls in NODE_CLASSES:
        name = local_name(cls)
        entry = data.get("classes", {}).get(name)
        if not isinstance(entry, dict):
            raise RuleFileError(f"[classes.{name}] is missing; every drawn class needs a colour and a shape", str(path))
        if not COLOR.fullmatch(str(entry.get("color", ""))):
            raise RuleFileError(f"[classes.{name}] color must be #rrggbb, got {entry.get('color')!r}", str(path))
        if entry.get("shape") not in SHAPES:
            raise RuleFileError(f"[classes.{name}] shape must be one of {', '.join(sorted(SHAPES))}, got {entry.get('shape')!r}", str(path))
        classes[name] = ClassStyle(entry["color"], entry["shape"])
    unknown = [name for name in data.get("hub_classes", ()) if name not in classes]
    if unknown:
        raise RuleFileError(f"hub_classes names {', '.join(map(repr, unknown))}, not a drawn class; use {', '.join(classes)}", str(path))
    if not FONT_STACK.fullmatch(str(data.get("font_stack", ""))):
        raise RuleFileError(f"font_stack must be font names, quoted or not, separated by commas; got {data.get('font_stack')!r}", str(path))
    try:
        return Style(
            # checked above, and CSS, not HTML: HTML escaping inside <style> would break the quotes
            font_stack=Markup(data["font_stack"]),
            fold_above=int(data["fold_above"]),
            fold_shared=tuple(data["fold_shared"]),
            fold_shared_below=int(data["fold_shared_below"]),
            edge_labels_below=int(data["edge_labels_below"]),
            edge_color=str(data["edge_color"]),
            inferred_color=str(data["inferred_color"]),
            dimmed_color=str(data["dimmed_color"]),
            focus_border_width=int(data["focus_border_width"]),
            focus_font_size=int(data["focus_font_size"]),
            distant_labels_zoom=float(data["distant_labels_zoom"]),
            readable_label_px=int(data["readable_label_px"]),
            cluster_spacing=int(data["cluster_spacing"]),
            hub_classes=tuple(data["hub_classes"]),
            hubs_per_cluster=int(data["hubs_per_cluster"]),
            hub_font_px=int(data["hub_font_px"]),
            overview_canvas=(int(data["overview_canvas"][0]), int(data["overview_canvas"][1])),
            clustered_physics=dict(data["clustered_physics"]),
            classes=classes,
            options=dict(data.get("options", {})),
        )
    except KeyError as exc:
        raise RuleFileError(f"missing key {exc.args[0]!r}", str(path)) from None


@lru_cache(maxsize=1)
def load_text(path: Path = TEXT_PATH) -> dict:
    return _read_toml(path)


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read: {exc}", str(path)) from None


def vocabulary_labels(ontology: Graph) -> dict[str, dict[str, str]]:
    """Local name of each rkg: term → its labels by language ("zh", "en")."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for term, label in ontology.subject_objects(RDFS.label):
        if isinstance(term, URIRef) and str(term).startswith(str(RKG._NS)) and label.language:
            labels[local_name(term)].setdefault(label.language.split("-")[0], str(label))
    return dict(labels)


def page_path(node: str, cls: str, shell: bool = False) -> str | None:
    """views/-relative path of a node's page, e.g. ``person/5fb77a7e9f95e2f9.html``; with
    ``shell`` (a corpus), a person's, group's, tier's or project's is the entity page's
    (``entity.html#person/5fb77a7e9f95e2f9``). assets/entity.js finds them as this does."""
    kind = PAGE_KINDS.get(cls)
    if kind is None:
        return None
    name = _local(node)
    return f"{ENTITY_SHELL}#{kind}/{name}" if shell and kind in SHELL_KINDS else f"{kind}/{name}.html"


def _local(node: str) -> str:
    """The last part of a node's IRI, which names its page: a hash, or a slug."""
    return node.rstrip("/").rsplit("/", 1)[-1]


def page_row(page: str, anchor: str) -> str:
    """The link to a row of a page's facts table: the entity page's fragment names the entity,
    then the row (``entity.html#project/…/fact-…``), which assets/entity.js scrolls to."""
    return f"{page}/{anchor}" if "#" in page else f"{page}#{anchor}"


def plan_views(network: Projection | nx.MultiDiGraph, text: dict) -> list[View]:
    """The overview, the problem map, and a page for each document, person, group, tier and project."""
    kinds = text["kinds"]
    views = [
        View("overview.html", "overview", kinds["overview"], None, network),
        View("problems.html", "problems", kinds["problems"], None, frozenset(problem_map_nodes(network))),
    ]
    by_document = document_index(network)
    for node, data in network.nodes(data=True):
        path = page_path(node, data["cls"])
        if path is None:
            continue
        kind = PAGE_KINDS[data["cls"]]
        nodes = by_document.get(node, {node}) if kind == "document" else Neighbourhood(network, node)
        views.append(View(path, kind, view_title(network, node, text), node, nodes))
    return views


def view_title(network: Projection | nx.MultiDiGraph, node: str, text: dict) -> str:
    """A person is titled by post and name (``区委书记 张三``); other nodes by their label."""
    data = network.nodes[node]
    if data["cls"] != "Person":
        return data["label"]
    posts = sorted(network.nodes[o]["label"] for _, o, key in network.out_edges(node, keys=True) if key == "holdsPost")
    return f"{text['list_sep'].join(posts)} {data['label']}".strip()


def neighbourhood(network: Projection | nx.MultiDiGraph, focus: str) -> set[str]:
    """What a page about one node draws: the node, its neighbours, the neighbours of the projects
    among them (a leader's projects with their groups, tiers and problems), and the posts of the
    people drawn. Documents count only as direct neighbours: through them everything connects."""
    nodes = {focus} | _neighbours(network, focus)
    for n in list(nodes):
        if network.nodes[n]["cls"] == "ReformProject" and n != focus:
            nodes |= {m for m in _neighbours(network, n) if network.nodes[m]["cls"] != "SourceDocument"}
    for n in list(nodes):
        if network.nodes[n]["cls"] == "Person":
            nodes |= {o for _, o, key in network.out_edges(n, keys=True) if key == "holdsPost"}
    return nodes


def _neighbours(network: Projection | nx.MultiDiGraph, node: str) -> set[str]:
    return set(network.successors(node)) | set(network.predecessors(node))


def document_index(network: Projection | nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each document → the nodes it states (a document's page draws them): made once, as a
    corpus has thousands of documents and of nodes."""
    index: dict[str, set[str]] = defaultdict(set)
    for node, documents in network.nodes(data="documents"):
        for document in documents:
            index[document].add(node)
    return index


def view_edges(network: Projection | nx.MultiDiGraph, nodes: frozenset[str]) -> list[tuple]:
    """The edges between ``nodes``, (source, target, key, data), looked up from the smaller side
    of each node: a level or a problem shared by thousands of projects is on many pages, and
    walking all its edges on each would make the pages quadratic in the corpus."""
    edges = []
    for source in nodes:
        successors = network.succ[source]
        targets = (t for t in successors if t in nodes) if len(successors) <= len(nodes) else (t for t in nodes if t in successors)
        for target in targets:
            edges.extend((source, target, key, data) for key, data in successors[target].items())
    return edges


def problem_map_nodes(network: Projection | nx.MultiDiGraph) -> set[str]:
    """Projects with the problems they target and the levels they involve: projects sharing a
    problem or a level meet at its node."""
    nodes = set()
    for s, o, key in network.edges(keys=True):
        if key in ("addressesProblem", "involvesLevel"):
            nodes |= {s, o}
    return nodes


class _Ids(list):
    """pyvis's list of node ids, with set lookup: ``Network.add_node`` and ``add_edge`` test
    membership in it, which is quadratic (1.1 s at 5,000 nodes and 10,000 edges)."""

    def __init__(self):
        super().__init__()
        self.members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self.members.add(item)

    def __contains__(self, item) -> bool:
        return item in self.members


def view_to_pyvis(
    network: Projection | nx.MultiDiGraph,
    view: View,
    style: Style,
    labels: dict,
    doc_labels: dict[str, str],
    degrees: dict | None = None,
    layout: ClusterLayout | None = None,
    shell: bool = False,
) -> Network:
    """The pyvis network of one view: class colour and shape, size by degree in the whole graph
    (``degrees``, where they are counted once for many views), evidence quotes for the tooltips,
    inferred relations dashed. On an entity's page (``view.focus``) the subject is drawn largest,
    with a thick border and a larger label, and a document no larger than the smallest node: by
    degree it would dwarf everything, as every project of a plan is in it. An overview laid out in
    clusters (``layout``) gives each node its starting place and the hubs' labels their font.
    ``shell``: the pages linked are a corpus's (page_path)."""
    net = Network(directed=True)
    net.node_ids = _Ids()
    hubs = set(layout.hub_order) if layout is not None else set()
    depth = view.path.count("/")
    nodes = sorted(view.nodes)
    values = node_values(network, nodes, view.focus, degrees)
    for node in nodes:
        data = network.nodes[node]
        look = style.classes[data["cls"]]
        page = page_path(node, data["cls"], shell)
        emphasis = {"borderWidth": style.focus_border_width, "font": {"size": style.focus_font_size}} if node == view.focus else {}
        if layout is not None:
            emphasis = dict(zip("xy", layout.positions[node]))
            if node in hubs:
                # Held where the layout puts it while the rest settles around (views.js lets go after).
                emphasis.update(font={"size": layout.hub_font}, fixed=True)
        net.add_node(
            node,
            label=data["label"],
            shape=look.shape,
            color=look.color,
            value=values[node],
            cls=data["cls"],
            page=("../" * depth + page) if page else None,
            quotes=_tooltip_quotes(data["quotes"], doc_labels),
            **emphasis,
        )
    edges = sorted(view_edges(network, view.nodes), key=lambda e: (e[0], e[2], e[1]))
    show_labels = len(edges) < style.edge_labels_below
    for number, (s, o, key, data) in enumerate(edges):
        relation = labels.get(key, {}).get("zh") or data.get("relation", key)
        net.add_edge(
            s,
            o,
            id=f"e{number}",
            label=relation if show_labels else None,
            relation=relation,
            pred=key,
            inferred=data["inferred"],
            rule=data["rule"],
            dashes=data["inferred"],
            color=style.inferred_color if data["inferred"] else style.edge_color,
            quotes=_tooltip_quotes(data["quotes"], doc_labels),
            **({"value": data["count"]} if "count" in data else {}),
        )
    net.options = canvas_options(style, clustered=layout is not None)
    return net


def node_values(network: Projection | nx.MultiDiGraph, nodes: list[str], focus: str | None, degrees: dict | None) -> dict[str, int]:
    """The size of each node drawn: its degree, but on an entity's page the subject's is the
    largest and a document's the smallest of the others (view_to_pyvis)."""
    data = {node: network.nodes[node] for node in nodes}  # each read once: a Projection makes a dict at each
    values = {node: data[node].get("size", degrees[node] if degrees is not None else network.degree(node)) for node in nodes}
    if focus in values:
        others = [v for n, v in values.items() if n != focus and data[n]["cls"] != "SourceDocument"]
        for node in nodes:
            if node != focus and data[node]["cls"] == "SourceDocument":
                values[node] = min(others, default=values[node])
        values[focus] = max(values.values())
    return values


def canvas_options(style: Style, clustered: bool = False) -> dict:
    """vis-network's options, with the font stack for the labels it draws on the canvas, and for
    an overview laid out in clusters the physics that only settles it."""
    options = json.loads(json.dumps(style.options))
    for part in ("nodes", "edges"):
        options.setdefault(part, {}).setdefault("font", {})["face"] = str(style.font_stack)
    if clustered:
        _merge(options.setdefault("physics", {}), style.clustered_physics)
    return options


def _merge(into: dict, changes: dict) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = json.loads(json.dumps(value))


def _tooltip_quotes(quotes: list[Quote], doc_labels: dict[str, str]) -> list[dict]:
    return [{"text": _tooltip_text(q.text), "document": doc_labels.get(q.document, q.document), "start": q.start, "end": q.end} for q in quotes[:TOOLTIP_QUOTES]]


def _tooltip_text(text: str) -> str:
    return text if len(text) <= TOOLTIP_CHARS else text[: TOOLTIP_CHARS - 1] + "\u2026"


def script_json(data) -> Markup:
    """JSON to embed in ``<script type="application/json">``: "<", ">" and "&" escaped as JSON
    escapes, so no document text can close the element or open a comment; marked safe so the
    template's HTML escaping leaves it as it is."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The templates' environment, one a process: it keeps each template compiled (30 ms each)."""
    env = Environment(loader=FileSystemLoader(VIEWS_DIR), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["script_json"] = script_json
    return env


def compile_templates() -> None:
    """Compile the pages' templates now, as a build does while its workers extract."""
    for name in ("page.html", "index.html", "ontology.html", "matrix.html", "ledger.html", "entity.html"):
        _environment().get_template(name)


def render_views(
    graph: Graph,
    network: Projection | nx.MultiDiGraph,
    ontology: Graph,
    style: Style | None = None,
    triples: int | None = None,
    lazy: bool = False,
    ledger: list[list[str]] | None = None,
    downloads: dict[str, str] | None = None,
    shell: bool | None = None,
) -> dict:
    """Every page of the views and their shared assets, as views/-relative path → UTF-8 bytes
    (``lazy``: the graph pages as functions that write them to a file, kg.export.Content).
    ``graph`` holds at least the documents' stated figures; ``triples``: the whole graph's count
    (by default, ``graph``'s); ``ledger``: the ledger's rows (kg.ledger), which a build has made
    for ledger.xlsx already; by default they are made from ``graph``, which must then be whole.
    ``downloads``: the exports beside views/ that the landing page lists, name → path
    (kg.export.download_paths; by default none). ``shell``: whether the people, groups, tiers and projects are drawn
    by the entity page from data files (ENTITY_SHELL) rather than a page each; by default, where
    there is more than one document."""
    style = style or load_style()
    text = load_text()
    labels = vocabulary_labels(ontology)
    env = _environment()
    doc_labels = {n: d["label"] for n, d in network.nodes(data=True) if d["cls"] == "SourceDocument"}
    shell = len(doc_labels) > 1 if shell is None else shell
    views = plan_views(network, text)
    counts = Counter(d["cls"] for _, d in network.nodes(data=True))
    classes = [
        {"name": name, "label": labels.get(name, {}).get("zh", name), "en": labels.get(name, {}).get("en", name), "color": look.color, "shape": look.shape, "count": counts.get(name, 0)}
        for name, look in style.classes.items()
    ]
    files = {f"assets/{name}": read_asset(source) for name, source in ASSETS.items()}
    page = env.get_template("page.html")
    degrees = dict(network.degree())
    figures = {n: document_figures(graph, n) for n in doc_labels}

    def render_page(view: View) -> bytes:
        folded = view.kind in FOLDED_HINTS and len(view.nodes) > style.fold_above
        if not folded:
            drawn = network
        elif view.kind == "overview":
            drawn = fold_by_document(network, style, text)
        else:
            drawn = fold_problem_map(network, view.nodes, text)
        # The nodes drawn as a set, looked up many times: a Neighbourhood is found again here.
        shown = dataclasses.replace(view, nodes=frozenset(drawn.nodes if folded else view.nodes))
        layout = overview_layout(network, style) if view.kind == "overview" and not folded else None
        net = view_to_pyvis(drawn, shown, style, labels, doc_labels, None if folded else degrees, layout, shell)
        nodes, edges, _, _, _, options = net.get_network_data()
        depth = view.path.count("/")
        present = Counter(n["cls"] for n in nodes)
        payload = {
            "nodes": nodes,
            "edges": edges,
            "options": json.loads(options),  # pyvis hands them over as JSON text
            "classes": [dict(c, count=present[c["name"]]) for c in classes if present[c["name"]]],
            "index": search_index(network) if folded else [],
            "root": "../" * depth,
            "colors": {"dimmed": style.dimmed_color},
            "ui": {word: text[word] for word in PAGE_WORDS},
            "name": view.path.rsplit("/", 1)[-1].removesuffix(".html"),
            # The subject, centred once settled, and the nodes whose labels show at that zoom.
            "focus": view.focus,
            "near": sorted(_neighbours(network, view.focus) & shown.nodes) if view.focus else [],
            # An overview in clusters: the hubs, whose labels show at that zoom, in the order drawn.
            "hubs": list(layout.hub_order) if layout else [],
            "distant_labels_zoom": style.distant_labels_zoom,
            "readable_label_px": style.readable_label_px,
        }
        facts = focus_facts(network, view.focus, labels, doc_labels, text, shell) if view.focus else []
        card = summary_card(CardContext(network, "../" * depth, text, figures, shell), view.focus, view.kind, labels) if view.focus else []
        html = page.render(
            view=view, root="../" * depth, text=text, style=style, payload=payload, facts=facts, card=card, folded_hint=text[FOLDED_HINTS[view.kind]] if folded else "",
            kind_label=text["kinds"][view.kind], description=text["descriptions"].get(view.kind, ""), node_count=len(nodes), edge_count=len(edges),
        )
        return html.encode("utf-8")

    def render_matrix(document: str) -> bytes:
        matrix = responsibility_matrix(network, document, labels, doc_labels, text, shell)
        return env.get_template("matrix.html").render(root="../", text=text, style=style, document=doc_labels[document], document_page="../" + page_path(document, "SourceDocument"), **matrix).encode("utf-8")

    drawn_here = [view for view in views if not (shell and view.kind in SHELL_KINDS)]
    for view in drawn_here:
        # Lazily, a page is rendered as it is written: a corpus's pages are never all in memory.
        files[view.path] = partial(_write_rendered, render_page, view) if lazy else render_page(view)
    search = None
    if shell:
        site = shell_site(style, labels, classes, text)
        files[ENTITY_SHELL] = env.get_template("entity.html").render(root="", text=text, style=style, site=site, folded_hint="").encode("utf-8")
        files.update({f"assets/{name}": read_asset(source) for name, source in SHELL_ASSETS.items()})
        entities = [view for view in views if view.kind in SHELL_KINDS]
        files.update(entity_data(network, entities, list(style.classes), degrees, labels, doc_labels, text, lazy))
        search = search_entries(network, [v for v in views if v.kind == "document"] + entities, doc_labels, text)
        files[f"{DATA_FOLDER}/search.js"] = data_script("search", search)
    for document in sorted(doc_labels):
        files[matrix_path(document)] = partial(_write_rendered, render_matrix, document) if lazy else render_matrix(document)
    if ledger is None:
        from .ledger import engine_to_ledger
        from .query import open_engine

        ledger = engine_to_ledger(open_engine(graph, "oxigraph"))
    files[LEDGER_PAGE] = env.get_template("ledger.html").render(root="", text=text, style=style, **ledger_table(ledger, network, shell)).encode("utf-8")
    summary = dataset_summary(graph, network, views, classes, text, len(graph) if triples is None else triples, downloads)
    files["index.html"] = env.get_template("index.html").render(root="", text=text, style=style, search=search, **summary).encode("utf-8")
    return files


def render_diff(page: dict, style: Style | None = None) -> bytes:
    """kg diff's page (diff.html) from kg.diff.diff_to_page: one file, its styles inside it,
    as nothing is written beside it."""
    css = Markup(read_asset(ASSETS["views.css"]).decode("utf-8"))  # our stylesheet, not document text
    html = _environment().get_template("diff.html").render(root="", text=load_text(), style=style or load_style(), css=css, **page)
    return html.encode("utf-8")


def _write_rendered(render_page: Callable[[View], bytes], view: View, handle) -> None:
    handle.write(render_page(view))


def render_ontology(ontology: Graph, style: Style | None = None) -> bytes:
    """``output/ontology.html``: every class and property of ontology.ttl with its zh and en
    labels, comments, domain, range, alignments and inverse. It sits beside views/, whose assets
    it uses."""
    from .describe import describe_terms

    html = _environment().get_template("ontology.html").render(root="views/", text=load_text(), style=style or load_style(), terms=describe_terms(ontology))
    return html.encode("utf-8")


def fold_by_document(network: Projection | nx.MultiDiGraph, style: Style, text: dict) -> nx.MultiDiGraph:
    """A graph too large to draw, as its documents: each sized by the nodes it states, two linked
    by how many people, groups, units or problems (style.toml's fold_shared) they share. Posts and
    levels are left out of the count: nearly every plan names 区长 and 街道; so is a node that
    fold_shared_below documents or more state."""
    members: Counter = Counter()
    shared: Counter = Counter()
    for node, data in network.nodes(data=True):
        members.update(data["documents"])
        if data["cls"] in style.fold_shared and len(data["documents"]) < style.fold_shared_below:
            shared.update(itertools.combinations(sorted(data["documents"]), 2))
    folded = nx.MultiDiGraph()
    for doc in sorted(d for d in members if d in network):
        data = network.nodes[doc]
        folded.add_node(doc, **{**data, "label": f"{data['label']} ({members[doc]})", "size": members[doc]})
    for (a, b), count in sorted(shared.items()):
        folded.add_edge(a, b, key="shared", relation=f"{text['shared']} {count}", count=count, quotes=[], inferred=False, rule="")
    return folded


def fold_problem_map(network: Projection | nx.MultiDiGraph, nodes: frozenset[str], text: dict) -> nx.MultiDiGraph:
    """A problem map too large to draw, as its problems and levels: each sized by the projects
    that target or involve it, a problem and a level linked by how many projects do both."""
    projects: dict[str, set[str]] = defaultdict(set)
    both: Counter = Counter()
    for project in sorted(n for n in nodes if network.nodes[n]["cls"] == "ReformProject"):
        ends = {key: sorted({o for _, o, k in network.out_edges(project, keys=True) if k == key}) for key in ("addressesProblem", "involvesLevel")}
        for node in (*ends["addressesProblem"], *ends["involvesLevel"]):
            projects[node].add(project)
        both.update(itertools.product(ends["addressesProblem"], ends["involvesLevel"]))
    folded = nx.MultiDiGraph()
    for node in sorted(projects):
        data = network.nodes[node]
        folded.add_node(node, **{**data, "label": f"{data['label']} ({len(projects[node])})", "size": len(projects[node])})
    for (problem, level), count in sorted(both.items()):
        folded.add_edge(problem, level, key="shared", relation=f"{text['shared_projects']} {count}", count=count, quotes=[], inferred=False, rule="")
    return folded


def overview_layout(network: Projection | nx.MultiDiGraph, style: Style) -> ClusterLayout | None:
    """Where the overview's nodes start, in clusters by document (kg.clusters); None for the
    graph of one document, which vis-network lays out well from its own start."""
    clusters = document_clusters(network, style.hub_classes, style.hubs_per_cluster)
    if sum(1 for c in clusters if c.documents) < 2:
        return None
    nodes = style.options["nodes"]
    return layout_clusters(network, clusters, style.cluster_spacing, nodes["scaling"]["max"], nodes["font"]["size"], style.hub_font_px, style.overview_canvas)


# The views drawn folded above style.fold_above nodes, and the text.toml key of the hint each shows.
FOLDED_HINTS = {"overview": "folded_hint", "problems": "folded_problems_hint"}


def search_index(network: Projection | nx.MultiDiGraph) -> list[list[str]]:
    """Every label with the page of its (first) document, for a folded overview's search."""
    return sorted([data["label"], page_path(data["documents"][0], "SourceDocument")] for _, data in network.nodes(data=True) if data["documents"])


def focus_edges(network: Projection | nx.MultiDiGraph, focus: str) -> list[tuple]:
    """The relations of a node, (source, target, key, data, the other end), in the order of its
    facts table: by relation, then the other end's label."""
    edges = [(s, o, key, data, o) for s, o, key, data in network.out_edges(focus, keys=True, data=True)]
    edges += [(s, o, key, data, s) for s, o, key, data in network.in_edges(focus, keys=True, data=True)]
    labels = {other: network.nodes[other]["label"] for *_, other in edges}
    return sorted(edges, key=lambda e: (e[2], labels[e[4]], e[4]))


def focus_facts(network: Projection | nx.MultiDiGraph, focus: str, labels: dict, doc_labels: dict[str, str], text: dict, shell: bool = False) -> list[dict]:
    """The rows under a page's graph: every relation of the focus node with the sentences that
    state it, then the sentences that mention the node itself."""
    rows = []
    for s, o, key, data, other in focus_edges(network, focus):
        other_data = network.nodes[other]
        page = page_path(other, other_data["cls"], shell)
        rows.append(
            {
                "relation": labels.get(key, {}).get("zh", key),
                "incoming": o == focus,
                "anchor": fact_anchor(key, o == focus, other),
                "other": other_data["label"],
                "page": page,
                "inferred": data["rule"] if data["inferred"] else "",
                "quotes": [_fact_quote(q, other_data["label"], doc_labels) for q in data["quotes"]],
            }
        )
    own = network.nodes[focus]["quotes"]
    if own:
        rows.append({"relation": text["mention"], "incoming": False, "anchor": "fact-mention", "other": network.nodes[focus]["label"], "page": None, "inferred": "", "quotes": [_fact_quote(q, network.nodes[focus]["label"], doc_labels) for q in own]})
    return rows


def _fact_quote(quote: Quote, marked: str, doc_labels: dict[str, str]) -> dict:
    """A quote for the facts table, split around the first place it names ``marked`` (the other
    end of the relation), which the page highlights."""
    at = quote.text.find(marked) if marked else -1
    before, mark, after = (quote.text, "", "") if at < 0 else (quote.text[:at], marked, quote.text[at + len(marked) :])
    return {"before": before, "mark": mark, "after": after, "document": doc_labels.get(quote.document, quote.document), "start": quote.start, "end": quote.end}


def dataset_summary(
    graph: Graph, network: Projection | nx.MultiDiGraph, views: list[View], classes: list[dict], text: dict, triples: int, downloads: dict[str, str] | None = None
) -> dict:
    """What the landing page says: the documents with their stated and found figures, counts
    per class, and the pages by kind."""
    documents = []
    for node, data in sorted(network.nodes(data=True), key=lambda nd: nd[1]["label"]):
        if data["cls"] != "SourceDocument":
            continue
        projects = sum(1 for s, _, key in network.in_edges(node, keys=True) if key == "inDocument" and network.nodes[s]["cls"] == "ReformProject")
        attrs = data["attrs"]
        documents.append(
            {
                "label": data["label"],
                "page": page_path(node, data["cls"]),
                "genre": ", ".join(attrs.get("genre", [])),
                "place": ", ".join(attrs.get("place", [])),
                "projects": projects,
                "node": node,
                "figures": document_figures(graph, node),
                "matrix": matrix_path(node),
            }
        )
    places, groups = place_summary(graph, documents)
    by_kind: dict[str, list[View]] = defaultdict(list)
    for view in views:
        by_kind[view.kind].append(view)
    ordinal = {n: int(d["attrs"]["ordinal"][0]) for n, d in network.nodes(data=True) if d["attrs"].get("ordinal")}
    for kind, group in by_kind.items():
        group.sort(key=lambda v: (ordinal.get(v.focus, 1 << 30), v.title, v.path))
    people = [v for v in by_kind.get("person", [])]
    example = people[0].title.rsplit(" ", 1)[-1] if people else None
    return {
        "downloads": [(path, text["file_notes"][name]) for name, path in (downloads or {}).items()],
        "documents": documents,
        "document_groups": groups,
        "places": places,
        "classes": classes,
        "triples": triples,
        "nodes": network.number_of_nodes(),
        "edges": network.number_of_edges(),
        "inferred": sum(1 for *_, d in network.edges(data=True) if d["inferred"]),
        "views": by_kind,
        "kinds": text["kinds"],
        "example_person": example,
        "ledger_page": LEDGER_PAGE,
    }



# The tiers of the division code list, highest first, as rkg:divisionLevel names them.
PLACE_TIERS = (RKG.ProvinceLevel, RKG.PrefectureLevel, RKG.CountyLevel)


def place_summary(graph: Graph, documents: list[dict]) -> tuple[list[dict], list[dict]]:
    """The places of the documents (rkg:issuingPlace and the divisions above it) with how many
    documents and projects each holds, highest first and each followed by those under it; and
    the documents grouped by province and city, those with no place last. ``documents`` are
    ``dataset_summary``'s rows."""
    chains: dict[str, list[URIRef]] = {}
    for d in documents:
        place = graph.value(URIRef(d["node"]), RKG.issuingPlace)
        chain = []
        while place is not None and place not in chain and len(chain) < len(PLACE_TIERS):
            chain.append(place)
            place = graph.value(place, SKOS.broader)
        chains[d["node"]] = chain[::-1]  # province first

    def describe(place: URIRef) -> dict:
        level = graph.value(place, RKG.divisionLevel)
        return {
            "label": str(graph.value(place, RDFS.label) or ""),
            "code": str(graph.value(place, RKG.divisionCode) or ""),
            "depth": PLACE_TIERS.index(level) if level in PLACE_TIERS else 0,
        }

    counts: dict[URIRef, list[int]] = defaultdict(lambda: [0, 0])
    for d in documents:
        for place in chains[d["node"]]:
            counts[place][0] += 1
            counts[place][1] += d["projects"]
    places = sorted(({**describe(p), "documents": n, "projects": k} for p, (n, k) in counts.items()), key=lambda p: p["code"])
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for d in documents:
        chain = [describe(p) for p in chains[d["node"]]][:2]
        key = tuple((c["code"], c["label"]) for c in chain)
        groups[key].append(d)
    ordered = sorted(groups.items(), key=lambda kv: (not kv[0], [c for c, _ in kv[0]]))
    return places, [{"place": " / ".join(label for _, label in key), "codes": [c for c, _ in key], "documents": docs} for key, docs in ordered]


# --- the summary card -----------------------------------------------------------------------------

# The rows of each kind's summary card, top to bottom: the term naming the row (a key of text.toml's
# [card], else an ontology term whose zh label is used), how its values are read (a key of
# CARD_READERS) and the relation or attribute read. An analyst reads a project's card as the
# ledger's row: who leads it, through which group, by when, against what.
CARD_ROWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "project": (
        ("ordinal", "attr", "ordinal"),
        ("leadPerson", "leaders", ""),
        ("responsibleGroup", "out", "responsibleGroup"),
        ("tier", "out", "tier"),
        ("leadUnit", "out", "leadUnit"),
        ("supportUnit", "out", "supportUnit"),
        ("deadline", "attr", "deadline"),
        ("addressesProblem", "out", "addressesProblem"),
        ("involvesLevel", "out", "involvesLevel"),
        ("inDocument", "out", "inDocument"),
    ),
    "person": (("holdsPost", "out", "holdsPost"), ("leads", "in", "leadPerson")),
    "group": (("responsibleFor", "in", "responsibleGroup"),),
    "tier": (("includesProject", "in", "tier"),),
    "document": (("genre", "attr", "genre"), ("place", "attr", "place"), ("figures", "figures", ""), ("projects", "in", "inDocument"), ("matrix", "matrix", "")),
}


@dataclass(frozen=True)
class CardContext:
    """What a card's readers look things up in: the network, the depth of the page (for links)
    and each document's stated figures."""

    network: Projection | nx.MultiDiGraph
    root: str
    text: dict
    figures: dict[str, list[dict]]
    shell: bool = False  # the pages linked are a corpus's (page_path)


def _card_value(context: CardContext, node: str) -> dict:
    """A node as a card shows it: a person by post and name, linked to its page where it has one."""
    data = context.network.nodes[node]
    page = page_path(node, data["cls"], context.shell)
    return {"text": view_title(context.network, node, context.text), "page": context.root + page if page else None, "node": node}


def _by_ordinal(network: Projection | nx.MultiDiGraph, nodes) -> list[str]:
    """Projects in the document's order (1, 2, … 10), anything else by label."""

    def key(node: str) -> tuple:
        data = network.nodes[node]
        ordinal = data["attrs"].get("ordinal")
        return (0 if ordinal and ordinal[0].isdigit() else 1, int(ordinal[0]) if ordinal and ordinal[0].isdigit() else 0, data["label"], node)

    return sorted(set(nodes), key=key)


def _read_attr(context: CardContext, focus: str, name: str) -> list[dict]:
    return [{"text": value, "page": None} for value in context.network.nodes[focus]["attrs"].get(name, [])]


def _read_out(context: CardContext, focus: str, key: str) -> list[dict]:
    ends = [o for _, o, k in context.network.out_edges(focus, keys=True) if k == key]
    return [_card_value(context, node) for node in _by_ordinal(context.network, ends)]


def _read_in(context: CardContext, focus: str, key: str) -> list[dict]:
    ends = [s for s, _, k in context.network.in_edges(focus, keys=True) if k == key]
    return [_card_value(context, node) for node in _by_ordinal(context.network, ends)]


def _read_leaders(context: CardContext, focus: str, _: str) -> list[dict]:
    """The leading people by post and name ("区委书记 张三"), then any leading post no leading
    person holds: "牵头区领导:区长" names a post alone."""
    network = context.network
    people = _by_ordinal(network, (o for _, o, k in network.out_edges(focus, keys=True) if k == "leadPerson"))
    held = {o for person in people for _, o, k in network.out_edges(person, keys=True) if k == "holdsPost"}
    posts = _by_ordinal(network, (o for _, o, k in network.out_edges(focus, keys=True) if k == "leadPost" and o not in held))
    return [_card_value(context, node) for node in people + posts]


def _read_figures(context: CardContext, focus: str, _: str) -> list[dict]:
    """Each figure the document states against the one found: "28个改革项目: 28 / 25"."""
    return [
        {"text": f"{f['label']}: {f['stated']} / {context.text['none'] if f['found'] is None else f['found']}", "page": None, "mismatch": f["found"] is not None and f["found"] != f["stated"]}
        for f in context.figures.get(focus, [])
    ]


def _read_matrix(context: CardContext, focus: str, _: str) -> list[dict]:
    return [{"text": context.text["matrix_title"], "page": context.root + matrix_path(focus)}]


CARD_READERS: dict[str, Callable[[CardContext, str, str], list[dict]]] = {
    "attr": _read_attr,
    "out": _read_out,
    "in": _read_in,
    "leaders": _read_leaders,
    "figures": _read_figures,
    "matrix": _read_matrix,
}


def summary_card(context: CardContext, focus: str, kind: str, labels: dict) -> list[dict]:
    """The card at the top of an entity's page: a row per CARD_ROWS entry, each with its values
    (text, the page it links to and, for a node, the node); a row with none still shows, as a gap
    is worth seeing."""
    return [
        {"term": term, "label": card_label(term, context.text, labels), "values": CARD_READERS[reader](context, focus, name)} for term, reader, name in CARD_ROWS.get(kind, ())
    ]


def card_label(term: str, text: dict, labels: dict) -> str:
    """The name of a card's row: text.toml's [card] word for it, else the ontology's zh label."""
    return text["card"].get(term) or labels.get(term, {}).get("zh", term)


def document_figures(graph: Graph, document: str) -> list[dict]:
    """The figures a document states ("本次共确定28个改革项目") with the count found, by label."""
    figures = []
    for figure in graph.objects(URIRef(document), RKG.statesFigure):
        stated, found = graph.value(figure, RKG.statedValue), graph.value(figure, RKG.foundValue)
        figures.append({"label": str(graph.value(figure, RDFS.label) or ""), "stated": stated and int(stated), "found": found and int(found)})
    return sorted(figures, key=lambda f: f["label"])


# --- the responsibility matrix --------------------------------------------------------------------

# The matrix's bands of rows, top to bottom: the band (a key of text.toml's [matrix_bands]) and the
# relations that put a mark in its cells (a key of text.toml's [matrix_marks] each). A leader's row is their person; a
# post leads alone where no person is named.
MATRIX_BANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leadPerson", ("leadPerson", "leadPost")),
    ("responsibleGroup", ("responsibleGroup",)),
    ("leadUnit", ("leadUnit", "supportUnit")),
)


def matrix_path(document: str) -> str:
    """views/-relative path of a document's responsibility matrix, e.g. ``matrix/ad92067227b43524.html``."""
    return f"{MATRIX_FOLDER}/{document.rstrip('/').rsplit('/', 1)[-1]}.html"


def fact_anchor(key: str, incoming: bool, other: str) -> str:
    """The id of a row of a page's facts table, which the matrix links to: the relation, its
    direction and the other end's local name (a hash or a slug, safe in an id)."""
    return f"fact-{key}-{'in' if incoming else 'out'}-{other.rstrip('/').rsplit('/', 1)[-1]}"


def responsibility_matrix(network: Projection | nx.MultiDiGraph, document: str, labels: dict, doc_labels: dict[str, str], text: dict, shell: bool = False) -> dict:
    """One document's projects (columns, in its order) against who answers for them (rows:
    leaders, groups, units). A cell holds the relation's mark, links to the row of the project's
    facts table that quotes the sentence, and carries that sentence as its title."""
    root = "../"
    projects = _by_ordinal(network, (s for s, _, k in network.in_edges(document, keys=True) if k == "inDocument" and network.nodes[s]["cls"] == "ReformProject"))
    pages = {p: root + page_path(p, "ReformProject", shell) for p in projects}
    columns = [{"ordinal": (network.nodes[p]["attrs"].get("ordinal") or [""])[0], "label": network.nodes[p]["label"], "page": pages[p]} for p in projects]
    bands = []
    for term, keys in MATRIX_BANDS:
        cells: dict[str, dict[str, dict]] = defaultdict(dict)
        for project in projects:
            for _, other, key, data in network.out_edges(project, keys=True, data=True):
                if key not in keys or (key == "leadPost" and _post_held_by_leader(network, project, other)):
                    continue
                quote = data["quotes"][0] if data["quotes"] else None
                cells[other][project] = {
                    "mark": text["matrix_marks"][key],
                    "relation": labels.get(key, {}).get("zh", key),
                    "href": page_row(pages[project], fact_anchor(key, False, other)),
                    "quote": _fact_quote(quote, "", doc_labels) if quote else None,
                }
        rows = []
        for other in _by_ordinal(network, cells):
            value = _card_value(CardContext(network, root, text, {}, shell), other)
            rows.append({"label": value["text"], "page": value["page"], "cells": [cells[other].get(p) for p in projects]})
        if rows:
            bands.append({"label": text["matrix_bands"][term], "rows": rows})
    return {"columns": columns, "bands": bands}


def _post_held_by_leader(network: Projection | nx.MultiDiGraph, project: str, post: str) -> bool:
    """A leading post held by one of the project's leading people: their row already marks it."""
    return any(
        k == "leadPerson" and any(o == post and k2 == "holdsPost" for _, o, k2 in network.out_edges(person, keys=True))
        for _, person, k in network.out_edges(project, keys=True)
    )


# --- the ledger as a page -------------------------------------------------------------------------


def ledger_table(rows: list[list[str]], network: Projection | nx.MultiDiGraph, shell: bool = False) -> dict:
    """The ledger's rows (kg.ledger, the same as ledger.xlsx) as the page's table: the project's
    name links to its page through the row's IRI column."""
    from .ledger import load_ledger_spec

    spec = load_ledger_spec()
    iri_column = next((i for i, c in enumerate(spec.columns) if c.sources == ("iri",)), None)
    project_column = next((i for i, c in enumerate(spec.columns) if c.sources == ("project",)), None)
    out = []
    for row in rows:
        iri = row[iri_column] if iri_column is not None else ""
        page = page_path(iri, "ReformProject", shell) if iri in network else None
        out.append([{"text": cell, "page": page if i == project_column else None} for i, cell in enumerate(row)])
    columns = [{"header": c.header, "number": c.number, "wrap": c.wrap} for c in spec.columns]
    return {"columns": columns, "rows": out}


# --- a corpus's entity pages, drawn in the browser --------------------------------------------------
#
# entity.html reads the entity named in its fragment ("#project/5fb77a7e9f95e2f9") from two data
# files, each a <script src> that puts its JSON in window.kgData (a page opened from file:// may not
# fetch() a file beside it): data/entities/<shard>.js says which document's file holds the entity,
# and data/documents/<document>.js holds what the pages of the entities it is home to draw, each
# node and edge once. assets/entity.js makes of them the page view_to_pyvis, summary_card and
# focus_facts would make, and hands the graph to views.js as a page of its own would.

# The data file of entities that no document states (none in a graph kg build makes).
NO_HOME = "_"
# Where a node's IRI starts thus, the data files leave the start out (site["base"] puts it back).
SHORT_IRI_BASE = str(ID)


def shell_site(style: Style, labels: dict, classes: list[dict], text: dict) -> dict:
    """What the entity page knows before it reads a data file, written into it: the words, the
    looks, vis-network's options, and the rest of what view_to_pyvis, summary_card and
    focus_facts read."""
    return {
        "base": SHORT_IRI_BASE,
        "card": {kind: [[term, card_label(term, text, labels)] for term, _, _ in CARD_ROWS[kind]] for kind in SHELL_KINDS},
        "classes": [{key: value for key, value in c.items() if key != "count"} for c in classes],
        "colors": {"dimmed": style.dimmed_color},
        "data": DATA_FOLDER,
        "distant_labels_zoom": style.distant_labels_zoom,
        "edge_color": style.edge_color,
        "edge_labels_below": style.edge_labels_below,
        "focus_border_width": style.focus_border_width,
        "focus_font_size": style.focus_font_size,
        "inferred_color": style.inferred_color,
        "kinds": list(SHELL_KINDS),
        "options": canvas_options(style),
        "page_kinds": PAGE_KINDS,
        "page_words": list(PAGE_WORDS),
        "readable_label_px": style.readable_label_px,
        "relations": {key: labels[key]["zh"] for key in sorted(local_name(p) for p in EDGES) if labels.get(key, {}).get("zh")},
        "shell": ENTITY_SHELL,
        "tooltip_chars": TOOLTIP_CHARS,
        "tooltip_quotes": TOOLTIP_QUOTES,
        "ui": text,
    }


def lookup_shard(name: str) -> str:
    """The file of data/entities/ that names an entity's document: the first two characters of
    its name (a hash: 256 files at most), lower-cased, "_" for any but ASCII letters and digits.
    assets/entity.js finds it the same way."""
    return "".join(c.lower() if c.isascii() and c.isalnum() else "_" for c in name[:2]).ljust(2, "_")


def data_script(key: str, data) -> bytes:
    """A data file: one statement putting ``data`` into ``window.kgData[key]``, its JSON in sorted
    keys and escaped as script_json escapes it (and U+2028, U+2029, which older JavaScript
    reads as line ends)."""
    body = str(script_json(data)).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"(window.kgData = window.kgData || {{}})[{json.dumps(key)}] = {body};\n".encode("utf-8")


def entity_data(
    network: Projection | nx.MultiDiGraph, entities: list[View], classes: list[str], degrees: dict, labels: dict, doc_labels: dict[str, str], text: dict, lazy: bool = False
) -> dict:
    """The data files of a corpus's entity pages, views/-relative path → bytes (``lazy``: the
    documents' as functions that write them, as render_views's pages). An entity's home is the
    first document that states it; ``classes``: the class names, in the order of the site's."""
    homes: dict[str, list[View]] = defaultdict(list)
    for view in entities:
        documents = network.nodes[view.focus]["documents"]
        homes[_local(documents[0]) if documents else NO_HOME].append(view)
    where: dict[str, dict[str, str]] = defaultdict(dict)
    for home, views in homes.items():
        for view in views:
            where[lookup_shard(_local(view.focus))][f"{view.kind}/{_local(view.focus)}"] = home
    files: dict = {f"{DATA_FOLDER}/entities/{shard}.js": data_script(f"entities/{shard}", where[shard]) for shard in sorted(where)}
    for home in sorted(homes):
        key = f"documents/{home}"
        make = partial(document_data, network, homes[home], classes, degrees, labels, doc_labels, text)
        # Lazily, as the pages: a file is made as it is written.
        files[f"{DATA_FOLDER}/{key}.js"] = partial(_write_data, key, make) if lazy else data_script(key, make())
    return files


def _write_data(key: str, make: Callable[[], dict], handle) -> None:
    handle.write(data_script(key, make()))


def document_data(network: Projection | nx.MultiDiGraph, views: list[View], classes: list[str], degrees: dict, labels: dict, doc_labels: dict[str, str], text: dict) -> dict:
    """One document's data file: the pages of the entities whose home it is (``views``).

    ``nodes``: every node they draw or their cards name, sorted, each [IRI (short), class (an
    index into the site's), label, degree, quotes, and a title where it is not the label: a
    person's posts and name]; ``edges``: every edge they draw, by source, relation and target,
    each [source, target, relation, quotes, and the rule of an inferred one]. Quotes are indexes
    into ``quotes``, each [text, start, end, document (an index into ``documents``, their
    labels)] once, as one sentence often states several relations. An entity's own quotes and
    those of its relations are whole (its facts table lists them), the others are cut as the
    tooltips show them, unless the whole quote is there anyway. ``entities``: by ``kind/name``, the entity's node (``i``), the nodes its
    page draws (``n``: the edges drawn are those between them), its card (``c``: a list of values
    per row, each a node or a text), its facts table (``f``: an edge, or -1 - an edge where the
    entity is its target) and the sizes that are not the degree (``v``: [node, size] pairs)."""
    homed = {view.focus: view for view in views}
    drawn = {focus: frozenset(view.nodes) for focus, view in homed.items()}
    context = CardContext(network, "", text, {}, shell=True)
    cards = {focus: summary_card(context, focus, view.kind, labels) for focus, view in homed.items()}
    named = {value["node"] for card in cards.values() for row in card for value in row["values"] if "node" in value}
    order = sorted(set().union(named, *drawn.values()))
    index = {node: i for i, node in enumerate(order)}
    found: dict[tuple, dict] = {}
    for nodes in drawn.values():
        for s, o, key, data in view_edges(network, nodes):
            found[(s, key, o)] = data
    edge_order = sorted(found)
    edge_index = {edge: i for i, edge in enumerate(edge_order)}
    documents: dict[str, int] = {}
    quoted: dict[tuple, int] = {}
    class_index = {name: i for i, name in enumerate(classes)}
    node_data = {node: network.nodes[node] for node in order}

    def add(q: Quote, text: str) -> int:
        document = documents.setdefault(doc_labels.get(q.document, q.document), len(documents))
        return quoted.setdefault((text, q.start, q.end, document), len(quoted))

    def tooltip_quote(q: Quote) -> int:
        """The whole quote where a facts table has it already, else the quote cut."""
        whole = (q.text, q.start, q.end, documents.get(doc_labels.get(q.document, q.document)))
        return quoted[whole] if whole in quoted else add(q, _tooltip_text(q.text))

    def quotes(found_quotes: list[Quote], whole: bool) -> list[int]:
        return [add(q, q.text) for q in found_quotes] if whole else [tooltip_quote(q) for q in found_quotes[:TOOLTIP_QUOTES]]

    # The whole quotes first, so that a tooltip's finds them.
    node_quotes = {node: quotes(node_data[node]["quotes"], True) for node in order if node in homed}
    edge_quotes = {edge: quotes(found[edge]["quotes"], True) for edge in edge_order if edge[0] in homed or edge[2] in homed}
    nodes = []
    for node in order:
        data = node_data[node]
        short = node[len(SHORT_IRI_BASE) :] if node.startswith(SHORT_IRI_BASE) and ":" not in node[len(SHORT_IRI_BASE) :] else node
        row = [short, class_index[data["cls"]], data["label"], degrees[node], node_quotes[node] if node in node_quotes else quotes(data["quotes"], False)]
        title = view_title(network, node, text)
        nodes.append(row + [title] if title != data["label"] else row)
    edges = []
    for edge in edge_order:
        s, key, o = edge
        data = found[edge]
        row = [index[s], index[o], key, edge_quotes[edge] if edge in edge_quotes else quotes(data["quotes"], False)]
        edges.append(row + [data["rule"]] if data["inferred"] else row)
    entities = {}
    for focus, view in homed.items():
        shown = sorted(drawn[focus])
        values = node_values(network, shown, focus, degrees)
        entities[f"{view.kind}/{_local(focus)}"] = {
            "i": index[focus],
            "n": [index[n] for n in shown],
            "c": [[index[v["node"]] if "node" in v else v["text"] for v in row["values"]] for row in cards[focus]],
            "f": [edge_index[(s, key, o)] if s == focus else -1 - edge_index[(s, key, o)] for s, o, key, _, _ in focus_edges(network, focus)],
            "v": [[index[n], value] for n, value in values.items() if value != degrees[n]],
        }
    return {"documents": list(documents), "edges": edges, "entities": entities, "nodes": nodes, "quotes": [list(q) for q in quoted]}


def search_entries(network: Projection | nx.MultiDiGraph, views: list[View], doc_labels: dict[str, str], text: dict) -> dict:
    """What the index's search looks through (data/search.js), for a corpus whose entities have
    no list on the index: ``kinds``, [kind, its name]; ``documents``, their labels; ``entries``,
    each [title, kind (an index into ``kinds``), page, and for an entity its first document]."""
    kinds = ["document", *SHELL_KINDS]
    documents = sorted(set(doc_labels.values()))
    position = {label: i for i, label in enumerate(documents)}
    entries = []
    for view in views:
        data = network.nodes[view.focus]
        entry = [view.title, kinds.index(view.kind), page_path(view.focus, data["cls"], shell=True)]
        first = next((doc_labels[d] for d in data["documents"] if d in doc_labels), None)
        entries.append(entry + [position[first]] if view.kind != "document" and first is not None else entry)
    entries.sort(key=lambda e: (e[1], e[0], e[2]))
    return {"kinds": [[kind, text["kinds"][kind]] for kind in kinds], "documents": documents, "entries": entries}

"""The views in a real browser: headless Chromium (Debian's, installed by .ci/setup) driven by
Playwright opens every page from file:// with the network blocked.

They skip on a workstation without Chromium and fail under CI (CI=true): a browser test that never
runs is a browser test that never fails. Screenshots of the index and the overview are written to
tests/screenshots/ (or $KG_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import math
import os
import shutil
from itertools import combinations
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
RKG = Namespace("https://w3id.org/reform-kg/ontology#")
SCREENSHOTS = Path(os.environ.get("KG_SCREENSHOTS") or ROOT / "tests" / "screenshots")
DRAWN_CLASSES = ["SourceDocument", "ReformProject", "Person", "Post", "SpecialGroup", "Organization", "ProjectTier", "GovernanceLevel", "TargetProblem", "Measure"]

# Chromium makes connections of its own at start (component updates, safe browsing): these flags
# stop them, and the proxy and resolver rules make any request a page might still make fail at once.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(2)>",
    "svg": '"><svg onload=alert(3)>',
}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/setup installs Chromium)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium found (chromium, chromium-browser, google-chrome or $KG_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A page with everything it logs, every request it makes and every dialog it opens recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, service_workers="block")
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        # Any request that is not a file is refused, and recorded above before it is.
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path, settle: bool = True):
        self.page.goto(path.resolve().as_uri())
        if settle:
            # a selector, not a function: the pages' CSP forbids the eval wait_for_function needs
            self.page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
        return self.page

    def open_entity(self, views: Path, entity: str):
        """A corpus's entity page (``entity`` as "project/<name>", its row after it if any), once
        drawn and settled."""
        self.page.goto(f"{(views / 'entity.html').resolve().as_uri()}#{entity}")
        return wait_for_entity(self.page, entity)

    def outside_requests(self, root: Path) -> list[str]:
        inside = root.resolve().as_uri()
        return [url for url in self.requests if not url.startswith(inside)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser):
    tab = Tab(browser)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The default build (the bundled Pingshan plan), views included."""
    out = tmp_path_factory.mktemp("views-build")
    assert main(["build", "--out", str(out), "-q"]) == 0
    return out


def drawn(page) -> list[str]:
    """The ids of the nodes vis-network draws now (hidden and folded ones excluded)."""
    return page.evaluate("() => window.kgView.network.body.nodeIndices.slice()")


def node_ids_labelled(page, label: str) -> list[str]:
    return page.evaluate("(label) => window.kgView.nodes.getIds({filter: (n) => n.label === label})", label)


def screen_position(page, node_id: str) -> tuple[float, float]:
    """Where a node is on the screen, for a real mouse click or hover."""
    box = page.locator("#kg-graph").bounding_box()
    point = page.evaluate("(id) => window.kgView.network.canvasToDOM(window.kgView.network.getPosition(id))", node_id)
    return box["x"] + point["x"], box["y"] + point["y"]


def is_graph_page(views: Path, path: Path) -> bool:
    """A page that draws a graph (and says when its layout has settled), not a table page: the
    index, the ledger and the responsibility matrices."""
    return path.name not in ("index.html", "ledger.html") and path.relative_to(views).parts[0] != "matrix"


def graph_entities(path: Path) -> dict[str, str]:
    """IRI → class of every entity the views draw, read from the Turtle with rdflib alone."""
    graph = Graph().parse(path)
    found = {}
    for name in reversed(DRAWN_CLASSES):
        for s in graph.subjects(RDF.type, RKG[name]):
            found[str(s)] = name
    return found


def test_every_page_draws_its_graph_offline_with_no_console_error(tab, built):
    views = built / "views"
    pages = sorted(p for p in views.rglob("*.html") if is_graph_page(views, p))
    assert len(pages) == 40  # overview, problem map, 1 document, 2 people, 7 groups, 3 tiers, 25 projects
    for path in pages:
        page = tab.open(path)
        expected = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent).nodes.length")
        assert expected > 0, path
        assert len(drawn(page)) == expected, path
    assert tab.console == []
    assert tab.outside_requests(views) == []
    assert tab.dialogs == []


def test_overview_draws_every_entity_of_the_graph(tab, built):
    entities = graph_entities(built / "graph.ttl")
    page = tab.open(built / "views" / "overview.html")
    assert sorted(drawn(page)) == sorted(entities)
    assert len(entities) == 141
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"))
    assert (SCREENSHOTS / "overview.png").stat().st_size > 20_000


def test_index_links_every_page_and_states_the_dataset(tab, built):
    views = built / "views"
    page = tab.open(views / "index.html", settle=False)
    links = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.getAttribute('href'))")
    pages = {str(p.relative_to(views)) for p in views.rglob("*.html")} - {"index.html"}
    exports = {link for link in links if link.startswith("../")}
    assert set(links) - exports == pages
    assert {"../ledger.xlsx", "../graph.ttl", "../ontology.html", "../void.ttl", "../neo4j/"} <= exports
    assert all((views / link).exists() for link in exports)  # the build wrote each beside views/
    # the documents grouped by province and city (docs/places.md), then a row per document
    assert page.locator("#kg-documents tr.kg-place-group").first.inner_text() == "广东省 / 深圳市 440000 / 440300"
    row = page.locator("#kg-documents tbody tr:not(.kg-place-group)").first.inner_text()
    assert "pingshan-2017-reform-plan.txt" in row and "坪山区" in row and "25" in row
    assert "28个改革项目: 28 / 25" in row  # stated against found
    classes = dict(r.split("\t")[0::2] for r in page.locator("#kg-classes tbody tr").all_inner_texts())
    assert classes["改革项目"] == "25" and classes["改革举措"] == "68" and classes["人员"] == "2"
    assert page.locator("#kg-person-pages").inner_text().split("\n") == ["区委书记 吕玉印", "区长 陶永欣"]
    assert "kg query projects-by-leader --param leader=" in page.locator("pre").inner_text()
    assert tab.console == [] and tab.outside_requests(views) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)


def test_search_finds_the_leader_selects_and_centres_it(tab, built):
    page = tab.open(built / "views" / "overview.html")
    (leader,) = node_ids_labelled(page, "吕玉印")
    page.fill("#kg-search-input", "吕玉印")
    page.press("#kg-search-input", "Enter")
    assert page.evaluate("() => window.kgView.network.getSelectedNodes()") == [leader]
    assert "吕玉印" in page.inner_text("#kg-search-status")
    x, y = screen_position(page, leader)
    box = page.locator("#kg-graph").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5 and abs(y - (box["y"] + box["height"] / 2)) < 5
    # part of a label finds the best-connected match; nothing found says so
    page.fill("#kg-search-input", "基层治理体制")
    page.press("#kg-search-input", "Enter")
    (selected,) = page.evaluate("() => window.kgView.network.getSelectedNodes()")
    assert page.evaluate("(id) => window.kgView.nodes.get(id).label", selected) == "深化基层治理体制改革"
    page.fill("#kg-search-input", "不存在的名字")
    page.press("#kg-search-input", "Enter")
    assert "没有找到" in page.inner_text("#kg-search-status")


def test_hiding_a_type_hides_its_nodes_and_showing_brings_them_back(tab, built):
    entities = graph_entities(built / "graph.ttl")
    page = tab.open(built / "views" / "overview.html")
    people = {iri for iri, cls in entities.items() if cls == "Person"}
    measures = {iri for iri, cls in entities.items() if cls == "Measure"}
    page.uncheck("#kg-legend li[data-class=Person] input")
    page.uncheck("#kg-legend li[data-class=Measure] input")
    shown = set(drawn(page))
    assert shown == set(entities) - people - measures
    page.check("#kg-legend li[data-class=Measure] input")
    assert set(drawn(page)) == set(entities) - people
    # the search shows a hidden type again to select its node
    page.fill("#kg-search-input", "陶永欣")
    page.press("#kg-search-input", "Enter")
    assert set(drawn(page)) == set(entities)
    assert page.is_checked("#kg-legend li[data-class=Person] input")


def test_legend_lists_each_class_with_its_ontology_label_and_count(tab, built):
    entities = graph_entities(built / "graph.ttl")
    ontology = Graph().parse(ROOT / "ontology.ttl")
    zh = {name: str(next(l for l in ontology.objects(RKG[name], RDFS.label) if l.language == "zh")) for name in DRAWN_CLASSES}
    page = tab.open(built / "views" / "overview.html")
    items = page.locator("#kg-legend li")
    shown = {items.nth(i).get_attribute("data-class"): items.nth(i).inner_text().split() for i in range(items.count())}
    present = {cls for cls in entities.values()}
    assert set(shown) == present  # Pingshan names no unit, so no 单位 row
    for cls, (label, count) in shown.items():
        assert label == zh[cls]
        assert int(count) == sum(1 for c in entities.values() if c == cls)


def test_click_highlights_a_node_and_its_neighbours(tab, built):
    page = tab.open(built / "views" / "overview.html")
    (leader,) = node_ids_labelled(page, "吕玉印")
    page.mouse.click(*screen_position(page, leader))
    assert page.evaluate("() => window.kgView.network.getSelectedNodes()") == [leader]
    colours = page.evaluate("() => Object.fromEntries(window.kgView.nodes.get().map((n) => [n.label, typeof n.color === 'string' ? n.color : n.color.background]))")
    dimmed = "#e4e4e4"
    assert colours["吕玉印"] != dimmed and colours["区委书记"] != dimmed and colours["深化基层治理体制改革"] != dimmed
    assert colours["陶永欣"] == dimmed and colours["民生诉求渠道流程优化改革"] == dimmed
    box = page.locator("#kg-graph").bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + 3)  # a click on empty canvas clears it
    colours = page.evaluate("() => window.kgView.nodes.get().map((n) => n.color)")
    assert dimmed not in colours


def test_hover_shows_type_label_and_evidence_as_text(tab, built):
    page = tab.open(built / "views" / "overview.html")
    (leader,) = node_ids_labelled(page, "吕玉印")
    page.mouse.move(*screen_position(page, leader))
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "人员" in text and "吕玉印" in text and "区委书记吕玉印亲自牵头" in text


def test_layout_settles_then_freezes_and_the_switch_restarts_it(tab, built):
    page = tab.open(built / "views" / "overview.html")
    assert not page.is_checked("#kg-physics")
    assert page.evaluate("() => window.kgView.network.physics.physicsEnabled") is False
    page.check("#kg-physics")
    assert page.evaluate("() => window.kgView.network.physics.physicsEnabled") is True


def test_export_writes_a_png_of_the_graph(tab, built, tmp_path):
    page = tab.open(built / "views" / "overview.html")
    with page.expect_download() as download:
        page.click("#kg-export")
    target = tmp_path / "graph.png"
    download.value.save_as(target)
    assert download.value.suggested_filename == "overview.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000


def test_double_click_opens_the_nodes_page(tab, built):
    page = tab.open(built / "views" / "overview.html")
    (leader,) = node_ids_labelled(page, "吕玉印")
    page.mouse.dblclick(*screen_position(page, leader))
    page.wait_for_url("**/person/*.html")
    assert page.inner_text("#kg-title") == "区委书记 吕玉印"


# --- the analysts' pages: cards, the responsibility matrix, the ledger ------------------------------


def open_from_index(tab, views: Path, link: str):
    """The page the index links as ``link``, opened by a click as a user would, once settled."""
    tab.open(views / "index.html", settle=False).get_by_role("link", name=link, exact=True).click()
    tab.page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    return tab.page


def test_a_project_page_opens_with_its_card_and_the_card_links_the_leader(tab, built):
    views = built / "views"
    page = open_from_index(tab, views, "深化基层治理体制改革")
    card = page.locator("#kg-card")
    assert card.is_visible()
    assert "区委书记 吕玉印" in card.locator("[data-term=leadPerson] dd").inner_text()
    assert card.bounding_box()["y"] < page.locator("#kg-graph").bounding_box()["y"]
    card.get_by_role("link", name="区委书记 吕玉印").click()
    page.wait_for_url("**/person/*.html")
    assert page.inner_text("#kg-title") == "区委书记 吕玉印"
    assert tab.console == [] and tab.outside_requests(views) == []


def test_a_matrix_cell_opens_the_sentence_on_the_project_page(tab, built):
    views = built / "views"
    index = tab.open(views / "index.html", settle=False)
    index.locator("#kg-documents").get_by_role("link", name="责任矩阵").click()
    page = tab.page
    page.wait_for_url("**/matrix/*.html")
    row = page.locator("#kg-matrix tbody tr", has_text="区委书记 吕玉印")
    assert row.locator("td a").count() == 1
    cell = row.locator("td a")
    assert "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in cell.get_attribute("title")
    cell.click()
    page.wait_for_url("**/project/*.html#fact-leadPerson-*")
    anchor = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
    assert "区委书记吕玉印亲自牵头" in page.locator(f"tr[id='{anchor}']").inner_text()
    assert tab.console == [] and tab.outside_requests(views) == []


def test_the_ledger_sorts_and_filters_in_the_page(tab, built):
    views = built / "views"
    page = tab.open(views / "ledger.html", settle=False)
    page.wait_for_selector("body[data-ready=true]", state="attached")

    def column(n: int) -> list[str]:
        return page.eval_on_selector_all(f"#kg-ledger tbody tr:not([hidden]) td:nth-child({n})", "(cells) => cells.map((c) => c.textContent)")

    unnumbered = [""] * 16  # the plan numbers its first nine projects only
    assert column(1) == [str(n) for n in range(1, 10)] + unnumbered
    page.click("#kg-ledger button.kg-sort[data-column='0']")
    page.click("#kg-ledger button.kg-sort[data-column='0']")  # a second click reverses, numbers as numbers
    assert column(1) == [str(n) for n in range(9, 0, -1)] + unnumbered  # an empty cell last either way
    assert page.get_attribute("#kg-ledger th:has(button[data-column='0'])", "aria-sort") == "descending"
    page.fill("#kg-ledger input.kg-filter[data-column='3']", "吕玉印")
    assert column(2) == ["深化基层治理体制改革"]
    assert "1 / 25" in page.inner_text("#kg-ledger-count")
    page.fill("#kg-ledger input.kg-filter[data-column='3']", "")
    page.fill("#kg-ledger input.kg-filter[data-column='4']", "专项小组")
    assert len(column(2)) == 7 and "探索建立基层医疗集团" in column(2)
    page.fill("#kg-ledger input.kg-filter[data-column='1']", "医疗")
    assert column(2) == ["探索建立基层医疗集团"]  # the boxes together keep what matches all
    assert tab.console == [] and tab.outside_requests(views) == []


def test_an_entity_page_centres_its_subject_with_its_label_drawn(tab, built):
    views = built / "views"
    page = open_from_index(tab, views, "深化基层治理体制改革")
    (subject,) = node_ids_labelled(page, "深化基层治理体制改革")
    (document,) = node_ids_labelled(page, "pingshan-2017-reform-plan.txt")
    x, y = screen_position(page, subject)
    box = page.locator("#kg-graph").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5 and abs(y - (box["y"] + box["height"] / 2)) < 5

    def label_drawn(node: str) -> bool:
        return page.evaluate("(id) => window.kgView.network.body.nodes[id].labelModule.visible()", node)

    # the subject's label and its neighbours', who answers for the work first (the leader's), but
    # for those that would cover a label ranked above them
    (leader,) = node_ids_labelled(page, "吕玉印")
    assert label_drawn(subject) and label_drawn(leader)
    sizes = page.evaluate("() => Object.fromEntries(window.kgView.network.body.nodeIndices.map((id) => [id, window.kgView.network.body.nodes[id].options.size]))")
    assert sizes[subject] == max(sizes.values()) and sizes[document] == min(sizes.values())
    # every node is on the screen at that zoom
    for node in sizes:
        nx_, ny = screen_position(page, node)
        assert box["x"] <= nx_ <= box["x"] + box["width"] and box["y"] <= ny <= box["y"] + box["height"], node
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "project.png"))
    # a leader's page: their project is a neighbour, the project's problem two steps away
    page.click("#kg-card [data-term=leadPerson] a")
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    (leader,) = node_ids_labelled(page, "吕玉印")
    (project,) = node_ids_labelled(page, "深化基层治理体制改革")
    (problem,) = node_ids_labelled(page, "居民自治活力不足")
    assert label_drawn(leader) and label_drawn(project)
    assert not label_drawn(problem)  # shown on hover, or zoomed in:
    page.evaluate("() => window.kgView.network.moveTo({scale: window.kgView.baseScale * 2, animation: false})")
    assert label_drawn(problem)


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["label"], b["label"])
        for a, b in combinations(labels, 2)
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


def labels_drawn_apart(page, where) -> list[dict]:
    """The labels a page draws at its default zoom (window.kgDrawnLabels), checked: no two boxes
    overlap, they are the labels vis-network draws, and each node's box holds its label as drawn
    (boxes computed for labels drawn elsewhere would prove nothing)."""
    labels = page.evaluate("() => window.kgDrawnLabels()")
    assert labels, where
    assert overlapping(labels) == [], where
    # a label is left out only where it would cover one drawn before it
    for hidden in page.evaluate("() => window.kgView.labelsLeftOut"):
        assert overlapping(labels + [hidden]), (where, hidden["label"])
    drawn_now = page.evaluate(
        """() => {
          const network = window.kgView.network, body = network.body;
          network.redraw();
          const box = (module) => {
            const a = network.canvasToDOM({x: module.size.left, y: module.size.top});
            const b = network.canvasToDOM({x: module.size.left + module.size.width, y: module.size.top + module.size.height});
            return {left: a.x, top: a.y, right: b.x, bottom: b.y};
          };
          return body.nodeIndices.filter((id) => body.nodes[id].labelModule.visible()).map((id) => ["node", id, box(body.nodes[id].labelModule)])
            .concat(body.edgeIndices.filter((id) => body.edges[id].labelModule.visible()).map((id) => ["edge", id, null]));
        }"""
    )
    assert sorted((kind, id_) for kind, id_, _ in drawn_now) == sorted((l["kind"], l["id"]) for l in labels), where
    boxes = {l["id"]: l for l in labels}
    for kind, id_, real in drawn_now:
        if kind == "node":
            ours = boxes[id_]
            assert ours["left"] <= real["left"] + 0.5 and ours["top"] <= real["top"] + 0.5, (where, ours["label"])
            assert ours["right"] >= real["right"] - 0.5 and ours["bottom"] >= real["bottom"] - 0.5, (where, ours["label"])
            assert ours["right"] - ours["left"] - (real["right"] - real["left"]) < 6, (where, ours["label"])
    return labels


def test_entity_pages_draw_the_subjects_label_and_no_two_labels_overlap(tab, built):
    views = built / "views"
    for name in ("深化基层治理体制改革", "吕玉印", "区重点改革项目"):
        page = open_from_index(tab, views, name if name != "吕玉印" else "区委书记 吕玉印")
        (subject,) = node_ids_labelled(page, name)
        labels = labels_drawn_apart(page, name)
        assert ("node", subject) in {(l["kind"], l["id"]) for l in labels}, name
        if name == "区重点改革项目":
            # a tier of 21 projects: its labels would cover each other all drawn
            assert page.evaluate("() => window.kgView.nodes.length") > len([l for l in labels if l["kind"] == "node"])
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "tier.png"))
    # zoomed in, the labels left out come back
    (hidden,) = page.evaluate("() => window.kgView.network.body.nodeIndices.filter((id) => !window.kgDrawnLabels().some((l) => l.id === id)).slice(0, 1)")
    page.evaluate("() => window.kgView.network.moveTo({scale: window.kgView.baseScale * 2, animation: false})")
    assert page.evaluate("(id) => window.kgView.network.body.nodes[id].labelModule.visible()", hidden)
    assert tab.console == [] and tab.outside_requests(views) == []


def test_no_graph_page_draws_two_labels_over_each_other(tab, built):
    views = built / "views"
    pages = sorted(p for p in views.rglob("*.html") if is_graph_page(views, p))
    for path in pages:
        page = tab.open(path)
        labels = labels_drawn_apart(page, path.name)
        focus = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent).focus")
        if focus:
            assert ("node", focus) in {(l["kind"], l["id"]) for l in labels}, path
    assert tab.console == []


# --- a hostile document ---------------------------------------------------------------------------

# Stand-ins the extractor reads as names; the built graph's text then carries the payloads in their
# place (a text file's own markup is read as white space, so markup cannot be typed into one).
STAND_INS = {"甲甲": HOSTILE["script"], "丙丙": HOSTILE["img"], "乙乙": HOSTILE["svg"]}
HOSTILE_DOCUMENT = """某区2017年重点改革项目
本次共确定2个改革项目。
一、区主要领导牵头改革项目
1.甲甲体制改革
针对乙乙等问题，区委书记张三亲自牵头甲甲体制改革项目。
牵头区领导:区委书记张三
2.乙乙机制改革
针对丙丙不足等问题，推进改革。
牵头区领导:区长李四
这是乙乙改革专项小组负责项目。
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """Views of a document whose project, problem and group names carry markup, and whose
    people and document (renamed in the graph, as the extractor takes only Chinese names) too."""
    return hostile_views(tmp_path_factory.mktemp("hostile"), copies=1)


def hostile_views(work: Path, copies: int) -> Path:
    """The views of ``copies`` copies of HOSTILE_DOCUMENT (each after the first with a line of its
    own, so that none is a duplicate) built together, their names made markup in the graph."""
    sources = []
    for copy in range(copies):
        source = work / ("hostile.txt" if copy == 0 else f"hostile-{copy}.txt")
        source.write_text(("" if copy == 0 else f"copy {copy}\n") + HOSTILE_DOCUMENT, encoding="utf-8")
        sources.append(str(source))
    assert main(["build", *sources, "--out", str(work / "out"), "-q"]) == 0
    dataset = Dataset()
    dataset.parse(work / "out" / "graph.trig")
    for s, p, o, g in list(dataset.quads((None, None, None, None))):
        if isinstance(o, Literal) and any(stand_in in str(o) for stand_in in STAND_INS):
            text = str(o)
            for stand_in, payload in STAND_INS.items():
                text = text.replace(stand_in, payload)
            dataset.remove((s, p, o, g))
            dataset.add((s, p, Literal(text, lang=o.language, datatype=o.datatype), g))
    labels = {str(o) for _, _, o, _ in dataset.quads((None, RDFS.label, None, None))}
    assert {f"{HOSTILE['script']}体制改革", f"{HOSTILE['img']}不足", f"{HOSTILE['svg']}机制改革", f"{HOSTILE['svg']}改革专项小组"} <= labels
    renames = {"张三": f"张{HOSTILE['img']}三", "李四": f"李{HOSTILE['script']}四", "hostile.txt": f"{HOSTILE['svg']}.txt", "hostile-1.txt": f"{HOSTILE['script']}-1.txt"}
    for s, p, o, g in list(dataset.quads((None, RDFS.label, None, None))):
        if str(o) in renames:
            dataset.remove((s, p, o, g))
            dataset.add((s, p, Literal(renames[str(o)], lang="zh"), g))
    dataset.serialize(work / "hostile.trig", format="trig")
    assert main(["views", "--graph", str(work / "hostile.trig"), "--out", str(work / "views")]) == 0
    return work / "views"


def test_hostile_names_run_no_script_anywhere(tab, hostile):
    pages = sorted(hostile.rglob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        page = tab.open(path, settle=is_graph_page(hostile, path))
        # nothing the payloads would create exists: no injected element, no handler ran
        assert page.evaluate("() => document.querySelectorAll('img, svg, script:not([src]):not([type=\"application/json\"])').length") == 0, path
    assert tab.dialogs == []
    assert tab.console == []
    assert tab.outside_requests(hostile) == []  # <img src=x> would have asked for views/x


def test_hostile_names_are_shown_as_the_text_they_are(tab, hostile):
    page = tab.open(hostile / "overview.html")
    labels = set(page.evaluate("() => window.kgView.nodes.get().map((n) => n.label)"))
    assert {f"{HOSTILE['script']}体制改革", f"张{HOSTILE['img']}三", f"李{HOSTILE['script']}四", f"{HOSTILE['svg']}.txt"} <= labels
    options = set(page.eval_on_selector_all("#kg-labels option", "(os) => os.map((o) => o.value)"))
    assert f"张{HOSTILE['img']}三" in options
    page.fill("#kg-search-input", f"张{HOSTILE['img']}三")
    page.press("#kg-search-input", "Enter")
    assert HOSTILE["img"] in page.inner_text("#kg-search-status")
    index = tab.open(hostile / "index.html", settle=False)
    assert f"{HOSTILE['svg']}.txt" in index.inner_text("#kg-documents")
    assert f"李{HOSTILE['script']}四" in index.inner_text("#kg-person-pages")
    index.get_by_role("link", name=f"{HOSTILE['script']}体制改革", exact=True).click()
    page = tab.page
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    assert page.inner_text("#kg-title") == f"{HOSTILE['script']}体制改革"
    assert HOSTILE["svg"] in page.inner_text(".kg-facts")
    assert tab.dialogs == [] and tab.console == []


# --- a graph too large to draw whole --------------------------------------------------------------


@pytest.fixture(scope="module")
def folded(tmp_path_factory) -> Path:
    """Two documents' views with fold_above lowered below their size, so the overview folds."""
    import dataclasses

    from kg.export import write_outputs
    from kg.network import graph_to_network
    from kg.pipeline import build_graph, load_toolkit
    from kg.rdf import union_graph
    from kg.render import load_style, render_views
    from kg.validate import load_ontology

    result = build_graph([ROOT / "data" / "pingshan-2017-reform-plan.txt", ROOT / "tests" / "corpus" / "01-luohu-2022-reform-keypoints.txt"], load_toolkit(), jobs=1)
    graph = union_graph(result.dataset)
    out = tmp_path_factory.mktemp("folded")
    write_outputs(render_views(graph, graph_to_network(graph), load_ontology(), dataclasses.replace(load_style(), fold_above=50)), out)
    return out


def test_a_folded_overview_draws_the_documents_and_its_search_opens_the_right_page(tab, folded):
    page = tab.open(folded / "overview.html")
    labels = page.evaluate("() => window.kgView.nodes.get().map((n) => n.label)")
    assert len(drawn(page)) == 2 and any(label.startswith("pingshan-2017-reform-plan.txt (") for label in labels)
    page.fill("#kg-search-input", "吕玉印")
    page.press("#kg-search-input", "Enter")
    page.wait_for_url("**/document/*.html#search=*")
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    (selected,) = page.evaluate("() => window.kgView.network.getSelectedNodes()")
    assert page.evaluate("(id) => window.kgView.nodes.get(id).label", selected) == "吕玉印"
    assert tab.console == [] and tab.outside_requests(folded) == []


# --- kg diff's page ---------------------------------------------------------------------------------

NINGBO = [ROOT / "tests" / "eval" / "blind5" / f"t-ningbo-{year}-gov-report-duties" / "document.txt" for year in (2019, 2025)]


@pytest.fixture(scope="module")
def diffed(tmp_path_factory) -> Path:
    """kg diff's files for 宁波's target breakdowns of 2019 and 2025 (tests/diff/ningbo-2019-2025)."""
    out = tmp_path_factory.mktemp("diff") / "out"
    assert main(["diff", *map(str, NINGBO), "--out", str(out)]) == 0
    return out


def test_the_diff_page_shows_its_rows_offline_with_no_console_error(tab, diffed):
    page = tab.open(diffed / "diff.html", settle=False)

    def cells(table: str, column: int) -> list[str]:
        return page.eval_on_selector_all(f"#{table} tbody tr", f"(rows) => rows.map((r) => r.cells[{column}].textContent.replace(/\\s+/g, ' ').trim())")

    assert cells("kg-diff-continued", 0) == ["0.453", "0.736", "0.423", "0.833"]
    assert cells("kg-diff-continued", 1)[1].startswith("3. 固定资产投资增长10%左右") and cells("kg-diff-continued", 2)[1].startswith("3. 固定资产投资增长5.5%")
    assert [c.split(" document.txt")[0] for c in cells("kg-diff-new", 0)] == ["2. 探索设立产业链集群发展基金", "2. 城乡居民人均可支配收入与经济增长同步"]
    assert len(cells("kg-diff-dropped", 0)) == 3
    changes = page.inner_text("#kg-diff-changes")
    assert "陈仲朝" in changes and "常务副市长 赵海滨" in changes and "固定资产投资增长10%左右。" in changes  # the sentences too
    # Its styles are inside it: the header cells are shaded with no stylesheet beside the page.
    assert page.evaluate("() => getComputedStyle(document.querySelector('#kg-diff-continued th')).backgroundColor") == "rgb(240, 243, 247)"
    assert sorted(p.name for p in diffed.iterdir()) == ["diff.html", "diff.json", "diff.md", "diff.ttl"]
    assert tab.console == [] and tab.outside_requests(diffed) == []


def test_the_diff_page_of_hostile_names_runs_no_script(tab, hostile):
    """The hostile graph compared with itself: every name is a continued project, shown as text."""
    out = hostile.parent / "diff"
    assert main(["diff", str(hostile.parent / "hostile.trig"), str(hostile.parent / "hostile.trig"), "--out", str(out)]) == 0
    page = tab.open(out / "diff.html", settle=False)
    assert page.evaluate("() => document.querySelectorAll('img, svg, script').length") == 0
    text = page.inner_text("#kg-diff-continued")
    assert f"{HOSTILE['script']}体制改革" in text and f"{HOSTILE['svg']}机制改革" in text
    assert tab.dialogs == [] and tab.console == [] and tab.outside_requests(out) == []


# --- a corpus overview of 500 nodes ---------------------------------------------------------------


def test_a_corpus_overview_draws_each_document_as_a_cluster_with_its_hubs_labelled(tab, corpus_build):
    """The 500-node overview (conftest's corpus_build: ``kg build tests/corpus``)."""
    from kg.export import ExportSource
    from kg.network import graph_to_network
    from kg.publish import read_dataset

    corpus = corpus_build

    views = corpus / "views"
    page = tab.open(views / "overview.html")
    data = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent)")
    network = graph_to_network(ExportSource(read_dataset(corpus / "graph.trig")).graph)  # a corpus's graph: graph.trig
    documents = {n for n, d in network.nodes(data=True) if d["cls"] == "SourceDocument"}
    assert len(data["nodes"]) == network.number_of_nodes() > 500 and len(documents) == 17
    # every document's label and every other hub's is drawn at the default zoom, no two overlapping,
    # and readable: 12 pixels high or more (measured: 13.6)
    labels = labels_drawn_apart(page, "corpus overview")
    drawn_labels = {l["id"] for l in labels if l["kind"] == "node"}
    assert documents <= drawn_labels and set(data["hubs"]) <= drawn_labels and len(data["hubs"]) > 40
    on_screen = page.evaluate("(ids) => ids.map((id) => window.kgView.network.body.nodes[id].labelModule.fontOptions.size * window.kgView.network.getScale())", data["hubs"])
    assert min(on_screen) >= 12
    # the nodes of one document are grouped: of those one document alone states, each nearer the
    # centre of its document's nodes than any other document's (measured: 524 of 525, 99.8%; the one
    # left is a hub at the top of its document's column of hubs, near the cluster above)
    positions = page.evaluate("() => window.kgView.network.getPositions()")
    own = {n: d["documents"][0] for n, d in network.nodes(data=True) if len(d["documents"]) == 1}
    centres = {}
    for document in documents:
        points = [(positions[n]["x"], positions[n]["y"]) for n, d in own.items() if d == document]
        centres[document] = (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))

    def nearest(node: str) -> str:
        return min(centres, key=lambda d: math.dist(centres[d], (positions[node]["x"], positions[node]["y"])))

    grouped = sum(1 for n, d in own.items() if nearest(n) == d)
    assert grouped / len(own) >= 0.99, (grouped, len(own))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "corpus-overview.png"))
    # the hubs, held in place while the rest settled, can be dragged once it has
    hub = data["hubs"][0]
    before = positions[hub]
    x, y = screen_position(page, hub)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.up()
    after = page.evaluate("(id) => window.kgView.network.getPosition(id)", hub)
    assert math.dist((before["x"], before["y"]), (after["x"], after["y"])) > 100  # 50 pixels at a zoom near 0.11
    # zoomed in, a hub's label keeps its size on the screen, and the other labels show once readable
    # (the default zoom is near 0.11: 8 times closer, a label of 14 is drawn 12 pixels high)
    page.evaluate("() => window.kgView.network.moveTo({scale: window.kgView.baseScale * 8, animation: false})")
    page.evaluate("() => window.kgView.network.redraw()")
    zoomed = page.evaluate("(id) => window.kgView.network.body.nodes[id].labelModule.fontOptions.size * window.kgView.network.getScale()", data["hubs"][0])
    assert zoomed == pytest.approx(on_screen[0], rel=0.01)
    others = page.evaluate("() => window.kgView.network.body.nodeIndices.filter((id) => window.kgView.network.body.nodes[id].labelModule.visible()).length")
    assert others > len(data["hubs"])
    assert tab.console == [] and tab.outside_requests(views) == [] and tab.dialogs == []


# --- a corpus: the entity page, drawn from data files ---------------------------------------------


def wait_for_entity(page, entity: str):
    """The entity page of ``entity`` ("project/<name>", and its row if any) once settled: a link
    between entity pages changes the fragment only, and the page reloads."""
    key = "/".join(entity.split("/")[:2])
    page.wait_for_selector(f'body[data-entity="{key}"][data-stable=true]', state="attached", timeout=60_000)
    return page


def entity_key(network, label: str, cls: str) -> str:
    from kg.render import PAGE_KINDS

    (node,) = [n for n, d in network.nodes(data=True) if d["label"] == label and d["cls"] == cls]
    return f"{PAGE_KINDS[cls]}/{node.rsplit('/', 1)[-1]}"


def corpus_network(out: Path):
    from kg.export import ExportSource
    from kg.network import graph_to_network
    from kg.publish import read_dataset

    return graph_to_network(ExportSource(read_dataset(out / "graph.trig")).graph)


def test_a_corpus_project_page_is_drawn_from_its_data_offline(tab, corpus_build):
    """Found by name on the index, as there is no list of a corpus's projects to click."""
    views = corpus_build / "views"
    assert not (views / "project").exists() and (views / "entity.html").is_file()
    index = tab.open(views / "index.html", settle=False)
    index.wait_for_selector("body[data-ready=true]", state="attached")
    index.fill("#kg-find-input", "深化基层治理体制")
    assert "1 个结果" in index.inner_text("#kg-find-status")
    assert index.inner_text("#kg-found") == "深化基层治理体制改革 改革项目 · pingshan-2017-reform-plan.txt"
    index.locator("#kg-found a").click()
    page = wait_for_entity(tab.page, entity_key(corpus_network(corpus_build), "深化基层治理体制改革", "ReformProject"))
    assert page.inner_text("#kg-title") == "深化基层治理体制改革" and page.title() == "深化基层治理体制改革 · 改革项目 · 改革责任知识图谱"
    assert "区委书记 吕玉印" in page.locator("#kg-card [data-term=leadPerson] dd").inner_text()
    assert page.locator("#kg-card [data-term=deadline] dd").inner_text() == "—"
    facts = page.locator(".kg-facts tr", has_text="牵头领导").first.inner_text()
    assert "区委书记吕玉印亲自牵头深化基层治理体制改革项目" in facts and "pingshan-2017-reform-plan.txt" in facts and "502–583" in facts
    assert page.locator(".kg-facts mark").first.inner_text() != ""  # the other end marked in its sentence
    payload = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent)")
    assert len(drawn(page)) == len(payload["nodes"]) > 5 and node_ids_labelled(page, "吕玉印")
    (subject,) = node_ids_labelled(page, "深化基层治理体制改革")
    x, y = screen_position(page, subject)  # centred, as on a page of its own
    box = page.locator("#kg-graph").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5 and abs(y - (box["y"] + box["height"] / 2)) < 5
    assert tab.console == [] and tab.outside_requests(views) == [] and tab.dialogs == []


def test_a_corpus_entity_page_is_the_page_the_entity_would_have(tab, corpus_build, tmp_path):
    """The same graph drawn with a page per entity (render_views(shell=False)), side by side with
    the entity page: the same title, card, facts, links and graph, for an entity of each kind, the
    tier of most projects, and the entities most documents state and with the most facts."""
    import json
    import re

    from kg.export import ExportSource, write_outputs
    from kg.publish import read_dataset
    from kg.render import PAGE_KINDS, render_views
    from kg.validate import load_ontology

    network = corpus_network(corpus_build)
    write_outputs(render_views(ExportSource(read_dataset(corpus_build / "graph.trig")).graph, network, load_ontology(), shell=False), tmp_path)
    entities = {n: d for n, d in network.nodes(data=True) if PAGE_KINDS.get(d["cls"]) in ("person", "group", "tier", "project")}
    chosen = {
        entity_key(network, "吕玉印", "Person"), entity_key(network, "民生体制改革专项小组", "SpecialGroup"),
        entity_key(network, "区重点改革项目", "ProjectTier"), entity_key(network, "深化基层治理体制改革", "ReformProject"),
        *(f"{PAGE_KINDS[entities[n]['cls']]}/{n.rsplit('/', 1)[-1]}" for n in (
            max(entities, key=lambda n: (len(entities[n]["documents"]), n)),
            max(entities, key=lambda n: (network.degree(n), n)),
            max(entities, key=lambda n: (sum(len(d["quotes"]) for *_, d in network.in_edges(n, keys=True, data=True)), n)),
        )),
    }
    assert len(chosen) >= 5

    def as_corpus_link(link: str | None) -> str | None:
        """A link of a page per entity as the entity page has it."""
        if link is None:
            return None
        found = re.fullmatch(r"(?:\.\./)?(person|group|tier|project)/([^/]+)\.html(?:#(.*))?", link)
        return f"entity.html#{found[1]}/{found[2]}" + (f"/{found[3]}" if found[3] else "") if found else re.sub(r"^\.\./", "", link)

    def read(page, links=lambda link: link) -> dict:
        payload = json.loads(page.eval_on_selector("#kg-data", "(e) => e.textContent"))
        for node in payload["nodes"]:
            node["page"] = links(node["page"])
        payload["root"] = ""
        return {
            "payload": payload,
            "title": page.title(),
            "text": [page.inner_text(selector) for selector in ("#kg-title", ".kg-counts", "#kg-card", ".kg-facts")],
            "links": [links(a) for a in page.eval_on_selector_all("#kg-card a, .kg-facts a", "(links) => links.map((a) => a.getAttribute('href'))")],
            "rows": page.eval_on_selector_all(".kg-facts tr[id]", "(rows) => rows.map((r) => r.id)"),
            "drawn": sorted(drawn(page)),
        }

    for entity in sorted(chosen):
        own = read(tab.open(tmp_path / f"{entity}.html"), as_corpus_link)
        shell = read(tab.open_entity(corpus_build / "views", entity))
        assert shell == own, entity
    elsewhere = [url for url in tab.outside_requests(corpus_build / "views") if not url.startswith(tmp_path.resolve().as_uri())]
    assert tab.console == [] and elsewhere == []


def test_a_corpus_s_links_open_entity_pages_at_their_rows(tab, corpus_build):
    views = corpus_build / "views"
    network = corpus_network(corpus_build)
    project, leader = entity_key(network, "深化基层治理体制改革", "ReformProject"), entity_key(network, "吕玉印", "Person")
    # a matrix cell: the project's page at the row of its facts table that quotes the sentence
    index = tab.open(views / "index.html", settle=False)
    index.locator("#kg-documents tr", has_text="pingshan-2017-reform-plan.txt").get_by_role("link", name="责任矩阵").click()
    page = tab.page
    page.wait_for_url("**/matrix/*.html")
    page.locator("#kg-matrix tbody tr", has_text="区委书记 吕玉印").locator("td a").click()
    page.wait_for_url(f"**/entity.html#{project}/fact-leadPerson-out-*")
    wait_for_entity(page, project)
    row = page.evaluate("() => decodeURIComponent(location.hash.slice(1)).split('/').slice(2).join('/')")
    assert "区委书记吕玉印亲自牵头" in page.locator(f"tr[id='{row}']").inner_text()
    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", row)
    assert 0 <= top < 1000  # scrolled to
    # the card's link to the leader changes the fragment only: the page draws the leader
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("#kg-card [data-term=leadPerson] a").click()
    wait_for_entity(page, leader)
    assert page.inner_text("#kg-title") == "区委书记 吕玉印"
    # a double click on a node opens its page too
    (node,) = node_ids_labelled(page, "深化基层治理体制改革")
    page.mouse.dblclick(*screen_position(page, node))
    wait_for_entity(page, project)
    assert page.inner_text("#kg-title") == "深化基层治理体制改革"
    # back to the document's own page, a page of its own
    page.locator("#kg-card [data-term=inDocument] a").click()
    page.wait_for_url("**/document/*.html")
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    assert page.inner_text("#kg-title") == "pingshan-2017-reform-plan.txt"
    assert tab.console == [] and tab.outside_requests(views) == [] and tab.dialogs == []


def test_a_link_to_no_entity_says_so(tab, corpus_build):
    views = corpus_build / "views"
    network = corpus_network(corpus_build)
    kind, name = entity_key(network, "吕玉印", "Person").split("/")
    for fragment in (f"{kind}/{name[:2]}{'0' * 14}", "project/", "nothing", "project/%E0%A4%A"):
        page = tab.page
        page.goto(f"{(views / 'entity.html').resolve().as_uri()}#{fragment}")
        page.wait_for_selector("body[data-missing=true]", state="attached")
        assert page.inner_text("#kg-title") == "图谱中没有这个页面" and not page.locator("#kg-card").is_visible()
    assert tab.console == []  # the name's file of data/entities/ is there: it names no such person
    # a name no file of data/entities/ is for (the names are hexadecimal): the browser says so, and the page
    page.goto(f"{(views / 'entity.html').resolve().as_uri()}#person/zz")
    page.wait_for_selector("body[data-missing=true]", state="attached")
    assert page.inner_text("#kg-title") == "图谱中没有这个页面"
    assert tab.console == ["error: Failed to load resource: net::ERR_FILE_NOT_FOUND"], tab.console


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    return hostile_views(tmp_path_factory.mktemp("hostile-corpus"), copies=2)


def test_a_corpus_s_hostile_names_are_text_on_the_entity_page(tab, hostile_corpus):
    import json

    views = hostile_corpus
    search = json.loads((views / "data" / "search.js").read_text(encoding="utf-8").split("] = ", 1)[1].rstrip(";\n"))
    pages = [entry[2].split("#", 1)[1] for entry in search["entries"] if entry[2].startswith("entity.html#")]
    assert len(pages) >= 8
    titles = set()
    for entity in pages:
        page = tab.open_entity(views, entity)
        # nothing the payloads would create exists: no injected element, no handler ran
        assert page.evaluate("() => document.querySelectorAll('img, svg, script:not([src]):not([type=\"application/json\"])').length") == 0, entity
        titles.add(page.inner_text("#kg-title"))
    assert {f"{HOSTILE['script']}体制改革", f"{HOSTILE['svg']}机制改革", f"{HOSTILE['svg']}改革专项小组"} <= titles
    assert any(HOSTILE["img"] in title for title in titles)  # 张<img …>三, by post and name
    (project,) = [e[2].split("#", 1)[1] for e in search["entries"] if e[0] == f"{HOSTILE['script']}体制改革"][:1]
    page = tab.open_entity(views, project)
    assert HOSTILE["svg"] in page.inner_text(".kg-facts") and HOSTILE["img"] in page.inner_text("#kg-card")
    assert f"{HOSTILE['script']}体制改革" in page.evaluate("() => window.kgView.nodes.get().map((n) => n.label)")
    assert page.title().startswith(f"{HOSTILE['script']}体制改革 · ")
    # the index's search lists the names as text
    index = tab.open(views / "index.html", settle=False)
    index.wait_for_selector("body[data-ready=true]", state="attached")
    index.fill("#kg-find-input", "<script>")
    assert f"{HOSTILE['script']}体制改革" in index.inner_text("#kg-found")
    assert index.evaluate("() => document.querySelectorAll('img, svg, script:not([src])').length") == 0
    assert tab.dialogs == [] and tab.console == [] and tab.outside_requests(views) == []

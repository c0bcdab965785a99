"""Do the views stay usable on a large graph? Time to a settled layout in headless Chromium: the
overview of the tests/corpus build (534 nodes, laid out in clusters by document), then, on a
generated corpus graph of more than 5,000 nodes, the overview with each document's nodes folded
into one node (the default above style.toml's fold_above) and with every node drawn; last, the
entity that draws the most nodes, on the corpus's entity page (entity.html, from the data files)
and on a page of its own (render_views(shell=False)).

    python benchmarks/views_large.py [--copies 10] [--repeat 3]

Not part of the test suite. The graph is the tests/corpus build, copied --copies times with every
document-scoped or place-scoped entity renamed (new IRIs, numbered names), so the copies share
only posts, levels, problems and inference rules, as plans from different places do (see
_graphs.py). Results on stdout.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.export import write_outputs  # noqa: E402
from kg.network import graph_to_network  # noqa: E402
from kg.render import SHELL_KINDS, load_style, load_text, plan_views, render_views  # noqa: E402
from kg.validate import load_ontology  # noqa: E402
from _graphs import corpus_graph, generate  # noqa: E402
from test_browser import CHROMIUM_ARGS, chromium_path  # noqa: E402


def time_to_stable(browser, page_path: Path, repeat: int, fragment: str = "") -> tuple[float, float, int]:
    """Median seconds from navigation to a settled layout, median in-page milliseconds, nodes drawn."""
    walls, in_page = [], []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(page_path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_selector("body[data-stable=true]", state="attached", timeout=600_000)
        walls.append(time.perf_counter() - start)
        in_page.append(page.evaluate("() => window.kgView.stableAt"))
        drawn = page.evaluate("() => window.kgView.network.body.nodeIndices.length")
        context.close()
    return statistics.median(walls), statistics.median(in_page), drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base = corpus_graph()
    big = generate(base, args.copies)
    start = time.perf_counter()
    network = graph_to_network(big)
    project_seconds = time.perf_counter() - start
    print(f"graph: {len(big)} triples, {network.number_of_nodes()} nodes, {network.number_of_edges()} edges (projected in {project_seconds:.1f} s)")
    style = load_style()
    modes = {
        f"folded by document (default above {style.fold_above} nodes)": style,
        "every node drawn": dataclasses.replace(style, fold_above=10**9),
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        corpus = graph_to_network(base)
        write_outputs(render_views(base, corpus, load_ontology(), style), Path(tmp) / "corpus")
        wall, in_page, drawn = time_to_stable(browser, Path(tmp) / "corpus" / "overview.html", args.repeat)
        print(f"tests/corpus overview ({corpus.number_of_nodes()} nodes): settled in {wall:.1f} s (in-page {in_page / 1000:.1f} s), {drawn} nodes drawn — median of {args.repeat}")
        for number, (mode, mode_style) in enumerate(modes.items()):
            start = time.perf_counter()
            files = render_views(big, network, load_ontology(), mode_style)
            render_seconds = time.perf_counter() - start
            out = Path(tmp) / str(number)
            write_outputs(files, out)
            size = len(files["overview.html"]) / 1e6
            wall, in_page, drawn = time_to_stable(browser, out / "overview.html", args.repeat)
            print(f"{mode}: {len(files)} files rendered in {render_seconds:.1f} s; overview.html {size:.1f} MB; "
                  f"settled in {wall:.1f} s (in-page {in_page / 1000:.1f} s), {drawn} nodes drawn — median of {args.repeat}")
        # the largest of the other pages, as the default style renders them
        largest = max((p for p in out.rglob("*.html") if p.parent != out), key=lambda p: p.stat().st_size)
        for path in (out / "problems.html", largest):
            wall, in_page, drawn = time_to_stable(browser, path, args.repeat)
            print(f"{path.relative_to(out)}: settled in {wall:.1f} s (in-page {in_page / 1000:.1f} s), {drawn} nodes drawn — median of {args.repeat}")
        # the entity drawing the most nodes: on the entity page, and on a page of its own
        entity = max((v for v in plan_views(network, load_text()) if v.kind in SHELL_KINDS), key=lambda v: (len(v.nodes), v.path))
        own = Path(tmp) / "own"
        write_outputs(render_views(big, network, load_ontology(), style, shell=False), own)
        for where, path, fragment in (("entity.html, from the data files", out / "entity.html", entity.path.removesuffix(".html")), ("a page of its own", own / entity.path, "")):
            wall, in_page, drawn = time_to_stable(browser, path, args.repeat, fragment)
            print(f"the largest entity's page ({entity.path}), {where}: settled in {wall:.1f} s (in-page {in_page / 1000:.1f} s), {drawn} nodes drawn — median of {args.repeat}")
        browser.close()


if __name__ == "__main__":
    main()

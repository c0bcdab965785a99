"""Make the screenshot the README shows: the page of one project of the bundled Pingshan plan,
drawn by headless Chromium.

    python docs/images/make_screenshots.py [--out docs/images/project-view.png]

Builds the default graph (the bundled document) into a temporary folder, opens the views page of
深化基层治理体制改革 from disk with the network blocked, waits for the layout to settle and saves
the top of the page. Needs the test extras (``python -m pip install -e '.[test]'``: Playwright)
and a Chromium (.ci/setup installs Debian's; ``$KG_CHROMIUM`` names another). The browser flags
and the search for Chromium are those of the browser tests (tests/test_browser.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from rdflib import RDF, RDFS, Graph, Literal  # noqa: E402

from kg.cli import main as kg_main  # noqa: E402
from kg.render import page_path  # noqa: E402
from kg.vocab import RKG  # noqa: E402
from test_browser import CHROMIUM_ARGS, chromium_path  # noqa: E402

PROJECT = "深化基层治理体制改革"  # item 1 of the bundled plan: a leader, his post, levels, problems, measures
VIEWPORT = {"width": 1200, "height": 860}


def project_page(out: Path, label: str) -> Path:
    """The views page of the project labelled ``label`` in the build in ``out``."""
    graph = Graph().parse(out / "graph.ttl")
    (project,) = (s for s in graph.subjects(RDFS.label, Literal(label, lang="zh")) if (s, RDF.type, RKG.ReformProject) in graph)
    return out / "views" / page_path(str(project), "ReformProject")


def screenshot(page_file: Path, png: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        sys.exit("error: no Chromium found (chromium, chromium-browser, google-chrome or $KG_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        # a selector, not a function: the pages' Content-Security-Policy forbids the eval wait_for_function needs
        page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png))
        browser.close()


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "project-view.png", help="the PNG to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-screenshot-") as tmp:
        out = Path(tmp) / "output"
        code = kg_main(["build", "--out", str(out), "-q"])
        if code != 0:
            return code
        screenshot(project_page(out, PROJECT), args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(run())

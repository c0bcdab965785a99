"""Issue 3, done when: "the same document as GB18030 text, as an HTML page, as .docx, and in
traditional script gives the same facts as the UTF-8 text".

Each document below is written at test time in every variant of ``VARIANTS`` (and the task table
also as a real HTML and Word table), loaded from that file and compared with the run over the
UTF-8 .txt. Facts are compared by identity (``facts_of`` in conftest.py): an HTML page or a .docx
has its own text, so its offsets legitimately differ; encoded .txt files decode to the very same
text, so for them the offsets must agree too. Traditional script is proved in test_script.py, for
every simplified document here (``SIMPLIFIED_SOURCES``) and for a Big5 file.
"""

from __future__ import annotations

import codecs
import html
import io
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import docx
import pytest

from kg.load import load_document
from kg.model import Entity, Resolved
from kg.pipeline import process_document
from kg.rdf import records_to_dataset, union_graph

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"


def case_input(case: str) -> Path:
    """The document a golden case reads (its case.toml's input)."""
    meta = tomllib.loads((CASES / case / "case.toml").read_text(encoding="utf-8"))
    return ROOT / meta["input"]


DOCUMENTS = {
    "pingshan": ROOT / "data" / "pingshan-2017-reform-plan.txt",  # ASCII "," and ":"
    "guangzhou": case_input("opinions/guangzhou-2012"),  # numbered items, "（牵头单位：…）"
    "lishan": case_input("tasks/lishan-2023"),  # "牵头单位:" field lines, blank lines between
    "huoshan": case_input("tasks/huoshan-2025"),  # a table flattened to one cell per line
    "tongcheng": case_input("meeting/tongcheng-2017"),  # a meeting report in prose
}
TABLE_DOCUMENT = "huoshan"

# --- writing the variants -------------------------------------------------------------------

SITE = "某某区人民政府门户网站"
# Page chrome: none of it may reach the document text.
CHROME = (SITE, "首页", "政务公开", "政务服务", "互动交流", "当前位置", "版权所有", "网站地图", "联系我们", "ICP备")


def render_page(title: str, content: str, charset: str = "utf-8") -> str:
    """A county government's article page: site header, menu, breadcrumb, the article, footer.

    No <main> or <article>, as on most government CMS pages: the loader has to remove the chrome
    around the article, not just pick the article out.
    """
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{html.escape(title)}_{SITE}</title>
<link rel="stylesheet" href="/css/style.css">
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<header class="site-header">
  <div class="logo"><img src="/images/logo.png" alt="{SITE}">{SITE}</div>
</header>
<nav>
  <ul>
    <li><a href="/">首页</a></li>
    <li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
  </ul>
</nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="article-content">
{content}
</div>
<footer>
  <p>版权所有：某某区人民政府办公室　<a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
  <p>皖ICP备00000000号</p>
</footer>
</body>
</html>
"""


def paragraphs_html(text: str) -> str:
    # A blank line is an empty paragraph, as CMS editors save it.
    return "\n".join(f"<p>{html.escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>" for line in text.splitlines())


def page_bytes(text: str, content: str, charset: str = "utf-8") -> bytes:
    # Pages that declare "gb2312" are written by GBK/GB18030 editors: encode as the superset.
    codec = "gb18030" if charset == "gb2312" else charset
    return render_page(text.splitlines()[0], content, charset).encode(codec)


def docx_bytes(text: str, fill: Callable[[DocxDocument], None]) -> bytes:
    document = docx.Document()
    document.core_properties.title = text.splitlines()[0]
    fill(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_paragraphs(text: str) -> bytes:
    def fill(document: DocxDocument) -> None:
        # Every line a paragraph, blank lines as empty paragraphs, as a Word user types them.
        for line in text.splitlines():
            document.add_paragraph(line)

    return docx_bytes(text, fill)


def table_rows(text: str) -> tuple[str, list[list[str]]]:
    """The flattened table ("序号 |", "重点工作 |", …, "1 |", …) → (title line, rows of cells).

    The header is the cells before the first number: the first row's 序号.
    """
    title, *lines = [line for line in text.splitlines() if line.strip()]
    cells = [line.rstrip().removesuffix("|").strip() for line in lines]
    width = next(i for i, cell in enumerate(cells) if cell.isdecimal())
    return title, [cells[i : i + width] for i in range(0, len(cells), width)]


def table_html(text: str) -> str:
    title, (header, *rows) = table_rows(text)
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<p style="text-align:center"><strong>{html.escape(title)}</strong></p>\n'
        f'<table border="1" cellspacing="0">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'
    )


def docx_table(text: str) -> bytes:
    title, rows = table_rows(text)

    def fill(document: DocxDocument) -> None:
        document.add_paragraph(title)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, values in zip(table.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.text = value

    return docx_bytes(text, fill)


# Variant → (file suffix, UTF-8 text → file bytes). Python's "utf-16" codec writes a byte-order mark.
VARIANTS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "gb18030": (".txt", lambda text: text.encode("gb18030")),
    "utf-8-bom": (".txt", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
    "utf-16": (".txt", lambda text: text.encode("utf-16")),
    "html": (".html", lambda text: page_bytes(text, paragraphs_html(text))),
    "html-gb2312": (".html", lambda text: page_bytes(text, paragraphs_html(text), "gb2312")),
    "docx": (".docx", docx_paragraphs),
}
# Only the task table has a real table to write.
TABLE_VARIANTS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "html-table": (".html", lambda text: page_bytes(text, table_html(text))),
    "docx-table": (".docx", docx_table),
}
# An encoded .txt variant → the codec the loader must report having decoded it with.
ENCODED_TEXT = {"gb18030": "gb18030", "utf-8-bom": "utf-8-sig", "utf-16": "utf-16"}
PAGES = ("html", "html-gb2312", "html-table")

RUNS = [(name, variant) for name in DOCUMENTS for variant in VARIANTS]
RUNS += [(TABLE_DOCUMENT, variant) for variant in TABLE_VARIANTS]


def run_id(run: tuple[str, str]) -> str:
    return "-".join(run)


@pytest.fixture(scope="module")
def originals(toolkit) -> dict[str, Resolved]:
    """Each document's run over its UTF-8 .txt: what every variant must give."""
    return {name: process_document(load_document(path), toolkit) for name, path in DOCUMENTS.items()}


@pytest.fixture(scope="module")
def run_variant(toolkit, tmp_path_factory) -> Callable[[str, str], Resolved]:
    """``run_variant(document, variant)``: the variant written to a file, loaded and processed (once)."""
    folder = tmp_path_factory.mktemp("formats")
    done: dict[tuple[str, str], Resolved] = {}

    def run(name: str, variant: str) -> Resolved:
        if (name, variant) not in done:
            suffix, write = {**VARIANTS, **TABLE_VARIANTS}[variant]
            path = folder / f"{name}-{variant}{suffix}"
            path.write_bytes(write(DOCUMENTS[name].read_text(encoding="utf-8")))
            done[name, variant] = process_document(load_document(path), toolkit)
        return done[name, variant]

    return run


# --- the same facts ---------------------------------------------------------------------------


@pytest.mark.parametrize("run", RUNS, ids=run_id)
def test_variant_gives_the_facts_of_the_utf8_text(run, originals, run_variant, facts_of):
    name, variant = run
    original, resolved = originals[name], run_variant(name, variant)
    assert original.facts, "the document gives facts, so the comparison says something"
    assert resolved.genre == original.genre
    assert facts_of(resolved, offsets=False) == facts_of(original, offsets=False)
    if variant in ENCODED_TEXT:
        # Decoding is all a .txt gets: the very same text, so the very same offsets.
        assert resolved.document.encoding == ENCODED_TEXT[variant]
        assert resolved.document.text == original.document.text
        assert facts_of(resolved) == facts_of(original)


@pytest.mark.parametrize("run", RUNS, ids=run_id)
def test_variant_graph_quotes_its_own_text(run, run_variant, assert_evidence_quotes):
    resolved = run_variant(*run)
    assert_evidence_quotes(union_graph(records_to_dataset([resolved])), resolved.document.text)


@pytest.mark.parametrize("run", [r for r in RUNS if r[1] in PAGES], ids=run_id)
def test_page_chrome_is_neither_text_nor_entity(run, run_variant):
    resolved = run_variant(*run)
    original = DOCUMENTS[run[0]].read_text(encoding="utf-8")
    assert resolved.document.title == f"{original.splitlines()[0]}_{SITE}"
    # A word the document itself writes (its own "首页", say) may stay.
    chrome = [word for word in CHROME if word not in original]
    assert [word for word in chrome if word in resolved.document.text] == []
    assert [e.label for e in resolved.entities if any(word in e.label for word in chrome)] == []


# --- the table, flattened and real --------------------------------------------------------------


def table_facts(resolved: Resolved) -> dict[str, set]:
    """What the task table says, by relation: objects as labels or literal texts."""
    found: dict[str, set] = {}
    for fact in resolved.facts:
        value = fact.object.label if isinstance(fact.object, Entity) else (fact.object.text, fact.object.datatype)
        found.setdefault(fact.predicate, set()).add((fact.subject.key, value))
    return found


@pytest.mark.parametrize("variant", [None, *TABLE_VARIANTS], ids=lambda v: v or "flattened")
def test_task_table_facts_in_every_shape(variant, originals, run_variant):
    resolved = originals[TABLE_DOCUMENT] if variant is None else run_variant(TABLE_DOCUMENT, variant)
    if variant is not None:
        # Read as a real table: one "a | b | c" line per row, not a cell per line.
        assert "序号 | 重点工作 | 责任领导 | 责任单位 | 完成时限" in resolved.document.text.splitlines()
    facts = table_facts(resolved)
    projects = ("坚持服务跟着项目走", "全力推进开发区空间再造", "提升园区承载能力")
    assert facts["ordinal"] == {(p, (str(n), "integer")) for n, p in enumerate(projects, 1)}
    assert facts["leadPerson"] == set(zip(projects, ("叶林", "马振明", "张云峰")))
    assert facts["leadUnit"] == {
        (projects[0], "招商工作部"),
        (projects[0], "安商工作部"),
        (projects[1], "改革办"),
        (projects[2], "规划建设局"),
    }
    assert facts["deadline"] == {(p, ("全年", "")) for p in projects}
    # "全年" of a table titled "2025年…" is the year 2025.
    assert facts["deadlineDate"] == {(p, ("2025", "gYear")) for p in projects}


# --- full-width and ASCII punctuation ----------------------------------------------------------

# Each of ", : ; ( )" to its full-width form and back: the Pingshan plan writes ASCII commas and
# colons, the Guangzhou opinions full-width ones, so swapping turns each into the other kind.
SWAP_PUNCTUATION = str.maketrans(",:;()，：；（）", "，：；（）,:;()")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_full_width_and_ascii_punctuation_give_the_same_facts(name, originals, toolkit, tmp_path, facts_of):
    original = originals[name]
    swapped = original.document.text.translate(SWAP_PUNCTUATION)
    assert swapped != original.document.text
    path = tmp_path / DOCUMENTS[name].name
    path.write_text(swapped, encoding="utf-8")
    resolved = process_document(load_document(path), toolkit)
    # One character for another: the offsets stay, so they are compared too.
    assert facts_of(resolved) == facts_of(original)


def test_punctuation_swap_turns_each_document_into_the_other_kind():
    """The swap test means something only if the documents differ: Pingshan ASCII, Guangzhou full-width."""
    pingshan = DOCUMENTS["pingshan"].read_text(encoding="utf-8")
    guangzhou = DOCUMENTS["guangzhou"].read_text(encoding="utf-8")
    assert "," in pingshan and ":" in pingshan and "，" not in pingshan and "：" not in pingshan
    assert "，" in guangzhou and "（" in guangzhou and "," not in guangzhou and "(" not in guangzhou

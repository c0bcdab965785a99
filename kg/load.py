"""Read one file into a ``SourceDocument``: the only stage that touches input files.

``load_document`` reads the bytes once and hands them to the loader that ``LOADERS`` names for
the file's suffix. Every loader is a pure function of (bytes, path) → ``LoadedText``.

Offsets are the truth. A plain-text file is decoded and nothing else: no newline, width or
Unicode normalisation, so an offset into ``text`` is an offset into what the author wrote.
HTML, DOCX and PDF have no plain text of their own; for them the extracted text *is* the
document text, with one line per block (paragraph, heading, list item, table row).
The text's script (simplified or traditional) is recorded, never converted: the rules read a
simplified copy of a traditional text (kg.script), and the text stays as the author wrote it.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import pathlib
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator

import charset_normalizer

from kg.errors import (
    DecodeError,
    EmptyDocumentError,
    InputError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from kg.model import SourceDocument
from kg.script import detect_script

if TYPE_CHECKING:
    # Imported where a format is read: a build of text files need not load them.
    from bs4 import BeautifulSoup, Tag
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# What a packaged document (.docx) may expand to once unzipped.
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
"""Larger files are refused: reform documents are kilobytes, so 50 MB means a wrong file."""

DOC_ID_LENGTH = 16

# UTF-32 LE must be tried before UTF-16 LE: its mark FF FE 00 00 starts with UTF-16's FF FE.
# The codecs named here consume the mark, so it never becomes part of the text.
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# A detected or declared codec → the codecs to try, in order. GB2312 and GBK are subsets of
# GB18030, and pages that declare "gb2312" routinely contain GBK-only characters, so the
# superset decodes them all identically. Big5 has two common extensions (Microsoft's cp950,
# Hong Kong's HKSCS); plain big5 comes first so the reported codec is the narrowest that fits.
CODEC_FAMILIES: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}

# Real documents have next to no C0/C1 control characters; a tenth of them means the bytes
# were binary data that some codec happened to accept. Tab, LF, VT, FF and CR are text.
MAX_CONTROL_SHARE = 0.1
BINARY_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

# The HTML standard's prescan looks at the first 1024 bytes; government CMS pages often put
# long comment banners first, so look further.
CHARSET_SCAN_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)

# Elements that are never document text.
DROPPED_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "select", "textarea", "input", "nav", "aside",
)
# The site's own header and footer; inside <article>/<main> they belong to the document.
FRAME_TAGS = ("header", "footer")
CONTENT_TAGS = ("article", "main")
# ARIA landmarks that are page chrome, whatever the element.
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
# Words of a class or id (split at "-", "_" and camelCase) that mark navigation or chrome.
CHROME_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "submenu", "dropdown", "breadcrumb", "breadcrumbs",
    "crumb", "crumbs", "sidebar", "share", "sharing", "social", "toolbar", "pager",
    "pagination", "skip",
    # "当前位置：首页 > …" bars on Chinese government sites
    "location", "position", "weizhi",
})
# As FRAME_TAGS: chrome outside <article>/<main>, the document's own inside them.
FRAME_WORDS = frozenset({"header", "footer", "copyright", "banner"})
# A class/id guess never removes the element that holds most of the page's text: a wrapper
# named "no-sidebar" is the page, not chrome.
MAX_GUESSED_CHROME_SHARE = 0.5
# Unlabelled menus and "related articles" lists: several links and little else.
LINK_LIST_TAGS = ("ul", "ol", "dl", "div", "section", "table", "td")
LINK_LIST_MIN_LINKS = 3
LINK_LIST_MIN_SHARE = 0.7

BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "ul",
})
CELL_TAGS = ("td", "th")
CELL_SEPARATOR = " | "
# A cell with more lines than this is a layout cell holding page content, not a table value;
# its lines are kept as lines instead of being squeezed into one row.
MAX_DATA_CELL_LINES = 3

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
# Browsers drop a source line break between two CJK characters (CSS Text 3, segment break
# transformation): "推进\n改革" renders as "推进改革", not "推进 改革".
CJK_LINE_BREAK = re.compile(f"(?<=[{CJK_CHARS}])[^\\S\\n]*\\n\\s*(?=[{CJK_CHARS}])")
WHITESPACE = re.compile(r"\s+")
WORD_BOUNDARY = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

DOCX_HEADING_STYLES = ("Heading", "Title")

MEDIA_TYPES = {
    "text": "text/plain",
    "markdown": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class LoadedText:
    """What a loader extracts from a file's bytes; ``load_document`` adds the identity fields.

    ``encoding`` is the codec that decoded the bytes, or "" for DOCX and PDF, whose text is
    not decoded from the file with one codec.
    """

    text: str
    encoding: str
    media_type: str
    title: str = ""
    notes: tuple[str, ...] = ()


def load_document(
    path: str | pathlib.Path, *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> SourceDocument:
    """Read ``path`` and decode it with the loader for its suffix.

    Raises InputError (or a subclass) naming the file for anything that stops it being read.
    """
    return decode_document(read_file(path, max_bytes=max_bytes), str(path))


def read_file(path: str | pathlib.Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """``load_document``'s reading: the bytes of ``path``, checked to be a supported format,
    not over ``max_bytes`` and not empty. ``decode_document`` may then run elsewhere (on a
    worker of a cluster, which need not see this machine's files)."""
    given = str(path)
    file_path = pathlib.Path(path)
    suffix = file_path.suffix.lower()
    # Open before looking at the suffix so a mistyped path says "no such file", the question
    # the user needs answered first.
    try:
        with open(file_path, "rb") as handle:
            if suffix not in LOADERS:
                raise UnsupportedFormatError(
                    f"unsupported file type {suffix or '(no suffix)'!r}; "
                    f"supported: {', '.join(SUPPORTED_SUFFIXES)}",
                    given,
                )
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                limit = describe_size(max_bytes)
                raise InputError(f"file is {describe_size(size)}, over the {limit} limit", given)
            # Read one byte past the limit: a file can grow after fstat, or report size 0.
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("no such file", given) from None
    except IsADirectoryError:
        raise InputError("no such file: the path is a directory", given) from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied", given) from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}", given) from None
    if len(data) > max_bytes:
        raise InputError(f"file is over the {describe_size(max_bytes)} limit", given)
    if not data:
        raise EmptyDocumentError("file is empty (0 bytes)", given)
    return data


def decode_document(data: bytes, path: str) -> SourceDocument:
    """``load_document``'s decoding: the bytes ``read_file`` read from ``path``, through the
    loader for its suffix."""
    file_path = pathlib.Path(path)
    loaded = LOADERS[file_path.suffix.lower()](data, path)
    if not loaded.text.strip():
        raise EmptyDocumentError("document has no text (empty or whitespace only)", path)
    return SourceDocument(
        doc_id=hash_text(loaded.text),
        path=path,
        name=file_path.name,
        text=loaded.text,
        encoding=loaded.encoding,
        media_type=loaded.media_type,
        title=loaded.title,
        script=detect_script(loaded.text),
        notes=loaded.notes,
    )


def hash_text(text: str) -> str:
    """The document key: the same text gives the same id whatever encoding it came in."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DOC_ID_LENGTH]


def describe_size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"


def describe_error(error: Exception) -> str:
    """A library's exception as one line for a message: its class says more than its text."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# --- plain text ---------------------------------------------------------------------------


def load_text(data: bytes, path: str) -> LoadedText:
    text, encoding, notes = decode_bytes(data, path)
    text, tags = blank_markup(text)
    if tags:
        notes = (*notes, f"{tags} HTML tags in the text read as white space")
    return LoadedText(text=text, encoding=encoding, media_type=MEDIA_TYPES["text"], notes=notes)


# HTML markup in a text file: a page's source pasted as text (`<p class="ql-block">…</p>`), or a
# mirror site's junk tags around the article. A tag, a comment, a script or style with its body.
MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]{0,400}?/?>", re.DOTALL | re.IGNORECASE)
# Fewer tags than this are text that mentions one ("<通知>" is no tag anyway).
MIN_MARKUP_TAGS = 5
# Tags whose end (or the tag itself, for br) ends a line of the page.
LINE_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote", "dd", "dt", "ul", "ol", "center"})
# Entities a pasted page keeps, as the character each stands for.
ENTITIES = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&ensp;": " ", "&emsp;": " "}
ENTITY = re.compile("|".join(map(re.escape, ENTITIES)))


def blank_markup(text: str) -> tuple[str, int]:
    """The text with its HTML markup read as white space of the same length (so every offset
    stays where it was): a tag that ends a line of the page (``</p>``, ``<br>``) as a line break,
    any other as spaces, an entity as its character; and how many tags there were (0, and the text
    itself, under MIN_MARKUP_TAGS)."""
    tags = list(MARKUP.finditer(text))
    if len(tags) < MIN_MARKUP_TAGS:
        return text, 0

    def blank(match: re.Match) -> str:
        name = (match.group(2) or "").lower()
        ends_line = name in LINE_TAGS and (match.group().startswith("</") or name == "br")
        return ("\n" + " " * (len(match.group()) - 1)) if ends_line else " " * len(match.group())

    blanked = MARKUP.sub(blank, text)
    blanked = ENTITY.sub(lambda m: ENTITIES[m.group()].ljust(len(m.group())), blanked)
    return blanked, len(tags)


def load_markdown(data: bytes, path: str) -> LoadedText:
    # Markdown is kept as written: rendering it would move every offset.
    return replace(load_text(data, path), media_type=MEDIA_TYPES["markdown"])


def decode_bytes(data: bytes, path: str, declared: str = "") -> tuple[str, str, tuple[str, ...]]:
    """Decode ``data`` → (text, codec name, notes). Only decoding: the text's length is the file's.

    Order: a byte-order mark; strict UTF-8; the ``declared`` charset (HTML); detection; and last,
    UTF-8 with its few bad bytes replaced by U+FFFD (a file damaged in a few places), which the
    notes tell, with where the first is.
    """
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec), codec, ()
            except UnicodeDecodeError:
                raise DecodeError(
                    f"starts with a {codec} byte-order mark but is not valid {codec}", path
                ) from None
    if b"\x00" in data:
        raise DecodeError(
            "contains NUL bytes: binary data, or UTF-16/UTF-32 without a byte-order mark "
            "(save it as UTF-8)",
            path,
        )
    for codec in list_candidate_codecs(data, declared):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        check_text_is_textual(text, path)
        return text, codec, ()
    damaged = _utf8_with_bad_bytes(data)
    if damaged is not None:
        text, note = damaged
        check_text_is_textual(text, path)
        return text, "utf-8", (note,)
    raise DecodeError(
        "cannot detect the text encoding (tried UTF-8, GB18030, Big5 and others); "
        "save it as UTF-8",
        path,
    )


# UTF-8 with at most this share of its bytes bad is a damaged UTF-8 file, not another encoding.
MAX_BAD_BYTE_SHARE = 0.001
MIN_BAD_BYTES_ALLOWED = 16


def _utf8_with_bad_bytes(data: bytes) -> tuple[str, str] | None:
    """UTF-8 text with the few bytes that are not UTF-8 replaced, and a note saying how many and
    where the first is; None where too many are bad to call it UTF-8."""
    bad: list[int] = []
    decoder = codecs.getincrementaldecoder("utf-8")()
    at = 0
    while at < len(data):
        try:
            decoder.decode(data[at:], final=True)
            break
        except UnicodeDecodeError as error:
            bad.append(at + error.start)
            at += error.end
            decoder.reset()
            if len(bad) > max(MIN_BAD_BYTES_ALLOWED, len(data) * MAX_BAD_BYTE_SHARE):
                return None
    if not bad:
        return None
    text = data.decode("utf-8", errors="replace")
    return text, f"{len(bad)} byte sequence(s) that are not UTF-8 replaced by U+FFFD, the first at byte {bad[0]:,}"


def list_candidate_codecs(data: bytes, declared: str) -> Iterator[str]:
    """Codecs to try in order; detection only runs if the cheaper guesses fail."""
    yield "utf-8"
    if declared:
        yield from widen_codec(declared)
    for match in charset_normalizer.from_bytes(data):
        yield from widen_codec(match.encoding)


def widen_codec(name: str) -> tuple[str, ...]:
    """A codec name as Python spells it, widened to its superset family; () if unknown."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return ()
    return CODEC_FAMILIES.get(canonical, (canonical,))


def check_text_is_textual(text: str, path: str) -> None:
    controls = sum(1 for _ in BINARY_CHAR.finditer(text))
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        raise DecodeError(
            f"looks like binary data, not text: {controls} of {len(text)} characters are "
            "control or replacement characters",
            path,
        )


# --- HTML ---------------------------------------------------------------------------------
#
# BeautifulSoup over lxml rather than html.parser: finding the main text means editing a tree
# (remove chrome subtrees, compare the text held by candidate elements), and government CMS
# pages are tag soup (unclosed <p>/<td>, layout tables) that libxml2's parser repairs into a
# sane tree. html.parser only emits events, so we would be writing that tree builder ourselves.


def load_html(data: bytes, path: str) -> LoadedText:
    from bs4 import BeautifulSoup

    text, encoding, notes = decode_bytes(data, path, declared=find_declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as error:  # bs4/lxml raise assorted errors for markup they cannot take
        raise InputError(f"not readable HTML ({describe_error(error)})", path) from error
    title = find_html_title(soup)
    try:
        remove_html_chrome(soup)
        lines = render_html_lines(select_main_element(soup))
    except RecursionError:  # the walk recurses once per nesting level; real pages nest < 100
        raise InputError("HTML is nested too deeply to read", path) from None
    text = "\n".join(lines)
    return LoadedText(text=text, encoding=encoding, media_type=MEDIA_TYPES["html"], title=title, notes=notes)


def find_declared_charset(data: bytes) -> str:
    match = DECLARED_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if not match:
        return ""
    name = match.group(1).decode("ascii", "replace")
    # The HTML standard reads a <meta> that declares UTF-16/32 as UTF-8: a page whose bytes
    # could be read far enough to find that ASCII <meta> is not UTF-16.
    if name.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def find_html_title(soup: BeautifulSoup) -> str:
    for element in (soup.title, soup.h1):
        if element is not None:
            title = WHITESPACE.sub(" ", element.get_text()).strip()
            if title:
                return title
    return ""


def remove_html_chrome(soup: BeautifulSoup) -> None:
    """Remove navigation, scripts and site frame, so what is left is the document."""
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()
    page_size = measure_text(soup.body or soup)
    for element in soup.find_all(True):
        if element.decomposed or element.name in ("html", "body") + CONTENT_TAGS:
            continue
        if is_hidden(element) or (element.name in FRAME_TAGS and not is_in_content(element)):
            element.decompose()
        elif is_chrome_by_name(element) or is_link_list(element):
            if measure_text(element) <= page_size * MAX_GUESSED_CHROME_SHARE:
                element.decompose()


def is_hidden(element: Tag) -> bool:
    return element.has_attr("hidden") or bool(HIDDEN_STYLE.search(str(element.get("style", ""))))


def is_in_content(element: Tag) -> bool:
    return element.find_parent(CONTENT_TAGS) is not None


def is_chrome_by_name(element: Tag) -> bool:
    if element.get("role") in CHROME_ROLES:
        return True
    names = element.get("class", []) + [str(element.get("id", ""))]
    words = {word.lower() for name in names for word in WORD_BOUNDARY.split(name) if word}
    if words & CHROME_WORDS:
        return True
    return bool(words & FRAME_WORDS) and not is_in_content(element)


def is_link_list(element: Tag) -> bool:
    if element.name not in LINK_LIST_TAGS:
        return False
    links = element.find_all("a")
    if len(links) < LINK_LIST_MIN_LINKS:
        return False
    total = measure_text(element)
    return total > 0 and sum(measure_text(link) for link in links) >= total * LINK_LIST_MIN_SHARE


def measure_text(element: Tag) -> int:
    return len(WHITESPACE.sub("", element.get_text()))


def count_cjk(element: Tag) -> int:
    return len(CJK_CHAR.findall(element.get_text()))


def select_main_element(soup: BeautifulSoup) -> Tag:
    """The <article>/<main> holding the most CJK text, else the whole (de-chromed) body.

    Without such markup we keep the body rather than guess at one <div>: chrome has already
    been removed, and guessing wrong would silently drop content that sits in sibling blocks.
    """
    candidates = soup.find_all(CONTENT_TAGS) + soup.find_all(attrs={"role": "main"})
    # Ties go to the first in document order: an outer <main> before the <article> inside it.
    best = max(
        enumerate(candidates),
        key=lambda item: (count_cjk(item[1]), measure_text(item[1]), -item[0]),
        default=None,
    )
    if best is not None and measure_text(best[1]) > 0:
        return best[1]
    return soup.body or soup


def render_html_lines(root: Tag) -> list[str]:
    """Text of ``root``, one line per block element, table rows as "a | b | c"."""
    lines: list[str] = []
    pending: list[str] = []

    def end_line() -> None:
        line = WHITESPACE.sub(" ", CJK_LINE_BREAK.sub("", "".join(pending))).strip()
        pending.clear()
        if line:
            lines.append(line)

    from bs4 import CData, NavigableString, Tag

    def walk(node: object) -> None:
        # Exact types: Comment, Doctype and friends subclass NavigableString but are not text.
        if type(node) in (NavigableString, CData):
            pending.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                end_line()
            elif node.name == "tr":
                end_line()
                lines.extend(render_html_row(node))
            elif node.name in BLOCK_TAGS:
                end_line()
                for child in node.children:
                    walk(child)
                end_line()
            else:
                for child in node.children:
                    walk(child)

    walk(root)
    end_line()
    return lines


def render_html_row(row: Tag) -> list[str]:
    from bs4 import Tag

    cells = [child for child in row.children if isinstance(child, Tag) and child.name in CELL_TAGS]
    if not cells:
        return render_html_lines(row)
    rendered = [render_html_lines(cell) for cell in cells]
    is_layout = (
        len(cells) == 1
        or any(cell.find("table") is not None for cell in cells)
        or any(len(cell_lines) > MAX_DATA_CELL_LINES for cell_lines in rendered)
    )
    if is_layout:
        return [line for cell_lines in rendered for line in cell_lines]
    values = [" ".join(cell_lines) for cell_lines in rendered]
    # Empty cells stay, so every row of a table keeps its column positions.
    return [CELL_SEPARATOR.join(values)] if any(values) else []


# --- DOCX ---------------------------------------------------------------------------------


def check_expansion(data: bytes, path: str) -> None:
    """A zip package (.docx) may say it expands to no more than MAX_EXPANDED_BYTES: a 3 MB file can
    hold a gigabyte of XML (a "zip bomb"). The sizes its directory declares bound what reading it
    yields (zipfile stops each member at its declared size), so they are checked before it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"not a readable .docx file ({describe_error(error)})", path) from error
    if declared > MAX_EXPANDED_BYTES:
        raise InputError(f"the file expands to {describe_size(declared)}, over the {describe_size(MAX_EXPANDED_BYTES)} limit", path)


def load_docx(data: bytes, path: str) -> LoadedText:
    import docx

    check_expansion(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
        # iter_inner_content yields paragraphs and tables in body order, so a table's rows
        # land between the paragraphs that surround it.
        blocks = document.iter_inner_content()
        lines = [line for block in blocks for line in render_docx_block(block)]
        title = (document.core_properties.title or "").strip() or find_docx_heading(document)
    except Exception as error:  # a damaged package fails in zipfile, lxml or python-docx alike
        raise InputError(f"not a readable .docx file ({describe_error(error)})", path) from error
    text = "\n".join(lines)
    return LoadedText(text=text, encoding="", media_type=MEDIA_TYPES["docx"], title=title)


def render_docx_block(block: Paragraph | Table) -> list[str]:
    from docx.text.paragraph import Paragraph

    if isinstance(block, Paragraph):
        # The paragraph is kept as written (indentation included); only empty ones are skipped.
        return [block.text] if block.text.strip() else []
    return render_docx_table(block)


def render_docx_table(table: Table) -> list[str]:
    lines = []
    # python-docx repeats a merged cell for every grid column and row it spans; the underlying
    # <w:tc> element (no public handle) tells a repeat from a new cell.
    seen: set[object] = set()
    for row in table.rows:
        values = []
        previous = None
        for cell in row.cells:
            element = cell._tc
            if element is previous:
                continue  # the same cell spanning columns: one value in the row
            previous = element
            # A cell merged down from a row above: its text was given there, so an empty value
            # here keeps the column positions without repeating it.
            values.append("" if element in seen else render_docx_cell(cell))
            seen.add(element)
        if any(values):
            lines.append(CELL_SEPARATOR.join(values))
    return lines


def render_docx_cell(cell: _Cell) -> str:
    parts = []
    for block in cell.iter_inner_content():
        parts.extend(line.strip() for line in render_docx_block(block))
    return WHITESPACE.sub(" ", " ".join(parts)).strip()


def find_docx_heading(document: DocxDocument) -> str:
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith(DOCX_HEADING_STYLES) and paragraph.text.strip():
            return paragraph.text.strip()
    return ""


# --- PDF ----------------------------------------------------------------------------------
#
# pypdf rather than pdfminer.six: both extract CJK text from CID fonts correctly (tested on
# STSong-Light with a UniGB-UCS2-H encoding), pypdf page by page with one line per text line,
# where pdfminer adds a blank line after each; pypdf is pure Python with no dependencies.


@contextmanager
def _library_warnings(name: str) -> Iterator[list[str]]:
    """What a library logs while reading a file, collected instead of reaching stderr unlabelled
    ("Ignoring wrong pointing object 7 0"): the loader says it, naming the file."""
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logger, handler = logging.getLogger(name), Collect(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def load_pdf(data: bytes, path: str) -> LoadedText:
    import pypdf

    with _library_warnings("pypdf") as warned:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                # Many government PDFs are "encrypted" with an empty user password only to stop
                # editing; they open without one.
                reader.decrypt("")
            pages = [page.extract_text() or "" for page in reader.pages]
            metadata = reader.metadata
            title = str(metadata.title or "").strip() if metadata is not None else ""
        except Exception as error:  # pypdf raises PdfReadError, ValueError, KeyError… for damage
            said = f"; pypdf: {warned[0]}" if warned else ""
            raise InputError(f"not a readable .pdf file ({describe_error(error)}{said})", path) from error
    if not pages:
        raise EmptyDocumentError("PDF has no pages", path)
    if not any(page.strip() for page in pages) and warned:
        # Damage, not a scan: what pypdf met says so.
        raise InputError(f"PDF is damaged and no text could be read from it (pypdf: {warned[0]}; {len(warned)} warning(s))", path)
    if not any(page.strip() for page in pages):
        raise NoTextLayerError(
            f"PDF has no text layer ({len(pages)} page(s) without text, probably a scan); "
            "it needs OCR before it can be loaded",
            path,
        )
    # Pages one after another; pypdf ends a page with a line break or not, so normalise the seam.
    text = "\n".join(page.rstrip("\n") for page in pages)
    notes = (f"pypdf met {len(warned)} problem(s) reading it, the first: {warned[0]}",) if warned else ()
    return LoadedText(text=text, encoding="", media_type=MEDIA_TYPES["pdf"], title=title, notes=notes)


LOADERS: dict[str, Callable[[bytes, str], LoadedText]] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".docx": load_docx,
    ".pdf": load_pdf,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(LOADERS)

"""Line breaks as the author meant them: a reading copy of the same length.

Two layouts break lines where the text does not:

- text copied from a PDF keeps one visual line per line, so a sentence, a name or a list of
  units runs over a line end ("区发展\\n改革局"), with page numbers between pages;
- text copied from a web page may lose its paragraph breaks and run whole sections together on
  one line ("…制定本工作要点。 一、总体要求 2022年是…").

The rules read a copy in which a line break inside a wrapped sentence is a space (a page number
line between becomes spaces too) and a space that stood for a paragraph break is a line break.
Only white space changes and only into white space, character for character, so every offset
into the copy is an offset into the original (offsets are the truth), and a name read across a
line end is the name with its white space dropped.

One more thing stands in the way of reading, and it is no line break: mirror sites write a
character's reading in pinyin after it ("領(lǐng)導小組"), cutting every name it falls in. The
rules read a copy without these readings (``drop_glosses``), and what they find is given the
original's offsets back (``restore_glosses``): its evidence quotes the page as published, its
names are the names without the readings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from .model import Cue, Fact, Mention, Resolved, SourceDocument, Span, StatedFigure

# A line that is only a page number: "3", "- 3 -", "— 3 —", "第3页", "3/12".
PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[/／]\s*[0-9０-９]{1,4})?[\s\-—–－·]*$")
# White space between two characters of a line, where it lays a line out in columns: not next
# to a figure or a Latin word, which PDF copies space apart ("分别给予 100 万元").
INNER_SPACE = re.compile(r"[^\sA-Za-z0-9.%]\s+[^\sA-Za-z0-9.%]")
# What ends a line that ends its sentence or introduces what follows.
LINE_ENDS = "。；;！？!?：:）)】」』”\""
# A wrapped document has at least this many lines of the full width, and they are at least this
# share of its lines of text.
MIN_FULL_LINES = 4
MIN_FULL_SHARE = 0.4
# A line is of the full width when at most this many columns shorter than the widest common
# line. Widths are in columns: a Chinese character takes two, a figure or a Latin letter one,
# as a page sets them ("给予 100 万元" is as wide as six characters).
WIDTH_SLACK = 6
# A copy is double spaced where at least this share of its lines of text have one blank line
# after them.
DOUBLE_SPACED_SHARE = 0.8
# On a wide page a full line may be this share of the width shorter (1/8).
WIDE_PAGE_SHARE = 8
# Lines narrower than this are never text lines of a wrapped page (headings, cells, numbers).
MIN_WIDTH = 30
# A line longer than this may hold paragraphs run together.
RUN_IN_CHARS = 200
# The mark between a table row's cells where a copy keeps a row a line.
TABLE_PIPE = re.compile("[|｜]")


def _columns(line: str) -> int:
    """How wide a line is set: two columns a wide character, one a narrow one."""
    return sum(1 if unicodedata.east_asian_width(ch) in "NaH" else 2 for ch in line)


def _slack(width: int) -> int:
    """How much shorter than the full width a full line may be: WIDTH_SLACK columns, or an eighth
    of a wide page, whose lines vary more with the quotes and figures they hold."""
    return max(WIDTH_SLACK, width // WIDE_PAGE_SHARE)


def _width(lines: list[str]) -> int | None:
    """The full width of a wrapped document's lines, or None if its lines are not wrapped.

    Wrapped text has many lines of one length (the page's width, give or take punctuation):
    the most common length among lines of at least MIN_WIDTH characters must hold, with the
    lines up to WIDTH_SLACK shorter, MIN_FULL_SHARE of the lines of text.
    """
    lengths = [n for line in lines if (n := _columns(line.strip())) >= MIN_WIDTH]
    if len(lengths) < MIN_FULL_LINES:
        return None
    common = Counter(lengths)
    width = max(common, key=lambda n: (sum(common[k] for k in range(n - _slack(n), n + 1)), n))
    full = sum(common[k] for k in range(width - _slack(width), width + 1))
    text_lines = sum(1 for line in lines if line.strip())
    if full < MIN_FULL_LINES or full < MIN_FULL_SHARE * text_lines:
        return None
    return width


def _next_text(lines: list[str], i: int) -> int:
    """The index of the first line from ``i`` on that holds text other than a page number
    (``len(lines)`` if none does)."""
    while i < len(lines) and (not lines[i].strip() or PAGE_NUMBER.match(lines[i])):
        i += 1
    return i


# A quotation within a line: "“关爱生命 救在身边”", whose spaces are the quotation's own.
QUOTATION = re.compile(r"“[^“”\n]*”")


def _columned(line: str) -> bool:
    """Whether a line is laid out in columns: white space between two characters, outside a
    quotation."""
    return INNER_SPACE.search(QUOTATION.sub(lambda m: re.sub(r"\s", "_", m.group()), line)) is not None


def _double_spaced(lines: list[str]) -> bool:
    """Whether a copy puts a blank line after nearly every line of text (a web page that made each
    line of a PDF a paragraph of its own): then a single blank line marks no paragraph."""
    text = [k for k, line in enumerate(lines) if line.strip()]
    if len(text) < MIN_FULL_LINES:
        return False
    gaps = sum(1 for a, b in zip(text, text[1:]) if b - a == 2)
    return gaps >= DOUBLE_SPACED_SHARE * (len(text) - 1)


def join_wrapped_lines(text: str, starts_item: re.Pattern) -> str:
    """The copy with wrapped lines joined: a line break after a line of the full width (give or
    take WIDTH_SLACK) that does not end its sentence, before a line that opens no numbered item,
    becomes a space; page-number lines between two such lines become spaces."""
    lines = text.split("\n")
    width = _width(lines)
    if width is None:
        return text
    out = list(lines)
    joins: list[int] = []  # indexes of lines whose line break becomes a space
    spaced = _double_spaced(lines)
    i = 0
    while i < len(lines) - 1:
        line = lines[i].rstrip()
        if abs(_columns(line.strip()) - width) > _slack(width) or line[-1:] in LINE_ENDS:
            i += 1
            continue
        j = i + 1
        if not lines[j].strip() or PAGE_NUMBER.match(lines[j]):
            # Across a page number and the blank lines around it; never across a blank line
            # alone, which ends a paragraph.
            j = _next_text(lines, i + 1)
            # In a copy that puts a blank line after every line, one blank line ends nothing.
            if not any(lines[k].strip() for k in range(i + 1, j)) and not (spaced and j == i + 2):
                i += 1
                continue
        # A line with spaces inside is laid out in columns (a table's header or row, a date and
        # a time), not wrapped prose.
        if j < len(lines) and lines[j].strip() and not starts_item.match(lines[j].lstrip()) and not (_columned(line) or _columned(lines[j])):
            joins.extend(range(i, j))
            for k in range(i + 1, j):
                out[k] = " " * len(lines[k])
        i = j
    joined = [ch for ch in "\n".join(out)]
    position = 0
    ends = []
    for k, line in enumerate(out):
        position += len(line)
        ends.append(position)
        position += 1
    for k in joins:
        joined[ends[k]] = " "
    return "".join(joined)


# What separates the clauses of a sentence, which a heading has none of.
CLAUSE_MARK = re.compile("[，,；;]")


def split_run_in(text: str, starts_item: re.Pattern, heading_chars: int) -> str:
    """The copy with paragraphs run together on one long line split again: white space before
    a numbered item ("… 一、总体要求"), after a sentence end, or after a short numbered heading
    ("一、总体要求 2022年是…") becomes a line break."""
    chars = list(text)
    offset = 0
    for line in text.split("\n"):
        # A table's row copied a line each, "1 | 甲。 | 乙 |", is one row however long.
        if len(line) > RUN_IN_CHARS and len(TABLE_PIPE.findall(line)) < 2:
            last_break = 0
            for gap in re.finditer(r"\s+", line):
                if gap.start() == 0 or gap.end() == len(line):
                    continue
                before, after = line[last_break : gap.start()].strip(), line[gap.end() :]
                # A heading has words after its number: "4. 加强…" is one item, not "4." alone; and
                # no clause of a sentence: "1.实施甲行动,安排 110 亿元…" is a PDF's line run on.
                number = starts_item.match(before)
                heading = number is not None and number.end() < len(before) and len(before) <= heading_chars and not CLAUSE_MARK.search(before)
                if starts_item.match(after) or before[-1:] in "。；;！？!?" or heading:
                    chars[offset + gap.start()] = "\n"
                    last_break = gap.end()
        offset += len(line) + 1
    return "".join(chars)


# A line of one Chinese character: a narrow table cell copied a character a line ("序" / "号").
STACKED_LINE = re.compile(r"[ \t　]*[\u3400-\u9fff][ \t　]*")
# The last character of such a cell, with the pipe that closes the cell: "号  |".
STACKED_CELL_END = re.compile(r"[ \t　]*[\u3400-\u9fff][ \t　]*[|｜][ \t　]*")


def join_stacked_characters(text: str) -> str:
    """Lines of one character each, two or more in a row, are one line: a narrow cell of a table
    copied a character a line ("序" / "号", "市" / "监" / "察" / "局", the last one perhaps with
    the pipe that closes the cell, "号  |") is one cell."""
    lines = text.split("\n")
    stacked = [STACKED_LINE.fullmatch(line) is not None for line in lines]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 < len(lines):
            joined = stacked[i] and (stacked[i + 1] or STACKED_CELL_END.fullmatch(lines[i + 1]) is not None)
            out.append(" " if joined else "\n")
    return "".join(out)


def reflow_document(document: SourceDocument, starts_item: re.Pattern, heading_chars: int) -> SourceDocument:
    """The copy the rules read (see the module's docstring): the same length, white space only
    changed. ``starts_item`` matches a numbered line ("一、", "（一）", "1.")."""
    # Split first: only white space the author wrote may stand for a paragraph break, never a
    # space that joined two wrapped lines.
    text = join_wrapped_lines(split_run_in(join_stacked_characters(document.text), starts_item, heading_chars), starts_item)
    return document if text == document.text else replace(document, text=text)


# A reading in pinyin after a character: "領(lǐng)", "區(qū)". Every one carries a tone mark, which no
# code or abbreviation in brackets does ("(GDP)", "(PPP)", "(试行)").
PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]{0,5}[)）]")


def drop_glosses(document: SourceDocument) -> tuple[SourceDocument, tuple[int, ...] | None]:
    """The copy without pinyin readings, and for each of its characters the offset of that
    character in the original (None, and the document itself, where there is no reading)."""
    glosses = list(PINYIN_GLOSS.finditer(document.text))
    if not glosses:
        return document, None
    kept, last = [], 0
    for gloss in glosses:
        kept.extend(range(last, gloss.start()))
        last = gloss.end()
    kept.extend(range(last, len(document.text)))
    return replace(document, text="".join(document.text[i] for i in kept)), tuple(kept)


def restore_glosses(resolved: Resolved, document: SourceDocument, offsets: tuple[int, ...]) -> Resolved:
    """What the rules found in ``drop_glosses(document)``, at ``document``'s offsets: every span
    quotes the original, readings included; a mention whose name held a reading keeps the name
    as read (``Mention.written``)."""

    def restore_span(span: Span) -> Span:
        start = offsets[span.start] if span.start < len(offsets) else len(document.text)
        end = offsets[span.end - 1] + 1 if span.end > span.start else start
        return Span(start, end, document.text[start:end])

    def restore_fact(fact: Fact) -> Fact:
        return replace(fact, evidence=tuple(map(restore_span, fact.evidence)), premises=tuple(map(restore_fact, fact.premises)))

    def restore_mention(mention: Mention) -> Mention:
        exact = restore_span(mention.exact)
        written = mention.written or (mention.exact.text if exact.text != mention.exact.text else "")
        return Mention(mention.entity, restore_span(mention.span), exact, written)

    def restore_figure(figure: StatedFigure, found: int | None) -> tuple[StatedFigure, int | None]:
        return replace(figure, evidence=restore_span(figure.evidence)), found

    return replace(
        resolved,
        document=document,
        mentions=tuple(map(restore_mention, resolved.mentions)),
        facts=tuple(map(restore_fact, resolved.facts)),
        figures=tuple(restore_figure(figure, found) for figure, found in resolved.figures),
        unused=tuple(map(restore_span, resolved.unused)),
        unread=tuple(Cue(restore_span(cue.span), cue.kind) for cue in resolved.unread),
    )

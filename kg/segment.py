"""Split a document into headings, numbered items and paragraphs, keeping offsets.

Also splits any span into sentences and clauses: evidence is the sentence that states a fact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import Lexicon
from .model import Segment, SourceDocument, Span
from .rules import Rules


@dataclass(frozen=True)
class _Line:
    span: Span
    depth: int | None  # numbering depth, or None
    ordinal: int | None
    content_start: int  # where the text after the number starts


def _lines(text: str) -> list[Span]:
    """Non-blank lines with their offsets, stripped of surrounding white space."""
    spans = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = match.start() + lead
            spans.append(Span(start, start + len(body), body))
    return spans


def _classify(line: Span, rules: Rules, lexicon: Lexicon) -> _Line:
    for numbering in rules.numbering:
        match = numbering.pattern.match(line.text)
        if match:
            number = match.groupdict().get("num") or re.sub(r"\W", "", match.group())
            return _Line(line, numbering.depth, lexicon.parse_count(number), line.start + match.end())
    return _Line(line, None, None, line.start)


def _is_heading(line: _Line, rules: Rules) -> bool:
    text = line.span.text
    return len(text) <= rules.heading_max_chars and not any(ch in rules.sentence_ends for ch in text[-1:] + text)


def sub_span(span: Span, start: int, end: int) -> Span:
    """The part of ``span`` between two absolute offsets, stripped of white space."""
    piece = span.text[start - span.start : end - span.start]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    return Span(start + lead, start + lead + len(piece), piece)


def split_span(span: Span, separators: str, keep_separator: bool = True) -> list[Span]:
    """Split on any of ``separators``; each piece keeps its trailing separator if asked."""
    pieces, begin = [], span.start
    for i, ch in enumerate(span.text):
        if ch in separators:
            end = span.start + i + (1 if keep_separator else 0)
            pieces.append(sub_span(span, begin, end))
            begin = span.start + i + 1
    pieces.append(sub_span(span, begin, span.end))
    return [p for p in pieces if p.text.strip(separators + " ")]


def split_sentences(span: Span, rules: Rules) -> list[Span]:
    return split_span(span, rules.sentence_ends)


def split_clauses(span: Span, rules: Rules) -> list[Span]:
    return split_span(span, rules.clause_seps, keep_separator=False)


def segment_document(document: SourceDocument, rules: Rules, lexicon: Lexicon) -> tuple[Segment, ...]:
    """Headings, items (the deepest numbering used at least twice) and paragraphs, in order.

    An item runs from its numbered line to the next numbered line or heading; its ``title`` is
    the numbered line after the number, its ``body`` the lines that follow.
    """
    lines = [_classify(line, rules, lexicon) for line in _lines(document.text)]
    depths = Counter(line.depth for line in lines if line.depth is not None)
    item_depth = max((d for d, n in depths.items() if n >= 2), default=None)

    segments: list[Segment] = []
    heading_stack: list[tuple[int, int]] = []  # (depth, segment index)
    i = 0
    while i < len(lines):
        line = lines[i]
        is_item = line.depth is not None and line.depth == item_depth
        numbered_heading = line.depth is not None and not is_item
        if numbered_heading or (line.depth is None and _is_heading(line, rules)):
            # Unnumbered headings sit below every numbered one.
            depth = line.depth if numbered_heading else (item_depth or 0) + 1
            while heading_stack and heading_stack[-1][0] >= depth:
                heading_stack.pop()
            parent = heading_stack[-1][1] if heading_stack else -1
            title = sub_span(line.span, line.content_start, line.span.end)
            segments.append(Segment("heading", line.span, line.ordinal, depth, parent, title=title))
            heading_stack.append((depth, len(segments) - 1))
            i += 1
            continue
        parent = heading_stack[-1][1] if heading_stack else -1
        if is_item:
            j = i + 1
            while j < len(lines) and lines[j].depth is None and not _is_heading(lines[j], rules):
                j += 1
            end = lines[j - 1].span.end
            title = sub_span(line.span, line.content_start, line.span.end)
            body = sub_span(Span(line.span.start, end, document.text[line.span.start : end]), line.span.end, end) if j > i + 1 else None
            whole = Span(line.span.start, end, document.text[line.span.start : end])
            segments.append(Segment("item", whole, line.ordinal, line.depth, parent, title=title, body=body))
            i = j
            continue
        segments.append(Segment("paragraph", line.span, None, 0, parent))
        i += 1
    return tuple(segments)

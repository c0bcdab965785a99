"""Split a document into headings, numbered items and paragraphs, keeping offsets.

Also splits any span into sentences and clauses: evidence is the sentence that states a fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .brackets import LIST_SEPARATORS, parse_bracket
from .lexicon import Lexicon
from .model import Segment, SourceDocument, Span
from .rules import Rules
from .tables import TableRules, find_tables


@dataclass(frozen=True)
class _Line:
    span: Span
    depth: int | None  # numbering depth, or None
    ordinal: int | None
    content_start: int  # where the text after the number starts
    heads_only: bool = False  # numbered as points of an argument (Numbering.heads_only)


@lru_cache(maxsize=4)
def _collective_pattern(lexicon: Lexicon) -> re.Pattern:
    """A collective of a level's units: "各街道", "各乡镇", "各县区"."""
    levels = sorted((level.label for level in lexicon.levels), key=lambda w: (-len(w), w))
    return re.compile(f"(?:{'|'.join(map(re.escape, lexicon.collectives))})(?:{'|'.join(map(re.escape, levels))})+")


def _lines(text: str, numbering: tuple = ()) -> list[Span]:
    """Non-blank lines with their offsets, stripped of surrounding white space. A line holding
    several items of one numbering ("（一）…。（甲负责）（二）…。（乙负责）") is a line per item."""
    spans = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = match.start() + lead
            spans.extend(_split_items(Span(start, start + len(body), body), numbering))
    return spans


# A label's colon or a bracket: what an unnumbered line that names fields must hold.
FIELD_MARKS = "：:（("
# The number in a numbering: digits, or Chinese numerals.
NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百]+")
# Where a further item may start inside a line: after a sentence end or a closing bracket.
ITEM_BREAK = re.compile(r"(?<=[。；;）)])")


def _numbering_style(number: str) -> str:
    """ "（一）" and "（二）" are one style, "1." another: the number made "#"."""
    return NUMBER.sub("#", number.strip())


def _split_items(line: Span, numbering: tuple) -> list[Span]:
    """Split a line that starts with a numbered item where the same numbering opens another
    after a sentence end or a closing bracket (the next number, as the line's own is one less)."""
    for n in numbering:
        first = n.pattern.match(line.text)
        if not first:
            continue
        style = _numbering_style(first.group())
        cuts = []
        for gap in ITEM_BREAK.finditer(line.text, first.end()):
            following = n.pattern.match(line.text[gap.start() :])
            if following and _numbering_style(following.group()) == style:
                cuts.append(gap.start())
        if not cuts:
            return [line]
        bounds = [0, *cuts, len(line.text)]
        return [sub_span(line, line.start + a, line.start + b) for a, b in zip(bounds, bounds[1:]) if line.text[a:b].strip()]
    return [line]


def _classify(line: Span, rules: Rules, lexicon: Lexicon) -> _Line:
    for numbering in rules.numbering:
        match = numbering.pattern.match(line.text)
        if match:
            # The number without its marks: "（三）" → 三, "一是" → 一.
            number = match.groupdict().get("num") or re.sub(r"\W|是$", "", match.group().strip())
            sign = match.groupdict().get("sign")  # "⑴", "①": a number of one character
            value = int(unicodedata.numeric(sign)) if sign else lexicon.parse_count(number)
            return _Line(line, numbering.depth, value, line.start + match.end(), numbering.heads_only)
    return _Line(line, None, None, line.start)


def _is_heading(line: _Line, rules: Rules) -> bool:
    """A short line with no sentence end; not one ending in a colon, which leads into what
    follows ("具体措施：")."""
    text = line.span.text
    return (
        len(text) <= rules.heading_max_chars
        and not any(ch in rules.sentence_ends for ch in text[-1:] + text)
        and text[-1] not in ":："
    )


def sub_span(span: Span, start: int, end: int) -> Span:
    """The part of ``span`` between two absolute offsets, stripped of white space."""
    piece = span.text[start - span.start : end - span.start]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    return Span(start + lead, start + lead + len(piece), piece)


@lru_cache(maxsize=64)
def _separator_pattern(separators: str) -> re.Pattern:
    """Any one of ``separators``. Kept: escaping and re's own cache cost more than the scan of
    the short spans split again and again (sentences, clauses, list items)."""
    return re.compile(f"[{re.escape(separators)}]")


def split_span(span: Span, separators: str, keep_separator: bool = True) -> list[Span]:
    """Split on any of ``separators``; each piece keeps its trailing separator if asked."""
    text, origin = span.text, span.start
    bounds, begin = [], 0
    # The separators found by one regex scan, not character by character.
    for match in _separator_pattern(separators).finditer(text) if separators else ():
        i = match.start()
        bounds.append((begin, i + (1 if keep_separator else 0)))
        begin = i + 1
    bounds.append((begin, span.end - origin))
    # Each piece as sub_span makes it (stripped of white space), those with more than
    # separators and spaces only.
    pieces, junk = [], separators + " "
    for begin, end in bounds:
        piece = text[begin:end]
        body = piece.strip()
        if body.strip(junk):
            start = origin + begin + len(piece) - len(piece.lstrip())
            pieces.append(Span(start, start + len(body), body))
    return pieces


def split_sentences(span: Span, rules: Rules) -> list[Span]:
    return split_span(span, rules.sentence_ends)


def split_clauses(span: Span, rules: Rules) -> list[Span]:
    return split_span(span, rules.clause_seps, keep_separator=False)


def _lines_with_fields(lines: list[_Line], rules: Rules) -> tuple[set[int], set[int]]:
    """Numbered lines whose own text — up to the next numbered line — names fields
    ("（牵头单位：…）", "（甲牵头，乙负责）", "牵头单位:区发改局" on the next line, "甲会同乙研究提出了
    办理意见"), and unnumbered lines that do by themselves or with the field lines after them;
    and the numbered titles over paragraphs that name their own units, which head them."""
    found: set[int] = set()
    candidates: dict[int, int] = {}  # numbered titles over paragraphs that name units → how many
    # Each line is looked at once: whether it is a field line, whether it names fields at all.
    fielded = [line.depth is None and _is_field_line(line, rules) for line in lines] + [False]
    known: dict[int, bool] = {}

    def names(k: int) -> bool:
        if k not in known:
            known[k] = rules.has_fields(lines[k].span.text)
        return known[k]

    def names_alone(k: int) -> bool:
        """An unnumbered line is a task of its own by a label or a bracket, not by prose."""
        return any(ch in lines[k].span.text for ch in FIELD_MARKS) and names(k)

    for i, line in enumerate(lines):
        j = i + 1
        if line.depth is None:
            # An unnumbered line names fields by itself or with the field lines right after it.
            while j < len(lines) and fielded[j]:
                j += 1
            if not (fielded[i] or _is_heading(line, rules)) and (any(names_alone(k) for k in range(i, j)) or _dated_paragraph(line, rules)):
                found.add(i)
            continue
        # A numbered line with the lines up to the next numbered one; but a title over several
        # paragraphs that each name their own units ("一、深化改革" over paragraph tasks) heads
        # them and names none itself.
        while j < len(lines) and lines[j].depth is None:
            j += 1
        if _is_heading(_Line(line.span, None, None, line.content_start), rules):
            cued = [k for k in range(i + 1, j) if not fielded[k] and (fielded[k + 1] and k + 1 < j or names_alone(k))]
            if cued:
                candidates[i] = len(cued)
        if any(names(k) for k in range(i, j)):
            found.add(i)
    # A title is a heading where it, or another title of its depth, heads several such paragraphs.
    depths = {lines[i].depth for i, n in candidates.items() if n >= 2}
    titles = {i for i in candidates if lines[i].depth in depths}
    return found - titles, titles


def _dated_paragraph(line: _Line, rules: Rules) -> bool:
    """A paragraph, no title, closed by a bracket that says only when ("…。（年内持续推进）"): a task
    whose units the copy left out."""
    return len(line.span.text) > rules.heading_max_chars and rules.closes_with_when(line.span.text)


def _points_as_paragraphs(lines: list[_Line]) -> list[_Line]:
    """Points of an argument ("一是…") stay numbered only where a deeper numbered line follows
    before the next point: they head it. Otherwise they are paragraphs."""
    out = list(lines)
    for i, line in enumerate(lines):
        if not line.heads_only:
            continue
        following = next((other for other in lines[i + 1 :] if other.depth is not None), None)
        if following is None or following.depth <= line.depth:  # type: ignore[operator]
            out[i] = _Line(line.span, None, None, line.span.start)
    return out


def _says_more(line: _Line, rules: Rules) -> bool:
    """A numbered line that goes on after its first sentence: a task, not a title."""
    content = line.span.text[line.content_start - line.span.start :]
    first = next((k for k, ch in enumerate(content) if ch in rules.sentence_ends), len(content))
    return bool(content[first + 1 :].strip())


def _item_depth(lines: list[_Line], with_fields: set[int], skip: set[int], rules: Rules) -> int | None:
    """The numbering depth whose lines are the document's items.

    Among depths used at least twice (or once, with fields): the one whose lines most often
    carry fields in their own text; without fields anywhere, the one used most (the deepest on
    a tie).
    """
    counts = Counter(line.depth for i, line in enumerate(lines) if line.depth is not None and not line.heads_only and i not in skip)
    cued = Counter(lines[i].depth for i in with_fields if i not in skip)
    # A depth used once still makes items when it carries fields, or where nothing else does,
    # when its line says more than a title (a text cut after its first item: "（一）成立甲机构。
    # 1月20日前，镇设立…").
    candidates = [d for d, n in counts.items() if n >= 2 or cued[d]]
    if not candidates:
        candidates = [line.depth for i, line in enumerate(lines) if line.depth is not None and not line.heads_only and i not in skip and _says_more(line, rules)]
    if not candidates:
        return None
    if any(cued[d] for d in candidates):
        return max(candidates, key=lambda d: (cued[d], d))
    return max(candidates, key=lambda d: (counts[d], d))


# The label of a part of a form: a line's text up to its colon or full stop, or all of it, at most
# this long ("责任领导：某某", "目标任务。…").
FORM_LABEL_CHARS = 8
_FORM_LABEL = re.compile(r"^([^：:，,。；;]{1,%d})(?:[：:。]|$)" % FORM_LABEL_CHARS)


def _form_parts(lines: list[_Line], skip: set[int]) -> set[int]:
    """Numbered lines that are the parts of a form repeated under each item: "（一）责任领导：某某",
    "（二）年度目标：…", "（三）完成情况：…" under each "一、关于…项目进展情况", or "1、任务",
    "2、项目攻坚领导小组" under each "（一）某某项目". Their labels (the text before the colon, or a
    short title) come in the same order under two or more lines above them: they are parts of
    those lines' items, not items of their own."""
    children: dict[int, list[int]] = {}  # a numbered line → its numbered lines one depth deeper
    stack: list[int] = []
    for i, line in enumerate(lines):
        if line.depth is None or i in skip:
            continue
        while stack and lines[stack[-1]].depth >= line.depth:
            stack.pop()
        if stack:
            children.setdefault(stack[-1], []).append(i)
        stack.append(i)

    def label(i: int) -> str | None:
        line = lines[i]
        match = _FORM_LABEL.match(line.span.text[line.content_start - line.span.start :].strip())
        return match.group(1).strip() if match else None

    shapes: dict[tuple, list[int]] = {}
    for parent, kids in children.items():
        kids = [k for k in kids if lines[k].depth == lines[kids[0]].depth]
        labels = tuple(label(k) for k in kids)
        if len(labels) >= 2 and None not in labels:
            shapes.setdefault(labels, []).append(parent)
    parts: set[int] = set()
    for parents in shapes.values():
        if len(parents) >= 2:
            for parent in parents:
                parts.update(k for k in children[parent] if lines[k].depth == lines[children[parent][0]].depth)
    return parts


# A bracket closing a line: "（牵头领导：甲、乙）".
_FIELD_BRACKET_AT_END = re.compile(r"[（(][^（）()]*[）)]$")


def _heads_tasks(lines: list[_Line], i: int, with_fields: set[int], rules: Rules) -> bool:
    """Whether numbered line ``i`` is a title over deeper numbered lines that name fields:
    "（一）全力推进产业项目建设。" over "1.抓好…。（省发改委主办，…协办）" is their heading, not a
    task. A line that says more than a title ("八、关于…问题。你省请求，…") stays a task."""
    content = lines[i].span.text[lines[i].content_start - lines[i].span.start :].rstrip("。.")
    # "三、六项保障措施（牵头领导：甲、乙）": a title with the fields it passes to the tasks under it.
    fields = _FIELD_BRACKET_AT_END.search(content)
    if fields is not None and fields.start() > 0 and rules.has_fields(fields.group()):
        content = content[: fields.start()]
    if len(content) > rules.heading_max_chars or any(ch in rules.sentence_ends for ch in content):
        return False
    depth = lines[i].depth
    for j in range(i + 1, len(lines)):
        if lines[j].depth is not None:
            return depth is not None and lines[j].depth > depth and j in with_fields
    return False


def _is_field_line(line: _Line, rules: Rules) -> bool:
    """A line that only says who does the task above it: "牵头单位:区发改局", or a bracket of
    its own, "（市发展改革委、市财政局按职责分工负责）"."""
    text = line.span.text
    if rules.field_cue.match(text):
        return True
    return text[:1] in "（(" and any(match.start() == 0 and match.end() == len(text) for match, _ in rules.find_brackets(text))


def _continues_item(line: _Line, item_depth: int, rules: Rules, starts_subitem: bool) -> bool:
    """A line after an item's first line still belongs to it: unnumbered text that is not a
    heading, a field line ("牵头单位:区发改局", a bracket on its own line), a line of a label no
    rule reads ("协调人:某某市长助理", between "责任人:" and "责任单位:", 抚顺), or a numbered line
    deeper than the items — unless that line names fields of its own, when it is a sub-item."""
    if line.depth is not None:
        return line.depth > item_depth and not starts_subitem
    label = _LABEL_LINE.match(line.span.text)
    return not _is_heading(line, rules) or _is_field_line(line, rules) or bool(label and label.group(1).endswith(rules.label_heads))


# A line that opens with a label and its colon: "协调人:…".
_LABEL_LINE = re.compile(r"^\s*([\u3400-\u9fff]{2,8})\s*[:：]")


def _heading_lead(text: str, rules: Rules) -> re.Match | None:
    """A heading that says who answers for the tasks under it: "（一）省监察厅牵头的工作",
    "一、某某省长负责的工作"."""
    return next((m for p in rules.patterns["heading_lead"] for m in [p.search(text)] if m), None)


def _heads_paragraph_tasks(segment: Segment, rules: Rules, lexicon: Lexicon) -> bool:
    """Whether the paragraphs under a heading are its tasks: under a unit's heading
    ("（一）省监察厅牵头的工作") they are; under an official's ("一、某某省长负责的工作") a paragraph
    says what the official does, and the tasks stand under the units' headings below."""
    match = _heading_lead((segment.title or segment.span).text, rules)
    who = match.group("who") if match else ""
    return match is not None and not lexicon.post_pattern.search(who) and not any(lexicon.post_pattern.fullmatch(who[k:]) for k in range(2, 5))


def segment_document(document: SourceDocument, rules: Rules, lexicon: Lexicon) -> tuple[Segment, ...]:
    """Headings, items, table rows and paragraphs, in order.

    Items are the lines of one numbering depth (see ``_item_depth``). An item runs from its
    numbered line to the next line that does not continue it; its ``title`` is the numbered
    line after the number, its ``body`` the lines that follow. Tables become one row segment
    per row (``kg.tables``).
    """
    spans = _lines(document.text, rules.numbering)
    # A table's last row stops where a new top-level section starts.
    section = rules.numbering[0].pattern if rules.numbering else None
    def depth_of(text: str) -> int | None:
        return next((n.depth for n in rules.numbering if n.pattern.match(text)), None)

    collective = _collective_pattern(lexicon)

    def says_who(text: str) -> bool:
        """Units, with or without a verb ("市甲局牵头落实"), or units and collectives of a level
        ("区甲局、区乙管委会、各街道")."""
        if parse_bracket(text, rules.brackets):
            return True
        pieces = [p for p in re.split(f"[{re.escape(LIST_SEPARATORS)}]", text) if p]
        return bool(pieces) and all(rules.brackets.is_unit(p) or collective.fullmatch(p) for p in pieces)

    glued_row = next(iter(rules.patterns.get("glued_row", ())), None)
    table_rules = TableRules(rules.columns, rules.bullets, section, rules.field_of, rules.item_start, depth_of, rules.brackets.is_unit, says_who, glued_row)
    tables = {t.first: t for t in find_tables(spans, document.text, table_rules)}
    lines = _points_as_paragraphs([_classify(line, rules, lexicon) for line in spans])
    in_table = {i for t in tables.values() for i in range(t.first, t.stop)}
    with_fields, titles = _lines_with_fields(lines, rules)
    parts = _form_parts(lines, in_table)
    item_depth = _item_depth(lines, with_fields - parts, in_table | parts, rules)

    segments: list[Segment] = []
    heading_stack: list[tuple[int, int]] = []  # (depth, segment index)

    def add_heading(line: _Line, depth: int) -> None:
        while heading_stack and heading_stack[-1][0] >= depth:
            heading_stack.pop()
        parent = heading_stack[-1][1] if heading_stack else -1
        title = sub_span(line.span, line.content_start, line.span.end)
        segments.append(Segment("heading", line.span, line.ordinal, depth, parent, title=title))
        heading_stack.append((depth, len(segments) - 1))

    i = 0
    while i < len(lines):
        line = lines[i]
        parent = heading_stack[-1][1] if heading_stack else -1
        if i in tables:
            for row in tables[i].rows:
                if row.heading:  # "（一）某某副市长牵头重点工作" across the table
                    heading = _classify(row.span, rules, lexicon)
                    add_heading(heading, heading.depth if heading.depth is not None else (item_depth or 0) + 1)
                    continue
                parent = heading_stack[-1][1] if heading_stack else -1
                segments.append(Segment("row", row.span, None, (item_depth or 0) + 1, parent, cells=row.cells))
            i = tables[i].stop
            continue
        # A numbered line that names fields of its own is an item at any depth: "八、关于…问题。"
        # then "1.关于…问题。甲会同乙研究提出了办理意见"; "（一）研究…。（财政部等按职责分工负责）"
        # then "1.及时总结…。（财政部牵头，…）".
        # A numbered line that heads a table, or says who leads what is under it, is a heading.
        is_item = (
            line.depth is not None
            and (line.depth == item_depth or i in with_fields)
            and not _heading_lead(line.span.text[line.content_start - line.span.start :], rules)
            and not (i + 1 in tables and i not in with_fields)
            and i not in titles
            and i not in parts
            and not _heads_tasks(lines, i, with_fields - parts, rules)
        )
        numbered_heading = line.depth is not None and not is_item
        if numbered_heading or (line.depth is None and _is_heading(line, rules) and not _is_field_line(line, rules)):
            # Unnumbered headings sit below every numbered one.
            add_heading(line, line.depth if numbered_heading else (item_depth or 0) + 1)
            i += 1
            continue
        if is_item:
            j = i + 1
            in_part = False  # the lines of a part of a form ("2、项目攻坚领导小组" / "组长：…") are the item's
            while j < len(lines) and j not in tables and (j in parts or (in_part and lines[j].depth is None) or _continues_item(lines[j], item_depth, rules, j in with_fields)):
                in_part = in_part or j in parts
                j += 1
            end = lines[j - 1].span.end
            title = sub_span(line.span, line.content_start, line.span.end)
            body = sub_span(Span(line.span.start, end, document.text[line.span.start : end]), line.span.end, end) if j > i + 1 else None
            whole = Span(line.span.start, end, document.text[line.span.start : end])
            segments.append(Segment("item", whole, line.ordinal, line.depth, parent, title=title, body=body))
            i = j
            continue
        # An unnumbered paragraph is a task of its own when it names who does it ("…。（民政部
        #牵头，各省级人民政府负责）") or stands under a heading that does ("（一）某局牵头的工作");
        # the field lines after it are its own.
        if i in with_fields or (parent >= 0 and _heads_paragraph_tasks(segments[parent], rules, lexicon)):
            j = i + 1
            while j < len(lines) and j not in tables and lines[j].depth is None and _is_field_line(lines[j], rules):
                j += 1
            end = lines[j - 1].span.end
            whole = Span(line.span.start, end, document.text[line.span.start : end])
            body = sub_span(whole, line.span.end, end) if j > i + 1 else None
            segments.append(Segment("item", whole, None, (item_depth or 0) + 1, parent, title=line.span, body=body))
            i = j
            continue
        segments.append(Segment("paragraph", line.span, None, 0, parent))
        i += 1
    return tuple(segments)

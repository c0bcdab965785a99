"""Where a document is from, and where its units are, on the official code list of divisions
(GB/T 2260, kg.divisions): pure functions of the text, the resolved records and the list.

A document's place is the division it introduces itself as — its name owning an organ
("滁州市人民政府", "坪山区委") in the opening or the signature, else the division named most at
the level the document speaks as (kg.resolve.find_own_level) — read in the list of the
document's own year where the data has it (the code an old plan's place had then), else in
today's. A name several divisions bear (鼓楼区) is settled by the names of their parents the
text writes (南京市, 江苏); where that does not settle it, or the document speaks as a
development zone that has no code, the place stays unresolved and the candidates are kept for
the report, never guessed.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Iterable, Sequence

from .divisions import NEXT_TIER, TIERS, DivisionList, PlaceWords
from .lexicon import HAN_CLASS, Lexicon
from .model import Division, Entity, PlaceGrounding, Resolved, Span, UnitPlace
from .resolve import CITED_TITLE, MIN_MENTIONS, find_own_level

HAN_CHAR = re.compile(HAN_CLASS)
RANK = {tier: rank for rank, tier in enumerate(TIERS)}  # province 0, prefecture 1, county 2


@dataclasses.dataclass(frozen=True)
class NameMatch:
    """A division name written in the text: ``form`` at ``start``, and what it may mean."""

    start: int
    form: str
    divisions: tuple[Division, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.form)


def find_cited_titles(text: str, keep: int = 0, cues: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """The (start, end) of the titles of other documents (《…》) the text cites: a place named in
    a cited title is that document's, not this one's. Titles that start in the first ``keep``
    characters are not counted, unless written after a word that cites (``cues``: "根据《…》",
    "传达学习《…》") or in a list of titles after one that is: there a notice names the document
    it issues ("现将《某某市2023年重点工作》印发给你们")."""
    spans: list[tuple[int, int]] = []
    for match in CITED_TITLE.finditer(text):
        start = match.start()
        before = text[max(0, start - 8) : start].rstrip(_LIST_MARKS)
        # 《…》（国办发〔2022〕8号）、《…》: a list of titles, each with its number
        listed = bool(spans) and _NUMBER_IN_BRACKETS.sub("", text[spans[-1][1] : start]).strip(_LIST_MARKS) == ""
        if start >= keep or before.endswith(cues) or listed:
            spans.append(match.span())
    return spans


_LIST_MARKS = " 、和及与,，"
_NUMBER_IN_BRACKETS = re.compile("[（(][^（()）\n]*[)）]")


def blank_cited_titles(text: str, keep: int = 0, cues: tuple[str, ...] = ()) -> str:
    """The text with the titles of other documents blanked (``find_cited_titles``), its length kept."""
    parts, last = [], 0
    for start, end in find_cited_titles(text, keep, cues):
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join([*parts, text[last:]])


def find_division_names(text: str, divisions: DivisionList, owners: tuple[str, ...] = (), organs: tuple[str, ...] = ()) -> list[NameMatch]:
    """Every division name the text writes, longest at each place it ends: "深圳市坪山区" is
    深圳市 and 坪山区. Names that are ordinary words too (城区) count only right after their
    prefecture's name; a name of two characters (沁县, 成县) only where it starts a word — not
    after another character ("完成县级") — unless its parent's name or an organ (``owners``:
    "中共沁县县委") is next to it, and its level word does not head that organ itself (an
    organ of ``organs`` after it: "召开县政府会议" is no 开县's)."""
    forms, longest = divisions.forms, divisions.longest_form
    ends = {form[-1] for form in forms}
    found: list[NameMatch] = []
    taken = -1  # a name may not start inside the previous one
    for i, char in enumerate(text):
        if char not in ends:
            continue
        for length in range(min(longest, i + 1), 1, -1):
            start = i + 1 - length
            form = text[start : i + 1]
            # a longer name from the same start is that name in full: 内蒙古, then 内蒙古自治区
            longer = bool(found) and found[-1].start == start
            if (start > taken - 1 or longer) and form in forms:
                if form in divisions.words.common_names and not _after_parent(found, start, forms[form]):
                    break
                if (
                    len(form) == 2
                    and start > 0
                    and HAN_CHAR.match(text[start - 1])
                    and not _after_parent(found, start, forms[form])
                    and not (text.startswith(owners, i + 1) and not text.startswith(tuple(char + organ for organ in organs), i))
                ):
                    break
                # a longer name ending here that starts inside an earlier one is cut short by it
                if found and start < found[-1].end and not longer:
                    break
                if longer:
                    found.pop()
                found.append(NameMatch(start, form, forms[form]))
                taken = i + 1
                break
    return found


def _after_parent(found: list[NameMatch], start: int, candidates: tuple[Division, ...]) -> bool:
    if not found or found[-1].end != start:
        return False
    parents = {d.code for d in found[-1].divisions}
    return any(c.parent in parents for c in candidates)


def find_document_year(text: str, patterns: Sequence[re.Pattern], chars: int) -> int | None:
    """The year a document is about, from its opening ("2020年重点工作…"): the genre rules'
    ``document_year`` patterns, the first that matches."""
    opening = text[:chars]
    for pattern in patterns:
        match = pattern.search(opening)
        if match:
            return int(match.group("year"))
    return None


# --- the document's own place -----------------------------------------------------------------


def find_speaking_level(text: str, words: PlaceWords) -> str | None:
    """The level a document speaks of itself at ("我市", "全县", "本区"; "全国" → the national
    ``words.national``), where one leads the others and is written twice at least; else None."""
    if not words.self_prefixes:
        return None
    levels = sorted({*words.self_levels, words.national} - {""}, key=lambda w: (-len(w), w))
    pattern = re.compile(f"[{''.join(map(re.escape, words.self_prefixes))}]({'|'.join(map(re.escape, levels))})")
    found = Counter(words.self_levels.get(m.group(1), m.group(1)) for m in pattern.finditer(text))
    # 全国 is written by local documents too ("全国文明城市"): national only where no other level is
    national = found.pop(words.national, 0)
    counts = found.most_common(2)
    if not counts:
        return words.national if national >= 2 else None
    if counts[0][1] < 2 or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def find_unit_level(units: Iterable[str], words: PlaceWords) -> str | None:
    """The level a document's units are named at ("市发改委", "市财政局": 市), where one leads
    the others and names two units at least; else None. A city's table that names 岳麓区政府
    among its units is still the city's."""
    prefixes = sorted(words.unit_prefixes, key=lambda w: (-len(w), w))
    found: Counter = Counter()
    for label in units:
        if label.startswith(words.not_prefixed) or (words.collective_prefix and label.startswith(words.collective_prefix)):
            continue
        prefix = next((p for p in prefixes if label.startswith(p) and len(label) > len(p)), None)
        if prefix is not None and prefix in words.self_levels:
            found[words.self_levels[prefix]] += 1
    counts = found.most_common(2)
    if not counts or counts[0][1] < 2 or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def _fits_level(division: Division, level: str | None, words: PlaceWords) -> bool:
    """Whether a division can be what a document speaking as ``level`` (区, 市, …) is."""
    endings = words.own_level.get(level or "")
    if endings is None:
        return True
    return division.name.endswith(endings) and division.tier in words.own_tiers.get(level or "", TIERS)


def _years_apart(division: Division, year: int) -> int:
    return 0 if division.first <= year <= division.last else min(abs(year - division.first), abs(year - division.last))


def _collective_floor(units: Iterable[str], words: PlaceWords, text: str) -> int:
    """The rank of the highest tier the document addresses as a collective (各区县, 各市州): it
    speaks from above that tier. Read from its units, else from its text where a collective is
    written twice at least ("市直各单位、各区县市" in a table whose units were not read);
    len(TIERS) where it addresses none."""
    prefix = words.collective_prefix
    if not prefix:
        return len(TIERS)
    # 各市 may be county-level cities: it rules out no more than counties
    rank = {**RANK, NEXT_TIER: RANK[TIERS[-1]]}
    ranks = [rank[tier] for label in units if label.startswith(prefix) and (tier := words.collective_tiers.get(label[len(prefix) : len(prefix) + 1]))]
    if not ranks:
        pattern = re.compile(f"{re.escape(prefix)}([{''.join(words.collective_tiers)}])(?![{''.join(words.collective_not_before)}])")
        written = Counter(words.collective_tiers[m.group(1)] for m in pattern.finditer(text))
        ranks = [rank[tier] for tier, count in written.items() if count >= 2]
    return min(ranks, default=len(TIERS))


def _nearest_in_time(found: Iterable[Division], year: int, apart: int | None = None) -> list[Division]:
    """The divisions the list had nearest ``year``: those it had that year, else those of the
    closest year before or after it, if no more than ``apart`` years away."""
    found = list(found)
    if not found:
        return []

    best = min(_years_apart(d, year) for d in found)
    return [d for d in found if _years_apart(d, year) == best and (apart is None or best <= apart)]


def _list_year(found: Sequence[Division], year: int) -> int:
    """The year of the list the divisions were read in: ``year`` where they were in it, else
    the last year they were (a place abolished since) or the first (one set up later)."""
    d = found[0]
    return year if d.first <= year <= d.last else (d.last if d.last < year else d.first)


def _support(division: Division, text: str, divisions: DivisionList) -> int:
    """How many of a division's parents the text names, in full or short (南京市, 南京; 江苏省, 江苏)."""
    count = 0
    for parent in divisions.chain(division)[1:]:
        names = {parent.name, *divisions.shorts.get(parent, ()), *([parent.short] if len(parent.short) >= 2 else [])}
        count += any(name in text for name in names)
    return count


def _list_year_for(year: int | None, divisions: DivisionList) -> int:
    """The list a document is read in: its own year's where the data has it, else today's."""
    return year if year is not None and divisions.first_year <= year <= divisions.latest_year else divisions.latest_year


def ground_document(
    text: str,
    divisions: DivisionList,
    lexicon: Lexicon,
    detected: str | None = None,
    year: int | None = None,
    units: Sequence[str] = (),
) -> PlaceGrounding | None:
    """Where the document is from on the list, or None where its text names no division (or it
    is a national document).

    ``text`` is the simplified reading; ``detected`` kg.resolve.detect_place's answer (which
    may be a township, a street or a development zone); ``year`` the document's own year;
    ``units`` the labels of its units. The level it speaks as is read from its units' prefixes
    (市发改委), else from how it names itself (我市, 全县), else from its organs (kg.resolve).
    The name chosen is, first, one that can be what the document speaks as (我市: a 市), or
    the place a visit came to ("来运城市督察调研"), then one that owns an organ in the opening
    or the signature ("滁州市人民政府"), or heads the title ("黑龙江省促进经济稳增长的若干措施"),
    then one written there at all, then the most written. Where no name written can be what
    the document speaks as, it may be a division written by its short name under one written in
    full (深圳市 … 罗湖), else one heading a title the document cites at its own level
    (《昆都仑区关于…》), else the one owning an organ in its opening or signature after all.
    """
    words = divisions.words
    titles = find_cited_titles(text, words.opening_chars, words.citing)
    full = text
    text = blank_cited_titles(text, words.opening_chars, words.citing)
    when = _list_year_for(year, divisions)
    owners = (*words.issuer_organs, *lexicon.organs)
    # what each name may mean at the document's time; a document that addresses 各区县 is above them
    above = _collective_floor(units, words, text)

    def in_time(match: NameMatch) -> NameMatch | None:
        kept = tuple(d for d in match.divisions if _years_apart(d, when) <= words.max_years_apart and RANK[d.tier] < above)
        return dataclasses.replace(match, divisions=kept) if kept else None

    matches = [m for m in map(in_time, find_division_names(text, divisions, owners, lexicon.organs)) if m is not None]
    # a division the document gives tasks to, as one of its units ("金水区", "鄞州区政府" in a
    # table's column of who does the work), is below it, unless its opening or signature names it
    named_units = set(units)
    matches = [
        m
        for m in matches
        if not (m.form in named_units or any(u.startswith(m.form) and u[len(m.form) :] in owners for u in named_units))
        or m.start < words.opening_chars
        or m.start >= len(text) - words.closing_chars
    ]
    head = _title_head(text, matches, words)
    level = find_unit_level(units, words) or find_speaking_level(text, words)
    if level == words.national:
        # a title that opens with a division's name is that division's, whatever its 全国文明城市
        if head is None:
            return None
        level = None
    trusted = level is not None  # read from 我市/全县 or the units; kg.resolve's reading of organs may err
    level = level or find_own_level(text, lexicon)
    opening, closing = words.opening_chars, len(text) - words.closing_chars
    below = level in words.below_levels

    def fits(d: Division) -> bool:
        return d.tier == TIERS[-1] if below else _fits_level(d, level, words)

    # form → [fits the level, owner in the opening or signature (or heads the title), written
    # there, owner anywhere, how often, the first match, owner in the signature or title]
    scores: dict[str, list] = {}
    for match in matches:
        signs = _signs(text, match, owners, divisions, lexicon.unit_suffixes)
        owner = text.startswith(owners, match.end) or match is head or signs or _owns_township(text, match, words)
        # a signature owns an organ ("某某区人民政府办公室"); a name merely near the end is not one
        edge = match.start < opening or (match.start >= closing and owner) or match is head or signs
        score = scores.setdefault(match.form, [any(map(fits, match.divisions)), 0, 0, 0, 0, match, 0])
        score[1] += owner and edge
        score[2] += edge
        score[3] += owner
        score[4] += 1
        score[6] += match is head or signs
    # kg.resolve.detect_place counts a name written without its suffix too ("湖州" for 湖州市)
    if detected in scores:
        scores[detected][4] = max(scores[detected][4], MIN_MENTIONS)
    visited = {m.form for m in matches if text[: m.start].endswith(words.visit_before) and text.startswith(words.visit_after, m.end)}
    # A level read from 我市/全县 or the units admits any name that fits it; one read from the
    # organs, a name that fits and is written in the opening or signature, owns an organ or is
    # written often, or the place a visit came to; no level, a name that owns an organ there.
    fitting = {form: sc for form, sc in scores.items() if sc[0]}
    if trusted or below:
        candidates = fitting
    elif level is not None:
        candidates = {form: sc for form, sc in scores.items() if (sc[0] and (sc[2] or sc[3] or sc[4] >= MIN_MENTIONS)) or form in visited}
    else:
        candidates = {form: sc for form, sc in scores.items() if sc[1] or (form == detected and sc[4] >= MIN_MENTIONS)}
    # a document that speaks as a 市 or 区 by its units or its words is not a zone's
    zone = "" if trusted and not below else _zone_name(detected, divisions)
    if not candidates and level is not None and not below and not zone:
        # a parent named in a title the document cites still says where it is ("《…湖北省政务公开
        # 工作要点》… 荆州经开区、荆州高新区")
        named = [m for m in map(in_time, find_division_names(full, divisions, owners, lexicon.organs)) if m is not None]
        found = _short_name_under(text, matches, named, fits, divisions, when) or _cited_title_head(full, titles, fits, in_time, divisions, owners)
        if found is not None:
            form, found_divisions, evidence = found
            return _resolve(form, found_divisions, full, divisions, year, evidence)
        # no name written can be what the document speaks as: its level was misread where its
        # signature or title says who issues it ("德阳市旌阳区人民政府" under a table that ranks
        # its figures by 全省平均水平); a name owning an organ in the opening may be one of many
        # at a meeting ("黄山市政府…参加会议")
        candidates = {form: sc for form, sc in scores.items() if sc[6]}
    if not candidates and len(scores) == 1 and not zone:
        # the only division the text writes, where it can be what the document speaks as, or
        # owns something there ("汶上县白石镇") where the document says no level
        (form, score), = scores.items()
        if (level is not None and score[0]) or (level is None and score[3]):
            candidates = scores
    if not candidates:
        if zone or (below and detected):
            return _unresolved_below(text, matches, divisions, zone or detected, year, "zone" if zone else "below")
        return None
    ranked = sorted(candidates.items(), key=lambda kv: (kv[0] not in visited, not kv[1][1], not kv[1][2], not kv[1][3], -kv[1][4], kv[1][5].start))
    form, (_, owned, _, _, _, first, _) = ranked[0]
    if zone and not owned:
        return _unresolved_below(text, matches, divisions, zone, year, "zone")
    evidence = next((m for m in matches if m.form == form and text.startswith(owners, m.end)), first)
    found = [d for d in first.divisions if fits(d)] or list(first.divisions)
    return _resolve(form, found, text, divisions, year, Span(evidence.start, evidence.end, form), detected if below and detected else "")


def _signs(text: str, match: NameMatch, owners: tuple[str, ...], divisions: DivisionList, units: tuple[str, ...] = ()) -> bool:
    """Whether the name signs the document: a line of its own, the name (after its parent's,
    "德阳市旌阳区人民政府") and an organ, and nothing else; or the name and a unit of it ("贵州省
    河湖长制办公室": a name ending as a unit's, ``units``) over a line that dates it."""
    start = text.rfind("\n", 0, match.start) + 1
    end = text.find("\n", match.end)
    end = end if end >= 0 else len(text)
    before, after = text[start : match.start].strip(), text[match.end : end].strip()
    if before and before not in divisions.forms:
        return False
    if after in owners:
        return True
    date = divisions.words.signature_date
    if not (date and after.endswith(units) and all(HAN_CHAR.match(char) for char in after)):
        return False
    following = next((line for line in text[end:].split("\n") if line.strip()), "")
    return bool(date.match(following))


def _short_name_under(
    text: str, matches: list[NameMatch], named: list[NameMatch], fits, divisions: DivisionList, when: int
) -> tuple[str, list[Division], Span] | None:
    """A division the document can be, written by its short name only ("罗湖" for 罗湖区), under
    a division the text names in full ("深圳市"): the one whose short name is written most, at
    least ``min_mentions`` times, and more than any other's there, outside the titles it cites
    (``text``, with ``matches`` its names; ``named`` those of the whole text, the parents). Only
    under a division named:
    across the list, a short name is too often a word, or several places' name."""
    words = divisions.words
    written = {d for m in named for d in m.divisions}
    names = [(m.start, m.end) for m in matches]
    counts: dict[str, tuple[int, int]] = {}  # short name → (times written, first start)
    under: dict[str, set[Division]] = {}
    for parent in sorted(d for d in written if not fits(d)):
        for child in divisions.descendants(parent):
            short = child.short
            if not fits(child) or _years_apart(child, when) or len(short) < 2 or short == child.name or short in words.common_shorts:
                continue
            under.setdefault(short, set()).add(child)
            if short not in counts:
                # not where it is part of a name read in full (长治 of 长治市 is not 长治县)
                starts = [m.start() for m in re.finditer(re.escape(short), text) if not any(s <= m.start() < e for s, e in names)]
                counts[short] = (len(starts), starts[0] if starts else -1)
    ranked = sorted(((n, start, short) for short, (n, start) in counts.items() if n), key=lambda t: (-t[0], t[1]))
    if not ranked or ranked[0][0] < words.short_min_mentions or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    _, start, short = ranked[0]
    return short, sorted(under[short]), Span(start, start + len(short), short)


def _cited_title_head(
    text: str, titles: list[tuple[int, int]], fits, in_time, divisions: DivisionList, owners: tuple[str, ...]
) -> tuple[str, list[Division], Span] | None:
    """The division heading a title the document cites, where it can be what the document speaks
    as and no name outside the titles can: a district's minutes that tell its 教育局 to carry out
    《昆都仑区关于…的实施意见》 are 昆都仑区's. Of the divisions heading titles, the lowest tier's,
    where one name is alone there; the titles of the higher levels it passes on
    (《内蒙古自治区党委关于…》) name places above it."""
    prefixes = ("", *divisions.words.title_prefixes)
    heads: list[NameMatch] = []
    for start, end in titles:
        at = start + 1
        for match in find_division_names(text[start:end], divisions, owners):
            match = dataclasses.replace(match, start=match.start + start)
            if any(match.start == at + len(p) and text.startswith(p, at) for p in prefixes):
                at = match.end  # a chain of names heads it: 《中共常州市武进区委…》
                kept = in_time(match)
                if kept is not None and any(map(fits, kept.divisions)):
                    heads.append(kept)
    if not heads:
        return None
    lowest = max(RANK[d.tier] for m in heads for d in m.divisions if fits(d))
    forms = {m.form for m in heads if any(RANK[d.tier] == lowest and fits(d) for d in m.divisions)}
    if len(forms) != 1:
        return None
    first = next(m for m in heads if m.form in forms)
    found = [d for d in first.divisions if fits(d) and RANK[d.tier] == lowest]
    return first.form, found, Span(first.start, first.end, first.form)


def _title_head(text: str, matches: list[NameMatch], words: PlaceWords) -> NameMatch | None:
    """The name a document's first line opens with ("黑龙江省促进…", "江苏省政府办公厅关于…"),
    which is its own. Before it may stand one line of anything (a site's menu), breadcrumbs
    ("首页 > 浙江省 > 定海区 > 正文") and, on its line, a running head's page number written in
    no Chinese ("Page 22 - 内蒙古自治区…")."""
    first = next((m for m in matches if not _is_breadcrumb(_line_at(text, m.start), words)), None)
    if first is None:
        return None
    line_start = text.rfind("\n", 0, first.start) + 1
    before = [line for line in text[:line_start].split("\n") if line.strip() and not _is_breadcrumb(line, words)]
    return first if len(before) <= 1 and not HAN_CHAR.search(text, line_start, first.start) else None


def _is_breadcrumb(line: str, words: PlaceWords) -> bool:
    """Whether a line is a breadcrumb: two of its marks at least."""
    return sum(line.count(mark) for mark in words.breadcrumb_marks) >= 2


def _line_at(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]


def _owns_township(text: str, match: NameMatch, words: PlaceWords) -> bool:
    """Whether a township or a street is written right after the name ("定海区岑港街道")."""
    after = text[match.end : match.end + words.township_chars + max(map(len, words.townships), default=0)]
    for end in range(2, len(after) + 1):
        name = after[:end]
        if name.endswith(words.townships):
            return not name.endswith(words.township_words) and all(HAN_CHAR.match(char) for char in name)
    return False


def _zone_name(detected: str | None, divisions: DivisionList) -> str:
    """``detected`` where it is a development zone or new area with no code of its own."""
    if detected and detected.endswith(divisions.words.zone_endings) and detected not in divisions.forms:
        return detected
    return ""


def _resolve(
    form: str, found: list[Division], text: str, divisions: DivisionList, year: int | None, evidence: Span, below: str = ""
) -> PlaceGrounding:
    latest = divisions.latest_year
    when = _list_year_for(year, divisions)
    dated = _nearest_in_time(found, when)
    list_year = _list_year(dated, when) if dated else when
    if len(dated) > 1:
        support = {d: _support(d, text, divisions) for d in dated}
        best = max(support.values())
        leading = [d for d in dated if support[d] == best]
        if best == 0 or len(leading) > 1:
            candidates = tuple(divisions.chain(d) for d in sorted(leading if best else dated))
            return PlaceGrounding(form, (), candidates, evidence, year, list_year, below, None, "ambiguous", latest)
        dated = leading
    division = dated[0]
    return PlaceGrounding(form, divisions.chain(division), (), evidence, year, list_year, below, divisions.today(division), "", latest)


def _unresolved_below(text: str, matches: list[NameMatch], divisions: DivisionList, name: str, year: int | None, reason: str) -> PlaceGrounding:
    """A place with no code (a development zone, or a township whose county is not named):
    unresolved, with the division written just before its name as the candidate ("郑州市郑东新区"
    → 郑州市), else none."""
    at = text.find(name)
    ends = {m.end: m for m in matches}
    before = [ends[i] for i in (m.start() for m in re.finditer(re.escape(name), text)) if i in ends][:1]
    candidates: tuple[tuple[Division, ...], ...] = ()
    if before:
        when = _list_year_for(year, divisions)
        candidates = tuple(divisions.chain(d) for d in sorted(_nearest_in_time(before[0].divisions, when)))
    evidence = Span(at, at + len(name), name) if at >= 0 else None
    return PlaceGrounding(name, (), candidates, evidence, year, 0, "", None, reason, divisions.latest_year)


# --- the units of a document ---------------------------------------------------------------


def ground_units(entities: Iterable[Entity], grounding: PlaceGrounding | None, divisions: DivisionList) -> tuple[list[UnitPlace], list[Division]]:
    """The units named by their division: by its level (市发展改革委 → the document's city,
    区财政局 → its district), by its name (滁州市人民政府), or a collective of divisions
    (各县（市、区） → each county of the document's city). Also the divisions these name beyond
    the document's own chain (with their parents)."""
    if grounding is None or not grounding.chain:
        return [], []
    words = divisions.words
    chain = grounding.chain
    codes = {d.code for d in chain}
    places: list[UnitPlace] = []
    extra: dict[str, Division] = {}
    prefixes = sorted(words.unit_prefixes, key=lambda w: (-len(w), w))
    for entity in entities:
        if entity.kind != "organization":
            continue
        label = entity.label
        if words.collective_prefix and label.startswith(words.collective_prefix):
            tier = words.collective_tiers.get(label[len(words.collective_prefix) : len(words.collective_prefix) + 1])
            if tier == NEXT_TIER:  # 各市: the tier below the document's place
                tier = TIERS[RANK[chain[0].tier] + 1] if RANK[chain[0].tier] + 1 < len(TIERS) else None
            over = next((d for d in chain if tier and RANK[d.tier] < RANK[tier]), None)
            if over is not None:
                places.append(UnitPlace(entity.kind, entity.key, "collective", over.code))
            continue
        named = _named_division(label, chain, divisions)
        if named is not None:
            places.append(UnitPlace(entity.kind, entity.key, "jurisdiction", named.code))
            if named.code not in codes:
                extra.update((d.code, d) for d in divisions.chain(named) if d.code not in codes)
            continue
        if label.startswith(words.not_prefixed):
            continue
        prefix = next((p for p in prefixes if label.startswith(p) and len(label) > len(p)), None)
        if prefix is None:
            continue
        own = next((d for d in chain if d.name.endswith(words.unit_prefixes[prefix])), None)
        if own is not None:
            places.append(UnitPlace(entity.kind, entity.key, "jurisdiction", own.code))
    return sorted(places), sorted(extra.values())


def _named_division(label: str, chain: tuple[Division, ...], divisions: DivisionList) -> Division | None:
    """The division a unit's name opens with ("滁州市人民政府", "南谯区政府"), where it is the
    document's place or a parent of it, or lies under the document's place and no other
    division of that name does."""
    for length in range(min(divisions.longest_form, len(label) - 1), 1, -1):
        found = divisions.forms.get(label[:length])
        if not found or label[:length] in divisions.words.common_names:
            continue
        in_chain = [d for d in chain if d in found or any(d.code == f.code for f in found)]
        if in_chain:
            return in_chain[0]
        under = [d for d in found if chain[0] in divisions.chain(d)[1:] and divisions.current(d) == divisions.current(chain[0])]
        return under[0] if len(under) == 1 else None
    return None


# --- the stage ---------------------------------------------------------------------------


def ground_places(resolved: Resolved, text: str, divisions: DivisionList, lexicon: Lexicon, year: int | None) -> Resolved:
    """``resolved`` with its place and units grounded in the list. ``text`` is the reading the
    records were found in (simplified), ``year`` the document's own year."""
    units = [e.label for e in resolved.entities if e.kind == "organization"]
    grounding = ground_document(text, divisions, lexicon, resolved.place, year, units)
    units, extra = ground_units(resolved.entities, grounding, divisions)
    named: dict[str, Division] = {}
    for chain in (grounding.chain if grounding else (), *(grounding.candidates if grounding else ())):
        named.update((d.code, d) for d in chain)
    named.update((d.code, d) for d in extra)
    return dataclasses.replace(resolved, grounding=grounding, unit_places=tuple(units), divisions=tuple(sorted(named.values())))


def quote_place_evidence(resolved: Resolved, text: str, offsets: tuple[int, ...] | None) -> Resolved:
    """``resolved`` with its grounding's evidence quoting ``text``, the document as given: the
    reading it was found in has the same offsets unless readings in brackets were dropped from
    it (kg.layout.drop_glosses' ``offsets`` map them back), and may differ in script."""
    grounding = resolved.grounding
    if grounding is None or grounding.evidence is None:
        return resolved
    span = grounding.evidence
    start, end = (offsets[span.start], offsets[span.end - 1] + 1) if offsets is not None else (span.start, span.end)
    return dataclasses.replace(resolved, grounding=dataclasses.replace(grounding, evidence=Span(start, end, text[start:end])))

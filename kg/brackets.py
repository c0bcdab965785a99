"""The bracket that closes a task and says who does it, read as a small grammar.

A responsibility bracket is clauses separated by "，" or "；", each a list of units and a verb
with its adverbs: "（甲、乙牵头，丙按职责分工负责）", "（甲负责，乙配合）", "（甲、乙指导）",
"（甲牵头，乙参与，2024年底前完成）"; or units alone, "（民政局）". The verbs and adverbs are the
genre's (``[brackets]`` in kg/genres/base.toml); what ends a unit's name is the lexicon's.

A lead verb ("牵头") makes its units lead units and a support verb ("配合") supporting ones; a
plain verb ("负责") leads in the first clause and supports after a lead has been named. A
document may say that the first unit of every bracket leads ("列第一位者为牵头单位"): then a
bracket whose units all lead is read as its first unit leading and the others supporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OPEN = "（("
CLOSE = "）)"
CLAUSE_SEPARATORS = "，,；;。"
SENTENCE_END = "。"
LIST_SEPARATORS = "、，,及和"


@dataclass(frozen=True)
class BracketRules:
    lead_verbs: tuple[str, ...]  # longest first
    plain_verbs: tuple[str, ...]
    support_verbs: tuple[str, ...]
    adverbs: tuple[str, ...]
    catch_alls: tuple[str, ...]  # "等有关部门": the end of a list, no unit
    unit_ends: tuple[str, ...]  # what ends a unit's name: 局, 委员会, 人民政府 …
    not_units: re.Pattern  # a bracket holding one of these is no bracket of units: 简称, 试行 …
    when: re.Pattern  # a clause that says when, not who: "年内持续推进", "6月底完成"
    notes: re.Pattern  # a sentence in a bracket holding one of these is a note: 下同, 不再列出 …

    @property
    def verb(self) -> re.Pattern:
        """Any verb of the grammar: a text without one says no part."""
        return _verbs(self.lead_verbs + self.plain_verbs + self.support_verbs)

    def verb_at_end(self, clause: str) -> tuple[str, str] | None:
        """ "甲、乙按职责分工负责" → ("lead"|"plain"|"support", where the units end). Verbs in a
        row ("负责落实", "配合实施") are one verb of the strongest kind among them."""
        found = self._one_verb_at_end(clause)
        if found is None:
            return None
        kind, units = found
        while (more := self._one_verb_at_end(units)) is not None and more[1]:
            units = more[1]
            kind = min(kind, more[0], key=("lead", "support", "plain").index)
        return kind, units

    def _one_verb_at_end(self, clause: str) -> tuple[str, str] | None:
        for kind, verbs in (("lead", self.lead_verbs), ("support", self.support_verbs), ("plain", self.plain_verbs)):
            for verb in verbs:
                if clause.endswith(verb):
                    units = clause[: -len(verb)]
                    stripped = True
                    while stripped:  # "…等按职责分工" → "…"
                        stripped = False
                        for adverb in self.adverbs:
                            if units.endswith(adverb) and len(units) > len(adverb):
                                units, stripped = units[: -len(adverb)], True
                    return kind, units
        return None

    def is_unit(self, name: str) -> bool:
        return len(name) >= 2 and name.endswith(self.unit_ends)


@lru_cache(maxsize=8)
def _verbs(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)")


@dataclass(frozen=True)
class Part:
    """Units of one role inside a bracket: offsets relative to the bracket's inside."""

    field: str  # leadUnit or supportUnit
    start: int
    end: int
    said: bool = True  # a verb says the part ("牵头", "配合"), not the place in the bracket


def _bounds(text: str, separators: str) -> list[tuple[int, int]]:
    """Where the pieces between ``separators`` are, never splitting inside parentheses
    ("各县（市、区）政府、市财政局" is two units), blank pieces left out."""
    bounds, begin, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif ch in separators and depth == 0:
            bounds.append((begin, i))
            begin = i + 1
    bounds.append((begin, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _verb_bounds(inside: str, rules: BracketRules) -> list[tuple[int, int]]:
    """The clauses of a bracket: between clause separators, and after a "、" that follows a verb
    ("甲局牵头、乙局配合" is two clauses, "甲局、乙局配合" one)."""
    bounds = []
    for begin, end in _bounds(inside, CLAUSE_SEPARATORS):
        start = begin
        for k in range(begin, end):
            if inside[k] == "、" and rules.verb_at_end(inside[start:k].strip()) is not None:
                bounds.append((start, k))
                start = k + 1
        bounds.append((start, end))
    return [(a, b) for a, b in bounds if inside[a:b].strip()]


def _strip_catch_all(units: str, rules: BracketRules) -> str:
    for tail in rules.catch_alls:
        if units.endswith(tail) and len(units) > len(tail):
            return units[: -len(tail)]
    return units


@lru_cache(maxsize=4096)
def parse_bracket(inside: str, rules: BracketRules, first_leads: bool = False) -> tuple[Part, ...] | None:
    """The units of a responsibility bracket's inside by role, or None if it is no such bracket
    (kept for the next look: a document's segmenter and extractor both read each bracket).

    A clause without a verb belongs to the next clause that has one, the comma between them
    only a list's ("甲、乙，丙、丁配合": all four support); with no verb after it, it must be units
    and nothing more. Clauses that name no unit (a deadline, "年底前完成") are passed over; a
    bracket needs at least one clause with a verb, or else to be units and nothing more.
    """
    # "（甲、乙负责。列第一位者为牵头部门，下同）": a sentence holding a note's words ends the
    # bracket; "（甲牵头。乙配合）" is two clauses.
    kept: list[str] = []
    for sentence in inside.split(SENTENCE_END):
        if kept and rules.notes.search(sentence):
            break
        kept.append(sentence)
    inside = SENTENCE_END.join(kept)
    if rules.not_units.search(inside):
        return None
    clauses: list[tuple[str | None, int, str]] = []  # (verb kind or None, start, units)
    for begin, end in _verb_bounds(inside, rules):
        clause = inside[begin:end]
        begin += len(clause) - len(clause.lstrip())
        clause = clause.strip()
        found = rules.verb_at_end(clause)
        if rules.when.fullmatch(clause):  # "年内持续推进": when, not who
            continue
        if found is None:
            clauses.append((None, begin, _strip_catch_all(clause, rules)))
        else:
            clauses.append((found[0], begin, _strip_catch_all(found[1].rstrip(), rules)))
    with_verb = sum(1 for kind, _, _ in clauses if kind is not None)
    following: str | None = None
    kinds = []
    borrowed = []  # whether a clause takes the verb of the clause after it
    for kind, _, units in reversed(clauses):
        borrowed.append(kind is None and following is not None)
        if kind is None:
            items = [units[a:b].strip() for a, b in _bounds(units, LIST_SEPARATORS)]
            all_units = bool(items) and all(rules.is_unit(item) for item in items)
            kind = following if following is not None else ("bare" if all_units else "")
        else:
            following = kind
        kinds.append(kind)
    kinds.reverse()
    borrowed.reverse()
    parts: list[Part] = []
    lead_named = False
    shared: str | None = None  # the field of a list whose verb comes in a later clause
    before = 0  # how many parts stood before the list being read
    for (_, begin, units), kind, shares in zip(clauses, kinds, borrowed):
        if not units or not kind:
            continue
        # Clauses that share a verb are one list ("甲，乙负责"): they take one field.
        if shared is None:
            before = len(parts)
            lead = kind == "lead" or (kind in ("plain", "bare") and not lead_named)
            shared = "leadUnit" if lead else "supportUnit"
        field = shared
        parts.append(Part(field, begin, begin + len(units), kind != "bare"))
        if not shares:
            if field == "leadUnit":
                lead_named = lead_named or kind == "lead" or not before
            shared = None
    if not parts:
        return None
    if not with_verb and len(parts) > 1:
        return None  # several bare clauses: a list of something, not who does the task
    # The convention is for units whose part the bracket does not say: "（甲、乙分别牵头）" leads.
    if first_leads and all(p.field == "leadUnit" for p in parts) and "lead" not in kinds:
        return tuple(_first_unit_leads(inside, parts))
    return tuple(parts)


def _first_unit_leads(inside: str, parts: list[Part]) -> list[Part]:
    """ "列第一位者为牵头单位": the bracket's first unit leads, every other one supports."""
    first = parts[0]
    text = inside[first.start : first.end]
    items = _bounds(text, LIST_SEPARATORS)
    if len(items) <= 1 and len(parts) == 1:
        return parts
    head_end = first.start + items[0][1] if items else first.end
    out = [Part("leadUnit", first.start, head_end)]
    if len(items) > 1:
        out.append(Part("supportUnit", first.start + items[1][0], first.end))
    out += [Part("supportUnit", p.start, p.end) for p in parts[1:]]
    return out

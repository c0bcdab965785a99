"""Traditional-script documents: a simplified reading copy for the rules, and the way back.

Every rule, lexicon word and genre file is written in simplified characters, and keeping a
traditional twin of each would double the data and let the two drift. So a traditional document
is read through a copy of its text converted to simplified script, and what the rules find there
is then given back the document's own text.

That only works if the copy has exactly the original's length: then every offset the rules
produce into the copy is also an offset into the original (offsets are the truth). OpenCC's own
converter is phrase-based and may change lengths in general, so we use only its dictionary
files, which the pip package ``opencc-python-reimplemented`` ships: the character table (first
candidate of each character) and those phrase entries whose conversion keeps their length
("反覆" reads "反复", where the character table alone would leave "覆").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Callable, Mapping

from .model import Entity, Fact, Mention, Resolved, SourceDocument, Span, StatedFigure, Term

# One Chinese (Han) character, as a regex class. Here, not in kg.lexicon, so that reading a
# script needs no tokenizer (kg diff, kg query start without jieba).
HAN_CLASS = "[\u3400-\u9fff\uf900-\ufaff]"

# BCP 47 tags of a document's Chinese literals, by script. Simplified documents keep the plain
# "zh" the graph has always used (for mainland documents it reads as simplified); both tags
# match a langMatches(…, "zh") filter.
LANGUAGE_TAGS: Mapping[str, str] = MappingProxyType({"simplified": "zh", "traditional": "zh-Hant"})
# The alternative label is simplified whatever script its document is in, so it says so.
SIMPLIFIED_TAG = "zh-Hans"

# A document is traditional when at least this share of its Han characters, and at least this
# many of them, change under the character table. Real traditional documents measure 0.35-0.37
# (corpus 03, 15, 16) and simplified ones 0.00, so 0.1 is far from both; the minimum count keeps
# a short simplified text with one or two traditional-only characters (a name with 於, a quoted
# title) simplified.
TRADITIONAL_SHARE = 0.1
MIN_TRADITIONAL_CHARS = 3

HAN = re.compile(HAN_CLASS)


@dataclass(frozen=True)
class ScriptTables:
    """The OpenCC tables we use, each entry mapping a string to one of the same length."""

    simplified_chars: Mapping[int, str]  # traditional → simplified, for str.translate
    simplified_phrases: Mapping[str, str]  # traditional phrase → simplified phrase
    phrase_pattern: re.Pattern | None  # any key of simplified_phrases, longest first
    traditional_chars: Mapping[str, str]  # simplified → traditional, where a document gives no evidence


def read_opencc_table(name: str) -> dict[str, str]:
    """One OpenCC dictionary file → {key: first candidate}, keeping only length-preserving entries.

    A line is "key<TAB>candidate candidate …"; the first candidate is OpenCC's default.
    """
    table: dict[str, str] = {}
    text = files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        key, _, candidates = line.partition("\t")
        first = candidates.split(" ")[0]
        if key and len(first) == len(key):
            table[key] = first
    return table


@lru_cache(maxsize=1)
def load_script_tables() -> ScriptTables:
    """Read the OpenCC tables once per process; they never change while it runs."""
    chars = read_opencc_table("TSCharacters.txt")
    phrases = read_opencc_table("TSPhrases.txt")
    # Longest first, so the regex takes "反反覆覆" before "反覆" at the same position.
    keys = sorted(phrases, key=lambda key: (-len(key), key))
    pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
    return ScriptTables(
        simplified_chars=MappingProxyType({ord(k): v for k, v in chars.items() if k != v}),
        simplified_phrases=MappingProxyType(phrases),
        phrase_pattern=pattern,
        traditional_chars=MappingProxyType(read_opencc_table("STCharacters.txt")),
    )


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, character for character: ``len`` never changes."""
    tables = load_script_tables()
    converted = text.translate(tables.simplified_chars)
    if tables.phrase_pattern is None:
        return converted
    parts, last = [], 0
    for match in tables.phrase_pattern.finditer(text):
        parts += [converted[last : match.start()], tables.simplified_phrases[match.group()]]
        last = match.end()
    parts.append(converted[last:])
    return "".join(parts)


def detect_script(text: str) -> str:
    """Whether ``text`` is "traditional" (a clear share of its Han characters have a simplified
    form) or "simplified"."""
    table = load_script_tables().simplified_chars
    han = HAN.findall(text)
    changed = sum(1 for ch in han if ord(ch) in table)
    if changed >= MIN_TRADITIONAL_CHARS and changed >= TRADITIONAL_SHARE * len(han):
        return "traditional"
    return "simplified"


def simplify_document(document: SourceDocument) -> SourceDocument:
    """The copy the rules read: simplified text, same length, same identity. A simplified
    document is its own copy: converting it would rewrite the odd traditional-only character."""
    if document.script != "traditional":
        return document
    return replace(document, text=to_simplified(document.text))


def script_restorer(original: str, simplified: str) -> Callable[[str], str]:
    """A function taking a simplified string back to the script of ``original``.

    ``simplified`` is ``to_simplified(original)``. A string found in it takes the original
    spelling it has most often there, so in a document that writes 製造 once and 制度 often,
    "制造" still comes back as "製造"; a string not found there (a label with a suffix the rules
    appended) is restored character by character the same way. A character the document never
    uses takes OpenCC's default traditional form. Ties go to the spelling met first.
    """
    if len(original) != len(simplified):
        raise ValueError("the simplified text must have the original's length")
    by_char: dict[str, Counter[str]] = defaultdict(Counter)
    for old, new in zip(original, simplified):
        by_char[new][old] += 1
    fallback = load_script_tables().traditional_chars

    def restore_char(ch: str) -> str:
        seen = by_char.get(ch)
        return seen.most_common(1)[0][0] if seen else fallback.get(ch, ch)

    def restore(text: str) -> str:
        if len(text) > 1:
            spellings: Counter[str] = Counter()
            at = simplified.find(text)
            while at >= 0:
                spellings[original[at : at + len(text)]] += 1
                at = simplified.find(text, at + 1)
            if spellings:
                return spellings.most_common(1)[0][0]
        return "".join(map(restore_char, text))

    return restore


def restore_script(resolved: Resolved, document: SourceDocument) -> Resolved:
    """What the rules found in ``simplify_document(document)`` (and a copy of it whose layout
    changed), given back ``document``'s text.

    Every span quotes the original at the same offsets; every label of a traditional document
    is restored to its script, its simplified form kept as ``alt_label`` where the two differ; keys
    stay simplified, so one post or person has the same key in either script. The order
    resolve gave is kept: it rests on kinds, keys and offsets, which do not change here (only
    two literal values of one subject and predicate could sort otherwise, and no output depends
    on that order). Warnings keep the copy's simplified words: they are messages, not data.
    """
    # A simplified document read through a copy whose layout changed takes its white space
    # back, and its labels stay as found: restoring a character the document never writes
    # would give OpenCC's traditional form ("发改委" expanded to 委員會).
    restore = script_restorer(document.text, resolved.document.text) if document.script == "traditional" else str
    language = LANGUAGE_TAGS[document.script]
    entities: dict[Entity, Entity] = {}

    def restore_span(span: Span) -> Span:
        return Span(span.start, span.end, document.text[span.start : span.end])

    def restore_entity(entity: Entity) -> Entity:
        if entity not in entities:
            label = restore(entity.label)
            entities[entity] = replace(entity, label=label, alt_label=entity.label if label != entity.label else "")
        return entities[entity]

    def restore_term(term: Term) -> Term:
        if isinstance(term, Entity):
            return restore_entity(term)
        # A tagged value is text of the document (a deadline as written); a bare one is a number.
        return replace(term, text=restore(term.text), language=language) if term.language else term

    def restore_fact(fact: Fact) -> Fact:
        return replace(
            fact,
            subject=restore_entity(fact.subject),
            object=restore_term(fact.object),
            evidence=tuple(map(restore_span, fact.evidence)),
            premises=tuple(map(restore_fact, fact.premises)),
        )

    def restore_figure(figure: StatedFigure, found: int | None) -> tuple[StatedFigure, int | None]:
        scope = restore_entity(figure.scope) if figure.scope else None
        return replace(figure, label=restore(figure.label), scope=scope, evidence=restore_span(figure.evidence)), found

    return replace(
        resolved,
        document=document,
        entities=tuple(map(restore_entity, resolved.entities)),
        mentions=tuple(Mention(restore_entity(m.entity), restore_span(m.span), restore_span(m.exact), restore(m.written) if m.written else "") for m in resolved.mentions),
        facts=tuple(map(restore_fact, resolved.facts)),
        figures=tuple(restore_figure(figure, found) for figure, found in resolved.figures),
        unused=tuple(map(restore_span, resolved.unused)),
        unread=tuple(replace(cue, span=restore_span(cue.span)) for cue in resolved.unread),
    )

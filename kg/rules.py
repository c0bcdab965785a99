"""Genre rule files (kg/genres/*.toml) → validated, compiled ``Rules``.

A genre file may ``extends`` another; tables are merged key by key, the child winning.
Placeholders such as ``{group_suffix}`` in patterns are filled from the lexicon.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .errors import RuleFileError
from .lexicon import Lexicon

GENRE_DIR = Path(__file__).parent / "genres"

# Fields an item or a row can carry. "unit" is a responsible unit whose part depends on the
# others: the lead where no lead unit is named, else a supporting unit ("牵头单位:甲;责任单位:乙").
FIELD_NAMES = ("lead", "leadUnit", "supportUnit", "unit", "deadline")
# Roles of table columns: the fields, plus what only a table has.
COLUMN_ROLES = (*FIELD_NAMES, "ordinal", "project", "category", "code", "other")
PATTERN_NAMES = (
    "responsible_group",
    "group_list",
    "tier_list",
    "tier_count",
    "project_count",
    "problem",
    "lead_in_prose",
    "unit_paren",
    "unit_in_prose",
    "deadline_in_text",
    "deadline_date",
    "document_year",
    "list_owner",
    "project_list",
    "name_frame",
)
SINGLE_PATTERNS = {"level_chain_sep": "-", "level_grade": "(?!)", "tier_lead_cue": "(?!)"}
TOP_KEYS = ("name", "title", "extends", "detect", "segment", "fields", "columns", "placeholders", "patterns", "options")
# Switches a genre may set, with their defaults.
OPTIONS = {"headings_are_tiers": False}
SEGMENT_KEYS = ("sentence_ends", "clause_seps", "heading_max_chars", "numbering", "list_seps", "bullets", "name_max_chars")


@dataclass(frozen=True)
class Numbering:
    pattern: re.Pattern
    depth: int


@dataclass(frozen=True)
class Rules:
    """One genre's rules, compiled. Patterns are tuples tried in order."""

    name: str
    title: str
    cues: Mapping[str, int]
    sentence_ends: str
    clause_seps: str
    heading_max_chars: int
    list_seps: str  # between the units or names of a list
    bullets: str  # marks that open a task inside a table cell
    name_max_chars: int  # a longer first sentence is cut to its first clause to name a task
    numbering: tuple[Numbering, ...]
    fields: Mapping[str, str]  # cue word → field name
    columns: Mapping[str, str]  # table header cue → column role, longest first
    patterns: Mapping[str, tuple[re.Pattern, ...]]
    level_chain_sep: re.Pattern
    level_grade: re.Pattern
    tier_lead_cue: re.Pattern
    field_cue: re.Pattern  # a field cue and its colon: "牵头单位:"
    options: Mapping[str, bool]

    def has_fields(self, text: str) -> bool:
        """Whether ``text`` names fields: "牵头单位:…", a unit parenthesis "（甲牵头，乙负责）", or
        units in prose ("甲会同乙研究提出了办理意见")."""
        return (
            bool(self.field_cue.search(text))
            or any(p.search(text) for p in self.patterns["unit_paren"])
            or any(p.search(s) for p in self.patterns["unit_in_prose"] for s in re.split(f"[{re.escape(self.sentence_ends)}]", text))
        )


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise RuleFileError(f"cannot read rule file: {exc.strerror}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"invalid TOML: {exc}", str(path)) from None


def _merge(parent: dict, child: dict) -> dict:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _resolve_extends(name: str, directory: Path, seen: tuple[str, ...] = ()) -> dict:
    path = directory / f"{name}.toml"
    if name in seen:
        raise RuleFileError(f"'extends' forms a cycle: {' → '.join((*seen, name))}", str(path))
    if not path.is_file():
        raise RuleFileError(f"no rule file for genre {name!r}; known genres: {', '.join(genre_names(directory))}", str(path))
    data = _read_toml(path)
    _check_file(data, path)
    parent = data.get("extends")
    return _merge(_resolve_extends(parent, directory, (*seen, name)), data) if parent else data


def _check_file(data: dict, path: Path) -> None:
    """Validate one rule file's own keys and value types, so an error names the file at fault."""

    def fail(message: str) -> None:
        raise RuleFileError(message, str(path))

    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        fail(f"unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(TOP_KEYS)}")
    for key in data.get("detect", {}):
        if key != "cues":
            fail(f"detect.{key}: unknown key; valid keys: cues")
    for cue, weight in data.get("detect", {}).get("cues", {}).items():
        if not isinstance(weight, int) or isinstance(weight, bool):
            fail(f"detect.cues.{cue}: weight {weight!r} must be a whole number")
    segment = data.get("segment", {})
    for key in segment:
        if key not in SEGMENT_KEYS:
            fail(f"segment.{key}: unknown key; valid keys: {', '.join(SEGMENT_KEYS)}")
    for i, entry in enumerate(segment.get("numbering", ())):
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str) or not isinstance(entry.get("depth"), int):
            fail(f"segment.numbering[{i}]: each entry needs pattern (a string) and depth (a whole number)")
    for cue, field in data.get("fields", {}).items():
        if field not in FIELD_NAMES:
            fail(f"fields.{cue}: {field!r} is not a field; valid fields: {', '.join(FIELD_NAMES)}")
    for cue, role in data.get("columns", {}).items():
        if role not in COLUMN_ROLES:
            fail(f"columns.{cue}: {role!r} is not a column role; valid roles: {', '.join(COLUMN_ROLES)}")
    for key, value in data.get("options", {}).items():
        if key not in OPTIONS:
            fail(f"options.{key}: unknown option; valid options: {', '.join(OPTIONS)}")
        if not isinstance(value, bool):
            fail(f"options.{key}: {value!r} must be true or false")
    for key, value in data.get("patterns", {}).items():
        if key not in PATTERN_NAMES and key not in SINGLE_PATTERNS:
            fail(f"patterns.{key}: unknown pattern; valid patterns: {', '.join((*PATTERN_NAMES, *SINGLE_PATTERNS))}")
        items = [value] if isinstance(value, str) or key in SINGLE_PATTERNS else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            fail(f"patterns.{key}: must be a regular expression (a string)" + ("" if key in SINGLE_PATTERNS else " or a list of them"))


def _placeholders(data: dict, lexicon: Lexicon) -> dict[str, str]:
    """The rule file's own [placeholders], plus alternations built from the lexicon."""
    return {
        **{k: str(v) for k, v in data.get("placeholders", {}).items()},
        "group_suffix": "(?:" + "|".join(map(re.escape, lexicon.group_suffixes)) + ")",
    }


def _compile(pattern: str, path: Path, key: str, fill: dict[str, str]) -> re.Pattern:
    try:
        text = re.sub(r"\{([a-z_]\w*)\}", lambda m: fill[m.group(1)], pattern)
        return re.compile(text, re.MULTILINE)
    except KeyError as exc:
        raise RuleFileError(f"{key}: unknown placeholder {{{exc.args[0]}}}; known: {', '.join(sorted(fill))}", str(path)) from None
    except re.error as exc:
        raise RuleFileError(f"{key}: invalid regular expression: {exc}", str(path)) from None


def genre_names(directory: Path = GENRE_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in directory.glob("*.toml")))


def load_rules(name: str, lexicon: Lexicon, directory: Path = GENRE_DIR) -> Rules:
    """Load genre ``name`` (following ``extends``), validate every key, compile every pattern."""
    path = directory / f"{name}.toml"
    data = _resolve_extends(name, directory)
    fill = _placeholders(data, lexicon)
    segment = data.get("segment", {})
    fields = dict(sorted(data.get("fields", {}).items(), key=lambda kv: (-len(kv[0]), kv[0])))
    columns = dict(sorted(data.get("columns", {}).items(), key=lambda kv: (-len(kv[0]), kv[0])))
    cue_alternation = "|".join(map(re.escape, fields)) or "(?!)"
    raw_patterns = dict(data.get("patterns", {}))
    # Single patterns (not lists), each with a default that matches nothing special.
    singles = {key: raw_patterns.pop(key, default) for key, default in SINGLE_PATTERNS.items()}
    patterns = {}
    for key, value in raw_patterns.items():
        items = [value] if isinstance(value, str) else value
        patterns[key] = tuple(_compile(p, path, f"patterns.{key}", fill) for p in items)
    try:
        numbering = tuple(
            Numbering(_compile(n["pattern"], path, "segment.numbering", fill), int(n["depth"])) for n in segment.get("numbering", ())
        )
        return Rules(
            name=data.get("name", name),
            title=data.get("title", name),
            cues=MappingProxyType({k: int(v) for k, v in data.get("detect", {}).get("cues", {}).items()}),
            sentence_ends=segment.get("sentence_ends", "。\n"),
            clause_seps=segment.get("clause_seps", "，,。\n"),
            heading_max_chars=int(segment.get("heading_max_chars", 30)),
            list_seps=segment.get("list_seps", "，,"),
            bullets=segment.get("bullets", ""),
            name_max_chars=int(segment.get("name_max_chars", 50)),
            numbering=numbering,
            fields=MappingProxyType(fields),
            columns=MappingProxyType(columns),
            field_cue=re.compile(f"(?:{cue_alternation})\\s*[:：]"),
            options=MappingProxyType({**OPTIONS, **data.get("options", {})}),
            patterns=MappingProxyType({k: patterns.get(k, ()) for k in PATTERN_NAMES}),
            **{key: _compile(value, path, f"patterns.{key}", fill) for key, value in singles.items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(f"malformed value: {exc}", str(path)) from None


def load_all_rules(lexicon: Lexicon, directory: Path = GENRE_DIR) -> dict[str, Rules]:
    """Every genre except the abstract ``base``."""
    return {name: load_rules(name, lexicon, directory) for name in genre_names(directory) if name != "base"}


# The genre of a document in which no genre finds any of its cue words.
DEFAULT_GENRE = "plan"


def detect_genre(text: str, genres: Mapping[str, Rules]) -> str:
    """The genre whose cue words score highest in ``text``; ties go to the name first in order;
    with no cue found at all, ``DEFAULT_GENRE`` (whose rules assume least)."""
    scores = {name: sum(w * text.count(cue) for cue, w in r.cues.items()) for name, r in sorted(genres.items())}
    if not any(scores.values()) and DEFAULT_GENRE in genres:
        return DEFAULT_GENRE
    return max(scores, key=lambda n: (scores[n], -sorted(scores).index(n)))

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

FIELD_NAMES = ("lead", "leadUnit", "supportUnit", "deadline")
PATTERN_NAMES = (
    "responsible_group",
    "group_list",
    "tier_list",
    "tier_count",
    "project_count",
    "problem",
    "lead_in_prose",
)
SINGLE_PATTERNS = {"level_chain_sep": "-", "level_grade": "(?!)", "tier_lead_cue": "(?!)"}
TOP_KEYS = ("name", "title", "extends", "detect", "segment", "fields", "placeholders", "patterns")
SEGMENT_KEYS = ("sentence_ends", "clause_seps", "heading_max_chars", "numbering")


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
    numbering: tuple[Numbering, ...]
    fields: Mapping[str, str]  # cue word → field name
    patterns: Mapping[str, tuple[re.Pattern, ...]]
    level_chain_sep: re.Pattern
    level_grade: re.Pattern
    tier_lead_cue: re.Pattern


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
    fields = data.get("fields", {})
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
            numbering=numbering,
            fields=MappingProxyType(dict(sorted(fields.items(), key=lambda kv: -len(kv[0])))),
            patterns=MappingProxyType({k: patterns.get(k, ()) for k in PATTERN_NAMES}),
            **{key: _compile(value, path, f"patterns.{key}", fill) for key, value in singles.items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(f"malformed value: {exc}", str(path)) from None


def load_all_rules(lexicon: Lexicon, directory: Path = GENRE_DIR) -> dict[str, Rules]:
    """Every genre except the abstract ``base``."""
    return {name: load_rules(name, lexicon, directory) for name in genre_names(directory) if name != "base"}


def detect_genre(text: str, genres: Mapping[str, Rules]) -> str:
    """The genre whose cue words score highest in ``text``; ties go to the name first in order."""
    scores = {name: sum(w * text.count(cue) for cue, w in r.cues.items()) for name, r in sorted(genres.items())}
    return max(scores, key=lambda n: (scores[n], -sorted(scores).index(n)))

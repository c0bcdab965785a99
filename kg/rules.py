"""Genre rule files (kg/genres/*.toml) → validated, compiled ``Rules``.

A genre file may ``extends`` another; tables are merged key by key, the child winning.
Placeholders such as ``{group_suffix}`` in patterns are filled from the lexicon.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .brackets import BracketRules, parse_bracket
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
    "first_is_lead",
    "heading_lead",
    "work_list",
    "group_in_prose",
    "work_group",
    "task_in_prose",
    "unit_subject",
    "continued_task",
    "convening_group",
    "duty_list",
    "body_duties",
    "duty_lead",
    "short_name",
    "dated_work",
    "meeting_on",
    "reviewed",
    "reported",
    "point",
    "point_unit",
    "led_task",
    "group_role",
    "group_purpose",
    "title_opening",
    "title_joint",
    "group_heading",
    "group_head",
    "glued_row",
)
SINGLE_PATTERNS = {"level_collective": "(?!)", "level_chain_sep": "-", "level_grade": "(?!)", "tier_lead_cue": "(?!)", "level_compound_next": "(?!)", "prose_field_link": "(?!)"}
TOP_KEYS = ("name", "title", "extends", "detect", "segment", "fields", "labels", "brackets", "columns", "placeholders", "patterns", "options")
# The words of the bracket grammar ([brackets]; see kg.brackets).
BRACKET_KEYS = ("lead_verbs", "plain_verbs", "support_verbs", "adverbs", "catch_alls", "not_units", "when_words", "done_verbs", "note_words")
# The parts of the label grammar ([labels]): role words, level words, the heads of unit and of
# person labels, and what may stand between a label and its colon.
LABEL_KEYS = ("subjects", "roles", "levels", "unit_heads", "person_heads", "qualifier")
# Switches a genre may set, with their defaults.
OPTIONS = {"headings_are_tiers": False, "points_are_tasks": False}
SEGMENT_KEYS = ("sentence_ends", "clause_seps", "heading_max_chars", "numbering", "list_seps", "bullets", "name_max_chars")


@dataclass(frozen=True)
class Numbering:
    pattern: re.Pattern
    depth: int
    # Points of an argument ("一是…。二是…"): a heading over the numbered items under it, else a
    # paragraph, never an item of its own.
    heads_only: bool = False


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
    level_compound_next: re.Pattern  # what follows level words run together ("乡镇政府", "市县两级")
    level_collective: re.Pattern  # what makes level words run together all units of them ("各乡镇")
    prose_field_link: re.Pattern  # what stands for a label's colon in prose: "牵头领导是…"
    tier_lead_cue: re.Pattern
    field_cue: re.Pattern  # a field cue and its colon: "牵头单位:", "市级牵头单位（部门）："
    prose_field_cue: re.Pattern  # a field cue and 是 or 为, as prose writes it: "牵头领导是"
    options: Mapping[str, bool]
    label: re.Pattern  # the label grammar, a whole label without its colon
    label_heads: tuple[str, ...]  # what ends a label: 单位, 部门, 领导, 人 … (for labels no rule reads)
    roles: Mapping[str, tuple[str, str]]  # role word → (field of a unit head, field of a person head)
    brackets: BracketRules
    bracket: re.Pattern  # a parenthesis that closes a sentence or a line: a responsibility bracket's place

    @property
    def item_start(self) -> re.Pattern:
        """Any numbering that opens an item or a heading: "一、", "（一）", "1."."""
        return _item_start(self.numbering)

    def find_brackets(self, text: str, first_leads: bool = False):
        """Responsibility brackets in ``text``: (match, parts), the parts' offsets relative to
        the match's ``inside`` group."""
        for match in self.bracket.finditer(text):
            parts = parse_bracket(match.group("inside"), self.brackets, first_leads)
            if parts:
                yield match, parts

    def field_of(self, label: str) -> str | None:
        """The field a label introduces: a listed cue ("完成时限"), else what the label grammar
        makes of its parts — "市级牵头单位" leadUnit, "牵头负责领导" lead, "协同责任单位"
        supportUnit; None for a label that names no field ("配合领导")."""
        compact = "".join(label.split()).rstrip(":：")
        if compact in self.fields:
            return self.fields[compact]
        match = self.label.fullmatch(compact)
        if not match:
            return None
        # A run of role words ("牵头负责", "协同责任") takes its part from the first.
        role = match.group("role")
        first = next(word for word in self.roles if role.startswith(word))  # longest first
        unit_field, person_field = self.roles[first]
        return (person_field if match.group("person") else unit_field) or None

    def has_fields(self, text: str) -> bool:
        """Whether ``text`` names fields: "牵头单位:…", a unit parenthesis "（甲牵头，乙负责）", or
        units in prose ("甲会同乙研究提出了办理意见")."""
        return (
            bool(self.field_cue.search(text))
            or any(p.search(text) for p in self.patterns["unit_paren"])
            or any(True for _ in self.find_brackets(text))
            or any(p.search(s) for p in self.patterns["unit_in_prose"] for s in re.split(f"[{re.escape(self.sentence_ends)}]", text))
        )

    def closes_with_when(self, text: str) -> bool:
        """Whether ``text`` ends with a bracket that says only when: "…。（年内持续推进）" — the
        bracket of a paragraph task whose units a retelling left out."""
        match = CLOSING_BRACKET.search(text)
        return match is not None and self.brackets.when.fullmatch(match.group(1)) is not None


# A bracket that closes a text: "…。（年内持续推进）".
CLOSING_BRACKET = re.compile(r"[（(]([^（）()]{2,20})[）)][。；;]?\s*$")


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
        if not isinstance(entry.get("heads_only", False), bool):
            fail(f"segment.numbering[{i}]: heads_only is true or false")
    for cue, field in data.get("fields", {}).items():
        if field not in FIELD_NAMES:
            fail(f"fields.{cue}: {field!r} is not a field; valid fields: {', '.join(FIELD_NAMES)}")
    labels = data.get("labels", {})
    for key, value in labels.items():
        if key not in LABEL_KEYS:
            fail(f"labels.{key}: unknown key; valid keys: {', '.join(LABEL_KEYS)}")
        if key == "qualifier" and not isinstance(value, str):
            fail("labels.qualifier: must be a regular expression (a string)")
        if key in ("levels", "unit_heads", "person_heads") and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            fail(f"labels.{key}: must be a list of words")
    for key, value in data.get("brackets", {}).items():
        if key not in BRACKET_KEYS:
            fail(f"brackets.{key}: unknown key; valid keys: {', '.join(BRACKET_KEYS)}")
        if not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            fail(f"brackets.{key}: must be a list of words")
    for role, pair in labels.get("roles", {}).items():
        if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in ("", "leadUnit", "supportUnit", "unit") and pair[1] in ("", "lead")):
            fail(f"labels.roles.{role}: must be [unit field, person field]: a unit field of leadUnit, supportUnit, unit or \"\", a person field of lead or \"\"")
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
        "unit_end": "(?:" + _alternation(lexicon.unit_ends) + ")",
    }


def _compile(pattern: str, path: Path, key: str, fill: dict[str, str]) -> re.Pattern:
    try:
        text = re.sub(r"\{([a-z_]\w*)\}", lambda m: fill[m.group(1)], pattern)
        return re.compile(text, re.MULTILINE)
    except KeyError as exc:
        raise RuleFileError(f"{key}: unknown placeholder {{{exc.args[0]}}}; known: {', '.join(sorted(fill))}", str(path)) from None
    except re.error as exc:
        raise RuleFileError(f"{key}: invalid regular expression: {exc}", str(path)) from None


def _alternation(words) -> str:
    """Longest first, so that "牵头负责" is taken before "牵头"."""
    return "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))) or "(?!)"


def _label_pattern(labels: dict, path: Path) -> re.Pattern:
    """The label grammar: [subject] [level[级]] role [level[级]] head [qualifier].

    "市级牵头单位", "牵头负责领导", "协同责任单位", "主责科室", "县级责任单位（人）", "负责人",
    "项目责任领导".
    """
    level = f"(?:(?:{_alternation(labels.get('levels', ()))})级?)"
    unit = _alternation(labels.get("unit_heads", ()))
    person = _alternation(labels.get("person_heads", ()))
    role = _alternation(labels.get("roles", {}))
    qualifier = labels.get("qualifier", "(?!)")
    subject = f"(?:{_alternation(labels.get('subjects', ()))})"
    pattern = f"{subject}?{level}?(?P<role>(?:{role})+){level}?(?:(?P<unit>{unit})|(?P<person>{person}))(?:{qualifier})?"
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RuleFileError(f"labels: the grammar is no valid regular expression: {exc}", str(path)) from None


@lru_cache(maxsize=16)
def _item_start(numbering: tuple[Numbering, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{n.pattern.pattern})" for n in numbering) or "(?!)")


def _bracket_rules(words: dict, lexicon: Lexicon) -> BracketRules:
    def longest_first(key: str) -> tuple[str, ...]:
        return tuple(sorted(words.get(key, ()), key=lambda w: (-len(w), w)))

    not_units = words.get("not_units", ())
    return BracketRules(
        lead_verbs=longest_first("lead_verbs"),
        plain_verbs=longest_first("plain_verbs"),
        support_verbs=longest_first("support_verbs"),
        adverbs=longest_first("adverbs"),
        catch_alls=longest_first("catch_alls"),
        unit_ends=lexicon.unit_ends,
        not_units=re.compile(_alternation(not_units)),
        when=re.compile(f"(?:[0-9]+|{_alternation(longest_first('when_words'))})+(?:{_alternation(longest_first('done_verbs'))})?"),
        notes=re.compile(_alternation(words.get("note_words", ()))),
    )


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
    labels = data.get("labels", {})
    label = _label_pattern(labels, path)
    roles = {word: tuple(labels["roles"][word]) for word in sorted(labels.get("roles", {}), key=lambda w: (-len(w), w))}
    raw_patterns = dict(data.get("patterns", {}))
    # Single patterns (not lists), each with a default that matches nothing special.
    singles = {key: raw_patterns.pop(key, default) for key, default in SINGLE_PATTERNS.items()}
    patterns = {}
    for key, value in raw_patterns.items():
        items = [value] if isinstance(value, str) else value
        patterns[key] = tuple(_compile(p, path, f"patterns.{key}", fill) for p in items)
    try:
        numbering = tuple(
            Numbering(_compile(n["pattern"], path, "segment.numbering", fill), int(n["depth"]), bool(n.get("heads_only", False)))
            for n in segment.get("numbering", ())
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
            field_cue=re.compile(f"(?:{cue_alternation}|{label.pattern})\\s*[:：]"),
            prose_field_cue=re.compile(f"(?:{cue_alternation}|{label.pattern})(?P<link>{singles.get('prose_field_link') or '(?!)'})"),
            label=label,
            label_heads=tuple(sorted({*labels.get("unit_heads", ()), *labels.get("person_heads", ())}, key=lambda w: (-len(w), w))),
            roles=MappingProxyType(roles),
            brackets=_bracket_rules(data.get("brackets", {}), lexicon),
            # A bracket closes what stands before it: where a sentence end or a line end follows
            # it, or where it follows a sentence end ("…左右。（市甲局牵头）万元…").
            # A bracket right after a sentence end (a copy may put a space or two between them:
            # "…跟踪评价。 （卫生健康委负责） 制定…"), or one a sentence end follows. A paper's
            # square bracket "〔甲办牵头，乙、丙(区)政府负责〕" (福建) is one too, unless it holds a
            # note of its own after a sentence end ("〔…负责落实。以下各项工作均需…〕", 潮州).
            bracket=_compile("(?P<closing>(?<=[。；;])|(?<=[。；;]\\s)|(?<=[。；;]\\s\\s))?(?:[（(]|〔(?=[^〔〕。\n]*〕))(?P<inside>{inner}+)[）)〕](?(closing)|{after})", path, "brackets", fill),
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

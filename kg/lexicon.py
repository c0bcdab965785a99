"""Domain lexicon files (kg/lexicon/*.tsv) → a ``Lexicon`` and a private jieba tokenizer.

The tokenizer is a ``jieba.Tokenizer`` of our own, never jieba's global one, so loading our
words cannot change what other code using jieba sees.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from .errors import RuleFileError
from .script import HAN_CLASS

if TYPE_CHECKING:
    from .tagger import PosTagger

LEXICON_DIR = Path(__file__).parent / "lexicon"

# The columns each lexicon file must have; a file may add more.
REQUIRED_COLUMNS = {
    "levels.tsv": ("label", "key", "rank", "en", "standalone"),
    "posts.tsv": ("word", "kind"),
    "organs.tsv": ("word",),
    "units.tsv": ("suffix",),
    "groups.tsv": ("suffix", "names"),
    "verbs.tsv": ("word", "role"),
    "problems.tsv": ("word", "kind"),
    "projects.tsv": ("head", "needs_verb", "any_clause"),
    "affixes.tsv": ("word", "kind"),
    "stopwords.tsv": ("word",),
    "numerals.tsv": ("char", "value", "kind"),
    "boundaries.tsv": ("char",),
    "surnames.tsv": ("char",),
    "unit_aliases.tsv": ("alias", "full"),
    "places.tsv": ("suffix", "level"),
}
ALLOWED_VALUES = {
    ("posts.tsv", "kind"): ("title", "full", "level"),
    ("groups.tsv", "names"): ("field", "body", "work"),
    ("levels.tsv", "standalone"): ("yes", "no"),
    ("verbs.tsv", "role"): ("lead", "measure", "both", "adverb", "report"),
    ("problems.tsv", "kind"): ("marker", "strip", "context"),
    ("projects.tsv", "needs_verb"): ("yes", "no"),
    ("projects.tsv", "any_clause"): ("yes", "no"),
    ("affixes.tsv", "kind"): ("name_suffix", "trailing", "collective", "collective_head", "conjunction", "level_mark", "addressee"),
    ("numerals.tsv", "kind"): ("digit", "unit"),
}

# The ranks of levels (levels.tsv) whose places may precede a lower one in a post's place:
# the province and the city.
HIGHER_PLACE_RANKS = (2, 3)

# jieba frequency for our words: high enough that "区委书记" stays one token.
WORD_FREQUENCY = 20000


@dataclass(frozen=True)
class Level:
    label: str
    key: str
    rank: int
    en: str
    standalone: bool


@dataclass(frozen=True)
class Lexicon:
    """Word lists, each longest-first so regex alternations prefer the longest form."""

    levels: tuple[Level, ...]
    titles: tuple[str, ...]  # need an organ or level before them
    full_posts: tuple[str, ...]  # complete posts by themselves
    post_levels: tuple[str, ...]  # head a post as a level word does, though no level of ours ("自治区")
    organs: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    group_suffixes: tuple[str, ...]
    work_group_suffixes: tuple[str, ...]  # of groups named for the one work they do
    lead_verbs: tuple[str, ...]
    measure_verbs: tuple[str, ...]
    adverbs: tuple[str, ...]
    report_verbs: tuple[str, ...]  # end a clause that only says who speaks ("…负责人介绍")
    problem_markers: tuple[str, ...]
    problem_strips: tuple[str, ...]
    problem_contexts: tuple[str, ...]
    project_heads: tuple[tuple[str, bool, bool], ...]  # (head, needs a lead verb, names a project in any clause)
    name_suffixes: tuple[str, ...]
    trailing: str  # characters trimmed from the edges of units, problems, measures
    collectives: tuple[str, ...]  # open a unit standing for all units of a level ("各区")
    collective_heads: tuple[str, ...]  # end a name for several units ("国务院相关部门")
    conjunctions: tuple[str, ...]  # join two units of a list ("甲和乙")
    level_marks: str  # follow a level word in a collective ("省级", "市直")
    addressees: tuple[str, ...]  # words of a notice's salutation, not of a label ("各直属机构：")
    name_stopwords: frozenset[str]
    numerals: tuple[tuple[str, int, bool], ...]  # (character, value, is a unit like 十)
    boundaries: str  # characters that may stand just before a post
    surnames: str  # characters that begin a name
    unit_aliases: tuple[tuple[str, str], ...]  # (short form, full form), longest short form first
    place_suffixes: tuple[tuple[str, str], ...]  # (word ending a place name, its level label or "")

    def level(self, label: str) -> Level | None:
        return self._levels_by_label.get(label)

    @cached_property
    def unit_ends(self) -> tuple[str, ...]:
        """What ends the name of a unit or a group ("局", "委员会", "领导小组"), longest first."""
        return tuple(sorted({*self.unit_suffixes, *self.group_suffixes}, key=lambda w: (-len(w), w)))

    @cached_property
    def _levels_by_label(self) -> dict[str, Level]:
        by_label: dict[str, Level] = {}
        for lv in self.levels:
            by_label.setdefault(lv.label, lv)  # the first, as a scan of ``levels`` would find
        return by_label

    @cached_property
    def place_suffix_organs(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each place suffix, in ``place_suffixes`` order, with the words it makes heading an organ
        ("区" → "区委", "区政府", …)."""
        return tuple((suffix, tuple(suffix + organ for organ in self.organs)) for suffix, _ in self.place_suffixes)

    def canonical_unit(self, name: str) -> str:
        """A unit's full name: "区发改局" → "区发展和改革局" (the longest alias it ends with)."""
        for alias, full in self.unit_aliases:
            if name.endswith(alias):
                return name[: -len(alias)] + full
        return name

    def parse_count(self, text: str) -> int | None:
        """A count as written — "28", "２８", "两", "十二", "二十八" — or None if it is not one."""
        text = text.strip()
        if text.isdecimal():
            return int(text)  # isdecimal is what int() accepts: full-width digits, not ① or ²
        values = {ch: (value, unit) for ch, value, unit in self.numerals}
        if not text or any(ch not in values for ch in text):
            return None
        total, current = 0, 0
        for ch in text:
            value, unit = values[ch]
            if unit:
                total += (current or 1) * value
                current = 0
            else:
                current = value
        return total + current

    @cached_property
    def _post_level(self) -> str:
        """What heads a post as its level: a level word, or a word for the same tier of an
        autonomous area ("自治区党委书记", "旗委副书记")."""
        words = sorted({*(lv.label for lv in self.levels), *self.post_levels}, key=lambda w: (-len(w), w))
        return "(?:" + "|".join(map(re.escape, words)) + ")"

    @cached_property
    def post_pattern(self) -> re.Pattern:
        """A post: "区长", "区委书记", "县人大常委会主任", "县科技局局长", "纪工委书记".

        It must start where a post can start: after a non-Chinese character or a boundary word.
        """
        alt = lambda words: "(?:" + "|".join(map(re.escape, words)) + ")"  # noqa: E731
        level, organ, title = self._post_level, alt(self.organs), alt(self.titles)
        unit = alt((*self.unit_suffixes, *self.group_suffixes))
        han = HAN_CLASS
        quoted = f"“{han}{{1,10}}”"
        body = "|".join(
            (
                f"{level}{organ}+{title}",
                # "县政府常务副县长": a complete post after its government.
                f"{level}{organ}+{alt(self.full_posts)}",
                # "省生态环境厅党组成员", "市科技局党组书记": an organ of the unit before the title.
                # "区“双创”工作领导小组组长": a group's name may quote its work.
                f"{level}(?:{han}|{quoted}){{0,20}}?{unit}{organ}?{title}",
                f"{organ}{title}",
                # "政府副县长某某", "政府县长某某" (河北 魏县, 黑龙江 嫩江): a complete post after its
                # organ, the level left out.
                f"{organ}{alt(self.full_posts)}",
                alt(self.full_posts),
                # In a chain, after "、", a unit's post needs no level word:
                # "党工委副书记、全面深化改革小组办公室主任". find_officials checks the chain.
                f"(?<=、)(?P<chained>(?:{han}|{quoted}){{1,14}}?{unit}{title})",
                # "省生态环境厅党组成员、副厅长": a bare title continues a chain.
                f"(?<=、)(?P<bare>{title})",
            )
        )
        start = f"(?:^|(?<=[^{han[1:-1]}])|(?<=[{re.escape(self.boundaries)}]))"
        return re.compile(f"{start}(?:{body})")

    @cached_property
    def named_post_pattern(self) -> re.Pattern:
        """A complete post written after the name of who holds it: "某某某副县长主持", "某某总书记"
        (``post``; whether the characters before it are a name is for the tagger to say)."""
        words = sorted(self.full_posts, key=lambda w: (-len(w), w))
        return re.compile(f"(?<={HAN_CLASS})(?P<post>{'|'.join(map(re.escape, words))})")

    @cached_property
    def town_post_pattern(self) -> re.Pattern:
        """A complete post after the small place it serves: "某某镇副镇长" (the whole is the post)."""
        words = sorted(self.full_posts, key=lambda w: (-len(w), w))
        return re.compile(f"{HAN_CLASS}{{1,3}}?{self._post_level}(?:{'|'.join(map(re.escape, words))})")

    @cached_property
    def placed_post_pattern(self) -> re.Pattern:
        """A post headed by a level word with a place name before it: "岳阳市委书记", "坪山区委
        书记" (``place`` and ``post``). Whether ``place`` is a place is for the tagger to say."""
        alt = lambda words: "(?:" + "|".join(map(re.escape, words)) + ")"  # noqa: E731
        level, organ, title = self._post_level, alt(self.organs), alt(self.titles)
        unit = alt((*self.unit_suffixes, *self.group_suffixes))
        han = HAN_CLASS
        start = f"(?:^|(?<=[^{han[1:-1]}])|(?<=[{re.escape(self.boundaries)}]))"
        # A place is two or three characters, or up to five before the tier of an autonomous area,
        # which names its people ("宁夏回族自治区主席", "新疆维吾尔自治区党委书记").
        autonomous = alt(self.post_levels)
        # Higher places may be named first: "辽宁省葫芦岛市政府副市长", "广东省深圳市坪山区委书记".
        higher = alt(lv.label for lv in self.levels if lv.rank in HIGHER_PLACE_RANKS)
        before = f"(?:{han}{{2,3}}?{higher}){{0,2}}"
        # A place written whole, its level word and all, before the post it serves: "某某镇镇长"
        # (a 黑龙江 county's meeting), "怀化市副市长" (湖南 中方), "天津市常务副市长" (天津).
        town = f"(?<=[{''.join(self.level_ends)}]){alt(self.full_posts)}"
        return re.compile(
            f"{start}{before}(?P<place>{han}{{2,3}}?|{han}{{2,5}}?(?={autonomous})|{han}{{2,4}}?[{''.join(self.level_ends)}](?={alt(self.full_posts)}))"
            f"(?P<post>{level}{organ}+{title}|{level}{organ}+{alt(self.full_posts)}|{level}{han}{{1,14}}?{unit}{organ}?{title}|{alt(w for w in self.full_posts if w.startswith(self.post_levels))}|{town})"
        )

    @cached_property
    def level_ends(self) -> tuple[str, ...]:
        """The one-character level words a place's name ends with (市, 县, 镇, 乡 …)."""
        return tuple(sorted(lv.label for lv in self.levels if len(lv.label) == 1))

    @cached_property
    def project_head_words(self) -> tuple[str, ...]:
        """The words that end a project's name (改革, 机制, 试点 …), without their conditions."""
        return tuple(head for head, _, _ in self.project_heads)

    @cached_property
    def generic_works(self) -> tuple[str, ...]:
        """A lead verb and a project head: work that names reform as a whole ("深化改革")."""
        return tuple(verb + head for verb in self.lead_verbs for head, _, _ in self.project_heads)

    @cached_property
    def level_pattern(self) -> re.Pattern:
        return re.compile("|".join(re.escape(lv.label) for lv in self.levels))

    @cached_property
    def standalone_level_pattern(self) -> re.Pattern:
        """The level words that name their level standing alone (``level(word).standalone``)."""
        words = sorted({lv.label for lv in self.levels if self.level(lv.label).standalone}, key=lambda w: (-len(w), w))
        return re.compile("|".join(map(re.escape, words)) or "(?!)")

    @cached_property
    def tokenizer(self) -> PosTagger:
        """A private jieba tokenizer that knows our posts, groups and levels as words."""
        from .tagger import PosTagger, new_tokenizer  # loaded only where text is read

        jieba.setLogLevel(logging.WARNING)
        base = new_tokenizer()
        for word in (*self.full_posts, *(lv.label for lv in self.levels if len(lv.label) > 1)):
            base.add_word(word, WORD_FREQUENCY, "lex")
        return PosTagger(base)


# Columns that must hold whole numbers.
INTEGER_COLUMNS = {("levels.tsv", "rank"), ("numerals.tsv", "value")}


def read_table(name: str, directory: Path = LEXICON_DIR) -> list[dict[str, str]]:
    """Read one TSV lexicon file; ``#`` lines are comments; validate columns and values.

    Messages give the line number in the file, comments counted.
    """
    path = directory / name
    try:
        numbered = [(n, ln) for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if ln.strip() and not ln.startswith("#")]
    except OSError as exc:
        raise RuleFileError(f"cannot read lexicon file: {exc.strerror}", str(path)) from None
    rows = list(csv.DictReader([ln for _, ln in numbered], delimiter="\t", quoting=csv.QUOTE_NONE))
    header = tuple(rows[0].keys()) if rows else ()
    missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in header]
    if missing:
        raise RuleFileError(f"missing column(s) {', '.join(missing)}; the file needs {', '.join(REQUIRED_COLUMNS[name])}", str(path))
    for (lineno, _), row in zip(numbered[1:], rows):
        for (file, column), allowed in ALLOWED_VALUES.items():
            if file == name and row[column] not in allowed:
                raise RuleFileError(f"line {lineno}: {column}={row[column]!r}; valid values: {', '.join(allowed)}", str(path))
        for file, column in INTEGER_COLUMNS:
            if file == name and not (row[column] or "").isdecimal():
                raise RuleFileError(f"line {lineno}: {column}={row[column]!r}; it must be a whole number", str(path))
    return rows


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Load and validate every lexicon file in ``directory``."""
    levels = tuple(
        Level(r["label"], r["key"], int(r["rank"]), r["en"], r["standalone"] == "yes")
        for r in read_table("levels.tsv", directory)
    )
    posts = read_table("posts.tsv", directory)
    verbs = read_table("verbs.tsv", directory)
    problems = read_table("problems.tsv", directory)
    affixes = read_table("affixes.tsv", directory)
    return Lexicon(
        levels=tuple(sorted(levels, key=lambda lv: (-len(lv.label), lv.label))),
        titles=_longest_first(r["word"] for r in posts if r["kind"] == "title"),
        full_posts=_longest_first(r["word"] for r in posts if r["kind"] == "full"),
        post_levels=_longest_first(r["word"] for r in posts if r["kind"] == "level"),
        organs=_longest_first(r["word"] for r in read_table("organs.tsv", directory)),
        unit_suffixes=_longest_first(r["suffix"] for r in read_table("units.tsv", directory)),
        group_suffixes=_longest_first(r["suffix"] for r in read_table("groups.tsv", directory)),
        work_group_suffixes=_longest_first(r["suffix"] for r in read_table("groups.tsv", directory) if r["names"] == "work"),
        lead_verbs=_longest_first(r["word"] for r in verbs if r["role"] in ("lead", "both")),
        measure_verbs=_longest_first(r["word"] for r in verbs if r["role"] in ("measure", "both")),
        adverbs=_longest_first(r["word"] for r in verbs if r["role"] == "adverb"),
        report_verbs=_longest_first(r["word"] for r in verbs if r["role"] == "report"),
        problem_markers=_longest_first(r["word"] for r in problems if r["kind"] == "marker"),
        problem_strips=_longest_first(r["word"] for r in problems if r["kind"] == "strip"),
        problem_contexts=_longest_first(r["word"] for r in problems if r["kind"] == "context"),
        project_heads=tuple(
            sorted(
                ((r["head"], r["needs_verb"] == "yes", r["any_clause"] == "yes") for r in read_table("projects.tsv", directory)),
                key=lambda h: (-len(h[0]), h[0]),
            )
        ),
        name_suffixes=_longest_first(r["word"] for r in affixes if r["kind"] == "name_suffix"),
        trailing="".join(r["word"] for r in affixes if r["kind"] == "trailing"),
        collectives=_longest_first(r["word"] for r in affixes if r["kind"] == "collective"),
        collective_heads=_longest_first(r["word"] for r in affixes if r["kind"] == "collective_head"),
        conjunctions=_longest_first(r["word"] for r in affixes if r["kind"] == "conjunction"),
        level_marks="".join(r["word"] for r in affixes if r["kind"] == "level_mark"),
        addressees=_longest_first(r["word"] for r in affixes if r["kind"] == "addressee"),
        name_stopwords=frozenset(r["word"] for r in read_table("stopwords.tsv", directory)),
        numerals=tuple((r["char"], int(r["value"]), r["kind"] == "unit") for r in read_table("numerals.tsv", directory)),
        boundaries="".join(r["char"] for r in read_table("boundaries.tsv", directory)),
        surnames="".join(r["char"] for r in read_table("surnames.tsv", directory)),
        unit_aliases=tuple(
            sorted(((r["alias"], r["full"]) for r in read_table("unit_aliases.tsv", directory) ), key=lambda a: (-len(a[0]), a[0]))
        ),
        place_suffixes=_place_suffixes(read_table("places.tsv", directory), levels, directory),
    )


def _place_suffixes(rows: list[dict[str, str]], levels: tuple[Level, ...], directory: Path) -> tuple[tuple[str, str], ...]:
    """(suffix, level label) pairs, longest suffix first; each level must be a label of levels.tsv
    (a check across two files, so it cannot be an ALLOWED_VALUES entry)."""
    labels = sorted(lv.label for lv in levels)
    for row in rows:
        if row["level"] and row["level"] not in labels:
            raise RuleFileError(
                f"suffix {row['suffix']!r}: level={row['level']!r}; valid levels (levels.tsv labels, or empty): {', '.join(labels)}",
                str(directory / "places.tsv"),
            )
    return tuple(sorted({(r["suffix"], r["level"]) for r in rows}, key=lambda p: (-len(p[0]), p[0])))

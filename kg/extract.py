"""Rule strategies applied to a document's segments → mentions, facts and stated figures.

Every rule here is generic: its words come from the genre file (kg/genres/) and the lexicon
(kg/lexicon/). Each fact carries the sentence that states it and the name of the rule.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_right
from datetime import date
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from difflib import SequenceMatcher

import jieba

from .lexicon import HAN_CLASS, Lexicon
from .model import Cell, Cue, Entity, Extraction, Fact, Mention, Segment, SourceDocument, Span, StatedFigure, Value
from .brackets import parse_bracket
from .rules import Rules
from .segment import split_clauses, split_sentences, split_span, sub_span
from .tables import LEAD_MARKS, PIPE

# White space next to a Chinese character inside a name: a line end the layout copy joined.
CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")
# Characters that wrap or separate names but are not part of them.
QUOTES = "“”‘’\"'「」『』《》"
OPENING_BRACKETS = "（(［[【〔"
CLOSING_BRACKETS = "）)］]】〕"
OPENING_BRACKET = re.compile(f"[{re.escape(OPENING_BRACKETS)}]")
CLAUSE_PUNCTUATION = "，,。；;：: "
LIST_SEPARATORS = "、，,"
_NO_QUOTES = str.maketrans("", "", QUOTES)
# A prose sentence that repeats this much of an item's text speaks of that item.
MIN_SHARED_CHARS = 20
# Items are indexed by stretches of SHINGLE_CHARS characters every SHINGLE_STEP characters: any
# MIN_SHARED_CHARS characters hold one (SHINGLE_CHARS + SHINGLE_STEP - 1 == MIN_SHARED_CHARS).
SHINGLE_STEP = 5
SHINGLE_CHARS = MIN_SHARED_CHARS - SHINGLE_STEP + 1
# A numbered item whose name is shorter than this is no project.
MIN_ITEM_NAME_CHARS = 3
# A name this short that ends like a unit or a place ("金寨县", "市民政局"), with nothing more
# said, names no task.
MAX_PLACE_NAME_CHARS = 6
# Project names in prose are at least this long and at most this long (characters).
PROJECT_NAME_CHARS = (4, 40)
# A reform a report lists may be shorter ("河长制"): the list says it is one.
WORK_NAME_CHARS = (3, 40)
HAN = re.compile(HAN_CLASS)
# The runs of Chinese, letters and digits that jieba.Tokenizer.cut cuts each by itself.
JIEBA_BLOCK = jieba.re_han_default
# jieba tags of a lone character that can end a three-character name it cut short: a numeral
# (日), a noun (电), an adjective — not an adverb (则), a preposition (在) or a particle (等).
NAME_CHARACTER_FLAGS = frozenset({"m", "n", "a", "ng", "nr", "ag"})
# jieba tags of proper nouns that may be a name it did not know (see _person_after).
PROPER_NOUN_FLAGS = frozenset({"ns", "nz", "nt"})
# Two to four Chinese characters right before punctuation or the end: a whole name.
# A name followed by the honorific a speakers' list or a notice gives it: "符革先生", "韩燕女士",
# "竞中梅同志" (海南, 吐鲁番 and other notices).
HONOURED_NAME = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:先生|女士|同志)")
NAME_BEFORE_PUNCTUATION = re.compile(f"({HAN_CLASS}{{2,4}})(?:[^\\w]|$)")
# A name written in transliteration, its parts joined by a middle dot ("艾尔肯·吐尼亚孜", "阿孜古力•阿不都拉"
# in 新疆 and 湖南 reports): the tagger reads only its first part.
JOINED_NAME = re.compile(f"{HAN_CLASS}{{1,8}}[·•・‧]{HAN_CLASS}{{1,10}}")
# A document's own year is read from this many characters at its start.
DOCUMENT_YEAR_CHARS = 300
# Table columns that carry fields, in the order their facts are made.
FIELD_ROLES = ("lead", "leadUnit", "unit", "supportUnit", "deadline")


def normalize_key(text: str) -> str:
    """The identity of a name: NFKC, no white space, no quote marks."""
    # split() cuts at exactly the characters isspace() is true of
    return "".join(unicodedata.normalize("NFKC", text).translate(_NO_QUOTES).split())


def trim_span(span: Span, chars: str) -> Span:
    """Drop leading and trailing ``chars`` (and white space) from a span."""
    text = span.text
    left = len(text) - len(text.lstrip(chars + " \t"))
    right = len(text.rstrip(chars + " \t"))
    return Span(span.start + left, span.start + right, text[left:right]) if right > left else Span(span.start, span.start, "")


def strip_words(text: str, words: tuple[str, ...], keep: int = 1, verbs: tuple[str, ...] = ()) -> str:
    """Drop any of ``words`` from the start of ``text``, again and again, while at least ``keep``
    characters would remain ("还将探索建立…" → "…"). A one-character word goes only where another
    of ``words`` or one of ``verbs`` follows it: "要深化…" loses 要, "要素配置改革" keeps it."""
    words_or_verbs = (*words, *verbs)
    stripped = True
    while stripped and text.startswith(words):
        stripped = False
        for word in words:
            rest = text[len(word) :]
            if not text.startswith(word) or len(rest) < keep:
                continue
            if len(word) == 1 and not rest.startswith(words_or_verbs):
                continue
            text, stripped = rest, True
            break
    return text


def project_key(name: str, lexicon: Lexicon) -> str:
    """A project's identity: its name without opening adverbs/verbs and a closing 项目.

    So "深化某某体制改革" in a list and "某某体制改革" in prose are one project.
    """
    key = strip_words(normalize_key(name), (*lexicon.adverbs, *lexicon.lead_verbs), keep=PROJECT_NAME_CHARS[0])
    for suffix in lexicon.name_suffixes:
        if key.endswith(suffix) and len(key) - len(suffix) >= PROJECT_NAME_CHARS[0]:
            return key[: -len(suffix)]
    return key


@dataclass
class _Collector:
    """What one document's rules found so far. Local to one ``extract_records`` call."""

    document: SourceDocument
    rules: Rules
    lexicon: Lexicon
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    figures: list[StatedFigure] = field(default_factory=list)
    used: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year: int | None = None  # the document's own year, for deadlines that leave it out
    first_leads: bool = False  # the document says the first unit of each bracket leads

    # The cell whose joined text the rules are reading, while they read it (see ``cell``).
    reading: "Cell | None" = None

    @contextmanager
    def cell(self, cell: "Cell"):
        """Within this block, spans the rules find are in ``cell``'s joined text when it runs over
        several pieces; mentions map them back to the document."""
        self.reading = cell if len(cell.pieces) > 1 else None
        try:
            yield
        finally:
            self.reading = None

    def entity(self, kind: str, label: str, key: str | None = None) -> Entity:
        # A name read across a joined line end ("区发展 改革局") is written without the space.
        label = CJK_SPACE.sub("", label)
        return Entity(kind, key if key is not None else normalize_key(label), label)

    def mention(self, entity: Entity, sentence: Span, exact: Span) -> Entity:
        written = ""
        if self.reading is not None:
            written, exact = exact.text, _to_document(self, self.reading, exact)
        self.mentions.append(Mention(entity, sentence, exact, written))
        self.used.append(exact)
        return entity

    def fact(self, subject: Entity, predicate: str, obj, evidence: Span | tuple[Span, ...], rule: str) -> None:
        spans = evidence if isinstance(evidence, tuple) else (evidence,)
        self.facts.append(Fact(subject, predicate, obj, spans, rule))
        self.used.extend(spans)


# --- officials ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Official:
    posts: tuple[Span, ...]  # a chain such as 县委书记、县人大常委会主任
    person: Span | None


# How far before a post a name written first is looked for.
NAME_WINDOW = 6


def _person_after(span: Span, at: int, lexicon: Lexicon) -> Span | None:
    """The name right after a post, as jieba tags it (nr), e.g. "张三" in "区委书记张三亲自…"."""
    rest = span.text[at - span.start : at - span.start + 8]
    if not rest or not HAN.match(rest):  # no name follows: tagging would not find one
        return None
    joined = JOINED_NAME.match(span.text, at - span.start)
    if joined:
        # The last part runs up to a word no name holds ("…吐尼亚孜主持会议").
        name = joined.group()
        dot = re.search("[·•・‧]", name).end()
        cut = min((i for w in lexicon.name_stopwords if (i := name.find(w, dot + 2)) >= 0), default=len(name))
        return Span(at, at + cut, name[:cut])
    tokens = list(lexicon.tokenizer.cut(rest))
    if tokens[0].word in lexicon.name_stopwords:
        return None
    long_name = _four_character_name(rest, tokens, lexicon)
    if long_name:
        return Span(at, at + len(long_name), long_name)
    first = tokens[0]
    # jieba tags some names as places or other proper nouns ("区委书记沈东主持": 沈东 ns); right
    # after a post, a proper noun of two or three characters is a name unless it ends like a
    # place ("某某区").
    proper = (
        first.flag in PROPER_NOUN_FLAGS
        and len(first.word) in (2, 3)
        and not first.word.endswith(tuple(suffix for suffix, _ in lexicon.place_suffixes))
    )
    # "钱志强": jieba reads a surname that is also a word (钱, money) apart from a given name it
    # tags as one (志强 nrfg).
    surname = len(first.word) == 1 and HAN.fullmatch(first.word) is not None and len(tokens) > 1 and tokens[1].flag in ("nr", "nrfg") and len(tokens[1].word) <= 2
    if not first.flag.startswith("nr") and not proper and not surname:
        # "副厅长符革先生": a name the tagger does not know, said to be one by its honorific.
        honoured = HONOURED_NAME.match(rest)
        if honoured:
            return Span(at, at + len(honoured.group(1)), honoured.group(1))
        return _surnamed(rest, at, lexicon)
    name = first.word
    if len(name) == 1 and len(tokens) > 1:
        nxt = tokens[1]
        if len(nxt.word) <= 2 and all(HAN.fullmatch(c) for c in nxt.word) and nxt.word not in lexicon.name_stopwords:
            name += nxt.word
    whole = NAME_BEFORE_PUNCTUATION.match(rest)
    if whole and len(name) == 2 and len(whole.group(1)) == 3:
        # "常务副县长王兴电，…": jieba cuts 王兴/电, but a name that runs up to punctuation is whole.
        name = whole.group(1)
    elif len(name) == 2 and len(tokens) > 2 and _third_character(tokens[1], tokens[2], lexicon):
        # "县委办公室主任陈新日安排部署…": jieba cuts 陈新/日/安排; a lone character between a
        # two-character name and a verb is the name's third character.
        name += tokens[1].word
    if not 2 <= len(name) <= 4 or not all(HAN.fullmatch(c) for c in name):
        return None
    return Span(at, at + len(name), name)


def _four_character_name(rest: str, tokens: list, lexicon: Lexicon) -> str | None:
    """A name of four characters, as Tibetan and Mongolian names are written in Chinese
    ("县委书记格桑多吉主持", "常务副县长扎西闹吾、副县长…"): it runs up to a word no name holds, or
    to the "、" before the next post, and the tagger reads a name in it, or a proper noun first."""
    name, after = rest[:4], rest[4:]
    if len(name) < 4 or not all(HAN.fullmatch(ch) for ch in name) or any(w in name for w in lexicon.name_stopwords):
        return None
    stops = after.startswith(tuple(w for w in lexicon.name_stopwords if len(w) > 1))
    listed = after.startswith("、") and lexicon.post_pattern.match(after, 1) is not None
    if not (stops or listed):
        return None
    at, named = 0, False
    for token in tokens:
        if at >= len(name):
            break
        named = named or token.flag.startswith("nr") or (at == 0 and token.flag in PROPER_NOUN_FLAGS)
        at += len(token.word)
    return name if named and at == len(name) else None


def _surnamed(rest: str, at: int, lexicon: Lexicon) -> Span | None:
    """A name the tagger cuts apart, read from its surname: "张社教出席" (张 | 社教), "黄金盛主持"
    (黄金 | 盛). The given name is one or two characters up to punctuation, or up to a verb."""
    if not rest or rest[0] not in lexicon.surnames:
        return None
    whole = NAME_BEFORE_PUNCTUATION.match(rest)
    if whole and 2 <= len(whole.group(1)) <= 3:
        name = whole.group(1)
    else:
        # The given name runs to the first verb or preposition the tagger reads ("汪洋在会上强调"),
        # or is two characters before a word of its own ("主持会议").
        tokens = list(lexicon.tokenizer.cut(rest[1:]))
        given, k = "", 0
        while k < len(tokens) and len(given) < 2 and not tokens[k].flag.startswith(("v", "p")) and HAN.fullmatch(tokens[k].word[0]):
            given += tokens[k].word
            k += 1
        after = tokens[k] if k < len(tokens) else None
        if not 1 <= len(given) <= 2 or after is None or not (after.flag.startswith(("v", "p")) or (len(given) == 2 and len(after.word) >= 2)):
            return None
        name = rest[0] + given
    if not all(HAN.fullmatch(ch) for ch in name) or any(word in name for word in lexicon.name_stopwords):
        return None
    return Span(at, at + len(name), name)


def _third_character(lone, after, lexicon: Lexicon) -> bool:
    return (
        len(lone.word) == 1
        and HAN.fullmatch(lone.word) is not None
        and lone.flag in NAME_CHARACTER_FLAGS
        and lone.word not in lexicon.name_stopwords
        and len(after.word) >= 2
        and after.flag.startswith("v")
    )


def _post_matches(text: str, lexicon: Lexicon) -> list[re.Match]:
    """The posts of a text in order, with those a place name heads ("岳阳市委书记": the post
    市委书记) where the tagger reads the place as one."""
    matches = list(lexicon.post_pattern.finditer(text))
    for placed in lexicon.placed_post_pattern.finditer(text):
        if any(m.start() < placed.end("post") and placed.start() < m.end() for m in matches):
            continue
        # The place's last word is tagged a place ("岳阳", "龙子|湖", "涔|南镇"): a small place is
        # seldom one word to the tagger, but its last character names what it is.
        # Tagged with the places named before it, whose words it may share ("长治市").
        words, at, end = [], 0, placed.end("place") - placed.start()
        for word in lexicon.tokenizer.cut(text[placed.start() : placed.end("post")]):
            if at < end:
                words.append(word)
            at += len(word.word)
        # After a place the tagger reads ("山西省"), the next name before a level is a place too,
        # though the tagger reads it as a word ("长治").
        higher = placed.start("place") > placed.start() and words[0].flag == "ns" and len(words[0].word) < end
        # A place written whole before a post ("某某镇镇长") says what it is by its level word;
        # "各区区长" is every district's head, a collective.
        place = placed.group("place")
        whole = place.endswith(lexicon.level_ends) and not place.startswith(lexicon.collectives) and text.startswith(lexicon.full_posts, placed.start("post"))
        if words and (words[-1].flag == "ns" or higher or whole):
            matches.append(placed)
    return sorted(matches, key=lambda m: m.start())


def find_officials(span: Span, lexicon: Lexicon) -> list[_Official]:
    """Posts and the person holding them: "区委书记张三", "县委书记、县人大常委会主任李四"."""
    officials, chain = [], []
    for match in _post_matches(span.text, lexicon):
        if (match.groupdict().get("chained") or match.groupdict().get("bare")) and not chain:
            continue  # a unit's post without a level word only continues a chain
        group = "post" if "post" in match.groupdict() else 0
        start, end = span.start + match.start(group), span.start + match.end(group)
        post = Span(start, end, match.group(group))
        # A chain continues when only "、" separates this post from the previous one.
        if chain and span.text[chain[-1].end - span.start : start - span.start] not in ("、", "，"):
            officials.append(_Official(tuple(chain), None))
            chain = []
        chain.append(post)
        person = _person_after(span, end, lexicon)
        if person:
            officials.append(_Official(tuple(chain), person))
            # "副区长甲、乙、丙出席": names listed after one post all hold it.
            while span.text[person.end - span.start : person.end - span.start + 1] == "、" and not lexicon.post_pattern.match(span.text, person.end - span.start + 1):
                person = _person_after(span, person.end + 1, lexicon)
                if person is None:
                    break
                officials.append(_Official(tuple(chain), person))
            chain = []
    if chain:
        officials.append(_Official(tuple(chain), None))
    return officials + _named_first(span, officials, lexicon)


def _named_first(span: Span, found: list[_Official], lexicon: Lexicon) -> list[_Official]:
    """Officials written name first, as news and tables write them: "某某某副县长主持召开…",
    "某某总书记关于…". The name is what the tagger reads as one right before the post."""
    officials = []
    taken = [(p.start, p.end) for official in found for p in (*official.posts, *((official.person,) if official.person else ()))]
    for match in lexicon.named_post_pattern.finditer(span.text):
        start, end = span.start + match.start("post"), span.start + match.end("post")
        if any(a < end and start < b for a, b in taken):
            continue
        before = span.text[max(0, match.start() - NAME_WINDOW) : match.start()]
        tokens = list(lexicon.tokenizer.cut(before))
        name = tokens[-1] if tokens else None
        if name is None or not name.flag.startswith("nr") or not 2 <= len(name.word) <= 3 or not HAN.fullmatch(name.word[0]):
            continue
        # "某镇长安村": the post's characters may begin a place ("镇" closing one, "长安村" the next).
        after = list(lexicon.tokenizer.cut(span.text[match.start("post") : match.end("post") + NAME_WINDOW]))
        if after[0].word != match.group("post") or (len(after) > 1 and after[1].flag == "ns"):
            continue
        person = Span(start - len(name.word), start, name.word)
        officials.append(_Official((Span(start, end, match.group("post")),), person))
        taken.append((person.start, end))
    return officials


def _group_roles(c: _Collector, sentence: Span, project: Entity | None) -> None:
    """Who a sentence makes a group's head or deputy ("由市安监局局长某某任组长", "某某、某某任副
    组长"): each name written before 任, after the previous role, holds the role; the head of
    the group an item names (``project``) leads the item, with the posts written with the name."""
    officials = None
    last = sentence.start
    for pattern in c.rules.patterns["group_role"]:
        for match in pattern.finditer(sentence.text):
            if officials is None:
                officials = [o for o in find_officials(sentence, c.lexicon) if o.person is not None]
            at = sentence.start + match.start()
            named = [o for o in officials if last <= o.person.start and o.person.end <= at]
            if not named:
                named = [_Official((), person) for person in _names_before(sentence, at, c.lexicon)]
            role = Span(sentence.start + match.start("role"), sentence.start + match.end("role"), match.group("role"))
            head = project if match.group("deputy") is None else None
            for official in named:
                _add_official(c, _Official((*official.posts, role) if head else (role,), official.person), sentence, "group-role", head)
            last = sentence.start + match.end()


def _names_before(span: Span, at: int, lexicon: Lexicon) -> list[Span]:
    """The names written right before ``at``, one or a list of them ("甲某、乙某"), as the tagger
    reads them (nr, two or three characters)."""
    names: list[Span] = []
    end = at
    while True:
        before = span.text[max(0, end - span.start - NAME_WINDOW) : end - span.start]
        tokens = list(lexicon.tokenizer.cut(before)) if before else []
        if not tokens or not tokens[-1].flag.startswith("nr") or not 2 <= len(tokens[-1].word) <= 3:
            break
        names.insert(0, Span(end - len(tokens[-1].word), end, tokens[-1].word))
        end -= len(tokens[-1].word)
        if span.text[end - span.start - 1 : end - span.start] != "、":
            break
        end -= 1
    return names


def _add_official(c: _Collector, official: _Official, sentence: Span | tuple[Span, ...], rule: str, project: Entity | None = None) -> None:
    where = _first(sentence)
    # "张 三": spaces that pad a name in a table are not part of it.
    person = c.mention(c.entity("person", re.sub(r"\s+", "", official.person.text)), where, official.person) if official.person else None
    for post_span in official.posts:
        post = c.mention(c.entity("post", post_span.text), where, post_span)
        if person:
            c.fact(person, "holdsPost", post, sentence, rule)
        if project:
            c.fact(project, "leadPost", post, sentence, rule)
    if project and person:
        c.fact(project, "leadPerson", person, sentence, rule)


# --- fields: in titles, parentheses, lines of their own, table cells -----------------------


def _field_values(span: Span, rules: Rules) -> tuple[Span, list[tuple[str, Span]]]:
    """Split "名称牵头区领导:区委书记某某;牵头单位:区发改局" into the name and (field, value) pairs."""
    # A cue counts only with its colon: "各项目牵头单位对项目…负总责" names no field.
    cues = list(rules.field_cue.finditer(span.text))
    if not cues:
        return span, []
    name = sub_span(span, span.start, span.start + cues[0].start())
    pairs = []
    for i, cue in enumerate(cues):
        end = cues[i + 1].start() if i + 1 < len(cues) else len(span.text)
        # A value ends with its sentence: "牵头单位：市民政局。其中，高龄津贴发放进度较慢的为…".
        full_stop = span.text.find("。", cue.end(), end)
        end = full_stop if full_stop >= 0 else end
        value = trim_span(sub_span(span, span.start + cue.end(), span.start + end), ";；,，。 ")
        field = rules.field_of(cue.group())
        if value.text and field:
            pairs.append((field, value))
    return name, pairs


def split_list(span: Span, separators: str) -> list[Span]:
    """Split a list of units or names on ``separators``, never inside parentheses:
    "各县(市、区)政府、市财政局" → "各县(市、区)政府", "市财政局"."""
    pieces, begin, depth = [], 0, 0
    for i, ch in enumerate(span.text):
        if ch in OPENING_BRACKETS:
            depth += 1
        elif ch in CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif ch in separators and depth == 0:
            pieces.append(sub_span(span, span.start + begin, span.start + i))
            begin = i + 1
    pieces.append(sub_span(span, span.start + begin, span.end))
    return [p for p in pieces if p.text]


def find_field_regions(span: Span, rules: Rules, first_leads: bool = False) -> list[tuple[Span, list[tuple[str, Span]]]]:
    """Parentheses that hold fields, and their (field, value) pairs.

    "（牵头单位：甲，配合单位：乙、丙）", "[牵头单位:甲;责任单位:乙]" by their cues; "（甲牵头，乙按职责
    分工负责）", "（甲负责）", "（民政局）" by the bracket grammar (kg.brackets), the first unit
    leading where the document says so (``first_leads``); then any ``unit_paren`` patterns a genre adds.
    """
    regions: list[tuple[Span, list[tuple[str, Span]]]] = []
    text = span.text
    for opening in OPENING_BRACKET.finditer(text):
        i = opening.start()
        depth, j = 0, i
        while j < len(text):
            if text[j] in OPENING_BRACKETS:
                depth += 1
            elif text[j] in CLOSING_BRACKETS:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if any(r.start <= span.start + i < r.end for r, _ in regions):
            continue
        # A parenthesis left open (a text cut short) runs to the end.
        j = min(j, len(text) - 1)
        inside = sub_span(span, span.start + i + 1, span.start + j + (text[j] not in CLOSING_BRACKETS))
        if rules.field_cue.search(inside.text):
            regions.append((Span(span.start + i, span.start + j + 1, text[i : j + 1]), _field_values(inside, rules)[1]))
    for match, parts in rules.find_brackets(text, first_leads):
        region = Span(span.start + match.start(), span.start + match.end(), match.group())
        if any(r.start < region.end and region.start < r.end for r, _ in regions):
            continue
        # Units alone in a bracket inside a labelled list are part of a unit's name:
        # "责任单位：…，各县(市、区)政府(管委会)".
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not any(part.said for part in parts) and rules.field_cue.search(text, line_start, match.start()):
            continue
        origin = span.start + match.start("inside")
        regions.append((region, [(part.field, sub_span(span, origin + part.start, origin + part.end)) for part in parts]))
    for pattern in rules.patterns["unit_paren"]:
        for match in pattern.finditer(text):
            region = Span(span.start + match.start(), span.start + match.end(), match.group())
            if any(r.start < region.end and region.start < r.end for r, _ in regions):
                continue
            regions.append((region, _unit_pairs(span, match)))
    return sorted(regions, key=lambda r: r[0].start)


# "由甲会同乙、丙等部门研究提出落实意见": who answers, with whom, in a clause of prose.
TOGETHER = re.compile(r"^由(?P<lead>[^，,。；;：:]{2,40}?)会同(?P<support>[^，,。；;：:]{2,120}?)(?:等(?:有关|相关)?部门)?(?:共同)?(?:研究|负责|牵头|落实|办理)")
# A clause that says who does the task is short: "由某某副市长负责", "市发改委牵头".
MAX_RESPONSIBILITY_CLAUSE_CHARS = 40


def find_responsibility_clauses(c: _Collector, sentence: Span) -> tuple[Span, list[tuple[str, Span]]] | None:
    """Clauses of a sentence that say who does its task, read by the bracket grammar: a run
    that opens the sentence or a clause opening with 由 ("由某某副市长负责，市发改委牵头，相关部门
    配合，尽快完成…"; "关于…的问题，由甲会同乙等部门负责落实"). Returns the run and its (field,
    value) pairs, an official being the task's leader. Needed by 兰州, 湟中 and 国务院办公厅 papers."""
    clauses = split_span(sentence, c.rules.clause_seps)
    for k, clause in enumerate(clauses):
        text = clause.text.rstrip(c.rules.clause_seps)
        # "上述项目由区商务委牵头负责", "该项工作由甲局负责": who answers comes after 由.
        by = text.find("由")
        if k == 0 and by > 0 and not c.rules.brackets.is_unit(text[:by]):
            clause = sub_span(clause, clause.start + by, clause.end)
            clauses = [clause, *clauses[1:]]
            text = text[by:]
        if k and not text.startswith("由"):
            continue
        together = TOGETHER.match(text)
        if together:
            pairs = [("leadUnit", together.span("lead")), ("supportUnit", together.span("support"))]
            return clause, [(field, sub_span(clause, clause.start + a, clause.start + b)) for field, (a, b) in pairs]
        end, opening = None, None
        for following in clauses[k:]:
            words = following.text.rstrip(c.rules.clause_seps).removeprefix("由")
            # A label's value ("责任单位：甲局牵头") is read as a field, not here.
            plain = len(words) <= MAX_RESPONSIBILITY_CLAUSE_CHARS and not any(ch in words for ch in ":：")
            found = c.rules.brackets.verb_at_end(words) if plain else None
            if found is None or not found[1]:
                break
            end, opening = following.end, opening or found[1]
        # Without 由, the run must open with units: "市发改委牵头", not "全面落实".
        if end is None or not (text.startswith("由") or c.rules.brackets.is_unit(opening)):
            continue
        run = sub_span(sentence, clause.start, end)
        # 由 marks who answers; blanked, the run reads as a bracket's inside, offsets kept.
        inside = re.sub(r"(^|(?<=[，,；;]))由", " ", run.text)
        parts = parse_bracket(inside, c.rules.brackets, c.first_leads)
        if not parts or not any(p.said for p in parts):
            continue
        pairs = []
        for part in parts:
            value = sub_span(run, run.start + part.start, run.start + part.end)
            official = find_officials(value, c.lexicon) or _official_before(value, c.lexicon)
            pairs.append(("lead" if official else part.field, value))
        return run, pairs
    return None


def _lead_people(c: _Collector, value: Span) -> list[_Official]:
    """Officials in a lead field: "区委书记张三" by posts; without posts, bare names: "张三、李四",
    or names that run together where spaces pad each one ("张 三李 四" is 张三 and 李四)."""
    named = _name_with_posts(value, c.lexicon)
    if named:
        return [named]
    officials = find_officials(value, c.lexicon)
    if any(official.person for official in officials):
        return officials
    before = _official_before(value, c.lexicon)  # "某某常委、常务副区长": posts without a name after them
    if before or officials:
        return [before] if before else officials
    people = []
    for piece in (p for listed in split_list(value, c.rules.list_seps + "/／") for p in _spaced_names(listed)):
        compact = re.sub(r"\s+", "", piece.text)
        if not all(HAN.fullmatch(ch) for ch in compact) or compact in c.lexicon.name_stopwords:
            continue
        if 2 <= len(compact) <= 3 or (len(compact) == 4 and compact == piece.text):
            people.append(_Official((), piece))
        elif len(compact) % 2 == 0 and len(compact) >= 4 and compact != piece.text:
            # Padded two-character names: cut after every second character.
            chars = [i for i, ch in enumerate(piece.text) if not ch.isspace()]
            for k in range(0, len(chars), 2):
                a, b = chars[k], chars[k + 1]
                people.append(_Official((), Span(piece.start + a, piece.start + b + 1, piece.text[a : b + 1])))
    return people


# A name with the posts its holder holds in brackets after it: "某某某（县委常委、统战部部长）".
NAME_WITH_POSTS = re.compile(f"^((?:{JOINED_NAME.pattern}|{HAN_CLASS}{{2,4}}))[（(]([^（）()]+)[）)]$")


def _name_with_posts(value: Span, lexicon: Lexicon) -> _Official | None:
    """ "某某某（县委常委、统战部部长）" → the person and every post in the brackets, where each
    piece ends in a title or is a complete post."""
    match = NAME_WITH_POSTS.match(value.text.strip())
    if not match:
        return None
    at = value.start + value.text.index(match.group(2))
    pieces = split_span(Span(at, at + len(match.group(2)), match.group(2)), "、，,", keep_separator=False)
    titles = (*lexicon.titles, *lexicon.full_posts)
    if not pieces or not all(piece.text.endswith(titles) for piece in pieces):
        return None
    name = value.start + value.text.index(match.group(1))
    return _Official(tuple(pieces), Span(name, name + len(match.group(1)), match.group(1)))


def _spaced_names(piece: Span) -> list[Span]:
    """Names a space apart in a table cell, a two-character name padded to three ("耿 峰 彭开国" is
    耿峰 and 彭开国): runs of single characters pair up. A piece that is not so is itself."""
    parts = [Span(piece.start + m.start(), piece.start + m.end(), m.group()) for m in re.finditer(r"\S+", piece.text)]
    if len(parts) < 3 or not all(len(p.text) <= 3 for p in parts) or not any(len(p.text) > 1 for p in parts):
        return [piece]
    names, k = [], 0
    while k < len(parts):
        if len(parts[k].text) == 1:
            if k + 1 >= len(parts) or len(parts[k + 1].text) != 1:
                return [piece]
            names.append(Span(parts[k].start, parts[k + 1].end, piece.text[parts[k].start - piece.start : parts[k + 1].end - piece.start]))
            k += 2
        else:
            names.append(parts[k])
            k += 1
    return names


def _apply_fields(
    c: _Collector, project: Entity, pairs: list[tuple[str, Span]], evidence: Span | tuple[Span, ...], has_lead_unit: bool | None = None
) -> None:
    """Facts from (field, value) pairs. A "unit" is the lead unit unless a lead unit is named
    (in ``pairs``, or elsewhere in the item as ``has_lead_unit`` says)."""
    if has_lead_unit is None:
        has_lead_unit = any(name == "leadUnit" for name, _ in pairs)
    for name, value in pairs:
        if name == "lead":
            for official in _lead_people(c, value):
                _add_official(c, official, evidence, "field-lead", project)
        elif name in ("leadUnit", "supportUnit", "unit"):
            predicate = name if name != "unit" else ("supportUnit" if has_lead_unit else "leadUnit")
            for role, units in _units_by_role(c, name, predicate, value):
                for unit in units:
                    c.fact(project, role, c.mention(_unit(c, unit), _first(evidence), unit), evidence, f"field-{name}")
                    _add_collective_levels(c, project, unit, evidence)
        elif name == "deadline":
            _add_deadline(c, project, value, evidence, "field-deadline")


def _add_collective_levels(c: _Collector, project: Entity, unit: Span, evidence: Span | tuple[Span, ...]) -> None:
    """A collective unit names the levels it stands for: "各县（市、区）政府" → 县, 市, 区;
    "各省级人民政府" → 省; "市直各有关单位" → 市. A unit named by itself sets no level: 国家 in
    "国家发展改革委" is part of a name."""
    if c.lexicon.collectives[0] not in unit.text and not unit.text.startswith(c.lexicon.collectives):
        return
    offset = unit.start
    for token in c.lexicon.tokenizer.tokenizer.cut(unit.text, HMM=False):
        lead = next((len(w) for w in c.lexicon.collectives if token.startswith(w) and len(token) > len(w)), 0)  # "各县"
        word = token[lead:]
        word = word[:-1] if len(word) > 1 and word[-1] in c.lexicon.level_marks else word
        lv = c.lexicon.level(word)
        if lv is not None:
            where = Span(offset + lead, offset + lead + len(word), word)
            level = c.mention(c.entity("level", lv.label, lv.key), _first(evidence), where)
            c.fact(project, "involvesLevel", level, evidence, "collective-level")
        offset += len(token)


def _unit_list(c: _Collector, value: Span) -> list[Span]:
    """The units of a list: "甲、乙和丙", "各县、市、区政府" (one collective), a note in brackets
    after a unit ("市卫生健康委（除标注…外，列第一位为牵头单位，下同）") dropped."""
    units = []
    posts = (*c.lexicon.titles, *c.lexicon.full_posts)
    pieces = [part for piece in split_list(value, c.rules.list_seps) for spaced in _split_spaced_units(piece, c) for part in _split_glued_units(spaced, c)]
    for unit in _split_conjoined(_join_collectives(value, pieces, c.lexicon), c.lexicon):
        unit = _close_brackets(_drop_note(trim_span(unit, QUOTES + c.lexicon.trailing)))
        # "（分管副省长、协管副秘书长负责，省科技厅牵头）": a post is no unit, nor a deadline
        # closing the list ("责任单位：甲局、乙局，6月底完成").
        deadline = c.rules.brackets.when.fullmatch(unit.text)
        if len(unit.text) >= 2 and not unit.text.endswith(posts) and not deadline:
            units.append(unit)
    return units


def _is_noun(word: str, lexicon: Lexicon) -> bool:
    """Whether the tagger reads ``word`` as one noun: "铁路" names a field of work, "提高" (a verb
    a line break cut from its object) names nothing."""
    tokens = list(lexicon.tokenizer.cut(word))
    return len(tokens) == 1 and tokens[0].flag.startswith("n")


def _split_spaced_units(piece: Span, c: _Collector) -> list[Span]:
    """A table cell's units a space apart, "区自然资源局 区农业农村局 各镇政府": one each, where every
    part is a unit's name; "市 财政局" (a copy that spaced its words) stays one."""
    parts = [Span(piece.start + m.start(), piece.start + m.end(), m.group()) for m in re.finditer(r"\S+", piece.text)]
    if len(parts) > 1 and all(c.rules.brackets.is_unit(part.text) and len(part.text) >= MIN_SPACED_UNIT_CHARS for part in parts):
        return parts
    return [piece]


# A unit named a space apart from the next is at least this long ("区水务局"; "市 财政局" is one).
MIN_SPACED_UNIT_CHARS = 3


def _split_glued_units(piece: Span, c: _Collector) -> list[Span]:
    """Units a copy glued together with no mark between them, "市行政审批局市司法局" (西安),
    "区发改局区统计局" (旌阳): split before a level's one-character word ("市", "区") where a unit's
    ending stands before it and both sides are units of at least MIN_SPACED_UNIT_CHARS; "团市委"
    and "省市场监管局" stay whole."""
    text = piece.text
    for at in range(MIN_SPACED_UNIT_CHARS, len(text) - MIN_SPACED_UNIT_CHARS + 1):
        head, tail = text[:at], text[at:]
        if tail.startswith(c.lexicon.level_ends) and head.endswith(c.lexicon.unit_suffixes) and c.rules.brackets.is_unit(head) and c.rules.brackets.is_unit(tail):
            first = Span(piece.start, piece.start + at, head)
            return [first, *_split_glued_units(Span(piece.start + at, piece.end, tail), c)]
    return [piece]


def _drop_note(unit: Span) -> Span:
    """A unit's closing parenthesis that holds a sentence is a note, not part of its name."""
    match = re.search(r"[（(]([^（）()]*[，,；;][^（）()]*)[）)]$", unit.text)
    return trim_span(Span(unit.start, unit.start + match.start(), unit.text[: match.start()]), "") if match else unit


def _units_by_role(c: _Collector, name: str, predicate: str, value: Span) -> list[tuple[str, list[Span]]]:
    """A field's units by role. A value that says who leads ("责任单位：甲、乙牵头，丙、丁") is read
    as a bracket is; under the document's convention that the first unit leads, a responsible
    unit field ("责任单位：甲、乙、丙") has its first unit leading and the others supporting."""
    if name != "supportUnit" and c.rules.brackets.verb.search(value.text):
        parts = parse_bracket(value.text, c.rules.brackets)
        # Read as a bracket where a verb says a part ("甲牵头，乙配合").
        if parts and any(p.said for p in parts):
            # Units after a said lead support ("甲牵头，乙"); the rest take the field's part.
            return [
                (p.field if p.said or p.field == "supportUnit" else predicate, _unit_list(c, sub_span(value, value.start + p.start, value.start + p.end)))
                for p in parts
            ]
    units = _unit_list(c, value)
    # "★区甲委、乙局" (吴江), "区甲办*、区乙局" (龙湾): the marked unit leads, the others support.
    marked = [u for u in units if u.text[:1] in LEAD_MARKS or u.text[-1:] in LEAD_MARKS]
    units = [trim_span(u, LEAD_MARKS) for u in units]
    if marked and predicate == "leadUnit" and len(units) > 1:
        leads = [trim_span(u, LEAD_MARKS) for u in marked]
        return [("leadUnit", leads), ("supportUnit", [u for u in units if u not in leads])]
    if c.first_leads and predicate == "leadUnit" and name == "unit" and len(units) > 1:
        return [("leadUnit", units[:1]), ("supportUnit", units[1:])]
    return [(predicate, units)]


@lru_cache(maxsize=4)
def _bare_level(lexicon: Lexicon) -> re.Pattern:
    """ "县级市", "镇", and a level with its organ closing a list: "各县、市、区政府"."""
    level = lexicon.level_pattern.pattern
    organ = "|".join(map(re.escape, lexicon.organs))
    return re.compile(f"(?:{level})(?:级(?:{level}))?(?:{organ})?")


@lru_cache(maxsize=4)
def _conjunctions(lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words that join units, those that trim a list's end (等) last, and those."""
    closing = tuple(w for w in lexicon.conjunctions if w in lexicon.trailing)
    return (*(w for w in lexicon.conjunctions if w not in closing), *closing), closing


def _join_collectives(value: Span, units: list[Span], lexicon: Lexicon) -> list[Span]:
    """ "各区、县级市" is one unit (every district and county-level city), not 各区 and 县级市: a
    bare level ("县级市", "镇") after a collective unit ("各区") continues it."""
    bare_level = _bare_level(lexicon)
    joined: list[Span] = []
    for unit in units:
        previous = joined[-1] if joined else None
        if previous and previous.text.startswith(lexicon.collectives) and bare_level.fullmatch(unit.text) and len(previous.text) <= 4:
            joined[-1] = sub_span(value, previous.start, unit.end)
            continue
        joined.append(unit)
    return joined


def _split_conjoined(units: list[Span], lexicon: Lexicon) -> list[Span]:
    """Units joined by a word rather than a list mark: "省直有关部门和各市人民政府",
    "银保监会等国务院相关部门" (等 ends a list where a collective follows). A conjunction
    inside a name (工业和信息化部, 区发展和改革局, 平等) is left alone: the part before it must
    end like a unit, and the part after it must be a unit or a collective."""
    ends = (*lexicon.unit_suffixes, *lexicon.collective_heads)
    # Words that trim a list's end (等) join only before a collective: "甲等有关部门".
    words, closing = _conjunctions(lexicon)
    out: list[Span] = []
    for unit in units:
        pieces = [unit]
        for word in words:
            if not any(word in piece.text for piece in pieces):
                continue
            split = []
            for piece in pieces:
                at = piece.text.find(word)
                head, tail = piece.text[:at], piece.text[at + len(word) :]
                if word in closing:
                    joins = at >= 2 and len(tail) >= 2 and tail.endswith(lexicon.collective_heads)
                else:
                    joins = at >= 2 and len(tail) >= 2 and tail.endswith(ends) and head.endswith(ends)
                if joins and word in closing and tail in lexicon.collective_heads:
                    split.append(Span(piece.start, piece.start + at, head))  # "甲局等部门": the list's end, no unit
                elif joins:
                    split += [Span(piece.start, piece.start + at, head), Span(piece.start + at + len(word), piece.end, tail)]
                else:
                    split.append(piece)
            pieces = split
        out += pieces
    return out


def _close_brackets(span: Span) -> Span:
    """Drop closing brackets a value does not open ("乙单位）" at the end of a parenthesis), but
    keep its own ("各街办(新区)")."""
    while span.text and span.text[-1] in CLOSING_BRACKETS and sum(span.text.count(ch) for ch in OPENING_BRACKETS) < sum(
        span.text.count(ch) for ch in CLOSING_BRACKETS
    ):
        span = trim_span(Span(span.start, span.end - 1, span.text[:-1]), "")
    return span


def _first(evidence: Span | tuple[Span, ...]) -> Span:
    return evidence[0] if isinstance(evidence, tuple) else evidence


def _unit(c: _Collector, written: Span) -> Entity:
    """A unit under its full name ("区发展和改革局" for "区发改局"); the mention keeps what was written."""
    compact = re.sub(r"\s+", "", written.text)
    full = c.lexicon.canonical_unit(compact)
    return c.entity("organization", full)


def read_deadline(text: str, rules: Rules, year: int | None) -> Value | None:
    """A deadline as a typed value: "2022年10月底前" → 2022-10 (gYearMonth), "6月30日前" → a date
    in the document's year, "全年" → the document's year (gYear); None where it cannot be read."""
    for pattern in rules.patterns["deadline_date"]:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        y = int(parts["year"]) if parts.get("year") else year
        if y is None:
            return None
        month, day = parts.get("month"), parts.get("day")
        if month and not 1 <= int(month) <= 12:
            return None
        if day:
            try:
                return Value(date(y, int(month), int(day)).isoformat(), "date")
            except ValueError:
                return None
        if month:
            return Value(f"{y:04d}-{int(month):02d}", "gYearMonth")
        return Value(f"{y:04d}", "gYear")
    return None


def _add_deadline(c: _Collector, project: Entity, value: Span, evidence: Span | tuple[Span, ...], rule: str) -> None:
    written = re.sub(r"\s+", "", value.text)
    c.fact(project, "deadline", Value(written, language="zh"), evidence, rule)
    c.used.append(_to_document(c, c.reading, value) if c.reading is not None else value)
    typed = read_deadline(written, c.rules, c.year)
    if typed is not None:
        c.fact(project, "deadlineDate", typed, evidence, rule)


# --- problems, levels, measures ----------------------------------------------------------


def _has_marker(text: str, lexicon: Lexicon) -> bool:
    return any(m in text for m in lexicon.problem_markers)


def _split_problems(x: Span, lexicon: Lexicon) -> list[Span]:
    """Split a 针对… clause into problems: on commas, then on 、 where every part reads as one.

    A comma-piece with no problem marker is setting or a modifier: it joins the next piece,
    unless it ends like a setting ("…过程中"), when it is dropped.
    """
    pieces, pending = [], None
    for piece in split_span(x, "，,", keep_separator=False):
        piece = trim_span(piece, QUOTES)
        if pending is not None:
            piece = sub_span(x, pending.start, piece.end)
            pending = None
        if not _has_marker(piece.text, lexicon):
            if any(piece.text.endswith(ctx) for ctx in lexicon.problem_contexts):
                continue
            pending = piece
            continue
        parts = split_span(piece, "、", keep_separator=False)
        pieces.extend(parts if all(_has_marker(p.text, lexicon) for p in parts) else [piece])
    if pending is not None and pieces == []:
        pieces.append(pending)
    cleaned = []
    for piece in pieces:
        piece = _strip_leading(piece, lexicon.problem_strips, keep=2)
        piece = _balance_quotes(trim_span(piece, QUOTES + lexicon.trailing), x)
        if len(piece.text) >= 2:
            cleaned.append(piece)
    return cleaned


def find_problems(sentence: Span, rules: Rules, lexicon: Lexicon) -> list[Span]:
    found: list[Span] = []
    for pattern in rules.patterns["problem"]:
        for match in pattern.finditer(sentence.text):
            x = sub_span(sentence, sentence.start + match.start("x"), sentence.start + match.end("x"))
            for problem in _split_problems(x, lexicon):
                if not any(p.start <= problem.start and problem.end <= p.end for p in found):
                    found = [p for p in found if not (problem.start <= p.start and p.end <= problem.end)] + [problem]
    return sorted(found)


def find_levels(sentence: Span, rules: Rules, lexicon: Lexicon, standalone: bool = True) -> list[Span]:
    """Levels of government the sentence names as levels.

    Chains ("区-街道-社区"), lists ("区、街道、社区"), "X级" and level words run together before
    an organ ("乡镇政府") name any level; a level word standing alone as its own token
    ("居民小组党建") names it only if the lexicon says so, and ``standalone`` asks for them.
    """
    text, found = sentence.text, {}
    if not lexicon.level_pattern.search(text):
        return []
    level = lexicon.level_pattern.pattern
    sep = rules.level_chain_sep.pattern
    grade = rules.level_grade.pattern
    compound = rules.level_compound_next.pattern
    collective = rules.level_collective.pattern
    runs = (
        f"(?:{level})(?:(?:{sep})(?:{level}))+(?:{grade})?|(?:{level})(?:{grade})|(?P<compound>(?:{level}){{2,3}})(?=(?:{compound}))"
        # "各乡镇", "各区县", "各县（市、区）": all units of those levels.
        f"|(?<={collective})(?P<every>(?:{level}){{2,3}}|(?:{level})[（(](?:{level})(?:(?:{sep})(?:{level}))*[）)])"
    )
    # jieba cuts each block of Chinese, letters and digits by itself, so only the blocks that
    # hold a level word are cut: a run starts with a level word and ends with one or with its
    # grade ("级" right after a level word), and a token that is a level word is one, so each
    # lies in such a block. Of those, only the blocks where a run starts or ends and those
    # holding a standalone level word are cut, each once.
    blocks = [b for b in JIEBA_BLOCK.finditer(text) if lexicon.level_pattern.search(b.group())]
    cuts: dict[int, tuple[set[int], list[tuple[int, str]]]] = {}

    def cut(k: int) -> tuple[set[int], list[tuple[int, str]]]:
        """The token edges of block ``k`` and its standalone level words (offset, word)."""
        if k not in cuts:
            offset = blocks[k].start()
            edges, standalone = {offset}, []
            for token in lexicon.tokenizer.tokenizer.cut(blocks[k].group(), HMM=False):
                lv = lexicon.level(token)
                if lv and lv.standalone:
                    standalone.append((offset, token))
                offset += len(token)
                edges.add(offset)
            cuts[k] = edges, standalone
        return cuts[k]

    def is_edge(offset: int) -> bool:
        """Whether ``offset`` is a token edge of one of ``blocks``: of the one it lies in or ends
        (blocks never touch, so there is at most one)."""
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset <= blocks[k].end() and offset in cut(k)[0]

    starts = [b.start() for b in blocks]
    for match in re.finditer(runs, text):
        # A run must not be carved out of words: "城市、区域" is no list of 市 and 区.
        # Level words run together may end inside a token: "乡镇政府" is one.
        # After 各 the words are all units of their levels, however they are cut: "各县（市、区）".
        if not match.group("every") and (not is_edge(match.start()) or not (match.group("compound") or is_edge(match.end()))):
            continue
        for word in lexicon.level_pattern.finditer(match.group()):
            start = sentence.start + match.start() + word.start()
            found.setdefault(word.group(), Span(start, start + len(word.group()), word.group()))
    for k, block in enumerate(blocks if standalone else ()):
        if lexicon.standalone_level_pattern.search(block.group()):
            for offset, token in cut(k)[1]:
                found.setdefault(token, Span(sentence.start + offset, sentence.start + offset + len(token), token))
    return sorted(found.values())


def _strip_leading(span: Span, words: tuple[str, ...], keep: int = 1, verbs: tuple[str, ...] = ()) -> Span:
    text = strip_words(span.text, words, keep, verbs)
    return sub_span(span, span.end - len(text), span.end)


def find_measures(clauses: list[Span], lexicon: Lexicon, exclude: set[str]) -> list[Span]:
    """Clauses that open with a measure verb (after adverbs): "建立“区-街道-社区”三级权责清单"."""
    measures = []
    for clause in clauses:
        bare = _strip_leading(clause, lexicon.adverbs, verbs=(*lexicon.measure_verbs, *lexicon.lead_verbs))
        if bare.text.startswith(lexicon.measure_verbs) and normalize_key(bare.text) not in exclude:
            if len(bare.text) >= 4:
                measures.append(trim_span(bare, QUOTES + lexicon.trailing))
    return measures


# --- projects in prose -------------------------------------------------------------------


def _balance_quotes(name: Span, within: Span) -> Span:
    """Take back a quote mark that trimming cut off, at either end: "“某某+”工作机制", not
    "某某+”工作机制"; "存在“信息壁垒”", not "存在“信息壁垒"; "修订出台《某某规定》", not
    "修订出台《某某规定"."""
    pairs = {"”": "“", "」": "「", "』": "『", "’": "‘", "》": "《"}
    opening = {v: k for k, v in pairs.items()}
    marks = [ch for ch in name.text if ch in pairs or ch in opening]
    if marks and marks[0] in pairs and name.start > within.start:
        before = within.text[name.start - within.start - 1]
        if before == pairs[marks[0]]:
            name = Span(name.start - 1, name.end, before + name.text)
    if marks and marks[-1] in opening and name.end < within.end:
        after = within.text[name.end - within.start]
        if after == opening[marks[-1]]:
            name = Span(name.start, name.end + 1, name.text + after)
    return name


def find_prose_project(clause: Span, lexicon: Lexicon, first_in_sentence: bool) -> Span | None:
    """A project named in a clause: "深化某某监管体制改革" → "某某监管体制改革".

    The clause must end in a project head (改革, 机制, 模式 …). Heads other than 改革 need a lead
    verb before the name, and only the sentence's first clause may name one: later clauses with
    such heads are that project's measures.
    """
    text = trim_span(clause, QUOTES + "…. ")
    for head, needs_verb, any_clause in lexicon.project_heads:
        if not text.text.endswith(head):
            continue
        if not any_clause and not first_in_sentence:
            return None
        opening = _strip_leading(text, lexicon.adverbs, verbs=lexicon.lead_verbs)
        if any(opening.text.startswith(v) for v in lexicon.lead_verbs):
            name = _strip_leading(opening, lexicon.lead_verbs)
        elif needs_verb:
            # "还有一个重要发力点就是创新“某某+”工作机制": the name follows the first lead verb.
            match = re.search("|".join(map(re.escape, lexicon.lead_verbs)), text.text)
            if not match:
                return None
            name = _strip_leading(sub_span(text, text.start + match.start(), text.end), lexicon.lead_verbs)
        else:
            # Without a verb the whole clause is the name: it must read as one ("市区共建…改革").
            name = text
            # Nor does a clause with a colon: "某某就做好甲改革提三点希望：一是正确面对改革".
            if re.search(r"[0-9０-９:：]", name.text) or lexicon.parse_count(name.text[:1]) is not None:
                return None
        name = _balance_quotes(trim_span(name, QUOTES), text)
        if PROJECT_NAME_CHARS[0] <= len(name.text) <= PROJECT_NAME_CHARS[1] and len(name.text) > len(head):
            return name
        return None
    return None


# --- groups, tiers, figures --------------------------------------------------------------


def find_group_lists(c: _Collector, sentence: Span) -> list[Entity]:
    """ "由A、B、C和D等4个改革专项小组负责" → A改革专项小组 … with the stated count checked."""
    groups: list[Entity] = []
    for pattern in c.rules.patterns["group_list"]:
        for match in pattern.finditer(sentence.text):
            items_span = sub_span(sentence, sentence.start + match.start("items"), sentence.start + match.end("items"))
            suffix = match.group("suffix")
            items = [trim_span(i, QUOTES) for i in split_span(items_span, "、", keep_separator=False)]
            stated = c.lexicon.parse_count(match.group("count"))
            # A list before its count and not closed by 等 names every group: as many as it says.
            closed = sentence.text[match.start("count") - 1] == "等"
            if match.start("items") < match.start("count") and not closed and stated != len(items):
                continue
            found = []
            for item in items:
                # "分别是甲专项小组、乙专项小组": an item with a group suffix of its own is whole.
                whole = item.text.endswith(suffix) or any(item.text.endswith(g) for g in c.lexicon.group_suffixes)
                label = item.text if whole else item.text + suffix
                group = c.mention(c.entity("group", label), sentence, item)
                found.append(group)
                if not whole and suffix.endswith(c.lexicon.work_group_suffixes) and not match.groupdict().get("parts") and len(item.text) >= 2:
                    # "成立了维稳、房屋拆迁两个工作组": a group named for its one work, written alone
                    # (not a body's inner parts: "下设甲、乙9个工作组", named for areas).
                    project = c.mention(c.entity("project", item.text, project_key(item.text, c.lexicon)), sentence, item)
                    c.fact(project, "responsibleGroup", group, sentence, "work-group-list")
            groups.extend(found)
            count_span = sub_span(sentence, sentence.start + match.start("count"), sentence.start + match.end("suffix"))
            if stated is not None:
                c.figures.append(StatedFigure(count_span.text, stated, "group", None, sentence))
                if stated != len(found):
                    c.warnings.append(
                        f"{c.document.name}: the text says {stated} groups ({count_span.text}) but lists {len(found)}: "
                        + "、".join(g.label for g in found)
                    )
    return groups


def find_tiers(c: _Collector, sentence: Span) -> list[Entity]:
    tiers = []
    for pattern in c.rules.patterns["tier_list"]:
        for match in pattern.finditer(sentence.text):
            for quoted in re.finditer(f"[{QUOTES}]([^{QUOTES}]+)[{QUOTES}]", match.group("items")):
                # Only the entity: the caller mentions every tier the sentence names, these included.
                tiers.append(c.entity("tier", quoted.group(1)))
            stated = c.lexicon.parse_count(match.group("count"))
            if stated is not None:
                label = match.group("count") + match.group()[match.end("count") - match.start() :]
                c.figures.append(StatedFigure(label, stated, "tier", None, sentence))
    return tiers


# --- the document ------------------------------------------------------------------------


def _item_shingles(items: list[tuple[Segment, Entity]]) -> dict[str, list[int]]:
    """Stretches of ``SHINGLE_CHARS`` characters of the items' texts, starting every
    ``SHINGLE_STEP`` characters → the items holding them.

    Any ``MIN_SHARED_CHARS`` characters of an item hold one of its stretches (one starts within
    their first ``SHINGLE_STEP`` characters and ends within them), so a sentence that shares
    that much with an item shares a stretch with it, at some offset of the sentence: it is
    compared only with the items it shares one with, linear in the document, not quadratic.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for i, (segment, _) in enumerate(items):
        text = segment.body.text if segment.body else segment.span.text
        for k in range(0, len(text) - SHINGLE_CHARS + 1, SHINGLE_STEP):
            holders = index[text[k : k + SHINGLE_CHARS]]
            if not holders or holders[-1] != i:
                holders.append(i)
    return index


def _bound_item(paragraph: Span, items: list[tuple[Segment, Entity]], shingles: dict[str, list[int]]) -> Entity | None:
    """The listed project a prose sentence restates, by a long stretch of shared text.

    The items that share a stretch with the sentence include every item that shares
    ``MIN_SHARED_CHARS`` characters with it; the others share fewer and are never chosen.
    """
    text = paragraph.text
    candidates = sorted({i for k in range(len(text) - SHINGLE_CHARS + 1) for i in shingles.get(text[k : k + SHINGLE_CHARS], ())})
    best, best_size = None, 0
    for i in candidates:
        segment, project = items[i]
        other = segment.body.text if segment.body else segment.span.text
        match = SequenceMatcher(None, text, other, autojunk=False).find_longest_match(0, len(text), 0, len(other))
        if match.size > best_size:
            best, best_size = project, match.size
    return best if best_size >= MIN_SHARED_CHARS else None


def _add_levels(c: _Collector, project: Entity, sentence: Span, standalone: bool = True) -> None:
    for level_span in find_levels(sentence, c.rules, c.lexicon, standalone):
        lv = c.lexicon.level(level_span.text)
        level = c.mention(c.entity("level", lv.label, lv.key), sentence, level_span)
        c.fact(project, "involvesLevel", level, sentence, "level-word")


def _describe(c: _Collector, project: Entity, sentence: Span, clauses: list[Span], exclude: set[str]) -> None:
    """Problems, levels and measures a sentence states about ``project``."""
    for problem in find_problems(sentence, c.rules, c.lexicon):
        c.fact(project, "addressesProblem", c.mention(c.entity("problem", problem.text), sentence, problem), sentence, "problem-frame")
    _add_levels(c, project, sentence)
    for measure in find_measures(clauses, c.lexicon, exclude):
        entity = c.entity("measure", measure.text, project.key + "|" + normalize_key(measure.text))
        c.fact(project, "hasMeasure", c.mention(entity, sentence, measure), sentence, "measure-verb")


# A code in brackets after a title: "某某项目(ab202601)", a project's number in a register.
CODE_IN_BRACKETS = r"[（(][A-Za-z0-9_\-]{4,20}[）)]"


def _name_of(c: _Collector, span: Span) -> Span:
    """An item's name from the text before its fields: its first sentence ("全面实施某某管理。依据…"
    → "全面实施某某管理"), or the first clause of a long one; unframed ("关于某某问题" → "某某")."""
    sentences = split_sentences(span, c.rules)
    # "2.乐业路 |": a table's pipe after a name copied a cell a line is no part of it
    name = trim_span(sentences[0], QUOTES + "。.；;：:， " + PIPE) if sentences else span
    # "某某产业园项目：该项目位于…": a title before a colon names the item, what follows says more.
    titled = re.match(f"([^：:，,]{{{MIN_ITEM_NAME_CHARS},{c.rules.name_max_chars}}}?)(?:{CODE_IN_BRACKETS})?[：:]", name.text)
    if titled:
        name = trim_span(sub_span(name, name.start, name.start + titled.end(1)), QUOTES)
    if len(name.text) > c.rules.name_max_chars:
        clauses = split_clauses(name, c.rules)
        name = trim_span(clauses[0], QUOTES) if clauses else name
        # A clause cut inside a parenthesis ("培育新的载体（探索设立甲，推动乙…）"): the name is
        # what stands before it.
        opened = max(name.text.rfind(ch) for ch in OPENING_BRACKETS)
        if opened >= MIN_ITEM_NAME_CHARS and not any(ch in CLOSING_BRACKETS for ch in name.text[opened:]):
            name = trim_span(sub_span(name, name.start, name.start + opened), QUOTES)
    for pattern in c.rules.patterns["name_frame"]:
        match = pattern.search(name.text)
        if match:
            return sub_span(name, name.start + match.start("name"), name.start + match.end("name"))
    return _balance_quotes(name, span)


def _outside(sentence: Span, regions: list[Span]) -> Span | None:
    """The part of a sentence before the first field region in it, or None if nothing is left."""
    for region in regions:
        if region.start < sentence.end and sentence.start < region.end:
            if region.start <= sentence.start:
                return None
            sentence = sub_span(sentence, sentence.start, region.start)
    return sentence if sentence.text.strip(CLAUSE_PUNCTUATION) else None


def _add_tier(c: _Collector, project: Entity, tier: tuple[Entity, Span] | None, name: Span) -> None:
    if tier is not None:
        entity, heading = tier
        c.mention(entity, heading, heading)
        c.fact(project, "tier", entity, (heading, name) if heading != name else heading, "heading-tier")


# Fields of a bracket that say who does a task (a deadline alone closes no task).
UNIT_FIELDS = ("lead", "leadUnit", "supportUnit", "unit")


def _bracket_runs(c: _Collector, segment: Segment) -> tuple[Span | None, list[Span]]:
    """An item holding several tasks, each closed by its own bracket of units: "（一）增强创新能力。
    推进甲（省科技厅牵头）。实施乙（省发改委负责）。" (湖南), or a line of them under a numbered
    title (天津). Returns the item's title sentence, when it is a short one of its own, and the
    runs of text each bracket closes (empty where the item holds fewer than two)."""
    title = segment.title or segment.span
    whole = sub_span(segment.span, title.start, segment.span.end)
    regions = [
        region
        for region, pairs in find_field_regions(whole, c.rules, c.first_leads)
        # Brackets of the bracket grammar ("（省科技厅牵头）"); a labelled one ("（牵头单位：…）")
        # gives the fields of its whole item.
        if region.text[:1] in OPENING_BRACKETS and not c.rules.field_cue.search(region.text) and any(field in UNIT_FIELDS for field, _ in pairs)
    ]
    if len(regions) < 2:
        return None, []
    first = split_sentences(whole, c.rules)[0]
    heading = first if first.end <= regions[0].start and len(first.text) <= c.rules.heading_max_chars else None
    runs, start = [], heading.end if heading else whole.start
    for region in regions:
        run = sub_span(whole, start, region.end)
        if len(run.text) > len(region.text):
            runs.append(run)
        start = region.end
    return heading, runs if len(runs) >= 2 else []


def _extract_item(c: _Collector, segment: Segment, tier: tuple[Entity, Span] | None) -> Entity | None:
    """A numbered item: its name, the fields in its title, parentheses and field lines, and what
    its sentences say (problems, levels, measures, groups, deadlines, units in prose)."""
    title = segment.title or segment.span
    whole = sub_span(segment.span, title.start, segment.span.end)
    regions = find_field_regions(whole, c.rules, c.first_leads)
    # Clauses of prose that say who does the task ("由某某副市长负责，市发改委牵头"): fields; one
    # after the name in the title ends the name ("关于…的问题，由甲会同乙负责落实").
    said = []
    for sentence in split_sentences(whole, c.rules):
        found = find_responsibility_clauses(c, sentence)
        if found and not any(r.start < found[0].end and found[0].start < r.end for r, _ in regions):
            said.append(found)
    title_end = min([r.start for r, _ in regions if r.start < title.end] + [r.start for r, _ in said if title.start < r.start < title.end] + [title.end])
    name_part, title_pairs = _field_values(sub_span(title, title.start, title_end), c.rules)
    name = _name_of(c, name_part)
    # "1.目标。…" states a goal and names no project; "（一）铁路。…（甲厅牵头，乙局配合）" is a
    # task all the same, for it says who does it.
    if len(name.text) < MIN_ITEM_NAME_CHARS and not ((regions or said or title_pairs) and _is_noun(name.text, c.lexicon)):
        return None
    # "1、金寨县；2、裕安区" ranks places, "640.webp.jpg" names a picture: neither is a task.
    places = tuple(suffix for suffix, _ in c.lexicon.place_suffixes)
    alone = whole.text.strip(CLAUSE_PUNCTUATION + "。 ") == name.text  # nothing said but the name
    if not HAN.search(name.text) or (alone and len(name.text) <= MAX_PLACE_NAME_CHARS and (c.rules.brackets.is_unit(name.text) or name.text.endswith(places))):
        return None
    project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), title, name)
    # "推进乡镇机构改革": levels a name states as levels are the project's; a lone word such as
    # 国家 in "按照国家统一部署" or "国家发展改革委" sets no tier the project acts on.
    _add_levels(c, project, name, standalone=False)
    if segment.ordinal is not None:
        c.fact(project, "ordinal", Value(str(segment.ordinal), "integer"), title, "item-number")
    groups: list[tuple[list[tuple[str, Span]], Span | tuple[Span, ...]]] = [(title_pairs, title)]
    groups += [(pairs, (name, region)) for region, pairs in regions + said]
    field_lines = []
    if segment.body:
        for line in split_span(segment.body, "\n"):
            # A part of a form under the item may be numbered: "（一）责任领导：某某".
            numbered = next((m for n in c.rules.numbering if (m := n.pattern.match(line.text))), None)
            if numbered is not None and c.rules.field_cue.match(line.text, numbered.end()):
                line = sub_span(line, line.start + numbered.end(), line.end)
            if c.rules.field_cue.match(line.text) and not any(r.start <= line.start < r.end for r, _ in regions):
                field_lines.append(line)
                groups.append((_field_values(line, c.rules)[1], (name, line)))
    # "牵头单位:甲" on one line makes "责任单位:乙" on the next a supporting unit.
    has_lead_unit = any(field == "leadUnit" for pairs, _ in groups for field, _ in pairs)
    for pairs, evidence in groups:
        _apply_fields(c, project, pairs, evidence, has_lead_unit)
    for region, pairs in regions:
        if not any(field == "deadline" for field, _ in pairs):
            # "（甲牵头，乙配合，2024年底前完成）": a deadline in the parenthesis's prose.
            _find_deadlines(c, project, region, name)
    _add_tier(c, project, tier, name)
    title_fields = [sub_span(title, name_part.end, title_end)] if title_pairs else []
    skip = [r for r, _ in regions] + field_lines + title_fields
    exclude = {normalize_key(name.text), project.key}
    for sentence in split_sentences(whole, c.rules):
        part = _outside(sentence, skip)
        if part is None:
            continue
        _group_roles(c, part, project)
        _find_deadlines(c, project, part, name)
        # The name's own sentence is the name: what follows it describes the project.
        if part.end <= name.end:
            continue
        if part.start < name.end:
            part = sub_span(part, name.end, part.end)
            if not part.text.strip(CLAUSE_PUNCTUATION):
                continue
        _find_units_in_prose(c, project, part, name)
        _describe_item_sentence(c, project, part, exclude)
    return project


def _find_deadlines(c: _Collector, project: Entity, sentence: Span, name: Span) -> None:
    for pattern in c.rules.patterns["deadline_in_text"]:
        for match in pattern.finditer(sentence.text):
            value = sub_span(sentence, sentence.start + match.start("deadline"), sentence.start + match.end("deadline"))
            _add_deadline(c, project, value, (name, sentence) if sentence != name else sentence, "deadline-in-text")


def _unit_pairs(span: Span, match: re.Match) -> list[tuple[str, Span]]:
    """The lead and supporting units a pattern's ``lead`` and ``support`` groups found in ``span``."""
    found = match.groupdict()
    return [(field, _group(span, match, group)) for field, group in (("leadUnit", "lead"), ("supportUnit", "support")) if found.get(group)]


def _find_units_in_prose(c: _Collector, project: Entity, sentence: Span, name: Span) -> None:
    for pattern in c.rules.patterns["unit_in_prose"]:
        match = pattern.search(sentence.text)
        if match:
            _apply_fields(c, project, _unit_pairs(sentence, match), (name, sentence))


# --- table rows ----------------------------------------------------------------------------


def _to_document(c: _Collector, cell: Cell, local: Span) -> Span:
    """A stretch of a cell's joined text → the document span from its first to its last
    character. In a box-drawing cell that runs over lines, the span holds the frame between."""
    offsets = [p.start + k for p in cell.pieces for k in range(len(p.text))]
    if local.end <= local.start:
        return Span(offsets[0], offsets[0], "")
    start, end = offsets[local.start], offsets[local.end - 1] + 1
    return Span(start, end, c.document.text[start:end])


def _cell_span(cell: Cell) -> Span:
    """Where a cell's own rules read it: the piece itself, or its joined text (0-based) when it
    runs over several pieces, mapped back by the collector (``_Collector.cell``)."""
    return cell.pieces[0] if len(cell.pieces) == 1 else Span(0, len(cell.text), cell.text)


def _extract_row(c: _Collector, segment: Segment, tier: tuple[Entity, Span] | None, spanned: bool = False) -> list[Entity]:
    """A table row: a task per bullet of its project cell, with the row's leaders, units,
    deadline, ordinal and category. A task numbered in its cell ("2.新建游园5个。") has that
    number for its ordinal where the row has no number of its own, or where the row's number
    spans several rows (``spanned``: a unit's number over each of its tasks, 郑州)."""
    row = segment.span
    by_role: dict[str, list[Cell]] = {}
    for cell in segment.cells:
        if cell.pieces:
            by_role.setdefault(cell.role, []).append(cell)
    projects = []
    numbered_tasks: dict[str, bool] = {}  # project key → numbered in its cell
    for cell in by_role.get("project", []):
        with c.cell(cell):
            for task in split_span(_cell_span(cell), c.rules.bullets, keep_separator=False) if c.rules.bullets else [_cell_span(cell)]:
                task = trim_span(task, c.rules.bullets)
                # "1.积极推进…": a task numbered in its cell; the number is its ordinal.
                numbered = c.rules.item_start.match(task.text)
                number = numbered.groupdict().get("num") if numbered and numbered.end() < len(task.text) else None
                if numbered and numbered.end() < len(task.text):
                    task = sub_span(task, task.start + numbered.end(), task.end)
                name = _name_of(c, task)
                if len(name.text) < 2:
                    continue
                label = re.sub(r"\s+", "", name.text)
                project = c.mention(c.entity("project", label, project_key(label, c.lexicon)), row, name)
                if number and ("ordinal" not in by_role or spanned):
                    c.fact(project, "ordinal", Value(str(int(number)), "integer"), name, "item-number")
                # Sentences of a cell that runs over lines have no span of their own to cite.
                projects.append((project, task if len(cell.pieces) == 1 else None))
                numbered_tasks[project.key] = bool(number)
    pairs = [(cell.role, cell) for role in FIELD_ROLES for cell in by_role.get(role, [])]
    has_lead_unit = "leadUnit" in by_role
    for project, task in projects:
        for cell in by_role.get("ordinal", []) if not (spanned and numbered_tasks.get(project.key)) else []:
            number = re.match(r"\s*([0-9]+)\*?\s*$", cell.text)  # "12", "1*"
            if number:
                c.fact(project, "ordinal", Value(str(int(number.group(1))), "integer"), row, "row-number")
        # Of several category columns ("一、…" then "（一）…"), the innermost is the task's tier.
        for cell in by_role.get("category", [])[-1:]:
            category = cell.pieces[0]
            numbered = c.rules.item_start.match(category.text)  # "一、深入推进…" → "深入推进…"
            if numbered and numbered.end() < len(category.text):
                category = sub_span(category, category.start + numbered.end(), category.end)
            c.fact(project, "tier", c.mention(c.entity("tier", category.text), row, category), row, "row-category")
        for role, cell in pairs:
            with c.cell(cell):
                role = role if role != "unit" else ("supportUnit" if has_lead_unit else "leadUnit")
                _apply_fields(c, project, [(role, _cell_span(cell))], row)
        _add_tier(c, project, tier, row)
        # A table with no column of deadlines may date the steps of its plan in another
        # column ("1.4月底前…主体完工。2.8月底前…竣工交付。").
        for cell in [] if "deadline" in by_role else by_role.get("other", []):
            with c.cell(cell):
                for sentence in split_sentences(_cell_span(cell), c.rules):
                    _find_deadlines(c, project, sentence, sentence)
        if task is not None:
            exclude = {project.key}
            for sentence in split_sentences(task, c.rules):
                _describe_item_sentence(c, project, sentence, exclude)
    return [p for p, _ in projects]


def _describe_item_sentence(c: _Collector, project: Entity, sentence: Span, exclude: set[str]) -> None:
    for pattern in c.rules.patterns["responsible_group"]:
        for match in pattern.finditer(sentence.text):
            group = Span(sentence.start + match.start("group"), sentence.start + match.end("group"), match.group("group"))
            c.fact(project, "responsibleGroup", c.mention(c.entity("group", group.text), sentence, group), sentence, "responsible-group")
    _describe(c, project, sentence, split_clauses(sentence, c.rules), exclude)


def _extract_prose_sentence(c: _Collector, sentence: Span, known_tiers: dict[str, Entity], bound: Entity | None, names_projects: bool = True) -> bool:
    """Groups, tiers, figures, officials and projects stated in running prose.

    A sentence ``bound`` to a listed project restates it: what it says is about that project,
    and it names no new project. Returns whether the sentence named exactly one project.
    """
    groups = find_group_lists(c, sentence)
    for tier in find_tiers(c, sentence):
        known_tiers.setdefault(tier.key, tier)
    tiers_here = [(t, m) for t in known_tiers.values() for m in re.finditer(re.escape(t.label), sentence.text)]
    for tier, match in tiers_here:
        c.mention(tier, sentence, Span(sentence.start + match.start(), sentence.start + match.end(), match.group()))
        for group in groups:
            c.fact(tier, "carriedOutBy", group, sentence, "tier-groups")
    _extract_figures(c, sentence, known_tiers)

    _group_roles(c, sentence, bound)
    clauses = split_clauses(sentence, c.rules)
    project, named = bound, 0
    # "某某负责人介绍，也会探索建立…模式": a clause that only says who speaks does not count as
    # the sentence's first.
    opening = next((k for k, clause in enumerate(clauses) if not clause.text.endswith(c.lexicon.report_verbs)), 0)
    for index, clause in enumerate(clauses):
        officials = find_officials(clause, c.lexicon)
        lead = None
        for pattern in c.rules.patterns["lead_in_prose"]:
            lead = lead or pattern.search(clause.text)
        if officials and lead:
            name = sub_span(clause, clause.start + lead.start("project"), clause.start + lead.end("project"))
            name = trim_span(name, QUOTES)
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            named += 1
            for official in officials:
                _add_official(c, official, sentence, "lead-in-prose", project)
            continue
        if officials and tiers_here and c.rules.tier_lead_cue.search(clause.text):
            for official in officials:
                for post_span in official.posts:
                    post = c.mention(c.entity("post", post_span.text), sentence, post_span)
                    for tier, _ in tiers_here:
                        c.fact(tier, "ledByPost", post, sentence, "tier-posts")
            continue
        for official in officials:
            if official.person:
                _add_official(c, official, sentence, "post-name")
        name = None if bound or not names_projects else find_prose_project(clause, c.lexicon, first_in_sentence=index == opening)
        if name and not groups:
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            named += 1
    if bound is not None:
        _describe_item_sentence(c, bound, sentence, {bound.key})
    elif project is not None and named == 1:
        # A sentence naming several projects (a list of names) says nothing about any one.
        _describe(c, project, sentence, clauses[opening + 1 :], {project.key})
    return named == 1 and bound is None


def _project_in_a_run(c: _Collector, sentence: Span) -> None:
    """A sentence between two that each name one project in prose, opening with a lead verb as
    they do, names one too, whatever head its name ends in: "…改革，…。引入某某理念，因地制宜建设
    某某。以…改革，…" — a plan lists its projects a sentence each."""
    clauses = split_clauses(sentence, c.rules)
    if not clauses:
        return
    opening = _strip_leading(trim_span(clauses[0], QUOTES), c.lexicon.adverbs, verbs=c.lexicon.lead_verbs)
    if not opening.text.startswith(c.lexicon.lead_verbs):
        return
    name = _balance_quotes(trim_span(_strip_leading(opening, c.lexicon.lead_verbs), QUOTES), opening)
    if not PROJECT_NAME_CHARS[0] <= len(name.text) <= PROJECT_NAME_CHARS[1]:
        return
    project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
    _describe(c, project, sentence, clauses[1:], {project.key})


def _extract_figures(c: _Collector, sentence: Span, known_tiers: dict[str, Entity]) -> None:
    for pattern in c.rules.patterns["tier_count"]:
        for match in pattern.finditer(sentence.text):
            tier = known_tiers.get(normalize_key(match.group("tier")))
            stated = c.lexicon.parse_count(match.group("count"))
            if tier and stated is not None:
                c.figures.append(StatedFigure(match.group(), stated, "project", tier, sentence))
    for pattern in c.rules.patterns["project_count"]:
        for match in pattern.finditer(sentence.text):
            stated = c.lexicon.parse_count(match.group("count"))
            qualifier = match.group("qualifier")
            if stated is None:
                continue
            scope = known_tiers.get(normalize_key(qualifier)) if qualifier else None
            counts = "project" if not qualifier or scope else "project:" + qualifier
            c.figures.append(StatedFigure(match.group(), stated, counts, scope, sentence))


def _official_before(who: Span, lexicon: Lexicon) -> _Official | None:
    """A name written before its post, as headings write it: "某某某省长", "某某副市长", or
    before a chain of posts whose first may be a bare title: "某某常委、常务副区长"."""
    if lexicon.post_pattern.fullmatch(who.text):  # "常务副区长": a post, no one named
        return None
    for k in range(2, 5):
        rest = sub_span(who, who.start + k, who.end)
        name = who.text[:k]
        if not all(HAN.fullmatch(ch) for ch in name):
            continue
        posts = split_span(rest, "、", keep_separator=False)
        whole = [p for p in posts if lexicon.post_pattern.fullmatch(p.text)]
        if whole and all(p in whole or p.text in lexicon.titles for p in posts):
            return _Official(tuple(posts), Span(who.start, who.start + k, name))
    return None


def _heading_leads(c: _Collector, segments: tuple[Segment, ...], segment: Segment) -> list[tuple[list[tuple[str, Span]], Span]]:
    """What the headings above a task say of who answers for it ("（一）省监察厅牵头的工作" under
    "一、某某省长负责的工作"): (field, value) pairs with the heading as evidence, innermost first."""
    found = []
    parent = segment.parent
    while parent >= 0:
        heading = segments[parent]
        title = heading.title or heading.span
        # "三、六项保障措施（牵头领导：甲、乙）": fields in the heading's own bracket.
        for _, pairs in find_field_regions(title, c.rules, c.first_leads):
            found.extend(([pair], title) for pair in pairs)
        for pattern in c.rules.patterns["heading_lead"]:
            match = pattern.search(title.text)
            if match:
                who = sub_span(title, title.start + match.start("who"), title.start + match.end("who"))
                field = "lead" if find_officials(who, c.lexicon) or _official_before(who, c.lexicon) else "leadUnit"
                found.append(([(field, who)], title))
                break
        parent = heading.parent
    return found


def _apply_heading_leads(c: _Collector, project: Entity, leads: list[tuple[list[tuple[str, Span]], Span]]) -> None:
    """The innermost heading that names a unit leads the task with it, and the innermost that
    names an official with that official, unless the task names its own."""
    if not leads:
        return
    own = {f.predicate for f in c.facts if f.subject == project}
    given = {"lead": ("leadPost", "leadPerson"), "unit": ("leadUnit",)}
    done: set[tuple[str, int]] = set()  # (field, heading): a heading may name several of one field
    for pairs, heading in leads:
        field = pairs[0][0]
        if any(f == field and h != heading.start for f, h in done) or any(p in own for p in given.get(field, (field,))):
            continue
        done.add((field, heading.start))
        _apply_fields(c, project, pairs, heading, has_lead_unit="leadUnit" in own or field != "unit")


# What opens a heading that numbers nothing: "——推进教育高质量发展".
DASH_HEADING = ("——", "－－")


def _heading_tier(c: _Collector, segments: tuple[Segment, ...], segment: Segment) -> tuple[Entity, Span] | None:
    """The category a heading gives the items right under it, where the genre says headings
    are tiers: "（一）产业提升人才行动计划。围绕…" → 产业提升人才行动计划."""
    if not c.rules.options["headings_are_tiers"] or segment.parent < 0:
        return None
    heading = segments[segment.parent]
    # a title over a table, not a numbered section; but a dash opens a section as a number does
    # ("——推进教育高质量发展" over items 204.–208., 武汉; `——在…方面`)
    if heading.ordinal is None and not heading.span.text.lstrip().startswith(DASH_HEADING):
        return None
    title = trim_span(heading.title or heading.span, "".join(DASH_HEADING))
    regions = find_field_regions(title, c.rules, c.first_leads)
    if regions and regions[0][0].start > title.start:  # "六项保障措施（牵头领导：甲）" → 六项保障措施
        title = sub_span(title, title.start, regions[0][0].start)
    name = _name_of(c, title)
    if len(name.text) < 2:
        return None
    return c.entity("tier", name.text), name


def _document_year(c: _Collector) -> int | None:
    """The year a document is about, from its opening lines ("2025年开发区重点工作…")."""
    opening = c.document.text[:DOCUMENT_YEAR_CHARS]
    for pattern in c.rules.patterns["document_year"]:
        match = pattern.search(opening)
        if match:
            return int(match.group("year"))
    return None


def _list_owner(c: _Collector, projects: list[tuple[Entity, Span]]) -> None:
    """The unit a list of powers and duties belongs to leads every entry in it."""
    owners = []
    for pattern in c.rules.patterns["list_owner"]:
        for match in pattern.finditer(c.document.text):
            owners.append(Span(match.start("unit"), match.end("unit"), match.group("unit")))
    if not owners or not projects:
        return
    owner = max(owners, key=lambda s: (len(s.text), -s.start))
    line_start = c.document.text.rfind("\n", 0, owner.start) + 1
    line_end = c.document.text.find("\n", owner.end)
    line = sub_span(Span(0, len(c.document.text), c.document.text), line_start, line_end if line_end >= 0 else len(c.document.text))
    unit = c.mention(_unit(c, owner), line, owner)
    for project, where in projects:
        c.fact(project, "leadUnit", unit, (line, where), "list-owner")


def find_project_lists(c: _Collector, paragraph: Span) -> list[Span]:
    """ "重点在12个领域改革攻坚:推进甲改革攻坚;推进乙改革攻坚;…" → a project per item, the count
    checked. Returns the lists found: their sentences name no other project. Items may end in
    ";", which ends a sentence, so this reads the whole paragraph."""
    found: list[Span] = []
    for pattern in c.rules.patterns["project_list"]:
        for match in pattern.finditer(paragraph.text):
            whole = sub_span(paragraph, paragraph.start + match.start(), paragraph.start + match.end())
            items = sub_span(paragraph, paragraph.start + match.start("items"), paragraph.start + match.end("items"))
            names = []
            for item in split_span(items, "；;", keep_separator=False):
                name = _strip_leading(trim_span(item, QUOTES + "。"), (*c.lexicon.adverbs, *c.lexicon.lead_verbs))
                if PROJECT_NAME_CHARS[0] <= len(name.text) <= PROJECT_NAME_CHARS[1]:
                    names.append(name)
            stated = c.lexicon.parse_count(match.group("count"))
            if stated is None or len(names) < 2:
                continue
            found.append(whole)
            for name in names:
                c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), whole, name)
            label = whole.text[: match.start("items") - match.start()].rstrip(":：")
            c.figures.append(StatedFigure(label, stated, "project", None, whole))
            if stated != len(names):
                c.warnings.append(f"{c.document.name}: the text says {stated} projects ({label}) but lists {len(names)}")
    return found


def _split_conjoined_names(items: list[Span], lexicon: Lexicon) -> list[Span]:
    """ "甲试点和乙试点" is two reforms where both sides are long enough to be names."""
    out = []
    for item in items:
        at, word = next(((item.text.find(w), w) for w in lexicon.conjunctions if w not in lexicon.trailing and w in item.text), (-1, ""))
        if at >= PROJECT_NAME_CHARS[0] and len(item.text) - at - len(word) >= PROJECT_NAME_CHARS[0]:
            out += [Span(item.start, item.start + at, item.text[:at]), Span(item.start + at + len(word), item.end, item.text[at + len(word) :])]
        else:
            out.append(item)
    return out


def find_work_lists(c: _Collector, paragraph: Span) -> list[Span]:
    """ "对甲改革、乙改革等工作进行了专题说明" → a project per item; where the paragraph names one
    special group ("…专项小组"), the projects are that group's. Returns the sentences read."""
    found: list[Span] = []
    read: list[tuple[int, int]] = []  # the lists read so far: a later pattern's reading of one is a worse one
    heads = c.lexicon.project_head_words
    for pattern in c.rules.patterns["work_list"]:
        for match in pattern.finditer(paragraph.text):
            sentence = next((s for s in split_sentences(paragraph, c.rules) if s.start <= paragraph.start + match.start() < s.end), paragraph)
            group = "items" if match.groupdict().get("items") else "item"
            if any(a < match.end(group) and match.start(group) < b for a, b in read):
                continue
            items = sub_span(paragraph, paragraph.start + match.start(group), paragraph.start + match.end(group))
            names = []
            counted = bool(match.groupdict().get("count"))
            listed: list[Span] = []
            for item in split_span(items, "、", keep_separator=False):
                # An item a counted list opens with a verb is one work ("探索甲与乙联动机制等14个项目").
                whole = counted and item.text.startswith(c.lexicon.lead_verbs)
                listed += [item] if whole else _split_conjoined_names([item], c.lexicon)
            for item in listed:
                # A counted list names its items as written ("深化全面从严治党等六项重点改革").
                lead = () if counted else (*c.lexicon.adverbs, *c.lexicon.lead_verbs)
                name = _balance_quotes(trim_span(_strip_leading(trim_span(item, QUOTES), lead), QUOTES), item)
                if WORK_NAME_CHARS[0] <= len(name.text.strip(QUOTES)) <= PROJECT_NAME_CHARS[1]:
                    names.append(_balance_quotes(trim_span(name, QUOTES), item))
            if len(names) < (2 if group == "items" else 1):
                continue
            if match.groupdict().get("reforms") is not None and sum(name.text.endswith(heads) for name in names) < 2:
                continue  # a list of things, not of reforms
            if counted:
                stated = c.lexicon.parse_count(match.group("count"))
                if stated is None or len(names) > stated or (not match.groupdict().get("closed") and len(names) != stated):
                    continue
            who = _work_owner(c, match, paragraph)
            if match.groupdict().get("who") is not None and who is None:
                continue  # "会议要求甲、乙等改革": no one the works are given to
            found.append(sentence)
            read.append((match.start(group), match.end(group)))
            groups = {g.key: g for g in _groups_in_prose(c, paragraph)}
            for name in names:
                project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
                if who is not None and who[0] != "groups":
                    kind, span = who
                    owner = c.mention(c.entity("group", span.text) if kind == "group" else _unit(c, span), sentence, span)
                    c.fact(project, "responsibleGroup" if kind == "group" else "leadUnit", owner, sentence, "work-list-owner")
                elif len(groups) == 1:
                    group = next(iter(groups.values()))
                    c.fact(project, "responsibleGroup", group, sentence, "work-list-group")
    return found


def _work_owner(c: _Collector, match: re.Match, paragraph: Span) -> tuple[str, Span] | None:
    """Who a list of works is given to ("五华区要着力抓好…", "某专项小组要…"): ("group", span) for
    a special group, ("groups", span) for a count of them that names none ("14个专项小组"),
    ("unit", span) for a unit or a place that names its level (区, 镇), else None."""
    if not match.groupdict().get("who"):
        return None
    who = sub_span(paragraph, paragraph.start + match.start("who"), paragraph.start + match.end("who"))
    if who.text.endswith(c.lexicon.group_suffixes):
        # "14个专项小组将负责推动甲、乙等领域的改革": a count of groups names none of them.
        return ("groups", who) if match.groupdict().get("counted") else ("group", who)
    places = tuple(suffix for suffix, level in c.lexicon.place_suffixes if level)
    if c.rules.brackets.is_unit(who.text) or (len(who.text) <= PLACE_OWNER_CHARS and who.text.endswith(places)):
        return "unit", who
    return None


# A place that is given works is named short: "五华区", "忠和镇".
PLACE_OWNER_CHARS = 6


# A note on a reviewed document's title: "（送审稿）", "（草案）", "(征求意见稿)".
DRAFT_NOTE = re.compile(r"[（(][^（）()]{0,6}(?:稿|草案)[）)]?$")
# A year's plan a meeting adopts names every reform of the year, not one: "《区委全面深化改革委员会
# 2025年工作要点》" (湖北 黄石 西塞山), "《福田区2017年改革计划》" (广东 福田).
YEAR_PLAN = re.compile(r"[0-9]{4}年度?[^《》]{0,12}(?:要点|计划)$")
# What ends a reform reported on: "甲试点推进情况" → 甲试点.
REPORT_TAIL = re.compile(r"(?:的)?(?:推进|进展|工作)?情况$")


def find_agenda(c: _Collector, paragraph: Span) -> list[Span]:
    """What a meeting took up: documents it reviewed ("审议了《甲方案》《乙纲要》", "审议了关于甲的
    实施方案") and reports it heard on a reform ("听取甲局关于“乙改革”的汇报"), each a project, a
    report's unit leading it. Returns the sentences read."""
    found: list[Span] = []

    def sentence_at(offset: int) -> Span:
        return next((s for s in split_sentences(paragraph, c.rules) if s.start <= offset < s.end), paragraph)

    def project(name: Span, sentence: Span) -> Entity:
        return c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)

    for pattern in c.rules.patterns["reviewed"]:
        for match in pattern.finditer(paragraph.text):
            sentence = sentence_at(paragraph.start + match.start())
            names = []
            if match.groupdict().get("titles"):
                for title in re.finditer(r"《([^《》]+)》", match.group("titles")):
                    at = paragraph.start + match.start("titles") + title.start(1)
                    text = DRAFT_NOTE.sub("", title.group(1))
                    if not YEAR_PLAN.search(text):
                        names.append(Span(at, at + len(text), text))
            else:
                names.append(sub_span(paragraph, paragraph.start + match.start("item"), paragraph.start + match.end("item")))
            who = match.groupdict().get("who")
            units = _unit_list(c, sub_span(paragraph, paragraph.start + match.start("who"), paragraph.start + match.end("who"))) if who else []
            for name in names:
                reform = project(name, sentence)
                for unit in units:
                    c.fact(reform, "leadUnit", c.mention(_unit(c, unit), sentence, unit), sentence, "submitted-by")
            found.append(sentence)
    for pattern in c.rules.patterns["reported"]:
        for match in pattern.finditer(paragraph.text):
            sentence = sentence_at(paragraph.start + match.start())
            item = sub_span(paragraph, paragraph.start + match.start("item"), paragraph.start + match.end("item"))
            tail = REPORT_TAIL.search(item.text)
            item = trim_span(sub_span(item, item.start, item.start + tail.start()) if tail else item, QUOTES)
            who = sub_span(paragraph, paragraph.start + match.start("who"), paragraph.start + match.end("who"))
            for name in _split_conjoined_names([item], c.lexicon):
                if len(name.text) < PROJECT_NAME_CHARS[0]:
                    continue
                reform = project(name, sentence)
                if c.rules.brackets.is_unit(who.text):
                    c.fact(reform, "leadUnit", c.mention(_unit(c, who), sentence, who), sentence, "reported-by")
            found.append(sentence)
    return found


# A line of a group's member list: "组 长：蓝某某 自治区主席", "副主任：竞某某（市科技局局长）", and
# lines under a label that go on with it: "秦某某 自治区党委常委、自治区常务副主席". A name is
# two to four characters (spaces between two: "潘 巍"), or a transcribed one ("尼加提·尼亚孜").
MEMBER_LINE = re.compile(
    r"^\s*(?:(?P<label>(?:[\u4e00-\u9fff]\s*){2,6})[:：]\s*)?"
    r"(?P<name>[\u4e00-\u9fff]{2,8}·[\u4e00-\u9fff]{2,8}|[\u4e00-\u9fff][ \u3000]{1,2}[\u4e00-\u9fff]|[\u4e00-\u9fff]{2,4})"
    r"(?:[ \u3000]*[（(](?P<bracketed>[^（）()]{2,60})[）)]|[ \u3000]+(?P<spaced>[^\s（）()][^（）()]{1,59}?))\s*$"
)
# A member list has at least this many such lines.
MIN_MEMBER_LINES = 3
# The label of a plain member: no post of its own.
MEMBER_LABEL = "成员"


def find_member_lists(c: _Collector) -> None:
    """A special group's members as its founding notice lists them (广西 平陆运河, 新疆 吐鲁番): each
    name holds the posts written after it (those ending in a title the lexicon knows) and the
    group post of its label (组长, 副主任), which lines under the label share."""
    titles = (*c.lexicon.titles, *c.lexicon.full_posts)
    members = []
    label: Span | None = None
    for line in split_span(Span(0, len(c.document.text), c.document.text), "\n", keep_separator=False):
        match = MEMBER_LINE.match(line.text)
        if match is None:
            # Other text ends a label's run of lines; a blank line or a lead-in ("成员如下：") does not.
            if line.text.strip() and not line.text.strip().endswith(("：", ":")):
                label = None
            continue
        if re.sub(r"\s+", "", match.group("name")) in c.lexicon.name_stopwords:
            continue
        group = "bracketed" if match.group("bracketed") else "spaced"
        if match.group("label"):
            label = sub_span(line, line.start + match.start("label"), line.start + match.end("label"))
            if re.sub(r"\s+", "", label.text) not in c.lexicon.titles:
                label = None
        own = [label] if label is not None and re.sub(r"\s+", "", label.text) != MEMBER_LABEL else []
        if group == "spaced":
            # "总河长：甲某 省委书记 乙某 省委副书记、省长": several members on the label's line.
            several = _officials_run_on(sub_span(line, line.start + match.start("name"), line.end), c.lexicon)
            if len(several) > 1 and several[-1].posts[-1].end == line.end:
                members.extend((official, own, line) for official in several)
                continue
        written = match.group(group)
        at = line.start + match.start(group)
        posts = [p for p in split_span(Span(at, at + len(written), written), "、", keep_separator=False) if p.text.endswith(titles)]
        if not posts:
            continue
        name = sub_span(line, line.start + match.start("name"), line.start + match.end("name"))
        members.append((_Official(tuple(posts), name), own, line))
    members.extend(_member_runs(c))
    if len(members) < MIN_MEMBER_LINES:
        return
    for official, own, line in members:
        _add_official(c, official, line, "member-list")
        person = c.entity("person", re.sub(r"\s+", "", official.person.text))
        for post_span in own:
            post = c.mention(c.entity("post", re.sub(r"\s+", "", post_span.text)), line, post_span)
            c.fact(person, "holdsPost", post, line, "member-list")


def _member_label_pattern(lexicon: Lexicon) -> re.Pattern:
    labels = sorted({*lexicon.titles, MEMBER_LABEL}, key=lambda w: (-len(w), w))
    return re.compile(f"(?P<label>{'|'.join(map(re.escape, labels))})[ \u3000]*[:：]")


def _member_runs(c: _Collector) -> list[tuple[_Official, list[Span], Span]]:
    """A member list run on in one line, as a page copied without its line breaks writes it
    ("组长:某某某副县长副组长:某某某县政府办公室副主任某某县科技局局长成员:…", 广西 蒙山, 北海):
    after each label, names each followed by the posts they hold, with or without a space between.
    A line holds at least two labels."""
    labels = _member_label_pattern(c.lexicon)
    members = []
    for line in split_span(Span(0, len(c.document.text), c.document.text), "\n", keep_separator=False):
        found = list(labels.finditer(line.text))
        if len(found) < 2 or MEMBER_LINE.match(line.text):
            continue
        for match, following in zip(found, [*found[1:], None]):
            label = sub_span(line, line.start + match.start("label"), line.start + match.end("label"))
            own = [label] if label.text != MEMBER_LABEL else []
            end = following.start() if following else len(line.text)
            run = sub_span(line, line.start + match.end(), line.start + end)
            members.extend((official, own, line) for official in _officials_run_on(run, c.lexicon))
    return members


def _officials_run_on(run: Span, lexicon: Lexicon) -> list[_Official]:
    """Names each followed by their posts: "某某某县政府办公室副主任某某某县科技局局长、…", or with
    spaces between ("某某某 省委书记 某某某 省委副书记、省长")."""
    officials = []
    at = 0
    text = run.text
    while at < len(text):
        while at < len(text) and text[at] in " \u3000、，,":
            at += 1
        best = None
        for size in NAME_SIZES:
            name = text[at : at + size]
            if len(name) < size or not all(HAN.fullmatch(ch) for ch in name) or name[0] not in lexicon.surnames:
                continue
            gap = len(text[at + size :]) - len(text[at + size :].lstrip(" \u3000"))
            posts = _posts_from(text, at + size + gap, lexicon)
            if posts and (best is None or posts[0] < best[2][0]):
                best = (at, size, posts)
        if best is None:
            break
        start, size, (_, spans) = best
        person = sub_span(run, run.start + start, run.start + start + size)
        officials.append(_Official(tuple(sub_span(run, run.start + a, run.start + b) for a, b in spans), person))
        at = spans[-1][1]
        while at < len(text) and text[at] in "(（兼)）":
            at += 1
    return officials


# The length of a name in a run-on member list, in the order tried: three characters, then two.
NAME_SIZES = (3, 2, 4)


def _posts_from(text: str, at: int, lexicon: Lexicon) -> tuple[int, list[tuple[int, int]]] | None:
    """The posts that start at ``at`` and follow each other after "、", with how sure the reading
    is (0: a level word or a complete post opens it; 1: a place does), or None."""
    spans, rank = [], 0
    while at < len(text):
        rest = text[at:]
        match = lexicon.post_pattern.match(rest)
        sure = 0
        if match is None or match.group("chained") or match.group("bare"):
            match, sure = lexicon.placed_post_pattern.match(rest) or lexicon.town_post_pattern.match(rest), 1
        if match is None:
            break
        rank = max(rank, sure) if spans else sure
        spans.append((at, at + match.end()))
        at += match.end()
        if not text.startswith("、", at):
            break
        at += 1
    return (rank, spans) if spans else None


def _groups_of_headings(c: _Collector, items: list[tuple[Segment, Entity]]) -> None:
    """A task named as a group ("（一）综合协调组。负责…") is that group's, and so is each task under
    a heading that names one ("（一）监督工作组" over its duties 1. 2. …). Who a group's task names
    its head ("（组长：某某，成员：…）") holds that post and leads the task."""
    def group_of(entity: Entity) -> Entity | None:
        if _first_match(c.rules.patterns["group_heading"], entity.label) is None:
            return None
        return c.entity("group", entity.label)

    answered = {f.subject.key for f in c.facts if f.predicate == "responsibleGroup"}
    first = {}
    for mention in c.mentions:
        first.setdefault((mention.entity.kind, mention.entity.key), mention)
    for fact in list(c.facts):
        if fact.predicate != "tier" or fact.subject.key in answered or not isinstance(fact.object, Entity):
            continue
        group = group_of(fact.object)
        heading = first.get(("tier", fact.object.key))
        if group is not None and heading is not None:
            c.mention(group, heading.span, heading.exact)
            c.fact(fact.subject, "responsibleGroup", group, fact.evidence, "group-heading")
            answered.add(fact.subject.key)
    named = set()
    for (kind, key), mention in first.items():
        group = group_of(mention.entity) if kind == "project" and key not in answered else None
        if group is not None:
            c.mention(group, mention.span, mention.exact)
            c.fact(mention.entity, "responsibleGroup", group, mention.span, "group-heading")
            named.add(key)
    for segment, project in items:
        if project.key not in named:
            continue
        for pattern in c.rules.patterns["group_head"]:
            for match in pattern.finditer(segment.span.text):
                role, name = _group(segment.span, match, "role"), _group(segment.span, match, "name")
                if name.text[0] not in c.lexicon.surnames or name.text in c.lexicon.name_stopwords:
                    continue
                official = _Official((role,), name)
                _add_official(c, official, segment.span, "group-head", None if match.group("deputy") else project)


def find_prose_tasks(c: _Collector, paragraph: Span) -> list[Span]:
    """ "第1项任务“甲”，牵头领导是常务副市长某某，主责单位是市发展改革委、各区政府。" → the project 甲
    with its number and fields. Returns the sentences read."""
    found: list[Span] = []
    matches = sorted((m for pattern in c.rules.patterns["task_in_prose"] for m in pattern.finditer(paragraph.text)), key=lambda m: m.start())
    matches = [m for k, m in enumerate(matches) if k == 0 or m.start() >= matches[k - 1].end()]
    for k, match in enumerate(matches):
        # What is said of a task runs to the next task or the end of its sentence (a "；" may
        # stand between its name and its fields).
        end = matches[k + 1].start() if k + 1 < len(matches) else len(paragraph.text)
        full_stop = paragraph.text.find("。", match.end(), end)
        end = full_stop if full_stop >= 0 else end
        said = sub_span(paragraph, paragraph.start + match.start(), paragraph.start + end)
        name = _name_of(c, sub_span(paragraph, paragraph.start + match.start("name"), paragraph.start + match.end("name")))
        if len(name.text) < MIN_ITEM_NAME_CHARS:
            continue
        project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), said, name)
        number = c.lexicon.parse_count(match.group("num"))
        if number is not None:
            c.fact(project, "ordinal", Value(str(number), "integer"), said, "task-number")
        _apply_fields(c, project, _prose_fields(sub_span(said, paragraph.start + match.end(), said.end), c.rules), said)
        found += [s for s in split_sentences(paragraph, c.rules) if s.start < said.end and said.start < s.end]
    return found


def find_unit_tasks(c: _Collector, paragraph: Span) -> list[Span]:
    """Tasks a news report tells with their unit as the subject: "市住建局要在8月底完成甲任务。9月底
    完成乙。" → 完成甲任务 and 完成乙, each led by 市住建局 with its deadline. A clause or sentence
    that opens with a deadline and names no unit continues the unit before it. Returns the
    sentences read."""
    found: list[Span] = []
    unit: Span | None = None
    for sentence in split_sentences(paragraph, c.rules):
        read = False
        undated: Entity | None = None  # the sentence's task still without its deadline
        clauses = [trim_span(clause, "。；;，, ") for clause in split_clauses(sentence, c.rules)]
        # A unit's task has a deadline: without one, "甲局要…" is a requirement a speech makes.
        dated = [_first_match(c.rules.patterns["continued_task"], clause.text) is not None for clause in clauses]
        for k, clause in enumerate(clauses):
            match = _first_match(c.rules.patterns["unit_subject"], clause.text)
            if match and (match.group("deadline") or match.groupdict().get("duty") or any(dated[k + 1 :])) and all(c.rules.brackets.is_unit(u.text) for u in split_list(_group(clause, match, "unit"), "、")):
                unit = _group(clause, match, "unit")
            elif unit is not None and (k > 0 or found):
                match = _first_match(c.rules.patterns["continued_task"], clause.text)
            else:
                match = None
            if match is None:
                if k == 0:
                    unit = None  # a sentence of something else: what follows names its own unit
                continue
            if undated is not None:
                # "甲公司要加快某开发，10月底完成年度任务": the deadline of the task before.
                _add_deadline(c, undated, _group(clause, match, "deadline"), sentence, "unit-subject")
                undated = None
                continue
            name = trim_span(_group(clause, match, "task"), QUOTES + "。 ")
            if not PROJECT_NAME_CHARS[0] <= len(name.text) <= 2 * PROJECT_NAME_CHARS[1]:
                continue
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            _apply_fields(c, project, [("leadUnit", unit)], sentence)
            if match.group("deadline"):
                _add_deadline(c, project, _group(clause, match, "deadline"), sentence, "unit-subject")
            else:
                undated = project
            read = True
        if read:
            found.append(sentence)
    return found


# Points in running prose make tasks from a run of this many, counted from one.
MIN_POINTS = 3


def find_points(c: _Collector, paragraph: Span) -> list[Span]:
    """Tasks a meeting lists as points of running prose: "会议要求：一是请区发改局会同统计局抓紧下发
    甲方案；二是请区住建局牵头，制定乙机制；三是…" → each point a task, numbered, with the units it
    opens with. Only a run of points counted from one makes tasks. Returns the points read."""
    if not c.rules.options["points_are_tasks"]:
        return []
    marks: list[re.Match] = []
    for match in c.rules.patterns["point"][0].finditer(paragraph.text):
        if c.lexicon.parse_count(match.group("num")) == len(marks) + 1:
            marks.append(match)
    if len(marks) < MIN_POINTS:
        return []
    found: list[Span] = []
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(paragraph.text)
        point = trim_span(sub_span(paragraph, paragraph.start + mark.end(), paragraph.start + end), "。；;，, \n")
        match = _first_match(c.rules.patterns["point_unit"], point.text)
        # "由甲牵头，乙配合，充分考虑…": the task follows the clause of who does it
        task = sub_span(point, point.start + match.start("task"), point.end) if match and match.groupdict().get("task") else point
        name = _name_of(c, task)
        if len(name.text) < MIN_ITEM_NAME_CHARS:
            continue
        project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), point, name)
        c.fact(project, "ordinal", Value(str(k + 1), "integer"), point, "point-number")
        if match:
            _apply_fields(c, project, _unit_pairs(point, match), point)
        _find_deadlines(c, project, point, name)
        found.append(point)
    return found


def _bare_name(text: str, lexicon: Lexicon) -> bool:
    """A person's name without a post, where a unit could stand: a surname and one or two
    characters more ("王某某", not "九重镇", "丁街道" or "丁社区")."""
    if any(text.endswith(suffix) for suffix, _ in lexicon.place_suffixes) or any(text.endswith(lv.label) for lv in lexicon.levels):
        return False
    return 2 <= len(text) <= 3 and text[0] in lexicon.surnames and all(HAN.fullmatch(ch) for ch in text)


# A paragraph tells its tasks with who answers for them where this many sentences do.
MIN_LED_TASKS = 2


def find_led_tasks(c: _Collector, paragraph: Span) -> list[Span]:
    """Tasks a paragraph tells a sentence each with who answers for them, as a bracket would say
    it: "由县甲局牵头，县乙局配合，在9月底前完成丙工作；由丁街道牵头，…" or "甲整治由王某牵头，乙镇
    落实；…". The clause of who answers is read by the bracket grammar; a name that is no unit's
    is a leader's. Returns the sentences read."""
    found: list[tuple[Span, list[Span], Span, list[tuple[str, Span]]]] = []  # sentence, names, said, fields
    for sentence in split_sentences(paragraph, c.rules):
        body = trim_span(sentence, "。；;，, ")
        # The first clause that opens with 由, or with its task and then 由.
        previous = None
        for clause in split_span(body, "，,：:"):
            clause = trim_span(clause, "，,：: ")
            before = _first_match(c.rules.patterns["led_task"], clause.text)
            if before or clause.text.startswith("由"):
                break
            previous = clause
        else:
            continue
        start = clause.start + (before.end("task") if before else 0)
        clauses = find_responsibility_clauses(c, sub_span(body, start, body.end))
        if clauses is None:
            continue
        run, pairs = clauses
        names = None
        if before:
            said = _group(clause, before, "task")
        else:
            said = trim_span(sub_span(body, run.end, body.end), "。；;，, ")
            if not said.text and previous is not None:
                # "完善甲机制，由甲局、乙局等分工负责": the task is what comes before; "关于甲的建议、
                # 关于乙的建议，由副省长某某领办": a list of titles before is a work each.
                titled = _first_match(c.rules.patterns["title_opening"], previous.text) is not None
                said = previous if titled else trim_span(sub_span(body, body.start, previous.end), "，, ")
                names = _listed_works(said, c) if titled else None
        if len(said.text) < MIN_ITEM_NAME_CHARS:
            continue
        fields = [("lead" if field == "leadUnit" and _bare_name(value.text, c.lexicon) else field, value) for field, value in pairs]
        names = [n for n in names if len(n.text) >= MIN_ITEM_NAME_CHARS] if names else [_name_of(c, said)]
        found.append((sentence, names, said, fields))
    if len(found) < MIN_LED_TASKS:
        return []
    for sentence, names, said, fields in found:
        for name in names:
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            _apply_fields(c, project, fields, sentence)
            _find_deadlines(c, project, said, name)
    return [sentence for sentence, _, _, _ in found]


def _listed_works(said: Span, c: _Collector) -> list[Span]:
    """The titles a list names ("关于甲和乙的建议、关于丙的建议和关于丁的建议"), each whole, though
    a "、" or a conjunction stands inside one."""
    joints = [m for pattern in c.rules.patterns["title_joint"] for m in pattern.finditer(said.text)]
    starts = [0, *(m.end() for m in joints)]
    ends = [*(m.start() for m in joints), len(said.text)]
    return [sub_span(said, said.start + a, said.start + b) for a, b in zip(starts, ends)]


# An official on a line of its own ("张小宏 副市长", "吴   伟 常务副市长") is at most this long,
# spaces aside.
MAX_OFFICIAL_LINE_CHARS = 20


def official_line(line: Span, lexicon: Lexicon) -> _Official | None:
    """The official a line holds and nothing else: "龚   正 市长" (a name padded to the width of
    three, then the post), "常务副市长 吴伟" — how a page of leaders' divisions of work heads each
    leader's duties."""
    kept = [k for k, ch in enumerate(line.text) if not ch.isspace()]
    compact = "".join(line.text[k] for k in kept)
    if not 3 <= len(compact) <= MAX_OFFICIAL_LINE_CHARS or not HAN.fullmatch(compact[0]):
        return None
    found = [o for o in find_officials(Span(0, len(compact), compact), lexicon) if o.person is not None]
    if len(found) != 1:
        return None
    spans = sorted((*found[0].posts, found[0].person), key=lambda span: span.start)
    if spans[0].start != 0 or spans[-1].end != len(compact) or any(b.start - a.end > 1 for a, b in zip(spans, spans[1:])):
        return None  # the line says more than who the official is

    def placed(span: Span) -> Span:
        start, end = line.start + kept[span.start], line.start + kept[span.end - 1] + 1
        return Span(start, end, line.text[start - line.start : end - line.start])

    return _Official(tuple(placed(post) for post in found[0].posts), placed(found[0].person))


def find_duty_lists(c: _Collector, paragraph: Span, heading: _Official | None = None) -> list[Span]:
    """The areas an official answers for, where a division of leaders' work names them: a
    sentence that opens with an official ("常务副省长某某：负责甲工作，主要负责抓好乙、丙等方面工作
    的落实"), or any sentence under an official's line (``heading``, "吴伟 常务副市长" then "负责甲、
    乙等工作。"), gives each area of its duty clauses to that official; a unit an official
    分管 is no area. Returns the sentences read."""
    found: list[Span] = []
    for sentence in split_sentences(paragraph, c.rules):
        clauses = split_clauses(sentence, c.rules)
        if not clauses:
            continue
        officials = [o for o in find_officials(clauses[0], c.lexicon) if o.person is not None]
        official = officials[0] if len(officials) == 1 else None
        # The official opens the sentence: nothing but a post or its name stands before.
        if official is not None and sentence.text[: min(span.start for span in (*official.posts, official.person)) - sentence.start].strip(" 　"):
            official = None
        if official is not None:
            said = max(span.end for span in (*official.posts, official.person))
        elif heading is not None:
            official, said = heading, sentence.start
        else:
            continue
        read = False
        for k, clause in enumerate(clauses):
            if k == 0:
                clause = sub_span(clause, said, clause.end)
            clause = trim_span(clause, " 　")
            match = _first_match(c.rules.patterns["duty_list"], clause.text)
            if match is None:
                continue
            for item in split_list(_group(clause, match, "items"), "、"):  # "发展和改革(能源、物价)" is one
                name = trim_span(item, QUOTES + " ")
                unit = re.sub(r"[（(][^（）()]*[）)]$", "", name.text)  # "市经济和信息化委员会(市无线电管理局)"
                if not 2 <= len(name.text) <= PROJECT_NAME_CHARS[1] or c.rules.brackets.is_unit(unit):
                    continue  # an area may be named by two characters: 监察, 财税
                project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
                _add_official(c, official, sentence, "duty-list", project)
                read = True
        if read:
            found.append(sentence)
    return found


def short_names(c: _Collector) -> dict[str, str]:
    """The short names the document gives bodies ("省委全面深化改革领导小组(简称“领导小组”)"):
    short → full."""
    return {m.group("short"): m.group("full") for p in c.rules.patterns["short_name"] for m in p.finditer(c.document.text)}


def find_body_duties(c: _Collector, paragraph: Span, shorts: dict[str, str]) -> list[Span]:
    """A body's duties after its 职责 ("省委改革办负责处理日常事务工作，主要职责是：甲；乙"): each
    duty a project that body answers for — a group as its responsible group, a unit as its
    lead. A body named by its short name is the body the document gave it to. Returns the
    sentences read."""
    found: list[Span] = []
    read_to = paragraph.start
    for sentence in split_sentences(paragraph, c.rules):
        if sentence.start < read_to:
            continue
        # The duties run on past the sentence ends of "；" to the paragraph's "。".
        match = next((m for p in c.rules.patterns["body_duties"] if (m := p.match(paragraph.text, sentence.start - paragraph.start))), None)
        if match is None:
            continue
        read_to = paragraph.start + match.end()
        sentence = sub_span(paragraph, sentence.start, read_to)
        owner = _duty_owner(c, trim_span(_group(paragraph, match, "who"), QUOTES + " "), sentence, shorts)
        if owner is None:
            continue
        for duty in split_span(_group(paragraph, match, "duties"), "；;", keep_separator=False):
            name = _name_of(c, duty)
            if len(name.text) < PROJECT_NAME_CHARS[0]:
                continue
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            c.fact(project, owner[1], owner[0], sentence, "body-duties")
        found.append(sentence)
    return found


def _duty_owner(c: _Collector, who: Span, sentence: Span, shorts: dict[str, str]) -> tuple[Entity, str] | None:
    """The body whose duties a sentence lists, and how it answers for them: a group as the
    responsible group, a unit as the lead. A short name that is only what the body is ("领导小组")
    stands for the body it was given to; one that names it ("省委改革办") is its name."""
    short = who.text in shorts and (who.text in c.lexicon.group_suffixes or not c.rules.brackets.is_unit(who.text))
    full = re.sub(r"\s+", "", shorts[who.text] if short else who.text)
    if full.endswith(c.lexicon.group_suffixes):
        return c.mention(c.entity("group", full), sentence, who), "responsibleGroup"
    if c.rules.brackets.is_unit(full):
        return c.mention(c.entity("organization", c.lexicon.canonical_unit(full)), sentence, who), "leadUnit"
    return None


def _duty_runs(c: _Collector, segment: Segment, shorts: dict[str, str]) -> tuple[tuple[Entity, str] | None, list[Span], list[tuple[str, Span]]]:
    """An item that lists a body's duties and closes them with one bracket of fields ("某某组的
    主要职责为：由甲、乙组成，负责丙；丁；戊（牵头单位：甲）", 株洲): the body, the duties (empty
    where there are fewer than two), each a task, and the bracket's fields, which apply to each."""
    text = segment.span.text
    match = next((m for p in c.rules.patterns["body_duties"] if (m := p.match(text))), None)
    if match is None:
        return None, [], []
    duties = [trim_span(d, CLAUSE_PUNCTUATION + " ") for d in split_list(_group(segment.span, match, "duties"), "；;")]
    regions = find_field_regions(segment.span, c.rules, c.first_leads)
    duties = [_outside(d, [r for r, _ in regions]) or d for d in duties]
    duties = [sub_span(d, d.start + (m.end() if (m := _first_match(c.rules.patterns["duty_lead"], d.text)) else 0), d.end) for d in duties]
    duties = [d for d in duties if len(d.text) >= PROJECT_NAME_CHARS[0]]
    if len(duties) < 2:
        return None, [], []
    owner = _duty_owner(c, trim_span(_group(segment.span, match, "who"), QUOTES + " "), segment.span, shorts)
    return owner, duties, [pair for _, pairs in regions for pair in pairs]


def find_dated_works(c: _Collector, paragraph: Span) -> None:
    """Reforms a report gives a deadline or names a meeting for: "力争在9月底前基本完成甲改革工作",
    "乙改革在12月底前基本落实到位" (the project with its deadline), "召开丙改革动员会" — each named
    as a project is (it ends in a project head)."""
    heads = c.lexicon.project_head_words
    for sentence in split_sentences(paragraph, c.rules):
        for key in ("dated_work", "meeting_on"):
            for match in (m for pattern in c.rules.patterns[key] for m in pattern.finditer(sentence.text)):
                name = _strip_leading(trim_span(_group(sentence, match, "project"), QUOTES), (*c.lexicon.adverbs, *c.lexicon.lead_verbs))
                if not name.text.endswith(heads) or not PROJECT_NAME_CHARS[0] <= len(name.text) <= PROJECT_NAME_CHARS[1]:
                    continue
                project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
                _add_levels(c, project, name, standalone=False)  # "乡镇机构改革": the levels its name holds
                if match.groupdict().get("deadline"):
                    _add_deadline(c, project, _group(sentence, match, "deadline"), sentence, "dated-work")


def _first_match(patterns: tuple[re.Pattern, ...], text: str) -> re.Match | None:
    return next((m for p in patterns if (m := p.match(text))), None)


def _group(span: Span, match: re.Match, group: str) -> Span:
    return sub_span(span, span.start + match.start(group), span.start + match.end(group))


def _prose_fields(span: Span, rules: Rules) -> list[tuple[str, Span]]:
    """ "，牵头领导是某某，主责单位是甲、乙" → [("lead", 某某), ("leadUnit", 甲、乙)]: each value runs to
    the next clause mark or the next cue."""
    cues = list(rules.prose_field_cue.finditer(span.text))
    pairs = []
    for i, cue in enumerate(cues):
        stop = cues[i + 1].start() if i + 1 < len(cues) else len(span.text)
        clause_end = re.search("[，,。；;]", span.text[cue.end() : stop])
        stop = cue.end() + clause_end.start() if clause_end else stop
        field = rules.field_of(cue.group()[: cue.start("link") - cue.start()])
        value = sub_span(span, span.start + cue.end(), span.start + stop)
        if field and value.text:
            pairs.append((field, value))
    return pairs


def _groups_in_prose(c: _Collector, paragraph: Span) -> list[Entity]:
    groups = []
    for pattern in c.rules.patterns["group_in_prose"]:
        for match in pattern.finditer(paragraph.text):
            span = sub_span(paragraph, paragraph.start + match.start("group"), paragraph.start + match.end("group"))
            sentence = next((s for s in split_sentences(paragraph, c.rules) if s.start <= span.start < s.end), paragraph)
            groups.append(c.mention(c.entity("group", span.text), sentence, span))
    return groups


def _is_place(text: str, lexicon: Lexicon) -> bool:
    """Whether the tagger reads ``text`` as one place name ("甘肃", "菏泽")."""
    tokens = list(lexicon.tokenizer.cut(text))
    return len(tokens) == 1 and tokens[0].flag == "ns"


# A place before the work a group is named for: "甘肃省", "菏泽市".
PLACE_BEFORE_WORK = re.compile(f"{HAN_CLASS}{{2,4}}?[省市县区](?={HAN_CLASS}{{3}})")


def find_work_groups(c: _Collector, paragraph: Span) -> None:
    """ "成立镇粮食生产工作领导小组" → the project 粮食生产, that group's, where the document names
    the work outside the group's name too. A group for reform as a whole ("全面深化改革领导小组")
    names no one work."""
    found = []
    for pattern in c.rules.patterns["work_group"]:
        for match in pattern.finditer(paragraph.text):
            # The name starts at the last place it may: "听取了四个县市区某某领导小组" names 某某.
            match = next((m for pos in range(match.end("work") - 3, match.start(), -1) if (m := pattern.match(paragraph.text, pos)) and m.end() == match.end()), match)
            work = sub_span(paragraph, paragraph.start + match.start("work"), paragraph.start + match.end("work"))
            # "甘肃省黄标车和老旧车淘汰工作领导小组": the work without the place the group is of.
            placed = PLACE_BEFORE_WORK.match(work.text)
            if placed and c.document.text.count(work.text) < 2 and _is_place(placed.group()[:-1], c.lexicon):
                work = sub_span(work, work.start + placed.end(), work.end)
            if not work.text.endswith(c.lexicon.generic_works) and c.document.text.count(work.text) >= 2:
                found.append((sub_span(paragraph, paragraph.start + match.start("group"), paragraph.start + match.end("group")), work))
    for span, work in found:
        # "菏泽市某某建设领导小组" and "市某某建设领导小组" are one group's names: the work is 某某建设,
        # the group named as where its work is named shortest.
        shortest = min((f for f in found if work.text.endswith(f[1].text)), key=lambda f: len(f[1].text))
        name = shortest[1].text
        sentence = next((s for s in split_sentences(paragraph, c.rules) if s.start <= work.start < s.end), paragraph)
        group = c.mention(c.entity("group", shortest[0].text), sentence, span)
        project = c.mention(c.entity("project", name, project_key(name, c.lexicon)), sentence, work)
        c.fact(project, "responsibleGroup", group, sentence, "work-group")
        _add_levels(c, project, work, standalone=False)  # "深化乡镇改革": the levels it names


def find_group_purposes(c: _Collector, paragraph: Span) -> None:
    """A group set up for a work the sentence names first: "为加快推进甲建设，…，成立乙指挥部",
    "强力推进丙建设，决定成立丁工作专班" → the project 甲建设, 乙指挥部's. A group already given
    its work by its name (``find_work_groups``) takes no other."""
    grouped = {f.object.key for f in c.facts if f.predicate == "responsibleGroup"}
    for pattern in c.rules.patterns["group_purpose"]:
        for match in pattern.finditer(paragraph.text):
            group_span, work = (sub_span(paragraph, paragraph.start + match.start(g), paragraph.start + match.end(g)) for g in ("group", "work"))
            group = c.entity("group", group_span.text)
            if group.key in grouped:
                continue
            sentence = next((s for s in split_sentences(paragraph, c.rules) if s.start <= work.start < s.end), paragraph)
            c.mention(group, sentence, group_span)
            project = c.mention(c.entity("project", work.text, project_key(work.text, c.lexicon)), sentence, work)
            c.fact(project, "responsibleGroup", group, sentence, "group-purpose")
            _add_levels(c, project, work, standalone=False)


def _convened_works(c: _Collector, listed: set[str]) -> None:
    """Where a report is of one group's meeting, inspection or visit ("某某专项领导小组全体会议在某地
    举行"), the works it names in prose are that group's, unless a group of their own is named."""
    convened: dict[str, tuple[Entity, Span]] = {}
    for pattern in c.rules.patterns["convening_group"]:
        for match in pattern.finditer(c.document.text):
            span = Span(match.start("group"), match.end("group"), match.group("group"))
            work = span.text[: -len(next(g for g in c.lexicon.group_suffixes if span.text.endswith(g)))]
            if work.endswith(c.lexicon.generic_works):
                continue  # "市委全面深化改革领导小组": reform as a whole, whose works other groups answer for
            group = c.entity("group", span.text)
            convened.setdefault(group.key, (group, span))
    if len(convened) != 1:
        return
    group, span = next(iter(convened.values()))
    c.mention(group, span, span)
    grouped = {f.subject.key for f in c.facts if f.predicate == "responsibleGroup"}
    projects = {m.entity.key: m for m in c.mentions if m.entity.kind == "project" and m.entity.key not in listed and m.entity.key not in grouped}
    for mention in projects.values():
        c.fact(mention.entity, "responsibleGroup", group, (span, mention.span), "convening-group")


# A label before a colon: a run of Chinese after a line start, a mark or a bracket ("督办科室：").
LABEL_BEFORE_COLON = re.compile(f"(?:^|(?<=[^\\u3400-\\u9fff]))({HAN_CLASS}{{2,10}})\\s*[:：]", re.MULTILINE)


def find_unread_cues(c: _Collector, failed_items: list[Segment]) -> list[Cue]:
    """What looks like responsibility but gave no fact, for the report (see ``Cue``): labels
    ending like a field ("…科室：", "…领导：") that no label reads, brackets of units at a
    sentence's end that attached to nothing, names after posts that became no person, numbered
    items that became no task."""
    text, cues = c.document.text, []
    units = sorted(m.exact.start for m in c.mentions if m.entity.kind == "organization")

    def holds_unit(start: int, end: int) -> bool:
        i = bisect_right(units, start - 1)
        return i < len(units) and units[i] < end

    for match in LABEL_BEFORE_COLON.finditer(text):
        label = match.group(1)
        # "…各部门、各直属机构：" addresses a notice; it labels nothing.
        addressee = (
            label.startswith(c.lexicon.collectives)
            or text[match.start(1) - 1 : match.start(1)] in LIST_SEPARATORS
            or any(word in label for word in c.lexicon.addressees)
        )
        if label.endswith(c.rules.label_heads) and not addressee and c.rules.field_of(label) is None:
            cues.append(Cue(Span(match.start(1), match.end(1), label), "label"))
    for match in c.rules.bracket.finditer(text):
        items = split_list(Span(match.start("inside"), match.end("inside"), match.group("inside")), c.rules.list_seps)
        if any(item.text.endswith(c.lexicon.unit_suffixes) for item in items) and not holds_unit(match.start(), match.end()):
            cues.append(Cue(Span(match.start(), match.end(), match.group()), "bracket"))
    people = {m.exact.start for m in c.mentions if m.entity.kind == "person"}
    whole = Span(0, len(text), text)
    for match in c.lexicon.post_pattern.finditer(text):
        if match.end() in people:  # read: the usual case, and no tagging needed to know it
            continue
        person = _person_after(whole, match.end(), c.lexicon)
        if person is not None and person.start not in people:
            cues.append(Cue(Span(match.start(), person.end, text[match.start() : person.end]), "name"))
    cues += [Cue(segment.title or segment.span, "item") for segment in failed_items]
    return sorted(set(cues))


def extract_records(document: SourceDocument, segments: tuple[Segment, ...], rules: Rules, lexicon: Lexicon, genre: str = "") -> Extraction:
    """Apply every rule strategy to every segment of one document."""
    c = _Collector(document, rules, lexicon)
    c.year = _document_year(c)
    c.first_leads = any(p.search(document.text) for p in rules.patterns["first_is_lead"])
    items: list[tuple[Segment, Entity]] = []
    listed: list[tuple[Entity, Span]] = []
    failed_items: list[Segment] = []
    shorts = short_names(c)
    # How many rows share each row number written once over them (a box table's spanning cell).
    numbers = Counter(piece for segment in segments if segment.kind == "row" for cell in segment.cells if cell.role == "ordinal" for piece in cell.pieces)

    def spanning_numbers(row: Segment) -> int:
        return max((numbers[piece] for cell in row.cells if cell.role == "ordinal" for piece in cell.pieces), default=0)

    for segment in segments:
        if segment.kind == "item" and segment.ordinal is None:
            owner, duties, pairs = _duty_runs(c, segment, shorts)
            if duties:
                for duty in duties:
                    name = _name_of(c, duty)
                    project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), duty, name)
                    _apply_fields(c, project, pairs, (name, segment.span))
                    if owner is not None:
                        c.fact(project, owner[1], owner[0], (name, segment.span), "body-duties")
                    listed.append((project, duty))
                continue
        if segment.kind == "item":
            heading, runs = _bracket_runs(c, segment)
            if runs:
                tier = _heading_tier(c, segments, segment)
                if heading is not None:
                    name = _name_of(c, heading)
                    tier = (c.entity("tier", name.text), name)
                for run in runs:
                    task = dataclasses.replace(segment, span=run, title=run, body=None, ordinal=None)
                    project = _extract_item(c, task, tier)
                    if project:
                        _apply_heading_leads(c, project, _heading_leads(c, segments, segment))
                        items.append((task, project))
                        listed.append((project, run))
                continue
            project = _extract_item(c, segment, _heading_tier(c, segments, segment))
            if project is None:
                failed_items.append(segment)
            if project:
                _apply_heading_leads(c, project, _heading_leads(c, segments, segment))
                items.append((segment, project))
                listed.append((project, segment.title or segment.span))
        elif segment.kind == "row":
            for project in _extract_row(c, segment, _heading_tier(c, segments, segment), spanning_numbers(segment) > 1):
                _apply_heading_leads(c, project, _heading_leads(c, segments, segment))
                listed.append((project, segment.span))
    _list_owner(c, listed)
    find_member_lists(c)
    known_tiers: dict[str, Entity] = {}
    shingles = _item_shingles(items)
    heading: _Official | None = None  # the official whose line heads the paragraphs below
    for segment in segments:
        if segment.kind in ("heading", "paragraph") and (official := official_line(segment.span, c.lexicon)) is not None:
            heading = official
            _add_official(c, official, segment.span, "official-line")
            continue
        if segment.kind != "paragraph":
            continue
        # A report's list of reforms names the sentence's projects; its officials are read still.
        reported = find_work_lists(c, segment.span) + find_agenda(c, segment.span)
        find_work_groups(c, segment.span)
        find_group_purposes(c, segment.span)
        lists = find_project_lists(c, segment.span) + find_prose_tasks(c, segment.span)
        lists += find_unit_tasks(c, segment.span) + find_duty_lists(c, segment.span, heading) + find_body_duties(c, segment.span, shorts)
        lists += find_points(c, segment.span) + find_led_tasks(c, segment.span)
        find_dated_works(c, segment.span)
        named: list[bool | None] = []  # per sentence: named one project (None: read as a list)
        sentences = split_sentences(segment.span, rules)
        for sentence in sentences:
            if any(span.start <= sentence.start and sentence.end <= span.end for span in lists):
                named.append(None)
                continue
            bound = _bound_item(sentence, items, shingles)
            if bound:
                c.mention(bound, sentence, sentence)
            named.append(_extract_prose_sentence(c, sentence, known_tiers, bound, names_projects=sentence not in reported) or (False if bound is None else None))
        for k in range(1, len(sentences) - 1):
            if named[k] is False and named[k - 1] and named[k + 1]:
                _project_in_a_run(c, sentences[k])
    _convened_works(c, {project.key for project, _ in listed})
    _groups_of_headings(c, items)
    return Extraction(
        document=document,
        genre=genre or rules.name,
        segments=segments,
        mentions=tuple(c.mentions),
        facts=tuple(c.facts),
        figures=tuple(c.figures),
        used=tuple(c.used),
        warnings=tuple(c.warnings),
        unread=tuple(find_unread_cues(c, failed_items)),
    )

"""Rule strategies applied to a document's segments → mentions, facts and stated figures.

Every rule here is generic: its words come from the genre file (kg/genres/) and the lexicon
(kg/lexicon/). Each fact carries the sentence that states it and the name of the rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .lexicon import HAN_CLASS, Lexicon
from .model import Entity, Extraction, Fact, Mention, Segment, SourceDocument, Span, StatedFigure, Value
from .rules import Rules
from .segment import split_clauses, split_sentences, split_span, sub_span

# Characters that wrap or separate names but are not part of them.
QUOTES = "“”‘’\"'「」『』《》"
LIST_SEPARATORS = "、，,"
# A prose sentence that repeats this much of an item's text speaks of that item.
MIN_SHARED_CHARS = 20
# Project names in prose are at least this long and at most this long (characters).
PROJECT_NAME_CHARS = (4, 40)
HAN = re.compile(HAN_CLASS)


def normalize_key(text: str) -> str:
    """The identity of a name: NFKC, no white space, no quote marks."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in QUOTES)


def trim_span(span: Span, chars: str) -> Span:
    """Drop leading and trailing ``chars`` (and white space) from a span."""
    text = span.text
    left = len(text) - len(text.lstrip(chars + " \t"))
    right = len(text.rstrip(chars + " \t"))
    return Span(span.start + left, span.start + right, text[left:right]) if right > left else Span(span.start, span.start, "")


def strip_words(text: str, words: tuple[str, ...], keep: int = 1) -> str:
    """Drop any of ``words`` from the start of ``text``, again and again, while at least ``keep``
    characters would remain ("还将探索建立…" → "…")."""
    stripped = True
    while stripped:
        stripped = False
        for word in words:
            if text.startswith(word) and len(text) - len(word) >= keep:
                text, stripped = text[len(word) :], True
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

    def entity(self, kind: str, label: str, key: str | None = None) -> Entity:
        return Entity(kind, key if key is not None else normalize_key(label), label)

    def mention(self, entity: Entity, sentence: Span, exact: Span) -> Entity:
        self.mentions.append(Mention(entity, sentence, exact))
        self.used.append(exact)
        return entity

    def fact(self, subject: Entity, predicate: str, obj, sentence: Span, rule: str) -> None:
        self.facts.append(Fact(subject, predicate, obj, (sentence,), rule))
        self.used.append(sentence)


# --- officials ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Official:
    posts: tuple[Span, ...]  # a chain such as 县委书记、县人大常委会主任
    person: Span | None


def _person_after(span: Span, at: int, lexicon: Lexicon) -> Span | None:
    """The name right after a post, as jieba tags it (nr), e.g. "张三" in "区委书记张三亲自…"."""
    rest = span.text[at - span.start : at - span.start + 8]
    tokens = list(lexicon.tokenizer.cut(rest))
    if not tokens or not HAN.fullmatch(tokens[0].word[0]) or tokens[0].word in lexicon.name_stopwords:
        return None
    first = tokens[0]
    if not first.flag.startswith("nr"):
        return None
    name = first.word
    if len(name) == 1 and len(tokens) > 1:
        nxt = tokens[1]
        if len(nxt.word) <= 2 and all(HAN.fullmatch(c) for c in nxt.word) and nxt.word not in lexicon.name_stopwords:
            name += nxt.word
    if not 2 <= len(name) <= 4 or not all(HAN.fullmatch(c) for c in name):
        return None
    return Span(at, at + len(name), name)


def find_officials(span: Span, lexicon: Lexicon) -> list[_Official]:
    """Posts and the person holding them: "区委书记张三", "县委书记、县人大常委会主任李四"."""
    officials, chain = [], []
    for match in lexicon.post_pattern.finditer(span.text):
        start, end = span.start + match.start(), span.start + match.end()
        post = Span(start, end, match.group())
        # A chain continues when only "、" separates this post from the previous one.
        if chain and span.text[chain[-1].end - span.start : start - span.start] not in ("、", "，"):
            officials.append(_Official(tuple(chain), None))
            chain = []
        chain.append(post)
        person = _person_after(span, end, lexicon)
        if person:
            officials.append(_Official(tuple(chain), person))
            chain = []
    if chain:
        officials.append(_Official(tuple(chain), None))
    return officials


def _add_official(c: _Collector, official: _Official, sentence: Span, rule: str, project: Entity | None = None) -> None:
    person = c.mention(c.entity("person", official.person.text), sentence, official.person) if official.person else None
    for post_span in official.posts:
        post = c.mention(c.entity("post", post_span.text), sentence, post_span)
        if person:
            c.fact(person, "holdsPost", post, sentence, rule)
        if project:
            c.fact(project, "leadPost", post, sentence, rule)
    if project and person:
        c.fact(project, "leadPerson", person, sentence, rule)


# --- fields in titles and parentheses ----------------------------------------------------


def _field_values(span: Span, rules: Rules) -> tuple[Span, list[tuple[str, Span]]]:
    """Split "名称牵头区领导:区委书记某某;牵头单位:区发改局" into the name and (field, value) pairs."""
    cue_pattern = "|".join(map(re.escape, rules.fields))
    if not cue_pattern:
        return span, []
    cues = list(re.finditer(f"(?:{cue_pattern})\\s*[:：]?", span.text))
    if not cues:
        return span, []
    name = sub_span(span, span.start, span.start + cues[0].start())
    pairs = []
    for i, cue in enumerate(cues):
        end = cues[i + 1].start() if i + 1 < len(cues) else len(span.text)
        value = trim_span(sub_span(span, span.start + cue.end(), span.start + end), ";；,，。 ")
        word = cue.group().rstrip(":： ")
        if value.text:
            pairs.append((rules.fields[word], value))
    return name, pairs


def _apply_fields(c: _Collector, project: Entity, pairs: list[tuple[str, Span]], sentence: Span) -> None:
    for name, value in pairs:
        if name == "lead":
            for official in find_officials(value, c.lexicon):
                _add_official(c, official, sentence, "field-lead", project)
        elif name in ("leadUnit", "supportUnit"):
            for unit in split_span(value, LIST_SEPARATORS, keep_separator=False):
                unit = trim_span(unit, QUOTES + c.lexicon.trailing)
                if unit.text:
                    c.fact(project, name, c.mention(c.entity("organization", unit.text), sentence, unit), sentence, f"field-{name}")
        elif name == "deadline":
            c.fact(project, "deadline", Value(value.text, language="zh"), sentence, "field-deadline")
            c.used.append(value)


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


def find_levels(sentence: Span, rules: Rules, lexicon: Lexicon) -> list[Span]:
    """Levels of government the sentence names as levels.

    Chains ("区-街道-社区"), lists ("区、街道、社区") and "X级" name any level; a level word
    standing alone as its own token ("居民小组党建") names it only if the lexicon says so.
    """
    text, found = sentence.text, {}
    level = lexicon.level_pattern.pattern
    sep = rules.level_chain_sep.pattern
    grade = rules.level_grade.pattern
    runs = f"(?:{level})(?:(?:{sep})(?:{level}))+(?:{grade})?|(?:{level})(?:{grade})"
    tokens = list(lexicon.tokenizer.tokenizer.cut(text, HMM=False))
    edges, offset = {0}, 0
    for token in tokens:
        offset += len(token)
        edges.add(offset)
    for match in re.finditer(runs, text):
        # A run must not be carved out of words: "城市、区域" is no list of 市 and 区.
        if match.start() not in edges or match.end() not in edges:
            continue
        for word in lexicon.level_pattern.finditer(match.group()):
            start = sentence.start + match.start() + word.start()
            found.setdefault(word.group(), Span(start, start + len(word.group()), word.group()))
    offset = 0
    for token in tokens:
        lv = lexicon.level(token)
        if lv and lv.standalone:
            found.setdefault(token, Span(sentence.start + offset, sentence.start + offset + len(token), token))
        offset += len(token)
    return sorted(found.values())


def _strip_leading(span: Span, words: tuple[str, ...], keep: int = 1) -> Span:
    text = strip_words(span.text, words, keep)
    return sub_span(span, span.end - len(text), span.end)


def find_measures(clauses: list[Span], lexicon: Lexicon, exclude: set[str]) -> list[Span]:
    """Clauses that open with a measure verb (after adverbs): "建立“区-街道-社区”三级权责清单"."""
    measures = []
    for clause in clauses:
        bare = _strip_leading(clause, lexicon.adverbs)
        if any(bare.text.startswith(v) for v in lexicon.measure_verbs) and normalize_key(bare.text) not in exclude:
            if len(bare.text) >= 4:
                measures.append(trim_span(bare, QUOTES + lexicon.trailing))
    return measures


# --- projects in prose -------------------------------------------------------------------


def _balance_quotes(name: Span, within: Span) -> Span:
    """Take back a quote mark that trimming cut off, at either end: "“某某+”工作机制", not
    "某某+”工作机制"; "存在“信息壁垒”", not "存在“信息壁垒"."""
    pairs = {"”": "“", "」": "「", "』": "『", "’": "‘"}
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
        opening = _strip_leading(text, lexicon.adverbs)
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
            if re.search(r"[0-9０-９]", name.text) or lexicon.parse_count(name.text[:1]) is not None:
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
            found = []
            for item in items:
                label = item.text if item.text.endswith(suffix) else item.text + suffix
                found.append(c.mention(c.entity("group", label), sentence, item))
            groups.extend(found)
            stated = c.lexicon.parse_count(match.group("count"))
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


def _bound_item(paragraph: Span, items: list[tuple[Segment, Entity]]) -> Entity | None:
    """The listed project a prose sentence restates, by a long stretch of shared text."""
    best, best_size = None, 0
    for segment, project in items:
        other = segment.body.text if segment.body else segment.span.text
        match = SequenceMatcher(None, paragraph.text, other, autojunk=False).find_longest_match(0, len(paragraph.text), 0, len(other))
        if match.size > best_size:
            best, best_size = project, match.size
    return best if best_size >= MIN_SHARED_CHARS else None


def _describe(c: _Collector, project: Entity, sentence: Span, clauses: list[Span], exclude: set[str]) -> None:
    """Problems, levels and measures a sentence states about ``project``."""
    for problem in find_problems(sentence, c.rules, c.lexicon):
        c.fact(project, "addressesProblem", c.mention(c.entity("problem", problem.text), sentence, problem), sentence, "problem-frame")
    for level_span in find_levels(sentence, c.rules, c.lexicon):
        lv = c.lexicon.level(level_span.text)
        level = c.mention(c.entity("level", lv.label, lv.key), sentence, level_span)
        c.fact(project, "involvesLevel", level, sentence, "level-word")
    for measure in find_measures(clauses, c.lexicon, exclude):
        entity = c.entity("measure", measure.text, project.key + "|" + normalize_key(measure.text))
        c.fact(project, "hasMeasure", c.mention(entity, sentence, measure), sentence, "measure-verb")


def _extract_item(c: _Collector, segment: Segment) -> Entity | None:
    title = segment.title or segment.span
    name, pairs = _field_values(title, c.rules)
    name = trim_span(name, QUOTES + "。.；;")
    if len(name.text) < 2:
        return None
    project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), title, name)
    if segment.ordinal is not None:
        c.fact(project, "ordinal", Value(str(segment.ordinal), "integer"), title, "item-number")
    _apply_fields(c, project, pairs, title)
    exclude = {normalize_key(name.text), project.key}
    body_sentences = split_sentences(segment.body, c.rules) if segment.body else []
    for sentence in body_sentences:
        _describe_item_sentence(c, project, sentence, exclude)
    return project


def _describe_item_sentence(c: _Collector, project: Entity, sentence: Span, exclude: set[str]) -> None:
    for pattern in c.rules.patterns["responsible_group"]:
        for match in pattern.finditer(sentence.text):
            group = Span(sentence.start + match.start("group"), sentence.start + match.end("group"), match.group("group"))
            c.fact(project, "responsibleGroup", c.mention(c.entity("group", group.text), sentence, group), sentence, "responsible-group")
    _describe(c, project, sentence, split_clauses(sentence, c.rules), exclude)


def _extract_prose_sentence(c: _Collector, sentence: Span, known_tiers: dict[str, Entity], bound: Entity | None) -> None:
    """Groups, tiers, figures, officials and projects stated in running prose.

    A sentence ``bound`` to a listed project restates it: what it says is about that project,
    and it names no new project.
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

    clauses = split_clauses(sentence, c.rules)
    project, named = bound, 0
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
        name = None if bound else find_prose_project(clause, c.lexicon, first_in_sentence=index == 0)
        if name and not groups:
            project = c.mention(c.entity("project", name.text, project_key(name.text, c.lexicon)), sentence, name)
            named += 1
    if bound is not None:
        _describe_item_sentence(c, bound, sentence, {bound.key})
    elif project is not None and named == 1:
        # A sentence naming several projects (a list of names) says nothing about any one.
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


def extract_records(document: SourceDocument, segments: tuple[Segment, ...], rules: Rules, lexicon: Lexicon, genre: str = "") -> Extraction:
    """Apply every rule strategy to every segment of one document."""
    c = _Collector(document, rules, lexicon)
    items: list[tuple[Segment, Entity]] = []
    for segment in segments:
        if segment.kind == "item":
            project = _extract_item(c, segment)
            if project:
                items.append((segment, project))
    known_tiers: dict[str, Entity] = {}
    for segment in segments:
        if segment.kind != "paragraph":
            continue
        for sentence in split_sentences(segment.span, rules):
            bound = _bound_item(sentence, items)
            if bound:
                c.mention(bound, sentence, sentence)
            _extract_prose_sentence(c, sentence, known_tiers, bound)
    return Extraction(
        document=document,
        genre=genre or rules.name,
        segments=segments,
        mentions=tuple(c.mentions),
        facts=tuple(c.facts),
        figures=tuple(c.figures),
        used=tuple(c.used),
        warnings=tuple(c.warnings),
    )

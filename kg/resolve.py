"""Merge mentions of the same thing, drop repeated facts, and infer what the text licenses;
find where a document is from, and which people, groups and units of several documents are one.

Inference here is limited to what a document states as a rule of its own ("the key projects
are carried out by these 7 groups"); every inferred fact names its rule and its premises.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import combinations
from typing import Sequence


from .ids import KIND_CLASSES
from .lexicon import HAN_CLASS, Lexicon
from .model import Entity, Extraction, Fact, Resolved, Span, StatedFigure
from .tagger import HAN_INTERNAL, Token


# name → (English description). The rule IRIs and labels in the graph come from here.
INFERENCE_RULES = {
    "tier-from-group": "A project whose responsible special group carries out a tier's projects belongs to that tier.",
    "tier-from-lead-post": "A project led by the holder of a post that leads a tier's projects belongs to that tier.",
}


def _canonical_entities(extraction: Extraction) -> dict[tuple[str, str], Entity]:
    """One entity per (kind, key): the first form met, except that a listed project keeps the
    label its numbered list gives it."""
    listed = {(f.subject.kind, f.subject.key): f.subject for f in extraction.facts if f.predicate == "ordinal"}
    chosen: dict[tuple[str, str], Entity] = dict(listed)
    for mention in extraction.mentions:
        chosen.setdefault((mention.entity.kind, mention.entity.key), mention.entity)
    for fact in extraction.facts:
        for entity in (fact.subject, fact.object):
            if isinstance(entity, Entity):
                chosen.setdefault((entity.kind, entity.key), entity)
    return chosen


def _merge_facts(facts: list[Fact], canon: dict[tuple[str, str], Entity]) -> list[Fact]:
    def pick(term):
        return canon[(term.kind, term.key)] if isinstance(term, Entity) else term

    merged: dict[tuple, Fact] = {}
    for fact in facts:
        subject, obj = pick(fact.subject), pick(fact.object)
        ident = (subject.kind, subject.key, fact.predicate, obj)
        previous = merged.get(ident)
        if previous is None and len(fact.evidence) == 1:
            evidence = fact.evidence  # what sorting the set of one span would give
        else:
            evidence = tuple(sorted(set(fact.evidence + (previous.evidence if previous else ())), key=_span_order))
        merged[ident] = Fact(subject, fact.predicate, obj, evidence, previous.rule if previous else fact.rule)
    return list(merged.values())


def infer_tiers(facts: list[Fact]) -> list[Fact]:
    """Tier membership from what a document says each tier is carried out by or led by."""
    by_predicate: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_predicate[fact.predicate].append(fact)
    stated = {(f.subject, f.object) for f in by_predicate["tier"]}
    inferred: dict[tuple, Fact] = {}
    for criterion, membership, rule in (
        ("carriedOutBy", "responsibleGroup", "tier-from-group"),
        ("ledByPost", "leadPost", "tier-from-lead-post"),
    ):
        for tier_fact in by_predicate[criterion]:
            for project_fact in by_predicate[membership]:
                if project_fact.object != tier_fact.object:
                    continue
                ident = (project_fact.subject, tier_fact.subject)
                if ident in stated or ident in inferred:
                    continue
                evidence = tuple(sorted(set(tier_fact.evidence + project_fact.evidence)))
                inferred[ident] = Fact(project_fact.subject, "tier", tier_fact.subject, evidence, rule, True, (tier_fact, project_fact))
    return list(inferred.values())


def count_found(figure: StatedFigure, entities: list[Entity], facts: list[Fact]) -> int | None:
    """How many of what a figure counts were found, or None where that cannot be counted."""
    if figure.scope is not None:
        return sum(1 for f in facts if f.predicate == "tier" and f.object.key == figure.scope.key)
    if ":" in figure.counts:  # qualified ("5个重点项目"): not a class we can count
        return None
    return sum(1 for e in entities if e.kind == figure.counts)


def _unused(extraction: Extraction, sentences: list[Span]) -> list[Span]:
    """Sentences no rule consumed any part of. Linear after sorting: the used spans are merged
    into disjoint runs, and each sentence looks only at the run that starts before its end."""
    runs: list[list[int]] = []
    for u in sorted((u.start, u.end) for u in extraction.used if u.end > u.start):
        if runs and u[0] <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], u[1])
        else:
            runs.append([u[0], u[1]])
    starts = [r[0] for r in runs]

    def touched(s: Span) -> bool:
        i = bisect_left(starts, s.end) - 1
        return i >= 0 and runs[i][1] > s.start

    return [s for s in sentences if not touched(s)]


def resolve_extraction(extraction: Extraction, sentences: list[Span], lexicon: Lexicon | None = None) -> Resolved:
    """Merge, de-duplicate, infer, and count. ``sentences`` are the document's, for the unused report.

    With the ``lexicon``, also find where the document is from and the levels of the posts its
    people hold, which decide whether they are the same people as in other documents
    (``assign_places``); without it, every person, group and unit stays within its document.
    """
    canon = _canonical_entities(extraction)
    facts = _merge_facts(list(extraction.facts), canon)
    facts += infer_tiers(facts)
    entities = sorted(canon.values(), key=_entity_order)
    mentions = tuple(
        sorted(
            {type(m)(canon[(m.entity.kind, m.entity.key)], m.span, m.exact, m.written) for m in extraction.mentions},
            key=lambda m: (_entity_order(m.entity), _span_order(m.span), _span_order(m.exact)),
        )
    )
    figures: dict[tuple, StatedFigure] = {}
    for figure in extraction.figures:
        scope = canon.get((figure.scope.kind, figure.scope.key)) if figure.scope else None
        figures.setdefault((figure.counts, figure.value, scope), StatedFigure(figure.label, figure.value, figure.counts, scope, figure.evidence))
    counted = tuple((f, count_found(f, entities, facts)) for f in figures.values())
    return Resolved(
        document=extraction.document,
        genre=extraction.genre,
        entities=tuple(entities),
        mentions=mentions,
        facts=tuple(sorted(facts, key=_fact_order)),
        figures=counted,
        unused=tuple(_unused(extraction, sentences)),
        warnings=extraction.warnings,
        unread=extraction.unread,
        place=detect_place(extraction.document.text, lexicon) if lexicon else None,
        person_levels=collect_post_levels(facts, lexicon) if lexicon else (),
    )


def _fact_order(fact: Fact) -> tuple:
    obj = fact.object
    return (_entity_order(fact.subject), fact.predicate, (obj.kind, obj.key) if isinstance(obj, Entity) else ("", obj.text), fact.inferred)


# The order of Entity and Span (dataclasses with order=True) as tuples of their compared fields:
# the same order, without a call to the dataclass's __lt__ for each comparison.
def _entity_order(entity: Entity) -> tuple[str, str, str]:
    return (entity.kind, entity.key, entity.label)


def _span_order(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.text)


# --- where a document is from -------------------------------------------------------------

# jieba's tags for proper names: place (ns), person (nr), organization (nt). jieba takes many
# county and street names it does not know for person names ("某某/nr 街道"), so all three may
# start a place name; only ns counts for a name written without its suffix ("某某" for 某某区).
NAME_TAGS = ("ns", "nr", "nt")
PLACE_TAG = "ns"
# A place name has at least this many characters before its suffix: 某某区 is a name, while
# 山区, 城区, 全区 and 我区 are ordinary words.
MIN_STEM_CHARS = 2
# A name written once counts where the document introduces itself — in its opening (title,
# issuer, dateline) or as the owner of an organ or post ("某某区委", "某某市人民政府") — or
# wherever it is written at least MIN_MENTIONS times; a name met once in passing never counts.
OPENING_CHARS = 100
MIN_MENTIONS = 3
# The title of another document: a place named there is that document's, not ours
# (贯彻落实《某某省…若干政策措施》 in a city's paper).
CITED_TITLE = re.compile("《[^《》\n]*》")
HAN_WORD = re.compile(f"{HAN_CLASS}+")


def _split_place(name: str, lexicon: Lexicon) -> tuple[str, str] | None:
    """(stem, level or "") when ``name`` is a stem and a place suffix ("某某"+"区"), else None.

    The longest suffix decides, so "某某开发区" is a 开发区 (no level) and not a 区.
    """
    for suffix, level in lexicon.place_suffixes:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return (stem, level) if len(stem) >= MIN_STEM_CHARS and HAN_WORD.fullmatch(stem) else None
    return None


def find_tagged_blocks(text: str, pattern: re.Pattern) -> list[tuple[int, str]]:
    """(offset, block) for each of jieba's blocks of ``text`` in which ``pattern`` occurs.

    jieba cuts and tags each run of Chinese characters, letters and digits by itself (its
    ``re_han_internal`` blocks; what lies between is punctuation and space, tagged x). A block
    that holds no part of what is sought can be left untagged without changing the tokens of
    the others.
    """
    return [(m.start(), m.group()) for m in HAN_INTERNAL.finditer(text) if pattern.search(m.group())]


def _place_name_pattern(lexicon: Lexicon) -> re.Pattern:
    """Where a place name may end: a place suffix after MIN_STEM_CHARS Chinese characters."""
    suffixes = "|".join(re.escape(s) for s, _ in lexicon.place_suffixes)
    return re.compile(f"{HAN_CLASS}{{{MIN_STEM_CHARS}}}(?:{suffixes})")


def _find_place_names(text: str, lexicon: Lexicon) -> tuple[list[tuple[str, int]], Counter]:
    """Place names with a suffix as (name, offset), and how often each name's stem is written
    without its suffix (tagged ns by jieba).

    jieba cuts a place name in several ways, all read here: "某某区/ns", "某某市委/nt" (an
    organ after it), "某/ns 某区/ns", "某某/ns 区委书记", "某某/nr 街道". A name, and the
    token after its first one, lie within one of jieba's blocks (``find_tagged_blocks``), so
    only the blocks where a name can end are tagged, then those holding a name's stem, and
    within them only what ``tag_block`` needs.
    """
    suffixes = re.compile("|".join(re.escape(s) for s, _ in lexicon.place_suffixes))
    runs: dict[str, list] = {}  # a document writes its names again and again
    routes: dict[str, dict] = {}  # and the same block again: in the second pass above all
    names = []
    for start, block in find_tagged_blocks(text, _place_name_pattern(lexicon)):
        names += _read_place_names(tag_block(block, lexicon, suffixes, runs, routes), start, lexicon)
    stems = sorted({_split_place(name, lexicon)[0] for name, _ in names}, key=lambda w: (-len(w), w))
    bare: Counter = Counter()
    if stems:
        stem_pattern = re.compile("|".join(map(re.escape, stems)))
        for _, block in find_tagged_blocks(text, stem_pattern):
            bare.update(t.word for t in tag_block(block, lexicon, stem_pattern, runs, routes) if t.flag == PLACE_TAG and t.word in stems)
    return names, bare


def tag_block(
    block: str, lexicon: Lexicon, wanted: re.Pattern, runs: dict[str, list] | None = None, routes: dict[str, dict] | None = None
) -> list[Token]:
    """The tokens jieba.posseg gives one block, except that a run of characters it would tag
    with its hidden Markov model stays one untagged token (x) where ``wanted`` occurs neither in
    it nor in the word after it: that model is most of the cost of tagging, and a place name
    ("某某/nr 街道") or a stem is found only where its suffix or the stem is written.

    The steps are those of jieba's ``POSTokenizer.__cut_DAG`` (jieba 0.42): the most likely
    route of dictionary words, runs of single characters outside the dictionary to the model.
    The model's tokens depend on the run alone: ``runs`` keeps them for the next blocks; the
    route of dictionary words depends on the block alone: ``routes`` keeps it for the same block.
    """
    runs = {} if runs is None else runs
    posseg = lexicon.tokenizer
    posseg.makesure_userdict_loaded()
    base, tags = posseg.tokenizer, posseg.word_tag_tab
    route = routes.get(block) if routes is not None else None
    if route is None:
        route = {}
        base.calc(block, base.get_DAG(block), route)
        if routes is not None:
            routes[block] = route
    tokens: list[Token] = []

    def add_run(run: str, following: str) -> None:
        if len(run) == 1:
            tokens.append(Token(run, tags.get(run, "x")))
        elif base.FREQ.get(run):
            tokens.extend(Token(ch, tags.get(ch, "x")) for ch in run)
        elif wanted.search(run + following):
            if run not in runs:
                runs[run] = list(posseg.cut_detail(run))
            tokens.extend(runs[run])
        else:
            tokens.append(Token(run, "x"))

    run, x = "", 0
    while x < len(block):
        y = route[x][1] + 1
        if y - x == 1:
            run += block[x]
        else:
            if run:
                add_run(run, block[x:y])
                run = ""
            tokens.append(Token(block[x:y], tags.get(block[x:y], "x")))
        x = y
    if run:
        add_run(run, "")
    return tokens


def _read_place_names(tokens: list, start: int, lexicon: Lexicon) -> list[tuple[str, int]]:
    """Place names with a suffix, as (name, offset), in the tokens of a block at ``start``."""
    offsets = [start]
    for token in tokens:
        offsets.append(offsets[-1] + len(token.word))
    names = []
    joined = False  # the token was read as the end of the name before it ("某/ns 某区/ns")
    for i, token in enumerate(tokens):
        if joined or token.flag not in NAME_TAGS:
            joined = False
            continue
        word = token.word
        organ = next((o for o in lexicon.organs if word.endswith(o) and _split_place(word[: -len(o)], lexicon)), "")
        name = word[: len(word) - len(organ)]
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if not _split_place(name, lexicon) and after is not None:
            # jieba cut inside the stem ("某/ns 某区/ns"), never two names ("某某/ns 某市/ns")
            if len(word) < MIN_STEM_CHARS and after.flag in NAME_TAGS and _split_place(word + after.word, lexicon):
                name, joined = word + after.word, True
            else:
                # the suffix alone ("某某/ns 市/n") or heading an organ ("某某/ns 区委书记"), not
                # the start of a word ("某某/ns 市场")
                suffix = next((s for s, organs in lexicon.place_suffix_organs if after.word == s or after.word.startswith(organs)), "")
                name = word + suffix
        if _split_place(name, lexicon):
            names.append((name, offsets[i]))
    return names


def find_own_level(text: str, lexicon: Lexicon) -> str | None:
    """The level a document speaks as: the level word most often heading one of its posts or
    organs ("区委书记", "区政府", "縣委"), where one level leads; else None.

    Parent levels are named too ("按照省委、市委和区委部署"), but less often than the
    document's own.
    """
    words = {lv.label: lv.label for lv in lexicon.levels} | {s: lv for s, lv in lexicon.place_suffixes if lv}
    # Every level word is in the pattern, so that "社区" is read whole and never as 区; only
    # levels a place can be named at are counted.
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))))
    countable = {lv for _, lv in lexicon.place_suffixes if lv}
    heads: dict[int, str] = {}
    for match in pattern.finditer(text):
        if text.startswith(lexicon.organs, match.end()):
            heads[match.start()] = words[match.group()]
    for post in lexicon.post_pattern.finditer(text):
        level = pattern.search(post.group())
        if level:
            heads[post.start() + level.start()] = words[level.group()]
    counts = Counter(lv for lv in heads.values() if lv in countable).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def detect_place(text: str, lexicon: Lexicon) -> str | None:
    """Where a document is from: the place name it writes most (counting the name written
    without its suffix), among those at the level the document speaks as; None when no name
    qualifies or two tie.

    A name qualifies when the document introduces itself with it (in its opening, or owning an
    organ or a post) or writes it at least MIN_MENTIONS times; names in the titles of cited
    documents are ignored. So a district's paper that names its city, its province or another
    district in passing is still the district's.
    """
    text = CITED_TITLE.sub(lambda m: " " * len(m.group()), text)
    own = find_own_level(text, lexicon)
    names, bare = _find_place_names(text, lexicon)
    owners = (*lexicon.organs, *lexicon.full_posts)
    scores: Counter = Counter()
    stems, introduced = {}, set()
    for name, start in names:
        stem, level = _split_place(name, lexicon)
        if own is not None and level != own:
            continue
        scores[name] += 1
        stems[name] = stem
        if start < OPENING_CHARS or text.startswith(owners, start + len(name)):
            introduced.add(name)
    for name, stem in stems.items():
        scores[name] += bare[stem]
    ranked = sorted(((c, n) for n, c in scores.items() if n in introduced or c >= MIN_MENTIONS), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


# --- the same person, group or unit in several documents -----------------------------------


def collect_post_levels(facts: list[Fact], lexicon: Lexicon) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(person key, the level words of the posts a document says the person holds), sorted:
    区委书记 and 区长 → ("区",); a post without a level word (党工委书记) adds none."""
    levels: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.predicate == "holdsPost" and not fact.inferred:
            found = lexicon.level_pattern.search(fact.object.label)
            levels[fact.subject.key].update([found.group()] if found else [])
    return tuple(sorted((key, tuple(sorted(words))) for key, words in levels.items()))


def _posts_agree(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two documents' accounts of one name's posts agree where one names no level or both share one:
    区委书记 and 区长 agree, and so do 区委书记 and no post; 区委书记 and 县教育局局长 do not."""
    return not first or not second or bool(first & second)


def assign_places(documents: Sequence[Resolved]) -> dict[tuple[str, str, str], str]:
    """(doc_id, kind, key) → the place an entity's identity is scoped to, for the kinds that
    ``kg.ids.KIND_CLASSES`` scopes to a place, in documents whose place is known.

    A group or a unit is one within a place: 区发展改革局 in two papers of one district is one unit.
    A person is one within a place only if every two documents that name them there agree on
    their posts (``_posts_agree``); where any two disagree — 张三 the 区委书记 and 张三 the
    县教育局局长 — each of those documents keeps its own 张三, since two officials may share a
    name and nothing says which mention is which. People who merely share a post never merge:
    a person's key is the name.
    """
    scoped = {kind for kind, (_, scope) in KIND_CLASSES.items() if scope == "place"}
    places: dict[tuple[str, str, str], str] = {}
    people: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for resolved in documents:
        if resolved.place is None:
            continue
        doc_id, held = resolved.document.doc_id, dict(resolved.person_levels)
        for entity in (e for e in resolved.entities if e.kind in scoped):
            if entity.kind == "person":
                people[(resolved.place, entity.key)].append((doc_id, frozenset(held.get(entity.key, ()))))
            else:
                places[(doc_id, entity.kind, entity.key)] = resolved.place
    for (place, key), accounts in people.items():
        if all(_posts_agree(a, b) for (_, a), (_, b) in combinations(accounts, 2)):
            places.update(((doc_id, "person", key), place) for doc_id, _ in accounts)
    return places

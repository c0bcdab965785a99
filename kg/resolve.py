"""Merge mentions of the same thing, drop repeated facts, and infer what the text licenses.

Inference here is limited to what a document states as a rule of its own ("the key projects
are carried out by these 7 groups"); every inferred fact names its rule and its premises.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Entity, Extraction, Fact, Resolved, Span, StatedFigure

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
        evidence = tuple(sorted(set(fact.evidence + (previous.evidence if previous else ()))))
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
    used = sorted(extraction.used)
    return [s for s in sentences if not any(u.start < s.end and s.start < u.end for u in used)]


def resolve_extraction(extraction: Extraction, sentences: list[Span]) -> Resolved:
    """Merge, de-duplicate, infer, and count. ``sentences`` are the document's, for the unused report."""
    canon = _canonical_entities(extraction)
    facts = _merge_facts(list(extraction.facts), canon)
    facts += infer_tiers(facts)
    entities = sorted(canon.values())
    mentions = tuple(
        sorted(
            {type(m)(canon[(m.entity.kind, m.entity.key)], m.span, m.exact) for m in extraction.mentions},
            key=lambda m: (m.entity, m.span, m.exact),
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
    )


def _fact_order(fact: Fact) -> tuple:
    obj = fact.object
    return (fact.subject, fact.predicate, (obj.kind, obj.key) if isinstance(obj, Entity) else ("", obj.text), fact.inferred)

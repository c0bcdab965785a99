"""Score an extracted graph against a hand-made gold annotation.

Both sides become the same flat rows — ``(relation, subject forms, object forms)`` — and are
matched per relation, one-to-one. The gold format (a TSV) and its conventions are described in
``tests/gold/README.md``.

Matching compares normalised strings: a gold cell may list ``|``-separated alternatives, and a
graph node offers its ``rdfs:label`` plus any ``skos:altLabel`` / ``rkg:writtenForm``. A pair
matches when some alternative equals some form. Relations whose objects are clauses rather than
names (``LENIENT_RELATIONS``) also get a lenient score, where containment either way suffices.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node
from rdflib.util import guess_format

from kg.errors import GraphError, InputError, RuleFileError
from kg.vocab import RKG

GOLD_HEADER = ("relation", "subject", "object", "note")
ALTERNATIVE_SEPARATOR = "|"
MICRO = "micro"

# The fuzzy relations: their objects are clauses that annotators and extractors cut differently.
LENIENT_RELATIONS = frozenset({"addressesProblem", "hasMeasure"})

# Dropped before comparing: “ ” ‘ ’ " ' 「 」 『 』
_QUOTES = "\u201c\u201d\u2018\u2019\"'\u300c\u300d\u300e\u300f"
# Unified to ASCII "-": ‐ ‑ ‒ – — ― − ─ (the document writes "区-街道-社区" and "区—街道—社区")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500"
# Punctuation NFKC leaves alone: the ideographic full stop
_EXTRA = {"\u3002": "."}
_TRANSLATION = {
    **{ord(c): None for c in _QUOTES},
    **{ord(c): "-" for c in _DASHES},
    **{ord(k): v for k, v in _EXTRA.items()},
}
# Stripped from both ends: a clause cut with or without its trailing comma is the same clause.
_EDGE_PUNCTUATION = ".,;:!?\u3001"


class Row(NamedTuple):
    """One fact. ``subject``/``object`` hold every acceptable form (alternatives or labels).

    ``obj`` is empty for the unary relations (``project``, ``group``, ``tierName``).
    ``line`` is the gold file line, 0 for a row read from a graph.
    """

    relation: str
    subject: tuple[str, ...]
    obj: tuple[str, ...]
    note: str = ""
    line: int = 0


GoldRow = Row


class Score(NamedTuple):
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


class RelationScore(NamedTuple):
    """Strict and lenient scores of one relation; equal for relations outside ``LENIENT_RELATIONS``."""

    strict: Score
    lenient: Score


# ---------------------------------------------------------------------------------------------
# normalisation and matching


def normalise_text(text: str) -> str:
    """NFKC, no whitespace, no quote marks, one dash, no punctuation at either end."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATION).casefold()
    return "".join(text.split()).strip(_EDGE_PUNCTUATION)


def forms_match(gold: Iterable[str], predicted: Iterable[str], lenient: bool = False) -> bool:
    """True when some gold alternative equals (or, if ``lenient``, contains or is contained in)
    some predicted form, after normalisation. Two empty cells match (unary relations)."""
    gold_forms = {normalise_text(g) for g in gold}
    predicted_forms = {normalise_text(p) for p in predicted}
    if not gold_forms and not predicted_forms:
        return True
    if gold_forms & predicted_forms:
        return True
    if not lenient:
        return False
    return any(g and p and (g in p or p in g) for g in gold_forms for p in predicted_forms)


def rows_match(gold: Row, predicted: Row, lenient: bool = False) -> bool:
    """Subjects always strictly; objects leniently only when asked."""
    return (
        gold.relation == predicted.relation
        and forms_match(gold.subject, predicted.subject)
        and forms_match(gold.obj, predicted.obj, lenient)
    )


def match_rows(gold: list[Row], predicted: list[Row], lenient: bool = False) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (Kuhn's augmenting paths): ``(gold index, predicted index)``.

    Maximum rather than greedy, so one generous predicted row cannot steal the only partner of
    another gold row.
    """
    candidates = [
        [j for j, p in enumerate(predicted) if rows_match(g, p, lenient)] for g in gold
    ]
    partner_of_predicted: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in partner_of_predicted or augment(partner_of_predicted[j], seen):
                partner_of_predicted[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in partner_of_predicted.items())


def counts_to_score(tp: int, fp: int, fn: int) -> Score:
    """Precision, recall and F1 from counts; 0.0 where a denominator is zero."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(tp, fp, fn, precision, recall, f1)


def score(gold: list[Row], predicted: list[Row]) -> dict[str, RelationScore]:
    """Per relation (every relation present on either side) plus ``MICRO``, the micro-average."""
    relations = sorted({r.relation for r in gold} | {r.relation for r in predicted}, key=_relation_order)
    scores: dict[str, RelationScore] = {}
    for relation in relations:
        g = [r for r in gold if r.relation == relation]
        p = [r for r in predicted if r.relation == relation]
        by_mode = []
        for lenient in (False, relation in LENIENT_RELATIONS):
            tp = len(match_rows(g, p, lenient))
            by_mode.append(counts_to_score(tp, len(p) - tp, len(g) - tp))
        scores[relation] = RelationScore(*by_mode)
    scores[MICRO] = RelationScore(
        _pool([s.strict for s in scores.values()]), _pool([s.lenient for s in scores.values()])
    )
    return scores


def _pool(scores: list[Score]) -> Score:
    """Micro-average: add up the counts, then compute the ratios once."""
    return counts_to_score(
        sum(s.tp for s in scores), sum(s.fp for s in scores), sum(s.fn for s in scores)
    )


def format_scores(scores: dict[str, RelationScore]) -> str:
    """An aligned text table: counts, strict P/R/F1, and the lenient tp/P/R/F1."""
    header = ("relation", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1", "tp~", "P~", "R~", "F1~")
    body = []
    for relation, s in scores.items():
        strict, lenient = s
        body.append(
            (
                relation,
                str(strict.tp + strict.fn),
                str(strict.tp + strict.fp),
                str(strict.tp),
                str(strict.fp),
                str(strict.fn),
                *(f"{x:.3f}" for x in strict[3:]),
                str(lenient.tp),
                *(f"{x:.3f}" for x in lenient[3:]),
            )
        )
    widths = [max(len(line[k]) for line in (header, *body)) for k in range(len(header))]

    def render(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:]))])

    lines = [render(header), render(tuple("-" * w for w in widths))]
    lines += [render(line) for line in body]
    lines.append("~ lenient: the object may contain, or be contained in, the other side's")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# the graph side

NodePairs = Callable[[Graph], Iterable[tuple[Node, Node | None]]]


def _instances(cls: Node) -> NodePairs:
    return lambda graph: ((s, None) for s in graph.subjects(RDF.type, cls, unique=True))


def _pairs(predicate: Node) -> NodePairs:
    return lambda graph: graph.subject_objects(predicate, unique=True)


def _figures(graph: Graph) -> Iterator[tuple[Node, Node]]:
    # ?doc rkg:statesFigure ?f . ?f rdfs:label "28个改革项目"@zh ; rkg:statedValue 28
    for figure in set(graph.objects(None, RKG.statesFigure)):
        for value in graph.objects(figure, RKG.statedValue):
            yield figure, value


# relation name → where its (subject, object) pairs are in a graph. The keys are the gold vocabulary.
RELATIONS: dict[str, NodePairs] = {
    "project": _instances(RKG.ReformProject),
    "ordinal": _pairs(RKG.ordinal),
    "leadPerson": _pairs(RKG.leadPerson),
    "leadPost": _pairs(RKG.leadPost),
    "holdsPost": _pairs(RKG.holdsPost),
    "responsibleGroup": _pairs(RKG.responsibleGroup),
    "group": _instances(RKG.SpecialGroup),
    "tierName": _instances(RKG.ProjectTier),
    "tier": _pairs(RKG.tier),
    "involvesLevel": _pairs(RKG.involvesLevel),
    "addressesProblem": _pairs(RKG.addressesProblem),
    "figure": _figures,
    "hasMeasure": _pairs(RKG.hasMeasure),
    "leadUnit": _pairs(RKG.leadUnit),
    "supportUnit": _pairs(RKG.supportUnit),
    "deadline": _pairs(RKG.deadline),
    "deadlineDate": _pairs(RKG.deadlineDate),
}
UNARY_RELATIONS = frozenset({"project", "group", "tierName"})
QUAD_FORMATS = frozenset({"trig", "nquads", "trix"})
INTEGER_RELATIONS = frozenset({"ordinal", "figure"})


def _relation_order(relation: str) -> tuple[int, str]:
    order = list(RELATIONS)
    return (order.index(relation) if relation in order else len(order), relation)


def _literal_text(literal: Literal) -> str:
    value = literal.toPython()
    # integers print as "28" whatever their lexical form ("028", "+28")
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else str(literal)


def node_forms(graph: Graph, node: Node | None) -> tuple[str, ...]:
    """How a node is written: its Chinese (or untagged) labels first, then altLabel/writtenForm."""
    if node is None:
        return ()
    if isinstance(node, Literal):
        return (_literal_text(node),)
    labels = [lit for lit in graph.objects(node, RDFS.label) if isinstance(lit, Literal)]
    preferred = [lit for lit in labels if lit.language in (None, "zh") or str(lit.language).startswith("zh-")]
    alternatives = [
        lit
        for predicate in (SKOS.altLabel, RKG.writtenForm)
        for lit in graph.objects(node, predicate)
        if isinstance(lit, Literal)
    ]
    forms = sorted({str(lit) for lit in preferred or labels}) + sorted({str(lit) for lit in alternatives})
    return tuple(dict.fromkeys(forms))


def read_predicted(graph: Graph) -> list[Row]:
    """Every fact of a built graph as rows, in relation order, sorted within a relation.

    One row per triple: two project nodes with the same label are two rows, so an extractor that
    fails to merge them pays a false positive.
    """
    rows: list[Row] = []
    for relation, pairs in RELATIONS.items():
        found = [
            Row(relation, node_forms(graph, s), node_forms(graph, o))
            for s, o in pairs(graph)
        ]
        rows.extend(sorted(found))
    return rows


def read_graph(path: str | Path) -> Graph:
    """Parse a graph file, its format taken from the extension."""
    path = Path(path)
    rdf_format = guess_format(str(path))
    if rdf_format is None:
        raise GraphError(
            "cannot tell the graph format from the file extension "
            "(use .ttl, .nt, .n3, .jsonld, .rdf/.xml, .trig or .nq)",
            str(path),
        )
    # quad formats need a context-aware store; they are flattened below to the union of their graphs
    store: Graph = Dataset() if rdf_format in QUAD_FORMATS else Graph()
    try:
        store.parse(path, format=rdf_format)
    except FileNotFoundError as exc:
        raise GraphError(f"graph file not found: {exc.strerror}", str(path)) from exc
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        detail = " ".join(str(exc).split())  # the CLI prints errors on one line
        raise GraphError(f"cannot parse the graph as {rdf_format}: {detail}", str(path)) from exc
    if not isinstance(store, Dataset):
        return store
    graph = Graph()
    for s, p, o, _ in store.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# ---------------------------------------------------------------------------------------------
# the gold side


def _split_alternatives(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split(ALTERNATIVE_SEPARATOR) if a.strip())


def read_gold(path: str | Path) -> list[Row]:
    """Read a gold TSV (header ``relation subject object note``; ``#`` comments; note optional)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("gold file not found", str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the gold file as UTF-8: {exc}", str(path)) from exc

    def fail(number: int, message: str) -> RuleFileError:
        return RuleFileError(f"line {number}: {message}", str(path))

    valid = ", ".join(RELATIONS)
    rows: list[Row] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != GOLD_HEADER:
                raise fail(number, f"expected the header {chr(9).join(GOLD_HEADER)!r} (tab-separated)")
            header_seen = True
            continue
        if len(cells) not in (3, 4):
            raise fail(
                number,
                f"expected 4 tab-separated columns (relation, subject, object, note), found {len(cells)}",
            )
        relation, subject_cell, object_cell = (c.strip() for c in cells[:3])
        note = cells[3].strip() if len(cells) == 4 else ""
        if relation not in RELATIONS:
            raise fail(number, f"unknown relation {relation!r}; valid relations: {valid}")
        subject, obj = _split_alternatives(subject_cell), _split_alternatives(object_cell)
        if not subject:
            raise fail(number, f"{relation}: the subject is empty")
        if relation in UNARY_RELATIONS and obj:
            raise fail(number, f"{relation} takes no object; leave the object column empty")
        if relation not in UNARY_RELATIONS and not obj:
            raise fail(number, f"{relation}: the object is empty")
        if relation in INTEGER_RELATIONS and not all(o.isascii() and o.isdigit() for o in obj):
            raise fail(number, f"{relation}: the object must be an integer, found {object_cell!r}")
        rows.append(Row(relation, subject, obj, note, number))
    if not header_seen:
        raise RuleFileError(f"no header line {chr(9).join(GOLD_HEADER)!r}", str(path))
    return rows


def evaluate_files(gold_path: str | Path, graph_path: str | Path) -> dict[str, RelationScore]:
    """``kg eval GOLD GRAPH``: score the graph file against the gold file."""
    gold = read_gold(gold_path)
    return score(gold, read_predicted(read_graph(graph_path)))


# ---------------------------------------------------------------------------------------------
# a folder of cases: tests/eval/<split>/<case>/{document.txt, case.toml, facts.tsv}

CASE_FILE = "case.toml"
CASE_DOCUMENT = "document.txt"
CASE_GOLD = "facts.tsv"


class Case(NamedTuple):
    """One evaluation case: its folder, document, gold rows and the relations its gold covers."""

    name: str
    folder: Path
    document: Path
    gold: list[Row]
    relations: tuple[str, ...]
    genre: str | None  # forced genre, where case.toml sets ``force_genre``


class CaseScore(NamedTuple):
    name: str
    scores: dict[str, RelationScore]  # the relations the case annotates, plus MICRO

    @property
    def f1(self) -> float:
        return self.scores[MICRO].strict.f1


def read_cases(folder: str | Path) -> list[Case]:
    """Every case below ``folder`` (a folder holding ``case.toml``), in path order."""
    import tomllib

    folder = Path(folder)
    found = sorted(p.parent for p in folder.rglob(CASE_FILE))
    if not found:
        raise InputError(f"no {CASE_FILE} below this folder: a case is a folder with {CASE_DOCUMENT}, {CASE_FILE} and {CASE_GOLD}", str(folder))
    cases = []
    for case in found:
        try:
            meta = tomllib.loads((case / CASE_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"cannot read {CASE_FILE}: {exc}", str(case / CASE_FILE)) from None
        gold = read_gold(case / CASE_GOLD)
        relations = tuple(meta.get("relations") or sorted({r.relation for r in gold}, key=_relation_order))
        unknown = [r for r in relations if r not in RELATIONS]
        if unknown:
            raise RuleFileError(f"relations: unknown relation(s) {', '.join(unknown)}; valid: {', '.join(RELATIONS)}", str(case / CASE_FILE))
        document = case / meta.get("input", CASE_DOCUMENT)
        cases.append(Case(case.relative_to(folder).as_posix(), case, document, gold, relations, meta.get("force_genre")))
    return cases


def score_case(case: Case, predicted: list[Row]) -> CaseScore:
    """The case's relations only: a gold file that does not annotate measures does not make
    every measure found a false positive."""
    keep = set(case.relations)
    scores = score([r for r in case.gold if r.relation in keep], [r for r in predicted if r.relation in keep])
    for relation in case.relations:  # annotated, yet neither side has a row: nothing to miss
        scores.setdefault(relation, RelationScore(*(counts_to_score(0, 0, 0),) * 2))
    return CaseScore(case.name, scores)


def format_case_scores(results: list[CaseScore]) -> str:
    """Per document F1, per relation pooled P/R/F1, and the macro average over documents."""
    lines = ["document  F1  tp/fp/fn"]
    width = max(len(r.name) for r in results)
    for r in results:
        micro = r.scores[MICRO].strict
        lines.append(f"{r.name.ljust(width)}  {micro.f1:.3f}  {micro.tp}/{micro.fp}/{micro.fn}")
    pooled: dict[str, list[Score]] = {}
    for r in results:
        for relation, s in r.scores.items():
            pooled.setdefault(relation, []).append(s.strict)
    order = sorted((k for k in pooled if k != MICRO), key=_relation_order) + [MICRO]
    table = {relation: RelationScore(_pool(pooled[relation]), _pool([s.lenient for rr in results for k, s in rr.scores.items() if k == relation])) for relation in order}
    macro = sum(r.f1 for r in results) / len(results)
    below = [r.name for r in results if r.f1 < LOW_F1]
    lines += ["", format_scores(table).rstrip("\n"), ""]
    lines.append(f"macro F1 over {len(results)} documents: {macro:.3f}; below {LOW_F1}: {len(below)}" + (f" ({', '.join(below)})" if below else ""))
    return "\n".join(lines) + "\n"


# A document scoring below this is one a user would not trust: the figure the README reports.
LOW_F1 = 0.6

"""Two documents or builds compared (``kg diff A B``): their projects matched one to one, and
for each pair what changed in who answers for it; the projects only one side has.

Pure: the network projection of each side's graph (kg.network) in, a ``Diff`` out; the ``Diff``
as Markdown, JSON and RDF. The HTML page is kg.render's (``render_diff``). The method's
parameters (threshold, weights, what is shared, what is compared) are ``kg/exports/diff.toml``;
the words of the reports are the ``[diff]`` table of ``kg/views/text.toml``, the names of the
relations the zh labels of ``ontology.ttl``.

The matching, deterministic and explained in docs/diff.md:

1. A project's name is normalised (NFKC, simplified script, letters only: numbers, punctuation
   and quotation marks go, as "固定资产投资增长10%左右" and "…增长5.5%" name one target) and
   cut into character bigrams; two names are as similar as the Dice coefficient of their bigrams.
2. What two projects share (units, groups, problems, measures, by simplified label) is the
   Jaccard coefficient of those sets.
3. score = name weight × name similarity + shared weight × shared, rounded to 3 places.
4. Pairs scoring at least the threshold are taken greedily, best first; a project already paired
   is passed over. Ties go to the pair whose projects come first in their documents. Greedy
   rather than a maximum-weight matching: the sum it maximises would trade a clear best pair
   for two weaker ones, and "the best remaining pair" is what a reader can check by hand.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from .catalog import DIFF_FILES
from .ids import match_statement_iri
from .network import Projection, Quote
from .report import markdown_table, md
from .script import to_simplified
from .specs import Fail, check_keys, read_spec
from .vocab import RKG

DIFF_PATH = Path(__file__).resolve().parent / "exports" / "diff.toml"


# --- the method's parameters ---------------------------------------------------------------------


@dataclass(frozen=True)
class DiffSpec:
    path: Path
    threshold: float
    name_weight: float
    shared_weight: float
    shared: tuple[tuple[str, str], ...]  # (relation, the kind of thing it names)
    facets: tuple[str, ...]  # the relations a continued project is compared on, in report order


@lru_cache(maxsize=4)
def load_diff_spec(path: Path = DIFF_PATH) -> DiffSpec:
    """Read and check ``diff.toml``; a mistake names the file, the key and what it may be."""
    data, fail = read_spec(path, "diff")
    check_keys(data, {"threshold": (int, float), "weights": dict, "shared": dict, "compare": dict}, "", {"threshold", "weights", "shared", "compare"}, fail)
    threshold = _fraction(data["threshold"], "threshold", fail)
    weights = data["weights"]
    check_keys(weights, {"name": (int, float), "shared": (int, float)}, "weights.", {"name", "shared"}, fail)
    name, shared = (_fraction(weights[k], f"weights.{k}", fail) for k in ("name", "shared"))
    if not math.isclose(name + shared, 1.0):
        raise fail("weights", f"name and shared must add up to 1, so that a score lies between 0 and 1; they add up to {name + shared}")
    kinds = data["shared"]
    check_keys(kinds, dict.fromkeys(FACET_READERS, str), "shared.", set(), fail)
    if not all(kinds.values()):
        raise fail("shared", "each relation names a kind of thing, a non-empty string")
    check_keys(data["compare"], {"facets": list}, "compare.", {"facets"}, fail)
    facets = data["compare"]["facets"]
    if not facets:
        raise fail("compare.facets", "name one relation to compare at least")
    for facet in facets:
        if not isinstance(facet, str) or facet not in FACET_READERS:
            raise fail("compare.facets", f"unknown relation {facet!r}; the relations are: {', '.join(FACET_READERS)}")
    return DiffSpec(path, threshold, name, shared, tuple(sorted(kinds.items())), tuple(facets))


def _fraction(value: float, key: str, fail: Fail) -> float:
    if not 0 <= value <= 1:
        raise fail(key, f"must be a number from 0 to 1, got {value!r}")
    return float(value)


# --- each side's projects ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRecord:
    """A project as the comparison sees it: its name, where it stands in its document, what it
    is said of each relation (labels, sorted), and the sentences that name it."""

    iri: str
    label: str
    document: str  # the document's label
    document_iri: str
    ordinal: str  # as the graph has it, or ""
    position: int  # where the document first names it: the order of the document
    facts: tuple[tuple[str, tuple[str, ...]], ...]  # relation → labels, for every FACET_READERS key
    quotes: tuple[Quote, ...]

    def values(self, relation: str) -> tuple[str, ...]:
        return dict(self.facts).get(relation, ())

    @property
    def order(self) -> tuple:
        return (self.document, self.document_iri, self.position, self.label, self.iri)


@dataclass(frozen=True)
class Side:
    """One input of the comparison: its path as given, its documents, its projects in document
    order, and its graph (what the RDF of the comparison copies the projects' own triples from)."""

    source: str
    documents: tuple[str, ...]
    projects: tuple[ProjectRecord, ...]
    graph: Graph | None = field(default=None, compare=False, repr=False)


def _out_labels(network: Projection, node: str, key: str) -> tuple[str, ...]:
    return tuple(sorted({network.nodes[o]["label"] for _, o, k in network.out_edges(node, keys=True) if k == key}))


def _read_leaders(network: Projection, node: str, words: dict) -> tuple[str, ...]:
    """The leading people by post and name ("常务副市长 赵海滨"), and each leading post no leading
    person holds ("市长" where "牵头领导：市长" names no one), as the views' cards show them."""
    people = sorted({o for _, o, k in network.out_edges(node, keys=True) if k == "leadPerson"})
    held = {o for person in people for _, o, k in network.out_edges(person, keys=True) if k == "holdsPost"}
    leaders = []
    for person in people:
        posts = words["list_sep"].join(_out_labels(network, person, "holdsPost"))
        leaders.append(f"{posts} {network.nodes[person]['label']}".strip())
    leaders += [network.nodes[o]["label"] for _, o, k in network.out_edges(node, keys=True) if k == "leadPost" and o not in held]
    return tuple(sorted(set(leaders)))


def _reader(key: str) -> Callable[[Projection, str, dict], tuple[str, ...]]:
    return lambda network, node, words: _out_labels(network, node, key)


# Relation (an rkg: property) → how a project's values of it are read from the projection.
FACET_READERS: dict[str, Callable[[Projection, str, dict], tuple[str, ...]]] = {
    "leadPerson": _read_leaders,
    "responsibleGroup": _reader("responsibleGroup"),
    "leadUnit": _reader("leadUnit"),
    "supportUnit": _reader("supportUnit"),
    "deadline": lambda network, node, words: tuple(sorted(network.nodes[node]["attrs"].get("deadline", []))),
    "tier": _reader("tier"),
    "involvesLevel": _reader("involvesLevel"),
    "addressesProblem": _reader("addressesProblem"),
    "hasMeasure": _reader("hasMeasure"),
}


def network_to_side(network: Projection, source: str, words: dict, graph: Graph | None = None) -> Side:
    """The projects of a graph's projection, in the order of their documents."""
    projects = []
    for node, data in network.nodes(data=True):
        if data["cls"] != "ReformProject":
            continue
        documents = sorted(o for _, o, k in network.out_edges(node, keys=True) if k == "inDocument")
        document = documents[0] if documents else ""
        own = [q.start for q in data["quotes"] if q.document == document]
        projects.append(
            ProjectRecord(
                iri=node,
                label=data["label"],
                document=network.nodes[document]["label"] if document else "",
                document_iri=document,
                ordinal=min(data["attrs"].get("ordinal", [""]), key=lambda o: (len(o), o)),
                position=min(own, default=1 << 62),
                facts=tuple((name, read(network, node, words)) for name, read in FACET_READERS.items()),
                quotes=tuple(data["quotes"]),
            )
        )
    labels = sorted({data["label"] for _, data in network.nodes(data=True) if data["cls"] == "SourceDocument"})
    return Side(source, tuple(labels), tuple(sorted(projects, key=lambda p: p.order)), graph)


# --- similarity ----------------------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """A name as names are compared: simplified script, letters only (numbers, punctuation, quotes
    and spaces dropped), Latin letters in lower case."""
    simplified = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(c for c in simplified if unicodedata.category(c).startswith("L")).lower()


def normalise_value(text: str) -> str:
    """A value as values are compared: simplified script, no white space."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split())


def name_bigrams(text: str) -> frozenset[str]:
    name = normalise_name(text)
    return frozenset(name[i : i + 2] for i in range(len(name) - 1)) or frozenset({name} - {""})


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def shared_keys(project: ProjectRecord, spec: DiffSpec) -> frozenset[tuple[str, str]]:
    """What a project shares with another if the other has it too: (kind, normalised label)."""
    return frozenset((kind, normalise_value(label)) for relation, kind in spec.shared for label in project.values(relation))


# --- the comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One relation of a continued project whose values differ: ``before`` on side A, ``after``
    on side B; ``removed`` and ``added`` are those the other side lacks (compared simplified)."""

    facet: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def removed(self) -> tuple[str, ...]:
        after = {normalise_value(v) for v in self.after}
        return tuple(v for v in self.before if normalise_value(v) not in after)

    @property
    def added(self) -> tuple[str, ...]:
        before = {normalise_value(v) for v in self.before}
        return tuple(v for v in self.after if normalise_value(v) not in before)


@dataclass(frozen=True)
class Pair:
    """A project of A and the project of B that continues it."""

    a: ProjectRecord
    b: ProjectRecord
    score: float
    name: float  # similarity of the names
    shared: float  # Jaccard of what they share
    common: tuple[str, ...]  # the labels they share, as side B writes them
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Unmatched:
    """A project only one side has, with the other side's project that came closest (if any
    scored above 0) and its score."""

    project: ProjectRecord
    closest: ProjectRecord | None
    score: float


@dataclass(frozen=True)
class Diff:
    a: Side
    b: Side
    threshold: float
    spec: DiffSpec
    continued: tuple[Pair, ...]  # in side A's order
    dropped: tuple[Unmatched, ...]  # only in A, in A's order
    new: tuple[Unmatched, ...]  # only in B, in B's order


def compare_projects(a: ProjectRecord, b: ProjectRecord, spec: DiffSpec) -> tuple[float, float, float]:
    """(score, name similarity, shared) of two projects."""
    return _similarity(name_bigrams(a.label), shared_keys(a, spec), name_bigrams(b.label), shared_keys(b, spec), spec)


def _similarity(grams_a: frozenset, keys_a: frozenset, grams_b: frozenset, keys_b: frozenset, spec: DiffSpec) -> tuple[float, float, float]:
    name, shared = dice(grams_a, grams_b), jaccard(keys_a, keys_b)
    return round(spec.name_weight * name + spec.shared_weight * shared, 3), name, shared


def compare_sides(a: Side, b: Side, spec: DiffSpec, threshold: float | None = None) -> Diff:
    """The projects of A and B matched one to one (see the module's docstring), the changes of
    each pair, and the projects of each side left unmatched."""
    threshold = spec.threshold if threshold is None else threshold
    grams = [[name_bigrams(p.label) for p in side.projects] for side in (a, b)]
    keys = [[shared_keys(p, spec) for p in side.projects] for side in (a, b)]
    # Only pairs that share a bigram or a shared key can score above 0: found through an index
    # of B's projects rather than by trying every pair.
    index: dict = defaultdict(set)
    for j in range(len(b.projects)):
        for token in (*grams[1][j], *keys[1][j]):
            index[token].add(j)
    # Kept: the pairs that reach the threshold, and for each project the best pair it is in (the
    # closest of an unmatched one), so that memory grows with the matches, not with every pair.
    scored = []
    closest_a: dict[int, tuple] = {}
    closest_b: dict[int, tuple] = {}
    for i in range(len(a.projects)):
        near = set().union(*(index.get(t, ()) for t in (*grams[0][i], *keys[0][i])))
        for j in near:
            score, name, shared = _similarity(grams[0][i], keys[0][i], grams[1][j], keys[1][j], spec)
            if score == 0:
                continue
            rank = (-score, -name, a.projects[i].order, b.projects[j].order)
            if score >= threshold:
                scored.append((rank, i, j, name, shared))
            if i not in closest_a or rank < closest_a[i][0]:
                closest_a[i] = (rank, j)
            if j not in closest_b or rank < closest_b[j][0]:
                closest_b[j] = (rank, i)
    scored.sort()
    paired_a: set[int] = set()
    paired_b: set[int] = set()
    pairs = []
    for rank, i, j, name, shared in scored:
        if i not in paired_a and j not in paired_b:
            paired_a.add(i)
            paired_b.add(j)
            pairs.append(_pair(a.projects[i], b.projects[j], -rank[0], name, shared, spec, keys[0][i] & keys[1][j]))
    dropped = tuple(_unmatched(p, closest_a.get(i), b.projects) for i, p in enumerate(a.projects) if i not in paired_a)
    new = tuple(_unmatched(p, closest_b.get(j), a.projects) for j, p in enumerate(b.projects) if j not in paired_b)
    return Diff(a, b, threshold, spec, tuple(sorted(pairs, key=lambda p: p.a.order)), dropped, new)


def _pair(a: ProjectRecord, b: ProjectRecord, score: float, name: float, shared: float, spec: DiffSpec, common: frozenset) -> Pair:
    labels = sorted({label for relation, kind in spec.shared for label in b.values(relation) if (kind, normalise_value(label)) in common})
    changes = []
    for facet in spec.facets:
        before, after = a.values(facet), b.values(facet)
        if {normalise_value(v) for v in before} != {normalise_value(v) for v in after}:
            changes.append(Change(facet, before, after))
    return Pair(a, b, score, name, shared, tuple(labels), tuple(changes))


def _unmatched(project: ProjectRecord, closest: tuple | None, others: tuple[ProjectRecord, ...]) -> Unmatched:
    """``closest``: (the rank of the best pair the project is in, the other project's number)."""
    return Unmatched(project, None, 0.0) if closest is None else Unmatched(project, others[closest[1]], -closest[0][0])


# --- JSON ----------------------------------------------------------------------------------------


def _project_json(project: ProjectRecord, spec: DiffSpec) -> dict:
    return {
        "iri": project.iri,
        "label": project.label,
        "document": project.document,
        "documentIri": project.document_iri,
        "ordinal": project.ordinal,
        "facts": {facet: list(project.values(facet)) for facet in spec.facets},
        "evidence": [{"quote": q.text, "start": q.start, "end": q.end} for q in project.quotes if q.document == project.document_iri],
    }


def _unmatched_json(item: Unmatched, spec: DiffSpec) -> dict:
    closest = None if item.closest is None else {"iri": item.closest.iri, "label": item.closest.label, "score": item.score}
    return {"project": _project_json(item.project, spec), "closest": closest}


def diff_to_json(diff: Diff) -> dict:
    """The comparison as JSON data: keys in English, values as the documents write them."""
    spec = diff.spec

    def side(s: Side) -> dict:
        return {"source": s.source, "documents": list(s.documents), "projects": len(s.projects)}

    return {
        "a": side(diff.a),
        "b": side(diff.b),
        "threshold": diff.threshold,
        "weights": {"name": spec.name_weight, "shared": spec.shared_weight},
        "summary": {"continued": len(diff.continued), "changed": sum(1 for p in diff.continued if p.changes), "new": len(diff.new), "dropped": len(diff.dropped)},
        "continued": [
            {
                "score": p.score,
                "nameSimilarity": round(p.name, 3),
                "sharedSimilarity": round(p.shared, 3),
                "shared": list(p.common),
                "a": _project_json(p.a, spec),
                "b": _project_json(p.b, spec),
                "changes": [{"facet": c.facet, "before": list(c.before), "after": list(c.after), "removed": list(c.removed), "added": list(c.added)} for c in p.changes],
            }
            for p in diff.continued
        ],
        "new": [_unmatched_json(u, spec) for u in diff.new],
        "dropped": [_unmatched_json(u, spec) for u in diff.dropped],
    }


def diff_to_json_bytes(diff: Diff) -> bytes:
    return (json.dumps(diff_to_json(diff), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- Markdown ------------------------------------------------------------------------------------


def facet_label(labels: dict[str, dict[str, str]], name: str) -> str:
    """A relation as the reports name it: its zh label in ontology.ttl."""
    return labels.get(name, {}).get("zh", name)


def diff_summary(diff: Diff, words: dict) -> str:
    """The counts in a sentence, as text.toml's ``summary`` words them."""
    changed = sum(1 for p in diff.continued if p.changes)
    return words["diff"]["summary"].format(continued=len(diff.continued), changed=changed, new=len(diff.new), dropped=len(diff.dropped))


def _name(project: ProjectRecord) -> str:
    return f"{project.ordinal}. {project.label}" if project.ordinal else project.label


def _values(values: tuple[str, ...], words: dict) -> str:
    return words["list_sep"].join(values) or words["none"]


def diff_to_markdown(diff: Diff, words: dict, labels: dict[str, dict[str, str]]) -> str:
    """The report: the two sides, then the continued projects with their scores and changes, the
    new ones and the dropped ones. Document text is escaped (kg.report.md), so "|" or a line break
    in a name cannot break a table, nor markup in it show as markup. ``words``: text.toml;
    ``labels``: the ontology's labels by local name (kg.render.vocabulary_labels)."""
    w = words["diff"]
    out = [f"# {w['title']}", ""]
    for key, side in (("a", diff.a), ("b", diff.b)):
        out.append(w["side_line"].format(name=w[key], source=md(side.source), documents=md(words["list_sep"].join(side.documents)), projects=len(side.projects)))
    out += [w["threshold_line"].format(threshold=diff.threshold), "", diff_summary(diff, words), ""]
    out += [f"## {w['counted'].format(title=w['continued'], count=len(diff.continued))}", "", w["continued_hint"], ""]
    rows = [[f"{p.score:.3f}", _name(p.a), _name(p.b), words["list_sep"].join(facet_label(labels, c.facet) for c in p.changes) or w["unchanged"], _values(p.common, words)] for p in diff.continued]
    out += markdown_table([w["score"], w["a"], w["b"], w["changes"], w["shared"]], rows) + [""]
    for p in (p for p in diff.continued if p.changes):
        out += [f"### {w['pair_title'].format(a=md(p.a.label), b=md(p.b.label), score=f'{p.score:.3f}')}", ""]
        out += markdown_table([w["facet"], w["a"], w["b"]], [[facet_label(labels, c.facet), _values(c.before, words), _values(c.after, words)] for c in p.changes]) + [""]
    for key, items in (("new", diff.new), ("dropped", diff.dropped)):
        out += [f"## {w['counted'].format(title=w[key], count=len(items))}", "", w[f"{key}_hint"], ""]
        rows = [
            [
                _name(u.project),
                _values(u.project.values("leadPerson") + u.project.values("leadUnit"), words),
                _values(u.project.values("tier"), words),
                w["scored"].format(label=u.closest.label, score=f"{u.score:.3f}") if u.closest else words["none"],
            ]
            for u in items
        ]
        out += markdown_table([w["project"], w["who"], facet_label(labels, "tier"), w["closest"]], rows) + [""]
    return "\n".join(out)


# --- RDF -----------------------------------------------------------------------------------------

# What the RDF of a comparison copies of each matched project and its document from the side's
# graph, so that the file names them, validates and can be queried on its own, and adds nothing
# but the match to the two graphs it sits beside (the same triples, the same IRIs).
# Types are the asserted rkg: class alone, not what the vocabulary entails (foaf:, oa:, …), which
# a build keeps in its inferred graph.
PROJECT_COPIED = (RDFS.label, RKG.inDocument, RKG.ordinal, RKG.evidence)
EVIDENCE_COPIED = (RKG.quote, RKG.start, RKG.end, RKG.inDocument)


def diff_to_graph(diff: Diff) -> Graph:
    """``B rkg:continues A`` for each pair, reified as an rdf:Statement carrying its
    ``rkg:matchScore`` and the evidence of both projects (the sentences that name them), with
    each project's name, document and evidence as its graph has them."""
    graph = Graph()
    for pair in diff.continued:
        a, b = URIRef(pair.a.iri), URIRef(pair.b.iri)
        if a == b:  # the same project on both sides (a build compared with itself) continues nothing
            continue
        graph.add((b, RKG.continues, a))
        statement = match_statement_iri(b, RKG.continues, a)
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, b))
        graph.add((statement, RDF.predicate, RKG.continues))
        graph.add((statement, RDF.object, a))
        graph.add((statement, RKG.matchScore, Literal(Decimal(f"{pair.score:.3f}"), datatype=XSD.decimal)))
        for side, project in ((diff.a, a), (diff.b, b)):
            for evidence in _copy_project(side.graph, project, graph):
                graph.add((statement, RKG.evidence, evidence))
    return graph


def _copy_project(source: Graph, project: URIRef, into: Graph) -> list[URIRef]:
    """Copy a project's own triples, its evidence's and its document's; the evidence nodes."""
    into.add((project, RDF.type, RKG.ReformProject))
    for predicate in PROJECT_COPIED:
        for value in source.objects(project, predicate):
            into.add((project, predicate, value))
    evidence = sorted(source.objects(project, RKG.evidence))
    for node in evidence:
        into.add((node, RDF.type, RKG.Evidence))
        for predicate in EVIDENCE_COPIED:
            for value in source.objects(node, predicate):
                into.add((node, predicate, value))
    for document in source.objects(project, RKG.inDocument):
        into.add((document, RDF.type, RKG.SourceDocument))
        for predicate, value in source.predicate_objects(document):
            if isinstance(value, Literal):
                into.add((document, predicate, value))
    return evidence



# --- the page ------------------------------------------------------------------------------------


def diff_to_page(diff: Diff, words: dict, labels: dict[str, dict[str, str]]) -> dict:
    """What kg/views/diff.html shows, as plain values (the template escapes every one)."""
    w = words["diff"]

    def project(p: ProjectRecord) -> dict:
        quotes = [{"text": q.text, "start": q.start, "end": q.end} for q in p.quotes if q.document == p.document_iri]
        return {"label": p.label, "ordinal": p.ordinal, "document": p.document, "quotes": quotes}

    continued = [
        {
            "score": f"{pair.score:.3f}",
            "a": project(pair.a),
            "b": project(pair.b),
            "shared": list(pair.common),
            "changes": [{"label": facet_label(labels, c.facet), "before": list(c.before), "after": list(c.after)} for c in pair.changes],
        }
        for pair in diff.continued
    ]
    unmatched = [
        {
            "key": key,
            "title": w[key],
            "hint": w[f"{key}_hint"],
            "items": [
                {
                    "project": project(u.project),
                    "who": list(u.project.values("leadPerson") + u.project.values("leadUnit")),
                    "tier": list(u.project.values("tier")),
                    "closest": u.closest.label if u.closest else None,
                    "score": f"{u.score:.3f}",
                }
                for u in items
            ],
        }
        for key, items in (("new", diff.new), ("dropped", diff.dropped))
    ]
    return {
        "w": w,
        "sides": [{"name": w[key], "source": s.source, "documents": list(s.documents), "projects": len(s.projects)} for key, s in (("a", diff.a), ("b", diff.b))],
        "threshold": diff.threshold,
        "summary": diff_summary(diff, words),
        "continued": continued,
        "changed": [pair for pair in continued if pair["changes"]],
        "unmatched": unmatched,
        "tier_label": facet_label(labels, "tier"),
    }


# --- the files -----------------------------------------------------------------------------------


def _markdown_bytes(diff: Diff, words: dict, labels: dict) -> bytes:
    return diff_to_markdown(diff, words, labels).encode("utf-8")


def _json_bytes(diff: Diff, words: dict, labels: dict) -> bytes:
    return diff_to_json_bytes(diff)


def _turtle_bytes(diff: Diff, words: dict, labels: dict) -> bytes:
    from .export import graph_to_sorted_turtle

    return graph_to_sorted_turtle(diff_to_graph(diff))


def _html_bytes(diff: Diff, words: dict, labels: dict) -> bytes:
    from .render import render_diff

    return render_diff(diff_to_page(diff, words, labels))


# --format name → (the file kg diff --out writes, the writer). ``words``: text.toml; ``labels``:
# the ontology's labels by local name.
_DIFF_WRITERS: dict[str, Callable[[Diff, dict, dict], bytes]] = {"markdown": _markdown_bytes, "json": _json_bytes, "turtle": _turtle_bytes, "html": _html_bytes}
DIFF_FORMATS: dict[str, tuple[str, Callable[[Diff, dict, dict], bytes]]] = {name: (path, _DIFF_WRITERS[name]) for name, path in DIFF_FILES.items()}

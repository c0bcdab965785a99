"""The build report: a table of every input, counts per class, stated vs found figures, gaps,
validation, unused text, and what failed.

Pure: builds a dict (for report.json) and renders it as Markdown (report.md).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .ids import KIND_CLASSES
from .model import BuildResult, Resolved
from .validate import ValidationReport
from .vocab import RKG

if TYPE_CHECKING:
    from .exportsource import GraphStats

GAP_PREDICATES = ("leadPerson", "leadPost", "responsibleGroup", "leadUnit")

# A document's status in the report: it built and names projects, or it built but no rule found
# a project in it (a meeting report, or text with no structure the genres know).
STATUS_BUILT = "built"
STATUS_NO_PROJECTS = "no projects found"


def count_projects(resolved: Resolved) -> int:
    return sum(1 for e in resolved.entities if e.kind == "project")


def count_mismatches(resolved: Resolved) -> int:
    """Stated figures that differ from what was found (ones that cannot be counted aside)."""
    return sum(1 for figure, found in resolved.figures if found is not None and found != figure.value)


def describe_status(resolved: Resolved) -> str:
    return STATUS_BUILT if count_projects(resolved) else STATUS_NO_PROJECTS


def unread_rate(resolved: Resolved) -> float:
    """The share of a document's cues of responsibility that gave no fact: its unread cues
    against those plus the facts its rules stated (inferred ones aside)."""
    stated = sum(1 for f in resolved.facts if not f.inferred)
    unread = len(resolved.unread)
    return round(unread / (unread + stated), 3) if unread else 0.0


def document_report(resolved: Resolved) -> dict:
    d = resolved.document
    by_kind = Counter(e.kind for e in resolved.entities)
    projects = [e for e in resolved.entities if e.kind == "project"]
    related = {(f.subject, f.predicate) for f in resolved.facts}
    return {
        "file": d.name,
        "path": d.path,
        "status": describe_status(resolved),
        "doc_id": d.doc_id,
        "identity": d.identity,
        "genre": resolved.genre,
        "place": resolved.place,
        "division": division_report(resolved),
        "projects": by_kind.get("project", 0),
        "figure_mismatches": count_mismatches(resolved),
        "unused_sentences": len(resolved.unused),
        "chars": len(d.text),
        "entities": dict(sorted(by_kind.items())),
        "facts": len(resolved.facts),
        "inferred_facts": sum(1 for f in resolved.facts if f.inferred),
        "figures": [
            {"label": f.label, "counts": f.counts, "scope": f.scope.label if f.scope else None, "stated": f.value, "found": found}
            for f, found in resolved.figures
        ],
        "projects_without_leader_or_group": sorted(
            p.label for p in projects if not any((p, pred) in related for pred in GAP_PREDICATES)
        ),
        "projects_without_leader": sorted(p.label for p in projects if (p, "leadPerson") not in related and (p, "leadPost") not in related),
        "projects_without_group": sorted(p.label for p in projects if (p, "responsibleGroup") not in related),
        "unused_text": [{"start": s.start, "end": s.end, "text": s.text} for s in resolved.unused],
        "unread_cues": [{"kind": c.kind, "start": c.span.start, "end": c.span.end, "text": c.span.text} for c in resolved.unread],
        "unread_rate": unread_rate(resolved),
        "warnings": list(resolved.warnings),
    }


def _chain_text(chain) -> str:
    """"广东省 440000 / 深圳市 440300 / 坪山区 440310": highest first."""
    return " / ".join(f"{d.name} {d.code}" for d in reversed(chain))


def division_report(resolved: Resolved) -> dict | None:
    """Where the document is from on the division code list (kg.places), for the report: the
    code and its parents, the year of the list it was read in and the code today; or,
    unresolved, why and the candidates."""
    g = resolved.grounding
    if g is None:
        return None
    entry = {"written": g.written, "year": g.year, "list_year": g.list_year or None, "below": g.below or None}
    if not g.chain:
        return entry | {"unresolved": g.reason, "candidates": [_chain_text(c) for c in g.candidates]}
    division = g.chain[0]
    entry |= {"code": division.code, "name": division.name, "tier": division.tier, "chain": _chain_text(g.chain), "units": len(resolved.unit_places)}
    entry["today"] = f"{g.today.name} {g.today.code}" if g.today is not None else None
    entry["note"] = place_note(g)
    return entry


def place_note(g) -> str:
    """Which list a document's code is from, and what it is today: "the 2017 list; the same
    code today", "the 2017 list; not in today's (2024) list", "today's code (the 2024 list)"."""
    if g.year is not None and g.year == g.list_year:
        when = f"the {g.list_year} list"
    elif g.list_year == g.latest_year:
        when = f"today's code (the {g.list_year} list)"
    else:
        when = f"the {g.list_year} list, the last that has it"
    if g.today is None:
        return f"{when}; not in today's ({g.latest_year}) list"
    if g.list_year != g.latest_year:
        renamed = f", now {g.today.name}" if g.today.name != g.chain[0].name else ""
        return f"{when}; the same code today{renamed}"
    return when


def build_report(result: BuildResult, stats: GraphStats, validation: ValidationReport | None) -> dict:
    """``stats``: the union graph's counts (kg.export.ExportSource.stats)."""
    classes = stats.classes
    return {
        # A corpus build made them in its workers, as it dropped what only the graph needs.
        "documents": list(result.reports) if result.reports else [document_report(r) for r in result.documents],
        "failures": [{"path": f.path, "message": f.message} for f in sorted(result.failures, key=lambda f: f.path)],
        "duplicates": [{"path": d.path, "duplicate_of": d.original} for d in sorted(result.duplicates, key=lambda d: d.path)],
        "triples": stats.triples,
        "classes": {
            cls.fragment: classes.get(str(cls), 0) for cls in sorted({c for c, _ in KIND_CLASSES.values()} | {RKG.SourceDocument, RKG.Evidence, RKG.StatedFigure})
        },
        "validation": None
        if validation is None
        else {
            "conforms": validation.conforms,
            "violations": [{"document": v.document, "focus": v.focus, "path": v.path, "message": v.message} for v in validation.violations],
            "undeclared_terms": list(validation.undeclared),
        },
    }


# Characters that mean something to Markdown or to the HTML it may hold.
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>|&])")


def md(text) -> str:
    """Text as Markdown shows it literally: file names and document text can hold "<script>",
    "|", "*" or "[a](b)"; each such character is escaped, and a line break is a space. ("_"
    is left alone: inside a word, as in file names, it emphasises nothing.)"""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def markdown_table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table, each cell escaped (``md``); None is an empty cell."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join("" if c is None else md(c) for c in row) + " |")
    return lines


def _summary_rows(report: dict) -> list[list]:
    """One row per input, built or not, sorted by path."""
    rows = [
        [d["path"], d["genre"], d["place"], d["projects"], d["facts"], f"{d['figure_mismatches']} of {len(d['figures'])} differ" if d["figures"] else None, d["unused_sentences"], d["status"]]
        for d in report["documents"]
    ]
    blank = [None] * 6
    rows += [[f["path"], *blank, "failed"] for f in report["failures"]]
    rows += [[d["path"], *blank, f"duplicate of {d['duplicate_of']}, skipped"] for d in report["duplicates"]]
    return sorted(rows, key=lambda row: row[0])


def report_to_markdown(report: dict) -> str:
    out = ["# reform-kg build report", ""]
    out += [
        f"{len(report['documents'])} document(s) built, {len(report['failures'])} failed, "
        f"{len(report['duplicates'])} duplicate(s) skipped, {report['triples']} triples.",
        "",
    ]
    header = ["file", "genre", "place", "projects", "facts", "stated vs found", "unused sentences", "status"]
    out += ["## Documents", ""] + markdown_table(header, _summary_rows(report)) + [""]
    unread = sorted((d for d in report["documents"] if d["unread_cues"]), key=lambda d: (-d["unread_rate"], d["path"]))
    if unread:
        # Where a reader should look first: the documents whose cues of responsibility most
        # often gave no fact (labels no grammar reads, brackets of units attached to nothing, …).
        out += ["## Documents to check first", ""]
        out += ["Cues of responsibility that gave no fact, as a share of those cues and the facts stated.", ""]
        rows = [[d["path"], f"{d['unread_rate']:.0%}", len(d["unread_cues"]), ", ".join(f"{k} {n}" for k, n in sorted(Counter(c["kind"] for c in d["unread_cues"]).items()))] for d in unread]
        out += markdown_table(["file", "unread", "cues", "kinds"], rows) + [""]
    placed = [d for d in report["documents"] if d.get("division")]
    if placed:
        # Where each document is from on the official code list (docs/places.md).
        out += ["## Places", ""]
        rows = [[d["path"], d["division"]["chain"], d["division"]["note"], d["division"]["below"]] for d in placed if "code" in d["division"]]
        out += markdown_table(["file", "division (GB/T 2260)", "list", "below the list"], sorted(rows)) + [""]
        unresolved = [d for d in placed if "code" not in d["division"]]
        if unresolved:
            out += ["### Places left unresolved", ""]
            rows = [[d["path"], d["division"]["written"], d["division"]["unresolved"], "; ".join(d["division"]["candidates"]) or None] for d in unresolved]
            out += markdown_table(["file", "written", "why", "candidates"], sorted(rows)) + [""]
    if report["failures"]:
        out += ["## Failed documents", ""] + markdown_table(["file", "problem"], [[f["path"], f["message"]] for f in report["failures"]]) + [""]
    out += ["## Nodes per class", ""] + markdown_table(["class", "count"], [[k, v] for k, v in report["classes"].items()]) + [""]
    validation = report["validation"]
    out += ["## Validation", ""]
    if validation is None:
        out += ["Not run.", ""]
    elif validation["conforms"]:
        out += ["The graph conforms to shapes.ttl, and every rkg: term it uses is declared in ontology.ttl.", ""]
    else:
        # A violation only the merge of several documents shows is credited to none of them.
        rows = [[v["document"] or "(several)", v["focus"], v["path"], v["message"]] for v in validation["violations"]]
        out += markdown_table(["document", "focus", "path", "message"], rows)
        out += [f"- undeclared term: {md(t)}" for t in validation["undeclared_terms"]] + [""]
    for doc in report["documents"]:
        out += [f"## {md(doc['file'])}", "", f"Genre `{doc['genre']}`, {doc['chars']} characters, {doc['facts']} facts ({doc['inferred_facts']} inferred).", ""]
        out += markdown_table(["kind", "count"], [[k, v] for k, v in doc["entities"].items()]) + [""]
        out += ["### Stated vs found", ""]
        out += markdown_table(["figure", "counts", "scope", "stated", "found"], [[f["label"], f["counts"], f["scope"], f["stated"], f["found"]] for f in doc["figures"]])
        out += [""]
        for key, title in (
            ("projects_without_leader_or_group", "Projects with no leader, group or lead unit"),
            ("projects_without_leader", "Projects with no leader"),
            ("projects_without_group", "Projects with no special group"),
        ):
            out += [f"### {title} ({len(doc[key])})", ""] + [f"- {md(p)}" for p in doc[key]] + [""]
        if doc["warnings"]:
            out += ["### Warnings", ""] + [f"- {md(w)}" for w in doc["warnings"]] + [""]
        if doc["unread_cues"]:
            out += [f"### Cues left unread ({len(doc['unread_cues'])})", ""]
            out += markdown_table(["kind", "where", "text"], [[c["kind"], f"{c['start']}–{c['end']}", c["text"]] for c in doc["unread_cues"]]) + [""]
        out += [f"### Text no rule used ({len(doc['unused_text'])} sentences)", ""]
        out += [f"- \\[{u['start']}–{u['end']}\\] {md(u['text'])}" for u in doc["unused_text"]] + [""]
    return "\n".join(out)

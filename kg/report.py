"""The build report: counts per class, stated vs found figures, gaps, validation, unused text.

Pure: builds a dict (for report.json) and renders it as Markdown (report.md).
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph

from .ids import KIND_CLASSES
from .model import Resolved
from .pipeline import BuildResult
from .validate import ValidationReport
from .vocab import RKG

GAP_PREDICATES = ("leadPerson", "leadPost", "responsibleGroup", "leadUnit")


def _document_report(resolved: Resolved) -> dict:
    d = resolved.document
    by_kind = Counter(e.kind for e in resolved.entities)
    projects = [e for e in resolved.entities if e.kind == "project"]
    related = {(f.subject, f.predicate) for f in resolved.facts}
    return {
        "file": d.name,
        "doc_id": d.doc_id,
        "genre": resolved.genre,
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
        "warnings": list(resolved.warnings),
    }


def build_report(result: BuildResult, graph: Graph, validation: ValidationReport | None) -> dict:
    classes = Counter(str(o) for o in graph.objects(None, RDF.type))
    return {
        "documents": [_document_report(r) for r in result.documents],
        "failures": [{"path": f.path, "message": f.message} for f in result.failures],
        "triples": len(graph),
        "classes": {
            cls.fragment: classes.get(str(cls), 0) for cls in sorted({c for c, _ in KIND_CLASSES.values()} | {RKG.SourceDocument, RKG.Evidence, RKG.StatedFigure})
        },
        "validation": None
        if validation is None
        else {
            "conforms": validation.conforms,
            "violations": [{"focus": v.focus, "path": v.path, "message": v.message} for v in validation.violations],
            "undeclared_terms": list(validation.undeclared),
        },
    }


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join("" if c is None else str(c).replace("|", "\\|") for c in row) + " |")
    return lines


def report_to_markdown(report: dict) -> str:
    out = ["# reform-kg build report", ""]
    out += [f"{len(report['documents'])} document(s), {len(report['failures'])} failed, {report['triples']} triples.", ""]
    out += ["## Nodes per class", ""] + _table(["class", "count"], [[k, v] for k, v in report["classes"].items()]) + [""]
    validation = report["validation"]
    out += ["## Validation", ""]
    if validation is None:
        out += ["Not run.", ""]
    elif validation["conforms"]:
        out += ["The graph conforms to shapes.ttl, and every rkg: term it uses is declared in ontology.ttl.", ""]
    else:
        out += _table(["focus", "path", "message"], [[v["focus"], v["path"], v["message"]] for v in validation["violations"]])
        out += [f"- undeclared term: {t}" for t in validation["undeclared_terms"]] + [""]
    if report["failures"]:
        out += ["## Failed documents", ""] + [f"- {f['message']}" for f in report["failures"]] + [""]
    for doc in report["documents"]:
        out += [f"## {doc['file']}", "", f"Genre `{doc['genre']}`, {doc['chars']} characters, {doc['facts']} facts ({doc['inferred_facts']} inferred).", ""]
        out += _table(["kind", "count"], [[k, v] for k, v in doc["entities"].items()]) + [""]
        out += ["### Stated vs found", ""]
        out += _table(["figure", "counts", "scope", "stated", "found"], [[f["label"], f["counts"], f["scope"], f["stated"], f["found"]] for f in doc["figures"]])
        out += [""]
        for key, title in (
            ("projects_without_leader_or_group", "Projects with no leader, group or lead unit"),
            ("projects_without_leader", "Projects with no leader"),
            ("projects_without_group", "Projects with no special group"),
        ):
            out += [f"### {title} ({len(doc[key])})", ""] + [f"- {p}" for p in doc[key]] + [""]
        if doc["warnings"]:
            out += ["### Warnings", ""] + [f"- {w}" for w in doc["warnings"]] + [""]
        out += [f"### Text no rule used ({len(doc['unused_text'])} sentences)", ""]
        out += [f"- [{u['start']}–{u['end']}] {u['text']}" for u in doc["unused_text"]] + [""]
    return "\n".join(out)

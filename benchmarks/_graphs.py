"""Large graphs for the benchmarks: the tests/corpus build copied many times, as plans from many
places would be. Used by views_large.py and sparql_scale.py; not part of the test suite.

Each copy renames every document-scoped or place-scoped entity (a new IRI, and a numbered label,
written form and simplified alternative label), so the copies share only posts, levels, problems
and the inference and extraction rules, which are one node wherever they are named. A triple that names nothing
renamed is the same in every copy and is given once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rdflib import RDFS, SKOS, Graph, Literal, URIRef  # noqa: E402

from kg.pipeline import build_graph, load_toolkit  # noqa: E402
from kg.rdf import union_graph  # noqa: E402
from kg.vocab import ID, RKG  # noqa: E402

SHARED = ("level/", "post/", "problem/", "rule/", "extraction-rule/")  # the same everywhere: not renamed in the copies
NAMES = (RDFS.label, RKG.writtenForm, SKOS.altLabel)  # a renamed entity's names are numbered too


def corpus_graph() -> Graph:
    """The union graph of tests/corpus/*.txt, built as `kg build` builds it."""
    result = build_graph([ROOT / "tests" / "corpus"], load_toolkit(), jobs=1)
    return union_graph(result.dataset)


def renamed(term, copy: int):
    if isinstance(term, URIRef) and str(term).startswith(str(ID)) and not str(term)[len(str(ID)) :].startswith(SHARED):
        return URIRef(f"{term}-{copy}")
    return term


def copy_triples(base: Graph, copy: int) -> Iterator[tuple]:
    """The triples of copy number ``copy`` (from 0); after the first, only those it renames."""
    for s, p, o in base:
        s2, o2 = renamed(s, copy), renamed(o, copy)
        if copy and s2 == s and o2 == o:
            continue  # the same triple as in copy 0
        if p in NAMES and copy and s2 != s:
            o2 = Literal(f"{o}{copy}", lang=o.language)
        yield s2, p, o2


def generate(base: Graph, copies: int) -> Graph:
    big = Graph()
    for copy in range(copies):
        for triple in copy_triples(base, copy):
            big.add(triple)
    return big

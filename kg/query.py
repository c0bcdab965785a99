"""Named queries: ``queries/*.rq``, each with a ``# title:`` / ``# description:`` / ``# param:`` header.

A stand-in with only what ``kg serve`` needs (``NamedQuery`` and ``discover_queries``), to be
replaced by the query branch's module of the same interface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"

_HEADER = re.compile(r"^# (title|description|param): (.+)$", re.M)
_FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.M | re.I)


@dataclass(frozen=True)
class NamedQuery:
    name: str  # the file name without .rq
    title: str
    description: str
    params: tuple[tuple[str, str], ...]  # (variable name without "?", what it means)
    text: str
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE


def parse_query(name: str, text: str) -> NamedQuery:
    header: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    for key, value in _HEADER.findall(text):
        if key == "param":
            variable, _, meaning = value.partition(" ")
            params.append((variable.lstrip("?$"), meaning.strip()))
        else:
            header[key] = value.strip()
    form = _FORM.search(text)
    return NamedQuery(name, header.get("title", name), header.get("description", ""), tuple(params), text, form.group(1).upper() if form else "SELECT")


def discover_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``directory``, by name, in name order."""
    return {path.stem: parse_query(path.stem, path.read_text(encoding="utf-8")) for path in sorted(Path(directory).glob("*.rq"))}

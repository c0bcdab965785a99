"""Streaming writers of Turtle, TriG, RDF/XML and compact JSON-LD from sorted N-Triples lines.

A corpus's graph is merged as sorted lines (kg.shard) and never held whole, so its files are
written a subject at a time as the lines arrive. pyoxigraph's writers stream too, and are faster
(TriG of 326,000 triples in 0.78 s against 1.18 s, parsing included: benchmarks/pay_for_use.py),
but they lower-case every language tag (zh-Hant → zh-hant), so that rdflib no longer finds their
graph isomorphic to the N-Triples one; these keep each term exactly as the N-Triples line has it.
Lines are read as rdflib's N-Triples writer makes them: one triple a line, terms separated by one
space, a subject's lines together.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import BinaryIO, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = f"{RDF_NS}type"

_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.S)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
# A local name written after a prefix as it is: anything else keeps its full IRI.
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Term:
    """An N-Triples term: ``text`` as the line writes it; ``kind`` "iri", "blank" or "literal";
    ``value`` the IRI, the blank node's label or the literal's text (unescaped)."""

    text: str
    kind: str
    value: str
    language: str | None = None
    datatype: str | None = None


def parse_term(text: str) -> Term:
    if text.startswith("<"):
        return Term(text, "iri", text[1:-1])
    if text.startswith("_:"):
        return Term(text, "blank", text[2:])
    match = _LITERAL.match(text)
    if match is None:
        raise ValueError(f"not an N-Triples term: {text[:80]!r}")
    body, language, datatype = match.groups()
    return Term(text, "literal", _ESCAPE.sub(_unescape, body), language, datatype or (None if language else f"{XSD_NS}string"))


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _ESCAPES.get(code, code)


def parse_line(line: bytes) -> tuple[str, str, str]:
    """A line's subject, predicate and object, as the line writes them."""
    text = line.decode("utf-8").rstrip("\n")
    subject, predicate, rest = text.split(" ", 2)
    return subject, predicate, rest[:-2]  # " ." closes the line


def by_subject(lines: Iterable[bytes]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(subject, its (predicate, object) pairs) for each run of a subject's lines."""
    for subject, triples in groupby(map(parse_line, lines), key=lambda t: t[0]):
        yield subject, [(p, o) for _, p, o in triples]


class Prefixes:
    """IRIs written as prefixed names where the local part needs no escaping."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(sorted(prefixes.items()))
        self._longest_first = sorted(((ns, name) for name, ns in self.prefixes.items()), key=lambda p: -len(p[0]))

    def split(self, iri: str) -> tuple[str, str] | None:
        for ns, name in self._longest_first:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
                return name, iri[len(ns) :]
        return None

    def declarations(self) -> bytes:
        """The @prefix lines of Turtle and TriG."""
        return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in self.prefixes.items()).encode("utf-8")

    def turtle(self, text: str) -> str:
        """A term of a line as Turtle writes it."""
        if text.startswith("<"):
            found = self.split(text[1:-1])
            return f"{found[0]}:{found[1]}" if found else text
        if text.endswith(">") and "^^<" in text:
            literal, datatype = text.rsplit("^^", 1)
            return f"{literal}^^{self.turtle(datatype)}"
        return text


def write_turtle(lines: Iterable[bytes], handle: BinaryIO, prefixes: Prefixes) -> None:
    """Turtle: the prefixes, then a block per subject, its predicates in order, objects by commas."""
    handle.write(prefixes.declarations() + b"\n")
    _write_blocks(lines, handle, prefixes, "")


def write_trig(graphs: Iterable[tuple[str, Iterable[bytes]]], handle: BinaryIO, prefixes: Prefixes) -> None:
    """TriG: the prefixes, then each named graph (IRI, sorted lines) as a block of Turtle."""
    handle.write(prefixes.declarations())
    for graph, lines in graphs:
        handle.write(f"\n{prefixes.turtle(f'<{graph}>')} {{\n".encode("utf-8"))
        _write_blocks(lines, handle, prefixes, "    ")
        handle.write(b"}\n")


def _write_blocks(lines: Iterable[bytes], handle: BinaryIO, prefixes: Prefixes, indent: str) -> None:
    for subject, pairs in by_subject(lines):
        parts = []
        for predicate, objects in groupby(pairs, key=lambda pair: pair[0]):
            verb = "a" if predicate == f"<{RDF_TYPE}>" else prefixes.turtle(predicate)
            parts.append(f"{verb} " + " ,\n".join(prefixes.turtle(o) for _, o in objects).replace("\n", f"\n{indent}        "))
        body = f" ;\n{indent}    ".join(parts)
        handle.write(f"{indent}{prefixes.turtle(subject)} {body} .\n\n".encode("utf-8"))


def write_rdfxml(lines: Iterable[bytes], handle: BinaryIO, prefixes: Prefixes) -> None:
    """RDF/XML: an rdf:Description per subject. A property outside the prefixes declares its
    namespace on its own element."""
    declared = {"rdf": RDF_NS, **prefixes.prefixes}
    head = "".join(f"\n  xmlns:{name}={quoteattr(ns)}" for name, ns in sorted(declared.items()))
    handle.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{head}>\n'.encode("utf-8"))
    for subject_text, pairs in by_subject(lines):
        subject = parse_term(subject_text)
        about = f"rdf:about={quoteattr(subject.value)}" if subject.kind == "iri" else f"rdf:nodeID={quoteattr(subject.value)}"
        out = [f"  <rdf:Description {about}>"]
        for predicate_text, object_text in pairs:
            name, declare = _qname(parse_term(predicate_text).value, declared)
            value = parse_term(object_text)
            if value.kind == "iri":
                out.append(f"    <{name}{declare} rdf:resource={quoteattr(value.value)}/>")
            elif value.kind == "blank":
                out.append(f"    <{name}{declare} rdf:nodeID={quoteattr(value.value)}/>")
            else:
                kind = f" xml:lang={quoteattr(value.language)}" if value.language else "" if value.datatype == f"{XSD_NS}string" else f" rdf:datatype={quoteattr(value.datatype)}"
                out.append(f"    <{name}{declare}{kind}>{escape(value.value)}</{name}>")
        out.append("  </rdf:Description>\n")
        handle.write("\n".join(out).encode("utf-8"))
    handle.write(b"</rdf:RDF>\n")


def _qname(iri: str, declared: dict[str, str]) -> tuple[str, str]:
    """The element name of a property, and the namespace declaration it needs, if any."""
    for name, ns in declared.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
            return f"{name}:{iri[len(ns):]}", ""
    at = max(iri.rfind("#"), iri.rfind("/")) + 1
    while at < len(iri) and not _LOCAL.fullmatch(iri[at:]):
        at += 1
    if at >= len(iri):
        raise ValueError(f"RDF/XML cannot name the property {iri}")
    return f"ns:{iri[at:]}", f" xmlns:ns={quoteattr(iri[:at])}"


def write_jsonld(lines: Iterable[bytes], handle: BinaryIO, context: dict) -> None:
    """Compact JSON-LD under ``context``, embedded: a node object per subject, in IRI order, the
    same bytes ``json.dumps(document, indent=1, sort_keys=True)`` would give the whole."""
    compact = JsonLdCompactor(context)
    head = json.dumps(context, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")
    handle.write(f'{{\n "@context": {head},\n "@graph": ['.encode("utf-8"))
    separator = "\n"
    for subject, pairs in by_subject(lines):
        node = json.dumps(compact.node(subject, pairs), ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n  ")
        handle.write(f"{separator}  {node}".encode("utf-8"))
        separator = ",\n"
    handle.write(b"]\n}\n" if separator == "\n" else b"\n ]\n}\n")


class JsonLdCompactor:
    """Node objects as JSON-LD compaction under a context writes them: a property with a term
    takes the term, and the value in the term's type (an IRI, an integer's lexical form); any
    other property its compact IRI, an integer as a JSON number; one value alone, several as a
    list in a stable order."""

    def __init__(self, context: dict):
        self.prefixes = Prefixes({name: ns for name, ns in context.items() if isinstance(ns, str)})
        self.terms: dict[str, tuple[str, str | None]] = {}
        for name, term in context.items():
            if isinstance(term, dict):
                self.terms[self.expand(term["@id"])] = (name, term.get("@type"))

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        return self.prefixes.prefixes[prefix] + rest if prefix in self.prefixes.prefixes else curie

    def iri(self, iri: str) -> str:
        found = self.prefixes.split(iri)
        return f"{found[0]}:{found[1]}" if found else iri

    def node(self, subject_text: str, pairs: list[tuple[str, str]]) -> dict:
        values: dict[str, list] = defaultdict(list)
        types = []
        for predicate_text, object_text in pairs:
            predicate, value = parse_term(predicate_text).value, parse_term(object_text)
            if predicate == RDF_TYPE and value.kind == "iri":
                types.append(self.iri(value.value))
                continue
            name, coerce = self.terms.get(predicate, (None, None))
            if value.kind != "literal":
                reference = value.value if value.kind == "iri" else f"_:{value.value}"
                if coerce == "@id" and value.kind == "iri":
                    values[name].append(self.iri(reference))
                else:
                    values[self.iri(predicate)].append({"@id": self.iri(reference) if value.kind == "iri" else reference})
            elif coerce not in (None, "@id") and value.datatype == self.expand(coerce):
                values[name].append(value.value)
            elif name is not None and coerce is None:
                values[name].append(self._literal(value, native=False))
            else:
                values[self.iri(predicate)].append(self._literal(value, native=True))
        subject = parse_term(subject_text)
        node: dict = {"@id": subject.value if subject.kind == "iri" else f"_:{subject.value}"}
        if types:
            node["@type"] = types[0] if len(types) == 1 else sorted(types)
        for key, found in values.items():
            node[key] = found[0] if len(found) == 1 else sorted(found, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        return node

    def _literal(self, value: Term, native: bool):
        if value.language is not None:
            return {"@language": value.language, "@value": value.value}
        if value.datatype == f"{XSD_NS}string":
            return value.value
        if native and value.datatype == f"{XSD_NS}integer":
            return int(value.value)
        return {"@type": self.iri(value.datatype), "@value": value.value}

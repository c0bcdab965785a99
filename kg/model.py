"""Frozen values passed between the pipeline stages. No I/O here.

Offsets are the truth: every ``Span`` satisfies ``document.text[start:end] == text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from rdflib import Dataset


@dataclass(frozen=True)
class SourceDocument:
    """One input document, decoded. ``text`` is what every offset refers to."""

    doc_id: str  # stable key: a hash of the decoded text
    path: str  # as the user gave it, for messages
    name: str  # file name, for reports
    text: str
    encoding: str = "utf-8"
    media_type: str = "text/plain"
    title: str = ""
    script: str = "simplified"  # or "traditional", as kg.script.detect_script reads the text
    notes: tuple[str, ...] = ()  # what reading it had to do: "3 bytes that are not UTF-8 replaced, …"
    # Where the document is, in a form that survives an edit and the folder a build runs from: its
    # folder's name and its path inside it ("台账/2024/a.docx"; see kg.pipeline.document_identities).
    identity: str = ""

    @property
    def key(self) -> str:
        """What the document's IRIs are made from: its identity, else (a text built on its own,
        with no file) its text's hash."""
        return self.identity or self.doc_id


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of one document's text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Cell:
    """One table cell: its column's role ("project", "lead", "leadUnit", …) and the stretches
    of text it is made of. A cell of a box-drawing table runs over several lines, so it is
    several pieces, each a true ``Span``; ``text`` joins them."""

    role: str
    pieces: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True)
class Segment:
    """A structural unit of a document: heading, numbered item, table row or paragraph.

    ``title`` is the item's own line (its name and cue fields) where it has one;
    ``body`` the text that follows it up to the next unit of the same kind.
    ``parent`` is the index of the enclosing heading segment, or -1.
    A table row (kind "row") has ``cells``.
    """

    kind: str
    span: Span
    ordinal: int | None = None
    depth: int = 0
    parent: int = -1
    title: Span | None = None
    body: Span | None = None
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True, order=True)
class Entity:
    """A thing the graph names. ``key`` decides identity; ``label`` is how it is shown.

    ``kind`` is one of the type slugs of ``kg.ids.KIND_CLASSES``. ``alt_label`` is the simplified
    form of a label written in traditional script, or "". It takes no part in equality or order:
    it is another spelling of ``label``, not part of what the entity is.
    """

    kind: str
    key: str
    label: str
    alt_label: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class Value:
    """A literal object: ``datatype`` is an XSD local name ("integer", "date", …) or ""."""

    text: str
    datatype: str = ""
    language: str = ""


Term = Union[Entity, Value]


@dataclass(frozen=True)
class Mention:
    """Where the text names an entity (gives the entity its own ``rkg:evidence``)."""

    entity: Entity
    span: Span  # the sentence that names it
    exact: Span  # the name itself
    # The name as written where ``exact`` holds more than the name: a table cell that runs over
    # lines puts the frame between its characters ("国│…│家税务局" is written "国家税务局").
    written: str = ""

    @property
    def written_form(self) -> str:
        return self.written or self.exact.text


@dataclass(frozen=True)
class Fact:
    """One relation, ``subject predicate object``, with the sentence(s) that state it.

    ``predicate`` is a local name in the rkg namespace (``"leadPerson"``). An inferred fact
    names its ``rule`` and the ``premises`` it rests on; it is never presented as stated.
    """

    subject: Entity
    predicate: str
    object: Term
    evidence: tuple[Span, ...]
    rule: str
    inferred: bool = False
    premises: tuple["Fact", ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class StatedFigure:
    """A number the document states about itself ("28个改革项目"), to compare with what was found.

    ``counts`` is the kind counted; ``scope`` narrows it (a tier), or is None.
    """

    label: str
    value: int
    counts: str
    scope: Entity | None
    evidence: Span


@dataclass(frozen=True, order=True)
class Cue:
    """Text that looks like it says who is responsible but gave no fact: a label no grammar reads
    ("督办科室："), a bracket of units that attached to nothing, a name after a post that became
    no person, a numbered item that became no task. ``kind`` is one of CUE_KINDS."""

    span: Span
    kind: str


CUE_KINDS = ("label", "bracket", "name", "item")


@dataclass(frozen=True)
class Extraction:
    """Everything the rules found in one document, before resolution."""

    document: SourceDocument
    genre: str
    segments: tuple[Segment, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...]
    figures: tuple[StatedFigure, ...]
    used: tuple[Span, ...]  # text some rule consumed, for the "unused text" report
    warnings: tuple[str, ...] = ()
    unread: tuple[Cue, ...] = ()  # cues of responsibility that gave no fact, for the report


@dataclass(frozen=True)
class Resolved:
    """One document's extraction after merging and inference: what goes into the graph."""

    document: SourceDocument
    genre: str
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...]
    figures: tuple[tuple[StatedFigure, int | None], ...]  # (figure, found count or None)
    unused: tuple[Span, ...]
    warnings: tuple[str, ...] = ()
    unread: tuple[Cue, ...] = ()  # cues of responsibility that gave no fact (see Cue)
    # Where the document is from ("某某区"), or None where its text does not say (kg.resolve.detect_place).
    place: str | None = None
    # (person key, level words of the posts this document says the person holds): ("张三", ("区",)).
    person_levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Where the document is from on the official code list, and its units grounded there (kg.places).
    grounding: "PlaceGrounding | None" = None
    unit_places: tuple["UnitPlace", ...] = ()
    # Every division the grounding names, with their parents: what the graph writes as places.
    divisions: tuple["Division", ...] = ()


@dataclass(frozen=True, order=True)
class Division:
    """An administrative division of the official code list (GB/T 2260), as the list had it
    from ``first`` to ``last`` (years): its six-digit ``code``, ``name``, ``tier`` ("province",
    "prefecture" or "county"), the code of its ``parent`` ("" for a province) and the short
    name the list gives (坪山 for 坪山区)."""

    code: str
    name: str
    tier: str
    parent: str
    first: int
    last: int
    short: str = ""


@dataclass(frozen=True)
class PlaceGrounding:
    """Where a document is from, on the code list (kg.places.ground_document).

    ``chain`` is the division and its parents, lowest first, or () where the place is not
    resolved; then ``candidates`` are the chains it may be (two 鼓楼区, or the prefectures a
    development zone may be in), none of them guessed. ``written`` is the name as the text
    writes it, ``evidence`` where. ``list_year`` is the year of the list the code was read in:
    the document's own ``year`` where the data has it, else the latest (today's code).
    ``below`` names a township or street the document speaks as, under the list's counties.
    """

    written: str
    chain: tuple[Division, ...] = ()
    candidates: tuple[tuple[Division, ...], ...] = ()
    evidence: Span | None = None
    year: int | None = None
    list_year: int = 0
    below: str = ""
    # the division with the same code in today's list (the latest year the data has: latest_year),
    # the same place renamed or not; None where today's list no longer has the code
    today: Division | None = None
    reason: str = ""  # why it is unresolved: "ambiguous", a development "zone", a township "below" no named county
    latest_year: int = 0

    @property
    def division(self) -> Division | None:
        return self.chain[0] if self.chain else None


@dataclass(frozen=True, order=True)
class UnitPlace:
    """A unit grounded in a division: ``relation`` "jurisdiction" (市发展改革委 → the document's
    city) or "collective" (各县（市、区） → each county of ``code``'s division)."""

    kind: str
    key: str
    relation: str
    code: str


# --- what a build gives (kg.pipeline) ------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """An input that could not be built. ``message`` is the problem; ``str()`` names the file too."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Duplicate:
    """An input whose text is the same as another's (a copy in another folder): built once, as ``original``."""

    path: str
    original: str

    def __str__(self) -> str:
        return f"{self.path}: duplicate of {self.original}, skipped"


Outcome = Union[Resolved, Failure, Duplicate]


@dataclass(frozen=True)
class BuildResult:
    documents: tuple[Resolved, ...]
    failures: tuple[Failure, ...]
    dataset: Dataset | None  # kg.pipeline.build_graph's; None from build_corpus, whose graph is its ExportSource
    duplicates: tuple[Duplicate, ...] = ()
    cached: tuple[str, ...] = ()  # paths of the documents whose extraction came from the cache
    # kg.pipeline.build_corpus's: each document's entry of the report (kg.report.document_report), made
    # before its mentions, facts and entities were dropped from ``documents``.
    reports: tuple[dict, ...] = ()

"""The only module that knows the order of the stages:

documents → segments → mentions/facts (extract) → entities (resolve) → graph (rdf),
with a traditional-script document read through a simplified copy and restored after resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Dataset

from .errors import InputError, KgError
from .extract import extract_records
from .lexicon import Lexicon, load_lexicon
from .load import SUPPORTED_SUFFIXES, load_document
from .model import Resolved, SourceDocument
from .rdf import records_to_dataset
from .resolve import resolve_extraction
from .rules import Rules, detect_genre, load_all_rules
from .script import restore_script, simplify_document
from .segment import segment_document, split_sentences

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "pingshan-2017-reform-plan.txt"


@dataclass(frozen=True)
class Toolkit:
    """The loaded lexicon and genre rules: built once, used for every document."""

    lexicon: Lexicon
    genres: dict[str, Rules]


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


@dataclass(frozen=True)
class BuildResult:
    documents: tuple[Resolved, ...]
    failures: tuple[Failure, ...]
    dataset: Dataset


def load_toolkit() -> Toolkit:
    lexicon = load_lexicon()
    return Toolkit(lexicon, load_all_rules(lexicon))


def process_document(document: SourceDocument, toolkit: Toolkit, genre: str | None = None) -> Resolved:
    """One document through every stage up to resolution."""
    if genre is not None and genre not in toolkit.genres:
        raise KgError(f"unknown genre {genre!r}; known genres: {', '.join(sorted(toolkit.genres))}")
    # The rules are written in simplified script: a traditional document is read through a
    # simplified copy of the same length, and what is found there gets the original text back.
    reading = simplify_document(document)
    name = genre or detect_genre(reading.text, toolkit.genres)
    rules = toolkit.genres[name]
    segments = segment_document(reading, rules, toolkit.lexicon)
    extraction = extract_records(reading, segments, rules, toolkit.lexicon, name)
    sentences = [s for seg in segments for s in split_sentences(seg.span, rules)]
    resolved = resolve_extraction(extraction, sentences, toolkit.lexicon)
    return resolved if reading is document else restore_script(resolved, document)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the supported files inside folders (sorted, so builds are stable)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(path)
    return found


def build_graph(
    paths: Iterable[str | Path],
    toolkit: Toolkit | None = None,
    genre: str | None = None,
    progress: Callable[[str, Resolved | None, str | None], None] | None = None,
) -> BuildResult:
    """Load, extract and resolve every document; one bad document does not stop the others."""
    toolkit = toolkit or load_toolkit()
    documents, failures = [], []
    for path in expand_paths(paths):
        try:
            resolved = process_document(load_document(path), toolkit, genre)
        except InputError as exc:
            failures.append(Failure(str(path), str(exc)))
            if progress:
                progress(str(path), None, str(exc))
            continue
        documents.append(resolved)
        if progress:
            progress(str(path), resolved, None)
    # Sorted by document identity so the output does not depend on the order of the inputs.
    documents.sort(key=lambda r: (r.document.doc_id, r.document.path))
    return BuildResult(tuple(documents), tuple(failures), records_to_dataset(documents))

"""The only module that knows the order of the stages:

documents → segments → mentions/facts (extract) → entities (resolve) → graph (rdf),
with a traditional-script document read through a simplified copy and restored after resolve.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
import zlib
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol

from .errors import InputError, KgError, UsageError
from .cache import ExtractionCache
from .divisions import DivisionList, shared_division_list
from .extract import extract_records
from .lexicon import Lexicon, load_lexicon
from .load import SUPPORTED_SUFFIXES, decode_document, describe_error, load_document, read_file
from .model import BuildResult, Duplicate, Failure, Outcome, Resolved, SourceDocument
from .infer import add_entailments
from .rdf import records_to_dataset
from .validate import load_ontology
from .places import find_document_year, ground_places, quote_place_evidence
from .resolve import assign_places, resolve_extraction
from .rules import Rules, detect_genre, load_all_rules
from .layout import drop_glosses, reflow_document, restore_glosses
from .script import restore_script, simplify_document
from .segment import segment_document, split_sentences
from .shard import ShardCollector, make_pickled_shard, places_by_document

if TYPE_CHECKING:
    from .exportsource import ExportSource
    from .runs import Spool

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "pingshan-2017-reform-plan.txt"


@dataclass(frozen=True)
class Toolkit:
    """The loaded lexicon and genre rules: built once, used for every document; and the code
    list of divisions, loaded the first time a document is extracted (a build whose documents
    all come from the extraction cache never reads it)."""

    lexicon: Lexicon
    genres: dict[str, Rules]

    @property
    def divisions(self) -> DivisionList:
        return shared_division_list()


def load_toolkit() -> Toolkit:
    lexicon = load_lexicon()
    return Toolkit(lexicon, load_all_rules(lexicon))


def process_document(document: SourceDocument, toolkit: Toolkit, genre: str | None = None) -> Resolved:
    """One document through every stage up to resolution."""
    if genre is not None and genre not in toolkit.genres:
        raise KgError(f"unknown genre {genre!r}; known genres: {', '.join(sorted(toolkit.genres))}")
    # The rules are written in simplified script: a traditional document is read through a
    # simplified copy of the same length, and what is found there gets the original text back
    # (its script, and the white space the layout copy changed).
    # A mirror site's pinyin readings ("領(lǐng)導") are read around, in a copy without them.
    bare, offsets = drop_glosses(document)
    reading = simplify_document(bare)
    name = genre or detect_genre(reading.text, toolkit.genres)
    rules = toolkit.genres[name]
    # Lines as the author meant them: a PDF's wrapped lines joined, run-in paragraphs split,
    # in a copy of the same length (white space only).
    reading = reflow_document(reading, rules.item_start, rules.heading_max_chars)
    segments = segment_document(reading, rules, toolkit.lexicon)
    extraction = extract_records(reading, segments, rules, toolkit.lexicon, name)
    sentences = [s for seg in segments for s in split_sentences(seg.span, rules)]
    resolved = resolve_extraction(extraction, sentences, toolkit.lexicon)
    year = find_document_year(reading.text, rules.patterns["document_year"], toolkit.divisions.words.opening_chars)
    resolved = ground_places(resolved, reading.text, toolkit.divisions, toolkit.lexicon, year)
    resolved = resolved if reading is bare else restore_script(resolved, bare)
    resolved = resolved if offsets is None else restore_glosses(resolved, document, offsets)
    resolved = quote_place_evidence(resolved, document.text, offsets)
    # What reading the file took (bad bytes replaced) is said with the document's warnings.
    notes = tuple(f"{document.name}: {note}" for note in document.notes)
    return dataclasses.replace(resolved, warnings=(*notes, *resolved.warnings)) if notes else resolved


MAX_EXTRACTION_CHARS = 1_000_000
"""Longer documents are refused before extraction. Reform documents run to tens of thousands of
characters; extraction time grows in step with the length (about 25 s per million characters on
a 2-core machine, most of it jieba tagging the text), so a longer text is almost surely a wrong
file or a concatenation that should be split."""

MAX_DEFAULT_JOBS = 8
BYTES_PER_DEFAULT_JOB = 1 << 20
"""When ``jobs`` is not given: a worker per MiB of input, up to the CPUs and MAX_DEFAULT_JOBS.
Each worker spends 1.5 to 4 s of CPU loading the toolkit (jieba's dictionary above all), while
extraction runs at about 250 KB of input a second; below a MiB a worker costs more than it saves
(the 16 documents of the shared corpus, 60 KB, extract in 0.25 s)."""

# The toolkit of a worker process, set once by ``start_worker`` (a local pool's) or by the first
# document it extracts (a Dask worker's, see ``worker_toolkit``). Module state only because a
# worker process offers no other place to keep what it loaded; the parent never sets it.
_worker_toolkit: Toolkit | None = None
_worker_toolkit_lock = threading.Lock()


# A folder's notes about itself, by their name without suffixes (README.md, readme.zh.txt,
# LICENSE.txt): no documents of the corpus, though their suffixes are those of documents.
FOLDER_NOTES = ("readme", "license", "licence", "changelog", "notice", "authors")
# A folder kg build wrote holds its report.json beside its graph.
OUTPUT_MARK = "report.json"
OUTPUT_GRAPHS = ("graph.trig", "graph.ttl")


def _is_output_folder(folder: Path) -> bool:
    return (folder / OUTPUT_MARK).is_file() and any((folder / name).is_file() for name in OUTPUT_GRAPHS)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Files as given, and the supported files inside folders (sorted, so builds are stable).

    Inside a folder other suffixes are skipped silently: folders hold notes, images and
    spreadsheets; so are a folder's notes about itself (``FOLDER_NOTES``: its README.md) and the
    folders a build wrote (``_is_output_folder``). A file named explicitly is kept whatever its
    suffix or name, so that loading it says what is wrong. A folder with nothing to build is a
    failure of its own.
    """
    found: list[Path] = []
    failures: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # A build's own output (its report.md, its views' pages) is no document: "kg build ."
            # would read the last build back in, and grow with every run.
            outputs = {report.parent for report in path.rglob(OUTPUT_MARK) if _is_output_folder(report.parent)}
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name.split(".")[0].lower() not in FOLDER_NOTES
                and not any(folder in p.parents for folder in outputs)
            )
            if not files:
                failures.append(Failure(str(path), f"folder holds no supported document ({', '.join(SUPPORTED_SUFFIXES)})"))
            found.extend(files)
        else:
            found.append(path)
    # The same file named twice (a folder and a file inside it) is one input, not a duplicate.
    unique = {os.path.realpath(p): p for p in reversed(found)}
    return [p for p in found if unique[os.path.realpath(p)] is p], failures


def count_jobs(jobs: int | None, files: list[Path], apart: bool = False) -> int:
    """Worker processes to use, 0 to work in this process; never more than there are files.
    ``jobs``: as asked (1: this process); None: see BYTES_PER_DEFAULT_JOB, and with ``apart`` one
    worker at least where there are several CPUs, so that this process can do other work
    meanwhile."""
    if jobs is not None:
        return min(jobs, len(files)) if jobs > 1 else 0
    size = sum(measure_file(f) for f in files)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    jobs = min(cpus, MAX_DEFAULT_JOBS, size // BYTES_PER_DEFAULT_JOB)
    if apart and cpus > 1:
        return min(max(jobs, 1), len(files))
    return min(jobs, len(files)) if jobs > 1 else 0


def measure_file(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # missing or unreadable: loading it will say so
        return 0


def build_graph(
    paths: Iterable[str | Path],
    toolkit: Toolkit | None = None,
    genre: str | None = None,
    progress: Callable[[Outcome, int, int], None] | None = None,
    jobs: int | None = None,
    cache: ExtractionCache | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Load, extract and resolve every document; one bad document does not stop the others.

    ``jobs`` > 1 loads and extracts documents in that many worker processes (default: see
    BYTES_PER_DEFAULT_JOB). The result is the same as a serial run's, because outcomes are
    collected in input order and sorted before the graph is built. ``progress(outcome, done,
    total)`` is called once per input, in input order. With a ``cache``, a document extracted
    before by the same code is taken from it instead of extracted again. With a ``scheduler``
    (the address of a Dask scheduler) the workers are the cluster's, and ``jobs`` is unused.

    The graph is an rdflib dataset, held in memory: for a corpus, ``build_corpus`` makes the
    same graph a document at a time.
    """
    toolkit = toolkit or load_toolkit()
    paths = list(paths)
    files, failures = _check_inputs(paths, toolkit, genre)
    with open_executor(count_jobs(jobs, files), toolkit, scheduler) as executor:
        result = _extract_all(executor, files, failures, toolkit, genre, progress, cache, identities=document_identities(paths, files))
    dataset = records_to_dataset(list(result.documents))
    if result.documents:
        add_entailments(dataset, load_ontology())
    return dataclasses.replace(result, dataset=dataset)


def build_corpus(
    paths: Iterable[str | Path],
    spool: Spool,
    toolkit: Toolkit | None = None,
    genre: str | None = None,
    progress: Callable[[Outcome, int, int], None] | None = None,
    jobs: int | None = None,
    cache: ExtractionCache | None = None,
    validate: bool = True,
    meanwhile: Callable[[], object] | None = None,
    scheduler: str | None = None,
) -> tuple[BuildResult, ExportSource | None]:
    """``build_graph``'s documents, and their graph as an ExportSource made of shards (kg.shard):
    each document's graph, entailments, projection and ledger rows made in the workers (and with
    ``validate`` its graph validated), their lines kept in ``spool``. The parent holds the
    network projection and the documents' summary, never the whole graph. The result's documents
    keep their document (not its text), genre, figures and place, not their entities, mentions,
    facts and unused text (its ``reports`` say what the report needs of them). The source is None
    when no document could be built.

    By default there is one worker at least, on a machine of several CPUs, and ``meanwhile()``
    runs here while it works: what the caller needs next, such as the modules that write the
    output, loaded on the other core. With a ``scheduler`` (a Dask scheduler's address) the
    workers are the cluster's (kg.cluster), and ``jobs`` is unused: the output is the same."""
    toolkit = toolkit or load_toolkit()
    paths = list(paths)
    files, failures = _check_inputs(paths, toolkit, genre)
    # From the moment it is extracted each document waits for its shard pickled and compressed:
    # its mentions and facts take 16 times the room as Python objects (184 against 11 kB). Kept
    # as objects: what assigning places needs (its entities, until then) and what the result keeps.
    waiting: dict[str, bytes] = {}

    def pack(resolved: Resolved) -> Resolved:
        waiting[resolved.document.path] = zlib.compress(pickle.dumps(resolved, pickle.HIGHEST_PROTOCOL), 1)
        return dataclasses.replace(resolved, document=dataclasses.replace(resolved.document, text=""), mentions=(), facts=(), unused=())

    def start() -> None:
        # The work is with the workers: this process does what was asked of it meanwhile, once.
        nonlocal meanwhile
        if executor is not None and meanwhile is not None:
            meanwhile, task = None, meanwhile
            task()

    with open_executor(count_jobs(jobs, files, apart=True), toolkit, scheduler) as executor:
        result = _extract_all(executor, files, failures, toolkit, genre, progress, cache, pack, start, document_identities(paths, files))
        if not result.documents:
            return result, None
        places = places_by_document(assign_places(list(result.documents)))
        documents, result = list(result.documents), dataclasses.replace(result, documents=())
        slim, work = [], []
        for number, resolved in enumerate(documents):
            slim.append(dataclasses.replace(resolved, entities=()))
            work.append((resolved.document.path, (waiting.pop(resolved.document.path), places.get(resolved.document.doc_id, {}), validate)))
            documents[number] = None
        collector, built, failed = ShardCollector(spool), [], []
        shards = run_each(executor, make_pickled_shard, work)
        start()
        for resolved, shard in zip(slim, shards):
            if isinstance(shard, Failure):  # a bug met on one document: the others are built
                failed.append(shard)
            else:
                built.append(resolved)
                collector.add(shard)
    result = dataclasses.replace(
        result,
        documents=tuple(built),
        failures=tuple(sorted((*result.failures, *failed), key=lambda f: f.path)),
        reports=tuple(collector.reports),
    )
    return result, collector.source() if built else None


def _check_inputs(paths: Iterable[str | Path], toolkit: Toolkit, genre: str | None) -> tuple[list[Path], list[Failure]]:
    # Checked once here, not left to process_document: each document's errors become its own
    # Failure, and a mistyped --genre is the user's, not every document's.
    if genre is not None and genre not in toolkit.genres:
        raise UsageError(f"unknown genre {genre!r}; known genres: {', '.join(sorted(toolkit.genres))}")
    return expand_paths(paths)


def _extract_all(
    executor: Executor | None,
    files: list[Path],
    failures: list[Failure],
    toolkit: Toolkit,
    genre: str | None,
    progress: Callable[[Outcome, int, int], None] | None,
    cache: ExtractionCache | None,
    pack: Callable[[Resolved], Resolved] | None = None,
    start: Callable[[], None] = lambda: None,
    identities: dict[Path, str] | None = None,
) -> BuildResult:
    """Every input loaded and extracted (or taken from the cache), sorted; no graph yet. ``pack``:
    what to keep of each document once it is cached and its progress told; ``start``: called
    once the extractions are handed to the executor."""
    total = len(files) + len(failures)
    outcomes: list[Outcome] = []

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress(outcome, len(outcomes), total)

    for failure in failures:
        record(failure)
    loaded = load_inputs(executor, files, identities or {})
    originals = find_originals([d for d in loaded if isinstance(d, SourceDocument)])
    to_extract = []
    for item in loaded:
        if not isinstance(item, SourceDocument):
            record(item)
        elif originals[item.doc_id] is not item:
            record(Duplicate(item.path, originals[item.doc_id].path))
        else:
            to_extract.append(item)
    hits = {d.path: hit for d in to_extract if cache is not None and (hit := cache.get(d, genre)) is not None}
    # The parent's toolkit goes to the work only when it runs here: a worker has its own (a
    # copy of the parent's where it was forked).
    own = toolkit if executor is None else None
    extracted = run_each(executor, extract_document, [(d.path, (d, genre, own)) for d in to_extract if d.path not in hits])
    if len(hits) < len(to_extract):
        start()
    for document in to_extract:  # in input order, cached or not
        outcome = hits.get(document.path) or next(extracted)
        if cache is not None and isinstance(outcome, Resolved) and document.path not in hits:
            cache.put(outcome, genre)
        record(outcome)
        if pack is not None and isinstance(outcome, Resolved):
            outcomes[-1] = pack(outcome)
    # Sorted by document identity and path so the output does not depend on the order of the
    # inputs, nor on which worker finished first.
    return BuildResult(
        documents=tuple(sorted((o for o in outcomes if isinstance(o, Resolved)), key=lambda r: (r.document.doc_id, r.document.path))),
        failures=tuple(sorted((o for o in outcomes if isinstance(o, Failure)), key=lambda f: f.path)),
        dataset=None,
        duplicates=tuple(sorted((o for o in outcomes if isinstance(o, Duplicate)), key=lambda d: d.path)),
        cached=tuple(sorted(hits)),
    )


def document_identities(paths: list[str | Path], files: list[Path]) -> dict[Path, str]:
    """Each input file's identity (``SourceDocument.identity``): the name of the folder it was
    found in and its path inside that folder ("台账/2024/a.docx"); for a file named by itself, its
    folder's name and its own ("台账/a.docx", as a build of the folder names it too). The same
    whatever folder the build runs from, and kept by an edit of the file; a second file that would
    have the same identity gets "#2" after it, in the order of the paths."""
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    identities: dict[Path, str] = {}
    taken: dict[str, int] = {}
    for file in sorted(files, key=str):
        root = next((r for r in roots if r in file.parents), None)
        if root is not None:
            name = f"{Path(os.path.abspath(root)).name}/{file.relative_to(root).as_posix()}"
        else:
            whole = Path(os.path.abspath(file))
            name = f"{whole.parent.name}/{whole.name}"
        taken[name] = taken.get(name, 0) + 1
        identities[file] = name if taken[name] == 1 else f"{name}#{taken[name]}"
    return identities


def find_originals(documents: list[SourceDocument]) -> dict[str, SourceDocument]:
    """doc_id → the copy to build: of identical texts, the one whose path sorts first, so the
    choice does not depend on the order the inputs were given in."""
    originals: dict[str, SourceDocument] = {}
    for document in sorted(documents, key=lambda d: d.path):
        originals.setdefault(document.doc_id, document)
    return originals


def load_inputs(executor: Executor | None, files: list[Path], identities: dict[Path, str]) -> list[SourceDocument | Failure]:
    """Each file's document, or the Failure that says why it cannot be read, in order. Workers
    that see this machine's files (``Executor.shares_files``) read them; for workers that may
    be on other machines this process reads each file's bytes and sends them to be decoded
    there: files as the user named them, on this machine, and the decoding (HTML, .docx, PDF,
    encodings: most of a file's reading) on the workers."""
    if executor is None or executor.shares_files:
        return list(run_each(executor, read_document, [(str(f), (f, identities.get(f, ""))) for f in files]))
    read = [run_guarded(str(f), read_file, f) for f in files]
    decoded = run_each(executor, decode_input, [(str(f), (data, str(f), identities.get(f, ""))) for f, data in zip(files, read) if isinstance(data, bytes)])
    return [next(decoded) if isinstance(data, bytes) else data for data in read]


def read_document(path: Path, identity: str = "") -> SourceDocument:
    return check_document(load_document(path), identity)


def decode_input(data: bytes, path: str, identity: str = "") -> SourceDocument:
    """``read_document`` of a file whose bytes were read elsewhere (kg.load.read_file)."""
    return check_document(decode_document(data, path), identity)


def check_document(document: SourceDocument, identity: str) -> SourceDocument:
    document = dataclasses.replace(document, identity=identity)
    if len(document.text) > MAX_EXTRACTION_CHARS:
        raise InputError(
            f"document has {len(document.text):,} characters, over the {MAX_EXTRACTION_CHARS:,}-character "
            "limit for extraction; split it into parts",
            document.path,
        )
    return document


def extract_document(document: SourceDocument, genre: str | None, toolkit: Toolkit | None) -> Resolved:
    return process_document(document, toolkit or worker_toolkit(), genre)


def worker_toolkit() -> Toolkit:
    """The toolkit of this worker process: the one ``start_worker`` set, else (a Dask worker,
    which runs no initializer of ours) one loaded by the first document and kept for the
    process's others; a lock, as a Dask worker may run several threads."""
    global _worker_toolkit
    with _worker_toolkit_lock:
        if _worker_toolkit is None:
            _worker_toolkit = load_toolkit()
        return _worker_toolkit


def start_worker(toolkit: Toolkit | None = None) -> None:
    """Runs once in each worker process: the parent's ``toolkit`` where the worker was forked
    from it, else one loaded there, never the parent's pickled (its jieba tokenizer holds a lock
    and a large dictionary)."""
    global _worker_toolkit
    # Ctrl-C reaches every process of the terminal's group; the parent alone handles it (it
    # cancels what is queued), so a worker finishes its document instead of printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_toolkit = toolkit or load_toolkit()


class Executor(Protocol):
    """What runs a build's work elsewhere: a ``concurrent.futures`` executor (or one like it,
    whose futures have a ``result()``) that says whether its workers see this machine's files
    and which error of a future means its worker died."""

    shares_files: bool
    lost_worker: tuple[type[BaseException], ...]

    def submit(self, fn: Callable, /, *args) -> Future: ...


class LocalPool(ProcessPoolExecutor):
    """The worker processes of a build on this machine."""

    shares_files = True
    lost_worker = (BrokenProcessPool,)  # nothing was raised in the worker: it died


@contextmanager
def open_executor(jobs: int, toolkit: Toolkit | None = None, scheduler: str | None = None) -> Iterator[Executor | None]:
    """A pool of ``jobs`` worker processes, or None for 0 (work runs in this process, with no
    start-up cost). Where the platform starts a process by forking (Linux, before Python 3.14),
    the workers take ``toolkit`` as it is (what it has loaded is not loaded again); else each
    loads a toolkit of its own. With a ``scheduler``, the workers of that Dask cluster instead
    (kg.cluster), each of which loads a toolkit of its own once."""
    if scheduler is not None:
        from .cluster import open_cluster

        with open_cluster(scheduler) as executor:
            yield executor
        return
    if jobs < 1:
        yield None
        return
    forked = toolkit is not None and multiprocessing.get_start_method() == "fork"
    executor = LocalPool(jobs, initializer=start_worker, initargs=(toolkit,) if forked else ())
    try:
        yield executor
    finally:
        # On an error or Ctrl-C, drop the queued documents instead of building them all first.
        executor.shutdown(cancel_futures=True)


def run_each(
    executor: Executor | None, task: Callable, work: list[tuple[str, tuple]]
) -> Iterator[SourceDocument | Outcome]:
    """``task(*args)`` for each ``(path, args)`` of ``work``, results in order; errors → Failures.
    An executor is given all the work at once; in this process each task runs as its result is read."""
    if executor is None:
        return (run_guarded(path, task, *args) for path, args in work)
    return _results(deque((path, executor.submit(run_guarded, path, task, *args)) for path, args in work), executor.lost_worker)


def _results(futures: deque[tuple[str, Future]], lost_worker: tuple[type[BaseException], ...]) -> Iterator[SourceDocument | Outcome]:
    while futures:
        # Taken off the queue before its result is handed on: a future keeps its result, and a
        # corpus's shards, kept until the last came, would hold the whole graph in memory.
        path, future = futures.popleft()
        try:
            result = future.result()
        except lost_worker as error:  # a worker died (out of memory, killed): nothing raised there
            result = Failure(path, f"a worker process stopped (killed, or out of memory) before the document was built ({describe_error(error)})")
        del future
        yield result


def run_guarded(path: str, task: Callable, *args) -> SourceDocument | Outcome:
    """``task(*args)``, or a Failure naming ``path``: a bad document, or a bug met on one
    document, must not stop the others."""
    try:
        return task(*args)
    except KgError as error:
        return Failure(error.path or path, f"{error.message} [{error.code}]")
    except Exception as error:  # a bug: reported with its type, never swallowed, never a traceback
        return Failure(path, describe_internal_error(error))


def describe_internal_error(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"internal error while processing the document: {describe_error(error)}{where} (a bug in reform-kg; please report it)"

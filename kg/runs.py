"""Sorted N-Triples lines: the form in which a graph moves between the stages of a build.

A named graph (or a document's share of one) is a ``Run`` of sorted, unique lines; a ``Spool``
holds many runs in one temporary file, read back by position; ``merge_lines`` merges sorted
runs into one, as the corpus build (kg.shard), validation (kg.validate) and the exports
(kg.exportsource, kg.export) do. The merged lines are the same bytes a sort of the whole graph
gives. This module knows nothing of documents or outputs: every stage that moves lines may use it.
"""

from __future__ import annotations

import heapq
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from rdflib import Graph
# What rdflib's N-Triples writer writes of one triple (private, but the one place rdflib says it).
from rdflib.plugins.serializers.nt import _nt_row


@dataclass(frozen=True)
class Run:
    """Sorted N-Triples lines of one named graph, or of part of one (a document's share of the
    inferred graph): read anew each time ``lines()`` is called."""

    graph: str
    lines: Callable[[], Iterable[bytes]]


# At most this many runs are merged at once: each holds an iterator, and a corpus may have more
# documents than a process may open files. Runs beyond it are merged in rounds.
MERGE_WIDTH = 256


def sorted_lines(triples: Graph | Iterable[tuple]) -> bytes:
    """A graph, or rdflib triples, as N-Triples, one triple a line, sorted: the same graph gives
    the same bytes. rdflib's writer: pyoxigraph's would lower-case language tags (zh-Hant)."""
    return join_sorted(_nt_row(triple).encode("utf-8") for triple in triples)


def join_sorted(lines: Iterable[bytes]) -> bytes:
    """Unique non-blank lines in byte order (UTF-8's byte order is the code points' order)."""
    return b"".join(sorted({line if line.endswith(b"\n") else line + b"\n" for line in lines if line.strip()}))


class Spool:
    """Sorted runs of lines, appended to one temporary file and read back by position: one file
    however many runs, and of each run only a block at a time in memory (read with ``os.pread``,
    not mapped, so that what was read is the system's cache, not this process's). The file has a
    name (``path``), so that another process can read a run too (``read_run``); it is removed when
    the spool is closed."""

    BLOCK = 1 << 16

    def __init__(self, directory: str | None = None):
        remove_stale_spools(directory)
        self._file = tempfile.NamedTemporaryFile(prefix=f"kg-spool-{os.getpid()}-", dir=directory)
        self.path = os.path.abspath(self._file.name)
        self._size = 0
        self._reading = False

    def add(self, data: bytes) -> tuple[int, int]:
        """Append a run; returns where it is, for ``lines``."""
        if self._reading:
            raise ValueError("the spool is read already")
        self._file.write(data)
        start, self._size = self._size, self._size + len(data)
        return start, self._size

    def extend(self, lines: Iterable[bytes]) -> tuple[int, int]:
        """Append a run as its lines come; returns where it is."""
        start = self._size
        for line in lines:
            self.add(line)
        return start, self._size

    def seal(self) -> None:
        """No more runs: what was written is in the file, for this process and others to read."""
        if not self._reading:
            self._file.flush()
            self._reading = True

    def lines(self, run: tuple[int, int]) -> Iterator[bytes]:
        """The lines of a run, read as they are needed."""
        self.seal()
        return _read_lines(self._file.fileno(), *run)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_run(path: str, run: tuple[int, int]) -> Iterator[bytes]:
    """The lines of a run of a sealed spool, read by the file's path (in another process too).
    The file is opened when the first line is read: thousands of runs may wait for a merge."""
    yield from _lines_of(open(path, "rb"), *run)


def open_run(path: str, run: tuple[int, int]) -> Iterator[bytes]:
    """``read_run``, the file opened now: its lines can be read after the spool is closed (which
    removes the file), as a lazy export of a source that is gone reads them."""
    return _lines_of(open(path, "rb"), *run)


def _lines_of(handle: BinaryIO, position: int, end: int) -> Iterator[bytes]:
    with handle:
        yield from _read_lines(handle.fileno(), position, end)


def _read_lines(fd: int, position: int, end: int) -> Iterator[bytes]:
    rest = b""
    while position < end:
        block = os.pread(fd, min(Spool.BLOCK, end - position), position)
        if not block:
            break
        position += len(block)
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def merge_lines(runs: list[Iterable[bytes]], spill: str | None = None, unique: bool = True) -> Iterator[bytes]:
    """The sorted runs merged into one sorted stream, each line once (or, not ``unique``, as often
    as the runs have it). Beyond MERGE_WIDTH runs, groups of them are merged first into temporary
    files in ``spill`` (a folder; the system's default if None)."""
    keep = _unique if unique else iter
    while len(runs) > MERGE_WIDTH:
        merged = []
        for start in range(0, len(runs), MERGE_WIDTH):
            handle = tempfile.TemporaryFile(prefix="kg-merge-", dir=spill)
            handle.writelines(keep(heapq.merge(*runs[start : start + MERGE_WIDTH])))
            handle.seek(0)
            merged.append(_read_closing(handle))
        runs = merged
    return keep(heapq.merge(*runs))


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _read_closing(handle) -> Iterator[bytes]:
    with handle:
        yield from handle


def with_graph(lines: Iterable[bytes], graph: str) -> Iterator[bytes]:
    """N-Triples lines as N-Quads lines of ``graph``. Sorted lines stay sorted: the object of a
    triple is followed by a space in both forms."""
    tail = f" <{graph}> .\n".encode("utf-8")
    for line in lines:
        yield line.rstrip()[:-2] + tail


def lines_reader(lines: Iterable[bytes]) -> io.BufferedReader:
    """A binary file that reads the lines as they come: how a parser takes a merged stream."""
    return io.BufferedReader(_LinesIO(iter(lines)), buffer_size=1 << 20)


class _LinesIO(io.RawIOBase):
    def __init__(self, lines: Iterator[bytes]):
        self._lines = lines
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._rest:
            self._rest = next(self._lines, None)
            if self._rest is None:
                self._rest = b""
                return 0
        size = min(len(target), len(self._rest))
        target[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def remove_stale_spools(directory: str | None = None) -> None:
    """Spools a killed build left in ``directory`` (the system's temporary folder by default):
    those named for a process that is gone."""
    from .outfolder import alive

    folder = Path(directory or tempfile.gettempdir())
    for path in sorted(folder.glob("kg-spool-*-*")):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not alive(int(pid)):
            path.unlink(missing_ok=True)


def spool_directory() -> str | None:
    """Where spools and merge runs go: $KG_TMPDIR, else the system's temporary folder."""
    return os.environ.get("KG_TMPDIR") or None

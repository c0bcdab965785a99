"""What pay_for_use.py and validation_bulk.py share: the corpus of issue 19 (the 17 documents of
tests/corpus repeated, each copy with a distinct first line), a revision of the code checked out
beside the working tree to measure against, and the median of timed turns. Not part of the test
suite.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
# The code before the build paid for what is used and validated in bulk (issue 19): what
# --before measures against by default.
BEFORE = "c2e5ec2"


def repeat_corpus(copies: int, folder: Path) -> list[Path]:
    """The .txt documents of tests/corpus, ``copies`` times each, into ``folder``: copy N starts
    with the line "copy N", so that no two texts are the same (a duplicate is built once)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for copy in range(copies):
        for source in sorted(CORPUS.glob("*.txt")):
            path = folder / f"{copy:02d}-{source.name}"
            path.write_bytes(f"copy {copy}\n".encode("utf-8") + source.read_bytes())
            paths.append(path)
    return paths


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def check_out(revision: str, folder: Path) -> Path:
    """The package, the shapes, the ontology and the queries of ``revision``, written into
    ``folder`` (git archive): a tree that ``python -m kg`` runs from with PYTHONPATH set to it."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "tree.tar"
    with archive.open("wb") as handle:
        subprocess.run(["git", "archive", revision, "kg", "shapes.ttl", "ontology.ttl", "queries", "data"], cwd=ROOT, check=True, stdout=handle)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    archive.unlink()
    return folder


def run_kg(tree: Path, args: list[str], cache: Path) -> float:
    """``python -m kg ARGS`` with the code of ``tree``, its extraction cache in ``cache``: wall seconds."""
    env = dict(os.environ, PYTHONPATH=str(tree), KG_CACHE_DIR=str(cache))
    start = time.perf_counter()
    subprocess.run([os.sys.executable, "-m", "kg", *args], cwd=tree, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def median_turns(tasks: dict[str, Callable[[], float]], repeat: int) -> dict[str, float]:
    """Each task's median: the tasks take turns, one run of each a round, so that a machine that
    gets busier or quieter during the run weighs on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for _ in range(repeat):
        for name, task in tasks.items():
            times[name].append(task())
    return {name: statistics.median(values) for name, values in times.items()}


def scratch(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=prefix, dir=os.environ.get("KG_TMPDIR"))

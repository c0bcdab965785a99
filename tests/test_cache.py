"""The extraction cache: a rebuild after one document changed extracts that document only, and
writes the same bytes as a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cache import ExtractionCache
from kg.cli import main
from kg.pipeline import build_graph, load_toolkit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
DOCUMENTS = ["pingshan-2017-reform-plan.txt", "02-huoshan-devzone-2025-key-tasks.txt", "07-nanling-2024-gov-report-task-table.txt"]


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in DOCUMENTS:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def build(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", *args, "-q"])
    return code, capsys.readouterr().err


def test_a_rebuild_extracts_only_the_changed_document_and_matches_a_clean_build(tmp_path, corpus, capsys, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    code, err = build(capsys, str(corpus), "--out", str(tmp_path / "first"))
    assert code == 0 and "read from the extraction cache" not in err
    changed = corpus / "pingshan-2017-reform-plan.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("区委书记吕玉印", "区委书记张三"), encoding="utf-8")

    code, err = build(capsys, str(corpus), "--out", str(tmp_path / "again"))
    assert code == 0 and "; 2 read from the extraction cache" in err
    code, err = build(capsys, str(corpus), "--no-cache", "--out", str(tmp_path / "clean"))
    assert code == 0 and "extraction cache" not in err
    again, clean = outputs(tmp_path / "again"), outputs(tmp_path / "clean")
    assert again == clean
    assert "张三" in again["ledger.csv"].decode("utf-8") and "吕玉印" not in again["ledger.csv"].decode("utf-8")


def test_an_entry_serves_only_the_same_document_the_same_genre_and_the_same_code(tmp_path, corpus, monkeypatch):
    toolkit = load_toolkit()
    cache = ExtractionCache(tmp_path / "cache")
    first = build_graph([corpus], toolkit, cache=cache)
    assert first.cached == ()
    assert len(build_graph([corpus], toolkit, cache=cache).cached) == 3
    # the same text at another path is another document (its path and name are in the graph)
    moved = tmp_path / "moved"
    shutil.copytree(corpus, moved)
    assert build_graph([moved], toolkit, cache=cache).cached == ()
    # a genre forced on the command line reads the document another way
    assert build_graph([corpus / DOCUMENTS[0]], toolkit, "plan", cache=cache).cached == ()
    # a change to the code or to a rule file makes every entry stale
    monkeypatch.setattr("kg.cache.code_fingerprint", lambda: "another version")
    assert build_graph([corpus], toolkit, cache=cache).cached == ()


def test_a_broken_entry_is_a_miss_not_an_error(tmp_path, corpus):
    toolkit = load_toolkit()
    cache = ExtractionCache(tmp_path / "cache")
    first = build_graph([corpus / DOCUMENTS[0]], toolkit, cache=cache)
    (entry,) = (tmp_path / "cache").glob("*/*.pickle")
    entry.write_bytes(b"not a pickle")
    again = build_graph([corpus / DOCUMENTS[0]], toolkit, cache=cache)
    assert again.cached == () and again.documents[0].facts == first.documents[0].facts


def test_no_cache_neither_reads_nor_writes(tmp_path, corpus, capsys, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert build(capsys, str(corpus / DOCUMENTS[0]), "--no-cache", "--out", str(tmp_path / "out"))[0] == 0
    assert not (tmp_path / "cache").exists()


def test_prune_removes_what_was_not_used_for_max_age_days(tmp_path):
    import os
    import time

    cache = ExtractionCache(tmp_path)
    (tmp_path / "ab").mkdir()
    old, recent = tmp_path / "ab" / "old.pickle", tmp_path / "ab" / "recent.pickle"
    old_model, model = tmp_path / "tagger-0000.marshal", tmp_path / "tagger-1111.marshal"
    other = tmp_path / "notes.txt"  # not the cache's: left alone
    for path in (old, recent, old_model, model, other):
        path.write_bytes(b"x")
    long_ago = time.time() - 31 * 86400
    for path in (old, old_model, other):
        os.utime(path, (long_ago, long_ago))
    cache.prune(max_age_days=30)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["notes.txt", "recent.pickle", "tagger-1111.marshal"]

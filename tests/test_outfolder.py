"""kg.outfolder: a build's output changes in one step, keeps what it does not write, and what a
killed build left is cleaned up by the next one — down to a real build killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.outfolder import OutputFolder, remove_stale

ROOT = Path(__file__).resolve().parents[1]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_output_becomes_the_staged_folder_in_one_step_keeping_other_files(tmp_path):
    out = tmp_path / "output"
    (out / "views" / "project").mkdir(parents=True)
    (out / "graph.ttl").write_bytes(b"old graph")
    (out / "views" / "project" / "gone.html").write_bytes(b"a project no longer found")
    (out / "views" / "project" / "notes.txt").write_bytes(b"the user's, in a folder the build owns")
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_bytes(b"the user's own")
    before = out.stat().st_ino
    with OutputFolder(out, owned=("views",)) as staging:
        assert staging.parent == out.parent and staging.name.startswith(".output.building-")
        (staging / "views" / "project").mkdir(parents=True)
        (staging / "graph.ttl").write_bytes(b"new graph")
        (staging / "views" / "project" / "p.html").write_bytes(b"new page")
        assert tree(out)["graph.ttl"] == b"old graph"  # nothing changes until the end
    assert tree(out) == {
        "graph.ttl": b"new graph",
        "views/project/p.html": b"new page",
        "views/project/notes.txt": b"the user's, in a folder the build owns",
        "notes/mine.txt": b"the user's own",
    }
    assert out.stat().st_ino != before  # a new folder took the old one's place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("inside", [False, True], ids=["exchanged", "merged file by file"])
def test_the_exports_a_build_no_longer_writes_go_and_the_user_s_files_stay(tmp_path, monkeypatch, inside):
    out = tmp_path / "output"
    (out / "neo4j").mkdir(parents=True)
    for name in ("graph.trig", "graph.nt", "neo4j/nodes.csv", "notes.txt"):
        (out / name).write_bytes(b"earlier build")
    if inside:  # a shell standing in the folder: it changes file by file
        monkeypatch.chdir(out)
    with OutputFolder(out, replaced=("graph.trig", "graph.nt", "neo4j")) as staging:
        (staging / "graph.trig").write_bytes(b"this build")
    assert tree(out) == {"graph.trig": b"this build", "notes.txt": b"earlier build"}
    assert not (out / "neo4j").exists()


def test_a_failed_build_leaves_the_output_as_it_was(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"old graph")
    with pytest.raises(OSError, match="disk full"), OutputFolder(out) as staging:
        (staging / "graph.ttl").write_bytes(b"half a gr")
        raise OSError(28, "disk full")
    assert tree(out) == {"graph.ttl": b"old graph"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_first_build_makes_the_folder(tmp_path):
    out = tmp_path / "a" / "output"
    with OutputFolder(out) as staging:
        (staging / "graph.ttl").write_bytes(b"graph")
    assert tree(out) == {"graph.ttl": b"graph"}


def test_the_folder_a_shell_stands_in_changes_file_by_file(tmp_path, monkeypatch):
    out = tmp_path / "output"
    (out / "views").mkdir(parents=True)
    (out / "views" / "old.html").write_bytes(b"old")
    (out / "mine.txt").write_bytes(b"mine")
    monkeypatch.chdir(out)
    before = out.stat().st_ino
    with OutputFolder(Path("."), owned=("views",)) as staging:
        (staging / "views").mkdir()
        (staging / "views" / "new.html").write_bytes(b"new")
    assert out.stat().st_ino == before
    assert tree(out) == {"mine.txt": b"mine", "views/new.html": b"new"}


def test_what_killed_builds_left_is_removed(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"graph")
    (out / ".graph.ttl.k3j2x9_a").write_bytes(b"staged by a build killed long ago")
    (out / ".config.settings").write_bytes(b"a dot file of the user's, no staged file")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (tmp_path / f".output.building-{dead}-0a1b2c3d").mkdir()
    (tmp_path / f".output.building-{os.getpid()}-0a1b2c3d").mkdir()  # a build still running
    remove_stale(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".output.building-{os.getpid()}-0a1b2c3d", "output"]
    assert sorted(p.name for p in out.iterdir()) == [".config.settings", "graph.ttl"]


def test_spools_of_killed_builds_are_removed(tmp_path):
    from kg.runs import Spool

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (tmp_path / f"kg-spool-{dead}-abc123").write_bytes(b"left by a killed build")
    (tmp_path / f"kg-spool-{os.getppid()}-abc123").write_bytes(b"a build still running")
    with Spool(str(tmp_path)) as spool:
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == sorted([f"kg-spool-{os.getppid()}-abc123", Path(spool.path).name])
        assert Path(spool.path).name.startswith(f"kg-spool-{os.getpid()}-")


def test_a_build_killed_while_it_writes_leaves_the_previous_output_and_the_next_cleans_up(tmp_path):
    """A real `kg build` killed with SIGKILL while it writes (its staging folder exists): the
    output is the previous build's, whole; the next build removes what the killed one left."""
    out = tmp_path / "output"
    command = [sys.executable, "-m", "kg", "build", str(ROOT / "tests" / "corpus"), "--out", str(out), "-q", "--jobs", "1"]
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    previous = tree(out)
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    staging: list[Path] = []
    while not staging and process.poll() is None and time.monotonic() < deadline:
        staging = [p for p in tmp_path.iterdir() if p.name.startswith(".output.building-")]
        time.sleep(0.002)
    assert staging, "the build finished before it could be killed while writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree(out) == previous
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert tree(out) == previous  # the same input gives the same files

"""`kg build --scheduler` on a real Dask cluster: `dask scheduler` and two `dask worker`s started
by these tests as processes on 127.0.0.1, with the commands and options of docs/cluster.md, on
ports the system chooses (the scheduler writes its address to a file), each process group ended
when the tests are done.

The cluster comes from the `dask` extra (in the test extras too). Without it these tests skip on
a workstation and fail under CI (CI=true): a cluster test that never runs never fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.cli import main
from test_docs import Command, assert_shows, doc_commands
from test_publish import assert_one_line_error, free_port

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
PAGE = "docs/cluster.md"
# The two documents the docs' recipe builds, as in test_docs's bench.
RECIPE_CORPUS = ("pingshan-2017-reform-plan.txt", "02-huoshan-devzone-2025-key-tasks.txt")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the cluster tests (.ci/setup installs the test extras and OpenSSL)")
    pytest.skip(reason)


def needs_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        _unavailable("Dask's distributed is not installed (python -m pip install -e '.[dask]')")


# --- processes ---------------------------------------------------------------------------------


def docs_commands(*prefix: str, tls: bool = False) -> list[Command]:
    """The commands of docs/cluster.md that start with ``prefix``, with TLS or without."""
    return [c for c in doc_commands(*prefix) if c.page == PAGE and any("tls" in w for w in c.words) == tls]


def docs_command(*prefix: str, tls: bool = False) -> Command:
    """The one command of docs/cluster.md that starts with ``prefix``, with TLS or without."""
    (command,) = docs_commands(*prefix, tls=tls)
    return command


def on_loopback(words: list[str]) -> list[str]:
    """A docs' `dask` command listening on 127.0.0.1 only, on ports the system chooses."""
    words = replace_option(replace_option(words, "--host", "127.0.0.1"), "--dashboard-address", "127.0.0.1:0")
    return replace_option(words, "--port", "0") if "--port" in words else words


def replace_option(words: list[str], option: str, value: str) -> list[str]:
    """``words`` with ``option``'s value replaced (the docs' host, port, address, out folder)."""
    at = words.index(option)
    return [*words[: at + 1], value, *words[at + 2 :]]


def cluster_env() -> dict[str, str]:
    """The test's environment, with this checkout importable: the workers run the same code."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}


def start(words: list[str], folder: Path, name: str) -> subprocess.Popen:
    """A `dask …` command as a process group of its own (a worker's nanny starts the worker as a
    child), its output in ``folder/name.log``."""
    with (folder / f"{name}.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-m", *words], cwd=folder, env=cluster_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """End the process group ``start`` made: SIGTERM, then SIGKILL to what is left of the group
    once its leader has gone, or after 20 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


@dataclass
class Cluster:
    address: str
    folder: Path
    processes: list[subprocess.Popen]

    def log(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)


def start_cluster(folder: Path, tls: bool = False) -> Cluster:
    """The docs' `dask scheduler` and `dask worker` commands (a worker for each machine of the
    recipe), on 127.0.0.1 and ports the system chooses, each worker with one worker process (as
    if on machines of one core); the docs' other options as they are."""
    needs_dask()
    scheduler = on_loopback(list(docs_command("dask", "scheduler", tls=tls).words))
    cluster = Cluster("", folder, [start([*scheduler, "--scheduler-file", "scheduler.json"], folder, "scheduler")])
    try:
        deadline = time.monotonic() + 60
        while not (folder / "scheduler.json").is_file() or not (folder / "scheduler.json").read_text().strip().endswith("}"):
            assert cluster.processes[0].poll() is None and time.monotonic() < deadline, f"the scheduler did not start:\n{cluster.log()}"
            time.sleep(0.2)
        cluster.address = json.loads((folder / "scheduler.json").read_text())["address"]
        for n, command in enumerate(docs_commands("dask", "worker", tls=tls)):
            worker = on_loopback(list(command.words))
            worker[2] = cluster.address
            cluster.processes.append(start(replace_option(worker, "--nworkers", "1"), folder, f"worker-{n}"))
    except BaseException:
        cluster.stop()
        raise
    return cluster


def wait_for_workers(cluster: Cluster, count: int):
    from distributed import Client

    client = Client(cluster.address, set_as_default=False, timeout=30)
    try:
        client.wait_for_workers(count, timeout=120)
    except TimeoutError:
        client.close()
        pytest.fail(f"{count} workers did not join:\n{cluster.log()}")
    return client


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers as the docs start them, and a client of the test's on them."""
    running = start_cluster(tmp_path_factory.mktemp("cluster"))
    try:
        client = wait_for_workers(running, 2)
        try:
            import cloudpickle

            # What the tests ask the workers (held_toolkit) goes by value: this module is not
            # importable there.
            cloudpickle.register_pickle_by_value(sys.modules[__name__])
            yield running, client
        finally:
            client.close()
    finally:
        running.stop()


def held_toolkit() -> int | None:
    """Run on a worker: the identity of the toolkit its process keeps, None if it has none."""
    import kg.pipeline

    toolkit = kg.pipeline._worker_toolkit
    return None if toolkit is None else id(toolkit)


def kg_build(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "build", *args], cwd=cwd, env={**cluster_env(), **(env or {})}, capture_output=True, text=True, timeout=600)


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_inputs(folder: Path) -> None:
    """tests/corpus, a .docx made of one of its documents, and the bad files a build must report:
    empty, a .docx that is no zip, bytes that are no UTF-16 after its mark, a text too long to
    extract (whose bytes are sent to a worker before its task, kg.cluster.SCATTER_ABOVE), a copy."""
    from docx import Document

    shutil.copytree(CORPUS, folder)
    document = Document()
    for line in (CORPUS / "06-lishan-2023-key-work-division.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(folder / "lishan.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00")
    (folder / "long.txt").write_bytes(b"reform " * 160_000)
    shutil.copy(CORPUS / "01-luohu-2022-reform-keypoints.txt", folder / "copy.txt")


# --- the same bytes ----------------------------------------------------------------------------


def test_a_build_on_two_workers_writes_the_bytes_of_a_local_build(cluster, tmp_path):
    """Every file of the output, every line on stderr and the exit code are those of a local
    build, bad files included: those this machine cannot read (a missing path, an empty file)
    and those the workers cannot decode. Each worker extracted with a toolkit it keeps for the
    next build."""
    running, client = cluster
    write_inputs(tmp_path / "inputs")
    local = kg_build("inputs", "missing.txt", "--out", "out-local", "--no-cache", cwd=tmp_path)
    remote = kg_build("inputs", "missing.txt", "--out", "out-cluster", "--no-cache", "--scheduler", running.address, cwd=tmp_path)
    assert local.returncode == remote.returncode == 1, remote.stderr
    assert remote.stderr.replace("out-cluster", "out-local") == local.stderr
    for line in (
        "error: inputs/broken.docx: not a readable .docx file (BadZipFile: File is not a zip file) [E100]",
        "error: inputs/binary.txt: starts with a utf-16 byte-order mark but is not valid utf-16 [E103]",
        "error: inputs/empty.txt: file is empty (0 bytes) [E102]",
        "error: inputs/long.txt: document has 1,120,000 characters, over the 1,000,000-character limit for extraction; split it into parts [E100]",
        "error: missing.txt: no such file [E100]",
        "skipped: inputs/copy.txt: duplicate of inputs/01-luohu-2022-reform-keypoints.txt, skipped",
        "inputs/lishan.docx: genre tasks, 7 projects, 38 facts",
        "inputs/pingshan-2017-reform-plan.txt: genre plan, 25 projects, 148 facts",
    ):
        assert line in remote.stderr.splitlines(), remote.stderr
    assert "18 document(s) built, 5 failed, 1 duplicate(s) skipped: " in remote.stderr
    cluster_tree, local_tree = read_tree(tmp_path / "out-cluster"), read_tree(tmp_path / "out-local")
    assert sorted(cluster_tree) == sorted(local_tree)
    assert [name for name in local_tree if cluster_tree[name] != local_tree[name]] == []
    report = json.loads(cluster_tree["report.json"])
    assert len(report["documents"]) == 18 and len(report["failures"]) == 5

    toolkits = client.run(held_toolkit)
    assert len(toolkits) == 2 and None not in toolkits.values(), toolkits  # both workers extracted
    # A second build: the workers extract with the toolkits they loaded for the first.
    again = kg_build(f"inputs/{RECIPE_CORPUS[0]}", "--out", "again", "--no-cache", "-q", "--scheduler", running.address, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert client.run(held_toolkit) == toolkits


def test_docs_cluster_recipe_runs(cluster, tmp_path):
    """docs/cluster.md's build, as written but for the scheduler's address, on the cluster its
    scheduler and worker commands started: it prints what the page shows, and the graph a
    build without the cluster writes."""
    running, _ = cluster
    (tmp_path / "corpus").mkdir()
    for name in RECIPE_CORPUS:
        shutil.copy(CORPUS / name, tmp_path / "corpus" / name)
    command = docs_command("kg", "build")
    words = replace_option(list(command.words[2:]), "--scheduler", running.address)
    done = kg_build(*words, "--no-cache", cwd=tmp_path, env=dict(command.env))
    assert done.returncode == 0, done.stderr
    assert_shows(command.shows, done.stderr, command)
    assert kg_build("corpus/", "--out", "local", "-q", cwd=tmp_path).returncode == 0
    out = tmp_path / words[words.index("--out") + 1]
    assert read_tree(out) == read_tree(tmp_path / "local")


def test_docs_tls_recipe_runs(tmp_path):
    """docs/cluster.md's TLS recipe as written: the OpenSSL commands make the authority and the
    certificates, a scheduler and a worker start with them, and the build reaches them with the
    client's certificate from Dask's settings, and not without it."""
    needs_dask()
    if shutil.which("openssl") is None:
        _unavailable("openssl is not installed")
    commands = [c for c in doc_commands("openssl") if c.page == PAGE]
    assert len(commands) == 7
    for command in commands:
        done = subprocess.run(command.words, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr}"
    (tmp_path / "corpus").mkdir()
    shutil.copy(CORPUS / RECIPE_CORPUS[0], tmp_path / "corpus")
    running = start_cluster(tmp_path, tls=True)
    try:
        assert running.address.startswith("tls://127.0.0.1:")
        command = docs_command("kg", "build", tls=True)
        words = replace_option(list(command.words[2:]), "--scheduler", running.address)
        done = kg_build(*words, "-q", cwd=tmp_path, env=dict(command.env))
        assert done.returncode == 0, f"{done.stderr}\n{running.log()}"
        assert "1 document(s) built, 0 failed" in done.stderr
        # Without the client's certificate the scheduler is not reached.
        refused = kg_build(*words, "-q", cwd=tmp_path)
        assert_one_line_error(refused, f"error: cannot reach the Dask scheduler at {running.address}", "needs Dask's TLS settings")
    finally:
        running.stop()


# --- what the cluster itself can do wrong ------------------------------------------------------


def test_a_scheduler_lost_during_the_build_is_one_line(tmp_path):
    """The scheduler killed as the first documents come back: the build ends with one line of
    its own (no traceback of Dask's, no hang) and writes nothing."""
    for copy in range(3):  # enough documents that the build is still running when it is killed
        for path in sorted(CORPUS.glob("*.txt")):
            (tmp_path / "inputs").mkdir(exist_ok=True)
            (tmp_path / "inputs" / f"{copy}-{path.name}").write_text(f"{copy}\n{path.read_text(encoding='utf-8')}", encoding="utf-8")
    running = start_cluster(tmp_path)
    try:
        wait_for_workers(running, 2).close()
        build = subprocess.Popen(
            [sys.executable, "-m", "kg", "build", "inputs", "--out", "out", "--no-cache", "--scheduler", running.address],
            cwd=tmp_path, env=cluster_env(), stderr=subprocess.PIPE, text=True,
        )
        try:
            lines = [build.stderr.readline()]
            assert "genre" in lines[0], lines[0]
            stop(running.processes[0])
            lines += build.stderr.readlines()
            assert build.wait(timeout=120) == 1
        finally:
            build.kill()
            build.wait()
    finally:
        running.stop()
    assert not [line for line in lines if not re.match(r"(warning: )?inputs/.*: genre ", line)][:-1], "".join(lines)
    assert lines[-1].startswith(f"error: lost the connection to the Dask scheduler at {running.address} during the build ("), "".join(lines)
    assert lines[-1].endswith("; output left as it was [E800]\n")
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path, monkeypatch, capsys):
    needs_dask()
    import kg.cluster

    monkeypatch.setattr(kg.cluster, "CONNECT_SECONDS", 1)
    address = f"tcp://127.0.0.1:{free_port()}"
    assert main(["build", "--scheduler", address, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"error: cannot reach the Dask scheduler at {address} \(OSError: Timed out trying to connect to {address} after 1 s\) \[E800\]\n", err), err


def test_a_scheduler_without_workers_is_one_line(monkeypatch):
    needs_dask()
    from distributed import LocalCluster

    import kg.cluster
    from kg.errors import ClusterError

    monkeypatch.setattr(kg.cluster, "WORKER_WAIT_SECONDS", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address="127.0.0.1:0") as empty:
        with pytest.raises(ClusterError) as raised:
            with kg.cluster.open_cluster(empty.scheduler_address):
                pass
    assert str(raised.value) == f"the Dask scheduler at {empty.scheduler_address} has no worker (none joined in 1 s): start one with `dask worker {empty.scheduler_address}` [E800]"


def test_workers_that_run_other_code_are_refused():
    from kg.cluster import check_workers, describe_environment
    from kg.errors import ClusterError

    here = describe_environment()
    check_workers({"tcp://10.0.0.2:4000": here, "tcp://10.0.0.3:4000": dict(here)})
    with pytest.raises(ClusterError) as raised:
        check_workers({"tcp://10.0.0.2:4000": here, "tcp://10.0.0.3:4000": {**here, "jieba": "0.39", "python": "3.9"}})
    assert str(raised.value) == (
        f"worker tcp://10.0.0.3:4000 runs other code than this machine (python {here['python']} here, 3.9 there; "
        f"jieba {here['jieba']} here, 0.39 there): install the same reform-kg and dependencies on every worker [E800]"
    )
    with pytest.raises(ClusterError, match=r"^worker tcp://10.0.0.2:4000 cannot run reform-kg \(ModuleNotFoundError: No module named 'kg'\)"):
        check_workers({"tcp://10.0.0.2:4000": ModuleNotFoundError("No module named 'kg'")})


def test_the_workers_are_checked_for_every_dependency_of_pyproject():
    from kg.cluster import DEPENDENCIES

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert list(DEPENDENCIES) == [re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0] for d in declared]


def test_without_dask_scheduler_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    assert main(["build", "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == "error: --scheduler needs Dask's distributed package, which is not installed: python -m pip install 'dask[distributed]>=2024.1' [E800]\n"
    assert not (tmp_path / "out").exists()


def test_jobs_and_scheduler_exclude_each_other(tmp_path, capsys):
    assert main(["build", "-j", "2", "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == "error: --jobs and --scheduler exclude each other: with --scheduler the cluster's workers do the work [E900]\n"


def test_a_plain_build_imports_no_dask(tmp_path):
    script = (
        "import sys\n"
        "from kg.cli import main\n"
        f"assert main(['build', '--out', {str(tmp_path / 'out')!r}, '-q', '--no-cache']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=cluster_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


# Last: the workers it kills come back (their nannies start them again), without their toolkits.
def test_a_document_that_kills_its_workers_or_raises_fails_alone(cluster):
    """As in a local build (test_robustness.py): a task on which the workers keep dying, and one
    that raises, each end as a Failure naming its document."""
    from kg.cluster import ClusterExecutor
    from kg.pipeline import run_each

    _, client = cluster
    executor = ClusterExecutor(client)
    (crashed,) = run_each(executor, os._exit, [("b.txt", (3,))])
    (raised,) = run_each(executor, int, [("a.txt", ("not a number",))])
    assert crashed.path == "b.txt", crashed
    assert crashed.message.startswith("a worker process stopped (killed, or out of memory) before the document was built (KilledWorker: "), crashed
    assert raised.path == "a.txt" and "internal error while processing the document: ValueError: invalid literal" in raised.message

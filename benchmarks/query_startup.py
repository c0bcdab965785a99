"""`kg query` as a command on the bundled graph, against the floor of importing pyoxigraph and
against the code before the command stopped importing the exports and rdflib (issue 19: ≤ 0.2 s).

    python benchmarks/query_startup.py [--repeat 21] [--before REVISION]

Builds the bundled plan once (``python build_graph.py``) into a temporary folder's ``output/``,
then runs, from that folder, so that each command finds ``output/graph.trig`` as a user's does:

- floor: ``python -c "import pyoxigraph"``
- pyoxigraph: load ``output/graph.trig`` and run ``queries/person-workload.rq``, in Python
- after: ``python -m kg query person-workload`` with the working tree's code
- before: the same with the code of ``--before`` (git archive of that revision)

The commands take turns, a run of each in every round; each line is the median of the rounds.
Prints figures only, never pass/fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _builds import ROOT, check_out

# The revision before `kg query` stopped importing kg.export, jieba, networkx, pyvis and rdflib.
BEFORE = "93814f8"
QUERY = "person-workload"
ANSWER = f"""import pyoxigraph as ox
store = ox.Store()
store.load(path="output/graph.trig", format=ox.RdfFormat.TRIG)
list(store.query(open({str(ROOT / "queries" / f"{QUERY}.rq")!r}, encoding="utf-8").read(), use_default_graph_as_union=True))
"""


def seconds(command: list[str], cwd: Path, pythonpath: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="rounds (default: 21)")
    parser.add_argument("--before", default=BEFORE, help=f"the revision to measure against (default: {BEFORE})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        env = dict(os.environ, PYTHONPATH=str(ROOT), KG_CACHE_DIR=str(work / "cache"))
        subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--out", str(work / "output"), "-q"], cwd=ROOT, env=env, check=True, capture_output=True)
        before = check_out(args.before, work / "before")
        commands = {
            "floor: import pyoxigraph": ([sys.executable, "-c", "import pyoxigraph"], ROOT),
            "pyoxigraph: load the graph, run the query": ([sys.executable, "-c", ANSWER], ROOT),
            f"kg query {QUERY} (this tree)": ([sys.executable, "-m", "kg", "query", QUERY], ROOT),
            f"kg query {QUERY} ({args.before})": ([sys.executable, "-m", "kg", "query", QUERY], before),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (command, pythonpath) in commands.items():
                times[name].append(seconds(command, work, pythonpath))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["floor: import pyoxigraph"]
    print(f"median of {args.repeat} runs each, the commands taking turns; graph: the bundled plan's output/graph.trig\n")
    print(f"{'command':<48} {'median s':>9} {'× floor':>8}")
    for name, value in medians.items():
        print(f"{name:<48} {value:>9.3f} {value / floor:>8.1f}")
    after, earlier = medians[f"kg query {QUERY} (this tree)"], medians[f"kg query {QUERY} ({args.before})"]
    print(f"\nkg query: {after:.3f} s against {earlier:.3f} s before ({earlier / after:.1f}× faster); target ≤ 0.2 s")


if __name__ == "__main__":
    main()

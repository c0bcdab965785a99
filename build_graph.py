"""Build the reform knowledge graph: ``python build_graph.py [PATH...] [--out DIR]`` (same as ``kg build``)."""

import sys

from kg.cli import main

# Guarded: the processes a build starts its helpers from read this module again (multiprocessing).
if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))

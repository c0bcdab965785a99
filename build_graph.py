"""Build the reform knowledge graph: ``python build_graph.py [PATH...] [--out DIR]`` (same as ``kg build``)."""

import sys

from kg.cli import main

sys.exit(main(["build", *sys.argv[1:]]))

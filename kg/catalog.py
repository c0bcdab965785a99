"""The export and diff formats by name, with the files they write and what they hold.

The command line lists these in its help and choices; the writers themselves live in
``kg.export`` and ``kg.diff``, which build their tables from these names. Kept apart so that
making the parser (for ``kg query`` too) imports none of the writers and their libraries.
"""

from __future__ import annotations

# kg export --format name → (the file or folder it writes under output/, what it holds)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("graph.ttl", "Turtle: every triple, the named graphs merged"),
    "nt": ("graph.nt", "N-Triples, one triple a line, sorted"),
    "nq": ("graph.nq", "N-Quads: each triple with its named graph (as in TriG), sorted"),
    "trig": ("graph.trig", "TriG: a named graph per document, one for inferred facts and one for the ontology"),
    "jsonld": ("graph.jsonld", "JSON-LD, compacted with the context of context.jsonld (embedded)"),
    "context": ("context.jsonld", "the JSON-LD context: prefixes and a term per rkg: property"),
    "rdfxml": ("graph.rdf", "RDF/XML, descriptions in subject order"),
    "graphml": ("graph.graphml", "GraphML for Gephi and yEd: entities, relations, evidence as attributes"),
    "gexf": ("graph.gexf", "GEXF for Gephi: entities, relations, evidence as attributes"),
    "neo4j": ("neo4j", "nodes.csv and relationships.csv for neo4j-admin database import"),
    "ledger-csv": ("ledger.csv", "the responsibility ledger, a row per project: CSV, UTF-8 with a byte-order mark for Excel"),
    "ledger-xlsx": ("ledger.xlsx", "the responsibility ledger, a row per project: an Excel workbook"),
    "void": ("void.ttl", "the dataset described in VoID and DCAT: sources, counts, classes, properties, files"),
    "ontology-html": ("ontology.html", "the vocabulary as a page: every class and property with labels, comments, domain, range, alignments"),
}

# kg diff --format name → the file kg diff --out writes
DIFF_FILES: dict[str, str] = {
    "markdown": "diff.md",
    "json": "diff.json",
    "turtle": "diff.ttl",
    "html": "diff.html",
}

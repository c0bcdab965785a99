"""What the vocabulary entails: SPARQL CONSTRUCT rules kept in ``kg/inference/*.rq``, run over the
built graph with ``ontology.ttl``, their triples added to the inferred-facts named graph.

The rules are aligned types and relations (an rkg:Person is a foaf:Person; rkg:holdsPost implies
org:holds) and inverse relations (rkg:leads from rkg:leadPerson). They run on pyoxigraph, in
milliseconds on a plan and seconds on a million triples, where owlrl's full OWL-RL closure takes
minutes at 100k triples and entails much no query needs. What a *document* licenses (a project
belongs to the tier its group carries out) is inferred earlier, in kg.resolve, with its premises
and evidence: the stated-vs-found checks count those memberships.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Literal

from .errors import RuleFileError
from .ids import INFERRED_GRAPH, rule_iri
from .query import NamedQuery, discover_queries, open_engine
from .vocab import RKG

RULES_DIR = Path(__file__).resolve().parent / "inference"


@lru_cache(maxsize=1)
def load_rules(directory: Path = RULES_DIR) -> tuple[NamedQuery, ...]:
    rules = tuple(discover_queries(directory).values())
    for rule in rules:
        if rule.form != "CONSTRUCT":
            raise RuleFileError(f"an inference rule must be a CONSTRUCT query, not {rule.form}", str(rule.path))
    return rules


def entail(graph: Graph, ontology: Graph, rules: tuple[NamedQuery, ...]) -> Graph:
    """The triples the rules derive from ``graph`` and ``ontology`` that ``graph`` lacks."""
    combined = Graph()
    for triple in graph:
        combined.add(triple)
    for triple in ontology:
        combined.add(triple)
    engine = open_engine(combined)
    derived = Graph()
    for rule in rules:
        for triple in engine.run(rule).graph:
            if triple not in graph:
                derived.add(triple)
    return derived


def add_entailments(dataset: Dataset, graph: Graph, ontology: Graph) -> int:
    """Add what the rules entail from ``graph`` (the dataset's union) to the inferred graph, with a
    node describing each rule; returns the number of triples added."""
    inferred = dataset.graph(INFERRED_GRAPH)
    rules = load_rules()
    derived = entail(graph, ontology, rules)
    for triple in derived:
        inferred.add(triple)
    for rule in rules:
        node = rule_iri(rule.name)
        inferred.add((node, RDF.type, RKG.InferenceRule))
        inferred.add((node, RDFS.label, Literal(rule.name, lang="en")))
        inferred.add((node, RDFS.comment, Literal(rule.description, lang="en")))
    return len(derived)

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
from .ids import INFERRED_GRAPH, ONTOLOGY_GRAPH, rule_iri
from .query import NamedQuery, discover_queries
from .vocab import RKG

RULES_DIR = Path(__file__).resolve().parent / "inference"


@lru_cache(maxsize=1)
def load_rules(directory: Path = RULES_DIR) -> tuple[NamedQuery, ...]:
    rules = tuple(discover_queries(directory).values())
    for rule in rules:
        if rule.form != "CONSTRUCT":
            raise RuleFileError(f"an inference rule must be a CONSTRUCT query, not {rule.form}", str(rule.path))
    return rules


def add_entailments(dataset: Dataset, ontology: Graph) -> None:
    """Add what the rules entail from the dataset to its inferred graph, with a node describing
    each rule."""
    import pyoxigraph as ox

    from .query import _rdflib_to_oxigraph

    store = ox.Store()
    store.extend(_rdflib_to_oxigraph(dataset))
    inferred = dataset.graph(INFERRED_GRAPH)
    for triple in entailment_triples(store, ontology):
        inferred.add(triple)


def entailment_triples(store, ontology: Graph) -> list[tuple]:
    """What the rules entail from the data in ``store`` (pyoxigraph, each triple in a named graph)
    that no data graph holds, as rdflib triples for the inferred graph, with the triples
    describing each rule. The ontology is added to the store, in its own graph."""
    import pyoxigraph as ox

    from .query import _from_oxigraph

    ontology_graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    store.extend(_ontology_quads(ontology))
    derived = set()
    for rule in load_rules():
        derived.update(store.query(rule.text, use_default_graph_as_union=True))
    triples = [
        tuple(_from_oxigraph(term) for term in (t.subject, t.predicate, t.object))
        for t in derived
        if all(q.graph_name == ontology_graph for q in store.quads_for_pattern(t.subject, t.predicate, t.object))
    ]
    for rule in load_rules():
        node = rule_iri(rule.name)
        triples.append((node, RDF.type, RKG.InferenceRule))
        triples.append((node, RDFS.label, Literal(rule.name, lang="en")))
        triples.append((node, RDFS.comment, Literal(rule.description, lang="en")))
    return triples


@lru_cache(maxsize=1)
def _ontology_quads(ontology: Graph) -> list:
    """The ontology as pyoxigraph quads, in its own graph (the rules query the union of all
    graphs): converted once per process, as it does not change."""
    import pyoxigraph as ox

    from .query import _rdflib_to_oxigraph

    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in _rdflib_to_oxigraph(ontology)]

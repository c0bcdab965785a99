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


def entailed(quads: list, ontology: Graph) -> set:
    """The triples (pyoxigraph) the rules derive from the data ``quads`` and ``ontology`` that no
    data graph holds."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    store.extend(_ontology_quads(ontology))
    present = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    derived = set()
    for rule in load_rules():
        derived.update(t for t in store.query(rule.text, use_default_graph_as_union=True) if t not in present)
    return derived


def add_entailments(dataset: Dataset, ontology: Graph) -> int:
    """Add what the rules entail from the dataset to its inferred graph, with a node describing
    each rule; returns the number of triples added."""
    from .query import _from_oxigraph, _rdflib_to_oxigraph

    inferred = dataset.graph(INFERRED_GRAPH)
    derived = entailed(_rdflib_to_oxigraph(dataset), ontology)
    for triple in derived:
        inferred.add((_from_oxigraph(triple.subject), _from_oxigraph(triple.predicate), _from_oxigraph(triple.object)))
    for rule in load_rules():
        node = rule_iri(rule.name)
        inferred.add((node, RDF.type, RKG.InferenceRule))
        inferred.add((node, RDFS.label, Literal(rule.name, lang="en")))
        inferred.add((node, RDFS.comment, Literal(rule.description, lang="en")))
    return len(derived)


@lru_cache(maxsize=1)
def _ontology_quads(ontology: Graph) -> list:
    """The ontology as pyoxigraph quads, in its own graph (the rules query the union of all
    graphs): converted once per process, as it does not change."""
    import pyoxigraph as ox

    from .query import _rdflib_to_oxigraph

    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in _rdflib_to_oxigraph(ontology)]

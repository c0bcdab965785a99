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


def entailed(quads: list, ontology: Graph) -> list:
    """The triples (pyoxigraph) the rules derive from the data ``quads`` and ``ontology`` that no
    data graph holds, sorted."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    store.extend(_ontology_quads(ontology))
    present = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    derived = set()
    for rule in load_rules():
        derived.update(t for t in store.query(rule.text, use_default_graph_as_union=True) if t not in present)
    return sorted(derived, key=str)


def rule_triples(rules: tuple[NamedQuery, ...]) -> list[tuple]:
    """What the inferred graph says of each rule (rdflib triples)."""
    triples = []
    for rule in rules:
        node = rule_iri(rule.name)
        triples += [(node, RDF.type, RKG.InferenceRule), (node, RDFS.label, Literal(rule.name, lang="en")), (node, RDFS.comment, Literal(rule.description, lang="en"))]
    return triples


def add_entailments(dataset: Dataset, ontology: Graph) -> int:
    """Add what the rules entail from the dataset to its inferred graph, with a node describing
    each rule; returns the number of triples added."""
    from .query import _from_oxigraph, _rdflib_to_oxigraph

    inferred = dataset.graph(INFERRED_GRAPH)
    derived = entailed(_rdflib_to_oxigraph(dataset), ontology)
    for triple in derived:
        inferred.add((_from_oxigraph(triple.subject), _from_oxigraph(triple.predicate), _from_oxigraph(triple.object)))
    for triple in rule_triples(load_rules()):
        inferred.add(triple)
    return len(derived)


# The graph the ontology is loaded in beside the data: the rules query the union of all graphs.
_ONTOLOGY_GRAPH = "https://w3id.org/reform-kg/ontology"


def _ontology_quads(ontology: Graph) -> list:
    """The ontology as pyoxigraph quads, converted once per process (it does not change)."""
    if _CONVERTED.get("ontology") is not ontology:
        import pyoxigraph as ox

        from .query import _rdflib_to_oxigraph

        graph = ox.NamedNode(_ONTOLOGY_GRAPH)
        _CONVERTED.update(ontology=ontology, quads=[ox.Quad(q.subject, q.predicate, q.object, graph) for q in _rdflib_to_oxigraph(ontology)])
    return _CONVERTED["quads"]


_CONVERTED: dict = {}

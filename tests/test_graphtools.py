"""Exports for graph tools (kg.graphtools): GraphML and GEXF reload into networkx with the flat
network's nodes, edges and attributes; the neo4j-admin CSV is consistent and quoted; the bytes do
not change between runs or hash seeds. On the golden Pingshan graph."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.export import EXPORTERS, ExportSource, content_bytes, export_files
from kg.graphtools import (
    NODES_HEADER,
    RELATIONSHIPS_HEADER,
    SEPARATOR,
    flat_to_gexf,
    flat_to_graphml,
    flat_to_neo4j,
    flatten_network,
    flatten_source,
    integer_attributes,
)
from kg.publish import read_dataset

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "cases" / "plan" / "pingshan-2017" / "expected.ttl"
NAMES = ["graphml", "gexf", "neo4j"]
NODES, EDGES = 141, 164  # the Pingshan network: kg.network's nodes and edges

PROJECT, LEADER = "深化基层治理体制改革", "吕玉印"


@pytest.fixture(scope="module")
def source() -> ExportSource:
    return ExportSource(read_dataset(GOLDEN))


@pytest.fixture(scope="module")
def flat(source) -> nx.MultiDiGraph:
    return flatten_network(source.network, integer_attributes(source.ontology))


@pytest.fixture(scope="module")
def files(source) -> dict[str, bytes]:
    return exported(source)


def exported(source: ExportSource) -> dict[str, bytes]:
    return {name: content_bytes(content) for name, content in export_files(source, NAMES).items()}


def node_named(graph: nx.Graph, label: str) -> str:
    (node,) = [n for n, data in graph.nodes(data=True) if data["label"] == label]
    return node


def read_csv(data: bytes) -> list[dict]:
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_exporters_write_their_files(files):
    assert set(files) == {"graph.graphml", "graph.gexf", "neo4j/nodes.csv", "neo4j/relationships.csv"}
    assert {EXPORTERS[name].path for name in NAMES} == {"graph.graphml", "graph.gexf", "neo4j"}


def test_flat_network_holds_the_facts(flat, source):
    assert (flat.number_of_nodes(), flat.number_of_edges()) == (NODES, EDGES) == (source.network.number_of_nodes(), source.network.number_of_edges())
    project, leader = node_named(flat, PROJECT), node_named(flat, LEADER)
    assert flat.nodes[leader]["class"] == "Person" and flat.nodes[leader]["iri"] == leader
    assert flat.nodes[project]["class"] == "ReformProject"
    assert flat.nodes[project]["ordinal"] == 1 and type(flat.nodes[project]["ordinal"]) is int
    (edge,) = flat.get_edge_data(project, leader).values()
    assert edge["type"] == "leadPerson" and edge["predicate"].endswith("#leadPerson") and edge["inferred"] is False and edge["rule"] == ""
    assert "区委书记吕玉印亲自牵头" in edge["quote"]
    # Literals are attributes, never nodes; every attribute is a scalar.
    assert all(node.startswith("https://") for node in flat)
    values = [v for _, d in flat.nodes(data=True) for v in d.values()] + [v for *_, d in flat.edges(data=True) for v in d.values()]
    assert all(isinstance(v, (str, int, bool)) for v in values)
    documents = {d["documents"] for _, d in flat.nodes(data=True)} - {""}
    assert documents == {node_named(flat, "pingshan-2017-reform-plan.txt")}


def test_inferred_tier_edges_say_their_rule(flat):
    inferred = [d for *_, d in flat.edges(data=True) if d["inferred"]]
    assert inferred and {d["type"] for d in inferred} == {"tier"}
    assert {d["rule"] for d in inferred} == {"tier-from-lead-post", "tier-from-group"}
    assert all(d["rule"] == "" for *_, d in flat.edges(data=True) if not d["inferred"])


def test_multiple_values_are_joined_in_order(flat):
    (quotes,) = [d["quote"] for u, v, d in flat.edges(data=True) if d["type"] == "holdsPost" and flat.nodes[u]["label"] == LEADER]
    first, second = quotes.split(SEPARATOR)
    assert "区委书记吕玉印亲自牵头" in first and second == "深化基层治理体制改革牵头区领导:区委书记吕玉印"


def test_graphml_reloads_with_the_same_nodes_edges_and_attributes(files, flat):
    reloaded = nx.read_graphml(io.BytesIO(files["graph.graphml"]), force_multigraph=True)
    assert (reloaded.number_of_nodes(), reloaded.number_of_edges()) == (NODES, EDGES)
    assert dict(reloaded.nodes(data=True)) == dict(flat.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in reloaded.edges(keys=True, data=True)} == {(u, v, k): d for u, v, k, d in flat.edges(keys=True, data=True)}
    project = node_named(reloaded, PROJECT)
    assert reloaded.nodes[project]["ordinal"] == 1 and type(reloaded.nodes[project]["ordinal"]) is int
    assert reloaded.nodes[node_named(reloaded, LEADER)]["class"] == "Person"


def test_igraph_reads_the_graphml_with_the_same_nodes_edges_and_attributes(files, flat, tmp_path):
    """igraph, a graph library of others' making with its own GraphML reader (libxml2 in C)."""
    import igraph

    path = tmp_path / "graph.graphml"
    path.write_bytes(files["graph.graphml"])
    graph = igraph.Graph.Read_GraphML(str(path))
    assert (graph.vcount(), graph.ecount()) == (NODES, EDGES)
    assert graph.is_directed()
    labels = {v["id"]: v["label"] for v in graph.vs}
    assert labels == {node: data["label"] for node, data in flat.nodes(data=True)}
    (leader,) = [v for v in graph.vs if v["label"] == LEADER]
    assert leader["class"] == "Person"
    (project,) = [v for v in graph.vs if v["label"] == PROJECT]
    assert project["ordinal"] == 1
    # The project is led by the leader: an edge from the project to the person, typed leadPerson.
    (edge,) = graph.es.select(_source=project.index, _target=leader.index)
    assert edge["type"] == "leadPerson"
    assert sorted(e["type"] for e in graph.es) == sorted(d["type"] for _, _, d in flat.edges(data=True))


def test_gexf_reloads_with_the_same_nodes_edges_and_attributes(files, flat):
    text = files["graph.gexf"].decode("utf-8")
    assert "lastmodifieddate" not in text and "networkx_key" not in text
    reloaded = nx.read_gexf(io.BytesIO(files["graph.gexf"]))
    assert (reloaded.number_of_nodes(), reloaded.number_of_edges()) == (NODES, EDGES)
    assert dict(reloaded.nodes(data=True)) == dict(flat.nodes(data=True))
    # GEXF's own edge "type" is its direction: the relation is the edge's label, the stable id its id.
    edges = {}
    for u, v, data in reloaded.edges(data=True):
        data = dict(data)
        key, relation = data.pop("id"), data.pop("label")
        edges[u, v, key] = {"type": relation, **data}
    assert edges == {(u, v, k): d for u, v, k, d in flat.edges(keys=True, data=True)}
    project, leader = node_named(reloaded, PROJECT), node_named(reloaded, LEADER)
    assert reloaded.nodes[project]["ordinal"] == 1 and reloaded.nodes[leader]["class"] == "Person"
    edge = reloaded.edges[project, leader]
    assert edge["label"] == "leadPerson" and "区委书记吕玉印亲自牵头" in edge["quote"]
    assert all(d["rule"] for *_, d in reloaded.edges(data=True) if d["inferred"])


def test_neo4j_csv_headers_ids_and_facts(files):
    nodes_text = files["neo4j/nodes.csv"].decode("utf-8")
    assert nodes_text.split("\r\n", 1)[0].split(",")[:5] == NODES_HEADER == ["iri:ID", ":LABEL", "label", "class", "documents:string[]"]
    assert files["neo4j/relationships.csv"].decode("utf-8").split("\r\n", 1)[0] == ",".join(RELATIONSHIPS_HEADER)
    assert RELATIONSHIPS_HEADER == [":START_ID", ":END_ID", ":TYPE", "predicate", "inferred:boolean", "rule", "quote"]
    nodes, relationships = read_csv(files["neo4j/nodes.csv"]), read_csv(files["neo4j/relationships.csv"])
    assert (len(nodes), len(relationships)) == (NODES, EDGES)
    ids = [n["iri:ID"] for n in nodes]
    assert len(set(ids)) == len(ids)
    assert {r[":START_ID"] for r in relationships} | {r[":END_ID"] for r in relationships} <= set(ids)
    assert "ordinal:long" in nodes[0] and "writtenForm" in nodes[0]
    (leader,) = [n for n in nodes if n["label"] == LEADER]
    assert leader[":LABEL"] == "Person" == leader["class"]
    (project,) = [n for n in nodes if n["label"] == PROJECT]
    assert project[":LABEL"] == "ReformProject" and project["ordinal:long"] == "1"
    assert all(d.startswith("https://w3id.org/reform-kg/id/document/") for d in project["documents:string[]"].split(";"))
    (lead,) = [r for r in relationships if (r[":START_ID"], r[":END_ID"]) == (project["iri:ID"], leader["iri:ID"])]
    assert lead[":TYPE"] == "LEAD_PERSON" and lead["predicate"].endswith("#leadPerson")
    assert lead["inferred:boolean"] == "false" and "区委书记吕玉印亲自牵头" in lead["quote"]
    inferred = [r for r in relationships if r["inferred:boolean"] == "true"]
    assert inferred and all(r[":TYPE"] == "TIER" and r["rule"] for r in inferred)
    assert {"HOLDS_POST", "RESPONSIBLE_GROUP", "IN_DOCUMENT", "INVOLVES_LEVEL"} <= {r[":TYPE"] for r in relationships}


def hostile_flat() -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    for node, documents in (("https://example.org/a", "https://example.org/doc"), ("https://example.org/b", "")):
        flat.add_node(node, label='甲,"乙"\r\n丙', **{"class": "Person"}, iri=node, documents=documents)
    flat.add_edge("https://example.org/a", "https://example.org/b", key="e1", type="leadPerson", predicate="https://example.org/p", inferred=False, rule="", quote="第一页\x0c第二页;三 | 四")
    return flat


def test_csv_quotes_commas_quotes_and_line_breaks():
    files = flat_to_neo4j(hostile_flat())
    nodes, relationships = read_csv(files["nodes.csv"]), read_csv(files["relationships.csv"])
    assert [n["label"] for n in nodes] == ['甲,"乙"\r\n丙'] * 2
    assert [n["documents:string[]"] for n in nodes] == ["https://example.org/doc", ""]
    assert relationships[0]["quote"] == "第一页\x0c第二页;三 | 四" and relationships[0]["rule"] == ""


def test_several_values_are_a_string_array_unless_one_holds_the_delimiter():
    flat = hostile_flat()
    flat.nodes["https://example.org/a"].update(altLabel="国家 | 國家", writtenForm="甲;乙 | 丙")
    flat.nodes["https://example.org/b"].update(altLabel="省", writtenForm="丁")
    nodes = read_csv(flat_to_neo4j(flat)["nodes.csv"])
    assert [n["altLabel:string[]"] for n in nodes] == ["国家;國家", "省"]
    assert [n["writtenForm"] for n in nodes] == ["甲;乙 | 丙", "丁"]  # a value holding ";" stays text


def test_an_iri_holding_the_array_delimiter_is_refused():
    flat = hostile_flat()
    flat.nodes["https://example.org/a"]["documents"] = "https://example.org/doc;1"
    with pytest.raises(ValueError, match="array delimiter"):
        flat_to_neo4j(flat)


def test_characters_xml_cannot_carry_become_replacement_characters():
    flat = hostile_flat()
    graphml, gexf = nx.read_graphml(io.BytesIO(flat_to_graphml(flat))), nx.read_gexf(io.BytesIO(flat_to_gexf(flat)))
    for reloaded in (graphml, gexf):
        (edge,) = [d for *_, d in reloaded.edges(data=True)]
        assert edge["quote"] == "第一页\ufffd第二页;三 | 四"
    # An attribute keeps "\r" (escaped); XML readers turn the "\r\n" of element text into "\n".
    assert gexf.nodes["https://example.org/a"]["label"] == '甲,"乙"\r\n丙'
    assert graphml.nodes["https://example.org/a"]["label"] == '甲,"乙"\n丙'


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


def test_same_graph_same_bytes_across_runs_and_hash_seeds(files):
    assert exported(ExportSource(read_dataset(GOLDEN))) == files
    script = (
        "import hashlib, json, sys\n"
        "from kg.export import ExportSource, content_bytes, export_files\n"
        "from kg.publish import read_dataset\n"
        f"files = export_files(ExportSource(read_dataset(sys.argv[1])), {NAMES!r})\n"
        "print(json.dumps({n: hashlib.sha256(content_bytes(d)).hexdigest() for n, d in sorted(files.items())}))\n"
    )
    for seed in ("0", "4242"):
        proc = subprocess.run([sys.executable, "-c", script, str(GOLDEN)], env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == digests(files), f"PYTHONHASHSEED={seed}"


def test_the_writers_write_the_same_bytes_from_the_view_as_from_the_flattened_graph(source, flat):
    view = flatten_source(source)
    assert flat_to_graphml(view) == flat_to_graphml(flat)
    assert flat_to_gexf(view) == flat_to_gexf(flat)
    assert flat_to_neo4j(view) == flat_to_neo4j(flat)


def test_the_graphml_is_what_networkx_writes(flat):
    # The streaming writer keeps networkx's layout, so that files do not change with it.
    stream = io.BytesIO()
    nx.write_graphml_xml(flat, stream, encoding="utf-8")
    assert flat_to_graphml(flat) == stream.getvalue()


def test_an_empty_graph_is_written_whole():
    empty = nx.MultiDiGraph()
    assert nx.read_graphml(io.BytesIO(flat_to_graphml(empty))).number_of_nodes() == 0
    assert nx.read_gexf(io.BytesIO(flat_to_gexf(empty))).number_of_nodes() == 0

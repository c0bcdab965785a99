"""The vocabulary contract: ontology.ttl, kg/vocab.py and vocabulary.md cannot drift apart,
and shapes.ttl accepts a valid graph and rejects each kind of broken one with its own message."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pyshacl import validate
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

import kg.vocab
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_PATH = ROOT / "ontology.ttl"
SHAPES_PATH = ROOT / "shapes.ttl"

# Hard-coded on purpose: the contract (../shared/vocabulary.md) fixes these, not kg/vocab.py.
CONTRACT = Namespace("https://w3id.org/reform-kg/ontology#")
INSTANCES = Namespace("https://w3id.org/reform-kg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ONTOLOGY_IRI = URIRef("https://w3id.org/reform-kg/ontology")
SHAPES = Namespace("https://w3id.org/reform-kg/shapes#")

TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}  # individuals: the concept schemes
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}

CODE_TERMS = sorted(RKG.__annotations__)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def term_types(ontology: Graph, term: URIRef) -> set[URIRef]:
    return set(ontology.objects(term, RDF.type)) & TERM_TYPES


def class_members(ontology: Graph, expression: URIRef) -> set[URIRef]:
    """The classes a domain/range names: itself and its subclasses (rkg:DocumentPart holds
    rkg:ReformProject and rkg:Evidence), or the members of its owl:unionOf."""
    union = ontology.value(expression, OWL.unionOf)
    if union is None:
        return {expression, *ontology.transitive_subjects(RDFS.subClassOf, expression)}
    return set(ontology.items(union))


def rkg_iris(graph: Graph) -> set[URIRef]:
    """Every IRI in the rkg namespace used anywhere in the graph (subject, predicate or object)."""
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(CONTRACT))
    }


# --- ontology.ttl <-> kg/vocab.py ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_code", "in_contract"),
    [(RKG._NS, CONTRACT), (kg.vocab.ID, INSTANCES), (kg.vocab.OA, OA), (kg.vocab.SCHEMA, SCHEMA)],
    ids=["rkg", "id", "oa", "schema"],
)
def test_code_namespace_is_the_contract_namespace(in_code, in_contract):
    assert str(in_code) == str(in_contract)


def test_ontology_header(ontology):
    header = ontology.resource(ONTOLOGY_IRI)
    assert OWL.Ontology in set(ontology.objects(ONTOLOGY_IRI, RDF.type))
    titles = {t.language for t in ontology.objects(ONTOLOGY_IRI, DCTERMS.title)}
    assert {"zh", "en"} <= titles
    assert header.value(OWL.versionInfo) == Literal("0.1.0")
    assert header.value(DCTERMS.license).identifier == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.parametrize("name", CODE_TERMS)
def test_code_term_is_declared(ontology, name):
    types = term_types(ontology, RKG[name])
    assert len(types) == 1, (
        f"rkg:{name} needs exactly one of owl:Class / owl:ObjectProperty / owl:DatatypeProperty / owl:NamedIndividual"
        f" in ontology.ttl, has {sorted(types)}"
    )


def test_ontology_uses_only_code_terms(ontology):
    stray = {str(iri) for iri in rkg_iris(ontology)} - {str(RKG[name]) for name in CODE_TERMS}
    assert not stray, f"ontology.ttl uses rkg: terms missing from kg/vocab.py RKG: {sorted(stray)}"


@pytest.mark.parametrize("name", CODE_TERMS)
def test_term_is_documented(ontology, name):
    term = RKG[name]
    labels = {label.language for label in ontology.objects(term, RDFS.label)}
    assert {"zh", "en"} <= labels, f"rkg:{name} needs rdfs:label @zh and @en, has {labels}"
    comments = {comment.language for comment in ontology.objects(term, RDFS.comment)}
    assert "en" in comments, f"rkg:{name} needs an rdfs:comment @en"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_every_property_has_domain_and_range(ontology):
    properties = [name for name in CODE_TERMS if term_types(ontology, RKG[name]) & PROPERTY_TYPES]
    assert len(properties) > 20
    missing = [
        f"rkg:{name} {which}"
        for name in properties
        for which in (RDFS.domain, RDFS.range)
        if ontology.value(RKG[name], which) is None
    ]
    assert not missing, missing


ALIGNMENTS = [
    ("SourceDocument", RDFS.subClassOf, PROV.Entity),
    ("ReformProject", RDFS.subClassOf, SCHEMA.Project),
    ("Person", RDFS.subClassOf, FOAF.Person),
    ("Person", RDFS.subClassOf, SCHEMA.Person),
    ("Post", RDFS.subClassOf, ORG.Post),
    ("SpecialGroup", RDFS.subClassOf, ORG.OrganizationalUnit),
    ("Organization", RDFS.subClassOf, ORG.Organization),
    ("ProjectTier", RDFS.subClassOf, SKOS.Concept),
    ("GovernanceLevel", RDFS.subClassOf, SKOS.Concept),
    ("TargetProblem", RDFS.subClassOf, SKOS.Concept),
    ("Measure", RDFS.subClassOf, SCHEMA.Action),
    ("Evidence", RDFS.subClassOf, OA.TextQuoteSelector),
    ("Evidence", RDFS.subClassOf, OA.TextPositionSelector),
    ("holdsPost", RDFS.subPropertyOf, ORG.holds),
    ("quote", RDFS.subPropertyOf, OA.exact),
    ("start", RDFS.subPropertyOf, OA.start),
    ("end", RDFS.subPropertyOf, OA.end),
    ("inDocument", RDFS.subPropertyOf, DCTERMS.isPartOf),
    ("deadlineDate", RDFS.subPropertyOf, CONTRACT.deadline),
    ("evidence", RDFS.domain, RDFS.Resource),
    ("Place", RDFS.subClassOf, SCHEMA.AdministrativeArea),
    ("Place", RDFS.subClassOf, DCTERMS.Location),
    ("Place", RDFS.subClassOf, SKOS.Concept),
    ("issuingPlace", RDFS.subPropertyOf, DCTERMS.spatial),
    ("divisionCode", RDFS.subPropertyOf, SKOS.notation),
    ("jurisdiction", RDFS.subPropertyOf, SCHEMA.areaServed),
]


@pytest.mark.parametrize(("name", "predicate", "target"), ALIGNMENTS)
def test_alignment(ontology, name, predicate, target):
    assert (CONTRACT[name], predicate, target) in ontology


# --- the public contract (vocabulary.md), hard-coded so CI needs no ../shared --------------------

CONTRACT_CLASSES = [
    "SourceDocument",
    "ReformProject",
    "Person",
    "Post",
    "SpecialGroup",
    "Organization",
    "ProjectTier",
    "GovernanceLevel",
    "TargetProblem",
    "Measure",
    "Evidence",
]

# (term, kind, a subject class the domain must cover, range)
CONTRACT_PROPERTIES = [
    ("inDocument", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.SourceDocument),
    ("inDocument", OWL.ObjectProperty, CONTRACT.Evidence, CONTRACT.SourceDocument),
    ("ordinal", OWL.DatatypeProperty, CONTRACT.ReformProject, XSD.integer),
    ("tier", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.ProjectTier),
    ("leadPerson", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.Person),
    ("leadPost", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.Post),
    ("holdsPost", OWL.ObjectProperty, CONTRACT.Person, CONTRACT.Post),
    ("responsibleGroup", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.SpecialGroup),
    ("leadUnit", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.Organization),
    ("supportUnit", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.Organization),
    ("involvesLevel", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.GovernanceLevel),
    ("addressesProblem", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.TargetProblem),
    ("hasMeasure", OWL.ObjectProperty, CONTRACT.ReformProject, CONTRACT.Measure),
    ("deadline", OWL.DatatypeProperty, CONTRACT.ReformProject, RDFS.Literal),
    ("evidence", OWL.ObjectProperty, RDFS.Resource, CONTRACT.Evidence),
    ("quote", OWL.DatatypeProperty, CONTRACT.Evidence, XSD.string),
    ("start", OWL.DatatypeProperty, CONTRACT.Evidence, XSD.integer),
    ("end", OWL.DatatypeProperty, CONTRACT.Evidence, XSD.integer),
]


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_is_declared(ontology, name):
    assert (CONTRACT[name], RDF.type, OWL.Class) in ontology
    assert name in RKG.__annotations__


@pytest.mark.parametrize(("name", "kind", "subject", "range_"), CONTRACT_PROPERTIES)
def test_contract_property_is_declared(ontology, name, kind, subject, range_):
    term = CONTRACT[name]
    assert (term, RDF.type, kind) in ontology
    assert name in RKG.__annotations__
    domain = ontology.value(term, RDFS.domain)
    domain_classes = class_members(ontology, domain)
    assert subject in domain_classes, f"rkg:{name}: domain does not cover {subject}"
    assert ontology.value(term, RDFS.range) == range_


# --- shapes.ttl as a document --------------------------------------------------------------------


def test_shapes_are_valid_shacl(shapes):
    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def named_shapes(shapes: Graph) -> list[URIRef]:
    found = {*shapes.subjects(RDF.type, SH.NodeShape), *shapes.subjects(RDF.type, SH.PropertyShape)}
    return sorted(node for node in found if isinstance(node, URIRef))


def test_every_named_shape_has_name_and_message(shapes):
    shape_iris = named_shapes(shapes)
    assert len(shape_iris) > 20
    for shape in shape_iris:
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        message = shapes.value(shape, SH.message)
        assert message is not None, f"{shape} has no sh:message"
    for constraint in shapes.subjects(RDF.type, SH.SPARQLConstraint):
        assert shapes.value(constraint, SH.message) is not None


def test_shapes_use_only_code_terms(shapes):
    # A misspelt sh:path, sh:targetClass or SPARQL term never fails; it silently checks nothing.
    used = {str(iri) for iri in rkg_iris(shapes)}
    for query in shapes.objects(None, SH.select):
        used |= {str(CONTRACT[name]) for name in re.findall(r"\brkg:(\w+)", str(query))}
    stray = used - {str(RKG[name]) for name in CODE_TERMS}
    assert not stray, f"shapes.ttl uses rkg: terms missing from kg/vocab.py RKG: {sorted(stray)}"


def test_shapes_agree_with_ontology_ranges(ontology, shapes):
    checked = 0
    for shape, path in shapes.subject_objects(SH.path):
        if not str(path).startswith(str(CONTRACT)):
            continue
        range_ = ontology.value(path, RDFS.range)
        for expected in shapes.objects(shape, SH.datatype):
            assert range_ in (expected, RDFS.Literal), (
                f"{shape}: sh:datatype {expected}, ontology range {range_}"
            )
            checked += 1
        for expected in shapes.objects(shape, SH["class"]):
            assert range_ == expected, f"{shape}: sh:class {expected}, ontology range {range_}"
            checked += 1
    assert checked > 20


# --- shapes.ttl on small graphs ------------------------------------------------------------------

PREFIXES = """
@prefix rkg:       <https://w3id.org/reform-kg/ontology#> .
@prefix doc:       <https://w3id.org/reform-kg/id/document/> .
@prefix project:   <https://w3id.org/reform-kg/id/project/> .
@prefix person:    <https://w3id.org/reform-kg/id/person/> .
@prefix post:      <https://w3id.org/reform-kg/id/post/> .
@prefix tier:      <https://w3id.org/reform-kg/id/tier/> .
@prefix evidence:  <https://w3id.org/reform-kg/id/evidence/> .
@prefix statement: <https://w3id.org/reform-kg/id/statement/> .
@prefix rule:      <https://w3id.org/reform-kg/id/rule/> .
@prefix extraction: <https://w3id.org/reform-kg/id/extraction-rule/> .
@prefix figure:    <https://w3id.org/reform-kg/id/figure/> .
@prefix prov:      <http://www.w3.org/ns/prov#> .
@prefix rdf:       <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:      <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:       <http://www.w3.org/2001/XMLSchema#> .
"""

# Offsets are real: data/pingshan-2017-reform-plan.txt[502:583] is the quote.
VALID = PREFIXES + """
doc:pingshan a rkg:SourceDocument ;
    rdfs:label "这28个改革项目关系坪山大发展"@zh ;
    rkg:contentHash "sha256:f3658b2a664128f4bb9d59afabec202154f0c299cf9e83735b45d883fc5904ef" ;
    rkg:charCount 4167 ;
    rkg:encoding "utf-8" ;
    rkg:genre "news-report" .

project:p1 a rkg:ReformProject ;
    rdfs:label "深化基层治理体制改革"@zh ;
    rkg:inDocument doc:pingshan ;
    rkg:ordinal 1 ;
    rkg:leadPerson person:p1 ;
    rkg:evidence evidence:e1 .

person:p1 a rkg:Person ;
    rdfs:label "吕玉印"@zh ;
    rkg:holdsPost post:p1 .

post:p1 a rkg:Post ;
    rdfs:label "区委书记"@zh .

evidence:e1 a rkg:Evidence ;
    rkg:quote "针对基层职责划分不清晰、管理链条长、居民自治活力不足等问题,区委书记吕玉印亲自牵头深化基层治理体制改革项目,持续在社区基层治理上攻坚突破,进一步提升基层治理质量。" ;
    rkg:start 502 ;
    rkg:end 583 ;
    rkg:inDocument doc:pingshan .

statement:s1 a rdf:Statement ;
    rdf:subject project:p1 ;
    rdf:predicate rkg:leadPerson ;
    rdf:object person:p1 ;
    rkg:evidence evidence:e1 ;
    rkg:extractedBy extraction:lead-cue .

# Every relation has its statement, so holdsPost needs one too.
statement:s2 a rdf:Statement ;
    rdf:subject person:p1 ;
    rdf:predicate rkg:holdsPost ;
    rdf:object post:p1 ;
    rkg:evidence evidence:e1 ;
    rkg:extractedBy extraction:post-before-name .

extraction:lead-cue a rkg:ExtractionRule ; rdfs:label "lead-cue"@en .
extraction:post-before-name a rkg:ExtractionRule ; rdfs:label "post-before-name"@en .
"""

INFERRED_LEAD_POST = """
project:p1 rkg:leadPost post:p1 .
rule:lead-post-from-person a rkg:InferenceRule ;
    rdfs:label "a project led by a person is led by that person's post"@en .
statement:s3 a rdf:Statement ;
    rdf:subject project:p1 ;
    rdf:predicate rkg:leadPost ;
    rdf:object post:p1 ;
    rkg:inferredBy rule:lead-post-from-person ;
    prov:wasDerivedFrom statement:s1 , statement:s2 ;
    rkg:evidence evidence:e1 .
"""

STATED_FIGURE = """
doc:pingshan rkg:statesFigure figure:f1 .
figure:f1 a rkg:StatedFigure ;
    rdfs:label "28个改革项目"@zh ;
    rkg:statedValue 28 ;
    rkg:foundValue 1 ;
    rkg:countsClass rkg:ReformProject ;
    rkg:evidence evidence:e2 .
evidence:e2 a rkg:Evidence ;
    rkg:quote "据了解,坪山本年度的28个改革项目中,分别列为“区主要领导牵头改革项目”“区重点改革项目”“区一般改革项目”三类层次。" ;
    rkg:start 294 ;
    rkg:end 353 ;
    rkg:inDocument doc:pingshan .
"""

DEADLINE = """
project:p1 rkg:deadline "2017年12月底前"@zh ;
    rkg:deadlineDate "2017-12"^^xsd:gYearMonth .
statement:s4 a rdf:Statement ;
    rdf:subject project:p1 ;
    rdf:predicate rkg:deadline ;
    rdf:object "2017年12月底前"@zh ;
    rkg:evidence evidence:e1 ;
    rkg:extractedBy extraction:deadline-field .
extraction:deadline-field a rkg:ExtractionRule ; rdfs:label "deadline-field"@en .
"""

# A second document's project that continues project:p1, as kg diff writes it: the triple, its
# statement with the match's score and the evidence of both projects.
MATCH = """
doc:other a rkg:SourceDocument ;
    rdfs:label "另一份计划"@zh ;
    rkg:contentHash "sha256:0000000000000000000000000000000000000000000000000000000000000000" ;
    rkg:charCount 100 ;
    rkg:encoding "utf-8" ;
    rkg:genre "plan" .
project:p2 a rkg:ReformProject ;
    rdfs:label "深化基层治理改革"@zh ;
    rkg:inDocument doc:other ;
    rkg:evidence evidence:e3 ;
    rkg:continues project:p1 .
evidence:e3 a rkg:Evidence ;
    rkg:quote "深化基层治理改革" ;
    rkg:start 0 ;
    rkg:end 8 ;
    rkg:inDocument doc:other .
statement:m1 a rdf:Statement ;
    rdf:subject project:p2 ;
    rdf:predicate rkg:continues ;
    rdf:object project:p1 ;
    rkg:matchScore 0.84 ;
    rkg:evidence evidence:e1 , evidence:e3 .
"""

# (case, Turtle removed from VALID, Turtle added, local names of the shapes that must report)
VARIANTS = [
    ("valid", "", "", set()),
    ("valid: a match between two documents' projects", "", MATCH, set()),
    ("match without its score", "statement:m1 rkg:matchScore 0.84 .", MATCH, {"StatementShape"}),
    ("match scored above 1", "statement:m1 rkg:matchScore 0.84 .", MATCH + "statement:m1 rkg:matchScore 1.5 .", {"Statement-matchScore"}),
    ("match both scored and stated", "", MATCH + "statement:m1 rkg:extractedBy extraction:lead-cue .", {"StatementShape"}),
    (
        "match without a statement",
        "statement:m1 a rdf:Statement ; rdf:subject project:p2 ; rdf:predicate rkg:continues ; rdf:object project:p1 ;"
        " rkg:matchScore 0.84 ; rkg:evidence evidence:e1 , evidence:e3 .",
        MATCH,
        {"RelationStatedShape"},
    ),
    ("a project continuing a person", "", MATCH + "project:p2 rkg:continues person:p1 .", {"ReformProject-continues", "RelationStatedShape"}),
    ("valid: inferred statement", "", INFERRED_LEAD_POST, set()),
    ("valid: stated figure", "", STATED_FIGURE, set()),
    ("valid: deadline with typed date", "", DEADLINE, set()),
    (
        "project without label",
        'project:p1 rdfs:label "深化基层治理体制改革"@zh .',
        "",
        {"ReformProject-label"},
    ),
    (
        "project labelled in English only",
        'project:p1 rdfs:label "深化基层治理体制改革"@zh .',
        'project:p1 rdfs:label "Deepen grassroots governance reform"@en .',
        {"ReformProject-label"},
    ),
    ("project with two ordinals", "", "project:p1 rkg:ordinal 2 .", {"ReformProject-ordinal"}),
    ("project without evidence", "project:p1 rkg:evidence evidence:e1 .", "", {"RequiredEvidence"}),
    (
        "project as a blank node",
        "",
        '[] a rkg:ReformProject ; rdfs:label "x"@zh ; rkg:inDocument doc:pingshan ;'
        " rkg:evidence evidence:e1 .",
        {"ReformProjectShape"},
    ),
    (
        "evidence with start >= end",
        "evidence:e1 rkg:start 502 .",
        "evidence:e1 rkg:start 583 .",
        {"EvidenceOffsetsShape"},
    ),
    (
        "evidence whose quote does not fit",
        "evidence:e1 rkg:end 583 .",
        "evidence:e1 rkg:end 590 .",
        {"EvidenceOffsetsShape"},
    ),
    (
        "evidence past the document end",
        "doc:pingshan rkg:charCount 4167 .",
        "doc:pingshan rkg:charCount 580 .",
        {"EvidenceOffsetsShape"},
    ),
    ("person without label", 'person:p1 rdfs:label "吕玉印"@zh .', "", {"ZhLabel"}),
    (
        "person holding a non-Post",
        "post:p1 a rkg:Post .",
        "post:p1 a rkg:Organization .",
        {"Person-holdsPost"},
    ),
    (
        "statement with neither evidence nor inferredBy",
        "statement:s1 rkg:evidence evidence:e1 .",
        "",
        {"StatementShape"},
    ),
    (
        "statement both stated and inferred",
        "",
        INFERRED_LEAD_POST + "statement:s3 rkg:extractedBy extraction:lead-cue .",
        {"StatementShape"},
    ),
    (
        "statement naming its extraction rule by a string",
        "statement:s1 rkg:extractedBy extraction:lead-cue .",
        'statement:s1 rkg:extractedBy "lead-cue" .',
        {"Statement-extractedBy"},
    ),
    ("extraction rule without a name", 'extraction:lead-cue rdfs:label "lead-cue"@en .', "", {"Rule-label"}),
    (
        "relation without statement",
        "statement:s1 a rdf:Statement ; rdf:subject project:p1 ; rdf:predicate rkg:leadPerson ;"
        " rdf:object person:p1 ; rkg:evidence evidence:e1 ; rkg:extractedBy extraction:lead-cue .",
        "",
        {"RelationStatedShape"},
    ),
    (
        "statement of a triple not in the graph",
        "",
        "statement:s9 a rdf:Statement ; rdf:subject project:p1 ; rdf:predicate rkg:tier ;"
        " rdf:object tier:t1 ; rkg:evidence evidence:e1 ; rkg:extractedBy extraction:lead-cue .",
        {"StatementAssertedShape"},
    ),
    (
        "stated figure without value",
        "figure:f1 rkg:statedValue 28 .",
        STATED_FIGURE,
        {"StatedFigure-statedValue"},
    ),
    (
        "unreadable deadline date",
        'project:p1 rkg:deadlineDate "2017-12"^^xsd:gYearMonth .',
        DEADLINE + 'project:p1 rkg:deadlineDate "2017年底" .',
        {"ReformProject-deadlineDate"},
    ),
    (
        "malformed content hash",
        'doc:pingshan rkg:contentHash'
        ' "sha256:f3658b2a664128f4bb9d59afabec202154f0c299cf9e83735b45d883fc5904ef" .',
        'doc:pingshan rkg:contentHash "F3658B2A" .',
        {"SourceDocument-contentHash"},
    ),
]


def build_variant(removed: str, added: str) -> Graph:
    graph = Graph().parse(data=VALID, format="turtle")
    # Add first: a removal may target a triple that only the added block introduces.
    graph += Graph().parse(data=PREFIXES + added, format="turtle")
    return graph - Graph().parse(data=PREFIXES + removed, format="turtle")


def report_messages(data: Graph, shapes: Graph) -> dict[str, set[str]]:
    """{source shape local name: result messages} for every result in the report."""
    _, report, text = validate(data, shacl_graph=shapes, inference="none")
    if not isinstance(report, Graph):  # pyshacl could not run the shapes at all
        pytest.fail(text)
    found: dict[str, set[str]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        name = str(shape).removeprefix(str(SHAPES))
        messages = {str(message) for message in report.objects(result, SH.resultMessage)}
        found.setdefault(name, set()).update(messages)
    return found


@pytest.mark.parametrize(
    ("case", "removed", "added", "expected"), VARIANTS, ids=[variant[0] for variant in VARIANTS]
)
def test_shapes_on_variant(shapes, case, removed, added, expected):
    found = report_messages(build_variant(removed, added), shapes)
    assert set(found) == expected, f"{case}: expected reports from {sorted(expected)}, got {found}"
    for name, messages in found.items():
        assert messages == {str(m) for m in shapes.objects(SHAPES[name], SH.message)}, name


# --- OWL 2 DL, by HermiT ---------------------------------------------------------------------------


def hermit(*arguments: str) -> subprocess.CompletedProcess:
    """HermiT's command line (the jar owlready2 ships) on the system's Java. Without Java the test
    skips on a workstation and fails under CI (CI=true), which .ci/setup gives Java."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("no java: CI must run the OWL reasoner (.ci/setup installs a Java runtime)")
        pytest.skip("no java on this machine: the OWL reasoner cannot run")
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    return subprocess.run([java, "-cp", str(jar), "org.semanticweb.HermiT.cli.CommandLine", *arguments], capture_output=True, text=True, timeout=300)


def test_hermit_reads_the_ontology_as_owl_2_dl_and_finds_it_consistent(ontology, tmp_path):
    """Every datatype the ontology names is in OWL 2's datatype map (HermiT refuses any other),
    and it has no blank node a dataset export would turn into an IRI."""
    owl = tmp_path / "ontology.owl"
    ontology.serialize(owl, format="xml")
    done = hermit("-k", owl.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "http://www.w3.org/2002/07/owl#Thing is satisfiable" in done.stdout
    assert not any(isinstance(t, BNode) for triple in ontology for t in triple)


def test_hermit_finds_the_ontology_and_a_corpus_graph_consistent(ontology, tmp_path):
    """The ontology and the graph of real documents, deadlines included. Their typed dates
    (xsd:gYearMonth, as the vocabulary contract has them) are outside OWL 2's datatype map, so
    HermiT is told to pass over those values, and reasons over everything else."""
    from kg.pipeline import build_graph, load_toolkit
    from kg.rdf import union_graph

    corpus = sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    graph = union_graph(build_graph(corpus, load_toolkit(), jobs=1).dataset)
    assert any(True for _ in graph.triples((None, RKG.deadlineDate, None)))
    owl = tmp_path / "all.owl"
    (graph + ontology).serialize(owl, format="xml")
    done = hermit("-k", "--ignoreUnsupportedDatatypes", owl.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "http://www.w3.org/2002/07/owl#Thing is satisfiable" in done.stdout

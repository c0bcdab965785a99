"""The one place term IRIs come from. A test checks every term here is declared in ontology.ttl."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ID = Namespace("https://w3id.org/reform-kg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")


class RKG(DefinedNamespace):
    """``rkg:`` — unknown names raise, so a typo cannot mint a stray term."""

    _NS = Namespace("https://w3id.org/reform-kg/ontology#")
    _fail = True

    # classes
    SourceDocument: URIRef
    ReformProject: URIRef
    Person: URIRef
    Post: URIRef
    SpecialGroup: URIRef
    Organization: URIRef
    ProjectTier: URIRef
    GovernanceLevel: URIRef
    TargetProblem: URIRef
    Measure: URIRef
    Evidence: URIRef
    StatedFigure: URIRef
    InferenceRule: URIRef
    ExtractionRule: URIRef
    DocumentPart: URIRef  # what rkg:inDocument is said of: a project or an evidence span
    NamedEntity: URIRef  # what rkg:writtenForm is said of: every kind of named node
    Place: URIRef  # a division of the official code list (GB/T 2260)
    DivisionLevel: URIRef

    # concept schemes (skos:ConceptScheme individuals)
    ProjectTiers: URIRef
    GovernanceLevels: URIRef
    TargetProblems: URIRef
    AdministrativeDivisions: URIRef
    DivisionLevels: URIRef

    # the tiers of the code list (rkg:DivisionLevel individuals)
    ProvinceLevel: URIRef
    PrefectureLevel: URIRef
    CountyLevel: URIRef

    # places
    issuingPlace: URIRef
    divisionCode: URIRef
    divisionLevel: URIRef
    codeListYear: URIRef
    jurisdiction: URIRef
    collectiveOver: URIRef

    # project relations
    inDocument: URIRef
    ordinal: URIRef
    tier: URIRef
    leadPerson: URIRef
    leadPost: URIRef
    holdsPost: URIRef
    responsibleGroup: URIRef
    leadUnit: URIRef
    supportUnit: URIRef
    involvesLevel: URIRef
    addressesProblem: URIRef
    hasMeasure: URIRef
    deadline: URIRef
    deadlineDate: URIRef

    # inverse relations, entailed by kg/inference/inverse-relations.rq
    leads: URIRef
    responsibleFor: URIRef
    leadUnitOf: URIRef
    supportUnitOf: URIRef
    includesProject: URIRef
    heldBy: URIRef

    # between projects of two documents, as kg diff matches them
    continues: URIRef
    matchScore: URIRef

    # tier criteria stated by a document
    carriedOutBy: URIRef
    ledByPost: URIRef

    # evidence
    evidence: URIRef
    quote: URIRef
    start: URIRef
    end: URIRef

    # provenance of statements
    extractedBy: URIRef
    inferredBy: URIRef

    # document metadata
    statesFigure: URIRef
    statedValue: URIRef
    foundValue: URIRef
    countsClass: URIRef
    scope: URIRef
    genre: URIRef
    place: URIRef
    contentHash: URIRef
    charCount: URIRef
    encoding: URIRef
    writtenForm: URIRef

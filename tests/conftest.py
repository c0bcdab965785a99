import atexit as _atexit
import os as _os
import shutil as _shutil
import tempfile as _tempfile

# The extraction cache of every build the tests run, in-process or not, goes to a folder of this
# session's: never the user's ~/.cache, and never an entry from before this code. Removed at exit.
_os.environ["KG_CACHE_DIR"] = _tempfile.mkdtemp(prefix="kg-test-cache-")
_atexit.register(_shutil.rmtree, _os.environ["KG_CACHE_DIR"], ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/cases/*/*/expected.ttl from the current build (the tests then fail, so a rewrite is never silent)")


# --- shared fixtures for the stage unit tests (test_segment, test_extract, test_rules, test_resolve) ---

import pytest as _pytest


@_pytest.fixture(scope="session")
def lexicon():
    """The shipped lexicon (kg/lexicon/*.tsv), loaded once per session."""
    from kg.lexicon import load_lexicon

    return load_lexicon()


@_pytest.fixture(scope="session")
def all_rules(lexicon):
    """Every shipped genre (kg/genres/*.toml) but the abstract base, compiled once per session."""
    from kg.rules import load_all_rules

    return load_all_rules(lexicon)


@_pytest.fixture(scope="session")
def plan(all_rules):
    """The ``plan`` genre's rules."""
    return all_rules["plan"]


@_pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """tests/corpus built as ``kg build tests/corpus`` builds it, every export and the views
    included (17 documents, 533 nodes in the overview): one build for the tests that read it."""
    from pathlib import Path

    from kg.cli import main

    out = tmp_path_factory.mktemp("corpus-build")
    assert main(["build", str(Path(__file__).resolve().parent / "corpus"), "--out", str(out), "-q"]) == 0
    return out


@_pytest.fixture(scope="session")
def assert_offsets():
    """Offsets are the truth: ``assert_offsets(text, spans)`` checks ``text[s.start:s.end] == s.text``."""

    def check(text, spans):
        for span in spans:
            assert text[span.start : span.end] == span.text, f"{span} does not quote the text: {text[span.start : span.end]!r}"

    return check


@_pytest.fixture(scope="session")
def toolkit():
    """The lexicon and every genre's rules, loaded once per session: jieba's dictionary takes seconds."""
    from kg.pipeline import load_toolkit

    return load_toolkit()


@_pytest.fixture(scope="session")
def facts_of():
    """``facts_of(resolved)``: a document's facts as a set of comparable tuples, to say that two
    runs found the same facts.

    Subject and object are compared by identity (an entity by kind and key, a literal by datatype
    and simplified text, so a value written in either script is one value), with the rule and
    whether the fact is inferred. ``offsets=False`` leaves out the evidence offsets: runs over one
    text compare with them, runs over a text laid out anew (an HTML page, a .docx) cannot.
    """
    from kg.model import Entity
    from kg.script import to_simplified

    def term(value) -> tuple:
        return (value.kind, value.key) if isinstance(value, Entity) else (value.datatype, to_simplified(value.text))

    def collect(resolved, offsets=True) -> set[tuple]:
        return {
            (f.subject.kind, f.subject.key, f.predicate, term(f.object), f.rule, f.inferred)
            + ((tuple((s.start, s.end) for s in f.evidence),) if offsets else ())
            for f in resolved.facts
        }

    return collect


@_pytest.fixture(scope="session")
def assert_evidence_quotes():
    """``assert_evidence_quotes(graph, text)``: the graph has evidence, and every rkg:Evidence node's
    rkg:quote is ``text[rkg:start:rkg:end]`` — offsets are the truth, in the graph too — as a
    plain string, with no language tag or datatype to keep it from comparing equal to the text."""
    from rdflib import RDF, Literal

    from kg.vocab import RKG

    def check(graph, text):
        evidence = list(graph.subjects(RDF.type, RKG.Evidence))
        assert evidence, "the graph has no evidence"
        for node in evidence:
            start, end = int(graph.value(node, RKG.start)), int(graph.value(node, RKG.end))
            assert graph.value(node, RKG.quote) == Literal(text[start:end]), node

    return check

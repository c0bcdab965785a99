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
def assert_offsets():
    """Offsets are the truth: ``assert_offsets(text, spans)`` checks ``text[s.start:s.end] == s.text``."""

    def check(text, spans):
        for span in spans:
            assert text[span.start : span.end] == span.text, f"{span} does not quote the text: {text[span.start : span.end]!r}"

    return check

def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/cases/*/*/expected.ttl from the current build (the tests then fail, so a rewrite is never silent)")

"""Every RDF file a build writes, and the vocabulary's own files, pass Apache Jena's
``riot --validate --strict``: the parser a Jena or Fuseki user loads them with.

Jena comes from Debian's ``libapache-jena-java`` (``.ci/setup`` installs it). Its jars are run with
``java -cp`` on a class path of Jena and the libraries it needs, not on all of ``/usr/share/java``,
where two SLF4J bindings stop it at start-up. Debian relocates Jena's copy of Xerces to the package
``xerces`` but leaves the message files Xerces loads under their old path, so Jena fails on its
first XSD datatype; the test puts those files where the classes look for them. JSON-LD is read
with Jena's JSON-LD 1.0 parser (jsonld-java): Debian ships no JSON Processing implementation for
its JSON-LD 1.1 parser (titanium).

Without Java or Jena the tests skip on a workstation and fail under CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.ids import ONTOLOGY_GRAPH

ROOT = Path(__file__).resolve().parent.parent
JAVA_LIBRARIES = Path("/usr/share/java")
# What riot needs besides Jena's own jars, by their unversioned Debian names.
DEPENDENCIES = (
    "slf4j-api",
    "slf4j-simple",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jcl-over-slf4j",
    "jsonld-java",
    "protobuf",
    "thrift",
)
# Where Jena's jar keeps the message files of its Xerces, and where the relocated classes read them.
XERCES_RESOURCES = "org/apache/jena/ext/xerces/"
RELOCATED_XERCES = "xerces/"
RDF_SUFFIXES = (".ttl", ".trig", ".nq", ".nt", ".rdf")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run Jena riot (.ci/setup installs libapache-jena-java)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def riot(tmp_path_factory):
    """A function running riot --validate --strict on files, returning the finished process."""
    java = shutil.which("java")
    if java is None:
        _unavailable("no java on this machine")
    core = JAVA_LIBRARIES / "jena-core.jar"
    if not core.exists():
        _unavailable(f"no Apache Jena at {JAVA_LIBRARIES}")
    jars = sorted(p for p in JAVA_LIBRARIES.glob("jena-*.jar") if not any(ch.isdigit() for ch in p.stem))
    missing = [name for name in DEPENDENCIES if not (JAVA_LIBRARIES / f"{name}.jar").exists()]
    if missing:
        _unavailable(f"Jena's libraries are missing: {', '.join(missing)}")
    resources = tmp_path_factory.mktemp("jena") / "xerces-resources.jar"
    with zipfile.ZipFile(core) as source, zipfile.ZipFile(resources, "w") as target:
        for name in source.namelist():
            if name.startswith(XERCES_RESOURCES) and not name.endswith((".class", "/")):
                target.writestr(RELOCATED_XERCES + name.removeprefix(XERCES_RESOURCES), source.read(name))
    classpath = os.pathsep.join(map(str, [*jars, *(JAVA_LIBRARIES / f"{name}.jar" for name in DEPENDENCIES), resources]))

    def run(*files: Path, options: tuple[str, ...] = ("--validate", "--strict")) -> subprocess.CompletedProcess:
        return subprocess.run(
            [java, "-cp", classpath, "riotcmd.riot", *options, *map(str, files)],
            capture_output=True,
            text=True,
            timeout=600,
        )

    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("riot-build")
    assert main(["build", "--out", str(out), "-q"]) == 0
    return out


def test_riot_rejects_what_is_broken(riot, tmp_path):
    """The check can fail: a bad date and an unterminated triple are errors under --strict."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:b "soon"^^<http://www.w3.org/2001/XMLSchema#date> .\nex:a ex:b ex:c\n',
        encoding="utf-8",
    )
    done = riot(bad)
    assert done.returncode != 0
    assert "not valid for datatype" in done.stderr + done.stdout


def test_every_rdf_file_of_a_build_passes_riot(riot, built):
    files = sorted(p for p in built.iterdir() if p.suffix in RDF_SUFFIXES)
    assert {p.name for p in files} >= {"graph.ttl", "graph.trig", "graph.nq", "graph.nt", "graph.rdf", "void.ttl"}
    done = riot(*files)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARN" not in done.stderr, done.stderr[-3000:]


def test_every_rdf_file_of_a_corpus_build_passes_riot(riot, corpus_build):
    files = sorted(p for p in corpus_build.iterdir() if p.suffix in RDF_SUFFIXES)
    assert files
    done = riot(*files)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARN" not in done.stderr, done.stderr[-3000:]


def test_the_vocabulary_files_pass_riot(riot):
    done = riot(ROOT / "ontology.ttl", ROOT / "shapes.ttl")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARN" not in done.stderr, done.stderr[-3000:]


def test_the_json_ld_of_a_build_passes_riot_with_every_statement(riot, built):
    """Jena reads graph.jsonld as JSON-LD 1.0 and finds the statements of the data graphs of
    graph.nq (the ontology graph aside), no more and no fewer."""
    jsonld = built / "graph.jsonld"
    done = riot(jsonld, options=("--syntax=jsonld10", "--validate", "--strict"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARN" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-3000:]
    read = riot(jsonld, options=("--syntax=jsonld10", "--output=nt"))
    assert read.returncode == 0, read.stderr[-3000:]
    by_jena = Graph().parse(data=read.stdout, format="nt")
    dataset = Dataset()
    dataset.parse(built / "graph.nq", format="nquads")
    data = Graph()
    for s, p, o, g in dataset.quads():
        if g != ONTOLOGY_GRAPH:
            data.add((s, p, o))
    assert len(by_jena) == len(data) > 1000
    assert isomorphic(by_jena, data)

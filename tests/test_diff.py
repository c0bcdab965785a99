"""kg diff: real pairs of documents compared as a person reading them compares them
(tests/diff/*/case.toml), the matching's parts, the four files, the RDF of a match, and the
command's contract (stdout, one-line errors, exit codes, an output folder changed in one step)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import XSD

from kg.cli import main
from kg.diff import (
    DIFF_FORMATS,
    ProjectRecord,
    Side,
    compare_projects,
    compare_sides,
    diff_to_markdown,
    diff_to_page,
    load_diff_spec,
    name_bigrams,
    normalise_name,
)
from kg.errors import RuleFileError
from kg.network import Quote
from kg.vocab import RKG

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "tests" / "diff").glob("*/case.toml"))
NINGBO = tomllib.loads((ROOT / "tests" / "diff" / "ningbo-2019-2025" / "case.toml").read_text(encoding="utf-8"))
SPEC = load_diff_spec()


def read_case(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def diff_json(a: str | Path, b: str | Path, capsys, *options: str) -> dict:
    capsys.readouterr()
    assert main(["diff", str(ROOT / a), str(ROOT / b), "--format", "json", *options]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def sides(toolkit) -> dict[str, Side]:
    """Each document of the cases read as kg diff reads it, once."""
    from kg.network import graph_to_network
    from kg.diff import network_to_side
    from kg.pipeline import build_graph
    from kg.rdf import union_graph
    from kg.render import load_text

    found = {}
    for case in map(read_case, CASES):
        for path in (case["a"], case["b"]):
            if path not in found:
                graph = union_graph(build_graph([ROOT / path], toolkit, jobs=1).dataset)
                found[path] = network_to_side(graph_to_network(graph), path, load_text(), graph)
    return found


# --- the real pairs --------------------------------------------------------------------------------


def _case_param(path: Path):
    case = read_case(path)
    marks = [pytest.mark.xfail(reason=case["limit"], strict=True)] if "limit" in case else []
    return pytest.param(path, marks=marks, id=path.parent.name)


@pytest.mark.parametrize("path", [_case_param(p) for p in CASES])
def test_a_real_pair_is_compared_as_a_reader_compares_it(path, sides):
    case = read_case(path)
    diff = compare_sides(sides[case["a"]], sides[case["b"]], SPEC)
    found = {(p.a.label, p.b.label): p for p in diff.continued}
    assert set(found) == {(c["a"], c["b"]) for c in case.get("continued", [])}
    assert sorted(u.project.label for u in diff.new) == sorted(case["new"])
    assert sorted(u.project.label for u in diff.dropped) == sorted(case["dropped"])
    for expected in case.get("continued", []):
        changes = {c.facet: c for c in found[(expected["a"], expected["b"])].changes}
        for facet in expected.get("unchanged", []):
            assert facet not in changes, (expected["a"], facet, changes.get(facet))
        for facet, want in expected.items():
            if not isinstance(want, dict):
                continue
            change = changes.get(facet)
            assert change is not None, (expected["a"], facet, "no change found")
            for side in ("removed", "added"):
                got = set(getattr(change, side))
                if side in want:
                    assert got == set(want[side]), (expected["a"], facet, side, got)
                if f"{side}_include" in want:
                    assert got >= set(want[f"{side}_include"]), (expected["a"], facet, side, got)


def test_the_threshold_lies_between_the_continued_pairs_and_the_others(sides):
    """The default threshold, chosen on these pairs: every continued pair scores at least it,
    every pair of projects that is neither continued nor related (a split item) scores below."""
    continued, others = [], []
    for case in map(read_case, CASES):
        if "limit" in case:
            continue
        kept = {(c["a"], c["b"]) for c in case.get("continued", [])}
        related = {(r["a"], r["b"]) for r in case.get("related", [])}
        for x, y in itertools.product(sides[case["a"]].projects, sides[case["b"]].projects):
            score = compare_projects(x, y, SPEC)[0]
            if (x.label, y.label) in kept:
                continued.append((score, x.label, y.label))
            elif (x.label, y.label) not in related:
                others.append((score, x.label, y.label))
    assert max(others)[0] < SPEC.threshold <= min(continued)[0], (max(others), min(continued))
    # The figures docs/diff.md and kg/exports/diff.toml give.
    assert (min(continued)[0], max(others)[0]) == (0.423, 0.282)


# --- the matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, normal",
    [
        ("固定资产投资增长10%左右", "固定资产投资增长左右"),
        ("开展“剑网2022”专项行动", "开展剑网专项行动"),
        ("高質量建設嶗山實驗室", "高质量建设崂山实验室"),  # traditional script compares as simplified
        ("推进ＡＢ改革", "推进ab改革"),  # full-width Latin letters, folded
        ("（1）", ""),
    ],
)
def test_names_are_compared_by_their_letters_in_simplified_script(text, normal):
    assert normalise_name(text) == normal


def test_bigrams_of_a_name_of_one_letter_and_of_none():
    assert name_bigrams("改") == frozenset({"改"}) and name_bigrams("12%") == frozenset()
    assert name_bigrams("完善体系") == frozenset({"完善", "善体", "体系"})


def _project(label: str, ordinal: str = "", position: int = 0, **facts: tuple[str, ...]) -> ProjectRecord:
    values = tuple((name, tuple(facts.get(name, ()))) for name in ("leadPerson", "responsibleGroup", "leadUnit", "supportUnit", "deadline", "tier", "involvesLevel", "addressesProblem", "hasMeasure"))
    return ProjectRecord(f"urn:p:{label}:{position}", label, "doc", "urn:doc", ordinal, position, values, (Quote("urn:doc", position, position + len(label), label),))


def _side(*projects: ProjectRecord) -> Side:
    return Side("side", ("doc",), tuple(projects))


def test_the_best_pair_is_taken_first_and_each_project_once():
    a = _side(_project("推进基层治理改革", position=1), _project("推进基层治理体制改革", position=2))
    b = _side(_project("推进基层治理体制改革", position=1))
    diff = compare_sides(a, b, SPEC)
    assert [(p.a.label, p.b.label, p.score) for p in diff.continued] == [("推进基层治理体制改革", "推进基层治理体制改革", 0.8)]
    assert [(u.project.label, u.closest.label) for u in diff.dropped] == [("推进基层治理改革", "推进基层治理体制改革")]


def test_ties_go_to_the_projects_first_in_their_documents():
    a = _side(_project("推进甲改革", position=5), _project("推进甲改革", position=1))
    b = _side(_project("推进甲改革", position=3))
    (pair,) = compare_sides(a, b, SPEC).continued
    assert pair.a.position == 1


def test_shared_units_raise_a_score_and_a_threshold_decides():
    a = _project("完善财政体制", leadUnit=("区财政局",), hasMeasure=("编制预算",))
    b = _project("深化财政改革", leadUnit=("区财政局",))
    alone = dataclasses.replace(b, facts=tuple((k, ()) for k, _ in b.facts))
    score, name, shared = compare_projects(a, b, SPEC)
    # bigrams 财政 shared of 5 and 5; the unit shared of the unit and the measure
    assert (name, shared) == (0.2, 0.5) and score == round(0.8 * 0.2 + 0.2 * 0.5, 3) == 0.26
    assert compare_projects(a, alone, SPEC)[0] == 0.16
    assert compare_sides(_side(a), _side(b), SPEC, threshold=0.25).continued
    assert not compare_sides(_side(a), _side(alone), SPEC, threshold=0.25).continued
    assert not compare_sides(_side(a), _side(b), SPEC).continued  # below the default threshold


def test_a_unit_that_leads_one_year_and_supports_the_next_is_shared_and_changes_its_role():
    a = _project("完善财政体制", leadUnit=("區財政局",))
    b = _project("完善财政体制", supportUnit=("区财政局",))
    (pair,) = compare_sides(_side(a), _side(b), SPEC).continued
    assert pair.score == 1.0 and pair.common == ("区财政局",)
    assert {c.facet: (c.removed, c.added) for c in pair.changes} == {"leadUnit": (("區財政局",), ()), "supportUnit": ((), ("区财政局",))}


def test_one_project_on_both_sides_is_compared_by_what_each_side_says_of_it():
    """An edited plan built again keeps its projects' IRIs: what each side says still counts."""
    a = _project("完善财政体制", leadUnit=("甲局",))
    b = _project("完善财政体制", leadUnit=("乙局",))
    assert a.iri == b.iri
    (pair,) = compare_sides(_side(a), _side(b), SPEC).continued
    assert (pair.score, pair.shared) == (0.8, 0.0)
    assert [(c.facet, c.removed, c.added) for c in pair.changes] == [("leadUnit", ("甲局",), ("乙局",))]


@pytest.mark.parametrize(
    "text, words",
    [
        ("threshold = 0.35\n[weights]\nname = 0.8\nshared = 0.3\n[shared]\nleadUnit = 'unit'\n[compare]\nfacets = ['tier']\n", "add up to 1"),
        ("threshold = 2\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\nleadUnit = 'unit'\n[compare]\nfacets = ['tier']\n", "threshold: must be a number from 0 to 1"),
        ("threshold = 0.3\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\nleader = 'unit'\n[compare]\nfacets = ['tier']\n", "shared.leader: unknown key; the keys are: leadPerson"),
        ("threshold = 0.3\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\nleadUnit = 'unit'\n[compare]\nfacets = ['tiers']\n", "compare.facets: unknown relation 'tiers'"),
        ("threshold = 0.3\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\nleadUnit = 'unit'\n", "compare: missing"),
        ("threshold = 0.3\nthreshhold = 0.4\n", "threshhold: unknown key"),
        ("threshold = true\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\n[compare]\nfacets = ['tier']\n", "threshold: must be a number, got True"),
        ("threshold = 0.3\n[weights]\nname = 0.8\nshared = 0.2\n[shared]\n[compare]\nfacets = [['tier']]\n", "compare.facets: unknown relation"),
    ],
)
def test_a_mistake_in_diff_toml_names_the_file_and_the_key(tmp_path, text, words):
    path = tmp_path / "diff.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=words) as error:
        load_diff_spec(path)
    assert str(path) in str(error.value)


# --- the reports -----------------------------------------------------------------------------------


def test_markdown_and_the_page_keep_document_text_as_text():
    from kg.render import load_text, render_diff

    hostile = "<script>alert(1)</script>|甲\n乙"
    a = _project(hostile + "改革", "1", leadUnit=("<b>局</b>|",))
    b = _project(hostile + "改革", "1", leadUnit=("区局",))
    diff = compare_sides(_side(a), _side(b), SPEC)
    labels = {"leadUnit": {"zh": "牵头单位"}}
    markdown = diff_to_markdown(diff, load_text(), labels)
    assert "\\<script\\>alert(1)\\</script\\>\\|甲 乙改革" in markdown and "<script>" not in markdown
    for line in markdown.splitlines():  # no cell broken by "|" or a line break
        if line.startswith("| 1.000"):
            assert line.count(" | ") == 4
    page = render_diff(diff_to_page(diff, load_text(), labels)).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;局&lt;/b&gt;|" in page


def test_each_format_prints_to_stdout_and_the_summary_goes_to_stderr(capsys):
    for name in DIFF_FORMATS:
        capsys.readouterr()
        assert main(["diff", str(ROOT / NINGBO["a"]), str(ROOT / NINGBO["b"]), "--format", name]) == 0
        out, err = capsys.readouterr()
        assert out and err.strip() == "4 continued (4 changed), 2 new, 3 dropped"
    capsys.readouterr()
    assert main(["diff", str(ROOT / NINGBO["a"]), str(ROOT / NINGBO["b"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "| 0.736 | 3. 固定资产投资增长10%左右 | 3. 固定资产投资增长5.5% |" in out
    assert "| 牵头领导 | 陈仲朝 | 常务副市长 赵海滨 |" in out


def test_json_holds_scores_changes_and_evidence(capsys):
    data = diff_json(NINGBO["a"], NINGBO["b"], capsys)
    assert data["summary"] == {"continued": 4, "changed": 4, "new": 2, "dropped": 3}
    assert data["threshold"] == SPEC.threshold and data["weights"] == {"name": 0.8, "shared": 0.2}
    pair = next(p for p in data["continued"] if p["a"]["label"] == "居民消费价格涨幅3%左右")
    assert pair["score"] == 0.833 and pair["nameSimilarity"] == 1.0 and pair["shared"] == ["市发展和改革委员会"]
    assert {c["facet"]: c["added"] for c in pair["changes"]}["leadPerson"] == ["常务副市长 赵海滨"]
    text = (ROOT / NINGBO["b"]).read_text(encoding="utf-8")
    (evidence,) = pair["b"]["evidence"]
    assert text[evidence["start"] : evidence["end"]] == evidence["quote"] == "居民消费价格涨幅2%左右。"
    assert pair["b"]["ordinal"] == "4" and pair["b"]["iri"].startswith("https://w3id.org/reform-kg/id/project/")


# --- the RDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("diff") / "out"
    assert main(["diff", str(ROOT / NINGBO["a"]), str(ROOT / NINGBO["b"]), "--out", str(out)]) == 0
    return out


def test_out_writes_the_four_files_and_the_same_bytes_again(written, tmp_path):
    assert sorted(p.name for p in written.iterdir()) == ["diff.html", "diff.json", "diff.md", "diff.ttl"]
    again = tmp_path / "again"
    assert main(["diff", str(ROOT / NINGBO["a"]), str(ROOT / NINGBO["b"]), "--out", str(again)]) == 0
    for path in written.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_rdf_says_which_project_continues_which_with_its_score_and_both_sides_evidence(written):
    graph = Graph().parse(written / "diff.ttl")
    pairs = {(graph.value(b, RKG.ordinal), graph.value(a, RKG.ordinal)) for b, a in graph.subject_objects(RKG.continues)}
    assert {(int(b), int(a)) for b, a in pairs} == {(1, 1), (3, 3), (1, 4), (4, 5)}
    for statement in graph.subjects(RDF.predicate, RKG.continues):
        b, a = graph.value(statement, RDF.subject), graph.value(statement, RDF.object)
        assert (b, RKG.continues, a) in graph
        score = graph.value(statement, RKG.matchScore)
        assert score.datatype == XSD.decimal and 0.35 <= score.toPython() <= 1
        documents = {graph.value(e, RKG.inDocument) for e in graph.objects(statement, RKG.evidence)}
        assert documents == {graph.value(a, RKG.inDocument), graph.value(b, RKG.inDocument)} and len(documents) == 2
    assert graph.value(predicate=RKG.matchScore, object=Literal("0.833", datatype=XSD.decimal)) is not None


def test_the_rdf_validates_alone_and_beside_the_two_graphs(written, toolkit, assert_evidence_quotes):
    from kg.pipeline import build_graph
    from kg.rdf import union_graph
    from kg.validate import validate_graph

    diff = Graph().parse(written / "diff.ttl")
    report = validate_graph(diff)
    assert report.conforms and not report.undeclared, report.violations[:3]
    merged = union_graph(build_graph([ROOT / NINGBO["a"], ROOT / NINGBO["b"]], toolkit, jobs=1).dataset)
    before = len(merged)
    merged += diff
    # What the comparison adds: per pair, the triple and its statement (type, subject, predicate,
    # object, score, the evidence of each side); the rest are the graphs' own triples.
    assert len(merged) == before + 4 * (1 + 7)
    assert validate_graph(merged).conforms
    for path in (NINGBO["a"], NINGBO["b"]):  # offsets are the truth in the copied evidence too
        assert_evidence_quotes(_evidence_of(diff, path, toolkit), (ROOT / path).read_text(encoding="utf-8"))


def _evidence_of(graph: Graph, path: str, toolkit) -> Graph:
    """The evidence spans of ``graph`` that quote the document at ``path``."""
    from kg.ids import document_iri
    from kg.pipeline import build_graph

    document = document_iri(build_graph([ROOT / path], toolkit, jobs=1).documents[0].document)
    spans = Graph()
    for e in graph.subjects(RKG.inDocument, document):
        if (e, RDF.type, RKG.Evidence) in graph:
            spans += graph.triples((e, None, None))
    return spans


def test_the_named_query_lists_the_continued_projects(written):
    from kg.query import load_query, open_engine

    for engine in ("oxigraph", "rdflib"):
        result = open_engine(written / "diff.ttl", engine).run(load_query("continued-projects"))
        rows = [dict(zip(result.variables, (None if v is None else str(v) for v in row))) for row in result.rows]
        assert [(r["score"], r["projectA"], r["projectB"]) for r in rows][:2] == [("0.833", "居民消费价格涨幅3%左右", "居民消费价格涨幅2%左右"), ("0.736", "固定资产投资增长10%左右", "固定资产投资增长5.5%")]
        assert rows[0]["quoteA"] == "居民消费价格涨幅3%左右。" and rows[0]["ordinalB"] == "4"


# --- what kg diff reads --------------------------------------------------------------------------


def test_a_build_folder_is_read_as_its_documents_with_the_same_iris(tmp_path, capsys):
    assert main(["build", str(ROOT / NINGBO["a"]), "--out", str(tmp_path / "built"), "-q", "--no-validate"]) == 0
    from_documents = diff_json(NINGBO["a"], NINGBO["b"], capsys)
    from_build = diff_json(tmp_path / "built", NINGBO["b"], capsys)
    assert from_build["a"]["source"] == str(ROOT / tmp_path / "built")
    for key in ("continued", "new", "dropped", "summary"):
        assert from_build[key] == from_documents[key], key
    graph_file = diff_json(tmp_path / "built" / "graph.ttl", NINGBO["b"], capsys)
    assert graph_file["continued"] == from_documents["continued"]


def test_a_build_compared_with_itself_continues_everything_and_asserts_nothing(tmp_path, capsys):
    assert main(["build", str(ROOT / NINGBO["a"]), "--out", str(tmp_path / "built"), "-q", "--no-validate"]) == 0
    data = diff_json(tmp_path / "built", tmp_path / "built", capsys)
    assert data["summary"] == {"continued": 7, "changed": 0, "new": 0, "dropped": 0}
    assert all(p["score"] == 1.0 for p in data["continued"])
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "built"), str(tmp_path / "built"), "--format", "turtle"]) == 0
    assert (None, RKG.continues, None) not in Graph().parse(data=capsys.readouterr().out, format="turtle")


def test_folders_of_documents_are_sides_and_a_bad_one_among_them_is_named(tmp_path):
    """Each folder is one side, its documents' projects together; one that fails is named, the
    rest is compared, and the exit code says something failed."""
    for name, path in (("a/ningbo.txt", NINGBO["a"]), ("b/ningbo.txt", NINGBO["b"]), ("a/bad.txt", None)):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes((ROOT / path).read_bytes() if path else b"\x00\x01\x02")
    proc = run("diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0].startswith(f"error: {tmp_path / 'a' / 'bad.txt'}: ")
    data = json.loads(proc.stdout)
    assert data["summary"] == {"continued": 4, "changed": 4, "new": 2, "dropped": 3} and data["a"]["documents"] == ["ningbo.txt"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd or ROOT)


@pytest.mark.parametrize(
    "make, words",
    [
        pytest.param(lambda d: d / "missing.txt", "no such file or folder", id="missing"),
        pytest.param(lambda d: _write(d, "bin.txt", b"\x00\x01\x02" * 100), "bin.txt", id="binary"),
        pytest.param(lambda d: _write(d, "table.xlsx", b"PK\x03\x04"), "unsupported", id="not-a-document"),
        pytest.param(lambda d: _write(d, "letter.txt", "此致敬礼。\n".encode()), "no reform project found in it", id="no-project"),
        pytest.param(lambda d: _write(d, "empty.ttl", b""), "the graph holds no reform project", id="empty-graph"),
        pytest.param(lambda d: _write(d, "broken.ttl", b"this is not turtle ."), "cannot parse", id="broken-graph"),
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_writes_nothing(tmp_path, make, words):
    bad = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "diff.md").write_text("previous", encoding="utf-8")
    proc = run("diff", str(bad), str(ROOT / NINGBO["b"]), "--out", str(out))
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and bad.name in proc.stderr and words in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["diff.md"] and (out / "diff.md").read_text() == "previous"


def _write(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).write_bytes(data)
    return folder / name


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "x", "nan"])
def test_a_threshold_outside_0_to_1_is_a_usage_error(threshold):
    proc = run("diff", NINGBO["a"], NINGBO["b"], "--threshold", threshold)
    assert proc.returncode == 2 and "expected a number from 0 to 1" in proc.stderr and proc.stdout == ""


def test_the_output_folder_keeps_the_users_files_and_changes_in_one_step(written, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "diff.md").write_text("previous", encoding="utf-8")
    assert main(["diff", str(ROOT / NINGBO["a"]), str(ROOT / NINGBO["b"]), "--out", str(out)]) == 0
    assert (out / "notes.txt").read_text() == "mine" and (out / "diff.md").read_bytes() == (written / "diff.md").read_bytes()
    assert not list(tmp_path.glob(".out.building-*"))

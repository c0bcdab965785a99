"""The responsibility ledger (台账): output/ledger.csv and ledger.xlsx are the rows of the
responsibility-matrix query, column by column, with Chinese headers; the .xlsx is the same bytes
on every run.

Facts come from reading the Pingshan plan (data/pingshan-2017-reform-plan.txt) and the Huoshan
task table (tests/corpus/02-huoshan-devzone-2025-key-tasks.txt).
"""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.errors import RuleFileError
from kg.export import EXPORTERS, ExportSource, content_bytes
from kg.ledger import (
    LEDGER_PATH,
    cell_width,
    ledger_to_csv,
    ledger_to_xlsx,
    load_ledger_spec,
    result_to_ledger,
)
from kg.query import QueryResult, format_result, load_query, open_engine

ROOT = Path(__file__).resolve().parents[1]
PINGSHAN = ROOT / "data" / "pingshan-2017-reform-plan.txt"
HUOSHAN = ROOT / "tests" / "corpus" / "02-huoshan-devzone-2025-key-tasks.txt"
HEADERS = ["序号", "项目", "层次", "牵头领导", "专项小组", "牵头单位", "配合单位", "涉及层级", "针对问题", "完成时限", "来源文件", "原文", "IRI"]
# Each ledger column but 牵头领导 is one column of the query, as it is.
QUERY_COLUMN = {
    "序号": "ordinal",
    "项目": "project",
    "层次": "tier",
    "专项小组": "group",
    "牵头单位": "leadUnits",
    "配合单位": "supportUnits",
    "涉及层级": "levels",
    "针对问题": "problems",
    "完成时限": "deadline",
    "来源文件": "document",
    "原文": "quote",
    "IRI": "iri",
}


@pytest.fixture(scope="module")
def pingshan(toolkit):
    from kg.pipeline import build_graph

    return ExportSource(build_graph([PINGSHAN], toolkit, jobs=1).dataset)


@pytest.fixture(scope="module")
def ledger(pingshan):
    return pingshan.ledger_rows


@pytest.fixture(scope="module")
def trig(pingshan, tmp_path_factory) -> Path:
    """The Pingshan dataset as `kg build` writes graph.trig, for the commands."""
    path = tmp_path_factory.mktemp("ledger") / "graph.trig"
    path.write_bytes(content_bytes(EXPORTERS["trig"].write(pingshan)))
    return path


def by_project(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {row[1]: dict(zip(HEADERS, row)) for row in rows}


# --- the rows ------------------------------------------------------------------------------------


def test_the_columns_are_the_ledger_s_in_order():
    assert load_ledger_spec().headers == HEADERS


def test_a_row_per_pingshan_project_with_its_leader_problems_and_sentence(ledger):
    assert len(ledger) == 25 and all(len(row) == len(HEADERS) for row in ledger)
    rows = by_project(ledger)
    first = rows["深化基层治理体制改革"]
    assert (first["序号"], first["层次"], first["牵头领导"]) == ("1", "区主要领导牵头改革项目", "区委书记吕玉印")
    assert (first["涉及层级"], first["来源文件"]) == ("区、社区、街道", "pingshan-2017-reform-plan.txt")
    assert "居民自治活力不足" in first["针对问题"].split("、")
    assert "区委书记吕玉印亲自牵头" in first["原文"]
    second = rows["民生诉求渠道流程优化改革"]
    assert (second["序号"], second["牵头领导"]) == ("2", "区长陶永欣")
    assert "诉求处置不力" in second["针对问题"].split("、")
    eighth = rows["创新基层党建工作机制"]
    assert (eighth["序号"], eighth["专项小组"], eighth["牵头领导"]) == ("8", "党的建设制度改革专项小组", "")
    assert [row[0] for row in ledger[:9]] == [str(n) for n in range(1, 10)]
    assert all(row[0] == "" for row in ledger[9:])  # projects named only in prose have no number


def test_the_iri_joins_a_row_back_to_its_project_in_the_graph(ledger, pingshan):
    from rdflib import URIRef

    from kg.rdf import union_graph
    from kg.vocab import RKG

    graph = union_graph(pingshan.dataset)
    for row in ledger:
        iri = URIRef(row[HEADERS.index("IRI")])
        assert (iri, RDF.type, RKG.ReformProject) in graph and str(graph.value(iri, RDFS.label)) == row[1]


def test_the_sentences_are_the_document_s_own_in_text_order(ledger):
    text = PINGSHAN.read_text(encoding="utf-8")
    for row in ledger:
        quotes = row[HEADERS.index("原文")].split(" ‖ ")
        assert quotes[0] and len(set(quotes)) == len(quotes), row[1]
        starts = [text.index(quote) for quote in quotes]
        assert starts == sorted(starts) and all(quote in text for quote in quotes), row[1]
    first = by_project(ledger)["深化基层治理体制改革"]["原文"].split(" ‖ ")
    assert first[-1] == "深化基层治理体制改革牵头区领导:区委书记吕玉印"  # the item's title line, last in the text


def test_a_tasks_table_gives_lead_units_and_deadlines(toolkit):
    from kg.pipeline import build_graph

    rows = by_project(ExportSource(build_graph([HUOSHAN], toolkit, jobs=1).dataset).ledger_rows)
    assert len(rows) == 3
    row = rows["全力推进开发区“空间再造”"]
    # the document: "2 |\n全力推进开发区“空间再造”,… |\n马振明 |\n改革办 |\n全年 |"
    assert (row["序号"], row["牵头领导"], row["牵头单位"], row["完成时限"]) == ("2", "马振明", "改革办", "全年")
    assert "马振明 |\n改革办 |\n全年" in HUOSHAN.read_text(encoding="utf-8") and "马振明 |\n改革办 |\n全年" in row["原文"]
    assert rows["坚持服务跟着项目走"]["牵头单位"] == "安商工作部、招商工作部"  # code-point order, as the query joins


@pytest.mark.parametrize(
    "posts, names, leader",
    [
        ("区委书记", "吕玉印", "区委书记吕玉印"),
        ("区委书记", "", "区委书记"),
        ("", "马振明", "马振明"),
        ("", "", ""),
        ("区委书记、区长", "吕玉印", "区委书记、区长、吕玉印"),
        ("区长", "张三、李四", "区长、张三、李四"),
    ],
)
def test_the_leader_is_post_and_name(posts, names, leader):
    variables = ("document", "ordinal", "project", "tier", "leadPost", "leadPerson", "group", "leadUnits", "supportUnits", "deadline", "levels", "problems", "quote", "iri")
    values = {"leadPost": posts, "leadPerson": names}
    row = tuple(Literal(values[v]) if values.get(v) else None for v in variables)
    (ledger_row,) = result_to_ledger(QueryResult("SELECT", variables, (row,), None, None), load_ledger_spec())
    assert ledger_row[HEADERS.index("牵头领导")] == leader


# --- the CSV -------------------------------------------------------------------------------------


def query_rows(trig: Path, capsys) -> list[dict[str, str]]:
    """`kg query responsibility-matrix --format csv`, as dicts."""
    from kg.cli import main

    capsys.readouterr()
    assert main(["query", "responsibility-matrix", "--graph", str(trig), "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))


def test_csv_is_the_query_s_rows_column_by_column_with_a_bom(pingshan, trig, capsys):
    data = EXPORTERS["ledger-csv"].write(pingshan)
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == HEADERS
    matrix = query_rows(trig, capsys)
    assert len(rows) == len(matrix) == 25
    for row, source in zip(rows, matrix):
        cells = dict(zip(HEADERS, row))
        assert {h: cells[h] for h in QUERY_COLUMN} == {h: source[v] for h, v in QUERY_COLUMN.items()}
        assert cells["牵头领导"] == source["leadPost"] + source["leadPerson"]  # one post and one name at most, in Pingshan


def test_csv_quotes_what_needs_quoting():
    row = ["1", 'a "quoted", name', "", "", "", "", "", "", "", "", "doc.txt", "line one\nline two"]
    data = ledger_to_csv([row])
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))) == [HEADERS, row]


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_writes_no_cell_a_spreadsheet_would_run_as_a_formula(cell):
    """OWASP's CSV injection: a cell opening with = + - @ (or a tab or CR before one) is written
    after an apostrophe, which spreadsheets take as "text follows"."""
    row = ["1", cell, "", "", "", "", "", "", "", "", cell + ".txt", "正文"]
    data = ledger_to_csv([row])
    _, written = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert written[1] == written[10][: len(cell) + 1] == "'" + cell
    assert written[0] == "1" and written[11] == "正文"  # what starts no formula is as it was


def test_kg_export_writes_the_ledger(pingshan, trig, tmp_path):
    from kg.cli import main

    for name, path in (("ledger-csv", "ledger.csv"), ("ledger-xlsx", "ledger.xlsx")):
        assert EXPORTERS[name].path == path
        assert main(["export", "--format", name, "--graph", str(trig), "--out", str(tmp_path / path)]) == 0
        assert (tmp_path / path).read_bytes() == EXPORTERS[name].write(pingshan), name


def test_docs_export_examples_run(trig, tmp_path):
    """Every `kg export` command of the README and docs/ runs (on the Pingshan graph, into a folder
    of its own)."""
    from kg.cli import main
    from test_docs import doc_commands

    examples = [list(c.words[2:]) for c in doc_commands("kg", "export")]
    assert any("ledger-xlsx" in words for words in examples) and any("ledger-csv" in words for words in examples)
    for n, words in enumerate(examples):
        words = words[: words.index("|")] if "|" in words else words  # what a shell pipe does after kg is not kg's
        own = [w for i, w in enumerate(words) if w not in ("--graph", "--out") and (i == 0 or words[i - 1] not in ("--graph", "--out"))]
        assert main(["export", *own, "--graph", str(trig), "--out", str(tmp_path / str(n) / "ledger")]) == 0, words


# --- the workbook --------------------------------------------------------------------------------


def reload(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_reloads_to_the_same_rows_header_frozen_and_filtered(ledger):
    sheet = reload(ledger_to_xlsx(ledger))
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values == [HEADERS, *ledger]
    assert sheet.title == load_ledger_spec().sheet and sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["B2"].font.b
    assert sheet.auto_filter.ref == "A1:M26"
    assert sheet["A2"].value == 1 and sheet["A11"].value is None  # the number is a number; none is empty
    wrapped = {sheet.cell(1, n).value for n in range(1, 13) if sheet.cell(2, n).alignment.wrap_text}
    assert wrapped == {"针对问题", "原文"}


def test_xlsx_columns_are_as_wide_as_their_content(ledger):
    sheet = reload(ledger_to_xlsx(ledger))
    widths = {sheet.cell(1, n).value: sheet.column_dimensions[get_column_letter(n)].width for n in range(1, 13)}
    assert widths["序号"] == cell_width("序号") + 2 == 6
    assert widths["项目"] == max(cell_width(row[1]) for row in ledger) + 2 == 2 * len("生态旅游资源保护、开发利用机制体制改革") + 2
    assert widths["牵头领导"] == cell_width("区委书记吕玉印") + 2 == 16
    assert widths["原文"] == widths["针对问题"] == load_ledger_spec().max_width == 60  # capped
    assert cell_width("ab\n吕玉印") == 6  # the longest line


def test_xlsx_text_stays_text():
    """A document's words are never a formula, and characters XML cannot hold are replaced."""
    row = ["12", "=HYPERLINK(\"http://x\",\"y\")", "+1", "", "", "", "", "", "", "", "doc.txt", "bell\x07 here", "https://example.org/p"]
    sheet = reload(ledger_to_xlsx([row]))
    assert [sheet.cell(2, n).value for n in (1, 2, 3, 12)] == [12, row[1], "+1", "bell\ufffd here"]
    assert sheet["B2"].data_type == "s"


def test_xlsx_carries_no_clock_time(ledger):
    data = ledger_to_xlsx(ledger)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == sorted(names) and names[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core) == [("created", "1980-01-01T00:00:00Z"), ("modified", "1980-01-01T00:00:00Z")]
    assert ledger_to_xlsx(ledger) == data


def test_ledger_files_are_the_same_bytes_in_another_process(pingshan, trig):
    """Same graph, same bytes, whatever the hash seed of the process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("ledger-xlsx", "ledger-csv"):
        outputs = set()
        for seed in ("0", "4242"):
            proc = subprocess.run(
                [sys.executable, "-m", "kg", "export", "--format", name, "--graph", str(trig), "--out", "-"],
                env={**env, "PYTHONHASHSEED": seed},
                capture_output=True,
                cwd=ROOT,
            )
            assert proc.returncode == 0, proc.stderr.decode()
            outputs.add(proc.stdout)
        assert outputs == {EXPORTERS[name].write(pingshan)}, name


# --- the data file -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, words",
    [
        ('sheet = "', 'shit = "', "shit: unknown key; the keys are: query, sheet"),
        ('max_width = 60', 'max_width = "60"', "max_width: must be an integer, got '60'"),
        ('max_width = 60', 'max_width = 0', "max_width: must be at least 1"),
        ('combine = "post-name"', 'combine = "joined"', "columns[4].combine: unknown way 'joined'; the ways are: text, post-name"),
        ('from = ["leadPost", "leadPerson"]', 'from = ["leadPost"]', "columns[4].from: combine = 'post-name' takes 2"),
        ("wrap = true", 'wrap = "yes"', "columns[9].wrap: must be true or false"),
        ('header = "序号"', 'title = "序号"', "columns[1].title: unknown key"),
        ("max_width = 60", "max_width = = 60", "cannot read the ledger file"),
    ],
)
def test_a_bad_ledger_file_names_the_file_and_key(tmp_path, old, new, words):
    text = LEDGER_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ledger.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ledger_spec(path)
    assert str(path) in str(caught.value) and words in str(caught.value)


def test_a_column_the_query_does_not_give_is_named(pingshan, tmp_path):
    path = tmp_path / "ledger.toml"
    path.write_text(LEDGER_PATH.read_text(encoding="utf-8").replace('from = ["deadline"]', 'from = ["dueDate"]'), encoding="utf-8")
    result = open_engine(pingshan.dataset).run(load_query("responsibility-matrix"))
    with pytest.raises(RuleFileError, match=r"columns name dueDate, which query 'responsibility-matrix' does not give; it gives: document, ordinal"):
        result_to_ledger(result, load_ledger_spec(path))
    assert format_result(result, "csv")  # the query itself is fine


@pytest.mark.parametrize("module", ["ledger.py", "export.py"])
def test_chinese_is_data_not_code(module):
    """The headers and the separator are in kg/exports/ledger.toml; comments and docstrings may quote."""
    tree = ast.parse((ROOT / "kg" / module).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree) if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node) is not None}
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    assert not [text for text in literals if re.search(r"[\u3000-\u9fff\uff00-\uffef]", text)]

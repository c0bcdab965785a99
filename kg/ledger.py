"""The responsibility ledger (台账): the rows of the responsibility-matrix query as a spreadsheet
that a reform office keeps — ``output/ledger.csv`` and ``output/ledger.xlsx``.

The columns, their headers and the query columns each is made from are data, in
``kg/exports/ledger.toml``. The functions here are pure: a dataset gives rows of text, rows give
the bytes of a file, and the same rows give the same bytes (the .xlsx carries no clock time).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import RuleFileError
from .query import QueryEngine, QueryResult, display_width, load_query, text_cell
from .specs import check_keys, read_spec

LEDGER_PATH = Path(__file__).resolve().parent / "exports" / "ledger.toml"

# What the .xlsx says instead of the time it was written: a workbook records when it was created
# and modified, and a zip the time of each entry; 1980-01-01 is the earliest a zip can hold.
FIXED_TIME = datetime.datetime(1980, 1, 1)
_DIGITS = re.compile(r"[0-9]+")
# A sheet's name as Excel allows it: 1 to 31 characters, none of []:*?/\
_SHEET_NAME = re.compile(r"[^\[\]:*?/\\]{1,31}")


def _text(values: list[str], separator: str) -> str:
    (value,) = values
    return value


def _post_name(values: list[str], separator: str) -> str:
    """One post and one name read as one title: 区长 and 张三 → 区长张三. Otherwise the posts,
    then the names, joined by the separator; a post alone when no one is named."""
    posts, names = ([part for part in value.split(separator) if part] for value in values)
    if len(posts) == 1 and len(names) == 1:
        return posts[0] + names[0]
    return separator.join(posts + names)


# combine = "…" in ledger.toml → (how many query columns it takes, the function)
COMBINERS: dict[str, tuple[int, Callable[[list[str], str], str]]] = {
    "text": (1, _text),
    "post-name": (2, _post_name),
}


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    sources: tuple[str, ...]  # the query columns it is made from
    combine: str  # a key of COMBINERS
    number: bool  # digits are written as a number in the .xlsx
    wrap: bool  # long text wraps in the .xlsx


@dataclass(frozen=True)
class LedgerSpec:
    path: Path
    query: str
    sheet: str
    separator: str
    max_width: int
    columns: tuple[LedgerColumn, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


_SPEC_KEYS = {"query": str, "sheet": str, "separator": str, "max_width": int, "columns": list}
_COLUMN_KEYS = {"header": str, "from": list, "combine": str, "number": bool, "wrap": bool}


@lru_cache(maxsize=8)
def load_ledger_spec(path: Path = LEDGER_PATH) -> LedgerSpec:
    """Read and check ``ledger.toml``; a mistake names the file, the key and what it may be."""
    data, fail = read_spec(path, "ledger")
    check_keys(data, _SPEC_KEYS, "", set(_SPEC_KEYS), fail)
    if not _SHEET_NAME.fullmatch(data["sheet"]):
        raise fail("sheet", "a sheet name has 1 to 31 characters and none of []:*?/\\")
    if not data["separator"]:
        raise fail("separator", "must not be empty")
    if data["max_width"] < 1:
        raise fail("max_width", f"must be at least 1, got {data['max_width']}")
    if not data["columns"]:
        raise fail("columns", "the ledger needs at least one [[columns]] table")
    columns = []
    for number, entry in enumerate(data["columns"], 1):
        where = f"columns[{number}]"
        if not isinstance(entry, dict):
            raise fail(where, "each column is a [[columns]] table")
        check_keys(entry, _COLUMN_KEYS, f"{where}.", {"header", "from"}, fail)
        combine = entry.get("combine", "text")
        if combine not in COMBINERS:
            raise fail(f"{where}.combine", f"unknown way {combine!r}; the ways are: {', '.join(COMBINERS)}")
        sources = tuple(entry["from"])
        if len(sources) != COMBINERS[combine][0] or not all(isinstance(s, str) and s for s in sources):
            raise fail(f"{where}.from", f"combine = {combine!r} takes {COMBINERS[combine][0]} query column name(s), got {list(sources)!r}")
        columns.append(LedgerColumn(entry["header"], sources, combine, entry.get("number", False), entry.get("wrap", False)))
    return LedgerSpec(path, data["query"], data["sheet"], data["separator"], data["max_width"], tuple(columns))


# --- rows ------------------------------------------------------------------------------------


def result_to_ledger(result: QueryResult, spec: LedgerSpec) -> list[list[str]]:
    """The query's rows, each column made as ``spec`` says; an unbound value is empty text."""
    missing = sorted({s for column in spec.columns for s in column.sources} - set(result.variables))
    if missing:
        raise RuleFileError(
            f"columns name {', '.join(missing)}, which query {spec.query!r} does not give; it gives: {', '.join(result.variables)}",
            str(spec.path),
        )
    index = {variable: i for i, variable in enumerate(result.variables)}
    return [
        [
            COMBINERS[column.combine][1](["" if row[index[s]] is None else row[index[s]].value for s in column.sources], spec.separator)
            for column in spec.columns
        ]
        for row in result.cells
    ]


def engine_to_ledger(engine: QueryEngine) -> list[list[str]]:
    spec = load_ledger_spec()
    return result_to_ledger(engine.run(load_query(spec.query)), spec)


# --- files -----------------------------------------------------------------------------------


def ledger_to_csv(rows: list[list[str]], spec: LedgerSpec | None = None) -> bytes:
    """UTF-8 with a byte-order mark, by which Excel knows the Chinese is UTF-8; the header first.
    No cell is a formula (``text_cell``): document text and file names reach the sheet as text."""
    spec = spec or load_ledger_spec()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spec.headers)
    writer.writerows([text_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def cell_width(text: str) -> int:
    """Columns a cell needs: its longest line, a CJK character counting two."""
    return max((display_width(line) for line in text.splitlines()), default=0)


def ledger_to_xlsx(rows: list[list[str]], spec: LedgerSpec | None = None) -> bytes:
    """One sheet: the header bold, frozen and filtered; each column as wide as its content (up to
    ``max_width``); long text wrapped. Text is always text: a cell starting with "=" is no formula.
    Written row by row (openpyxl's write-only mode): a corpus's ledger has 100,000 rows, which
    as a worksheet's cells took 0.5 GB."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    spec = spec or load_ledger_spec()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.sheet)
    # What the sheet says of its columns comes before its rows.
    for column_number, column in enumerate(spec.columns, 1):
        widest = max([cell_width(column.header)] + [cell_width(row[column_number - 1]) for row in rows])
        sheet.column_dimensions[get_column_letter(column_number)].width = min(widest + 2, spec.max_width)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{len(rows) + 1}"
    header = [WriteOnlyCell(sheet, text) for text in spec.headers]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    top, wrapped = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for row in rows:
        cells = []
        for column, text in zip(spec.columns, row, strict=True):
            cell = WriteOnlyCell(sheet)
            cell.alignment = wrapped if column.wrap else top
            if column.number and _DIGITS.fullmatch(text):
                cell.value = int(text)
            elif text:
                # XML cannot hold control characters, which a PDF's text layer may have.
                cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the workbook with the time of saving.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()
    return _zip_without_times(buffer.getvalue())


def _zip_without_times(data: bytes) -> bytes:
    """The same zip, its entries in name order with one fixed time and mode: zipfile stamps each
    entry with the clock and the platform."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist()):  # "[Content_Types].xml" sorts first, where readers look
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()

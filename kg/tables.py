"""Find tables in a document's lines and turn them into rows of typed cells, keeping offsets.

Tables reach us in several shapes, each with its own reader (``TABLE_READERS``):

- ``box``: box-drawing tables ("│工作任务│分管领导│…"), where a cell runs over several lines and
  a cell of one column (a leader) may span several rows of another;
- ``cell_lines``: tables flattened to one cell per line, each ending in "|" (text copied from a
  web page: "序号 |", "重点工作 |", …);
- ``leading_pipes``: the same with each cell's pipe before it ("| 目标任务"), a lone pipe closing
  each row;
- ``pipe_rows``: one row per line, cells separated by "|" (how ``kg.load`` writes HTML and Word
  tables);
- ``spaced``: a header line of column names separated by spaces, then rows that start with
  their number ("1 行政确认 某某证核发");
- ``glued``: a copy that glued the cells together with nothing between them, the header's names
  ("序号工作内容责任单位") and each row after its number ("1将甲…。市甲局、市乙局2完善…");
  ``bare_cells`` and ``unnumbered_cells``, a cell a line with no marks, are described at their
  readers.

A column's role comes from its header through the genre's ``[columns]`` table: the longest
cue contained in the header wins ("分 管 县领导" → lead). A cell is the stretches of text it is
made of, so every piece keeps ``document.text[start:end] == text``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Callable, Mapping

from .model import Cell, Span
from .script import HAN_CLASS

# Box-drawing characters: vertical ones separate cells; a piece made only of horizontal ones
# is a border that closes the cell above it.
BOX_VERTICAL = "│┃║├┤┼┌┐└┘┬┴╠╣╬╔╗╚╝╦╩┝┥┠┨┿"
BOX_HORIZONTAL = "─━═┄┈-－ "
PIPE = "|｜"
PIPE_CHARACTER = re.compile(f"[{re.escape(PIPE)}]")
# A header must name at least this many columns we know.
MIN_KNOWN_COLUMNS = 2
# A row of a spaced table holds at most this many lines of flattened cells.
MAX_ROW_LINES = 60
# Marks a table sets by the unit that leads, among the units of one cell ("★区甲委、乙局").
LEAD_MARKS = "★☆*＊"
# A column's name is short: "责任单位（第一为牵头单位）", not a news headline with a pipe before it.
MAX_HEADER_CHARS = 20
# A flattened table has at least this many cell lines.
MIN_CELL_LINES = 4
# Rows a table's title may take before its header.
MAX_TITLE_ROWS = 2
# Numbered cells that head the rows below them in a grid: "一、…" (1) and "（一）…" (2), not "1." (3).
MAX_HEADING_DEPTH = 2
# A grid cut short at its end is read as one from this many rows.
MIN_GRID_ROWS = 2
# A cell copied a line a name ("市医保局" / "市卫健委" / …) holds at most this many lines.
MAX_CELL_RUN = 12


@dataclass(frozen=True)
class TableRules:
    """What the readers need from a genre: column roles by header cue (longest first), the
    marks that open each task in a cell holding several, and the lines that open a new section
    (a table's last row stops there)."""

    columns: Mapping[str, str]
    bullets: str = ""
    section: re.Pattern | None = None  # a line opening a new top-level section: "二、…"
    # The genre's label grammar: a header it reads as a whole label takes that label's field
    # ("协同责任单位" supports, though it contains "责任单位").
    label_field: Callable[[str], str | None] | None = None
    heading: re.Pattern | None = None  # a numbered line that may head rows: "（一）…"
    # The depth of a numbered cell ("一、" → 1, "（一）" → 2, "1." → 3), None if it is not numbered.
    depth_of: Callable[[str], int | None] | None = None
    # Whether a name is a unit's ("区发改局"): the genre's bracket grammar says.
    is_unit: Callable[[str], bool] | None = None
    # Whether a text says who does a task, as a bracket's inside does ("市甲局牵头落实", "甲局、乙局").
    says_who: Callable[[str], bool] | None = None
    # A row's number in a glued table (``read_glued``): "1将…", not "2月" or "3个".
    glued_row: re.Pattern | None = None


@dataclass(frozen=True)
class Row:
    span: Span  # the lines the row occupies
    cells: tuple[Cell, ...]
    heading: bool = False  # a line across the table that heads the rows below it: "（一）某某牵头重点工作"


@dataclass(frozen=True)
class Table:
    first: int  # index of its first line
    stop: int  # index after its last line
    rows: tuple[Row, ...]


def column_role(header: str, rules: TableRules) -> str:
    """The role of a column from its header: the field of the label it is, else the longest
    known cue it contains, else "other"."""
    compact = re.sub(r"\s+", "", header)
    if len(compact) > MAX_HEADER_CHARS:  # a sentence, not a column's name
        return "other"
    field = rules.label_field(compact) if rules.label_field else None
    if field:
        return field
    for cue, role in rules.columns.items():  # longest first
        if cue in compact:
            return role
    return "other"


def _strip(span: Span) -> Span | None:
    text = span.text
    left = len(text) - len(text.lstrip())
    body = text.strip()
    return Span(span.start + left, span.start + left + len(body), body) if body else None


def _cell(role: str, pieces: list[Span]) -> Cell:
    return Cell(role, tuple(p for p in pieces if p.text))


def _row(cells: list[Cell]) -> Row | None:
    pieces = [p for c in cells for p in c.pieces]
    if not pieces:
        return None
    start, end = min(p.start for p in pieces), max(p.end for p in pieces)
    return Row(Span(start, end, ""), tuple(cells))


RESPONSIBILITY_ROLES = ("lead", "leadUnit", "unit", "supportUnit")


def _task_column(roles: list[str]) -> list[str]:
    """A header that names who does the work but no task column ("序号 | 民生实事 | 责任单位 |
    完成时限", "内容与要求"): its first column no cue names after the number holds the tasks,
    and columns before the number are categories ("目标 | 序号 | 任务 | …")."""
    if "project" in roles or not any(r in RESPONSIBILITY_ROLES for r in roles) or "other" not in roles:
        return roles
    roles = list(roles)
    number = roles.index("ordinal") if "ordinal" in roles else -1
    free = [k for k, role in enumerate(roles) if role == "other"]
    task = next((k for k in free if k > number), free[0])
    for k in free:
        if k < min(task, number):
            roles[k] = "category"
    roles[task] = "project"
    return roles


def _known(roles: list[str]) -> bool:
    return sum(1 for r in roles if r != "other") >= MIN_KNOWN_COLUMNS and "project" in roles


# --- a cell per line, with pipes ----------------------------------------------------------

# A row's number as a cell of its own: "1", "12", "1*" (a mark some tables add to a number).
_ROW_NUMBER = re.compile(r"^[0-9]{1,3}\*?$")
# A line that is pipes only: "|", "||||".
_PIPES_ONLY = re.compile(f"^[{re.escape(PIPE)}\\s]+$")
# A header cell: at most this long, or a known column.
HEADER_CELL_CHARS = 8


def _cell_line(line: Span) -> Span | None:
    """ "重点工作 |" → "重点工作"; None if the line is not one cell."""
    text = line.text.rstrip()
    if not text or text[-1] not in PIPE or any(p in text[:-1] for p in PIPE):
        return None
    return _strip(Span(line.start, line.start + len(text) - 1, text[:-1])) or Span(line.start, line.start, "")


def _cell_run(lines: list[Span], at: int) -> tuple[list[Span], int]:
    """The lines, from ``at``, that make one cell of several: those without a pipe up to a line
    of pipes only ("市医保局" / "市卫健委" / "|"), or up to and with a line the cell's pipe closes
    ("附件2" / "关于…" / "…责任分工 |"), at most MAX_CELL_RUN; and the index of the line of
    the pipe. No lines where no such line ends them."""
    for k in range(at, min(at + MAX_CELL_RUN, len(lines))):
        if PIPE_CHARACTER.search(lines[k].text) is None:
            continue
        if _PIPES_ONLY.match(lines[k].text):
            return lines[at:k], k
        last = _cell_line(lines[k])
        return (lines[at:k] + [last], k + 1) if last is not None and last.text and k > at else ([], at)
    return [], at


def _stream(lines: list[Span], at: int) -> tuple[list[Span | str], int, dict[int, list[Span]]]:
    """The pipes and cell texts of a table copied with a cell per line: "重点工作 |" lines, "|"
    lines between cells or on their own (an empty cell), "| 甲 | 乙 |" lines. Returns the tokens
    (a Span for a cell's text, "|" for a pipe), the index after the last line read, and the lines
    that continue a cell of several lines (a list of units a line), by the start of its first."""
    tokens: list[Span | str] = []
    more: dict[int, list[Span]] = {}
    stop = at
    while stop < len(lines):
        line = lines[stop]
        has_pipe = PIPE_CHARACTER.search(line.text) is not None
        run, after = ([], stop) if has_pipe or not tokens else _cell_run(lines, stop)
        if len(run) > 1:
            tokens.append(line)
            more[line.start] = run[1:]
            if PIPE_CHARACTER.search(lines[after - 1].text):
                tokens.append("|")  # the pipe that closes the cell's last line
            stop = after
            continue
        after_pipe = stop + 1 < len(lines) and _PIPES_ONLY.match(lines[stop + 1].text) is not None
        if not has_pipe and not after_pipe:
            break
        if len([p for p in PIPE_CHARACTER.split(line.text) if p.strip()]) > 1:
            break  # "甲 | 乙": a row a line (read_pipe_rows)
        begin = 0
        for pipe in PIPE_CHARACTER.finditer(line.text):
            cell = _strip(Span(line.start + begin, line.start + pipe.start(), line.text[begin : pipe.start()]))
            if cell:
                tokens.append(cell)
            tokens.append("|")
            begin = pipe.end()
        cell = _strip(Span(line.start + begin, line.end, line.text[begin:]))
        if cell:
            tokens.append(cell)
        stop += 1
    return tokens, stop, more


def _continued(table: Table | None, more: dict[int, list[Span]]) -> Table | None:
    """The table with each cell of several lines given its further lines: a cell of who does
    the work holds a name a line, each a cell of its own; any other cell is one text."""
    if table is None or not more:
        return table
    rows = []
    for row in table.rows:
        cells: list[Cell] = []
        for cell in row.cells:
            lines = more.get(cell.pieces[0].start, []) if cell.pieces else []
            if cell.role in RESPONSIBILITY_ROLES:
                cells += [cell, *(_cell(cell.role, [line]) for line in lines)]
            else:
                cells.append(Cell(cell.role, (*cell.pieces, *lines)))
        rows.append(Row(row.span, tuple(cells), row.heading))
    return Table(table.first, table.stop, tuple(rows))


def _with_headings(cells: list[Span | None], width: int, rules: TableRules) -> tuple[list[list[Span | None]], bool] | None:
    """Cells after the header cut into rows of its width, where a numbered heading ("一、…") that
    stands between two rows is a row of its own, and whether the last row is cut short (the copy
    ends inside it); None if there are no whole rows."""
    rows: list[list[Span | None]] = []
    current: list[Span | None] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        k += 1
        depth = rules.depth_of(cell.text) if cell is not None and rules.depth_of is not None else None
        heading = not current and depth is not None and depth <= MAX_HEADING_DEPTH and len(cell.text) <= HEADING_CHARS
        if heading:
            rows.append([cell])
            if all(c is None for c in cells[k : k + width - 1]):
                k += width - 1  # the heading's row padded to the header's width
            continue
        current.append(cell)
        if len(current) == width:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return (rows, bool(current)) if any(len(row) == width for row in rows) else None


def _stream_cells(tokens: list[Span | str]) -> tuple[list[list[Span | None]], bool]:
    """Rows of cells (None for an empty one). Where every row opens with a pipe ("| 甲 | 乙 |"),
    two pipes together end a row and open the next; otherwise one long row, a pipe after each
    cell and a lone pipe an empty cell, to be cut by its row numbers."""
    leading = bool(tokens) and tokens[0] == "|"
    rows: list[list[Span | None]] = [[]]
    previous: Span | str | None = None
    for token in tokens:
        if token == "|":
            if previous == "|":
                if leading:
                    rows.append([])
                else:
                    rows[-1].append(None)
        else:
            rows[-1].append(token)
        previous = token
    return [r for r in rows if r], leading


def read_cell_lines(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A table copied from a web page with a cell per line and pipes: "重点工作 |" lines, pipes on
    lines of their own, or "| 甲 |" rows split over lines. The header is its first cells that
    name columns; rows are cut at their numbers (the 序号 column), or, where every row opens with a
    pipe, at two pipes together. A leading column a row leaves empty spans rows above it (a
    category such as 工作任务 over several tasks): each row takes it from the row above, and such
    a column is the rows' tier, the task being the next unnamed column."""
    if PIPE_CHARACTER.search(lines[at].text) is None and column_role(lines[at].text, rules) == "other":
        return None  # a line before the table ("附件:"), not its first cell: the table starts below
    tokens, stop, more = _stream(lines, at)
    if sum(1 for t in tokens if t == "|") < MIN_CELL_LINES:
        return None
    return _continued(_cell_line_table(tokens, at, stop, rules), more)


def _cell_line_table(tokens: list[Span | str], at: int, stop: int, rules: TableRules) -> Table | None:
    """The table the pipes and cells of ``_stream`` make (see ``read_cell_lines``)."""
    rows, leading = _stream_cells(tokens)
    if leading:
        # A title over the table, a row of its own ("| 某某项目清单 |"), comes before the header.
        header_at = next((k for k, row in enumerate(rows[:MAX_TITLE_ROWS + 1]) if _known(_task_column([column_role(c.text, rules) for c in row if c is not None]))), 0)
        rows = rows[header_at:]
    if not rows:
        return None
    cells = [c for row in rows for c in row] if not leading else rows[0]
    # Rows that open with a pipe show where the header row ends; otherwise it is worked out.
    header = [c for c in rows[0] if c is not None] if leading else _header(cells, rules)
    roles = _task_column([column_role(c.text, rules) for c in header])
    if len(header) < 2 or not _known(roles):
        return None
    if leading:
        # An empty cell is two pipes together too ("| 甲 | | 乙 |" a cell a line): a row short of
        # the header's cells, then one that opens with no row number, are one row with a gap.
        joined: list[list[Span | None]] = []
        for row in rows[1:]:
            if joined and "ordinal" in roles and not _is_number(row[0]) and _is_number(joined[-1][0]) and len(joined[-1]) + len(row) < len(header):
                joined[-1] = [*joined[-1], None, *row]
            else:
                joined.append(list(row))
        rows = [rows[0], *joined]
        after = [c for row in rows[1:] for c in row]
    else:
        last = cells.index(header[-1])
        after = cells[last + 1 :]
    numbered = _rows_by_number(after, len(header), "ordinal" in roles)
    if numbered is not None and len(numbered[0]) < 2 and "ordinal" in roles and not leading:
        # One number in a long run: the rows are not numbered alike; cut by the header's width.
        body = [after[k : k + len(header)] for k in range(0, len(after), len(header))]
        return _merged_rows(body, roles, rules, at, stop)
    elif numbered is not None:
        body, lead = numbered
        if "ordinal" not in roles:
            roles = roles[:lead] + ["ordinal"] + roles[lead:]
    elif leading:
        body = [list(row) for row in rows[1:]]
    elif after and (grid := _with_headings(after, len(header), rules)) is not None and (not grid[1] or len(grid[0]) > MIN_GRID_ROWS):
        # No row numbers, but every row padded to the header's width with empty cells: a grid,
        # with numbered headings between its rows ("一、…" as a cell of its own), its last row
        # cut short where the copy is.
        return _merged_rows(grid[0], roles, rules, at, stop, cut=grid[1])
    elif after and len(after) % len(header) == 0:
        body = [after[k : k + len(header)] for k in range(0, len(after), len(header))]
        return _merged_rows(body, roles, rules, at, stop)
    else:
        return None
    return _spanning_rows(body, roles, at, stop)


def _is_number(cell: Span | None) -> bool:
    return cell is not None and _ROW_NUMBER.match(cell.text) is not None


# A cell of figures: "1100", "96.64%", "-" (a progress table's counts and rates).
_FIGURE = re.compile(r"^[-－—]$|^[0-9]+(?:\.[0-9]+)?[%％]?$")
# Numbers a row may skip (rows cut from a copy, numbers missed).
MAX_ROW_GAP = 3


def _row_numbers(cells: list[Span | None]) -> list[int]:
    """Where the rows' numbers are: numbers that count up from the first (skipping at most
    MAX_ROW_GAP), each followed by a cell that is no figure. A progress table's counts ("1100",
    "4", "7") are cells, not rows."""
    found: list[int] = []
    last = 0
    for k, cell in enumerate(cells):
        if not _is_number(cell):
            continue
        value = int(cell.text.rstrip("*"))
        following = next((c for c in cells[k + 1 :] if c is not None), None)
        if found and not last < value <= last + MAX_ROW_GAP:
            continue
        if following is not None and _FIGURE.match(following.text):
            continue
        found.append(k)
        last = value
    return found


def _header(cells: list[Span | None], rules: TableRules) -> list[Span]:
    """The header's cells: those before the first row number less the first row's leading cells.

    With rows numbered, the cells between two numbers are the columns after the number column
    (at least; more where the next row's leading cells stand there too), so the fewest between
    two numbers is how many columns follow the number, and what stands before the first number
    is the header and the first row's leading cells: as many columns lead in a row as in the
    header. Without numbers: the cells that name columns or are short enough to be names.
    """
    texts = [c for c in cells if c is not None]
    numbers = _row_numbers(texts)
    if len(numbers) >= 2:
        trail = min(b - a - 1 for a, b in zip(numbers, numbers[1:]))
        before = numbers[0]
        numbered = any(column_role(c.text, rules) == "ordinal" for c in texts[:before])
        lead2 = before - trail - (1 if numbered else 0)  # twice the leading columns
        if trail >= 1 and lead2 >= 0 and lead2 % 2 == 0:
            return texts[: before - lead2 // 2]
    header = []
    for cell in texts:
        role = column_role(cell.text, rules)
        if cell.text.isdecimal() or (role == "other" and len(cell.text) > HEADER_CELL_CHARS):
            break
        if role == "other" and rules.depth_of is not None and rules.depth_of(cell.text) is not None:
            break  # "一、强化监管": a heading over the first rows
        header.append(cell)
    return header


def _rows_by_number(cells: list[Span | None], width: int, numbered_header: bool) -> tuple[list[list[Span | None]], int] | None:
    """Cut a run of cells into rows at its row numbers. A row is its leading cells (before the
    number; None where the row above spans it), the number, and as many cells after it as the
    header has columns after the number column. Returns the rows and how many leading cells."""
    numbers = _row_numbers(cells)
    if not numbers:
        return None
    lead = sum(1 for c in cells[: numbers[0]] if c is not None)
    trail = width - lead - (1 if numbered_header else 0)
    if trail < 1:
        return None
    rows = []
    for k, at in enumerate(numbers):
        before = [c for c in cells[(numbers[k - 1] + 1 + trail if k else 0) : at]]
        before = ([None] * lead + [c for c in before if c is not None])[-lead:] if lead else []
        # A row ends where the next begins (its leading cells before its number).
        end = min(at + 1 + trail, numbers[k + 1] - lead) if k + 1 < len(numbers) and not lead else at + 1 + trail
        after = cells[at + 1 : end]
        rows.append([*before, cells[at], *after])
    return rows, lead


def _spanning_rows(body: list[list[Span | None]], roles: list[str], at: int, stop: int) -> Table | None:
    """Rows of typed cells; a row shorter than the header, or with empty leading cells, takes
    the leading cells of the row above (cells spanning rows); the last row, where it opens with its
    number, is cut short instead. A leading column that spans is a category: the rows' tier, and
    the task is then the first column no cue names."""
    width = len(roles)
    full: list[list[Span | None]] = []
    spans = [0] * width  # how many rows of each column take their cell from the row above
    for n, row in enumerate(body):
        if n == len(body) - 1 and n and len(row) < width and row and _is_number(row[0]) and any(_is_number(r[0]) for r in body[:-1] if r):
            # The last row, cut short by the end of the copy, opens with its own number: its cells
            # are the first columns', none of the row above.
            full.append(list(row) + [None] * (width - len(row)))
            continue
        row = [None] * (width - len(row)) + list(row) if len(row) < width else list(row[:width])
        # The empty cells a row opens with are those the row above spans.
        for k in range(width):
            if row[k] is not None:
                break
            if full and full[-1][k] is not None:
                row[k] = full[-1][k]
                spans[k] += 1
        full.append(row)
    roles = list(roles)
    for k, spanned in enumerate(spans):
        if spanned and roles[k] == "project":
            roles[k] = "category"
            free = next((j for j in range(k + 1, width) if roles[j] == "other"), None)
            if free is not None:
                roles[free] = "project"
    if not _known(roles):
        return None
    rows = []
    for cells in full:
        if not any(c is not None and roles[k] == "project" for k, c in enumerate(cells)):
            continue
        row = _row([_cell(role, [c] if c is not None else []) for role, c in zip(roles, cells)])
        if row:
            rows.append(row)
    return Table(at, stop, tuple(rows)) if rows else None


# --- rows that leave out the cells of the rows above ----------------------------------------

# A cell this long or shorter, with no sentence end, is a name (a unit, a leader, a deadline).
NAME_CELL_CHARS = 30
# Short rows of a table wider than this are placed at its right, not cell by cell.
MAX_PLACED_COLUMNS = 10
_EMPTY = Span(0, 0, "")


def _shape(cell: Span | None, rules: TableRules) -> str:
    """What a cell looks like: a row number, a numbered heading or item of some depth, a name, a
    sentence."""
    if cell is None or not cell.text:
        return "empty"
    if _ROW_NUMBER.match(cell.text):
        return "number"
    depth = rules.depth_of(cell.text) if rules.depth_of else None
    if depth is not None:
        return f"numbered{depth}"
    return "name" if len(cell.text) <= NAME_CELL_CHARS and not re.search("[。；;]", cell.text) else "text"


def _place(row: list[Span | None], profiles: list[Counter], rules: TableRules) -> list[Span | None]:
    """A short row's cells in the columns whose cells in full rows are shaped like them (in
    order, the columns furthest right where shapes do not decide); None in the columns left out."""
    width = len(profiles)
    if width > MAX_PLACED_COLUMNS:
        return [None] * (width - len(row)) + row
    shapes = [_shape(cell, rules) for cell in row]
    best = max(combinations(range(width), len(row)), key=lambda columns: (sum(profiles[k][shape] for k, shape in zip(columns, shapes)), columns))
    placed: list[Span | None] = [None] * width
    for k, cell in zip(best, row):
        placed[k] = cell
    return placed


def _merged_rows(body: list[list[Span | None]], roles: list[str], rules: TableRules, at: int, stop: int, cut: bool = False) -> Table | None:
    """Rows of typed cells from a table copied from HTML, where a cell that spans several rows
    is written in the first of them only and the rows below it are short.

    Each cell of a short row goes to the column whose cells in full rows are shaped like it (a
    row number, a numbered heading "一、", a numbered item "1.", a name, a sentence; ``_shape``),
    and the columns it leaves out take the cells of the row above. A row of one numbered cell,
    shaped like no cell of the first column, is a heading across the table over the rows below
    it. Then columns are read by what they hold: one of row numbers only is the ordinal; one of
    numbered headings that spans rows is a category (the rows' tier); where the task column
    was either, the first column no header names holds the tasks. The last row of a copy ``cut``
    short fills the first columns."""
    width = len(roles)
    rows_in = [[cell if cell is not None else _EMPTY for cell in _trim(row)] for row in body]
    # Full rows are those of the header's width, or where a last column is empty in every row
    # ("备注"), the widest there are.
    widest = max((len(row) for row in rows_in), default=0)
    full = [row for row in rows_in if len(row) == widest]
    profiles = [Counter(_shape(row[k], rules) for row in full if k < len(row)) for k in range(width)]
    grid: list[list[Span | None] | Span] = []  # a row's cells, or the span of a heading row
    spans = [0] * width  # how many rows of each column take their cell from the row above
    above: list[Span | None] | None = None
    for n, row in enumerate(rows_in):
        if not row:
            continue
        if cut and n == len(rows_in) - 1:
            # Cut short, the row has its first cells only, and none of the row above.
            grid.append(row + [None] * (width - len(row)))
            continue
        shape = _shape(row[0], rules)
        if len(row) == 1 < width and shape.startswith("numbered") and not profiles[0][shape]:
            grid.append(row[0])
            above = None  # no cell spans a row across the table
            continue
        placed = _place(row, profiles, rules) if len(row) < width else list(row[:width])
        for k in range(width):
            if placed[k] is None and above is not None:
                placed[k] = above[k]
                spans[k] += 1
        grid.append(placed)
        above = placed
    cells_of = [[row[k] for row in grid if isinstance(row, list) and row[k] is not None and row[k].text] for k in range(width)]
    roles = list(roles)
    for k, cells in enumerate(cells_of):
        shapes = Counter(_shape(cell, rules) for cell in cells)
        if set(shapes) == {"number"} and roles[k] in ("other", "project", "ordinal"):
            roles[k] = "ordinal"
            # A number over several rows numbers the category they share, not each task.
            if spans[k]:
                for row in grid:
                    if isinstance(row, list) and row[k] is not None:
                        row[k] = None
            continue
        if roles[k] not in ("other", "project") or not shapes:
            continue
        # A task column spans rows where most of its cells do: a category over tasks ("工作任务"
        # over several 细化分工); one short row placed amiss is no reason.
        if spans[k] and ((roles[k] == "project" and 2 * spans[k] >= len(cells)) or shapes.most_common(1)[0][0].startswith("numbered")):
            roles[k] = "category"
    if "project" not in roles:
        free = next((k for k, role in enumerate(roles) if role == "other" and cells_of[k]), None)
        if free is None:
            return None
        roles[free] = "project"
    if not _known(roles):
        return None
    rows = []
    for row in grid:
        if isinstance(row, Span):
            rows.append(Row(row, (), heading=True))
            continue
        if not any(c is not None and c.text and roles[k] == "project" for k, c in enumerate(row)):
            continue
        typed = _row([_cell(role, [c] if c is not None else []) for role, c in zip(roles, row)])
        if typed:
            rows.append(typed)
    return Table(at, stop, tuple(rows)) if any(not r.heading for r in rows) else None


# --- a cell per line, its pipe before it --------------------------------------------------


def read_leading_pipes(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A table copied from a web page with each cell's pipe before it: a row's first cell on
    lines of their own ("市政" / "府办" / "公厅", one name wrapped), then a line for each further
    cell ("| 目标任务"), and a lone pipe that closes the row; lone pipes before that one are
    empty cells ("| 雁塔区" / "|" / "|": an empty 备注). The header is the first row. A row short
    of cells leaves out its first columns, whose cells of a row above span it (a 牵头单位 over
    several tasks), or, a row of one cell, all but its task; the last row of a copy cut short
    has its first cells only."""
    rows: list[list[Span | None]] = []
    more: dict[int, list[Span]] = {}
    k, cut = at, False
    while k < len(lines):
        first = k
        while k < len(lines) and k - first < MAX_CELL_RUN and PIPE_CHARACTER.search(lines[k].text) is None:
            k += 1
        if k == first or k >= len(lines) or not (_opens_cell(lines[k]) or (rows and _PIPES_ONLY.match(lines[k].text))):
            k = first
            break
        row: list[Span | None] = [lines[first]]
        if k - first > 1:
            more[lines[first].start] = lines[first + 1 : k]
        while k < len(lines) and _opens_cell(lines[k]):
            row.append(_strip(Span(lines[k].start + 1, lines[k].end, lines[k].text[1:])))
            k += 1
        closing = 0
        while k < len(lines) and _PIPES_ONLY.match(lines[k].text):
            closing += 1
            k += 1
        rows.append(row + [None] * max(closing - 1, 0))
        if not closing:
            cut = True  # the copy ends inside the row, or the table does
            break
    if len(rows) < 3:
        return None
    header = [c for c in rows[0] if c is not None]
    roles = _task_column([column_role(c.text, rules) for c in header])
    if len(header) < 2 or len(header) != len(rows[0]) or not _known(roles):
        return None
    body: list[list[Span | None]] = []
    for n, row in enumerate(rows[1:], 1):
        missing = len(header) - len(row)
        if missing > 0 and body and not (cut and n == len(rows) - 1):
            task = roles.index("project")
            row = body[-1][:task] + row + body[-1][task + 1 :] if len(row) == 1 else body[-1][:missing] + row
        body.append(row)
    return _joined(_merged_rows(body, roles, rules, at, k, cut=cut), more)


def _opens_cell(line: Span) -> bool:
    """ "| 目标任务": a cell after its pipe, and no other pipe."""
    return line.text[:1] in PIPE and len(line.text) > 1 and not _PIPES_ONLY.match(line.text) and PIPE_CHARACTER.search(line.text, 1) is None


def _joined(table: Table | None, more: dict[int, list[Span]]) -> Table | None:
    """The table with each cell that wraps over several lines given its further lines: one
    text, whatever the column ("市政" / "府办" / "公厅" is 市政府办公厅)."""
    if table is None or not more:
        return table
    rows = []
    for row in table.rows:
        cells = tuple(Cell(c.role, (*c.pieces, *more.get(c.pieces[0].start, ()))) if c.pieces else c for c in row.cells)
        rows.append(Row(row.span, cells, row.heading))
    return Table(table.first, table.stop, tuple(rows))


# --- one cell per line, no marks ----------------------------------------------------------

# A header cell: a short line with no sentence end.
_HEADER_CELL = re.compile(r"^[^。；;，,]{1,40}$")


def read_bare_cells(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A table copied from a web page with a cell per line and no marks: "序号", "重点工作",
    "责任单位", then "1", the task, its units, "2", …. The header starts with the number
    column and runs to the first row's number; each row runs from its number to the next. A
    line that names a field ("省牵头单位:某厅") adds that field to its row; a numbered line
    between rows ("（一）某某副市长牵头重点工作") heads the rows under it. The table ends at a
    section heading ("二、…") or a line that is neither."""
    if len(lines[at].text) > HEADER_CELL_CHARS or column_role(lines[at].text, rules) != "ordinal":
        return None
    stop = at + 1
    while (
        stop < len(lines)
        and stop - at < 12
        and _HEADER_CELL.match(lines[stop].text)
        and not _ROW_NUMBER.match(lines[stop].text)
        and not (rules.heading and rules.heading.match(lines[stop].text))
    ):
        stop += 1
    roles = _task_column(_wrapped_header([line.text for line in lines[at:stop]], rules))
    if len(roles) < 3 or not _known(roles) or stop >= len(lines):
        return None
    rows: list[Row] = []
    current: list[Span] = []  # the row's lines, its number first
    fields: list[Cell] = []  # the row's labelled lines
    # A copy that leaves the number column empty ("序号" over no numbers) has rows that open with
    # their task, a sentence: each such line opens a row.
    unnumbered = not _ROW_NUMBER.match(lines[stop].text) and len(lines[stop].text) > NAME_CELL_CHARS
    body_roles = roles[1:] if unnumbered else roles

    def close() -> None:
        if current:
            row = _row(_bare_row(current, body_roles, rules.is_unit) + fields)
            if row:
                rows.append(row)
        current.clear()
        fields.clear()

    # The number of the row being read. Row numbers count up: a number that does not ("0", "1" in a
    # target column) is a cell; one that leaps ahead ("42") is, until the row has its cells (a
    # table of some rows of a longer one goes 6, 52, 53).
    last = 0
    while stop < len(lines):
        line = lines[stop]
        number = int(line.text.rstrip("*")) if _ROW_NUMBER.match(line.text) else None
        if number is not None and (not current or last < number <= last + MAX_ROW_GAP or (number > last and len(current) >= len(roles) - 1)):
            close()
            current.append(line)
            last = number
        elif unnumbered and len(line.text) > NAME_CELL_CHARS:
            close()
            current.append(line)
        elif rules.label_field and (field := _field_line(line, rules)) is not None:
            if not current:
                break
            fields.append(field)
        elif rules.section and rules.section.match(line.text) and len(current) >= len(roles):
            break  # "二、…": a new section, which may start a table of its own
        elif (heading := _heading_at(lines, stop, rules)) is not None and (not current or len(current) >= len(roles)):
            close()
            line, stop = heading
            rows.append(Row(line, (), heading=True))
        elif not current and not rows and len(line.text) <= HEADING_CHARS:
            rows.append(Row(line, (), heading=True))  # a title over the rows, before the first
        elif current and not fields:
            current.append(line)
        else:
            break
        stop += 1
    close()
    while rows and rows[-1].heading:  # a heading after the last row heads what follows the table
        rows.pop()
        stop -= 1
    return Table(at, stop, tuple(rows)) if any(not r.heading for r in rows) else None


# A heading between a header and its first row is at most this long.
HEADING_CHARS = 40
def _heading_at(lines: list[Span], at: int, rules: TableRules) -> tuple[Span, int] | None:
    """A numbered heading between a table's rows ("一、…", "（一）…"), with the index of its last
    line: "（一）" on a line of its own takes its title from the next line, unless that is a row's
    number."""
    line = lines[at]
    numbering = rules.heading.match(line.text) if rules.heading else None
    if numbering is None or len(line.text) > HEADING_CHARS:
        return None
    if not line.text[numbering.end() :].strip() and at + 1 < len(lines) and not _ROW_NUMBER.match(lines[at + 1].text):
        return Span(line.start, lines[at + 1].end, f"{line.text}{lines[at + 1].text}"), at + 1
    return line, at


def read_unnumbered_cells(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A table copied a cell per line with no marks and no number column: a header of column
    names ("项目名称", "项目内容", "责任单位", "进展情况"), then each row found by its cell of who
    does the work ("区发改局、各街道", "市财政局牵头落实"): one line before that cell, the row's
    task, and the lines after it as many as the header has columns after it; a second line before
    the units (a target, a figure) is another layout, and ends the table. A cell a row above
    spans is written once, as a numbered heading over the rows ("（一）" / "经济社会发展主要预期
    目标", "一、…"), which heads the rows below it."""
    if rules.says_who is None or column_role(lines[at].text, rules) == "ordinal":
        return None
    stop = at
    while (
        stop < len(lines)
        and stop - at < 8
        and len(lines[stop].text) <= HEADER_CELL_CHARS
        and _HEADER_CELL.match(lines[stop].text)
        and not (rules.heading and rules.heading.match(lines[stop].text))
    ):
        stop += 1
    roles = _wrapped_header([line.text for line in lines[at:stop]], rules)
    who = [k for k, role in enumerate(roles) if role in RESPONSIBILITY_ROLES]
    if len(roles) < 3 or len(who) != 1 or who[0] == 0 or "ordinal" in roles:
        return None
    after = len(roles) - 1 - who[0]
    rows: list[Row] = []
    task: Span | None = None  # the row's task, read, its units not yet
    end = stop  # the line after the last row read
    while stop < len(lines):
        line = lines[stop]
        if task is None and (heading := _heading_at(lines, stop, rules)) is not None:
            line, stop = heading
            rows.append(Row(line, (), heading=True))
        elif task is not None and rules.says_who(line.text):
            trailing = lines[stop + 1 : stop + 1 + after]
            cells = [_cell("project", [task]), _cell(roles[who[0]], [line])]
            cells += [_cell(role if role not in RESPONSIBILITY_ROLES else "other", [cell]) for role, cell in zip(roles[who[0] + 1 :], trailing)]
            rows.append(_row(cells))
            stop += len(trailing)
            task = None
            end = stop + 1
        elif task is None and not rules.says_who(line.text):
            task = line
        else:
            break  # a second cell before the units (a target, a figure): another layout, or the end
        stop += 1
    while rows and rows[-1].heading:  # a heading after the last row heads what follows the table
        rows.pop()
    if sum(1 for row in rows if not row.heading) < MIN_GRID_ROWS:
        return None
    return Table(at, end, tuple(rows))


# The first part of a column's name wrapped over two cells is this short: "市政府" / "分管领导".
WRAPPED_HEAD_CHARS = 3


def _wrapped_header(cells: list[str], rules: TableRules) -> list[str]:
    """Column roles of a header copied a cell a line, where a name wraps over two cells: a short
    cell that names no column before one that names who does the work ("市政府" / "分管领导") is
    one column with it (not "名称" / "工作任务", two columns),
    and so is a bracket after a named one ("责任单位" / "（第一为牵头单位）")."""
    roles: list[str] = []
    for k, cell in enumerate(cells):
        role = column_role(cell, rules)
        if roles and roles[-1] != "other" and re.fullmatch(r"[（(][^（）()]*[）)]", cell.strip()):
            continue  # the bracket qualifies the column before
        if roles and roles[-1] == "other" and len(cells[k - 1].strip()) <= WRAPPED_HEAD_CHARS and role in RESPONSIBILITY_ROLES and column_role(cells[k - 1] + cell, rules) == role:
            roles[-1] = role
            continue
        roles.append(role)
    return roles


def _lists_units(text: str, is_unit: Callable[[str], bool]) -> bool:
    """Whether a cell is a list of units ("区政府办公室*、区财政局"), marks of the lead aside."""
    names = [name.strip(LEAD_MARKS + " ") for name in re.split("[、，,；;]", text)]
    return all(is_unit(name) for name in names)


def _bare_row(lines: list[Span], roles: list[str], is_unit: Callable[[str], bool] | None = None) -> list[Cell]:
    """A row's lines as cells, a line a column. A row with more lines than columns has a cell
    that runs over several (a list of units a line, "县水务局", "县住建局"): the last column of
    who does the task takes the lines the columns before and after it leave."""
    if len(lines) < len(roles) and is_unit and len(lines) > 1 and _lists_units(lines[-1].text, is_unit):
        # A row short of cells left empty ("1", the task, "区发改局" under a header of five): its
        # last cell, a list of units, is the unit column's where the columns before it are not.
        last = len(lines) - 1
        if roles[last] not in RESPONSIBILITY_ROLES:
            column = next((k for k in range(last + 1, len(roles)) if roles[k] in RESPONSIBILITY_ROLES), None)
            if column is not None:
                return [_cell(role, [line]) for role, line in zip(roles, lines[:last])] + [_cell(roles[column], [lines[last]])]
    if "lead" in roles and is_unit:
        # "王旭锋", "胡金芳" under one 分管领导: the leader cell runs over a line a name, and a
        # name never fills a unit's column.
        k = roles.index("lead")
        names = k
        while names + 1 < len(lines) and _is_name_line(lines[names + 1].text, is_unit):
            names += 1
        if names > k and _is_name_line(lines[k].text, is_unit):
            cells = [_cell(role, [line]) for role, line in zip(roles[:k], lines[:k])]
            cells += [_cell("lead", [line]) for line in lines[k : names + 1]]
            return cells + _bare_row(lines[names + 1 :], roles[k + 1 :], is_unit)
    if len(lines) <= len(roles):
        return [_cell(role, [line]) for role, line in zip(roles, lines)]
    wide = max((k for k, role in enumerate(roles) if role in RESPONSIBILITY_ROLES), default=len(roles) - 1)
    after = len(roles) - wide - 1
    cells = [_cell(role, [line]) for role, line in zip(roles[:wide], lines[:wide])]
    cells += [_cell(roles[wide], [line]) for line in lines[wide : len(lines) - after]]
    cells += [_cell(role, [line]) for role, line in zip(roles[wide + 1 :], lines[len(lines) - after :])]
    return cells


def _is_name_line(text: str, is_unit: Callable[[str], bool]) -> bool:
    """A line that holds one person's name: two to four characters (a table may space them,
    "王 东"), no unit's."""
    compact = re.sub(r"\s+", "", text)
    return 2 <= len(compact) <= 4 and re.fullmatch(r"[\u3400-\u9fff]+", compact) is not None and not is_unit(compact)


def _field_line(line: Span, rules: TableRules) -> Cell | None:
    """ "省牵头单位:省农业农村厅" → a cell of the field the label names."""
    match = re.match(r"^([^:：]{2,16})[:：]\s*", line.text)
    field = rules.label_field(match.group(1)) if match else None
    if not field:
        return None
    return _cell(field, [Span(line.start + match.end(), line.end, line.text[match.end() :])])


# --- one row per line ----------------------------------------------------------------------


def _split_pipes(line: Span) -> list[Span]:
    pieces, begin = [], 0
    # The pipes found by one regex scan (most lines have none), and the end of the line.
    for i in [m.start() for m in PIPE_CHARACTER.finditer(line.text)] + [len(line.text)]:
        piece = _strip(Span(line.start + begin, line.start + i, line.text[begin:i]))
        pieces.append(piece or Span(line.start + begin, line.start + begin, ""))
        begin = i + 1
    return pieces


def _trim(cells: list[Span | None]) -> list[Span | None]:
    """A row without the empty cells a copy pads it with at its end."""
    cells = list(cells)
    while cells and (cells[-1] is None or not cells[-1].text):
        cells.pop()
    return cells


def read_pipe_rows(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A row a line, cells separated by "|". Rows are padded at their end with empty cells ("甲 |
    乙 | |") where cells of rows above span them (see ``_merged_rows``)."""
    header = _trim(_split_pipes(lines[at]))
    if len(header) < 2 or _cell_line(lines[at]) is not None:
        return None
    roles = _task_column([column_role(c.text, rules) for c in header])
    if not _known(roles):
        return None
    stop, body = at + 1, []
    while stop < len(lines):
        cells = _split_pipes(lines[stop])
        if len(cells) < 2:
            break
        body.append(_trim(cells))
        stop += 1
    # A header cell over several columns (a category, a number and the task under "工作任务")
    # stands over the first of them: rows wider than the header extend it to the left.
    width = max([len(roles), *(len(row) for row in body)])
    roles = ["other"] * (width - len(roles)) + roles
    # The last row of a copy cut short has no closing pipe, where the others have theirs: its
    # cells are the first columns', not cells a merged cell left out.
    closed = [lines[k].text.rstrip()[-1:] in PIPE for k in range(at + 1, stop)]
    cut = len(body) > 1 and all(closed[:-1]) and not closed[-1]
    return _merged_rows(body, roles, rules, at, stop, cut)


# --- header of spaced words, numbered rows -------------------------------------------------

# Leading columns a spaced row may have before its number ("目标 序号 任务 …": a category).
MAX_SPACED_LEAD = 2
# Numbered headings in a row a spaced table may have between its rows ("二、…" then "（一）…").
MAX_SPACED_HEADINGS = 3


def _header_words(text: str) -> list[str]:
    """A spaced header's column names; a name written with a space between its characters is
    one ("序号 工 作 任 务 牵头负责部门": 工作任务)."""
    words: list[str] = []
    spaced = False
    for match in re.finditer(r"(\S+)(\s*)", text):
        word, gap = match.groups()
        if spaced and len(word) == 1:
            words[-1] += word
        else:
            words.append(word)
        spaced = len(word) == 1 and gap == " "
    return words


@lru_cache(maxsize=8)
def _spaced_row(lead: int) -> re.Pattern:
    """A row's first line: its number after at most ``lead`` leading cells ("1 行政确认 …",
    "加强解读回应 1 做好…")."""
    return re.compile(rf"^(?P<lead>(?:\S+\s+){{0,{lead}}}?)(?P<num>\d{{1,4}})\s+\S")


def read_spaced(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """ "序号 权力类型 项目编码 项目名称 …" then "1 行政确认 某某证核发": the words of a row fill
    the columns in order, skipping a code column where the word is not a code. Columns before
    the number ("目标 序号 任务 …") are written in the first row they hold only; rows that open
    with their number take them from the row above. Lines up to the next numbered row belong to
    the row (its long cells, flattened)."""
    words = _header_words(lines[at].text)
    # "…常熟市2018年政府工作任务分解表 序号 名称 工作任务 牵头责任单位": a copy that runs the
    # table's title and header on at the end of the text before them.
    titled = [k for k, word in enumerate(words) if k and len(words[k - 1]) > HEADER_CELL_CHARS and column_role(word, rules) == "ordinal"]
    if titled and all(len(word) <= HEADER_CELL_CHARS for word in words[titled[-1] :]):
        words = words[titled[-1] :]
    roles = _task_column([column_role(word, rules) for word in words])
    lead = roles.index("ordinal") if "ordinal" in roles else 0
    row_start = _spaced_row(lead)
    # Column names are bare words: "责任单位: 甲、乙, 丙" is a field line whose text was spaced out.
    if any(re.search(r"[、，,；;：:。]", word) for word in words):
        return None
    if len(words) < 3 or lead > MAX_SPACED_LEAD or not _known(roles):
        return None

    def heads_rows(i: int) -> bool:
        """A numbered heading across the table ("一、…", "（一）…") with rows under it."""
        if not (rules.depth_of and rules.depth_of(lines[i].text) is not None) or row_start.match(lines[i].text):
            return False
        j = i + 1
        while j < len(lines) and j - i <= MAX_SPACED_HEADINGS and rules.depth_of(lines[j].text) is not None and not row_start.match(lines[j].text):
            j += 1
        return j < len(lines) and j - i <= MAX_SPACED_HEADINGS and row_start.match(lines[j].text) is not None

    if not (at + 1 < len(lines) and (row_start.match(lines[at + 1].text) or heads_rows(at + 1))):
        return None
    starts, headings, stop = [], set(), at + 1
    # Rows run to the next row, but never past MAX_ROW_LINES lines nor a new section that heads
    # no rows.
    while stop < len(lines):
        if heads_rows(stop):
            headings.add(stop)
        elif rules.section and rules.section.match(lines[stop].text):
            break
        elif row_start.match(lines[stop].text):
            starts.append(stop)
        elif starts and stop - starts[-1] >= MAX_ROW_LINES:
            break
        stop += 1
    rows = []
    above: list[Cell] = []
    for first in sorted([*starts, *headings]):
        if first in headings:
            rows.append(Row(lines[first], (), heading=True))
            continue
        following = [i for i in [*starts, *headings] if i > first]
        last = (min(following) if following else stop) - 1
        line = lines[first]
        tokens = [Span(line.start + m.start(), line.start + m.end(), m.group()) for m in re.finditer(r"\S+", line.text)]
        # Leading cells this row leaves out are those of the row above.
        given = len(row_start.match(line.text).group("lead").split())
        cells, column = list(above[: lead - given]), lead - given
        if rules.is_unit and len(tokens) < len(roles) - column and len(tokens) >= 3 and _lists_units(tokens[-1].text, rules.is_unit) and "project" in roles:
            # A row short of cells ("1 地区生产总值增长7%. 发改委" under 序号 名称 工作任务 牵头单位): its
            # number, its task in the task column, its units in the first column of who does it.
            unit_column = next((k for k, role in enumerate(roles) if role in RESPONSIBILITY_ROLES), None)
            if unit_column is not None:
                task = Span(tokens[1].start, tokens[-2].end, line.text[tokens[1].start - line.start : tokens[-2].end - line.start])
                cells += [_cell(roles[column], [tokens[0]]), _cell("project", [task]), _cell(roles[unit_column], [tokens[-1]])]
                tokens = []
        for token in tokens:
            while column < len(roles) and roles[column] == "code" and not re.fullmatch(r"[0-9A-Za-z\-]+", token.text):
                column += 1
            if column >= len(roles):
                break
            cells.append(_cell(roles[column], [token]))
            column += 1
        above = cells[:lead]
        more = list(lines[first + 1 : last + 1])
        # A unit cell of several lines ("区甲局" then "区乙局" under it), where the row's first
        # line ends in that cell: each name line that follows is a unit of it.
        if cells and cells[-1].role in RESPONSIBILITY_ROLES:
            names = 0
            while names < len(more) and _shape(more[names], rules) == "name":
                names += 1
            cells.extend(_cell(cells[-1].role, [line]) for line in more[:names])
            more = more[names:]
        cells.append(_cell("other", more))
        row = _row(cells)
        if row:
            rows.append(row)
    return Table(at, stop, tuple(rows)) if rows else None


# --- box drawing ---------------------------------------------------------------------------


def _box_pieces(line: Span) -> list[Span]:
    """The pieces between vertical box characters, first and last (outside the frame) dropped."""
    pieces, begin = [], 0
    for i, ch in enumerate(line.text + BOX_VERTICAL[0]):
        if ch in BOX_VERTICAL:
            pieces.append(Span(line.start + begin, line.start + i, line.text[begin:i]))
            begin = i + 1
    return pieces[1:-1]


def _is_border(piece: Span) -> bool:
    return bool(piece.text) and all(ch in BOX_HORIZONTAL for ch in piece.text) and piece.text.strip() != ""


def _is_box(line: Span) -> bool:
    return line.text[:1] in BOX_VERTICAL


@dataclass
class _Open:
    """A box cell being read: its pieces and the lines it spans."""

    pieces: list
    first: int
    last: int
    lines: list = field(default_factory=list)  # the line of each piece


def read_box(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    if not _is_box(lines[at]):
        return None
    stop = at
    while stop < len(lines) and _is_box(lines[stop]):
        stop += 1
    rows: list[Row] = []
    roles: list[str] | None = None
    header: list[list[Span]] = []
    open_cells: list[_Open] = []
    closed: list[list[_Open]] = []

    def close_all() -> None:
        for i, cell in enumerate(open_cells):
            if cell.pieces or cell.last >= cell.first:
                closed[i].append(cell)

    for index in range(at, stop):
        pieces = _box_pieces(lines[index])
        if not pieces:
            continue
        # The rule under the header may leave a column that spans the rows open ("│ ├──┼──┤":
        # a category written a character a line down the table's first column).
        ruled = any(_is_border(p) for p in pieces) and all(_is_border(p) or not p.text.strip() for p in pieces)
        if all(_is_border(p) for p in pieces) or (roles is None and header and ruled):
            if roles is None and header:
                # The first full rule under the header: the columns are named.
                roles = _task_column([column_role("".join(p.text for p in col), rules) for col in header])
                if not _known(roles):
                    break
                open_cells = [_Open([], index + 1, index) for _ in roles]
                closed = [[] for _ in roles]
            elif roles is not None and open_cells:
                close_all()
                rows.extend(_box_rows(roles, closed, rules.bullets))
                open_cells = [_Open([], index + 1, index) for _ in roles]
                closed = [[] for _ in roles]
            if lines[index].text[:1] in "┌╔":
                roles, header = None, []
            continue
        if roles is None:
            for i, piece in enumerate(pieces):
                while len(header) <= i:
                    header.append([])
                header[i].append(piece)
            continue
        for i, piece in enumerate(pieces[: len(roles)]):
            cell = open_cells[i]
            if _is_border(piece):
                closed[i].append(cell)
                open_cells[i] = _Open([], index + 1, index)
                continue
            text = _strip(piece)
            if text:
                cell.pieces.append(text)
                cell.lines.append(index)
            cell.last = index
    if roles is not None and _known(roles) and any(c.pieces for c in open_cells):
        close_all()
        rows.extend(_box_rows(roles, closed, rules.bullets))
    return Table(at, stop, tuple(rows)) if rows else None


def _split_bullets(cell: _Open, bullets: str) -> list[_Open]:
    """A cell holding several bulleted tasks ("△加强…" on one line, "△加快…" on the next) → one
    cell per task, each over its own lines."""
    parts: list[_Open] = []
    for piece, line in zip(cell.pieces, cell.lines):
        if not parts or (bullets and piece.text[:1] in bullets):
            parts.append(_Open([], line, line))
        parts[-1].pieces.append(piece)
        parts[-1].lines.append(line)
        parts[-1].last = line
    return parts


def _box_rows(roles: list[str], closed: list[list[_Open]], bullets: str) -> list[Row]:
    """A row per task of the project column, with the cells of other columns beside it (the
    one overlapping it most: a leader's cell may span several tasks)."""
    main = roles.index("project")
    rows = []
    for task in (part for cell in closed[main] for part in _split_bullets(cell, bullets)):
        if not task.pieces:
            continue
        cells = []
        for i, role in enumerate(roles):
            if i == main:
                cells.append(_cell(role, task.pieces))
                continue
            best = max(
                closed[i],
                key=lambda c: (min(c.last, task.last) - max(c.first, task.first), -c.first),
                default=None,
            )
            if best is not None and min(best.last, task.last) >= max(best.first, task.first):
                cells.append(_cell(role, best.pieces))
        row = _row(cells)
        if row:
            rows.append(row)
    return rows


# --- cells glued together ---------------------------------------------------------------

# A glued header's column name is at most this long ("陕西省《工作要点》部署任务").
MAX_GLUED_NAME = 16
# A glued table names at least this many columns and holds at least this many rows.
MIN_GLUED_COLUMNS = 3
MIN_GLUED_ROWS = 2
# A unit's name, or several glued together ("市甲局市乙局"), is at most this long.
MAX_UNIT_CHARS = 20
# A person's name in a glued cell of who leads: three characters, else two ("何某某区甲局").
GLUED_NAME_SIZES = (3, 2)
# What a glued unit cell that closes the cells of who does the work runs on with, as part of it
# ("…市丙局等部门,各区(市)县政府"): a text with no sentence in it, this short or opening with a
# list's mark.
MAX_UNIT_TAIL = 30
# A site's page mark that opens a line of a glued table: "2、" in "市商务局,市" / "2、住建局".
_PAGE_MARK = re.compile(r"^[0-9]{1,3}、")
_SENTENCE_END = re.compile("[。；;]")
_HAN = re.compile(HAN_CLASS)
# The characters one unit's name may hold: no figure, no mark that ends a list or a sentence, no
# bracket (one after the name is read apart).
_UNIT_NAME = re.compile(r"[^\s0-9、，,。；;：:（）()]+")
_TEXT_END = re.compile("。")
_OPENING = "（("
_CLOSING = "）)"
_LIST_SEPARATORS = "、，,"


@lru_cache(maxsize=8)
def _column_name(cues: tuple[str, ...]) -> re.Pattern:
    """A column's name in a glued header: no figure first, then at most MAX_GLUED_NAME characters
    up to a known cue it ends with ("重点督办内容", "区政府分管领导")."""
    ends = "|".join(map(re.escape, sorted(cues, key=lambda c: (-len(c), c))))
    return re.compile(rf"(?:{ends})|[^\s0-9|｜。，,；;：:、][^\s|｜。，,；;：:、]{{0,{MAX_GLUED_NAME - 2}}}?(?:{ends})")


def _glued_header(line: Span, rules: TableRules) -> tuple[int, list[tuple[str, Span]]] | None:
    """A header whose column names a copy glued together ("类别序号重点督办内容牵头单位全年完成
    情况"), anywhere in ``line`` (after a table's title): its end offset and its columns with their
    roles. It has an ordinal column, at most one named column before it, at least
    MIN_GLUED_COLUMNS columns, a task's among those known (``_known``), one of who does the work,
    and a row number, a space (a line's end, joined) or the line's end right after it."""
    name = _column_name(tuple(rules.columns))
    text = line.text
    for cue in (c for c, role in rules.columns.items() if role == "ordinal"):
        at = text.find(cue)
        if at < 0:
            continue
        columns: list[Span] = []
        # one named column before the number's: "类别序号…"
        for size in range(2, min(at, MAX_GLUED_NAME) + 1):
            before = name.fullmatch(text, at - size, at)
            if before and column_role(before.group(), rules) != "other":
                columns.append(Span(line.start + at - size, line.start + at, before.group()))
                break
        end = at
        while (match := name.match(text, end)) is not None:
            columns.append(Span(line.start + match.start(), line.start + match.end(), match.group()))
            end = match.end()
        roles = _task_column([column_role(c.text, rules) for c in columns])
        rest = text[end:].strip()
        if (
            len(columns) >= MIN_GLUED_COLUMNS
            and _known(roles)
            and "ordinal" in roles
            and any(r in RESPONSIBILITY_ROLES for r in roles)
            and (not rest or rest[0].isdecimal() or text[end : end + 1].isspace())
        ):
            return line.start + end, list(zip(roles, columns))
    return None


def _glued_rows(lines: list[Span], at: int, start: int, pattern: re.Pattern, leading: bool) -> tuple[list[tuple[Span, list[Span]]], int]:
    """The rows of a glued table from offset ``start`` of line ``at``: where each row's number
    stands (counting up from 1, found by ``pattern``), and the pieces of text after it up to the
    next number, over the lines below (less a site's page marks), as long as each line holds the
    next number or opens with a page mark. Returns (number, pieces) per row and the index after
    the last line read. Where the header has columns before the number's (``leading``), a row
    that opens its line has the text before its number as its first piece; else that text goes
    on with the row before."""
    rows: list[tuple[Span, list[Span]]] = []
    k = at
    while k < len(lines):
        line = lines[k]
        offset = start - line.start if k == at else 0
        if k > at:
            mark = _PAGE_MARK.match(line.text)
            offset = mark.end() if mark else 0
        numbers = [m for m in pattern.finditer(line.text, offset) if m.group("num")]
        found = []
        for match in numbers:
            if int(match.group("num")) == len(rows) + len(found) + 1:
                found.append(match)
        if k > at and not found and not _PAGE_MARK.match(line.text):
            break
        begin = offset
        for match in found:
            piece = Span(line.start + begin, line.start + match.start(), line.text[begin : match.start()])
            opens = leading and (begin == 0 or not rows) and match.start() > begin
            if rows and not opens:
                rows[-1][1].append(piece)
            lead = [piece] if opens else []
            number = Span(line.start + match.start("num"), line.start + match.end("num"), match.group("num"))
            rows.append((number, lead))
            begin = match.end()
        if rows:
            rows[-1][1].append(Span(line.start + begin, line.end, line.text[begin:]))
        k += 1
    return rows, k


def _cut(pieces: list[Span], start: int, end: int) -> list[Span]:
    """The parts of ``pieces`` between two offsets of their joined text."""
    out, at = [], 0
    for piece in pieces:
        lo, hi = max(start - at, 0), min(end - at, len(piece.text))
        if lo < hi:
            out.append(Span(piece.start + lo, piece.start + hi, piece.text[lo:hi]))
        at += len(piece.text)
    return out


def _unit_end(text: str, at: int, rules: TableRules) -> int:
    """Where the unit that begins at ``at`` ends (with a bracket after it): its longest name;
    ``at`` where none begins."""
    says = rules.says_who or (lambda t: False)
    name = _UNIT_NAME.match(text, at, min(len(text), at + MAX_UNIT_CHARS))
    end = next((q for q in range(name.end(), at + 1, -1) if says(text[at:q])), at) if name else at
    if end > at and end < len(text) and text[end] in _OPENING:
        close = next((q for q in range(end, min(len(text), end + MAX_UNIT_CHARS)) if text[q] in _CLOSING), -1)
        end = close + 1 if close > 0 else end
    return end


def _unit_run(text: str, at: int, rules: TableRules) -> int:
    """Where a list of units that begins at ``at`` ends ("甲局、乙委（丙办）,丁局"); ``at`` where
    no unit begins there."""
    end = _unit_end(text, at, rules)
    while end > at and end < len(text) - 1 and text[end] in _LIST_SEPARATORS and (more := _unit_end(text, end + 1, rules)) > end + 1:
        end = more
    return end


def _glued_cells(pieces: list[Span], roles: list[str], rules: TableRules) -> list[Cell] | None:
    """A glued row's cells after its number, by the text each column holds: the cells of who does
    the work (a leader's name, units: ``roles`` in a run) start after the first sentence that ends
    before a unit, or a name and a unit; the text cells before them take what is before (the
    first its first sentence, where two are), one text cell after them what is after. None where
    the columns of who does the work are not one run, or the row names no one."""
    typed = [k for k, role in enumerate(roles) if role in RESPONSIBILITY_ROLES]
    if not typed or typed != list(range(typed[0], typed[-1] + 1)):
        return None
    text = "".join(p.text for p in pieces)
    first = roles[typed[0]]

    def opens(at: int) -> int | None:
        """Where the first cell of who does the work ends, if it begins at ``at``."""
        if first != "lead":
            end = _unit_run(text, at, rules) if typed[0] == typed[-1] else _unit_end(text, at, rules)
            return end if end > at else None
        for size in GLUED_NAME_SIZES:
            name = text[at : at + size]
            if len(name) == size and all(_HAN.match(ch) for ch in name) and _unit_end(text, at + size, rules) > at + size:
                return at + size
        return None

    starts = [m.end() for m in _SENTENCE_END.finditer(text)]
    found = next(((at, end) for at in starts if (end := opens(at)) is not None), None)
    if found is None:
        return None
    begin, end = found
    bounds = [(begin, end)]
    for k in typed[1:]:
        at = bounds[-1][1]
        stop = _unit_run(text, at, rules) if k == typed[-1] else _unit_end(text, at, rules)
        bounds.append((at, max(stop, at)))
    tail = text[bounds[-1][1] :]
    after = roles[typed[-1] + 1 :]
    listed = tail[:1] in _LIST_SEPARATORS or len(tail.strip()) <= MAX_UNIT_TAIL
    if (not after or (listed and not _TEXT_END.search(tail))) and roles[typed[-1]] != "lead":
        bounds[-1] = (bounds[-1][0], len(text))  # "市丙局等部门,各区(市)县政府": the units' cell still
    cells: list[Cell] = []
    before = roles[: typed[0]]
    split = next((m.end() for m in _TEXT_END.finditer(text, 0, begin) if m.end() < begin), begin) if len(before) > 1 else begin
    for k, role in enumerate(before):
        span = (0, split) if k == 0 else ((split, begin) if k == 1 else (begin, begin))
        cells.append(_cell(role, [p for p in (_strip(s) for s in _cut(pieces, *span)) if p]))
    for k, (lo, hi) in zip(typed, bounds):
        cells.append(_cell(roles[k], [p for p in (_strip(s) for s in _cut(pieces, lo, hi)) if p]))
    for k, role in enumerate(after):
        span = (bounds[-1][1], len(text)) if k == 0 else (len(text), len(text))
        cells.append(_cell(role, [p for p in (_strip(s) for s in _cut(pieces, *span)) if p]))
    return cells


def read_glued(lines: list[Span], at: int, rules: TableRules) -> Table | None:
    """A table whose cells a copy glued together with nothing between them: the header's names
    run on ("序号工作内容目标任务责任单位备注"), and so does each row ("1将甲作为…。2021年2月底前,
    …。市委宣传部、市城管委,…2完善…"), a row a line or all in one. The header is read by the
    known column names it is made of (``_glued_header``), the rows by their numbers counting up
    (the genre's ``glued_row`` pattern: no figure of a quantity or a date, "2月", "3个"), the cells
    by the text each column holds (``_glued_cells``)."""
    if rules.glued_row is None or not any(cue in lines[at].text for cue, role in rules.columns.items() if role == "ordinal"):
        return None
    header = _glued_header(lines[at], rules)
    if header is None:
        return None
    end, columns = header
    roles = [role for role, _ in columns]
    number = roles.index("ordinal")
    found, stop = _glued_rows(lines, at, end, rules.glued_row, number > 0)
    rows = []
    for ordinal, pieces in found:
        leading = pieces[0] if number and pieces and pieces[0].end <= ordinal.start else None
        body = pieces[1:] if leading is not None else pieces
        cells = _glued_cells(body, roles[number + 1 :], rules)
        if cells is None:
            continue
        lead = _strip(leading) if leading is not None else None
        before = [_cell(roles[k], [lead] if lead and k == number - 1 else []) for k in range(number)]
        row = _row([*before, Cell("ordinal", (ordinal,)), *cells])
        if row:
            rows.append(row)
    if len(rows) < MIN_GLUED_ROWS:
        return None
    return Table(at, stop, tuple(rows))


TABLE_READERS: dict[str, Callable[[list[Span], int, TableRules], Table | None]] = {
    "box": read_box,
    "cell_lines": read_cell_lines,
    "leading_pipes": read_leading_pipes,
    "bare_cells": read_bare_cells,
    "unnumbered_cells": read_unnumbered_cells,
    "pipe_rows": read_pipe_rows,
    "spaced": read_spaced,
    "glued": read_glued,
}


def _one_task(cells: tuple[Cell, ...], rules: TableRules) -> tuple[Cell, ...]:
    """A row's task is its first task cell that holds more than a number or a section's heading
    ("重点工作 | 具体任务": the first names the task, the next says what it is); its other task
    cells are text."""
    tasks = [k for k, cell in enumerate(cells) if cell.role == "project" and cell.pieces]
    if len(tasks) < 2:
        return cells

    def names_task(cell: Cell) -> bool:
        text = "".join(p.text for p in cell.pieces)
        return not _ROW_NUMBER.match(text) and not (rules.depth_of is not None and rules.depth_of(text) == 1)

    first = next((k for k in tasks if names_task(cells[k])), tasks[0])
    return tuple(Cell("other", cell.pieces) if k in tasks and k != first else cell for k, cell in enumerate(cells))


def find_tables(lines: list[Span], text: str, rules: TableRules) -> list[Table]:
    """Every table in ``lines``, in order; rows' spans filled in from ``text``."""
    tables, at = [], 0
    while at < len(lines):
        table = next((t for read in TABLE_READERS.values() if (t := read(lines, at, rules))), None)
        if table is None:
            at += 1
            continue
        rows = tuple(Row(Span(r.span.start, r.span.end, text[r.span.start : r.span.end]), _one_task(r.cells, rules), r.heading) for r in table.rows)
        tables.append(Table(table.first, table.stop, rows))
        at = table.stop
    return tables

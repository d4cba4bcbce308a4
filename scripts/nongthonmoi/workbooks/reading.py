"""Read a filled plan or result workbook back into YAML data.

The sheet is read by its labels and column headers, not by fixed cell
addresses, so rows the clerk inserted, or a workbook re-saved by LibreOffice
or WPS Office, read the same. Everything that would be lost or guessed is an
error naming its cell: a formula, a merged cell, a column or a cell outside
the form, text in a number cell, a name not in a drop-down list.

Nothing is guessed either: a hidden row or column holding data, struck-out
text, a cell showing an error, a number formatted as a percentage, a number
that reads two ways (``typed.py``), leftovers of a half-deleted task, a list
item written after a gap, the same hamlet twice in a task, a value far below
its table: each is refused with its cell and what to do.

The result is a :class:`WorkbookSource`: the record as YAML data (the same
dict a YAML file gives) and the cell of every location, so the model and the
cross-checks of ``ntm check`` report their problems at the right cell.

Reading is linear in the cells of the sheet: cells are indexed by row once,
and every loop walks the rows that hold something, never a range of row
numbers (a value typed at row 5,000 costs one row, not 5,000).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import ContentError
from ..yamlsource import INVISIBLE, ODD_SPACE_CHARS, Location, YamlSource, control_character
from . import messages
from .book import fingerprint
from .choices import normalise
from .forms import AUTO_ID, Column, FormSheet, TableSheet
from .layout import Group, Leaf
from ..models.base import MAX_NUMBER, MAX_NUMBER_TEXT
from .typed import Unreadable, date_from_text, number_from_text, tidy_float

_EXCEL_EPOCHS = {date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)}
# Rows of nothing between a table's last record and a value below it, past
# which the value is no longer taken as part of the table.
FAR_GAP = 20


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    col: int

    def __str__(self) -> str:
        return f"{self.sheet}!{get_column_letter(self.col)}{self.row}"


class WorkbookSource(YamlSource):
    """YAML data read from a workbook; locations resolve to cells."""

    def __init__(self, path: Path, display: str, data: Any, cells: dict[Location, Cell], default: Cell):
        super().__init__(path=path, display=display, data=data)
        self.cells = cells
        self.default = default

    def cell(self, loc: Location) -> Cell:
        loc = tuple(loc)
        while loc:
            if loc in self.cells:
                return self.cells[loc]
            loc = loc[:-1]
        return self.default

    def line_of(self, loc: Location) -> int:
        # Messages such as "đã có ở ... dòng 14" name the sheet's row.
        return self.cell(loc).row

    def cell_of(self, loc: Location) -> str:
        return str(self.cell(loc))


@dataclass
class SheetReading:
    data: dict = field(default_factory=dict)
    cells: dict[Location, Cell] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    fingerprint: str = ""  # of every value of the sheet: equal to the form's own when nothing was typed
    # The context columns (the planned amount beside what was done) of each
    # record read, as the workbook holds them: location of the record ->
    # {column title: (cell, value)}. Never imported; compared with the plan.
    shown: dict[Location, dict[str, tuple[Cell, Any]]] = field(default_factory=dict)


@dataclass
class _Record:
    """A table row being read, with the continuation rows added to it."""

    first_row: int
    last_row: int
    values: dict  # leaf key -> value, or the list of items of a list column
    item_rows: dict  # list column -> [(row, comparable value)] in order
    shown: dict = field(default_factory=dict)  # title of a context column -> (cell, value) on its first row


@dataclass
class _Deleted:
    """A task whose description was cleared but whose id is still there."""

    row: int
    task: str


def _same_item(value) -> Any:
    """How two items of one list are compared: ids as they are, text without case or spaces."""
    return normalise(value) if isinstance(value, str) else value


class _Reader:
    def __init__(self, ws, sheet: FormSheet, display: str):
        self.ws, self.sheet, self.display = ws, sheet, display
        self.out = SheetReading()
        self.values: dict[tuple[int, int], Any] = {}
        self.by_row: dict[int, dict[int, Any]] = {}
        self.row_list: list[int] = []

    # --- errors ------------------------------------------------------------

    def error(self, cell: Cell, key: str, **fill) -> None:
        self.out.errors.append(messages.error(key, self.display, cell.row, cell, **fill))

    def at(self, row: int, col: int) -> Cell:
        return Cell(self.sheet.name, row, col)

    # --- the whole sheet ----------------------------------------------------

    def read(self) -> SheetReading:
        self._collect()
        regions = self._find_tables()
        # Group headers of a table ("Khối lượng công việc") may be merged over
        # their columns: that row holds no data. Any other merge hides a cell.
        group_rows = {header - 1 for _, header, _ in regions.values()}
        for merged in sorted(self.ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            if not (merged.min_row == merged.max_row and merged.min_row in group_rows):
                self.error(self.at(merged.min_row, merged.min_col), "merged", range=merged.coord)
        first_table = min((start for start, _, _ in regions.values()), default=None)
        form_rows = [r for r in self._rows() if first_table is None or r < first_table]
        self._read_form(form_rows)
        for table in self.sheet.tables:
            found = regions.get(id(table))
            if found is None:
                self.error(self.at(1, 1), "missing-table", table=table.table.title)
                continue
            _, header_row, end = found
            self._read_table(table, header_row, end)
        return self.out

    def _collect(self) -> None:
        """Non-empty cells, indexed by row; what would be lost or guessed is reported."""
        hidden_rows = self._hidden_rows()
        hidden_col = self._hidden_columns()
        own_texts = self._own_texts()
        reported_rows: set[int] = set()
        reported_cols: set[int] = set()
        # ws._cells holds only the cells present in the file (package.py bounds them).
        for (row, col), cell in sorted(self.ws._cells.items()):
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            where = self.at(row, col)
            if cell.data_type == "f" or not isinstance(value, (str, int, float, bool, datetime, date, time)):
                formula = value if isinstance(value, str) else getattr(value, "text", "") or "..."
                self.error(where, "formula", formula=str(formula)[:60])
                continue
            if cell.data_type == "e":
                self.error(where, "error-cell", value=_shown(value))
                continue
            # Hiding the form's own texts (the instructions, an unused column) loses nothing.
            ours = isinstance(value, str) and self._text(value) in own_texts
            if row in hidden_rows and row not in reported_rows and not ours:
                reported_rows.add(row)
                self.error(where, "hidden-row", row=row, value=_shown(value))
            if hidden_col(col) and col not in reported_cols and not ours:
                reported_cols.add(col)
                self.error(where, "hidden-column", col=get_column_letter(col), value=_shown(value))
            fmt = cell.number_format or ""
            if fmt.replace('"', "").strip() in (";;;", ";;", ";;;@") or _ink_like_paper(cell):
                self.error(where, "hidden-value", value=_shown(value))
            elif cell.font is not None and cell.font.strike:
                self.error(where, "strikethrough", value=_shown(value))
            self.values[(row, col)] = value
            self.by_row.setdefault(row, {})[col] = value
        self.row_list = sorted(self.by_row)
        self.out.fingerprint = fingerprint(self.values)

    def _own_texts(self) -> set[str]:
        """Titles, labels, headers and instructions the form writes itself."""
        sheet = self.sheet
        texts = set(sheet.static_texts()) | {sheet.unit_name}
        texts |= {item.title for item in sheet.layout.rows}
        for table in sheet.tables:
            texts |= {c.title for c in table.columns} | {c.group for c in table.columns if c.group}
        return {self._text(t) for t in texts}

    def _hidden_rows(self) -> set[int]:
        hidden = set()
        for row, dim in self.ws.row_dimensions.items():
            if dim.hidden or (dim.customHeight and dim.ht is not None and dim.ht <= 0.5):
                hidden.add(int(row))
        return hidden

    def _hidden_columns(self):
        spans = []
        for dim in self.ws.column_dimensions.values():
            if dim.hidden or (dim.customWidth and dim.width is not None and dim.width <= 0.1):
                spans.append((dim.min or 0, dim.max or dim.min or 0))
        return lambda col: any(low <= col <= high for low, high in spans)

    def _rows(self) -> list[int]:
        return self.row_list

    def _rows_between(self, first: int, last: int) -> list[int]:
        """Rows holding something, from ``first`` to ``last``."""
        low = bisect.bisect_left(self.row_list, first)
        high = bisect.bisect_right(self.row_list, last)
        return self.row_list[low:high]

    def _row(self, row: int) -> dict[int, Any]:
        return self.by_row.get(row, {})

    def _text(self, value) -> str:
        return normalise(str(value)).removesuffix(" *").strip()

    # --- tables: where they are ----------------------------------------------

    def _find_tables(self) -> dict[int, tuple[int, int, int]]:
        """table -> (first row of its region, header row, last data row)."""
        found: dict[int, tuple[int, int, int]] = {}
        after = 0
        heads: list[tuple[TableSheet, int, int]] = []
        for table in self.sheet.tables:
            titles = {normalise(c.title) for c in table.columns}
            header = None
            for row in self._rows():
                if row <= after:
                    continue
                cells = self._row(row)
                hits = sum(1 for v in cells.values() if isinstance(v, str) and self._text(v) in titles)
                if hits >= max(2, (len(titles) + 1) // 2):
                    header = row
                    break
            if header is None:
                continue
            # The region starts at the table's section heading (or its note, or
            # group header row) when those are still above the header.
            start = header - (1 if table.has_groups else 0)
            for row in self._rows_between(after + 1, header - 1):
                text = self._text(self.values.get((row, 1), ""))
                if text in (normalise(table.section), normalise(table.note)):
                    start = min(start, row)
            heads.append((table, start, header))
            after = header
        last_row = self.row_list[-1] if self.row_list else 0
        for index, (table, start, header) in enumerate(heads):
            end = heads[index + 1][1] - 1 if index + 1 < len(heads) else last_row
            found[id(table)] = (start, header, end)
        return found

    # --- the form -----------------------------------------------------------

    def _read_form(self, rows: list[int]) -> None:
        sheet = self.sheet
        statics = sheet.static_texts()
        by_label: dict[str, list[Leaf | Group]] = {}
        for item in sheet.layout.rows:
            by_label.setdefault(normalise(item.title), []).append(item)
        context: tuple[str, ...] = ()
        seen: dict[str, int] = {}
        for row in rows:
            cells = self._row(row)
            label = cells.get(1)
            text = self._text(label) if isinstance(label, str) else None
            candidates = by_label.get(text, []) if text else []
            if candidates:
                # Same title twice (not the case today): the one under the current group.
                item = next((c for c in candidates if c.path[:-1] == context[: len(c.path) - 1]), candidates[0])
                if isinstance(item, Group):
                    context = item.path
                    self._stray(row, cells, allowed={1})
                    continue
                context = item.path[:-1]
                seen[item.key] = row
                self._stray(row, cells, allowed={1, 2} | ({3} if item.key in sheet.notes else set()))
                continue
            if text is not None and text in statics:
                self._stray(row, cells, allowed={1})
                continue
            if rows and row < self._first_form_row(rows, by_label):
                # Title and instructions: only column A is ours.
                self._stray(row, cells, allowed={1})
                continue
            self._stray(row, cells, allowed=set())
        data = self.out.data
        for item in sheet.layout.rows:
            if isinstance(item, Group):
                continue
            row = seen.get(item.key)
            if row is None:
                self.error(self.at(1, 1), "missing-row", title=item.title)
                continue
            cell = self.at(row, 2)
            self.out.cells[item.path] = cell
            for depth in range(1, len(item.path)):
                self.out.cells.setdefault(item.path[:depth], cell)
            value = self._convert(item, self.values.get((row, 2)), cell)
            if value is not None:
                target = data
                for part in item.path[:-1]:
                    target = target.setdefault(part, {})
                target[item.path[-1]] = value

    def _first_form_row(self, rows: list[int], by_label) -> int:
        for row in rows:
            label = self.values.get((row, 1))
            if isinstance(label, str) and (self._text(label) in by_label or self._text(label) == normalise(self.sheet.form_section)):
                return row
        return 0

    def _stray(self, row: int, cells: dict[int, Any], allowed: set[int]) -> None:
        for col, value in sorted(cells.items()):
            if col not in allowed:
                self.error(self.at(row, col), "stray-cell", value=_shown(value))

    # --- a table ------------------------------------------------------------

    def _read_table(self, table: TableSheet, header_row: int, end: int) -> None:
        titles = {normalise(c.title): c for c in table.columns}
        columns: dict[int, Column] = {}
        for col, value in sorted(self._row(header_row).items()):
            column = titles.get(self._text(value)) if isinstance(value, str) else None
            if column is None or column in columns.values():
                self.error(self.at(header_row, col), "extra-column", value=_shown(value))
            else:
                columns[col] = column
        for column in table.columns:
            if column not in columns.values() and column.leaf is not None:
                self.error(self.at(header_row, 1), "missing-column", table=table.table.title, title=column.title)
        # The group header row above (Khối lượng công việc, Kế hoạch): ours, not data.
        if table.has_groups:
            groups = {normalise(c.group) for c in table.columns if c.group}
            for col, value in self._row(header_row - 1).items():
                if not (isinstance(value, str) and self._text(value) in groups):
                    self.error(self.at(header_row - 1, col), "stray-cell", value=_shown(value))
        by_key = {c.leaf.key: col for col, c in columns.items() if c.leaf}
        path = table.table.path
        many_cols = {col for col, c in columns.items() if c.leaf and c.leaf.many}
        single_cols = {col for col, c in columns.items() if c.leaf and not c.leaf.many}
        key_col = by_key.get(table.key) if table.key else None
        id_col = by_key.get(AUTO_ID) if many_cols else None
        # The column that names a record ("Việc cần làm"), for the continuation-row message.
        first = next((c.title for c in table.columns if c.leaf and c.leaf.key != AUTO_ID and not c.leaf.many), "")
        name_cols = {col for col, c in columns.items() if c.leaf and (c.leaf.key == AUTO_ID or c.title == first)}
        records: list[_Record] = []
        current: _Record | _Deleted | None = None  # what a continuation row belongs to
        last_filled = header_row
        for row in self._rows_between(header_row + 1, end):
            cells = self._row(row)
            if row - last_filled - 1 > FAR_GAP:
                col = min(cells)
                self.error(self.at(row, col), "far-row", table=table.table.title, gap=row - last_filled - 1)
                break  # everything further down is as far: one message
            last_filled = row
            for col, value in cells.items():
                if col not in columns:
                    self.error(self.at(row, col), "stray-cell", value=_shown(value))
            inputs = {col: v for col, v in cells.items() if col in columns and columns[col].leaf is not None}
            if not inputs or (key_col is not None and set(inputs) <= {key_col}):
                continue  # a listed task or agency nobody filled in: not reported
            named = bool(set(inputs) & name_cols)
            if many_cols and named and not (set(inputs) & (name_cols - {id_col})):
                # A task's id without its description: the task was deleted,
                # wholly (nothing else left) or not quite (list items left).
                others = set(inputs) - {id_col}
                if others <= many_cols:
                    current = _Deleted(row, _shown(inputs[id_col]))
                    if others:
                        self._leftover(current, row, inputs, columns, first)
                    continue
            if many_cols and not named:
                if isinstance(current, _Deleted):
                    self._leftover(current, row, inputs, columns, first)
                    continue
                if isinstance(current, _Record) and row - current.last_row > 1:
                    col = min(inputs)
                    self.error(self.at(row, col), "task-leftover", row=row, value=_shown(inputs[col]), first=first,
                               task_row=current.first_row)
                    continue
            starts = not many_cols or current is None or named
            if starts:
                current = _Record(row, row, {}, {})
                current.shown = {columns[col].title: (self.at(row, col), cells.get(col))
                                 for col in columns if columns[col].leaf is None}
                records.append(current)
            record = current
            record.last_row = row
            index = len(records) - 1
            if not starts:
                for col in sorted(inputs):
                    if col in single_cols:
                        self.error(self.at(row, col), "continuation-value", row=record.first_row, title=columns[col].title, first=first)
            for col, value in sorted(inputs.items()):
                leaf = columns[col].leaf
                cell = self.at(row, col)
                converted = self._convert(leaf, value, cell)
                if leaf.many:
                    bucket = record.values.setdefault(leaf.key, [])
                    rows = record.item_rows.setdefault(col, [])
                    expected = record.first_row + len(rows)
                    if row != expected and converted is not None:
                        self.error(cell, "list-gap", title=columns[col].title, task_row=record.first_row, gap=expected,
                                   value=_shown(value))
                    same = _same_item(converted)
                    earlier = next((r for r, v in rows if same is not None and v == same), None)
                    if earlier is not None:
                        self.error(cell, "duplicate-item", value=_shown(value), title=columns[col].title,
                                   task_row=record.first_row, first=earlier)
                    rows.append((row, same))
                    self.out.cells.setdefault(path + (index,) + leaf.path, cell)
                    self.out.cells[path + (index,) + leaf.path + (len(bucket),)] = cell
                    if converted is not None:
                        bucket.append(converted)
                elif starts:
                    record.values[leaf.key] = converted
        # Cells of every field of every record (empty ones too: "missing" errors point there).
        data_rows: list[dict] = []
        for index, record_read in enumerate(records):
            row, item = record_read.first_row, record_read.values
            self.out.cells[path + (index,)] = self.at(row, min(columns) if columns else 1)
            if record_read.shown:
                self.out.shown[path + (index,)] = record_read.shown
            record: dict = {}
            for column in table.columns:
                leaf = column.leaf
                if leaf is None:
                    continue
                col = by_key.get(leaf.key)
                if col is None:
                    continue
                self.out.cells.setdefault(path + (index,) + leaf.path, self.at(row, col))
                for depth in range(1, len(leaf.path)):
                    self.out.cells.setdefault(path + (index,) + leaf.path[:depth], self.at(row, col))
                value = item.get(leaf.key)
                if value is None or value == []:
                    continue
                target = record
                for part in leaf.path[:-1]:
                    target = target.setdefault(part, {})
                target[leaf.path[-1]] = value
            data_rows.append(record)
        if table.table.path[-1] == "phan_viec":
            _fill_task_ids(data_rows)
        # A table with no record points at its first input cell.
        input_col = next((col for col, c in sorted(columns.items()) if c.leaf and not c.locked), min(columns, default=1))
        self.out.cells.setdefault(path, self.at(header_row + 1, input_col))
        if data_rows:
            self.out.data[path[-1]] = data_rows

    def _leftover(self, deleted: _Deleted, row: int, inputs: dict, columns: dict, first: str) -> None:
        col = min(c for c in inputs if columns[c].leaf.many) if any(columns[c].leaf.many for c in inputs) else min(inputs)
        self.error(self.at(row, col), "deleted-task-leftover", task=deleted.task, task_row=deleted.row, first=first,
                   row=row, value=_shown(inputs[col]))

    # --- one value ----------------------------------------------------------

    def _number(self, leaf: Leaf, value: Any, cell: Cell):
        title, whole = leaf.title, leaf.kind == "int"
        if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
            self.error(cell, "not-a-number", title=title, value=_shown(value))
            return None
        if isinstance(value, (int, float)):
            fmt = getattr(self.ws._cells.get((cell.row, cell.col)), "number_format", "") or ""
            if "%" in fmt.replace('"%"', ""):
                self.error(cell, "percent-number", title=title, shown=_shown(value * 100) + "%", value=_shown(value))
                return None
            value = tidy_float(value) if isinstance(value, float) else value
        else:
            typed = value
            if len(typed.strip()) > MAX_NUMBER_CHARACTERS:
                # Before any conversion: Python refuses (in English) to read
                # a 5,000-digit number, and no count of the forms has 20 digits.
                self.error(cell, "number-out-of-range", title=title, value=_shown(typed.strip()[:20]) + "…",
                           limit=MAX_NUMBER_TEXT)
                return None
            try:
                value = number_from_text(typed, whole)
            except Unreadable as problem:
                self.error(cell, problem.key, title=title, value=_shown(typed.strip()), **problem.fill)
                return None
            if value is None:
                self.error(cell, "not-a-number", title=title, value=_shown(typed))
                return None
        if not -MAX_NUMBER <= value <= MAX_NUMBER:  # also NaN
            self.error(cell, "number-out-of-range", title=title, value=_shown_big(value), limit=MAX_NUMBER_TEXT)
            return None
        if whole and isinstance(value, float):
            if not value.is_integer():
                self.error(cell, "not-whole", title=title, value=_shown(value))
                return None
            return int(value)
        return value

    def _convert(self, leaf: Leaf, value: Any, cell: Cell):
        """A cell value as the YAML value the model expects, or None (reported)."""
        if value is None:
            return None
        title = leaf.title
        if isinstance(value, str):
            # A carriage return (Excel keeps one as «_x000D_» from a paste) is
            # the line break the clerk meant; other control characters are
            # refused here, with the cell, before they reach a calendar or a page.
            value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
            if leaf.kind == "text":
                value = tidy_spaces(value)
            if not value:
                return None
            control = control_character(value)
            if control is not None:
                self.error(cell, "control-character", title=title, char=control[1])
                return None
        choice = self.sheet.choice(leaf)
        if leaf.kind == "bool":
            if isinstance(value, bool):
                return value
            found = choice.id_of(str(value))
            if found is None:
                self.error(cell, "not-in-list", value=_shown(value), title=title, choices=", ".join(choice.labels))
                return None
            return found == "true"
        if leaf.ref and choice is not None:
            found = choice.id_of(str(value)) if isinstance(value, str) else None
            if found is None and isinstance(value, str) and value in choice.ids:
                found = value  # the id itself, as Board staff may type it
            if found is None:
                self.error(cell, "not-in-list", value=_shown(value), title=title, choices=", ".join(choice.labels))
            return found
        if leaf.kind in ("int", "float"):
            return self._number(leaf, value, cell)
        if leaf.kind == "date":
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, str):
                return date_from_text(value)  # «25/03/2023» is parsed by the model, as in YAML
            if isinstance(value, date):
                return value
            # A bare number would pass for a Unix timestamp: refuse it here.
            self.error(cell, "not-a-date", title=title, value=_shown(value))
            return None
        if leaf.kind == "time":
            if isinstance(value, time):
                return value.replace(second=0, microsecond=0)
            if isinstance(value, datetime) and value.date() in _EXCEL_EPOCHS:
                return value.time().replace(second=0, microsecond=0)
            if isinstance(value, float) and 0 <= value < 1:  # a time whose cell lost its format
                minutes = round(value * 24 * 60)
                return time(minutes // 60 % 24, minutes % 60)
            if isinstance(value, str):
                return value  # «7h00», «7:30»: parsed by the model
            self.error(cell, "not-a-time", title=title, value=_shown(value))
            return None
        # Text.
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not -MAX_NUMBER <= value <= MAX_NUMBER:
                self.error(cell, "number-out-of-range", title=title, value=_shown_big(value), limit=MAX_NUMBER_TEXT)
                return None
            return _shown(value)
        self.error(cell, "not-text", title=title, value=_shown(value))
        return None


# What a quantity, count of households or of people can plausibly be: a
# commune has a few thousand households, a road is some km, an area some
# thousand m2. Far above any real figure, far below what breaks a page or a PDF.
MAX_NUMBER_CHARACTERS = 20  # «1.000.000.000,25» has 16


def _shown_big(value: float | int) -> str:
    """A number too large to print whole: its first digits and how many there are."""
    if value != value:
        return "không phải số (NaN)"
    if isinstance(value, float) and abs(value) == float("inf"):
        return "vô cực"
    digits = f"{abs(value):.0f}" if isinstance(value, float) else str(abs(value))
    return ("-" if value < 0 else "") + (digits if len(digits) <= 15 else f"{digits[:6]}… ({len(digits)} chữ số)")


# In text: characters that show nothing (zero-width spaces, the word joiner,
# a byte-order mark) go; every other kind of space (tab, no-break space, em
# space...) is the space the clerk saw, and several are one. Line breaks stay.
_SPACES = re.compile(f"[ \t{ODD_SPACE_CHARS}]+")


# Colours a font or fill may name by theme (Office themes: 0 and 2 light, 1
# and 3 dark; the accents), or by Excel's legacy palette (openpyxl's list).
_THEME = {0: "FFFFFF", 1: "000000", 2: "E7E6E6", 3: "44546A", 4: "4472C4", 5: "ED7D31", 6: "A5A5A5", 7: "FFC000",
          8: "5B9BD5", 9: "70AD47"}
# The colours a number format may name in its first section: «[White]@».
_FORMAT_COLOURS = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00", "blue": "0000FF",
                   "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}
_FORMAT_COLOUR = re.compile(r"^\[(\w+)\]")


def _rgb(colour) -> str | None:
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) >= 6:
        return colour.rgb[-6:].upper()
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = colour.indexed
        return COLOR_INDEX[index][-6:].upper() if isinstance(index, int) and 0 <= index < len(COLOR_INDEX) else None
    if kind == "theme":
        base = _THEME.get(colour.theme)
        return _tinted(base, float(getattr(colour, "tint", 0) or 0)) if base else None
    return None


def _tinted(rgb: str, tint: float) -> str:
    """A theme colour lightened (tint > 0) or darkened (< 0) as Excel shows it."""
    def one(c: int) -> int:
        return round(c * (1 + tint)) if tint < 0 else round(c + (255 - c) * tint)

    return "".join(f"{max(0, min(255, one(int(rgb[i:i + 2], 16)))):02X}" for i in (0, 2, 4))


def _luminance(rgb: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _ink_like_paper(cell) -> bool:
    """Text in the colour of its cell (white on white, yellow on the yellow
    input cells, a light theme shade, «[White]@»): the clerk sees an empty
    cell. Contrast under 1.5 : 1."""
    named = _FORMAT_COLOUR.match((cell.number_format or "").strip())
    font = _FORMAT_COLOURS.get(named.group(1).lower()) if named else None
    if font is None and cell.font is not None:
        font = _rgb(getattr(cell.font, "color", None))
    if font is None:
        return False
    fill = cell.fill
    paper = _rgb(fill.fgColor) if fill is not None and fill.fill_type == "solid" else "FFFFFF"
    if paper is None:
        return False
    light, dark = sorted((_luminance(font), _luminance(paper)), reverse=True)
    return (light + 0.05) / (dark + 0.05) < 1.5


def tidy_spaces(text: str) -> str:
    """A text cell as the clerk saw it: no invisible characters, one plain space between words."""
    text = INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _shown(value: Any) -> str:
    """A cell value as the clerk sees it (for messages)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value.hour}h{value.minute:02d}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def task_id(description: str) -> str:
    """«Quét dọn đường, ngõ xóm» -> «quet-don-duong-ngo-xom» (at most 40 characters)."""
    text = unicodedata.normalize("NFD", description.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "viec"


def _fill_task_ids(records: list[dict]) -> None:
    """New tasks (no id typed) get one from their description, unique in the plan."""
    taken = {r["ma"] for r in records if r.get("ma")}
    for record in records:
        if record.get("ma") or not record.get("noi_dung"):
            continue
        base = task_id(record["noi_dung"])
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        record["ma"] = candidate
        taken.add(candidate)


def read_sheet(ws, sheet: FormSheet, display: str) -> SheetReading:
    return _Reader(ws, sheet, display).read()

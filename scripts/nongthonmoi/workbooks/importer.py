"""One workbook from a commune, read and checked: :func:`read_form`.

For each file: open it safely (``package.py``: whatever the file, a
Vietnamese message, never a traceback, never unbounded work), recognise it by
its hidden sheet, read the form sheet into YAML data (``reading.py``),
validate that data with the model and the cross-checks of ``ntm check``
(``saturday/data.py``), and refuse what is ambiguous: another sheet holding
data, a form sent back untouched, a plan re-dated before the form's own
Saturday or far from it. What happens with the batch of files and with the
repository (duplicates, overwrites, writing) is ``batch.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .. import rules
from ..buildday import build_day
from ..contentcheck import word_problems
from ..errors import ContentError, ContentErrors
from ..models.agencies import AgencyRegistry
from ..models.base import ViDate, allowed_numbers, field_at, validate
from ..models.plans import SaturdayPlan, TimeWindow, plain_amount
from ..models.results import SaturdayResult
from ..models.units import Unit, UnitRegistry
from ..saturday import data as saturday_data
from ..yamlsource import load_yaml
from . import messages
from .book import LISTS_SHEET, META_SHEET, Meta, read_meta
from .forms import FormSheet, plan_sheet, result_sheet
from .layout import PLAN, REPORT, RESULT, layout
from .package import LIMITS, Refused, open_workbook, refuse
from .reading import Cell, WorkbookSource, read_sheet

MAX_BYTES = LIMITS.max_bytes
_ALIAS = re.compile(r"«([a-z_]+)»")
_ID = re.compile(r"«([a-z0-9]+(?:-[a-z0-9]+)*)»")
# A plan form is for its Saturday or one soon after; its drafting date is
# within these days before the Saturday (S009 refuses one after it).
MAX_WEEKS_AFTER_FORM = 8
MAX_DRAFT_DAYS = 56


# --- what the repository holds --------------------------------------------------


@dataclass
class Repository:
    root: Path
    units: UnitRegistry
    agencies: AgencyRegistry

    @classmethod
    def load(cls, root: Path) -> Repository:
        materials = root / "materials"
        errors: list[ContentError] = []
        loaded = {}
        for name, model in ((saturday_data.UNITS_FILE, UnitRegistry), (saturday_data.AGENCIES_FILE, AgencyRegistry)):
            try:
                loaded[name] = validate(model, load_yaml(materials / name, f"materials/{name}"))
            except ContentErrors as exc:
                errors += exc.errors
            except FileNotFoundError:
                errors.append(rules.error("Y009", f"materials/{name}", 0))
        if errors:
            raise ContentErrors(errors)
        return cls(root, loaded[saturday_data.UNITS_FILE], loaded[saturday_data.AGENCIES_FILE])

    def record(self, rel: str, model):
        """(source, record) of a file in materials/, None if absent; ContentErrors if broken."""
        path = self.root / rel
        if not path.is_file():
            return None
        source = load_yaml(path, rel)
        return source, validate(model, source)


# --- one workbook -----------------------------------------------------------------


def _titles(kind: str) -> dict[str, str]:
    """YAML field name -> its Vietnamese title, for messages shared with ``ntm check``."""
    lay = layout(kind)
    titles = {leaf.path[-1]: leaf.title for leaf in lay.leaves}
    for table in lay.tables:
        titles.setdefault(table.path[-1], table.title)
        for column in table.columns:
            titles.setdefault(column.path[-1], column.title)
    return titles


_PYDANTIC_KEYS = {
    "missing": "missing",
    "too_short": "missing-list",
    "string_too_short": "missing",
    "greater_than_equal": "negative",
    "greater_than": "not-positive",
    "string_pattern_mismatch": "bad-id",
    "date_from_datetime_parsing": "not-a-date",
    "date_parsing": "not-a-date",
    "date_type": "not-a-date",
    "ntm_date": "not-a-date",
    "ntm_clock": "not-a-time",
    "ntm_markup": "markup",
}


def _detail(error: dict) -> str:
    """What is wrong, in Vietnamese, for the rules without a message of their
    own (W039); pydantic's own text is English."""
    ctx, value = error.get("ctx") or {}, error.get("input")
    if error["type"] == "ntm_time_order":
        return f"phải sau giờ bắt đầu ({ctx['start']}), đang là {ctx['end']}"
    if error["type"] in ("too_long", "string_too_long") and isinstance(value, str):
        return f"dài {len(value)} ký tự, quá giới hạn {ctx.get('max_length')} ký tự"
    if error["type"] == "too_long":
        return f"có {ctx.get('actual_length')} mục, quá giới hạn {ctx.get('max_length')} mục"
    return "giá trị không đúng mẫu"


# The end of the hours: where «end before start» points (the error itself is the whole window's).
_END = (TimeWindow.model_fields["end"].alias,)


def _model_errors(exc: ValidationError, source: WorkbookSource, kind: str, model: type) -> list[ContentError]:
    """The model's own rules (required, not negative...), worded for a cell."""
    titles = _titles(kind)
    lay = layout(kind)
    columns = {t.path[-1]: {c.path: c.title for c in t.columns} for t in lay.tables}
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"]) + (_END if error["type"] == "ntm_time_order" else ())
        field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        title = titles.get(field_name, field_name)
        if len(loc) > 2 and loc[0] in columns:  # a table's column: «Việc cần làm», not the plan's «Nội dung chính»
            title = columns[loc[0]].get(tuple(p for p in loc[2:] if isinstance(p, str)), title)
        value = error.get("input")
        shown = value if not isinstance(value, (dict, list)) else "..."
        detail = _detail(error)
        key = _PYDANTIC_KEYS.get(error["type"], "invalid")
        if key == "missing" and field_name in {t.path[-1] for t in layout(kind).tables}:
            key = "missing-list"  # a table with no filled row
        cell = source.cell(loc)
        allowed = allowed_numbers(field_at(model, loc))
        out.append(messages.error(key, source.display, cell.row, cell, title=title, value=shown, detail=detail, allowed=allowed))
    return out


_DATE = TypeAdapter(ViDate)


def _as_date(value):
    """A date cell's value as a date, text such as «11/03/2023» too (as YAML reads it)."""
    try:
        return _DATE.validate_python(value)
    except ValidationError:
        return value


def _target(kind: str, unit: str, saturday) -> str:
    return (saturday_data.plan_path if kind == PLAN else saturday_data.result_path)(unit, saturday)


@dataclass
class Candidate:
    """A workbook read and valid on its own, with where its record goes."""

    display: str
    meta: Meta
    unit: Unit
    sheet: FormSheet
    source: WorkbookSource
    record: SaturdayPlan | SaturdayResult
    target: str

    @property
    def kind(self) -> str:
        return self.meta.kind

    @property
    def key(self) -> tuple[str, date]:
        return (self.unit.id, self.record.date)


def identify(repo: Repository, wb, display: str) -> tuple[Meta, Unit]:
    """The form's hidden identity and its commune; ContentErrors when it is no form of ours."""
    meta = read_meta(wb)
    if meta is None:
        raise ContentErrors([refuse(display, "not-ours", sheet=META_SHEET).error])
    if isinstance(meta, str):
        raise ContentErrors([refuse(display, "old-version", found=meta).error])
    if meta.kind == REPORT:
        raise ContentErrors([refuse(display, "report").error])
    if meta.kind not in (PLAN, RESULT):  # the hidden sheet was edited: no form of ours
        raise ContentErrors([refuse(display, "not-ours", sheet=META_SHEET).error])
    unit = repo.units.by_id().get(meta.unit)
    if unit is None:
        raise ContentErrors([refuse(display, "unknown-unit", value=meta.unit).error])
    return meta, unit


def no_plan_error(display: str, unit: Unit, saturday: date) -> ContentError:
    return refuse(display, "no-plan", unit=unit.full_name, date=f"{saturday:%d/%m/%Y}",
                  unit_id=unit.id, iso=saturday.isoformat()).error


def _extra_sheets(wb, form: str, display: str) -> list[ContentError]:
    """Another sheet holding data beside the form (a copy filled instead of it)."""
    errors = []
    for ws in wb.worksheets:
        if ws.title in (form, LISTS_SHEET, META_SHEET):
            continue
        filled = next(((r, c) for (r, c), cell in sorted(ws._cells.items())
                       if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip())), None)
        if filled is not None:
            where = Cell(ws.title, *filled)
            errors.append(messages.error("extra-sheet", display, where.row, where, sheet=ws.title, form=form))
    return errors


def _plan_dates(record: SaturdayPlan, meta: Meta, source: WorkbookSource, display: str) -> list[ContentError]:
    """A plan re-dated before the form's Saturday, or far from it or from its drafting date."""
    errors = []
    cell = source.cell(("ngay",))
    shown, form = f"{record.date:%d/%m/%Y}", f"{meta.saturday:%d/%m/%Y}"
    if record.date < meta.saturday:
        errors.append(messages.error("date-before-form", display, cell.row, cell, value=shown, form=form))
    elif record.date > meta.saturday + timedelta(weeks=MAX_WEEKS_AFTER_FORM):
        weeks = (record.date - meta.saturday).days // 7
        errors.append(messages.error("date-far", display, cell.row, cell, value=shown, form=form, weeks=weeks,
                                     limit=MAX_WEEKS_AFTER_FORM))
    days = (record.date - record.drafted).days
    if days > MAX_DRAFT_DAYS:
        drafted = source.cell(("ngay_lap",))
        errors.append(messages.error("drafted-far", display, drafted.row, drafted, drafted=f"{record.drafted:%d/%m/%Y}",
                                     date=shown, days=days, limit=MAX_DRAFT_DAYS))
    return errors


def names_in(sheet: FormSheet) -> dict[str, str]:
    """Id -> the name the workbook shows (hamlets, agencies, tasks), for messages."""
    names: dict[str, str] = {}
    for key in ("hamlet", "agency", "task"):
        choice = sheet.choices.get(key)
        if choice is not None:
            names.update(zip(choice.ids, choice.labels))
    return names


def _for_cells(errors: list[ContentError], kind: str, names: dict[str, str] | None = None) -> list[ContentError]:
    """Cross-check messages name YAML fields («so_ho_tham_gia») and ids
    («van-phong-hdnd-ubnd»); a clerk sees titles and names."""
    titles = _titles(kind)
    names = names or {}

    def swap(text: str) -> str:
        text = _ALIAS.sub(lambda m: f"«{titles.get(m.group(1), m.group(1))}»", text)
        return _ID.sub(lambda m: f"«{names.get(m.group(1), m.group(1))}»", text)

    return [replace(e, message=swap(e.message), hint=swap(e.hint)) if e.cell else e for e in errors]


def _texts(value, loc: tuple = ()):
    """(location, text) of every text of a record as read from the form."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))


def read_form(repo: Repository, wb, meta: Meta, unit: Unit, display: str, expect_unit: str | None = None,
              plan: SaturdayPlan | None = None) -> Candidate:
    """The workbook's record, valid on its own; ContentErrors listing every problem otherwise.

    ``plan``: for a result form, the plan it reports on (the one of the same
    batch, else the repository's); None refuses the result (W014).
    """
    if meta.kind == RESULT and plan is None:
        raise ContentErrors([no_plan_error(display, unit, meta.saturday)])
    sheet = plan_sheet(unit, repo.agencies, []) if meta.kind == PLAN else result_sheet(unit, plan, repo.agencies)
    if sheet.name not in wb.sheetnames:
        found_names = ", ".join(f"«{n}»" for n in wb.sheetnames if n != META_SHEET) or "không có"
        raise ContentErrors([refuse(display, "sheet-missing", cell=sheet.name, sheet=sheet.name, found=found_names).error])

    reading = read_sheet(wb[sheet.name], sheet, display)
    data, errors = reading.data, list(reading.errors)
    errors += _extra_sheets(wb, sheet.name, display)
    source = WorkbookSource(Path(display), display, data, reading.cells, Cell(sheet.name, 1, 1))
    # Who and when the form is for comes from its hidden sheet; the visible,
    # locked cells must still agree with it.
    unit_cell = source.cell(("xa",))
    shown_unit = data.get("xa")
    if expect_unit and expect_unit != unit.id:
        expected = repo.units.by_id().get(expect_unit)
        errors.append(messages.error("another-commune", display, unit_cell.row, unit_cell, found=unit.full_name,
                                      expected=expected.full_name if expected else f"«{expect_unit}»"))
        raise ContentErrors(errors)  # the file is another commune's: nothing else about it matters
    if meta.blank and reading.fingerprint == meta.blank:
        what = "kế hoạch chép từ tuần trước" if meta.kind == PLAN else "mẫu kết quả trống"
        raise ContentErrors([messages.error("untouched", display, 0, "", what=what)] + errors)
    if isinstance(shown_unit, str) and shown_unit.casefold() != unit.full_name.casefold():
        errors.append(
            messages.error("commune-changed", display, unit_cell.row, unit_cell, value=shown_unit, expected=unit.full_name)
        )
    data["xa"] = unit.id
    if meta.kind == RESULT:
        shown_date = data.get("ngay")
        if shown_date is not None and _as_date(shown_date) != meta.saturday:
            date_cell = source.cell(("ngay",))
            shown = f"{shown_date:%d/%m/%Y}" if hasattr(shown_date, "strftime") else str(shown_date)
            errors.append(
                messages.error("date-changed", display, date_cell.row, date_cell, value=shown, expected=f"{meta.saturday:%d/%m/%Y}")
            )
        data["ngay"] = meta.saturday
        today = build_day()
        if meta.saturday > today:
            date_cell = source.cell(("ngay",))
            errors.append(messages.error("result-before-its-day", display, date_cell.row, date_cell,
                                         value=f"{meta.saturday:%d/%m/%Y}", today=f"{today:%d/%m/%Y}"))

    model = SaturdayPlan if meta.kind == PLAN else SaturdayResult
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        # A cell the reader refused (text in a number cell, a formula, a deleted
        # row...) reaches the model empty: «đang để trống» there would be wrong.
        refused = {e.cell for e in errors}
        raise ContentErrors(errors + [e for e in _model_errors(exc, source, meta.kind, model) if e.cell not in refused]) from None
    key = (unit.id, record.date)
    names = names_in(sheet)
    # The words `ntm check` reads in every data file (T002, T003): said here
    # at their cell, not after the file is written and the build refuses it.
    errors += [rules.error(rule, source.display, source.line_of(loc), cell=source.cell_of(loc), word=word)
               for loc, text in _texts(data) for rule, word in word_problems(text)]
    if meta.kind == PLAN:
        errors += _for_cells(saturday_data.check_plan(record, source, key, repo.units, repo.agencies), PLAN, names)
        # One message a cell: a Friday is «not a Saturday», not also «before the form's Saturday».
        taken = {e.cell for e in errors}
        errors += [e for e in _plan_dates(record, meta, source, display) if e.cell not in taken]
    else:
        errors += _for_cells(saturday_data.check_result(record, source, key, plan, repo.agencies), RESULT, names)
        errors += _planned_cells_kept(reading.shown, record, plan, display)
    if errors:
        raise ContentErrors(errors)
    return Candidate(display, meta, unit, sheet, source, record, _target(meta.kind, unit.id, record.date))


def _planned_cells_kept(shown: dict, result: SaturdayResult, plan: SaturdayPlan, display: str) -> list[ContentError]:
    """The result form shows each task's planned amount and unit beside the
    amount done, locked but without a password. A clerk who changed them (to
    report 1500 m against a plan in km) meant the amount in another unit: the
    import cannot know which, so it refuses rather than file 1500 km."""
    errors = []
    for index, done in enumerate(result.work_done):
        task = plan.task(done.task)
        cells = shown.get(("khoi_luong_da_lam", index), {})
        if task is None:
            continue
        expected = {"Số lượng": plain_amount(task.quantity.amount), "Đơn vị tính": task.quantity.unit}
        for title, (cell, value) in sorted(cells.items(), key=lambda item: item[1][0].col):
            if title not in expected:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                typed = plain_amount(value)
            else:
                typed = " ".join(str(value or "").split())
            if typed.casefold() != expected[title].casefold():
                errors.append(messages.error(
                    "planned-cell-changed", display, cell.row, cell, title=title, task=task.description,
                    value=typed or "(trống)", expected=expected[title], planned=str(task.quantity), unit=task.quantity.unit,
                ))
    return errors


def counterpart_errors(repo: Repository, plan: SaturdayPlan) -> list[ContentError]:
    """A result already filed for the plan's Saturday must still match the new plan."""
    key = (plan.unit, plan.date)
    try:
        counterpart = repo.record(saturday_data.result_path(*key), SaturdayResult)
    except ContentErrors as exc:
        return exc.errors
    if counterpart is None:
        return []
    return saturday_data.check_result(counterpart[1], counterpart[0], key, plan, repo.agencies)


def check_workbook(repo: Repository, content: bytes, display: str, expect_unit: str | None = None) -> Candidate:
    """One workbook alone against the repository (its plan from there): the
    record, or ContentErrors. Batches go through ``batch.py``."""
    try:
        wb = open_workbook(content, display)
    except Refused as exc:
        raise ContentErrors([exc.error]) from None
    meta, unit = identify(repo, wb, display)
    plan = None
    if meta.kind == RESULT:
        found = repo.record(saturday_data.plan_path(unit.id, meta.saturday), SaturdayPlan)
        plan = found[1] if found else None
    candidate = read_form(repo, wb, meta, unit, display, expect_unit, plan)
    if candidate.kind == PLAN:
        errors = counterpart_errors(repo, candidate.record)
        if errors:
            raise ContentErrors(errors)
    return candidate

"""``ntm nhap-excel``: filled workbooks back into ``materials/``.

For each workbook: open it (whatever the file is, a Vietnamese message, never
a traceback), recognise it by its hidden sheet, read the sheet into YAML data,
validate that data with the model and the cross-checks of ``ntm check``
(``saturday/data.py``), and only when the whole workbook is valid write the
YAML file. A file whose data did not change is not touched, so importing the
same workbook twice changes nothing.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .. import rules
from ..atomicfile import write_atomically
from ..errors import ContentError, ContentErrors
from ..models.agencies import AgencyRegistry
from ..models.base import ViDate, validate
from ..models.plans import SaturdayPlan, TimeWindow
from ..models.results import SaturdayResult
from ..models.units import UnitRegistry
from ..saturday import data as saturday_data
from ..yamlsource import load_yaml
from . import messages
from .book import META_SHEET, read_meta
from .forms import plan_sheet, result_sheet
from .layout import PLAN, REPORT, RESULT, layout
from .reading import Cell, WorkbookSource, read_sheet
from .yamlfile import leading_comments, record_text, schema_line

MAX_BYTES = 10 * 2**20  # a filled form is tens of KB; a photo pasted in is the usual excess
MAX_UNPACKED = 60 * 2**20  # XML inside the zip (a zip bomb stops here)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Office's encrypted .xlsx
_ALIAS = re.compile(r"«([a-z_]+)»")


@dataclass
class Imported:
    workbook: str  # the file name as received
    status: str  # "new" | "updated" | "unchanged" | "checked" | "error"
    target: str = ""  # materials/... written or compared
    errors: list[ContentError] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, error: ContentError):
        self.error = error


def _refuse(display: str, key: str, cell: str = "", **fill) -> _Refused:
    return _Refused(messages.error(key, display, 0, cell, **fill))


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{count / 1024:.0f} KB"


def open_workbook(content: bytes, display: str):
    """The openpyxl workbook, or :class:`_Refused` with what the file is instead."""
    if not content:
        raise _refuse(display, "empty-file")
    if len(content) > MAX_BYTES:
        raise _refuse(display, "too-big", size=_size(len(content)))
    if content.startswith(_OLE):
        # Office wraps a password-protected .xlsx in the old compound format.
        raise _refuse(display, "password" if "EncryptionInfo".encode("utf-16-le") in content else "xls")
    if not content.startswith(b"PK"):
        raise _refuse(display, "not-xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                raise _refuse(display, "ods")
            if "xl/workbook.xml" not in names:
                raise _refuse(display, "not-xlsx")
            if any(i.flag_bits & 0x1 for i in infos):
                raise _refuse(display, "password")
            unpacked = sum(i.file_size for i in infos if i.filename.endswith(".xml"))
            if unpacked > MAX_UNPACKED:
                raise _refuse(display, "too-big", size=_size(unpacked) + " khi giải nén")
    except zipfile.BadZipFile as exc:
        raise _refuse(display, "broken", detail="không phải tệp nén hợp lệ") from exc
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns in English about extensions it drops (slicers, WPS
            # extras); they do not matter for reading values.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), data_only=False, keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise _refuse(display, "broken", detail=type(exc).__name__) from exc


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


def _for_cells(errors: list[ContentError], kind: str) -> list[ContentError]:
    """Cross-check messages name YAML fields («so_ho_tham_gia»); a clerk sees titles."""
    titles = _titles(kind)

    def swap(text: str) -> str:
        return _ALIAS.sub(lambda m: f"«{titles.get(m.group(1), m.group(1))}»", text)

    return [replace(e, message=swap(e.message), hint=swap(e.hint)) if e.cell else e for e in errors]


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


def _model_errors(exc: ValidationError, source: WorkbookSource, kind: str) -> list[ContentError]:
    """The model's own rules (required, not negative...), worded for a cell."""
    titles = _titles(kind)
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"]) + (_END if error["type"] == "ntm_time_order" else ())
        field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        title = titles.get(field_name, field_name)
        value = error.get("input")
        shown = value if not isinstance(value, (dict, list)) else "..."
        detail = _detail(error)
        key = _PYDANTIC_KEYS.get(error["type"], "invalid")
        if key == "missing" and field_name in {t.path[-1] for t in layout(kind).tables}:
            key = "missing-list"  # a table with no filled row
        cell = source.cell(loc)
        out.append(messages.error(key, source.display, cell.row, cell, title=title, value=shown, detail=detail))
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


def check_workbook(repo: Repository, content: bytes, display: str, expect_unit: str | None = None):
    """(kind, target path, record, existing file text or None) of a valid
    workbook; raises ContentErrors listing every problem otherwise."""
    try:
        wb = open_workbook(content, display)
    except _Refused as exc:
        raise ContentErrors([exc.error]) from None
    meta = read_meta(wb)
    if meta is None:
        raise ContentErrors([_refuse(display, "not-ours", sheet=META_SHEET).error])
    if isinstance(meta, str):
        raise ContentErrors([_refuse(display, "old-version", found=meta).error])
    if meta.kind == REPORT:
        raise ContentErrors([_refuse(display, "report").error])
    if meta.kind not in (PLAN, RESULT):  # the hidden sheet was edited: no form of ours
        raise ContentErrors([_refuse(display, "not-ours", sheet=META_SHEET).error])
    unit = repo.units.by_id().get(meta.unit)
    if unit is None:
        raise ContentErrors([_refuse(display, "unknown-unit", value=meta.unit).error])

    plan = None
    if meta.kind == RESULT:
        found = repo.record(saturday_data.plan_path(unit.id, meta.saturday), SaturdayPlan)
        if found is None:
            raise ContentErrors([_refuse(display, "no-plan", unit=unit.full_name, date=f"{meta.saturday:%d/%m/%Y}",
                                         unit_id=unit.id, iso=meta.saturday.isoformat()).error])
        plan = found[1]
    sheet = plan_sheet(unit, repo.agencies, []) if meta.kind == PLAN else result_sheet(unit, plan, repo.agencies)
    if sheet.name not in wb.sheetnames:
        found_names = ", ".join(f"«{n}»" for n in wb.sheetnames if n != META_SHEET) or "không có"
        raise ContentErrors([_refuse(display, "sheet-missing", cell=sheet.name, sheet=sheet.name, found=found_names).error])

    reading = read_sheet(wb[sheet.name], sheet, display)
    data, errors = reading.data, list(reading.errors)
    source = WorkbookSource(Path(display), display, data, reading.cells, Cell(sheet.name, 1, 1))
    # Who and when the form is for comes from its hidden sheet; the visible,
    # locked cells must still agree with it.
    unit_cell = source.cell(("xa",))
    shown_unit = data.get("xa")
    if expect_unit and expect_unit != unit.id:
        expected = repo.units.by_id().get(expect_unit)
        errors.append(messages.error("another-commune", display, unit_cell.row, unit_cell, found=unit.full_name,
                                      expected=expected.full_name if expected else f"«{expect_unit}»"))
    elif isinstance(shown_unit, str) and shown_unit.casefold() != unit.full_name.casefold():
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

    model = SaturdayPlan if meta.kind == PLAN else SaturdayResult
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        # A cell the reader refused (text in a number cell, a formula, a deleted
        # row...) reaches the model empty: «đang để trống» there would be wrong.
        refused = {e.cell for e in errors}
        raise ContentErrors(errors + [e for e in _model_errors(exc, source, meta.kind) if e.cell not in refused]) from None
    key = (unit.id, record.date)
    target = _target(meta.kind, unit.id, record.date)
    if meta.kind == PLAN:
        errors += _for_cells(saturday_data.check_plan(record, source, key, repo.units, repo.agencies), PLAN)
        # A result already filed for that Saturday must still match the new plan.
        try:
            counterpart = repo.record(saturday_data.result_path(*key), SaturdayResult)
        except ContentErrors as exc:
            counterpart, errors = None, errors + exc.errors
        if counterpart is not None:
            errors += saturday_data.check_result(counterpart[1], counterpart[0], key, record, repo.agencies)
    else:
        errors += _for_cells(saturday_data.check_result(record, source, key, plan, repo.agencies), RESULT)
    if errors:
        raise ContentErrors(errors)
    existing = repo.root / target
    return meta.kind, target, record, existing.read_text(encoding="utf-8") if existing.is_file() else None


def import_workbook(repo: Repository, path: Path, expect_unit: str | None = None, write: bool = True) -> Imported:
    display = path.name
    try:
        content = path.read_bytes()
    except OSError as exc:
        return Imported(display, "error", errors=[_refuse(display, "unreadable", detail=exc.strerror or type(exc).__name__).error])
    try:
        kind, target, record, existing_text = check_workbook(repo, content, display, expect_unit)
    except ContentErrors as exc:
        return Imported(display, "error", errors=exc.errors)
    if existing_text is not None:
        try:
            _, old = repo.record(target, type(record))
        except ContentErrors:
            old = None  # the file is broken today; the valid workbook replaces it
        if old is not None:
            record = _keep_unsheeted(record, old)
        if old == record:
            return Imported(display, "unchanged", target)
    if not write:
        return Imported(display, "checked", target)
    head = leading_comments(existing_text) if existing_text is not None else schema_line(kind)
    _write(repo.root / target, record_text(record, head or schema_line(kind)))
    return Imported(display, "updated" if existing_text is not None else "new", target)


def _keep_unsheeted(record, old):
    """The fields a workbook never carries (the photos, layout.in_workbook)
    keep what the file had: importing a result form must not drop its photos."""
    from .layout import in_workbook

    kept = {name: getattr(old, name) for name, info in type(record).model_fields.items() if not in_workbook(info)}
    return record.model_copy(update=kept) if kept else record


def _write(path: Path, text: str) -> None:
    write_atomically(path, text.encode("utf-8"))  # all or nothing: never half a file


def import_all(root: Path, paths: list[Path], expect_unit: str | None = None, write: bool = True) -> list[Imported]:
    """Each workbook on its own: a bad one does not stop the others."""
    try:
        repo = Repository.load(root)
    except ContentErrors as exc:
        return [Imported(p.name, "error", errors=exc.errors) for p in paths]
    results = []
    for path in paths:
        try:
            results.append(import_workbook(repo, path, expect_unit, write))
        except Exception as exc:  # never a traceback for an editor; name the file and what broke
            error = _refuse(path.name, "unexpected", detail=f"{type(exc).__name__}: {exc}").error
            results.append(Imported(path.name, "error", errors=[error]))
    return results

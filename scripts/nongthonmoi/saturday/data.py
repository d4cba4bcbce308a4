"""Load and cross-check the Saturday data in ``materials/``.

Every problem is collected (file, line, Vietnamese message and fix) before
one :class:`ContentErrors` is raised. Parsed files are cached by path, size
and modification time so ``mkdocs serve`` re-reads only the file an editor
just saved, not the whole district.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path

from .. import rules
from ..errors import ContentError, ContentErrors
from ..models.agencies import AgencyRegistry
from ..models.base import check_unique, validate
from ..models.plans import SaturdayPlan, format_amount
from ..models.results import SaturdayResult, StaffList
from ..models.units import UnitRegistry
from ..yamlsource import YamlSource, load_yaml, parse_yaml, read_data

UNITS_FILE = "don-vi.yml"
AGENCIES_FILE = "co-quan.yml"
PLANS_DIR = "ke-hoach"
RESULTS_DIR = "ket-qua"
STAFF_DIR = "danh-sach"

_DATE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yml$")
_WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]

Key = tuple[str, date]


@dataclass(frozen=True)
class SaturdayData:
    """Everything the Saturday pages need, checked against each other."""

    units: UnitRegistry
    agencies: AgencyRegistry
    plans: dict[Key, SaturdayPlan]
    results: dict[Key, SaturdayResult]
    staff_lists: list[StaffList]
    # Every photo the plans and results list, with its file and line (photos/library.py).
    photo_refs: tuple = ()

    @cached_property
    def saturdays(self) -> list[date]:
        return sorted({d for _, d in self.plans})

    def _group_plans(self, part: int) -> dict:
        """Plans grouped by one part of their (unit, date) key, in key order."""
        index: dict = {}
        for key in sorted(self.plans):
            index.setdefault(key[part], []).append(self.plans[key])
        return index

    @cached_property
    def _by_unit(self) -> dict[str, list[SaturdayPlan]]:
        return self._group_plans(0)

    @cached_property
    def _by_date(self) -> dict[date, list[SaturdayPlan]]:
        return self._group_plans(1)

    def plans_of(self, unit_id: str) -> list[SaturdayPlan]:
        """The unit's plans, oldest first."""
        return self._by_unit.get(unit_id, [])

    def plans_on(self, saturday: date) -> list[SaturdayPlan]:
        """Plans for one Saturday, by unit id."""
        return self._by_date.get(saturday, [])

    @cached_property
    def _staff_by_date(self) -> dict[date, list[StaffList]]:
        index: dict = {}
        for staff in self.staff_lists:
            index.setdefault(staff.saturday, []).append(staff)
        return index

    def staff_lists_on(self, saturday: date) -> list[StaffList]:
        return list(self._staff_by_date.get(saturday, []))



# A checked file's path follows from its fields (folder = commune or agency,
# name = Saturday), so pages can list their sources without a lookup table.
def plan_path(unit_id: str, saturday: date) -> str:
    return f"materials/{PLANS_DIR}/{unit_id}/{saturday.isoformat()}.yml"


def result_path(unit_id: str, saturday: date) -> str:
    return f"materials/{RESULTS_DIR}/{unit_id}/{saturday.isoformat()}.yml"


def staff_list_path(agency_id: str, saturday: date) -> str:
    return f"materials/{STAFF_DIR}/{agency_id}/{saturday.isoformat()}.yml"


# (display path, size, mtime_ns) -> (source, model). Survives the rebuilds
# of one ``mkdocs serve`` process, which re-creates the plugin every time.
_CACHE: dict[tuple, tuple[YamlSource, object]] = {}


# The code that reads and checks a file (the key of the file cache below).
CODE = ("yamlsource.py", "rules.py", "errors.py", "models/*.py", "saturday/data.py")


class _FileCache:
    """Files read and validated by an earlier build, by their bytes: a build
    after one changed plan reads one file, not 7,000 (inputcache.py keys it
    on the code and the libraries). Only the files of this build are kept."""

    def __init__(self, folder: Path):
        from ..inputcache import FileResults

        self.results = FileResults(folder, CODE)
        self.known = self.results.known
        self.used = self.results.used

    def read(self, path: Path, display: str, model):
        data = _read_bytes(path, display)
        key = (display, hashlib.sha256(data).hexdigest(), model.__name__)
        hit = self.known.get(key)
        if hit is None:
            source = load_yaml(path, display, data)
            hit = (source, validate(model, source))
        self.used[key] = hit
        return hit

    def store(self) -> None:
        """Keep this build's files, from a child process (background.py)."""
        if self.results.changed():
            from .. import background

            background.start("luu-du-lieu", self.results.save)


_FILES: _FileCache | None = None  # during load(cache_dir=...)


def _read_bytes(path: Path, display: str) -> bytes:
    """A data file's bytes, in one open (no separate check that it exists)."""
    return read_data(path, display)


def _load(path: Path, display: str, model, overlay: dict[str, str] | None = None):
    if overlay and display in overlay:
        # A file the web editor is about to save: checked before it exists.
        if overlay[display] is None:
            raise ContentErrors([rules.error("Y009", display, 0)])
        source = parse_yaml(overlay[display], path, display)
        return source, validate(model, source)
    if _FILES is not None:
        return _FILES.read(path, display, model)
    if not path.is_file():
        raise ContentErrors([rules.error("Y009", display, 0)])
    stat = path.stat()
    key = (display, stat.st_size, stat.st_mtime_ns, model)
    hit = _CACHE.get(key)
    if hit is None:
        source = load_yaml(path, display)
        hit = (source, validate(model, source))
        _CACHE[key] = hit
    return hit


def load_units(root: Path) -> UnitRegistry:
    """Only ``don-vi.yml`` (for commands that need the unit list)."""
    return _load(root / "materials" / UNITS_FILE, f"materials/{UNITS_FILE}", UnitRegistry)[1]


def load(root: Path, overlay: dict[str, str] | None = None, cache_dir: Path | None = None) -> SaturdayData:
    """Load and cross-check; ``overlay`` maps file paths to text that replaces
    them. ``cache_dir`` (the build's): files read by an earlier build from the
    same bytes are not read again (:class:`_FileCache`)."""
    global _FILES
    if cache_dir is None or overlay:
        return _load_all(root, overlay)
    _FILES = _FileCache(cache_dir)
    try:
        data = _load_all(root, None)
    finally:
        files, _FILES = _FILES, None
        files.store()
    return data


def _load_all(root: Path, overlay: dict[str, str] | None) -> SaturdayData:
    materials = root / "materials"
    errors: list[ContentError] = []

    units = agencies = None
    try:
        units_source, units = _load(materials / UNITS_FILE, f"materials/{UNITS_FILE}", UnitRegistry, overlay)
        errors += _check_units(units, units_source)
    except ContentErrors as exc:
        errors += exc.errors
    try:
        agencies_source, agencies = _load(
            materials / AGENCIES_FILE, f"materials/{AGENCIES_FILE}", AgencyRegistry, overlay
        )
        if units is not None:
            errors += _check_agencies(agencies, agencies_source, units)
    except ContentErrors as exc:
        errors += exc.errors

    # The results are read on the other core while the plans and then the
    # staff lists are read here (background.py; the two sides take about as
    # long); the checks below still run in file order, so every message
    # comes where it always came.
    from .. import background

    def read_results():
        return _read_all(root, RESULTS_DIR, SaturdayResult, overlay), (_FILES.used if _FILES is not None else {})

    # Nearly all known already (a cache from an earlier build): done here.
    others = background.beside(read_results, cheap=_FILES is not None and bool(_FILES.known))
    from ..photos import library as photos

    refs: list = []
    unit_of = units.by_id() if units is not None else {}
    plans: dict[Key, SaturdayPlan] = {}
    broken: set[Key] = set()  # plans already reported: their results are not checked against them
    for key, source, plan in _dated_records(root, PLANS_DIR, SaturdayPlan, errors, broken, overlay):
        errors += check_plan(plan, source, key, units, agencies)
        if plan.photos:
            errors += photos.record_problems(plan, source, unit_of.get(plan.unit))
            refs += photos.references(photos.PLAN, plan, source)
        plans[key] = plan
    staff_items = _read_all(root, STAFF_DIR, StaffList, overlay)
    result_items, read = others.result()
    if _FILES is not None:
        _FILES.used.update(read)  # what the other core read, to keep as well

    results: dict[Key, SaturdayResult] = {}
    for key, source, result in _replay(result_items, errors):
        errors += check_result(result, source, key, plans.get(key), agencies, plan_reported=key in broken)
        if result.photos:
            errors += photos.record_problems(result, source, unit_of.get(result.unit))
            refs += photos.references(photos.RESULT, result, source)
        results[key] = result

    staff_lists: list[StaffList] = []
    for (folder, saturday), source, staff in _replay(staff_items, errors):
        errors += _check_file_name(
            source, folder, saturday, ("co_quan", staff.agency), ("ngay_thu_bay", staff.saturday), "cơ quan"
        )
        if units is not None and agencies is not None:
            errors += _check_staff_list(staff, source, units, agencies)
        staff_lists.append(staff)

    if errors:
        raise ContentErrors(errors)
    return SaturdayData(units, agencies, plans, results, staff_lists, tuple(refs))


# The checks of one plan or result beyond its model, public so that the
# workbook import (workbooks/) runs exactly what ``ntm check`` runs.
def check_plan(plan: SaturdayPlan, source: YamlSource, key: Key, units, agencies) -> list[ContentError]:
    """File name (commune folder, Saturday), then ids against the units and agencies."""
    errors = _check_file_name(source, key[0], key[1], ("xa", plan.unit), ("ngay", plan.date), "xã")
    if units is not None and agencies is not None:
        errors += _check_plan(plan, source, units, agencies)
    return errors


def check_result(
    result: SaturdayResult, source: YamlSource, key: Key, plan: SaturdayPlan | None, agencies, plan_reported: bool = False
) -> list[ContentError]:
    """File name, households, agencies, and the tasks against the plan of the same commune and Saturday."""
    errors = _check_file_name(source, key[0], key[1], ("xa", result.unit), ("ngay", result.date), "xã")
    return errors + _check_result(result, source, plan, agencies, plan_reported=plan_reported)


def _error(rule_id: str, source: YamlSource, loc, **params) -> ContentError:
    return rules.error(rule_id, source.display, source.line_of(loc), cell=source.cell_of(loc), **params)


def _dated_files(root: Path, kind: str, errors: list[ContentError], overlay: dict[str, str] | None = None):
    """Yield (folder, date in the name, path, display) for materials/<kind>/<folder>/<yyyy-mm-dd>.yml."""
    base = root / "materials" / kind
    prefix = f"materials/{kind}/"
    # Names under base as text, from the folder listings (os.walk knows which
    # entries are folders): no pathlib work per file, for thousands of files.
    names = set()
    for folder, _, files in os.walk(base):
        inside = os.path.relpath(folder, base).replace(os.sep, "/")
        names.update(files if inside == "." else (f"{inside}/{name}" for name in files))
    # The overlay adds the files the web editor is about to write, and takes
    # away (text None) the ones it is about to remove or move.
    for name, text in (overlay or {}).items():
        if name.startswith(prefix):
            (names.add if text is not None else names.discard)(name[len(prefix):])
    for name in sorted(names, key=lambda n: n.split("/")):  # the order of Path parts
        parts = name.split("/")
        display = prefix + name
        match = _DATE_NAME.fullmatch(parts[-1])
        saturday = None
        if match:
            try:
                saturday = date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        if len(parts) != 2 or saturday is None:
            errors.append(rules.error("S004", display, 0, kind=kind))
            continue
        yield parts[0], saturday, base / name, display


def _read_all(root: Path, kind: str, model, overlay: dict | None = None) -> list:
    """Every file of a dated kind as a list: ("record", item) or ("errors", list), in file order."""
    items: list = []
    errors: list[ContentError] = []
    for record in _dated_records(root, kind, model, errors, overlay=overlay):
        if errors:
            items.append(("errors", list(errors)))
            errors.clear()
        items.append(("record", record))
    if errors:
        items.append(("errors", list(errors)))
    return items


def _replay(items: list, errors: list[ContentError]):
    """The records of :func:`_read_all`, adding its errors to ``errors`` where they came."""
    for kind, value in items:
        if kind == "errors":
            errors += value
        else:
            yield value


def _dated_records(
    root: Path, kind: str, model, errors: list[ContentError], failed: set | None = None, overlay: dict | None = None
):
    """Yield ((folder, date), source, record) for each valid file of a dated kind.

    Files that do not load are reported in ``errors`` (and their key added to
    ``failed``) and skipped.
    """
    for folder, saturday, path, display in _dated_files(root, kind, errors, overlay):
        try:
            source, record = _load(path, display, model, overlay)
        except ContentErrors as exc:
            errors += exc.errors
            if failed is not None:
                failed.add((folder, saturday))
            continue
        yield (folder, saturday), source, record


def _check_file_name(source, folder, file_date, id_field, date_field, what) -> list[ContentError]:
    """The folder names the commune (or agency) and the file name the Saturday."""
    errors = []
    key, value = id_field
    if value != folder:
        errors.append(_error("S003", source, (key,), what=what, value=value, folder=folder, field=key))
    key, value = date_field
    if value.weekday() != 5:
        errors.append(
            _error("S001", source, (key,), date=f"{value:%d/%m/%Y}", field=key, weekday=_WEEKDAYS[value.weekday()])
        )
    if value != file_date:
        errors.append(
            _error(
                "S002",
                source,
                (key,),
                date=f"{value:%d/%m/%Y}",
                field=key,
                file_date=f"{file_date:%d/%m/%Y}",
                file_iso=file_date.isoformat(),
                iso=value.isoformat(),
            )
        )
    return errors


def _check_units(units: UnitRegistry, source) -> list[ContentError]:
    errors = check_unique(units.units, lambda u: u.id, source, "don_vi", "Mã xã, thị trấn")
    errors += check_unique(units.units, lambda u: u.name, source, "don_vi", "Tên xã, thị trấn")
    for index, unit in enumerate(units.units):
        errors += check_unique(
            unit.hamlets, lambda h: h.id, _Sub(source, ("don_vi", index)), "thon", f"Mã thôn của {unit.full_name}"
        )
    return errors


class _Sub:
    """A view of a YamlSource rooted at a nested location (for check_unique)."""

    def __init__(self, source: YamlSource, prefix: tuple):
        self.source, self.prefix, self.display = source, prefix, source.display

    def line_of(self, loc) -> int:
        return self.source.line_of(self.prefix + tuple(loc))

    def cell_of(self, loc) -> str:
        return self.source.cell_of(self.prefix + tuple(loc))


def _unknown_unit(source, loc, unit_id, units: UnitRegistry) -> ContentError:
    return _error("S005", source, loc, value=unit_id, known=", ".join(u.id for u in units.units[:4]))


def _check_agencies(agencies: AgencyRegistry, source, units: UnitRegistry) -> list[ContentError]:
    errors = check_unique(agencies.agencies, lambda a: a.id, source, "co_quan", "Mã cơ quan")
    known = units.by_id()
    for index, agency in enumerate(agencies.agencies):
        seen = set()
        for j, unit_id in enumerate(agency.supports):
            loc = ("co_quan", index, "ho_tro_xa", j)
            if unit_id not in known:
                errors.append(_unknown_unit(source, loc, unit_id, units))
            elif unit_id in seen:
                errors.append(
                    _error(
                        "S008",
                        source,
                        loc,
                        what=f"Xã được phân công cho {agency.name}",
                        value=unit_id,
                        first_index=agency.supports.index(unit_id) + 1,
                        first_line=source.line_of(("co_quan", index, "ho_tro_xa", agency.supports.index(unit_id))),
                    )
                )
            seen.add(unit_id)
    return errors


def _check_plan(plan: SaturdayPlan, source, units: UnitRegistry, agencies: AgencyRegistry) -> list[ContentError]:
    errors = check_unique(plan.tasks, lambda t: t.id, source, "phan_viec", "Mã phần việc")
    if plan.drafted > plan.date:
        errors.append(_error("S009", source, ("ngay_lap",), drafted=f"{plan.drafted:%d/%m/%Y}", date=f"{plan.date:%d/%m/%Y}"))
    unit = units.by_id().get(plan.unit)
    if unit is None:
        return errors + [_unknown_unit(source, ("xa",), plan.unit, units)]
    errors += _real_plan_in_example_hamlets(plan, source, unit)
    known_agencies = agencies.by_id()
    for index, task in enumerate(plan.tasks):
        for j, hamlet_id in enumerate(task.hamlets):
            if unit.hamlet(hamlet_id) is None:
                errors.append(
                    _error(
                        "S006",
                        source,
                        ("phan_viec", index, "thon", j),
                        unit=unit.full_name,
                        value=hamlet_id,
                        known=", ".join(h.id for h in unit.hamlets),
                    )
                )
        for j, agency_id in enumerate(task.supporting_agencies):
            if agency_id not in known_agencies:
                errors.append(_unknown_agency(source, ("phan_viec", index, "don_vi_ho_tro", j), agency_id, agencies))
    return errors


def _real_plan_in_example_hamlets(plan: SaturdayPlan, source, unit) -> list[ContentError]:
    """A real plan works in real hamlets: not in the commune's example list
    (its handout would call the hamlets examples). One error, at the first
    hamlet named."""
    if plan.is_example or not unit.hamlets_are_example:
        return []
    for index, task in enumerate(plan.tasks):
        for j, hamlet_id in enumerate(task.hamlets):
            if unit.hamlet(hamlet_id) is not None:
                return [_error("S016", source, ("phan_viec", index, "thon", j), unit=unit.full_name, value=hamlet_id)]
    return []


def _unknown_agency(source, loc, agency_id, agencies: AgencyRegistry) -> ContentError:
    return _error("S007", source, loc, value=agency_id, known=", ".join(a.id for a in agencies.agencies))


def _check_result(
    result: SaturdayResult, source, plan: SaturdayPlan | None, agencies, plan_reported: bool = False
) -> list[ContentError]:
    errors = []
    if result.households_joined > result.households_total:
        errors.append(
            _error("S010", source, ("so_ho_tham_gia",), joined=result.households_joined, total=result.households_total)
        )
    errors += check_unique(result.agencies, lambda a: a.agency, source, "co_quan_tham_gia", "Cơ quan")
    errors += check_unique(result.work_done, lambda d: d.task, source, "khoi_luong_da_lam", "Phần việc")
    if agencies is not None:
        known = agencies.by_id()
        for index, turnout in enumerate(result.agencies):
            if turnout.agency not in known:
                errors.append(_unknown_agency(source, ("co_quan_tham_gia", index, "co_quan"), turnout.agency, agencies))
    if plan is None and plan_reported:
        return errors  # the plan file has its own errors; say nothing twice
    if plan is None:
        errors.append(
            _error("S011", source, ("ngay",), unit=result.unit, date=f"{result.date:%d/%m/%Y}", iso=result.date.isoformat())
        )
        return errors
    if plan.is_example and not result.is_example:
        errors.append(_error("S015", source, ("vi_du",), date=f"{plan.date:%d/%m/%Y}"))
    for index, done in enumerate(result.work_done):
        task = plan.task(done.task)
        if task is None:
            errors.append(
                _error(
                    "S012",
                    source,
                    ("khoi_luong_da_lam", index, "phan_viec"),
                    date=f"{plan.date:%d/%m/%Y}",
                    value=done.task,
                    known=", ".join(t.id for t in plan.tasks),
                )
            )
        else:
            errors += _far_beyond_plan(source, ("khoi_luong_da_lam", index, "da_lam"), done.amount, task.quantity)
    if result.waste_collected is not None:
        errors += _far_beyond_plan(source, ("rac_thu_gom",), result.waste_collected, plan.waste.quantity)
    return errors


# A reported amount this many times its plan is a unit typed wrong (metres in
# a kilometre column, kilograms for tonnes: a thousand times), not a Saturday's work.
FAR_BEYOND_PLAN = 100


def _far_beyond_plan(source, loc: tuple, done: float, planned) -> list[ContentError]:
    if planned is None or planned.amount <= 0 or done < FAR_BEYOND_PLAN * planned.amount:
        return []
    return [_error("S017", source, loc, done=format_amount(done), planned=format_amount(planned.amount), unit=planned.unit,
                   times=format_amount(round(done / planned.amount)))]


def _check_staff_list(staff: StaffList, source, units: UnitRegistry, agencies: AgencyRegistry) -> list[ContentError]:
    errors = check_unique(staff.allocations, lambda a: a.unit, source, "phan_bo", "Xã")
    agency = agencies.by_id().get(staff.agency)
    if agency is None:
        return errors + [_unknown_agency(source, ("co_quan",), staff.agency, agencies)]
    known = units.by_id()
    for index, allocation in enumerate(staff.allocations):
        loc = ("phan_bo", index, "xa")
        if allocation.unit not in known:
            errors.append(_unknown_unit(source, loc, allocation.unit, units))
        elif allocation.unit not in agency.supports:
            errors.append(_error("S013", source, loc, agency=agency.name, value=allocation.unit))
    if staff.sent > staff.saturday:
        errors.append(
            _error("S014", source, ("ngay_gui",), sent=f"{staff.sent:%d/%m/%Y}", saturday=f"{staff.saturday:%d/%m/%Y}")
        )
    return errors

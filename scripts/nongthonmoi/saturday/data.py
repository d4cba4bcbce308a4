"""Load and cross-check the Saturday data in ``materials/``.

Every problem is collected (file, line, Vietnamese message and fix) before
one :class:`ContentErrors` is raised. Parsed files are cached by path, size
and modification time so ``mkdocs serve`` re-reads only the file an editor
just saved, not the whole district.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path

from ..errors import ContentError, ContentErrors
from ..models.agencies import AgencyRegistry
from ..models.base import check_unique, validate
from ..models.plans import SaturdayPlan
from ..models.results import SaturdayResult, StaffList
from ..models.units import UnitRegistry
from ..yamlsource import YamlSource, load_yaml, parse_yaml

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

    def staff_lists_on(self, saturday: date) -> list[StaffList]:
        return [s for s in self.staff_lists if s.saturday == saturday]



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


def _load(path: Path, display: str, model, overlay: dict[str, str] | None = None):
    if overlay and display in overlay:
        # A file the web editor is about to save: checked before it exists.
        source = parse_yaml(overlay[display], path, display)
        return source, validate(model, source)
    if not path.is_file():
        raise ContentErrors([ContentError(display, 0, "Thiếu tệp dữ liệu này.", "Khôi phục tệp từ lịch sử git.")])
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


def load(root: Path, overlay: dict[str, str] | None = None) -> SaturdayData:
    """Load and cross-check; ``overlay`` maps file paths to text that replaces them."""
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

    plans: dict[Key, SaturdayPlan] = {}
    broken: set[Key] = set()  # plans already reported: their results are not checked against them
    for (folder, saturday), source, plan in _dated_records(root, PLANS_DIR, SaturdayPlan, errors, broken, overlay):
        errors += _check_file_name(source, folder, saturday, ("xa", plan.unit), ("ngay", plan.date), "xã")
        if units is not None and agencies is not None:
            errors += _check_plan(plan, source, units, agencies)
        plans[(folder, saturday)] = plan

    results: dict[Key, SaturdayResult] = {}
    for (folder, saturday), source, result in _dated_records(root, RESULTS_DIR, SaturdayResult, errors, overlay=overlay):
        errors += _check_file_name(source, folder, saturday, ("xa", result.unit), ("ngay", result.date), "xã")
        plan = plans.get((folder, saturday))
        errors += _check_result(result, source, plan, agencies, plan_reported=(folder, saturday) in broken)
        results[(folder, saturday)] = result

    staff_lists: list[StaffList] = []
    for (folder, saturday), source, staff in _dated_records(root, STAFF_DIR, StaffList, errors, overlay=overlay):
        errors += _check_file_name(
            source, folder, saturday, ("co_quan", staff.agency), ("ngay_thu_bay", staff.saturday), "cơ quan"
        )
        if units is not None and agencies is not None:
            errors += _check_staff_list(staff, source, units, agencies)
        staff_lists.append(staff)

    if errors:
        raise ContentErrors(errors)
    return SaturdayData(units, agencies, plans, results, staff_lists)


def _error(source: YamlSource, loc, message: str, hint: str = "") -> ContentError:
    return ContentError(source.display, source.line_of(loc), message, hint)


def _dated_files(root: Path, kind: str, errors: list[ContentError], overlay: dict[str, str] | None = None):
    """Yield (folder, date in the name, path, display) for materials/<kind>/<folder>/<yyyy-mm-dd>.yml."""
    base = root / "materials" / kind
    paths = set(base.rglob("*")) if base.is_dir() else set()
    prefix = f"materials/{kind}/"
    paths |= {root / name for name in overlay or () if name.startswith(prefix)}
    for path in sorted(paths):
        if path.is_dir():
            continue
        display = path.relative_to(root).as_posix()
        parts = path.relative_to(base).parts
        match = _DATE_NAME.match(parts[-1])
        saturday = None
        if match:
            try:
                saturday = date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        if len(parts) != 2 or saturday is None:
            errors.append(
                ContentError(
                    display,
                    0,
                    "Tên hoặc vị trí tệp không đúng quy ước.",
                    f"Đặt tệp ở materials/{kind}/<mã>/<năm-tháng-ngày>.yml, ví dụ materials/{kind}/gung-re/2023-03-04.yml.",
                )
            )
            continue
        yield parts[0], saturday, path, display


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
        errors.append(
            _error(
                source,
                (key,),
                f"Mã {what} «{value}» không khớp với thư mục «{folder}» của tệp.",
                f"Sửa «{key}: {folder}», hoặc chuyển tệp vào thư mục «{value}».",
            )
        )
    key, value = date_field
    if value.weekday() != 5:
        errors.append(
            _error(
                source,
                (key,),
                f"Ngày {value:%d/%m/%Y} ở trường «{key}» là {_WEEKDAYS[value.weekday()]}, không phải thứ Bảy.",
                "Chương trình làm vào ngày thứ Bảy: sửa lại ngày (và tên tệp) cho đúng ngày thứ Bảy.",
            )
        )
    if value != file_date:
        errors.append(
            _error(
                source,
                (key,),
                f"Ngày {value:%d/%m/%Y} ở trường «{key}» không khớp với tên tệp ({file_date:%d/%m/%Y}).",
                f"Sửa «{key}: {file_date.isoformat()}», hoặc đổi tên tệp thành {value.isoformat()}.yml.",
            )
        )
    return errors


def _check_units(units: UnitRegistry, source) -> list[ContentError]:
    errors = check_unique(units.units, lambda u: u.id, source, "don_vi", "Mã xã, thị trấn")
    errors += check_unique(units.units, lambda u: u.name, source, "don_vi", "Tên xã, thị trấn")
    for index, unit in enumerate(units.units):
        errors += [
            ContentError(e.path, e.line, e.message.replace("Mã thôn", f"Mã thôn của {unit.full_name}"), e.hint)
            for e in check_unique(unit.hamlets, lambda h: h.id, _Sub(source, ("don_vi", index)), "thon", "Mã thôn")
        ]
    return errors


class _Sub:
    """A view of a YamlSource rooted at a nested location (for check_unique)."""

    def __init__(self, source: YamlSource, prefix: tuple):
        self.source, self.prefix, self.display = source, prefix, source.display

    def line_of(self, loc) -> int:
        return self.source.line_of(self.prefix + tuple(loc))


def _unknown_unit(source, loc, unit_id, units: UnitRegistry) -> ContentError:
    return _error(
        source,
        loc,
        f"Không có xã, thị trấn mã «{unit_id}».",
        f"Dùng một mã trong materials/{UNITS_FILE}, ví dụ: {', '.join(u.id for u in units.units[:4])}...",
    )


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
                errors.append(_error(source, loc, f"Xã «{unit_id}» bị ghi hai lần cho {agency.name}.", "Xóa dòng trùng."))
            seen.add(unit_id)
    return errors


def _check_plan(plan: SaturdayPlan, source, units: UnitRegistry, agencies: AgencyRegistry) -> list[ContentError]:
    errors = check_unique(plan.tasks, lambda t: t.id, source, "phan_viec", "Mã phần việc")
    if plan.drafted > plan.date:
        errors.append(
            _error(
                source,
                ("ngay_lap",),
                f"Ngày lập kế hoạch ({plan.drafted:%d/%m/%Y}) sau ngày thực hiện ({plan.date:%d/%m/%Y}).",
                "Sửa ngày lập kế hoạch.",
            )
        )
    unit = units.by_id().get(plan.unit)
    if unit is None:
        return errors + [_unknown_unit(source, ("xa",), plan.unit, units)]
    known_agencies = agencies.by_id()
    for index, task in enumerate(plan.tasks):
        for j, hamlet_id in enumerate(task.hamlets):
            if unit.hamlet(hamlet_id) is None:
                errors.append(
                    _error(
                        source,
                        ("phan_viec", index, "thon", j),
                        f"{unit.full_name} không có thôn, tổ dân phố mã «{hamlet_id}».",
                        f"Dùng một mã thôn của {unit.full_name} trong materials/{UNITS_FILE}: "
                        + ", ".join(h.id for h in unit.hamlets)
                        + ".",
                    )
                )
        for j, agency_id in enumerate(task.supporting_agencies):
            if agency_id not in known_agencies:
                errors.append(_unknown_agency(source, ("phan_viec", index, "don_vi_ho_tro", j), agency_id, agencies))
    return errors


def _unknown_agency(source, loc, agency_id, agencies: AgencyRegistry) -> ContentError:
    return _error(
        source,
        loc,
        f"Không có cơ quan, đơn vị mã «{agency_id}».",
        f"Dùng một mã trong materials/{AGENCIES_FILE}: " + ", ".join(a.id for a in agencies.agencies) + ".",
    )


def _check_result(
    result: SaturdayResult, source, plan: SaturdayPlan | None, agencies, plan_reported: bool = False
) -> list[ContentError]:
    errors = []
    if result.households_joined > result.households_total:
        errors.append(
            _error(
                source,
                ("so_ho_tham_gia",),
                f"Số hộ tham gia ({result.households_joined}) lớn hơn tổng số hộ ({result.households_total}).",
                "Kiểm tra lại hai số «so_ho_tham_gia» và «tong_so_ho».",
            )
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
            _error(
                source,
                ("ngay",),
                f"Chưa có kế hoạch của xã «{result.unit}» cho ngày {result.date:%d/%m/%Y}, nên không đối chiếu được kết quả.",
                f"Thêm tệp materials/{PLANS_DIR}/{result.unit}/{result.date.isoformat()}.yml (lệnh «ntm new-plan»).",
            )
        )
        return errors
    for index, done in enumerate(result.work_done):
        if plan.task(done.task) is None:
            errors.append(
                _error(
                    source,
                    ("khoi_luong_da_lam", index, "phan_viec"),
                    f"Kế hoạch ngày {plan.date:%d/%m/%Y} không có phần việc mã «{done.task}».",
                    "Dùng một mã phần việc trong kế hoạch: " + ", ".join(t.id for t in plan.tasks) + ".",
                )
            )
    return errors


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
            errors.append(
                _error(
                    source,
                    loc,
                    f"{agency.name} không được phân công hỗ trợ xã «{allocation.unit}».",
                    f"Sửa mã xã, hoặc thêm «{allocation.unit}» vào «ho_tro_xa» của cơ quan này trong materials/{AGENCIES_FILE}.",
                )
            )
    if staff.sent > staff.saturday:
        errors.append(
            _error(
                source,
                ("ngay_gui",),
                f"Ngày gửi ({staff.sent:%d/%m/%Y}) sau ngày thứ Bảy ({staff.saturday:%d/%m/%Y}).",
                "Sửa ngày gửi danh sách.",
            )
        )
    return errors

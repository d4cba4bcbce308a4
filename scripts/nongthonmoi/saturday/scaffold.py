"""``ntm new-plan``: start next Saturday's plan from the commune's last one.

The text of the previous file is copied (comments, order and wording kept, so
the editor only changes what is new); the dates move, quantities stay, and
results are never copied (they live in ``materials/ket-qua/``). An existing
file is never overwritten.

The same choice of Saturday, source plan and example flag makes the weekly
plan workbook (``workbooks/``): both are "next Saturday's plan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .data import PLANS_DIR

TEMPLATE = """# yaml-language-server: $schema=../../schema/ke-hoach.schema.json
#
# Kế hoạch ngày thứ Bảy của {name}. Điền các chỗ trống "", xóa dòng ghi chú
# này, rồi chạy «ntm check».
vi_du: false
xa: {unit}
ngay: {day}
ngay_lap: {drafted}
noi_dung: ""
thoi_gian:
  bat_dau: 7h00
  ket_thuc: 11h00
chi_dao: ""
to_chuc: ""
phan_viec:
  - ma: viec-1
    noi_dung: ""
    khoi_luong:
      so:
      don_vi_tinh: ""
    thon: [{hamlet}]
    cong_cu: [""]
    thanh_phan: [""]
thu_gom_rac:
  thu_gom: ""
  xu_ly: ""
"""


class ScaffoldError(Exception):
    """A Vietnamese message for the editor."""


def next_saturday(after: date) -> date:
    """The first Saturday strictly after ``after``."""
    return after + timedelta(days=(5 - after.weekday()) % 7 or 7)


@dataclass(frozen=True)
class PlanSlot:
    saturday: date  # the Saturday of the new plan
    source: date | None  # the Saturday of the plan it starts from (None: blank template)
    drafted: date  # "ngày lập": today, or the Saturday itself if planned late


def plan_slot(previous: list[date], today: date, day: date | None = None) -> PlanSlot:
    """Next Saturday's plan: the Saturday after the latest plan (and not in the
    past), copied from the latest plan before it."""
    previous = sorted(previous)
    if previous:
        if day is None:
            day = next_saturday(max(previous[-1], today - timedelta(days=1)))
        earlier = [d for d in previous if d < day]
        source = earlier[-1] if earlier else previous[-1]
    else:
        source = None
        day = day or next_saturday(today - timedelta(days=1))
    return PlanSlot(day, source, min(today, day))


_EXAMPLE_FLAG = re.compile(r"(?m)^vi_du:\s*true\s*$")
_REAL_FLAG = re.compile(r"(?m)^vi_du:\s*false\s*$")


def starts_as_example(unit) -> bool:
    """Whether next Saturday's plan starts as example data: while the commune's
    hamlet list is still a placeholder (``thon_vi_du: true``), a plan can only
    name placeholder hamlets, so it is an example until the commune (or the
    clerk, in the workbook) says otherwise. The plan workbook and
    ``ntm new-plan`` both follow this."""
    return bool(unit.hamlets_are_example)


def _as_real_plan(text: str) -> str:
    """Turn copied example text into a real plan: ``vi_du: false``, and the
    leading comments that described the example dropped (the schema line stays)."""
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and (lines[head].startswith("#") or not lines[head].strip()):
        head += 1
    kept = [line for line in lines[:head] if line.startswith("# yaml-language-server:")]
    return _EXAMPLE_FLAG.sub("vi_du: false", "".join(kept + lines[head:]), count=1)


def move_written_dates(text: str, old: date, new: date) -> str:
    """Dates written inside the text (e.g. in notes) move by the same week count."""
    return text.replace(old.isoformat(), new.isoformat()).replace(f"{old:%d/%m/%Y}", f"{new:%d/%m/%Y}")


_PHOTOS = re.compile(r"(?ms)^anh:.*?(?=^\S|\Z)")


def _without_photos(text: str) -> str:
    """Last week's photos stay last week's: their files are in that
    Saturday's folder (materials/anh/<xa>/<ngày>/), and a plan is not a
    report of what was done."""
    return _PHOTOS.sub("", text)


def _move_dates(text: str, old: date, new: date, drafted: date) -> str:
    text = re.sub(r"(?m)^ngay:.*$", f"ngay: {new.isoformat()}", text, count=1)
    text = re.sub(r"(?m)^ngay_lap:.*$", f"ngay_lap: {drafted.isoformat()}", text, count=1)
    return move_written_dates(text, old, new)


@dataclass(frozen=True)
class NewPlan:
    path: Path
    unit_name: str
    slot: PlanSlot
    from_example: bool  # copied from a plan that was example data (and made a real plan)
    example: bool = False  # left as example data: the commune's hamlets are placeholders


def new_plan(root: Path, unit_id: str, day: date | None = None, today: date | None = None) -> NewPlan:
    """Write ``materials/ke-hoach/<unit>/<day>.yml``; say what was written."""
    from .data import load_units

    today = today or date.today()
    units = load_units(root)
    unit = units.by_id().get(unit_id)
    if unit is None:
        raise ScaffoldError(
            f"Không có xã, thị trấn mã «{unit_id}». Các mã: {', '.join(u.id for u in units.units)}."
        )
    folder = root / "materials" / PLANS_DIR / unit_id
    previous = sorted(folder.glob("????-??-??.yml")) if folder.is_dir() else []
    if day is not None and day.weekday() != 5:
        raise ScaffoldError(f"Ngày {day:%d/%m/%Y} không phải thứ Bảy.")
    slot = plan_slot([date.fromisoformat(p.stem) for p in previous], today, day)
    day, drafted = slot.saturday, slot.drafted
    target = folder / f"{day.isoformat()}.yml"
    if target.exists():
        raise ScaffoldError(
            f"Đã có kế hoạch thứ Bảy {day:%d/%m/%Y} của {unit.full_name} "
            f"(tệp {target.relative_to(root).as_posix()}): không tạo lại, không ghi đè. "
            "Mở tệp đó để sửa, hoặc chọn ngày khác bằng --date."
        )
    from_example = False
    example = starts_as_example(unit)
    if slot.source is not None:
        source = folder / f"{slot.source.isoformat()}.yml"
        text = _move_dates(_without_photos(source.read_text(encoding="utf-8")), slot.source, day, drafted)
        # A new plan is real data once the commune's hamlets are real: the
        # commune plans a real Saturday, even when it starts from an example.
        # The example flag and the comment that described the example are then
        # not copied; the editor rewrites the rest.
        if example:
            text = _REAL_FLAG.sub("vi_du: true", text, count=1)
        elif _EXAMPLE_FLAG.search(text):
            text = _as_real_plan(text)
            from_example = True
    else:
        text = TEMPLATE.format(
            name=unit.full_name, unit=unit.id, day=day.isoformat(), drafted=drafted.isoformat(), hamlet=unit.hamlets[0].id
        )
        if example:
            text = _REAL_FLAG.sub("vi_du: true", text, count=1)
    folder.mkdir(parents=True, exist_ok=True)
    # "x": fail rather than overwrite if the file appeared meanwhile.
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return NewPlan(target, unit.full_name, slot, from_example, example)

"""``ntm new-plan``: start next Saturday's plan from the commune's last one.

The text of the previous file is copied (comments, order and wording kept, so
the editor only changes what is new); the dates move, quantities stay, and
results are never copied (they live in ``materials/ket-qua/``). An existing
file is never overwritten.
"""

from __future__ import annotations

import re
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
      so: 0
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


def _move_dates(text: str, old: date, new: date, drafted: date) -> str:
    text = re.sub(r"(?m)^ngay:.*$", f"ngay: {new.isoformat()}", text, count=1)
    text = re.sub(r"(?m)^ngay_lap:.*$", f"ngay_lap: {drafted.isoformat()}", text, count=1)
    # Dates written inside the text (e.g. in notes) move by the same week count.
    delta = new - old
    for written in (old.isoformat(), f"{old:%d/%m/%Y}"):
        moved = (old + delta).isoformat() if "-" in written else f"{old + delta:%d/%m/%Y}"
        text = text.replace(written, moved)
    return text


def new_plan(root: Path, unit_id: str, day: date | None = None, today: date | None = None) -> Path:
    """Write ``materials/ke-hoach/<unit>/<day>.yml`` and return its path."""
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
    if previous:
        last = date.fromisoformat(previous[-1].stem)
        if day is None:
            day = next_saturday(max(last, today - timedelta(days=1)))
        earlier = [p for p in previous if date.fromisoformat(p.stem) < day]
        source = earlier[-1] if earlier else previous[-1]
    else:
        source = None
        day = day or next_saturday(today - timedelta(days=1))
    target = folder / f"{day.isoformat()}.yml"
    if target.exists():
        raise ScaffoldError(f"Đã có tệp {target.relative_to(root).as_posix()}: không ghi đè. Hãy sửa trực tiếp tệp đó.")
    drafted = min(today, day)
    if source is not None:
        text = _move_dates(source.read_text(encoding="utf-8"), date.fromisoformat(source.stem), day, drafted)
    else:
        text = TEMPLATE.format(
            name=unit.full_name, unit=unit.id, day=day.isoformat(), drafted=drafted.isoformat(), hamlet=unit.hamlets[0].id
        )
    folder.mkdir(parents=True, exist_ok=True)
    # "x": fail rather than overwrite if the file appeared meanwhile.
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return target

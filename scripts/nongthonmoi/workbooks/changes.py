"""What an import changes in a plan or result already filed: field by field,
old -> new, in the words of the workbook (titles, names, dates as 25/03/2023).

Lists of records are matched by what identifies them (a task by its id, an
agency by its id, the work done by its task), so a reordered table is no
change and a changed amount names its task: «Các phần việc › Quét dọn đường,
ngõ xóm › Số lượng: 1,5 → 2».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from ..models.plans import clock
from .layout import Layout, layout
from .prefill import dump

# The field that identifies a record of each table, and the one that names it.
_KEYS = {"phan_viec": ("ma", "noi_dung"), "co_quan_tham_gia": ("co_quan", "co_quan"),
         "khoi_luong_da_lam": ("phan_viec", "phan_viec")}


@dataclass(frozen=True)
class Change:
    field: str  # «Số hộ tham gia», «Các phần việc › Quét dọn đường › Số lượng»
    old: str  # "" when added
    new: str  # "" when removed

    def __str__(self) -> str:
        if not self.old:
            return f"{self.field}: thêm {self.new}"
        if not self.new:
            return f"{self.field}: bỏ {self.old}"
        return f"{self.field}: {self.old} → {self.new}"


def shown(value, names: dict[str, str]) -> str:
    """A YAML value as the workbook shows it."""
    if value is None or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else f"{value:.15g}").replace(".", ",")
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return clock(value)
    if isinstance(value, list):
        return ", ".join(shown(v, names) for v in value)
    text = names.get(value, value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _get(record: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def record_changes(old, new, kind: str, names: dict[str, str] | None = None) -> list[Change]:
    """Fields of ``new`` (a model) that differ from ``old`` (a model), in the order of the form."""
    names = names or {}
    lay: Layout = layout(kind)
    before, after = dump(old), dump(new)
    out: list[Change] = []
    for leaf in lay.leaves:
        a, b = _get(before, leaf.path), _get(after, leaf.path)
        if not _same(a, b):
            title = " › ".join([*([leaf.group] if leaf.group and leaf.depth else []), leaf.title])
            out.append(Change(title, shown(a, names), shown(b, names)))
    for table in lay.tables:
        name = table.path[-1]
        key, label = _KEYS.get(name, (None, None))
        rows_a, rows_b = _get(before, table.path) or [], _get(after, table.path) or []
        if key is None:
            if rows_a != rows_b:
                out.append(Change(table.title, f"{len(rows_a)} mục", f"{len(rows_b)} mục"))
            continue
        by_a = {r.get(key): r for r in rows_a}
        by_b = {r.get(key): r for r in rows_b}
        for ident, row in by_a.items():
            if ident not in by_b:
                out.append(Change(table.title, f"«{shown(row.get(label), names)}»", ""))
        for ident, row in by_b.items():
            if ident not in by_a:
                out.append(Change(table.title, "", f"«{shown(row.get(label), names)}»"))
                continue
            for column in table.columns:
                a, b = _get(by_a[ident], column.path), _get(row, column.path)
                if not _same(a, b):
                    field = " › ".join([table.title, shown(row.get(label), names), column.title])
                    out.append(Change(field, shown(a, names), shown(b, names)))
        order_a = [i for i in by_a if i in by_b]
        order_b = [i for i in by_b if i in by_a]
        if order_a != order_b:
            out.append(Change(f"{table.title} › thứ tự", "theo bản cũ", "theo bảng tính"))
    return out


def summary(record, kind: str) -> str:
    """«3 phần việc», «190/300 hộ tham gia, 2 phần việc báo cáo»."""
    if kind == "ke-hoach":
        return f"{len(record.tasks)} phần việc"
    return f"{record.households_joined}/{record.households_total} hộ tham gia, {len(record.work_done)} phần việc báo cáo"

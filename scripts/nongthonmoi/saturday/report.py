"""The Monday report table: one CSV per Saturday for Phòng Nông nghiệp và PTNT.

UTF-8 with a byte order mark and CRLF line ends, which is what Excel needs to
open Vietnamese text correctly with a double click. A text cell that starts
like a formula gets an apostrophe in front, so Excel shows it instead of
running it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from ..models.plans import format_amount, plain_amount
from .data import SaturdayData

# The Monday report's columns, shared by this CSV and the Monday workbook
# (workbooks/report.py), so the two always carry the same table: (title, kind).
# Kinds: how a value is typed in the workbook and written in the CSV.
COLUMNS = [
    ("STT", "int"),
    ("Xã, thị trấn", "text"),
    ("Ngày thứ Bảy", "date"),
    ("Nội dung", "text"),
    ("Tình trạng báo cáo", "text"),
    ("Số hộ tham gia", "int"),
    ("Tổng số hộ", "int"),
    ("Tỷ lệ hộ tham gia (%)", "percent"),
    ("Cán bộ xã tham gia", "int"),
    ("Người của cơ quan huyện tham gia", "int"),
    ("Khối lượng đã làm / kế hoạch", "text"),
    ("Rác thu gom", "number"),
    ("Đơn vị tính rác", "text"),
    ("Ghi chú", "text"),
    ("Dữ liệu ví dụ", "text"),
]
HEADER = [title for title, _ in COLUMNS]
REPORTED, NOT_REPORTED, NO_PLAN = "Đã báo cáo", "Chưa báo cáo", "Chưa có kế hoạch"
CSV_SEPARATOR = ";"


def report_rows(data: SaturdayData, saturday: date) -> list[list]:
    """One row per commune, typed (int, float, date, str; None for an empty cell)."""
    rows = []
    for number, unit in enumerate(data.units.units, start=1):
        plan = data.plans.get((unit.id, saturday))
        result = data.results.get((unit.id, saturday))
        row = [number, unit.full_name, saturday, plan.content if plan else None]
        if plan is None:
            rows.append(row + [NO_PLAN] + [None] * 10)
            continue
        if result is None:
            rows.append(row + [NOT_REPORTED] + [None] * 9 + ["Có" if plan.is_example else "Không"])
            continue
        work = "; ".join(_work_done(t, result.done(t.id)) for t in plan.tasks)
        rows.append(row + [
            REPORTED,
            result.households_joined,
            result.households_total,
            result.rate,
            result.commune_staff,
            result.agency_people,
            work,
            result.waste_collected,
            plan.waste.quantity.unit if plan.waste.quantity and result.waste_collected is not None else None,
            result.notes,
            "Có" if (plan.is_example or result.is_example) else "Không",
        ])
    return rows


def _work_done(task, done) -> str:
    """«Quét dọn đường: 1/1,5 km»; a task the commune left blank is not done
    0 (the form: «việc chưa làm ghi 0; việc không báo cáo để trống»)."""
    planned = f"{format_amount(task.quantity.amount)} {task.quantity.unit}"
    if done is None:
        return f"{task.description}: chưa báo cáo (kế hoạch {planned})"
    return f"{task.description}: {format_amount(done.amount)}/{planned}"


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return f"{value:%d/%m/%Y}"
    if kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",")
    if kind == "number":
        return plain_amount(value)  # a number cell Excel computes with, not text
    return str(value)


# What makes Excel (and LibreOffice) read a cell as a formula: OWASP's list.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Numbers as the report writes them (150, 50,0): never a formula, kept as is.
_NUMBER = re.compile(r"^-?\d+(?:,\d+)?$")


def spreadsheet_text(cell: str) -> str:
    """A cell Excel shows as written: a result note "=HYPERLINK(...)" stays text."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def report_csv(data: SaturdayData, saturday: date) -> bytes:
    buffer = io.StringIO()
    # «;» between fields: the list separator of Excel with Vietnamese regional
    # settings, where «50,0» (decimal comma, as written here) is then a number.
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([spreadsheet_text(_csv_cell(value, kind)) for value, (_, kind) in zip(row, COLUMNS)]
                     for row in report_rows(data, saturday))
    return buffer.getvalue().encode("utf-8-sig")

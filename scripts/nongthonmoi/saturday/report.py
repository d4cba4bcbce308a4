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

from ..models.plans import format_amount
from .data import SaturdayData

HEADER = [
    "STT",
    "Xã, thị trấn",
    "Ngày thứ Bảy",
    "Nội dung",
    "Số hộ tham gia",
    "Tổng số hộ",
    "Tỷ lệ hộ tham gia (%)",
    "Cán bộ xã tham gia",
    "Người của cơ quan huyện tham gia",
    "Khối lượng đã làm / kế hoạch",
    "Rác thu gom",
    "Ghi chú",
    "Dữ liệu ví dụ",
]


def report_rows(data: SaturdayData, saturday: date) -> list[list[str]]:
    rows = []
    for number, unit in enumerate(data.units.units, start=1):
        plan = data.plans.get((unit.id, saturday))
        result = data.results.get((unit.id, saturday))
        row = [str(number), unit.full_name, f"{saturday:%d/%m/%Y}", plan.content if plan else "Chưa có kế hoạch"]
        if result is None or plan is None:
            row += ["", "", "", "", "", "", "", "Chưa báo cáo" if plan else "", "Có" if plan and plan.is_example else ""]
        else:
            work = "; ".join(
                f"{t.description}: {format_amount(result.done(t.id).amount) if result.done(t.id) else 0}"
                f"/{format_amount(t.quantity.amount)} {t.quantity.unit}"
                for t in plan.tasks
            )
            waste = (
                f"{format_amount(result.waste_collected)} {plan.waste.quantity.unit if plan.waste.quantity else ''}".strip()
                if result.waste_collected is not None
                else ""
            )
            row += [
                str(result.households_joined),
                str(result.households_total),
                f"{result.rate * 100:.1f}".replace(".", ","),
                str(result.commune_staff),
                str(result.agency_people),
                work,
                waste,
                result.notes or "",
                "Có" if (plan.is_example or result.is_example) else "Không",
            ]
        rows.append(row)
    return rows


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
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([spreadsheet_text(cell) for cell in row] for row in report_rows(data, saturday))
    return buffer.getvalue().encode("utf-8-sig")

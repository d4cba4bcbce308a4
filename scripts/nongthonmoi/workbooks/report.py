"""The Monday report as a workbook: one row per commune for one Saturday,
with the same columns and rows as the CSV beside it (both from
``saturday/report.py``: ``COLUMNS`` and ``report_rows``).

The CSV writes numbers as text with a
decimal comma; opened with a double click in Excel set to another list
separator, whole rows can land in column A. Here every number is a number
cell (the participation rate a real fraction formatted as a percentage), every
date a date, so the workbook reads the same in Excel, LibreOffice or WPS with
any regional settings. Text stays text (never a formula), communes that have
not reported are marked in words and in bold (black-and-white printing), and
the example-data column is kept.
"""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..models.plans import report_deadline
from ..saturday.data import SaturdayData
from ..saturday.report import COLUMNS as REPORT_COLUMNS
from ..saturday.report import NOT_REPORTED, REPORTED, report_rows
from . import book
from .book import Meta
from .layout import REPORT

SHEET = "Báo cáo"

# The CSV's columns (saturday/report.py), with a width each here: fifteen
# columns on A4 landscape at about 86 % (text wraps, headers on several lines).
WIDTHS = {"STT": 4, "Xã, thị trấn": 15, "Ngày thứ Bảy": 11, "Nội dung": 17, "Tình trạng báo cáo": 16,
          "Số hộ tham gia": 7, "Tổng số hộ": 7, "Tỷ lệ hộ tham gia (%)": 7, "Cán bộ xã tham gia": 7,
          "Người của cơ quan huyện tham gia": 8, "Khối lượng đã làm / kế hoạch": 21, "Rác thu gom": 6,
          "Đơn vị tính rác": 6, "Ghi chú": 14, "Dữ liệu ví dụ": 6}
COLUMNS = [(title, WIDTHS[title], kind) for title, kind in REPORT_COLUMNS]
FORMATS = {"int": "#,##0", "number": "General", "date": book.DATE_FORMAT, "percent": book.PERCENT_FORMAT, "text": book.TEXT_FORMAT}


def report_workbook(data: SaturdayData, saturday: date) -> bytes:
    wb = book.new_workbook()
    ws = wb.active
    ws.title = SHEET
    rows = report_rows(data, saturday)
    monday = report_deadline(saturday)
    book.put_text(ws, 1, 1, f"BÁO CÁO KẾT QUẢ NGÀY THỨ BẢY {saturday:%d/%m/%Y}").font = book.TITLE
    book.put_text(ws, 2, 1, f"Phòng Nông nghiệp và PTNT tổng hợp, báo cáo huyện trong ngày thứ Hai {monday:%d/%m/%Y}. "
                  "Số liệu lấy từ kết quả các xã, thị trấn đã gửi.").font = book.BODY
    example = any(r[-1] == "Có" for r in rows)
    if example:
        book.put_text(ws, 3, 1, "Có dữ liệu ví dụ (cột «Dữ liệu ví dụ»: Có): minh họa cách báo cáo, không phải số liệu thật.").font = book.BOLD
    head = 5
    for col, (title, width, _) in enumerate(COLUMNS, start=1):
        cell = book.put_text(ws, head, col, title)
        cell.font, cell.fill, cell.border, cell.alignment = book.BOLD, book.HEAD_FILL, book.BOX, book.HEAD
        ws.column_dimensions[get_column_letter(col)].width = width
    book.fit_height(ws, head, [(title, width) for title, width, _ in COLUMNS], bold=True, least=48)
    for offset, values in enumerate(rows, start=1):
        r = head + offset
        missing = values[4] != REPORTED
        for col, ((_, _, kind), value) in enumerate(zip(COLUMNS, values), start=1):
            cell = book.put_text(ws, r, col, value) if isinstance(value, str) else ws.cell(row=r, column=col, value=value)
            cell.number_format = FORMATS[kind]
            cell.border = book.BOX
            cell.alignment = Alignment(vertical="top", wrap_text=kind == "text")
            # Not reported: bold and shaded, readable without colour.
            cell.font = book.BOLD if missing and values[4] == NOT_REPORTED else book.BODY
            if missing and values[4] == NOT_REPORTED:
                cell.fill = book.MARK_FILL
        book.fit_height(ws, r, [(v, w) for (_, w, kind), v in zip(COLUMNS, values) if kind == "text"],
                        bold=missing and values[4] == NOT_REPORTED)
    total_row = head + len(rows) + 1
    reported = [v for v in rows if v[4] == REPORTED]
    joined, total = sum(v[5] for v in reported), sum(v[6] for v in reported)
    totals = [None, "Toàn huyện", saturday, f"{len(reported)}/{len(rows)} xã, thị trấn đã báo cáo", None,
              joined, total, joined / total if total else None,
              sum(v[8] for v in reported), sum(v[9] for v in reported)]
    for col, value in enumerate(totals, start=1):
        kind = COLUMNS[col - 1][2]
        cell = book.put_text(ws, total_row, col, value) if isinstance(value, str) else ws.cell(row=total_row, column=col, value=value)
        cell.number_format = FORMATS[kind]
        cell.font, cell.border, cell.fill = book.BOLD, book.BOX, book.HEAD_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=kind == "text")
    book.fit_height(ws, total_row, [(v, w) for (_, w, kind), v in zip(COLUMNS, totals) if kind == "text"], bold=True)
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(COLUMNS))}{head + len(rows)}"
    # The title, the Saturday and the column headers head every printed page.
    book.set_up_printing(ws, book.A4_LANDSCAPE, f"1:{head}")
    book.write_meta(wb, Meta(REPORT, "", saturday))
    return book.to_bytes(wb)

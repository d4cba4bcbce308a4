"""What every workbook of the site shares: the hidden sheet that identifies
it, the look of its cells, safe text cells and byte-identical output.

A workbook is recognised by what is inside it, never by its file name: Zalo
and e-mail rename files («ke-hoach-gung-re (1).xlsx»). The hidden sheet
:data:`META_SHEET` holds the kind of form, the commune, the Saturday and the
format version as plain text, which LibreOffice and WPS Office keep when they
re-save a workbook.
"""

from __future__ import annotations

import hashlib
import io
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from datetime import time as clock_time
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.writer.excel import ExcelWriter

from ..photos.documents import PUBLISHER
from .prefill import source_date

META_SHEET = "Thông tin tệp"
LISTS_SHEET = "Danh mục"
FORMAT = "nongthonmoi-dilinh"
# Raise when a form changes shape so that older forms cannot be read wrongly.
VERSION = "1"
AUTHOR = PUBLISHER  # the files say who made them: the Board, no person (A020)

FONT_NAME = "Arial"  # metric twin of Liberation Sans (LibreOffice): same widths everywhere
BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)
NOTE = Font(name=FONT_NAME, size=10, italic=True)
# Light fills print as light grey on black-and-white printers; input cells
# are also told apart by their border, not by colour alone.
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
HEAD_FILL = PatternFill("solid", fgColor="E2E2E2")
MARK_FILL = PatternFill("solid", fgColor="D0D0D0")
# Black, not grey: a grey hairline comes out dotted or not at all from a
# black-and-white office printer.
_THIN = Side(style="thin", color="000000")
_THICK = Side(style="medium", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOX_TOP = Border(left=_THIN, right=_THIN, top=_THICK, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
# A group header is written in its first column and runs on over the empty
# cells of the group: no merged cells (LibreOffice even turns "centre across
# selection" into a merge when it re-saves).
GROUP = Alignment(horizontal="left", vertical="center", wrap_text=False)

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = 'h"h"mm'  # 7h00, the way Vietnamese documents write times
TEXT_FORMAT = "@"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Meta:
    kind: str  # "ke-hoach" | "ket-qua" | "bao-cao"
    unit: str  # commune id ("" for the district report)
    saturday: date
    version: str = VERSION
    # The fingerprint of the form as the site made it (``fingerprint``): a
    # form sent back with the same one was never filled in. Empty for a form
    # pre-filled with a record already filed (sent back as it is: unchanged).
    blank: str = ""


def _canonical(value: Any) -> str:
    """A cell value as written and as read back by openpyxl or LibreOffice alike."""
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, (int, float)):
        return f"n:{float(value):.15g}"
    if isinstance(value, datetime):
        return f"d:{value.date().isoformat()}" if value.time() == clock_time() else f"d:{value.isoformat()}"
    if isinstance(value, date):
        return f"d:{value.isoformat()}"
    if isinstance(value, clock_time):
        return f"t:{value.hour}:{value.minute:02d}"
    return "s:" + unicodedata.normalize("NFC", str(value)).strip()


def fingerprint(values: dict[tuple[int, int], Any]) -> str:
    """Of every non-empty value of a sheet and its place (row, column)."""
    digest = hashlib.sha256()
    for (row, col), value in sorted(values.items()):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        digest.update(f"{row},{col}={_canonical(value)}\n".encode())
    return digest.hexdigest()[:32]


def sheet_fingerprint(ws) -> str:
    return fingerprint({key: cell.value for key, cell in ws._cells.items()})


def put_text(ws, row: int, column: int, value: str):
    """A text cell that stays text: openpyxl would turn "=..." into a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    return cell


def write_meta(wb: Workbook, meta: Meta) -> None:
    ws = wb.create_sheet(META_SHEET)
    put_text(ws, 1, 1, "Không sửa trang này: trang web Nông thôn mới Di Linh dùng nó để nhận ra tệp khi nhập.")
    rows = [("mau", FORMAT), ("loai", meta.kind), ("xa", meta.unit), ("ngay", meta.saturday.isoformat()), ("phien_ban", meta.version)]
    if meta.blank:
        rows.append(("mau_trong", meta.blank))
    for index, (key, value) in enumerate(rows, start=3):
        put_text(ws, index, 1, key)
        put_text(ws, index, 2, value)
    ws.sheet_state = "veryHidden"  # LibreOffice re-saves it as "hidden": still out of the way
    ws.protection.sheet = True


def read_meta(wb) -> Meta | None | str:
    """The workbook's identity; None when it is not one of ours; the raw
    version string when the format version is not this one."""
    if META_SHEET not in wb.sheetnames:
        return None
    ws = wb[META_SHEET]
    values: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 50), max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            values[row[0].strip()] = str(row[1]).strip() if row[1] is not None else ""
    if values.get("mau") != FORMAT:
        return None
    if values.get("phien_ban") != VERSION:
        return values.get("phien_ban") or "?"
    try:
        return Meta(values["loai"], values.get("xa", ""), date.fromisoformat(values["ngay"]), values["phien_ban"],
                    values.get("mau_trong", ""))
    except (KeyError, ValueError):
        return None


def fit_height(ws, row: int, cells: list[tuple[object, float]], bold: bool = False, least: float | None = None) -> None:
    """Give a row the height its wrapped text needs.

    Neither LibreOffice nor Excel re-measures rows of a file it opens, so a
    long pre-filled value would hide its second line; rows that fit on one
    line keep the default height (and grow as the clerk types in Excel).
    ``least``: a height the row keeps even when its text is short.
    """
    lines = max([1, *(wrapped_lines(value, width, bold) for value, width in cells if isinstance(value, str) and value)])
    height = LINE_HEIGHT * lines + 2 if lines > 1 else None
    if least is not None:
        height = max(height or 0, least)
    if height is not None:
        ws.row_dimensions[row].height = height


# A line of wrapped Arial 11 (Excel 14.25 pt, LibreOffice 12.4 pt) and the
# widest average letter of Vietnamese text in it (measured: 4.9 pt, bold 5.2 pt),
# rounded up so that a row is never too short for its text.
LINE_HEIGHT = 14.25
_LETTER = {False: 5.1, True: 5.5}
_PADDING = 14  # points of a column no text goes into (LibreOffice: 13 to 15; «Chưa có kế hoạch», 82 pt, wraps in 91 pt)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """The lines ``text`` takes in a column ``width`` wide, wrapped at spaces
    as Excel and LibreOffice do (a word longer than the line is cut)."""
    per_line = max(1, int((width * POINTS_PER_WIDTH - _PADDING) / _LETTER[bold]))
    lines = 0
    for paragraph in text.split("\n"):
        used = None  # letters on the current line; None: no line started
        for word in paragraph.split():
            if used is not None and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            lines += -(-len(word) // per_line)
            used = (len(word) - 1) % per_line + 1
        lines += used is None
    return max(1, lines)


# --- printing -------------------------------------------------------------------------
#
# Clerks print the forms in black and white for hamlet officials, many of them
# older people reading on paper: a sheet is fitted to the paper's width, so its
# columns' total width sets the print scale, and 11 pt text must not shrink
# much below 9 pt (tests/test_workbooks.py reads the scale back).

# A column width counts digits of the workbook's default font: Arial 11, a
# digit 8 px = 6 pt wide in Excel (6.1 pt in LibreOffice with Liberation Sans).
POINTS_PER_WIDTH = 6.0
SIDE_MARGIN = 0.3  # inches; Excel's "narrow" margins are 0.25
END_MARGIN = 0.5


@dataclass(frozen=True)
class Paper:
    orientation: str  # "portrait" | "landscape"
    width: float  # points inside the margins
    height: float


A4_PORTRAIT = Paper("portrait", 595.3 - 2 * SIDE_MARGIN * 72, 841.9 - 2 * END_MARGIN * 72)
A4_LANDSCAPE = Paper("landscape", 841.9 - 2 * SIDE_MARGIN * 72, 595.3 - 2 * END_MARGIN * 72)


def print_scale(widths: list[float], paper: Paper) -> float:
    """The scale Excel and LibreOffice print at when the columns are fitted to the page width."""
    return min(1.0, paper.width / (sum(widths) * POINTS_PER_WIDTH))


def set_up_printing(ws, paper: Paper, title_rows: str) -> None:
    """A4, fitted to one page wide (as many pages long as it takes), with
    ``title_rows`` (``"1:2"``) repeated at the top of every printed page."""
    ws.page_setup.orientation = paper.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = END_MARGIN
    ws.print_options.gridLines = False
    ws.print_title_rows = title_rows


def new_workbook() -> Workbook:
    wb = Workbook()
    # The default font sets the unit of column widths: openpyxl's Calibri is
    # missing where LibreOffice runs on Linux and its stand-in is wider, so
    # the same sheet printed smaller there. Arial has a metric twin everywhere.
    wb._fonts = IndexedList([BODY])
    wb._named_styles["Normal"].font = BODY
    stamp = source_date()
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.language = "vi-VN"
    return wb


def to_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes, identical for identical content.

    openpyxl's own save writes "now" into docProps/core.xml and gives every
    zip entry the current time; the writer is called directly (the dates set
    in :func:`new_workbook` stay) and the zip is rewritten with one fixed time.
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    stamp = time.gmtime(source_date().replace(tzinfo=timezone.utc).timestamp())[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # openpyxl's order: [Content_Types].xml last is fine for Excel
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(info.filename), compresslevel=9)
    return out.getvalue()

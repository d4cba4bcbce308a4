"""The weekly plan workbook and the result form: how their sheet looks, and
writing them.

:class:`FormSheet` describes one sheet (title, instructions, form rows, tables,
drop-down lists) from the layout of the model (``layout.py``) and the
commune's data; the writer here and the reader (``reading.py``) both work
from it. The sheet is protected without a password: headers and labels are
locked so they are not typed over by accident, input cells (pale yellow, with
a border) are open, and rows can be inserted. The Board can still lift the
protection (Review > Unprotect Sheet) if it ever needs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.datavalidation import DataValidation

from ..models.agencies import AgencyRegistry
from ..models.plans import SaturdayPlan
from ..models.results import SaturdayResult
from ..models.units import Unit
from . import book, choices
from .book import Meta
from .prefill import dump, record_values
from .choices import Choice
from .layout import PLAN, RESULT, Leaf, Group, Layout, Table, layout

PLAN_SHEET = "Kế hoạch"
RESULT_SHEET = "Kết quả"
SHEETS = {PLAN: PLAN_SHEET, RESULT: RESULT_SHEET}

# Blank rows under a table for new records (more can be inserted).
BLANK_TASK_ROWS = 12
BLANK_AGENCY_ROWS = 5
# The task id: left blank for a new task, the import derives it from the description.
AUTO_ID = "ma"
# Times a new plan starts with when the commune has no earlier plan (as `ntm new-plan`).

_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)


@dataclass(frozen=True)
class Column:
    title: str
    group: str | None
    leaf: Leaf | None  # None: a column shown for context (the planned amount), never imported
    locked: bool
    width: float

    @property
    def key(self) -> str:
        return self.leaf.key if self.leaf else f"~{self.group}/{self.title}"


@dataclass(frozen=True)
class TableSheet:
    table: Table
    section: str  # section heading above the table
    note: str  # one line under the heading: how to fill the table
    columns: tuple[Column, ...]
    key: str | None = None  # a pre-filled column: a row with only this one filled is no record
    blank_rows: int = 0

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)


@dataclass(frozen=True)
class FormSheet:
    kind: str
    name: str
    layout: Layout
    unit_name: str  # "Xã Gung Ré": shown, locked, in the commune's row
    title: str
    subtitle: str
    instructions: tuple[str, ...]
    form_section: str
    locked: frozenset[str]  # form fields shown but not typed (the commune, the result's Saturday)
    notes: dict[str, str]  # form field key -> text shown right of the value (its unit)
    tables: tuple[TableSheet, ...]
    choices: dict[str, Choice] = field(default_factory=dict)
    label_width: float = 20  # column A: the form's labels (and a table column below)
    value_width: float = 26  # column B: the form's values (and a table column below)
    paper: book.Paper = book.A4_LANDSCAPE

    def label(self, row: Leaf | Group) -> str:
        return row.title + (" *" if isinstance(row, Leaf) and row.required and row.key not in self.locked else "")

    def choice(self, leaf: Leaf) -> Choice | None:
        if leaf.kind == "bool":
            return self.choices["bool"]
        return self.choices.get(leaf.ref or leaf.suggest or "")

    def static_texts(self) -> set[str]:
        texts = {self.title, self.subtitle, self.form_section, *self.instructions}
        for table in self.tables:
            texts |= {table.section, table.note}
        return {choices.normalise(t) for t in texts if t}


# --- the two sheets -----------------------------------------------------------

# Each line prints on one line within the sheet's width (a portrait result
# form is the narrowest: about 590 pt): a longer one would be cut off in Excel
# and would shrink the whole page in LibreOffice.
_COMMON_END = (
    "Không đổi tên trang tính, không gộp ô, không thêm cột, không dùng công thức. Lưu dạng .xlsx (Excel, LibreOffice, WPS).",
    "Xong: gửi qua Zalo hoặc thư điện tử cho Ban Tuyên giáo Huyện ủy (mẫu 2023; từ 1/7/2025 không còn cấp huyện: hỏi UBND xã nơi gửi).",
)


def plan_sheet(unit: Unit, agencies: AgencyRegistry, units_used: list[str]) -> FormSheet:
    lay = layout(PLAN)
    (tasks,) = lay.tables
    # Ten columns on A4 landscape at about 91 %: long names wrap onto a second line.
    widths = {"ma": 20, "noi_dung": 26, "khoi_luong.so": 8, "khoi_luong.don_vi_tinh": 10, "thon": 13,
              "dia_diem": 13, "cong_cu": 12, "thanh_phan": 13, "don_vi_ho_tro": 15, "phu_trach": 13}
    columns = tuple(Column(c.title, c.group, c, False, widths.get(c.key, 13)) for c in tasks.columns)
    return FormSheet(
        kind=PLAN,
        name=PLAN_SHEET,
        layout=lay,
        unit_name=unit.full_name,
        title=lay.title.upper(),
        subtitle=unit.full_name,
        instructions=(
            "Cách điền: gõ vào các ô nền vàng có viền; ô tiêu đề, ô nền trắng đã khóa. Ô có dấu * phải điền.",
            "Bấm vào một ô để xem gợi ý. Ô có danh sách (Có/Không, thôn, cơ quan, đơn vị tính): chọn ở mũi tên bên phải ô.",
            "Ngày gõ dạng 25/03/2023; giờ gõ dạng 7:00 (hiện là 7h00); số chỉ gõ số, không kèm chữ.",
            "Mỗi phần việc một dòng. Có nhiều thôn, công cụ, thành phần: ghi mỗi mục một ô, thêm ở các dòng ngay dưới, để trống cột «Việc cần làm».",
            "Thêm phần việc: điền vào dòng trống (để trống «Mã phần việc», mã tự đặt). Bỏ phần việc: xóa hết chữ trong các dòng của nó (mã đã khóa, để nguyên).",
            "«Dữ liệu ví dụ»: chọn «Không» khi đây là kế hoạch thật của xã; «Có» nếu chỉ là bản điền thử.",
            *_COMMON_END,
        ),
        form_section="1. THÔNG TIN CHUNG",
        locked=frozenset({"xa"}),
        notes={},
        tables=(
            TableSheet(
                tasks,
                f"2. {tasks.title.upper()}",
                "Mỗi phần việc bắt đầu ở một dòng có «Việc cần làm»; các dòng dưới nó chỉ ghi thêm thôn, công cụ, thành phần, cơ quan.",
                columns,
                blank_rows=BLANK_TASK_ROWS,
            ),
        ),
        choices={
            "bool": choices.yes_no(),
            "hamlet": choices.hamlets(unit),
            "agency": choices.agencies(agencies),
            "unit-of-measure": choices.units_of_measure(units_used),
        },
    )


def result_sheet(unit: Unit, plan: SaturdayPlan, agencies: AgencyRegistry) -> FormSheet:
    lay = layout(RESULT)
    turnout, done = lay.tables
    waste_unit = plan.waste.quantity.unit if plan.waste.quantity else ""
    done_columns: list[Column] = []
    # Five columns on A4 portrait at about 92 %.
    for c in done.columns:
        if c.ref == "task":
            done_columns.append(Column(c.title, None, c, True, 30))
            # What was planned, beside what was done: shown, not imported.
            done_columns.append(Column("Số lượng", "Kế hoạch", None, True, 9))
            done_columns.append(Column("Đơn vị tính", "Kế hoạch", None, True, 9))
        else:
            done_columns.append(Column(c.title, c.group, c, False, 11 if c.kind == "float" else 30))
    return FormSheet(
        kind=RESULT,
        name=RESULT_SHEET,
        layout=lay,
        unit_name=unit.full_name,
        title=lay.title.upper(),
        subtitle=f"{unit.full_name}, thứ Bảy {plan.date:%d/%m/%Y}",
        instructions=(
            "Cách điền: gõ vào các ô nền vàng có viền; ô tiêu đề, ô nền trắng đã khóa. Ô có dấu * phải điền.",
            "Bấm vào một ô để xem gợi ý. Số chỉ gõ số, không kèm chữ. Số hộ tham gia không lớn hơn tổng số hộ.",
            "Cơ quan huyện: ghi số người của từng cơ quan có mặt; cơ quan không cử người thì để trống. Cơ quan khác: chọn ở dòng trống.",
            "Khối lượng đã làm: cùng đơn vị tính với kế hoạch; việc chưa làm ghi 0; việc không báo cáo để trống.",
            "«Dữ liệu ví dụ»: chọn «Không» khi đây là số liệu thật của xã; «Có» nếu chỉ là bản điền thử.",
            *_COMMON_END,
        ),
        form_section="1. THÔNG TIN CHUNG",
        locked=frozenset({"xa", "ngay"}),
        notes={"rac_thu_gom": waste_unit} if waste_unit else {},
        tables=(
            TableSheet(
                turnout,
                f"2. {turnout.title.upper()}",
                "Mỗi cơ quan một dòng: chọn tên cơ quan, ghi số người.",
                tuple(Column(c.title, c.group, c, False, 30 if c.ref else 9) for c in turnout.columns),
                key="co_quan",
                blank_rows=BLANK_AGENCY_ROWS,
            ),
            TableSheet(
                done,
                f"3. {done.title.upper()}",
                "Các phần việc của kế hoạch: ghi khối lượng đã làm vào cột nền vàng.",
                tuple(done_columns),
                key="phan_viec",
            ),
        ),
        choices={
            "bool": choices.yes_no(),
            "agency": choices.agencies(agencies),
            "task": choices.tasks(plan),
        },
        # Mostly numbers here; the tables' second columns are numbers too.
        label_width=30,
        value_width=17,
        paper=book.A4_PORTRAIT,
    )


# --- writing ------------------------------------------------------------------


def _prompt(leaf: Leaf, sheet: FormSheet) -> str:
    """The hint shown when a cell is selected (Excel allows 255 characters)."""
    kind_hint = {
        "bool": "Chọn Có hoặc Không.",
        "int": "Gõ một số nguyên, không kèm chữ.",
        "float": "Gõ một số, không kèm chữ (phần thập phân theo cách máy tính đang dùng, ví dụ 1,5).",
        "date": "Gõ ngày dạng 25/03/2023.",
        "time": "Gõ giờ dạng 7:00 (hiện là 7h00).",
    }.get(leaf.kind, "")
    if leaf.saturday:
        kind_hint = "Gõ ngày thứ Bảy, dạng 25/03/2023."
    if leaf.ref:
        text = "Chọn trong danh sách." + (" Thêm mục khác ở dòng ngay dưới." if leaf.many else "")
    elif leaf.suggest:
        text = "Chọn trong danh sách hoặc gõ đơn vị khác."
    elif leaf.kind == "text":
        text = leaf.description
        if leaf.key == "ma":
            text += " Để trống khi thêm việc mới: mã tự đặt."
        if leaf.many:
            text += " Mỗi ô một mục; thêm mục ở dòng ngay dưới."
    else:
        text = kind_hint
    if not leaf.required:
        text += " Không bắt buộc."
    return text[:250]


def _validation(leaf: Leaf, sheet: FormSheet) -> DataValidation:
    error_title = "Giá trị không hợp lệ"
    choice = sheet.choice(leaf)
    if choice is not None:
        dv = DataValidation(type="list", formula1=choice.name, allow_blank=True)
        dv.error = f"Chọn một mục trong danh sách «{leaf.title}»." if not leaf.suggest else "Đơn vị này không có trong danh sách gợi ý. Vẫn dùng?"
        dv.errorStyle = "warning" if leaf.suggest else "stop"
    elif leaf.kind in ("int", "float"):
        low = leaf.minimum if leaf.minimum is not None else leaf.exclusive_minimum
        if leaf.kind == "int" and leaf.exclusive_minimum is not None:
            low = leaf.exclusive_minimum + 1
        dv = DataValidation(type="whole" if leaf.kind == "int" else "decimal", operator="greaterThanOrEqual",
                            formula1=str(low if low is not None else -1e9), allow_blank=True)
        dv.error = f"«{leaf.title}» phải là số{' nguyên' if leaf.kind == 'int' else ''}" + (f", từ {low:g} trở lên." if low is not None else ".")
    elif leaf.kind == "date" and leaf.saturday:
        dv = DataValidation(type="custom", formula1="AND(ISNUMBER({cell}),WEEKDAY({cell})=7)", allow_blank=True)
        dv.error = "Ngày này không phải thứ Bảy. Gõ ngày thứ Bảy, dạng 25/03/2023."
    elif leaf.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True)
        dv.error = "Gõ ngày dạng 25/03/2023."
    elif leaf.kind == "time":
        dv = DataValidation(type="time", operator="between", formula1="0", formula2="0.999988", allow_blank=True)
        dv.error = "Gõ giờ dạng 7:00 hoặc 13:30."
    else:
        dv = DataValidation(allow_blank=True)  # text: only the hint
    dv.errorTitle = error_title
    dv.showErrorMessage = dv.type is not None
    dv.promptTitle = leaf.title[:32]
    dv.prompt = _prompt(leaf, sheet)
    dv.showInputMessage = True
    return dv


class _Validations:
    """One data validation per field, covering every cell of that field."""

    def __init__(self, ws, sheet: FormSheet):
        self.ws, self.sheet = ws, sheet
        self.by_key: dict[tuple, DataValidation] = {}

    def add(self, key: tuple, leaf: Leaf, coordinate: str) -> None:
        dv = self.by_key.get(key)
        if dv is None:
            dv = self.by_key[key] = _validation(leaf, self.sheet)
            if dv.formula1 and "{cell}" in dv.formula1:
                dv.formula1 = dv.formula1.replace("{cell}", coordinate)
            self.ws.add_data_validation(dv)
        dv.add(coordinate)


def _cell_value(leaf: Leaf, value, sheet: FormSheet):
    if value is None:
        return None
    if leaf.kind == "bool":
        return choices.YES if value else choices.NO
    if leaf.ref:
        return sheet.choice(leaf).label(value)
    if leaf.kind == "float":
        return _number(value)
    return value


def _number(value: float) -> float | int:
    # 2, not 2.0: Excel shows both alike, LibreOffice's CSV export would not.
    return int(value) if float(value).is_integer() else value


def _put(ws, row: int, col: int, leaf: Leaf, value, sheet: FormSheet, locked: bool):
    value = _cell_value(leaf, value, sheet)
    if isinstance(value, str):
        cell = book.put_text(ws, row, col, value)
    else:
        cell = ws.cell(row=row, column=col, value=value)
    cell.font = book.BODY
    cell.border = book.BOX
    cell.alignment = book.WRAP
    # Text cells are formatted as text so that Excel keeps «1/2» or «03-04» as typed.
    cell.number_format = {"date": book.DATE_FORMAT, "time": book.TIME_FORMAT, "text": book.TEXT_FORMAT}.get(
        leaf.kind, "General"
    )
    if not locked:
        cell.fill = book.INPUT_FILL
        cell.protection = _UNLOCKED
    return cell


def write_form(sheet: FormSheet, meta: Meta, values: dict[str, Any], rows: dict[str, list[dict]], blank: bool = False) -> bytes:
    """The workbook's bytes. ``blank``: the form is to be filled in (not a
    record already filed): its fingerprint goes into the hidden sheet, so a
    copy sent back untouched is refused as «chưa điền»."""
    wb = book.new_workbook()
    ws = wb.active
    ws.title = sheet.name
    validations = _Validations(ws, sheet)
    widths: dict[int, float] = {1: sheet.label_width, 2: sheet.value_width}
    for table in sheet.tables:
        for index, column in enumerate(table.columns, start=1):
            widths[index] = max(widths.get(index, 0), column.width)

    book.put_text(ws, 1, 1, sheet.title).font = book.TITLE
    book.put_text(ws, 2, 1, sheet.subtitle).font = book.BOLD
    row = 3
    for line in sheet.instructions:
        book.put_text(ws, row, 1, line).font = book.NOTE
        row += 1
    row += 1

    # The form: one row per field.
    book.put_text(ws, row, 1, sheet.form_section).font = book.BOLD
    row += 1
    first_input = None
    for item in sheet.layout.rows:
        label = book.put_text(ws, row, 1, sheet.label(item))
        label.alignment = Alignment(horizontal="left", indent=item.depth * 2, vertical="top", wrap_text=True)
        if isinstance(item, Group):
            label.font = book.BOLD
            book.fit_height(ws, row, [(label.value, widths[1] - _INDENT * item.depth)], bold=True)
            row += 1
            continue
        label.font = book.BODY
        locked = item.key in sheet.locked
        value = values.get(item.key)
        if item.key == "xa":
            value = meta.unit
        if locked and item.ref == "unit":
            cell = book.put_text(ws, row, 2, sheet.unit_name)
            cell.font, cell.border = book.BOLD, book.BOX
        else:
            cell = _put(ws, row, 2, item, value, sheet, locked)
            if locked:
                cell.font = book.BOLD
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        book.fit_height(ws, row, [(cell.value, widths[2]), (label.value, widths[1] - _INDENT * item.depth)])
        if not locked:
            validations.add(("form", item.key), item, cell.coordinate)
            first_input = first_input or cell.coordinate
        note = sheet.notes.get(item.key)
        if note:
            book.put_text(ws, row, 3, note).font = book.BODY
        row += 1

    sections: list[tuple[int, int]] = []  # (heading row, last row that must print with it)
    for table in sheet.tables:
        row += 1
        book.put_text(ws, row, 1, table.section).font = book.BOLD
        heading = row
        row += 1
        book.put_text(ws, row, 1, table.note).font = book.NOTE
        row += 1
        row = _write_table(ws, row, table, rows.get(".".join(table.table.path), []), sheet, validations, widths)
        # The heading, its note, the column headers and the first records stay on one page.
        sections.append((heading, min(row - 1, heading + 3 + (1 if table.has_groups else 0) + KEEP_WITH_HEADING)))

    for index, width in widths.items():
        ws.column_dimensions[get_column_letter(index)].width = width
    _lists_sheet(wb, sheet)
    if blank:
        meta = replace(meta, blank=book.sheet_fingerprint(ws))
    book.write_meta(wb, meta)
    _protect(ws)
    # The form's title and commune head every printed page.
    book.set_up_printing(ws, sheet.paper, "1:2")
    _keep_sections_together(ws, sections, [widths[c] for c in sorted(widths)], sheet.paper, last_row=row)
    # The form's title and commune stay in sight while the clerk scrolls down the tasks.
    ws.freeze_panes = "A3"
    if first_input:
        ws.sheet_view.selection[0].activeCell = first_input
        ws.sheet_view.selection[0].sqref = first_input
    return book.to_bytes(wb)


def _write_table(ws, row: int, table: TableSheet, records: list[dict], sheet: FormSheet, validations: _Validations,
                 widths: dict[int, float]) -> int:
    if table.has_groups:
        previous = None
        for col, column in enumerate(table.columns, start=1):
            cell = ws.cell(row=row, column=col)
            if column.group and column.group != previous:
                book.put_text(ws, row, col, column.group)
            cell.font, cell.fill, cell.border = book.BOLD, book.HEAD_FILL, book.BOX
            cell.alignment = book.GROUP if column.group else book.HEAD
            previous = column.group
        ws.row_dimensions[row].height = 18
        row += 1
    headers = []
    for col, column in enumerate(table.columns, start=1):
        leaf = column.leaf
        required = leaf is not None and leaf.required and not column.locked and leaf.key != AUTO_ID
        cell = book.put_text(ws, row, col, column.title + (" *" if required else ""))
        cell.font, cell.fill, cell.border, cell.alignment = book.BOLD, book.HEAD_FILL, book.BOX, book.HEAD
        headers.append((cell.value, widths[col]))
    book.fit_height(ws, row, headers, bold=True, least=32)
    row += 1

    many = [c for c in table.columns if c.leaf and c.leaf.many]
    for index, record in enumerate([*records, *({} for _ in range(table.blank_rows))]):
        height = max([1, *(len(record.get(c.key) or []) for c in many)])
        for offset in range(height):
            texts = []
            for col, column in enumerate(table.columns, start=1):
                value = record.get(column.key)
                leaf = column.leaf
                if leaf is not None and leaf.many:
                    items = value or []
                    value = items[offset] if offset < len(items) else None
                elif offset:
                    value = None
                if leaf is None:  # context column: shown as it is
                    cell = ws.cell(row=row, column=col)
                    if value is not None:
                        cell = book.put_text(ws, row, col, value) if isinstance(value, str) else ws.cell(row=row, column=col, value=value)
                    cell.font, cell.border, cell.alignment = book.BODY, book.BOX, book.WRAP
                else:
                    # A listed task keeps its id (locked): clearing the rest of its
                    # rows deletes it, and what is left of it can be told apart.
                    locked = column.locked or (leaf.key == AUTO_ID and index < len(records) and bool(value))
                    cell = _put(ws, row, col, leaf, value, sheet, locked)
                    if not locked:
                        validations.add((".".join(table.table.path), leaf.key), leaf, cell.coordinate)
                if offset == 0 and index < len(records) and many:
                    cell.border = book.BOX_TOP  # a heavier line where each task starts
                texts.append((cell.value, widths[col]))
            book.fit_height(ws, row, texts)
            row += 1
    return row


def _lists_sheet(wb, sheet: FormSheet) -> None:
    ws = wb.create_sheet(book.LISTS_SHEET)
    book.put_text(ws, 1, 1, "Các danh sách để chọn trong trang tính (không sửa trang này).").font = book.NOTE
    for col, choice in enumerate(sheet.choices.values(), start=1):
        head = book.put_text(ws, 2, col, choice.title)
        head.font, head.fill, head.border, head.alignment = book.BOLD, book.HEAD_FILL, book.BOX, book.HEAD
        for index, label in enumerate(choice.labels, start=3):
            book.put_text(ws, index, col, label).font = book.BODY
        letter = get_column_letter(col)
        ref = f"'{book.LISTS_SHEET}'!${letter}$3:${letter}${2 + max(1, len(choice.labels))}"
        wb.defined_names[choice.name] = DefinedName(choice.name, attr_text=ref)
        ws.column_dimensions[letter].width = max(16, min(44, max(len(x) for x in (*choice.labels, choice.title)) + 2))
    ws.row_dimensions[2].height = 32
    ws.protection.sheet = True
    # Hidden: the drop-downs still read it, and LibreOffice, which prints
    # every visible sheet, no longer adds two pages of lists to the form.
    ws.sheet_state = "hidden"


def _protect(ws) -> None:
    protection = ws.protection
    protection.sheet = True
    # Allowed while protected (False = not locked): widen columns, resize and
    # insert rows for more records, select any cell.
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.deleteRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


# A label's indent (2 per level) in column widths: Excel indents by 3 spaces a step.
_INDENT = 1.5
KEEP_WITH_HEADING = 3  # records printed with their table's heading, at least


def _keep_sections_together(ws, sections: list[tuple[int, int]], widths: list[float], paper: book.Paper,
                            last_row: int) -> None:
    """A page break before a section heading that would print at the foot of a
    page without its table. Excel and LibreOffice fit the sheet to the page
    width, so the page height in sheet rows follows from the column widths;
    the estimate is within a few per cent (LibreOffice → PDF, checked by
    eye and by tests/test_workbooks.py), so a heading that ends up near a page
    boundary either way gets its break. Every page after the first starts
    with the title rows (1–2), repeated."""
    page = paper.height / book.print_scale(widths, paper)
    slack = 0.08 * page

    def height(row: int) -> float:
        dim = ws.row_dimensions.get(row)
        return (dim.height if dim is not None and dim.height else 15.0) + 0.75  # the grid line

    titles = height(1) + height(2)
    used, wrapped = 0.0, False  # used: of the current page, repeated title rows included
    starts = dict(sections)
    for row in range(1, last_row + 1):
        if row in starts:
            block = sum(height(r) for r in range(row, starts[row] + 1))
            near_end = used + block > page - slack
            just_wrapped = wrapped and used - titles < slack  # the estimate's page break may come a little later
            if used > titles and (near_end or just_wrapped):
                ws.row_breaks.append(Break(id=row - 1))
                used, wrapped = titles, False
        step = height(row)
        if used + step > page:
            used, wrapped = titles + step, True
        else:
            used += step


# --- the plan for next Saturday and the result forms ----------------------------


def plan_workbook(unit: Unit, agencies: AgencyRegistry, units_used: list[str], saturday: date, values: dict, rows: dict,
                  blank: bool = True) -> bytes:
    """A plan form; ``blank=False`` for a plan already filed (sent back as it is, it is «unchanged»)."""
    sheet = plan_sheet(unit, agencies, units_used)
    return write_form(sheet, Meta(PLAN, unit.id, saturday), values, rows, blank=blank)


def result_record(unit: Unit, plan: SaturdayPlan, result: SaturdayResult | None, agencies: AgencyRegistry,
                  earlier: SaturdayResult | None = None) -> tuple[dict, dict]:
    """Form values and rows of a result form: the result if there is one, else
    a blank form listing the plan's tasks and the agencies expected."""
    lay = layout(RESULT)
    if result is not None:
        record = dump(result)
        reported = [d["phan_viec"] for d in record.get("khoi_luong_da_lam", [])]
        # Reported tasks keep their order (so an unchanged result imports unchanged), then the others.
        record["khoi_luong_da_lam"] = [*record.get("khoi_luong_da_lam", []),
                                       *({"phan_viec": t.id} for t in plan.tasks if t.id not in reported)]
    else:
        expected = {a for t in plan.tasks for a in t.supporting_agencies} | {a.id for a in agencies.supporting(unit.id)}
        record = {
            "vi_du": plan.is_example,
            "xa": unit.id,
            "ngay": plan.date,
            # The total of households rarely changes: start from the last one reported.
            "tong_so_ho": earlier.households_total if earlier else None,
            "co_quan_tham_gia": [{"co_quan": a.id} for a in agencies.agencies if a.id in expected],
            "khoi_luong_da_lam": [{"phan_viec": t.id} for t in plan.tasks],
        }
    values, rows = record_values(lay, record)
    for row in rows["khoi_luong_da_lam"]:
        task = plan.task(row["phan_viec"])
        if task is not None:
            row["~Kế hoạch/Số lượng"] = _number(task.quantity.amount)
            row["~Kế hoạch/Đơn vị tính"] = task.quantity.unit
    return values, rows


def result_workbook(unit: Unit, plan: SaturdayPlan, result: SaturdayResult | None, agencies: AgencyRegistry,
                    earlier: SaturdayResult | None = None) -> bytes:
    values, rows = result_record(unit, plan, result, agencies, earlier)
    return write_form(result_sheet(unit, plan, agencies), Meta(RESULT, unit.id, plan.date), values, rows, blank=result is None)

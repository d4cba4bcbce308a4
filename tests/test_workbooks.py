"""The workbooks the site publishes (issue 10): read back with openpyxl for
types, drop-down lists and protection, and with real LibreOffice (CSV, in
two regional settings) for what an office suite shows."""

from __future__ import annotations

import csv
import math
import re
import shutil
import io
import subprocess
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import CSV_FILTER, ROOT, libreoffice, needs_libreoffice
from nongthonmoi.materials import load_materials
from nongthonmoi.models.plans import SaturdayPlan
from nongthonmoi.models.results import SaturdayResult
from nongthonmoi.workbooks import book, forms, prefill, report
from nongthonmoi.workbooks.layout import PLAN, RESULT, layout, model_field_keys
from nongthonmoi.workbooks.site import WorkbookBuilder

TODAY = date(2023, 3, 20)  # next Saturday: 25/03/2023, copied from the plan of 18/03


@pytest.fixture(scope="module")
def data():
    return load_materials(ROOT).saturday


def _units_used(data):
    return sorted({t.quantity.unit for p in data.plans.values() for t in p.tasks})


def plan_bytes(data, unit_id="gung-re", today=TODAY, unit=None):
    unit = unit or data.units.by_id()[unit_id]
    form = prefill.next_plan(unit, data.plans_of(unit.id), today)
    return forms.plan_workbook(unit, data.agencies, _units_used(data), form.saturday, form.values, form.rows)


def result_bytes(data, unit_id="gung-re", saturday=date(2023, 3, 11), with_result=True):
    unit = data.units.by_id()[unit_id]
    plan = data.plans[(unit_id, saturday)]
    result = data.results.get((unit_id, saturday)) if with_result else None
    return forms.result_workbook(unit, plan, result, data.agencies)


@pytest.fixture(scope="module")
def books(data, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    made = {
        "ke-hoach-gung-re.xlsx": plan_bytes(data),
        "ket-qua-gung-re.xlsx": result_bytes(data),
        "ket-qua-trong-gung-re.xlsx": result_bytes(data, with_result=False),
        "bao-cao-2023-03-11.xlsx": report.report_workbook(data, date(2023, 3, 11)),
    }
    for name, content in made.items():
        (folder / name).write_bytes(content)
    return {name: folder / name for name in made}


def rows_by_label(ws) -> dict[str, int]:
    return {str(ws.cell(r, 1).value).removesuffix(" *"): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def header_row(ws, title: str) -> int:
    for r in range(1, ws.max_row + 1):
        for c in range(1, ws.max_column + 1):
            if str(ws.cell(r, c).value or "").removesuffix(" *") == title:
                return r
    raise AssertionError(title)


# --- what the model says, the workbook carries ---------------------------------------


def test_every_model_field_is_in_the_layout():
    for kind, model in ((PLAN, SaturdayPlan), (RESULT, SaturdayResult)):
        assert layout(kind).field_keys() == model_field_keys(model)


def test_every_field_has_its_label_or_header_in_the_workbook(books):
    for name, kind in (("ke-hoach-gung-re.xlsx", PLAN), ("ket-qua-gung-re.xlsx", RESULT)):
        ws = load_workbook(books[name])[forms.SHEETS[kind]]
        texts = {str(c.value).removesuffix(" *") for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        lay = layout(kind)
        missing = [leaf.title for leaf in lay.leaves if leaf.title not in texts]
        missing += [c.title for t in lay.tables for c in t.columns if c.title not in texts]
        assert not missing, (name, missing)


def test_a_field_added_to_the_model_appears_in_the_workbook(monkeypatch, data):
    """The layout is derived, not listed: a new model field becomes a new row."""
    from pydantic import Field, create_model

    from nongthonmoi.workbooks import layout as layout_module

    extended = create_model(
        "ExtendedPlan", __base__=SaturdayPlan,
        weather=(str | None, Field(None, alias="thoi_tiet", title="Thời tiết dự báo", description="Thời tiết.")),
    )
    layout_module.layout.cache_clear()
    monkeypatch.setitem(layout_module.__dict__, "SaturdayPlan", extended)
    try:
        assert "thoi_tiet" in layout(PLAN).field_keys()
        ws = load_workbook(io.BytesIO(plan_bytes(data)))[forms.PLAN_SHEET]
        assert "Thời tiết dự báo" in rows_by_label(ws)
    finally:
        monkeypatch.undo()
        layout_module.layout.cache_clear()
    assert "thoi_tiet" not in layout(PLAN).field_keys()


# --- types, lists, protection ----------------------------------------------------------


def test_plan_cells_are_typed(books):
    ws = load_workbook(books["ke-hoach-gung-re.xlsx"])[forms.PLAN_SHEET]
    rows = rows_by_label(ws)
    saturday = ws.cell(rows["Ngày thứ Bảy"], 2)
    assert isinstance(saturday.value, datetime) and saturday.value.date() == date(2023, 3, 25)
    assert saturday.is_date and saturday.number_format == "dd/mm/yyyy"
    assert isinstance(ws.cell(rows["Ngày lập kế hoạch"], 2).value, datetime)
    start = ws.cell(rows["Giờ bắt đầu"], 2)
    assert start.value == time(7, 0) and start.number_format == 'h"h"mm'
    assert ws.cell(rows["Nội dung chính"], 2).data_type == "s"
    assert ws.cell(rows["Dữ liệu ví dụ"], 2).value == "Có"  # the commune's hamlets are still examples
    head = header_row(ws, "Việc cần làm")
    amounts = [ws.cell(r, 3).value for r in range(head + 1, head + 6) if ws.cell(r, 3).value is not None]
    assert amounts == [1, 1.5] and all(isinstance(a, (int, float)) for a in amounts)


def test_result_cells_are_typed(books):
    ws = load_workbook(books["ket-qua-gung-re.xlsx"])[forms.RESULT_SHEET]
    rows = rows_by_label(ws)
    assert ws.cell(rows["Số hộ tham gia"], 2).value == 180
    assert ws.cell(rows["Tổng số hộ"], 2).value == 300
    assert ws.cell(rows["Rác đã thu gom"], 2).value == 1.8
    assert ws.cell(rows["Rác đã thu gom"], 3).value == "tấn"
    assert ws.cell(rows["Ngày thứ Bảy"], 2).value.date() == date(2023, 3, 11)
    head = header_row(ws, "Khối lượng đã làm")
    done = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(head + 1, head + 3)}
    assert done == {"Trồng hoa dọc đường": (200, "cây", 200), "Dọn điểm rác tự phát ven đường": (3, "điểm", 2)}


def test_drop_down_lists_offer_vietnamese_names(books, data):
    wb = load_workbook(books["ke-hoach-gung-re.xlsx"])
    ws = wb[forms.PLAN_SHEET]
    lists = {dv.formula1: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert set(lists) == {"DS_CoKhong", "DS_Thon", "DS_CoQuan", "DS_DonViTinh"}

    def values(name):
        (title, dest), = wb.defined_names[name].destinations
        return [c.value for row in wb[title][dest.replace("$", "")] for c in row]

    assert values("DS_Thon") == [h.name for h in data.units.by_id()["gung-re"].hamlets]
    assert values("DS_CoQuan") == [a.name for a in data.agencies.agencies]
    assert values("DS_CoKhong") == ["Có", "Không"]
    assert {"km", "tấn", "khu", "cây"} <= set(values("DS_DonViTinh"))
    # The hamlet column is covered, rows for new tasks included.
    head = header_row(ws, "Thôn, tổ dân phố thực hiện")
    covered = lists["DS_Thon"].sqref
    assert all(f"E{r}" in covered for r in range(head + 1, head + 1 + 3 + 2 + forms.BLANK_TASK_ROWS))
    assert lists["DS_Thon"].errorStyle in (None, "stop") and lists["DS_DonViTinh"].errorStyle == "warning"
    # Numbers and dates are checked as they are typed.
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"decimal", "date", "time", "custom"} <= kinds
    saturday = next(dv for dv in ws.data_validations.dataValidation if dv.type == "custom")
    assert "WEEKDAY" in saturday.formula1 and saturday.prompt


def test_headers_are_locked_and_inputs_open(books):
    for name, sheet in (("ke-hoach-gung-re.xlsx", forms.PLAN_SHEET), ("ket-qua-gung-re.xlsx", forms.RESULT_SHEET)):
        ws = load_workbook(books[name])[sheet]
        assert ws.protection.sheet and not ws.protection.insertRows
        rows = rows_by_label(ws)
        assert ws.cell(rows["Nội dung chính" if sheet == forms.PLAN_SHEET else "Số hộ tham gia"], 1).protection.locked
        assert not ws.cell(rows["Dữ liệu ví dụ"], 2).protection.locked
        assert ws.cell(rows["Xã, thị trấn"], 2).protection.locked  # who the form is for
        head = header_row(ws, "Ghi chú" if sheet == forms.RESULT_SHEET else "Việc cần làm")
        assert all(ws.cell(head, c).protection.locked for c in range(1, 5))
        assert ws.cell(1, 1).protection.locked
    meta = load_workbook(books["ke-hoach-gung-re.xlsx"])[book.META_SHEET]
    assert meta.sheet_state == "veryHidden"


def test_text_that_looks_like_a_formula_stays_text(data):
    plan = data.plans[("gung-re", date(2023, 3, 18))]
    tricky = plan.model_copy(update={"content": "=HYPERLINK(\"http://x\")", "notes": "+1 hộ"})
    unit = data.units.by_id()["gung-re"]
    values, rows = prefill.record_values(layout(PLAN), prefill.dump(tricky))
    wb = load_workbook(io.BytesIO(forms.plan_workbook(unit, data.agencies, [], tricky.date, values, rows)))
    ws = wb[forms.PLAN_SHEET]
    cell = ws.cell(rows_by_label(ws)["Nội dung chính"], 2)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"


def test_example_flag_of_a_new_plan_follows_the_hamlet_list(data):
    """While a commune's hamlets are placeholders, any plan naming them is an
    example: the form says «Có»; once the list is real, «Không»."""
    unit = data.units.by_id()["gung-re"]
    assert unit.hamlets_are_example
    ws = load_workbook(io.BytesIO(plan_bytes(data, unit=unit)))[forms.PLAN_SHEET]
    assert ws.cell(rows_by_label(ws)["Dữ liệu ví dụ"], 2).value == "Có"
    real = unit.model_copy(update={"hamlets_are_example": False})
    ws = load_workbook(io.BytesIO(plan_bytes(data, unit=real)))[forms.PLAN_SHEET]
    assert ws.cell(rows_by_label(ws)["Dữ liệu ví dụ"], 2).value == "Không"


def test_report_rate_is_a_percentage_and_missing_reports_are_marked(books):
    ws = load_workbook(books["bao-cao-2023-03-11.xlsx"])[report.SHEET]
    head = header_row(ws, "Tỷ lệ hộ tham gia (%)")
    titles = [ws.cell(head, c).value for c in range(1, ws.max_column + 1)]
    col = {t: i + 1 for i, t in enumerate(titles)}
    rows = {ws.cell(r, 2).value: r for r in range(head + 1, ws.max_row + 1)}
    gung_re = rows["Xã Gung Ré"]
    rate = ws.cell(gung_re, col["Tỷ lệ hộ tham gia (%)"])
    assert rate.value == pytest.approx(0.6) and rate.number_format == "0.0%"
    assert isinstance(ws.cell(gung_re, col["Ngày thứ Bảy"]).value, datetime)
    assert ws.cell(gung_re, col["Dữ liệu ví dụ"]).value == "Có"
    assert ws.cell(rows["Xã Bảo Thuận"], col["Tình trạng báo cáo"]).value == "Chưa có kế hoạch"
    assert ws.cell(rows["Toàn huyện"], col["Số hộ tham gia"]).value == 562


def test_a_task_left_blank_is_not_reported_as_done_zero(data):
    """The form: «việc chưa làm ghi 0; việc không báo cáo để trống»; the Monday report keeps the difference."""
    from nongthonmoi.saturday.report import report_rows

    saturday = date(2023, 3, 11)
    key = ("gung-re", saturday)
    plan, result = data.plans[key], data.results[key]
    blank, zero = plan.tasks[0], plan.tasks[1]
    work = [d.model_copy(update={"amount": 0}) if d.task == zero.id else d for d in result.work_done if d.task != blank.id]
    if not any(d.task == zero.id for d in work):
        work.append(type(result.work_done[0]).model_validate({"phan_viec": zero.id, "da_lam": 0}))
    changed = {**data.results, key: result.model_copy(update={"work_done": work})}
    row = next(r for r in report_rows(type(data)(data.units, data.agencies, data.plans, changed, data.staff_lists), saturday)
               if r[1] == "Xã Gung Ré")
    shown = next(cell for cell in row if isinstance(cell, str) and blank.description in cell)
    assert f"{blank.description}: chưa báo cáo (kế hoạch " in shown
    assert f"{zero.description}: 0/" in shown


def test_the_monday_csv_and_workbook_carry_the_same_table(data, books):
    """Same columns, same rows, same values: the workbook typed, the CSV as text."""
    from nongthonmoi.saturday.report import report_csv

    rows = list(csv.reader(io.StringIO(report_csv(data, date(2023, 3, 11)).decode("utf-8-sig"), newline=""), delimiter=";"))
    ws = load_workbook(books["bao-cao-2023-03-11.xlsx"])[report.SHEET]
    head = header_row(ws, "STT")
    titles = [ws.cell(head, c).value for c in range(1, ws.max_column + 1)]
    assert rows[0] == titles
    assert "Tình trạng báo cáo" in titles and "Đơn vị tính rác" in titles
    record = dict(zip(rows[0], next(r for r in rows if r[1] == "Xã Gung Ré")))
    assert (record["Tình trạng báo cáo"], record["Rác thu gom"], record["Đơn vị tính rác"]) == ("Đã báo cáo", "1,8", "tấn")
    gung_re = next(r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 2).value == "Xã Gung Ré")
    assert (ws.cell(gung_re, titles.index("Rác thu gom") + 1).value, ws.cell(gung_re, titles.index("Đơn vị tính rác") + 1).value) == (1.8, "tấn")
    assert len(rows) - 1 == sum(1 for r in range(head + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int))


def test_report_marks_a_commune_that_has_a_plan_but_no_result(data):
    data_without = type(data)(data.units, data.agencies, data.plans,
                              {k: v for k, v in data.results.items() if k != ("hoa-ninh", date(2023, 3, 11))}, data.staff_lists)
    ws = load_workbook(io.BytesIO(report.report_workbook(data_without, date(2023, 3, 11))))[report.SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Xã Hòa Ninh")
    assert ws.cell(row, 5).value == "Chưa báo cáo" and ws.cell(row, 5).font.b
    assert ws.cell(row, 6).value is None  # no household figure invented


# --- same sources, same bytes; cache -------------------------------------------------


def test_workbooks_are_byte_identical_and_dated_from_the_sources(data, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = plan_bytes(data), plan_bytes(data)
    assert first == second
    assert report.report_workbook(data, date(2023, 3, 4)) == report.report_workbook(data, date(2023, 3, 4))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        core = archive.read("docProps/core.xml").decode()
    for field in ("created", "modified"):
        assert f'<dcterms:{field} xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:{field}>' in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert plan_bytes(data) != first  # the date is the build's, not a constant


@pytest.mark.slow
def test_unchanged_workbooks_come_from_the_cache(data, tmp_path):
    builder = WorkbookBuilder(ROOT, cache_dir=tmp_path / "cache")
    coming = date(2023, 3, 25)
    index, paths = builder.build(data, TODAY, coming)
    assert builder.stats["made"] == len(paths) == len(index.all())
    assert index.plan("gung-re").file == "bang-tinh/ke-hoach-gung-re-2023-03-25.xlsx"
    assert [b.saturday for b in index.results_of("gung-re")] == [date(2023, 3, 18), date(2023, 3, 11), date(2023, 3, 4)]
    assert index.report(date(2023, 3, 11)).file == "bao-cao/bao-cao-2023-03-11.xlsx"
    again, paths_again = builder.build(data, TODAY, coming)
    assert builder.stats["made"] == 0 and paths_again == paths
    # One result changes: its form and that Saturday's report are remade, nothing else.
    key = ("gung-re", date(2023, 3, 11))
    changed = dict(data.results)
    changed[key] = changed[key].model_copy(update={"households_joined": 181})
    builder.build(type(data)(data.units, data.agencies, data.plans, changed, data.staff_lists), TODAY, coming)
    assert builder.stats["made"] == 2


# --- a real office suite -------------------------------------------------------------


def _csv(path: Path, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=sep))


@needs_libreoffice
@pytest.mark.parametrize("locale,sep,decimal", [("en-US", ",", "."), ("vi-VN", ";", ",")])
def test_libreoffice_reads_the_values(books, tmp_path, locale, sep, decimal):
    """LibreOffice, set to US or Vietnamese regional settings, shows the same values."""
    out = libreoffice(list(books.values()), tmp_path / "csv", CSV_FILTER.format(sep=ord(sep)), locale=locale)
    sheets = {p.stem: _csv(p, sep) for p in out}
    plan = {row[0].removesuffix(" *"): row[1] for row in sheets["ke-hoach-gung-re-Kế hoạch"] if row and len(row) > 1}
    assert plan["Ngày thứ Bảy"] == "25/03/2023" and plan["Giờ bắt đầu"] == "7h00" and plan["Giờ kết thúc"] == "10h30"
    assert plan["Nội dung chính"] == "Vệ sinh khu dân cư, sân sinh hoạt cộng đồng"
    tasks = sheets["ke-hoach-gung-re-Kế hoạch"]
    assert any(r[:5] == ["don-duong", "Quét dọn đường, ngõ xóm", f"1{decimal}5", "km", "Thôn 2"] for r in tasks)
    result = {row[0].removesuffix(" *"): row[1:4] for row in sheets["ket-qua-gung-re-Kết quả"] if row}
    assert result["Số hộ tham gia"][0] == "180" and result["Rác đã thu gom"][:2] == [f"1{decimal}8", "tấn"]
    assert result["Trồng hoa dọc đường"] == ["200", "cây", "200"]
    rows = {r[1]: r for r in sheets["bao-cao-2023-03-11-Báo cáo"] if len(r) > 7}
    assert rows["Xã Gung Ré"][7] == f"60{decimal}0%" and rows["Xã Gung Ré"][2] == "11/03/2023"
    assert rows["Xã Bảo Thuận"][4] == "Chưa có kế hoạch"
    assert sheets["ke-hoach-gung-re-Danh mục"][3][1] == "Thôn 2"


@pytest.fixture(scope="module")
def printed(books, tmp_path_factory) -> dict[str, Path]:
    """The workbooks printed to PDF by LibreOffice (every visible sheet)."""
    names = ["ke-hoach-gung-re.xlsx", "ket-qua-gung-re.xlsx", "bao-cao-2023-03-11.xlsx"]
    pdfs = libreoffice([books[n] for n in names], tmp_path_factory.mktemp("pdf"), "pdf")
    return {pdf.stem: pdf for pdf in pdfs}


def _pages(pdf: Path) -> list[str]:
    count = int(next(l for l in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines()
                     if l.startswith("Pages:")).split()[1])
    return [subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True).stdout for n in range(1, count + 1)]


@needs_libreoffice
def test_each_table_prints_with_its_heading(books, printed):
    """LibreOffice prints the forms (fit to the page width): a section heading
    is on the same page as its table's column headers and first record, every
    page starts with the form's title and commune, and the title rows stay in
    sight while scrolling."""
    expected = {
        "ke-hoach-gung-re": [("2. CÁC PHẦN VIỆC", "Việc cần làm", "Dọn vệ sinh sân")],
        "ket-qua-gung-re": [("2. CƠ QUAN HUYỆN THAM GIA", "Số người tham gia", "Văn phòng HĐND"),
                            ("3. KHỐI LƯỢNG ĐÃ LÀM THEO PHẦN VIỆC", "Khối lượng đã", "Trồng hoa dọc đường")],
        "bao-cao-2023-03-11": [],
    }
    titles = {"ke-hoach-gung-re": "KẾ HOẠCH NGÀY THỨ BẢY\nXã Gung Ré", "ket-qua-gung-re": "KẾT QUẢ NGÀY THỨ BẢY\nXã Gung Ré",
              "bao-cao-2023-03-11": "BÁO CÁO KẾT QUẢ NGÀY THỨ BẢY 11/03/2023"}
    for stem, pdf in printed.items():
        pages = _pages(pdf)
        for heading, header, first in expected[stem]:
            page = next(p for p in pages if heading in p)
            assert header in page and first in page, (stem, heading, page[-300:])
        assert all(p.lstrip().startswith(titles[stem]) for p in pages), (stem, [p[:80] for p in pages])
    for name in ("ke-hoach-gung-re.xlsx", "ket-qua-gung-re.xlsx"):
        assert load_workbook(books[name]).worksheets[0].freeze_panes == "A3"


# Printed text no smaller than this (points): commune clerks print the
# workbooks for hamlet officials, many of them older people reading on paper.
LEAST_PRINTED_SIZE = 9.0


@needs_libreoffice
def test_printed_text_is_readable(printed):
    """Every word LibreOffice prints is at least 9 pt: the height of a word's
    box in the PDF is 1.30 times the size of the Liberation Sans it is set in
    (measured at 100 %)."""
    for stem, pdf in printed.items():
        out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        words = [(float(y0), float(y1), word) for y0, y1, word in
                 re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)]
        assert len(words) > 100, stem
        small = [(word, round((y1 - y0) / 1.30, 1)) for y0, y1, word in words if (y1 - y0) / 1.30 < LEAST_PRINTED_SIZE - 0.05]
        assert not small, (stem, small[:10])


# --- printing: what Excel and LibreOffice do with the print settings --------------------

_A4 = (595.3, 841.9)  # points, portrait
_DIGIT = 6.1  # points: a column width unit, a digit of Arial / Liberation Sans 11 (LibreOffice's page)
_PADDING = 16  # points of a cell no text goes into (LibreOffice: 13 to 15)
_EMPTY_COLUMN = 8.43 * _DIGIT  # a column of default width


def _font_file(font):
    from PIL import ImageFont

    style = ("Bold" if font.b else "") + ("Italic" if font.i else "")
    return ImageFont.truetype(f"LiberationSans-{style or 'Regular'}.ttf", font.sz)


def _print_scale(ws) -> float:
    """The scale a sheet prints at: its own, or the one that fits its used
    width (columns, and unwrapped text running on past column A) to the page."""
    setup = ws.page_setup
    if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
        return (setup.scale or 100) / 100
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0, ws.title  # one page wide, as many long as it takes
    paper = _A4[0] if setup.orientation == "portrait" else _A4[1]
    printable = paper - 72 * (ws.page_margins.left + ws.page_margins.right)
    columns = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    used = sum(columns) * _DIGIT
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and not (cell.alignment and cell.alignment.wrap_text):
                start = sum(columns[: cell.column - 1]) * _DIGIT
                end = start + _font_file(cell.font).getlength(cell.value) + _PADDING
                if end > used:  # LibreOffice prints the empty columns the text runs into
                    used += math.ceil((end - used) / _EMPTY_COLUMN) * _EMPTY_COLUMN
    return min(1.0, printable / used)


def test_every_sheet_prints_at_a_readable_size(books):
    """Fitted to the page width, a sheet prints at the scale its columns'
    total width allows (wider unwrapped text widens it in LibreOffice and is
    cut off in Excel): every text cell of every sheet that prints comes out at
    9 pt or more, its borders black, its title rows on every page."""
    title_rows = {forms.PLAN_SHEET: "$1:$2", forms.RESULT_SHEET: "$1:$2", report.SHEET: "$1:$5"}
    for name, path in books.items():
        wb = load_workbook(path)
        # Column widths count digits of the default font: Arial 11 here, in Excel and LibreOffice alike.
        normal = wb._named_styles["Normal"].font
        assert (normal.name, normal.sz) == (book.FONT_NAME, 11), name
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            scale = _print_scale(ws)
            sizes = {(cell.font.sz, cell.coordinate) for row in ws.iter_rows() for cell in row
                     if isinstance(cell.value, str) and cell.value.strip()}
            smallest, where = min(sizes)
            assert smallest * scale >= LEAST_PRINTED_SIZE, (name, ws.title, f"{scale:.0%}", smallest, where)
            assert ws.print_title_rows == title_rows[ws.title], (name, ws.title)
            assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
            sides = {(side.style, side.color.rgb if side.color is not None else None)
                     for row in ws.iter_rows() for cell in row
                     for side in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
                     if side is not None and side.style}
            assert sides and all(color[-6:] == "000000" for _, color in sides), (name, ws.title, sides)  # black


# --- on the site ---------------------------------------------------------------------


def test_site_publishes_and_links_the_workbooks(site):
    plans = sorted((site / "bang-tinh").glob("ke-hoach-*.xlsx"))
    # One plan form per commune, two where the form of the days after the
    # coming Saturday is another (design/build-day.md): the page shows the reader's.
    units = {p.name.rsplit("-", 3)[0] for p in plans}
    assert len(units) == 19 and 19 <= len(plans) <= 38
    unit_page = (site / "xa/gung-re/index.html").read_text(encoding="utf-8")
    plan = next(p for p in plans if p.name.startswith("ke-hoach-gung-re-"))
    assert f'href="../../bang-tinh/{plan.name}" download' in unit_page
    assert 'href="../../bang-tinh/ket-qua-gung-re-2023-03-18.xlsx" download' in unit_page
    saturday_page = (site / "thu-bay/2023-03-11/index.html").read_text(encoding="utf-8")
    assert 'href="../../bao-cao/bao-cao-2023-03-11.xlsx" download' in saturday_page
    assert 'href="../../bao-cao/bao-cao-2023-03-11.csv" download' in saturday_page
    index = (site / "thu-bay/index.html").read_text(encoding="utf-8")
    assert 'href="../bao-cao/bao-cao-2023-03-18.xlsx" download="">Excel</a>' in index
    handouts = (site / "tai-lieu-in/index.html").read_text(encoding="utf-8")
    assert 'id="bang-tinh"' in handouts and f'href="../bang-tinh/{plan.name}" download' in handouts
    assert handouts.index('id="bang-tinh"') > handouts.index("ngay-thu-bay-a4.pdf")  # after the handout list
    assert (site / "bien-tap/bang-tinh/index.html").is_file()
    for path in [*plans, site / "bao-cao/bao-cao-2023-03-11.xlsx"]:
        assert load_workbook(path)[book.META_SHEET]["B4"].value in ("ke-hoach", "bao-cao")
    with zipfile.ZipFile(site / "tai-ve/nong-thon-moi-di-linh.zip") as archive:
        assert f"nong-thon-moi-di-linh/bang-tinh/{plan.name}" in archive.namelist()


@pytest.mark.slow
def test_new_plan_command_follows_the_same_example_rule(tmp_path):
    """`ntm new-plan` and the workbook agree: with example hamlets the new plan
    stays an example; with real hamlets a plan copied from an example is a real
    plan, without the example flag and the comment that described it."""
    from conftest import run_ntm

    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "materials", root / "materials")
    shutil.copytree(ROOT / "docs", root / "docs")
    plan = run_new_plan(root, run_ntm)
    assert "vi_du: true" in plan and "vi_du: false" not in plan
    assert run_ntm(root, "check").returncode == 0
    (root / "materials/ke-hoach/gung-re/2023-03-25.yml").unlink()
    units = root / "materials/don-vi.yml"
    text = units.read_text(encoding="utf-8")
    at = text.index("  - ma: gung-re")
    flag = text.index("thon_vi_du: true", at)
    units.write_text(text[:flag] + "thon_vi_du: false" + text[flag + len("thon_vi_du: true"):], encoding="utf-8")
    plan = run_new_plan(root, run_ntm)
    assert "vi_du: false" in plan and "vi_du: true" not in plan and "DỮ LIỆU VÍ DỤ" not in plan
    assert plan.startswith("# yaml-language-server: $schema=../../schema/ke-hoach.schema.json\nvi_du: false\n")
    assert run_ntm(root, "check").returncode == 0


def run_new_plan(root, run_ntm) -> str:
    result = run_ntm(root, "new-plan", "gung-re", "--date", "2023-03-25")
    assert result.returncode == 0, result.stderr
    return (root / "materials/ke-hoach/gung-re/2023-03-25.yml").read_text(encoding="utf-8")

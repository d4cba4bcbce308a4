"""``ntm nhap-excel`` (issue 10): filled workbooks become YAML that passes
``ntm check``; bad workbooks name their sheet and cell and write nothing;
every plan and result of materials/ survives YAML -> workbook -> import."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from conftest import ROOT, libreoffice, needs_libreoffice, run_ntm
from nongthonmoi import cli
from nongthonmoi.materials import load_materials
from nongthonmoi.models.base import validate
from nongthonmoi.models.plans import SaturdayPlan
from nongthonmoi.models.results import SaturdayResult
from nongthonmoi.workbooks import book, forms, importer, prefill, report
from nongthonmoi.workbooks.batch import Upload, import_batch
from nongthonmoi.workbooks.importer import Repository
from nongthonmoi.workbooks.layout import PLAN, layout
from nongthonmoi.workbooks.messages import RULE_IDS
from nongthonmoi.yamlsource import load_yaml

from test_workbooks import header_row, plan_bytes, result_bytes, rows_by_label

NEW_PLAN = "materials/ke-hoach/gung-re/2023-03-25.yml"


def import_all(root: Path, paths: list[Path], write: bool = True, overwrite: bool = False, expect_unit=None):
    """The batch import of files on disk, as `ntm nhap-excel` runs it: the report of each file."""
    uploads = [Upload(p.name, p.read_bytes()) for p in paths]
    return import_batch(root, uploads, write=write, overwrite=overwrite, expect_unit=expect_unit).workbooks


@pytest.fixture(scope="module")
def data():
    return load_materials(ROOT).saturday


def real_hamlets(root: Path, unit: str = "gung-re") -> None:
    """The commune has sent its real hamlet list (same names as the example):
    its real plans may name them (rule S016)."""
    units = root / "materials/don-vi.yml"
    text = units.read_text(encoding="utf-8")
    flag = text.index("thon_vi_du: true", text.index(f"  - ma: {unit}\n"))
    units.write_text(text[:flag] + "thon_vi_du: false" + text[flag + len("thon_vi_du: true"):], encoding="utf-8")


def make_repo(target: Path) -> Path:
    """mkdocs.yml and materials/: all the import and `ntm check` read; Gung Ré
    with its real hamlet list, so that the clerk's real plan is accepted."""
    target.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "materials", target / "materials")
    shutil.copytree(ROOT / "docs", target / "docs")
    real_hamlets(target)
    return target


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "repo")


def snapshot(root: Path) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in (root / "materials").rglob("*") if p.is_file()}


def edit(content: bytes, change) -> bytes:
    """Open a workbook as a clerk's spreadsheet program would, change it, save it."""
    wb = load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def save(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def fill_plan(wb):
    """What a clerk does with next week's plan: real data, new content, one more task."""
    ws = wb[forms.PLAN_SHEET]
    rows = rows_by_label(ws)
    ws.cell(rows["Dữ liệu ví dụ"], 2).value = "Không"
    ws.cell(rows["Nội dung chính"], 2).value = "Dọn vệ sinh đường thôn, trồng hoa"
    ws.cell(rows["Ghi chú"], 2).value = "Mang theo nước uống"
    head = header_row(ws, "Việc cần làm")
    row = next(r for r in range(head + 1, ws.max_row + 1) if all(ws.cell(r, c).value is None for c in range(1, 11)))
    for col, value in ((2, "Trồng hoa dọc đường"), (3, 150), (4, "cây"), (5, "Thôn 1"), (7, "Cuốc"), (8, "Đoàn viên thanh niên")):
        ws.cell(row, col).value = value
    ws.cell(row + 1, 5).value = "Thôn 2"  # a second hamlet on the row below
    ws.cell(row + 1, 7).value = "Bình tưới"


EXPECTED_PLAN = """\
# yaml-language-server: $schema=../../schema/ke-hoach.schema.json
vi_du: false
xa: gung-re
ngay: 2023-03-25
ngay_lap: 2023-03-20
noi_dung: Dọn vệ sinh đường thôn, trồng hoa
thoi_gian:
  bat_dau: 7h00
  ket_thuc: 10h30
chi_dao: Chủ tịch UBND xã
to_chuc: Trưởng các thôn
phan_viec:
  - ma: don-nha-van-hoa
    noi_dung: Dọn vệ sinh sân, khuôn viên nhà sinh hoạt cộng đồng
    khoi_luong:
      so: 1
      don_vi_tinh: khu
    thon: [thon-1, thon-2]
    cong_cu:
      - Chổi
      - cào
      - bao đựng rác
    thanh_phan:
      - Hộ dân thôn 1
      - Hộ dân thôn 2
      - Đoàn viên thanh niên
    don_vi_ho_tro: [van-phong-hdnd-ubnd]
    phu_trach: Bí thư Đoàn xã
  - ma: don-duong
    noi_dung: Quét dọn đường, ngõ xóm
    khoi_luong:
      so: 1.5
      don_vi_tinh: km
    thon: [thon-2]
    cong_cu:
      - Chổi
      - cào
    thanh_phan:
      - Hộ dân thôn 2
      - Hội viên Hội Phụ nữ
    phu_trach: Chủ tịch Hội Phụ nữ xã
  - ma: trong-hoa-doc-duong
    noi_dung: Trồng hoa dọc đường
    khoi_luong:
      so: 150
      don_vi_tinh: cây
    thon: [thon-1, thon-2]
    cong_cu:
      - Cuốc
      - Bình tưới
    thanh_phan:
      - Đoàn viên thanh niên
thu_gom_rac:
  thu_gom: Gom rác về điểm tập kết đầu thôn, phân loại rác tái chế được
  xu_ly: Đơn vị thu gom chở rác đến nơi xử lý; rác hữu cơ ủ làm phân tại vườn
  khoi_luong:
    so: 1
    don_vi_tinh: tấn
ghi_chu: Mang theo nước uống
"""


@pytest.mark.slow
def test_filled_plan_becomes_yaml_that_passes_the_check(data, repo, tmp_path):
    # Received through Zalo: renamed, and the import does not care.
    path = save(tmp_path / "zalo", "ke-hoach-gung-re (1).xlsx", edit(plan_bytes(data), fill_plan))
    result = run_ntm(repo, "nhap-excel", str(path))
    assert result.returncode == 0, result.stderr
    assert f"đã tạo {NEW_PLAN}" in result.stdout
    assert (repo / NEW_PLAN).read_text(encoding="utf-8") == EXPECTED_PLAN
    assert run_ntm(repo, "check").returncode == 0
    # The same workbook again: nothing changes, not even the file's time.
    before = (repo / NEW_PLAN).stat().st_mtime_ns
    again = run_ntm(repo, "nhap-excel", str(path))
    assert again.returncode == 0 and "không thay đổi" in again.stdout
    assert (repo / NEW_PLAN).stat().st_mtime_ns == before


def real_plan(repo, rel: str = "materials/ke-hoach/gung-re/2023-03-11.yml") -> None:
    """The plan of the result forms of these tests, made the commune's real plan."""
    plan = repo / rel
    plan.write_text(plan.read_text(encoding="utf-8").replace("vi_du: true", "vi_du: false", 1), encoding="utf-8")


@pytest.mark.slow
def test_filled_result_updates_the_file_and_keeps_its_comments(data, repo, tmp_path):
    def fill(wb):
        ws = wb[forms.RESULT_SHEET]
        rows = rows_by_label(ws)
        ws.cell(rows["Số hộ tham gia"], 2).value = 190
        ws.cell(rows["Dữ liệu ví dụ"], 2).value = "Không"

    rel = "materials/ket-qua/gung-re/2023-03-11.yml"
    old = (repo / rel).read_text(encoding="utf-8")
    real_plan(repo)  # a real result needs a real plan (S015)
    path = save(tmp_path, "kq.xlsx", edit(result_bytes(data), fill))
    [done] = import_all(repo, [path], overwrite=True)
    assert done.status == "updated", done.errors
    assert [str(c) for c in done.changes] == ["Dữ liệu ví dụ: Có → Không", "Số hộ tham gia: 180 → 190"]
    text = (repo / rel).read_text(encoding="utf-8")
    assert text.startswith(old[: old.index("vi_du:")])  # the leading comment block stays
    assert "so_ho_tham_gia: 190\n" in text and "vi_du: false\n" in text
    assert run_ntm(repo, "check").returncode == 0


@pytest.mark.slow
def test_blank_result_form_filled_for_a_saturday_without_result(data, repo, tmp_path):
    def fill(wb):
        ws = wb[forms.RESULT_SHEET]
        rows = rows_by_label(ws)
        for label, value in (("Số hộ tham gia", 200), ("Tổng số hộ", 300), ("Cán bộ xã tham gia", 12)):
            ws.cell(rows[label], 2).value = value
        head = header_row(ws, "Số người tham gia")
        ws.cell(head + 1, 2).value = 4  # the agency listed first came with 4 people
        head = header_row(ws, "Khối lượng đã làm")
        ws.cell(head + 1, 4).value = 1
        ws.cell(head + 1, 5).value = "Xong"

    blank = result_bytes(data, saturday=date(2023, 3, 18), with_result=False)
    [done] = import_all(repo, [save(tmp_path, "kq.xlsx", edit(blank, fill))])
    assert done.status == "new", [str(e) for e in done.errors]
    _, result = Repository.load(repo).record("materials/ket-qua/gung-re/2023-03-18.yml", SaturdayResult)
    assert (result.households_joined, result.households_total, result.commune_staff) == (200, 300, 12)
    assert [(a.agency, a.people) for a in result.agencies] == [("van-phong-hdnd-ubnd", 4)]
    assert [(d.task, d.amount, d.notes) for d in result.work_done] == [("don-nha-van-hoa", 1.0, "Xong")]
    assert result.is_example  # a result of an example plan is an example
    assert run_ntm(repo, "check").returncode == 0


# --- bad workbooks: each names its cell and its rule, and writes nothing -----------------------
#
# Every rule of the workbook import (W001-W039 in rules.py) is reported by at
# least one test here: WORKBOOK_RULE_CASES, at the end of this section, names
# it (tests/test_rules.py fails for a rule without one). Cross-checks shared
# with `ntm check` report their S rule, as they do for YAML files.


def _form_cell(ws, label: str) -> str:
    return f"B{rows_by_label(ws)[label]}"


def _set_form(wb, sheet: str, label: str, value) -> str:
    """Type ``value`` into the form row ``label``; the cell, as errors name it."""
    ws = wb[sheet]
    ws[_form_cell(ws, label)] = value
    return f"{sheet}!{_form_cell(ws, label)}"


def _first_task(ws) -> int:
    return header_row(ws, "Việc cần làm") + 1


def _set_first_task(wb, column: int, value) -> str:
    """Type ``value`` into column ``column`` of the plan's first task; the cell, as errors name it."""
    ws = wb[forms.PLAN_SHEET]
    row = _first_task(ws)
    ws.cell(row, column).value = value
    return f"{forms.PLAN_SHEET}!{get_column_letter(column)}{row}"


def _set_meta(wb, key: str, value: str) -> None:
    """Change the very hidden sheet that identifies the workbook (book.write_meta)."""
    ws = wb[book.META_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, 2).value = value


def _result_without_plan(data) -> bytes:
    """A result form for a Saturday (01/04/2023) whose plan the repository does not hold."""
    unit = data.units.by_id()["gung-re"]
    plan = data.plans[("gung-re", date(2023, 3, 11))].model_copy(update={"date": date(2023, 4, 1)})
    return forms.result_workbook(unit, plan, None, data.agencies)


@pytest.fixture(scope="module")
def blank_books(data) -> dict[str, bytes]:
    """The workbooks the cases start from, made once."""
    return {"plan": plan_bytes(data), "result": result_bytes(data), "result-without-plan": _result_without_plan(data)}


# Each case changes a workbook the way a clerk (or a damaged file) would and
# returns (where, message): where the error points («Kế hoạch!B17», or None
# for the file as a whole) and a part of its message.

# --- the file as a whole


def case_old_version(wb):
    _set_meta(wb, "phien_ban", "0")
    return None, "Bảng tính theo mẫu khác (phiên bản 0), không nhập được"


def case_unknown_commune(wb):
    _set_meta(wb, "xa", "xa-moi")
    return None, "ghi xã, thị trấn mã «xa-moi», không có trong materials/don-vi.yml"


def case_result_without_plan(wb):
    return None, "Chưa có kế hoạch của Xã Gung Ré ngày 01/04/2023, nên chưa nhập được kết quả"


def case_deleted_sheet(wb):
    del wb[forms.PLAN_SHEET]
    wb.create_sheet("Sheet1")  # Excel keeps at least one visible sheet (the lists are hidden)
    return "Kế hoạch", "Không có trang tính «Kế hoạch»"


# --- the sheet's shape


def case_extra_column(wb):
    ws = wb[forms.PLAN_SHEET]
    head = header_row(ws, "Việc cần làm")
    ws.cell(head, 11).value = "Kinh phí"
    ws.cell(head + 1, 11).value = "2 triệu"
    return f"Kế hoạch!K{head}", "Cột «Kinh phí» không có trong mẫu"


def case_deleted_column(wb):
    ws = wb[forms.PLAN_SHEET]
    head = header_row(ws, "Việc cần làm")
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(head, c).value == "Địa điểm")
    ws.delete_cols(column)
    return f"Kế hoạch!A{head}", "Bảng «Các phần việc» thiếu cột «Địa điểm»"


def case_deleted_table_header(wb):
    ws = wb[forms.RESULT_SHEET]
    head = header_row(ws, "Số người tham gia")
    for col in range(1, ws.max_column + 1):
        ws.cell(head, col).value = None
    return "Kết quả!A1", "Không tìm thấy bảng «Cơ quan huyện tham gia»"


def case_deleted_row(wb):
    ws = wb[forms.PLAN_SHEET]
    ws.delete_rows(rows_by_label(ws)["Chỉ đạo"])
    return "Kế hoạch!A1", "Không tìm thấy dòng «Chỉ đạo» trong phần thông tin chung"


def case_merged_cell(wb):
    ws = wb[forms.PLAN_SHEET]
    row = rows_by_label(ws)["Nội dung chính"]
    ws.merge_cells(f"B{row}:C{row}")
    return f"Kế hoạch!B{row}", f"Các ô B{row}:C{row} bị gộp"


def case_formula(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Cán bộ xã tham gia", "=10+6"), "có công thức «=10+6»"


def case_note_outside_the_form(wb):
    ws = wb[forms.PLAN_SHEET]
    row = rows_by_label(ws)["Chỉ đạo"]
    ws.cell(row, 4).value = "gọi điện cho thôn 2"
    return f"Kế hoạch!D{row}", "nằm ngoài các ô cần điền"


def case_continuation_with_quantity(wb):
    ws = wb[forms.PLAN_SHEET]
    row = header_row(ws, "Việc cần làm") + 2  # second row of the first task: hamlet «Thôn 2»
    ws.cell(row, 3).value = 5
    return f"Kế hoạch!C{row}", f"ghi tiếp phần việc ở dòng {row - 1}"


def case_other_commune_cell(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Xã, thị trấn", "Xã Hòa Ninh"), "ghi «Xã Hòa Ninh», nhưng bảng tính là mẫu của Xã Gung Ré"


def case_result_date_changed(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Ngày thứ Bảy", datetime(2023, 3, 18)), "khác ngày thứ Bảy của mẫu (11/03/2023)"


# --- one cell


def case_text_in_number(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", "khoảng 120"), "cần một số, đang là chữ «khoảng 120»"


def case_half_a_household(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", 120.5), "Ô «Số hộ tham gia» cần một số nguyên, đang là 120,5"


def case_date_in_words(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Ngày lập kế hoạch", "hôm qua"), "Ô «Ngày lập kế hoạch» cần một ngày, đang là «hôm qua»"


def case_time_as_text(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Giờ kết thúc", "trưa"), "Ô «Giờ kết thúc» cần một giờ"


def case_true_in_text(wb):
    # Excel turns a typed TRUE (or ĐÚNG) into a yes/no value, not text.
    return _set_form(wb, forms.PLAN_SHEET, "Nội dung chính", True), "Ô «Nội dung chính» cần chữ, đang là «TRUE»"


def case_hamlet_not_in_list(wb):
    return _set_first_task(wb, 5, "Thôn 9"), "«Thôn 9» không có trong danh sách «Thôn, tổ dân phố thực hiện»"


# --- the model's rules, worded for a cell


def case_empty_required(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Chỉ đạo", None), "Ô «Chỉ đạo» đang để trống"


def case_planned_unit_changed(wb):
    # The clerk unlocked the sheet (no password) to report metres against a plan in km.
    ws = wb[forms.RESULT_SHEET]
    row = header_row(ws, "Khối lượng đã làm") + 1
    unit = ws.cell(row, 3).value
    ws.cell(row, 3).value = "m" if unit != "m" else "km"
    ws.cell(row, 4).value = 1500
    return f"Kết quả!C{row}", f"Ô «Đơn vị tính» (kế hoạch) của phần việc «{ws.cell(row, 1).value}» đã bị sửa"


def case_planned_amount_changed(wb):
    ws = wb[forms.RESULT_SHEET]
    row = header_row(ws, "Khối lượng đã làm") + 1
    ws.cell(row, 2).value = (ws.cell(row, 2).value or 0) + 1
    return f"Kết quả!B{row}", "Ô «Số lượng» (kế hoạch)"


def case_no_work_reported(wb):
    ws = wb[forms.RESULT_SHEET]
    head = header_row(ws, "Khối lượng đã làm")
    for row in range(head + 1, ws.max_row + 1):
        ws.cell(row, 4).value = ws.cell(row, 5).value = None  # done, notes: the task names stay
    return f"Kết quả!D{head + 1}", "«Khối lượng đã làm theo phần việc» chưa có mục nào"


def case_zero_quantity(wb):
    # A planned amount cleared to 0: «1/0 khu» in the Monday report otherwise.
    return _set_first_task(wb, 3, 0), "Ô «Số lượng» phải lớn hơn 0 (đang là 0)"


def case_negative_quantity(wb):
    # A planned 0 is refused too (W036): the fix names the range, not «từ 0 trở lên».
    return _set_first_task(wb, 3, -1), "Cách sửa: Sửa thành số lớn hơn 0."


def test_a_copied_task_code_is_fixed_by_emptying_the_code_cell(blank_books, shared_repo, tmp_path):
    """A clerk copies a task's rows to make a similar task: the locked code
    comes along. The fix names the cell to empty, not «xóa mục trùng»."""
    found = {}

    def copy_code(wb):
        ws = wb[forms.PLAN_SHEET]
        first = _first_task(ws)
        second = next(r for r in range(first + 1, ws.max_row + 1) if ws.cell(r, 1).value)
        ws.cell(second, 1).value = ws.cell(first, 1).value
        found["cell"] = f"A{second}"

    [done] = import_all(shared_repo, [save(tmp_path, "kh.xlsx", edit(blank_books["plan"], copy_code))])
    [shown] = [str(e) for e in done.errors if e.rule == "S008"]
    assert shown.startswith(f"kh.xlsx, Kế hoạch!{found['cell']}: [S008] ")
    assert f"Cách sửa: Xóa mã ở ô {found['cell']} (để trống): phần việc mới sẽ được đặt mã theo nội dung." in shown, shown


def case_control_character(wb):
    # A right-to-left override (legal in XML, so in a workbook): the text shows reversed.
    return _set_form(wb, forms.PLAN_SHEET, "Nội dung chính", "Vệ sinh\u202ekhu dân cư"), \
        "Ô «Nội dung chính» có ký tự điều khiển vô hình (U+202E)"


def test_a_carriage_return_in_a_cell_arrives_as_a_line_break(blank_books, repo, tmp_path):
    """A CR written as «&#13;» in the sheet's XML (a raw one would be read as
    a line feed by any XML parser): the clerk meant a line break; a bare CR
    never reaches the YAML (and so never a calendar line)."""
    def paste(wb):
        fill_plan(wb)
        _set_form(wb, forms.PLAN_SHEET, "Nội dung chính", "Vệ sinh khu dân cư@CR@END:VEVENT@CR@BEGIN:VEVENT")

    filled = edit(blank_books["plan"], paste)
    content = rewrite(filled, lambda name, data: data.replace(b"@CR@", b"&#13;"))
    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", content)])
    assert done.status != "error", [str(e) for e in done.errors]
    written = load_yaml(repo / done.target, done.target).data
    assert written["noi_dung"] == "Vệ sinh khu dân cư\nEND:VEVENT\nBEGIN:VEVENT"


def case_huge_quantity(wb):
    return _set_first_task(wb, 3, 1e308), "Ô «Số lượng» có số 100000… (309 chữ số), lớn quá mức có thể (tới 1.000.000.000)"


def case_thousands_of_digits(wb):
    return _set_first_task(wb, 3, "9" * 5000), "Ô «Số lượng» có số 99999999999999999999…, lớn quá mức có thể"


def case_huge_number_as_text_field(wb):
    return _set_first_task(wb, 2, 1e308), "lớn quá mức có thể"


def case_no_households(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Tổng số hộ", 0), "Ô «Tổng số hộ» phải lớn hơn 0 (đang là 0)"


def case_typed_task_id(wb):
    return _set_first_task(wb, 1, "Dọn Đường"), "Mã «Dọn Đường» ở ô «Mã phần việc» không hợp lệ"


def case_html_in_text(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Nội dung chính", "<b>Dọn</b> rác"), "Ô «Nội dung chính» có mã HTML"


def case_end_before_start(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Giờ kết thúc", "6h00"), "Ô «Giờ kết thúc»: phải sau giờ bắt đầu (7h00), đang là 6h00."


def case_text_too_long(wb):
    where = _set_form(wb, forms.PLAN_SHEET, "Nội dung chính", "Dọn rác. " * 250)  # a whole document pasted in
    return where, "Ô «Nội dung chính»: dài 2249 ký tự, quá giới hạn 2000 ký tự."


def case_too_many_tasks(wb):
    ws = wb[forms.PLAN_SHEET]
    first = _first_task(ws)
    ws.insert_rows(first, 40)
    for row in range(first, first + 31):  # 31 new tasks above the plan's 2
        for col, value in ((2, f"Việc {row}"), (3, 1), (4, "cây"), (5, "Thôn 1"), (7, "Cuốc"), (8, "Hộ dân")):
            ws.cell(row, col).value = value
    return f"Kế hoạch!A{first}", "Ô «Các phần việc»: có 33 mục, quá giới hạn 30 mục."


# --- cross-checks shared with `ntm check`: their S rule


def case_friday(wb):
    return _set_form(wb, forms.PLAN_SHEET, "Ngày thứ Bảy", datetime(2023, 3, 24)), "là thứ Sáu, không phải thứ Bảy"


def case_households_over_total(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", 301), "Số hộ tham gia (301) lớn hơn tổng số hộ (300)"


# --- what the clerk meant is not clear: refused, never guessed


def case_extra_sheet(wb):
    copy = wb.copy_worksheet(wb[forms.PLAN_SHEET])  # «Kế hoạch Copy», filled instead of the form
    copy.title = "Kế hoạch (2)"
    copy.cell(_first_task(copy), 3).value = 2
    return "Kế hoạch (2)!A1", "Bảng tính có thêm trang «Kế hoạch (2)» có nội dung, ngoài trang «Kế hoạch» của mẫu"


def case_hidden_row(wb):
    ws = wb[forms.PLAN_SHEET]
    row = _first_task(ws) + 3  # the second task, hidden to «remove» it
    ws.row_dimensions[row].hidden = True
    return f"Kế hoạch!A{row}", f"Dòng {row} đang bị ẩn (ẩn dòng, nhóm thu gọn hoặc bộ lọc) nhưng có nội dung «don-duong»"


def case_hidden_column(wb):
    ws = wb[forms.PLAN_SHEET]
    ws.column_dimensions["F"].hidden = True  # «Địa điểm», with a place typed in it
    ws.cell(_first_task(ws), 6).value = "Sân nhà văn hóa thôn 1"
    return f"Kế hoạch!F{_first_task(ws)}", "Cột F đang bị ẩn nhưng có nội dung «Sân nhà văn hóa thôn 1»"


def case_hidden_value(wb):
    ws = wb[forms.RESULT_SHEET]
    cell = ws[_form_cell(ws, "Cán bộ xã tham gia")]
    cell.number_format = ";;;"
    return f"Kết quả!{cell.coordinate}", "Ô này có nội dung «16» nhưng định dạng ô làm nó không hiện ra"


def case_white_text(wb):
    from openpyxl.styles import Font

    ws = wb[forms.PLAN_SHEET]
    cell = ws.cell(_first_task(ws) + 3, 2)
    cell.font = Font(color="FFFFFFFF")  # white on the white sheet: the clerk sees an empty cell
    return f"Kế hoạch!{cell.coordinate}", "nhưng định dạng ô làm nó không hiện ra"


def case_yellow_on_yellow(wb):
    from openpyxl.styles import Font

    ws = wb[forms.RESULT_SHEET]
    cell = ws[_form_cell(ws, "Cán bộ xã tham gia")]
    cell.font = Font(color=cell.fill.fgColor.rgb)  # the input cell's own yellow
    return f"Kết quả!{cell.coordinate}", "Ô này có nội dung «16» nhưng định dạng ô làm nó không hiện ra"


def case_light_theme_shade(wb):
    from openpyxl.styles import Font
    from openpyxl.styles.colors import Color

    ws = wb[forms.PLAN_SHEET]
    cell = ws.cell(_first_task(ws) + 3, 2)
    cell.font = Font(color=Color(theme=1, tint=0.95))  # «Text 1, lighter 95 %»: white in all but name
    return f"Kế hoạch!{cell.coordinate}", "nhưng định dạng ô làm nó không hiện ra"


def case_white_number_format(wb):
    ws = wb[forms.PLAN_SHEET]
    cell = ws.cell(_first_task(ws) + 3, 2)
    cell.number_format = "[White]@"
    return f"Kế hoạch!{cell.coordinate}", "nhưng định dạng ô làm nó không hiện ra"


def case_struck_out_task(wb):
    from openpyxl.styles import Font

    ws = wb[forms.PLAN_SHEET]
    cell = ws.cell(_first_task(ws) + 3, 2)
    cell.font = Font(strike=True)
    return f"Kế hoạch!{cell.coordinate}", "Ô này có chữ gạch ngang «Quét dọn đường, ngõ xóm»: không rõ là bỏ hay giữ"


def case_error_cell(wb):
    ws = wb[forms.RESULT_SHEET]
    ws[_form_cell(ws, "Cán bộ xã tham gia")] = "#N/A"  # a formula pasted as values, its error kept
    return f"Kết quả!{_form_cell(ws, 'Cán bộ xã tham gia')}", "Ô này đang báo lỗi «#N/A»"


def case_percent_number(wb):
    ws = wb[forms.RESULT_SHEET]
    cell = ws[_form_cell(ws, "Số hộ tham gia")]
    cell.value, cell.number_format = 0.6, "0%"  # «60%» typed into the households
    return f"Kết quả!{cell.coordinate}", "Ô «Số hộ tham gia» đang định dạng phần trăm: hiện 60% nhưng giá trị là 0,6"


def case_ambiguous_number(wb):
    return _set_form(wb, forms.RESULT_SHEET, "Rác đã thu gom", "1.500"), "Ô «Rác đã thu gom» ghi «1.500»: có thể hiểu là 1500 hoặc 1,5"


def case_hidden_characters(wb):
    where = _set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", "18\u200b0")  # pasted from a chat
    return where, "Ô «Số hộ tham gia» có ký tự ẩn (dấu cách độ rộng 0)"


def case_leftover_after_a_blank_row(wb):
    ws = wb[forms.PLAN_SHEET]
    row = _first_task(ws) + 6  # the row after the last task is blank; the next one holds a hamlet
    ws.cell(row, 5).value = "Thôn 1"
    return f"Kế hoạch!E{row}", f"Dòng {row} còn «Thôn 1» nhưng không có «Việc cần làm»"


def case_deleted_task_leftover(wb):
    ws = wb[forms.PLAN_SHEET]
    row = _first_task(ws) + 3  # «Quét dọn đường»: its own cells cleared, its (locked) id and lists left
    for col in (2, 3, 4, 6, 10):
        ws.cell(row, col).value = None
    return f"Kế hoạch!E{row}", f"Phần việc mã «don-duong» ở dòng {row} đã xóa «Việc cần làm» nhưng dòng {row} còn «Thôn 2»"


def case_list_gap(wb):
    ws = wb[forms.PLAN_SHEET]
    first = _first_task(ws)
    ws.cell(first + 1, 7).value = None  # tools of task 1: «Chổi», nothing, «bao đựng rác»
    return f"Kế hoạch!G{first + 2}", f"Cột «Công cụ, phương tiện» của phần việc ở dòng {first} bỏ trống ở dòng {first + 1}"


def case_duplicate_item(wb):
    ws = wb[forms.PLAN_SHEET]
    first = _first_task(ws)
    ws.cell(first + 2, 5).value = "Thôn 2"
    return f"Kế hoạch!E{first + 2}", f"«Thôn 2» ghi hai lần trong cột «Thôn, tổ dân phố thực hiện» của phần việc ở dòng {first} (lần đầu ở dòng {first + 1})"


def case_far_row(wb):
    ws = wb[forms.PLAN_SHEET]
    row = _first_task(ws) + 60  # typed far below, after Ctrl+↓
    ws.cell(row, 2).value = "Trồng cây"
    return f"Kế hoạch!B{row}", "Ô này nằm cách bảng «Các phần việc»"


def case_untouched(wb):
    return None, "Bảng tính chưa điền: nội dung giống hệt mẫu tải từ trang web (kế hoạch chép từ tuần trước)"


def case_date_before_form(wb):
    where = _set_form(wb, forms.PLAN_SHEET, "Ngày thứ Bảy", datetime(2022, 3, 26))  # the year typed wrong
    _set_form(wb, forms.PLAN_SHEET, "Ngày lập kế hoạch", datetime(2022, 3, 21))
    return where, "Ngày thứ Bảy 26/03/2022 trước ngày thứ Bảy của mẫu (25/03/2023)"


def case_date_far(wb):
    where = _set_form(wb, forms.PLAN_SHEET, "Ngày thứ Bảy", datetime(2024, 3, 23))
    _set_form(wb, forms.PLAN_SHEET, "Ngày lập kế hoạch", datetime(2024, 3, 18))
    return where, "Ngày thứ Bảy 23/03/2024 cách ngày của mẫu (25/03/2023) 52 tuần"


def case_drafted_far(wb):
    where = _set_form(wb, forms.PLAN_SHEET, "Ngày lập kế hoạch", datetime(2022, 3, 20))
    return where, "Ngày lập kế hoạch 20/03/2022 cách ngày thứ Bảy 25/03/2023 tới 370 ngày"


CASES = {  # case -> (workbook it starts from, rule it must report, change)
    "old-version": ("plan", "W011", case_old_version),
    "unknown-commune": ("plan", "W013", case_unknown_commune),
    "result-without-plan": ("result-without-plan", "W014", case_result_without_plan),
    "deleted-sheet": ("plan", "W018", case_deleted_sheet),
    "merged-cell": ("plan", "W019", case_merged_cell),
    "formula": ("result", "W020", case_formula),
    "extra-column": ("plan", "W021", case_extra_column),
    "deleted-column": ("plan", "W022", case_deleted_column),
    "deleted-table-header": ("result", "W023", case_deleted_table_header),
    "deleted-row": ("plan", "W024", case_deleted_row),
    "note-outside-the-form": ("plan", "W025", case_note_outside_the_form),
    "continuation-with-quantity": ("plan", "W026", case_continuation_with_quantity),
    "other-commune-cell": ("plan", "W016", case_other_commune_cell),
    "result-date-changed": ("result", "W017", case_result_date_changed),
    "text-in-number": ("result", "W027", case_text_in_number),
    "half-a-household": ("result", "W028", case_half_a_household),
    "date-in-words": ("plan", "W029", case_date_in_words),
    "time-as-text": ("plan", "W030", case_time_as_text),
    "true-in-text": ("plan", "W031", case_true_in_text),
    "hamlet-not-in-list": ("plan", "W032", case_hamlet_not_in_list),
    "empty-required": ("plan", "W033", case_empty_required),
    "no-work-reported": ("result", "W034", case_no_work_reported),
    "negative-quantity": ("plan", "W035", case_negative_quantity),
    "zero-quantity": ("plan", "W036", case_zero_quantity),
    "no-households": ("result", "W036", case_no_households),
    "typed-task-id": ("plan", "W037", case_typed_task_id),
    "html-in-text": ("plan", "W038", case_html_in_text),
    "end-before-start": ("plan", "W039", case_end_before_start),
    "text-too-long": ("plan", "W039", case_text_too_long),
    "too-many-tasks": ("plan", "W039", case_too_many_tasks),
    "friday": ("plan", "S001", case_friday),
    "households-over-total": ("result", "S010", case_households_over_total),
    "extra-sheet": ("plan", "W047", case_extra_sheet),
    "hidden-row": ("plan", "W048", case_hidden_row),
    "hidden-column": ("plan", "W049", case_hidden_column),
    "hidden-value": ("result", "W050", case_hidden_value),
    "white-text": ("plan", "W050", case_white_text),
    "yellow-on-yellow": ("result", "W050", case_yellow_on_yellow),
    "light-theme-shade": ("plan", "W050", case_light_theme_shade),
    "white-number-format": ("plan", "W050", case_white_number_format),
    "struck-out-task": ("plan", "W051", case_struck_out_task),
    "error-cell": ("result", "W052", case_error_cell),
    "percent-number": ("result", "W053", case_percent_number),
    "ambiguous-number": ("result", "W054", case_ambiguous_number),
    "hidden-characters": ("result", "W055", case_hidden_characters),
    "leftover-after-a-blank-row": ("plan", "W056", case_leftover_after_a_blank_row),
    "deleted-task-leftover": ("plan", "W057", case_deleted_task_leftover),
    "list-gap": ("plan", "W058", case_list_gap),
    "duplicate-item": ("plan", "W059", case_duplicate_item),
    "far-row": ("plan", "W060", case_far_row),
    "untouched": ("plan", "W061", case_untouched),
    "date-before-form": ("plan", "W062", case_date_before_form),
    "date-far": ("plan", "W063", case_date_far),
    "drafted-far": ("plan", "W064", case_drafted_far),
    "planned-unit-changed": ("result", "W070", case_planned_unit_changed),
    "planned-amount-changed": ("result", "W070", case_planned_amount_changed),
    "control-character-in-a-cell": ("plan", "W072", case_control_character),
    "huge-quantity": ("plan", "W071", case_huge_quantity),
    "thousands-of-digits": ("plan", "W071", case_thousands_of_digits),
    "huge-number-in-a-text-cell": ("plan", "W071", case_huge_number_as_text_field),
}


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory) -> Path:
    """One repository for every test that must write nothing (each checks it did not)."""
    return make_repo(tmp_path_factory.mktemp("bad") / "repo")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_workbook_names_its_cell_and_writes_nothing(blank_books, shared_repo, tmp_path, case):
    base, rule, change = CASES[case]
    found = {}

    def apply(wb):
        found["where"], found["message"] = change(wb)

    path = save(tmp_path, f"{case}.xlsx", edit(blank_books[base], apply))
    before = snapshot(shared_repo)
    [done] = import_all(shared_repo, [path])
    assert done.status == "error"
    shown = [str(e) for e in done.errors]
    where = f"{case}.xlsx, {found['where']}" if found["where"] else f"{case}.xlsx"
    assert any(s.startswith(f"{where}: [{rule}] ") and found["message"] in s for s in shown), shown
    # One message for the cell: not also «đang để trống» for a cell the reader refused.
    assert len([s for s in shown if s.startswith(f"{where}: ")]) == 1, shown
    assert all("Cách sửa:" in s for s in shown), shown
    assert snapshot(shared_repo) == before


@pytest.mark.slow
def test_workbook_of_another_commune_is_refused_when_the_commune_is_named(blank_books, shared_repo, tmp_path):
    path = save(tmp_path, "ke-hoach.xlsx", blank_books["plan"])
    before = snapshot(shared_repo)
    result = run_ntm(shared_repo, "nhap-excel", "--xa", "hoa-ninh", str(path))
    assert result.returncode == 1
    assert "[W015] Bảng tính này là mẫu của Xã Gung Ré, không phải của Xã Hòa Ninh" in result.stderr
    assert "ke-hoach.xlsx, Kế hoạch!B" in result.stderr
    assert snapshot(shared_repo) == before


@pytest.mark.slow
def test_a_good_workbook_is_imported_beside_a_bad_one(blank_books, repo, tmp_path):
    good = save(tmp_path, "tot.xlsx", edit(blank_books["plan"], fill_plan))
    bad = save(tmp_path, "loi.xlsx", edit(blank_books["result"], case_households_over_total))
    result = run_ntm(repo, "nhap-excel", str(bad), str(good))
    assert result.returncode == 1
    assert f"tot.xlsx: Kế hoạch của Xã Gung Ré, thứ Bảy 25/03/2023: đã tạo {NEW_PLAN}" in result.stdout
    assert "loi.xlsx: Kết quả của Xã Gung Ré, thứ Bảy 11/03/2023: KHÔNG NHẬP" in result.stderr
    assert (repo / NEW_PLAN).is_file()


def test_a_plan_that_drops_a_reported_task_is_refused(data, shared_repo, tmp_path):
    """The result already filed for that Saturday is checked against the new plan."""
    unit = data.units.by_id()["gung-re"]
    plan = data.plans[("gung-re", date(2023, 3, 11))]
    values, rows = prefill.record_values(layout(PLAN), prefill.dump(plan))
    rows["phan_viec"] = rows["phan_viec"][1:]
    path = save(tmp_path, "kh.xlsx", forms.plan_workbook(unit, data.agencies, [], plan.date, values, rows, blank=False))
    before = snapshot(shared_repo)
    [done] = import_all(shared_repo, [path])
    assert done.status == "error"
    assert any(str(e).startswith("materials/ket-qua/gung-re/2023-03-11.yml:") and "[S012]" in str(e)
               and "không có phần việc mã «trong-hoa»" in str(e) for e in done.errors), [str(e) for e in done.errors]
    assert snapshot(shared_repo) == before


def test_an_unexpected_failure_is_reported_not_raised(blank_books, shared_repo, tmp_path, monkeypatch, capsys):
    """A bug of the importer itself (forced here) still gives a message naming
    the file, no traceback; the other workbooks are imported."""
    real = importer.read_sheet

    def read_sheet(ws, sheet, display):
        if display == "loi-la.xlsx":
            raise KeyError("phan_viec")
        return real(ws, sheet, display)

    monkeypatch.setattr(importer, "read_sheet", read_sheet)
    bad = save(tmp_path, "loi-la.xlsx", blank_books["plan"])
    good = save(tmp_path, "tot.xlsx", edit(blank_books["plan"], fill_plan))
    before = snapshot(shared_repo)
    code = cli.main(["--root", str(shared_repo), "nhap-excel", "--chi-kiem-tra", str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "  loi-la.xlsx: [W008] Lỗi không lường trước khi đọc tệp (KeyError: 'phan_viec')." in err
    assert "Gửi tệp này cho nhóm kỹ thuật" in err and "Traceback" not in out + err
    assert f"tot.xlsx: Kế hoạch của Xã Gung Ré, thứ Bảy 25/03/2023: sẽ tạo {NEW_PLAN} (3 phần việc) — chưa ghi: chỉ kiểm tra" in out
    assert snapshot(shared_repo) == before


@pytest.mark.parametrize("key,value", [("loai", "danh-sach"), ("ngay", "thứ Bảy"), ("mau", "mau-khac")])
def test_an_edited_identity_sheet_is_not_one_of_our_forms(blank_books, shared_repo, tmp_path, key, value):
    """The very hidden sheet «Thông tin tệp» changed: not a form of ours (not,
    for an unknown kind of form, a commune missing from don-vi.yml)."""
    [done] = import_all(shared_repo, [save(tmp_path, "kh.xlsx", edit(blank_books["plan"], lambda wb: _set_meta(wb, key, value)))])
    assert [str(e).split("\n")[0] for e in done.errors] == [
        "kh.xlsx: [W010] Bảng tính này không phải mẫu của trang Nông thôn mới Di Linh "
        "(không có trang ẩn «Thông tin tệp», hoặc trang đó đã bị sửa)."
    ]


def test_a_write_that_fails_leaves_no_temporary_file(blank_books, repo, tmp_path):
    (repo / NEW_PLAN).mkdir()  # a folder where the plan goes: the write itself fails
    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(blank_books["plan"], fill_plan))])
    assert done.status == "error" and [e.rule for e in done.errors] == ["W008"], [str(e) for e in done.errors]
    assert "IsADirectoryError" in done.errors[0].message
    assert not list((repo / "materials").rglob("*.tmp"))


# --- whatever the file, a message and no traceback ------------------------------------------

NOT_WORKBOOKS = {  # file -> (rule, part of its message)
    "rong.xlsx": ("W001", "Tệp rỗng"),
    "lon.xlsx": ("W002", "quá lớn"),
    "cu.xls": ("W003", "Excel cũ (.xls)"),
    "mat-khau.xlsx": ("W004", "có đặt mật khẩu"),
    "libre.ods": ("W005", "LibreOffice (.ods)"),
    "ghi-chu.xlsx": ("W006", "không phải bảng tính Excel"),
    "ke-hoach.csv": ("W074", "Tệp là bảng chữ CSV (các ô cách nhau bằng dấu «;»)"),
    "doi-ten.xlsx": ("W074", "Tệp là bảng chữ CSV (các ô cách nhau bằng dấu «,»)"),
    "van-ban.docx": ("W006", "không phải bảng tính Excel"),
    "hong.xlsx": ("W007", "bị hỏng"),
    "khong-co.xlsx": ("W009", "Không đọc được tệp"),  # not there
    "thu-muc": ("W009", "Không đọc được tệp"),  # a folder
    "khac.xlsx": ("W010", "không phải mẫu của trang Nông thôn mới Di Linh"),
    "bao-cao.xlsx": ("W012", "bảng báo cáo thứ Hai"),
    # Checked before openpyxl reads the file (package.py): small files that
    # would make it build billions of cells or read a gigabyte.
    "bom-nen.xlsx": ("W040", "Phần «xl/_rels/workbook.xml.rels» của tệp nén giải nén ra 12.0 MB"),
    "nhieu-phan.xlsx": ("W041", "Tệp có quá nhiều thành phần (311 phần)"),
    "dtd.xlsx": ("W042", "Phần «xl/styles.xml» của tệp có khai báo DTD hoặc thực thể XML"),
    "dong-6000.xlsx": ("W043", "Trang «Kế hoạch» có dữ liệu hoặc định dạng tới dòng 6.000, quá giới hạn 5.000 dòng"),
    "nhieu-o.xlsx": ("W044", "Trang «Kế hoạch» có hơn 60.000 ô"),
    "gop-o.xlsx": ("W045", "Trang «Kế hoạch» có vùng gộp ô A1:XFD1048576 trải 17.179.869.184 ô"),
    "lien-ket.xlsx": ("W045", "Trang «Kế hoạch» có vùng liên kết A1:Z1000000"),
    "vung.xlsx": ("W046", "Trang «Kế hoạch» khai báo vùng dữ liệu A1:J1048576"),
    # openpyxl reads the workbook part [Content_Types].xml names: another part
    # than xl/workbook.xml is refused, and a sheet no workbook lists still a sheet.
    "noi-khac.xlsx": ("W007", "danh mục thành phần chỉ phần sổ làm việc là «/xl/wb2.xml»"),
    "trang-le.xlsx": ("W045", "Trang «xl/worksheets/le.xml» có vùng gộp ô A1:XFD1048576"),
}


def rewrite(content: bytes, change, extra: dict[str, bytes] | None = None) -> bytes:
    """The same .xlsx with some parts changed (``change(name, bytes) -> bytes``) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)), compresslevel=9)
        for name, data in (extra or {}).items():
            dst.writestr(name, data, compresslevel=9)
    return out.getvalue()


def in_sheet(text: bytes, where: bytes = b"</sheetData>"):
    """A change that puts ``text`` after ``where`` in the form sheet (sheet1.xml)."""
    def change(name, data):
        return data.replace(where, where + text, 1) if name == "xl/worksheets/sheet1.xml" else data
    return change


def hostile_files(good: bytes) -> dict[str, bytes]:
    """Small workbooks built to exhaust the import (each a few KB to 1 MB)."""
    def bomb(name, data):  # 12 MB of spaces in a part that is not a sheet
        return data.replace(b"</Relationships>", b"<!--" + b" " * (12 * 2**20) + b"--></Relationships>") \
            if name == "xl/_rels/workbook.xml.rels" else data

    def dtd(name, data):
        if name != "xl/styles.xml":
            return data
        return b'<!DOCTYPE styleSheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + data

    many_cells = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"/>' % (c.encode(), r) for c in
                          ("K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB",
                           "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ", "AK", "AL", "AM", "AN", "AO")) + b"</row>"
                          for r in range(100, 5001))
    return {
        "bom-nen.xlsx": rewrite(good, bomb),
        "nhieu-phan.xlsx": rewrite(good, lambda n, d: d, {f"xl/media/anh{i}.png": b"\x89PNG" for i in range(300)}),
        "dtd.xlsx": rewrite(good, dtd),
        "dong-6000.xlsx": rewrite(good, in_sheet(b'<row r="6000"><c r="B6000" t="inlineStr"><is><t>x</t></is></c></row>',
                                                 b"<sheetData>")),
        "nhieu-o.xlsx": rewrite(good, in_sheet(many_cells, b"<sheetData>")),
        "gop-o.xlsx": rewrite(good, in_sheet(b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')),
        "lien-ket.xlsx": rewrite(good, in_sheet(b'<hyperlinks><hyperlink ref="A1:Z1000000" display="x"/></hyperlinks>')),
        "vung.xlsx": rewrite(good, lambda n, d: d.replace(b'<dimension ref="', b'<dimension ref="A1:J1048576" x="', 1)
                             if n == "xl/worksheets/sheet1.xml" else d),
        "noi-khac.xlsx": other_workbook_part(good),
        "trang-le.xlsx": rewrite(good, lambda n, d: d, {"xl/worksheets/le.xml": _merged_sheet(good)}),
    }


def _merged_sheet(good: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    return sheet.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)


def other_workbook_part(good: bytes) -> bytes:
    """The attacker's layout: [Content_Types].xml names xl/wb2.xml the workbook
    (a copy of the real one, with its sheets), xl/workbook.xml lists no sheet,
    and the form sheet has a merge over the whole sheet."""
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/wb2.xml"')
    parts["xl/wb2.xml"] = parts["xl/workbook.xml"]
    parts["xl/_rels/wb2.xml.rels"] = parts["xl/_rels/workbook.xml.rels"]
    book_xml = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"], flags=re.S)
    parts["xl/workbook.xml"] = re.sub(rb"<definedNames>.*</definedNames>", b"", book_xml, flags=re.S)
    parts["xl/worksheets/sheet1.xml"] = _merged_sheet(good)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def _not_workbooks(data, good: bytes) -> dict[str, bytes]:
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office/>")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    plain = Workbook()
    plain.active["A1"] = "Kế hoạch"
    other = io.BytesIO()
    plain.save(other)
    return {
        "rong.xlsx": b"",
        "lon.xlsx": b"PK" + b"\0" * (11 * 2**20),
        "cu.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "mat-khau.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600,
        "libre.ods": ods.getvalue(),
        "ghi-chu.xlsx": "Kế hoạch tuần sau\n".encode(),
        "ke-hoach.csv": "\ufeffNội dung;Khối lượng\nQuét dọn đường;1,5\n".encode(),  # Excel, Vietnamese settings
        "doi-ten.xlsx": "Nội dung,Khối lượng\nQuét dọn đường,2\n".encode(),  # a CSV renamed .xlsx
        "van-ban.docx": docx.getvalue(),
        "hong.xlsx": good[: len(good) // 2],
        "khac.xlsx": other.getvalue(),
        "bao-cao.xlsx": report.report_workbook(data, date(2023, 3, 11)),
        **hostile_files(good),
    }


@pytest.fixture(scope="module")
def not_workbooks_run(data, blank_books, shared_repo, tmp_path_factory):
    """`ntm nhap-excel` once over all of NOT_WORKBOOKS: (result, repository before, after)."""
    files = tmp_path_factory.mktemp("files")
    for name, content in _not_workbooks(data, blank_books["plan"]).items():
        (files / name).write_bytes(content)
    (files / "thu-muc").mkdir()
    before = snapshot(shared_repo)
    result = run_ntm(shared_repo, "nhap-excel", *(str(files / n) for n in NOT_WORKBOOKS))
    return result, before, snapshot(shared_repo)


def test_files_that_are_not_workbooks_write_nothing(not_workbooks_run, shared_repo):
    result, before, after = not_workbooks_run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{len(NOT_WORKBOOKS)}/{len(NOT_WORKBOOKS)} tệp có lỗi hoặc cần ghi đè" in result.stderr
    assert after == before and not list((shared_repo / "materials").rglob("*.tmp"))


@pytest.mark.parametrize("name", sorted(NOT_WORKBOOKS))
def test_files_that_are_not_workbooks_get_a_message_not_a_traceback(not_workbooks_run, name):
    result, _, _ = not_workbooks_run
    rule, message = NOT_WORKBOOKS[name]
    line = next(l for l in result.stderr.splitlines() if l.startswith(f"  {name}:"))
    assert line.startswith(f"  {name}: [{rule}] ") and message in line, line


# The test that makes the import report each W rule, for tests/test_rules.py
# (a rule without a test case fails there). Built from the tables above, so a
# rule is claimed only by a case that asserts it; the first case of a rule names it.
def _workbook_rule_cases() -> dict[str, str]:
    cases = {
        "W008": "test_an_unexpected_failure_is_reported_not_raised",
        "W015": "test_workbook_of_another_commune_is_refused_when_the_commune_is_named",
        "W073": "test_a_result_for_a_saturday_not_yet_come_is_refused",
        # The batch and the repository: tests/test_workbook_batch.py
        "W065": "test_workbook_batch.py::test_two_workbooks_for_the_same_saturday_with_different_content",
        "W066": "test_workbook_batch.py::test_a_result_whose_plan_in_the_batch_is_refused",
        "W067": "test_workbook_batch.py::test_overwrite_needs_the_option_and_shows_its_changes",
        "W068": "test_workbook_batch.py::test_a_write_after_the_files_changed_is_refused",
        "W069": "test_workbook_batch.py::test_too_many_files_at_once",
    }
    for name, (rule, _) in NOT_WORKBOOKS.items():
        cases.setdefault(rule, f"test_files_that_are_not_workbooks_get_a_message_not_a_traceback[{name}]")
    for case, (_, rule, _) in CASES.items():
        if rule.startswith("W"):  # S rules are the cross-checks of `ntm check`, tested there
            cases.setdefault(rule, f"test_bad_workbook_names_its_cell_and_writes_nothing[{case}]")
    return dict(sorted(cases.items()))


WORKBOOK_RULE_CASES: dict[str, str] = _workbook_rule_cases()


def test_every_workbook_rule_has_a_case():
    import importlib

    assert list(WORKBOOK_RULE_CASES) == sorted(rule_id for rule_id, _ in RULE_IDS.values())
    for test in WORKBOOK_RULE_CASES.values():
        module, _, test_name = test.rpartition("::")
        name, _, param = test_name.partition("[")
        where = vars(importlib.import_module(module.removesuffix(".py"))) if module else globals()
        assert callable(where.get(name)), test
        assert not param or param.removesuffix("]") in {**CASES, **NOT_WORKBOOKS}, test


# --- round trip --------------------------------------------------------------------------


def _workbook_of(data, kind: str, key) -> bytes:
    unit = data.units.by_id()[key[0]]
    plan = data.plans[key]
    if kind == "ke-hoach":
        values, rows = prefill.record_values(layout(PLAN), prefill.dump(plan))
        return forms.plan_workbook(unit, data.agencies, [], plan.date, values, rows, blank=False)
    return forms.result_workbook(unit, plan, data.results[key], data.agencies)


def _records(data):
    return [("ke-hoach", k) for k in sorted(data.plans)] + [("ket-qua", k) for k in sorted(data.results)]


@pytest.mark.slow
def test_round_trip_of_every_plan_and_result(data, repo, tmp_path):
    records = _records(data)
    assert len(records) == 15
    paths = [save(tmp_path / "books", f"{kind}-{u}-{d}.xlsx", _workbook_of(data, kind, (u, d))) for kind, (u, d) in records]
    before = snapshot(repo)
    results = import_all(repo, paths)
    assert [r.status for r in results] == ["unchanged"] * len(records), [(r.workbook, [str(e) for e in r.errors]) for r in results]
    assert snapshot(repo) == before  # byte for byte
    # Without the YAML files, the workbooks give the same data back, but for
    # the photos, which no workbook carries (their files go with the records).
    for kind, (unit, day) in records:
        (repo / f"materials/{kind}/{unit}/{day.isoformat()}.yml").unlink()
    shutil.rmtree(repo / "materials" / "anh", ignore_errors=True)
    plans_first = [p for p, (kind, _) in zip(paths, records) if kind == "ke-hoach"]
    results_then = [p for p, (kind, _) in zip(paths, records) if kind == "ket-qua"]
    assert {r.status for r in import_all(repo, plans_first + results_then)} == {"new"}
    for kind, key in records:
        rel = f"materials/{kind}/{key[0]}/{key[1].isoformat()}.yml"
        model = SaturdayPlan if kind == "ke-hoach" else SaturdayResult
        expected = (data.plans if kind == "ke-hoach" else data.results)[key]
        assert validate(model, load_yaml(repo / rel, rel)) == expected.model_copy(update={"photos": []})
    assert run_ntm(repo, "check").returncode == 0


@pytest.mark.slow
@needs_libreoffice
def test_workbooks_resaved_by_libreoffice_import_the_same(data, repo, tmp_path):
    filled = save(tmp_path / "in", "ke-hoach-gung-re.xlsx", edit(plan_bytes(data), fill_plan))
    result = save(tmp_path / "in", "ket-qua-gung-re.xlsx", result_bytes(data))
    resaved = libreoffice([filled, result], tmp_path / "out", "xlsx:Calc MS Excel 2007 XML", locale="vi-VN")
    assert [p.name for p in resaved] == ["ke-hoach-gung-re.xlsx", "ket-qua-gung-re.xlsx"]
    assert resaved[0].read_bytes() != filled.read_bytes()  # really rewritten by LibreOffice
    done = import_all(repo, resaved)
    assert [d.status for d in done] == ["new", "unchanged"], [[str(e) for e in d.errors] for d in done]
    assert (repo / NEW_PLAN).read_text(encoding="utf-8") == EXPECTED_PLAN


def test_time_typed_as_text_is_read_like_yaml(data, repo, tmp_path):
    def fill(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        ws[_form_cell(ws, "Giờ bắt đầu")] = "7h30"
        ws[_form_cell(ws, "Ngày lập kế hoạch")] = "21/03/2023"

    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(plan_bytes(data), fill))])
    assert done.status == "new", [str(e) for e in done.errors]
    text = (repo / NEW_PLAN).read_text(encoding="utf-8")
    assert "  bat_dau: 7h30\n" in text and "ngay_lap: 2023-03-21\n" in text


def test_result_date_typed_as_text_is_the_same_date(data, shared_repo, tmp_path):
    """The Saturday of a result form is checked as a date, however the cell holds it."""
    def typed(text):
        def change(wb):
            ws = wb[forms.RESULT_SHEET]
            ws[_form_cell(ws, "Ngày thứ Bảy")] = text
        return change

    same = save(tmp_path, "same.xlsx", edit(result_bytes(data), typed("11/03/2023")))
    other = save(tmp_path, "other.xlsx", edit(result_bytes(data), typed("18/03/2023")))
    done, refused = import_all(shared_repo, [same, other], write=False)
    assert done.status == "unchanged", [str(e) for e in done.errors]
    assert refused.status == "error"
    assert [e.rule for e in refused.errors] == ["W017"] and "Ngày ở ô này (18/03/2023)" in refused.errors[0].message


def test_numbers_typed_as_text_are_read_as_the_model_reads_yaml(data, shared_repo, tmp_path):
    """A cell formatted as text keeps «1,5» as text: still the number 1.5, as
    the message of W027 promises; «-1» is a number the model then refuses."""
    def typed(wb):
        ws = wb[forms.RESULT_SHEET]
        ws[_form_cell(ws, "Rác đã thu gom")] = "1,5"
        ws.cell(header_row(ws, "Khối lượng đã làm") + 1, 4).value = " 2 "

    record = importer.check_workbook(Repository.load(shared_repo), edit(result_bytes(data), typed), "kq.xlsx").record
    assert record.waste_collected == 1.5 and record.work_done[0].amount == 2

    def negative(wb):
        ws = wb[forms.RESULT_SHEET]
        ws[_form_cell(ws, "Cán bộ xã tham gia")] = "-1"

    [done] = import_all(shared_repo, [save(tmp_path, "kq.xlsx", edit(result_bytes(data), negative))], write=False)
    assert [e.rule for e in done.errors] == ["W035"], [str(e) for e in done.errors]


def test_merging_a_group_header_is_harmless(data, repo, tmp_path):
    """Merging «Khối lượng công việc» over its two columns hides no data."""
    def merge(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        group = header_row(ws, "Việc cần làm") - 1
        ws.merge_cells(f"C{group}:D{group}")

    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(plan_bytes(data), merge))])
    assert done.status == "new", [str(e) for e in done.errors]


def test_a_form_printed_before_the_note_on_the_district_still_imports(data, repo, tmp_path):
    """Forms now say that the district level ended on 1/7/2025; the forms
    communes already hold say what they said then, and are still read."""
    def fill(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        [cell] = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "1/7/2025" in c.value]
        cell.value = ("Xong: lưu tệp dạng .xlsx (Excel, LibreOffice hay WPS đều được), gửi qua Zalo hoặc thư điện tử cho "
                      "Ban Tuyên giáo Huyện ủy.")

    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(plan_bytes(data), fill))])
    assert done.status == "new", [str(e) for e in done.errors]


def test_text_cells_lose_invisible_characters_and_odd_spaces(data, repo, tmp_path):
    """What the clerk saw is what is kept: a zero-width space pasted from a
    web page, a no-break or em space, a tab and two spaces are one plain
    space; a line break (Alt+Enter) stays; «Thôn 1» with a no-break space is
    still the hamlet of the list."""
    def fill(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        rows = rows_by_label(ws)
        ws.cell(rows["Nội dung chính"], 2).value = "Dọn\u200b vệ\u00a0sinh\u2003đường\tthôn,  trồng\ufeff hoa "
        ws.cell(rows["Ghi chú"], 2).value = "Mang theo\u00a0 nước uống\nĐội\u2002mũ"
        head = header_row(ws, "Việc cần làm")
        row = next(r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 2).value == "Trồng hoa dọc đường")
        ws.cell(row, 5).value = "Thôn\u00a01"

    [done] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(plan_bytes(data), fill))])
    assert done.status == "new", [str(e) for e in done.errors]
    plan = yaml.safe_load((repo / NEW_PLAN).read_text(encoding="utf-8"))
    assert plan["noi_dung"] == "Dọn vệ sinh đường thôn, trồng hoa"
    assert plan["ghi_chu"] == "Mang theo nước uống\nĐội mũ"
    assert plan["phan_viec"][-1]["thon"][0] == "thon-1", plan["phan_viec"][-1]


def test_a_result_for_a_saturday_not_yet_come_is_refused(blank_books, shared_repo, tmp_path):
    """A result form filled before its Saturday (the published forms include
    the coming weeks') would publish a participation rate for a day that has
    not come: refused at the date's cell (W073), as the editor refuses it (E009)."""
    import os
    import subprocess

    from conftest import BIN

    path = save(tmp_path, "ket-qua.xlsx", blank_books["result"])
    before = snapshot(shared_repo)
    env = {**os.environ, "NTM_TODAY": "2023-03-01"}
    result = subprocess.run([str(BIN / "ntm"), "nhap-excel", str(path)], cwd=shared_repo, capture_output=True, text=True,
                            env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[W073]" in result.stderr and "hôm nay mới là 01/03/2023: chưa đến ngày làm" in result.stderr, result.stderr
    assert "ket-qua.xlsx, Kết quả!B" in result.stderr and "Cách sửa:" in result.stderr
    assert snapshot(shared_repo) == before


def test_a_real_result_for_an_example_plan_is_refused_at_its_cell(data, repo, tmp_path):
    """«Dữ liệu ví dụ: Không» on a result whose plan is example data was
    written, then shown as an example on the site and in Monday's report:
    refused at that cell (S015) with both ways out."""
    def fill(wb):
        ws = wb[forms.RESULT_SHEET]
        ws.cell(rows_by_label(ws)["Dữ liệu ví dụ"], 2).value = "Không"

    before = snapshot(repo)
    [done] = import_all(repo, [save(tmp_path, "kq.xlsx", edit(result_bytes(data), fill))], overwrite=True)
    assert done.status != "updated"
    [error] = [str(e) for e in done.errors if "[S015]" in str(e)]
    assert "kq.xlsx, Kết quả!B" in error and "là dữ liệu ví dụ" in error and "Cách sửa:" in error
    assert snapshot(repo) == before


def test_words_ntm_check_refuses_are_refused_at_their_cell_and_team_numbers_pass(data, repo, tmp_path):
    """The import said «đã ghi» for a plan the build then refused (T003 on a
    remark): the words `ntm check` reads are read here too, at their cell;
    numbers with a letter (tổ 5b, xe 4x4) are no OCR mistake."""
    def fill(remark):
        def change(wb):
            fill_plan(wb)
            ws = wb[forms.PLAN_SHEET]
            ws.cell(rows_by_label(ws)["Ghi chú"], 2).value = remark
        return change

    before = snapshot(repo)
    [refused] = import_all(repo, [save(tmp_path, "kh.xlsx", edit(plan_bytes(data), fill("Mang theo dụng cụ ph0ng hộ")))])
    [error] = [str(e) for e in refused.errors]
    assert "[T003]" in error and "«ph0ng»" in error and "kh.xlsx, Kế hoạch!B" in error, error
    assert snapshot(repo) == before
    [done] = import_all(repo, [save(tmp_path, "kh2.xlsx", edit(plan_bytes(data), fill("Tổ 5b mang xe 4x4")))])
    assert done.status == "new", [str(e) for e in done.errors]
    assert run_ntm(repo, "check").returncode == 0


def test_a_unit_typed_wrong_is_refused_at_its_cell(data, repo, tmp_path):
    """1800 in «Rác đã thu gom» against a plan in tonnes (kilograms typed):
    a thousand times the plan, refused at that cell (S017), nothing written."""
    def fill(wb):
        ws = wb[forms.RESULT_SHEET]
        ws.cell(rows_by_label(ws)["Rác đã thu gom"], 2).value = 1800

    before = snapshot(repo)
    [done] = import_all(repo, [save(tmp_path, "kq.xlsx", edit(result_bytes(data), fill))], overwrite=True)
    assert done.status != "updated"
    [error] = [str(e) for e in done.errors if "[S017]" in str(e)]
    assert "kq.xlsx, Kết quả!B" in error and "gấp" in error and "tấn" in error, error
    assert snapshot(repo) == before

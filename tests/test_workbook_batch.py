"""A batch of workbooks imported together (workbooks/batch.py): it must agree
with itself and with the repository, show what it changes before writing,
replace a filed plan or result only when told to, and write exactly what it
showed. Each refusal writes nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import libreoffice, needs_libreoffice, run_ntm
from nongthonmoi.workbooks import batch, forms
from nongthonmoi.workbooks.batch import Upload, import_batch
from openpyxl import load_workbook

# data, repo: the fixtures of the import tests (pytest finds them here by name)
from test_workbook_import import (  # noqa: F401
    NEW_PLAN,
    _form_cell,
    data,
    edit,
    fill_plan,
    real_plan,
    repo,
    save,
    snapshot,
)
from test_workbooks import header_row, plan_bytes, result_bytes, rows_by_label

RESULT_0311 = "materials/ket-qua/gung-re/2023-03-11.yml"


def uploads(*pairs: tuple[str, bytes]) -> list[Upload]:
    return [Upload(name, content) for name, content in pairs]


def rules_of(book) -> list[str]:
    return [e.rule for e in book.errors]


def set_form(wb, sheet: str, label: str, value) -> None:
    ws = wb[sheet]
    ws[_form_cell(ws, label)] = value


@pytest.fixture(scope="module")
def filled_plan(data) -> bytes:
    return edit(plan_bytes(data), fill_plan)


# --- the batch agrees with itself -------------------------------------------------------


def test_two_workbooks_for_the_same_saturday_with_different_content(data, repo, filled_plan):
    other = edit(filled_plan, lambda wb: set_form(wb, forms.PLAN_SHEET, "Ghi chú", "Mang theo găng tay"))
    before = snapshot(repo)
    first, second = import_batch(repo, uploads(("kh.xlsx", filled_plan), ("kh (1).xlsx", other)), write=True).workbooks
    assert rules_of(first) == rules_of(second) == ["W065"]
    assert "Tệp này và tệp «kh (1).xlsx» cùng là kế hoạch của Xã Gung Ré ngày 25/03/2023 nhưng nội dung khác nhau" \
        in first.errors[0].message
    assert snapshot(repo) == before


def test_the_same_workbook_sent_twice_is_written_once(repo, filled_plan):
    first, second = import_batch(repo, uploads(("kh.xlsx", filled_plan), ("kh (1).xlsx", filled_plan)), write=True).workbooks
    assert (first.status, second.status) == ("new", "duplicate") and first.written and not second.written
    assert "trùng với tệp «kh.xlsx» (cùng nội dung): chỉ ghi một lần" in second.headline(True)
    assert (repo / NEW_PLAN).is_file()


def _result_of_new_plan(data, plan_content: bytes, repo: Path) -> bytes:
    """The result form a commune would get for the plan in ``plan_content`` (25/03/2023), filled."""
    from nongthonmoi.workbooks.importer import Repository, check_workbook

    plan = check_workbook(Repository.load(repo), plan_content, "kh.xlsx").record
    unit = data.units.by_id()["gung-re"]

    def fill(wb):
        ws = wb[forms.RESULT_SHEET]
        rows = rows_by_label(ws)
        for label, value in (("Số hộ tham gia", 200), ("Tổng số hộ", 300), ("Cán bộ xã tham gia", 12)):
            ws.cell(rows[label], 2).value = value
        ws.cell(header_row(ws, "Khối lượng đã làm") + 1, 4).value = 1

    return edit(forms.result_workbook(unit, plan, None, data.agencies), fill)


def test_a_result_is_checked_against_the_plan_of_the_same_batch(data, repo, filled_plan):
    result = _result_of_new_plan(data, filled_plan, repo)
    # The result first: order does not matter, its plan is only in the batch.
    done = import_batch(repo, uploads(("kq.xlsx", result), ("kh.xlsx", filled_plan)), write=True).workbooks
    assert [d.status for d in done] == ["new", "new"], [[str(e) for e in d.errors] for d in done]
    assert (repo / "materials/ket-qua/gung-re/2023-03-25.yml").is_file()
    assert run_ntm(repo, "check").returncode == 0


def test_a_result_whose_plan_in_the_batch_is_refused(data, repo, filled_plan):
    result = _result_of_new_plan(data, filled_plan, repo)
    broken = edit(filled_plan, lambda wb: set_form(wb, forms.PLAN_SHEET, "Chỉ đạo", None))
    before = snapshot(repo)
    plan_book, result_book = import_batch(repo, uploads(("kh.xlsx", broken), ("kq.xlsx", result)), write=True).workbooks
    assert rules_of(plan_book) == ["W033"]
    assert rules_of(result_book) == ["W066"]
    assert "Kế hoạch của Xã Gung Ré ngày 25/03/2023 trong cùng lần nhập (tệp «kh.xlsx») có lỗi" in result_book.errors[0].message
    assert snapshot(repo) == before


def test_a_half_deleted_task_is_not_merged_into_the_task_above(data, repo):
    """The issue's case: a task's main cells cleared (its id too, the sheet
    unprotected), its hamlets, tools and people left on its rows."""
    def half_delete(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        row = header_row(ws, "Việc cần làm") + 4  # «Quét dọn đường»
        assert ws.cell(row, 2).value == "Quét dọn đường, ngõ xóm"
        for col in (1, 2, 3, 4, 6, 10):
            ws.cell(row, col).value = None

    before = snapshot(repo)
    [book] = import_batch(repo, uploads(("kh.xlsx", edit(plan_bytes(data), half_delete))), write=True).workbooks
    assert book.status == "error" and {"W058", "W059"} & set(rules_of(book)), [str(e) for e in book.errors]
    assert snapshot(repo) == before


# --- against the repository: the changes shown, overwrite only when told ------------------------


def _corrected_result(data) -> bytes:
    def fill(wb):
        set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", 190)
    return edit(result_bytes(data), fill)


def test_overwrite_needs_the_option_and_shows_its_changes(data, repo, tmp_path):
    path = save(tmp_path, "kq.xlsx", _corrected_result(data))
    before = snapshot(repo)
    refused = run_ntm(repo, "nhap-excel", str(path))
    assert refused.returncode == 1
    assert f"kq.xlsx: Kết quả của Xã Gung Ré, thứ Bảy 11/03/2023: KHÔNG GHI: {RESULT_0311} đã có nội dung khác; cần ghi đè (--ghi-de)" \
        in refused.stderr
    assert "    Số hộ tham gia: 180 → 190" in refused.stderr and "[W067]" in refused.stderr
    assert snapshot(repo) == before
    # The report for a draft's reviewer says the same, whole: nothing was written.
    table = import_batch(repo, uploads(("kq.xlsx", path.read_bytes()))).markdown()
    assert f"| KHÔNG GHI: {RESULT_0311} đã có nội dung khác; cần ghi đè (--ghi-de) |" in table
    preview = run_ntm(repo, "nhap-excel", "--chi-kiem-tra", "--ghi-de", str(path))
    assert preview.returncode == 0
    assert f"sẽ cập nhật {RESULT_0311} (190/300 hộ tham gia, 2 phần việc báo cáo) — chưa ghi: chỉ kiểm tra" in preview.stdout
    assert "    Số hộ tham gia: 180 → 190" in preview.stdout
    assert snapshot(repo) == before
    done = run_ntm(repo, "nhap-excel", "--ghi-de", str(path))
    assert done.returncode == 0 and f"đã cập nhật {RESULT_0311}" in done.stdout
    assert "so_ho_tham_gia: 190\n" in (repo / RESULT_0311).read_text(encoding="utf-8")


def test_a_plan_redated_onto_a_filed_saturday_needs_the_option(data, repo):
    """A plan form for 25/03 re-dated to 01/04, where a plan is already filed."""
    filed = (repo / "materials/ke-hoach/gung-re/2023-03-18.yml").read_text(encoding="utf-8")
    target = repo / "materials/ke-hoach/gung-re/2023-04-01.yml"
    target.write_text(filed.replace("ngay: 2023-03-18", "ngay: 2023-04-01"), encoding="utf-8")

    def redate(wb):
        fill_plan(wb)
        set_form(wb, forms.PLAN_SHEET, "Ngày thứ Bảy", datetime(2023, 4, 1))

    before = snapshot(repo)
    [book] = import_batch(repo, uploads(("kh.xlsx", edit(plan_bytes(data), redate))), write=True).workbooks
    assert book.status == "needs-overwrite" and rules_of(book) == ["W067"]
    assert "Nội dung chính: Vệ sinh khu dân cư, sân sinh hoạt cộng đồng → Dọn vệ sinh đường thôn, trồng hoa" \
        in [str(c) for c in book.changes]
    assert snapshot(repo) == before


def test_a_write_after_the_files_changed_is_refused(data, repo):
    content = _corrected_result(data)
    preview = import_batch(repo, uploads(("kq.xlsx", content)), overwrite=True)
    assert preview.ok and preview.workbooks[0].status == "updated" and preview.token
    # Meanwhile an editor changes the same result in the web editor.
    path = repo / RESULT_0311
    path.write_text(path.read_text(encoding="utf-8").replace("can_bo_xa: 16", "can_bo_xa: 17"), encoding="utf-8")
    before = snapshot(repo)
    [book] = import_batch(repo, uploads(("kq.xlsx", content)), write=True, overwrite=True, confirm=preview.token).workbooks
    assert rules_of(book) == ["W068"] and not book.written
    assert snapshot(repo) == before


def test_a_file_changed_between_the_comparison_and_the_write_is_not_overwritten(data, repo, monkeypatch):
    real = batch._token

    def token_then_edit(entries):
        (repo / RESULT_0311).write_text("# sửa tay\n" + (repo / RESULT_0311).read_text(encoding="utf-8"), encoding="utf-8")
        return real(entries)

    monkeypatch.setattr(batch, "_token", token_then_edit)
    [book] = import_batch(repo, uploads(("kq.xlsx", _corrected_result(data))), write=True, overwrite=True).workbooks
    assert rules_of(book) == ["W068"]
    assert (repo / RESULT_0311).read_text(encoding="utf-8").startswith("# sửa tay\n")


def test_the_preview_is_what_is_written(data, repo, filled_plan):
    files = uploads(("kh.xlsx", filled_plan), ("kq.xlsx", _corrected_result(data)))
    preview = import_batch(repo, files, overwrite=True).to_dict()
    written = import_batch(repo, files, write=True, overwrite=True, confirm=preview["token"]).to_dict()
    assert [w["written"] for w in written["workbooks"]] == [True, True]
    for shown, done in zip(preview["workbooks"], written["workbooks"]):
        assert (shown["status"], shown["target"], shown["changes"]) == (done["status"], done["target"], done["changes"])
    assert preview["workbooks"][1]["changes"] == [
        {"field": "Số hộ tham gia", "old": "180", "new": "190", "text": "Số hộ tham gia: 180 → 190"}]


def test_too_many_files_at_once(repo):
    report = import_batch(repo, [Upload(f"kh-{i}.xlsx", b"") for i in range(batch.MAX_FILES + 1)], write=True)
    assert {tuple(rules_of(w)) for w in report.workbooks} == {("W069",)}


def test_a_file_name_from_outside_is_shown_plainly(repo):
    [book] = import_batch(repo, [Upload("..\\..\\etc/<b>ke|hoach\x07.xlsx", b"")]).workbooks
    assert book.file == "<b>ke|hoach.xlsx"  # the last part, no control character
    assert "\\<b\\>ke\\|hoach.xlsx" in batch.BatchReport([book], False, False).markdown()


# --- what a clerk types arrives as typed ------------------------------------------------------


def _typed_result(data, changes: dict[str, object]) -> bytes:
    def fill(wb):
        for label, value in changes.items():
            set_form(wb, forms.RESULT_SHEET, label, value)
    return edit(result_bytes(data), fill)


@pytest.mark.parametrize("label,typed,field,expected", [
    ("Rác đã thu gom", "1.5", "waste_collected", 1.5),  # a decimal point from another keyboard
    ("Rác đã thu gom", "1,5", "waste_collected", 1.5),
    ("Rác đã thu gom", "0,500", "waste_collected", 0.5),
    ("Rác đã thu gom", 0.1 + 0.2, "waste_collected", 0.3),  # a sum pasted as a value: as Excel shows it
    ("Số hộ tham gia", "1.200", "households_joined", 1200),  # thousands: no other reading for households
    ("Tổng số hộ", "1 500", "households_total", 1500),
    ("Tổng số hộ", "1.500", "households_total", 1500),
    ("Số hộ tham gia", "180\u00a0", "households_joined", 180),  # a no-break space after it
    ("Cán bộ xã tham gia", " 16 ", "commune_staff", 16),
    ("Dữ liệu ví dụ", "co", "is_example", True),  # typed on a phone without Vietnamese keys
    ("Dữ liệu ví dụ", "KHÔNG", "is_example", False),
])
def test_values_arrive_as_typed(data, repo, label, typed, field, expected):
    from nongthonmoi.workbooks.importer import Repository, check_workbook

    changes = {label: typed}
    if field == "is_example" and expected is False:
        real_plan(repo)  # a real result needs a real plan (S015)
    if field == "households_joined" and expected > 300:
        changes["Tổng số hộ"] = 2000
    record = check_workbook(Repository.load(repo), _typed_result(data, changes), "kq.xlsx").record
    assert getattr(record, field) == expected


def test_dates_and_names_typed_as_text_arrive_as_typed(data, repo):
    from nongthonmoi.workbooks.importer import Repository, check_workbook

    def fill(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        ws[_form_cell(ws, "Ngày lập kế hoạch")] = "21-03-2023"
        ws.cell(header_row(ws, "Việc cần làm") + 1, 5).value = "thon 1"  # without accents, lower case

    record = check_workbook(Repository.load(repo), edit(plan_bytes(data), fill), "kh.xlsx").record
    assert record.drafted == date(2023, 3, 21) and record.tasks[0].hamlets[0] == "thon-1"


def test_messages_name_agencies_not_codes(data, repo):
    def twice(wb):
        ws = wb[forms.RESULT_SHEET]
        head = header_row(ws, "Số người tham gia")
        ws.cell(head + 2, 1).value = ws.cell(head + 1, 1).value
        ws.cell(head + 2, 2).value = 2

    [book] = import_batch(repo, uploads(("kq.xlsx", edit(result_bytes(data), twice)))).workbooks
    [error] = book.errors
    assert error.rule == "S008" and "«Văn phòng HĐND và UBND huyện»" in error.message, error.message
    assert "van-phong-hdnd-ubnd" not in error.message


# --- untouched -----------------------------------------------------------------------------


@pytest.mark.slow
@needs_libreoffice
def test_an_untouched_form_resaved_by_libreoffice_is_still_untouched(data, repo, tmp_path):
    blank = save(tmp_path / "in", "ke-hoach-gung-re.xlsx", plan_bytes(data))
    [resaved] = libreoffice([blank], tmp_path / "out", "xlsx:Calc MS Excel 2007 XML", locale="vi-VN")
    assert resaved.read_bytes() != blank.read_bytes()
    [book] = import_batch(repo, uploads(("kh.xlsx", resaved.read_bytes())), write=True).workbooks
    assert rules_of(book) == ["W061"], [str(e) for e in book.errors]
    blank_result = result_bytes(data, saturday=date(2023, 3, 18), with_result=False)
    [book] = import_batch(repo, uploads(("kq.xlsx", blank_result))).workbooks
    assert rules_of(book) == ["W061"] and "mẫu kết quả trống" in book.errors[0].message


def test_a_progress_line_once_the_import_takes_over_a_second(monkeypatch):
    lines: list[str] = []
    now = [100.0]
    monkeypatch.setattr(batch.clock, "monotonic", lambda: now[0])
    step = batch._Progress(lines.append)
    step("Đang đọc tệp 1/3: a.xlsx")
    now[0] += 1.5
    step("Đang đọc tệp 2/3: b.xlsx")
    assert lines == ["Đang đọc tệp 2/3: b.xlsx"]


def test_listed_task_ids_are_locked(data):
    ws = load_workbook(io.BytesIO(plan_bytes(data)))[forms.PLAN_SHEET]
    first = header_row(ws, "Việc cần làm") + 1
    assert ws.cell(first, 1).value == "don-nha-van-hoa" and ws.cell(first, 1).protection.locked
    blank = next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 2).value is None and ws.cell(r, 5).value is None
                 and ws.cell(r - 1, 5).value is None)
    assert not ws.cell(blank, 1).protection.locked  # a new task's id may be typed or left blank


def test_a_task_table_sorted_by_description_is_refused(data, repo):
    """Sorted (the sheet unprotected): the rows that carried a task's hamlets
    and tools sink below the other tasks and would join the last one."""
    def sort(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        first = header_row(ws, "Việc cần làm") + 1
        rows = [[ws.cell(r, c).value for c in range(1, 11)] for r in range(first, first + 5)]
        rows.sort(key=lambda cells: (cells[1] is None, cells[1] or ""))  # Excel: blanks last, stable
        for offset, cells in enumerate(rows):
            for col, value in enumerate(cells, start=1):
                ws.cell(first + offset, col).value = value

    before = snapshot(repo)
    [book] = import_batch(repo, uploads(("kh.xlsx", edit(plan_bytes(data), sort))), write=True).workbooks
    assert book.status == "error" and {"W056", "W058", "W059"} & set(rules_of(book)), [str(e) for e in book.errors]
    assert snapshot(repo) == before


def test_a_filter_left_on_that_hides_nothing_is_harmless(data, repo):
    def filtered(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        head = header_row(ws, "Việc cần làm")
        ws.auto_filter.ref = f"A{head}:J{head + 20}"

    [book] = import_batch(repo, uploads(("kh.xlsx", edit(plan_bytes(data), filtered))), write=True).workbooks
    assert book.status == "new", [str(e) for e in book.errors]


def test_hiding_the_forms_own_rows_and_an_empty_column_is_harmless(data, repo):
    """A clerk hides the instructions and the unused «Địa điểm» column: nothing of hers is hidden."""
    def tidy(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        for row in range(3, 11):  # the instructions
            ws.row_dimensions[row].hidden = True
        ws.column_dimensions["F"].hidden = True
        for row in range(header_row(ws, "Việc cần làm") + 1, ws.max_row + 1):
            ws.cell(row, 6).value = None

    [book] = import_batch(repo, uploads(("kh.xlsx", edit(plan_bytes(data), tidy))), write=True).workbooks
    assert book.status == "new", [str(e) for e in book.errors]


def test_an_unknown_commune_after_xa_is_named_before_any_workbook_is_read(tmp_path, capsys):
    """A typo in «--xa gungre» would make every workbook «another commune's»:
    said once, with the codes there are, before anything is read."""
    from conftest import ROOT
    from nongthonmoi import cli

    never_read = tmp_path / "khong-co-tep-nay.xlsx"
    code = cli.main(["--root", str(ROOT), "nhap-excel", "--chi-kiem-tra", "--xa", "gungre", str(never_read)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Không có xã, thị trấn nào mã «gungre»" in err and "gung-re" in err and "Cách sửa:" in err
    assert "khong-co-tep-nay" not in err

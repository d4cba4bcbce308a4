"""Retake the screenshots of the editing guide (docs/bien-tap/trang-quan-tri.md).

    .venv/bin/python -m benchmarks.editor_screenshots [--out docs/bien-tap/hinh]

Starts `ntm edit` in a scratch copy of the repository (its own git history,
so nothing here is touched), drives Debian's Chromium through the flows the
guide describes, at desktop width (1280 × 800) and on a 360 × 740 phone, and
writes JPEG files (quality 70: the guide is read over slow lines too). The
guide's pictures are exactly these files; run this after changing the editor.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

SIZES = {"may-tinh": (1280, 800), "dien-thoai": (360, 740)}


def _shoot(page, out: Path, name: str) -> None:
    page.wait_for_timeout(600)
    page.screenshot(path=str(out / f"{name}.jpg"), type="jpeg", quality=70)
    print(out / f"{name}.jpg")


def _open(page, route: str) -> None:
    page.evaluate("route => { location.hash = '#/' + route; }", route)
    page.wait_for_timeout(1200)


def _field(page, name: str, nth: int = 0):
    return page.locator(f'[id^="{name}-field-"]').nth(nth)


def _scroll_to(page, name: str) -> None:
    _field(page, name).evaluate("e => e.scrollIntoView({block: 'center'})")


def _workbooks() -> list[tuple[str, bytes]]:
    """Three workbooks as communes send them: a new plan, a corrected result
    (replaces a filed one), a plan with a hamlet not in the list."""
    from test_workbook_batch import _corrected_result
    from test_workbook_import import edit, fill_plan
    from test_workbooks import header_row, plan_bytes

    from nongthonmoi.materials import load_materials
    from nongthonmoi.workbooks import forms

    data = load_materials(ROOT).saturday

    def wrong_hamlet(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        ws.cell(header_row(ws, "Việc cần làm") + 1, 5).value = "Thôn 9"

    return [
        ("ke-hoach-gung-re (1).xlsx", edit(plan_bytes(data), fill_plan)),
        ("ket-qua-gung-re.xlsx", _corrected_result(data)),
        ("ke-hoach-hoa-ninh.xlsx", edit(plan_bytes(data, unit_id="hoa-ninh"), wrong_hamlet)),
    ]


def _excel(page, out: Path, size: str, books) -> None:
    """«Nhập từ Excel»: the preview of three workbooks (nothing written)."""
    _open(page, "collections/ke-hoach")
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.locator("#ntm-nhap-excel input[type=file]").set_input_files(
        [{"name": n, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": b}
         for n, b in books])
    page.locator(".ntm-nhap__tep").nth(2).wait_for()
    _shoot(page, out, f"07-nhap-excel-{size}")
    page.locator(".ntm-nhap__loi").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    _shoot(page, out, f"08-nhap-excel-loi-{size}")


def take(out: Path, only_excel: bool = False) -> None:
    from conftest import CHROMIUM, CHROMIUM_ARGS, copy_repo
    from editor_support import own_history, start_edit
    from photos_support import phone_photo
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ntm-hinh-") as folder:
        root = copy_repo(Path(folder) / "repo", warm=False)  # outside pytest: no shared build to warm from
        # The guide must build before its pictures exist (a first run, a new picture).
        guide = root / "docs" / "bien-tap" / "trang-quan-tri.md"
        for name in re.findall(r"\(hinh/([^)]+\.jpg)\)", guide.read_text(encoding="utf-8")):
            picture = guide.parent / "hinh" / name
            if not picture.exists():
                picture.parent.mkdir(parents=True, exist_ok=True)
                picture.write_bytes(b"")
        root = own_history(root)
        run = start_edit(root)
        books = _workbooks()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
                    page = context.new_page()
                    page.on("dialog", lambda dialog: dialog.accept())  # "leave without saving?"
                    page.goto(run.base + "quan-tri/")
                    page.get_by_role("button", name="Đăng nhập").wait_for()
                    _shoot(page, out, f"01-dang-nhap-{size}")
                    page.get_by_role("button", name="Đăng nhập").click()
                    page.wait_for_selector("text=Loại nội dung")
                    _excel(page, out, size, books)
                    if only_excel:
                        context.close()
                        continue
                    _open(page, "collections/ke-hoach")
                    _shoot(page, out, f"02-danh-sach-ke-hoach-{size}")
                    # A page of the site.
                    _open(page, "collections/trang-huong-dan/entries/ai-lam-gi")
                    _shoot(page, out, f"06-sua-trang-{size}")
                    # Copy last week's plan: the date must change first.
                    _open(page, "collections/ke-hoach")
                    _open(page, "collections/ke-hoach/entries/gung-re/2023-03-18")
                    _field(page, "xa").wait_for()
                    page.get_by_role("button", name="Đã lưu", exact=True).click()
                    page.get_by_text("Sao chép", exact=True).click()
                    page.wait_for_url("**/new")
                    page.wait_for_timeout(1000)
                    page.get_by_role("button", name="Lưu", exact=True).click()
                    page.get_by_text("Lưu vào lịch sử", exact=True).click()
                    page.locator("[class*='-ControlErrorsList']").first.wait_for()
                    _scroll_to(page, "ngay")
                    _shoot(page, out, f"03-sao-chep-chon-ngay-{size}")
                    # A negative quantity, said at its field.
                    _open(page, "collections/ke-hoach/entries/gung-re/2023-03-11")
                    _field(page, "so").fill("-3")
                    page.wait_for_timeout(700)
                    page.get_by_role("button", name="Lưu", exact=True).click()
                    page.get_by_text("Lưu vào lịch sử", exact=True).click()
                    page.locator("[class*='-ControlErrorsList']").first.wait_for()
                    _scroll_to(page, "so")
                    _shoot(page, out, f"04-so-am-{size}")
                    # A result for a Saturday without a plan.
                    _open(page, "collections/ket-qua")
                    _open(page, "collections/ket-qua/new")
                    _field(page, "xa").select_option("gung-re")
                    page.get_by_role("button", name="Thêm khối lượng đã làm").click()
                    _field(page, "ngay").fill("25/02/2023")
                    try:
                        page.get_by_text("Chưa có kế hoạch cho thứ Bảy này").wait_for(timeout=8000)
                    except Exception:
                        page.screenshot(path=str(out / "loi.png"))
                        raise
                    _scroll_to(page, "phan_viec")
                    _shoot(page, out, f"05-ket-qua-chua-co-ke-hoach-{size}")
                    # «Chọn ảnh»: a drawn picture (stored sideways, with GPS) picked for a result.
                    _open(page, "collections/ket-qua/entries/gung-re/2023-03-11")
                    _field(page, "xa").wait_for()
                    count = page.locator(".ntm-anh").count()
                    page.get_by_role("button", name="Thêm ảnh").click()
                    page.locator(".ntm-anh input[type=file]").nth(count).set_input_files(
                        {"name": "IMG_20230311_081500.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}
                    )
                    page.locator(".ntm-anh").nth(count).get_by_text("Chọn ảnh khác").wait_for(timeout=30000)
                    page.locator(".ntm-anh").nth(count).evaluate("e => e.scrollIntoView({block: 'center'})")
                    _shoot(page, out, f"07-chon-anh-{size}")
                    context.close()
                browser.close()
        finally:
            run.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bien-tap" / "hinh")
    parser.add_argument("--nhap-excel", action="store_true", help="only the «Nhập từ Excel» pictures")
    args = parser.parse_args()
    take(args.out, only_excel=args.nhap_excel)


if __name__ == "__main__":
    main()

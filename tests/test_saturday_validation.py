"""Bad Saturday data: each mistake is reported with file, line and fix, the
check and the build exit non-zero, and the previous site stays as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_mkdocs, run_ntm

PLAN = "materials/ke-hoach/gung-re/2023-03-04.yml"
RESULT = "materials/ket-qua/gung-re/2023-03-04.yml"
STAFF = "materials/danh-sach/ban-tuyen-giao/2023-03-04.yml"
UNITS = "materials/don-vi.yml"


@pytest.fixture(scope="module")
def built(built_repo):
    """The shared scratch repository with a good site already built in it."""
    return built_repo, built_repo / "site"


def _snapshot(site: Path) -> dict:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _line_of(text: str, needle: str, last: bool = False) -> int:
    return text[: (text.rindex if last else text.index)(needle)].count("\n") + 1


# (file, old text, new text, expected message part, line: the line holding this text after the edit)
CASES = {
    # libyaml notices the unclosed "[" on the next line, and says so.
    "yaml-syntax": (PLAN, "noi_dung: Tổng vệ sinh", "noi_dung: [Tổng vệ sinh", "Lỗi cú pháp YAML", "thoi_gian:"),
    "missing-field": (PLAN, "chi_dao: Chủ tịch UBND xã\n", "", "Thiếu trường bắt buộc «chi_dao»", "vi_du: true"),
    "wrong-type": (RESULT, "tong_so_ho: 300", "tong_so_ho: ba trăm", "«tong_so_ho» phải là số nguyên", "tong_so_ho:"),
    "not-saturday": (PLAN, "ngay: 2023-03-04", "ngay: 2023-03-05", "Chủ nhật, không phải thứ Bảy", "ngay: 2023-03-05"),
    "unknown-hamlet": (PLAN, "thon: [thon-1, thon-2]", "thon: [thon-1, thon-9]", "không có thôn, tổ dân phố mã «thon-9»", "thon: [thon-1, thon-9]"),
    "unknown-agency": (PLAN, "      - van-phong-hdnd-ubnd", "      - phong-khong-co", "Không có cơ quan, đơn vị mã «phong-khong-co»", "- phong-khong-co"),
    "unknown-commune-in-list": (STAFF, "  - xa: hoa-ninh", "  - xa: xa-khong-co", "Không có xã, thị trấn mã «xa-khong-co»", "- xa: xa-khong-co"),
    "duplicate-task": (PLAN, "  - ma: khoi-thong-cong", "  - ma: don-duong", "Mã phần việc «don-duong» bị trùng", "  - ma: don-duong\n    noi_dung: Khơi"),
    "duplicate-unit": (UNITS, "  - ma: bao-thuan", "  - ma: gung-re", "Mã xã, thị trấn «gung-re» bị trùng", "  - ma: gung-re\n    ten: Gung Ré"),
    "households-over-total": (RESULT, "so_ho_tham_gia: 150", "so_ho_tham_gia: 301", "lớn hơn tổng số hộ", "so_ho_tham_gia: 301"),
    "negative-quantity": (PLAN, "      so: 300", "      so: -300", "«so» không được âm", "so: -300"),
    "markup": (PLAN, "noi_dung: Tổng vệ sinh", "noi_dung: <script>alert(1)</script> Tổng vệ sinh", "có mã HTML", "noi_dung: <script>"),
    "unknown-task-in-result": (RESULT, "  - phan_viec: khoi-thong-cong", "  - phan_viec: viec-khac", "không có phần việc mã «viec-khac»", "phan_viec: viec-khac"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_site_kept(built, case):
    root, site = built
    rel, old, new, message, anchor = CASES[case]
    path = root / rel
    original = path.read_text(encoding="utf-8")
    assert old in original, (case, old)
    changed = original.replace(old, new, 1)
    # A duplicated unit needs the rest of an entry to follow the repeated id.
    if case == "duplicate-unit":
        changed = changed.replace("  - ma: gung-re\n    ten: Bảo Thuận", "  - ma: gung-re\n    ten: Gung Ré", 1)
    path.write_text(changed, encoding="utf-8")
    before = _snapshot(site)
    try:
        # A duplicate is reported where it appears the second time.
        line = _line_of(changed, anchor, last=case == "duplicate-unit")
        check = run_ntm(root, "check")
        assert check.returncode != 0
        assert f"{rel}:{line}: " in check.stderr, check.stderr
        assert message in check.stderr, check.stderr
        assert "Cách sửa:" in check.stderr
        build = run_mkdocs(root, site)
        assert build.returncode != 0
        assert f"{rel}:{line}: " in build.stderr
        assert _snapshot(site) == before
        assert not [p for p in root.iterdir() if p.name.startswith(".site.")]
    finally:
        path.write_text(original, encoding="utf-8")


def test_file_name_must_agree_with_the_date_and_commune(built):
    root, _ = built
    source = root / PLAN
    moved = root / "materials/ke-hoach/gung-re/2023-03-25.yml"
    stray = root / "materials/ke-hoach/xa-khong-co/2023-03-04.yml"
    shutil.copy(source, moved)
    stray.parent.mkdir()
    stray.write_text(source.read_text(encoding="utf-8").replace("xa: gung-re", "xa: xa-khong-co"), encoding="utf-8")
    try:
        check = run_ntm(root, "check")
        assert check.returncode != 0
        text = moved.read_text(encoding="utf-8")
        line = _line_of(text, "ngay: 2023-03-04")
        assert f"materials/ke-hoach/gung-re/2023-03-25.yml:{line}: [S002] Ngày 04/03/2023 ở trường «ngay» không khớp với tên tệp (25/03/2023)" in check.stderr
        line = _line_of(stray.read_text(encoding="utf-8"), "xa: xa-khong-co")
        assert f"materials/ke-hoach/xa-khong-co/2023-03-04.yml:{line}: [S005] Không có xã, thị trấn mã «xa-khong-co»" in check.stderr
    finally:
        moved.unlink()
        shutil.rmtree(stray.parent)


def test_all_errors_are_collected_in_one_run(built):
    root, _ = built
    plan, result = root / PLAN, root / RESULT
    originals = {p: p.read_text(encoding="utf-8") for p in (plan, result)}
    plan.write_text(originals[plan].replace("      so: 300", "      so: -300"), encoding="utf-8")
    result.write_text(originals[result].replace("so_ho_tham_gia: 150", "so_ho_tham_gia: 301"), encoding="utf-8")
    try:
        check = run_ntm(root, "check")
        assert check.returncode != 0
        assert PLAN in check.stderr and RESULT in check.stderr
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")

"""One planted case per photo rule (A001-A017): the check names the rule,
the file and (for a record) the line, and says how to fix it; no traceback.

Like tests/test_rules.py: one scratch copy of the repository, each case
changes files, runs ``ntm check`` in-process, and puts them back.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from conftest import copy_repo
from nongthonmoi import cli
import hostile_files_support as hostile
from photos_support import heic_like, jpeg_claiming, lfs_pointer, phone_photo, plain_jpeg

RESULT = "materials/ket-qua/gung-re/2023-03-04.yml"
FOLDER = "materials/anh/gung-re/2023-03-04"
KNOWN = "vi-du-don-duong-truoc.jpg"  # an example photo the result lists first


def _entry(name: str, description: str = "Đoàn viên thôn 1 dọn cỏ ven đường liên thôn") -> str:
    return f"  - tep: {name}\n    mo_ta: {description}\n"


def add_photo(name: str, data: bytes, description: str = "Đoàn viên thôn 1 dọn cỏ ven đường liên thôn"):
    """A photo file in the Saturday's folder and its entry in the result."""
    return {f"{FOLDER}/{name}": data, RESULT: lambda text: text + _entry(name, description)}


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 120, 30)).save(out, "PNG")
    return out.getvalue()


class Case:
    def __init__(self, rule: str, files: dict, *, where: str, line: str | None = None, words: str = ""):
        self.rule, self.files, self.where, self.line, self.words = rule, files, where, line, words


DOCS_PICTURES = "docs/bien-tap/hinh"


def docs_picture(rule: str, name: str, data: bytes, words: str) -> Case:
    """A picture of a page (docs/), reported at its own path."""
    return Case(rule, {f"{DOCS_PICTURES}/{name}": data}, where=f"{DOCS_PICTURES}/{name}", words=words)


PHOTO_RULE_CASES = {
    "no-description": Case("A001", {RESULT: lambda t: t.replace(
        "    mo_ta: 'Hình vẽ ví dụ, không phải ảnh chụp: đường thôn còn rác hai bên, trước buổi ra quân'\n", "", 1)},
        where=RESULT, line=f"- tep: {KNOWN}", words="chưa có mô tả"),
    "empty-description": Case("A001", {RESULT: lambda t: t.replace(
        "mo_ta: 'Hình vẽ ví dụ, không phải ảnh chụp: đường thôn còn rác hai bên, trước buổi ra quân'", 'mo_ta: ""', 1)},
        where=RESULT, line='mo_ta: ""', words="chưa có mô tả"),
    "file-name-as-description": Case("A002", add_photo("anh-20.jpg", plain_jpeg(1600, 1200), "IMG_2041.jpg"),
                                     where=RESULT, line="mo_ta: IMG_2041.jpg", words="chưa nói ảnh có gì"),
    "word-photo-as-description": Case("A002", add_photo("anh-21.jpg", plain_jpeg(1600, 1200), "Hình ảnh 3"),
                                      where=RESULT, line="mo_ta: Hình ảnh 3", words="chưa nói ảnh có gì"),
    "missing-file": Case("A003", {RESULT: lambda t: t + _entry("khong-co.jpg")}, where=RESULT, line="tep: khong-co.jpg",
                         words="Không có tệp ảnh «materials/anh/gung-re/2023-03-04/khong-co.jpg»"),
    "unreferenced-file": Case("A004", {f"{FOLDER}/thua.jpg": plain_jpeg(1600, 1200)}, where=f"{FOLDER}/thua.jpg",
                              words="không có trong kết quả hay kế hoạch nào"),
    "png-named-jpg": Case("A005", add_photo("anh-22.jpg", png_bytes()), where=f"{FOLDER}/anh-22.jpg", words="là ảnh PNG"),
    "heic-named-jpg": Case("A005", add_photo("anh-23.jpg", heic_like()), where=f"{FOLDER}/anh-23.jpg", words="HEIC"),
    "over-a-megabyte": Case("A006", add_photo("anh-24.jpg", plain_jpeg(1600, 1200, quality=97, noise=True)),
                            where=f"{FOLDER}/anh-24.jpg", words="quá giới hạn 1,0 MB"),
    "decompression-bomb": Case("A007", add_photo("anh-25.jpg", jpeg_claiming(60000, 60000)), where=f"{FOLDER}/anh-25.jpg",
                               words="60000 × 60000 điểm ảnh"),
    "gps-position": Case("A008", add_photo("anh-26.jpg", phone_photo(1600, 1200, orientation=1)),
                         where=f"{FOLDER}/anh-26.jpg", words="còn vị trí GPS"),
    "gps-in-a-docs-image": docs_picture("A008", "buoi-lam.jpg", phone_photo(800, 600), "còn vị trí GPS"),
    # Pictures of docs/ are held to an allow-list (published.py): metadata in
    # any form, and anything else a plain picture does not need.
    "gps-after-junk-in-a-docs-image": docs_picture("A008", "rac.jpg", hostile.jpeg_exif_after_junk(), "còn vị trí GPS"),
    "xmp-null-in-a-docs-image": docs_picture("A009", "xmp.jpg", hostile.jpeg_xmp_null(), "XMP"),
    "raw-xmp-in-a-docs-png": docs_picture("A008", "raw.png", hostile.png_raw_profile_xmp(), "còn vị trí GPS"),
    "xmp-in-a-docs-gif": docs_picture("A008", "dong.gif", hostile.gif_xmp_gps(), "còn vị trí GPS"),
    "unknown-segment-in-a-docs-image": docs_picture("A016", "app9.jpg", hostile.jpeg_unknown_app(), "«APP9»"),
    "unknown-chunk-in-a-docs-png": docs_picture("A016", "vpag.png", hostile.png_unknown_chunk(), "«vpAg»"),
    "thousands-of-scans": Case("A017", add_photo("anh-32.jpg", hostile.many_scans(3000)), where=f"{FOLDER}/anh-32.jpg",
                               words="3010 lượt quét"),
    "camera-and-comment": Case("A009", add_photo("anh-27.jpg", phone_photo(1600, 1200, orientation=1, gps=False, comment=True)),
                               where=f"{FOLDER}/anh-27.jpg", words="lời ghi chú"),
    "not-resized": Case("A010", add_photo("anh-28.jpg", plain_jpeg(2400, 1800)), where=f"{FOLDER}/anh-28.jpg",
                        words="lớn hơn 1600 điểm ảnh chiều dài"),
    "truncated": Case("A011", add_photo("anh-29.jpg", plain_jpeg(1600, 1200, noise=True)[:40_000]),
                      where=f"{FOLDER}/anh-29.jpg", words="cắt cụt"),
    "path-in-file-name": Case("A012", {RESULT: lambda t: t + _entry("../../ke-hoach/gung-re/2023-03-04.yml")},
                              where=RESULT, line="tep: ../../", words="không đúng quy ước"),
    "stray-file-name": Case("A012", {f"{FOLDER}/IMG 2041.JPG": plain_jpeg(1600, 1200)}, where=f"{FOLDER}/IMG 2041.JPG",
                            words="không đúng quy ước"),
    "listed-twice": Case("A013", {RESULT: lambda t: t + _entry(KNOWN)}, where=RESULT, line=f"  - tep: {KNOWN}\n    mo_ta: Đoàn",
                         words="đã có ở materials/ket-qua/gung-re/2023-03-04.yml, dòng"),
    "lfs-pointer": Case("A014", add_photo("anh-30.jpg", lfs_pointer()), where=f"{FOLDER}/anh-30.jpg", words="con trỏ Git LFS"),
    "thumbnail": Case("A015", add_photo("anh-31.jpg", plain_jpeg(480, 360)), where=f"{FOLDER}/anh-31.jpg",
                      words="nhỏ hơn 640 điểm ảnh"),
}


@pytest.fixture(scope="module")
def scratch_repo(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("photo-rules") / "repo", warm=False)  # checked, never built


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--root", str(root), "check"])
    return code, out.getvalue() + err.getvalue()


@contextlib.contextmanager
def planted(root: Path, files: dict):
    saved = {}
    try:
        for rel, change in files.items():
            path = root / rel
            saved[rel] = path.read_bytes() if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(change):
                path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                path.write_bytes(change)
        yield
    finally:
        for rel, old in saved.items():
            if old is None:
                (root / rel).unlink(missing_ok=True)
            else:
                (root / rel).write_bytes(old)


@pytest.mark.parametrize("name", sorted(PHOTO_RULE_CASES))
def test_photo_rule_is_reported_with_its_id_place_and_fix(scratch_repo, name):
    case = PHOTO_RULE_CASES[name]
    with planted(scratch_repo, case.files):
        text = (scratch_repo / case.where).read_text(encoding="utf-8") if case.line else ""
        code, output = _check(scratch_repo)
    assert code == 1, output
    assert "Traceback" not in output
    mine = [line for line in output.splitlines() if f"[{case.rule}]" in line]
    assert mine, output
    assert any(case.words in line for line in mine), (case.words, mine)
    where = case.where
    if case.line is not None:
        line = text[: text.index(case.line)].count("\n") + 1 + case.line[: len(case.line) - len(case.line.lstrip("\n"))].count("\n")
        where = f"{case.where}:{line}"
    assert any(shown.startswith(f"{where}: [{case.rule}]") for shown in mine), (where, mine)
    block = output[output.index(mine[0]):]
    assert "Cách sửa:" in block.splitlines()[1]


def test_scratch_repository_is_clean_again(scratch_repo):
    code, output = _check(scratch_repo)
    assert code == 0, output


def test_a_bomb_in_the_repository_is_never_decoded(scratch_repo, monkeypatch):
    """The check reads headers only: Pillow is never asked to open a photo."""
    import PIL.Image

    def refuse(*args, **kwargs):
        raise AssertionError("the check decoded an image")

    monkeypatch.setattr(PIL.Image, "open", refuse)
    with planted(scratch_repo, add_photo("anh-32.jpg", jpeg_claiming(65000, 65000))):
        code, output = _check(scratch_repo)
    assert code == 1 and "[A007]" in output and "Traceback" not in output

"""Input files: one reader (inputfile.read_input) for every file people send
in: regular files only, never more than the limit + 1 bytes; the inbox of
``ntm nhap-excel``; the table of ``ntm them-anh``; what reaches calendars.

Each hostile case runs under a timeout and (for unbounded reads) an
address-space limit, so a regression fails instead of eating the machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import time
from pathlib import Path

import pytest

import hostile_files_support as hostile
from conftest import BIN, copy_repo
from nongthonmoi import cli
from nongthonmoi.inputfile import LINK, SPECIAL, NotReadable, read_input
from nongthonmoi.photos.header import read_header
from nongthonmoi.photos.ingest import IngestError, read_table
from nongthonmoi.photos.normalise import PhotoRefused, normalise_photo
from nongthonmoi.saturday.ics import escape_text

MEMORY = 1_500_000_000  # bytes of address space for a child that must not read without bound


def _limited(args: list[str], cwd: Path, timeout: int = 60) -> subprocess.CompletedProcess:
    """A command in a child limited to MEMORY of address space and ``timeout`` seconds."""
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


# --- the reader itself --------------------------------------------------------------------


def test_the_reader_reads_a_regular_file_up_to_the_limit_plus_one(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 100)
    assert read_input(path, 1000) == b"x" * 100
    assert read_input(path, 10) == b"x" * 11  # the caller sees "over the limit" without reading the rest


def test_the_reader_never_follows_a_link_nor_opens_a_device_or_fifo(tmp_path):
    target = tmp_path / "secret.txt"
    target.write_text("bí mật")
    (tmp_path / "link.png").symlink_to(target)
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.md")
    for name, reason in (("link.png", LINK), ("zero.xlsx", LINK), ("fifo.md", SPECIAL)):
        started = time.monotonic()
        with pytest.raises(NotReadable) as refused:
            read_input(tmp_path / name, 1000)
        assert refused.value.reason == reason
        assert time.monotonic() - started < 2  # a FIFO is never waited for
    with pytest.raises(NotReadable) as refused:
        read_input("/dev/zero", 1000)  # a device named directly
    assert refused.value.reason == SPECIAL


# --- docs/ and materials/ -------------------------------------------------------------------


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--root", str(root), "check"])
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def checked_repo(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("input-files") / "repo", warm=False)


def test_a_fifo_or_a_link_to_a_device_in_docs_is_named_never_read(checked_repo):
    """A link named like a picture or a page to /dev/zero, FIFOs named like a
    picture, a page and a data file: P016 and P017 for each, in a child with
    bounded memory that finishes (before: MemoryError, or a hang)."""
    planted = {
        "docs/z.png": lambda p: p.symlink_to("/dev/zero"),
        "docs/z.md": lambda p: p.symlink_to("/dev/zero"),
        "docs/f.png": os.mkfifo,
        "docs/f.md": os.mkfifo,
        "materials/f.yml": os.mkfifo,
    }
    try:
        for rel, make in planted.items():
            make(checked_repo / rel)
        result = _limited([str(BIN / "ntm"), "--root", str(checked_repo), "check"], checked_repo, timeout=240)
    finally:
        for rel in planted:
            (checked_repo / rel).unlink()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "MemoryError" not in output
    for rel in planted:
        rule = "P016" if rel.startswith("docs/z") else "P017"
        assert f"{rel}: [{rule}]" in output, (rel, output)


# --- the inbox of ntm nhap-excel --------------------------------------------------------------


def test_the_inbox_skips_folders_and_excel_lock_files_and_refuses_links(checked_repo, tmp_path):
    inbox = tmp_path / "nhap-excel"
    inbox.mkdir()
    (inbox / "Zalo").mkdir()
    (inbox / "~$ke hoach.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 150)  # Excel's owner file
    (inbox / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(inbox / "ong.xlsx")
    report = tmp_path / "bao-cao.md"
    result = _limited([str(BIN / "ntm"), "--root", str(checked_repo), "nhap-excel", "--chi-kiem-tra", "--thu-muc", str(inbox),
                       "--bao-cao", str(report)], checked_repo)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output
    assert "Zalo: bỏ qua thư mục" in result.stdout
    assert "~$ke hoach.xlsx: bỏ qua, đây là tệp tạm Excel tạo ra khi bảng tính «ke hoach.xlsx» đang mở" in result.stdout
    assert "zero.xlsx: [W009] Không đọc được tệp: đây là liên kết tượng trưng (symlink), không phải tệp thật." in result.stderr
    assert "ong.xlsx: [W009] Không đọc được tệp: đây không phải tệp thường" in result.stderr
    assert "2/2 tệp có lỗi" in result.stderr  # the folder and the lock file are no failures
    assert "tệp tạm Excel" in report.read_text(encoding="utf-8")


def test_operating_system_errors_are_said_in_vietnamese(checked_repo, tmp_path):
    (tmp_path / "thu-muc.xlsx").mkdir()
    result = _limited([str(BIN / "ntm"), "--root", str(checked_repo), "nhap-excel", "--chi-kiem-tra",
                       str(tmp_path / "khong-co.xlsx"), str(tmp_path / "thu-muc.xlsx")], checked_repo)
    assert "khong-co.xlsx: [W009] Không đọc được tệp: không có tệp này." in result.stderr
    assert "thu-muc.xlsx: [W009] Không đọc được tệp: đây là thư mục, không phải tệp." in result.stderr
    assert "No such file" not in result.stderr and "Is a directory" not in result.stderr


def test_ci_import_is_not_hurt_by_a_link_in_the_inbox(tmp_path):
    """.ci/nhap-excel with only a link to /dev/zero waiting: the import runs
    (the guard counts any entry that is no folder), refuses the link, and
    stays bounded."""
    repo = copy_repo(tmp_path / "repo", warm=False)
    inbox = repo / "materials" / "nhap-excel"
    inbox.mkdir(exist_ok=True)
    (inbox / "b.xlsx").symlink_to("/dev/zero")
    env = {**os.environ, "NTM_DEFAULT": "true", "NTM_REPORT": str(tmp_path / "report.md")}
    (repo / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    result = subprocess.run(["bash", ".ci/nhap-excel"], cwd=repo, env=env, capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS, (MEMORY, MEMORY)))
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "b.xlsx" in report and "liên kết tượng trưng" in report, (result.stdout, result.stderr, report)
    assert "Traceback" not in result.stdout + result.stderr


# --- ntm them-anh ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, words", [
    ("thua-cot.csv", "tep,mo_ta\nanh1.jpg,Đoàn viên dọn rác ở đầu thôn,thừa một cột\n",
     "thua-cot.csv, dòng 2: có 3 ô, nhiều hơn 2 cột của dòng tiêu đề. Có dấu phẩy trong mô tả?"),
    ("thieu-cot.csv", "tep,mo_ta,thon\nanh1.jpg,Đoàn viên dọn rác\n", "thieu-cot.csv, dòng 2: có 2 ô, ít hơn 3 cột"),
    ("o-dai.csv", "tep,mo_ta\nanh1.jpg," + "x" * 140_000 + "\n", "o-dai.csv, dòng 2: một ô dài quá giới hạn 2.000 ký tự"),
    ("o-kha-dai.csv", "tep,mo_ta\nanh1.jpg," + "x" * 5_000 + "\n", "o-kha-dai.csv, dòng 2: một ô dài 5.000 ký tự"),
    ("lon.csv", "tep,mo_ta\n" + "a.jpg,b\n" * 200_000, "lon.csv: bảng lớn hơn 1,0 MB"),
])
def test_a_bad_photo_table_is_named_with_its_line_not_a_traceback(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        read_table(path)
    assert words in str(refused.value)


def test_a_photo_table_that_is_a_link_is_not_read(tmp_path):
    (tmp_path / "thong-tin.csv").symlink_to("/dev/zero")
    with pytest.raises(IngestError, match="liên kết tượng trưng"):
        read_table(tmp_path / "thong-tin.csv")


def test_a_progressive_jpeg_with_thousands_of_scans_is_refused_before_decoding():
    data = hostile.many_scans(6000)
    assert read_header(data).scans == 6010
    started = time.monotonic()
    with pytest.raises(PhotoRefused) as refused:
        normalise_photo(data, "zalo-anh.jpg")
    assert refused.value.error.rule == "A017"
    assert time.monotonic() - started < 2  # the header only; decoding it takes minutes
    normalise_photo(hostile.many_scans(0, size=800), "binh-thuong.jpg")  # an ordinary progressive JPEG still passes


# --- calendars -------------------------------------------------------------------------------


def test_no_control_character_reaches_a_calendar_line():
    text = escape_text("Vệ sinh khu dân cư\rEND:VEVENT\rBEGIN:VEVENT\r\nSUMMARY:Họp\x0bkhẩn\x00")
    assert "\r" not in text and "\x0b" not in text and "\x00" not in text
    assert text == "Vệ sinh khu dân cư\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Họpkhẩn"


# --- pictures of docs/: the allow-list, part by part ------------------------------------------

PICTURES = {  # name -> (bytes, the rules published_problems must give)
    "plain JPEG": (hostile._jpeg(), []),
    "progressive JPEG": (hostile._jpeg(progressive=True), []),
    "JPEG with Adobe's colour segment": (hostile.jpeg_adobe(), []),
    "JPEG with a JFXX thumbnail": (hostile.jpeg_with_thumbnail(), ["A016"]),
    "JPEG, EXIF after junk": (hostile.jpeg_exif_after_junk(), ["A008", "A009"]),
    "JPEG, XMP\\0 APP1": (hostile.jpeg_xmp_null(), ["A008", "A009"]),
    "JPEG, unknown APP9": (hostile.jpeg_unknown_app(), ["A016"]),
    "plain PNG": (hostile._png(), []),
    "PNG, tEXt comment": (hostile.png_with_text(), ["A009"]),
    "PNG, Raw profile type xmp": (hostile.png_raw_profile_xmp(), ["A008", "A009"]),
    "PNG, zTXt XMP": (hostile.png_ztxt_xmp(), ["A008", "A009"]),
    "PNG, unknown chunk": (hostile.png_unknown_chunk(), ["A016"]),
    "PNG, a page after IEND": (hostile.png_after_end(), ["A009"]),
    "WebP with EXIF GPS": (hostile.webp_with_exif(), ["A008", "A009"]),
    "plain GIF": (hostile._gif(), []),
    "animated GIF (loop block)": (hostile.animated_gif(), []),
    "GIF, comment": (hostile.gif_comment(), ["A009"]),
    "GIF, XMP block with GPS": (hostile.gif_xmp_gps(), ["A008", "A009"]),
    "GIF, unknown application block": (hostile.gif_with_block(b"\x21\xff\x0bEXAMPLE1.00\x03abc\x00"), ["A016"]),
    "GIF, plain-text block": (hostile.gif_with_block(b"\x21\x01\x0c" + b"\x00" * 12 + b"\x03abc\x00"), ["A016"]),
    "GIF cut short": (hostile._gif()[:-5], ["A011"]),
    "HTML named .png": (b"<!doctype html><script>alert(1)</script>", ["A016"]),
    "JPEG with 100 scans": (hostile.many_scans(100), ["A017"]),
}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_a_picture_of_docs_holds_only_what_a_plain_picture_needs(name):
    from nongthonmoi.photos.published import published_problems

    data, expected = PICTURES[name]
    assert sorted(rule for rule, _ in published_problems(read_header(data))) == expected

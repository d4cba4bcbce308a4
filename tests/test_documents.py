"""Documents of docs/ (photos/documents.py): a PDF or Office file is
published as it is, so what readers do not see in it (the pictures' position
and camera data, the author in the file's properties) is refused like the
metadata of a picture; a file whose bytes are not what its name says is
refused too. Everything is read within fixed limits."""

from __future__ import annotations

import io
import zipfile

import pytest

import hostile_files_support as hostile
from nongthonmoi.photos.documents import PUBLISHER, document_problems


def rules_of(name: str, data: bytes) -> dict:
    return dict(document_problems(name, data))


def test_a_plain_document_passes():
    assert rules_of("mau.docx", hostile.docx_with(hostile._jpeg())) == {}
    assert rules_of("mau.pdf", hostile.pdf_with(hostile._jpeg())) == {}
    utf16 = b"<FEFF" + PUBLISHER.encode("utf-16-be").hex().upper().encode() + b">"
    assert rules_of("mau.pdf", hostile.pdf_with(author=utf16)) == {}  # the Board's own name is no person's
    assert rules_of("bang.csv", "Xã;Số hộ\nGung Ré;120\n".encode()) == {}


@pytest.mark.parametrize("data", [
    hostile.docx_with(hostile.jpeg_with_gps()),
    hostile.pdf_with(hostile.jpeg_with_gps()),
    hostile.pdf_with(hostile.jpeg_exif_after_junk()),
], ids=["word", "pdf", "pdf-exif-after-junk"])
def test_a_phone_photo_inside_is_named_with_its_position(data):
    name = "mau.docx" if data.startswith(b"PK") else "mau.pdf"
    found = rules_of(name, data)
    assert "vị trí GPS" in found["A019"]["kinds"] and "EXIF" in found["A019"]["kinds"]


@pytest.mark.parametrize("author, shown", [
    (b"(Nguyen Van A 0912345678)", "Nguyen Van A 0912345678"),
    (b"<FEFF004E0067007500791EC5006E002000560103006E00200041>", "Nguyễn Văn A"),
    (b"(Tr\\(a\\)n)", "Tr(a)n"),
])
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "object-stream"])
def test_the_author_of_a_pdf_is_named(author, shown, compressed):
    found = rules_of("mau.pdf", hostile.pdf_with(author=author, compressed=compressed))
    assert f"Tác giả: «{shown}»" in found["A020"]["fields"]


def test_the_author_of_an_office_file_and_its_xmp_are_named():
    found = rules_of("mau.docx", hostile.docx_with(creator="Nguyễn Văn A", last_editor="Trần Thị B &amp; C"))
    assert found["A020"]["fields"] == "Tác giả: «Nguyễn Văn A»; Người sửa cuối: «Trần Thị B & C»"
    xmp = hostile.pdf_with().replace(b"trailer", b"9 0 obj<</Type/Metadata>>stream\n<x:xmpmeta><dc:creator><rdf:Seq>"
                                                 b"<rdf:li>Le Van C</rdf:li></rdf:Seq></dc:creator></x:xmpmeta>\n"
                                                 b"endstream endobj\ntrailer")
    assert rules_of("mau.pdf", xmp)["A020"]["fields"] == "Tác giả: «Le Van C»"


@pytest.mark.parametrize("name, data", [
    ("mau.pdf", b"<!doctype html><script>alert(1)</script>"),
    ("mau.docx", b"PK\x03\x04 not a zip at all"),
    ("mau.xlsx", b"%PDF-1.4\n"),
    ("bang.csv", "Xã,Số hộ\nGung Ré,120\n".encode("utf-16")),
    ("ghi-chu.txt", b"abc\x00def"),
])
def test_bytes_that_are_not_what_the_name_says_are_refused(name, data):
    assert set(rules_of(name, data)) == {"A018"}


@pytest.mark.parametrize("name, size", [("word/media/image1.jpeg", 10_000_000), ("docProps/core.xml", 2_000_000)])
def test_a_part_past_the_limits_is_refused_not_skipped(name, size, monkeypatch):
    """Read up to the limit and no further (a zip's sizes may lie); what is
    not read could hold anything, so the file is refused."""
    from nongthonmoi.photos import documents

    monkeypatch.setattr(documents, "MAX_PICTURE", 5_000_000)  # 40 MB in use: the same path, less work
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as part:
            for _ in range(size // 1_000_000):  # zeros: ten megabytes pack into ten kilobytes
                part.write(b"\0" * 1_000_000)
    assert len(out.getvalue()) < 100_000
    assert "quá lớn, quá giới hạn kiểm tra" in rules_of("mau.docx", out.getvalue())["A018"]["detail"]


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused(monkeypatch):
    import zlib

    from nongthonmoi.photos import documents

    monkeypatch.setattr(documents, "MAX_READ", 10_000_000)  # the limit, smaller: the same path, a tenth of the work
    packed = zlib.compress(b"\0" * 25_000_000, 9)
    data = hostile.pdf_with().replace(b"trailer", b"9 0 obj<</Type/ObjStm/N 1/Filter/FlateDecode/Length %d>>\nstream\n" % len(packed)
                                      + packed + b"\nendstream endobj\ntrailer")
    assert "giải ra hơn 10 MB" in rules_of("mau.pdf", data)["A018"]["detail"]

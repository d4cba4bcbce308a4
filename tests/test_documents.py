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
    ("mau.pdf", b"<!doctype html><!-- %PDF-1.4 --><script>alert(1)</script>"),
    ("mau.docx", b"PK\x03\x04 not a zip at all"),
    ("mau.xlsx", b"%PDF-1.4\n"),
    ("bang.csv", "Xã,Số hộ\nGung Ré,120\n".encode("utf-16")),
    ("ghi-chu.txt", b"abc\x00def"),
])
def test_bytes_that_are_not_what_the_name_says_are_refused(name, data):
    assert set(rules_of(name, data)) == {"A018"}


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, content in members.items():
            if isinstance(content, int):  # that many megabytes of zeros, written as they pack
                with archive.open(name, "w", force_zip64=True) as part:
                    for _ in range(content):
                        part.write(b"\0" * 1_000_000)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_bomb_or_a_picture_past_the_limits_is_refused_not_skipped(monkeypatch):
    """Every part is read up to the limit and no further (a zip's sizes may
    lie); what is not read could hold anything, so the file is refused. The
    limits are set smaller here: the same path, a tenth of the work."""
    from nongthonmoi.photos import documents

    monkeypatch.setattr(documents, "MAX_READ", 8_000_000)
    monkeypatch.setattr(documents, "MAX_PICTURE", 2_000_000)
    bomb = _zip({"word/document.xml": 10})  # 10 MB of zeros in a few kilobytes
    assert len(bomb) < 100_000
    assert "giải nén ra hơn 8 MB" in rules_of("mau.docx", bomb)["A018"]["detail"]
    big_photo = _zip({"word/media/image1.jpeg": hostile._jpeg() + b"\0" * 3_000_000})
    assert "quá lớn" in rules_of("mau.docx", big_photo)["A018"]["detail"]


@pytest.mark.parametrize("members, words", [
    ({"word/media/image1.jfif": None}, "vị trí GPS"),  # a photo by any name
    ({"word/media/anh.bin": None}, "vị trí GPS"),
    ({"docProps/core.xml": '<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator><![CDATA[Nguyễn Văn A]]></dc:creator>'
                           "</cp:coreProperties>"}, "Tác giả: «Nguyễn Văn A»"),
    ({"docProps/core.xml": '<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator><!-- x -->Nguyễn Văn A</dc:creator>'
                           "</cp:coreProperties>"}, "Tác giả: «Nguyễn Văn A»"),
    ({"khac/thuoc-tinh.xml": '<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><cp:lastModifiedBy>Trần B</cp:lastModifiedBy>'
                             "</cp:coreProperties>"}, "Người sửa cuối: «Trần B»"),
    ({"docProps/custom.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                             'xmlns:vt="v"><property name="Điện thoại"><vt:lpwstr>0912345678</vt:lpwstr></property>'
                             "</Properties>"}, "Thuộc tính riêng «Điện thoại»: «0912345678»"),
], ids=["jfif", "bin", "cdata", "comment", "moved-part", "custom-property"])
def test_what_an_office_file_hides_is_found_however_it_is_stored(members, words):
    members = {name: hostile.jpeg_with_gps() if content is None else content for name, content in members.items()}
    found = rules_of("mau.docx", _zip({"word/document.xml": "<w:document/>", **members}))
    assert any(words in str(params) for params in found.values()), found


def test_an_embedded_file_is_refused():
    """A workbook inside a Word file carries its own pictures and properties."""
    inner = hostile.docx_with(hostile.jpeg_with_gps())
    found = rules_of("mau.docx", _zip({"word/document.xml": "<w:document/>", "word/embeddings/bang.xlsx": inner}))
    assert "tệp nhúng bên trong" in found["A018"]["detail"]


@pytest.mark.parametrize("pdf", [
    hostile.pdf_with(author=b"(Nguyen Van A)").replace(b"/Author", b"/Au#74hor"),
    hostile.pdf_with(author=b" 9 0 R").replace(b"trailer", b"9 0 obj\n(Nguyen Van A)\nendobj\ntrailer"),
], ids=["name-escape", "indirect"])
def test_the_author_of_a_pdf_is_found_however_it_is_written(pdf):
    assert "Tác giả: «Nguyen Van A»" in rules_of("mau.pdf", pdf)["A020"]["fields"]


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused(monkeypatch):
    import zlib

    from nongthonmoi.photos import documents

    monkeypatch.setattr(documents, "MAX_READ", 10_000_000)  # the limit, smaller: the same path, a tenth of the work
    packed = zlib.compress(b"\0" * 25_000_000, 9)
    data = hostile.pdf_with().replace(b"trailer", b"9 0 obj<</Type/ObjStm/N 1/Filter/FlateDecode/Length %d>>\nstream\n" % len(packed)
                                      + packed + b"\nendstream endobj\ntrailer")
    assert "giải ra hơn 10 MB" in rules_of("mau.pdf", data)["A018"]["detail"]

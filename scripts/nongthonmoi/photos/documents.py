"""What a document of ``docs/`` (PDF, Word, Excel, PowerPoint, OpenDocument,
CSV, text) may hold: it is published as it is, like a picture (published.py).

    bytes ──> kind from the first bytes ── not the kind its name says ──> A018
          ├─> pictures inside (Office and OpenDocument files: the pictures of
          │   the zip; PDF: each JPEG stream) ── GPS, EXIF, XMP... ──> A019
          └─> the file's properties (author, last editor, company, manager;
              PDF: /Author and XMP dc:creator) ── a name in them ──> A020

A phone photo pasted into Word or printed to PDF keeps its position and
camera data, and the file's properties hold the name of whoever made it:
readers see neither, anyone who downloads the file can read both. Old
binary Office formats (.doc, .xls, .ppt) cannot be looked into this way:
they are not on the list of files the site publishes (P015).

Everything is read within limits fixed before the work: the entries of a
zip, the bytes of each picture, the streams of a PDF.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO

from .header import read_header

OFFICE_ZIPS = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
TEXTS = (".csv", ".txt")
DOCUMENTS = (".pdf", *OFFICE_ZIPS, *TEXTS)
KIND_NAMES = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint", ".odt": "OpenDocument",
              ".ods": "OpenDocument", ".odp": "OpenDocument", ".csv": "CSV (chữ UTF-8)", ".txt": "chữ (UTF-8)"}

# The Board's own name, which its files (the workbooks the site publishes:
# workbooks/book.py) carry as author: not a person's.
PUBLISHER = "Ban Tuyên giáo Huyện ủy Di Linh"

MAX_ENTRIES = 5_000  # entries of an Office zip looked at
MAX_PICTURE = 40_000_000  # bytes of one picture inside
MAX_READ = 200_000_000  # bytes read out of one zip, or inflated out of one PDF
MAX_PICTURES = 1_000  # pictures of one document looked into
MAX_PROPERTIES = 1_000_000  # bytes of a properties part
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")

_PERSONAL = {
    "EXIF": "thông tin máy ảnh, ngày giờ chụp (EXIF)", "XMP": "XMP", "IPTC": "IPTC", "COM": "lời ghi chú",
    "MPF": "ảnh thứ hai giấu trong ảnh", "TRAILER": "dữ liệu sau hình",
}
# Office Open XML and OpenDocument properties that name a person or an office.
_PROPERTY_TAGS = {
    "creator": "Tác giả", "lastModifiedBy": "Người sửa cuối", "Company": "Cơ quan", "Manager": "Người quản lý",
    "initial-creator": "Tác giả",
}
_PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "meta.xml")
_XML_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(" + "|".join(_PROPERTY_TAGS).encode() + rb")\b[^>]*>([^<]*)<", re.S)
_PDF_AUTHOR = re.compile(rb"/Author\s*(\((?:\\.|[^\\)]){0,2000}\)|<[0-9A-Fa-f\s]{0,4000}>)", re.S)
_XMP_CREATOR = re.compile(rb"<dc:creator>(.{0,4000}?)</dc:creator>", re.S)
_XMP_ITEM = re.compile(rb"<rdf:li[^>]*>([^<]+)</rdf:li>")
# The end of a stream's dictionary; the streams inflated are those that can
# hold what the check looks for: object streams (the document information of
# PDF 1.5), XMP metadata, and JPEGs packed once more (Flate before DCT).
_PDF_STREAM = re.compile(rb">>\s*stream\r?\n")
_INFLATED = (b"/ObjStm", b"/Metadata", b"/DCTDecode")


def document_problems(name: str, data: bytes) -> list[tuple[str, dict]]:
    """(rule id, parameters) for each way the document ``name`` with these
    bytes is not fit to publish; [] when it is."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in DOCUMENTS:
        return []
    damaged = ("A018", {"detail": f"không phải tệp {KIND_NAMES[suffix]} như đuôi tên tệp nói, hoặc tệp đã hỏng"})
    if not _is_kind(suffix, data):
        return [damaged]
    if suffix in TEXTS:
        return []
    try:
        pictures, properties = _zip_parts(data) if suffix in OFFICE_ZIPS else _pdf_parts(data)
    except _TooLarge as exc:
        return [("A018", {"detail": f"có {exc}, quá giới hạn kiểm tra"})]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError, ValueError,
            zlib.error):
        return [damaged]
    problems = []
    found: set[str] = set()
    for picture in pictures:
        header = read_header(picture)
        found |= ({"GPS"} if header.location else set()) | (header.personal - {"TRAILER"})  # a JPEG in a PDF ends before it
    if found:
        kinds = (["vị trí GPS"] if "GPS" in found else []) + sorted(_PERSONAL[k] for k in found - {"GPS"})
        problems.append(("A019", {"kinds": ", ".join(kinds)}))
    properties = [(label, value) for label, value in dict.fromkeys(properties) if value != PUBLISHER]
    if properties:
        problems.append(("A020", {"fields": "; ".join(f"{label}: «{value}»" for label, value in properties)}))
    return problems


class _TooLarge(Exception):
    """A part the limits do not let the check read: refused, never skipped
    (what is not read could hold anything)."""


def _is_kind(suffix: str, data: bytes) -> bool:
    if suffix == ".pdf":
        return b"%PDF-" in data[:1024]
    if suffix in OFFICE_ZIPS:
        return data.startswith(b"PK\x03\x04")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def _zip_parts(data: bytes) -> tuple[list[bytes], list[tuple[str, str]]]:
    pictures, properties, budget = [], [], MAX_READ
    with zipfile.ZipFile(BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _TooLarge(f"hơn {MAX_ENTRIES} phần")
        for info in entries:
            name = info.filename
            picture = name.lower().endswith(PICTURE_SUFFIXES)
            if not picture and name not in _PROPERTY_PARTS:
                continue
            limit = min(MAX_PICTURE if picture else MAX_PROPERTIES, budget)
            if len(pictures) >= MAX_PICTURES:
                raise _TooLarge(f"hơn {MAX_PICTURES} ảnh")
            with archive.open(info) as part:
                content = part.read(limit + 1)  # the size a zip declares may lie: read, never trusted
            budget -= len(content)
            if len(content) > limit:
                raise _TooLarge(f"phần «{_shown(name)}» quá lớn")
            if picture:
                pictures.append(content)
            else:
                properties += _xml_properties(content)
    return pictures, properties


def _xml_properties(content: bytes) -> list[tuple[str, str]]:
    import html

    found = []
    for tag, value in _XML_ELEMENT.findall(content):
        text = _shown(html.unescape(value.decode("utf-8", "replace")))
        if text:
            found.append((_PROPERTY_TAGS[tag.decode()], text))
    return found


def _pdf_parts(data: bytes) -> tuple[list[bytes], list[tuple[str, str]]]:
    """Each JPEG stream of the PDF (a JPEG in a PDF is its file, EXIF and
    all), and the author in the document's information and XMP, also inside
    compressed object streams."""
    texts = [data]
    budget = MAX_READ
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 600):match.start()]
        head = head[head.rfind(b" obj"):]  # this stream's own dictionary
        if b"/FlateDecode" not in head or not any(kind in head for kind in _INFLATED):
            continue  # pixels or page drawing: no metadata there, and often large
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end():match.end() + MAX_READ], budget + 1)
        except zlib.error:
            continue  # not a stream this check can read: neither can a reader
        budget -= len(chunk)
        if budget < 0:
            raise _TooLarge(f"dữ liệu nén giải ra hơn {MAX_READ // 1_000_000} MB")
        texts.append(chunk)
    pictures = []
    for text in texts:
        at = text.find(b"\xff\xd8\xff")
        while at >= 0:
            if len(pictures) >= MAX_PICTURES:
                raise _TooLarge(f"hơn {MAX_PICTURES} ảnh")
            end = text.find(b"endstream", at)
            pictures.append(text[at:end if end > 0 else at + MAX_PICTURE][:MAX_PICTURE])
            at = text.find(b"\xff\xd8\xff", at + 3)
    properties = []
    for text in texts:
        for value in _PDF_AUTHOR.findall(text):
            shown = _shown(_pdf_string(value))
            if shown:
                properties.append(("Tác giả", shown))
        for creator in _XMP_CREATOR.findall(text):
            for item in _XMP_ITEM.findall(creator):
                shown = _shown(item.decode("utf-8", "replace"))
                if shown:
                    properties.append(("Tác giả", shown))
    return pictures, list(dict.fromkeys(properties))


def _pdf_string(value: bytes) -> str:
    if value.startswith(b"<"):
        digits = re.sub(rb"\s", b"", value[1:-1]).decode("ascii")
        raw = bytes.fromhex(digits + "0" * (len(digits) % 2))
    else:
        raw = re.sub(rb"\\([()\\])", rb"\1", value[1:-1])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _shown(text: str) -> str:
    """A property's value as the check prints it: printable, short."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= 60 else text[:57] + "..."

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

_PERSONAL = {
    "EXIF": "thông tin máy ảnh, ngày giờ chụp (EXIF)", "XMP": "XMP", "IPTC": "IPTC", "COM": "lời ghi chú",
    "MPF": "ảnh thứ hai giấu trong ảnh", "TRAILER": "dữ liệu sau hình",
}
# Office Open XML and OpenDocument properties that name a person or an office.
_PROPERTY_TAGS = {
    "creator": "Tác giả", "lastModifiedBy": "Người sửa cuối", "Company": "Cơ quan", "Manager": "Người quản lý",
    "initial-creator": "Tác giả",
}
_PDF_AUTHOR = re.compile(rb"/Author\s*(\((?:\\.|[^\\)]){0,2000}\)|<[0-9A-Fa-f\s]{0,4000}>)", re.S)
_PDF_AUTHOR_REF = re.compile(rb"/Author\s*(\d{1,10})\s+(\d{1,5})\s+R")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
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
        return data.lstrip(b"\x00\t\n\r\x0c ").startswith(b"%PDF-")  # what Word and LibreOffice write: no «%PDF-» in an HTML comment
    if suffix in OFFICE_ZIPS:
        return data.startswith(b"PK\x03\x04")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


# The first bytes of the pictures a document can carry, whatever their name
# (.jfif, .bin...).
_PICTURE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")
# An object embedded in the document (a workbook in a Word file, a packed
# Office file, an OLE object): its own pictures and properties would need a
# check of their own, so it is refused rather than skipped.
_EMBEDDED_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_CHUNK = 1 << 20


def _is_picture(content: bytes) -> bool:
    return content.startswith(_PICTURE_MAGIC) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")


def _zip_parts(data: bytes) -> tuple[list[bytes], list[tuple[str, str]]]:
    """Every entry is read, within a budget (a zip's declared sizes may lie:
    a bomb is found by reading it, not by asking it); pictures are known by
    their first bytes, properties by their element names in any XML part."""
    pictures, properties, budget = [], [], MAX_READ
    with zipfile.ZipFile(BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _TooLarge(f"hơn {MAX_ENTRIES} phần")
        for info in entries:
            if info.is_dir():
                continue
            name = info.filename
            chunks, size = [], 0
            with archive.open(info) as part:
                while True:
                    chunk = part.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > budget:
                        raise _TooLarge(f"phần «{_shown(name)}» giải nén ra hơn {MAX_READ // 1_000_000} MB")
                    if size <= MAX_PICTURE:
                        chunks.append(chunk)
            budget -= size
            head = chunks[0][:16] if chunks else b""
            if head.startswith(_EMBEDDED_MAGIC) or "/embeddings/" in name.lower() or name.lower().startswith("object"):
                raise _TooLarge(f"tệp nhúng bên trong («{_shown(name)}»), không kiểm tra được")
            if _is_picture(head):
                if size > MAX_PICTURE:
                    raise _TooLarge(f"ảnh «{_shown(name)}» quá lớn")
                if len(pictures) >= MAX_PICTURES:
                    raise _TooLarge(f"hơn {MAX_PICTURES} ảnh")
                pictures.append(b"".join(chunks))
            elif name.lower().endswith((".xml", ".rels")) and size <= MAX_PICTURE:
                properties += _xml_properties(b"".join(chunks))
    return pictures, properties


def _xml_properties(content: bytes) -> list[tuple[str, str]]:
    """Author, last editor, company, manager (Office, OpenDocument) and every
    custom property, read as XML (comments, CDATA and entities as a reader
    reads them) in whatever part holds them."""
    from xml.etree.ElementTree import ParseError

    from defusedxml.ElementTree import fromstring

    if not any(tag.encode() in content for tag in (*_PROPERTY_TAGS, "custom-properties")):
        return []
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, ValueError) as exc:
        raise ValueError("properties") from exc  # a damaged part: A018
    found = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if local in _PROPERTY_TAGS:
            label = _PROPERTY_TAGS[local]
        elif "custom-properties" in tag and local == "property":
            label = f"Thuộc tính riêng «{_shown(element.get('name') or '')}»"
        else:
            continue
        text = _shown("".join(element.itertext()))
        if text:
            found.append((label, text))
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
    texts = [_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text) for text in texts]  # /Au#74hor is /Author
    for text in texts:
        for number, generation in _PDF_AUTHOR_REF.findall(text):
            target = re.compile(rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj\s*(\((?:\\.|[^\\)]){0,2000}\)|<[0-9A-Fa-f\s]{0,4000}>)")
            for other in texts:
                for value in target.findall(other):
                    shown = _shown(_pdf_string(value))
                    if shown:
                        properties.append(("Tác giả", shown))
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

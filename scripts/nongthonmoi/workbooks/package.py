"""A received file, checked as a zip of XML parts before openpyxl reads it.

An .xlsx file is a zip archive of XML parts, and openpyxl believes what the
parts say: one merge range ``A1:XFD1048576`` in a 9 KB file makes it create
17 billion cell objects, a hyperlink over a range does the same, and a part
that unpacks to a gigabyte is read whole into memory. So every file from a
commune goes through :func:`open_workbook`, which refuses, before openpyxl
sees the file:

- anything that is not a plain .xlsx (empty, too big, old .xls, password,
  .ods, not a zip) - as before;
- a zip whose parts are too many, unpack to too much in all, or one of which
  unpacks to far more than it weighs (a zip bomb: the ratio is checked for
  every part, not only the sheets);
- XML with a document type declaration, entities or external references
  (defusedxml: none of these are in a file Excel, LibreOffice or WPS write);
- a package whose content types name another part than /xl/workbook.xml
  as the workbook (openpyxl reads the workbook part the content types name,
  so this scan and openpyxl see the same sheets);
- a sheet with rows or cells past the limits of a form, a merge or a
  hyperlink covering more cells than a form has, or a ``<dimension>`` that
  claims rows past the limit. A sheet is any part whose root element is
  ``<worksheet>``, whether the workbook lists it or not.

The scan reads each part once, as a stream (SAX), so its memory does not grow
with the file, and it stops at the first limit passed. openpyxl itself then
parses with defusedxml too (it does when defusedxml is installed; checked).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser

from . import messages

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Office's encrypted .xlsx
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
# The content types openpyxl takes for the workbook part (openpyxl/reader/excel.py,
# _find_workbook_part): whichever part one of them names is read as the workbook.
WORKBOOK_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
})
WORKBOOK_PART = "/xl/workbook.xml"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass(frozen=True)
class Limits:
    """What a plan or result form can hold, with room to spare.

    A plan has at most 30 tasks of at most 100 list items each (the models'
    limits): about 3,000 rows. A filled form is 20-100 KB and unpacks to a
    few hundred KB. Measured worst case inside these limits (design doc,
    "Limits"): under 300 MB of memory and a few seconds.
    """

    max_bytes: int = 10 * 2**20  # the file as received (a pasted photo is the usual excess)
    max_parts: int = 300  # zip members
    max_unpacked: int = 20 * 2**20  # all parts, unpacked
    max_xml: int = 8 * 2**20  # XML parts, unpacked (a filled form: under 1 MB, re-saved by LibreOffice too)
    max_ratio: int = 100  # unpacked / packed, for a part over ratio_floor
    ratio_floor: int = 2**20
    max_elements: int = 400_000  # XML elements in all parts
    max_part_elements: int = 20_000  # in a part that is no sheet (styles, drawings...; a form's have hundreds)
    max_strings: int = 180_000  # elements of the shared strings (three a cell at most)
    max_row: int = 5_000  # last row a sheet may use
    max_cells: int = 60_000  # <c> elements in one sheet (formatted empty cells count)
    max_range_cells: int = 10_000  # cells covered by merges, and by hyperlinks, in one sheet


LIMITS = Limits()


class Refused(Exception):
    """A file the import does not open; ``error`` says why, in Vietnamese."""

    def __init__(self, error):
        super().__init__(error.message)
        self.error = error


def refuse(display: str, key: str, cell: str = "", **fill) -> Refused:
    return Refused(messages.error(key, display, 0, cell, **fill))


def size_text(count: int) -> str:
    if count >= 2**30:
        return f"{count / 2**30:.1f} GB"
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{max(1, round(count / 1024))} KB"


def _ref(text: str) -> tuple[int, int] | None:
    """«B17» -> (17, 2)."""
    match = _REF.match(text.strip())
    if not match:
        return None
    letters, row = match.groups()
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(row), col


def range_size(ref: str) -> tuple[int, int, int] | None:
    """«A1:C4» -> (cells covered, last row, last column); None if unreadable."""
    first, _, last = ref.strip().partition(":")
    start, end = _ref(first), _ref(last or first)
    if start is None or end is None:
        return None
    rows = abs(end[0] - start[0]) + 1
    cols = abs(end[1] - start[1]) + 1
    return rows * cols, max(start[0], end[0]), max(start[1], end[1])


class _Stop(Exception):
    """A limit passed inside a part: the scan stops there."""

    def __init__(self, refused: Refused):
        self.refused = refused


@dataclass
class _Budget:
    elements: int = 0


class _PartScan(ContentHandler):
    """Counts one part's elements; in a worksheet also rows, cells, ranges."""

    def __init__(self, display: str, sheet: str | None, limits: Limits, budget: _Budget, part: str = "",
                 cap: int | None = None):
        super().__init__()
        self.display, self.sheet, self.limits, self.budget = display, sheet, limits, budget
        self.part, self.cap, self.elements = part, cap, 0
        self.row = 0
        self.cells = 0
        self.merged = 0
        self.linked = 0
        self.sheet_names: list[tuple[str, str]] = []  # workbook.xml: (name, relationship id)
        self.targets: dict[str, str] = {}  # a .rels part: relationship id -> target
        self.overrides: list[tuple[str, str]] = []  # [Content_Types].xml: (part name, content type)
        self.defaults: list[tuple[str, str]] = []  # [Content_Types].xml: (extension, content type)

    def _stop(self, key: str, cell: str = "", **fill):
        raise _Stop(refuse(self.display, key, cell, **fill))

    def startElementNS(self, name, qname, attrs):  # noqa: N802 (SAX's name)
        self.budget.elements += 1
        self.elements += 1
        if self.budget.elements > self.limits.max_elements:
            self._stop("too-many-parts", detail=f"hơn {self.limits.max_elements:,} phần tử XML".replace(",", "."))
        if self.cap is not None and self.elements > self.cap:
            self._stop("too-many-parts", detail=f"phần «{self.part}» có hơn {self.cap:,} phần tử XML".replace(",", "."))
        uri, local = name
        if self.elements == 1 and local == "worksheet" and self.sheet is None and self.part != "xl/workbook.xml":
            # A worksheet, whatever names it (or does not): the sheet limits apply.
            self.sheet = self.part
        if uri == _CONTENT_TYPES:
            if local == "Override":
                self.overrides.append((attrs.get((None, "PartName"), ""), attrs.get((None, "ContentType"), "").strip()))
            elif local == "Default":
                self.defaults.append((attrs.get((None, "Extension"), ""), attrs.get((None, "ContentType"), "").strip()))
            return
        if uri == _PKG_REL and local == "Relationship":
            self.targets[attrs.get((None, "Id"), "")] = attrs.get((None, "Target"), "")
            return
        if uri != _MAIN:
            return
        if local == "sheet" and self.sheet is None:
            self.sheet_names.append((attrs.get((None, "name"), ""), attrs.get((_REL, "id"), "")))
            return
        if self.sheet is None:
            return
        if local == "row":
            number = attrs.get((None, "r"))
            self.row = int(number) if number and number.isdigit() else self.row + 1
            if self.row > self.limits.max_row:
                self._stop("too-many-rows", sheet=self.sheet, row=f"{self.row:,}".replace(",", "."), limit=f"{self.limits.max_row:,}".replace(",", "."))
        elif local == "c":
            self.cells += 1
            if self.cells > self.limits.max_cells:
                self._stop("too-many-cells", sheet=self.sheet, limit=f"{self.limits.max_cells:,}".replace(",", "."))
            where = _ref(attrs.get((None, "r"), "") or "")
            if where and where[0] > self.limits.max_row:
                self._stop("too-many-rows", sheet=self.sheet, row=f"{where[0]:,}".replace(",", "."), limit=f"{self.limits.max_row:,}".replace(",", "."))
        elif local == "dimension":
            ref = attrs.get((None, "ref"), "")
            size = range_size(ref)
            if size is not None and size[1] > self.limits.max_row:
                self._stop("dimension", sheet=self.sheet, range=ref, limit=f"{self.limits.max_row:,}".replace(",", "."))
        elif local in ("mergeCell", "hyperlink"):
            ref = attrs.get((None, "ref"), "")
            size = range_size(ref)
            covered = size[0] if size else 0
            if local == "mergeCell":
                self.merged += covered
                total = self.merged
            else:
                self.linked += covered
                total = self.linked
            if size is not None and (size[1] > self.limits.max_row or total > self.limits.max_range_cells):
                what = "gộp ô" if local == "mergeCell" else "liên kết"
                self._stop("big-range", sheet=self.sheet, range=ref, what=what,
                           count=f"{size[0]:,}".replace(",", "."), limit=f"{self.limits.max_range_cells:,}".replace(",", "."))


def _looks_like_xml(head: bytes) -> bool:
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(b"\xfe\xff\x00<")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, sheet: str | None,
               limits: Limits, budget: _Budget) -> _PartScan | None:
    """The part's counts; None for a part that is not XML (a picture, printer
    settings: openpyxl does not parse it as XML either)."""
    name = info.filename
    cap = None if sheet is not None or name in _READ_FIRST else \
        limits.max_strings if name.lower().endswith("sharedstrings.xml") else limits.max_part_elements
    handler = _PartScan(display, sheet, limits, budget, name, cap)
    with archive.open(info) as stream:
        if not _looks_like_xml(stream.read(16)):
            return None
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    with archive.open(info) as stream:
        try:
            while chunk := stream.read(1 << 16):
                parser.feed(chunk)
            parser.close()
        except _Stop as stop:
            raise stop.refused from None
        except DefusedXmlException:
            raise refuse(display, "xml-dtd", part=info.filename) from None
        except SAXException as exc:
            raise refuse(display, "broken", detail=f"phần {info.filename} không đúng XML") from exc
    return handler


@dataclass
class Package:
    """What the scan learnt of the file's parts (for messages and tests)."""

    parts: int = 0
    unpacked: int = 0
    elements: int = 0
    sheets: dict[str, str] = field(default_factory=dict)  # part name -> sheet name


_READ_FIRST = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _check_workbook_part(archive: zipfile.ZipFile, display: str, limits: Limits, budget: _Budget) -> None:
    """The workbook part is the one openpyxl will read: the part the content
    types name as the workbook must be /xl/workbook.xml (whose sheets this
    scan knows), and no other part may be named so."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise refuse(display, "broken", detail="thiếu danh mục thành phần [Content_Types].xml") from None
    types = _scan_part(archive, info, display, None, limits, budget)
    if types is None:
        raise refuse(display, "broken", detail="danh mục thành phần [Content_Types].xml không phải XML")
    named = {part for part, kind in types.overrides if kind in WORKBOOK_TYPES}
    by_default = [ext for ext, kind in types.defaults if kind in WORKBOOK_TYPES]
    if named - {WORKBOOK_PART} or (not named and not by_default):
        others = ", ".join(sorted(named - {WORKBOOK_PART})) or "không có"
        raise refuse(display, "broken", detail=f"danh mục thành phần chỉ phần sổ làm việc là «{others}», "
                                               f"không phải «{WORKBOOK_PART}»")


def _sheet_parts(archive: zipfile.ZipFile, display: str, limits: Limits, budget: _Budget) -> dict[str, str]:
    """Worksheet part -> its sheet name, from xl/workbook.xml and its relationships."""
    book = _scan_part(archive, archive.getinfo("xl/workbook.xml"), display, None, limits, budget)
    try:
        rels = _scan_part(archive, archive.getinfo("xl/_rels/workbook.xml.rels"), display, None, limits, budget)
    except KeyError:
        return {}
    if book is None or rels is None:
        return {}
    parts = {}
    for name, rel_id in book.sheet_names:
        target = rels.targets.get(rel_id, "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts[_normal_path(path)] = name
    return parts


def _normal_path(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part == "..":
            out = out[:-1]
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


def _csv_separator(content: bytes) -> str:
    """«;» or «,» (or tab) when the file is text whose lines are cells split by
    it (Excel's «Save as CSV», in Vietnamese settings with «;»); "" otherwise."""
    head = content[:4096]
    if b"\0" in head:
        return ""
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return ""
    lines = [line for line in text.splitlines()[:10] if line.strip()]
    if len(lines) < 2:
        return ""
    for separator in (";", "\t", ","):
        if all(separator in line for line in lines[:-1] or lines):
            return "Tab" if separator == "\t" else separator
    return ""


def check_package(content: bytes, display: str, limits: Limits = LIMITS) -> Package:
    """Refuse (:class:`Refused`) a file that is not a plain, bounded .xlsx."""
    if not content:
        raise refuse(display, "empty-file")
    if len(content) > limits.max_bytes:
        raise refuse(display, "too-big", size=size_text(len(content)))
    if content.startswith(_OLE):
        # Office wraps a password-protected .xlsx in the old compound format.
        raise refuse(display, "password" if "EncryptionInfo".encode("utf-16-le") in content else "xls")
    if not content.startswith(b"PK"):
        separator = _csv_separator(content)
        if separator:
            raise refuse(display, "csv", separator=separator)
        raise refuse(display, "not-xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:200]:
                raise refuse(display, "ods")
            if "xl/workbook.xml" not in names:
                raise refuse(display, "not-xlsx")
            if any(i.flag_bits & 0x1 for i in infos):
                raise refuse(display, "password")
            if len(infos) > limits.max_parts or len(set(names)) != len(names):
                raise refuse(display, "too-many-parts", detail=f"{len(infos)} phần")
            # Every part counts, not only the sheets: openpyxl reads the
            # relationships, styles and drawings whole too.
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limits.max_unpacked:
                raise refuse(display, "too-big", size=size_text(unpacked) + " khi giải nén")
            for info in infos:
                if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(1, info.compress_size):
                    raise refuse(display, "zip-bomb", part=info.filename, size=size_text(info.file_size),
                                 packed=size_text(info.compress_size), ratio=info.file_size // max(1, info.compress_size))
            budget = _Budget()
            _check_workbook_part(archive, display, limits, budget)
            sheets = _sheet_parts(archive, display, limits, budget)
            xml = 0
            for info in infos:
                if info.filename in _READ_FIRST or info.is_dir():
                    continue
                if _scan_part(archive, info, display, sheets.get(info.filename), limits, budget) is not None:
                    xml += info.file_size
                if xml > limits.max_xml:
                    raise refuse(display, "too-big", size=size_text(xml) + " XML khi giải nén")
            return Package(len(infos), unpacked, budget.elements, sheets)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        # NotImplementedError: a compression method zipfile does not know.
        raise refuse(display, "broken", detail="không phải tệp nén hợp lệ") from exc


def _openpyxl_is_defused() -> bool:
    from openpyxl import DEFUSEDXML

    return bool(DEFUSEDXML)


def open_workbook(content: bytes, display: str, limits: Limits = LIMITS):
    """The openpyxl workbook of a file :func:`check_package` let through."""
    check_package(content, display, limits)
    if not _openpyxl_is_defused():
        # defusedxml missing, or OPENPYXL_DEFUSEDXML=False in the environment:
        # say so rather than read unsafely.
        raise refuse(display, "unexpected", detail="openpyxl không dùng defusedxml; cài defusedxml, bỏ biến OPENPYXL_DEFUSEDXML")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns in English about extensions it drops (slicers, WPS
            # extras); they do not matter for reading values.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), data_only=False, keep_links=False, rich_text=False)
    except MemoryError:
        raise refuse(display, "too-big", size="quá sức máy khi mở") from None
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise refuse(display, "broken", detail=type(exc).__name__) from exc

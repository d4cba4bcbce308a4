"""What a picture of ``docs/`` may hold: an allow-list, checked from its structure.

Pictures in ``docs/`` are published as they are: copied to the site and the
offline zip, and embedded byte for byte in the PDF handouts (WeasyPrint
passes a JPEG through). So, like a stored photo (stored.py), a picture is
named by what it may contain, not by what is known to be bad: only the
segments, chunks or blocks a plain picture needs. EXIF, XMP, IPTC, comments
and text chunks in any form, thumbnails, unknown APPn segments or chunks,
bytes after the picture: refused at check time (A008 position, A009 known
metadata, A016 anything else the list does not name).
"""

from __future__ import annotations

from . import hidden_data, never_decoded
from .header import ICC, Header

DOC_IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
KINDS = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "gif": "GIF"}

# JPEG: a plain JFIF header, an ICC profile, Adobe's colour flag, tables, frame, scans.
JPEG_SEGMENTS = frozenset({"APP0", "APP2", "APP14", "DQT", "DHT", "DRI", "SOF0", "SOF1", "SOF2", "SOS", "EOI"})
# PNG: the critical chunks, transparency, colour (gamma, chromaticities, sRGB, ICC,
# cICP), significant bits, background, pixel size, and APNG's animation chunks.
PNG_CHUNKS = frozenset({"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "sBIT", "bKGD",
                        "pHYs", "acTL", "fcTL", "fdAT"})
WEBP_CHUNKS = frozenset({"VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"})
GIF_BLOCKS = frozenset({"image", "graphic-control", "loop", "icc", "trailer"})
ALLOWED_METADATA = frozenset({ICC})

_PERSONAL_NAMES = {
    "EXIF": "thông tin máy ảnh, ngày giờ chụp (EXIF)",
    "XMP": "XMP",
    "IPTC": "IPTC",
    "COM": "lời ghi chú hay đoạn chữ",
    "MPF": "ảnh thứ hai giấu trong tệp",
    "TRAILER": "dữ liệu sau hình",
}


def published_problems(header: Header) -> list[tuple[str, dict]]:
    """(rule id, parameters) for each way a picture of docs/ is not a plain
    picture; [] if it is one."""
    if header.kind not in KINDS:
        return [("A016", {"detail": "không phải hình JPEG, PNG, WebP hay GIF"})]
    refused = never_decoded(header)
    if refused:
        return refused
    problems = hidden_data(header, _PERSONAL_NAMES)
    odd = _odd_parts(header)
    if problems:
        odd = [name for name in odd if name not in _EXPLAINED]  # already named by A008/A009
    known = header.metadata - ALLOWED_METADATA - set(_PERSONAL_NAMES) - {"GPS"}
    details = []
    if odd:
        details.append("đoạn " + ", ".join(f"«{name}»" for name in sorted(set(odd))))
    details += sorted({"THUMBNAIL": "ảnh thu nhỏ", "OTHER": "đoạn dữ liệu lạ"}.get(k, k) for k in known)
    if not header.jfif_ok and not details:
        details.append("đầu JFIF lạ")
    if details:
        problems.append(("A016", {"detail": "có " + ", ".join(details)}))
    return problems


# Segments and chunks that carry the metadata A008 and A009 name.
_EXPLAINED = frozenset({"APP1", "APP2", "APP13", "COM", "tEXt", "iTXt", "zTXt", "eXIf", "EXIF", "XMP", "comment", "xmp"})


def _odd_parts(header: Header) -> list[str]:
    if header.kind == "jpeg":
        return [name for name in header.segments if name not in JPEG_SEGMENTS]
    allowed = {"png": PNG_CHUNKS, "webp": WEBP_CHUNKS, "gif": GIF_BLOCKS}[header.kind]
    return [name.strip() for name in header.parts if name not in allowed]

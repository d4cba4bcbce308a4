"""What a stored photo may be: an allow-list, checked from the file's structure.

A photo in ``materials/anh/`` is what :func:`normalise.normalise_photo`
writes, or what a browser's canvas writes when the web editor resizes a
photo before upload: a JPEG (baseline or progressive) of 8-bit greyscale or
YCbCr pixels, at most :data:`LONG_SIDE` pixels on the long side, at most
:data:`MAX_STORED_BYTES`, whose segments are only a plain JFIF header,
tables, frame and scans. Anything else is reported by rule, whatever the
way the file came in (a copy into the folder, a commit from another tool):
the rules are the same in ``ntm check``, the build and CI.
"""

from __future__ import annotations

from . import LONG_SIDE, MAX_STORED_BYTES, MIN_LONG_SIDE, hidden_data, never_decoded
from .header import ICC, OTHER, THUMBNAIL, Header

_ALLOWED_SEGMENTS = {"APP0", "DQT", "DHT", "DRI", "SOS", "EOI", "SOF0", "SOF1", "SOF2"}
_PERSONAL_NAMES = {
    "EXIF": "thông tin máy ảnh, ngày giờ chụp (EXIF)",
    "XMP": "XMP",
    "IPTC": "IPTC",
    "COM": "lời ghi chú",
    "MPF": "ảnh thứ hai giấu trong tệp",
    "TRAILER": "dữ liệu sau ảnh (video của ảnh động)",
}


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(count / 1000))} KB"


def stored_problems(header: Header, size: int) -> list[tuple[str, dict]]:
    """(rule id, parameters) for each way the file is not a stored photo; [] if it is one."""
    from .normalise import FORMAT_NAMES

    if header.kind != "jpeg":
        return [("A005", {"format": FORMAT_NAMES.get(header.kind, header.kind), "accepted": "ảnh trong kho phải là JPEG đã chuẩn hóa"})]
    refused = never_decoded(header)  # variants are made from stored photos: never decode these
    if refused:
        return refused
    problems = hidden_data(header, _PERSONAL_NAMES)
    details = []
    if header.width and header.long_side > LONG_SIDE:
        details.append(f"{header.width} × {header.height} điểm ảnh, lớn hơn {LONG_SIDE} điểm ảnh chiều dài")
    if header.metadata & {ICC}:
        details.append("còn hồ sơ màu")
    if header.metadata & {THUMBNAIL, OTHER} or not header.jfif_ok:
        details.append("có dữ liệu ngoài ảnh")
    if header.complete and not set(header.segments) <= _ALLOWED_SEGMENTS | {"APP1", "APP2", "APP13", "COM"}:
        odd = sorted(set(header.segments) - _ALLOWED_SEGMENTS - {"APP1", "APP2", "APP13", "COM"})
        details.append("có đoạn " + ", ".join(odd))
    if header.components not in (1, 3) or header.precision != 8:
        if header.width:
            details.append("màu không phải RGB 8 bit")
    if details:
        problems.append(("A010", {"detail": "; ".join(details), "long_side": LONG_SIDE}))
    if size > MAX_STORED_BYTES:
        problems.append(("A006", {"size": _size(size), "limit": _size(MAX_STORED_BYTES)}))
    if header.width and header.long_side < MIN_LONG_SIDE:
        problems.append(("A015", {"width": header.width, "height": header.height, "minimum": MIN_LONG_SIDE}))
    return problems


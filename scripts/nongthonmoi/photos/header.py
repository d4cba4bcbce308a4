"""What an image file is, read from its structure, never by decoding it.

The check of every stored photo (and of every image in ``docs/``) must be
cheap and must never decode a hostile file: a decompression bomb is a few
kilobytes that claim 60,000 x 60,000 pixels. This module reads the
container only: the JPEG markers (every segment, also those between the
scans of a progressive JPEG, and anything after the end of the image), PNG
and WebP chunks, and the sizes other formats write in their first bytes. It
says which metadata a file carries, by kind:

- ``GPS``: a position (EXIF GPS directory, or GPS tags in XMP);
- ``EXIF``: camera, lens, serial number, dates, orientation...;
- ``XMP``, ``IPTC``, ``COM`` (comments), ``MPF`` (a second picture inside
  the file), ``ICC`` (a colour profile), ``THUMBNAIL`` (a JFIF thumbnail),
  ``TRAILER`` (bytes after the end of the picture: the video of a "motion
  photo", which carries its own position), ``OTHER`` (any other segment).

A Git LFS pointer (the few lines git keeps in place of a photo whose
content was not downloaded) is recognised too: its ``oid`` is the sha256 of
the photo, so what a build keeps of a photo (its check, its variants) is
found without the photo itself.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\n"
_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)
_LFS_SIZE = re.compile(rb"^size (\d+)$", re.M)

# Markers that stand alone (no length): TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# In entropy-coded data a marker is FF followed by anything but 00 (a
# stuffed FF byte), FF (fill) or RSTn (a restart inside the scan).
_NEXT_MARKER = re.compile(rb"\xff(?=[^\x00\xff\xd0-\xd7])")

GPS = "GPS"
EXIF = "EXIF"
XMP = "XMP"
IPTC = "IPTC"
COMMENT = "COM"
MPF = "MPF"
ICC = "ICC"
THUMBNAIL = "THUMBNAIL"
TRAILER = "TRAILER"
OTHER = "OTHER"


@dataclass(frozen=True)
class Header:
    kind: str  # jpeg, png, webp, gif, heic, avif, tiff, bmp, lfs, unknown
    width: int = 0
    height: int = 0
    progressive: bool = False
    components: int = 0
    precision: int = 0
    complete: bool = True  # the whole structure was read (a JPEG reached its end)
    problem: str = ""  # why the structure is not readable (a damaged file)
    metadata: frozenset[str] = frozenset()
    segments: tuple[str, ...] = ()  # JPEG: the segments in order (APP0-JFIF, DQT, SOF2...)
    lfs_oid: str = ""
    lfs_size: int = 0
    jfif_ok: bool = True  # JPEG: no APP0 other than a plain JFIF header
    scans: int = 0  # JPEG: SOS segments (a progressive JPEG has several; each is decoded over the whole picture)
    parts: tuple[str, ...] = ()  # PNG and WebP chunk types, GIF blocks, in order (JPEG: see ``segments``)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)

    @property
    def location(self) -> bool:
        return GPS in self.metadata

    @property
    def personal(self) -> frozenset[str]:
        """Metadata other than a position that says who, what camera, when."""
        return self.metadata & {EXIF, XMP, IPTC, COMMENT, MPF, TRAILER}


def read_header(data: bytes) -> Header:
    """The structure of an image file (or of a Git LFS pointer) from its bytes."""
    if data.startswith(LFS_POINTER):
        return _lfs(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 13:
        return _gif(data)
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return Header("avif" if brand in (b"avif", b"avis") else "heic")
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return Header("tiff")
    if data[:2] == b"BM":
        return Header("bmp")
    return Header("unknown")


def _lfs(data: bytes) -> Header:
    oid, size = _LFS_OID.search(data), _LFS_SIZE.search(data)
    if oid is None or size is None or len(data) > 1024:
        return Header("lfs", complete=False, problem="con trỏ Git LFS không đọc được")
    return Header("lfs", lfs_oid=oid.group(1).decode(), lfs_size=int(size.group(1)))


def _jpeg(data: bytes) -> Header:
    found: set[str] = set()
    segments: list[str] = []
    width = height = components = precision = 0
    progressive = False
    jfif_ok = True
    scans = 0
    pos = 2
    size = len(data)
    while True:
        if pos + 2 > size:
            return _damaged("jpeg", "tệp bị cắt cụt", found, segments, width, height)
        if data[pos] != 0xFF:
            return _damaged("jpeg", "cấu trúc JPEG hỏng", found, segments, width, height)
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        pos += 2
        if marker == 0xD9:  # EOI
            segments.append("EOI")
            if data[pos:].strip(b"\x00"):
                found.add(TRAILER)
            break
        if marker in _STANDALONE:
            continue
        if pos + 2 > size:
            return _damaged("jpeg", "tệp bị cắt cụt", found, segments, width, height)
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > size:
            return _damaged("jpeg", "tệp bị cắt cụt", found, segments, width, height)
        body = data[pos + 2 : pos + length]
        name = _segment(marker, body, found)
        if name == "APP0" and not _plain_jfif(body):
            jfif_ok = False
        segments.append(name)
        if marker in _SOF and len(body) >= 6:
            precision = body[0]
            height, width = struct.unpack(">HH", body[1:5])
            components = body[5]
            progressive = marker in (0xC2, 0xC6, 0xCA, 0xCE)
        pos += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker
            scans += 1
            match = _NEXT_MARKER.search(data, pos)
            if match is None:
                return _damaged("jpeg", "tệp bị cắt cụt", found, segments, width, height)
            pos = match.start()
    return Header(
        "jpeg", width, height, progressive, components, precision, True, "", frozenset(found), tuple(segments),
        jfif_ok=jfif_ok, scans=scans,
    )


def _damaged(kind, problem, found, segments, width, height) -> Header:
    return Header(kind, width, height, complete=False, problem=problem, metadata=frozenset(found), segments=tuple(segments),
                  scans=segments.count("SOS"))


def _plain_jfif(body: bytes) -> bool:
    """APP0 "JFIF" without a thumbnail (Pillow and browsers write it so)."""
    return body.startswith(b"JFIF\x00") and len(body) >= 14 and body[12] == 0 and body[13] == 0


def _segment(marker: int, body: bytes, found: set[str]) -> str:
    """The segment's name; adds the metadata it carries to ``found``."""
    if marker == 0xE0:
        if body.startswith(b"JFIF\x00"):
            if not _plain_jfif(body):
                found.add(THUMBNAIL)
            return "APP0"
        found.add(THUMBNAIL if body.startswith(b"JFXX\x00") else OTHER)
        return "APP0"
    if marker == 0xE1:
        # EXIF and XMP in any form: a prefix before «Exif\0» (readers skip it),
        # «XMP\0» instead of the Adobe namespace; anything else is OTHER.
        exif_at = body.find(b"Exif\x00", 0, 64)
        if exif_at >= 0:
            found.add(EXIF)
            if exif_has_gps(body[exif_at + 6 :]):
                found.add(GPS)
        elif body.startswith((b"http://ns.adobe.com/", b"XMP\x00")) or b"<x:xmpmeta" in body or b"<?xpacket" in body:
            found.add(XMP)
        else:
            found.add(OTHER)
        if _xmp_has_gps(body):
            found.add(GPS)
        return "APP1"
    if marker == 0xE2:
        if body.startswith(b"ICC_PROFILE\x00"):
            found.add(ICC)
        elif body.startswith(b"MPF\x00"):
            found.add(MPF)
        else:
            found.add(OTHER)
        return "APP2"
    if marker == 0xED:
        found.add(IPTC)
        return "APP13"
    if marker == 0xEE and body.startswith(b"Adobe") and len(body) == 12:
        return "APP14"  # Adobe's colour transform flag: part of the picture, no metadata
    if 0xE3 <= marker <= 0xEF:
        found.add(OTHER)
        return f"APP{marker - 0xE0}"
    if marker == 0xFE:
        found.add(COMMENT)
        return "COM"
    names = {0xDB: "DQT", 0xC4: "DHT", 0xDA: "SOS", 0xDD: "DRI", 0xCC: "DAC", 0xDC: "DNL"}
    if marker in names:
        return names[marker]
    if marker in _SOF:
        return f"SOF{marker - 0xC0}"
    found.add(OTHER)
    return f"M{marker:02X}"


_XMP_GPS = re.compile(rb"GPS(Latitude|Longitude|Altitude)|exif:GPS|<photoshop:City|Iptc4xmpCore:Location")


def _xmp_has_gps(body: bytes) -> bool:
    return _XMP_GPS.search(body) is not None


def exif_has_gps(tiff: bytes) -> bool:
    """An EXIF block (TIFF structure) whose GPS directory holds any entry
    other than the version tag (some phones write an empty one)."""
    try:
        if tiff[:2] == b"II":
            order = "<"
        elif tiff[:2] == b"MM":
            order = ">"
        else:
            return False
        (offset,) = struct.unpack(order + "I", tiff[4:8])
        gps = _ifd_pointer(tiff, order, offset, 0x8825)
        if gps is None or gps + 2 > len(tiff):
            return False
        (count,) = struct.unpack(order + "H", tiff[gps : gps + 2])
        tags = []
        for index in range(min(count, 256)):
            start = gps + 2 + 12 * index
            if start + 12 > len(tiff):
                break
            tags.append(struct.unpack(order + "H", tiff[start : start + 2])[0])
        return any(tag != 0 for tag in tags)
    except struct.error:
        return True  # unreadable EXIF: say it may hold a position rather than not


def _ifd_pointer(tiff: bytes, order: str, offset: int, wanted: int) -> int | None:
    if offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for index in range(min(count, 1024)):
        start = offset + 2 + 12 * index
        if start + 12 > len(tiff):
            return None
        tag, _, _, value = struct.unpack(order + "HHII", tiff[start : start + 12])
        if tag == wanted:
            return value
    return None


def _png(data: bytes) -> Header:
    found: set[str] = set()
    chunks: list[str] = []
    width = height = 0
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        chunks.append(kind.decode("latin-1"))
        if kind == b"IHDR" and len(body) >= 8:
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"eXIf":
            found.add(EXIF)
            if exif_has_gps(body):
                found.add(GPS)
        elif kind in (b"iTXt", b"tEXt", b"zTXt"):
            _png_text(kind, body, found)
        elif kind == b"iCCP":
            found.add(ICC)
        elif kind == b"IEND":
            if data[pos + 12 + length :].strip(b"\x00"):
                found.add(TRAILER)
            break
        pos += 12 + length
    return Header("png", width, height, metadata=frozenset(found), parts=tuple(chunks))


_TEXT_LIMIT = 1 << 20  # bytes of a compressed text chunk looked into


def _png_text(kind: bytes, body: bytes, found: set[str]) -> None:
    """What a PNG text chunk carries: XMP (Adobe's keyword, or ImageMagick's
    «Raw profile type xmp», hex), EXIF, IPTC, or a comment (any other text)."""
    import binascii
    import zlib

    keyword, _, rest = body.partition(b"\x00")
    text = rest
    try:
        if kind == b"zTXt":
            text = zlib.decompressobj().decompress(rest[1:], _TEXT_LIMIT)
        elif kind == b"iTXt" and len(rest) >= 2:
            compressed, tail = rest[0], rest[2:]
            tail = tail.split(b"\x00", 2)[-1]  # after the language tag and the translated keyword
            text = zlib.decompressobj().decompress(tail, _TEXT_LIMIT) if compressed else tail
    except zlib.error:
        text = rest
    name = keyword.lower()
    if name.startswith(b"raw profile type "):
        # «\nxmp\n    1234\n3c3f78...»: a name, a length, then hex digits.
        digits = b"".join(text.split(b"\n")[3:]) if text.count(b"\n") >= 3 else b""
        try:
            text = binascii.unhexlify(b"".join(digits.split()))
        except (binascii.Error, ValueError):
            pass
    if name == b"xml:com.adobe.xmp" or name in (b"raw profile type xmp", b"raw profile type 8bim") or b"<x:xmpmeta" in text:
        found.add(XMP)
    elif name in (b"raw profile type exif", b"raw profile type app1"):
        found.add(EXIF)
        exif_at = text.find(b"Exif\x00")
        if exif_has_gps(text[exif_at + 6 :] if exif_at >= 0 else text):
            found.add(GPS)
    elif name in (b"raw profile type iptc",):
        found.add(IPTC)
    else:
        found.add(COMMENT)
    if _xmp_has_gps(text):
        found.add(GPS)


def _webp(data: bytes) -> Header:
    found: set[str] = set()
    chunks: list[str] = []
    width = height = 0
    pos = 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        chunks.append(kind.decode("latin-1"))
        if kind == b"VP8X" and len(body) >= 10:
            width = 1 + int.from_bytes(body[4:7], "little")
            height = 1 + int.from_bytes(body[7:10], "little")
        elif kind == b"VP8 " and len(body) >= 10 and not width:
            width, height = (v & 0x3FFF for v in struct.unpack("<HH", body[6:10]))
        elif kind == b"VP8L" and len(body) >= 5 and not width:
            bits = int.from_bytes(body[1:5], "little")
            width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        elif kind == b"EXIF":
            found.add(EXIF)
            exif_at = body.find(b"Exif\x00", 0, 64)
            if exif_has_gps(body[exif_at + 6 :] if exif_at >= 0 else body):
                found.add(GPS)
        elif kind == b"XMP ":
            found.add(XMP)
        elif kind == b"ICCP":
            found.add(ICC)
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF") and _xmp_has_gps(body):
            found.add(GPS)
        pos += 8 + length + (length & 1)
    riff_end = 8 + struct.unpack("<I", data[4:8])[0] if len(data) >= 8 else len(data)
    if data[riff_end:].strip(b"\x00"):
        found.add(TRAILER)
    return Header("webp", width, height, metadata=frozenset(found), parts=tuple(chunks))


# GIF extension labels.
_GIF_GRAPHIC_CONTROL, _GIF_COMMENT, _GIF_APPLICATION, _GIF_PLAIN_TEXT = 0xF9, 0xFE, 0xFF, 0x01


def _gif(data: bytes) -> Header:
    """A GIF's blocks: the picture's (descriptor, colour tables, image data,
    graphic control), the looping application block, and the others by kind
    (comments, plain text, XMP and other application blocks)."""
    found: set[str] = set()
    blocks: list[str] = []
    size = len(data)
    width, height = struct.unpack("<HH", data[6:10])
    flags = data[10] if size > 10 else 0
    pos = 13 + ((3 << ((flags & 7) + 1)) if flags & 0x80 else 0)

    def damaged(problem: str) -> Header:
        return Header("gif", width, height, complete=False, problem=problem, metadata=frozenset(found), parts=tuple(blocks))

    def sub_blocks(at: int) -> tuple[int, bytes]:
        """(position after the data sub-blocks at ``at``, their first 64 KB)."""
        start = at
        while at < size and data[at]:
            at += 1 + data[at]
        if at >= size:
            return -1, b""
        return at + 1, data[start : min(at, start + 65536)]

    while True:
        if pos >= size:
            return damaged("tệp bị cắt cụt")
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            blocks.append("trailer")
            if data[pos + 1 :].strip(b"\x00"):
                found.add(TRAILER)
            break
        if introducer == 0x2C:  # image descriptor
            if pos + 10 > size:
                return damaged("tệp bị cắt cụt")
            local = data[pos + 9]
            pos += 10 + ((3 << ((local & 7) + 1)) if local & 0x80 else 0)
            blocks.append("image")
            pos, _ = sub_blocks(pos + 1)  # after the LZW minimum code size
            if pos < 0:
                return damaged("tệp bị cắt cụt")
            continue
        if introducer != 0x21 or pos + 2 > size:
            return damaged("cấu trúc GIF hỏng")
        label = data[pos + 1]
        end, content = sub_blocks(pos + 2)
        if end < 0:
            return damaged("tệp bị cắt cụt")
        if label == _GIF_GRAPHIC_CONTROL:
            blocks.append("graphic-control")
        elif label == _GIF_COMMENT:
            blocks.append("comment")
            found.add(COMMENT)
        elif label == _GIF_APPLICATION:
            ident = content[1:12]
            if ident in (b"NETSCAPE2.0", b"ANIMEXTS1.0") and len(content) == 16 and content[12] == 3 and content[13] == 1:
                blocks.append("loop")
            elif ident == b"XMP DataXMP":
                blocks.append("xmp")
                found.add(XMP)
            elif ident == b"ICCRGBG1012":
                blocks.append("icc")
                found.add(ICC)
            else:
                blocks.append("application")
                found.add(OTHER)
        else:
            blocks.append(f"extension-{label:02X}")
            found.add(OTHER)
        if _xmp_has_gps(content):
            found.add(GPS)
        pos = end
    return Header("gif", width, height, metadata=frozenset(found), parts=tuple(blocks))

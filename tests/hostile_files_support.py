"""Hostile files for the input checks: pictures that hide a position or
metadata past a deny-list, a progressive JPEG with thousands of scans.
Each is built the way the attacker's report built it (exiftool's layouts,
ImageMagick's raw profiles), without the tools themselves."""

from __future__ import annotations

import binascii
import io
import struct
import zlib

from PIL import Image

XMP_GPS = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
           b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
           b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="11,34.8N" exif:GPSLongitude="108,4.2E"/>'
           b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _jpeg(width: int = 64, height: int = 48, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(out, "JPEG", quality=70, **options)
    return out.getvalue()


def _with_segment(jpeg: bytes, marker: int, body: bytes) -> bytes:
    """The JPEG with one more segment right after SOI."""
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (11.0, 34.0, 48.0), "E", (108.0, 4.0, 12.0)
    return exif.tobytes()  # b"Exif\0\0" + TIFF


def jpeg_exif_after_junk() -> bytes:
    """EXIF APP1 with four bytes before «Exif\\0» (exiftool: "Unknown garbage at start")."""
    return _with_segment(_jpeg(), 0xE1, b"JUNK" + _exif_with_gps())


def jpeg_xmp_null() -> bytes:
    """APP1 «XMP\\0://ns.adobe.com/xap/1.0/\\0» + an XMP packet with a position."""
    return _with_segment(_jpeg(), 0xE1, b"XMP\x00://ns.adobe.com/xap/1.0/\x00" + XMP_GPS)


def jpeg_unknown_app() -> bytes:
    """An APP9 segment nobody names: what it holds is unknown."""
    return _with_segment(_jpeg(), 0xE9, b"Lat 11.58 Lon 108.07")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(out, "PNG")
    return out.getvalue()


def _png_with(kind: bytes, body: bytes) -> bytes:
    data = _png()
    at = data.index(b"IDAT") - 4
    return data[:at] + _png_chunk(kind, body) + data[at:]


def png_raw_profile_xmp() -> bytes:
    """ImageMagick's way of keeping XMP in a PNG: a tEXt «Raw profile type xmp», hex."""
    digits = binascii.hexlify(XMP_GPS)
    lines = b"\n".join(digits[i : i + 72] for i in range(0, len(digits), 72))
    return _png_with(b"tEXt", b"Raw profile type xmp\x00\nxmp\n%8d\n" % len(XMP_GPS) + lines + b"\n")


def png_ztxt_xmp() -> bytes:
    """The same packet, compressed in a zTXt chunk."""
    return _png_with(b"zTXt", b"XML:com.adobe.xmp\x00\x00" + zlib.compress(XMP_GPS))


def png_unknown_chunk() -> bytes:
    return _png_with(b"vpAg", b"\x00\x00\x01\x00\x00\x00\x01\x00\x00")


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (64, 48), 3).save(out, "GIF")
    return out.getvalue()


def gif_xmp_gps() -> bytes:
    """An XMP application block (as exiftool writes it) with a position."""
    data = _gif()
    # XMP's "magic trailer": read as sub-blocks, any length byte landing in it leads to the final 0.
    magic = bytes([1]) + bytes(range(255, 0, -1)) + b"\x00\x00"
    block = b"\x21\xff\x0bXMP DataXMP" + XMP_GPS + magic
    at = data.index(b"\x2c")  # before the image descriptor
    return data[:at] + block + data[at:]


def gif_comment() -> bytes:
    out = io.BytesIO()
    Image.new("P", (64, 48), 3).save(out, "GIF", comment=b"Nha ong Ba, so 12")
    return out.getvalue()


def many_scans(extra: int, size: int = 64) -> bytes:
    """A progressive JPEG with ``extra`` more copies of its last DHT + SOS pair
    (an empty refinement scan each: valid, and decoded over the whole picture)."""
    data = _jpeg(size, size, progressive=True)
    last_dht = data.rindex(b"\xff\xc4")
    tail = data[last_dht:-2]
    return data[:-2] + tail * extra + b"\xff\xd9"


def jpeg_with_thumbnail() -> bytes:
    """A JFXX APP0 (a JFIF extension carrying a thumbnail)."""
    return _with_segment(_jpeg(), 0xE0, b"JFXX\x00\x10" + b"\x00" * 20)


def jpeg_adobe() -> bytes:
    """Adobe's APP14 colour-transform segment (Photoshop writes it): part of the picture."""
    return _with_segment(_jpeg(), 0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")


def png_after_end() -> bytes:
    return _png() + b"<html><script>alert(1)</script></html>"


def png_with_text(keyword: bytes = b"Comment", text: bytes = b"Nha ong Ba") -> bytes:
    return _png_with(b"tEXt", keyword + b"\x00" + text)


def webp_with_exif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(out, "WEBP", exif=_exif_with_gps())
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (20, 20), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100)
    return out.getvalue()


def gif_with_block(block: bytes) -> bytes:
    data = _gif()
    at = data.index(b"\x2c")
    return data[:at] + block + data[at:]


# --- documents of docs/ (photos/documents.py) -----------------------------------

def jpeg_with_gps() -> bytes:
    """A phone photo as Word keeps it when pasted: EXIF with the camera and a position."""
    return _with_segment(_jpeg(), 0xE1, _exif_with_gps())


def docx_with(picture: bytes | None = None, creator: str = "", last_editor: str = "") -> bytes:
    """A Word file (the parts that matter here) with a picture and its properties."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"/>')
        archive.writestr("word/document.xml", "<w:document/>")
        if picture is not None:
            archive.writestr("word/media/image1.jpeg", picture)
        archive.writestr("docProps/core.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>Mẫu kế hoạch</dc:title><dc:creator>{creator}</dc:creator>"
            f"<cp:lastModifiedBy>{last_editor}</cp:lastModifiedBy></cp:coreProperties>"))
    return out.getvalue()


def pdf_with(picture: bytes | None = None, author: bytes = b"", compressed: bool = False) -> bytes:
    """A one-page PDF: the picture as a DCT image (a JPEG in a PDF is its
    file), ``author`` as the document information's /Author (a PDF string,
    e.g. ``b"(Nguyen Van A)"`` or ``b"<FEFF...>"``), in a compressed object
    stream when ``compressed`` (PDF 1.5, what Word writes)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 64 48]" + (b"/Resources<</XObject<</Im0 4 0 R>>>>" if picture else b"")
               + b">>"]
    if picture:
        objects.append(b"<</Type/XObject/Subtype/Image/Width 64/Height 48/ColorSpace/DeviceRGB/BitsPerComponent 8"
                       b"/Filter/DCTDecode/Length " + str(len(picture)).encode() + b">>\nstream\n" + picture + b"\nendstream")
    info = b"<</Author" + author + b"/Producer(Microsoft Word)>>" if author else b"<</Producer(LibreOffice)>>"
    body = b"%PDF-1.5\n"
    for number, content in enumerate(objects, 1):
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    info_number = len(objects) + 1
    if compressed:
        packed = zlib.compress(b"%d 0 " % info_number + info)
        body += (b"%d 0 obj\n<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
                 % (info_number + 1, len(b"%d 0 " % info_number), len(packed)) + packed + b"\nendstream\nendobj\n")
    else:
        body += b"%d 0 obj\n" % info_number + info + b"\nendobj\n"
    return body + b"trailer\n<</Root 1 0 R/Info %d 0 R>>\n%%%%EOF\n" % info_number

"""Photos for the photo tests: what phones send, and what attackers send."""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib

from PIL import Image, ImageDraw

# Where the red mark lands once a photo is upright (see phone_photo).
GPS_LATITUDE = (11.0, 34.0, 52.3)


def phone_photo(width: int = 4032, height: int = 3024, orientation: int = 6, gps: bool = True, quality: int = 90,
                xmp: bool = False, comment: bool = False) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera's make, model and
    serial, the time, an orientation tag and (``gps``) a position.

    The pixels are stored sideways, as phones do: a red block at the
    top-left of the stored pixels, which the orientation tag 6 ("rotate 90°
    clockwise to view") puts at the top-right of the upright picture."""
    image = Image.new("RGB", (width, height), (120, 160, 90))
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, width // 3, height // 4], fill=(200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[0x0110] = "SM-A135F"
    exif[0x0112] = orientation
    exif[0x0131] = "A135FXXU3BWC1"
    exif.get_ifd(0x8769)[0x9003] = "2023:03:11 08:15:00"
    exif.get_ifd(0x8769)[0xA431] = "R58T123456"
    if gps:
        position = exif.get_ifd(0x8825)
        position[1], position[2] = "N", GPS_LATITUDE
        position[3], position[4] = "E", (108.0, 4.0, 12.9)
    extra = {}
    if xmp:
        extra["xmp"] = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Nguyen Van A"/></rdf:RDF></x:xmpmeta>')
    if comment:
        extra["comment"] = b"Nha ong Ba, so 12 duong Le Loi"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes(), **extra)
    return out.getvalue()


@functools.cache  # test modules make them while collected, in every worker
def plain_jpeg(width: int, height: int, quality: int = 80, noise: bool = False, progressive: bool = True) -> bytes:
    """A JPEG of one colour, or of noise (which compresses badly: a large file)."""
    if noise:  # seeded: the same bytes every run; a tenth of the time of Image.effect_noise
        grey = random.Random(f"{width}x{height}").randbytes(width * height)
        image = Image.frombytes("L", (width, height), grey).convert("RGB")
    else:
        image = Image.new("RGB", (width, height), (90, 140, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, progressive=progressive)
    return out.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG of a few hundred bytes that says it holds ``width`` x ``height``
    pixels (2.5 billion: 7.5 GB once decoded): a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)  # a few rows; the rest never comes
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims ``width`` x ``height``."""
    data = bytearray(plain_jpeg(64, 48, progressive=False))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def heic_like() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def lfs_pointer(oid: str = "a" * 64, size: int = 123456) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()


def upright_has_red_at_top_right(data: bytes) -> bool:
    """The picture of phone_photo turned upright: the red block top-right."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        red = rgb.getpixel((width - 3, 3))
        green = rgb.getpixel((3, height - 3))
    return width < height and red[0] > 150 and red[1] < 90 and green[1] > red[1]


def metadata_left(data: bytes) -> dict:
    """What Pillow finds in a picture besides its pixels."""
    with Image.open(io.BytesIO(data)) as image:
        found = {key: value for key, value in image.info.items() if key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp")}
        exif = image.getexif()
        if len(exif):
            found["exif-tags"] = dict(exif)
    return found

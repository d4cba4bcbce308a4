"""The one way a photo becomes a file of the repository.

:func:`normalise_photo` takes the bytes of a photo as it came (from a phone,
from Zalo, from the web editor's upload) and returns the bytes to store:

- checked before any decoding: size in bytes, format (JPEG, PNG, WebP),
  pixels read from the header (a decompression bomb is refused by rule
  A007, never opened; Pillow's own limit is set to ours as a second guard);
- turned upright (the EXIF orientation applied, ``ImageOps.exif_transpose``);
- colours converted to sRGB when the photo carries a colour profile (an
  iPhone's Display P3), then the profile dropped: browsers show untagged
  JPEGs as sRGB;
- at most :data:`LONG_SIDE` pixels on the long side (JPEGs are decoded at a
  reduced scale first, so a 50-megapixel photo never sits whole in memory);
- written as a progressive JPEG, quality :data:`QUALITY`, with no metadata
  at all: no EXIF (GPS, camera, dates), XMP, IPTC, comments, thumbnails or
  profile. The result is read back with :mod:`header` and refused if
  anything but the picture is in it (one choke point for every path).

The same bytes in give the same bytes out (libjpeg-turbo is deterministic
for one version, pinned in ``requirements.lock``). A photo that is already a
normalised JPEG is stored as it is: no second loss of quality.

For the web editor's local backend: call :func:`normalise_photo` with the
uploaded bytes and the file name; store ``.data``; show ``.report`` (Vietnamese
lines); on :class:`PhotoRefused`, show ``str(exc)`` (Vietnamese, with the fix).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass, field
from datetime import datetime

from .. import rules
from ..errors import ContentError
from . import (
    INPUT_FORMATS,
    LONG_SIDE,
    MAX_INPUT_BYTES,
    MAX_INPUT_PIXELS,
    MAX_JPEG_PIXELS,
    MAX_SCANS,
    MAX_STORED_BYTES,
    MIN_LONG_SIDE,
    QUALITY,
    megapixels,
)
from .header import EXIF, GPS, Header, read_header
from .stored import stored_problems

FORMAT_NAMES = {
    "png": "ảnh PNG",
    "webp": "ảnh WebP",
    "gif": "ảnh GIF",
    "heic": "ảnh HEIC (iPhone)",
    "avif": "ảnh AVIF",
    "tiff": "ảnh TIFF",
    "bmp": "ảnh BMP",
    "lfs": "con trỏ Git LFS, không phải ảnh",
    "unknown": "tệp không phải ảnh",
    "jpeg": "ảnh JPEG",
}
ACCEPTED = "lệnh thêm ảnh nhận ảnh JPEG, PNG hoặc WebP"
METADATA_NAMES = {
    GPS: "vị trí GPS",
    EXIF: "thông tin máy ảnh, ngày giờ chụp (EXIF)",
    "XMP": "thông tin XMP",
    "IPTC": "thông tin IPTC (tên người chụp, địa điểm)",
    "COM": "lời ghi chú ẩn",
    "MPF": "ảnh thứ hai giấu trong tệp",
    "ICC": "hồ sơ màu (đã đổi sang sRGB)",
    "THUMBNAIL": "ảnh thu nhỏ giấu trong tệp",
    "TRAILER": "dữ liệu sau ảnh (ví dụ đoạn video của ảnh động)",
    "OTHER": "dữ liệu khác",
}


class PhotoRefused(Exception):
    """The photo cannot be stored; ``error`` says why and how to fix it (Vietnamese)."""

    def __init__(self, error: ContentError):
        self.error = error
        super().__init__(str(error))


@dataclass(frozen=True)
class Normalised:
    data: bytes  # the JPEG to store
    width: int
    height: int
    original_size: tuple[int, int]
    original_bytes: int
    removed: tuple[str, ...]  # metadata kinds found and removed (header.GPS, EXIF...)
    rotated: bool
    taken: datetime | None  # EXIF DateTimeOriginal, if the photo had one
    unchanged: bool = False  # already normalised: stored as it came
    report: list[str] = field(default_factory=list, compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _refuse(rule_id: str, name: str, **params) -> PhotoRefused:
    return PhotoRefused(rules.error(rule_id, name, 0, file=name, **params))


def megabytes(count: int) -> str:
    """«3,9 MB», «312 KB»: sizes as the report and rules write them."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(count / 1000))} KB"


@contextlib.contextmanager
def _pillow_limits(limit: int):
    """Pillow's decompression-bomb guard set to our limit (and its warning an
    error), for the time of one decoding: a second guard behind the header
    check. Truncated files are errors too: WeasyPrint, imported by any build,
    sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would
    store half a photo filled with grey."""
    from PIL import Image, ImageFile

    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS = limit
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def check_input(data: bytes, name: str, accepted: str = ACCEPTED) -> Header:
    """Refuse, from the bytes and the header alone, what must never be decoded.
    ``accepted``: what the way in takes, said in a refusal of the format."""
    if len(data) > MAX_INPUT_BYTES:
        raise _refuse("A006", name, size=megabytes(len(data)), limit=megabytes(MAX_INPUT_BYTES))
    if not data:
        raise _refuse("A011", name, problem="tệp trống")
    header = read_header(data)
    if header.kind not in INPUT_FORMATS:
        raise _refuse("A005", name, format=FORMAT_NAMES.get(header.kind, header.kind), accepted=accepted)
    if not header.width or not header.height or (header.kind == "jpeg" and not header.complete):
        raise _refuse("A011", name, problem=header.problem or "không đọc được kích thước ảnh")
    limit = MAX_JPEG_PIXELS if header.kind == "jpeg" else MAX_INPUT_PIXELS
    if header.pixels > limit:
        raise _refuse("A007", name, width=header.width, height=header.height,
                      megapixels=megapixels(header.pixels), limit=megapixels(limit))
    if header.scans > MAX_SCANS:
        raise _refuse("A017", name, scans=header.scans, limit=MAX_SCANS)
    return header


def normalise_photo(data: bytes, name: str = "ảnh", accepted: str = ACCEPTED, min_long_side: int = MIN_LONG_SIDE) -> Normalised:
    """The bytes to store for a photo (see the module's text); raise
    :class:`PhotoRefused` with a Vietnamese message otherwise.
    ``min_long_side``: smaller is refused (A015); a Saturday's photo must be a
    photo, a picture of a guide page may be an icon (the media library: 1)."""
    header = check_input(data, name, accepted)
    if header.kind == "jpeg" and not stored_problems(header, len(data)):
        # Already normalised (an earlier run, the browser's own resizing): as it is.
        return Normalised(data, header.width, header.height, (header.width, header.height), len(data), (), False, None,
                          unchanged=True, report=["Ảnh đã chuẩn hóa sẵn: giữ nguyên."])
    from PIL import Image, ImageOps

    limit = MAX_JPEG_PIXELS if header.kind == "jpeg" else MAX_INPUT_PIXELS
    try:
        with _pillow_limits(limit):
            image = Image.open(io.BytesIO(data))
            if image.format not in ("JPEG", "MPO", "PNG", "WEBP"):
                raise _refuse("A005", name, format=FORMAT_NAMES["unknown"], accepted=accepted)
            width, height = image.size
            if width * height > limit:
                raise _refuse("A007", name, width=width, height=height, megapixels=megapixels(width * height),
                              limit=megapixels(limit))
            if image.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 scale when that still leaves LONG_SIDE pixels.
                scale = LONG_SIDE / max(width, height)
                if scale < 1:
                    image.draft("RGB" if image.mode != "L" else "L", (int(width * scale) + 1, int(height * scale) + 1))
            exif = image.getexif()
            orientation = exif.get(0x0112, 1)
            taken = _taken(exif)
            profile = image.info.get("icc_profile")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("A007", name, width=header.width, height=header.height,
                      megapixels=megapixels(header.pixels), limit=megapixels(limit)) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, MemoryError) as exc:
        raise _refuse("A011", name, problem=_problem(exc)) from None
    picture = _as_srgb(upright, profile)
    picture = _shrunk(picture)
    out_width, out_height = picture.size
    if max(out_width, out_height) < min_long_side:
        raise _refuse("A015", name, width=out_width, height=out_height, minimum=min_long_side)
    stored = _encode(picture)
    check = read_header(stored)
    if check.metadata or stored_problems(check, len(stored)):
        # Never expected: the encoder wrote something besides the picture.
        raise _refuse("A010", name, detail="bộ mã hóa JPEG ghi thêm dữ liệu", long_side=LONG_SIDE)
    removed = tuple(sorted(header.metadata))
    rotated = orientation not in (1, None) and orientation in range(2, 9)
    result = Normalised(stored, out_width, out_height, (width, height), len(data), removed, rotated, taken)
    result.report.extend(_report(result, header))
    return result


def _problem(exc: Exception) -> str:
    text = str(exc).lower()
    if "truncated" in text:
        return "tệp bị cắt cụt, có lẽ tải chưa xong"
    return "dữ liệu ảnh hỏng"


def _taken(exif) -> datetime | None:
    """When the photo was taken, by the camera's clock (EXIF DateTimeOriginal)."""
    try:
        value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        return datetime.strptime(str(value).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if value else None
    except (ValueError, TypeError, KeyError):
        return None


def _as_srgb(image, profile: bytes | None):
    """RGB (or grey) pixels in sRGB, transparency laid on white."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("RGBA", "LA", "PA", "P", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        image = white
    if profile and image.mode in ("RGB", "CMYK"):
        image = _to_srgb(image, profile)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image


def _to_srgb(image, profile: bytes):
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without Little CMS: the pixels as they are
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return image  # a broken profile: the pixels as they are


def _shrunk(image):
    from PIL import Image

    width, height = image.size
    longest = max(width, height)
    if longest <= LONG_SIDE:
        return image
    scale = LONG_SIDE / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _encode(image) -> bytes:
    """Progressive JPEG, nothing but the picture; lower quality only if needed to fit."""
    image.info = {}  # resize and convert copy .info (comments, profile, EXIF): none of it goes out
    for quality in (QUALITY, 75, 70, 65, 60):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, progressive=True, optimize=True, subsampling=2)
        data = out.getvalue()
        if len(data) <= MAX_STORED_BYTES:
            return data
    return data


def _report(result: Normalised, header: Header) -> list[str]:
    lines = []
    if result.rotated:
        lines.append("Đã xoay ảnh cho đúng chiều chụp.")
    removed = [METADATA_NAMES[kind] for kind in (GPS, EXIF, "XMP", "IPTC", "COM", "MPF", "ICC", "THUMBNAIL", "TRAILER", "OTHER")
               if kind in result.removed]
    if removed:
        lines.append("Đã xóa: " + ", ".join(removed) + ".")
    else:
        lines.append("Ảnh không có thông tin ẩn.")
    if result.original_size != (result.width, result.height):
        before = "×".join(map(str, result.original_size))
        lines.append(f"Đã thu nhỏ từ {before} xuống {result.width}×{result.height} điểm ảnh.")
    lines.append(f"Dung lượng: {megabytes(result.original_bytes)} → {megabytes(len(result.data))}.")
    return lines

"""Photos of the Saturdays: stored normalised, checked, shown light.

- ``header.py``: what an image file is, read from its structure (never decoded);
- ``normalise.py``: every way a photo enters the repository goes through
  :func:`normalise.normalise_photo` (upright, no metadata, 1,600 px, JPEG);
- ``library.py``: the photos of the records, checked (rules A001-A015);
- ``variants.py``: the sizes and formats the site serves, made at build time;
- ``site.py``: the variants as files of the site, and what the views show;
- ``ingest.py``: ``ntm them-anh``, photos "from Zalo" into the repository;
- ``placeholder.py``: the example pictures («ẢNH VÍ DỤ»).

Limits (bytes and pixels) are in this module: one place to read them.
"""

from __future__ import annotations

# Where photos live: materials/anh/<commune>/<yyyy-mm-dd>/<name>.jpg, beside
# the records (never under docs/, which MkDocs would publish as it is,
# "do not publish" photos included).
PHOTOS_DIR = "anh"

# A stored photo, as the normalisation writes it.
LONG_SIDE = 1600  # pixels on the long side
QUALITY = 80  # JPEG quality; lowered step by step only if a photo would exceed MAX_STORED_BYTES
MAX_STORED_BYTES = 1_000_000
MIN_LONG_SIDE = 640  # smaller than this is a thumbnail (a Zalo preview), not a photo

# What a photo handed to the normalisation may be. Checked from the header
# before any decoding; JPEGs are decoded at a reduced scale (Pillow's
# draft), so they may be larger than other formats, which decode whole.
MAX_INPUT_BYTES = 40_000_000
MAX_INPUT_PIXELS = 40_000_000
MAX_JPEG_PIXELS = 120_000_000
# Scans of a progressive JPEG: each is decoded over the whole picture, so
# thousands of empty scans (163 bytes each) keep a decoder busy for hours.
# Encoders write 10 to 12 (libjpeg, phones, Zalo); counted from the header
# before any decoding.
MAX_SCANS = 64
INPUT_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}


def megapixels(pixels: int) -> str:
    """Millions of pixels as a Vietnamese reader writes them: 120, 40,5."""
    return f"{pixels / 1e6:.1f}".replace(".", ",").removesuffix(",0")


def never_decoded(header) -> list[tuple[str, dict]]:
    """A JPEG with too many pixels (A007: a bomb or a giant) or too many scans
    (A017): never decoded, and nothing more is said of it. [] otherwise."""
    if header.pixels > MAX_JPEG_PIXELS:
        return [("A007", {"width": header.width, "height": header.height, "megapixels": megapixels(header.pixels),
                          "limit": megapixels(MAX_JPEG_PIXELS)})]
    if header.scans > MAX_SCANS:
        return [("A017", {"scans": header.scans, "limit": MAX_SCANS})]
    return []


def hidden_data(header, personal_names: dict[str, str]) -> list[tuple[str, dict]]:
    """What a picture carries besides the picture: a cut-off file (A011), a
    position (A008), personal data named by ``personal_names`` (A009)."""
    problems: list[tuple[str, dict]] = []
    if not header.complete:
        problems.append(("A011", {"problem": header.problem}))
    if header.location:
        problems.append(("A008", {}))
    personal = sorted(header.personal)
    if personal:
        problems.append(("A009", {"kinds": ", ".join(personal_names[k] for k in personal)}))
    return problems

"""The sizes and formats the site serves of each published photo, made at
build time with Pillow and kept by content.

Of each photo: AVIF (where the installed Pillow writes it; wheels from
11.3 on do) and WebP at :data:`WIDTHS`, and a JPEG at the smallest width
for browsers that read neither; a grey JPEG for the photo bulletin
(print.py), sized for 150 dpi on paper. A phone two photos wide takes the
360-pixel AVIF (about 8 KB); the 720-pixel one serves wide screens and
sharp phones.

Each file is kept in ``.cache/anh/bien-the/`` under a key of the photo's
sha256 (the Git LFS oid, so a checkout that holds only pointers still finds
its variants), the size, the format, the encoder settings, :data:`CACHE_VERSION`
and the versions of Pillow and its codecs: a rebuild makes only the
variants of new photos. The work runs beside the build (background.py), in
one worker per core, each photo decoded once (at a reduced scale: a
1,600-pixel JPEG is read at 800 pixels for the 720-pixel variants).
Encoders run single-threaded, so the same photo gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..atomicfile import write_atomically
from .header import LFS_POINTER

CACHE_DIR = Path(".cache") / "anh" / "bien-the"
ENTRIES = r"[0-9a-f]{40}\.(?:avif|webp|jpg)"  # the cache's entries (cachekeep.py prunes them)
# Part of every variant's key, with the encoders' settings and versions.
# Raise it when a change to this module changes the bytes of a variant (how a
# picture is decoded, resized, turned grey): the module's text is not in the
# key, since a district-year's variants take minutes to make again.
CACHE_VERSION = "1"
WIDTHS = (360, 720)
SMALL = WIDTHS[0]
PRINT_LONG_SIDE = 600  # pixels: 150 dpi over 10 cm, the largest a bulletin prints a photo

# Pillow's name, file suffix, MIME type, encoder settings.
FORMATS = {
    "avif": ("AVIF", "avif", "image/avif", {"quality": 50, "speed": 8, "max_threads": 1}),
    "webp": ("WEBP", "webp", "image/webp", {"quality": 70, "method": 4}),
    "jpeg": ("JPEG", "jpg", "image/jpeg", {"quality": 75, "progressive": True, "optimize": True, "subsampling": 2}),
    "print": ("JPEG", "jpg", "image/jpeg", {"quality": 78, "progressive": False, "optimize": True}),
}


@cache
def can_write_avif() -> bool:
    from PIL import features

    return bool(features.check("avif"))


def site_formats() -> tuple[str, ...]:
    """The formats of the ``<source>`` elements, best first."""
    return ("avif", "webp") if can_write_avif() else ("webp",)


@dataclass(frozen=True)
class Variant:
    sha256: str  # of the stored photo
    fmt: str  # a key of FORMATS
    width: int
    height: int
    key: str  # name in the cache (without suffix)

    @property
    def suffix(self) -> str:
        return FORMATS[self.fmt][1]

    @property
    def mime(self) -> str:
        return FORMATS[self.fmt][2]

    @property
    def cache_name(self) -> str:
        return f"{self.key}.{self.suffix}"


def scaled(width: int, height: int, target: int, long_side: bool = False) -> tuple[int, int]:
    """(width, height) at ``target`` pixels wide (or on the long side); never enlarged."""
    if long_side:
        scale = min(1.0, target / max(width, height))
    else:
        scale = min(1.0, target / width)
    return max(1, round(width * scale)), max(1, round(height * scale))


@cache
def toolchain() -> str:
    """What a variant's bytes depend on besides the photo."""
    from PIL import __version__, features

    digest = hashlib.sha256(f"variants {CACHE_VERSION}\nPillow {__version__}\n".encode())
    for codec in ("jpg", "webp", "avif"):
        digest.update(f"{codec} {features.version(codec)}\n".encode())
    digest.update(repr(sorted((k, v[3]) for k, v in FORMATS.items())).encode())
    digest.update(repr((WIDTHS, PRINT_LONG_SIDE, "lanczos", "draft", "autocontrast 1")).encode())
    return digest.hexdigest()


def variants_of(sha256: str, width: int, height: int) -> list[Variant]:
    """Every variant the site and the bulletin use of one photo."""
    out = []
    for fmt in (*site_formats(), "jpeg"):
        for target in WIDTHS if fmt != "jpeg" else (SMALL,):
            size = scaled(width, height, target)
            out.append(_variant(sha256, fmt, size))
    return out


def print_variant(sha256: str, width: int, height: int) -> Variant:
    return _variant(sha256, "print", scaled(width, height, PRINT_LONG_SIDE, long_side=True))


def _variant(sha256: str, fmt: str, size: tuple[int, int]) -> Variant:
    key = hashlib.sha256(f"{toolchain()}\n{sha256}\n{fmt}\n{size[0]}x{size[1]}".encode()).hexdigest()[:40]
    return Variant(sha256, fmt, size[0], size[1], key)


class VariantStore:
    """The cache folder: which variants are there, making the missing ones."""

    def __init__(self, root: Path, cache_dir: Path | None = None):
        self.folder = Path(cache_dir or os.environ.get("NTM_PHOTO_CACHE") or root / CACHE_DIR)

    def path(self, variant: Variant) -> Path:
        return self.folder / variant.cache_name

    def has(self, variant: Variant) -> bool:
        return (self.folder / variant.cache_name).is_file()

    def make(self, work: list[tuple[Path, list[Variant]]], workers: int | None = None) -> int:
        """Make the variants of each (stored photo, its missing variants); return how many photos were read."""
        if not work:
            return 0
        tasks = [(str(source), [(v.fmt, v.width, v.height, str(self.folder / v.cache_name)) for v in variants])
                 for source, variants in work]
        workers = min(workers or os.cpu_count() or 1, len(tasks))
        from .. import background

        # Never fork from a process with threads (mkdocs serve's web server):
        # there, the few photos of an edit are made in place.
        if workers == 1 or not background.can_fork():
            for task in tasks:
                _make(task)
        else:
            with background.fork_pool(workers) as pool:
                list(pool.map(_make, tasks, chunksize=4))
        return len(tasks)

    def claim(self, variants: list[Variant]) -> None:
        """This build uses ``variants`` (cachekeep.py): claimed before they are
        looked up; only a build that succeeded prunes what no build uses."""
        from .. import cachekeep

        cachekeep.claim(self.folder, [v.cache_name for v in variants], ENTRIES)


def _make(task) -> None:
    """Decode one stored photo once, write each of its variants (in a worker)."""
    from PIL import Image, ImageOps

    source, wanted = task
    largest = max(max(w, h) for _, w, h, _ in wanted)
    with Image.open(source) as image:
        if image.format == "JPEG":
            scale = largest / max(image.size)
            if scale < 1:
                image.draft(image.mode if image.mode in ("RGB", "L") else "RGB",
                            (int(image.width * scale) + 1, int(image.height * scale) + 1))
        image.load()
        base = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    for fmt, width, height, target in sorted(wanted, key=lambda w: -w[1]):
        picture = base.resize((width, height), Image.Resampling.LANCZOS) if base.size != (width, height) else base
        name, _, _, settings = FORMATS[fmt]
        if fmt == "print":
            # Grey, with the darkest and lightest percent stretched: what a
            # black-and-white office printer renders best.
            picture = ImageOps.autocontrast(picture.convert("L"), cutoff=1)
        out = io.BytesIO()
        picture.save(out, name, **settings)
        write_atomically(Path(target), out.getvalue())


def print_jpeg(root: Path, path: str, sha256: str, width: int, height: int) -> bytes:
    """The bulletin's grey JPEG of a stored photo (``path`` in the repository),
    from the cache or made now."""
    store = VariantStore(root)
    variant = print_variant(sha256, width, height)
    target = store.path(variant)
    if not target.is_file():
        source = Path(root) / path
        with open(source, "rb") as handle:
            if handle.read(len(LFS_POINTER)) == LFS_POINTER:
                from .. import rules
                from ..errors import ContentErrors

                raise ContentErrors([rules.error("A014", path, 0, file=source.name)])
        store.make([(source, [variant])], workers=1)
    return target.read_bytes()

"""The published photos as files of the site, and as the views show them.

``PhotoSite(root, library, units)`` in ``on_files``: each published photo's
variants (variants.py) become files of the site at
``anh/tep/<xa>/<yyyy-mm-dd>/<name>-<width>.<suffix>``, their bytes taken from
the cache; those not made yet are made beside the build (background.py),
in time for MkDocs to copy them (``on_env``). A photo marked «không đăng»
has no variant and no file: it never reaches the site, the offline copy or
paper. The views get :class:`Shown` photos: the ``<source>`` lists, the
JPEG fallback with its size (``width``/``height`` on every ``<img>``), the
alt text and caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ContentErrors
from ..models.photos import STAGE_NAMES
from .. import rules
from .library import PhotoLibrary, StoredPhoto
from .variants import FORMATS, SMALL, Variant, VariantStore, site_formats, variants_of, print_variant

SITE_DIR = "anh/tep"
OFFLINE_SATURDAYS = 2  # this week's and last week's: what a meeting talks about
GALLERY_DIR = "anh"
# What a picture takes of the page: two side by side on a phone, three in
# the column of a wider screen (ntm.css, .ntm-photos).
SIZES = "(min-width: 76.25em) 230px, (min-width: 45em) 31vw, 46vw"


def variant_site_path(item: StoredPhoto, variant: Variant) -> str:
    stem = item.photo.file.rsplit(".", 1)[0]
    ref = item.ref
    return f"{SITE_DIR}/{ref.unit}/{ref.date.isoformat()}/{stem}-{variant.width}.{variant.suffix}"


def gallery_page(saturday: date) -> str:
    return f"{GALLERY_DIR}/{saturday.isoformat()}.md"


GALLERY_INDEX = f"{GALLERY_DIR}/index.md"


@dataclass(frozen=True)
class SourceSet:
    mime: str
    files: tuple[tuple[str, int], ...]  # (site path, width in pixels)


@dataclass(frozen=True)
class Shown:
    """One photo as a view shows it."""

    item: StoredPhoto
    unit_name: str
    hamlet_name: str | None
    sources: tuple[SourceSet, ...]
    fallback: str  # site path of the small JPEG
    width: int  # of the fallback
    height: int

    @property
    def description(self) -> str:
        return self.item.photo.description

    @property
    def caption(self) -> str | None:
        return self.item.photo.caption

    @property
    def stage(self) -> str | None:
        return STAGE_NAMES.get(self.item.photo.stage) if self.item.photo.stage else None

    @property
    def is_example(self) -> bool:
        return self.item.ref.is_example

    @property
    def unit(self) -> str:
        return self.item.ref.unit

    @property
    def saturday(self) -> date:
        return self.item.ref.date

    @property
    def path(self) -> str:
        return self.item.path


class PhotoSite:
    def __init__(self, root: Path, library: PhotoLibrary, units, store: VariantStore | None = None):
        self.root = Path(root)
        self.library = library
        self.units = units.by_id()
        self.store = store or VariantStore(self.root)
        self.files: dict[str, Path] = {}  # site path -> cache file
        self.missing: list[tuple[Path, list[Variant]]] = []
        self._shown: dict[str, Shown] = {}
        self._plan()

    def _plan(self) -> None:
        from ..handouts.bulletin import BULLETIN_SATURDAYS

        pointers = []
        # The bulletins' grey pictures too (handouts/bulletin.py): kept, and
        # made beside the build, so a bulletin is laid out without decoding.
        printed = set(self.library.saturdays[-BULLETIN_SATURDAYS:])
        plan = [
            (item, variants_of(item.sha256, item.width, item.height),
             [print_variant(item.sha256, item.width, item.height)] if item.ref.date in printed else [])
            for item in self.library.published
        ]
        self.store.claim([v for _, wanted, grey in plan for v in wanted + grey])
        for item, wanted, grey in plan:
            todo = [v for v in wanted + grey if not self.store.has(v)]
            for variant in wanted:
                self.files[variant_site_path(item, variant)] = self.store.path(variant)
            if todo:
                source = self.root / item.path
                if _is_pointer(source):
                    pointers.append(item)
                else:
                    self.missing.append((source, todo))
            self._shown[item.path] = self._as_shown(item, wanted)
        if pointers:
            raise ContentErrors([rules.error("A014", p.path, 0, file=p.photo.file) for p in pointers])

    def _as_shown(self, item: StoredPhoto, wanted: list[Variant]) -> Shown:
        unit = self.units.get(item.ref.unit)
        hamlet = unit.hamlet(item.photo.hamlet) if unit is not None and item.photo.hamlet else None
        sources = []
        for fmt in site_formats():
            files = tuple((variant_site_path(item, v), v.width) for v in wanted if v.fmt == fmt)
            sources.append(SourceSet(FORMATS[fmt][2], files))
        small = next(v for v in wanted if v.fmt == "jpeg" and v.width <= SMALL)
        return Shown(item, unit.full_name if unit else item.ref.unit, hamlet.name if hamlet else None, tuple(sources),
                     variant_site_path(item, small), small.width, small.height)

    # --- what the build does with the files --------------------------------------

    def make_missing(self) -> None:
        self.store.make(self.missing)

    def add_files(self, files, config, command: str = "build") -> None:
        """The variants as files of the site. In ``mkdocs build`` they are
        linked into the site by :meth:`link_into` (MkDocs would copy them:
        tens of thousands of files, 14 s a build for a district-year, where
        hard links take 2 s); MkDocs is told they are drafts, which it lists
        (pages link them) but leaves out of a build. ``mkdocs serve`` copies
        them as usual."""
        from mkdocs.structure.files import File, InclusionLevel

        inclusion = InclusionLevel.DRAFT if command == "build" else InclusionLevel.UNDEFINED
        for name, path in sorted(self.files.items()):
            files.append(File.generated(config, name, abs_src_path=str(path), inclusion=inclusion))

    def link_into(self, site_dir: Path) -> None:
        """Each variant into the built site: a hard link to its cache file
        (written once, by rename: the site's link keeps its bytes whatever
        the cache does next), or a copy on another file system."""
        import os
        import shutil

        for name, path in self.files.items():
            target = Path(site_dir) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except FileExistsError:
                target.unlink()
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)

    # --- what the views show -------------------------------------------------------

    def of(self, unit_id: str, saturday: date) -> list[Shown]:
        return [self._shown[p.path] for p in self.library.of(unit_id, saturday)]

    def on(self, saturday: date) -> list[Shown]:
        """The Saturday's photos, commune by commune in the order of don-vi.yml."""
        order = {unit_id: index for index, unit_id in enumerate(self.units)}
        photos = [self._shown[p.path] for p in self.library.on(saturday)]
        return sorted(photos, key=lambda s: order.get(s.unit, len(order)))

    def by_unit_on(self, saturday: date) -> list[tuple[str, str, list[Shown]]]:
        """(unit id, name, photos) of each commune with photos that Saturday."""
        groups: dict[str, list[Shown]] = {}
        for shown in self.on(saturday):
            groups.setdefault(shown.unit, []).append(shown)
        return [(unit, shown[0].unit_name, shown) for unit, shown in groups.items()]

    @property
    def saturdays(self) -> list[date]:
        return self.library.saturdays

    def latest(self, count: int = 4) -> tuple[date | None, list[Shown]]:
        """The newest Saturday with photos, and up to ``count`` of them (one per
        commune first, "after" pictures first: what changed)."""
        if not self.library.saturdays:
            return None, []
        saturday = self.library.saturdays[-1]
        photos = self.on(saturday)
        rank = {"sau": 0, "trong": 1, None: 2, "trước": 3}
        chosen: list[Shown] = []
        for _, _, group in self.by_unit_on(saturday):
            chosen.append(sorted(group, key=lambda s: rank.get(s.item.photo.stage, 2))[0])
        chosen += [p for p in photos if p not in chosen]
        return saturday, chosen[:count]

    def cover(self, unit_id: str, saturday: date) -> Shown | None:
        """The picture that stands for a commune's Saturday (the feed): an "after" one first."""
        photos = self.of(unit_id, saturday)
        rank = {"sau": 0, "trong": 1, None: 2, "trước": 3}
        return sorted(photos, key=lambda s: rank.get(s.item.photo.stage, 2))[0] if photos else None

    def counts(self) -> dict[date, tuple[int, int]]:
        """Saturday -> (photos, communes with photos)."""
        out = {}
        for saturday in self.library.saturdays:
            photos = self.library.on(saturday)
            out[saturday] = (len(photos), len({p.ref.unit for p in photos}))
        return out

    def offline_files(self) -> frozenset[str]:
        """What the offline copy carries of the photos: the small WebP of the
        photos of the latest :data:`OFFLINE_SATURDAYS` Saturdays with photos
        (a copy is taken to a meeting about this week and the last ones; the
        whole album would be tens of megabytes a year)."""
        recent = set(self.library.saturdays[-OFFLINE_SATURDAYS:])
        out = set()
        for item in self.library.published:
            if item.ref.date in recent:
                small = next(v for v in variants_of(item.sha256, item.width, item.height) if v.fmt == "webp")
                out.add(variant_site_path(item, small))
        return frozenset(out)

    def print_file(self, item: StoredPhoto) -> Path:
        """The bulletin's grey JPEG of a photo, made now if the cache lacks it."""
        variant = print_variant(item.sha256, item.width, item.height)
        path = self.store.path(variant)
        if not path.is_file():
            source = self.root / item.path
            if _is_pointer(source):
                raise ContentErrors([rules.error("A014", item.path, 0, file=item.photo.file)])
            self.store.make([(source, [variant])], workers=1)
        return path


def _is_pointer(path: Path) -> bool:
    from .header import LFS_POINTER

    try:
        with open(path, "rb") as handle:
            return handle.read(len(LFS_POINTER)) == LFS_POINTER
    except OSError:
        return False


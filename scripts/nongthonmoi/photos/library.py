"""The photos of the records, checked: what ``ntm check`` and the build say
about ``materials/anh/`` (rules A001-A015), and what the pages may show.

Two passes:

- :func:`record_problems`, for each plan or result as it loads (with its
  YAML lines): the description says what the picture shows (A002), the
  hamlet is the commune's (S006); and :func:`references` notes each photo's
  file and line;
- :func:`load_library`, once every record has loaded: each referenced file
  exists (A003) once (A013); every file in ``materials/anh/`` is a photo of
  a record (A004), well named and placed (A012), and a stored photo
  (stored.py: A005-A011, A015); a Git LFS pointer is looked up by its oid
  (A014). Images in ``docs/`` are published as they are: they must carry no
  position or camera data either (A008, A009).

What a file is (its sha256, size in pixels, problems) is kept in
``.cache/anh/`` by content, and by path, size and modification time, so a
check reads only new or changed photos; a photo that git keeps as an LFS
pointer is known by its oid (the sha256 of its content) without downloading it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from .. import rules
from ..atomicfile import write_atomically
from ..errors import ContentError, ContentErrors
from ..models.photos import PHOTO_FILE_PATTERN, Photo
from ..inputfile import NotReadable, read_input
from . import MAX_INPUT_BYTES, PHOTOS_DIR
from .header import read_header
from .normalise import megabytes
from .documents import DOCUMENTS, document_problems
from .published import DOC_IMAGES, published_problems
from .stored import stored_problems

PLAN, RESULT = "ke-hoach", "ket-qua"
MIN_DESCRIPTION = 10  # characters: «Dọn đường» says less than a sentence
_NAME = re.compile(PHOTO_FILE_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Words that say "a picture", not what is in it.
_EMPTY_WORDS = re.compile(r"^(ảnh|hình|hình ảnh|hinh|anh|photo|image|img|pic|picture|dsc|pxl|zalo|ảnh chụp)[\s\d_.\-]*$", re.I)
_FILE_LIKE = re.compile(r"\.(jpe?g|png|heic|webp)$|^(img|dsc|pxl|z\d{6,})[_\-]?\d", re.I)


def photo_path(unit_id: str, saturday: date, name: str) -> str:
    return f"materials/{PHOTOS_DIR}/{unit_id}/{saturday.isoformat()}/{name}"


def photo_folder(unit_id: str, saturday: date) -> str:
    return f"materials/{PHOTOS_DIR}/{unit_id}/{saturday.isoformat()}/"


@dataclass(frozen=True)
class PhotoRef:
    """A photo as a record lists it: where, and on which line."""

    kind: str  # PLAN or RESULT
    unit: str
    date: date
    index: int
    photo: Photo
    source: str  # the record's file
    line: int
    is_example: bool

    @property
    def path(self) -> str:
        return photo_path(self.unit, self.date, self.photo.file)


def references(kind: str, record, source) -> list[PhotoRef]:
    return [
        PhotoRef(kind, record.unit, record.date, index, photo, source.display, source.line_of(("anh", index, "tep")),
                 record.is_example)
        for index, photo in enumerate(record.photos)
    ]


def record_problems(record, source, unit) -> list[ContentError]:
    """What one record's photo list says wrong on its own (see the module's text)."""
    errors = []
    for index, photo in enumerate(record.photos):
        loc = ("anh", index, "mo_ta")
        if not describes(photo):
            errors.append(rules.error("A002", source.display, source.line_of(loc), file=photo.file,
                                      value=photo.description, minimum=MIN_DESCRIPTION))
        if photo.hamlet is not None and unit is not None and unit.hamlet(photo.hamlet) is None:
            errors.append(rules.error("S006", source.display, source.line_of(("anh", index, "thon")), unit=unit.full_name,
                                      value=photo.hamlet, known=", ".join(h.id for h in unit.hamlets)))
    return errors


def describes(photo: Photo) -> bool:
    """Whether the alt text says something of the picture."""
    text = photo.description.strip()
    stem = photo.file.rsplit(".", 1)[0]
    if len(text) < MIN_DESCRIPTION or _EMPTY_WORDS.match(text) or _FILE_LIKE.search(text):
        return False
    return text.casefold() not in {photo.file.casefold(), stem.casefold(), stem.replace("-", " ").casefold()}


# --- what a file is ----------------------------------------------------------------


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    kind: str
    width: int
    height: int
    size: int
    problems: tuple  # ((rule id, params), ...) from stored.py
    pointer: bool = False  # a Git LFS pointer whose photo was checked earlier


CACHE_DIR = Path(".cache") / "anh"
INDEX = "tep-anh.pickle"
INDEX_VERSION = "1"


def _code_key() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for name in ("__init__.py", "header.py", "stored.py"):
        digest.update(name.encode() + (package / name).read_bytes())
    digest.update((package.parent / "rules.py").read_bytes())
    return digest.hexdigest()[:24]


class FileIndex:
    """What earlier checks found in each photo file: by content (sha256),
    and by path, size and modification time (no read for an unchanged file).
    Only what this run used is written back."""

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / INDEX
        self.code = _code_key()
        known = _read_index(self.path)
        if known.get("code") != self.code:
            known = {}
        self.by_stat: dict = known.get("by_stat", {})
        self.by_sha: dict = known.get("by_sha", {})
        self.used_stat: dict = {}
        self.used_sha: dict = {}

    def facts(self, path: Path, display: str) -> FileFacts:
        stat = path.lstat()  # a link is never followed, here or below
        key = (display, stat.st_size, stat.st_mtime_ns)
        sha = self.by_stat.get(key)
        if sha is not None and sha in self.by_sha:
            facts = self.by_sha[sha]
            self._use(key, facts)
            return facts
        try:
            data = read_input(path, MAX_INPUT_BYTES)
        except NotReadable as exc:
            return FileFacts("", "unreadable", 0, 0, 0, (("A011", {"problem": exc.reason}),))
        if len(data) > MAX_INPUT_BYTES:
            return FileFacts("", "unknown", 0, 0, len(data),
                             (("A006", {"size": f"hơn {megabytes(MAX_INPUT_BYTES)}", "limit": megabytes(MAX_INPUT_BYTES)}),))
        header = read_header(data)
        if header.kind == "lfs":
            known = self.by_sha.get(header.lfs_oid) if header.lfs_oid else None
            if known is None:
                return FileFacts(header.lfs_oid, "lfs", 0, 0, len(data), (("A014", {}),))
            facts = FileFacts(known.sha256, known.kind, known.width, known.height, known.size, known.problems, pointer=True)
            self.used_sha[known.sha256] = known
            return facts
        facts = self.facts_of_data(data)
        self._use(key, facts)
        return facts

    def facts_of_data(self, data: bytes) -> FileFacts:
        """What a photo's bytes are (a file about to be written: the web editor's save)."""
        sha = hashlib.sha256(data).hexdigest()
        facts = self.by_sha.get(sha)
        if facts is None:
            header = read_header(data)
            facts = FileFacts(sha, header.kind, header.width, header.height, len(data),
                              tuple(stored_problems(header, len(data))))
        return facts

    def _use(self, key, facts: FileFacts) -> None:
        self.used_stat[key] = facts.sha256
        self.used_sha[facts.sha256] = facts

    def save(self) -> None:
        if self.used_stat == self.by_stat and self.used_sha.keys() == self.by_sha.keys():
            return
        payload = {"code": self.code, "by_stat": self.used_stat, "by_sha": self.used_sha}
        try:
            write_atomically(self.path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written is no cache, not an error


def _read_index(path: Path) -> dict:
    try:
        found = pickle.loads(path.read_bytes())
        return found if isinstance(found, dict) else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}


# --- the library -----------------------------------------------------------------


@dataclass(frozen=True)
class StoredPhoto:
    """A checked photo of a record, with what the pages need to show it."""

    ref: PhotoRef
    sha256: str
    width: int
    height: int

    @property
    def photo(self) -> Photo:
        return self.ref.photo

    @property
    def path(self) -> str:
        return self.ref.path

    @property
    def published(self) -> bool:
        return self.ref.photo.published


@dataclass(frozen=True)
class PhotoLibrary:
    photos: tuple[StoredPhoto, ...] = ()

    @cached_property
    def _by_key(self) -> dict[tuple[str, date], list[StoredPhoto]]:
        index: dict = {}
        for item in self.photos:
            index.setdefault((item.ref.unit, item.ref.date), []).append(item)
        return index

    def of(self, unit_id: str, saturday: date) -> list[StoredPhoto]:
        """Published photos of one commune's Saturday: the plan's, then the result's."""
        return [p for p in self._by_key.get((unit_id, saturday), []) if p.published]

    @cached_property
    def published(self) -> list[StoredPhoto]:
        return [p for p in self.photos if p.published]

    def on(self, saturday: date) -> list[StoredPhoto]:
        return [p for p in self.published if p.ref.date == saturday]

    @cached_property
    def saturdays(self) -> list[date]:
        """Saturdays with at least one published photo, oldest first."""
        return sorted({p.ref.date for p in self.published})


def load_library(root: Path, data, docs_dir: Path | None = None, overlay: dict | None = None) -> PhotoLibrary:
    """Check the photos of every record and every file of materials/anh/;
    raise :class:`ContentErrors` listing every problem. ``overlay`` (the web
    editor's save, checked before it is written): photo paths with the bytes
    about to be written there, or None for a file about to be removed."""
    index = FileIndex(root)
    errors: list[ContentError] = []
    refs: list[PhotoRef] = list(getattr(data, "photo_refs", ()))
    base = root / "materials" / PHOTOS_DIR
    on_disk = _files(base)
    coming = {p: v for p, v in (overlay or {}).items() if p.startswith(f"materials/{PHOTOS_DIR}/")}
    for path, content in coming.items():
        (on_disk.add if content is not None else on_disk.discard)(path)

    def facts_at(path: str) -> FileFacts:
        return index.facts_of_data(coming[path]) if path in coming else index.facts(root / path, path)
    seen: dict[str, PhotoRef] = {}
    stored: list[StoredPhoto] = []
    facts_of: dict[str, FileFacts] = {}
    units = data.units.by_id()
    for ref in refs:
        path = ref.path
        first = seen.get(path)
        if first is not None:
            where = f"{first.source}, dòng {first.line}"
            errors.append(rules.error("A013", ref.source, ref.line, file=ref.photo.file, first=where))
            continue
        seen[path] = ref
        if path not in on_disk:
            errors.append(rules.error("A003", ref.source, ref.line, photo=path, unit=ref.unit, date=ref.date.isoformat(),
                                      folder=photo_folder(ref.unit, ref.date), file=ref.photo.file))
            continue
        facts = facts_of.get(path) or facts_at(path)
        facts_of[path] = facts
        if not facts.problems:
            stored.append(StoredPhoto(ref, facts.sha256, facts.width, facts.height))
    for path in sorted(on_disk):
        facts = facts_of.get(path)
        relative = path[len(f"materials/{PHOTOS_DIR}/"):]
        parts = relative.split("/")
        well_placed = (
            len(parts) == 3 and parts[0] in units and _DATE.fullmatch(parts[1]) is not None and _NAME.fullmatch(parts[2]) is not None
        )
        if not well_placed:
            errors.append(rules.error("A012", path, 0, value=relative))
            continue
        if path not in seen:
            unit = units[parts[0]]
            saturday = _parse_date(parts[1])
            errors.append(rules.error("A004", path, 0, unit=unit.full_name, unit_id=unit.id,
                                      date=f"{saturday:%d/%m/%Y}" if saturday else parts[1], iso=parts[1]))
            continue
        if facts is None:
            facts = facts_at(path)
        for rule_id, params in facts.problems:
            errors.append(rules.error(rule_id, path, 0, **{"file": parts[2], **params}))
    if docs_dir is not None:
        errors += docs_file_problems(root, docs_dir)
    index.save()
    if errors:
        raise ContentErrors(errors)
    return PhotoLibrary(tuple(stored))


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _files(base: Path) -> set[str]:
    """Every file under materials/anh/, as repository paths."""
    found = set()
    if not base.is_dir():
        return found
    prefix = f"materials/{PHOTOS_DIR}"
    for folder, _, names in os.walk(base):
        inside = os.path.relpath(folder, base).replace(os.sep, "/")
        for name in names:
            found.add(f"{prefix}/{name}" if inside == "." else f"{prefix}/{inside}/{name}")
    return found


def docs_file_problems(root: Path, docs_dir: Path) -> list[ContentError]:
    """Pictures and documents under docs/ go to the site and the offline zip
    as they are (pictures also into the handouts): each picture is held to
    the allow-list of published.py, each document to documents.py. Read
    through inputfile.read_input: links and entries that are no regular file
    are never read (P016, P017 name them), and never more than the limit."""
    errors = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # MkDocs publishes no hidden folder
        for name in sorted(names):
            picture = name.lower().endswith(DOC_IMAGES)
            if not (picture or name.lower().endswith(DOCUMENTS)) or name.startswith("."):
                continue
            path = Path(folder, name)
            display = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
            try:
                data = read_input(path, MAX_INPUT_BYTES)
            except NotReadable:
                continue
            if len(data) > MAX_INPUT_BYTES:
                errors.append(rules.error("A006", display, 0, file=name, size=f"hơn {megabytes(MAX_INPUT_BYTES)}",
                                          limit=megabytes(MAX_INPUT_BYTES)))
                continue
            found = published_problems(read_header(data)) if picture else document_problems(name, data)
            for rule_id, params in found:
                errors.append(rules.error(rule_id, display, 0, **{"file": name, **params}))
    return errors

"""Photos through the web editor: an upload made normalised, and the photo
files that go with a save of a plan or a result.

- :func:`upload_photo`: the ``«Chọn ảnh»`` of the form (local mode). The picked
  file goes through :func:`photos.normalise.normalise_photo` (upright, no
  GPS or camera data, at most 1,600 px, JPEG); the page gets back only the
  normalised bytes and their name, ``anh-<12 hex of their sha256>.jpg``:
  made here, never taken from the upload (whose name, path and all, is only
  shown in a refusal), and the same on the published site (ntm-anh.js names
  the browser's re-encoded picture the same way).
- :func:`files_of_save`: what a save of a record does to its photo folder
  (``materials/anh/<xã>/<ngày>/``), in the same commit as the record:
  photos that came with the save are written (each normalised again: only
  what passes unchanged is stored, under the name its bytes give: E007
  otherwise; of the path Decap gives a photo only the name counts), photos
  the record no longer lists are removed (rule A004 otherwise), and a
  record that moves to another commune or Saturday takes its photos along.
  A photo sent with the save but not listed is ignored; a listed photo that
  is nowhere is left to the check (A003, at its field).
- :func:`cleaned_upload`: a picture for a page (the media library, a page's
  attachments). One taken by ``ntm check`` as it is stays as it is (a PNG
  screenshot keeps its format and transparency); a photo that only carries
  what a re-encode removes (a position, camera data, other segments: A008,
  A009, A016) is cleaned by the same :func:`normalise_photo` as «Chọn ảnh»
  and stored as ``<name>.jpg``; anything else (not a picture, a bomb, a
  damaged file, thousands of scans) is refused as ``ntm check`` refuses it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import rules as registry
from ..photos import INPUT_FORMATS, PHOTOS_DIR
from ..photos.header import read_header
from ..photos.normalise import PhotoRefused, normalise_photo
from . import paths
from .check import Problem, check_upload, upload_problem
from .config import PHOTO_FORMATS_ACCEPTED
from .messages import FORM_FIXES

RECORD_FOLDERS = ("materials/ke-hoach/", "materials/ket-qua/")
ACCEPTED = PHOTO_FORMATS_ACCEPTED


class PhotoProblem(Exception):
    """A photo refused, with its problem placed at its field."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text())
        self.problem = problem


def upload_name(data: bytes) -> str:
    """The stored name of a normalised photo: its content names it."""
    return f"anh-{hashlib.sha256(data).hexdigest()[:12]}.jpg"


def _refusal(exc: PhotoRefused, loc: tuple = ()) -> Problem:
    error = exc.error
    fix = FORM_FIXES.get(error.rule) or error.hint
    field = "Ảnh › Tệp ảnh" if loc else ""
    return Problem(error.rule, loc, field, error.message, fix)


@dataclass
class Uploaded:
    name: str
    data: bytes
    width: int
    height: int
    report: list[str]


def shown_name(name: str) -> str:
    """The picked file's name as a refusal shows it: never a path, never long."""
    name = "".join(c for c in name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable()).strip()
    return name[:80] or "ảnh"


def upload_photo(data: bytes, name: str) -> Uploaded:
    """A picked photo, normalised; PhotoProblem with the rule's Vietnamese message."""
    try:
        result = normalise_photo(data, shown_name(name), accepted=ACCEPTED)
    except PhotoRefused as exc:
        raise PhotoProblem(_refusal(exc)) from None
    return Uploaded(upload_name(result.data), result.data, result.width, result.height, list(result.report))


# --- a picture of a page ---------------------------------------------------------------

# Hidden data a re-encode leaves behind (position, camera data, other segments):
# cleaned. Every other problem (a bomb, a damaged file, too many scans) is refused.
CLEANABLE = frozenset({"A008", "A009", "A016"})
# A page of docs/ links a cleaned picture as JPEG; normalise_photo writes JPEG.
JPEG_SUFFIXES = (".jpg", ".jpeg")


class UploadRefused(Exception):
    """A picture or document the media library does not take, with its problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(p.text() for p in problems))
        self.problems = problems


@dataclass
class CleanedUpload:
    name: str  # the file's name once cleaned (a PNG with a position becomes <name>.jpg)
    data: bytes


def cleaned_upload(name: str, data: bytes, *, rename: bool = True) -> CleanedUpload:
    """A file for docs/ as it will be stored (see the module's text);
    UploadRefused otherwise. ``rename``: False where the page already links
    the name (a page's attachments sent with its save): only a JPEG is cleaned
    there, under its own name."""
    problems = check_upload(name, data)
    if not problems:
        return CleanedUpload(name, data)
    stem, suffix = (name.rsplit(".", 1) + [""])[:2]
    cleanable = (
        all(p.rule in CLEANABLE for p in problems)
        and read_header(data).kind in INPUT_FORMATS
        and (rename or f".{suffix.lower()}" in JPEG_SUFFIXES)
    )
    if not cleanable:
        raise UploadRefused(problems)
    try:
        result = normalise_photo(data, shown_name(name), accepted=ACCEPTED, min_long_side=1)
    except PhotoRefused as exc:
        raise UploadRefused([upload_problem(exc.error)]) from None
    cleaned = name if f".{suffix.lower()}" in JPEG_SUFFIXES else f"{stem}.jpg"
    return CleanedUpload(cleaned, result.data)


# --- a save ----------------------------------------------------------------------------


@dataclass
class PhotoFiles:
    """Photo files a save writes (path -> bytes) and removes."""

    write: dict[str, bytes] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [*self.write, *self.remove]

    def overlay(self) -> dict[str, bytes | None]:
        return {**{p: None for p in self.remove}, **self.write}


def is_record(rel: str) -> bool:
    return rel.startswith(RECORD_FOLDERS)


def folder_of(record: str) -> str:
    """materials/ket-qua/gung-re/2023-03-11.yml -> materials/anh/gung-re/2023-03-11/."""
    parts = record.split("/")
    return f"materials/{PHOTOS_DIR}/{parts[2]}/{parts[3].removesuffix('.yml')}/"


def listed(data: object) -> list[str]:
    """The photo file names a record's data lists (``anh[].tep``), in order."""
    if not isinstance(data, dict) or not isinstance(data.get("anh"), list):
        return []
    return [item["tep"] for item in data["anh"] if isinstance(item, dict) and isinstance(item.get("tep"), str)]


def _listed_on_disk(root: Path, rel: str) -> list[str]:
    try:
        text = paths.resolve(root, rel, write=False).read_text(encoding="utf-8")
        return listed(yaml.safe_load(text))
    except (FileNotFoundError, UnicodeDecodeError, yaml.YAMLError):
        return []


def _exists(root: Path, rel: str) -> bool:
    try:
        paths.resolve(root, rel, write=False)
        return True
    except (FileNotFoundError, paths.PathRefused):
        return False


def files_of_save(root: Path, target: str, old: str | None, data: dict, uploads: dict[str, bytes]) -> PhotoFiles:
    """The photo files that go with saving ``data`` at ``target`` (moved from
    ``old``, or ``target`` itself when it exists); ``uploads``: photo paths
    sent with the save -> their bytes."""
    found = PhotoFiles()
    if not is_record(target):
        return found
    before = old or target
    new_folder, old_folder = folder_of(target), folder_of(before)
    names = listed(data)
    sent = {}
    for rel, content in uploads.items():
        if paths.kind_of(rel) != "photo":
            raise paths.PathRefused(f"«{rel}» không phải ảnh của một kết quả hay kế hoạch.")
        # Decap names the folder from the form as it was when the photo was
        # picked; the record's commune and Saturday decide where it goes.
        sent[rel.rsplit("/", 1)[-1]] = content
    for index, name in enumerate(names):
        loc = ("anh", index, "tep")
        if name in sent:
            found.write[new_folder + name] = _stored(sent.pop(name), name, loc)
        elif old_folder != new_folder and not _exists(root, new_folder + name) and _exists(root, old_folder + name):
            # The record moves to another commune or Saturday: its photos go with it.
            found.write[new_folder + name] = paths.resolve(root, old_folder + name, write=False).read_bytes()
            found.remove.append(old_folder + name)
    kept = set(names) if old_folder == new_folder else set()
    for name in _listed_on_disk(root, before) if _exists(root, before) else []:
        if name not in kept and old_folder + name not in found.remove and _exists(root, old_folder + name):
            found.remove.append(old_folder + name)
    for rel in found.paths:
        paths.resolve(root, rel, write=True)  # every path checked like any other (links, names)
    return found


def _stored(content: bytes, name: str, loc: tuple) -> bytes:
    """The bytes to store for a photo sent with a save: normalised, under the
    name its normalised bytes give (what «Chọn ảnh» returned)."""
    try:
        result = normalise_photo(content, name, accepted=ACCEPTED)
    except PhotoRefused as exc:
        raise PhotoProblem(_refusal(exc, loc)) from None
    if upload_name(result.data) != name:
        rule = registry.rule("E007")
        raise PhotoProblem(Problem("E007", loc, "Ảnh › Tệp ảnh", rule.message.format(file=name), rule.fix))
    return result.data


def files_of_record(root: Path, record: str) -> list[str]:
    """The photo files a record lists that exist (removed with the record)."""
    if not is_record(record) or not _exists(root, record):
        return []
    folder = folder_of(record)
    return [folder + name for name in _listed_on_disk(root, record) if _exists(root, folder + name)]


def pending_photo_problem(problem: Problem, data: object, coming: set[str]) -> bool:
    """A003 (no such file) for a photo picked in the form, whose bytes come
    with the real save (the check before it runs without them)."""
    loc = problem.path
    if problem.rule != "A003" or len(loc) < 2 or loc[0] != "anh" or not isinstance(loc[1], int):
        return False
    names = listed(data)
    return loc[1] < len(names) and names[loc[1]] in coming

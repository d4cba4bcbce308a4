"""Check what the web editor is about to save, with the rules of ``ntm check``.

Under ``ntm edit`` the editor sends the form's data before writing a file;
the preview server answers with the Vietnamese problems the file would
cause. The file is checked in place of the one on disk (an overlay), against
all the other data, so a plan for a hamlet of another commune, a result
without a plan or households over the total are refused before they are
written. Problems that already existed elsewhere do not block the save.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import contentcheck
from ..errors import ContentError, ContentErrors
from ..materials import load_materials
from .config import DATA_COLLECTIONS

# Problems of the files on disk, keyed by repository: only new problems block a save.
_BASELINE: dict[str, tuple[tuple, set[ContentError]]] = {}


def target_path(collection_name: str, data: dict) -> str | None:
    """Where the entry will be written (``materials/...``), or None for pages."""
    for collection in DATA_COLLECTIONS:
        if collection.name != collection_name:
            continue
        if collection.file:
            return collection.file
        owner = str(data.get(collection.owner_field) or "")
        day = str(data.get(collection.date_field) or "")
        return f"{collection.folder}/{owner}/{day}.yml"
    return None


def _problems(root: Path, overlay: dict[str, str] | None = None) -> set[ContentError]:
    try:
        load_materials(root, overlay=overlay)
    except ContentErrors as exc:
        return set(exc.errors)
    return set()


def _baseline(root: Path) -> set[ContentError]:
    folder = root / "materials"
    stamp = tuple(sorted((p.as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*.yml")))
    cached = _BASELINE.get(str(root))
    if cached is None or cached[0] != stamp:
        cached = _BASELINE[str(root)] = (stamp, _problems(root))
    return cached[1]


# Line numbers refer to the text checked here, not to the file the editor
# will write: in the form, say which item, not which line.
_LINE_NOTE = re.compile(r",? dòng \d+")


def _describe(error: ContentError, target: str | None) -> str:
    where = "" if error.path == target else f"{error.path}: "
    text = where + _LINE_NOTE.sub("", error.message)
    if error.hint:
        text += f" Cách sửa: {error.hint}"
    return text


def check_entry(root: Path, collection: str, data: dict, slug: str = "") -> list[str]:
    """Vietnamese problems that saving ``data`` in ``collection`` would cause."""
    target = target_path(collection, data)
    if target is None:
        return _check_page(collection, data, slug)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    errors = [ContentError(target, e.line, e.message, e.hint) for e in contentcheck.check_text(text, target, False)]
    after = _problems(root, {target: text})
    before = _baseline(root)
    errors += [e for e in after if e.path == target or e not in before]
    return [_describe(e, target) for e in sorted(set(errors))]


def _check_page(collection: str, data: dict, slug: str) -> list[str]:
    """Text checks of a Markdown page (Unicode, OCR residue, image descriptions)."""
    meta = {k: v for k, v in data.items() if k != "body"}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + str(data.get("body") or "")
    display = f"{collection}/{slug or 'trang-moi'}.md"
    return [_describe(e, display) for e in contentcheck.check_text(text, display, True)]

"""Load and cross-check everything in ``materials/``: one entry point for the
plugin, the ``check`` command and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import rules
from .errors import ContentError, ContentErrors
from .models.base import check_unique, validate
from .models.documents import DocumentRegistry
from .photos.library import PhotoLibrary, docs_file_problems, load_library
from .saturday.data import SaturdayData
from .saturday.data import load as load_saturday_data
from .yamlsource import load_yaml, parse_yaml

DOCUMENTS_FILE = "van-ban.yml"


@dataclass(frozen=True)
class Materials:
    documents: DocumentRegistry
    # Units, agencies, weekly plans, results and staff lists (issue 4).
    saturday: SaturdayData
    # The photos of the plans and results, checked (photos/library.py).
    photos: PhotoLibrary = PhotoLibrary()


def load_materials(
    root: Path, docs_dir: Path | None = None, overlay: dict[str, str | bytes | None] | None = None,
    cache_dir: Path | None = None,
) -> Materials:
    """Load every data file; raise :class:`ContentErrors` listing all problems.

    ``overlay`` maps paths (``materials/...``) to text that replaces the file:
    the web editor checks a file this way before saving it (photos, under
    ``materials/anh/``, map to their bytes; None: a file about to go). ``cache_dir``
    (the build's): files read by an earlier build from the same bytes are not
    read again (saturday/data.py, inputcache.py).
    """
    docs_dir = docs_dir or root / "docs"
    materials_dir = root / "materials"
    errors: list[ContentError] = []

    documents = None
    try:
        display = f"materials/{DOCUMENTS_FILE}"
        if overlay and display in overlay:
            source = parse_yaml(overlay[display], materials_dir / DOCUMENTS_FILE, display)
        else:
            source = load_yaml(materials_dir / DOCUMENTS_FILE, display)
        documents = validate(DocumentRegistry, source)
        errors += _check_documents(documents, source, docs_dir)
    except ContentErrors as exc:
        errors += exc.errors

    saturday = None
    try:
        saturday = load_saturday_data(root, overlay, cache_dir)
    except ContentErrors as exc:
        errors += exc.errors

    photos = PhotoLibrary()
    if saturday is not None:
        try:
            photos = load_library(root, saturday, docs_dir, overlay)
        except ContentErrors as exc:
            errors += exc.errors
    else:
        # The photos of materials/ are checked against the data; the files of
        # docs/ are not: said in the same run as the data's errors, not the next.
        errors += docs_file_problems(root, docs_dir)

    if errors:
        raise ContentErrors(errors)
    return Materials(documents=documents, saturday=saturday, photos=photos)


def _check_documents(registry: DocumentRegistry, source, docs_dir: Path) -> list[ContentError]:
    docs = registry.documents
    errors = check_unique(docs, lambda d: d.id, source, "van_ban", "Mã văn bản")
    errors += check_unique(docs, lambda d: d.number, source, "van_ban", "Số văn bản")
    known = {d.id for d in docs}
    for index, doc in enumerate(docs):
        for j, other in enumerate(doc.related):
            if other not in known:
                errors.append(
                    rules.error(
                        "V001",
                        source.display,
                        source.line_of(("van_ban", index, "lien_quan", j)),
                        value=other,
                        known=", ".join(sorted(known)),
                    )
                )
        if not (docs_dir / doc.page).is_file():
            errors.append(rules.error("V002", source.display, source.line_of(("van_ban", index, "trang")), page=doc.page))
    return errors

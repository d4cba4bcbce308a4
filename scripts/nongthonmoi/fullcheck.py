"""Everything ``ntm check`` reports, in one place for its three callers: the
command itself, the check of drafts in CI (checkreport.py) and the editor's
«Lưu vào lịch sử» (editor/backend.py).

It reads through the build's caches in ``.cache/`` (data, text and page
checks, each keyed on the bytes it read and the code that read them), so a
check after an editor changed one file reads only that file again.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, ContentErrors


def problems(root: Path, *, shallow: bool = True) -> list[ContentError]:
    """The problems of every page and data file, sorted; ``shallow``: also say
    that a shallow clone cannot be built (the build stops on it)."""
    from . import contentcheck, gitdates, pagecheck
    from .materials import load_materials

    cache = root / ".cache"
    found: list[ContentError] = []
    try:
        load_materials(root, cache_dir=cache / "materials")
    except ContentErrors as exc:
        found += exc.errors
    # The same stores as the build's (plugin.py), so each warms the other.
    found += contentcheck.check_tree(root, cache_dir=cache / "checks" / "pages", data=False)
    found += contentcheck.check_tree(root, cache_dir=cache / "checks" / "data", pages=False)
    found += pagecheck.check_pages(root, cache_dir=cache / "checks" / "site")
    if shallow:
        problem = gitdates.shallow_clone_problem(root)
        if problem is not None:
            found.append(problem)
    return sorted(set(found))

"""The menu rule: a new page needs no edit of mkdocs.yml.

``nav`` in mkdocs.yml lists the pages in the order readers should meet them.
A Markdown page it does not list is added at the end of the menu section that
lists the other pages of its folder (a page in ``docs/huong-dan/`` goes under
"Ngày thứ Bảy"); a page in a folder no section lists goes at the end of the
menu. Pages an editor creates in the web editor therefore appear at once, and
the strict build never stops on "page not in nav".
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def listed_pages(nav) -> list[str]:
    """Every page path the nav names, in order."""
    out: list[str] = []
    for item in nav or []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    out.append(value)
                elif isinstance(value, list):
                    out += listed_pages(value)
    return out


def _folder(path: str) -> str:
    return PurePosixPath(path).parent.as_posix()


def _section_for(nav: list, folder: str) -> list | None:
    """The innermost list of the nav whose own pages live in ``folder``."""
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    found = _section_for(value, folder)
                    if found is not None:
                        return found
    own = [p for p in nav if isinstance(p, str)] + [
        v for item in nav if isinstance(item, dict) for v in item.values() if isinstance(v, str)
    ]
    if folder != "." and own and all(_folder(p) == folder for p in own):
        return nav
    return None


def unlisted_pages(nav, docs_dir: Path) -> list[str]:
    """Markdown pages of docs/ that the nav does not name, sorted."""
    listed = set(listed_pages(nav))
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    return [p for p in pages if p not in listed]


def complete_nav(nav, docs_dir: Path):
    """A copy of ``nav`` with every unlisted page added by the rule above."""
    if nav is None:
        return None  # MkDocs lists every page by itself
    import copy

    nav = copy.deepcopy(nav)
    for page in unlisted_pages(nav, docs_dir):
        section = _section_for(nav, _folder(page))
        (section if section is not None else nav).append(page)
    return nav

"""Every ``<img>`` of every page gets its size and lazy loading.

Pictures in guide pages are written in Markdown (``![Mô tả](hinh/x.png)``),
which gives an ``<img>`` with no size: the text jumps when the picture
arrives, and the browser fetches it at once even far down the page. The
plugin passes each page's HTML through :func:`complete` (one place for every
page): an ``<img>`` without ``width``/``height`` gets those of its file (read
from the file's header, never decoded), and every one without them gets
``loading="lazy"`` and ``decoding="async"``. The photos of the Saturdays
(views/saturday/_photos.html) have all of it already.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

_IMG = re.compile(r"<img\s[^>]*?/?>")
_SRC = re.compile(r'\ssrc="([^"]*)"')


@lru_cache(maxsize=512)
def _size(path: str, stamp: float) -> tuple[int, int] | None:
    from .photos.header import read_header

    try:
        with open(path, "rb") as handle:
            header = read_header(handle.read(1 << 20))
    except OSError:
        return None
    return (header.width, header.height) if header.width and header.height else None


def complete(html: str, page_url: str, files) -> str:
    """``html`` with each ``<img>`` given size (from its file), lazy loading and async decoding."""
    if "<img" not in html:
        return html

    def one(match: re.Match) -> str:
        tag = match.group(0)
        closing = "/>" if tag.endswith("/>") else ">"
        body = tag[: -len(closing)].rstrip()
        added = []
        if " width=" not in body and " height=" not in body:
            src = _SRC.search(body)
            size = _file_size(src.group(1), page_url, files) if src else None
            if size is not None:
                added += [f'width="{size[0]}"', f'height="{size[1]}"']
        if " loading=" not in body:
            added.append('loading="lazy"')
        if " decoding=" not in body:
            added.append('decoding="async"')
        return f"{body} {' '.join(added)}{' ' if closing == '/>' else ''}{closing}" if added else tag

    return _IMG.sub(one, html)


def _file_size(src: str, page_url: str, files) -> tuple[int, int] | None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^/", src):
        return None
    base = posixpath.dirname(page_url.rstrip("/")) if not page_url.endswith("/") else page_url.rstrip("/")
    site_path = posixpath.normpath(posixpath.join(base, src.split("#")[0].split("?")[0]))
    found = files.get_file_from_path(site_path) if files is not None else None
    if found is None or not found.abs_src_path:
        return None
    path = Path(found.abs_src_path)
    try:
        return _size(str(path), path.stat().st_mtime)
    except OSError:
        return None

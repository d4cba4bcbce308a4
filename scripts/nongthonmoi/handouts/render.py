"""Print templates (Jinja2, ``overrides/print``), QR codes and the PDF renderer.

The renderer is a plain function of (HTML, base URL) so it can run in worker
processes; everything it reads besides the HTML (CSS, fonts) lives under
``overrides/``, which is part of the cache key.

WeasyPrint reads every address a document names (stylesheets, fonts,
images, ``rel=attachment`` files it embeds into the PDF) through one URL
fetcher. Its default one reads any ``file://`` and any ``http://``: a page
could put the build machine's files (``/proc/self/environ``, CI secrets)
into a published leaflet. :class:`ProjectFetcher` reads only the project's
own files of :data:`ALLOWED` and ``data:`` addresses, and refuses the rest
without opening it; a laid-out document that would still carry an
attachment stops the build (:func:`refuse_attachments`).
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..inputfile import NotReadable, read_input
from ..views import vi_date
from .source import keep_together


def qr_svg(url: str) -> Markup:
    """An SVG QR code for ``url``, scalable (viewBox, no fixed size), black on white.

    segno is pure Python and writes SVG: no image library, no native code, and
    WeasyPrint draws SVG as vector paths, so the code stays sharp on any printer.
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None)
    return Markup(svg)


def css_string(value: str) -> Markup:
    """Quote text for a CSS ``content`` value (used in page margin boxes), inside a ``<style>``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # Inside <style>: "<" never reaches the HTML parser ("</style>" would end the sheet).
    escaped = escaped.replace("<", "\\3c ").replace(">", "\\3e ")
    return Markup(f'"{escaped}"')


def make_print_environment(print_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(print_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ngay"] = vi_date
    env.filters["css_string"] = css_string
    env.filters["size"] = human_size
    env.filters["keep_together"] = lambda value: Markup(keep_together(str(escape(value))))
    # A title never ends on a line with one short word ("minh" alone): the
    # last two words are joined by a no-break space.
    env.filters["no_widow"] = lambda value: Markup("\u00a0".join(str(escape(value)).rsplit(" ", 1)))
    env.globals["qr_svg"] = qr_svg
    return env


def human_size(n: int) -> str:
    """File size as Vietnamese readers write it: «48 KB», «1,2 MB»."""
    if n < 1000 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


_WORD_JOINER = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_TABLE_TAG = re.compile(r"<(/?)(table|thead|tr)\b([^>]*)>")


def mark_tables(html: str) -> str:
    """Name every table, each of its body rows and its end: ``bang-1``,
    ``bang-1-hang-1``..., ``bang-1-het``; a table of class ``continues`` (a
    list that may go on over the next page, header row repeated) is named
    ``bang-1-tiep``.

    WeasyPrint writes an id as a named destination (page and position) into
    the PDF, so the PDF itself tells on which page each row of a table landed;
    the tests read that back (``pdfinfo -dests``) to check that no table is
    split across pages when it would fit on one. Numbering follows the
    document, so the same HTML gives the same names (and bytes). Rows that
    already have an id keep it (and are not checked)."""
    out, last, count = [], 0, 0
    open_tables: list[dict] = []  # innermost last
    for match in _TABLE_TAG.finditer(html):
        closing, tag, attrs = match.groups()
        out.append(html[last : match.start()])
        last = match.end()
        text = match.group(0)
        if tag == "table" and not closing:
            count += 1
            open_tables.append({"number": count, "rows": 0, "in_header": False})
            continues = re.search(r'\bclass="[^"]*\bcontinues\b', attrs)
            text = _with_id(text, f"bang-{count}-tiep" if continues else f"bang-{count}")
        elif tag == "table" and open_tables:
            text += f'<div class="bang-het" id="bang-{open_tables.pop()["number"]}-het"></div>'
        elif tag == "thead" and open_tables:
            open_tables[-1]["in_header"] = not closing
        elif tag == "tr" and not closing and open_tables and not open_tables[-1]["in_header"]:
            table = open_tables[-1]
            table["rows"] += 1
            text = _with_id(text, f"bang-{table['number']}-hang-{table['rows']}")
        out.append(text)
    out.append(html[last:])
    return "".join(out)


def _with_id(tag: str, name: str) -> str:
    if re.search(r"\sid=", tag):
        return tag
    return f'{tag[:-1]} id="{name}">'


def clean(html: str) -> str:
    """NFC and no invisible characters, so the PDF's text layer is the source text."""
    return unicodedata.normalize("NFC", _WORD_JOINER.sub("", html))


# One Fontconfig set-up per process, shared by every handout it renders:
# creating it (the system's fonts, then the site's eight woff2 files from
# handout.css, decompressed and registered) cost more than laying out a plan
# sheet. The token (the build's toolchain hash, which covers the fonts and the
# CSS) gives a new set-up when they change under a long-lived process
# (``mkdocs serve``). Measured: 16 handouts in one process, 6.6 s with a new
# set-up each, 2.4 s shared; the PDFs are byte-identical either way.
_FONTS: dict[str, object] = {}


def font_config(token: str = ""):
    from weasyprint.text.fonts import FontConfiguration

    if token not in _FONTS:
        _FONTS.clear()
        _FONTS[token] = FontConfiguration()
    return _FONTS[token]


# The files a handout may read, under the repository (folder, suffixes):
# the print CSS, the site's fonts, and the images of the pages it is cut from.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
ALLOWED = (
    ("overrides/print", (".css",)),
    ("overrides/assets/fonts", (".woff2",)),
    ("docs", IMAGE_SUFFIXES),
)


def allowed_file(url: str, root: Path) -> Path | None:
    """The project file a ``file:`` address names, if a handout may read it:
    under a folder of :data:`ALLOWED` with one of its suffixes, once every
    symbolic link and ``..`` is resolved. None for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
    for folder, suffixes in ALLOWED:
        base = Path(os.path.realpath(root / folder))
        if path.is_relative_to(base) and path.suffix.lower() in suffixes and path.is_file():
            return path
    return None


def allowed_url(url: str, root: Path) -> bool:
    return url.strip().lower().startswith("data:") or allowed_file(url, root) is not None


class Refused(ValueError):
    """An address a handout may not read (WeasyPrint logs it and goes on without it)."""


MAX_FETCHED_BYTES = 40_000_000  # a picture of docs/ (photos.MAX_INPUT_BYTES), a font, the print CSS


def project_fetcher(root: Path):
    """A WeasyPrint URL fetcher (``weasyprint.URLFetcher``, WeasyPrint 68+)
    that reads the project's own files of :data:`ALLOWED` and ``data:``
    addresses, and nothing else: no other file, no network, no redirect."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=1)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.strip().lower().startswith("data:"):
                return super().fetch(url, headers)  # urllib's DataHandler: decodes, reads nothing
            path = allowed_file(url, root)
            if path is None:
                self.refused.append(url)
                raise Refused(f"Tài liệu in không được đọc «{url[:200]}»")
            try:
                # The one reader of input files: a regular file, bounded.
                data = read_input(path, MAX_FETCHED_BYTES)
            except NotReadable:
                data = b""
            if not data or len(data) > MAX_FETCHED_BYTES:
                self.refused.append(url)
                raise Refused(f"Tài liệu in không đọc được «{url[:200]}»")
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": _content_type(path)})

    return ProjectFetcher()


def _content_type(path: Path) -> str:
    return {
        ".css": "text/css", ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    }.get(path.suffix.lower(), "application/octet-stream")


def root_of(base_url: str) -> Path:
    """The repository of a handout: its base address is ``<root>/overrides/print/``."""
    return Path(url2pathname(unquote(urlsplit(base_url).path))).parent.parent


def refuse_attachments(document) -> None:
    """No handout carries a file: the sanitised HTML has no ``rel=attachment``
    and the fetcher reads no such file, and this is the last check."""
    links = [link for page in document.pages for link in page.links if link[0] == "attachment"]
    if document.metadata.attachments or links:
        raise RuntimeError("Tài liệu in có tệp đính kèm: bản in không được chứa tệp nào (quy tắc P014).")


def layout(html: str, base_url: str, token: str = "", fetcher=None):
    """Lay one handout out (a WeasyPrint ``Document``), with the shared fonts,
    reading files only through :func:`project_fetcher`."""
    import weasyprint  # imported here: workers pay the import, cache hits never do

    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    fetcher = fetcher or project_fetcher(root_of(base_url))
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=font_config(token)
    )
    refuse_attachments(document)
    return document


def render_pdf(html: str, base_url: str, token: str = "") -> tuple[bytes, int]:
    """Render one handout; return the PDF bytes and its page count.

    No clock, no random ids: the PDF dates come from ``dcterms.created`` and
    ``dcterms.modified`` in the HTML (the edition date) and WeasyPrint names
    font subsets from their content, so the same HTML gives the same bytes.
    """
    document = layout(html, base_url, token)
    return write(document), len(document.pages)


def write(document) -> bytes:
    return document.write_pdf(pdf_identifier=False)


def packet_pdf(documents: list, title: str, description: str, edition: date) -> tuple[bytes, int]:
    """The pages of ``documents`` (laid out sheets), one after the other, in one PDF.

    Every sheet keeps its own page numbers, QR code and margins: the packet
    prints exactly the sheets a commune would print, one district-wide file.
    """
    import copy

    pages = [page for document in documents for page in document.pages]
    packet = documents[0].copy(pages)
    packet.metadata = copy.copy(documents[0].metadata)
    packet.metadata.title = title
    packet.metadata.description = description
    packet.metadata.created = packet.metadata.modified = edition.isoformat()
    return write(packet), len(pages)


def edition_iso(value: date) -> str:
    return value.isoformat()

"""Print templates (Jinja2, ``overrides/print``), QR codes and the PDF renderer.

The renderer is a plain function of (HTML, base URL) so it can run in worker
processes; everything it reads besides the HTML (CSS, fonts) lives under
``overrides/``, which is part of the cache key.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..views import vi_date


def qr_svg(url: str) -> Markup:
    """An SVG QR code for ``url``, scalable (viewBox, no fixed size), black on white.

    segno is pure Python and writes SVG: no image library, no native code, and
    WeasyPrint draws SVG as vector paths, so the code stays sharp on any printer.
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None)
    return Markup(svg)


def css_string(value: str) -> Markup:
    """Quote text for a CSS ``content`` value (used in page margin boxes)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
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
    env.globals["qr_svg"] = qr_svg
    return env


def human_size(n: int) -> str:
    """File size as Vietnamese readers write it: «48 KB», «1,2 MB»."""
    if n < 1000 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


_WORD_JOINER = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def clean(html: str) -> str:
    """NFC and no invisible characters, so the PDF's text layer is the source text."""
    return unicodedata.normalize("NFC", _WORD_JOINER.sub("", html))


def render_pdf(html: str, base_url: str) -> tuple[bytes, int]:
    """Render one handout; return the PDF bytes and its page count.

    No clock, no random ids: the PDF dates come from ``dcterms.created`` and
    ``dcterms.modified`` in the HTML (the edition date) and WeasyPrint names
    font subsets from their content, so the same HTML gives the same bytes.
    """
    import weasyprint  # imported here: workers pay the import, cache hits never do

    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    return document.write_pdf(pdf_identifier=False), len(document.pages)


def edition_iso(value: date) -> str:
    return value.isoformat()

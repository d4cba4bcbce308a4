"""Jinja2 views in ``overrides/views``: templates that only present data.

Text from data is text, whatever it contains. Every value a view prints goes
through :func:`as_text` (the environment's ``finalize``): HTML is escaped, and
so is what Markdown would read as syntax. The Saturday pages are rendered to
Markdown first and converted by MkDocs afterwards, so ``[x](javascript:...)``,
``*bold*`` or a trailing ``{: onclick=... }`` in a commune's name would
otherwise become a live link, emphasis or attribute in a heading. Values that
are already :class:`~markupsafe.Markup` (charts drawn in Python, the output of
macros, links the views build with ``link()``) are left alone; ``|safe`` on
data would defeat this, and ``tests/test_outputs.py`` renders every view with
hostile text to catch it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .models.plans import format_amount

# One pass, so the "#" of a reference written here is never escaped again.
# HTML: & < > " '. Markdown (and our extensions): backslash escapes, code,
# emphasis, links, images and footnotes, attr_list braces, heading hashes,
# table pipes; newlines, so data never starts a line of Markdown of its own.
_TEXT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
        "\\": "&#92;",
        "`": "&#96;",
        "*": "&#42;",
        "_": "&#95;",
        "[": "&#91;",
        "]": "&#93;",
        "!": "&#33;",
        "{": "&#123;",
        "}": "&#125;",
        "#": "&#35;",
        "|": "&#124;",
        "~": "&#126;",
        "^": "&#94;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def as_text(value) -> Markup:
    """``value`` as inert text for HTML and for Markdown (Markup passes as is)."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(str(value).translate(_TEXT))


def _join(items, separator: str = "", attribute=None) -> Markup:
    # Jinja's join returns Markup, escaped for HTML only, as soon as one item
    # is Markup (a link a view built), and as_text lets Markup through: each
    # item goes through as_text here instead.
    if attribute is not None:
        items = (getattr(item, attribute) for item in items)
    return Markup(as_text(separator)).join(as_text(item) for item in items)


def vi_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def make_environment(root: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(root / "overrides" / "views"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=as_text,
    )
    env.filters["join"] = _join
    env.filters["ngay"] = vi_date
    env.filters["so"] = format_amount  # every view's numbers: 1.200, 1,5
    return env

"""The one HTML policy of the site's pages and the handouts' text: an
allow-list of elements, attributes and addresses, applied by nh3 (the Python
binding of Rust's Ammonia, which parses like a browser, html5ever) after the
Markdown conversion of every page (plugin ``on_page_content``) and of every
piece of a handout (``handouts/source.py``).

What the site's own Markdown extensions and views write passes unchanged in
meaning: headings with permalinks, admonitions, details, task-list
checkboxes, footnotes, abbreviations, definition lists, tables (with
``text-align`` only as style), ``attr_list`` classes and ids, the views'
``data-`` attributes and the SVG charts drawn in Python. Everything else is
taken out: scripts, handlers, frames, forms, ``base``, ``meta``, ``link``,
``style``, ``object``/``embed``, ``javascript:``/``data:``/``file:``
addresses, images from other hosts, ids that could stand in for Material's
own elements (``__config``...).

:func:`problems` tells, for the page check (``pagecheck.py``), what the
policy would take out of a page, so that ``ntm check`` names it with a rule
and a line instead of the content vanishing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import nh3

from .yamlsource import CONTROL

_HTML = {
    "a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "picture", "pre", "q",
    "s", "samp", "section", "source", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
# The charts of saturday/charts.py, and simple drawings an editor may paste.
_SVG = {"svg", "g", "title", "desc", "defs", "pattern", "rect", "line", "polyline", "polygon", "circle",
        "ellipse", "path", "text", "tspan"}
TAGS = frozenset(_HTML | _SVG)
# Taken out with everything inside them (their text is code, not prose).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "xmp", "iframe", "noembed",
                                "noframes", "object", "embed", "applet", "math", "select", "option"})

# The views' own data attributes (read by the site's scripts and the search plugin).
DATA_ATTRIBUTES = frozenset({"data-search-exclude", "data-built", "data-saturday", "data-field", "data-label",
                             "data-day", "data-ntm-until", "data-ntm-since"})
_GENERIC = {"id", "class", "title", "lang", "dir", "role", "hidden", "aria-label", "aria-labelledby",
            "aria-describedby", "aria-hidden"} | DATA_ATTRIBUTES
_PAINT = {"fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity",
          "fill-opacity", "stroke-opacity", "transform"}
_SHAPE = {
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "polygon": {"points"},
    "circle": {"cx", "cy", "r"},
    "ellipse": {"cx", "cy", "rx", "ry"},
    "path": {"d"},
    "g": set(),
}
_TEXT = {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline", "font-size", "font-weight", "font-style",
         "font-family"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC,
    "a": {"href", "download", "hreflang"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    # The photos' sizes and formats (views/saturday/_photos.html): the browser picks one.
    "source": {"srcset", "sizes"},
    "input": {"disabled", "checked"},
    "label": {"for"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "svg": {"viewBox", "width", "height", "xmlns", "font-size", "font-family", "focusable", "preserveAspectRatio"},
    "pattern": {"width", "height", "patternUnits", "patternTransform", "x", "y"},
    "text": _TEXT | _PAINT,
    "tspan": _TEXT | _PAINT,
    **{tag: attrs | _PAINT for tag, attrs in _SHAPE.items()},
}
# Attributes whose every allowed value is listed.
ATTRIBUTE_VALUES = {
    "a": {"rel": {"noopener", "noreferrer", "noopener noreferrer", "nofollow", "external"}},
    "input": {"type": {"checkbox"}},
    "source": {"type": {"image/avif", "image/webp", "image/jpeg"}},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})  # Markdown tables' column alignment

_ID = re.compile(r"[A-Za-z0-9][\w:.\-]*", re.ASCII)
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


# What a browser's URL parser drops before it reads an address (leading and
# trailing C0 controls and spaces; tabs and line breaks anywhere): an address
# holding any is refused, so "\x01//host/x.png" is not taken for relative.
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _resource_ok(value: str) -> bool:
    """An image of the site itself: a relative address (no scheme, no host, no
    leading slash). The site loads nothing from other hosts."""
    if _URL_CONTROL.search(value):
        return False
    value = value.strip(" ")
    return not (_SCHEME.match(value) or value.startswith(("/", "\\")))


def _srcset_ok(value: str) -> bool:
    """Every candidate of a ``srcset`` ("a.webp 360w, b.webp 720w") is an
    image of the site itself."""
    return all(_resource_ok(candidate.strip().split(" ", 1)[0]) for candidate in value.split(",") if candidate.strip())


def _attribute_ok(tag: str, name: str, value: str) -> bool:
    """The checks beyond names and schemes (done on nh3's output by _after)."""
    if name == "id" or name == "for":
        return bool(_ID.fullmatch(value))  # no "__config", "__search"...: Material's own elements
    if name == "src":
        return _resource_ok(value)
    if name == "srcset":
        return _srcset_ok(value)
    if name in ("fill", "stroke"):
        return _paint_ok(value)
    return True


_PAINT_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(.?)", re.I)


def _paint_ok(value: str) -> bool:
    """SVG paint refers only to the page (``url(#gradient)``): every ``url(``
    in any case, and no CSS escape (``\\75 rl(`` is ``url(`` too)."""
    return "\\" not in value and all(first == "#" for first in _PAINT_REFERENCE.findall(value))


# The three checks of _attribute_ok, on nh3's output: a Python callback for
# every attribute of 3,000 pages cost 8 % of a district build, these passes
# one. nh3 writes every attribute as name="value" with "<", ">" and '"'
# escaped, so a tag is "<" up to the next ">" and a value ends at the next '"'.
_BAD_ID = re.compile(r'(<[a-zA-Z][^<>]*?)\s(?:id|for)="(?:(?![A-Za-z0-9])[^"]*|[\w:.\-]*[^\w:.\-"][^"]*)"', re.ASCII)
_SRC = re.compile(r'(<img\b[^<>]*?)\ssrc="([^"]*)"')
_SRCSET = re.compile(r'(<(?:img|source)\b[^<>]*?)\ssrcset="([^"]*)"')
_PAINT_URL = re.compile(r'(<[a-zA-Z][^<>]*?)\s(?:fill|stroke)="([^"]*[(\\][^"]*)"')


def _after(html: str) -> str:
    if ' id="' in html or ' for="' in html:
        count = 1
        while count:  # again only if one was taken out (a tag with both id and for)
            html, count = _BAD_ID.subn(r"\1", html)
    if "<img" in html:
        html = _SRC.sub(lambda m: m.group(0) if _resource_ok(unescape(m.group(2))) else m.group(1), html)
    if " srcset=" in html:
        html = _SRCSET.sub(lambda m: m.group(0) if _srcset_ok(unescape(m.group(2))) else m.group(1), html)
    if ' fill="' in html or ' stroke="' in html:
        html = _PAINT_URL.sub(lambda m: m.group(0) if _paint_ok(unescape(m.group(2))) else m.group(1), html)
    # Invisible controls and bidirectional overrides, however the page wrote
    # them (a character or a reference like &#8238;): the check names them
    # (Y011); a build without the check publishes none.
    return CONTROL.sub("", html) if CONTROL.search(html) else html


@functools.cache
def _cleaner() -> nh3.Cleaner:
    # Built once: building the policy for every page cost as much as cleaning it.
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        strip_comments=True,
        link_rel=None,
        tag_attribute_values={t: {a: set(v) for a, v in d.items()} for t, d in ATTRIBUTE_VALUES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


def clean(html: str) -> str:
    """``html`` with only what the policy allows (the choke point of every page)."""
    return _after(_cleaner().clean(html))


# --- what the policy would take out, for the page check ---------------------------------

_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster", "longdesc", "xlink:href",
                   "data", "srcset", "ping"}
_ALL_ATTRIBUTES = {name.lower() for names in ATTRIBUTES.values() for name in names}


@dataclass(frozen=True)
class Removed:
    """One thing the policy takes out: ``kind`` is "tag", "attribute",
    "address" or "resource"; ``needle`` is what to look for in the source to
    find its line."""

    kind: str
    what: str
    needle: str


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Removed] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.found.append(Removed("tag", f"<{tag}>", f"<{tag}"))
            return
        allowed = {n.lower() for n in ATTRIBUTES.get(tag, ())} | {n.lower() for n in ATTRIBUTES["*"]}
        values = ATTRIBUTE_VALUES.get(tag, {})
        for name, value in attrs:
            value = value or ""
            if name in values:
                if value not in values[name]:
                    self.found.append(Removed("attribute", f'{name}="{value}"', value or name))
                continue
            if name not in allowed:
                self.found.append(Removed("attribute", f"{name}=", name))
                continue
            scheme = _SCHEME.match(value)
            if name in _URL_ATTRIBUTES and scheme and scheme.group(1).lower() not in URL_SCHEMES:
                self.found.append(Removed("address", value[:60], value[:40]))
            elif (name == "src" and not _resource_ok(value)) or (name == "srcset" and not _srcset_ok(value)):
                self.found.append(Removed("resource", value[:60], value[:40]))
            elif name == "style" and not _style_ok(value):
                self.found.append(Removed("attribute", f'style="{value[:40]}"', "style"))
            elif not _attribute_ok(tag, name, value):
                self.found.append(Removed("attribute", f'{name}="{value[:40]}"', value[:40] or name))

    handle_startendtag = handle_starttag


def _style_ok(value: str) -> bool:
    declarations = [d for d in value.split(";") if d.strip()]
    return all(d.split(":", 1)[0].strip().lower() in STYLE_PROPERTIES for d in declarations)


def problems(html: str) -> list[Removed]:
    """What :func:`clean` would take out of ``html`` (in document order).

    The walker (Python's HTML parser) names each thing; should nh3, which
    parses as a browser does, still take out something the walker did not see,
    one generic item says so."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    if walker.found:
        return walker.found
    if _shape(clean(html)) != _shape(html):
        return [Removed("tag", "mã HTML không hợp lệ", "<")]
    return []


class _Shape(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        # nh3 writes a kept style as "text-align:left" (Markdown: "text-align: left;").
        attrs = [(n, (v or "").replace(" ", "").rstrip(";") if n == "style" else v or "") for n, v in attrs]
        self.items.append((tag, tuple(sorted(attrs))))

    handle_startendtag = handle_starttag


def _shape(html: str) -> list[tuple]:
    shape = _Shape()
    shape.feed(html)
    shape.close()
    return sorted(shape.items)

"""Page Markdown to print HTML, with the site's own Markdown extensions.

Handouts never hold a second copy of the text: each one is cut from the
pages in ``docs/`` (whole pages or some of their ``##`` sections), converted
with the ``markdown_extensions`` of ``mkdocs.yml``. Links to other pages
become absolute addresses on the public site, and the text is normalised to
Unicode NFC, because text that enters the PDF decomposed stays decomposed.

On paper a link is dead text: "Xem [việc của hộ gia đình](...)" would print
as "Xem việc của hộ gia đình", pointing nowhere. A link to another page
therefore prints the title of that page in «», which the reader finds on the
site (the QR code of the handout leads there). Links to documents
(``van-ban/``) name the document already and print as they are.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown
from markupsafe import escape as html_escape
from mkdocs.utils.meta import get_data

from .. import rules, sanitize
from ..errors import ContentErrors

# A heading line; its attribute list ("{#id}") and closing hashes are cut in
# _heading(), not by the pattern (optional parts after a lazy group backtrack
# on long lines: a heading of 100,000 "{" would never end).
_HEADING_LINE = re.compile(r"(#{1,6})[ \t]+(.*)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HREF = re.compile(r'href="([^"#]*)(#[^"]*)?"')
_TAG_LEVEL = re.compile(r"<(/?)h([1-6])\b")
# On sanitised HTML (sanitize.py escapes "<" and ">" inside attribute values),
# a tag holds neither: stopping at either keeps the split linear on any text.
_TAG = re.compile(r"(<[^<>]*>)")
# Document numbers and section numbers: 422-TB/HU, 04-ĐA/HU, 36/KH-UBND, II.3.2;
# and a spaced dash between words ("Giáo dục - Đào tạo"), which must not end a line.
_CODE = re.compile(r"(?<![\w&#])(\w+(?:[-/.]\w+)+|\w+ ?[-–] \w+)")
_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
# A Markdown link alone in brackets, as the guide pages cite the notice:
# "... ([Thông báo 422-TB/HU, mục II.3.1](../van-ban/422-tb-hu.md#muc-ii-3-1))".
# Each starts where nothing of the same kind stands before it, and stops at the
# next bracket: linear in the line, whatever it holds.
_CITATION = re.compile(r"(?<![ \t])[ \t]*\(\[[^\[\]\n]*\]\(([^()\s]+)\)\)")
_MD_LINK = re.compile(r"\]\(([^()\[\]\s#]+\.md)(?:#[^()\s]*)?\)")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
# Pages of the document registry: a link to one names the document in its text.
DOCUMENT_PAGES = "van-ban/"


@dataclass(frozen=True)
class Part:
    """One piece of a handout: a page of ``docs/``, whole or some sections.

    ``sections``: titles of the ``##`` sections to keep (None: all);
    ``drop``: titles of ``##`` sections to leave out;
    ``intro``: keep the text between the title and the first ``##``;
    ``title``: keep the page title (``#``) as the heading of this part.
    """

    page: str
    sections: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    intro: bool = True
    title: bool = True
    drop_lines: tuple[str, ...] = ("Xem thêm:",)
    # False: leave out the bracketed citations of documents, for a text that
    # names its source once (the leaflet); the web page keeps them.
    citations: bool = True


@dataclass(frozen=True)
class PageText:
    src_uri: str
    title: str
    meta: dict
    body: str  # Markdown without front matter


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a page with ``use_directory_urls`` (the default)."""
    stem, _ = posixpath.splitext(src_uri)
    if posixpath.basename(stem) in ("index", "README"):
        folder = posixpath.dirname(stem)
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def _heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line, its ``{...}`` and closing hashes cut."""
    match = _HEADING_LINE.fullmatch(line.rstrip("\r\n")) if line.startswith("#") else None
    if match is None:
        return None
    title = match.group(2).rstrip().rstrip("#").rstrip()
    if title.endswith("}") and "{" in title and "}" not in title[title.rindex("{") : -1]:
        title = title[: title.rindex("{")].rstrip()
    return len(match.group(1)), title


def read_page(docs_dir: Path, src_uri: str) -> PageText:
    path = docs_dir / src_uri
    if not path.is_file():
        raise ContentErrors([rules.error("P007", f"docs/{src_uri}", 0)])
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    body, meta = get_data(text)
    title = meta.get("title")
    for line in body.splitlines():
        heading = _heading(line)
        if heading and heading[0] == 1:
            title = title or heading[1]
            break
    return PageText(src_uri, str(title or src_uri), meta, body)


def _split_sections(body: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(title line, intro, [(h2 title, section text)]) of a Markdown body."""
    title_line, intro, sections = "", [], []
    current: list[str] = intro
    fenced = False
    for line in body.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _heading(line)
        if heading and heading[0] == 1 and not title_line and not sections:
            title_line = line
            continue
        if heading and heading[0] == 2:
            sections.append((heading[1], [line]))
            current = sections[-1][1]
            continue
        current.append(line)
    return title_line, "".join(intro), [(name, "".join(lines)) for name, lines in sections]


def select(page: PageText, part: Part) -> str:
    """The Markdown of ``page`` that ``part`` asks for."""
    title_line, intro, sections = _split_sections(page.body)
    names = [name for name, _ in sections]
    wanted = list(part.sections) if part.sections is not None else [n for n in names if n not in part.drop]
    missing = [n for n in [*wanted, *part.drop] if n not in names]
    if missing:
        raise ContentErrors(
            [
                rules.error(
                    "P006",
                    f"docs/{page.src_uri}",
                    0,
                    section=missing[0],
                    known="; ".join(f"«{n}»" for n in names),
                )
            ]
        )
    chunks = []
    if part.title and title_line:
        chunks.append(title_line)
    if part.intro:
        chunks.append(intro)
    by_name = dict(sections)
    chunks += [by_name[name] for name in wanted]
    text = "\n".join(chunks)
    if part.drop_lines:
        kept = [
            line for line in text.splitlines(keepends=True) if not line.lstrip().startswith(part.drop_lines)
        ]
        text = "".join(kept)
    if not part.citations:
        text = drop_citations(text, page.src_uri)
    return text


def resolve(src_uri: str, target: str) -> str:
    """A relative link of page ``src_uri`` as a path under docs/."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target))


def drop_citations(text: str, src_uri: str) -> str:
    """Leave out "([Thông báo 422-TB/HU, mục II.1](../van-ban/...))" and the like."""

    def cut(match: re.Match) -> str:
        target = resolve(src_uri, match.group(1).split("#")[0])
        return "" if target.startswith(DOCUMENT_PAGES) else match.group(0)

    return _CITATION.sub(cut, text)


def linked_pages(text: str, src_uri: str) -> list[str]:
    """Pages of docs/ that ``text`` (Markdown of page ``src_uri``) links to."""
    found = []
    for match in _MD_LINK.finditer(text):
        target = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue
        resolved = resolve(src_uri, target)
        if resolved not in found:
            found.append(resolved)
    return found


def keep_together(html: str) -> str:
    """Never break a line inside «422-TB/HU» or «II.3.2», nor after the dash of
    «Giáo dục - Đào tạo»: split over two lines they read badly, and a line that
    ends in «-» is taken for a hyphenated word by text extraction and search."""
    pieces = _TAG.split(html)
    for i in range(0, len(pieces), 2):
        pieces[i] = _CODE.sub(r'<span class="nowrap">\1</span>', pieces[i])
    return "".join(pieces)


class Converter:
    """Markdown to HTML with the extensions and settings of ``mkdocs.yml``.

    With ``docs_dir``, a link to another page prints that page's title (see
    the module docstring); without it, links keep their text.
    """

    def __init__(self, extensions, extension_configs, site_url: str, docs_dir: Path | None = None):
        self.extensions = list(extensions)
        self.extension_configs = dict(extension_configs)
        # "" (no public address): links print as text, with no address at all.
        self.site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
        self.docs_dir = docs_dir
        self._titles: dict[str, str | None] = {}
        self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.extension_configs)

    def title_of(self, src_uri: str) -> str | None:
        """Title of a page of docs/; None for pages the plugin generates."""
        if self.docs_dir is None:
            return None
        if src_uri not in self._titles:
            path = self.docs_dir / src_uri
            self._titles[src_uri] = read_page(self.docs_dir, src_uri).title if path.is_file() else None
        return self._titles[src_uri]

    def link_titles(self, text: str, src_uri: str) -> dict[str, str | None]:
        """Titles the print of ``text`` shows for its links (part of the cache key)."""
        return {uri: self.title_of(uri) for uri in linked_pages(text, src_uri)}

    def to_html(self, text: str, src_uri: str, shift: int = 0) -> str:
        """Convert; make page links absolute and print their target's title;
        demote headings by ``shift`` levels."""
        self._md.reset()
        # The site's HTML policy first (sanitize.py): what a page may not hold
        # on the web, a handout may not either (no rel=attachment, object, embed).
        html = sanitize.clean(self._md.convert(unicodedata.normalize("NFC", text)))
        html = _IMG_SRC.sub(lambda m: self._image(m, src_uri), html)
        html = _LINK.sub(lambda m: self._print_link(m, src_uri), html)
        html = _HREF.sub(lambda m: self._absolute(m, src_uri), html)
        if shift:
            html = _TAG_LEVEL.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)
        return unicodedata.normalize("NFC", keep_together(html))

    def _print_link(self, match: re.Match, src_uri: str) -> str:
        before, href, after, _ = match.groups()
        target = href.split("#")[0]
        if not target.endswith(".md") or re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return match.group(0)
        resolved = resolve(src_uri, target)
        title = self.title_of(resolved)
        if resolved.startswith(DOCUMENT_PAGES) or not title:
            return match.group(0)
        return f'<a{before}href="{href}"{after}>«{html_escape(title)}»</a>'

    def _image(self, match: re.Match, src_uri: str) -> str:
        """An image of the page, as the file of docs/ it names (the handout's
        own base address is overrides/print/); the fetcher decides if it may be read."""
        if self.docs_dir is None:
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(match.group(2))))
        return match.group(1) + str(html_escape((self.docs_dir / path).absolute().as_uri())) + match.group(3)

    def url_of(self, src_uri: str, fragment: str = "") -> str:
        """The page's public address; "" when the build has none."""
        if not self.site_url:
            return ""
        return self.site_url + page_url(src_uri) + fragment

    def _absolute(self, match: re.Match, src_uri: str) -> str:
        target, fragment = match.group(1), match.group(2) or ""
        if not self.site_url and not re.match(r"^[a-z][a-z0-9+.-]*:", target or ""):
            return ""  # no public address: the link stays text
        if not target:
            # An anchor on the same page: the handout has no such anchor, the site does.
            return f'href="{self.url_of(src_uri, fragment)}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return match.group(0)
        resolved = resolve(src_uri, target)
        if resolved.endswith(".md"):
            return f'href="{self.url_of(resolved, fragment)}"'
        return f'href="{self.site_url}{resolved}{fragment}"'

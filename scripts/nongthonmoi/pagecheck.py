"""Checks on the pages of docs/ and the menu that the build would otherwise
stop on, in English, after "Nội dung hợp lệ" had been promised.

- front matter that does not parse (P001): MkDocs would publish it as text;
- links to pages that do not exist (P002), to headings a page does not have
  (P003), absolute links (P008);
- menu entries (``nav`` in mkdocs.yml) pointing to missing pages (P004);
- raw HTML that runs code: ``<script>``, ``on…=`` attributes, ``javascript:``
  links (P005);
- sections and pages the print handouts are cut from (P006, P007).

Anchors are found by rendering each page with the site's own Markdown
extensions, so "#muc-ii-1" and heading ids are exactly those of the site.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from . import rules
from .errors import ContentError, ContentErrors

# Files the build generates (not in docs/): links to them are fine.
GENERATED_PREFIXES = ("tai-lieu-in/", "tai-ve/", "bao-cao/", "lich/", "bang-tinh/", "quan-tri/", "xa/", "thu-bay/",
                      "thu-bay-nay/", "ket-qua/", "anh/")
GENERATED_FILES = {"feed.xml"}

_LINK = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
_JAVASCRIPT = re.compile(r"(?:\(|=\s*[\"']?)\s*javascript:", re.IGNORECASE)
_INLINE_CODE = re.compile(r"`[^`]*`")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


def vietnamese_slug(value: str, separator: str = "-") -> str:
    """Heading ids without diacritics, keeping đ as d ("ho-gia-dinh", not "ho-gia-inh").

    Set as the ``toc`` extension's slugify in mkdocs.yml.
    """
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    value = "".join(c for c in value if unicodedata.category(c) != "Mn").lower()
    value = re.sub(r"[^\w\s-]", "", value, flags=re.ASCII)
    return re.sub(r"[\s_-]+", separator, value).strip(separator)


@dataclass(frozen=True)
class Page:
    src_uri: str  # path under docs/
    text: str
    body: str
    body_line: int  # line of the body's first line in the file (after front matter)


def split_front_matter(text: str, display: str) -> tuple[dict, str, int, list[ContentError]]:
    """(meta, body, line where the body starts, problems) of a page."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1, []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            raw = "".join(lines[1 : number - 1])
            body = "".join(lines[number:])
            try:
                meta = yaml.safe_load(raw) if raw.strip() else {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line_no = (mark.line + 2) if mark else 2
                return {}, body, number + 1, [rules.error("P001", display, line_no, problem=_yaml_problem(exc))]
            if not isinstance(meta, dict):
                return {}, body, number + 1, [rules.error("P001", display, 2, problem="phải gồm các dòng «tên: giá trị»")]
            return meta, body, number + 1, []
    return {}, text, 1, [rules.error("P001", display, 1, problem="thiếu dòng «---» kết thúc phần đầu")]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    from .yamlsource import _problem

    return _problem(exc) if isinstance(exc, yaml.MarkedYAMLError) else "cú pháp không đúng"


def _prose_lines(body: str, first_line: int):
    """(line number, text) of lines outside code blocks, inline code blanked."""
    fenced = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        yield first_line + offset, _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


class _Anchors:
    """Ids of each page's headings and elements, from the site's Markdown."""

    def __init__(self, root: Path, docs_dir: Path, pages: dict[str, Page]):
        self.pages = pages
        self.root = root
        self._ids: dict[str, set[str]] = {}
        self._markdown = None

    def _md(self):
        if self._markdown is None:
            import markdown

            extensions, configs = markdown_setup(read_site_config(self.root))
            self._markdown = markdown.Markdown(extensions=extensions, extension_configs=configs)
        return self._markdown

    def of(self, src_uri: str) -> set[str]:
        if src_uri not in self._ids:
            md = self._md()
            md.reset()
            html = md.convert(self.pages[src_uri].body)
            self._ids[src_uri] = set(_ID.findall(html))
        return self._ids[src_uri]


def read_site_config(root: Path) -> dict:
    """mkdocs.yml as data (``!ENV`` and ``!!python/name`` resolved), without
    validating it: the checks must not stop on what the build would report."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as handle:
            return yaml_load(handle) or {}
    except (OSError, yaml.YAMLError):
        return {}


# Extensions MkDocs always adds (config_options.MarkdownExtensions builtins).
_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]


def markdown_setup(config: dict) -> tuple[list, dict]:
    """(extensions, extension_configs) as the site's Markdown uses them."""
    names, configs = list(_BUILTIN_EXTENSIONS), {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                if options:
                    configs[name] = options
        else:
            names.append(item)
    return list(dict.fromkeys(names)), configs


def _target(page_uri: str, href: str) -> tuple[str | None, str]:
    """(path under docs/ or None for outside links, fragment)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "data:")):
        return None, ""
    path = unquote(parts.path)
    if not path:
        return page_uri, parts.fragment
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path)), parts.fragment


def _is_generated(path: str) -> bool:
    return path in GENERATED_FILES or path.startswith(GENERATED_PREFIXES)


def read_pages(docs_dir: Path) -> tuple[dict[str, Page], list[ContentError]]:
    pages: dict[str, Page] = {}
    errors: list[ContentError] = []
    for path in sorted(docs_dir.rglob("*.md")):
        src_uri = path.relative_to(docs_dir).as_posix()
        display = f"docs/{src_uri}"
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # reported by the text check (Y002)
        text = unicodedata.normalize("NFC", text)
        _, body, first, problems = split_front_matter(text, display)
        errors += problems
        pages[src_uri] = Page(src_uri, text, body, first)
    return pages, errors


def check_pages(root: Path, docs_dir: Path | None = None) -> list[ContentError]:
    """Every problem of pages, links, menu and handout sources, with its line."""
    docs_dir = docs_dir or root / "docs"
    pages, errors = read_pages(docs_dir)
    anchors = _Anchors(root, docs_dir, pages)
    existing = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}
    for src_uri, page in pages.items():
        display = f"docs/{src_uri}"
        for number, line in _prose_lines(page.body, page.body_line):
            errors += _unsafe_html(display, number, line)
            hrefs = [m.group(2) for m in _LINK.finditer(line)]
            hrefs += [m.group(1) for m in _REFERENCE.finditer(line)]
            hrefs += _HTML_LINK.findall(line)
            for href in hrefs:
                errors += _check_link(display, number, src_uri, href, existing, pages, anchors)
    errors += check_nav(root, docs_dir)
    errors += check_handout_sources(docs_dir)
    return errors


def _unsafe_html(display: str, number: int, line: str) -> list[ContentError]:
    found = []
    if _SCRIPT.search(line):
        found.append(rules.error("P005", display, number, what="thẻ «<script>»"))
    handler = _HANDLER.search(line)
    if handler:
        found.append(rules.error("P005", display, number, what=f"thuộc tính «{handler.group(1)}=»"))
    if _JAVASCRIPT.search(line):
        found.append(rules.error("P005", display, number, what="liên kết «javascript:»"))
    return found


def _check_link(display, number, src_uri, href, existing, pages, anchors) -> list[ContentError]:
    if href.lower().startswith("javascript:"):
        return []  # reported as P005
    if href.startswith("/") and not href.startswith("//"):
        return [rules.error("P008", display, number, target=href)]
    path, fragment = _target(src_uri, href)
    if path is None or _is_generated(path):
        return []
    if path.endswith("/") or path in (".", ""):
        return []  # a folder address: MkDocs does not check these either
    if path not in existing:
        return [rules.error("P002", display, number, target=href)]
    if fragment and path in pages and fragment not in anchors.of(path):
        return [rules.error("P003", display, number, target=href, anchor=fragment, page=path)]
    return []


def check_nav(root: Path, docs_dir: Path) -> list[ContentError]:
    """Menu entries that point to no page (generated sections excepted)."""
    from .navigation import listed_pages

    config_file = root / "mkdocs.yml"
    nav = read_site_config(root).get("nav") or []
    if not config_file.is_file():
        return []
    text = config_file.read_text(encoding="utf-8").splitlines()
    errors = []
    for page in listed_pages(nav):
        if "://" in page or _is_generated(page) or (docs_dir / page).is_file():
            continue
        line = next((n for n, t in enumerate(text, start=1) if page in t and not t.lstrip().startswith("#")), 0)
        errors.append(rules.error("P004", "mkdocs.yml", line, page=page))
    return errors


def check_handout_sources(docs_dir: Path) -> list[ContentError]:
    """The pages and ``##`` sections the print handouts are cut from."""
    from .handouts.catalog import static_handouts
    from .handouts.source import read_page, select

    errors: list[ContentError] = []
    for handout in static_handouts():
        for part in handout.parts:
            try:
                select(read_page(docs_dir, part.page), part)
            except ContentErrors as exc:
                errors += exc.errors
    return errors

"""Checks on the pages of docs/ and the menu that the build would otherwise
stop on, in English, after "Nội dung hợp lệ" had been promised.

- front matter that does not parse (P001): MkDocs would publish it as text;
- links to pages that do not exist (P002), to headings a page does not have
  (P003), absolute links (P008);
- menu entries (``nav`` in mkdocs.yml) pointing to missing pages (P004);
- whatever the HTML policy of the site (sanitize.py) would take out of a
  page, with the line it comes from: code that runs (P005), other elements
  (P009), attributes (P010), addresses (P011) and files from other hosts
  (P012); front matter keys that are not the site's, or not of their type,
  or text that is not plain (P013, frontmatter.py);
- sections and pages the print handouts are cut from (P006, P007), and the
  files a handout would ask for outside its own (P014);
- files that must not be published: files of docs/ whose extension is not
  on the allow-list (P015), symbolic links in docs/ and materials/ (P016),
  entries that are no regular file (P017).

Every pattern here runs in time linear in the line it reads (a pasted line
of 100,000 ``[`` must not hang the check), and a page larger than
:data:`contentcheck.MAX_PAGE_BYTES` is not read at all (T005).

Anchors are found by rendering each page with the site's own Markdown
extensions, so "#muc-ii-1" and heading ids are exactly those of the site.
"""

from __future__ import annotations

import copy
import functools
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html as html_text
import yaml
from markupsafe import Markup, escape

from . import frontmatter, rules, sanitize
from .contentcheck import MAX_PAGE_BYTES, TEXT_MEMO, markdown_limits
from .errors import ContentError, ContentErrors
from .inputfile import NotReadable, kind_of, read_input

# Files the build generates (not in docs/): links to them are fine.
GENERATED_PREFIXES = ("tai-lieu-in/", "tai-ve/", "bao-cao/", "lich/", "bang-tinh/", "quan-tri/", "xa/", "thu-bay/",
                      "thu-bay-nay/", "ket-qua/", "anh/")
GENERATED_FILES = {"feed.xml"}

# Link text stops at the next "[": from each "[" the scan ends where the next
# one starts, so a line of brackets costs one pass, not one per bracket.
_LINK = re.compile(r"(!?)\[(?:[^\[\]\\]|\\.)*\]\(\s*<?([^()\s<>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
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
    """(meta, body, line where the body starts, problems) of a page.

    The front matter is read by the data loader (yamlsource.py), so it meets
    the same limits: no aliases, no control characters, no deep nesting."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1, []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            raw = "".join(lines[1 : number - 1])
            body = "".join(lines[number:])
            meta, problems = _front_matter(raw, display)
            if problems:
                return {}, body, number + 1, problems
            if not isinstance(meta, dict):
                return {}, body, number + 1, [rules.error("P001", display, 2, problem="phải gồm các dòng «tên: giá trị»")]
            return meta, body, number + 1, []
    return {}, text, 1, [rules.error("P001", display, 1, problem="thiếu dòng «---» kết thúc phần đầu")]


def _front_matter(raw: str, display: str):
    """(meta, problems): the loader's errors, moved to the page's lines (the
    front matter starts on line 2); a YAML syntax error is a page rule (P001)."""
    from .yamlsource import parse_yaml

    if not raw.strip():
        return {}, []
    try:
        source = parse_yaml(raw, Path(display), display)
    except ContentErrors as exc:
        moved = []
        for error in exc.errors:
            line = error.line + 1 if error.line else 2
            if error.rule == "Y001":
                moved.append(rules.error("P001", display, line, problem=error.message.split("(", 1)[-1].rstrip(").")))
            else:
                moved.append(ContentError(error.path, line, error.message, error.hint, rule=error.rule))
        return {}, moved
    meta = source.data
    if isinstance(meta, dict):
        meta = _Meta(meta)
        meta.lines = {key[0]: line + 1 for key, line in source.lines.items() if len(key) == 1}
    return meta, []


class _Meta(dict):
    """Front matter, with the line of each field."""

    lines: dict[str, int] = {}


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
        self._html: dict[str, str] = {}
        self._setup = None

    def _converter(self) -> _Converter:
        if self._setup is None:
            self._setup = _converter(*markdown_setup(read_site_config(self.root)))
        return self._setup

    def html(self, src_uri: str) -> str:
        """The page's HTML as the site's Markdown makes it (before the policy)."""
        if src_uri not in self._html:
            self._html[src_uri] = self._converter().convert(self.pages[src_uri].body)
        return self._html[src_uri]

    def of(self, src_uri: str) -> set[str]:
        if markdown_limits(self.pages[src_uri].body):
            return set()  # not converted (T006)
        if src_uri not in self._ids:
            self._ids[src_uri] = set(_ID.findall(_MEMO.get(("clean", self.html(src_uri)), sanitize.clean)))
        return self._ids[src_uri]


_MEMO = TEXT_MEMO  # contentcheck.TextMemo: pages' conversions, their checks, handouts' images

# Extensions whose output depends only on the page's text and their options
# (no file read, no clock): their conversions may be kept. Any other
# (pymdownx.snippets reads files) and every page is converted again each time.
_PURE_EXTENSIONS = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "fenced_code",
    "meta", "sane_lists", "smarty", "nl2br", "wikilinks", "legacy_attrs", "legacy_em", "codehilite",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.caret",
    "pymdownx.mark", "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.saneheaders", "pymdownx.keys",
    "pymdownx.tabbed", "pymdownx.inlinehilite", "pymdownx.highlight", "pymdownx.critic",
}


class _Converter:
    """The site's Markdown for one configuration; ``key`` names it in the memo
    (None: its conversions are not kept)."""

    def __init__(self, extensions: list, configs: dict, key: str):
        import markdown

        self.markdown = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self.key = key if _pure(extensions) else None

    def _convert(self, body: str) -> str:
        self.markdown.reset()
        return self.markdown.convert(body)

    def convert(self, body: str) -> str:
        if self.key is None:
            return self._convert(body)
        return _MEMO.get((self.key, body), self._convert)


def _pure(extensions: list) -> bool:
    return all(isinstance(e, str) and e.removeprefix("markdown.extensions.") in _PURE_EXTENSIONS for e in extensions)


def _setup_key(extensions: list, configs: dict) -> str:
    return repr((extensions, sorted(configs.items(), key=lambda item: item[0])))


_CONVERTERS: dict[str, _Converter] = {}


def _converter(extensions: list, configs: dict) -> _Converter:
    key = _setup_key(extensions, configs)
    if key not in _CONVERTERS:
        _CONVERTERS.clear()  # one configuration at a time: a new mkdocs.yml replaces it
        _CONVERTERS[key] = _Converter(extensions, configs, key)
    return _CONVERTERS[key]


def read_site_config(root: Path) -> dict:
    """mkdocs.yml as data (``!ENV`` and ``!!python/name`` resolved), without
    validating it: the checks must not stop on what the build would report.
    A check reads it three times and `ntm edit` checks on every save: the
    last answer is kept for the same bytes and environment (18 ms a parse)."""
    from mkdocs.utils.yaml import yaml_load

    try:
        data = (root / "mkdocs.yml").read_bytes()
    except OSError:
        return {}
    key = (str(root), data, tuple(sorted(os.environ.items())))
    if _SITE_CONFIG[:1] != [key] or b"INHERIT" in data:  # an inherited file is not in the key
        try:
            with open(root / "mkdocs.yml", encoding="utf-8") as handle:
                config = yaml_load(handle) or {}
        except (OSError, yaml.YAMLError):
            return {}
        _SITE_CONFIG[:] = [key, config]
    return copy.deepcopy(_SITE_CONFIG[1])


_SITE_CONFIG: list = []  # [key, config] of the last mkdocs.yml read


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
            data = read_input(path, MAX_PAGE_BYTES)
            if len(data) > MAX_PAGE_BYTES:
                continue  # reported by the text check (T005)
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text's newlines
        except NotReadable:
            continue  # a link or no regular file: reported by the file check (P016, P017); never read
        except UnicodeDecodeError:
            continue  # reported by the text check (Y002)
        text = unicodedata.normalize("NFC", text)
        meta, body, first, problems = split_front_matter(text, display)
        errors += problems + check_front_matter(meta, display, docs_dir.parent / "overrides" / "views")
        pages[src_uri] = Page(src_uri, text, body, first)
    return pages, errors


def check_front_matter(meta: dict, display: str, views_dir: Path) -> list[ContentError]:
    """Only the keys the site and Material read, each of its type (P013):
    text fields are one line with no HTML and no character references (a
    template's ``striptags`` would turn ``&lt;script&gt;`` back into markup);
    ``view`` names a view of the site; no ``template``."""
    return frontmatter.problems(meta, display, frontmatter.views_in(views_dir) if views_dir.is_dir() else None)


def title_text(title, from_meta: bool) -> Markup | None:
    """A page's title as escaped text, for templates that print it as is.

    ``from_meta``: written in the front matter (text); else the engine took it
    from the first heading (HTML with its tags stripped, character references
    kept): it is unescaped once, then escaped, so that nothing a later
    ``striptags`` decodes can become markup."""
    if title is None or isinstance(title, Markup):
        return title
    text = str(title)
    if not from_meta:
        text = html_text.unescape(re.sub(r"<[^<>]*>", "", text))
    return escape(" ".join(text.split()))


def check_pages(root: Path, docs_dir: Path | None = None, cache_dir: Path | None = None) -> list[ContentError]:
    """Every problem of pages, links, menu and handout sources, with its line.

    ``cache_dir``: the answer for the same inputs (every file of docs/, the
    site configuration, the names in materials/ and overrides/, this
    package's code) is kept there, so a check after a change of data only
    (most of an editor's week) does not convert every page again."""
    docs_dir = docs_dir or root / "docs"
    if cache_dir is None:
        return _check_pages(root, docs_dir)
    import pickle

    from . import cachekeep
    from .atomicfile import write_atomically

    name = f"site-{_inputs_key(root, docs_dir)[:32]}.pickle"
    cachekeep.claim(cache_dir, [name], SITE_ENTRIES)
    try:
        return pickle.loads((cache_dir / name).read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        pass
    found = _check_pages(root, docs_dir)
    try:
        write_atomically(cache_dir / name, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error
    return found


SITE_ENTRIES = r"site-[0-9a-f]{32}\.pickle"


def _inputs_key(root: Path, docs_dir: Path) -> str:
    """What the page check reads: the bytes of every regular file of docs/ and
    of mkdocs.yml; where links are (never followed), the names of materials/
    and overrides/ (views, print files); the package's code."""
    from .inputcache import key

    files, names = [root / "mkdocs.yml"], []
    for folder in (docs_dir, root / "materials", root / "overrides"):
        for current, dirs, found in os.walk(folder):
            for name in sorted(dirs + found):
                path = Path(current) / name
                if path.is_symlink():
                    names.append(f"link {path.relative_to(root).as_posix() if path.is_relative_to(root) else path}")
                elif folder == docs_dir and path.is_file():
                    files.append(path)
                else:
                    names.append(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path))
    return key(files, root, ("*.py", "*/*.py", "*.txt"), "\n".join(sorted(names)))


def _check_pages(root: Path, docs_dir: Path) -> list[ContentError]:
    pages, errors = read_pages(docs_dir)
    anchors = _Anchors(root, docs_dir, pages)
    existing = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}
    for src_uri, page in pages.items():
        display = f"docs/{src_uri}"
        if markdown_limits(page.body):
            continue  # never converted: the text check names the line (T006)
        errors += unsafe_html(display, page, anchors.html(src_uri))
        for number, line in _prose_lines(page.body, page.body_line):
            hrefs = [m.group(2) for m in _LINK.finditer(line)]
            hrefs += [m.group(1) for m in _REFERENCE.finditer(line)]
            hrefs += _HTML_LINK.findall(line)
            for href in hrefs:
                errors += _check_link(display, number, src_uri, href, existing, pages, anchors)
    errors += check_nav(root, docs_dir)
    errors += check_handout_sources(docs_dir, root)
    errors += check_files(root, docs_dir)
    return errors


_RULE_OF = {"tag": "P009", "attribute": "P010", "address": "P011", "resource": "P012"}
_CODE_TAGS = {"<script>"}


def unsafe_html(display: str, page: Page, html: str) -> list[ContentError]:
    """What the site's HTML policy would take out of the page, with a line each."""
    found = _MEMO.get(("problems", html), lambda text: tuple(sanitize.problems(text)))
    if not found:
        return []
    lines = page.body.splitlines()
    lowered = [line.lower() for line in lines]
    errors, start = [], 0
    for removed in found:
        index = _locate(lowered, removed.needle.lower(), start)
        if index is not None:
            start = index
        number = page.body_line + (index if index is not None else 0)
        runs_code = (
            removed.what in _CODE_TAGS
            or (removed.kind == "attribute" and removed.what.lower().startswith("on"))
            or (removed.kind == "address" and removed.what.lower().lstrip().startswith(("javascript:", "vbscript:")))
        )
        if runs_code:
            scheme = removed.what.split(":", 1)[0].strip().lower()
            what = {"tag": f"thẻ «{removed.what}»", "attribute": f"thuộc tính «{removed.what}»"}.get(
                removed.kind, f"liên kết «{scheme}:»")
            errors.append(rules.error("P005", display, number, what=what))
        else:
            errors.append(rules.error(_RULE_OF[removed.kind], display, number, what=removed.what))
    return errors


def _locate(lines: list[str], needle: str, start: int) -> int | None:
    """The first line from ``start`` (then from the top) that holds ``needle``."""
    for index in [*range(start, len(lines)), *range(0, min(start, len(lines)))]:
        if needle in lines[index]:
            return index
    return None


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


def check_handout_sources(docs_dir: Path, root: Path | None = None) -> list[ContentError]:
    """The pages and ``##`` sections the print handouts are cut from (P006,
    P007), and every file a handout would ask the renderer for that it may
    not read (P014: see handouts/render.py, the fetcher that refuses them)."""
    from .handouts.catalog import static_handouts
    from .handouts.render import allowed_url
    from .handouts.source import Converter, read_page, select

    root = root or docs_dir.parent
    converter = memo_key = None  # made when a part first needs converting
    errors: list[ContentError] = []
    for handout in static_handouts():
        for part in handout.parts:
            try:
                page = read_page(docs_dir, part.page)
                text = select(page, part)
            except ContentErrors as exc:
                errors += exc.errors
                continue
            if markdown_limits(text):
                continue  # not converted (T006)
            if converter is None:
                extensions, configs = markdown_setup(read_site_config(root))
                converter = Converter(extensions, configs, "http://localhost/", docs_dir)
                # The images of a part depend on its text, its page's folder and the
                # Markdown setup only (linked pages' titles change links, not images):
                # kept like the pages' conversions when the extensions are pure.
                if _pure(extensions):
                    memo_key = f"handout images {_setup_key(extensions, configs)} {docs_dir.absolute()}"
            images = functools.partial(_images, converter, part.page)
            fetched = images(text) if memo_key is None else _MEMO.get((f"{memo_key} {part.page}", text), images)
            for url in fetched:
                if not allowed_url(url, root):
                    errors.append(rules.error("P014", f"docs/{part.page}", _line_in(docs_dir / part.page, url),
                                              handout=handout.slug, what=_shown(url, docs_dir)))
    return sorted(set(errors))


def _images(converter, page: str, text: str) -> tuple[str, ...]:
    """The addresses of the images a handout's part would ask the renderer for."""
    return tuple(html_text.unescape(url) for url in _FETCHED.findall(converter.to_html(text, page)))


# What the renderer would read from a handout's text, once sanitised (only
# images remain; stylesheets, objects and attachments are taken out).
_FETCHED = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


def _shown(url: str, docs_dir: Path) -> str:
    """An address as the editor wrote it (a file of docs/ relative to it)."""
    prefix = docs_dir.absolute().as_uri() + "/"
    return unquote(url[len(prefix):]) if url.startswith(prefix) else url


def _line_in(path: Path, url: str) -> int:
    name = unquote(url.rsplit("/", 1)[-1])
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    index = _locate([line.lower() for line in lines], name.lower(), 0)
    return index + 1 if index is not None else 0


# --- files that must not be published ---------------------------------------------------

# What docs/ may publish, by extension: an allow-list. A web server picks a
# file's type from its extension, and many extensions mean a page that runs
# script with the site's origin (.html, .shtml, .xht, .svg, .xml...): only
# pages (Markdown, converted by the build), pictures (checked by
# photos/library.docs_file_problems), PDFs and office documents (checked by
# photos/documents.py; not the old binary formats it cannot look into) are
# files a server never serves as a page.
PUBLISHABLE_SUFFIXES = frozenset({
    ".md",
    ".jpg", ".jpeg", ".png", ".webp", ".gif",
    ".pdf",
    ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
    ".csv", ".txt",
})  # said in words in the fix of P015 (rules.py): keep both in step


def _ignored_by_mkdocs(name: str) -> bool:
    """MkDocs publishes no file or folder whose name starts with a dot."""
    return name.startswith(".")


def check_files(root: Path, docs_dir: Path) -> list[ContentError]:
    """Symbolic links in docs/ and materials/ (P016), entries that are no
    regular file (P017), and files of docs/ whose kind the site does not
    publish (P015: an allow-list of extensions)."""
    errors: list[ContentError] = []
    for folder in (docs_dir, root / "materials"):
        if not folder.is_dir():
            continue
        for current, dirs, names in os.walk(folder):  # does not follow links to folders
            if folder == docs_dir:
                dirs[:] = [d for d in dirs if not _ignored_by_mkdocs(d) or os.path.islink(os.path.join(current, d))]
            for name in sorted(dirs + names):
                path = Path(current) / name
                display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                try:
                    kind = kind_of(os.lstat(path).st_mode)
                except OSError:
                    continue  # gone meanwhile
                if kind == "link":
                    errors.append(rules.error("P016", display, 0, name=display, target=os.readlink(path)))
                elif kind == "special":
                    errors.append(rules.error("P017", display, 0, name=display))
                elif kind == "file" and folder == docs_dir and not _ignored_by_mkdocs(name) \
                        and path.suffix.lower() not in PUBLISHABLE_SUFFIXES:
                    errors.append(rules.error("P015", display, 0, name=display, suffix=path.suffix.lower() or "(không có)"))
    return errors

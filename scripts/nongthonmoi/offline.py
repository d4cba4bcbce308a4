"""The offline copy: a zip of the site that works opened from the file system.

Made from what the build has just written, not by a second build: every page
``x/index.html`` of a page ``x.md`` moves to ``x.html`` and every relative
address in every page is rewritten to point at the file it reaches from the
page's new place (folder addresses such as ``../thu-bay/`` name their
``index.html``), the search index becomes a script (``search/search_index.js``,
which Material's search worker loads from ``file://``), and every page loads
the iframe-worker shim shipped in ``overrides/assets/javascripts/iframe-worker/``
(Material would take it from a public CDN, and search would silently vanish
without network). That is what Material's ``offline`` plugin does in a build
of its own with ``use_directory_urls: false``; ``NTM_OFFLINE=true mkdocs
build`` still makes that build, and a test compares the two copies file by
file.

Strict like the site, and like the second build it replaces: every address
of every page is resolved; one that leads to a file the copy leaves out, or
to nothing at all, stops the build with :data:`OFFLINE_FAILED` and the list
(a broken link between pages as rule P002, with its file and line). The
engine's own strict mode misses such links under ``-q``, whose log level
drops warnings before they are counted. The zip is deterministic: sorted
entries, one fixed timestamp. Compressed entries are kept in
``.cache/offline/`` by content, and converted pages by their bytes and the
site's layout, so a build after a small change converts and compresses only
the pages that changed. A build claims the entries it uses before it looks
for them, and only a build that succeeded prunes the others (cachekeep.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from . import cachekeep, csp
from .atomicfile import write_atomically

ENV = "NTM_OFFLINE"
ZIP_PATH = "tai-ve/nong-thon-moi-di-linh.zip"
# Folder the zip unpacks into; the reader opens <FOLDER>/index.html.
FOLDER = "nong-thon-moi-di-linh"
SHIM = "assets/javascripts/iframe-worker/shim.js"
INDEX_JSON = "search/search_index.json"
INDEX_JS = "search/search_index.js"
CACHE_DIR = Path(".cache") / "offline"
CACHE_VERSION = "1"
CACHE_ENTRIES = r"[0-9a-f]{64}\.z"  # the files cachekeep.py may prune (not pages.json)
LEVEL = 9

# Not needed from file://: source maps, the JSON index (the copy has
# search/search_index.js), sitemaps, 404.html (served by web servers only,
# with absolute links), and lunr languages other than Vietnamese (the worker
# loads only the stemmer support and lunr.vi).
_LUNR_KEEP = {"lunr.stemmer.support.min.js", "lunr.vi.min.js"}


def is_offline_build() -> bool:
    """A build with Material's offline plugin (``NTM_OFFLINE=true``), the reference the tests compare with."""
    return os.environ.get(ENV, "") not in ("", "0", "false")


def configure(config) -> None:
    """In a Material offline build: load the local iframe-worker shim.

    Runs before Material's offline plugin, which then sees an iframe-worker
    polyfill and does not add ``https://unpkg.com/iframe-worker/shim``.
    """
    polyfills = config.extra.get("polyfills") or []
    if SHIM not in polyfills:
        config.extra["polyfills"] = [*polyfills, SHIM]


# Photo variants (photos/site.py): the copy carries only the small WebP of
# the photos of the latest Saturdays (the set the build passes in); every
# other picture of a page becomes a line saying it is on the website.
PHOTO_FILES = "anh/tep/"


def _wanted(rel: str, photos: frozenset[str] | None = None) -> bool:
    if rel.startswith(PHOTO_FILES) and photos is not None:
        return rel in photos
    if rel in (ZIP_PATH, "404.html") or rel.endswith(".map") or rel.startswith("sitemap.xml"):
        return False
    if rel.endswith((".gz", ".br")):
        return False  # precompressed copies (precompress.py) are for web servers; a browser reads files from disk as they are
    if rel.startswith("quan-tri/"):
        return False  # the web editor needs a git host or ntm edit, not a folder on disk
    if rel == INDEX_JSON:
        return False
    if rel.startswith("assets/javascripts/lunr/"):
        return Path(rel).name in _LUNR_KEEP
    return True


# What the editor reads when the offline copy fails.
OFFLINE_FAILED = (
    "Không dựng được bản dùng không cần mạng (offline), nên chưa đăng được trang. "
    "Các vấn đề bản dựng này gặp (sửa như sửa lỗi của trang web):"
)


def site_file(config, command: str):
    """The file at :data:`ZIP_PATH`, so that the home page's link to the zip
    is a link to a file of the site. In ``mkdocs build`` an empty placeholder
    that :func:`write_copy` fills in; the preview (``ntm serve``, ``ntm edit``)
    gets a small zip that says where the real copy is (making the copy would
    delay every reload)."""
    from mkdocs.structure.files import File

    content = b""
    if command == "serve" and not is_offline_build():
        content = write_zip({"DOC-TRUOC.txt": PREVIEW_NOTE.encode("utf-8")}, _Deflated(None))
    return File.generated(config, ZIP_PATH, content=content)


# --- from the site's pages to the copy's ------------------------------------------


def page_moves(files) -> dict[str, str]:
    """Site path of each page -> its path in the copy, for the pages that move
    (``a/b/index.html`` of ``a/b.md`` -> ``a/b.html``), by MkDocs' own rule."""
    from mkdocs.structure.files import File

    moves = {}
    for file in files.documentation_pages():
        offline = File(file.src_uri, None, None, False).dest_uri
        if offline != file.dest_uri:
            moves[file.dest_uri] = offline
    return moves


_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_SCOPE = re.compile(r'(__md_scope=new URL\(")([^"]*)(",location\))')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_CONFIG_BASE = re.compile(r'("base": ")([^"]*)(")')
_CONFIG_SEARCH = re.compile(r'("search": ")([^"]*)(")')
# Where Material's "libs" block (config.extra.polyfills) puts the shim in an
# offline build: after the palette stylesheet and the seven lines of the
# (empty) icons, libs and fonts blocks of Material 9's base.html. Elsewhere
# (another Material layout) it goes before Material's first inline script of
# the head, which works as well: the shim only has to come before the bundle.
_LIBS = re.compile(r'(palette\.[0-9a-f]+\.min\.css">\n(?: *\n){7})')
_HEAD_SCRIPT = re.compile(r"(\n *)(<script>__md_scope=)")
_LOCATION = re.compile(r'("location":")([^"]*)(")')
_OUTSIDE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|$)")


_PICTURE = re.compile(r"<picture>(.*?)</picture>", re.S)
_WEBP_SOURCE = re.compile(r'<source type="image/webp" srcset="([^"]*)"')
_IMG = re.compile(r"<img\s[^>]*>")
_IMG_SRC = re.compile(r'(\ssrc=")([^"]*)(")')
_IMG_ALT = re.compile(r'\salt="([^"]*)"')
AWAY = '<span class="ntm-photo__away">Ảnh xem trên trang web (cần mạng): {alt}</span>'


def offline_pictures(html: str, page_dir: str, photos: frozenset[str]) -> str:
    """Each ``<picture>`` of a page as the copy shows it: its ``<img>`` with the
    small WebP as source when the copy carries it (``photos``, site paths),
    else a line with the picture's description. Addresses stay as they were
    (relative to ``page_dir`` on the site); the converter rewrites them next."""

    def one(match: re.Match) -> str:
        inner = match.group(1)
        img = _IMG.search(inner)
        if img is None:
            return match.group(0)
        source = _WEBP_SOURCE.search(inner)
        candidates = [c.strip().rsplit(" ", 1) for c in source.group(1).split(",")] if source else []
        small = min(((url, int(w[:-1])) for url, w in candidates if w.endswith("w") and w[:-1].isdigit()),
                    key=lambda c: c[1], default=None)
        if small is not None:
            site_path = posixpath.normpath(posixpath.join(page_dir, small[0])) if page_dir else posixpath.normpath(small[0])
            if site_path in photos:
                return _IMG_SRC.sub(lambda m: m.group(1) + small[0] + m.group(3), img.group(0), count=1)
        alt = _IMG_ALT.search(img.group(0))
        return AWAY.format(alt=alt.group(1) if alt else "")

    return _PICTURE.sub(one, html) if "<picture>" in html else html


class Converter:
    """Rewrites the pages of one built site into the copy's pages."""

    def __init__(self, site_files: set[str], moves: dict[str, str], sources: dict[str, str] | None = None,
                 docs_dir: Path | None = None, photos: frozenset[str] | None = None):
        self.site_files = site_files  # every file of the site, as site paths
        self.moves = moves
        self.sources = sources or {}  # site path of a page -> its Markdown file (docs/...), for messages
        self.docs_dir = docs_dir
        self.photos = photos
        self.copy_files = {moves.get(f, f) for f in site_files if _wanted(f, photos)} | {INDEX_JS}
        self.problems: list[str] = []
        self._outside: set[str] = set()
        self._targets: dict[tuple[str, str], str] = {}
        self._relative: dict[tuple[str, str], str] = {}

    def target(self, path: str) -> str:
        """The file a site path names: a folder address names its index.html."""
        if path in ("", "."):
            return "index.html"
        if path.endswith("/"):
            return path + "index.html"
        if path not in self.site_files and path + "/index.html" in self.site_files:
            return path + "/index.html"
        return path

    def url(self, url: str, old_dir: str, new_dir: str, page: str) -> str:
        if url in self._outside:
            return url
        if _OUTSIDE.match(url) or url.startswith("/"):
            self._outside.add(url)
            return url
        path, sep, fragment = url.partition("#")
        path, qsep, query = path.partition("?")
        # The file an address leads to depends on the page's folder on the
        # site; its new wording on the page's folder in the copy. Many pages
        # share the second (every plan of a commune), so both are remembered.
        key = (path, old_dir)
        target = self._targets.get(key)
        if target is None:
            plain = unquote(path) if "%" in path else path
            site_path = posixpath.normpath(posixpath.join(old_dir, plain)) if old_dir else posixpath.normpath(plain or ".")
            if path.endswith("/") and site_path != ".":
                site_path += "/"
            on_site = self.target(site_path)
            target = self._targets[key] = self.moves.get(on_site, on_site)
            # The home page links the zip itself; the copy says instead that it is the copy.
            if target not in self.copy_files and target != ZIP_PATH:
                self._problem(page, url, target, on_site in self.site_files)
        key = (target, new_dir)
        new = self._relative.get(key)
        if new is None:
            new = self._relative[key] = _relative(target, new_dir)
            if "%" in path:
                new = self._relative[key] = quote(new)
        return new + qsep + query + sep + fragment

    def _problem(self, page: str, url: str, target: str, on_site: bool) -> None:
        copy_page = self.moves.get(page, page)
        if on_site:
            # A file of the site that the copy leaves out.
            self.problems.append(f"{copy_page}: «{url}» dẫn tới «{target}», tệp không có trong bản dùng không cần mạng.")
            return
        # Nowhere on the site either. The engine warns about such a link in
        # strict mode, but not under -q (its log level then drops warnings
        # before they are counted): the copy stops the build in any case,
        # as the second build it replaces did.
        source = self.sources.get(page)
        if source is not None and url.partition("#")[0].endswith(".md"):
            from . import rules
            from .buildlog import _line_of

            line = _line_of(self.docs_dir, source, url) if self.docs_dir is not None else 0
            self.problems.append(str(rules.error("P002", f"docs/{source}", line, target=url)))
        else:
            self.problems.append(f"{copy_page}: «{url}» dẫn tới «{target}», trang web cũng không có tệp này.")

    def page(self, old: str, new: str, html: str) -> str:
        old_dir, new_dir = posixpath.dirname(old), posixpath.dirname(new)
        base = "/".join([".."] * len(new_dir.split("/"))) if new_dir else "."

        def address(m: re.Match) -> str:
            return m.group(1) + self.url(m.group(2), old_dir, new_dir, old) + m.group(3)

        if self.photos is not None:
            html = offline_pictures(html, old_dir, self.photos)
        html = _ATTRIBUTE.sub(address, html)
        # Material's head (the shim, __md_scope) and the blocks at the end of
        # the body: each looked for in its part of the page only.
        cut = html.find("</head>") + 1 or len(html)
        head, body = html[:cut], html[cut:]
        head = _SCOPE.sub(lambda m: m.group(1) + base + m.group(3), head, count=1)
        shim = f'<script src="{_relative(SHIM, new_dir)}"></script>'
        head, added = _LIBS.subn(lambda m: f"{m.group(1)}        {shim}\n      \n", head, count=1)
        if not added:
            head, added = _HEAD_SCRIPT.subn(lambda m: f"{m.group(1)}{shim}{m.group(1)}{m.group(2)}", head, count=1)
        if not added and "<head>" in head:
            self.problems.append(f"{new}: không chèn được iframe-worker (tìm kiếm không chạy khi mở từ máy).")

        def config(match: re.Match) -> str:
            text = _CONFIG_BASE.sub(lambda m: m.group(1) + base + m.group(3), match.group(2), count=1)
            return match.group(1) + _CONFIG_SEARCH.sub(address, text, count=1) + match.group(3)

        if '<script id="__config"' in body:
            body = _CONFIG.sub(config, body, count=1)
        # The copy's own Content-Security-Policy (csp.py): its inline scripts
        # changed with the addresses, and its files are file: URLs.
        return csp.add_policy(head + body, offline=True)

    def search_index(self, text: str) -> str:
        """search_index.json as the script the worker loads from file://."""

        def location(match: re.Match) -> str:
            path, sep, fragment = match.group(2).partition("#")
            target = self.target(path)
            return match.group(1) + self.moves.get(target, target) + sep + fragment + match.group(3)

        return "var __index = " + _LOCATION.sub(location, text)


def _relative(target: str, start: str) -> str:
    """posixpath.relpath for two clean paths relative to the site's root (no cwd lookups)."""
    if not start:
        return target
    base = start.split("/")
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


# --- the zip ------------------------------------------------------------------------


def _dos_time(epoch: int) -> tuple[int, int]:
    # Zip dates start in 1980 and have two-second resolution.
    y, mo, d, h, mi, s = time.gmtime(max(epoch, 315532800))[:6]
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


@dataclass(frozen=True)
class Entry:
    """One file of the zip. ``data`` None: a page an earlier build converted,
    known by the key of its bytes (their compressed form is in the cache)."""

    data: bytes | None
    key: str  # of the bytes in the zip (and of the compression level)
    crc: int
    size: int

    @classmethod
    def of(cls, data: bytes) -> Entry:
        key = hashlib.sha256(f"{CACHE_VERSION} {LEVEL}\n".encode() + data).hexdigest()
        return cls(data, key, zlib.crc32(data), len(data))


class _Deflated:
    """Raw deflate streams (as zip stores them) kept by content in a folder."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self.made = 0

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.z" if self.folder is not None else None

    def claim(self, keys) -> None:
        """This build uses the entries of ``keys``: claimed before they are looked for."""
        if self.folder is not None:
            cachekeep.claim(self.folder, [f"{key}.z" for key in keys], CACHE_ENTRIES)

    def has(self, key: str) -> bool:
        path = self._path(key)
        return path is not None and path.is_file()

    def get(self, entry: Entry) -> bytes:
        path = self._path(entry.key)
        if path is not None:
            try:
                return path.read_bytes()
            except OSError:
                pass
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        out = compressor.compress(entry.data) + compressor.flush()
        self.made += 1
        if path is not None:
            write_atomically(path, out)  # a parallel build never reads half a file
        return out


_DRIVE = re.compile(r"^[A-Za-z]:")


def check_entry_name(rel: str) -> None:
    """An entry name is a plain relative POSIX path inside :data:`FOLDER`: no
    ``..``, no leading slash, no backslash, no drive letter, no empty or "."
    part, no control character. An unzip program would otherwise write
    outside the folder the reader chose ("zip slip")."""
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or _DRIVE.match(rel)
        or any(part in ("", ".", "..") for part in parts)
        or any(ord(c) < 32 or ord(c) == 127 for c in rel)
    ):
        raise RuntimeError(f"Bản dùng không cần mạng: tên tệp «{rel!r}» không phải một đường dẫn tương đối thường.")


def write_zip(entries: dict[str, Entry | bytes], deflated: _Deflated) -> bytes:
    """A zip of ``entries`` (name -> bytes or :class:`Entry`) under :data:`FOLDER`:
    sorted names, one fixed time (SOURCE_DATE_EPOCH), Unix permissions 644."""
    clock, day = _dos_time(int(os.environ.get("SOURCE_DATE_EPOCH") or 315532800))
    out, central = [], []
    offset = 0
    names = sorted(entries)
    if len(names) >= 0xFFFF:
        raise RuntimeError("Bản dùng không cần mạng có quá nhiều tệp cho một tệp nén .zip thường.")
    for rel in names:
        check_entry_name(rel)
        entry = entries[rel]
        if not isinstance(entry, Entry):
            entry = Entry.of(entry)
        name = f"{FOLDER}/{rel}".encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # UTF-8 names
        packed = deflated.get(entry)
        header = struct.pack(
            "<4sHHHHHLLLHH", b"PK\x03\x04", 20, flags, 8, clock, day, entry.crc, len(packed), entry.size, len(name), 0
        )
        out += [header, name, packed]
        central.append(
            struct.pack(
                "<4sHHHHHHLLLHHHHHLL",
                b"PK\x01\x02", (3 << 8) | 20, 20, flags, 8, clock, day, entry.crc, len(packed), entry.size,
                len(name), 0, 0, 0, 0, 0o644 << 16, offset,
            )
            + name
        )
        offset += len(header) + len(name) + len(packed)
    directory = b"".join(central)
    end = struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, len(names), len(names), len(directory), offset, 0)
    return b"".join(out) + directory + end


PAGES_INDEX = "pages.json"


def offline_copy(
    site: Path, moves: dict[str, str], cache: Path | None = None, sources: dict[str, str] | None = None,
    docs_dir: Path | None = None, photos: frozenset[str] | None = None,
) -> dict[str, Entry]:
    """The copy's files (path in the copy -> :class:`Entry`) from a built site folder.

    A page converted by an earlier build from the same bytes, at the same
    place, among the same files and pages (``cache``/pages.json), is not
    converted again. Raises ``RuntimeError`` (:data:`OFFLINE_FAILED` and the
    list) when a page of the copy would lead to a file the copy does not hold."""
    site_files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    converter = Converter(site_files, moves, sources, docs_dir, photos)
    deflated = _Deflated(cache) if cache is not None else None
    # What a page's addresses become depends on its bytes, its place, the
    # site's files and pages, and the photos the copy carries, nothing else.
    layout = hashlib.sha256(
        repr((CACHE_VERSION, sorted(site_files), sorted(moves.items()), sorted(photos or ()))).encode()
    ).hexdigest()
    index_file = cache / PAGES_INDEX if cache is not None else None
    try:
        known = json.loads(index_file.read_text(encoding="utf-8")) if index_file else {}
    except (OSError, ValueError):
        known = {}
    used: dict[str, list] = {}
    entries: dict[str, Entry] = {}
    wanted = [rel for rel in sorted(site_files) if _wanted(rel, photos)]
    page_keys = {
        rel: hashlib.sha256(f"{layout}\n{rel}\n".encode() + (site / rel).read_bytes()).hexdigest()
        for rel in wanted if rel.endswith(".html")
    }
    if deflated is not None:
        # The pages converted before: their entries are claimed before they are looked for.
        deflated.claim(known[k][0] for k in page_keys.values() if k in known)
    for rel in wanted:
        new = moves.get(rel, rel)
        if rel.endswith(".html"):
            page_key = page_keys[rel]
            hit = known.get(page_key)
            if hit is not None and deflated is not None and deflated.has(hit[0]):
                entries[new] = Entry(None, *hit)
                used[page_key] = hit
                continue
            data = (site / rel).read_bytes()
            entry = Entry.of(converter.page(rel, new, data.decode("utf-8")).encode("utf-8"))
            used[page_key] = [entry.key, entry.crc, entry.size]
            entries[new] = entry
        else:
            entries[new] = Entry.of((site / rel).read_bytes())
    if INDEX_JSON in site_files:
        entries[INDEX_JS] = Entry.of(
            converter.search_index((site / INDEX_JSON).read_text(encoding="utf-8")).encode("utf-8")
        )
    if converter.problems:
        shown = converter.problems[:20]
        more = len(converter.problems) - len(shown)
        raise RuntimeError(
            OFFLINE_FAILED + "\n" + "\n".join(shown) + (f"\n(và {more} chỗ nữa)" if more > 0 else "")
        )
    if index_file is not None:
        write_atomically(index_file, json.dumps(used, sort_keys=True).encode("utf-8"))
    return entries


PREVIEW_NOTE = (
    "Đây là bản xem trước trên máy biên tập, không kèm bản dùng không cần mạng.\n"
    "Bản dùng không cần mạng có trên trang web đã đăng, mục «Tải về».\n"
)


def write_copy(config, files, command: str, root: Path, photos: frozenset[str] | None = None) -> dict:
    """Write the zip of the offline copy over the placeholder in the built site.

    Only ``mkdocs build``: the preview (``ntm serve``, ``ntm edit``) keeps the
    small zip of :func:`site_file`, which says where the real copy is. Returns
    figures for the log: files, size, entries compressed anew.
    """
    if is_offline_build() or command != "build":
        return {}
    site = Path(config.site_dir)
    start = time.perf_counter()
    deflated = _Deflated(root / CACHE_DIR)
    sources = {file.dest_uri: file.src_uri for file in files.documentation_pages()}
    entries = offline_copy(site, page_moves(files), root / CACHE_DIR, sources, Path(config.docs_dir), photos)
    deflated.claim(entry.key for entry in entries.values())
    content = write_zip(entries, deflated)
    target = site / ZIP_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return {"files": len(entries), "size": len(content), "compressed": deflated.made, "seconds": time.perf_counter() - start}

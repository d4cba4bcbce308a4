"""Build every handout, re-rendering only those whose inputs changed.

Cache key (sha256) of a handout = the print templates, CSS and fonts, the
code that shapes a handout (this package, ``views.py``, the models), the
versions of every library that changes a PDF's bytes (WeasyPrint and what it
requires, Markdown, pymdown-extensions, segno, Jinja2, MarkupSafe) and of the
native Pango and HarfBuzz it lays text out with (one "toolchain" hash per
build), plus the handout's own inputs: the text of its pages (and the titles of the
pages they link to, which the print shows), the data models it shows, the
registry entry of its source document, and its settings (paper, public URL,
edition date, Markdown extensions). A hit costs one ``stat``; misses are
rendered in parallel worker processes, one per core. A build claims the
entries it uses before it looks for them, and only a build that succeeded
prunes the others (cachekeep.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path

from markupsafe import Markup

from .. import background, cachekeep, gitdates, publishing
from ..atomicfile import write_atomically
from ..errors import ContentError, ContentErrors
from .catalog import Handout, all_handouts
from .render import clean, layout, make_print_environment, mark_tables, packet_pdf, render_pdf, write
from .source import Converter, read_page, select


CACHE_VERSION = "1"
# The files of the cache cachekeep.py may prune: a PDF and its figures per key
# (last-build.json, the figures of the last build, is not an entry).
CACHE_ENTRIES = r"[0-9a-f]{64}\.(?:pdf|json)"


@dataclass(frozen=True)
class Built:
    handout: Handout
    key: str
    path: Path  # the PDF in the cache
    pages: int
    size: int
    edition: date
    url: str  # public address of the home page (the QR code); "" without a public address
    rendered: bool  # False: taken from the cache
    seconds: float  # render time (0 for a cache hit)


@dataclass(frozen=True)
class Settings:
    site_url: str  # the public address; "" when the build has none (a trial print)
    site_name: str
    site_author: str
    markdown_extensions: tuple
    mdx_configs: dict

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(
            # Without a public address (unset, localhost) a handout prints no
            # address and no QR code, and says it is a trial print: a printed
            # link to the build machine leads nowhere.
            site_url=config.site_url if publishing.address_problem(config.site_url) is None else "",
            site_name=config.site_name,
            site_author=config.site_author or "",
            markdown_extensions=tuple(config.markdown_extensions),
            mdx_configs=dict(config.mdx_configs),
        )


def _hash_tree(digest, folder: Path, pattern: str = "*", skip: tuple[str, ...] = ()) -> None:
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        if path.relative_to(folder).parts[0] in skip:
            continue
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


# The nongthonmoi package: handouts/, views.py (dates), models/ (how amounts,
# times and quantities are written) all shape what a handout prints.
PACKAGE = Path(__file__).resolve().parent.parent
CODE = ("handouts/*.py", "views.py", "models/*.py")
# Python packages that shape a PDF besides WeasyPrint's own requirements:
# the Markdown converter and its extensions, the QR codes, the templates.
PACKAGES = ("weasyprint", "markdown", "pymdown-extensions", "segno", "jinja2", "markupsafe")
# The shared libraries WeasyPrint lays text out with, under the names it
# tries (weasyprint/text/ffi.py, same order, so dlopen hands back the very
# library it loaded), with the function that tells each one's version.
_NATIVE = {
    "pango": (
        "const char *pango_version_string(void);",
        "pango_version_string",
        ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
    ),
    "harfbuzz": (
        "const char *hb_version_string(void);",
        "hb_version_string",
        ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
    ),
}


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _packages() -> list[str]:
    from importlib.metadata import PackageNotFoundError, requires

    try:
        required = requires("weasyprint") or []
    except PackageNotFoundError:
        required = []
    # "fonttools[woff] >=4.59.2" -> fonttools; extras for docs and tests are not used.
    names = {re.split(r"[\s\[<>=;!~]", r, maxsplit=1)[0].lower() for r in required if "extra ==" not in r}
    return sorted(names | set(PACKAGES))


def native_versions() -> dict[str, str]:
    """Pango and HarfBuzz versions, which shape every line of a handout.

    Read with cffi (a WeasyPrint requirement) rather than through WeasyPrint
    (``weasyprint --info`` prints Pango's): importing WeasyPrint takes half a
    second, and a build whose handouts are all cached should not pay it.
    """
    import cffi

    versions = {}
    for library, (declaration, function, names) in _NATIVE.items():
        ffi = cffi.FFI()
        ffi.cdef(declaration)
        versions[library] = "?"
        for name in names:
            try:
                versions[library] = ffi.string(getattr(ffi.dlopen(name), function)()).decode()
                break
            except (OSError, AttributeError):
                continue
    return versions


def toolchain_versions() -> dict[str, str]:
    return {**{name: package_version(name) for name in _packages()}, **native_versions()}


class HandoutBuilder:
    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        settings: Settings,
        materials,
        *,
        cache_dir: Path | None = None,
        workers: int | None = None,
        dates: dict | None = None,
        coming=None,
    ):
        self.root = Path(root)
        self.docs_dir = Path(docs_dir)
        self.settings = settings
        self.materials = materials
        self.print_dir = self.root / "overrides" / "print"
        env_cache = os.environ.get("NTM_HANDOUT_CACHE")
        self.cache_dir = Path(cache_dir or env_cache or self.root / ".cache" / "handouts")
        self.workers = workers or os.cpu_count() or 1
        self.dates = gitdates.last_commit_dates(self.root) if dates is None else dates
        self.converter = Converter(settings.markdown_extensions, settings.mdx_configs, settings.site_url, self.docs_dir)
        self.env = make_print_environment(self.print_dir)
        # coming: the coming Saturday (plan sheets are made around it); default: the build's.
        self.handouts = all_handouts(materials, coming)
        self.built: list[Built] = []
        self.stats: dict = {}

    # --- inputs -----------------------------------------------------------

    def toolchain_hash(self) -> str:
        versions = json.dumps(toolchain_versions(), sort_keys=True)
        digest = hashlib.sha256(f"handouts cache {CACHE_VERSION}\n{versions}\n".encode())
        _hash_tree(digest, self.print_dir, skip=("web",))  # web/: snippets for the site pages, not in the PDFs
        _hash_tree(digest, self.root / "overrides" / "assets" / "fonts")
        for pattern in CODE:
            for path in sorted(PACKAGE.glob(pattern)):
                digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0".encode() + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def edition(self, handout: Handout) -> date:
        """Last commit date of the handout's inputs; never the clock."""
        inputs = [f"{self.docs_dir.relative_to(self.root).as_posix()}/{p}" for p in handout.pages]
        inputs += list(handout.sources)
        found = gitdates.latest(self.dates, inputs)
        if found:
            return found
        # Inputs not committed yet: the last commit, as for every other date of the build.
        return self._head_date

    @functools.cached_property
    def _head_date(self) -> date:
        # Once per build, not once per handout: each asks git in a new process.
        stamp = gitdates.head_timestamp(self.root) or int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
        return datetime.fromtimestamp(stamp + 7 * 3600, tz=timezone.utc).date()

    def _document(self, handout: Handout):
        if handout.document is None:
            return None
        doc = self.materials.documents.by_id().get(handout.document)
        if doc is None:
            raise ContentErrors(
                [
                    ContentError(
                        "materials/van-ban.yml",
                        0,
                        f"Tài liệu in «{handout.slug}» dẫn văn bản «{handout.document}» nhưng danh mục không có.",
                        "Thêm văn bản vào danh mục, hoặc sửa scripts/nongthonmoi/handouts/catalog.py.",
                    )
                ]
            )
        return doc

    def key(self, handout: Handout, toolchain: str, texts: dict[str, str], edition: date, members: list[str] | None = None) -> str:
        doc = self._document(handout)
        payload = {
            # A packet is made of its sheets: their keys stand for their inputs.
            "members": members or [],
            "handout": {f.name: getattr(handout, f.name) for f in fields(handout) if f.name != "data"},
            "pages": {p: texts[p] for p in handout.pages},
            # A link prints the title of the page it leads to (source.py).
            "link_titles": {p: self.converter.link_titles(texts[p], p) for p in handout.pages},
            "document": doc.model_dump(mode="json") if doc is not None else None,
            "data": {name: _dump(value) for name, value in sorted(handout.data.items())},
            "settings": {
                "site_url": self.settings.site_url,
                "site_name": self.settings.site_name,
                "site_author": self.settings.site_author,
                "extensions": list(self.settings.markdown_extensions),
                "mdx_configs": self.settings.mdx_configs,
                "edition": edition.isoformat(),
            },
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=_stable)
        return hashlib.sha256(f"{toolchain}\n{text}".encode()).hexdigest()

    # --- rendering --------------------------------------------------------

    def html(self, handout: Handout, edition: date) -> str:
        parts = []
        for part in handout.parts:
            page = read_page(self.docs_dir, part.page)
            text = select(page, part)
            # The page title, if kept, becomes a section heading (h2) of the handout.
            parts.append(Markup(self.converter.to_html(text, part.page, shift=1 if part.title else 0)))
        template = self.env.get_template(handout.template)
        extra = {}
        if handout.data.get("photos"):
            # The bulletin's pictures, grey, inside the HTML (bulletin.embed).
            from ..photos.variants import print_jpeg
            from .bulletin import embed

            extra["photos"] = embed(
                handout.data["photos"], lambda e: print_jpeg(self.root, e["path"], e["sha256"], e["width"], e["height"])
            )
        html = template.render(
            **extra,
            handout=handout,
            paper=handout.paper,
            parts=parts,
            doc=self._document(handout),
            data=handout.data,
            url=self.converter.url_of(handout.home),
            edition=edition,
            site_name=self.settings.site_name,
            site_author=self.settings.site_author,
        )
        return clean(mark_tables(html))

    def keys(self, toolchain: str | None = None) -> tuple[dict[str, str], dict[str, date]]:
        """The cache key and the edition of every handout, by slug."""
        toolchain = toolchain or self.toolchain_hash()
        texts: dict[str, str] = {}
        for handout in self.handouts:
            for src in handout.pages:
                if src not in texts:
                    path = self.docs_dir / src
                    texts[src] = path.read_text(encoding="utf-8") if path.is_file() else ""
        editions = {h.slug: self.edition(h) for h in self.handouts}
        keys: dict[str, str] = {}
        # Sheets first: a packet's key is made from the keys of its sheets.
        for handout in sorted(self.handouts, key=lambda h: bool(h.members)):
            members = [keys[m] for m in handout.members] if handout.members else None
            keys[handout.slug] = self.key(handout, toolchain, texts, editions[handout.slug], members)
        return keys, editions

    def build(self) -> list[Built]:
        """Render what changed and return every handout (cache hits included)."""
        self.prepare()
        self.render_missing()
        return self.finish()

    # In three steps, so that the rendering can run beside the site's build
    # (background.py): prepare() and finish() in the build, render_missing()
    # in between, anywhere; it leaves its PDFs and their figures in the cache.

    def prepare(self) -> None:
        """Keys, cache hits, and the HTML of every handout to render."""
        self._start = time.perf_counter()
        toolchain = self.toolchain_hash()
        keys, editions = self.keys(toolchain)
        self.plans = [(h, editions[h.slug], keys[h.slug]) for h in self.handouts]
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Claimed before they are looked for: no build prunes them from now on.
        cachekeep.claim(self.cache_dir, [f"{k}{suffix}" for _, _, k in self.plans for suffix in (".pdf", ".json")],
                        CACHE_ENTRIES)
        self.misses = [(h, e, k) for h, e, k in self.plans if self._cached(k) is None]
        self._pending = self._tasks(self.misses, editions, toolchain)

    def outputs(self) -> list[tuple[Handout, Path]]:
        """Each handout and the file in the cache that holds (or will hold) its PDF."""
        return [(handout, self.cache_dir / f"{key}.pdf") for handout, _, key in self.plans]

    def render_missing(self) -> None:
        results = self._render_all(self._pending)
        for handout, _, key in self.misses:
            pdf, pages, seconds = results[handout.slug]
            self._store(key, pdf, {"pages": pages, "size": len(pdf), "slug": handout.slug, "seconds": round(seconds, 3)})

    def finish(self) -> list[Built]:
        rendered = {h.slug for h, _, _ in self.misses}
        built = []
        for handout, edition, key in self.plans:
            meta = self._cached(key)
            if meta is None:
                raise ContentErrors(
                    [ContentError(f"tai-lieu-in/{handout.slug}.pdf", 0, "Chưa dựng được bản in này.", "Chạy lại lệnh dựng.")]
                )
            built.append(
                Built(
                    handout=handout,
                    key=key,
                    path=self.cache_dir / f"{key}.pdf",
                    pages=meta["pages"],
                    size=meta["size"],
                    edition=edition,
                    url=self.converter.url_of(handout.home),
                    rendered=handout.slug in rendered,
                    seconds=meta.get("seconds", 0.0) if handout.slug in rendered else 0.0,
                )
            )
        self.built = built
        elapsed = time.perf_counter() - self._start
        self.stats = {
            "handouts": len(built),
            "rendered": sorted(rendered),
            "reused": sorted(b.handout.slug for b in built if not b.rendered),
            "seconds": round(elapsed, 3),
        }
        (self.cache_dir / "last-build.json").write_text(json.dumps(self.stats, ensure_ascii=False, indent=1) + "\n")
        return built

    def _tasks(self, misses, editions: dict[str, date], toolchain: str) -> list[tuple]:
        """What the workers render: a packet lays out all its sheets once and
        writes the packet and those of its sheets that are not cached; every
        other handout is a task of its own."""
        base_url = self.print_dir.as_uri() + "/"
        by_slug = {h.slug: h for h in self.handouts}
        missing = {h.slug for h, _, _ in misses}
        tasks, done = [], set()
        for handout, edition, _ in misses:
            if not handout.members:
                continue
            members = [
                (slug, self.html(by_slug[slug], editions[slug]), slug in missing) for slug in handout.members
            ]
            description = f"{handout.kind}: {handout.title}. {self.converter.url_of(handout.home)}".rstrip(". ") + "."
            tasks.append(("packet", handout.slug, members, (handout.title, description, edition), base_url, toolchain))
            done |= set(handout.members)
        for handout, edition, _ in misses:
            if not handout.members and handout.slug not in done:
                tasks.append(("one", handout.slug, self.html(handout, edition), base_url, toolchain))
        return tasks

    def _render_all(self, tasks: list[tuple]) -> dict[str, tuple[bytes, int, float]]:
        if not tasks:
            return {}
        # In place beside other threads (`ntm edit`'s web server): a fork
        # there could copy a lock the child then waits for forever.
        if len(tasks) == 1 or self.workers == 1 or not background.can_fork():
            done = [_run(task) for task in tasks]
        else:
            # Import WeasyPrint once here: forked workers inherit it instead of
            # each paying the import. Each worker sets up the fonts once
            # (render.font_config) and renders many handouts with them.
            import weasyprint  # noqa: F401

            with background.fork_pool(min(self.workers, len(tasks))) as pool:
                done = list(pool.map(_run, tasks))
        return {slug: (pdf, pages, seconds) for rendered in done for slug, pdf, pages, seconds in rendered}

    # --- cache ------------------------------------------------------------

    def _cached(self, key: str) -> dict | None:
        pdf, meta = self.cache_dir / f"{key}.pdf", self.cache_dir / f"{key}.json"
        try:
            data = json.loads(meta.read_text())
            if pdf.stat().st_size == data["size"]:
                return data
        except (OSError, ValueError, KeyError):
            pass
        return None

    def _store(self, key: str, pdf: bytes, meta: dict) -> None:
        for suffix, content in ((".pdf", pdf), (".json", json.dumps(meta).encode())):
            write_atomically(self.cache_dir / f"{key}{suffix}", content)  # a parallel build never reads half a file


def _run(task: tuple) -> list[tuple[str, bytes, int, float]]:
    """Render one task of :meth:`HandoutBuilder._tasks`: (slug, PDF, pages, seconds) of each PDF made."""
    if task[0] == "one":
        _, slug, html, base_url, token = task
        start = time.perf_counter()
        pdf, pages = render_pdf(html, base_url, token)
        return [(slug, pdf, pages, time.perf_counter() - start)]
    _, slug, members, (title, description, edition), base_url, token = task
    out, documents = [], []
    for member, html, wanted in members:
        start = time.perf_counter()
        document = layout(html, base_url, token)
        documents.append(document)
        if wanted:
            out.append((member, write(document), len(document.pages), time.perf_counter() - start))
    start = time.perf_counter()
    pdf, pages = packet_pdf(documents, title, description, edition)
    out.append((slug, pdf, pages, time.perf_counter() - start))
    return out


def _stable(value) -> str:
    """A value of the key as text that is the same in every process.

    mkdocs.yml passes functions to Markdown extensions (the heading ids'
    ``slugify``); ``str()`` of a function holds its memory address, which
    differs from one process to the next, so no build ever found an earlier
    build's handouts in the cache. A function stands for its name and code.
    """
    if callable(value) and hasattr(value, "__qualname__"):
        import inspect

        try:
            code = inspect.getsource(value)
        except (OSError, TypeError):
            code = ""
        return f"{value.__module__}.{value.__qualname__}:{hashlib.sha256(code.encode()).hexdigest()}"
    return str(value)


def _dump(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value

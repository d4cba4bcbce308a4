"""MkDocs plugin: thin glue between the build events and the domain modules.

Only documented plugin events are used, and no logger names, so MkDocs and
ProperDocs (a drop-in fork) run it the same way:

- ``on_config``: load and validate all content (fails before anything is
  written), and point the build at a staging folder (staging.py);
- ``on_files``: add the generated pages and files (workbooks, Saturday
  pages, handouts, editor, offline copy); what MkDocs only copies later is
  made beside the build, on the other core (background.py);
- ``on_page_read_source``: a generated page's text, kept in memory (or
  made here when the other core has not reached it yet);
- ``on_page_content``: add the registry metadata block and data views;
- ``on_env``: wait for the workbooks and PDFs (MkDocs copies files next);
- ``on_page_context``: the "Tải bản in" boxes, the "Cập nhật lần cuối"
  date from git history;
- ``on_post_build``: the offline copy, from the pages just written (offline.py);
- ``on_build_error``: the build failed (a content error, or warnings in
  strict mode): drop the staging folder, the previous ``site/`` stays;
- ``on_shutdown``: the build is over: if it got through ``on_post_build``
  and nothing failed, the staging folder replaces ``site/`` in one step
  (an interrupted build, Ctrl+C, is not called an error but is not done).

Caches: a build claims the entries it uses; only a build that succeeded
prunes what no recent build uses (cachekeep.py: begun in ``on_config``,
settled in ``on_build_error``, ``on_shutdown``, or, under ``mkdocs serve``,
when the next build begins).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.utils import get_relative_url

from . import (
    a11y, background, buildday, buildlog, cachekeep, contentcheck, csp, frontmatter, gitdates, images, inputcache, offline,
    pagecheck, precompress, publishing, rules, sanitize, templatecache,
)
from .navigation import complete_nav
from .editor.settings import EditorSettingsError
from .editor.site import EditorMissing, editor_files
from .saturday import site as saturday_site
from .workbooks import site as workbook_site
from .errors import ContentErrors
from .handouts import LIST_PAGE, Handouts
from .materials import load_materials
from .photos.site import PhotoSite
from .staging import StagedSite
from .views import make_environment, vi_date

log = get_plugin_logger(__name__)


def public_url(site_url: str | None, url: str, directory_urls: bool) -> str | None:
    """A page's address on the public site, for link previews (og:url).

    The offline copy links ``huong-dan/ai-lam-gi.html``; the site that a
    shared link opens has ``huong-dan/ai-lam-gi/``.
    """
    if not site_url:
        return None
    if not directory_urls and url.endswith(".html") and url != "404.html":
        url = url.removesuffix("index.html") if url.endswith("index.html") else url.removesuffix(".html") + "/"
    return site_url.rstrip("/") + "/" + url


class PluginConfig(Config):
    check_content = config_options.Type(bool, default=True)


class NongThonMoiPlugin(BasePlugin[PluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.site: StagedSite | None = None
        self._page_checks = self._data_checks = None
        self._finished = False

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    def on_config(self, config):
        # Caches used from here on are claimed for this build (cachekeep.py);
        # under mkdocs serve this also settles the previous build.
        cachekeep.begin(f"{self.command} {config.site_url} {'folders' if config.use_directory_urls else 'files'}")
        self._finished = False
        self._view_names = None  # the views of overrides/views/, read again for each build
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir)
        # The engine's own warnings, in Vietnamese with file and line.
        buildlog.install(self.docs_dir, Path(config.config_file_path))
        # Dates MkDocs writes (sitemap, gzip headers) follow the last commit,
        # not the clock, so the same sources give the same bytes.
        head = gitdates.head_timestamp(self.root)
        if head is not None:
            os.environ.setdefault("SOURCE_DATE_EPOCH", str(head))
        # The build day ("today" of the Saturday pages): checked before any work.
        try:
            self.today = buildday.build_day()
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        if publishing.is_publishing():
            line = next((n for n, t in enumerate(Path(config.config_file_path).read_text(encoding="utf-8").splitlines(), 1)
                         if t.startswith("site_url:")), 0)
            problem = publishing.address_problem(config.site_url, line)
            if problem is not None:
                raise PluginError(str(ContentErrors([problem])))
        elif publishing.address_problem(config.site_url) is not None and self.command == "build":
            log.info(
                f"Bản dựng thử: mã QR, lịch, bản tin dẫn tới {config.site_url or '(trống)'}. "
                "Bản để đăng: đặt NTM_PUBLISH=true và SITE_URL=https://<địa chỉ trang web>/."
            )
        shallow = gitdates.shallow_clone_problem(self.root)
        if shallow is not None and self.command != "serve":
            # Publishing wrong dates is worse than not publishing: stop now.
            raise PluginError(str(ContentErrors([shallow])))
        if shallow is not None:
            # The preview (ntm serve, ntm edit) shows it and goes on.
            log.warning(str(shallow))
        if self.command == "build":
            # Thousands of data records stay alive for the whole build: no
            # garbage collection while they are made, then they are set
            # aside (gc.freeze in on_files) so that later collections do
            # not walk them again and again.
            gc.disable()
        # The checks of the pages run on the other core while the data loads
        # and the generated files are added (background.py); their answer is
        # waited for at the end of on_files, before MkDocs reads any page
        # (it would stop on some of their problems, in English).
        if self.config.check_content:
            inputcache.claim(self._checks_cache("pages"), contentcheck.CODE)  # here: the child cannot
        self._page_checks = background.beside(self._check_pages, later=True) if self.config.check_content else None
        try:
            self.materials = load_materials(self.root, self.docs_dir, cache_dir=self.root / ".cache" / "materials")
        except ContentErrors as exc:
            self._checks_done()  # the data's own errors come first, as ntm check says them
            raise PluginError(str(exc)) from None
        # New pages join the menu section of their folder (navigation.py).
        config.nav = complete_nav(config.nav, self.docs_dir)
        if not config.repo_url:
            # No repository configured (intranet copy): no edit links at all.
            config.edit_uri = None
        self.views = make_environment(self.root)
        templatecache.install(self.views, self.root)
        self.history = gitdates.file_history(self.root)
        self.dates = gitdates.as_dates(self.history)
        self.handouts = Handouts(self.root, config, self.materials, self.dates)
        if offline.is_offline_build():
            offline.configure(config)
        if self.command == "build":
            # Build into a sibling folder; see on_build_error and on_shutdown.
            self.site = StagedSite(Path(config.site_dir))
            config.site_dir = str(self.site.begin())
        return config

    def _checks_done(self) -> list:
        """Wait for the checks started so far; their problems, pages first."""
        problems = []
        for checks in self._take_checks():
            problems += checks.result()
        return problems

    def _take_checks(self) -> list:
        checks = [c for c in (self._page_checks, self._data_checks) if c is not None]
        self._page_checks = self._data_checks = None
        return checks

    def _checks_cache(self, kind: str) -> Path:
        return self.root / ".cache" / "checks" / kind

    def _check_pages(self) -> list:
        checks = self._checks_cache("pages")
        return contentcheck.check_tree(self.root, self.docs_dir, checks, data=False) + pagecheck.check_pages(
            self.root, self.docs_dir, self._checks_cache("site")
        )

    def _check_data_text(self) -> list:
        # The text of 7,000 data files: nothing in it stops MkDocs, so it is
        # checked while the pages are converted, and waited for in on_env.
        checks = self._checks_cache("data")
        return contentcheck.check_tree(self.root, self.docs_dir, checks, pages=False)

    def on_files(self, files, *, config):
        # Plan and result workbooks for communes, Monday reports as .xlsx;
        # first, so the Saturday pages can link them.
        today = self.today
        self.workbooks = workbook_site.add_files(
            files, config, self.root, self.materials.saturday, today, buildday.coming_saturday(today)
        )
        # The photos' sizes and formats (photos/site.py): files of the site,
        # made beside the build when the cache lacks them; first, so the
        # Saturday pages can link them.
        try:
            self.photos = PhotoSite(self.root, self.materials.photos, self.materials.saturday.units)
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        if self.photos.missing:
            background.start("anh", self.photos.make_missing)
        self.photos.add_files(files, config, self.command)
        # Saturday programme pages, calendars, feed and CSV reports.
        saturday_site.generate(
            config, files, self.materials.saturday, self.root, self.workbooks, self.history,
            in_memory=self.command == "build", photos=self.photos,
        )
        # Print handouts (PDF): rendered only when their inputs changed.
        files = self.handouts.add_files(files, config)
        # The web editor (quan-tri/): not in the offline copy, which has no git.
        if not offline.is_offline_build():
            try:
                for file in editor_files(config, self.materials, self.root):
                    files.append(file)
            except (EditorMissing, EditorSettingsError) as exc:
                raise PluginError(str(exc)) from None
        # The offline copy, linked from the home page: a placeholder now, the zip
        # itself is made from this build's pages in on_post_build.
        files.append(offline.site_file(config, self.command))
        self.files = files
        if self.config.check_content:
            inputcache.claim(self._checks_cache("data"), contentcheck.CODE)  # here: the child cannot
            self._data_checks = background.beside(self._check_data_text, later=True)
        page_checks, self._page_checks = self._page_checks, None
        problems = page_checks.result() if page_checks is not None else []
        if problems:
            raise PluginError(str(ContentErrors(problems + self._checks_done())))
        if self.command == "build":
            gc.freeze()  # see on_config
            gc.enable()
        background.launch()  # workbooks and PDFs, beside the build until on_env
        return files

    # --- atomic output -------------------------------------------------

    @event_priority(-100)  # after every other plugin (search: the index) has written its files
    def on_post_build(self, *, config) -> None:
        """The photos' variants linked into the site (photos/site.py), then the zip of
        the offline copy, converted from the pages just written (offline.py).

        A build with warnings still gets here in strict mode, and MkDocs
        stops it right after (on_build_error): its copy is never published."""
        photos = getattr(self, "photos", None)
        if photos is not None and self.command == "build":
            photos.link_into(Path(config.site_dir))  # the variants (PhotoSite.add_files)
        try:
            photos = photos.offline_files() if photos is not None else None
            done = offline.write_copy(config, self.files, self.command, self.root, photos)
        except RuntimeError as exc:
            raise PluginError(str(exc)) from None
        if done.get("files"):
            log.info(
                "Bản dùng không cần mạng: %d tệp, nén còn %.1f MB (nén mới %d tệp, %.2f giây).",
                done["files"], done["size"] / 1e6, done["compressed"], done["seconds"],
            )
        if self.command == "build":
            # After the zip, which leaves them out: for servers that send
            # precompressed files (design/hosting.md), not for the preview.
            packed = precompress.precompress(Path(config.site_dir), self.root / precompress.CACHE_DIR)
            if packed["files"]:
                log.info(
                    "Bản nén sẵn cho máy chủ web: %d tệp, %.0f KB còn %.0f KB (gzip), %.0f KB (brotli).",
                    packed["files"], packed["raw"] / 1024, packed["gzip"] / 1024, packed["brotli"] / 1024,
                )
        # The last step: unless the engine now stops it (warnings in strict
        # mode, on_build_error), the build is done.
        self._finished = True
        cachekeep.finished()

    def on_build_error(self, *, error) -> None:
        # Also called for "warnings in strict mode": the previous site stays.
        # Work still running beside the build is of no use any more.
        background.cancel_all()
        for checks in self._take_checks():
            checks.cancel()
        self._finished = False
        if self.site is not None:
            self.site.discard()
            self.site = None
        cachekeep.end(succeeded=False)  # its caches lose nothing

    def on_shutdown(self) -> None:
        # The engine is done: publish if the build got through on_post_build
        # and on_build_error was not called. An interrupted build (Ctrl+C, a
        # BaseException the engine does not call an error) keeps the old site.
        if self.site is not None:
            if self._finished:
                self.site.commit()
            else:
                background.cancel_all()
                self.site.discard()
            self.site = None
        cachekeep.end(succeeded=self._finished)  # prunes the caches only after a build that succeeded

    # --- pages ---------------------------------------------------------

    def _link(self, page, files):
        def link(src_path: str) -> Markup:
            target = files.get_file_from_path(src_path)
            if target is None:
                raise PluginError(f"Liên kết tới trang không có: docs/{src_path}")
            # Markup: an address the view built, not text from data (views.as_text).
            return escape(get_relative_url(target.url, page.url))

        return link

    def on_page_content(self, html, *, page, config, files):
        html = a11y.name_task_checkboxes(html)
        documents = self.materials.documents
        context = {
            "page": page,
            "link": self._link(page, files),
            "materials": self.materials,
            "rules": rules.documentation(),
            "photos": getattr(self, "photos", None),
        }
        doc = documents.by_page().get(page.file.src_uri)
        parts = [html]
        if doc is not None:
            related = [documents.by_id()[r] for r in doc.related]
            meta = self.views.get_template("document_meta.html").render(doc=doc, related=related, **context)
            # The block goes right under the page title, which Material keeps first.
            head, sep, body = html.partition("</h1>")
            parts = [head + sep + meta + body] if sep else [meta, html]
        if doc is not None and doc.full_text:
            parts.append(self.views.get_template("document_signature.html").render(doc=doc, **context))
        view = page.meta.get("view")
        if view:
            parts.append(self.views.get_template(f"{view}.html").render(**context))
        # The one choke point of every page's HTML (sanitize.py): the editor's
        # Markdown and the views' output alike, before the plugin adds its
        # own marks (the "Tải bản in" boxes, filled in on_page_context).
        html = sanitize.clean("\n".join(parts))
        html = self.handouts.decorate(html, page)
        if page.file.src_uri == LIST_PAGE:
            # The workbooks, as a section of their own after the handouts.
            html += "\n" + sanitize.clean(self.views.get_template("workbooks.html").render(
                books=self.workbooks, units=self.materials.saturday.units.units, **context
            ))
        html = images.complete(html, page.url, files)  # every <img> of the page: its size, lazy loading
        # The page's title is text wherever a template prints it (Material's
        # templates do not escape): front matter or first heading, escaped once.
        from_meta = "title" in page.meta
        page.meta["title"] = pagecheck.title_text(page.meta["title"] if from_meta else page.title, from_meta)
        return html

    def on_page_markdown(self, markdown, *, page, config, files):
        # The one choke point of front matter: only the keys and types of
        # frontmatter.PageMeta reach the templates (Material's crash on
        # others, or prints them raw), and every text they print is escaped
        # once here, even with check_content off (the check refuses markup).
        try:
            page.meta = frontmatter.for_templates(page.meta, f"docs/{page.file.src_uri}", self._views())
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        return markdown

    def _views(self) -> set[str]:
        if getattr(self, "_view_names", None) is None:
            self._view_names = frontmatter.views_in(self.root / "overrides" / "views")
        return self._view_names

    def on_page_read_source(self, *, page, config):
        # A generated page's text, from memory (saturday/site.py); None: MkDocs reads the file.
        try:
            return saturday_site.ensure_page(page.file.src_uri)
        except background.BackgroundError as exc:
            raise PluginError(str(exc)) from None

    def on_post_page(self, output, *, page, config):
        # The Content-Security-Policy of the page, with the hashes of the
        # templates' inline scripts (csp.py); the offline copy gets its own
        # (offline.py). The preview too: its server names the live-reload
        # script it adds to each page (preview.py).
        return csp.add_policy(output, offline=offline.is_offline_build())

    def on_post_template(self, output_content, *, template_name, config):
        # 404.html is a theme template, not a page: it gets its policy here.
        if template_name.endswith(".html"):
            return csp.add_policy(output_content, offline=offline.is_offline_build())
        return output_content

    @event_priority(-100)  # after the plugins that add filters to env: they decide the compiled code
    def on_env(self, env, *, config, files):
        # The theme's templates compiled by an earlier build (templatecache.py).
        templatecache.install(env, self.root)
        # Workbooks and PDFs are made beside the build (background.py); MkDocs copies them next.
        try:
            problems = self._checks_done()
            background.wait_all()
        except background.BackgroundError as exc:
            raise PluginError(str(exc)) from None
        if problems:
            raise PluginError(str(ContentErrors(problems)))
        return env

    def on_page_context(self, context, *, page, config, nav):
        # "Tải bản in" boxes, now that the PDFs' pages and sizes are known.
        page.content = self.handouts.finish(page.content, page)
        sources = list(page.meta.get("sources") or [])
        # A generated page's own file is in .cache/ (never in git): its
        # "sources" say what it shows. Resolving 3,000 such paths would cost
        # a noticeable part of a build.
        if page.file.abs_src_path and page.file.generated_by is None:
            src = Path(page.file.abs_src_path).resolve()
            if src.is_relative_to(self.root):
                sources = [src.relative_to(self.root).as_posix(), *sources]
        doc = self.materials.documents.by_page().get(page.file.src_uri)
        if doc is not None or page.meta.get("view") == "document_index":
            sources.append("materials/van-ban.yml")
        updated = gitdates.latest(self.dates, sources)
        if updated:
            page.meta["cap_nhat"] = vi_date(updated)
        context["share_url"] = public_url(config.site_url, page.url, config.use_directory_urls)
        return context

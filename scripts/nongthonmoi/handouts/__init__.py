"""Print handouts (PDF) built with the site, from the same Markdown and YAML.

The plugin calls:

- ``Handouts(root, config, materials, dates)`` in ``on_config`` (cheap);
- ``.add_files(files, config)`` in ``on_files``: adds every PDF to the site as
  ``tai-lieu-in/<slug>.pdf`` and starts rendering those that changed (see
  ``build.py``), beside the build (``background.py``; the plugin waits in
  ``on_env``, before MkDocs copies files);
- ``.decorate(html, page)`` in ``on_page_content``: marks where a page gets
  its "Tải bản in" box, the list on the "Tài liệu in" page, or the note of a
  plan page without a printed sheet;
- ``.finish(html, page)`` in ``on_page_context``: puts the box there, with
  pages and sizes (before the search plugin reads the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import get_relative_url

from ..errors import ContentErrors
from .build import Built, HandoutBuilder, Settings
from .source import page_url

LIST_PAGE = "tai-lieu-in.md"

__all__ = ["Handouts", "HandoutBuilder", "Settings", "Built", "LIST_PAGE", "ListedHandout"]


log = get_plugin_logger("nongthonmoi.handouts")


@dataclass(frozen=True)
class ListedHandout:
    """One line of the "Tài liệu in" list: a handout and its papers (A4, A5)."""

    title: str
    edition: date
    home: Built  # the PDF whose web page "Đọc trên web" opens
    papers: list[Built]


# Where a page's "Tải bản in" box (or the list, or the note of a plan page
# without a printed sheet) goes. decorate() leaves it in the page's HTML when
# MkDocs converts the page; finish() puts the box in its place just before
# the page is written, when the PDFs (made beside the build) are known.
MARK = "<!--ntm-tai-lieu-in-->"


class Handouts:
    def __init__(self, root: Path, config, materials, dates: dict | None = None):
        try:
            self.builder = HandoutBuilder(
                root, Path(config.docs_dir), Settings.from_config(config), materials, dates=dates
            )
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        self.built: list[Built] | None = None
        self.files = None
        self._by_page: dict[str, list[str]] = {}
        for handout in self.builder.handouts:
            for src in handout.pages:
                self._by_page.setdefault(src, []).append(handout.slug)
        # Plan pages: those outside the window of printed sheets say how to print them.
        saturday = getattr(materials, "saturday", None)
        self.plan_pages = set()
        if saturday is not None:
            from ..saturday.site import plan_page

            self.plan_pages = {plan_page(unit, day) for unit, day in saturday.plans}

    def add_files(self, files, config):
        """Add every PDF to the site; those not in the cache are rendered beside
        the build (background.py), in time for MkDocs to copy them."""
        from .. import background

        try:
            self.builder.prepare()
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        if self.builder.misses:
            background.start("tai-lieu-in", self.builder.render_missing)
        for handout, path in self.builder.outputs():
            files.append(File.generated(config, handout.file, abs_src_path=str(path)))
        self.files = files
        return files

    def _built(self) -> list[Built]:
        if self.built is None:
            try:
                self.built = self.builder.finish()
            except ContentErrors as exc:
                raise PluginError(str(exc)) from None
            # No seconds: the rendering may have run beside the build (background.py).
            stats = self.builder.stats
            log.info("Tài liệu in: %d tệp, dựng lại %d, dùng lại %d.",
                     stats["handouts"], len(stats["rendered"]), len(stats["reused"]))
        return self.built

    def for_page(self, src_uri: str) -> list[Built]:
        slugs = self._by_page.get(src_uri, [])
        return [b for b in self._built() if b.handout.slug in slugs] if slugs else []

    def groups(self) -> list[tuple[str, list[Built]]]:
        """Handouts by group, groups in catalog order (leaflets first)."""
        groups: dict[str, list[Built]] = {}
        for built in self._built():
            groups.setdefault(built.handout.group, []).append(built)
        return list(groups.items())

    def listing(self) -> list[tuple[str, list[ListedHandout]]]:
        """The groups of :meth:`groups`, with the papers of one handout on one line."""
        out = []
        for group, items in self.groups():
            lines: dict[tuple[str, str], list[Built]] = {}
            for built in items:
                lines.setdefault((built.handout.title, built.handout.home), []).append(built)
            rows = [
                ListedHandout(title, max(b.edition for b in papers), papers[0], papers)
                for (title, _), papers in lines.items()
            ]
            out.append((group, rows))
        return out

    def decorate(self, html: str, page) -> str:
        """Mark where the page's box goes (see :data:`MARK`)."""
        src = page.file.src_uri
        if src != LIST_PAGE and src in self._by_page:
            head, sep, body = html.partition("</h1>")
            return head + sep + MARK + body if sep else MARK + html
        if src == LIST_PAGE or src in self.plan_pages:
            # The list; or a plan with no printed sheet, where how to print it
            # comes after the plan, which is what the reader opened the page for.
            return html + "\n" + MARK
        return html

    def finish(self, html: str, page) -> str:
        """The page's box in place of its mark, with the PDFs' pages and sizes."""
        if MARK not in html:
            return html
        return html.replace(MARK, self._box(page), 1)

    def _box(self, page) -> str:
        env = self.builder.env
        src = page.file.src_uri

        def link(built: Built) -> str:
            return get_relative_url(built.handout.file, page.url)

        def page_link(src_uri: str) -> str:
            # The page's own URL: folder URLs on the site, .html files in a
            # build with use_directory_urls: false.
            target = self.files.get_file_from_path(src_uri) if self.files else None
            url = target.url if target is not None else page_url(src_uri)
            return get_relative_url(url or ".", page.url)

        # Plain str: adding Markup to the page HTML would escape the page.
        if src == LIST_PAGE:
            return str(
                env.get_template("web/listing.html").render(
                    groups=self.listing(), link=link, page_link=lambda built: page_link(built.handout.home)
                )
            )
        mine = self.for_page(src)
        if mine:
            return str(env.get_template("web/links.html").render(built=mine, link=link))
        # No printed sheet for this Saturday (sheets.sheet_saturdays): the page itself prints.
        from .sheets import PAST_SATURDAYS

        return str(env.get_template("web/no-sheet.html").render(past=PAST_SATURDAYS, listing=page_link(LIST_PAGE)))

"""Print handouts (PDF) built with the site, from the same Markdown and YAML.

The plugin calls three things:

- ``Handouts(root, config, materials, dates)`` in ``on_config`` (cheap);
- ``.add_files(files, config)`` in ``on_files``: renders what changed (see
  ``build.py``), adds every PDF to the site as ``tai-lieu-in/<slug>.pdf``;
- ``.decorate(html, page)`` in ``on_page_content``: a "Tải bản in" link on
  each page a handout is made from, and the list on the "Tài liệu in" page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..errors import ContentErrors
from .build import Built, HandoutBuilder, Settings
from .source import page_url

LIST_PAGE = "tai-lieu-in.md"

__all__ = ["Handouts", "HandoutBuilder", "Settings", "Built", "LIST_PAGE", "ListedHandout"]


@dataclass(frozen=True)
class ListedHandout:
    """One line of the "Tài liệu in" list: a handout and its papers (A4, A5)."""

    title: str
    edition: date
    home: Built  # the PDF whose web page "Đọc trên web" opens
    papers: list[Built]


class Handouts:
    def __init__(self, root: Path, config, materials, dates: dict | None = None):
        try:
            self.builder = HandoutBuilder(
                root, Path(config.docs_dir), Settings.from_config(config), materials, dates=dates
            )
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        self.built: list[Built] = []
        self.files = None
        # Plan pages: those outside the window of printed sheets say how to print them.
        saturday = getattr(materials, "saturday", None)
        self.plan_pages = set()
        if saturday is not None:
            from ..saturday.site import plan_page

            self.plan_pages = {plan_page(unit, day) for unit, day in saturday.plans}

    def add_files(self, files, config):
        try:
            self.built = self.builder.build()
        except ContentErrors as exc:
            raise PluginError(str(exc)) from None
        for built in self.built:
            files.append(File.generated(config, built.handout.file, abs_src_path=str(built.path)))
        self.files = files
        return files

    def for_page(self, src_uri: str) -> list[Built]:
        return [b for b in self.built if src_uri in b.handout.pages]

    def groups(self) -> list[tuple[str, list[Built]]]:
        """Handouts by group, groups in catalog order (leaflets first)."""
        groups: dict[str, list[Built]] = {}
        for built in self.built:
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

        if src == LIST_PAGE:
            listing = env.get_template("web/listing.html").render(
                groups=self.listing(), link=link, page_link=lambda built: page_link(built.handout.home)
            )
            return html + "\n" + listing
        mine = self.for_page(src)
        if mine:
            # A plain str: adding Markup to the page HTML would escape the page.
            links = str(env.get_template("web/links.html").render(built=mine, link=link))
        elif src in self.plan_pages:
            # No printed sheet for this Saturday (sheets.sheet_saturdays): the page itself prints.
            from .sheets import PAST_SATURDAYS

            links = str(env.get_template("web/no-sheet.html").render(past=PAST_SATURDAYS, listing=page_link(LIST_PAGE)))
        else:
            return html
        head, sep, body = html.partition("</h1>")
        return head + sep + links + body if sep else links + html

"""The list of handouts: what each is cut from, its paper and its template.

Every handout is built from pages of ``docs/`` and data of ``materials/``;
nothing here holds reader-facing text except the handout titles. Section
names refer to ``##`` headings of the pages: if an editor renames one, the
build stops and names the section to fix here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .source import Part

PAPERS = ("A4", "A5")


@dataclass(frozen=True)
class Handout:
    slug: str  # file name in tai-lieu-in/ (without .pdf)
    title: str  # printed at the top and shown in the list
    kind: str  # what it is, shown in the list ("Tờ rơi", "Phiếu đánh dấu"...)
    paper: str  # "A4" or "A5"
    template: str  # file in overrides/print/
    home: str  # the page (docs/...) the QR code leads to
    parts: tuple[Part, ...] = ()
    document: str | None = None  # id in materials/van-ban.yml of the source document
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # models for data sheets
    sources: tuple[str, ...] = ()  # other input files (for the edition date)
    fields: tuple[str, ...] = ()  # blanks to fill in by hand at the top (checklists)
    group: str = "Tài liệu phát tay"  # heading in the "Tài liệu in" list
    # A packet: no template of its own, the pages of these handouts (slugs)
    # one after the other in one PDF (all communes' plan sheets of a Saturday).
    members: tuple[str, ...] = ()

    def __post_init__(self):
        if self.paper not in PAPERS:
            raise ValueError(f"paper must be one of {PAPERS}: {self.paper}")

    @property
    def file(self) -> str:
        return f"tai-lieu-in/{self.slug}.pdf"

    @property
    def pages(self) -> tuple[str, ...]:
        """Pages of docs/ this handout is made from, its home page first."""
        seen = [self.home]
        for part in self.parts:
            if part.page not in seen:
                seen.append(part.page)
        return tuple(seen)


# The leaflet: a page of its own, written for a hamlet meeting in plain words
# (what a household does first, then the hamlet, the commune, the week). The
# page cites the notice after each point, as every guide page does; the print
# leaves those citations out and names the source once, in the masthead.
_LEAFLET_PAGE = "huong-dan/ba-con-can-biet.md"
_LEAFLET_PARTS = (Part(_LEAFLET_PAGE, title=False, intro=False, citations=False),)
_LEAFLET_TITLE = "Ngày thứ Bảy vì nông thôn mới, đô thị văn minh"


def static_handouts() -> list[Handout]:
    leaflet = Handout(
        slug="ngay-thu-bay-a4",
        title=_LEAFLET_TITLE,
        kind="Tờ rơi (2 mặt)",
        paper="A4",
        template="leaflet.html",
        home=_LEAFLET_PAGE,
        parts=_LEAFLET_PARTS,
        document="422-tb-hu",
    )
    household = Handout(
        slug="ho-gia-dinh",
        title="Khang trang, xanh, sạch, đẹp: việc của hộ gia đình",
        kind="Phiếu đánh dấu",
        paper="A4",
        template="checklist.html",
        home="khang-trang-xanh-sach-dep/ho-gia-dinh.md",
        # The sheet is read on paper: the web page's line about itself stays on the web.
        parts=(Part("khang-trang-xanh-sach-dep/ho-gia-dinh.md", title=False,
                    drop_lines=("Xem thêm:", "Trang này hướng dẫn")),),
        document="422-tb-hu",
        fields=("Hộ gia đình", "Thôn, tổ dân phố"),
    )
    return [
        leaflet,
        # The same text on A5, for communes that print on A4 folded in two.
        replace(leaflet, slug="ngay-thu-bay-a5", kind="Tờ rơi", paper="A5"),
        household,
        replace(household, slug="ho-gia-dinh-a5", paper="A5"),
        Handout(
            slug="co-quan-truong-hoc",
            title="Khang trang, xanh, sạch, đẹp: việc của cơ quan, đơn vị, trường học",
            kind="Phiếu đánh dấu",
            paper="A4",
            template="checklist.html",
            home="khang-trang-xanh-sach-dep/co-quan-truong-hoc.md",
            parts=(Part("khang-trang-xanh-sach-dep/co-quan-truong-hoc.md", title=False,
                        drop_lines=("Xem thêm:", "Cơ quan, đơn vị, trường học cùng tham gia")),),
            document="422-tb-hu",
            fields=("Cơ quan, đơn vị, trường học", "Ngày"),
        ),
        Handout(
            slug="thong-bao-422-tb-hu",
            title="Thông báo số 422-TB/HU",
            kind="Văn bản (toàn văn)",
            paper="A4",
            template="official.html",
            home="van-ban/422-tb-hu.md",
            parts=(Part("van-ban/422-tb-hu.md", title=False),),
            document="422-tb-hu",
            sources=("materials/van-ban.yml",),
        ),
    ]


def all_handouts(materials, coming=None) -> list[Handout]:
    """Every handout of the build: the fixed ones, then those made from data.

    ``coming``: the coming Saturday, which decides the plan sheets made
    (``sheets.sheet_saturdays``); by default the build day's (buildday.py).
    """
    handouts = static_handouts()
    from .sheets import data_handouts  # weekly plan sheets and the result form (issue 4 data)

    handouts += data_handouts(materials, coming)
    from .bulletin import bulletin_handouts  # the photo bulletins of the latest Saturdays with photos

    handouts += bulletin_handouts(materials)
    return handouts

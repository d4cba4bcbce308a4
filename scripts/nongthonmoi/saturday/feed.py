"""Atom feed (RFC 4287) of the newest Saturday plans.

Ids are tag URIs (RFC 4151) made of the commune and the Saturday, never of
the site's address: a feed reader tells entries apart by id, so ids built
from ``SITE_URL`` would make every entry new again the day the site moves.
``<updated>`` is the last commit of the plan's file (the same revision as the
calendar's DTSTAMP), ``<published>`` the day the plan was drawn up
(``ngay_lap``); both come from the sources, so the same sources give the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

from ..models.plans import SaturdayPlan
from ..models.units import UnitRegistry
from .ics import drafted_revision

LIMIT = 50
TITLE = "Kế hoạch ngày thứ Bảy - Nông thôn mới Di Linh"
VIETNAM = timezone(timedelta(hours=7))
# Minted once, never derived from the site's address: changing the authority
# or the date would make every entry new in every feed reader. The authority
# is the name the calendars' UIDs already use.
TAG = "tag:nongthonmoi-dilinh,2023:ke-hoach"


def entry_id(plan: SaturdayPlan) -> str:
    return f"{TAG}/{plan.unit}/{plan.date.isoformat()}"


def _day(day) -> str:
    return f"{day.isoformat()}T00:00:00+07:00"


def _moment(unix: int) -> str:
    return datetime.fromtimestamp(unix, tz=VIETNAM).isoformat()


@dataclass(frozen=True)
class Picture:
    """The image of an entry: a photo of the commune's Saturday (an "after" one first)."""

    url: str
    mime: str
    description: str


def plans_feed(
    plans: list[SaturdayPlan], units: UnitRegistry, site_url: str, page_url, feed_url: str, revision=drafted_revision,
    picture=lambda plan: None,
) -> bytes:
    """``page_url(plan)`` gives the absolute address of each plan's page;
    ``picture(plan)`` its :class:`Picture` or None."""
    newest = sorted(plans, key=lambda p: (p.drafted, p.date, p.unit), reverse=True)[:LIMIT]
    names = units.by_id()
    modified = {(p.unit, p.date): revision(p).modified for p in newest}
    updated = _moment(max(modified.values())) if newest else "2023-02-25T00:00:00+07:00"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"<title>{escape(TITLE)}</title>",
        "<subtitle>Kế hoạch mới của các xã, thị trấn cho Chương trình “Ngày thứ Bảy vì nông thôn mới, đô thị văn minh”.</subtitle>",
        f"<id>{TAG}</id>",
        f"<link rel=\"self\" href={quoteattr(feed_url)}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url)}/>",
        f"<updated>{updated}</updated>",
        "<author><name>Ban Tuyên giáo Huyện ủy Di Linh</name></author>",
    ]
    for plan in newest:
        url = page_url(plan)
        title = f"{names[plan.unit].full_name}: kế hoạch ngày {plan.date:%d/%m/%Y}"
        if plan.is_example:
            title += " (dữ liệu ví dụ)"
        summary = plan.content + ". Phần việc: " + "; ".join(f"{t.description} ({t.quantity})" for t in plan.tasks)
        out += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f"<id>{escape(entry_id(plan))}</id>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            *_enclosure(picture(plan)),
            f"<published>{_day(plan.drafted)}</published>",
            f"<updated>{_moment(modified[(plan.unit, plan.date)])}</updated>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _enclosure(found: Picture | None) -> list[str]:
    """RFC 4287 4.2.7.2: an image related to the entry; readers show it beside the title."""
    if found is None:
        return []
    return [
        f"<link rel=\"enclosure\" type={quoteattr(found.mime)} href={quoteattr(found.url)} title={quoteattr(found.description)}/>"
    ]

"""Atom feed (RFC 4287) of the newest Saturday plans.

Entry dates are the day each plan was drawn up (``ngay_lap``), so the same
sources give the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..models.plans import SaturdayPlan
from ..models.units import UnitRegistry

LIMIT = 50


def _stamp(day) -> str:
    return f"{day.isoformat()}T00:00:00+07:00"


def plans_feed(plans: list[SaturdayPlan], units: UnitRegistry, site_url: str, page_url, feed_url: str) -> bytes:
    """``page_url(plan)`` gives the absolute address of each plan's page."""
    newest = sorted(plans, key=lambda p: (p.drafted, p.date, p.unit), reverse=True)[:LIMIT]
    names = units.by_id()
    updated = _stamp(newest[0].drafted) if newest else "2023-02-25T00:00:00+07:00"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        "<title>Kế hoạch ngày thứ Bảy - Nông thôn mới Di Linh</title>",
        "<subtitle>Kế hoạch mới của các xã, thị trấn cho Chương trình “Ngày thứ Bảy vì nông thôn mới, đô thị văn minh”.</subtitle>",
        f"<id>{escape(feed_url)}</id>",
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
            f"<id>{escape(url)}</id>",
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"<updated>{_stamp(plan.drafted)}</updated>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")

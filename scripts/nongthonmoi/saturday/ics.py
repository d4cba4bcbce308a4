"""iCalendar (RFC 5545) files: one calendar of Saturdays per commune.

Deterministic: UIDs come from the commune and the date; DTSTAMP,
LAST-MODIFIED and SEQUENCE from the git history of the plan's file, never
from the clock (see :class:`Revision`). Times are written in UTC (Di Linh is
UTC+7 all year, Asia/Ho_Chi_Minh has no daylight saving), so no VTIMEZONE is
needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from ..models.plans import SaturdayPlan
from ..models.units import Unit

VIETNAM = timezone(timedelta(hours=7))
PRODID = "-//Ban Tuyen giao Huyen uy Di Linh//Nong thon moi//VI"


# RFC 5545 (3.3.11) forbids control characters in TEXT; a bare CR would end
# the line for a lenient reader and start a property the data never had.
# The data refuses them (Y011); this is the second line of defence.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545, 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # inside a character: break before it
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # a continuation line starts with one space
    return "\r\n ".join(parts)


@dataclass(frozen=True)
class Revision:
    """Which version of a plan an event shows.

    ``modified`` (Unix time) is the last commit that changed the plan's file:
    without a METHOD property RFC 5545 makes DTSTAMP the time the event was
    last revised, and LAST-MODIFIED says the same. ``sequence`` is the number
    of commits that changed the file, less one (0 for the first version): it
    grows with every saved change and with nothing else, the same on every
    machine with the full history, and a calendar app that already holds the
    UID replaces its copy only when SEQUENCE (or DTSTAMP) is higher.
    """

    modified: int
    sequence: int


def _utc(day, clock) -> str:
    moment = datetime.combine(day, clock, tzinfo=VIETNAM).astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _stamp(moment: int) -> str:
    return datetime.fromtimestamp(moment, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def drafted_revision(plan: SaturdayPlan) -> Revision:
    """For a plan not committed yet: the day it was drawn up, first version."""
    drafted = datetime.combine(plan.drafted, datetime.min.time(), tzinfo=VIETNAM)
    return Revision(int(drafted.timestamp()), 0)


def unit_calendar(
    unit: Unit,
    plans: list[SaturdayPlan],
    page_url,
    domain: str,
    revision: Callable[[SaturdayPlan], Revision] = drafted_revision,
) -> bytes:
    """``page_url(plan)`` gives the absolute address of the plan's page (or None)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text('Ngày thứ Bảy - ' + unit.full_name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for plan in plans:
        summary = f"Ngày thứ Bảy vì nông thôn mới: {plan.content}"
        if plan.is_example:
            summary = "[Dữ liệu ví dụ] " + summary
        tasks = "\n".join(f"- {t.description}: {t.quantity}" for t in plan.tasks)
        description = f"{plan.content}\nPhần việc:\n{tasks}\nChỉ đạo: {plan.direction}\nTổ chức: {plan.organiser}"
        hamlets = [unit.hamlet(h).name for t in plan.tasks for h in t.hamlets]
        location = ", ".join(dict.fromkeys(hamlets)) + f", {unit.full_name}, huyện Di Linh, Lâm Đồng"
        version = revision(plan)
        event = [
            "BEGIN:VEVENT",
            f"UID:{unit.id}-{plan.date:%Y%m%d}@{domain}",
            f"DTSTAMP:{_stamp(version.modified)}",
            f"LAST-MODIFIED:{_stamp(version.modified)}",
            f"SEQUENCE:{version.sequence}",
            f"DTSTART:{_utc(plan.date, plan.hours.start)}",
            f"DTEND:{_utc(plan.date, plan.hours.end)}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            f"LOCATION:{escape_text(location)}",
        ]
        if page_url:
            event.append(f"URL:{page_url(plan)}")
        event.append("END:VEVENT")
        lines += event
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")

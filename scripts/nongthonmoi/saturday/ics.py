"""iCalendar (RFC 5545) files: one calendar of Saturdays per commune.

Deterministic: UIDs come from the commune and the date, DTSTAMP from the
day the plan was drawn up (a field of the data), never from the clock.
Times are written in UTC (Di Linh is UTC+7 all year), so no VTIMEZONE is needed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..models.plans import SaturdayPlan
from ..models.units import Unit

VIETNAM = timezone(timedelta(hours=7))
PRODID = "-//Ban Tuyen giao Huyen uy Di Linh//Nong thon moi//VI"


def escape_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545, 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(day, clock) -> str:
    moment = datetime.combine(day, clock, tzinfo=VIETNAM).astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def unit_calendar(unit: Unit, plans: list[SaturdayPlan], page_url: str | None, domain: str) -> bytes:
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
        event = [
            "BEGIN:VEVENT",
            f"UID:{unit.id}-{plan.date:%Y%m%d}@{domain}",
            f"DTSTAMP:{_utc(plan.drafted, datetime.min.time())}",
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

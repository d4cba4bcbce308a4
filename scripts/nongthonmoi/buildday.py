"""The build day: the one "today" every part of the build reads.

"Today" for the pages that name a week (the Saturday pages, "Thứ Bảy này",
the plan sheets of "Tài liệu in", the plan workbooks) is the day the site is
built, in Vietnam (UTC+7 all year), so the scheduled weekly rebuild moves the
week even when nobody committed. It is kept apart from ``SOURCE_DATE_EPOCH``,
which stamps files (zip entries, gzip headers, sitemap, workbook properties)
and follows the last commit.

``NTM_TODAY=YYYY-MM-DD`` pins the day: tests, and a rebuild that must give the
same bytes as an earlier one. The same sources built on the same day give the
same bytes; a build on another day differs only where a page names the week.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

from . import rules
from .errors import ContentError, ContentErrors

ENV = "NTM_TODAY"
VIETNAM = timezone(timedelta(hours=7))
SATURDAY = 5  # date.weekday()
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_problem(value: str) -> ContentError | None:
    """None when ``value`` is a valid NTM_TODAY (a real day, YYYY-MM-DD)."""
    text = value.strip()
    if _ISO_DAY.fullmatch(text):
        try:
            date.fromisoformat(text)
            return None
        except ValueError:
            pass
    return rules.error("B007", ENV, 0, value=value)


def build_day(env: dict | None = None, now: datetime | None = None) -> date:
    """The build's "today": ``NTM_TODAY`` if set, else the clock's day in Vietnam.

    A malformed ``NTM_TODAY`` stops the build (rule B007) rather than
    silently falling back to the clock: whoever set it wanted a fixed day.
    """
    env = os.environ if env is None else env
    pinned = (env.get(ENV) or "").strip()
    if pinned:
        problem = day_problem(pinned)
        if problem is not None:
            raise ContentErrors([problem])
        return date.fromisoformat(pinned)
    moment = now if now is not None else datetime.now(timezone.utc)
    return moment.astimezone(VIETNAM).date()


def coming_saturday(today: date) -> date:
    """The Saturday of ``today``'s week: today itself on a Saturday."""
    return today + timedelta(days=(SATURDAY - today.weekday()) % 7)


def latest_saturday(today: date) -> date:
    """The last Saturday that has come: today itself on a Saturday."""
    return today - timedelta(days=(today.weekday() - SATURDAY) % 7)


def saturdays_ahead(today: date, count: int = 2) -> list[date]:
    """The coming Saturday and the ones after it: a page built on Friday night
    carries next week's too, and the browser shows the one of its own day."""
    first = coming_saturday(today)
    return [first + timedelta(days=7 * i) for i in range(count)]

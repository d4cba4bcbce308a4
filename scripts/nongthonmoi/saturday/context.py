"""What each Saturday view shows, computed in Python so templates only present."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models.plans import SaturdayPlan, Task, report_deadline, staff_list_deadline
from ..models.results import SaturdayResult, StaffList
from ..models.units import Unit
from . import charts, site
from .data import SaturdayData


@dataclass(frozen=True)
class TaskRow:
    task: Task
    hamlets: list[str]
    agencies: list[str]
    done: float | None
    done_note: str | None

    @property
    def progress(self) -> float | None:
        if self.done is None or not self.task.quantity.amount:
            return None
        return self.done / self.task.quantity.amount


@dataclass(frozen=True)
class StaffRow:
    staff: StaffList
    agency: str
    on_time: bool
    deadline: date
    people: int
    units: list[str]


def _staff_rows(data: SaturdayData, lists: list[StaffList], unit_id: str | None = None) -> list[StaffRow]:
    names = data.agencies.by_id()
    unit_names = data.units.by_id()
    rows = []
    for staff in sorted(lists, key=lambda s: (s.sent, s.agency)):
        allocations = [a for a in staff.allocations if unit_id is None or a.unit == unit_id]
        if not allocations:
            continue
        deadline = staff_list_deadline(staff.saturday)
        people = sum(len(a.members) for a in allocations)
        units = [unit_names[a.unit].full_name for a in allocations]
        rows.append(StaffRow(staff, names[staff.agency].name, staff.sent <= deadline, deadline, people, units))
    return rows


def _rate(results: list[SaturdayResult]) -> float | None:
    total = sum(r.households_total for r in results)
    return sum(r.households_joined for r in results) / total if total else None


def _example(*items) -> bool:
    return any(getattr(i, "is_example", False) for i in items if i is not None)


def units_index(data: SaturdayData) -> dict:
    rows = []
    for unit in data.units.units:
        plans = data.plans_of(unit.id)
        rows.append(
            {
                "unit": unit,
                "plans": len(plans),
                "last": plans[-1] if plans else None,
                "agencies": [a.name for a in data.agencies.supporting(unit.id)],
            }
        )
    return {
        "rows": rows,
        "hamlets_example": any(u.hamlets_are_example for u in data.units.units),
        "assignment_example": data.agencies.assignment_is_example,
        "example": any(p.is_example for p in data.plans.values()),
        "site": site,
    }


def unit_detail(data: SaturdayData, unit: Unit) -> dict:
    plans = data.plans_of(unit.id)
    rows = [(p, data.results.get((unit.id, p.date))) for p in plans]
    reported = [(p.date, r.households_joined, r.households_total) for p, r in rows if r is not None]
    monthly = len(reported) > charts.MAX_POINTS
    points = charts.by_month(reported) if monthly else [(d, j / t) for d, j, t in reported]
    chart = charts.participation_line(
        f"xa-{unit.id}",
        points,
        f"Tỷ lệ hộ tham gia ngày thứ Bảy, {unit.full_name}",
        f"Tỷ lệ hộ dân tham gia{' theo tháng' if monthly else ''}, qua {len(reported)} ngày thứ Bảy có báo cáo"
        + (f", từ {reported[0][0]:%d/%m/%Y} đến {reported[-1][0]:%d/%m/%Y}." if reported else "."),
        monthly=monthly,
    )
    return {
        "unit": unit,
        "rows": list(reversed(rows)),  # newest first: what officials look for
        "agencies": data.agencies.supporting(unit.id),
        "assignment_example": data.agencies.assignment_is_example,
        "example": _example(*(p for p, _ in rows), *(r for _, r in rows)),
        "chart": chart if points else None,
        "points": points,
        "site": site,
    }


def _photos_of(photos, unit_id: str, saturday: date) -> dict:
    """What the commune's Saturday page shows of its photos (photos/site.py PhotoSite, or None)."""
    from ..photos.site import SIZES, gallery_page

    shown = photos.of(unit_id, saturday) if photos is not None else []
    return {
        "photos": shown,
        "photos_example": any(p.is_example for p in shown),
        "sizes": SIZES,
        "gallery": gallery_page(saturday) if photos is not None and saturday in photos.saturdays else None,
    }


def plan_detail(data: SaturdayData, unit: Unit, plan: SaturdayPlan, photos=None) -> dict:
    result = data.results.get((unit.id, plan.date))
    names = data.agencies.by_id()
    tasks = []
    for task in plan.tasks:
        done = result.done(task.id) if result else None
        tasks.append(
            TaskRow(
                task,
                [unit.hamlet(h).name for h in task.hamlets],
                [names[a].name for a in task.supporting_agencies],
                done.amount if done else None,
                done.notes if done else None,
            )
        )
    plans = data.plans_of(unit.id)
    # By date: list.index would compare whole plans (pydantic __eq__), 2964 x 78 times in three years.
    index = [p.date for p in plans].index(plan.date)
    staff = _staff_rows(data, data.staff_lists_on(plan.date), unit.id)
    return {
        "unit": unit,
        "plan": plan,
        "result": result,
        "tasks": tasks,
        "agency_turnout": [(names[a.agency].name, a.people) for a in result.agencies] if result else [],
        "staff": staff,
        "previous": plans[index - 1] if index > 0 else None,
        "next": plans[index + 1] if index + 1 < len(plans) else None,
        "example": _example(plan, result, *(s.staff for s in staff)),
        "wednesday": staff_list_deadline(plan.date),
        "monday": report_deadline(plan.date),
        "site": site,
        **_photos_of(photos, unit.id, plan.date),
    }


def _side_by_side(data: SaturdayData, saturday: date) -> list[dict]:
    rows = []
    for unit in data.units.units:
        plan = data.plans.get((unit.id, saturday))
        result = data.results.get((unit.id, saturday))
        rows.append({"unit": unit, "plan": plan, "result": result})
    return rows


def saturday_detail(data: SaturdayData, saturday: date, photos=None) -> dict:
    from ..photos.site import gallery_page

    rows = _side_by_side(data, saturday)
    results = [r["result"] for r in rows if r["result"]]
    staff = _staff_rows(data, data.staff_lists_on(saturday))
    saturdays = data.saturdays
    index = saturdays.index(saturday)
    return {
        "saturday": saturday,
        "rows": rows,
        "planned": sum(1 for r in rows if r["plan"]),
        "reported": len(results),
        "rate": _rate(results),
        "staff": staff,
        "wednesday": staff_list_deadline(saturday),
        "monday": report_deadline(saturday),
        "previous": saturdays[index - 1] if index > 0 else None,
        "next": saturdays[index + 1] if index + 1 < len(saturdays) else None,
        "example": _example(*(r["plan"] for r in rows), *results, *(s.staff for s in staff)),
        "site": site,
        "gallery": gallery_page(saturday) if photos is not None and saturday in photos.saturdays else None,
        "photo_count": len(photos.on(saturday)) if photos is not None else 0,
    }


def saturdays_index(data: SaturdayData) -> dict:
    rows = []
    for saturday in reversed(data.saturdays):
        results = [r for (u, d), r in data.results.items() if d == saturday]
        rows.append(
            {
                "saturday": saturday,
                "planned": len(data.plans_on(saturday)),
                "reported": len(results),
                "rate": _rate(results),
            }
        )
    return {
        "rows": rows,
        "units": data.units.units,
        "example": any(p.is_example for p in data.plans.values()),
        "site": site,
    }


# How many later Saturdays with plans the "Thứ Bảy này" page carries, for
# readers who open it in a later week than the one it was built in.
WEEKS_AHEAD = 8


def weeks_ahead(data: SaturdayData, coming: date) -> list[date]:
    return [d for d in data.saturdays if d > coming][:WEEKS_AHEAD]


def this_saturday(data: SaturdayData, coming: date, today: date) -> dict:
    rows = _side_by_side(data, coming) if data.plans_on(coming) else []
    latest = latest_past(data, coming)
    ahead = []
    for saturday in weeks_ahead(data, coming):
        later = _side_by_side(data, saturday)
        ahead.append({
            "saturday": saturday,
            "rows": later,
            "example": _example(*(r["plan"] for r in later)),
        })
    # With no plan for the coming Saturday, the reader first needs the next
    # Saturday that has one; the latest past week comes after, marked as past.
    upcoming = ahead[0] if ahead and not rows else None
    return {
        "coming": coming,
        "today": today,
        "rows": rows,
        "ahead": ahead,
        "wednesday": staff_list_deadline(coming),
        "monday": report_deadline(coming),
        "upcoming": upcoming["saturday"] if upcoming else None,
        "upcoming_planned": len(data.plans_on(upcoming["saturday"])) if upcoming else 0,
        "upcoming_example": bool(upcoming) and upcoming["example"],
        "latest": latest,
        "known": data.saturdays,
        "example": _example(*(r["plan"] for r in rows)),
        "latest_example": latest is not None and _example(*data.plans_on(latest)),
        "site": site,
    }


def latest_past(data: SaturdayData, coming: date) -> date | None:
    """The last Saturday before ``coming`` that has plans ("Thứ Bảy này" names it as past)."""
    past = [d for d in data.saturdays if d < coming]
    return past[-1] if past else None


def results_overview(data: SaturdayData) -> dict:
    by_unit = []
    for unit in data.units.units:
        results = [r for (u, _), r in sorted(data.results.items()) if u == unit.id]
        by_unit.append({"unit": unit, "reports": len(results), "rate": _rate(results),
                        "joined": sum(r.households_joined for r in results),
                        "total": sum(r.households_total for r in results)})
    by_date: dict[date, list[SaturdayResult]] = {}
    for (_, day), result in sorted(data.results.items()):
        by_date.setdefault(day, []).append(result)
    reported = [
        (day, sum(r.households_joined for r in rs), sum(r.households_total for r in rs)) for day, rs in sorted(by_date.items())
    ]
    monthly = len(reported) > charts.MAX_POINTS
    if monthly:
        counts: dict[date, int] = {}
        for day in by_date:
            counts[day.replace(day=1)] = counts.get(day.replace(day=1), 0) + 1
        over_time = [{"saturday": m, "reports": counts[m], "rate": v} for m, v in charts.by_month(reported)]
    else:
        over_time = [{"saturday": d, "reports": len(by_date[d]), "rate": j / t} for d, j, t in reported]
    bars = charts.participation_bars(
        "ket-qua-xa",
        [(row["unit"].full_name, row["rate"]) for row in by_unit],
        "Tỷ lệ hộ tham gia theo xã, thị trấn",
        "Tỷ lệ hộ dân tham gia, cộng dồn các ngày thứ Bảy có báo cáo, của từng xã, thị trấn. "
        "Xã chưa có báo cáo ghi «chưa có số liệu».",
    )
    line = charts.participation_line(
        "ket-qua-thoi-gian",
        [(row["saturday"], row["rate"]) for row in over_time],
        "Tỷ lệ hộ tham gia toàn huyện theo " + ("tháng" if monthly else "từng ngày thứ Bảy"),
        f"Tỷ lệ hộ dân tham gia của các xã có báo cáo, qua {len(reported)} ngày thứ Bảy"
        + (f", gộp theo {len(over_time)} tháng." if monthly else "."),
        monthly=monthly,
    )
    return {
        "by_unit": by_unit,
        "over_time": list(reversed(over_time)),
        "monthly": monthly,
        "bars": bars,
        "line": line,
        "example": any(r.is_example for r in data.results.values()),
        "site": site,
    }


def galleries_index(photos, counts: dict, guide: str) -> dict:
    from ..photos.site import gallery_page

    saturdays = photos.saturdays if photos is not None else []
    return {
        "rows": [{"saturday": d, "photos": counts[d][0], "units": counts[d][1]} for d in reversed(saturdays)],
        "example": any(p.is_example for d in saturdays for p in photos.on(d)),
        "photo_page": gallery_page,
        "guide": guide,
        "site": site,
    }


def gallery_detail(photos, saturday: date) -> dict:
    from ..photos.site import GALLERY_INDEX, SIZES, gallery_page

    saturdays = photos.saturdays
    index = saturdays.index(saturday)
    shown = photos.on(saturday)
    return {
        "saturday": saturday,
        "groups": photos.by_unit_on(saturday),
        "count": len(shown),
        "example": any(p.is_example for p in shown),
        "previous": saturdays[index - 1] if index > 0 else None,
        "next": saturdays[index + 1] if index + 1 < len(saturdays) else None,
        "photo_page": gallery_page,
        "photo_index": GALLERY_INDEX,
        "sizes": SIZES,
        "site": site,
    }

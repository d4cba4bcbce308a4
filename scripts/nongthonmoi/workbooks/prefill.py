"""What a workbook is filled with, without openpyxl: records as form values,
next Saturday's plan pre-filled, the build's timestamp. The build plans its
workbooks (names, cache keys) with this alone; openpyxl (a tenth of a second
to import) is loaded only where workbooks are made, beside the build."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from ..models.plans import SaturdayPlan
from ..models.units import Unit
from ..saturday.scaffold import move_written_dates, plan_slot, starts_as_example
from .layout import PLAN, Layout, layout

DEFAULT_HOURS = (time(7, 0), time(11, 0))


def source_date() -> datetime:
    """The build's timestamp (SOURCE_DATE_EPOCH, else the 1980 zip epoch), never the clock."""
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH") or 315532800), 315532800)
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def _get(record: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def record_values(lay: Layout, record: dict) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """Form values and table rows of a record given as YAML data (aliases)."""
    values = {leaf.key: _get(record, leaf.path) for leaf in lay.leaves}
    tables = {}
    for table in lay.tables:
        items = _get(record, table.path) or []
        tables[".".join(table.path)] = [{c.key: _get(item, c.path) for c in table.columns} for item in items]
    return values, tables


def dump(model) -> dict:
    """A record as YAML data: aliases, Python dates and times, no unset optionals."""
    return model.model_dump(by_alias=True, exclude_none=True)


@dataclass(frozen=True)
class PlanForm:
    unit: Unit
    saturday: date
    source: SaturdayPlan | None  # the plan it is pre-filled from
    values: dict
    rows: dict


def next_plan(unit: Unit, plans: list[SaturdayPlan], today: date) -> PlanForm:
    """Next Saturday's plan, pre-filled the way ``ntm new-plan`` does it."""
    slot = plan_slot([p.date for p in plans], today)
    source = next((p for p in plans if p.date == slot.source), None)
    if source is None:
        record = {"thoi_gian": {"bat_dau": DEFAULT_HOURS[0], "ket_thuc": DEFAULT_HOURS[1]}}
    else:
        record = _moved(dump(source), source.date, slot.saturday)
    # From the data, as ``ntm new-plan``: while the commune's hamlets are
    # placeholders, any plan naming them is an example until the clerk says otherwise.
    record["vi_du"] = starts_as_example(unit)
    record.update({"xa": unit.id, "ngay": slot.saturday, "ngay_lap": slot.drafted})
    values, rows = record_values(layout(PLAN), record)
    return PlanForm(unit, slot.saturday, source, values, rows)


def _moved(value, old: date, new: date):
    if isinstance(value, str):
        return move_written_dates(value, old, new)
    if isinstance(value, dict):
        return {k: _moved(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, old, new) for v in value]
    return value

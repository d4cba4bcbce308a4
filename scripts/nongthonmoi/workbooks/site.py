"""Which workbooks a build publishes, and a cache so unchanged ones are not rebuilt.

A release build of a three-year district corpus must stay cheap, so the build
does not make a result form for every past Saturday of every commune:

- ``bang-tinh/ke-hoach-<xa>-<ngày>.xlsx``: each commune's plan for its next
  Saturday, pre-filled from its latest plan (as ``ntm new-plan``);
- ``bang-tinh/ket-qua-<xa>-<ngày>.xlsx``: result forms for the commune's
  :data:`RESULT_WINDOW` latest Saturdays with a plan, up to the coming one
  (pre-filled with the result when there is one, so a commune can correct it);
- ``bao-cao/bao-cao-<ngày>.xlsx``: the Monday report of every Saturday, beside
  its CSV (about 20 ms each).

Each workbook's bytes are kept in ``.cache/bang-tinh/<sha256>.xlsx``, keyed on
its inputs (the records it shows), the code of this package and the models,
the openpyxl version and the build's timestamp, like the print handouts. A
build claims the files it uses before it looks for them, and only a build
that succeeded prunes the others (cachekeep.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import time as clock
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable

from mkdocs.structure.files import File

from .. import cachekeep
from ..saturday.data import SaturdayData
from ..atomicfile import write_atomically
from . import prefill
from .layout import PLAN, REPORT, RESULT

BOOK_DIR = "bang-tinh"
CACHE_DIR = Path(".cache") / "bang-tinh"
RESULT_WINDOW = 4
CACHE_VERSION = "1"
CACHE_ENTRIES = r"[0-9a-f]{64}\.xlsx"  # the files cachekeep.py may prune


def plan_file(unit_id: str, saturday: date) -> str:
    return f"{BOOK_DIR}/ke-hoach-{unit_id}-{saturday.isoformat()}.xlsx"


def result_file(unit_id: str, saturday: date) -> str:
    return f"{BOOK_DIR}/ket-qua-{unit_id}-{saturday.isoformat()}.xlsx"


def report_file(saturday: date) -> str:
    return f"bao-cao/bao-cao-{saturday.isoformat()}.xlsx"


@dataclass(frozen=True)
class Workbook:
    file: str  # site path
    kind: str  # PLAN, RESULT or REPORT
    unit: str  # commune id ("" for the report)
    saturday: date
    size: int = 0
    reported: bool = False  # result forms: pre-filled with a result already filed
    # Plan forms: the reader's days (in Vietnam) for which this is the form to
    # fill; the page shows the one of the reader's day (assets/javascripts/ntm-week.js).
    until: date | None = None
    since: date | None = None


@dataclass
class WorkbookIndex:
    """What the views link to (an empty index when workbooks are off)."""

    plans: dict[str, Workbook] = field(default_factory=dict)
    results: dict[str, list[Workbook]] = field(default_factory=dict)
    reports: dict[date, Workbook] = field(default_factory=dict)
    later_plans: dict[str, Workbook] = field(default_factory=dict)

    def plan(self, unit_id: str) -> Workbook | None:
        return self.plans.get(unit_id)

    def plan_forms(self, unit_id: str) -> list[Workbook]:
        """The plan form of the build day's week, then the one a reader needs
        once the coming Saturday has passed (when it is another form)."""
        return [w for w in (self.plans.get(unit_id), self.later_plans.get(unit_id)) if w is not None]

    def results_of(self, unit_id: str) -> list[Workbook]:
        """Newest first."""
        return self.results.get(unit_id, [])

    def report(self, saturday: date) -> Workbook | None:
        return self.reports.get(saturday)

    def all(self) -> list[Workbook]:
        out = [*self.plans.values(), *self.later_plans.values()]
        for items in self.results.values():
            out += items
        return out + list(self.reports.values())

    def names(self) -> list[str]:
        """What the pages show of the workbooks (a cache key of the pages)."""
        return sorted(f"{w.file} {w.until} {w.since}" for w in self.all())


# The modules that write workbooks import openpyxl (a tenth of a second): only
# where a workbook is made, beside the build, not in every build.
def _forms():
    from . import forms

    return forms


def _report():
    from . import report

    return report


def _toolchain() -> str:
    digest = hashlib.sha256(f"workbooks {CACHE_VERSION}\n".encode())
    try:
        digest.update(f"openpyxl {version('openpyxl')}\n".encode())
    except PackageNotFoundError:
        pass
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *package.parent.glob("models/*.py"), package.parent / "saturday" / "scaffold.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(prefill.source_date().isoformat().encode())
    return digest.hexdigest()


def _dump(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


@dataclass
class _Job:
    workbook: Workbook
    inputs: object  # everything the bytes depend on, besides the code
    make: Callable[[], bytes]


def jobs(data: SaturdayData, today: date, coming: date) -> list[_Job]:
    out: list[_Job] = []
    units_used = sorted({t.quantity.unit for p in data.plans.values() for t in p.tasks}
                        | {p.waste.quantity.unit for p in data.plans.values() if p.waste.quantity})
    agencies = data.agencies
    for unit in data.units.units:
        plans = data.plans_of(unit.id)
        # A page built on Friday night is read on Sunday too: the form of the
        # build day, and the one of the days after the coming Saturday.
        form = prefill.next_plan(unit, plans, today)
        later = prefill.next_plan(unit, plans, coming + timedelta(days=1))
        forms = [(form, coming, None)]
        if later.saturday != form.saturday:
            forms.append((later, None, coming + timedelta(days=1)))
        else:
            forms = [(form, None, None)]
        for form, until, since in forms:
            out.append(_Job(
                Workbook(plan_file(unit.id, form.saturday), PLAN, unit.id, form.saturday, until=until, since=since),
                ("plan", unit, agencies, units_used, form.saturday, form.values, form.rows),
                lambda unit=unit, form=form: _forms().plan_workbook(unit, agencies, units_used, form.saturday, form.values, form.rows),
            ))
        recent = [p for p in plans if p.date <= coming][-RESULT_WINDOW:]
        for plan in reversed(recent):
            result = data.results.get((unit.id, plan.date))
            earlier = next((data.results[(unit.id, p.date)] for p in reversed(plans)
                            if p.date < plan.date and (unit.id, p.date) in data.results), None)
            out.append(_Job(
                Workbook(result_file(unit.id, plan.date), RESULT, unit.id, plan.date, reported=result is not None),
                ("result", unit, agencies, plan, result, earlier.households_total if earlier else None),
                lambda unit=unit, plan=plan, result=result, earlier=earlier: _forms().result_workbook(unit, plan, result, agencies, earlier),
            ))
    for saturday in data.saturdays:
        day_plans = data.plans_on(saturday)
        day_results = [data.results[(p.unit, p.date)] for p in day_plans if (p.unit, p.date) in data.results]
        out.append(_Job(
            Workbook(report_file(saturday), REPORT, "", saturday),
            ("report", data.units, day_plans, day_results, saturday),
            lambda saturday=saturday: _report().report_workbook(data, saturday),
        ))
    return out


class WorkbookBuilder:
    def __init__(self, root: Path, cache_dir: Path | None = None):
        self.root = Path(root)
        self.cache_dir = Path(cache_dir or os.environ.get("NTM_WORKBOOK_CACHE") or self.root / CACHE_DIR)
        self.stats: dict = {}

    def plan(self, data: SaturdayData, today: date, coming: date) -> tuple[WorkbookIndex, dict[str, Path], list]:
        """The index, the cached file of each site path, and the jobs whose file is not made yet."""
        toolchain = _toolchain()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        index = WorkbookIndex()
        paths: dict[str, Path] = {}
        missing = []
        keyed = []
        for job in jobs(data, today, coming):
            payload = json.dumps(_dump(job.inputs), ensure_ascii=False, sort_keys=True, default=str)
            key = hashlib.sha256(f"{toolchain}\n{job.workbook.file}\n{payload}".encode()).hexdigest()
            keyed.append((job, self.cache_dir / f"{key}.xlsx"))
        # Claimed before they are looked for: no build prunes them from now on.
        cachekeep.claim(self.cache_dir, [path.name for _, path in keyed], CACHE_ENTRIES)
        for job, path in keyed:
            if path.is_file():
                workbook = replace(job.workbook, size=path.stat().st_size)
            else:
                missing.append((job, path))
                workbook = job.workbook  # size known once made (the pages do not show it)
            paths[workbook.file] = path
            if workbook.kind == PLAN:
                (index.later_plans if workbook.since else index.plans)[workbook.unit] = workbook
            elif workbook.kind == RESULT:
                index.results.setdefault(workbook.unit, []).append(workbook)
            else:
                index.reports[workbook.saturday] = workbook
        return index, paths, missing

    def make(self, missing: list) -> None:
        for job, path in missing:
            write_atomically(path, job.make())  # a parallel build never reads half a file

    def build(self, data: SaturdayData, today: date, coming: date) -> tuple[WorkbookIndex, dict[str, Path]]:
        """The index and, for each site path, the cached file holding its bytes."""
        start = clock.perf_counter()
        index, paths, missing = self.plan(data, today, coming)
        self.make(missing)
        sizes = {name: path.stat().st_size for name, path in paths.items()}
        index = WorkbookIndex(
            {u: replace(w, size=sizes[w.file]) for u, w in index.plans.items()},
            {u: [replace(w, size=sizes[w.file]) for w in ws] for u, ws in index.results.items()},
            {d: replace(w, size=sizes[w.file]) for d, w in index.reports.items()},
            {u: replace(w, size=sizes[w.file]) for u, w in index.later_plans.items()},
        )
        self.stats = {"workbooks": len(paths), "made": len(missing), "seconds": round(clock.perf_counter() - start, 3)}
        return index, paths


def add_files(files, config, root: Path, data: SaturdayData, today: date, coming: date) -> WorkbookIndex:
    """Add the workbooks to the site; those not in the cache are made beside
    the build (background.py), in time for MkDocs to copy them."""
    from .. import background

    builder = WorkbookBuilder(root)
    index, paths, missing = builder.plan(data, today, coming)
    if missing:
        background.start("bang-tinh", lambda: builder.make(missing))
    for name, path in sorted(paths.items()):
        files.append(File.generated(config, name, abs_src_path=str(path)))
    return index

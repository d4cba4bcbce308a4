"""Benchmark of the workbook stage at district scale (not a test).

    .venv/bin/python -m benchmarks.workbooks_bench [--years 3]

Writes the synthetic district of ``benchmarks.bench`` (19 units, a plan and
a result per unit per Saturday) into a temporary folder and times what a
build spends on workbooks, with its own empty cache: a cold build, a build
with nothing changed, and one result changed. Prints counts and sizes. The
whole-site figures (with workbooks) come from ``benchmarks.bench``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from nongthonmoi.saturday.data import load
from nongthonmoi.saturday.site import coming_saturday
from nongthonmoi.workbooks.site import WorkbookBuilder

from .bench import FIRST_SATURDAY, make_project, write_corpus


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workbooks_bench")
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="ntm-wb-bench-"))
    try:
        root = make_project(base)
        plans = write_corpus(root, 52 * args.years)
        start = time.perf_counter()
        data = load(root)
        loaded = time.perf_counter() - start
        # "Today" in the middle of the corpus's last year, so the window has past Saturdays.
        today = FIRST_SATURDAY + timedelta(weeks=52 * args.years - 10)
        coming = coming_saturday(today)
        builder = WorkbookBuilder(root, cache_dir=base / "cache")
        print(f"{args.years} year(s): {plans} plans, {len(data.results)} results, {len(data.saturdays)} Saturdays "
              f"(data loaded in {loaded:.1f} s, not counted below)")
        index, paths = builder.build(data, today, coming)
        kinds = {}
        for book in index.all():
            kinds.setdefault(book.kind, []).append(book.size)
        print(f"cold cache:    {builder.stats['seconds']:6.2f} s, {builder.stats['made']} workbooks made")
        for kind, sizes in sorted(kinds.items()):
            print(f"  {kind:9} {len(sizes):4} files, {sum(sizes) / 1024:7.0f} KiB in all, {max(sizes) / 1024:5.1f} KiB the largest")
        builder.build(data, today, coming)
        print(f"nothing changed: {builder.stats['seconds']:5.2f} s, {builder.stats['made']} made")
        key = sorted(data.results)[-1]
        results = dict(data.results)
        results[key] = results[key].model_copy(update={"commune_staff": results[key].commune_staff + 1})
        builder.build(type(data)(data.units, data.agencies, data.plans, results, data.staff_lists), today, coming)
        print(f"one result changed: {builder.stats['seconds']:5.2f} s, {builder.stats['made']} made "
              f"(its result form if in the window, its Saturday's report)")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

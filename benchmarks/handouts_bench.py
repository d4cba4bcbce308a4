"""Handout benchmark (not a test): time per handout, and rebuild times.

    .venv/bin/python -m benchmarks.handouts_bench [--weeks 8]

Works on a temporary copy of the repository with its own empty cache, so it
never touches ``.cache/`` or ``docs/``. Prints:

1. each handout rendered alone (one process): seconds, pages, size;
2. a cold build of all handouts on every core, a build with nothing changed,
   and a build after one page changed;
3. the same for a district-sized corpus of weekly plans (every commune of
   ``materials/don-vi.yml`` for ``--weeks`` Saturdays, made in memory from
   the first plan of the data; nothing is written to ``materials/``), the
   coming Saturday being the second-to-last: sheets and district packets of
   the Saturdays that ``sheets.sheet_saturdays`` picks.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from mkdocs.config import load_config

from nongthonmoi.handouts.build import HandoutBuilder, Settings
from nongthonmoi.handouts.render import human_size
from nongthonmoi.handouts.sheets import sheet_saturdays
from nongthonmoi.materials import load_materials


def _copy_repo(root: Path, target: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", "site", ".site.*", ".cache", "__pycache__", ".pytest_cache")
    shutil.copytree(root, target, ignore=ignore, symlinks=True)
    return target


_SETUP: dict = {}


def _builder(root: Path, cache: Path, materials=None, workers=None, coming=None) -> HandoutBuilder:
    # Config and materials are loaded by the plugin for the whole site anyway:
    # load them once, outside the timings.
    if root not in _SETUP:
        _SETUP[root] = (Settings.from_config(load_config(str(root / "mkdocs.yml"))), load_materials(root))
    settings, loaded = _SETUP[root]
    return HandoutBuilder(
        root, root / "docs", settings, materials or loaded, cache_dir=cache, workers=workers, coming=coming
    )


def _timed(make):
    """Seconds to set up the builder (git dates, handout list) and build."""
    start = time.perf_counter()
    built = make().build()
    return time.perf_counter() - start, built


def district_materials(materials, weeks: int):
    """Every commune, ``weeks`` Saturdays, from the first plan of the data."""
    saturday = materials.saturday
    (first_key, template), *_ = sorted(saturday.plans.items())
    plans = {}
    for unit in saturday.units.units:
        for week in range(weeks):
            day = template.date + timedelta(days=7 * week)
            tasks = [t.model_copy(update={"hamlets": [unit.hamlets[0].id]}) for t in template.tasks]
            plans[(unit.id, day)] = template.model_copy(
                update={"unit": unit.id, "date": day, "drafted": day - timedelta(days=4), "tasks": tasks}
            )
    return dataclasses.replace(materials, saturday=dataclasses.replace(saturday, plans=plans))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--weeks", type=int, default=8, help="Saturdays per commune in the district corpus")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="ntm-handout-bench-") as tmp:
        tmp = Path(tmp)
        repo = _copy_repo(root, tmp / "repo")

        _builder(repo, tmp / "warm-up")  # load config and materials before timing
        print(f"Handout benchmark ({cores} cores)\n")
        print("1. Each handout rendered alone, one process")
        print(f"   {'handout':<40} {'paper':<5} {'pages':>5} {'size':>7} {'seconds':>8}")
        seconds, built = _timed(lambda: _builder(repo, tmp / "c1", workers=1))
        for b in built:
            print(f"   {b.handout.slug:<40} {b.handout.paper:<5} {b.pages:>5} {human_size(b.size):>7} {b.seconds:>8.2f}")
        print(f"   total {seconds:.2f} s for {len(built)} handouts, one after the other\n")

        print("2. Whole build of the repository's handouts")
        cold, built = _timed(lambda: _builder(repo, tmp / "c2"))
        print(f"   cold cache, {cores} workers:          {cold:6.2f} s ({len(built)} rendered)")
        warm, built = _timed(lambda: _builder(repo, tmp / "c2"))
        print(f"   nothing changed:                 {warm:6.3f} s ({sum(b.rendered for b in built)} rendered)")
        page = repo / "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nDòng thêm để đo thời gian dựng lại.\n", encoding="utf-8")
        one, built = _timed(lambda: _builder(repo, tmp / "c2"))
        again = [b.handout.slug for b in built if b.rendered]
        print(f"   one page changed (ho-gia-dinh):  {one:6.2f} s (re-rendered: {', '.join(again)})\n")

        base = load_materials(repo)
        district = district_materials(base, args.weeks)
        plans = len(district.saturday.plans)
        # The coming Saturday: the second-to-last of the corpus (benchmarks.bench does the same).
        coming = district.saturday.saturdays[-2]
        print(f"3. District corpus: {len(district.saturday.units.units)} communes x {args.weeks} Saturdays = {plans} plans; "
              f"coming Saturday {coming}: sheets for {', '.join(str(d) for d in sheet_saturdays(district.saturday.saturdays, coming))}")
        cold, built = _timed(lambda: _builder(repo, tmp / "c3", district, coming=coming))
        packets = sum(bool(b.handout.members) for b in built)
        print(f"   cold cache, {cores} workers:          {cold:6.2f} s ({sum(b.rendered for b in built)} rendered, "
              f"{packets} of them district packets)")
        warm, built = _timed(lambda: _builder(repo, tmp / "c3", district, coming=coming))
        print(f"   nothing changed:                 {warm:6.3f} s ({sum(b.rendered for b in built)} rendered)")
        key = (sorted(district.saturday.plans)[0][0], coming)
        changed = dict(district.saturday.plans)
        changed[key] = changed[key].model_copy(update={"content": changed[key].content + " (sửa)"})
        one_plan = dataclasses.replace(district, saturday=dataclasses.replace(district.saturday, plans=changed))
        one, built = _timed(lambda: _builder(repo, tmp / "c3", one_plan, coming=coming))
        again = [b.handout.slug for b in built if b.rendered]
        print(f"   one plan changed:                {one:6.2f} s (re-rendered: {', '.join(again)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the workbook import (not a test): time and peak memory for
plan workbooks with 100, 1,000, 10,000 and 20,000 filled rows.

    .venv/bin/python -m benchmarks.workbook_import_bench [--rows 100 1000 10000 20000]

Each workbook is the site's plan form for Xã Gung Ré with its task table
filled down: one task every ten rows (a description, an amount, a unit, a
hamlet), the nine rows below it carrying tools and people (continuation
rows), as a clerk's fill-down makes it. Each import runs in a fresh process
(``ru_maxrss`` is the process's peak), twice:

- with the import's limits (``package.LIMITS``): forms past 5,000 rows are
  refused before openpyxl reads them;
- with the limits lifted, to show that reading itself grows linearly (the
  model still refuses more than 30 tasks; the time is what is measured).

Then the worst files the limits let through (``--worst``), built part by
part: the most cells a sheet may have, each holding text; the most XML
elements, as styles; a merge and a hyperlink range at their limit. Their
peak memory is the bound the design doc states.

Prints one line per size and mode: seconds, peak MB, the outcome.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
from dataclasses import replace
from pathlib import Path
from nongthonmoi.workbooks.batch import Upload, import_batch
from nongthonmoi.workbooks.package import LIMITS
root, path, lifted = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
limits = replace(LIMITS, max_row=10**7, max_cells=10**9, max_xml=2**34, max_unpacked=2**34, max_elements=10**10,
                 max_bytes=2**34) if lifted else LIMITS
content = path.read_bytes()
start = time.perf_counter()
report = import_batch(root, [Upload(path.name, content)], limits=limits)
seconds = time.perf_counter() - start
book = report.workbooks[0]
rules = sorted({e.rule for e in book.errors})
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across exec).
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak,
                  "status": book.status, "rules": rules[:4], "errors": len(book.errors)}))
"""


def filled_form(rows: int) -> bytes:
    """The plan form with ``rows`` filled rows in its task table."""
    from openpyxl import load_workbook

    from nongthonmoi.materials import load_materials
    from nongthonmoi.workbooks import forms, prefill

    data = load_materials(ROOT).saturday
    unit = data.units.by_id()["gung-re"]
    form = prefill.next_plan(unit, data.plans_of(unit.id), date(2023, 3, 20))
    content = forms.plan_workbook(unit, data.agencies, [], form.saturday, form.values, form.rows)
    wb = load_workbook(io.BytesIO(content))
    ws = wb[forms.PLAN_SHEET]
    head = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("Việc cần làm"))
    ws.cell(next(r for r in range(1, head) if ws.cell(r, 1).value == "Dữ liệu ví dụ *"), 2).value = "Không"
    for offset in range(rows):
        row = head + 1 + offset
        if offset % 10 == 0:
            for col, value in ((1, None), (2, f"Phần việc {offset // 10 + 1}"), (3, 1), (4, "km"), (5, "Thôn 1")):
                ws.cell(row, col).value = value
        for col in range(6, 11):
            ws.cell(row, col).value = None
        ws.cell(row, 7).value = f"Công cụ {offset % 10 + 1}"
        ws.cell(row, 8).value = f"Người {offset % 10 + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(content: bytes, part: str, change) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def worst_files() -> dict[str, bytes]:
    """Files at the import's limits (package.LIMITS), each just inside them."""
    from nongthonmoi.workbooks.package import LIMITS

    base = filled_form(10)
    columns = [chr(65 + i) for i in range(26)] + ["AA", "AB", "AC", "AD"]
    per_row = len(columns)
    rows = min(LIMITS.max_row - 100, (LIMITS.max_cells - 2000) // per_row)
    text = "Dọn vệ sinh đường thôn"
    cells = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" t="inlineStr"><is><t>%s %d</t></is></c>'
                                       % (c.encode(), r, text.encode(), r) for c in columns) + b"</row>"
        for r in range(100, 100 + rows))
    one_style = 100  # bytes of one <xf> below, at most
    styles_count = min((LIMITS.max_part_elements - 2_000) // 2, (LIMITS.max_xml - 400_000) // one_style)
    import random

    pick = random.Random(1).randrange  # varied, so that the part does not compress like a bomb
    xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"><alignment indent="%d"/></xf>'
                   % (pick(200), pick(250)) for _ in range(styles_count))
    return {
        f"{rows * per_row} text cells": _rewrite(base, "xl/worksheets/sheet1.xml",
                                                lambda d: d.replace(b"</sheetData>", cells + b"</sheetData>", 1)),
        f"{styles_count} styles": _rewrite(base, "xl/styles.xml",
                                           lambda d: d.replace(b"</cellXfs>", xfs + b"</cellXfs>", 1)),
        "merges and links at the limit": _rewrite(base, "xl/worksheets/sheet1.xml", lambda d: d.replace(
            b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="M1:V1000"/></mergeCells>'
            b'<hyperlinks><hyperlink ref="W1:AF1000" display="x"/></hyperlinks>', 1)),
    }


def _measure(path: Path, lifted: bool) -> dict | None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), str(path), "1" if lifted else "0"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workbook_import_bench")
    parser.add_argument("--rows", type=int, nargs="*", default=[100, 1000, 10000, 20000])
    parser.add_argument("--worst", action="store_true", help="also the worst files the limits let through")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ntm-import-bench-") as folder:
        if args.worst:
            for name, content in worst_files().items():
                path = Path(folder) / "worst.xlsx"
                path.write_bytes(content)
                result = _measure(path, False)
                if result is None:
                    return 1
                outcome = f"{result['status']} {','.join(result['rules'])} ({result['errors']} messages)"
                print(f"worst: {name:32} ({len(content) / 1024:6.0f} KB)  {result['seconds']:6.2f} s  "
                      f"{result['peak_mb']:6.0f} MB peak  {outcome}", flush=True)
        for rows in args.rows:
            path = Path(folder) / f"ke-hoach-{rows}.xlsx"
            path.write_bytes(filled_form(rows))
            size = path.stat().st_size
            for lifted in (False, True):
                result = _measure(path, lifted)
                if result is None:
                    return 1
                mode = "limits lifted" if lifted else "with limits  "
                outcome = f"{result['status']} {','.join(result['rules'])} ({result['errors']} messages)"
                print(f"{rows:6} rows ({size / 1024:6.0f} KB)  {mode}  {result['seconds']:6.2f} s  "
                      f"{result['peak_mb']:6.0f} MB peak  {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Small hostile workbooks that made the import grow until the machine ran out
of memory are refused before openpyxl reads them (workbooks/package.py).

Each import runs in a child process limited to 2 GB of address space
(RLIMIT_AS), as a build machine or the editor's computer would be: without
the checks, openpyxl builds 17 billion cells for one merge range, or reads a
gigabyte that a 1 MB part unpacks to, and the child fails with MemoryError
(reported as a damaged file, W007) after seconds of work. With them, the
file is refused with its own rule while the child stays small."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from test_workbook_import import hostile_files, make_repo
from test_workbooks import plan_bytes
from nongthonmoi.materials import load_materials

LIMIT = 2 * 2**30

_CHILD = r"""
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (%d, %d))
from nongthonmoi.workbooks.batch import Upload, import_batch
path = Path(sys.argv[2])
report = import_batch(Path(sys.argv[1]), [Upload(path.name, path.read_bytes())], write=True)
book = report.workbooks[0]
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) // 1024
print(json.dumps({"rules": [e.rule for e in book.errors], "text": [str(e) for e in book.errors], "peak_mb": peak}))
""" % (LIMIT, LIMIT)


@pytest.fixture(scope="module")
def good() -> bytes:
    return plan_bytes(load_materials(ROOT).saturday)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("limits") / "repo")


def import_in_a_small_process(repo: Path, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(repo), str(path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _gigabyte_part(good: bytes, path: Path) -> None:
    """The issue's file: xl/_rels/workbook.xml.rels grown to 1 GB of spaces,
    about 1 MB packed. Written part by part (the test never holds the gigabyte)."""
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/_rels/workbook.xml.rels":
                dst.writestr(info.filename, data)
                continue
            entry = zipfile.ZipInfo(info.filename)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(entry, "w", force_zip64=True) as out:
                head, tail = data.rsplit(b"</Relationships>", 1)
                out.write(head + b"<!--")
                block = b" " * 2**20
                for _ in range(1024):
                    out.write(block)
                out.write(b"--></Relationships>" + tail)


@pytest.mark.slow
def test_a_merge_over_the_whole_sheet_is_refused_under_a_memory_limit(good, repo, tmp_path):
    path = tmp_path / "gop-o.xlsx"
    path.write_bytes(hostile_files(good)["gop-o.xlsx"])
    assert path.stat().st_size < 20_000
    result = import_in_a_small_process(repo, path)
    assert result["rules"] == ["W045"], result["text"]
    assert "vùng gộp ô A1:XFD1048576 trải 17.179.869.184 ô" in result["text"][0]
    assert result["peak_mb"] < 300


@pytest.mark.slow
def test_a_workbook_part_named_by_the_content_types_is_refused_under_a_memory_limit(good, repo, tmp_path):
    """[Content_Types].xml names /xl/wb2.xml the workbook (openpyxl reads that
    one), a dummy xl/workbook.xml lists no sheet: before, the scan took the
    real sheet for an ordinary part and openpyxl met the whole-sheet merge."""
    path = tmp_path / "noi-khac.xlsx"
    path.write_bytes(hostile_files(good)["noi-khac.xlsx"])
    assert path.stat().st_size < 20_000
    result = import_in_a_small_process(repo, path)
    assert result["rules"] == ["W007"], result["text"]
    assert "«/xl/wb2.xml», không phải «/xl/workbook.xml»" in result["text"][0]
    assert result["peak_mb"] < 300


@pytest.mark.slow
def test_a_hyperlink_over_a_million_rows_is_refused_under_a_memory_limit(good, repo, tmp_path):
    path = tmp_path / "lien-ket.xlsx"
    path.write_bytes(hostile_files(good)["lien-ket.xlsx"])
    result = import_in_a_small_process(repo, path)
    assert result["rules"] == ["W045"], result["text"]
    assert result["peak_mb"] < 300


@pytest.mark.slow
def test_a_part_that_unpacks_to_a_gigabyte_is_refused_under_a_memory_limit(good, repo, tmp_path):
    path = tmp_path / "bom-nen-1gb.xlsx"
    _gigabyte_part(good, path)
    assert path.stat().st_size < 3 * 2**20, "the test must not leave a gigabyte on the disk"
    result = import_in_a_small_process(repo, path)
    assert result["rules"] == ["W002"], result["text"]
    assert "1.0 GB khi giải nén" in result["text"][0]
    assert result["peak_mb"] < 300


def test_a_compressible_part_that_is_no_sheet_is_refused(good, repo, tmp_path):
    """12 MB of spaces in the relationships part (1 % of the limit above, no
    memory trouble): still a bomb by its ratio, and no sheet was counted before."""
    path = tmp_path / "bom-nen.xlsx"
    path.write_bytes(hostile_files(good)["bom-nen.xlsx"])
    result = import_in_a_small_process(repo, path)
    assert result["rules"] == ["W040"], result["text"]


def test_the_import_parses_xml_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML

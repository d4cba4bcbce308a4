"""The same sources give byte-identical output."""

from __future__ import annotations

from conftest import ROOT, run_mkdocs


def test_two_builds_are_byte_identical(tmp_path, site):
    again = tmp_path / "again"
    result = run_mkdocs(ROOT, again, fresh=True)  # a hash seed of its own (forked_commands.py)
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(k) for k in first if first[k] != second[k]]
    assert not differing

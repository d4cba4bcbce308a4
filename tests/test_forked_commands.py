"""The tests' forked `ntm` and `mkdocs` (forked_commands.py) behave as the
console scripts do: output, errors, exit status, folder and environment; and
what only a new interpreter reads (a sitecustomize on PYTHONPATH) gets one."""

from __future__ import annotations

import os

import forked_commands
from conftest import ROOT


def _both(*args: str, **kwargs):
    return forked_commands.run("ntm", list(args), cwd=ROOT, **kwargs), forked_commands.run("ntm", list(args), cwd=ROOT, fresh=True, **kwargs)


def test_a_forked_command_answers_as_a_new_process_does():
    for args in (["--help"], ["lenh-khong-co"], ["check", "--giai-thich", "S017"]):
        forked, new = _both(*args)
        assert (forked.returncode, forked.stdout, forked.stderr) == (new.returncode, new.stdout, new.stderr), args
    forked, _ = _both("lenh-khong-co")
    assert forked.returncode == 2 and "không có lệnh" in forked.stderr and forked.stdout == ""


def test_the_folder_and_the_environment_are_the_command_s(tmp_path):
    """A site whose name comes from the environment (MkDocs's !ENV), built
    in its own folder: the forked build reads both."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Trang\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: !ENV [TEN_TRANG, chưa đặt]\n", encoding="utf-8")
    built = forked_commands.run("mkdocs", ["build", "-q", "-d", "site"], cwd=tmp_path, env={**os.environ, "TEN_TRANG": "Tên từ môi trường"})
    assert built.returncode == 0, built.stderr
    assert "Tên từ môi trường" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert forked_commands.run("ntm", ["check"], cwd=tmp_path).returncode != 0  # no repository here: the folder is the command's


def test_what_the_interpreter_reads_at_start_gets_a_new_process(tmp_path):
    hook = tmp_path / "moc"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text("import sys\nprint('sitecustomize đã chạy', file=sys.stderr)\n", encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    result = forked_commands.run("ntm", ["--help"], cwd=ROOT, env={**os.environ, "PYTHONPATH": path})
    assert result.returncode == 0 and "sitecustomize đã chạy" in result.stderr

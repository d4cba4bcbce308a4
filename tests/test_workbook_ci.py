"""The published site's import path, run locally: workbooks uploaded into a
draft (materials/nhap-excel/ on the draft's branch) are imported by the CI
job (.ci/nhap-excel, called by .github/workflows/site.yml and .gitlab-ci.yml)
and pushed back to the same branch with the Vietnamese report, before anyone
publishes. The job's own commands run here in a scratch repository with a
bare repository as the git host."""

from __future__ import annotations

import os
import shutil
from datetime import date
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_workbook_import import edit, fill_plan, real_hamlets
from test_workbook_batch import _corrected_result
from test_workbooks import plan_bytes, result_bytes
from nongthonmoi.materials import load_materials

BRANCH = "cms/nhap-excel/gung-re"
ENV = {"GIT_AUTHOR_NAME": "Thử", "GIT_AUTHOR_EMAIL": "thu@example.invalid", "GIT_COMMITTER_NAME": "Thử",
       "GIT_COMMITTER_EMAIL": "thu@example.invalid"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def draft(tmp_path) -> tuple[Path, Path]:
    """(working copy on the draft branch with three workbooks waiting, bare «git host»)."""
    data = load_materials(ROOT).saturday
    work = tmp_path / "repo"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site.*", ".cache", "__pycache__", ".pytest_cache",
                                    "node_modules", "nhap-excel.*")
    shutil.copytree(ROOT, work, ignore=ignore)
    (work / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)  # the job's set-up, already done
    real_hamlets(work)  # the clerk's plan is real (rule S016)
    host = tmp_path / "host.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(host))
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Bộ tài liệu")
    git(work, "remote", "add", "origin", str(host))
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", BRANCH)
    inbox = work / "materials/nhap-excel"
    (inbox / "ke-hoach-gung-re (1).xlsx").write_bytes(edit(plan_bytes(data), fill_plan))
    (inbox / "ket-qua-gung-re.xlsx").write_bytes(_corrected_result(data))
    blank = result_bytes(data, unit_id="hoa-ninh", saturday=date(2023, 3, 18), with_result=False)
    (inbox / "ket-qua-hoa-ninh.xlsx").write_bytes(blank)  # sent back blank
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Tải lên bảng tính")
    git(work, "push", "-q", "origin", BRANCH)
    return work, host


def run_job(work: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NTM_", "CI"))}
    return subprocess.run(["bash", ".ci/nhap-excel"], cwd=work, capture_output=True, text=True, timeout=600,
                          env={**keep, **ENV, "NTM_REPORT": str(tmp_path / "summary.md"), **env})


@pytest.mark.slow
def test_the_ci_job_imports_a_draft_and_pushes_it_back_with_its_report(draft, tmp_path):
    work, host = draft
    output = tmp_path / "github-output"
    job = run_job(work, tmp_path, NTM_BRANCH=BRANCH, GITHUB_OUTPUT=str(output))
    assert job.returncode == 1, job.stdout + job.stderr  # one workbook was refused
    report = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert report.startswith("## Nhập bảng tính Excel (đã ghi vào bản nháp)")
    assert "| ke-hoach-gung-re (1).xlsx | Kế hoạch Xã Gung Ré 25/03/2023 | đã tạo materials/ke-hoach/gung-re/2023-03-25.yml (3 phần việc) |" in report
    assert "đã cập nhật materials/ket-qua/gung-re/2023-03-11.yml" in report
    assert "- Số hộ tham gia: 180 → 190" in report
    assert "**W061** ket-qua-hoa-ninh.xlsx: Bảng tính chưa điền" in report
    assert output.read_text() == "pushed=true\n"
    # The git host's branch: the YAML files, the imported workbooks gone, the refused one waiting.
    pushed = git(host, "ls-tree", "-r", "--name-only", BRANCH)
    assert "materials/ke-hoach/gung-re/2023-03-25.yml" in pushed
    assert "materials/nhap-excel/ket-qua-hoa-ninh.xlsx" in pushed
    assert "materials/nhap-excel/ke-hoach-gung-re (1).xlsx" not in pushed and "ket-qua-gung-re.xlsx" not in pushed
    message = git(host, "log", "-1", "--format=%B", BRANCH)
    assert message.startswith("Nhập bảng tính Excel (ntm nhap-excel, CI)\n")
    assert "ket-qua-gung-re.xlsx: Kết quả của Xã Gung Ré, thứ Bảy 11/03/2023: đã cập nhật" in message
    assert "so_ho_tham_gia: 190" in git(host, "show", f"{BRANCH}:materials/ket-qua/gung-re/2023-03-11.yml")
    assert git(host, "rev-parse", "main") == git(work, "rev-parse", "main")  # the default branch untouched
    # The next run (the pushed commit): only the refused workbook waits, nothing to push.
    head = git(host, "rev-parse", BRANCH)
    again = run_job(work, tmp_path, NTM_BRANCH=BRANCH)
    assert again.returncode == 1 and git(host, "rev-parse", BRANCH) == head


def test_on_the_default_branch_nothing_is_imported(draft, tmp_path):
    work, host = draft
    before = git(work, "status", "--porcelain")
    job = run_job(work, tmp_path, NTM_DEFAULT="true", NTM_BRANCH="main")
    assert job.returncode == 0, job.stderr
    assert "::warning::" in job.stdout
    report = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "chỉ kiểm tra, chưa ghi" in report and "Các bảng tính này chưa được nhập" in report
    assert git(work, "status", "--porcelain") == before
    assert git(host, "rev-parse", "main") == git(work, "rev-parse", "main")


def test_without_a_way_to_push_the_job_says_so(draft, tmp_path):
    work, host = draft
    head = git(host, "rev-parse", BRANCH)
    job = run_job(work, tmp_path, NTM_BRANCH=BRANCH, NTM_PUSH_URL="")
    assert job.returncode == 1 and "cần biến NTM_GIT_TOKEN" in job.stderr
    assert git(host, "rev-parse", BRANCH) == head


def test_both_ci_files_run_the_same_job():
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["nhap-excel"]
    step = next(s for s in job["steps"] if s.get("run") == "bash .ci/nhap-excel")
    assert step["env"]["NTM_BRANCH"] == "${{ github.ref_name }}" and "default_branch" in step["env"]["NTM_DEFAULT"]
    assert job["permissions"] == {"contents": "write", "actions": "write"}
    assert job["if"] == "github.event_name == 'push'"  # never for pull requests from forks
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["nhap-excel"]
    assert any(line.endswith("bash .ci/nhap-excel") and "NTM_PUSH_URL=" in line for line in gitlab["script"])
    assert all("CI_DEFAULT_BRANCH" not in rule["if"] or "!=" in rule["if"] for rule in gitlab["rules"])

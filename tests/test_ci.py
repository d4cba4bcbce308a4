"""CI publishes from the default branch only, at the host's public address,
with current actions; a publishing build refuses an address that is empty or
points to the build machine (rule B003)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from conftest import BIN, ROOT, copy_repo, run_mkdocs

WORKFLOW = ROOT / ".github/workflows/site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
DEFAULT_BRANCH = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"


@pytest.mark.parametrize(
    "schema, path",
    [("vendor.github-workflows", WORKFLOW), ("vendor.gitlab-ci", GITLAB), ("vendor.renovate", ROOT / "renovate.json")],
)
@pytest.mark.slow
def test_ci_files_are_valid(schema, path):
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key "on" as true
    return data


def test_github_publishes_from_the_default_branch_only():
    workflow = _workflow()
    deploy = workflow["jobs"]["deploy"]
    assert DEFAULT_BRANCH in deploy["if"] and "pull_request" in deploy["if"]
    assert workflow["env"]["PUBLISH"].count(DEFAULT_BRANCH) == 1
    build = workflow["jobs"]["build"]["steps"]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert "env.PUBLISH == 'true'" in upload["if"]
    run_build = next(s for s in build if s.get("run") == "bash scripts/run build")
    assert run_build["env"]["NTM_PUBLISH"] == "${{ env.PUBLISH }}"
    # the address comes from GitHub Pages (configure-pages), else the SITE_URL variable
    assert "steps.pages.outputs.base_url" in run_build["env"]["SITE_URL"]
    assert "vars.SITE_URL" in run_build["env"]["SITE_URL"]
    assert workflow["concurrency"]["group"] and "default_branch" in workflow["concurrency"]["cancel-in-progress"]
    assert any(c["cron"] for c in workflow["on"]["schedule"])  # the Saturday rebuild
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


# Majors on the Node 24 runtime (Node 20 actions are deprecated); Renovate moves them.
CURRENT = {"actions/checkout": 7, "actions/cache": 6, "actions/configure-pages": 6, "actions/upload-pages-artifact": 5,
           "actions/deploy-pages": 5, "actions/upload-artifact": 6}


def test_github_actions_are_current():
    uses = re.findall(r"uses:\s*([\w./-]+)@v(\d+)", WORKFLOW.read_text(encoding="utf-8"))
    assert uses
    for action, major in uses:
        assert int(major) >= CURRENT[action], (action, major)


def test_gitlab_publishes_from_the_default_branch_only():
    data = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    pages = data["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any('SITE_URL="$CI_PAGES_URL/"' in line and "NTM_PUBLISH=true" in line for line in pages["script"])
    assert pages["resource_group"] == "pages"
    assert data["variables"]["GIT_DEPTH"] == "0"
    assert set(data["cache"]["paths"]) >= {".cache/handouts", ".cache/pip"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("publish") / "repo")


@pytest.mark.parametrize("address", ["", "http://localhost:8000/", "http://127.0.0.1:8000/"])
def test_publishing_build_refuses_a_local_or_empty_address(repo, address):
    site = repo / "site"
    result = run_mkdocs(repo, site, env={"NTM_PUBLISH": "true", "SITE_URL": address})
    assert result.returncode != 0
    assert "[B003]" in result.stderr and "địa chỉ công khai" in result.stderr and "SITE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()  # nothing written


def test_address_rule():
    from nongthonmoi.publishing import address_problem, is_publishing

    assert address_problem("https://nongthonmoi.dilinh.example.vn/") is None
    assert address_problem("http://localhost:8000/") is not None
    assert address_problem(None) is not None
    assert is_publishing({"NTM_PUBLISH": "true"}) and not is_publishing({})


# --- the scheduled rebuild really moves the week (buildday.py) -----------------


def _cron_moments(cron: str, start: datetime, days: int = 15) -> list[datetime]:
    """The moments (UTC) a 5-field cron line "M H * * DOW" fires within ``days``."""
    minute, hour, dom, month, dow = cron.split()
    assert dom == month == "*", cron
    out = []
    for k in range(days * 24 * 60):
        t = start + timedelta(minutes=k)
        if t.minute == int(minute) and t.hour == int(hour) and (t.isoweekday() % 7) in {int(d) for d in dow.split(",")}:
            out.append(t)
    return out


def test_the_weekly_rebuild_runs_on_saturday_in_vietnam_and_moves_the_week():
    from nongthonmoi import buildday

    workflow = _workflow()
    crons = [c["cron"] for c in workflow["on"]["schedule"]]
    start = datetime(2026, 12, 7, tzinfo=timezone.utc)
    days = []
    for cron in crons:
        for moment in _cron_moments(cron, start):
            # The build day is the clock's day in Vietnam: no NTM_TODAY, no commit date.
            day = buildday.build_day({}, moment)
            assert day.weekday() == 5, (cron, moment, day)  # a Saturday in Di Linh
            assert buildday.coming_saturday(day) == day  # "Thứ Bảy này" is that very day
            days.append(day)
    # Two runs a week apart give two weeks.
    assert len(set(days)) >= 2 and (max(days) - min(days)).days % 7 == 0
    # Nothing on the way pins the day: not the workflow, not the task runner.
    sets_day = re.compile(r"^[^#]*\bNTM_TODAY\s*[:=]", re.M)
    for path in (WORKFLOW, GITLAB, ROOT / "scripts/run"):
        assert not sets_day.search(path.read_text(encoding="utf-8")), path
    # GitLab's pipeline schedule is set in the project, at the same hour in Di Linh.
    assert "0 5 * * 6" in GITLAB.read_text(encoding="utf-8") and "Asia/Ho_Chi_Minh" in GITLAB.read_text(encoding="utf-8")


def test_a_build_takes_its_day_from_the_clock_not_from_the_last_commit(tmp_path):
    """The date path of a scheduled run: SOURCE_DATE_EPOCH (set by scripts/run
    from the last commit) stamps files and leaves "today" to the clock."""
    import subprocess as sp
    import sys

    code = ("import os; from nongthonmoi import buildday; "
            "print(buildday.build_day().isoformat())")
    env = {k: v for k, v in os.environ.items() if k != "NTM_TODAY"}
    env["SOURCE_DATE_EPOCH"] = "1677715200"  # a 2023 commit
    out = sp.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert out == (datetime.now(timezone.utc) + timedelta(hours=7)).date().isoformat() != "2023-03-02"

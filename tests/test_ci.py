"""CI publishes from the default branch only, at the host's public address,
with current actions; a publishing build refuses an address that is empty or
points to the build machine (rule B003)."""

from __future__ import annotations

import re
import subprocess

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

"""Shared fixtures: the real site built once per test session, and a scratch
copy of the repository for tests that plant bad content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_mkdocs(root: Path, site_dir: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(site_dir), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def run_ntm(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ntm"), *args], cwd=root, capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built from the working tree with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_mkdocs(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


def copy_repo(target: Path) -> Path:
    """A copy of the sources (with git history) that a test may break."""
    ignore = shutil.ignore_patterns(".venv", "site", ".site.*", ".cache", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


@pytest.fixture
def scratch(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")

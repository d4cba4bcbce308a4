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
    ignore = shutil.ignore_patterns(
        ".venv", "site", ".site.*", ".cache", "__pycache__", ".pytest_cache", "node_modules"
    )
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    # The npm packages (the web editor) are read, never changed: share them.
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return target


@pytest.fixture
def scratch(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


# --- Browser tests (issue 6): the built site served on 127.0.0.1, real Chromium.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def serve_folder(folder: Path):
    """An HTTP server for ``folder`` on 127.0.0.1 (free port), in a daemon thread."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def served(site):
    """Base URL of the built site, served on 127.0.0.1 for the session."""
    server, url = serve_folder(site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: bash scripts/run test installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

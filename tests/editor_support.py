"""Helpers for the web editor's tests: requests to the local backend built by
hand (any Host, Origin or secret), and `ntm edit` started in a scratch copy."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import cachestore
from conftest import BIN, ROOT, copy_repo

SECRET = "s3cret-of-this-run-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environ(body: object, *, port: int, secret: str = SECRET, host: str | None = None, origin: str | None = "same",
            method: str = "POST", content_type: str = "application/json", length: int | None = None,
            path: str | None = None, site: str | None = None) -> dict:
    """A WSGI request to the local backend, as a browser (or an attacker) would send it."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    host = f"127.0.0.1:{port}" if host is None else host
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path or f"/__ntm/api/{secret}",
        "HTTP_HOST": host,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(data) if length is None else length),
        "wsgi.input": io.BytesIO(data),
    }
    if origin == "same":
        env["HTTP_ORIGIN"] = f"http://{host}"
    elif origin is not None:
        env["HTTP_ORIGIN"] = origin
    if site is not None:
        env["HTTP_SEC_FETCH_SITE"] = site
    return env


def call(app, env: dict) -> tuple[int, dict]:
    """(status, JSON answer) of a WSGI call."""
    seen = {}

    def start_response(status, headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(headers)

    chunks = app(env, start_response)
    raw = b"".join(chunks)
    try:
        return seen["status"], json.loads(raw)
    except ValueError:
        return seen["status"], {"text": raw.decode("utf-8", "replace")}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


class EditRun:
    """`ntm edit` in a scratch copy: its address, the secret it gave the editor page."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen, log):
        self.root, self.port, self.process, self.log = root, port, process, log
        self.base = f"http://127.0.0.1:{port}/"  # the editor's origin (it sends the site's pages on to ``site``)
        self.site = self.base  # the preview of the site: another origin, read from what `ntm edit` prints

    @property
    def api(self) -> str:
        config = urllib.request.urlopen(self.base + "quan-tri/config.yml").read().decode()
        return re.search(r"proxy_url: (\S+)", config).group(1)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()
        cachestore.keep(ROOT, self.root)  # what its rebuilds made, for the next run's copies


def start_edit(root: Path, *, extra_env: dict | None = None, seconds: float = 240) -> EditRun:
    port = free_port()
    log_path = root.parent / f"ntm-edit-{port}.log"
    log = open(log_path, "w+", encoding="utf-8")
    process = subprocess.Popen(
        [str(BIN / "ntm"), "edit", "--addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})},
    )
    run = EditRun(root, port, process, log)
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8")
        if "Trang quản trị:" in text or process.poll() is not None:
            break
        time.sleep(0.5)
    if "Trang quản trị:" not in text:
        run.stop()
        raise AssertionError(text[-3000:])
    preview = re.search(r"Xem trước trang web: (http://\S+)", text)
    if preview:
        run.site = preview.group(1)
    # The first build is done when the editor's files are there.
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(run.base + "quan-tri/config.yml", timeout=5)
            return run
        except OSError:
            time.sleep(0.5)
    run.stop()
    raise AssertionError("the editor's configuration never appeared")


@contextlib.contextmanager
def editing(folder: Path):
    """`ntm edit` in a fresh copy (warm caches, a history of its own) under
    ``folder``, stopped at the end of the block."""
    run = start_edit(own_history(copy_repo(folder / "repo")))
    try:
        yield run
    finally:
        run.stop()


def configure_git(root: Path) -> None:
    """A name for the scratch copy's commits (the machine may have none)."""
    git(root, "config", "user.name", "Biên tập viên thử")
    git(root, "config", "user.email", "thu@example.invalid")


def own_history(root: Path) -> Path:
    """Give a scratch copy a git history of its own.

    copy_repo copies ``.git``; in a worktree that is a file pointing at the
    main repository, so a commit in the copy would move the worktree's branch.
    The editor commits on every save: the copy gets a fresh repository.
    """
    dot_git = root / ".git"
    if dot_git.is_file() or dot_git.is_symlink():
        dot_git.unlink()
    elif dot_git.is_dir():
        import shutil

        shutil.rmtree(dot_git)
    git(root, "init", "-q", "-b", "main")
    configure_git(root)
    (root / ".gitignore").write_text("node_modules\n.venv\nsite/\n.cache/\n", encoding="utf-8") if not (root / ".gitignore").exists() else None
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Bản sao để thử")
    # One pack instead of some 600 loose objects: each test's clone of it
    # (clone_of) links two files, not 600, and takes half the time.
    git(root, "repack", "-a", "-d", "-q")
    git(root, "prune-packed")
    return root


def clone_of(history: Path, tmp_path: Path) -> Path:
    """A test's own working copy of a history made by :func:`own_history`:
    cloning is a tenth of copying and committing again. No remote: pushes
    go only where a test sends them."""
    root = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(history), str(root))
    git(root, "remote", "remove", "origin")
    configure_git(root)
    return root


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> Path:
    """One copy with a history of its own per worker (nothing here builds);
    each test clones it (``repo``), which is a tenth of copying and committing again."""
    return own_history(copy_repo(tmp_path_factory.mktemp("editor-history") / "repo", warm=False))


@pytest.fixture
def repo(tmp_path, history) -> Path:
    """A test's own working copy of ``history``."""
    return clone_of(history, tmp_path)

"""Photos kept with Git LFS: the way the Board saves and CI checks out.

A fresh repository made from the working tree (LFS set up as
``scripts/run`` and ``ntm luu`` do it), pushed to a bare remote over
``file://`` (git-lfs's standalone transfer: no server needed), and cloned
the way CI checks out (``actions/checkout`` with ``lfs: false``; GitLab with
``GIT_LFS_SKIP_SMUDGE=1``): pointers only.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_caches, copy_repo, run_mkdocs
from nongthonmoi import cli
from nongthonmoi.photos.header import LFS_POINTER
from photos_support import phone_photo

pytestmark = [
    pytest.mark.skipif(shutil.which("git-lfs") is None, reason="git-lfs is missing (Debian git-lfs; bash scripts/run installs it)"),
    pytest.mark.slow,
]
PHOTO = "materials/anh/gung-re/2023-03-04/anh-01.jpg"  # added below, as the Board adds one
EXAMPLE = "materials/anh/gung-re/2023-03-04/vi-du-don-duong-sau.jpg"  # a drawn placeholder


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


def ntm(repo: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--root", str(repo), *args])
    return code, out.getvalue() + err.getvalue()


def blob(repo: Path, path: str) -> bytes:
    return subprocess.run(["git", "cat-file", "-p", f"HEAD:{path}"], cwd=repo, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def remote(tmp_path_factory) -> Path:
    """A bare remote holding the project with its photos in LFS, and one
    photo added since by ``ntm them-anh`` and saved by ``ntm luu``."""
    base = tmp_path_factory.mktemp("lfs")
    work = copy_repo(base / "work")
    # A history of its own (copy_repo copies .git: in a worktree, a file pointing at the real repository).
    dot_git = work / ".git"
    shutil.rmtree(dot_git) if dot_git.is_dir() else dot_git.unlink()
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.name", "Cán bộ Ban Tuyên giáo")
    git(work, "config", "user.email", "btg@example.vn")
    git(work, "lfs", "install", "--local")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Kho tài liệu")
    photo = base / "IMG_5001.jpg"
    photo.write_bytes(phone_photo())
    table = base / "thong-tin.csv"
    table.write_text("tep,mo_ta\nIMG_5001.jpg,Đoàn viên dọn rác ven suối đầu thôn\n", encoding="utf-8")
    code, output = ntm(work, "them-anh", "gung-re", "2023-03-04", str(photo), "--thong-tin", str(table), "--khong-hoi")
    assert code == 0, output
    code, output = ntm(work, "luu", "-m", "Thêm ảnh")
    assert code == 0, output
    bare = base / "remote.git"
    git(base, "init", "-q", "--bare", "-b", "main", str(bare))
    git(work, "remote", "add", "origin", bare.as_uri())
    git(work, "push", "-q", "origin", "main")
    return bare


def test_the_history_holds_pointers_not_pictures(remote, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", remote.as_uri(), str(clone), env={"GIT_LFS_SKIP_SMUDGE": "1"})
    pointer = blob(clone, PHOTO)
    assert pointer.startswith(LFS_POINTER) and len(pointer) < 200
    # The example placeholders are ordinary files: any clone builds the example site.
    assert blob(clone, EXAMPLE).startswith(b"\xff\xd8") and (clone / EXAMPLE).read_bytes().startswith(b"\xff\xd8")
    assert git(clone, "log", "-1", "--format=%s") == "Thêm ảnh\n"


def test_a_checkout_without_the_photos_says_how_to_get_them_then_builds(remote, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", remote.as_uri(), str(clone), env={"GIT_LFS_SKIP_SMUDGE": "1"})
    assert (clone / PHOTO).read_bytes().startswith(LFS_POINTER)
    code, output = ntm(clone, "check")
    assert code == 1 and f"{PHOTO}: [A014]" in output and "git lfs pull" in output and "Traceback" not in output
    code, output = ntm(clone, "anh-can-tai")
    assert code == 0 and PHOTO in output.split()
    git(clone, "lfs", "install", "--local")
    git(clone, "lfs", "pull")  # what «bash scripts/run tai-anh» does
    assert (clone / PHOTO).read_bytes().startswith(b"\xff\xd8")
    assert ntm(clone, "check")[0] == 0
    copy_caches(clone)  # as CI restores .cache/: the handouts and workbooks are not what this test is about
    assert run_mkdocs(clone, tmp_path / "site").returncode == 0
    # A second checkout without photos, with the caches of the first
    # (CI restores .cache/): nothing to download, and it builds from pointers.
    second = tmp_path / "second"
    git(tmp_path, "clone", "-q", remote.as_uri(), str(second), env={"GIT_LFS_SKIP_SMUDGE": "1"})
    shutil.copytree(clone / ".cache", second / ".cache")
    assert (second / PHOTO).read_bytes().startswith(LFS_POINTER)
    code, output = ntm(second, "anh-can-tai")
    assert code == 0 and output.strip() == "", output
    assert ntm(second, "check")[0] == 0
    built = run_mkdocs(second, tmp_path / "site2")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site2" / "anh" / "tep" / "gung-re" / "2023-03-04" / "anh-01-360.webp").read_bytes().startswith(b"RIFF")


def test_saving_photos_without_git_lfs_is_refused(tmp_path, monkeypatch):
    from nongthonmoi.photos import lfs

    repo = copy_repo(tmp_path / "repo")
    monkeypatch.setattr(lfs.shutil, "which", lambda name: None)
    problem = lfs.prepare_commit(repo)
    assert problem is not None and "git-lfs" in problem and "apt install git-lfs" in problem

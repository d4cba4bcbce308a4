"""Git LFS: the photos' files live outside the git history (design/photos.md).

- :func:`uses_lfs`: ``.gitattributes`` sends the photos to LFS;
- :func:`prepare_commit`: before ``ntm luu`` commits photos, git-lfs is
  there and set up for this repository (``git lfs install --local``), so
  git stores a pointer, never the picture, in the history; after ``git add``
  :func:`not_pointers` names any photo staged whole (then nothing is committed);
- :func:`needed_downloads`: in a checkout that holds only pointers (CI with
  ``lfs: false``, ``GIT_LFS_SKIP_SMUDGE=1``), the photos whose check or
  variants the caches lack: the only ones to download (``ntm anh-can-tai``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from . import PHOTOS_DIR
from .header import LFS_POINTER, read_header


def uses_lfs(root: Path) -> bool:
    try:
        text = (root / ".gitattributes").read_text(encoding="utf-8")
    except OSError:
        return False
    return any(line.strip().startswith(f"materials/{PHOTOS_DIR}/") and "filter=lfs" in line for line in text.splitlines())


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root, capture_output=True, text=True)


def prepare_commit(root: Path) -> str | None:
    """None when photos can be committed as LFS pointers; else what to do (Vietnamese)."""
    if not uses_lfs(root):
        return None
    if shutil.which("git-lfs") is None:
        return ("Kho lưu ảnh bằng Git LFS nhưng máy chưa có git-lfs: chưa lưu gì. Cài git-lfs "
                "(Debian, Ubuntu: «apt install git-lfs»; Git cho Windows và GitHub Desktop có sẵn), rồi chạy lại «ntm luu».")
    if not _git(root, "config", "--get", "filter.lfs.clean").stdout.strip():
        done = _git(root, "lfs", "install", "--local")
        if done.returncode != 0:
            return "Không bật được Git LFS cho kho này («git lfs install --local»): " + (done.stderr or done.stdout).strip()
    return None


def not_pointers(root: Path, paths: list[str]) -> list[str]:
    """Staged photos that ``.gitattributes`` sends to LFS but whose staged
    content is the picture, not an LFS pointer (the example placeholders are
    ordinary files by design)."""
    if not paths:
        return []
    attributes = _git(root, "check-attr", "filter", "--", *paths).stdout.splitlines()
    in_lfs = {line.rsplit(": filter: ", 1)[0] for line in attributes if line.endswith(": filter: lfs")}
    whole = []
    for path in (p for p in paths if p in in_lfs):
        shown = subprocess.run(["git", "cat-file", "-p", f":{path}"], cwd=root, capture_output=True)
        if shown.returncode == 0 and not shown.stdout.startswith(LFS_POINTER):
            whole.append(path)
    return whole


def needed_downloads(root: Path) -> list[str]:
    """Photos (repository paths) that are LFS pointers here and whose check or
    variants no cache holds: what ``git lfs pull --include`` must fetch."""
    from ..handouts.bulletin import BULLETIN_SATURDAYS
    from ..saturday.data import load
    from .library import FileIndex
    from .variants import VariantStore, print_variant, variants_of

    data = load(root)
    index = FileIndex(root)
    store = VariantStore(root)
    published = {ref.path for ref in data.photo_refs if ref.photo.published}
    recent = set(sorted({ref.date for ref in data.photo_refs if ref.photo.published})[-BULLETIN_SATURDAYS:])
    dates = {ref.path: ref.date for ref in data.photo_refs}
    needed = []
    for path in sorted(published | {ref.path for ref in data.photo_refs}):
        file = root / path
        try:
            head = file.read_bytes()[:1024] if file.stat().st_size < 1024 else b""
        except OSError:
            continue
        if not head.startswith(LFS_POINTER):
            continue
        header = read_header(head)
        facts = index.by_sha.get(header.lfs_oid)
        if facts is None:
            needed.append(path)
            continue
        if path not in published:
            continue
        wanted = variants_of(facts.sha256, facts.width, facts.height)
        if dates.get(path) in recent:
            wanted.append(print_variant(facts.sha256, facts.width, facts.height))
        if not all(store.has(v) for v in wanted):
            needed.append(path)
    return needed

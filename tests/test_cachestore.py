"""The suite's own store of scratch builds' cache entries (cachestore.py):
entries go from a built copy to the next run's copies, only immutable
entries, and the store forgets what recent runs did not use once it is large."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import cachestore


def _entry(label: str, suffix: str = ".pdf") -> str:
    return hashlib.sha256(label.encode()).hexdigest() + suffix


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(cachestore, "_RECORDED", set())
    root = tmp_path / "tree"
    root.mkdir()
    return root


def built_copy(tmp_path: Path, name: str, entries: dict[str, bytes]) -> Path:
    copy = tmp_path / name
    for rel, data in entries.items():
        (copy / ".cache" / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / ".cache" / rel).write_bytes(data)
    return copy


def test_a_scratch_builds_entries_reach_the_next_runs_copies(tree, tmp_path):
    pdf, book = _entry("plan"), _entry("book", ".xlsx")
    cachestore.begin_run(tree)
    first = built_copy(tmp_path, "first", {
        f"handouts/{pdf}": b"%PDF", f"bang-tinh/{book}": b"PK",
        # not immutable entries: an index rewritten in place, a half-written file
        "offline/pages.json": b"{}", f"handouts/.{pdf}.123.tmp": b"half",
    })
    cachestore.keep(tree, first)
    cachestore.begin_run(tree)
    second = built_copy(tmp_path, "second", {})
    cachestore.lend(tree, second)
    files = {p.relative_to(second / ".cache").as_posix(): p.read_bytes() for p in (second / ".cache").rglob("*")
             if p.is_file() and ".keep" not in p.parts}
    assert files == {f"handouts/{pdf}": b"%PDF", f"bang-tinh/{book}": b"PK"}
    # A folder the test wants cold gets nothing.
    third = built_copy(tmp_path, "third", {})
    cachestore.lend(tree, third, ("handouts",))
    assert not (third / ".cache" / "handouts").exists()


def test_an_entry_the_copy_has_is_not_replaced(tree, tmp_path):
    pdf = _entry("plan")
    cachestore.keep(tree, built_copy(tmp_path, "old", {f"handouts/{pdf}": b"stored"}))
    copy = built_copy(tmp_path, "copy", {f"handouts/{pdf}": b"the working tree's"})
    cachestore.lend(tree, copy)
    assert (copy / ".cache" / "handouts" / pdf).read_bytes() == b"the working tree's"


def test_a_large_store_keeps_what_the_last_runs_used(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(cachestore, "MAX_BYTES", 10)
    old, recent, latest = _entry("old"), _entry("recent"), _entry("latest")
    for label, name in (("a", old), ("b", recent), ("c", latest)):
        cachestore.begin_run(tree)
        monkeypatch.setattr(cachestore, "_RECORDED", set())  # a new run is a new process
        cachestore.keep(tree, built_copy(tmp_path, label, {f"handouts/{name}": b"x" * 8}))
    stored = tree / cachestore.STORE / "handouts"
    assert {p.name for p in stored.iterdir()} == {old, recent, latest}  # 24 bytes: pruned at the next run
    cachestore.begin_run(tree)
    assert {p.name for p in stored.iterdir()} == {recent, latest}
    # Small enough: nothing more goes, whatever the runs used.
    monkeypatch.setattr(cachestore, "MAX_BYTES", 1000)
    for _ in range(3):
        cachestore.begin_run(tree)
    assert {p.name for p in stored.iterdir()} == {recent, latest}


def test_a_small_store_keeps_only_the_last_runs_records(tree, tmp_path, monkeypatch):
    """The records of what each run used decide only for the last runs: older
    ones go even while the store is small (else they pile up run after run)."""
    names = [_entry(label) for label in "abcd"]
    for label, name in zip("abcd", names):
        cachestore.begin_run(tree)
        monkeypatch.setattr(cachestore, "_RECORDED", set())  # a new run is a new process
        cachestore.keep(tree, built_copy(tmp_path, label, {f"handouts/{name}": b"x" * 8}))
    cachestore.begin_run(tree)
    seen = tree / cachestore.STORE / "seen"
    assert sorted(int(p.name.split("-")[0]) for p in seen.iterdir()) == [3, 4]
    assert {p.name for p in (tree / cachestore.STORE / "handouts").iterdir()} == set(names)  # small: all stay


def test_lent_entries_outlive_the_copys_first_build(tree, tmp_path, monkeypatch):
    """A copy built several times (other days, hostile examples): its first
    build must not prune what the store lent for the later ones."""
    from nongthonmoi import cachekeep

    monkeypatch.setattr(cachekeep, "_CURRENT", None)
    later = _entry("later build")
    cachestore.keep(tree, built_copy(tmp_path, "earlier run", {f"handouts/{later}": b"%PDF"}))
    copy = built_copy(tmp_path, "copy", {})
    cachestore.lend(tree, copy)
    folder = copy / ".cache" / "handouts"
    cachekeep.begin("build")
    cachekeep.claim(folder, [], r"[0-9a-f]{64}\.(?:pdf|json)")  # the first build uses none of it
    cachekeep.finished()
    cachekeep.end()
    assert (folder / later).read_bytes() == b"%PDF"


def test_old_runs_folders_are_deleted_beside_the_next_run_not_in_it(tmp_path):
    """What pytest deletes at a run's exit (all but the newest three runs'
    folders) is moved aside at once and deleted by a detached process; a
    folder whose run still holds its lock stays, and so do the newest three."""
    import os
    import time

    from conftest import retire_old_runs

    for number in range(1, 7):
        folder = tmp_path / f"pytest-{number}" / "a" / "b"
        folder.mkdir(parents=True)
        for i in range(50):
            (folder / f"f{i}").write_text("x")
    (tmp_path / "pytest-2" / ".lock").write_text("")  # a run still going
    (tmp_path / "pytest-current").symlink_to(tmp_path / "pytest-6")
    (tmp_path / "old-pytest-0-1").mkdir()  # left by a deletion that was stopped
    moved = retire_old_runs(tmp_path, keep=3)
    assert sorted(p.name for p in moved) == sorted(["old-pytest-0-1", *(f"old-pytest-{n}-{os.getpid()}" for n in (1, 3))])
    assert not (tmp_path / "pytest-1").exists()  # moved before the call returned
    deadline = time.monotonic() + 30
    while any(p.exists() for p in moved) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.exists() for p in moved)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pytest-2", "pytest-4", "pytest-5", "pytest-6", "pytest-current"]

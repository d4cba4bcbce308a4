"""Build caches of the scratch copies, kept from one test run to the next.

A scratch copy starts with the working tree's caches (conftest.copy_caches),
which hold what the real site uses. Most scratch builds make something the
real site never has (a build of another day, a planted plan, hostile text):
their handouts, workbooks, compressed files and offline entries were made
again on every run, about half of the suite's build time. Those entries are
keyed on content (the inputs and the code that makes them), so an entry made
by one run is right for any later run that asks for the same key:

- after a scratch build that succeeded, its entries are linked into
  ``.cache/tests/<folder>/`` of the working tree (:func:`keep`), never a
  product build's cache (cachekeep.py never sees this folder);
- a new copy gets them beside the working tree's own (:func:`lend`);
- the store stays bounded: when it has grown past :data:`MAX_BYTES`, the
  first process of a run forgets what no scratch build of the last
  :data:`RUNS_KEPT` runs made or used (:func:`begin_run`); a run counter,
  not the clock, says which runs those are.

Only immutable entries are kept: files written once under a name that is
their key (atomicfile.write_atomically), so a hard link never sees a change.
Nothing here decides whether an entry is right: the build's own keys do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from pathlib import Path

RUNS_KEPT = 2
MAX_BYTES = 256 * 1024 * 1024  # a full run keeps about 40 MB; each change of a template or of the code adds some
STORE = ".cache/tests"
_RECORDED: set[str] = set()  # names this process has written to its record of the run


def entries() -> dict[str, str]:
    """Folder of .cache/ -> the names of its immutable entries: each cache's
    own pattern (the one cachekeep.py prunes by). The test modules import
    these modules anyway."""
    from nongthonmoi import offline, precompress, templatecache
    from nongthonmoi.handouts import build as handouts
    from nongthonmoi.photos import variants
    from nongthonmoi.workbooks import site as workbooks

    return {
        "handouts": handouts.CACHE_ENTRIES, "bang-tinh": workbooks.CACHE_ENTRIES, "offline": offline.CACHE_ENTRIES,
        "compressed": precompress.CACHE_ENTRIES, "templates": templatecache.CACHE_ENTRIES, "anh/bien-the": variants.ENTRIES,
    }


def _patterns() -> dict[str, re.Pattern]:
    return {folder: re.compile(pattern) for folder, pattern in entries().items()}


def _store(root: Path) -> Path:
    return Path(root) / STORE


@contextlib.contextmanager
def _locked(store: Path):
    store.mkdir(parents=True, exist_ok=True)
    with open(store / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (a copy across file systems); FileNotFoundError if ``source`` is gone."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def _link(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s file at once (the store is shared by the workers)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.link")
    _link_or_copy(source, temporary)
    os.replace(temporary, target)


def _run(store: Path) -> int:
    try:
        return int((store / "run").read_text())
    except (OSError, ValueError):
        return 0


def begin_run(root: Path) -> None:
    """Called once per test run, before any copy: a new run number; when the
    store has grown past :data:`MAX_BYTES`, it keeps only what the scratch
    builds of the last :data:`RUNS_KEPT` runs that built made or used."""
    store = _store(root)
    with _locked(store):
        run = _run(store) + 1
        (store / "run").write_text(str(run))
        seen_dir = store / "seen"
        seen_dir.mkdir(exist_ok=True)
        # Only the last runs' records ever decide what stays: older ones go
        # at once, or a store that never grows large would keep them all.
        runs = sorted({int(record.name.split("-")[0]) for record in seen_dir.glob("*-*.txt")})[-RUNS_KEPT:]
        records = []
        for record in seen_dir.glob("*-*.txt"):
            if int(record.name.split("-")[0]) in runs:
                records.append(record)
            else:
                record.unlink()
        # Every file but the store's own records (read here by the first
        # process of a run, which need not import the caches' modules).
        sizes = _file_sizes(store)
        if sum(sizes.values()) <= MAX_BYTES:
            return
        kept: set[str] = set()
        for record in records:
            kept |= set(record.read_text(encoding="utf-8").split())
        for name in sizes.keys() - kept:
            (store / name).unlink(missing_ok=True)


def _file_sizes(store: Path) -> dict[str, int]:
    """Each stored file (its path in the store, as the records write it; not
    the store's own records) and its size: one system call a file (the store
    holds tens of thousands; this runs before any test, while every worker waits)."""
    sizes: dict[str, int] = {}
    folders = [entry.name for entry in os.scandir(store) if entry.is_dir(follow_symlinks=False) and entry.name != "seen"]
    while folders:
        folder = folders.pop()
        with os.scandir(store / folder) as listing:
            for entry in listing:
                name = f"{folder}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                elif entry.is_file(follow_symlinks=False):
                    sizes[name] = entry.stat(follow_symlinks=False).st_size
    return sizes


def lend(root: Path, target: Path, without: tuple[str, ...] = ()) -> None:
    """The stored entries into ``target``'s .cache/, beside those it has
    (not in the folders ``without`` names, which a test wants cold).

    They are claimed by the test process (cachekeep.claim outside a build:
    protected while the process runs), so the copy's first build does not
    prune what its later builds (another day, the next hostile example) are
    about to use."""
    from nongthonmoi import cachekeep

    store = _store(root)
    for folder, pattern in _patterns().items():
        if folder.split("/")[0] in without:
            continue
        source = store / folder
        if not source.is_dir():
            continue
        destination = target / ".cache" / folder
        destination.mkdir(parents=True, exist_ok=True)
        present = set(os.listdir(destination))
        lent = []
        for name in os.listdir(source):
            if name in present or not pattern.fullmatch(name):
                continue
            try:
                _link_or_copy(source / name, destination / name)
            except FileNotFoundError:
                continue  # forgotten meanwhile by another run: the build makes it
            lent.append(name)
        cachekeep.claim(destination, lent, pattern.pattern)


def keep(root: Path, copy: Path) -> None:
    """After a scratch build of ``copy`` that succeeded: its entries into the store."""
    store = _store(root)
    run, worker = _run(store), os.environ.get("PYTEST_XDIST_WORKER", "main")
    names = []
    for folder, pattern in _patterns().items():
        cache = copy / ".cache" / folder
        if not cache.is_dir():
            continue
        for name in os.listdir(cache):
            if not pattern.fullmatch(name):
                continue
            if f"{folder}/{name}" not in _RECORDED:
                names.append(f"{folder}/{name}")
            target = store / folder / name
            if not target.exists():
                try:
                    _link(cache / name, target)
                except OSError:
                    continue
    if names:
        _RECORDED.update(names)
        (store / "seen").mkdir(parents=True, exist_ok=True)
        with open(store / "seen" / f"{run}-{worker}.txt", "a", encoding="utf-8") as record:
            record.write("\n".join(names) + "\n")

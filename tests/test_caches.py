"""Caches that cannot bite (.cache/*).

Whatever the clock says and whatever dates the cache files carry, a build
keeps every cache entry it uses; only a build that succeeded prunes, and it
removes what no recent build uses (the caches stay bounded); a build that
failed removes nothing.

The end-to-end tests build a scratch copy of the repository with every cache
file dated far in the past or far in the future (``os.utime``) and with the
build's own clock moved a year ahead or behind. Moving the clock: a
``sitecustomize`` module, put on the build's ``PYTHONPATH`` by these tests
only, shifts ``time.time`` in the build and in the processes it forks, while
the kernel keeps stamping files with the real time, the disagreement a
machine with a wrong clock, a cache restored from another machine or
libfaketime produce.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import copy_repo, planted, run_mkdocs

DAY = 86400
FAR_PAST = 400 * DAY  # February 1971
FAR_FUTURE = 7258118400  # 1 January 2200

CLOCK_HOOK = textwrap.dedent(
    '''\
    """Test-only: moves this process's clock by NTM_TEST_CLOCK_SHIFT seconds."""
    import os
    import time

    _shift = float(os.environ.get("NTM_TEST_CLOCK_SHIFT") or 0)
    if _shift:
        _time, _time_ns = time.time, time.time_ns
        time.time = lambda: _time() + _shift
        time.time_ns = lambda: _time_ns() + int(_shift * 1e9)
    '''
)

# Every entry planted by these tests: no build uses them.
ORPHANS: set[str] = set()


def _dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _key(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def cache_files(root: Path) -> set[str]:
    """Every file under .cache/ but the caches' bookkeeping (.keep/, beside each folder)."""
    cache = root / ".cache"
    return {p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and ".keep" not in p.parts}


def plant_orphans(root: Path, label: str) -> set[str]:
    """Entries of every cache that no build uses, and leftovers of a build
    killed half-way (a temporary file of a process that is gone)."""
    cache = root / ".cache"
    dead = _dead_pid()
    key = lambda kind: _key(f"{label} {kind}")  # noqa: E731
    made = {
        f"handouts/{key('pdf')}.pdf": b"%PDF-1.7 orphan",
        f"handouts/{key('pdf')}.json": b'{"pages": 1, "size": 15}',
        f"bang-tinh/{key('xlsx')}.xlsx": b"PK orphan",
        f"bang-tinh/.{key('tmp')}.xlsx.{dead}.tmp": b"half a workbook",
        f"offline/{key('z')}.z": b"orphan",
        f"materials/files-{key('materials')[:32]}.pickle": b"orphan",
        f"checks/pages/files-{key('pages')[:32]}.pickle": b"orphan",
        f"checks/data/files-{key('data')[:32]}.pickle": b"orphan",
        "generated/files/lich/xa-khong-con.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        f"generated/pages/.pages.pack.{dead}.tmp": b"ntm-pages 1\n",
        f"templates/{key('template')}.bin": b"orphan",
    }
    for rel, data in made.items():
        (cache / rel).parent.mkdir(parents=True, exist_ok=True)
        (cache / rel).write_bytes(data)
    ORPHANS.update(made)
    return set(made)


def date_every_cache_file(root: Path) -> None:
    """Half the files from 1971, half from 2200: the clock cannot tell which are in use."""
    for index, rel in enumerate(sorted(cache_files(root))):
        stamp = FAR_PAST if index % 2 else FAR_FUTURE
        os.utime(root / ".cache" / rel, (stamp, stamp))


def build(root: Path, clock_shift: float, tmp_path: Path) -> subprocess.CompletedProcess:
    hook = tmp_path / "dong-ho"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(CLOCK_HOOK, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    env = {"PYTHONPATH": path, "NTM_TEST_CLOCK_SHIFT": str(clock_shift)}
    return run_mkdocs(root, root / "site", env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A scratch copy with a good build done: its caches hold what a build of it uses."""
    root = copy_repo(tmp_path_factory.mktemp("caches") / "repo", borrow=False)
    assert not list((root / ".cache").rglob(".keep"))  # bookkeeping is not copied with a cache folder
    result = run_mkdocs(root, root / "site")
    assert result.returncode == 0, result.stderr
    return root


def test_the_hook_moves_the_clock_of_the_build(tmp_path):
    hook = tmp_path / "dong-ho"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(CLOCK_HOOK, encoding="utf-8")
    shifted = subprocess.run(
        [sys.executable, "-c", "import time; print(int(time.time()))"],
        env={**os.environ, "PYTHONPATH": str(hook), "NTM_TEST_CLOCK_SHIFT": str(366 * DAY)},
        capture_output=True, text=True, check=True,
    )
    assert int(shifted.stdout) - time.time() > 365 * DAY


@pytest.mark.slow
@pytest.mark.parametrize("clock_shift", [366 * DAY, -366 * DAY], ids=["clock-a-year-ahead", "clock-a-year-behind"])
def test_a_build_keeps_what_it_uses_and_prunes_what_no_build_uses(repo, tmp_path, clock_shift):
    used = cache_files(repo) - ORPHANS
    orphans = plant_orphans(repo, f"success {clock_shift}")
    date_every_cache_file(repo)

    result = build(repo, clock_shift, tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    after = cache_files(repo)
    assert not used - after, f"entries the build used were removed: {sorted(used - after)[:10]}"
    assert not after & orphans, f"entries no build uses were kept: {sorted(after & orphans)}"
    # The build is complete: every workbook and PDF of the site is a cache entry, byte for byte.
    entries = {p.read_bytes() for folder in ("bang-tinh", "handouts") for p in (repo / ".cache" / folder).iterdir()
               if p.suffix in (".xlsx", ".pdf")}
    books = [*(repo / "site" / "bang-tinh").glob("*.xlsx"), *(repo / "site" / "tai-lieu-in").glob("*.pdf")]
    assert len(books) > 20
    assert all(book.read_bytes() in entries for book in books)


@pytest.mark.slow
def test_a_failed_build_prunes_nothing(repo, tmp_path):
    orphans = plant_orphans(repo, "failure")
    date_every_cache_file(repo)
    before = cache_files(repo)
    site_before = {p.relative_to(repo / "site") for p in (repo / "site").rglob("*")}
    page = repo / "docs" / "index.md"
    broken = page.read_text(encoding="utf-8") + "\n[Trang không có](khong-co-trang-nay.md)\n"

    with planted(page, broken):
        result = build(repo, 366 * DAY, tmp_path)

    assert result.returncode != 0
    assert "[P002]" in result.stderr
    assert "Traceback" not in result.stderr
    after = cache_files(repo)
    assert not before - after, f"a failed build removed cache files: {sorted(before - after)[:10]}"
    assert orphans <= after
    assert {p.relative_to(repo / "site") for p in (repo / "site").rglob("*")} == site_before


# --- cachekeep.py on its own: claims, kinds of build, no clock ----------------

ENTRIES = r"[0-9a-f]{64}\.bin"


def _entries(folder: Path, *labels: str) -> list[str]:
    names = [f"{_key(label)}.bin" for label in labels]
    for name in names:
        (folder / name).write_bytes(b"x")
    return names


def _present(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def keep(monkeypatch):
    """cachekeep with no build of this process open, and no clock to read."""
    from nongthonmoi import cachekeep

    def no_clock(*args):
        raise AssertionError("cachekeep read the clock")

    monkeypatch.setattr(cachekeep, "_CURRENT", None)
    monkeypatch.setattr(time, "time", no_clock)
    monkeypatch.setattr(time, "time_ns", no_clock)
    return cachekeep


def _build(keep, kind: str, folder: Path, names: list[str], *, succeeded: bool = True) -> None:
    """A build that uses ``names``, making those missing."""
    keep.begin(kind)
    keep.claim(folder, names, ENTRIES)
    for name in names:
        if not (folder / name).exists():
            (folder / name).write_bytes(b"made")
    if succeeded:
        keep.finished()
    keep.end()


def test_a_successful_build_keeps_what_the_last_build_of_each_kind_used(keep, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    preview, release, old, orphan = (_entries(folder, label) for label in ("preview", "release", "old", "orphan"))
    for index, path in enumerate(sorted(folder.iterdir())):  # the dates mean nothing
        os.utime(path, (FAR_PAST, FAR_PAST) if index % 2 else (FAR_FUTURE, FAR_FUTURE))
    _build(keep, "serve http://127.0.0.1:8000/ folders", folder, preview)
    assert _present(folder) == set(preview)
    _build(keep, "build https://example.org/ folders", folder, old)
    _build(keep, "build https://example.org/ folders", folder, release)
    # The preview's entries stay: a release build does not evict another kind of build.
    assert _present(folder) == {*preview, *release}
    # Only KEEP_KINDS kinds are kept: the oldest kind goes.
    for number in range(keep.KEEP_KINDS):
        _build(keep, f"build https://example.org/{number}/ folders", folder, release)
    assert _present(folder) == set(release)
    assert orphan[0] not in _present(folder)


def test_a_failed_build_only_drops_its_claim(keep, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    used = _entries(folder, "used")
    other = _entries(folder, "other")
    _build(keep, "build", folder, used + other)
    _build(keep, "build", folder, used, succeeded=False)
    assert _present(folder) == {*used, *other}
    assert not list((folder.parent / ".keep" / folder.name / "claims").iterdir())
    _build(keep, "build", folder, used)
    assert _present(folder) == set(used)


RUNNING_BUILD = textwrap.dedent(
    """\
    import sys
    from pathlib import Path
    from nongthonmoi import cachekeep

    cachekeep.begin("build elsewhere")
    cachekeep.claim(Path(sys.argv[1]), sys.argv[2:], r"[0-9a-f]{64}\\.bin")
    print("claimed", flush=True)
    sys.stdin.read()  # runs until the test closes its input; never settles
    """
)


def test_entries_a_running_build_claimed_stay_until_it_is_gone(keep, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    theirs = _entries(folder, "theirs")
    ours = _entries(folder, "ours")
    other = subprocess.Popen(
        [sys.executable, "-c", RUNNING_BUILD, str(folder), *theirs],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert other.stdout.readline().strip() == "claimed"
        _build(keep, "build", folder, ours)
        assert _present(folder) == {*theirs, *ours}  # claimed by a build still running
    finally:
        other.stdin.close()
        other.wait()
    _build(keep, "build", folder, ours)  # the other build was killed before it settled
    assert _present(folder) == set(ours)
    assert not list((folder.parent / ".keep" / folder.name / "claims").iterdir())


def test_temporary_files_of_processes_that_are_gone_are_removed(keep, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    ours = _entries(folder, "ours")
    dead, alive = _dead_pid(), os.getpid()
    for name in (f".{ours[0]}.{dead}.tmp", f".{ours[0]}.{alive}.tmp", f".pages.pack.{dead}.tmp"):
        (folder / name).write_bytes(b"half")
    _build(keep, "build", folder, ours)
    assert _present(folder) == {*ours, f".{ours[0]}.{alive}.tmp"}


def test_claims_outside_a_build_protect_and_never_prune(keep, tmp_path):
    """ntm check, or a builder used on its own: its entries are safe while it runs."""
    folder = tmp_path / "cache"
    folder.mkdir()
    mine = _entries(folder, "mine")
    other = _entries(folder, "other")
    keep.claim(folder, mine, ENTRIES)
    _build(keep, "build", folder, [])
    assert _present(folder) == set(mine)
    assert other[0] not in _present(folder)


@pytest.mark.slow
def test_serve_pages_no_longer_generated_go_after_the_build(keep, tmp_path):
    """A plan deleted or renamed: its page leaves .cache/generated/pages/ once
    a build has succeeded (only .md pages; other files there are not pages)."""
    from nongthonmoi.saturday import site as saturday_site

    pages = tmp_path / "pages"
    for name in ("xa/gung-re/2023-03-04.md", "xa/gung-re/2023-03-11.md", "xa/index.md", ".fingerprints.json"):
        (pages / name).parent.mkdir(parents=True, exist_ok=True)
        (pages / name).write_text("x", encoding="utf-8")
    keep.begin("serve")
    keep.claim(pages, ["xa/gung-re/2023-03-04.md", "xa/index.md"], saturday_site.PAGE_ENTRIES)
    left = sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*") if p.is_file())
    assert "xa/gung-re/2023-03-11.md" in left  # not during the build
    keep.finished()
    keep.end()
    left = sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*") if p.is_file())
    assert left == [".fingerprints.json", "xa/gung-re/2023-03-04.md", "xa/index.md"]


@pytest.mark.slow
def test_an_interrupted_build_keeps_the_previous_site(tmp_path):
    """Ctrl+C is no error for the engine (on_build_error is not called), but
    on_shutdown must not publish a build that did not get to its end."""
    from nongthonmoi.plugin import NongThonMoiPlugin
    from nongthonmoi.staging import StagedSite

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    plugin = NongThonMoiPlugin()
    plugin.site = StagedSite(site)
    staging = plugin.site.begin()
    (staging / "index.html").write_text("half", encoding="utf-8")
    plugin.on_shutdown()
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert not staging.exists()


def test_ci_keeps_the_caches_the_build_writes(site):
    """CI restores .cache/ folders by name: a name the build does not write
    (the workbooks' cache was once listed as .cache/workbooks) keeps nothing."""
    import yaml

    from conftest import ROOT

    written = {p.relative_to(ROOT).as_posix() for p in (ROOT / ".cache").iterdir() if p.is_dir()}
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    listed = {
        line.strip()
        for job in workflow["jobs"].values() for step in job.get("steps", [])
        if "actions/cache" in step.get("uses", "") for line in step["with"]["path"].splitlines()
    }
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    listed |= set(gitlab["cache"]["paths"])
    ours = {path for path in listed if path.startswith(".cache/")} - {".cache/pip", ".cache/npm"}
    assert {".cache/handouts", ".cache/bang-tinh"} <= ours
    assert ours <= written, f"CI keeps folders no build writes: {sorted(ours - written)}"

"""Shared fixtures: the real site built once per test run, and a scratch
copy of the repository for tests that plant bad content.

The suite runs on several processes (pytest-xdist, ``-n`` in pyproject.toml).
What is safe to share is shared between them: the real site is built once for
the whole run (the first worker builds it, the others wait and read it);
builds of the working tree itself take turns (``ROOT_BUILD_LOCK``), since
they write the same caches. Everything a test changes lives in its own
temporary folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cachestore
import forked_commands

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def exclusive(lock_file: Path):
    """Held by one test process at a time (an advisory lock on ``lock_file``)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pin_the_run_s_day() -> None:
    """One build day for the whole run: a run that crosses midnight in Vietnam
    would otherwise build "today" twice, and the same-day tests compare builds
    of two days. Set once, before the workers start (they inherit it); a
    day set by whoever runs the suite is kept."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("NTM_TODAY"):
        return
    from nongthonmoi.buildday import build_day

    os.environ["NTM_TODAY"] = build_day().isoformat()


_pin_the_run_s_day()

# Builds of the working tree write its .cache/: one at a time across workers.
ROOT_BUILD_LOCK = ROOT / ".cache" / "tests-build.lock"


def run_mkdocs(root: Path, site_dir: Path, *extra: str, env: dict | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of ``root`` into ``site_dir`` (forked_commands.py:
    forked from a process that has imported MkDocs; in a new process when
    ``fresh``, for tests that compare the bytes of two builds)."""
    scratch = Path(root).resolve() != ROOT
    with contextlib.nullcontext() if scratch else exclusive(ROOT_BUILD_LOCK):
        result = forked_commands.run(
            "mkdocs", ["build", "--strict", "-d", str(site_dir), *extra], cwd=root, env={**os.environ, **(env or {})}, fresh=fresh
        )
    if scratch and result.returncode == 0:
        cachestore.keep(ROOT, Path(root))  # for the next run's copies (cachestore.py)
    return result


def run_ntm(root: Path, *args: str) -> subprocess.CompletedProcess:
    return forked_commands.run("ntm", list(args), cwd=root)


def run_wide_folder(tmp_path_factory) -> Path:
    """A folder shared by every worker of this test run (its own, without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


_RUN_FOLDER: list[Path] = []  # run_wide_folder, once the session has started


def pytest_sessionstart(session):
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # once per run, before any worker copies
        cachestore.begin_run(ROOT)


def retire_old_runs(root: Path, keep: int) -> list[Path]:
    """The folders of earlier runs that pytest deletes at exit (all but the
    newest ``keep``), moved aside and deleted by a detached process at the
    lowest CPU priority (and the idle I/O class, where the disk's scheduler
    has one). A whole run leaves some 200,000 files: deleting them held a
    later run up to 20 s after its last test. A folder with a lock (a run
    still going) is left alone, as pytest does."""
    runs = {int(m.group(1)): p for p in root.iterdir() if (m := re.fullmatch(r"pytest-(\d+)", p.name)) and not p.is_symlink()}
    moved = []
    for number, path in sorted(runs.items()):
        if number <= max(runs) - keep and not (path / ".lock").exists():
            with contextlib.suppress(OSError):
                moved.append(path.rename(root / f"old-{path.name}-{os.getpid()}"))
    moved += [p for p in root.glob("old-pytest-*") if p not in moved]  # an interrupted deletion's
    if moved:
        nice = ["nice", "-n", "19", *(["ionice", "-c", "3"] if shutil.which("ionice") else [])]
        subprocess.Popen([*nice, "rm", "-rf", "--", *map(str, moved)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return moved


def pytest_unconfigure(config):
    factory = getattr(config, "_tmp_path_factory", None)
    basetemp = getattr(factory, "_basetemp", None)
    if os.environ.get("PYTEST_XDIST_WORKER") or config.option.basetemp or basetemp is None:
        return  # a worker's folder is inside the run's; a given --basetemp is not numbered
    retire_old_runs(Path(basetemp).parent, int(config.getini("tmp_path_retention_count")))


@pytest.fixture(scope="session", autouse=True)
def _run_folder(tmp_path_factory):
    _RUN_FOLDER[:] = [run_wide_folder(tmp_path_factory)]


def real_site() -> Path:
    """The real site of the working tree, built once for the whole run (the
    first worker to ask builds it, the others wait for it)."""
    shared = _RUN_FOLDER[0] / "real-site"
    out, done = shared / "site", shared / "built"
    with exclusive(shared / "lock"):
        if not done.exists():
            result = run_mkdocs(ROOT, out)
            assert result.returncode == 0, result.stderr
            done.touch()
    return out


@pytest.fixture(scope="session")
def site() -> Path:
    """The real site, built from the working tree with `mkdocs build --strict`.
    Tests only read it."""
    return real_site()


@pytest.fixture(autouse=True)
def _nothing_left_beside_the_build():
    """Work a test queued beside an in-process build (background.py) but never
    launched must not run in the next test of the same process."""
    yield
    background = sys.modules.get("nongthonmoi.background")
    if background is not None:
        background.cancel_all()


def copy_repo(target: Path, *, warm: bool = True, without_caches: tuple[str, ...] = (), borrow: bool = True) -> Path:
    """A copy of the sources (with git history) that a test may break.

    The build caches come along (handouts, workbooks, generated pages,
    compressed files, the offline copy's entries, data and check results:
    all keyed on content, so a copy never serves a stale file): a scratch
    build makes only what its test changed, in a second or two instead of
    twenty: ``warm`` builds the real site first, which fills them (a test
    that never builds its copy passes ``warm=False``: no caches). Copied while no build
    of the working tree writes them; ``without_caches`` names folders of
    .cache/ a test wants cold; ``borrow=False``: without what earlier runs'
    scratch builds made (cachestore.py), for a test of the caches themselves.
    """
    if warm:
        real_site()
    ignore = shutil.ignore_patterns(
        ".venv", "site", ".site.*", ".cache", "__pycache__", ".pytest_cache", "node_modules"
    )
    objects = ROOT / ".git" / "objects"

    def skip(folder: str, names: list[str]) -> set[str]:
        if Path(folder) == objects:
            return set(names)  # borrowed below, not copied
        return ignore(folder, names)

    shutil.copytree(ROOT, target, ignore=skip, symlinks=True)
    if objects.is_dir():
        # The history is read from the working tree's own object store (what
        # `git clone --shared` does): a checkout's loose objects are
        # thousands of files, and copying them was most of a copy's time.
        # Commits made in the copy go to the copy's store.
        for folder in ("info", "pack"):
            (target / ".git" / "objects" / folder).mkdir(parents=True, exist_ok=True)
        borrowed = [str(objects)]
        if (objects / "info" / "alternates").is_file():
            borrowed += (objects / "info" / "alternates").read_text().split()
        (target / ".git" / "objects" / "info" / "alternates").write_text("\n".join(borrowed) + "\n")
    # The npm packages (the web editor) are read, never changed: share them.
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    if warm:
        copy_caches(target, without_caches, borrow=borrow)
    return target


def copy_caches(target: Path, without_caches: tuple[str, ...] = (), *, borrow: bool = True) -> None:
    """The working tree's build caches into another checkout (what CI's
    cache restore does), and what scratch builds of earlier runs made
    (cachestore.py); call after ``real_site()``."""
    caches = ROOT / ".cache"
    if not caches.is_dir():
        return
    with exclusive(ROOT_BUILD_LOCK):
        for folder in sorted(caches.iterdir()):
            # .keep (at any depth): which builds of the working tree used what (cachekeep.py).
            if folder.is_dir() and folder.name not in (".keep", Path(cachestore.STORE).name, *without_caches):
                shutil.copytree(folder, target / ".cache" / folder.name, ignore=shutil.ignore_patterns("*.tmp", ".keep"), dirs_exist_ok=True)
    if borrow:
        cachestore.lend(ROOT, target, without_caches)


@pytest.fixture
def scratch(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory, site) -> Path:
    """One scratch copy with a good site/ built, shared by the tests that
    plant a mistake, build again and check that site/ stayed as it was.
    Each test puts back what it changed (``planted``). ``site`` first: the
    real build warms the caches the copy takes along."""
    root = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    result = run_mkdocs(root, root / "site")
    assert result.returncode == 0, result.stderr
    return root


@contextlib.contextmanager
def planted(path: Path, text: str):
    """``path`` holds ``text`` inside the block, its old content (or nothing) after."""
    old = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        yield path
    finally:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(old)


def tree_snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- Browser tests (issue 6): the built site served on 127.0.0.1, real Chromium.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def serve_folder(folder: Path, headers=None, types: dict[str, str] | None = None):
    """An HTTP server for ``folder`` on 127.0.0.1 (free port), in a daemon thread.
    ``headers``: a function of the request's path giving the (name, value)
    pairs to add (a host's headers); ``types``: content types by suffix, over
    Python's. Unless ``headers`` says otherwise, every answer is ``no-cache``:
    a browser profile that outlives a test (:class:`EditorTabs`) checks each
    file with the server, however alike two tests' addresses are."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **(types or {})}

        def end_headers(self):
            added = list(headers(self.path)) if headers else []
            if not any(name.lower() == "cache-control" for name, _ in added):
                added.append(("Cache-Control", "no-cache"))
            for name, value in added:
                self.send_header(name, value)
            super().end_headers()

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
def playwright():
    """Playwright's driver, one per test process."""
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: bash scripts/run test installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(playwright):
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Tab:
    """One tab of ``context``, reused by tests that only read pages.

    Chromium starts a renderer for every new tab (about 1 s of CPU); a page
    opened in a tab that is already there costs a fifth of that. Each
    ``open`` starts clean: the site's storage emptied, a blank document in
    between (so nothing of the last page's script survives, even for the
    same address), the viewport as asked. A test that listens to the page's
    events or closes it opens its own tab instead.
    """

    def __init__(self, context, viewport: dict | None = None):
        self.context, self.viewport, self.page = context, viewport, None

    def open(self, url: str, *, viewport: dict | None = None, wait_until: str = "load"):
        if self.page is None or self.page.is_closed():
            self.page = self.context.new_page()
        page = self.page
        if page.url.startswith(("http:", "https:", "file:")):
            page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
        page.goto("about:blank")
        if viewport or self.viewport:
            page.set_viewport_size(viewport or self.viewport)
        page.goto(url, wait_until=wait_until)
        return page


DESKTOP = {"width": 1280, "height": 720}  # Playwright's default viewport


@pytest.fixture(scope="session")
def reader_tab(chromium):
    """A reused tab (:class:`Tab`) of a plain context: desktop size unless asked."""
    context = chromium.new_context()
    yield Tab(context, DESKTOP)
    context.close()


class EditorTabs:
    """Pages of one browser profile, opened and closed by the editor's tests
    in turn.

    Compiling Decap's 5 MB script is the largest part of an editor test:
    about 2.8 s of CPU a page in a context without a disk. The profile here
    is on disk (a folder of this test process), so Chromium keeps V8's
    compiled code beside its HTTP cache and a page after the second opens
    Decap for about 1.3 s (measured with process accounting, 7 openings).
    Nothing else carries over: each page has its own size and start-up
    script, and closing it clears what the sites it visited kept (storage,
    databases, cookies: Decap keeps the login and unsaved entries there);
    the servers send the editor's files with ``no-cache``, so a cached file
    is always checked against the server first.
    """

    def __init__(self, context):
        self.context = context
        self._visited: dict = {}

    def open(self, viewport: dict, init_script: str | None = None):
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        if init_script:
            page.add_init_script(init_script)
        origins = self._visited[page] = set()
        page.on("framenavigated", lambda frame: origins.add(_origin(frame.url)) if frame.parent_frame is None else None)
        return page

    def close(self, page) -> None:
        origins = self._visited.pop(page, set()) | {_origin(page.url)}
        if not page.is_closed():
            session = self.context.new_cdp_session(page)
            for origin in sorted(o for o in origins if o.startswith("http")):
                session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            session.detach()
            page.close()
        self.context.clear_cookies()


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def editor_tabs(playwright, tmp_path_factory):
    """:class:`EditorTabs` of a Vietnamese-language profile."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("editor-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="vi-VN",
    )
    yield EditorTabs(context)
    context.close()


# --- LibreOffice (issue 10): a real office suite reads the workbooks back.

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is missing (Debian libreoffice-calc-nogui; bash scripts/run test installs it)"
)
# CSV export: separator, quote, UTF-8, -, -, -, quote text, detect numbers,
# cells as shown (formatted), no formulas, keep spaces, every sheet (-1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):{sep},34,76,1,,0,false,true,true,false,false,-1"


def libreoffice(files: list[Path], out_dir: Path, target: str, locale: str = "en-US", profile: Path | None = None) -> list[Path]:
    """Convert ``files`` with headless LibreOffice in one process.

    Each call gets its own user profile (engineers and CI jobs share the
    machine), with ``locale`` as LibreOffice's regional setting.
    """
    profile = profile or out_dir / f".lo-profile-{locale}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        f"<value>{locale}</value></prop></item></oor:items>\n",
        encoding="utf-8",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(out_dir), *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return sorted(p for p in out_dir.iterdir() if p.is_file())


def pytest_xdist_auto_num_workers(config):
    """Two workers per core: most of a slow test's time is spent waiting for a
    build, Chromium or LibreOffice in another process (measured on 2 cores,
    the whole suite: 3 workers 337 s, 4 workers 303-315 s, 6 workers 373 s
    with a sixth more CPU spent in contention). The fast tests
    (``-m "not slow"``) compute in the worker itself: one worker per core
    (measured on 2 cores: 30-34 s with 2 workers, 36-66 s with 4, each
    worker collecting every test first)."""
    cores = os.cpu_count() or 1
    if re.search(r"\bnot\s+slow\b", config.getoption("markexpr", "") or ""):
        return cores
    return 2 * cores


# Fixtures that are costly to make and made once per worker: a test that uses
# one runs on the worker that holds it (the others would make it again).
# Module- and class-scoped fixtures are taken as costly (a build, a Chromium
# run, a set of rendered handouts) unless listed as cheap here (a few file
# reads: each worker making its own costs less than waiting for one); of the
# session fixtures, only the per-worker scratch build.
CHEAP_SHARED_FIXTURES = {
    "pdfs", "unpacked", "axe", "phone", "data", "warm_caches", "scratch_repo", "builder", "blank_books", "shared_repo",
    "refusing",
}
PER_WORKER_SESSION_FIXTURES = {"built_repo"}
# A test that needs one of these (or a costly fixture) is end to end: marked
# ``slow`` by itself; tests that build or drive a browser in their own body
# carry the mark in their module.
SLOW_FIXTURES = {"site", "served", "playwright", "chromium", "built_repo", "scratch"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """``--dist loadgroup``: tests that share a costly fixture form one group
    (``xdist_group``); the other tests go to whichever worker is free. Tests
    that need a built site, a browser or a costly fixture are ``slow``."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    costly_of = {}
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        keys = []
        for name, defs in (info.name2fixturedefs.items() if info else ()):
            fixture = defs[-1]
            shared = fixture.scope in ("module", "class", "package") and name not in CHEAP_SHARED_FIXTURES
            if shared or name in PER_WORKER_SESSION_FIXTURES:
                keys.append(f"{fixture.baseid or 'conftest'}::{name}")
        costly_of[item] = keys
        if keys or SLOW_FIXTURES.intersection(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
    for item, keys in costly_of.items():
        if keys and not item.get_closest_marker("xdist_group"):  # a module may split its tests into groups itself
            item.add_marker(pytest.mark.xdist_group(find(keys[0])))


def pytest_collection_finish(session):
    """Grouping must really happen: pytest 9.2's structured node ids made
    pytest-xdist 3.8 drop the groups without a word (pytest-xdist#1386), and
    every worker then built what a group shares. Fail loudly instead."""
    config = session.config
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in session.items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(
            f"--dist loadgroup did not group {len(lost)} tests (first: {lost[0]}): this pytest and pytest-xdist "
            "do not work together (pytest-xdist#1386); install the versions of requirements.lock."
        )


def pytest_configure(config):
    """The same check before any worker starts, where its message shows."""
    if config.getoption("dist", "no") != "loadgroup" or not config.getoption("numprocesses", None):
        return
    from importlib.metadata import version

    pytest_version = tuple(int(p) for p in version("pytest").split(".")[:2])
    xdist_version = tuple(int(p) for p in version("pytest-xdist").split(".")[:2])
    if pytest_version >= (9, 2) and xdist_version <= (3, 8):
        raise pytest.UsageError(
            f"pytest {version('pytest')} with pytest-xdist {version('pytest-xdist')}: --dist loadgroup would not group "
            "(pytest-xdist#1386); install the versions of requirements.lock (bash scripts/run test does)."
        )



def pytest_make_parametrize_id(config, val, argname):
    """A long text or bytes parameter gets a short id: pytest would put the
    whole value (a 41 MB file, a 1.8 MB table) into the test's id, printed
    and sent between the workers with every report."""
    if isinstance(val, (str, bytes)) and len(val) > 60:
        digest = hashlib.sha1(val if isinstance(val, bytes) else val.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        return f"{argname}-{len(val)}-{digest}"
    return None

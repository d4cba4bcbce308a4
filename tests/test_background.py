"""Work beside the build (background.py): done before MkDocs copies files,
failures stop the build with their message, nothing forked where threads run."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from nongthonmoi import background
from nongthonmoi.errors import ContentError, ContentErrors


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def single_threaded(monkeypatch):
    """As in `mkdocs build`; the test session may run a server thread for other tests."""
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)


def test_work_runs_in_another_process_and_is_done_when_waited_for(tmp_path, single_threaded):
    target = tmp_path / "made.txt"
    background.start("thu", lambda: _write(target, str(os.getpid())))
    assert len(background._PENDING) == 1  # queued, not done in place
    background.launch()
    background.wait_all()
    assert background._PENDING == []
    assert target.read_text(encoding="utf-8") != str(os.getpid())


def test_a_failure_stops_the_build_with_its_message(tmp_path, single_threaded):
    def broken():
        raise ContentErrors([ContentError("materials/x.yml", 3, "Không đọc được tệp.", "Sửa tệp.")])

    background.start("thu", broken)
    background.start("thu-2", lambda: _write(tmp_path / "ok.txt", "ok"))
    with pytest.raises(background.BackgroundError, match="Không đọc được tệp"):
        background.wait_all()
    # The other job still finished, and nothing is left waiting.
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8") == "ok"
    assert background._PENDING == []


def test_a_crash_is_reported_not_hidden(single_threaded):
    background.start("thu", lambda: os._exit(3))
    with pytest.raises(background.BackgroundError, match="dừng giữa chừng"):
        background.wait_all()


def test_no_fork_where_other_threads_run(tmp_path):
    """mkdocs serve runs a web server thread: the work runs in place there."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        target = tmp_path / "made.txt"
        background.start("thu", lambda: _write(target, str(os.getpid())))
        assert background._PENDING == []
        assert target.read_text(encoding="utf-8") == str(os.getpid())
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("threads", [1, 2])
def test_handouts_and_photo_variants_fork_only_where_it_is_safe(monkeypatch, threads):
    """`ntm edit` rebuilds beside its web server's threads: a fork there can
    copy a lock another thread holds, and the child, then the rebuild and the
    editor's save, wait forever. Several handouts or photos are made in place
    there, in a pool of forked processes where the process has one thread."""
    from nongthonmoi.handouts import build as handouts_build
    from nongthonmoi.photos import variants

    pools = []

    class Pool:
        def __init__(self, *args, **kwargs):
            pools.append(kwargs.get("mp_context"))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, function, tasks, **kwargs):
            return [function(task) for task in tasks]

    monkeypatch.setattr(background.threading, "active_count", lambda: threads)
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Pool)
    monkeypatch.setattr(handouts_build, "_run", lambda task: [(task, b"", 1, 0.0)])
    monkeypatch.setattr(variants, "_make", lambda task: None)
    builder = handouts_build.HandoutBuilder.__new__(handouts_build.HandoutBuilder)
    builder.workers = 2
    assert set(builder._render_all(["a", "b"])) == {"a", "b"}
    store = variants.VariantStore.__new__(variants.VariantStore)
    store.folder = Path("variants")
    assert store.make([(Path("a.jpg"), []), (Path("b.jpg"), [])], workers=2) == 2
    if threads == 1:
        assert len(pools) == 2 and all(p is not None and p.get_start_method() == "fork" for p in pools)
    else:
        assert pools == []


# A build of the real sources with the Saturday pages streamed from the other
# core (saturday/site.py), as in a district-size first build: the real site
# has too few pages to stream them by itself (STREAM_FROM).
_STREAMED_BUILD = r"""
import sys, time
from nongthonmoi import background
from nongthonmoi.saturday import site as saturday_site

saturday_site.STREAM_FROM = 1
streamed = []
original = background.stream


def stream(name, work):
    def late(done):
        if sys.argv[3] == "late":
            time.sleep(4)  # the build reaches the pages first and makes them itself
        work(done)

    streamed.append(name)
    return original(name, late)


background.stream = stream
from mkdocs.config import load_config
from mkdocs.commands.build import build

config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=True)
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
assert streamed == ["trang-thu-bay"], streamed
"""


@pytest.mark.parametrize("child", ["early", "late"])
def test_streamed_pages_give_the_same_site(tmp_path, site, child):
    import subprocess
    import sys

    from conftest import copy_repo, tree_snapshot

    root = copy_repo(tmp_path / "repo", without_caches=("generated",))  # every page is made
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-c", _STREAMED_BUILD, str(root / "mkdocs.yml"), str(out), child],
        cwd=root, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    expected, got = tree_snapshot(site), tree_snapshot(out)
    assert expected.keys() == got.keys()
    assert [str(k) for k in expected if expected[k] != got[k]] == []


def test_work_of_a_failed_build_is_stopped(single_threaded):
    """on_build_error stops what runs beside the build instead of waiting for it."""
    import time

    background.start("thu", lambda: time.sleep(60))
    background.launch()
    job = background._PENDING[0]
    started = time.monotonic()
    background.cancel_all()
    assert time.monotonic() - started < 10
    assert background._PENDING == []
    assert not job._process.is_alive()

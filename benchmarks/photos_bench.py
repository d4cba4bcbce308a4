"""Benchmark of the photos at district scale (not a test).

    .venv/bin/python -m benchmarks.photos_bench [--years 1] [--keep]

The synthetic district of ``benchmarks.bench`` with three photos on every
result (19 communes, 52 Saturdays a year: 2,964 photos a year), drawn
placeholders grained so that each weighs what a phone photo weighs once
normalised, and twelve on one commune's last Saturday. Prints:

- the check of the photos (``ntm check``), cold (no ``.cache/``) and warm;
- the image processing (every variant of every photo, and the bulletins'
  grey pictures) on the machine's cores, cold and warm;
- a release build (site, handouts, offline zip) cold and warm;
- sizes: the stored photos (what the repository's LFS store grows by a
  year), the variants on the site, the offline zip with and without photos;
- the git repository's growth for a year of photos, with Git LFS (pointers in
  the history, pictures in the LFS store) and without (pictures in the history);
- bytes a 360-px phone downloads before scrolling: the commune's Saturday
  page with 12 photos, the Saturday's gallery, the home page (gzip for
  text, as a web server sends it), in Chromium, with and without a slow
  connection (Chromium loads lazy pictures from further away on slow lines).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench import FULL_PAGE, build, load, make_project, mib, reference_day, set_reference_day, write_corpus

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"

_PROCESS = r"""
import sys, time
from pathlib import Path
from nongthonmoi.materials import load_materials
from nongthonmoi.photos.site import PhotoSite
root = Path(sys.argv[1])
materials = load_materials(root)
start = time.perf_counter()
site = PhotoSite(root, materials.photos, materials.saturday.units)
planned = time.perf_counter() - start
site.make_missing()
print(len(materials.photos.published), len(site.missing), round(planned, 2), round(time.perf_counter() - start, 2))
"""


def timed_run(args: list[str], cwd: Path) -> tuple[float, str]:
    os.sync()
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return seconds, done.stdout


def folder_bytes(folder: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in folder.rglob(pattern) if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def git_growth(root: Path, base: Path, lfs: bool) -> tuple[int, int]:
    """(bytes of the git objects, bytes of the LFS store) of a repository of
    ``root``'s materials committed without photos, then with them."""
    repo = base / ("git-lfs" if lfs else "git-plain")
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@b", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    if lfs:
        git("lfs", "install", "--local")
        (repo / ".gitattributes").write_text((REPO / ".gitattributes").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(root / "materials", repo / "materials", ignore=shutil.ignore_patterns("anh"))
    git("add", "-A")
    git("commit", "-q", "-m", "data")
    git("gc", "-q", "--aggressive")
    before = _git_objects(repo)
    shutil.copytree(root / "materials" / "anh", repo / "materials" / "anh")
    git("add", "-A")
    git("commit", "-q", "-m", "photos")
    git("gc", "-q")
    after = _git_objects(repo)
    store = folder_bytes(repo / ".git" / "lfs" / "objects")[1] if lfs else 0
    return after - before, store


def _git_objects(repo: Path) -> int:
    return folder_bytes(repo / ".git" / "objects")[1]


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def before_scrolling(browser, url: str, slow: bool, anchor: str | None = None) -> tuple[int, int, int]:
    """(bytes, requests, pictures) a 360 x 740 phone at 2x downloads to show
    ``url`` before the reader scrolls (or, with ``anchor``, once the reader
    has jumped there); text counted gzip-compressed."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 300, "downloadThroughput": 50_000,
                                                      "uploadThroughput": 20_000, "connectionType": "cellular3g"})
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle", timeout=300_000)
    page.wait_for_timeout(1500)
    if anchor == "*":  # read to the end: every picture of the page
        height = page.evaluate("document.body.scrollHeight")
        for y in range(0, height, 400):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(150)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
    elif anchor:
        page.evaluate(f"document.getElementById({anchor!r}).scrollIntoView()")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(3000)
    total = pictures = 0
    for response in responses:
        body = response.body() if response.ok else b""
        kind = response.headers.get("content-type", "")
        total += len(body) if kind.startswith(("image/", "font/")) or "woff" in kind else min(len(body), _gz(body))
        pictures += "/anh/tep/" in response.url
    context.close()
    return total, len(responses), pictures


def measure_pages(site: Path, pages: dict[str, str]) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import CHROMIUM_ARGS, serve_folder
    from playwright.sync_api import sync_playwright

    server, url = serve_folder(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in pages.items():
                path, _, anchor = path.partition("#")
                for slow in (False, True):
                    size, requests, pictures = before_scrolling(browser, url + path, slow, anchor or None)
                    print(f"  {name} ({'slow 3G' if slow else 'fast line'}): {size / 1000:.0f} KB in {requests} requests, "
                          f"{pictures} pictures", flush=True)
            browser.close()
    finally:
        server.shutdown()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.photos_bench")
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--photos", type=int, default=3, help="photos on each result")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--pages-of", type=Path, metavar="SITE", help="only the page bytes, of this site built by an earlier run")
    args = parser.parse_args(argv)
    if args.pages_of:
        day = max((args.pages_of / "anh" / "tep" / FULL_PAGE[0]).iterdir(), key=lambda d: len(list(d.iterdir()))).name
        measure_pages(args.pages_of, {f"{FULL_PAGE[0]} {day}": f"xa/{FULL_PAGE[0]}/{day}/",
                                      f"{FULL_PAGE[0]} {day}, at its photos": f"xa/{FULL_PAGE[0]}/{day}/#anh",
                                      f"{FULL_PAGE[0]} {day}, read to the end": f"xa/{FULL_PAGE[0]}/{day}/#*",
                                      f"gallery {day}": f"anh/{day}/", "home page": ""})
        return 0
    base = Path(tempfile.mkdtemp(prefix="ntm-photos-bench-"))
    print(f"{os.cpu_count()} cores; load average at start {load()}", flush=True)
    try:
        root = make_project(base)
        weeks = 52 * args.years
        today = reference_day(weeks)
        set_reference_day(today)
        start = time.perf_counter()
        plans = write_corpus(root, weeks, photos=args.photos, today=today)
        count, stored = folder_bytes(root / "materials" / "anh")
        print(f"{args.years} year(s): {plans} results, {count} photos drawn in {time.perf_counter() - start:.0f} s; "
              f"stored (normalised) {mib(stored)}, {stored / count / 1000:.0f} KB a photo", flush=True)

        ntm = [str(REPO / ".venv" / "bin" / "ntm"), "--root", str(root), "check"]
        shutil.rmtree(root / ".cache", ignore_errors=True)
        cold, _ = timed_run(ntm, root)
        warm, _ = timed_run(ntm, root)
        print(f"  ntm check (every photo's structure read, never decoded): cold {cold:.1f} s, warm {warm:.1f} s (load {load()})")

        seconds, out = timed_run([sys.executable, "-c", _PROCESS, str(root)], root)
        published, made, planned, work = out.split()
        print(f"  image processing, cold: {seconds:.1f} s for {published} photos ({made} made; "
              f"{work} s in the variants' work; load {load()})", flush=True)
        seconds, out = timed_run([sys.executable, "-c", _PROCESS, str(root)], root)
        published, made, planned, work = out.split()
        print(f"  image processing, warm: {seconds:.1f} s ({made} made, planned in {planned} s; load {load()})", flush=True)
        variants, variant_bytes = folder_bytes(root / ".cache" / "anh" / "bien-the")
        print(f"  variant cache: {variants} files, {mib(variant_bytes)}")

        shutil.rmtree(root / ".cache", ignore_errors=True)
        site = base / "site"
        cold, rss = build(root, site, "release")
        warm, _ = build(root, site, "release")
        print(f"  release build with photos: cold {cold:.0f} s, warm {warm:.0f} s (peak memory {rss / 1024:.0f} MiB; load {load()})",
              flush=True)
        files, on_site = folder_bytes(site / "anh" / "tep")
        total = folder_bytes(site)[1]
        zipped = (site / "tai-ve" / "nong-thon-moi-di-linh.zip").stat().st_size
        import zipfile

        with zipfile.ZipFile(site / "tai-ve" / "nong-thon-moi-di-linh.zip") as archive:
            in_zip = [i for i in archive.infolist() if "/anh/tep/" in i.filename]
        print(f"  site: {mib(total)} in all; photo variants {files} files, {mib(on_site)} "
              f"({on_site / count / 1000:.0f} KB a photo), {on_site / args.years / 1e6:.0f} MB a year")
        print(f"  offline zip: {mib(zipped)}, {zipped / args.years / 1e6:.1f} MB per year (target <= 10); photos in it: "
              f"{len(in_zip)} files, {sum(i.compress_size for i in in_zip) / 1e6:.1f} MB (the latest 2 Saturdays)", flush=True)
        pdfs = sorted((site / "tai-lieu-in").glob("ban-tin-anh-*.pdf"))
        print(f"  bulletins: {len(pdfs)}, {', '.join(f'{p.stem} {p.stat().st_size // 1000} KB' for p in pdfs[:3])}")

        history, store = git_growth(root, base, lfs=True)
        plain, _ = git_growth(root, base, lfs=False)
        print(f"  repository growth for {args.years} year(s) of photos: with Git LFS, history {history / 1e6:.1f} MB "
              f"(pointers) + LFS store {store / 1e6:.0f} MB; without LFS, history {plain / 1e6:.0f} MB", flush=True)

        day = max((root / "materials" / "anh" / FULL_PAGE[0]).iterdir(), key=lambda d: len(list(d.iterdir()))).name
        full = len(list((root / "materials" / "anh" / FULL_PAGE[0] / day).glob("*.jpg")))
        print("\nbefore scrolling, 360 x 740 px phone at 2x (target: 12-photo page <= 300 KB, home page <= 150 KB):")
        measure_pages(site, {
            f"{FULL_PAGE[0]} {day}, {full} photos": f"xa/{FULL_PAGE[0]}/{day}/",
            f"{FULL_PAGE[0]} {day}, at its photos": f"xa/{FULL_PAGE[0]}/{day}/#anh",
            f"{FULL_PAGE[0]} {day}, read to the end": f"xa/{FULL_PAGE[0]}/{day}/#*",
            f"gallery {day}": f"anh/{day}/",
            "home page": "",
        })
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

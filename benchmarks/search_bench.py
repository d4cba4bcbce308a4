"""Search and first-visit figures (issue 6). A measuring script, not a test.

    .venv/bin/python -m benchmarks.search_bench [--years 1 3] [--site DIR]

Prints, for the real site and for a district-scale corpus (the synthetic
district of ``benchmarks.bench``: 19 units, 183 hamlets, one plan and one
result per unit per Saturday, for 1 and 3 years):

- the search index (search/search_index.json): raw and gzip bytes, entries;
- the first visit of a page in Chromium with an empty cache: bytes of every
  response, gzip as a web server would send them (woff2/png as they are);
- in Chromium, from opening search to results (index download + the worker
  building its lunr index), and from a keystroke to the updated result list.

Chromium is Debian's /usr/bin/chromium, headless, on this machine's CPU with
no throttling: a cheap phone is several times slower.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import bench

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SEARCH_BOX = "input[data-md-component=search-query]"
QUERIES = ["nong thon moi", "thu bay", "04 da hu", "xanh sach dep", "gung re"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def index_figures(site: Path) -> tuple[int, int, int]:
    raw = (site / "search/search_index.json").read_bytes()
    return len(raw), gz(raw), len(json.loads(raw)["docs"])


def build_real(out: Path) -> Path:
    site = out / "real"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=REPO,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        raise SystemExit(result.stderr)
    return site


def build_district(out: Path, years: int) -> Path:
    base = out / f"district-{years}"
    base.mkdir()
    root = bench.make_project(base)
    plans = bench.write_corpus(root, 52 * years)
    site = base / "site"
    bench.build(root, site)  # "site": without the handouts and the offline zip
    print(f"district, {years} year(s): {plans} plans", flush=True)
    return site


def largest_page(site: Path) -> str:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return max(pages, key=lambda p: gz(p.read_bytes())).relative_to(site).as_posix()


def first_visit(browser, url: str) -> tuple[int, int, list[tuple[str, int]]]:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    rows = []
    for r in responses:
        body = r.body() if r.ok else b""
        rows.append((r.url.rsplit("/", 1)[-1] or "(page)", len(body), min(len(body), gz(body))))
    context.close()
    return sum(r[1] for r in rows), sum(r[2] for r in rows), [(n, g) for n, _, g in rows]


_PROBE = """() => {
  const input = document.querySelector('%s');
  const list = document.querySelector('.md-search-result__list');
  window.__ntm = { t0: 0, lat: [], open: performance.now(), ready: 0 };
  input.addEventListener('keydown', () => { window.__ntm.t0 = performance.now(); }, true);
  new MutationObserver(() => {
    const s = window.__ntm;
    if (s.t0 && list.children.length) {
      if (!s.ready) s.ready = performance.now() - s.open; else s.lat.push(performance.now() - s.t0);
      s.t0 = 0;
    }
  }).observe(list, { childList: true });
}""" % SEARCH_BOX


def search_timing(browser, url: str) -> tuple[float, list[float]]:
    """(ms from opening search to the first results, ms per keystroke after)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.evaluate(_PROBE)
    page.click(SEARCH_BOX)
    page.keyboard.type("t")  # first keystroke: waits for the index
    page.wait_for_function("window.__ntm.ready > 0", timeout=120_000)
    ready = page.evaluate("window.__ntm.ready")
    for query in QUERIES:
        page.fill(SEARCH_BOX, "")
        for ch in query:
            page.keyboard.type(ch)
            page.wait_for_timeout(250)
    lat = page.evaluate("window.__ntm.lat")
    context.close()
    return ready, lat


def measure_browser(sites: dict[str, Path]) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import serve_folder
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, site in sites.items():
            server, url = serve_folder(site)
            try:
                if name == "real site":
                    for path in ("", largest_page(site)):
                        raw, gzipped, rows = first_visit(browser, url + path)
                        top = ", ".join(f"{n} {kib(g)}" for n, g in sorted(rows, key=lambda r: -r[1])[:4])
                        lazy = not any("search_index" in n or n.startswith("search.") for n, _ in rows)
                        print(f"first visit /{path}: {len(rows)} requests, {kib(raw)} raw, {kib(gzipped)} gzip "
                              f"(largest: {top}); search index and worker "
                              f"{'not loaded' if lazy else 'LOADED'}", flush=True)
                ready, lat = search_timing(browser, url)
                print(f"{name}: open search -> first results {ready:.0f} ms; keystroke -> results "
                      f"median {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms ({len(lat)} keystrokes)", flush=True)
            finally:
                server.shutdown()
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search_bench")
    parser.add_argument("--years", type=int, nargs="*", default=[1, 3])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building the repository")
    parser.add_argument("--district", type=Path, nargs="*", default=[],
                        help="measure these already built district sites instead of building them")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp(prefix="ntm-search-bench-"))
    try:
        sites = {"real site": args.site or build_real(out)}
        for site in args.district:
            sites[f"district ({site})"] = site
        for years in [] if args.district else args.years:
            sites[f"district, {years} year(s)"] = build_district(out, years)
        for name, site in sites.items():
            raw, gzipped, entries = index_figures(site)
            pages = sum(1 for _ in site.rglob("*.html"))
            print(f"{name}: {pages} pages, search index {entries} entries, {kib(raw)} raw, {kib(gzipped)} gzip",
                  flush=True)
        measure_browser(sites)
    finally:
        if args.keep:
            print(f"kept {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

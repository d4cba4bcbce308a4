"""First paint and search on a slow line, with and without compression (not a test).

    .venv/bin/python -m benchmarks.page_speed [--site DIR] [--runs 3]

Builds the site (or takes ``--site``), serves it twice on 127.0.0.1 and
loads it in headless Chromium on a 360 x 740 screen with DevTools' network
emulation at 400 kbit/s both ways and 400 ms latency, empty cache:

- uncompressed: Python's http.server, which sends every file as it is (like
  a plain object store or many intranet servers);
- compressed: nginx with design/hosting/nginx.conf (the .gz files the build
  writes; Chromium asks for gzip, not br, over plain HTTP), when nginx is
  installed; else a small server that sends the .gz file the same way.

For the home page and a commune page: first contentful paint (the
browser's own "first-contentful-paint" entry) and the bytes received; then
search: the reader taps the search icon and types "thu bay", and the time
from the first keystroke until the first result is on screen (the index and
the worker are loaded when the search field is touched). Median of the runs.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from hosting_support import installed, readable_copy, serving  # noqa: E402

KBPS, LATENCY_MS = 400, 400
PHONE = {"width": 360, "height": 740}
PAGES = {"home page": "", "commune page": "xa/gung-re/"}
QUERY = "thu bay"


class Plain(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Gzipped(Plain):
    """Sends x.gz for x when the browser accepts gzip, as gzip_static does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file() and not self.path.endswith("/.."):
            body = packed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()


def python_server(site: Path, handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def slow_page(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = KBPS * 1000 / 8  # bytes per second
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": LATENCY_MS, "downloadThroughput": rate, "uploadThroughput": rate})
    received = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    return context, page, received


def first_paint(browser, url: str) -> tuple[float, int]:
    context, page, received = slow_page(browser)
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_timeout(300)
        fcp = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        return fcp / 1000, sum(received)
    finally:
        context.close()


def search_answer(browser, url: str) -> float:
    context, page, _ = slow_page(browser)
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        page.click("label.md-header__button[for='__search']")
        box = page.locator("input[data-md-component=search-query]")
        box.wait_for(state="visible")
        start = time.perf_counter()
        page.keyboard.type(QUERY[0])
        page.wait_for_selector(".md-search-result__item", timeout=120_000)
        seconds = time.perf_counter() - start
        page.keyboard.type(QUERY[1:], delay=50)
        return seconds
    finally:
        context.close()


def measure(browser, url: str, runs: int) -> dict:
    row = {}
    for name, path in PAGES.items():
        paints = [first_paint(browser, url + path) for _ in range(runs)]
        row[name] = (statistics.median(p[0] for p in paints), statistics.median(p[1] for p in paints))
    row["search"] = statistics.median(search_answer(browser, url) for _ in range(runs))
    return row


def build(target: Path) -> Path:
    result = subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "-d", str(target)], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stderr)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        rows = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            server, url = python_server(site, Plain)
            try:
                rows["uncompressed (python http.server)"] = measure(browser, url, args.runs)
            finally:
                server.shutdown()
                server.server_close()
            if installed("nginx"):
                with readable_copy(site) as copy, serving("nginx", copy) as url:
                    rows["compressed (nginx, gzip_static)"] = measure(browser, url, args.runs)
            else:
                server, url = python_server(site, Gzipped)
                try:
                    rows["compressed (.gz files, Python)"] = measure(browser, url, args.runs)
                finally:
                    server.shutdown()
                    server.server_close()
            browser.close()
    print(f"{KBPS} kbit/s, {LATENCY_MS} ms latency, 360 x 740, empty cache; median of {args.runs} runs")
    print(f"{'server':36} {'home FCP':>9} {'home KB':>8} {'commune FCP':>12} {'commune KB':>11} {'search':>8}")
    for name, row in rows.items():
        (hf, hb), (cf, cb) = row["home page"], row["commune page"]
        print(f"{name:36} {hf:8.2f}s {hb / 1024:7.0f}K {cf:11.2f}s {cb / 1024:10.0f}K {row['search']:7.2f}s")


if __name__ == "__main__":
    main()

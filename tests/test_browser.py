"""The built site in real Chromium: nothing loaded from other hosts, the
offline zip opened from file://, and axe-core on every page type."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from test_search import RESULT_LINKS, run_search

ZIP = "tai-ve/nong-thon-moi-di-linh.zip"


class Requests:
    """Every request of a browser context, local (127.0.0.1 / file://) or not."""

    def __init__(self, context):
        self.local: list[str] = []
        self.outside: list[str] = []
        context.on("request", self._seen)

    def _seen(self, request):
        url = urlsplit(request.url)
        local = url.scheme in ("file", "data", "blob", "about") or url.hostname == "127.0.0.1"
        (self.local if local else self.outside).append(request.url)


def _browse_and_search(page, start: str) -> None:
    page.goto(start, wait_until="load")
    # Navigate by the menu: the document list, then a document.
    page.click(".md-sidebar--primary a.md-nav__link[href*='van-ban']")
    page.wait_for_load_state("load")
    page.click("article a[href*='422-tb-hu']")
    page.wait_for_load_state("load")
    assert "422-TB/HU" in page.title()
    # Search and open the best result.
    found = run_search(page, "xanh sach dep")
    assert found
    page.click(RESULT_LINKS)
    page.wait_for_load_state("load")
    page.wait_for_selector("article mark[data-md-highlight]")
    assert "sạch" in page.inner_text("article h1").lower()


def test_browsing_and_searching_stay_on_the_site(chromium, served):
    context = chromium.new_context()
    seen = Requests(context)
    page = context.new_page()
    _browse_and_search(page, served)
    page.wait_for_timeout(300)
    context.close()
    assert seen.outside == []
    assert len(seen.local) > 0
    assert any("search_index.json" in u for u in seen.local)


# --- the offline copy ------------------------------------------------------


@pytest.fixture(scope="module")
def unpacked(site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(site / ZIP) as zf:
        zf.extractall(folder)
    return folder / "nong-thon-moi-di-linh"


def test_home_page_links_the_offline_zip(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="tai-ve/nong-thon-moi-di-linh.zip"' in home
    assert (site / ZIP).stat().st_size > 10_000


def test_offline_copy_ships_the_iframe_worker_shim_and_no_cdn(unpacked):
    assert (unpacked / "assets/javascripts/iframe-worker/shim.js").is_file()
    assert (unpacked / "search/search_index.js").is_file()
    for page in unpacked.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in raw, page
        assert "iframe-worker/shim.js" in raw, page


def test_offline_links_point_to_files_in_the_copy(unpacked):
    import re

    missing = []
    for page in unpacked.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        for href in re.findall(r'<(?:a|link|script|img)\b[^>]*?(?:href|src)="([^"]+)"', raw):
            url = urlsplit(href)
            if url.scheme or href.startswith(("#", "//", "mailto:", "tel:", "data:")) or not url.path:
                continue
            target = (page.parent / unquote(url.path)).resolve()
            if url.path.endswith(".zip"):  # the home page link to the zip itself
                continue
            if not target.is_file():
                missing.append((page.relative_to(unpacked).as_posix(), href))
    assert missing == []


def test_offline_copy_navigates_and_searches_from_file_urls(chromium, unpacked):
    context = chromium.new_context()
    seen = Requests(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _browse_and_search(page, (unpacked / "index.html").as_uri())
    assert page.url.startswith("file://") and page.url.endswith(".html")
    # The home page says it is the offline copy instead of offering the zip.
    page.goto((unpacked / "index.html").as_uri(), wait_until="load")
    assert "bản dùng không cần mạng" in page.inner_text("article")
    assert page.locator("a.ntm-offline").count() == 0
    context.close()
    assert seen.outside == []
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in seen.local)
    assert errors == []


# --- accessibility -----------------------------------------------------------

# One page per page type; generated types are found in the build.
PAGE_TYPES = {
    "home": "index.html",
    "guide": "huong-dan/ai-lam-gi/index.html",
    "household": "khang-trang-xanh-sach-dep/ho-gia-dinh/index.html",
    "document": "van-ban/422-tb-hu/index.html",
    "document-list": "van-ban/index.html",
    "commune": "xa/*/index.html",
    "commune-saturday": "xa/*/*/index.html",
    "saturday": "thu-bay/*/index.html",
    "handout-list": "tai-lieu-in/index.html",
}


def _page_of_type(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    if not found:
        pytest.skip(f"no page {pattern} in this build")
    return found[0].relative_to(site).as_posix()


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_passes_axe_core(reader_tab, served, site, axe, kind):
    path = _page_of_type(site, PAGE_TYPES[kind])
    page = reader_tab.open(served + path.removesuffix("index.html"), wait_until="networkidle")
    assert page.evaluate("document.documentElement.lang") == "vi"
    result = axe.run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], path


def test_open_search_results_pass_axe_core(reader_tab, served, axe):
    page = reader_tab.open(served)
    run_search(page, "thu bay")
    result = axe.run(page)
    bad = [(v["id"], v["impact"]) for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []

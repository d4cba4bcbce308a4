"""The Content-Security-Policy of every page type, in real Chromium: the
site and the offline copy (file://, search in the iframe-worker shim) run
with no violation; the policy allows no inline script but the ones the templates wrote,
by hash; a script planted after the build is refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import DESKTOP, Tab
from nongthonmoi import csp
from test_search import RESULT_LINKS, run_search

ZIP = "tai-ve/nong-thon-moi-di-linh.zip"

# Every violation the page sees, collected before any script of the page runs.
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""

PAGE_TYPES = {
    "home": "index.html",
    "guide": "huong-dan/ai-lam-gi/index.html",
    "document": "van-ban/422-tb-hu/index.html",
    "commune": "xa/*/index.html",
    "plan": "xa/*/*/index.html",
    "saturday": "thu-bay/*/index.html",
    "this-saturday": "thu-bay-nay/index.html",
    "results": "ket-qua/index.html",
    "print-list": "tai-lieu-in/index.html",
    "glossary": "thuat-ngu/index.html",
    "rules": "bien-tap/quy-tac/index.html",
    "404": "404.html",
}


def _page_of_type(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, pattern
    return found[0].relative_to(site).as_posix()


def _open(chromium, url: str):
    context = chromium.new_context()
    context.add_init_script(COLLECT)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    return context, page, console


class WatchedTab(Tab):
    """A reused tab (conftest.Tab) whose every page is watched for violations:
    the collector runs before the page's scripts; ``console`` holds what the
    console said since the last ``open``."""

    def __init__(self, chromium):
        context = chromium.new_context()
        context.add_init_script(COLLECT)
        super().__init__(context, DESKTOP)
        self.console: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

    def open(self, url: str, **options):
        self.console.clear()
        page = super().open(url, **options)
        page.wait_for_timeout(200)
        return page


@pytest.fixture(scope="module")
def watched(chromium):
    tab = WatchedTab(chromium)
    yield tab
    tab.context.close()


def _violations(page, console) -> list[str]:
    return page.evaluate("window.__violations") + console


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_page_type_runs_with_no_csp_violation(watched, served, site, kind):
    path = _page_of_type(site, PAGE_TYPES[kind])
    html = (site / path).read_text(encoding="utf-8")
    (meta,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert "'unsafe-inline'" not in meta and "'unsafe-eval'" not in meta
    assert html.index("Content-Security-Policy") < html.index("<script")  # before the scripts it governs
    page = watched.open(served + path)
    assert page.evaluate("typeof document$") != "undefined"  # Material's bundle ran
    assert _violations(page, watched.console) == []


def test_open_search_with_results_has_no_csp_violation(chromium, served):
    context, page, console = _open(chromium, served)
    try:
        assert run_search(page, "xanh sach dep")
        page.click(RESULT_LINKS)
        page.wait_for_load_state("load")
        page.wait_for_selector("article mark[data-md-highlight]")
        assert _violations(page, console) == []
    finally:
        context.close()


def test_this_saturday_script_still_moves_to_the_readers_week(chromium, served, site):
    """The page's script is a file now (CSP): with the clock a week later it
    still shows that week's plans or says where they are."""
    context = chromium.new_context()
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.clock.install(time="2023-03-08T03:00:00Z")  # Wednesday 8 March 2023 in Di Linh
    page.goto(served + "thu-bay-nay/index.html", wait_until="load")
    saturday = page.inner_text('[data-field="saturday"]')
    violations = page.evaluate("window.__violations")
    context.close()
    assert saturday == "11/03/2023"
    assert violations == []


@pytest.fixture(scope="module")
def unpacked(site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("offline-csp")
    with zipfile.ZipFile(site / ZIP) as zf:
        zf.extractall(folder)
    return folder / "nong-thon-moi-di-linh"


def test_offline_copy_from_file_urls_has_no_csp_violation(chromium, unpacked):
    """file://, search answered by the worker inside the iframe-worker shim."""
    html = (unpacked / "index.html").read_text(encoding="utf-8")
    (meta,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert "'unsafe-inline'" not in meta and "file:" in meta
    context, page, console = _open(chromium, (unpacked / "index.html").as_uri())
    try:
        assert run_search(page, "xanh sach dep")
        page.click(RESULT_LINKS)
        page.wait_for_load_state("load")
        page.wait_for_selector("article mark[data-md-highlight]")
        assert page.url.startswith("file://")
        assert _violations(page, console) == []
    finally:
        context.close()


def test_a_script_planted_after_the_build_is_refused(chromium, site, tmp_path):
    """What the policy is for: markup that got into a page anyway (a handler,
    an inline script, a script from another host) does not run."""
    from conftest import serve_folder

    page_html = (site / "index.html").read_text(encoding="utf-8")
    planted = page_html.replace(
        "</article>",
        '<img src="x" onerror="window.__ran=1"><script>window.__ran=2</script>'
        '<script src="http://127.0.0.2:9/x.js"></script></article>',
        1,
    )
    (tmp_path / "index.html").write_text(planted, encoding="utf-8")
    server, url = serve_folder(tmp_path)
    try:
        context, page, console = _open(chromium, url + "index.html")
        ran = page.evaluate("window.__ran || 0")
        violations = _violations(page, console)
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert ran == 0
    assert any("script-src" in v for v in violations)


def test_policy_hashes_exactly_the_templates_inline_scripts_of_the_page():
    anchor = next(t for t in csp.known_scripts_at_every_depth() if t.startswith("var target="))
    html = '<html><head><meta charset="utf-8"></head><body><script>a()</script><script src="x.js"></script>' \
           f'<script>{anchor}</script><script type="application/json">{{}}</script><td style="text-align:left">x</td></body></html>'
    out = csp.add_policy(html)
    (meta,) = re.findall(r'content="([^"]*)"', out.split('<meta charset="utf-8">', 1)[1])
    assert meta.count("'sha256-") == 2  # Material's anchor script and the style attribute; not a()
    assert csp._hash("a()") not in meta and csp._hash(anchor) in meta
    assert "'unsafe-hashes'" in meta
    assert csp.add_policy(out) == out  # once, not twice


def test_hosting_examples_send_the_header_the_code_describes():
    from conftest import ROOT

    header = csp.header()
    # The configurations tests/test_hosting.py runs for real, and their copies in the guide.
    for name in ("nginx.conf", "Caddyfile", "apache.conf"):
        assert header in (ROOT / "design" / "hosting" / name).read_text(encoding="utf-8"), name
    assert (ROOT / "design" / "hosting.md").read_text(encoding="utf-8").count(header) >= 4
    assert "frame-ancestors 'none'" in header

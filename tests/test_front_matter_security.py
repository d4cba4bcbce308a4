"""Front matter is typed and printed as text; the page policy trusts only the
templates' own inline scripts.

- every key the site and Material read has a type (frontmatter.PageMeta):
  the attacker's ``view: [1]``, ``hide: 5``, ``search: exclude``,
  ``sources: 5``, ``icon: khong-co`` are P013 for ``ntm check`` and for the
  web editor's save check alike, never a traceback;
- ``subtitle``/``status`` printed raw in Material's menu: with the check
  switched off, the build escapes the text (one choke point, the plugin) or
  refuses a value that is not allowed, and Chromium runs no injected script;
- the page policy (csp.py) names by hash only the inline scripts the
  templates write: a script that got into a page is refused, in Chromium,
  under the page's meta and the hosting header together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_repo, run_mkdocs, run_ntm, serve_folder
from nongthonmoi import csp, frontmatter
from nongthonmoi.editor.check import check_page
from nongthonmoi.pagecheck import check_front_matter, split_front_matter

PAGE = "docs/huong-dan/ai-lam-gi.md"
VIEWS = Path(__file__).resolve().parents[1] / "overrides" / "views"

# Each line crashed `ntm check` or the build with a traceback, or was printed raw.
HOSTILE_LINES = {
    "view: [1]": "view",
    "view: {a: 1}": "view",
    "hide: 5": "hide",
    "hide: [toc, khong-co]": "hide",
    "hide: toc": "hide",
    "search: 5": "search",
    "search: exclude": "search",
    "search:\n  exclude: 5": "search",
    "search:\n  boost: [1]": "search",
    "sources: 5": "sources",
    "sources: [../../etc/passwd]": "sources",
    "icon: khong-co": "icon",
    "icon: material/abc": "icon",
    "template: main.html": "template",
    "cap_nhat: 01/01/2023": "cap_nhat",
    "status: 'new\" onmouseover=\"alert(2)'": "status",
    'subtitle: "Xem ngay <img src=x onerror=alert(1)><script>alert(1)</script>"': "subtitle",
    "subtitle: [1]": "subtitle",
    "title: [1]": "title",
    "description: {a: 1}": "description",
    "author: true": "author",
    "tags: [a]": "tags",
}


def _page(extra: str) -> str:
    return f"---\n{extra}\n---\n\n# Trang thử\n\nNội dung.\n"


@pytest.mark.parametrize("line", sorted(HOSTILE_LINES))
def test_every_hostile_front_matter_line_is_p013_for_check_and_editor(line):
    text = _page(line)
    meta, _, _, problems = split_front_matter(text, "docs/x.md")
    errors = problems + check_front_matter(meta, "docs/x.md", VIEWS)
    assert [e.rule for e in errors] == ["P013"], errors
    (error,) = errors
    assert error.line == 2 and f"«{HOSTILE_LINES[line]}»" in error.message
    # The web editor's save check says the same, at the same line.
    editor = [p for p in check_page(text, "docs/x.md", VIEWS.parents[1]) if p.rule.startswith("P")]
    assert [p.rule for p in editor] == ["P013"] and "(dòng 2)" in editor[0].message


@pytest.mark.parametrize("line", ["status: new", "hide: [toc, navigation]", "search:\n  exclude: true",
                                  "search:\n  boost: 0.5", "subtitle: Hướng dẫn", "view: document_index",
                                  "sources: [materials/van-ban.yml]", "author: Ban Tuyên giáo", "title: 2023"])
def test_what_the_site_uses_is_accepted(line):
    meta, _, _, problems = split_front_matter(_page(line), "docs/x.md")
    assert problems + check_front_matter(meta, "docs/x.md", VIEWS) == []


def test_every_page_of_docs_passes_the_model():
    root = VIEWS.parents[1]
    for path in sorted((root / "docs").rglob("*.md")):
        meta, _, _, problems = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        assert problems + check_front_matter(meta, str(path), VIEWS) == [], path


def test_text_fields_are_escaped_once_for_the_templates():
    meta = {"title": "A & B", "subtitle": "<script>alert(1)</script>", "description": 'x" onmouseover="y',
            "search": {"exclude": True}}
    safe = frontmatter.for_templates(meta, "docs/x.md", None)
    assert safe["subtitle"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert safe["description"] == "x&#34; onmouseover=&#34;y"
    assert frontmatter.for_templates(safe, "docs/x.md", None)["title"] == "A &amp; B"  # not twice
    assert safe["search"] == {"exclude": True}


# --- the page policy names only the templates' scripts -----------------------------------

MATERIAL_SCOPE = next(t for t in csp.known_scripts_at_every_depth() if t.startswith("__md_scope") and '"../.."' in t)


@pytest.mark.parametrize("script", [
    "alert(1)",
    MATERIAL_SCOPE.replace('"../.."', '"x",alert(1),"'),
    MATERIAL_SCOPE + ";alert(1)",
    MATERIAL_SCOPE.replace('"../.."', '"../..\\"+alert(1)+\\""'),
    " " + MATERIAL_SCOPE,
])
def test_a_script_that_is_not_the_templates_is_not_named(script):
    html = f'<html><head><meta charset="utf-8"></head><body><script>{MATERIAL_SCOPE}</script>' \
           f'<nav><small><script>{script}</script></small></nav></body></html>'
    policy = csp.policy(html)
    assert csp._hash(MATERIAL_SCOPE) in policy
    assert csp._hash(script) not in policy


def _run(chromium, url: str) -> tuple[dict, list[str]]:
    context = chromium.new_context()
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        state = page.evaluate("({ran: window.__ran || 0, scope: typeof __md_scope,"
                              " search: !!document.querySelector('.md-search__input')})")
    finally:
        context.close()
    return state, dialogs


def _visit(chromium, folder: Path, path: str, header: str | None) -> tuple[dict, list[str]]:
    """:func:`_run` on ``path`` of ``folder`` served on 127.0.0.1, with the hosting header if given."""
    server, url = serve_folder(folder, (lambda _: [("Content-Security-Policy", header)]) if header else None)
    try:
        return _run(chromium, url + path)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize("header", [None, "hosting"])
def test_an_injected_script_is_refused_by_the_policy_the_build_computes(chromium, site, tmp_path, header):
    """The page's policy is computed after the markup got in (as a template
    printing front matter raw would put it there): the injected script is
    not hashed, Material's own scripts are, under the meta alone and with the
    hosting header."""
    page_html = (site / "huong-dan" / "ai-lam-gi" / "index.html").read_text(encoding="utf-8")
    page_html = re.sub(r'\n? *<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", page_html, count=1)
    injected = page_html.replace("</nav>", "<small>Xem ngay <script>window.__ran=1;alert(1)</script></small></nav>", 1)
    assert injected != page_html
    folder = tmp_path / "huong-dan" / "ai-lam-gi"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(csp.add_policy(injected), encoding="utf-8")
    (tmp_path / "assets").symlink_to(site / "assets")
    state, dialogs = _visit(chromium, tmp_path, "huong-dan/ai-lam-gi/", csp.header() if header else None)
    assert state["ran"] == 0 and dialogs == []
    assert state["scope"] == "object"  # Material's own inline script ran: the header lets the templates' through


@pytest.mark.slow
def test_the_hosting_header_runs_no_inline_script_of_a_document_the_build_did_not_write(chromium, tmp_path):
    (tmp_path / "thong-bao.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>x</title><script>window.__ran=1</script>', encoding="utf-8")
    state, _ = _visit(chromium, tmp_path, "thong-bao.html", csp.header())
    assert state["ran"] == 0


# --- the attacker's front matter, built with the check switched off ------------------------

SUBTITLE = 'subtitle: "Xem ngay <img src=x onerror=alert(document.domain)><script>window.__ran=1;alert(1)</script>"'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The real site with the attacker's subtitle, the check switched off."""
    root = copy_repo(tmp_path_factory.mktemp("fm-hostile") / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n", 1), encoding="utf-8")
    page = root / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", f"\n{SUBTITLE}\n---\n", 1), encoding="utf-8")
    site = root / "site"
    result = run_mkdocs(root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return root, site


@pytest.mark.slow
def test_a_subtitle_with_a_script_is_text_in_every_menu_and_runs_nowhere(hostile_build, chromium):
    root, site = hostile_build
    pages = [p for p in site.rglob("*.html") if "Xem ngay" in p.read_text(encoding="utf-8")]
    assert pages, "the subtitle is printed in the menu"
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<script>window.__ran" not in html and "<img src=x" not in html, path
        assert "Xem ngay &lt;img src=x onerror=alert(document.domain)&gt;&lt;script&gt;" in html, path
    state, dialogs = _visit(chromium, site, "huong-dan/ai-lam-gi/", csp.header())
    assert state["ran"] == 0 and dialogs == [] and state["scope"] == "object"


@pytest.mark.slow
@pytest.mark.parametrize("line", ["status: 'new\" onmouseover=\"alert(2)'", "search: exclude", "icon: khong-co"])
def test_a_wrong_key_stops_check_and_build_in_vietnamese(tmp_path, line):
    """``ntm check`` and the build (check switched off) both name the line: no traceback."""
    copy = copy_repo(tmp_path / "repo")
    page = copy / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", f"\n{line}\n---\n", 1), encoding="utf-8")
    checked = run_ntm(copy, "check")
    assert checked.returncode != 0 and "[P013]" in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n", 1), encoding="utf-8")
    built = run_mkdocs(copy, tmp_path / "site")
    assert built.returncode != 0
    assert "[P013]" in built.stderr and f"{PAGE}:" in built.stderr and "Traceback" not in built.stderr

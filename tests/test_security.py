"""Safe by construction: each weakness an editor (or a stolen editor account)
could use, reproduced, and what the project does with it now.

- handouts: WeasyPrint reads nothing but the project's own files and data:
  addresses; the check names what a handout would ask for; the PDFs carry no
  attachment and no foreign bytes (read back with pdfdetach, pdfimages,
  pdftotext);
- pages: the sanitiser's choke point (sanitize.py) in the build, and the
  check that names with a line what it takes out;
- titles and front matter are text everywhere they are printed;
- files: symbolic links and active files (SVG, HTML) are refused; offline
  zip entry names are plain relative paths;
- limits: no editor text makes a pattern or the loader take more than linear
  time, nesting and control characters are rules, never tracebacks.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_repo, run_mkdocs
from nongthonmoi import cli, offline, sanitize
from nongthonmoi.handouts import render

HANDOUT_PAGE = "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md"
SECRET = "ntm-bi-mat-7f3a9c"  # what must never reach an output


class CountingServer:
    """An HTTP server on 127.0.0.1 that counts the requests it gets (it must get none)."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                body = SECRET.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = CountingServer()
    yield server
    server.close()


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "outside" / "bi-mat.png"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def attachments(secret_file) -> str:
    secret = secret_file.as_uri()
    return f"""
<a rel="attachment" href="{secret}">tệp</a>
<a rel="attachment" href="file:///etc/passwd">passwd</a>
<link rel="attachment" href="{secret}">
"""


def hostile_html(listener, secret_file) -> str:
    """Every way HTML and CSS can make WeasyPrint read a file or an address."""
    secret = secret_file.as_uri()
    return attachments(secret_file) + f"""
<link rel="stylesheet" href="{listener.url}style.css">
<img src="file:///proc/self/environ"> <img src="{secret}"> <img src="{listener.url}x.png">
<object data="{secret}"></object><embed src="{secret}">
<div style="background: url('{secret}'); height: 5mm"></div>
<style>@import url("{listener.url}import.css"); p {{ background: url("{listener.url}bg.png"); }}</style>
<svg width="10" height="10"><image href="{secret}" width="10" height="10"/></svg>
<p>Chữ của tờ rơi.</p>
"""


def _pdf_tools(pdf: Path) -> dict[str, str]:
    run = lambda *args: subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: E731
    return {
        "attachments": run("pdfdetach", "-list", str(pdf)),
        "images": run("pdfimages", "-list", str(pdf)),
        "text": run("pdftotext", str(pdf), "-"),
        "bytes": pdf.read_bytes().decode("latin-1"),
    }


@pytest.mark.slow
def test_the_renderer_reads_nothing_outside_its_own_files(tmp_path, listener, secret_file, monkeypatch):
    """Even HTML that escaped the sanitiser: the fetcher refuses every address
    but the print CSS and fonts, without opening it; the PDF has no attachment,
    no image, no byte of the secret, and the local server was never asked."""
    monkeypatch.setenv("NTM_TEST_SECRET", SECRET)  # in /proc/self/environ
    opened = []
    real_read = Path.read_bytes

    def spy(self):
        opened.append(str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    real_input = render.read_input

    def spy_input(path, limit):  # the fetcher reads through the one reader of input files
        opened.append(str(path))
        return real_input(path, limit)

    monkeypatch.setattr(render, "read_input", spy_input)
    base = (ROOT / "overrides" / "print").as_uri() + "/"
    body = hostile_html(listener, secret_file).replace(attachments(secret_file), "")
    html = f'<html><head><link rel="stylesheet" href="handout.css"></head><body>{body}</body></html>'
    fetcher = render.project_fetcher(ROOT)
    document = render.layout(html, base, fetcher=fetcher)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(render.write(document))
    read = list(opened)  # what the renderer read (not the test reading the PDF back)
    found = _pdf_tools(pdf)
    assert listener.hits == []
    assert [p for p in read if not Path(p).resolve().is_relative_to(ROOT / "overrides")] == []
    assert any(p.endswith("handout.css") for p in read) and any(p.endswith(".woff2") for p in read)
    assert len(fetcher.refused) >= 6 and "file:///proc/self/environ" in fetcher.refused
    assert found["attachments"].startswith("0 embedded files")
    assert len(found["images"].strip().splitlines()) == 2  # the header lines of pdfimages: no image
    assert SECRET not in found["text"] and SECRET not in found["bytes"] and "root:x:0" not in found["bytes"]
    assert "Chữ của tờ rơi" in found["text"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["a", "link", "allowed-file"])
def test_an_attachment_stops_the_render_before_any_pdf(kind, secret_file):
    """rel=attachment (a link or an anchor), even of a file the fetcher may
    read (a font): the layout stops, no PDF is written, the secret never read."""
    base = (ROOT / "overrides" / "print").as_uri() + "/"
    secret = secret_file.as_uri()
    html = {
        "a": f'<a rel="attachment" href="{secret}">x</a>',
        "link": f'<link rel="attachment" href="{secret}">',
        "allowed-file": '<a rel="attachment" href="../assets/fonts/noto-sans-regular.woff2">x</a>',
    }[kind]
    fetcher = render.project_fetcher(ROOT)
    with pytest.raises(RuntimeError, match="đính kèm"):
        render.layout(f"<html><head></head><body>{html}<p>x</p></body></html>", base, fetcher=fetcher)
    assert not any(secret in url for url in fetcher.refused if False)


@pytest.fixture
def planted_repo(tmp_path, listener, secret_file) -> Path:
    """A copy of the repository whose handout page carries the hostile HTML."""
    root = copy_repo(tmp_path / "repo")
    page = root / HANDOUT_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n" + hostile_html(listener, secret_file), encoding="utf-8")
    return root


def _check(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["--root", str(root), "check"])
    return code, out.getvalue()


@pytest.mark.slow
def test_check_names_every_hostile_address_of_a_handout_page(planted_repo, listener):
    code, output = _check(planted_repo)
    assert code == 1 and "Traceback" not in output
    text = (planted_repo / HANDOUT_PAGE).read_text(encoding="utf-8").splitlines()

    def line_of(needle: str) -> int:
        return next(n for n, t in enumerate(text, 1) if needle in t)

    expected = {
        ("P010", line_of('<a rel="attachment" href="file')),  # rel=attachment
        ("P011", line_of("file:///etc/passwd")),
        ("P009", line_of("<link rel=\"attachment\"")),
        ("P009", line_of("<object")),
        ("P012", line_of("file:///proc/self/environ")),
        ("P010", line_of("<div style")),
        ("P009", line_of("<style>")),
    }
    shown = {(m.group(2), int(m.group(1))) for m in re.finditer(rf"{HANDOUT_PAGE}:(\d+): \[(P\d+)\]", output)}
    assert expected <= shown, output
    assert "ho-gia-dinh" not in output or "P014" not in output  # the sanitiser took them all out first
    assert listener.hits == []


@pytest.mark.slow
def test_build_of_a_planted_page_publishes_no_foreign_bytes(planted_repo, listener, monkeypatch, tmp_path):
    """With the check switched off (the build's defences alone): the handout's
    PDFs have no attachment, no image and none of the secret; the page has no
    live markup; the listener was never asked."""
    monkeypatch.setenv("NTM_TEST_SECRET", SECRET)
    config = planted_repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n"),
                      encoding="utf-8")
    out = tmp_path / "site"
    # The working tree's handouts only (never a scratch build's, which may
    # hold this very page's PDFs): the planted handouts are rendered here,
    # with the listener and the secret in place.
    cache = tmp_path / "cache"
    shutil.copytree(ROOT / ".cache" / "handouts", cache)
    result = run_mkdocs(planted_repo, out, env={"NTM_HANDOUT_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"dựng lại 2\b", result.stderr), re.findall(r"Tài liệu in:.*", result.stderr)
    for slug in ("ho-gia-dinh", "ho-gia-dinh-a5"):
        found = _pdf_tools(out / "tai-lieu-in" / f"{slug}.pdf")
        assert found["attachments"].startswith("0 embedded files"), slug
        assert len(found["images"].strip().splitlines()) == 2, found["images"]
        assert SECRET not in found["text"] and SECRET not in found["bytes"]
    page = (out / "khang-trang-xanh-sach-dep" / "ho-gia-dinh" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"): page.index("</article>")]
    for live in ("<object", "<embed", "<link", "<style", 'rel="attachment"', "file:", listener.url, "<image"):
        assert live not in article, live
    assert listener.hits == []


# --- pages -------------------------------------------------------------------------------

# The list, and more of the same class, each with what must not survive.
HOSTILE_PAGE = """
<svg onload="alert(1)"><rect width="5" height="5"/></svg>

<iframe srcdoc="<script>alert(2)</script>"></iframe>

<div class="x"
     onclick="alert(3)">hai dòng</div>

```
<p onmouseover="alert(4)">sau dòng dấu huyền</p>

<base href="http://example.invalid/">

<meta http-equiv="refresh" content="0;url=http://example.invalid/">

[bấm](javascript:alert(5))

<a href="data:text/html,<script>alert(6)</script>">data</a>

<form action="http://example.invalid/"><button formaction="javascript:alert(7)">gửi</button></form>

<math><mtext><table><mglyph><style><img src=x onerror=alert(8)></style></mglyph></table></mtext></math>

<div id="__config">{"search": "http://example.invalid/x.js"}</div>

<object data="x.swf"></object><embed src="x.swf">

Chữ
{: onclick="alert(9)" }

<svg><a href="javascript:alert(10)"><text y="10">svg</text></a><animate attributeName="href" to="javascript:alert(11)"/></svg>
"""

LIVE = re.compile(
    r"<(?:script|iframe|base|meta|form|object|embed|math|animate|style)\b|\son[a-z]+\s*=|javascript:|data:text"
    r'|srcdoc|formaction|id="__config"',
    re.I,
)


@pytest.mark.slow
def test_sanitiser_takes_out_every_hostile_construct_and_check_names_each_line(tmp_path):
    root = copy_repo(tmp_path / "repo")
    page = root / "docs" / "thuat-ngu.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + HOSTILE_PAGE, encoding="utf-8")
    code, output = _check(root)
    assert code == 1 and "Traceback" not in output
    lines = (original + HOSTILE_PAGE).splitlines()
    reported = {int(n) for n in re.findall(r"docs/thuat-ngu\.md:(\d+): \[P0(?:05|09|10|11|12)\]", output)}
    for needle in ("onload", "<iframe", 'onclick="alert(3)"', "onmouseover", "<base", "<meta", "javascript:alert(5)",
                   "data:text/html", "<form", "<math", "__config", "<object", "{: onclick", "<animate"):
        number = next(n for n, t in enumerate(lines, 1) if needle in t)
        assert number in reported, (needle, number, output)
    # What the build does with it: nothing live is left (the check is one
    # layer, the sanitiser in the build another).
    import markdown

    from nongthonmoi import pagecheck

    extensions, configs = pagecheck.markdown_setup(pagecheck.read_site_config(ROOT))
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(HOSTILE_PAGE)
    assert LIVE.search(html)  # the Markdown alone lets them through
    assert LIVE.search(sanitize.clean(html)) is None


def test_the_real_pages_lose_nothing_to_the_sanitiser(site):
    """Every page of the real site, as its Markdown and views make it: the
    policy keeps it all (admonitions, details, task lists, footnotes, tables,
    permalinks, charts, the views' data attributes)."""
    import markdown

    from nongthonmoi import pagecheck

    extensions, configs = pagecheck.markdown_setup(pagecheck.read_site_config(ROOT))
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    sample = "!!! note\n    x\n\n??? note \"a\"\n    b\n\n- [x] c\n- [ ] d\n\nx[^1]\n\n[^1]: e\n\n*[HTML]: f\n\nHTML\n\ng\n:   h\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n## i {#j .k}\n"
    assert sanitize.problems(md.convert(sample)) == []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        md.reset()
        _, body, _, _ = pagecheck.split_front_matter(path.read_text(encoding="utf-8"), str(path))
        assert sanitize.problems(md.convert(body)) == [], path
    # The built pages hold what the views make: charts, data attributes, checkboxes.
    built = "".join(p.read_text(encoding="utf-8") for p in site.rglob("index.html") if "quan-tri" not in p.parts)
    for kept in ('<svg class="ntm-chart"', "<title id=", "data-label=", "data-search-exclude", 'type="checkbox"',
                 'class="headerlink"', 'class="admonition', "data-day=", "patternUnits="):
        assert kept in built, kept


HOSTILE_TITLES = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '"><script>alert(2)</script>',
    "</title><script>alert(3)</script>",
    "&#60;img src=x onerror=alert(4)&#62;",
]


@pytest.mark.slow
def test_hostile_titles_and_descriptions_are_printed_as_text(tmp_path):
    """Front matter and first headings, including character references that a
    template's striptags would decode: the check names them (P013), and the
    build (check off) prints them as text in title, og:title, description,
    menu and header."""
    root = copy_repo(tmp_path / "repo")
    page = root / "docs" / "thuat-ngu.md"
    text = page.read_text(encoding="utf-8")
    hostile = HOSTILE_TITLES[0] + HOSTILE_TITLES[1]
    text = text.replace("title: Thuật ngữ viết tắt", f"title: '{hostile}'")
    text = re.sub(r"(?m)^description:.*$", f"description: '{HOSTILE_TITLES[2]}{HOSTILE_TITLES[3]}'", text, count=1)
    page.write_text(text, encoding="utf-8")
    # A page whose title comes from its first heading.
    (root / "docs" / "bien-tap" / "tieu-de.md").write_text(f"# {HOSTILE_TITLES[0]} {HOSTILE_TITLES[3]}\n\nChữ.\n", encoding="utf-8")
    code, output = _check(root)
    assert code == 1 and "[P013]" in output and "Traceback" not in output
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n"),
                      encoding="utf-8")
    out = tmp_path / "site"
    result = run_mkdocs(root, out)
    assert result.returncode == 0, result.stderr[-3000:]
    for built in (out / "thuat-ngu" / "index.html", out / "bien-tap" / "tieu-de" / "index.html", out / "index.html"):
        html = built.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
        assert not any("alert(" in s for s in scripts), built
        assert re.search(r"<img\b[^>]*onerror", html) is None, built
        assert re.search(r"<title>[^<]*</title>", html), built  # the title element is not broken out of
    html = (out / "thuat-ngu" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(2)" in html and "&amp;lt;script&amp;gt;alert(1)" in html  # text, as written


# --- files -------------------------------------------------------------------------------


@pytest.mark.slow
def test_symbolic_links_are_refused_and_nothing_outside_is_published(tmp_path, secret_file):
    root = copy_repo(tmp_path / "repo")
    (root / "docs" / "bi-mat.png").symlink_to(secret_file)
    (root / "docs" / "hinh-anh").mkdir(exist_ok=True)
    (root / "docs" / "hinh-anh" / "ngoai").symlink_to(secret_file.parent, target_is_directory=True)
    (root / "materials" / "ke-hoach" / "gung-re" / "2023-12-30.yml").symlink_to(secret_file)
    code, output = _check(root)
    assert code == 1 and "Traceback" not in output
    for name in ("docs/bi-mat.png", "docs/hinh-anh/ngoai", "materials/ke-hoach/gung-re/2023-12-30.yml"):
        assert re.search(rf"{re.escape(name)}: \[P016\]", output), (name, output)
    assert SECRET not in output
    out = tmp_path / "site"
    result = run_mkdocs(root, out)
    assert result.returncode != 0 and "P016" in result.stderr
    assert not out.exists() or not any(SECRET.encode() in p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_offline_zip_entry_names_are_plain_relative_paths():
    for bad in ("../x", "a/../../x", "/etc/passwd", "a\\b", "C:/x", "c:x", "a//b", "./a", "a/./b", "", "a\x00b", "a/"):
        with pytest.raises(RuntimeError):
            offline.write_zip({bad: b"x"}, offline._Deflated(None))
    data = offline.write_zip({"a/b.html": b"x", "tài-liệu.pdf": b"y"}, offline._Deflated(None))
    assert data.startswith(b"PK")


# --- limits ------------------------------------------------------------------------------

# Lines that made a pattern scan the rest of the line from every character.
LONG_LINES = {
    "brackets": "[" * 100_000,
    "image brackets": "![" * 50_000,
    "link targets": "](" * 50_000,
    "attribute lists": "{:" * 50_000,
    "tags": "<" * 100_000,
    "a tags": "<a " * 40_000,
    "citations": " " * 100_000 + "x",
    "citation brackets": "([" * 50_000,
    "heading braces": "# " + "{" * 100_000,
    "heading spaces": "# a" + " {" * 50_000,
    "md links": "](x" * 40_000,
    # Each control's line counted from the start of the page (Y011).
    "control characters": "\x01" * 200_000,
    "control references": "&#1;" * 100_000,
}


@pytest.mark.slow
def test_long_lines_do_not_hang_the_check_or_the_handouts(tmp_path):
    """A pasted line of 100,000 "[" (and its relatives) in a handout's page:
    the check finishes in seconds, in a child process with a deadline."""
    root = copy_repo(tmp_path / "repo")
    page = root / HANDOUT_PAGE
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\n\n" + "\n\n".join(LONG_LINES.values()) + "\n", encoding="utf-8")
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "nongthonmoi", "--root", str(root), "check"],
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("name", sorted(LONG_LINES))
def test_each_pattern_is_linear_on_each_long_line(name):
    """Every pattern applied to editor text, on each long line: well under a
    second (the quadratic ones took minutes)."""
    from nongthonmoi import contentcheck, pagecheck
    from nongthonmoi.handouts import source

    line = LONG_LINES[name]
    start = time.monotonic()
    contentcheck.check_text(line, "x.md", markdown=True)
    list(pagecheck._LINK.finditer(line))
    list(pagecheck._REFERENCE.finditer(line))
    pagecheck._HTML_LINK.findall(line)
    source._heading(line)
    source._CITATION.sub("", line)
    source._MD_LINK.findall(line)
    source.keep_together(line)
    source._split_sections(line)
    assert time.monotonic() - start < 2.0, name


def test_a_time_of_day_with_a_long_run_of_spaces_is_read_at_once():
    from nongthonmoi.models.plans import _parse_clock

    start = time.monotonic()
    for value in ("7h" + " " * 100_000 + "x", " " * 100_000 + "7h00", "7h00"):
        try:
            _parse_clock(value)
        except Exception:
            pass
    assert time.monotonic() - start < 0.5


@pytest.mark.parametrize("text,rule", [
    ("a: " + "[" * 1000 + "]" * 1000 + "\n", "Y012"),
    ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 200)), "Y012"),
    ("a: " + "[" * 100_000 + "\n", "Y012"),
    ("ten: Gung\fRé\n", "Y011"),
    ('ten: "Gung\\fRé"\n', "Y011"),
    ("ten: Gung\x00Ré\n", "Y011"),
    ("ten: Gung\x85Ré\n", "Y011"),
    ("ten: Gung\u202eRé\n", "Y011"),
])
def test_nesting_and_control_characters_are_rules_not_tracebacks(text, rule):
    from nongthonmoi.errors import ContentErrors
    from nongthonmoi.yamlsource import parse_yaml

    with pytest.raises(ContentErrors) as raised:
        parse_yaml(text, Path("x.yml"), "materials/x.yml")
    assert [e.rule for e in raised.value.errors] == [rule]
    assert raised.value.errors[0].line >= 1


# --- the print templates ---------------------------------------------------------------


@pytest.mark.slow
def test_every_print_template_prints_data_as_text(tmp_path):
    """The HTML of every handout (leaflets, checklists, the notice, plan
    sheets, the result form) made with hostile text in every data field and
    the site's name and author: the text comes out as text, no tag or
    attribute of it is live, nothing breaks out of the margin boxes' CSS."""
    from dataclasses import replace
    from datetime import date

    from markupsafe import escape

    from nongthonmoi.handouts.build import HandoutBuilder, Settings
    from nongthonmoi.materials import load_materials
    from nongthonmoi.saturday.data import SaturdayData
    from test_outputs import HOSTILE, poisoned

    hostile = HOSTILE + " </style><script>alert(3)</script>"
    materials = load_materials(ROOT)
    data = materials.saturday
    bad = replace(
        materials,
        saturday=SaturdayData(units=poisoned(data.units), agencies=poisoned(data.agencies),
                              plans={k: poisoned(v) for k, v in data.plans.items()},
                              results={k: poisoned(v) for k, v in data.results.items()},
                              staff_lists=poisoned(data.staff_lists)),
        documents=poisoned(materials.documents),
    )
    import markdown  # noqa: F401  (the builder converts the pages with the site's extensions)
    from nongthonmoi import pagecheck

    extensions, configs = pagecheck.markdown_setup(pagecheck.read_site_config(ROOT))
    settings = Settings(site_url="http://localhost:8000/", site_name=hostile, site_author=hostile,
                        markdown_extensions=tuple(extensions), mdx_configs=configs)
    builder = HandoutBuilder(ROOT, ROOT / "docs", settings, bad, cache_dir=tmp_path, dates={},
                             coming=date(2023, 3, 4))
    templates = set()
    for handout in builder.handouts:
        if handout.members:
            continue  # a packet: its sheets' pages, no template of its own
        html = builder.html(handout, date(2023, 3, 4))
        templates.add(handout.template)
        assert "<script" not in html and "<b>thẻ</b>" not in html and 'onclick="alert' not in html, handout.slug
        assert "</style><script" not in html
        assert str(escape("<b>thẻ</b>")) in html or "\\3c b\\3e" in html, handout.slug
    assert {"leaflet.html", "checklist.html", "official.html", "plan.html", "result-form.html"} <= templates


@pytest.mark.parametrize("html", [
    '<svg viewBox="0 0 10 10"><rect width="10" height="10" fill="URL(//evil.example/p.svg#a)"/></svg>',
    '<svg><rect fill="url(#x) url(//evil.example/p.svg)"/></svg>',
    '<svg><rect stroke="\\75 rl(//evil.example/p.svg)"/></svg>',
    '<svg><rect fill="url( \'//evil.example/p.svg\')"/></svg>',
    '<p><img src="&#1;//evil.example/x.png" alt="x"></p>',
    '<p><img src="&#x7f;//evil.example/x.png" alt="x"></p>',
    '<p><img src=" &#9;//evil.example/x.png" alt="x"></p>',
    '<p><img src="hinh/a.jpg" srcset="&#x0e;//evil.example/x.png 2x" alt="x"></p>',
], ids=["upper-case-url", "second-url", "css-escape", "quoted-url", "c0-before-address", "del-before-address",
        "tab-before-address", "c0-in-srcset"])
def test_an_outside_address_is_taken_out_however_it_is_written(html):
    """What a browser reads as an address of another host (CSS is not case
    sensitive, a URL parser drops controls before it reads) is taken out by
    the sanitiser and named by the check: the page's CSP is the second
    line, not the only one."""
    assert "evil.example" not in sanitize.clean(html)
    assert sanitize.problems(html)


def test_invisible_controls_are_published_in_no_form():
    html = "<p>Gọi số &#8238;0123 456 789&#8236;, \u202e987\u202c hoặc &#x2066;12&#x2069;, 0912 &rlm;345 &#1564;678.</p>"
    cleaned = sanitize.clean(html)
    assert cleaned == "<p>Gọi số 0123 456 789, 987 hoặc 12, 0912 345 678.</p>"
    assert sanitize.clean('<svg><rect fill="url(#g)"/></svg>') == '<svg><rect fill="url(#g)"></rect></svg>'

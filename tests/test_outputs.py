"""Outputs made from editors' data stay correct whatever the data says (issue 13).

- every view under overrides/views/ prints text from data as text (HTML and
  Markdown syntax alike), read back after the Markdown conversion MkDocs does;
- a scratch site whose data has quotes and Markdown syntax in a commune's
  name and a plan's content, a result note that starts with "=", and a page
  with a Vietnamese file name: built for real and read back;
- a failed build keeps the previous site byte for byte, the offline copy is
  built as strictly as the site, a shallow clone stops the build;
- dates from git (quoted paths), the handout cache key, calendar and feed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from pydantic import BaseModel

from conftest import ROOT, copy_repo, run_mkdocs, run_ntm

# Text an editor could type (quotes, ampersand, Markdown) plus HTML, which the
# models refuse today but the views must not trust them to.
HOSTILE = (
    "Tên \"có\" 'nháy' & [liên kết](javascript:alert(1)) *đậm* _nghiêng_ `mã` "
    "<b>thẻ</b> ![ảnh](x.png) [^1] a | b {: onclick=\"alert(2)\" }"
)
# Fragments that must come out word for word, never as markup.
SHOWN = ["[liên kết](javascript:alert(1))", "*đậm*", "_nghiêng_", "`mã`", "<b>thẻ</b>", '{: onclick="alert(2)" }']


def _holds_ids(model: type[BaseModel], name: str) -> bool:
    """Ids (slugs: links and lookups go through them) and fixed choices are not words."""
    field = model.model_fields[name]
    schema = model.model_json_schema(by_alias=True)["properties"][field.alias or name]
    schema = schema.get("items", schema)
    return "pattern" in schema or "enum" in schema or "const" in schema or name == "page"


def poisoned(value):
    """A copy of a model with HOSTILE in every text field (validation bypassed)."""
    if isinstance(value, list):
        return [poisoned(v) for v in value]
    if not isinstance(value, BaseModel):
        return value
    updates = {}
    for name in type(value).model_fields:
        current = getattr(value, name)
        if isinstance(current, str) or (isinstance(current, list) and current and isinstance(current[0], str)):
            if _holds_ids(type(value), name):
                continue
        if isinstance(current, str):
            updates[name] = HOSTILE
        elif isinstance(current, list) and current and isinstance(current[0], str):
            updates[name] = [HOSTILE] * len(current)
        elif isinstance(current, (BaseModel, list)):
            updates[name] = poisoned(current)
    return value.model_copy(update=updates)


class _Live(HTMLParser):
    """Records what markup the HTML holds around each piece of text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "hr", "img", "input", "meta", "link", "col", "wbr", "source"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.texts.append((data, tuple(self.stack)))


def live_markup_from_data(html: str) -> list[str]:
    """What HOSTILE turned into markup in ``html`` (empty: nothing)."""
    parser = _Live()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        # The photos' pictures (views/saturday/_photos.html) are ours: their
        # address is a variant the build made (anh/tep/...), never text from data.
        if tag == "img" and "/anh/tep/" in "/" + (attrs.get("src") or "").lstrip("./"):
            continue
        if tag in ("b", "img", "sup") or (tag == "a" and (attrs.get("href") or "").startswith("javascript:")):
            problems.append(f"<{tag} {attrs}>")
        if "onclick" in attrs:
            problems.append(f"<{tag} onclick>")
    for text, stack in parser.texts:
        # A word that lost its markers inside em/strong/code: the markers became markup.
        for word, written in (("đậm", "*đậm*"), ("nghiêng", "_nghiêng_"), ("mã", "`mã`")):
            if word in text and written not in text and {"em", "strong", "code"} & set(stack):
                problems.append(f"{text!r} inside {stack}")
    return problems


def shown_text(html: str) -> str:
    parser = _Live()
    parser.feed(html)
    return "".join(text for text, _ in parser.texts)


def _markdown_of(config):
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


@pytest.mark.slow
def test_every_view_prints_text_from_data_as_text():
    """Render every template of overrides/views/ with HOSTILE in every text field,
    convert what MkDocs converts, and find no live link, emphasis, code,
    attribute or tag coming from data."""
    from markupsafe import Markup

    from nongthonmoi.materials import load_materials
    from nongthonmoi.saturday import site as saturday_site
    from nongthonmoi.saturday.data import SaturdayData

    materials = load_materials(ROOT)
    data = materials.saturday
    bad = SaturdayData(
        units=poisoned(data.units),
        agencies=poisoned(data.agencies),
        plans={k: poisoned(v) for k, v in data.plans.items()},
        results={k: poisoned(v) for k, v in data.results.items()},
        staff_lists=poisoned(data.staff_lists),
    )
    documents = poisoned(materials.documents)
    env = saturday_site._environment(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"))
    md = _markdown_of(config)
    link = lambda target: Markup("../" + target.removesuffix(".md") + "/")  # noqa: E731
    rendered: dict[str, list[str]] = {}

    # The photos, with HOSTILE descriptions and captions (and in their communes' names).
    from dataclasses import replace as swap

    from nongthonmoi.photos.library import PhotoLibrary
    from nongthonmoi.photos.site import PhotoSite

    photos = PhotoSite(ROOT, PhotoLibrary(tuple(
        swap(item, ref=swap(item.ref, photo=poisoned(item.ref.photo))) for item in materials.photos.photos
    )), bad.units)
    # The Saturday pages: Jinja -> Markdown file -> HTML, as the build does.
    for spec in saturday_site.page_specs(bad, date(2023, 3, 1), photos):
        spec = replace(spec, title=HOSTILE)
        body = env.get_template(spec.template).render(link=link, page_title=spec.title, **spec.context())
        md.reset()
        rendered.setdefault(spec.template, []).append(md.convert(body))
    # The document views: rendered into the page's HTML after Markdown.
    page = type("Page", (), {"url": "van-ban/"})()
    context = {"page": page, "link": link, "materials": replace(materials, documents=documents)}
    for doc in documents.documents:
        related = [d for d in documents.documents if d.id in doc.related]
        for name in ("document_meta.html", "document_signature.html"):
            rendered.setdefault(name, []).append(env.get_template(name).render(doc=doc, related=related, **context))
    rendered["document_index.html"] = [env.get_template("document_index.html").render(**context)]
    rendered["home_photos.html"] = [env.get_template("home_photos.html").render(photos=photos, **context)]
    # The workbook list of "Tài liệu in", with hostile commune names.
    from nongthonmoi.workbooks.site import Workbook, WorkbookIndex

    units = bad.units.units
    books = WorkbookIndex(
        plans={u.id: Workbook("bang-tinh/ke-hoach.xlsx", "plan", u.id, date(2023, 3, 25)) for u in units},
        reports={date(2023, 3, 4): Workbook("bang-tinh/bao-cao.xlsx", "report", None, date(2023, 3, 4))},
    )
    rendered["workbooks.html"] = [env.get_template("workbooks.html").render(books=books, units=units, **context)]
    # The rules page: its text comes from the registry, escaped all the same.
    hostile_rules = [{"id": "S999", "title": HOSTILE, "explanation": HOSTILE, "message": HOSTILE, "fix": HOSTILE}]
    rendered["rules.html"] = [env.get_template("rules.html").render(rules=hostile_rules, **context)]

    views = ROOT / "overrides" / "views"
    every = {p.relative_to(views).as_posix() for p in views.rglob("*.html") if not p.name.startswith("_")}
    assert every <= set(rendered), f"views this test does not render: {sorted(every - set(rendered))}"
    problems = {}
    for template, pages in rendered.items():
        found = [p for html in pages for p in live_markup_from_data(html)]
        shown = "".join(shown_text(html) for html in pages)
        found += [f"not shown as written: {s}" for s in SHOWN if s not in shown]
        if found:
            problems[template] = sorted(set(found))[:6]
    assert not problems, problems


def test_the_check_itself_sees_live_markup():
    """The detector above finds each kind of leak (else the test above proves nothing)."""
    md = _markdown_of(load_config(str(ROOT / "mkdocs.yml")))
    leaked = md.convert(f"# {HOSTILE}")
    found = " ".join(live_markup_from_data(leaked))
    for sign in ("javascript", "onclick", "<b", "<img", "inside ('h1', 'em')", "inside ('h1', 'code')"):
        assert sign in found, sign
    assert "[liên kết](javascript:alert(1))" not in shown_text(leaked)


def test_joined_lists_are_text_too():
    """Jinja's ``join`` returns Markup (HTML-escaped only) as soon as one item is
    Markup, such as a link a view built; the environment's join keeps the
    other items inert for Markdown as well."""
    from markupsafe import Markup

    from nongthonmoi.views import make_environment

    env = make_environment(ROOT)
    md = _markdown_of(load_config(str(ROOT / "mkdocs.yml")))
    template = env.from_string("# {{ names | join(', ') }}\n\n## {{ people | map(attribute='name') | join('; ') }}\n")
    people = [type("P", (), {"name": HOSTILE})()]
    html = md.convert(template.render(names=[Markup('<a href="thon-1/">Thôn 1</a>'), HOSTILE], people=people))
    assert not live_markup_from_data(html)
    assert all(s in shown_text(html) for s in SHOWN)


# --- CSV: text that starts like a formula stays text -------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://example.com","bấm")', '\'=HYPERLINK("http://example.com","bấm")'),
        ("+84 263 3870 000", "'+84 263 3870 000"),
        ("-Ghi chú", "'-Ghi chú"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),  # a number is not a formula
        ("-1,5", "-1,5"),
        ("50,0", "50,0"),
        ("Người dân hưởng ứng", "Người dân hưởng ứng"),
    ],
)
def test_spreadsheet_cells_that_look_like_formulas_get_an_apostrophe(cell, expected):
    from nongthonmoi.saturday.report import spreadsheet_text

    assert spreadsheet_text(cell) == expected


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))


def test_every_report_row_has_a_cell_per_column(site):
    reports = sorted((site / "bao-cao").glob("bao-cao-*.csv"))
    assert len(reports) == 3
    for report in reports:
        header, *rows = read_csv(report)
        assert len(rows) == 19, report
        assert all(len(row) == len(header) for row in rows), report


# --- Dates from git ---------------------------------------------------------------


def git(repo: Path, *args: str, when: int | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thử", "GIT_AUTHOR_EMAIL": "thu@example.invalid",
           "GIT_COMMITTER_NAME": "Thử", "GIT_COMMITTER_EMAIL": "thu@example.invalid"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0700"
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


def test_dates_are_read_for_vietnamese_and_unusual_file_names(tmp_path):
    from nongthonmoi import gitdates

    repo = tmp_path / "kho"
    (repo / "docs").mkdir(parents=True)
    git(repo, "init", "-q")
    names = ["docs/thử-nghiệm.md", 'docs/có "nháy".md', "docs/có dấu cách.md", "docs/plain.md"]
    for name in names:
        (repo / name).write_text("# Trang\n", encoding="utf-8")
    first = 1677639600  # 01/3/2023 10:00 in Di Linh
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "một", when=first)
    (repo / names[0]).write_text("# Trang đã sửa\n", encoding="utf-8")
    second = first + 2 * 86400 + 17 * 3600  # 04/3/2023 03:00 in Di Linh, still 3 March in UTC
    git(repo, "commit", "-q", "-am", "hai", when=second)
    dates = gitdates.last_commit_dates(repo)
    assert dates.get(names[0]) == date(2023, 3, 4)
    assert all(dates.get(name) == date(2023, 3, 1) for name in names[1:]), dates
    history = gitdates.file_history(repo)
    assert history[names[0]] == gitdates.FileHistory(second, 2)
    for name in names[1:]:
        assert history[name] == gitdates.FileHistory(first, 1), name
    assert not gitdates.is_shallow(repo)


@pytest.mark.slow
def test_shallow_clone_stops_the_check_and_the_build(tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", ROOT.as_uri(), str(clone)], check=True, capture_output=True)
    check = run_ntm(clone, "check")
    assert check.returncode == 1
    assert "Nội dung hợp lệ" not in check.stdout
    assert "[B002]" in check.stderr and "chỉ có một phần lịch sử" in check.stderr and "git fetch --unshallow" in check.stderr
    assert "fetch-depth: 0" in check.stderr and "GIT_DEPTH: 0" in check.stderr
    build = run_mkdocs(clone, clone / "site")
    assert build.returncode != 0
    assert "chỉ có một phần lịch sử" in build.stderr and "Traceback" not in build.stderr
    assert not (clone / "site").exists()


def test_shallow_clone_only_warns_in_the_preview(tmp_path, caplog):
    """ntm serve / ntm edit: nothing they build is published, so they go on."""
    import logging

    from mkdocs.exceptions import PluginError

    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", ROOT.as_uri(), str(clone)], check=True, capture_output=True)
    config = load_config(str(clone / "mkdocs.yml"), strict=False)
    plugin = config.plugins["nongthonmoi"]
    plugin.on_startup(command="serve", dirty=True)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        plugin.on_config(config)
    assert any("chỉ có một phần lịch sử" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    plugin.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match="git fetch --unshallow"):
        plugin.on_config(config)


# --- The handout cache key -----------------------------------------------------------


@pytest.fixture(scope="module")
def builder(tmp_path_factory):
    from nongthonmoi.handouts import HandoutBuilder, Settings
    from nongthonmoi.materials import load_materials

    config = load_config(str(ROOT / "mkdocs.yml"))
    return HandoutBuilder(ROOT, ROOT / "docs", Settings.from_config(config), load_materials(ROOT),
                          cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize("package", ["weasyprint", "pydyf", "fonttools", "markdown", "pymdown-extensions", "segno", "jinja2", "markupsafe"])
def test_an_upgraded_library_renders_the_handouts_again(builder, monkeypatch, package):
    from nongthonmoi.handouts import build

    before = builder.toolchain_hash()
    real = build.package_version
    monkeypatch.setattr(build, "package_version", lambda name: "999.0" if name == package else real(name))
    assert builder.toolchain_hash() != before


@pytest.mark.parametrize("library", ["pango", "harfbuzz"])
def test_an_upgraded_text_library_renders_the_handouts_again(builder, monkeypatch, library):
    from nongthonmoi.handouts import build

    versions = build.native_versions()
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions[library]), versions  # read, not "?"
    before = builder.toolchain_hash()
    monkeypatch.setattr(build, "native_versions", lambda: {**versions, library: "99.0.0"})
    assert builder.toolchain_hash() != before


@pytest.mark.parametrize("module", ["views.py", "models/plans.py", "handouts/render.py"])
def test_changed_code_renders_the_handouts_again(builder, monkeypatch, tmp_path, module):
    from nongthonmoi.handouts import build

    package = tmp_path / "nongthonmoi"
    shutil.copytree(build.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build, "PACKAGE", package)
    before = builder.toolchain_hash()
    with (package / module).open("a", encoding="utf-8") as code:
        code.write("\n# changed\n")
    assert builder.toolchain_hash() != before


# --- Calendars and feed on the real site ---------------------------------------------


def test_feed_ids_do_not_change_when_the_site_moves():
    from nongthonmoi.saturday import feed
    from nongthonmoi.saturday.data import load

    data = load(ROOT)
    plans = list(data.plans.values())

    def ids(site_url: str) -> tuple[list[str], str]:
        xml = feed.plans_feed(plans, data.units, site_url, lambda p: site_url + f"xa/{p.unit}/", site_url + "feed.xml").decode()
        return re.findall(r"<id>([^<]*)</id>", xml), re.search(r'<link rel="self" href="([^"]*)"', xml).group(1)

    old, old_self = ids("http://localhost:8000/")
    new, new_self = ids("https://nongthonmoi.example.vn/di-linh/")
    assert old == new and len(set(old)) == len(plans) + 1
    assert all(re.fullmatch(r"tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\w/.-]+", i) for i in old), old[:3]
    assert (old_self, new_self) == ("http://localhost:8000/feed.xml", "https://nongthonmoi.example.vn/di-linh/feed.xml")


def test_a_failure_beside_the_build_stops_it_and_keeps_the_site(scratch_site, tmp_path):
    """Workbooks and PDFs are made in a process beside the build (background.py):
    when that fails, the build fails with its message and the site stays."""
    repo, _ = scratch_site
    site = repo / "site"
    before = tree_hash(site)
    hook = (
        "from nongthonmoi.workbooks import site\n\n\n"
        "def _fail(self, missing):\n"
        "    raise RuntimeError('Bảng tính thử hỏng')\n\n\n"
        "site.WorkbookBuilder.make = _fail\n"
    )
    with planted_hook(repo, "hong_bang_tinh.py", hook):
        # An empty workbook cache: every workbook must be made.
        result = run_mkdocs(repo, site, env={"NTM_WORKBOOK_CACHE": str(tmp_path / "bang-tinh")})
    assert result.returncode != 0
    assert "Bảng tính thử hỏng" in result.stderr
    assert tree_hash(site) == before
    assert sorted(repo.glob(".site.*")) == []


def _alternates(html: str) -> list[dict]:
    parser = _Live()
    parser.feed(html)
    return [a for tag, a in parser.tags if tag == "link" and a.get("type") == "application/atom+xml"]


def test_every_page_announces_the_feed_in_the_site_and_the_offline_copy(site):
    pages = [p for p in site.rglob("*.html") if "quan-tri" not in p.parts and p.name != "404.html"]
    assert len(pages) > 40
    for page in pages:
        (link,) = _alternates(page.read_text(encoding="utf-8"))
        assert link["rel"] == "alternate" and link["title"]
        assert (page.parent / link["href"]).resolve() == (site / "feed.xml").resolve(), page
    with zipfile.ZipFile(site / "tai-ve/nong-thon-moi-di-linh.zip") as archive:
        names = set(archive.namelist())
        for name in ("nong-thon-moi-di-linh/index.html", "nong-thon-moi-di-linh/xa/gung-re/2023-03-04.html"):
            (link,) = _alternates(archive.read(name).decode("utf-8"))
            target = os.path.normpath(os.path.join(os.path.dirname(name), link["href"]))
            assert target == "nong-thon-moi-di-linh/feed.xml" and target in names


def git_revision(root: Path, path: str) -> tuple[str, int]:
    """(last commit of ``path`` in UTC as iCalendar writes it, commits that changed it), asked of git."""
    stamp = int(git(root, "log", "-1", "--format=%ct", "--", path).strip())
    count = int(git(root, "rev-list", "--count", "HEAD", "--", path).strip())
    return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ"), count


def test_every_event_is_at_its_plans_hours_and_carries_its_revision(site):
    from zoneinfo import ZoneInfo

    from nongthonmoi.saturday.data import load, plan_path
    from test_saturday_site import parse_ics

    data = load(ROOT)
    di_linh = ZoneInfo("Asia/Ho_Chi_Minh")
    seen = 0
    for calendar in sorted((site / "lich").glob("*.ics")):
        unit = calendar.stem
        events = parse_ics(calendar.read_bytes())
        plans = data.plans_of(unit)
        assert [e["UID"] for e in events] == [f"{unit}-{p.date:%Y%m%d}@nongthonmoi-dilinh" for p in plans]
        for event, plan in zip(events, plans):
            start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            end = datetime.strptime(event["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            assert end > start, event["UID"]
            # The plan's hours are Di Linh time; the file says UTC.
            assert start == datetime.combine(plan.date, plan.hours.start, tzinfo=di_linh), event["UID"]
            assert end == datetime.combine(plan.date, plan.hours.end, tzinfo=di_linh), event["UID"]
            committed, commits = git_revision(ROOT, plan_path(plan.unit, plan.date))
            assert event["DTSTAMP"] == event["LAST-MODIFIED"] == committed, event["UID"]
            assert event["SEQUENCE"] == str(commits - 1), event["UID"]
            seen += 1
    assert seen == len(data.plans) == 9


# --- A scratch site built from hostile data --------------------------------------------

UNIT_NAME = 'Gung "Ré" [x](javascript:alert(1)) *đậm*'
PLAN_CONTENT = 'Tổng vệ sinh "đường làng" & [y](javascript:alert(2)) _nghiêng_ `mã`'
NOTE = '=HYPERLINK("http://example.invalid/","bấm vào đây")'
PAGE = "docs/bien-tap/thử-nghiệm.md"
PAGE_DESCRIPTION = 'Trang "thử" & kiểm tra dấu nháy'
PLAN_FILE = "materials/ke-hoach/gung-re/2023-03-04.yml"


@contextlib.contextmanager
def planted_hook(repo: Path, name: str, code: str):
    """A MkDocs hook file ``name`` holding ``code``, listed in mkdocs.yml
    inside the block only."""
    config = repo / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    (repo / name).write_text(code, encoding="utf-8")
    config.write_text(original + f"\nhooks:\n  - {name}\n", encoding="utf-8")
    try:
        yield
    finally:
        config.write_text(original, encoding="utf-8")
        (repo / name).unlink()


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory, site) -> tuple[Path, int]:
    """(repository copy, time of its last commit): the real history plus one
    commit with hostile text, built into ``site/`` with the real handout cache."""
    repo = copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    # Its own git repository with the real history, so commits here never touch ours.
    dot_git = repo / ".git"
    shutil.rmtree(dot_git) if dot_git.is_dir() else dot_git.unlink()
    git(repo, "init", "-q")
    git(repo, "fetch", "-q", str(ROOT), "HEAD")
    git(repo, "reset", "-q", "FETCH_HEAD")
    git(repo, "add", "-A")
    head = int(git(repo, "log", "-1", "--format=%ct").strip())
    git(repo, "commit", "-q", "--allow-empty", "-m", "Bản làm việc", when=head)
    _edit(repo / "materials/don-vi.yml", "ten: Gung Ré\n", f"ten: '{UNIT_NAME}'\n")
    _edit(repo / PLAN_FILE, "noi_dung: Tổng vệ sinh đường làng, ngõ xóm; khơi thông cống rãnh\n", f"noi_dung: '{PLAN_CONTENT}'\n")
    _edit(repo / "materials/ket-qua/gung-re/2023-03-04.yml",
          "ghi_chu: Người dân hưởng ứng; đề nghị bố trí thêm xe chở rác.\n", f"ghi_chu: '{NOTE}'\n")
    (repo / PAGE).write_text(
        f"---\ntitle: Trang thử\ndescription: '{PAGE_DESCRIPTION}'\n---\n\n# Trang thử\n\nMột trang có tên tệp tiếng Việt.\n",
        encoding="utf-8",
    )
    edited = head + 86400 + 3600
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Dữ liệu có dấu nháy và cú pháp Markdown", when=edited)
    result = run_mkdocs(repo, repo / "site")  # copy_repo brought the warm handout cache
    assert result.returncode == 0, result.stderr
    return repo, edited


def test_hostile_text_stays_text_on_the_built_pages(scratch_site):
    repo, _ = scratch_site
    site = repo / "site"
    for page in ("xa/index.html", "xa/gung-re/index.html", "xa/gung-re/2023-03-04/index.html",
                 "thu-bay/2023-03-04/index.html", "ket-qua/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert not live_markup_from_data(html), page
        assert UNIT_NAME in shown_text(html), page
    plan = shown_text((site / "xa/gung-re/2023-03-04/index.html").read_text(encoding="utf-8"))
    assert PLAN_CONTENT in plan and NOTE in plan


def _meta_description(html: str) -> list[dict]:
    parser = _Live()
    parser.feed(html)
    return [a for tag, a in parser.tags if tag == "meta" and a.get("name") == "description"]


def test_quotes_stay_inside_the_meta_description(scratch_site):
    repo, _ = scratch_site
    site = repo / "site"
    plan = (site / "xa/gung-re/2023-03-04/index.html").read_text(encoding="utf-8")
    (meta,) = _meta_description(plan)
    assert meta == {"name": "description", "content": f"Kế hoạch và kết quả ngày thứ Bảy 04/03/2023 của Xã {UNIT_NAME}: {PLAN_CONTENT}."}
    # A hand-written page: the fix is in the theme, for every page.
    (meta,) = _meta_description((site / "bien-tap/thử-nghiệm/index.html").read_text(encoding="utf-8"))
    assert meta == {"name": "description", "content": PAGE_DESCRIPTION}


def test_a_page_with_a_vietnamese_file_name_shows_its_date(scratch_site):
    from nongthonmoi.views import vi_date

    repo, edited = scratch_site
    html = (repo / "site/bien-tap/thử-nghiệm/index.html").read_text(encoding="utf-8")
    expected = vi_date(datetime.fromtimestamp(edited + 7 * 3600, tz=timezone.utc).date())  # in Di Linh
    assert f"Cập nhật lần cuối: {expected}" in shown_text(html)


def test_a_result_note_that_starts_like_a_formula_stays_text(scratch_site):
    repo, _ = scratch_site
    header, *rows = read_csv(repo / "site/bao-cao/bao-cao-2023-03-04.csv")
    assert all(len(row) == len(header) for row in rows)
    row = dict(zip(header, next(r for r in rows if r[1] == f"Xã {UNIT_NAME}")))
    assert row["Ghi chú"] == "'" + NOTE
    assert row["Nội dung"] == PLAN_CONTENT
    assert row["Số hộ tham gia"] == "150"


def test_a_changed_plan_updates_its_event_and_feed_entry(scratch_site, site):
    from test_saturday_site import parse_ics

    repo, edited = scratch_site
    before = {e["UID"]: e for e in parse_ics((site / "lich/gung-re.ics").read_bytes())}
    after = {e["UID"]: e for e in parse_ics((repo / "site/lich/gung-re.ics").read_bytes())}
    uid = "gung-re-20230304@nongthonmoi-dilinh"
    assert before.keys() == after.keys()  # stable UIDs: the app updates, never duplicates
    stamp = datetime.fromtimestamp(edited, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert after[uid]["DTSTAMP"] == after[uid]["LAST-MODIFIED"] == stamp > before[uid]["DTSTAMP"]
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    for other in set(before) - {uid}:  # plans nobody touched keep their revision
        assert (after[other]["SEQUENCE"], after[other]["DTSTAMP"]) == (before[other]["SEQUENCE"], before[other]["DTSTAMP"])
    entry = re.search(r"<entry>(?:(?!</entry>).)*gung-re/2023-03-04</id>.*?</entry>", (repo / "site/feed.xml").read_text(encoding="utf-8"), re.S)
    assert entry and "<updated>" + datetime.fromtimestamp(edited, tz=timezone(timedelta(hours=7))).isoformat() in entry.group(0)


# --- Failed builds: the previous site stays; the offline copy is as strict ---------------


@pytest.fixture(scope="module")
def broken_link_build(scratch_site) -> dict:
    """The scratch site built again with a link to a page that does not exist."""
    repo, _ = scratch_site
    page = repo / "docs/thuat-ngu.md"
    text = page.read_text(encoding="utf-8")
    before = tree_hash(repo / "site")
    page.write_text(text + "\nXem thêm [trang chưa có](khong-co-trang-nay.md).\n", encoding="utf-8")
    # The content check would stop the link before either build (rule P002):
    # switched off here, so that the engine's own strict mode is what fails.
    config = repo / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings.replace("  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n", 1), encoding="utf-8")
    try:
        result = run_mkdocs(repo, repo / "site")
    finally:
        page.write_text(text, encoding="utf-8")
        config.write_text(settings, encoding="utf-8")
    return {"result": result, "before": before, "after": tree_hash(repo / "site"), "left": sorted(repo.glob(".site.*"))}


def test_the_offline_copy_is_built_as_strictly_as_the_site(broken_link_build):
    from nongthonmoi import offline

    result = broken_link_build["result"]
    assert result.returncode != 0
    # The offline copy, converted from the pages once they are written, meets
    # the link and says so (the engine's strict mode misses it under -q).
    assert offline.OFFLINE_FAILED in result.stderr, result.stderr[-2000:]
    said = result.stderr.split(offline.OFFLINE_FAILED, 1)[1]
    assert "khong-co-trang-nay.md" in said and "[P002]" in said and "INFO" not in said
    assert "Traceback" not in result.stderr


def test_a_page_address_the_offline_copy_cannot_hold_stops_the_build(scratch_site):
    """Links the site's checks accept but the copy would break (here to the web
    editor, which the zip leaves out) stop the build, named, in Vietnamese,
    and the previous site stays."""
    from nongthonmoi import offline

    repo, _ = scratch_site
    site = repo / "site"
    before = tree_hash(site)
    hook = (
        "def on_post_page(output, page, config):\n"
        "    if page.file.src_uri == 'thuat-ngu.md':\n"
        "        output = output.replace('</article>', '<a href=\"../quan-tri/\">Trang quản trị</a></article>', 1)\n"
        "    return output\n"
    )
    with planted_hook(repo, "lien_ket_thu.py", hook):
        result = run_mkdocs(repo, site)
    assert result.returncode != 0
    said = result.stderr.split(offline.OFFLINE_FAILED, 1)[1]
    assert "thuat-ngu.html: «../quan-tri/» dẫn tới «quan-tri/index.html»" in said
    assert "Traceback" not in result.stderr
    assert tree_hash(site) == before
    assert sorted(repo.glob(".site.*")) == []


def test_a_failed_build_keeps_the_previous_site(broken_link_build):
    assert broken_link_build["result"].returncode != 0
    assert broken_link_build["after"] == broken_link_build["before"]
    assert broken_link_build["left"] == []


def test_a_late_warning_keeps_the_site_and_a_good_build_replaces_it(scratch_site, broken_link_build):
    """A strict warning only the main build meets, after every page is written
    (a test hook), fails the build and keeps site/; then a clean build swaps in."""
    repo, _ = scratch_site
    site = repo / "site"
    hook = (
        "import logging, os\n\n\n"
        "def on_post_build(config):\n"
        "    if not os.environ.get('NTM_OFFLINE'):\n"
        "        logging.getLogger('mkdocs.hooks.canh_bao_thu').warning('Cảnh báo thử sau khi ghi trang')\n"
    )
    before = tree_hash(site)
    glossary = repo / "docs/thuat-ngu.md"
    text = glossary.read_text(encoding="utf-8")
    # The same sources would build the same bytes: change a page, so that a
    # site swapped in despite the warning would show.
    glossary.write_text(text + "\n\nCâu của bản dựng có cảnh báo.\n", encoding="utf-8")
    with planted_hook(repo, "canh_bao_thu.py", hook):
        warned = run_mkdocs(repo, site)
    assert warned.returncode != 0 and "Cảnh báo thử sau khi ghi trang" in warned.stderr
    assert tree_hash(site) == before
    assert sorted(repo.glob(".site.*")) == []

    glossary.write_text(text + "\n\nCâu mới cho lần dựng lại.\n", encoding="utf-8")
    rebuilt = run_mkdocs(repo, site)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Câu mới cho lần dựng lại." in (site / "thuat-ngu/index.html").read_text(encoding="utf-8")
    assert tree_hash(site) != before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".site")) == []

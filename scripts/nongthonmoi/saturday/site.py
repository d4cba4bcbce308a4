"""Generated pages and files for the Saturday programme.

Called from the plugin's ``on_files``. Every page is rendered through a
Jinja view in ``overrides/views/saturday/`` into Markdown. Each page's inputs
(data files' size and modification time, templates, code) are
fingerprinted, so an unchanged page is not rendered again:

- ``mkdocs build``: the text goes to MkDocs from memory
  (``on_page_read_source``) and is kept for the next build in one file,
  ``.cache/generated/pages/pages.pack``;
- ``mkdocs serve`` (what ``ntm serve`` runs): one Markdown file per page
  under ``.cache/generated/pages/``, rewritten only when its text changes, so
  ``--dirty`` rebuilds only the pages an edit really touched (MkDocs compares
  the source and output modification times); the fingerprints are kept in
  ``.fingerprints.json``.

The calendars, feed and CSV reports are files under ``.cache/generated/files/``.
A build claims the files it uses; pages and files no build uses any more
(a plan deleted, a commune without plans) go after a build that succeeded
(cachekeep.py).

Addresses:

- ``xa/`` all units; ``xa/<id>/`` one unit; ``xa/<id>/<yyyy-mm-dd>/`` one plan
  with its result;
- ``thu-bay/`` all Saturdays; ``thu-bay/<yyyy-mm-dd>/`` all units side by side;
- ``thu-bay-nay/`` the coming Saturday; ``ket-qua/`` participation charts;
- ``bao-cao/bao-cao-<yyyy-mm-dd>.csv`` the Monday report; ``lich/<id>.ics``
  for a unit with at least one plan; ``feed.xml``; the workbooks
  (``workbooks/site.py``) are linked, not made, here.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .. import buildday, cachekeep
from ..models.plans import clock, format_amount, report_deadline, staff_list_deadline
from ..atomicfile import write_atomically
from ..models.units import HAMLETS_ARE_EXAMPLE
from ..views import make_environment
from . import charts, feed, ics, report
from .data import SaturdayData, plan_path, result_path, staff_list_path

GENERATED_DIR = Path(".cache") / "generated"
# The files of each folder cachekeep.py may prune.
PAGE_ENTRIES = r".+\.md"  # pages as files (mkdocs serve); not .fingerprints.json
PACK_ENTRIES = r"pages\.pack"
STATIC_ENTRIES = r"(?!\.inputs\Z).+"  # the calendars, feed and reports; not the inputs' record
STREAM_FROM = 200  # pages to render from which they are rendered on the other core
UID_DOMAIN = "nongthonmoi-dilinh"
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


@dataclass
class PageSpec:
    src_uri: str
    title: str
    description: str
    template: str
    sources: list[str]
    context: Callable[[], dict]  # built only when the page must be re-rendered
    extra_key: str = ""
    search_exclude: bool = False


def reference_date() -> date:
    """'Today' for the static pages: the build day in Vietnam (buildday.py;
    ``NTM_TODAY`` pins it). Kept under this name for the workbooks and the
    benchmarks; new code calls :func:`nongthonmoi.buildday.build_day`."""
    return buildday.build_day()


def coming_saturday(today: date) -> date:
    return buildday.coming_saturday(today)


# --- page list -------------------------------------------------------------


def unit_page(unit_id: str) -> str:
    return f"xa/{unit_id}/index.md"


def plan_page(unit_id: str, saturday: date) -> str:
    return f"xa/{unit_id}/{saturday.isoformat()}.md"


def saturday_page(saturday: date) -> str:
    return f"thu-bay/{saturday.isoformat()}.md"


def report_file(saturday: date) -> str:
    return f"bao-cao/bao-cao-{saturday.isoformat()}.csv"


def calendar_file(unit_id: str) -> str:
    return f"lich/{unit_id}.ics"


FEED_FILE = "feed.xml"
# Pages the nav in mkdocs.yml lists; the thousands of others stay out of it.
IN_NAV = {"xa/index.md", "thu-bay/index.md", "thu-bay-nay/index.md", "ket-qua/index.md", "anh/index.md"}
PHOTO_GUIDE = "bien-tap/anh.md"


def page_specs(data: SaturdayData, today: date, photos=None) -> list[PageSpec]:
    from . import context as ctx

    def photo_files(unit_id: str, saturday: date) -> list[str]:
        return [p.path for p in photos.of(unit_id, saturday)] if photos is not None else []

    units_file, agencies_file = "materials/don-vi.yml", "materials/co-quan.yml"
    all_plans = [plan_path(u, d) for u, d in sorted(data.plans)]
    all_results = [result_path(u, d) for u, d in sorted(data.results)]
    specs = [
        PageSpec(
            "xa/index.md",
            "Các xã, thị trấn",
            "Các xã, thị trấn của huyện Di Linh: thôn, cơ quan hỗ trợ, kế hoạch ngày thứ Bảy và lịch để tải về.",
            "saturday/units.html",
            [units_file, agencies_file, *all_plans],
            lambda: ctx.units_index(data),
        ),
        PageSpec(
            "thu-bay/index.md",
            "Các ngày thứ Bảy",
            "Danh sách các ngày thứ Bảy đã có kế hoạch, số xã có kế hoạch và báo cáo, bảng báo cáo thứ Hai để tải về.",
            "saturday/saturdays.html",
            [units_file, *all_plans, *all_results],
            lambda: ctx.saturdays_index(data),
        ),
        PageSpec(
            "ket-qua/index.md",
            "Kết quả tham gia",
            "Tỷ lệ hộ dân tham gia ngày thứ Bảy theo từng xã, thị trấn và theo thời gian.",
            "saturday/results.html",
            [units_file, *all_results],
            lambda: ctx.results_overview(data),
        ),
    ]
    coming = coming_saturday(today)
    specs.append(
        PageSpec(
            "thu-bay-nay/index.md",
            "Thứ Bảy này",
            "Ngày thứ Bảy sắp tới: kế hoạch của các xã, hạn gửi danh sách cán bộ (thứ Tư) và hạn báo cáo (thứ Hai).",
            "saturday/this_saturday.html",
            [
                units_file,
                *(plan_path(p.unit, p.date) for p in data.plans_on(coming)),
                *(plan_path(p.unit, p.date) for d in ctx.weeks_ahead(data, coming) for p in data.plans_on(d)),
                # The latest past week is named, with its example label.
                *(plan_path(p.unit, p.date) for p in data.plans_on(ctx.latest_past(data, coming) or coming)),
            ],
            lambda: ctx.this_saturday(data, coming, today),
            extra_key=f"{coming.isoformat()} {today.isoformat()}",  # the page names both
        )
    )
    for unit in data.units.units:
        plans = data.plans_of(unit.id)
        specs.append(
            PageSpec(
                unit_page(unit.id),
                unit.full_name,
                f"{unit.full_name}: kế hoạch và kết quả ngày thứ Bảy, cơ quan hỗ trợ, các thôn.",
                "saturday/unit.html",
                [
                    units_file,
                    agencies_file,
                    *(plan_path(unit.id, p.date) for p in plans),
                    *(result_path(unit.id, p.date) for p in plans if (unit.id, p.date) in data.results),
                ],
                # No search boost: the search ranks a commune's page first when
                # the query names the commune (lunr.vi.min.js), not for any query.
                lambda unit=unit: ctx.unit_detail(data, unit),
            )
        )
        for plan in plans:
            key = (unit.id, plan.date)
            specs.append(
                PageSpec(
                    plan_page(unit.id, plan.date),
                    f"{unit.full_name}: thứ Bảy {plan.date:%d/%m/%Y}",
                    f"Kế hoạch{' và kết quả' if key in data.results else ''} ngày thứ Bảy {plan.date:%d/%m/%Y} của {unit.full_name}: {plan.content}.",
                    "saturday/plan.html",
                    [
                        units_file,
                        agencies_file,
                        plan_path(*key),
                        *([result_path(*key)] if key in data.results else []),
                        *(staff_list_path(s.agency, s.saturday) for s in data.staff_lists_on(plan.date)),
                        *photo_files(*key),
                    ],
                    lambda unit=unit, plan=plan: ctx.plan_detail(data, unit, plan, photos),
                    # The Saturday page shows every commune's plan for the day and
                    # is indexed; leaving the thousands of single-plan pages out
                    # keeps the index small for phones and the results readable.
                    search_exclude=True,
                )
            )
    for saturday in data.saturdays:
        specs.append(
            PageSpec(
                saturday_page(saturday),
                f"Thứ Bảy {saturday:%d/%m/%Y}",
                f"Kế hoạch, kết quả của các xã, thị trấn ngày thứ Bảy {saturday:%d/%m/%Y}; hạn gửi danh sách và báo cáo.",
                "saturday/saturday.html",
                [
                    units_file,
                    agencies_file,
                    *(plan_path(p.unit, p.date) for p in data.plans_on(saturday)),
                    *(result_path(p.unit, p.date) for p in data.plans_on(saturday) if (p.unit, p.date) in data.results),
                    *(staff_list_path(s.agency, s.saturday) for s in data.staff_lists_on(saturday)),
                ],
                lambda saturday=saturday: ctx.saturday_detail(data, saturday, photos),
            )
        )
    specs += _photo_specs(data, photos, units_file)
    return specs


def _photo_specs(data: SaturdayData, photos, units_file: str) -> list[PageSpec]:
    """The district's photos: one page per Saturday with photos, and their list."""
    from ..photos.site import GALLERY_INDEX, gallery_page
    from . import context as ctx

    saturdays = photos.saturdays if photos is not None else []
    counts = photos.counts() if photos is not None else {}

    def record_files(saturday: date) -> list[str]:
        out = []
        for unit_id in sorted({s.unit for s in photos.on(saturday)}):
            if (unit_id, saturday) in data.plans:
                out.append(plan_path(unit_id, saturday))
            if (unit_id, saturday) in data.results:
                out.append(result_path(unit_id, saturday))
        return out

    specs = [
        PageSpec(
            GALLERY_INDEX,
            "Ảnh các ngày thứ Bảy",
            "Ảnh các xã, thị trấn gửi về sau mỗi ngày thứ Bảy: trước, trong và sau buổi làm.",
            "saturday/galleries.html",
            [units_file, *(f for d in saturdays for f in record_files(d))],
            lambda: ctx.galleries_index(photos, counts, PHOTO_GUIDE),
        )
    ]
    for saturday in saturdays:
        shown = photos.on(saturday)
        specs.append(
            PageSpec(
                gallery_page(saturday),
                f"Ảnh ngày thứ Bảy {saturday:%d/%m/%Y}",
                f"Ảnh các xã, thị trấn gửi về ngày thứ Bảy {saturday:%d/%m/%Y}: {len(shown)} ảnh.",
                "saturday/gallery.html",
                [units_file, *record_files(saturday), *(p.path for p in shown)],
                lambda saturday=saturday: ctx.gallery_detail(photos, saturday),
            )
        )
    return specs


# --- rendering -------------------------------------------------------------

# Generated file -> fingerprint of what it was last rendered from (per process).
_RENDERED: dict[str, str] = {}


def _front_matter(spec: PageSpec) -> str:
    # JSON is valid YAML and needs no escaping rules of its own.
    lines = ["---", f"title: {json.dumps(spec.title, ensure_ascii=False)}"]
    lines.append(f"description: {json.dumps(spec.description, ensure_ascii=False)}")
    if spec.search_exclude:
        lines += ["search:", "  exclude: true"]
    lines.append("sources:")
    lines += [f"  - {s}" for s in dict.fromkeys(spec.sources)]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _write_if_changed(path: Path, text: str | bytes) -> bool:
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomically(path, data)  # a concurrent build never reads half a file
    return True


def generate(
    config,
    files: Files,
    data: SaturdayData,
    root: Path,
    workbooks=None,
    history: dict | None = None,
    *,
    in_memory: bool = False,
    photos=None,
) -> None:
    """Add the generated pages and files to ``files``.

    ``workbooks``: the plan, result and report workbooks already added to
    ``files`` (``workbooks.site.WorkbookIndex``), which the views link to.
    ``history`` (gitdates.file_history) dates the calendars' and feed's entries.
    ``in_memory`` (``mkdocs build``): the pages' text is handed to MkDocs by
    :func:`ensure_page` and kept in one file for the next build; otherwise
    (``mkdocs serve``) each page is a file, for ``--dirty`` rebuilds.
    """
    from ..workbooks.site import WorkbookIndex

    global _STREAM
    _STREAM = None
    _TEXTS.clear()  # what an earlier build of this process (mkdocs serve) kept
    workbooks = workbooks or WorkbookIndex()
    history = {} if history is None else history
    # The offline copy is built at the same time with file links (page.html):
    # it gets its own folder so the two builds never overwrite each other's pages.
    out_dir = root / GENERATED_DIR / ("pages" if config.use_directory_urls else "pages-offline")
    static_dir = root / GENERATED_DIR / ("files" if config.use_directory_urls else "files-offline")
    today = reference_date()
    specs = page_specs(data, today, photos)

    pages: dict[str, File] = {}
    for spec in specs:
        inclusion = InclusionLevel.UNDEFINED if spec.src_uri in IN_NAV else InclusionLevel.NOT_IN_NAV
        pages[spec.src_uri] = File.generated(
            config, spec.src_uri, abs_src_path=str(out_dir / spec.src_uri), inclusion=inclusion
        )
    views = root / "overrides" / "views" / "saturday"
    stat_cache: dict[str, tuple] = {}

    root_text = str(root)

    def stat(rel: str):
        if rel not in stat_cache:
            try:
                st = os.stat(f"{root_text}/{rel}")  # 7,000 files: no Path object each
                stat_cache[rel] = (st.st_size, st.st_mtime_ns)
            except FileNotFoundError:
                stat_cache[rel] = None
        return stat_cache[rel]

    templates = sorted((p.name, p.stat().st_mtime_ns) for p in views.glob("*.html"))
    # The code that computes what pages show counts as an input too, and so
    # does views.py, which escapes every value the views print.
    package = Path(__file__).resolve().parent
    code = sorted(
        (p.name, p.stat().st_mtime_ns)
        for p in [*package.glob("*.py"), *package.parent.glob("models/*.py"), package.parent / "views.py"]
    )
    everything = sorted({s for spec in specs for s in spec.sources})
    inputs = hashlib.sha256(
        repr(
            (code, config.site_url, config.use_directory_urls, [(s, stat(s), history.get(s)) for s in everything])
        ).encode()
    ).hexdigest()
    statics = {
        name: File.generated(config, name, abs_src_path=str(static_dir / name)) for name in _static_names(data)
    }
    _write_statics(config, data, pages, history, static_dir, inputs, set(statics), photos)
    known = {**pages, **statics}
    # Adding or removing a plan changes links and lists on many pages.
    structure = hashlib.sha256(
        repr((templates, code, sorted(known), config.use_directory_urls, data.saturdays, workbooks.names())).encode()
    ).hexdigest()
    env = _environment(root)

    def page_text(spec: PageSpec) -> str:
        page_file = pages[spec.src_uri]

        def link(target: str) -> Markup:
            found = known.get(target) or files.get_file_from_path(target)
            if found is None:
                raise KeyError(f"no page or file {target!r}")
            # Markup: an address the view built, not text from data (views.as_text).
            return escape(get_relative_url(found.url, page_file.url))

        body = env.get_template(spec.template).render(link=link, page_title=spec.title, bang_tinh=workbooks, **spec.context())
        return _front_matter(spec) + body

    fingerprints = [
        (spec, hashlib.sha256(repr((structure, spec.extra_key, [(s, stat(s)) for s in spec.sources])).encode()).hexdigest())
        for spec in specs
    ]
    if in_memory:
        _pages_in_memory(out_dir, fingerprints, page_text)
    else:
        _pages_as_files(out_dir, fingerprints, page_text)
    for file in known.values():
        files.append(file)


def _pages_as_files(out_dir: Path, fingerprints: list, page_text) -> None:
    """One Markdown file per page, rewritten only when its text changes: what
    ``mkdocs serve --dirty`` needs (it compares the files' dates)."""
    # Fingerprints of the last build, kept on disk so the next process (a new
    # build, or the first build of ``mkdocs serve``) skips unchanged pages too.
    state_file = out_dir / ".fingerprints.json"
    try:
        saved = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    # Pages no build uses any more (a plan deleted) go after a build that succeeded.
    cachekeep.claim(out_dir, [spec.src_uri for spec, _ in fingerprints], PAGE_ENTRIES)
    for spec, fingerprint in fingerprints:
        path = out_dir / spec.src_uri
        if fingerprint in (_RENDERED.get(str(path)), saved.get(spec.src_uri)) and path.is_file():
            continue
        _write_if_changed(path, page_text(spec))
        _RENDERED[str(path)] = fingerprint
    state = {spec.src_uri: fingerprint for spec, fingerprint in fingerprints}
    _write_if_changed(state_file, json.dumps(state, indent=0, sort_keys=True))


# --- pages kept in memory (mkdocs build) -------------------------------------
#
# A build gives MkDocs the generated pages' text in on_page_read_source, and
# keeps them for the next build in one file (PACK): thousands of small cache
# files cost a first build more in the file system than their text costs to
# make. Records: three lengths (page, fingerprint, text), then the three.

PACK = "pages.pack"
_PACK_MAGIC = b"ntm-pages 1\n"
_RECORD = struct.Struct("<III")
# The text of each generated page of this build, by src_uri.
_TEXTS: dict[str, str] = {}


def _record(src_uri: str, fingerprint: str, text: str) -> bytes:
    parts = [src_uri.encode(), fingerprint.encode(), text.encode("utf-8")]
    return _RECORD.pack(*map(len, parts)) + b"".join(parts)


def _records(data, pos: int) -> tuple[list[tuple[str, str, str]], int]:
    """The whole records in ``data`` from ``pos``, and where the next one starts."""
    found = []
    while len(data) - pos >= _RECORD.size:
        sizes = _RECORD.unpack_from(data, pos)
        start = pos + _RECORD.size
        end = start + sum(sizes)
        if end > len(data):
            break
        cut = (start, start + sizes[0], start + sizes[0] + sizes[1], end)
        found.append(tuple(bytes(data[cut[i] : cut[i + 1]]).decode("utf-8") for i in range(3)))
        pos = end
    return found, pos


def read_pack(out_dir: Path) -> dict[str, tuple[str, str]]:
    """src_uri -> (fingerprint, text) of the pages an earlier build kept."""
    try:
        data = (out_dir / PACK).read_bytes()
    except OSError:
        return {}
    if not data.startswith(_PACK_MAGIC):
        return {}
    found, end = _records(data, len(_PACK_MAGIC))
    return {uri: (fingerprint, text) for uri, fingerprint, text in found} if end == len(data) else {}


def _pages_in_memory(out_dir: Path, fingerprints: list, page_text) -> None:
    global _STREAM
    from .. import background

    cachekeep.claim(out_dir, [PACK], PACK_ENTRIES)
    kept = read_pack(out_dir)
    todo = []
    for spec, fingerprint in fingerprints:
        hit = kept.get(spec.src_uri)
        if hit is not None and hit[0] == fingerprint:
            _TEXTS[spec.src_uri] = hit[1]
        else:
            todo.append((spec, fingerprint))
    wanted = [(spec.src_uri, fingerprint) for spec, fingerprint in fingerprints]
    if not todo and set(kept) == {uri for uri, _ in wanted}:
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    pack = out_dir / PACK
    # Spools of builds stopped half-way go after a build that succeeded (cachekeep.py).
    if len(todo) >= STREAM_FROM:
        # A first build renders thousands of pages: on the other core, in the
        # order MkDocs reads them, into a spool file that becomes the next
        # build's pack; a page not there yet when MkDocs reads it is made by
        # the build itself (on_page_read_source, ensure_page).
        spool = out_dir / f".{PACK}.{os.getpid()}.tmp"
        spool.write_bytes(_PACK_MAGIC)
        reader = spool.open("rb")  # opened before the child can rename it
        reader.read(len(_PACK_MAGIC))
        reused = [(uri, fingerprint) for uri, fingerprint in wanted if uri in _TEXTS]

        def render_in_order(done) -> None:
            try:
                with spool.open("ab", buffering=0) as out:
                    for index, (spec, fingerprint) in enumerate(todo):
                        out.write(_record(spec.src_uri, fingerprint, page_text(spec)))
                        done(index)
                    out.write(b"".join(_record(uri, fingerprint, _TEXTS[uri]) for uri, fingerprint in reused))
                os.replace(spool, pack)
            except BaseException:
                spool.unlink(missing_ok=True)
                raise

        stream = background.stream("trang-thu-bay", render_in_order)
        if stream is not None:
            _STREAM = _Stream(stream, todo, page_text, reader)
            return
        reader.close()
        spool.unlink(missing_ok=True)
    for spec, _ in todo:
        _TEXTS[spec.src_uri] = page_text(spec)

    def write() -> None:
        write_atomically(pack, _PACK_MAGIC + b"".join(_record(uri, f, _TEXTS[uri]) for uri, f in wanted))

    background.start("trang-thu-bay", write)  # beside the build; MkDocs reads the pages from memory


class _Stream:
    def __init__(self, stream, todo: list, page_text, reader):
        self.stream = stream
        self.todo = todo
        self.page_text = page_text
        self.reader = reader
        self.unread = bytearray()
        self.order = {spec.src_uri: index for index, (spec, _) in enumerate(todo)}

    def take_records(self) -> None:
        """The pages the other core has written to the spool so far."""
        self.unread += self.reader.read()
        found, end = _records(self.unread, 0)
        del self.unread[:end]
        for uri, _, text in found:
            _TEXTS[uri] = text


# The pages of this build being rendered beside it, if any.
_STREAM: _Stream | None = None


def ensure_page(src_uri: str) -> str | None:
    """The text of a generated page for MkDocs (on_page_read_source), or
    None: a page MkDocs reads from its file. A page the other core has not
    reached yet is rendered here rather than waited for (the build would
    only sit idle); the other core renders it too, to keep it."""
    text = _TEXTS.get(src_uri)
    if text is not None or _STREAM is None or src_uri not in _STREAM.order:
        return text
    index = _STREAM.order[src_uri]
    _STREAM.stream.catch_up()
    if _STREAM.stream.done >= index:
        _STREAM.take_records()
        text = _TEXTS.get(src_uri)
        if text is not None:
            return text
    text = _TEXTS[src_uri] = _STREAM.page_text(_STREAM.todo[index][0])
    return text


# One Jinja environment per repository and process (it reloads a template
# when its file changes).
_ENVIRONMENTS: dict[str, object] = {}
STATIC_STATE = ".inputs"


def _static_names(data: SaturdayData) -> list[str]:
    """The files _static_contents makes: a CSV report per Saturday, a calendar
    per unit with a plan, the feed."""
    names = [report_file(saturday) for saturday in data.saturdays]
    names += [calendar_file(unit.id) for unit in data.units.units if data.plans_of(unit.id)]
    return [*names, FEED_FILE]


def _write_statics(config, data, pages, history, folder: Path, inputs: str, names: set[str], photos=None) -> None:
    """Write the calendars, feed and CSV reports into ``folder``, unless the
    last build wrote them from the same inputs; beside the build where it can
    (background.py): MkDocs only copies them, after on_env."""
    state = folder / STATIC_STATE
    cachekeep.claim(folder, names, STATIC_ENTRIES)  # files no build uses go after a build that succeeded
    try:
        if state.read_text(encoding="utf-8") == inputs and all((folder / name).is_file() for name in names):
            return
    except OSError:
        pass

    def write() -> None:
        contents = _static_contents(config, data, pages, history, photos)
        if set(contents) != names:
            raise RuntimeError(f"static files {sorted(set(contents) ^ names)}: _static_names is out of step")
        for name, body in contents.items():
            _write_if_changed(folder / name, body)
        _write_if_changed(state, inputs)  # last: a build that stops half-way leaves no claim

    from .. import background

    state.unlink(missing_ok=True)
    background.start("lich-bao-cao", write)


def _environment(root: Path):
    env = _ENVIRONMENTS.get(str(root))
    if env is None:
        env = _ENVIRONMENTS[str(root)] = make_environment(root)
        _add_filters(env)
    return env


def _static_contents(config, data: SaturdayData, pages: dict[str, File], history: dict, photos=None) -> dict[str, bytes]:
    site_url = config.site_url or "http://localhost:8000/"
    if not site_url.endswith("/"):
        site_url += "/"

    def absolute(plan) -> str:
        return site_url + pages[plan_page(plan.unit, plan.date)].url

    def revision(plan) -> ics.Revision:
        found = history.get(plan_path(plan.unit, plan.date))
        return ics.Revision(found.last, found.commits - 1) if found else ics.drafted_revision(plan)

    out: dict[str, bytes] = {}
    for saturday in data.saturdays:
        out[report_file(saturday)] = report.report_csv(data, saturday)
    for unit in data.units.units:
        plans = data.plans_of(unit.id)
        # RFC 5545: a calendar holds at least one event; no plan, no file.
        if plans:
            out[calendar_file(unit.id)] = ics.unit_calendar(unit, plans, absolute, UID_DOMAIN, revision)
    plans = list(data.plans.values())

    def picture(plan) -> feed.Picture | None:
        shown = photos.cover(plan.unit, plan.date) if photos is not None else None
        return feed.Picture(site_url + shown.fallback, "image/jpeg", shown.description) if shown else None

    out[FEED_FILE] = feed.plans_feed(plans, data.units, site_url, absolute, site_url + FEED_FILE, revision, picture)
    return out


def _add_filters(env) -> None:
    env.filters["thu"] = lambda d: WEEKDAYS[d.weekday()]
    env.filters["gio"] = clock
    env.filters["so"] = format_amount
    env.filters["phan_tram"] = charts.percent
    env.globals["HAMLETS_ARE_EXAMPLE"] = HAMLETS_ARE_EXAMPLE
    env.globals["han_danh_sach"] = staff_list_deadline
    env.globals["han_bao_cao"] = report_deadline
    # No workbooks unless generate() passes the build's index (views rendered alone, tests).
    from ..workbooks.site import WorkbookIndex

    env.globals["bang_tinh"] = WorkbookIndex()

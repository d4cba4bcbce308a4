"""Print handouts, read back from the real PDFs of the built site.

Text with pdftotext (exact NFC Vietnamese of the source), paper with pdfinfo,
fonts with pdffonts, QR codes with pdftoppm + zbarimg, where each table row
landed with pdfinfo -dests (render.mark_tables names them); determinism and
the cache with fresh renders; longer weekly plans in a scratch copy.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_repo
from mkdocs.config import load_config
from nongthonmoi.atomicfile import write_atomically
from nongthonmoi.buildday import build_day
from nongthonmoi.handouts import HandoutBuilder, Settings
from nongthonmoi.handouts.catalog import all_handouts, static_handouts
from nongthonmoi.handouts.render import human_size
from nongthonmoi.handouts.sheets import (
    PAST_SATURDAYS,
    RESULT_FORM_FIELDS,
    check_result_form,
    plan_handouts,
    sheet_saturdays,
)
from nongthonmoi.handouts.source import (
    DOCUMENT_PAGES,
    Converter,
    page_url,
    read_page,
    resolve,
    select,
)
from nongthonmoi.materials import load_materials
from nongthonmoi.publishing import address_problem
from nongthonmoi.saturday.context import WEEKS_AHEAD
from nongthonmoi.saturday.site import coming_saturday, plan_page

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "zbarimg")),
    reason="poppler-utils and zbar-tools are needed (bash scripts/run test installs them)",
)

# The build's "today": the build day (NTM_TODAY, else the day in Vietnam), as the site fixture's build saw it.
TODAY = build_day()
MATERIALS = load_materials(ROOT)
COMING = coming_saturday(TODAY)
# Handouts cut from pages (their text is compared with the Markdown) ...
PAGE_HANDOUTS = {h.slug: h for h in static_handouts()}
# ... and every handout of the build, the data sheets included.
HANDOUTS = {h.slug: h for h in all_handouts(MATERIALS, COMING)}
PLANS = {h.slug: h for h in HANDOUTS.values() if h.template == "plan.html"}
# All communes' sheets of a Saturday in one PDF.
PACKETS = {h.slug: h for h in HANDOUTS.values() if h.members}
PAPER_PTS = {"A4": (595.28, 841.89), "A5": (419.53, 595.28)}
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000/")
PUBLIC = address_problem(SITE_URL) is None  # else handouts print no address (a trial print)


class _NoAliases(yaml.SafeDumper):
    """Plans written out in full: the loader refuses YAML aliases (rule Y004)."""

    def ignore_aliases(self, data):
        return True


def run(*cmd: str) -> str:
    if cmd[0] in _READERS and (cmd[0] != "pdftotext" or cmd[-1] == "-"):
        # Tests ask the same PDF the same question (its page sizes, a page's
        # text) again and again: each answer is kept for the file's version.
        key = (cmd, tuple(_version(arg) for arg in cmd))
        if key not in _ANSWERS:
            _ANSWERS[key] = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        return _ANSWERS[key]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


_READERS = {"pdfinfo", "pdftotext", "pdffonts"}  # they only read, and answer on standard output
_ANSWERS: dict[tuple, str] = {}


def _version(arg: str) -> tuple | None:
    try:
        found = os.stat(arg)
    except (OSError, ValueError):
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


def qr_codes(pdf: Path) -> set[str]:
    """The QR codes on the pages of ``pdf``, rasterised at 150 dpi.

    Kept for the run by the PDF's bytes: without a public address the site's
    handouts and the address-free render are the same files, and two tests
    scan them (18 PDFs each, the largest part of this module's time).
    Identical bytes, identical pages: what one test read, the other may."""
    import hashlib
    import tempfile

    from conftest import _RUN_FOLDER

    data = pdf.read_bytes()
    memo = _RUN_FOLDER[0] / "qr-codes" / f"{hashlib.sha256(data).hexdigest()}.json"
    if memo.exists():
        return set(json.loads(memo.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        run("pdftoppm", "-r", "150", "-png", str(pdf), f"{folder}/p")
        decoded: set[str] = set()
        for png in sorted(Path(folder).glob("p*.png")):
            result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
            decoded |= set(result.stdout.split())
    write_atomically(memo, json.dumps(sorted(decoded)).encode())  # another worker never reads half a file
    return decoded


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def body_text(pdf: Path, columns: int = 1) -> str:
    """Text in reading order, without the footer (page number, edition) in the
    bottom margin; with ``columns``, each page is read column by column."""
    sizes = page_sizes(pdf)
    out = []
    for number, (width, height) in enumerate(sizes, start=1):
        step = width / columns
        for column in range(columns):
            crop = ["-x", str(int(column * step)), "-y", "0", "-W", str(int(step)), "-H", str(int(height - 40))]
            pages = ["-f", str(number), "-l", str(number)]
            out.append(run("pdftotext", "-enc", "UTF-8", *pages, *crop, str(pdf), "-"))
    return "\n".join(out)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def md_blocks(markdown: str) -> list[str]:
    """Plain text of each paragraph, list item and heading of a Markdown text."""
    blocks, current = [], []
    for line in markdown.splitlines():
        starts_block = re.match(r"^\s*(#{1,6} |[-*] |\d+\. |!!! |> )", line)
        if not line.strip() or starts_block:
            if current:
                blocks.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    out = []
    for block in blocks:
        text = re.sub(r"^!!! \w+ \"([^\"]*)\"", r"\1", block)
        text = re.sub(r"\{[:#][^}]*\}", "", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"^(#{1,6} |[-*] (\[[ x]\] )?|\d+\. |> )", "", text)
        text = re.sub(r"[*_`]|\\", "", text)
        text = squash(text)
        if text:
            out.append(text)
    return out


def sentences(markdown: str) -> list[str]:
    found = []
    for block in md_blocks(markdown):
        found += [s for s in re.split(r"(?<=[.;:])\s+", block) if len(s) > 3]
    return found


def page_links(markdown: str, src_uri: str) -> list[tuple[str, str]]:
    """(link text, page of docs/) of each link to another page that is not a document."""
    found = []
    for text, target in re.findall(r"\[([^\]]*)\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", markdown):
        page = resolve(src_uri, target)
        if not page.startswith(DOCUMENT_PAGES) and (ROOT / "docs" / page).is_file():
            found.append((text, page))
    return found


def as_printed(markdown: str, src_uri: str) -> str:
    """The Markdown as the handout words it: a link to another page prints «its title»."""
    for text, page in page_links(markdown, src_uri):
        title = read_page(ROOT / "docs", page).title
        markdown = re.sub(r"\[" + re.escape(text) + r"\]\([^)]*\)", f"«{title}»", markdown, count=1)
    return markdown


def source_markdown(slug: str) -> str:
    handout = PAGE_HANDOUTS[slug]
    return "\n\n".join(as_printed(select(read_page(ROOT / "docs", p.page), p), p.page) for p in handout.parts)


@pytest.fixture(scope="module")
def pdfs(site) -> dict[str, Path]:
    folder = site / "tai-lieu-in"
    return {slug: folder / f"{slug}.pdf" for slug in HANDOUTS}


@pytest.mark.parametrize("slug", sorted(PAGE_HANDOUTS))
def test_text_is_the_source_text_in_nfc(pdfs, slug):
    columns = 2 if HANDOUTS[slug].template == "leaflet.html" and HANDOUTS[slug].paper == "A4" else 1
    text = body_text(pdfs[slug], columns)
    assert unicodedata.is_normalized("NFC", text)
    flat = squash(text)
    expected = sentences(source_markdown(slug))
    assert len(expected) > 10
    missing = [s for s in expected if s not in flat]
    assert not missing, missing[:3]


def test_vietnamese_letters_survive(pdfs):
    text = body_text(pdfs["thong-bao-422-tb-hu"]) + body_text(pdfs["ngay-thu-bay-a4"])
    for letter in "ĐđƯươỜờễặỗỦủ":
        assert letter in text, letter
    for word in ("Đảng ủy", "Nguyễn Hữu Hưng", "mặt trận", "hỗ trợ", "đường thôn", "Ưu điểm"):
        assert word in text, word


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_paper_size_is_as_declared(pdfs, slug):
    sizes = page_sizes(pdfs[slug])
    assert sizes
    want = PAPER_PTS[HANDOUTS[slug].paper]
    for width, height in sizes:
        assert abs(width - want[0]) < 1 and abs(height - want[1]) < 1, (width, height)


def test_a4_leaflet_is_one_sheet_two_sides_and_small(pdfs):
    pdf = pdfs["ngay-thu-bay-a4"]
    assert len(page_sizes(pdf)) == 2
    assert pdf.stat().st_size <= 60 * 1024


def test_household_a4_checklist_is_one_sheet(pdfs):
    """Each household gets one: one side of one A4 sheet, for printers that
    do not print both sides (the second page was 60 % blank)."""
    assert len(page_sizes(pdfs["ho-gia-dinh"])) == 1


def test_a5_leaflet_is_one_folded_a4_sheet(pdfs):
    assert len(page_sizes(pdfs["ngay-thu-bay-a5"])) == 4


@pytest.mark.parametrize("slug", sorted(PAGE_HANDOUTS))
def test_edition_date_is_the_last_commit_of_the_inputs(pdfs, slug):
    handout = HANDOUTS[slug]
    paths = [f"docs/{p}" for p in handout.pages] + list(handout.sources)
    stamp = run("git", "-C", str(ROOT), "log", "-1", "--format=%ct", "--", *paths).strip()
    if not stamp:
        pytest.skip("inputs not committed yet")
    expected = datetime.fromtimestamp(int(stamp) + 7 * 3600, tz=timezone.utc).strftime("%d/%m/%Y")
    assert f"Cập nhật ngày {expected}" in run("pdftotext", "-enc", "UTF-8", str(pdfs[slug]), "-")


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_body_text_size(pdfs, slug):
    """Body text is at least 12 pt on A4 and 11 pt on A5.

    pdftotext's word boxes are (ascent + descent) x size; both Noto Sans and
    Noto Serif have ascent + descent = 1.362 em."""
    minimum = {"A4": 12, "A5": 11}[HANDOUTS[slug].paper]
    boxes = run("pdftotext", "-bbox", str(pdfs[slug]), "-")
    sizes = [
        (float(y1) - float(y0)) / 1.362
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]
    # Small print under 10 pt is for the masthead facts, the footer and the QR
    # caption; «Nơi nhận» of the notice is small on purpose (11 pt). Anything
    # else in between would be body text set too small.
    small_body = [size for size in sizes if 10 <= size < minimum - 0.05]
    assert len(small_body) <= 0.05 * len(sizes), sorted(set(round(s, 1) for s in small_body))
    assert sum(size >= minimum - 0.05 for size in sizes) >= 0.5 * len(sizes)


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_fonts_are_embedded_noto_subsets(pdfs, slug):
    rows = run("pdffonts", str(pdfs[slug])).splitlines()[2:]
    assert rows
    for row in rows:
        name, *rest = row.split()
        # name, type..., encoding, emb, sub, uni, object, id
        emb, sub, uni = rest[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        # A fallback font (a missing glyph such as ☐) would show up here.
        assert "Noto-Sans" in name or "Noto-Serif" in name, row


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_page_numbers_edition_and_source(pdfs, slug):
    pdf = pdfs[slug]
    text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    pages = len(page_sizes(pdf))
    if slug in PACKETS:
        # Each sheet of a packet keeps its own numbers (test_packet_is_its_sheets).
        pages = page_count(pdfs[PACKETS[slug].members[0]])
    for n in range(1, pages + 1):
        assert f"Trang {n}/{pages}" in text
    assert re.search(r"Cập nhật ngày \d{2}/\d{2}/\d{4}", text)
    assert "Thông báo số 422-TB/HU" in text or "Số 422-TB/HU" in text


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_qr_code_leads_to_the_page(pdfs, slug):
    pdf = pdfs[slug]
    decoded = qr_codes(pdf)
    # A packet holds the sheets of every commune: their codes, one per plan page.
    homes = [HANDOUTS[m].home for m in HANDOUTS[slug].members] or [HANDOUTS[slug].home]
    if not PUBLIC:
        # A trial build (no public address): no code, no address, and it says so.
        text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
        assert decoded == set() and "Bản in thử" in text and "localhost" not in text
        return
    assert decoded == {SITE_URL + page_url(home) for home in homes}
    # ... and those pages exist on the site.
    for home in homes:
        assert (pdf.parent.parent / page_url(home) / "index.html").is_file()


def test_tick_boxes_are_drawn_not_glyphs(pdfs):
    text = run("pdftotext", "-enc", "UTF-8", str(pdfs["ho-gia-dinh"]), "-")
    assert not set("☐☑✓✔□") & set(text)
    # Every task item of the page is in the handout.
    items = re.findall(r"^- \[ \] (.*)$", (ROOT / "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md").read_text(), re.M)
    assert len(items) > 15
    flat = squash(text)
    assert all(squash(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", i)) in flat for i in items)


def test_official_layout_of_the_notice(pdfs):
    text = body_text(pdfs["thong-bao-422-tb-hu"])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:2] == ["HUYỆN ỦY DI LINH", "Số 422-TB/HU"]
    assert "Di Linh, ngày 02 tháng 3 năm 2023" in lines[:4]
    assert "THÔNG BÁO" in lines[:6]
    flat = squash(text)
    for piece in ("Nơi nhận:", "- Lưu VP Huyện ủy.", "T/L BAN THƯỜNG VỤ", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Hữu Hưng"):
        assert piece in flat, piece


def test_every_pdf_is_a_known_handout(site, pdfs):
    on_site = {p.stem for p in (site / "tai-lieu-in").glob("*.pdf")}
    assert on_site == set(HANDOUTS)
    assert PLANS, "the plan data gives at least one weekly plan sheet"


def test_plan_sheets_are_made_for_the_saturdays_of_the_window(site):
    """Sheets for the coming Saturday, the later ones with plans, and the
    PAST_SATURDAYS latest before it; one packet per Saturday of two plans or more.
    (Rule of issue 11: there used to be a sheet for every plan of every week.)"""
    saturday = MATERIALS.saturday
    days = sheet_saturdays(saturday.saturdays, COMING)
    assert {h.data["plan"].date for h in PLANS.values()} == set(days)
    assert len(PLANS) == sum(len(saturday.plans_on(d)) for d in days)
    assert sorted(PACKETS) == [f"ke-hoach-ca-huyen-{d.isoformat()}" for d in days if len(saturday.plans_on(d)) > 1]
    outside = [key for key in saturday.plans if key[1] not in days]
    assert outside, "the repository's plans include weeks outside the window"
    for unit, day in outside:
        assert not (site / f"tai-lieu-in/ke-hoach-{unit}-{day.isoformat()}.pdf").exists()


def test_the_list_page_says_which_plans_have_a_printed_sheet():
    text = (ROOT / "docs/tai-lieu-in.md").read_text(encoding="utf-8")
    assert f"các thứ Bảy sau đã có kế hoạch và {PAST_SATURDAYS} ngày thứ Bảy gần nhất" in text
    assert "bấm In trong trình duyệt" in text


def test_window_of_saturdays():
    saturdays = [date(2023, 3, 4) + timedelta(weeks=k) for k in range(20)]
    coming = date(2023, 4, 1)  # the 5th
    assert sheet_saturdays(saturdays, coming) == saturdays[4 - PAST_SATURDAYS : 4] + saturdays[4 : 5 + WEEKS_AHEAD]
    # A coming Saturday without plans: the latest before it and the next that have plans.
    gaps = [d for d in saturdays if d != coming]
    assert sheet_saturdays(gaps, coming) == gaps[4 - PAST_SATURDAYS : 4] + gaps[4 : 4 + WEEKS_AHEAD]
    # Long after the last plan: the latest ones still print.
    assert sheet_saturdays(saturdays, date(2030, 1, 5)) == saturdays[-PAST_SATURDAYS:]


def test_plan_pages_without_a_sheet_say_how_to_print(site):
    saturday = MATERIALS.saturday
    days = set(sheet_saturdays(saturday.saturdays, COMING))
    for (unit, day) in saturday.plans:
        text = (site / page_url(plan_page(unit, day)) / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<div class="ntm-handout-links ntm-no-print"[^>]*>(.*?)</div>', text, re.S)
        assert block, (unit, day)
        if day in days:
            assert f'href="../../../tai-lieu-in/ke-hoach-{unit}-{day.isoformat()}.pdf"' in block.group(1)
        else:
            assert ".pdf" not in block.group(1)
            assert "bấm In trong trình duyệt" in block.group(1)
            # After the plan, not before it: the reader came for the plan.
            assert text.index('<h2 id="phan-viec-cu-the"') < block.start(), (unit, day)
            for href in re.findall(r'href="([^"]+)"', block.group(1)):
                assert (site / page_url(plan_page(unit, day)) / href / "index.html").resolve().is_file(), href


@pytest.mark.parametrize("slug", sorted(PACKETS))
def test_packet_is_its_sheets(pdfs, slug):
    """The packet of a Saturday prints each commune's sheet as it is, in order."""
    members = PACKETS[slug].members
    assert [HANDOUTS[m].data["plan"].date for m in members] == [HANDOUTS[members[0]].data["plan"].date] * len(members)
    pages = []
    for member in members:
        pdf = pdfs[member]
        pages += [run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, page_count(pdf) + 1)]
    packet = pdfs[slug]
    assert page_count(packet) == len(pages)
    for number, expected in enumerate(pages, start=1):
        assert run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(packet), "-") == expected
    # Shared fonts: smaller than the sheets one by one.
    assert packet.stat().st_size < sum(pdfs[m].stat().st_size for m in members)


@pytest.mark.parametrize("slug", sorted(PLANS))
def test_plan_sheet_prints_the_plan(pdfs, slug):
    plan = PLANS[slug].data["plan"]
    text = squash(body_text(pdfs[slug]))
    assert plan.content in text
    assert plan.date.strftime("%d/%m/%Y") in text
    assert plan.direction in text and plan.organiser in text
    for task in plan.tasks:
        assert task.description in text
        assert str(task.quantity) in text
    assert plan.waste.collection in text
    assert ("DỮ LIỆU VÍ DỤ" in text) == plan.is_example


def test_result_form_has_every_result_field(pdfs):
    assert check_result_form() == []
    text = squash(body_text(pdfs["mau-bao-cao-ket-qua"]))
    for label in RESULT_FORM_FIELDS.values():
        assert label in text, label


def test_list_page_matches_the_pdfs(site, pdfs):
    page = (site / "tai-lieu-in/index.html").read_text(encoding="utf-8")
    # Each paper of a handout is a download link: "Tờ rơi, khổ A5, 4 trang, 28 KB".
    links = re.findall(r'<a href="([^"]+\.pdf)" download>(.*?)</a>', page, re.S)
    listed = {href: html_lib.unescape(re.sub(r"<[^>]+>", "", text)) for href, text in links}
    for slug, pdf in pdfs.items():
        kind, paper, pages, size = re.fullmatch(r"(.+), khổ (A4|A5), (\d+) trang, (.+)", listed[f"{slug}.pdf"]).groups()
        assert kind == HANDOUTS[slug].kind
        assert paper == HANDOUTS[slug].paper
        assert int(pages) == len(page_sizes(pdf))
        assert size == human_size(pdf.stat().st_size)


def test_list_page_puts_the_papers_of_a_handout_on_one_line(site):
    page = (site / "tai-lieu-in/index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    for a4, a5 in (("ngay-thu-bay-a4", "ngay-thu-bay-a5"), ("ho-gia-dinh", "ho-gia-dinh-a5")):
        both = [row for row in rows if f'href="{a4}.pdf"' in row]
        assert len(both) == 1 and f'href="{a5}.pdf"' in both[0], a4
    assert sum(f'href="{slug}.pdf"' in page for slug in HANDOUTS) == len(HANDOUTS)


def test_pages_link_to_their_handout(site):
    for slug, handout in HANDOUTS.items():
        for src in handout.pages:
            page = site / page_url(src) / "index.html"
            text = page.read_text(encoding="utf-8")
            block = re.search(r'<div class="ntm-handout-links ntm-no-print"[^>]*>(.*?)</div>', text, re.S)
            assert block, src
            assert "Tải bản in" in block.group(1)
            for href in re.findall(r'href="([^"]+)"', block.group(1)):
                assert (page.parent / href).resolve().is_file(), href
    css = (ROOT / "overrides/assets/stylesheets/print.css").read_text()
    assert ".ntm-no-print" in css


# --- determinism and cache (fresh renders through the builder) -------------------


def builder_for(root: Path, cache: Path, **settings) -> HandoutBuilder:
    config = load_config(str(root / "mkdocs.yml"))
    base = Settings.from_config(config)
    settings = Settings(**{**base.__dict__, **settings})
    builder = HandoutBuilder(root, root / "docs", settings, load_materials(root), cache_dir=cache, coming=COMING)
    return builder


@pytest.fixture(scope="module")
def cold_render(tmp_path_factory) -> tuple[Path, Path, list]:
    """(repository copy, cache, handouts): every handout rendered into an empty cache."""
    repo = copy_repo(tmp_path_factory.mktemp("cold") / "repo")
    cache = tmp_path_factory.mktemp("cold-cache")
    return repo, cache, builder_for(repo, cache).build()


def test_cold_render_of_every_handout_is_byte_identical_to_the_site(pdfs, cold_render):
    """The site's PDFs came (mostly) from the cache: a stale entry, say from
    before a library upgrade the key missed, would differ from a fresh render."""
    _, _, built = cold_render
    assert all(b.rendered for b in built)
    assert sorted(b.handout.slug for b in built) == sorted(pdfs)
    differing = [b.handout.slug for b in built if b.path.read_bytes() != pdfs[b.handout.slug].read_bytes()]
    assert not differing


def test_cache_skips_unchanged_and_rerenders_changed(cold_render):
    repo, cache, first = cold_render
    assert all(b.rendered for b in first)
    again = builder_for(repo, cache).build()
    assert not any(b.rendered for b in again)
    page = repo / "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md"
    page.write_text(page.read_text(encoding="utf-8").replace("- [ ] Quét ngõ, cổng.", "- [ ] Quét sạch ngõ, cổng."), encoding="utf-8")
    plan_slug = sorted(PLANS)[0]
    plan = PLANS[plan_slug].data["plan"]
    plan_file = repo / PLANS[plan_slug].sources[0]
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace(plan.content, plan.content + " (sửa)"), encoding="utf-8")
    third = builder_for(repo, cache).build()
    # The plan's sheet and the packet of its Saturday, nothing else.
    packet = f"ke-hoach-ca-huyen-{plan.date.isoformat()}"
    assert packet in PACKETS
    assert sorted(b.handout.slug for b in third if b.rendered) == sorted(["ho-gia-dinh", "ho-gia-dinh-a5", plan_slug, packet])
    assert "Quét sạch ngõ, cổng." in squash(run("pdftotext", str(third[[b.handout.slug for b in third].index("ho-gia-dinh")].path), "-"))
    # The leaflet prints the title of the page it links to: a new title re-renders it.
    page.write_text(page.read_text(encoding="utf-8").replace("# Hộ gia đình: sạch đẹp", "# Hộ gia đình: sạch, đẹp").replace('title: "Hộ gia đình: sạch đẹp', 'title: "Hộ gia đình: sạch, đẹp'), encoding="utf-8")
    fourth = builder_for(repo, cache).build()
    assert sorted(b.handout.slug for b in fourth if b.rendered) == ["ho-gia-dinh", "ho-gia-dinh-a5", "ngay-thu-bay-a4", "ngay-thu-bay-a5"]
    leaflet = fourth[[b.handout.slug for b in fourth].index("ngay-thu-bay-a4")].path
    assert "«Hộ gia đình: sạch, đẹp từ trong nhà ra khu dân cư»" in squash(run("pdftotext", str(leaflet), "-"))


@pytest.mark.slow
def test_cache_keys_are_the_same_in_every_process(tmp_path):
    """A new build (a new process) finds the handouts of the last one. The key
    held the memory address of a function of mkdocs.yml (the heading ids'
    slugify), so no build ever found one: every build rendered every PDF."""
    keys, _ = builder_for(ROOT, tmp_path / "cache").keys()
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "import test_handouts as t; from pathlib import Path; "
        "print(json.dumps(t.builder_for(t.ROOT, Path(sys.argv[2])).keys()[0]))"
    )
    for _ in range(2):
        other = subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent), str(tmp_path / "cache")],
            capture_output=True, text=True, check=True, env={**os.environ, "NTM_TODAY": TODAY.isoformat()},
        )
        assert json.loads(other.stdout.strip().splitlines()[-1]) == keys


@pytest.mark.slow
def test_nfd_source_prints_as_nfc(tmp_path):
    repo = copy_repo(tmp_path / "repo", warm=False)  # renders one handout into its own cache
    page = repo / "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md"
    page.write_text(unicodedata.normalize("NFD", page.read_text(encoding="utf-8")), encoding="utf-8")
    builder = builder_for(repo, tmp_path / "cache")
    builder.handouts = [h for h in builder.handouts if h.slug == "ho-gia-dinh"]
    (built,) = builder.build()
    text = run("pdftotext", "-enc", "UTF-8", str(built.path), "-")
    assert unicodedata.is_normalized("NFC", text)
    assert "Dọn chuồng trại" in text


@pytest.mark.slow
def test_qr_follows_site_url(tmp_path):
    url = "https://nongthonmoi.example.vn/di-linh/"
    builder = builder_for(ROOT, tmp_path / "cache", site_url=url)
    builder.handouts = [h for h in builder.handouts if h.slug == "ho-gia-dinh-a5"]
    (built,) = builder.build()
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(built.path), str(tmp_path / "p"))
    (png,) = tmp_path.glob("p*.png")
    decoded = run("zbarimg", "-q", "--raw", str(png)).strip()
    assert decoded == url + "khang-trang-xanh-sach-dep/ho-gia-dinh/"


@pytest.mark.slow
def test_without_a_public_address_no_handout_prints_an_address_or_a_qr_code(tmp_path, cold_render):
    """A local build (SITE_URL unset or localhost): every handout, data sheets
    included, prints no address and draws no QR code, and says «Bản in thử»."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    for local in ("http://localhost:8000/", "http://127.0.0.1:8000/", ""):
        config["site_url"] = local
        assert Settings.from_config(config).site_url == ""
    # The cold render's PDFs where they are the same handouts (keyed on the
    # address, among the rest): rendering all 18 again was 20 s of the suite.
    cache = tmp_path / "cache"
    shutil.copytree(cold_render[1], cache)
    builder = builder_for(ROOT, cache, site_url="")
    built = builder.build()
    assert len(built) == len(HANDOUTS)
    for item in built:
        assert item.url == ""
        text = run("pdftotext", "-enc", "UTF-8", str(item.path), "-")
        assert "localhost" not in text and "127.0.0.1" not in text and "http" not in text, item.handout.slug
        assert "Bản in thử" in text, item.handout.slug
        # Nor in the links of the PDF (annotations) or its metadata.
        raw = item.path.read_bytes()
        assert b"localhost" not in raw and b"127.0.0.1" not in raw, item.handout.slug
        assert qr_codes(item.path) == set(), item.handout.slug


# --- links on paper ----------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(PAGE_HANDOUTS))
def test_links_to_other_pages_print_the_page_title(pdfs, slug):
    """A link prints «title of the page it leads to», never its bare words."""
    text = squash(body_text(pdfs[slug], 2 if slug == "ngay-thu-bay-a4" else 1))
    for part in PAGE_HANDOUTS[slug].parts:
        for _, page in page_links(select(read_page(ROOT / "docs", part.page), part), part.page):
            assert f"«{read_page(ROOT / 'docs', page).title}»" in text, page


def test_print_links_name_the_page_and_documents_keep_their_words():
    converter = Converter(["attr_list"], {}, "https://example.vn/", ROOT / "docs")
    page = "huong-dan/ai-lam-gi.md"
    html = converter.to_html(
        "Xem [việc của hộ gia đình](../khang-trang-xanh-sach-dep/ho-gia-dinh.md). "
        "Căn cứ [Đề án số 04-ĐA/HU](../van-ban/04-da-hu.md).",
        page,
    )
    assert "«Hộ gia đình: sạch đẹp từ trong nhà ra khu dân cư»" in html
    assert "việc của hộ gia đình" not in html
    assert 'href="https://example.vn/khang-trang-xanh-sach-dep/ho-gia-dinh/"' in html
    assert "Đề án số" in html and "«" not in html.split("Căn cứ")[1]


# --- no wasted paper: thin pages, split tables, one-page plans -------------------

MIN_LINES = 10  # fewer lines of text than this on a page of a multi-page handout is wasted paper
EXAMPLE_MARK = "DỮ LIỆU VÍ DỤ · không phải kế hoạch thật"  # top margin of example plan sheets
# @page margins of handout.css (top, bottom), in mm. Example plan sheets have a
# deeper top margin (the mark); the nominal one gives a taller page area below,
# which only makes the split check more lenient.
MARGINS_MM = {"A4": (11, 15), "A5": (10, 14)}
_DEST = re.compile(r'^\s*(\d+)\s+\[\s*XYZ\s+[-\d.]+\s+([-\d.]+)[^\]]*\]\s+"([^"]+)"', re.M)
_TABLE_DEST = re.compile(r"^bang-(\d+)(?:-hang-(\d+)|-(het)|-(tiep))?$")


def page_count(pdf: Path) -> int:
    return len(page_sizes(pdf))


def text_lines(pdf: Path, page: int) -> list[str]:
    """Lines of text on one page, without the footer and the example mark in
    the margins (they are on every page, they do not make a page worth printing)."""
    text = run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [
        line
        for line in text.splitlines()
        if line.strip() and not re.search(r"Trang \d+/\d+\s*$", line) and EXAMPLE_MARK not in line
    ]


def thin_pages(pdf: Path) -> dict[int, int]:
    pages = page_count(pdf)
    if pages == 1:
        return {}
    counts = {n: len(text_lines(pdf, n)) for n in range(1, pages + 1)}
    return {n: c for n, c in counts.items() if c < MIN_LINES}


def table_places(pdf: Path) -> dict[int, dict]:
    """Where each table of a handout landed, from the named destinations that
    render.mark_tables puts on it: {table: {"top": (page, y), "rows": [(page, y)...],
    "end": (page, y), "continues": bool}}, y in points from the bottom of the page."""
    tables: dict[int, dict] = {}
    for page, y, name in _DEST.findall(run("pdfinfo", "-dests", str(pdf))):
        match = _TABLE_DEST.match(name)
        if not match:
            continue
        table = tables.setdefault(int(match.group(1)), {"rows": {}})
        place = (int(page), float(y))
        if match.group(2):
            table["rows"][int(match.group(2))] = place
        elif match.group(3):
            table["end"] = place
        else:
            table["top"] = place
            table["continues"] = bool(match.group(4))
    for table in tables.values():
        table["rows"] = [table["rows"][n] for n in sorted(table["rows"])]
    return tables


def split_tables(pdf: Path, paper: str) -> list[str]:
    """Tables cut by a page break although they would fit on one page.

    A table whose rows all start on one page is whole (rows themselves are
    checked by text, where it matters). A list made to go on over pages
    (class "continues", the tasks of a plan) may be cut between rows; its
    repeated header row is checked by text. Any other table spread over
    pages is allowed only if it is taller than a page; its height is at
    most: from its top to the bottom margin of its first page, whole pages in
    between, and from the top margin to its end on its last page, less the
    header row repeated there. If even that fits on a page, the break was
    avoidable."""
    _, height = PAPER_PTS[paper]
    top_margin, bottom_margin = (mm * 72 / 25.4 for mm in MARGINS_MM[paper])
    area = height - top_margin - bottom_margin
    problems = []
    for number, table in sorted(table_places(pdf).items()):
        pages = {table["top"][0]} | {page for page, _ in table["rows"]}
        if len(pages) == 1 or table["continues"]:
            continue
        first, last = min(pages), max(pages | {table["end"][0]})
        header = table["top"][1] - table["rows"][0][1] if table["rows"][0][0] == first else 0.0
        tallest = table["top"][1] - bottom_margin
        tallest += (last - first - 1) * area
        tallest += (height - top_margin) - table["end"][1] - header
        if tallest <= area:
            problems.append(f"table {number} on pages {sorted(pages)}: at most {tallest:.0f} pt high, a page holds {area:.0f} pt")
    return problems


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_no_page_of_a_multipage_handout_is_nearly_empty(pdfs, slug):
    assert thin_pages(pdfs[slug]) == {}, f"pages with fewer than {MIN_LINES} lines: {thin_pages(pdfs[slug])}"


@pytest.mark.parametrize("slug", sorted(set(HANDOUTS) - set(PACKETS)))  # a packet is its sheets, checked one by one
def test_no_table_is_split_across_pages_when_it_fits_on_one(pdfs, slug):
    assert split_tables(pdfs[slug], HANDOUTS[slug].paper) == []


def test_tables_carry_their_page_markers(pdfs):
    # Without the markers the split check above would pass on any PDF.
    for slug in PLANS:
        tables = table_places(pdfs[slug])
        assert len(tables) == 3, slug  # plan facts, tasks, rubbish
        assert len(tables[2]["rows"]) == len(PLANS[slug].data["plan"].tasks)
        assert all("top" in t and "end" in t for t in tables.values())
    assert len(table_places(pdfs["mau-bao-cao-ket-qua"])) == 4


@pytest.mark.parametrize("slug", sorted(PLANS))
def test_plan_sheet_of_up_to_four_tasks_is_one_page(pdfs, slug):
    assert len(PLANS[slug].data["plan"].tasks) <= 4, "the repository's plans are the common case"
    assert page_count(pdfs[slug]) == 1


@pytest.mark.parametrize("slug", sorted(PLANS))
def test_example_mark_is_on_every_page_of_an_example_plan(pdfs, slug):
    pdf = pdfs[slug]
    is_example = PLANS[slug].data["plan"].is_example
    for page in range(1, page_count(pdf) + 1):
        text = run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
        assert (EXAMPLE_MARK in text) == is_example, page


def test_checklists_fit_on_one_sheet(pdfs):
    # The A5 household checklist used to take a third page for its closing lines.
    assert page_count(pdfs["ho-gia-dinh-a5"]) == 2
    # On A4, one side of one sheet (the household's second page was 60 % blank).
    assert page_count(pdfs["ho-gia-dinh"]) == 1
    assert page_count(pdfs["co-quan-truong-hoc"]) == 1


# --- longer weekly plans, built in a scratch copy -------------------------------

# Tasks as a commune writes them (lengths of real plans: a place, three
# participants, a supporting agency); used in turn for plans of 4 to 9 tasks.
SCRATCH_TASKS = [
    ("Phát quang bụi rậm, quét dọn đường", 2, "km", ["to-dan-pho-1", "to-dan-pho-2"], "Đường liên tổ dân phố 1 - 2",
     ["Dao phát", "chổi", "cào"], ["Hộ dân tổ dân phố 1", "Hộ dân tổ dân phố 2", "Đoàn viên thanh niên"], ["phong-nn-ptnt"],
     "Bí thư Đoàn thị trấn"),
    ("Khơi thông cống rãnh thoát nước", 300, "m", ["to-dan-pho-3"], None,
     ["Cuốc", "xẻng", "xe rùa"], ["Hộ dân tổ dân phố 3", "Hội viên Hội Phụ nữ"], [], "Chủ tịch Hội Phụ nữ thị trấn"),
    ("Trồng cây xanh, chăm sóc bồn hoa hai bên đường", 150, "cây", ["to-dan-pho-1"], "Đường vào trường tiểu học",
     ["Cuốc", "xẻng", "thùng tưới"], ["Hộ dân tổ dân phố 1", "Hội viên Hội Cựu chiến binh", "Giáo viên, học sinh"],
     ["phong-nn-ptnt"], "Chủ tịch Hội Cựu chiến binh thị trấn"),
    ("Dọn vệ sinh sân, khuôn viên nhà văn hóa", 1, "khu", ["to-dan-pho-2", "to-dan-pho-3"], None,
     ["Chổi", "cào", "bao đựng rác"], ["Hộ dân tổ dân phố 2", "Hộ dân tổ dân phố 3", "Hội viên Hội Nông dân"], [],
     "Tổ trưởng tổ dân phố 2"),
]
SCRATCH_SIZES = (4, 5, 6, 7, 8, 9)  # tasks per plan; 5 and 6 spill over by a row or two
# Notes of growing length move the task list down a line at a time, so that
# across the plans the page break falls inside a row, where it would cut it.
SCRATCH_NOTES = ["Tập trung tại nhà văn hóa tổ dân phố lúc 6h45", "Mang theo nước uống, mũ nón",
                 "Hộ có xe rùa mang theo", "Rác tái chế để riêng, không đốt rác"]


def plant_plan(repo: Path, day, tasks: int) -> str:
    """A plan of Thị trấn Di Linh with ``tasks`` tasks for Saturday ``day``; returns its handout slug."""
    from datetime import timedelta

    plan = yaml.safe_load((repo / "materials/ke-hoach/thi-tran-di-linh/2023-03-04.yml").read_text(encoding="utf-8"))
    plan["ngay"], plan["ngay_lap"] = day.isoformat(), (day - timedelta(days=4)).isoformat()
    plan["phan_viec"] = []
    for i in range(tasks):
        what, amount, unit, hamlets, place, tools, people, agencies, lead = SCRATCH_TASKS[i % len(SCRATCH_TASKS)]
        round_ = i // len(SCRATCH_TASKS)
        task = {
            "ma": f"viec-{i + 1}",
            "noi_dung": what + (f" (đợt {round_ + 1})" if round_ else ""),
            "khoi_luong": {"so": amount + round_, "don_vi_tinh": unit},
            "thon": hamlets,
            "cong_cu": tools,
            "thanh_phan": people,
            "phu_trach": lead,
        }
        if place:
            task["dia_diem"] = place
        if agencies:
            task["don_vi_ho_tro"] = agencies
        plan["phan_viec"].append(task)
    if tasks > 5:
        plan["ghi_chu"] = "; ".join(SCRATCH_NOTES[: tasks - 5]) + "."
    path = repo / f"materials/ke-hoach/thi-tran-di-linh/{day.isoformat()}.yml"
    path.write_text(yaml.dump(plan, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"ke-hoach-thi-tran-di-linh-{day.isoformat()}"


@pytest.fixture(scope="module")
def longer_plans(tmp_path_factory) -> dict[int, tuple[Path, object]]:
    """{tasks: (PDF, plan)} for plans of 4 to 9 tasks, rendered once in one scratch copy."""
    from datetime import date, timedelta

    repo = copy_repo(tmp_path_factory.mktemp("plans") / "repo")
    slugs = {plant_plan(repo, date(2023, 3, 25) + timedelta(weeks=k), n): n for k, n in enumerate(SCRATCH_SIZES)}
    builder = builder_for(repo, tmp_path_factory.mktemp("plans-cache"))
    # Every planted plan, in the window of printed sheets or not.
    builder.handouts = [h for h in plan_handouts(builder.materials.saturday) if h.slug in slugs]
    return {slugs[b.handout.slug]: (b.path, b.handout.data["plan"]) for b in builder.build()}


def test_real_plan_of_four_tasks_is_one_page(longer_plans):
    pdf, plan = longer_plans[4]
    assert len(plan.tasks) == 4
    assert page_count(pdf) == 1
    text = squash(body_text(pdf))
    assert all(task.description in text for task in plan.tasks)
    assert plan.waste.collection in text


@pytest.mark.parametrize("tasks", [n for n in SCRATCH_SIZES if n > 4])
def test_longer_plan_continues_with_header_row_and_whole_rows(longer_plans, tasks):
    pdf, plan = longer_plans[tasks]
    pages = page_count(pdf)
    assert pages == 2
    texts = [squash(run("pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-")) for n in range(1, pages + 1)]
    rows = table_places(pdf)[2]["rows"]
    for page in sorted({page for page, _ in rows}):
        # The header row opens every page the task list goes on to.
        first_line = text_lines(pdf, page)[0]
        assert page == 1 or re.match(r"^\s*Phần việc\s+Khối lượng\s+Đã làm\s*$", first_line), first_line
        # The example mark is in the margin of every page.
        assert EXAMPLE_MARK in texts[page - 1]
    titles = [f"{number}. {task.description}" for number, task in enumerate(plan.tasks, start=1)]
    for number, (title, task) in enumerate(zip(titles, plan.tasks), start=1):
        # A row is whole: its title and its last words are on the same page.
        (page,) = [n for n, text in enumerate(texts) if title in text]
        after = texts[page].split(title, 1)[1]
        after = after.split(titles[number] if number < len(titles) else "Số hộ dân tham gia")[0]
        assert f"Phụ trách: {task.lead}." in after, (number, after)


@pytest.mark.parametrize("tasks", SCRATCH_SIZES)
def test_longer_plan_cuts_only_its_task_list(longer_plans, tasks):
    pdf, _ = longer_plans[tasks]
    assert [n for n, t in table_places(pdf).items() if t["continues"]] == [2]
    assert split_tables(pdf, "A4") == []


@pytest.mark.parametrize("tasks", SCRATCH_SIZES)
def test_longer_plan_leaves_no_thin_page(longer_plans, tasks):
    # A plan that spills over by a row still carries two rows, the household
    # count and the rubbish section to its second page.
    pdf, _ = longer_plans[tasks]
    assert thin_pages(pdf) == {}


# --- the leaflet: plain words, the source named once, no dead references --------


@pytest.mark.parametrize("slug", ["ngay-thu-bay-a4", "ngay-thu-bay-a5"])
def test_leaflet_names_its_source_once(pdfs, slug):
    text = squash(run("pdftotext", "-enc", "UTF-8", str(pdfs[slug]), "-"))
    # Once, in the masthead; no "(Thông báo 422-TB/HU, mục II.x)" after every point.
    assert text.count("422-TB/HU") == 1, text.count("422-TB/HU")
    assert "Nguồn: Thông báo số 422-TB/HU" in text
    assert "mục II" not in text and "mục I." not in text


def test_leaflet_starts_with_what_a_household_does(pdfs):
    text = squash(body_text(pdfs["ngay-thu-bay-a4"], columns=2))
    headings = re.findall(r"^## (.*)$", (ROOT / "docs" / HANDOUTS["ngay-thu-bay-a4"].home).read_text(encoding="utf-8"), re.M)
    assert headings[0] == "Thứ Bảy này, nhà mình làm gì"
    assert text.index(headings[0]) < min(text.index(h) for h in headings[1:])


def test_leaflet_has_cross_references_and_says_where_to_read_them(pdfs):
    leaflet = PAGE_HANDOUTS["ngay-thu-bay-a4"]
    assert page_links((ROOT / "docs" / leaflet.home).read_text(encoding="utf-8"), leaflet.home)
    assert "quét mã QR ở đầu tờ" in squash(body_text(pdfs["ngay-thu-bay-a4"], columns=2))


def leaflet_sections() -> dict[str, list[str]]:
    """The leaflet page's blocks (paragraphs, list items) by ## section, as Markdown."""
    home = PAGE_HANDOUTS["ngay-thu-bay-a4"].home
    body = (ROOT / "docs" / home).read_text(encoding="utf-8").split("\n## ", 1)[1]
    sections = {}
    for chunk in ("## " + body).split("\n## "):
        name, _, text = chunk.removeprefix("## ").partition("\n")
        blocks, current = [], []
        for line in text.splitlines():
            if re.match(r"^(- |\d+\. )", line) or not line.strip():
                if current:
                    blocks.append(" ".join(current))
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            blocks.append(" ".join(current))
        sections[name] = blocks
    return sections


def test_every_point_of_the_leaflet_cites_a_section_of_the_notice():
    """Nothing invented: each point of the leaflet page says where in notice
    422-TB/HU it comes from (the web page shows it; the print leaves it out),
    and that section exists. Steps of a numbered list share the citation of
    the sentence that introduces them."""
    anchors = set(re.findall(r"#(muc-[\w-]+)", (ROOT / "docs/van-ban/422-tb-hu.md").read_text(encoding="utf-8")))
    cited = re.compile(r"\(\[Thông báo 422-TB/HU, mục ([IV.\d]+)\]\(\.\./van-ban/422-tb-hu\.md#(muc-[\w-]+)\)\)")
    sections = leaflet_sections()
    assert len(sections) >= 8
    for name, blocks in sections.items():
        if name == "Đọc thêm":
            continue  # pointers to other pages, not statements
        lead_cited = False
        for block in blocks:
            found = cited.findall(block)
            if re.match(r"^\d+\. ", block):
                assert found or lead_cited, (name, block)
                continue
            assert found, (name, block)
            for number, anchor in found:
                assert anchor in anchors and anchor == "muc-" + number.lower().replace(".", "-"), (number, anchor)
            lead_cited = block.endswith(":")


def test_leaflet_sentences_are_short():
    """Plain language: one idea per sentence. The notice runs to 60 syllables
    and more; the leaflet stays under 30 (a Vietnamese word is one or two)."""
    for blocks in leaflet_sections().values():
        for block in blocks:
            plain = re.sub(r"\(\[[^\]]*\]\([^)]*\)\)", "", block)
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain).strip("-*0123456789. ")
            for sentence in re.split(r"(?<=[.:])\s+", plain):
                assert len(sentence.split()) <= 30, sentence

"""Print handouts, read back from the real PDFs of the built site.

Text with pdftotext (exact NFC Vietnamese of the source), paper with pdfinfo,
fonts with pdffonts, QR codes with pdftoppm + zbarimg; determinism and the
cache with fresh renders.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from mkdocs.config import load_config

from conftest import ROOT, copy_repo
from nongthonmoi.handouts import HandoutBuilder, Settings
from nongthonmoi.handouts.catalog import all_handouts, static_handouts
from nongthonmoi.handouts.render import human_size
from nongthonmoi.handouts.sheets import RESULT_FORM_FIELDS, check_result_form
from nongthonmoi.handouts.source import DOCUMENT_PAGES, Converter, page_url, read_page, resolve, select
from nongthonmoi.materials import load_materials

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "zbarimg")),
    reason="poppler-utils and zbar-tools are needed (bash scripts/run test installs them)",
)

MATERIALS = load_materials(ROOT)
# Handouts cut from pages (their text is compared with the Markdown) ...
PAGE_HANDOUTS = {h.slug: h for h in static_handouts()}
# ... and every handout of the build, the data sheets included.
HANDOUTS = {h.slug: h for h in all_handouts(MATERIALS)}
PLANS = {h.slug: h for h in HANDOUTS.values() if h.template == "plan.html"}
PAPER_PTS = {"A4": (595.28, 841.89), "A5": (419.53, 595.28)}
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000/")


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


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
    for n in range(1, pages + 1):
        assert f"Trang {n}/{pages}" in text
    assert re.search(r"Cập nhật ngày \d{2}/\d{2}/\d{4}", text)
    assert "Thông báo số 422-TB/HU" in text or "Số 422-TB/HU" in text


@pytest.mark.parametrize("slug", sorted(HANDOUTS))
def test_qr_code_leads_to_the_page(pdfs, slug, tmp_path):
    pdf = pdfs[slug]
    run("pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p"))
    decoded = set()
    for png in sorted(tmp_path.glob("p*.png")):
        result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
        decoded |= set(result.stdout.split())
    assert decoded == {SITE_URL + page_url(HANDOUTS[slug].home)}
    # ... and that page exists on the site.
    assert (pdf.parent.parent / page_url(HANDOUTS[slug].home) / "index.html").is_file()


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
    assert len(PLANS) == len(MATERIALS.saturday.plans)


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
    rows = re.findall(r"<tr>\s*<td><a href=\"([^\"]+)\"[^>]*>(.*?)</a></td>(.*?)</tr>", page, re.S)
    listed = {href: [html_lib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", rest)] for href, _, rest in rows}
    for slug, pdf in pdfs.items():
        kind, paper, pages, size, edition, _ = listed[f"{slug}.pdf"]
        assert paper == HANDOUTS[slug].paper
        assert int(pages) == len(page_sizes(pdf))
        assert size == human_size(pdf.stat().st_size)


def test_pages_link_to_their_handout(site):
    for slug, handout in HANDOUTS.items():
        for src in handout.pages:
            page = site / page_url(src) / "index.html"
            text = page.read_text(encoding="utf-8")
            block = re.search(r'<div class="ntm-handout-links ntm-no-print">(.*?)</div>', text, re.S)
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
    builder = HandoutBuilder(root, root / "docs", settings, load_materials(root), cache_dir=cache)
    return builder


def test_fresh_render_is_byte_identical_to_the_site(pdfs, tmp_path):
    builder = builder_for(ROOT, tmp_path / "cache")
    builder.handouts = [h for h in builder.handouts if h.slug in ("ngay-thu-bay-a4", "thong-bao-422-tb-hu")]
    built = builder.build()
    assert all(b.rendered for b in built)
    for b in built:
        assert b.path.read_bytes() == pdfs[b.handout.slug].read_bytes(), b.handout.slug


def test_cache_skips_unchanged_and_rerenders_changed(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    cache = tmp_path / "cache"
    first = builder_for(repo, cache).build()
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
    assert sorted(b.handout.slug for b in third if b.rendered) == sorted(["ho-gia-dinh", "ho-gia-dinh-a5", plan_slug])
    assert "Quét sạch ngõ, cổng." in squash(run("pdftotext", str(third[[b.handout.slug for b in third].index("ho-gia-dinh")].path), "-"))
    # The leaflet prints the title of the page it links to: a new title re-renders it.
    page.write_text(page.read_text(encoding="utf-8").replace("# Hộ gia đình: sạch đẹp", "# Hộ gia đình: sạch, đẹp").replace('title: "Hộ gia đình: sạch đẹp', 'title: "Hộ gia đình: sạch, đẹp'), encoding="utf-8")
    fourth = builder_for(repo, cache).build()
    assert sorted(b.handout.slug for b in fourth if b.rendered) == ["ho-gia-dinh", "ho-gia-dinh-a5", "ngay-thu-bay-a4", "ngay-thu-bay-a5"]
    leaflet = fourth[[b.handout.slug for b in fourth].index("ngay-thu-bay-a4")].path
    assert "«Hộ gia đình: sạch, đẹp từ trong nhà ra khu dân cư»" in squash(run("pdftotext", str(leaflet), "-"))


def test_nfd_source_prints_as_nfc(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    page = repo / "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md"
    page.write_text(unicodedata.normalize("NFD", page.read_text(encoding="utf-8")), encoding="utf-8")
    builder = builder_for(repo, tmp_path / "cache")
    builder.handouts = [h for h in builder.handouts if h.slug == "ho-gia-dinh"]
    (built,) = builder.build()
    text = run("pdftotext", "-enc", "UTF-8", str(built.path), "-")
    assert unicodedata.is_normalized("NFC", text)
    assert "Dọn chuồng trại" in text


def test_qr_follows_site_url(tmp_path):
    url = "https://nongthonmoi.example.vn/di-linh/"
    builder = builder_for(ROOT, tmp_path / "cache", site_url=url)
    builder.handouts = [h for h in builder.handouts if h.slug == "ho-gia-dinh-a5"]
    (built,) = builder.build()
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(built.path), str(tmp_path / "p"))
    (png,) = tmp_path.glob("p*.png")
    decoded = run("zbarimg", "-q", "--raw", str(png)).strip()
    assert decoded == url + "khang-trang-xanh-sach-dep/ho-gia-dinh/"


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

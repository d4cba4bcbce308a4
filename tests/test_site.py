"""The built site: pages, registry, notice text, dates, no outside hosts."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import yaml

from conftest import ROOT


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(parser.parts))


def main_text(path: Path) -> str:
    """Text of the article only (no navigation)."""
    raw = path.read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*)</article>", raw, re.S)
    assert match, path
    parser = _Text()
    parser.feed(match.group(1))
    return re.sub(r"\s+", " ", "".join(parser.parts))


def markdown_sentences(md: str) -> list[str]:
    """Plain-text sentences of a Markdown body, block by block (markup and ids removed)."""
    body = md.split("---", 2)[2] if md.startswith("---") else md
    sentences = []
    for block in re.split(r"\n\s*\n", body):
        block = re.sub(r"\{[:#][^}]*\}", "", block)
        block = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
        block = re.sub(r"^\s*(?:#+|-)\s+", "", block, flags=re.M)
        block = re.sub(r"[*_`]|\\", "", block)
        text = re.sub(r"\s+", " ", block).strip()
        sentences += [s for s in re.split(r"(?<=[.;:])\s+", text) if len(s) > 3]
    return sentences


def load_registry():
    return yaml.safe_load((ROOT / "materials/van-ban.yml").read_text(encoding="utf-8"))["van_ban"]


NOTICE = ROOT / "docs/van-ban/422-tb-hu.md"


def test_notice_page_holds_every_sentence_of_the_restored_text(site):
    text = main_text(site / "van-ban/422-tb-hu/index.html")
    sentences = markdown_sentences(NOTICE.read_text(encoding="utf-8"))
    assert len(sentences) > 60
    missing = [s for s in sentences if s not in text]
    assert not missing, missing[:5]


def test_notice_keeps_structure_and_key_facts(site):
    text = main_text(site / "van-ban/422-tb-hu/index.html")
    order = [
        "I. Đánh giá chung",
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế",
        "II. Một số yêu cầu, nhiệm vụ trọng tâm trong thời gian tới",
        "3.1. Về trách nhiệm của Đảng ủy, UBND các xã, thị trấn",
        "3.2.",
        "4. Công tác kiểm tra, giám sát",
        "5. Giải quyết kiến nghị",
        "Nơi nhận",
    ]
    positions = [text.find(h) for h in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions)
    for fact in [
        "183 thôn, tổ dân phố",
        "ngày 18/01/2023",
        "ngày 16/02/2023",
        "rõ nội dung",
        "chậm nhất trong ngày thứ Tư hằng tuần",
        "trong ngày thứ Hai hằng tuần",
        "25/02/2023",
        "tháng 3/2023",
    ]:
        assert fact in text, fact
    assert unicodedata.is_normalized("NFC", text)


def test_notice_page_shows_its_metadata_letterhead_and_signature(site):
    text = main_text(site / "van-ban/422-tb-hu/index.html")
    entry = next(d for d in load_registry() if d["so"] == "422-TB/HU")
    for expected in [
        "Số, ký hiệu",
        "422-TB/HU",
        "02/03/2023",
        "Huyện ủy Di Linh",
        "HUYỆN ỦY DI LINH",
        "Di Linh, ngày 02 tháng 3 năm 2023",
        "THÔNG BÁO",
        entry["nguoi_ky"]["ho_ten"],
        entry["nguoi_ky"]["quyen_han"],
        entry["nguoi_ky"]["chuc_vu"],
        *entry["noi_nhan"],
    ]:
        assert html.unescape(expected) in text, expected
    # Metadata block sits under the title, before the body.
    assert text.index("Số, ký hiệu") < text.index("I. Đánh giá chung")
    assert text.index("I. Đánh giá chung") < text.index("Nơi nhận")


def test_registry_index_lists_every_document_with_a_working_link(site):
    index = site / "van-ban/index.html"
    text = main_text(index)
    raw = index.read_text(encoding="utf-8")
    registry = load_registry()
    assert len(registry) == 3
    for entry in registry:
        assert entry["so"] in text
        assert entry["ngay"].strftime("%d/%m/%Y") in text
        slug = entry["trang"].removesuffix(".md")
        assert f'href="../{slug.split("/", 1)[1]}/"' in raw or f'href="{slug.split("/", 1)[1]}/"' in raw
        assert (site / slug / "index.html").is_file()


def test_documents_without_full_text_say_so(site):
    for slug in ("04-da-hu", "36-kh-ubnd"):
        text = main_text(site / f"van-ban/{slug}/index.html")
        assert "Chưa có toàn văn" in text
        assert "Số, ký hiệu" in text


def test_every_page_shows_last_updated_date(site):
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts and p.parent != site / "404"]
    assert len(pages) >= 12
    for page in pages:
        text = page_text(page)
        if "<article" not in page.read_text(encoding="utf-8"):
            continue
        assert re.search(r"Cập nhật lần cuối: \d{2}/\d{2}/\d{4}", text), page


def test_html_lang_is_vietnamese(site):
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in raw


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!localhost|127\.0\.0\.1)""", re.I)
CSS_EXTERNAL = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)
IMPORT_EXTERNAL = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//""", re.I)


def test_pages_and_styles_load_nothing_from_outside_hosts(site):
    for page in site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        # Links *to* other sites in the text are fine; loading resources is not.
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", raw, re.I):
            if re.search(r'rel="(?:alternate|canonical)"', tag):
                continue
            assert not EXTERNAL.search(tag), (page, tag)
    for css in site.rglob("*.css"):
        raw = css.read_text(encoding="utf-8")
        assert not CSS_EXTERNAL.search(raw), css
        assert not IMPORT_EXTERNAL.search(raw), css
    assert not list(site.rglob("*googleapis*"))


def test_fonts_are_served_from_the_site(site):
    css = (site / "assets/stylesheets/ntm.css").read_text(encoding="utf-8")
    for font in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css):
        assert (site / "assets/fonts" / font).is_file()
    assert "Noto Sans" in css


def test_every_page_says_the_documents_describe_the_district_as_it_was(site):
    """The documents are dated 2023; the district level ended on 1/7/2025. Every
    page says so once, names no body of today (the documents name none), and
    deadlines of a week after that day say whose deadlines they were; the
    weeks of 2023 stay as they were."""
    pages = [p for p in site.rglob("*.html") if "quan-tri" not in p.parts]
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.count('class="ntm-era"') == 1, page
    era = re.search(r'<p class="ntm-era">(.*?)</p>', (site / "index.html").read_text(encoding="utf-8")).group(1)
    assert "năm 2023" in era and "1/7/2025" in era and "không còn cấp huyện" in era
    later = "Các hạn trên theo Thông báo 422-TB/HU năm 2023, khi còn huyện"
    assert later in (site / "thu-bay-nay" / "index.html").read_text(encoding="utf-8")
    saturday_2023 = site / "thu-bay" / "2023-03-18" / "index.html"
    assert "báo cáo huyện" in saturday_2023.read_text(encoding="utf-8")
    assert later not in saturday_2023.read_text(encoding="utf-8")
    from openpyxl import load_workbook

    form = sorted((site / "bang-tinh").glob("ke-hoach-gung-re-*.xlsx"))[-1]
    texts = [c.value for ws in load_workbook(form, read_only=True) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("từ 1/7/2025 không còn cấp huyện" in t for t in texts), form

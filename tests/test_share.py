"""A link shared in Zalo or Facebook shows a Vietnamese preview: Open Graph
and Twitter card tags on every page, with the site's own small picture and
public addresses from site_url, in the site and in its offline copy."""

from __future__ import annotations

import os
import struct
import zipfile
from html.parser import HTMLParser

from conftest import ROOT

SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000/")
PICTURE = "assets/images/chia-se.png"


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and key.startswith(("og:", "twitter:")):
            self.tags[key] = attrs.get("content") or ""


def meta(html: str) -> dict[str, str]:
    parser = _Meta()
    parser.feed(html)
    return parser.tags


def public_address(base: str, rel: str) -> str:
    """Where a page of the built site is on the public site."""
    return base + rel.removesuffix("index.html")


def test_every_page_has_a_vietnamese_preview(site):
    # Every page readers open; not the web editor (quan-tri/, Decap CMS's own page).
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html" and "quan-tri" not in p.parts)
    assert len(pages) > 40
    for page in pages:
        rel = page.relative_to(site).as_posix()
        tags = meta(page.read_text(encoding="utf-8"))
        assert tags.get("og:locale") == "vi_VN", rel
        assert tags.get("og:site_name") == "Nông thôn mới Di Linh", rel
        assert tags.get("og:title") and tags.get("og:description"), rel
        assert tags["twitter:title"] == tags["og:title"] and tags["twitter:description"] == tags["og:description"]
        assert tags.get("og:url") == public_address(SITE_URL, rel), rel
        assert tags.get("og:image") == tags.get("twitter:image") == SITE_URL + PICTURE, rel
        assert tags.get("twitter:card") == "summary_large_image"
    home = meta((site / "index.html").read_text(encoding="utf-8"))
    assert home["og:title"] == "Nông thôn mới Di Linh" and home["og:type"] == "website"
    guide = meta((site / "huong-dan/ai-lam-gi/index.html").read_text(encoding="utf-8"))
    assert guide["og:title"] == "Ai làm gì trong ngày thứ Bảy"  # the page's title, not its short menu name
    assert guide["og:description"].startswith("Việc của xã, thị trấn")


def test_the_picture_is_self_hosted_and_small(site):
    data = (site / PICTURE).read_bytes()
    assert len(data) <= 100 * 1024
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 630)
    tags = meta((site / "index.html").read_text(encoding="utf-8"))
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"]


def test_offline_copy_keeps_the_preview_with_public_addresses(site):
    with zipfile.ZipFile(site / "tai-ve/nong-thon-moi-di-linh.zip") as zf:
        guide = meta(zf.read("nong-thon-moi-di-linh/huong-dan/ai-lam-gi.html").decode("utf-8"))
        section = meta(zf.read("nong-thon-moi-di-linh/huong-dan/index.html").decode("utf-8"))
        assert "nong-thon-moi-di-linh/" + PICTURE in zf.namelist()
    # The file the copy opens is ai-lam-gi.html; a shared link opens the site's folder address.
    assert guide["og:url"] == SITE_URL + "huong-dan/ai-lam-gi/"
    assert section["og:url"] == SITE_URL + "huong-dan/"
    assert guide["og:image"] == SITE_URL + PICTURE


def test_addresses_follow_site_url():
    """The tags are built from site_url, never a fixed host (a unit check:
    a whole build with another SITE_URL re-renders every handout)."""
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemLoader

    from nongthonmoi.plugin import public_url

    public = "https://nongthonmoi.dilinh.example"
    assert public_url(public, "thu-bay/", True) == public + "/thu-bay/"
    assert public_url(public, "thu-bay/index.html", False) == public + "/thu-bay/"
    assert public_url(public, "huong-dan/ai-lam-gi.html", False) == public + "/huong-dan/ai-lam-gi/"
    assert public_url(None, "thu-bay/", True) is None

    env = Environment(loader=FileSystemLoader(ROOT / "overrides"))
    config = SimpleNamespace(site_url=public, site_name="Nông thôn mới Di Linh", site_description="Mô tả")
    page = SimpleNamespace(is_homepage=False, meta={"title": "Các ngày thứ Bảy", "description": "Danh sách"}, title="x")
    html = env.get_template("partials/share.html").render(
        config=config, page=page, share_url=public_url(public, "thu-bay/", True)
    )
    tags = meta(html)
    assert tags["og:url"] == public + "/thu-bay/"
    assert tags["og:image"] == public + "/" + PICTURE
    assert tags["og:title"] == "Các ngày thứ Bảy" and tags["og:description"] == "Danh sách"

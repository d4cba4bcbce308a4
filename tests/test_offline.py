"""The offline copy, converted from the site's own pages (offline.py), against
a copy made the other way: a second build with Material's offline plugin."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_mkdocs
from nongthonmoi import offline

CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]*)">')


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == sorted(names)
        assert all(name.startswith(offline.FOLDER + "/") for name in names)
        return {name[len(offline.FOLDER) + 1 :]: archive.read(name) for name in names}


@pytest.fixture(scope="module")
def material_offline_build(tmp_path_factory) -> Path:
    """The site built a second time with Material's offline plugin, as the copy used to be made."""
    out = tmp_path_factory.mktemp("material-offline") / "site"
    result = run_mkdocs(ROOT, out, env={offline.ENV: "true"})
    assert result.returncode == 0, result.stderr
    return out


def test_the_converted_copy_is_the_material_offline_build(site, material_offline_build):
    """Same files, same bytes, but for the public addresses: the copy keeps the
    site's own (canonical links, feed, calendars), where the second build wrote
    page.html addresses that the public site does not have."""
    ours = read_zip(site / offline.ZIP_PATH)
    # Photos: the copy carries the small WebP of recent Saturdays' photos
    # only, and its pages show those (or a line) where the site has a
    # <picture>; the second build is held to the same choice.
    photos = frozenset(name for name in ours if name.startswith(offline.PHOTO_FILES))
    theirs = {}
    for p in material_offline_build.rglob("*"):
        rel = p.relative_to(material_offline_build).as_posix()
        if p.is_file() and offline._wanted(rel, photos):
            data = p.read_bytes()
            if rel.endswith(".html"):
                data = offline.offline_pictures(data.decode(), posixpath.dirname(rel), photos).encode()
            theirs[rel] = data
    assert sorted(ours) == sorted(theirs)
    assert len(ours) > 100
    moved = [name for name in ours if name.endswith(".html") and not name.endswith("index.html")]
    assert "huong-dan/ai-lam-gi.html" in moved and "xa/gung-re/2023-03-04.html" in moved
    differing = []
    for name, data in ours.items():
        if name == "feed.xml" or name.startswith("lich/"):
            assert data == (site / name).read_bytes(), name
            continue
        other = theirs[name]
        if name.endswith(".html"):
            (public,) = CANONICAL.findall(data)
            (file_address,) = CANONICAL.findall(other)
            assert public.decode().endswith("/") and file_address.decode().endswith(".html"), name
            data, other = CANONICAL.sub(b"", data), CANONICAL.sub(b"", other)
        if data != other:
            differing.append(name)
    assert differing == []


def test_the_copy_keeps_the_public_addresses_of_the_site(site):
    ours = read_zip(site / offline.ZIP_PATH)
    pages = {
        "huong-dan/ai-lam-gi.html": "huong-dan/ai-lam-gi/index.html",
        "xa/gung-re/2023-03-04.html": "xa/gung-re/2023-03-04/index.html",
        "index.html": "index.html",
        "thu-bay/index.html": "thu-bay/index.html",
    }
    for name, site_page in pages.items():
        (public,) = CANONICAL.findall(ours[name])
        assert CANONICAL.findall((site / site_page).read_bytes()) == [public], name


def test_the_copy_holds_no_plan_sheet_the_site_does_not_have(site):
    """Plan sheets and packets of the window only; no source maps, no JSON
    index, no editor, no 404 page, no sitemap, no zip inside the zip."""
    ours = read_zip(site / offline.ZIP_PATH)
    on_site = {p.relative_to(site).as_posix() for p in (site / "tai-lieu-in").glob("*.pdf")}
    assert {n for n in ours if n.endswith(".pdf")} == on_site
    assert not [n for n in ours if n.endswith(".map") or n.startswith(("quan-tri/", "sitemap")) or n == "404.html"]
    assert offline.INDEX_JSON not in ours and offline.INDEX_JS in ours
    assert not [n for n in ours if n.endswith(".zip")]


def test_zip_writer_is_a_plain_deterministic_zip(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1677715200")  # 2023-03-02 00:00 UTC
    entries = {"b.html": b"<p>" + "Nông thôn mới ".encode() * 200 + b"</p>", "a/đ.txt": b"x", "empty": b""}
    first = offline.write_zip(entries, offline._Deflated(tmp_path / "cache"))
    cached = offline.write_zip(entries, offline._Deflated(tmp_path / "cache"))
    assert first == cached == offline.write_zip(entries, offline._Deflated(None))
    path = tmp_path / "x.zip"
    path.write_bytes(first)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == [f"{offline.FOLDER}/{n}" for n in sorted(entries)]
        for info in infos:
            assert info.date_time == (2023, 3, 2, 0, 0, 0)
            assert info.external_attr >> 16 == 0o644 and info.create_system == 3
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert archive.read(info) == entries[info.filename.split("/", 1)[1]]
    assert len(first) < len(entries["b.html"])


def _tiny_site(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_a_page_converted_before_is_converted_again_when_the_site_around_it_changes(tmp_path):
    """The copy keeps converted pages by their bytes and by the site's files
    and pages: a page whose own bytes did not change still gets the new
    address of a page that moved."""
    cache = tmp_path / "cache"
    linking = '<body><a href="../a/">A</a></body>'
    # a.md: its page moves to a.html in the copy.
    site = _tiny_site(tmp_path / "one", {"a/index.html": "<p>a</p>", "b/index.html": linking, "index.html": "<p>home</p>"})
    first = offline.offline_copy(site, {"a/index.html": "a.html", "b/index.html": "b.html"}, cache)
    assert first["b.html"].data == b'<body><a href="a.html">A</a></body>'
    offline.write_zip(first, offline._Deflated(cache))
    again = offline.offline_copy(site, {"a/index.html": "a.html", "b/index.html": "b.html"}, cache)
    assert again["b.html"].data is None and again["b.html"].key == first["b.html"].key  # taken from the cache
    # a/index.md now: its page stays a/index.html; b's bytes are the same.
    second = offline.offline_copy(site, {"b/index.html": "b.html"}, cache)
    assert second["b.html"].data == b'<body><a href="a/index.html">A</a></body>'

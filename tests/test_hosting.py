"""Precompressed files (precompress.py) and the server configurations of
design/hosting/, run for real: nginx, Caddy and Apache from Debian's
packages send page.html.br / .gz to a client that accepts them, and
Chromium loads the compressed files."""

from __future__ import annotations

import gzip
import http.client
import zipfile

import brotli
import pytest

from hosting_support import SERVERS, installed, readable_copy, serving
from nongthonmoi import csp, precompress

PAGES = ["", "xa/gung-re/", "assets/stylesheets/ntm.css", "search/search_index.json", "lich/gung-re.ics"]


def test_every_text_file_has_its_compressed_copies(site):
    texts = [p for p in site.rglob("*") if p.is_file() and p.suffix in precompress.TEXT_SUFFIXES]
    assert texts
    for path in texts:
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) < precompress.MIN_SIZE:
            continue
        if gz.exists():
            assert gzip.decompress(gz.read_bytes()) == data, path
        if br.exists():
            assert brotli.decompress(br.read_bytes()) == data, path
    for name in ("index.html", "search/search_index.json", "assets/stylesheets/ntm.css"):
        assert (site / (name + ".gz")).exists() and (site / (name + ".br")).exists(), name
    # Nothing compressed twice, nor files that are compressed already.
    assert not list(site.rglob("*.gz.gz")) and not list(site.rglob("*.br.gz"))
    assert not [p for p in site.rglob("*.gz") if p.name[:-3].endswith((".pdf", ".xlsx", ".zip", ".woff2", ".png"))]


def test_gzip_bytes_carry_no_time_and_no_name():
    packed = precompress.gzip_bytes(b"x" * 1000)
    assert packed[4:8] == b"\0\0\0\0"  # MTIME
    assert packed[3] & 0x08 == 0  # no FNAME
    assert packed == precompress.gzip_bytes(b"x" * 1000)


def test_the_offline_copy_holds_no_compressed_copies(site):
    with zipfile.ZipFile(site / "tai-ve/nong-thon-moi-di-linh.zip") as z:
        names = z.namelist()
    assert names and not [n for n in names if n.endswith((".gz", ".br"))]


@pytest.fixture(scope="module")
def readable_site(site):
    with readable_copy(site) as copy:
        yield copy


def _get(url: str, path: str, accept: str | None):
    host, port = url.split("//")[1].strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/" + path, headers={"Accept-Encoding": accept} if accept is not None else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.mark.slow
@pytest.mark.parametrize("server", sorted(SERVERS))
def test_server_sends_the_precompressed_files(server, readable_site, site, chromium):
    if not installed(server):
        pytest.skip(f"{server} is not installed (Debian: see design/hosting.md)")
    with serving(server, readable_site) as url:
        for path in PAGES:
            plain = (site / (path or "index.html")).read_bytes() if not path.endswith("/") else (site / path / "index.html").read_bytes()
            stored = site / ((path + "index.html") if path.endswith("/") or not path else path)
            for accept, suffix in (("br, gzip", ".br"), ("gzip, deflate", ".gz")):
                response, body = _get(url, path, accept)
                assert response.status == 200, (server, path)
                assert response.getheader("Content-Encoding") == suffix[1:].replace("gz", "gzip"), (server, path, accept)
                assert body == stored.with_name(stored.name + suffix).read_bytes(), (server, path)
                assert "Accept-Encoding" in (response.getheader("Vary") or ""), (server, path)
                assert "gzip" not in (response.getheader("Content-Type") or ""), (server, path)
            response, body = _get(url, path, None)
            assert response.getheader("Content-Encoding") is None and body == plain, (server, path)
        assert _get(url, "", "gzip")[0].getheader("Content-Type").startswith("text/html")
        # The site's policy on every page (design/security.md); the editor sets its own.
        for path in ("", "xa/gung-re/", "khong-co-trang-nay/"):
            headers = _get(url, path, "gzip")[0]
            assert headers.getheader("Content-Security-Policy") == csp.header(), (server, path)
            assert headers.getheader("X-Content-Type-Options") == "nosniff", (server, path)
        assert _get(url, "quan-tri/", "gzip")[0].getheader("Content-Security-Policy") is None, server
        # Chromium (which asks for gzip over plain HTTP) gets the smaller files and shows the page.
        page = chromium.new_page()
        page.goto(url, wait_until="load")
        entries = page.evaluate(
            "performance.getEntries().filter(e => e.decodedBodySize > 2048)"
            ".map(e => [e.name, e.encodedBodySize, e.decodedBodySize])"
        )
        title = page.title()
        page.close()
        assert "Nông thôn mới" in title
        html = [e for e in entries if e[0] == url]
        assert html and html[0][1] < html[0][2] / 2, entries
        css = [e for e in entries if e[0].endswith(".css")]
        assert css and all(e[1] < e[2] for e in css), css

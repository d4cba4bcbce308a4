"""Photos: what goes in is normalised, what comes out carries no metadata.

A phone photo with a GPS position, the camera's make, model and serial, the
time and an orientation tag goes in through each way a photo enters the
repository (``ntm them-anh``; the function the web editor's local backend
calls) and comes out in the site, the offline zip and the photo bulletin
upright and with nothing but its pixels (read back with Pillow, and
exiftool). Hostile files are refused by rule, never with a traceback.
"""

from __future__ import annotations

import contextlib
import io
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import copy_repo, run_mkdocs
from nongthonmoi import cli
from nongthonmoi.photos.header import read_header
from nongthonmoi.photos.normalise import PhotoRefused, normalise_photo
from photos_support import (
    heic_like,
    jpeg_claiming,
    metadata_left,
    phone_photo,
    plain_jpeg,
    png_bomb,
    upright_has_red_at_top_right,
)

EXIFTOOL = shutil.which("exiftool")
SATURDAY = "2023-03-11"  # the latest example Saturday with photos: in the bulletin and the offline copy


def exiftool_tags(data: bytes, tmp_path: Path) -> str:
    """Every tag exiftool finds, but for what it says of the file itself."""
    path = tmp_path / "probe.bin"
    path.write_bytes(data)
    out = subprocess.run([EXIFTOOL, "-a", "-G1", "-s", str(path)], capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith(("[ExifTool]", "[System]", "[File]", "[Composite]")))


def assert_clean(data: bytes, tmp_path: Path | None = None) -> None:
    """No metadata at all, as Pillow, our own reader and exiftool see it."""
    assert metadata_left(data) == {}
    assert read_header(data).metadata == frozenset()
    if EXIFTOOL and tmp_path is not None:
        tags = exiftool_tags(data, tmp_path)
        assert not re.search(r"GPS|Make|Model|Serial|DateTime|Orientation|XMP|Comment|ICC", tags), tags


# --- the normalisation ---------------------------------------------------------


def test_a_phone_photo_is_stored_upright_small_and_bare(tmp_path):
    original = phone_photo()
    assert read_header(original).location  # the test photo does carry a position
    if EXIFTOOL:
        assert "GPSLatitude" in exiftool_tags(original, tmp_path)
    stored = normalise_photo(original, "IMG_2041.jpg")
    assert (stored.width, stored.height) == (1200, 1600)
    assert stored.rotated and set(stored.removed) >= {"GPS", "EXIF"}
    assert upright_has_red_at_top_right(stored.data)
    assert_clean(stored.data, tmp_path)
    header = read_header(stored.data)
    assert header.progressive and header.kind == "jpeg" and len(stored.data) < 1_000_000
    assert any("GPS" in line for line in stored.report)


def test_the_same_photo_gives_the_same_bytes_and_is_not_encoded_twice():
    original = phone_photo()
    first = normalise_photo(original)
    assert normalise_photo(original).data == first.data
    again = normalise_photo(first.data)
    assert again.unchanged and again.data == first.data


@pytest.mark.parametrize(
    "make, size",
    [
        ("png-with-alpha", (2000, 1000)),
        ("cmyk-jpeg", (1000, 1400)),
        ("grey-16-bit-png", (900, 700)),
        ("webp", (1700, 1000)),
        ("srgb-profile", (1600, 900)),
    ],
)
def test_other_pictures_phones_and_computers_make(make, size):
    from PIL import Image, ImageCms

    width, height = size
    out = io.BytesIO()
    if make == "png-with-alpha":
        Image.new("RGBA", size, (255, 0, 0, 0)).save(out, "PNG")
    elif make == "cmyk-jpeg":
        Image.new("CMYK", size, (0, 255, 255, 0)).save(out, "JPEG")
    elif make == "grey-16-bit-png":
        Image.new("I;16", size, 40000).save(out, "PNG")
    elif make == "webp":
        Image.new("RGB", size, (1, 2, 3)).save(out, "WEBP")
    else:
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        Image.new("RGB", size, (10, 200, 30)).save(out, "JPEG", icc_profile=profile)
    stored = normalise_photo(out.getvalue(), make)
    assert max(stored.width, stored.height) == min(1600, max(width, height))
    assert read_header(stored.data).metadata == frozenset()
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.mode in ("RGB", "L") and image.format == "JPEG"
        if make == "png-with-alpha":
            assert image.getpixel((5, 5)) == (255, 255, 255)  # transparency laid on white, not black


# Each file is made when its test runs (a 41 MB one at collection would be
# made by every worker and, as a test id, sent between them).
REFUSED_FILES = {
    "bomb.png": (png_bomb, "A007"),
    "giant.jpg": (lambda: jpeg_claiming(60000, 60000), "A007"),
    "iphone.heic": (heic_like, "A005"),
    "half.jpg": (lambda: phone_photo()[:30_000], "A011"),
    "empty.jpg": (lambda: b"", "A011"),
    "notes.txt": (lambda: "Danh sách hộ".encode(), "A005"),
    "zalo-preview.jpg": (lambda: plain_jpeg(320, 240), "A015"),
    "huge.jpg": (lambda: b"\xff\xd8\xff" + bytes(41_000_000), "A006"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
def test_what_must_not_be_stored_is_refused_by_rule(name):
    make, rule = REFUSED_FILES[name]
    with pytest.raises(PhotoRefused) as refused:
        normalise_photo(make(), name)
    error = refused.value.error
    assert error.rule == rule and error.path == name
    assert error.hint and "Traceback" not in str(refused.value)


@pytest.mark.slow
def test_a_bomb_through_the_command_is_refused_within_bounded_memory(tmp_path):
    """``ntm them-anh`` on a decompression bomb, in a process limited to 1 GB
    of address space: a Vietnamese refusal by rule A007, nothing written."""
    repo = copy_repo(tmp_path / "repo")
    bomb = tmp_path / "bom.png"
    bomb.write_bytes(png_bomb())
    before = sorted(p.name for p in (repo / "materials" / "anh" / "gung-re" / SATURDAY).iterdir())

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "nongthonmoi", "--root", str(repo), "them-anh", "gung-re", SATURDAY, str(bomb), "--khong-hoi"],
        capture_output=True, text=True, preexec_fn=limit, timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[A007]" in done.stderr and "Traceback" not in done.stderr and "Chưa ghi ảnh nào" in done.stderr
    assert sorted(p.name for p in (repo / "materials" / "anh" / "gung-re" / SATURDAY).iterdir()) == before


# --- from the phone to the site, the zip and the paper ----------------------------


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def phone_build(tmp_path_factory):
    """A copy of the repository where a phone photo came in by ``ntm them-anh``
    (from a folder with its table, as a commune sends them) and another by the
    web editor's upload function, then the site was built."""
    base = tmp_path_factory.mktemp("phone")
    repo = copy_repo(base / "repo")  # with the examples' variants: only the new photos are made
    zalo = base / "Zalo Received Files"
    zalo.mkdir()
    (zalo / "IMG_2041.jpg").write_bytes(phone_photo())
    (zalo / "thong-tin.csv").write_text(
        "tep;mo_ta;chu_thich;giai_doan;thon\n"
        "IMG_2041.jpg;Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường;Khơi thông rãnh thoát nước;trong;Thôn 2\n",
        encoding="utf-8-sig",
    )
    code, output = _run(["--root", str(repo), "them-anh", "gung-re", SATURDAY, str(zalo), "--khong-hoi"])
    assert code == 0, output
    # The editor's local backend: bytes in, the normalised bytes stored, an entry in the form.
    upload = normalise_photo(phone_photo(3000, 4000, orientation=8, gps=True), "tai-len.jpg")
    folder = repo / "materials" / "anh" / "gung-re" / SATURDAY
    (folder / "tai-len.jpg").write_bytes(upload.data)
    result = repo / "materials" / "ket-qua" / "gung-re" / f"{SATURDAY}.yml"
    result.write_text(result.read_text(encoding="utf-8") + "  - tep: tai-len.jpg\n    mo_ta: Người dân trồng hoa trước cổng trường\n"
                      "    chu_thich: Trồng hoa trước cổng trường\n    giai_doan: sau\n", encoding="utf-8")
    site = base / "site"
    built = run_mkdocs(repo, site)
    assert built.returncode == 0, built.stderr
    return repo, site, output


def _variants(site: Path, stem: str) -> list[Path]:
    return sorted((site / "anh" / "tep" / "gung-re" / SATURDAY).glob(f"{stem}-*"))


def test_ntm_them_anh_says_what_it_removed(phone_build):
    _, _, output = phone_build
    assert "IMG_2041.jpg → anh-01.jpg" in output and "vị trí GPS" in output and "Đã xoay ảnh" in output


def test_the_repository_holds_the_normalised_photo_not_the_original(phone_build, tmp_path):
    repo, _, _ = phone_build
    stored = (repo / "materials" / "anh" / "gung-re" / SATURDAY / "anh-01.jpg").read_bytes()
    assert upright_has_red_at_top_right(stored)
    assert_clean(stored, tmp_path)
    text = (repo / "materials" / "ket-qua" / "gung-re" / f"{SATURDAY}.yml").read_text(encoding="utf-8")
    assert "tep: anh-01.jpg" in text and "thon: thon-2" in text and "giai_doan: trong" in text


@pytest.mark.parametrize("stem", ["anh-01", "tai-len"])
def test_every_variant_on_the_site_is_upright_and_bare(phone_build, stem, tmp_path):
    _, site, _ = phone_build
    files = _variants(site, stem)
    assert {f.suffix for f in files} >= {".webp", ".jpg"} and len(files) >= 3
    for path in files:
        data = path.read_bytes()
        assert metadata_left(data) == {}, path
        assert read_header(data).metadata == frozenset(), path
        if stem == "anh-01":
            assert upright_has_red_at_top_right(data), path
        else:  # orientation 8: turned the other way; the red block ends bottom-left
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                rgb = image.convert("RGB")
                assert rgb.width > rgb.height  # 3000 x 4000 stored, turned: 4000 x 3000
                assert rgb.getpixel((3, rgb.height - 3))[0] > 150
        if EXIFTOOL:
            tags = exiftool_tags(data, tmp_path)
            assert "GPS" not in tags and "Samsung" not in tags and "R58T123456" not in tags, (path, tags)


def test_the_page_shows_the_photo_with_alt_size_and_lazy_loading(phone_build):
    _, site, _ = phone_build
    page = (site / "xa" / "gung-re" / SATURDAY / "index.html").read_text(encoding="utf-8")
    img = re.search(r'<img src="[^"]*anh-01-360\.jpg"[^>]*>', page).group(0)
    assert 'alt="Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường"' in img
    assert 'width="360" height="480"' in img and 'loading="lazy"' in img and 'decoding="async"' in img
    assert "Khơi thông rãnh thoát nước" in page and "Thôn 2 · Trong khi làm" in page


def red_at_bottom_left(data: bytes) -> bool:
    """phone_photo turned with orientation 8 (90° counter-clockwise): landscape, red block bottom-left."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        red = rgb.getpixel((3, rgb.height - 3))
        return rgb.width > rgb.height and red[0] > 150 and red[1] < 90


def test_the_offline_copy_carries_the_small_webp_only_bare_and_upright(phone_build):
    _, site, _ = phone_build
    with zipfile.ZipFile(site / "tai-ve" / "nong-thon-moi-di-linh.zip") as archive:
        names = [n for n in archive.namelist() if "/anh/tep/" in n]
        mine = [n for n in names if "/gung-re/" + SATURDAY + "/anh-01" in n or "/tai-len" in n]
        assert mine == [f"nong-thon-moi-di-linh/anh/tep/gung-re/{SATURDAY}/anh-01-360.webp",
                        f"nong-thon-moi-di-linh/anh/tep/gung-re/{SATURDAY}/tai-len-360.webp"]
        assert all(n.endswith("-360.webp") for n in names)
        command, editor = archive.read(mine[0]), archive.read(mine[1])
        page = archive.read(f"nong-thon-moi-di-linh/xa/gung-re/{SATURDAY}.html").decode()
    assert metadata_left(command) == {} and upright_has_red_at_top_right(command)
    assert metadata_left(editor) == {} and red_at_bottom_left(editor)
    assert '<img src="../../anh/tep/gung-re/2023-03-11/anh-01-360.webp"' in page and "<picture>" not in page


def test_the_bulletin_prints_the_photo_grey_upright_with_its_caption(phone_build, tmp_path):
    _, site, _ = phone_build
    pdf = site / "tai-lieu-in" / f"ban-tin-anh-gung-re-{SATURDAY}.pdf"
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert 4 <= len(rows) <= 6 and all(row[0] == "1" for row in rows)  # one page
    assert all(row[5] == "gray" for row in rows)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Khơi thông rãnh thoát nước" in text and "Trồng hoa trước cổng trường" in text
    assert "Bản tin ảnh" in text and "ẢNH VÍ DỤ" in text  # the examples on the same page mark it
    subprocess.run(["pdfimages", "-j", str(pdf), str(tmp_path / "img")], check=True)
    from PIL import Image

    portrait = [p for p in sorted(tmp_path.glob("img-*.jpg")) if Image.open(p).height > Image.open(p).width]
    assert portrait, "the upright phone photo (portrait) is in the bulletin"
    for path in tmp_path.glob("img-*.jpg"):
        assert read_header(path.read_bytes()).metadata == frozenset()
    with Image.open(portrait[0]) as image:
        grey = image.convert("L")
        assert grey.getpixel((grey.width - 3, 3)) < grey.getpixel((3, grey.height - 3))  # the red block, darker, top-right
    # The editor's upload (orientation 8): landscape, its red block bottom-left,
    # where the examples (drawings) have sky or grass.
    turned = [p for p in sorted(tmp_path.glob("img-*.jpg"))
              if (lambda g: g.getpixel((3, g.height - 3)) < 100 and g.getpixel((g.width - 3, 3)) > 100)(Image.open(p).convert("L"))]
    assert turned, "the editor's upload, turned, is in the bulletin"


def test_the_feed_entry_has_the_picture(phone_build):
    _, site, _ = phone_build
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    entry = feed[feed.index(f"tag:nongthonmoi-dilinh,2023:ke-hoach/gung-re/{SATURDAY}"):]
    entry = entry[: entry.index("</entry>")]
    assert re.search(r'<link rel="enclosure" type="image/jpeg" href="http://localhost:8000/anh/tep/gung-re/2023-03-11/[a-z0-9-]+-360\.jpg"', entry)


def test_nothing_of_a_photo_marked_do_not_publish_reaches_the_site(site):
    """vi-du-tre-em-khong-dang.jpg (thi-tran-di-linh, 2023-03-04) is «khong_dang: true»."""
    assert not [p for p in site.rglob("*tre-em-khong-dang*")]
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "tre-em-khong-dang" not in text and "chưa hỏi ý kiến cha mẹ" not in text, page
    with zipfile.ZipFile(site / "tai-ve" / "nong-thon-moi-di-linh.zip") as archive:
        assert not [n for n in archive.namelist() if "tre-em" in n]
    for pdf in site.glob("tai-lieu-in/ban-tin-anh-*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "không đăng" not in text.lower(), pdf
    assert "tre-em" not in (site / "feed.xml").read_text(encoding="utf-8")


def test_every_img_of_the_site_has_alt_size_and_lazy_loading(site):
    found = 0
    for page in site.rglob("*.html"):
        if "quan-tri" in page.parts:
            continue
        for tag in re.findall(r"<img\s[^>]*>", page.read_text(encoding="utf-8")):
            found += 1
            assert re.search(r'\salt="[^"]{10,}"', tag), (page, tag)
            assert re.search(r'\swidth="\d+"', tag) and re.search(r'\sheight="\d+"', tag), (page, tag)
            assert 'loading="lazy"' in tag and 'decoding="async"' in tag, (page, tag)
    assert found > 20


@pytest.mark.slow
def test_a_photo_is_refused_when_the_table_lacks_its_description(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    photo = tmp_path / "IMG_3001.jpg"
    photo.write_bytes(phone_photo(2000, 1500, orientation=1))
    code, output = _run(["--root", str(repo), "them-anh", "gung-re", SATURDAY, str(photo), "--khong-hoi"])
    assert code == 1 and "Chưa có mô tả cho: IMG_3001.jpg" in output and "Chưa ghi ảnh nào" in output
    assert not (repo / "materials" / "anh" / "gung-re" / SATURDAY / "anh-01.jpg").exists()


@pytest.mark.slow
def test_ntm_them_anh_asks_for_a_description_that_says_something(tmp_path):
    from nongthonmoi.photos.ingest import add_photos, parse_day

    repo = copy_repo(tmp_path / "repo")
    photo = tmp_path / "z4178.jpg"
    photo.write_bytes(phone_photo(2000, 1500, orientation=1))
    answers = iter(["", "ảnh 1", "Cán bộ xã và người dân dọn rác ở chợ", "Dọn rác ở chợ", "s", "1", "c"])
    said = []
    added = add_photos(repo, "gung-re", parse_day("11/03/2023"), [photo], interactive=True,
                       ask=lambda prompt: next(answers), say=said.append)
    assert [p.name for p in added.photos] == ["anh-01.jpg"]
    assert any("Cần một câu mô tả" in s for s in said) and any("chưa nói ảnh có gì" in s for s in said)
    text = (repo / "materials" / "ket-qua" / "gung-re" / f"{SATURDAY}.yml").read_text(encoding="utf-8")
    assert "mo_ta: Cán bộ xã và người dân dọn rác ở chợ" in text and "giai_doan: sau" in text and "thon: thon-1" in text
    assert _run(["--root", str(repo), "check"])[0] == 0


@pytest.mark.slow
def test_importing_a_result_workbook_keeps_the_photos(tmp_path):
    """Workbooks carry figures, not pictures: a result form imported over a
    result with photos leaves its photo list as it was."""
    from nongthonmoi.workbooks.batch import Upload, import_batch
    from nongthonmoi.workbooks.layout import RESULT, layout

    assert not [t for t in layout(RESULT).tables if t.path == ("anh",)]
    repo = copy_repo(tmp_path / "repo")
    result = repo / "materials" / "ket-qua" / "gung-re" / f"{SATURDAY}.yml"
    before = result.read_text(encoding="utf-8")
    assert "anh:" in before
    from nongthonmoi.materials import load_materials
    from nongthonmoi.workbooks import forms

    materials = load_materials(repo)
    data = materials.saturday
    plan = data.plans[("gung-re", __import__("datetime").date(2023, 3, 11))]
    unit = data.units.by_id()["gung-re"]
    book = forms.result_workbook(unit, plan, data.results[("gung-re", plan.date)], data.agencies, None)
    # A figure changed in the form: the file is rewritten, its photos kept.
    from openpyxl import load_workbook
    import io

    wb = load_workbook(io.BytesIO(book))
    sheet = wb["Kết quả"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "Cán bộ xã tham gia *")
    target = sheet.cell(row=cell.row, column=cell.column + 1)
    target.value = int(target.value or 0) + 1
    changed = io.BytesIO()
    wb.save(changed)
    for content, status in ((book, "unchanged"), (changed.getvalue(), "updated")):
        report = import_batch(repo, [Upload("ket-qua.xlsx", content)], write=True, overwrite=True)
        (imported,) = report.workbooks
        assert imported.status == status, report.text
        after = result.read_text(encoding="utf-8")
        assert after.count("- tep:") == before.count("- tep:") == 4


@pytest.mark.slow
def test_a_new_plan_does_not_copy_last_weeks_photos(tmp_path):
    from datetime import date

    from nongthonmoi.saturday.scaffold import new_plan

    repo = copy_repo(tmp_path / "repo")
    plan = repo / "materials" / "ke-hoach" / "gung-re" / "2023-03-18.yml"
    plan.write_text(plan.read_text(encoding="utf-8") + "anh:\n  - tep: duong.jpg\n    mo_ta: Đường thôn trước khi dọn cỏ\n",
                    encoding="utf-8")
    made = new_plan(repo, "gung-re", date(2023, 3, 25))
    assert "anh:" not in made.path.read_text(encoding="utf-8") and "tep:" not in made.path.read_text(encoding="utf-8")


def test_the_home_pages_photos_stay_out_of_the_search_index(site):
    """Captions glued together («điểm rác đã dọnThị trấn Di Linh · Sau khi…»)
    made the home page a long, noisy search result; each Saturday's gallery
    page is the one that answers a search for a photo."""
    import json

    page = (site / "index.html").read_text(encoding="utf-8")
    captions = [re.sub(r"<[^>]+>", " ", c).split()[:3] for c in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)]
    assert captions, "the home page shows photos"
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    home = " ".join(d["text"] for d in docs if d["location"] == "" or d["location"].startswith("#"))
    assert "Xem tất cả ảnh ngày" in home
    for words in captions:
        assert " ".join(words) not in home, words
    gallery = " ".join(d["text"] for d in docs if d["location"].startswith("anh/"))
    assert any(" ".join(words) in gallery for words in captions)

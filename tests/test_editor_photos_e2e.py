"""«Chọn ảnh» in the web editor, end to end in Chromium.

Local mode (`ntm edit`): a phone's photo (GPS, camera, stored sideways) is
picked in a result's photo list and saved: the repository then holds the
photo upright, at most 1,600 px, with no GPS or camera data (read back with
Pillow and exiftool), in the same commit as the result, and `ntm check`
passes; taking the photo out of the result removes its file; a HEIC or a
file that is not a picture is refused at the field and nothing is written.

Published mode (Decap's test-repo backend, offline): the browser re-encodes
the photo on a canvas, and what the page would commit has no metadata.

The media library («Hình ảnh» › «Tải lên») cleans a phone's photo the same
way in both modes, and refuses a file that is not a picture in words.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_ntm
from editor_published import published_copy, serve
from editor_support import editing, git
from photos_support import heic_like, metadata_left, phone_photo, upright_has_red_at_top_right
from test_editor_e2e import SIZES, Editor

pytestmark = pytest.mark.slow

RESULT = "materials/ket-qua/gung-re/2023-03-11.yml"
FOLDER = "materials/anh/gung-re/2023-03-11/"


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    with editing(tmp_path_factory.mktemp("photos-e2e")) as run:
        yield run


@pytest.fixture(scope="module")
def published_site(site, tmp_path_factory):
    folder = published_copy(site, tmp_path_factory.mktemp("photos-published"))
    server, base = serve(folder)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def phone_jpeg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("phone") / "IMG_20230311_081500.jpg"
    path.write_bytes(phone_photo())
    return path


def exif_of(path: Path) -> dict:
    """What exiftool reads in a file (every group)."""
    found = subprocess.run(["exiftool", "-j", "-a", "-G1", str(path)], capture_output=True, text=True, check=True)
    return json.loads(found.stdout)[0]


_SHOTS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _shots(tmp_path_factory):
    """Screenshots to look at, in this run's temporary folder (its path is printed)."""
    _SHOTS[:] = [tmp_path_factory.mktemp("editor-photos-screenshots")]
    yield
    print("screenshots:", _SHOTS[0])


def shot(editor: Editor, name: str) -> None:
    editor.page.screenshot(path=str(_SHOTS[0] / f"{name}-{editor.mode}-{editor.size}.png"), full_page=False)


def add_photo_item(editor: Editor) -> int:
    """A new, empty photo item at the end of the list; its index."""
    count = editor.page.locator(".ntm-anh").count()
    editor.page.get_by_role("button", name="Thêm ảnh").click()
    editor.page.locator(".ntm-anh").nth(count).wait_for()
    return count


def pick(editor: Editor, index: int, files) -> None:
    editor.page.locator(".ntm-anh input[type=file]").nth(index).set_input_files(files)


def photo_widget(editor: Editor, index: int):
    return editor.page.locator(".ntm-anh").nth(index)


@pytest.fixture(scope="module")
def kept_editors():
    """The module's editor pages by mode and size, kept from one flow to the
    next (Editor.reset between): opening Decap and logging in is about 2 s
    of CPU a page (as in test_editor_e2e.py)."""
    pages: dict = {}
    yield pages
    for page in pages.values():
        page.close()


@pytest.fixture
def editors(request, editor_tabs, kept_editors):
    """``editors(mode, size)``: the module's page of that mode and size."""
    taken = []

    def editor_of(mode: str, size: str) -> Editor:
        page = kept_editors.pop((mode, size), None)
        if page is None:
            if mode == "local":
                run = request.getfixturevalue("local_run")
                page = Editor(editor_tabs, run.base, mode, size, run.root)
            else:
                from conftest import ROOT

                page = Editor(editor_tabs, request.getfixturevalue("published_site"), mode, size, ROOT)
        taken.append(((mode, size), page))
        return page

    yield editor_of
    for key, page in taken:
        if not page.page.is_closed():
            width, height = SIZES[key[1]]
            page.page.set_viewport_size({"width": width, "height": height})  # a flow may have changed it
        if not page.page.is_closed() and page.reset():
            kept_editors[key] = page
        else:
            page.close()


@pytest.fixture(params=["desktop", "phone"])
def local_editor(request, editors):
    page = editors("local", request.param)
    yield page
    assert page.csp_violations() == []


def test_a_phone_photo_is_stored_clean_upright_and_small_with_its_result(local_editor, phone_jpeg):
    editor, root = local_editor, local_editor.root
    head = git(root, "rev-parse", "HEAD").strip()
    editor.open_entry("ket-qua", "gung-re/2023-03-11")
    index = add_photo_item(editor)
    pick(editor, index, str(phone_jpeg))
    widget = photo_widget(editor, index)
    widget.get_by_text("Chọn ảnh khác").wait_for(timeout=30000)
    assert "1200 × 1600 điểm ảnh" in widget.inner_text()
    assert widget.locator("img").evaluate("img => img.naturalWidth") == 1200
    editor.field("mo_ta", index).fill("Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường liên thôn")
    editor.assert_fits()
    shot(editor, "chon-anh")
    editor.save()
    editor.saved()

    name = widget.locator("code").inner_text()
    stored = root / FOLDER / name
    assert stored.is_file(), sorted(p.name for p in (root / FOLDER).iterdir())
    data = stored.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1200, 1600)
    assert upright_has_red_at_top_right(data)
    assert metadata_left(data) == {}
    tags = exif_of(stored)
    assert not [k for k in tags if k.startswith(("GPS", "IFD0", "ExifIFD", "XMP", "ICC"))], tags
    assert "Samsung" not in json.dumps(tags) and "SM-A135F" not in json.dumps(tags)
    # Nothing of the picked file is kept anywhere in the repository.
    assert not [p for p in root.rglob("IMG_*") if ".git" not in p.parts]
    changed = set(git(root, "show", "--no-renames", "--name-only", "--format=", "HEAD").split())
    assert changed == {RESULT, FOLDER + name}
    assert git(root, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert f"tep: {name}" in (root / RESULT).read_text(encoding="utf-8")
    check = run_ntm(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    # Out of the result again: the file goes in the save's commit.
    editor.page.reload()
    editor.field("xa").wait_for()
    remove_item(editor, index)
    editor.save()
    editor.saved()
    assert not stored.exists()
    assert set(git(root, "show", "--no-renames", "--name-only", "--format=", "HEAD").split()) == {RESULT, FOLDER + name}
    assert run_ntm(root, "check").returncode == 0


def remove_item(editor: Editor, index: int) -> None:
    """Decap's «×» on the top bar of the photo list's item ``index``."""
    item = editor.page.locator(".ntm-anh").nth(index).locator("xpath=ancestor::div[contains(@class,'listControlItem')][1]")
    item.locator(":scope > div").first.locator("button").last.click()


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("IMG_0412.HEIC", heic_like(), "HEIC"),
        ("bao-cao.jpg", b"%PDF-1.7 not a picture at all" * 40, "không phải ảnh"),
    ],
    ids=["heic", "garbage"],
)
def test_what_is_not_a_photo_is_refused_at_the_field(editors, name, content, words):
    editor = editors("local", "phone")
    root = editor.root
    head, status = git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")
    editor.open_entry("ket-qua", "gung-re/2023-03-11")
    index = add_photo_item(editor)
    pick(editor, index, {"name": name, "mimeType": "image/jpeg", "buffer": content})
    refusal = photo_widget(editor, index).locator(".ntm-anh__loi")
    refusal.wait_for(timeout=20000)
    text = refusal.inner_text()
    assert words in text and "Chọn" in text and "ntm" not in text, text
    editor.assert_fits()
    refusal.scroll_into_view_if_needed()
    shot(editor, f"tu-choi-{name.rsplit('.', 1)[-1].lower()}")
    editor.save()
    # The empty photo stops the save at its field; nothing reaches the disk.
    control = photo_widget(editor, index).locator("xpath=ancestor::div[contains(@class,'-ControlContainer')][1]")
    control.locator("[class*='-ControlErrorsList']").wait_for()
    shot(editor, f"tu-choi-{name.rsplit('.', 1)[-1].lower()}-luu")
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == status
    assert not list((root / FOLDER).glob("anh-*.jpg"))
    assert editor.csp_violations() == []


def test_published_mode_re_encodes_in_the_browser(editors, phone_jpeg, tmp_path):
    editor = editors("published", "phone")
    editor.open_entry("ket-qua", "gung-re/2023-03-11")
    index = add_photo_item(editor)
    pick(editor, index, str(phone_jpeg))
    widget = photo_widget(editor, index)
    widget.get_by_text("Chọn ảnh khác").wait_for(timeout=30000)
    name = widget.locator("code").inner_text()
    assert name.startswith("anh-") and "1200 × 1600 điểm ảnh" in widget.inner_text()
    editor.field("mo_ta", index).fill("Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường liên thôn")
    shot(editor, "chon-anh")
    editor.save()
    editor.saved()
    # What the page would commit: the file Decap keeps at the photo's path.
    content = editor.page.evaluate(
        """async name => {
            const folder = window.repoFiles.materials.anh['gung-re']['2023-03-11'];
            const asset = folder[name].content;
            const bytes = new Uint8Array(await asset.fileObj.arrayBuffer());
            let text = ''; for (const b of bytes) text += String.fromCharCode(b);
            return [folder[name].path, btoa(text)];
        }""",
        name,
    )
    assert content[0] == FOLDER + name
    data = base64.b64decode(content[1])
    path = tmp_path / name
    path.write_bytes(data)
    assert metadata_left(data) == {} and upright_has_red_at_top_right(data)
    assert Image.open(path).size == (1200, 1600)
    tags = exif_of(path)
    assert not [k for k in tags if k.startswith(("GPS", "IFD0", "ExifIFD", "XMP", "ICC"))], tags
    # The CI check takes it as a stored photo (no A-rule).
    from nongthonmoi.photos.header import read_header
    from nongthonmoi.photos.stored import stored_problems

    assert stored_problems(read_header(data), len(data)) == []

    # The media library («Hình ảnh» › «Tải lên») commits through the host as it is given the
    # file: the canvas cleans a phone's photo first (ntm-anh.js cleanMediaUploads).
    editor.open("collections/ke-hoach")
    editor.page.get_by_role("button", name="Hình ảnh").or_(editor.page.get_by_role("link", name="Hình ảnh")).first.click()
    editor.page.locator("[class*='-UploadButton'] input[type=file]").set_input_files(str(phone_jpeg))
    editor.page.wait_for_function("name => !!(window.repoFiles['hinh-anh-thu'] || {})[name]", arg=phone_jpeg.name.lower(),
                                  timeout=30000)
    content = editor.page.evaluate(
        """async name => {
            const asset = window.repoFiles['hinh-anh-thu'][name].content;  // editor_published's media folder
            const bytes = new Uint8Array(await asset.fileObj.arrayBuffer());
            let text = ''; for (const b of bytes) text += String.fromCharCode(b);
            return btoa(text);
        }""",
        phone_jpeg.name.lower(),
    )
    data = base64.b64decode(content)
    assert metadata_left(data) == {} and upright_has_red_at_top_right(data) and Image.open(io.BytesIO(data)).size == (1200, 1600)
    assert b"Samsung" not in data and b"R58T123456" not in data
    assert editor.csp_violations() == []


def test_the_media_library_stores_a_phone_photo_clean(editors, phone_jpeg):
    """«Hình ảnh» › «Tải lên» (Decap's media library, the local backend's
    persistMedia): the phone's photo is listed and stored cleaned (upright, at
    most 1,600 px, no GPS or camera data), committed, and `ntm check` passes;
    a file that is not a picture is refused in words, nothing written."""
    editor = editors("local", "desktop")
    page, root = editor.page, editor.root
    page.set_viewport_size({"width": 1366, "height": 768})
    head = git(root, "rev-parse", "HEAD").strip()
    page.get_by_role("button", name="Hình ảnh").or_(page.get_by_role("link", name="Hình ảnh")).first.click()
    upload = page.locator("[class*='-UploadButton'] input[type=file]")
    upload.set_input_files(str(phone_jpeg))
    stored = root / "docs/hinh-anh" / phone_jpeg.name.lower()
    page.get_by_text(stored.name, exact=True).wait_for(timeout=30000)  # its card
    shot(editor, "thu-vien-anh-1366")
    data = stored.read_bytes()
    assert Image.open(io.BytesIO(data)).size == (1200, 1600) and upright_has_red_at_top_right(data)
    assert metadata_left(data) == {}
    tags = exif_of(stored)
    assert not [k for k in tags if k.startswith(("GPS", "IFD0", "ExifIFD", "XMP", "ICC"))], tags
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [stored.relative_to(root).as_posix()]
    assert git(root, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    check = run_ntm(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    # Not a picture: refused in words (Decap's notice, on a computer's and a phone's screen).
    head = git(root, "rev-parse", "HEAD")
    upload.set_input_files({"name": "bao-cao.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.7 not a picture" * 40})
    refusal = page.get_by_text("không phải hình", exact=False).first
    refusal.wait_for(timeout=20000)
    text = refusal.inner_text()
    assert "bao-cao.jpg" in text and "Cách sửa" in text and "Failed" not in text, text
    page.wait_for_timeout(1000)  # the notice slides in
    shot(editor, "thu-vien-anh-tu-choi-1366")
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(300)
    shot(editor, "thu-vien-anh-tu-choi-360")
    assert git(root, "rev-parse", "HEAD") == head and not (root / "docs/hinh-anh/bao-cao.jpg").exists()
    assert editor.csp_violations() == []

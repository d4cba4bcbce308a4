"""The editor's local backend (editor/backend.py), called as the browser and as
an attacker would call it, in a scratch copy with its own git history.

- Only the editor page of this run may call it: another origin or port, a
  foreign Host (DNS rebinding), a missing or wrong secret are refused.
- It reads and writes only docs/ and materials/: mkdocs.yml, .git, links and
  anything outside the repository are refused, for reads too.
- Limits come before any work: length, type, method.
- A save is checked with the rules of `ntm check` before anything is written,
  lands at the path its commune and Saturday give it (a changed Saturday
  moves the file, never a "-1" copy), in NFC, as one commit.
"""

from __future__ import annotations

import base64
import os
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import run_ntm
from editor_support import SECRET, call, clone_of, environ, git
from editor_support import history, repo  # noqa: F401  (fixtures)
from nongthonmoi.editor import backend as backend_module
from nongthonmoi.editor.backend import LocalBackend
from photos_support import heic_like, jpeg_claiming, metadata_left, phone_photo, png_bomb, upright_has_red_at_top_right

PORT = 8123
PLAN = "materials/ke-hoach/gung-re/2023-03-18.yml"  # a plan with no result
PLAN_WITH_RESULT = "materials/ke-hoach/gung-re/2023-03-04.yml"


@pytest.fixture
def backend(repo) -> LocalBackend:
    return LocalBackend(repo, SECRET, PORT)


@pytest.fixture(scope="module")
def refusing(tmp_path_factory, history) -> tuple[Path, LocalBackend]:
    """One clone and its backend for the tests whose every request must be
    refused: each of them checks that nothing changed, so they can share it."""
    repo = clone_of(history, tmp_path_factory.mktemp("refusals"))
    return repo, LocalBackend(repo, SECRET, PORT)


def persist(path: str, raw: str, *, new: bool = False, message: str = "Sửa thử") -> dict:
    return {
        "action": "persistEntry",
        "params": {
            "dataFiles": [{"path": path, "slug": "x", "raw": raw}],
            "assets": [],
            "options": {"newEntry": new, "commitMessage": message},
        },
    }


def snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git/" not in p.relative_to(root).as_posix() + "/" and "node_modules" not in p.parts
    }


# --- who may call ---------------------------------------------------------------


@pytest.mark.parametrize(
    "origin, site",
    [
        ("http://127.0.0.1:9999", None),  # another port of this computer
        ("http://localhost:8123", None),  # the same server under its other name is another origin
        ("http://evil.example", None),
        ("null", None),  # a sandboxed frame or a file:// page
        (None, None),  # no Origin at all (not a browser's fetch)
        ("same", "cross-site"),
    ],
)
def test_write_from_another_origin_is_refused(refusing, origin, site):
    repo, backend = refusing
    before = (repo / PLAN).read_bytes()
    raw = before.decode().replace("noi_dung: ", "noi_dung: Đổi ", 1)
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), environ(persist(PLAN, raw), port=PORT, origin=origin, site=site))
    assert status == 403, answer
    assert "[E005]" not in answer["error"] and "không đến từ trang quản trị" in answer["error"]
    assert (repo / PLAN).read_bytes() == before


@pytest.mark.parametrize("host", ["evil.example:8123", "127.0.0.1.nip.io:8123", "127.0.0.1:9999", "127.0.0.1", ""])
def test_foreign_host_is_refused_everywhere(refusing, host):
    """DNS rebinding: a name of another site pointed at 127.0.0.1 reaches nothing,
    not the backend, and not the configuration that holds the secret."""
    repo, backend = refusing
    from nongthonmoi.preview import PreviewServer

    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), environ({"action": "info"}, port=PORT, host=host, origin=f"http://{host}"))
    assert status == 403, answer
    server = PreviewServer(lambda: None, "127.0.0.1", PORT, str(repo / "site-vide"), root=repo, backend=backend)
    try:
        for path in ("/quan-tri/config.yml", "/quan-tri/", "/", f"/__ntm/api/{SECRET}"):
            env = environ({"action": "info"}, port=PORT, host=host, method="GET", path=path)
            status, answer = call(server._serve_request, env)
            assert status == 403, (path, answer)
            assert SECRET not in str(answer)
    finally:
        server.server_close()


@pytest.mark.parametrize("path", ["/__ntm/api/", "/__ntm/api/wrong-secret", f"/__ntm/api/{SECRET}x", f"/__ntm/api/{SECRET[:-1]}"])
def test_request_without_the_secret_is_refused(refusing, path):
    repo, backend = refusing
    before = (repo / PLAN).read_bytes()
    env = environ(persist(PLAN, before.decode() + "ghi_chu: x\n"), port=PORT, path=path)
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)
    assert status == 403 and "mã bí mật" in answer["error"]
    assert (repo / PLAN).read_bytes() == before


def _api(backend, body, **kwargs):
    return call(lambda e, s: backend(e, s, e["PATH_INFO"]), environ(body, port=PORT, **kwargs))


OUTSIDE_WRITES = [
    "mkdocs.yml",
    ".git/config",
    ".git/hooks/pre-commit",
    "docs/../mkdocs.yml",
    "../outside.md",
    "/etc/passwd",
    "docs//x.md",
    "docs/./x.md",
    "docs\\..\\mkdocs.yml",
    "overrides/main.html",
    "scripts/nongthonmoi/plugin.py",
    "materials/schema/ke-hoach.schema.json",
    "materials/schema/x.yml",
    "docs/trang.html",
    "docs/hinh.svg",
    ".github/workflows/site.yml",
    "docs/.an.md",
    "docs/x.md\x00.yml",
    "docs/hinh-anh\n/x.pdf",  # a regular expression's $ also matches before a final newline
    "materials/anh/gung-re/2023-03-04/anh-1.jpg\n",
    "docs/" + "a/" * 10 + "x.md",
]


@pytest.mark.parametrize("path", OUTSIDE_WRITES)
def test_writes_outside_the_content_are_refused(refusing, path):
    repo, backend = refusing
    before = snapshot(repo)
    outside = repo.parent / "outside.md"
    for body in (
        persist(path, "---\ntitle: x\n---\n\nhooks: [x]\n", new=True),
        {"action": "persistMedia", "params": {"asset": {"path": path, "content": "eA==", "encoding": "base64"}, "options": {}}},
        {"action": "deleteFile", "params": {"path": path, "options": {}}},
        {"action": "deleteFiles", "params": {"paths": [path], "options": {}}},
    ):
        status, answer = _api(backend, body)
        assert status in (400, 403), (body["action"], answer)
    assert snapshot(repo) == before
    assert not outside.exists()


@pytest.mark.parametrize("path", [".git/config", "mkdocs.yml", "../outside.md", "/etc/passwd", "pyproject.toml", "docs/../.git/config"])
def test_reads_outside_the_content_are_refused(refusing, path):
    repo, backend = refusing
    (repo.parent / "outside.md").write_text("bí mật ngoài kho", encoding="utf-8")
    for body in (
        {"action": "getEntry", "params": {"path": path}},
        {"action": "entriesByFiles", "params": {"files": [{"path": path}]}},
        {"action": "getMediaFile", "params": {"path": path}},
    ):
        status, answer = _api(backend, body)
        assert status == 403, (body, answer)
        assert "[remote" not in str(answer) and "bí mật ngoài kho" not in str(answer) and "site_name" not in str(answer)
    for folder in (".git", "scripts", "docs/..", "/etc", "..", "overrides"):
        status, answer = _api(backend, {"action": "entriesByFolder", "params": {"folder": folder, "extension": "", "depth": 3}})
        assert status == 403 or answer == [], (folder, answer)


def test_links_are_not_followed(repo, backend):
    secret_file = repo.parent / "ngoai-kho.md"
    secret_file.write_text("---\ntitle: Bí mật\n---\n", encoding="utf-8")
    os.symlink(secret_file, repo / "docs" / "lien-ket.md")
    os.symlink(repo.parent, repo / "docs" / "thu-muc-ngoai")
    status, answer = _api(backend, {"action": "getEntry", "params": {"path": "docs/lien-ket.md"}})
    assert status == 403 and "liên kết" in answer["error"]
    status, answer = _api(backend, {"action": "getEntry", "params": {"path": "docs/thu-muc-ngoai/ngoai-kho.md"}})
    assert status == 403
    status, answer = _api(backend, {"action": "entriesByFolder", "params": {"folder": "docs", "extension": "md", "depth": 3}})
    assert status == 200 and not [e for e in answer if "lien-ket" in e["file"]["path"] or "ngoai" in e["file"]["path"]]
    status, _ = _api(backend, persist("docs/thu-muc-ngoai/moi.md", "---\ntitle: x\n---\n", new=True))
    assert status == 403 and not (repo.parent / "moi.md").exists()
    status, _ = _api(backend, persist("docs/lien-ket.md", "---\ntitle: x\n---\n"))
    assert status == 403 and secret_file.read_text(encoding="utf-8").startswith("---\ntitle: Bí mật")


def test_limits_come_before_any_work(repo, backend, monkeypatch):
    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

    env = environ({"action": "info"}, port=PORT, length=backend_module.MAX_REQUEST + 1)
    env["wsgi.input"] = Unread()
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)
    assert status == 413 and "quá giới hạn" in answer["error"]
    env = environ({"action": "info"}, port=PORT)
    del env["CONTENT_LENGTH"]
    env["wsgi.input"] = Unread()
    assert call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)[0] == 411
    assert _api(backend, {"action": "info"}, content_type="text/plain")[0] == 415  # a form post from another page
    assert _api(backend, {"action": "info"}, method="GET")[0] == 405
    assert _api(backend, b"not json")[0] == 400
    assert _api(backend, {"action": "rmrf", "params": {}})[0] == 422
    too_many = {"action": "entriesByFiles", "params": {"files": [{"path": PLAN}] * 51}}
    assert _api(backend, too_many)[0] == 413
    big = persist(PLAN, "ghi_chu: " + "x" * (backend_module.MAX_TEXT_FILE + 10) + "\n")
    assert _api(backend, big)[0] in (413, 422)


# --- saving ------------------------------------------------------------------------


def test_a_save_is_checked_written_in_nfc_and_committed(repo, backend):
    text = (repo / PLAN).read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "Dọn vệ sinh đường làng")
    raw = text.replace("noi_dung: ", f"noi_dung: {decomposed} ", 1)
    status, answer = _api(backend, persist(PLAN, raw, message="Sửa kế hoạch 18/03/2023 · Xã Gung Ré"))
    assert status == 200, answer
    saved = (repo / PLAN).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", saved) and "Dọn vệ sinh đường làng" in saved
    assert git(repo, "log", "-1", "--format=%s").strip() == "Sửa kế hoạch 18/03/2023 · Xã Gung Ré"
    assert git(repo, "status", "--porcelain").strip() == ""
    assert run_ntm(repo, "check").returncode == 0


def test_text_pasted_from_word_is_saved_as_it_was_seen(repo, backend):
    """A no-break or em space, a zero-width space and a soft hyphen (which
    breaks «khơi-thông» on a phone and hides it from search) are saved as
    the plain text the editor saw; an emoji's joiner stays."""
    text = (repo / PLAN).read_text(encoding="utf-8")
    pasted = "Vệ sinh\u00a0đường\u2003liên thôn \u200bvà khơi\u00adthông rãnh 👨\u200d👩"
    raw = text.replace("noi_dung: ", f"noi_dung: {pasted} ", 1)
    status, answer = _api(backend, persist(PLAN, raw))
    assert status == 200, answer
    line = next(line for line in (repo / PLAN).read_text(encoding="utf-8").splitlines() if line.startswith("noi_dung:"))
    assert "noi_dung: Vệ sinh đường liên thôn và khơithông rãnh 👨\u200d👩 " in line, line
    assert run_ntm(repo, "check").returncode == 0


def _refused_at_a_field(repo: Path, backend, path: str, change) -> tuple[dict, dict]:
    """Save ``path`` with ``change`` made to its data: refused (422), nothing
    written; (the first problem, the whole answer)."""
    before = (repo / path).read_bytes()
    data = yaml.safe_load(before)
    change(data)
    status, answer = _api(backend, persist(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))
    assert status == 422, answer
    assert (repo / path).read_bytes() == before
    return answer["problems"][0], answer


def test_a_negative_quantity_is_refused_at_its_field(repo, backend):
    problem, answer = _refused_at_a_field(repo, backend, PLAN, lambda data: data["phan_viec"][0]["khoi_luong"].update(so=-3))
    assert problem["rule"] == "M009" and problem["path"] == ["phan_viec", 0, "khoi_luong", "so"]
    assert problem["field"] == "Các phần việc › Phần việc 1 › Khối lượng công việc › Số lượng"
    assert "«Số lượng» không được âm" in problem["message"] and "«so»" not in answer["error"]
    assert git(repo, "status", "--porcelain").strip() == ""


def test_a_real_plan_in_example_hamlets_is_refused_at_the_hamlet(repo, backend):
    """Gung Ré's hamlets are examples: a plan saved as real (the «Dữ liệu ví
    dụ» box unticked) is refused at its first hamlet, with what to do in the form."""
    problem, _ = _refused_at_a_field(repo, backend, PLAN, lambda data: data.update(vi_du=False))
    assert problem["rule"] == "S016" and problem["path"] == ["phan_viec", 0, "thon", 0]
    assert "Dữ liệu ví dụ" in problem["fix"] and "materials/" not in problem["fix"]


def test_a_unit_typed_wrong_in_a_result_is_refused_at_its_field(repo, backend):
    """2.000 done against a plan of 2 km (metres typed in kilometres): S017 at the field."""
    result = "materials/ket-qua/gung-re/2023-03-04.yml"
    problem, _ = _refused_at_a_field(repo, backend, result, lambda data: data["khoi_luong_da_lam"][0].update(da_lam=2000))
    assert problem["rule"] == "S017" and problem["path"] == ["khoi_luong_da_lam", 0, "da_lam"]
    assert "gấp 1.000 lần kế hoạch (2 km)" in problem["message"] and "(km)" in problem["fix"]


def test_a_copy_never_becomes_a_dash_one_file(repo, backend):
    """Decap names a copy 2023-03-18-1.yml when the date was not changed: refused (E001)."""
    raw = (repo / PLAN).read_text(encoding="utf-8")
    status, answer = _api(backend, persist(PLAN.replace(".yml", "-1.yml"), raw, new=True))
    assert status == 409 and answer["problems"][0]["rule"] == "E001"
    assert answer["problems"][0]["path"] == ["ngay"]
    assert "Đã có kế hoạch của Xã Gung Ré cho thứ Bảy 18/03/2023" in answer["error"]
    assert not list((repo / "materials/ke-hoach/gung-re").glob("*-1.yml"))


def test_a_second_result_for_the_same_saturday_is_refused(repo, backend):
    result = "materials/ket-qua/gung-re/2023-03-04.yml"
    raw = (repo / result).read_text(encoding="utf-8")
    status, answer = _api(backend, persist("materials/ket-qua/gung-re/2023-03-04-1.yml", raw, new=True))
    assert status == 409 and answer["problems"][0]["rule"] == "E001"
    assert "Đã có kết quả của Xã Gung Ré" in answer["error"]


def test_a_changed_saturday_moves_the_file(repo, backend):
    raw = (repo / PLAN).read_text(encoding="utf-8").replace("ngay: 2023-03-18", "ngay: 2023-03-25")
    status, answer = _api(backend, persist(PLAN, raw, message="Dời kế hoạch sang 25/03/2023"))
    assert status == 200, answer
    moved = repo / "materials/ke-hoach/gung-re/2023-03-25.yml"
    assert answer["path"] == moved.relative_to(repo).as_posix() and answer["movedFrom"] == PLAN
    assert moved.is_file() and not (repo / PLAN).exists()
    # The message Decap worded from the entry as opened says where it went.
    assert git(repo, "log", "-1", "--format=%s").strip() == "Dời kế hoạch sang 25/03/2023 (chuyển sang «gung-re/2023-03-25»)"
    # One commit holds both sides of the move (git sees a rename).
    changed = git(repo, "show", "--name-status", "--format=", "HEAD").split()
    assert changed[0].startswith("R") and changed[1:] == [PLAN, "materials/ke-hoach/gung-re/2023-03-25.yml"], changed
    assert run_ntm(repo, "check").returncode == 0


def test_a_plan_with_a_result_neither_moves_nor_goes_away(repo, backend):
    raw = (repo / PLAN_WITH_RESULT).read_text(encoding="utf-8").replace("ngay: 2023-03-04", "ngay: 2023-04-01")
    status, answer = _api(backend, persist(PLAN_WITH_RESULT, raw))
    assert status == 422 and [(p["rule"], p["path"]) for p in answer["problems"]] == [("E010", ["ngay"])], answer
    assert "đã có kết quả của Xã Gung Ré cho thứ Bảy 04/03/2023" in answer["error"] and "«Xóa»" in answer["error"]
    assert "ntm " not in answer["error"]
    status, answer = _api(backend, {"action": "deleteFile", "params": {"path": PLAN_WITH_RESULT, "options": {}}})
    assert status == 409 and answer["problems"][0]["rule"] == "E003"
    assert (repo / PLAN_WITH_RESULT).is_file()


def test_reading_lists_only_content(repo, backend):
    status, answer = _api(backend, {"action": "entriesByFolder", "params": {"folder": "materials/ke-hoach", "extension": "yml", "depth": 2}})
    assert status == 200 and PLAN in [e["file"]["path"] for e in answer]
    status, answer = _api(backend, {"action": "getEntry", "params": {"path": "materials/ke-hoach/gung-re/2099-01-03.yml"}})
    assert status == 200 and answer["data"] is None  # Decap asks whether a file exists this way
    status, answer = _api(backend, {"action": "getDeployPreview", "params": {"collection": "ke-hoach", "slug": "gung-re/2023-03-18"}})
    assert answer == {"url": f"http://127.0.0.1:{PORT}/xa/gung-re/2023-03-18/", "status": "SUCCESS"}
    status, answer = _api(backend, {"action": "getDeployPreview", "params": {"collection": "trang-huong-dan", "slug": "ai-lam-gi"}})
    assert answer["url"].endswith("/huong-dan/ai-lam-gi/")


def test_save_to_history_checks_commits_with_the_message_and_reports(repo, backend):
    page = repo / "docs/thuat-ngu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    status, answer = _api(backend, {"action": "ntmStatus", "params": {}})
    assert [p["path"] for p in answer["pending"]] == ["docs/thuat-ngu.md"] and answer["remote"] is None
    status, answer = _api(backend, {"action": "ntmCommit", "params": {"message": "Bổ sung thuật ngữ"}})
    assert status == 200 and answer["count"] == 1
    assert git(repo, "log", "-1", "--format=%s").strip() == "Bổ sung thuật ngữ"
    # A mistake anywhere stops it, with the check's words.
    plan = repo / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("ngay: 2023-03-18", "ngay: 2023-03-17"), encoding="utf-8")
    status, answer = _api(backend, {"action": "ntmCommit", "params": {"message": "x"}})
    assert status == 422 and "[S001]" in answer["error"]


def test_push_goes_to_the_remote_after_each_save(repo, backend, tmp_path):
    remote = tmp_path / "kho-chung.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    raw = (repo / PLAN).read_text(encoding="utf-8").replace("noi_dung: ", "noi_dung: Đã gửi ", 1)
    assert _api(backend, persist(PLAN, raw, message="Gửi lên kho chung"))[0] == 200
    import time

    deadline = time.monotonic() + 30
    while backend.history.push_state.state in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert backend.history.push_state.state == "done", backend.history.push_state
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "Gửi lên kho chung"


def test_the_launcher_opens_the_editor_without_a_terminal(tmp_path):
    """`ntm cai-bieu-tuong`: a desktop entry that runs `ntm edit --mo-trinh-duyet` for this copy."""
    import configparser
    import shlex

    from conftest import BIN, ROOT
    from nongthonmoi.editor.launcher import install

    home = tmp_path / "home dir"
    (home / "Desktop").mkdir(parents=True)
    written = install(ROOT, BIN / "ntm", home=home)
    assert [p.parent.name for p in written] == ["applications", "Desktop"]
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(written[0].read_text(encoding="utf-8"))
    section = entry["Desktop Entry"]
    assert section["Terminal"] == "false" and section["Name"] == "Sửa nội dung Nông thôn mới"
    command = shlex.split(section["Exec"].replace("%%", "%"))
    assert command == [str(BIN / "ntm"), "--root", str(ROOT), "edit", "--mo-trinh-duyet"]
    assert os.access(written[0], os.X_OK)
    import subprocess

    desktop_file_validate = subprocess.run(["which", "desktop-file-validate"], capture_output=True, text=True).stdout.strip()
    if desktop_file_validate:
        result = subprocess.run([desktop_file_validate, str(written[0])], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# --- what an upload may be ------------------------------------------------------

def _media(path: str, content: bytes) -> dict:
    import base64

    return {"action": "persistMedia", "params": {"asset": {"path": path, "content": base64.b64encode(content).decode(),
                                                           "encoding": "base64"}, "options": {"commitMessage": "Thêm tệp"}}}


def _uploads():
    import hostile_files_support as hostile

    return {
        # A phone photo is cleaned, not refused (test_a_phone_photo_...); what is not a photo, or is
        # hostile, is refused as `ntm check` refuses it, never decoded:
        "HEIC named .jpg": ("docs/hinh-anh/cho-moi.jpg", heic_like(), "A016", "không phải hình"),
        "garbage named .jpg": ("docs/hinh-anh/cho-moi.jpg", b"MZ\x90\x00 a program, not a photo" * 20, "A016", "không phải hình"),
        "PNG bomb": ("docs/hinh-anh/so-do.png", png_bomb(), "A007", "quá giới hạn"),
        "JPEG bomb": ("docs/hinh-anh/so-do.jpg", jpeg_claiming(20_000, 20_000), "A007", "quá giới hạn"),
        "6,000 scans": ("docs/hinh-anh/cho-moi.jpg", hostile.many_scans(6000), "A017", "6"),
        "GIF with a position": ("docs/hinh-anh/cho-moi.gif", hostile.gif_xmp_gps(), "A008", "vị trí GPS"),
        "text named .pdf": ("docs/hinh-anh/mau.pdf", b"<html><script>alert(1)</script>", "A018", "không phải tệp PDF"),
        "PDF with its author": ("docs/hinh-anh/mau.pdf", hostile.pdf_with(author=b"(Nguyen Van A 0912345678)"), "A020",
                                "Nguyen Van A 0912345678"),
        "PDF with a phone photo": ("docs/hinh-anh/mau.pdf", hostile.pdf_with(hostile.jpeg_with_gps()), "A019", "vị trí GPS"),
    }


@pytest.mark.parametrize("name", sorted(_uploads()))
def test_an_upload_that_ntm_check_would_refuse_is_refused_before_it_is_written(refusing, name):
    """The editor's media library and a page's attachments go through the
    rules every file of docs/ meets in ``ntm check``: refused at once, in
    Vietnamese, with the fix; nothing written, nothing committed."""
    repo, backend = refusing
    path, content, rule, words = _uploads()[name]
    before, head = snapshot(repo), git(repo, "rev-parse", "HEAD")
    page = persist("docs/trang-moi.md", "---\ntitle: Trang mới\n---\n\n# Trang mới\n\nChữ.\n", new=True)
    page["params"]["assets"] = [_media(path, content)["params"]["asset"]]
    for body in (_media(path, content), page):
        status, answer = _api(backend, body)
        assert status == 422, answer
        assert rule in [p["rule"] for p in answer["problems"]] and words in answer["error"], answer
        assert "Cách sửa:" in answer["error"] and answer["problems"][0]["fix"]
        assert "ntm " not in answer["error"], answer["error"]  # a person at the editor has no terminal
    assert snapshot(repo) == before and git(repo, "rev-parse", "HEAD") == head


def _clean_and_upright(root: Path, rel: str) -> None:
    """The stored picture: the phone's photo upright, at most 1,600 px, with
    nothing of the phone left (Pillow, exiftool, the bytes themselves)."""
    import io
    import json
    import subprocess

    from PIL import Image

    data = (root / rel).read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1200, 1600)
    assert upright_has_red_at_top_right(data) and metadata_left(data) == {}
    assert b"Samsung" not in data and b"R58T123456" not in data
    tags = json.loads(subprocess.run(["exiftool", "-j", "-a", "-G1", str(root / rel)], capture_output=True, text=True,
                                     check=True).stdout)[0]
    assert not [k for k in tags if k.startswith(("GPS", "IFD0", "ExifIFD", "XMP", "ICC", "MakerNotes"))], tags
    # The commit holds the clean bytes, and only them.
    assert git(root, "show", "--no-renames", "--name-only", "--format=", "HEAD").split() == [rel]
    blob = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{rel}"], capture_output=True, check=True).stdout
    assert blob == data


def test_a_phone_photo_in_the_media_library_is_stored_clean_upright_and_small(repo, backend):
    """The media library («Tải lên») takes a phone's photo (GPS, camera make,
    model and serial, stored sideways) and stores what «Chọn ảnh» would:
    the same normalise_photo. The answer's path is what Decap lists and links."""
    status, answer = _api(backend, _media("docs/hinh-anh/cho-moi.jpg", phone_photo()))
    assert status == 200, answer
    assert answer["path"] == "docs/hinh-anh/cho-moi.jpg" and answer["name"] == "cho-moi.jpg"
    assert base64.b64decode(answer["content"]) == (repo / answer["path"]).read_bytes()
    _clean_and_upright(repo, "docs/hinh-anh/cho-moi.jpg")
    assert git(repo, "log", "-1", "--format=%s").strip() == "Thêm tệp"
    check = run_ntm(repo, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_png_or_webp_carrying_a_position_is_stored_as_jpeg_and_answered_so(repo, backend):
    """The cleaner writes JPEG: a PNG (or WebP) that needs cleaning is stored
    as <name>.jpg, and the answer says so (Decap links the answer's path)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(phone_photo()))
    out = io.BytesIO()
    image.save(out, "PNG", exif=image.getexif().tobytes())  # eXIf chunk: the camera and the position
    status, answer = _api(backend, _media("docs/hinh-anh/so-do.png", out.getvalue()))
    assert status == 200, answer
    assert answer["path"] == "docs/hinh-anh/so-do.jpg", answer["path"]
    assert not (repo / "docs/hinh-anh/so-do.png").exists()
    _clean_and_upright(repo, "docs/hinh-anh/so-do.jpg")
    # A second one of that name never overwrites the first one unasked.
    status, answer = _api(backend, _media("docs/hinh-anh/so-do.png", out.getvalue()))
    assert status == 409 and "so-do.jpg" in answer["error"] and "đổi tên" in answer["error"], answer


def test_a_phone_photo_attached_to_a_page_is_cleaned_under_its_name(repo, backend):
    """A page's attachments come with its save; the page links them by name."""
    page = persist("docs/trang-moi.md", "---\ntitle: Trang mới\n---\n\n# Trang mới\n\n![Chợ](cho-moi.jpg)\n", new=True)
    page["params"]["assets"] = [_media("docs/cho-moi.jpg", phone_photo())["params"]["asset"]]
    status, answer = _api(backend, page)
    assert status == 200, answer
    data = (repo / "docs/cho-moi.jpg").read_bytes()
    assert metadata_left(data) == {} and upright_has_red_at_top_right(data)
    assert run_ntm(repo, "check").returncode == 0


def test_a_plain_picture_upload_is_saved_and_passes_the_check(repo, backend):
    import hostile_files_support as hostile

    status, answer = _api(backend, _media("docs/hinh-anh/cho-moi.jpg", hostile._jpeg()))
    assert status == 200, answer
    assert git(repo, "log", "-1", "--format=%s").strip() == "Thêm tệp"
    assert run_ntm(repo, "check").returncode == 0


def test_a_save_over_a_version_saved_since_it_was_opened_is_refused(repo, backend):
    """Two tabs (or two people) open the same plan; A saves; B, whose form
    still holds the version it opened, is refused (E008) instead of undoing
    A's save. A save from the version on disk goes through and answers the
    new version's id, which the page keeps for its next save."""
    import hashlib

    opened = (repo / PLAN).read_text(encoding="utf-8")
    status, entry = _api(backend, {"action": "getEntry", "params": {"path": PLAN}})
    assert status == 200 and entry["file"]["id"] == hashlib.sha256(opened.encode()).hexdigest()
    tab_a = persist(PLAN, opened.replace("noi_dung: ", "noi_dung: Thẻ A - ", 1))
    tab_a["params"]["baseIds"] = {PLAN: entry["file"]["id"]}
    status, saved = _api(backend, tab_a)
    assert status == 200, saved
    after_a = (repo / PLAN).read_bytes()
    assert saved["id"] == hashlib.sha256(after_a).hexdigest()
    head = git(repo, "rev-parse", "HEAD")
    tab_b = persist(PLAN, opened.replace("noi_dung: ", "noi_dung: Thẻ B - ", 1))
    tab_b["params"]["baseIds"] = {PLAN: entry["file"]["id"]}
    status, answer = _api(backend, tab_b)
    assert status == 409 and "vừa được lưu ở nơi khác" in answer["error"] and "F5" in answer["error"], answer
    assert (repo / PLAN).read_bytes() == after_a and git(repo, "rev-parse", "HEAD") == head
    tab_b["params"]["baseIds"] = {PLAN: saved["id"]}  # B reloaded: its form starts from A's version
    assert _api(backend, tab_b)[0] == 200


def test_a_result_for_a_saturday_not_yet_come_is_refused_at_its_date(repo, backend):
    """On a Tuesday, a result for the coming Saturday would publish its
    participation four days early: refused at «Ngày thứ Bảy» (E009), with
    the last Saturday that has passed; nothing written."""
    from datetime import timedelta

    from nongthonmoi.buildday import build_day

    today = build_day()
    coming = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    text = (repo / "materials/ket-qua/gung-re/2023-03-04.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["ngay"] = coming.isoformat()
    before = snapshot(repo)
    status, answer = _api(backend, persist(f"materials/ket-qua/gung-re/{coming.isoformat()}.yml",
                                           yaml.safe_dump(data, allow_unicode=True, sort_keys=False), new=True))
    assert status == 422, answer
    [problem] = answer["problems"]
    assert problem["rule"] == "E009" and problem["path"] == ["ngay"], problem
    assert f"Chưa đến thứ Bảy {coming:%d/%m/%Y}" in problem["message"] and "gần nhất là" in problem["fix"]
    assert snapshot(repo) == before


@pytest.mark.parametrize("stderr", [
    "fatal: '/tmp/x/no-push-remote' does not appear to be a git repository\nfatal: Could not read from remote repository.",
    "remote: Repository not found.\nfatal: repository 'https://example.invalid/x.git/' not found",
    "Host key verification failed.\nfatal: Could not read from remote repository.",
    "error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500",
    "fatal: unable to access 'https://example.invalid/': Could not resolve host: example.invalid",
])
def test_a_failed_push_is_said_in_vietnamese(stderr, capsys):
    """The banner every page of the editor shows when a push fails: git's
    English stays in the «ntm edit» window, the editor reads Vietnamese."""
    from nongthonmoi.editor.history import _push_problem

    said = _push_problem(stderr)
    assert said.startswith(("Không", "Kho chung", "Chưa gửi")) and "fatal" not in said and "error" not in said.lower()
    assert not any(word in said for word in ("repository", "remote", "failed", "HTTP")), said


PASTED = [
    ("Địa điểm\u00a0#\u00a0nhà văn hóa", "Địa điểm # nhà văn hóa"),  # « # » in a plain value would be a comment
    ("Thời gian:\u00a07h00 tập trung", "Thời gian: 7h00 tập trung"),  # «: » would start a mapping
    ("-\u00a0Dọn rác thôn 1", "- Dọn rác thôn 1"),  # «- » would start a list
    ("Vệ sinh\u200b đường\u00ad làng", "Vệ sinh đường làng"),
]


def test_pasted_spaces_are_tidied_in_values_never_in_the_yaml(repo, backend):
    """A no-break space keeps « #», «: » or «- » from meaning anything to
    YAML; turned into a plain space in the YAML text (as before) it cut the
    note short silently or made the save fail. The value is tidied, then
    written, quoted as YAML needs."""
    import yaml as pyyaml

    text = (repo / PLAN).read_text(encoding="utf-8")
    for pasted, kept in PASTED:
        data = pyyaml.safe_load(text)
        data["ghi_chu"] = pasted
        raw = pyyaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # as Decap writes it: the value plain, unquoted
        status, answer = _api(backend, persist(PLAN, raw))
        assert status == 200, (pasted, answer)
        assert pyyaml.safe_load((repo / PLAN).read_text(encoding="utf-8"))["ghi_chu"] == kept, pasted
    assert run_ntm(repo, "check").returncode == 0

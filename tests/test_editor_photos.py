"""Photos through the web editor's local backend (editor/photos.py), called
as the page and as an attacker would call it, in a scratch copy with its own
git history.

- «Chọn ảnh» (``ntmAnh`` at ``<api>/tai-len``): the picked file comes back
  normalised (upright, no GPS or camera data, at most 1,600 px, JPEG) and
  named by its content; nothing is written. HEIC, garbage, a decompression
  bomb are refused with the rule's Vietnamese words; a body over the limit is
  refused before it is read; a path in the picked file's name is ignored.
- A save of a result writes its new photos, removes those it no longer
  lists, and moves them with the record, in the same commit; a photo sent
  with the save that is not what «Chọn ảnh» made (an original) is refused.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import run_ntm
from editor_support import SECRET, call, environ, git
from editor_support import history, repo  # noqa: F401  (fixtures)
from nongthonmoi.editor import backend as backend_module
from nongthonmoi.editor.backend import LocalBackend
from nongthonmoi.editor.photos import upload_name
from photos_support import heic_like, metadata_left, phone_photo, png_bomb, upright_has_red_at_top_right

PORT = 8124
UPLOAD = f"/__ntm/api/{SECRET}/tai-len"
RESULT = "materials/ket-qua/gung-re/2023-03-11.yml"
FOLDER = "materials/anh/gung-re/2023-03-11/"
PLAN = "materials/ke-hoach/gung-re/2023-03-18.yml"  # a plan with no result


@pytest.fixture
def backend(repo) -> LocalBackend:
    return LocalBackend(repo, SECRET, PORT)


@pytest.fixture(scope="module")
def phone() -> bytes:
    return phone_photo()  # 4032 × 3024 stored sideways, GPS, camera, serial numbers


def ask(backend, env: dict) -> tuple[int, dict]:
    return call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)


def pick(backend, data: bytes, name: str = "IMG_2041.jpg") -> tuple[int, dict]:
    body = {"action": "ntmAnh", "params": {"name": name, "content": base64.b64encode(data).decode()}}
    return ask(backend, environ(body, port=PORT, path=UPLOAD))


def save(backend, path: str, data: dict, photos: dict[str, bytes], *, message: str = "Thêm ảnh") -> tuple[int, dict]:
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assets = [{"path": rel, "content": base64.b64encode(b).decode(), "encoding": "base64"} for rel, b in photos.items()]
    body = {"action": "persistEntry", "params": {"dataFiles": [{"path": path, "slug": "x", "raw": raw}],
                                                 "assets": assets, "options": {"commitMessage": message}}}
    return ask(backend, environ(body, port=PORT))


def record(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def with_photo(data: dict, name: str) -> dict:
    item = {"tep": name, "mo_ta": "Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường liên thôn", "giai_doan": "sau"}
    return {**data, "anh": [*data.get("anh", []), item]}


def last_commit_files(root: Path) -> set[str]:
    return set(git(root, "show", "--no-renames", "--name-only", "--format=", "HEAD").split())


def worktree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "materials").rglob("*") if p.is_file()}


# --- «Chọn ảnh» -------------------------------------------------------------------


def test_a_picked_photo_comes_back_upright_small_and_without_metadata(backend, repo, phone):
    before = worktree(repo)
    status, answer = pick(backend, phone)
    assert status == 200, answer
    data = base64.b64decode(answer["content"])
    assert answer["name"] == upload_name(data) and answer["name"].startswith("anh-")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and max(image.size) <= 1600
    assert (answer["width"], answer["height"]) == image.size == (1200, 1600)  # the portrait the phone meant
    assert upright_has_red_at_top_right(data)
    assert metadata_left(data) == {}, metadata_left(data)
    assert b"Samsung" not in data and b"R58T123456" not in data
    assert worktree(repo) == before  # picking writes nothing


@pytest.mark.parametrize(
    "content, rule, words",
    [
        (heic_like(), "A005", "HEIC"),
        (b"MZ\x90\x00 this is a program, not a photo" * 20, "A005", "không phải ảnh"),
        (png_bomb(), "A007", "quá giới hạn"),
        (b"", "A011", "trống"),
    ],
    ids=["heic", "garbage", "bomb", "empty"],
)
def test_what_is_not_a_photo_is_refused_in_words(backend, repo, content, rule, words):
    before = worktree(repo)
    status, answer = pick(backend, content, "anh-tu-zalo.heic")
    assert status == 422, answer
    [problem] = answer["problems"]
    assert problem["rule"] == rule and words in problem["message"], problem
    assert "ntm" not in problem["fix"] and "Chọn" in problem["fix"] or rule == "A011"
    assert "Traceback" not in answer["error"]
    assert worktree(repo) == before


def test_a_path_in_the_picked_name_is_only_a_name(backend, repo, phone):
    status, answer = pick(backend, phone, "../../../.ssh/authorized_keys.jpg")
    assert status == 200 and answer["name"].startswith("anh-") and "/" not in answer["name"]
    status, answer = pick(backend, heic_like(), "..\\..\\windows\\system32\\x.heic")
    assert status == 422
    assert "x.heic" in answer["error"] and "windows" not in answer["error"] and ".." not in answer["error"]
    assert not (repo.parent / ".ssh").exists()


def test_an_oversized_upload_is_refused_before_it_is_read(backend):
    class Untouchable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    env = environ({"action": "ntmAnh", "params": {}}, port=PORT, path=UPLOAD, length=backend_module.MAX_UPLOAD + 1)
    env["wsgi.input"] = Untouchable()
    status, answer = ask(backend, env)
    assert status == 413 and "E006" not in answer["error"] and "quá" in answer["error"]


def test_choosing_a_photo_is_answered_only_at_the_upload_address(backend, phone):
    body = {"action": "ntmAnh", "params": {"name": "a.jpg", "content": base64.b64encode(phone[:1000]).decode()}}
    status, _ = ask(backend, environ(body, port=PORT))
    assert status == 400
    status, _ = ask(backend, environ(body, port=PORT, path=UPLOAD, origin="http://127.0.0.1:9999"))
    assert status == 403


# --- a save with photos ---------------------------------------------------------------


def test_a_result_saved_with_a_photo_commits_both_and_passes_the_check(backend, repo, phone):
    _, answer = pick(backend, phone)
    name, data = answer["name"], base64.b64decode(answer["content"])
    # Decap names the folder as the form was when the photo was picked: only the name counts.
    status, saved = save(backend, RESULT, with_photo(record(repo, RESULT), name), {"materials/anh/gung-re/2023-03-04/" + name: data})
    assert status == 200, saved
    stored = (repo / FOLDER / name).read_bytes()
    assert stored == data and metadata_left(stored) == {} and upright_has_red_at_top_right(stored)
    assert not (repo / "materials/anh/gung-re/2023-03-04" / name).exists()
    assert last_commit_files(repo) == {RESULT, FOLDER + name}
    assert git(repo, "status", "--porcelain").strip() == ""
    result = run_ntm(repo, "check")
    assert result.returncode == 0, result.stdout + result.stderr

    # The photo taken out of the result: its file goes, in the save's commit.
    status, saved = save(backend, RESULT, record(repo, RESULT) | {"anh": record(repo, RESULT)["anh"][:-1]}, {})
    assert status == 200, saved
    assert not (repo / FOLDER / name).exists()
    assert last_commit_files(repo) == {RESULT, FOLDER + name}
    assert run_ntm(repo, "check").returncode == 0


def test_an_original_sent_with_a_save_never_lands(backend, repo, phone):
    """The save itself normalises again: what the phone took is refused (E007), nothing written."""
    before, head = worktree(repo), git(repo, "rev-parse", "HEAD")
    name = upload_name(phone)
    status, answer = save(backend, RESULT, with_photo(record(repo, RESULT), name), {FOLDER + name: phone})
    assert status == 422, answer
    assert answer["problems"][0]["rule"] == "E007" and answer["problems"][0]["path"] == ["anh", 4, "tep"]
    assert worktree(repo) == before and git(repo, "rev-parse", "HEAD") == head


def test_a_photo_not_what_the_editor_made_is_refused(backend, repo, phone):
    """E007: normalised bytes under a name they do not give (a name made elsewhere)."""
    _, answer = pick(backend, phone)
    data = base64.b64decode(answer["content"])
    before = worktree(repo)
    status, answer = save(backend, RESULT, with_photo(record(repo, RESULT), "anh-000000000000.jpg"),
                          {FOLDER + "anh-000000000000.jpg": data})
    assert status == 422 and answer["problems"][0]["rule"] == "E007", answer
    assert "Chọn ảnh khác" in answer["problems"][0]["fix"]
    assert worktree(repo) == before


@pytest.mark.parametrize("where", ["materials/ket-qua/gung-re/anh-1.jpg", "materials/anh/gung-re/2023-03-11/../../../../mkdocs.jpg", "materials/anh/Gung Re/2023-03-11/a.jpg", ".git/hooks/post-commit"])
def test_a_photo_sent_outside_the_photo_folders_is_refused(backend, repo, phone, where):
    before = worktree(repo)
    status, _ = save(backend, RESULT, record(repo, RESULT), {where: phone})
    assert status in (400, 403)
    assert worktree(repo) == before


def test_a_listed_photo_that_never_came_is_refused_at_its_field(backend, repo):
    status, answer = save(backend, RESULT, with_photo(record(repo, RESULT), "anh-0123456789ab.jpg"), {})
    assert status == 422
    assert [(p["rule"], p["path"]) for p in answer["problems"]] == [("A003", ["anh", 4, "tep"])], answer


def test_the_check_before_saving_waits_for_photos_picked_in_the_form(backend, repo):
    data = with_photo(record(repo, RESULT), "anh-0123456789ab.jpg")
    data["ngay"] = "2023-03-11"
    request = {"action": "ntmCheck", "params": {"collection": "ket-qua", "data": data, "path": RESULT}}
    _, answer = ask(backend, environ(request, port=PORT))
    assert [p["rule"] for p in answer["problems"]] == ["A003"]
    request["params"]["photos"] = ["anh-0123456789ab.jpg"]
    _, answer = ask(backend, environ(request, port=PORT))
    assert answer["problems"] == []


def test_a_plan_moved_to_another_saturday_takes_its_photos(backend, repo, phone):
    _, answer = pick(backend, phone)
    name, data = answer["name"], base64.b64decode(answer["content"])
    plan = record(repo, PLAN)
    plan["ngay"] = plan["ngay"].isoformat()
    status, saved = save(backend, PLAN, with_photo(plan, name), {"materials/anh/gung-re/2023-03-18/" + name: data})
    assert status == 200, saved
    moved = with_photo(plan, name) | {"ngay": "2023-03-25"}
    status, saved = save(backend, PLAN, moved, {})
    assert status == 200, saved
    new = "materials/anh/gung-re/2023-03-25/" + name
    assert (repo / new).read_bytes() == data and not (repo / "materials/anh/gung-re/2023-03-18" / name).exists()
    assert last_commit_files(repo) == {PLAN, "materials/ke-hoach/gung-re/2023-03-25.yml", new,
                                       "materials/anh/gung-re/2023-03-18/" + name}
    assert run_ntm(repo, "check").returncode == 0

    # Deleting the plan deletes its photos with it.
    status, _ = ask(backend, environ({"action": "deleteFile", "params": {"path": "materials/ke-hoach/gung-re/2023-03-25.yml"}}, port=PORT))
    assert status == 200
    assert not (repo / new).exists()
    assert run_ntm(repo, "check").returncode == 0


def test_stored_photos_can_be_shown_in_the_form(backend, repo):
    request = {"action": "getMediaFile", "params": {"path": FOLDER + "vi-du-don-rac.jpg"}}
    status, answer = ask(backend, environ(request, port=PORT))
    assert status == 200 and base64.b64decode(answer["content"]) == (repo / FOLDER / "vi-du-don-rac.jpg").read_bytes()

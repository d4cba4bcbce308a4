"""The editor's «Nhập từ Excel» page (editor/excel.py, overrides/quan-tri/
ntm-nhap-excel.js): workbooks picked in the page, the preview report, the
write with the preview's token (and an explicit «Ghi đè»), then `ntm check`
and one commit.

The backend is called as the page calls it (``<api>/tai-len``), then the
page itself is driven in Chromium on `ntm edit` in a scratch copy, on a
360 × 740 phone. Workbooks are the project's own forms, filled as a clerk
would (test_workbook_import.fill_plan)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from conftest import run_ntm
from editor_support import SECRET, call, editing, environ, git
from editor_support import history, repo  # noqa: F401  (fixtures)
from test_editor_e2e import Editor
from nongthonmoi.editor.backend import LocalBackend
from nongthonmoi.materials import load_materials
from nongthonmoi.workbooks import forms
from test_workbook_batch import set_form
from test_workbook_import import edit, fill_plan, real_hamlets
from test_workbooks import header_row, plan_bytes, result_bytes

PORT = 8124
UPLOAD = f"/__ntm/api/{SECRET}/tai-len"
NEW_PLAN = "materials/ke-hoach/gung-re/2023-03-25.yml"
RESULT_0311 = "materials/ket-qua/gung-re/2023-03-11.yml"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


# --- workbooks as communes send them ------------------------------------------------


@pytest.fixture(scope="module")
def data():
    from conftest import ROOT

    return load_materials(ROOT).saturday


@pytest.fixture(scope="module")
def filled_plan(data) -> bytes:
    return edit(plan_bytes(data), fill_plan)


@pytest.fixture(scope="module")
def refused_plan(data) -> bytes:
    """A hamlet typed by hand that is not in the commune's list, in a hostile text."""

    def fill(wb):
        fill_plan(wb)
        ws = wb[forms.PLAN_SHEET]
        ws.cell(header_row(ws, "Việc cần làm") + 1, 5).value = HOSTILE

    return edit(plan_bytes(data), fill)


@pytest.fixture(scope="module")
def corrected_result(data) -> bytes:
    """The filed result of 11/03 corrected: 190 households and a remark (HTML there is refused: W038)."""

    def fill(wb):
        set_form(wb, forms.RESULT_SHEET, "Số hộ tham gia", 190)
        set_form(wb, forms.RESULT_SHEET, "Nhận xét, kiến nghị", "Đề nghị hỗ trợ thêm cuốc & xẻng")

    return edit(result_bytes(data), fill)


# --- the backend, as the page calls it ----------------------------------------------


@pytest.fixture
def backend(repo) -> LocalBackend:
    real_hamlets(repo)  # the clerk's plan is real (rule S016)
    git(repo, "commit", "-q", "-am", "Danh sách thôn thật của Gung Ré")
    return LocalBackend(repo, SECRET, PORT)


def files(*pairs: tuple[str, bytes]) -> list[dict]:
    return [{"name": name, "content": base64.b64encode(content).decode("ascii")} for name, content in pairs]


def ask(backend, params: dict, path: str = UPLOAD) -> tuple[int, dict]:
    env = environ({"action": "ntmNhapExcel", "params": params}, port=PORT, path=path)
    return call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)


def materials_state(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "materials").rglob("*") if p.is_file()}


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_preview_then_write_commits_the_new_plan(backend, repo, filled_plan):
    before, commit_before = materials_state(repo), head(repo)
    status, answer = ask(backend, {"files": files(("ke-hoach-gung-re (1).xlsx", filled_plan)), "write": False})
    assert status == 200 and answer["saved"] is False
    [book] = answer["report"]["workbooks"]
    assert (book["status"], book["unit_name"], book["saturday"], book["target"]) == (
        "new", "Xã Gung Ré", "2023-03-25", NEW_PLAN)
    assert materials_state(repo) == before and head(repo) == commit_before  # the preview wrote nothing
    status, done = ask(backend, {"files": files(("ke-hoach-gung-re (1).xlsx", filled_plan)), "write": True,
                                 "confirm": answer["report"]["token"]})
    assert status == 200 and done["saved"] is True and done["files"] == [NEW_PLAN]
    assert done["report"]["workbooks"][0]["written"] is True
    # In history, alone, with the file's name in the message; nothing else left pending.
    assert [line for line in git(repo, "show", "--name-only", "--format=%s", "HEAD").split("\n") if line] == [
        "Nhập từ Excel (trang quản trị): ke-hoach-gung-re (1).xlsx", NEW_PLAN]
    assert git(repo, "status", "--porcelain") == ""
    assert "noi_dung: Dọn vệ sinh đường thôn, trồng hoa" in (repo / NEW_PLAN).read_text(encoding="utf-8")


def test_a_write_needs_the_token_of_the_preview(backend, repo, filled_plan):
    before, commit_before = materials_state(repo), head(repo)
    for confirm in (None, "0" * 24):
        status, answer = ask(backend, {"files": files(("kh.xlsx", filled_plan)), "write": True, "confirm": confirm})
        assert status == 200 and answer["saved"] is False
        assert answer["report"]["conclusion"].startswith("Chưa ghi gì")
    assert materials_state(repo) == before and head(repo) == commit_before


def test_a_refused_workbook_names_its_cell_and_nothing_is_written(backend, repo, filled_plan, refused_plan):
    before, commit_before = materials_state(repo), head(repo)
    pair = files(("kh-tot.xlsx", filled_plan), ("kh-loi.xlsx", refused_plan))
    status, answer = ask(backend, {"files": pair, "write": False})
    good, bad = answer["report"]["workbooks"]
    assert answer["report"]["ok"] is False and good["status"] == "new" and bad["status"] == "error"
    [problem] = bad["errors"]
    assert problem["rule"] == "W032" and problem["where"] == "Kế hoạch!E35" and HOSTILE in problem["message"]
    assert problem["fix"].startswith("Bấm vào ô, chọn ở mũi tên")
    # Even with the preview's own token, a batch with a refused workbook writes nothing at all.
    status, again = ask(backend, {"files": pair, "write": True, "confirm": answer["report"]["token"]})
    assert status == 200 and again["saved"] is False
    assert materials_state(repo) == before and head(repo) == commit_before


def test_an_overwrite_needs_the_explicit_choice_and_shows_its_changes(backend, repo, corrected_result):
    before, commit_before = materials_state(repo), head(repo)
    sent = files(("ket-qua-gung-re.xlsx", corrected_result))
    status, answer = ask(backend, {"files": sent, "write": False})
    [book] = answer["report"]["workbooks"]
    assert book["status"] == "needs-overwrite" and [e["rule"] for e in book["errors"]] == ["W067"]
    assert "Số hộ tham gia: 180 → 190" in [c["text"] for c in book["changes"]]
    # Without «Ghi đè», even the preview's token writes nothing.
    status, refused = ask(backend, {"files": sent, "write": True, "confirm": answer["report"]["token"]})
    assert refused["saved"] is False and materials_state(repo) == before and head(repo) == commit_before
    # With it: a preview of its own (another token), then the write.
    status, chosen = ask(backend, {"files": sent, "write": False, "overwrite": True})
    assert chosen["report"]["workbooks"][0]["status"] == "updated" and chosen["report"]["token"] != answer["report"]["token"]
    status, done = ask(backend, {"files": sent, "write": True, "overwrite": True, "confirm": chosen["report"]["token"]})
    assert done["saved"] is True and done["files"] == [RESULT_0311]
    assert "so_ho_tham_gia: 190\n" in (repo / RESULT_0311).read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain") == "" and head(repo) != commit_before


def test_a_write_that_would_fail_ntm_check_is_undone(backend, repo, filled_plan, monkeypatch):
    from nongthonmoi.editor import backend as backend_module

    before, commit_before = materials_state(repo), head(repo)
    monkeypatch.setattr(backend_module, "full_check", lambda root: ["materials/x.yml:1: [T000] lỗi thử"])
    status, answer = ask(backend, {"files": files(("kh.xlsx", filled_plan)), "write": False})
    status, done = ask(backend, {"files": files(("kh.xlsx", filled_plan)), "write": True,
                                 "confirm": answer["report"]["token"]})
    assert status == 422 and "Chưa ghi gì" in done["error"] and "[T000] lỗi thử" in done["error"]
    assert materials_state(repo) == before and head(repo) == commit_before


@pytest.mark.parametrize("params, status, words", [
    ({"files": []}, 400, "Chưa chọn bảng tính nào"),
    ({"files": [{"name": f"{i}.xlsx", "content": ""} for i in range(51)]}, 413, "quá giới hạn 50 tệp"),
    ({"files": [{"name": "to.xlsx", "content": "A" * (14 * 2**20)}]}, 413, "quá giới hạn 10240 kB"),
    ({"files": [{"name": "x.xlsx", "content": "không phải base64"}]}, 400, "Không đọc được tệp"),
])
def test_limits_before_any_work(backend, repo, params, status, words, monkeypatch):
    from nongthonmoi.editor import excel

    monkeypatch.setattr(excel, "import_batch", lambda *a, **k: pytest.fail("imported past a limit"))
    got, answer = ask(backend, params)
    assert got == status and words in answer["error"]


def test_only_at_the_upload_address(backend, filled_plan):
    status, answer = ask(backend, {"files": files(("kh.xlsx", filled_plan))}, path=f"/__ntm/api/{SECRET}")
    assert status == 400 and "saved" not in answer


# --- the page in Chromium, on `ntm edit`, on a phone ---------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def edit_run(tmp_path_factory):
    with editing(tmp_path_factory.mktemp("excel-e2e")) as run:
        real_hamlets(run.root)  # the clerk's plan is real (rule S016)
        git(run.root, "commit", "-q", "-am", "Danh sách thôn thật của Gung Ré")
        yield run


@pytest.fixture
def page(editor_tabs, edit_run):
    editor = Editor(editor_tabs, edit_run.base, "local", "phone", edit_run.root)
    page = editor.page
    # The way a Board editor comes here: the link in the editor's top bar.
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.get_by_role("heading", name="Nhập từ Excel").wait_for()
    yield page
    assert editor.csp_violations() == []
    editor.close()


def pick(page, *pairs: tuple[str, bytes]) -> None:
    page.locator("#ntm-nhap-excel input[type=file]").set_input_files(
        [{"name": name, "mimeType": XLSX, "buffer": content} for name, content in pairs])


def fits_the_phone(page) -> None:
    assert page.evaluate("document.getElementById('ntm-nhap-excel').scrollWidth") <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.slow
def test_the_page_imports_picked_workbooks_and_saves_them_to_history(page, edit_run, filled_plan):
    root = edit_run.root
    commit_before = head(root)
    pick(page, ("ke-hoach-gung-re (1).xlsx", filled_plan))
    card = page.locator(".ntm-nhap__tep")
    card.get_by_text("Sẽ tạo mới", exact=True).wait_for()
    for words in ("Xã Gung Ré", "25/03/2023", NEW_PLAN, "ke-hoach-gung-re (1).xlsx"):
        assert words in card.inner_text()
    assert not (root / NEW_PLAN).exists() and head(root) == commit_before  # a preview only
    write = page.get_by_role("button", name="Ghi 1 tệp và lưu vào lịch sử")
    fits_the_phone(page)
    write.scroll_into_view_if_needed()
    box = write.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    write.click()
    page.get_by_text("Đã lưu 1 tệp vào lịch sử").wait_for(timeout=60000)
    assert "Đã tạo mới" in card.inner_text()
    assert (root / NEW_PLAN).is_file()
    assert git(root, "log", "-1", "--format=%s").strip() == "Nhập từ Excel (trang quản trị): ke-hoach-gung-re (1).xlsx"
    assert NEW_PLAN in git(root, "show", "--name-only", "--format=", "HEAD")
    assert git(root, "status", "--porcelain", "--", "materials", "docs") == ""
    check = run_ntm(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_a_refused_workbook_shows_its_cell_and_a_hostile_name_or_cell_as_text(page, edit_run, refused_plan):
    root = edit_run.root
    before, commit_before = materials_state(root), head(root)
    name = HOSTILE + ".xlsx"
    pick(page, (name, refused_plan))
    problem = page.locator(".ntm-nhap__loi li")
    problem.first.wait_for()
    assert page.locator(".ntm-nhap__o").inner_text() == "Kế hoạch!E35"
    assert HOSTILE in problem.inner_text() and "Cách sửa: Bấm vào ô" in problem.inner_text()
    assert page.locator(".ntm-nhap__tep h2").inner_text() == name  # the name as typed, as text
    assert page.locator("#ntm-nhap-excel img").count() == 0 and page.evaluate("window.__pwned") is None
    assert page.get_by_role("button", name="Ghi", exact=False).count() == 0  # nothing to confirm
    fits_the_phone(page)
    assert materials_state(root) == before and head(root) == commit_before


@pytest.mark.slow
def test_an_overwrite_needs_the_explicit_choice(page, edit_run, corrected_result):
    root = edit_run.root
    before, commit_before = materials_state(root), head(root)
    pick(page, ("ket-qua-gung-re.xlsx", corrected_result))
    page.get_by_text("Cần ghi đè", exact=True).wait_for()
    assert "Số hộ tham gia: 180 → 190" in page.locator(".ntm-nhap__thay-doi").inner_text()
    assert page.locator(".ntm-nhap__ghi").count() == 0  # no way to write before the choice
    page.get_by_label("Ghi đè", exact=False).check()
    page.get_by_text("Sẽ cập nhật", exact=True).wait_for()
    assert materials_state(root) == before
    page.get_by_role("button", name="Ghi 1 tệp và lưu vào lịch sử").click()
    page.get_by_text("Đã lưu 1 tệp vào lịch sử").wait_for(timeout=60000)
    assert "so_ho_tham_gia: 190\n" in (root / RESULT_0311).read_text(encoding="utf-8")
    assert git(root, "log", "-1", "--format=%s").strip() == "Nhập từ Excel (trang quản trị): ket-qua-gung-re.xlsx"
    assert head(root) != commit_before


# --- the published site: the upload goes into a draft, CI imports it ----------------


@pytest.mark.parametrize("host", ["github", "gitlab", "forgejo", "gitea"])
def test_the_published_editor_uploads_workbooks_into_the_drafts_inbox(host):
    import yaml
    from conftest import ROOT
    from test_editor_hosts import HOSTS

    from nongthonmoi.editor.config import editor_config, local_config
    from nongthonmoi.editor.settings import EditorSettings
    from nongthonmoi.materials import load_materials

    settings = EditorSettings.from_environment(env=HOSTS[host])
    config = editor_config(load_materials(ROOT), ROOT / "docs", [], settings)
    inbox = next(c for c in config["collections"] if c["name"] == "nhap-excel")
    # The note in materials/nhap-excel/phieu/ (never imported); the workbooks beside the job's inbox.
    assert inbox["folder"] == "materials/nhap-excel/phieu" and inbox["create"] is True
    files = next(f for f in inbox["fields"] if f["name"] == "bang_tinh")["field"]
    assert (files["widget"], files["media_folder"], files["choose_url"]) == ("file", "/materials/nhap-excel", False)
    assert "nhap-excel" in inbox["description"] and "báo cáo" in inbox["description"]
    # Where there are drafts the upload is a draft; on Gitea it goes to the review branch, never «main».
    assert settings.publish_mode == ("simple" if host == "gitea" else "editorial_workflow")
    assert settings.branch not in ("main", "master") if host == "gitea" else True
    # `ntm edit` imports on the computer: no upload into materials/ there.
    local = yaml.safe_load(local_config(yaml.safe_dump(config, allow_unicode=True).encode(), "/__ntm/api/x"))
    assert "nhap-excel" not in [c["name"] for c in local["collections"]]


def test_the_local_backend_never_writes_a_workbook_into_materials(backend, repo, filled_plan):
    """paths.py: media only under docs/; the inbox is for drafts on the git host."""
    asset = {"path": "materials/nhap-excel/kh.xlsx", "encoding": "base64",
             "content": base64.b64encode(filled_plan).decode("ascii")}
    env = environ({"action": "persistMedia", "params": {"asset": asset, "options": {}}}, port=PORT)
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), env)
    assert status == 403 and not (repo / "materials/nhap-excel/kh.xlsx").exists()


def test_the_ci_import_leaves_the_upload_notes_alone(repo, filled_plan):
    """The job imports the files of materials/nhap-excel/, not the notes folder the editor adds."""
    notes = repo / "materials/nhap-excel/phieu"
    notes.mkdir(parents=True)
    (notes / "2023-03-27-0930.yml").write_text("ghi_chu: Xã Gung Ré gửi qua Zalo\nbang_tinh:\n"
                                               "  - /materials/nhap-excel/ke-hoach-gung-re-1.xlsx\n", encoding="utf-8")
    (repo / "materials/nhap-excel/ke-hoach-gung-re-1.xlsx").write_bytes(filled_plan)
    real_hamlets(repo)  # the clerk's plan is real (rule S016)
    done = run_ntm(repo, "nhap-excel", "--thu-muc", "materials/nhap-excel", "--xoa-da-nhap")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / NEW_PLAN).is_file() and (notes / "2023-03-27-0930.yml").is_file()
    assert not (repo / "materials/nhap-excel/ke-hoach-gung-re-1.xlsx").exists()
    check = run_ntm(repo, "check")
    assert check.returncode == 0, check.stdout + check.stderr

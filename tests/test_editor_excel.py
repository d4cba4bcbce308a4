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

from conftest import copy_repo, run_ntm
from editor_support import SECRET, call, configure_git, environ, git, own_history, start_edit
from nongthonmoi.editor.backend import LocalBackend
from nongthonmoi.materials import load_materials
from nongthonmoi.workbooks import forms
from test_workbook_batch import _corrected_result, set_form
from test_workbook_import import edit, fill_plan
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


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> Path:
    return own_history(copy_repo(tmp_path_factory.mktemp("excel-history") / "repo", warm=False))


@pytest.fixture
def repo(tmp_path, history) -> Path:
    root = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(history), str(root))
    git(root, "remote", "remove", "origin")
    configure_git(root)
    return root


@pytest.fixture
def backend(repo) -> LocalBackend:
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

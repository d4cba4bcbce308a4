"""`ntm check` and the build catch OCR residue, non-NFC text and bad data."""

from __future__ import annotations

import unicodedata

import pytest

from conftest import planted, run_mkdocs, run_ntm, tree_snapshot

from nongthonmoi import contentcheck


def test_the_real_content_passes(scratch):
    result = run_ntm(scratch, "check")
    assert result.returncode == 0, result.stderr


def append_line(path, line):
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_planted_ocr_word_is_reported_with_file_and_line(scratch):
    line = append_line(scratch / "docs/huong-dan/index.md", "Xây dựng néng thén mới.")
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert f"docs/huong-dan/index.md:{line}: [T002] Chữ «néng» giống lỗi nhận dạng chữ (OCR)" in result.stderr
    assert "«thén»" in result.stderr
    assert "Cách sửa:" in result.stderr


def test_digit_inside_a_word_is_reported(scratch):
    line = append_line(scratch / "docs/thuat-ngu.md", "Theo Đề án s9 04-ĐA/HU.")
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert f"docs/thuat-ngu.md:{line}: [T003] Chữ «s9» có chữ số lẫn trong chữ" in result.stderr


def test_planted_non_nfc_text_is_reported(scratch):
    decomposed = unicodedata.normalize("NFD", "Nông thôn mới")
    assert decomposed != "Nông thôn mới"
    line = append_line(scratch / "docs/index.md", decomposed)
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert f"docs/index.md:{line}: [T001] Dòng có chữ tiếng Việt ở dạng tổ hợp (không phải Unicode NFC)" in result.stderr


def test_non_nfc_in_yaml_is_reported(scratch):
    path = scratch / "materials/van-ban.yml"
    text = path.read_text(encoding="utf-8").replace("co_quan: UBND huyện Di Linh", "co_quan: " + unicodedata.normalize("NFD", "UBND huyện Di Linh"))
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if not unicodedata.is_normalized("NFC", l))
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert f"materials/van-ban.yml:{line}: [T001] Dòng có chữ tiếng Việt ở dạng tổ hợp" in result.stderr


def test_fix_nfc_repairs_the_files(scratch):
    append_line(scratch / "docs/index.md", unicodedata.normalize("NFD", "Nông thôn mới"))
    assert run_ntm(scratch, "fix-nfc").returncode == 0
    assert run_ntm(scratch, "check").returncode == 0


def test_image_without_alt_text_is_reported(scratch):
    line = append_line(scratch / "docs/index.md", "![](hinh.png)")
    result = run_ntm(scratch, "check")
    assert f"docs/index.md:{line}: [T004] Hình ảnh chưa có lời mô tả" in result.stderr


def test_correct_vietnamese_is_not_flagged():
    text = "Đề án số 04-ĐA/HU, khổ A4, 7h30 sáng thứ Bảy, 150 m2 đường thôn; ễ ặ ỗ ư ơ Đ đ."
    assert contentcheck.check_text(text, "x.md", markdown=True) == []


def test_every_line_with_a_control_character_is_named_at_once():
    """A page pasted from a chat with several invisible controls: each line is
    named in one check (the editor mends them all, not one a run); raw
    characters and the references a browser reads as one alike."""
    lines = ["# Tiêu đề", "Số điện thoại \u202e0912 345 678", "Dòng thường", "Hai ký tự \u200f và \u200e", "Viết &#8238;ngược",
             "Trong mã: `&rlm;`"]
    errors = [e for e in contentcheck.check_text("\n".join(lines), "x.md", markdown=True) if e.rule == "Y011"]
    assert [(e.line, e.message.split("(")[1].split(")")[0]) for e in errors] == [
        (2, "U+202E"), (4, "U+200F"), (5, "U+202E, viết là «&#8238;»"), (6, "U+200F, viết là «&rlm;»")]
    many = "\n".join("a\u202eb" for _ in range(50))
    assert len([e for e in contentcheck.check_text(many, "x.md", markdown=True) if e.rule == "Y011"]) == 20


def test_links_and_ids_are_not_prose():
    text = "Xem [mục II.3.2](../van-ban/422-tb-hu.md#muc-ii-3-2) {: #muc-ii-1 }"
    assert contentcheck.check_text(text, "x.md", markdown=True) == []


@pytest.mark.parametrize(
    "line_added, message",
    [("Chương trình néng thôn mới.", "[T002]"), ("[Trang không có](khong-co.md)", "[P002]")],
)
def test_build_fails_on_a_content_error_and_keeps_the_previous_site(built_repo, line_added, message):
    site = built_repo / "site"
    page = built_repo / "docs/index.md"
    text = page.read_text(encoding="utf-8")
    before = tree_snapshot(site)
    with planted(page, text + line_added + "\n"):
        result = run_mkdocs(built_repo, site)
    assert result.returncode != 0
    assert f"docs/index.md:{text.count(chr(10)) + 1}: {message}" in result.stderr
    assert tree_snapshot(site) == before
    assert not [p for p in built_repo.iterdir() if p.name.startswith(".site.")]


def test_build_fails_on_a_text_error_in_a_data_file(built_repo):
    # The data files' text is checked while the pages are converted (plugin
    # on_env): the build still fails with the line, and site/ stays.
    site = built_repo / "site"
    plan = built_repo / "materials/ke-hoach/gung-re/2023-03-04.yml"
    text = plan.read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("noi_dung:"))
    before = tree_snapshot(site)
    with planted(plan, text.replace("noi_dung: Tổng vệ sinh", "noi_dung: Tổng vệ sinh néng thôn", 1)):
        result = run_mkdocs(built_repo, site)
    assert result.returncode != 0
    assert f"materials/ke-hoach/gung-re/2023-03-04.yml:{line}: [T002] Chữ «néng»" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(site) == before
    assert not [p for p in built_repo.iterdir() if p.name.startswith(".site.")]


def test_registry_errors_name_file_line_and_fix(scratch):
    path = scratch / "materials/van-ban.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    loai: Đề án\n", "    loai: Đề án\n    loai_van_ban: Đề án\n", 1)
    text = text.replace("lien_quan: [36-kh-ubnd, 422-tb-hu]", "lien_quan: [36-kh-ubnd, 999-khong-co]")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    extra_line = next(i for i, l in enumerate(lines, 1) if "loai_van_ban" in l)
    related_line = next(i for i, l in enumerate(lines, 1) if "999-khong-co" in l)
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert f"materials/van-ban.yml:{extra_line}: [M002] Trường «loai_van_ban» không có trong mẫu dữ liệu." in result.stderr
    # Cross-references are checked only once the file is well-formed.
    path.write_text(text.replace("    loai_van_ban: Đề án\n", ""), encoding="utf-8")
    result = run_ntm(scratch, "check")
    assert f"materials/van-ban.yml:{related_line - 1}: [V001] Văn bản liên quan «999-khong-co» không có trong danh mục." in result.stderr


def test_yaml_syntax_error_names_the_line(scratch):
    path = scratch / "materials/van-ban.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, l in enumerate(lines) if l.strip().startswith("trich_yeu: Về xây dựng"))
    lines[target] = lines[target].replace("trich_yeu: ", 'trich_yeu: "')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_ntm(scratch, "check")
    assert result.returncode == 1
    assert "materials/van-ban.yml:" in result.stderr and "Lỗi cú pháp YAML" in result.stderr


def test_json_schemas_are_up_to_date(scratch):
    result = run_ntm(scratch, "schema", "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_check_keeps_its_page_answer_and_asks_again_when_a_page_changes(tmp_path):
    """ntm check reads through the build's caches (fullcheck.py): a second
    check of the same pages answers from .cache/checks/site; a changed page
    is checked again, whatever else stayed the same."""
    from conftest import copy_repo, planted, run_ntm

    repo = copy_repo(tmp_path / "repo", warm=False)
    first = run_ntm(repo, "check")
    assert first.returncode == 0, first.stderr
    kept = sorted((repo / ".cache/checks/site").glob("site-*.pickle"))
    assert len(kept) == 1
    with planted(repo / "docs/huong-dan/ai-lam-gi.md", (repo / "docs/huong-dan/ai-lam-gi.md").read_text(encoding="utf-8") + "\n[Trang không có](khong-co.md)\n"):
        broken = run_ntm(repo, "check")
        again = run_ntm(repo, "check")
    assert broken.returncode == 1 and "[P002]" in broken.stderr
    assert again.returncode == 1 and again.stderr == broken.stderr  # the kept answer is the same answer
    assert len(list((repo / ".cache/checks/site").glob("site-*.pickle"))) == 2
    assert run_ntm(repo, "check").returncode == 0  # the page as it was: its kept answer


def test_checking_again_in_one_process_converts_only_the_changed_page(tmp_path, monkeypatch):
    """`ntm edit` checks on every save in one process: a page that did not
    change is not converted again, and the answers are those of a fresh
    check (a page's problem keeps its line when another page changes)."""
    from conftest import copy_repo

    from nongthonmoi import pagecheck

    repo = copy_repo(tmp_path / "repo", warm=False)
    monkeypatch.setattr(pagecheck, "_MEMO", contentcheck.TextMemo(limit=pagecheck._MEMO.limit))  # this process's first check
    converted = []
    real = pagecheck._Converter._convert
    monkeypatch.setattr(pagecheck._Converter, "_convert", lambda self, body: converted.append(body) or real(self, body))
    page, other = repo / "docs/huong-dan/ai-lam-gi.md", repo / "docs/thuat-ngu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<span onclick=\"alert(1)\">bấm</span>\n", encoding="utf-8")
    first = pagecheck.check_pages(repo)
    assert len(converted) == len(list((repo / "docs").rglob("*.md")))
    converted.clear()
    other.write_text(other.read_text(encoding="utf-8") + "\nMột dòng thêm.\n", encoding="utf-8")
    second = pagecheck.check_pages(repo)
    assert len(converted) == 1 and "Một dòng thêm." in converted[0]
    assert [(e.path, e.line, e.rule) for e in second] == [(e.path, e.line, e.rule) for e in first]
    assert any(e.rule == "P005" and e.path.endswith("ai-lam-gi.md") for e in second)
    # A fresh process (the memo emptied) gives the same answer.
    monkeypatch.setattr(pagecheck, "_MEMO", contentcheck.TextMemo(limit=pagecheck._MEMO.limit))
    assert [(e.path, e.line, e.rule) for e in pagecheck.check_pages(repo)] == [(e.path, e.line, e.rule) for e in second]


def test_a_configuration_with_an_extension_that_reads_files_is_converted_every_time(tmp_path, monkeypatch):
    """pymdownx.snippets pulls other files into a page: its conversions are
    not kept (only extensions that read nothing but the page are)."""
    from nongthonmoi import pagecheck

    snippet = tmp_path / "doan.md"
    snippet.write_text("Đoạn một.\n", encoding="utf-8")
    converter = pagecheck._converter(["pymdownx.snippets"], {"pymdownx.snippets": {"base_path": [str(tmp_path)]}})
    assert converter.key is None
    assert "Đoạn một." in converter.convert('--8<-- "doan.md"\n')
    snippet.write_text("Đoạn hai.\n", encoding="utf-8")
    assert "Đoạn hai." in converter.convert('--8<-- "doan.md"\n')


def test_the_kept_conversions_are_bounded():
    memo = contentcheck.TextMemo(limit=1000)
    for number in range(50):
        memo.get(("k", f"{number:03d}" * 100), len)
    assert memo.size <= 1000 and len(memo.items) == 3
    # A text answer (a page's HTML) counts as much as its key.
    memo = contentcheck.TextMemo(limit=1000)
    for number in range(50):
        memo.get(("k", f"{number:03d}" * 100), lambda text: text + text)
    assert memo.size <= 1000 and len(memo.items) == 1

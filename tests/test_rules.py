"""One case per validation rule (rules.py): the planted mistake is reported
with its rule id, its file and line, a Vietnamese fix, and nothing else
breaks. A rule without a case fails ``test_every_rule_has_a_case``.

The checks run in-process on one scratch copy of the repository (each case
changes files, checks, and puts them back), so a hundred cases take seconds.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from pathlib import Path

import pytest

import hostile_files_support as hostile
from conftest import copy_repo
from nongthonmoi import cli
from nongthonmoi.rules import RULES, explain

PLAN = "materials/ke-hoach/gung-re/2023-03-04.yml"
PLAN2 = "materials/ke-hoach/hoa-ninh/2023-03-04.yml"
RESULT = "materials/ket-qua/gung-re/2023-03-04.yml"
STAFF = "materials/danh-sach/phong-nn-ptnt/2023-03-04.yml"
UNITS = "materials/don-vi.yml"
AGENCIES = "materials/co-quan.yml"
DOCS = "materials/van-ban.yml"
PAGE = "docs/thuat-ngu.md"


def replace(old: str, new: str, count: int = 1):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return change


def set_line(key: str, value: str):
    """Replace the whole first line ``key: ...`` (indentation kept)."""

    def change(text: str) -> str:
        pattern = re.compile(rf"(?m)^(\s*){re.escape(key)}:.*$")
        assert pattern.search(text), key
        return pattern.sub(lambda m: f"{m.group(1)}{key}: {value}", text, count=1)

    return change


def front_matter_line(line: str):
    """One more line in the front matter of the glossary page (PAGE)."""
    return replace("title: Thuật ngữ viết tắt", "title: Thuật ngữ viết tắt\n" + line)


def append(extra: str):
    return lambda text: text + extra


class Case:
    """A file changed (or created, or removed) and what the check must say."""

    def __init__(self, rule: str, path: str, change=None, *, line: str | None = None, words: str = "", new: bool = False,
                 delete: bool = False, raw: bytes | None = None, also: dict | None = None):
        self.rule, self.path, self.change = rule, path, change
        self.line, self.words, self.new, self.delete, self.raw = line, words, new, delete, raw
        self.also = also or {}  # other files changed at the same time


def _tasks(count: int) -> str:
    task = (
        "  - ma: viec-{n}\n    noi_dung: Việc {n}\n    khoi_luong:\n      so: 1\n      don_vi_tinh: km\n"
        "    thon: [thon-1]\n    cong_cu: [Chổi]\n    thanh_phan: [Hộ dân thôn 1]\n"
    )
    return "".join(task.format(n=n) for n in range(1, count + 1))


CASES = {
    # --- YAML files
    "yaml-syntax": Case("Y001", PLAN, replace("noi_dung: Tổng vệ sinh", "noi_dung: [Tổng vệ sinh"), line="thoi_gian:",
                        words="Lỗi cú pháp YAML"),
    "yaml-tab": Case("Y001", PLAN, replace("  bat_dau: 7h00", "\tbat_dau: 7h00"), words="Tab"),
    "not-utf8": Case("Y002", PLAN, raw=b"vi_du: true\nnoi_dung: T\xf4ng v\xea sinh\n", words="UTF-8"),
    "duplicate-key": Case("Y003", PLAN, replace("chi_dao:", "xa: gung-re\nchi_dao:"), line="xa: gung-re\nchi_dao:",
                          words="«xa» bị lặp lại"),
    "alias": Case("Y004", PLAN, lambda t: re.sub(r"(?m)^chi_dao: (.*)$", r"chi_dao: &nguoi \1", t, count=1).replace(
                      "to_chuc: Trưởng các thôn", "to_chuc: *nguoi"),
                  line="to_chuc: *nguoi", words="tham chiếu YAML"),
    "alias-bomb": Case("Y004", PLAN, append("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"),
                       words="tham chiếu YAML"),
    "self-alias": Case("Y004", PLAN, append("vong: &v [*v]\n"), words="tham chiếu YAML"),
    "merge-key": Case("Y005", PLAN, replace("thoi_gian:\n", "thoi_gian:\n  <<: {bat_dau: 7h00}\n"), line="<<:",
                      words="«<<:»"),
    "list-as-key": Case("Y006", PLAN, append("? [a, b]\n: x\n"), words="Tên trường phải là chữ"),
    "python-tag": Case("Y007", PLAN, set_line("noi_dung", "!!python/object/apply:os.system [ls]"),
                       line="!!python", words="kiểu dữ liệu"),
    "huge-file": Case("Y008", PLAN, append("# " + "x" * 300_000 + "\n"), words="giới hạn 256 kB"),
    "missing-registry": Case("Y009", AGENCIES, delete=True, words="Thiếu tệp dữ liệu"),
    "not-a-mapping": Case("Y010", PLAN, lambda text: "- vi_du: true\n- xa: gung-re\n", words="không có dữ liệu dạng"),
    # --- field values
    "missing-field": Case("M001", PLAN, replace("chi_dao: Chủ tịch UBND xã\n", ""), words="Thiếu trường bắt buộc «chi_dao»"),
    "unknown-field": Case("M002", DOCS, replace("    loai: Thông báo", "    loai_van_ban: Thông báo"),
                          line="loai_van_ban", words="«loai_van_ban» không có trong mẫu"),
    "yes-is-not-text": Case("M003", PLAN, set_line("noi_dung", "yes"), line="noi_dung: yes",
                            words="phải là chữ"),
    "empty-text": Case("M004", PLAN, replace("chi_dao: Chủ tịch UBND xã", 'chi_dao: ""'), line='chi_dao: ""',
                       words="đang để trống"),
    "long-text": Case("M005", PLAN, replace("noi_dung: Tổng vệ sinh", "noi_dung: " + "Dọn " * 600), line="noi_dung: Dọn",
                      words="quá giới hạn 2000 ký tự"),
    "bad-id": Case("M006", PLAN, replace("  - ma: khoi-thong-cong", "  - ma: Khơi Thông"), line="ma: Khơi Thông",
                   words="không hợp lệ"),
    "whole-number": Case("M007", RESULT, replace("tong_so_ho: 300", "tong_so_ho: ba trăm"), line="tong_so_ho:",
                         words="phải là số nguyên"),
    "number": Case("M008", PLAN, replace("      so: 300", "      so: ba trăm"), line="so: ba trăm", words="phải là số"),
    "negative": Case("M009", PLAN, replace("      so: 300", "      so: -300"), line="so: -300", words="không được âm"),
    "zero-total": Case("M010", RESULT, replace("tong_so_ho: 300", "tong_so_ho: 0"), line="tong_so_ho: 0",
                       words="phải lớn hơn 0"),
    "not-a-flag": Case("M011", PLAN, replace("vi_du: true", "vi_du: có"), line="vi_du: có", words="«true»"),
    "impossible-date": Case("M012", PLAN, set_line("ngay_lap", "2023-02-30"), line="ngay_lap:",
                            words="ngày có thật"),
    "month-first-date": Case("M012", PLAN, set_line("ngay_lap", "03/25/2023"), line="ngay_lap:",
                             words="ngày có thật"),
    "not-a-list": Case("M013", PLAN, replace("    thon: [thon-1, thon-2]", "    thon: thon-1"), line="thon: thon-1",
                       words="phải là một danh sách"),
    "not-a-block": Case("M014", PLAN, lambda t: re.sub(r"thoi_gian:\n  bat_dau: .*\n  ket_thuc: .*\n",
                                                       "thoi_gian: 7h00 - 11h00\n", t), line="thoi_gian:",
                        words="phải gồm các trường"),
    "not-a-choice": Case("M015", UNITS, replace("    loai: xã", "    loai: huyện"), line="loai: huyện",
                         words="«huyện»"),
    "empty-list": Case("M016", PLAN, replace("    thon: [thon-1, thon-2]", "    thon: []"), line="thon: []",
                       words="cần ít nhất 1 mục"),
    "too-many-tasks": Case("M017", PLAN, lambda t: re.sub(r"(?s)phan_viec:\n.*?(?=thu_gom_rac:)",
                                                          lambda _: "phan_viec:\n" + _tasks(31), t),
                           words="quá giới hạn 30 mục"),
    "unreadable-time": Case("M018", PLAN, replace("  bat_dau: 7h00", "  bat_dau: sáng sớm"), line="bat_dau: sáng sớm",
                            words="không đọc được"),
    "end-before-start": Case("M019", PLAN, lambda t: re.sub(r"(?m)^  ket_thuc: .*$", "  ket_thuc: 6h00", t, count=1),
                             words="phải sau giờ bắt đầu"),
    "markup": Case("M020", PLAN, replace("noi_dung: Tổng vệ sinh", "noi_dung: <b>Tổng</b> vệ sinh"), line="noi_dung: <b>",
                   words="có mã HTML"),
    "nan": Case("M022", PLAN, replace("      so: 300", "      so: .nan"), line="so: .nan", words="số bình thường"),
    "too-large": Case("M023", PLAN, replace("      so: 300", "      so: 30000000000"), line="so: 30000000000",
                      words="lớn quá mức cho phép (lớn nhất là 1.000.000.000)"),
    # --- Saturday data
    "not-saturday": Case("S001", PLAN, replace("ngay: 2023-03-04", "ngay: 2023-03-05"), line="ngay: 2023-03-05",
                         words="Chủ nhật, không phải thứ Bảy"),
    "date-not-file-name": Case("S002", PLAN, replace("ngay: 2023-03-04", "ngay: 2023-03-11"), line="ngay: 2023-03-11",
                               words="không khớp với tên tệp"),
    "id-not-folder": Case("S003", PLAN, replace("xa: gung-re", "xa: hoa-ninh"), line="xa: hoa-ninh",
                          words="không khớp với thư mục «gung-re»"),
    "badly-named-file": Case("S004", "materials/ke-hoach/gung-re/thu-bay-tuan-sau.yml", lambda _: "vi_du: true\n",
                             new=True, words="không đúng quy ước"),
    "unknown-commune": Case("S005", STAFF, replace("  - xa: thi-tran-di-linh", "  - xa: xa-khong-co"),
                            line="- xa: xa-khong-co", words="Không có xã, thị trấn mã «xa-khong-co»"),
    "unknown-hamlet": Case("S006", PLAN, replace("thon: [thon-1, thon-2]", "thon: [thon-1, thon-9]"), line="thon-9",
                           words="không có thôn, tổ dân phố mã «thon-9»"),
    "unknown-agency": Case("S007", RESULT, replace("  - co_quan: van-phong-hdnd-ubnd", "  - co_quan: phong-khong-co"),
                           line="co_quan: phong-khong-co", words="Không có cơ quan, đơn vị mã «phong-khong-co»"),
    "duplicate-task": Case("S008", PLAN, replace("  - ma: khoi-thong-cong", "  - ma: don-duong"),
                           line="  - ma: don-duong\n    noi_dung: Khơi", words="bị trùng"),
    "drafted-after": Case("S009", PLAN, set_line("ngay_lap", "2023-03-06"), line="ngay_lap:",
                          words="sau ngày thực hiện"),
    "households-over-total": Case("S010", RESULT, replace("so_ho_tham_gia: 150", "so_ho_tham_gia: 301"),
                                  line="so_ho_tham_gia: 301", words="lớn hơn tổng số hộ"),
    "result-without-plan": Case("S011", "materials/ket-qua/gung-re/2023-03-25.yml",
                                None, new=True, line="ngay: 2023-03-25", words="Chưa có kế hoạch"),
    "unknown-task": Case("S012", RESULT, replace("  - phan_viec: khoi-thong-cong", "  - phan_viec: viec-khac"),
                         line="phan_viec: viec-khac", words="không có phần việc mã «viec-khac»"),
    "agency-not-assigned": Case("S013", STAFF, replace("  - xa: thi-tran-di-linh", "  - xa: gung-re"),
                                line="- xa: gung-re", words="không được phân công hỗ trợ"),
    "real-result-of-an-example-plan": Case("S015", RESULT, set_line("vi_du", "false"), line="vi_du:",
                                           words="kế hoạch của xã cho thứ Bảy 04/03/2023 là dữ liệu ví dụ"),
    "real-plan-in-example-hamlets": Case("S016", PLAN, set_line("vi_du", "false"), line="thon: [thon-1, thon-2]",
                                         words="danh sách thôn của Xã Gung Ré vẫn là ví dụ (thôn «thon-1»)"),
    "unit-slip-in-work-done": Case("S017", RESULT, replace("    da_lam: 2\n", "    da_lam: 2000\n"), line="da_lam: 2000",
                                   words="Ghi 2.000 km, gấp 1.000 lần kế hoạch (2 km)"),
    "unit-slip-in-waste": Case("S017", RESULT, replace("rac_thu_gom: 1.35", "rac_thu_gom: 1350"), line="rac_thu_gom: 1350",
                               words="Ghi 1.350 tấn, gấp 900 lần kế hoạch (1,5 tấn)"),
    "staff-list-late": Case("S014", STAFF, replace("ngay_gui: 2023-03-01", "ngay_gui: 2023-03-06"), line="ngay_gui:",
                            words="sau ngày thứ Bảy"),
    # --- document registry
    "unknown-related": Case("V001", DOCS, replace("lien_quan: [04-da-hu, 36-kh-ubnd]", "lien_quan: [04-da-hu, 999-khong]"),
                            words="«999-khong» không có trong danh mục"),
    "missing-document-page": Case("V002", DOCS, replace("trang: van-ban/04-da-hu.md", "trang: van-ban/khong-co.md"),
                                  line="trang: van-ban/khong-co.md", words="Không tìm thấy trang"),
    # --- text
    "nfd": Case("T001", PAGE, append(unicodedata.normalize("NFD", "\nChữ dán từ Word.\n")),
                line=unicodedata.normalize("NFD", "Chữ dán"),
                words="Unicode NFC"),
    "ocr-word": Case("T002", PAGE, append("\nXây dựng néng thôn mới.\n"), line="néng", words="«néng»"),
    "digit-in-word": Case("T003", PAGE, append("\nĐoàn vi3n thanh niên.\n"), line="vi3n", words="«vi3n»"),
    "image-without-alt": Case("T004", PAGE, append("\n![](hinh.png)\n"), line="![](hinh.png)", words="lời mô tả"),
    # --- pages and menu
    "front-matter": Case("P001", PAGE, replace("title: Thuật ngữ viết tắt", "title: Thuật ngữ: viết tắt: các chữ"),
                         line="title: Thuật ngữ:", words="Phần đầu trang"),
    "broken-link": Case("P002", PAGE, append("\nXem [trang cũ](trang-cu.md).\n"), line="trang-cu.md",
                        words="trỏ tới trang không có"),
    "broken-anchor": Case("P003", PAGE, append("\nXem [mục](van-ban/422-tb-hu.md#muc-ix).\n"), line="#muc-ix",
                          words="mục «#muc-ix»"),
    "menu-to-nowhere": Case("P004", "mkdocs.yml", replace("Thuật ngữ viết tắt: thuat-ngu.md", "Thuật ngữ viết tắt: thuat-ngu-cu.md"),
                            line="thuat-ngu-cu.md", words="không có tệp docs/thuat-ngu-cu.md"),
    "script": Case("P005", PAGE, append("\n<script>alert(1)</script>\n"), line="<script>", words="thẻ «<script>»"),
    "onclick": Case("P005", PAGE, append('\n<a href="#" onclick="x()">bấm</a>\n'), line="onclick", words="«onclick=»"),
    "javascript-link": Case("P005", PAGE, append("\n[bấm](javascript:alert(1))\n"), line="javascript:",
                            words="«javascript:»"),
    "base-tag": Case("P009", PAGE, append('\n<base href="http://example.invalid/">\n'), line="<base", words="«<base>»"),
    "iframe": Case("P009", PAGE, append("\nChữ.\n\n<iframe\n  srcdoc='<b>x</b>'></iframe>\n"), line="<iframe",
                   words="«<iframe>»"),
    "style-attribute": Case("P010", PAGE, append('\n<p style="color: red">Đỏ</p>\n'), line="style=", words="«style="),
    "attachment": Case("P010", PAGE, append('\n<a rel="attachment" href="../tai-lieu-in.md">tệp</a>\n'), line="attachment",
                       words='rel="attachment"'),
    "file-address": Case("P011", PAGE, append("\n[tệp](file:///etc/passwd)\n"), line="file:///", words="file:///etc/passwd"),
    "outside-image": Case("P012", PAGE, append("\n![Hình](http://127.0.0.1:9/x.png)\n"), line="127.0.0.1",
                          words="http://127.0.0.1:9/x.png"),
    "html-title": Case("P013", PAGE, replace("title: Thuật ngữ viết tắt", 'title: "&lt;b&gt;Thuật ngữ"'), line="title:",
                       words="có mã HTML"),
    "unknown-view": Case("P013", PAGE, front_matter_line("view: ../../quan-tri/index"),
                         line="view:", words="«view»"),
    # Front matter: an allow-list of keys and types (frontmatter.py); each of
    # these crashed the check or the build with a traceback, or printed raw.
    "front-matter-view-list": Case("P013", PAGE, front_matter_line("view: [1]"),
                                   line="view:", words="«view»"),
    "front-matter-hide-number": Case("P013", PAGE, front_matter_line("hide: 5"),
                                     line="hide:", words="«hide»"),
    "front-matter-search-word": Case("P013", PAGE, front_matter_line("search: exclude"),
                                     line="search:", words="«search»"),
    "front-matter-sources-number": Case("P013", PAGE, front_matter_line("sources: 5"),
                                        line="sources:", words="«sources»"),
    "front-matter-icon": Case("P013", PAGE, front_matter_line("icon: khong-co"),
                              line="icon:", words="«icon»"),
    "front-matter-subtitle-script": Case("P013", PAGE, front_matter_line('subtitle: "Xem <script>alert(1)</script>"'),
                                         line="subtitle:", words="có mã HTML"),
    "front-matter-status-handler": Case("P013", PAGE, front_matter_line("status: 'new\" onmouseover=\"alert(2)'"),
                                        line="status:", words="«status»"),
    "handout-file": Case("P014", "docs/khang-trang-xanh-sach-dep/ho-gia-dinh.md",
                         append("\n![Sơ đồ](../../../bi-mat.png)\n"), line="bi-mat.png", words="«ho-gia-dinh»"),
    "svg-in-docs": Case("P015", "docs/so-do.svg", append('<svg xmlns="http://www.w3.org/2000/svg"/>'),
                        new=True, words="đuôi .svg"),
    # Extensions a web server serves as a page, that no deny-list named.
    "shtml-in-docs": Case("P015", "docs/thong-bao.shtml", append("<!doctype html><script>document.title='x'</script>"),
                          new=True, words="đuôi .shtml"),
    "xht-in-docs": Case("P015", "docs/thong-bao.xht", append('<html xmlns="http://www.w3.org/1999/xhtml"><script/></html>'),
                        new=True, words="đuôi .xht"),
    "control-character": Case("Y011", PLAN, replace("noi_dung: Tổng vệ sinh", "noi_dung: Tổng\x0cvệ sinh"),
                              line="noi_dung: Tổng", words="U+000C"),
    "escaped-control-character": Case("Y011", PLAN, replace("noi_dung: Tổng vệ sinh đường làng, ngõ xóm; khơi thông cống rãnh", 'noi_dung: "Tổng\\0 vệ sinh"'),
                                      line="noi_dung: ", words="U+0000"),
    # A carriage return would end a calendar line for a lenient reader (a forged event).
    "escaped-carriage-return": Case("Y011", PLAN, replace("noi_dung: Tổng vệ sinh đường làng, ngõ xóm; khơi thông cống rãnh",
                                                          'noi_dung: "Tổng vệ sinh\\rEND:VEVENT\\rBEGIN:VEVENT"'),
                                    line="noi_dung: ", words="U+000D"),
    "bidi-override-as-reference": Case("Y011", PAGE, append("\nGọi số &#8238;0123 456 789&#8236; để hỏi.\n"),
                                       line="Gọi số", words="viết là «&#8238;»"),
    "right-to-left-mark": Case("Y011", PAGE, append("\nGọi số 0912 \u200f345 678.\n"), line="Gọi số", words="U+200F"),
    "right-to-left-mark-by-name": Case("Y011", PAGE, append("\nGọi số 0912 &rlm;345 678.\n"), line="Gọi số",
                                       words="viết là «&rlm;»"),
    "control-as-hex-reference": Case("Y011", PAGE, append("\nChữ &#x0001; lạ.\n"), line="Chữ &#x", words="U+0001"),
    "front-matter-control": Case("Y011", PAGE, replace("title: Thuật ngữ viết tắt", "title: Thuật ngữ\x0b viết tắt"),
                                 line="title:", words="U+000B"),
    "deep-nesting": Case("Y012", PLAN, append("ghi_chu: " + "[" * 2000 + "]" * 2000 + "\n"), line="ghi_chu:",
                         words="16 tầng"),
    "front-matter-nesting": Case("Y012", PAGE, front_matter_line("x: " + "[" * 40 + "]" * 40),
                                 line="x: [", words="16 tầng"),
    "bracket-paste": Case("T006", PAGE, append("\nChữ.\n\n" + "[" * 100_000 + "\n"), line="[[[", words="một đoạn"),
    "nested-markers": Case("T006", PAGE, append("\n" + "1. " * 5000 + "x\n"), line="1. 1.", words="lồng nhau"),
    "huge-page": Case("T005", PAGE, append("\n" + "Chữ. " * 120_000 + "\n"), words="quá giới hạn 512 kB"),
    "handout-page-missing": Case("P007", "docs/khang-trang-xanh-sach-dep/co-quan-truong-hoc.md", delete=True,
                                 words="Tài liệu in cần trang này"),
    "absolute-link": Case("P008", PAGE, append("\nXem [văn bản](/van-ban/).\n"), line="(/van-ban/)",
                          words="bắt đầu bằng «/»"),
    "html-named-pdf": Case("A018", "docs/mau-ke-hoach.pdf", raw=b"<!doctype html><script>alert(1)</script>",
                           words="không phải tệp PDF"),
    "old-word-format": Case("P015", "docs/mau-ke-hoach.doc", raw=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
                            words="đuôi .doc"),
    "photo-with-gps-in-word": Case("A019", "docs/mau-ke-hoach.docx", raw=hostile.docx_with(hostile.jpeg_with_gps()),
                                   words="vị trí GPS"),
    "author-in-pdf": Case("A020", "docs/mau-ke-hoach.pdf", raw=hostile.pdf_with(author=b"(Nguyen Van A 0912345678)",
                                                                                compressed=True),
                          words="Tác giả: «Nguyen Van A 0912345678»"),
}

# Rules whose case is not a planted file: tested by the functions named here.
OTHER_TESTS = {
    "P006": "test_handout_section_renamed",
    "B001": "test_engine_warnings_in_vietnamese",
    "M021": "test_unforeseen_validation_error_is_still_vietnamese",
    "B002": "test_outputs.py::test_shallow_clone_stops_the_check_and_the_build",
    "B003": "test_ci.py::test_publishing_build_refuses_a_local_or_empty_address",
    "B007": "test_build_day.py::test_a_malformed_day_stops_the_build",
    "P016": "test_security.py::test_symbolic_links_are_refused_and_nothing_outside_is_published",
    "P017": "test_input_files.py::test_a_fifo_or_a_link_to_a_device_in_docs_is_named_never_read",
}


def _result_without_plan(root: Path) -> str:
    text = (root / RESULT).read_text(encoding="utf-8")
    return text.replace("ngay: 2023-03-04", "ngay: 2023-03-25")


@pytest.fixture(scope="module")
def scratch_repo(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("rules") / "repo", warm=False)  # checked, never built


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--root", str(root), "check"])
    return code, out.getvalue() + err.getvalue()


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_is_reported_with_its_id_line_and_fix(scratch_repo, name):
    case = CASES[name]
    path = scratch_repo / case.path
    backup = path.read_bytes() if path.exists() else None
    try:
        if case.delete:
            path.unlink()
        elif case.raw is not None:
            path.write_bytes(case.raw)
        else:
            text = _result_without_plan(scratch_repo) if case.change is None else case.change(
                "" if case.new else path.read_text(encoding="utf-8")
            )
            path.write_text(text, encoding="utf-8")
        code, output = _check(scratch_repo)
    finally:
        if backup is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(backup)
    assert code != 0, output
    mine = [block for block in output.split("\n") if f"[{case.rule}]" in block]
    assert mine, output
    assert any(case.words in line for line in mine), (case.words, mine)
    assert "Traceback" not in output and "Cách sửa:" in output
    if case.line is not None:
        # The line the editor must look at: where the planted text stands.
        original = "" if case.new else backup.decode("utf-8")
        text = _result_without_plan(scratch_repo) if case.change is None else case.change(original)
        line = _line_of(text, case.line)
        assert any(shown.startswith(f"{case.path}:{line}: [{case.rule}]") for shown in mine), (line, mine)


def test_scratch_repository_is_clean_again(scratch_repo):
    code, output = _check(scratch_repo)
    assert code == 0, output


def test_handout_section_renamed(tmp_path):
    from nongthonmoi.errors import ContentErrors
    from nongthonmoi.handouts.source import Part, read_page, select

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "trang.md").write_text("# Trang\n\n## Mục một\n\nChữ.\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        select(read_page(docs, "trang.md"), Part("trang.md", sections=("Mục đã đổi tên",)))
    assert "[P006]" in str(caught.value) and "«Mục đã đổi tên»" in str(caught.value) and "«Mục một»" in str(caught.value)


def test_engine_warnings_in_vietnamese(tmp_path):
    from nongthonmoi.buildlog import translate

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nXem [b](b.md).\n", encoding="utf-8")
    link = translate("Doc file 'a.md' contains a link 'b.md', but the target is not found among documentation files.", docs)
    assert link.startswith("docs/a.md:3: [P002]")
    other = translate("Something new the engine says.", docs)
    assert "[B001]" in other and "Bản dựng báo" in other and "Cách sửa:" in other


def test_unforeseen_validation_error_is_still_vietnamese():
    """The safety net for a validation error no rule names (none reachable today)."""
    from nongthonmoi.models.base import translate
    from nongthonmoi.models.plans import SaturdayPlan
    from nongthonmoi.yamlsource import YamlSource

    source = YamlSource(Path("x.yml"), "materials/x.yml", {}, {("ghi_chu",): 7})
    error = translate({"type": "url_parsing", "loc": ("ghi_chu",), "msg": "Input should be a valid URL", "input": "x"}, source, SaturdayPlan)
    assert str(error).startswith("materials/x.yml:7: [M021] Trường «ghi_chu» không hợp lệ.")
    assert "Input should" not in str(error)


def test_every_rule_has_a_case():
    """A rule without a test case is a failing test."""
    from test_editor_rules import EDITOR_RULE_CASES
    from test_photos_rules import PHOTO_RULE_CASES
    from test_workbook_import import WORKBOOK_RULE_CASES

    covered = {case.rule for case in CASES.values()} | set(OTHER_TESTS) | set(WORKBOOK_RULE_CASES) | set(EDITOR_RULE_CASES)
    covered |= {case.rule for case in PHOTO_RULE_CASES.values()}
    assert sorted(set(RULES) - covered) == []
    assert sorted(covered - set(RULES)) == []


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_explains_itself(rule_id):
    text = explain(rule_id)
    assert text.startswith(f"{rule_id}: ") and "Cách sửa:" in text
    rule = RULES[rule_id]
    assert rule.title and rule.explanation and rule.message and rule.fix
    assert not re.search(r"\b(the|must|should|error|invalid)\b", rule.message + rule.fix + rule.explanation)


def test_rules_page_lists_every_rule(site):
    page = (site / "bien-tap" / "quy-tac" / "index.html").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f'id="{rule_id.lower()}"' in page, rule_id


def test_check_explains_a_rule_on_request(capsys):
    assert cli.main(["check", "--giai-thich", "s010"]) == 0
    assert capsys.readouterr().out.startswith("S010: Số hộ tham gia quá tổng số hộ")
    assert cli.main(["check", "--giai-thich", "X999"]) == 2



def test_a_result_far_beyond_its_plan_is_refused_from_a_hundred_times_only():
    """S017 catches a unit typed wrong (a thousand times: m for km, kg for
    tonnes), not a commune that did more than planned."""
    from nongthonmoi.models.plans import Quantity
    from nongthonmoi.saturday.data import FAR_BEYOND_PLAN, _far_beyond_plan

    planned = Quantity(so=1.5, don_vi_tinh="km")
    where = ("khoi_luong_da_lam", 0, "da_lam")
    assert FAR_BEYOND_PLAN == 100
    assert _far_beyond_plan(None, where, 149.9, planned) == []  # a hundred times less a little: done, not a slip
    assert _far_beyond_plan(None, where, 0, planned) == []
    assert _far_beyond_plan(None, where, 5, None) == []  # no planned amount: nothing to compare


def test_a_document_of_docs_is_named_in_the_same_run_as_a_data_error(scratch_repo):
    """A data file that does not load and a page's file that is no PDF: both
    in one run (the files of docs/ do not depend on the data)."""
    result, pdf = scratch_repo / RESULT, scratch_repo / "docs" / "mau-thu.pdf"
    backup = result.read_bytes()
    try:
        result.write_text(backup.decode().replace("so_ho_tham_gia: 150", "so_ho_tham_gia: abc"), encoding="utf-8")
        pdf.write_bytes(b"<html><body>x</body></html>")
        code, output = _check(scratch_repo)
    finally:
        result.write_bytes(backup)
        pdf.unlink(missing_ok=True)
    assert code != 0 and "[M007]" in output and "docs/mau-thu.pdf: [A018]" in output, output

"""The editor's «Nhập từ Excel» page in local mode: workbooks picked in the
page, imported by the local backend, saved to history.

The page (overrides/quan-tri/ntm-nhap-excel.js) sends the picked files, as
base64 in JSON, to ``<api>/tai-len`` with the action ``ntmNhapExcel``:

1. ``write: false`` (the preview): ``import_batch(..., write=False)``; the
   page shows the report and keeps the files.
2. ``write: true`` with the preview's ``confirm`` token (and ``overwrite``
   when the user ticked «Ghi đè»): the same files are checked again; only if
   the whole batch is valid and still the one previewed are the files
   written, then ``ntm check`` runs on the whole working copy and the written
   files are committed (one commit, as the editor's other saves), else the
   files go back as they were. "Đã lưu" on the page means in history and on
   its way to the shared repository.

Limits come before any decoding: at most ``batch.MAX_FILES`` files, each at
most ``package.LIMITS.max_bytes`` (the request itself is bounded by the
backend's upload limit). The import writes only the plan and result files
it computed (``materials/ke-hoach/**``, ``materials/ket-qua/**``), each of
which is also checked against the editor's allow-list (paths.py) before
anything is written.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from ..workbooks.batch import MAX_FILES, NEW, UPDATED, BatchReport, Upload, import_batch
from ..workbooks.package import LIMITS
from . import paths

MAX_NAME = 255  # a file name as the browser gives it (only shown, never a path)
_ENCODED_LIMIT = (LIMITS.max_bytes * 4) // 3 + 4


class ExcelRefused(Exception):
    """The request itself is refused (not one workbook): status and Vietnamese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def uploads_of(params: dict) -> list[Upload]:
    """The picked files, checked against the limits before any is decoded."""
    files = params.get("files")
    if not isinstance(files, list) or not files:
        raise ExcelRefused(400, "Chưa chọn bảng tính nào. Bấm «Chọn bảng tính» và chọn tệp .xlsx xã gửi về.")
    if len(files) > MAX_FILES:
        raise ExcelRefused(413, f"Đã chọn {len(files)} tệp, quá giới hạn {MAX_FILES} tệp một lần. "
                                f"Cách sửa: nhập thành nhiều lần, mỗi lần tối đa {MAX_FILES} tệp.")
    checked = []
    for item in files:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("content"), str):
            raise ExcelRefused(400, "Không đọc được tệp gửi lên.")
        name, content = item["name"][:MAX_NAME], item["content"]
        if len(content) > _ENCODED_LIMIT:
            size = len(content) * 3 // 4 // 1024
            raise ExcelRefused(413, f"Tệp «{name}» lớn {size} kB, quá giới hạn {LIMITS.max_bytes // 1024} kB của một "
                                    "bảng tính. Cách sửa: chọn đúng bảng tính xã gửi về (biểu mẫu điền xong chỉ vài chục kB).")
        checked.append((name, content))
    uploads = []
    for name, content in checked:
        try:
            uploads.append(Upload(name, base64.b64decode(content, validate=True)))
        except (binascii.Error, ValueError):
            raise ExcelRefused(400, "Không đọc được tệp gửi lên.") from None
    return uploads


IMPORTED_FOLDERS = ("materials/ke-hoach/", "materials/ket-qua/")


def to_write(root: Path, report: BatchReport) -> list[str]:
    """The files a valid batch writes (new or replaced), each a plan or result
    the editor may write (paths.py: no link, no odd name on the way)."""
    targets = [w.target for w in report.workbooks if w.status in (NEW, UPDATED)]
    for target in targets:
        if not target.startswith(IMPORTED_FOLDERS) or paths.kind_of(target) != "data":
            raise paths.PathRefused(f"«{target}» không phải tệp kế hoạch hay kết quả.")
        paths.resolve(root, target, write=True)
    return targets


def commit_message(report: BatchReport) -> str:
    names = ", ".join(w.file for w in report.workbooks if w.written)
    return f"Nhập từ Excel (trang quản trị): {names}"


def import_workbooks(backend, params: dict) -> dict:
    """The action ``ntmNhapExcel`` of the local backend (backend.py)."""
    root: Path = backend.root
    uploads = uploads_of(params)
    overwrite = params.get("overwrite") is True
    preview = import_batch(root, uploads, write=False, overwrite=overwrite)
    if params.get("write") is not True:
        return {"report": preview.to_dict(), "saved": False}
    confirm = params.get("confirm")
    if not isinstance(confirm, str) or not preview.ok or confirm != preview.token:
        # Another state than the one shown (a file changed meanwhile, «Ghi đè» not chosen):
        # nothing is written; the page shows this report and asks again.
        answer = preview.to_dict()
        answer["conclusion"] = ("Chưa ghi gì: dữ liệu đã khác với lúc kiểm tra, hoặc còn tệp có lỗi hay cần ghi đè. "
                                "Xem báo cáo mới dưới đây rồi bấm ghi lại.")
        return {"report": answer, "saved": False}
    targets = to_write(root, preview)
    if not targets:
        return {"report": preview.to_dict(), "saved": False, "commit": None}
    undo = backend._snapshot(targets)
    done = import_batch(root, uploads, write=True, overwrite=overwrite, confirm=confirm)
    written = [w.target for w in done.workbooks if w.written]
    if not done.ok or sorted(written) != sorted(targets):
        undo()
        answer = done.to_dict()
        answer["conclusion"] = "Chưa ghi gì: " + done.conclusion()
        return {"report": answer, "saved": False}
    from .backend import full_check

    problems = full_check(root)
    if problems:
        undo()
        raise ExcelRefused(422, "Chưa ghi gì: sau khi nhập, nội dung còn lỗi (ntm check). " + " ".join(problems[:5]))
    commit = backend._commit(written, commit_message(done), undo)
    return {"report": done.to_dict(), "saved": True, "commit": commit, "files": written}

"""``ntm nhap-excel``: the batch import (``batch.py``) on the command line.

Prints, for every workbook, what it is (kind, commune, Saturday) and what
happens to it (created, updated, unchanged, refused), with the changes old ->
new for an update; errors and files that need ``--ghi-de`` go to standard
error. ``--chi-kiem-tra`` prints the same and writes nothing. ``--thu-muc``
takes every file of a folder (the CI import of ``materials/nhap-excel/``),
``--bao-cao`` also writes the report as Markdown (a CI job summary) and
``--xoa-da-nhap`` removes from that folder the files whose content is now in
``materials/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .batch import DUPLICATE, NEW, UNCHANGED, UPDATED, Upload, display_name, import_batch
from ..inputfile import NotReadable, read_input
from .package import LIMITS

INBOX = Path("materials") / "nhap-excel"
# Files of an inbox folder that are no workbooks to import.
_NOT_WORKBOOKS = {"README.md", ".gitkeep", ".gitignore"}
# The published editor's notes of each upload (editor/config.py EXCEL_NOTES): never imported, no note.
EDITOR_NOTES = "phieu"
EXCEL_LOCK = "~$"  # Excel's owner file beside a workbook that is open: «~$ke hoach.xlsx»


def _uploads(files: list[Path]) -> tuple[list[Upload], list[str]]:
    """The files' bytes, read through :func:`inputfile.read_input` (a regular
    file only, never more than the limit + 1 bytes); a file that cannot be
    read becomes an empty upload with its reason in Vietnamese (reported by
    the batch as «Không đọc được tệp»)."""
    uploads, problems = [], []
    for path in files:
        try:
            uploads.append(Upload(path.name, read_input(path, LIMITS.max_bytes)))
            problems.append("")
        except NotReadable as exc:
            uploads.append(Upload(path.name, b""))
            problems.append(exc.reason)
    return uploads, problems


def inbox_files(folder: Path) -> tuple[list[Path], list[str]]:
    """(the entries of an inbox folder to import, notes on those skipped).

    Sub-folders and Excel's lock files are skipped with a note, not refused:
    they are no workbook a commune sent. Links and other entries that are no
    regular file stay in the list: the import refuses each with its reason,
    without reading it.
    """
    if not folder.is_dir():
        return [], []
    files, notes = [], []
    for path in sorted(folder.iterdir()):
        if path.name in _NOT_WORKBOOKS or path.name.startswith(".") or path.name == EDITOR_NOTES:
            continue
        name = display_name(path.name)
        if path.name.startswith(EXCEL_LOCK):
            notes.append(f"{name}: bỏ qua, đây là tệp tạm Excel tạo ra khi bảng tính «{name[2:]}» "
                         "đang mở (không phải bảng tính); đóng Excel rồi xóa tệp này.")
        elif not path.is_symlink() and path.is_dir():
            notes.append(f"{name}: bỏ qua thư mục (chỉ nhập các tệp nằm ngay trong «{folder.name}»).")
        else:
            files.append(path)
    return files, notes


def run(root: Path, files: list[Path], folder: Path | None, expect_unit: str | None, check_only: bool,
        overwrite: bool, report_path: Path | None, remove_imported: bool) -> int:
    if folder is None and not files:
        print("Chưa chọn bảng tính nào: ghi tên tệp sau lệnh, ví dụ «ntm nhap-excel ke-hoach-gung-re.xlsx», "
              "hoặc một thư mục bằng --thu-muc.", file=sys.stderr)
        return 2
    if expect_unit is not None:
        from ..errors import ContentErrors
        from ..saturday.data import load_units

        try:
            units = load_units(root).by_id()
        except ContentErrors:
            units = None  # the data itself is wrong: the import says so, with its lines
        if units is not None and expect_unit not in units:
            print(f"Không có xã, thị trấn nào mã «{expect_unit}» (--xa). Các mã có trong materials/don-vi.yml: "
                  f"{', '.join(sorted(units))}. Cách sửa: gõ lại mã sau --xa, ví dụ «--xa gung-re».", file=sys.stderr)
            return 2
    notes: list[str] = []
    if folder is not None:
        waiting, notes = inbox_files(folder)
        files = [*files, *waiting]
    for note in notes:
        print(note)
    if not files:
        print("Không có bảng tính nào để nhập.")
        if report_path is not None:
            report_path.write_text("## Nhập bảng tính Excel\n\nKhông có bảng tính nào chờ nhập.\n" + _notes_markdown(notes),
                                   encoding="utf-8")
        return 0
    uploads, problems = _uploads(files)
    progress = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    report = import_batch(root, uploads, write=not check_only, overwrite=overwrite, expect_unit=expect_unit,
                          progress=progress)
    for book, problem in zip(report.workbooks, problems):
        if problem:  # not readable at all: say why instead of «tệp rỗng»
            from .package import refuse

            book.errors = [refuse(book.file, "unreadable", detail=problem).error]
    for book in report.workbooks:
        stream = sys.stdout if book.ok else sys.stderr
        print(book.headline(report.write), file=stream)
        for error in book.errors:
            print(f"  {error}".replace("\n", "\n  "), file=stream)
        for change in book.changes:
            print(f"    {change}", file=stream)
    print(report.conclusion(), file=sys.stderr if report.failed else sys.stdout)
    if report_path is not None:
        report_path.write_text(report.markdown() + _notes_markdown(notes), encoding="utf-8")
    if remove_imported and not check_only and folder is not None:
        done = {NEW, UPDATED, UNCHANGED, DUPLICATE}
        for path, book in zip(files, report.workbooks):
            if book.status in done and (book.written or book.status in (UNCHANGED, DUPLICATE)) and path.parent == folder:
                path.unlink()
    return 1 if report.failed else 0


def _notes_markdown(notes: list[str]) -> str:
    if not notes:
        return ""
    return "\n### Bỏ qua\n\n" + "".join(f"- {_escape(note)}\n" for note in notes)


def _escape(text: str) -> str:
    from .batch import _cell

    return _cell(text)

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

from .batch import DUPLICATE, NEW, UNCHANGED, UPDATED, Upload, import_batch
from .package import LIMITS

INBOX = Path("materials") / "nhap-excel"
# Files of an inbox folder that are no workbooks to import.
_NOT_WORKBOOKS = {"README.md", ".gitkeep", ".gitignore"}


def _uploads(files: list[Path]) -> tuple[list[Upload], list[str]]:
    """The files' bytes; a file that cannot be read becomes an empty upload
    with its reason (reported by the batch as «Không đọc được tệp»)."""
    uploads, problems = [], []
    for path in files:
        try:
            if path.stat().st_size > LIMITS.max_bytes:
                # Read only what the limit needs: the batch refuses it as too big.
                with open(path, "rb") as handle:
                    content = handle.read(LIMITS.max_bytes + 1)
            else:
                content = path.read_bytes()
            uploads.append(Upload(path.name, content))
            problems.append("")
        except OSError as exc:
            uploads.append(Upload(path.name, b""))
            problems.append(exc.strerror or type(exc).__name__)
    return uploads, problems


def inbox_files(folder: Path) -> list[Path]:
    # Files only: materials/nhap-excel/phieu/ holds the editor's upload notes (editor/config.py).
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.name not in _NOT_WORKBOOKS and not p.name.startswith(".")) \
        if folder.is_dir() else []


def run(root: Path, files: list[Path], folder: Path | None, expect_unit: str | None, check_only: bool,
        overwrite: bool, report_path: Path | None, remove_imported: bool) -> int:
    if folder is None and not files:
        print("Chưa chọn bảng tính nào: ghi tên tệp sau lệnh, ví dụ «ntm nhap-excel ke-hoach-gung-re.xlsx», "
              "hoặc một thư mục bằng --thu-muc.", file=sys.stderr)
        return 2
    if folder is not None:
        files = [*files, *inbox_files(folder)]
    if not files:
        print("Không có bảng tính nào để nhập.")
        if report_path is not None:
            report_path.write_text("## Nhập bảng tính Excel\n\nKhông có bảng tính nào chờ nhập.\n", encoding="utf-8")
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
        report_path.write_text(report.markdown(), encoding="utf-8")
    if remove_imported and not check_only and folder is not None:
        done = {NEW, UPDATED, UNCHANGED, DUPLICATE}
        for path, book in zip(files, report.workbooks):
            if book.status in done and (book.written or book.status in (UNCHANGED, DUPLICATE)) and path.parent == folder:
                path.unlink()
    return 1 if report.failed else 0

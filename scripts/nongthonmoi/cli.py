"""Command line for editors and maintainers: ``ntm check``, ``ntm serve`` ...

Content errors are printed in Vietnamese with file and line; the exit code is
non-zero whenever something must be fixed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import unicodedata
from pathlib import Path

from . import contentcheck
from .errors import ContentErrors
from .materials import load_materials


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "materials").is_dir():
            return folder
    raise SystemExit("Không tìm thấy mkdocs.yml: hãy chạy lệnh trong thư mục của kho tài liệu.")


def cmd_check(args) -> int:
    root = find_root(args.root)
    problems = []
    try:
        load_materials(root)
    except ContentErrors as exc:
        problems += exc.errors
    problems += contentcheck.check_tree(root)
    if problems:
        print(ContentErrors(problems), file=sys.stderr)
        return 1
    print("Nội dung hợp lệ: không có lỗi.")
    return 0


def cmd_fix_nfc(args) -> int:
    root = find_root(args.root)
    changed = 0
    for path in [*sorted((root / "docs").rglob("*.md")), *sorted((root / "materials").rglob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        fixed = unicodedata.normalize("NFC", text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed += 1
            print(f"Đã chuẩn hóa: {path.relative_to(root)}")
    print(f"Đã sửa {changed} tệp.")
    return 0


def cmd_schema(args) -> int:
    from .schema import write_schemas

    root = find_root(args.root)
    stale = write_schemas(root, check_only=args.check)
    if args.check and stale:
        print(f"Lược đồ JSON đã cũ: {', '.join(stale)}. Chạy «ntm schema» để cập nhật.", file=sys.stderr)
        return 1
    print("Đã cập nhật lược đồ: " + (", ".join(stale) if stale else "không có thay đổi."))
    return 0


def cmd_serve(args) -> int:
    from .preview import serve

    root = find_root(args.root)
    # Dirty rebuilds: generated pages are files in .cache/generated/ rewritten
    # only when their text changes (saturday/site.py), so one YAML edit
    # re-renders a few pages. Not strict: problems are shown in the browser;
    # `ntm check` and the build stay strict.
    return serve(root, args.addr, on_ready=lambda url: print(f"Xem trước: {url}  (Ctrl+C để dừng)", flush=True))


def cmd_edit(args) -> int:
    from .editor.local import run

    return run(find_root(args.root), args.addr)


def cmd_save(args) -> int:
    """Check, then record the edited pages and data in git history."""
    root = find_root(args.root)
    if cmd_check(args) != 0:
        print("Chưa lưu vào lịch sử: sửa các lỗi trên trước.", file=sys.stderr)
        return 1

    def git(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-c", "core.quotePath=false", *command], cwd=root, capture_output=True, text=True)

    status = git("status", "--porcelain", "--", "materials", "docs")
    if status.returncode != 0:
        print("Thư mục này không phải kho git: không lưu được vào lịch sử.", file=sys.stderr)
        return 1
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if not changed:
        print("Không có thay đổi nào để lưu.")
        return 0
    if not git("config", "user.name").stdout.strip() or not git("config", "user.email").stdout.strip():
        print(
            "Git chưa biết tên người sửa. Chạy một lần:\n"
            '  git config --global user.name "Họ và tên"\n'
            '  git config --global user.email "dia-chi@email"',
            file=sys.stderr,
        )
        return 1
    message = args.message or "Cập nhật nội dung: " + ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
    git("add", "-A", "--", "materials", "docs")
    commit = git("commit", "-q", "-m", message)
    if commit.returncode != 0:
        print("Không lưu được vào lịch sử:\n" + (commit.stderr or commit.stdout), file=sys.stderr)
        return 1
    head = git("rev-parse", "--short", "HEAD").stdout.strip()
    print(f"Đã lưu {len(changed)} tệp vào lịch sử (lần lưu {head}).")
    print("Muốn đưa lên kho chung để đăng: «git push», hoặc bấm Push trong GitHub Desktop.")
    return 0


def cmd_new_plan(args) -> int:
    from datetime import date

    from .saturday.scaffold import ScaffoldError, new_plan

    root = find_root(args.root)
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"Ngày «{args.date}» không hợp lệ: viết dạng 2023-03-11.", file=sys.stderr)
        return 2
    try:
        path = new_plan(root, args.commune, day)
    except (ScaffoldError, ContentErrors) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Đã tạo {path.relative_to(root).as_posix()}: sửa nội dung cho tuần mới rồi chạy «ntm check».")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ntm", description="Công cụ cho bộ tài liệu nông thôn mới Di Linh.")
    parser.add_argument("--root", type=Path, default=None, help="thư mục kho tài liệu (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="kiểm tra toàn bộ nội dung, không ghi gì ra đĩa").set_defaults(func=cmd_check)
    sub.add_parser("fix-nfc", help="chuẩn hóa chữ tiếng Việt về Unicode NFC").set_defaults(func=cmd_fix_nfc)
    schema = sub.add_parser("schema", help="tạo lại lược đồ JSON cho trình soạn thảo (materials/schema)")
    schema.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    schema.set_defaults(func=cmd_schema)
    serve = sub.add_parser("serve", help="xem trước trang web, tự tải lại khi sửa tệp")
    serve.add_argument("-a", "--addr", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)
    edit = sub.add_parser("edit", help="mở trang quản trị trên máy này (không cần kho git trên mạng)")
    edit.add_argument("-a", "--addr", default="127.0.0.1:8000", help="địa chỉ xem trước (chỉ 127.0.0.1)")
    edit.set_defaults(func=cmd_edit)
    save = sub.add_parser("luu", help="kiểm tra rồi lưu các trang, dữ liệu đã sửa vào lịch sử git")
    save.add_argument("-m", "--message", help="lời ghi chú cho lần lưu (mặc định: danh sách tệp)")
    save.set_defaults(func=cmd_save)
    plan = sub.add_parser("new-plan", help="tạo kế hoạch thứ Bảy tới của một xã từ kế hoạch tuần trước")
    plan.add_argument("commune", help="mã xã, thị trấn, ví dụ gung-re")
    plan.add_argument("--date", help="ngày thứ Bảy (YYYY-MM-DD); mặc định: thứ Bảy kế tiếp")
    plan.set_defaults(func=cmd_new_plan)
    args = parser.parse_args(argv)
    return args.func(args)

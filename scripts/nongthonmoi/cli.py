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

from .errors import ContentErrors


# argparse prints its own words in English (usage, errors, --help); editors
# read Vietnamese. argparse looks its words up through gettext's ``_``.
_ARGPARSE_WORDS = {
    "usage: ": "cách dùng: ",
    "positional arguments": "các lệnh, tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "còn thiếu: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lệnh %(value)r (các lệnh: %(choices)s)",
    "unrecognized arguments: %s": "không hiểu: %s",
    "expected one argument": "cần một giá trị",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ, có thể là %(matches)s",
    "one of the arguments %s is required": "cần một trong: %s",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "materials").is_dir():
            return folder
    raise SystemExit("Không tìm thấy mkdocs.yml: hãy chạy lệnh trong thư mục của kho tài liệu.")


def cmd_check(args) -> int:
    if getattr(args, "giai_thich", None):
        from .rules import explain

        text = explain(args.giai_thich)
        if text is None:
            print(f"Không có quy tắc mã «{args.giai_thich}». Xem trang «Các quy tắc kiểm tra» của Hướng dẫn biên tập.", file=sys.stderr)
            return 2
        print(text)
        return 0
    from .fullcheck import problems as all_problems

    root = find_root(args.root)
    # The build stops in a shallow clone, so the check must not say "hợp lệ" there either.
    problems = all_problems(root)
    if problems:
        print(ContentErrors(problems), file=sys.stderr)
        return 1
    print("Nội dung hợp lệ: không có lỗi.")
    return 0


def cmd_build(args) -> int:
    from .engine import build

    return build(find_root(args.root), site_dir=args.site_dir, strict=not args.no_strict, quiet=args.quiet)


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

    return run(find_root(args.root), args.addr, open_browser=args.mo_trinh_duyet)


def cmd_install_launcher(args) -> int:
    """Once, by the technical administrator: the icon that opens the editor."""
    from .editor.launcher import install

    root = find_root(args.root)
    ntm = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "ntm" else root / ".venv" / "bin" / "ntm"
    for target in install(root, ntm):
        print(f"Đã tạo biểu tượng «Sửa nội dung Nông thôn mới»: {target}")
    return 0


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
    from .photos import lfs

    photos = [path for path in changed if path.startswith("materials/anh/")]
    if photos:
        # Photos go into the history as Git LFS pointers, never as pictures.
        problem = lfs.prepare_commit(root)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
    git("add", "-A", "--", "materials", "docs")
    staged = git("diff", "--cached", "--name-only", "--", "materials/anh").stdout.splitlines()
    whole = lfs.not_pointers(root, staged) if lfs.uses_lfs(root) else []
    if whole:
        git("reset", "-q", "--", *whole)
        print("Chưa lưu: các ảnh này sẽ vào lịch sử nguyên tấm thay vì qua Git LFS: " + ", ".join(whole)
              + ". Chạy «git lfs install», rồi «ntm luu» lại.", file=sys.stderr)
        return 1
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
        made = new_plan(root, args.commune, day)
    except (ScaffoldError, ContentErrors) as exc:
        print(exc, file=sys.stderr)
        return 1
    slot = made.slot
    print(f"Đã tạo kế hoạch thứ Bảy {slot.saturday:%d/%m/%Y} của {made.unit_name}: {made.path.relative_to(root).as_posix()}")
    if slot.source is None:
        print("Kế hoạch mới để trống: điền các chỗ \"\" theo hướng dẫn, rồi chạy «ntm check».")
    else:
        print(f"Nội dung chép từ kế hoạch thứ Bảy {slot.source:%d/%m/%Y}: sửa cho đúng tuần mới, rồi chạy «ntm check».")
    if made.from_example:
        print("Lưu ý: kế hoạch chép từ là dữ liệu ví dụ. Kế hoạch mới là kế hoạch thật (vi_du: false): sửa hết nội dung.")
    elif made.example:
        print("Lưu ý: danh sách thôn của xã còn là ví dụ, nên kế hoạch mới vẫn là dữ liệu ví dụ (vi_du: true) "
              "cho đến khi xã gửi danh sách thôn thật.")
    return 0


def cmd_import_excel(args) -> int:
    from .workbooks.command import run

    root = find_root(args.root)
    folder = Path(args.thu_muc) if args.thu_muc else None
    return run(root, [Path(f) for f in args.files], folder, args.xa, args.chi_kiem_tra, args.ghi_de,
               Path(args.bao_cao) if args.bao_cao else None, args.xoa_da_nhap)


def cmd_add_photos(args) -> int:
    from .photos.ingest import IngestError, add_photos, parse_day

    root = find_root(args.root)
    try:
        added = add_photos(root, args.commune, parse_day(args.date), [Path(p) for p in args.files], to_plan=args.ke_hoach,
                           table=Path(args.thong_tin) if args.thong_tin else None,
                           interactive=False if args.khong_hoi else None)
    except (IngestError, ContentErrors) as exc:
        print(exc, file=sys.stderr)
        print("Chưa ghi ảnh nào.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nĐã dừng: chưa ghi ảnh nào.", file=sys.stderr)
        return 1
    for line in added.skipped:
        print(line)
    for photo in added.photos:
        print(f"{photo.source.name} → {photo.name}: " + " ".join(photo.normalised.report))
        if photo.info.get("khong_dang"):
            print("  Ảnh này không đăng: không lên trang web, bản tải về, bản in; nhưng vẫn nằm trong kho tài liệu.")
    for line in added.warnings:
        print("Lưu ý: " + line)
    if added.photos:
        print(f"Đã thêm {len(added.photos)} ảnh vào {added.record.relative_to(root).as_posix()}. "
              "Xem trước bằng «ntm serve», rồi lưu bằng «ntm luu».")
    else:
        print("Không có ảnh mới.")
    return 0


def cmd_photos_to_download(args) -> int:
    """For CI with Git LFS: the photos to fetch, one path a line."""
    from .photos.lfs import needed_downloads

    root = find_root(args.root)
    try:
        needed = needed_downloads(root)
    except ContentErrors as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in needed:
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ntm", description="Công cụ cho bộ tài liệu nông thôn mới Di Linh.")
    parser.add_argument("--root", type=Path, default=None, help="thư mục kho tài liệu (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung, không ghi gì ra đĩa")
    check.add_argument("--giai-thich", metavar="MÃ", help="giải thích một quy tắc, ví dụ S010")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="dựng trang web và tài liệu in vào thư mục site/")
    build.add_argument("-d", "--site-dir", default=None, help="thư mục ghi trang web (mặc định: site/)")
    build.add_argument("--no-strict", action="store_true", help="không dừng khi có cảnh báo (chỉ để thử)")
    build.add_argument("-q", "--quiet", action="store_true", help="chỉ in lỗi và cảnh báo")
    build.set_defaults(func=cmd_build)
    sub.add_parser("fix-nfc", help="chuẩn hóa chữ tiếng Việt về Unicode NFC").set_defaults(func=cmd_fix_nfc)
    schema = sub.add_parser("schema", help="tạo lại lược đồ JSON cho trình soạn thảo (materials/schema)")
    schema.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    schema.set_defaults(func=cmd_schema)
    serve = sub.add_parser("serve", help="xem trước trang web, tự tải lại khi sửa tệp")
    serve.add_argument("-a", "--addr", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)
    edit = sub.add_parser("edit", help="mở trang quản trị trên máy này (không cần kho git trên mạng)")
    edit.add_argument("-a", "--addr", default="127.0.0.1:8000", help="địa chỉ xem trước (chỉ 127.0.0.1)")
    edit.add_argument("--mo-trinh-duyet", action="store_true", help="mở trình duyệt vào trang quản trị (biểu tượng trên màn hình dùng)")
    edit.set_defaults(func=cmd_edit)
    sub.add_parser(
        "cai-bieu-tuong", help="tạo biểu tượng «Sửa nội dung Nông thôn mới» mở trang quản trị (Linux, làm một lần)"
    ).set_defaults(func=cmd_install_launcher)
    save = sub.add_parser("luu", help="kiểm tra rồi lưu các trang, dữ liệu đã sửa vào lịch sử git")
    save.add_argument("-m", "--message", help="lời ghi chú cho lần lưu (mặc định: danh sách tệp)")
    save.set_defaults(func=cmd_save)
    plan = sub.add_parser("new-plan", help="tạo kế hoạch thứ Bảy tới của một xã từ kế hoạch tuần trước")
    plan.add_argument("commune", help="mã xã, thị trấn, ví dụ gung-re")
    plan.add_argument("--date", help="ngày thứ Bảy (YYYY-MM-DD); mặc định: thứ Bảy kế tiếp")
    plan.set_defaults(func=cmd_new_plan)
    excel = sub.add_parser(
        "nhap-excel",
        help="nhập bảng tính kế hoạch, kết quả (.xlsx) xã gửi về vào materials/",
        description="Đọc bảng tính kế hoạch hoặc kết quả do xã điền (tải từ trang web), kiểm tra như «ntm check» "
        "và ghi tệp YAML vào materials/. Tệp có lỗi không được ghi gì.",
    )
    excel.add_argument("files", nargs="*", metavar="TỆP.xlsx", help="các bảng tính nhận qua Zalo hoặc thư điện tử")
    excel.add_argument("--xa", metavar="MÃ_XÃ", help="chỉ nhận bảng tính của xã này (ví dụ gung-re)")
    excel.add_argument("--chi-kiem-tra", action="store_true", help="chỉ kiểm tra và in những gì sẽ thay đổi, không ghi tệp nào")
    excel.add_argument("--ghi-de", action="store_true",
                       help="cho phép thay kế hoạch, kết quả đã có bằng nội dung khác (các thay đổi được in ra)")
    excel.add_argument("--thu-muc", metavar="THƯ_MỤC", help="nhập mọi tệp trong thư mục này (ví dụ materials/nhap-excel)")
    excel.add_argument("--bao-cao", metavar="TỆP.md", help="ghi thêm báo cáo dạng Markdown (cho CI)")
    excel.add_argument("--xoa-da-nhap", action="store_true",
                       help="xóa khỏi --thu-muc các tệp đã nhập xong (nội dung đã nằm trong materials/)")
    excel.set_defaults(func=cmd_import_excel)
    photos = sub.add_parser(
        "them-anh",
        help="thêm ảnh ngày thứ Bảy của một xã (xóa vị trí GPS, thu nhỏ) vào kết quả",
        description="Chuẩn hóa ảnh (xoay đúng chiều, xóa vị trí GPS và thông tin máy ảnh, thu nhỏ còn 1600 điểm ảnh, JPEG) "
        "rồi thêm vào kết quả ngày thứ Bảy của xã. Lời mô tả mỗi ảnh lấy từ bảng thong-tin.csv hoặc hỏi từng ảnh. "
        "Có lỗi thì không ghi gì.",
    )
    photos.add_argument("commune", metavar="MÃ_XÃ", help="mã xã, thị trấn, ví dụ gung-re")
    photos.add_argument("date", metavar="NGÀY", help="ngày thứ Bảy, ví dụ 2023-03-04 hoặc 04/03/2023")
    photos.add_argument("files", nargs="+", metavar="ẢNH", help="các tệp ảnh, hoặc thư mục ảnh nhận qua Zalo")
    photos.add_argument("--ke-hoach", action="store_true", help="gắn ảnh vào kế hoạch của ngày đó thay vì kết quả")
    photos.add_argument("--thong-tin", metavar="BẢNG.csv", help="bảng mô tả ảnh (cột tep, mo_ta, chu_thich, giai_doan, thon, khong_dang)")
    photos.add_argument("--khong-hoi", action="store_true", help="không hỏi: ảnh nào chưa có mô tả trong bảng thì dừng")
    photos.set_defaults(func=cmd_add_photos)
    download = sub.add_parser(
        "anh-can-tai",
        help="(cho CI dùng Git LFS) in các ảnh cần tải về: ảnh mới chưa có trong bộ nhớ đệm .cache/anh",
    )
    download.set_defaults(func=cmd_photos_to_download)
    args = parser.parse_args(argv)
    return args.func(args)

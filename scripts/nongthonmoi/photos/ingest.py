"""``ntm them-anh``: photos "from Zalo" into a commune's Saturday.

Made for a Board staff member with a folder of photos a commune sent:

    ntm them-anh gung-re 2023-03-04 "Zalo Received Files/anh-gung-re"

Every photo goes through :func:`normalise.normalise_photo` (upright, no GPS
or camera data, 1,600 px, JPEG) and is stored as
``materials/anh/<xa>/<ngày>/anh-01.jpg``, ``anh-02.jpg``... (the original
never enters the repository); the result of that Saturday (or, with
``--ke-hoach``, the plan) gets one ``anh:`` entry per photo. What a photo
shows (its description, required, and caption, stage, hamlet, do-not-publish)
comes from a table the commune can fill in Excel (``--thong-tin``, or a file
``thong-tin.csv`` in the folder; columns named as the YAML fields: ``tep``
the original file name, ``mo_ta``, ``chu_thich``, ``giai_doan``, ``thon``,
``khong_dang``), or is asked photo by photo when the command runs in a
terminal. All or nothing: a photo refused, a description missing, and
nothing is written. A photo already in the folder (same picture) is skipped.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import rules
from ..errors import ContentError, ContentErrors
from ..inputfile import NotReadable, read_input
from . import MAX_INPUT_BYTES, PHOTOS_DIR
from .library import MIN_DESCRIPTION, describes
from .normalise import Normalised, PhotoRefused, megabytes, normalise_photo

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".jfif"}
SIDECAR_NAMES = ("thong-tin.csv", "mo-ta.csv")
_STAGES = {"trước": "trước", "truoc": "trước", "t": "trước", "trong": "trong", "l": "trong", "đang làm": "trong",
           "sau": "sau", "s": "sau"}
_YES = {"có", "co", "c", "x", "true", "1", "yes", "y"}
_NO = {"không", "khong", "k", "false", "0", "no", "n", ""}


class IngestError(Exception):
    """Nothing was written; the message says why (Vietnamese)."""


@dataclass
class Incoming:
    source: Path
    normalised: Normalised
    name: str = ""  # in the Saturday's folder
    info: dict = field(default_factory=dict)  # the YAML fields of the entry


@dataclass
class Added:
    record: Path
    photos: list[Incoming]
    skipped: list[str]
    warnings: list[str]


def parse_day(text: str) -> date:
    for pattern, order in ((r"^(\d{4})-(\d{1,2})-(\d{1,2})$", (0, 1, 2)), (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (2, 1, 0))):
        match = re.match(pattern, text.strip())
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise IngestError(f"Ngày «{text}» không đọc được: viết dạng 2023-03-04 hoặc 04/03/2023.")


def collect(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(photos, sidecar tables): named files as they are; in a folder, its
    image files (by name) and its thong-tin.csv."""
    photos, tables = [], []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
                if child.is_file() and child.name.lower() in SIDECAR_NAMES:
                    tables.append(child)
                elif child.is_file() and child.suffix.lower() in IMAGE_SUFFIXES and not child.name.startswith("."):
                    photos.append(child)
        elif path.is_file():
            (tables if path.suffix.lower() == ".csv" else photos).append(path)
        else:
            raise IngestError(f"Không có tệp hay thư mục «{path}».")
    return photos, tables


MAX_TABLE_BYTES = 1_000_000  # a table of 100 photos with long descriptions is under 100 KB
MAX_CELL = 2_000  # characters of one cell (a description's own limit)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def read_table(path: Path) -> dict[str, dict]:
    """Rows of a sidecar table by original file name (Excel's «CSV UTF-8»,
    comma or semicolon). Bounded before it is read; a row with more or fewer
    cells than the header, a cell too long, a quote left open: a Vietnamese
    message naming the table and the line."""
    try:
        data = read_input(path, MAX_TABLE_BYTES)
    except NotReadable as exc:
        raise IngestError(f"{path.name}: không đọc được bảng: {exc.reason}.") from None
    if len(data) > MAX_TABLE_BYTES:
        raise IngestError(f"{path.name}: bảng lớn hơn {megabytes(MAX_TABLE_BYTES)}; bảng mô tả ảnh chỉ vài chục KB. "
                          "Kiểm tra đúng tệp chưa.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(f"{path.name}: bảng không phải UTF-8. Trong Excel chọn Lưu thành «CSV UTF-8».") from None
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "tep", delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    rows: dict[str, dict] = {}
    header: list[str] | None = None
    number = 0
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # an empty line
            long = next((cell for cell in cells if len(cell) > MAX_CELL), None)
            if long is not None:
                raise IngestError(f"{path.name}, dòng {number}: một ô dài {_count(len(long))} ký tự, quá giới hạn "
                                  f"{_count(MAX_CELL)} ký tự. Viết mô tả ngắn lại (một câu).")
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                continue
            if len(cells) != len(header):
                more = len(cells) > len(header)
                raise IngestError(
                    f"{path.name}, dòng {number}: có {len(cells)} ô, {'nhiều' if more else 'ít'} hơn {len(header)} cột "
                    f"của dòng tiêu đề. " + ("Có dấu phẩy trong mô tả? Đặt mô tả trong ngoặc kép, hoặc lưu lại từ Excel "
                                             "dạng «CSV UTF-8»." if more else "Điền đủ các cột (để trống ô không có gì).")
                )
            clean = {key: cell.strip() for key, cell in zip(header, cells)}
            name = clean.get("tep", "")
            if not name:
                raise IngestError(f"{path.name}, dòng {number}: thiếu cột «tep» (tên tệp ảnh như trong thư mục).")
            rows[name.casefold()] = {**clean, "_where": f"{path.name}, dòng {number}"}
    except csv.Error as exc:
        # A field over csv's own limit, a NUL, a stray quote in strict dialects.
        line = reader.line_num or number or 1
        if "field larger" in str(exc):
            raise IngestError(f"{path.name}, dòng {line}: một ô dài quá giới hạn {_count(MAX_CELL)} ký tự. "
                              "Viết mô tả ngắn lại (một câu).") from None
        raise IngestError(f"{path.name}, dòng {line}: không đọc được dòng này (dấu ngoặc kép mở mà không đóng, hoặc ký tự lạ). "
                          "Mở bảng trong Excel rồi lưu lại dạng «CSV UTF-8».") from None
    return rows


def _entry(row: dict, unit, where: str) -> dict:
    """The YAML fields of a photo from a table row or the answers typed in."""
    info = {"mo_ta": row.get("mo_ta", "").strip()}
    if row.get("chu_thich"):
        info["chu_thich"] = row["chu_thich"].strip()
    stage = row.get("giai_doan", "").strip().lower()
    if stage:
        if stage not in _STAGES:
            raise IngestError(f"{where}: «{row['giai_doan']}» ở cột «giai_doan»: ghi «trước», «trong» hoặc «sau».")
        info["giai_doan"] = _STAGES[stage]
    hamlet = row.get("thon", "").strip()
    if hamlet:
        found = unit.hamlet(hamlet) or next((h for h in unit.hamlets if h.name.casefold() == hamlet.casefold()), None)
        if found is None:
            known = ", ".join(f"{h.id} ({h.name})" for h in unit.hamlets)
            raise IngestError(f"{where}: {unit.full_name} không có thôn «{hamlet}». Các thôn: {known}.")
        info["thon"] = found.id
    hidden = row.get("khong_dang", "").strip().lower()
    if hidden not in _YES | _NO:
        raise IngestError(f"{where}: cột «khong_dang» ghi «có» (không đăng ảnh) hoặc để trống.")
    if hidden in _YES:
        info["khong_dang"] = True
    return info


def _ask(photo: Incoming, number: int, count: int, unit, ask=input, say=print) -> dict:
    n = photo.normalised
    taken = f", chụp {n.taken:%d/%m/%Y %H:%M}" if n.taken else ""
    say(f"\nẢnh {number}/{count}: {photo.source.name} ({n.original_size[0]}×{n.original_size[1]}{taken})")
    while True:
        text = ask("  Mô tả: ảnh có gì (bắt buộc, một câu ngắn): ").strip()
        probe = _probe(text, photo)
        if probe is None:
            break
        say(f"  {probe}")
    row = {"mo_ta": text, "chu_thich": ask("  Chú thích in dưới ảnh (Enter để bỏ qua): ").strip()}
    while True:
        stage = ask("  Chụp trước, trong hay sau khi làm? (t = trước, l = trong, s = sau, Enter = bỏ qua): ").strip().lower()
        if stage in _STAGES or not stage:
            row["giai_doan"] = stage
            break
    hamlets = "; ".join(f"{i} = {h.name}" for i, h in enumerate(unit.hamlets, start=1))
    while True:
        answer = ask(f"  Thôn ({hamlets}; Enter = bỏ qua; đừng ghi số nhà): ").strip()
        if not answer:
            break
        if answer.isdigit() and 1 <= int(answer) <= len(unit.hamlets):
            row["thon"] = unit.hamlets[int(answer) - 1].id
            break
    answer = ask("  Đăng ảnh này lên trang web? (C = có, k = không, ví dụ người trong ảnh chưa đồng ý): ").strip().lower()
    row["khong_dang"] = "có" if answer in ("k", "không", "khong", "n") else ""
    return _entry(row, unit, photo.source.name)


def _probe(text: str, photo: Incoming) -> str | None:
    """Why a description does not do (None: it does)."""
    from ..models.photos import Photo

    if not text:
        return "Cần một câu mô tả: người khiếm thị nghe câu này thay cho ảnh."
    if not describes(Photo(file="anh.jpg", description=text)):
        return f"Mô tả «{text}» chưa nói ảnh có gì: tả người, việc, nơi trong ảnh (ít nhất {MIN_DESCRIPTION} ký tự)."
    if len(text) > 250:
        return "Mô tả dài quá 250 ký tự: viết ngắn lại, chi tiết để ở chú thích."
    return None


def add_photos(root: Path, unit_id: str, day: date, paths: list[Path], *, to_plan: bool = False,
               table: Path | None = None, interactive: bool | None = None, ask=input, say=print) -> Added:
    from ..models.photos import MAX_PHOTOS, Photo
    from ..models.plans import SaturdayPlan
    from ..models.results import SaturdayResult
    from ..saturday.data import load_units, plan_path, result_path
    from ..workbooks.yamlfile import leading_comments, record_text, schema_line
    from ..yamlsource import load_yaml
    from ..models.base import validate

    units = load_units(root)
    unit = units.by_id().get(unit_id)
    if unit is None:
        raise IngestError(f"Không có xã, thị trấn mã «{unit_id}». Các mã: {', '.join(u.id for u in units.units)}.")
    if day.weekday() != 5:
        raise IngestError(f"Ngày {day:%d/%m/%Y} không phải thứ Bảy.")
    rel = (plan_path if to_plan else result_path)(unit_id, day)
    record_file = root / rel
    if not record_file.is_file():
        what = "kế hoạch" if to_plan else "kết quả"
        other = "" if to_plan else " Hoặc gắn ảnh vào kế hoạch của ngày đó: thêm «--ke-hoach»."
        raise IngestError(f"Chưa có {what} của {unit.full_name} ngày {day:%d/%m/%Y} ({rel}): thêm {what} trước rồi thêm ảnh.{other}")
    model = SaturdayPlan if to_plan else SaturdayResult
    original = record_file.read_text(encoding="utf-8")
    try:
        record = validate(model, load_yaml(record_file, rel))
    except ContentErrors as exc:
        raise IngestError(f"{rel} đang có lỗi, sửa trước rồi thêm ảnh:\n{exc}") from None

    photos, tables = collect(paths)
    if table is not None:
        tables.append(table)
    if not photos:
        raise IngestError("Không có ảnh nào để thêm (ảnh .jpg, .jpeg, .png, .webp).")
    rows: dict[str, dict] = {}
    for path in tables:
        rows.update(read_table(path))

    errors: list[ContentError] = []
    incoming: list[Incoming] = []
    for path in photos:
        try:
            # At most the limit + 1 bytes, a regular file only: normalise_photo
            # refuses what is over the limit (A006) before any decoding.
            incoming.append(Incoming(path, normalise_photo(read_input(path, MAX_INPUT_BYTES), path.name)))
        except PhotoRefused as exc:
            errors.append(exc.error)
        except NotReadable as exc:
            errors.append(rules.error("A011", path.name, 0, file=path.name, problem=exc.reason))
    if errors:
        raise ContentErrors(errors)

    folder = root / "materials" / PHOTOS_DIR / unit_id / day.isoformat()
    existing = {p.name: p for p in folder.glob("*.jpg")} if folder.is_dir() else {}
    known = {_sha(p): name for name, p in existing.items()}
    skipped, fresh, seen = [], [], {}
    for photo in incoming:
        sha = photo.normalised.sha256
        if sha in known:
            skipped.append(f"{photo.source.name}: đã có ({known[sha]}), bỏ qua.")
        elif sha in seen:
            skipped.append(f"{photo.source.name}: trùng với {seen[sha]}, bỏ qua.")
        else:
            seen[sha] = photo.source.name
            fresh.append(photo)
    if not fresh:
        return Added(record_file, [], skipped, [])
    if len(record.photos) + len(fresh) > MAX_PHOTOS:
        raise IngestError(f"{rel} đã có {len(record.photos)} ảnh; thêm {len(fresh)} ảnh nữa là quá {MAX_PHOTOS} ảnh một ngày. Chọn ảnh tiêu biểu nhất.")

    interactive = sys.stdin.isatty() if interactive is None else interactive
    missing = []
    for number, photo in enumerate(fresh, start=1):
        row = rows.get(photo.source.name.casefold())
        if row is not None:
            photo.info = _entry(row, unit, row["_where"])
            problem = _probe(photo.info["mo_ta"], photo)
            if problem is not None:
                raise IngestError(f"{row['_where']} ({photo.source.name}): {problem}")
        elif interactive:
            photo.info = _ask(photo, number, len(fresh), unit, ask, say)
        else:
            missing.append(photo.source.name)
    if missing:
        raise IngestError(
            "Chưa có mô tả cho: " + ", ".join(missing) + ". Mỗi ảnh cần một câu mô tả (ảnh có gì). Ghi vào bảng thong-tin.csv "
            "(cột tep, mo_ta, chu_thich, giai_doan, thon, khong_dang) đặt trong thư mục ảnh, hoặc chạy lệnh trong cửa sổ lệnh để trả lời từng ảnh."
        )

    warnings = []
    taken_on = [p for p in fresh if p.normalised.taken and p.normalised.taken.date() != day]
    for photo in taken_on:
        warnings.append(f"{photo.source.name}: máy ghi ảnh chụp ngày {photo.normalised.taken:%d/%m/%Y}, không phải thứ Bảy {day:%d/%m/%Y}. "
                        "Kiểm tra lại đúng ảnh của ngày này chưa.")
    number = _next_number(existing)
    for photo in fresh:
        photo.name = f"anh-{number:02d}.jpg"
        number += 1
    new_photos = [*record.photos, *(Photo(file=p.name, **{_FIELD[k]: v for k, v in p.info.items()}) for p in fresh)]
    updated = record.model_copy(update={"photos": new_photos})
    text = record_text(updated, leading_comments(original) or schema_line("ke-hoach" if to_plan else "ket-qua"))
    _write_all(root, folder, fresh, record_file, rel, text)
    return Added(record_file, fresh, skipped, warnings)


_FIELD = {"mo_ta": "description", "chu_thich": "caption", "giai_doan": "stage", "thon": "hamlet", "khong_dang": "unpublished"}


def _sha(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(read_input(path, MAX_INPUT_BYTES)).hexdigest()
    except NotReadable:
        return ""  # not a photo of the folder: P016/P017 name it


def _next_number(existing: dict[str, Path]) -> int:
    numbers = [int(m.group(1)) for name in existing if (m := re.match(r"^anh-(\d+)\.jpg$", name))]
    return max(numbers, default=0) + 1


def _write_all(root: Path, folder: Path, fresh: list[Incoming], record_file: Path, rel: str, text: str) -> None:
    """Photos, then the record, checked as ``ntm check`` would before the record
    is written; on any problem of ours the photos are taken back."""
    from ..atomicfile import write_atomically
    from ..materials import load_materials

    written = []
    try:
        for photo in fresh:
            target = folder / photo.name
            write_atomically(target, photo.normalised.data)
            written.append(target)
        ours = {rel, *(f"materials/{PHOTOS_DIR}/{p.relative_to(root / 'materials' / PHOTOS_DIR).as_posix()}" for p in written)}
        try:
            load_materials(root, overlay={rel: text})
        except ContentErrors as exc:
            mine = [e for e in exc.errors if e.path in ours]
            if mine:
                raise ContentErrors(mine) from None
        write_atomically(record_file, text.encode("utf-8"))
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            os.rmdir(folder)
        raise

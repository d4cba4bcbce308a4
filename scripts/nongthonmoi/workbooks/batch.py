"""A batch of workbooks imported together: what each would change, then
(only when asked) the writing. The one entry point for the command line, the
web editor and CI: :func:`import_batch`.

1. Each file is read on its own (``importer.read_form``): plans first, so
   that a result is checked against the plan of the same batch when there is
   one (else the repository's).
2. The batch must agree with itself: two files for the same commune and
   Saturday with different content are both refused; with the same content,
   the second is reported as a duplicate. A result whose plan in the batch
   is refused or not written is refused too.
3. Each record is compared with the file in ``materials/``: new, unchanged,
   or different. Different content replaces the file only with
   ``overwrite`` (``--ghi-de``); either way the changes are listed, old -> new.
4. Only with ``write`` are files written, each atomically, and only if the
   file on disk is still the one compared in step 3 (and, when ``confirm``
   is given, only if the whole plan of writes is still the one previewed).

The report (:class:`BatchReport`) carries Vietnamese text for every line and
serialises to JSON (:meth:`BatchReport.to_dict`) for a web page.
"""

from __future__ import annotations

import hashlib
import threading
import time as clock
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..atomicfile import write_atomically
from ..errors import ContentError, ContentErrors
from ..models.plans import SaturdayPlan
from ..saturday import data as saturday_data
from . import messages
from .changes import Change, record_changes, summary
from .importer import Candidate, Repository, counterpart_errors, identify, names_in, no_plan_error, read_form
from .layout import PLAN, RESULT
from .package import LIMITS, Limits, Refused, open_workbook, refuse
from .yamlfile import leading_comments, record_text, schema_line

MAX_FILES = 50  # one batch; each file is at most package.LIMITS.max_bytes
KIND_TEXT = {PLAN: "Kế hoạch", RESULT: "Kết quả"}
_WRITING = threading.Lock()  # one batch writes at a time (the web editor may call from threads)

# Statuses of a workbook in a report.
NEW, UPDATED, UNCHANGED, DUPLICATE, NEEDS_OVERWRITE, ERROR = "new", "updated", "unchanged", "duplicate", "needs-overwrite", "error"


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (Zalo renames files; only shown) and its bytes."""

    name: str
    content: bytes


@dataclass
class WorkbookReport:
    file: str
    status: str = ""  # set once the file is read: one of the statuses above
    kind: str = ""
    unit_id: str = ""
    unit_name: str = ""
    saturday: date | None = None
    target: str = ""
    summary: str = ""
    changes: list[Change] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    duplicate_of: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.status not in (ERROR, NEEDS_OVERWRITE)

    def headline(self, write: bool) -> str:
        """One Vietnamese line: what the file is and what happens to it."""
        what = ""
        if self.kind and self.unit_name and self.saturday:
            what = f"{KIND_TEXT[self.kind]} của {self.unit_name}, thứ Bảy {self.saturday:%d/%m/%Y}"
        return f"{self.file}: {what + ': ' if what else ''}{self.outcome(write)}"

    def outcome(self, write: bool) -> str:
        """What happens to the file, whole: «KHÔNG GHI: … cần ghi đè (--ghi-de)»."""
        detail = f" ({self.summary})" if self.summary else ""
        later = "" if write else " — chưa ghi: chỉ kiểm tra"
        status = {
            NEW: f"đã tạo {self.target}{detail}" if self.written else f"sẽ tạo {self.target}{detail}{later}",
            UPDATED: f"đã cập nhật {self.target}{detail}" if self.written else f"sẽ cập nhật {self.target}{detail}{later}",
            UNCHANGED: f"không thay đổi ({self.target} đã có đúng nội dung này)",
            DUPLICATE: f"trùng với tệp «{self.duplicate_of}» (cùng nội dung): chỉ ghi một lần",
            NEEDS_OVERWRITE: f"KHÔNG GHI: {self.target} đã có nội dung khác; cần ghi đè (--ghi-de)",
            ERROR: f"KHÔNG NHẬP, có {len(self.errors)} lỗi; chưa ghi gì",
        }[self.status]
        return status

    def to_dict(self, write: bool) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "ok": self.ok,
            "written": self.written,
            "kind": self.kind,
            "kind_text": KIND_TEXT.get(self.kind, ""),
            "unit": self.unit_id,
            "unit_name": self.unit_name,
            "saturday": self.saturday.isoformat() if self.saturday else None,
            "target": self.target,
            "summary": self.summary,
            "headline": self.headline(write),
            "changes": [{"field": c.field, "old": c.old, "new": c.new, "text": str(c)} for c in self.changes],
            "errors": [{"rule": e.rule, "where": e.cell or (f"{e.path}:{e.line}" if e.line else e.path),
                        "message": e.message, "fix": e.hint, "text": str(e)} for e in self.errors],
        }


@dataclass
class BatchReport:
    workbooks: list[WorkbookReport]
    write: bool
    overwrite: bool
    token: str = ""  # of the writes this batch makes (or would make): pass it back as ``confirm``

    @property
    def ok(self) -> bool:
        return all(w.ok for w in self.workbooks)

    @property
    def failed(self) -> int:
        return sum(not w.ok for w in self.workbooks)

    def lines(self) -> list[str]:
        """The whole report as plain Vietnamese lines (terminal, commit message)."""
        out = []
        for book in self.workbooks:
            out.append(book.headline(self.write))
            for error in book.errors:
                out += ["  " + line for line in str(error).split("\n")]
            out += [f"    {c}" for c in book.changes]
        out.append(self.conclusion())
        return out

    def conclusion(self) -> str:
        count = len(self.workbooks)
        if self.failed:
            return f"{self.failed}/{count} tệp có lỗi hoặc cần ghi đè: sửa theo «Cách sửa», rồi nhập lại các tệp đó."
        if not self.write:
            return f"{count} tệp hợp lệ; chưa ghi gì (chỉ kiểm tra)."
        written = sum(w.written for w in self.workbooks)
        return f"{count} tệp hợp lệ; đã ghi {written} tệp vào materials/."

    def markdown(self) -> str:
        """The report for a CI job summary or a merge request: a table, then the details."""
        mode = "đã ghi vào bản nháp" if self.write else "chỉ kiểm tra, chưa ghi"
        out = [f"## Nhập bảng tính Excel ({mode})", "", "| Tệp | Nội dung | Kết quả |", "| --- | --- | --- |"]
        for book in self.workbooks:
            what = f"{KIND_TEXT.get(book.kind, '')} {book.unit_name} {book.saturday:%d/%m/%Y}" if book.saturday else ""
            out.append(f"| {_cell(book.file)} | {_cell(what)} | {_cell(book.outcome(self.write))} |")
        out.append("")
        for book in self.workbooks:
            if not (book.changes or book.errors):
                continue
            out += [f"### {_cell(book.file)}", ""]
            for error in book.errors:
                where = error.cell or error.path
                out.append(f"- **{error.rule}** {_cell(where)}: {_cell(error.message)}  \n  Cách sửa: {_cell(error.hint)}")
            out += [f"- {_cell(str(c))}" for c in book.changes]
            out.append("")
        out.append(self.conclusion())
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict:
        return {"ok": self.ok, "write": self.write, "overwrite": self.overwrite, "token": self.token,
                "conclusion": self.conclusion(), "workbooks": [w.to_dict(self.write) for w in self.workbooks],
                "text": "\n".join(self.lines())}


def _cell(text: str) -> str:
    """Text inside a Markdown table or list: no markup from a file name or a cell."""
    for ch in "\\|*_`<>[]#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def display_name(name: str) -> str:
    """A received file's name as shown: its last part, printable, not too long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    return (base[:100] + "…") if len(base) > 100 else (base or "(không tên)")


@dataclass
class _Entry:
    upload: Upload
    report: WorkbookReport
    meta: object = None
    unit: object = None
    candidate: Candidate | None = None
    plan_from: _Entry | None = None  # the batch's plan a result was checked against
    old_bytes: bytes | None = None
    new_text: str = ""


def _fail(entry: _Entry, errors: list[ContentError]) -> None:
    entry.report.status = ERROR
    entry.report.errors = sorted(set(entry.report.errors + list(errors)))
    entry.candidate = None


def _open(entry: _Entry, limits: Limits):
    try:
        return open_workbook(entry.upload.content, entry.report.file, limits)
    except Refused as exc:
        raise ContentErrors([exc.error]) from None


def _guard(entry: _Entry, step: Callable[[], None]) -> None:
    """Run one step of one file: any problem is that file's, never a traceback."""
    try:
        step()
    except ContentErrors as exc:
        _fail(entry, exc.errors)
    except Exception as exc:  # a bug of the importer itself: name the file and what broke
        _fail(entry, [refuse(entry.report.file, "unexpected", detail=f"{type(exc).__name__}: {exc}").error])


class _Progress:
    """Calls ``report`` with a line per step once the batch has taken over a second."""

    def __init__(self, report: Callable[[str], None] | None):
        self.report, self.start = report, clock.monotonic()

    def __call__(self, text: str) -> None:
        if self.report is not None and clock.monotonic() - self.start > 1.0:
            self.report(text)


def _same_key_groups(entries: list[_Entry], kind: str) -> dict[tuple, list[_Entry]]:
    groups: dict[tuple, list[_Entry]] = {}
    for entry in entries:
        if entry.candidate is not None and entry.candidate.kind == kind:
            groups.setdefault(entry.candidate.key, []).append(entry)
    return groups


def _settle_duplicates(entries: list[_Entry], kind: str) -> None:
    """Same commune and Saturday twice: identical content is one record, different content no record."""
    for group in _same_key_groups(entries, kind).values():
        if len(group) < 2:
            continue
        first = group[0]
        if all(e.candidate.record == first.candidate.record for e in group):
            for other in group[1:]:
                other.report.status, other.report.duplicate_of = DUPLICATE, first.report.file
                other.candidate = None
            continue
        unit, day = first.candidate.unit.full_name, first.candidate.record.date
        for entry in group:
            others = ", ".join(e.report.file for e in group if e is not entry)
            _fail(entry, [messages.error("batch-duplicate", entry.report.file, 0, "", other=others,
                                         what=KIND_TEXT[kind].lower(), unit=unit, date=f"{day:%d/%m/%Y}")])


def _describe(entry: _Entry) -> None:
    candidate, report = entry.candidate, entry.report
    report.kind, report.unit_id, report.unit_name = candidate.kind, candidate.unit.id, candidate.unit.full_name
    report.saturday, report.target = candidate.record.date, candidate.target
    report.summary = summary(candidate.record, candidate.kind)


def _compare(repo: Repository, entry: _Entry, overwrite: bool) -> None:
    """New, unchanged or different from the file in materials/; the text to write."""
    candidate, report = entry.candidate, entry.report
    path = repo.root / candidate.target
    kind = candidate.kind
    if not path.is_file():
        report.status = NEW
        entry.new_text = record_text(candidate.record, schema_line(kind))
        return
    entry.old_bytes = path.read_bytes()
    old_text = entry.old_bytes.decode("utf-8", errors="replace")
    try:
        found = repo.record(candidate.target, type(candidate.record))
        old = found[1] if found else None
    except ContentErrors:
        old = None  # the file is broken today: the valid workbook replaces it (with the option)
    if old is not None:
        candidate.record = keep_unsheeted(candidate.record, old)
    if old == candidate.record:
        report.status = UNCHANGED
        return
    head = leading_comments(old_text) or schema_line(kind)
    entry.new_text = record_text(candidate.record, head)
    names = names_in(candidate.sheet)
    report.changes = record_changes(old, candidate.record, kind, names) if old is not None else [
        _broken_change(candidate.target)]
    if overwrite:
        report.status = UPDATED
    else:
        report.status = NEEDS_OVERWRITE
        report.errors = [messages.error("needs-overwrite", report.file, 0, "", what=KIND_TEXT[kind].lower(),
                                        unit=candidate.unit.full_name, date=f"{candidate.record.date:%d/%m/%Y}",
                                        target=candidate.target)]


def keep_unsheeted(record, old):
    """The fields a workbook never carries (the photos: layout.in_workbook)
    keep what the file had: importing a result form must not drop its photos."""
    from .layout import in_workbook

    kept = {name: getattr(old, name) for name, info in type(record).model_fields.items() if not in_workbook(info)}
    return record.model_copy(update=kept) if kept else record


def _broken_change(target: str) -> Change:
    return Change(target, "tệp hiện có bị lỗi (ntm check báo)", "nội dung của bảng tính")


def _token(entries: list[_Entry]) -> str:
    digest = hashlib.sha256()
    for entry in entries:
        if entry.report.status in (NEW, UPDATED):
            old = hashlib.sha256(entry.old_bytes or b"").hexdigest()
            digest.update(f"{entry.report.target}\0{old}\0{entry.new_text}\0".encode())
    return digest.hexdigest()[:24]


def import_batch(root: Path, uploads: list[Upload], *, write: bool = False, overwrite: bool = False,
                 expect_unit: str | None = None, confirm: str | None = None,
                 progress: Callable[[str], None] | None = None, limits: Limits = LIMITS) -> BatchReport:
    """Check a batch of received workbooks against the repository at ``root``;
    with ``write``, write what is valid. Never raises for a bad file."""
    entries = [_Entry(u, WorkbookReport(display_name(u.name))) for u in uploads]
    report = BatchReport([e.report for e in entries], write, overwrite)
    if len(uploads) > MAX_FILES:
        for entry in entries:
            _fail(entry, [messages.error("too-many-files", entry.report.file, 0, "", limit=MAX_FILES, count=len(uploads))])
        return report
    try:
        repo = Repository.load(root)
    except ContentErrors as exc:
        for entry in entries:
            _fail(entry, exc.errors)
        return report
    step = _Progress(progress)
    total = len(entries)

    # 1. Plans first (a result needs its plan); results are only identified.
    def first_pass(entry: _Entry, number: int) -> None:
        step(f"Đang đọc tệp {number}/{total}: {entry.report.file}")
        wb = _open(entry, limits)
        entry.meta, entry.unit = identify(repo, wb, entry.report.file)
        # Who and when, from the hidden sheet: shown even if the file is refused.
        entry.report.kind, entry.report.unit_id = entry.meta.kind, entry.unit.id
        entry.report.unit_name, entry.report.saturday = entry.unit.full_name, entry.meta.saturday
        if entry.meta.kind == PLAN:
            entry.candidate = read_form(repo, wb, entry.meta, entry.unit, entry.report.file, expect_unit)

    for number, entry in enumerate(entries, start=1):
        _guard(entry, lambda entry=entry, number=number: first_pass(entry, number))
    _settle_duplicates(entries, PLAN)
    batch_plans = {e.candidate.key: e for e in entries if e.candidate is not None and e.candidate.kind == PLAN}
    refused_plans = {(e.unit.id, e.meta.saturday): e for e in entries
                     if e.meta is not None and e.meta.kind == PLAN and e.report.status == ERROR}

    # 2. Results, each against the batch's plan for its Saturday, else the repository's.
    def second_pass(entry: _Entry, number: int) -> None:
        step(f"Đang đọc tệp {number}/{total}: {entry.report.file}")
        key = (entry.unit.id, entry.meta.saturday)
        plan_entry = batch_plans.get(key)
        if plan_entry is None and key in refused_plans:
            raise ContentErrors([_plan_refused(entry, refused_plans[key])])
        if plan_entry is not None:
            plan = plan_entry.candidate.record
            entry.plan_from = plan_entry
        else:
            found = repo.record(saturday_data.plan_path(*key), SaturdayPlan)
            plan = found[1] if found else None
            if plan is None:
                raise ContentErrors([no_plan_error(entry.report.file, entry.unit, entry.meta.saturday)])
        wb = _open(entry, limits)
        entry.candidate = read_form(repo, wb, entry.meta, entry.unit, entry.report.file, expect_unit, plan)

    for number, entry in enumerate(entries, start=1):
        if entry.meta is not None and entry.meta.kind == RESULT and not entry.report.errors:
            _guard(entry, lambda entry=entry, number=number: second_pass(entry, number))
    _settle_duplicates(entries, RESULT)

    # 3. A new plan must still fit the result already filed, unless the batch replaces that result too.
    batch_results = {e.candidate.key for e in entries if e.candidate is not None and e.candidate.kind == RESULT}
    for entry in entries:
        if entry.candidate is not None and entry.candidate.kind == PLAN and entry.candidate.key not in batch_results:
            _guard(entry, lambda entry=entry: _raise(counterpart_errors(repo, entry.candidate.record)))

    # 4. Against the repository.
    step("Đang so với dữ liệu đã có")
    for entry in entries:
        if entry.candidate is not None:
            _describe(entry)
            _guard(entry, lambda entry=entry: _compare(repo, entry, overwrite))
    # A result checked against a plan of the batch that will not be written is not written either.
    for entry in entries:
        plan_entry = entry.plan_from
        if entry.candidate is not None and plan_entry is not None and plan_entry.report.status in (ERROR, NEEDS_OVERWRITE):
            _fail(entry, [_plan_refused(entry, plan_entry)])
    report.token = _token(entries)

    if write:
        _write(repo, entries, report, confirm, step)
    return report


def _raise(errors: list[ContentError]) -> None:
    if errors:
        raise ContentErrors(errors)


def _plan_refused(entry: _Entry, plan_entry: _Entry) -> ContentError:
    return messages.error("batch-plan-error", entry.report.file, 0, "", unit=entry.unit.full_name,
                          date=f"{entry.meta.saturday:%d/%m/%Y}", other=plan_entry.report.file)


def _write(repo: Repository, entries: list[_Entry], report: BatchReport, confirm: str | None, step) -> None:
    todo = [e for e in entries if e.report.status in (NEW, UPDATED)]
    with _WRITING:
        if confirm is not None and confirm != report.token:
            for entry in todo:
                _fail(entry, [messages.error("changed-meanwhile", entry.report.file, 0, "", target=entry.report.target)])
            return
        for entry in todo:
            path = repo.root / entry.report.target
            now = path.read_bytes() if path.is_file() else None
            if now != entry.old_bytes:  # changed since it was compared (another import, an editor)
                _fail(entry, [messages.error("changed-meanwhile", entry.report.file, 0, "", target=entry.report.target)])
                continue
            step(f"Đang ghi {entry.report.target}")

            def put(entry=entry, path=path):
                write_atomically(path, entry.new_text.encode("utf-8"))  # all or nothing: never half a file
                entry.report.written = True

            _guard(entry, put)

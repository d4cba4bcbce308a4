"""Handouts made from data: a plan sheet per commune per Saturday, and the
blank result form.

Both read the issue-4 models on ``Materials.saturday`` (never the YAML): the
plan sheet prints a :class:`SaturdayPlan` with the names of its hamlets and
supporting agencies; the result form has one blank per field of
:class:`SaturdayResult`, and the build stops if the model gains a field the
form does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import ContentError, ContentErrors
from ..models.plans import SaturdayPlan, report_deadline, staff_list_deadline
from ..models.results import AgencyTurnout, SaturdayResult, TaskDone
from .catalog import Handout

# Labels on the paper form, one per field of SaturdayResult (YAML names).
RESULT_FORM_FIELDS = {
    "xa": "Xã, thị trấn",
    "ngay": "Ngày thứ Bảy",
    "so_ho_tham_gia": "Số hộ dân tham gia",
    "tong_so_ho": "Tổng số hộ dân của xã, thị trấn",
    "can_bo_xa": "Số cán bộ, công chức, đảng viên của xã tham gia",
    "co_quan_tham_gia": "Cơ quan, đơn vị của huyện tham gia",
    "khoi_luong_da_lam": "Khối lượng đã làm theo từng phần việc",
    "rac_thu_gom": "Khối lượng rác đã thu gom",
    "ghi_chu": "Nhận xét, kiến nghị",
}
# Columns of the two tables of the form.
AGENCY_COLUMNS = {"co_quan": "Cơ quan, đơn vị", "so_nguoi": "Số người"}
TASK_COLUMNS = {"phan_viec": "Phần việc (theo kế hoạch)", "da_lam": "Khối lượng đã làm", "ghi_chu": "Ghi chú"}
# Not on paper: whether the data is an example is decided by whoever types it
# in; photos come as files (ntm them-anh), not written on a form.
NOT_ON_FORM = {"vi_du", "anh"}

RESULTS_MODEL_FILE = "scripts/nongthonmoi/models/results.py"


def _aliases(model) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def check_result_form() -> list[ContentError]:
    """The paper form must have exactly the fields of the result model."""
    problems = []
    for model, labels, skip in (
        (SaturdayResult, RESULT_FORM_FIELDS, NOT_ON_FORM),
        (AgencyTurnout, AGENCY_COLUMNS, set()),
        (TaskDone, TASK_COLUMNS, set()),
    ):
        missing = _aliases(model) - set(labels) - skip
        extra = set(labels) - _aliases(model)
        if missing or extra:
            problems.append(
                ContentError(
                    RESULTS_MODEL_FILE,
                    0,
                    f"Mẫu báo cáo in chưa khớp với dữ liệu kết quả ({model.__name__}): "
                    f"thiếu {sorted(missing)}, thừa {sorted(extra)}.",
                    "Sửa RESULT_FORM_FIELDS trong scripts/nongthonmoi/handouts/sheets.py.",
                )
            )
    return problems


@dataclass(frozen=True)
class TaskRow:
    number: int
    description: str
    quantity: str
    hamlets: list[str]
    place: str | None
    tools: list[str]
    participants: list[str]
    agencies: list[str]
    lead: str | None


def _plan_context(plan: SaturdayPlan, unit, agencies) -> dict:
    by_id = agencies.by_id()
    rows = []
    used = []
    for number, task in enumerate(plan.tasks, start=1):
        hamlets = [(unit.hamlet(h).name if unit.hamlet(h) else h) for h in task.hamlets]
        names = [by_id[a].name if a in by_id else a for a in task.supporting_agencies]
        used += [a for a in task.supporting_agencies if a not in used]
        rows.append(
            TaskRow(
                number=number,
                description=task.description,
                quantity=str(task.quantity),
                hamlets=hamlets,
                place=task.place,
                tools=list(task.tools),
                participants=list(task.participants),
                agencies=names,
                lead=task.lead,
            )
        )
    return {
        "plan": plan,
        "unit": unit,
        "tasks": rows,
        # Only what the sheet prints, so an edit elsewhere does not re-render it.
        "agencies_used": [by_id[a] for a in used if a in by_id],
        "assignment_is_example": agencies.assignment_is_example and bool(used),
        "wednesday": staff_list_deadline(plan.date),
        "monday": report_deadline(plan.date),
    }


# Plan sheets are made for pinning up before a Saturday: for the coming
# Saturday and the Saturdays after it that already have plans (as many as the
# page "Thứ Bảy này" shows), and for the PAST_SATURDAYS latest Saturdays before
# it that have plans (last week's sheet is where the "Đã làm" column is
# filled in for the Monday report). Any other plan page prints from the
# browser with the site's print stylesheet and says so (web/no-sheet.html).
PAST_SATURDAYS = 2


def sheet_saturdays(saturdays: list[date], coming: date) -> list[date]:
    """The Saturdays whose plans get a printed sheet, oldest first."""
    from ..saturday.context import WEEKS_AHEAD

    past = [d for d in saturdays if d < coming][-PAST_SATURDAYS:]
    ahead = [d for d in saturdays if d > coming][:WEEKS_AHEAD]
    return [*past, *([coming] if coming in saturdays else []), *ahead]


def default_coming() -> date:
    from ..buildday import build_day, coming_saturday

    return coming_saturday(build_day())


def plan_handouts(saturday, days: list[date] | None = None) -> list[Handout]:
    """Plan sheets of the Saturdays ``days`` (None: of every plan), and one
    packet per Saturday with two plans or more: all its sheets in one PDF,
    for the district to print and hand out."""
    from ..saturday.data import plan_path
    from ..saturday.site import plan_page, saturday_page

    units = saturday.units.by_id()
    wanted = None if days is None else set(days)
    handouts = []
    packets: dict[date, list[Handout]] = {}
    for (unit_id, day), plan in sorted(saturday.plans.items()):
        if wanted is not None and day not in wanted:
            continue
        unit = units[unit_id]
        context = _plan_context(plan, unit, saturday.agencies)
        sheet = Handout(
            slug=f"ke-hoach-{unit_id}-{day.isoformat()}",
            title=f"Kế hoạch ngày thứ Bảy {day.strftime('%d/%m/%Y')}",
            kind="Kế hoạch tuần" + (" (ví dụ)" if plan.is_example else ""),
            paper="A4",
            template="plan.html",
            home=plan_page(unit_id, day),
            document="422-tb-hu",
            data=context,
            sources=(plan_path(unit_id, day), "materials/don-vi.yml", "materials/co-quan.yml"),
            group=f"Kế hoạch ngày thứ Bảy: {unit.full_name}",
        )
        handouts.append(sheet)
        packets.setdefault(day, []).append(sheet)
    out = []
    for day, sheets in sorted(packets.items()):
        if len(sheets) < 2:
            continue
        example = any(s.data["plan"].is_example for s in sheets)
        out.append(
            Handout(
                slug=f"ke-hoach-ca-huyen-{day.isoformat()}",
                title=f"Kế hoạch ngày thứ Bảy {day.strftime('%d/%m/%Y')}: {len(sheets)} xã, thị trấn",
                kind=f"Tập kế hoạch tuần, {len(sheets)} xã, thị trấn" + (" (ví dụ)" if example else ""),
                paper="A4",
                template="",
                home=saturday_page(day),
                document="422-tb-hu",
                sources=tuple(s for sheet in sheets for s in sheet.sources),
                group="Kế hoạch ngày thứ Bảy: cả huyện",
                members=tuple(s.slug for s in sheets),
            )
        )
    return out + handouts


def result_form() -> Handout:
    return Handout(
        slug="mau-bao-cao-ket-qua",
        title="Báo cáo kết quả ngày thứ Bảy",
        kind="Mẫu báo cáo (để trống)",
        paper="A4",
        template="result-form.html",
        home="ket-qua/index.md",
        document="422-tb-hu",
        data={
            "fields": RESULT_FORM_FIELDS,
            "agency_columns": AGENCY_COLUMNS,
            "task_columns": TASK_COLUMNS,
            "model": sorted(_aliases(SaturdayResult)),
        },
        sources=(RESULTS_MODEL_FILE,),
        group="Mẫu báo cáo",
    )


def data_handouts(materials, coming: date | None = None) -> list[Handout]:
    saturday = getattr(materials, "saturday", None)
    if saturday is None:
        return []
    problems = check_result_form()
    if problems:
        raise ContentErrors(problems)
    days = sheet_saturdays(saturday.saturdays, coming or default_coming())
    return [result_form(), *plan_handouts(saturday, days)]

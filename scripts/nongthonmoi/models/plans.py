"""A commune's plan for one Saturday (``materials/ke-hoach/<xa>/<yyyy-mm-dd>.yml``).

Notice 422-TB/HU, section II.3.1, says each plan must state "nội dung, các
phần việc cụ thể, tính toán thời gian, lượng hóa khối lượng công việc, khu
vực thực hiện, công cụ, phương tiện lao động, các thành phần tham gia của địa
phương, cơ quan, đơn vị hỗ trợ, công tác chỉ đạo, tổ chức thực hiện...; trong
đó quan tâm đến việc thu gom, xử lý rác". Every one of those is a field here,
so a plan that leaves one out fails the check. The PDF handouts print the
same model as a weekly plan sheet.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated, Any

from pydantic_core import PydanticCustomError
from pydantic import ConfigDict, BeforeValidator, Field, WithJsonSchema, model_validator

from .photos import PhotoList, photos_field
from .base import AgencyId, Amount, HamletId, MAX_ITEMS, MAX_TASKS, Model, OptionalText, SaturdayDate, Slug, Text, UnitId, ViDate

_CLOCK = re.compile(r"(\d{1,2})\s*(?:h|g|giờ|:)\s*(\d{0,2})\s*(?:p|phút)?", re.IGNORECASE)
# No time of day is written in more characters; the pattern is only tried on
# text this short (its neighbouring optional spaces backtrack on long runs).
_CLOCK_MAX = 20


def _parse_clock(value: Any) -> Any:
    """Accept '7h00', '7h', '7:30', '13 giờ 30'.

    YAML 1.1 reads an unquoted 7:30 as the number 450 (minutes, base 60); that
    is turned back into 7:30 so editors may write times either way.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < 24 * 60:
        return time(value // 60, value % 60)
    if isinstance(value, str):
        value = value.strip()
        match = _CLOCK.fullmatch(value) if len(value) <= _CLOCK_MAX else None
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2) or 0)
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
    if isinstance(value, time):
        return value
    raise PydanticCustomError("ntm_clock", "unreadable time")


# Editors see a plain string pattern ("7h00"), not JSON Schema's ISO time.
Clock = Annotated[
    time,
    BeforeValidator(_parse_clock),
    WithJsonSchema({"type": "string", "pattern": r"^\s*\d{1,2}\s*(h|g|giờ|:)\s*\d{0,2}\s*$", "examples": ["7h00"]}),
]


def clock(value: time) -> str:
    """7:00 -> '7h00', the way Vietnamese documents write times."""
    return f"{value.hour}h{value.minute:02d}"


class Quantity(Model):
    """An amount of work with its unit: 2 km, 15 m3, 1.5 tấn."""

    model_config = ConfigDict(title="Khối lượng", json_schema_extra={"description": "Một khối lượng công việc: số và đơn vị tính, ví dụ 2 km, 15 m3, 1,5 tấn."})

    # ge and gt: a negative amount reads «không được âm» (M009), a 0 «phải lớn
    # hơn 0» (M010): a planned 0 is a cleared cell, and «1/0 khu» helps nobody.
    amount: Amount = Field(alias="so", title="Số lượng", ge=0, gt=0, description="Số lượng, lớn hơn 0, ví dụ 2 hoặc 1,5.")
    unit: Text = Field(alias="don_vi_tinh", title="Đơn vị tính", description="Đơn vị tính, ví dụ «km», «m2», «tấn», «cây».")

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} {self.unit}"


def format_amount(value: float) -> str:
    """A number as readers read it: 1.0 -> '1', 1.5 -> '1,5', 1200 -> '1.200',
    1200.5 -> '1.200,5' (Vietnamese: a dot between thousands, a comma for
    decimals). The one formatter of amounts and counts on pages and handouts;
    never for years or dates, which have their own formats."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def plain_amount(value: float) -> str:
    """1200.5 -> '1200,5': a number for a spreadsheet cell or a comparison, no thousands dot."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class TimeWindow(Model):
    model_config = ConfigDict(title="Thời gian", json_schema_extra={"description": "Giờ bắt đầu và giờ kết thúc."})

    start: Clock = Field(alias="bat_dau", title="Giờ bắt đầu", description="Giờ bắt đầu, ví dụ «7h00».")
    end: Clock = Field(alias="ket_thuc", title="Giờ kết thúc", description="Giờ kết thúc, ví dụ «11h00».")

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise PydanticCustomError("ntm_time_order", "end before start", {"start": clock(self.start), "end": clock(self.end)})
        return self

    def __str__(self) -> str:
        return f"{clock(self.start)} - {clock(self.end)}"


class Task(Model):
    """One specific piece of work (phần việc cụ thể)."""

    model_config = ConfigDict(title="Phần việc", json_schema_extra={"description": "Một phần việc cụ thể trong kế hoạch."})

    id: Slug = Field(alias="ma", title="Mã phần việc", description="Mã ngắn của phần việc: chữ không dấu và dấu gạch ngang, không trùng trong kế hoạch, ví dụ «don-duong». Báo cáo kết quả dùng mã này.")
    description: Text = Field(alias="noi_dung", title="Việc cần làm", description="Việc cần làm, ví dụ «Phát quang, quét dọn đường thôn».")
    quantity: Quantity = Field(alias="khoi_luong", title="Khối lượng công việc", description="Khối lượng công việc: số và đơn vị tính.")
    hamlets: list[HamletId] = Field(max_length=MAX_ITEMS, alias="thon", title="Thôn, tổ dân phố thực hiện", min_length=1, description="Các thôn, tổ dân phố của xã thực hiện phần việc (khu vực thực hiện).")
    place: OptionalText = Field(None, alias="dia_diem", title="Địa điểm", description="Địa điểm cụ thể, ví dụ «Đường liên thôn 1 - 2».")
    tools: list[Text] = Field(max_length=MAX_ITEMS, alias="cong_cu", title="Công cụ, phương tiện", min_length=1, description="Công cụ, phương tiện lao động.")
    participants: list[Text] = Field(max_length=MAX_ITEMS, 
        alias="thanh_phan", title="Thành phần tham gia", min_length=1, description="Thành phần tham gia của địa phương, ví dụ «Hộ dân thôn 1»."
    )
    supporting_agencies: list[AgencyId] = Field(max_length=MAX_ITEMS, 
        default_factory=list, alias="don_vi_ho_tro", title="Cơ quan, đơn vị hỗ trợ", description="Các cơ quan, đơn vị của huyện hỗ trợ phần việc này."
    )
    lead: OptionalText = Field(None, alias="phu_trach", title="Người phụ trách", description="Người phụ trách phần việc (chức vụ).")


class WasteHandling(Model):
    """Rubbish collection and disposal, which the notice asks every plan to cover."""

    model_config = ConfigDict(title="Thu gom, xử lý rác", json_schema_extra={"description": "Cách thu gom và xử lý rác (Thông báo 422-TB/HU yêu cầu mọi kế hoạch đều có)."})

    collection: Text = Field(alias="thu_gom", title="Cách thu gom rác", description="Cách thu gom rác, ví dụ «Gom về điểm tập kết đầu thôn».")
    disposal: Text = Field(alias="xu_ly", title="Cách xử lý rác", description="Cách xử lý rác sau khi gom.")
    quantity: Quantity | None = Field(None, alias="khoi_luong", title="Khối lượng rác dự kiến", description="Khối lượng rác dự kiến thu gom.")


class SaturdayPlan(Model):
    model_config = ConfigDict(title="Kế hoạch ngày thứ Bảy", json_schema_extra={"description": "Kế hoạch của một xã, thị trấn cho một ngày thứ Bảy (Thông báo 422-TB/HU, mục II.3.1)."})

    is_example: bool = Field(alias="vi_du", title="Dữ liệu ví dụ", description="Đánh dấu nếu đây là dữ liệu ví dụ để minh họa, không phải kế hoạch thật; trang web hiện nhãn «Dữ liệu ví dụ».")
    unit: UnitId = Field(alias="xa", title="Xã, thị trấn", description="Xã, thị trấn lập kế hoạch.")
    date: SaturdayDate = Field(alias="ngay", title="Ngày thứ Bảy", description="Ngày thứ Bảy thực hiện kế hoạch, ví dụ 2023-03-04.")
    drafted: ViDate = Field(alias="ngay_lap", title="Ngày lập kế hoạch", description="Ngày lập kế hoạch, không sau ngày thực hiện.")
    content: Text = Field(alias="noi_dung", title="Nội dung chính", description="Nội dung chính của ngày thứ Bảy.")
    hours: TimeWindow = Field(alias="thoi_gian", title="Thời gian", description="Thời gian thực hiện.")
    direction: Text = Field(alias="chi_dao", title="Chỉ đạo", description="Người chỉ đạo (chức vụ), ví dụ «Chủ tịch UBND xã».")
    organiser: Text = Field(alias="to_chuc", title="Tổ chức thực hiện", description="Người, bộ phận tổ chức thực hiện, ví dụ «Trưởng các thôn».")
    tasks: list[Task] = Field(max_length=MAX_TASKS, alias="phan_viec", title="Các phần việc", min_length=1, description="Các phần việc cụ thể.")
    waste: WasteHandling = Field(alias="thu_gom_rac", title="Thu gom, xử lý rác", description="Thu gom và xử lý rác.")
    notes: OptionalText = Field(None, alias="ghi_chu", title="Ghi chú", description="Ghi chú thêm.")
    photos: PhotoList = photos_field()

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)


def staff_list_deadline(saturday: date) -> date:
    """Agencies send their staff lists "chậm nhất trong ngày thứ Tư hằng tuần"."""
    return saturday - timedelta(days=3)


def report_deadline(saturday: date) -> date:
    """Phòng NN&PTNT reports to the district "trong ngày thứ Hai hằng tuần"."""
    return saturday + timedelta(days=2)

"""What a commune reports after a Saturday, and the staff lists agencies send
before it.

- ``materials/ket-qua/<xa>/<yyyy-mm-dd>.yml``: households taking part against
  the total (the rate Notice 422-TB/HU found "còn thấp"), commune staff and
  district agency people who came, and the work done against each planned
  quantity. Phòng Nông nghiệp và PTNT sums these for its Monday report.
- ``materials/danh-sach/<co-quan>/<yyyy-mm-dd>.yml``: the list of staff an
  agency sends to the communes it supports, due "chậm nhất trong ngày thứ Tư".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field

from .photos import PhotoList, photos_field
from .base import AgencyId, Amount, Count, MAX_ITEMS, MAX_NUMBER, decimal_comma, Model, OptionalText, SaturdayDate, TaskId, Text, UnitId, ViDate


class AgencyTurnout(Model):
    model_config = ConfigDict(title="Cơ quan tham gia", json_schema_extra={"description": "Số người của một cơ quan huyện đã tham gia."})

    agency: AgencyId = Field(alias="co_quan", title="Cơ quan, đơn vị", description="Cơ quan, đơn vị của huyện đã cử người.")
    # ge and gt as for a planned amount: an agency that sent nobody is left out, not «0 người».
    people: Count = Field(alias="so_nguoi", title="Số người tham gia", ge=0, gt=0,
                        description="Số người của cơ quan đã tham gia; cơ quan không cử người thì không ghi.")


class TaskDone(Model):
    model_config = ConfigDict(title="Khối lượng đã làm", json_schema_extra={"description": "Khối lượng đã làm của một phần việc trong kế hoạch."})

    task: TaskId = Field(alias="phan_viec", title="Phần việc", description="Phần việc trong kế hoạch cùng ngày của xã.")
    amount: Amount = Field(alias="da_lam", title="Khối lượng đã làm", ge=0, description="Khối lượng đã làm, cùng đơn vị tính với kế hoạch, ví dụ 2 hoặc 1,5.")
    notes: OptionalText = Field(None, alias="ghi_chu", title="Ghi chú", description="Ghi chú, ví dụ lý do chưa xong.")


class SaturdayResult(Model):
    model_config = ConfigDict(title="Kết quả ngày thứ Bảy", json_schema_extra={"description": "Kết quả một ngày thứ Bảy của một xã, thị trấn."})

    is_example: bool = Field(alias="vi_du", title="Dữ liệu ví dụ", description="Đánh dấu nếu đây là dữ liệu ví dụ để minh họa, không phải số liệu thật; trang web hiện nhãn «Dữ liệu ví dụ».")
    unit: UnitId = Field(alias="xa", title="Xã, thị trấn", description="Xã, thị trấn báo cáo.")
    date: SaturdayDate = Field(alias="ngay", title="Ngày thứ Bảy", description="Ngày thứ Bảy đã có kế hoạch của xã.")
    households_joined: Count = Field(alias="so_ho_tham_gia", title="Số hộ tham gia", ge=0, description="Số hộ dân tham gia.")
    households_total: Count = Field(alias="tong_so_ho", title="Tổng số hộ", gt=0, description="Tổng số hộ dân của xã, thị trấn.")
    commune_staff: Count = Field(alias="can_bo_xa", title="Cán bộ xã tham gia", ge=0, description="Số cán bộ, công chức, đảng viên của xã tham gia.")
    agencies: list[AgencyTurnout] = Field(max_length=MAX_ITEMS, 
        default_factory=list, alias="co_quan_tham_gia", title="Cơ quan huyện tham gia", description="Người của các cơ quan, đơn vị huyện tham gia."
    )
    work_done: list[TaskDone] = Field(max_length=MAX_ITEMS, alias="khoi_luong_da_lam", title="Khối lượng đã làm theo phần việc", min_length=1, description="Khối lượng đã làm theo từng phần việc.")
    # ge inside the optional type, before the decimal comma's validator: on the
    # field itself it reached the JSON Schema as an unknown «ge» key, so neither
    # the form nor a code editor refused -1 (pydantic still did).
    waste_collected: Annotated[float, Field(ge=0, le=MAX_NUMBER), BeforeValidator(decimal_comma)] | None = Field(
        None, alias="rac_thu_gom", title="Rác đã thu gom", description="Khối lượng rác đã thu gom, cùng đơn vị tính với kế hoạch."
    )
    notes: OptionalText = Field(None, alias="ghi_chu", title="Nhận xét, kiến nghị", description="Nhận xét, kiến nghị.")
    photos: PhotoList = photos_field()

    @property
    def rate(self) -> float:
        """Share of households taking part, 0..1."""
        return self.households_joined / self.households_total

    @property
    def agency_people(self) -> int:
        return sum(a.people for a in self.agencies)

    def done(self, task_id: str) -> TaskDone | None:
        return next((d for d in self.work_done if d.task == task_id), None)


class StaffMember(Model):
    model_config = ConfigDict(title="Người được cử", json_schema_extra={"description": "Một cán bộ được cử về xã."})

    name: Text = Field(alias="ho_ten", title="Họ và tên", description="Họ và tên.")
    position: OptionalText = Field(None, alias="chuc_vu", title="Chức vụ", description="Chức vụ.")


class StaffAllocation(Model):
    model_config = ConfigDict(title="Người cử về một xã", json_schema_extra={"description": "Những người cơ quan cử về một xã, thị trấn."})

    unit: UnitId = Field(alias="xa", title="Xã, thị trấn nhận người", description="Xã, thị trấn nhận người.")
    members: list[StaffMember] = Field(max_length=MAX_ITEMS, alias="nguoi", title="Người được cử", min_length=1, description="Những người được cử về xã này.")


class StaffList(Model):
    model_config = ConfigDict(title="Danh sách cán bộ", json_schema_extra={"description": "Danh sách cán bộ một cơ quan cử về các xã cho một ngày thứ Bảy (hạn: thứ Tư)."})

    is_example: bool = Field(alias="vi_du", title="Dữ liệu ví dụ", description="Đánh dấu nếu đây là dữ liệu ví dụ (tên người không có thật).")
    agency: AgencyId = Field(alias="co_quan", title="Cơ quan gửi danh sách", description="Cơ quan gửi danh sách.")
    saturday: SaturdayDate = Field(alias="ngay_thu_bay", title="Ngày thứ Bảy", description="Ngày thứ Bảy cán bộ về xã.")
    sent: ViDate = Field(alias="ngay_gui", title="Ngày gửi", description="Ngày gửi danh sách về xã (hạn: thứ Tư trước ngày thứ Bảy).")
    allocations: list[StaffAllocation] = Field(max_length=MAX_ITEMS, alias="phan_bo", title="Người cử về từng xã", min_length=1, description="Người cử về từng xã.")

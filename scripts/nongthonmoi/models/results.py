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

from pydantic import Field

from .base import Model, Slug, Text, ViDate


class AgencyTurnout(Model):
    agency: Slug = Field(alias="co_quan", description="Mã cơ quan, đơn vị (trong co-quan.yml).")
    people: int = Field(alias="so_nguoi", ge=0, description="Số người của cơ quan đã tham gia.")


class TaskDone(Model):
    task: Slug = Field(alias="phan_viec", description="Mã phần việc trong kế hoạch cùng ngày.")
    amount: float = Field(alias="da_lam", ge=0, description="Khối lượng đã làm, cùng đơn vị tính với kế hoạch.")
    notes: Text | None = Field(None, alias="ghi_chu", description="Ghi chú, ví dụ lý do chưa xong.")


class SaturdayResult(Model):
    is_example: bool = Field(alias="vi_du", description="true nếu đây là dữ liệu ví dụ, không phải số liệu thật.")
    unit: Slug = Field(alias="xa", description="Mã xã, thị trấn; phải trùng tên thư mục.")
    date: ViDate = Field(alias="ngay", description="Ngày thứ Bảy; phải trùng tên tệp và có kế hoạch cùng ngày.")
    households_joined: int = Field(alias="so_ho_tham_gia", ge=0, description="Số hộ dân tham gia.")
    households_total: int = Field(alias="tong_so_ho", gt=0, description="Tổng số hộ dân của xã, thị trấn.")
    commune_staff: int = Field(alias="can_bo_xa", ge=0, description="Số cán bộ, công chức, đảng viên của xã tham gia.")
    agencies: list[AgencyTurnout] = Field(
        default_factory=list, alias="co_quan_tham_gia", description="Người của các cơ quan, đơn vị huyện tham gia."
    )
    work_done: list[TaskDone] = Field(alias="khoi_luong_da_lam", min_length=1, description="Khối lượng đã làm theo từng phần việc.")
    waste_collected: float | None = Field(
        None, alias="rac_thu_gom", ge=0, description="Khối lượng rác đã thu gom, cùng đơn vị tính với kế hoạch."
    )
    notes: Text | None = Field(None, alias="ghi_chu", description="Nhận xét, kiến nghị.")

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
    name: Text = Field(alias="ho_ten", description="Họ và tên.")
    position: Text | None = Field(None, alias="chuc_vu", description="Chức vụ.")


class StaffAllocation(Model):
    unit: Slug = Field(alias="xa", description="Mã xã, thị trấn nhận người.")
    members: list[StaffMember] = Field(alias="nguoi", min_length=1, description="Những người được cử về xã này.")


class StaffList(Model):
    is_example: bool = Field(alias="vi_du", description="true nếu đây là dữ liệu ví dụ (tên người không có thật).")
    agency: Slug = Field(alias="co_quan", description="Mã cơ quan gửi danh sách; phải trùng tên thư mục.")
    saturday: ViDate = Field(alias="ngay_thu_bay", description="Ngày thứ Bảy tham gia; phải trùng tên tệp.")
    sent: ViDate = Field(alias="ngay_gui", description="Ngày gửi danh sách về xã (hạn: thứ Tư trước ngày thứ Bảy).")
    allocations: list[StaffAllocation] = Field(alias="phan_bo", min_length=1, description="Người cử về từng xã.")

"""District agencies that send staff to the communes on Saturdays
(``materials/co-quan.yml``).

The agencies are those Notice 422-TB/HU names. Which commune each one
supports is not in the sources: the assignment is example data
(``phan_cong_vi_du: true``) until the district's assignment is entered.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import MAX_ITEMS, Model, Slug, Text, UnitId


class Agency(Model):
    model_config = ConfigDict(title="Cơ quan, đơn vị", json_schema_extra={"description": "Một cơ quan, đơn vị của huyện cử người về xã ngày thứ Bảy."})

    id: Slug = Field(alias="ma", title="Mã cơ quan", description="Mã không dấu, ví dụ «phong-nn-ptnt».")
    name: Text = Field(alias="ten", title="Tên cơ quan, đơn vị", description="Tên cơ quan, đơn vị, ví dụ «Phòng Nông nghiệp và PTNT».")
    supports: list[UnitId] = Field(max_length=MAX_ITEMS, 
        default_factory=list, alias="ho_tro_xa", title="Xã, thị trấn được phân công hỗ trợ", description="Các xã, thị trấn cơ quan được phân công hỗ trợ."
    )


class AgencyRegistry(Model):
    model_config = ConfigDict(title="Danh sách cơ quan, đơn vị", json_schema_extra={"description": "Các cơ quan, đơn vị của huyện và xã được phân công hỗ trợ."})

    assignment_is_example: bool = Field(
        alias="phan_cong_vi_du", title="Phân công là ví dụ",
        description="Đánh dấu khi việc phân công xã cho từng cơ quan là ví dụ, vì nguồn chưa có; bỏ đánh dấu khi đã nhập phân công thật.",
    )
    agencies: list[Agency] = Field(max_length=MAX_ITEMS, alias="co_quan", title="Các cơ quan, đơn vị", min_length=1, description="Các cơ quan, đơn vị của huyện.")

    def by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    def supporting(self, unit_id: str) -> list[Agency]:
        return [a for a in self.agencies if unit_id in a.supports]

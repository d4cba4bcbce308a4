"""District agencies that send staff to the communes on Saturdays
(``materials/co-quan.yml``).

The agencies are those Notice 422-TB/HU names. Which commune each one
supports is not in the sources: the assignment is example data
(``phan_cong_vi_du: true``) until the district's assignment is entered.
"""

from __future__ import annotations

from pydantic import Field

from .base import Model, Slug, Text


class Agency(Model):
    id: Slug = Field(alias="ma", description="Mã không dấu, ví dụ «phong-nn-ptnt».")
    name: Text = Field(alias="ten", description="Tên cơ quan, đơn vị, ví dụ «Phòng Nông nghiệp và PTNT».")
    supports: list[Slug] = Field(
        default_factory=list, alias="ho_tro_xa", description="Mã các xã, thị trấn cơ quan được phân công hỗ trợ."
    )


class AgencyRegistry(Model):
    assignment_is_example: bool = Field(
        alias="phan_cong_vi_du",
        description="true khi việc phân công xã cho từng cơ quan là ví dụ (nguồn chưa có); false khi đã nhập phân công thật.",
    )
    agencies: list[Agency] = Field(alias="co_quan", min_length=1, description="Các cơ quan, đơn vị của huyện.")

    def by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    def supporting(self, unit_id: str) -> list[Agency]:
        return [a for a in self.agencies if unit_id in a.supports]

"""Administrative units of Di Linh district (``materials/don-vi.yml``).

The 18 communes and the town are public facts. The sources give only the
district total of hamlets (183 thôn, tổ dân phố), not their names, so the
hamlet lists are example data until each commune sends its own
(``thon_vi_du: true``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .base import MAX_ITEMS, Model, Slug, Text

HAMLETS_ARE_EXAMPLE = "Danh sách thôn là ví dụ, chờ xã cập nhật"


class Hamlet(Model):
    """A thôn (in a commune) or tổ dân phố (in the town)."""

    model_config = ConfigDict(title="Thôn, tổ dân phố", json_schema_extra={"description": "Một thôn (ở xã) hoặc tổ dân phố (ở thị trấn)."})

    id: Slug = Field(alias="ma", title="Mã thôn", description="Mã thôn, duy nhất trong xã, ví dụ «thon-1».")
    name: Text = Field(alias="ten", title="Tên thôn, tổ dân phố", description="Tên thôn, tổ dân phố, ví dụ «Thôn 1».")
    kind: Literal["thôn", "tổ dân phố"] = Field(alias="loai", title="Loại", description="«thôn» hoặc «tổ dân phố».")


class Unit(Model):
    """A commune (xã) or the town (thị trấn): the level that plans each Saturday."""

    model_config = ConfigDict(title="Xã, thị trấn", json_schema_extra={"description": "Một xã hoặc thị trấn: cấp lập kế hoạch mỗi thứ Bảy."})

    id: Slug = Field(alias="ma", title="Mã xã, thị trấn", description="Mã không dấu, dùng làm địa chỉ trang, ví dụ «gung-re».")
    name: Text = Field(alias="ten", title="Tên xã, thị trấn", description="Tên xã, thị trấn, không kèm chữ «xã», ví dụ «Gung Ré».")
    kind: Literal["xã", "thị trấn"] = Field(alias="loai", title="Loại", description="«xã» hoặc «thị trấn».")
    hamlets_are_example: bool = Field(
        alias="thon_vi_du", title="Danh sách thôn là ví dụ",
        description="Đánh dấu khi danh sách thôn là ví dụ, vì nguồn chưa có tên thôn; bỏ đánh dấu khi xã đã gửi danh sách thật.",
    )
    hamlets: list[Hamlet] = Field(max_length=MAX_ITEMS, alias="thon", title="Các thôn, tổ dân phố", min_length=1, description="Các thôn, tổ dân phố của xã, thị trấn.")

    @property
    def full_name(self) -> str:
        """'Xã Gung Ré', 'Thị trấn Di Linh'."""
        return f"{self.kind.capitalize()} {self.name}"

    def hamlet(self, hamlet_id: str) -> Hamlet | None:
        return next((h for h in self.hamlets if h.id == hamlet_id), None)


class UnitRegistry(Model):
    model_config = ConfigDict(title="Danh sách xã, thị trấn", json_schema_extra={"description": "Các xã, thị trấn của huyện Di Linh."})

    units: list[Unit] = Field(max_length=MAX_ITEMS, alias="don_vi", title="Các xã, thị trấn", min_length=1, description="Các xã, thị trấn của huyện.")

    def by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

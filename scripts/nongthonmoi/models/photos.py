"""Photos a commune attaches to a Saturday's result (or plan).

A photo is a file in ``materials/anh/<xa>/<yyyy-mm-dd>/`` (the commune and
the Saturday of the record that lists it) and a few words about it. The
file is stored normalised (photos/normalise.py): turned upright, every
piece of metadata removed (GPS position first), at most 1,600 px on the long
side. The words are what a reader without the picture gets: the
description (``mo_ta``, the image's alt text) is required.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from .base import HamletId, Model, Text, _blank_is_missing

# A photo file's name inside its folder: lowercase, no diacritics, no path.
PHOTO_FILE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*\.jpg$"
MAX_PHOTOS = 24  # photos in one result or plan: a Saturday, not an album
MAX_DESCRIPTION = 250  # characters of alt text: a screen reader reads it whole
MAX_CAPTION = 300

PhotoFile = Annotated[
    str,
    Field(pattern=PHOTO_FILE_PATTERN, json_schema_extra={"x-ntm-kind": "photo"}),
]
Description = Annotated[Text, Field(max_length=MAX_DESCRIPTION)]
Caption = Annotated[Annotated[Text, Field(max_length=MAX_CAPTION)] | None, BeforeValidator(_blank_is_missing)]

# When the picture was taken, against the work: a road "trước" and "sau".
Stage = Literal["trước", "trong", "sau"]
STAGE_NAMES = {"trước": "Trước khi làm", "trong": "Trong khi làm", "sau": "Sau khi làm"}


class Photo(Model):
    model_config = ConfigDict(
        title="Ảnh",
        json_schema_extra={"description": "Một ảnh của ngày thứ Bảy: tệp ảnh và lời mô tả."},
    )

    file: PhotoFile = Field(
        alias="tep",
        title="Tệp ảnh",
        # Shown under the field in the web editor: no command, no folder names.
        description="Bấm «Chọn ảnh» và chọn ảnh chụp từ điện thoại hay ảnh nhận qua Zalo. Trang tự xoay ảnh "
        "đúng chiều, thu nhỏ, xóa vị trí GPS và thông tin máy chụp rồi đặt tên cho ảnh.",
    )
    description: Description = Field(
        alias="mo_ta",
        title="Mô tả ảnh (cho người không xem được ảnh)",
        description="Ảnh có gì, viết thành câu ngắn, ví dụ «Đoàn viên thôn 2 khơi thông rãnh thoát nước ven đường liên thôn». "
        "Người khiếm thị nghe câu này thay cho ảnh; mạng chậm thì câu này hiện trước.",
    )
    caption: Caption = Field(
        None,
        alias="chu_thich",
        title="Chú thích dưới ảnh",
        description="Lời in dưới ảnh trên trang web và bản tin ảnh, ví dụ «Đường liên thôn 1 - 2 sau buổi ra quân».",
    )
    stage: Stage | None = Field(
        None,
        alias="giai_doan",
        title="Chụp trước, trong hay sau khi làm",
        description="«trước» (trước khi làm), «trong» (đang làm) hoặc «sau» (sau khi làm).",
    )
    hamlet: HamletId | None = Field(
        None, alias="thon", title="Thôn, tổ dân phố", description="Thôn, tổ dân phố nơi chụp ảnh (không ghi số nhà)."
    )
    unpublished: bool = Field(
        False,
        alias="khong_dang",
        title="Không đăng ảnh này",
        description="Đánh dấu để ảnh không lên trang web, bản tải về và bản in, ví dụ khi người trong ảnh chưa đồng ý. "
        "Ảnh vẫn nằm trong kho tài liệu: ảnh không được để ai xem thì đừng thêm vào.",
    )

    @property
    def published(self) -> bool:
        return not self.unpublished


PhotoList = Annotated[list[Photo], Field(max_length=MAX_PHOTOS)]


def photos_field():
    """The ``anh`` field of a result or a plan (last in the file)."""
    return Field(
        default_factory=list,
        alias="anh",
        title="Ảnh",
        description="Ảnh của ngày thứ Bảy (nhiều nhất 24 ảnh). Tệp ảnh nằm trong materials/anh/<mã xã>/<ngày>/.",
        # Workbooks carry figures, not pictures: a photo reaches the
        # repository through «ntm them-anh» or the web editor, never a cell.
        json_schema_extra={"x-ntm-not-in-workbook": True},
    )

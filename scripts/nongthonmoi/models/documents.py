"""The document registry: one entry per official document the set refers to."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from .base import DocumentId, MAX_ITEMS, Model, OptionalText, Slug, Text, ViDate


class Signer(Model):
    model_config = ConfigDict(title="Người ký", json_schema_extra={"description": "Người ký văn bản."})

    authority: OptionalText = Field(None, alias="quyen_han", title="Thẩm quyền ký", description="Thẩm quyền ký, ví dụ «T/L BAN THƯỜNG VỤ».")
    position: Text = Field(alias="chuc_vu", title="Chức vụ người ký", description="Chức vụ người ký, ví dụ «PHÓ CHÁNH VĂN PHÒNG».")
    name: Text = Field(alias="ho_ten", title="Họ và tên người ký", description="Họ và tên người ký.")


class Document(Model):
    model_config = ConfigDict(title="Văn bản", json_schema_extra={"description": "Một văn bản trong bộ tài liệu."})

    id: Slug = Field(alias="ma", title="Mã văn bản", description="Mã không dấu, dùng làm địa chỉ trang, ví dụ «422-tb-hu».")
    number: Text = Field(alias="so", title="Số, ký hiệu", description="Số, ký hiệu văn bản, ví dụ «422-TB/HU».")
    kind: Text = Field(alias="loai", title="Loại văn bản", description="Loại văn bản: Thông báo, Đề án, Kế hoạch...")
    issued: ViDate = Field(alias="ngay", title="Ngày ban hành", description="Ngày ban hành, dạng 2023-03-02 hoặc 02/03/2023.")
    issuer: Text = Field(alias="co_quan", title="Cơ quan ban hành", description="Cơ quan ban hành.")
    letterhead: OptionalText = Field(None, alias="tieu_de", title="Tên cơ quan ở góc trái", description="Tên cơ quan in ở góc trái văn bản, ví dụ «HUYỆN ỦY DI LINH».")
    place: OptionalText = Field(None, alias="dia_danh", title="Địa danh", description="Địa danh ghi trước ngày tháng, ví dụ «Di Linh».")
    summary: Text = Field(alias="trich_yeu", title="Trích yếu", description="Trích yếu nội dung.")
    summary_note: OptionalText = Field(
        None, alias="ghi_chu", title="Ghi chú cho người đọc", description="Ghi chú cho người đọc, ví dụ nguồn của trích yếu khi chưa có bản gốc."
    )
    signer: Signer | None = Field(None, alias="nguoi_ky", title="Người ký", description="Người ký; bỏ trống nếu nguồn không ghi.")
    recipients: list[Text] = Field(max_length=MAX_ITEMS, default_factory=list, alias="noi_nhan", title="Nơi nhận", description="Danh sách «Nơi nhận».")
    full_text: bool = Field(alias="co_toan_van", title="Trang có toàn văn", description="Đánh dấu nếu trang có toàn văn; bỏ đánh dấu nếu nguồn chưa có toàn văn.")
    page: Text = Field(alias="trang", title="Tệp trang trong docs/", description="Tệp Markdown của văn bản, tính từ thư mục docs/, ví dụ «van-ban/422-tb-hu.md».")
    related: list[DocumentId] = Field(max_length=MAX_ITEMS, default_factory=list, alias="lien_quan", title="Văn bản liên quan", description="Các văn bản liên quan trong danh mục.")
    source: Text = Field(alias="nguon", title="Nguồn", description="Nguồn của thông tin về văn bản này.")

    @property
    def dated_line(self) -> str:
        """'Di Linh, ngày 02 tháng 3 năm 2023' as official documents write it."""
        day = f"{self.issued.day:02d}"
        month = f"{self.issued.month:02d}" if self.issued.month < 3 else str(self.issued.month)
        text = f"ngày {day} tháng {month} năm {self.issued.year}"
        return f"{self.place}, {text}" if self.place else text.capitalize()


class DocumentRegistry(Model):
    model_config = ConfigDict(title="Danh mục văn bản", json_schema_extra={"description": "Các văn bản trong bộ tài liệu."})

    documents: list[Document] = Field(max_length=MAX_ITEMS, alias="van_ban", title="Các văn bản", description="Các văn bản trong bộ tài liệu.")

    def by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    def by_page(self) -> dict[str, Document]:
        return {d.page: d for d in self.documents}


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")

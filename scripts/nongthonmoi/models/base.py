"""Shared field types and the translation of validation errors to Vietnamese."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..errors import ContentError, ContentErrors
from ..yamlsource import YamlSource

_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_VI_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _parse_vi_date(value: Any) -> Any:
    """Accept YAML dates (2023-03-02) and the Vietnamese way of writing them (02/03/2023)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        match = _VI_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    return value


def _reject_markup(value: str) -> str:
    # Pages escape every field anyway; refusing markup here tells the editor
    # early that HTML in data will never become live HTML on the site.
    if _MARKUP.search(value):
        raise ValueError("markup")
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_is_missing(value: Any) -> Any:
    # An optional text left empty ("" or spaces) means "not given", not an error.
    return None if isinstance(value, str) and not value.strip() else value


_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def _decimal_comma(value: Any) -> Any:
    """'1,5' -> 1.5: Vietnamese write a decimal comma (forms, workbooks, YAML alike)."""
    if isinstance(value, str) and _DECIMAL_COMMA.match(value):
        return float(value.replace(",", "."))
    return value


ViDate = Annotated[date, BeforeValidator(_parse_vi_date)]
Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_reject_markup)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_missing)]
Amount = Annotated[float, BeforeValidator(_decimal_comma)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


# Ids that point to another record. The JSON Schema carries what they point to
# ("x-ntm-ref"), so forms (the web editor, the workbooks) offer a choice of
# Vietnamese names instead of asking editors to type ids.
def _ref(kind: str):
    return Field(json_schema_extra={"x-ntm-ref": kind})


UnitId = Annotated[Slug, _ref("unit")]
HamletId = Annotated[Slug, _ref("hamlet")]  # a hamlet of the record's own unit
AgencyId = Annotated[Slug, _ref("agency")]
TaskId = Annotated[Slug, _ref("task")]  # a task of the plan for the same unit and Saturday
DocumentId = Annotated[Slug, _ref("document")]
# The day of the programme: checked to be a Saturday (saturday/data.py); forms offer Saturdays only.
SaturdayDate = Annotated[ViDate, Field(json_schema_extra={"x-ntm-kind": "saturday"})]


_MESSAGES = {
    "missing": ("Thiếu trường bắt buộc «{field}».", "Thêm dòng «{field}: ...» vào mục này."),
    "extra_forbidden": (
        "Trường «{field}» không có trong mẫu dữ liệu.",
        "Kiểm tra chính tả tên trường (gợi ý tự động trong trình soạn thảo liệt kê các tên đúng), hoặc xóa dòng này.",
    ),
    "string_type": ("Trường «{field}» phải là chữ.", "Viết nội dung trong dấu ngoặc kép, ví dụ «{field}: \"...\"»."),
    "string_too_short": ("Trường «{field}» đang để trống.", "Điền nội dung cho trường này, hoặc xóa cả dòng nếu không bắt buộc."),
    "string_pattern_mismatch": (
        "Mã «{value}» ở trường «{field}» không hợp lệ.",
        "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ «gung-re».",
    ),
    "int_type": ("Trường «{field}» phải là số nguyên.", "Viết một số, không kèm chữ, ví dụ «{field}: 120»."),
    "int_parsing": ("Trường «{field}» phải là số nguyên (đang là «{value}»).", "Viết một số, không kèm chữ, ví dụ «{field}: 120»."),
    "int_from_float": ("Trường «{field}» phải là số nguyên (đang là «{value}»).", "Bỏ phần thập phân."),
    "float_type": ("Trường «{field}» phải là số.", "Viết một số, dùng dấu chấm cho phần thập phân, ví dụ «1.5»."),
    "float_parsing": ("Trường «{field}» phải là số (đang là «{value}»).", "Viết một số, dùng dấu chấm cho phần thập phân, ví dụ «1.5»."),
    "greater_than_equal": ("Trường «{field}» không được âm (đang là {value}).", "Sửa thành số từ 0 trở lên."),
    "greater_than": ("Trường «{field}» phải lớn hơn 0 (đang là {value}).", "Sửa thành số lớn hơn 0."),
    "bool_type": ("Trường «{field}» chỉ nhận «true» (có) hoặc «false» (không).", "Viết true hoặc false."),
    "bool_parsing": ("Trường «{field}» chỉ nhận «true» (có) hoặc «false» (không).", "Viết true hoặc false."),
    "date_type": ("Trường «{field}» phải là ngày (đang là «{value}»).", "Viết ngày dạng 2023-03-04 hoặc 04/03/2023."),
    "date_parsing": ("Trường «{field}» phải là ngày (đang là «{value}»).", "Viết ngày dạng 2023-03-04 hoặc 04/03/2023."),
    "date_from_datetime_parsing": ("Trường «{field}» phải là ngày (đang là «{value}»).", "Viết ngày dạng 2023-03-04 hoặc 04/03/2023."),
    "list_type": ("Trường «{field}» phải là một danh sách.", "Viết mỗi mục trên một dòng, bắt đầu bằng «- »."),
    "dict_type": ("Mục «{field}» phải gồm các trường «tên: giá trị».", "Xem lại thụt lề của mục này so với mẫu."),
    "model_type": ("Mục «{field}» phải gồm các trường «tên: giá trị».", "Xem lại thụt lề của mục này so với mẫu."),
    "literal_error": ("Giá trị «{value}» ở trường «{field}» không hợp lệ.", "Chọn một trong các giá trị: {expected}."),
    "enum": ("Giá trị «{value}» ở trường «{field}» không hợp lệ.", "Chọn một trong các giá trị: {expected}."),
}


def _field_name(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "?"


def translate(error: dict, source: YamlSource) -> ContentError:
    loc = tuple(error["loc"])
    field = _field_name(loc)
    value = error.get("input")
    kind = error["type"]
    if kind == "value_error" and "markup" in str(error.get("ctx", {}).get("error", "")):
        return ContentError(
            source.display,
            source.line_of(loc),
            f"Trường «{field}» có mã HTML («<...>»); trang web sẽ hiện nguyên văn, không chạy mã này.",
            "Xóa các thẻ «<...>» và chỉ viết chữ thường.",
        )
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return ContentError(source.display, source.line_of(loc), f"Trường «{field}»: {message}")
    template = _MESSAGES.get(kind)
    expected = error.get("ctx", {}).get("expected", "")
    if template is None:
        return ContentError(source.display, source.line_of(loc), f"Trường «{field}» không hợp lệ ({error['msg']}).")
    message, hint = template
    shown = value if not isinstance(value, (dict, list)) else "..."
    fill = {"field": field, "value": shown, "expected": expected}
    return ContentError(source.display, source.line_of(loc), message.format(**fill), hint.format(**fill))


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], source: YamlSource) -> M:
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise ContentErrors([translate(e, source) for e in exc.errors()]) from None


def check_unique(items, key, source: YamlSource, list_field: str, what: str) -> list[ContentError]:
    """Report every item whose key was already used earlier in the same list."""
    seen: dict[Any, int] = {}
    errors = []
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            errors.append(
                ContentError(
                    source.display,
                    source.line_of((list_field, index)),
                    f"{what} «{value}» bị trùng (đã có ở mục thứ {seen[value] + 1}, dòng {source.line_of((list_field, seen[value]))}).",
                    "Xóa mục trùng, hoặc sửa lại cho đúng.",
                )
            )
        else:
            seen[value] = index
    return errors

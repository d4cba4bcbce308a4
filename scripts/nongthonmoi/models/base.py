"""Shared field types and the translation of validation errors to Vietnamese."""

from __future__ import annotations

import dataclasses

import re
import typing
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .. import rules
from ..errors import ContentError, ContentErrors
from ..yamlsource import YamlSource

_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_VI_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

# Sizes no real content reaches; past them a file is a mistake (a pasted
# document, a runaway copy) that would otherwise make the build crawl.
MAX_TEXT = 2000  # characters in one text field
MAX_ITEMS = 100  # items in one list (hamlets, tools, people...)
MAX_TASKS = 30  # tasks in one Saturday plan
# No quantity, household or people count of a commune reaches a billion: past
# it a number is a slip (extra digits, a pasted phone number) and would break
# pages and handouts. The form, `ntm check` and the workbook import share it.
MAX_NUMBER = 1_000_000_000
MAX_NUMBER_TEXT = "1.000.000.000"


class Model(BaseModel):
    # No NaN or infinity: ".nan" is valid YAML but no amount of work.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, allow_inf_nan=False)


def _parse_vi_date(value: Any) -> Any:
    """Accept YAML dates (2023-03-02) and the Vietnamese way of writing them (02/03/2023).

    Day first, as Vietnamese write it: 03/25/2023 (month first) is no date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        match = _VI_DATE.match(value) or _ISO_DATE.match(value)
        if match:
            numbers = [int(g) for g in match.groups()]
            day, month, year = numbers if match.re is _VI_DATE else numbers[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                raise PydanticCustomError("ntm_date", "no such date") from None
    return value


def _reject_markup(value: str) -> str:
    # Pages escape every field anyway; refusing markup here tells the editor
    # early that HTML in data will never become live HTML on the site.
    if _MARKUP.search(value):
        raise PydanticCustomError("ntm_markup", "markup")
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_is_missing(value: Any) -> Any:
    # An optional text left empty ("" or spaces) means "not given", not an error.
    return None if isinstance(value, str) and not value.strip() else value


_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def decimal_comma(value: Any) -> Any:
    """'1,5' -> 1.5: Vietnamese write a decimal comma (forms, workbooks, YAML alike)."""
    if isinstance(value, str) and _DECIMAL_COMMA.match(value):
        return float(value.replace(",", "."))
    return value


ViDate = Annotated[date, BeforeValidator(_parse_vi_date)]
Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_reject_markup)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_missing)]
# The limit before the validator: only there does it reach the JSON Schema as «maximum».
Amount = Annotated[float, Field(le=MAX_NUMBER), BeforeValidator(decimal_comma)]
Count = Annotated[int, Field(le=MAX_NUMBER)]
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


# Pydantic's error types -> rule ids (rules.py). Custom types ("ntm_...")
# come from the validators above.
_RULES = {
    "missing": "M001",
    "extra_forbidden": "M002",
    "string_type": "M003",
    "string_too_short": "M004",
    "string_too_long": "M005",
    "string_pattern_mismatch": "M006",
    "int_type": "M007",
    "int_parsing": "M007",
    "int_from_float": "M007",
    "float_type": "M008",
    "float_parsing": "M008",
    "greater_than_equal": "M009",
    "greater_than": "M010",
    "less_than_equal": "M023",
    "bool_type": "M011",
    "bool_parsing": "M011",
    "date_type": "M012",
    "date_parsing": "M012",
    "date_from_datetime_parsing": "M012",
    "date_from_datetime_inexact": "M012",
    "ntm_date": "M012",
    "list_type": "M013",
    "dict_type": "M014",
    "model_type": "M014",
    "model_attributes_type": "M014",
    "literal_error": "M015",
    "enum": "M015",
    "too_short": "M016",
    "too_long": "M017",
    "ntm_clock": "M018",
    "ntm_time_order": "M019",
    "ntm_markup": "M020",
    "finite_number": "M022",
}


def _field_name(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "?"


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "..."
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _photo_rule(error: dict, loc: tuple, source: YamlSource) -> ContentError | None:
    """Photos' own rules (A001: no description; A012: a file name that is not
    a name in the Saturday's folder, such as «../../x.jpg»)."""
    if len(loc) != 3 or loc[0] != "anh" or not isinstance(loc[1], int):
        return None
    try:
        item = source.data["anh"][loc[1]]
        name = str(item.get("tep", "")) if isinstance(item, dict) else ""
    except (KeyError, IndexError, TypeError):
        name = ""
    if loc[2] == "mo_ta" and error["type"] in ("missing", "string_too_short", "too_short"):
        return rules.error("A001", source.display, source.line_of(loc), cell=source.cell_of(loc), file=name or "?")
    if loc[2] == "tep" and error["type"] == "string_pattern_mismatch":
        return rules.error("A012", source.display, source.line_of(loc), cell=source.cell_of(loc), value=_shown(error.get("input")))
    return None


def field_at(model: type[BaseModel], loc: tuple):
    """The pydantic field at ``loc`` (aliases and list indexes), or None."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in getattr(current, "model_fields", {}).items()}
        info = fields.get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    return info


def _model_in(annotation: Any) -> Any:
    """The model inside ``list[Task]``, ``Quantity | None``...; None for a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _constraints(annotation: Any) -> list:
    """Constraints inside a type, such as ``Annotated[Amount, Field(ge=0)] | None``."""
    found = []
    for arg in typing.get_args(annotation):
        if hasattr(arg, "gt") or hasattr(arg, "ge"):
            found.append(arg)
        found += list(getattr(arg, "metadata", [])) + _constraints(arg)
    return found


def allowed_numbers(field) -> str:
    """The low end a number field accepts, in words for «Sửa thành số …»: a
    field with ge=0 and gt=0 reads «không được âm» for -1 (M009) but takes
    no 0 either, so its fix must say «lớn hơn 0»."""
    metadata = _constraints(field.annotation) + list(field.metadata) if field is not None else []
    above = next((m.gt for m in metadata if getattr(m, "gt", None) is not None), None)
    if above is not None:
        return f"lớn hơn {above}"
    floor = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), 0)
    return f"từ {floor} trở lên"


def translate(error: dict, source: YamlSource, model: type[BaseModel]) -> ContentError:
    loc = tuple(error["loc"])
    photo = _photo_rule(error, loc, source)
    if photo is not None:
        return photo
    # A list item's own location ends with its index: name the list.
    field = _field_name(loc)
    ctx = error.get("ctx") or {}
    value = error.get("input")
    rule_id = _RULES.get(error["type"], "M021")
    # Length limits on text come as "too_short"/"too_long" when a validator
    # runs after them: a text, not a list, is too short or too long then.
    if isinstance(value, str) and rule_id in ("M016", "M017"):
        rule_id = "M004" if rule_id == "M016" else "M005"
    # «so:» with nothing after it is a field left blank, not «phải là số (đang là None)».
    if value is None and rule_id in ("M003", "M007", "M008", "M011", "M012", "M013", "M014"):
        rule_id = "M004"
    params = {
        "field": field,
        "value": _shown(value),
        "expected": ctx.get("expected", ""),
        "limit": ctx.get("min_length") if error["type"] in ("too_short", "string_too_short") else ctx.get("max_length", ""),
        "length": ctx.get("actual_length", len(value) if isinstance(value, (str, list)) else ""),
        "start": ctx.get("start", ""),
        "end": ctx.get("end", ""),
        "allowed": allowed_numbers(field_at(model, loc)),
        "largest": MAX_NUMBER_TEXT,
    }
    if error["type"] == "string_too_long":
        params["limit"] = ctx.get("max_length", "")
    return rules.error(rule_id, source.display, source.line_of(loc), **params)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], source: YamlSource) -> M:
    if not isinstance(source.data, dict):
        raise ContentErrors([rules.error("Y010", source.display, source.lines.get((), 1), cell=source.cell_of(()))])
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise ContentErrors([translate(e, source, model) for e in exc.errors()]) from None


def check_unique(items, key, source: YamlSource, list_field: str, what: str) -> list[ContentError]:
    """Report every item whose key was already used earlier in the same list."""
    seen: dict[Any, int] = {}
    errors = []
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            errors.append(
                _in_workbook(list_field, rules.error(
                    "S008",
                    source.display,
                    source.line_of((list_field, index)),
                    what=what,
                    value=value,
                    first_index=seen[value] + 1,
                    first_line=source.line_of((list_field, seen[value])),
                    cell=source.cell_of((list_field, index)),
                ))
            )
        else:
            seen[value] = index
    return errors


def _in_workbook(list_field: str, error: ContentError) -> ContentError:
    """A duplicate found in a workbook: the fix says what to do in the sheet.
    A task code is locked and copied along when a clerk copies a task's rows
    to make a similar one: emptying the code cell gives the new task its own."""
    if not error.cell:
        return error
    cell = error.cell.rsplit("!", 1)[-1]
    if list_field == "phan_viec":
        hint = (f"Xóa mã ở ô {cell} (để trống): phần việc mới sẽ được đặt mã theo nội dung. Nếu đây là phần việc "
                "chép thừa thì xóa hết các dòng của nó.")
    else:
        hint = f"Xóa dòng trùng (ô {cell}) và giữ một dòng, hoặc sửa lại cho đúng."
    return dataclasses.replace(error, hint=hint)

"""What a plan or result workbook holds, derived from the models.

Every input cell of a workbook is a field of ``SaturdayPlan`` or
``SaturdayResult``: its label or column header is the field's Vietnamese
``title``, its hint the ``description``, its kind (text, whole number,
number, date, time, yes/no, a choice of names) follows the field's type and
the JSON Schema marks ``x-ntm-ref`` / ``x-ntm-kind``. Writing
(``forms.py``) and reading (``reading.py``) both walk this layout, so the
workbook, the schema and the validator cannot drift apart; a field added to a
model appears in the workbook without touching this package.

Shapes:

- scalar fields of the record, and of nested records (``thoi_gian``,
  ``thu_gom_rac``), are rows of a form: label in column A, value in column B;
  a nested record is a group row with its fields indented below;
- a list of records (``phan_viec``, ``co_quan_tham_gia``...) is a table, one
  record per row; a nested record inside it (``khoi_luong``) is a group of
  columns under a shared header;
- a list of scalars inside a table row (hamlets, tools...) takes one item per
  row: the first item on the record's row, the next ones on the rows below,
  which leave the record's own columns empty ("continuation rows").
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, time
from functools import cache

from pydantic import BaseModel

from ..models.plans import Quantity, SaturdayPlan
from ..models.results import SaturdayResult

PLAN = "ke-hoach"
RESULT = "ket-qua"
REPORT = "bao-cao"


@dataclass(frozen=True)
class Leaf:
    """One scalar field: a form row or a table column."""

    path: tuple[str, ...]  # YAML keys from the record (form) or from the table row
    title: str
    description: str
    kind: str  # "bool" | "int" | "float" | "date" | "time" | "text"
    required: bool
    many: bool = False  # a list of scalars (one item per row in a table)
    min_items: int = 0
    ref: str | None = None  # "unit" | "hamlet" | "agency" | "task"
    saturday: bool = False  # a date that must be a Saturday
    minimum: float | None = None
    exclusive_minimum: float | None = None
    group: str | None = None  # title of the nested record the field belongs to
    depth: int = 0  # nesting under the record (for indenting form labels)
    suggest: str | None = None  # a list of usual values, others allowed ("unit-of-measure")

    @property
    def key(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Group:
    """A nested record inside a form: a bold row above its fields."""

    path: tuple[str, ...]
    title: str
    depth: int


@dataclass(frozen=True)
class Table:
    path: tuple[str, ...]  # the list field, e.g. ("phan_viec",)
    title: str
    description: str
    required: bool
    min_items: int
    columns: tuple[Leaf, ...]


@dataclass(frozen=True)
class Layout:
    kind: str  # PLAN or RESULT
    model: type[BaseModel]
    title: str
    rows: tuple[Leaf | Group, ...]  # the form, in model order
    tables: tuple[Table, ...]

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(r for r in self.rows if isinstance(r, Leaf))

    def leaf(self, key: str) -> Leaf:
        return next(r for r in self.leaves if r.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if ".".join(t.path) == key)

    def field_keys(self) -> set[str]:
        """Every scalar field the workbook carries, as dotted YAML paths
        (table columns under their table: ``phan_viec.khoi_luong.so``)."""
        keys = {leaf.key for leaf in self.leaves}
        for table in self.tables:
            keys |= {".".join(table.path + c.path) for c in table.columns}
        return keys


NOT_IN_WORKBOOK = "x-ntm-not-in-workbook"


def in_workbook(info) -> bool:
    """False for a field the models mark as never carried by a workbook (the
    photos: a cell cannot hold a picture; they come by «ntm them-anh»)."""
    extra = info.json_schema_extra
    return not (isinstance(extra, dict) and extra.get(NOT_IN_WORKBOOK))


def model_field_keys(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[str]:
    """Every scalar field of a model, by the same dotted paths (for the test
    that fails when a model gains a field the workbook does not carry), less
    the fields marked as not in workbooks."""
    keys = set()
    for name, info in model.model_fields.items():
        if not in_workbook(info):
            continue
        path = prefix + (info.alias or name,)
        inner, _, _ = _unwrap(info.annotation)
        if _is_model(inner):
            keys |= model_field_keys(inner, path)
        else:
            keys.add(".".join(path))
    return keys


# --- deriving the layout ------------------------------------------------------


def _unwrap(annotation) -> tuple[object, bool, bool]:
    """(inner type, optional, is a list) of a field annotation."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    many = typing.get_origin(annotation) is list
    if many:
        annotation = typing.get_args(annotation)[0]
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional, many


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


# Free-text fields that still get a drop-down of usual values.
_SUGGESTIONS = {(Quantity, "don_vi_tinh"): "unit-of-measure"}

_KINDS = {bool: "bool", int: "int", float: "float", date: "date", time: "time", str: "text"}


def _schema_of(fragment: dict, defs: dict) -> dict:
    """The schema of one property, with ``$ref`` and ``anyOf [X, null]`` resolved."""
    if "anyOf" in fragment:
        options = [o for o in fragment["anyOf"] if o.get("type") != "null"]
        merged = {k: v for k, v in fragment.items() if k != "anyOf"}
        fragment = {**options[0], **merged}
    if "$ref" in fragment:
        target = defs[fragment["$ref"].rsplit("/", 1)[1]]
        fragment = {**target, **{k: v for k, v in fragment.items() if k != "$ref"}}
    return fragment


def _walk(model: type[BaseModel], schema: dict, defs: dict, prefix: tuple, depth: int, group: str | None, in_table: bool):
    """Yield Leaf, Group and Table items for the fields of ``model``, in order."""
    for name, info in model.model_fields.items():
        alias = info.alias or name
        if schema["properties"][alias].get(NOT_IN_WORKBOOK):
            continue  # see in_workbook
        prop = _schema_of(schema["properties"][alias], defs)
        inner, optional, many = _unwrap(info.annotation)
        required = info.is_required()
        title = prop.get("title") or info.title or alias
        description = prop.get("description", "")
        path = prefix + (alias,)
        if _is_model(inner) and many:
            if in_table:
                raise TypeError(f"a table inside a table is not supported: {path}")
            item_schema = _schema_of(prop["items"], defs)
            columns = tuple(
                c for c in _walk(inner, item_schema, defs, (), 0, None, True) if isinstance(c, Leaf)
            )
            yield Table(path, title, description, required, prop.get("minItems", 0), columns)
        elif _is_model(inner):
            if not in_table:
                yield Group(path, title, depth)
            yield from _walk(inner, _schema_of(prop, defs), defs, path, depth + 1, title, in_table)
        else:
            scalar = _schema_of(prop["items"], defs) if many else prop
            kind = _KINDS.get(inner)
            if kind is None:
                raise TypeError(f"no workbook cell for {path}: {inner!r}")
            yield Leaf(
                path=path,
                title=title,
                description=description,
                kind=kind,
                # A field inside an optional nested record (the expected amount
                # of rubbish) is required only if that record is filled.
                required=required and not optional,
                many=many,
                min_items=prop.get("minItems", 0),
                ref=scalar.get("x-ntm-ref"),
                saturday=scalar.get("x-ntm-kind") == "saturday",
                minimum=scalar.get("minimum"),
                exclusive_minimum=scalar.get("exclusiveMinimum"),
                group=group,
                depth=depth,
                suggest=_SUGGESTIONS.get((model, alias)),
            )


@cache
def layout(kind: str) -> Layout:
    model = {PLAN: SaturdayPlan, RESULT: SaturdayResult}[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    items = list(_walk(model, schema, schema.get("$defs", {}), (), 0, None, False))
    rows = tuple(i for i in items if not isinstance(i, Table))
    tables = tuple(i for i in items if isinstance(i, Table))
    return Layout(kind, model, schema.get("title", kind), rows, tables)

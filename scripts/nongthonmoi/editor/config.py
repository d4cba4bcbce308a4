"""The web editor's configuration (Decap CMS ``config.yml``), generated.

Forms come from the same typed models that generate the JSON Schemas in
``materials/schema/``: every field of a model becomes a form field with the
model's Vietnamese title as its label, its description as the hint, and its
required flag. Ids that point elsewhere (``x-ntm-ref`` in the schema) become
drop-downs showing Vietnamese names and storing ids; Saturday dates
(``x-ntm-kind: saturday``) get a picker that offers Saturdays only. So the
form, the schema and the validator cannot drift apart; a test walks every
model and fails if a field is missing here.

The choices of communes, agencies and documents are read from the data at
build time; hamlets of the chosen commune and tasks of the chosen plan are
looked up in the form itself (``overrides/quan-tri/ntm-cms.js``), since they
depend on what the editor picks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..models.agencies import AgencyRegistry
from ..models.documents import DocumentRegistry
from ..models.plans import SaturdayPlan, Task
from ..models.results import SaturdayResult, StaffList
from ..models.units import UnitRegistry
from ..photos import LONG_SIDE, MAX_INPUT_BYTES, MAX_INPUT_PIXELS, PHOTOS_DIR, QUALITY
from .settings import EditorSettings

EDITOR_DIR = "quan-tri"


@dataclass(frozen=True)
class DataCollection:
    """One kind of YAML file, as the editor lists and edits it."""

    name: str  # address in the editor: #/collections/<name>
    label: str
    label_singular: str
    model: type[BaseModel]
    schema: str  # file name in materials/schema/ (without .schema.json)
    description: str
    folder: str | None = None  # a folder of dated files ...
    file: str | None = None  # ... or one file
    owner_field: str | None = None  # folder name = this field (commune or agency)
    date_field: str | None = None  # file name = this field (the Saturday)


DATA_COLLECTIONS: tuple[DataCollection, ...] = (
    DataCollection(
        "ke-hoach",
        "Kế hoạch ngày thứ Bảy",
        "kế hoạch",
        SaturdayPlan,
        "ke-hoach",
        "Mỗi xã, thị trấn một kế hoạch cho mỗi ngày thứ Bảy. Muốn làm kế hoạch tuần mới: mở kế hoạch tuần trước, bấm «Sao chép», rồi sửa ngày và nội dung.",
        folder="materials/ke-hoach",
        owner_field="xa",
        date_field="ngay",
    ),
    DataCollection(
        "ket-qua",
        "Kết quả ngày thứ Bảy",
        "kết quả",
        SaturdayResult,
        "ket-qua",
        "Kết quả xã, thị trấn báo cáo sau mỗi ngày thứ Bảy (hạn: thứ Hai). Chỉ nhập kết quả cho ngày đã có kế hoạch.",
        folder="materials/ket-qua",
        owner_field="xa",
        date_field="ngay",
    ),
    DataCollection(
        "danh-sach",
        "Danh sách cán bộ về xã",
        "danh sách",
        StaffList,
        "danh-sach",
        "Danh sách cán bộ mỗi cơ quan cử về các xã cho một ngày thứ Bảy (hạn: thứ Tư trước ngày thứ Bảy).",
        folder="materials/danh-sach",
        owner_field="co_quan",
        date_field="ngay_thu_bay",
    ),
    DataCollection(
        "don-vi",
        "Xã, thị trấn và thôn",
        "danh sách xã",
        UnitRegistry,
        "don-vi",
        "Các xã, thị trấn và thôn, tổ dân phố. Đừng đổi mã (ma) đã dùng: mã là tên thư mục kế hoạch.",
        file="materials/don-vi.yml",
    ),
    DataCollection(
        "co-quan",
        "Cơ quan, đơn vị",
        "danh sách cơ quan",
        AgencyRegistry,
        "co-quan",
        "Các cơ quan, đơn vị của huyện và xã được phân công hỗ trợ.",
        file="materials/co-quan.yml",
    ),
    DataCollection(
        "van-ban",
        "Danh mục văn bản",
        "danh mục",
        DocumentRegistry,
        "van-ban",
        "Các văn bản trong bộ tài liệu. Chỉ ghi những gì có trong văn bản gốc.",
        file="materials/van-ban.yml",
    ),
)

# Checks between two fields, made by the form while the editor types. The
# same rules are checked by `ntm check` (saturday/data.py, models/); the form
# says them earlier, with the rule's id. Keys: (model, field) -> options.
CROSS_FIELD_RULES: dict[tuple[type[BaseModel], str], dict[str, Any]] = {
    (SaturdayPlan, "ngay_lap"): {"not_after": "ngay", "rule": "S009"},
    (SaturdayResult, "so_ho_tham_gia"): {"not_above": "tong_so_ho", "rule": "S010"},
    (StaffList, "ngay_gui"): {"not_after": "ngay_thu_bay", "rule": "S014"},
}

# Text fields where editors write a sentence or more get a larger box.
LONG_TEXT = {"ghi_chu", "trich_yeu", "nguon", "thu_gom", "xu_ly"}

# Patterns of the schema, and the rule a text that does not match breaks.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Items of these lists differ by this field (S008, saturday/data.py check_unique).
UNIQUE_IN = {"ma": "phan_viec", "co_quan": "co_quan_tham_gia", "phan_viec": "khoi_luong_da_lam", "xa": "phan_bo"}
# Task codes: made from the task's name when the editor leaves them empty.
AUTO_CODES = {(Task, "ma"): "noi_dung"}


class UnsupportedField(Exception):
    """A model field the generator cannot turn into a form field."""


@dataclass(frozen=True)
class Choices:
    """Names to show for ids, read from the data at build time."""

    units: list[dict[str, str]]
    hamlets: dict[str, list[dict[str, str]]]  # unit id -> its hamlets
    agencies: list[dict[str, str]]
    documents: list[dict[str, str]]

    @classmethod
    def from_materials(cls, materials) -> Choices:
        data = materials.saturday
        return cls(
            units=[{"label": u.full_name, "value": u.id} for u in data.units.units],
            hamlets={u.id: [{"label": h.name, "value": h.id} for h in u.hamlets] for u in data.units.units},
            agencies=[{"label": a.name, "value": a.id} for a in data.agencies.agencies],
            documents=[{"label": f"{d.number}: {d.summary}", "value": d.id} for d in materials.documents.documents],
        )


class _Fields:
    """Turns one model's JSON Schema into Decap fields (our widgets, overrides/quan-tri/ntm-cms.js).

    Each field carries what the form's rules need (overrides/quan-tri/ntm-quy-tac.js):
    limits, patterns and the rule ids they stand for, all read from the schema.
    """

    def __init__(self, model: type[BaseModel], choices: Choices, collection: DataCollection | None = None):
        self.model = model
        self.schema = model.model_json_schema(by_alias=True, mode="validation")
        self.defs = self.schema.get("$defs", {})
        self.choices = choices
        self.collection = collection

    def fields(self) -> list[dict]:
        return self._object_fields(self.schema, top=True)

    def _resolve(self, prop: dict) -> dict:
        if "$ref" in prop:
            target = self.defs[prop["$ref"].rsplit("/", 1)[-1]]
            return {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
        return prop

    def _object_fields(self, schema: dict, top: bool = False, optional_parent: bool = False) -> list[dict]:
        required = set(schema.get("required", []))
        # Inside an optional block (the expected amount of rubbish), the form
        # cannot require anything: Decap would then require the whole block.
        # The form's rules still ask for a missing unit when an amount is given.
        return [
            self._field(name, prop, name in required and not optional_parent, top, schema.get("title"))
            for name, prop in schema["properties"].items()
        ]

    def _field(self, name: str, prop: dict, required: bool, top: bool, parent_title: str | None) -> dict:
        field = self._plain_field(name, prop, required, top, parent_title)
        if not top and name in UNIQUE_IN and field.get("widget") != "list":
            field["unique_in"] = UNIQUE_IN[name]  # the widget flags a repeated value (S008)
        return field

    def _plain_field(self, name: str, prop: dict, required: bool, top: bool, parent_title: str | None) -> dict:
        nullable = False
        if "anyOf" in prop:
            options = [p for p in prop["anyOf"] if p.get("type") != "null"]
            nullable = len(options) < len(prop["anyOf"])
            if len(options) != 1:
                raise UnsupportedField(f"{self.model.__name__}.{name}: anyOf")
            prop = {**options[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
        prop = self._resolve(prop)
        field: dict[str, Any] = {"name": name, "label": prop.get("title", name)}
        if prop.get("description"):
            # Dates in the form are day/month/year, hints included.
            field["hint"] = _ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", prop["description"])
        field["required"] = required and not nullable
        field.update(self._widget(name, prop, field["required"]))
        if field.get("widget") == "object" and not field["required"]:
            field["fields"] = self._object_fields(prop, optional_parent=True)
            field["optional_block"] = True  # given in part: every part then needed
        rule = CROSS_FIELD_RULES.get((self.model, name)) if top else None
        if rule:
            field.update(rule)
        auto = next((source for (model, key), source in AUTO_CODES.items() if key == name and model.model_config.get("title") == parent_title), None)
        if auto:
            # Left empty, the code is made from the task's name when saving.
            field.update(required=False, auto_from=auto)
            field["hint"] = field.get("hint", "") + " Để trống thì tự đặt theo «Việc cần làm»."
        if top and self.collection is not None and self.collection.folder and name in (self.collection.owner_field, self.collection.date_field):
            # The file is named after these two: a new entry may not take a
            # commune and Saturday that already have one (E001), and a saved
            # entry moves with them (or, on the published site, E002).
            field["names_file"] = True
        return field

    def _widget(self, name: str, prop: dict, required: bool) -> dict:
        kind = prop.get("type")
        if kind == "object":
            return {"widget": "object", "collapsed": False, "fields": self._object_fields(prop)}
        if kind == "array":
            item = self._resolve(prop.get("items", {}))
            limits = {}
            if prop.get("minItems"):
                limits["min"] = prop["minItems"]
            if prop.get("maxItems"):
                limits["max"] = prop["maxItems"]
            if item.get("type") == "object":
                fields = self._object_fields(item)
                # No default item: Decap would otherwise start every new
                # entry with one empty item (a photo's checkbox has a default).
                return {
                    "widget": "list",
                    "label_singular": item.get("title", name).lower(),
                    "summary": _summary(fields),
                    "collapsed": False,
                    "fields": fields,
                    **({} if limits.get("min") else {"default": []}),
                    **limits,
                }
            ref = item.get("x-ntm-ref")
            if ref:
                return {**self._choice(ref, name, multiple=True), **limits}
            if item.get("type") == "string":
                return {
                    "widget": "list",
                    "label_singular": "dòng",
                    "field": {"name": "muc", "label": prop.get("title", name), **self._text("muc", item)},
                    "collapsed": False,
                    **limits,
                }
            raise UnsupportedField(f"{self.model.__name__}.{name}: array of {item.get('type')}")
        if kind == "boolean":
            return {"widget": "boolean", "default": bool(prop.get("default", False))}
        if kind in ("integer", "number"):
            widget: dict[str, Any] = {"widget": "ntm-so", "value_type": "int" if kind == "integer" else "float"}
            if "minimum" in prop:
                widget["min"] = prop["minimum"]
            if "maximum" in prop:
                widget["max"] = prop["maximum"]  # M023
            if "exclusiveMinimum" in prop:
                # With a minimum too (ge=0, gt=0): negative first (M009), then 0 (M010), as pydantic checks them.
                widget["min"] = prop["exclusiveMinimum"]
                widget["min_exclusive"] = True
                widget["negative_first"] = "minimum" in prop
            return widget
        if kind == "string":
            if prop.get("x-ntm-ref"):
                return self._choice(prop["x-ntm-ref"], name)
            if prop.get("format") == "date":
                return {"widget": "ntm-ngay", "saturday": prop.get("x-ntm-kind") == "saturday"}
            if "enum" in prop or "const" in prop:
                values = prop.get("enum") or [prop["const"]]
                return {"widget": "ntm-chon", "options": [{"label": v, "value": v} for v in values]}
            if prop.get("x-ntm-kind") == "photo":
                return self._photo()
            return self._text(name, prop)
        raise UnsupportedField(f"{self.model.__name__}.{name}: type {kind}")

    def _photo(self) -> dict:
        """A photo's file: «Chọn ảnh» (ntm-anh.js). Decap keeps the picked
        photo with the entry and sends it with the save, to the folder of the
        record's commune and Saturday (materials/anh/<xã>/<ngày>/); the local
        backend writes only what it normalised itself (editor/photos.py)."""
        owner = self.collection.owner_field if self.collection is not None else "xa"
        day = self.collection.date_field if self.collection is not None else "ngay"
        folder = f"/materials/{PHOTOS_DIR}/{{{{fields.{owner}}}}}/{{{{fields.{day}}}}}"
        return {
            "widget": "ntm-anh",
            "media_folder": folder,
            "public_folder": folder,
            "owner_field": owner,
            "date_field": day,
            "long_side": LONG_SIDE,
            "quality": QUALITY,
            "max_bytes": MAX_INPUT_BYTES,
            "max_pixels": MAX_INPUT_PIXELS,
            "accepted": PHOTO_FORMATS_ACCEPTED,
        }

    @staticmethod
    def _text(name: str, prop: dict) -> dict:
        widget: dict[str, Any] = {"widget": "ntm-chu", "multiline": name in LONG_TEXT}
        for key, option in (("minLength", "min_length"), ("maxLength", "max_length")):
            if key in prop:
                widget[option] = prop[key]
        pattern = prop.get("pattern")
        if pattern == SLUG_PATTERN:
            widget["kind"] = "code"  # M006
        elif pattern and prop.get("x-ntm-kind") != "photo":
            widget["kind"] = "clock"  # M018; end after start: M019
        else:
            widget["kind"] = "text"  # no markup (M020), no OCR residue (T002, T003)
        return widget

    def _choice(self, ref: str, name: str, multiple: bool = False) -> dict:
        options = {"unit": self.choices.units, "agency": self.choices.agencies, "document": self.choices.documents}
        if ref in options:
            widget = "ntm-nhieu" if multiple else "ntm-chon"
            return {"widget": widget, "options": options[ref], "ref": ref}
        if ref == "hamlet":
            # Which hamlets depends on the commune chosen in the same form.
            return {"widget": "ntm-thon", "unit_field": "xa", "hamlets": self.choices.hamlets, "ref": ref, "multiple": multiple}
        if ref == "task":
            # Tasks of the plan for the same commune and Saturday.
            return {"widget": "ntm-phan-viec", "unit_field": "xa", "date_field": "ngay", "plans": "ke-hoach", "ref": ref}
        raise UnsupportedField(f"{self.model.__name__}.{name}: x-ntm-ref {ref}")


# What «Chọn ảnh» takes, in a refusal of another format (editor/photos.py too).
PHOTO_FORMATS_ACCEPTED = "trang quản trị nhận ảnh JPEG, PNG hoặc WebP (ảnh chụp từ điện thoại, máy ảnh)"


def _summary(fields: list[dict]) -> str:
    """List item summary: the first two plain text fields."""
    names = [f["name"] for f in fields if f.get("widget") in ("ntm-chu", "ntm-chon")][:2]
    return " · ".join("{{fields.%s}}" % n for n in names)


def data_fields(model: type[BaseModel], choices: Choices, collection: DataCollection | None = None) -> list[dict]:
    return _Fields(model, choices, collection).fields()


def _schema_comment(collection: DataCollection) -> str:
    """The schema line for code editors, written back by the editor on save.

    Decap drops the comments a file had; a comment attached to the first
    field is written again, so VS Code keeps its autocompletion.
    """
    depth = "../../" if collection.folder else ""
    return f"yaml-language-server: $schema={depth}schema/{collection.schema}.schema.json"


def data_collection(collection: DataCollection, choices: Choices) -> dict:
    fields = data_fields(collection.model, choices, collection)
    fields[0] = {**fields[0], "comment": _schema_comment(collection)}
    entry: dict[str, Any] = {
        "name": collection.name,
        "label": collection.label,
        "label_singular": collection.label_singular,
        "description": collection.description,
        "format": "yml",
        "extension": "yml",
        "editor": {"preview": False},
    }
    if collection.file:
        entry["files"] = [
            {
                "name": collection.name,
                "label": collection.label,
                "file": collection.file,
                "fields": fields,
            }
        ]
        return entry
    owner, day = collection.owner_field, collection.date_field
    entry.update(
        {
            "folder": collection.folder,
            "create": True,
            "delete": True,
            # materials/ke-hoach/<xa>/<yyyy-mm-dd>.yml: the folder is the
            # commune (or agency), the file name the Saturday.
            "path": "{{%s}}/{{slug}}" % owner,
            "slug": "{{%s}}" % day,
            # «Xem thử» / «Xem trên trang»: the page of this entry, not the home page
            # (backend.preview_path says the same for `ntm edit`).
            "preview_path": "xa/{{dirname}}/{{filename}}/" if collection.folder.startswith(("materials/ke-hoach", "materials/ket-qua"))
            else "thu-bay/{{filename}}/",
            "identifier_field": day,
            # dd/mm/yyyy · the commune's id, which ntm-cms.js shows as its name.
            "summary": "{{%s | date('DD/MM/YYYY')}} · {{%s}}" % (day, owner),
            "sortable_fields": [{"field": day, "default_sort": "desc"}, owner],
            "view_groups": [{"label": "Theo " + _title_of(fields, owner).lower(), "field": owner}],
            "fields": fields,
        }
    )
    return entry


def _title_of(fields: list[dict], name: str) -> str:
    return next(f["label"] for f in fields if f["name"] == name)


# --- pages of docs/ ----------------------------------------------------------

PAGE_FIELDS = [
    {
        "name": "title",
        "label": "Tiêu đề trang",
        "widget": "ntm-chu",
        "kind": "text",
        "multiline": False,
        "hint": "Hiện trên thẻ trình duyệt, trong menu và kết quả tìm kiếm. Ngắn, rõ việc, ví dụ «Ai làm gì trong ngày thứ Bảy».",
    },
    {
        "name": "description",
        "label": "Mô tả ngắn",
        "widget": "ntm-chu",
        "kind": "text",
        "multiline": True,
        "required": False,
        "hint": "Một hai câu nói trang này giúp người đọc việc gì; hiện khi chia sẻ đường dẫn qua Zalo, Facebook.",
    },
    {
        "name": "body",
        "label": "Nội dung",
        # Markdown as written, in a text box (overrides/quan-tri/ntm-cms.js):
        # Decap's rich-text mode rewrites admonitions, heading anchors
        # ({#muc-ii-1}) and tick-box lists the site relies on.
        "widget": "ntm-markdown",
        "hint": "Viết theo Markdown: «## » đầu dòng cho đề mục, «- » cho gạch đầu dòng, **chữ đậm**, [chữ của liên kết](trang-khac.md). Xem «Hướng dẫn biên tập».",
    },
]


def page_collections(docs_dir: Path, nav: list | None) -> list[dict]:
    """One collection per folder of ``docs/``, labelled like its menu section."""
    labels = _section_labels(nav or [])
    folders = sorted({p.parent.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")})
    collections = []
    for folder in folders:
        label = labels.get(folder) or ("Trang chung" if folder == "." else folder)
        name = page_collection_name(folder)
        collections.append(
            {
                "name": name,
                "label": f"Trang: {label}",
                "label_singular": "trang",
                "description": "Các trang Markdown trong thư mục docs/"
                + ("" if folder == "." else f"{folder}/")
                + ". Trang mới tự có trong menu, ở cuối mục này.",
                "folder": "docs" if folder == "." else f"docs/{folder}",
                "extension": "md",
                "format": "frontmatter",
                "create": True,
                "delete": False,
                "slug": "{{slug}}",
                "preview_path": ("" if folder == "." else f"{folder}/") + "{{slug}}/",
                "summary": "{{title}}",
                "sortable_fields": ["title"],
                # Pictures next to the page, so links stay relative.
                "media_folder": "",
                "public_folder": "",
                "fields": PAGE_FIELDS,
            }
        )
    return collections


def page_collection_name(folder: str) -> str:
    """docs/<folder> -> the collection's name in the editor's addresses."""
    return "trang" if folder == "." else "trang-" + re.sub(r"[^a-z0-9]+", "-", folder)


def _section_labels(nav: list) -> dict[str, str]:
    """Folder -> title of the menu section listing it (from mkdocs.yml nav)."""
    labels: dict[str, str] = {}
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    folders = {Path(p).parent.as_posix() for p in _paths(value)}
                    if len(folders) == 1:
                        labels.setdefault(folders.pop(), title)
    return labels


def _paths(items) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out += _paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
    return out


# --- workbooks uploaded into a draft (published site) -----------------------

EXCEL_INBOX = "materials/nhap-excel"  # .ci/nhap-excel imports what a draft puts here
EXCEL_NOTES = EXCEL_INBOX + "/phieu"  # one note per upload: who sent what (never imported)


def excel_inbox_collection() -> dict:
    """«Nhập từ Excel» on the published site: each upload is a draft (a branch
    and a pull/merge request) holding a short note and the workbooks.

    Decap puts a file picked *inside an entry* into that entry's draft
    (decap-cms-core actions/mediaLibrary.ts: ``addDraftEntryMediaFile`` while
    an entry is being edited), at the file field's ``media_folder`` (a leading
    ``/`` is the repository's root). A file uploaded from the «Hình ảnh» page
    instead is committed straight to the published branch: that is why the
    workbooks go through this collection, never through the media library.
    """
    return {
        "name": "nhap-excel",
        "label": "Nhập từ Excel",
        "label_singular": "lần nhập Excel",
        "description": (
            "Tải lên bảng tính kế hoạch, kết quả (.xlsx) xã gửi về. Mỗi lần tải lên là một bản nháp: máy của kho git "
            "tự nhập bảng tính vào bản nháp đó (vài phút) và báo cáo ở mục kiểm tra «nhap-excel» của bản nháp "
            "(pull request, merge request): xã, ngày thứ Bảy, tạo mới hay cập nhật, thay đổi cũ → mới, hoặc lỗi kèm "
            "ô cần sửa. Đọc báo cáo trước khi lãnh đạo đăng bản nháp."
        ),
        "folder": EXCEL_NOTES,
        "format": "yml",
        "extension": "yml",
        "create": True,
        "delete": False,
        "slug": "{{year}}-{{month}}-{{day}}-{{hour}}{{minute}}",
        "identifier_field": "ghi_chu",
        "summary": "{{ghi_chu}}",
        "editor": {"preview": False},
        "fields": [
            {
                "name": "ghi_chu",
                "label": "Ai gửi, gửi khi nào",
                "widget": "ntm-chu",
                "kind": "text",
                "multiline": False,
                "hint": "Ví dụ: «Xã Gung Ré gửi qua Zalo ngày 27/03/2023, kế hoạch tuần sau». Người duyệt đọc dòng này.",
            },
            {
                "name": "bang_tinh",
                "label": "Bảng tính (.xlsx)",
                "label_singular": "bảng tính",
                "widget": "list",
                "min": 1,
                "max": 50,
                "hint": "Mỗi dòng một tệp .xlsx xã gửi về (tối đa 50 tệp, mỗi tệp tối đa 10 MB).",
                "field": {
                    "name": "tep",
                    "label": "Tệp",
                    "widget": "file",
                    "choose_url": False,
                    "media_folder": "/" + EXCEL_INBOX,
                    "public_folder": "",
                },
            },
        ],
    }


# --- the whole file --------------------------------------------------------


# Commit messages of the editor's saves, in Vietnamese (git history is read
# by the Board too). Decap fills the {{...}} parts.
COMMIT_MESSAGES = {
    "create": "Thêm {{collection}} «{{slug}}» (trang quản trị)",
    "update": "Sửa {{collection}} «{{slug}}» (trang quản trị)",
    "delete": "Xóa {{collection}} «{{slug}}» (trang quản trị)",
    "uploadMedia": "Thêm tệp «{{path}}» (trang quản trị)",
    "deleteMedia": "Xóa tệp «{{path}}» (trang quản trị)",
    "openAuthoring": "{{message}}",
}

# The site's own name card stands for the Board on the login page: the
# document set has no emblem of the Board, and none is made up here.
LOGO = "../assets/images/chia-se.png"


def editor_config(materials, docs_dir: Path, nav: list | None, settings: EditorSettings) -> dict:
    choices = Choices.from_materials(materials)
    config: dict[str, Any] = {
        "locale": "vi",
        "backend": {**settings.backend_config(), "commit_messages": COMMIT_MESSAGES},
        # An edit becomes a draft (a branch and a pull/merge request) that a
        # leader reviews and publishes; Gitea and the local backend save directly.
        "publish_mode": settings.publish_mode,
        "media_folder": "docs/hinh-anh",
        "public_folder": "hinh-anh",
        # File names from Vietnamese titles: no accents, đ -> d.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        # «Xem thử» only where there is a preview to show (the local preview server).
        "show_preview_links": False,
        "search": True,
        "logo": {"src": LOGO, "show_in_header": False},
        "collections": [data_collection(c, choices) for c in DATA_COLLECTIONS]
        + page_collections(docs_dir, nav),
    }
    if settings.remote:
        # In local mode the «Nhập từ Excel» page imports on this computer (excel.py).
        config["collections"].append(excel_inbox_collection())
    if settings.site_url:
        config["site_url"] = settings.site_url
        config["display_url"] = settings.site_url
    return config


def local_config(built: bytes, api_path: str | None) -> bytes:
    """The built configuration as ``ntm edit`` serves it: Decap's proxy backend
    pointed at this run's local backend, whose address holds the run's secret
    (only pages of this origin can read it). Without a local backend (``ntm
    serve``) the address answers nothing and the editor says so in words."""
    config = yaml.safe_load(built)
    commit_messages = (config.get("backend") or {}).get("commit_messages", COMMIT_MESSAGES)
    config["backend"] = {
        "name": "proxy",
        "proxy_url": api_path or "/__ntm/api/khong-chay",
        "branch": "main",
        "commit_messages": commit_messages,
    }
    config["publish_mode"] = "simple"
    config["show_preview_links"] = True
    # On this computer workbooks are imported by the «Nhập từ Excel» page, not uploaded into a draft.
    config["collections"] = [c for c in config.get("collections", []) if c.get("name") != "nhap-excel"]
    config.pop("local_backend", None)
    return yaml.dump(config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=100).encode()

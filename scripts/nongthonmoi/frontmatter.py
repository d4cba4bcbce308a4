"""The front matter of a page: an allow-list of keys, each with its type.

MkDocs hands a page's front matter to the templates as it is, and
Material's templates print some keys without escaping (``subtitle`` and
``status`` in the menu) or use them as file names (``icon``) and
containers (``hide``, ``search``). So a page may only carry the keys the
site and Material read, typed here (:class:`PageMeta`); anything else, or a
value of the wrong type, is P013 with the key's line.

Two users:

- the checks (``pagecheck.check_front_matter``: ``ntm check``, every build,
  the web editor's save), which refuse with a Vietnamese message;
- the build (``plugin.on_page_markdown``), the one choke point where every
  text a template prints becomes escaped text (:func:`for_templates`), even
  with the checks switched off.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from markupsafe import Markup, escape
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from . import rules
from .errors import ContentError

MAX_FIELD = 300  # characters of one text field
MAX_SOURCES = 50_000  # a generated page lists its data files (an index of three years: thousands)

# Markup or character references: a template's ``striptags`` would turn
# ``&lt;script&gt;`` back into markup.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

# Material's own values (partials/*.html: ``"toc" in page.meta.hide``; the
# statuses its stylesheet draws).
HIDE_VALUES = ("navigation", "toc", "footer", "feedback", "path", "tags")
STATUS_VALUES = ("new", "deprecated")


def _one_line(value: Any) -> Any:
    # YAML reads «title: 2023» as a number: that is still a title.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_one_line), Field(strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SearchOptions(_Strict):
    """Material's search plugin: ``search: {exclude: true}`` or ``{boost: 0.5}``."""

    exclude: bool | None = None
    boost: float | None = Field(None, ge=0, le=10)

    @field_validator("boost", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class PageMeta(_Strict):
    """Every key a page may carry, with its type."""

    title: Text | None = None
    description: Text | None = None
    author: Text | None = None
    subtitle: Text | None = None  # Material: under the page's name in the menu
    status: Literal[STATUS_VALUES] | None = None  # Material: a mark in the menu
    hide: list[Literal[HIDE_VALUES]] | None = Field(None, max_length=len(HIDE_VALUES))
    search: SearchOptions | None = None
    view: str | None = None  # a template of overrides/views/ (checked against the folder)
    sources: list[str] | None = Field(None, max_length=MAX_SOURCES)  # generated pages: their data files

    @field_validator("sources")
    @classmethod
    def _repository_paths(cls, value: list[str] | None) -> list[str] | None:
        for path in value or []:
            if (not path or path.startswith("/") or "\\" in path or posixpath.normpath(path) != path
                    or path.split("/", 1)[0] not in ("docs", "materials", ".cache")):
                raise ValueError("path")
        return value


# Text fields: a template prints them (the head, the link preview, the menu).
TEXT_FIELDS = ("title", "description", "author", "subtitle")
KEYS = tuple(PageMeta.model_fields)

# What each key must be, said to the editor (P013's «{problem}»).
EXPECTED = {
    "title": f"phải là một dòng chữ, tối đa {MAX_FIELD} ký tự",
    "description": f"phải là một dòng chữ, tối đa {MAX_FIELD} ký tự",
    "author": f"phải là một dòng chữ, tối đa {MAX_FIELD} ký tự",
    "subtitle": f"phải là một dòng chữ, tối đa {MAX_FIELD} ký tự",
    "status": "chỉ nhận một trong các giá trị: " + ", ".join(STATUS_VALUES),
    "hide": "phải là danh sách gồm các giá trị: " + ", ".join(HIDE_VALUES) + " (ví dụ «hide: [toc]»)",
    "search": "phải gồm các dòng «exclude: true» hoặc «boost: 0.5» viết thụt vào dưới «search:»",
    "view": "phải là tên một trang dữ liệu có sẵn",
    "sources": "phải là danh sách đường dẫn tệp trong docs/ hoặc materials/",
}
UNKNOWN = "không được dùng: trang web chỉ đọc các trường " + ", ".join(k for k in KEYS if k != "sources")


def problems(meta: dict, display: str, views: set[str] | None = None, *, plain_text: bool = True) -> list[ContentError]:
    """P013 for each key of ``meta`` that is not allowed, or not of its type.

    ``views``: the names ``view`` may take (None: not checked);
    ``plain_text``: also refuse text fields with markup, or not on one line."""
    lines = getattr(meta, "lines", {})
    errors: list[ContentError] = []
    known: dict[str, Any] = {}
    for key, value in meta.items():
        line = lines.get(key, 2)
        name = str(key)
        if key == "template":
            errors.append(rules.error("P013", display, line, field=name,
                                      problem="không dùng được: mọi trang dùng chung một mẫu trình bày"))
        elif key not in KEYS:
            errors.append(rules.error("P013", display, line, field=name[:60], problem=UNKNOWN))
        else:
            known[key] = value
    try:
        parsed = PageMeta.model_validate(known)
    except ValidationError as exc:
        wrong = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        for key in wrong:
            errors.append(rules.error("P013", display, lines.get(key, 2), field=key, problem=EXPECTED[key]))
        parsed = PageMeta.model_validate({k: v for k, v in known.items() if k not in wrong})
    for key in TEXT_FIELDS:
        value = getattr(parsed, key)
        if value is None or not plain_text:
            continue
        if MARKUP.search(value):
            errors.append(rules.error("P013", display, lines.get(key, 2), field=key,
                                      problem="có mã HTML («<...>» hoặc «&...;»)"))
        elif "\n" in value.strip() or len(value) > MAX_FIELD:
            errors.append(rules.error("P013", display, lines.get(key, 2), field=key, problem=EXPECTED[key]))
    if parsed.view is not None and views is not None and parsed.view not in views:
        errors.append(rules.error("P013", display, lines.get("view", 2), field="view",
                                  problem="không phải tên một trang dữ liệu có sẵn: " + ", ".join(sorted(views))))
    return sorted(errors, key=lambda e: e.line)


def views_in(folder: Path) -> set[str]:
    """The names a page's ``view`` may take: the templates of overrides/views/."""
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.html")
            if not p.name.startswith("_")}


def for_templates(meta: dict, display: str, views: set[str] | None = None) -> dict:
    """The front matter as the templates may see it: typed, text escaped once.

    Raises ContentErrors when a key is unknown or of the wrong type (the
    templates would crash or print it raw). Markup or line breaks in a text
    field are not refused here (the check does that): the text is escaped
    and put on one line, so it shows as text."""
    from .errors import ContentErrors

    found = problems(meta, display, views, plain_text=False)
    if found:
        raise ContentErrors(found)
    safe = dict(meta)
    for key in TEXT_FIELDS:
        if safe.get(key) is not None:
            safe[key] = as_text(safe[key])
    return safe


def as_text(value: Any) -> Markup:
    """A front-matter text as escaped text, on one line (escaped only once)."""
    if isinstance(value, Markup):
        return value
    return escape(" ".join(str(value).split()))

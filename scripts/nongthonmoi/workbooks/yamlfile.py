"""Write a plan or result as a YAML file in the project's own style.

Fields in the order of the model, dates as 2023-03-04, times as 7h00,
quantities as ``so`` / ``don_vi_tinh``, lists of ids in one line
(``thon: [thon-1, thon-2]``), other lists one item per line. A file that is
rewritten keeps its leading comment block; a new file starts with the
``yaml-language-server`` line that gives editors autocompletion.
"""

from __future__ import annotations

import re
from datetime import date, time

import yaml
from pydantic import BaseModel

from ..models.plans import clock

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def schema_line(kind: str) -> str:
    """The first line of a file in ``materials/<kind>/<xa>/``."""
    return f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


def leading_comments(text: str) -> str:
    """The comment block (and blank lines) at the top of a YAML file."""
    kept = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            kept.append(line)
        else:
            break
    return "".join(kept)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, time):
        return clock(value)
    if isinstance(value, date):
        return value.isoformat()
    style = '"' if "\n" in value else None
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_style=style)
    return text.removesuffix("\n...\n").rstrip("\n")


def _lines(model: BaseModel, indent: str) -> list[str]:
    out = []
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if value is None or (value == [] and not info.is_required()):
            continue
        if value is False and info.default is False:  # a flag left at its default («khong_dang: false»)
            continue
        if isinstance(value, BaseModel):
            out.append(f"{indent}{key}:")
            out += _lines(value, indent + "  ")
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            out.append(f"{indent}{key}:")
            for item in value:
                inner = _lines(item, indent + "    ")
                out.append(f"{indent}  - {inner[0].lstrip()}")
                out += inner[1:]
        elif isinstance(value, list):
            if all(isinstance(v, str) and _SLUG.match(v) for v in value):
                out.append(f"{indent}{key}: [{', '.join(value)}]")
            else:
                out.append(f"{indent}{key}:")
                out += [f"{indent}  - {_scalar(v)}" for v in value]
        else:
            out.append(f"{indent}{key}: {_scalar(value)}")
    return out


def record_text(model: BaseModel, head: str) -> str:
    """The file: ``head`` (comments), then the record."""
    return head + "\n".join(_lines(model, "")) + "\n"

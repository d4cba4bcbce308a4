"""Load YAML while remembering the line of every key and list item.

Validation errors from the models carry a location such as
``("ke_hoach", 2, "khoi_luong")``; :meth:`YamlSource.line_of` turns it into
the line an editor has to look at.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, ContentErrors

Location = tuple[Any, ...]


# libyaml's parser when PyYAML has it: same nodes and marks, about six times
# faster, which matters with thousands of weekly plan files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeLoader's scalar rules (dates, ints, bools) without building trees."""


@dataclass
class YamlSource:
    path: Path
    display: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, loc: Location) -> int:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def load_yaml(path: Path, display: str) -> YamlSource:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentErrors(
            [ContentError(display, 1, "Tệp không phải UTF-8.", "Lưu lại tệp với bảng mã UTF-8.")]
        ) from exc
    return parse_yaml(text, path, display)


def parse_yaml(text: str, path: Path, display: str) -> YamlSource:
    """Parse YAML text that is (or is about to be) the file ``display``."""
    # Editors paste from Word and PDF; decomposed (NFD) accents would break
    # search and PDF text, so text is normalised once, here.
    text = unicodedata.normalize("NFC", text)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "cú pháp không hợp lệ"
        raise ContentErrors(
            [
                ContentError(
                    display,
                    line,
                    f"Lỗi cú pháp YAML ({problem}).",
                    "Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu hai chấm sau tên trường "
                    "và dấu ngoặc kép đóng mở đủ cặp.",
                )
            ]
        ) from exc
    source = YamlSource(path=path, display=display, data=None)
    if node is None:
        source.data = {}
        return source
    errors: list[ContentError] = []
    constructor = _Constructor()
    source.lines[()] = node.start_mark.line + 1
    source.data = _build(node, (), source, constructor, errors)
    if errors:
        raise ContentErrors(errors)
    return source


def _build(node, loc, source, constructor, errors):
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result:
                errors.append(
                    ContentError(
                        source.display,
                        line,
                        f"Trường «{key}» bị lặp lại (đã có ở dòng {source.lines[loc + (key,)]}).",
                        "Xóa một trong hai dòng, hoặc đổi tên trường cho đúng.",
                    )
                )
                continue
            source.lines[loc + (key,)] = line
            result[key] = _build(value_node, loc + (key,), source, constructor, errors)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            source.lines[loc + (index,)] = item.start_mark.line + 1
            items.append(_build(item, loc + (index,), source, constructor, errors))
        return items
    return constructor.construct_object(node, deep=True)

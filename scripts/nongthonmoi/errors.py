"""Content errors that name the file, the line and the fix, in Vietnamese.

Editors at the Board are not programmers: every problem found in their
Markdown or YAML is reported as ``file:line: what is wrong`` followed by how to
fix it, and all problems are collected before failing so one run shows them
all. A problem in a workbook names its cell instead of a line:
``ke-hoach-gung-re.xlsx, Kế hoạch!C7: what is wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    message: str
    hint: str = ""
    # "Sheet!C7" when the problem is in a workbook (``path`` is then the
    # workbook's name and ``line`` its row, for ordering only).
    cell: str = ""
    rule: str = ""  # id in rules.py, printed so an editor can look the rule up

    def __str__(self) -> str:
        if self.cell:
            where = f"{self.path}, {self.cell}"
        else:
            where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: [{self.rule}] {self.message}" if self.rule else f"{where}: {self.message}"
        if self.hint:
            text += f"\n    Cách sửa: {self.hint}"
        return text


class ContentErrors(Exception):
    """One or more content errors; the build stops and nothing is published."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"Nội dung có {count} lỗi, chưa thể dựng trang:"
        return "\n".join([head, *(str(e) for e in self.errors)])

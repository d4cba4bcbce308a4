"""What the build engine logs, in Vietnamese, with file and line.

``ntm check`` sees the problems the build stops on (pagecheck.py), so these
warnings are rare; when one still comes from MkDocs (or ProperDocs), the
editor reads it in the same form as every other problem: ``file:line: [id]
message`` and "Cách sửa". A logging filter on the engine's handlers rewrites
each record in place, so the strict-mode count is unchanged.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from . import rules

ENGINE_LOGGERS = ("mkdocs", "properdocs")

_DOC_LINK = re.compile(
    r"^Doc file '(?P<file>[^']+)' contains a link '(?P<link>[^']+)', but the target(?: '[^']+')? is not found"
)
_ANCHOR = re.compile(
    r"^Doc file '(?P<file>[^']+)' contains a link '(?P<link>[^']+)', but the doc '(?P<page>[^']+)' "
    r"does not contain an anchor '#(?P<anchor>[^']+)'"
)
_ABSOLUTE = re.compile(r"^Doc file '(?P<file>[^']+)' contains an absolute link '(?P<link>[^']+)'")
_UNRECOGNIZED = re.compile(r"^Doc file '(?P<file>[^']+)' contains an unrecognized relative link '(?P<link>[^']+)'")
_NAV_MISSING = re.compile(r"^A reference to '(?P<page>[^']+)' is included in the 'nav' configuration")
_README = re.compile(r"^Excluding '(?P<readme>[^']+)' from the site because it conflicts with '(?P<index>[^']+)'")
_NOT_IN_NAV = re.compile(r"^The following pages exist in the docs directory, but are not included in the \"nav\"")

_INFO = [
    (re.compile(r"^Cleaning site directory"), "Đang xóa thư mục trang web cũ"),
    (re.compile(r"^Building documentation to directory: (.*)"), r"Đang dựng trang web vào thư mục \1"),
    (re.compile(r"^Documentation built in ([\d.]+) seconds"), r"Đã dựng xong trang web trong \1 giây"),
    (re.compile(r"^The directory contains stale files"), "Thư mục có tệp cũ; chạy lại với --clean để xóa."),
]


def _line_of(docs_dir: Path, src_uri: str, needle: str) -> int:
    try:
        lines = (docs_dir / src_uri).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((n for n, line in enumerate(lines, start=1) if needle in line), 0)


def translate(message: str, docs_dir: Path, config_file: Path | None = None) -> str:
    """A warning of the engine as the editor should read it."""
    if match := _ANCHOR.match(message):
        file, link = match["file"], match["link"]
        return str(
            rules.error("P003", f"docs/{file}", _line_of(docs_dir, file, link), target=link, anchor=match["anchor"], page=match["page"])
        )
    if match := _DOC_LINK.match(message) or _UNRECOGNIZED.match(message):
        file, link = match["file"], match["link"]
        return str(rules.error("P002", f"docs/{file}", _line_of(docs_dir, file, link), target=link))
    if match := _ABSOLUTE.match(message):
        file, link = match["file"], match["link"]
        return str(rules.error("P008", f"docs/{file}", _line_of(docs_dir, file, link), target=link))
    if match := _NAV_MISSING.match(message):
        line = 0
        if config_file is not None and config_file.is_file():
            text = config_file.read_text(encoding="utf-8").splitlines()
            line = next((n for n, t in enumerate(text, start=1) if match["page"] in t), 0)
        return str(rules.error("P004", "mkdocs.yml", line, page=match["page"]))
    if match := _README.match(message):
        return str(
            rules.error(
                "B001",
                f"docs/{match['readme']}",
                0,
                message=f"Tệp {match['readme']} không được đăng vì thư mục đã có {match['index']}.",
            )
        )
    if _NOT_IN_NAV.match(message):
        pages = ", ".join(p.strip(" -") for p in message.splitlines()[1:])
        return str(rules.error("B001", "mkdocs.yml", 0, message=f"Các trang không có trong menu: {pages}."))
    return str(rules.error("B001", "mkdocs.yml", 0, message=f"Bản dựng báo: «{message.strip()}»."))


class VietnameseBuildLog(logging.Filter):
    """Rewrites the engine's warnings and progress lines in Vietnamese."""

    def __init__(self, docs_dir: Path, config_file: Path | None = None):
        super().__init__()
        self.docs_dir = docs_dir
        self.config_file = config_file

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.split(".")[0] in ENGINE_LOGGERS:
            return True
        message = record.getMessage()
        if record.levelno == logging.WARNING and not _already_ours(message):
            record.msg, record.args = translate(message, self.docs_dir, self.config_file), ()
        elif record.levelno == logging.INFO:
            for pattern, words in _INFO:
                if pattern.match(message):
                    record.msg, record.args = pattern.sub(words, message), ()
                    break
        return True


def _already_ours(message: str) -> bool:
    return bool(re.search(r": \[[A-Z]\d{3}\] ", message))


def install(docs_dir: Path, config_file: Path | None = None) -> None:
    """Attach the filter to every handler of the engine's loggers (once)."""
    for name in ENGINE_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            existing = [f for f in handler.filters if isinstance(f, VietnameseBuildLog)]
            if existing:
                existing[0].docs_dir, existing[0].config_file = docs_dir, config_file
            else:
                handler.addFilter(VietnameseBuildLog(docs_dir, config_file))

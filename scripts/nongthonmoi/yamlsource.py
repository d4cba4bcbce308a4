"""Load YAML while remembering the line of every key and list item.

Validation errors from the models carry a location such as
``("ke_hoach", 2, "khoi_luong")``; :meth:`YamlSource.line_of` turns it into
the line an editor has to look at.

Editors never need YAML's advanced features, and some of them are traps, so
they are refused with a message and a line instead of a traceback or a
hang: anchors and aliases (an "alias bomb" of a few lines expands to
gigabytes; a self-referencing alias never ends), merge keys, lists or
mappings used as keys, unknown tags, impossible dates, files far larger than
any real one.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import rules
from .inputfile import NotReadable, read_input
from .errors import ContentError, ContentErrors

Location = tuple[Any, ...]

# No real data file comes near this (the whole district's unit list is 30 kB).
MAX_DATA_BYTES = 256 * 1024
# No kind of data nests deeper than a few levels (a plan: file, tasks, task,
# hamlets); a value nested a thousand deep is pasted junk, and would end in
# Python's recursion limit.
MAX_DEPTH = 16
# Invisible control characters (C0 but tab, line feed and carriage return;
# DEL; C1; the Unicode line and paragraph separators; the bidirectional
# marks, embeddings, overrides and isolates that make text read differently
# from how it is stored: «0912 345 678» shown as «0912678 345»).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# Pasted from Word, a PDF or a web page into a text (the web editor, a
# workbook cell): characters that show nothing (zero-width space and
# non-joiner, word joiner, byte-order mark, soft hyphen; not U+200D, the
# joiner of emoji), and spaces of other widths than a plain one.
INVISIBLE = re.compile("[\u200b\u200c\u2060\ufeff\u00ad]")
ODD_SPACE_CHARS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"


# In a value (after YAML read the line breaks): a carriage return too. It
# reaches calendars, CSV and workbooks as a line end the text never had.
VALUE_CONTROL = re.compile("[\r" + CONTROL.pattern[1:])


def control_character(text: str, pattern: re.Pattern = CONTROL) -> tuple[int, str] | None:
    """(line, "U+000C") of the first control character of ``text``, or None."""
    found = pattern.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group(0)):04X}"


def control_characters(text: str, references: bool, most: int = 20) -> list[tuple[int, str]]:
    """(line, what) of each line with a control character, or (``references``:
    a page's HTML) a reference a browser reads as one; the first of each line,
    at most ``most`` lines: the person mends them all in one go, not one a run."""
    found: dict[int, str] = {}
    for line, match in _with_lines(text, CONTROL.finditer(text)):
        found.setdefault(line, f"U+{ord(match.group(0)):04X}")
        if len(found) >= most:
            break
    if references and "&" in text and len(found) < most:
        for line, what in _control_references(text):
            found.setdefault(line, what)
            if len(found) >= most:
                break
    return sorted(found.items())


def _with_lines(text: str, matches):
    """(line, match) of each match, the lines counted as the matches go: one
    pass over ``text`` however many matches (a page of 500,000 controls, a
    count from the start for each, took minutes)."""
    line, counted = 1, 0
    for match in matches:
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield line, match


_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));?|&(lrm|rlm);")


def _control_references(text: str):
    """Each (line, what) of a reference a browser reads as a control character.
    Decoded as a browser does (Python's html.unescape drops &#1;, a browser
    keeps it); 128-159 are the Windows-1252 characters."""
    from html import unescape

    for line, found in _with_lines(text, _REFERENCE.finditer(text)):
        if found.group(3):  # the named marks: &lrm; &rlm;
            code = 0x200E if found.group(3) == "lrm" else 0x200F
            yield line, f"U+{code:04X}, viết là «{found.group(0)}»"
            continue
        code = int(found.group(1), 16) if found.group(1) else int(found.group(2))
        if 0x80 <= code <= 0x9F:
            char = unescape(found.group(0))
        elif code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            continue
        else:
            char = chr(code)
        if CONTROL.fullmatch(char):
            yield line, f"U+{code:04X}, viết là «{found.group(0)}»"

# libyaml's parser when PyYAML has it: same nodes and marks, about six times
# faster, which matters with thousands of weekly plan files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"

_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

# What libyaml says, in words an editor can act on.
_PROBLEMS = [
    ("tab", "có ký tự Tab; thụt lề phải dùng dấu cách"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("mapping values are not allowed", "có dấu hai chấm không đúng chỗ; câu có dấu hai chấm phải đặt trong ngoặc kép"),
    ("did not find expected key", "thụt lề không khớp với các dòng trên"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không khớp"),
    ("did not find expected ',' or ']'", "thiếu dấu «]» đóng danh sách"),
    ("did not find expected ',' or '}'", "thiếu dấu «}» đóng"),
    ("found unexpected end of stream", "tệp kết thúc khi dấu ngoặc kép hoặc ngoặc vuông chưa đóng"),
    ("found undefined alias", "có dấu «*» không dùng được ở đầu giá trị; đặt giá trị trong ngoặc kép"),
    ("did not find expected node content", "thiếu giá trị hoặc có ký tự không dùng được ở đầu giá trị"),
    ("found unknown escape character", "có dấu «\\» không hợp lệ trong ngoặc kép"),
    ("control characters are not allowed", "có ký tự điều khiển lạ (thường do dán từ phần mềm khác)"),
    ("invalid", "có ký tự không đọc được"),
    ("found character that cannot start any token", "có ký tự không dùng được ở đầu giá trị (ví dụ «@», «`»); đặt giá trị trong ngoặc kép"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên"),
    ("found duplicate anchor", "có tham chiếu YAML bị trùng"),
    ("found unexpected ':'", "có dấu hai chấm không đúng chỗ"),
]


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeLoader's scalar rules (dates, ints, bools) without building trees."""

    def construct_yaml_timestamp(self, node):
        # "2023-02-30" looks like a date but is none: keep the text, so the
        # model says "phải là ngày có thật" with the line, instead of a crash.
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


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

    def cell_of(self, loc: Location) -> str:
        """The workbook cell of a location; YAML files have lines, not cells."""
        return ""


def refuse_link(path: Path, display: str) -> None:
    """A data file, or a folder of it below ``materials/``, that is a symbolic
    link is never read (P016): it could lead out of the repository, and the
    messages of the check would quote what it holds."""
    for part in (path, *path.parents):
        if part.name in ("materials", ""):
            break
        if part.is_symlink():
            raise ContentErrors([rules.error("P016", display, 0, name=display, target=os.readlink(part))])


def read_data(path: Path, display: str) -> bytes:
    """A data file's bytes, through the one reader of input files
    (inputfile.read_input): a link (P016), an entry that is no regular file
    (P017), a missing file (Y009) or one over the limit (Y008) is never read."""
    refuse_link(path, display)
    try:
        data = read_input(path, MAX_DATA_BYTES)
    except NotReadable as exc:
        if exc.kind == "special":
            raise ContentErrors([rules.error("P017", display, 0, name=display)]) from None
        if exc.kind == "link":
            raise ContentErrors([rules.error("P016", display, 0, name=display, target=os.readlink(path))]) from None
        raise ContentErrors([rules.error("Y009", display, 0)]) from None
    if len(data) > MAX_DATA_BYTES:
        size = max(len(data), path.lstat().st_size)
        raise ContentErrors([rules.error("Y008", display, 1, size=size // 1024, limit=MAX_DATA_BYTES // 1024)])
    return data


def load_yaml(path: Path, display: str, data: bytes | None = None) -> YamlSource:
    """Read and parse ``path``; ``data``: its bytes, when the caller has read
    them already (thousands of plan files are opened once, not twice)."""
    try:
        if data is None:
            data = read_data(path, display)
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentErrors([rules.error("Y002", display, 1)]) from exc
    return parse_yaml(text, path, display)


def _problem(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}".lower()
    for needle, words in _PROBLEMS:
        if needle in text:
            return words
    return "cú pháp không đúng"


def parse_yaml(text: str, path: Path, display: str) -> YamlSource:
    """Parse YAML text that is (or is about to be) the file ``display``."""
    if len(text.encode("utf-8")) > MAX_DATA_BYTES:
        raise ContentErrors(
            [rules.error("Y008", display, 1, size=len(text.encode("utf-8")) // 1024, limit=MAX_DATA_BYTES // 1024)]
        )
    # Editors paste from Word and PDF; decomposed (NFD) accents would break
    # search and PDF text, so text is normalised once, here.
    text = unicodedata.normalize("NFC", text).lstrip("\ufeff")
    control = control_character(text)
    if control is not None:
        raise ContentErrors([rules.error("Y011", display, control[0], char=control[1])])
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if "nesting depth" in f"{exc.problem or ''}":
            raise ContentErrors([rules.error("Y012", display, line, limit=MAX_DEPTH)]) from None
        problem = _problem(exc)
        # libyaml does not always say that a Tab is the cause: look at the lines.
        nearby = text.splitlines()[max(line - 2, 0) : line]
        if any("\t" in near for near in nearby):
            problem = "có ký tự Tab; thụt lề phải dùng dấu cách"
        raise ContentErrors([rules.error("Y001", display, line, problem=problem)]) from None
    except yaml.YAMLError:
        raise ContentErrors([rules.error("Y001", display, 1, problem="cú pháp không đúng")]) from None
    source = YamlSource(path=path, display=display, data=None)
    if node is None:
        source.data = {}
        return source
    errors: list[ContentError] = []
    builder = _Builder(source, errors)
    source.lines[()] = node.start_mark.line + 1
    source.data = builder.build(node, ())
    if errors:
        raise ContentErrors(errors)
    return source


class _Builder:
    """Nodes to Python values, reporting what editors never need."""

    def __init__(self, source: YamlSource, errors: list[ContentError]):
        self.source = source
        self.errors = errors
        self.constructor = _Constructor()
        self.seen: set[int] = set()

    def _line(self, node) -> int:
        return node.start_mark.line + 1

    def build(self, node, loc, at_line: int | None = None):
        if len(loc) > MAX_DEPTH:
            # Deeper than any data: reported once, and not walked (no recursion limit).
            if not any(e.rule == "Y012" for e in self.errors):
                self.errors.append(rules.error("Y012", self.source.display, self._line(node), limit=MAX_DEPTH))
            return None
        # A node met twice is an alias (or a loop back to itself): refused
        # before it can be expanded. ``at_line``: where the alias stands (the
        # node itself only knows where its anchor is).
        if id(node) in self.seen:
            self.errors.append(rules.error("Y004", self.source.display, at_line or self._line(node)))
            return None
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS and node.tag != _MERGE_TAG:
            self.errors.append(rules.error("Y007", self.source.display, self._line(node), tag=node.tag.rsplit(":", 1)[-1]))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.source.lines[loc + (index,)] = self._line(item)
                items.append(self.build(item, loc + (index,), at_line=self._line(node)))
            return items
        if isinstance(node, yaml.ScalarNode) and VALUE_CONTROL.search(node.value):
            # Written as an escape in quotes ("\f", "\x00", "\r"): the text itself
            # had none (a CR in the file is a line break, read as "\n").
            control = control_character(node.value, VALUE_CONTROL)
            self.errors.append(rules.error("Y011", self.source.display, self._line(node), char=control[1]))
            return None
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what SafeConstructor.construct_yaml_str returns, without its detour
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            return node.value

    def _mapping(self, node, loc):
        result = {}
        for key_node, value_node in node.value:
            line = self._line(key_node)
            if key_node.tag == _MERGE_TAG:
                self.errors.append(rules.error("Y005", self.source.display, line))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "một danh sách" if isinstance(key_node, yaml.SequenceNode) else "một mục"
                self.errors.append(rules.error("Y006", self.source.display, line, kind=kind))
                continue
            key = self.build(key_node, loc)
            if key is None:
                continue
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = self.source.lines[loc + (key,)]
                self.errors.append(rules.error("Y003", self.source.display, line, key=key, first=first))
                continue
            self.source.lines[loc + (key,)] = line
            result[key] = self.build(value_node, loc + (key,), at_line=line)
        return result

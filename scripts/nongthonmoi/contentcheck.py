"""Checks on the text of Markdown pages and YAML files.

Catches what OCR and copy-paste leave behind: text that is not Unicode NFC
(decomposed accents look right but break search and PDF text), words mangled
by OCR ("néng thén méi" for "nông thôn mới"), digits inside words ("s6" for
"số"), and images without alt text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from importlib import resources
from pathlib import Path

from . import rules
from .errors import ContentError
from .inputfile import NotReadable, kind_of, read_input
from .yamlsource import MAX_DATA_BYTES, control_characters

# Words the OCR of notice 422-TB/HU produced that are not Vietnamese words.
# Derived from the scan: OCR tokens that do not occur in the restored text.
OCR_RESIDUE = frozenset(
    word
    for line in resources.files(__package__).joinpath("ocr_residue.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)

_LOWER = "a-zà-ỹđ"
_WORD = re.compile(r"[\wÀ-ỹĐđ]+")
# A lowercase letter touching a digit ("s6", "t6", "v0i"), except units and
# clock times written the Vietnamese way (m2, m3, km2, 7h30), and numbers
# with one letter (team 5b, class 12a1, a 4x4 truck).
_DIGIT_IN_WORD = re.compile(rf"[{_LOWER}]\d|\d[{_LOWER}]")
_ALLOWED_MIXED = re.compile(r"^(?:\d*(m2|m3|km2|km|kg|ha|cm|mm|h\d{0,2}|g)|\d+[a-z]\d*)$")  # and «tổ 5b», «lớp 12a1», «4x4»
# Every pattern stops at the next character that would start another match
# ("[", "(", "{", "<"), so a line of 100,000 of them costs one pass, not one
# pass per character (the quadratic scans that hung the check).
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(")
# A photo's file name (``tep: anh-d416cea6074d.jpg``, named by its content)
# is not prose: its form is rule A012's.
_FILE_NAME_KEY = re.compile(r"(?:- )?tep:")
_NOT_PROSE = [
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^()]*\)"),  # link targets
    re.compile(r"\{[:#][^{}]*\}"),  # attribute lists
    re.compile(r"<[^<>]*>"),  # autolinks and tags
    re.compile(r"https?://\S+"),
    re.compile(r"\$schema=\S+"),
]
# Python-Markdown scans from every "[" (and "<", "{") of a paragraph to the
# end of it, nests a list or quote per marker at the start of a line (a line
# "1. 1. 1. ..." ends in Python's recursion limit) and tries every
# abbreviation on every word: bounded before any page is converted. The
# document set's busiest paragraph has 18 such characters, its deepest line 3
# markers, and the glossary a few dozen abbreviations.
MAX_BRACKETS_PER_BLOCK = 200
MAX_BRACKETS_PER_PAGE = 3000
MAX_LINE_MARKERS = 8
MAX_INDENT = 64
MAX_ABBREVIATIONS = 300
_BRACKETS = re.compile(r"[\[<{]")
_MARKERS = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_ABBREVIATION = re.compile(r"^\*\[", re.M)


def markdown_limits(text: str, first_line: int = 1) -> list[tuple[int, str, int]]:
    """(line, what, limit) of what would make the Markdown conversion slow or
    deep, in one pass over the text (T006); empty when the page is fine.
    Kept in :data:`TEXT_MEMO`: `ntm check` asks for every page on every run
    (and `ntm edit` checks on every save), most of them unchanged."""
    return list(TEXT_MEMO.get((f"markdown limits {first_line}", text), lambda t: tuple(_markdown_limits(t, first_line))))


def _markdown_limits(text: str, first_line: int) -> list[tuple[int, str, int]]:
    found = []
    total, block, block_start, fenced = 0, 0, first_line, False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip():
            block, block_start = 0, number + 1
            continue
        count = len(_BRACKETS.findall(line))
        block += count
        total += count
        if block > MAX_BRACKETS_PER_BLOCK:
            found.append((block_start, "quá nhiều dấu «[», «<», «{» trong một đoạn", MAX_BRACKETS_PER_BLOCK))
            block = -(10**9)  # once per block
        if fenced:
            continue
        markers, position = 0, 0
        while markers <= MAX_LINE_MARKERS and (match := _MARKERS.match(line, position)) and match.end() > position:
            markers, position = markers + 1, match.end()
        if markers > MAX_LINE_MARKERS:
            found.append((number, "quá nhiều dấu danh sách, trích dẫn «>» lồng nhau ở đầu dòng", MAX_LINE_MARKERS))
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            found.append((number, "dòng thụt vào quá sâu", MAX_INDENT))
    if total > MAX_BRACKETS_PER_PAGE:
        found.append((first_line, "quá nhiều dấu «[», «<», «{» trong trang", MAX_BRACKETS_PER_PAGE))
    if len(_ABBREVIATION.findall(text)) > MAX_ABBREVIATIONS:
        found.append((first_line, "quá nhiều định nghĩa chữ viết tắt «*[...]:»", MAX_ABBREVIATIONS))
    return found[:20]


# Pages are read whole; none of the document set comes near this (the notice
# 422-TB/HU is 19 kB). Data files: the loader's own limit (yamlsource.py).
MAX_PAGE_BYTES = 512 * 1024


class TextMemo:
    """Answers of pure functions of one text (a page's Markdown, its HTML),
    kept by this process up to ``limit`` characters of texts and text answers
    (least recently used go first). A check converts every page when one changes; a process
    that checks again and again (`ntm edit` on every save) converts only the
    pages that changed."""

    def __init__(self, limit: int):
        from collections import OrderedDict

        self.limit, self.size, self.items = limit, 0, OrderedDict()

    def get(self, key: tuple[str, str], make):
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        value = make(key[1])
        self.items[key] = value
        self.size += _weight(key, value)
        while self.size > self.limit and len(self.items) > 1:
            self.size -= _weight(*self.items.popitem(last=False))
        return value


def _weight(key: tuple[str, str], value) -> int:
    return len(key[1]) + (len(value) if isinstance(value, str) else 0)


# 16 million characters: the whole real docs/ (about 1 MB) many times over, or
# 16 pages of the largest size with their HTML; some 32 MB of memory at most.
# One for this process: the checks of pages (pagecheck.py) and of texts here.
TEXT_MEMO = TextMemo(limit=32 * MAX_PAGE_BYTES)


def _prose(line: str) -> str:
    for pattern in _NOT_PROSE:
        line = pattern.sub(" ", line)
    return line


def check_text(text: str, display: str, markdown: bool) -> list[ContentError]:
    errors: list[ContentError] = []
    in_front_matter = False
    in_fence = False
    for line, what in control_characters(text, references=markdown):
        errors.append(rules.error("Y011", display, line, char=what))
    if markdown:
        for number, what, limit in markdown_limits(text):
            errors.append(rules.error("T006", display, number, what=what, limit=limit))
    for number, line in enumerate(text.split("\n"), start=1):
        if not unicodedata.is_normalized("NFC", line):
            errors.append(rules.error("T001", display, number))
            line = unicodedata.normalize("NFC", line)
        stripped = line.strip()
        if markdown:
            if number == 1 and stripped == "---":
                in_front_matter = True
                continue
            if in_front_matter:
                if stripped == "---":
                    in_front_matter = False
                    continue
                # Only the values of front matter are prose.
                line = line.split(":", 1)[1] if ":" in line else ""
            if stripped.startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            for match in _IMAGE.finditer(line):
                if not match.group(1).strip():
                    errors.append(rules.error("T004", display, number))
        else:
            # YAML: comments and keys are not prose; values are.
            line = line.split(" #", 1)[0]
            if stripped.startswith("#") or _FILE_NAME_KEY.match(stripped):
                continue
        errors += [rules.error(rule, display, number, word=word) for rule, word in word_problems(line)]
    return errors


def word_problems(text: str) -> list[tuple[str, str]]:
    """(rule, word) for each word of ``text`` that looks like OCR residue (T002)
    or holds a digit inside (T003): one reading for pages, data files, the
    web editor and the workbook import."""
    found = []
    for word in _WORD.findall(_prose(text)):
        lower = word.lower()
        if lower in OCR_RESIDUE or word in OCR_RESIDUE:
            found.append(("T002", word))
        elif _DIGIT_IN_WORD.search(word) and not _ALLOWED_MIXED.match(word):
            found.append(("T003", word))
    return found


# (path, size, mtime_ns, markdown) -> problems found. ``mkdocs serve`` checks
# again on every reload; with thousands of weekly plan files only the saved
# file needs reading.
_CHECKED: dict[tuple, list[ContentError]] = {}


def check_tree(
    root: Path, docs_dir: Path | None = None, cache_dir: Path | None = None, *, pages: bool = True, data: bool = True
) -> list[ContentError]:
    """Problems of every page (``pages``) and data file (``data``). ``cache_dir``
    (the build's): the problems an earlier build found in a file with the same
    bytes, under the same code (inputcache.py), are not looked for again."""
    docs_dir = docs_dir or root / "docs"
    targets = [(p, True) for p in sorted(docs_dir.rglob("*.md"))] if pages else []
    if data:
        targets += [(p, False) for p in sorted((root / "materials").rglob("*.yml"))]
    if cache_dir is None:
        return [error for path, markdown in targets for error in _checked(root, path, markdown)]
    from .inputcache import FileResults

    results = FileResults(cache_dir, CODE)
    errors: list[ContentError] = []
    for path, markdown in targets:
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        too_big = _too_big(path, display, markdown)
        if too_big is not None:
            errors += too_big
            continue
        data = _read(path, markdown)
        if data is None:
            continue
        key = (display, hashlib.sha256(data).hexdigest(), markdown)
        found = results.known.get(key)
        if found is None:
            found = _check_bytes(data, display, markdown)
        results.used[key] = found
        errors += found
    if results.changed():
        results.save()
    return errors


# The code that decides what a problem is (the key of the file cache).
CODE = ("contentcheck.py", "rules.py", "errors.py", "ocr_residue.txt", "yamlsource.py")


def _too_big(path: Path, display: str, markdown: bool) -> list[ContentError] | None:
    """The loader's size limits, checked before a byte is read (and links are
    not followed: the file check reports them, P016)."""
    stat = path.lstat()
    if kind_of(stat.st_mode) != "file":
        return []  # a link (P016) or no regular file (P017): never read
    size = stat.st_size
    if markdown and size > MAX_PAGE_BYTES:
        return [rules.error("T005", display, 1, size=size // 1024, limit=MAX_PAGE_BYTES // 1024)]
    if not markdown and size > MAX_DATA_BYTES:
        return [rules.error("Y008", display, 1, size=size // 1024, limit=MAX_DATA_BYTES // 1024)]
    return None


def _checked(root: Path, path: Path, markdown: bool) -> list[ContentError]:
    too_big = _too_big(path, str(path), markdown)
    if too_big is not None:
        return too_big
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, markdown)
    if key not in _CHECKED:
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        _CHECKED[key] = _check_file(path, display, markdown)
    return _CHECKED[key]


def _check_file(path: Path, display: str, markdown: bool) -> list[ContentError]:
    data = _read(path, markdown)
    return [] if data is None else _check_bytes(data, display, markdown)


def _read(path: Path, markdown: bool) -> bytes | None:
    """The file's bytes through the one reader of input files; None for a
    file swapped for a link or a device since ``_too_big`` looked (P016, P017)."""
    try:
        return read_input(path, MAX_PAGE_BYTES if markdown else MAX_DATA_BYTES)
    except NotReadable:
        return None


def _check_bytes(data: bytes, display: str, markdown: bool) -> list[ContentError]:
    """The problems of a file's bytes (read once: they are its cache key too)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [rules.error("Y002", display, 1)]
    return check_text(text, display, markdown)

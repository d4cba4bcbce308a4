"""Check what the web editor is about to save, with the rules of ``ntm check``.

The local backend (backend.py) calls :func:`check_save` before it writes
anything: the new text is checked in place of the file on disk (an overlay;
a file about to be moved or removed is taken away), against all the other
data, so a plan for a hamlet of another commune, a result without a plan or
households over the total are refused before they are written. Problems
that already existed elsewhere do not block the save.

Each problem comes back as :class:`Problem`: the rule id of ``ntm check``,
where in the entry (``("phan_viec", 1, "khoi_luong", "so")``), the field's
label path, the message with labels instead of YAML keys and the fix in the
words of the form (messages.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import contentcheck
from ..buildday import latest_saturday
from .. import rules as registry
from ..errors import ContentError, ContentErrors
from ..materials import load_materials
from ..yamlsource import INVISIBLE, ODD_SPACE_CHARS, parse_yaml
from .config import DATA_COLLECTIONS, DataCollection
from .messages import FORM_FIXES

# Problems of the files on disk, keyed by repository: only new problems block a save.
_BASELINE: dict[str, tuple[tuple, set[ContentError]]] = {}
_KEY = re.compile(r"«([a-z][a-z0-9_]*)»")
_LINE_NOTE = re.compile(r",? dòng \d+")
_DATED = re.compile(r"^materials/(ke-hoach|ket-qua|danh-sach)/([a-z0-9-]+)/(\d{4})-(\d{2})-(\d{2})\.yml$")
_KINDS = {"ke-hoach": "Kế hoạch", "ket-qua": "Kết quả", "danh-sach": "Danh sách cán bộ"}


@dataclass(frozen=True)
class Problem:
    rule: str
    path: tuple  # where in the entry; () when the problem is elsewhere
    field: str  # the field's label path, "" when not in this entry
    message: str
    fix: str

    def text(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.message} Cách sửa: {self.fix}"

    def as_dict(self) -> dict:
        return {"rule": self.rule, "path": list(self.path), "field": self.field, "message": self.message, "fix": self.fix}


def collection_named(name: str) -> DataCollection | None:
    return next((c for c in DATA_COLLECTIONS if c.name == name), None)


def collection_of_path(path: str) -> DataCollection | None:
    for collection in DATA_COLLECTIONS:
        if collection.file == path or (collection.folder and path.startswith(collection.folder + "/")):
            return collection
    return None


def target_path(collection: DataCollection, data: dict) -> str:
    """Where an entry lives: its commune (or agency) and its Saturday give the path."""
    if collection.file:
        return collection.file
    owner = str(data.get(collection.owner_field) or "")
    day = str(data.get(collection.date_field) or "")
    return f"{collection.folder}/{owner}/{day}.yml"


# --- labels instead of keys -------------------------------------------------


class Labels:
    """Field labels of one model (its JSON Schema titles), by location."""

    def __init__(self, collection: DataCollection):
        self.schema = collection.model.model_json_schema(by_alias=True, mode="validation")
        self.defs = self.schema.get("$defs", {})
        self.titles: dict[str, str] = {}
        self._collect(self.schema)

    def _resolve(self, prop: dict) -> dict:
        for option in prop.get("anyOf", []):
            if option.get("type") != "null":
                prop = {**option, **{k: v for k, v in prop.items() if k != "anyOf"}}
        if "$ref" in prop:
            prop = {**self.defs[prop["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in prop.items() if k != "$ref"}}
        return prop

    def _collect(self, schema: dict) -> None:
        for name, prop in schema.get("properties", {}).items():
            prop = self._resolve(prop)
            self.titles.setdefault(name, prop.get("title", name))
            if prop.get("type") == "object":
                self._collect(prop)
            items = self._resolve(prop.get("items", {})) if prop.get("type") == "array" else {}
            if items.get("type") == "object":
                self._collect(items)

    def path(self, loc: tuple) -> str:
        """("phan_viec", 1, "khoi_luong", "so") -> "Các phần việc › Phần việc 2 › Khối lượng công việc › Số lượng"."""
        words, schema = [], self.schema
        for part in loc:
            if isinstance(part, int):
                item = self._resolve(schema.get("items", {}))
                words.append(f"{item.get('title', 'Mục')} {part + 1}")
                schema = item
                continue
            prop = self._resolve(schema.get("properties", {}).get(part, {}))
            if not prop:
                break
            words.append(prop.get("title", part))
            schema = prop
        return " › ".join(words)

    def words(self, text: str, loc: tuple = ()) -> str:
        """«so_ho_tham_gia» -> «Số hộ tham gia» (the field's own key by its own label)."""
        own = next((p for p in reversed(loc) if isinstance(p, str)), None)

        def label(match: re.Match) -> str:
            key = match.group(1)
            if key == own and loc:
                return f"«{self.path(loc).rsplit(' › ', 1)[-1]}»"
            return f"«{self.titles[key]}»" if key in self.titles else match.group(0)

        return _KEY.sub(label, text)


def describe_file(path: str, unit_names: dict[str, str]) -> str:
    """materials/ket-qua/gung-re/2023-03-18.yml -> "Kết quả 18/03/2023 · Xã Gung Ré"."""
    match = _DATED.match(path)
    if not match:
        return path
    kind, owner, year, month, day = match.groups()
    return f"{_KINDS[kind]} {day}/{month}/{year} · {unit_names.get(owner, owner)}"


def _unit_names(root: Path) -> dict[str, str]:
    from ..saturday.data import load_units

    try:
        return {u.id: u.full_name for u in load_units(root).units}
    except ContentErrors:
        return {}


def _with_names(text: str, names: dict[str, str]) -> str:
    return re.sub(r"«([a-z0-9-]+)»", lambda m: f"«{names[m.group(1)]}»" if m.group(1) in names else m.group(0), text)


# --- the check --------------------------------------------------------------


def _problems(root: Path, overlay: dict[str, str | None] | None = None) -> set[ContentError]:
    try:
        load_materials(root, overlay=overlay)
    except ContentErrors as exc:
        return set(exc.errors)
    return set()


def _baseline(root: Path) -> set[ContentError]:
    folder = root / "materials"
    stamp = tuple(sorted((p.as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*.yml")))
    cached = _BASELINE.get(str(root))
    if cached is None or cached[0] != stamp:
        cached = _BASELINE[str(root)] = (stamp, _problems(root))
    return cached[1]


def _locations(text: str, display: str) -> dict[int, tuple]:
    """Line -> the deepest location written on it (the text as it will be saved)."""
    try:
        source = parse_yaml(text, Path(display), display)
    except ContentErrors:
        return {}
    found: dict[int, tuple] = {}
    for loc, line in source.lines.items():
        if len(loc) >= len(found.get(line, ())):
            found[line] = loc
    return found


def _to_problem(error: ContentError, target: str, labels: Labels | None, lines: dict[int, tuple], names: dict) -> Problem:
    fix = FORM_FIXES.get(error.rule) or error.hint
    message = _LINE_NOTE.sub("", error.message)
    if error.path != target:
        # Another file would break (a result whose plan moves away): name it in words.
        message = f"{describe_file(error.path, names)}: {message}"
        return Problem(error.rule, (), "", _with_names(message, names), fix)
    loc = lines.get(error.line, ())
    if labels is None:
        return Problem(error.rule, loc, "", message, fix)
    return Problem(error.rule, loc, labels.path(loc), _with_names(labels.words(message, loc), names), _with_names(labels.words(fix), names))


def exists_problem(root: Path, collection: DataCollection, data: dict) -> Problem:
    """E001: the commune (agency) already has an entry of this kind for that Saturday."""
    names = _unit_names(root)
    labels = Labels(collection)
    owner = str(data.get(collection.owner_field) or "")
    day = str(data.get(collection.date_field) or "")
    kind = collection.label_singular
    try:
        shown = "/".join(reversed(day.split("-")))
    except AttributeError:  # pragma: no cover - day is a str
        shown = day
    params = {"kind": kind, "unit": names.get(owner, owner), "date": shown}
    rule = registry.rule("E001")
    loc = (collection.date_field,)
    return Problem("E001", loc, labels.path(loc), rule.message.format(**params), rule.fix.format(**params))


def future_result_problem(collection: DataCollection, data: dict, today: date) -> Problem | None:
    """E009: a result for a Saturday that has not come yet (the site would
    publish its participation before the day)."""
    if collection.name != "ket-qua":
        return None
    try:
        day = date.fromisoformat(str(data.get(collection.date_field) or ""))
    except ValueError:
        return None  # the model names a wrong date
    if day <= today:
        return None
    last = latest_saturday(today)
    params = {"date": day.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}
    rule = registry.rule("E009")
    loc = (collection.date_field,)
    return Problem("E009", loc, Labels(collection).path(loc), rule.message.format(**params), rule.fix.format(**params))


def moved_plan_problem(root: Path, collection: DataCollection, data: dict, old: str | None, target: str) -> Problem | None:
    """E010: a plan with a result moved to another Saturday or commune (the
    result would be left without its plan), at the field that moved it."""
    if collection.name != "ke-hoach" or not old or old == target:
        return None
    parts = old.removeprefix(collection.folder + "/").removesuffix(".yml").split("/")
    if len(parts) != 2:
        return None  # not where a plan lives: the path rules say so
    owner, day = parts
    if not (root / "materials" / "ket-qua" / owner / f"{day}.yml").is_file():
        return None
    moved = collection.date_field if str(data.get(collection.date_field) or "") != day else collection.owner_field
    labels = Labels(collection)
    names = _unit_names(root)
    params = {"unit": names.get(owner, owner), "date": "/".join(reversed(day.split("-"))), "label": labels.path((moved,))}
    rule = registry.rule("E010")
    return Problem("E010", (moved,), labels.path((moved,)), rule.message.format(**params), rule.fix.format(**params))


def _model_problems(collection: DataCollection, text: str, target: str, labels: Labels, names: dict) -> tuple[list[Problem], bool]:
    """The model's own rules, each at the place pydantic names (not a line)."""
    from pydantic import ValidationError

    from ..models.base import translate

    try:
        source = parse_yaml(text, Path(target), target)
    except ContentErrors as exc:
        return [Problem(e.rule, (), "", _LINE_NOTE.sub("", e.message), FORM_FIXES.get(e.rule) or e.hint) for e in exc.errors], True
    if not isinstance(source.data, dict):
        return [], False
    try:
        collection.model.model_validate(source.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if isinstance(p, int) or p in labels.titles)
            found = translate(error, source, collection.model)
            message = _with_names(labels.words(_LINE_NOTE.sub("", found.message), loc), names)
            problems.append(Problem(found.rule, loc, labels.path(loc), message, FORM_FIXES.get(found.rule) or found.hint))
        return problems, True
    return [], False


def check_save(
    root: Path, collection: DataCollection, text: str, *, target: str, old_path: str | None = None,
    photos: dict[str, bytes | None] | None = None,
) -> list[Problem]:
    """Problems that writing ``text`` to ``target`` (and removing ``old_path``)
    would cause; ``photos``: photo files written (bytes) or removed (None) with it."""
    labels = Labels(collection)
    names = _unit_names(root)
    problems, invalid = _model_problems(collection, text, target, labels, names)
    errors = list(contentcheck.check_text(text, target, False))
    overlay: dict[str, str | bytes | None] = {target: text, **(photos or {})}
    if old_path and old_path != target:
        overlay[old_path] = None
    after = _problems(root, overlay)
    before = _baseline(root)
    # The model's problems are placed above; the loader repeats them by line.
    errors += [e for e in after if (e.path == target and not (invalid and e.rule[:1] in "MY")) or (e.path != target and e not in before)]
    lines = _locations(text, target)
    problems += [_to_problem(e, target, labels, lines, names) for e in sorted(set(errors))]
    return problems


def check_delete(root: Path, paths: list[str]) -> list[Problem]:
    """E003 when removing ``paths`` would break other data (a result left without its plan)."""
    data_paths = [p for p in paths if p.startswith("materials/")]
    if not data_paths:
        return []
    names = _unit_names(root)
    after = _problems(root, {p: None for p in data_paths})
    before = _baseline(root)
    new = sorted(e for e in after if e not in before)
    problems = []
    rule = registry.rule("E003")
    for error in new:
        reason = f"{describe_file(error.path, names)} sẽ lỗi: {_with_names(_LINE_NOTE.sub('', error.message), names)}"
        problems.append(Problem("E003", (), "", rule.message.format(reason=reason), rule.fix))
    return problems


def check_page(text: str, display: str, root: Path | None = None) -> list[Problem]:
    """Text checks of a Markdown page (OCR residue, image descriptions), and
    its front matter exactly as ``ntm check`` reads it (P013: the allow-list
    of keys and types of frontmatter.py; ``root``: where the views are)."""
    from ..pagecheck import check_front_matter, split_front_matter

    errors = list(contentcheck.check_text(text, display, True))
    meta, _, _, problems = split_front_matter(unicodedata.normalize("NFC", text), display)
    views = root / "overrides" / "views" if root is not None else Path("/nonexistent")
    errors += problems + check_front_matter(meta, display, views)
    return [
        Problem(e.rule, (), "Nội dung", _LINE_NOTE.sub("", e.message) + f" (dòng {e.line})", FORM_FIXES.get(e.rule) or e.hint)
        for e in sorted(set(errors), key=lambda e: (e.line, e.rule))
    ]


def check_upload(rel: str, data: bytes) -> list[Problem]:
    """A picture or document added to docs/ through the editor, held to what
    ``ntm check`` holds every file of docs/ to (photos/published.py,
    photos/documents.py): refused before it is written, never committed and
    then found by the next build."""
    from ..photos.documents import DOCUMENTS, document_problems
    from ..photos.header import read_header
    from ..photos.published import DOC_IMAGES, published_problems

    name = rel.rsplit("/", 1)[-1]
    if name.lower().endswith(DOC_IMAGES):
        found = published_problems(read_header(data))
    elif name.lower().endswith(DOCUMENTS):
        found = document_problems(name, data)
    else:
        found = []
    return [upload_problem(registry.error(rule_id, rel, 0, **{"file": name, **params})) for rule_id, params in found]


def upload_problem(error) -> Problem:
    """A rule's error about an uploaded file, with what a person at the editor can do."""
    return Problem(error.rule, (), "Tệp", _LINE_NOTE.sub("", error.message), _upload_fix(error.rule, error.hint))


# A picture refused in the media library: what a person at the editor can do
# (the rules' own fixes speak of commands and folders).
# (A photo from a phone or a camera is cleaned, not refused: editor/photos.cleaned_upload.)
_PICTURE_UPLOAD_FIX = "Mở hình bằng Paint (Windows) hay ứng dụng Ảnh của điện thoại, lưu thành tệp JPG hay PNG mới rồi tải lên lại."
_COMMAND_SENTENCE = re.compile(r"[^.;]*«ntm [^»]*»[^.;]*[.;]\s*")


_DOCUMENT_PICTURE_UPLOAD_FIX = ("Ảnh dán vào Word giữ nguyên vị trí và thông tin máy chụp: mở ảnh bằng Paint (Windows), "
                                "lưu thành tệp PNG mới, dán tệp đó vào tài liệu thay cho ảnh cũ, lưu (hay xuất PDF) lại rồi "
                                "tải lên lại.")


def _upload_fix(rule_id: str, hint: str) -> str:
    if rule_id in ("A008", "A009", "A016", "A017"):
        return _PICTURE_UPLOAD_FIX
    if rule_id == "A019":
        return _DOCUMENT_PICTURE_UPLOAD_FIX
    return _COMMAND_SENTENCE.sub("", hint).strip() or hint


# yamlsource.INVISIBLE and ODD_SPACE_CHARS: the same characters the workbook
# import tidies (a soft hyphen breaks a word on a phone and hides it from search).
_ODD_SPACES = re.compile(f"[{ODD_SPACE_CHARS}]")


def nfc(text: str) -> str:
    """Text pasted from Word or PDF in decomposed form, normalised silently."""
    return unicodedata.normalize("NFC", text)


def tidy_text(text: str) -> str:
    """One value as the editor saw it: without invisible characters, every
    space a plain one. On values only, never on the YAML written from them
    (« # » in a plain scalar is a comment: the rest of the value would go)."""
    return _ODD_SPACES.sub(" ", INVISIBLE.sub("", text))


def tidy_values(value):
    """Every text of a record (dicts and lists of values) through :func:`tidy_text`."""
    if isinstance(value, str):
        return tidy_text(value)
    if isinstance(value, dict):
        return {key: tidy_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tidy_values(item) for item in value]
    return value


_FRONT_MATTER = re.compile(r"\A---\r?\n.*?\r?\n---\r?\n", re.S)
_INNER_SPACES = re.compile(f"(?<=\\S)[{ODD_SPACE_CHARS}]")


def tidy_saved(raw: str, kind: str) -> str:
    """The text of a save, NFC, its values as the editor saw them.

    A data file is read, its texts tidied, and written again only if one
    changed (Decap has already dropped its comments); a page keeps its front
    matter as sent and loses, in its body, invisible characters and the odd
    spaces between words (a no-break space at a line's start stays: there
    it would make a heading or a list)."""
    import yaml

    raw = nfc(raw)
    if kind == "data":
        try:
            # The loader of `ntm check`: its limits (depth, no aliases, size) before any work.
            data = parse_yaml(raw, Path("x.yml"), "x.yml").data
        except ContentErrors:
            return raw  # refused by the check that follows, with its line
        tidy = tidy_values(data)
        return raw if tidy == data else yaml.safe_dump(tidy, allow_unicode=True, sort_keys=False, width=1_000_000)
    head = _FRONT_MATTER.match(raw)
    split = head.end() if head else 0
    return raw[:split] + _INNER_SPACES.sub(" ", INVISIBLE.sub("", raw[split:]))

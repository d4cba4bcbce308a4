"""One table of cases, two sets of rules: what the local backend's Python
check (the loader of `ntm check`) refuses and what the form's rules in the
browser (overrides/quan-tri/ntm-quy-tac.js, run in Chromium) refuse must be
the same rule at the same place, so the two cannot drift apart.

Each case is an entry as the form holds it (dates as text, numbers as
numbers), built from a real file of the repository with one mistake; the
other entries the form knows about are the repository's files.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import date

import pytest
import yaml

from conftest import ROOT
from nongthonmoi.editor.backend import LocalBackend
from nongthonmoi.editor.config import editor_config
from nongthonmoi.editor.settings import EditorSettings
from nongthonmoi.editor.site import render_rules_data
from nongthonmoi.materials import load_materials

PLAN = "materials/ke-hoach/gung-re/2023-03-18.yml"
RESULT = "materials/ket-qua/gung-re/2023-03-04.yml"
STAFF = "materials/danh-sach/phong-nn-ptnt/2023-03-04.yml"
RULES_JS = ROOT / "overrides" / "quan-tri" / "ntm-quy-tac.js"


def _entry(path: str) -> dict:
    def plain(value):
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(yaml.safe_load((ROOT / path).read_text(encoding="utf-8")))


def _set(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    here = data
    for part in path[:-1]:
        here = here[part]
    if value is DELETE:
        del here[path[-1]]
    else:
        here[path[-1]] = value
    return data


DELETE = object()


class Case:
    def __init__(self, collection: str, base: str, changes: list, expected: list, *, new: bool = False, local_only=False):
        self.collection, self.base, self.changes, self.expected, self.new = collection, base, changes, expected, new
        self.local_only = local_only

    def data(self) -> dict:
        data = _entry(self.base)
        for path, value in self.changes:
            data = _set(data, path, value)
        return data


CASES = {
    "plan as it is": Case("ke-hoach", PLAN, [], []),
    "negative quantity": Case("ke-hoach", PLAN, [(("phan_viec", 0, "khoi_luong", "so"), -3)], [("M009", "phan_viec.0.khoi_luong.so")]),
    "a 20-digit quantity": Case(
        "ke-hoach", PLAN, [(("phan_viec", 0, "khoi_luong", "so"), "99999999999999999999")], [("M023", "phan_viec.0.khoi_luong.so")]
    ),
    "planned quantity of 0": Case("ke-hoach", PLAN, [(("phan_viec", 0, "khoi_luong", "so"), 0)], [("M010", "phan_viec.0.khoi_luong.so")]),
    "no hamlet ticked": Case("ke-hoach", PLAN, [(("phan_viec", 0, "thon"), [])], [("M016", "phan_viec.0.thon")]),
    "a 7,439-character text": Case("ke-hoach", PLAN, [(("noi_dung",), "Dọn dẹp " * 929 + "xong")], [("M005", "noi_dung")]),
    "markup in a text": Case("ke-hoach", PLAN, [(("chi_dao",), "Chủ tịch <b>UBND</b> xã")], [("M020", "chi_dao")]),
    "OCR residue": Case("ke-hoach", PLAN, [(("noi_dung",), "Xây dựng néng thén méi")], [("T002", "noi_dung")] * 3),
    "digit in a word": Case("ke-hoach", PLAN, [(("to_chuc",), "Trưởng các thôn ph0ng 1")], [("T003", "to_chuc")]),
    "team numbers are no OCR mistake": Case("ke-hoach", PLAN, [(("to_chuc",), "Tổ 5b, lớp 12a1, xe 4x4")], []),
    "task code with accents": Case("ke-hoach", PLAN, [(("phan_viec", 0, "ma"), "Dọn đường")], [("M006", "phan_viec.0.ma")]),
    "two tasks, one code": Case(
        "ke-hoach", PLAN, [(("phan_viec", 1, "ma"), "__first__")], [("S008", "phan_viec.1.ma")]
    ),
    "drafted after the Saturday": Case("ke-hoach", PLAN, [(("ngay_lap",), "2023-03-20")], [("S009", "ngay_lap")]),
    "a Friday": Case("ke-hoach", PLAN, [(("ngay",), "2023-03-24"), (("ngay_lap",), "2023-03-20")], [("S001", "ngay")], new=True),
    "a hamlet of another commune": Case("ke-hoach", PLAN, [(("phan_viec", 0, "thon"), ["thon-1", "thon-9"])], [("S006", "phan_viec.0.thon.1")]),
    "ends before it starts": Case("ke-hoach", PLAN, [(("thoi_gian", "ket_thuc"), "6h00")], [("M019", "thoi_gian")]),
    "an hour that does not exist": Case("ke-hoach", PLAN, [(("thoi_gian", "bat_dau"), "25h00")], [("M018", "thoi_gian.bat_dau")]),
    "a required text missing": Case("ke-hoach", PLAN, [(("noi_dung",), DELETE)], [("M001", "noi_dung")]),
    "rubbish amount without its unit": Case(
        "ke-hoach", PLAN, [(("thu_gom_rac", "khoi_luong"), {"so": 2})], [("M001", "thu_gom_rac.khoi_luong.don_vi_tinh")]
    ),
    "text pasted in NFD": Case("ke-hoach", PLAN, [(("noi_dung",), unicodedata.normalize("NFD", "Dọn vệ sinh đường làng"))], []),
    "copy saved without changing the date": Case("ke-hoach", PLAN, [], [("E001", "ngay")], new=True),
    "saved plan moved to a free Saturday": Case(
        "ke-hoach", PLAN, [(("ngay",), "2023-03-25")], [], local_only=True
    ),
    "result as it is": Case("ket-qua", RESULT, [], []),
    "second result for the same Saturday": Case("ket-qua", RESULT, [], [("E001", "ngay")], new=True),
    "households over the total": Case("ket-qua", RESULT, [(("so_ho_tham_gia",), 999)], [("S010", "so_ho_tham_gia")]),
    "negative households": Case("ket-qua", RESULT, [(("so_ho_tham_gia",), -1)], [("M009", "so_ho_tham_gia")]),
    "an agency with 0 people": Case("ket-qua", RESULT, [(("co_quan_tham_gia", 0, "so_nguoi"), 0)], [("M010", "co_quan_tham_gia.0.so_nguoi")]),
    "households past a billion": Case("ket-qua", RESULT, [(("tong_so_ho",), 5_000_000_000)], [("M023", "tong_so_ho")]),
    "no households at all": Case("ket-qua", RESULT, [(("tong_so_ho",), 0)], [("M010", "tong_so_ho")]),
    "half a household": Case("ket-qua", RESULT, [(("can_bo_xa",), 1.5)], [("M007", "can_bo_xa")]),
    "result without a plan": Case("ket-qua", RESULT, [(("ngay",), "2023-04-01")], [("S011", "ngay")], new=True),
    "a task not in the plan": Case("ket-qua", RESULT, [(("khoi_luong_da_lam", 0, "phan_viec"), "khong-co")], [("S012", "khoi_luong_da_lam.0.phan_viec")]),
    "an agency twice": Case(
        "ket-qua", RESULT, [(("co_quan_tham_gia",), "__twice__")], [("S008", "co_quan_tham_gia.1.co_quan")]
    ),
    "staff list as it is": Case("danh-sach", STAFF, [], []),
    "a commune the agency does not support": Case("danh-sach", STAFF, [(("phan_bo", 0, "xa"), "son-dien")], [("S013", "phan_bo.0.xa")]),
    "sent after the Saturday": Case("danh-sach", STAFF, [(("ngay_gui",), "2023-03-06")], [("S014", "ngay_gui")]),
}


def _prepare(case: Case) -> dict:
    data = case.data()
    if data.get("phan_viec") and any(t.get("ma") == "__first__" for t in data["phan_viec"]):
        data["phan_viec"][1]["ma"] = data["phan_viec"][0]["ma"]
    if data.get("co_quan_tham_gia") == "__twice__":
        original = _entry(case.base)["co_quan_tham_gia"]
        data["co_quan_tham_gia"] = [original[0], dict(original[0])]
    return data


@pytest.fixture(scope="module")
def setting():
    """The generated configuration and rule data, the repository's entries."""
    from mkdocs.config import load_config

    materials = load_materials(ROOT)
    nav = load_config(str(ROOT / "mkdocs.yml"))["nav"]
    config = editor_config(materials, ROOT / "docs", nav, EditorSettings.from_environment(env={}))
    collections = {c["name"]: c for c in json.loads(json.dumps(config["collections"], default=str))}
    existing = {}
    for kind in ("ke-hoach", "ket-qua", "danh-sach"):
        for path in (ROOT / "materials" / kind).glob("*/*.yml"):
            existing[f"{kind}/{path.parent.name}/{path.stem}"] = True
    tasks = {
        f"{p.parent.name}/{p.stem}": [t["ma"] for t in yaml.safe_load(p.read_text(encoding="utf-8"))["phan_viec"]]
        for p in (ROOT / "materials" / "ke-hoach").glob("*/*.yml")
    }
    return {"collections": collections, "existing": existing, "tasks": tasks, "data_js": render_rules_data(materials)}


def _places(problems) -> list[tuple[str, str]]:
    return sorted((p["rule"], ".".join(str(x) for x in p["path"])) for p in problems)


def _python(case: Case, data: dict) -> list[tuple[str, str]]:
    backend = LocalBackend(ROOT, "x", 1)  # only its check: nothing is written
    params = {"collection": case.collection, "data": data, "newEntry": case.new}
    if not case.new:
        params["path"] = case.base
    return _places(backend.ntm_check(params)["problems"])


@pytest.fixture(scope="module")
def browser_rules(chromium, setting):
    """A page with the form's rules loaded, as the editor page loads them."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(content=setting["data_js"])
    page.add_script_tag(path=str(RULES_JS))
    yield page
    context.close()


def _browser(page, setting, case: Case, data: dict, local: bool = True) -> list[tuple[str, str]]:
    owner, day = (data.get("co_quan"), data.get("ngay_thu_bay")) if case.collection == "danh-sach" else (data.get("xa"), data.get("ngay"))
    base_parts = case.base.split("/")
    saved = None if case.new else {"owner": base_parts[2], "date": base_parts[3].removesuffix(".yml")}
    problems = page.evaluate(
        """([collection, data, saved, existing, tasks, local]) => NTM.rules.checkEntry(collection, data, {
            saved: saved, local: local,
            exists: (c, slug) => existing[c + "/" + slug] === true,
            planTasks: (unit, date) => tasks[unit + "/" + date] || null,
        })""",
        [setting["collections"][case.collection], data, saved, setting["existing"], setting["tasks"], local],
    )
    return _places(problems)


@pytest.mark.parametrize("name", sorted(CASES))
def test_python_and_browser_rules_agree(name, setting, browser_rules):
    case = CASES[name]
    data = _prepare(case)
    expected = sorted((rule, place) for rule, place in case.expected)
    python = _python(case, data)
    browser = _browser(browser_rules, setting, case, data)
    # T002 is said once per word in Python, once per word in the browser.
    assert python == expected, f"Python: {python}"
    assert browser == expected, f"browser: {browser}"


def test_published_mode_refuses_moving_a_saved_entry(setting, browser_rules):
    """On the published site the git host cannot move a file: the form says so (E002)."""
    case = CASES["saved plan moved to a free Saturday"]
    data = _prepare(case)
    assert _browser(browser_rules, setting, case, data, local=False) == [("E002", "ngay")]
    messages = browser_rules.evaluate(
        """([collection, data]) => NTM.rules.checkEntry(collection, data, {saved: {owner: "gung-re", date: "2023-03-18"}, local: false,
            exists: () => false, planTasks: () => []}).map(p => p.message + " " + p.fix)""",
        [setting["collections"]["ke-hoach"], data],
    )
    assert "Sao chép" in messages[0] and "Ngày thứ Bảy" in messages[0]


@pytest.mark.parametrize("name", ["negative quantity", "a 20-digit quantity", "households over the total", "result without a plan", "copy saved without changing the date"])
def test_messages_name_labels_never_keys_or_commands(name, setting, browser_rules):
    case = CASES[name]
    data = _prepare(case)
    backend = LocalBackend(ROOT, "x", 1)
    params = {"collection": case.collection, "data": data, "newEntry": case.new, "path": None if case.new else case.base}
    python = backend.ntm_check(params)["problems"]
    saved = None if case.new else {"owner": case.base.split("/")[2], "date": case.base.split("/")[3][:-4]}
    browser = browser_rules.evaluate(
        """([collection, data, saved, existing, tasks]) => NTM.rules.checkEntry(collection, data, {saved: saved, local: true,
            exists: (c, slug) => existing[c + "/" + slug] === true, planTasks: (u, d) => tasks[u + "/" + d] || null})""",
        [setting["collections"][case.collection], data, saved, setting["existing"], setting["tasks"]],
    )
    keys = re.compile(r"«[a-z]+_[a-z_]+»|«(so|thon|xa|ngay|ma)»|\bntm\b|materials/|\.yml")
    for problem in python + browser:
        text = problem["message"] + " " + problem["fix"]
        assert not keys.search(text), text
    # the same words on both sides
    assert [p["message"] for p in python] == [p["message"] for p in browser]


# The editor's own rules (E...), for tests/test_rules.py: where each is planted.
EDITOR_RULE_CASES = {
    "E001": "test_editor_backend.py::test_a_copy_never_becomes_a_dash_one_file",
    "E002": "test_editor_rules.py::test_published_mode_refuses_moving_a_saved_entry",
    "E003": "test_editor_backend.py::test_a_plan_with_a_result_neither_moves_nor_goes_away",
    "E004": "test_editor_backend.py::test_writes_outside_the_content_are_refused",
    "E005": "test_editor_backend.py::test_write_from_another_origin_is_refused",
    "E006": "test_editor_backend.py::test_limits_come_before_any_work",
    "E007": "test_editor_photos.py::test_a_photo_not_what_the_editor_made_is_refused",
    "E008": "test_editor_backend.py::test_a_save_over_a_version_saved_since_it_was_opened_is_refused",
    "E009": "test_editor_backend.py::test_a_result_for_a_saturday_not_yet_come_is_refused_at_its_date",
    "E010": "test_editor_backend.py::test_a_plan_with_a_result_neither_moves_nor_goes_away",
}


# What a person types in a number field, read the same way by the form and by
# the workbook import: (typed, whole-number field, what is stored). A str is
# kept as typed, which the field's rule then refuses (M007/M008) with the text;
# TOO_LARGE is a number past the largest accepted (M023, W071), never «not a number».
TOO_LARGE = "too large"
NUMBERS_TYPED = [
    ("12", True, 12), ("1,5", False, 1.5), ("1.5", False, 1.5), (" 45 ", True, 45), ("-3", False, -3),
    ("1 200", True, 1200), ("1\u00a0200", True, 1200), ("1.000", True, 1000), ("1,200", True, 1200),
    ("1.500", False, "1.500"), ("1,500", False, "1,500"), ("1.500.000", False, 1500000), ("0,500", False, 0.5),
    ("1.500,5", False, 1500.5), ("1,500.5", False, 1500.5), ("1 500,5", False, 1500.5), ("12 người", True, "12 người"), ("1.5 km", False, "1.5 km"),
    ("99999999999999999999", False, TOO_LARGE), ("99999999999999999999", True, TOO_LARGE), ("1.000.000.001", True, TOO_LARGE),
    ("1 000 000 000", True, 1000000000), ("1000000000,5", False, TOO_LARGE), ("9" * 400, False, TOO_LARGE),
]


@pytest.mark.parametrize("typed, whole, stored", NUMBERS_TYPED, ids=[repr(t[0])[:24] + (" whole" if t[1] else "") for t in NUMBERS_TYPED])
def test_a_typed_number_means_the_same_in_the_form_and_in_a_workbook(typed, whole, stored, browser_rules):
    """«1.500 m» was saved as 1,5 m by the form while the import refused it
    as «1500 or 1,5?»: one reading now, never a different number than typed."""
    from nongthonmoi.models.base import MAX_NUMBER
    from nongthonmoi.workbooks.typed import Unreadable, number_from_text

    browser = browser_rules.evaluate(
        "([typed, whole, largest]) => NTM.rules.tooLarge(typed, whole, largest) ? 'too large' : NTM.rules.readNumber(typed, whole)",
        [typed, whole, MAX_NUMBER],
    )
    assert browser == stored and type(browser) is type(stored) or (isinstance(stored, float) and browser == stored)
    try:
        python = number_from_text(typed, whole)
    except Unreadable as problem:
        python = TOO_LARGE if problem.key == "number-out-of-range" else typed.strip()
    if isinstance(stored, str) and stored != TOO_LARGE:
        # Refused by the import too: unreadable.
        assert python is None or python == typed.strip()
    else:
        assert python == stored


def _number_fields(fields: list, data, path: tuple = ()) -> list[tuple]:
    """Paths in ``data`` of every number field (ntm-so) of a form, the first item of each list."""
    found = []
    for field in fields:
        value = data.get(field["name"]) if isinstance(data, dict) else None
        here = path + (field["name"],)
        if field.get("widget") == "ntm-so":
            found.append(here)
        elif field.get("widget") == "object":
            found += _number_fields(field["fields"], value or {}, here)
        elif field.get("widget") == "list" and "fields" in field and value:
            found += _number_fields(field["fields"], value[0], here + (0,))
    return found


NUMBER_FORMS = {"ke-hoach": PLAN, "ket-qua": RESULT, "danh-sach": STAFF}


def test_every_number_fields_message_says_what_it_really_accepts(setting, browser_rules):
    """«-1» in a planned quantity said «Sửa thành số từ 0 trở lên» although 0
    is refused there too (M010): for every number field of every form, the
    words for a refused -1 or 0 name the range the model really accepts, the
    same in Python and in the browser."""
    from nongthonmoi.editor.config import DATA_COLLECTIONS

    models = {c.name: c.model for c in DATA_COLLECTIONS}
    seen = 0
    for name, base in NUMBER_FORMS.items():
        case = Case(name, base, [], [])
        fields = setting["collections"][name]["fields"]
        for path in _number_fields(fields, _entry(base)):
            accepts = {}
            for value in (-1, 0):
                data = _set(_entry(base), path, value)
                try:
                    models[name].model_validate(data)
                    accepts[value] = True
                except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError
                    accepts[value] = not any(tuple(e["loc"]) == path for e in exc.errors())
            for value in (-1, 0):
                if accepts[value]:
                    continue
                data = _set(_entry(base), path, value)
                words = {}
                for side, problems in (("python", _python_problems(case, data)), ("browser", _browser_problems(browser_rules, setting, case, data))):
                    at = [p for p in problems if tuple(p["path"]) == path]
                    assert len(at) == 1, (side, path, value, problems)
                    words[side] = at[0]["message"] + " " + at[0]["fix"]
                assert words["python"] == words["browser"], (path, value, words)
                said = words["python"]
                if not accepts[0]:
                    assert "lớn hơn 0" in said and "từ 0" not in said, (path, value, said)
                else:
                    assert "từ 0 trở lên" in said, (path, value, said)
                seen += 1
    assert seen >= 8  # quantities, households, people, amounts done, rubbish


def test_a_number_too_large_says_so_and_the_largest(setting, browser_rules):
    """20 digits typed in «Số lượng» were «không phải là số»: a number, too large."""
    case = CASES["a 20-digit quantity"]
    data = _prepare(case)
    for side in (_python_problems(case, data), _browser_problems(browser_rules, setting, case, data)):
        [problem] = side
        said = problem["message"] + " " + problem["fix"]
        assert "lớn quá mức" in said and "1.000.000.000" in said and "99999999999999999999" in said, said
        assert "phải là số" not in said, said


def _python_problems(case: Case, data: dict) -> list[dict]:
    backend = LocalBackend(ROOT, "x", 1)
    return backend.ntm_check({"collection": case.collection, "data": data, "newEntry": False, "path": case.base})["problems"]


def _browser_problems(page, setting, case: Case, data: dict) -> list[dict]:
    parts = case.base.split("/")
    return page.evaluate(
        """([collection, data, saved, existing, tasks]) => NTM.rules.checkEntry(collection, data, {saved: saved, local: true,
            exists: (c, slug) => existing[c + "/" + slug] === true, planTasks: (u, d) => tasks[u + "/" + d] || null})""",
        [setting["collections"][case.collection], data, {"owner": parts[2], "date": parts[3][:-4]}, setting["existing"], setting["tasks"]],
    )

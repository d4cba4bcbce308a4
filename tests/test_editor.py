"""The web editor (Decap CMS under quan-tri/), issue 9.

- The generated configuration covers every field of every data model, with
  the schema's Vietnamese title and hint, and holds no secret.
- The editor is served by the site, and left out of search, sitemap and the
  offline copy.
- End to end, against a temporary copy of the repository with its own git
  history: `ntm edit` serves the site, the editor and its local backend on
  127.0.0.1; Chromium fills the forms (a new weekly plan, a result, a
  Markdown page, a new page), the files land in the copy as commits, pass
  `ntm check`, and the rebuilt preview shows them. The form shows the rules
  at their fields (a Friday, households over the total).
(The rules themselves: test_editor_rules.py; the backend's guard:
test_editor_backend.py; the five flows of both modes and the phone:
test_editor_e2e.py; each git host's configuration: test_editor_hosts.py.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.request
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, copy_repo, run_ntm
from nongthonmoi.editor.config import DATA_COLLECTIONS, editor_config
from nongthonmoi.editor.settings import EditorSettings, EditorSettingsError
from nongthonmoi.materials import load_materials

SCREENSHOTS = os.environ.get("NTM_SCREENSHOTS")  # a folder: save the editor's screenshots there


# --- the configuration --------------------------------------------------------


def _config(env: dict | None = None) -> dict:
    from mkdocs.config import load_config

    nav = load_config(str(ROOT / "mkdocs.yml"))["nav"]
    settings = EditorSettings.from_environment(env=env or {})
    return editor_config(load_materials(ROOT), ROOT / "docs", nav, settings)


def _schema_fields(schema: dict, defs: dict, prefix: tuple = (), required_chain: bool = True):
    """Yield (path, property, required) for every property, nested ones too."""
    required = set(schema.get("required", []))
    for name, prop in schema["properties"].items():
        options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
        nullable = len(options) < len(prop.get("anyOf", [prop]))
        inner = {**options[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
        if "$ref" in inner:
            inner = {**defs[inner["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in inner.items() if k != "$ref"}}
        is_required = name in required and not nullable and required_chain
        yield prefix + (name,), prop, inner, is_required
        if inner.get("type") == "object":
            yield from _schema_fields(inner, defs, prefix + (name,), is_required)
        items = inner.get("items", {})
        if inner.get("type") == "array" and ("$ref" in items or items.get("type") == "object"):
            item = defs[items["$ref"].rsplit("/", 1)[-1]] if "$ref" in items else items
            yield from _schema_fields(item, defs, prefix + (name,), True)


def _form_fields(fields: list[dict], prefix: tuple = ()):
    for field in fields:
        path = prefix + (field["name"],)
        yield path, field
        if "fields" in field:
            yield from _form_fields(field["fields"], path)


@pytest.mark.parametrize("collection", DATA_COLLECTIONS, ids=lambda c: c.name)
def test_form_covers_every_model_field(collection):
    """Add a field to a model and this fails until the form carries it."""
    config = _config()
    entry = next(c for c in config["collections"] if c["name"] == collection.name)
    fields = entry["files"][0]["fields"] if "files" in entry else entry["fields"]
    form = dict(_form_fields(fields))
    schema = collection.model.model_json_schema(by_alias=True)
    checked = 0
    for path, prop, inner, required in _schema_fields(schema, schema.get("$defs", {})):
        assert path in form, f"{collection.name}: the form has no field {'.'.join(path)}"
        field = form[path]
        title = prop.get("title") or inner.get("title")
        assert field["label"] == title, path
        # The model's description, dates written day/month/year as in the form.
        description = re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", prop.get("description") or inner.get("description"))
        assert field.get("hint", "").startswith(description), path
        if field.get("auto_from"):
            # A task code may be left empty: made from the task's name on saving.
            assert required and field["required"] is False and "tự đặt" in field["hint"], path
        else:
            assert field["required"] is required, path
        if inner.get("x-ntm-ref") or inner.get("items", {}).get("x-ntm-ref"):
            assert field["widget"] in ("ntm-chon", "ntm-nhieu", "ntm-thon", "ntm-phan-viec"), path
        if inner.get("x-ntm-kind") == "saturday":
            assert field["widget"] == "ntm-ngay" and field["saturday"] is True, path
        checked += 1
    # and nothing in the form that the model does not have
    assert len(form) == checked, set(form) - {p for p, *_ in _schema_fields(schema, schema.get("$defs", {}))}


# A value that is not words: what a boolean, a missing value or a JavaScript
# undefined becomes when written into a text.
RAW_TOKEN = re.compile(r"\b(true|false|null|None|undefined|NaN|nan|\[object Object\])\b")
SHOWN_KEYS = ("label", "label_singular", "hint", "description")


def _shown_texts(node, where: str = ""):
    """(where, text) for every text the editor shows from its configuration:
    labels, hints, descriptions, and the names of every choice."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _shown_texts(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in SHOWN_KEYS:
                yield f"{where}.{key}", value
            elif key in ("options", "hamlets"):
                for label in _choice_labels(value):
                    yield f"{where}.{key}", label
            elif isinstance(value, (dict, list)):
                yield from _shown_texts(value, f"{where}.{key}")


def _choice_labels(value):
    if isinstance(value, dict):
        for items in value.values():
            yield from _choice_labels(items)
    elif isinstance(value, list):
        for item in value:
            yield item.get("label") if isinstance(item, dict) else item


@pytest.mark.parametrize("env", [{}, {"CMS_BACKEND": "gitlab", "REPO_URL": "https://gitlab.example.org/ban-tg/ntm", "CMS_APP_ID": "abc"}],
                         ids=["local", "published"])
def test_no_form_shows_a_raw_value(env):
    """A hint read «Đánh dấu (true) nếu…»: every label, hint, description and
    choice of every form is words, never true/false/null/undefined."""
    config = _config(env)
    texts = list(_shown_texts(config["collections"], "collections"))
    assert len(texts) > 200
    for where, text in texts:
        assert isinstance(text, str) and text.strip(), (where, text)
        assert not RAW_TOKEN.search(text), (where, text)


def test_ids_are_choices_with_vietnamese_names():
    config = _config()
    plans = next(c for c in config["collections"] if c["name"] == "ke-hoach")
    fields = dict(_form_fields(plans["fields"]))
    units = fields[("xa",)]
    assert units["widget"] == "ntm-chon"
    assert {"label": "Xã Gung Ré", "value": "gung-re"} in units["options"]
    hamlets = fields[("phan_viec", "thon")]
    assert hamlets["widget"] == "ntm-thon" and hamlets["unit_field"] == "xa"
    assert {"label": "Thôn 1", "value": "thon-1"} in hamlets["hamlets"]["gung-re"]
    agencies = fields[("phan_viec", "don_vi_ho_tro")]
    assert agencies["widget"] == "ntm-nhieu"
    assert {"label": "Phòng Nông nghiệp và PTNT", "value": "phong-nn-ptnt"} in agencies["options"]
    # the file keeps the schema line for code editors
    assert plans["fields"][0]["comment"] == "yaml-language-server: $schema=../../schema/ke-hoach.schema.json"
    assert plans["path"] == "{{xa}}/{{slug}}" and plans["slug"] == "{{ngay}}"


def test_every_docs_folder_is_editable():
    config = _config()
    folders = {c["folder"] for c in config["collections"] if c.get("extension") == "md"}
    expected = {("docs/" + p.parent.relative_to(ROOT / "docs").as_posix()).rstrip("/.") for p in (ROOT / "docs").rglob("*.md")}
    assert folders == {f if f != "docs/." else "docs" for f in expected}


SECRET = "ghp_NOT_A_REAL_TOKEN_0123456789"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"REPO_URL": "https://github.com/ban-tuyen-giao/nong-thon-moi", "CMS_BASE_URL": "https://dang-nhap.example.vn"},
        {"CMS_BACKEND": "gitlab", "CMS_REPO": "btg/ntm", "CMS_APP_ID": "abc123"},
        {"CMS_BACKEND": "forgejo", "REPO_URL": "https://git.dilinh.example.vn/btg/ntm", "CMS_APP_ID": "id1"},
    ],
)
def test_configuration_holds_no_secret(env):
    text = yaml.safe_dump(_config({**env, "GITHUB_TOKEN": SECRET, "CMS_CLIENT_SECRET": SECRET}), allow_unicode=True)
    assert SECRET not in text
    assert not re.search(r"(?i)(secret|token|password)\s*:", text)


@pytest.mark.parametrize(
    "env, words",
    [
        ({"CMS_BACKEND": "bitbucket", "CMS_REPO": "a/b"}, "không được hỗ trợ"),
        ({"CMS_BACKEND": "github", "CMS_REPO": "a/b"}, "CMS_BASE_URL"),
        ({"CMS_BACKEND": "gitlab", "CMS_REPO": "a/b"}, "CMS_APP_ID"),
        ({"CMS_BACKEND": "gitlab"}, "CMS_REPO"),
    ],
)
def test_incomplete_git_host_settings_say_what_to_set(env, words):
    with pytest.raises(EditorSettingsError, match=words):
        EditorSettings.from_environment(env=env)


def test_editor_is_served_but_not_indexed(site):
    editor = site / "quan-tri"
    for name in ("index.html", "config.yml", "decap-cms.js", "ntm-cms.js", "vi.js"):
        assert (editor / name).is_file(), name
    page = (editor / "index.html").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex' in page
    # every script the page loads is on the site itself
    for src in re.findall(r'src="([^"]+)"', page):
        assert not src.startswith(("http:", "https:", "//")), src
        assert (editor / src).is_file(), src
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("quan-tri")]
    assert "/quan-tri/" not in (site / "sitemap.xml").read_text(encoding="utf-8").replace("trang-quan-tri", "")
    with zipfile.ZipFile(site / "tai-ve" / "nong-thon-moi-di-linh.zip") as zf:
        assert not [n for n in zf.namelist() if "/quan-tri/" in n]
    config = yaml.safe_load((editor / "config.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "vi"
    assert not re.search(r"(?i)(secret|token|password)\s*:", (editor / "config.yml").read_text(encoding="utf-8"))


# --- end to end: ntm edit in a temporary copy ---------------------------------


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """`ntm edit` running in a temporary copy with its own history: (root, base URL, port)."""
    from editor_support import own_history, start_edit

    from test_workbook_import import real_hamlets

    root = copy_repo(tmp_path_factory.mktemp("editor") / "repo")
    real_hamlets(root)  # the plan typed below is real: Gung Ré's hamlets must be too (rule S016)
    root = own_history(root)
    run = start_edit(root)
    yield root, run.base, run.port
    run.stop()


@pytest.fixture(scope="module")
def kept_browse(editor_tabs, editing):
    """One editor page for the module's form flows, from one flow to the next
    (opening Decap and logging in is about 2 s of CPU a page)."""
    browse = Browse(editor_tabs, editing[1])
    yield browse
    browse.close()


@pytest.fixture
def browse(kept_browse):
    yield kept_browse
    kept_browse.leave()


class Browse:
    """One Chromium page on the editor, recording every request."""

    def __init__(self, tabs, base: str):
        self.tabs = tabs
        self.page = tabs.open({"width": 1280, "height": 900})
        self.base = base
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.logged_in = False
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def open_editor(self, route: str = "") -> None:
        if not self.logged_in:
            self.page.goto(self.base + "quan-tri/")
            self.page.get_by_role("button", name="Đăng nhập").click()
            self.page.wait_for_selector("text=Loại nội dung")
            self.logged_in = True
        if route:
            self.page.evaluate("route => { location.hash = '#/' + route; }", route)

    def leave(self) -> None:
        """Back to a list, the form left (its «leave without saving?» accepted),
        for the next flow on this page; the requests seen so far forgotten."""
        accept = lambda dialog: dialog.accept()  # noqa: E731
        self.page.on("dialog", accept)
        try:
            self.page.keyboard.press("Escape")
            self.page.evaluate("location.hash = '#/collections/ke-hoach'")
            self.page.wait_for_function("location.hash === '#/collections/ke-hoach'", timeout=5000)
            self.page.get_by_text("Loại nội dung").first.wait_for(timeout=5000)
        finally:
            self.page.remove_listener("dialog", accept)
        self.requests.clear()
        self.failed.clear()

    def field(self, name: str, nth: int = 0):
        return self.page.locator(f'[id^="{name}-field-"]').nth(nth)

    def save(self, expect_saved: bool = True) -> str:
        """«Lưu» then «Lưu vào lịch sử»; return the message Decap shows."""
        self.page.wait_for_timeout(700)
        # The notices shown so far are marked: the answer is a new one.
        self.page.evaluate("document.querySelectorAll('.Toastify__toast').forEach(e => { e.dataset.seen = ''; })")
        self.page.get_by_role("button", name="Lưu", exact=True).click()
        self.page.get_by_text("Lưu vào lịch sử", exact=True).click()
        if not expect_saved:
            return ""
        toast = self.page.locator(".Toastify__toast:not([data-seen])", has_text="Đã lưu vào lịch sử")
        try:
            toast.first.wait_for(timeout=20000)
        except Exception:  # noqa: BLE001 - say what the editor showed instead
            raise AssertionError("not saved: " + self.page.inner_text("body")[:2000]) from None
        return toast.first.inner_text()

    def close(self) -> None:
        self.tabs.close(self.page)


def _wait_for(path: Path, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file():
            return path.read_text(encoding="utf-8")
        time.sleep(0.2)
    raise AssertionError(f"{path} was not written")


def _wait_for_page(url: str, needle: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        except OSError:
            text = ""
        if needle in text:
            return text
        time.sleep(1)
    raise AssertionError(f"{needle!r} never appeared on {url}")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_new_weekly_plan_through_the_form(browse, editing):
    root, base, _ = editing
    browse.open_editor("collections/ke-hoach/new")
    browse.page.wait_for_selector("label:has-text('Xã, thị trấn')")
    browse.field("xa").select_option(label="Xã Gung Ré")
    browse.field("ngay").fill("25/03/2023")
    browse.field("ngay_lap").fill("21/03/2023")
    browse.field("noi_dung").fill("Dọn vệ sinh đường liên thôn")
    browse.field("bat_dau").fill("7h00")
    browse.field("ket_thuc").fill("11h00")
    browse.field("chi_dao").fill("Chủ tịch UBND xã")
    browse.field("to_chuc").fill("Trưởng các thôn")
    browse.page.get_by_role("button", name="Thêm phần việc").click()
    # The task code is left empty: made from the task's name.
    browse.field("noi_dung", 1).fill("Quét dọn đường liên thôn")
    browse.field("so").fill("2,5")
    browse.field("don_vi_tinh").fill("km")
    # Hamlets are those of the commune chosen above, by name.
    hamlets = browse.page.locator('[id^="thon-field-"] label')
    assert hamlets.all_inner_texts() == ["Thôn 1", "Thôn 2"]
    hamlets.filter(has_text="Thôn 2").locator("input").check()
    browse.page.get_by_role("button", name="Thêm dòng").first.click()
    browse.page.get_by_role("button", name="Thêm dòng").nth(1).click()
    browse.field("muc", 0).fill("Chổi, cào")
    browse.field("muc", 1).fill("Hộ dân thôn 2")
    browse.page.locator('[id^="don_vi_ho_tro-field-"] label').filter(has_text="Văn phòng HĐND").locator("input").check()
    browse.field("thu_gom").fill("Gom rác về điểm tập kết đầu thôn")
    browse.field("xu_ly").fill("Xe của xã chở rác đi xử lý")
    browse.save()
    text = _wait_for(root / "materials/ke-hoach/gung-re/2023-03-25.yml")
    plan = yaml.safe_load(text)
    assert text.startswith("# yaml-language-server: $schema=../../schema/ke-hoach.schema.json\n")
    assert plan["xa"] == "gung-re" and plan["vi_du"] is False and plan["ngay"] == date(2023, 3, 25)
    task = plan["phan_viec"][0]
    assert task["ma"] == "quet-don-duong-lien-thon"
    assert task["thon"] == ["thon-2"] and task["don_vi_ho_tro"] == ["van-phong-hdnd-ubnd"]
    assert task["khoi_luong"] == {"so": 2.5, "don_vi_tinh": "km"}
    assert "khoi_luong" not in plan["thu_gom_rac"]  # the optional block left empty is not written
    # Saved means in history: one commit, named in Vietnamese.
    assert _git(root, "log", "-1", "--format=%s").strip() == "Thêm kế hoạch «gung-re/2023-03-25» (trang quản trị)"
    check = run_ntm(root, "check")
    assert check.returncode == 0, check.stderr
    page = _wait_for_page(base + "xa/gung-re/", "25/03/2023")
    assert "Dọn vệ sinh đường liên thôn" in page
    # Nothing came from another host, and nothing was missing.
    assert browse.requests and all(u.startswith((base, "data:", "blob:")) for u in browse.requests), [
        u for u in browse.requests if not u.startswith(base)
    ]
    assert browse.failed == []


def test_result_form_lists_the_plans_tasks_and_shows_the_rules(browse, editing):
    root, base, _ = editing
    browse.open_editor("collections/ket-qua/new")
    browse.page.wait_for_selector("label:has-text('Số hộ tham gia')")
    browse.field("xa").select_option("gung-re")
    browse.field("ngay").fill("17/03/2023")  # a Friday
    browse.field("so_ho_tham_gia").fill("350")
    browse.field("tong_so_ho").fill("300")
    browse.field("can_bo_xa").fill("12")
    browse.page.get_by_role("button", name="Thêm khối lượng đã làm").click()
    browse.save(expect_saved=False)
    errors = " ".join(browse.page.locator("[class*='-ControlErrorsList']").all_inner_texts()).lower()
    assert "là thứ sáu, không phải thứ bảy" in errors
    assert not (root / "materials/ket-qua/gung-re/2023-03-17.yml").exists()
    # A Saturday without a plan: said at once, instead of loading for ever.
    browse.field("ngay").fill("25/02/2023")
    browse.page.get_by_text("Chưa có kế hoạch cho thứ Bảy này").wait_for()
    # Now a Saturday with a plan: its tasks become the choices.
    browse.field("ngay").fill("18/03/2023")
    browse.field("so_ho_tham_gia").fill("150")
    select = browse.field("phan_viec")
    browse.page.wait_for_function("() => { const e = document.querySelector('[id^=\"phan_viec-field-\"]'); return !!(e && e.options && e.options.length > 1); }")
    options = select.locator("option").all_inner_texts()
    assert any("Quét dọn đường, ngõ xóm (1,5 km)" in o for o in options), options  # a decimal comma, as the site writes it
    select.select_option(label=next(o for o in options if "Quét dọn đường" in o))
    browse.field("da_lam").fill("1,5")
    # The plan of 18/03/2023 is example data: so is its result (S015).
    browse.field("vi_du").click()
    browse.save()
    text = _wait_for(root / "materials/ket-qua/gung-re/2023-03-18.yml")
    result = yaml.safe_load(text)
    assert result["khoi_luong_da_lam"] == [{"phan_viec": "don-duong", "da_lam": 1.5}] and result["vi_du"] is True
    assert run_ntm(root, "check").returncode == 0


def test_markdown_page_edit_shows_on_the_page(browse, editing):
    root, base, _ = editing
    page_file = root / "docs/huong-dan/ai-lam-gi.md"
    before = page_file.read_text(encoding="utf-8")
    sentence = "Câu thêm từ trang quản trị để thử."
    browse.open_editor("collections/trang-huong-dan/entries/ai-lam-gi")
    editor = browse.field("body")
    editor.wait_for()
    editor.click()
    browse.page.keyboard.press("Control+End")
    browse.page.keyboard.press("Enter")
    browse.page.keyboard.type(sentence)
    # The preview pane draws the Markdown from the form's value.
    browse.page.frame_locator("iframe").get_by_text(sentence).wait_for()
    browse.save()
    after = page_file.read_text(encoding="utf-8")
    body_before, body_after = before.split("\n---\n", 1)[1], after.split("\n---\n", 1)[1]
    # Only the new sentence: headings, links and anchors untouched.
    assert body_after.rstrip().endswith(sentence), body_after[-500:]
    assert body_after.replace(sentence, "").rstrip() == body_before.rstrip()
    assert yaml.safe_load(after.split("---")[1]) == yaml.safe_load(before.split("---")[1])
    assert sentence in _wait_for_page(base + "huong-dan/ai-lam-gi/", sentence)


def test_new_page_joins_its_menu_section(browse, editing):
    root, base, _ = editing
    browse.open_editor("collections/trang-huong-dan/new")
    browse.field("title").wait_for()
    browse.field("title").fill("Đổ rác đúng giờ")
    browse.field("body").fill("# Đổ rác đúng giờ\n\nMỗi hộ để rác ở điểm tập kết trước giờ xe đến.\n")
    browse.save()
    # The file name comes from the title, without accents, đ -> d.
    _wait_for(root / "docs/huong-dan/do-rac-dung-gio.md")
    assert run_ntm(root, "check").returncode == 0
    # The preview builds the new page, with itself in the menu's section.
    page = _wait_for_page(base + "huong-dan/do-rac-dung-gio/", "Mỗi hộ để rác ở điểm tập kết")
    nav = page.split('md-sidebar--primary', 1)[1]
    assert nav.index("Ai làm gì") < nav.index("Đổ rác đúng giờ")


def test_editing_listens_on_loopback_only(editing):
    _, _, port = editing
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                listening.append(address)
    assert listening == ["0100007F"], listening  # 127.0.0.1, and nothing else


def test_a_write_from_another_page_of_this_computer_is_refused(editing):
    """Through the real server: another port's page, a rebinding name, no secret."""
    import http.client

    root, base, port = editing
    config = urllib.request.urlopen(base + "quan-tri/config.yml").read().decode()
    api = re.search(r"proxy_url: (\S+)", config).group(1)
    before = (root / "mkdocs.yml").read_bytes()
    body = json.dumps({"action": "persistEntry", "params": {"dataFiles": [{"path": "mkdocs.yml", "raw": "hooks: [x.py]"}], "assets": [], "options": {}}})
    for host, origin, path in (
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}", api),
        (f"rebind.example:{port}", f"http://rebind.example:{port}", api),
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", "/__ntm/api/"),
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", api),  # the right page: still not mkdocs.yml
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", path, body=body, headers={"Host": host, "Origin": origin, "Content-Type": "application/json"})
        answer = connection.getresponse()
        assert answer.status == 403, (host, origin, path, answer.status)
        connection.close()
    assert (root / "mkdocs.yml").read_bytes() == before
    # Another page cannot read the secret: the configuration sends no CORS header.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/quan-tri/config.yml", headers={"Host": f"127.0.0.1:{port}", "Origin": "http://evil.example"})
    answer = connection.getresponse()
    assert answer.getheader("Access-Control-Allow-Origin") is None
    connection.close()


@pytest.mark.slow
def test_edit_refuses_a_public_address(tmp_path):
    result = subprocess.run(
        [str(BIN / "ntm"), "--root", str(ROOT), "edit", "--addr", "0.0.0.0:8123"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "127.0.0.1" in result.stderr


def test_menu_rule_places_new_pages_in_their_folders_section(tmp_path):
    from nongthonmoi.navigation import complete_nav

    docs = tmp_path / "docs"
    for name in ("index.md", "huong-dan/index.md", "huong-dan/a.md", "huong-dan/moi.md", "moi.md", "khac/x.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# x\n", encoding="utf-8")
    nav = [{"Trang chủ": "index.md"}, {"Ngày thứ Bảy": ["huong-dan/index.md", {"A": "huong-dan/a.md"}]}]
    assert complete_nav(nav, docs) == [
        {"Trang chủ": "index.md"},
        {"Ngày thứ Bảy": ["huong-dan/index.md", {"A": "huong-dan/a.md"}, "huong-dan/moi.md"]},
        "khac/x.md",
        "moi.md",
    ]
    assert nav[1]["Ngày thứ Bảy"][-1] == {"A": "huong-dan/a.md"}  # the configuration itself is not changed


def test_preview_shows_a_broken_build_in_the_browser(chromium, editing):
    """A mistake saved while previewing: the Vietnamese error appears over the
    page (no endless loading), and goes away once the file is fixed."""
    root, base, _ = editing
    result = root / "materials/ket-qua/gung-re/2023-03-04.yml"
    good = result.read_text(encoding="utf-8")
    result.write_text(good.replace("so_ho_tham_gia: 150", "so_ho_tham_gia: 301"), encoding="utf-8")
    try:
        page = _wait_for_page(base + "xa/gung-re/", "[S010]")
        assert 'id="ntm-loi-xem-truoc"' in page and "materials/ket-qua/gung-re/2023-03-04.yml" in page
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        view = context.new_page()
        view.goto(base + "xa/gung-re/")
        alert = view.get_by_role("alert")
        assert alert.is_visible()
        assert "Bản xem trước chưa cập nhật được" in alert.inner_text()
        context.close()
    finally:
        result.write_text(good, encoding="utf-8")
    deadline = time.monotonic() + 90
    while 'id="ntm-loi-xem-truoc"' in urllib.request.urlopen(base + "xa/gung-re/").read().decode():
        assert time.monotonic() < deadline, "the error stayed after the fix"
        time.sleep(1)


def test_the_preview_link_of_an_entry_is_its_page():
    """«Xem thử» opened the home page: Decap builds the link from each
    collection's preview_path, which must name the page `ntm edit` and the
    site show for the entry (backend.preview_path)."""
    from nongthonmoi.editor.backend import preview_path

    config = _config()
    by_name = {c["name"]: c for c in config["collections"]}
    for name, rel in (("ke-hoach", "gung-re/2023-03-18"), ("ket-qua", "gung-re/2023-03-11"),
                      ("danh-sach", "phong-nn-ptnt/2023-03-04")):
        dirname, filename = rel.split("/")
        link = by_name[name]["preview_path"].replace("{{dirname}}", dirname).replace("{{filename}}", filename)
        assert link == preview_path(ROOT, name, rel), name
    pages = next(c for c in config["collections"] if c.get("folder") == "docs/huong-dan")
    assert pages["preview_path"].replace("{{slug}}", "ke-hoach-tuan") == preview_path(ROOT, pages["name"], "ke-hoach-tuan")

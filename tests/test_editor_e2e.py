"""The web editor end to end, in Chromium, the way a Board editor uses it:
on one computer (`ntm edit`, the local backend) and on the published site
(Decap's test-repo backend, run offline), at desktop width and on a
360 × 740 phone.

Each flow ends with the message shown at the field it is about and with
`ntm check` passing on the working copy (for the published mode: the files
and drafts the page holds, written into a scratch copy). Every page load is
watched for Content-Security-Policy violations, and every flow for script
errors: a refused save is an answer, never an «Uncaught (in promise)».
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import copy_repo, run_ntm
from editor_published import init_script, published_copy, serve, write_back
from editor_support import editing, git

pytestmark = pytest.mark.slow

PLAN = "materials/ke-hoach/gung-re/2023-03-18.yml"
SIZES = {"desktop": (1280, 900), "phone": (360, 740)}


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    with editing(tmp_path_factory.mktemp("e2e-local")) as run:
        yield run


@pytest.fixture(scope="module")
def published_site(site, tmp_path_factory):
    folder = published_copy(site, tmp_path_factory.mktemp("e2e-published"))
    server, base = serve(folder)
    yield base
    server.shutdown()
    server.server_close()


class Editor:
    """One browser page on the editor, in one mode and one size."""

    def __init__(self, tabs, base: str, mode: str, size: str, root: Path):
        width, height = SIZES[size]
        self.tabs, self.mode, self.size, self.base, self.root = tabs, mode, size, base, root
        if mode == "published":
            script = init_script(root)
        else:
            script = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                      "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        self.page = tabs.open({"width": width, "height": height}, script)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("console", self._console)
        self.page.goto(base + "quan-tri/")
        # Logged in already when a page of this mode and the other size is open.
        login = self.page.get_by_role("button", name="Đăng nhập")
        login.or_(self.page.get_by_text("Loại nội dung")).first.wait_for()
        if login.is_visible():
            login.click()
        self.page.wait_for_selector("text=Loại nội dung")

    def _console(self, message) -> None:
        # A refused request's status is the browser's own network log, not a script error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def script_errors(self) -> list[str]:
        """What went wrong in the page's scripts since the last :meth:`reset`."""
        self.page.wait_for_timeout(100)  # a rejection is reported after the task that left it
        return list(self.errors)

    # --- moving around
    def open(self, route: str) -> None:
        # The profile's pages are tabs of one window, and a tab behind another
        # gets no animation frames: each click would wait about two seconds
        # for the frames that tell it the button stands still.
        self.page.bring_to_front()
        self.page.evaluate("route => { location.hash = '#/' + route; }", route)
        self.page.wait_for_timeout(300)

    def open_entry(self, collection: str, slug: str) -> None:
        self.open(f"collections/{collection}/entries/{slug}")
        self.field("xa").wait_for()

    def field(self, name: str, nth: int = 0):
        return self.page.locator(f'[id^="{name}-field-"]').nth(nth)

    def error_at(self, name: str):
        """The errors Decap shows above a field (its control's error list)."""
        control = self.page.locator("[class*='-ControlContainer']").filter(has=self.page.locator(f'[id^="{name}-field-"]')).first
        return control.locator("[class*='-ControlErrorsList']")

    def set_date(self, name: str, text: str) -> None:
        """Type the date; again if the form, still filling in a copied entry,
        put the copy's date back (seen under load: the save then met the
        copied plan's Saturday)."""
        field = self.field(name)
        for _ in range(5):
            field.fill(text)
            self.page.wait_for_timeout(300)
            if field.input_value() == text:
                return
        assert field.input_value() == text

    # --- the toolbar
    @property
    def saved_label(self) -> str:
        return "Đã lưu" if self.mode == "local" else "Đã đăng"

    def save(self) -> None:
        page = self.page
        # A person takes a moment between choosing a date and «Lưu»; the form
        # looks up the chosen Saturday's file meanwhile.
        page.wait_for_timeout(700)
        # The notices shown so far are marked: :meth:`saved` waits for a new one.
        page.evaluate("document.querySelectorAll('.Toastify__toast').forEach(e => { e.dataset.seen = ''; })")
        page.get_by_role("button", name="Lưu" if self.mode == "local" else "Đăng", exact=True).click()
        page.get_by_text("Lưu vào lịch sử" if self.mode == "local" else "Đăng ngay", exact=True).click()

    def saved(self) -> None:
        words = "Đã lưu vào lịch sử" if self.mode == "local" else "Đã lưu vào kho"
        self.page.locator(".Toastify__toast:not([data-seen])", has_text=words).first.wait_for(timeout=20000)

    def duplicate(self) -> None:
        self.page.get_by_role("button", name=self.saved_label, exact=True).click()
        self.page.get_by_text("Sao chép", exact=True).click()
        self.page.wait_for_url("**/new")
        self.field("xa").wait_for()

    def assert_fits(self) -> None:
        """No sideways scrolling; «Lưu» (or its menu) on screen, under no notice."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[self.size][0], f"page is {width} px wide"
        toolbar = self.page.locator("[class*='-ToolbarSectionMain'] [class*='-StyledDropdownButton'], [class*='-ToolbarSectionMain'] button").first
        box = toolbar.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[self.size][0], box
        # Its centre and corners (a notice across the top of a phone took its upper edge).
        points = [(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy) for fx, fy in
                  ((0.5, 0.5), (0.05, 0.1), (0.95, 0.1), (0.05, 0.9), (0.95, 0.9))]
        covered = toolbar.evaluate("(el, points) => points.map(([x, y]) => document.elementFromPoint(x, y))"
                                   ".filter(top => !el.contains(top)).map(top => top ? top.className : 'nothing')", points)
        assert covered == [], f"the save button is under {covered}"

    def csp_violations(self) -> list:
        return self.page.evaluate("window.__csp || []")

    def files(self) -> tuple[dict, dict]:
        return self.page.evaluate("[window.repoFiles, window.repoFilesUnpublished]")

    def reset(self) -> bool:
        """Back to the list of plans, as just after logging in, for the next
        flow on this page: any menu closed, the form left (its «leave without
        saving?» accepted), the CSP reports read so far forgotten. False
        when the page does not get there (then it is closed for a new one)."""
        page = self.page

        def leave(dialog):
            dialog.accept()

        page.on("dialog", leave)
        try:
            page.keyboard.press("Escape")
            self.open("collections/ke-hoach")
            page.wait_for_function("location.hash === '#/collections/ke-hoach'", timeout=5000)
            page.get_by_text("Loại nội dung").first.wait_for(timeout=5000)
            page.evaluate("window.__csp = []")
            self.errors.clear()
            return True
        except Exception:  # noqa: BLE001 - any trouble: a fresh page instead
            return False
        finally:
            if not page.is_closed():
                page.remove_listener("dialog", leave)

    def close(self) -> None:
        self.tabs.close(self.page)


def working_copy(editor: Editor, tmp_path: Path) -> Path:
    """The working copy after the flow: the repository itself (local mode), or
    a scratch copy with what the page holds written back (published mode)."""
    if editor.mode == "local":
        return editor.root
    root = copy_repo(tmp_path / "published-copy")
    files, drafts = editor.files()
    write_back(root, files, drafts if isinstance(drafts, dict) else {})
    return root


def check_passes(root: Path) -> None:
    result = run_ntm(root, "check")
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def kept_editors():
    """The module's editor pages by mode and size, each kept open from one
    flow to the next (:meth:`Editor.reset` between them): opening Decap and
    logging in is about 2 s of CPU a page. The first flow of each mode and
    size opens it; the files a flow saved stay saved for the next, as they
    would for a person doing one task after another."""
    pages: dict = {}
    yield pages
    for page in pages.values():
        page.close()


# The two modes share nothing (a running `ntm edit`, a served copy of the
# site): each is a group of its own, so two workers run them side by side.
MODES = [("local", "desktop"), ("local", "phone"), ("published", "desktop"), ("published", "phone")]


@pytest.fixture(params=[pytest.param(m, id="-".join(m), marks=pytest.mark.xdist_group(f"editor-e2e-{m[0]}")) for m in MODES])
def editor(request, editor_tabs, kept_editors):
    mode, size = request.param
    page = kept_editors.pop(request.param, None)
    if page is None:
        if mode == "local":
            run = request.getfixturevalue("local_run")
            page = Editor(editor_tabs, run.base, mode, size, run.root)
        else:
            base = request.getfixturevalue("published_site")
            from conftest import ROOT

            page = Editor(editor_tabs, base, mode, size, ROOT)
    yield page
    violations, errors = page.csp_violations(), page.script_errors()
    if page.reset():
        kept_editors[request.param] = page
    else:
        page.close()
    assert violations == [], violations
    assert errors == [], errors


def _free_saturday(editor: Editor, start: str = "2023-04-01") -> str:
    """A Saturday with no plan of Xã Gung Ré yet (each flow takes its own)."""
    from datetime import date, timedelta

    day = date.fromisoformat(start)
    taken = {p.stem for p in (editor.root / "materials/ke-hoach/gung-re").glob("*.yml")}
    while day.isoformat() in taken or day.isoformat() in _free_saturday.used:
        day += timedelta(days=7)
    _free_saturday.used.add(day.isoformat())
    return day.isoformat()


_free_saturday.used = set()


def _vi(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def test_copy_then_save_without_changing_the_date(editor, tmp_path):
    editor.open_entry("ke-hoach", "gung-re/2023-03-18")
    editor.duplicate()
    editor.assert_fits()
    editor.save()
    error = editor.error_at("ngay")
    error.wait_for()
    assert "Đã có kế hoạch của Xã Gung Ré cho thứ Bảy 18/03/2023" in error.inner_text()
    assert not list((editor.root / "materials/ke-hoach/gung-re").glob("*-1.yml"))
    new_day = _free_saturday(editor)
    editor.set_date("ngay", _vi(new_day))
    editor.save()
    editor.saved()
    root = working_copy(editor, tmp_path)
    assert (root / f"materials/ke-hoach/gung-re/{new_day}.yml").is_file()
    assert not list((root / "materials/ke-hoach/gung-re").glob("*-1.yml"))
    check_passes(root)


def test_changing_a_saved_plans_saturday(editor, tmp_path):
    # A plan of its own, made by copying, then moved to another Saturday.
    editor.open_entry("ke-hoach", "gung-re/2023-03-18")
    editor.duplicate()
    first = _free_saturday(editor)
    editor.set_date("ngay", _vi(first))
    editor.save()
    editor.saved()
    editor.open_entry("ke-hoach", f"gung-re/{first}")
    second = _free_saturday(editor)
    editor.set_date("ngay", _vi(second))
    editor.assert_fits()
    editor.save()
    if editor.mode == "local":
        editor.saved()
        root = editor.root
        editor.page.wait_for_url(f"**/entries/gung-re/{second}")
        assert (root / f"materials/ke-hoach/gung-re/{second}.yml").is_file()
        assert not (root / f"materials/ke-hoach/gung-re/{first}.yml").exists()
        assert git(root, "status", "--porcelain", "--", "materials").strip() == ""
    else:
        error = editor.error_at("ngay")
        error.wait_for()
        assert "không đổi được «Ngày thứ Bảy»" in error.inner_text() and "Sao chép" in error.inner_text()
        root = working_copy(editor, tmp_path)
    check_passes(root)


def test_a_second_result_for_the_same_saturday(editor, tmp_path):
    editor.open("collections/ket-qua/new")
    editor.field("xa").select_option("gung-re")
    editor.set_date("ngay", "04/03/2023")
    editor.field("so_ho_tham_gia").fill("100")
    editor.field("tong_so_ho").fill("300")
    editor.field("can_bo_xa").fill("5")
    editor.assert_fits()
    editor.save()
    error = editor.error_at("ngay")
    error.wait_for()
    assert "Đã có kết quả của Xã Gung Ré cho thứ Bảy 04/03/2023" in error.inner_text()
    check_passes(working_copy(editor, tmp_path))


def test_a_negative_quantity(editor, tmp_path):
    before = (editor.root / PLAN).read_bytes()
    editor.open_entry("ke-hoach", "gung-re/2023-03-18")
    editor.field("so").fill("-3")
    editor.save()
    error = editor.error_at("so")
    error.wait_for()
    assert "«Số lượng» không được âm" in error.inner_text() and "«so»" not in error.inner_text()
    editor.assert_fits()
    # «1.500» is a thousand five hundred or one and a half: never saved as either.
    editor.field("so").fill("1.500")
    editor.save()
    editor.page.wait_for_function("el => el.innerText.includes('1.500')", arg=error.element_handle(), timeout=10000)
    assert "1500, không có dấu chấm" in error.inner_text(), error.inner_text()
    assert (editor.root / PLAN).read_bytes() == before
    check_passes(working_copy(editor, tmp_path))


def test_text_pasted_in_nfd(editor, tmp_path):
    words = f"Tổng vệ sinh đường làng, ngõ xóm ({'máy tính' if editor.size == 'desktop' else 'điện thoại'})"
    decomposed = unicodedata.normalize("NFD", words)
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    editor.open_entry("ke-hoach", "gung-re/2023-03-11")
    editor.field("noi_dung").fill(decomposed)
    editor.save()
    editor.saved()
    root = working_copy(editor, tmp_path)
    text = (root / "materials/ke-hoach/gung-re/2023-03-11.yml").read_text(encoding="utf-8")
    assert words in text and unicodedata.is_normalized("NFC", text)
    check_passes(root)


@pytest.mark.xdist_group("editor-e2e-local")
def test_two_tabs_never_undo_each_others_save(editor_tabs, local_run):
    """The same plan open in two tabs (or on a laptop and a phone): the
    first save goes through; the second, from a form that still holds the
    version it opened, is refused with what to do, and the first save stays."""
    plan = "gung-re/2023-03-04"
    path = local_run.root / f"materials/ke-hoach/{plan}.yml"
    first, second = (Editor(editor_tabs, local_run.base, "local", size, local_run.root) for size in ("desktop", "phone"))
    try:
        for tab in (first, second):
            tab.open_entry("ke-hoach", plan)
        first.page.bring_to_front()  # back to the first tab
        first.field("noi_dung").fill("Thẻ thứ nhất: tổng vệ sinh khu dân cư")
        first.save()
        first.saved()
        head = git(local_run.root, "rev-parse", "HEAD")
        second.page.bring_to_front()
        second.field("noi_dung").fill("Thẻ thứ hai: dọn đường liên thôn")
        second.save()
        said = second.page.get_by_text("vừa được lưu ở nơi khác").first
        said.wait_for(timeout=20000)
        assert "API_ERROR" not in said.inner_text() and "Error" not in said.inner_text(), said.inner_text()
        text = path.read_text(encoding="utf-8")
        assert "Thẻ thứ nhất" in text and "Thẻ thứ hai" not in text
        assert git(local_run.root, "rev-parse", "HEAD") == head
        assert first.csp_violations() == [] and second.csp_violations() == []
        # The backend's refusal (409) is shown, not left as an unhandled rejection or logged as an error.
        assert first.script_errors() == [] and second.script_errors() == []
    finally:
        first.close()
        second.close()

"""The site on a cheap Android phone (360 x 740 px) in real Chromium: no
table cell past the screen's edge, no word broken inside a syllable, cards
that stay tables for screen readers; and "Thứ Bảy này" showing the reader's
own week, counted in Vietnam's time."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import Tab, copy_repo, run_mkdocs, serve_folder

PHONE = {"width": 360, "height": 740}

# One page per page type (the example data in materials/ has these).
PAGE_TYPES = {
    "home": "",
    "guide": "huong-dan/ai-lam-gi/",
    "document": "van-ban/422-tb-hu/",
    "document-index": "van-ban/",
    "commune": "xa/gung-re/",
    "communes": "xa/",
    "plan": "xa/gung-re/2023-03-04/",
    "saturday": "thu-bay/2023-03-04/",
    "saturday-index": "thu-bay/",
    "this-saturday": "thu-bay-nay/",
    "results": "ket-qua/",
    "handout-list": "tai-lieu-in/",
    "glossary": "thuat-ngu/",
}

# Every body cell of the article's tables, with where it ends up on screen.
# Closed <details> are opened first: their tables count too.
CELLS = """() => {
  document.querySelectorAll("article details").forEach(d => { d.open = true; });
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll("article table")].filter(t => !t.closest("[hidden]"));
  return {
    width,
    scrollWidth: document.documentElement.scrollWidth,
    tables: tables.map(t => ({ left: t.getBoundingClientRect().left, right: t.getBoundingClientRect().right })),
    cells: tables.flatMap(t => [...t.querySelectorAll("tbody th, tbody td")]).map(c => {
      const r = c.getBoundingClientRect();
      return { text: c.textContent.trim().slice(0, 40), left: r.left, right: r.right, width: r.width, height: r.height };
    }),
  };
}"""

# Words of the tables' text that the browser split over two lines. A word is
# a run of letters and digits: a syllable, or a number ("422" in 422-TB/HU).
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("table") || node.parentElement.closest("[hidden]")) continue;
    for (const m of node.nodeValue.matchAll(/[\\p{L}\\p{M}\\p{N}]+/gu)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone_tab(phone) -> Tab:
    return Tab(phone)


def layout(tab: Tab, url: str) -> dict:
    page = tab.open(url, wait_until="networkidle")
    return {**page.evaluate(CELLS), "broken": page.evaluate(BROKEN_WORDS)}


def check_fits(found: dict) -> None:
    width = found["width"]
    assert found["scrollWidth"] <= width, "the page scrolls sideways"
    for table in found["tables"]:
        assert table["left"] >= -0.5 and table["right"] <= width + 0.5, table
    for cell in found["cells"]:
        # Visible, and all of it on the screen: nothing to scroll to.
        assert cell["width"] > 0 and cell["height"] > 0, cell
        assert cell["left"] >= -0.5 and cell["right"] <= width + 0.5, cell
    assert found["broken"] == []


@pytest.fixture(scope="module")
def layouts(phone_tab, served) -> dict[str, dict]:
    return {kind: layout(phone_tab, served + path) for kind, path in PAGE_TYPES.items()}


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_tables_fit_a_phone_screen(layouts, kind):
    check_fits(layouts[kind])


def test_the_data_tables_are_measured(layouts):
    """The check above would pass on pages without tables: make sure they are there."""
    counts = {kind: len(found["tables"]) for kind, found in layouts.items()}
    assert sum(counts.values()) >= 15, counts
    for kind in ("document-index", "communes", "plan", "saturday", "saturday-index", "results", "handout-list"):
        assert counts[kind] >= 1, kind
    assert counts["results"] == 2  # the one in the closed <details> too


def test_document_index_keeps_words_whole(layouts):
    found = layouts["document-index"]
    assert found["broken"] == []
    texts = " ".join(c["text"] for c in found["cells"])
    assert "Thông báo số 422-TB/HU" in texts and "Kế hoạch số 36/KH-UBND" in texts


def test_commune_name_and_participation_show_on_a_saturday_card(phone_tab, served):
    page = phone_tab.open(served + PAGE_TYPES["saturday"], wait_until="networkidle")
    row = page.locator("article table").first.locator("tbody tr", has_text="Xã Gung Ré")
    assert row.locator("th").inner_text() == "Xã Gung Ré"
    rate = row.locator("td[data-label='Hộ tham gia']")
    assert rate.is_visible()
    # The label comes from CSS, the value from the cell: a card reads "Hộ tham gia: ...".
    label = rate.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Hộ tham gia: "'
    assert rate.inner_text().endswith("150/300 (50,0%)")
    box = rate.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_cards_stay_tables_for_screen_readers(phone, phone_tab, served):
    """Chromium's accessibility tree still has the table, its rows and cells
    once the rows are drawn as cards."""
    page = phone_tab.open(served + PAGE_TYPES["saturday"], wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.querySelector('article tbody tr')).display") == "block"
    cdp = phone.new_cdp_session(page)
    roles = [n.get("role", {}).get("value") for n in cdp.send("Accessibility.getFullAXTree")["nodes"]]
    rows = page.locator("article table tr").count()
    assert roles.count("table") == page.locator("article table").count()
    assert roles.count("row") == rows
    assert roles.count("rowheader") >= 19 and roles.count("columnheader") >= 5
    assert roles.count("cell") > 0
    cdp.detach()


@pytest.mark.parametrize("kind", ["document-index", "saturday", "communes", "handout-list"])
def test_cards_pass_axe_core(phone_tab, served, kind):
    page = phone_tab.open(served + PAGE_TYPES[kind], wait_until="networkidle")
    result = Axe().run(page)
    bad = [(v["id"], v["impact"]) for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []


# --- "Thứ Bảy này" in the reader's week ------------------------------------

# Built on Wednesday 01/03/2023 (Vietnam): the page's week is 04/03/2023, and
# it carries 11/03 and 18/03, the later Saturdays with plans in materials/.
BUILT = datetime.fromisoformat("2023-03-01T10:00:00+07:00")


@pytest.fixture(scope="module")
def early_site(tmp_path_factory):
    # In a copy: a build of another day would take the working tree's caches
    # for that day's sheets and forms, and the next copies would start colder.
    repo = copy_repo(tmp_path_factory.mktemp("early") / "repo")
    out = repo.parent / "site"
    result = run_mkdocs(repo, out, env={"NTM_TODAY": BUILT.date().isoformat()})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def early(early_site):
    server, url = serve_folder(early_site)
    yield url
    server.shutdown()
    server.server_close()


def this_saturday(chromium, url: str, moment: str, timezone: str, script: bool = True):
    context = chromium.new_context(viewport=PHONE, timezone_id=timezone, java_script_enabled=script)
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(moment))
    page.goto(url + "thu-bay-nay/", wait_until="networkidle")
    return context, page


def shown(page) -> dict:
    box = page.locator("#ntm-this-saturday")
    return {
        "saturday": box.locator("[data-field=saturday]").inner_text(),
        "wednesday": box.locator("[data-field=wednesday]").inner_text(),
        "monday": box.locator("[data-field=monday]").inner_text(),
        "weeks": page.eval_on_selector_all(
            "#ntm-this-saturday [data-saturday]", "els => els.filter(e => !e.hidden).map(e => e.dataset.saturday)"
        ),
        "text": box.inner_text(),
    }


def test_the_built_page_carries_the_later_weeks_out_of_the_search_index(early_site):
    raw = (early_site / "thu-bay-nay/index.html").read_text(encoding="utf-8")
    assert 'data-built="2023-03-04"' in raw
    for later in ("2023-03-11", "2023-03-18"):
        # As the sanitiser (nh3) writes attributes: data-search-exclude="" hidden="".
        assert f'data-saturday="{later}" data-search-exclude="" hidden=""' in raw
    index = json.loads((early_site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("thu-bay-nay/"))
    assert "Tổng vệ sinh đường làng" in text  # the built week: 04/03
    assert "sân sinh hoạt cộng đồng" not in text  # 18/03, carried for later readers


@pytest.mark.parametrize(
    "moment, timezone, saturday, wednesday, monday, content",
    [
        # Thursday 09/03 in Di Linh: that Saturday's plans, in place.
        ("2023-03-09T09:00:00+07:00", "Asia/Ho_Chi_Minh", "11/03/2023", "08/03/2023", "13/03/2023",
         "Trồng hoa, cây xanh dọc đường"),
        # Sunday 12/03, 05:00 in Di Linh is still Saturday 11/03 in Los Angeles:
        # the week is Vietnam's, so the plans are those of 18/03.
        ("2023-03-12T05:00:00+07:00", "America/Los_Angeles", "18/03/2023", "15/03/2023", "20/03/2023",
         "Vệ sinh khu dân cư, sân sinh hoạt cộng đồng"),
    ],
)
def test_a_later_week_shows_its_plans_in_place(chromium, early, moment, timezone, saturday, wednesday, monday, content):
    context, page = this_saturday(chromium, early, moment, timezone)
    try:
        now = shown(page)
        assert (now["saturday"], now["wednesday"], now["monday"]) == (saturday, wednesday, monday)
        iso = datetime.strptime(saturday, "%d/%m/%Y").date().isoformat()
        assert now["weeks"] == [iso]
        assert content in now["text"]
        assert "Tổng vệ sinh đường làng" not in now["text"]  # the built week is hidden
        assert "tính từ ngày cập nhật trang" not in now["text"]
        check_fits({**page.evaluate(CELLS), "broken": page.evaluate(BROKEN_WORDS)})
    finally:
        context.close()


def test_a_later_week_without_plans_says_so(chromium, early):
    context, page = this_saturday(chromium, early, "2023-03-23T09:00:00+07:00", "Asia/Ho_Chi_Minh")
    try:
        now = shown(page)
        assert now["saturday"] == "25/03/2023"
        assert now["weeks"] == ["other"]
        assert "chưa có kế hoạch" in now["text"]
        assert page.locator("#ntm-this-saturday table").filter(visible=True).count() == 0
    finally:
        context.close()


def test_an_earlier_week_without_plans_points_to_the_next_planned_one(chromium, early):
    # A phone whose clock is behind: 25/02 has no plans, 04/03 (the built week) has.
    context, page = this_saturday(chromium, early, "2023-02-22T09:00:00+07:00", "Asia/Ho_Chi_Minh")
    try:
        now = shown(page)
        assert now["saturday"] == "25/02/2023" and now["weeks"] == ["other"]
        assert "chưa có kế hoạch" in now["text"]
        assert "Thứ Bảy tiếp theo đã có kế hoạch: ngày 04/03/2023." in now["text"]
        assert page.locator('[data-field="next"] a').get_attribute("href") == "../thu-bay/2023-03-04/"
    finally:
        context.close()


def test_without_script_the_built_week_stays(chromium, early):
    context, page = this_saturday(chromium, early, "2023-03-09T09:00:00+07:00", "Asia/Ho_Chi_Minh", script=False)
    try:
        now = shown(page)
        assert now["saturday"] == "04/03/2023"
        assert now["weeks"] == ["2023-03-04"]
        assert "Tổng vệ sinh đường làng" in now["text"]
        assert "Trồng hoa, cây xanh dọc đường" not in now["text"]
        assert "tính từ ngày cập nhật trang 01/03/2023" in now["text"]
    finally:
        context.close()

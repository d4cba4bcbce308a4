"""Smaller things a reader meets: the web checklists tick and remember it on
the phone, the glossary sets its terms apart, no gridline crosses «chưa có
số liệu» in the results chart."""

from __future__ import annotations

import re

import pytest

from nongthonmoi.saturday.charts import participation_bars

PHONE = {"width": 360, "height": 740}


def test_no_gridline_crosses_a_row_without_data():
    rows = [("Xã A", 0.5), ("Xã B", None), ("Xã C", 0.7), ("Xã D", None)]
    svg = str(participation_bars("t", rows, "Tỷ lệ", "Mô tả"))
    top, row_h = 24, 24
    lines = [tuple(float(v) for v in m) for m in re.findall(r'<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"', svg)]
    assert lines
    for index, (_, value) in enumerate(rows):
        if value is not None:
            continue
        row_top, row_bottom = top + index * row_h, top + (index + 1) * row_h
        for y1, y2 in lines:
            assert y2 <= row_top or y1 >= row_bottom, (index, y1, y2)
    assert svg.count("chưa có số liệu") == 2
    # A row with a bar still has its gridlines.
    assert any(y1 <= top + 2 * row_h + 4 and y2 >= top + 3 * row_h - 4 for y1, y2 in lines)


@pytest.mark.slow
def test_checklist_ticks_are_kept_on_the_phone(chromium, served):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    url = served + "khang-trang-xanh-sach-dep/ho-gia-dinh/"
    page.goto(url, wait_until="load")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    assert boxes.count() >= 20
    assert all(not boxes.nth(i).is_disabled() for i in range(boxes.count()))
    # The reader ticks by tapping the item's box.
    page.locator("article .task-list-item label").nth(2).dispatch_event("click")  # the box is the label's ::before
    page.locator("article .task-list-item label").nth(5).dispatch_event("click")
    assert [boxes.nth(i).is_checked() for i in range(6)] == [False, False, True, False, False, True]
    page.reload(wait_until="load")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    assert [boxes.nth(i).is_checked() for i in range(6)] == [False, False, True, False, False, True]
    # Another page's list is its own.
    other = context.new_page()
    other.goto(served + "khang-trang-xanh-sach-dep/co-quan-truong-hoc/", wait_until="load")
    assert other.locator("article .task-list-item input:checked").count() == 0
    # The page says the ticks are kept here, and clears them for next week.
    assert "được nhớ trên máy này" in page.inner_text("article")
    page.click("#ntm-bo-danh-dau")
    page.reload(wait_until="load")
    assert page.locator("article .task-list-item input:checked").count() == 0
    context.close()


def test_glossary_terms_stand_apart_from_their_definitions(chromium, served):
    page = chromium.new_page(viewport=PHONE)
    page.goto(served + "thuat-ngu/", wait_until="load")
    term = page.locator("article dl dt").first
    definition = page.locator("article dl dd").first
    weight = term.evaluate("e => getComputedStyle(e).fontWeight")
    t, d = term.bounding_box(), definition.bounding_box()
    page.close()
    assert int(weight) >= 700
    assert d["y"] >= t["y"] + t["height"] - 1  # under the term, not beside it
    assert d["x"] >= t["x"] + 10  # indented

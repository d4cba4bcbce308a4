"""The Saturday pages, charts, CSV report, calendars and feed built from the
example data in materials/."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import replace as dataclass_replace
from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import ROOT
from test_site import main_text

EXAMPLE = "Dữ liệu ví dụ"
HAMLETS = "Danh sách thôn là ví dụ, chờ xã cập nhật"


def test_commune_page_lists_saturdays_agencies_and_hamlets(site):
    text = main_text(site / "xa/gung-re/index.html")
    for expected in ("Xã Gung Ré", "04/03/2023", "11/03/2023", "18/03/2023", "Văn phòng HĐND và UBND huyện", EXAMPLE, HAMLETS):
        assert expected in text, expected
    raw = (site / "xa/gung-re/index.html").read_text(encoding="utf-8")
    assert 'href="2023-03-04/"' in raw
    assert 'href="../../lich/gung-re.ics"' in raw


def test_plan_page_shows_every_field_the_notice_asks_for(site):
    text = main_text(site / "xa/gung-re/2023-03-04/index.html")
    for expected in (
        EXAMPLE,
        HAMLETS,
        "Tổng vệ sinh đường làng, ngõ xóm; khơi thông cống rãnh",  # nội dung
        "7h00 - 10h30",  # thời gian
        "Chủ tịch UBND xã",  # chỉ đạo
        "Trưởng các thôn",  # tổ chức thực hiện
        "300 m",  # khối lượng
        "Thôn 1, Thôn 2",  # khu vực
        "Cuốc, xẻng, xe rùa",  # công cụ
        "Hội viên Hội Phụ nữ",  # thành phần
        "Văn phòng HĐND và UBND huyện",  # đơn vị hỗ trợ
        "Thu gom, xử lý rác",
        "150 / 300 hộ (50,0%)",  # result
        "240 m",
        "80,0%",
        "chậm nhất thứ Tư 01/03/2023",
        "trong ngày thứ Hai 06/03/2023",
    ):
        assert expected in text, expected


def test_saturday_page_puts_communes_side_by_side_with_deadlines(site):
    text = main_text(site / "thu-bay/2023-03-11/index.html")
    assert "chậm nhất thứ Tư 08/03/2023" in text
    assert "trong ngày thứ Hai 13/03/2023" in text
    assert EXAMPLE in text
    for name in ("Thị trấn Di Linh", "Xã Gung Ré", "Xã Hòa Ninh", "Xã Tân Thượng"):
        assert name in text
    assert text.count("Chưa có kế hoạch") == 16
    raw = (site / "thu-bay/2023-03-11/index.html").read_text(encoding="utf-8")
    assert 'href="../../bao-cao/bao-cao-2023-03-11.csv"' in raw


def test_staff_lists_show_whether_they_came_by_wednesday(site):
    text = main_text(site / "thu-bay/2023-03-04/index.html")
    assert "Đúng hạn" in text
    assert "Muộn (hạn 01/03/2023)" in text  # Ban Tuyên giáo's example list is sent on Thursday


def test_this_saturday_is_fixed_by_the_last_commit(site):
    raw = (site / "thu-bay-nay/index.html").read_text(encoding="utf-8")
    match = re.search(r'data-built="(\d{4}-\d{2}-\d{2})"', raw)
    assert match
    built = date.fromisoformat(match.group(1))
    assert built.weekday() == 5
    # Moves to the reader's week (a script file: the page's CSP allows no
    # other inline script); the static text is the fallback.
    assert 'src="../assets/javascripts/this-saturday.js"' in raw
    assert 'data-day="2023-03-04" href="../thu-bay/2023-03-04/"' in raw


def test_results_page_has_accessible_black_and_white_charts(site):
    raw = (site / "ket-qua/index.html").read_text(encoding="utf-8")
    charts = re.findall(r"<svg class=\"ntm-chart\".*?</svg>", raw, re.S)
    assert len(charts) == 2
    for svg in charts:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        ET.fromstring(svg)  # well-formed XML
    assert "<pattern" in charts[0]  # hatched bars, not colour alone
    assert "50,0%" in charts[0]  # values written on the chart
    text = main_text(site / "ket-qua/index.html")
    assert "Số liệu của biểu đồ theo xã, thị trấn" in text
    assert re.search(r"Xã Gung Ré</a></th>\s*<td>2</td>\s*<td>330/600</td>\s*<td>55,0%</td>", raw)


def test_monday_report_csv_opens_in_excel(site):
    data = (site / "bao-cao/bao-cao-2023-03-04.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    # «;» between fields and decimal commas: what Excel with Vietnamese settings reads as numbers.
    assert b";50,0;" in data and b'"50,0"' not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["STT", "Xã, thị trấn", "Ngày thứ Bảy"]
    assert len(body) == 19
    gung_re = next(r for r in body if r[1] == "Xã Gung Ré")
    record = dict(zip(header, gung_re))
    assert record["Số hộ tham gia"] == "150" and record["Tổng số hộ"] == "300"
    assert record["Tỷ lệ hộ tham gia (%)"] == "50,0"
    assert record["Dữ liệu ví dụ"] == "Có"
    assert "Khơi thông cống rãnh thoát nước: 240/300 m" in record["Khối lượng đã làm / kế hoạch"]


def parse_ics(data: bytes) -> list[dict]:
    """A small strict RFC 5545 reader: CRLF lines, 75-octet folding, balanced blocks."""
    assert data.endswith(b"\r\n")
    raw_lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in raw_lines)
    assert all(len(line) <= 75 for line in raw_lines), "line longer than 75 octets"
    lines: list[str] = []
    for line in raw_lines:
        if line.startswith(b" "):
            lines[-1] += line[1:].decode("utf-8")
        else:
            lines.append(line.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current, stack = [], None, []
    for line in lines:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^:;]+)*", name), line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            assert name not in current, f"repeated {name}"
            current[name] = value
    assert not stack
    return events


def test_calendar_parses_and_is_stable(site):
    data = (site / "lich/gung-re.ics").read_bytes()
    events = parse_ics(data)
    assert len(events) == 3
    assert len({e["UID"] for e in events}) == 3
    first = events[0]
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert prop in first
    assert first["UID"] == "gung-re-20230304@nongthonmoi-dilinh"
    start = datetime.strptime(first["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    end = datetime.strptime(first["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert first["DTSTART"] == "20230304T000000Z"  # 7h00 in Di Linh (UTC+7)
    assert end - start == timedelta(hours=3, minutes=30)  # until 10h30
    # The last commit of the plan's file, not the clock (test_outputs.py checks every event).
    assert first["DTSTAMP"] == first["LAST-MODIFIED"] and first["DTSTAMP"] > "20230304T000000Z"
    assert "[Dữ liệu ví dụ]" in first["SUMMARY"]
    assert "\\," in first["SUMMARY"] or "," not in first["SUMMARY"]


def test_commune_without_plans_has_no_calendar(site):
    """RFC 5545 wants at least one component: no plan, no file and no link."""
    assert not (site / "lich/tan-lam.ics").exists()
    for page in ("xa/tan-lam/index.html", "xa/index.html"):
        assert "lich/tan-lam.ics" not in (site / page).read_text(encoding="utf-8"), page
    assert "Chưa có kế hoạch ngày thứ Bảy nào" in main_text(site / "xa/tan-lam/index.html")


def test_saturdays_index_offers_new_plans_in_plain_words(site):
    text = main_text(site / "thu-bay/index.html")
    assert "Theo dõi kế hoạch mới" in text
    assert "Atom" not in text
    raw = (site / "thu-bay/index.html").read_text(encoding="utf-8")
    assert '<a href="../feed.xml">Theo dõi kế hoạch mới</a>' in raw


def test_feed_lists_new_plans(site):
    tree = ET.parse(site / "feed.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = tree.getroot().findall("a:entry", ns)
    assert len(entries) == 9
    titles = [e.find("a:title", ns).text for e in entries]
    assert titles[0].endswith("kế hoạch ngày 18/03/2023 (dữ liệu ví dụ)")
    ids = [e.find("a:id", ns).text for e in entries]
    assert len(set(ids)) == 9


def test_generated_pages_stay_small_and_out_of_the_full_nav(site):
    pages = [p for folder in ("xa", "thu-bay", "thu-bay-nay", "ket-qua") for p in (site / folder).rglob("*.html")]
    assert len(pages) >= 19 + 9 + 3
    heavy = [(str(p), p.stat().st_size) for p in pages if p.stat().st_size > 60_000]
    assert not heavy
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "xa/gung-re/2023-03-04/" not in home


def test_generated_pages_name_their_sources(site):
    # The build keeps the pages' text in one file for the next build.
    from nongthonmoi.saturday import site as saturday_site

    text = saturday_site.read_pack(ROOT / ".cache/generated/pages")["xa/gung-re/2023-03-04.md"][1]
    assert "  - materials/ke-hoach/gung-re/2023-03-04.yml" in text
    assert "  - materials/ket-qua/gung-re/2023-03-04.yml" in text
    # "Cập nhật lần cuối" once the data is committed.
    assert "Cập nhật lần cuối" in (site / "xa/gung-re/2023-03-04/index.html").read_text(encoding="utf-8")


def test_text_from_data_is_escaped_in_views():
    """Validation rejects markup; the views escape it anyway."""
    from nongthonmoi.saturday import site as saturday_site
    from nongthonmoi.saturday.context import saturday_detail
    from nongthonmoi.saturday.data import load
    from nongthonmoi.views import make_environment

    data = load(ROOT)
    key = ("gung-re", date(2023, 3, 4))
    data.plans[key] = data.plans[key].model_copy(update={"content": "<script>alert(1)</script>"})
    env = make_environment(ROOT)
    saturday_site._add_filters(env)
    html = env.get_template("saturday/saturday.html").render(
        link=lambda target: target, page_title="t", **saturday_detail(data, date(2023, 3, 4))
    )
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("value, expected", [("7h00", "7h00"), ("13h30", "13h30"), (450, "7h30"), ("7:30", "7h30")])
def test_times_are_read_the_ways_editors_write_them(value, expected):
    from nongthonmoi.models.plans import TimeWindow, clock

    window = TimeWindow.model_validate({"bat_dau": value, "ket_thuc": "23h00"})
    assert clock(window.start) == expected


def _this_saturday_text(data, today: date) -> str:
    """"Thứ Bảy này" rendered in-process (no build) as the reader reads it, scripts aside."""
    from markupsafe import Markup

    from nongthonmoi.saturday import site as saturday_site

    env = saturday_site._environment(ROOT)
    spec = next(s for s in saturday_site.page_specs(data, today) if s.src_uri == "thu-bay-nay/index.md")
    html = env.get_template(spec.template).render(
        link=lambda target: Markup("../" + target.removesuffix(".md") + "/"), page_title=spec.title, **spec.context()
    )
    # What shows without the script: the built week, not the hidden later weeks.
    shown = re.sub(r"<section[^>]*hidden[^>]*>.*?</section>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", shown))


def test_this_saturday_without_plans_leads_with_the_next_planned_week():
    """Built on 08/03/2023 with no plan for 11/03: the reader first reads that
    this Saturday has none, then the next one that has (18/03, linked), then
    the latest past week (04/03), named as past."""
    from dataclasses import replace

    from nongthonmoi.materials import load_materials

    data = load_materials(ROOT).saturday
    gap = date(2023, 3, 11)
    data = replace(
        data,
        plans={k: v for k, v in data.plans.items() if k[1] != gap},
        results={k: v for k, v in data.results.items() if k[1] != gap},
    )
    text = _this_saturday_text(data, date(2023, 3, 8))
    none, upcoming, past = (
        text.index("Thứ Bảy này chưa có kế hoạch"),
        text.index("Thứ Bảy tiếp theo đã có kế hoạch: ngày 18/03/2023"),
        text.index("Tuần đã qua gần nhất có kế hoạch: ngày thứ Bảy 04/03/2023 (đã qua"),
    )
    assert none < upcoming < past
    # Nothing planned later: no next week offered, the past one still named as past.
    text = _this_saturday_text(data, date(2023, 3, 22))
    assert "Thứ Bảy này chưa có kế hoạch" in text and "Thứ Bảy tiếp theo" not in text
    assert "ngày thứ Bảy 18/03/2023 (đã qua" in text


@pytest.mark.parametrize("value, text", [(1, "1"), (1.5, "1,5"), (999, "999"), (1200, "1.200"), (1200.5, "1.200,5"),
                                         (1234567.25, "1.234.567,25"), (0.25, "0,25")])
def test_amounts_read_the_vietnamese_way(value, text):
    from nongthonmoi.models.plans import format_amount, plain_amount

    assert format_amount(value) == text
    assert plain_amount(value) == text.replace(".", "")  # spreadsheet cells: no thousands dot


def test_big_counts_and_amounts_get_a_thousands_dot_but_dates_do_not():
    """A plan of 1200 m and 1500 households: «1.200 m», «1.200/1.500» on the
    Saturday's page; its dates (and the year 2023) stay as they are."""
    from markupsafe import Markup

    from nongthonmoi.materials import load_materials
    from nongthonmoi.saturday import context as ctx
    from nongthonmoi.saturday import site as saturday_site

    data = load_materials(ROOT).saturday
    key = ("gung-re", date(2023, 3, 4))
    plan, result = data.plans[key], data.results[key]
    task = plan.tasks[0]
    big_task = task.model_copy(update={"quantity": task.quantity.model_copy(update={"amount": 1200.0})})
    data = dataclass_replace(
        data,
        plans={**data.plans, key: plan.model_copy(update={"tasks": [big_task, *plan.tasks[1:]]})},
        results={**data.results, key: result.model_copy(update={"households_joined": 1200, "households_total": 1500})},
    )
    env = saturday_site._environment(ROOT)
    html = env.get_template("saturday/saturday.html").render(
        link=lambda target: Markup("../" + target.removesuffix(".md") + "/"), page_title="x",
        **ctx.saturday_detail(data, key[1]),
    )
    assert f"1.200 {task.quantity.unit}" in html and "1.200/1.500" in html
    assert "04/03/2023" in html and "2.023" not in html

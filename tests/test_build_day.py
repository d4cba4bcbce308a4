"""The build's "today" is the day it is built, in Vietnam (buildday.py):
NTM_TODAY pins it; two builds a week apart with no commit between move the
week; the same day gives the same bytes; a malformed day stops the build."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timezone

import pytest

from conftest import ROOT, copy_repo, run_mkdocs
from nongthonmoi import buildday
from nongthonmoi.errors import ContentErrors


def test_the_day_is_vietnams_whatever_the_clock_of_the_machine():
    # Friday 22:00 UTC is Saturday 05:00 in Di Linh: the scheduled rebuild's moment.
    assert buildday.build_day({}, datetime(2026, 12, 11, 22, 0, tzinfo=timezone.utc)) == date(2026, 12, 12)
    assert buildday.build_day({}, datetime(2026, 12, 11, 16, 59, tzinfo=timezone.utc)) == date(2026, 12, 11)


def test_ntm_today_pins_the_day_and_source_date_epoch_does_not():
    env = {"NTM_TODAY": "2023-03-09", "SOURCE_DATE_EPOCH": "1700000000"}
    assert buildday.build_day(env, datetime(2026, 12, 11, tzinfo=timezone.utc)) == date(2023, 3, 9)
    # The last commit stamps files; it is not "today".
    assert buildday.build_day({"SOURCE_DATE_EPOCH": "1677715200"}, datetime(2026, 12, 11, tzinfo=timezone.utc)) == date(2026, 12, 11)


@pytest.mark.parametrize("value", ["2023-3-9", "09/03/2023", "2023-02-30", "hôm nay", "2023-03-09T10:00"])
def test_a_malformed_day_is_refused(value):
    with pytest.raises(ContentErrors) as caught:
        buildday.build_day({"NTM_TODAY": value})
    assert "[B007]" in str(caught.value) and value in str(caught.value)


def test_coming_saturdays():
    assert buildday.coming_saturday(date(2026, 12, 11)) == date(2026, 12, 12)  # Friday
    assert buildday.coming_saturday(date(2026, 12, 12)) == date(2026, 12, 12)  # Saturday itself
    assert buildday.coming_saturday(date(2026, 12, 13)) == date(2026, 12, 19)  # Sunday
    assert buildday.saturdays_ahead(date(2026, 12, 11)) == [date(2026, 12, 12), date(2026, 12, 19)]


def test_a_malformed_day_stops_the_build(tmp_path):
    result = run_mkdocs(ROOT, tmp_path / "site", env={"NTM_TODAY": "09/03/2023"})
    assert result.returncode != 0
    assert "[B007]" in result.stderr and "NTM_TODAY" in result.stderr
    assert "Traceback" not in result.stderr


# --- two builds a week apart, no commit between ---------------------------------

# Thursdays: the coming Saturday is 18/03/2023 (sheets for 04, 11 and 18/03),
# then 25/03/2023 (the sheets of 04/03 leave the window of two past Saturdays).
WEDNESDAY = "2023-03-16"
NEXT_WEDNESDAY = "2023-03-23"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    # One copy of the repository, three builds in it, no commit between. (Not
    # the working tree: builds of other days would take its caches for their
    # own sheets and forms, and later copies would start colder.)
    repo = copy_repo(tmp_path_factory.mktemp("days") / "repo")
    out = {}
    for name, day in (("a", WEDNESDAY), ("again", WEDNESDAY), ("week", NEXT_WEDNESDAY)):
        folder = tmp_path_factory.mktemp(name) / "site"
        # "again" in a new process: a hash seed of its own (forked_commands.py).
        result = run_mkdocs(repo, folder, env={"NTM_TODAY": day}, fresh=name == "again")
        assert result.returncode == 0, result.stderr
        out[name] = folder
    return out


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_the_same_day_gives_the_same_bytes(builds):
    first, second = _files(builds["a"]), _files(builds["again"])
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def _built_saturday(site) -> str:
    html = (site / "thu-bay-nay/index.html").read_text(encoding="utf-8")
    return re.search(r'id="ntm-this-saturday" data-built="([\d-]+)"', html).group(1)


def _plan_forms(site, unit="gung-re") -> list[str]:
    html = (site / f"xa/{unit}/index.html").read_text(encoding="utf-8")
    return re.findall(rf'href="[^"]*bang-tinh/(ke-hoach-{unit}-[\d-]+\.xlsx)"', html)


def _sheets(site) -> set[str]:
    return {p.name for p in (site / "tai-lieu-in").rglob("ke-hoach-*.pdf")}


@pytest.mark.slow
def test_a_week_later_the_week_has_moved(builds):
    a, week = builds["a"], builds["week"]
    assert _built_saturday(a) == "2023-03-18"
    assert _built_saturday(week) == "2023-03-25"
    # The plan sheets' window moved: last week's sheets are there, and the
    # ones of the Saturday before the window are gone.
    assert "ke-hoach-gung-re-2023-03-04.pdf" in _sheets(a)
    assert "ke-hoach-gung-re-2023-03-04.pdf" not in _sheets(week)
    # The plan form offered to a commune without plans follows the day too.
    assert _plan_forms(a, "bao-thuan") == ["ke-hoach-bao-thuan-2023-03-18.xlsx", "ke-hoach-bao-thuan-2023-03-25.xlsx"]
    assert _plan_forms(week, "bao-thuan") == ["ke-hoach-bao-thuan-2023-03-25.xlsx", "ke-hoach-bao-thuan-2023-04-01.xlsx"]
    # The offline copy carries the same moved page.
    with zipfile.ZipFile(week / "tai-ve/nong-thon-moi-di-linh.zip") as z:
        page = next(n for n in z.namelist() if n.endswith(("thu-bay-nay.html", "thu-bay-nay/index.html")))
        assert 'data-built="2023-03-25"' in z.read(page).decode()


@pytest.mark.slow
def test_a_page_built_on_friday_night_offers_the_form_of_the_reader_s_week(tmp_path):
    """Built Friday 17/03/2023: Gung Ré's plan of 18/03 exists, so its plan
    form is for 25/03 either way; for a commune without a plan the build
    gives the form of 18/03 until Saturday and the one of 25/03 after it."""
    site = tmp_path / "site"
    result = run_mkdocs(copy_repo(tmp_path / "repo"), site, env={"NTM_TODAY": "2023-03-17"})
    assert result.returncode == 0, result.stderr
    html = (site / "xa/bao-thuan/index.html").read_text(encoding="utf-8")
    until = re.search(r'data-ntm-until="2023-03-18"[^>]*>.*?ke-hoach-bao-thuan-2023-03-18\.xlsx', html, re.S)
    since = re.search(r'data-ntm-since="2023-03-19" hidden[^>]*>.*?ke-hoach-bao-thuan-2023-03-25\.xlsx', html, re.S)
    assert until and since, html[html.find("bảng tính kế hoạch") - 400:][:1200]

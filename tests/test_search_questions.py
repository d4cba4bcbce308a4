"""Eighty questions from four writers who never saw the site, asked of
Material's search worker in Chromium at 360 x 740 on the real site: the page
that answers each comes in the top 3, mostly first, and no page of the
editing guide stands in a reader's top 3 (tests/search_questions.yml,
design/search.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from search_support import EDITOR_PAGES, PHONE, ask_worker, figures, questions, report
from test_search import run_search

ENTRIES = questions()


@pytest.fixture(scope="module")
def answers(reader_tab, served, site) -> dict[str, list[str]]:
    return ask_worker(reader_tab, served, site, sorted({e["query"] for e in ENTRIES}), viewport=PHONE)


def test_the_question_set_is_whole():
    assert len(ENTRIES) >= 60
    assert len({e["writer"] for e in ENTRIES}) >= 4
    for e in ENTRIES:
        assert e["query"].strip() and e["intent"].strip() and e["role"].strip()
        # Answered by pages, or not answered by the sources, with the reason.
        assert ("answers" in e) != ("not_answered" in e), e
        if "not_answered" in e:
            assert len(e["not_answered"]) > 40, e


def test_every_answering_page_exists(site):
    for e in ENTRIES:
        for path in e.get("answers", []):
            assert (site / path.strip("/") / "index.html").is_file(), (e["query"], path)


def test_readers_questions_find_their_answer(answers):
    f = figures(ENTRIES, answers)
    text = report(ENTRIES, answers)
    assert f["top3"] == f["answerable"], text
    assert f["first"] >= 0.85 * f["answerable"], text


def test_no_editor_page_in_a_readers_top_three(answers):
    f = figures(ENTRIES, answers)
    assert f["editor_queries"] == [], report(ENTRIES, answers)


def test_editor_pages_come_after_every_reader_page(answers):
    for query, found in answers.items():
        editors = [p.startswith(EDITOR_PAGES) for p in found]
        assert editors == sorted(editors), (query, found)


def test_editor_pages_are_still_found(reader_tab, served, site):
    """Out of the readers' way, not out of the index: an editor finds the rule list."""
    found = ask_worker(reader_tab, served, site, ["quy tac kiem tra"])["quy tac kiem tra"]
    assert "/bien-tap/quy-tac/" in found


# What people type, folded the same way for the index and the query.
MEANS = [
    ("t7", "", ["thu", "bay"]),
    ("7", "thu", ["bay"]),
    ("cn", "", ["chu", "nhat"]),
    ("ptnt", "", ["phat", "trien", "nong", "thon"]),
    ("nn&ptnt", "", ["nong", "nghiep", "va", "phat", "trien", "nong", "thon"]),
    ("ubnd", "", ["uy", "ban", "nhan", "dan"]),
    ("hdnd", "", ["hoi", "dong", "nhan", "dan"]),
    ("mttq", "", ["mat", "tran", "to", "quoc"]),
    ("ntm", "", ["nong", "thon", "moi"]),
    ("cbccvc", "", ["can", "bo", "cong", "chuc", "vien", "chuc"]),
    # A syllable of its own stays as it is: "da" is also "đã", "hu" also "hũ".
    ("da", "", ["da"]),
    ("hu", "", ["hu"]),
    ("7", "", ["7"]),
]


def test_what_people_type_means_what_pages_write(reader_tab, served):
    page = reader_tab.open(served, viewport=PHONE)
    got = page.evaluate("rows => rows.map(([w, b]) => ntmMeans(w, b))", [[w, b] for w, b, _ in MEANS])
    assert got == [m for _, _, m in MEANS]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("thu 7", "thứ bảy"),  # the numeral finds the weekday's name
        ("t7", "thứ bảy"),
    ],
)
def test_weekday_numerals_find_saturday_pages(reader_tab, served, site, query, expected):
    found = ask_worker(reader_tab, served, site, [query])[query]
    titles = [(site / p.strip("/") / "index.html").read_text(encoding="utf-8").lower() for p in found[:3]]
    assert all(expected in t for t in titles), found[:3]


def test_abbreviation_finds_the_glossary(reader_tab, served, site):
    assert ask_worker(reader_tab, served, site, ["ptnt"])["ptnt"][:3].count("/thuat-ngu/") == 1


@pytest.mark.parametrize("query, commune", [("xa hoa ninh thu 7", "/xa/hoa-ninh/"), ("ke hoach t7 gung re", "/xa/gung-re/")])
def test_a_commune_named_without_diacritics_leads_to_its_page(reader_tab, served, site, query, commune):
    assert ask_worker(reader_tab, served, site, [query])[query][0] == commune


# --- on the phone: what the reader sees ---------------------------------------

PHONE_QUESTIONS = ["thu 7 nay xa hoa ninh lam gi", "phong nn ptnt nhiem vu ngay thu 7", "khong tham gia thu 7 co bi phat khong"]


@pytest.mark.slow
@pytest.mark.parametrize("query", PHONE_QUESTIONS)
def test_results_on_a_phone_are_short_and_the_same_as_the_worker(reader_tab, served, answers, query):
    page = reader_tab.open(served, viewport=PHONE)
    seen = [urlsplit(href).path for href, _ in run_search(page, query)]
    heights = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.getBoundingClientRect().height)")
    # No highlight nested in another (an abbreviation and its long form share a place).
    nested = page.eval_on_selector_all(".md-search-result mark mark", "els => els.length")
    assert seen[:3] == answers[query][:3]
    # Three-line excerpts: the first result is well under half the screen
    # (858 px before), and the first three start on the first screen.
    assert heights[0] <= 300, heights[:3]
    assert sum(heights[:2]) < PHONE["height"], heights[:3]
    assert nested == 0

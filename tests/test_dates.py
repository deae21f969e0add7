"""claimaudit.extract.dates: statement dates resolved against the publication date."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from claimaudit.extract import dates as dates_mod
from claimaudit.extract.dates import find_date_refs, normalize_published

SEED = Path(__file__).resolve().parent.parent / "seeds" / "menafn-2024-12-21-gerasimov-ukraine-losses.txt"
PUB = "2024-12-21"  # a Saturday


def refs(text, published=PUB, **kw):
    return [(r.text, r.date, r.precision) for r in find_date_refs(text, published=published, **kw)]


def one(text, published=PUB):
    found = refs(text, published)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- the seed

def test_seed_statement_dates():
    text = SEED.read_text(encoding="utf-8")
    found = find_date_refs(text, published=PUB)
    by_text = {r.text: r for r in found}
    wed = by_text["on Wednesday"]
    assert wed.span == (89, 101)
    assert (wed.date, wed.precision) == ("2024-12-18", "day")
    assert (by_text["last month"].date, by_text["last month"].precision) == ("2024-11", "month")
    mon = by_text["on Monday"]
    assert (mon.date, mon.precision) == ("2024-12-16", "day")
    assert text[mon.span[0]:mon.span[1]] == "on Monday"
    for r in found:
        assert text[r.span[0]:r.span[1]] == r.text


def test_seed_window_only_searches_inside_range():
    text = SEED.read_text(encoding="utf-8")
    found = find_date_refs(text, 60, 140, published=PUB)
    assert [(r.text, r.span) for r in found] == [("on Wednesday", (89, 101))]


# --------------------------------------------------------------------------- weekdays

@pytest.mark.parametrize("phrase,date", [
    ("on Wednesday", "2024-12-18"),
    ("on Monday", "2024-12-16"),
    ("on Friday", "2024-12-20"),
    ("on Sunday", "2024-12-15"),
    ("on Saturday", "2024-12-21"),       # same weekday as publication: that day
    ("last Monday", "2024-12-16"),
    ("last Saturday", "2024-12-14"),     # "last" on the same weekday: a week back
])
def test_weekdays_resolve_to_most_recent(phrase, date):
    sentence = f"The ministry said {phrase} that talks had stalled."
    assert one(sentence) == (phrase, date, "day")


def test_bare_weekday_and_capitalised_on():
    assert one("Officials met Thursday in Geneva.") == ("Thursday", "2024-12-19", "day")
    assert one("On Tuesday, the bank raised rates.") == ("On Tuesday", "2024-12-17", "day")


def test_weekday_with_time_of_day_and_possessive():
    assert one("Shelling resumed on Tuesday night.") == ("on Tuesday night", "2024-12-17", "day")
    assert one("The strike came late on Friday.") == ("late on Friday", "2024-12-20", "day")
    assert one("At Thursday's briefing he spoke.") == ("Thursday", "2024-12-19", "day")


def test_next_weekday_and_tomorrow_are_not_statement_dates():
    assert refs("They will meet next Monday and again tomorrow.") == []


def test_weekday_with_absolute_date_is_one_reference():
    assert refs("She spoke on Wednesday, Dec. 18, 2024, to reporters.") == [
        ("on Wednesday, Dec. 18, 2024", "2024-12-18", "day")]


# --------------------------------------------------------------------------- relative days/weeks

@pytest.mark.parametrize("phrase,date,precision", [
    ("today", "2024-12-21", "day"),
    ("earlier today", "2024-12-21", "day"),
    ("this morning", "2024-12-21", "day"),
    ("yesterday", "2024-12-20", "day"),
    ("last night", "2024-12-20", "day"),
    ("two days ago", "2024-12-19", "day"),
    ("3 days ago", "2024-12-18", "day"),
    ("earlier this week", "2024-12-16", "week"),
    ("this week", "2024-12-16", "week"),
    ("last week", "2024-12-09", "week"),
    ("two weeks ago", "2024-12-02", "week"),
])
def test_relative_days_and_weeks(phrase, date, precision):
    assert one(f"The agency reported {phrase} that output fell.") == (phrase, date, precision)


# --------------------------------------------------------------------------- months and years

@pytest.mark.parametrize("phrase,published,date", [
    ("last month", "2024-12-21", "2024-11"),
    ("last month", "2025-01-05", "2024-12"),
    ("earlier this month", "2024-12-21", "2024-12"),
    ("this month", "2024-12-21", "2024-12"),
    ("in November", "2024-12-21", "2024-11"),
    ("in December", "2024-12-21", "2024-12"),
    ("in January", "2024-12-21", "2024-01"),
    ("in November", "2025-02-01", "2024-11"),   # after the publication month: year before
    ("in early March", "2024-12-21", "2024-03"),
    ("in November 2023", "2024-12-21", "2023-11"),
    ("three months ago", "2024-12-21", "2024-09"),
])
def test_months(phrase, published, date):
    assert one(f"Exports dropped {phrase}, the office said.", published) == (phrase, date, "month")


@pytest.mark.parametrize("phrase,date", [
    ("last year", "2023"),
    ("late last year", "2023"),
    ("earlier this year", "2024"),
    ("in 2023", "2023"),
    ("in mid-2022", "2022"),
])
def test_years(phrase, date):
    assert one(f"Prices rose {phrase} across the region.") == (phrase, date, "year")


def test_lowercase_month_words_are_not_dates():
    assert refs("Troops may march on the capital, and prices may rise.") == []


def test_period_bounds_are_left_to_the_period_extractor():
    assert refs("Losses have mounted since February 2022.") == []
    assert refs("The truce holds until March.") == []


# --------------------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("phrase", [
    "on December 18", "Dec. 18", "Dec 18", "December 18th", "18 December 2024",
    "December 18, 2024", "on 18 Dec 2024", "2024-12-18", "on 2024-12-18",
])
def test_absolute_day(phrase):
    assert one(f"The figures were released {phrase} by the office.") == (phrase, "2024-12-18", "day")


def test_missing_year_takes_most_recent_not_after_publication_plus_one_day():
    assert one("It was announced December 22.") == ("December 22", "2024-12-22", "day")
    assert one("It was announced December 25.") == ("December 25", "2023-12-25", "day")
    assert one("It was announced Dec. 30.", "2025-01-02") == ("Dec. 30", "2024-12-30", "day")
    assert one("It was announced Jan. 3.", "2025-01-02") == ("Jan. 3", "2025-01-03", "day")


def test_impossible_dates_are_skipped():
    assert refs("The deal was signed February 30.") == []


def test_without_publication_date_only_absolute_dates_resolve():
    text = "He said on Monday, last month and on 18 December 2023, and again on Dec. 5."
    assert refs(text, published=None) == [("on 18 December 2023", "2023-12-18", "day")]


def test_published_may_be_a_datetime_or_rfc2822():
    assert one("He spoke on Wednesday.", "2024-12-21T10:00:00Z")[1] == "2024-12-18"
    assert one("He spoke on Wednesday.", "Sat, 21 Dec 2024 08:00:00 GMT")[1] == "2024-12-18"


def test_spans_index_the_full_text():
    text = "Intro paragraph.\n\nThe envoy said on Friday that 12 people died last week."
    start = text.index("The envoy")
    found = find_date_refs(text, start, published=PUB)
    assert [r.text for r in found] == ["on Friday", "last week"]
    for r in found:
        assert text[r.span[0]:r.span[1]] == r.text
        assert r.span[0] >= start


def test_numbers_that_are_not_dates():
    assert refs("About 20,000 tanks and 190 settlements; a 30-minute speech.") == []


# --------------------------------------------------------------------------- long texts

def _long_text(n=400):
    parts = [
        "The minister said on Wednesday that 1,200 homes were damaged.",
        "Analysts expect growth to slow, the bank said in a note.",
        "Exports fell 4% in November from a year earlier, data showed last week.",
        "No date appears in this sentence about 450 trucks.",
        "The talks, first held on 3 March 2023, resumed yesterday.",
        "Officials have said little since January.",
    ]
    return "\n\n".join(parts[i % len(parts)] for i in range(n))


def test_windowed_scan_matches_full_scan(monkeypatch):
    text = _long_text()
    fast = find_date_refs(text, published=PUB)
    monkeypatch.setattr(dates_mod, "_FULL_SCAN_BELOW", 10 ** 12)
    full = find_date_refs(text, published=PUB)
    assert fast == full
    assert len(fast) > 100


def test_megabyte_is_fast():
    text = _long_text(6000)  # ~1.7 MB
    t0 = time.perf_counter()
    find_date_refs(text, published=PUB)
    assert time.perf_counter() - t0 < 5.0


# --------------------------------------------------------------------------- normalize_published

@pytest.mark.parametrize("value", [
    "2024-12-18", "2024-12-18T10:00:00Z", "2024-12-18T23:30:00-05:00", "2024-12-18 10:00",
    "Wed, 18 Dec 2024 10:00:00 GMT", "Wed, 18 Dec 2024 23:30:00 -0500",
    "December 18, 2024", "Dec. 18, 2024", "18 Dec 2024", "18 December 2024",
    "Wednesday, December 18, 2024", "2024/12/18", "20241218",
])
def test_normalize_published(value):
    assert normalize_published(value) == "2024-12-18"


@pytest.mark.parametrize("value", [None, "", "   ", "not a date", "2024-02-30", "yesterday-ish"])
def test_normalize_published_unreadable(value):
    assert normalize_published(value) is None


def test_normalize_published_without_dateparser():
    assert normalize_published("December 18, 2024", use_dateparser=False) == "2024-12-18"
    assert normalize_published("18.12.2024 um 10 Uhr", use_dateparser=False) is None

"""Period expressions: what time a figure covers (sentences written for these tests)."""

from __future__ import annotations

import pytest

from claimaudit.extract.periods import find_periods, parse_published

PUB = "2024-12-21"


def one(text: str, published: str | None = PUB):
    ps = find_periods(text, published=published)
    assert len(ps) == 1, [p.text for p in ps]
    p = ps[0]
    assert text[p.span[0]:p.span[1]] == p.text
    return p


@pytest.mark.parametrize("sentence, expr, start, end", [
    ("Losses have mounted since February 2022, officials say.", "since February 2022", "2022-02", None),
    ("Prices have doubled since 2022 in most regions.", "since 2022", "2022", None),
    ("The army has recruited 9,000 men since the start of the war in February 2022.",
     "since the start of the war in February 2022", "2022-02", None),
    ("It has shrunk since the beginning of the full-scale invasion in March 2021.",
     "since the beginning of the full-scale invasion in March 2021", "2021-03", None),
    ("Output has fallen since 24 February 2022.", "since 24 February 2022", "2022-02-24", None),
    ("Output has fallen since February 24, 2022.", "since February 24, 2022", "2022-02-24", None),
    ("The fleet grew in 2024 as planned.", "in 2024", "2024", "2024"),
    ("The fleet grew during 2023 as planned.", "during 2023", "2023", "2023"),
    ("Attacks peaked in February 2022 near the coast.", "in February 2022", "2022-02", "2022-02"),
    ("Attacks peaked in Dec. 2023 near the coast.", "in Dec. 2023", "2023-12", "2023-12"),
    ("Sales rose between 2022 and 2024 across the region.", "between 2022 and 2024", "2022", "2024"),
    ("Sales rose from January to March 2024 across the region.", "from January to March 2024",
     "2024-01", "2024-03"),
    ("Sales rose from November to February 2024 across the region.",
     "from November to February 2024", "2023-11", "2024-02"),
    ("Sales rose from 2021 to 2023 across the region.", "from 2021 to 2023", "2021", "2023"),
    ("Exports fell in the first half of 2024 overall.", "in the first half of 2024", "2024-01", "2024-06"),
    ("Exports fell in the second half of 2023 overall.", "in the second half of 2023", "2023-07", "2023-12"),
    ("Exports fell in the third quarter of 2023 overall.", "in the third quarter of 2023", "2023-07", "2023-09"),
    ("Exports fell in Q1 2024 overall.", "in Q1 2024", "2024-01", "2024-03"),
    ("Exports fell in H2 2022 overall.", "in H2 2022", "2022-07", "2022-12"),
    ("Exports fell in the first nine months of 2024 overall.", "in the first nine months of 2024",
     "2024-01", "2024-09"),
    ("Exports fell in early 2023 overall.", "in early 2023", "2023-01", "2023-04"),
    ("Exports fell in mid-2022 overall.", "in mid-2022", "2022-05", "2022-08"),
    ("Exports fell in late 2021 overall.", "in late 2021", "2021-09", "2021-12"),
    ("Exports fell in 2022-23 overall.", "in 2022-23", "2022", "2023"),
    ("The 2019-2021 figures were revised.", "2019-2021", "2019", "2021"),
    ("Exports fell in January-March 2024 overall.", "in January-March 2024", "2024-01", "2024-03"),
    ("Reserves stood at that level as of March 2024, the bank said.", "as of March 2024", None, "2024-03"),
    ("Reserves will double by the end of 2025, the bank said.", "by the end of 2025", None, "2025"),
    ("Output rose in the year 2020 alone.", "in the year 2020 alone", "2020", "2020"),
    ("Output rose in 2024 alone.", "in 2024 alone", "2024", "2024"),
    ("It lost 900 men since the fighting began in February 2022.",
     "since the fighting began in February 2022", "2022-02", None),
    ("It lost 900 men since he took office in 2019.", "since he took office in 2019", "2019", None),
])
def test_absolute_periods(sentence, expr, start, end):
    p = one(sentence)
    assert (p.text, p.start, p.end) == (expr, start, end)


@pytest.mark.parametrize("sentence, expr, start, end", [
    ("The agency counted 300 incidents this year.", "this year", "2024", "2024"),
    ("The agency counted 300 incidents so far this year.", "so far this year", "2024", "2024"),
    ("The agency counted 300 incidents this year alone.", "this year alone", "2024", "2024"),
    ("The agency counted 300 incidents earlier this year.", "earlier this year", "2024", "2024"),
    ("The agency counted 300 incidents last year.", "last year", "2023", "2023"),
    ("The agency counted 300 incidents last month.", "last month", "2024-11", "2024-11"),
    ("The agency counted 300 incidents this month.", "this month", "2024-12", "2024-12"),
    ("The agency counted 300 incidents in November.", "in November", "2024-11", "2024-11"),
    ("The agency counted 300 incidents in December.", "in December", "2024-12", "2024-12"),
    ("The agency counted 300 incidents over the past year.", "over the past year",
     "2023-12-21", "2024-12-21"),
    ("The agency counted 300 incidents in the last three months.", "in the last three months",
     "2024-09-21", "2024-12-21"),
    ("The agency counted 300 incidents in the past 24 hours.", "in the past 24 hours",
     "2024-12-20", "2024-12-21"),
    ("The agency counted 300 incidents over the past two weeks.", "over the past two weeks",
     "2024-12-07", "2024-12-21"),
    ("The agency counted 300 incidents since the start of the year.",
     "since the start of the year", "2024", None),
    ("The agency counted 300 incidents since last year.", "since last year", "2023", None),
    ("The agency counted 300 incidents so far in 2024.", "so far in 2024", "2024", "2024"),
    ("The agency counted 300 incidents year-to-date.", "year-to-date", "2024", "2024"),
    ("The agency counted 300 incidents in the first half of this year.",
     "in the first half of this year", "2024-01", "2024-06"),
    ("The agency counted 300 incidents over the year.", "over the year", "2024", "2024"),
    ("Losses since its August incursion rose.", "since its August", "2024-08", None),
])
def test_relative_periods(sentence, expr, start, end):
    p = one(sentence)
    assert (p.text, p.start, p.end) == (expr, start, end)


def test_month_after_publication_month_is_last_year():
    p = one("The agency counted 300 incidents in November.", published="2024-03-05")
    assert (p.start, p.end) == ("2023-11", "2023-11")
    p = one("The agency counted 300 incidents in February.", published="2024-03-05")
    assert p.start == "2024-02"


def test_relative_periods_without_publication_date_stay_unresolved():
    for s in ("The agency counted 300 incidents this year.",
              "The agency counted 300 incidents in November.",
              "The agency counted 300 incidents over the past year."):
        p = one(s, published=None)
        assert p.start is None and p.end is None


def test_absolute_periods_need_no_publication_date():
    p = one("Losses have mounted since February 2022.", published=None)
    assert p.start == "2022-02"


@pytest.mark.parametrize("sentence, expr", [
    ("Prices have tripled since the start of the invasion.", "since the start of the invasion"),
    ("Prices have tripled since the war began.", "since the war began"),
    ("Prices have tripled since the full-scale invasion started.",
     "since the full-scale invasion started"),
])
def test_vague_since_has_no_date(sentence, expr):
    p = one(sentence)
    assert p.text == expr
    assert p.start is None and p.end is None


def test_the_year_alone_is_not_a_period():
    assert find_periods("The year ended badly; the year before was worse.", published=PUB) == []


def test_lowercase_month_words_are_not_months():
    assert find_periods("They may march in may or in march.", published=PUB) == []


def test_counts_after_over_are_not_periods():
    assert find_periods("Over 2000 people and up to 1950 troops took part.", published=PUB) == []
    p = one("Activity slowed over 2023.")
    assert (p.start, p.end) == ("2023", "2023")


def test_iso_dates_and_bare_dates_are_not_periods():
    assert find_periods("The meeting on 2024-12-18 was short.", published=PUB) == []
    assert find_periods("February 2022 was cold.", published=PUB) == []


def test_several_periods_in_order_with_spans():
    text = "In 2023 the unit lost 40 tanks, and since January 2024 it has lost 25 more."
    ps = find_periods(text, published=PUB)
    assert [p.text for p in ps] == ["In 2023", "since January 2024"]
    for p in ps:
        assert text[p.span[0]:p.span[1]] == p.text


def test_region_offsets_index_full_text():
    text = "Intro. In 2023 the unit lost 40 tanks. Later, in 2024, it lost 12."
    a = text.index("Later")
    ps = find_periods(text, a, len(text), published=PUB)
    assert [p.text for p in ps] == ["in 2024"]
    assert text[ps[0].span[0]:ps[0].span[1]] == "in 2024"
    assert find_periods(text, 5, 5) == []


def test_parse_published():
    assert str(parse_published("2024-12-21")) == "2024-12-21"
    assert str(parse_published("2024-12-21T10:00:00Z")) == "2024-12-21"
    assert parse_published(None) is None
    assert parse_published("yesterday") is None

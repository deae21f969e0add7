"""Flags against a group's earliest statement (diff-report.md), on hand-made figure rows:
qualifier changes, value vs rounding, period dropped, metric meaning, which statement is
the earliest."""

from __future__ import annotations

from claimaudit.match import flags_against, group_figures, is_rounding


def fig(i, value, qualifier="exact", metric="soldiers killed or wounded", subject="Russian",
        period_start="2022-02", period_end=None, speaker="Dana Okafor", stated_on=None,
        published="2024-05-30", low=None, high=None, headline=False, period_text=None):
    return {"figure_id": i, "value": value, "qualifier": qualifier, "metric": metric,
            "subject": subject, "period_start": period_start, "period_end": period_end,
            "period_text": period_text or ("since February 2022" if period_start else None),
            "speaker_name": speaker, "stated_on": stated_on, "published": published,
            "unit": None, "low": low, "high": high, "headline": headline}


def flags_of(groups):
    return {m["figure_id"]: set(m["flags"]) for g in groups for m in g.members}


def one_group(rows):
    groups = group_figures(rows)
    assert len(groups) == 1, [[m["figure_id"] for m in g.members] for g in groups]
    return flags_of(groups)


# --------------------------------------------------------------------------- qualifier

def test_any_change_of_hedge_is_a_qualifier_flag():
    fl = one_group([fig(1, 40_000, "approx", stated_on="2024-05-29"),
                    fig(2, 40_000, "at_most", published="2024-06-01"),
                    fig(3, 40_000, "approx", published="2024-06-02")])
    assert "qualifier" in fl[2] and "qualifier" not in fl[3]


def test_a_dropped_hedge_is_a_qualifier_flag():
    fl = one_group([fig(1, 100_000, "more_than", stated_on="2024-05-29"),
                    fig(2, 100_000, "exact", published="2024-06-01")])
    assert "qualifier" in fl[2]


def test_more_than_and_at_least_are_different_hedges():
    fl = one_group([fig(1, 100_000, "more_than", stated_on="2024-05-29"),
                    fig(2, 100_000, "at_least", published="2024-06-01")])
    assert "qualifier" in fl[2]


def test_a_range_restated_as_up_to_its_top_is_one_group_with_a_qualifier_flag():
    fl = one_group([fig(1, 20_000, "range", low=20_000, high=30_000, stated_on="2024-05-29",
                        metric="troops", period_start=None),
                    fig(2, 30_000, "at_most", high=30_000, published="2024-06-01",
                        metric="troops", period_start=None)])
    assert "qualifier" in fl[2]


def test_rounding_with_a_hedge_is_not_a_qualifier_change():
    fl = one_group([fig(1, 975_100, "exact", stated_on="2024-05-29"),
                    fig(2, 1_000_000, "nearly", published="2024-06-01")])
    assert "rounding" in fl[2] and "qualifier" not in fl[2] and "value" not in fl[2]


# --------------------------------------------------------------------------- value

def test_rounding_is_the_precise_value_rounded_to_the_round_ones_digits():
    assert is_rounding({"value": 975_100, "qualifier": "exact"},
                       {"value": 1_000_000, "qualifier": "nearly"})
    assert is_rounding({"value": 465_000, "qualifier": "more_than"},
                       {"value": 470_000, "qualifier": "exact"})
    assert is_rounding({"value": 465_000, "qualifier": "more_than"},
                       {"value": 460_000, "qualifier": "more_than"})    # over 460K: truncated
    assert is_rounding({"value": 465_000, "qualifier": "more_than"},
                       {"value": 500_000, "qualifier": "nearly"})       # nearly half a million
    assert is_rounding({"value": 12_345, "qualifier": "exact"},
                       {"value": 12_000, "qualifier": "approx"})


def test_transposed_or_wrong_digits_are_not_rounding():
    assert not is_rounding({"value": 465_000, "qualifier": "more_than"},
                           {"value": 456_000, "qualifier": "more_than"})
    # "over 460K" cannot come from 456,000: the hedge says the number is above 460,000
    assert not is_rounding({"value": 456_000, "qualifier": "more_than"},
                           {"value": 460_000, "qualifier": "more_than"})
    # "nearly 1 million" cannot come from 1,020,000
    assert not is_rounding({"value": 1_020_000, "qualifier": "exact"},
                           {"value": 1_000_000, "qualifier": "nearly"})
    assert not is_rounding({"value": 100_000, "qualifier": "exact"},
                           {"value": 100_000, "qualifier": "exact"})


def test_a_transposition_is_grouped_and_flagged_as_a_value_change():
    fl = one_group([fig(1, 460_000, "more_than", stated_on="2024-05-29"),
                    fig(2, 456_000, "more_than", published="2024-06-01"),
                    fig(3, 465_000, "more_than", published="2024-06-02")])
    assert "value" in fl[2] and "rounding" not in fl[2]
    assert "rounding" in fl[3] and "value" not in fl[3]


# --------------------------------------------------------------------------- period

def test_a_dropped_period_is_flagged():
    fl = one_group([fig(1, 980, stated_on="2024-05-29", period_start="2024-01",
                        period_end="2024-04", metric="daily casualty rate"),
                    fig(2, 980, period_start=None, metric="daily casualty rate",
                        published="2024-06-01")])
    assert "period" in fl[2]


# --------------------------------------------------------------------------- metric

def test_civilians_killed_vs_killed_or_wounded_is_a_metric_change():
    first = fig(1, 40_000, metric="civilians killed", stated_on="2024-05-29")
    later = fig(2, 40_000, metric="civilians killed or wounded", published="2024-06-01")
    assert "metric" in flags_against(later, first)


def test_losses_without_killed_or_wounded_vs_killed_or_wounded():
    first = fig(1, 100_000, metric="soldiers killed and wounded", stated_on="2024-05-29")
    lost = fig(2, 100_000, metric="soldiers", published="2024-06-01")
    killed = fig(3, 100_000, metric="troops killed", published="2024-06-01")
    assert "metric" in flags_against(lost, first)
    assert "metric" in flags_against(killed, first)
    same = fig(4, 100_000, metric="troops killed or injured", published="2024-06-01")
    assert "metric" not in flags_against(same, first)


# --------------------------------------------------------------------------- earliest

def test_on_the_same_day_the_body_statement_comes_before_the_headline():
    fl = one_group([fig(1, 100_000, "exact", headline=True),
                    fig(2, 100_000, "more_than"),
                    fig(3, 100_000, "at_most", published="2024-06-02")])
    assert fl[2] == set()
    assert "qualifier" in fl[1] and "qualifier" in fl[3]


def test_an_earliest_that_alone_differs_from_undated_restatements_is_flagged():
    # the only dated statement drops the period every other (undated) source gives
    fl = one_group([fig(1, 980, stated_on="2024-05-29", period_start=None,
                        metric="daily casualty rate"),
                    fig(2, 980, period_start="2024-01", period_end="2024-04", published=None,
                        metric="daily casualty rate"),
                    fig(3, 980, period_start="2024-01", period_end="2024-04", published=None,
                        metric="daily casualty rate")])
    assert "period" in fl[1]


def test_an_earliest_that_alone_differs_from_later_dated_restatements_is_not_flagged():
    fl = one_group([fig(1, 30_000, "at_most", stated_on="2024-05-29", period_start=None,
                        metric="troops"),
                    fig(2, 20_000, "range", low=20_000, high=30_000, period_start=None,
                        metric="troops", published="2024-06-03"),
                    fig(3, 20_000, "range", low=20_000, high=30_000, period_start=None,
                        metric="troops", published="2024-06-04")])
    assert fl[1] == set()
    fl = one_group([fig(1, 30_000, "at_most", published="2024-05-29", period_start=None,
                        metric="troops"),
                    fig(2, 20_000, "range", low=20_000, high=30_000, period_start=None,
                        metric="troops", published=None),
                    fig(3, 20_000, "range", low=20_000, high=30_000, period_start=None,
                        metric="troops", published=None)])
    assert fl[1] == {"qualifier"}


def test_days_of_war_and_days_are_one_kind():
    rows = [fig(1, 640, metric="days", period_start=None, stated_on="2024-05-29"),
            fig(2, 640, metric="days of war", period_start=None, published="2024-06-01")]
    one_group(rows)


def test_a_percentage_of_another_thing_is_a_metric_change():
    first = {**fig(1, 40, metric="government spending", stated_on="2024-05-29"), "unit": "percent"}
    other = {**fig(2, 40, metric="defence spending", published="2024-06-01"), "unit": "percent"}
    same = {**fig(3, 40, metric="total government spending", published="2024-06-01"),
            "unit": "percent"}
    assert "metric" in flags_against(other, first)
    assert "metric" not in flags_against(same, first)


def test_a_pair_whose_order_is_unknown_shows_the_difference_on_both_rows():
    fl = one_group([fig(1, 30_000, "at_most", published="2024-05-29", period_start=None,
                        metric="troops"),
                    fig(2, 30_000, "approx", period_start=None, metric="troops",
                        published=None)])
    assert fl[1] == {"qualifier"} and "qualifier" in fl[2]
    fl = one_group([fig(1, 30_000, "at_most", published="2024-05-29", period_start=None,
                        metric="troops"),
                    fig(2, 30_000, "approx", period_start=None, metric="troops",
                        published="2024-05-30")])
    assert fl[1] == set() and "qualifier" in fl[2]


def test_a_wrong_number_is_caught_when_the_earliest_is_a_rounded_one():
    fl = one_group([fig(1, 500_000, "nearly", stated_on="2024-05-29"),
                    fig(2, 465_000, "more_than", published="2024-06-01"),
                    fig(3, 465_000, "more_than", published="2024-06-02"),
                    fig(4, 456_000, "more_than", published="2024-06-03"),
                    fig(5, 460_000, "more_than", published="2024-06-03")])
    assert "value" in fl[4] and "rounding" not in fl[4]
    assert "value" not in fl[2] and "value" not in fl[5]


def test_the_same_statement_date_without_publication_dates_leaves_the_order_open():
    fl = one_group([fig(1, 980, stated_on="2024-05-29", published="2024-06-12",
                        period_start=None, metric="daily casualty rate"),
                    fig(2, 980, period_start="2024-01", period_end="2024-04", published=None,
                        stated_on="2024-05-29", metric="daily casualty rate"),
                    fig(3, 980, period_start="2024-01", period_end="2024-04", published=None,
                        stated_on="2024-05-29", metric="daily casualty rate")])
    assert "period" in fl[1]
    fl = one_group([fig(1, 980, stated_on="2024-05-29", period_start=None,
                        metric="daily casualty rate"),
                    fig(2, 980, period_start="2024-01", period_end="2024-04", published=None,
                        stated_on="2024-05-30", metric="daily casualty rate"),
                    fig(3, 980, period_start="2024-01", period_end="2024-04", published=None,
                        stated_on="2024-05-30", metric="daily casualty rate")])
    assert fl[1] == set()


# ------------------------------------------------- second story (invented floods) rules

def test_an_undated_statement_published_first_is_the_earliest():
    # "1,874 dead or missing", published on the 10th without a statement date, came
    # before "nearly 1,900", said on the 10th and published on the 11th
    fl = one_group([fig(1, 1_874, metric="people dead or missing", published="2025-03-10"),
                    fig(2, 1_900, "nearly", metric="people dead or missing",
                        stated_on="2025-03-10", published="2025-03-11")])
    assert fl[1] == set() and "rounding" in fl[2]


def test_a_repeat_after_an_undated_earliest_was_published_is_a_date_change():
    fl = one_group([fig(1, 1_874, metric="people dead or missing", published="2025-03-10"),
                    fig(2, 1_874, metric="people dead or missing", stated_on="2025-03-12",
                        published="2025-03-13"),
                    fig(3, 1_874, metric="people dead or missing", stated_on="2025-03-10",
                        published="2025-03-14")])
    assert fl[2] == {"date"} and fl[3] == set()


def test_dead_or_missing_restated_as_killed_is_a_metric_change():
    first = fig(1, 1_874, metric="people dead or missing", stated_on="2025-03-10")
    killed = fig(2, 1_874, metric="people killed", published="2025-03-16")
    same = fig(3, 1_874, metric="dead and missing", published="2025-03-16")
    assert "metric" in flags_against(killed, first)
    assert "metric" not in flags_against(same, first)


def test_percentages_of_wholes_with_no_word_in_common_are_not_one_group():
    rows = [{**fig(1, 30, "approx", metric="confirmed dead", period_start=None,
                   stated_on="2025-03-10"), "unit": "percent"},
            {**fig(2, 30, metric="farmland", period_start=None, published="2025-03-14"),
             "unit": "percent"},
            {**fig(3, 30, metric="of the confirmed dead", period_start=None,
                   published="2025-03-15"), "unit": "percent"}]
    groups = group_figures(rows)
    assert sorted(sorted(m["figure_id"] for m in g.members) for g in groups) == [[1, 3], [2]]

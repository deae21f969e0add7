"""Speaker identity and figure grouping rules (diff-report.md), on hand-made figure rows."""

from __future__ import annotations

from claimaudit.match import group_figures, same_speaker, speaker_key


def fig(i, value, qualifier="exact", metric="casualties", subject="Ukrainian forces",
        period_start="2022-02", period_end=None, speaker="Andrey Belousov", stated_on=None,
        published="2024-12-16", unit=None, low=None, high=None):
    return {"figure_id": i, "value": value, "qualifier": qualifier, "metric": metric,
            "subject": subject, "period_start": period_start, "period_end": period_end,
            "period_text": "since February 2022" if period_start else None,
            "speaker_name": speaker, "stated_on": stated_on, "published": published,
            "unit": unit, "low": low, "high": high}


def test_spelling_variants_are_one_speaker():
    assert same_speaker("Andrey Belousov", "Andrei Belousov")
    assert same_speaker("Zelensky", "Volodymyr Zelenskyy")
    assert same_speaker("Zelenskiy", "Zelenski")
    assert same_speaker("Gen. Valery Gerasimov", "Gerasimov")
    assert same_speaker("Russian Defense Ministry", "Russia's Ministry of Defence")
    assert speaker_key("Gen. Valery Gerasimov") == speaker_key("Valery Gerasimov")


def test_different_first_names_are_different_people():
    assert not same_speaker("Andrey Belousov", "Sergei Belousov")
    assert not same_speaker("Valery Gerasimov", "Andrey Belousov")


def test_the_spec_example_is_one_group_with_flags():
    rows = [
        fig(1, 1_000_000, "nearly", metric="losses", stated_on="2024-12-16"),
        fig(2, 1_000_000, "more_than", speaker="Andrei Belousov", stated_on="2024-12-16"),
        fig(3, 1_000_000, "nearly", speaker="Valery Gerasimov", stated_on="2024-12-18",
            published="2024-12-18"),
        fig(4, 975_100, subject="Ukrainian", speaker="Russian Defence Ministry",
            published="2024-12-19"),
        fig(5, 1_000_000, metric="soldiers killed", subject="Ukrainian", speaker="Russia",
            period_start=None, published="2024-12-20"),
    ]
    groups = group_figures(rows)
    assert len(groups) == 1
    flags = {m["figure_id"]: set(m["flags"]) for m in groups[0].members}
    assert flags[1] == set()
    assert flags[2] == {"qualifier"}
    assert {"speaker", "date"} <= flags[3] and "qualifier" not in flags[3]
    assert {"speaker", "rounding"} <= flags[4] and "value" not in flags[4]
    assert {"speaker", "metric", "period"} <= flags[5]


def test_kept_apart_other_period_subject_metric_and_subtotal():
    rows = [
        fig(1, 1_000_000, "nearly"),
        fig(2, 560_000, "more_than", period_start="2024", period_end="2024"),
        fig(3, 40_000, subject="Ukrainian forces in the Kursk region"),
        fig(4, 20_000, "approx", metric="tanks and armored vehicles"),
        fig(5, 700_000, subject="Russian forces", speaker="Oleksandr Syrskyi"),
    ]
    groups = group_figures(rows)
    assert sorted(len(g.members) for g in groups) == [1, 1, 1, 1, 1]


def test_a_different_value_is_flagged():
    rows = [fig(1, 465_000, "more_than", stated_on="2024-05-29"),
            fig(2, 456_000, "more_than", speaker="Ankur Narayan", published="2024-06-01"),
            fig(3, 500_000, "nearly", published="2024-06-02"),
            fig(4, 1_200_000, "exact", published="2024-06-03")]
    groups = group_figures(rows)
    first = next(g for g in groups if any(m["figure_id"] == 1 for m in g.members))
    flags = {m["figure_id"]: set(m["flags"]) for m in first.members}
    assert set(flags) == {1, 2, 3}
    assert "value" in flags[2] and "rounding" not in flags[2]
    assert "rounding" in flags[3] and "value" not in flags[3]


def test_grouping_is_deterministic_whatever_the_input_order():
    rows = [fig(i, v, q) for i, (v, q) in enumerate(
        [(1_000_000, "nearly"), (975_100, "exact"), (560_000, "more_than"),
         (1_000_000, "more_than")], 1)]
    a = [[m["figure_id"] for m in g.members] for g in group_figures([dict(r) for r in rows])]
    b = [[m["figure_id"] for m in g.members] for g in group_figures([dict(r) for r in rows[::-1]])]
    assert a == b


def test_a_wrong_start_year_joins_with_a_period_flag_but_a_year_total_stays_apart():
    rows = [fig(1, 1_000_000, "nearly", stated_on="2024-12-16"),
            fig(2, 1_000_000, "nearly", period_start="2023-02", published="2024-12-20"),
            fig(3, 1_000_000, "nearly", period_start="2024", period_end="2024")]
    groups = group_figures(rows)
    members = sorted(sorted(m["figure_id"] for m in g.members) for g in groups)
    assert members == [[1, 2], [3]]
    flags = {m["figure_id"]: m["flags"] for g in groups for m in g.members}
    assert "period" in flags[2]


def test_a_body_named_with_and_without_a_qualifying_word_is_one_speaker():
    # headline "Health Agency Estimates ..." and the body's "National Health Agency"
    assert same_speaker("Health Agency", "National Health Agency")
    assert same_speaker("Emergency Relief Ministry", "Ministry of Emergency Relief")
    # two bodies that share only their last words are not one
    assert not same_speaker("World Health Organization", "Pan American Health Organization")
    assert not same_speaker("Health Ministry", "Finance Ministry")
    # people still need agreeing first names
    assert not same_speaker("Ilse Varnholt", "Petra Varnholt")

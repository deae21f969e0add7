"""Qualifier verbs ("surpassed 12,000", "passed the 8,000 mark"), Title Case headlines and
metric context rules. Every sentence here is invented for these tests."""

from __future__ import annotations

import pytest

from claimaudit.extract.figures import find_figures
from claimaudit.vocab import metric_sense

PUB = "2024-03-05"


def one(text: str):
    out = find_figures(text, published=PUB)
    assert len(out) == 1, [f.text for f in out]
    f = out[0]
    assert text[f.span[0]:f.span[1]] == f.text
    return f


@pytest.mark.parametrize("text, written", [
    ("The tally of flood claims surpassed 12,000 on Monday.", "surpassed 12,000"),
    ("Orders for the new tractor exceeded 465,000 in the quarter.", "exceeded 465,000"),
    ("The backlog of asylum cases now exceeds 1,000 per week.", "exceeds 1,000"),
    ("Ticket sales topped 50,000 within an hour.", "topped 50,000"),
    ("Ticket sales have surpassed the 50,000 mark, organisers said.", "surpassed the 50,000 mark"),
    ("Ticket sales passed the 50,000 mark, organisers said.", "passed the 50,000 mark"),
    ("Ticket sales crossed the 50,000 threshold, organisers said.", "crossed the 50,000 threshold"),
    ("Ticket sales Surpassed 50,000 within an hour.", "Surpassed 50,000"),
])
def test_verbs_of_passing_a_number_are_more_than(text, written):
    f = one(text)
    assert f.text == written
    assert f.qualifier == "more_than"
    assert f.low == f.value and f.high is None


@pytest.mark.parametrize("text", [
    "Attendance fell short of 30,000 at the final.",
    "Attendance fell just short of 30,000 at the final.",
    "Attendance was just shy of 30,000 at the final.",
])
def test_falling_short_is_below(text):
    f = one(text)
    assert f.qualifier in ("nearly", "less_than")
    assert f.text.endswith("30,000") and not f.text.startswith("30,000")


def test_a_vote_tally_is_not_a_qualifier_verb():
    out = find_figures("The motion passed 120 to 80 on Tuesday.", published=PUB)
    assert [(f.text, f.qualifier) for f in out] == [("120", "exact"), ("80", "exact")]


def test_the_counted_thing_before_a_qualifier_verb_is_the_metric():
    f = one("Flood claims filed in the province had already surpassed 12,000 by Friday.")
    assert f.metric is not None and "claims" in f.metric
    f = one("The civilian death count in the province had surpassed the 4,000 mark.")
    assert f.metric is not None and "civilian" in f.metric
    assert metric_sense(f.metric) == "killed"


def test_title_case_headline_metric():
    f = one("Agency Says 2,000 Ukrainian Soldiers Wounded In Overnight Attack")
    assert f.subject == "Ukrainian"
    assert f.metric is not None and "soldiers" in f.metric and "wounded" in f.metric
    f = one("Ministry Estimates 9,000 Russian Troops Killed In Spring Offensive")
    assert f.subject == "Russian" and metric_sense(f.metric) == "killed"


def test_all_caps_headline_metric():
    f = one("MINISTRY ESTIMATES 9,000 RUSSIAN TROOPS KILLED IN SPRING OFFENSIVE")
    assert metric_sense(f.metric) == "killed"


def test_sentence_case_text_is_left_alone():
    f = one("Officials in Lviv said 300 Patriot missiles were delivered.")
    assert f.metric == "patriot missiles"


def test_comma_joined_participles_count_both():
    f = one("5,000 Russian troops killed, injured in spring offensive")
    assert metric_sense(f.metric) == "casualties"


def test_an_active_casualty_verb_before_the_number():
    f = one("The shelling killed about 300 civilians, the mayor said.")
    assert metric_sense(f.metric) == "killed" and "civilians" in f.metric


def test_perished_means_killed():
    f = one("As many as 2,000 civilians have also perished in the fighting, he said.")
    assert metric_sense(f.metric) == "killed" and "civilians" in f.metric


def test_a_parenthesis_between_dashes_is_skipped_for_the_metric():
    f = one("Russia’s weekly casualty rate – the number of dead and wounded – was 640.")
    assert f.metric is not None and "casualty rate" in f.metric
    assert f.subject == "Russia"


def test_an_intensifier_before_the_number_is_skipped():
    f = one("The weekly casualty rate comes down to an astonishing 640, she said.")
    assert f.metric is not None and "casualty rate" in f.metric


def test_the_thing_raised_to_a_level_is_the_metric():
    f = one("The council ramped up housing spending to 30 percent, the mayor said.")
    assert f.metric == "housing spending"
    f = one("The central bank raised its key rate to 7.5%.")
    assert f.metric == "key rate"


def test_a_participle_after_coordinated_figures_applies_to_both():
    out = find_figures("Up to 3,000 civilians and “well over” 9,000 fighters have been killed "
                       "or wounded since the spring, the envoy said.", published=PUB)
    assert [metric_sense(f.metric) for f in out] == ["casualties", "casualties"]
    assert "civilians" in out[0].metric and "fighters" in out[1].metric
    out = find_figures("About 3,000 civilians fled and 90 soldiers were killed.", published=PUB)
    assert metric_sense(out[0].metric) != "killed"


@pytest.mark.parametrize("phrase, qualifier", [
    ("slightly less than", "nearly"), ("a little under", "nearly"), ("just fewer than", "nearly"),
    ("a bit more than", "more_than"), ("slightly above", "more_than"), ("more or less", "approx"),
])
def test_more_hedges(phrase, qualifier):
    f = one(f"The ferry carried {phrase} 200 passengers.")
    assert (f.text, f.qualifier) == (f"{phrase} 200", qualifier)


def test_durations_of_a_war_are_not_figures():
    assert find_figures("The mayor is now over two years into a term he thought would "
                        "take 3 days.", published=PUB) == []
    f = one("Today is 640 days since the flood began.")
    assert f.text == "640"


def test_six_figures_is_at_least_a_hundred_thousand():
    f = one("Repair bills have run into the six figures, the council said.")
    assert (f.text, f.value, f.qualifier) == ("six figures", 100_000, "at_least")
    f = one("She was offered a seven-figure sum.")
    assert (f.text, f.value, f.qualifier) == ("seven-figure", 1_000_000, "at_least")


@pytest.mark.parametrize("text, written, value", [
    ("Storms damaged a quarter of the harbour's boats.", "a quarter", 25),
    ("Storms damaged two-thirds of its orchards.", "two-thirds", 66.7),
    ("Storms damaged three quarters of the town's roofs.", "three quarters", 75),
])
def test_fractions_of_a_whole_are_shares(text, written, value):
    f = one(text)
    assert (f.text, f.value, f.unit) == (written, pytest.approx(value), "percent")


def test_a_quarter_of_a_million_is_still_a_number():
    f = one("The depot held a quarter of a million shells.")
    assert f.value == 250_000 and f.unit is None


@pytest.mark.parametrize("text, written, qualifier", [
    ("The death toll from the quake crossed 1,000 overnight.", "crossed 1,000", "more_than"),
    ("Pledges to the appeal eclipsed £2m by noon.", "eclipsed £2m", "more_than"),
    ("The death toll from the quake approached 1,000 overnight.", "approached 1,000", "nearly"),
    ("The death toll from the quake neared 1,000 overnight.", "neared 1,000", "nearly"),
])
def test_more_verbs_of_approaching_or_passing(text, written, qualifier):
    f = one(text)
    assert (f.text, f.qualifier) == (written, qualifier)
    assert f.metric is not None


def test_the_counted_thing_before_a_passing_verb_is_the_metric():
    f = one("The death toll from the quake crossed 1,000 overnight.")
    assert "toll" in f.metric or "death" in f.metric


def test_a_quotation_mark_opening_before_the_qualifier_stays_out_of_the_figure():
    from claimaudit.extract.figures import find_figures
    text = 'He said that "over 465,000 soldiers were killed" in May, and “well over” 100,000.'
    assert [f.text for f in find_figures(text)] == ["over 465,000", "“well over” 100,000"]


@pytest.mark.parametrize("text, metric", [
    ("Since March, about 2,000 of our citizens have been reported dead or missing.",
     "citizens dead or missing"),
    ("Nearly 40,000 people in the valley had been displaced by the floods.", "people displaced"),
    ("Agency Estimates Nearly 1,900 Dead or Missing After Floods", "dead or missing"),
])
def test_what_is_counted_reads_past_short_phrases(text, metric):
    from claimaudit.extract.figures import find_figures
    (f,) = find_figures(text)
    assert f.metric == metric

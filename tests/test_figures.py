"""Figure extraction: numbers, qualifiers, units, ranges, exclusions, metric/subject/period.

Every sentence here is written for these tests (none comes from the evaluation data).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from claimaudit.extract.figures import find_figures, sentence_bounds

PUB = "2024-12-21"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "menafn-2024-12-21-gerasimov-ukraine-losses.txt"


def figs(text: str, published: str | None = PUB):
    out = find_figures(text, published=published)
    for f in out:
        assert text[f.span[0]:f.span[1]] == f.text
        ns, ne = f.number_span
        assert f.span[0] <= ns < ne <= f.span[1]
    return out


def one(text: str, published: str | None = PUB):
    out = figs(text, published)
    assert len(out) == 1, [f.text for f in out]
    return out[0]


# --------------------------------------------------------------------------- number forms

@pytest.mark.parametrize("sentence, written, value", [
    ("The depot held 975,100 shells.", "975,100", 975100),
    ("The depot held 1,234,567 shells.", "1,234,567", 1234567),
    ("The index rose to 1.2 points.", "1.2", 1.2),
    ("The depot held 40 thousand shells.", "40 thousand", 40000),
    ("The depot held 1 million shells.", "1 million", 1e6),
    ("The depot held one million shells.", "one million", 1e6),
    ("The depot held 2.5 billion shells.", "2.5 billion", 2.5e9),
    ("The fund is worth 3 trillion roubles.", "3 trillion roubles", 3e12),
    ("The depot held 1.2bn shells.", "1.2bn", 1.2e9),
    ("The depot held 3mn shells.", "3mn", 3e6),
    ("The depot held 7 bn shells.", "7 bn", 7e9),
    ("The depot held 15k shells.", "15k", 15000),
    ("The depot held 4.5m shells.", "4.5m", 4.5e6),
    ("The depot held half a million shells.", "half a million", 5e5),
    ("The depot held a quarter of a million shells.", "a quarter of a million", 2.5e5),
    ("The depot held a million shells.", "a million", 1e6),
    ("The depot held one and a half million shells.", "one and a half million", 1.5e6),
    ("The depot held a dozen shells.", "a dozen", 12),
    ("The depot held two dozen shells.", "two dozen", 24),
    ("The depot held seven shells.", "seven", 7),
    ("The depot held twenty-five shells.", "twenty-five", 25),
    ("The depot held ninety nine shells.", "ninety nine", 99),
    ("The depot held three hundred and fifty shells.", "three hundred and fifty", 350),
    ("The depot held two hundred thousand shells.", "two hundred thousand", 2e5),
    ("The depot held a hundred shells.", "a hundred", 100),
])
def test_number_forms(sentence, written, value):
    f = one(sentence)
    assert f.text == written
    assert f.value == pytest.approx(value)
    assert f.qualifier == "exact" and f.low == f.high == f.value


def test_number_span_is_the_number_alone():
    text = "Officials counted nearly 1 million shells and “well over” $2bn in damage."
    a, b = figs(text)
    assert text[a.number_span[0]:a.number_span[1]] == "1 million"
    assert text[b.number_span[0]:b.number_span[1]] == "2bn"


# --------------------------------------------------------------------------- qualifiers

@pytest.mark.parametrize("phrase", [
    "about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
    "probably", "circa"])
def test_approx(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.text == f"{phrase} 200"
    assert f.qualifier == "approx"
    assert (f.low, f.value, f.high) == (pytest.approx(180), 200, pytest.approx(220))


@pytest.mark.parametrize("phrase", [
    "nearly", "almost", "close to", "just under", "just shy of", "just below"])
def test_nearly(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.text == f"{phrase} 200"
    assert f.qualifier == "nearly"
    assert (f.low, f.value, f.high) == (pytest.approx(180), 200, 200)


@pytest.mark.parametrize("phrase", [
    "more than", "over", "well over", "above", "in excess of", "upwards of", "exceeding",
    "just over", "greater than"])
def test_more_than(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.text == f"{phrase} 200"
    assert f.qualifier == "more_than"
    assert (f.low, f.value, f.high) == (200, 200, None)


@pytest.mark.parametrize("phrase", ["at least", "no fewer than", "no less than", "a minimum of"])
def test_at_least(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.qualifier == "at_least" and f.text == f"{phrase} 200"
    assert (f.low, f.high) == (200, None)


@pytest.mark.parametrize("phrase", ["less than", "fewer than", "under", "below"])
def test_less_than(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.qualifier == "less_than" and f.text == f"{phrase} 200"
    assert (f.low, f.high) == (None, 200)


@pytest.mark.parametrize("phrase", ["up to", "as many as", "at most", "a maximum of", "no more than"])
def test_at_most(phrase):
    f = one(f"The convoy carried {phrase} 200 tonnes of fuel.")
    assert f.qualifier == "at_most" and f.text == f"{phrase} 200"
    assert (f.low, f.high) == (None, 200)


def test_capitalised_qualifier_at_sentence_start():
    f = one("Nearly 40 villages were shelled overnight.")
    assert f.text == "Nearly 40" and f.qualifier == "nearly"


@pytest.mark.parametrize("text, written", [
    ("Crowds of “well over” 100,000 people gathered.", "“well over” 100,000"),
    ('Crowds of "about" 5,000 people gathered.', '"about" 5,000'),
    ("Crowds (about 5,000 people) gathered.", "about 5,000"),
])
def test_quoted_qualifiers(text, written):
    f = one(text)
    assert f.text == written
    assert f.qualifier in ("more_than", "approx")


@pytest.mark.parametrize("text, written, qualifier", [
    ("The brigade lost 20,000-plus rounds.", "20,000-plus", "more_than"),
    ("The brigade lost 500+ rounds.", "500+", "more_than"),
    ("The brigade lost 5,000 or more rounds.", "5,000 or more", "at_least"),
    ("The brigade lost 300 or so rounds.", "300 or so", "approx"),
    ("The brigade lost 40-odd vehicles.", "40-odd", "approx"),
])
def test_trailing_qualifiers(text, written, qualifier):
    f = one(text)
    assert (f.text, f.qualifier) == (written, qualifier)


# --------------------------------------------------------------------------- ranges

@pytest.mark.parametrize("text, written, low, high, unit", [
    ("Between 25 and 30 drones were seen.", "Between 25 and 30", 25, 30, None),
    ("They saw 25 to 30 drones.", "25 to 30", 25, 30, None),
    ("They saw 25-30 drones.", "25-30", 25, 30, None),
    ("They saw 25–30 drones.", "25–30", 25, 30, None),
    ("Turnout was 45-50% in the east.", "45-50%", 45, 50, "percent"),
    ("Turnout was between 45% and 50% in the east.", "between 45% and 50%", 45, 50, "percent"),
    ("They fled, 15 million to 30 million in all.", "15 million to 30 million", 15e6, 30e6, None),
    ("They fled, 5 to 10 million in all.", "5 to 10 million", 5e6, 10e6, None),
    ("The bill rose from 10 to 20 billion.", "from 10 to 20 billion", 10e9, 20e9, None),
    ("Repairs cost $10-20 million.", "$10-20 million", 10e6, 20e6, "USD"),
    ("Repairs cost between $5 and $10 million.", "between $5 and $10 million", 5e6, 10e6, "USD"),
    ("Repairs cost 5 to 10 million euros.", "5 to 10 million euros", 5e6, 10e6, "EUR"),
    ("They saw two to three drones.", "two to three", 2, 3, None),
])
def test_ranges(text, written, low, high, unit):
    f = one(text)
    assert f.text == written
    assert f.qualifier == "range"
    assert (f.value, f.low, f.high) == (pytest.approx(low), pytest.approx(low), pytest.approx(high))
    assert f.unit == unit


def test_hedged_range_keeps_the_hedge_in_the_text():
    f = one("They saw about 25-30 drones.")
    assert f.text == "about 25-30" and f.qualifier == "range"


def test_descending_pairs_are_not_ranges():
    assert figs("The match ended 3-1 after extra time.") == []
    out = figs("The motion passed 120 to 80 on Tuesday.")
    assert [(f.text, f.qualifier) for f in out] == [("120", "exact"), ("80", "exact")]


def test_change_then_level_is_not_a_range():
    out = figs("Support fell 5 percentage points to 40 per cent.")
    assert [(f.text, f.unit) for f in out] == [("5 percentage points", "percent"),
                                               ("40 per cent", "percent")]


# --------------------------------------------------------------------------- units

@pytest.mark.parametrize("text, written, unit, value", [
    ("Support stood at 45% in May.", "45%", "percent", 45),
    ("Support stood at 45 percent overall.", "45 percent", "percent", 45),
    ("Support stood at 45 per cent overall.", "45 per cent", "percent", 45),
    ("Support rose 3 percentage points overall.", "3 percentage points", "percent", 3),
    ("The grant was $1.2bn in total.", "$1.2bn", "USD", 1.2e9),
    ("The grant was US$5 million in total.", "US$5 million", "USD", 5e6),
    ("The grant was USD 700 in total.", "USD 700", "USD", 700),
    ("The grant was 50 million dollars in total.", "50 million dollars", "USD", 5e7),
    ("The grant was £2m in total.", "£2m", "GBP", 2e6),
    ("The grant was €3bn in total.", "€3bn", "EUR", 3e9),
    ("The grant was 40 million euros in total.", "40 million euros", "EUR", 4e7),
    ("The grant was 9 billion roubles in total.", "9 billion roubles", "RUB", 9e9),
    ("The grant was 9 billion rubles in total.", "9 billion rubles", "RUB", 9e9),
    ("The grant was 600 million hryvnia in total.", "600 million hryvnia", "UAH", 6e8),
    ("Troops took 420 square kilometres of land.", "420 square kilometres", "km2", 420),
    ("Troops took 420 square kilometers of land.", "420 square kilometers", "km2", 420),
    ("Troops took 420 km2 of land.", "420 km2", "km2", 420),
    ("Troops took 420 sq km of land.", "420 sq km", "km2", 420),
    ("Troops advanced 12 km overnight.", "12 km", "km", 12),
    ("Troops advanced 12km overnight.", "12km", "km", 12),
    ("Troops advanced 12 kilometres overnight.", "12 kilometres", "km", 12),
    ("The brigade lost 80 tanks.", "80", None, 80),
])
def test_units(text, written, unit, value):
    f = one(text)
    assert (f.text, f.unit) == (written, unit)
    assert f.value == pytest.approx(value)


# --------------------------------------------------------------------------- not figures

@pytest.mark.parametrize("text", [
    "The offensive began in 2024 and continued into 2025.",
    "Since 2022 the front has barely moved.",
    "The plan for 2030 was approved.",
    "It was 2024's biggest strike.",
    "The talks on December 18 failed.",
    "The talks on Dec. 18, 2024 failed.",
    "The talks on 18 December failed.",
    "The talks on 18th of December failed.",
    "The talks on 2024-12-21 failed.",
    "The talks on 21/12/2024 failed.",
    "The talks began at 10:30 and ended at 3 p.m. local time.",
    "The talks began at 9am.",
    "It was the first, the second and the 3rd attempt, and the 21st overall.",
    "He gave a 30-minute speech.",
    "After a two-day summit they signed a five-year plan.",
    "A 10-year-old boy was hurt.",
    "They fired medium-range and long-range missiles.",
    "COVID-19 spread as G7 leaders met.",
    "An F-16 downed an Su-34 near an S-400 battery.",
    "The MH17 report was published.",
    "Article 5 applies, as does Resolution 2231.",
    "Call +1 202-555-0143 for details.",
    "Call 202-555-0143 for details.",
    "Read more at https://example.com/news/2024/12/article-4521.html today.",
    "One was destroyed, and one of the crews escaped.",
    "No one was hurt, the one who fled said.",
    "The two leaders spoke.",
    "The period from 2022 to 2024 was hard.",
    "The 2022-2024 budget passed.",
    "In the past 24 hours the shelling stopped.",
    "Three days later the shelling stopped.",
    "The 007 file and the 0143 code were found.",
    "Iran and the P5+1 met at 10 Downing Street.",
    "It was the worst since World War 2 and World War Two.",
    "The 1990s, the '90s, 24/7 news, 9/11, 5G and 3D printing.",
    "Boeing 737 jets and Windows 11 machines.",
])
def test_not_figures(text):
    assert figs(text) == [], text


def test_year_with_qualifier_and_noun_is_a_count():
    f = one("About 2000 people marched.")
    assert (f.text, f.value, f.qualifier) == ("About 2000", 2000, "approx")
    assert figs("Rates peaked around 2010, the report said.") == []


def test_metres_are_not_millions():
    assert figs("The wall stood 100m away from a 5m ditch.") == []
    f = one("The firm hired 5m people.")
    assert f.value == 5e6


# --------------------------------------------------------------------------- metric / subject

@pytest.mark.parametrize("text, metric, subject", [
    ("The ministry counted 975,100 Ukrainian casualties.", "casualties", "Ukrainian"),
    ("It listed 1 million Ukrainian soldiers killed.", "soldiers killed", "Ukrainian"),
    ("It destroyed about 20,000 tanks and armored vehicles.", "tanks and armored vehicles", None),
    ("He identified two key escalations in the region.", "key escalations", None),
    ("It reported 300 casualties of Ukrainian forces.", "casualties", "Ukrainian forces"),
    ("It reported 300 casualties of the Ukrainian army.", "casualties", "Ukrainian army"),
    ("They recorded losses of 975,100 overall.", "losses", None),
    ("Ukraine's losses since the invasion amounted to almost 1 million.", "losses", "Ukraine"),
    ("Ukraine's losses amounted to almost 1 million people.", "losses", "Ukraine"),
    ("The death toll rose to 300 on Tuesday.", "death toll", None),
    ("Casualties of the Ukrainian army totalled 975,100.", "casualties", "Ukrainian army"),
    ("The number of Ukrainian casualties reached 500,000.", "casualties", "Ukrainian"),
    ("Ukrainian forces have suffered nearly 1 million casualties.", "casualties", "Ukrainian forces"),
    ("He said Ukraine has lost about 20,000 tanks.", "tanks", "Ukraine"),
    ("Russia lost 700,000 troops in the war.", "troops", "Russia"),
    ("Kyiv's 35,000 troops held the line.", "troops", "Kyiv"),
    ("They took more than 190 settlements from Ukrainian control.", "settlements", None),
    ("They shipped 40 thousand tonnes of grain.", "tonnes of grain", None),
    ("About 45% of the voters stayed home.", "voters", None),
    ("They fired 300 Patriot missiles.", "patriot missiles", None),
    ("Some 5,000 North Korean troops arrived.", "troops", "North Korean"),
    ("As many as 90 fled the town.", None, None),
    ("The navy lost 800 sailors killed and wounded in the storm.", "sailors killed and wounded", None),
    ("The navy lost 800 sailors, killed or wounded, in the storm.", "sailors killed or wounded", None),
    ("Officials said 800 Chilean sailors had been killed.", "sailors killed", "Chilean"),
    ("Brazil had itself lost 800 sailors in the storm.", "sailors", "Brazil"),
    ("Chilean losses in 2023 alone came to more than 800.", "losses", "Chilean"),
    ("Congress approved $40 billion in military aid.", "military aid", None),
    ("The army took 900 square kilometres of Peruvian territory.", "territory", "Peruvian"),
    ("He said 800 of Chile's losses came at sea.", "losses", "Chile"),
    ("Arms exports to Chile had risen by about 20 percent.", "arms exports", None),
    ("The delegates met at 10 in the morning.", None, None),
])
def test_metric_and_subject(text, metric, subject):
    f = one(text)
    assert (f.metric, f.subject) == (metric, subject)


def test_metric_is_short():
    f = one("They counted 300 old rusty broken abandoned armoured supply trucks.")
    assert f.metric is not None and len(f.metric.split()) <= 5


# --------------------------------------------------------------------------- periods

def test_period_after_the_figure_in_the_same_clause():
    text = ("In 2023 the unit lost 40 tanks, and since January 2024 the brigade has lost "
            "nearly 300 soldiers since the start of the war in February 2022.")
    out = figs(text)
    assert [f.text for f in out] == ["40", "nearly 300"]
    assert out[0].period.text == "In 2023"
    assert out[1].period.text == "since the start of the war in February 2022"
    assert out[1].period.start == "2022-02" and out[1].period.end is None


def test_period_resolved_against_publication():
    f = one("The agency counted 300 incidents this year.")
    assert (f.period.text, f.period.start, f.period.end) == ("this year", "2024", "2024")
    f = one("The agency counted 300 incidents this year.", published=None)
    assert f.period.text == "this year" and f.period.start is None


def test_period_only_from_the_same_sentence():
    out = figs("Prices rose in 2023. The unit lost 40 tanks.")
    assert [(f.text, f.period) for f in out] == [("40", None)]


def test_no_period():
    assert one("The unit lost 40 tanks.").period is None


# --------------------------------------------------------------------------- regions, spans

def test_region_offsets_index_the_full_text():
    text = "First 10 apples. Then nearly 2,000 pears were sold in 2024. Finally 7 plums."
    a = text.index("Then")
    b = text.index("Finally")
    out = find_figures(text, a, b, published=PUB)
    assert [f.text for f in out] == ["nearly 2,000"]
    f = out[0]
    assert text[f.span[0]:f.span[1]] == f.text
    assert f.period.text == "in 2024"
    assert find_figures(text, 5, 5) == []
    assert find_figures("") == []


def test_sentence_bounds_skip_abbreviations():
    text = "Gen. Smith said 40 tanks were lost in the U.S. sector. Then he left."
    s, e = sentence_bounds(text, text.index("40"))
    assert text[s:e] == "Gen. Smith said 40 tanks were lost in the U.S. sector."


# --------------------------------------------------------------------------- the seed

def test_seed_article_figures():
    text = SEED.read_text(encoding="utf-8")
    out = find_figures(text, published="2024-12-21")
    got = [(f.span, f.text, f.value, f.qualifier) for f in out]
    assert got == [
        ((138, 154), "nearly 1 million", 1e6, "nearly"),
        ((248, 260), "about 20,000", 20000, "approx"),
        ((747, 760), "more than 190", 190, "more_than"),
        ((1215, 1218), "two", 2, "exact"),
    ]
    f1, f2, f3, f4 = out
    assert (f1.metric, f1.subject) == ("casualties", "Ukrainian forces")
    assert (f1.period.text, f1.period.start, f1.period.end) == (
        "since the start of the war in February 2022", "2022-02", None)
    assert (f2.metric, f2.subject) == ("tanks and armored vehicles", "Ukraine")
    assert f3.metric == "settlements" and f3.subject is None
    assert (f3.period.start, f3.period.end) == ("2024", "2024")
    assert f4.metric == "key escalations"
    assert (f4.period.start, f4.period.end) == ("2024", "2024")
    # nothing inside "30-minute" [474, 483], and no year is a figure
    assert text[474:483] == "30-minute"
    for f in out:
        assert f.span[1] <= 474 or f.span[0] >= 483
        assert f.value not in (2022, 2024)


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from([
    "1", "975,100", "1.2", "0", "007", "2024", "1,2", "12.5.3", "10:30", "45%", "$", "US$", "€",
    "£", "bn", "m", "k", "million", "thousand", "half a", "a quarter of a", "a dozen", "one",
    "two", "twenty-five", "hundred", "nearly", "about", "more than", "between", "and", "to", "-",
    "–", "+", "-plus", " or more", "“", "”", '"', "'", "(", ")", "well over", "up to", "F-",
    "COVID-", "December", "Dec.", "since", "in", "this year", "percent", "per cent", "km",
    "square kilometres", "roubles", ".", ",", ";", " ", " ", "\n", "\t", "\x00", "\x0b", "\u200b",
    "\u00a0", "İ", "ß", "ﬁ", "Ω", "٣", "๒", "\ud7ff", "🙂", "Ukrainian", "casualties", "of",
    "lost", "has", "Russia's", "troops", "The", "amounted to",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30),
       st.one_of(st.none(), st.just(PUB), st.text(max_size=12)))
def test_find_figures_never_breaks(pieces, published):
    text = "".join(pieces)
    out = find_figures(text, published=published)
    for f in out:
        assert 0 <= f.span[0] < f.span[1] <= len(text)
        assert text[f.span[0]:f.span[1]] == f.text
        if f.low is not None:
            assert f.low <= f.value
        if f.high is not None:
            assert f.value <= f.high
        if f.period is not None:
            ps, pe = f.period.span
            assert text[ps:pe] == f.period.text
    # a region call finds a subset, with the same spans
    if len(text) > 4:
        mid = len(text) // 2
        for f in find_figures(text, 0, mid, published=published):
            assert f.span[1] <= len(text) and text[f.span[0]:f.span[1]] == f.text


# --------------------------------------------------------------------------- speed

def test_speed_smoke():
    para = ("KYIV, March 3 (Wire) - Officials said on Tuesday that more than 1,200 drones and "
            "about 45 missiles were launched at the capital since the start of the year, while "
            "the ministry put total losses at roughly 975,100 troops. The aid plan includes "
            "$1.2bn for repairs, up 5% from a year earlier. Nobody expected it.\n\n")
    text = para * 500            # ~180 kB
    t0 = time.perf_counter()
    out = find_figures(text, published=PUB)
    dt = time.perf_counter() - t0
    assert len(out) == 5 * 500
    assert dt < 3.0              # generous: a smoke test, not a benchmark

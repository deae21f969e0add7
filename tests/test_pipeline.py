"""Article-level extraction: pronouns, carried periods and dates, origins, subjects."""

from __future__ import annotations

from claimaudit.extract.pipeline import extract_claims
from claimaudit.models import Article


def claims_of(text: str, published: str = "2024-03-08"):
    return extract_claims(Article(text=text, published=published))


def test_same_period_is_carried_from_the_figure_before():
    cs = claims_of("Port Director Marta Ilves said on Monday that 300 ships had been delayed "
                   "since January 2023. She said 40 cranes broke down over the same period.")
    f1, f2 = [f for c in cs for f in c.figures]
    assert f1.period.start == "2023-01"
    assert f2.period.start == "2023-01" and f2.period.carried
    assert f2.period.text == "over the same period"


def test_pronoun_follows_the_person_a_sentence_is_about():
    cs = claims_of("Finance Minister Oskar Lind said the deficit was 4 percent. "
                   "On Tuesday, Ada Brandt, head of the central bank, spoke to "
                   "traders. She told them that rates would stay at 5 percent.")
    assert [c.speaker.name for c in cs if c.figures] == ["Oskar Lind", "Ada Brandt"]


def test_statement_date_is_carried_for_the_same_speaker_but_never_the_publication_date():
    cs = claims_of("Marta Ilves said on Monday that 300 ships were delayed. "
                   "She added that 12 berths were closed. Oskar Lind said 40 cranes broke.")
    assert [c.stated_on.date if c.stated_on else None for c in cs] == [
        "2024-03-04", "2024-03-04", None]


def test_origin_link_from_first_revealed_by():
    cs = claims_of("Oskar Lind said 300 ships were delayed. The delay figures given by Lind "
                   "were first revealed by Port Director Marta Ilves on Monday.")
    (c,) = cs
    (o,) = c.origin
    assert o.speaker.name == "Marta Ilves" and o.stated_on.date == "2024-03-04"
    assert o.speaker.role == "Port Director"


def test_every_span_matches_its_text():
    text = ("“We lost nearly 1 million,” Gen. Ada Brandt said on Friday, “and 20,000 tanks.” "
            "According to the ministry, over 560,000 were lost in 2024 alone.")
    for c in claims_of(text):
        for part in (c.cue, c.content, c.speaker):
            assert text[part.span[0]:part.span[1]] == part.text
        for f in c.figures:
            assert text[f.span[0]:f.span[1]] == f.text


def test_nested_report_credits_the_figure_to_the_inner_speaker():
    cs = claims_of("Oskar Lind also put the port's losses at about 20,000 containers over the "
                   "same period, the broadcaster reported.")
    credited = [(c.speaker.name, [f.text for f in c.figures]) for c in cs if c.figures]
    assert credited == [("Oskar Lind", ["about 20,000"])]


def test_that_figure_links_only_the_figure_just_given():
    cs = claims_of("Marta Ilves said 12 cranes were idle. She said 300 ships were delayed. "
                   "That figure was previously made public by Port Director Oskar Lind.")
    assert [[o.speaker.name for o in c.origin] for c in cs] == [[], ["Oskar Lind"]]


def test_dateline_is_not_part_of_the_content_and_a_trailing_assessment_is_not_content():
    text = ("OSLO, Mar 5, 2024 (Gamma Wire) - Norland has lost over 300 ships since January, "
            "Port Director Marta Ilves told the harbour board on Monday in a year-end "
            "assessment of the strike.")
    (c,) = claims_of(text)
    assert c.content.text == "Norland has lost over 300 ships since January"
    assert [f.text for f in c.figures] == ["over 300"]


def test_origin_in_an_appositive_after_the_figure_and_citing_inside_the_source():
    cs = claims_of("Port Director Marta Ilves said on Monday that 300 ships were delayed, a "
                   "figure first made public by Oskar Lind, head of the harbour board, on Sunday.")
    (c,) = cs
    assert c.content.text == "300 ships were delayed"
    assert [(o.speaker.name, o.cue) for o in c.origin] == [("Oskar Lind", "first made public by")]
    (c,) = claims_of("Harbour Aid’s Ada Berg, citing the port authority, said 40 cranes broke.")
    assert c.speaker.name == "Ada Berg" and [o.cue for o in c.origin] == ["citing"]


def test_a_date_belongs_to_its_own_cue_not_to_another_claim_of_the_sentence():
    cs = claims_of("Marta Ilves repeated on Wednesday that 300 ships were delayed since the "
                   "strike began on March 3, rejecting union claims that the port was closed. "
                   "Union leader Oskar Lind said 40 ships had left.")
    dates = {c.speaker.name: c.stated_on.date if c.stated_on else None for c in cs}
    assert dates["Marta Ilves"] == "2024-03-06"
    assert dates.get("Oskar Lind") is None

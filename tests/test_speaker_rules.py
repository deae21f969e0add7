"""Speaker rules on article structure: transcripts, source lines, labels, questions,
dash cues, descriptions resolved by their head noun, and body aliases."""

from __future__ import annotations

from claimaudit.extract.pipeline import extract_claims
from claimaudit.models import Article


def claims_of(text: str, published: str = "2024-03-08", title=None, narration=True):
    return extract_claims(Article(text=text, published=published, title=title),
                          narration=narration)


def credited(cs):
    return [(f.text, c.speaker.name if c.speaker else None) for c in cs for f in c.figures]


def test_statement_transcript_credits_its_figures_to_the_issuer():
    text = ("Harbour strikes cost 12,000 jobs: Norland statement to the Baltic Council\n\n"
            "Thank you, Madam Chair. Let me give you three numbers.\n\n"
            "First, 12,000 dock workers have lost their jobs since March.\n\n"
            "Second, freight volumes fell by about 30% in the first quarter.")
    cs = claims_of(text)
    names = {n for _, n in credited(cs)}
    assert names == {"Norland delegation to the Baltic Council"}, credited(cs)
    (c0,) = [c for c in cs if c.figures and c.figures[0].text.startswith("12,000")][:1]
    assert text[c0.speaker.span[0]:c0.speaker.span[1]] == c0.speaker.text == "Norland"


def test_third_person_article_with_statement_in_title_is_not_a_transcript():
    text = ("Norland statement to the Baltic Council\n\n"
            "The council met on Monday. Freight volumes fell by 30% in the first quarter.")
    assert {n for _, n in credited(claims_of(text))} == {None}


def test_statement_by_a_named_person_credits_that_person():
    text = ("Statement by Ambassador Liesel Varga on the harbour strikes\n\n"
            "Mr President, we are alarmed. Our figures show that 4,000 families have "
            "been displaced this winter, and I urge the council to act.")
    assert {n for _, n in credited(claims_of(text))} == {"Liesel Varga"}


def test_source_line_credits_the_paragraph_before_it():
    text = ("The Norland government estimates that dock losses have exceeded 9,000 jobs.\n"
            "Source: Petra Lindqvist, Counsellor for Trade at the Norland Mission\n"
            "She added that 300 ships were idle.")
    got = credited(claims_of(text))
    assert [n for _, n in got] == ["Petra Lindqvist", "Petra Lindqvist"], got


def test_label_prefix_does_not_hide_the_subject_for_pronouns():
    text = ("Details: In her speech, Petra Lindqvist answered the trade minister.\n"
            "She stressed that 300 ships were idle.")
    assert credited(claims_of(text)) == [("300", "Petra Lindqvist")]


def test_wh_question_heading_is_not_a_claim_but_names_the_body():
    text = ("What does the Harbour Authority say about the strike\n\n"
            "According to the data of the Authority, 84 ships were held in port.")
    cs = claims_of(text, narration=False)
    assert [c.cue.text for c in cs] == ["According to"]
    assert credited(cs) == [("84", "Harbour Authority")]


def test_according_to_the_information_of_names_the_body():
    cs = claims_of("According to the information of the Port Authority, 84 ships were held.",
                   narration=False)
    assert credited(cs) == [("84", "Port Authority")]


def test_dash_cue_at_paragraph_end_takes_the_whole_paragraph():
    text = ("Petra Lindqvist spoke on Monday.\n\n"
            "From January to April, 980 ships were delayed. In May the number exceeds 1,000 "
            "a month. This is the highest since records began, — emphasised the trade "
            "envoy Petra Lindqvist.")
    got = credited(claims_of(text))
    assert [n for _, n in got] == ["Petra Lindqvist"] * 2, got


def test_description_resolves_by_its_head_noun():
    text = ("As many as 300 ships were delayed this month, the chairman of the Harbour "
            "Board of Norland says.\n\n"
            "The estimate from Captain Olaf Berg came on Monday.\n\n"
            "Berg said 40 cranes had broken. Berg said the port would reopen.")
    got = credited(claims_of(text))
    assert got[0] == ("As many as 300", "Olaf Berg"), got


def test_body_aliases_take_one_canonical_name():
    cs = claims_of("The North Atlantic Alliance estimates that 350 ships were lost.",
                   narration=False)
    (c,) = cs
    assert c.speaker.name == "NATO" and c.speaker.text == "The North Atlantic Alliance"


def test_quotation_running_into_new_paragraphs_keeps_its_speaker():
    text = ("Olaf Berg, the harbour master, spoke on Monday.\n\n"
            "He added: “To sum up. The strike is now in its third month.\n\n"
            "“Since March, 300 ships have been turned away, and 40 cranes stand idle.\n\n"
            "“Nobody wins this.”\n\n"
            "By Tuesday, 12 ships were in dock.")
    got = credited(claims_of(text))
    assert got == [("300", "Olaf Berg"), ("40", "Olaf Berg"), ("12", None)], got


def test_list_labels_are_not_figures_of_their_own():
    text = ("Norland statement to the Baltic Council\n\n"
            "Thank you, Madam Chair. Let me give you numbers.\n\n"
            "a. 825.\n\nToday is the 825th day of the strike.\n\n"
            "b. 12,000.\n\nOver 12,000 dock workers have lost their jobs.")
    got = credited(claims_of(text))
    assert [t for t, _ in got] == ["825th", "Over 12,000"] or [t for t, _ in got] == ["Over 12,000"], got


def test_speaker_keeps_the_name_span_and_the_whole_source_phrase():
    text = "Ada Berg, the port's director, said 300 ships were delayed."
    (c,) = claims_of(text, narration=False)
    d = c.speaker.to_dict()
    assert text[slice(*d["span"])] == "Ada Berg" and d["role"] == "the port's director"
    assert [text[a:b] for a, b in d["spans"]] == ["Ada Berg, the port's director,"]
    (c,) = claims_of("Ada Berg said 300 ships were delayed.", narration=False)
    assert "spans" not in c.speaker.to_dict()


def test_a_person_description_never_resolves_to_a_body():
    text = ("Harbour will reopen, top official says\n\n"
            "Norland port officials said on Monday that 300 ships were waiting.\n\n"
            "Olaf Berg said 40 cranes were idle. Berg said the port would reopen.")
    cs = claims_of(text)
    assert cs[0].speaker.text == "top official" and cs[0].speaker.name == "Olaf Berg"

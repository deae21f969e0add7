"""Attribution rules, one sentence each: who (as written), cue, content."""

from __future__ import annotations

import pytest

from claimaudit.extract.attribution import claims_in_sentence
from claimaudit.extract.sentences import sentences


def attributions(text: str):
    out = []
    for s, e in sentences(text):
        for c in claims_in_sentence(text, s, e):
            out.append((c.speaker.text if c.speaker else None,
                        text[c.cue[0]:c.cue[1]],
                        [text[a:b] for a, b in c.content], c.kind))
    return out


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("Marta Ilves said the harbour would reopen in May.",
     "Marta Ilves", "said", ["the harbour would reopen in May"]),
    ("Marta Ilves has said that the harbour would reopen.",
     "Marta Ilves", "said", ["the harbour would reopen"]),
    ("The harbour will reopen in May, Marta Ilves said.",
     "Marta Ilves", "said", ["The harbour will reopen in May"]),
    ("“The harbour will reopen,” said Marta Ilves.",
     "Marta Ilves", "said", ["“The harbour will reopen,”"]),
    ("\"The harbour will reopen,\" the port director said.",
     "the port director", "said", ["\"The harbour will reopen,\""]),
    ("According to the Port Authority, 300 ships were delayed.",
     "the Port Authority", "According to", ["300 ships were delayed"]),
    ("Three hundred ships were delayed, according to the Port Authority.",
     "the Port Authority", "according to", ["Three hundred ships were delayed"]),
    ("Ilves told reporters on Tuesday that the cranes were repaired.",
     "Ilves", "told", ["the cranes were repaired"]),
    ("Port Minister Oskar Lind warned that fees would rise by 12 percent.",
     "Port Minister Oskar Lind", "warned", ["fees would rise by 12 percent"]),
    ("The loss figures were first revealed by the Harbour Board on Monday.",
     "the Harbour Board", "were first revealed by", ["The loss figures"]),
    ("Lind’s office said it would not comment.",
     "Lind’s office", "said", ["it would not comment"]),
])
def test_single_attribution(text, speaker, cue, content):
    got = attributions(text)
    assert len(got) == 1, got
    assert got[0][:3] == (speaker, cue, content)


def test_appositive_becomes_role():
    text = ("Oskar Lind, the head of the Northern Port Board, reported on Friday that "
            "traffic fell by nearly a third.")
    s, e = sentences(text)[0]
    (c,) = claims_in_sentence(text, s, e)
    assert c.speaker.text == "Oskar Lind"
    assert c.role == "the head of the Northern Port Board"
    assert text[c.content[0][0]:c.content[0][1]] == "traffic fell by nearly a third"


def test_quote_split_around_cue_is_one_direct_claim_with_two_parts():
    text = "“The cranes are fixed,” Ilves said, “and the ships are moving again.”"
    (got,) = attributions(text)
    assert got[0] == "Ilves"
    assert got[2] == ["“The cranes are fixed,”", "“and the ships are moving again.”"]
    assert got[3] == "direct"


def test_parenthetical_cue_keeps_relative_pronoun_and_clause():
    text = "The new levy, which, she said, targets “idle freighters”, starts in June."
    (got,) = attributions(text)
    assert got[0] == "she"
    assert got[2][0] == "which"
    assert got[3] == "mixed"


def test_guillemets_and_unbalanced_quotes_do_not_crash():
    text = "«Nous attendons,» said Ilves. “This quote never closes, said Lind. And more."
    got = attributions(text)
    assert got and got[0][0] == "Ilves"


def test_pronoun_subject_and_participle_cue():
    text = "She spoke for an hour on Monday, saying the port had lost 40 berths."
    (got,) = attributions(text)
    assert got[1] == "saying"
    assert got[2] == ["the port had lost 40 berths"]


def test_no_cue_no_claim():
    assert attributions("The harbour reopened in May after 300 days of repairs.") == []


def test_cue_word_inside_a_quote_is_not_a_cue():
    text = "“People said we were finished,” Lind told the crowd."
    got = attributions(text)
    assert [g[1] for g in got] == ["told"]


def test_citing_is_an_origin_not_a_speaker():
    text = "The board said 40 ships were stranded, citing harbour police."
    s, e = sentences(text)[0]
    (c,) = claims_in_sentence(text, s, e)
    assert c.speaker.text == "The board"
    assert text[c.content[0][0]:c.content[0][1]] == "40 ships were stranded"
    assert [p.text for p, _, _ in c.origin_phrases] == ["harbour police"]


# ---------------------------------------------------------------- more rules (issue: attribution)

def claims(text: str):
    out = []
    for s, e in sentences(text):
        out.extend(claims_in_sentence(text, s, e))
    return out


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("Lind has said the dock will close.", "Lind", "said", ["the dock will close"]),
    ("Lind says the dock will close.", "Lind", "says", ["the dock will close"]),
    ("Lind will tell reporters on Friday that the dock will close.",
     "Lind", "tell", ["the dock will close"]),
    ("The harbour master had warned that the dock would close.",
     "The harbour master", "warned", ["the dock would close"]),
    ("Lind is saying the dock will close.", "Lind", "saying", ["the dock will close"]),
    ("The dock will close, Lind said in a statement.", "Lind", "said", ["The dock will close"]),
    ("Lind said in an interview with the Harbour Times that the dock would close.",
     "Lind", "said", ["the dock would close"]),
    ("In an interview with the Harbour Times, Lind said the dock would close.",
     "Lind", "said", ["the dock would close"]),
    ("Ilves told him the dock would close.", "Ilves", "told", ["the dock would close"]),
    ("As Lind put it, the harbour is “a museum with cranes.”",
     "Lind", "put it", ["the harbour is “a museum with cranes.”"]),
    ("Sen. Ann Kask (D-Tallinn) said traffic fell.",
     "Sen. Ann Kask (D-Tallinn)", "said", ["traffic fell"]),
    ("Six in 10 dockers said they would strike.", "Six in 10 dockers", "said",
     ["they would strike"]),
    ("“We will strike,” said one longtime adviser to the union.",
     "one longtime adviser to the union", "said", ["“We will strike,”"]),
    ("Traffic fell by 12 percent, the port authority’s annual report said.",
     "the port authority’s annual report", "said", ["Traffic fell by 12 percent"]),
    ("The new cranes cost $40 million, according to an internal harbour audit.",
     "an internal harbour audit", "according to", ["The new cranes cost $40 million"]),
    ("According to a harbour survey of 300 dockers, 40 percent of berths are empty.",
     "a harbour survey of 300 dockers", "According to", ["40 percent of berths are empty"]),
    ("A new survey of dock workers shows 60 percent backing a strike.",
     "A new survey of dock workers", "shows", ["60 percent backing a strike"]),
    ("In a new poll by the Harbour Times, 55 percent backed the levy.",
     "a new poll by the Harbour Times", "In", ["55 percent backed the levy"]),
])
def test_more_patterns(text, speaker, cue, content):
    got = attributions(text)
    assert len(got) == 1, got
    assert got[0][:3] == (speaker, cue, content)


def test_tenses_and_voice_of_reporting_verbs():
    for verb in ("said", "has said", "had said", "says", "will say", "would say", "is saying",
                 "has repeatedly said", "also said", "later said"):
        text = f"Lind {verb} the dock will close."
        (got,) = attributions(text)
        assert got[0] == "Lind" and got[2] == ["the dock will close"], (verb, got)


def test_that_stays_out_of_the_content():
    (got,) = attributions("Ilves argued on Tuesday that the levy was too high.")
    assert got[2] == ["the levy was too high"]


def test_appositive_is_part_of_the_source_as_written_and_the_role():
    text = "Oskar Lind, the port minister, said the dock would close."
    (c,) = claims(text)
    assert c.speaker.text == "Oskar Lind" and c.speaker.kind == "person"
    assert c.role == "the port minister"
    assert text[c.source[0]:c.source[1]] == "Oskar Lind, the port minister,"


def test_relative_clause_is_part_of_the_source_but_no_role():
    text = "Lind, who runs the northern port, said traffic fell."
    (c,) = claims(text)
    assert c.speaker.text == "Lind" and c.role is None
    assert text[c.source[0]:c.source[1]] == "Lind, who runs the northern port,"


def test_an_age_between_name_and_cue_is_not_part_of_the_source():
    text = "Lind, 58, said traffic fell."
    (c,) = claims(text)
    assert text[c.source[0]:c.source[1]] == "Lind"


def test_inverted_source_keeps_its_appositive():
    text = "“The dock will close,” said Oskar Lind, the port minister."
    (c,) = claims(text)
    assert c.speaker.name == "Oskar Lind" and c.role == "the port minister"
    assert text[c.source[0]:c.source[1]] == "Oskar Lind, the port minister"


def test_description_with_a_name_appositive():
    text = "A spokeswoman, Mari Tamm, said traffic fell."
    (c,) = claims(text)
    assert c.speaker.kind == "person" and c.speaker.name == "Mari Tamm"
    assert text[c.source[0]:c.source[1]] == "A spokeswoman, Mari Tamm,"


@pytest.mark.parametrize("text, kind, name, role", [
    ("Port Minister Oskar Lind said traffic fell.", "person", "Oskar Lind", "Port Minister"),
    ("The Northern Port Authority said traffic fell.", "body", "Northern Port Authority", None),
    ("The Harbour Board said traffic fell.", "body", "Harbour Board", None),
    ("The port’s top official said traffic fell.", "description", "port’s top official", None),
    ("The minister said traffic fell.", "description", "minister", None),
    ("They said traffic fell.", "pronoun", "They", None),
])
def test_speaker_kinds(text, kind, name, role):
    (c,) = claims(text)
    assert (c.speaker.kind, c.speaker.name, c.speaker.role) == (kind, name, role)


def test_nested_attribution_gives_two_claims():
    got = attributions("Lind said Ilves told him the dock would close.")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("Lind", "said", ["Ilves told him the dock would close"]),
        ("Ilves", "told", ["the dock would close"])]


def test_participle_and_second_verb_take_the_clause_subject():
    got = attributions("Oskar Lind, the port minister, visited the dock and said the cranes "
                       "were idle.")
    assert got and got[-1][0] == "Oskar Lind" and got[-1][2] == ["the cranes were idle"]
    got = attributions("“The cranes are idle,” Lind said, adding that 40 ships were waiting.")
    assert [(g[0], g[1]) for g in got] == [("Lind", "said"), ("Lind", "adding")]
    assert got[1][2] == ["40 ships were waiting"]


def test_first_revealed_by_is_provenance():
    text = "The loss figures were first revealed by the Harbour Board on Monday."
    (c,) = claims(text)
    assert c.provenance and c.speaker.text == "the Harbour Board"


def test_quote_that_goes_on_in_the_next_sentences_is_the_same_claim():
    text = ("“The cranes are fixed,” Ilves said. “The ships are moving. Traffic is back.” "
            "He left.")
    (c,) = claims(text)
    assert [text[a:b] for a, b in c.content] == [
        "“The cranes are fixed,”", "“The ships are moving. Traffic is back.”"]
    assert c.kind == "direct"


def test_next_quote_with_its_own_cue_is_not_continued():
    text = "“The cranes are fixed,” Ilves said. “The ships are late,” Lind added."
    got = attributions(text)
    assert [(g[0], len(g[2])) for g in got] == [("Ilves", 1), ("Lind", 1)]


def test_multi_sentence_quote_before_its_cue():
    text = "“We are done. Really done,” she said."
    (got,) = attributions(text)
    assert got[0] == "she" and got[2] == ["“We are done. Really done,”"]


@pytest.mark.parametrize("text, quote", [
    ("''We are done,'' he said.", "''We are done,''"),
    ("\"We are done,\" he said.", "\"We are done,\""),
    ("«We are done,» he said.", "«We are done,»"),
    ("“We are done,” he said.", "“We are done,”"),
])
def test_quote_styles(text, quote):
    (got,) = attributions(text)
    assert got[0] == "he" and got[2] == [quote] and got[3] == "direct"


def test_cue_words_inside_quotes_are_not_cues_in_every_style():
    for q1, q2 in (("''", "''"), ('"', '"'), ("«", "»")):
        text = f"{q1}They said it would close,{q2} Lind told the crowd."
        got = attributions(text)
        assert [g[1] for g in got] == ["told"], (q1, got)


def test_unbalanced_quotes_do_not_crash_and_spans_stay_inside():
    for text in ("“This never closes, said Lind. And more.",
                 "This never opens,” said Lind. ” Odd.",
                 "\"One \"two\" three, said Lind \"",
                 "''Unclosed, he said. ''' Still going."):
        for c in claims(text):
            for a, b in [c.cue, *c.content, c.speaker and (c.speaker.start, c.speaker.end)]:
                assert 0 <= a <= b <= len(text)


def test_noun_cue_possessive_statement():
    got = attributions("Few believed the ministry’s claim that 40 ships sank.")
    assert ("the ministry", "claim", ["40 ships sank"]) in [g[:3] for g in got]


def test_noun_states_is_not_a_cue():
    assert attributions("Dock workers in several states walked out in 2019.") == []
    assert attributions("The United States sent 12 ships to the port.") == []


def test_signed_quote_and_transcript_label():
    got = attributions("“The port is our lifeline.” ― Mari Tamm")
    assert got and got[0][0] == "Mari Tamm" and got[0][2] == ["“The port is our lifeline.”"]
    got = attributions("LIND: We will reopen the dock in 30 days.")
    assert got and got[0][0] == "LIND"


def test_quote_ending_the_previous_sentence_belongs_to_a_bare_cue():
    text = "“We won the vote!” Lind said. He left."
    got = attributions(text)
    assert got == [("Lind", "said", ["“We won the vote!”"], "direct")]


# ---------------------------------------------------------------- fixes (our own sentences)
@pytest.mark.parametrize("text, name, role", [
    ("Adm. Oskar Lind, commander-in-chief of the northern fleet, said 40 cranes broke.",
     "Oskar Lind", "commander-in-chief of the northern fleet"),
    ("Oskar Lind, co-founder of the Harbour Club, said 40 cranes broke.",
     "Oskar Lind", "co-founder of the Harbour Club"),
    ("Mari Tamm, professor at the Port Academy, said 40 cranes broke.",
     "Mari Tamm", "professor at the Port Academy"),
])
def test_appositive_without_a_determiner(text, name, role):
    (c,) = claims(text)
    assert c.speaker.name == name and c.role == role
    assert text[c.content[0][0]:c.content[0][1]] == "40 cranes broke"


def test_headline_line_is_its_own_sentence():
    text = "Port counts its broken cranes\nThe Harbour Board estimates that 40 cranes broke."
    got = attributions(text)
    assert [g[:3] for g in got] == [("The Harbour Board", "estimates", ["40 cranes broke"])]


@pytest.mark.parametrize("text, speaker, content", [
    ("“We are looking at well over 300 ships,” Lind said in remarks at the Harbour Club.",
     "Lind", "“We are looking at well over 300 ships,”"),
    ("The total had passed 300 ships, he said last week at the Harbour Club of Tallinn.",
     "he", "The total had passed 300 ships"),
    ("The dock will close in May, Tamm said on Monday during a visit to the port.",
     "Tamm", "The dock will close in May"),
])
def test_trailing_phrases_after_the_cue_are_not_content(text, speaker, content):
    (c,) = claims(text)
    assert c.speaker.text == speaker
    assert [text[a:b] for a, b in c.content] == [content]


@pytest.mark.parametrize("text, name, role, content", [
    ("Estonia’s chief of the port authority, Gen. Oskar Lind, told President Marta Ilves on "
     "Monday that 300 ships were delayed.", "Oskar Lind", "Estonia’s chief of the port authority",
     "300 ships were delayed"),
    ("The harbour’s most senior officer, Adm. Oskar Lind, told visiting naval attaches on "
     "Wednesday that 40 cranes broke.", "Oskar Lind", "harbour’s most senior officer",
     "40 cranes broke"),
    ("The port chief, Mari Tamm, told the trade delegation from Riga on Oct. 3 that traffic fell.",
     "Mari Tamm", "port chief", "traffic fell"),
])
def test_reverse_appositive_names_the_speaker(text, name, role, content):
    (c,) = claims(text)
    assert c.speaker.kind == "person" and c.speaker.name == name
    assert text[c.speaker.start:c.speaker.end].endswith(name)
    assert c.role == role
    assert [text[a:b] for a, b in c.content] == [content]


@pytest.mark.parametrize("text, speaker, kind, cue, content", [
    ("The dock is closed, state TV says.", "state TV", "body", "says", "The dock is closed"),
    ("Forty ships sank, State news agency PAX reported.", "State news agency PAX", "body",
     "reported", "Forty ships sank"),
    ("The Harbour Board’s estimate that 40 ships sank was disputed.", "The Harbour Board", "body",
     "estimate",
     "40 ships sank"),
    ("Lind’s statement that 40 ships sank proved wrong.", "Lind", "person", "statement",
     "40 ships sank"),
])
def test_cue_words_used_as_nouns(text, speaker, kind, cue, content):
    got = claims(text)
    assert len(got) == 1, got
    (c,) = got
    assert c.speaker.text == speaker and (kind is None or c.speaker.kind == kind)
    assert text[c.cue[0]:c.cue[1]] == cue
    assert [text[a:b] for a, b in c.content] == [content]


@pytest.mark.parametrize("text", [
    "The report that 40 ships sank angered the board.",
    "Lind’s remarks came after 40 ships sank.",
    "The Report on the harbour lists 40 ships.",
])
def test_noun_cue_words_make_no_claim(text):
    assert claims(text) == []


@pytest.mark.parametrize("text, kind", [
    ("The dock lost 40 cranes, the expert noted.", "description"),
    ("The dock lost 40 cranes, the UK diplomat added.", "description"),
    ("Estonia's top general estimated that the dock lost 40 cranes.", "description"),
    ("Central Bank chief Ada Brandt said the dock lost 40 cranes.", "person"),
])
def test_description_and_role_speakers(text, kind):
    (c,) = claims(text)
    assert c.speaker.kind == kind


@pytest.mark.parametrize("text, inner", [
    ("Lind also put the port’s losses at about 20,000 containers over the same period, the "
     "broadcaster reported.", "the port’s losses at about 20,000 containers over the same period"),
    ("Lind said the dock lost 40 cranes, the broadcaster reported on Monday.",
     "the dock lost 40 cranes"),
    ("Lind said the dock lost 40 cranes, said the harbour newspaper.", "the dock lost 40 cranes"),
])
def test_nested_report_does_not_swallow_the_outer_source(text, inner):
    got = {c.speaker.text.split()[-1]: [text[a:b] for a, b in c.content] for c in claims(text)}
    assert got["Lind"] == [inner]
    outer = [v for k, v in got.items() if k != "Lind"]
    assert len(outer) == 1 and outer[0][0].startswith("Lind ") and outer[0][0].endswith(inner)


@pytest.mark.parametrize("text, expected", [
    # "according to" with a data noun before the source; what follows the comma is content
    ("According to the data of the Port Authority, the number of delays rose to 84.",
     [("the Port Authority", "According to", ["the number of delays rose to 84"], "indirect")]),
    ("According to the harbour board, the count of idle cranes has increased to 12.",
     [("the harbour board", "According to", ["the count of idle cranes has increased to 12"],
       "indirect")]),
    # a that-clause opening with a preposition is still the content, after a long intro
    ("In response to the remarks of Ada Berg about the strike, Olaf Lind noted that during "
     "the 40 days of the strike, the port lost 300 ships.",
     [("Olaf Lind", "noted", ["during the 40 days of the strike, the port lost 300 ships"],
       "indirect")]),
    # an unnamed source: the subject and what it is expected to do
    ("The central bank is widely expected to cut its rate to 2 percent.",
     [(None, "is widely expected", ["The central bank", "to cut its rate to 2 percent"],
       "indirect")]),
    # a name, a colon and a quotation
    ("Pollster Dana Shaw: “Historically, 40 percent of voters decide late.”",
     [("Dana Shaw", ":", ["“Historically, 40 percent of voters decide late.”"],
       "direct")]),
    ("Update: “The port is closed,” officials said.",
     [("officials", "said", ["“The port is closed,”"], "direct")]),
    # proposals with figures are the proposer's
    ("Senator Ada Berg has proposed a 10 percent levy on cargo.",
     [("Senator Ada Berg", "proposed", ["a 10 percent levy on cargo"], "indirect")]),
])
def test_more_newswire_patterns(text, expected):
    assert attributions(text) == expected


def test_unbalanced_quote_ends_with_its_line():
    text = ("The board said ships would wait \"as long as needed.\n"
            "The Port Authority estimates that 300 ships were delayed.\n"
            "Ada Berg said \"over 40 cranes\" were idle.")
    got = attributions(text)
    assert ("The Port Authority", "estimates", ["300 ships were delayed"], "indirect") in got


@pytest.mark.parametrize("text, expected", [
    ("Harbour Board Estimates 300 Ships Delayed In March",
     [("Harbour Board", "Estimates", ["300 Ships Delayed In March"], "indirect")]),
    ("Mayor Ada Berg Says 40 Cranes Stand Idle",
     [("Mayor Ada Berg", "Says", ["40 Cranes Stand Idle"], "indirect")]),
    ("The Says Of Summer Are Long", []),
    ("Ada Berg Says more ships are coming.", []),      # not a Title Case headline
])
def test_title_case_headline_cues(text, expected):
    assert attributions(text) == expected


def test_shared_subject_with_a_plural_head_noun():
    assert attributions("Hospital unions welcomed the plan but said it fell short of the 600 "
                        "posts they had demanded.") == [
        ("Hospital unions", "said", ["it fell short of the 600 posts they had demanded"],
         "indirect")]


@pytest.mark.parametrize("text, content", [
    ("Viktor Hale told state radio the attacks had caused no casualties.",
     ["the attacks had caused no casualties"]),
    ("Hale told reporters 40 ships sank.", ["40 ships sank"]),
    ("Hale told the BBC the port had lost 40 ships.", ["the port had lost 40 ships"]),
])
def test_told_recipient_stays_out_of_the_content(text, content):
    (got,) = attributions(text)
    assert got[2] == content


def test_place_and_day_between_the_cue_and_that_are_not_content():
    (got,) = attributions("Ada Berg told reporters in Peltra on Monday that 40 ships sank.")
    assert got[2] == ["40 ships sank"]

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

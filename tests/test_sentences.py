"""Sentences, paragraphs and quotations (our own sentences)."""

from __future__ import annotations

from claimaudit.extract.sentences import paragraphs, quotations, sentences


def split(text):
    return [text[s:e] for s, e in sentences(text)]


def test_basic_split_and_abbreviations():
    text = "Gen. Ilves spoke on Dec. 3 in the U.S. capital. He left. J. Tamm stayed!"
    assert split(text) == ["Gen. Ilves spoke on Dec. 3 in the U.S. capital.", "He left.",
                           "J. Tamm stayed!"]


def test_blank_line_always_splits():
    text = "No stop here\n\nNew paragraph."
    assert split(text) == ["No stop here", "New paragraph."]
    assert [text[s:e] for s, e in paragraphs(text)] == ["No stop here", "New paragraph."]


def test_no_split_inside_a_quotation_that_closes_later():
    text = "“We won. We are back,” she said. He left."
    assert split(text) == ["“We won. We are back,” she said.", "He left."]
    text = "''It is over. Really,'' he said. Then he left."
    assert split(text) == ["''It is over. Really,'' he said.", "Then he left."]


def test_unclosed_quotation_does_not_swallow_the_paragraph():
    text = "“Never closes. Ever. And on.\n\nNext."
    assert split(text) == ["“Never closes.", "Ever.", "And on.", "Next."]


def test_line_breaks_before_quotes_and_after_stops():
    text = "“The port is our lifeline.” ― Mari Tamm\n“It is dying.” ― Oskar Lind"
    assert split(text) == ["“The port is our lifeline.” ― Mari Tamm",
                           "“It is dying.” ― Oskar Lind"]
    # a line wrapped in mid-sentence stays one sentence
    assert split("The harbour reopened\nafter 300 days.") == ["The harbour reopened\nafter 300 days."]


def test_quotation_marks_and_directions():
    text = "He said \"we won\" and «they lost», then “so on”."
    got = [text[q.start:q.end] for q in quotations(text)]
    assert got == ['"we won"', "«they lost»", "“so on”"]
    text = "''Yes,'' she said, ''of course.''"
    assert [text[q.start:q.end] for q in quotations(text)] == ["''Yes,''", "''of course.''"]
    text = "''She said 'no,''' he said."
    (q,) = quotations(text)
    assert text[q.start:q.end] == "''She said 'no,'''"
    (q,) = quotations("“Open to the end")
    assert not q.closed


def test_offsets_never_include_whitespace():
    text = "  One.   Two.  \n\n  Three.  "
    for s, e in sentences(text):
        assert not text[s].isspace() and not text[e - 1].isspace()


def test_a_headline_line_ends_before_a_capitalised_line():
    text = "Port counts its broken cranes\nThe board says 40 broke."
    assert split(text) == ["Port counts its broken cranes", "The board says 40 broke."]
    # but not after a comma or a word that cannot end a sentence
    assert split("He was met by the\nPort Board chief.") == ["He was met by the\nPort Board chief."]
    assert split("Lind, the mayor,\nSaid no.") == ["Lind, the mayor,\nSaid no."]

"""Speaker phrases: names, titles, bodies (our own sentences)."""

from __future__ import annotations

import pytest

from claimaudit.extract.speakers import classify, phrase_after, phrase_before


@pytest.mark.parametrize("phrase, kind, name, role", [
    ("Defence Minister Oskar Lind", "person", "Oskar Lind", "Defence Minister"),
    ("Gen. Mari Tamm", "person", "Mari Tamm", "Gen."),
    ("the Northern Port Authority", "body", "Northern Port Authority", None),
    ("the Harbour Board", "body", "Harbour Board", None),
    ("the Estonian Defence Ministry", "body", "Estonian Defence Ministry", None),
    ("Lind’s office", "body", "Lind’s office", None),
    ("the port’s top official", "description", "port’s top official", None),
])
def test_classify(phrase, kind, name, role):
    p = classify(phrase, 0, len(phrase))
    assert (p.kind, p.name, p.role) == (kind, name, role)
    assert p.text == phrase and (p.start, p.end) == (0, len(phrase))


def test_phrase_before_and_after_a_cue():
    text = "Port Minister Oskar Lind said"
    p = phrase_before(text, 0, text.index(" said"))
    assert p.text == "Port Minister Oskar Lind" and p.name == "Oskar Lind"
    text = "said the Harbour Board on Monday"
    p = phrase_after(text, 5, len(text))
    assert p.text.startswith("the Harbour Board")
    text = "He said"
    p = phrase_before(text, 0, 2)
    assert p.kind == "pronoun" and p.text == "He"


def test_a_speaker_phrase_never_crosses_a_line_break():
    text = "Losses in the Port\nThe Harbour Board said"
    p = phrase_before(text, 0, text.index(" said"))
    assert p.text == "The Harbour Board"


@pytest.mark.parametrize("phrase, kind, name, role", [
    ("Central Bank chief Ada Brandt", "person", "Ada Brandt", "Central Bank chief"),
    ("Harbour Board chairman Lind", "person", "Lind", "Harbour Board chairman"),
    ("state TV host Mari Tamm", "person", "Mari Tamm", "state TV host"),
    ("State news agency PAX", "body", "State news agency PAX", None),
    ("news agency PAX", "body", "news agency PAX", None),
    ("state TV", "body", "state TV", None),
    ("the UK", "body", "UK", None),
    ("the UK diplomat", "description", "UK diplomat", None),
    ("the expert", "description", "expert", None),
    ("America's top general", "description", "America's top general", None),
])
def test_classify_roles_before_names(phrase, kind, name, role):
    p = classify(phrase, 0, len(phrase))
    assert (p.kind, p.name, p.role) == (kind, name, role)

"""Numbers as written in news text: ``975,100``, ``1.2bn``, ``40 thousand``, ``two``,
``twenty-five``, ``a dozen``, ``half a million``, ``a quarter of a million``.

:data:`NUMBER_RE` finds the number itself (with its scale word); :func:`number_value`
turns a match into a float. Context rules (is this a year, a date, an identifier?) live in
:mod:`claimaudit.extract.figures`.
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_RE", "NUMBER_LOWER_RE", "number_value", "scale_of", "has_scale", "is_digits",
           "SCALES", "WORD_VALUES"]

UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
WORD_VALUES: dict[str, float] = {**UNITS, **TEENS, **TENS, "a": 1, "an": 1, "hundred": 100,
                                 "dozen": 12, "half": 0.5, "quarter": 0.25}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
          "tn": 1e12, "trn": 1e12}

_U = "one|two|three|four|five|six|seven|eight|nine"
# tens before units and teens before units: "sixty" must not stop at "six"
_SMALL = (rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:{_U})\b)?"
          rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
          rf"|{_U})\b")
_SCALE_WORD = r"(?:thousand|million|billion|trillion)\b"
_HUNDREDS = rf"(?:\s+hundred\b(?:\s+(?:and\s+)?{_SMALL})?)"

# The leading lookahead lists every first character a number can have (a 2-3x speed-up:
# the engine skips other positions without trying each branch).
_NUMBER = (
    r"(?=[0-9oOtTfFsSeEnNaAhHqQ])"
    r"(?:"
    # digits: 975,100 | 1.2 | 40 ; then a scale word or an attached abbreviation
    r"(?P<dig>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
    rf"(?:\s*(?P<dscale>{_SCALE_WORD})"
    r"|(?P<abbr>mln|bln|trn|mn|bn|tn|k|m|b)(?![A-Za-z0-9])"
    r"|\s(?P<abbr2>mln|bln|trn|mn|bn|tn)\b)?"
    # half a million, a quarter of a million, one and a half million
    r"|\b(?P<frac>(?:(?:a|one)\s+)?half\s+(?:of\s+)?an?|(?:a|one)\s+quarter\s+(?:of\s+)?an?"
    rf"|(?:a|one)\s+half|(?P<fracwhole>{_SMALL})\s+and\s+a\s+half)"
    rf"\s+(?P<fscale>{_SCALE_WORD})"
    # a dozen, a hundred (thousand), a million
    rf"|\b(?P<art>an?)\s+(?P<artnum>dozen\b|hundred\b(?:\s+(?:and\s+)?{_SMALL})?|{_SCALE_WORD})"
    rf"(?:\s+(?P<artscale>{_SCALE_WORD}))?"
    # two, twenty-five, three hundred and fifty, two dozen ; then a scale word
    rf"|\b(?P<wrd>{_SMALL}(?:{_HUNDREDS}|\s+dozen\b)?)"
    rf"(?:\s+(?P<wscale>{_SCALE_WORD}))?"
    r")")
NUMBER_RE = re.compile(_NUMBER, re.IGNORECASE)
# the same, for lower-cased text (no IGNORECASE: several times faster)
NUMBER_LOWER_RE = re.compile(_NUMBER)

_SPLIT_RE = re.compile(r"[\s-]+")


def _words_value(words: str) -> float:
    """``"three hundred and fifty"`` -> 350; ``"two dozen"`` -> 24; ``"a hundred"`` -> 100."""
    total = 0.0
    for w in _SPLIT_RE.split(words.lower()):
        if w == "and" or not w:
            continue
        if w == "hundred":
            total = (total or 1) * 100
        elif w == "dozen":
            total = (total or 1) * 12
        else:
            total += WORD_VALUES.get(w, 0)
    return total


def number_value(m: re.Match) -> float:
    """The value of a :data:`NUMBER_RE` match, scale applied (``1.2bn`` -> 1.2e9)."""
    d = m.group("dig")
    if d is not None:
        v = float(d.replace(",", "")) if "," in d else float(d)
        sc = m.group("dscale") or m.group("abbr") or m.group("abbr2")
        return v * SCALES[sc.lower()] if sc else v
    if m.group("frac") is not None:
        if m.group("fracwhole"):
            base = _words_value(m.group("fracwhole")) + 0.5
        else:
            base = 0.25 if "quarter" in m.group("frac").lower() else 0.5
        return base * SCALES[m.group("fscale").lower()]
    if m.group("art") is not None:
        art = m.group("artnum").lower()
        v = SCALES[art] if art in SCALES else _words_value("a " + art)
        sc = m.group("artscale")
        return v * SCALES[sc.lower()] if sc else v
    v = _words_value(m.group("wrd"))
    sc = m.group("wscale")
    return v * SCALES[sc.lower()] if sc else v


_SCALE_GROUPS = ("dscale", "abbr", "abbr2", "fscale", "artscale", "wscale", "artnum")


def scale_of(m: re.Match) -> float:
    """The multiplier of the scale word in a match (1.0 when there is none)."""
    for sc in m.group(*_SCALE_GROUPS):
        if sc and sc.lower() in SCALES:
            return SCALES[sc.lower()]
    return 1.0


def is_digits(m: re.Match) -> bool:
    return m.group("dig") is not None


def has_scale(m: re.Match) -> bool:
    """True when a scale word or abbreviation is part of the match."""
    g = m.group(*_SCALE_GROUPS)
    if any(g[:6]):
        return True
    return bool(g[6]) and g[6].lower() in SCALES

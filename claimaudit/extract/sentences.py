"""Sentences and paragraphs with character offsets (pure functions, no models).

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets after it)
followed by whitespace and something that can start a sentence, unless the word before the
stop is a known abbreviation (``Gen.``, ``Dec.``, ``U.S.``) or a single initial. A blank line
always ends a sentence. Offsets index into the text given; whitespace is never included.
"""

from __future__ import annotations

import re
from typing import Iterator

from claimaudit.models import Span

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev st jr sr messrs
pres vs etc inc corp co ltd dept univ no nos fig approx est
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u a.m p.m i.e e.g d.c
""".split())

PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# a candidate end: terminal punctuation, optional closers, then whitespace
END_RE = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s)")
WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
STARTER_RE = re.compile(r"\s+[\"'“‘«(\[]*[A-Z0-9À-ÖØ-Þ]")


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: runs of text separated by blank lines, whitespace trimmed."""
    spans: list[Span] = []
    pos = 0
    for m in PARAGRAPH_RE.finditer(text):
        _add_trimmed(text, pos, m.start(), spans)
        pos = m.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _add_trimmed(text: str, s: int, e: int, out: list[Span]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the '.' at ``stop`` closes an abbreviation or an initial."""
    m = WORD_BEFORE_RE.search(text, max(0, stop - 12), stop + 1)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "J. Smith"


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans inside text[start:end] (paragraph breaks always split)."""
    end = len(text) if end is None else end
    out: list[Span] = []
    for ps, pe in paragraphs(text[start:end]):
        ps += start
        pe += start
        out.extend(_split_paragraph(text, ps, pe))
    return out


def _split_paragraph(text: str, ps: int, pe: int) -> Iterator[Span]:
    pos = ps
    for m in END_RE.finditer(text, ps, pe):
        stop = m.end()
        if not STARTER_RE.match(text, stop, pe):
            continue
        if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
            continue
        yield from _trimmed(text, pos, stop)
        pos = stop
    yield from _trimmed(text, pos, pe)


def _trimmed(text: str, s: int, e: int) -> Iterator[Span]:
    out: list[Span] = []
    _add_trimmed(text, s, e, out)
    yield from out

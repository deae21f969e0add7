"""Sentences, paragraphs and quotations with character offsets (pure functions, no models).

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets after it)
followed by whitespace and something that can start a sentence, unless the word before the
stop is a known abbreviation (``Gen.``, ``Dec.``, ``U.S.``) or a single initial, or the stop
lies inside a quotation that closes later in the same paragraph (``"We won. We are
back," she said.`` is one sentence). A blank line always ends a sentence. Offsets index into
the text given; whitespace is never included.

Quotation marks: curly double quotes, low-9 and guillemets have a direction; straight double
quotes and the doubled apostrophe of some US papers (``''``) take the direction the state
gives them (open outside a quotation, close inside one). A quotation never runs past its
paragraph: one left open stops at the paragraph's end.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator, NamedTuple

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
# a single line break ends a sentence after terminal punctuation or a closing quote, or
# before a line that opens with a quote or a bullet (lists, signed quotes, transcripts)
LINE_BREAK_RE = re.compile(r"(?<=[.!?:”\"’»)])[ \t]*\n\s*|[ \t]*\n\s*(?=[“\"«‘•*\-–—―])")
# a line with no final stop followed by a capitalised line (a headline, a caption, a dateline)
# also ends, unless the line ends on a comma or a word that cannot end a sentence ("the")
CAP_LINE_RE = re.compile(r"[ \t]*\n\s*(?=[A-ZÀ-ÖØ-Þ])")
LINE_END_WORD_RE = re.compile(r"([\w’'\-]+)[ \t]*$")
NO_LINE_END = frozenset("""
the a an of to in on at for with by from and or but nor that which who whose as than its his
her their our my your this these those said says told says according into onto about over
""".split())
# double quotation marks; ''' is a single quote next to a doubled apostrophe
QUOTE_MARK_RE = re.compile(r"'''|''|[“”„«»\"]")
OPENERS = "“„«"
CLOSERS = "”»"


class Quote(NamedTuple):
    """A quotation: ``start`` is the opening mark, ``end`` is just after the closing mark
    (or the paragraph's end when it never closes)."""
    start: int
    end: int
    closed: bool


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


def quotes_in(text: str, ps: int, pe: int) -> list[Quote]:
    """The quotations of one paragraph text[ps:pe], in order (not nested)."""
    out: list[Quote] = []
    open_at = -1
    for m in QUOTE_MARK_RE.finditer(text, ps, pe):
        mark = m.group()
        a, b = m.start(), m.end()
        if mark == "'''":
            # the doubled apostrophe is the outer pair: after the single one when closing
            if open_at >= 0:
                a = a + 1
            else:
                b = b - 1
            mark = "''"
        if mark in OPENERS:
            if open_at < 0:
                open_at = a
            continue
        if mark in CLOSERS:
            if open_at >= 0:
                out.append(Quote(open_at, b, True))
                open_at = -1
            continue
        # straight or doubled-apostrophe marks: direction from the state
        if open_at < 0:
            if b < pe and not text[b].isspace():
                open_at = a
        else:
            out.append(Quote(open_at, b, True))
            open_at = -1
    if open_at >= 0:
        out.append(Quote(open_at, pe, False))
    return out


def quotations(text: str) -> list[Quote]:
    """Every quotation of the article, paragraph by paragraph."""
    out: list[Quote] = []
    for ps, pe in paragraphs(text):
        out.extend(quotes_in(text, ps, pe))
    return out


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
    if "\n" in text[ps:pe]:
        pos = ps
        for a, b in _line_breaks(text, ps, pe):
            yield from _split_lines(text, pos, a)
            pos = b
        yield from _split_lines(text, pos, pe)
        return
    yield from _split_lines(text, ps, pe)


def _line_breaks(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    """The single line breaks of a paragraph that end a sentence, as (start, end) spans."""
    out = {m.start(): m.end() for m in LINE_BREAK_RE.finditer(text, ps, pe)}
    for m in CAP_LINE_RE.finditer(text, ps, pe):
        if m.start() in out or m.start() == ps:
            continue
        before = text[ps:m.start()]
        if before[-1:] in ",;(-–—/&" or before[-1:] in "“\"‘«":
            continue
        w = LINE_END_WORD_RE.search(before)
        if w and w.group(1).lower() in NO_LINE_END:
            continue
        out[m.start()] = m.end()
    return sorted(out.items())


def _split_lines(text: str, ps: int, pe: int) -> Iterator[Span]:
    pos = ps
    inside: list[tuple[int, int]] = [(q.start, q.end) for q in quotes_in(text, ps, pe) if q.closed]
    starts = [a for a, _ in inside]
    for m in END_RE.finditer(text, ps, pe):
        stop = m.end()
        if not STARTER_RE.match(text, stop, pe):
            continue
        if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
            continue
        if inside:
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and inside[k][0] < m.start() and stop < inside[k][1]:
                continue  # the quotation goes on after this stop
        yield from _trimmed(text, pos, stop)
        pos = stop
    yield from _trimmed(text, pos, pe)


def _trimmed(text: str, s: int, e: int) -> Iterator[Span]:
    out: list[Span] = []
    _add_trimmed(text, s, e, out)
    yield from out

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

from claimaudit.extract.memo import per_text
from claimaudit.models import Span

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev st jr sr messrs
pres vs etc inc corp co ltd dept univ no nos fig approx est
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u a.m p.m i.e e.g d.c
""".split())

PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# a candidate end: terminal punctuation, optional closers, then whitespace ("[.!?][.!?]*"
# is "[.!?]+" with a character set first: the engine skips other characters fast instead
# of trying the pattern at every position)
END_RE = re.compile(r"[.!?][.!?]*[\"'”’»)\]]*(?=\s)")
WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# (the match ends where the next sentence starts: \s+ can only take the whole blank run)
STARTER_RE = re.compile(r"\s+(?=[\"'“‘«(\[]*[A-Z0-9À-ÖØ-Þ])")
# a single line break ends a sentence after terminal punctuation or a closing quote, or
# before a line that opens with a quote or a bullet (lists, signed quotes, transcripts)
# (the matches of "(?<=[.!?:”\"’»)])[ \t]*\n\s*|[ \t]*\n\s*(?=[“\"«‘•*\-–—―])", each branch
# split by its first character, a newline, a space or a tab, and that character taken first:
# the engine then skips every other character fast instead of trying both branches there)
LINE_BREAK_RE = re.compile(r"\n(?<=[.!?:”\"’»)]\n)\s*| (?<=[.!?:”\"’»)] )[ \t]*\n\s*|"
                           r"\t(?<=[.!?:”\"’»)]\t)[ \t]*\n\s*|\n\s*(?=[“\"«‘•*\-–—―])|"
                           r" [ \t]*\n\s*(?=[“\"«‘•*\-–—―])|\t[ \t]*\n\s*(?=[“\"«‘•*\-–—―])")
# a line with no final stop followed by a capitalised line (a headline, a caption, a dateline)
# also ends, unless the line ends on a comma or a word that cannot end a sentence ("the")
CAP_LINE_RE = re.compile(r"\n\s*(?=[A-ZÀ-ÖØ-Þ])| [ \t]*\n\s*(?=[A-ZÀ-ÖØ-Þ])|"
                         r"\t[ \t]*\n\s*(?=[A-ZÀ-ÖØ-Þ])")   # "[ \t]*\n\s*(?=...)", as above
LINE_END_WORD_RE = re.compile(r"([\w’'\-]+)[ \t]*$")
NO_LINE_END = frozenset("""
the a an of to in on at for with by from and or but nor that which who whose as than its his
her their our my your this these those said says told says according into onto about over
""".split())
# double quotation marks; ''' is a single quote next to a doubled apostrophe (the matches of
# '''|''|[“”„«»"], written with a character set first: the engine skips other characters fast)
QUOTE_MARK_RE = re.compile(r"[“”„«»\"'](?:(?<=')'(?:')?|(?<!'))")
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


@per_text
def _paragraphs(text: str) -> tuple[Span, ...]:
    """``paragraphs(text)``: sentence splitting and quotations() both walk them."""
    return tuple(paragraphs(text))


def _add_trimmed(text: str, s: int, e: int, out: list[Span]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


# quotes_in answers for the last text seen, as (text, {(ps, pe): quotes}): sentence
# splitting and quotations() both read the quotations of the same paragraphs
_QUOTES_MEMO: tuple = (None, {})


def quotes_in(text: str, ps: int, pe: int) -> list[Quote]:
    """The quotations of one paragraph text[ps:pe], in order (not nested)."""
    return list(_quotes(text, ps, pe))


def _quotes(text: str, ps: int, pe: int) -> tuple[Quote, ...]:
    global _QUOTES_MEMO
    memo_text, memo = _QUOTES_MEMO
    if memo_text is not text:
        memo = {}
        _QUOTES_MEMO = (text, memo)
    found = memo.get((ps, pe))
    if found is None:
        found = memo[(ps, pe)] = tuple(_quotes_in(text, ps, pe))
    return found


def _quotes_in(text: str, ps: int, pe: int) -> list[Quote]:
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
        # a quotation never closed: it ends at its attribution when one follows inside
        # ("“The harvest is the worst in years, Piet Loor said. He said ..."), else at the
        # paragraph's end (a long quote that goes on in the next paragraph)
        m = UNCLOSED_TAIL_RE.search(text, open_at, pe)
        out.append(Quote(open_at, m.start() if m else pe, False))
    return out


# ", the farm minister said on Monday." / ", Loor added." after an unclosed quotation
UNCLOSED_TAIL_RE = re.compile(
    r",[ \t]+(?:[\w’'.\-]+[ \t]+){0,6}?(?:said|says|told|added|asked|stated|wrote|warned|"
    r"insisted|explained|noted)\b[^.!?\n“”\"]{0,60}?[.!?](?=\s|$)")


@per_text
def quotations(text: str) -> tuple[Quote, ...]:
    """Every quotation of the article, paragraph by paragraph (attribution, the
    quote-continuation rule and the transcript test all ask for them)."""
    return tuple(_quotations(text))


def _quotations(text: str) -> list[Quote]:
    out: list[Quote] = []
    for ps, pe in _paragraphs(text):
        if text.find("\n", ps, pe) < 0:
            out.extend(_quotes(text, ps, pe))
            continue
        # a quotation ends where the sentence splitter ends a line, as at a paragraph
        # end: an unbalanced mark must not swallow the lines after it
        pos = ps
        for a, b in _line_breaks(text, ps, pe):
            out.extend(_quotes(text, pos, a))
            pos = b
        out.extend(_quotes(text, pos, pe))
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


# (text, start, end, spans) of the last call: an article is split once however many
# readers it has (one tuple, replaced whole, so a thread never sees a mix of two calls)
_LAST: tuple | None = None


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans inside text[start:end] (paragraph breaks always split)."""
    global _LAST
    end = len(text) if end is None else end
    last = _LAST
    if last is not None and last[0] is text and last[1] == start and last[2] == end:
        return list(last[3])
    out = _sentences(text, start, end)
    _LAST = (text, start, end, tuple(out))
    return out


def _sentences(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    for ps, pe in _paragraphs(text[start:end]):
        _paragraph_into(text, ps + start, pe + start, out)
    return out


def _paragraph_into(text: str, ps: int, pe: int, out: list[Span]) -> None:
    if text.find("\n", ps, pe) >= 0:
        pos = ps
        for a, b in _line_breaks(text, ps, pe):
            _lines_into(text, pos, a, out)
            pos = b
        _lines_into(text, pos, pe, out)
    else:
        _lines_into(text, ps, pe, out)


def _split_paragraph(text: str, ps: int, pe: int) -> Iterator[Span]:
    out: list[Span] = []
    _paragraph_into(text, ps, pe, out)
    yield from out


def _line_breaks(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    """The single line breaks of a paragraph that end a sentence, as (start, end) spans."""
    out = {m.start(): m.end() for m in LINE_BREAK_RE.finditer(text, ps, pe)}
    for m in CAP_LINE_RE.finditer(text, ps, pe):
        ms = m.start()
        if ms in out or ms == ps:
            continue
        last = text[ms - 1]     # the last character of text[ps:ms]
        if last in ",;(-–—/&" or last in "“\"‘«":
            continue
        w = _line_end_word(text, ps, ms)
        if w and w.lower() in NO_LINE_END:
            continue
        out[ms] = m.end()
    return sorted(out.items())


def _line_end_word(text: str, lo: int, hi: int) -> str | None:
    """``LINE_END_WORD_RE.search(text[lo:hi]).group(1)`` (None when it does not match),
    read backwards from ``hi`` instead of searching the whole paragraph so far."""
    z = hi
    if z > lo and text[z - 1] == "\n":
        z -= 1                  # "$" also matches before a final newline
    q = z
    while q > lo and text[q - 1] in " \t":
        q -= 1
    p = q
    while p > lo and (text[p - 1].isalnum() or text[p - 1] in "_’'-"):
        p -= 1
    return text[p:q] if p < q else None


def _lines_into(text: str, ps: int, pe: int, out: list[Span]) -> None:
    pos = ps
    inside: list[tuple[int, int]] = [(q.start, q.end) for q in _quotes(text, ps, pe) if q.closed]
    starts = [a for a, _ in inside]
    starter = STARTER_RE.match
    for m in END_RE.finditer(text, ps, pe):
        stop = m.end()
        nxt = starter(text, stop, pe)
        if nxt is None:
            continue
        ms = m.start()
        if stop - ms == 1 and text[ms] == "." and _is_abbreviation(text, ms):
            continue
        if inside:
            k = bisect_right(starts, ms) - 1
            if k >= 0 and inside[k][0] < ms and stop < inside[k][1]:
                continue  # the quotation goes on after this stop
        if pos == ps:
            _add_trimmed(text, pos, stop, out)
        else:       # pos is past the blanks (below), and a stop ends on a mark
            out.append((pos, stop))
        pos = nxt.end()
    _add_trimmed(text, pos, pe, out)


def _split_lines(text: str, ps: int, pe: int) -> Iterator[Span]:
    out: list[Span] = []
    _lines_into(text, ps, pe, out)
    yield from out


def _trimmed(text: str, s: int, e: int) -> Iterator[Span]:
    out: list[Span] = []
    _add_trimmed(text, s, e, out)
    yield from out

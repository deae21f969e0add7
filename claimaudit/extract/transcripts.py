"""Statements published as they were delivered: 'UK statement to the OSCE', 'Remarks by
Ambassador Ann Berg'. The body speaks in the first person and credits nobody, so the
issuer named in the title is the speaker of its figures. Pure functions over text."""

from __future__ import annotations

import re
from typing import Optional

from claimaudit.extract.sentences import quotations
from claimaudit.extract.speakers import Phrase, canonical_body, classify, phrase_after

_KIND = r"(?:[Ss]tatement|[Ss]peech|[Rr]emarks|[Aa]ddress|[Tt]estimony)"
# "<issuer> statement to the <venue>", "<issuer>'s speech at the <venue>"
ISSUER_FIRST_RE = re.compile(
    r"(?P<issuer>(?:[A-Z][\w.’'\-]*\s+){0,4}?[A-Z][\w.’'\-]*?)(?:[’']s)?\s+" + _KIND +
    r"\s+(?:to|at|before|in)\s+(?:the\s+)?(?P<venue>[A-Z][\w.’'\-]*(?:\s+(?:of\s+|for\s+|on\s+|"
    r"and\s+|the\s+)*[A-Z][\w.’'\-]*){0,6})")
# "Statement by <issuer>", "Remarks of <issuer> at ..."
KIND_FIRST_RE = re.compile(r"(?:^|:\s+|[—–-]\s+)" + _KIND + r"\s+(?:by|of|from)\s+")
FIRST_PERSON_RE = re.compile(r"\b(?:I|I’m|I'm|I’d|I'd|we|We|our|Our|my|My|us|let me|Let me|"
                             r"Let us|Thank you)\b")
SALUTATION_RE = re.compile(r"(?:Thank you,?\s+)?(?:Mr\.?|Madam|Madame|Mister)\s+(?:Chair|"
                           r"Chairman|Chairperson|President|Speaker|Secretary)")
HEAD_CHARS = 400


def issuer(text: str, title: Optional[str] = None) -> Optional[tuple[Phrase, str]]:
    """(phrase as written in the text, canonical speaker name) of a statement's issuer,
    when the article is a first-person statement whose heading names who delivered it."""
    head_end = text.find("\n")
    head_end = len(text) if head_end < 0 else head_end
    if head_end > HEAD_CHARS:
        return None
    found = _from_heading(text, 0, head_end)
    if found is None or not _first_person(text, head_end):
        return None
    return found


def _from_heading(text: str, s: int, e: int) -> Optional[tuple[Phrase, str]]:
    m = KIND_FIRST_RE.search(text, s, e)
    if m:
        ph = phrase_after(text, m.end(), e)
        if ph is not None and ph.kind in ("person", "body"):
            return ph, ph.name if ph.kind == "person" else canonical_body(ph.name)
    m = ISSUER_FIRST_RE.search(text, s, e)
    if m:
        a, b = m.span("issuer")
        ph = classify(text, a, b)
        if ph.kind == "person" and (" " in ph.name or ph.role):   # one bare word: a country
            return ph, ph.name
        return ph, "%s delegation to the %s" % (ph.name, m.group("venue"))
    return None


def _first_person(text: str, start: int) -> bool:
    """The body addresses its audience: a salutation, or first-person words outside
    quotations in most of its first paragraphs."""
    body = text[start:start + 3000]
    if SALUTATION_RE.search(body):
        return True
    quoted = [(q.start - start, q.end - start) for q in quotations(text)
              if q.start < start + 3000 and q.end > start]
    hits = [m.start() for m in FIRST_PERSON_RE.finditer(body)
            if not any(a <= m.start() < b for a, b in quoted)]
    return len(hits) >= 3

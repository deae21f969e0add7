"""Plain-text articles: bytes -> text (never crashing on odd encodings) -> Article.

The decoded text is kept exactly as decoded: nothing is stripped or normalised, because
every span downstream indexes into it. Metadata comes from the first lines:

* a headline (a short first line without a terminal period, followed by a line break)
  becomes the title;
* an optional byline (``By Jane Doe, Reuters``) gives the author;
* a dateline gives outlet, publication date and place::

      date 2024-12-21 (MENAFN) ...              outlet MENAFN, published 2024-12-21
      MOSCOW, Dec 18 (Reuters) - ...            place MOSCOW, outlet Reuters, month_day 12-18
      KYIV (AP) — ...                           place KYIV, outlet AP (kept as written)
      LONDON, December 18, 2024 /PRNewswire/ -- place LONDON, outlet PRNewswire, 2024-12-18
      WASHINGTON (Agencies): ...                place WASHINGTON, outlet Agencies

  A dateline without a year leaves ``published`` None (the year is unknown) and reports
  ``month_day`` ("MM-DD") instead.
"""

from __future__ import annotations

import codecs
import re

from claimaudit.errors import DecodeError
from claimaudit.extract.dates import MONTH_PATTERN, normalize_published, parse_month
from claimaudit.models import Article

__all__ = ["decode_bytes", "parse_dateline", "parse_byline", "looks_like_headline",
           "article_from_text"]

# --------------------------------------------------------------------------- decoding

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b") + b"\x7f"
_SAMPLE = 65536


def _mixed_handler(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bad bytes of otherwise-UTF-8 data one by one as cp1252 (latin-1 if undefined)."""
    bad = err.object[err.start:err.end]
    out = []
    for b in bad:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), err.end


codecs.register_error("claimaudit-cp1252", _mixed_handler)


def _binary_reason(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls and controls / len(sample) > 0.10:
        return "mostly control characters"
    return None


def decode_bytes(data: bytes, source: str) -> tuple[str, str | None]:
    """Bytes -> ``(text, fallback_encoding)``; the encoding is None for clean UTF-8.

    UTF-8 first (a BOM is dropped); UTF-8 with a few bad bytes reads those bytes as cp1252
    (``"utf-8+cp1252"``); Latin-script text that decodes as cp1252 is cp1252 (short samples
    fool charset-normalizer); otherwise charset-normalizer's best guess, then cp1252, then
    latin-1, which never fails.
    UTF-16/32 with a BOM are honoured. Raises DecodeError for binary data and for empty or
    whitespace-only input.
    """
    if isinstance(data, str):  # tolerate an already-decoded input
        text, enc = data, None
    else:
        data = bytes(data)
        if not data.strip():
            raise DecodeError(source, "empty input", "nothing to read: give a file with text in it")
        text, enc = _decode(data, source)
    if not text.strip():
        raise DecodeError(source, "empty input (only whitespace)",
                          "nothing to read: give a file with text in it")
    return text, enc


def _decode(data: bytes, source: str) -> tuple[str, str | None]:
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break  # not really UTF-16/32: treat as bytes below
    reason = _binary_reason(data)
    if reason:
        raise DecodeError(source, f"not text: binary data ({reason})",
                          "pass a text, HTML or JSON Lines file")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass

    # Mostly valid UTF-8 with a few stray Windows bytes (a pasted quote, say)?
    escaped = data.decode("utf-8-sig", errors="surrogateescape")
    bad = len(_ESCAPED_RE.findall(escaped))
    good_multibyte = len(_NON_ASCII_CHAR_RE.findall(escaped)) - bad
    if good_multibyte and good_multibyte >= bad:
        return data.decode("utf-8-sig", errors="claimaudit-cp1252"), "utf-8+cp1252"

    cp1252 = None
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    if cp1252 is not None and _looks_latin(cp1252):
        # Western text in a Windows code page. charset-normalizer misreads short and mixed
        # samples (it calls b"caf\xe9" cp1125 and Spanish cp1250), so it only gets a say when
        # the cp1252 reading has symbols inside words ("³" for Polish "ł" in cp1250).
        odd = _in_word_symbols(cp1252)
        if odd >= 2:
            guess = _charset_normalizer_guess(data)
            if guess is not None and _in_word_symbols(guess[0]) < odd and _looks_latin(guess[0]):
                return guess
        return cp1252, "cp1252"
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    if cp1252 is not None:
        return cp1252, "cp1252"
    return data.decode("latin-1"), "latin-1"


_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")
_NON_ASCII_CHAR_RE = re.compile(r"[^\x00-\x7f]")
_ESCAPED_RE = re.compile("[\udc80-\udcff]")
# a symbol right after a letter: "spad³a", "ni¿" (Polish "ł", "ż" in cp1250 read as cp1252)
# (a superscript ²/³ only inside a word: "m³ of water" is a unit)
_IN_WORD_SYMBOL_RE = re.compile(
    r"(?<=[^\W\d_])(?:[¹¼½¾¿¦§¨©ª¬®¯°±´µ¶·¸º¥¤Ÿ]|[²³](?=[^\W\d_]))")


def _in_word_symbols(text: str) -> int:
    return len(_IN_WORD_SYMBOL_RE.findall(text, 0, _SAMPLE))


def _looks_latin(text: str) -> bool:
    """Latin-script text: its non-ASCII characters come one or two at a time ("naïve",
    "größte", curly quotes). Cyrillic, Greek or CJK bytes read as cp1252 make long runs."""
    sample = text[:_SAMPLE]
    total = in_runs = 0
    for m in _NON_ASCII_RUN_RE.finditer(sample):
        n = m.end() - m.start()
        total += n
        if n >= 3:
            in_runs += n
    return total == 0 or in_runs / total < 0.25


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is None or not best.encoding:
            return None
        text = data.decode(best.encoding)
    except Exception:  # a guess that does not decode, an unknown codec: fall through
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, best.encoding


# --------------------------------------------------------------------------- datelines

_UP = "A-ZÀ-ÖØ-Þ"
_PLACE_CAPS = rf"[{_UP}][{_UP}.'’\-]*[{_UP}.](?:[ \t]+(?:[{_UP}][{_UP}.'’\-]*|de|da|do|del|el|la|le|al)){{0,4}}"
_PLACE_TITLE = rf"[{_UP}][\w.'’\-]*(?:[ \t]+(?:[{_UP}][\w.'’\-]*|de|da|do|del|el|la|le|al)){{0,3}}"
_REGION = rf"[{_UP}][\w.'’\-]*(?:[ \t]+[{_UP}][\w.'’\-]*){{0,2}}"
_DL_DATE = (rf"(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
            rf"|(?P<mon>{MONTH_PATTERN})[ \t]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?[ \t]+(?P<year>\d{{4}})\b)?"
            rf"|(?P<day2>\d{{1,2}})[ \t]+(?P<mon2>{MONTH_PATTERN})(?:,?[ \t]+(?P<year2>\d{{4}})\b)?)")
_OUTLET = r"(?:\((?P<outlet>[^()\n]{1,60})\)|/(?P<outlet2>[^/\n]{1,60})/)"
_SEP = r"(?P<sep>--|[-–—:]|\|)"

# "date 2024-12-21 (MENAFN)", "2024-12-21 (MENAFN) -"
_DATE_FIRST_RE = re.compile(
    rf"(?i:date)?[ \t]*(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})[ \t]*"
    rf"\((?P<outlet>[^()\n]{{1,60}})\)(?:[ \t]*(?P<sep>--|[-–—:]))?")
# "MOSCOW, Dec 18 (Reuters) -", "KYIV (AP) —", "LONDON, December 18, 2024 /PRNewswire/ --"
_PLACE_FIRST_RE = re.compile(
    rf"(?P<place>{_PLACE_CAPS}|{_PLACE_TITLE})"
    rf"(?P<regions>(?:,[ \t]*(?!(?:{MONTH_PATTERN})[ \t]+\d){_REGION}){{0,2}})"
    rf"(?:,?[ \t]+{_DL_DATE})?"
    rf"[ \t]*(?:{_OUTLET}[ \t]*)?{_SEP}?")
_ALL_CAPS_RE = re.compile(rf"[^a-zß-öø-ÿ]*\Z")
_BYLINE_RE = re.compile(
    r"(?i:by)[ \t]+(?P<author>[A-ZÀ-Þ][\w.'’\-]*(?:[ \t]+(?:[A-ZÀ-Þ][\w.'’\-]*|de|van|von|der|al|bin|and|&)){0,6}?)"
    r"(?:[ \t]*[,|/–—-][ \t]*(?P<outlet>[A-ZÀ-Þ][\w&.'’\- ]{0,40}?))?[ \t]*$", re.MULTILINE)
_NONSPACE_RE = re.compile(r"[^\s\ufeff]")


def _match_dateline(text: str, pos: int) -> dict | None:
    m = _DATE_FIRST_RE.match(text, pos)
    if m:
        return _dateline_dict(m, place=None)
    m = _PLACE_FIRST_RE.match(text, pos)
    if not m:
        return None
    place = m.group("place")
    has_outlet = bool(m.group("outlet") or m.group("outlet2"))
    if not has_outlet:
        # no outlet: an ALL-CAPS place and a dash/colon are needed ("LONDON — ...")
        if not m.group("sep") or not _ALL_CAPS_RE.match(place) or sum(c.isalpha() for c in place) < 2:
            return None
        if m.group("sep") in ("|", ":"):   # "BREAKING: ..." is a headline, not a place
            return None
    elif not _ALL_CAPS_RE.match(place):
        # "Moscow, Dec 18 (Reuters) -": title-case places need a date or a separator
        if not (m.group("sep") or m.group("iso") or m.group("mon") or m.group("mon2")):
            return None
    regions = m.group("regions") or ""
    return _dateline_dict(m, place=(place + regions).strip())


def _dateline_dict(m: re.Match, place: str | None) -> dict:
    gd = m.groupdict()
    outlet = (gd.get("outlet") or gd.get("outlet2") or "").strip() or None
    published = month_day = None
    if gd.get("iso"):
        published = normalize_published(gd["iso"], use_dateparser=False)
        month_day = published[5:] if published else None
    else:
        mon = parse_month(gd.get("mon") or gd.get("mon2") or "")
        day = gd.get("day") or gd.get("day2")
        year = gd.get("year") or gd.get("year2")
        if mon and day:
            month_day = f"{mon:02d}-{int(day):02d}"
            if year:
                published = normalize_published(f"{year}-{month_day}", use_dateparser=False)
    end = m.end()
    s = m.start()
    text = m.string
    while s < end and text[s].isspace():
        s += 1
    while end > s and text[end - 1].isspace():
        end -= 1
    return {"outlet": outlet, "published": published, "place": place or None,
            "month_day": month_day, "span": (s, end)}


def parse_byline(line: str) -> dict:
    """``"By Jane Doe, Reuters"`` -> ``{"author": "Jane Doe", "outlet": "Reuters"}``; {} if not a byline."""
    s = line.strip().lstrip("\ufeff").strip()
    if not s or len(s) > 120:
        return {}
    m = _BYLINE_RE.match(s)
    if not m:
        return {}
    return {"author": m.group("author").strip(), "outlet": (m.group("outlet") or "").strip() or None}


def _lines(text: str, limit: int = 6):
    """(start, end) of the first ``limit`` non-blank lines, stripped."""
    pos, n = 0, 0
    while n < limit:
        m = _NONSPACE_RE.search(text, pos)
        if not m:
            return
        s = m.start()
        nl = text.find("\n", s)
        e = len(text) if nl == -1 else nl
        stripped_e = e
        while stripped_e > s and text[stripped_e - 1].isspace():
            stripped_e -= 1
        yield s, stripped_e, nl != -1
        n += 1
        if nl == -1:
            return
        pos = nl + 1


def parse_dateline(text: str) -> dict:
    """The dateline at the start of the text, or of the first line after a headline/byline.

    Returns ``{"outlet", "published", "place", "month_day", "span"}`` (span into ``text``,
    trailing separator included, surrounding whitespace excluded) or ``{}`` when none.
    """
    for s, e, _ in _lines(text, 4):
        found = _match_dateline(text, s)
        if found:
            return found
        line = text[s:e]
        if parse_byline(line) or looks_like_headline(line):
            continue
        break
    return {}


_CLOSERS = "\"'”’»)]"


def looks_like_headline(line: str) -> bool:
    """A short line that reads as a headline: no terminal period, not a dateline or byline."""
    s = line.strip().lstrip("\ufeff").strip()
    if not s or len(s) > 200 or "\n" in s:
        return False
    words = s.split()
    if len(words) > 20 or not any(c.isalpha() for c in s):
        return False
    first = s[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘«¿¡"):
        return False
    tail = s.rstrip(_CLOSERS)
    if not tail or tail[-1] in ".,;" or tail.endswith("--"):
        return False
    if _match_dateline(s, 0) or parse_byline(s):
        return False
    if normalize_published(s, use_dateparser=False):  # a bare date line
        return False
    return True


def article_from_text(text: str, *, source: str | None = None, url=None, outlet=None,
                      published=None, title=None, encoding=None) -> Article:
    """An Article from decoded text; explicit arguments win over what the text says.

    ``published`` given here goes through :func:`normalize_published` (when it cannot be
    read, the dateline's date is used). The text is stored untouched.
    """
    found_title = author = byline_outlet = None
    lines = list(_lines(text, 3))
    i = 0
    if len(lines) > 1 and looks_like_headline(text[lines[0][0]:lines[0][1]]):
        found_title = text[lines[0][0]:lines[0][1]]
        i = 1
    if i < len(lines):
        by = parse_byline(text[lines[i][0]:lines[i][1]])
        if by:
            author, byline_outlet = by["author"], by["outlet"]
    dl = parse_dateline(text)
    pub = normalize_published(published) if published else None
    if pub is None:
        pub = dl.get("published")
    return Article(
        text=text,
        url=url,
        outlet=outlet or dl.get("outlet") or byline_outlet,
        title=title if title is not None else found_title,
        published=pub,
        source=source,
        encoding=encoding,
        author=author,
    )

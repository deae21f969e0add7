"""When something was said: date expressions in text, resolved against the publication date.

Pure functions, precompiled regexes; ``dateparser`` is only a last resort inside
:func:`normalize_published` (never per sentence).

Conventions for :func:`find_date_refs`:

* ``DateRef.text`` is the expression as written, a leading ``on``/``in``/``last`` included
  (``"on Wednesday"``, ``"in November"``, ``"last month"``); ``DateRef.span`` indexes the
  full text, so ``text[span[0]:span[1]] == ref.text``.
* ``DateRef.date`` is ISO: ``YYYY-MM-DD`` (precision ``day``; for precision ``week`` the
  Monday of that week), ``YYYY-MM`` (``month``) or ``YYYY`` (``year``).
* Weekdays resolve to the most recent such weekday strictly before publication, or the
  publication date itself when it is that weekday (``last Monday`` on a Monday is a week
  earlier). Month-days without a year take the most recent such date not after
  publication + 1 day. ``in November`` is November of the publication year, or of the
  year before when November is after the publication month.
* Relative expressions need ``published``; without it they are skipped. Absolute dates
  (with a year) always resolve.
* Future references (``tomorrow``, ``next Monday``, ``next week``) and period bounds
  (``since February 2022``, ``until March``, ``from ... to``) are not statement dates and
  are not returned; the period extractor handles those.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
from functools import lru_cache

from claimaudit.models import DateRef

__all__ = ["find_date_refs", "normalize_published", "parse_month", "MONTHS", "MONTH_PATTERN"]

# --------------------------------------------------------------------------- vocabulary

MONTHS: dict[str, int] = {}
for _i, _names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec"),
), start=1):
    for _n in _names:
        MONTHS[_n] = _i

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12, "several": None, "few": None}

# Each pattern opens with a lookahead on its possible first characters: it lets the regex
# engine skip most positions cheaply (a 2-3x speed-up on long texts).
# Month names are matched case-sensitively (capitalised) so "may", "march" as words don't
# match; the small words around them are case-insensitive.
_MONTH_FULL = (r"January|February|March|April|May|June|July|August|September|October"
               r"|November|December")
_MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?|(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))"
MONTH_PATTERN = _MONTH_ANY   # for other modules' regexes: "December", "Dec.", "DECEMBER"
_WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_ABBR = r"Mon|Tues|Tue|Wed|Thurs|Thu|Fri|Sat|Sun"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME_OF_DAY = r"(?i:\s+(?:night|morning|afternoon|evening))"
_LEAD = r"(?i:(?:(?:earlier|later|early|late)\s+)?on\s+)?"

# "on Wednesday, December 18, 2024", "Dec. 18", "December 18th"
_MDY = (rf"{_LEAD}(?:(?:{_WEEKDAY}|(?:{_WEEKDAY_ABBR})\.?),?\s+)?"
        rf"(?P<m1>{_MONTH_ANY})\s+(?P<d1>{_DAY})\b(?:,?\s+(?P<y1>{_YEAR})\b(?![-/]?\d))?")
# "on 18 December 2024", "18 Dec 2024", "Wednesday 18 December"
_DMY = (rf"{_LEAD}(?:(?:{_WEEKDAY}|(?:{_WEEKDAY_ABBR})\.?),?\s+)?"
        rf"(?P<d2>{_DAY})\s+(?:(?i:of)\s+)?(?P<m2>{_MONTH_ANY})(?!\w)(?:,?\s+(?P<y2>{_YEAR})\b(?![-/]?\d))?")
# "on 2024-12-18"
_ISO = rf"{_LEAD}(?<![\d-])(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])"

ABSOLUTE_RE = re.compile(rf"(?=[eEoOlLMTWFSJAND0-9])(?<!\w)(?:{_ISO}|{_MDY}|{_DMY})")

# "on Wednesday", "last Monday", "on Tuesday night", "late on Friday"
WEEKDAY_RE = re.compile(
    rf"(?=[lLtTpPnNeEoOMWFS])(?<!\w)(?:(?P<mod>(?i:last|this\s+past|past|this|next|(?:(?:earlier|later|early|late)\s+)?on))\s+)?"
    rf"(?P<wd>{_WEEKDAY})\b(?:{_TIME_OF_DAY}\b)?")

# today / yesterday / last night / this morning / N days ago ...
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few|few)"
RELATIVE_RE = re.compile(
    r"(?=[tTeElLyYnNaAoOfFsSdDpP0-9])(?<!\w)(?i:"
    r"(?P<today>(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<yesterday>(?:late\s+|early\s+)?yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night)"
    r"|(?P<daybefore>the\s+day\s+before\s+yesterday)"
    r"|(?P<tomorrow>tomorrow|next\s+(?:week|month|year)|later\s+this\s+(?:week|month|year))"
    r"|(?P<ago>(?P<agon>" + _NUM + r")\s+(?P<agou>day|week|month|year)s?\s+ago)"
    r"|(?P<weekend>(?:over|at|during)\s+the\s+weekend|(?:last|this|past)\s+weekend)"
    r"|(?P<rel>(?:(?P<relmod>earlier|early|late|later)\s+)?(?P<relwhich>last|this|past)\s+(?P<relunit>week|month|year))"
    r")(?!\w)")

# "in November", "in early November", "in November 2023", "November 2023", "in 2023",
# "last November"
MONTH_RE = re.compile(
    rf"(?=[iIdDlLtTeEmMJFASOND])(?<!\w)(?:"
    rf"(?P<mpre>(?i:in|during|last|this|(?:in\s+)?(?:early|mid|late)(?:-|\s+)))\s*"
    rf"(?P<mname>{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?)(?!\w)(?:,?\s+(?P<myear>{_YEAR})\b(?![-/]?\d))?"
    rf"|(?P<mname2>{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?),?\s+(?P<myear2>{_YEAR})\b(?![-/]?\d)"
    rf")")
YEAR_RE = re.compile(rf"(?=[iIdDeEmMlL])(?<!\w)(?P<ypre>(?i:in|during|(?:in\s+)?(?:early|mid|late)(?:-|\s+)))\s*(?P<year>{_YEAR})\b(?![-/–]?\d|,\d)")

# the word right before an expression: period bounds are not statement dates
_BOUND_BEFORE_RE = re.compile(r"(?i:\b(?:since|until|till|through|thru|from|between|to|by)\s*)$")

_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_]|[+-]\d\d:?\d\d|Z)")


def parse_month(name: str) -> int | None:
    """``"Dec."``, ``"December"``, ``"DECEMBER"`` -> 12; None for anything else."""
    return MONTHS.get(name.rstrip(".").lower())


def _day(tok: str) -> int:
    return int(tok.rstrip("stndrh"))


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _pub_date(published: str | None) -> _dt.date | None:
    if not published:
        return None
    m = _ISO_DATE_RE.match(published)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    iso = normalize_published(published)
    return _dt.date.fromisoformat(iso) if iso else None


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def _count(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    if word == "a few":
        return None
    return NUMBER_WORDS.get(word)


# --------------------------------------------------------------------------- matchers

def _absolute(m: re.Match, pub: _dt.date | None) -> DateRef | None:
    if m.group("iy"):
        d = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        return DateRef(d.isoformat(), "day") if d else None
    if m.group("m1"):
        mon, day, year = parse_month(m.group("m1")), _day(m.group("d1")), m.group("y1")
    else:
        mon, day, year = parse_month(m.group("m2")), _day(m.group("d2")), m.group("y2")
    if mon is None:
        return None
    if year:
        d = _safe_date(int(year), mon, day)
        return DateRef(d.isoformat(), "day") if d else None
    if pub is None:
        return None
    limit = pub + _dt.timedelta(days=1)
    for y in (pub.year + 1, pub.year, pub.year - 1, pub.year - 2, pub.year - 3, pub.year - 4):
        d = _safe_date(y, mon, day)
        if d and d <= limit:
            return DateRef(d.isoformat(), "day")
    return None


def _weekday(m: re.Match, pub: _dt.date | None) -> DateRef | None:
    if pub is None:
        return None
    mod = (m.group("mod") or "").lower()
    if mod == "next":
        return None
    target = WEEKDAYS[m.group("wd").lower()]
    back = (pub.weekday() - target) % 7
    if back == 0 and mod.split()[:1] in (["last"], ["past"]):
        back = 7
    return DateRef((pub - _dt.timedelta(days=back)).isoformat(), "day")


def _relative(m: re.Match, pub: _dt.date | None) -> DateRef | None:
    if pub is None or m.group("tomorrow"):
        return None
    if m.group("today"):
        return DateRef(pub.isoformat(), "day")
    if m.group("yesterday"):
        return DateRef((pub - _dt.timedelta(days=1)).isoformat(), "day")
    if m.group("daybefore"):
        return DateRef((pub - _dt.timedelta(days=2)).isoformat(), "day")
    if m.group("weekend"):
        # the most recent Saturday on or before publication; a week-precision date (Monday)
        sat = pub - _dt.timedelta(days=(pub.weekday() - 5) % 7)
        return DateRef(_monday(sat).isoformat(), "week")
    if m.group("ago"):
        n = _count(m.group("agon"))
        if n is None:
            return None
        unit = m.group("agou").lower()
        if unit == "day":
            return DateRef((pub - _dt.timedelta(days=n)).isoformat(), "day")
        if unit == "week":
            return DateRef(_monday(pub - _dt.timedelta(weeks=n)).isoformat(), "week")
        if unit == "month":
            y, mo = _shift_month(pub.year, pub.month, -n)
            return DateRef(f"{y:04d}-{mo:02d}", "month")
        return DateRef(f"{pub.year - n:04d}", "year")
    which, unit = m.group("relwhich").lower(), m.group("relunit").lower()
    last = which in ("last", "past")
    if unit == "week":
        d = _monday(pub) - _dt.timedelta(weeks=1 if last else 0)
        return DateRef(d.isoformat(), "week")
    if unit == "month":
        y, mo = _shift_month(pub.year, pub.month, -1 if last else 0)
        return DateRef(f"{y:04d}-{mo:02d}", "month")
    return DateRef(f"{pub.year - (1 if last else 0):04d}", "year")


def _month(m: re.Match, pub: _dt.date | None) -> DateRef | None:
    name = m.group("mname") or m.group("mname2")
    mon = parse_month(name)
    if mon is None:
        return None
    year = m.group("myear") or m.group("myear2")
    if year:
        return DateRef(f"{int(year):04d}-{mon:02d}", "month")
    if pub is None:
        return None
    pre = " ".join((m.group("mpre") or "").lower().split())
    if pre == "this":
        y = pub.year
    elif pre == "last":
        y = pub.year if mon < pub.month else pub.year - 1
    else:
        y = pub.year if mon <= pub.month else pub.year - 1
    return DateRef(f"{y:04d}-{mon:02d}", "month")


def _year(m: re.Match, pub: _dt.date | None) -> DateRef | None:
    return DateRef(m.group("year"), "year")


# priority: higher wins when two candidates start at the same place and have equal length
_MATCHERS = (
    (ABSOLUTE_RE, _absolute, 4),
    (RELATIVE_RE, _relative, 3),
    (WEEKDAY_RE, _weekday, 2),
    (MONTH_RE, _month, 1),
    (YEAR_RE, _year, 0),
)


# What each matcher needs inside the searched span (every match contains one of these):
# month names are case-sensitive, weekday names all end in "day", the small words of
# RELATIVE_RE are case-insensitive (looked up in the lowercased span).
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
_MONTH_STEMS_ANY = _MONTH_STEMS + tuple(m.upper() for m in _MONTH_STEMS)
# "is one of these stems in the span": one scan for a capital J, F, M, A, S, O, N or D and
# the stems tried there, instead of a substring search per stem
_MONTH_STEMS_ANY_RE = re.compile("|".join(_MONTH_STEMS_ANY))
_MONTH_STEMS_RE = re.compile("|".join(_MONTH_STEMS))
# RELATIVE_RE: today, tonight / last night, this morning..., yesterday (and "the day before
# yesterday"), tomorrow, next/last/this week|month|year, weekend, N days ago
_RELATIVE_WORDS = ("today", "night", "morning", "afternoon", "evening", "yesterday",
                   "tomorrow", "week", "month", "year", "ago")
# ABSOLUTE_RE without a month name: only an ISO date
_ISO_TRIGGER_RE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")
# letters that re.IGNORECASE equates with an ASCII letter although str.lower() does not give
# that letter (İ -> "i̇", ı, ſ): with one of them present RELATIVE_RE always runs
_CI_SPECIAL = ("\u0130", "\u0131", "\u017f")


def _has_any(seg: str, words) -> bool:
    for w in words:
        if w in seg:
            return True
    return False


def _matchers_for(seg: str):
    """The matchers that can match inside ``seg`` (the others are not run: cheap substring
    tests instead of five regex scans of every sentence)."""
    year = _DIGIT_TRIGGER_RE.search(seg) is not None
    month_any = _MONTH_STEMS_ANY_RE.search(seg) is not None
    out = []
    if month_any or year and _ISO_TRIGGER_RE.search(seg) is not None:
        out.append(_MATCHERS[0])          # ABSOLUTE_RE: a month name or an ISO date
    low = seg.lower()
    if _has_any(low, _RELATIVE_WORDS) or (
            not seg.isascii() and _has_any(seg, _CI_SPECIAL)):
        out.append(_MATCHERS[1])          # RELATIVE_RE
    if "day" in seg:
        out.append(_MATCHERS[2])          # WEEKDAY_RE: Monday ... Sunday
    if month_any and _MONTH_STEMS_RE.search(seg) is not None:   # (a subset of the stems)
        out.append(_MATCHERS[3])          # MONTH_RE: a capitalised month name
    if year:
        out.append(_MATCHERS[4])          # YEAR_RE
    return out


# Every expression the matchers accept contains one of these: large spans are only searched
# in windows around them (plain ``str.find`` is much faster than trying each regex at every
# position). Lower-case tokens are looked up in ``text.lower()``, month stems as written.
_LOWER_TRIGGERS = ("day", "night", "ago", "week", "month", "year", "morning", "afternoon",
                   "evening")
_CASED_TRIGGERS = tuple(n for stem in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec") for n in (stem, stem.upper()))
_DIGIT_TRIGGER_RE = re.compile(rf"{_YEAR}")
_WINDOW = 48          # longer than any prefix/suffix an expression has around its trigger
_FULL_SCAN_BELOW = 4000


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    seg = text[start:end]
    low = seg.lower()
    if len(low) != len(seg):
        return None
    hits: list[tuple[int, int]] = []
    for hay, toks in ((low, _LOWER_TRIGGERS), (seg, _CASED_TRIGGERS)):
        for tok in toks:
            i = hay.find(tok)
            n = len(tok)
            while i != -1:
                hits.append((i, i + n))
                i = hay.find(tok, i + n)
    hits.extend(m.span() for m in _DIGIT_TRIGGER_RE.finditer(seg))
    if not hits:
        return []
    hits.sort()
    out: list[tuple[int, int]] = []
    for s, e in hits:
        ws, we = max(0, s - _WINDOW) + start, min(end, start + e + _WINDOW)
        if out and ws <= out[-1][1]:
            if we > out[-1][1]:
                out[-1] = (out[-1][0], we)
        else:
            out.append((ws, we))
    return out


def find_date_refs(text: str, start: int = 0, end: int | None = None, *,
                   published: str | None = None) -> list[DateRef]:
    """Date expressions in ``text[start:end]``, resolved against ``published``.

    Spans index into the full ``text``. Results are in text order and never overlap (a
    longer expression wins: ``on Wednesday, Dec. 18`` is one reference). An expression that
    cannot be resolved (a relative one without ``published``) is still consumed, so its
    parts are not reported separately, but it is not returned.
    """
    end = len(text) if end is None else min(end, len(text))
    if start >= end:
        return []
    windows = None
    if end - start >= _FULL_SCAN_BELOW:
        windows = _windows(text, start, end)
    if windows is None:
        windows = [(start, end)]
    pub = _pub_date(published)
    # (start, -length, -priority, end, resolver, match)
    cands = []
    for ws, we in windows:
        for regex, resolve, prio in _matchers_for(text[ws:we]):
            for m in regex.finditer(text, ws, we):
                s, e = m.span()
                if s != e:
                    cands.append((s, s - e, -prio, e, resolve, m))
    if not cands:
        return []
    cands.sort(key=lambda c: c[:3])
    out: list[DateRef] = []
    taken_until = -1
    for s, _, _, e, resolve, m in cands:
        if s < taken_until:
            continue
        taken_until = e
        if _BOUND_BEFORE_RE.search(text, max(0, s - 10), s):
            continue
        ref = resolve(m, pub)
        if ref is None:
            continue
        ref.text = text[s:e]
        ref.span = (s, e)
        out.append(ref)
    return out


# --------------------------------------------------------------------------- published

_MDY_FULL_RE = re.compile(
    rf"^\s*(?:(?:{_WEEKDAY}|{_WEEKDAY_ABBR})\.?,?\s+)?(?P<m>{_MONTH_ANY})\s+(?P<d>{_DAY}),?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE)
_DMY_FULL_RE = re.compile(
    rf"^\s*(?:(?:{_WEEKDAY}|{_WEEKDAY_ABBR})\.?,?\s+)?(?P<d>{_DAY})(?:\s+|-)(?P<m>{_MONTH_ANY})(?:,?\s+|-)(?P<y>\d{{4}})\b",
    re.IGNORECASE)
_YMD_SLASH_RE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")


def normalize_published(value: str | None, *, use_dateparser: bool = True) -> str | None:
    """Any reasonable date or datetime string -> ``YYYY-MM-DD``; None if it cannot be read.

    The date is taken as written (a time zone offset is not converted to UTC). Fast paths
    for ISO 8601, RFC 2822 and "December 18, 2024" / "18 Dec 2024"; ``dateparser`` only for
    anything else (``use_dateparser=False`` skips it: for cheap "is this a date?" checks).
    """
    if value is None:
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return (value.date() if isinstance(value, _dt.datetime) else value).isoformat()
    value = str(value).strip()
    if not value or len(value) > 120:
        return None
    m = _ISO_DATE_RE.match(value) or _YMD_SLASH_RE.match(value) or _COMPACT_RE.match(value)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d.isoformat() if d else None
    for rx in (_MDY_FULL_RE, _DMY_FULL_RE):
        m = rx.match(value)
        if m:
            mon = parse_month(m.group("m"))
            d = _safe_date(int(m.group("y")), mon, _day(m.group("d"))) if mon else None
            if d:
                return d.isoformat()
    if "," in value or value[:3].isalpha():
        try:
            parsed = email.utils.parsedate_tz(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed and parsed[0] and parsed[1] and parsed[2]:
            d = _safe_date(parsed[0], parsed[1], parsed[2])
            if d:
                return d.isoformat()
    return _dateparser_fallback(value) if use_dateparser else None


@lru_cache(maxsize=1024)
def _dateparser_fallback(value: str) -> str | None:
    if not any(ch.isdigit() for ch in value):
        return None
    try:
        import dateparser  # slow import: only when needed
        parsed = dateparser.parse(
            value, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                             "RETURN_AS_TIMEZONE_AWARE": False,
                             "PREFER_DATES_FROM": "past"})
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date().isoformat() if parsed else None

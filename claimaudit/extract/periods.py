"""The stretch of time a figure covers: ``since February 2022``, ``in 2024``, ``this year``.

Pure functions over text, precompiled regexes, no dateparser.

Conventions for :func:`find_periods`:

* ``Period.text`` is the expression as written (the leading ``since``/``in``/``during``/
  ``from``/``between``... included); ``Period.span`` indexes the full text.
* ``start``/``end`` are ISO strings at the precision written: ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``. An open side is None: ``since February 2022`` -> start ``2022-02``,
  end None; ``as of March 2024`` -> start None, end ``2024-03``.
* Closed expressions: ``in 2024`` / ``during 2023`` -> start = end = the year;
  ``in February 2022`` -> start = end = ``2022-02``; ``between 2022 and 2024`` and
  ``from January to March 2024`` -> both ends; ``in the first half of 2024`` ->
  ``2024-01``..``2024-06`` (quarters, ``H1``/``Q3``, ``early``/``mid``/``late`` 2024 and
  ``the first 11 months of 2024`` are approximated the same way).
* Relative expressions resolve against ``published`` (``YYYY-MM-DD``): ``this year``,
  ``so far this year``, ``this year alone`` -> the publication year; ``last year`` -> the
  year before; ``this month``/``last month``; ``in November`` -> November of the
  publication year, or of the year before when November is after the publication month;
  ``over the past year`` / ``in the last 12 months`` -> start = publication date minus
  that stretch (day precision), end = publication date. Without ``published`` such
  expressions are still returned (their text and span), with start/end None.
* ``since`` takes up to eight words before its date: ``since the start of the war in
  February 2022``, ``since the fighting began in February 2022``, ``since its August
  incursion`` (-> 2024-08 with a 2024 publication date). Without a date (``since the start
  of the war``, ``since the invasion began``) the expression is returned with start None.
* ``over the year`` / ``during the year`` -> the publication year.
* Not periods: bare dates (``February 2022 was cold``), ISO dates, "may"/"march" in lower
  case, and a year-like count after an ambiguous preposition (``over 2000 people``).
* Anaphoric stretches (``over the same period``, ``in that time``) are not resolved here.

Speed: a region without any anchor word (since/year/month/week/day/hour/decade, a month
name, a 19xx/20xx number) is skipped after one scan; otherwise the pattern is only tried
where an expression can open within 90 characters before an anchor.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from claimaudit.extract.dates import MONTHS
from claimaudit.models import Period

__all__ = ["find_periods", "parse_published"]

# --------------------------------------------------------------------------- vocabulary

_MONTH_NUM = MONTHS

_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12, "eighteen": 18, "twenty-four": 24, "thirty-six": 36}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

# Matching runs over a lower-cased copy of the text (no IGNORECASE: literal branches are
# checked with a fast first-character test); month names found are then required to be
# capitalised in the original, so "may" and "march" as words never match.
_MONTH = (r"(?:(?:january|february|march|april|may|june|july|august|september|october"
          r"|november|december)(?![a-z])"
          r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])(?:\.(?![0-9]))?)")
MONTH_WORD_RE = re.compile(
    r"(?<![A-Za-z])(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![A-Za-z])", re.I)
_YEAR0 = r"(?<![\d.,])(?:19|20)\d\d(?!\d|[.,]\d)"
_YEAR = _YEAR0 + r"(?![-–/]\d)"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
# a point in time: "February 2022", "24 February 2022", "February 24, 2022", "November", "2024"
_POINT = (rf"(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
          rf"|{_MONTH}(?:\s+{_DAY},?\s+{_YEAR}|,?\s+{_YEAR}|\s+{_DAY}(?![\w:]))?"
          rf"|{_YEAR})")
POINT_RE = re.compile(
    rf"(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<m2>{_MONTH})(?:\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})|,?\s+(?P<y3>{_YEAR})|\s+(?P<d3>{_DAY}))?"
    rf"|(?P<y4>{_YEAR})")

_N = (r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
      r"|eighteen|twenty-four|thirty-six)")
_START_OF = r"(?:start|beginning|outbreak|onset|launch|end)"
_YEARREF = r"(?:(?:19|20)\d\d|the\s+year|this\s+year|last\s+year)"
_CONFLICT = (r"(?:full[- ]scale\s+|all-out\s+|russian\s+)?(?:war|invasion|conflict|offensive|fighting"
             r"|hostilities|special\s+military\s+operation)")



def _cores_after_pre(x: str) -> str:
    """Cores that may follow in/during/for/over...; ``x`` suffixes the group names (the
    same cores also appear without a preposition and group names must be unique).
    "over the year" (the publication year) needs the preposition."""
    the_year = r"|(?:whole\s+|entire\s+)?(?P<the_year>year)(?![\w-])" if not x else ""
    return (
        # the first half of 2024, the first nine months of 2024, the past year, the year 2020
        rf"the\s+(?:(?P<half_ord{x}>first|second|third|fourth|final|last)\s+(?P<half_unit{x}>half|quarter)"
        rf"\s+of\s+(?P<half_y{x}>{_YEARREF})"
        rf"|first\s+(?P<firstn_n{x}>{_N})\s+months\s+of\s+(?P<firstn_y{x}>{_YEARREF})"
        rf"|(?:past|last|previous)\s+(?:(?P<past_n{x}>{_N})\s+)?(?P<past_unit{x}>hour|day|week|month|year|decade)s?(?![\w-])"
        rf"|(?:whole\s+|entire\s+)?(?:year|month)\s+(?:of\s+)?(?P<they_pt{x}>{_POINT})"
        rf"{the_year})"
        # this year, last month
        rf"|(?P<rel_which{x}>this|last)\s+(?P<rel_unit{x}>year|month)(?![\w-])"
        # H1 2024, Q3 2023, early 2023, mid-2024
        rf"|(?P<hq_tag{x}>[hq][1-4])\s+(?:of\s+)?(?P<hq_y{x}>{_YEAR})"
        rf"|(?P<part_w{x}>early|mid|late)(?:-|\s+)(?P<part_y{x}>{_YEAR})"
        # 2022-2024, 2022-23, January-March 2024
        rf"|(?P<dash1{x}>{_MONTH}|{_YEAR0})\s*[-–—]\s*(?P<dash2{x}>{_MONTH}\s+{_YEAR}|{_YEAR}"
        rf"|\d\d(?!\d|[.,]\d))(?![-–/]\d)")


# Matching is on lower-cased text without IGNORECASE, every alternative opens with a
# literal (the engine tests first characters cheaply), and at one start the first
# alternative that matches wins: longer, more specific forms come first.
PERIOD_RE = re.compile(
    rf"(?<![\w-])(?:"
    # in/during/for/over/throughout/within + a core, or + one point: "in 2024", "in November"
    rf"(?P<pre>in|during|throughout|for|over|within)\s+(?:{_cores_after_pre('')}"
    rf"|(?P<pt>{_POINT}))"
    # since ...
    rf"|since\s+(?:(?P<since_year>(?:the\s+)?{_START_OF}\s+of\s+(?P<sy_which>the|this|last)\s+year(?![\w-]))"
    rf"|(?P<since_last>last\s+year)"
    # "since February 2022", "since the fighting began in February 2022", "since its August
    # incursion": up to eight words between "since" and the date
    rf"|(?:[\w’'-]+\s+){{0,8}}?(?:in\s+|on\s+)?(?P<since_pt>{_POINT})"
    rf"|(?P<since_vague>(?:the\s+(?:start|beginning|outbreak|onset|launch)\s+of\s+"
    rf"(?:(?:the|its|russia['’]s|moscow['’]s|israel['’]s)\s+)?{_CONFLICT}"
    rf"|(?:the|its|russia['’]s|moscow['’]s|israel['’]s)\s+{_CONFLICT}\s+(?:began|started|broke\s+out)"
    rf"|(?:the|russia['’]s|moscow['’]s)\s+{_CONFLICT})(?![\w-])))"
    # two ends
    rf"|(?:between|from)\s+(?P<b1>{_POINT})\s+(?:and|to|until|till|through|thru)\s+(?P<b2>{_POINT})"
    # so far this year, earlier this year, so far in 2024
    rf"|so\s+far\s+(?:in\s+(?P<sofar_pt>{_POINT})|this\s+(?P<sofar_unit>year|month)(?![\w-]))"
    rf"|earlier\s+this\s+(?P<earlier_unit>year|month)(?![\w-])"
    rf"|year[- ]to[- ]date(?P<ytd>)"
    # open at the start: "as of March 2024", "by the end of 2024"
    rf"|(?P<asof_pre>as\s+of|as\s+at|by\s+the\s+end\s+of|until|till|up\s+to|through)\s+(?P<asof_pt>{_POINT})"
    # the same cores without a preposition
    rf"|{_cores_after_pre('_')}"
    rf")(?:\s+(?:alone|so\s+far|to\s+date))?(?![\w])")

# "over 2000 people", "up to 1950 troops": a count after an ambiguous preposition
_AMBIGUOUS_PRE = frozenset(("over", "for", "up to", "through", "until", "till", "within"))
_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)")
_FUNCTION_WORDS = frozenset("""
a an the and or but as when while with after before in on at to for from of by was were is
are that which so than compared amid alone despite during since until into through its
""".split())

_PUB_RE = re.compile(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


# --------------------------------------------------------------------------- helpers

@lru_cache(maxsize=256)
def parse_published(published: str | None) -> _dt.date | None:
    """``YYYY-MM-DD`` (or a longer ISO datetime, or ``YYYY-MM``) -> date; None otherwise."""
    if not published:
        return None
    m = _PUB_RE.match(str(published))
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_months(d: _dt.date, months: int) -> _dt.date:
    idx = d.year * 12 + (d.month - 1) - months
    y, m = divmod(idx, 12)
    m += 1
    day = d.day
    while day > 28:
        try:
            return _dt.date(y, m, day)
        except ValueError:
            day -= 1
    return _dt.date(y, m, day)


def _count(word: str | None) -> int:
    if not word:
        return 1
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _COUNT_WORDS.get(w, 1)


def _month_of(name: str | None) -> int | None:
    if not name:
        return None
    return _MONTH_NUM.get(name.rstrip(".").lower())


def _day_of(tok: str | None) -> int | None:
    if not tok:
        return None
    return int(tok.rstrip("stndrhSTNDRH"))


@lru_cache(maxsize=2048)
def _point(s: str, pub: _dt.date | None, year_hint: int | None = None) -> tuple[str | None, int | None, int | None]:
    """Parse a point ("February 2022", "24 Feb 2022", "November", "2024").

    Returns (iso, year, month); iso is None when the year is unknown (no year written, no
    hint, no publication date).
    """
    m = POINT_RE.match(s.strip().lower())
    if not m:
        return None, None, None
    year_s = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    mon = _month_of(m.group("m1") or m.group("m2"))
    day = _day_of(m.group("d1") or m.group("d2") or m.group("d3"))
    if year_s:
        year = int(year_s)
    elif year_hint is not None:
        year = year_hint
    elif pub is not None and mon is not None:
        year = pub.year if mon <= pub.month else pub.year - 1
    else:
        return None, None, mon
    if mon is None:
        return f"{year:04d}", year, None
    if day is not None:
        try:
            return _dt.date(year, mon, day).isoformat(), year, mon
        except ValueError:
            pass
    return _ym(year, mon), year, mon


def _year_ref(s: str, pub: _dt.date | None) -> int | None:
    s = s.lower()
    if s[:1].isdigit():
        return int(s)
    if pub is None:
        return None
    return pub.year - 1 if s.startswith("last") else pub.year


def _resolve(m: re.Match, pub: _dt.date | None) -> tuple[str | None, str | None]:
    """(start, end) ISO strings for a :data:`PERIOD_RE` match (on lower-cased text).

    Dispatches on ``m.lastgroup``: every alternative ends with its own named group."""
    kind = m.lastgroup or ""
    sfx = "_" if kind.endswith("_") else ""
    kind = kind.rstrip("_")
    g = m.group
    if kind == "pt" or kind == "they_pt":
        iso = _point(g(kind + sfx), pub)[0]
        return iso, iso
    if kind == "the_year":
        return (f"{pub.year:04d}", f"{pub.year:04d}") if pub else (None, None)
    if kind == "since_pt":
        return _point(g("since_pt"), pub)[0], None
    if kind == "rel_unit":
        if pub is None:
            return None, None
        last = g("rel_which" + sfx) == "last"
        if g("rel_unit" + sfx) == "year":
            y = f"{pub.year - (1 if last else 0):04d}"
            return y, y
        d = _shift_months(pub.replace(day=1), 1 if last else 0)
        return _ym(d.year, d.month), _ym(d.year, d.month)
    if kind == "since_year":
        if pub is None:
            return None, None
        return f"{pub.year - (1 if g('sy_which') == 'last' else 0):04d}", None
    if kind == "since_last":
        return (f"{pub.year - 1:04d}" if pub else None), None
    if kind == "since_vague":
        return None, None
    if kind == "b2":
        b2, y2, m2 = _point(g("b2"), pub)
        hint = None
        p1 = POINT_RE.match(g("b1"))
        if y2 is not None and p1 and not (p1.group("y1") or p1.group("y2") or p1.group("y3")
                                          or p1.group("y4")):
            m1 = _month_of(p1.group("m1") or p1.group("m2"))
            hint = y2 - 1 if (m1 and m2 and m1 > m2) else y2
        return _point(g("b1"), pub, hint)[0], b2
    if kind in ("sofar_unit", "earlier_unit"):
        if pub is None:
            return None, None
        if g(kind) == "year":
            return f"{pub.year:04d}", f"{pub.year:04d}"
        return _ym(pub.year, pub.month), _ym(pub.year, pub.month)
    if kind == "sofar_pt":
        iso = _point(g("sofar_pt"), pub)[0]
        return iso, iso
    if kind == "ytd":
        return (f"{pub.year:04d}", f"{pub.year:04d}") if pub else (None, None)
    if kind == "asof_pt":
        return None, _point(g("asof_pt"), pub)[0]
    if kind == "half_y":
        y = _year_ref(g("half_y" + sfx), pub)
        if y is None:
            return None, None
        n = _ORDINALS.get(g("half_ord" + sfx), 1)
        size = 6 if g("half_unit" + sfx) == "half" else 3
        n = min(n, 12 // size)
        return _ym(y, (n - 1) * size + 1), _ym(y, n * size)
    if kind == "firstn_y":
        y = _year_ref(g("firstn_y" + sfx), pub)
        n = _count(g("firstn_n" + sfx))
        if y is None or not 1 <= n <= 12:
            return None, None
        return _ym(y, 1), _ym(y, n)
    if kind == "past_unit":
        return _past(g("past_n" + sfx), g("past_unit" + sfx), pub)
    if kind == "hq_y":
        tag, y = g("hq_tag" + sfx), int(g("hq_y" + sfx))
        size = 6 if tag[0] == "h" else 3
        n = min(int(tag[1]), 12 // size)
        return _ym(y, (n - 1) * size + 1), _ym(y, n * size)
    if kind == "part_y":
        y = int(g("part_y" + sfx))
        a, b = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[g("part_w" + sfx)]
        return _ym(y, a), _ym(y, b)
    if kind == "dash2":
        return _dash(g("dash1" + sfx), g("dash2" + sfx), pub)
    return None, None


def _past(n_s: str | None, unit: str, pub: _dt.date | None) -> tuple[str | None, str | None]:
    """'the past N units' -> (publication - N units, publication), day precision."""
    if pub is None:
        return None, None
    n = _count(n_s)
    if unit == "hour":
        start = pub - _dt.timedelta(days=-(-n // 24))
    elif unit == "day":
        start = pub - _dt.timedelta(days=n)
    elif unit == "week":
        start = pub - _dt.timedelta(weeks=n)
    elif unit == "month":
        start = _shift_months(pub, n)
    else:
        start = _shift_months(pub, 12 * n * (10 if unit == "decade" else 1))
    return start.isoformat(), pub.isoformat()


def _dash(d1s: str, d2s: str, pub: _dt.date | None) -> tuple[str | None, str | None]:
    """'2022-2024', '2022-23', 'January-March 2024'."""
    if d1s[:1].isdigit():
        y1 = int(d1s)
        if len(d2s) == 2:
            y2 = (y1 // 100) * 100 + int(d2s)
        else:
            y2 = _point(d2s, pub)[1]
        if y2 is None or y2 <= y1:
            return None, None
        return f"{y1:04d}", _point(d2s, pub)[0] if len(d2s) != 2 else f"{y2:04d}"
    d2, y2, m2 = _point(d2s, pub)
    m1 = _month_of(d1s)
    if y2 is None or m1 is None:
        return None, d2
    return _ym(y2 - 1 if (m2 and m1 > m2) else y2, m1), d2


def _months_capitalised(text: str, s: int, e: int) -> bool:
    """Month names inside text[s:e] must be capitalised ("May", "MARCH"; not "may")."""
    for mm in MONTH_WORD_RE.finditer(text, s, e):
        if not mm.group(0)[0].isupper():
            return False
    return True


def _count_not_period(m: re.Match, low: str, e: int) -> bool:
    """True for "over 2000 people", "up to 1950 troops": a bare year-like number after an
    ambiguous preposition, followed by a content word, is a count, not a period."""
    pre = m.group("pre") or m.group("asof_pre")
    pt = m.group("pt") or m.group("asof_pt")
    if pre is None or pt is None or not pt.isdigit():
        return False
    if " ".join(pre.split()) not in _AMBIGUOUS_PRE:
        return False
    nw = _NEXT_WORD_RE.match(low, e, e + 30)
    return bool(nw) and nw.group(1) not in _FUNCTION_WORDS


# Every period expression contains one of these anchors (on lower-cased text): a text
# without any is skipped at once, and an expression is only tried where it could reach one.
ANCHOR_RE = re.compile(
    r"[^a-z0-9](?:since|year|month|week|day|hour|decade|19[0-9][0-9]|20[0-9][0-9]|jan|feb|mar"
    r"|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_REACH = 90         # no expression opens further than this before its first anchor
# where an expression can open: the character before a word that can start one (the
# leading character class lets the engine skip letters without trying the rest)
OPENER_RE = re.compile(
    r"[^a-z0-9\-](?=(?:in|during|throughout|for|over|within|since|between|from|so|earlier|year|as"
    r"|by|until|till|up|through|the|this|last|early|mid|late|jan(?:uary)?|feb(?:ruary)?"
    r"|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)(?![a-z])|[hq][1-4](?![a-z0-9])|19[0-9][0-9]|20[0-9][0-9])")


# --------------------------------------------------------------------------- public

def find_periods(text: str, start: int = 0, end: int | None = None, *,
                 published: str | None = None) -> list[Period]:
    """Period expressions inside ``text[start:end]``, in text order, never overlapping.

    Spans index the full ``text``. ``published`` (``YYYY-MM-DD``) resolves relative
    expressions; without it they come back with start/end None.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    seg = text[start:end]
    low = seg.lower()
    if len(low) != len(seg):                 # rare: lower() changed the length
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in seg)
    # one character of context before the region, for the lookbehinds ("mid-2024")
    prev = text[start - 1].lower() if start > 0 else " "
    low = (prev if len(prev) == 1 else " ") + low
    anchors = [m.start() + 1 for m in ANCHOR_RE.finditer(low)]
    if not anchors:
        return []
    off = start - 1
    pub = parse_published(published)
    out: list[Period] = []
    taken = 1
    match = PERIOD_RE.match
    k, n_anchors = 0, len(anchors)
    for o in OPENER_RE.finditer(low):
        s = o.start() + 1
        if s < taken:
            continue
        while k < n_anchors and anchors[k] < s:
            k += 1
        if k == n_anchors:
            break
        if anchors[k] - s > _REACH:
            continue
        m = match(low, s)
        if m is None:
            continue
        e = m.end()
        if not _months_capitalised(text, s + off, e + off) or _count_not_period(m, low, e):
            continue
        taken = e
        try:
            ps, pe = _resolve(m, pub)
        except (ValueError, OverflowError):
            ps, pe = None, None
        out.append(Period(text=text[s + off:e + off], start=ps, end=pe, span=(s + off, e + off)))
    return out

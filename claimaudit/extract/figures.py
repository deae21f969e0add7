"""Numeric figures in news text: value, qualifier, unit, what is counted, whose, when.

Pure functions, rule based, regexes precompiled at import. Entry point:
:func:`find_figures`. A figure is a number that counts or measures something
("nearly 1 million casualties", "$1.2bn", "45-50%"); years, dates, times, ordinals,
identifiers ("F-16", "COVID-19", "Article 5"), compound adjectives ("30-minute") and the
pronoun "one" are not figures.

Field conventions (:class:`claimaudit.models.Figure`):

* ``text``/``span``: the figure as written, qualifier (and any quotes around it), currency
  sign, unit and trailing "-plus"/"or more" included; ``number_span``: the number alone
  with its scale word ("1 million", "1.2bn"; for a range, first number to last number).
* ``value``: the number with its scale applied (``1.2bn`` -> 1.2e9); a percentage keeps
  its number (45% -> 45.0). For a range, the low end.
* ``low``/``high`` per qualifier (v = value):
  exact v..v; approx 0.9v..1.1v; nearly 0.9v..v; more_than and at_least v..None;
  less_than and at_most None..v; range low end..high end.
* ``unit``: percent | USD | GBP | EUR | RUB | UAH | km2 | km (a few other currencies:
  AUD, CAD, HKD, JPY, CNY) or None.
* ``metric``: what is counted, lowercased, at most five words ("tanks and armored
  vehicles", "soldiers killed"); ``subject``: whose ("Ukrainian", "Ukrainian forces",
  "Ukraine"); ``period``: a :class:`Period` from the same sentence, or None.
"""

from __future__ import annotations

import re
from typing import Optional

from claimaudit.extract.numbers import NUMBER_RE, has_scale, is_digits, number_value, scale_of
from claimaudit.extract.periods import find_periods
from claimaudit.models import Figure, Period, Span

__all__ = ["find_figures", "sentence_bounds"]

# --------------------------------------------------------------------------- qualifiers

_QUALIFIER_PHRASES: dict[str, tuple[str, ...]] = {
    "approx": ("about", "around", "approximately", "approx.", "approx", "roughly", "some",
               "an estimated", "estimated", "an approximate", "probably", "circa", "ca.",
               "around about", "somewhere around", "in the region of", "of the order of",
               "on the order of", "an average of", "on average"),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of", "just below",
               "shy of", "nearing", "approaching", "not quite", "just short of",
               "very nearly", "well-nigh"),
    "more_than": ("more than", "over", "well over", "just over", "above", "well above",
                  "just above", "in excess of", "well in excess of", "upwards of",
                  "upward of", "exceeding", "greater than", "higher than", "a little over",
                  "slightly over", "slightly more than", "far more than", "many more than",
                  "much more than", "well more than", "a little more than", "north of",
                  "beyond", "topping"),
    "at_least": ("at least", "no fewer than", "no less than", "not less than",
                 "not fewer than", "a minimum of", "at the very least", "a minimum"),
    "less_than": ("less than", "fewer than", "under", "below", "lower than", "well under",
                  "well below", "far fewer than", "far less than", "not even",
                  "less then", "fewer then"),
    "at_most": ("up to", "as many as", "at most", "a maximum of", "no more than",
                "not more than", "as much as", "as high as", "at the most", "a maximum"),
}
_QUALIFIER_OF: dict[str, str] = {}
for _q, _phrases in _QUALIFIER_PHRASES.items():
    for _p in _phrases:
        _QUALIFIER_OF[_p] = _q


def _phrase_re(p: str) -> str:
    return r"\s+".join(re.escape(w) for w in p.split())


_QUAL_ALT = "|".join(_phrase_re(p) for p in sorted(_QUALIFIER_OF, key=len, reverse=True))
# the qualifier right before the number (or its currency sign), quotes around it allowed:
# 'nearly 1 million', '“well over” 100,000'
QUAL_LEFT_RE = re.compile(
    rf"(?<![\w’'])(?P<oq>[“\"‘']\s?)?(?P<q>{_QUAL_ALT})(?![\w])(?P<cq>\s?[”\"’'])?\s+$", re.I)
CHANGE_LEFT_RE = re.compile(
    r"(?<![\w])(?:rose|risen|rises|rise|fell|fallen|falls|fall|dropped|drops|increased|increases"
    r"|decreased|decreases|climbed|climbs|jumped|jumps|declined|declines|grew|grows|gained|gains"
    r"|lost|loses|slipped|slips|slid|surged|soared|plunged|plummeted|cut|raised|lowered|up|down"
    r"|by)\s+(?:(?:US|A|C)?\$|£|€)?$", re.I)
BETWEEN_LEFT_RE = re.compile(r"(?<![\w])between\s+(?:(?:US|A|C)?\$|£|€)?\s?$", re.I)
RANGE_LEFT_RE = re.compile(r"(?<![\w])(?P<q>between|from)\s+$", re.I)
TRAIL_RE = re.compile(
    r"(?P<plus>\+(?![0-9])|[-‑]plus\b)|(?P<odd>[-‑]odd\b)"
    r"|\s+or\s+(?:(?P<ormore>more|above|over|higher|greater)|(?P<orless>less|fewer|under|below|lower)"
    r"|(?P<orso>so))\b", re.I)

# --------------------------------------------------------------------------- units

CURRENCY_LEFT_RE = re.compile(
    r"(?:(?<![A-Za-z])(?P<pre>US|U\.S\.|A|AU|C|CA|NZ|HK)?(?P<dollar>\$)"
    r"|(?P<sym>[£€₽₴¥])"
    r"|(?<![A-Za-z])(?P<code>USD|EUR|GBP|RUB|UAH|JPY|CNY)\s?)\s?$")
_CUR_SYMBOL = {"£": "GBP", "€": "EUR", "₽": "RUB", "₴": "UAH", "¥": "JPY"}
_DOLLAR_PREFIX = {"US": "USD", "U.S.": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD",
                  "NZ": "NZD", "HK": "HKD"}
UNIT_RE = re.compile(
    r"(?:\s?(?P<pct>%)"
    r"|\s+(?P<pct2>percentage\s+points?|percent(?:age)?\s+points?|per\s?cent|percent|pct)\b"
    r"|\s*(?P<km2>km2|km²|sq\.?\s?km|square\s+kilomet(?:re|er)s?)(?![A-Za-z0-9])"
    r"|\s*(?P<km>km|kilomet(?:re|er)s?)(?![A-Za-z0-9])"
    r"|\s+(?P<cur>(?:US\s+|U\.S\.\s+|American\s+)?dollars?|euros?|(?:Russian\s+)?(?:roubles?|rubles?)"
    r"|(?:Ukrainian\s+)?(?:hryvnias?|hryvnyas?|hryvnas?)|pounds\s+sterling|sterling"
    r"|USD|EUR|GBP|RUB|UAH)(?![A-Za-z])"
    r")", re.I)


def _unit_of(m: re.Match) -> str:
    if m.group("pct") or m.group("pct2"):
        return "percent"
    if m.group("km2"):
        return "km2"
    if m.group("km"):
        return "km"
    w = m.group("cur").lower()
    if "dollar" in w or w == "usd":
        return "USD"
    if w.startswith("euro") or w == "eur":
        return "EUR"
    if "rouble" in w or "ruble" in w or w == "rub":
        return "RUB"
    if "hryvn" in w or w == "uah":
        return "UAH"
    return "GBP"


# --------------------------------------------------------------------------- exclusions

_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
           r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|JANUARY|FEBRUARY|MARCH"
           r"|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)")
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MONTH_LEFT_RE = re.compile(rf"(?<![A-Za-z]){_MONTHS}\.?,?\s+(?:the\s+)?$")
MONTH_RIGHT_RE = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTHS}(?![a-z])")
# 2024-12-21, 21/12/2024, 12.21.2024, 10:30, 3 p.m., phone numbers
DATE_AT_RE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])|[0-9]{1,4}[/.][0-9]{1,2}[/.][0-9]{2,4}(?![0-9])")
TIME_RIGHT_RE = re.compile(r"\s?(?:[ap]\.?m\b\.?|o['’]clock\b|h(?:rs)?\s?(?:GMT|UTC|local)\b|\s?(?:GMT|UTC)\b)", re.I)
PHONE_RE = re.compile(
    r"(?:\+[0-9]{1,3}[\s.-]?)?(?:\([0-9]{2,4}\)\s?|[0-9]{2,4}[\s.-])[0-9]{3}[\s.-][0-9]{3,4}(?![0-9])"
    r"|\+[0-9]{6,}|[0-9]{3}-[0-9]{4}(?![0-9])")
LABEL_LEFT_RE = re.compile(
    r"(?<![\w])(?:(?-i:Article|Resolution|Section|Chapter|Paragraph|Clause|Amendment|Flight|Route"
    r"|Highway|Platform|Gate|Room|Page|Number|Level|Phase|Stage|Category|Class|Type|Model|Version"
    r"|Volume|Issue|Episode|Season|Part|Item|Decree|Protocol|Unit|Brigade|Division|Regiment"
    r"|Battalion|Corps|District|Block|Sector|Zone|Bus|Line|Channel|Grade|Tier|Row|Seat|Lot|Case"
    r"|Camp|Building|Floor|Exit|Terminal|Track|Act|Law|Bill|Day|Week|Group|Team|Army|Fleet"
    r"|Squadron|Code|Format|Series|Mark|Mk|Block|Vol|Pt|Art|Sec|Para|Fig|Figure|Table|Annex"
    r"|Appendix|Rule|Order|Directive|Regulation|Convention|Protocol|Point|Gen|Generation)"
    r"|article|articles|resolution|resolutions|paragraph|section|clause|chapter|page|pages"
    r"|flight|route|highway|room|no\.|nos\.|No|Nos|#|№)\.?\s*$", re.I)
# the time units that make "the past 24 hours" / "three days later" a duration, not a figure
TIME_UNIT_RIGHT_RE = re.compile(
    r"\s+(?:hours?|days?|weeks?|months?|years?|decades?|minutes?|seconds?|nights?)(?![\w-])"
    r"(?P<after>\s+(?:ago|later|earlier|before|after|old|from\s+now|prior|on|in\s+a\s+row|running))?",
    re.I)
TIME_UNIT_LEFT_RE = re.compile(
    r"(?<![\w])(?:past|last|next|previous|coming|following|first|within|in|for|after|over\s+the|"
    r"during\s+the|the\s+first|the\s+last|the\s+past|the\s+next|the\s+previous)\s+$", re.I)
COMPOUND_RIGHT_RE = re.compile(r"[-‑–](?P<w>[A-Za-z]+)")
_LOWER_WORD_RIGHT_RE = re.compile(r"\s+(?P<w>[a-z][a-z’'-]*)")
_PREV_WORD_RE = re.compile(r"(?P<w>[A-Za-z][A-Za-z’'.]*)(?P<sp>\s+)$")
RANGE_SEP_RE = re.compile(
    r"(?:\s*(?P<dash>[-–—])\s*|\s+(?P<word>to|and|through)\s+)"
    r"(?P<cur>US\$|\$|£|€)?")

_DETERMINERS_BEFORE_WORDNUM = frozenset("""
the these those its their his her our your my every each all both whose which any no first
last next other another per this that some of
""".split())
_DISTANCE_WORDS = frozenset("""
away long high deep wide tall from above below in of on the to and or at per north south east
west under off down up into inland offshore metres meters feet
""".split())
_SENTENCE_OPENERS = ".!?\n\"“‘(:;—"

# --------------------------------------------------------------------------- metric words

_STOP = frozenset("""
in on at from to for with by since during into over under across per after before against
between through throughout without within including among amid near toward towards via along
around about despite than as like until till up off out down onto upon beyond outside inside
or but while when where because if although though so that which who whom whose what whether
this these those the a an its their his her our my your
it they he she we you i them him us me
is are was were be been being have has had will would could can may might must should shall
do does did said says say according reported claimed stated added told noted explained remain
remained remains left make made compared suffered sustained incurred recorded saw see sees
also already still only just ago later earlier more less each respectively too even now then
here there yet again not no nor all both either neither such other another any some many much
few several most least very well far nearly almost about roughly approximately around
alone so-called total estimated counted put tallied calculated assessed believed thought
died fled went came stayed got gave given take takes took
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion trillion dozen half quarter
""".split())
_PARTICIPLES = frozenset("""
killed wounded injured dead captured destroyed damaged displaced detained arrested missing
evacuated deported abducted downed intercepted shot lost taken freed released exchanged
returned mobilized mobilised recruited deployed affected held liberated seized occupied
sold delivered supplied pledged allocated approved spent fired launched
""".split())
_HEAD_NOUNS = frozenset("""
people men women children personnel troops staff police civilians soldiers
""".split())
_GENERIC_METRICS = frozenset(("people", "persons", "individuals", "men"))
_EMPTY_HEADS = frozenset("""
total number figure figures sum tally estimate estimates count maximum minimum average amount
level value record high low rate
""".split())
_PREPOSITIONS = frozenset("""
in on at from for with by since during into over under across per after before against
between through throughout without within including among amid near toward towards via along
around despite until till
""".split())
_PRONOUNS = frozenset("""
he she it they we i you this that these those there who which his her their its our
""".split())
_DEMONYM_EXTRA = frozenset("""
US U.S. UK U.K. EU NATO Western Allied Soviet Greek Thai Swiss Dutch French Welsh Irish Arab
Houthi Hamas Hezbollah Wagner Kremlin Kurdish Chechen Belarusian Ukrainian Russian
""".split())
_DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:ian|ean|an|ese|ish|i|ic|ch)$")
_NOT_DEMONYM = frozenset("""
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ocean Oman Iran Japan Sudan Taiwan
Pakistan Afghanistan Kazakhstan Uzbekistan Azerbaijan Jordan Vatican Yemen Human Urban
Christian Republican Democratic Public Catholic Atlantic Pacific Arctic Baltic Islamic
Mosaic Italic Civic Metropolitan Brahmin Iskander Kinzhal Kalibr Oreshnik Patriot Abrams
Leopard Bradley Stinger Javelin Harpoon Storm Shadow Taurus Scalp Himars HIMARS
""".split())

_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z’'.-]*[A-Za-z]|[A-Za-z]|[0-9][0-9,.]*|[^\sA-Za-z0-9]")

# verbs that put the counted thing before the number: "losses amounted to 975,100"
COPULA_LEFT_RE = re.compile(
    r"(?<![\w])(?:(?:has|have|had)\s+(?:now\s+|already\s+|reportedly\s+)?(?:been\s+)?)?"
    r"(?:now\s+|already\s+|reportedly\s+)?"
    r"(?:amounted\s+to|amounts?\s+to|totall?ed|totals|reached|reaches|rose\s+to|risen\s+to"
    r"|rises\s+to|climbed\s+to|jumped\s+to|increased\s+to|grew\s+to|grown\s+to|stood\s+at"
    r"|stands\s+at|stand\s+at|fell\s+to|fallen\s+to|dropped\s+to|declined\s+to|decreased\s+to"
    r"|exceeded|exceeds|surpassed|topped|hit|numbered|numbers|was|were|is|are|at|estimated\s+at"
    r"|put\s+at|placed\s+at|came\s+to|comes\s+to|reached\s+a\s+total\s+of)"
    r"\s+(?:a\s+total\s+of\s+|an?\s+(?:record|staggering|estimated)\s+)?$", re.I)
# verbs that put the whose before the number: "Ukraine has lost about 20,000 tanks"
SUBJECT_VERB_LEFT_RE = re.compile(
    r"(?<![\w])(?:(?:has|have|had|has\s+now|have\s+now)\s+)?"
    r"(?:also\s+|already\s+|reportedly\s+|now\s+|so\s+far\s+)?"
    r"(?:suffered|lost|sustained|incurred|recorded|lose|loses|losing|suffers|suffering|sustains"
    r"|incurs|had|has|have|fielded|deployed|mobilized|mobilised)"
    r"\s+(?:a\s+total\s+of\s+|an?\s+estimated\s+|some\s+)?$", re.I)
OF_LEFT_RE = re.compile(r"(?<![\w’'-])((?:[\w’'.-]+\s+){0,3}[\w’'-]+)\s+of\s+$")
POSSESSIVE_LEFT_RE = re.compile(r"(?<![\w])((?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*)(?:['’]s|s['’])\s+$")

# --------------------------------------------------------------------------- sentences

_SENT_END_RE = re.compile(r"[.!?]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]*[A-Z0-9])|\n[ \t\r\f\v]*\n")
_ABBREV_BEFORE_RE = re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z.]{0,6})\.$")
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev st jr sr messrs
pres vs etc inc corp co ltd dept univ no nos fig approx est
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u a.m p.m i.e e.g d.c
""".split())
_WINDOW = 600


def _is_boundary(text: str, m: re.Match) -> bool:
    s = m.start()
    if text[s] == "\n" or text[s] != "." or (m.group(0).count(".") > 1):
        return True
    a = _ABBREV_BEFORE_RE.search(text, max(0, s - 8), s + 1)
    if not a:
        return True
    word = a.group(1).lower().rstrip(".")
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def sentence_bounds(text: str, pos: int, lo: int = 0, hi: int | None = None) -> Span:
    """The sentence around ``pos``: (start, end) offsets, searched at most 600 characters
    each way and never outside ``lo``..``hi``. Ends at ``.!?`` (+ closing quotes) before a
    capital or digit, unless an abbreviation ("Gen.", "Dec.", "U.S."), or at a blank line."""
    hi = len(text) if hi is None else hi
    s = max(lo, pos - _WINDOW)
    for m in _SENT_END_RE.finditer(text, s, pos):
        if _is_boundary(text, m):
            s = m.end()
    e = min(hi, pos + _WINDOW)
    for m in _SENT_END_RE.finditer(text, pos, e):
        if _is_boundary(text, m):
            e = m.start() + len(m.group(0).rstrip())
            break
    return s, max(s, e)


# --------------------------------------------------------------------------- helpers

def _prev_char(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _is_sentence_start(text: str, i: int) -> bool:
    """True when only whitespace separates ``i`` from the text start or a sentence opener."""
    j = i - 1
    while j >= 0 and text[j] in " \t\r":
        j -= 1
    return j < 0 or text[j] in _SENTENCE_OPENERS


def _left_ok(text: str, s: int, digits: bool) -> bool:
    """Reject numbers glued to what comes before: G7, MH17, COVID-19, F-16, 1.2.3, #5."""
    c = _prev_char(text, s)
    if not c:
        return True
    if c.isalnum() or c in "_#№@/\\:=&":
        return False
    if c in "-‑.,":
        c2 = _prev_char(text, s - 1)
        if c2.isalnum() or c2 in "_":
            return False
    if c in "’'" and digits:
        c2 = _prev_char(text, s - 1)
        if not c2 or c2.isspace() or c2.isalnum():
            return False  # '90s, rock'n'roll
    return True


def _round(x: float) -> float:
    r = round(x, 6)
    return r


def _bounds(q: str, v: float, hi: Optional[float] = None) -> tuple[Optional[float], Optional[float]]:
    if q == "exact":
        return v, v
    if q == "approx":
        return min(v, _round(v * 0.9)), max(v, _round(v * 1.1))
    if q == "nearly":
        return min(v, _round(v * 0.9)), v
    if q in ("more_than", "at_least"):
        return v, None
    if q in ("less_than", "at_most"):
        return None, v
    return v, hi  # range


def _is_demonym(w: str) -> bool:
    if w in _DEMONYM_EXTRA:
        return True
    return w not in _NOT_DEMONYM and bool(_DEMONYM_RE.match(w))


def _tokens(text: str, s: int, e: int) -> list[str]:
    return _TOKEN_RE.findall(text, s, e)


def _clean_possessive(w: str) -> str:
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf):
            return w[: -len(suf)]
    return w


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


# --------------------------------------------------------------------------- metric/subject

def _right_metric(text: str, fe: int, se: int) -> tuple[Optional[str], Optional[str]]:
    """What follows the figure: '975,100 Ukrainian casualties' -> ('casualties', 'Ukrainian');
    'casualties of Ukrainian forces' -> ('casualties', 'Ukrainian forces')."""
    toks = _tokens(text, fe, min(se, fe + 120))
    subject: Optional[str] = None
    metric: list[str] = []
    i, n = 0, len(toks)
    # nationality adjectives right after the number
    run: list[str] = []
    while i + len(run) < n and _is_cap(toks[i + len(run)]) and toks[i + len(run)][0].isalpha():
        run.append(toks[i + len(run)])
        if len(run) == 3:
            break
    if run and _is_demonym(_clean_possessive(run[-1])) and i + len(run) < n:
        nxt = toks[i + len(run)]
        if nxt[:1].islower():
            subject = " ".join(run)
            i += len(run)
    while i < n and len(metric) < 5:
        t = toks[i]
        if not t[0].isalpha():
            break
        tl = t.lower()
        if _is_cap(t) and metric:
            break
        if _is_cap(t) and not metric:
            # a capitalised name used as a noun modifier: "300 Patriot missiles"
            if i + 1 < n and toks[i + 1][:1].islower() and toks[i + 1].lower() not in _STOP:
                metric.append(tl)
                i += 1
                continue
            break
        if tl in _PARTICIPLES and metric:
            metric.append(tl)
            break
        if tl == "and":
            if metric and i + 1 < n and toks[i + 1][:1].islower() and toks[i + 1] not in _STOP \
                    and len(metric) < 4:
                metric.append(tl)
                i += 1
                continue
            break
        if tl == "of":
            j = i + 1
            while j < n and toks[j].lower() in ("the", "its", "their", "his", "her", "all"):
                j += 1
            if j < n and _is_cap(toks[j]) and toks[j][0].isalpha():
                if metric and subject is None:
                    subject = _of_subject(toks, j)
                break
            if j < n and toks[j][:1].islower() and toks[j].lower() not in _STOP:
                if not metric:
                    i = j
                    continue
                metric.append(tl)
                i = j
                continue
            break
        if tl in _STOP:
            break
        if tl.endswith("ed") and not (i + 1 < n and toks[i + 1][:1].islower()
                                      and toks[i + 1].lower() not in _STOP
                                      and toks[i + 1].lower() != "and"):
            break
        if metric and _is_head(metric[-1]) and metric[-1] != "of":
            break
        metric.append(tl)
        i += 1
    while metric and metric[-1] in ("and", "of"):
        metric.pop()
    return (" ".join(metric) or None), subject


def _is_head(w: str) -> bool:
    """A plural noun usually ends the counted phrase: the next word is a verb."""
    if w in _HEAD_NOUNS:
        return True
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _of_subject(toks: list[str], j: int) -> Optional[str]:
    """'of Ukrainian forces' -> 'Ukrainian forces'; 'of Kyiv' -> 'Kyiv'."""
    out: list[str] = []
    n = len(toks)
    while j < n and len(out) < 4 and _is_cap(toks[j]) and toks[j][0].isalpha():
        out.append(toks[j])
        j += 1
    k = 0
    while j < n and k < 2 and toks[j][:1].islower() and toks[j].lower() not in _STOP \
            and toks[j].lower() not in _PARTICIPLES:
        out.append(toks[j])
        j += 1
        k += 1
    if not out or out[0].lower() in _PRONOUNS:
        return None
    return " ".join(out)


_DETS = frozenset("the a an its their his her this these those our my your".split())


def _np_before(text: str, s: int, e: int) -> list[tuple[str, int]]:
    """The noun phrase that ends right before ``e`` (skipping trailing prepositional phrases):
    'Ukraine's losses since the start of the war in 2022' -> ['Ukraine's', 'losses'].
    Returns (word, offset) pairs."""
    toks = [(m.group(0), m.start()) for m in _TOKEN_RE.finditer(text, s, e)]
    out: list[tuple[str, int]] = []
    j = len(toks) - 1
    steps = 0
    while j >= 0 and steps < 24:
        steps += 1
        t = toks[j][0]
        tl = t.lower()
        if not t[0].isalnum():
            if t in "’'":
                j -= 1
                continue
            break
        if tl in _PREPOSITIONS:
            out = []          # that was a prepositional phrase: keep looking
            j -= 1
            continue
        if tl in _DETS:
            k = j - 1
            while k >= 0 and toks[k][0].lower() in _DETS:
                k -= 1
            if k >= 0 and toks[k][0].lower() in _PREPOSITIONS:
                out = []      # "... since the invasion": skip the whole phrase
                j = k - 1
                continue
            if k >= 0 and toks[k][0].lower() == "of" and out:
                out.append(toks[j])
                j -= 1
                continue
            break
        if tl in _STOP or tl in _PRONOUNS:
            break
        out.append(toks[j])
        j -= 1
    out.reverse()
    return [(w, p) for w, p in out if w.lower() not in _DETS]


def _split_np(text: str, words: list[tuple[str, int]]) -> tuple[Optional[str], Optional[str]]:
    """['Ukraine's', 'total', 'losses'] -> ('total losses', 'Ukraine');
    ['losses', 'of', 'Ukrainian', 'forces'] -> ('losses', 'Ukrainian forces')."""
    lows = [w.lower() for w, _ in words]
    if "of" in lows:
        k = lows.index("of")
        if k and lows[k - 1] in _EMPTY_HEADS:
            words, lows = words[k + 1:], lows[k + 1:]   # the number of X -> X
        elif k + 1 < len(words) and _is_cap(words[k + 1][0]):
            subj = " ".join(w for w, _ in words[k + 1:k + 5])
            metric, subject = _split_np(text, words[:k])
            return metric, subject or subj
    subject: list[str] = []
    metric: list[str] = []
    for w, pos in words:
        if w[0].isdigit():
            continue
        base = _clean_possessive(w)
        if base != w and _is_cap(w):
            subject = [base]
            metric = []
            continue
        if _is_cap(w) and not metric and (_is_demonym(w) or not _is_sentence_start(text, pos)):
            subject.append(w)
            continue
        metric.append(w.lower())
    while metric and metric[0] in ("of", "and"):
        metric.pop(0)
    while metric and metric[-1] in ("of", "and"):
        metric.pop()
    if metric and all(m in _EMPTY_HEADS for m in metric):
        metric = []
    return (" ".join(metric[-5:]) or None), (" ".join(subject) or None)


def _left_metric(text: str, fs: int, ss: int) -> tuple[Optional[str], Optional[str]]:
    """What comes before the figure: 'losses of 975,100', 'the death toll rose to 300'."""
    lo = max(ss, fs - 160)
    m = OF_LEFT_RE.search(text, max(lo, fs - 80), fs)
    if m:
        words = _np_before(text, m.start(1), m.end(1))
        if words and words[-1][0].lower() not in _EMPTY_HEADS:
            metric, subject = _split_np(text, words)
            if metric:
                return metric, subject
    m = COPULA_LEFT_RE.search(text, max(lo, fs - 60), fs)
    if m:
        words = _np_before(text, lo, m.start())
        if words:
            return _split_np(text, words)
    return None, None


def _verb_subject(text: str, fs: int, ss: int) -> Optional[str]:
    """'Ukrainian forces have suffered nearly 1 million' -> 'Ukrainian forces'."""
    m = SUBJECT_VERB_LEFT_RE.search(text, max(ss, fs - 60), fs)
    if not m:
        return None
    words = [w for w, _ in _np_before(text, max(ss, m.start() - 80), m.start())]
    while words and not _is_cap(words[0]):
        words.pop(0)
    if not words or words[0].lower() in _PRONOUNS:
        return None
    if len(words) > 5:
        words = words[-5:]
        while words and not _is_cap(words[0]):
            words.pop(0)
    return " ".join(words) or None


def _possessive_subject(text: str, fs: int, ss: int) -> Optional[str]:
    m = POSSESSIVE_LEFT_RE.search(text, max(ss, fs - 50), fs)
    if m and m.group(1).lower() not in _PRONOUNS:
        return m.group(1)
    return None


# --------------------------------------------------------------------------- core scan

class _Cand:
    __slots__ = ("s", "e", "ns", "ne", "value", "high", "q", "unit")

    def __init__(self, s, e, ns, ne, value, high, q, unit):
        self.s, self.e, self.ns, self.ne = s, e, ns, ne
        self.value, self.high, self.q, self.unit = value, high, q, unit


def _currency_before(text: str, s: int, lo: int) -> tuple[int, Optional[str]]:
    c = _prev_char(text, s)
    if not c or not (c in "$£€₽₴¥ " or c.isupper()):
        return s, None
    m = CURRENCY_LEFT_RE.search(text, max(lo, s - 6), s)
    if not m:
        return s, None
    if m.group("dollar"):
        return m.start(), _DOLLAR_PREFIX.get(m.group("pre") or "US", "USD")
    if m.group("sym"):
        return m.start(), _CUR_SYMBOL[m.group("sym")]
    return m.start(), m.group("code").upper()


def _unit_after(text: str, e: int, hi: int) -> tuple[int, Optional[str]]:
    m = UNIT_RE.match(text, e, hi)
    if m:
        return m.end(), _unit_of(m)
    return e, None


def _year_like(m: re.Match) -> bool:
    d = m.group("dig")
    return (d is not None and len(d) == 4 and d.isdigit() and 1900 <= int(d) <= 2100
            and not has_scale(m))


def _number_ok(text: str, m: re.Match, lo: int, hi: int, currency: Optional[str]) -> bool:
    """Context rules for one number (before units and ranges are looked at)."""
    s, e = m.span()
    digits = is_digits(m)
    if not _left_ok(text, s, digits):
        return False
    nxt = text[e:e + 1]
    if digits:
        if nxt and (nxt.isalpha() or nxt == "_") and not has_scale(m):
            if not UNIT_RE.match(text, e, hi):
                return False   # 3rd, 4G, 17th, 10x
        if nxt in ".,/:" and text[e + 1:e + 2].isdigit():
            return False       # 1.2.3, 1,23, 12/21, 10:30
        d = m.group("dig")
        if len(d) > 1 and d[0] == "0" and d[1] != ".":
            return False       # 007, 0143
        if len(d.replace(",", "").split(".")[0]) > 15:
            return False
        if "," not in d and "." not in d and len(d) >= 8 and not has_scale(m):
            return False       # ids, phone numbers
        abbr = (m.group("abbr") or "").lower()
        if abbr in ("m", "b") and not currency and "." not in d:
            w = _LOWER_WORD_RIGHT_RE.match(text, e, hi)
            pw = _PREV_WORD_RE.search(text, max(lo, s - 6), s)
            if abbr == "b" or not w or w.group("w") in _DISTANCE_WORDS or \
                    (pw and pw.group("w").lower() in ("a", "an")):
                return False   # 100m (metres), a 5m wall, 5b
        if not currency and not has_scale(m):
            if MONTH_LEFT_RE.search(text, max(lo, s - 12), s) and len(d) <= 2:
                return False   # December 18, Dec. 18
            if len(d) <= 2 and MONTH_RIGHT_RE.match(text, e, hi):
                return False   # 18 December, 21st of December
            if TIME_RIGHT_RE.match(text, e, hi):
                return False   # 3 p.m., 1500 GMT
            if LABEL_LEFT_RE.search(text, max(lo, s - 14), s):
                return False   # Article 5, Resolution 2231, No. 10
    else:
        if _is_cap(m.group(0)) and not _is_sentence_start(text, s):
            return False       # Formula One, Ocean's Eleven, Group of Seven
        pw = _PREV_WORD_RE.search(text, max(lo, s - 20), s)
        if pw and pw.group("w").lower() in _DETERMINERS_BEFORE_WORDNUM and len(pw.group("sp")) <= 2:
            return False       # the two countries, all three
        wrd = m.group("wrd")
        if wrd is not None and not m.group("wscale") and wrd.lower() in ("one",):
            return False       # one of the, no one, one was ...
    return True


def _compound_after(text: str, e: int) -> Optional[str]:
    """'30-minute' -> 'minute'; 'two-day' -> 'day'; None if no hyphenated word follows."""
    m = COMPOUND_RIGHT_RE.match(text, e)
    return m.group("w").lower() if m else None


def _scan(text: str, lo: int, hi: int) -> list[_Cand]:
    out: list[_Cand] = []
    pos = lo
    search = NUMBER_RE.search
    while True:
        m = search(text, pos, hi)
        if m is None:
            break
        s, e = m.span()
        pos = e
        if s == e:
            pos = e + 1
            continue
        if is_digits(m):
            # dates, phone numbers: skip the whole thing
            d = DATE_AT_RE.match(text, s, hi)
            if d and _left_ok(text, s, True):
                pos = d.end()
                continue
            ps = s - 1 if _prev_char(text, s) in "+(" else s
            p = PHONE_RE.match(text, ps, hi)
            if p and p.end() > e:
                pos = p.end()
                continue
        left, currency = _currency_before(text, s, lo)
        if not _number_ok(text, m, lo, hi, currency):
            continue
        c = _candidate(text, m, left, currency, lo, hi)
        if c is None:
            continue
        if isinstance(c, int):
            pos = max(pos, c)
            continue
        out.append(c)
        pos = max(pos, c.e)
    return out


def _candidate(text: str, m: re.Match, left: int, currency: Optional[str], lo: int, hi: int):
    """Build a figure candidate around a number match; None to reject it, or an int: the
    position to resume scanning at after rejecting a whole stretch (a score, a year range)."""
    s, e = m.span()
    value = number_value(m)
    comp = _compound_after(text, e)
    unit_end, unit = _unit_after(text, e, hi)
    if unit is None and comp is not None and comp not in ("plus", "odd"):
        return None            # 30-minute, two-day, 10-year-old, five-year
    if unit and (comp := _compound_after(text, unit_end)) and comp not in ("plus", "odd") \
            and unit in ("km", "km2"):
        return None            # a 50-km zone
    unit = currency or unit
    # ---- a range: 25-30, 25 to 30, between 25 and 30, 45-50%, $10-20 million
    rng = _range_after(text, m, unit_end, currency, unit, lo, hi)
    if isinstance(rng, int):
        return rng
    if rng is not None:
        m2, ns2_end, end2, unit2, value2, value1 = rng
        value = value1
        q_range = True
        ne = m2.end()
        e_all = end2
        unit = unit or unit2
        if unit2 and currency is None:
            unit = unit2
    else:
        q_range = False
        ne = e
        e_all = unit_end
        value2 = None
        # years standing alone: in 2024, since 2022, 2024's
        if _year_like(m) and unit is None:
            if not (QUAL_LEFT_RE.search(text, max(lo, left - 40), left)
                    and _LOWER_WORD_RIGHT_RE.match(text, e, hi)
                    and _LOWER_WORD_RIGHT_RE.match(text, e, hi).group("w") not in _STOP):
                return None
        # durations: the past 24 hours, three days later, for 30 years
        if unit is None and not has_scale(m):
            t = TIME_UNIT_RIGHT_RE.match(text, e, hi)
            if t and (t.group("after") or TIME_UNIT_LEFT_RE.search(text, max(lo, left - 20), left)):
                return None
    # ---- qualifier before
    q = "range" if q_range else "exact"
    fs = left
    ql = QUAL_LEFT_RE.search(text, max(lo, left - 40), left)
    if q_range:
        rl = RANGE_LEFT_RE.search(text, max(lo, left - 10), left)
        if rl:
            fs = rl.start()
            ql = QUAL_LEFT_RE.search(text, max(lo, fs - 40), fs)
        if ql:
            fs = ql.start()
    elif ql:
        q = _QUALIFIER_OF[" ".join(ql.group("q").lower().split())]
        fs = ql.start()
    # ---- qualifier after: 20,000-plus, 100+, 5,000 or more
    if not q_range:
        t = TRAIL_RE.match(text, e_all, hi)
        if t:
            if q == "exact":
                if t.group("plus"):
                    q = "more_than"
                elif t.group("odd") or t.group("orso") is not None:
                    q = "approx"
                elif t.group("ormore"):
                    q = "at_least"
                elif t.group("orless"):
                    q = "at_most"
            e_all = t.end()
    low, high = _bounds(q, value, value2)
    return _Cand(fs, e_all, s, ne, value, high, q, unit) if low is not None or q != "range" \
        else None


def _range_after(text: str, m: re.Match, unit_end: int, currency, unit, lo: int, hi: int):
    """The second half of a range, or None; an int (resume position) to drop both numbers."""
    sep = RANGE_SEP_RE.match(text, unit_end, hi)
    if not sep:
        return None
    word = (sep.group("word") or "").lower()
    if word == "to" and CHANGE_LEFT_RE.search(text, max(lo, m.start() - 30), m.start()):
        return None            # fell 5 points to 40%: a change and a level, not a range
    if word == "and" and not BETWEEN_LEFT_RE.search(text, max(lo, m.start() - 16), m.start()):
        return None
    m2 = NUMBER_RE.match(text, sep.end(), hi)
    if not m2 or m2.start() == m2.end():
        return None
    if not is_digits(m2) and is_digits(m) and not sep.group("word"):
        return None
    wrd2 = m2.group("wrd")
    if wrd2 is not None and wrd2.lower() == "one" and not m2.group("wscale"):
        return None
    e2 = m2.end()
    n2 = text[e2:e2 + 1]
    if is_digits(m2) and n2 and (n2.isalpha() and not has_scale(m2) and not UNIT_RE.match(text, e2, hi)):
        return None
    if _compound_after(text, e2):
        # 5-10-year sentences, 2-3-day: a compound adjective, not a figure
        comp = _compound_after(text, e2)
        if comp not in ("plus", "odd"):
            return e2
    end2, unit2 = _unit_after(text, e2, hi)
    dash = sep.group("dash") is not None
    if _year_like(m) and (_year_like(m2) or (is_digits(m2) and len(m2.group("dig")) == 2)) \
            and not unit and not unit2:
        return end2 if dash else None     # 2022-2024, 2022-23 (from 2022 to 2024: periods)
    if unit and unit2 and unit != unit2 and not currency:
        return None
    if unit in ("percent", "km", "km2") and not unit2 and not currency:
        return None
    if sep.group("cur") and not currency:
        return None
    v1 = number_value(m)
    v2 = number_value(m2)
    if has_scale(m2) and not has_scale(m):
        sc2 = scale_of(m2)
        if v1 < v2 / sc2:
            v1 = v1 * sc2      # 5 to 10 million, $10-20bn
    if not v2 > v1:
        # 3-1 (a score), 10-5: not a range; with a dash drop both numbers
        return e2 if dash else None
    if MONTH_RIGHT_RE.match(text, e2, hi) and is_digits(m2) and len(m2.group("dig")) <= 2:
        return end2        # 18-19 December
    return m2, e2, end2, unit2, v2, v1


# --------------------------------------------------------------------------- public

def find_figures(text: str, start: int = 0, end: int | None = None, *,
                 published: str | None = None) -> list[Figure]:
    """Every numeric figure inside ``text[start:end]``, in text order.

    Spans index the full ``text`` (``text[f.span[0]:f.span[1]] == f.text``).
    ``published`` (``YYYY-MM-DD``) resolves relative periods such as "this year".
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    cands = _scan(text, start, end)
    if not cands:
        return []
    out: list[Figure] = []
    sent: Span = (-1, -1)
    periods: list[Period] = []
    for c in cands:
        if not (sent[0] <= c.s < sent[1]):
            sent = sentence_bounds(text, c.s, 0, len(text))
            if not (sent[0] <= c.s < sent[1]):
                sent = (c.s, max(c.e, sent[1]))
            periods = find_periods(text, sent[0], sent[1], published=published)
        ss, se = sent
        metric, subject = _right_metric(text, c.e, max(se, c.e))
        if metric is None or metric in _GENERIC_METRICS or subject is None:
            lm, ls = _left_metric(text, c.s, ss)
            if lm and (metric is None or metric in _GENERIC_METRICS):
                metric = lm
            if subject is None and ls:
                subject = ls
        if subject is None:
            subject = _possessive_subject(text, c.s, ss) or _verb_subject(text, c.s, ss)
        if c.unit in ("USD", "EUR", "GBP", "RUB", "UAH") and metric in ("dollars", "euros"):
            metric = None
        low, high = _bounds(c.q, c.value, c.high)
        out.append(Figure(
            text=text[c.s:c.e], span=(c.s, c.e), value=c.value, low=low, high=high,
            qualifier=c.q, unit=c.unit, metric=metric, subject=subject,
            period=_pick_period(text, periods, c), number_span=(c.ns, c.ne)))
    return out


_CLAUSE_BREAK_RE = re.compile(r"[;:]|\s[—–-]\s|,\s+(?:and|but|while|whereas)\s")


def _pick_period(text: str, periods: list[Period], c: _Cand) -> Optional[Period]:
    """The period after the figure in the same clause, else the nearest in the sentence."""
    best: Optional[Period] = None
    best_d = None
    for p in periods:
        ps, pe = p.span
        if ps < c.e and pe > c.s:
            continue
        if ps >= c.e and not _CLAUSE_BREAK_RE.search(text, c.e, ps):
            return _copy_period(p)
        d = ps - c.e if ps >= c.e else c.s - pe
        if best_d is None or d < best_d:
            best, best_d = p, d
    return _copy_period(best) if best else None


def _copy_period(p: Period) -> Period:
    return Period(text=p.text, start=p.start, end=p.end, span=p.span, carried=p.carried)

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
  vehicles", "soldiers killed and wounded"), from the words after the number, else from a
  noun before it ("losses of 975,100", "the death toll rose to 300"); ``subject``: whose
  ("Ukrainian", "Ukrainian forces", "Ukraine"), from a nationality adjective, "of X", a
  possessive, or the subject of lost/suffered/sustained/had; None when unclear.
* ``period``: a copy of a :class:`Period` from the same sentence (the one right after the
  figure in its clause, else the one right before it in its clause, else the nearer), or
  None.
* Regions: figures are those whose number starts inside ``text[start:end]``; a qualifier
  or currency sign before ``start`` is left out, while the number's scale word, unit and
  trailing "-plus" may run past ``end`` (a region never cuts "5 million" into "5").
  Sentences, metric, subject and period may use text outside the region.

Not figures: years 1900-2100 (unless with a unit, a currency, or a qualifier and a noun:
"about 2000 people"), dates, times, ordinals, hyphenated compounds ("30-minute",
"two-day"), glued identifiers ("F-16", "G7", "MH17", "P5+1"), labels ("Article 5",
"Resolution 2231", "No. 10", "World War 2"), phone numbers, scores ("3-1"), durations
("the past 24 hours", "three days later"), "one" without a scale word, spelled-out numbers
after a determiner ("the two leaders") or capitalised mid-sentence ("Formula One"), and
vague plurals ("hundreds of", "thousands of").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from claimaudit.extract.numbers import NUMBER_LOWER_RE, has_scale, number_value, scale_of
from claimaudit.extract.periods import find_periods
from claimaudit.models import Figure, Period, Span

__all__ = ["find_figures", "sentence_bounds"]

# --------------------------------------------------------------------------- qualifiers

_QUALIFIER_PHRASES: dict[str, tuple[str, ...]] = {
    "approx": ("about", "around", "approximately", "approx.", "approx", "roughly", "some",
               "an estimated", "estimated", "an approximate", "probably", "circa", "ca.",
               "around about", "somewhere around", "in the region of", "of the order of",
               "on the order of", "an average of", "on average", "more or less"),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of", "just below",
               "shy of", "nearing", "approaching", "not quite", "just short of",
               "very nearly", "well-nigh", "slightly less than", "a little less than",
               "slightly fewer than", "a little under", "slightly under", "just less than",
               "just fewer than", "slightly below", "approached", "approaches", "neared",
               "nears"),
    "more_than": ("more than", "over", "well over", "just over", "above", "well above",
                  "just above", "in excess of", "well in excess of", "upwards of",
                  "upward of", "exceeding", "greater than", "higher than", "a little over",
                  "slightly over", "slightly more than", "far more than", "many more than",
                  "much more than", "well more than", "a little more than", "north of",
                  "beyond", "topping", "slightly above", "a bit more than", "a bit over",
                  # verbs of passing a number: "surpassed 100,000", "exceeds 1,000"
                  "surpassed", "surpasses", "surpassing", "surpass", "exceeded", "exceeds",
                  "exceed", "topped", "tops", "eclipsed", "eclipses", "breached", "breaches",
                  "crossed", "crosses", "outstripped", "outstrips"),
    "at_least": ("at least", "no fewer than", "no less than", "not less than",
                 "not fewer than", "a minimum of", "at the very least", "a minimum"),
    "less_than": ("less than", "fewer than", "under", "below", "lower than", "well under",
                  "well below", "far fewer than", "far less than", "not even",
                  "less then", "fewer then", "fell short of", "falls short of",
                 "fall short of", "falling short of", "fallen short of"),
    "at_most": ("up to", "as many as", "at most", "a maximum of", "no more than",
                "not more than", "as much as", "as high as", "at the most", "a maximum"),
}

_QUALIFIER_OF: dict[str, str] = {}
for _q, _phrases in _QUALIFIER_PHRASES.items():
    for _p in _phrases:
        _QUALIFIER_OF[_p] = _q
_QUAL_MAX_WORDS = max(len(p.split()) for p in _QUALIFIER_OF)
# qualifiers that are verbs: the counted thing is their subject ("claims surpassed 12,000")
_VERB_QUALIFIERS = frozenset("""
surpassed surpasses surpassing surpass exceeded exceeds exceed exceeding topped tops topping
eclipsed eclipses breached breaches crossed crosses outstripped outstrips approached
approaches approaching neared nears nearing
""".split())
# "passed the 50,000 mark": verbs of passing a landmark number
_MARK_VERBS = _VERB_QUALIFIERS | frozenset("""
passed passes passing crossed crosses crossing broke breaks breaking broken
""".split())
# the landmark nouns after such a number (matched on lower-cased text after the number)
_MARK_RE = re.compile(r"[ \t]+(?:mark|threshold|milestone|barrier)(?![a-z])")
_MARK_NOUNS = frozenset(("mark", "threshold", "milestone", "barrier"))
_OPEN_QUOTES = "“\"‘'«"
_CLOSE_QUOTES = "”\"’'»"
_OPENERS = "([" + _OPEN_QUOTES

# --------------------------------------------------------------------------- units

_CUR_SYMBOL = {"£": "GBP", "€": "EUR", "₽": "RUB", "₴": "UAH", "¥": "JPY"}
_DOLLAR_PREFIX = {"US": "USD", "U.S.": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD",
                  "NZ": "NZD", "HK": "HKD"}
_CUR_CODES = ("USD", "EUR", "GBP", "RUB", "UAH", "JPY", "CNY")
_MONEY = frozenset(("USD", "EUR", "GBP", "RUB", "UAH", "JPY", "CNY", "AUD", "CAD", "NZD", "HKD"))


# --------------------------------------------------------------------------- exclusions

# where a number can start: after a non-alphanumeric character (so "G7", "MH17" never do)
_U = "t(?:w(?:o|e(?:lve|nty))|h(?:ree|irt(?:y|een))|en)|f(?:o(?:ur(?:teen)?|rty)|i(?:ve|ft(?:y|een)))" \
     "|s(?:ix(?:teen|ty)?|even(?:teen|ty)?)|e(?:ight(?:een|y)?|leven)|n(?:ine(?:teen|ty)?)|one" \
     "|half|quarter|an?(?=\\s+(?:dozen|hundred|thousand|million|billion|trillion|quarter|half)(?![a-z]))"
# runs over lower-cased text; the leading character class lets the engine skip letters fast
CANDIDATE_RE = re.compile(rf"[^a-z0-9](?:[0-9]|(?:{_U})(?![a-z]))")

_MONTH_NAMES = frozenset("""
January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY
AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER JAN FEB MAR APR JUN JUL AUG SEP SEPT OCT NOV DEC
""".split())
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
           r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|JANUARY|FEBRUARY|MARCH"
           r"|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)")
MONTH_RIGHT_RE = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTHS}(?![a-z])")
# 2024-12-21, 21/12/2024, 12.21.2024
DATE_AT_RE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])"
                        r"|[0-9]{1,4}[/.][0-9]{1,2}[/.][0-9]{2,4}(?![0-9])")
PHONE_RE = re.compile(
    r"(?:\+[0-9]{1,3}[\s.-]?)?(?:\([0-9]{2,4}\)\s?|[0-9]{2,4}[\s.-])[0-9]{3}[\s.-][0-9]{3,4}(?![0-9])"
    r"|\+[0-9]{6,}|[0-9]{3}-[0-9]{4}(?![0-9])")
_LABELS_CASED = frozenset("""
Article Articles Resolution Section Chapter Paragraph Clause Amendment Flight Route Highway
Platform Gate Room Page Number Level Phase Stage Category Class Type Model Version Volume Vol
Issue Episode Season Part Item Decree Protocol Unit Brigade Division Regiment Battalion Corps
District Block Sector Zone Bus Line Channel Grade Tier Row Seat Lot Case Camp Building Floor
Exit Terminal Track Act Law Bill Day Week Group Team Army Fleet Squadron Code Format Series
Mark Mk Pt Art Sec Para Fig Figure Table Annex Appendix Rule Order Directive Regulation
Convention Point Gen Generation No Nos Windows iPhone Boeing Airbus Apollo Formula War Title
Channel Studio Gate Pier Berth Platform Terminal Ward Route
""".split())
_LABELS_ANY = frozenset("""
article articles resolution resolutions paragraph section clause chapter page pages flight
route highway room no nos number
""".split())
_TIME_UNITS = frozenset("""
hour hours day days week weeks month months year years decade decades minute minutes second
seconds night nights
""".split())
_TIME_AFTER = frozenset("ago later earlier before after old prior running straight into".split())
_TIME_BEFORE = frozenset("past last next previous coming following first within in for after "
                         "take takes took taking lasted lasts lasting".split())
ADDRESS_RIGHT_RE = re.compile(
    r"\s[A-Z][a-z]+\s+(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Square"
    r"|Place|Drive|Way|Plaza)(?![a-z])")
COMPOUND_RIGHT_RE = re.compile(r"[-‑–](?P<w>[A-Za-z]+)")
_NEXT_WORD_RE = re.compile(r"\s+(?P<w>[A-Za-z][A-Za-z’'-]*)")
_CHANGE_VERBS = frozenset("""
rose risen rises rise fell fallen falls fall dropped drops increased increases decreased
decreases climbed climbs jumped jumps declined declines grew grows gained gains lost loses
slipped slips slid surged soared plunged plummeted cut raised lowered up down by
""".split())
_DETERMINERS_BEFORE_WORDNUM = frozenset("""
the these those its their his her our your my every each all both whose which any no first
last next other another per this that some of
""".split())
_DISTANCE_WORDS = frozenset("""
away long high deep wide tall from above below in of on the to and or at per north south east
west under off down up into inland offshore metres meters feet
""".split())
_SENTENCE_OPENERS = ".!?\n\"“‘(:;—"
_RIGHT_CONTEXT = 64   # characters read past the region's end
_LONG_SENTENCE = 1000  # longer "sentences" are cut to a window around each figure

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
overall altogether apiece combined annually daily yearly monthly weekly nationwide worldwide
locally abroad overnight today yesterday tomorrow ago
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion trillion dozen half quarter
""".split())
_PARTICIPLES = frozenset("""
killed wounded injured dead perished died captured destroyed damaged displaced detained arrested missing
evacuated deported abducted downed intercepted shot lost taken freed released exchanged
returned mobilized mobilised recruited deployed affected held liberated seized occupied
sold delivered supplied pledged allocated approved spent fired launched
""".split())
_CASUALTY_PARTICIPLES = frozenset("""
killed wounded injured dead perished died captured missing displaced detained arrested evacuated deported
abducted destroyed damaged lost downed intercepted shot
""".split())
_TAIL_PREPS = frozenset("in across from on at".split())
# "have been reported dead", "were all confirmed killed"
_TAIL_SKIP = frozenset("also all reported confirmed feared presumed believed now".split())
_PASSIVE_AUX = frozenset("had have has were was are is been being reportedly".split())
_HEAD_NOUNS = frozenset("""
people men women children personnel troops staff police civilians soldiers
""".split())
_GENERIC_METRICS = frozenset(("people", "persons", "individuals", "men"))
_EMPTY_HEADS = frozenset("""
total number figure figures sum tally estimate estimates count maximum minimum average amount
level value record high low rate
""".split())
_PREPOSITIONS = frozenset("""
in on at from to for with by since during into over under across per after before against
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


_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z’'.-]*[A-Za-z]|[A-Za-z]|[0-9][0-9,.]*[0-9]|[0-9]|[^\sA-Za-z0-9]")

# verbs that put the counted thing before the number: "losses amounted to 975,100"
_COPULAS = frozenset(tuple(p.split()) for p in """
amounted to|amount to|amounts to|totalled|totaled|totals|total|reached|reaches|rose to|risen to
|rises to|climbed to|jumped to|increased to|grew to|grown to|stood at|stands at|stand at
|fell to|fallen to|dropped to|declined to|decreased to|exceeded|exceeds|surpassed|topped|hit
|numbered|numbers|was|were|is|are|at|estimated at|put at|placed at|came to|comes to
|has reached|have reached|had reached|now stands at|now stand at|rose by|risen by|rises by
|rise by|fell by|fallen by|falls by|increased by|increases by|grew by|grown by|grows by
|dropped by|drops by|declined by|declines by|jumped by|climbed by|decreased by|surged by
|came to|come to|comes down to|come down to|came down to|surpasses|surpass|exceed|tops
|eclipsed|eclipses|breached|breaches|crossed|crosses|outstripped|outstrips|approached
|approaches|neared|nears""".replace("\n", "").split("|"))
# verbs that put the whose before the number: "Ukraine has lost about 20,000 tanks"
_SUBJECT_VERBS = frozenset("""
suffered lost sustained incurred recorded lose loses losing suffers suffering sustains incurs
had has have fielded deployed mobilized mobilised
""".split())
# "at", "is", "was" only link a number to a noun that counts or measures something
_WEAK_COPULAS = frozenset(("at", "is", "are", "was", "were", "hit", "total", "numbers"))
_AMOUNT_NOUNS = frozenset("""
toll cost figure tally count number rate level price value debt budget deficit population
turnout total sum share loss damage bill output inflation unemployment growth
""".split())
_LEFT_TRIGGERS = frozenset(
    {"of", "estimated", "record", "some"} | {c[-1] for c in _COPULAS} | _SUBJECT_VERBS)
_AUXILIARIES = frozenset("""
has have had been now already reportedly also so far so-far thus itself themselves himself
herself alone reportedly officially previously
""".split())
_FILLERS = (("a", "total", "of"), ("an", "estimated"), ("a", "record"), ("some",))
# "an astonishing 980", "a staggering 1 million": a/an + an adjective of size or surprise
_INTENSIFIERS = frozenset("""
astonishing staggering whopping stunning shocking alarming sobering startling remarkable
incredible unprecedented massive huge mere modest further additional reported total
eye-watering impressive extraordinary colossal estimated record
""".split())

# --------------------------------------------------------------------------- sentences

_SENT_END_RE = re.compile(
    r"[.!?\n](?:(?<=\n)[ \t\r\f\v]*\n"
    r"|(?<=[.!?])[.!?]*[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]*[A-Z0-9]))")
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep rev st jr sr messrs
pres vs etc inc corp co ltd dept univ no nos fig approx est
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u a.m p.m i.e e.g d.c
""".split())
_WINDOW = 600
_NEAR = 200        # the stretch before a figure where its sentence usually starts


def _is_boundary(text: str, m: re.Match) -> bool:
    """False when the '.' of boundary ``m`` closes an abbreviation or an initial."""
    s = m.start()
    if text[s] != "." or text[s + 1:s + 2] in ".!?":
        return True
    lo = s - 10 if s > 10 else 0
    k = text.rfind(" ", lo, s)
    word = text[(k + 1 if k >= 0 else lo):s].lstrip("(“\"'‘[").lower()
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def _boundary_end(m: re.Match) -> int:
    """Where the sentence closed by boundary ``m`` ends (after its punctuation/closers)."""
    g = m.group(0)
    return m.start() + len(g.rstrip())


def sentence_bounds(text: str, pos: int, lo: int = 0, hi: int | None = None) -> Span:
    """The sentence around ``pos``: (start, end) offsets, searched at most 600 characters
    each way and never outside ``lo``..``hi``. A sentence ends at ``.!?`` (+ closing quotes)
    before a capital or a digit, unless after an abbreviation ("Gen.", "Dec.", "U.S.") or
    an initial, and at a blank line."""
    hi = len(text) if hi is None else hi
    s = _sentence_start(text, pos, lo)
    e = min(hi, pos + _WINDOW)
    for m in _SENT_END_RE.finditer(text, pos, e):
        if _is_boundary(text, m):
            e = _boundary_end(m)
            break
    return s, max(s, e)


def _sentence_start(text: str, pos: int, lo: int = 0) -> int:
    """``sentence_bounds(text, pos, lo)[0]``: where the sentence around ``pos`` starts."""
    s = max(lo, pos - _WINDOW)
    hi = pos
    p = pos - _NEAR
    if p > s:
        # most sentences start in the last _NEAR characters: look there first, from just
        # after a letter or digit (no boundary match runs across one, so a scan from ``p``
        # finds the matches a scan from ``s`` finds there, and one from ``s`` stopping at
        # ``p`` those before)
        while p < pos and not text[p - 1].isalnum():
            p += 1
        for m in reversed(list(_SENT_END_RE.finditer(text, p, pos))):
            if _is_boundary(text, m):
                return m.end()
        hi = p
    # the last boundary wins: test the matches from the end (most are never looked at)
    for m in reversed(list(_SENT_END_RE.finditer(text, s, hi))):
        if _is_boundary(text, m):
            return m.end()
    return s


class _Sentences:
    """Sentence spans for increasing positions, scanning the text forward once."""

    def __init__(self, text: str, first: int):
        self.text = text
        self.start = _sentence_start(text, first)
        self.it = _SENT_END_RE.finditer(text, self.start)
        self.next: Optional[re.Match] = None
        self._advance()

    def _advance(self) -> None:
        for m in self.it:
            if _is_boundary(self.text, m):
                self.next = m
                return
        self.next = None

    def span(self, pos: int) -> Span:
        while self.next is not None and self.next.end() <= pos:
            self.start = self.next.end()
            self._advance()
        end = _boundary_end(self.next) if self.next is not None else len(self.text)
        return self.start, max(end, pos + 1)


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
    if c in "-‑.,+":
        c2 = _prev_char(text, s - 1)
        if c2.isalnum() or c2 == "_":
            return False
    if c in "’'" and digits:
        c2 = _prev_char(text, s - 1)
        if not c2 or c2.isspace() or c2.isalnum():
            return False  # '90s
    return True


def _round(x: float) -> float:
    return round(x, 6)


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


def _clean_possessive(w: str) -> str:
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf):
            return w[: -len(suf)]
    return w


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


# --------------------------------------------------------------------------- metric/subject

def _right_metric(text: str, fe: int, se: int, money: bool = False
                  ) -> tuple[Optional[str], Optional[str]]:
    """What follows the figure: '975,100 Ukrainian casualties' -> ('casualties', 'Ukrainian');
    'casualties of Ukrainian forces' -> ('casualties', 'Ukrainian forces');
    'soldiers killed and wounded', 'soldiers had been killed' -> 'soldiers killed ...';
    '$61 billion in US aid' -> 'us aid'; '4,500 km2 of Ukrainian territory' -> 'territory'."""
    toks = _TOKEN_RE.findall(text, fe, min(se, fe + 120))
    subject: Optional[str] = None
    metric: list[str] = []
    i, n = 0, len(toks)
    if money and n > 1 and toks[0] == "in":
        i = 1                  # "$61 billion in US aid"
        while i < n and toks[i].lower() in _DETS:
            i += 1
    # nationality adjectives right after the number: "975,100 Ukrainian casualties"
    run = i
    while run < n and run - i < 3 and toks[run][0].isupper():
        run += 1
    if run > i and run < n and _is_demonym(_clean_possessive(toks[run - 1])) \
            and toks[run][:1].islower():
        subject = " ".join(toks[i:run])
        i = run
    while i < n and len(metric) < 5:
        t = toks[i]
        if not t[0].isalpha():
            break
        tl = t.lower()
        if t[0].isupper():
            if metric:
                break
            # a capitalised name used as a modifier: "300 Patriot missiles"
            if i + 1 < n and toks[i + 1][:1].islower() and toks[i + 1].lower() not in _STOP:
                metric.append(tl)
                i += 1
                continue
            break
        if tl in _PARTICIPLES and metric:
            nxt = toks[i + 1].lower() if i + 1 < n else ""
            if nxt not in _DETS and nxt not in _PRONOUNS:
                metric.append(tl)      # "soldiers killed", not "troops held the line"
                i += 1
                if i + 1 < n and toks[i] in ("and", "or", ",") and toks[i + 1] in _PARTICIPLES:
                    # "killed, injured" (a headline's list) reads "killed or injured"
                    metric += ["or" if toks[i] == "," else toks[i], toks[i + 1]]
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
            while j < n and toks[j].lower() in ("the", "its", "their", "his", "her", "all", "our",
                                                 "my", "your"):
                j += 1
            if j < n and toks[j][0].isupper():
                if metric:
                    if subject is None:
                        subject = _of_subject(toks, j)
                    break
                # "4,500 km2 of Ukrainian territory", "40,000 of Ukraine's losses"
                w = toks[j]
                base = _clean_possessive(w)
                if (base != w or _is_demonym(w)) and j + 1 < n and toks[j + 1][:1].islower():
                    subject = subject or base
                    i = j + 1
                    continue
                break
            if j < n and toks[j][:1].islower() and toks[j].lower() not in _STOP:
                if metric:
                    metric.append(tl)
                i = j
                continue
            break
        if tl in _STOP:
            break
        if tl.endswith("ed") and not (i + 1 < n and toks[i + 1][:1].islower()
                                      and toks[i + 1].lower() not in _STOP
                                      and toks[i + 1].lower() != "and"):
            break      # a verb: "90 fled", "500 soldiers crossed the border"
        if metric and metric[-1] != "of" and _is_head(metric[-1]):
            break
        metric.append(tl)
        i += 1
        if not metric[:-1] and tl in _CASUALTY_PARTICIPLES and i + 1 < n and \
                toks[i] in ("and", "or") and toks[i + 1].lower() in _CASUALTY_PARTICIPLES:
            metric += [toks[i], toks[i + 1].lower()]    # "1,900 dead or missing"
            break
    while metric and metric[-1] in ("and", "of", "or"):
        metric.pop()
    if metric and metric[-1] not in _PARTICIPLES:
        tail = _participle_tail(toks, i, n) or _coordinated_tail(toks, i, n)
        metric += tail[:max(0, 5 - len(metric))]
    return (" ".join(metric) or None), subject


_FINITE_AUX = frozenset("have has had were was are is".split())


def _coordinated_tail(toks: list[str], i: int, n: int) -> list[str]:
    """'40,000 civilians and over 100,000 soldiers have been killed or wounded': the
    participle after the second counted phrase applies to the first one too."""
    if i >= n or toks[i] != "and":
        return []
    number = False
    for j in range(i + 1, min(n, i + 14)):
        t = toks[j]
        if t in ".;:!?,(" or t in ("and", "but", "while", "who", "which", "that"):
            return []
        if t[0].isdigit():
            number = True
        elif t.lower() in _FINITE_AUX:
            return _participle_tail(toks, j, n) if number else []
    return []


def _participle_tail(toks: list[str], i: int, n: int) -> list[str]:
    """', killed and wounded,' / 'had been killed' right after the counted noun."""
    j = i
    if j < n and toks[j] == ",":
        j += 1
    if j < n and toks[j] in _TAIL_PREPS:
        # "40,000 people in Norvesa had been displaced": over a short place phrase
        q = j + 1
        while q < n and q - j <= 4 and toks[q].lower() not in _PASSIVE_AUX and toks[q][:1].isalpha():
            q += 1
        if q < n and q - j <= 4 and toks[q].lower() in _PASSIVE_AUX:
            j = q
    k = j
    while k < n and (toks[k].lower() in _PASSIVE_AUX or toks[k].lower() in _TAIL_SKIP):
        k += 1
    if k >= n or toks[k] not in _CASUALTY_PARTICIPLES or (k == i and toks[k] not in _PARTICIPLES):
        return []
    out = [toks[k]]
    if k + 2 < n and toks[k + 1] in ("and", "or", ",") and toks[k + 2] in _CASUALTY_PARTICIPLES:
        out += ["or" if toks[k + 1] == "," else toks[k + 1], toks[k + 2]]
    return out


def _is_head(w: str) -> bool:
    """A plural noun usually ends the counted phrase: the next word is a verb."""
    if w in _HEAD_NOUNS:
        return True
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _of_subject(toks: list[str], j: int) -> Optional[str]:
    """'of Ukrainian forces' -> 'Ukrainian forces'; 'of Kyiv' -> 'Kyiv'."""
    out: list[str] = []
    n = len(toks)
    while j < n and len(out) < 4 and toks[j][0].isupper():
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


def _np_before(toks: list[str], n: int) -> list[int]:
    """Indexes of the noun phrase that toks[:n] ends with, skipping trailing prepositional
    phrases: "Ukraine's losses since the start of the war in 2022" -> [Ukraine's, losses]."""
    out: list[int] = []
    j = n - 1
    steps = 0
    while j >= 0 and steps < 24:
        steps += 1
        t = toks[j]
        tl = t.lower()
        if not t[0].isalnum():
            if t in "’'":
                j -= 1
                continue
            if t in _PAREN_DASHES and not out:
                # "the rate – the number of killed and wounded – was 980": skip the aside
                d = j - 1
                while d >= 0 and toks[d] != t and toks[d] not in _SENT_PUNCT:
                    d -= 1
                if d > 0 and toks[d] == t:
                    j = d - 1
                    continue
            break
        if tl in _PREPOSITIONS:
            out = []          # that was a prepositional phrase: keep looking
            j -= 1
            continue
        if tl in _DETS:
            k = j - 1
            while k >= 0 and toks[k].lower() in _DETS:
                k -= 1
            if k >= 0 and toks[k].lower() in _PREPOSITIONS:
                out = []      # "... since the invasion": skip the whole phrase
                j = k - 1
                continue
            if k >= 0 and toks[k].lower() == "of" and out:
                j -= 1
                continue
            break
        if tl in _NP_SKIP:
            j -= 1            # "losses in 2024 alone", "Russia had itself lost"
            continue
        if (tl in _STOP and not (out and tl in _FREQUENCY_ADJ)) or tl in _PRONOUNS:
            break                 # but "daily" in "Russia's daily casualty rate" is kept
        out.append(j)
        j -= 1
    out.reverse()
    return out


_FREQUENCY_ADJ = frozenset(("daily", "weekly", "monthly", "yearly", "annually"))


# "<verb> <what> to <number>": the number is the new level of what was changed
_RAISE_VERBS = frozenset("""
raised raises raise raising increased increases increase increasing boosted boosts boost
lifted lifts lift ramped ramps pushed pushes brought brings cut cuts reduced reduces reduce
lowered lowers lower slashed slashes hiked hikes doubled tripled trimmed
""".split())
_PAREN_DASHES = frozenset(("–", "—", "-", "‑"))
_NP_SKIP = frozenset(("alone", "itself", "themselves", "himself", "herself", "so-far"))
_SENT_PUNCT = frozenset('.!?:;"“”')


def _split_np(toks: list[str], idx: list[int], first_at_start: bool
              ) -> tuple[Optional[str], Optional[str]]:
    """[Ukraine's, total, losses] -> ('total losses', 'Ukraine');
    [losses, of, Ukrainian, forces] -> ('losses', 'Ukrainian forces').
    A capitalised word opening the sentence is taken as a common noun ("Losses")."""
    lows = [toks[i].lower() for i in idx]
    if "of" in lows:
        k = lows.index("of")
        if k and lows[k - 1] in _EMPTY_HEADS:
            idx, lows = idx[k + 1:], lows[k + 1:]   # the number of X -> X
        elif k + 1 < len(idx) and _is_cap(toks[idx[k + 1]]):
            subj = " ".join(toks[i] for i in idx[k + 1:k + 5])
            metric, subject = _split_np(toks, idx[:k], first_at_start)
            return metric, subject or subj
    subject: list[str] = []
    metric: list[str] = []
    for i in idx:
        w = toks[i]
        if w[0].isdigit():
            continue
        base = _clean_possessive(w)
        if base != w and _is_cap(w):
            subject = [base]
            metric = []
            continue
        if _is_cap(w) and not metric:
            opens = (i == 0 and first_at_start) or (i > 0 and toks[i - 1] in _SENT_PUNCT)
            if _is_demonym(w) or not opens:
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


def _strip_tail(words: list[str]) -> int:
    """How many trailing tokens are fillers ("a total of", "an estimated", "some")."""
    for f in _FILLERS:
        if len(words) >= len(f) and tuple(words[-len(f):]) == f:
            return len(f)
    if len(words) >= 2 and words[-2] in ("a", "an") and words[-1] in _INTENSIFIERS:
        return 2
    return 0


def _left_context(text: str, fs: int, ss: int
                  ) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(metric, subject, verb_subject) from the words before the figure:
    'losses of 975,100', 'the death toll rose to 300', "Ukraine's 975,100",
    'Ukrainian forces have suffered nearly 1 million'."""
    # cheap look at the last word first: most figures need nothing from the left
    k = fs - 1
    while k > ss and text[k].isspace():
        k -= 1
    sp = text.rfind(" ", max(ss, k - 24), k)
    last = text[sp + 1 if sp >= 0 else max(ss, k - 24):k + 1].lower()
    if last not in _LEFT_TRIGGERS and not last.endswith(("'s", "’s")) and \
            last not in _INTENSIFIERS:
        return None, None, None
    lo = max(ss, fs - 130)
    while lo > ss and not text[lo - 1].isspace():
        lo += 1       # do not start in the middle of a word
    toks = _TOKEN_RE.findall(text, lo, fs)
    if not toks:
        return None, None, None
    first_at_start = lo == ss
    lows = [t.lower() for t in toks]
    cut = len(lows) - _strip_tail(lows)
    metric = subject = None
    # "losses of 975,100"
    if cut and lows[cut - 1] == "of":
        idx = _np_before(toks, cut - 1)
        if idx and lows[idx[-1]] not in _EMPTY_HEADS:
            metric, subject = _split_np(toks, idx, first_at_start)
            if metric:
                return metric, subject, None
    # "losses amounted to 975,100"
    for k in (3, 2, 1):
        if cut >= k and tuple(lows[cut - k:cut]) in _COPULAS:
            j = cut - k
            while j and lows[j - 1] in _AUXILIARIES:
                j -= 1
            idx = _np_before(toks, j)
            if idx:
                metric, subject = _split_np(toks, idx, first_at_start)
                if k == 1 and lows[cut - 1] in _WEAK_COPULAS and metric and \
                        not _is_head(metric.split()[-1]) and metric.split()[-1] not in _AMOUNT_NOUNS:
                    return None, None, None    # "met at 10", "he was 45": no counted noun
                return metric, subject, None
            break
    # "the bank raised interest rates to 5%", "ramped up defence spending to 40 percent"
    if cut >= 3 and lows[cut - 1] == "to":
        idx = _np_before(toks, cut - 1)
        k = idx[0] - 1 if idx else -1
        while k >= 0 and lows[k] in _DETS:
            k -= 1
        if k >= 0 and lows[k] == "up" and k > 0:
            k -= 1                                 # "ramped up", "pushed up"
        if idx and k >= 0 and lows[k] in _RAISE_VERBS:
            metric, subject = _split_np(toks, idx, first_at_start)
            if metric:
                return metric, subject, None
    # "Ukraine's 975,100"
    last = toks[cut - 1] if cut else ""
    if last.endswith(("'s", "’s")) and last[0].isupper():
        subject = _clean_possessive(last)
    # "Ukrainian forces have suffered nearly 1 million"
    verb_subject = None
    if cut and lows[cut - 1] in _SUBJECT_VERBS:
        j = cut - 1
        while j and lows[j - 1] in _AUXILIARIES:
            j -= 1
        words = [toks[i] for i in _np_before(toks, j)]
        while words and not _is_cap(words[0]):
            words.pop(0)
        if words and words[0].lower() not in _PRONOUNS:
            verb_subject = " ".join(words[-5:])
    return metric, subject, verb_subject


# --------------------------------------------------------------------------- candidates

# what can follow a number, matched on lower-cased text at the number's end, in one go
_UNITS_ALT = (
    r"(?P<pct>\s?%)"
    r"|(?P<pct2>\s+(?:percentage\s+points?|percent(?:age)?\s+points?|per\s?cent|percent|pct)\b)"
    r"|(?P<km2>\s*(?:km2|km²|sq\.?\s?km|square\s+kilomet(?:re|er)s?)(?![a-z0-9]))"
    r"|(?P<km>\s*(?:km|kilomet(?:re|er)s?)(?![a-z0-9]))"
    r"|(?P<cur>\s+(?:(?:us\s+|u\.s\.\s+|american\s+)?dollars?|euros?|(?:russian\s+)?(?:roubles?|rubles?)"
    r"|(?:ukrainian\s+)?(?:hryvnias?|hryvnyas?|hryvnas?)|pounds\s+sterling|sterling"
    r"|usd|eur|gbp|rub|uah)(?![a-z]))")
RIGHT_RE = re.compile(
    r"(?P<time>\s?(?:[ap]\.?m\b\.?|o['’]clock\b|h(?:rs)?\s?(?:gmt|utc|local)\b|\s?(?:gmt|utc|cet|est|edt)\b))"
    rf"|{_UNITS_ALT}"
    r"|(?P<glued>[/.:,][0-9])"
    r"|[-‑–](?P<comp>[a-z]+)"
    r"|(?P<alpha>[a-z_0-9])")
_UNIT_KINDS = frozenset(("pct", "pct2", "km2", "km", "cur"))
# first two characters after the blank that may start a unit or a time ("10 percent", "3 pm")
_RIGHT_PREFIXES = frozenset("""
pe pc km ki sq do us u. am eu ro ru hr uk po st gb ua a. p. pm o' o’ gm ut ce es ed
""".split()) | {"h "}
# qualifiers that read as positions before a year: "over 2023 levels", "under 2022 rules"
_POSITIONAL = frozenset("over under above below beyond topping exceeding approaching nearing some"
                        .split()) | _VERB_QUALIFIERS
# ... or a trailing qualifier / range word ("to", "and", "or", "through")
_AFTER_PREFIXES = frozenset(("to", "an", "or", "th"))
_TIME_PREFIXES = frozenset(("ho", "da", "we", "mo", "ye", "de", "mi", "se", "ni"))
# after the number and its unit: a trailing qualifier or a range separator
AFTER_RE = re.compile(
    r"(?P<plus>\+(?![0-9])|[-‑]plus\b)|(?P<odd>[-‑]odd\b)"
    r"|\s+or\s+(?:(?P<ormore>more|above|over|higher|greater)|(?P<orless>less|fewer|under|below|lower)"
    r"|(?P<orso>so))\b"
    r"|(?:\s*(?P<dash>[-–—])\s*|\s+(?P<word>to|and|through)\s+)(?P<cur>us\$|\$|£|€)?(?=[0-9a-z])")
# qualifier phrases by their last word: "than" -> word counts (2, 3) of the phrases ending so
_QUAL_BY_LAST: dict[str, tuple[int, ...]] = {}
for _p in _QUALIFIER_OF:
    _w = _p.split()
    _QUAL_BY_LAST[_w[-1]] = tuple(sorted(set(_QUAL_BY_LAST.get(_w[-1], ())) | {len(_w)},
                                         reverse=True))


def _unit_name(m: re.Match) -> Optional[str]:
    g = m.lastgroup
    if g in ("pct", "pct2"):
        return "percent"
    if g in ("km2", "km"):
        return g
    if g != "cur":
        return None
    w = m.group("cur")
    if "dollar" in w or w.endswith("usd"):
        return "USD"
    if "euro" in w or w.endswith("eur"):
        return "EUR"
    if "rouble" in w or "ruble" in w or w.endswith("rub"):
        return "RUB"
    if "hryvn" in w or w.endswith("uah"):
        return "UAH"
    return "GBP"


class _Cand:
    __slots__ = ("s", "e", "ns", "ne", "value", "high", "q", "unit", "lc")

    def __init__(self, s, e, ns, ne, value, high, q, unit, lc=None):
        self.s, self.e, self.ns, self.ne = s, e, ns, ne
        self.value, self.high, self.q, self.unit = value, high, q, unit
        # where the words before the figure end for metric/subject: after a qualifier verb
        # ("losses exceeded | 465,000"), else the figure's start
        self.lc = s if lc is None else lc


def _currency_before(text: str, s: int, lo: int) -> tuple[int, Optional[str]]:
    """($ start, 'USD') for '$5', 'US$5', '€3bn', 'USD 5'; (s, None) without a currency."""
    c = _prev_char(text, s)
    if c == " " and s - 4 >= lo and text[s - 4:s - 1] in _CUR_CODES and \
            (s - 4 == 0 or not text[s - 5].isalpha()):
        return s - 4, text[s - 4:s - 1]
    if c == " " and s - 2 >= lo:
        c = text[s - 2]
        if c not in "$£€₽₴¥":
            return s, None
        s -= 1
    if c == "$":
        i = s - 1
        if i < lo:
            return s, None
        for pre in ("U.S.", "US", "AU", "CA", "NZ", "HK", "A", "C"):
            j = i - len(pre)
            if j >= lo and text[j:i] == pre and (j == 0 or not text[j - 1].isalpha()):
                return j, _DOLLAR_PREFIX[pre]
        if i - 1 >= lo and text[i - 1].isalpha():
            return s, None     # R$, S$ ...: unknown dollars
        return i, "USD"
    if c in _CUR_SYMBOL and s - 1 >= lo:
        return s - 1, _CUR_SYMBOL[c]
    if s - 3 >= lo and text[s - 3:s] in _CUR_CODES and (s - 3 == 0 or not text[s - 4].isalpha()):
        return s - 3, text[s - 3:s]
    return s, None


def _year_like(m: re.Match) -> bool:
    d = m.group("dig")
    return (d is not None and len(d) == 4 and d.isdigit() and 1900 <= int(d) <= 2100
            and not has_scale(m))


def _words_before(text: str, pos: int, lo: int) -> tuple[int, str, list[str]]:
    """(window start, window, words) for the few words before ``pos``."""
    w0 = max(lo, pos - 48)
    w = text[w0:pos]
    words = w.split()
    if words and w0 > lo and not text[w0 - 1].isspace() and not w[0].isspace():
        words.pop(0)   # cut in the middle of a word
    return w0, w, words


def _word_start(w0: int, w: str, words: list[str], k: int) -> int:
    """Offset of the k-th last word of the window ``w`` (starting at ``w0``)."""
    end_i = len(w.rstrip())
    start_i = end_i
    for word in reversed(words[len(words) - k:]):
        start_i = end_i - len(word)
        end_i = len(w[:start_i].rstrip())
    return w0 + start_i


def _qualifier_before(w0: int, w: str, words: list[str]) -> Optional[tuple[str, int]]:
    """('nearly', offset) when the words end with a qualifier phrase; quotes around the
    phrase are allowed and included, an opening bracket is not."""
    if not words:
        return None
    ks = _QUAL_BY_LAST.get(words[-1].rstrip(_CLOSE_QUOTES).lstrip(_OPENERS).lower())
    if ks is None:
        return None
    n = len(words)
    for k in ks:
        if k > n:
            continue
        first = words[n - k]
        lead = len(first) - len(first.lstrip("(["))
        phrase = words[-1] if k == 1 else " ".join(words[n - k:])
        core = phrase[lead:].lstrip(_OPEN_QUOTES).rstrip(_CLOSE_QUOTES).lower()
        q = _QUALIFIER_OF.get(core)
        if q:
            return q, _word_start(w0, w, words, k) + lead
    return None


class _Scanner:
    """Finds figure candidates in text[lo:hi]; number patterns run over a lower-cased copy."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        ctx = 1 if lo > 0 else 0
        # the right context may run past ``hi`` (a number cut by the region's end is still
        # read whole), but candidates must start inside the region
        seg = text[lo - ctx:hi + _RIGHT_CONTEXT]
        low = seg.lower()
        if len(low) != len(seg):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in seg)
        # low[i] is text[i + base]; a leading blank when the region starts the text
        self.low = low if ctx else " " + low
        self.base = lo - 1
        self.limit = hi - self.base

    def scan(self) -> list[_Cand]:
        out: list[_Cand] = []
        low, base = self.low, self.base
        search = CANDIDATE_RE.search
        num_match = NUMBER_LOWER_RE.match
        limit = self.limit
        pos = 0
        while True:
            cm = search(low, pos)
            if cm is None:
                break
            i = cm.start() + 1
            if i >= limit:
                break
            pos = i
            if low[i] in "aotf":
                fr = _FRACTION_RE.match(low, i)
                if fr is not None and _left_ok(self.text, i + base, False):
                    out.append(_fraction_cand(fr, base))
                    pos = fr.end("frac")
                    continue
            m = num_match(low, i)
            if m is None or m.end() == i:
                continue
            pos = m.end()
            c = self._candidate(m)
            if c is None:
                continue
            if isinstance(c, int):
                pos = max(pos, c - base)
                continue
            out.append(c)
            pos = max(pos, c.e - base)
        return out

    def _candidate(self, m: re.Match):
        """A candidate around number match ``m`` (on ``low``); None to reject it, or an int:
        the text offset to resume at after rejecting a whole stretch (a date, a score).

        Cheap character tests guard each regex: most numbers need only a few of them."""
        text, low, base, lo = self.text, self.low, self.base, self.lo
        i, j = m.span()
        s, e = i + base, j + base
        dg = m.group("dig")
        digits = dg is not None
        if not _left_ok(text, s, digits):
            return None
        if not digits and low[j:j + 1] in " -‑" and low[j + 1:j + 2] in "f ":
            fm = _FIGURES_RE.match(low, j)
            if fm and m.group("wrd"):
                n = number_value(m)
                if 2 <= n <= 15 and n == int(n):
                    # "run into six figures": at least 100,000
                    return _Cand(s, fm.end() + base, s, e, float(10 ** (int(n) - 1)), None,
                                 "at_least", None)
        c0 = low[j:j + 1]
        if digits:
            if c0 in "-/." and low[j + 1:j + 2].isdigit():
                d = DATE_AT_RE.match(low, i)
                if d:
                    return d.end() + base      # 2024-12-21, 21/12/2024
            if (c0 in " .-)" and low[j + 1:j + 2].isdigit()) or low[i - 1] in "+(":
                p = PHONE_RE.match(low, i - 1 if low[i - 1] in "+(" else i)
                if p and p.end() > j:
                    return p.end() + base
        if digits:
            scaled = j - i > len(dg)           # "1.2bn", "40 thousand": the scale is in the match
        else:
            scaled = has_scale(m)
        left, currency = _currency_before(text, s, lo)
        w0, w, words = _words_before(text, left, lo)
        prev = words[-1] if words else ""
        prev_low = prev.lower()
        # ---- what follows the number
        r = None
        if c0 and (not c0.isspace() or low[j + 1:j + 3] in _RIGHT_PREFIXES
                   or low[j + 1:j + 2] == "%"):
            r = RIGHT_RE.match(low, j)
        kind = r.lastgroup if r else None
        unit = None
        unit_end = j
        if kind is not None:
            if kind == "time" and not scaled:
                return None                    # 3 p.m., 1500 GMT
            if kind == "glued" and digits:
                return None                    # 1.2.3, 1,23, 12/21, 10:30
            if kind in _UNIT_KINDS:
                unit = _unit_name(r)
                unit_end = r.end()
                if unit in ("km", "km2") and COMPOUND_RIGHT_RE.match(low, unit_end):
                    return None                # a 50-km zone
            elif kind == "comp":
                if r.group("comp") not in ("plus", "odd"):
                    return None                # 30-minute, two-day, 10-year-old
            elif kind == "alpha" and digits and not scaled:
                return None                    # 3rd, 4G, 17th, 10x
        # ---- after the number (and unit): a trailing qualifier or a range separator
        a = None
        ca = low[unit_end:unit_end + 1]
        if ca in "+-‑–—" and ca or (ca.isspace() and (low[unit_end + 1:unit_end + 3] in _AFTER_PREFIXES
                                                      or low[unit_end + 1:unit_end + 2] in "-–—")):
            a = AFTER_RE.match(low, unit_end)
        year = digits and len(dg) == 4 and not scaled and dg.isdigit() and "1900" <= dg <= "2100"
        qual = None
        if year and currency is None and unit is None:
            qual = _qualifier_before(w0, w, words)
            if qual is None and (a is None or a.lastgroup not in ("dash", "word")):
                return None                    # a year: in 2024, since 2022, 2024's
        elif words:
            qual = _qualifier_before(w0, w, words)
        lc = mark_end = None
        if qual is not None:
            if words[-1].strip(_OPEN_QUOTES + _CLOSE_QUOTES).lower() in _VERB_QUALIFIERS:
                lc = w0 + len(w.rstrip())      # "claims surpassed | 12,000"
        elif len(words) >= 2 and words[-1].lower() == "the" and \
                words[-2].lower() in _MARK_VERBS:
            mk = _MARK_RE.match(low, unit_end)
            if mk:                             # "passed the 50,000 mark"
                k = _word_start(w0, w, words, 2)
                qual = ("more_than", k)
                lc = k + len(words[-2])
                mark_end = mk.end() + base
        if digits:
            if len(dg) > 1 and dg[0] == "0" and dg[1] != ".":
                return None                    # 007, 0143
            if len(dg) > 19 and len(dg.split(".")[0]) > 19:
                return None
            if len(dg) >= 8 and not scaled and "," not in dg and "." not in dg:
                return None                    # ids, phone numbers
            abbr = m.group("abbr")
            if abbr is not None and abbr in ("m", "b") and not currency and "." not in dg:
                nw = _NEXT_WORD_RE.match(low, j)
                if abbr == "b" or not nw or nw.group("w") in _DISTANCE_WORDS or \
                        prev_low in ("a", "an"):
                    return None                # 100m (metres), a 5m wall, 5b
            if not currency and not scaled and unit is None:
                if len(dg) <= 2:
                    if prev.rstrip(".,") in _MONTH_NAMES:
                        return None            # December 18, Dec. 18
                    if c0 == " " and (text[e + 1:e + 2].isupper() or low[j + 1:j + 3] == "of") \
                            and MONTH_RIGHT_RE.match(text, e):
                        return None            # 18 December, 18 of December
                pl = prev.rstrip(".")
                if pl in _LABELS_CASED or pl.lower() in _LABELS_ANY:
                    return None                # Article 5, Resolution 2231, No. 10
                if c0 == " " and text[e + 1:e + 2].isupper() and ADDRESS_RIGHT_RE.match(text, e):
                    return None                # 10 Downing Street
        else:
            if text[s].isupper() and not _is_sentence_start(text, s):
                return None                    # Formula One, Ocean's Eleven
            if prev_low in _DETERMINERS_BEFORE_WORDNUM:
                return None                    # the two countries, all three
            if not m.group("wscale") and m.group("wrd") == "one":
                return None                    # one of the, no one, one was ...
        unit = currency or unit
        if a is not None and a.lastgroup in ("dash", "word", "cur"):
            rng = self._range(m, a, currency, unit, prev_low)
            if isinstance(rng, int):
                return rng
            if rng is not None:
                m2, end2, unit2, value2, value1 = rng
                if unit2 and currency is None:
                    unit = unit2
                fs = left
                if prev_low in ("between", "from"):
                    fs = _word_start(w0, w, words, 1)
                    wq = words[:-1]
                    qual = _qualifier_before(w0, w[:fs - w0], wq) if wq else None
                if qual:
                    fs = qual[1]               # "about 25-30": a range, the hedge kept
                return _Cand(fs, end2 + base, s, m2.end() + base, value1, value2, "range", unit,
                             lc if qual and lc is not None and fs == qual[1] else None)
            a = None
            if year and unit is None and qual is None:
                return None
        # years with a qualifier are counts only before a noun: "about 2000 people" (not
        # "over 2023 levels", "under 2022 rules")
        if year and unit is None:
            nw = _NEXT_WORD_RE.match(text, e)
            if not (nw and nw.group("w")[0].islower() and nw.group("w") not in _STOP) or \
                    prev_low.strip(_OPEN_QUOTES + _CLOSE_QUOTES) in _POSITIONAL:
                return None
        # durations: the past 24 hours, three days later, for 30 years
        if unit is None and not scaled and c0 == " " and low[j + 1:j + 3] in _TIME_PREFIXES:
            nw = _NEXT_WORD_RE.match(low, j)
            if nw and nw.group("w") in _TIME_UNITS:
                after = _NEXT_WORD_RE.match(low, nw.end())
                if prev_low in _TIME_BEFORE or (after and after.group("w") in _TIME_AFTER):
                    return None
        q, fs = qual if qual else ("exact", left)
        e_all = unit_end + base if mark_end is None else mark_end
        if a is not None:
            g = a.lastgroup
            if q == "exact":
                if g == "plus":
                    q = "more_than"
                elif g in ("odd", "orso"):
                    q = "approx"
                elif g == "ormore":
                    q = "at_least"
                elif g == "orless":
                    q = "at_most"
            e_all = max(e_all, a.end() + base)
        if digits and not scaled:
            value = float(dg.replace(",", "")) if "," in dg else float(dg)
        else:
            value = number_value(m)
        return _Cand(fs, e_all, s, e, value, None, q, unit, lc)

    def _range(self, m: re.Match, sep: re.Match, currency, unit, prev: str):
        """The second half of a range (on ``low``), or None; an int (text offset to resume
        at) to drop both numbers."""
        low, base = self.low, self.base
        word = sep.group("word")
        dash = sep.group("dash") is not None
        if word == "to" and prev in _CHANGE_VERBS:
            return None        # fell 5 points to 40%: a change and a level, not a range
        if word == "and" and prev != "between":
            return None
        if word == "through" and prev != "from":
            return None
        m2 = NUMBER_LOWER_RE.match(low, sep.end())
        if not m2 or m2.start() == m2.end():
            return None
        j2 = m2.end()
        digits2 = m2.group("dig") is not None
        if not digits2 and dash:
            return None
        if m2.group("wrd") == "one" and not m2.group("wscale"):
            return None
        r = RIGHT_RE.match(low, j2)
        kind = r.lastgroup if r else None
        unit2 = None
        end2 = j2
        if kind in ("pct", "pct2", "km2", "km", "cur"):
            unit2 = _unit_name(r)
            end2 = r.end()
        elif kind == "comp":
            if r.group("comp") not in ("plus", "odd"):
                return j2 + base   # 5-10-year sentences, 2-3-day: a compound adjective
        elif kind in ("glued", "time") or (kind == "alpha" and digits2 and not has_scale(m2)):
            return j2 + base if dash else None
        if _year_like(m) and not unit and not unit2 and \
                (_year_like(m2) or (digits2 and len(m2.group("dig")) == 2)):
            return end2 + base if dash else None   # 2022-2024, 2022-23
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
                v1 = v1 * sc2  # 5 to 10 million, $10-20bn
        if not v2 > v1:
            return j2 + base if dash else None     # 3-1 (a score): not a range
        if digits2 and len(m2.group("dig")) <= 2 and MONTH_RIGHT_RE.match(self.text, j2 + base):
            return end2 + base  # 18-19 December
        return m2, end2, unit2, v2, v1


# "six figures", "a six-figure sum" (matched on lower-cased text after a spelled number)
_FIGURES_RE = re.compile(r"(?:\s+|[-‑])figures?(?![a-z])")
# "a quarter of the fleet", "two-thirds of its budget": a share, as a percentage
_FRACTION_RE = re.compile(
    r"(?P<frac>(?P<num>an?|one|two|three|four)[\s-]+(?P<den>quarter|third|fifth|tenth)s?)"
    r"\s+of\s+(?=the\b|its\b|their\b|his\b|her\b|our\b|all\b|[a-z]+['’]s\b)")
_FRACTION_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FRACTION_DEN = {"quarter": 4, "third": 3, "fifth": 5, "tenth": 10}


def _fraction_cand(fr: re.Match, base: int) -> _Cand:
    num, den = _FRACTION_NUM[fr.group("num")], _FRACTION_DEN[fr.group("den")]
    value = round(100.0 * num / den, 1)
    s, e = fr.start("frac") + base, fr.end("frac") + base
    return _Cand(s, e, s, e, value, None, "exact", "percent")


def _scan(text: str, lo: int, hi: int) -> list[_Cand]:
    """All figure candidates in text[lo:hi] (numbers with their qualifiers, units, ranges)."""
    return _Scanner(text, lo, hi).scan()


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
    sents = _Sentences(text, cands[0].s)
    sent: Span = (-1, -1)
    periods: list[Period] = []
    starts: list[int] = []
    heads: dict[tuple[int, int], tuple[str, int]] = {}
    for c in cands:
        span = sents.span(c.s)
        if span != sent:
            sent = span
            periods = find_periods(text, sent[0], sent[1], published=published)
            starts = []
        ss, se = sent
        near = periods
        if se - ss > _LONG_SENTENCE:
            # no sentence punctuation for a long stretch (a table, a list): look nearby only
            half = _LONG_SENTENCE // 2
            ss, se = max(ss, c.s - half), min(se, c.e + half)
            if periods and not starts:
                starts = [p.span[0] for p in periods]
            near = periods[bisect_left(starts, ss - 200):bisect_left(starts, se)]
        mtext, o = _headline_text(text, c.s, c.e, ss, max(se, c.e), heads)
        metric, subject = _right_metric(mtext, c.e - o, max(se, c.e) - o, c.unit in _MONEY)
        if metric in _MARK_NOUNS:
            metric = None                      # "the 40,000 mark": counted before it
        if metric is None or metric in _GENERIC_METRICS or subject is None:
            lm, ls, vs = _left_context(mtext, c.lc - o, ss - o)
            if lm and (metric is None or metric in _GENERIC_METRICS):
                metric = lm
            if subject is None:
                subject = ls or vs
        metric = _active_verb_metric(mtext, c.s - o, ss - o, metric)
        if c.unit in _MONEY and metric in ("dollars", "euros"):
            metric = None
        low, high = _bounds(c.q, c.value, c.high)
        fs = c.s
        if text[fs] in _OPEN_QUOTES and not any(q in text[fs + 1:c.e] for q in _CLOSE_QUOTES):
            fs += 1     # 'that "over 465,000 personnel were killed"': the quotation's mark
        out.append(Figure(
            text=text[fs:c.e], span=(fs, c.e), value=c.value, low=low, high=high,
            qualifier=c.q, unit=c.unit, metric=metric, subject=subject,
            period=_pick_period(text, near, c) if near else None, number_span=(c.ns, c.ne)))
    return out


_OPEN_QUOTES = "“\"«„‘'"
_CLOSE_QUOTES = "”\"»’'"


# ------------------------------------------------------------------ Title Case headlines

# small words Title Case leaves lowercase in some styles
_TC_SMALL = frozenset("""
a an the of in on at to for and or but nor by with from as vs via per is are was were be into
onto over after than amid
""".split())
_TC_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'-]*")
# proper nouns a headline keeps capitalised (subjects): demonyms are kept too
_TC_PROPER_STEMS = (
    "ukrain", "russia", "kyiv", "kiev", "moscow", "kremlin", "israel", "gaza", "palestin",
    "hamas", "hezbollah", "america", "britain", "china", "beijing", "iran", "syria", "europe",
    "germany", "france", "nato", "pentagon", "washington", "london", "taiwan", "korea",
    "japan", "india", "turkey", "poland", "belarus", "crimea", "donbas", "lebanon", "yemen",
    "sudan", "iraq", "afghanistan")


def _headline_case(seg: str) -> bool:
    """Is this line written in Title Case or ALL CAPS (a headline), where capitals say
    nothing about proper nouns?"""
    # most lines are ordinary prose: two lowercase content words among the first ones
    # settle it (the last word of the prefix may be cut, so it is not counted)
    lower = 0
    for w in _TC_WORD_RE.findall(seg, 0, 80)[:-1]:
        if not w[0].isupper() and w.lower() not in _TC_SMALL:
            lower += 1
            if lower > 1:
                return False
    words = _TC_WORD_RE.findall(seg)
    content = [w for w in words if w.lower() not in _TC_SMALL]
    if len(content) < 3:
        return False
    lower = sum(1 for w in content if not w[0].isupper())
    if lower > 1:
        return False
    caps = len(content) - lower
    return caps >= 3 and caps >= 0.8 * len(content)


def _detitle_word(w: str, all_caps: bool) -> str:
    """'Troops' -> 'troops'; 'Russian', "Ukraine's", 'NATO' stay; 'RUSSIAN' -> 'Russian'."""
    base = _clean_possessive(w)
    low = w.lower()
    cap = w[:1] + low[1:]
    if all_caps:
        if _is_demonym(_clean_possessive(cap)) or low.startswith(_TC_PROPER_STEMS):
            return cap
        return low
    if w.isupper() and 1 < len(w) <= 5:
        return w                                 # US, UK, NATO
    if base != w or _is_demonym(base) or low.startswith(_TC_PROPER_STEMS):
        return w
    if len(w) > 1 and any(ch.isupper() for ch in w[1:]):
        return w                                 # McDonald, iPhone
    return low


def _headline_text(text: str, s: int, e: int, ss: int, se: int,
                   cache: dict[tuple[int, int], tuple[str, int]]) -> tuple[str, int]:
    """(text, offset): ``text`` itself and 0, or, when the figure's line is a Title Case or
    ALL CAPS headline, its sentence ``text[ss:se]`` with that line in ordinary case (so
    "100,000 Russian Troops Killed" reads "100,000 Russian troops killed") and ``ss``: the
    same characters at the same places, less ``ss``."""
    a = text.rfind("\n", ss, s) + 1 or ss
    b = text.find("\n", e, se)
    b = se if b < 0 else b
    if b <= a or b - a > 400:
        return text, 0
    key = (a, b)
    got = cache.get(key)
    if got is not None:
        return got
    seg = text[a:b]
    out = (text, 0)
    if _headline_case(seg):
        all_caps = not any(ch.islower() for ch in seg)
        new = _TC_WORD_RE.sub(lambda m: _detitle_word(m.group(0), all_caps), seg)
        if len(new) == len(seg):
            out = (text[ss:a] + new + text[b:se], ss)
    cache[key] = out
    return out


# verbs before a number that say what happened to what is counted: "killed 300 civilians"
_ACTIVE_CASUALTY_VERBS = {"killed": "killed", "killing": "killed", "kills": "killed",
                          "wounded": "wounded", "wounding": "wounded", "injured": "injured",
                          "injuring": "injured"}


def _active_verb_metric(text: str, fs: int, ss: int, metric: Optional[str]) -> Optional[str]:
    """'the shelling killed about 300 civilians' -> 'civilians killed' (the counted people
    were killed, though no participle follows them)."""
    if not metric or not _CASUALTY_PARTICIPLES.isdisjoint(metric.split()):
        return metric
    k = fs - 1
    while k > ss and text[k].isspace():
        k -= 1
    j = k
    while j > ss and text[j - 1].isalpha():
        j -= 1
    verb = _ACTIVE_CASUALTY_VERBS.get(text[j:k + 1].lower())
    if verb is None or len(metric.split()) >= 5:
        return metric
    return f"{metric} {verb}"


_CLAUSE_BREAK_RE = re.compile(r"[;:]|\s[—–-]\s|,\s+(?:and|but|while|whereas)\s")


def _pick_period(text: str, periods: list[Period], c: _Cand) -> Optional[Period]:
    """The period right after the figure if in its clause; else the one right before it if in
    its clause; else the nearer of the two (periods are in text order, never overlapping)."""
    before: Optional[Period] = None
    after: Optional[Period] = None
    for p in periods:
        ps, pe = p.span
        if pe <= c.s:
            before = p
        elif ps >= c.e:
            after = p
            break
    if after is not None and not _CLAUSE_BREAK_RE.search(text, c.e, after.span[0]):
        return _copy_period(after)
    if before is not None and not _CLAUSE_BREAK_RE.search(text, before.span[1], c.s):
        return _copy_period(before)
    if before is None or after is None:
        chosen = before or after
    else:
        chosen = after if after.span[0] - c.e < c.s - before.span[1] else before
    return _copy_period(chosen) if chosen else None


def _copy_period(p: Period) -> Period:
    return Period(text=p.text, start=p.start, end=p.end, span=p.span, carried=p.carried)

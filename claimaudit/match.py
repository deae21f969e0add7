"""The same figure across sources: speaker identity, figure groups, flags.

Input is plain figure rows (``Store.figures_for_grouping``); output is groups of those rows
with flags against each group's earliest statement (see shared spec diff-report.md). Figures
are bucketed by what they count and whose, so each new figure is compared only with the
groups of its bucket: cost grows with the figures, not with their pairs.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from decimal import Decimal
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from claimaudit.vocab import metric_families, metric_sense

DIRECTION = {"nearly": "below", "less_than": "below", "at_most": "below", "approx": "about",
             "more_than": "above", "at_least": "above", "exact": "exact", "range": "range"}
SUBJECT_ROOTS = {
    "ukrain": "ukraine", "kyiv": "ukraine", "kiev": "ukraine",
    "russia": "russia", "moscow": "russia", "kremlin": "russia",
    "israel": "israel", "gaza": "palestine", "palestin": "palestine", "hamas": "palestine",
    "america": "usa", "u.s": "usa", "united states": "usa",
}
TITLE_RE = re.compile(
    r"^(?:(?:the|gen|general|col|colonel|lt|lieutenant|adm|admiral|maj|major|president|prime|"
    r"minister|defen[cs]e|foreign|secretary|chief|deputy|mr|mrs|ms|dr|sen|senator|rep|gov|"
    r"governor|russian|ukrainian|us|u\.s\.|british|top|former|army|chairman|head|of|staff)\.?\s+)+",
    re.I)


_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_I_ENDING = re.compile(r"(?:iy|yy|ii|y|i)$")


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()
    return _SPACES.sub(" ", _NOT_ALNUM.sub(" ", s)).strip()


@functools.lru_cache(maxsize=1 << 14)
def _translit(word: str) -> str:
    """Fold common transliteration variants: Andrei/Andrey, Zelenskyy/Zelenskiy/Zelensky."""
    w = _I_ENDING.sub("i", word)
    return w.replace("y", "i").replace("kh", "h").replace("ts", "c")


@functools.lru_cache(maxsize=1 << 16)
def speaker_key(name: Optional[str]) -> str:
    """Identity key of a speaker name: titles stripped, accents and spellings folded."""
    if not name:
        return ""
    n = TITLE_RE.sub("", name.strip())
    words = [_translit(w) for w in fold(n).split()]
    return " ".join(words)


def identity_surname(name: Optional[str]) -> str:
    """The last word of a speaker key: what every spelling of one person shares."""
    words = speaker_key(name).split()
    return words[-1] if words else ""


@functools.lru_cache(maxsize=1 << 16)
def same_speaker(a: Optional[str], b: Optional[str]) -> bool:
    """One speaker, many spellings; a bare surname joins its full name; never two people
    whose first names conflict."""
    ka, kb = speaker_key(a), speaker_key(b)
    if not ka or not kb:
        return ka == kb
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    if wa[-1] != wb[-1] or len(wa[-1]) < 3:
        # bodies: most words in common ("russian defense ministry" ~ "russia s ministry of defence")
        sa, sb = _body_words(ka), _body_words(kb)
        return bool(sa) and bool(sb) and len(sa & sb) / min(len(sa), len(sb)) >= 0.67
    if wa[-1] in _body_noun_keys():
        # "Health Agency" ~ "National Health Agency", never "World Health Organization" ~
        # "Pan American Health Organization": the shorter name's words all in the longer
        sa, sb = _body_words(ka), _body_words(kb)
        return sa <= sb or sb <= sa
    if len(wa) == 1 or len(wb) == 1:
        return True
    return wa[0][:1] == wb[0][:1]


def names_speaker(who: str, name: Optional[str]) -> bool:
    """Does a credited or origin speaker called ``name`` answer ``report --speaker who``:
    the same speaker (``same_speaker``), or a name whose key holds the query's key
    ("ministry" in "russian defense ministry")?"""
    if not name:
        return False
    q = speaker_key(who)
    return same_speaker(who, name) or bool(q and q in speaker_key(name))


def speaker_patterns(who: str) -> Optional[tuple[str, list[str]]]:
    """What every name ``names_speaker(who, name)`` accepts has in it, for a search of
    the store: (the query's surname, SQL LIKE patterns). A name it accepts either has that
    surname (``identity_surname``), or holds, in order, the letters of the query's key or
    of one of its body words (or a synonym) - letters that spelling variants change (i, h,
    c: Andrei/Andrey, Zelenskyy/Zelenskiy, kh/h, ts/c) and spaces may differ. Matched
    against a name as written and its accent-folded key, so case and accents do not
    matter. None when the query has no key (every name must be checked)."""
    q = speaker_key(who)
    if not q:
        return None
    surname = q.split()[-1]
    words = {q}
    for w in _body_words(q):
        words.add(w)
        words.update(x for x, t in _BODY_SYN.items() if t == w)
    return surname, sorted({_like_letters(w) for w in words})


def _like_letters(key: str) -> str:
    parts = [p for p in re.split(r"[ihc ]+", key) if p]
    return "%" + "%".join(re.sub(r"([%_\\])", r"\\\1", p) for p in parts) + "%"


_BODY_STOP = {"the", "of", "s", "and", "for"}
# last words that make a name a body's, not a person's
_BODY_NOUNS = {"agency", "ministry", "office", "council", "department", "committee",
               "commission", "organization", "organisation", "service", "authority",
               "institute", "bureau", "directorate", "government", "administration",
               "union", "party", "fund", "bank", "programme", "program", "cross", "crescent"}
_BODY_SYN = {"defence": "defense", "defense": "defense", "russia": "russian", "ukraine": "ukrainian",
             "mod": "ministry"}


@functools.lru_cache(maxsize=1)
def _body_noun_keys() -> frozenset[str]:
    return frozenset(_translit(w) for w in _BODY_NOUNS)


def _body_words(key: str) -> set[str]:
    return {_BODY_SYN.get(w, w) for w in key.split() if w not in _BODY_STOP}


def subject_root(subject: Optional[str]) -> Optional[str]:
    if not subject:
        return None
    low = subject.lower()
    for stem, root in SUBJECT_ROOTS.items():
        if stem in low:
            return root
    return None


def _is_round(value: float) -> bool:
    v = abs(value)
    if v >= 1000:
        mag = 10 ** (len(str(int(v))) - 2)   # two significant digits
        return v % mag == 0
    return v % 10 == 0 and v >= 100


def interval(f: dict[str, Any]) -> tuple[float, float]:
    """The values a figure allows, qualifier and rounding included."""
    v = float(f["value"])
    q = f.get("qualifier") or "exact"
    lo, hi = f.get("low"), f.get("high")
    if q == "range" and lo is not None and hi is not None:
        return float(lo), float(hi)
    tol = 0.05 if _is_round(v) else 0.01
    if q == "nearly":
        return v * 0.9, v
    if q == "approx":
        return v * 0.9, v * 1.1
    if q in ("more_than", "at_least"):
        return v, v * 1.15
    if q in ("less_than", "at_most"):
        return v * 0.85, v
    return v * (1 - tol), v * (1 + tol)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    slack = 0.005 * max(abs(a[1]), abs(b[1]), 1)
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


def period_class(f: dict[str, Any]) -> tuple[str, str]:
    """('cumulative', '2022') | ('within', '2024') | ('', '') when no period is given;
    ('cumulative', '?') for "since the war began" (a start the text does not date)."""
    start, end = f.get("period_start"), f.get("period_end")
    if not start and not end:
        text = (f.get("period_text") or "").lower()
        if text.startswith(("since", "so far", "to date", "until now")):
            return "cumulative", "?"
        return "", ""
    if end and start and start[:4] == end[:4]:
        return "within", start[:4]
    if start and not end:
        return "cumulative", start[:4]
    return "span", f"{(start or '')[:4]}-{(end or '')[:4]}"


def _within_days(a: dict[str, Any], b: dict[str, Any], days: int) -> bool:
    import datetime as dt
    try:
        da = dt.date.fromisoformat((a.get("published") or "")[:10])
        db = dt.date.fromisoformat((b.get("published") or "")[:10])
    except ValueError:
        return True                 # undated articles: no window to apply
    return abs((da - db).days) <= days


def _same_start(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[1] == b[1] or "?" in (a[1], b[1])


@dataclass
class Group:
    """A figure group, with running summaries of its members (period kinds and starts,
    value intervals, round and precise values, the percentages' metrics, how many give
    each value) so that testing a new figure costs about the logarithm of the group's
    size, not its size.

    A group read back from its stored summary (``from_state``) holds in ``members`` only
    the figures added since (``complete`` is False): they are flagged against the stored
    earliest statement (``flag_new``) unless that, or what the flags depend on, changed."""
    id: int
    bucket: tuple
    members: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts: dict[str, set[str]] = {}       # period kind -> start years seen
        self._ivs: list[list[float]] = []             # merged value intervals, by low end
        self._round: list[float] = []                 # sorted distinct values of round members
        self._precise: list[tuple[float, str]] = []   # sorted distinct (value, qualifier)
        self._round_q: dict[float, set[str]] = {}
        self._vmin = self._vmax = None                # smallest, largest value/low/high
        self.low = self.high = None                   # smallest low (else value), largest high
        self._pct: set[str] = set()                   # metrics of percentages (_other_whole)
        # value -> [members giving it (ranges not counted), the earliest of them (_when),
        # its qualifier]: what _precise_reference needs
        self._vals: dict[float, list] = {}
        self.head: Optional[dict[str, Any]] = None    # the first placed (lowest id)
        self.size = 0
        self.complete = True            # members holds every member
        self.first: Optional[dict[str, Any]] = None   # the earliest statement (after flags)
        self.ref: Optional[tuple[float, str]] = None  # the precise reference's value, qualifier
        self.known = 0                  # members other than first whose order is known
        self.first_flags: list[str] = []
        self.needs_members = False      # see assign
        self._texts: list[Optional[str]] = [None, None]   # stored summary, not yet read
        self._bins: Optional[tuple[int, int]] = None       # stored value bins (until read)
        self.stored_first_flags: Optional[list[str]] = None
        members, self.members = self.members, []
        for m in members:
            self.add(m)

    def add(self, f: dict[str, Any]) -> None:
        self._load()
        self.members.append(f)
        self._index(f)

    def value_bins(self) -> Optional[tuple[int, int]]:
        """The value bins of every figure this group could accept (see ``reach_bins``)."""
        if self._texts[0] is not None:
            return self._bins
        if self._vmin is None:
            return None
        return _reach(self._vmin, self._vmax)

    def _index(self, f: dict[str, Any]) -> None:
        self.size += 1
        if self.head is None or f["figure_id"] < self.head["figure_id"]:
            self.head = {"figure_id": f["figure_id"], "published": f.get("published")}
        for x in (f["value"], f.get("low"), f.get("high")):
            if x is not None:
                x = float(x)
                self._vmin = x if self._vmin is None else min(self._vmin, x)
                self._vmax = x if self._vmax is None else max(self._vmax, x)
        lo_ = f.get("low") if f.get("low") is not None else f["value"]
        hi_ = f.get("high") if f.get("high") is not None else f["value"]
        self.low = lo_ if self.low is None else min(self.low, lo_)
        self.high = hi_ if self.high is None else max(self.high, hi_)
        pc = period_class(f)
        if pc[0]:
            self._starts.setdefault(pc[0], set()).add(pc[1])
        lo, hi = interval(f)
        k = bisect.bisect_left(self._ivs, [lo, hi])
        self._ivs.insert(k, [lo, hi])
        merged: list[list[float]] = []
        for a, b in self._ivs:                        # few intervals: merge in one pass
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._ivs = merged
        v = float(f["value"])
        q = f.get("qualifier") or "exact"
        if _is_round(v):
            if v not in self._round_q:
                bisect.insort(self._round, v)
            self._round_q.setdefault(v, set()).add(q)
        else:
            k = bisect.bisect_left(self._precise, (v, q))
            if k == len(self._precise) or self._precise[k] != (v, q):
                self._precise.insert(k, (v, q))
        if f.get("unit") == "percent":
            self._pct.add(f.get("metric"))
        if f.get("qualifier") != "range":
            w = list(_when(f))
            c = self._vals.get(v)
            if c is None:
                self._vals[v] = [1, w, f.get("qualifier")]
            else:
                c[0] += 1
                if w < c[1]:
                    c[1], c[2] = w, f.get("qualifier")

    def _overlaps(self, iv: tuple[float, float]) -> bool:
        for a, b in self._ivs[max(0, bisect.bisect_left(self._ivs, [iv[0], iv[0]]) - 1):]:
            slack = 0.005 * max(abs(b), abs(iv[1]), 1)
            if a > iv[1] + slack:
                return False
            if iv[0] <= b + slack:
                return True
        return False

    def _rounds(self, f: dict[str, Any]) -> bool:
        """Is f a rounded form of a precise member, or a precise form of a round one?"""
        v = float(f["value"])
        if not v:
            return False
        lo, hi = sorted((v * 0.9, v / 0.9))
        if _is_round(v):
            i = bisect.bisect_left(self._precise, (lo, ""))
            cands = [{"value": pv, "qualifier": pq} for pv, pq in self._precise[i:]
                     if pv <= hi]
        else:
            i = bisect.bisect_left(self._round, lo)
            cands = [{"value": rv, "qualifier": q} for rv in self._round[i:] if rv <= hi
                     for q in sorted(self._round_q[rv])]
        return any(_rounding_match(f, c) for c in cands)

    def accepts(self, f: dict[str, Any]) -> bool:
        """The kind of period (cumulative since X, within year Y) must agree with every
        member; the value with at least one. A different start year of the same kind joins
        only when the value agrees closely: that is a wrong year, flagged as ``period``."""
        self._load(flag=False)
        if self.bucket[0] == "?" and not _within_days(f, self.head, UNKNOWN_WINDOW_DAYS):
            return False
        if f.get("unit") == "percent" and any(
                _other_whole(f, {"unit": "percent", "metric": m}) for m in self._pct):
            return False
        agrees = self._overlaps(interval(f)) or self._rounds(f)
        pc = period_class(f)
        if pc[0]:
            for kind, starts in self._starts.items():
                if kind != pc[0]:
                    return False
                if pc[1] != "?" and starts - {pc[1], "?"} and not (
                        agrees and kind == "cumulative"):
                    return False
        return agrees

    # --- stored summary ---------------------------------------------------------------

    def state(self) -> tuple[str, str]:
        """What placing and flagging more figures needs of this group, without its
        members, as two JSON texts (``from_state`` reads them back): what testing a
        figure needs (``accepts``), read for every group near new figures, and what
        adding and flagging needs, read only for the groups they join. Flags must be
        current."""
        self._load()
        place = {"head": self.head,
                 "starts": {k: sorted(v) for k, v in sorted(self._starts.items())},
                 "ivs": self._ivs, "round": [[v, sorted(self._round_q[v])] for v in self._round],
                 "precise": [list(p) for p in self._precise], "vmin": self._vmin,
                 "vmax": self._vmax, "pct": sorted(self._pct, key=lambda m: (m is not None, m or ""))}
        flag = {"size": self.size, "low": self.low, "high": self.high,
                "vals": [[v, *c] for v, c in sorted(self._vals.items())],
                "first": {k: v for k, v in self.first.items() if k != "flags"},
                "first_flags": list(self.first_flags),
                "ref": list(self.ref) if self.ref else None, "known": self.known}
        return json.dumps(place), json.dumps(flag)

    @classmethod
    def from_state(cls, gid: int, bucket: tuple, place: str, flag: str,
                   bins: Optional[tuple[int, int]]) -> "Group":
        """A group from its stored summary (``state``) and value bins: each part is
        parsed when first needed."""
        g = cls(gid, bucket)
        g.complete = False
        g._texts = [place, flag]
        g._bins = bins
        return g

    def _load(self, flag: bool = True) -> None:
        if self._texts[0] is not None:
            st = json.loads(self._texts[0])
            self._texts[0] = None
            self.head = st["head"]
            self._starts = {k: set(v) for k, v in st["starts"].items()}
            self._ivs = [list(iv) for iv in st["ivs"]]
            self._round = [v for v, _ in st["round"]]
            self._round_q = {v: set(qs) for v, qs in st["round"]}
            self._precise = [(v, q) for v, q in st["precise"]]
            self._vmin, self._vmax = st["vmin"], st["vmax"]
            self._pct = set(st["pct"])
        if flag and self._texts[1] is not None:
            st = json.loads(self._texts[1])
            self._texts[1] = None
            self.size, self.low, self.high = st["size"], st["low"], st["high"]
            self._vals = {v: [n, w, q] for v, n, w, q in st["vals"]}
            self.first, self.first_flags = st["first"], list(st["first_flags"])
            self.stored_first_flags = list(st["first_flags"])
            self.ref = tuple(st["ref"]) if st["ref"] else None
            self.known = st["known"]

    def load_members(self, old: list[dict[str, Any]]) -> None:
        """Give a group read from its summary its stored members back (their summaries
        are in it already), so that ``_flag`` can flag them all."""
        self.members = list(old) + self.members
        self.complete = True


# bumped when the stored summary's layout changes: an older one is rebuilt from the members
STATE_VERSION = 1


def _rounding_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """975,100 vs "nearly 1 million": a precise number and a round form of it (within 5%,
    or 10% when the round one carries a hedge)."""
    va, vb = float(a["value"]), float(b["value"])
    if not va or not vb or _is_round(va) == _is_round(vb):
        return False
    rnd = a if _is_round(va) else b
    limit = 0.05 if (rnd.get("qualifier") or "exact") == "exact" else 0.10
    return abs(va - vb) / max(abs(va), abs(vb)) <= limit


def _digit_unit(value: float) -> float:
    """The place value of a number's last significant digit: 465,000 -> 1,000;
    460,000 -> 10,000; 1,000,000 -> 1,000,000; 6.3 -> 0.1."""
    d = Decimal(repr(abs(float(value)))).normalize()
    return float(Decimal(1).scaleb(d.as_tuple().exponent))


# how far a rounded figure may sit from the precise one, by the round one's qualifier
_ROUNDING_REL = {"exact": 0.05, "approx": 0.10, "nearly": 0.10, "less_than": 0.10,
                 "at_most": 0.10, "more_than": 0.10, "at_least": 0.10}


def is_rounding(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Is one of two figures a rounded form of the other? The rounder one (its last
    significant digit at a higher place) must equal the precise one rounded at that place,
    the way its qualifier allows: to the nearest for a plain number ("975,100" -> "1
    million"), down for "over"/"at least" ("over 465,000" -> "over 460K"), up for
    "nearly"/"up to" ("975,100" -> "nearly 1 million"), either way for "about". A
    transposition ("456,000" vs "465,000") or a number on the wrong side of its hedge
    ("over 460K" for 456,000) is not rounding but a different value."""
    va, vb = float(a["value"]), float(b["value"])
    if not va or not vb or va == vb or (va < 0) != (vb < 0):
        return False
    ua, ub = _digit_unit(va), _digit_unit(vb)
    if ua == ub:
        return False
    rnd, precise = (a, b) if ua > ub else (b, a)
    r, p = abs(float(rnd["value"])), abs(float(precise["value"]))
    unit = max(ua, ub)
    q = rnd.get("qualifier") or "exact"
    limit = _ROUNDING_REL.get(q)
    if limit is None or abs(r - p) / max(r, p) > limit:
        return False
    eps = unit * 1e-9
    if q in ("more_than", "at_least"):
        return r - eps <= p < r + unit - eps
    if q in ("nearly", "less_than", "at_most"):
        return r - unit + eps < p <= r + eps
    if q == "approx":
        return abs(r - p) < unit - eps
    return abs(r - p) <= unit / 2 + eps


@functools.lru_cache(maxsize=1 << 12)
def _head_noun(metric: Optional[str]) -> Optional[str]:
    """Outside the curated families, the counted noun itself: "825 days" -> "~day";
    "days of war" -> "~day" (the head comes before "of")."""
    words = re.findall(r"[a-z]+", (metric or "").lower())
    if "of" in words[1:]:
        words = words[:words.index("of", 1)]
    if not words:
        return None
    w = words[-1]
    return "~" + (w[:-1] if w.endswith("s") and len(w) > 3 else w)


def _sig(value: float) -> str:
    return f"{float(value):.2g}"


UNKNOWN_WINDOW_DAYS = 45


_families = functools.lru_cache(maxsize=1 << 16)(metric_families)


def bucket_of(f: dict[str, Any]) -> tuple:
    """(what is counted, unit, whose). A figure whose metric the text does not say is
    bucketed by its value instead, and may only meet figures published close in time."""
    fams = _families(f.get("metric"), f.get("unit"))
    fam = min(fams) if fams else _head_noun(f.get("metric"))
    if fam:
        return fam, f.get("unit") or "", subject_root(f.get("subject")) or ""
    return "?", f.get("unit") or "", _sig(f["value"])


def group_figures(figures: Iterable[dict[str, Any]]) -> list[Group]:
    """Deterministic grouping of all figures from scratch."""
    groups, _ = assign(figures)
    return groups


def assign(figures: Iterable[dict[str, Any]], groups: Optional[list[Group]] = None,
           next_id: int = 1, flag: bool = True) -> tuple[list[Group], list[Group]]:
    """Figures in id order join the first compatible group of their bucket (what is
    counted, unit, whose), else start one. A figure with an unknown subject may join a
    group of the same metric with a known one, and the other way round. Each figure is
    compared only with the groups of its own (metric, unit) kind whose values it could
    agree with (value bins, see ``reach_bins``), so the cost grows with the new figures,
    not with their pairs nor with the groups of a kind. ``groups`` are existing groups to
    go on from (incremental); returns (all groups, the groups that changed), flags
    recomputed for the changed ones - but for a group read from its summary whose new
    members cannot be flagged alone (``flag_new``): its ``needs_members`` is True and the
    caller gives it its members (``Group.load_members``) and calls ``_flag``. With
    ``flag`` False nothing is flagged (the caller calls ``flag_touched``). Going on from
    stored groups gives the same groups as starting over."""
    groups = list(groups or [])
    by_kind: dict[tuple, dict[str, _BinIndex]] = {}
    for g in sorted(groups, key=lambda g: g.id):
        by_kind.setdefault(tuple(g.bucket[:2]), {}).setdefault(
            g.bucket[2], _BinIndex()).add(g)
    touched: dict[int, Group] = {}
    for f in sorted(figures, key=lambda x: x["figure_id"]):
        b = bucket_of(f)
        subjects = by_kind.setdefault(b[:2], {})
        if b[0] == "?" or b[2]:
            keys = [b[2]] + ([] if b[0] == "?" or not b[2] else [""])
        else:
            keys = list(subjects)
        window = query_bins(f)
        found: dict[int, Group] = {}
        for k in keys:
            if k in subjects:
                subjects[k].candidates(window, found)
        target = None
        for gid in sorted(found):
            if found[gid].accepts(f):
                target = found[gid]
                break
        if target is None:
            target = Group(next_id, b)
            next_id += 1
            groups.append(target)
            target.add(f)
            subjects.setdefault(b[2], _BinIndex()).add(target)
        else:
            target.add(f)
            subjects[target.bucket[2]].update(target)
        touched[target.id] = target
    out = sorted(touched.values(), key=lambda g: g.id)
    if flag:
        flag_touched(out)
    return groups, out


def flag_touched(groups: list[Group]) -> None:
    """Flag the groups new figures joined: every member of a complete group, the new
    members of one read from its summary (``flag_new``; else its ``needs_members``)."""
    for g in groups:
        if g.complete:
            _flag(g)
        else:
            g.needs_members = not flag_new(g)


# Value bins: a quarter of a doubling each. A figure can only join a group one of whose
# members' intervals overlaps its own (with a little slack) or one of whose values it
# rounds (within 10%), so it need only be compared with the groups whose reach shares a
# bin with its window. Both are drawn generously; anything that is not a plain positive
# number, or spans too many bins, is WIDE (compared with everything of its kind).
BINS_PER_DOUBLING = 4
MAX_BINS = 48
WIDE = -1_000_000


def _bin(x: float) -> int:
    return math.floor(math.log2(x) * BINS_PER_DOUBLING)


def _bin_span(lo: float, hi: float) -> Optional[tuple[int, int]]:
    if not (lo > 0 and hi >= lo and math.isfinite(hi)):
        return None
    a, b = _bin(lo), _bin(hi)
    return (a, b) if b - a <= MAX_BINS else None


def reach_bins(members: Iterable[dict[str, Any]]) -> Optional[tuple[int, int]]:
    """The bins of every value a group of these members could accept, or None (any)."""
    nums = [float(x) for m in members for x in (m["value"], m.get("low"), m.get("high"))
            if x is not None]
    if not nums:
        return None
    return _reach(min(nums), max(nums))


def _reach(lo: float, hi: float) -> Optional[tuple[int, int]]:
    # member intervals lie within [0.85 lo, 1.15 hi]; the overlap slack is 0.5% of a high end
    return _bin_span(0.8 * lo - 0.01 * max(hi, 1.0), 1.2 * hi + 0.01)


def query_bins(f: dict[str, Any]) -> Optional[tuple[int, int]]:
    """The bins of the groups a figure could join, or None (any)."""
    v = float(f["value"])
    if not v > 0:
        return None
    a, b = interval(f)
    lo, hi = min(a, b, 0.9 * v), max(a, b, v / 0.9)
    return _bin_span(lo - 0.01 * max(hi, 1.0), 1.01 * hi + 0.01)


class _BinIndex:
    """The groups of one bucket, by value bin."""

    def __init__(self) -> None:
        self.wide: dict[int, Group] = {}
        self.bins: dict[int, dict[int, Group]] = {}
        self.span: dict[int, Optional[tuple[int, int]]] = {}

    def add(self, g: Group) -> None:
        self.update(g)

    def update(self, g: Group) -> None:
        new = g.value_bins()
        old = self.span.get(g.id, ())
        if old == new:
            return
        if old:
            for k in range(old[0], old[1] + 1):
                self.bins[k].pop(g.id, None)
        self.wide.pop(g.id, None)
        self.span[g.id] = new
        if new is None:
            self.wide[g.id] = g
        else:
            for k in range(new[0], new[1] + 1):
                self.bins.setdefault(k, {})[g.id] = g

    def candidates(self, window: Optional[tuple[int, int]], out: dict[int, Group]) -> None:
        out.update(self.wide)
        if window is None:
            for gs in self.bins.values():
                out.update(gs)
            return
        for k in range(window[0], window[1] + 1):
            gs = self.bins.get(k)
            if gs:
                out.update(gs)


def _when(f: dict[str, Any]) -> tuple:
    return (f.get("stated_on") or f.get("published") or "9999", f.get("published") or "9999",
            bool(f.get("headline")), f["figure_id"])


def earliest_of(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The statement the others are compared with (diff-report.md): among figures credited
    to someone, the smallest statement date, else the earliest publication date; ties go
    to the earliest published, then to a statement in an article's body over its headline
    (a headline summarises the body), then to the first stored. With nobody credited, the
    earliest of all."""
    credited = [m for m in members if m.get("speaker_name")] or list(members)
    # a statement without a date of its own was made on or before its publication day:
    # "1,874 dead" published on the 10th comes before "nearly 1,900", said on the 10th
    # and published on the 11th
    return min(credited, key=lambda m: (m.get("stated_on") or m.get("published") or "9999",
                                        m.get("published") or "9999",
                                        bool(m.get("headline")), m["figure_id"]))


FLAG_ORDER = ("speaker", "qualifier", "value", "rounding", "metric", "period", "date")


def _precise_reference(g: Group, first: dict[str, Any]) -> Optional[tuple[float, str]]:
    """When the earliest statement is a rounded number ("nearly half a million"), the
    precise number most of the group gives (465,000, said by at least two), provided the
    earliest is a rounding of it: values are also checked against it. (value, qualifier
    of its earliest statement), from the group's value counts."""
    best = None
    unit = _digit_unit(float(first["value"]))
    for v, (n, _, q) in sorted(g._vals.items()):
        # the earliest's own value (never counted in the original rule) has its digit unit
        if n < 2 or _digit_unit(v) >= unit:
            continue
        if not is_rounding({"value": v, "qualifier": q}, first):
            continue
        if best is None or (n, -_digit_unit(v)) > (best[0], -_digit_unit(best[1])):
            best = (n, v, q)
    return (best[1], best[2]) if best else None


# differences the earliest statement itself is flagged with when it alone differs
_ODD_ONE_OUT = ("qualifier", "value", "metric", "period")


def _order_unknown(f: dict[str, Any], first: dict[str, Any]) -> bool:
    """Could ``f`` have come before ``first``? Yes when it has no publication date and
    either no statement date or the same one (the same statement, reported undated)."""
    return not f.get("published") and (not f.get("stated_on")
                                       or f.get("stated_on") == first.get("stated_on"))


def _member_flags(f: dict[str, Any], first: dict[str, Any],
                  ref: Optional[tuple[float, str]]) -> list[str]:
    flags = flags_against(f, first)
    if ref is not None and "value" not in flags and \
            _value_differs(f, {"value": ref[0], "qualifier": ref[1]}):
        # "more than 456 thousand" where the sources say 465,000 and the earliest
        # "nearly half a million": a different number, not a rounding
        flags = [t for t in FLAG_ORDER if t in flags and t != "rounding" or t == "value"]
    return flags


def _flag(g: Group) -> None:
    """Flags of every member against the group's earliest statement. When no other is
    known to come later (no publication date, and no statement date or the same one: any
    of them may have come first) and they all agree with each other on what the earliest
    differs in, the earliest is the odd one out and is flagged with that difference too
    (with one other, a difference shows on both rows). Every member must be in
    ``g.members``."""
    g.members.sort(key=_when)
    first = earliest_of(g.members)
    g.members.remove(first)
    g.members.insert(0, first)
    ref = _precise_reference(g, first)
    for f in g.members:
        f["flags"] = [] if f is first else _member_flags(f, first, ref)
    others = g.members[1:]
    if others and all(_order_unknown(o, first) for o in others):
        base = others[0]
        agree = [flags_against(o, base) for o in others[1:]]
        first["flags"] = [t for t in _ODD_ONE_OUT
                          if all(t in o["flags"] for o in others)
                          and not any(t in fl for fl in agree)]
    g.first, g.ref, g.first_flags = first, ref, list(first["flags"])
    g.known = sum(not _order_unknown(o, first) for o in others)


def summarise(g: Group, flags: dict[int, list[str]]) -> None:
    """What ``_flag`` leaves on a group (its earliest statement, precise reference, how
    many members are known to come later, the earliest's flags), for a group whose
    members are flagged already (``flags``: their flags by figure id)."""
    first = earliest_of(g.members)
    g.first, g.ref = first, _precise_reference(g, first)
    g.first_flags = list(flags.get(first["figure_id"]) or [])
    g.known = sum(not _order_unknown(o, first) for o in g.members if o is not first)


def flag_new(g: Group) -> bool:
    """Flag the figures added to a group read from its summary (``g.members``) as
    ``_flag`` would with every member there, when that needs none of the others: the
    earliest statement and the precise reference stay what they were (so no stored
    member's flags change) and some member is known to come after the earliest (so the
    earliest is no odd one out: no flags). False, flagging nothing, when they do not:
    ``_flag`` must then see every member."""
    first = earliest_of([g.first] + g.members)
    if first is not g.first:
        return False
    ref = _precise_reference(g, first)
    if ref != g.ref:
        return False
    known = g.known + sum(not _order_unknown(f, first) for f in g.members)
    if not known:
        return False
    for f in g.members:
        f["flags"] = _member_flags(f, first, ref)
    g.known, g.first_flags = known, []
    return True


def flags_against(f: dict[str, Any], first: dict[str, Any]) -> list[str]:
    flags = []
    if f.get("speaker_name") and not same_speaker(f.get("speaker_name"),
                                                  first.get("speaker_name")):
        flags.append("speaker")     # narration credits nobody: no speaker to compare
    rounding = is_rounding(f, first)
    if (f.get("qualifier") or "exact") != (first.get("qualifier") or "exact") and not rounding:
        flags.append("qualifier")   # 975,100 vs "nearly 1 million" is rounding, not a hedge
    if not rounding and _value_differs(f, first):
        flags.append("value")
    if rounding:
        flags.append("rounding")
    sf, s0 = metric_sense(f.get("metric")), metric_sense(first.get("metric"))
    if (sf != s0 and "any" not in (sf, s0)) or _share_of_other(f, first):
        flags.append("metric")
    pf, p0 = period_class(f), period_class(first)
    if pf[0] != p0[0] or not _same_start(pf, p0):
        flags.append("period")
    if f.get("stated_on") and first.get("stated_on") and f["stated_on"] != first["stated_on"]:
        flags.append("date")
    elif f.get("stated_on") and not first.get("stated_on") and first.get("published") and \
            f["stated_on"] > first["published"][:10]:
        flags.append("date")        # the earliest was said by its publication day at the latest
    return flags


_METRIC_STOP = frozenset(("of", "the", "and", "in", "on", "for", "a", "an", "its", "their"))


@functools.lru_cache(maxsize=1 << 12)
def _metric_words(metric: Optional[str]) -> frozenset[str]:
    words = re.findall(r"[a-z]+", (metric or "").lower())
    return frozenset(w[:-1] if w.endswith("s") and len(w) > 3 else w
                     for w in words if w not in _METRIC_STOP)


def _share_of_other(f: dict[str, Any], first: dict[str, Any]) -> bool:
    """Two percentages of different things: "40% of government spending" vs "defence
    spending to 40 percent" (neither phrase contains the other)."""
    if f.get("unit") != "percent" or first.get("unit") != "percent":
        return False
    a, b = _metric_words(f.get("metric")), _metric_words(first.get("metric"))
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _other_whole(f: dict[str, Any], m: dict[str, Any]) -> bool:
    """Percentages of wholes that share no word ("30 percent of the confirmed dead" vs
    "30 percent of the farmland") are different figures, never one group; sharing a word
    ("government spending" vs "defence spending") they stay one group, flagged ``metric``."""
    if f.get("unit") != "percent" or m.get("unit") != "percent":
        return False
    a, b = _metric_words(f.get("metric")), _metric_words(m.get("metric"))
    return bool(a) and bool(b) and not (a & b)


def _values(f: dict[str, Any]) -> list[dict[str, Any]]:
    """The numbers a figure states: both ends of a range, else its value."""
    if f.get("qualifier") == "range" and f.get("high") is not None:
        lo = f.get("low") if f.get("low") is not None else f["value"]
        return [{"value": lo, "qualifier": "exact"}, {"value": f["high"], "qualifier": "exact"}]
    return [f]


def _value_differs(f: dict[str, Any], first: dict[str, Any]) -> bool:
    """The numbers differ beyond rounding: 456,000 vs 465,000, 1.2 million vs 1 million.
    "up to 30,000" states the top of "20,000 to 30,000": not a different value."""
    for a in _values(f):
        for b in _values(first):
            va, vb = float(a["value"]), float(b["value"])
            if abs(va - vb) <= 0.005 * max(abs(va), abs(vb), 1e-9) or is_rounding(a, b):
                return False
    return True


def is_serious(f: dict[str, Any], first: dict[str, Any]) -> bool:
    """A below <-> above flip of the qualifier."""
    return {DIRECTION.get(f.get("qualifier")), DIRECTION.get(first.get("qualifier"))} == \
        {"below", "above"}


def label(g: Group) -> str:
    first = g.first if g.first is not None else g.members[0]
    what = first.get("metric") or "figure"
    whose = first.get("subject")
    period = first.get("period_text")
    value = format_value(first)
    parts = [what]
    if whose:
        parts.append(f"of {whose}")
    if period:
        parts.append(period)
    return " · ".join([" ".join(parts), value])


def format_value(f: dict[str, Any]) -> str:
    v = f.get("value")
    if v is None:
        return "?"
    unit = f.get("unit")
    s = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return s + "%"
    if unit:
        return f"{s} {unit}"
    return s

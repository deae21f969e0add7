"""Article -> claims: sentences, attributions, speakers resolved across the article,
statement dates, figures and origin links. Pure: no I/O, no store."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Optional

from claimaudit.extract.attribution import RawClaim, claims_in_sentence
from claimaudit.extract.dates import find_date_refs, normalize_published
from claimaudit.extract.figures import find_figures
from claimaudit.extract.sentences import quotations, sentences
from claimaudit.extract.transcripts import issuer as transcript_issuer
from claimaudit.extract.speakers import (Phrase, canonical_body, classify, fold, phrase_after,
                                         phrase_before)
from claimaudit.sources.text import parse_dateline
from claimaudit.models import Article, Claim, DateRef, Origin, Period, SpeakerRef, TextSpan
from claimaudit.vocab import metric_families

STATEMENT_PRECISIONS = ("day", "week")
GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


@dataclass(eq=False)   # identity: list membership must not compare every field
class _Known:
    name: str
    kind: str
    role: Optional[str] = None
    gender: Optional[str] = None
    words: set[str] = field(default_factory=set)
    # (folded last word, folded first letter, word count) of ``key_of``: recomputed only
    # when ``name`` is reassigned (person() compares every known person on each mention)
    key_of: Optional[str] = field(default=None, repr=False)
    key: tuple = field(default=(), repr=False)


class _Speakers:
    """Who has been named so far in one article, to resolve surnames, pronouns, roles."""

    def __init__(self) -> None:
        self.people: list[_Known] = []     # in order of last mention
        self.bodies: list[_Known] = []
        self._surnames: Optional[list[str]] = None    # of people, until one is added or renamed

    def surnames(self) -> list[str]:
        """The last word of each known person's name (in no particular order)."""
        if self._surnames is None:
            self._surnames = [k.name.split()[-1] for k in self.people]
        return self._surnames

    def _touch(self, lst: list[_Known], k: _Known) -> _Known:
        if k in lst:
            lst.remove(k)
        lst.append(k)
        return k

    def person(self, name: str, role: Optional[str], create: bool = True) -> Optional[_Known]:
        parts = name.split()
        if self.people:     # (the name's folded words, once: not once per person known)
            last, initial = fold(parts[-1]), fold(parts[0])[:1]
        n = len(parts)
        for k in reversed(self.people):
            if k.key_of is not k.name:
                kp = k.name.split()
                k.key, k.key_of = (fold(kp[-1]), fold(kp[0])[:1], len(kp)), k.name
            k_last, k_initial, k_n = k.key
            if k_last == last and (n == 1 or k_n == 1 or k_initial == initial):
                if n > k_n:
                    k.name = name
                    self._surnames = None
                if role and not k.role:
                    k.role = role
                self._add_words(k, role)
                return self._touch(self.people, k)
        if not create:
            return None
        k = _Known(name, "person", role)
        self._add_words(k, role)
        self._surnames = None
        return self._touch(self.people, k)

    def body(self, name: str) -> _Known:
        name = canonical_body(name)
        for k in reversed(self.bodies):
            if fold(k.name) == fold(name):
                return self._touch(self.bodies, k)
        k = _Known(name, "body")
        self._add_words(k, name)
        return self._touch(self.bodies, k)

    def body_containing(self, name: str) -> Optional[_Known]:
        """"the General Staff" after "the AFU General Staff": a known body whose name
        holds every word of this one."""
        words = set(_LOWER_WORD_RE.findall(fold(name))) - {"the", "of"}
        if not words or canonical_body(name) != name:
            return None
        for k in reversed(self.bodies):
            if words < set(_LOWER_WORD_RE.findall(fold(k.name))) | k.words:
                return self._touch(self.bodies, k)
        return None

    @staticmethod
    def _add_words(k: _Known, phrase: Optional[str]) -> None:
        if phrase:
            k.words.update(_long_words(phrase))

    def pronoun(self, word: str) -> Optional[_Known]:
        w = word.lower()
        if w in ("he", "she"):
            g = GENDER[w]
            for k in reversed(self.people):
                if k.gender in (None, g):
                    k.gender = g
                    return self._touch(self.people, k)
            return None
        if w == "it":
            return self.bodies[-1] if self.bodies else None
        if w in ("they", "we"):
            return self.bodies[-1] if self.bodies else None
        return None

    def description(self, phrase: str) -> Optional[_Known]:
        """'the minister', "Russia's top general", 'the ministry', 'the chairman of the
        port board': the last one it fits. A description with a complement ("chairman of
        X") fits only someone both of whose words it names."""
        head, last = _head_and_last(phrase)
        if not head:
            return None
        # "the top official" is one person: never "Ukrainian officials", a body
        for lst in (self.people,) if head in PERSON_NOUNS else (self.people, self.bodies):
            for k in reversed(lst):
                if _fits(last, k.words) and (head == last or _fits(head, k.words)):
                    return self._touch(lst, k)
        if head in PERSON_NOUNS:
            # "the country's top health official": the person whose role names the field
            mods = _modifiers(phrase, head)
            for k in reversed(self.people):
                if mods and any(_fits(m, k.words) for m in mods):
                    return self._touch(self.people, k)
        return None


_LOWER_WORD_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def _long_words(phrase: str) -> tuple[str, ...]:
    """The folded words of a name or role longer than two letters (memoised: a speaker's
    role is added again on every mention)."""
    return tuple(w for w in _LOWER_WORD_RE.findall(fold(phrase)) if len(w) > 2)


DESC_SKIP = frozenset(("the", "a", "an", "top", "senior", "chief", "s"))
DESC_BREAK = frozenset(("of", "to", "at", "for", "in", "from", "on", "with"))


@lru_cache(maxsize=4096)   # a function of the phrase alone; descriptions recur
def _head_and_last(phrase: str) -> tuple[Optional[str], Optional[str]]:
    """The head noun of a description and its last word: 'the chairman of the Joint
    Chiefs' -> ('chairman', 'chiefs'); "Russia's top general" -> ('general', 'general')."""
    words = [w for w in _LOWER_WORD_RE.findall(fold(phrase)) if w not in DESC_SKIP]
    if not words:
        return None, None
    cut = next((i for i, w in enumerate(words) if w in DESC_BREAK), len(words))
    head = words[cut - 1] if cut > 0 else words[-1]
    last = words[-1] if words[-1] not in DESC_BREAK else head
    return head, last


DESC_GENERIC = frozenset("country countrys nation national state government official top senior "
                         "chief deputy former acting new".split())


def _modifiers(phrase: str, head: str) -> list[str]:
    """The telling words before a description's head: 'health' in "the country's top
    health official" (not 'country', 'top')."""
    words = _LOWER_WORD_RE.findall(fold(phrase))
    if head not in words:
        return []
    return [w for w in words[:words.index(head)] if len(w) > 3 and w not in DESC_GENERIC
            and w not in DESC_SKIP]


def _fits(word: str, words: set[str]) -> bool:
    return word in words or (len(word) > 5 and any(w.startswith(word[:6]) for w in words))


THE_WORD_RE = re.compile(r"(?i)the\s+\w+$")


def _resolve(sp: Phrase, role: Optional[str], known: _Speakers, text: str,
             sent_start: int) -> tuple[Optional[str], Optional[str], str]:
    """(canonical name, role, kind) for a speaker phrase as written."""
    if sp.kind == "pronoun":
        low = sp.text.lower()
        if low in ("who", "which"):
            ante = phrase_before(text, sent_start, _comma_before(text, sent_start, sp.start))
            if ante and ante.kind in ("person", "body"):
                sp = ante
            else:
                return None, None, "pronoun"
        else:
            k = known.pronoun(low)
            return (k.name, k.role, k.kind) if k else (None, None, "pronoun")
    if sp.kind == "person":
        k = known.person(sp.name, role or sp.role)
        return k.name, role or sp.role or k.role, "person"
    if sp.kind == "body":
        k = known.description(sp.text) if THE_WORD_RE.match(sp.text) else None
        if k is None and sp.text[:4].lower() == "the ":
            k = known.body_containing(sp.name)
        if k:
            return k.name, k.role, k.kind
        k = known.body(sp.name)
        return k.name, role, "body"
    k = known.description(sp.text)
    if k:
        return k.name, k.role, k.kind
    return sp.name, role, "description"


INTRO_RE = re.compile(r"(?:(?:On|In|At|After|Before|During|Earlier|Later|Last|This|Since|By|"
                      r"Meanwhile|However|Separately|Speaking|Asked|Elsewhere)\b[^,;:]{0,60},\s*)",
                      re.UNICODE)


LABEL_RE = re.compile(r"[A-Z][a-z]{2,12}:\s+")


# two capitalised words in a row ("Valery Gerasimov", "Gen. Berg"): a sentence without them
# can open with a person only by a surname already known
NAME_GATE_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'.\-]*[ \t]+[A-ZÀ-ÖØ-Þ]")


class _NameGate:
    """``NAME_GATE_RE.search(text, s, hi)`` for every sentence of one text, from one scan.

    A match at p is fixed by p (a run, blanks, a capital: no choice to backtrack to), so
    it is found with ``endpos=hi`` exactly when it ends by hi. A position inside a match
    of the whole-text scan can only match on to or past that match's end; so the first
    match of the scan at or after s answers, unless s lies inside an earlier match."""
    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [m.span() for m in NAME_GATE_RE.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def search(self, s: int, hi: int) -> bool:
        starts, ends = self.starts, self.ends
        i = bisect_left(starts, s)
        if i and ends[i - 1] > s:       # s inside a match of the scan: ask the engine
            return NAME_GATE_RE.search(self.text, s, hi) is not None
        return i < len(starts) and starts[i] < hi and ends[i] <= hi


def _may_name_person(text: str, s: int, e: int, known: "_Speakers", gate: _NameGate) -> bool:
    """A cheap test before :func:`_subject_person` (which tokenises the sentence's
    opening): False only when that function's answer could change nothing."""
    hi = min(e, s + 400)
    if gate.search(s, hi):
        return True
    window = text[s:hi]
    for surname in known.surnames():
        if surname in window:
            return True
    return False


def _subject_person(text: str, s: int, e: int) -> Optional[Phrase]:
    """The person a sentence is about, when it opens with one: "On Monday, Gen. Valery
    Gerasimov, chief of the General Staff, went ..." -> Valery Gerasimov. Pronouns that
    follow refer to the last such person as well as to the last speaker."""
    pos = s
    m = LABEL_RE.match(text, pos, e)      # "Details: In his speech, Berg cited ..."
    if m:
        pos = m.end()
    m = INTRO_RE.match(text, pos, e)
    if m:
        pos = m.end()
    ph = phrase_after(text, pos, min(e, pos + 160))
    if ph is None or ph.kind == "pronoun":
        return None
    if ph.kind == "person":
        return ph
    # "Russia's chief of the General Staff, Gen. Valery Gerasimov, told ..."
    rest = text[ph.end:min(e, ph.end + 4)]
    if rest.startswith(","):
        k = ph.end + 1
        while k < e and text[k].isspace():
            k += 1
        nxt = phrase_after(text, k, min(e, k + 80))
        if nxt is not None and nxt.kind == "person":
            nxt.role = nxt.role or ph.text
            return nxt
    return None


def _comma_before(text: str, s: int, pos: int) -> int:
    k = pos
    while k > s and text[k - 1] in " ,":
        k -= 1
    return k


def _stated_on(text: str, rc: RawClaim, refs: list[DateRef],
               others: tuple = ()) -> Optional[DateRef]:
    """A date said of the statement: outside its content and outside what the sentence's
    other claims report ("repeated that 1,874 died since March 3, rejecting claims that"),
    nearest to the cue."""
    best, dist = None, None
    for r in refs:
        if r.precision not in STATEMENT_PRECISIONS or r.span is None:
            continue
        if any(a <= r.span[0] < b for a, b in rc.content) or \
                any(a <= r.span[0] < b for o in others for a, b in o.content):
            continue
        d = _cue_distance(r, rc.cue)
        if any(_cue_distance(r, o.cue) < d for o in others):
            continue        # the date of another cue of the sentence
        if dist is None or d < dist:
            best, dist = r, d
    return best


def _cue_distance(r: DateRef, cue: tuple[int, int]) -> int:
    return abs(r.span[0] - cue[1]) if r.span[0] >= cue[0] else abs(cue[0] - r.span[1])


def _published_day(article: Article) -> Optional[str]:
    return normalize_published(article.published) if article.published else None


def extract_claims(article: Article, *, narration: bool = False) -> list[Claim]:
    """Every attributed statement in the article, with speakers, dates, figures, origins.

    With ``narration``, a sentence that gives figures without crediting anyone (a headline,
    the reporter's own summary) is kept too, as a claim of kind "narration" with no
    speaker and an empty cue: restatements in headlines are where hedges get dropped."""
    text = article.text
    published = _published_day(article)
    issuer = transcript_issuer(text, article.title)
    keep_narration = narration
    narration = narration or issuer is not None   # a statement's own figures are claims
    known = _Speakers()
    gate = _NameGate(text)
    claims: list[Claim] = []
    last_period: list = []
    dl = parse_dateline(text).get("span") or (0, 0)
    orphans: list[tuple[int, int, Optional[Claim]]] = []   # uncredited sentences of a paragraph
    cont: Optional[Claim] = None      # whose quotation runs on into later paragraphs
    cont_end = -1
    prev_end = 0
    for s, e in sentences(text):
        if text.find("\n", prev_end, s) >= 0:
            orphans = []
        prev_end = e
        raws = claims_in_sentence(text, s, e)
        if QUESTION_RE.match(text, s, e):
            # "What does the Port Authority say about ...": a heading, not a claim; its
            # speaker is still someone later sentences may call "the Authority"
            for rc in raws:
                if rc.speaker is not None:
                    _resolve(rc.speaker, rc.role, known, text, s)
            continue
        src = SOURCE_LINE_RE.match(text, s, e)
        if src:
            _credit_source_line(text, s, e, src.end(), claims, known)
        subj = _subject_person(text, s, e) if _may_name_person(text, s, e, known, gate) \
            else None
        if subj is not None and not any(r.speaker and r.speaker.start == subj.start
                                        for r in raws):
            # a lone capitalised word may be "Despite" or "Meanwhile": only known surnames
            known.person(subj.name, subj.role, create=len(subj.name.split()) > 1)
        if not raws:
            if claims and s < claims[-1].content.span[1] and s >= claims[-1].content.span[0]:
                continue        # read already: a quotation running on from a sentence before
            if s >= cont_end and text[s:s + 1] in QUOTE_OPENERS:
                cont, cont_end = _quote_owner(text, s, claims)
            if cont is not None and s < cont_end:
                # a quotation that goes on into a new paragraph: its speaker's words
                figs = find_figures(text, s, e, published=published)
                _carry_periods(text, figs, last_period)
                claims.append(Claim(id=len(claims), speaker=cont.speaker, cue=cont.cue,
                                    content=TextSpan(text[s:e], (s, e)), kind="direct",
                                    stated_on=cont.stated_on, figures=figs))
                continue
            if narration and not LIST_LABEL_RE.match(text, s, e):
                fs = max(s, dl[1]) if s < dl[1] and e > dl[0] else s   # not the dateline
                figs = find_figures(text, fs, e, published=published)
                _carry_periods(text, figs, last_period)
                if figs:
                    claims.append(Claim(id=len(claims), speaker=None,
                                        cue=TextSpan("", (s, s)), content=TextSpan(text[s:e], (s, e)),
                                        kind="narration", figures=figs))
                    orphans.append((s, e, claims[-1]))
                    continue
            orphans.append((s, e, None))
            continue
        refs = [r for r in find_date_refs(text, s, e, published=published)
                if not (r.span and dl[0] <= r.span[0] < dl[1])]
        if any(r.provenance for r in raws):
            _link_origins(text, raws, claims, known, refs, s)
            continue
        built = []
        for rc in raws:
            others = tuple(r for r in raws if r is not rc) if len(raws) > 1 else ()
            claim = _build_claim(text, rc, known, refs, published, len(claims), s,
                                 last_period, others)
            if claim:
                if dl[0] <= claim.content.span[0] < dl[1] < claim.content.span[1]:
                    _after_dateline(text, claim, dl[1])
                claims.append(claim)
                built.append(claim)
        if len(built) > 1:      # (one claim holds no other)
            _figures_to_innermost(built)
        if orphans and len(built) == 1 and DASH_CUE_RE.search(
                text, max(0, built[0].cue.span[0] - 8), built[0].cue.span[0]) \
                and built[0].content.span[0] <= s + 1:
            _take_paragraph(text, built[0], orphans, claims, published, last_period)
        orphans = []
    _resolve_descriptions(claims, known)
    _complete_names(text, claims, known)
    if issuer is not None:
        _credit_transcript(issuer, claims, published)
        if not keep_narration:
            claims = [c for c in claims if c.kind != "narration"]
    _carry_dates(claims)
    for i, c in enumerate(claims):
        c.id = i
    return claims


def _carry_dates(claims: list[Claim]) -> None:
    """A speaker's later statements without a date of their own ("He added ...") carry
    the date of that speaker's last dated statement; once names are resolved, so that
    "the expert", "he" and "Narayan" count as one speaker."""
    last: dict[str, DateRef] = {}
    for c in claims:
        key = c.speaker.name if c.speaker else None
        if not key:
            continue
        if c.stated_on:
            last[key] = c.stated_on
        elif key in last:
            c.stated_on = last[key]


def _credit_transcript(issuer, claims: list[Claim], published: Optional[str]) -> None:
    """A first-person statement ('UK statement to the OSCE'): its uncredited figures,
    and those credited to "we" or "I", are the issuer's; published as delivered, it was
    said on its publication day unless it says otherwise."""
    ph, name = issuer
    said = DateRef(published, "day", "") if published and len(published) == 10 else None
    for c in claims:
        sp = c.speaker
        if c.figures and (sp is None or FIRST_PERSON_SPEAKER_RE.match(sp.text)):
            c.speaker = SpeakerRef(name=name, text=ph.text, span=(ph.start, ph.end),
                                   role=ph.role, kind=ph.kind)
            if c.kind == "narration":
                c.kind = "direct"     # the issuer's own words, as delivered
            c.stated_on = c.stated_on or said


FIRST_PERSON_SPEAKER_RE = re.compile(r"(?i)(?:we|i|us|(?:our|my)\s+\w+)$")


QUOTE_OPENERS = "“\"«„"
# "b. 465,000." or "3) 40%": a list label restating the figure the item then gives
LIST_LABEL_RE = re.compile(r"[(\[]?[a-zA-Z0-9]{1,2}[.)\]]\s+[^\s]{1,20}[.:]?\s*\Z")


def _quote_owner(text: str, s: int, claims: list[Claim]) -> tuple[Optional[Claim], int]:
    """A paragraph that opens with a quotation mark after a paragraph whose quotation
    never closed (the newswire convention for a long quote): the claim that quotation
    belongs to, and where this paragraph's quotation ends."""
    if text.rfind("\n", 0, s) < 0 or text[text.rfind("\n", 0, s) + 1:s].strip():
        return None, -1
    quotes = quotations(text)
    k = bisect_left(quotes, s, key=attrgetter("start"))
    if not k or k >= len(quotes) or quotes[k].start != s:
        return None, -1
    prev, here = quotes[k - 1], quotes[k]
    if prev.closed:
        return None, -1
    for c in reversed(claims):
        if c.speaker is not None and c.kind != "narration" and \
                c.content.span[0] <= prev.start + 1 and prev.start < c.content.span[1]:
            return c, here.end
        if c.content.span[1] < prev.start:
            break
    return None, -1


QUESTION_RE = re.compile(r"(?:What|How|Why|When|Where|Who|Which|Whom|Whose)\s+(?:does|do|did|is|"
                         r"are|was|were|will|would|can|could|should|has|have|had)\b")
SOURCE_LINE_RE = re.compile(r"(?:Source|Sources|Via)\s*:\s+")
# ", — emphasised the diplomat": a dash before the cue that ends the paragraph
DASH_CUE_RE = re.compile(r"[,.]?\s*[—–]\s*\Z")


def _credit_source_line(text: str, s: int, e: int, pos: int, claims: list[Claim],
                        known: _Speakers) -> None:
    """'Source: Ann Berg, counsellor at the mission' under a paragraph credits that
    paragraph's uncredited figures (and those credited only to a country or body) to her."""
    ph = phrase_after(text, pos, min(e, pos + 160))
    if ph is None or ph.kind not in ("person", "body"):
        return
    role = ph.role
    if ph.kind == "person":
        m = re.match(r",\s*([^,]{3,120}?)(?:,|$)", text[ph.end:e])
        role = role or (m.group(1).strip() if m else None)
        k = known.person(ph.name, role)
    else:
        k = known.body(ph.name)
    k_end = text.rfind("\n", 0, s)
    block = text.rfind("\n", 0, k_end) + 1 if k_end >= 0 else 0
    for c in claims:
        if c.content.span[0] < block or not c.figures:
            continue
        if c.speaker is None or (c.speaker.kind == "body" and ph.kind == "person"):
            c.speaker = SpeakerRef(name=k.name, text=ph.text, span=(ph.start, ph.end),
                                   role=k.role, kind=k.kind)
            if c.kind == "narration":
                c.kind = "indirect"
                c.cue = TextSpan(text[s:pos].strip(), (s, s + len(text[s:pos].rstrip())))


def _take_paragraph(text, claim: Claim, orphans, claims: list[Claim], published,
                    last_period) -> None:
    """'980 ships were delayed. This is the highest since records began, — emphasised
    the envoy.': a dash cue at the end of a paragraph credits the sentences before it."""
    first = orphans[0][0]
    spans = [[a, b] for a, b, _ in orphans] + (claim.content.spans or [list(claim.content.span)])
    figs = []
    for a, b, nc in orphans:
        if nc is not None:
            figs.extend(nc.figures)
            claims.remove(nc)
        else:
            figs.extend(find_figures(text, a, b, published=published))
    claim.figures = figs + claim.figures
    end = claim.content.span[1]
    claim.content = TextSpan(text[first:end], (first, end), spans)
    claim.kind = "indirect"


# "(?:[A-Z][\w’'.\-]+\s+){1,4}\Z" with its first word written out: a character set first, so
# the engine skips other characters fast instead of trying the pattern at every position
CAP_RUN_END_RE = re.compile(r"[A-Z][\w’'.\-]+\s+(?:[A-Z][\w’'.\-]+\s+){0,3}\Z")


def _complete_names(text: str, claims: list[Claim], known: _Speakers) -> None:
    """A speaker named only by surname ("Berg said") whose full name the article gives
    elsewhere, outside any claim ("The estimate from Captain Olaf Berg came ..."): the
    full name, when the article gives exactly one."""
    for k in known.people:
        if " " in k.name or len(k.name) < 3:
            continue
        fulls = set()
        n = len(k.name)
        i = text.find(k.name)
        while i >= 0:
            j = i + n
            if i > 0 and text[i - 1].isspace() and (j == len(text) or not text[j].isalnum()):
                m = CAP_RUN_END_RE.search(text, max(0, i - 80), i)
                if m and (m.start() == 0 or not (text[m.start() - 1].isalnum()
                                                 or text[m.start() - 1] in "’'")):
                    ph = classify(text, m.start(), j)
                    if ph.kind == "person" and " " in ph.name and ph.name.split()[-1] == k.name:
                        fulls.add(ph.name)
            i = text.find(k.name, j)
        if len(fulls) == 1:
            full = fulls.pop()
            for c in claims:
                for sp in [c.speaker] + [o.speaker for o in c.origin]:
                    if sp is not None and sp.name == k.name and sp.kind in ("person", "pronoun",
                                                                            "description"):
                        sp.name = full
            k.name = full
            known._surnames = None


def _after_dateline(text: str, claim: Claim, end: int) -> None:
    """"MOSCOW, Dec 17 (Beta News) - Ukraine has lost ..., X said": the dateline is not
    part of what was said."""
    while end < len(text) and text[end] in " \t-–—":
        end += 1
    a, b = claim.content.span
    claim.content = TextSpan(text[end:b], (end, b),
                             [[max(x, end), y] for x, y in claim.content.spans if y > end]
                             if claim.content.spans else None)


def _figures_to_innermost(claims: list[Claim]) -> None:
    """Nested attribution ("X put losses at 20,000, the broadcaster reported"): a figure
    belongs to the innermost claim whose content holds it, not to the outer report."""
    for outer in claims:
        inner = [c for c in claims if c is not outer and c.figures
                 and outer.content.span[0] <= c.content.span[0]
                 and c.content.span[1] <= outer.content.span[1]
                 and c.content.span != outer.content.span]
        if inner:
            outer.figures = [f for f in outer.figures
                             if not any(c.content.span[0] <= f.span[0] < c.content.span[1]
                                        for c in inner)]


PERSON_NOUNS = frozenset("""
general official diplomat expert minister spokesman spokeswoman spokesperson chairman
chairwoman chief commander president secretary envoy ambassador counsellor counselor adviser
advisor analyst aide leader head director governor senator premier chancellor representative
""".split())


def _resolve_descriptions(claims: list[Claim], known: _Speakers) -> None:
    """Second pass over descriptions left unresolved ("America's top general", "the UK
    diplomat"): the article may name the person only later. Match role words first; a
    description of one person ("the expert") otherwise goes to the person the article
    credits most, when there is exactly one such leader."""
    people = {k.name for k in known.people}
    counts = Counter(c.speaker.name for c in claims
                     if c.speaker and c.speaker.kind in ("person", "pronoun")
                     and c.speaker.name in people)
    top = counts.most_common(2)
    leader = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
    for c in claims:
        sp = c.speaker
        if sp is None or sp.kind != "description":
            continue
        k = known.description(sp.text)
        if k is not None:
            sp.name, sp.role, sp.kind = k.name, sp.role or k.role, k.kind
            continue
        head, _ = _head_and_last(sp.text)
        if leader and head in PERSON_NOUNS:
            sp.name, sp.kind = leader, "person"
            sp.role = sp.role or sp.text


SAME_PERIOD_RE = re.compile(
    r"\b(?:over|in|during|for|across)\s+(?:the\s+same\s+(?:period|time|span|stretch)|that\s+"
    r"(?:time|period|span)|this\s+period)\b", re.IGNORECASE)


def _carry_periods(text: str, figures, last_period: list) -> None:
    """"over the same period", "in that time": the period of the figure before."""
    for f in figures:
        if f.period is None and last_period:
            k = text.rfind(".", 0, f.span[0]) + 1
            m = SAME_PERIOD_RE.search(text, k, min(len(text), f.span[1] + 120))
            if m:
                p = last_period[-1]
                f.period = Period(m.group(), p.start, p.end, (m.start(), m.end()), carried=True)
        if f.period is not None:
            last_period.append(f.period)


def _build_claim(text, rc: RawClaim, known, refs, published, seq, sent_start,
                 last_period, others: tuple = ()):
    sp = rc.speaker
    name, role, kind = _resolve(sp, rc.role, known, text, sent_start) if sp else (None, None, "")
    speaker = None
    if name:
        speaker = SpeakerRef(name=name, text=sp.text, span=(sp.start, sp.end),
                             role=role, kind=kind if sp.kind != "pronoun" else "pronoun",
                             phrase=_source_phrase(text, rc, sp))
    elif sp is not None:
        speaker = SpeakerRef(name=sp.text, text=sp.text, span=(sp.start, sp.end),
                             role=None, kind=sp.kind)
    stated = _stated_on(text, rc, refs, others)
    cs, ce = rc.content_span
    figures = []
    for a, b in rc.content:
        figures.extend(find_figures(text, a, b, published=published))
    _carry_periods(text, figures, last_period)
    origins = []
    om = ORIGIN_APPOS_RE.search(text, cs, ce)
    if om:
        # "..., a toll first made public by Ilse Varnholt, head of the agency, that morning"
        oph = phrase_after(text, om.end(), min(ce, om.end() + 120))
        if oph is not None and oph.kind in ("person", "body"):
            rc.origin_phrases.append((oph, (om.start("cue"), oph.end), om.group("cue")))
            ce = _trim_end(text, cs, om.start())
            rc.content = [(a, min(b, ce)) for a, b in rc.content if a < ce]
            figures = [f for f in figures if f.span[0] < ce]
    for ph, span, cue in rc.origin_phrases:
        oname, orole, okind = _resolve(ph, None, known, text, sent_start)
        origins.append(Origin(SpeakerRef(oname or ph.name, ph.text, (ph.start, ph.end), orole,
                                         okind), span, None, cue))
    content = TextSpan(text[cs:ce], (cs, ce))
    if len(rc.content) > 1:
        content.spans = [list(c) for c in rc.content]
    return Claim(id=seq, speaker=speaker, cue=TextSpan(text[rc.cue[0]:rc.cue[1]], rc.cue),
                 content=content, kind=rc.kind, stated_on=stated, figures=figures,
                 origin=origins)


def _source_phrase(text: str, rc: RawClaim, sp: Phrase) -> Optional[tuple[int, int]]:
    """The source as written around the name, appositive included, trimmed of the commas
    and spaces that bound it (None when it is the name itself)."""
    if not rc.source:
        return None
    a, b = rc.source
    a, b = min(a, sp.start), max(b, sp.end)
    while b > a and text[b - 1] in " ;:—–-\n":
        b -= 1
    return (a, b) if (a, b) != (sp.start, sp.end) else None


ORIGIN_APPOS_RE = re.compile(
    r",\s+(?:a|the|which|that|an)\s+(?:[\w’'\-]+\s+){0,3}?(?:was\s+|were\s+|had\s+been\s+)?"
    r"(?P<cue>(?:first|previously|initially|originally)\s+(?:made\s+public|revealed|reported|"
    r"published|announced|disclosed|given|released)\s+by)\s+")


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1] in " ,;":
        e -= 1
    return e


def _link_origins(text, raws: list[RawClaim], claims: list[Claim], known, refs, sent_start):
    """A provenance sentence ("the figures ... were first revealed by X on Monday"):
    link X to the earlier figures of the article that it talks about."""
    for rc in raws:
        if not rc.provenance or rc.speaker is None:
            continue
        name, role, kind = _resolve(rc.speaker, rc.role, known, text, sent_start)
        if not name:
            continue
        sp = rc.speaker
        stated = None
        for r in refs:
            if r.precision in STATEMENT_PRECISIONS and r.span and r.span[0] >= rc.cue[0]:
                stated = r
                break
        about = " ".join(text[a:b] for a, b in rc.content)
        fams = metric_families(about)
        credited = {k.name for k in known.people + known.bodies
                    if re.search(r"\b%s\b" % re.escape(k.name.split()[-1]), about)}
        origin = Origin(SpeakerRef(name, sp.text, (sp.start, sp.end), role, kind),
                        span=(rc.sentence[0], rc.sentence[1]), stated_on=stated,
                        cue=text[rc.cue[0]:rc.cue[1]])
        targets = [c for c in claims if c.figures and c.speaker is not None
                   and (not credited or c.speaker.name in credited)
                   and (not fams or any(metric_families(f.metric, f.unit) & fams
                                        for f in c.figures))]
        if not fams and SINGULAR_REF_RE.match(about.strip()):
            targets = targets[-1:]      # "That figure was first made public by X"
        for c in targets:
            c.origin.append(origin)


SINGULAR_REF_RE = re.compile(r"(?i)(?:that|this|the)\s+(?:\w+\s+)?(?:figure|number|estimate|"
                             r"total|count|toll|tally)\b")

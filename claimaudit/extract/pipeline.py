"""Article -> claims: sentences, attributions, speakers resolved across the article,
statement dates, figures and origin links. Pure: no I/O, no store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from claimaudit.extract.attribution import RawClaim, claims_in_sentence
from claimaudit.extract.dates import find_date_refs, normalize_published
from claimaudit.extract.figures import find_figures
from claimaudit.extract.sentences import sentences
from claimaudit.extract.speakers import Phrase, fold, phrase_after, phrase_before
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


class _Speakers:
    """Who has been named so far in one article, to resolve surnames, pronouns, roles."""

    def __init__(self) -> None:
        self.people: list[_Known] = []     # in order of last mention
        self.bodies: list[_Known] = []

    def _touch(self, lst: list[_Known], k: _Known) -> _Known:
        if k in lst:
            lst.remove(k)
        lst.append(k)
        return k

    def person(self, name: str, role: Optional[str], create: bool = True) -> Optional[_Known]:
        parts = name.split()
        for k in reversed(self.people):
            kp = k.name.split()
            if fold(kp[-1]) == fold(parts[-1]) and (
                    len(parts) == 1 or len(kp) == 1 or fold(kp[0])[:1] == fold(parts[0])[:1]):
                if len(parts) > len(kp):
                    k.name = name
                if role and not k.role:
                    k.role = role
                self._add_words(k, role)
                return self._touch(self.people, k)
        if not create:
            return None
        k = _Known(name, "person", role)
        self._add_words(k, role)
        return self._touch(self.people, k)

    def body(self, name: str) -> _Known:
        for k in reversed(self.bodies):
            if fold(k.name) == fold(name):
                return self._touch(self.bodies, k)
        k = _Known(name, "body")
        self._add_words(k, name)
        return self._touch(self.bodies, k)

    @staticmethod
    def _add_words(k: _Known, phrase: Optional[str]) -> None:
        if phrase:
            k.words.update(w for w in re.findall(r"[a-z]+", fold(phrase)) if len(w) > 2)

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
        """'the minister', "Russia's top general", 'the ministry': the last one it fits."""
        words = [w for w in re.findall(r"[a-z]+", fold(phrase))
                 if w not in ("the", "a", "an", "of", "top", "senior", "chief")]
        if not words:
            return None
        head = words[-1]
        for lst in (self.people, self.bodies):
            for k in reversed(lst):
                if head in k.words or any(w.startswith(head[:6]) for w in k.words if len(head) > 5):
                    return self._touch(lst, k)
        return None


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
        k = known.description(sp.text) if re.match(r"(?i)the\s+\w+$", sp.text) else None
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


def _subject_person(text: str, s: int, e: int) -> Optional[Phrase]:
    """The person a sentence is about, when it opens with one: "On Monday, Gen. Valery
    Gerasimov, chief of the General Staff, went ..." -> Valery Gerasimov. Pronouns that
    follow refer to the last such person as well as to the last speaker."""
    pos = s
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


def _stated_on(text: str, rc: RawClaim, refs: list[DateRef]) -> Optional[DateRef]:
    """A date said of the statement: outside the content, nearest to the cue."""
    best, dist = None, None
    for r in refs:
        if r.precision not in STATEMENT_PRECISIONS or r.span is None:
            continue
        if any(a <= r.span[0] < b for a, b in rc.content):
            continue
        d = abs(r.span[0] - rc.cue[1]) if r.span[0] >= rc.cue[0] else abs(rc.cue[0] - r.span[1])
        if dist is None or d < dist:
            best, dist = r, d
    return best


def _published_day(article: Article) -> Optional[str]:
    return normalize_published(article.published) if article.published else None


def extract_claims(article: Article, *, narration: bool = False) -> list[Claim]:
    """Every attributed statement in the article, with speakers, dates, figures, origins.

    With ``narration``, a sentence that gives figures without crediting anyone (a headline,
    the reporter's own summary) is kept too, as a claim of kind "narration" with no
    speaker and an empty cue: restatements in headlines are where hedges get dropped."""
    text = article.text
    published = _published_day(article)
    known = _Speakers()
    claims: list[Claim] = []
    last_date: dict[str, DateRef] = {}
    last_period: list = []
    dl = parse_dateline(text).get("span") or (0, 0)
    for s, e in sentences(text):
        raws = claims_in_sentence(text, s, e)
        subj = _subject_person(text, s, e)
        if subj is not None and not any(r.speaker and r.speaker.start == subj.start
                                        for r in raws):
            # a lone capitalised word may be "Despite" or "Meanwhile": only known surnames
            known.person(subj.name, subj.role, create=len(subj.name.split()) > 1)
        if not raws:
            if narration:
                fs = max(s, dl[1]) if s < dl[1] and e > dl[0] else s   # not the dateline
                figs = find_figures(text, fs, e, published=published)
                _carry_periods(text, figs, last_period)
                if figs:
                    claims.append(Claim(id=len(claims), speaker=None,
                                        cue=TextSpan("", (s, s)), content=TextSpan(text[s:e], (s, e)),
                                        kind="narration", figures=figs))
            continue
        refs = [r for r in find_date_refs(text, s, e, published=published)
                if not (r.span and dl[0] <= r.span[0] < dl[1])]
        if any(r.provenance for r in raws):
            _link_origins(text, raws, claims, known, refs, s)
            continue
        built = []
        for rc in raws:
            claim = _build_claim(text, rc, known, refs, published, last_date, len(claims), s,
                                 last_period)
            if claim:
                claims.append(claim)
                built.append(claim)
        _figures_to_innermost(built)
    _resolve_descriptions(claims, known)
    return claims


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
    from collections import Counter
    counts = Counter(c.speaker.name for c in claims
                     if c.speaker and c.speaker.kind in ("person", "pronoun")
                     and any(k.name == c.speaker.name for k in known.people))
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
        words = re.findall(r"[a-z]+", fold(sp.text))
        if leader and words and words[-1] in PERSON_NOUNS:
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


def _build_claim(text, rc: RawClaim, known, refs, published, last_date, seq, sent_start,
                 last_period):
    sp = rc.speaker
    name, role, kind = _resolve(sp, rc.role, known, text, sent_start)
    speaker = None
    if name:
        speaker = SpeakerRef(name=name, text=sp.text, span=(sp.start, sp.end),
                             role=role, kind=kind if sp.kind != "pronoun" else "pronoun")
    elif sp is not None:
        speaker = SpeakerRef(name=sp.text, text=sp.text, span=(sp.start, sp.end),
                             role=None, kind=sp.kind)
    stated = _stated_on(text, rc, refs)
    key = speaker.name if speaker else None
    if stated:
        if key:
            last_date[key] = stated
    elif key and key in last_date:
        stated = last_date[key]   # carried from the same speaker's earlier statement
    cs, ce = rc.content_span
    figures = []
    for a, b in rc.content:
        figures.extend(find_figures(text, a, b, published=published))
    _carry_periods(text, figures, last_period)
    origins = []
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

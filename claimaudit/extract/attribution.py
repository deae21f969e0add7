"""Who said what: reporting cues, their sources and their contents, sentence by sentence.

Rules (general newswire English, no model):
  SOURCE CUE [that] CONTENT         Smith said (on Monday) (that) taxes rose.
  CONTENT, SOURCE CUE.              Taxes rose, Smith said.   "Taxes rose," Smith said.
  CONTENT, CUE SOURCE.              "Taxes rose," said Smith.
  "Q1," SOURCE CUE, "Q2."           a quote split around its cue
  X, which, SOURCE CUE, Y           a parenthetical cue
  according to SOURCE, CONTENT      and CONTENT, according to SOURCE.
  CONTENT was CUE-ed by SOURCE      passive
  SOURCE, APPOSITIVE, CUE ...       the appositive becomes the role
Every span is a pair of offsets into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from claimaudit.extract.speakers import Phrase, classify, phrase_after, phrase_before, tokens

_VERBS = {
    # base: (past, 3sg, ing) irregulars; regular ones are derived
    "say": ("said", "says", "saying"), "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing"), "tweet": None, "post": None,
    "state": None, "claim": None, "report": None, "announce": None, "add": None,
    "argue": None, "note": None, "insist": None, "warn": None, "explain": None,
    "assert": None, "acknowledge": None, "confirm": None, "reveal": None,
    "estimate": None, "allege": None, "accuse": None, "predict": None, "testify": None,
    "declare": None, "describe": None, "identify": None, "stress": None,
    "emphasize": None, "emphasise": None, "suggest": None, "mention": None,
    "respond": None, "reply": None, "recall": None, "concede": None, "admit": None,
    "deny": None, "maintain": None, "contend": None, "observe": None, "remark": None,
    "comment": None, "urge": None, "promise": None, "vow": None, "pledge": None,
    "indicate": None, "disclose": None, "boast": None, "complain": None,
    "forecast": ("forecast", "forecasts", "forecasting"), "project": None,
    "calculate": None, "cite": None, "highlight": None, "underline": None,
    "point": None, "tout": None, "brag": None, "caution": None, "counter": None,
    "continue": None, "conclude": None, "announce_": None, "show": ("showed", "shows", "showing"),
    "find": ("found", "finds", "finding"), "believe": None, "think": ("thought", "thinks", "thinking"),
    "ask": None, "answer": None, "assess": None, "put": ("put", "puts", "putting"),
    "quote": None, "blame": None, "acknowledged_": None, "inform": None, "brief": None,
    "specify": None, "recount": None, "charge": None, "hint": None, "reiterate": None,
    "repeat": None, "echo": None, "retort": None, "proclaim": None, "affirm": None,
    "assure": None, "advise": None, "exclaim": None, "joke": None, "muse": None,
    "agree": None, "dispute": None, "suggest_": None, "speculate": None, "surmise": None,
    "tally": None, "record": None, "count": None, "document": None, "list": None,
    "register": None,
}
_NEEDS_PARTICLE = {"point": r"(?:\s+out)", "put": r"(?:\s+(?:it|the\s+\w+(?:\s+\w+)?)\s+at)"}
# verbs that are cues only with a clause or quote after them, never alone before an object
_WEAK = {"show", "find", "believe", "think", "ask", "answer", "continue", "agree", "count",
         "record", "list", "register", "document", "tally", "put", "project", "post",
         "quote", "cite", "blame", "charge", "brief", "inform", "echo", "repeat", "assess",
         "dispute", "describe", "identify", "highlight", "underline", "stress", "emphasize",
         "emphasise", "mention", "accuse", "urge", "promise", "vow", "pledge"}


def _forms(base: str, irregular) -> list[str]:
    if irregular:
        return [base, *irregular]
    if base.endswith("e"):
        past, ing = base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past, ing = base[:-1] + "ied", base + "ing"
    elif re.search(r"[^aeiou][aeiou][pt]$", base) and base not in ("visit", "limit", "edit"):
        past, ing = base + base[-1] + "ed", base + base[-1] + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    third = base[:-1] + "ies" if base.endswith("y") and base[-2] not in "aeiou" else (
        base + "es" if re.search(r"(?:s|sh|ch|x|z|o)$", base) else base + "s")
    return [base, past, third, ing]


def _build_cues():
    lemma_of: dict[str, str] = {}
    for base, irr in _VERBS.items():
        base = base.rstrip("_")
        for f in _forms(base, irr):
            lemma_of.setdefault(f, base)
    return lemma_of


LEMMA_OF = _build_cues()
CUE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, LEMMA_OF), key=len, reverse=True)) + r")\b"
    r"(?:\s+out\b)?", re.IGNORECASE)
ACCORDING_RE = re.compile(r"\b(?:according\s+to|as\s+quoted\s+by|in\s+the\s+words\s+of)\s+",
                          re.IGNORECASE)
PASSIVE_RE = re.compile(
    r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been|been)\s+"
    r"(?:(?:first|initially|previously|earlier|originally|also|later|widely|officially)\s+)?"
    r"(?P<verb>revealed|reported|announced|disclosed|released|published|stated|given|provided|"
    r"made\s+public|cited|confirmed|presented|estimated|quoted|shared|put\s+forward|mentioned)"
    r"\s+by\s+", re.IGNORECASE)
PROVENANCE_RE = re.compile(
    r"\b(?:first|initially|previously|originally|earlier)\s+(?:been\s+)?(?:revealed|reported|"
    r"announced|disclosed|released|published|made\s+public|given|provided|presented|mentioned|"
    r"cited|put\s+forward)\s+by\b|\bcame\s+from\b|\boriginat\w+\s+(?:with|from)\b",
    re.IGNORECASE)
CITING_RE = re.compile(r"\b(?:citing|cited)\s+", re.IGNORECASE)
THAT_RE = re.compile(r"\s*(?:,\s*)?(?:that|:)\s+", re.IGNORECASE)
QUOTE_OPEN = "“\"«‘'„"
QUOTE_CLOSE = "”\"»’'“"
QUOTES = "“”\"«»„"
TOLD_OBJECT_RE = re.compile(
    r"\s*(?:him|her|them|us|me|reporters|journalists|the\s+\w+(?:\s+\w+){0,3}?|a\s+\w+(?:\s+\w+){0,3}?|"
    r"[A-Z][\w’'.\-]*(?:\s+(?:of\s+)?[A-Z][\w’'.\-]*)*)(?=\s+(?:that|on|in|at|during|last|this|,|:)|\s*[,:“\"])",
)
# temporal and setting phrases between a cue and its content
LEAD_IN_RE = re.compile(
    r"\s*(?:,\s*)?(?:(?:on|last|this|late|early|earlier)\s+(?:\w+day|week|month|year|night|morning|"
    r"afternoon|evening)(?:\s+(?:night|morning|afternoon|evening))?|"
    r"(?:in|during|at)\s+(?:a|an|the|his|her|its|their)\s+[^,.;:“\"]{1,60}?(?=\s+(?:that|,)|\s*[,:])|"
    r"(?:to|in)\s+(?:reporters|journalists|lawmakers|parliament|congress|the\s+press)|"
    r"(?:also|again|further|repeatedly|previously|recently)|"
    r"on\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2})(?=\W)",
    re.IGNORECASE)


@dataclass
class RawClaim:
    """A claim before speakers are resolved across the article."""
    speaker: Optional[Phrase]
    cue: tuple[int, int]
    content: list[tuple[int, int]]
    sentence: tuple[int, int]
    kind: str = "indirect"
    role: Optional[str] = None
    origin_phrases: list[tuple[Phrase, tuple[int, int], str]] = field(default_factory=list)
    provenance: bool = False

    @property
    def content_span(self) -> tuple[int, int]:
        return (self.content[0][0], self.content[-1][1])


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace and trailing sentence punctuation (not quotes) from a span."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:—–-" and not _inside_quote_end(text, s, e)):
        e -= 1
    return s, e


def _inside_quote_end(text: str, s: int, e: int) -> bool:
    # keep "…pretenses,”" style endings: punctuation right before a closing quote is kept anyway
    return False


def _kind(text: str, frags: list[tuple[int, int]]) -> str:
    joined = " ".join(text[s:e] for s, e in frags)
    quoted = sum(joined.count(q) for q in QUOTES)
    if not quoted:
        return "indirect"
    stripped = joined.strip().rstrip(".,")
    if stripped[:1] in QUOTE_OPEN and stripped[-1:] in QUOTE_CLOSE and quoted <= 2 * len(frags):
        return "direct"
    return "mixed"


def _quote_balance(text: str, s: int, e: int) -> int:
    """Open curly/guillemet quotes minus closed ones in text[s:e]; straight quotes by parity."""
    seg = text[s:e]
    bal = seg.count("“") + seg.count("«") - seg.count("”") - seg.count("»")
    return bal + (seg.count('"') % 2)


def claims_in_sentence(text: str, s: int, e: int) -> list[RawClaim]:
    """Every attribution found inside the sentence text[s:e]."""
    out: list[RawClaim] = []
    used: list[tuple[int, int]] = []
    seg = text[s:e]
    prov = bool(PROVENANCE_RE.search(seg))

    for m in ACCORDING_RE.finditer(text, s, e):
        sp = phrase_after(text, m.end(), e)
        if not sp:
            continue
        cue = (m.start(), m.end() - 1 if text[m.end() - 1].isspace() else m.end())
        cue = _trim(text, *cue)
        after = text[sp.end:e]
        if re.match(r"\s*,", after) and _before_is_empty_or_lead(text, s, m.start()):
            content = [_trim(text, sp.end, e)]
        else:
            content = [_trim(text, s, m.start())]
        content = [c for c in content if c[1] > c[0]]
        if content:
            out.append(RawClaim(sp, cue, content, (s, e), _kind(text, content)))
            used.append((m.start(), sp.end))

    for m in PASSIVE_RE.finditer(text, s, e):
        sp = phrase_after(text, m.end(), e)
        if not sp:
            continue
        content = [_trim(text, _clause_start(text, s, m.start()), m.start())]
        if content[0][1] <= content[0][0]:
            continue
        cue = (m.start(), m.end())
        cue = _trim(text, *cue)
        rc = RawClaim(sp, cue, content, (s, e), _kind(text, content))
        rc.provenance = prov
        out.append(rc)
        used.append((m.start(), sp.end))

    for m in CUE_RE.finditer(text, s, e):
        if any(a <= m.start() < b for a, b in used):
            continue
        rc = _claim_at_cue(text, s, e, m)
        if rc:
            rc.provenance = prov and rc.provenance
            out.append(rc)
            used.append(rc.cue)
    out.sort(key=lambda c: c.cue[0])
    for rc in out:
        for cm in CITING_RE.finditer(text, rc.cue[1], e):
            sp = phrase_after(text, cm.end(), e)
            if sp and sp is not rc.speaker:
                rc.origin_phrases.append((sp, (cm.start(), sp.end), "citing"))
    return out


def _before_is_empty_or_lead(text: str, s: int, pos: int) -> bool:
    before = text[s:pos].strip()
    return not before or len(before.split()) <= 4 and before.endswith(",")


def _clause_start(text: str, s: int, pos: int) -> int:
    """Start of the clause that ends at ``pos``: after the last ; or : or sentence start."""
    k = max(text.rfind(";", s, pos), text.rfind(":", s, pos))
    return k + 1 if k >= 0 else s


def _claim_at_cue(text: str, s: int, e: int, m: re.Match) -> Optional[RawClaim]:
    word = m.group().split()[0].lower()
    lemma = LEMMA_OF.get(word)
    if lemma is None:
        return None
    cs, ce = m.start(), m.end()
    if lemma == "point" and "out" not in m.group().lower():
        return None
    if lemma == "cite":
        return None  # "citing X" names an origin, see CITING_RE
    before = text[s:cs]
    # a cue inside an open quote is part of the quoted words, not a cue
    if _quote_balance(text, s, cs) > 0:
        return None
    if word.endswith("ing") and re.search(r"\b(?:the|a|an|this|his|her|its|their)\s*$", before, re.I):
        return None  # "the saying", "a briefing"-like nouns
    if re.search(r"\b(?:to|will|would|could|should|might|may|must|can|did|does|do|not)\s*$",
                 before, re.I) and lemma not in ("say", "tell"):
        return None
    sp = phrase_before(text, s, cs)
    role = None
    after_cue = ce
    content: list[tuple[int, int]] = []

    # SOURCE, APPOSITIVE, CUE
    if sp and sp.kind == "description":
        ap = _appositive_owner(text, s, sp.start)
        if ap:
            role = sp.name
            sp = ap
    if sp is None and re.search(r",\s*$", before):
        # "X, the minister, said": appositive with a lowercase head
        ap = _appositive_head(text, s, cs)
        if ap:
            sp, role = ap
    inverted = False
    if sp is None:
        # "..., said Smith" / "“...,” said Smith"
        if re.search(r"[,”\"’»:]\s*$", before) or not before.strip():
            sp = phrase_after(text, ce, e)
            if sp:
                inverted = True
                after_cue = sp.end
    if sp is None:
        # participle of a sentence whose subject spoke: "Smith spoke, saying that ..."
        if word.endswith("ing") and re.search(r",\s*$", before):
            sp = _sentence_subject(text, s, cs)
        if sp is None:
            return None
    if lemma in _WEAK and not inverted:
        if not _has_clause_after(text, ce, e, lemma):
            return None
    # the content after the cue
    rest_s = after_cue
    if lemma == "tell" and not inverted:
        om = TOLD_OBJECT_RE.match(text, rest_s, e)
        if om:
            rest_s = om.end()
    while True:
        lm = LEAD_IN_RE.match(text, rest_s, e)
        if not lm or lm.end() == rest_s:
            break
        rest_s = lm.end()
    if inverted:
        pm = re.match(r"\s*,\s*(?:the\s+|a\s+)?[^,.“\"]{1,80},", text[rest_s:e])
        if pm and classify(text, rest_s, rest_s + pm.end()).kind in ("description", "body"):
            role = text[rest_s:rest_s + pm.end()].strip(" ,")
            rest_s += pm.end()
    tm = THAT_RE.match(text, rest_s, e)
    if tm:
        rest_s = tm.end()
    cut = CITING_RE.search(text, rest_s, e)
    after = _trim(text, rest_s, cut.start() if cut else e)
    before_span = _content_before(text, s, sp.start if not inverted else cs)
    parenthetical = (before_span is not None and re.match(r"\s*,", text[after_cue:e])
                     and not re.search(r"[”\"]\s*,?\s*$", text[s:sp.start if not inverted else cs]))
    if before_span and (after[1] - after[0] < 2 or re.match(r"\s*[.!?]*[”\"]?\s*$", text[after_cue:e])):
        content = [before_span]
    elif before_span and re.match(r"\s*,\s*[“\"«]", text[after_cue:e]):
        content = [before_span, after]  # "Q1," Smith said, "Q2."
    elif parenthetical and before_span:
        rel = re.search(r"\b(?:which|that|who|what)\s*$", text[before_span[0]:before_span[1]], re.I)
        if rel:
            before_span = (before_span[0] + rel.start(), before_span[1])
        content = [before_span, after]
    elif after[1] > after[0]:
        content = [after]
    elif before_span:
        content = [before_span]
    content = [c for c in content if c[1] > c[0]]
    if not content:
        return None
    cue = _trim(text, cs, ce)
    return RawClaim(sp, cue, content, (s, e), _kind(text, content), role)


def _has_clause_after(text: str, ce: int, e: int, lemma: str) -> bool:
    """Weak cues need a that-clause, a colon, a quote or a figure after them
    (or "X as Y" for describe, "X of Y" for accuse)."""
    rest = text[ce:e]
    if lemma in AS_VERBS and re.match(r"(?:\s+[\w’'\-]+){0,6}?\s+as\s+", rest):
        return True
    if lemma in OF_VERBS and re.match(r"(?:\s+[\w’'\-]+){1,6}?\s+of\s+", rest):
        return True
    return bool(re.match(
        r"(?:\s+(?:on|last|this|in|at|to)\s+[^,.;]{1,40}?)?\s*(?:that\b|:|,?\s*[“\"«])", rest)
        or re.match(r"\s+(?:it|the\s+\w+)?\s*at\s+[\d$£€]", rest)
        or re.search(r"\d", rest[:80]) and re.match(r"\s+(?:that|the|a|an|about|around|nearly|"
                                                    r"almost|more|over|some|roughly|at\s+least|up\s+to|\d|"
                                                    r"two|three|four|five|six|seven|eight|nine|ten|one)\b", rest))


AS_VERBS = {"describe", "identify", "cite", "blame"}
OF_VERBS = {"accuse", "charge", "warn", "inform", "brief"}


def _content_before(text: str, s: int, end: int) -> Optional[tuple[int, int]]:
    """Content that precedes the source: "Taxes rose," / “We won,” (ends with a comma)."""
    before = text[s:end]
    mm = re.search(r"[,:]\s*[”\"’»]?\s*$|[”\"’»]\s*,?\s*$|[—–]\s*$", before)
    if not mm:
        return None
    k = s + mm.end()
    # keep the quote and its comma inside a direct quote: “We won,”
    seg_end = s + mm.start()
    tail = text[seg_end:k].strip()
    if tail and tail[-1] in "”\"’»":
        seg_end = s + len(before.rstrip())
    elif tail.startswith(","):
        seg_end = s + mm.start()
    cs = _clause_start_for_before(text, s, seg_end)
    span = _trim(text, cs, seg_end)
    if span[1] - span[0] < 3:
        return None
    return span


def _clause_start_for_before(text: str, s: int, end: int) -> int:
    # when the content opens with a quote, start there
    q = -1
    for ch in "“«\"":
        k = text.find(ch, s, end)
        if k >= 0 and (q < 0 or k < q):
            q = k
    if q >= 0 and not text[s:q].strip(" —–-"):
        return q
    return s


def _appositive_owner(text: str, s: int, pos: int) -> Optional[Phrase]:
    """For "Smith, the head of X, said": the name before ", the head of X,"."""
    before = text[s:pos]
    if not re.search(r",\s*$", before):
        return None
    sp = phrase_before(text, s, s + len(before.rstrip()) - 1)
    if sp and sp.kind in ("person", "body"):
        return sp
    return None


def _appositive_head(text: str, s: int, cs: int) -> Optional[tuple[Phrase, str]]:
    """``NAME, the head of Russia's General Staff, CUE``: returns (NAME phrase, role)."""
    before = text[s:cs]
    m = re.search(r"([^,]{2,120}),\s*$", before)
    if not m:
        return None
    appos = m.group(1).strip()
    if not re.match(r"(?:the|a|an|his|her|its|[A-Z][\w’'.]*(?:’s|'s)|[a-z]+\s+(?:of|for)|former|"
                    r"chief|head|top|senior|deputy)\b", appos):
        return None
    if len(appos.split()) > 14:
        return None
    comma = s + m.start(1) - 1
    while comma > s and text[comma] != ",":
        comma -= 1
    if comma <= s or text[comma] != ",":
        return None
    owner = phrase_before(text, s, comma)
    if owner and owner.kind in ("person", "body"):
        return owner, appos.rstrip(",")
    return None


def _sentence_subject(text: str, s: int, cs: int) -> Optional[Phrase]:
    toks = tokens(text, s, cs)
    # first phrase of the sentence followed by a lowercase word (its verb)
    for k in range(1, min(len(toks), 12)):
        w = toks[k][2]
        if w[:1].islower() and w.lower() not in ("of", "and", "the", "for"):
            sp = phrase_before(text, s, toks[k][0])
            if sp and sp.start == toks[0][0]:
                return sp
            return None
    return None

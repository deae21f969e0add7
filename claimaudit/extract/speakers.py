"""Speaker noun phrases: find the words that name a source, split titles from names.

Pure functions over text. A speaker phrase is read right-to-left from a cue
(``Russian Defense Minister Andrey Belousov said``) or left-to-right after one
(``said Andrey Belousov``, ``according to the ministry``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from itertools import accumulate
from operator import add, itemgetter, sub
from typing import Optional

from claimaudit.extract.memo import per_text

PRONOUNS = {
    "he": "m", "she": "f", "they": "p", "it": "n", "we": "p", "i": "s", "you": "s",
    "who": "r", "which": "r",
}
# Words that name a title or office; they go to ``role``, never into the name.
TITLE_WORDS = frozenset("""
minister ministers president vice prime deputy secretary general gen gen. lt lt. col col. colonel
maj major adm adm. admiral chief chairman chairwoman chair commander head director spokesman
spokeswoman spokesperson senator sen sen. rep rep. representative governor gov gov. mayor
ambassador envoy chancellor king queen prince pope dr dr. mr mr. mrs mrs. ms ms. prof prof.
professor sir lord lady judge justice attorney foreign defense defence interior finance
economy health state army navy military security intelligence national presidential press
first former acting top senior aide adviser advisor officer official analyst lieutenant captain
capt capt. sergeant marshal field staff joint chiefs leader candidate nominee founder ceo cfo
executive manager economist researcher
""".split())
# Heads that make a phrase a body rather than a person.
BODY_WORDS = frozenset("""
ministry ministries department office government kremlin pentagon army forces command staff
council committee commission agency service institute university bank fund organization
organisation union party campaign administration parliament congress senate house court
embassy police military navy airforce guard guards headquarters bureau authority authorities
officials agency company group center centre unit directorate cabinet presidency white
tass reuters ap afp interfax ria bbc cnn nato un osce eu board boards association
foundation institute network newspaper magazine channel station networks assembly caucus
coalition alliance federation chamber lobby firm corporation tv television radio media
broadcaster outlet
report study survey poll data statement figures estimates
""".split())
# Lowercase nouns that can head a speaker phrase.
ROLE_NOUNS = frozenset("""
minister president spokesman spokeswoman spokesperson official officials general commander
chief head secretary leader leaders analyst analysts expert experts source sources observer
observers aide aides adviser advisers advisor advisors diplomat diplomats lawmaker lawmakers
senator governor mayor ambassador envoy officer officers soldier soldiers witness witnesses
resident residents people critics supporters campaign ministry government kremlin military
army administration report study survey poll data statement agency office department researchers
scientists economists investigators prosecutors police authorities correspondent reporter
reporters journalist journalists chairman director representative representatives
spokespeople voters residents members member team officials figures estimates intelligence
""".split())
DETERMINERS = frozenset("the a an his her its their our this that these those".split())
CONNECTORS = frozenset("of for and de von van der al bin".split())
LOWER_MODIFIERS = frozenset("""
top senior former chief junior deputy foreign defence defense military intelligence local
interior finance economy health justice trade energy education transport agriculture farm
national regional state federal western eastern ukrainian russian american british european
u.s. us uk un eu nato official independent anonymous unnamed several many some two three
other new acting presidential
""".split())

WORD_RE = re.compile(r"[^\W\d_](?:[\w.’'\-]*[\w.])?|\d+(?:[.,]\d+)*|[^\w\s]", re.UNICODE)
POSSESSIVE_RE = re.compile(r"[’']s$")


@dataclass
class Phrase:
    start: int
    end: int
    text: str
    kind: str                 # person | body | pronoun | description
    name: str                 # canonical within the sentence (titles stripped)
    role: Optional[str] = None


@lru_cache(maxsize=4096)
def fold(s: str) -> str:
    """Lowercase, accents folded, for comparisons (memoised: speaker names recur)."""
    if s.isascii():
        return s.lower()
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


_POSS = ("’s", "'s")


def _possessive(word: str) -> bool:
    """``POSSESSIVE_RE.search(word)`` ("$" also matches before a final newline)."""
    if word.endswith(_POSS):
        return True
    return word.endswith("\n") and POSSESSIVE_RE.search(word) is not None


def _bare(word: str) -> str:
    if word.endswith(_POSS):
        word = word[:-2]
    elif word.endswith("\n"):
        word = POSSESSIVE_RE.sub("", word)
    return word.rstrip(".").lower()


ABBREV_RE = re.compile(r"^(?:[A-Za-z]\.)+$|^(?:Gen|Lt|Col|Maj|Capt|Sgt|Adm|Cmdr|Gov|Sen|Rep|Rev|St|Jr|Sr|"
                       r"Mr|Mrs|Ms|Dr|Prof|Pres|Gens|Messrs|Fr|Sgt|Brig|Insp|Supt)\.$")


def _tokens_scan(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    append = out.append
    abbrev = ABBREV_RE.match
    for m in _SPLIT_WORD_RE.finditer(text, start, end):     # WORD_RE's matches, found faster
        a, b = m.span()
        w = m.group()
        if w[-1] == "." and len(w) > 1 and not abbrev(w):
            append((a, b - 1, w[:-1]))
            append((b - 1, b, "."))
        else:
            append((a, b, w))
    return out


# WORD_RE as one character class and a choice by lookbehind on that same character (a
# charset first lets the engine skip whitespace fast): the same matches, in a capturing
# group for ``split``
# (the inner classes name the ASCII word characters before \w: they are the same sets, but
# the engine then tests most characters against a bitmap, without the Unicode category call)
_SPLIT_WORD_RE = re.compile(r"([^\s_](?:(?<=[^\W\d_])[a-zA-Z0-9_\w.’'\-]*(?<=[a-zA-Z0-9_\w.])|"
                            r"(?<=\d)\d*(?:[.,]\d+)*|(?<=[^\w\s])))")


# marks that end a letter or digit run and are a token of their own ("said," "2016,")
_AFTER_WORD = frozenset(',;:)?!”"')


class _TextTokens:
    """Every token of one text, scanned once; ``tokens`` of any span is then a slice.

    WORD_RE has no lookbehind and cannot match an empty string, so a scan that starts at a
    position outside every match of the full scan yields exactly the full scan's matches
    from there on, and a match that ends at or before ``end`` is found the same with
    ``endpos=end``. Only a span whose start falls strictly inside a match, or whose end
    cuts one, needs its own scan (for that part)."""
    __slots__ = ("text", "toks", "starts", "cont", "lows")

    def __init__(self, text: str) -> None:
        self.text = text
        # The text cut at single spaces (in C): a piece of letters only is one token, as
        # the scan would find it (spaces are never inside a token, letters never end or
        # split one), and so are a few other common shapes; only the rest ("U.S.",
        # "1,200", "region's", "\n\nThe") go through the regex engine, whose every match
        # costs far more than these string tests.
        pieces = text.split(" ")
        lens = list(map(len, pieces))
        ends = list(map(add, accumulate(lens), range(len(pieces))))
        cand = list(zip(map(sub, ends, lens), ends, pieces))
        simple = list(map(str.isalpha, pieces))
        toks: list[tuple[int, int, str]] = []
        cont: set[int] = set()     # tokens that are the split-off period of a word
        abbrev = ABBREV_RE.match
        finditer = _SPLIT_WORD_RE.finditer
        prev = 0
        n = len(pieces)
        while prev < n:
            try:
                k = simple.index(False, prev)     # the next piece not all letters
            except ValueError:
                break
            toks += cand[prev:k]
            prev = k + 1
            a, e, p = cand[k]
            # the commonest other pieces, tokenised as the scan would: "said," "Times)"
            # "said." "Gen." "2019." "-" (a letter run ends at a mark outside [\w.’'-])
            if len(p) == 1:
                if p != "_" and not p.isspace():
                    toks.append(cand[k])
                continue
            if not p:
                continue
            c = p[-1]
            w = p[:-1]
            if w.isalpha():
                if c in _AFTER_WORD:
                    toks += ((a, e - 1, w), (e - 1, e, c))
                    continue
                if c == ".":
                    if abbrev(p):
                        toks.append(cand[k])
                    else:       # the period split off, as below
                        toks.append((a, e - 1, w))
                        cont.add(len(toks))
                        toks.append((e - 1, e, "."))
                    continue
            elif (c in _AFTER_WORD or c == ".") and w.isdecimal():
                toks += ((a, e - 1, w), (e - 1, e, c))      # "2019." "2016,"
                continue
            for m in finditer(text, a, e):
                x, y = m.span()
                w = m.group()
                if w[-1] == "." and len(w) > 1 and not abbrev(w):
                    # a final period is split off a word ("said." -> "said", "."), not
                    # off an abbreviation or an initial
                    toks.append((x, y - 1, w[:-1]))
                    cont.add(len(toks))
                    toks.append((y - 1, y, "."))
                else:
                    toks.append((x, y, w))
        toks += cand[prev:]
        self.toks, self.cont = toks, cont
        self.starts = list(map(itemgetter(0), toks))
        self.lows: list[str] | None = None

    def _range(self, start: int, end: int):
        """(i, j, k): tokens i..j-1 are those of text[start:end], except that when ``end``
        cuts a match, tokens k..j-1 (that match on) must be rescanned (k < j); None when
        ``start`` falls strictly inside a match."""
        if start >= end:
            return None
        toks, starts, cont = self.toks, self.starts, self.cont
        i = bisect_left(starts, start)
        if i > 0 and toks[i - 1][1] > start or i in cont:
            return None
        j = bisect_left(starts, end, i)
        if j > i and toks[j - 1][1] > end:
            k = j - 1
            return i, j, (k - 1 if k in cont else k)
        if j in cont:
            return i, j, j - 1      # "said." cut right after "said"
        return i, j, j

    def slice(self, start: int, end: int) -> list[tuple[int, int, str]]:
        r = self._range(start, end)
        if r is None:
            return _tokens_scan(self.text, start, end)
        i, j, k = r
        if k < j:
            out = self.toks[i:k]
            out.extend(_tokens_scan(self.text, self.starts[k], end))
            return out
        return self.toks[i:j]

    def slice_low(self, start: int, end: int):
        """(tokens of text[start:end], their lowercased words, starts, base): ``starts[base +
        i]`` is the start of token i (a list shared with the whole text when possible)."""
        r = self._range(start, end)
        if r is None:
            toks = self.slice(start, end)
            return toks, [t[2].lower() for t in toks], [t[0] for t in toks], 0
        lows = self.lows
        if lows is None:
            lows = self.lows = list(map(str.lower, map(itemgetter(2), self.toks)))
        i, j, k = r
        if k < j:       # the end cuts a match: rescan from there (as ``slice`` does)
            tail = _tokens_scan(self.text, self.starts[k], end)
            return (self.toks[i:k] + tail, lows[i:k] + [t[2].lower() for t in tail],
                    self.starts[i:k] + [t[0] for t in tail], 0)
        return self.toks[i:j], lows[i:j], self.starts, i


# texts longer than this are tokenised span by span as asked (the whole-text token list
# takes some 55 bytes a character: memory must not grow with one huge input)
_WHOLE_TEXT_MAX = 120_000


class _SpanTokens:
    """Stand-in for _TextTokens on a huge text: scans each span when asked."""
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def slice(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return _tokens_scan(self.text, start, end)

    def slice_low(self, start: int, end: int):
        toks = _tokens_scan(self.text, start, end)
        return toks, [t[2].lower() for t in toks], [t[0] for t in toks], 0


@per_text
def _text_tokens(text: str):
    return _TextTokens(text) if len(text) <= _WHOLE_TEXT_MAX else _SpanTokens(text)


def tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens of text[start:end] as (start, end, word); a final period
    stays on abbreviations and initials ("Gen.", "U.S.") and is split off other words.

    The whole text is tokenised once (the last text seen is kept) and spans are sliced
    from it: callers read many overlapping spans of one article."""
    return _text_tokens(text).slice(start, end)


def tokens_low(text: str, start: int, end: int):
    """``tokens(text, start, end)``, the lowercased word of each token, and (starts, base)
    with ``starts[base + i]`` the start offset of token i, for bisecting."""
    return _text_tokens(text).slice_low(start, end)


def _acceptable(word: str, first: bool) -> bool:
    """Can ``word`` be part of a speaker phrase (read right to left)?"""
    low = _bare(word)
    if _is_cap(word) and word.isalpha() or _is_cap(word) and re.match(r"^[A-Z][\w.’'\-]*$", word):
        return True
    if low in ROLE_NOUNS or low in LOWER_MODIFIERS:
        return True
    if not first and (low in CONNECTORS or low in DETERMINERS):
        return True
    return False


def phrase_before(text: str, start: int, end: int) -> Optional[Phrase]:
    """The speaker phrase that ends right at ``end`` (the cue's start), or None."""
    toks = tokens(text, start, end)
    if not toks:
        return None
    i = len(toks) - 1
    # skip adverbs and auxiliaries between subject and cue: "has also said"
    while i >= 0 and toks[i][2].lower() in SKIP_BEFORE_CUE:
        i -= 1
    if i < 0:
        return None
    last = toks[i]
    low = last[2].lower()
    if low in PRONOUNS:
        return Phrase(last[0], last[1], last[2], "pronoun", last[2])
    if low in CONNECTORS or low in DETERMINERS:
        return None
    if not _is_cap(last[2]) and low not in ROLE_NOUNS:
        k = _determiner_within(toks, i - 1, 3) if last[2].isalpha() else None
        if k is None:
            return None
        return classify(text, toks[k][0], last[1])
    j = i
    while j - 1 >= 0:
        w = toks[j - 1][2]
        wl = w.lower()
        if "\n" in text[toks[j - 1][1]:toks[j][0]]:
            break  # a speaker phrase never crosses a line break
        if wl in DETERMINERS:
            j -= 1
            break
        if wl in ("’s", "'s") or POSSESSIVE_RE.search(w) and _is_cap(w):
            j -= 1
            continue
        if _acceptable(w, False) and wl not in CLAUSE_OPENERS:
            j -= 1
            continue
        # lowercase modifiers after a determiner: "the port director", "the board"
        k = _determiner_within(toks, j - 1, 3)
        if k is not None:
            j = k
        break
    # do not start on a connector: "of the ministry" -> "the ministry"
    while j < i and _bare(toks[j][2]) in CONNECTORS:
        j += 1
    # a sentence-initial capitalised function word is not part of a name
    while j < i and toks[j][2].lower() in SENTENCE_FUNCTION_WORDS:
        j += 1
    s, e = toks[j][0], toks[i][1]
    return classify(text, s, e)


def _determiner_within(toks, i: int, n: int) -> Optional[int]:
    """Index of a determiner at most ``n`` plain lowercase words left of ``i`` (inclusive)."""
    k = i
    while k >= 0 and i - k < n:
        w = toks[k][2]
        wl = w.lower()
        if wl in DETERMINERS:
            return k
        if not (w.isalpha() and w.islower()) or wl in CLAUSE_OPENERS or wl in SKIP_BEFORE_CUE \
                or wl in PRONOUNS:
            return None
        k -= 1
    return None


def _lower_run_to_head(toks, k: int, n: int) -> Optional[int]:
    """End index after up to ``n`` lowercase words that finish on a speaker noun."""
    for m in range(k, min(len(toks), k + n)):
        w = toks[m][2]
        if not (w.isalpha() and w.islower()) or w in CLAUSE_OPENERS:
            return None
        if w in ROLE_NOUNS or w in BODY_WORDS:
            return m + 1
    return None


def phrase_after(text: str, start: int, end: int) -> Optional[Phrase]:
    """The speaker phrase that starts at ``start`` (after a cue or 'according to')."""
    toks, lows, _, _ = tokens_low(text, start, end)
    if not toks:
        return None
    first = toks[0]
    low = lows[0]
    if low in PRONOUNS and low not in ("who", "which"):
        return Phrase(first[0], first[1], first[2], "pronoun", first[2])
    k = 0
    n = len(toks)
    while k < n:
        w = toks[k][2]
        wl = lows[k]
        if k == 0 and wl in DETERMINERS:
            k += 1
            continue
        if w[:1].isupper() or wl in ROLE_NOUNS or wl in LOWER_MODIFIERS or wl in ("’s", "'s"):
            k += 1
            continue
        run = _lower_run_to_head(toks, k, 3)
        if run:
            k = run
            continue
        if wl in CONNECTORS and k + 1 < n and (
                toks[k + 1][2][:1].isupper() or lows[k + 1] in DETERMINERS):
            k += 1
            continue
        break
    while k > 0 and (lows[k - 1] in CONNECTORS or lows[k - 1] in DETERMINERS):
        k -= 1
    if k == 0:
        return None
    head = toks[k - 1][2]
    if not (head[:1].isupper() or _bare(head) in ROLE_NOUNS):
        return None
    return classify(text, toks[0][0], toks[k - 1][1])


SKIP_BEFORE_CUE = frozenset("""
also has have had will would could may might should must did does do is was were been being
then later previously earlier again once reportedly repeatedly publicly privately recently
further separately officially initially first last quickly subsequently still already just
further, never not often frequently openly flatly explicitly bluntly
""".split())
CLAUSE_OPENERS = frozenset("""
that which who whom whose when where while as because although though if but and or so than
after before since until unless whether despite during
""".split())
SENTENCE_FUNCTION_WORDS = frozenset("""
but and so yet however meanwhile still also then in on at for with by from after before
despite during although though when while as if because since
""".split())


ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)


def classify(text: str, s: int, e: int) -> Phrase:
    """Split a phrase into role and name, and say whether it names a person or a body."""
    phrase = text[s:e]
    kind, name, role = _classify(phrase)
    return Phrase(s, e, phrase, kind, name, role)


@lru_cache(maxsize=8192)
def _classify(phrase: str) -> tuple[str, str, Optional[str]]:
    """(kind, name, role) of a phrase: a function of its text alone (its tokens do not
    depend on what surrounds it), memoised because speakers are named again and again."""
    toks = _tokens_scan(phrase, 0, len(phrase))
    words = [t[2] for t in toks]
    lows = [_bare(w) for w in words]
    caps = [w[:1].isupper() for w in words]
    # bodies: any body word among the capitalised heads, or a lowercase body head
    head = lows[-1] if lows else ""
    is_body = head in BODY_WORDS
    if not is_body:
        for c, lw in zip(caps, lows):
            if c and lw in BODY_WORDS:
                is_body = True
                break
    # a possessive inside the phrase ("Zelensky's office") is about the body
    # (only matters when the head is a body word, which already made it a body)
    has_proper = False
    for c, lw in zip(caps, lows):
        if c and lw not in TITLE_WORDS and lw not in DETERMINERS and lw not in CONNECTORS \
                and lw not in NATIONALITIES:
            has_proper = True
            break
    if not is_body and len(words) >= 2 and caps[-1] and words[-2].islower() and \
            lows[-2] in BODY_WORDS:
        is_body = True   # "news agency Xinhua", "the newspaper Postimees"
    if is_body and _role_then_name(words, lows):
        is_body = False  # "Central Bank chief Ada Brandt": a person named after a role word
    if head in COUNTRY_ABBREVIATIONS and all(
            lw in DETERMINERS or lw in COUNTRY_ABBREVIATIONS for lw in lows):
        is_body = True   # "the UK", "the U.S." (but "the UK diplomat" is a description)
    if is_body and _person_role_head(words, lows, caps):
        is_body = False  # "the chairman of the Joint Chiefs": a person described
        has_proper = False
    if is_body:
        return "body", ARTICLE_RE.sub("", phrase), None
    if not has_proper:
        return "description", ARTICLE_RE.sub("", phrase), None
    # person: the name is the trailing run of capitalised non-title words
    k = len(words)
    while k > 0 and caps[k - 1] and lows[k - 1] not in TITLE_WORDS \
            and not _possessive(words[k - 1]) or (
            k > 1 and len(words[k - 1]) <= 3 and words[k - 1].endswith(".") and
            caps[k - 1] and lows[k - 1] not in TITLE_WORDS):
        k -= 1
    if k == len(words):  # ends with a title: "Smith, the minister" handled elsewhere
        return "description", phrase, None
    name = phrase[toks[k][0]:]
    role = phrase[:toks[k - 1][1]].strip() if k > 0 else None
    if role:
        role = ARTICLE_RE.sub("", role) or None
    return "person", name, role


COUNTRY_ABBREVIATIONS = frozenset("us u.s uk u.k".split())
PERSON_HEADS = frozenset("""
chairman chairwoman chair head chief spokesman spokeswoman spokesperson director secretary
counsellor counselor adviser advisor envoy ambassador commander president minister governor
representative deputy leader
""".split())


def _person_role_head(words: list[str], lows: list[str], caps: list[bool]) -> bool:
    """'the chairman of X', 'a spokesman for X', 'head of X': a lowercase office held by
    one person, then its complement."""
    k = 1 if lows and lows[0] in DETERMINERS else 0
    while k < len(lows) and not caps[k] and lows[k] in LOWER_MODIFIERS:
        k += 1
    return (k + 1 < len(lows) and not caps[k] and lows[k] in PERSON_HEADS
            and lows[k + 1] in ("of", "for", "to", "at"))
# lowercase heads that name a person's job ("Central Bank chief", "state TV host")
PERSON_SUFFIX_RE = re.compile(r"(?:er|or|ist|man|woman|person|ian|ant|ent|ee|chief|head|host)$")


def _role_then_name(words: list[str], lows: list[str]) -> bool:
    """Does the phrase end on a personal name right after a lowercase role word or a title?
    ("Central Bank chief Ada Brandt", "Harbour Board Chairman Oskar Lind")."""
    k = len(words)
    while k > 0 and _is_cap(words[k - 1]) and words[k - 1][:1].isalpha() and \
            lows[k - 1] not in TITLE_WORDS and lows[k - 1] not in BODY_WORDS and \
            not POSSESSIVE_RE.search(words[k - 1]):
        k -= 1
    if k == len(words) or k == 0 or len(words) - k > 4:
        return False
    role_w, role_l = words[k - 1], lows[k - 1]
    if role_l in BODY_WORDS and role_l not in TITLE_WORDS:
        return False
    return role_l in TITLE_WORDS or role_l in ROLE_NOUNS or (
        role_w.isalpha() and role_w.islower() and PERSON_SUFFIX_RE.search(role_l) is not None)


NATIONALITY_RE = re.compile(r"(?:ian|ean|ese|ish|ic|an|i)$")
NATIONALITIES = frozenset("""
us u.s uk u.k american russian ukrainian british french german chinese israeli iranian
european western polish belarusian turkish indian japanese korean syrian iraqi
""".split())


def _is_nationality(low: str) -> bool:
    return low in NATIONALITIES


def surname(name: str) -> str:
    parts = name.split()
    return parts[-1] if parts else name


def _alias_key(name: str) -> str:
    s = fold(name).replace("’", "'").replace(".", "")
    s = re.sub(r"^the\s+", "", s.strip())
    return " ".join(s.split())


def _load_bodies() -> dict[str, str]:
    out: dict[str, str] = {}
    path = Path(__file__).with_name("data") / "bodies.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        for n in names:
            out[_alias_key(n)] = names[0]
    return out


_BODIES: Optional[dict[str, str]] = None


def canonical_body(name: str) -> str:
    """One name for a body known by several ("the North Atlantic Alliance" -> "NATO");
    a name not in data/bodies.txt is returned as given."""
    global _BODIES
    if _BODIES is None:
        _BODIES = _load_bodies()
    return _BODIES.get(_alias_key(name), name)

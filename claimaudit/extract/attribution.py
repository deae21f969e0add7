"""Who said what: reporting cues, their sources and their contents, sentence by sentence.

Rules (general newswire English, no model):
  SOURCE CUE [that] CONTENT         Smith said (on Monday) (that) taxes rose.
  SOURCE told OBJECT [that] CONTENT  Smith told reporters taxes rose.
  CONTENT, SOURCE CUE.              Taxes rose, Smith said.   "Taxes rose," Smith said.
  CONTENT, CUE SOURCE.              "Taxes rose," said Smith, the mayor.
  "Q1," SOURCE CUE. "Q2."           a quote split around its cue; a quote that goes on in the
                                    next sentences of the paragraph is more of the same claim
  X, which, SOURCE CUE, Y           a parenthetical cue
  SOURCE, APPOSITIVE, CUE ...       the appositive (or relative clause) is part of the source
                                    as written, and becomes the speaker's role; a
                                    description before a name ("the port's chief, Gen. Oskar
                                    Lind, said") is the role and the name is the speaker
  A CUE CONTENT, B CUE.             nested: A's content stops before ", B CUE" (B's content
                                    is the whole clause before it)
  SOURCE ... , CUE-ing CONTENT      a participle ("saying", "adding") or a second verb
                                    ("... and said") takes the subject of its clause
  according to SOURCE, CONTENT      and CONTENT, according to SOURCE.
  CONTENT was CUE-ed by SOURCE      passive
  as SOURCE put it, CONTENT         and SOURCE's statement that CONTENT (noun cues)
Every span is a pair of offsets into the article text.

The speaker ``Phrase`` is the noun phrase that names the source (titles included: "Defense
Minister Andrey Belousov"); ``RawClaim.source`` is the whole source as written, which also
holds an appositive or relative clause ("Oskar Lind, the head of the Port Board,").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from claimaudit.extract.memo import per_text
from claimaudit.extract.sentences import quotations, sentences
from claimaudit.extract.speakers import (ARTICLE_RE, LOWER_MODIFIERS, PRONOUNS, ROLE_NOUNS, TITLE_WORDS,
                                         Phrase, classify, phrase_before, tokens_low)

_DATA = Path(__file__).with_name("data")


def _words(name: str) -> frozenset[str]:
    """A word list from data/NAME.txt (one or more words a line, # comments)."""
    out: set[str] = set()
    p = _DATA / name
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.update(line.lower().split())
    return frozenset(out)


# ---------------------------------------------------------------- cue verbs
_VERBS = {
    # base: (past, 3sg, ing[, past participle]) for irregulars; regular ones are derived
    "say": ("said", "says", "saying"), "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing", "written"), "tweet": None,
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
    "calculate": None, "highlight": None, "underline": None,
    "point": None, "tout": None, "brag": None, "caution": None, "counter": None,
    "continue": None, "conclude": None, "show": ("showed", "shows", "showing", "shown"),
    "find": ("found", "finds", "finding"), "believe": None,
    "think": ("thought", "thinks", "thinking"),
    "ask": None, "answer": None, "assess": None, "put": ("put", "puts", "putting"),
    "quote": None, "blame": None, "inform": None, "brief": None,
    "specify": None, "recount": None, "charge": None, "hint": None, "reiterate": None,
    "repeat": None, "echo": None, "retort": None, "proclaim": None, "affirm": None,
    "assure": None, "advise": None, "exclaim": None, "joke": None, "quip": None, "muse": None,
    "agree": None, "dispute": None, "speculate": None, "surmise": None,
    "tally": None, "record": None, "count": None, "document": None, "list": None,
    "register": None, "cite": None, "lament": None, "acknowledge_": None, "recollect": None,
    "reason": None, "posit": None, "opine": None, "predicate": None, "guarantee": None,
    "threaten": None, "stipulate": None, "signal": None, "notify": None, "remind": None,
    "assume": None, "expect": None, "hope": None, "fear": None, "worry": None, "doubt": None,
    "wonder": None, "feel": ("felt", "feels", "feeling"), "know": ("knew", "knows", "knowing", "known"),
    "propose": None,
}
# verbs whose object is the addressee: "told reporters that ..."
_ADDRESSEE = {"tell", "inform", "brief", "assure", "remind", "warn", "notify", "advise", "ask",
              "answer", "promise", "quote"}
# cues only with a clause or quote after them (or a quote before them), never before a bare object
_WEAK = {"show", "find", "believe", "think", "ask", "answer", "continue", "agree", "count",
         "record", "list", "register", "document", "tally", "put", "project",
         "quote", "cite", "blame", "charge", "brief", "inform", "echo", "repeat", "assess",
         "dispute", "describe", "identify", "highlight", "underline", "stress", "emphasize",
         "emphasise", "mention", "accuse", "urge", "promise", "vow", "pledge",
         "respond", "reply", "counter", "comment", "remark", "signal", "guarantee",
         "threaten", "remind", "notify", "reason", "assume", "expect", "hope", "fear", "worry",
         "doubt", "wonder", "feel", "know", "predicate", "posit", "stipulate", "advise",
         "assure", "calculate", "joke", "quip", "muse", "lament", "recount", "specify",
         "deny", "tout", "boast", "brag", "complain", "caution", "conclude", "speculate",
         "surmise", "hint", "affirm", "proclaim", "exclaim", "retort", "reiterate"}
# forms that are also nouns ("the report", "news reports", "his claims"): weak everywhere
_NOUN_FORMS = {"claims", "claim", "reports", "report", "states", "state", "notes", "note",
               "estimates", "estimate", "remarks", "remark", "comments", "comment", "answers",
               "answer", "promises", "promise", "pledges", "pledge", "counts", "count",
               "records", "record", "lists", "list", "shows", "show", "finds", "find",
               "tweets", "tweet", "replies", "reply", "counters", "counter", "charges",
               "charge", "questions", "warns", "hopes", "hope", "fears", "fear", "doubts",
               "doubt", "feels", "knows", "forecasts", "forecast", "projects", "project",
               "quotes", "quote", "echoes", "echo", "blames", "blame", "points", "point",
               "signals", "signal", "notices", "briefs", "brief", "answers", "lists",
               "reasons", "reason", "concerns", "jokes", "joke", "quips", "quip", "muses",
               "muse", "laments", "lament", "documents", "document", "registers", "register",
               "tallies", "tally", "guarantees", "guarantee", "threatens", "vows", "vow",
               "cites", "admits", "confirms", "stresses", "stress", "puts", "put",
               "continues", "agrees", "disputes", "dispute", "advises", "assures",
               "reminds", "denies", "maintains", "observes", "adds", "urges", "accuses",
               "describes", "identifies", "highlights", "mentions", "mention", "repeats",
               "repeat", "states"}
# forms never taken as cues: too ambiguous in running text
_NEVER = {"state", "put", "puts", "putting", "list", "lists", "listing", "record", "records",
          "recording", "count", "counts", "counting", "project", "projects", "point", "points",
          "register", "registers", "document", "documents", "brief", "briefs", "briefing",
          "charge", "charges", "charging", "quote", "quotes", "echo", "echoes", "tally",
          "tallies", "signal", "signals", "signaling", "feel", "feels", "feeling", "know",
          "knowing", "known", "hope", "hopes", "hoping", "fear", "fears", "doubt", "doubts",
          "wonder", "wondering", "expect", "expecting", "expected", "assume", "assuming",
          "continue", "continuing", "reason", "reasons", "reasoning", "answer", "answering",
          "finding", "showing", "shown", "thinking", "predicate", "predicated", "joke",
          "jokes", "quip", "muse", "muses", "lament", "reply", "counter", "remark",
          "comment", "respond", "written", "worry", "worries", "worrying", "worried",
          "threaten", "threatening", "guarantee", "guaranteeing", "assessing", "assess",
          "assesses", "cite", "cited", "cites", "citing", "blame", "blaming", "tweet",
          "tweets", "tweeting", "post", "recall", "recalling", "find", "comments",
          "remarks", "answers", "responds", "replies"}
_NEEDS_PARTICLE = {"point": "out", "put": "it"}
# forms that are cues only before "that" or a colon
_THAT_ONLY = {"states", "add", "maintain", "maintains", "maintained", "show", "shows",
              "continues", "notes", "stress", "stresses", "believe", "believes", "believed",
              "think", "thinks", "thought", "report", "reports", "claim", "claims"}
THAT_AFTER_RE = re.compile(r"(?:\s+(?:on|last|this|in|at|to|during)\s+[^,.;:]{1,40}?)?,?\s*(?:that\b|:)")


def _forms(base: str, irregular) -> list[str]:
    if irregular:
        return [base, *irregular]
    if base.endswith("e"):
        past, ing = base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past, ing = base[:-1] + "ied", base + "ing"
    elif re.search(r"[^aeiou][aeiou][pt]$", base) and base not in (
            "visit", "limit", "edit", "posit", "doubt", "signal", "predicate", "repeat",
            "threat", "comment", "report"):
        past, ing = base + base[-1] + "ed", base + base[-1] + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    third = base[:-1] + "ies" if base.endswith("y") and base[-2] not in "aeiou" else (
        base + "es" if re.search(r"(?:s|sh|ch|x|z|o)$", base) else base + "s")
    return [base, past, third, ing]


def _build_cues() -> dict[str, str]:
    lemma_of: dict[str, str] = {}
    for base, irr in _VERBS.items():
        base = base.rstrip("_")
        for f in _forms(base, irr):
            if f not in _NEVER or base in _NEEDS_PARTICLE:
                lemma_of.setdefault(f, base)
    return lemma_of


LEMMA_OF = _build_cues()


def _trie_pattern(words) -> str:
    """An alternation of ``words`` as a prefix tree ("say(?:ing|s)?|..."): the engine tests
    one character per level instead of every word in turn. It matches the same strings as
    the flat alternation; where only a whole word can match (a word boundary follows), it
    also makes the same match."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


# cue words are lowercase in running text; "point out" and "put it" need their particle.
# Every cue word is lowercase letters only and must end where the word ends, so a prefix tree
# of the words finds exactly what the flat alternation "said|says|..." finds.
assert all(w.isascii() and w.isalpha() and w.islower() for w in LEMMA_OF)
CUE_RE = re.compile(
    r"(?=[a-z])(?<![\w’'\-])(?:" + _trie_pattern(LEMMA_OF) +
    r")(?![\w’\-])(?:\s+out\b)?")
DATA_OF_RE = re.compile(r"(?:the\s+|new\s+|latest\s+|official\s+)*(?:information|data|estimates?|"
                        r"figures|assessments?|calculations|findings|statistics)\s+(?:of|from|by|"
                        r"(?:provided|released|published|compiled|gathered)\s+by)\s+(?=\S)")
# A cue word that is not at the start of the scan follows a character outside [\w’'\-], so
# outside this ASCII set: the engine finds those characters fast, and CUE_RE confirms each
# candidate (see _cue_matches)
_CUE_GATE_RE = re.compile(
    r"[^a-zA-Z0-9_’'\-](?=(?:" + _trie_pattern(LEMMA_OF) + r")(?![\w’\-]))")
ACCORDING_RE = re.compile(r"\b(?:[Aa]ccording\s+to|[Aa]s\s+quoted\s+by|[Ii]n\s+the\s+words\s+of)\s+")
PASSIVE_RE = re.compile(
    r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been|been|being)\s+"
    r"(?:(?:first|initially|previously|earlier|originally|also|later|widely|officially)\s+)?"
    r"(?P<verb>revealed|reported|announced|disclosed|released|published|stated|given|provided|"
    r"made\s+public|cited|confirmed|presented|estimated|quoted|shared|put\s+forward|mentioned|"
    r"told|said|claimed|alleged|written|predicted|described|calculated|forecast|projected)"
    r"\s+by\s+")
PROVENANCE_RE = re.compile(
    r"\b(?:first|initially|previously|originally|earlier)\s+(?:been\s+)?(?:revealed|reported|"
    r"announced|disclosed|released|published|made\s+public|given|provided|presented|mentioned|"
    r"cited|put\s+forward)\s+by\b|\bcame\s+from\b|\boriginat\w+\s+(?:with|from)\b",
    re.IGNORECASE)
# "\b(?:citing|cited)\s+" with its literal first ("\b" before the "c" of a word is "no word
# character before it"): the engine finds "cit" fast instead of trying every position
CITING_RE = re.compile(r"cit(?<!\wcit)(?:ing|ed)\s+")
# "Smith's statement that ...", "the ministry's claim that ..."
NOUN_CUE_RE = re.compile(
    r"(?<=[’']s\s)(?:statement|remarks|comments|claim|claims|assertion|announcement|warning|"
    r"testimony|prediction|estimate|contention|argument|insistence|admission|pledge|promise|"
    r"suggestion|allegation|accusation|belief|view)(?=\s+(?:that\b|:))")
QUOTES = "“”\"«»„"
_ANY_QUOTE_RE = re.compile("[" + QUOTES + "]|''")    # what _kind counts
QUOTE_OPEN = "“\"«„'‘"
QUOTE_CLOSE = "”\"»'’"
QUOTE_TOKENS = frozenset("“”\"«»„'‘’")

# ---------------------------------------------------------------- word classes
AUX_ADV = frozenset("""
also has have had will would could may might should must did does do is was were been being
can cannot can't can’t won't won’t wouldn't wouldn’t couldn't couldn’t didn't didn’t doesn't
doesn’t quietly loudly proudly angrily
am are then later previously earlier again once reportedly repeatedly publicly privately
recently further separately officially initially first last quickly subsequently still
already just never not often frequently openly flatly explicitly bluntly since now even only
simply long always yet ultimately essentially basically actually apparently n't 's ’s 've ’ve
'd ’d 'll ’ll sometimes usually generally later immediately promptly soon finally once
""".split())
NOT_ADVERBS = frozenset("ally family assembly rally supply monopoly anomaly italy july lily "
                        "daily weekly monthly quarterly fly reply".split())
VERBISH = frozenset("""
is was are were be been being am has have had do does did will would can could should may
might must shall not n't isn't wasn't aren't weren't hasn't haven't hadn't don't doesn't didn't
won't wouldn't can't couldn't shouldn't isn’t wasn’t aren’t weren’t hasn’t haven’t hadn’t
don’t doesn’t didn’t won’t wouldn’t can’t couldn’t shouldn’t
""".split())
CLAUSE_WORDS = frozenset("""
that which who whom whose when where while as because although though if but so than since
until unless whether whereas once after before why how what whatever
""".split())
FUNCTION = frozenset("""
the a an of to in on at for with by from into onto about over under after before than as and
or but nor so if that this these those which who whom whose what when where while his her
their its our my your him them me us it's some any no every each all both either neither
such there here then than very more most less least much many
""".split())
OBJ_PRONOUNS = frozenset("him them me us her".split())
SUBJ_PRONOUNS = frozenset("he she they it we i you".split())
LEADING_DROP = frozenset("""
but and so yet still now meanwhile however instead indeed also then later earlier today
yesterday tonight finally separately previously recently ultimately nonetheless nevertheless
moreover furthermore besides likewise similarly overall again too thus hence otherwise
""".split())
PREPOSITIONS = frozenset("""
in on at during after before for with from by under over since into through throughout
among amid between despite like unlike following upon within without toward towards near
behind across against around about off outside inside beyond
""".split())
DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TIME_NOUNS = frozenset("week month year night morning afternoon evening weekend day "
                       "today yesterday tonight".split())
TIME_PRE = frozenset("on last this late early earlier later next past".split())
APPOS_LOWER = (TITLE_WORDS | ROLE_NOUNS | LOWER_MODIFIERS | frozenset("""
a an the his her its their our who whose which now then both each one another himself herself
themselves itself also once formerly former later longtime long-time veteran fellow
""".split())) - PREPOSITIONS
SKIP_SEGMENT_FIRST = PREPOSITIONS | frozenset("""
meanwhile however though too instead also though of course perhaps nonetheless nevertheless
not speaking asked when while if after before as
""".split())
PARTICIPLE_CUTS = frozenset("""
adding saying noting citing explaining arguing writing telling insisting warning stressing
claiming suggesting acknowledging conceding declaring according calling accusing
""".split())
STATEMENT_NOUNS = frozenset("""
statement statements interview interviews email e-mail letter letters tweet tweets post posts
release speech remarks comments op-ed essay memo report message video ad advertisement
column blog conference call briefing
""".split())
PROPER_NOT_NAMES = _words("proper_not_names.txt")
DATA_NOUNS = _words("data_nouns.txt")
# verbs that report figures when their subject is a poll, a study, data
DATA_VERBS = {"show", "find", "suggest", "indicate", "estimate", "project", "put", "reveal",
              "predict", "conclude", "forecast", "calculate", "count", "record", "document",
              "tally", "list", "report"}
NUMBER_RE = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                       r"twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                       r"thousand|million|billion|trillion|dozen|half|percent|majority|"
                       r"plurality|third|quarter)s?\b", re.IGNORECASE)
# "In a new Quinnipiac poll, ..." / "... in a CNN/ORC survey released Monday"
_POLL_INTRO_LEADS = ("But", "And", "Yet", "Still", "Meanwhile", "Now", "Also")
POLL_INTRO_RE = re.compile(
    r"(?:(?:" + "|".join(_POLL_INTRO_LEADS) + r"),?\s+)?(?P<cue>[Ii]n)\s+(?P<src>(?:a|an|the|its|"
    r"their|his|her|this|that|one|another|[A-Z][\w’'.\-]*[’']s)\s+(?:[\w’'/&.\-]+\s+){0,8}?"
    r"(?:poll|polls|survey|surveys|study|analysis|report|census|tally|count|projection|"
    r"forecast|model|average|estimate|estimates|data|tracking\s+poll)(?:\s+(?:of|by|for|from|"
    r"conducted|released|published|taken)\s+[^,;:“\"]{1,80}?)?)\s*,\s*")
# the letters its matches open with: a lead word's, or "In"/"in"
_POLL_INTRO_FIRST = frozenset(w[0] for w in _POLL_INTRO_LEADS) | {"I", "i"}
# "Poll: ...", "Smith: ..." at the start of a sentence (headlines, transcripts)
COLON_RE = re.compile(r"(?P<src>(?:[A-Z][A-Z’'.\-]*\s+){0,2}[A-Z][A-Z’'.\-]+)\s*(?P<cue>:)\s+(?=\S)")
# "“We will win.” ― Jane Doe": a quote signed with a dash and a name
SIGNED_RE = re.compile(r"(?<=[”\"])\s*(?P<cue>[―—–]|--)\s*(?P<src>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,4})\s*[/.]?\s*$")
POLL_TAIL_RE = re.compile(
    r",?\s+(?P<cue>in)\s+(?P<src>(?:a|an|the|its|their|this|that|one|another|[A-Z][\w’'.\-]*[’']s)"
    r"\s+(?:[\w’'/&.\-]+\s+){0,8}?(?:poll|polls|survey|surveys|study|analysis|census|"
    r"tracking\s+poll)(?:\s+(?:of|by|for|from|conducted|released|published|taken|out)\s+"
    r"[^,;:“\"]{1,80}?)?)\s*[.!?]?\s*$")
# anything but a cue verb that can make an attribution (a cheap test before tokenising)
QUICK_RE = re.compile(r"ccording|quoted\s+by|words\s+of|\sby\s|[Pp]oll|[Ss]urvey|[Ss]tud(?:y|ies)|"
                      r"analys[ie]s|census|tally|count|projection|forecast|model|average|"
                      r"estimate|data|:|[―—–]|--|[’']s\s")
COLON_STOP = frozenset("""
note update updated editor editors photo photos related read watch correction corrections
source sources video listen see also more click caption credit disclosure clarification
warning breaking exclusive analysis opinion commentary review live follow subscribe
""".split())
QUANTITY_SUBJ_RE = re.compile(
    r"(?:\d|(?:about|nearly|almost|roughly|some|just|only|more\s+than|fewer\s+than|less\s+than|"
    r"over|under)\s|(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety)\b|half\b|most\b|a\s+majority\b|majorities\b|"
    r"a\s+plurality\b|a\s+third\b|a\s+quarter\b|many\s+of\b|few\b)", re.IGNORECASE)

# after a cue, before its content: "on Tuesday", "in a statement", "to reporters", ":"
LEAD_IN_RE = re.compile(
    r"\s*(?:,\s*)?(?:(?:on|last|this|late|early|earlier)\s+(?:\w+day|week|month|year|night|morning|"
    r"afternoon|evening|weekend)(?:\s+(?:night|morning|afternoon|evening))?|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+(?:night|morning|afternoon|evening))?|"
    r"(?:yesterday|today|tonight|recently|earlier|later|previously|repeatedly|again|also|"
    r"further|then|publicly|privately|once|sarcastically|bluntly|flatly|simply|only|"
    r"frequently|often|at\s+the\s+time|this\s+week|last\s+week|at\s+one\s+point)|"
    r"(?:in|during|at|on|via|over|through)\s+(?:a|an|the|his|her|its|their|one|Monday's|"
    r"Tuesday's|Wednesday's|Thursday's|Friday's|Saturday's|Sunday's)\s+(?:[\w’'\-]+\s+){0,4}?"
    r"(?:statement|interview|news\s+conference|press\s+conference|conference\s+call|briefing|"
    r"speech|address|email|e-mail|letter|tweet|post|message|video|appearance|hearing|rally|"
    r"debate|event|meeting|op-ed|essay|column|blog\s+post|broadcast|show|call|remarks|"
    r"release|memo|report|town\s+hall|forum|panel|session|filing|phone\s+call|podcast|"
    r"radio\s+interview|television\s+interview|visit|stop|gathering|luncheon|breakfast|dinner|"
    r"ceremony|announcement|assessment|presentation|testimony|address|report|lecture|"
    r"commentary|appearance|post)(?:\s+(?:with|on|to|for|at|before|of|about)\s+[\w’'.\-]+(?:\s+[\w’'.\-]+){0,5}?"
    r"(?=,(?!\d)|\s+that\b|:|\s*\.?\s*$))?|"
    r"on\s+(?:Twitter|Facebook|Instagram|CNN|Fox(?:\s+News)?|MSNBC|NBC|CBS|ABC|NPR|"
    r"Fox\s+News\s+Sunday|Meet\s+the\s+Press|Face\s+the\s+Nation|State\s+of\s+the\s+Union|"
    r"(?:[A-Z][\w’'\-]*\s+){0,3}[A-Z][\w’'\-]*(?=\s*[,:]))|"
    r"(?:to|in)\s+(?:reporters|journalists|lawmakers|parliament|congress|Congress|the\s+press|"
    r"supporters|the\s+crowd|a\s+crowd|an?\s+audience|the\s+audience|voters|donors)|"
    r"on\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}(?:,\s+\d{4})?)"
    r"(?=\W)")
# prepositional phrases between a cue and its "that": "in Peltra on Monday that"
PP_THAT_RE = re.compile(r"(?:\s*,?\s*(?:in|at|on|during|from|outside|inside|after|before|late|"
                        r"early|last|this)\s+[^,.;:“”\"]{1,40}?)+\s*,?\s+that\s+")
THAT_RE = re.compile(r"\s*(?:,\s*)?(?:that\s+|:\s*)")
TELL_OBJ_RE = re.compile(
    r"\s+(?:state|national|local|public|regional|foreign|the)\s+(?:radio|television|TV|media|"
    r"broadcaster|news\s+agency|press)(?=\s)|"
    r"\s+(?:him|them|us|me)(?=\s)|\s+(?:her|reporters|journalists|lawmakers|supporters|voters|the\s+crowd|"
    r"a\s+crowd|(?:the|a|an|his|her|their|its)\s+(?:[\w’'\-]+\s+){0,3}?[\w’'\-]+|"
    r"[A-Z][\w’'.\-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.\-]*){0,5})"
    r"(?=\s+(?:that|on|in|at|during|last|this|earlier|recently|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b|\s*[,:“\"«]|\s*''|\s*$|\s*[.?!])|"
    # "told reporters 40 ships sank", "told the BBC the port had lost ...": a clause follows
    r"\s+(?:reporters|journalists|lawmakers|supporters|voters|(?:the\s+)?[A-Z][\w’'.\-]*"
    r"(?:\s+[A-Z][\w’'.\-]*){0,4})(?=\s+(?:\d|(?:the|it|he|she|they|we|there|its|his|their)\s))|"
    # any short noun phrase before "that" or a date phrase and "that": "told foreign
    # attaches on Wednesday that"
    r"\s+(?!that\b)[\w’'.\-]+(?:\s+(?!that\b)[\w’'.\-]+){0,5}?"
    r"(?=\s+that\b|\s+(?:on|last|this|earlier)\s+[\w.]+(?:\s+\d{1,2})?(?:\s+(?:morning|"
    r"afternoon|evening|night))?\s*,?\s+that\b)")
THAT_START_RE = re.compile(r"that\s+", re.IGNORECASE)


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
    # the whole source as written, appositive or relative clause included
    source: Optional[tuple[int, int]] = None

    @property
    def content_span(self) -> tuple[int, int]:
        return (self.content[0][0], self.content[-1][1])


# precompiled patterns used inside functions
_POSS_OPT_RE = re.compile(r"[’']s?$")
_POSS_END_RE = re.compile(r"[’']s$")
_TO_RE = re.compile(r"\s+to\b")
_QUOTE_NEXT_RE = re.compile(r"\s*,?\s*(?:[“\"«]|'')")
_REST_EMPTY_RE = re.compile(r"\s*[.!?]*[”\"’»]?\s*$")
_REST_EMPTY_PLAIN_RE = re.compile(r"\s*[.!?]*\s*$")
_COMMA_NEXT_RE = re.compile(r"\s*,")
_TAIL_END_RE = re.compile(r"\s*[.!?]?\s*$")
_TAIL_WORDS_END_RE = re.compile(r"\s*,?\s*(?:\S+\s+){0,8}?\S*\s*[.!?]\s*$")
_DIGIT_RE = re.compile(r"\d")
_AS_AFTER_RE = re.compile(r"(?:\s+[\w’'\-]+){0,6}?\s+as\s+")
_OF_AFTER_RE = re.compile(r"(?:\s+[\w’'\-]+){1,6}?\s+of\s+")


# ---------------------------------------------------------------- article context
class _Ctx:
    """Quotations, sentences and cue matches of one article, computed once."""
    __slots__ = ("quotes", "qstarts", "sents", "sstarts", "cues", "cstarts")

    def __init__(self, text: str) -> None:
        self.quotes = quotations(text)
        self.qstarts = [q.start for q in self.quotes]
        self.sents = sentences(text)
        self.sstarts = list(map(itemgetter(0), self.sents))
        # one scan of the whole article instead of one per sentence (see _cues_in)
        self.cues = _cue_matches(text, 0, len(text))
        self.cstarts = [m.start() for m in self.cues]

    def quote_at(self, pos: int):
        """The quotation strictly containing ``pos`` (after its opening mark), or None."""
        k = bisect_right(self.qstarts, pos) - 1
        if k >= 0:
            q = self.quotes[k]
            if q.start < pos < q.end:
                return q
        return None

    def quotes_between(self, s: int, e: int):
        k = bisect_right(self.qstarts, s - 1)
        out = []
        while k < len(self.quotes) and self.quotes[k].start < e:
            out.append(self.quotes[k])
            k += 1
        return out


_ctx = per_text(_Ctx)


# ---------------------------------------------------------------- helpers
def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace and sentence punctuation (not quotes) from both ends of a span."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:—–-"):
        e -= 1
    return s, e


def _kind(text: str, frags: list[tuple[int, int]]) -> str:
    joined = " ".join(text[s:e] for s, e in frags)
    if _ANY_QUOTE_RE.search(joined) is None:    # one scan for the common case: no quote
        return "indirect"
    quoted = sum(joined.count(q) for q in QUOTES) + joined.count("''")
    direct = True
    for s, e in frags:
        seg = text[s:e].strip().rstrip(".,")
        if not (seg[:1] in QUOTE_OPEN and seg[-1:] in QUOTE_CLOSE):
            direct = False
    if direct and quoted <= 2 * len(frags):
        return "direct"
    return "mixed"


def _is_adverb(w: str) -> bool:
    wl = w.lower()
    return wl.endswith("ly") and len(wl) > 4 and wl not in NOT_ADVERBS and w.islower()


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


class _Sent:
    """Tokens of one sentence with lookups."""
    __slots__ = ("text", "s", "e", "toks", "low", "ctx", "_starts", "_base")

    def __init__(self, text: str, s: int, e: int, ctx: _Ctx) -> None:
        self.text, self.s, self.e, self.ctx = text, s, e, ctx
        self.toks, self.low, self._starts, self._base = tokens_low(text, s, e)

    def index_at(self, pos: int) -> Optional[int]:
        """Index of the token that starts at ``pos``, or None."""
        starts, base = self._starts, self._base
        hi = base + len(self.toks)
        k = bisect_left(starts, pos, base, hi)
        if k < hi and starts[k] == pos:
            return k - base
        return None


def _is_quote_tok(w: str) -> bool:
    return w in QUOTE_TOKENS


HARD_PUNCT = frozenset(";:()[]—–\"“”«»„'‘’?!-|•*") | {"--"}
_REGION_PUNCT = HARD_PUNCT | {","}                   # tokens that end _region_start's scan
_REGION_WORDS = CLAUSE_WORDS | VERBISH | {"and"}     # words it looks at


def _region_start(st: _Sent, end_k: int, stops: set[int]) -> int:
    """Leftmost token index of the phrase that ends at token ``end_k`` (inclusive): scan left
    to a clause boundary."""
    toks, low = st.toks, st.low
    # most sentences hold no line break: then no gap between two of their tokens does
    nl = st.text.find("\n", st.s, st.e) >= 0
    k = end_k
    while k >= 0:
        w = toks[k][2]
        if nl and k < end_k and "\n" in st.text[toks[k][1]:toks[k + 1][0]]:
            return k + 1  # a speaker phrase never crosses a line break
        if w in _REGION_PUNCT:
            # (k < end_k whenever k != end_k: the scan only goes left)
            if w == ")" and (k == end_k or toks[k + 1][2] == ","):
                # a parenthetical that belongs to the phrase: "Sen. Roy Blunt (R-Mo.)"
                j = k - 1
                while j >= 0 and toks[j][2] != "(" and k - j < 12:
                    j -= 1
                if j >= 0 and toks[j][2] == "(":
                    k = j - 1
                    continue
            return k + 1
        if k in stops and k != end_k:
            return k + 1
        wl = low[k]
        if wl in _REGION_WORDS:     # most words are none of these: one set lookup
            if wl in CLAUSE_WORDS:
                if wl in ("who", "which") and k == end_k:
                    return k
                return k + 1
            if wl in VERBISH:
                return k + 1
            if wl == "and" and k + 1 <= end_k and low[k + 1] in SUBJ_PRONOUNS:
                return k + 1
        k -= 1
    return 0


def _strip_leading(st: _Sent, a: int, b: int) -> int:
    """Drop sentence adverbs and time phrases at the start of toks[a:b+1]."""
    low = st.low
    while a <= b:
        wl = low[a]
        if wl in LEADING_DROP and a < b:
            a += 1
            continue
        if wl in TIME_PRE and a + 1 < b and (low[a + 1] in DAYS or low[a + 1] in TIME_NOUNS):
            a += 2
            continue
        if wl in DAYS and a < b and st.toks[a + 1][2][:1].isupper():
            a += 1
            continue
        break
    return a


_NP_STOP_WORDS = VERBISH | CLAUSE_WORDS | {"to"}     # words _np_ok's last loop looks at


def _np_ok(st: _Sent, a: int, b: int) -> bool:
    """Can toks[a:b+1] be a source noun phrase?"""
    if a > b:
        return False
    toks, low = st.toks, st.low
    words = [i for i in range(a, b + 1) if toks[i][2][:1].isalnum()]
    if not words or len(words) > 18:
        return False
    head, hl = toks[b][2], low[b]
    if a == b:
        if hl in SUBJ_PRONOUNS or hl in ("who", "which"):
            return True
        if hl in OBJ_PRONOUNS or hl in FUNCTION or hl in PREPOSITIONS:
            return False
    if hl in OBJ_PRONOUNS or (hl in FUNCTION and hl not in ("who", "which")) or hl in PREPOSITIONS:
        return False
    if _is_adverb(head) or hl in AUX_ADV and not _is_cap(head):
        return False
    if not (head[:1].isalnum() or head == ")"):
        return False
    if hl in DAYS or hl in TIME_NOUNS and b > a and low[b - 1] in TIME_PRE:
        return False
    first = low[a]
    if first in PREPOSITIONS and first in ("about", "around", "over", "under", "nearly") and \
            a < b and (toks[a + 1][2][:1].isdigit() or NUMBER_RE.match(toks[a + 1][2])):
        pass
    elif first in PREPOSITIONS or first in LEADING_DROP and a < b:
        return False
    for i in range(a, b + 1):
        wl = low[i]
        if wl not in _NP_STOP_WORDS:    # most words: one set lookup
            continue
        if wl in VERBISH or wl in ("to",) and i + 1 <= b and low[i + 1] in LEMMA_OF:
            return False
        if wl in CLAUSE_WORDS and wl not in ("who", "which", "that", "as") and i > a:
            return False
    # a single lowercase word that is not a noun-like head ("also", "then") or a long run of
    # lowercase words with no determiner is rarely a source
    if len(words) > 8 and not any(_is_cap(toks[i][2]) for i in words) and \
            not any(low[i] in ("the", "a", "an", "some", "many", "most") for i in words):
        return False
    return True


def _appos_start(st: _Sent, a: int) -> bool:
    """Can a comma segment starting at token ``a`` be an appositive or relative clause?"""
    if a >= len(st.toks):
        return False
    w, wl = st.toks[a][2], st.low[a]
    if wl in ("then", "now", "once", "formerly") and a + 1 < len(st.toks) and \
            st.toks[a + 1][2][:1].isalnum():
        return True
    if wl in SKIP_SEGMENT_FIRST or wl in LEADING_DROP:
        return False
    if wl in APPOS_LOWER:
        return True
    if _POSS_OPT_RE.match(w):
        return False
    if _is_cap(w):
        if wl in DAYS or wl in PROPER_NOT_NAMES:
            return False
        return True
    if w[:1].isdigit():
        return False
    # "Sanders’ campaign manager" handled above by capital; lowercase nouns: "chairman of",
    # "commander-in-chief of", "spokesman for" (an appositive with no determiner)
    if wl in ROLE_NOUNS or wl.split("-")[0] in ROLE_NOUNS | TITLE_WORDS:
        return True
    # "co-founder of the club", "professor at the academy": lowercase nouns, then of/for/at
    k = a
    while k < len(st.toks) and k - a < 3:
        w2, wl2 = st.toks[k][2], st.low[k]
        if not (w2.replace("-", "").isalpha() and w2.islower()) or wl2 in FUNCTION or \
                wl2 in PREPOSITIONS or wl2 in CLAUSE_WORDS or wl2 in AUX_ADV or \
                wl2 in LEMMA_OF or _is_adverb(w2):
            break
        k += 1
    return a < k < len(st.toks) and st.low[k] in ("of", "for", "at")


def _skip_segment(st: _Sent, a: int, b: int) -> bool:
    """A comma segment that sits between a source and its cue without being part of the
    source: an age, a place or time phrase, an adverb ("Smith, 58, said"; "Smith, in a
    statement, said"; "Smith, meanwhile, said")."""
    if a > b:
        return False
    w, wl = st.toks[a][2], st.low[a]
    if a == b and (w.isdigit() or _is_adverb(w) or wl in LEADING_DROP or wl in SKIP_SEGMENT_FIRST):
        return True
    if wl in PREPOSITIONS or wl in ("meanwhile", "however", "though", "too", "instead"):
        return True
    if _is_adverb(w):
        return True
    if w.islower() and (wl.endswith("ing") or wl.endswith("ed")) and wl not in APPOS_LOWER:
        return True
    if w[:1].isdigit() and b - a <= 2:
        return True
    return False


def _commas_left(st: _Sent, k: int, lo: int) -> list[int]:
    """Indices of commas left of token k (exclusive) back to a hard boundary, nearest first."""
    out = []
    depth = 0
    j = k - 1
    while j >= lo:
        w = st.toks[j][2]
        if w == ")":
            depth += 1
        elif w == "(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if w == ",":
                out.append(j)
            elif w in HARD_PUNCT:
                break
        j -= 1
    return out


def _phrase(st: _Sent, a: int, b: int) -> Phrase:
    """A speaker Phrase over toks[a..b]."""
    s, e = st.toks[a][0], st.toks[b][1]
    wl = st.low[a]
    if a == b and (wl in PRONOUNS):
        return Phrase(s, e, st.text[s:e], "pronoun", st.text[s:e])
    for p in range(a + 1, b + 1):
        if st.toks[p][2] == "(":
            # "Sen. Ann Kask (D-Tallinn)": the name is before the parenthesis
            core = classify(st.text, s, st.toks[p - 1][1])
            return Phrase(s, e, st.text[s:e], core.kind, core.name, core.role)
    return classify(st.text, s, e)


@dataclass
class _Src:
    phrase: Phrase
    start: int          # token index of the source's first token
    end: int            # token index of the source's last token (appositive included)
    role: Optional[str] = None
    inverted: bool = False


def _with_appositive(st: _Sent, a: int, core_b: int, appos_a: int, appos_b: int,
                     trailing: Optional[int]) -> _Src:
    core = _phrase(st, a, core_b)
    text = st.text
    role = _role_text(st, appos_a, appos_b)
    end = trailing if trailing is not None else appos_b
    ph = core
    described = core.kind == "description" or core.kind == "body" and any(
        st.low[i] in TITLE_WORDS | ROLE_NOUNS and st.toks[i][2].islower()
        for i in range(a, core_b + 1))
    if described and _is_cap(st.toks[appos_a][2]):
        # "a spokeswoman, Anna White,", "the port's chief, Gen. Oskar Lind,": the appositive
        # is the speaker's name and the description before it is the role
        named = classify(text, st.toks[appos_a][0], st.toks[appos_b][1])
        if named.kind == "person" and all(
                _is_cap(st.toks[i][2]) or not st.toks[i][2][:1].isalnum() or
                st.low[i] in CONNECTORS_IN_NAMES for i in range(appos_a, appos_b + 1)):
            desc = ARTICLE_RE.sub("", core.text)
            return _Src(named, a, end, desc)
    return _Src(ph, a, end, role)


CONNECTORS_IN_NAMES = frozenset("de von van der al bin da di du la le".split())


def _subject_before(st: _Sent, ci: int, stops: set[int]) -> Optional[_Src]:
    """The source that precedes the cue token ``ci``: "X said", "X, the minister, said"."""
    toks, low = st.toks, st.low
    j = ci - 1
    while j >= 0:
        w, wl = toks[j][2], low[j]
        if wl in AUX_ADV or _is_adverb(w):
            j -= 1
            continue
        if wl in DAYS or wl in TIME_NOUNS and j > 0 and low[j - 1] in TIME_PRE:
            j -= 1
            if j >= 0 and low[j] in TIME_PRE:
                j -= 1
            continue
        break
    if j < 0:
        return None
    w, wl = toks[j][2], low[j]
    if w == ",":
        return _appositive_source(st, j, stops)
    if wl in ("and", "but", "then", "or") or wl == "to" or _is_quote_tok(w) or \
            w in HARD_PUNCT and w != ")":
        return None
    if wl in FUNCTION and wl not in ("who", "which") or wl in OBJ_PRONOUNS:
        return None
    a = _region_start(st, j, stops)
    a = _strip_leading(st, a, j)
    if a > j:
        return None
    if not _np_ok(st, a, j):
        # a leading phrase we cannot read ("In Iowa Smith said"): the name right before
        ph = phrase_before(st.text, toks[a][0], toks[j][1])
        if ph is None or ph.kind not in ("person", "body", "pronoun"):
            return None
        k = st.index_at(ph.start)
        if k is None:
            return None
        return _Src(ph, k, j)
    if low[a] in ("who", "which") and a == j:
        return _Src(_phrase(st, a, j), a, j)
    return _Src(_phrase(st, a, j), a, j)


def _appositive_source(st: _Sent, comma_k: int, stops: set[int]) -> Optional[_Src]:
    """``NAME, APPOSITIVE[, ...], CUE``: the source with its appositive(s)."""
    commas = _commas_left(st, comma_k, 0)
    right = comma_k          # the comma that closes the appositive part
    best: Optional[_Src] = None
    skip_until = None        # a skipped segment (age, place) right before the cue
    for n, c in enumerate(commas[:5]):
        seg_a, seg_b = c + 1, right - 1
        if seg_a > seg_b:
            return best
        if best is None and _skip_segment(st, seg_a, seg_b) and skip_until is None:
            # "Smith, 58, said": the source is before the skipped segment
            skip_until = c
            right = c
            continue
        if not _appos_start(st, seg_a):
            if best is None:
                return None
            return best
        # the phrase before this comma
        b = c - 1
        if b < 0:
            return best
        a = _region_start(st, b, stops)
        a = _strip_leading(st, a, b)
        if a <= b and _np_ok(st, a, b) and not st.low[a] in ("who", "which"):
            trailing = comma_k if skip_until is None else None
            appos_b = comma_k - 1 if skip_until is None else skip_until - 1
            best = _with_appositive(st, a, b, c + 1, appos_b, trailing)
            if a == 0 or st.toks[a - 1][2] != ",":
                return best
            right = c
            continue
        return best
    if best is None and skip_until is not None:
        b = skip_until - 1
        a = _region_start(st, b, stops)
        a = _strip_leading(st, a, b)
        if a <= b and _np_ok(st, a, b):
            return _Src(_phrase(st, a, b), a, b)
    return best


NP_OPENERS = frozenset("""
the a an his her their its one some several many most another two three four five both our this
these those each all more other few any no top senior former longtime veteran
""".split())


def _np_forward(st: _Sent, a: int, limit: int, loose: bool = False) -> Optional[int]:
    """End token index of a source noun phrase starting at token ``a`` (inverted order:
    "said Smith", "according to the ministry's latest report")."""
    toks, low, text = st.toks, st.low, st.text
    if a >= limit:
        return None
    w, wl = toks[a][2], low[a]
    if wl in SUBJ_PRONOUNS:
        return a
    if not (_is_cap(w) or wl in NP_OPENERS
            or wl in ROLE_NOUNS or wl in LOWER_MODIFIERS or w[:1].isdigit()
            or loose and w.isalpha() and wl not in FUNCTION and wl not in PREPOSITIONS
            and wl not in CLAUSE_WORDS and wl not in AUX_ADV):
        return None
    if _is_cap(w) and wl in PREPOSITIONS:
        return None
    k = a
    last_ok = None
    depth = 0
    relative = False
    while k < limit:
        w, wl = toks[k][2], low[k]
        if w == "(":
            depth += 1
            k += 1
            continue
        if w == ")":
            if depth == 0:
                break
            depth -= 1
            last_ok = k
            k += 1
            continue
        if depth:
            k += 1
            continue
        if w in HARD_PUNCT or w in ",." or _is_quote_tok(w):
            break
        if k > a and "\n" in text[toks[k - 1][1]:toks[k][0]]:
            break
        if wl in VERBISH and not relative:
            return None
        if k > a and wl in ("who", "which", "that", "whose"):
            relative = True
        if k > a and wl in CLAUSE_WORDS and wl not in ("who", "which", "that", "whose") and \
                not relative:
            break
        if k > a and not relative and (wl in ("in", "on", "at", "during", "last", "this", "earlier", "via", "to")):
            # a setting phrase ends the source: "said Smith in a statement"
            if LEAD_IN_RE.match(text, toks[k - 1][1], st.e):
                break
        if k > a and wl in DAYS:
            break
        if wl in ("that", "who", "which") and k > a:
            # a relative clause belongs to the source as written; keep going to the punct
            pass
        if w[:1].isalnum():
            last_ok = k
        k += 1
    if last_ok is None:
        return None
    if low[last_ok] in FUNCTION or low[last_ok] in PREPOSITIONS:
        return None
    return last_ok


def _forward_source(st: _Sent, a: int, limit: int, loose: bool = False,
                    appos_caps: bool = True, appos_to_end: bool = True) -> Optional[_Src]:
    """Source after a cue ("said Smith, the mayor"), appositives included; without
    ``appos_to_end`` an appositive must close with a comma ("According to X, the number
    rose to 84": what follows the comma is the content, not X's title)."""
    b = _np_forward(st, a, limit, loose)
    if b is None:
        return None
    toks, low = st.toks, st.low
    core_b = b
    # the core phrase for the name: capitalised run or up to a relative clause
    k = a
    while k <= b and low[k] not in ("who", "which", "that"):
        k += 1
    core_b = k - 1 if k > a else b
    # appositives after commas: ", the former senator", ", who ..."
    end = b
    n = b + 1
    while n < limit and toks[n][2] == "," and n + 1 < limit and _appos_start(st, n + 1) \
            and not _is_quote_tok(toks[n + 1][2]) and (
                appos_caps or not _is_cap(toks[n + 1][2]) and low[n + 1] not in SUBJ_PRONOUNS):
        m = n + 1
        while m < limit and toks[m][2] not in (",", ";", ":", "—", "–") and \
                not _is_quote_tok(toks[m][2]) and toks[m][2] not in ".?!":
            m += 1
        if not appos_to_end and (m >= limit or toks[m][2] in ".?!"):
            break
        end = m - 1
        n = m
    src = _phrase(st, a, core_b)
    role = None
    if end > b and b + 2 <= end:
        role = _role_text(st, b + 2, end)
    return _Src(src, a, end, role, inverted=True)


def _role_text(st: _Sent, a: int, b: int) -> Optional[str]:
    """An appositive as a role; a relative clause ("who ...") is no role."""
    if st.low[a] in ("who", "which", "whose", "whom", "that"):
        return None
    return st.text[st.toks[a][0]:st.toks[b][1]].strip(" ,") or None


def _clause_subject(st: _Sent, before: int, prev: dict[int, _Src]) -> Optional[_Src]:
    """Subject of the clause a participle or a second verb hangs on: the source of the last
    cue before it in the sentence, or the sentence's opening noun phrase."""
    for ci in sorted(prev, reverse=True):
        if ci < before and prev[ci] is not None:
            return prev[ci]
    toks, low = st.toks, st.low
    a = 0
    # skip an opening adverbial: "On Monday, ", "In a statement, ", "But "
    n = len(toks)
    for k in range(min(n, 14)):
        if toks[k][2] == ",":
            if k > 0 and (low[0] in PREPOSITIONS or low[0] in LEADING_DROP or
                          low[0] in CLAUSE_WORDS or _is_adverb(toks[0][2])):
                a = k + 1
            break
    while a < n and low[a] in LEADING_DROP:
        a += 1
    if a >= before:
        return None
    w = toks[a][2]
    if low[a] in SUBJ_PRONOUNS:
        return _Src(_phrase(st, a, a), a, a)
    if not (_is_cap(w) or low[a] in ("the", "a", "an", "his", "her", "their", "its")):
        return None
    k = a
    while k < before and (toks[k][2][:1].isupper() or low[k] in ("the", "a", "an", "of", "for",
                                                                  "his", "her", "their", "its",
                                                                  "’s", "'s")
                          or low[k] in ROLE_NOUNS or low[k] in LOWER_MODIFIERS
                          or low[k] in TITLE_WORDS or toks[k][2] in ("(", ")", "-")
                          or low[k] in GROUP_NOUNS and k > a
                          or toks[k][2][:1].isdigit() and k > a):
        k += 1
    b = k - 1
    if b < a or low[b] in FUNCTION:
        return None
    # the next word must be a verb-like lowercase word or an appositive comma
    end = b
    if k < before and toks[k][2] == ",":
        commas = [i for i in range(k, before) if toks[i][2] == ","]
        if len(commas) >= 2 and _appos_start(st, k + 1):
            c2 = commas[1]
            if c2 + 1 < before and toks[c2 + 1][2][:1].islower():
                end = c2
    elif not (k < before and toks[k][2][:1].islower()):
        return None
    ph = _phrase(st, a, b)
    if ph.kind == "description" and not any(low[i] in ROLE_NOUNS or _is_cap(toks[i][2])
                                            for i in range(a, b + 1)):
        return None
    role = None
    if end > b:
        role = _role_text(st, b + 2, end - 1)
    return _Src(ph, a, end, role)


# ---------------------------------------------------------------- content
def _after_content(st: _Sent, pos: int, cut: int) -> tuple[int, int]:
    text = st.text
    # (every match of PP_THAT_RE holds "that": a plain search is far cheaper)
    pm = PP_THAT_RE.match(text, pos, cut) if text.find("that", pos, cut) >= 0 else None
    if pm:
        pos = pm.end()      # "told reporters in Peltra on Monday that ...": the clause
    while True:
        lm = LEAD_IN_RE.match(text, pos, cut)
        if not lm or lm.end() == pos:
            break
        pos = lm.end()
    tm = THAT_RE.match(text, pos, cut)
    if tm:
        pos = tm.end()
    s, e = _trim(text, pos, cut)
    if s < e and text[s] == ",":
        s += 1
    return _trim(text, s, e)


def _before_content(st: _Sent, end_pos: int, lo_pos: int) -> Optional[tuple[int, int]]:
    """Content that ends at ``end_pos`` (before the source): from the clause start."""
    text = st.text
    seg_end = end_pos
    while seg_end > lo_pos and text[seg_end - 1].isspace():
        seg_end -= 1
    if seg_end <= lo_pos:
        return None
    # keep a closing quote and the comma inside it; drop a bare trailing comma or dash
    tail = text[seg_end - 1]
    if tail in ",—–:-":
        seg_end -= 1
    s = lo_pos
    # content opening with a quote: start at the quote
    q = st.ctx.quote_at(seg_end - 1)
    if q is not None and q.start < s:
        s = q.start
    span = _trim(text, s, seg_end)
    if span[1] - span[0] < 3:
        return None
    return span


def _has_clause_after(text: str, ce: int, e: int, lemma: str) -> bool:
    """Weak cues need a that-clause, a colon, a quote or a figure after them
    (or "X as Y" for describe, "X of Y" for accuse)."""
    rest = text[ce:e]
    if lemma in AS_VERBS and _AS_AFTER_RE.match(rest):
        return True
    if lemma in OF_VERBS and _OF_AFTER_RE.match(rest):
        return True
    return bool(CLAUSE_AFTER_RE.match(rest)
                or PUT_AT_RE.match(rest)
                or _DIGIT_RE.search(rest, 0, 80) and NUMBER_AFTER_RE.match(rest))


CLAUSE_AFTER_RE = re.compile(
    r"(?:\s+(?:on|last|this|in|at|to)\s+[^,.;]{1,40}?)?\s*(?:that\b|:|,?\s*[“\"«]|,?\s*'')")
NUMBER_AFTER_RE = re.compile(
    r"\s+(?:that|the|a|an|about|around|nearly|almost|more|over|some|roughly|at\s+least|up\s+to|"
    r"\d|two|three|four|five|six|seven|eight|nine|ten|one)\b")
AS_VERBS = {"describe", "cite", "blame"}
OF_VERBS = {"accuse", "charge", "warn", "inform", "brief", "remind", "assure"}


# ---------------------------------------------------------------- cheap prefilters
# A regex is only run over a sentence that holds one of the literal strings every match of
# it must contain (plain substring tests are far cheaper than a regex scan).
_ACCORDING_WORDS = ("ccording", "quoted", "words")          # ACCORDING_RE
_SIGNED_MARKS = ("―", "—", "–", "--")                       # SIGNED_RE
_POLL_WORDS = ("poll", "survey", "study", "analysis", "census")   # POLL_TAIL_RE
# PROVENANCE_RE (case-insensitive): looked up in the lowercased sentence
_PROVENANCE_WORDS = ("first", "initially", "previously", "originally", "earlier", "came",
                     "originat")
# letters that re.IGNORECASE equates with an ASCII letter although str.lower() does not
# give that letter (İ -> "i̇", ı, ſ): with one of them present the regex decides
_CI_SPECIAL = ("\u0130", "\u0131", "\u017f")


# QUICK_RE's alternatives that are plain strings; the others need "by", "’s", "'s",
# "quoted" or "words"
_QUICK_LITERALS = ("ccording", "Poll", "poll", "Survey", "survey", "Study", "study", "Studies",
                   "studies", "analysis", "analyses", "census", "tally", "count", "projection",
                   "forecast", "model", "average", "estimate", "data", ":", "―", "—", "–", "--")
_QUICK_NEEDS = ("by", "’s", "'s", "quoted", "words")


# _QUICK_LITERALS by a part they share ("oll" for "Poll" and "poll"): a sentence without
# the part needs one test instead of one per word; the commonest first
_QUICK_GROUPS = ((":", (":",)), ("count", ("count",)), ("—", ("—",)),
                 ("ccording", ("ccording",)), ("oll", ("poll", "Poll")), ("–", ("–",)),
                 ("urvey", ("survey", "Survey")), ("data", ("data",)), ("--", ("--",)),
                 ("tally", ("tally",)), ("average", ("average",)), ("model", ("model",)),
                 ("analys", ("analysis", "analyses")), ("estimate", ("estimate",)),
                 ("tud", ("Study", "study", "Studies", "studies")), ("census", ("census",)),
                 ("projection", ("projection",)), ("forecast", ("forecast",)), ("―", ("―",)))
assert sorted(w for _, ws in _QUICK_GROUPS for w in ws) == sorted(_QUICK_LITERALS) and all(
    part in w for part, ws in _QUICK_GROUPS for w in ws)


def _quick(text: str, s: int, e: int, seg: str) -> bool:
    """``QUICK_RE.search(text, s, e) is not None`` (seg is text[s:e])."""
    for part, ws in _QUICK_GROUPS:
        if part in seg:
            for w in ws:
                if w in seg:
                    return True
    for w in _QUICK_NEEDS:
        if w in seg:
            return QUICK_RE.search(text, s, e) is not None
    return False


def _maybe(seg: str, words) -> bool:
    for w in words:
        if w in seg:
            return True
    return False


def _maybe_ci(seg: str, words) -> bool:
    low = seg.lower()
    for w in words:
        if w in low:
            return True
    return seg.isascii() is False and any(c in seg for c in _CI_SPECIAL)


def _maybe_noun_cue(text: str, s: int, e: int, seg: str) -> bool:
    """NOUN_CUE_RE needs "that" or ":" after its noun and an apostrophe-s before it."""
    if "that" not in seg and ":" not in seg:
        return False
    around = text[max(0, s - 3):e]
    return "’" in around or "'" in around


def _cue_matches(text: str, s: int, e: int) -> list[re.Match]:
    """``list(CUE_RE.finditer(text, s, e))``: CUE_RE tried at ``s`` and after each character
    _CUE_GATE_RE finds (two matches never overlap: only "out" can follow a cue inside one)."""
    match = CUE_RE.match
    m = match(text, s, e)
    out = [m] if m else []
    for g in _CUE_GATE_RE.finditer(text, s, e):
        m = match(text, g.end(), e)
        if m:
            out.append(m)
    return out


# a character that continues a cue word (CUE_RE's final lookahead)
_CUE_WORD_GOES_ON_RE = re.compile(r"[\w’\-]")


def _cues_in(ctx: _Ctx, text: str, s: int, e: int) -> list[re.Match]:
    """``_cue_matches(text, s, e)`` read off the article's matches. CUE_RE never looks
    before its start (only a lookbehind, which sees the same characters with or without
    ``pos``), and its matches cannot start inside one another, so a match of the window
    at p is the article's match at p, except where the window's end cuts what the engine
    reads: a word that goes on past ``e`` (then the window is scanned as before), and a
    match that ends past ``e`` (only " out" can: that one is matched again in the window)."""
    if e < len(text) and _CUE_WORD_GOES_ON_RE.match(text, e):
        return _cue_matches(text, s, e)
    starts = ctx.cstarts
    i = bisect_left(starts, s)
    j = bisect_left(starts, e, i)
    if i == j:
        return []
    out = ctx.cues[i:j]
    last = out[-1]
    if last.end() > e:          # only the last can end past e: matches never overlap
        m = CUE_RE.match(text, last.start(), e)
        if m:
            out[-1] = m
        else:
            out.pop()
    return out


# ---------------------------------------------------------------- main
def claims_in_sentence(text: str, s: int, e: int) -> list[RawClaim]:
    """Every attribution found inside the sentence text[s:e] (the text is the whole article:
    a quotation that goes on in the next sentences of the paragraph is read there)."""
    ctx = _ctx(text)
    cue_ms = _cues_in(ctx, text, s, e)
    seg = text[s:e]
    # (_title_case is false for a sentence that ends with a full stop: tested first, cheaply)
    if not cue_ms and seg.rstrip()[-1:] != "." and _HEADLINE_CUES_RE.search(seg) and \
            _title_case(seg):
        rc = _headline_claim(text, s, e)
        if rc is not None:
            return [rc]
    if not cue_ms and not _quick(text, s, e, seg) and "expected" not in seg:
        return []
    st = _Sent(text, s, e, ctx)
    out: list[RawClaim] = []
    used: list[tuple[int, int]] = []
    prov = None     # PROVENANCE_RE found in the sentence: asked only for a passive claim

    # cue tokens outside quotations
    cues: list[tuple[int, re.Match]] = []
    for m in cue_ms:
        if ctx.quote_at(m.start()) is not None:
            continue
        k = st.index_at(m.start())
        if k is not None:
            cues.append((k, m))
    stops = {k for k, m in cues if m.group().split()[0] not in _NOUN_FORMS}

    for m in (ACCORDING_RE.finditer(text, s, e) if _maybe(seg, _ACCORDING_WORDS) else ()):
        if ctx.quote_at(m.start()) is not None:
            continue
        k = st.index_at(text.find(m.group().split()[-1], m.start()))
        dm = DATA_OF_RE.match(text, m.end(), e)     # "according to the data of X": X
        a = st.index_at(dm.end() if dm else m.end())
        if a is None:
            continue
        initial = _before_is_empty_or_lead(text, s, m.start())
        src = _forward_source(st, a, len(st.toks), True, appos_caps=not initial,
                              appos_to_end=not initial)
        if not src:
            continue
        src_end = st.toks[src.end][1]
        cue = _trim(text, m.start(), m.end())
        p = src_end
        while True:
            lm = LEAD_IN_RE.match(text, p, e)
            if not lm or lm.end() == p:
                break
            p = lm.end()
        if _COMMA_NEXT_RE.match(text[p:e]) and initial:
            content = [_trim(text, p, e)]
        else:
            bc = _before_content(st, m.start(), s)
            content = [bc] if bc else []
        content = [c for c in content if c[1] > c[0]]
        if content:
            out.append(RawClaim(src.phrase, cue, content, (s, e), _kind(text, content),
                                src.role, source=(st.toks[src.start][0], src_end)))
            used.append((m.start(), src_end))

    for m in (PASSIVE_RE.finditer(text, s, e) if "by" in seg else ()):
        if ctx.quote_at(m.start()) is not None:
            continue
        a = st.index_at(m.end())
        if a is None:
            continue
        src = _forward_source(st, a, len(st.toks), True)
        if not src:
            continue
        src_end = st.toks[src.end][1]
        content = [_trim(text, _clause_start(text, s, m.start()), m.start())]
        if content[0][1] - content[0][0] < 3:
            continue
        cue = _trim(text, m.start(), m.end())
        rc = RawClaim(src.phrase, cue, content, (s, e), _kind(text, content), src.role,
                      source=(st.toks[src.start][0], src_end))
        if prov is None:
            prov = _maybe_ci(seg, _PROVENANCE_WORDS) and bool(PROVENANCE_RE.search(seg))
        rc.provenance = prov
        out.append(rc)
        used.append((m.start(), src_end))

    subjects: dict[int, Optional[_Src]] = {}
    for n, (ci, m) in enumerate(cues):
        if used and any(a <= m.start() < b for a, b in used):
            continue
        nxt = cues[n + 1][0] if n + 1 < len(cues) else None
        rc = _claim_at_cue(st, ci, m, stops, subjects, nxt, cues)
        if rc:
            # (a claim at a cue never has provenance: _claim_at_cue leaves it False)
            out.append(rc)
            used.append(rc.cue)

    for m in (NOUN_CUE_RE.finditer(text, s, e) if _maybe_noun_cue(text, s, e, seg) else ()):
        if ctx.quote_at(m.start()) is not None or any(a <= m.start() < b for a, b in used):
            continue
        k = st.index_at(m.start())
        if k is None or k == 0:
            continue
        pw = st.toks[k - 1]
        base_end = pw[1] - 2 if _POSS_END_RE.search(pw[2]) else pw[1]
        ph = phrase_before(text, s, base_end) if base_end > pw[0] else None
        if ph is None or ph.kind not in ("person", "body"):
            continue
        after = _after_content(st, m.end(), e)
        if after[1] - after[0] < 3:
            continue
        ki = st.index_at(ph.start)
        if ki is not None and all(st.low[i] in LEADING_DROP or st.toks[i][2] == ","
                                  for i in range(ki)):
            # the noun phrase is the sentence's subject: its main verb ends the content
            # ("Lind’s estimate that 40 ships sank was disputed")
            vm = None
            for vm in SUBJECT_VERB_RE.finditer(text, after[0], after[1]):
                pass
            if vm is not None and len(text[after[0]:vm.start()].split()) >= 2:
                after = _trim(text, after[0], vm.start())
        out.append(RawClaim(ph, (m.start(), m.end()), [after], (s, e), _kind(text, [after]),
                            source=(ph.start, ph.end)))

    # every match of POLL_INTRO_RE opens with one of these letters ("But", "And", ..., "In")
    pm = POLL_INTRO_RE.match(text, s, e) if text[s:s + 1] in _POLL_INTRO_FIRST else None
    if pm and ctx.quote_at(pm.start("src")) is None:
        a, b = _trim(text, pm.start("src"), pm.end("src"))
        content = [_trim(text, pm.end(), e)]
        if content[0][1] - content[0][0] > 3:
            # respondents who "said" something in the poll are the poll's content
            out = [rc for rc in out if not (rc.speaker and rc.speaker.start >= pm.end() and
                                            QUANTITY_SUBJ_RE.match(rc.speaker.text))]
            out.append(RawClaim(classify(text, a, b), (pm.start("cue"), pm.end("cue")), content,
                                (s, e), _kind(text, content), source=(a, b)))
    # transcripts: "SMITH: We will win." at the start of a paragraph
    cm = COLON_RE.match(text, s, e) if (s == 0 or text[s - 1] == "\n") else None
    if cm and cm.group("src").split()[0].lower().strip(".") not in COLON_STOP and not any(
            rc.cue[0] < cm.end() for rc in out):
        content = [_trim(text, cm.end(), e)]
        if content[0][1] - content[0][0] > 3:
            a, b = cm.span("src")
            out.append(RawClaim(classify(text, a, b), cm.span("cue"), content, (s, e),
                                _kind(text, content), source=(a, b)))
    sm = SIGNED_RE.search(text, s, e) if _maybe(seg, _SIGNED_MARKS) else None
    if sm and not out:
        q = ctx.quote_at(sm.start() - 1)
        if q is not None and q.closed and q.start >= s:
            a, b = sm.span("src")
            content = [(q.start, q.end)]
            out.append(RawClaim(classify(text, a, b), sm.span("cue"), content, (s, e),
                                _kind(text, content), source=(a, b)))
    if not pm:
        tm = POLL_TAIL_RE.search(text, s, e) if _maybe(seg, _POLL_WORDS) else None
        if tm and ctx.quote_at(tm.start("src")) is None and not any(
                rc.cue[0] >= tm.start() or rc.speaker and not QUANTITY_SUBJ_RE.match(rc.speaker.text)
                for rc in out):
            a, b = _trim(text, tm.start("src"), tm.end("src"))
            content = [_trim(text, s, tm.start())]
            if content[0][1] - content[0][0] > 3 and NUMBER_RE.search(text, s, tm.start()):
                out = []
                out.append(RawClaim(classify(text, a, b), tm.span("cue"), content, (s, e),
                                    _kind(text, content), source=(a, b)))

    if not out and "expected" in seg:
        xm = EXPECTED_RE.search(text, s, e)
        if xm and ctx.quote_at(xm.start()) is None:
            # "The bank is expected to cut rates to 2 percent": an attribution whose
            # source is unnamed; the content is the subject and what it is expected to do
            subj = _trim(text, s, xm.start())
            rest = _trim(text, xm.end(), e)
            if subj[1] - subj[0] > 1 and rest[1] - rest[0] > 3:
                content = [subj, rest]
                out.append(RawClaim(None, _trim(text, xm.start(), xm.end("cue")), content,
                                    (s, e), _kind(text, content)))
    if ":" in seg:
        _colon_quotes(st, ctx, out)
    out.sort(key=lambda c: c.cue[0])
    for rc in out:
        # "citing X" after the cue, or inside the source's appositive ("Quist, citing the
        # agency, said")
        lo = rc.speaker.end if rc.speaker is not None and rc.speaker.end <= rc.cue[0] else rc.cue[1]
        for cm in CITING_RE.finditer(text, lo, e):
            a = st.index_at(cm.end())
            src = _forward_source(st, a, len(st.toks), True) if a is not None else None
            if src and src.phrase is not rc.speaker:
                rc.origin_phrases.append((src.phrase, (cm.start(), src.phrase.end), "citing"))
    _continue_quotes(st, out)
    return out


HEADLINE_CUE_RE = re.compile(r"(?<=\s)(?:Says|Said|Tells|Told|Claims|Warns|Estimates|Confirms|"
                             r"Reveals|Admits|Predicts|Insists|Announces|Denies)\s+(?:That\s+)?"
                             r"(?=\S)")
_HEADLINE_CUES = (" Says", " Said", " Tells", " Told", " Claims", " Warns", " Estimates",
                  " Confirms", " Reveals", " Admits", " Predicts", " Insists", " Announces",
                  " Denies")
# "is one of _HEADLINE_CUES in the sentence": one scan for a space and the words tried
# there, instead of a substring search per word
_HEADLINE_CUES_RE = re.compile("|".join(_HEADLINE_CUES))


def _title_case(seg: str) -> bool:
    """A headline in Title Case: most longer words capitalised, no full stop at the end."""
    words = [w for w in seg.split() if len(w) > 3 and w[:1].isalpha()]
    if len(words) < 3 or seg.rstrip()[-1:] == ".":
        return False
    return sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


def _headline_claim(text: str, s: int, e: int) -> Optional[RawClaim]:
    """'Pentagon Estimates 100,000 Troops Killed': the cue in Title Case."""
    m = HEADLINE_CUE_RE.search(text, s, e)
    if m is None:
        return None
    cue_end = m.start() + len(m.group().split()[0])
    ph = phrase_before(text, s, m.start())
    if ph is None or ph.kind not in ("person", "body", "description") or \
            ph.start != _trim(text, s, e)[0]:
        return None     # "Minister Says ...": a description, resolved across the article
    content = [_trim(text, m.end(), e)]
    if content[0][1] - content[0][0] < 3:
        return None
    return RawClaim(ph, (m.start(), cue_end), content, (s, e), _kind(text, content),
                    source=(ph.start, ph.end))


# plural heads after a capitalised modifier: "Hospital unions welcomed the plan but said ..."
GROUP_NOUNS = frozenset("""
unions union workers farmers doctors nurses teachers activists investors traders protesters
groups companies firms banks hospitals schools producers exporters importers airlines
carriers operators miners employers employees staff residents voters lawmakers members
""".split())
PASSIVE_ADVERBS = frozenset("later earlier also widely previously first once then now long "
                            "since already initially originally".split())
LABEL_RE = re.compile(r"([A-Z][a-z]+):\s+")
EXPECTED_RE = re.compile(r"\b(?P<cue>(?:is|are|was|were)\s+(?:(?:not|widely|also|now|still|"
                         r"generally|largely)\s+)?expected)\s+(?=to\s)")
COLON_QUOTE_RE = re.compile(r"[ \t]*:[ \t\u00a0]*(?=[“\"«])")


def _colon_quotes(st: _Sent, ctx: _Ctx, out: list[RawClaim]) -> None:
    """'Pollster Daron Shaw: “Historically, ...”' or 'More from Berg: “...”': a name, a
    colon and a quotation is the quotation's attribution, with the colon as cue."""
    text, s, e = st.text, st.s, st.e
    for m in COLON_QUOTE_RE.finditer(text, s, e):
        if ctx.quote_at(m.start()) is not None or any(rc.cue[0] <= m.start() < rc.content_span[1]
                                                      for rc in out):
            continue
        q = ctx.quote_at(m.end() + 1)
        if q is None or q.start != m.end():
            continue
        lo = max(s, text.rfind(" - ", s, m.start()) + 3, text.rfind("—", s, m.start()) + 1)
        ph = phrase_before(text, lo, m.start())
        if ph is None or ph.kind not in ("person", "body") or ph.name.split()[0].lower() in COLON_STOP:
            continue
        content = [(q.start, q.end)]
        ci = text.index(":", m.start())
        out.append(RawClaim(ph, (ci, ci + 1), content, (s, e), _kind(text, content),
                            source=(ph.start, ph.end)))


def _before_is_empty_or_lead(text: str, s: int, pos: int) -> bool:
    before = text[s:pos].strip()
    return not before or len(before.split()) <= 4 and before.endswith(",")


def _clause_start(text: str, s: int, pos: int) -> int:
    """Start of the clause that ends at ``pos``: after the last ; or : or sentence start."""
    k = max(text.rfind(";", s, pos), text.rfind(":", s, pos))
    return k + 1 if k >= 0 else s


def _claim_at_cue(st: _Sent, ci: int, m: re.Match, stops: set[int],
                  subjects: dict[int, Optional[_Src]], nxt: Optional[int],
                  cues: list) -> Optional[RawClaim]:
    text, s, e = st.text, st.s, st.e
    toks, low = st.toks, st.low
    word = m.group().split()[0]
    wl = word.lower()
    lemma = LEMMA_OF.get(wl)
    if lemma is None:
        return None
    cs, ce = m.start(), m.end()
    particle = _NEEDS_PARTICLE.get(lemma)
    if particle == "out" and not m.group().endswith("out"):
        return None
    if particle == "it":
        if ci + 1 < len(toks) and low[ci + 1] == "it":
            ce = toks[ci + 1][1]
        elif not PUT_AT_RE.match(text, ce, e):
            return None
    if lemma == "cite":
        return None
    prev_w = low[ci - 1] if ci > 0 else ""
    if prev_w in ("the", "a", "an", "this", "that", "these", "those", "his", "her", "its",
                  "their", "our", "my", "your", "no", "any", "some", "such", "every", "each"):
        return None  # a noun: "the report", "his claims", "a saying"
    if prev_w in ("’s", "'s") or ci > 0 and _POSS_END_RE.search(toks[ci - 1][2]) and \
            wl in _NOUN_FORMS:
        return None
    # passive and adjectival participles ("was told", "the expected rise") are not cues
    pj = ci - 1
    while pj > 0 and (_is_adverb(toks[pj][2]) or low[pj] in PASSIVE_ADVERBS):
        pj -= 1                     # "was later claimed"
    prev_aux = low[pj] if pj >= 0 else ""
    if prev_aux in ("was", "were", "is", "are", "be", "been", "being") and (
            wl.endswith("ed") or wl in ("told", "said", "written", "found", "shown", "thought")):
        subjects[ci] = None
        tm = THAT_RE.match(text, ce, e)
        if pj >= 1 and low[pj - 1] == "it" and tm and tm.group().strip():
            # "It was later claimed that 12 were hurt": reported, by nobody named
            content = [_trim(text, tm.end(), e)]
            if content[0][1] - content[0][0] > 3:
                return RawClaim(None, (toks[pj][0], ce), content, (s, e), _kind(text, content))
        return None
    if prev_w == "to" and wl not in ("say", "tell"):
        return None
    weak = (lemma in _WEAK or wl in _NOUN_FORMS) and not (particle == "it" and
                                                          ce == toks[ci + 1][1])
    that_only = wl in _THAT_ONLY and not THAT_AFTER_RE.match(text, ce, e)
    if lemma == "continue" and _TO_RE.match(text[ce:ce + 4]):
        return None
    participle = wl.endswith("ing")

    src: Optional[_Src] = None
    if participle:
        if ci > 0 and (toks[ci - 1][2] == "," or low[ci - 1] in STATEMENT_NOUNS or
                       low[ci - 1] in ("while", "when", "after", "before", "by", "in", "and")):
            src = _clause_subject(st, ci, subjects)
        elif ci > 0 and low[ci - 1] in ("is", "was", "are", "were", "been", "be", "am"):
            src = _subject_before(st, ci, stops)
        elif ci > 2 and low[ci - 1] == "as" and low[ci - 2] == "quoted":
            src = _subject_before(st, ci - 2, stops)     # "Lind was quoted as saying"
        if src is None:
            subjects[ci] = None
            return None
    else:
        if prev_w == "to":
            # "went on to say", "refused to tell": the subject of the governing verb
            src = _infinitive_subject(st, ci, stops)
            if src is None:
                return None
        elif prev_w in ("and", "but", "then") and ci > 1 and toks[ci - 2][2] != ",":
            src = _clause_subject(st, ci, subjects)
        else:
            src = _subject_before(st, ci, stops)
    subjects[ci] = src
    inverted = False
    if src is None and not participle:
        j = ci - 1
        while j >= 0 and (low[j] in AUX_ADV or _is_adverb(toks[j][2])):
            j -= 1
        if j < 0 or toks[j][2] in (",", ":") or _is_quote_tok(toks[j][2]) or toks[j][2] in "—–":
            src = _forward_source(st, ci + 1 if particle != "it" else ci + 2, len(toks))
            if src is not None:
                inverted = True
                subjects[ci] = src
                # the inverted source must end the clause
                after_i = src.end + 1
                if after_i < len(toks):
                    nw = toks[after_i][2]
                    if not (nw in ",.;:!?—–" or _is_quote_tok(nw) or low[after_i] in CLAUSE_WORDS
                            or LEAD_IN_RE.match(text, toks[src.end][1], e)):
                        return None
    if src is None:
        return None
    if that_only and not inverted and not (lemma in DATA_VERBS and _is_data_source(st, src)
                                           and NUMBER_RE.search(text, s, e)):
        # a noun-like form is a verb right after a named or pronoun subject: "Trump claims"
        named = src.phrase.kind == "pronoun" and wl not in ("states", "show", "add") or (
            wl not in ("states", "show", "add", "stress") and src.phrase.kind in ("person", "body")
            and _is_cap(toks[src.end][2]) and src.end == ci - 1)
        quoted = _QUOTE_NEXT_RE.match(text[ce:e]) is not None
        if not (named or quoted):
            return None
    sp = src.phrase
    if sp.kind == "pronoun" and sp.text.lower() in ("i", "you") and \
            st.ctx.quote_at(sp.start) is None:
        pass
    src_s = st.toks[src.start][0]
    src_e = st.toks[src.end][1]
    # weak cues need a clause after them (or a quote before them)
    after_pos = src_e if inverted else ce
    if lemma in _ADDRESSEE and not inverted:
        om = TELL_OBJ_RE.match(text, after_pos, e)
        if om:
            after_pos = om.end()
    # the content after the cue stops at the next participle cue or "according to"
    cut = e
    for k2, m2 in cues:
        if k2 > ci and (k2 > 0 and toks[k2 - 1][2] == "," and low[k2] in PARTICIPLE_CUTS):
            cut = min(cut, toks[k2 - 1][0])
            break
    am = _CUT_RE.search(text, after_pos, cut)
    if am:
        cut = am.start()
    # a later ", SOURCE CUE." (or ", CUE SOURCE.") that ends the sentence reports this claim:
    # "Lind put the losses at 40 ships, the broadcaster reported." -- this content stops there
    for k2, m2 in cues:
        if k2 <= ci + 1 or toks[k2][0] < after_pos or toks[k2][0] >= cut:
            continue
        if not _REST_EMPTY_RE.match(text[m2.end():e]) and not (
                (lm := LEAD_IN_RE.match(text, m2.end(), e)) and
                _REST_EMPTY_RE.match(text[lm.end():e])):
            inv = toks[k2 - 1][2] == "," and _forward_source(st, k2 + 1, len(toks))
            if not inv or not _REST_EMPTY_PLAIN_RE.match(text[toks[inv.end][1]:e]):
                continue
            cut = min(cut, toks[k2 - 1][0])
            break
        src2 = _subject_before(st, k2, stops)
        if src2 is not None and src2.start - 1 > ci and toks[src2.start - 1][2] == ",":
            cut = min(cut, toks[src2.start - 1][0])
            break
    after = _after_content(st, after_pos, cut)
    # content before the source: "Taxes rose, Smith said" / "“We won,” said Smith"
    before = None
    left_edge = src_s if not inverted else cs
    if not participle:
        j = (src.start if not inverted else ci) - 1
        while j >= 0 and not inverted and low[j] in AUX_ADV:
            j -= 1
        if j >= 1 and low[j] == "as" and toks[j - 1][2] == ",":
            j -= 1
        if j >= 0 and (toks[j][2] in (",", "—", "–", ":") or _is_quote_tok(toks[j][2])):
            lm = LABEL_RE.match(text, s, e)     # "Update: “The port is closed,” she said."
            lo = lm.end() if lm and lm.group(1).lower() in COLON_STOP else s
            # a cue earlier in the sentence with its own content: start after it
            before = _before_content(st, toks[j][1], lo)
    content: list[tuple[int, int]] = []
    rest_empty = after[1] - after[0] < 2 or _REST_EMPTY_RE.match(text[after_pos:e])
    after_quoted = after[1] > after[0] and (text[after[0]] in QUOTE_OPEN)
    if before and (rest_empty or AFTER_PP_RE.match(text, after[0], after[1])
                   and not THAT_TAIL_RE.search(text, m.end(), after[0])):
        if weak and not rest_empty and text[before[1] - 1] not in QUOTE_CLOSE:
            return None
        content = [before]
    elif after[1] > after[0]:
        before_quoted = before is not None and (text[before[1] - 1] in QUOTE_CLOSE)
        if before and after_quoted and before_quoted:
            content = [before, after]   # "Q1," Smith said, "Q2."
        elif before and not before_quoted and _COMMA_NEXT_RE.match(text[after_pos:e]) and \
                not after_quoted:
            rel = REL_END_RE.search(text, before[0], before[1])
            if rel:
                before = (rel.start(1), before[1])
            content = [before, after]   # The levy, which, she said, targets ...
        else:
            content = [after]
    elif before:
        content = [before]
    if weak and not inverted and content and content[-1] == after and len(content) == 1:
        if not _has_clause_after(text, after_pos if lemma in _ADDRESSEE else ce, e, lemma) and \
                not (lemma in DATA_VERBS and _is_data_source(st, src) and
                     NUMBER_RE.search(text, after[0], after[1])):
            return None
    content = [c for c in content if c[1] - c[0] >= 2]
    if not content and rest_empty and not participle and \
            (src.start == 0 or inverted and ci == 0):
        # “Is it over?” Lind asked. / “We won!” / Lind said.: the quote ended the sentence before
        prev = _quote_ending_before(st)
        if prev is not None:
            content = [prev]
    if not content:
        return None
    cue = (cs, ce)
    rc = RawClaim(sp, cue, content, (s, e), _kind(text, content), src.role,
                  source=(src_s, src_e))
    return rc


def _is_data_source(st: _Sent, src: _Src) -> bool:
    return any(st.low[i] in DATA_NOUNS for i in range(src.start, src.end + 1))


def _quote_ending_before(st: _Sent) -> Optional[tuple[int, int]]:
    """The quotation that ends the previous sentence of the same paragraph, if any."""
    ctx, text = st.ctx, st.text
    k = bisect_right(ctx.sstarts, st.s - 1) - 1
    if k < 0:
        return None
    ps, pe = ctx.sents[k]
    if "\n" in text[pe:st.s] or pe <= ps or text[pe - 1] not in QUOTE_CLOSE:
        return None
    q = ctx.quote_at(pe - 1)
    if q is None or not q.closed or q.start < ps or q.end != pe:
        return None
    return (q.start, q.end)


SUBJECT_VERB_RE = re.compile(r"\s(?:was|were|is|are|has\s+been|have\s+been|had\s+been|"
                             r"proved|proves|turned\s+out|appears|appeared|seems|seemed)\s")
REL_END_RE = re.compile(r"\b(which|that|who|what)\s*$", re.I)
THAT_TAIL_RE = re.compile(r"(?:\bthat|:)\s*\Z")   # "noted that during ...": a clause
AFTER_PP_RE = re.compile(r"(?:in|at|on|during|after|before|while|from|with|via|over|through|"
                         r"for|in\s+an?|outside|inside)\b")
PUT_AT_RE = re.compile(r"(?:\s+[\w’'\-]+){1,9}?\s+at\s+(?:about|around|nearly|roughly|some|"
                       r"almost|close\s+to|more\s+than|over|under|least|just|[$£€]|\d)")
_CUT_RE = re.compile(r",\s*(?:according\s+to|citing)\b")
INFINITIVE_GOV = frozenset("""
on refused declined continued wanted went goes go going hastened rushed appeared seemed
decided chose tried sought began started wants want would like quick likely able unable
""".split())


def _infinitive_subject(st: _Sent, ci: int, stops: set[int]) -> Optional[_Src]:
    """'went on to say', 'declined to say', 'was quick to tell': the governing verb's subject."""
    low = st.low
    j = ci - 2  # the word before "to"
    if j < 0 or low[j] not in INFINITIVE_GOV:
        return None
    while j >= 0 and (low[j] in INFINITIVE_GOV or low[j] in AUX_ADV or low[j] == "so" or
                      low[j] == "far"):
        j -= 1
    if j < 0:
        return None
    return _subject_before(st, j + 1, stops)


def _continue_quotes(st: _Sent, claims: list[RawClaim]) -> None:
    """A direct quote that goes on in the next sentences of the same paragraph, with no cue of
    its own, is more of the same claim: its sentences become further content fragments."""
    if not claims:
        return
    ctx, text = st.ctx, st.text
    last = max(claims, key=lambda c: c.content[-1][1])
    if last.kind == "indirect":
        return
    a, b = last.content[-1]
    q = ctx.quote_at(a + 1) if text[a:a + 1] in QUOTE_OPEN else None
    if q is not None and q.start == a and not q.closed and q.end > b:
        # "He said: “We will win. We will fight on.": a quotation that never closes in
        # this paragraph runs on over its sentences
        last.content[-1] = _trim(text, a, q.end)
        return
    # only when the quote is the sentence's last words
    tail = text[last.content[-1][1]:st.e]
    if not _TAIL_END_RE.match(tail) and not _TAIL_WORDS_END_RE.match(tail):
        return
    k = bisect_right(ctx.sstarts, st.e)
    nfr = 0
    para_end = text.find("\n", st.e)
    if para_end < 0:
        para_end = len(text)
    while k < len(ctx.sents) and nfr < 12:
        ns, ne = ctx.sents[k]
        if ns > para_end:
            break
        if text[ns] not in QUOTE_OPEN or text[ns] == "'" and not text.startswith("''", ns):
            break
        q = ctx.quote_at(ns + 1)
        if q is None or q.start != ns or q.end < ne - 1:
            break
        if CUE_RE.search(text, q.end, ne):
            break  # its own cue: "“Q2,” she added."
        last.content.append(_trim(text, ns, ne))
        nfr += 1
        k += 1

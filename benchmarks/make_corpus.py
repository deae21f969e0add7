"""Generate a synthetic wire corpus as JSON Lines, or print the statistics of a corpus.

    python benchmarks/make_corpus.py 10000 > /tmp/corpus-10k.jsonl      # --seed N to vary
    python benchmarks/make_corpus.py --stats /tmp/corpus-10k.jsonl     # length, claims, figures

Many outlets (a few big wires, a long tail of small ones) and speakers (a few quoted every
day, most rarely) report figures. A figure is first stated by one speaker and then restated
by other outlets over the following days: with another hedge ("nearly" -> "more than"),
rounded ("975,100" -> "nearly 1 million", "0.98 million"), credited to another speaker or
"citing" the first, with the wrong year in its period, or in a headline without its hedge.
Around the figures are what news is mostly made of: quotes and reported speech without
numbers, background, and the reporter's own numbers (years, counts, dates).

Articles are calibrated on the statistics (never the text) of real news: see
benchmarks/README.md for the numbers. Every sentence is built from the templates below.
Deterministic for a given size and --seed (the same bytes every time); streaming (constant
memory: only the figures of the last few days are kept); 100k articles in well under a minute.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import datetime as dt
import itertools
import json
import math
import random
import re
import statistics
import sys
from typing import Iterator

# ----------------------------------------------------------------------------- vocabulary

_OUTLET_A = ("North", "East", "West", "South", "Central", "Harbour", "River", "Lake", "Valley",
             "Coast", "Capital", "Metro", "Union", "Free", "Evening", "Morning", "Baltic",
             "Danube", "Border", "Highland", "Prairie", "Bay", "Summit", "Old Town")
_OUTLET_B = ("Wire", "News", "Post", "Herald", "Monitor", "Courier", "Tribune", "Gazette",
             "Times", "Observer", "Ledger", "Dispatch", "Bulletin", "Chronicle", "Press",
             "Journal", "Agency", "Report")
FEMALE = ("Marta", "Lena", "Irina", "Ada", "Nora", "Sofia", "Dana", "Ines", "Olga", "Maren",
          "Hanna", "Lidia", "Vera", "Tamsin", "Elif", "Zora", "Agnes", "Rosa", "Katya", "Ilse")
MALE = ("Oskar", "Pavel", "Tomas", "Viktor", "Emil", "Karl", "Yuri", "Hugo", "Anton", "Milan",
        "Bruno", "Felix", "Goran", "Ivo", "Janek", "Lukas", "Matteo", "Nils", "Rafael", "Stefan")
LAST = ("Ilves", "Lindqvist", "Koval", "Brandt", "Moreau", "Satori", "Novak", "Haddad",
        "Bergstrom", "Costa", "Varga", "Nilsen", "Petrenko", "Okafor", "Reyes", "Lundgren",
        "Marek", "Dimitrov", "Halloran", "Jovanic", "Kerimov", "Laine", "Mendel", "Oduya",
        "Pruitt", "Quintero", "Rasmussen", "Szabo", "Tamm", "Ulrich", "Vasko", "Wendt",
        "Yilmaz", "Zelenko", "Abara", "Baptiste", "Castell", "Danko", "Eriksen", "Falk",
        "Grieg", "Horvath", "Ivanic", "Juric", "Kallas", "Lorenz", "Mikkelsen", "Navarro")
# (title before a name, the same role as an appositive)
ROLES = (("Defence Minister", "the defence minister"), ("Foreign Minister", "the foreign minister"),
         ("Finance Minister", "the finance minister"), ("Health Minister", "the health minister"),
         ("Interior Minister", "the interior minister"), ("Gen.", "the army's chief of staff"),
         ("Col.", "a military spokesman"), ("Governor", "the regional governor"),
         ("Mayor", "the city's mayor"), ("Ambassador", "the country's envoy to the talks"),
         ("Prime Minister", "the prime minister"), ("Deputy Minister", "a deputy minister"))
BODIES = ("the Defence Ministry", "the General Staff", "the Statistics Office",
          "the Harbour Board", "the Finance Ministry", "the Health Ministry",
          "the Interior Ministry", "the regional administration", "the border guard service",
          "the state energy company", "the central bank", "the emergency service")
# what a figure counts: (noun phrase, participle, value range as powers of ten, style)
METRICS = (
    ("troops", "killed or wounded", 3, 6, ""), ("soldiers", "killed", 3, 5, ""),
    ("tanks", "destroyed", 2, 4, ""), ("armoured vehicles", "lost", 2, 4, ""),
    ("artillery systems", "destroyed", 2, 4, ""), ("drones", "shot down", 2, 4, ""),
    ("villages", "retaken", 1, 3, ""), ("settlements", "captured", 1, 3, ""),
    ("square kilometres", "recaptured", 2, 5, ""), ("people", "displaced", 3, 6, ""),
    ("refugees", "registered", 3, 6, ""), ("civilians", "killed", 2, 4, ""),
    ("prisoners of war", "exchanged", 1, 3, ""), ("missiles", "launched", 2, 4, ""),
    ("homes", "left without power", 3, 6, ""), ("ships", "delayed at the port", 1, 3, ""),
    ("jobs", "lost", 3, 5, ""), ("tonnes of grain", "exported", 4, 7, ""),
    ("in military aid", "pledged", 8, 11, "$"), ("in reconstruction funds", "approved", 7, 10, "€"),
    ("of the power grid", "damaged", 1, 2, "%"), ("of the harvest", "lost", 1, 2, "%"),
)
SUBJECTS = ("", "", "", "enemy ", "Russian ", "Ukrainian ")   # whose (for people counted)
HEDGES = ("nearly", "almost", "about", "around", "more than", "over", "at least", "up to",
          "some", "roughly", "", "", "")
HEDGES_DOWN = ("more than", "over", "at least", "about")   # the value was rounded down
HEDGES_UP = ("nearly", "almost", "about", "close to")      # the value was rounded up
PLACES = ("KYIV", "WARSAW", "BRUSSELS", "LONDON", "VILNIUS", "ODESA", "GENEVA", "VIENNA",
          "BUCHAREST", "TALLINN", "BERLIN", "CHISINAU")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CUES = ("said", "said", "said", "told reporters", "announced", "stated", "estimated",
        "reported", "told a news conference")

# claims without figures: quoted opinions (first person) and reported clauses
Q_OPEN = ("We will not", "Nobody here intends to", "We have no plans to", "Our teams will not",
          "We are ready to", "We must", "We intend to", "The government will", "I can promise we will",
          "Our partners are ready to")
Q_VERB = ("give up the eastern districts", "wait for another winter", "stop the repairs",
          "close the border crossings", "reopen the schools", "rebuild the bridge",
          "talk to anyone who is serious about peace", "send more crews to the front villages",
          "keep the grain corridor open", "leave the families without heat")
Q_TAIL = ("", " this year", " whatever the cost", " before the autumn", " without help",
          " as long as it takes", " in the coming weeks",
          " until every family has a warm place to sleep", " even if the talks fail again next month",
          " and we have told our partners exactly that", " no matter what the other side says about it")
Q_AFTER = ("The situation remains difficult.", "This is not the time for politics.",
           "People want to go home.", "Every day counts.", "We have learned a lot since then.",
           "Nobody should be surprised.", "The work is far from over.")
R_CLAUSE = ("talks with the neighbouring government would resume next week",
            "the bridge would reopen once the repairs were finished",
            "more inspectors were needed in the eastern districts",
            "the curfew would stay in place for now", "the new budget would protect pensions",
            "the evacuation of the frontline towns was going to plan",
            "the shelling had damaged a school and two warehouses",
            "the air defence units had been reinforced", "the port was working at full capacity again",
            "the agreement did not cover the disputed districts",
            "the government had asked its allies for more air defence",
            "the report would be published before the end of the month",
            "the ceasefire had been broken several times overnight",
            "aid convoys were again reaching the southern villages")
# background: subject + verb phrase + tail (all past tense: every subject fits)
B_SUBJ = ("Talks between the two delegations", "The regional council", "Rescue crews",
          "Traffic on the main bridge", "Schools in the eastern districts", "The night train",
          "Shops in the old town", "Repair teams", "Volunteers from nearby towns",
          "The harbour authority", "Local officials", "Residents of the frontline villages",
          "The electricity operator", "Observers from the monitoring mission",
          "Farmers in the south", "Emergency workers")
B_VERB = ("resumed", "stopped", "slowed", "continued", "went ahead", "saw new delays",
          "stayed open", "moved to the western suburbs", "worked through the night",
          "waited for clearance", "complained about the shortages", "had a quiet night")
B_TAIL = (" after a night of shelling.", " for a second day.", " despite heavy rain.",
          " while inspectors reviewed the damage.", " as the temperature fell below freezing.",
          ", officials said.", ".", ".", " on the outskirts of the city.",
          " until the power came back.", " under a tight security cordon.")
B_OTHER = ("The figures could not be independently verified.",
           "Officials did not say how the count was made.",
           "Neither side commented on the report.",
           "Independent monitors have given lower estimates in the past.",
           "The ministry did not respond to a request for comment.",
           "The claims could not be checked on the ground.",
           "Both sides routinely inflate the losses of the other.",
           "The count does not include the missing.")
# longer context sentences: lead-in, who, what they have been doing
L_LEAD = ("Since the start of the winter", "In the weeks before the talks", "For much of the autumn",
          "Across the southern region", "Over the past few months", "In the capital and the larger towns",
          "Even before the latest round of strikes", "Along the main road to the border")
L_ACTOR = ("local authorities", "aid groups working in the area", "engineers from the energy company",
           "municipal workers", "the remaining residents", "hospital staff", "farmers and small traders",
           "diplomats from several neighbouring countries", "teachers and parents")
L_DID = ("have struggled to keep water and heating running in the older apartment blocks",
         "have been rationing fuel and medicine since the last convoy arrived",
         "have asked for more generators and for help clearing the damaged roads",
         "have waited months for the payments promised in the spring",
         "have tried to keep schools and clinics open for the families who stayed",
         "have pressed both sides to agree on safe routes for civilians",
         "have relied on volunteers to deliver food to the villages near the front line",
         "have been patching roofs and windows with whatever material they can find")
# the reporter's own numbers: years, dates, small counts, some of them figures
N_DATES = ("The bridge, built in {year0}, carries most of the region's freight.",
           "The council will meet again on {month} {day}.",
           "The talks are the {ordinal} round since {year1}.",
           "The agreement, signed in {year1}, expires in {year2}.",
           "The old terminal, closed since {year1}, is due to reopen on {month} {day}.")
N_COUNTS = ("About {small} volunteers joined the clean-up on {weekday}.",
            "Trains were running {small2} minutes late on the main line.",
            "The {small} families in the shelter were moved to a school.",
            "Some {small} buses were sent to the border on {weekday}.")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh")

START = dt.date(2019, 1, 7)      # a Monday
PER_DAY = 40                     # articles a day, so a corpus of N spans N / 40 days
LIFETIME = 400                   # a figure is restated within this many articles (~10 days)
P_NEW = 0.12                     # chance that a figure paragraph states a new figure


# ----------------------------------------------------------------------------- pieces

def _zipf_cum(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


class _Pick:
    """rng-driven picks: uniform from a sequence, or Zipf-weighted by rank."""

    def __init__(self, rng: random.Random):
        self.r = rng.random

    def one(self, seq):
        return seq[int(self.r() * len(seq))]

    def ranked(self, seq, cum):
        return seq[bisect.bisect(cum, self.r() * cum[-1])]


def _number(value: int, r) -> str:
    """A value as a wire story may write it."""
    if value >= 1_000_000 and r() < 0.6:
        m = value / 1_000_000
        return f"{m:.1f} million".replace(".0 ", " ") if m < 100 else f"{round(m):,} million"
    if 20_000 <= value < 1_000_000 and value % 1000 == 0 and r() < 0.15:
        return f"{value // 1000:,} thousand"
    return f"{value:,}"


def _round(value: int, digits: int) -> int:
    if value < 10:
        return value
    k = len(str(value)) - digits
    return int(round(value, -k)) if k > 0 else value


def _money(value: int, sym: str) -> str:
    if value >= 1_000_000_000:
        return f"{sym}{value / 1e9:.1f} billion".replace(".0 ", " ")
    return f"{sym}{value / 1e6:.0f} million"


def _date_words(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}"


class Speaker:
    __slots__ = ("name", "last", "title", "appos", "pron", "body")

    def __init__(self, name, last, title, appos, pron, body=False):
        self.name, self.last, self.title, self.appos = name, last, title, appos
        self.pron, self.body = pron, body

    def first(self, cap: bool, r) -> str:
        """The first mention in an article (a role before the name, or the body's name)."""
        if self.body:
            return self.name[0].upper() + self.name[1:] if cap else self.name
        return f"{self.title} {self.name}"

    def again(self, cap: bool) -> str:
        if self.body:
            return self.name[0].upper() + self.name[1:] if cap else self.name
        return self.last


def _speakers(rng: random.Random, n: int = 600) -> list[Speaker]:
    out, seen = [], set()
    bodies = list(BODIES)
    while len(out) < n:
        if bodies and rng.random() < 0.04:
            b = bodies.pop(0)
            out.append(Speaker(b, b, "", "", "it", body=True))
            continue
        female = rng.random() < 0.45
        first = rng.choice(FEMALE if female else MALE)
        last = rng.choice(LAST)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        title, appos = rng.choice(ROLES)
        out.append(Speaker(f"{first} {last}", last, title, appos, "She" if female else "He"))
    return out


class Fact:
    """A figure as first stated: who, what is counted, whose, over which period, the value."""
    __slots__ = ("speaker", "metric", "subject", "value", "hedge", "born", "day", "period")

    def __init__(self, speaker, metric, subject, value, hedge, born, day, period):
        self.speaker, self.metric, self.subject, self.value = speaker, metric, subject, value
        self.hedge, self.born, self.day, self.period = hedge, born, day, period


class Corpus:
    """Streams articles; keeps only the figures still being restated."""

    def __init__(self, seed: int = 7, outlets: int = 120, speakers: int = 600):
        self.rng = rng = random.Random(seed)
        self.p = _Pick(rng)
        names = [f"{a} {b}" for a in _OUTLET_A for b in _OUTLET_B]
        rng.shuffle(names)
        self.outlets = names[:outlets]
        self.outlet_cum = _zipf_cum(len(self.outlets), 1.0)
        self.speakers = _speakers(rng, speakers)
        self.speaker_cum = _zipf_cum(len(self.speakers), 0.8)   # the first ~7%
        self.facts: collections.deque[Fact] = collections.deque()
        for k in range(20):                    # figures stated before the corpus starts
            self.facts.append(self._fact(-k * 20, -1 - k // 4))

    # --- figures

    def _fact(self, i: int, day: int) -> Fact:
        p, r = self.p, self.rng.random
        m = p.one(METRICS)
        lo, hi = m[2], m[3]
        mag = lo + int(r() * (hi - lo))
        value = int((1 + 9 * r()) * 10 ** mag)
        if m[4] == "%":
            value = 5 + int(r() * 80)
        else:
            value = _round(value, 2 + int(r() * 3))
        subject = p.one(SUBJECTS) if m[0] in ("troops", "soldiers", "tanks", "drones") else ""
        date = START + dt.timedelta(days=day)
        kind = r()
        if kind < 0.55:                         # cumulative since a month some years back
            y = date.year - 1 - int(r() * 3)
            period = ("since", MONTHS[int(r() * 12)], y)
        elif kind < 0.8:
            period = ("in", "", date.year)
        else:
            period = ("this year", "", date.year)
        hedge = p.one(HEDGES) if m[4] != "%" else p.one(("about", "nearly", "more than", ""))
        sp = p.ranked(self.speakers, self.speaker_cum)
        return Fact(sp, m, subject, value, hedge, i, day, period)

    def _figure_text(self, f: Fact, restated: bool) -> tuple[str, str]:
        """(hedged number, period phrase) as this article states them."""
        p, r = self.p, self.rng.random
        hedge, value = f.hedge, f.value
        sym = f.metric[4]
        if restated:
            x = r()
            if x < 0.25 and value >= 100 and sym != "%":     # rounded, hedged to match
                v2 = _round(value, 1 + int(r() * 2))
                if v2 != value:
                    value = v2
                    hedge = p.one(HEDGES_UP if v2 > f.value else HEDGES_DOWN)
            elif x < 0.55:
                hedge = p.one(HEDGES)
        if sym == "$" or sym == "€":
            num = _money(value, sym)
        elif sym == "%":
            num = f"{value} percent" if r() < 0.6 else f"{value} per cent"
        else:
            num = _number(value, r)
        fig = f"{hedge} {num}" if hedge else num
        kind, month, year = f.period
        if restated and kind != "this year" and r() < 0.08:
            year += 1 if r() < 0.5 else -1               # the wrong year
        if kind == "since":
            per = f"since {month} {year}"
        elif kind == "in":
            per = f"in {year}"
        else:
            per = "this year" if not restated or r() < 0.7 else f"in {year}"
        return fig, per

    # --- sentences

    def _who(self, sp: Speaker, state: dict, cap: bool, appos: bool = True) -> str:
        """A mention: role and full name the first time (before the name, or after it as
        an appositive when a verb follows), then surname or pronoun."""
        r = self.rng.random
        if sp.name in state["named"]:
            if state["last"] is sp and not sp.body and r() < 0.4:
                return sp.pron if cap else sp.pron.lower()
            return sp.again(cap)
        state["named"].add(sp.name)
        if appos and not sp.body and r() < 0.4:
            return f"{sp.name}, {sp.appos},"
        return sp.first(cap, r)

    def _when(self, fact_day: int, today: int) -> str:
        ago = today - fact_day
        d = START + dt.timedelta(days=fact_day)
        if ago <= 0:
            return "on " + WEEKDAYS[d.weekday()] if self.rng.random() < 0.5 else ""
        if ago < 6:
            return "on " + WEEKDAYS[d.weekday()]
        return "on " + _date_words(d)

    def _figure_para(self, i: int, today: int, state: dict, lead: bool) -> str:
        p, r = self.p, self.rng.random
        if r() < P_NEW or not self.facts:
            f = self._fact(i, today)
            self.facts.append(f)
            restated, sp = False, f.speaker
        else:
            f = p.one(self.facts)
            restated = True
            x = r()
            sp = f.speaker if x < 0.8 else p.ranked(self.speakers, self.speaker_cum)
        fig, per = self._figure_text(f, restated)
        noun, part = f.metric[0], f.metric[1]
        noun = f.subject + noun
        when = self._when(f.day, today)
        w = f" {when}" if when else ""
        cue = p.one(CUES)
        cite = ""
        if restated and sp is not f.speaker and r() < 0.5:
            cite = f", citing {f.speaker.first(False, r) if f.speaker.body else f.speaker.name}"
        form = r()
        state_last = sp
        if form < 0.34 or lead:
            s = f"{self._who(sp, state, True)} {cue}{w} that {fig} {noun} had been {part} {per}{cite}."
        elif form < 0.52:
            figc = fig[0].upper() + fig[1:]
            s = f"{figc} {noun} have been {part} {per}, {self._who(sp, state, False)} {cue}{w}{cite}."
        elif form < 0.74:
            figc = fig[0].upper() + fig[1:]
            body = f"{figc} {noun} have been {part} {per}"
            if r() < 0.3:
                body += ". " + p.one(Q_AFTER)[:-1]
            s = f"“{body},” {self._who(sp, state, False)} said{w}{cite}."
        elif form < 0.88:
            s = f"According to {self._who(sp, state, False, False)}, {fig} {noun} were {part} {per}."
        else:
            s = f"{self._who(sp, state, True)} estimated{w} that {fig} {noun} had been {part} {per}."
        state["last"] = state_last
        state["figures"].append((fig, noun, part))
        return s

    def _speech_para(self, today: int, state: dict) -> str:
        p, r = self.p, self.rng.random
        sp = state["last"] if state["last"] is not None and r() < 0.35 else \
            p.ranked(self.speakers, self.speaker_cum)
        if r() < 0.55:
            q = f"{p.one(Q_OPEN)} {p.one(Q_VERB)}{p.one(Q_TAIL)}"
            if r() < 0.4:
                s = f"“{q},” {self._who(sp, state, False)} said. “{p.one(Q_AFTER)}”"
            else:
                s = f"“{q},” {self._who(sp, state, False)} {p.one(('said', 'told reporters', 'added'))}."
        else:
            when = self._when(today - int(r() * 2), today)
            w = f" {when}" if when else ""
            s = f"{self._who(sp, state, True)} {p.one(CUES)}{w} that {p.one(R_CLAUSE)}."
        state["last"] = sp
        return s

    def _background(self) -> str:
        p, r = self.p, self.rng.random
        x = r()
        if x < 0.2:
            return p.one(B_OTHER)
        if x < 0.45:
            return f"{p.one(B_SUBJ)} {p.one(B_VERB)}{p.one(B_TAIL)}"
        return f"{p.one(L_LEAD)}, {p.one(L_ACTOR)} {p.one(L_DID)}."

    def _numbers(self, today: int) -> str:
        p, r = self.p, self.rng.random
        d = START + dt.timedelta(days=today + 3 + int(r() * 20))
        return p.one(N_COUNTS if r() < 0.4 else N_DATES).format(
            year0=1950 + int(r() * 60), year1=d.year - 1 - int(r() * 6), year2=d.year + 1 + int(r() * 5),
            month=MONTHS[d.month - 1], day=d.day, small=10 + int(r() * 390),
            small2=5 + int(r() * 50), weekday=p.one(WEEKDAYS), ordinal=p.one(ORDINALS))

    def article(self, i: int) -> dict:
        p, r = self.p, self.rng.random
        while self.facts and self.facts[0].born < i - LIFETIME:
            self.facts.popleft()
        today = i // PER_DAY
        date = START + dt.timedelta(days=today)
        outlet = p.ranked(self.outlets, self.outlet_cum)
        state = {"named": set(), "last": None, "figures": []}
        n = max(3, int(self.rng.lognormvariate(2.4, 0.55)))
        paras = [self._figure_para(i, today, state, lead=True)]
        for k in range(n):
            if k:
                x = r()
                if x < 0.22:
                    s = self._figure_para(i, today, state, lead=False)
                elif x < 0.45:
                    s = self._speech_para(today, state)
                elif x < 0.67:
                    s = self._numbers(today)
                else:
                    s = self._background()
                paras.append(s)
            x = r()
            extra = 0 if x < 0.25 else 1 if x < 0.75 else 2
            for _ in range(extra):
                paras[-1] += " " + (self._background() if r() < 0.9 else self._numbers(today))
        fig, noun, part = state["figures"][0]
        if r() < 0.5:           # headlines drop hedges
            fig = fig.split()[-1] if fig.split()[-1] not in ("million", "thousand", "billion",
                                                            "percent", "cent") else fig
        if noun.startswith(("of ", "in ")):
            title = f"{fig[0].upper()}{fig[1:]} {noun} {part}"
        elif r() < 0.5:
            title = f"{noun[0].upper()}{noun[1:]} {part}: {fig}"
        else:
            title = f"{noun[0].upper()}{noun[1:]} {part} put at {fig}"
        place = p.one(PLACES)
        if r() < 0.6:
            dateline = f"{place}, {MONTHS[date.month - 1]} {date.day} ({outlet}) - "
        else:
            dateline = f"{place} ({outlet}) — "
        text = f"{title}\n\n{dateline}" + "\n\n".join(paras)
        return {"id": f"syn-{i}", "url": f"https://news.example/{i}", "outlet": outlet,
                "published": date.isoformat(), "title": title, "text": text}

    def articles(self, n: int) -> Iterator[dict]:
        for i in range(n):
            yield self.article(i)


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    """The first ``n`` articles of the corpus for ``seed`` (a prefix of any longer one)."""
    return Corpus(seed).articles(n)


def write(n: int, out, seed: int = 7) -> int:
    """Write ``n`` articles as JSON Lines to ``out``; returns the characters of text."""
    chars = 0
    w = out.write
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for a in generate(n, seed):
        chars += len(a["text"])
        w(dumps(a) + "\n")
    return chars


# ----------------------------------------------------------------------------- statistics

_SENT_END = re.compile(r"[.!?][\"”’]?(?=\s|$)")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def corpus_stats(path: str, extract: bool = True) -> dict:
    """Length and density statistics of a JSON Lines corpus (``text``, optional
    ``published`` or ``date``, ``outlet`` or ``publisher``). With ``extract``, claims and
    figures as claimaudit's extractor finds them (attributed claims; figures in them, and
    the reporter's own figures that ingest also stores)."""
    if extract:
        from claimaudit.extract.pipeline import extract_claims
        from claimaudit.ingest import article_from_row
    lens, paras = [], []
    sents = nums = claims = figs = narr = 0
    outlets = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row.get("text") or ""
            lens.append(len(text))
            paras.append(sum(1 for q in text.split("\n") if q.strip()))
            sents += len(_SENT_END.findall(text))
            nums += len(_NUMBER.findall(text))
            outlets.add(row.get("outlet") or row.get("publisher"))
            if extract:
                meta = {k: row.get(k) for k in ("id", "text", "outlet", "title", "url")}
                meta["published"] = row.get("published") or row.get("date")
                for c in extract_claims(article_from_row(meta, path), narration=True):
                    if c.kind == "narration":
                        narr += len(c.figures)
                    else:
                        claims += 1
                        figs += len(c.figures)
    chars = sum(lens)
    k = chars / 1000 or 1
    s = sorted(lens)
    out = {"corpus": path, "articles": len(lens), "characters": chars,
           "mean_chars": round(statistics.mean(lens)) if lens else 0,
           "median_chars": round(statistics.median(lens)) if lens else 0,
           "p10_chars": s[len(s) // 10] if s else 0, "p90_chars": s[len(s) * 9 // 10] if s else 0,
           "paragraphs_per_article": round(sum(paras) / max(len(lens), 1), 1),
           "outlets": len(outlets - {None}),
           "sentences_per_1k": round(sents / k, 2), "numbers_per_1k": round(nums / k, 2)}
    if extract:
        out.update({"claims_per_1k": round(claims / k, 2),
                    "attributed_figures_per_1k": round(figs / k, 2),
                    "narration_figures_per_1k": round(narr / k, 2)})
    return out


def print_stats(stats: list[dict], out=sys.stdout) -> None:
    keys = [k for k in stats[0] if k != "corpus"]
    names = [st["corpus"].rsplit("/", 2)[-1] if len(st["corpus"]) > 28 else st["corpus"]
             for st in stats]
    width = max(len(k) for k in keys) + 2
    out.write(" " * width + "  ".join(f"{n[-28:]:>28}" for n in names) + "\n")
    for k in keys:
        out.write(f"{k:<{width}}" + "  ".join(
            f"{(f'{st[k]:,}' if isinstance(st.get(k), (int, float)) else '-'):>28}"
            for st in stats) + "\n")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, help="how many articles to write to stdout")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="write to this file instead of stdout")
    ap.add_argument("--stats", nargs="+", metavar="CORPUS",
                    help="print the statistics of these JSON Lines corpora instead")
    ap.add_argument("--no-extract", action="store_true",
                    help="with --stats: lengths only, no claim or figure counts")
    ap.add_argument("--json", action="store_true", help="with --stats: print JSON")
    a = ap.parse_args(argv)
    if a.stats:
        stats = [corpus_stats(c, extract=not a.no_extract) for c in a.stats]
        if a.json:
            print(json.dumps(stats, indent=2))
        else:
            print_stats(stats)
        return
    if a.n is None or a.n < 0:
        ap.error("give the number of articles (or --stats CORPUS)")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            write(a.n, fh, a.seed)
    else:
        write(a.n, sys.stdout, a.seed)


if __name__ == "__main__":
    main()

"""Generate a synthetic wire corpus as JSON Lines: many outlets and speakers restating the
same figures with different hedges, roundings, dates and credits.

    python benchmarks/make_corpus.py 10000 > /tmp/corpus-10k.jsonl

Deterministic for a given size and --seed. Every sentence is built from templates here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys

OUTLETS = [f"{a} {b}" for a in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta",
                                "Theta", "Iota", "Kappa", "Lambda", "Sigma")
           for b in ("Wire", "News", "Daily", "Post", "Herald", "Monitor")]
FIRST = ["Marta", "Oskar", "Lena", "Pavel", "Irina", "Tomas", "Ada", "Viktor", "Nora", "Emil",
         "Sofia", "Karl", "Dana", "Yuri", "Ines", "Hugo"]
LAST = ["Ilves", "Lind", "Koval", "Brandt", "Moreau", "Sato", "Novak", "Haddad", "Berg",
        "Costa", "Varga", "Nilsen", "Petrov", "Okafor", "Reyes", "Lund"]
ROLES = ["Defence Minister", "Foreign Minister", "Gen.", "Port Director", "Finance Minister",
         "Health Minister", "spokeswoman", "army chief"]
BODIES = ["the Defence Ministry", "the Harbour Board", "the Statistics Office", "the Kremlin",
          "the General Staff", "the Finance Ministry"]
METRICS = [("casualties", "since February 2022"), ("tanks and armoured vehicles", "since the war began"),
           ("settlements", "in 2024"), ("ships delayed", "this year"), ("jobs lost", "since March"),
           ("square kilometres", "in 2024"), ("refugees", "since 2022")]
HEDGES = ["nearly", "almost", "about", "around", "more than", "over", "at least", "up to", "some", ""]
CUES = ["said", "told reporters", "announced", "stated", "claimed", "estimated", "reported"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FILLER = [
    "The figures could not be independently verified.",
    "Officials did not say how the count was made.",
    "The statement came at the end of a two-day meeting in the capital.",
    "Analysts said the numbers were likely to be revised in the new year.",
    "A 45-minute briefing followed, in which questions were not allowed.",
    "The ministry published a summary on its website later in the day.",
]


def number(value: int, rng: random.Random) -> str:
    if value >= 1_000_000 and rng.random() < 0.5:
        return f"{value / 1_000_000:g} million"
    if value >= 1000 and rng.random() < 0.2:
        return f"{value // 1000} thousand"
    return f"{value:,}"


def article(i: int, rng: random.Random, facts: list) -> dict:
    outlet = rng.choice(OUTLETS)
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
    paras = []
    speakers = []
    for _ in range(rng.randint(3, 7)):
        who, role, metric, period, value = rng.choice(facts)
        if rng.random() < 0.15:   # re-attributed
            who, role = rng.choice(facts)[:2]
        hedge = rng.choice(HEDGES)
        v = value
        if rng.random() < 0.2:
            v = round(value, -len(str(value)) + 1)    # rounded restatement
        fig = f"{hedge} {number(v, rng)}".strip()
        cue = rng.choice(CUES)
        day = rng.choice(DAYS)
        if speakers and who == speakers[-1] and rng.random() < 0.5:
            subj = "He" if rng.random() < 0.5 else "She"
        elif role.startswith("the "):
            subj = role[0].upper() + role[1:]
        else:
            subj = f"{role} {who}"
        speakers.append(who)
        form = rng.random()
        if form < 0.5:
            s = f"{subj} {cue} on {day} that {fig} {metric} had been recorded {period}."
        elif form < 0.75:
            s = f"“We counted {fig} {metric} {period},” {subj if role.startswith('the ') else who.split()[-1]} said."
        else:
            s = f"According to {who if not role.startswith('the ') else role}, {fig} {metric} were counted {period}."
        paras.append(s + " " + rng.choice(FILLER))
    place = rng.choice(["KYIV", "MOSCOW", "LONDON", "WARSAW", "BRUSSELS"])
    text = f"{place}, {published:%B} {published.day}, {published.year} ({outlet}) - " + "\n\n".join(paras)
    return {"id": f"syn-{i}", "url": f"https://news.example/{i}", "outlet": outlet,
            "published": published.isoformat(), "title": f"Report {i}", "text": text}


def facts_for(rng: random.Random, n: int = 60) -> list:
    out = []
    for _ in range(n):
        if rng.random() < 0.3:
            who = role = rng.choice(BODIES)
        else:
            who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            role = rng.choice(ROLES)
        metric, period = rng.choice(METRICS)
        value = rng.choice([190, 560_000, 975_100, 1_000_000, 20_000, 40_000, 4_500, 12_300, 700_000])
        out.append((who, role, metric, period, value))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    facts = facts_for(rng)
    w = sys.stdout.write
    for i in range(a.n):
        w(json.dumps(article(i, rng, facts), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

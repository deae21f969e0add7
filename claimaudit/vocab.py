"""Curated word families for what a figure counts, shared by extraction and grouping.

A metric as written ("tanks and armored vehicles", "soldiers killed") maps to one or more
families; two figures can only be the same figure when their families meet.
"""

from __future__ import annotations

import re

# family -> word stems (matched at word starts, lowercase)
METRIC_FAMILIES: dict[str, tuple[str, ...]] = {
    "casualties": ("casualt", "loss", "losses", "killed", "dead", "death", "perish", "wounded",
                   "injured", "troops lost", "soldiers", "troops", "personnel", "servicemen",
                   "military personnel", "fighters", "men"),
    "equipment": ("tank", "armored", "armoured", "vehicle", "equipment", "artillery", "aircraft",
                  "drone", "helicopter", "weapon", "hardware", "howitzer", "system"),
    "settlements": ("settlement", "village", "town", "localit", "city", "cities", "hamlet",
                    "communit"),
    "territory": ("territor", "square kilomet", "square mile", "km2", "land", "area", "sq km"),
    "money": ("aid", "dollar", "fund", "budget", "spending", "assistance", "package", "loan",
              "billion", "euro", "pound", "rouble", "ruble", "grant", "cost", "revenue", "debt"),
    "percent": ("percent", "per cent", "share", "rate", "proportion"),
    "refugees": ("refugee", "displaced", "fled"),
    "civilians": ("civilian",),
    "prisoners": ("prisoner", "captive", "pow", "detainee"),
    "missiles": ("missile", "rocket", "strike"),
    "escalations": ("escalation",),
}
# a figure about these is never the same as one about the family's general count
KILLED_ONLY = ("killed", "dead", "death", "died", "perish", "fatalit")
WOUNDED_ONLY = ("wounded", "injured")
# "dead or missing" counts the missing too: not the same as "dead" or "killed"
MISSING = ("missing", "unaccounted")

_FAMILY_RES = {fam: re.compile(r"\b(?:%s)" % "|".join(re.escape(w) for w in words))
               for fam, words in METRIC_FAMILIES.items()}


def metric_families(text: str | None, unit: str | None = None) -> frozenset[str]:
    """The families a metric phrase belongs to (empty when nothing is known)."""
    fams = set()
    low = (text or "").lower()
    for fam, rx in _FAMILY_RES.items():
        if rx.search(low):
            fams.add(fam)
    if "civilians" in fams:
        fams.discard("casualties")
    if unit == "percent":
        fams = {"percent"}
    elif unit in ("USD", "EUR", "GBP", "RUB", "UAH"):
        fams = {"money"}
    elif unit == "km2":
        fams = {"territory"}
    return frozenset(fams)


def metric_sense(text: str | None) -> str:
    """What exactly is counted inside a family: killed | killed_or_missing ("dead or
    missing") | casualties (killed or wounded, losses) | specific (tanks, soldiers) | general (equipment) | any (nothing said)."""
    low = (text or "").lower()
    if not low:
        return "any"
    killed = any(w in low for w in KILLED_ONLY)
    wounded = any(w in low for w in WOUNDED_ONLY) or "casualt" in low or "loss" in low
    if killed and not wounded and any(w in low for w in MISSING):
        return "killed_or_missing"
    if killed and not wounded:
        return "killed"
    if wounded:
        return "casualties"
    if any(w in low for w in GENERAL_WORDS):
        return "general"
    return "specific"


GENERAL_WORDS = ("equipment", "hardware", "materiel", "weapons")

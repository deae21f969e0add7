"""Score claimaudit's stored claims and report against fixtures/gold.json (our own articles).

Used by tests/test_fixture_gate.py (pinned floors) and scripts/eval_fixtures.py (prints).
Rules: a gold figure is found when a stored figure of the same article overlaps its span;
precision counts credited stored figures that overlap some gold figure; group pairs are
counted over found gold figures that sit in gold groups.
"""

from __future__ import annotations

import json
from pathlib import Path

from claimaudit.match import DIRECTION, same_speaker

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "gold.json"


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def score(claims: list[dict], groups: list[dict], gold: dict | None = None) -> dict:
    gold = gold or json.loads(GOLD.read_text(encoding="utf-8"))
    stem = {}
    for c in claims:
        src = c["article"].get("source") or ""
        stem[c["article"]["id"]] = Path(src).stem
    found_figs = []  # (stem, span, figure, speaker name)
    for c in claims:
        for f in c.get("figures") or []:
            found_figs.append((stem[c["article"]["id"]], tuple(f["span"]), f,
                               (c.get("speaker") or {}).get("name")))
    group_of, flags_of = {}, {}
    for g in groups:
        for f in g["figures"]:
            key = (stem.get(f["article"]["id"]), tuple(f["span"]))
            group_of[key] = g["id"]
            flags_of[key] = set(f.get("flags") or [])
    match = {}
    for gc in gold["claims"]:
        hits = [s for s in found_figs if s[0] == gc["article"] and _overlap(s[1], gc["span"])]
        if hits:
            match[gc["id"]] = min(hits, key=lambda s: abs(s[1][0] - gc["span"][0]))
    attributed = [gc for gc in gold["claims"] if gc.get("speaker")]
    found = [gc for gc in attributed if gc["id"] in match]
    credited = [s for s in found_figs if s[3]]
    correct = [s for s in credited if any(gc["article"] == s[0] and _overlap(s[1], gc["span"])
                                          for gc in gold["claims"])]
    bad = [s for s in found_figs for nf in gold.get("not_figures", [])
           if nf["article"] == s[0] and _overlap(s[1], nf["span"])]
    matched = [gc for gc in gold["claims"] if gc["id"] in match]
    value_ok = [gc for gc in matched if abs((match[gc["id"]][2]["value"] or 0) - gc["value"])
                <= 0.005 * abs(gc["value"] or 1)]
    qual_ok = [gc for gc in matched if DIRECTION.get(match[gc["id"]][2]["qualifier"])
               == DIRECTION.get(gc["qualifier"])]
    speaker_ok = [gc for gc in found if same_speaker(gc["speaker"], match[gc["id"]][3])]
    cluster = {m: g["id"] for g in gold["groups"] for m in g["members"]}
    ids = [gc["id"] for gc in matched if gc["id"] in cluster]
    sysg = {i: group_of.get((match[i][0], match[i][1])) for i in ids}
    tp_r = n_r = tp_p = n_p = 0
    for k, a in enumerate(ids):
        for b in ids[k + 1:]:
            same_gold = cluster[a] == cluster[b]
            same_sys = sysg[a] is not None and sysg[a] == sysg[b]
            n_r += same_gold
            tp_r += same_gold and same_sys
            n_p += same_sys
            tp_p += same_sys and same_gold
    flag_n = flag_tp = 0
    for g in gold["groups"]:
        for fl in g.get("flags") or []:
            for t in fl["types"]:
                if t not in ("speaker", "qualifier", "value", "period", "metric"):
                    continue
                flag_n += 1
                m = match.get(fl["claim"])
                flag_tp += bool(m and t in flags_of.get((m[0], m[1]), set()))
    return {
        "figure_recall": _ratio(len(found), len(attributed)),
        "figure_precision": _ratio(len(correct), len(credited)),
        "not_figures_found": len(bad),
        "value_accuracy": _ratio(len(value_ok), len(matched)),
        "qualifier_accuracy": _ratio(len(qual_ok), len(matched)),
        "speaker_accuracy": _ratio(len(speaker_ok), len(found)),
        "group_pair_recall": _ratio(tp_r, n_r),
        "group_pair_precision": _ratio(tp_p, n_p),
        "flag_recall": _ratio(flag_tp, flag_n),
    }

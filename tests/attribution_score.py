"""Score extracted claims against fixtures/attribution/gold.json (our own invented articles).

Used by tests/test_attribution_gate.py. Spans are ``[start, end]`` Python string offsets.

- A predicted claim is *anchored* to a gold attribution of the same article when their cue
  spans overlap or their content spans overlap.
- ``attr`` (attribution overlap): anchored, and the source spans overlap (or both are empty).
- ``source_exact``: anchored, and the source spans are exactly the same (or both empty).
- ``content``: the content spans overlap.

For each measure, predicted and gold items are paired one-to-one (a maximum bipartite
matching per article), so one prediction never counts for two gold attributions.
precision = pairs / predictions, recall = pairs / gold. The ``numeric`` subset keeps the gold
attributions whose content has a digit or a number word, and the predictions whose content
has one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "attribution" / "gold.json"

NUMBER_WORD = re.compile(
    r"\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|dozens|"
    r"half|third|thirds|quarter|quarters|fifth|fifths|twice|double|triple)\b", re.I)


def load_gold(path: Path = GOLD) -> list[dict]:
    """The gold articles (a JSON array: a folder ingest reads .jsonl as articles, and these
    must not join the fixtures' own articles)."""
    return json.loads(path.read_text(encoding="utf-8"))


def predictions(output_lines: list[dict]) -> dict[str, list[dict]]:
    """``extract --format jsonl`` output -> {article id: [{source, cue, content}]}."""
    out = {}
    for row in output_lines:
        items = []
        for c in row.get("claims") or []:
            sp = c.get("speaker")
            content = c.get("content") or {}
            items.append({
                "source": [list(sp["span"])] if sp and sp.get("span") else [],
                "cue": [list(c["cue"]["span"])] if c.get("cue") and c["cue"].get("span") else [],
                "content": [list(s) for s in (content.get("spans") or
                                              ([content["span"]] if content.get("span") else []))],
            })
        out[row["id"]] = items
    return out


def gold_as_predictions(gold: list[dict]) -> dict[str, list[dict]]:
    return {row["id"]: [dict(a) for a in row["attributions"]] for row in gold}


def _overlap(xs, ys) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for a in xs for b in ys)


def anchored(p: dict, g: dict) -> bool:
    return _overlap(p["cue"], g["cue"]) or _overlap(p["content"], g["content"])


def _attr(p, g):
    return anchored(p, g) and (_overlap(p["source"], g["source"])
                               or (not p["source"] and not g["source"]))


def _source_exact(p, g):
    return anchored(p, g) and sorted(map(tuple, p["source"])) == sorted(map(tuple, g["source"]))


def _content(p, g):
    return _overlap(p["content"], g["content"])


MEASURES = {"attr": _attr, "source_exact": _source_exact, "content": _content}


def is_numeric(text: str, spans) -> bool:
    chunk = " ".join(text[s:e] for s, e in spans)
    return bool(re.search(r"\d", chunk) or NUMBER_WORD.search(chunk))


def _max_matching(preds: list[dict], golds: list[dict], ok) -> int:
    """Size of a maximum one-to-one pairing of preds with golds where ok(p, g)."""
    adj = [[j for j, g in enumerate(golds) if ok(p, g)] for p in preds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(preds)))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def score(pred: dict[str, list[dict]], gold: list[dict] | None = None) -> dict:
    """{"attr": {...}, "source_exact": {...}, "content": {...}, "numeric_attr": {...},
    "numeric_content": {...}}, each {"precision", "recall", "f1", "tp", "pred", "gold"}."""
    gold = gold if gold is not None else load_gold()
    counts = {}
    for subset in ("all", "numeric"):
        for name, ok in MEASURES.items():
            tp = n_pred = n_gold = 0
            for row in gold:
                text = row["text"]
                golds = row["attributions"]
                preds = pred.get(row["id"], [])
                if subset == "numeric":
                    golds = [g for g in golds if is_numeric(text, g["content"])]
                    preds = [p for p in preds if is_numeric(text, p["content"])]
                tp += _max_matching(preds, golds, ok)
                n_pred += len(preds)
                n_gold += len(golds)
            key = name if subset == "all" else f"numeric_{name}"
            counts[key] = _prf(tp, n_pred, n_gold)
    return counts


def misses(pred: dict[str, list[dict]], gold: list[dict] | None = None) -> list[str]:
    """Human-readable lines: gold attributions with no attr-overlap partner, and predictions
    with none (for failure messages and debugging)."""
    gold = gold if gold is not None else load_gold()
    lines = []

    def show(text, item):
        def part(k):
            return " | ".join(text[s:e] for s, e in item[k]) or "-"
        return f"source={part('source')!r} cue={part('cue')!r} content={part('content')[:70]!r}"

    for row in gold:
        text, golds, preds = row["text"], row["attributions"], pred.get(row["id"], [])
        for g in golds:
            if not any(_attr(p, g) for p in preds):
                lines.append(f"{row['id']}: MISSED {show(text, g)}")
        for p in preds:
            if not any(_attr(p, g) for g in golds):
                lines.append(f"{row['id']}: SPURIOUS {show(text, p)}")
    return lines

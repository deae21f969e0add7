"""Attribution evaluation gate on our own annotated articles (fixtures/attribution/gold.json).

The installed CLI extracts the invented articles (``extract gold.jsonl --format jsonl``) and
tests/attribution_score.py scores its claims against the gold attributions (source, cue,
content spans; PolNeAR's conventions, see scripts/make_attribution_gold.py).

FLOORS are pinned a little below the measured scores (measured - 0.03, rounded down). When
the extractor improves, raise them (print the scores with ``pytest -s``); never lower one to
make a change pass: a lower score means the change made attribution worse.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess

import pytest

from tests import attribution_score as A
from tests.conftest import BIN, ROOT

GOLD_PATH = A.GOLD

# Measured with 26 articles / 66 gold attributions (46 numeric) when the gate was written:
# attr P 0.918 R 0.848 F1 0.882; source_exact F1 0.850; content F1 0.913;
# numeric_attr P 0.952 R 0.870 F1 0.909; numeric_source_exact F1 0.864; numeric_content F1 0.932.
FLOORS = {
    "attr.precision": 0.92,
    "attr.recall": 0.90,
    "attr.f1": 0.91,
    "source_exact.f1": 0.88,
    "content.f1": 0.93,
    "numeric_attr.precision": 0.94,
    "numeric_attr.recall": 0.92,
    "numeric_attr.f1": 0.93,
    "numeric_source_exact.f1": 0.89,
    "numeric_content.f1": 0.93,
}


def _get(scores: dict, key: str) -> float:
    measure, stat = key.split(".")
    return scores[measure][stat]


@pytest.fixture(scope="module")
def gold():
    return A.load_gold()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200",
               CLAIMAUDIT_DB=str(tmp_path_factory.mktemp("attr") / "unused.db"))
    env.pop("CLAIMAUDIT_DEBUG", None)
    src = tmp_path_factory.mktemp("attr-in") / "gold.jsonl"      # the CLI reads JSON Lines
    src.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                           for r in A.load_gold()), encoding="utf-8")
    cmd = [str(BIN) if BIN.exists() else "claimaudit", "extract", str(src),
           "--format", "jsonl"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def scores(extracted, gold):
    pred = A.predictions(extracted)
    s = A.score(pred, gold)
    print("\nattribution gate scores:")
    for k, v in s.items():
        print(f"  {k:22} P={v['precision']:.4f} R={v['recall']:.4f} F1={v['f1']:.4f} "
              f"(tp {v['tp']}, pred {v['pred']}, gold {v['gold']})")
    print("\n".join("  " + line for line in A.misses(pred, gold)))
    return s


# --- the gate -------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(scores, key, extracted, gold):
    got = _get(scores, key)
    assert got >= FLOORS[key], (f"{key} fell to {got} (floor {FLOORS[key]})\n"
                                + "\n".join(A.misses(A.predictions(extracted), gold)))


def test_output_is_one_line_per_article_with_offsets_into_its_text(extracted, gold):
    assert [row["id"] for row in extracted] == [row["id"] for row in gold]
    texts = {row["id"]: row["text"] for row in gold}
    for row in extracted:
        text = texts[row["id"]]
        for c in row["claims"]:
            s, e = c["cue"]["span"]
            assert text[s:e] == c["cue"]["text"], (row["id"], c["cue"])
            s, e = c["content"]["span"]
            assert text[s:e] == c["content"]["text"], (row["id"], c["content"])
            if c.get("speaker"):
                s, e = c["speaker"]["span"]
                assert text[s:e] == c["speaker"]["text"], (row["id"], c["speaker"])


def test_an_article_without_attribution_yields_no_claims(extracted):
    by_id = {row["id"]: row for row in extracted}
    assert by_id["ferry-crossing"]["claims"] == []


# --- the gold cannot silently rot -----------------------------------------------------------

def test_every_gold_span_is_valid(gold):
    assert len(gold) >= 25
    ids = [row["id"] for row in gold]
    assert len(set(ids)) == len(ids)
    n = 0
    for row in gold:
        text = row["text"]
        assert set(row) == {"id", "text", "attributions"}, row["id"]
        for at in row["attributions"]:
            n += 1
            assert set(at) == {"source", "cue", "content"}, (row["id"], at)
            assert at["cue"] and at["content"], (row["id"], at)
            for key in ("source", "cue", "content"):
                for s, e in at[key]:
                    where = (row["id"], key, s, e)
                    assert isinstance(s, int) and isinstance(e, int), where
                    assert 0 <= s < e <= len(text), where
                    piece = text[s:e]
                    assert piece.strip() == piece, (where, piece)   # no stray whitespace
                # several spans of one item are in order and do not overlap
                assert all(a[1] <= b[0] for a, b in zip(at[key], at[key][1:])), (row["id"], key)
    assert n >= 50


def test_gold_file_matches_its_builder(gold):
    """fixtures/attribution/gold.json is exactly what scripts/make_attribution_gold.py builds
    (so an edited article can't leave stale offsets behind)."""
    spec = importlib.util.spec_from_file_location(
        "make_attribution_gold", ROOT / "scripts" / "make_attribution_gold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == gold


def test_gold_covers_the_numeric_subset_and_precision_cases(gold):
    numeric = [at for row in gold for at in row["attributions"]
               if A.is_numeric(row["text"], at["content"])]
    assert len(numeric) >= 30
    assert any(not row["attributions"] for row in gold)          # nothing to find at all
    assert any(not at["source"] for row in gold for at in row["attributions"])


# --- the scorer can tell good from bad ------------------------------------------------------

def test_scorer_gives_1_on_gold_as_prediction(gold):
    s = A.score(A.gold_as_predictions(gold), gold)
    for measure, v in s.items():
        assert (v["precision"], v["recall"], v["f1"]) == (1.0, 1.0, 1.0), (measure, v)
    assert A.misses(A.gold_as_predictions(gold), gold) == []


def _broken(gold: list[dict]) -> dict[str, list[dict]]:
    """Gold with every third attribution dropped, every third source moved onto its cue,
    and a spurious claim on the first sentence of every article."""
    pred, i = {}, 0
    for row in gold:
        items = []
        for at in row["attributions"]:
            i += 1
            if i % 3 == 0:
                continue
            at = dict(at)
            if i % 3 == 1:
                at["source"] = [list(at["cue"][0])]
            items.append(at)
        first = row["text"].find(" ")
        items.append({"source": [], "cue": [[0, first]], "content": [[first + 1, first + 5]]})
        pred[row["id"]] = items
    return pred


def test_scorer_is_below_1_and_below_the_floors_on_a_broken_prediction(gold):
    s = A.score(_broken(gold), gold)
    assert s["attr"]["precision"] < 1.0 and s["attr"]["recall"] < 1.0
    assert s["source_exact"]["f1"] < 1.0 and s["content"]["f1"] < 1.0
    failed = [k for k in FLOORS if _get(s, k) < FLOORS[k]]
    assert "attr.f1" in failed and "attr.recall" in failed, s
    # nothing predicted: recall 0, so the gate fails
    empty = A.score({row["id"]: [] for row in gold}, gold)
    assert empty["attr"]["recall"] == 0.0 and empty["attr"]["f1"] == 0.0


def test_matching_is_one_to_one():
    gold = [{"id": "x", "text": "Ada Berg said 300 ships were delayed.",
             "attributions": [{"source": [[0, 8]], "cue": [[9, 13]], "content": [[14, 36]]}]}]
    twice = {"x": [{"source": [[0, 8]], "cue": [[9, 13]], "content": [[14, 36]]}] * 2}
    s = A.score(twice, gold)
    assert s["attr"]["recall"] == 1.0 and s["attr"]["precision"] == 0.5
    wrong_source = {"x": [{"source": [[14, 17]], "cue": [[9, 13]], "content": [[14, 36]]}]}
    s = A.score(wrong_source, gold)
    assert s["attr"]["f1"] == 0.0 and s["content"]["f1"] == 1.0
    assert math.isclose(A.score({"x": []}, gold)["attr"]["recall"], 0.0)

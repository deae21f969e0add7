"""Evaluation gate on our own annotated fixtures (fixtures/gold.json): pinned floors that
fail when a change makes figures, attribution or grouping worse. Raise a floor when the
score rises; never lower one to make a change pass."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.gold_score import score

FLOORS = {
    "figure_recall": 0.95,
    "figure_precision": 0.98,
    "value_accuracy": 0.98,
    "qualifier_accuracy": 0.95,
    "speaker_accuracy": 0.94,
    # measured 0.848 with both stories; the pairs still missed are figures whose metric is
    # not extracted ("more than 1,100 of them were in Dravik": "them" is not resolved)
    "group_pair_recall": 0.82,
    "group_pair_precision": 0.95,
    "flag_recall": 0.90,
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    import json
    import os
    import subprocess

    from tests.conftest import BIN
    env = dict(os.environ, CLAIMAUDIT_DB=str(tmp_path_factory.mktemp("gate") / "g.db"))
    subprocess.run([str(BIN), "ingest", str(FIXTURES), "--quiet"], env=env, check=True)

    def run(*args):
        return json.loads(subprocess.run([str(BIN), *args], env=env, capture_output=True,
                                         text=True, check=True).stdout)

    return score(run("claims", "--format", "json"), run("report", "--format", "json")["groups"])


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_floor(scores, metric):
    assert scores[metric] >= FLOORS[metric], scores


def test_no_number_that_must_not_be_a_figure_becomes_one(scores):
    assert scores["not_figures_found"] == 0

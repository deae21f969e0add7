"""Figure groups in the store: incremental updates give the same groups as a rebuild."""

from __future__ import annotations

from claimaudit.extract.pipeline import extract_claims
from claimaudit.groups import load_report, regroup, update_groups
from claimaudit.sources.text import article_from_text
from claimaudit.store import Store
from tests.conftest import FIXTURES, SEED


def snapshot(store):
    return sorted((tuple(sorted(m["figure_id"] for m in g["members"])),
                   tuple(sorted((m["figure_id"], tuple(m["flags"])) for m in g["members"])))
                  for g in store.groups())


def test_incremental_grouping_equals_a_rebuild(tmp_path):
    store = Store(tmp_path / "g.db")
    paths = sorted(FIXTURES.glob("*.txt")) + [SEED]
    for p in paths:                                    # one article at a time, as cron does
        art = article_from_text(p.read_text(encoding="utf-8"), source=str(p))
        store.add_article(art, extract_claims(art, narration=True))
        update_groups(store)
    incremental = snapshot(store)
    ids_before = [g["id"] for g in store.groups()]
    assert update_groups(store) == 0                   # nothing new: nothing written
    regroup(store)
    assert snapshot(store) == incremental
    assert [g["id"] for g in store.groups()] == ids_before
    assert len(incremental) >= 10


def test_report_filters(tmp_path):
    store = Store(tmp_path / "g.db")
    for p in sorted(FIXTURES.glob("*.txt")):
        art = article_from_text(p.read_text(encoding="utf-8"), source=str(p))
        store.add_article(art, extract_claims(art, narration=True))
    update_groups(store)
    everything = load_report(store)
    assert everything
    tanks = load_report(store, metric="tanks")
    assert tanks and all(any("tanks" in (f["metric"] or "") for f in g["figures"]) for g in tanks)
    flagged = load_report(store, flags=["qualifier"])
    assert flagged and all("qualifier" in g["flags"] for g in flagged)
    late = load_report(store, since="2024-12-22")
    assert late and all(any(f["article"]["published"] >= "2024-12-22" for f in g["figures"])
                        for g in late)
    beta = load_report(store, outlet="beta news")
    assert beta and len(beta) < len(everything)


import pytest


@pytest.mark.parametrize("chunk", [1, 5, 7])
def test_many_new_figures_are_placed_in_chunks_like_one_batch(tmp_path, monkeypatch, chunk):
    """A big run's new figures are grouped a few at a time (flat memory); the groups are
    the ones a full rebuild gives, and nothing is left ungrouped."""
    import claimaudit.groups as groups
    store = Store(tmp_path / "g.db")
    for p in sorted(FIXTURES.glob("*.txt")) + [SEED]:
        art = article_from_text(p.read_text(encoding="utf-8"), source=str(p))
        store.add_article(art, extract_claims(art, narration=True))
    reads = []
    real = store.figures_for_grouping

    def counting(**kw):
        rows = real(**kw)
        if kw.get("limit"):
            reads.append(len(rows))
        return rows

    monkeypatch.setattr(groups, "GROUPING_CHUNK", chunk)
    monkeypatch.setattr(store, "figures_for_grouping", counting)
    update_groups(store)
    assert len(reads) > 3 and max(reads) <= chunk and reads[-1] == 0
    assert not store.has_ungrouped_figures()
    chunked = snapshot(store)
    regroup(store)
    assert snapshot(store) == chunked

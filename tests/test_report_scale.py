"""Reports answered from SQL, groups found by value bins, and the migration that adds
their table and indexes: the same answers as reading everything, on real stores."""

from __future__ import annotations

import json
import random
import re
import sqlite3

import pytest

from claimaudit.extract.pipeline import extract_claims
from claimaudit.groups import _report_groups, find_report, regroup, update_groups
from claimaudit.match import Group, assign, bucket_of, group_figures
from claimaudit.sources.text import article_from_text
from claimaudit.store import Store
from tests.conftest import FIXTURES, SEED

M004 = "m004_report_and_grouping_indexes"


def _fill(path) -> Store:
    store = Store(path)
    for p in sorted(FIXTURES.glob("*.txt")) + [SEED]:
        art = article_from_text(p.read_text(encoding="utf-8"), source=str(p))
        store.add_article(art, extract_claims(art, narration=True))
    update_groups(store)
    return store


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    store = _fill(tmp_path_factory.mktemp("scale") / "f.db")
    yield store
    store.close()


def _everything(store, **filters):
    """What the report used to do: read every group and every figure, filter here."""
    ids = [g["id"] for g in store.groups()]
    return _report_groups(store, ids, speaker=filters.get("speaker"),
                          metric=filters.get("metric"), outlet=filters.get("outlet"),
                          since=filters.get("since"), flags=filters.get("flags"),
                          min_size=filters.get("min_size", 1))


def _queries(store):
    """Every speaker's name, alias and surname, parts and case changes of them, and the
    names of bodies by one word."""
    names = set()
    for s in store.speakers():
        for n in [s["name"], *s["aliases"]]:
            names.update({n, n.upper(), n.split()[-1], n.split()[0], n[:5]})
    names.update({"ministry", "Ministry of Defence", "Russian Defense Ministry", "Zelenskiy",
                  "Andrei Belousov", "A. Belousov", "Mr", "he", "nobody at all", "ova", "i"})
    return sorted(n for n in names if n.strip())


def test_speaker_report_equals_reading_everything(filled):
    checked = matched = 0
    for who in _queries(filled):
        got, total = find_report(filled, speaker=who)
        want = _everything(filled, speaker=who)
        assert got == want, who
        assert total == len(want)
        checked += 1
        matched += bool(want)
    assert checked > 50 and matched > 20


@pytest.mark.parametrize("filters", [
    {}, {"metric": "tanks"}, {"metric": "KILLED"}, {"metric": "no such metric"},
    {"outlet": "beta news"}, {"outlet": "WIRE"}, {"since": "2024-12-22"}, {"since": "2030"},
    {"flags": ["qualifier"]}, {"flags": ["speaker", "value"]}, {"flags": ["nonsense"]},
    {"min_size": 3}, {"speaker": "Gerasimov", "metric": "casualties", "flags": ["speaker"]},
    {"speaker": "Belousov", "since": "2024-12-18", "outlet": "a"},
    {"speaker": "Varnholt", "min_size": 4},
])
def test_filtered_report_equals_reading_everything(filled, filters):
    got, total = find_report(filled, **filters)
    want = _everything(filled, **filters)
    assert got == want
    assert total == len(want)


def test_group_id_and_limit(filled):
    everything, total = find_report(filled)
    assert total == len(everything) > 10
    (one,), n = find_report(filled, group_id=everything[3]["id"])
    assert one == everything[3] and n == 1
    assert find_report(filled, group_id=10 ** 9) == ([], 0)
    top, n = find_report(filled, limit=3)
    assert n == total and len(top) == 3
    sizes = sorted((-len(g["figures"]), g["id"]) for g in everything)
    assert [g["id"] for g in top] == sorted(i for _, i in sizes[:3])   # largest, in id order
    assert find_report(filled, limit=0) == (everything, total)
    assert find_report(filled, limit=total) == (everything, total)


def test_merged_speakers_are_followed(tmp_path):
    store = _fill(tmp_path / "m.db")
    before_g = {g["id"] for g in find_report(store, speaker="Gerasimov")[0]}
    before_b = {g["id"] for g in find_report(store, speaker="Andrey Belousov")[0]}
    assert before_b - before_g                          # groups only Belousov is in
    store.merge_speakers("Gerasimov", "Belousov")
    with store.transaction():
        regroup(store)
    # the merged speaker's claims now carry the kept one's name, in the SQL path too
    after = find_report(store, speaker="Valery Gerasimov")[0]
    assert after == _everything(store, speaker="Valery Gerasimov")
    ids = {g["id"] for g in after}
    assert len(ids) >= len(before_g | before_b) - 1 and len(ids) > len(before_g)
    assert find_report(store, speaker="Andrey Belousov")[0] == \
        _everything(store, speaker="Andrey Belousov")
    store.close()


def _downgrade(path):
    """Make a store look as the previous claimaudit left it: no m004 table, indexes or
    record."""
    conn = sqlite3.connect(path)
    conn.executescript(f"""
        DROP TABLE figure_group_bins;
        DROP INDEX idx_claims_unlinked_speaker;
        DROP INDEX idx_origins_unlinked_speaker;
        DELETE FROM _sqlite_migrations WHERE name = '{M004}';
    """)
    conn.commit()
    conn.close()


def _snapshot(store):
    return sorted((g["id"], g["label"], tuple(sorted((m["figure_id"], tuple(m["flags"]))
                                                    for m in g["members"])))
                  for g in store.groups())


def _schema(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def test_migration_adds_bins_and_indexes_to_an_older_store(tmp_path):
    path = tmp_path / "old.db"
    store = _fill(path)
    groups_before = store.groups()
    store.close()
    _downgrade(path)
    assert "figure_group_bins" not in _schema(path)
    store = Store(path)
    names = _schema(path)
    assert {"figure_group_bins", "idx_figure_group_bins_kind_bin",
            "idx_figure_group_bins_group_id", "idx_claims_unlinked_speaker",
            "idx_origins_unlinked_speaker"} <= names
    assert store.schema_version()[-1] == M004
    # every group got its bins from its stored figures
    binned = {r[0] for r in store.db.execute("SELECT DISTINCT group_id FROM figure_group_bins")}
    assert binned == {g["id"] for g in groups_before}
    # and grouping goes on from them as a rebuild would
    art = article_from_text("Defence Minister Andrey Belousov said on Monday that "
                            "nearly 1 million Ukrainian soldiers had been killed or "
                            "wounded since February 2022.", source="late.txt",
                            published="2024-12-24")
    store.add_article(art, extract_claims(art, narration=True))
    assert update_groups(store) >= 1
    incremental = _snapshot(store)
    with store.transaction():
        regroup(store)
    assert _snapshot(store) == incremental
    store.close()


def test_report_queries_use_the_indexes(filled):
    plans = []
    real = filled.conn

    class Explaining:                       # the connection, noting each SELECT's plan
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, params=()):
            if sql.lstrip().upper().startswith("SELECT"):
                plans.extend(r[-1] for r in
                             real.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
            return real.execute(sql, params)

    filled.conn = Explaining()
    try:
        find_report(filled, speaker="Gerasimov")
    finally:
        filled.conn = real
    text = "\n".join(plans)
    # a speaker's own figures by the speaker kept with each grouped figure (m006)
    assert "idx_figure_group_order_speaker" in text and "idx_origins_speaker_id" in text
    assert "idx_claims_unlinked_speaker" in text
    # no table read whole but speakers (its names are what is searched)
    scans = [p for p in plans if p.startswith("SCAN") and "json_each" not in p]
    assert all("speakers" in p for p in scans), scans


# --- value bins ------------------------------------------------------------------------

def _brute_force(rows):
    """Grouping without bins: each figure tried against every group of its bucket."""
    groups: list[Group] = []
    for f in sorted(rows, key=lambda x: x["figure_id"]):
        b = bucket_of(f)
        same_kind = [g for g in groups if tuple(g.bucket[:2]) == b[:2]]
        if b[0] == "?" or b[2]:
            cands = [g for g in same_kind if g.bucket[2] == b[2]
                     or (b[0] != "?" and g.bucket[2] == "")]
        else:
            cands = same_kind
        target = next((g for g in cands if g.accepts(f)), None)
        if target is None:
            target = Group(len(groups) + 1, b)
            groups.append(target)
        target.add(f)
    return [[m["figure_id"] for m in g.members] for g in groups]


def _random_rows(n, seed):
    rng = random.Random(seed)
    metrics = ["casualties", "tanks", "refugees", None, "days of war", "percent of budget"]
    rows = []
    for i in range(1, n + 1):
        q = rng.choice(["exact", "nearly", "approx", "more_than", "less_than", "range",
                        "at_least", "at_most"])
        v = rng.choice([0, -5, 0.4, 1, 7, 190, 975_100, 1_000_000]) or rng.uniform(0, 50)
        v = round(v * rng.choice([1, 1, 1.03, 0.97, 1.2, 10, 1000]), rng.choice([0, 2]))
        low = high = None
        if q == "range":
            low, high = v, v * rng.choice([1.5, 3, 1000])
        metric = rng.choice(metrics)
        rows.append({
            "figure_id": i, "value": v, "low": low, "high": high, "qualifier": q,
            "unit": "percent" if metric and "percent" in metric else rng.choice([None, "USD"]),
            "metric": metric, "subject": rng.choice([None, "Ukraine", "Russian forces", "x"]),
            "period_start": rng.choice([None, "2022-02", "2024"]),
            "period_end": rng.choice([None, "2024"]), "period_text": None,
            "speaker_name": rng.choice(["A B", None]), "stated_on": None,
            "published": rng.choice(["2024-01-01", "2024-03-01", None])})
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bins_give_the_groups_a_full_comparison_gives(seed):
    rows = _random_rows(1500, seed)
    groups = group_figures([dict(r) for r in rows])
    got = [[m["figure_id"] for m in g.members] for g in sorted(groups, key=lambda g: g.id)]
    want = _brute_force([dict(r) for r in rows])
    # flags reorder members; compare the membership of each group
    assert [sorted(g) for g in got] == [sorted(g) for g in want]
    assert len(want) > 100 and max(len(g) for g in want) > 5


def test_incremental_batches_equal_a_rebuild_on_many_groups(tmp_path):
    """Many figures of one kind at many values: grouping batch by batch (reading only the
    groups near each batch) gives the groups a rebuild gives."""
    store = Store(tmp_path / "b.db")
    rng = random.Random(4)
    for i in range(60):
        value = rng.choice([190, 4_500, 12_300, 20_000, 40_000, 560_000, 975_100])
        scale = 1.7 ** rng.randrange(8)
        hedge = rng.choice(["nearly ", "about ", "more than ", ""])
        n = int(value * scale)
        text = (f"Defence Minister Marta Ilves said on Monday that {hedge}{n:,} tanks had "
                f"been destroyed since February 2022.")
        art = article_from_text(text, source=f"a{i}.txt", published=f"2024-03-{i % 28 + 1:02d}")
        store.add_article(art, extract_claims(art, narration=True))
        if i % 7 == 0:
            update_groups(store)
    update_groups(store)
    incremental = sorted((g["id"], tuple(sorted(m["figure_id"] for m in g["members"])))
                         for g in store.groups())
    flags = sorted((m["figure_id"], tuple(m["flags"])) for g in store.groups()
                   for m in g["members"])
    with store.transaction():
        regroup(store)
    assert sorted((g["id"], tuple(sorted(m["figure_id"] for m in g["members"])))
                  for g in store.groups()) == incremental
    assert sorted((m["figure_id"], tuple(m["flags"])) for g in store.groups()
                  for m in g["members"]) == flags
    assert len(incremental) > 5
    store.close()


# --- the command -----------------------------------------------------------------------

def test_report_limit_on_the_command_line(cli, db_path):
    cli("ingest", "-q", str(SEED), *sorted(str(p) for p in FIXTURES.glob("*.txt")), check=0)
    everything = cli.json("report", "--format", "json")["groups"]
    assert len(everything) > 3
    r = cli("report", "--limit", "2", check=0)
    assert f"{len(everything) - 2} more groups match (the 2 largest of {len(everything)} shown)" \
        in r.stdout
    assert len(re.findall(r"^Group \d+ ", r.stdout, re.M)) == 2
    r = cli("report", "--limit", "2", "--format", "json", check=0)
    assert len(json.loads(r.stdout)["groups"]) == 2
    assert "more groups match" in r.stderr                 # stdout stays data
    assert cli.json("report", "--format", "json", "--limit", "0")["groups"] == everything
    r = cli("report", "--limit", "0", check=0)
    assert "more groups" not in r.stdout and len(re.findall(r"^Group \d+ ", r.stdout, re.M)) == \
        len(everything)
    r = cli("report", "--limit", "-1", check=2)
    assert "--limit -1" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize("filters", [{}, {"speaker": "Gerasimov"}, {"flags": ["speaker"]}])
def test_large_groups_summed_up_in_sql_read_as_when_read_whole(filled, monkeypatch, fmt,
                                                               filters):
    """A capped view of a large group reads only the statements it shows and sums up the
    rest in SQL: it must print exactly what reading the group whole prints."""
    import io

    import claimaudit.groups as groups_mod
    from claimaudit.report import render_groups

    def printed(over):
        monkeypatch.setattr(groups_mod, "DIGEST_OVER", over)
        got, total = find_report(filled, limit=20, rows=3, **filters)
        out = io.StringIO()
        render_groups(got, fmt, out, rows_per_group=3)
        return got, total, out.getvalue()

    whole, total, want = printed(10 ** 9)
    summed, total2, got = printed(0)
    assert total == total2 and [g["id"] for g in whole] == [g["id"] for g in summed]
    digests = [g for g in summed if "digest" in g]
    assert digests and all(len(g["figures"]) <= 3 < g["digest"]["size"] for g in digests)
    assert "more statements not shown" in want
    assert got == want


def test_summed_up_groups_rank_the_flags_report_calls_serious():
    """m006 keeps each member's rank for the flags report.SERIOUS names and counts those
    of report.FLAG_ORDER (the flags match gives): they must agree,
    and group_digest refuses another set rather than order by the wrong one."""
    from claimaudit.migrations import FLAGS
    from claimaudit.report import FLAG_ORDER, SERIOUS
    from claimaudit.store import DIGEST_SERIOUS
    assert tuple(sorted(SERIOUS)) == DIGEST_SERIOUS
    assert FLAGS == FLAG_ORDER                  # the flags m006 counts per group
    with pytest.raises(ValueError):
        Store.group_digest(None, 1, 1, 3, ("qualifier",))

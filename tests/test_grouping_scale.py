"""Grouping goes on from each group's stored summary: placing new figures reads neither
the members of the groups they join nor their rows, unless every flag of a group must be
recomputed - and whatever the order and chunking of the new figures, the groups, members,
flags and summaries are the ones a rebuild (``regroup``) gives."""

from __future__ import annotations

import json
import random
import sqlite3
import sys

import pytest

import claimaudit.groups as groups
from claimaudit.extract.pipeline import extract_claims
from claimaudit.groups import regroup, update_groups
from claimaudit.ingest import article_from_row
from claimaudit.sources.text import article_from_text
from claimaudit.migrations import FLAGS
from claimaudit.store import Store
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402

M005 = "m005_group_size_earliest_state"


@pytest.fixture(scope="module")
def corpus():
    """(article, claims) of a small synthetic wire corpus: figures restated across
    outlets, rounded, re-hedged, credited to others."""
    out = []
    for i, row in enumerate(make_corpus.generate(160, seed=5)):
        art = article_from_row(row, f"corpus line {i + 1}")
        out.append((art, extract_claims(art, narration=True)))
    return out


def tables(store) -> list:
    """Everything grouping writes: each group's columns and summary, members and flags."""
    out = []
    for g in store.groups():
        state = store.db.execute("SELECT version, place, flag FROM figure_group_state "
                                 "WHERE group_id = ?", [g["id"]]).fetchone()
        out.append((g["id"], g["key"], g["label"], g["metric"], g["subject"], g["period"],
                    g["value"], g["low"], g["high"], g["size"], g["earliest_figure_id"],
                    (state[0], json.loads(state[1]), json.loads(state[2])) if state else None,
                    sorted((m["figure_id"], tuple(m["flags"])) for m in g["members"]),
                    digest_rows(store, g["id"])))
    return out


DIGEST_TABLES = {"figure_group_order": "figure_id, tier, at, pub, outlet, speaker_id",
                 "figure_group_outlets": "outlet, n", "figure_group_flag_counts": "flag, n",
                 "figure_group_origins": "figure_id, origin_id"}


def digest_rows(store, group_id) -> tuple:
    """The report summaries m006's triggers keep for a group (see Store.group_digest);
    its flags counted as (flag, count) pairs, by flag, but those counted 0."""
    out = []
    for t, cols in DIGEST_TABLES.items():
        if t == "figure_group_flag_counts":
            row = store.db.execute(f"SELECT {', '.join(FLAGS)} FROM {t} WHERE group_id = ?",
                                   [group_id]).fetchone() or [0] * len(FLAGS)
            out.append(tuple(sorted((fl, n) for fl, n in zip(FLAGS, row) if n)))
        else:
            out.append(tuple(store.db.execute(f"SELECT {cols} FROM {t} WHERE group_id = ? "
                                              f"ORDER BY {cols}", [group_id]).fetchall()))
    return tuple(out)


def digest_from_scratch(store, group_id) -> tuple:
    """``digest_rows`` worked out here from the members, figures, articles and origins."""
    order, outlets, flags, origins = [], {}, {}, []
    for fid, gflags in store.db.execute("SELECT figure_id, flags FROM figure_group_members "
                                        "WHERE group_id = ?", [group_id]).fetchall():
        fl = json.loads(gflags) if gflags is not None else None
        for x in fl or []:
            flags[x] = flags.get(x, 0) + 1
        row = store.db.execute(
            "SELECT f.claim_id, c.stated_on, a.published, a.outlet, a.url, a.id, c.speaker_id "
            "FROM figures f "
            "JOIN claims c ON c.id = f.claim_id JOIN articles a ON a.id = f.article_id "
            "WHERE f.id = ?", [fid]).fetchone()
        if row is None:
            continue
        claim, stated, published, outlet, url, article, speaker = row
        tier = (3 if fl is None else 0 if set(fl) & {"qualifier", "speaker", "value"}
                else 1 if fl else 2)
        pub = published[:10] if published is not None else "9999"
        where = next(x for x in (outlet, url, article) if x is not None)
        order.append((fid, tier, stated if stated is not None else pub, pub, where, speaker))
        outlets[where] = outlets.get(where, 0) + 1
        origins += [(fid, oid) for (oid,) in store.db.execute(
            "SELECT id FROM origins WHERE claim_id = ? AND (figure_id IS NULL OR figure_id = ?)",
            [claim, fid])]
    return (tuple(sorted(order)), tuple(sorted(outlets.items(), key=lambda p: (isinstance(p[0], str), p[0]))),
            tuple(sorted(flags.items())),
            tuple(sorted(origins)))


def store_all(path, pairs, *, undated=(), chunk=None, every=None, monkeypatch=None):
    """Store these articles in this order, grouping after every ``every`` articles
    (None: once, at the end) in chunks of ``chunk`` new figures."""
    if chunk is not None:
        monkeypatch.setattr(groups, "GROUPING_CHUNK", chunk)
    store = Store(path)
    for i, (art, claims) in enumerate(pairs):
        if i in undated:
            art = article_from_text(art.text, source=f"undated {i}")
            art.published = None
        store.add_article(art, claims)
        if every and (i + 1) % every == 0:
            update_groups(store)
    update_groups(store)
    return store


def check_equals_rebuild(store, unsummed_ok=False):
    """The tables are those regroup writes (``unsummed_ok``: but for the summaries of
    groups that have none)."""
    incremental = tables(store)
    assert not store.has_ungrouped_figures()
    for g in incremental:
        assert g[13] == digest_from_scratch(store, g[0])
    with store.transaction():
        regroup(store)
    rebuilt = tables(store)
    if unsummed_ok:
        assert any(g[11] is None for g in incremental)
        rebuilt = [g[:11] + (None,) + g[12:] if i[11] is None else g
                   for g, i in zip(rebuilt, incremental)]
    assert incremental == rebuilt
    assert sum(g[9] for g in rebuilt) == store.db.execute(
        "SELECT count(*) FROM figures WHERE value IS NOT NULL").fetchone()[0]
    return rebuilt


def test_article_by_article_equals_a_rebuild(tmp_path, corpus):
    store = store_all(tmp_path / "a.db", corpus, every=1)
    rebuilt = check_equals_rebuild(store)
    assert len(rebuilt) > 20 and max(g[9] for g in rebuilt) > 10
    assert any(f for g in rebuilt for _, f in g[12])          # some flags to compare


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_one_batch_in_chunks_equals_a_rebuild(tmp_path, corpus, monkeypatch, chunk):
    store = store_all(tmp_path / "c.db", corpus, chunk=chunk, monkeypatch=monkeypatch)
    check_equals_rebuild(store)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_order_batches_and_undated_articles_equal_a_rebuild(tmp_path, corpus,
                                                                 monkeypatch, seed):
    """Articles stored out of time order (an earliest statement arrives after its
    restatements: every flag of its group changes), some without a publication date
    (the earliest may be the odd one out), in batches and chunks of random sizes."""
    rng = random.Random(seed)
    pairs = list(corpus)
    rng.shuffle(pairs)
    undated = set(rng.sample(range(len(pairs)), len(pairs) // 4))
    store = store_all(tmp_path / "s.db", pairs, undated=undated, chunk=rng.choice([3, 11, 50]),
                      every=rng.choice([1, 9, 40]), monkeypatch=monkeypatch)
    check_equals_rebuild(store)


def test_a_restatement_is_placed_without_reading_its_group(tmp_path, corpus, monkeypatch):
    """A later restatement joins a big group: the group's members and their rows are not
    read (but for its earliest statement's)."""
    store = store_all(tmp_path / "r.db", corpus)
    big = max(store.groups(), key=lambda g: len(g["members"]))
    assert len(big["members"]) > 10
    first = store.figures_for_grouping(ids=[big["earliest_figure_id"]])[0]
    # its earliest statement's article again, later: its figures join their groups
    text = store.db.execute("SELECT text FROM articles WHERE id = ?",
                            [first["article"]["id"]]).fetchone()[0]
    art = article_from_text(text + "\n\n(restated)", source="late", published="2099-01-01")
    store.add_article(art, extract_claims(art, narration=True))
    read_ids, member_reads = [], []
    real_rows, real_members = store.figures_for_grouping, store.members_of

    def rows(**kw):
        if kw.get("ids") is not None:
            read_ids.extend(kw["ids"])
        return real_rows(**kw)

    def members(ids):
        member_reads.extend(ids)
        return real_members(ids)

    monkeypatch.setattr(store, "figures_for_grouping", rows)
    monkeypatch.setattr(store, "members_of", members)
    update_groups(store)
    after = next(g for g in store.groups() if g["id"] == big["id"])
    assert len(after["members"]) > len(big["members"])
    assert big["id"] not in member_reads
    # of its stored figures only the earliest statement is read (its speaker's name as
    # stored now)
    assert set(read_ids) & {m["figure_id"] for m in big["members"]} <= {first["id"]}
    assert after["size"] == len(after["members"])
    monkeypatch.undo()
    check_equals_rebuild(store)


def _downgrade(path):
    """A store as claimaudit left it before m005: no size, earliest or summaries."""
    conn = sqlite3.connect(path)
    conn.executescript(f"""
        DROP TABLE figure_group_state;
        ALTER TABLE figure_groups DROP COLUMN size;
        ALTER TABLE figure_groups DROP COLUMN earliest_figure_id;
        DELETE FROM _sqlite_migrations WHERE name = '{M005}';
    """)
    conn.commit()
    conn.close()


def test_migration_fills_size_earliest_and_summaries_and_grouping_goes_on(tmp_path, corpus):
    path = tmp_path / "m.db"
    store = store_all(path, corpus[:120])
    want = tables(store)
    store.close()
    _downgrade(path)
    store = Store(path)
    assert M005 in store.schema_version()
    assert tables(store) == want               # flags untouched, the rest filled in
    for art, claims in corpus[120:]:
        store.add_article(art, claims)
    update_groups(store)
    check_equals_rebuild(store)


def test_a_group_without_a_summary_is_read_from_its_members(tmp_path, corpus):
    """Groups written without a summary (``replace_groups`` of plain records) are
    summarised from their members when new figures come."""
    store = store_all(tmp_path / "n.db", corpus[:100])
    store.db.execute("DELETE FROM figure_group_state")
    store.db.conn.commit()
    for art, claims in corpus[100:]:
        store.add_article(art, claims)
    update_groups(store)
    check_equals_rebuild(store, unsummed_ok=True)


def test_a_speaker_name_grown_since_is_what_new_figures_are_compared_with(tmp_path):
    """"Belousov" becomes "Andrey Belousov" when the full name comes: a later "Sergei
    Belousov" is another speaker than the earliest statement's, as a rebuild finds."""
    store = Store(tmp_path / "p.db")
    texts = [("2024-03-01", "Defence Minister Belousov said on Monday that 1,000 tanks had "
                            "been destroyed since February 2022."),
             ("2024-03-05", "Defence Minister Andrey Belousov said on Tuesday that more than "
                            "1,000 tanks had been destroyed since February 2022."),
             ("2024-03-09", "Analyst Sergei Belousov said on Friday that about 1,000 tanks "
                            "had been destroyed since February 2022.")]
    for i, (day, text) in enumerate(texts):
        art = article_from_text(text, source=f"p{i}.txt", published=day)
        store.add_article(art, extract_claims(art, narration=True))
        update_groups(store)
    rebuilt = check_equals_rebuild(store)
    flags = [f for g in rebuilt for _, f in g[12]]
    assert len(flags) == 3 and sum("speaker" in f for f in flags) == 1


def test_report_summaries_follow_members_moved_reflagged_and_removed(tmp_path, corpus):
    """m006's triggers keep each group's report summaries whatever is written to its
    members: a member moved to another group, flags changed, a member removed."""
    store = store_all(tmp_path / "t.db", corpus[:80])
    conn = store.conn
    ids = [gid for (gid,) in conn.execute("SELECT id FROM figure_groups ORDER BY size DESC")]
    big, other = ids[0], ids[1]
    moved, reflagged, removed = [fid for (fid,) in conn.execute(
        "SELECT figure_id FROM figure_group_members WHERE group_id = ? ORDER BY figure_id "
        "LIMIT 3", [big])]
    with store.transaction():
        conn.execute("UPDATE figure_group_members SET group_id = ? WHERE figure_id = ?",
                     [other, moved])
        conn.execute("UPDATE figure_group_members SET flags = ? WHERE figure_id = ?",
                     ['["qualifier", "period"]', reflagged])
        conn.execute("DELETE FROM figure_group_members WHERE figure_id = ?", [removed])
    before = {gid: digest_rows(store, gid) for gid in ids}
    for gid in ids:
        assert before[gid] == digest_from_scratch(store, gid)
    assert moved in [r[0] for r in before[other][0]]
    assert dict(before[big][2]).get("qualifier", 0) >= 1
    with store.transaction():                   # and back
        conn.execute("INSERT INTO figure_group_members (group_id, figure_id, flags) "
                     "VALUES (?, ?, '[]')", [big, removed])
        conn.execute("UPDATE figure_group_members SET flags = '[]' WHERE figure_id = ?",
                     [reflagged])
        conn.execute("DELETE FROM figure_group_members WHERE group_id = ?", [other])
    for gid in ids:
        assert digest_rows(store, gid) == digest_from_scratch(store, gid)
    assert digest_rows(store, other) == ((), (), (), ())


M006 = "m006_group_report_digests"


def test_migration_fills_the_report_summaries_triggers_keep(tmp_path, corpus):
    path = tmp_path / "r.db"
    store = store_all(path, corpus[:120])
    want = tables(store)
    assert any(g[13][3] for g in want)          # origins among them
    store.close()
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND name LIKE 'figure_group_members_digest%'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.executescript(f"""
        DROP TABLE figure_group_order; DROP TABLE figure_group_outlets;
        DROP TABLE figure_group_flag_counts; DROP TABLE figure_group_origins;
        DROP TABLE figure_group_bulk;
        DELETE FROM _sqlite_migrations WHERE name = '{M006}';
    """)
    conn.commit()
    conn.close()
    store = Store(path)
    assert M006 in store.schema_version()
    assert tables(store) == want
    for art, claims in corpus[120:]:
        store.add_article(art, claims)
    update_groups(store)
    check_equals_rebuild(store)

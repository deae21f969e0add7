"""The SQLite store: migrations, transactions, round-trips and queries (real files in tmp_path)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimaudit import migrations as ca_migrations
from claimaudit.errors import SchemaTooNewError, StoreError
from claimaudit.models import (Article, Claim, DateRef, Figure, Origin, Period, SpeakerRef,
                               TextSpan)
from claimaudit.store import Store, default_db_path

TEXT = (
    "KYIV (Reuters) - Ukraine's top commander, Gen. Oleksandr Syrskyi, said on Tuesday that "
    "nearly 20,000 Russian troops had been killed since February 2022. The figure was first "
    "published by the General Staff on Monday. Mr O'Brien said the aid would arrive soon."
)

TEXT2 = (
    "Syrskyi told reporters that 1,500 drones were launched in March. "
    "The Pentagon said it was monitoring the situation."
)


def span(text: str, sub: str, start: int = 0) -> tuple[int, int]:
    i = text.index(sub, start)
    return (i, i + len(sub))


def ts(text: str, sub: str) -> TextSpan:
    return TextSpan(sub, span(text, sub))


def make_article(text: str = TEXT, **kw) -> Article:
    defaults = dict(id="a1", url="https://example.com/a1", outlet="Reuters",
                    title="Syrskyi on losses", published="2024-03-05", source="test")
    defaults.update(kw)
    return Article(text=text, **defaults)


def make_claims(text: str = TEXT) -> list[Claim]:
    staff = SpeakerRef(name="General Staff", text="the General Staff",
                       span=span(text, "the General Staff"), kind="body")
    provenance = "The figure was first published by the General Staff on Monday."
    origin = Origin(speaker=staff, span=span(text, provenance),
                    stated_on=DateRef("2024-03-04", "day", "on Monday", span(text, "on Monday")),
                    cue="first published by")
    c0 = Claim(
        id=0,
        speaker=SpeakerRef(name="Oleksandr Syrskyi", text="Gen. Oleksandr Syrskyi",
                           span=span(text, "Gen. Oleksandr Syrskyi"), role="top commander"),
        cue=ts(text, "said"),
        content=ts(text, "nearly 20,000 Russian troops had been killed since February 2022"),
        kind="indirect",
        stated_on=DateRef("2024-03-05", "day", "on Tuesday", span(text, "on Tuesday")),
        figures=[Figure(text="nearly 20,000", span=span(text, "nearly 20,000"), value=20000,
                        qualifier="nearly", metric="killed", subject="Russian troops",
                        period=Period("since February 2022", start="2022-02",
                                      span=span(text, "since February 2022")),
                        number_span=span(text, "20,000"))],
        origin=[origin],
    )
    said2 = span(text, "said", c0.cue.span[1])
    c1 = Claim(
        id=1,
        speaker=SpeakerRef(name="Conan O'Brien", text="Mr O'Brien", span=span(text, "Mr O'Brien")),
        cue=TextSpan("said", said2),
        content=ts(text, "the aid would arrive soon"),
        kind="indirect",
        origin=[origin],
    )
    return [c0, c1]


def make_claims2(text: str = TEXT2) -> list[Claim]:
    return [
        Claim(id=0,
              speaker=SpeakerRef(name="Oleksandr Syrskyi", text="Syrskyi", span=span(text, "Syrskyi"),
                                 role="commander-in-chief"),
              cue=ts(text, "told reporters"),
              content=ts(text, "1,500 drones were launched in March"),
              figures=[Figure(text="1,500", span=span(text, "1,500"), value=1500, metric="drones")]),
        Claim(id=1,
              speaker=SpeakerRef(name="The Pentagon", text="The Pentagon",
                                 span=span(text, "The Pentagon"), kind="body"),
              cue=ts(text, "said"),
              content=ts(text, "it was monitoring the situation")),
    ]


def strip_ids(d):
    """A stored claim dict -> the Claim.to_dict() shape (drop store ids and extras)."""
    if isinstance(d, list):
        return [strip_ids(x) for x in d]
    if isinstance(d, dict):
        return {k: strip_ids(v) for k, v in d.items() if k not in ("id", "seq", "article")}
    return d


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def filled(store):
    store.add_article(make_article(), make_claims())
    store.add_article(make_article(TEXT2, id="a2", url="https://example.com/a2", outlet="AP",
                                   published="2024-04-01"), make_claims2())
    return store


# --- migrations -------------------------------------------------------------------------

EXPECTED_TABLES = {
    "articles", "runs", "speakers", "speaker_aliases", "speaker_roles", "claims", "figures",
    "origins", "figure_groups", "figure_group_members", "feeds", "claims_fts",
    "_sqlite_migrations",
}
EXPECTED_INDEXES = {
    ("claims", ("speaker_id",)), ("claims", ("article_id",)), ("figures", ("claim_id",)),
    ("figures", ("metric",)), ("figures", ("article_id",)), ("articles", ("published",)),
    ("articles", ("outlet",)), ("articles", ("url",)), ("origins", ("speaker_id",)),
    ("origins", ("claim_id",)), ("speaker_aliases", ("alias",)),
}


def test_migrations_create_schema(store, db_path):
    db = store.db
    assert EXPECTED_TABLES <= set(db.table_names())
    have = {(t, tuple(ix.columns)) for t in db.table_names() for ix in db[t].indexes}
    assert EXPECTED_INDEXES <= have
    assert db["articles"].columns_dict["content_hash"] is str
    assert db["claims"].detect_fts() == "claims_fts"
    assert {t.name for t in db["claims"].triggers} == {"claims_ai", "claims_ad", "claims_au"}
    fks = {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys}
    assert ("article_id", "articles") in fks and ("speaker_id", "speakers") in fks
    rows = list(db.query("SELECT migration_set, name FROM _sqlite_migrations"))
    assert {"migration_set": "claimaudit", "name": "m001_initial"} in rows
    assert store.schema_version() == ca_migrations.known_names()
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert store.integrity_check() == "ok"


def test_open_twice_applies_nothing(db_path):
    Store(db_path).close()
    before = list(sqlite3.connect(db_path).execute("SELECT * FROM _sqlite_migrations"))
    s = Store(db_path)
    assert ca_migrations.pending(s.db) == []
    s.close()
    after = list(sqlite3.connect(db_path).execute("SELECT * FROM _sqlite_migrations"))
    assert before == after and len(after) == len(ca_migrations.known_names())


def test_reading_an_up_to_date_store_does_not_load_sqlite_utils(db_path):
    """sqlite-utils applies the migrations; opening a store that needs none, to read it,
    goes straight to sqlite3 (a tenth of a second of every `report`)."""
    import subprocess
    import sys
    Store(db_path).close()
    probe = ("import sys; from claimaudit.store import Store; s = Store(sys.argv[1]); "
             "s.counts(); s.close(); print(sorted(m for m in sys.modules "
             "if m.split('.')[0] == 'sqlite_utils'))")
    out = subprocess.run([sys.executable, "-c", probe, str(db_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"
    fresh = db_path.parent / "fresh.db"       # a new store is migrated by sqlite-utils
    out = subprocess.run([sys.executable, "-c", probe, str(fresh)], capture_output=True,
                         text=True, check=True).stdout
    assert "sqlite_utils.migrations" in out
    assert Store(fresh).schema_version() == ca_migrations.known_names()


def test_newer_store_refused_and_untouched(db_path):
    s = Store(db_path)
    s.add_article(make_article(), make_claims())
    s.close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('claimaudit', 'm999_from_the_future', '2099-01-01')")
    conn.commit()
    conn.close()
    folder = sorted(p.name for p in db_path.parent.iterdir())
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError) as e:
        Store(db_path)
    msg = str(e.value)
    assert "newer claimaudit" in msg and "m999_from_the_future" in msg and str(db_path) in msg
    assert "\n" not in msg
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == folder


def test_other_migration_sets_are_ignored(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('some_plugin', 'm001_other', '2099-01-01')")
    conn.commit()
    conn.close()
    Store(db_path).close()


# --- paths and opening ------------------------------------------------------------------

def test_env_and_explicit_path_precedence(tmp_path, monkeypatch):
    env_db = tmp_path / "env" / "from_env.db"
    monkeypatch.setenv("CLAIMAUDIT_DB", str(env_db))
    assert default_db_path() == env_db
    s = Store()
    assert s.path == env_db and env_db.exists()      # parent folder created
    s.close()
    explicit = tmp_path / "explicit.db"
    s = Store(explicit)
    assert s.path == explicit and explicit.exists()
    s.close()
    monkeypatch.delenv("CLAIMAUDIT_DB")
    d = default_db_path()
    assert d.name == "claimaudit.db" and "claimaudit" in str(d.parent)


def test_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not a SQLite file, just text\n" * 200)
    before = bad.read_bytes()
    with pytest.raises(StoreError) as e:
        Store(bad)
    assert str(bad) in str(e.value) and "\n" not in str(e.value)
    assert not isinstance(e.value, SchemaTooNewError)
    assert bad.read_bytes() == before


def test_unusable_folder(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    target = blocker / "sub" / "store.db"
    with pytest.raises(StoreError) as e:
        Store(target)
    assert str(target) in str(e.value)


# --- add_article ------------------------------------------------------------------------

def test_add_article_round_trip(store):
    article = make_article()
    claims = make_claims()
    for c in claims:      # the fixture itself is right: spans point at the text
        assert TEXT[c.content.span[0]:c.content.span[1]] == c.content.text
        for f in c.figures:
            assert TEXT[f.span[0]:f.span[1]] == f.text
    run_id = store.start_run("ingest", ["test"])
    article_id, new = store.add_article(article, claims, run_id=run_id)
    assert new is True
    store.finish_run(run_id, articles_new=1, articles_seen=0, claims=2, figures=1, errors=[])

    got = store.claims(article_id=article_id)
    assert [c["seq"] for c in got] == [0, 1]
    assert strip_ids(got) == [strip_ids(c.to_dict()) for c in claims]
    c0 = got[0]
    assert c0["article"] == {"id": article_id, "url": article.url, "outlet": "Reuters",
                             "published": "2024-03-05", "title": article.title,
                             "source": article.source, "ext_id": article.id}
    assert isinstance(c0["speaker"]["id"], int)
    assert isinstance(c0["figures"][0]["id"], int)
    assert c0["origin"][0]["speaker"]["name"] == "General Staff"

    a = store.article(article_id)
    assert a["text"] == TEXT and a["ext_id"] == "a1" and a["content_hash"] == article.content_hash
    assert a["run_id"] == run_id and a["claims"] == 2 and a["figures"] == 1

    # origins link to each figure of their claim, or to none
    rows = list(store.db.query("SELECT c.seq, o.figure_id FROM origins o "
                               "JOIN claims c ON c.id = o.claim_id ORDER BY c.seq"))
    assert rows == [{"seq": 0, "figure_id": c0["figures"][0]["id"]},
                    {"seq": 1, "figure_id": None}]

    run = store.runs()[0]
    assert run["status"] == "ok" and run["sources"] == ["test"] and run["claims"] == 2
    assert run["finished_at"] >= run["started_at"]


def test_origin_per_figure_folds_back(store):
    text = "Officials said 10 tanks and 20 guns were lost, citing the ministry."
    origin = Origin(speaker=SpeakerRef("Ministry", "the ministry", span(text, "the ministry"),
                                       kind="body"), span=span(text, "citing the ministry"),
                    cue="citing")
    claim = Claim(id=0, speaker=SpeakerRef("Officials", "Officials", span(text, "Officials"),
                                           kind="description"),
                  cue=ts(text, "said"), content=ts(text, "10 tanks and 20 guns were lost"),
                  figures=[Figure("10", span(text, "10"), 10, metric="tanks"),
                           Figure("20", span(text, "20"), 20, metric="guns")],
                  origin=[origin])
    store.add_article(make_article(text), [claim])
    assert store.db["origins"].count == 2
    got = store.claims()
    assert strip_ids(got) == [strip_ids(claim.to_dict())]
    assert store.counts()["origins"] == 1
    grouped = store.figures_for_grouping()
    assert [len(g["origins"]) for g in grouped] == [1, 1]


def test_readding_same_text_stores_nothing(store):
    first, new = store.add_article(make_article(), make_claims())
    counts = store.counts()
    again, new2 = store.add_article(make_article(TEXT.replace(" ", "  "), id="other"), make_claims())
    assert (again, new2) == (first, False) and new is True
    assert store.counts() == counts
    assert store.find_article(content_hash=make_article().content_hash) == first
    assert store.find_article(url="https://example.com/a1") == first
    assert store.find_article(url="https://nope.example") is None
    assert store.has_url("https://example.com/a1") and not store.has_url("https://nope.example")


def test_failure_half_way_leaves_nothing(store, monkeypatch):
    def boom(self, row):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_insert_figure", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.add_article(make_article(), make_claims())
    assert not store.db.conn.in_transaction
    for table in ("articles", "claims", "figures", "origins", "speakers", "speaker_aliases",
                  "speaker_roles"):
        assert store.db[table].count == 0, table
    assert list(store.db.query("SELECT rowid FROM claims_fts")) == []
    monkeypatch.undo()
    assert store.add_article(make_article(), make_claims())[1] is True


def test_sqlite_utils_calls_join_the_transaction(store):
    with pytest.raises(ValueError):
        with store.transaction():
            store.db["runs"].insert({"started_at": "2024-01-01", "status": "x"})
            store.db["feeds"].insert({"url": "https://f.example"})
            store.db.execute("INSERT INTO runs (started_at) VALUES ('2024-01-02')")
            assert store.db["runs"].count == 2
            raise ValueError("stop")
    assert store.db["runs"].count == 0 and store.db["feeds"].count == 0
    # and a sqlite error inside comes out as StoreError, rolled back
    with pytest.raises(StoreError):
        with store.transaction():
            store.db.execute("INSERT INTO runs (started_at) VALUES ('2024-01-03')")
            store.db.execute("INSERT INTO articles (content_hash, text, ingested_at, run_id) "
                             "VALUES ('h', 't', 'now', 9999)")   # foreign key fails
    assert store.db["runs"].count == 0 and store.db["articles"].count == 0


def test_changes_visible_to_another_connection(filled, db_path):
    other = Store(db_path)
    assert other.counts() == filled.counts()
    other.close()


# --- queries ----------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "Syrskyi", "syrskyi", "SYRSKYI", "Oleksandr Syrskyi", "oleksandr syrskyi",
    "Gen. Oleksandr Syrskyi", "General Oleksandr Syrskyi",
])
def test_speaker_filter_matches(filled, query):
    got = filled.claims(speaker=query)
    assert [c["content"]["text"] for c in got] == [
        "nearly 20,000 Russian troops had been killed since February 2022",
        "1,500 drones were launched in March",
    ]
    assert {c["speaker"]["name"] for c in got} == {"Oleksandr Syrskyi"}
    assert {c["speaker"]["text"] for c in got} == {"Gen. Oleksandr Syrskyi", "Syrskyi"}


@pytest.mark.parametrize("query", ["O'Brien", "o'brien", "Mr O'Brien", "Conan O’Brien", "OBRIEN"])
def test_speaker_filter_with_quote(filled, query):
    got = filled.claims(speaker=query)
    assert [c["content"]["text"] for c in got] == ["the aid would arrive soon"]


@pytest.mark.parametrize("query", ["Syrsky", "x' OR '1'='1", "'", '"', "%", "_", "  ", "Staff'--"])
def test_speaker_filter_no_match(filled, query):
    assert filled.claims(speaker=query) == []


def test_speaker_filter_bodies_and_merges(filled):
    assert len(filled.claims(speaker="pentagon")) == 1
    assert len(filled.claims(speaker="The Pentagon")) == 1
    # a user merge: O'Brien into Syrskyi -> filtering either finds both
    ids = {s["name"]: s["id"] for s in filled.speakers()}
    filled.db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                      [ids["Oleksandr Syrskyi"], ids["Conan O'Brien"]])
    got = filled.claims(speaker="o'brien")
    assert len(got) == 3 and {c["speaker"]["id"] for c in got} == {ids["Oleksandr Syrskyi"]}
    names = [s["name"] for s in filled.speakers()]
    assert "Conan O'Brien" not in names
    syr = next(s for s in filled.speakers() if s["name"] == "Oleksandr Syrskyi")
    assert syr["claims"] == 3 and syr["merged"] == [ids["Conan O'Brien"]]


def test_search_uses_fts(filled):
    assert [c["content"]["text"] for c in filled.claims(search="troops killed")] == [
        "nearly 20,000 Russian troops had been killed since February 2022"]
    assert len(filled.claims(search="kill")) == 1          # porter stemming
    assert len(filled.claims(search="launch*")) == 1
    assert filled.claims(search="submarines") == []
    assert filled.claims(search='"troops') != []             # quotes are just characters
    assert filled.claims(search="troops OR aid") == []       # no FTS syntax leaks through
    assert len(filled.claims(search="aid", speaker="O'Brien")) == 1


def test_claim_filters(filled):
    assert len(filled.claims()) == 4
    assert len(filled.claims(outlet="reuters")) == 2
    assert len(filled.claims(since="2024-04")) == 2
    assert [len(c["figures"]) for c in filled.claims(with_figures=True)] == [1, 1]
    assert all(c["figures"] == [] for c in filled.claims(with_figures=False))
    assert len(filled.claims(with_figures=False)) == 2
    assert len(filled.claims(limit=3)) == 3
    assert filled.claims(article_id=999) == []


def test_articles_listing(filled):
    rows = filled.articles()
    assert [(r["ext_id"], r["claims"], r["figures"]) for r in rows] == [("a1", 2, 1), ("a2", 2, 1)]
    assert set(rows[0]) == {"id", "url", "outlet", "title", "published", "ingested_at",
                            "content_hash", "ext_id", "claims", "figures"}
    assert [r["ext_id"] for r in filled.articles(outlet="ap")] == ["a2"]
    assert [r["ext_id"] for r in filled.articles(since="2024-03-10")] == ["a2"]
    assert len(filled.articles(limit=1)) == 1
    assert filled.article(12345) is None


def test_speakers_counts(filled):
    sp = {s["name"]: s for s in filled.speakers()}
    syr = sp["Oleksandr Syrskyi"]
    assert (syr["articles"], syr["claims"], syr["figures"]) == (2, 2, 2)
    assert syr["kind"] == "person"
    assert set(syr["aliases"]) == {"Oleksandr Syrskyi", "Gen. Oleksandr Syrskyi", "Syrskyi"}
    assert set(syr["roles"]) == {"top commander", "commander-in-chief"}
    staff = sp["General Staff"]
    assert staff["kind"] == "body" and staff["claims"] == 0 and staff["origins"] == 2
    assert (sp["Conan O'Brien"]["claims"], sp["Conan O'Brien"]["figures"]) == (1, 0)
    assert sp["The Pentagon"]["kind"] == "body"
    assert filled.counts() == {"articles": 2, "claims": 4, "figures": 2, "speakers": 4,
                               "origins": 2, "runs": 0, "groups": 0}


def test_figures_for_grouping(filled):
    figs = filled.figures_for_grouping()
    assert [f["text"] for f in figs] == ["nearly 20,000", "1,500"]
    f0 = figs[0]
    assert f0["value"] == 20000 and f0["metric"] == "killed"
    assert f0["period"]["start"] == "2022-02" and f0["period"]["carried"] is False
    assert f0["article"]["outlet"] == "Reuters" and f0["article"]["published"] == "2024-03-05"
    assert f0["speaker"]["name"] == "Oleksandr Syrskyi"
    assert f0["claim"]["stated_on"]["date"] == "2024-03-05"
    assert f0["origins"][0]["speaker"]["name"] == "General Staff"
    assert f0["origins"][0]["stated_on"]["date"] == "2024-03-04"
    assert TEXT[f0["number_span"][0]:f0["number_span"][1]] == "20,000"
    later = filled.figures_for_grouping(since_figure_id=f0["id"])
    assert [f["text"] for f in later] == ["1,500"]


# --- feeds, groups, housekeeping --------------------------------------------------------

def test_feed_state_round_trip(store):
    url = "https://example.com/feed.xml"
    assert store.get_feed_state(url) is None
    store.set_feed_state(url, etag='W/"abc"', last_modified="Tue, 05 Mar 2024 10:00:00 GMT",
                         title="Example")
    st = store.get_feed_state(url)
    assert st["etag"] == 'W/"abc"' and st["title"] == "Example" and st["last_fetched_at"]
    store.set_feed_state(url, etag=None, last_modified=None, title=None)
    st = store.get_feed_state(url)
    assert st["etag"] is None and st["last_modified"] is None and st["title"] == "Example"


def test_replace_groups_round_trip(filled):
    f1, f2 = [f["id"] for f in filled.figures_for_grouping()]
    filled.replace_groups([
        {"key": "killed|russian troops", "label": "Russian troops killed", "metric": "killed",
         "subject": "Russian troops", "period": "2022-02/", "value": 20000, "low": None,
         "high": None, "members": [{"figure_id": f1, "flags": ["first"]}]},
        {"key": "drones", "label": "Drones", "metric": "drones", "subject": None,
         "period": {"start": "2024-03"}, "value": 1500, "low": 1500, "high": 1500,
         "members": [{"figure_id": f2, "flags": []}]},
    ])
    gs = filled.groups()
    assert [g["key"] for g in gs] == ["killed|russian troops", "drones"]
    assert gs[0]["members"] == [{"figure_id": f1, "flags": ["first"]}]
    assert gs[0]["period"] == "2022-02/" and gs[1]["period"] == {"start": "2024-03"}
    assert gs[1]["value"] == 1500 and gs[0]["created_at"]
    assert filled.counts()["groups"] == 2
    filled.replace_groups([{"key": "only", "members": [{"figure_id": f1, "flags": ["x"]}]}])
    gs = filled.groups()
    assert [(g["key"], g["members"]) for g in gs] == [("only", [{"figure_id": f1, "flags": ["x"]}])]
    # a bad member (unknown figure) rolls the whole replacement back
    with pytest.raises(StoreError):
        filled.replace_groups([{"key": "new", "members": [{"figure_id": 99999, "flags": []}]}])
    assert [g["key"] for g in filled.groups()] == ["only"]


def test_runs_with_errors(store):
    run_id = store.start_run("ingest", ["a.jsonl", "https://x.example/feed"])
    store.finish_run(run_id, articles_new=0, articles_seen=1, claims=0, figures=0,
                     errors=[{"source": "a.jsonl:3", "error": "bad json"}])
    run = store.runs()[0]
    assert run["status"] == "errors" and run["errors"][0]["error"] == "bad json"
    assert store.counts()["runs"] == 1


def test_integrity_and_cascade(filled):
    assert filled.integrity_check() == "ok"
    aid = filled.articles()[0]["id"]
    with filled.transaction():
        filled.db.execute("DELETE FROM articles WHERE id = ?", [aid])
    c = filled.counts()
    assert (c["articles"], c["claims"], c["figures"], c["origins"]) == (1, 2, 1, 0)
    assert filled.claims(search="troops") == []
    assert filled.db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("name,kind,key", [
    ("Gen. Oleksandr Syrskyi", None, "oleksandr syrskyi"),
    ("Lt. Gen. Kyrylo Budanov", None, "kyrylo budanov"),
    ("Defence Minister José Núñez", None, "jose nunez"),
    ("former Prime Minister Boris Johnson", None, "boris johnson"),
    ("Agriculture Minister Jane Doe", None, "jane doe"),
    ("Mr O'Brien", None, "obrien"),
    ("Jean-Claude Juncker", None, "jean claude juncker"),
    ("Lech Wałęsa", None, "lech walesa"),
    ("the Pentagon", "body", "pentagon"),
    ("General Motors", "body", "general motors"),
    ("President", None, "president"),
    ("  Dr.   Anthony   Fauci ", None, "anthony fauci"),
])
def test_speaker_key(name, kind, key):
    assert Store.speaker_key(name, kind) == key


def _speaker_article(text_name: str, n: int):
    from claimaudit.models import Article, Claim, SpeakerRef, TextSpan
    text = f"{text_name} said the port had {n} cranes."
    art = Article(text=text, outlet="Test Wire", published="2024-03-05", source=f"t{n}")
    sp = SpeakerRef(name=text_name, text=text_name, span=(0, len(text_name)))
    cue_s = len(text_name) + 1
    claim = Claim(id=0, speaker=sp, cue=TextSpan("said", (cue_s, cue_s + 4)),
                  content=TextSpan(text[cue_s + 5:-1], (cue_s + 5, len(text) - 1)))
    return art, [claim]


def test_spellings_of_one_person_are_one_speaker_across_articles(tmp_path):
    store = Store(tmp_path / "s.db")
    for i, name in enumerate(["Andrey Belousov", "Andrei Belousov", "Belousov",
                              "Sergei Belousov", "Volodymyr Zelenskyy", "Zelensky"]):
        store.add_article(*_speaker_article(name, i))
    people = {s["name"]: s for s in store.speakers()}
    assert set(people) == {"Andrey Belousov", "Sergei Belousov", "Volodymyr Zelenskyy"}
    assert {"Andrei Belousov", "Belousov"} <= set(people["Andrey Belousov"]["aliases"])
    assert "Zelensky" in people["Volodymyr Zelenskyy"]["aliases"]


def test_merge_and_split_survive_reingest(tmp_path):
    store = Store(tmp_path / "s.db")
    store.add_article(*_speaker_article("Kremlin", 1))
    store.add_article(*_speaker_article("Dmitry Peskov", 2))
    assert store.merge_speakers("Peskov", "Kremlin") == ("Dmitry Peskov", "Kremlin")
    store.add_article(*_speaker_article("Kremlin", 3))      # a new article after the merge
    (sp,) = store.speakers()
    assert sp["name"] == "Dmitry Peskov" and sp["claims"] == 3
    assert [c["speaker"]["name"] for c in store.claims(speaker="Kremlin")] == ["Dmitry Peskov"] * 3
    assert store.split_speaker("Kremlin") == ["Kremlin"]
    assert sorted(s["name"] for s in store.speakers()) == ["Dmitry Peskov", "Kremlin"]


def test_store_from_an_older_claimaudit_is_migrated_in_place(tmp_path):
    import sqlite_utils

    from claimaudit.migrations import known_names, migrations
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_speaker_identity")   # what version 1 wrote
    db.execute("INSERT INTO speakers (name, kind, key) VALUES ('Andrei Belousov', 'person', "
               "'andrei belousov')")
    db.conn.commit()
    db.close()
    store = Store(path)
    assert store.schema_version() == known_names()      # every later one applied
    assert store.db.execute("SELECT ident FROM speakers").fetchone()[0] == "belousov"
    store.add_article(*_speaker_article("Andrey Belousov", 1))
    (sp,) = store.speakers()
    assert sp["name"] == "Andrei Belousov" and "Andrey Belousov" in sp["aliases"]


def test_processes_opening_a_new_store_at_the_same_moment_all_succeed(tmp_path):
    """Switching a new store to WAL needs the file to itself and SQLite does not wait for
    it: several processes released at the same instant on a new store must all open it
    (one switches, the others retry) and find one migrated schema."""
    import subprocess
    import sys
    import time
    for trial in range(30):             # the race is lost in ~1 trial of 10 without the retry
        db, go = tmp_path / f"s{trial}.db", tmp_path / f"go{trial}"
        code = ("import os, sys, time\nfrom claimaudit.store import Store\n"
                "while not os.path.exists(sys.argv[2]):\n    time.sleep(0.0005)\n"
                "Store(sys.argv[1]).close()")
        procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(go)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        time.sleep(0.3)                     # all have imported and are waiting
        go.touch()
        for p in procs:
            err = p.communicate(timeout=60)[1]
            assert p.returncode == 0, (trial, err[-500:])
        assert Store(db).schema_version() == ca_migrations.known_names()

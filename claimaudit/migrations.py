"""The store's schema, as an ordered list of migrations (after Simon Willison's ``llm``).

Rules:

* Migrations are registered in order with ``@_migration`` and are **never edited** once
  released - a schema change is a new ``mNNN_...`` function appended at the end.
* Every statement is plain SQL written out here, so the schema does not change when a
  newer sqlite-utils would generate DDL differently.
* ``_sqlite_migrations`` (sqlite-utils' table) records which ones ran, which doubles as
  the schema version: a store holding a migration name this code does not know was
  written by a newer claimaudit and is refused (:func:`check_not_newer`).

The tables are plain and Datasette-friendly: integer primary keys, foreign keys, JSON
kept as TEXT, and an FTS5 index ``claims_fts`` (content table ``claims``, kept in sync by
triggers named like sqlite-utils' ``enable_fts(create_triggers=True)`` would name them, so
``Table.detect_fts()`` and Datasette find it).
"""

from __future__ import annotations

import functools
import sqlite3
from typing import TYPE_CHECKING, Any, Callable, Union

from .errors import SchemaTooNewError

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "claimaudit"

# The migrations in order. sqlite-utils' ``Migrations`` (which applies them and records
# them in ``_sqlite_migrations``) is built from this list only when something is pending:
# opening an up-to-date store to read it does not import sqlite-utils at all (a tenth of
# a second of start-up for `report`).
_ORDER: list[Callable[["Database"], None]] = []


def _migration(fn: Callable[["Database"], None]) -> Callable[["Database"], None]:
    _ORDER.append(fn)
    return fn


@functools.lru_cache(maxsize=None)
def _registry() -> "Migrations":
    from sqlite_utils.migrations import Migrations
    registry = Migrations(MIGRATION_SET)
    for fn in _ORDER:
        registry()(fn)
    return registry


def __getattr__(name: str) -> Any:
    if name == "migrations":        # the sqlite-utils registry, for tools and tests
        return _registry()
    raise AttributeError(name)


def _run(db: "Database", statements: list[str]) -> None:
    # One execute() per statement: inside the migration's transaction each becomes
    # part of it (Database.executescript outside a transaction would commit).
    for sql in statements:
        db.execute(sql)


@_migration
def m001_initial(db: "Database") -> None:
    _run(db, [
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            command TEXT,
            sources TEXT,            -- JSON list
            articles_new INTEGER,
            articles_seen INTEGER,
            claims INTEGER,
            figures INTEGER,
            errors TEXT,             -- JSON list of objects
            status TEXT NOT NULL DEFAULT 'running'
        )
        """,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            url TEXT,
            canonical_url TEXT,
            outlet TEXT,
            title TEXT,
            published TEXT,
            author TEXT,
            source TEXT,
            encoding TEXT,
            ext_id TEXT,
            ingested_at TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        )
        """,
        """
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'person',
            key TEXT NOT NULL UNIQUE,
            merged_into INTEGER REFERENCES speakers(id)
        )
        """,
        """
        CREATE TABLE speaker_aliases (
            id INTEGER PRIMARY KEY,
            speaker_id INTEGER NOT NULL REFERENCES speakers(id),
            alias TEXT NOT NULL,
            UNIQUE (speaker_id, alias)
        )
        """,
        """
        CREATE TABLE speaker_roles (
            speaker_id INTEGER NOT NULL REFERENCES speakers(id),
            role TEXT NOT NULL,
            UNIQUE (speaker_id, role)
        )
        """,
        """
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            speaker_id INTEGER REFERENCES speakers(id),
            speaker_text TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            role TEXT,
            cue_text TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            content_text TEXT NOT NULL,
            content_start INTEGER,
            content_end INTEGER,
            content_spans TEXT,      -- JSON list of [start, end], when the content is split
            kind TEXT,
            stated_on TEXT,
            stated_on_precision TEXT,
            stated_on_text TEXT,
            stated_on_start INTEGER,
            stated_on_end INTEGER
        )
        """,
        """
        CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            number_start INTEGER,
            number_end INTEGER,
            value REAL,
            low REAL,
            high REAL,
            qualifier TEXT,
            unit TEXT,
            metric TEXT,
            subject TEXT,
            period_text TEXT,
            period_start TEXT,
            period_end TEXT,
            period_span_start INTEGER,
            period_span_end INTEGER,
            period_carried INTEGER
        )
        """,
        """
        CREATE TABLE origins (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL DEFAULT 0,     -- position in the claim's origin list
            figure_id INTEGER REFERENCES figures(id) ON DELETE CASCADE,
            speaker_id INTEGER REFERENCES speakers(id),
            speaker_text TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            role TEXT,
            stated_on TEXT,
            stated_on_precision TEXT,
            stated_on_text TEXT,
            stated_on_start INTEGER,
            stated_on_end INTEGER,
            start INTEGER,
            "end" INTEGER,
            cue TEXT
        )
        """,
        """
        CREATE TABLE figure_groups (
            id INTEGER PRIMARY KEY,
            key TEXT,
            label TEXT,
            metric TEXT,
            subject TEXT,
            period TEXT,
            value REAL,
            low REAL,
            high REAL,
            created_at TEXT
        )
        """,
        """
        CREATE TABLE figure_group_members (
            group_id INTEGER NOT NULL REFERENCES figure_groups(id) ON DELETE CASCADE,
            figure_id INTEGER NOT NULL UNIQUE REFERENCES figures(id) ON DELETE CASCADE,
            flags TEXT                -- JSON list
        )
        """,
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            title TEXT,
            last_fetched_at TEXT
        )
        """,
        # Indexes for the report queries
        "CREATE INDEX idx_claims_speaker_id ON claims(speaker_id)",
        "CREATE INDEX idx_claims_article_id ON claims(article_id)",
        "CREATE INDEX idx_figures_claim_id ON figures(claim_id)",
        "CREATE INDEX idx_figures_metric ON figures(metric)",
        "CREATE INDEX idx_figures_article_id ON figures(article_id)",
        "CREATE INDEX idx_articles_published ON articles(published)",
        "CREATE INDEX idx_articles_outlet ON articles(outlet)",
        "CREATE INDEX idx_articles_url ON articles(url)",
        "CREATE INDEX idx_articles_canonical_url ON articles(canonical_url)",
        "CREATE INDEX idx_articles_run_id ON articles(run_id)",
        "CREATE INDEX idx_origins_speaker_id ON origins(speaker_id)",
        "CREATE INDEX idx_origins_claim_id ON origins(claim_id)",
        "CREATE INDEX idx_origins_figure_id ON origins(figure_id)",
        "CREATE INDEX idx_speaker_aliases_alias ON speaker_aliases(alias)",
        "CREATE INDEX idx_speakers_merged_into ON speakers(merged_into)",
        "CREATE INDEX idx_figure_group_members_group_id ON figure_group_members(group_id)",
        # Full-text search on what was claimed
        """
        CREATE VIRTUAL TABLE "claims_fts" USING FTS5 (
            "content_text",
            tokenize='porter unicode61 remove_diacritics 2',
            content="claims"
        )
        """,
        """
        CREATE TRIGGER "claims_ai" AFTER INSERT ON "claims" BEGIN
          INSERT INTO "claims_fts" (rowid, "content_text") VALUES (new.rowid, new."content_text");
        END
        """,
        """
        CREATE TRIGGER "claims_ad" AFTER DELETE ON "claims" BEGIN
          INSERT INTO "claims_fts" ("claims_fts", rowid, "content_text")
            VALUES('delete', old.rowid, old."content_text");
        END
        """,
        """
        CREATE TRIGGER "claims_au" AFTER UPDATE ON "claims" BEGIN
          INSERT INTO "claims_fts" ("claims_fts", rowid, "content_text")
            VALUES('delete', old.rowid, old."content_text");
          INSERT INTO "claims_fts" (rowid, "content_text") VALUES (new.rowid, new."content_text");
        END
        """,
    ])


# ---------------------------------------------------------------------------
# Version checks


def known_names() -> list[str]:
    return [fn.__name__ for fn in _ORDER]


def _conn(db: Union["Database", sqlite3.Connection]) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def applied_names(db: Union["Database", sqlite3.Connection]) -> list[str]:
    """Names recorded for this set, in order applied. Read-only, plain SQL on the table
    sqlite-utils keeps (``_sqlite_migrations``: migration_set, name, applied_at)."""
    conn = _conn(db)
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = '_sqlite_migrations'").fetchone():
        return []
    return [r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET])]

@_migration
def m002_speaker_identity(db: "Database") -> None:
    """Speakers get ``ident``: the surname with transliteration folded (belousov,
    zelenski), so a new spelling or a bare surname finds its speaker across articles."""
    from .match import identity_surname
    _run(db, [
        "ALTER TABLE speakers ADD COLUMN ident TEXT",
        "CREATE INDEX idx_speakers_ident ON speakers (ident)",
    ])
    rows = db.execute("SELECT id, name FROM speakers").fetchall()
    for sid, name in rows:
        db.execute("UPDATE speakers SET ident = ? WHERE id = ?", [identity_surname(name), sid])


@_migration
def m003_article_source_index(db: "Database") -> None:
    """Feed runs look articles up by the URL they were fetched from, too."""
    _run(db, ["CREATE INDEX idx_articles_source ON articles (source)"])


@_migration
def m004_report_and_grouping_indexes(db: "Database") -> None:
    """Value bins of figure groups (``figure_group_bins``: the groups a new figure could
    join are found by kind and value, not by reading every group of its kind), and
    indexes for ``report --speaker``: claims and origins credited to a name that is no
    stored speaker (an unresolved "he") are found without a scan."""
    from .match import reach_bins, WIDE
    _run(db, [
        """
        CREATE TABLE figure_group_bins (
            group_id INTEGER NOT NULL REFERENCES figure_groups(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,       -- the group's key: what is counted|unit|whose
            bin INTEGER NOT NULL      -- a value bin it reaches (match.reach_bins), or WIDE
        )
        """,
        "CREATE INDEX idx_figure_group_bins_kind_bin ON figure_group_bins (kind, bin)",
        "CREATE INDEX idx_figure_group_bins_group_id ON figure_group_bins (group_id)",
        "CREATE INDEX idx_claims_unlinked_speaker ON claims (speaker_text) "
        "WHERE speaker_id IS NULL AND speaker_text IS NOT NULL",
        "CREATE INDEX idx_origins_unlinked_speaker ON origins (speaker_text) "
        "WHERE speaker_id IS NULL AND speaker_text IS NOT NULL",
    ])
    rows = db.execute(
        """SELECT g.id, coalesce(g.key, ''), min(f.value), min(f.low), min(f.high),
                  max(f.value), max(f.low), max(f.high)
           FROM figure_groups g JOIN figure_group_members m ON m.group_id = g.id
                                JOIN figures f ON f.id = m.figure_id
           GROUP BY g.id""").fetchall()
    for gid, key, *nums in rows:
        lows, highs = nums[:3], nums[3:]
        members = [{"value": v, "low": None, "high": None}
                   for v in [x for x in lows + highs if x is not None]]
        span = reach_bins(members)
        bins = [WIDE] if span is None else range(span[0], span[1] + 1)
        for b in bins:
            db.execute("INSERT INTO figure_group_bins (group_id, kind, bin) VALUES (?, ?, ?)",
                       [gid, key, b])


@_migration
def m005_group_size_earliest_state(db: "Database") -> None:
    """Figure groups keep their member count (``size``), their earliest statement
    (``earliest_figure_id``: ``match.earliest_of`` over the members, the one the others
    are flagged against) and grouping's summary of them (``figure_group_state``: what
    placing and flagging new figures needs, so that only the new ones are read and
    flagged). Filled in here for the groups already stored, from their members and flags
    as stored."""
    _run(db, [
        "ALTER TABLE figure_groups ADD COLUMN size INTEGER",
        "ALTER TABLE figure_groups ADD COLUMN earliest_figure_id INTEGER",
        """
        CREATE TABLE figure_group_state (
            group_id INTEGER PRIMARY KEY REFERENCES figure_groups(id) ON DELETE CASCADE,
            version INTEGER NOT NULL, -- match.STATE_VERSION: an older layout is not read
            place TEXT NOT NULL,      -- JSON: what testing a new figure needs
            flag TEXT NOT NULL        -- JSON: what adding and flagging one needs
        )
        """,
    ])
    from .groups import summarise_stored_groups
    summarise_stored_groups(db)



# What the capped report view of a group needs, kept per member and per group by the
# triggers below from the members as written (so a rebuild and incremental grouping keep
# the same): report reads a few rows of a group however large it is (Store.group_digest).
# A member's tier and time order are group_digest's order of the statements it shows:
# flagged speaker/qualifier/value (report.SERIOUS) first, then other flagged, then the
# rest; earliest in time first. The LIKE tests are those that order used.
SERIOUS = ("qualifier", "speaker", "value")     # report.SERIOUS, sorted
_TIER = ("CASE WHEN {m}.flags IS NULL THEN 3 WHEN "
         + " OR ".join(f"""{{m}}.flags LIKE '%"{fl}"%'""" for fl in SERIOUS)
         + " THEN 0 WHEN {m}.flags != '[]' THEN 1 ELSE 2 END")


def _digest_add(m: str) -> str:
    """Statements adding member ``m`` (new/old) to the per-group report summaries."""
    return f"""
        INSERT OR REPLACE INTO figure_group_order (figure_id, group_id, tier, at, pub, outlet,
                                                   speaker_id)
        SELECT {m}.figure_id, {m}.group_id, {_TIER.format(m=m)},
               coalesce(c.stated_on, substr(a.published, 1, 10), '9999'),
               coalesce(substr(a.published, 1, 10), '9999'), coalesce(a.outlet, a.url, a.id),
               c.speaker_id
        FROM figures f JOIN claims c ON c.id = f.claim_id JOIN articles a ON a.id = f.article_id
        WHERE f.id = {m}.figure_id;
        INSERT INTO figure_group_outlets (group_id, outlet, n)
        SELECT group_id, outlet, 1 FROM figure_group_order WHERE figure_id = {m}.figure_id
        ON CONFLICT (group_id, outlet) DO UPDATE SET n = n + 1;
        {_flags_add(m)}
        INSERT OR IGNORE INTO figure_group_origins (group_id, figure_id, origin_id)
        SELECT {m}.group_id, {m}.figure_id, o.id
        FROM figures f JOIN origins o ON o.claim_id = f.claim_id
                                     AND (o.figure_id IS NULL OR o.figure_id = f.id)
        WHERE f.id = {m}.figure_id;"""


# The flags grouping gives (match.flags_against; report.FLAG_ORDER), counted per group in
# one row: a test of the member's JSON text per flag costs less than reading it as JSON.
FLAGS = ("speaker", "qualifier", "value", "rounding", "metric", "period", "date")


def _has(m: str, flag: str) -> str:
    return f"(instr(coalesce({m}.flags, ''), '\"{flag}\"') > 0)"


def _flags_add(m: str) -> str:
    return f"""
        INSERT INTO figure_group_flag_counts (group_id, {", ".join(FLAGS)})
        VALUES ({m}.group_id, {", ".join(_has(m, fl) for fl in FLAGS)})
        ON CONFLICT (group_id) DO UPDATE SET
            {", ".join(f"{fl} = {fl} + excluded.{fl}" for fl in FLAGS)};"""


def _flags_remove(m: str) -> str:
    return f"""
        UPDATE figure_group_flag_counts
        SET {", ".join(f"{fl} = {fl} - {_has(m, fl)}" for fl in FLAGS)}
        WHERE group_id = {m}.group_id;"""


def _digest_remove(m: str) -> str:
    """Statements taking member ``m`` out of them (without reading figures: nothing is
    left unbalanced if its figure is already gone)."""
    return f"""
        UPDATE figure_group_outlets SET n = n - 1
        WHERE group_id = {m}.group_id
          AND outlet = (SELECT outlet FROM figure_group_order WHERE figure_id = {m}.figure_id);
        DELETE FROM figure_group_outlets
        WHERE group_id = {m}.group_id AND n <= 0
          AND outlet = (SELECT outlet FROM figure_group_order WHERE figure_id = {m}.figure_id);
        DELETE FROM figure_group_order WHERE figure_id = {m}.figure_id;
        {_flags_remove(m)}
        DELETE FROM figure_group_origins
        WHERE group_id = {m}.group_id AND figure_id = {m}.figure_id;"""


def digest_rebuild_sql() -> list[str]:
    """Statements filling m006's report summaries, empty, from every stored member (the
    migration; ``Store.replace_groups``, whose members are written all at once)."""
    return [
        f"""
        INSERT INTO figure_group_order (figure_id, group_id, tier, at, pub, outlet, speaker_id)
        SELECT m.figure_id, m.group_id, {_TIER.format(m="m")},
               coalesce(c.stated_on, substr(a.published, 1, 10), '9999'),
               coalesce(substr(a.published, 1, 10), '9999'), coalesce(a.outlet, a.url, a.id),
               c.speaker_id
        FROM figure_group_members m JOIN figures f ON f.id = m.figure_id
             JOIN claims c ON c.id = f.claim_id JOIN articles a ON a.id = f.article_id
        """,
        """
        INSERT INTO figure_group_outlets (group_id, outlet, n)
        SELECT group_id, outlet, count(*) FROM figure_group_order GROUP BY group_id, outlet
        """,
        f"""
        INSERT INTO figure_group_flag_counts (group_id, {", ".join(FLAGS)})
        SELECT m.group_id, {", ".join(f"sum({_has('m', fl)})" for fl in FLAGS)}
        FROM figure_group_members m GROUP BY m.group_id
        """,
        """
        INSERT OR IGNORE INTO figure_group_origins (group_id, figure_id, origin_id)
        SELECT m.group_id, m.figure_id, o.id
        FROM origins o JOIN figures f ON f.claim_id = o.claim_id
                                     AND (o.figure_id IS NULL OR o.figure_id = f.id)
             JOIN figure_group_members m ON m.figure_id = f.id
        """,
    ]


@_migration
def m006_group_report_digests(db: "Database") -> None:
    """Per-group summaries for ``report``'s capped view, so that it reads a few rows of a
    large group instead of joining every member: each member's place in the view's order,
    its outlet and its speaker (``figure_group_order``; ``report --speaker`` finds a
    frequent speaker's groups by it, not through every claim of theirs), each group's
    outlets and flags counted (``figure_group_outlets``, ``figure_group_flag_counts``)
    and the origins its figures name (``figure_group_origins``). Triggers on
    ``figure_group_members`` keep them as members are written; a rebuild of every group
    (``figure_group_bulk``) and this migration fill them from all members at once."""
    _run(db, [
        """
        CREATE TABLE figure_group_order (
            figure_id INTEGER PRIMARY KEY,  -- a grouped figure (figure_group_members)
            group_id INTEGER NOT NULL,
            tier INTEGER NOT NULL,    -- 0 serious flags, 1 other flags, 2 none, 3 unknown
            at TEXT NOT NULL,         -- stated on, else published, else '9999'
            pub TEXT NOT NULL,        -- published (date), else '9999'
            outlet,                   -- outlet, else URL, else article id
            speaker_id INTEGER        -- its claim's (report --speaker finds groups by it)
        )
        """,
        """
        CREATE TABLE figure_group_outlets (
            group_id INTEGER NOT NULL,
            outlet NOT NULL,          -- as figure_group_order.outlet
            n INTEGER NOT NULL,       -- members from it
            PRIMARY KEY (group_id, outlet)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE figure_group_flag_counts (
            group_id INTEGER PRIMARY KEY,  -- members carrying each flag:
            {", ".join(f"{fl} INTEGER NOT NULL DEFAULT 0" for fl in FLAGS)}
        )
        """,
        """
        CREATE TABLE figure_group_origins (
            group_id INTEGER NOT NULL,
            figure_id INTEGER NOT NULL,
            origin_id INTEGER NOT NULL,   -- an origin its figure names (origins.id)
            PRIMARY KEY (group_id, figure_id, origin_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX idx_figure_group_order ON figure_group_order "
        "(group_id, tier, at, pub, figure_id)",
        "CREATE INDEX idx_figure_group_order_speaker ON figure_group_order "
        "(speaker_id, group_id) WHERE speaker_id IS NOT NULL",
        """
        CREATE TABLE figure_group_bulk (
            -- a row here (only inside Store.replace_groups' transaction): the triggers
            -- below leave the summaries alone, digest_rebuild_sql() rebuilds them whole
            held INTEGER PRIMARY KEY
        )
        """,
        *digest_rebuild_sql(),
        f"""
        CREATE TRIGGER figure_group_members_digest_ai AFTER INSERT ON figure_group_members
        WHEN NOT EXISTS (SELECT 1 FROM figure_group_bulk)
        BEGIN {_digest_add("new")}
        END
        """,
        f"""
        CREATE TRIGGER figure_group_members_digest_ad AFTER DELETE ON figure_group_members
        WHEN NOT EXISTS (SELECT 1 FROM figure_group_bulk)
        BEGIN {_digest_remove("old")}
        END
        """,
        f"""
        CREATE TRIGGER figure_group_members_digest_au AFTER UPDATE ON figure_group_members
        WHEN (old.group_id IS NOT new.group_id OR old.figure_id IS NOT new.figure_id)
             AND NOT EXISTS (SELECT 1 FROM figure_group_bulk)
        BEGIN {_digest_remove("old")} {_digest_add("new")}
        END
        """,
        f"""
        CREATE TRIGGER figure_group_members_digest_au_flags
        AFTER UPDATE OF flags ON figure_group_members
        WHEN old.group_id IS new.group_id AND old.figure_id IS new.figure_id
             AND old.flags IS NOT new.flags AND NOT EXISTS (SELECT 1 FROM figure_group_bulk)
        BEGIN
            UPDATE figure_group_flag_counts
            SET {", ".join(f"{fl} = {fl} + {_has('new', fl)} - {_has('old', fl)}"
                           for fl in FLAGS)}
            WHERE group_id = new.group_id;
            UPDATE figure_group_order SET tier = {_TIER.format(m="new")}
            WHERE figure_id = new.figure_id AND tier != {_TIER.format(m="new")};
        END
        """,
    ])


def check_not_newer(db: Union["Database", sqlite3.Connection], where: str = "") -> None:
    """Raise SchemaTooNewError if the store holds a migration this code does not know.

    Read-only: safe to call before anything is written.
    """
    known = set(known_names())
    unknown = [name for name in applied_names(db) if name not in known]
    if unknown:
        prefix = f"{where}: " if where else ""
        raise SchemaTooNewError(
            f"{prefix}this store was written by a newer claimaudit (migration {unknown[-1]}); "
            "upgrade claimaudit or use another --db"
        )


def pending(db: Union["Database", sqlite3.Connection]) -> list[str]:
    """Names of the migrations not yet applied, in order. Read-only."""
    done = set(applied_names(db))
    return [name for name in known_names() if name not in done]


def apply(db: "Database", where: str = "") -> list[str]:
    """Check the version, then apply every pending migration. Returns the names applied.

    The caller decides the surrounding transaction; each migration runs in
    ``db.atomic()`` (a savepoint when a transaction is already open).
    """
    check_not_newer(db, where)
    names = pending(db)
    if names:
        _registry().apply(db)
    return names

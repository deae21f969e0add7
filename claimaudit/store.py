"""The local SQLite store - the only module that speaks SQL.

One file (``--db``, ``$CLAIMAUDIT_DB`` or the platform data folder), opened with
sqlite-utils, WAL mode, ``busy_timeout=30000`` and foreign keys on. The schema lives in
:mod:`claimaudit.migrations`; opening a store applies whatever is pending and refuses a
store written by a newer claimaudit without touching it.

Transactions: every write goes through :meth:`Store.transaction`, which opens
``BEGIN IMMEDIATE`` (so a second writer waits on the busy timeout up front instead of
failing half-way with "database is locked" when upgrading a read lock), retries the BEGIN
a few times if the lock still cannot be had, and COMMITs or ROLLBACKs as a whole. Inside
it, sqlite-utils' own calls (``db.execute``, ``table.insert``...) join the open
transaction - sqlite-utils 4 only auto-commits when *no* transaction is open and nests
``db.atomic()`` as a savepoint - so nothing is committed in between.

Every SQL value is passed as a parameter; lists of ids go in as one JSON parameter
(``IN (SELECT value FROM json_each(?))``), which has no variable-count limit.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import re
import sqlite3
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional


from . import migrations as _migrations
from .errors import StoreError
from .models import Article, Claim, DateRef, Figure, SpeakerRef
from .match import identity_surname, same_speaker

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["Store", "default_db_path"]

ENV_VAR = "CLAIMAUDIT_DB"
BUSY_TIMEOUT_MS = 30000
# report.SERIOUS, sorted: the flags m006's figure_group_order ranks first (group_digest)
DIGEST_SERIOUS = _migrations.SERIOUS
_BEGIN_ATTEMPTS = 3
_SAVEPOINTS = itertools.count()     # names of nested transactions (savepoints)


def default_db_path() -> Path:
    """``$CLAIMAUDIT_DB`` if set, else ``<user data dir>/claimaudit/claimaudit.db``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs                 # only when no --db / CLAIMAUDIT_DB names the store
    return Path(platformdirs.user_data_dir("claimaudit")) / "claimaudit.db"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _span(start: Any, end: Any) -> Optional[list[int]]:
    if start is None or end is None:
        return None
    return [start, end]


def _json(value: Any) -> Optional[str]:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def _unjson(text: Optional[str], default: Any = None) -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def _ids(values) -> str:
    """A list of ids as one JSON parameter for ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(sorted({int(v) for v in values if v is not None}))


def _fts_query(text: str) -> str:
    """Free text -> a safe FTS5 query: every word a quoted term (AND), ``word*`` a prefix."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word.rstrip("*")) > 0
        word = word.rstrip("*") if prefix else word
        if not word:
            continue
        terms.append('"' + word.replace('"', '""') + '"' + (" *" if prefix else ""))
    return " ".join(terms)


# --- speaker identity keys ----------------------------------------------------------

# Leading titles stripped from person names, longest first. Several can stack
# ("former Defence Minister Gen. X"); a name is never stripped to nothing.
_TITLES: list[tuple[str, ...]] = sorted({
    tuple(t.split()) for t in """
    mr|mrs|ms|mx|miss|dr|doctor|prof|professor|sir|dame|lord|lady|hon|rev|reverend
    gen|general|lt|lieutenant|col|colonel|maj|major|capt|captain|cpt|sgt|sergeant|cpl|corporal
    adm|admiral|brig|brigadier|cmdr|commander|cdr|marshal|field marshal|commodore
    lieutenant general|lieutenant colonel|major general|brigadier general|rear admiral
    vice admiral|commander in chief|chief of staff|chief of the general staff|chief executive
    chief|president|vice president|pres|premier|prime minister|minister|chancellor
    foreign minister|defense minister|defence minister|interior minister|finance minister
    deputy prime minister|deputy minister|deputy|acting|former|interim|vice
    secretary|secretary of state|secretary general|foreign secretary|defense secretary
    defence secretary|home secretary|press secretary|attorney general|surgeon general
    sen|senator|rep|representative|congressman|congresswoman|gov|governor|mayor|amb|ambassador
    king|queen|prince|princess|crown prince|emperor|pope|sheikh|sheikha|emir|ayatollah
    judge|justice|chief justice|spokesman|spokeswoman|spokesperson|chairman|chairwoman|chair
    director|ceo
    """.replace("\n", "|").split("|") if t.strip()
}, key=len, reverse=True)

# Letters NFKD does not decompose.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th"})
_APOSTROPHES = re.compile(r"[’'`´ʼʻ]")
_NON_WORD = re.compile(r"[^\w\s]|_")


@functools.lru_cache(maxsize=8192)
def _speaker_key(name: str, kind: Optional[str] = None) -> str:
    s = unicodedata.normalize("NFKD", (name or "").translate(_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = _APOSTROPHES.sub("", s)           # O'Brien -> obrien
    s = _NON_WORD.sub(" ", s)             # Jean-Claude -> jean claude, "Gen." -> gen
    words = s.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        if words[0] == "the":
            words = words[1:]
            changed = True
            continue
        if kind == "body":
            continue
        for title in _TITLES:
            n = len(title)
            if len(words) > n and tuple(words[:n]) == title:
                words = words[n:]
                changed = True
                break
        else:
            # "<Anything> Minister X" / "<Anything> Secretary X": Agriculture Minister ...
            if len(words) > 2 and words[1] in ("minister", "secretary"):
                words = words[2:]
                changed = True
    return " ".join(words)


def _sql_speaker_key(name):
    """``claimaudit_key(text)`` in SQL, for matching aliases."""
    return _speaker_key(name) if isinstance(name, str) else None


def _speaker_kind(kind: Optional[str]) -> str:
    if kind in ("body", "description"):
        return kind
    return "person"                       # person, or a pronoun resolved to a person


class Store:
    """The claimaudit SQLite store. Use as a context manager or call :meth:`close`."""

    path: Path
    conn: sqlite3.Connection

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        where = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            reason = e.strerror or str(e)
            if isinstance(e, FileExistsError):
                reason = "a file is in the way"
            raise StoreError(
                f"{where}: cannot create the folder {self.path.parent}: {reason}"
            ) from e
        conn: Optional[sqlite3.Connection] = None
        try:
            conn = sqlite3.connect(where, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL + NORMAL: a commit survives the process being killed; only a power cut
            # can lose the last commits (never corrupting the file). No fsync per article.
            conn.execute("PRAGMA synchronous = NORMAL")
            self.conn = conn
            self._db: Optional["Database"] = None
            conn.execute("PRAGMA recursive_triggers = on")     # as sqlite-utils' Database sets
            conn.create_function("claimaudit_key", 1, _sql_speaker_key, deterministic=True)
            # Read-only checks first: a newer store must be left byte-for-byte as is,
            # and even switching to WAL would rewrite its header.
            _migrations.check_not_newer(conn, where)
            _use_wal(conn)
            if _migrations.pending(conn):
                # One immediate transaction: a second process opening a new store at the
                # same time waits, then finds nothing pending.
                with self.transaction():
                    _migrations.apply(self.db, where)
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.Error as e:
            if conn is not None:
                conn.close()
            raise StoreError(f"{where}: cannot open the store: {_one_line(e)}") from e

    # --- lifecycle ------------------------------------------------------------------

    @property
    def db(self) -> "Database":
        """The store as a sqlite-utils ``Database`` (migrations, tools); the store's own
        reads and writes go through ``conn``, so sqlite-utils is imported only when used."""
        if self._db is None:
            from sqlite_utils import Database
            self._db = Database(self.conn)
        return self._db

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.path}>"

    # --- transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls become savepoints.

        Everything inside commits together or not at all. sqlite3 errors come out as
        StoreError naming the store; other exceptions propagate unchanged (after the
        rollback).
        """
        conn = self.conn
        if conn.in_transaction:
            name = f"claimaudit_{next(_SAVEPOINTS)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        self._begin_immediate()
        try:
            yield conn
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"{self.path}: {_one_line(e)}") from e
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot commit: {_one_line(e)}") from e

    def _begin_immediate(self) -> None:
        for attempt in range(_BEGIN_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if not _busy(e):
                    raise StoreError(f"{self.path}: {_one_line(e)}") from e
                if attempt == _BEGIN_ATTEMPTS - 1:
                    raise StoreError(
                        f"{self.path}: the store is locked by another process "
                        "(wait for it to finish, or use another --db)"
                    ) from e
                time.sleep(0.5 * (attempt + 1))

    # --- runs -----------------------------------------------------------------------

    def start_run(self, command: str, sources: list[str]) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO runs (started_at, command, sources, status) VALUES (?, ?, ?, 'running')",
                [_now(), command, _json(list(sources))],
            )
            return cur.lastrowid

    def finish_run(self, run_id: int, *, articles_new: int, articles_seen: int, claims: int,
                   figures: int, errors: list[dict]) -> None:
        with self.transaction():
            self.conn.execute(
                """UPDATE runs SET finished_at = ?, articles_new = ?, articles_seen = ?,
                   claims = ?, figures = ?, errors = ?, status = ? WHERE id = ?""",
                [_now(), articles_new, articles_seen, claims, figures, _json(list(errors)),
                 "errors" if errors else "ok", run_id],
            )

    def runs(self, *, limit: int | None = None) -> list[dict]:
        """Ingest runs, newest first, with ``sources`` and ``errors`` decoded."""
        sql = "SELECT * FROM runs ORDER BY id DESC"
        params: list = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        out = []
        for row in self._rows(sql, params):
            row["sources"] = _unjson(row["sources"], [])
            row["errors"] = _unjson(row["errors"], [])
            out.append(row)
        return out

    # --- articles -------------------------------------------------------------------

    def find_article(self, *, content_hash: str | None = None, url: str | None = None) -> int | None:
        """The id of an article with this content hash, else with this url, canonical url
        or source (the URL it was fetched from, which may differ from its canonical)."""
        if content_hash is not None:
            row = self.conn.execute("SELECT id FROM articles WHERE content_hash = ?",
                                  [content_hash]).fetchone()
            if row:
                return row[0]
        if url is not None:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE url = ? OR canonical_url = ? OR source = ? "
                "ORDER BY id LIMIT 1", [url, url, url]).fetchone()
            if row:
                return row[0]
        return None

    def has_url(self, url: str) -> bool:
        return self.find_article(url=url) is not None

    def add_article(self, article: Article, claims: list[Claim], *,
                    run_id: int | None = None) -> tuple[int, bool]:
        """Store an article and its claims in one transaction.

        Returns ``(article_id, True)``, or ``(existing_id, False)`` without writing
        anything when an article with the same content hash is already stored.
        """
        chash = article.content_hash
        try:
            return self._add_article(article, claims, chash, run_id)
        except (StoreError, sqlite3.IntegrityError) as e:
            # The look-up and the insert share one BEGIN IMMEDIATE transaction, so a
            # concurrent ingest of the same text waits and then finds it; should another
            # writer still get in first, the UNIQUE content_hash makes it "seen", not an error.
            cause = e if isinstance(e, sqlite3.IntegrityError) else e.__cause__
            if not (isinstance(cause, sqlite3.IntegrityError)
                    and "content_hash" in str(cause)):
                raise
            existing = self.find_article(content_hash=chash)
            if existing is None:
                raise
            return existing, False

    def _add_article(self, article: Article, claims: list[Claim], chash: str,
                     run_id: int | None) -> tuple[int, bool]:
        with self.transaction():
            row = self.conn.execute("SELECT id FROM articles WHERE content_hash = ?",
                                  [chash]).fetchone()
            if row:
                return row[0], False
            article_id = self._insert_article({
                "content_hash": chash,
                "text": article.text,
                "url": article.url,
                "canonical_url": getattr(article, "canonical_url", None),
                "outlet": article.outlet,
                "title": article.title,
                "published": article.published,
                "author": article.author,
                "source": article.source,
                "encoding": article.encoding,
                "ext_id": None if article.id is None else str(article.id),
                "ingested_at": _now(),
                "run_id": run_id,
            })
            speakers: dict[str, Optional[int]] = {}
            for i, claim in enumerate(claims):
                self._add_claim(article_id, i, claim, speakers)
            return article_id, True

    def _add_claim(self, article_id: int, index: int, claim: Claim,
                   speakers: dict[str, Optional[int]]) -> int:
        sp = claim.speaker
        claim_id = self._insert_claim(_claim_row(
            article_id, index, claim, self._speaker_id(sp, speakers) if sp else None))
        figure_ids = [self._insert_figure(_figure_row(f, claim_id, article_id))
                      for f in claim.figures]
        for oseq, origin in enumerate(claim.origin):
            osp = origin.speaker
            row = _origin_row(claim_id, oseq, origin,
                              self._speaker_id(osp, speakers) if osp else None)
            for figure_id in figure_ids or [None]:
                self._insert_origin({**row, "figure_id": figure_id})
        return claim_id

    # One method per table so tests (and callers) can intercept a single insert.
    def _insert(self, table: str, row: dict) -> int:
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        return cur.lastrowid

    def _insert_article(self, row: dict) -> int:
        return self._insert("articles", row)

    def _insert_claim(self, row: dict) -> int:
        return self._insert("claims", row)

    def _insert_figure(self, row: dict) -> int:
        return self._insert("figures", row)

    def _insert_origin(self, row: dict) -> int:
        return self._insert("origins", row)

    # --- batched writing ------------------------------------------------------------

    def add_articles(self, pairs, *, run_id: int | None = None, debug: bool = False
                     ) -> list[tuple[Optional[int], bool, Optional[Exception]]]:
        """Store many ``(article, claims)`` pairs in one transaction; each article is
        written inside its own SAVEPOINT.

        Returns ``(article_id, created, error)`` per pair, in order, once the batch is
        committed: ``(id, True, None)`` stored now, ``(id, False, None)`` already stored
        (same content hash), ``(None, False, exc)`` this article could not be written and
        was rolled back alone (the others are committed). With ``debug`` that exception is
        raised instead. An error that is not the article's own (the disk is full, the
        store is locked, the transaction was lost) rolls back the whole batch and is
        raised as StoreError: a committed batch is always whole, a lost one leaves nothing.

        Writes the same rows ``add_article`` would, with the same ids (assigned here in
        the same order, so claims, figures and origins go in with ``executemany``)."""
        pairs = list(pairs)
        if not pairs:
            return []
        out: list[tuple[Optional[int], bool, Optional[Exception]]] = []
        with self.transaction():
            batch = _Batch(self.conn)
            for article, claims in pairs:
                out.append(self._add_in_batch(batch, article, claims, run_id, debug))
        return out

    def _add_in_batch(self, b: "_Batch", article: Article, claims: list[Claim],
                      run_id: int | None, debug: bool
                      ) -> tuple[Optional[int], bool, Optional[Exception]]:
        conn = self.conn
        mark = b.mark()
        conn.execute("SAVEPOINT claimaudit_article")
        try:
            result = self._write_in_batch(b, article, claims, run_id)
        except BaseException as e:
            if not conn.in_transaction:     # RAISE(ROLLBACK) and the like: the batch is gone
                if isinstance(e, sqlite3.Error):
                    raise StoreError(f"{self.path}: {_one_line(e)} (the batch was rolled "
                                     "back)") from e
                raise
            conn.execute("ROLLBACK TO SAVEPOINT claimaudit_article")
            conn.execute("RELEASE SAVEPOINT claimaudit_article")
            b.reset(mark)
            if isinstance(e, sqlite3.IntegrityError) and "content_hash" in str(e):
                existing = self.find_article(content_hash=article.content_hash)
                if existing is not None:
                    return existing, False, None
            if isinstance(e, sqlite3.OperationalError) or not isinstance(e, Exception) \
                    or debug:
                raise                       # not this article's fault: the whole batch
            return None, False, e
        conn.execute("RELEASE SAVEPOINT claimaudit_article")
        return result

    def _write_in_batch(self, b: "_Batch", article: Article, claims: list[Claim],
                        run_id: int | None) -> tuple[int, bool, None]:
        execute = self.conn.execute
        chash = article.content_hash
        row = execute("SELECT id FROM articles WHERE content_hash = ?", [chash]).fetchone()
        if row:
            return row[0], False, None
        article_id = b.articles = b.articles + 1
        execute(_ARTICLE_SQL, [
            article_id, chash, article.text, article.url,
            getattr(article, "canonical_url", None), article.outlet, article.title,
            article.published, article.author, article.source, article.encoding,
            None if article.id is None else str(article.id), _now(), run_id])
        claim_rows, figure_rows, origin_rows = [], [], []
        speakers: dict[str, Optional[int]] = {}
        for i, claim in enumerate(claims):
            sp = claim.speaker
            claim_id = b.claims = b.claims + 1
            claim_rows.append((claim_id, *_claim_row(
                article_id, i, claim, self._speaker_id(sp, speakers, b.seen, b.speakers)
                if sp else None).values()))
            figure_ids = []
            for f in claim.figures:
                figure_id = b.figures = b.figures + 1
                figure_ids.append(figure_id)
                figure_rows.append((figure_id, *_figure_row(f, claim_id, article_id).values()))
            for oseq, origin in enumerate(claim.origin):
                osp = origin.speaker
                base = tuple(_origin_row(claim_id, oseq, origin, self._speaker_id(
                    osp, speakers, b.seen, b.speakers) if osp else None).values())
                for figure_id in figure_ids or [None]:
                    b.origins += 1
                    origin_rows.append((b.origins, *base, figure_id))
        if claim_rows:
            self.conn.executemany(b.sql("claims", claim_rows, _claim_row), claim_rows)
        if figure_rows:
            self.conn.executemany(b.sql("figures", figure_rows, _figure_row), figure_rows)
        if origin_rows:
            self.conn.executemany(b.sql("origins", origin_rows, _origin_row), origin_rows)
        return article_id, True, None

    def article(self, article_id: int) -> dict | None:
        rows = self._rows(
            """SELECT a.*,
                 (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims,
                 (SELECT count(*) FROM figures f WHERE f.article_id = a.id) AS figures
               FROM articles a WHERE a.id = ?""", [article_id])
        return rows[0] if rows else None

    def articles(self, *, outlet: str | None = None, since: str | None = None,
                 limit: int | None = None) -> list[dict]:
        """Stored articles, oldest published first (undated last)."""
        where, params = [], []
        _outlet_since(where, params, outlet, since)
        sql = """SELECT a.id, a.url, a.outlet, a.title, a.published, a.ingested_at,
                   a.content_hash, a.ext_id,
                   (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims,
                   (SELECT count(*) FROM figures f WHERE f.article_id = a.id) AS figures
                 FROM articles a"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published, a.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    # --- speakers -------------------------------------------------------------------

    @staticmethod
    def speaker_key(name: str, kind: str | None = None) -> str:
        """A normalised identity key: accents folded, lowercase, punctuation dropped,
        leading titles and "the" stripped (titles are kept for ``kind="body"``, so
        "General Motors" stays itself)."""
        return _speaker_key(name, kind)

    def _speaker_id(self, ref: SpeakerRef, cache: dict[str, Optional[int]],
                    seen: Optional[set] = None,
                    stable: Optional[dict[str, int]] = None) -> Optional[int]:
        """Get or create the speaker for a reference; add its alias and role rows.
        ``cache``: speaker key -> id for one article. A batch also passes ``stable``: the
        keys that have a speaker row of their own (true for the whole transaction; a key
        resolved to another spelling's speaker is not, as a later name can make it
        ambiguous) and ``seen``: alias and role rows written. The batch clears both when
        it rolls an article back."""
        name = (ref.name or "").strip()
        if ref.kind == "pronoun" and name.casefold() == (ref.text or "").strip().casefold():
            return None                   # an unresolved "he"/"she" is nobody in particular
        kind = _speaker_kind(ref.kind)
        key = _speaker_key(name, kind)
        if not key:
            return None
        if key in cache:
            speaker_id = cache[key]
        elif stable is not None and key in stable:
            speaker_id = cache[key] = stable[key]
        else:
            row = self.conn.execute("SELECT id FROM speakers WHERE key = ?", [key]).fetchone()
            if row:
                speaker_id = row[0]
                if stable is not None:
                    stable[key] = speaker_id
            else:
                speaker_id = self._same_person(name, kind)
                if not speaker_id:
                    speaker_id = self.conn.execute(
                        "INSERT INTO speakers (name, kind, key, ident) VALUES (?, ?, ?, ?)",
                        [name, kind, key, identity_surname(name)]).lastrowid
                    if stable is not None:
                        stable[key] = speaker_id
            cache[key] = speaker_id
        aliases = {name}
        text = (ref.text or "").strip()
        if text and ref.kind != "pronoun":
            aliases.add(text)
        for alias in sorted(aliases):
            if seen is not None:
                if (speaker_id, alias) in seen:
                    continue
                seen.add((speaker_id, alias))
            self.conn.execute(
                "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias) VALUES (?, ?)",
                [speaker_id, alias])
        role = (ref.role or "").strip()
        if role and not (seen is not None and (speaker_id, None, role) in seen):
            if seen is not None:
                seen.add((speaker_id, None, role))
            self.conn.execute(
                "INSERT OR IGNORE INTO speaker_roles (speaker_id, role) VALUES (?, ?)",
                [speaker_id, role])
        return speaker_id

    def _same_person(self, name: str, kind: str) -> Optional[int]:
        """An existing person this name is another spelling of (Andrei/Andrey Belousov,
        Zelensky/Zelenskyy), or the one full name a bare surname fits. A different first
        name is a different person. A fuller spelling becomes the canonical name."""
        if kind != "person":
            return None
        ident = identity_surname(name)
        if len(ident) < 3:
            return None
        rows = self.conn.execute(
            "SELECT id, name FROM speakers WHERE ident = ? AND kind = 'person' AND "
            "merged_into IS NULL ORDER BY id", [ident]).fetchall()
        fits = [(sid, n) for sid, n in rows if same_speaker(name, n)]
        if len(name.split()) == 1 and len({n for _, n in fits if len(n.split()) > 1}) > 1:
            return None               # "Smith" with two known Smiths: ambiguous
        if not fits:
            return None
        sid, old = fits[0]
        if len(name.split()) > len(old.split()):
            self.conn.execute("UPDATE speakers SET name = ? WHERE id = ?", [name, sid])
        return sid

    def find_speaker(self, query: str) -> int:
        """The one speaker ``query`` names (id, name, alias or surname); StoreError when
        none or several fit."""
        merges = self._merge_map()
        ids = {merges.get(s, s) for s in self._speaker_ids_matching(query, merges)}
        if not ids:
            raise StoreError(f"no speaker matches {query!r} (see `claimaudit speakers`)")
        if len(ids) > 1:
            names = ", ".join(sorted(self._speaker_names(ids).values()))
            raise StoreError(f"{query!r} matches several speakers ({names}); use a fuller name")
        return ids.pop()

    def merge_speakers(self, into: str, other: str) -> tuple[str, str]:
        """Record that ``other`` is the same speaker as ``into``. Kept as a row
        (``merged_into``), so it survives re-ingest: later mentions of ``other`` find its
        row and follow the merge. Returns (kept name, merged name)."""
        keep, gone = self.find_speaker(into), self.find_speaker(other)
        if keep == gone:
            raise StoreError(f"{into!r} and {other!r} are already one speaker")
        with self.transaction():
            self.conn.execute("UPDATE speakers SET merged_into = ? WHERE id = ?", [keep, gone])
            self.conn.execute("UPDATE speakers SET merged_into = ? WHERE merged_into = ?",
                            [keep, gone])
        names = self._speaker_names([keep, gone])
        return names[keep], names[gone]

    def split_speaker(self, query: str) -> list[str]:
        """Undo merges: every speaker merged into the one ``query`` names stands alone
        again (or, when ``query`` names an alias that was merged, just that one)."""
        merges = self._merge_map()
        q = query.strip()
        direct = [r[0] for r in self.conn.execute(
            "SELECT id FROM speakers WHERE merged_into IS NOT NULL AND "
            "(lower(name) = lower(?) OR key = ?)", [q, _speaker_key(q)]).fetchall()]
        if not direct:
            root = self.find_speaker(query)
            direct = [s for s, r in merges.items() if r == root]
        if not direct:
            raise StoreError(f"{query!r} has no merged speakers to split off")
        with self.transaction():
            for sid in direct:
                self.conn.execute("UPDATE speakers SET merged_into = NULL WHERE id = ?", [sid])
        return sorted(self._speaker_names(direct).values())

    def _merge_map(self) -> dict[int, int]:
        """speaker id -> the id it is (transitively) merged into, for merged speakers."""
        direct = dict(self.conn.execute(
            "SELECT id, merged_into FROM speakers WHERE merged_into IS NOT NULL").fetchall())
        roots: dict[int, int] = {}
        for sid in direct:
            seen = {sid}
            cur = direct[sid]
            while cur in direct and direct[cur] not in seen:
                seen.add(cur)
                cur = direct[cur]
            roots[sid] = cur
        return roots

    def _speaker_ids_matching(self, query: str, merges: dict[int, int]) -> set[int]:
        """Speakers (and everything merged with them) whose canonical name, alias or
        surname matches ``query`` case-insensitively (accents and titles ignored)."""
        q = query.strip()
        if not q:
            return set()
        key = _speaker_key(q)
        params = {
            "ql": q.casefold(),
            "k": key,
            "surname": "% " + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"),
        }
        matched = {r[0] for r in self.conn.execute(
            r"""SELECT id FROM speakers
                 WHERE lower(name) = :ql
                    OR (:k != '' AND (key = :k OR claimaudit_key(name) = :k
                                      OR key LIKE :surname ESCAPE '\'))
                UNION
                SELECT speaker_id FROM speaker_aliases
                 WHERE lower(alias) = :ql OR (:k != '' AND claimaudit_key(alias) = :k)""",
            params).fetchall()}
        roots = {merges.get(s, s) for s in matched}
        group = set(roots)
        group.update(s for s, root in merges.items() if root in roots)
        return group

    def speakers(self) -> list[dict]:
        """Canonical speakers (merged ones folded into their target), busiest first."""
        merges = self._merge_map()
        root = lambda sid: merges.get(sid, sid)  # noqa: E731
        out: dict[int, dict] = {}
        for row in self._rows("SELECT id, name, kind, key FROM speakers ORDER BY id"):
            if row["id"] in merges:
                continue
            out[row["id"]] = {"id": row["id"], "name": row["name"], "kind": row["kind"],
                              "key": row["key"], "aliases": [], "roles": [], "merged": [],
                              "articles": 0, "claims": 0, "figures": 0, "origins": 0}
        for sid in merges:
            if root(sid) in out:
                out[root(sid)]["merged"].append(sid)
        for sid, alias in self.conn.execute(
                "SELECT speaker_id, alias FROM speaker_aliases ORDER BY id").fetchall():
            s = out.get(root(sid))
            if s is not None and alias not in s["aliases"]:
                s["aliases"].append(alias)
        for sid, role in self.conn.execute(
                "SELECT speaker_id, role FROM speaker_roles ORDER BY rowid").fetchall():
            s = out.get(root(sid))
            if s is not None and role not in s["roles"]:
                s["roles"].append(role)
        articles: dict[int, set] = {}
        for sid, aid, n in self.conn.execute(
                """SELECT speaker_id, article_id, count(*) FROM claims
                   WHERE speaker_id IS NOT NULL GROUP BY speaker_id, article_id""").fetchall():
            s = out.get(root(sid))
            if s is not None:
                s["claims"] += n
                articles.setdefault(s["id"], set()).add(aid)
        for sid, aids in articles.items():
            out[sid]["articles"] = len(aids)
        for sid, n in self.conn.execute(
                """SELECT c.speaker_id, count(*) FROM figures f JOIN claims c ON c.id = f.claim_id
                   WHERE c.speaker_id IS NOT NULL GROUP BY c.speaker_id""").fetchall():
            s = out.get(root(sid))
            if s is not None:
                s["figures"] += n
        for sid, n in self.conn.execute(
                """SELECT speaker_id, count(*) FROM (SELECT DISTINCT speaker_id, claim_id, seq
                   FROM origins WHERE speaker_id IS NOT NULL) GROUP BY speaker_id""").fetchall():
            s = out.get(root(sid))
            if s is not None:
                s["origins"] += n
        return sorted(out.values(), key=lambda s: (-s["claims"], -s["origins"],
                                                   s["name"].casefold(), s["id"]))

    def _speaker_names(self, ids) -> dict[int, str]:
        return dict(self.conn.execute(
            "SELECT id, name FROM speakers WHERE id IN (SELECT value FROM json_each(?))",
            [_ids(ids)]).fetchall())

    # --- claims ---------------------------------------------------------------------

    def claims(self, *, speaker: str | None = None, outlet: str | None = None,
               since: str | None = None, search: str | None = None,
               article_id: int | None = None, with_figures: bool | None = None,
               limit: int | None = None) -> list[dict]:
        """Stored claims in ``Claim.to_dict()`` shape plus ``seq`` and ``article``.

        Ordered by article publication (undated last), article id, position. ``since``
        compares with the article's ``published``; ``search`` is full-text on the
        claim's content (each word must occur; ``word*`` is a prefix).
        """
        merges = self._merge_map()
        where, params = [], []
        if speaker is not None:
            ids = self._speaker_ids_matching(speaker, merges)
            if not ids:
                return []
            where.append("c.speaker_id IN (SELECT value FROM json_each(?))")
            params.append(_ids(ids))
        _outlet_since(where, params, outlet, since)
        if search is not None and search.strip():
            query = _fts_query(search)
            if not query:
                return []
            where.append("c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)")
            params.append(query)
        if article_id is not None:
            where.append("c.article_id = ?")
            params.append(article_id)
        if with_figures is not None:
            where.append(("" if with_figures else "NOT ")
                         + "EXISTS (SELECT 1 FROM figures f WHERE f.claim_id = c.id)")
        sql = """SELECT c.*, a.url AS a_url, a.outlet AS a_outlet, a.published AS a_published,
                        a.title AS a_title, a.source AS a_source, a.ext_id AS a_ext_id
                 FROM claims c JOIN articles a ON a.id = c.article_id"""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published, a.id, c.seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        rows = self._rows(sql, params)
        if not rows:
            return []
        claim_ids = _ids(r["id"] for r in rows)
        figures: dict[int, list[dict]] = {}
        for f in self._rows("""SELECT * FROM figures WHERE claim_id IN
                               (SELECT value FROM json_each(?)) ORDER BY claim_id, id""",
                            [claim_ids]):
            figures.setdefault(f["claim_id"], []).append(f)
        origins = self._origin_rows(claim_ids)
        speaker_ids = {r["speaker_id"] for r in rows}
        speaker_ids |= {o["speaker_id"] for os_ in origins.values() for o in os_}
        names = self._speaker_names(merges.get(s, s) for s in speaker_ids if s is not None)
        out = []
        for r in rows:
            d = {
                "id": r["id"],
                "seq": r["seq"],
                "speaker": _speaker_dict(r, merges, names),
                "cue": {"text": r["cue_text"], "span": _span(r["cue_start"], r["cue_end"])},
                "content": {"text": r["content_text"],
                            "span": _span(r["content_start"], r["content_end"])},
                "kind": r["kind"],
                "stated_on": _date_dict(r, "stated_on"),
                "figures": [_figure_dict(f) for f in figures.get(r["id"], [])],
                "origin": [_origin_dict(o, merges, names) for o in origins.get(r["id"], [])],
                "article": {"id": r["article_id"], "url": r["a_url"], "outlet": r["a_outlet"],
                            "published": r["a_published"], "title": r["a_title"],
                            "source": r["a_source"], "ext_id": r["a_ext_id"]},
            }
            spans = _unjson(r["content_spans"])
            if spans:
                d["content"]["spans"] = spans
            out.append(d)
        return out

    def _origin_rows(self, claim_ids_json: str, per_figure: bool = False) -> dict[int, list[dict]]:
        """Origin rows by claim id, one per (claim, seq) - the per-figure copies folded."""
        out: dict[int, list[dict]] = {}
        seen: set = set()
        for o in self._rows("""SELECT * FROM origins WHERE claim_id IN
                               (SELECT value FROM json_each(?)) ORDER BY claim_id, seq, id""",
                            [claim_ids_json]):
            ident = (o["claim_id"], o["seq"], o["figure_id"] if per_figure else None)
            if ident in seen:
                continue
            seen.add(ident)
            out.setdefault(o["claim_id"], []).append(o)
        return out

    def figures_for_grouping(self, *, since_figure_id: int = 0,
                             ids: Optional[list[int]] = None,
                             limit: Optional[int] = None) -> list[dict]:
        """Every figure with id > since_figure_id (or with one of ``ids``), with its claim,
        article, speaker and origins, ordered by figure id; at most ``limit`` of them."""
        merges = self._merge_map()
        rows = self._rows(
            """SELECT f.*, c.seq AS c_seq, c.kind AS c_kind, c.speaker_id AS speaker_id,
                      c.speaker_text, c.speaker_start, c.speaker_end, c.role,
                      c.cue_text, c.cue_start, c.cue_end,
                      c.content_text, c.content_start, c.content_end,
                      c.stated_on, c.stated_on_precision, c.stated_on_text,
                      c.stated_on_start, c.stated_on_end,
                      a.published AS a_published, a.outlet AS a_outlet, a.url AS a_url,
                      a.title AS a_title, a.source AS a_source
               FROM figures f JOIN claims c ON c.id = f.claim_id
                              JOIN articles a ON a.id = f.article_id
               WHERE """ + ("f.id IN (SELECT value FROM json_each(?)) AND f.id > ?"
                            if ids is not None else "f.id > ?") + """
               ORDER BY f.id""" + (" LIMIT ?" if limit else ""),
            ([_ids(ids)] if ids is not None else []) + [since_figure_id]
            + ([limit] if limit else []))
        if not rows:
            return []
        origins = self._origin_rows(_ids(r["claim_id"] for r in rows), per_figure=True)
        speaker_ids = {r["speaker_id"] for r in rows}
        speaker_ids |= {o["speaker_id"] for os_ in origins.values() for o in os_}
        names = self._speaker_names(merges.get(s, s) for s in speaker_ids if s is not None)
        out = []
        for r in rows:
            d = _figure_dict(r)
            d["number_span"] = _span(r["number_start"], r["number_end"])
            if d["period"] is not None:
                d["period"]["carried"] = bool(r["period_carried"])
            d["claim"] = {
                "id": r["claim_id"], "seq": r["c_seq"], "kind": r["c_kind"],
                "cue": {"text": r["cue_text"], "span": _span(r["cue_start"], r["cue_end"])},
                "content": {"text": r["content_text"],
                            "span": _span(r["content_start"], r["content_end"])},
                "stated_on": _date_dict(r, "stated_on"),
            }
            d["article"] = {"id": r["article_id"], "published": r["a_published"],
                            "outlet": r["a_outlet"], "url": r["a_url"], "title": r["a_title"],
                            "source": r["a_source"]}
            d["speaker"] = _speaker_dict(r, merges, names)
            own, seen = [], set()
            for o in origins.get(r["claim_id"], []):
                if o["figure_id"] in (None, r["id"]) and o["seq"] not in seen:
                    seen.add(o["seq"])
                    own.append(_origin_dict(o, merges, names))
            d["origins"] = own
            out.append(d)
        return out

    # --- groups ---------------------------------------------------------------------

    def replace_groups(self, groups: list[dict]) -> None:
        """Replace every figure group and membership in one transaction. A group's
        ``bins`` are its value bins ((first, last), or None for any value); a group given
        without them is found for every figure of its kind. ``size`` (default: its
        members), ``earliest_figure_id`` and ``state`` (grouping's summary of it, JSON)
        are kept with it; a group without a ``state`` is summarised from its members when
        grouping next needs it."""
        now = _now()
        with self.transaction():
            # m006's report summaries: left alone by the members' triggers while
            # figure_group_bulk holds a row, rebuilt whole below (one pass, not per member)
            self.conn.execute("INSERT OR IGNORE INTO figure_group_bulk (held) VALUES (1)")
            self.conn.execute("DELETE FROM figure_group_state")
            for table in ("figure_group_order", "figure_group_outlets",
                          "figure_group_flag_counts", "figure_group_origins"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM figure_group_bins")
            self.conn.execute("DELETE FROM figure_group_members")
            self.conn.execute("DELETE FROM figure_groups")
            members, bins, states = [], [], []
            for g in groups:
                period = g.get("period")
                group_id = self._insert("figure_groups", {
                    "key": g.get("key"), "label": g.get("label"), "metric": g.get("metric"),
                    "subject": g.get("subject"),
                    "period": period if period is None or isinstance(period, str) else _json(period),
                    "value": g.get("value"), "low": g.get("low"), "high": g.get("high"),
                    "created_at": now,
                    "size": g.get("size", len(g.get("members", []))),
                    "earliest_figure_id": g.get("earliest_figure_id"),
                })
                members.extend((group_id, m["figure_id"], _json(list(m.get("flags") or [])))
                               for m in g.get("members", []))
                bins.extend((group_id, g.get("key") or "", b) for b in _bin_list(g))
                if g.get("state") is not None:
                    states.append((group_id, *g["state"]))
            self.conn.executemany(
                "INSERT INTO figure_group_members (group_id, figure_id, flags) VALUES (?, ?, ?)",
                members)
            self.conn.executemany(
                "INSERT INTO figure_group_bins (group_id, kind, bin) VALUES (?, ?, ?)", bins)
            self.conn.executemany(
                "INSERT INTO figure_group_state (group_id, version, place, flag) "
                "VALUES (?, ?, ?, ?)", states)
            for sql in _migrations.digest_rebuild_sql():
                self.conn.execute(sql)
            self.conn.execute("DELETE FROM figure_group_bulk")

    def last_grouped_figure_id(self) -> int:
        """The newest figure already placed in a group (0 when none): grouping goes on
        from there."""
        return self.conn.execute(
            "SELECT coalesce(max(figure_id), 0) FROM figure_group_members").fetchone()[0]

    def has_ungrouped_figures(self) -> bool:
        """Whether a figure with a value was stored after the last grouping (a run killed
        between storing and grouping leaves some)."""
        return bool(self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM figures WHERE id > ? AND value IS NOT NULL)",
            [self.last_grouped_figure_id()]).fetchone()[0])

    def groups_near(self, wanted: list[tuple[str, str, Optional[tuple[int, int]]]]
                    ) -> list[dict]:
        """Stored groups that new figures could join: for each (first key, last key,
        value bins) wanted, the groups whose key lies between the two (one key, or every
        subject of a kind) and whose value bins meet those (None: any value). By id, as
        {"id", "key", "version", "place", "flag", "bins"}: grouping's summary of the group
        (``match.Group.state``: its version, its two JSON texts; None when it has none) and
        its value bins ((first, last), None for any value), not its members
        (``members_of``)."""
        ids: set[int] = set()
        for lo, hi, span in sorted(set(wanted), key=lambda w: (w[0], w[1], w[2] or (0, 0))):
            first, last = span if span is not None else (_WIDE, 2 ** 62)
            if lo == hi:                        # one key: (kind, bin) ranges of the index
                sql = ("SELECT group_id FROM figure_group_bins WHERE kind = ? AND bin "
                       "BETWEEN ? AND ? UNION SELECT group_id FROM figure_group_bins "
                       "WHERE kind = ? AND bin = ?")
                params = [lo, first, last, lo, _WIDE]
            else:
                sql = ("SELECT group_id FROM figure_group_bins WHERE kind BETWEEN ? AND ? "
                       "AND (bin BETWEEN ? AND ? OR bin = ?)")
                params = [lo, hi, first, last, _WIDE]
            ids.update(r[0] for r in self.conn.execute(sql, params))
        if not ids:
            return []
        bins = {gid: (lo, hi) for gid, lo, hi in self.conn.execute(
            "SELECT group_id, min(bin), max(bin) FROM figure_group_bins WHERE group_id IN "
            "(SELECT value FROM json_each(?)) GROUP BY group_id", [_ids(ids)])}
        return [{"id": gid, "key": key, "version": version, "place": place, "flag": flag,
                 "bins": None if bins.get(gid, (_WIDE,))[0] == _WIDE else bins[gid]}
                for gid, key, version, place, flag in self.conn.execute(
                    "SELECT g.id, g.key, s.version, s.place, s.flag FROM figure_groups g "
                    "LEFT JOIN figure_group_state s ON s.group_id = g.id "
                    "WHERE g.id IN (SELECT value FROM json_each(?)) ORDER BY g.id",
                    [_ids(ids)])]

    def members_of(self, group_ids) -> dict[int, list[dict]]:
        """The members ({"figure_id", "flags"}, stored order) of these groups, by group."""
        out: dict[int, list[dict]] = {}
        for gid, fid, flags in self.conn.execute(
                "SELECT group_id, figure_id, flags FROM figure_group_members "
                "WHERE group_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
                [_ids(group_ids)]):
            out.setdefault(gid, []).append({"figure_id": fid, "flags": _unjson(flags, [])})
        return out

    def save_groups(self, groups: list[dict]) -> None:
        """Insert or update these groups, the members given (members not given are
        left as they are), the groups' value bins, ``size`` (default: counted),
        ``earliest_figure_id`` and ``state`` (grouping's summary), in one transaction
        (the incremental counterpart of ``replace_groups``)."""
        now = _now()
        with self.transaction():
            for g in groups:
                period = g.get("period")
                row = {"key": g.get("key"), "label": g.get("label"), "metric": g.get("metric"),
                       "subject": g.get("subject"),
                       "period": period if period is None or isinstance(period, str)
                       else _json(period),
                       "value": g.get("value"), "low": g.get("low"), "high": g.get("high"),
                       "size": g.get("size"), "earliest_figure_id": g.get("earliest_figure_id")}
                exists = self.conn.execute("SELECT 1 FROM figure_groups WHERE id = ?",
                                         [g["id"]]).fetchone()
                if exists:
                    self.conn.execute(
                        "UPDATE figure_groups SET key = :key, label = :label, metric = :metric, "
                        "subject = :subject, period = :period, value = :value, low = :low, "
                        "high = :high, size = :size, earliest_figure_id = :earliest_figure_id "
                        "WHERE id = :id", {**row, "id": g["id"]})
                else:
                    self.conn.execute(
                        "INSERT INTO figure_groups (id, key, label, metric, subject, period, "
                        "value, low, high, created_at, size, earliest_figure_id) VALUES (:id, "
                        ":key, :label, :metric, :subject, :period, :value, :low, :high, "
                        ":created_at, :size, :earliest_figure_id)",
                        {**row, "id": g["id"], "created_at": now})
                self.conn.executemany(
                    "INSERT INTO figure_group_members (group_id, figure_id, flags) "
                    "VALUES (?, ?, ?) ON CONFLICT(figure_id) DO UPDATE SET "
                    "group_id = excluded.group_id, flags = excluded.flags",
                    [(g["id"], m["figure_id"], _json(list(m.get("flags") or [])))
                     for m in g.get("members", [])])
                if g.get("size") is None:
                    self.conn.execute(
                        "UPDATE figure_groups SET size = (SELECT count(*) FROM "
                        "figure_group_members WHERE group_id = ?) WHERE id = ?",
                        [g["id"], g["id"]])
                self.conn.execute("DELETE FROM figure_group_bins WHERE group_id = ?", [g["id"]])
                self.conn.executemany(
                    "INSERT INTO figure_group_bins (group_id, kind, bin) VALUES (?, ?, ?)",
                    [(g["id"], g.get("key") or "", b) for b in _bin_list(g)])
                if g.get("state") is not None:
                    self.conn.execute("INSERT OR REPLACE INTO figure_group_state (group_id, "
                                    "version, place, flag) VALUES (?, ?, ?, ?)",
                                    [g["id"], *g["state"]])
                else:                           # no longer what the members say
                    self.conn.execute("DELETE FROM figure_group_state WHERE group_id = ?",
                                    [g["id"]])

    def speakers_answering(self, who: str, accepts, patterns) -> tuple[set[int], set[str]]:
        """For ``report --speaker``: the speaker ids whose (canonical, merges followed)
        name ``accepts(who, name)``, with every speaker merged into them, and the names of
        claims and origins credited to no stored speaker (an unresolved "he") it accepts.
        ``patterns`` (``match.speaker_patterns``) narrow the names read: (surname, LIKE
        patterns), or None to read them all."""
        merges = self._merge_map()
        if patterns is None:
            rows = self.conn.execute(
                "SELECT id, name FROM speakers WHERE merged_into IS NULL").fetchall()
        else:
            surname, likes = patterns
            where = " OR ".join(["name LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\'"] * len(likes))
            rows = self.conn.execute(
                f"SELECT id, name FROM speakers WHERE merged_into IS NULL AND "
                f"(ident = ? OR {where})",
                [surname] + [p for like in likes for p in (like, like)]).fetchall()
        roots = {sid for sid, name in rows if accepts(who, name)}
        ids = set(roots) | {s for s, root in merges.items() if root in roots}
        texts = {t for (t,) in self.conn.execute(
            """SELECT DISTINCT speaker_text FROM claims INDEXED BY idx_claims_unlinked_speaker
               WHERE speaker_id IS NULL AND speaker_text IS NOT NULL
               UNION SELECT DISTINCT speaker_text FROM origins
                     INDEXED BY idx_origins_unlinked_speaker
               WHERE speaker_id IS NULL AND speaker_text IS NOT NULL""").fetchall()
                 if accepts(who, t)}
        return ids, texts

    def report_group_sizes(self, *, speaker_ids: Optional[set[int]] = None,
                           speaker_texts: Optional[set[str]] = None,
                           metric: Optional[str] = None, outlet: Optional[str] = None,
                           since: Optional[str] = None, flags: Optional[list[str]] = None,
                           min_size: int = 1, group_id: Optional[int] = None
                           ) -> list[tuple[int, int]]:
        """(group id, members) of the groups a report's filters can match, by id: with a
        figure credited to (or naming as origin) one of ``speaker_ids`` / ``speaker_texts``,
        whose metric holds ``metric`` / from an outlet holding ``outlet`` (any case),
        published since ``since``, carrying one of ``flags``. Case folding is SQLite's
        (ASCII): the caller checks the groups it loads."""
        where, params = [], []

        def member_of(figures_sql: str, *args) -> None:
            where.append("id IN (SELECT group_id FROM figure_group_members "
                         f"WHERE figure_id IN ({figures_sql}))")
            params.extend(args)

        if group_id is not None:
            where.append("id = ?")
            params.append(group_id)
        if speaker_ids is not None or speaker_texts is not None:
            ids, texts = _ids(speaker_ids or ()), json.dumps(sorted(speaker_texts or ()))
            # figures credited to them: by the speaker kept with each grouped figure (m006),
            # one range of an index however many claims they have; then those naming them
            # as origin, and those of claims and origins credited to their unlinked names
            where.append(
                """(id IN (SELECT group_id FROM figure_group_order
                           INDEXED BY idx_figure_group_order_speaker
                           WHERE speaker_id IN (SELECT value FROM json_each(?))
                             AND speaker_id IS NOT NULL)
                    OR id IN (SELECT group_id FROM figure_group_members WHERE figure_id IN (
                   SELECT o.figure_id FROM origins o
                   WHERE o.speaker_id IN (SELECT value FROM json_each(?))
                   UNION ALL
                   SELECT f.id FROM claims c INDEXED BY idx_claims_unlinked_speaker
                                    JOIN figures f ON f.claim_id = c.id
                   WHERE c.speaker_id IS NULL AND c.speaker_text IS NOT NULL
                     AND c.speaker_text IN (SELECT value FROM json_each(?))
                   UNION ALL
                   SELECT o.figure_id FROM origins o INDEXED BY idx_origins_unlinked_speaker
                   WHERE o.speaker_id IS NULL AND o.speaker_text IS NOT NULL
                     AND o.speaker_text IN (SELECT value FROM json_each(?)))))""")
            params.extend([ids, ids, texts, texts])
        if metric:
            member_of("SELECT id FROM figures WHERE metric LIKE ? ESCAPE '\\'", _like(metric))
        if outlet:
            member_of("""SELECT f.id FROM figures f WHERE f.article_id IN
                         (SELECT id FROM articles WHERE outlet LIKE ? ESCAPE '\\')""",
                      _like(outlet))
        if since:
            member_of("""SELECT f.id FROM articles a JOIN figures f ON f.article_id = a.id
                         WHERE a.published >= ?""", since)
        if flags:
            where.append("id IN (SELECT group_id FROM figure_group_members WHERE "
                         + " OR ".join(["flags LIKE ? ESCAPE '\\'"] * len(flags)) + ")")
            params.extend(_like(json.dumps(f, ensure_ascii=False)) for f in flags)
        # sizes are kept with the groups (m005; every write sets them)
        sql = ("SELECT id, size FROM figure_groups WHERE size >= ?"
               + "".join(" AND " + w for w in where) + " ORDER BY id")
        return [(g, n) for g, n in
                self.conn.execute(sql, [max(1, int(min_size)), *params]).fetchall()]

    def group_heads(self, ids) -> list[dict]:
        """These groups without their members, by id."""
        return [_group_dict(g) for g in self._rows(
            "SELECT * FROM figure_groups WHERE id IN (SELECT value FROM json_each(?)) "
            "ORDER BY id", [_ids(ids)])]

    def member_flags(self, figure_ids) -> list[dict]:
        """(figure_id, group_id, flags) of these grouped figures."""
        return [{**m, "flags": _unjson(m["flags"], [])} for m in self._rows(
            "SELECT figure_id, group_id, flags FROM figure_group_members "
            "WHERE figure_id IN (SELECT value FROM json_each(?))", [_ids(figure_ids)])]

    def group_digest(self, group_id: int, earliest_id: int, rows: int,
                     serious: tuple[str, ...]) -> dict:
        """What a person's view of a large group needs, without reading its members:
        ``size``; ``outlets`` (distinct outlet, else URL, else article); ``flag_counts``;
        ``shown``, the ids of the earliest statement and the ``rows - 1`` others a
        capped view lists (those flagged with one of ``serious``, then the other flagged,
        then the rest; earliest in time first, see ``groups._when``); and ``origins``,
        every origin its figures name as (speaker name, stated_on, outlet, article id,
        time key of its figure), in no particular order. Read from the summaries
        migration m006 keeps per group (a few rows however large the group), whose
        order knows ``serious`` as report.SERIOUS (``DIGEST_SERIOUS``)."""
        if tuple(sorted(serious)) != DIGEST_SERIOUS:
            raise ValueError(f"group_digest orders by {DIGEST_SERIOUS}, not {serious}")
        size = self.conn.execute("SELECT size FROM figure_groups WHERE id = ?",
                                 [group_id]).fetchone()[0]
        outlets = self.conn.execute("SELECT count(*) FROM figure_group_outlets "
                                    "WHERE group_id = ?", [group_id]).fetchone()[0]
        flags = _migrations.FLAGS
        row = self.conn.execute(f"SELECT {', '.join(flags)} FROM figure_group_flag_counts "
                                "WHERE group_id = ?", [group_id]).fetchone() or [0] * len(flags)
        counts = {fl: n for fl, n in sorted(zip(flags, row)) if n}
        shown = [earliest_id] + [r[0] for r in self.conn.execute(
            """SELECT figure_id FROM figure_group_order INDEXED BY idx_figure_group_order
               WHERE group_id = ? AND figure_id != ?
               ORDER BY tier, at, pub, figure_id LIMIT ?""",
            [group_id, earliest_id, max(0, rows - 1)])]
        merges = self._merge_map()
        found = self._rows(
            """SELECT o.speaker_id, o.speaker_text, o.speaker_start, o.speaker_end, o.role,
                      o.stated_on, o.seq, f.id AS figure_id, a.outlet, a.id AS article_id,
                      c.stated_on AS c_stated_on, a.published AS a_published
               FROM figure_group_origins g JOIN origins o ON o.id = g.origin_id
                    JOIN figures f ON f.id = g.figure_id
                    JOIN claims c ON c.id = f.claim_id
                    JOIN articles a ON a.id = f.article_id
               WHERE g.group_id = ? ORDER BY f.id, o.seq, o.id""", [group_id])
        names = self._speaker_names({merges.get(o["speaker_id"], o["speaker_id"])
                                     for o in found if o["speaker_id"] is not None})
        origins, seen = [], set()
        for o in found:
            if (o["figure_id"], o["seq"]) in seen:
                continue
            seen.add((o["figure_id"], o["seq"]))
            pub = (o["a_published"] or "")[:10]
            origins.append({
                "speaker": (_speaker_dict(o, merges, names) or {}).get("name"),
                "stated_on": o["stated_on"], "outlet": o["outlet"],
                "article_id": o["article_id"],
                "when": (o["c_stated_on"] or pub or "9999", pub or "9999", o["figure_id"],
                         o["seq"])})
        return {"size": size, "outlets": outlets, "flag_counts": counts, "shown": shown,
                "origins": origins}

    def max_group_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM figure_groups").fetchone()[0]

    def groups(self) -> list[dict]:
        out: dict[int, dict] = {}
        for g in self._rows("SELECT * FROM figure_groups ORDER BY id"):
            out[g["id"]] = _group_dict(g)
        for m in self._rows("SELECT group_id, figure_id, flags FROM figure_group_members "
                            "ORDER BY group_id, rowid"):
            if m["group_id"] in out:
                out[m["group_id"]]["members"].append(
                    {"figure_id": m["figure_id"], "flags": _unjson(m["flags"], [])})
        return list(out.values())

    # --- feeds ----------------------------------------------------------------------

    def get_feed_state(self, url: str) -> dict | None:
        rows = self._rows("SELECT * FROM feeds WHERE url = ?", [url])
        return rows[0] if rows else None

    def set_feed_state(self, url: str, *, etag: str | None, last_modified: str | None,
                       title: str | None) -> None:
        """Record a fetch: etag/last_modified are replaced as given; a None title keeps
        the stored one."""
        with self.transaction():
            self.conn.execute(
                """INSERT INTO feeds (url, etag, last_modified, title, last_fetched_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,
                     last_modified = excluded.last_modified,
                     title = COALESCE(excluded.title, feeds.title),
                     last_fetched_at = excluded.last_fetched_at""",
                [url, etag, last_modified, title, _now()])

    # --- housekeeping ---------------------------------------------------------------

    def counts(self) -> dict:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "claims": one("SELECT count(*) FROM claims"),
            "figures": one("SELECT count(*) FROM figures"),
            "speakers": one("SELECT count(*) FROM speakers WHERE merged_into IS NULL"),
            "origins": one("SELECT count(*) FROM (SELECT DISTINCT claim_id, seq FROM origins)"),
            "runs": one("SELECT count(*) FROM runs"),
            "groups": one("SELECT count(*) FROM figure_groups"),
        }

    def integrity_check(self, max_errors: int = 100) -> str:
        """``"ok"``, else SQLite's findings (at most ``max_errors`` lines), or the error
        that stopped the check itself (a store too damaged to walk)."""
        try:
            rows = self.conn.execute(f"PRAGMA integrity_check({int(max_errors)})").fetchall()
        except sqlite3.DatabaseError as e:
            return _one_line(e)
        return "\n".join(str(r[0]) for r in rows)

    def schema_version(self) -> list[str]:
        """Names of the migrations applied to this store, in order."""
        return _migrations.applied_names(self.conn)

    def _rows(self, sql: str, params: Any = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        keys = [d[0] for d in cur.description]
        return [dict(zip(keys, row)) for row in cur.fetchall()]


# --- row <-> dict helpers -------------------------------------------------------------


_WIDE = -1_000_000        # match.WIDE: a group found for any value of its kind


def _group_dict(g: dict) -> dict:
    period = g["period"]
    if isinstance(period, str) and period[:1] in ("{", "["):
        period = _unjson(period, period)
    return {**g, "period": period, "members": []}


def _like(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') for "holds ``text``"."""
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


def _bin_list(g: dict) -> list[int]:
    span = g.get("bins")
    if span is None:
        return [_WIDE]
    return list(range(int(span[0]), int(span[1]) + 1))


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the store to WAL. The switch needs the file to itself and SQLite does not
    wait for it (no busy handler): processes opening a new store at the same moment
    retry, up to the busy timeout, until one has switched it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = wal")
            return
        except sqlite3.OperationalError as e:
            if not _busy(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _busy(e: sqlite3.OperationalError) -> bool:
    """Did SQLite refuse because another connection holds the lock ("database is locked",
    "database table is locked", SQLITE_BUSY)? Worth a retry, unlike other errors."""
    return "locked" in str(e) or "busy" in str(e)


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def _date_cols(ref: Optional[DateRef], prefix: str) -> dict:
    return {
        prefix: ref.date if ref else None,
        f"{prefix}_precision": ref.precision if ref else None,
        f"{prefix}_text": ref.text if ref else None,
        f"{prefix}_start": ref.span[0] if ref and ref.span else None,
        f"{prefix}_end": ref.span[1] if ref and ref.span else None,
    }


def _date_dict(row: dict, prefix: str) -> Optional[dict]:
    if row[prefix] is None:
        return None
    return {"date": row[prefix], "precision": row[f"{prefix}_precision"],
            "text": row[f"{prefix}_text"] or "",
            "span": _span(row[f"{prefix}_start"], row[f"{prefix}_end"])}


def _insert_sql(table: str, cols) -> str:
    names = ", ".join(f'"{c}"' for c in cols)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in cols)})'


_ARTICLE_SQL = _insert_sql("articles", (
    "id", "content_hash", "text", "url", "canonical_url", "outlet", "title", "published",
    "author", "source", "encoding", "ext_id", "ingested_at", "run_id"))


class _Batch:
    """The state of one batch transaction: the next row ids (read once the write lock is
    held: no other writer can take them), the speaker cache and the alias/role rows
    written. An article rolled back to its savepoint gives its ids back and clears the
    caches (they may name a speaker it created)."""

    def __init__(self, conn: sqlite3.Connection):
        top = conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM articles), "
            "(SELECT coalesce(max(id), 0) FROM claims), "
            "(SELECT coalesce(max(id), 0) FROM figures), "
            "(SELECT coalesce(max(id), 0) FROM origins)").fetchone()
        self.articles, self.claims, self.figures, self.origins = top
        self.speakers: dict[str, int] = {}     # keys with a speaker row of their own
        self.seen: set = set()
        self._sql: dict[str, str] = {}

    def mark(self) -> tuple[int, int, int, int]:
        return self.articles, self.claims, self.figures, self.origins

    def reset(self, mark: tuple[int, int, int, int]) -> None:
        self.articles, self.claims, self.figures, self.origins = mark
        self.speakers.clear()
        self.seen.clear()

    def sql(self, table: str, rows: list, row_fn) -> str:
        """The INSERT for ``table`` with an explicit id, columns in the order ``row_fn``
        builds them (origins get ``figure_id`` last)."""
        if table not in self._sql:
            cols = ["id", *_COLUMNS[table]]
            if table == "origins":
                cols.append("figure_id")
            assert len(cols) == len(rows[0]), (table, cols)
            self._sql[table] = _insert_sql(table, cols)
        return self._sql[table]


def _claim_row(article_id: int, index: int, claim: Claim, speaker_id: Optional[int]) -> dict:
    sp = claim.speaker
    spans = getattr(claim.content, "spans", None)
    return {
        "article_id": article_id,
        "seq": claim.id if isinstance(claim.id, int) else index,
        "speaker_id": speaker_id,
        "speaker_text": sp.text if sp else None,
        "speaker_start": sp.span[0] if sp and sp.span else None,
        "speaker_end": sp.span[1] if sp and sp.span else None,
        "role": sp.role if sp else None,
        "cue_text": claim.cue.text,
        "cue_start": claim.cue.span[0] if claim.cue.span else None,
        "cue_end": claim.cue.span[1] if claim.cue.span else None,
        "content_text": claim.content.text,
        "content_start": claim.content.span[0] if claim.content.span else None,
        "content_end": claim.content.span[1] if claim.content.span else None,
        "content_spans": _json([list(s) for s in spans]) if spans else None,
        "kind": claim.kind,
        **_date_cols(claim.stated_on, "stated_on"),
    }


def _origin_row(claim_id: int, seq: int, origin, speaker_id: Optional[int]) -> dict:
    """An origin's row without its ``figure_id`` (one row is stored per figure)."""
    osp = origin.speaker
    return {
        "claim_id": claim_id,
        "seq": seq,
        "speaker_id": speaker_id,
        "speaker_text": osp.text if osp else None,
        "speaker_start": osp.span[0] if osp and osp.span else None,
        "speaker_end": osp.span[1] if osp and osp.span else None,
        "role": osp.role if osp else None,
        **_date_cols(origin.stated_on, "stated_on"),
        "start": origin.span[0] if origin.span else None,
        "end": origin.span[1] if origin.span else None,
        "cue": origin.cue,
    }


def _figure_row(f: Figure, claim_id: int, article_id: int) -> dict:
    p = f.period
    return {
        "claim_id": claim_id,
        "article_id": article_id,
        "text": f.text,
        "start": f.span[0] if f.span else None,
        "end": f.span[1] if f.span else None,
        "number_start": f.number_span[0] if f.number_span else None,
        "number_end": f.number_span[1] if f.number_span else None,
        "value": f.value,
        "low": f.low,
        "high": f.high,
        "qualifier": f.qualifier,
        "unit": f.unit,
        "metric": f.metric,
        "subject": f.subject,
        "period_text": p.text if p else None,
        "period_start": p.start if p else None,
        "period_end": p.end if p else None,
        "period_span_start": p.span[0] if p and p.span else None,
        "period_span_end": p.span[1] if p and p.span else None,
        "period_carried": (1 if p.carried else 0) if p else None,
    }


def _figure_dict(r: dict) -> dict:
    period = None
    if r["period_text"] is not None:
        period = {"text": r["period_text"], "start": r["period_start"], "end": r["period_end"],
                  "span": _span(r["period_span_start"], r["period_span_end"])}
    return {"id": r["id"], "text": r["text"], "span": _span(r["start"], r["end"]),
            "value": r["value"], "low": r["low"], "high": r["high"],
            "qualifier": r["qualifier"], "unit": r["unit"], "metric": r["metric"],
            "subject": r["subject"], "period": period}


def _speaker_dict(r: dict, merges: dict[int, int], names: dict[int, str]) -> Optional[dict]:
    sid = r["speaker_id"]
    if sid is None and r["speaker_text"] is None:
        return None
    root = merges.get(sid, sid) if sid is not None else None
    return {"id": root, "name": names.get(root, r["speaker_text"]) if root else r["speaker_text"],
            "text": r["speaker_text"], "span": _span(r["speaker_start"], r["speaker_end"]),
            "role": r["role"]}


def _origin_dict(o: dict, merges: dict[int, int], names: dict[int, str]) -> dict:
    return {"speaker": _speaker_dict(o, merges, names),
            "stated_on": _date_dict(o, "stated_on"),
            "span": _span(o["start"], o["end"]),
            "cue": o["cue"] or ""}


def _outlet_since(where: list[str], params: list, outlet: Optional[str],
                  since: Optional[str]) -> None:
    """The article filters listings share: one outlet (any case), published since a date."""
    if outlet is not None:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if since is not None:
        where.append("a.published >= ?")
        params.append(since)


def _row_columns() -> dict[str, list[str]]:
    from .models import Claim as _C, Figure as _F, Origin as _O, TextSpan as _T
    claim = _C(id=0, speaker=None, cue=_T("", (0, 0)), content=_T("", (0, 0)))
    origin = _O(speaker=None, span=(0, 0))   # type: ignore[arg-type]
    return {"claims": list(_claim_row(0, 0, claim, None)),
            "figures": list(_figure_row(_F(text="", span=(0, 0), value=0), 0, 0)),
            "origins": list(_origin_row(0, 0, origin, None))}


_COLUMNS = _row_columns()

"""Fast ingest: extraction in a pool of worker processes, one writer, batched transactions.

What must hold:

* ``--workers 1`` and ``--workers 2`` store the same rows (same ids even: results are
  written in input order), and the batched writer stores what ``add_article`` stores;
* texts already stored, or read earlier in the same run, are never stored twice;
* an article whose extraction fails, or that cannot be written, is that source's error:
  the others are stored, nothing of it is;
* a run stopped part-way (Ctrl-C, a write that loses the transaction, a worker killed)
  keeps whole articles only, and a re-run completes the store;
* memory is bounded: the articles read ahead of the store never exceed the window plus
  one batch, whatever the corpus size.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_cmd as cmd, cli_env as env, query

MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"


def corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` synthetic wire articles as JSON Lines lines (the benchmark generator)."""
    out = subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), "--seed", str(seed)],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines(keepends=True)


def run(db: Path, *args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(cmd(*args), capture_output=True, text=True, env=env(db), cwd=cwd,
                          timeout=timeout)


# Every table a run writes, without what differs from run to run (times, run ids).
TABLES = {
    # the source without the file's folder: "line 12"
    "articles": "SELECT id, content_hash, text, url, canonical_url, outlet, title, published, "
                "author, substr(source, instr(source, ' line ')), encoding, ext_id "
                "FROM articles ORDER BY id",
    "claims": "SELECT * FROM claims ORDER BY id",
    "figures": "SELECT * FROM figures ORDER BY id",
    "origins": "SELECT * FROM origins ORDER BY id",
    "speakers": "SELECT * FROM speakers ORDER BY id",
    "speaker_aliases": "SELECT * FROM speaker_aliases ORDER BY id",
    "speaker_roles": "SELECT * FROM speaker_roles ORDER BY speaker_id, role",
    "figure_groups": "SELECT id, key, label, metric, subject, period, value, low, high "
                     "FROM figure_groups ORDER BY id",
    "figure_group_members": "SELECT * FROM figure_group_members ORDER BY group_id, figure_id",
    "claims_fts": "SELECT rowid, content_text FROM claims_fts WHERE claims_fts MATCH 'said' "
                  "ORDER BY rowid",
}


def dump(db: Path) -> dict[str, list]:
    return {name: query(db, sql) for name, sql in TABLES.items()}


def per_article(db: Path) -> dict[str, tuple[int, int, int]]:
    """content hash -> (claims, figures, origin rows) of each stored article."""
    return {h: (c, f, o) for h, c, f, o in query(db, """
        SELECT a.content_hash,
               (SELECT count(*) FROM claims c WHERE c.article_id = a.id),
               (SELECT count(*) FROM figures f WHERE f.article_id = a.id),
               (SELECT count(*) FROM origins o JOIN claims c ON c.id = o.claim_id
                WHERE c.article_id = a.id)
        FROM articles a""")}


def orphans(db: Path) -> int:
    """Rows whose article or claim is missing: what a half-written article would leave."""
    return query(db, """SELECT
        (SELECT count(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)) +
        (SELECT count(*) FROM figures WHERE claim_id NOT IN (SELECT id FROM claims)) +
        (SELECT count(*) FROM origins WHERE claim_id NOT IN (SELECT id FROM claims))""")[0][0]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return corpus(240)


@pytest.fixture(scope="module")
def clean(lines, tmp_path_factory) -> Path:
    """The corpus ingested in this process, one article per transaction (the reference)."""
    from claimaudit.ingest import ingest, iter_articles
    from claimaudit.store import Store
    tmp = tmp_path_factory.mktemp("clean")
    (tmp / "c.jsonl").write_text("".join(lines), encoding="utf-8")
    db = tmp / "clean.db"
    with Store(db) as store:
        summary = ingest(store, iter_articles([str(tmp / "c.jsonl")]), workers=1, batch_size=1)
    assert summary.articles_new == len(lines) and not summary.errors
    return db


# --- the same rows whatever the number of workers ----------------------------------------------

def test_workers_1_and_2_store_the_same_rows_as_one_article_per_transaction(lines, clean,
                                                                            tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text("".join(lines), encoding="utf-8")
    summaries, dumps = [], []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        r = run(db, "ingest", "--format", "json", "--workers", workers, src, cwd=tmp_path)
        assert r.returncode == 0, r.stderr[-2000:]
        assert not r.stderr.strip(), r.stderr
        summaries.append(json.loads(r.stdout))
        dumps.append(dump(db))
        assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert summaries[0] == summaries[1]
    assert summaries[0]["articles_new"] == len(lines) and summaries[0]["figures"] > 500
    reference = dump(clean)
    for name in TABLES:
        assert dumps[0][name] == reference[name], name
        assert dumps[1][name] == reference[name], name
    assert len(reference["figure_group_members"]) == summaries[0]["figures"] > 0


def test_the_pool_is_used_for_a_large_batch_and_not_for_a_small_one(lines, clean, tmp_path):
    from claimaudit.ingest import ingest, iter_articles
    from claimaudit.store import Store
    src = tmp_path / "c.jsonl"
    src.write_text("".join(lines), encoding="utf-8")
    small = tmp_path / "small.jsonl"
    small.write_text("".join(lines[:20]), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        s = ingest(store, iter_articles([str(small)]), workers=2, batch_size=64)
    assert (s.articles_new, s.pooled) == (20, False)       # no pool start-up for 20
    with Store(tmp_path / "p.db") as store:
        s = ingest(store, iter_articles([str(src)]), workers=2, batch_size=64)
    assert (s.articles_new, s.pooled) == (len(lines), True)
    assert dump(tmp_path / "p.db") == dump(clean)


def test_store_extracted_writes_what_add_article_writes(lines, tmp_path):
    from claimaudit.extract.pipeline import extract_claims
    from claimaudit.ingest import article_from_row, store_extracted
    from claimaudit.store import Store
    pairs = []
    for i, line in enumerate(lines[:80]):
        art = article_from_row(json.loads(line), f"c.jsonl line {i + 1}")
        pairs.append((art, extract_claims(art, narration=True)))
    with Store(tmp_path / "one.db") as store:
        for art, claims in pairs:
            store.add_article(art, claims)
        from claimaudit.groups import update_groups
        with store.transaction():
            update_groups(store)
    with Store(tmp_path / "batch.db") as store:
        s = store_extracted(store, pairs + pairs[:5], batch_size=32)
    assert (s.articles_new, s.articles_seen, s.errors) == (80, 5, [])
    assert s.figures == query(tmp_path / "batch.db", "SELECT count(*) FROM figures")[0][0]
    assert dump(tmp_path / "batch.db") == dump(tmp_path / "one.db")
    assert query(tmp_path / "batch.db", "SELECT command, articles_new, status FROM runs") == \
        [("load", 80, "ok")]


# --- duplicates -------------------------------------------------------------------------------

def test_duplicates_in_the_run_and_in_the_store_are_skipped(lines, clean, tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:100]), encoding="utf-8")
    # lines 90..239, and inside it copies: one right after its original (still being
    # extracted), one far after (stored by then), and two of the first file's lines
    second_lines = lines[90:] + [lines[150], lines[95]]
    second_lines.insert(61, lines[150])
    second_lines.insert(62, lines[150])
    second = tmp_path / "second.jsonl"
    second.write_text("".join(second_lines), encoding="utf-8")
    db = tmp_path / "store.db"
    r = run(db, "ingest", "--format", "json", "--workers", "2", first, cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["articles_new"] == 100, r.stderr
    r = run(db, "ingest", "--format", "json", "--workers", "2", second, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s["articles_new"], s["articles_seen"]) == (140, 10 + 4), s
    assert per_article(db) == per_article(clean)
    assert dump(db)["figure_groups"] and orphans(db) == 0


# --- errors -----------------------------------------------------------------------------------

def _failing_extraction(monkeypatch, marker: str) -> None:
    """The extraction raises (a bug) on every text holding ``marker``."""
    import claimaudit.extract.pipeline as pipeline
    real = pipeline.extract_claims

    def extract_claims(article, **kwargs):
        if marker in article.text:
            raise ValueError(f"cannot parse {marker}")
        return real(article, **kwargs)

    monkeypatch.setattr(pipeline, "extract_claims", extract_claims)


def test_an_article_whose_extraction_fails_is_its_sources_error(lines, clean, tmp_path,
                                                                monkeypatch):
    from claimaudit.ingest import ingest, iter_articles
    from claimaudit.store import Store
    texts = [json.loads(line)["text"] for line in lines]
    names = sorted({m for t in texts for m in re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", t)})
    marker = next(n for n in names if 2 <= sum(n in t for t in texts) <= len(texts) // 10)
    bad = [i for i, t in enumerate(texts) if marker in t]
    _failing_extraction(monkeypatch, marker)
    src = tmp_path / "c.jsonl"
    src.write_text("".join(lines) + lines[bad[0]], encoding="utf-8")   # + a copy of one
    errors = []
    with Store(tmp_path / "store.db") as store:
        s = ingest(store, iter_articles([str(src)]), workers=1, batch_size=50,
                   on_error=errors.append)
    assert s.articles_new == len(lines) - len(bad)
    where = [e.source for e in errors]
    assert where == [f"{src} line {i + 1}" for i in bad] + [f"{src} line {len(lines) + 1}"]
    assert all(f"unexpected error (ValueError: cannot parse {marker})" in str(e)
               for e in errors)
    good = per_article(clean)
    stored = per_article(tmp_path / "store.db")
    assert len(stored) == len(lines) - len(bad)
    assert all(good[h] == counts for h, counts in stored.items())
    assert query(tmp_path / "store.db", "SELECT status FROM runs") == [("errors",)]


def test_an_article_that_cannot_be_written_is_rolled_back_alone(lines, clean, tmp_path):
    """A real write failure in the middle of a batch: a trigger refusing one figure."""
    src = tmp_path / "c.jsonl"
    src.write_text("".join(lines), encoding="utf-8")
    db = tmp_path / "store.db"
    from claimaudit.store import Store
    Store(db).close()
    query(db, "SELECT 1")
    # a figure as written in a few articles (2 to 10)
    figure = query(clean, "SELECT text FROM figures GROUP BY text "
                          "HAVING count(DISTINCT article_id) BETWEEN 2 AND 10 ORDER BY text")[0][0]
    conn = sqlite3.connect(db)
    conn.execute(f"""CREATE TRIGGER refuse BEFORE INSERT ON figures
                     WHEN NEW.text = '{figure.replace("'", "''")}'
                     BEGIN SELECT RAISE(ABORT, 'refused'); END""")
    conn.commit()
    conn.close()
    victims = {h for (h,) in query(clean, "SELECT DISTINCT a.content_hash FROM articles a "
                                          "JOIN figures f ON f.article_id = a.id "
                                          "WHERE f.text = ?", [figure])}
    assert 2 <= len(victims) <= 10
    r = run(db, "ingest", "--format", "json", "--workers", "2", src, cwd=tmp_path)
    assert r.returncode == 1
    err = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(err) == len(victims), r.stderr
    assert all("could not be stored (IntegrityError: refused)" in line for line in err)
    assert "Traceback" not in r.stderr
    s = json.loads(r.stdout)
    assert s["articles_new"] == len(lines) - len(victims)
    good = per_article(clean)
    stored = per_article(db)
    assert set(stored) == set(good) - victims
    assert all(good[h] == counts for h, counts in stored.items())   # whole articles only
    assert orphans(db) == 0
    assert query(db, "SELECT count(*) FROM figures WHERE text = ?", [figure]) == [(0,)]
    assert query(db, "SELECT count(*) FROM claims_fts")[0][0] == \
        query(db, "SELECT count(*) FROM claims")[0][0]


# --- interrupted runs ---------------------------------------------------------------------------

def _whole_articles_only(db: Path, good: dict) -> dict:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    stored = per_article(db)
    assert all(good[h] == counts for h, counts in stored.items())
    assert orphans(db) == 0
    return stored


def test_a_write_that_loses_the_transaction_stops_the_run_with_whole_batches_kept(
        lines, clean, tmp_path):
    """RAISE(ROLLBACK) ends the whole transaction: the open batch is lost, not half kept."""
    src = tmp_path / "c.jsonl"
    src.write_text("".join(lines), encoding="utf-8")
    db = tmp_path / "store.db"
    from claimaudit.store import Store
    Store(db).close()
    conn = sqlite3.connect(db)
    # the 180th article's first figure
    conn.execute("""CREATE TRIGGER lose BEFORE INSERT ON figures WHEN NEW.article_id = 180
                    BEGIN SELECT RAISE(ROLLBACK, 'disk on fire'); END""")
    conn.commit()
    conn.close()
    r = run(db, "ingest", "--workers", "2", src, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and "disk on fire" in r.stderr and \
        "Traceback" not in r.stderr, r.stderr
    stored = _whole_articles_only(db, per_article(clean))
    # the batches committed before are kept, in input order; the open one is gone
    assert 0 < len(stored) < 180
    ids = [i for (i,) in query(db, "SELECT id FROM articles ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER lose")
    conn.commit()
    conn.close()
    r = run(db, "ingest", "--format", "json", src, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles_new"] == len(lines) - len(stored)
    assert dump(db) == dump(clean)


def _descendants(pid: int) -> dict[int, int]:
    """pid -> depth below ``pid`` of every live descendant process (from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    depth, frontier, level = {}, {pid}, 0
    while frontier:
        level += 1
        frontier = {p for p, pp in parents.items() if pp in frontier}
        depth.update({p: level for p in frontier})
    return depth


def _wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def _count_articles(db: Path) -> int:
    try:
        return query(db, "SELECT count(*) FROM articles")[0][0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("big")
    path = tmp / "big.jsonl"
    path.write_text("".join(corpus(1500, seed=11)), encoding="utf-8")
    return path


def test_ctrl_c_keeps_whole_articles_and_a_rerun_completes(big, tmp_path):
    db = tmp_path / "store.db"
    # a shell running jobs in the background hands SIGINT on ignored: give the run the
    # default, as an interactive terminal would (Python then raises KeyboardInterrupt)
    p = subprocess.Popen(cmd("ingest", "-q", "--workers", "2", big), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env(db), cwd=tmp_path,
                         start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        _wait_for(lambda: _count_articles(db) > 0 and p.poll() is None)
        os.killpg(p.pid, signal.SIGINT)         # as a terminal sends it: the whole group
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, (p.returncode, err)
    assert err.strip() == "claimaudit: interrupted", err
    r = run(tmp_path / "clean.db", "ingest", "-q", "--workers", "1", big, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    good = per_article(tmp_path / "clean.db")
    stored = _whole_articles_only(db, good)
    assert 0 < len(stored) < len(good)
    assert query(db, "SELECT status FROM runs") == [("running",)] or \
        query(db, "SELECT count(*) FROM runs")[0][0] == 1
    assert not _descendants(p.pid)              # no worker left behind
    r = run(db, "ingest", "--format", "json", big, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles_new"] == len(good) - len(stored)
    assert dump(db) == dump(tmp_path / "clean.db")


def test_a_killed_worker_is_one_clear_error_and_stored_batches_are_kept(big, tmp_path):
    db = tmp_path / "store.db"
    p = subprocess.Popen(cmd("ingest", "-q", "--workers", "2", big), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env(db), cwd=tmp_path)
    try:
        # the workers are the fork server's children: two levels below the CLI
        workers = _wait_for(lambda: [pid for pid, d in _descendants(p.pid).items() if d == 2]
                            if _count_articles(db) > 0 else None)
        os.kill(workers[0], signal.SIGKILL)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 2, (p.returncode, err)
    lines_ = err.strip().splitlines()
    assert len(lines_) == 1 and "extraction worker process stopped unexpectedly" in err \
        and "run the same command again" in err, err
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    stored = per_article(db)
    assert 0 < len(stored) < 1500 and orphans(db) == 0
    r = run(db, "ingest", "--format", "json", big, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles_new"] == 1500 - len(stored)


def _running(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie waiting to be reaped)?"""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_and_fork_server_end_when_the_reading_process_is_killed(big, tmp_path):
    db = tmp_path / "store.db"
    p = subprocess.Popen(cmd("ingest", "-q", "--workers", "2", big), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=env(db), cwd=tmp_path)
    try:
        # the fork server (and resource tracker) one level below the CLI, workers two
        helpers = _wait_for(lambda: (lambda d: d if sorted(d.values()).count(2) == 2 else None)
                            (_descendants(p.pid)) if _count_articles(db) > 0 else None)
    finally:
        p.kill()                            # SIGKILL: the pool is never told to stop
        p.wait(timeout=60)
    # a kill -9 gives the workers no signal; they must notice the reader is gone
    _wait_for(lambda: not any(_running(pid) for pid in helpers), timeout=30)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


# --- bounded memory -----------------------------------------------------------------------------

def test_articles_read_ahead_of_the_store_never_exceed_the_window_and_one_batch(tmp_path):
    """Counted from outside: each time the run reads an article, the articles it has read
    minus those committed (seen through another connection) stay within the bound."""
    from claimaudit.ingest import ingest, iter_jsonl, Overrides
    from claimaudit.store import Store
    src = tmp_path / "c.jsonl"
    n = 900
    src.write_text("".join(corpus(n, seed=3)), encoding="utf-8")
    db = tmp_path / "store.db"
    window, batch = 24, 40
    read = [0]
    ahead = []
    watcher = None

    def on_item(item) -> None:
        nonlocal watcher
        read[0] += 1
        if watcher is None:
            watcher = sqlite3.connect(db)
        committed = watcher.execute("SELECT count(*) FROM articles").fetchone()[0]
        ahead.append(read[0] - committed)

    with Store(db) as store, src.open("rb") as fh:
        s = ingest(store, iter_jsonl(fh, str(src), Overrides()), workers=2, window=window,
                   batch_size=batch, on_item=on_item)
    watcher.close()
    assert s.pooled and s.articles_new == n and read[0] == n
    # the article being read, the window, and one batch not yet committed
    assert max(ahead) <= window + batch + 1, max(ahead)
    assert s.peak_held <= window + batch
    assert max(ahead) > window                  # the bound is met, not trivially far


def test_workers_below_one_is_one_clear_line(tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text('{"text": "Marta Ilves said 12 cranes broke down."}\n', encoding="utf-8")
    r = run(tmp_path / "store.db", "ingest", "--workers", "0", src, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "claimaudit: --workers 0: give a number of processes of 1 or more\n"
    assert not (tmp_path / "store.db").exists()

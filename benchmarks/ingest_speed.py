"""Ingest speed: end to end through the CLI, the time split, and writing alone against the
raw floor.

    python benchmarks/ingest_speed.py CORPUS.jsonl [--runs 3] [--workers 1,2]

Prints, as medians of --runs runs on fresh stores:

* ``claimaudit ingest CORPUS --workers N`` wall time and articles/s, for each N;
* the time split of the same ingest run in-process (reading, extraction, waiting for the
  workers, writing, grouping: extraction is CPU seconds summed over the workers);
* writing alone: the corpus's (article, claims) pairs, extracted beforehand, stored by
  the batched writer (``store_extracted``, grouping off), by ``add_article`` one
  transaction each, and the raw floor: the texts alone inserted into a plain SQLite table
  in one transaction; with the writer's ratio to the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    return path


def cli_ingest(corpus: Path, db: Path, workers: int) -> float:
    exe = Path(sys.executable).parent / "claimaudit"
    t = time.perf_counter()
    r = subprocess.run([str(exe), "ingest", "-q", str(corpus), "--db", str(fresh(db)),
                        "--workers", str(workers)], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode:
        sys.exit(f"claimaudit ingest failed ({r.returncode}): {r.stderr[-500:]}")
    return elapsed


def split(corpus: Path, db: Path, workers: int) -> tuple[float, dict]:
    from claimaudit.ingest import BATCH_ARTICLES, ingest, iter_articles
    from claimaudit.store import Store
    t = time.perf_counter()
    with Store(fresh(db)) as store:
        s = ingest(store, iter_articles([str(corpus)]), workers=workers,
                   batch_size=BATCH_ARTICLES)
    return time.perf_counter() - t, s.timings


def extracted(corpus: Path, workers: int) -> list:
    """Every article of the corpus with its claims (extracted once, before timing)."""
    from claimaudit.ingest import article_from_row
    from claimaudit.workers import Extractor
    arts = [article_from_row(json.loads(line), f"{corpus} line {i + 1}")
            for i, line in enumerate(corpus.open(encoding="utf-8")) if line.strip()]
    with Extractor(workers, start_after=0) as ext:
        tickets = [ext.submit(a) for a in arts]
        return [(a, ext.result(t)) for a, t in zip(arts, tickets)]


def write_batched(pairs: list, db: Path) -> float:
    from claimaudit.ingest import store_extracted
    from claimaudit.store import Store
    with Store(fresh(db)) as store:
        t = time.perf_counter()
        store_extracted(store, pairs, group=False)
        return time.perf_counter() - t


def write_one_by_one(pairs: list, db: Path) -> float:
    from claimaudit.store import Store
    with Store(fresh(db)) as store:
        t = time.perf_counter()
        for art, claims in pairs:
            store.add_article(art, claims)
        return time.perf_counter() - t


def raw_floor(pairs: list, db: Path) -> float:
    """The texts alone into a plain table, one transaction, the store's journal settings."""
    conn = sqlite3.connect(fresh(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO raw (text) VALUES (?)", ((a.text,) for a, _ in pairs))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", default="1,2", help="comma-separated pool sizes")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-one-by-one", action="store_true")
    args = ap.parse_args()
    n = sum(1 for line in args.corpus.open(encoding="utf-8") if line.strip())
    tmp = Path(tempfile.mkdtemp(prefix="ingest-speed-"))
    db = tmp / "store.db"
    workers = [int(w) for w in args.workers.split(",")]
    print(f"corpus {args.corpus}: {n} articles, "
          f"{args.corpus.stat().st_size / 1e6:.1f} MB; cores usable: "
          f"{len(os.sched_getaffinity(0))}; median of {args.runs} runs")
    if not args.skip_cli:
        for w in workers:
            times = [cli_ingest(args.corpus, db, w) for _ in range(args.runs)]
            med = statistics.median(times)
            print(f"  claimaudit ingest --workers {w}: {med:.2f} s, {n / med:.0f} articles/s "
                  f"(runs: {', '.join(f'{x:.2f}' for x in times)})")
    for w in workers:
        runs = [split(args.corpus, db, w) for _ in range(args.runs)]
        runs.sort(key=lambda r: r[0])
        total, timings = runs[len(runs) // 2]
        parts = ", ".join(f"{k} {v:.2f}" for k, v in sorted(timings.items()))
        print(f"  in-process ingest --workers {w}: {total:.2f} s: {parts}")
    pairs = extracted(args.corpus, max(workers))
    claims = sum(len(c) for _, c in pairs)
    figures = sum(len(x.figures) for _, c in pairs for x in c)
    print(f"  writing alone: {len(pairs)} articles, {claims} claims, {figures} figures")
    batched = statistics.median(write_batched(pairs, db) for _ in range(args.runs))
    floor = statistics.median(raw_floor(pairs, tmp / "raw.db") for _ in range(args.runs))
    print(f"    batched writer (store_extracted): {batched:.2f} s, "
          f"{len(pairs) / batched:.0f} articles/s")
    if not args.skip_one_by_one:
        one = statistics.median(write_one_by_one(pairs, db) for _ in range(args.runs))
        print(f"    add_article, a transaction each: {one:.2f} s, "
              f"{len(pairs) / one:.0f} articles/s")
    print(f"    raw floor (texts into a plain table, one transaction): {floor:.3f} s")
    print(f"    batched writer / raw floor: {batched / floor:.1f}x")
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()

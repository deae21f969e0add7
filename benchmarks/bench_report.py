"""Report latency and grouping cost on big stores (built by ``build_store.py``).

    python benchmarks/bench_report.py /tmp/big.db [/tmp/small.db ...] [--runs 5]

For each store, prints (one JSON object per line):

* ``report``: the whole command ``claimaudit report --speaker NAME --db STORE`` run as a
  user would (a new process each time), median and spread of ``--runs`` wall-clock runs,
  for a rare and a frequent speaker (picked from the store unless --rare/--frequent name
  them), with the default table output to a pipe and with ``--format json`` to a file; the
  groups that match and the bytes written.
* ``grouping``: ``update_groups`` for a batch of ``--batch`` new figures (renamed copies
  of stored articles, so of the kinds and values the store has), inside a transaction
  that is rolled back, so the store is left as it was: seconds, and per new figure.
* ``ingest``: ``claimaudit ingest`` of one small new article into the store (this one is
  kept: it adds one article), median of --runs.

Wall-clock figures on a shared machine are noisy; compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BIN = Path(sys.executable).parent / "claimaudit"


def _cmd() -> list[str]:
    return [str(BIN)] if BIN.exists() else [shutil.which("claimaudit") or "claimaudit"]


def timed(args: list[str], out_path: str | None = None, runs: int = 5) -> dict:
    times, cpu, size, rc = [], [], 0, None
    for _ in range(runs):
        out = open(out_path, "wb") if out_path else subprocess.PIPE
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run(_cmd() + args, stdout=out, stderr=subprocess.PIPE,
                           env=dict(os.environ, COLUMNS="120"))
        times.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if out_path:
            out.close()
            size = os.path.getsize(out_path)
        else:
            size = len(p.stdout)
        rc = p.returncode
        if rc != 0:
            raise SystemExit(f"{' '.join(args)}: exit {rc}: {p.stderr.decode()[-500:]}")
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "cpu_median_s": round(statistics.median(cpu), 3),
            "bytes": size}


def pick_speakers(db: str) -> tuple[str, str]:
    """(rare, frequent): the speaker credited with the most figures, and one credited
    with a handful."""
    from claimaudit.store import Store
    with Store(db) as store:
        rows = store.db.execute(
            """SELECT s.name, count(*) FROM figures f JOIN claims c ON c.id = f.claim_id
               JOIN speakers s ON s.id = c.speaker_id WHERE s.merged_into IS NULL
               AND s.kind = 'person' GROUP BY s.id ORDER BY count(*) DESC, s.id""").fetchall()
    frequent = rows[0][0]
    few = [n for n, k in rows if 3 <= k <= 12 and len(n.split()) > 1]
    return (few[len(few) // 2] if few else rows[-1][0]), frequent


def report_latency(db: str, who: str, runs: int) -> dict:
    from claimaudit.groups import find_report
    from claimaudit.store import Store
    with Store(db) as store:
        _, total = find_report(store, speaker=who, limit=1)
    with tempfile.TemporaryDirectory() as tmp:
        table = timed(["report", "--speaker", who, "--db", db], runs=runs)
        js = timed(["report", "--speaker", who, "--db", db, "--format", "json"],
                   out_path=str(Path(tmp) / "r.json"), runs=runs)
    return {"speaker": who, "groups": total, "table": table, "json_to_file": js}


def grouping_cost(db: str, batch: int) -> dict:
    """update_groups for about ``batch`` new figures, rolled back afterwards."""
    import dataclasses
    import random

    from claimaudit.groups import update_groups
    from claimaudit.models import Article
    from claimaudit.store import Store
    store = Store(db)
    try:
        counts = store.counts()
        rng = random.Random(11)
        n_articles = counts["articles"]
        conn = store.db.conn
        conn.execute("BEGIN IMMEDIATE")
        added = 0
        t_store = time.perf_counter()
        while added < batch:
            aid = rng.randint(1, n_articles)
            a = store.article(aid)
            if a is None:
                continue
            text = store.db.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
            claims = _claims_of(store, aid)
            art = Article(text=text + f"\n\n(bench {added})", outlet=a["outlet"],
                          published=a["published"], url=f"https://bench.example/{added}",
                          title=a["title"])
            store.add_article(art, claims)
            added += sum(len(c.figures) for c in claims)
        t_store = time.perf_counter() - t_store
        t = time.perf_counter()
        changed = update_groups(store)
        took = time.perf_counter() - t
        conn.execute("ROLLBACK")
        return {"store_figures": counts["figures"], "store_groups": counts["groups"],
                "new_figures": added, "groups_changed": changed,
                "update_groups_s": round(took, 3),
                "ms_per_new_figure": round(1000 * took / max(added, 1), 3)}
    finally:
        store.close()


def _claims_of(store, article_id: int) -> list:
    """A stored article's claims back as model objects (speakers, figures, dates)."""
    from claimaudit.models import Claim, DateRef, Figure, Period, SpeakerRef, TextSpan
    out = []
    for c in store.claims(article_id=article_id):
        sp = c.get("speaker")
        speaker = None
        if sp and sp.get("name"):
            speaker = SpeakerRef(name=sp["name"], text=sp.get("text") or sp["name"],
                                 span=tuple(sp.get("span") or (0, 0)), role=sp.get("role"))
        so = c.get("stated_on")
        figures = []
        for f in c.get("figures") or []:
            p = f.get("period")
            figures.append(Figure(
                text=f["text"], span=tuple(f["span"] or (0, 0)), value=f["value"],
                low=f.get("low"), high=f.get("high"), qualifier=f.get("qualifier") or "exact",
                unit=f.get("unit"), metric=f.get("metric"), subject=f.get("subject"),
                period=Period(text=p["text"], start=p.get("start"), end=p.get("end"))
                if p else None))
        out.append(Claim(
            id=c["seq"], speaker=speaker,
            cue=TextSpan(text=c["cue"]["text"] or "", span=tuple(c["cue"]["span"] or (0, 0))),
            content=TextSpan(text=c["content"]["text"],
                             span=tuple(c["content"]["span"] or (0, 0))),
            kind=c.get("kind") or "indirect",
            stated_on=DateRef(date=so["date"], precision=so["precision"] or "day")
            if so else None,
            figures=figures))
    return out


def ingest_one(db: str, runs: int) -> dict:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            path = Path(tmp) / f"late-{i}-{time.time_ns()}.txt"
            path.write_text(
                f"Defence Minister Marta Ilves said on Monday that nearly {190 + i} "
                f"settlements had been taken in 2024, run {time.time_ns()}.\n",
                encoding="utf-8")
            t = time.perf_counter()
            p = subprocess.run(_cmd() + ["ingest", "-q", str(path), "--db", db,
                                         "--published", "2024-12-30"],
                               capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if p.returncode != 0:
                raise SystemExit(f"ingest: exit {p.returncode}: {p.stderr[-500:]}")
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=1000, help="new figures per grouping batch")
    ap.add_argument("--rare")
    ap.add_argument("--frequent")
    ap.add_argument("--skip", default="", help="comma list of: report, grouping, ingest")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    for db in a.db:
        if "report" not in skip:
            rare, frequent = pick_speakers(db)
            for who in (a.rare or rare, a.frequent or frequent):
                print(json.dumps({"db": db, "report": report_latency(db, who, a.runs)}),
                      flush=True)
        if "grouping" not in skip:
            print(json.dumps({"db": db, "grouping": grouping_cost(db, a.batch)}), flush=True)
        if "ingest" not in skip:
            print(json.dumps({"db": db, "ingest_one_article": ingest_one(db, a.runs)}),
                  flush=True)


if __name__ == "__main__":
    main()

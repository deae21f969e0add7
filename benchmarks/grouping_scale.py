"""Grouping cost against store size: the same batch of new articles is stored (ungrouped)
into copies of stores of different sizes, then ``update_groups`` places its figures; the
time and peak RSS of that grouping (a fresh process: start-up and open included in RSS,
not in time) are printed, median of ``--runs`` (wall-clock and CPU seconds: the CPU
time is steadier on a shared machine).

    python benchmarks/grouping_scale.py --batch claims-batch.jsonl \\
        base-1k.db base-10k.db base-50k.db --runs 3

Base stores: ``claimaudit load`` (or any ingest) of pre-extracted claims; the batch is
a ``claimaudit extract --format jsonl --narration`` file. Copies go to a temporary
folder; the base stores are not written. A base store written by an older claimaudit is
migrated first (outside the timing).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_STORE = """
import sys
from claimaudit.store import Store
from claimaudit.loader import iter_records
from claimaudit.ingest import store_extracted
store = Store(sys.argv[1])
store_extracted(store, ((i.article, i.claims) for i in iter_records([sys.argv[2]])),
                command="load", sources=[sys.argv[2]], group=False)
store.close()
"""

_GROUP = """
import json, resource, sys, time
from claimaudit.store import Store
from claimaudit.groups import update_groups
store = Store(sys.argv[1])
new = store.db.execute("SELECT count(*) FROM figures WHERE id > ? AND value IS NOT NULL",
                       [store.last_grouped_figure_id()]).fetchone()[0]
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t, c = time.perf_counter(), time.process_time()
with store.transaction():
    changed = update_groups(store)
took, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"new_figures": new, "group_writes": changed, "s": took, "cpu_s": cpu,
                  "rss_before_mb": rss0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "counts": store.counts()}))
store.close()
"""


def one(base: Path, batch: Path, tmp: Path) -> dict:
    db = tmp / base.name
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(base) + suffix)
        if src.exists():
            shutil.copyfile(src, str(db) + suffix)
    subprocess.run([sys.executable, "-c", _STORE, str(db), str(batch)], check=True)
    out = subprocess.run([sys.executable, "-c", _GROUP, str(db)], check=True,
                         capture_output=True, text=True).stdout
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stores", nargs="+", type=Path)
    ap.add_argument("--batch", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    print(f"{'store':>14} {'figures':>9} {'groups':>7} {'new fig.':>9} {'grouping s':>11} "
          f"{'CPU s':>6} {'ms/new fig.':>12} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for base in a.stores:
            runs = [one(base, a.batch, Path(tmp)) for _ in range(a.runs)]
            s = statistics.median(r["s"] for r in runs)
            cpu = statistics.median(r.get("cpu_s", float("nan")) for r in runs)
            rss = statistics.median(r["peak_rss_mb"] for r in runs)
            c, n = runs[0]["counts"], runs[0]["new_figures"]
            print(f"{base.name:>14} {c['figures'] - n:>9,} {c['groups']:>7,} {n:>9,} "
                  f"{s:>11.2f} {cpu:>6.2f} {1000 * s / max(n, 1):>12.3f} {rss:>12.0f}   "
                  "(runs: " + ", ".join(f"{r['s']:.2f}" for r in runs) + ")", flush=True)


if __name__ == "__main__":
    main()

"""Extraction speed and memory on a JSON Lines corpus (one core, no store).

    python benchmarks/extract_speed.py CORPUS.jsonl [--runs 3]

Prints, as the median of --runs runs: whole-process characters/s of article text and MB/s
of the input file (the installed `claimaudit extract --format jsonl`, start-up and JSON
output included), steady-state characters/s and articles/s (in-process, after a warm-up),
and the peak RSS of the CLI run.
Run it on corpora of growing size to see memory stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def whole_process(corpus: Path) -> tuple[float, float]:
    exe = Path(sys.executable).parent / "claimaudit"
    t = time.perf_counter()
    p = subprocess.Popen([str(exe), "extract", str(corpus), "--format", "jsonl"],
                         stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t
    if status:
        sys.exit(f"claimaudit extract failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024  # MB (Linux reports KiB)


def steady_state(corpus: Path) -> tuple[float, int, int]:
    from claimaudit.extract.pipeline import extract_claims
    from claimaudit.ingest import article_from_row
    arts = [article_from_row(json.loads(l), "bench") for l in corpus.open(encoding="utf-8")]
    for a in arts[:20]:
        extract_claims(a)              # warm-up
    t = time.perf_counter()
    for a in arts:
        extract_claims(a)
    return time.perf_counter() - t, sum(len(a.text) for a in arts), len(arts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    size = sum(len(json.loads(l).get("text") or "") for l in a.corpus.open(encoding="utf-8"))
    whole = [whole_process(a.corpus) for _ in range(a.runs)]
    steady = [steady_state(a.corpus) for _ in range(a.runs)]
    wt = statistics.median(w[0] for w in whole)
    rss = max(w[1] for w in whole)
    st = statistics.median(s[0] for s in steady)
    n = steady[0][2]
    print(f"corpus           {a.corpus} ({n:,} articles, {size:,} characters)")
    print(f"whole process    {size / wt / 1e6:.2f} M chars/s  ({wt:.2f} s, median of {a.runs}; "
          f"{a.corpus.stat().st_size / wt / 1e6:.2f} MB/s of the input file)")
    print(f"steady state     {size / st / 1e6:.2f} M chars/s  {n / st:,.0f} articles/s")
    print(f"peak RSS (CLI)   {rss:.0f} MB")


if __name__ == "__main__":
    main()

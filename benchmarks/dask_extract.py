"""The extract stage under Dask: a JSON Lines corpus -> claims JSONL partitions, then
(optionally) one `claimaudit load` of them.

    pip install -e ".[cluster]"          # or: pip install "dask[bag]"
    python benchmarks/dask_extract.py CORPUS.jsonl OUT_DIR [--workers N] [--load DB]

Extraction is a pure function of each article, so the corpus is cut into chunks of lines
and each Dask task extracts one chunk (`claimaudit.loader.extract_record`, the function
behind `claimaudit extract`) and writes its own `part-NNNNN.jsonl` into OUT_DIR: the same
records `claimaudit extract --format jsonl --narration` prints, article text included,
sources named `CORPUS line N` as `ingest CORPUS` names them. Nothing touches SQLite until
`--load`, which runs the installed `claimaudit load` over the parts in order: the single
writer. The scheduler is Dask's multiprocessing one with this machine's cores (or
`--workers`); to run on a cluster, start a `dask.distributed.Client` on it first and pass
`--scheduler distributed` (the parts then need a folder every worker can write to).

Prints articles/s and characters/s of the extract stage (wall clock, worker start-up
included), the worker count, and the load rate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

INSTALL = ('Dask is not installed: pip install -e ".[cluster]" (or pip install "dask[bag]") '
           "in claimaudit's environment")


def chunks(corpus: Path, lines_per_chunk: int) -> list[tuple[int, int, int]]:
    """``(first line number, byte offset, byte length)`` of each run of lines: one pass
    over the bytes, nothing parsed, so the driver stays cheap."""
    out = []
    start, first, n, pos = 0, 1, 0, 0
    with corpus.open("rb") as fh:
        for line in fh:
            pos += len(line)
            n += 1
            if n - first + 1 == lines_per_chunk:
                out.append((first, start, pos - start))
                start, first = pos, n + 1
    if pos > start:
        out.append((first, start, pos - start))
    return out


def extract_chunk(task: tuple[str, str, int, tuple[int, int, int], bool]) -> dict:
    """One Dask task: read a run of corpus lines, extract each article, write the records
    to ``part-NNNNN.jsonl``; return counts and the one-line errors."""
    corpus, out_dir, index, (first, offset, length), narration = task
    cpu0 = time.process_time()
    from claimaudit.errors import FormatError, SourceError
    from claimaudit.ingest import MAX_ARTICLE_BYTES, article_from_row, too_large, unexpected
    from claimaudit.loader import extract_record
    from claimaudit.report import to_json

    with open(corpus, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    stats = {"articles": 0, "chars": 0, "claims": 0, "errors": []}
    part = Path(out_dir) / f"part-{index:05d}.jsonl"
    tmp = part.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for n, raw in enumerate(data.split(b"\n"), first):     # as ingest numbers them
            if not raw.strip():
                continue
            where = f"{corpus} line {n}"
            try:
                if len(raw) > MAX_ARTICLE_BYTES:
                    raise too_large(where, f"{len(raw):,}")
                try:
                    row = json.loads(raw)
                except (ValueError, UnicodeDecodeError) as e:
                    raise FormatError(where, f"not valid JSON ({e})", "fix or remove the line")
                article = article_from_row(row, where)
                record = extract_record(article, narration=narration, text=True)
            except SourceError as e:
                stats["errors"].append(str(e))
                continue
            except Exception as e:  # noqa: BLE001 - one bad article must not stop the run
                stats["errors"].append(str(unexpected(where, e)))
                continue
            out.write(to_json(record) + "\n")
            stats["articles"] += 1
            stats["chars"] += len(article.text)
            stats["claims"] += len(record["claims"])
    tmp.replace(part)           # a part is there whole or not at all
    stats["cpu"] = time.process_time() - cpu0
    stats["pid"] = os.getpid()
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="JSON Lines articles (text or html a line)")
    ap.add_argument("out_dir", type=Path, help="where the part-NNNNN.jsonl files go")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=500, help="articles per task (default 500)")
    ap.add_argument("--no-narration", action="store_true",
                    help="attributions only, as plain `claimaudit extract` (load then stores "
                         "less than ingest)")
    ap.add_argument("--scheduler", default="processes",
                    help="processes (default) | threads | sync | distributed (a running "
                         "dask.distributed Client)")
    ap.add_argument("--load", metavar="DB", type=Path,
                    help="then store the parts with `claimaudit load --db DB`")
    a = ap.parse_args()
    try:
        import dask
        import dask.bag as db
    except ImportError:
        sys.exit(INSTALL)
    if not a.corpus.is_file():
        sys.exit(f"{a.corpus}: no such file (make one: python benchmarks/make_corpus.py 10000 "
                 f"> {a.corpus})")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    stale = sorted(a.out_dir.glob("part-*.jsonl"))
    if stale:
        sys.exit(f"{a.out_dir}: already holds {len(stale)} part files (remove them or give an "
                 "empty folder)")

    t0 = time.perf_counter()
    spans = chunks(a.corpus, a.chunk)
    tasks = [(str(a.corpus), str(a.out_dir), i, s, not a.no_narration)
             for i, s in enumerate(spans)]
    bag = db.from_sequence(tasks, npartitions=len(tasks)).map(extract_chunk)
    options = {} if a.scheduler == "distributed" else {"scheduler": a.scheduler,
                                                       "num_workers": a.workers}
    with dask.config.set(**options):
        results = bag.compute()
    elapsed = time.perf_counter() - t0

    articles = sum(r["articles"] for r in results)
    chars = sum(r["chars"] for r in results)
    claims = sum(r["claims"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    cpu = sum(r["cpu"] for r in results)
    pids = len({r["pid"] for r in results})
    for e in errors:
        sys.stderr.write(f"claimaudit: {e}\n")
    workers = a.workers if a.scheduler in ("processes", "threads") else (
        1 if a.scheduler == "sync" else "cluster")
    print(f"corpus     {a.corpus} ({articles:,} articles, {chars:,} characters, "
          f"{len(tasks)} tasks of {a.chunk})")
    print(f"extract    {elapsed:.1f} s with {workers} workers ({a.scheduler}): "
          f"{articles / elapsed:,.0f} articles/s, {chars / elapsed / 1e6:.2f} M chars/s, "
          f"{claims:,} claims, {len(errors)} errors")
    # the machine may be shared: the tasks' own CPU time gives the rate of one core
    print(f"per core   {cpu:.1f} CPU s in tasks on {pids} processes: "
          f"{chars / cpu / 1e6:.2f} M chars/s, {articles / cpu:,.0f} articles/s a core; "
          f"wall speed-up over one core {cpu / elapsed:.2f}x")
    if a.load:
        exe = Path(sys.executable).parent / "claimaudit"
        parts = sorted(a.out_dir.glob("part-*.jsonl"))
        t = time.perf_counter()
        p = subprocess.Popen([str(exe) if exe.exists() else "claimaudit", "load",
                              *map(str, parts), "--db", str(a.load)], stdout=subprocess.PIPE,
                             text=True)
        summary = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        load_s = time.perf_counter() - t
        load_cpu = usage.ru_utime + usage.ru_stime
        print(f"load       {load_s:.1f} s into {a.load}: {articles / load_s:,.0f} articles/s "
              f"({load_cpu:.1f} CPU s: {articles / load_cpu:,.0f} articles/s a core, "
              f"{usage.ru_maxrss / 1024:.0f} MB peak; exit {os.waitstatus_to_exitcode(status)})"
              f": {summary.strip()}")
        print(f"end to end {elapsed + load_s:.1f} s: "
              f"{articles / (elapsed + load_s):,.0f} articles/s")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Run the claimaudit benchmark suite and print a table of medians.

    python benchmarks/run_all.py                       # 1k and 10k articles, 3 runs each
    python benchmarks/run_all.py --100k                # and 100k
    python benchmarks/run_all.py --sizes 2000 --runs 5 --json out.json --markdown

For each size a synthetic wire corpus is generated (benchmarks/make_corpus.py) into the work
folder, then, as the median of --runs runs, each a separate process as a user runs it:

* extraction: `claimaudit extract CORPUS --format jsonl` (whole process: start-up, reading,
  JSON output), free to run on any core, and pinned to one core; characters/s, articles/s,
  peak RSS (os.wait4's ru_maxrss: the largest process of the tree, not the sum);
* ingest end to end into a fresh store: `claimaudit ingest CORPUS --db NEW` (and with
  `--workers 1` when the option exists); articles/s and peak RSS;
* the raw floor: the same texts and metadata inserted into a plain SQLite table in one
  transaction from Python, and the ratio ingest time / raw time;
* `claimaudit load CLAIMS.jsonl` (storing the extract output without extracting again) when
  the command exists, and its ratio to the raw floor;
* report latency on the store just built: `claimaudit report --speaker NAME` for the speaker
  with the most figures and one with a single figure, and with `--format json`;
* benchmarks/build_store.py (a store of 1M figures) and report latency on it, when the
  script exists (skip with --skip-1m);
* CLI start-up: `claimaudit --help` (and `--version` when it exists), median of 10.

Commands that do not exist yet print "n/a (command missing)". Timings on a shared machine
are noisy: compare medians, and CPU seconds (in the JSON) when other work is running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MISSING = "n/a (command missing)"


# ----------------------------------------------------------------------------- helpers

def parse_size(s: str) -> int:
    s = s.strip().lower().replace("_", "")
    mult = 1
    if s.endswith("k"):
        s, mult = s[:-1], 1000
    elif s.endswith("m"):
        s, mult = s[:-1], 1_000_000
    try:
        n = int(float(s) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r}: give a number of articles such as 1000 or 10k")
    if n <= 0:
        raise argparse.ArgumentTypeError("sizes must be above 0")
    return n


def label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


class Run:
    """One finished process: wall seconds, CPU seconds, peak RSS (MB), exit code, stderr."""

    def __init__(self, wall, cpu, rss_mb, code, err):
        self.wall, self.cpu, self.rss_mb, self.code, self.err = wall, cpu, rss_mb, code, err


def run(cmd: list[str], *, stdout=None, pin: int | None = None, env=None,
        timeout: float | None = None) -> Run:
    """Run ``cmd`` to the end; rusage from os.wait4 (this child and what it waited for).
    After ``timeout`` seconds the child is killed and the exit code is "timeout"."""
    pre = (lambda: os.sched_setaffinity(0, {pin})) if pin is not None else None
    with tempfile.TemporaryFile() as errf:     # a file, not a pipe: never blocks the child
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=stdout if stdout is not None else subprocess.DEVNULL,
                             stderr=errf, preexec_fn=pre, env=env)
        if timeout is None:
            _, status, ru = os.wait4(p.pid, 0)
        else:
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - t > timeout:
                    p.kill()
                    _, status, ru = os.wait4(p.pid, 0)
                    p.returncode = "timeout"
                    return Run(time.perf_counter() - t, ru.ru_utime + ru.ru_stime,
                               ru.ru_maxrss / 1024, "timeout", f"killed after {timeout:g} s")
                time.sleep(0.001)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    return Run(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, p.returncode, err)


def rm_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def machine() -> dict:
    info = {"cpu": "?", "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)),
            "ram_gb": None, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "os": platform.platform()}
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        info["commit"] = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True).stdout.strip() or None
    except OSError:
        info["commit"] = None
    return info


# ----------------------------------------------------------------------------- the raw floor

RAW_SCHEMA = """CREATE TABLE articles (id INTEGER PRIMARY KEY, ext_id TEXT, url TEXT,
    outlet TEXT, published TEXT, title TEXT, text TEXT NOT NULL)"""


def raw_floor(corpus: str, db: str) -> None:
    """The same texts and metadata into one plain table, one transaction (run in a child)."""
    conn = sqlite3.connect(db)
    conn.execute(RAW_SCHEMA)
    with conn:
        with open(corpus, encoding="utf-8") as fh:
            conn.executemany(
                "INSERT INTO articles (ext_id, url, outlet, published, title, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                ((r.get("id"), r.get("url"), r.get("outlet"), r.get("published"),
                  r.get("title"), r["text"]) for r in map(json.loads, fh)))
    conn.close()


# ----------------------------------------------------------------------------- the suite

class Suite:
    def __init__(self, args):
        self.a = args
        self.bin = args.claimaudit or str(Path(sys.executable).parent / "claimaudit")
        if not Path(self.bin).exists():
            self.bin = shutil.which("claimaudit") or "claimaudit"
        self.work = Path(args.workdir)
        self.work.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict] = []          # {"measure", "size", "value", "text"}
        self.env = dict(os.environ, NO_COLOR="1")
        self.env.pop("CLAIMAUDIT_DB", None)
        self.sizes_done: list[str] = []
        self.has_load = run([self.bin, "load", "--help"], env=self.env).code == 0
        ingest_help = self._help(["ingest"])
        self.has_workers = "--workers" in ingest_help
        self.has_version = run([self.bin, "--version"], env=self.env).code == 0

    def _help(self, sub: list[str]) -> str:
        r = subprocess.run([self.bin, *sub, "--help"], capture_output=True, text=True,
                           env=dict(self.env, COLUMNS="200"))
        return r.stdout + r.stderr

    def add(self, measure: str, size: str, value, text: str, **extra) -> None:
        self.rows.append({"measure": measure, "size": size, "value": value, "text": text,
                          **extra})
        if self.a.verbose:
            print(f"  {size:>6}  {measure}: {text}", file=sys.stderr, flush=True)

    def median_runs(self, n: int, make, what: str) -> list[Run] | None:
        runs = []
        self.last_timeout = False
        for _ in range(n):
            r = make()
            if r.code == "timeout":
                self.last_timeout = True
                return None
            if r.code != 0:
                tail = (r.err.strip().splitlines() or ["no message"])[-1]
                print(f"claimaudit benchmark: {what} failed (exit {r.code}): {tail[:200]}",
                      file=sys.stderr)
                return None
            runs.append(r)
        return runs

    # --- per size

    def corpus(self, n: int) -> tuple[Path, int, int]:
        import make_corpus
        path = self.work / f"corpus-{label(n)}-seed{self.a.seed}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            chars = make_corpus.write(n, fh, self.a.seed)
        return path, n, chars

    def size(self, n: int) -> None:
        lab = label(n)
        self.sizes_done.append(lab)
        t = time.perf_counter()
        corpus, arts, chars = self.corpus(n)
        self.add("corpus: M chars", lab, chars, f"{chars / 1e6:.{1 if chars >= 1e6 else 2}f}",
                 articles=arts, generate_s=round(time.perf_counter() - t, 2))
        runs = self.a.runs
        claims = self.work / f"claims-{lab}.jsonl"

        # extraction, whole process, then pinned to one core
        cpu = sorted(os.sched_getaffinity(0))[0]
        for pinned in (False, True):
            def go():
                with open(claims, "wb") as out:
                    return run([self.bin, "extract", str(corpus), "--format", "jsonl"],
                               stdout=out, pin=cpu if pinned else None, env=self.env)
            rs = self.median_runs(runs, go, "extract")
            name = "extract, pinned to 1 core" if pinned else "extract, 1 process"
            if rs is None:
                self.add(name, lab, None, "failed")
                continue
            wall = statistics.median(r.wall for r in rs)
            cpu_s = statistics.median(r.cpu for r in rs)
            self.add(f"{name}: M chars/s", lab, chars / wall / 1e6,
                     f"{chars / wall / 1e6:.2f}", seconds=wall, cpu_seconds=cpu_s)
            self.add(f"{name}: articles/s", lab, arts / wall, f"{arts / wall:,.0f}")
            if not pinned:      # CPU time: steadier than wall time on a busy machine
                self.add(f"{name}: M chars/CPU-s", lab, chars / cpu_s / 1e6,
                         f"{chars / cpu_s / 1e6:.2f}", cpu_seconds=cpu_s)
            self.add(f"{name}: peak RSS MB", lab, max(r.rss_mb for r in rs),
                     f"{max(r.rss_mb for r in rs):.0f}")

        # the raw floor
        raw_db = self.work / f"raw-{lab}.db"

        def go_raw():
            rm_db(raw_db)
            return run([sys.executable, str(Path(__file__).resolve()), "--raw-floor",
                        str(corpus), str(raw_db)], env=self.env)
        rs = self.median_runs(runs, go_raw, "raw floor")
        raw = statistics.median(r.wall for r in rs) if rs else None
        if raw:
            self.add("raw SQLite floor: articles/s", lab, arts / raw, f"{arts / raw:,.0f}",
                     seconds=raw)
        rm_db(raw_db)

        # ingest end to end
        store = self.work / f"store-{lab}.db"
        variants = [("ingest", [])]
        if self.has_workers:
            variants = [("ingest --workers 1", ["--workers", "1"]), ("ingest (default workers)", [])]
        for name, extra in variants:
            def go_ingest():
                rm_db(store)
                return run([self.bin, "ingest", str(corpus), "--db", str(store), "--quiet",
                            *extra], env=self.env)
            rs = self.median_runs(runs, go_ingest, name)
            if rs is None:
                self.add(f"{name}: articles/s", lab, None, "failed")
                continue
            wall = statistics.median(r.wall for r in rs)
            self.add(f"{name}: articles/s", lab, arts / wall, f"{arts / wall:,.0f}",
                     seconds=wall, cpu_seconds=statistics.median(r.cpu for r in rs))
            self.add(f"{name}: peak RSS MB", lab, max(r.rss_mb for r in rs),
                     f"{max(r.rss_mb for r in rs):.0f}")
            if raw:
                self.add(f"{name}: time / raw floor", lab, wall / raw, f"{wall / raw:.0f}x")
        counts = store_counts(store)
        if counts:
            self.add("store: claims / figures / groups", lab, counts.get("figures"),
                     f"{counts.get('claims', 0):,} / {counts.get('figures', 0):,} / "
                     f"{counts.get('groups', 0):,}", **counts)

        # load of pre-extracted claims
        if not self.has_load:
            self.add("load (pre-extracted): articles/s", lab, None, MISSING)
        elif claims.exists():
            load_db = self.work / f"load-{lab}.db"

            def go_load():
                rm_db(load_db)
                return run([self.bin, "load", str(claims), "--db", str(load_db)], env=self.env)
            rs = self.median_runs(runs, go_load, "load")
            if rs is None:
                self.add("load (pre-extracted): articles/s", lab, None, "failed")
            else:
                wall = statistics.median(r.wall for r in rs)
                self.add("load (pre-extracted): articles/s", lab, arts / wall,
                         f"{arts / wall:,.0f}", seconds=wall)
                if raw:
                    self.add("load: time / raw floor", lab, wall / raw, f"{wall / raw:.1f}x")
            rm_db(load_db)

        # report latency on the store just built
        if store.exists():
            self.reports(store, lab)
        if not self.a.keep:
            claims.unlink(missing_ok=True)

    def reports(self, store: Path, lab: str) -> None:
        frequent, rare = speakers_for_report(store)
        n = max(self.a.runs, self.a.report_runs)
        for who, name in (("frequent", frequent), ("rare", rare)):
            if name is None:
                self.add(f"report --speaker ({who}): s", lab, None, "no speaker")
                continue
            for fmt in (["--format", "table"], ["--format", "json"]) if who == "frequent" \
                    else (["--format", "table"],):
                rs = self.median_runs(n, lambda: run(
                    [self.bin, "report", "--speaker", name, "--db", str(store), *fmt],
                    env=self.env, timeout=self.a.timeout), "report")
                tag = f"report --speaker ({who}{', json' if 'json' in fmt else ''}): s"
                if rs is None:
                    self.add(tag, lab, None, f"> {self.a.timeout:g}" if self.last_timeout
                             else "failed")
                    continue
                wall = statistics.median(r.wall for r in rs)
                self.add(tag, lab, wall, f"{wall:.2f}", speaker=name)

    # --- the 1M-figure store

    def million(self) -> None:
        script = HERE / "build_store.py"
        lab = "1M fig."
        if not script.exists():
            self.add("build_store.py: 1M-figure store", lab, None, MISSING)
            return
        store = self.work / "store-1M-figures.db"
        help_text = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                                   text=True).stdout
        if not store.exists() or self.a.rebuild:
            rm_db(store)
            cmd = [sys.executable, str(script)]
            if "--db" in help_text:
                cmd += ["--db", str(store)]
            elif "--out" in help_text:
                cmd += ["--out", str(store)]
            else:
                cmd += [str(store)]
            if "--figures" in help_text:
                cmd += ["--figures", "1000000"]
            r = run(cmd, env=self.env)
            if r.code != 0 or not store.exists():
                tail = (r.err.strip().splitlines() or ["no message"])[-1]
                self.add("build_store.py: 1M-figure store", lab, None,
                         f"failed (exit {r.code}): {tail[:120]}")
                return
            self.add("build_store.py: build s", lab, r.wall, f"{r.wall:.0f}")
        counts = store_counts(store)
        if counts:
            self.add("store: claims / figures / groups", lab, counts.get("figures"),
                     f"{counts.get('claims', 0):,} / {counts.get('figures', 0):,} / "
                     f"{counts.get('groups', 0):,}", **counts)
        self.reports(store, lab)

    # --- start-up

    def startup(self) -> None:
        n = self.a.startup_runs
        cmds = [("claimaudit --help: s", ["--help"])]
        if self.has_version:
            cmds.append(("claimaudit --version: s", ["--version"]))
        else:
            self.add("claimaudit --version: s", "-", None, MISSING)
        for name, argv in cmds:
            rs = self.median_runs(n, lambda: run([self.bin, *argv], env=self.env), name)
            if rs:
                wall = statistics.median(r.wall for r in rs)
                self.add(name, "-", wall, f"{wall:.3f}", rss_mb=max(r.rss_mb for r in rs))

    # --- output

    def table(self, markdown: bool = False) -> str:
        """One table of the per-size measures, then one of the others (1M store, start-up)."""
        cell = {(r["measure"], r["size"]): r["text"] for r in self.rows}
        per_size = list(dict.fromkeys(r["measure"] for r in self.rows
                                      if r["size"] in self.sizes_done))
        others = [r for r in self.rows if r["size"] not in self.sizes_done]
        head = ["measure"] + [f"{s} articles" for s in self.sizes_done]
        body = [[m] + [cell.get((m, s), "") for s in self.sizes_done] for m in per_size]
        head2 = ["measure", "value"]
        body2 = [[r["measure"] + (f" ({r['size']})" if r["size"] != "-" else ""), r["text"]]
                 for r in others]
        if markdown:
            out = []
            for h, b in ((head, body), (head2, body2)):
                if b:
                    out += ["| " + " | ".join(h) + " |", "|---" + "|---:" * (len(h) - 1) + "|"]
                    out += ["| " + " | ".join(row) + " |" for row in b] + [""]
            return "\n".join(out).rstrip()
        out = []
        for h, b in ((head, body), (head2, body2)):
            if not b:
                continue
            widths = [max(len(str(x[i])) for x in [h] + b) for i in range(len(h))]

            def fmt(row):
                return "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                                 for i, c in enumerate(row)).rstrip()
            out += [fmt(h), "  ".join("-" * w for w in widths)] + [fmt(r) for r in b] + [""]
        return "\n".join(out).rstrip()


def store_counts(db: Path) -> dict:
    if not db.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        out = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("articles", "claims", "figures")}
        out["groups"] = conn.execute("SELECT count(*) FROM figure_groups").fetchone()[0]
        conn.close()
        return out
    except sqlite3.Error:
        return {}


def speakers_for_report(db: Path) -> tuple[str | None, str | None]:
    """The speaker credited with the most figures, and one credited with exactly one."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = conn.execute(
            """SELECT s.name, count(*) AS n FROM figures f JOIN claims c ON c.id = f.claim_id
               JOIN speakers s ON s.id = c.speaker_id
               WHERE s.merged_into IS NULL AND s.kind = 'person'
               GROUP BY s.id ORDER BY n DESC, s.name""").fetchall()
        conn.close()
    except sqlite3.Error:
        return None, None
    if not rows:
        return None, None
    rare = [name for name, n in rows if n == 1 and len(name.split()) > 1]
    return rows[0][0], (rare[0] if rare else rows[-1][0])


def precompile(exe: str) -> bool:
    """Byte-compile the claimaudit package ``exe`` runs, as its first run on a usual machine
    would. Where PYTHONDONTWRITEBYTECODE is set (as on the machines these figures were
    taken on) every timed run would otherwise compile the sources again: ~0.5 s of each
    extract, ~0.1 s of each report. True when the package was compiled."""
    python = Path(exe).with_name("python")
    probe = ("import claimaudit, compileall, os, sys; "
             "dirs = [p for p in claimaudit.__path__ if os.path.isdir(p)]; "
             "sys.exit(0 if dirs and all(compileall.compile_dir(p, quiet=1) for p in dirs) "
             "else 1)")
    return python.exists() and subprocess.run([str(python), "-c", probe]).returncode == 0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1k,10k",
                    help="comma-separated corpus sizes in articles (default 1k,10k)")
    ap.add_argument("--100k", dest="with_100k", action="store_true", help="also 100k articles")
    ap.add_argument("--runs", type=int, default=3, help="runs per measure (the median is shown)")
    ap.add_argument("--report-runs", type=int, default=3,
                    help="runs per report latency (at least --runs)")
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds after which one report run is stopped (default 300)")
    ap.add_argument("--startup-runs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default="/tmp/claimaudit-bench",
                    help="where corpora and stores go (default /tmp/claimaudit-bench)")
    ap.add_argument("--claimaudit", help="the claimaudit executable (default: next to this Python)")
    ap.add_argument("--skip-1m", action="store_true", help="skip the 1M-figure store")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the 1M-figure store")
    ap.add_argument("--keep", action="store_true", help="keep the extract output files")
    ap.add_argument("--json", dest="json_out", metavar="FILE", help="write the results as JSON")
    ap.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each figure as measured")
    ap.add_argument("--raw-floor", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.raw_floor:
        raw_floor(*a.raw_floor)
        return
    try:
        sizes = [parse_size(s) for s in a.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as e:
        ap.error(f"--sizes: {e}")
    if a.with_100k and 100_000 not in sizes:
        sizes.append(100_000)
    if a.runs < 1:
        ap.error("--runs: give 1 or more")

    m = machine()
    print(f"machine   {m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), "
          f"{m['ram_gb']} GB RAM")
    print(f"software  Python {m['python']}, SQLite {m['sqlite']}, {m['os']}"
          + (f", commit {m['commit']}" if m.get("commit") else ""))
    suite = Suite(a)
    compiled = precompile(suite.bin)
    print(f"options   runs {a.runs} (median), work folder {suite.work}, seed {a.seed}; "
          f"ingest --workers: {'yes' if suite.has_workers else 'no'}, "
          f"load: {'yes' if suite.has_load else 'no'}; "
          f"bytecode: {'compiled' if compiled else 'NOT compiled (start-up included)'}",
          flush=True)
    t0 = time.perf_counter()
    for n in sizes:
        print(f"... {label(n)} articles", file=sys.stderr, flush=True)
        suite.size(n)
    if not a.skip_1m:
        print("... 1M-figure store", file=sys.stderr, flush=True)
        suite.million()
    suite.startup()
    print()
    print(suite.table())
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")
    if a.markdown:
        print()
        print(suite.table(markdown=True))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(
            {"machine": m, "options": {"sizes": sizes, "runs": a.runs, "seed": a.seed,
                                       "workers_option": suite.has_workers,
                                       "load_command": suite.has_load},
             "results": suite.rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

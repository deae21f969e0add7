"""``claimaudit extract --format jsonl`` streams: one output line per input line as soon as
that line is read, in memory that does not grow with the input.

Both tests run the installed CLI. Peak memory is the CLI's own peak RSS, measured through the
small launcher of tests/test_reliability.py (``run_measured``): a child spawned straight from
pytest would inherit pytest's high-water mark.
"""

from __future__ import annotations

import json
import os
import queue
import random
import subprocess
import threading
import time

from tests.conftest import BIN
from tests.test_reliability import run_measured

CMD = [str(BIN) if BIN.exists() else "claimaudit"]

# --- A: output arrives before the input is closed ---------------------------------------------


def _article(i: int) -> str:
    return json.dumps({"id": f"s{i}", "text": f"Port director Ada Berg said {300 + i} ships "
                                              f"were delayed at quay {i}. Cranes stood still."})


def test_extract_jsonl_from_a_pipe_answers_each_line_before_the_next_is_written(tmp_path):
    env = dict(os.environ, CLAIMAUDIT_DB=str(tmp_path / "unused.db"), NO_COLOR="1")
    env.pop("CLAIMAUDIT_DEBUG", None)
    p = subprocess.Popen([*CMD, "extract", "-", "--input-format", "jsonl", "--format", "jsonl"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=tmp_path, bufsize=0)
    lines: queue.Queue = queue.Queue()

    def reader():
        for raw in iter(p.stdout.readline, b""):
            lines.put(raw)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    try:
        for i in range(4):
            p.stdin.write((_article(i) + "\n").encode())
            p.stdin.flush()
            # the first answer also waits for the interpreter to start and import
            t0 = time.monotonic()
            try:
                raw = lines.get(timeout=30 if i == 0 else 15)
            except queue.Empty:
                raise AssertionError(f"no output for line {i + 1} while stdin stays open "
                                     "(extract batches its input instead of streaming)")
            assert raw is not None, p.stderr.read().decode()[-2000:]
            row = json.loads(raw)
            assert row["id"] == f"s{i}", row
            claim, = row["claims"]
            assert claim["speaker"]["name"] == "Ada Berg"
            assert claim["figures"][0]["value"] == 300 + i
            print(f"line {i + 1}: answered {time.monotonic() - t0:.2f} s after it was written")
        assert lines.empty()
        p.stdin.close()
        assert lines.get(timeout=15) is None          # EOF after the input ends
        assert p.wait(timeout=15) == 0, p.stderr.read().decode()[-2000:]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


# --- B: peak memory stays flat as the input grows ---------------------------------------------

SYLLABLES = ["ka", "ren", "lo", "mi", "tas", "vel", "dor", "an", "is", "bru", "sen", "hal",
             "mor", "ty", "qua", "lin", "ost", "ber", "fa", "gu"]
ROLES = ["Port director", "Finance Minister", "police chief", "the agency's spokeswoman",
         "Mayor", "union leader", "analyst"]
TEMPLATES = [
    "{role} {name} said on {day} that {n1} ships had been delayed at {place} since {month}.",
    "The backlog would clear by {month}, said {name}, who chairs the {place} board.",
    "“We have {n2} hours of fuel left,” {name} told reporters. “After that we stop.”",
    "According to the {place} Statistics Office, output fell by {pct} percent in {year}.",
    "{name} warned that fees could rise to {n2} crowns a tonne by {month}.",
    "It was the {ordinal} strike this year, the union said in a statement.",
]
# unattributed prose: newswire is mostly this, and it extracts several times faster
PLAIN = [
    "Cranes at the {place} quay were idle for {n3} days, and {n1} workers stayed home.",
    "The harbour at {place} handled {n1} containers in {month}, up from {n2} a year earlier.",
    "Ferries to {place} left on time, though the {ordinal} crossing was cancelled by fog.",
    "Fuel prices in {place} rose {pct} percent over the week.",
    "The old breakwater, built in {year}, is {n2} metres long.",
    "Trucks queued for {n3} kilometres along the coast road to {place}.",
]
ATTRIBUTED_SHARE = 0.15     # of sentences; the rest is unattributed prose
ARTICLE_CHARS = 4000       # a longish wire story
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "June", "September", "December"]


def _name(rnd: random.Random) -> str:
    def word():
        return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
    return f"{word()} {word()}"


def _write_corpus(path, size: int, seed: int) -> int:
    """JSON Lines of generated ~4 KB articles (many distinct names and numbers) up to ``size``
    bytes; returns the number of lines."""
    rnd = random.Random(seed)
    n = written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < size:
            sents = []
            while sum(map(len, sents)) < ARTICLE_CHARS:
                pool = TEMPLATES if rnd.random() < ATTRIBUTED_SHARE else PLAIN
                sents.append(rnd.choice(pool).format(
                    role=rnd.choice(ROLES), name=_name(rnd), day=rnd.choice(DAYS),
                    month=rnd.choice(MONTHS), place=_name(rnd).split()[0],
                    n1=rnd.randint(2, 99_999), n2=rnd.randint(2, 500), n3=rnd.randint(2, 30),
                    pct=round(rnd.uniform(0.1, 40), 1), year=rnd.randint(1990, 2030),
                    ordinal=rnd.choice(["first", "second", "third", "fifth"])))
            line = json.dumps({"id": f"g{n}", "outlet": "Harbour Times",
                               "published": "2024-03-06", "text": " ".join(sents)},
                              ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode())
            n += 1
    return n


# Extraction runs at roughly 0.5 MB/s of CPU on this kind of text, so the two runs go side
# by side (2 cores), and the large corpus is sized to keep the test near 15 s (about 30 s
# on a busy machine). Holding the whole input or output would add well over 30 MB.
SMALL_MB, LARGE_MB = 1, 6


def test_extract_jsonl_peak_memory_does_not_grow_with_the_input(tmp_path):
    corpora = {}
    for mb in (SMALL_MB, LARGE_MB):
        src = tmp_path / f"corpus-{mb}mb.jsonl"
        corpora[mb] = (src, _write_corpus(src, mb * 1024 * 1024, seed=mb))
    runs = {}

    def run(mb):
        runs[mb] = run_measured("extract", corpora[mb][0].name, "--format", "jsonl",
                                db=tmp_path / "unused.db", cwd=tmp_path, timeout=150)

    threads = [threading.Thread(target=run, args=(mb,)) for mb in corpora]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for mb, (src, n) in corpora.items():
        r = runs[mb]
        assert r.returncode == 0, r.stderr[-2000:]
        out = r.stdout.splitlines()
        assert len(out) == n, (len(out), n)
        assert json.loads(out[-1])["id"] == f"g{n - 1}"
        print(f"{mb} MB ({n} articles): {r.seconds:.1f} s, peak RSS {r.max_rss_mb:.0f} MB")
    small, large = runs[SMALL_MB], runs[LARGE_MB]
    assert large.max_rss_mb <= 150, large.max_rss_mb
    assert large.max_rss_mb <= small.max_rss_mb + 30, (small.max_rss_mb, large.max_rss_mb)

"""Unattended use: bad input files, hostile text, damaged and newer stores.

Every case goes through the installed CLI (the ``cli`` fixture, or ``run_measured`` when the
test also bounds the process's peak memory), and checks the same contract: one clear line
per failed input on stderr, exit 1 when some input failed (2 when nothing could be done), no
traceback without ``--debug``, and whatever could be stored is stored.

Tests run as root in CI, and root reads files whatever their mode, so "unreadable" inputs
here are the kinds root cannot read either: a named pipe (opening it would wait for a
writer forever), a broken symbolic link, a symbolic link loop. A plain permission error is
simulated in-process, and tried for real with ``chmod 000`` only when not root.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BIN, FIXTURES, SEED

BAD_STDERR = ("Traceback", "Error:", "  File ")
ESCAPES = ("\x1b", "\x07", "\x9b", "\x00")


def count(db, table):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def error_lines(stderr: str) -> list[str]:
    """The error lines (notes aside); asserts there is nothing else on stderr."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    for bad in BAD_STDERR:
        assert bad not in stderr, stderr[-3000:]
    assert all(line.startswith("claimaudit: ") for line in lines), lines
    return [line for line in lines if not line.startswith("claimaudit: note: ")]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float
    seconds: float


def run_measured(*args, db, cwd, timeout: float = 180, stdin_bytes: bytes | None = None
                 ) -> Run:
    """The installed CLI as a child process, with its own peak RSS (``os.wait4``)."""
    env = dict(os.environ, CLAIMAUDIT_DB=str(db), NO_COLOR="1", COLUMNS="200")
    env.pop("CLAIMAUDIT_DEBUG", None)
    cmd = [str(BIN) if BIN.exists() else "claimaudit", *map(str, args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as inp:
        if stdin_bytes is not None:
            inp.write(stdin_bytes)
            inp.seek(0)
        # A child spawned straight from pytest inherits pytest's peak RSS on Linux (vfork
        # and exec fold the parent's high-water mark into the child's), so a small launcher
        # process starts the CLI and reports the CLI's own peak through a file.
        rss_file = Path(tempfile.mkstemp()[1])
        t0 = time.monotonic()
        p = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_file), *cmd],
                             stdin=inp if stdin_bytes is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err, env=env, cwd=cwd)
        watchdog = threading.Timer(timeout, p.kill)
        watchdog.start()
        try:
            p.wait()
        finally:
            watchdog.cancel()
        seconds = time.monotonic() - t0
        maxrss_kb = int(rss_file.read_text() or 0)
        rss_file.unlink()
        out.seek(0)
        err.seek(0)
        return Run(p.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), maxrss_kb / 1024, seconds)


LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def article_line(i: int, **extra) -> str:
    return json.dumps({"id": f"a{i}", "outlet": "Harbour Times", "published": "2024-03-06",
                       "text": f"Port Minister Oskar Lind said on Monday that {i + 10} ships "
                               f"were delayed at quay {chr(65 + i % 26)}.", **extra})


def write_repeated(path: Path, head: bytes, size: int, block: bytes, tail: bytes = b"") -> None:
    """``head``, then ``block`` repeated to ``size`` bytes in all, then ``tail`` (fast)."""
    big = block * max(1, (1 << 20) // len(block))
    with open(path, "wb") as fh:
        fh.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            fh.write(big[:left])
            left -= len(big)
        fh.write(tail)


# --- bad files ------------------------------------------------------------------------------

def test_empty_files_fail_with_one_line_each(cli, db_path, tmp_path):
    files = {"empty.txt": b"", "blank.txt": b"  \n\t\r\n", "empty.html": b"",
             "empty.jsonl": b"", "blank.jsonl": b"\n \n\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    r = cli("ingest", *files, SEED)
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    assert len(errors) == len(files), errors
    for name, line in zip(files, errors):
        assert name in line and "empty" in line, line
    assert count(db_path, "articles") == 1
    assert f"{len(files)} failed" in r.stdout


def test_binary_files_fail_with_one_line_each(cli, db_path, tmp_path):
    rnd = random.Random(7)
    noise = b"\x00" + rnd.randbytes(20_000)
    files = {"noise.txt": noise, "image.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise,
             "noise.jsonl": noise + b"\n" + noise,          # many "lines", still one error
             "controls.txt": bytes(range(1, 9)) * 2000}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    r = cli("ingest", *files, SEED)
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    assert len(errors) == len(files), errors
    assert all("binary data" in line for line in errors), errors
    assert count(db_path, "articles") == 1


def test_invalid_utf8_text_is_stored_and_an_invalid_utf8_jsonl_line_is_reported(cli, db_path,
                                                                                tmp_path):
    (tmp_path / "mixed.txt").write_bytes(
        b"Oskar Lind said \xc3\x28 that 300 ships \xa0\xa1 were delayed \xe2\x82 at the "
        b"\xf0\x28\x8c\xbc quay \x81\x8d\x8f.\n")
    (tmp_path / "batch.jsonl").write_bytes(
        article_line(1).encode() + b"\n"
        + b'{"text": "Marta Ilves said \xff\xfe 12 cranes broke down."}\n'
        + article_line(3).encode() + b"\n")
    r = cli("ingest", "mixed.txt", "batch.jsonl")
    assert r.returncode == 1
    (err,) = error_lines(r.stderr)
    assert "batch.jsonl line 2" in err and "not valid JSON" in err
    assert "mixed.txt: not valid UTF-8; read as" in r.stderr      # a note, not a failure
    assert count(db_path, "articles") == 3


def test_a_100_mb_text_file_is_refused_before_it_is_read(db_path, tmp_path):
    base = run_measured("ingest", SEED, db=db_path, cwd=tmp_path)
    assert base.returncode == 0, base.stderr
    big = tmp_path / "dump.txt"
    size = 100 * 1024 * 1024
    write_repeated(big, b"Oskar Lind said 300 ships were delayed.\n", size,
                   b"The harbour was quiet and 12 cranes stood still. ")
    try:
        r = run_measured("ingest", big.name, db=db_path, cwd=tmp_path)
    finally:
        big.unlink()
    print(f"100 MB text file: refused in {r.seconds:.2f} s, peak RSS {r.max_rss_mb:.0f} MB "
          f"(a one-article run: {base.max_rss_mb:.0f} MB)")
    assert r.returncode == 1
    (err,) = error_lines(r.stderr)
    assert err == (f"claimaudit: dump.txt: too large for one article ({size:,} bytes, "
                   "limit 10 MB); split it or use JSON Lines")
    assert r.max_rss_mb < base.max_rss_mb + 40        # the file was never read whole
    assert count(db_path, "articles") == 1


def test_a_100_mb_jsonl_line_is_refused_and_the_other_lines_are_stored(db_path, tmp_path):
    base = run_measured("ingest", SEED, db=db_path, cwd=tmp_path)
    src = tmp_path / "batch.jsonl"
    head = (article_line(1) + "\n" + '{"id": "huge", "text": "').encode()
    tail = ('"}\n' + article_line(3) + "\n").encode()
    write_repeated(src, head, 100 * 1024 * 1024, b"Oskar Lind said 300 ships were late. ", tail)
    try:
        r = run_measured("ingest", src, db=db_path, cwd=tmp_path)
    finally:
        src.unlink()
    print(f"100 MB JSON Lines line: refused in {r.seconds:.2f} s, peak RSS "
          f"{r.max_rss_mb:.0f} MB (a one-article run: {base.max_rss_mb:.0f} MB)")
    assert r.returncode == 1
    (err,) = error_lines(r.stderr)
    assert "batch.jsonl line 2: too large for one article" in err and "JSON Lines" in err
    assert r.max_rss_mb < base.max_rss_mb + 40        # the line was skipped, not held
    assert count(db_path, "articles") == 3


def test_stdin_over_the_article_limit_is_refused(db_path, tmp_path):
    r = run_measured("ingest", "-", db=db_path, cwd=tmp_path,
                     stdin_bytes=b"Oskar Lind said 300 ships were delayed. " * 300_000)
    assert r.returncode == 1
    (err,) = error_lines(r.stderr)
    assert "<stdin>: too large for one article" in err
    assert not db_path.exists() or count(db_path, "articles") == 0


def test_a_folder_of_3000_files(db_path, tmp_path):
    folder = tmp_path / "wire"
    names = ["Oskar Lind", "Marta Ilves", "Jaan Tamm", "Liis Kask", "Peeter Saar"]
    things = ("ships cranes tugs containers barges berths trucks trains flights workers ferries "
              "pilots sailors tankers drones").split()
    n = 3000
    for i in range(n):
        sub = folder / f"day{i // 250:02d}" / ("evening" if i % 2 else "morning")
        sub.mkdir(parents=True, exist_ok=True)
        quay = "".join(chr(97 + (i // 26 ** k) % 26) for k in range(3))
        (sub / f"story{i:05d}.txt").write_text(
            f"Port official {names[i % 5]} said on Monday that about {(i % 3 + 1) * 100} "
            f"{things[i % len(things)]} were delayed at the {quay} quay.\n", encoding="utf-8")
    for i in range(10):                       # the same story filed twice: stored once
        shutil.copy(next(folder.glob(f"day00/*/story{i:05d}.txt")), folder / f"copy{i}.txt")
    for i in range(5):
        (folder / f"empty{i}.txt").write_bytes(b"")
    (folder / "notes.md").write_text("not an article")             # not read: unknown extension
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "skip.txt").write_text("Oskar Lind said 5 ships sank.")
    r = run_measured("ingest", "--format", "json", folder, db=db_path, cwd=tmp_path)
    print(f"{n} files (+10 copies, 5 empty): {r.seconds:.1f} s, peak RSS {r.max_rss_mb:.0f} MB")
    assert r.returncode == 1, r.stderr[-2000:]
    summary = json.loads(r.stdout)
    assert (summary["articles_new"], summary["articles_seen"], len(summary["errors"])) == (n, 10, 5)
    assert len(error_lines(r.stderr)) == 5
    assert count(db_path, "articles") == n and count(db_path, "claims") == summary["claims"]
    assert r.max_rss_mb < 250
    assert r.seconds < 150


def test_unreadable_entries_pipe_broken_link_and_link_loop(cli, db_path, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text("Marta Ilves said 12 cranes broke down.", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")                      # open() would block forever
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub.txt").mkdir()                        # a folder named like a file: walked
    (folder / "sub.txt" / "inner.txt").write_text("Oskar Lind said 300 ships were delayed.")
    expected = {"pipe.txt": "named pipe", "gone.txt": "broken symbolic link",
                "loop.txt": "symbolic links"}
    if os.geteuid() != 0:                               # root reads a mode-000 file anyway
        locked = folder / "locked.txt"
        locked.write_text("Oskar Lind said 7 tugs sank.")
        locked.chmod(0)
        expected["locked.txt"] = "ermission denied"
    t0 = time.monotonic()
    r = cli("ingest", folder, folder / "pipe.txt", folder / "gone.txt")
    assert time.monotonic() - t0 < 60                   # nothing waited on the pipe
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    assert len(errors) == len(expected) + 2, errors
    for name, reason in expected.items():
        assert any(name in e and reason in e for e in errors), (name, errors)
    assert count(db_path, "articles") == 2


def test_permission_denied_simulated_in_process(tmp_path, monkeypatch):
    """Root cannot be refused a read, so the OS error is injected where the file is opened."""
    from claimaudit.errors import SourceError
    from claimaudit.ingest import iter_articles
    locked = tmp_path / "locked.txt"
    locked.write_text("Oskar Lind said 7 tugs sank.")
    (tmp_path / "ok.txt").write_text("Marta Ilves said 12 cranes broke down.")
    real_open = Path.open

    def guarded(self, *a, **k):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", guarded)
    for src in ([str(locked)], [str(tmp_path)]):
        items = list(iter_articles(src))
        errors = [i for i in items if isinstance(i, SourceError)]
        assert len(errors) == 1 and "Permission denied" in str(errors[0])
        assert "locked.txt" in str(errors[0]) and "\n" not in str(errors[0])


def test_jsonl_with_broken_lines_in_the_middle(cli, db_path, tmp_path):
    lines = [article_line(1).encode(), b"{not json", b"[1, 2, 3]", b'{"id": "no-text"}',
             b'{"text": "   "}', article_line(6).encode(), b'{"text": 5}', b'"a string"',
             b'{"text": "unterminated', b"", article_line(11).encode()]
    (tmp_path / "batch.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    r = cli("ingest", "batch.jsonl")
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    bad = [n for n in (2, 3, 4, 5, 7, 8, 9)]
    assert len(errors) == len(bad), errors
    for n, line in zip(bad, errors):
        assert f"batch.jsonl line {n}:" in line, (n, line)
    assert count(db_path, "articles") == 3
    arts = cli.json("articles", "--format", "json")
    assert sorted(a["ext_id"] for a in arts) == ["a1", "a11", "a6"]


def test_hostile_file_names_reach_stderr_as_literal_text(cli, tmp_path):
    names = ["[bold red]boom \x1b[2J\x1b]0;pwned\x07.txt", "[link=https:x.test]a.txt",
             "two\nlines.txt", "\x9b31mcsi.txt"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "[i]legacy\x1b[5m.txt").write_bytes(b"Oskar Lind said \x93300\x94 ships.")
    r = cli("ingest", *names, "[i]legacy\x1b[5m.txt")
    assert r.returncode == 1
    for esc in ESCAPES:
        assert esc not in r.stderr and esc not in r.stdout
    errors = error_lines(r.stderr)
    assert len(errors) == len(names)
    assert "[bold red]boom \\x1b[2J\\x1b]0;pwned\\x07.txt" in errors[0]
    assert "[link=https:x.test]a.txt" in errors[1]
    assert "two lines.txt" in errors[2]
    assert "\\x9b31mcsi.txt" in errors[3]
    assert "note: [i]legacy\\x1b[5m.txt: not valid UTF-8" in r.stderr


# --- hostile text in the store ---------------------------------------------------------------

E = "\x1b"
HOSTILE_OUTLET = f"[bold red]Evil Wire[/] {E}[31mRED{E}]8;;http://x.test\x07link{E}]8;;\x07"
HOSTILE_TITLE = '=HYPERLINK("http://x.test")|pipe|[link=http://x.test]t[/link]'
HOSTILE_NAME = f"[blink]Oskar[/blink] {E}[2JLind\x9b31m |x|"


def run_cli(db: Path, *args) -> subprocess.CompletedProcess:
    """The installed CLI on a given store (for the module-wide hostile store)."""
    env = dict(os.environ, CLAIMAUDIT_DB=str(db), NO_COLOR="1", COLUMNS="200")
    env.pop("CLAIMAUDIT_DEBUG", None)
    cmd = [str(BIN) if BIN.exists() else "claimaudit", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=db.parent,
                          timeout=120)


def run_json(db: Path, *args):
    r = run_cli(db, *args)
    assert r.returncode == 0 and not r.stderr.strip(), (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """One store of articles whose text, titles, outlets, URLs and speaker are hostile."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "store.db"
    rows = [
        {"id": "h1", "outlet": HOSTILE_OUTLET, "title": HOSTILE_TITLE, "published": "2024-03-06",
         "url": "https://x.test/a?[b]=1|2",
         "text": f"Port Minister Oskar [bold]Lind[/bold] said on Monday that 300 ships "
                 f"[link=http://evil.test]were[/link] delayed {E}[2J{E}]0;pwned\x07 at the quay."},
        {"id": "h2", "outlet": "+cmd|' /C calc'!A0", "title": "@SUM(1+1)|x",
         "published": "2024-03-07",
         "text": "Marta Ilves said about 12 cranes broke down |a|b| \x9b31m and -5 were =fixed."},
        {"id": "h3", "outlet": "-2+3", "title": "O'Reilly \"quoted\" |", "published": "2024-03-08",
         "text": "Mr O'Brien said 300 ships were delayed; O'Brien's \"[b]\" 'x' NEAR(a b) * OR."},
    ]
    (folder / "hostile.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n",
                                          encoding="utf-8")
    r = run_cli(db, "ingest", "hostile.jsonl")
    assert r.returncode == 0, r.stderr
    # a speaker whose very name is hostile (the extractor only makes names of words, but a
    # store is data from any version): stored directly, then grouped
    from claimaudit.models import Article, Claim, Figure, SpeakerRef, TextSpan
    from claimaudit.store import Store
    text = f"{HOSTILE_NAME}, head of [u]ports[/u] {E}[41m, said 300 ships were delayed."
    said = text.index("said")
    fig = text.index("300")
    claim = Claim(id=0, speaker=SpeakerRef(HOSTILE_NAME, HOSTILE_NAME, (0, len(HOSTILE_NAME)),
                                           role=f"head of [u]ports[/u] {E}[41m"),
                  cue=TextSpan("said", (said, said + 4)),
                  content=TextSpan(text[fig:-1], (fig, len(text) - 1)),
                  figures=[Figure("300", (fig, fig + 3), 300.0, metric="ships")])
    with Store(db) as store:
        store.add_article(Article(text=text, outlet=HOSTILE_OUTLET, title=HOSTILE_TITLE,
                                  published="2024-03-09", source="direct"), [claim])
    assert run_cli(db, "regroup").returncode == 0
    return db


def flat(s: str) -> str:
    """Table output with the wrapping undone (cells fold over several lines)."""
    return re.sub(r"\s+", "", s)


def test_hostile_text_is_literal_in_every_table(hostile_db):
    outputs = {cmd: run_cli(hostile_db, *cmd.split()) for cmd in
               ("report", "claims", "articles", "speakers", "trace 1")}
    for cmd, r in outputs.items():
        assert r.returncode == 0 and not r.stderr.strip(), (cmd, r.stderr)
        for esc in ESCAPES:
            assert esc not in r.stdout, (cmd, esc, r.stdout)
    arts = flat(outputs["articles"].stdout)
    assert "[boldred]EvilWire[/]\\x1b[31mRED\\x1b]8;;http://x.test\\x07link" in arts
    assert '=HYPERLINK("http://x.test")|pipe|[link=http://x.test]t[/link]' in arts
    speakers = flat(outputs["speakers"].stdout)
    assert "[blink]Oskar[/blink]\\x1b[2JLind\\x9b31m|x|" in speakers
    assert "[u]ports[/u]\\x1b[41m" in speakers
    assert "[bold]Lind[/bold]" in flat(outputs["claims"].stdout)
    report = flat(outputs["report"].stdout)
    assert "[blink]Oskar[/blink]" in report and "[boldred]EvilWi" in report


def test_hostile_text_in_csv_markdown_and_json(hostile_db):
    for cmd in ("report", "claims", "articles", "speakers"):
        r = run_cli(hostile_db, cmd, "--format", "csv")
        rows = list(csv.reader(io.StringIO(r.stdout)))
        assert r.returncode == 0 and len(rows) > 1, cmd
        for row in rows[1:]:
            assert len(row) == len(rows[0]), (cmd, row)
            for cell in row:
                assert not cell or cell[0] not in "=+-@" or re.fullmatch(
                    r"[+-]?\d+(\.\d+)?", cell), (cmd, cell)
        md = run_cli(hostile_db, cmd, "--format", "markdown").stdout
        assert "\x1b" not in md and "\x07" not in md
        table = [line for line in md.splitlines() if line.startswith("|")]
        assert table, cmd
        columns = len(re.findall(r"(?<!\\)\|", table[0]))
        for line in table:                 # a pipe in a cell never adds a column
            assert len(re.findall(r"(?<!\\)\|", line)) == columns, (cmd, line)
    arts = run_json(hostile_db, "articles", "--format", "json")
    assert {a["outlet"] for a in arts} >= {HOSTILE_OUTLET, "+cmd|' /C calc'!A0"}
    assert HOSTILE_TITLE in {a["title"] for a in arts}
    assert HOSTILE_NAME in {s["name"] for s in run_json(hostile_db, "speakers", "--format", "json")}


def test_quotes_and_fts_syntax_in_filters_are_just_characters(hostile_db):
    before = {t: count(hostile_db, t) for t in ("articles", "claims", "figures", "speakers")}
    for q in ("O'Brien'; DROP TABLE articles; --", 'NEAR(a b) OR * col:x ^ "a"b %_\\'):
        for args in (("claims", "--speaker", q, "--outlet", q, "--search", q),
                     ("report", "--speaker", q, "--metric", q, "--outlet", q),
                     ("articles", "--outlet", q)):
            run_json(hostile_db, *args, "--format", "json")
    assert {t: count(hostile_db, t) for t in before} == before
    assert [a["outlet"] for a in run_json(hostile_db, "articles", "--outlet",
                                          "+cmd|' /C calc'!A0", "--format", "json")] == [
        "+cmd|' /C calc'!A0"]
    found = run_json(hostile_db, "claims", "--search", "O'Brien's", "--format", "json")
    assert found and all("O'Brien" in c["content"]["text"] for c in found)


# --- the store: newer, older, damaged --------------------------------------------------------

def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_store_from_a_newer_claimaudit_is_refused_untouched(cli, db_path, tmp_path):
    cli("ingest", SEED, check=0)
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('claimaudit', 'm999_from_the_future', '2099-01-01')")
    conn.close()
    store_dir = db_path.parent / "only-store"
    store_dir.mkdir()
    shutil.move(db_path, store_dir / db_path.name)
    db = store_dir / db_path.name
    before = _folder_bytes(store_dir)
    for args in (("ingest", SEED), ("store", "check")):
        r = cli(*args, "--db", db)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        (line,) = error_lines(r.stderr)
        assert "newer claimaudit" in line and "m999_from_the_future" in line, line
    assert _folder_bytes(store_dir) == before


def test_a_store_from_an_older_claimaudit_is_migrated_through_the_cli(cli, db_path):
    import sqlite_utils

    from claimaudit.migrations import known_names, migrations
    db = sqlite_utils.Database(db_path)
    migrations.apply(db, stop_before="m002_speaker_identity")
    db.execute("INSERT INTO speakers (name, kind, key) VALUES ('Andrei Belousov', 'person', "
               "'andrei belousov')")
    db.conn.commit()
    db.close()
    r = cli("store", "check", check=0)
    assert "integrity ok" in r.stdout
    with sqlite3.connect(db_path) as conn:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'claimaudit'")]
        assert names == known_names()
        assert conn.execute("SELECT ident FROM speakers").fetchone()[0] == "belousov"
    conn.close()
    cli("ingest", SEED, check=0)


def test_a_damaged_store_fails_with_one_clear_line(cli, db_path, tmp_path):
    cli("ingest", FIXTURES, SEED, check=0)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = {name: [p for (p,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", [name])]
            for name in ("claims",)}
        npages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    rnd = random.Random(11)
    damage = {name: (ps[len(ps) // 2] - 1) * page + 8 for name, ps in pages.items()
              if ps and name == "claims"}
    damage["middle of the file"] = (npages // 2) * page
    damage["header"] = 16
    outcomes = {}
    for where, offset in damage.items():
        bad = tmp_path / "damaged.db"
        shutil.copy(db_path, bad)
        with open(bad, "r+b") as fh:
            fh.seek(offset)
            fh.write(rnd.randbytes(page - 16))
        r = cli("store", "check", "--db", bad)
        assert r.returncode in (1, 2), (where, r.returncode, r.stdout, r.stderr)
        (line,) = error_lines(r.stderr)
        assert ("integrity FAILED" in r.stdout and "damaged" in line) or (
            "cannot open the store" in line), (where, r.stdout, line)
        assert len(r.stdout.splitlines()) <= 2
        outcomes[where] = r.returncode
        if where == "claims":         # a listing may or may not read the damaged page
            r = cli("claims", "--format", "json", "--db", bad)
            assert r.returncode in (0, 2), (where, r.stderr)
            assert len(error_lines(r.stderr)) == (r.returncode == 2)
        bad.unlink()
    print(f"damaged copies, store check exit codes: {outcomes}")
    assert cli("store", "check", check=0).stdout.startswith(f"{db_path}: integrity ok")


def test_progress_display_shows_hostile_names_literally():
    """The progress bar (a terminal only) names each source: as text, never as markup."""
    from rich.console import Console

    from claimaudit.errors import SourceError
    from claimaudit.ingest import TerminalProgress
    progress = TerminalProgress(delay=0)
    try:
        progress(SourceError("[bold red]boom[/] \x1b[2J\x1b]0;pwned\x07.txt", "empty input"))
        out = io.StringIO()
        Console(file=out, force_terminal=True, width=200).print(
            progress._progress.make_tasks_table(progress._progress.tasks))
    finally:
        progress.close()
    assert "[bold red]boom[/] \\x1b[2J\\x1b]0;pwned\\x07.txt" in out.getvalue()
    assert "\x1b[2J" not in out.getvalue() and "\x07" not in out.getvalue()

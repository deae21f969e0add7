"""The installed CLI as a user runs it, on real SQLite files in tmp_path."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from tests.conftest import FIXTURES, SEED


def count(db, table):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ingest_seed_then_reingest_stores_nothing_new(cli, db_path):
    r = cli("ingest", SEED, check=0)
    assert "Stored 1 new article" in r.stdout and "4 figures" in r.stdout
    before = {t: count(db_path, t) for t in ("articles", "claims", "figures", "origins")}
    r = cli("ingest", SEED, check=0)
    assert "Nothing new" in r.stdout
    assert {t: count(db_path, t) for t in before} == before
    assert before["articles"] == 1 and before["figures"] == 4


def test_report_on_gerasimov_shows_belousov_as_origin(cli):
    cli("ingest", SEED, check=0)
    doc = cli.json("report", "--speaker", "gerasimov", "--format", "json")
    groups = doc["groups"]
    assert len(groups) == 4
    credited = {f["speaker"]["name"] for g in groups for f in g["figures"]}
    assert credited == {"Valery Gerasimov"}
    casualties = next(g for g in groups if g["figures"][0]["value"] == 1_000_000)
    (origin,) = casualties["figures"][0]["origin"]
    assert origin["speaker"]["name"] == "Andrey Belousov"
    assert origin["stated_on"]["date"] == "2024-12-16"
    table = cli("report", "--speaker", "Gerasimov", check=0).stdout
    assert "Belousov" in table and "nearly 1 million" in table
    # a report on the origin lists the same figures
    doc = cli.json("report", "--speaker", "Belousov", "--format", "json")
    assert sorted(g["figures"][0]["value"] for g in doc["groups"]) == [20_000, 1_000_000]


def test_report_speaker_with_a_quote_is_just_a_character(cli):
    cli("ingest", SEED, check=0)
    doc = cli.json("report", "--speaker", "O'Brien\"; DROP TABLE figures; --", "--format", "json")
    assert doc == {"groups": []}
    assert cli.json("report", "--format", "json")["groups"]


def test_every_format_renders(cli):
    cli("ingest", SEED, check=0)
    for fmt in ("table", "json", "jsonl", "csv", "markdown"):
        for cmd in ("report", "claims", "articles", "speakers"):
            r = cli(cmd, "--format", fmt, check=0)
            assert r.stdout.strip(), (cmd, fmt)
    r = cli("report", "--format", "yaml")
    assert r.returncode == 2 and "yaml" in r.stderr and "Traceback" not in r.stderr


def test_listings_json_shapes(cli):
    cli("ingest", SEED, "--url", "https://example.org/seed", check=0)
    arts = cli.json("articles", "--format", "json")
    assert arts[0]["outlet"] == "MENAFN" and arts[0]["published"] == "2024-12-21"
    assert arts[0]["url"] == "https://example.org/seed"
    assert {"id", "url", "outlet", "title", "published"} <= set(arts[0])
    claims = cli.json("claims", "--format", "json")
    with_figs = [c for c in claims if c["figures"]]
    assert len(with_figs) == 4
    c = with_figs[0]
    assert c["article"]["outlet"] == "MENAFN"
    assert c["speaker"]["span"] == [26, 42] and c["cue"]["text"] == "reported"
    assert cli.json("claims", "--speaker", "Gerasimov", "--search", "hypersonic",
                    "--format", "json")[0]["cue"]["text"] == "revealed"


def test_jsonl_with_a_broken_line_stores_the_rest(cli, db_path, tmp_path):
    src = tmp_path / "batch.jsonl"
    good = {"id": "a1", "text": "Port Minister Oskar Lind said on Monday that 300 ships were "
                               "delayed.", "outlet": "Harbour Times", "published": "2024-03-06"}
    other = dict(good, id="a2", text="Marta Ilves said 12 cranes broke down.")
    src.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(other) + "\n",
                   encoding="utf-8")
    r = cli("ingest", src)
    assert r.returncode == 1
    assert "line 2" in r.stderr and "Traceback" not in r.stderr
    assert count(db_path, "articles") == 2


def test_missing_file_is_one_clear_line(cli, db_path, tmp_path):
    r = cli("ingest", tmp_path / "nope.txt", SEED)
    assert r.returncode == 1
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "nope.txt" in lines[0]
    assert count(db_path, "articles") == 1


def test_folders_and_fixtures(cli, db_path):
    r = cli("ingest", FIXTURES, SEED.parent, check=0)
    n = len(list(FIXTURES.glob("*.txt"))) + 1
    assert f"Stored {n} new articles" in r.stdout
    assert count(db_path, "articles") == n


def test_extract_json_and_streaming_jsonl(cli, tmp_path):
    doc = cli.json("extract", SEED)
    assert doc["article"]["outlet"] == "MENAFN"
    assert [f["text"] for c in doc["claims"] for f in c["figures"]] == [
        "nearly 1 million", "about 20,000", "more than 190", "two"]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"x{i}", "text": f"Ilves said {i + 2} ships sank."})
                             for i in range(3)) + "\n", encoding="utf-8")
    r = cli("extract", src, "--format", "jsonl", check=0)
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["x0", "x1", "x2"]
    assert rows[1]["claims"][0]["figures"][0]["value"] == 3


def test_db_option_beats_environment(cli, tmp_path):
    other = tmp_path / "other.db"
    cli("ingest", SEED, "--db", other, check=0)
    assert count(other, "articles") == 1


def test_stdin_and_overrides(cli):
    text = SEED.read_text(encoding="utf-8")
    cli("ingest", "-", "--outlet", "Wire Copy", "--title", "Losses", input=text, check=0)
    (art,) = cli.json("articles", "--format", "json")
    assert art["outlet"] == "Wire Copy" and art["title"] == "Losses"


def test_python_m_and_help():
    r = subprocess.run([sys.executable, "-m", "claimaudit", "--help"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and "ingest" in r.stdout and "report" in r.stdout


def test_fail_on_flags_exit_code(cli):
    cli("ingest", FIXTURES, check=0)
    r = cli("report", "--flag", "qualifier", "--fail-on-flags", "--format", "json")
    assert r.returncode == 3 and json.loads(r.stdout)["groups"]
    r = cli("report", "--speaker", "Nobody Here", "--fail-on-flags")
    assert r.returncode == 0


def test_store_check(cli):
    cli("ingest", SEED, check=0)
    r = cli("store", "check", check=0)
    assert "integrity ok" in r.stdout and "articles 1" in r.stdout


def test_speakers_listing_merge_and_split(cli):
    cli("ingest", FIXTURES, check=0)
    people = {s["name"]: s for s in cli.json("speakers", "--format", "json")}
    bel = people["Andrey Belousov"]
    assert "Andrei Belousov" in bel["aliases"] and bel["articles"] >= 3 and bel["figures"] >= 3
    r = cli("speakers", "merge", "Belousov", "Kremlin", check=0)
    assert "Merged Kremlin into Andrey Belousov" in r.stdout
    names = {s["name"] for s in cli.json("speakers", "--format", "json")}
    assert "Kremlin" not in names
    cli("ingest", FIXTURES, check=0)   # re-ingest keeps the correction
    assert "Kremlin" not in {s["name"] for s in cli.json("speakers", "--format", "json")}
    cli("speakers", "split", "Kremlin", check=0)
    assert "Kremlin" in {s["name"] for s in cli.json("speakers", "--format", "json")}
    r = cli("speakers", "merge", "Nobody", "Kremlin")
    assert r.returncode == 2 and "no speaker matches" in r.stderr


def test_invalid_utf8_is_read_with_a_stated_fallback(cli, db_path, tmp_path):
    src = tmp_path / "legacy.txt"
    src.write_bytes(b"LONDON, March 5, 2024 (Harbour Times) - Oskar Lind said \x93about 300"
                    b"\x94 ships were delayed \x96 a record.\n")
    r = cli("ingest", src, check=0)
    assert "not valid UTF-8; read as cp1252" in r.stderr
    (c,) = [c for c in cli.json("claims", "--format", "json") if c["figures"]]
    f = c["figures"][0]
    assert (f["value"], f["qualifier"]) == (300, "approx") and "about 300" in f["text"]
    with sqlite3.connect(db_path) as conn:
        text, enc = conn.execute("SELECT text, encoding FROM articles").fetchone()
    assert "“about 300” ships were delayed – a record" in text and enc == "cp1252"


def test_an_unknown_option_is_a_usage_error_not_an_internal_error(tmp_path):
    """The installed entry point, as a user types it: click's usage message, exit 2."""
    for args in (["report", "--bogus"], ["speakers", "merge", "--nope", "a", "b"]):
        r = subprocess.run([sys.executable, "-m", "claimaudit", *args, "--db",
                            str(tmp_path / "u.db")], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, r.stderr
        assert "No such option" in r.stderr and "internal error" not in r.stderr
        assert "Traceback" not in r.stderr

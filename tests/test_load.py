"""`claimaudit extract --format jsonl` as a pure stage and `claimaudit load` storing its
output: the installed CLI on real SQLite files in tmp_path."""

from __future__ import annotations

import json
import sqlite3

import pytest

from claimaudit.extract.pipeline import extract_claims
from claimaudit.ingest import iter_articles
from claimaudit.models import Article, Claim
from tests.conftest import FIXTURES, SEED

# columns that differ between two runs of the same input: when, and which run
VOLATILE = {"ingested_at", "run_id", "started_at", "finished_at", "created_at"}
COMPARED = ("articles", "claims", "figures", "origins", "speakers", "speaker_aliases",
            "speaker_roles", "figure_groups", "figure_group_members")


def tables(db) -> dict[str, list]:
    """Every row of the data tables, without timestamps and run ids, in a stable order."""
    out = {}
    with sqlite3.connect(db) as conn:
        for t in COMPARED:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')
                    if r[1] not in VOLATILE]
            rows = conn.execute(f'SELECT {", ".join(cols)} FROM "{t}"').fetchall()
            out[t] = sorted(rows, key=repr)
    return out


def extract_to(cli, path, *args) -> list[dict]:
    r = cli("extract", *args, "--format", "jsonl", check=0)
    path.write_text(r.stdout, encoding="utf-8")
    return [json.loads(line) for line in r.stdout.splitlines()]


@pytest.fixture
def fixture_claims(cli, tmp_path):
    path = tmp_path / "claims.jsonl"
    rows = extract_to(cli, path, FIXTURES, "--narration")
    assert len(rows) == len(list(FIXTURES.glob("*.txt")))
    return path


def test_claims_and_articles_round_trip_through_their_dicts():
    n = lossy = 0
    for article in iter_articles([str(FIXTURES)]):
        assert Article.from_dict(json.loads(json.dumps(article.to_dict(text=True)))) == article
        for narration in (False, True):
            for claim in extract_claims(article, narration=narration):
                n += 1
                assert Claim.from_dict(json.loads(json.dumps(claim.to_dict(full=True)))) == claim
                lossy += Claim.from_dict(claim.to_dict()) != claim
    # the listing shape leaves out what only extraction knows; full=True keeps it
    assert n > 100 and lossy > 10


def test_extract_jsonl_carries_the_text_and_takes_several_paths(cli, tmp_path):
    rows = extract_to(cli, tmp_path / "out.jsonl", SEED, FIXTURES)
    assert len(rows) == 1 + len(list(FIXTURES.glob("*.txt")))
    art = rows[0]["article"]
    assert art["text"] == SEED.read_text(encoding="utf-8")
    assert art["source"] == str(SEED) and rows[0]["narration"] is False
    claim = next(c for c in rows[0]["claims"] if c["figures"])
    s, e = claim["content"]["span"]
    assert art["text"][s:e] == claim["content"]["text"]
    # --no-text leaves it out; the pretty single document has none unless asked
    rows = extract_to(cli, tmp_path / "out.jsonl", SEED, "--no-text")
    assert "text" not in rows[0]["article"]
    assert "text" not in cli.json("extract", SEED)["article"]
    assert cli.json("extract", SEED, "--text")["article"]["text"] == art["text"]


def test_load_stores_what_ingest_stores(cli, tmp_path, fixture_claims):
    r = cli("load", fixture_claims, check=0)
    loaded = tables(tmp_path / "store.db")
    report = cli("report", "--format", "json", check=0).stdout
    other = tmp_path / "ingested.db"
    r2 = cli("ingest", FIXTURES, "--db", other, check=0)
    assert r.stdout == r2.stdout and r.stdout.startswith("Stored 18 new articles")
    assert r.stderr == ""
    ingested = tables(other)
    for t in COMPARED:
        assert loaded[t] == ingested[t], t
    assert len(loaded["figure_group_members"]) > 50
    assert report == cli("report", "--db", other, "--format", "json", check=0).stdout
    assert json.loads(report)["groups"]
    with sqlite3.connect(tmp_path / "store.db") as conn:
        runs = conn.execute("SELECT command, sources, articles_new, status FROM runs").fetchall()
    assert runs == [("load", json.dumps([str(fixture_claims)]), 18, "ok")]


def test_load_twice_is_seen(cli, db_path, fixture_claims):
    cli("load", fixture_claims, check=0)
    before = tables(db_path)
    r = cli("load", fixture_claims, "--format", "json", check=0)
    assert json.loads(r.stdout) == {"articles_new": 0, "articles_seen": 18, "claims": 0,
                                    "figures": 0, "errors": []}
    assert cli("load", fixture_claims, check=0).stdout == \
        "Nothing new: 18 articles already stored.\n"
    assert tables(db_path) == before


def test_load_reads_stdin_and_notes_claims_without_narration(cli, db_path, tmp_path):
    path = tmp_path / "seed.jsonl"
    extract_to(cli, path, SEED)
    r = cli("load", "-", input=path.read_text(encoding="utf-8"), check=0)
    assert r.stdout.startswith("Stored 1 new article (")
    assert r.stderr.count("\n") == 1 and "note: <stdin>: extracted without --narration" in r.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE kind = 'narration'"
                            ).fetchone()[0] == 0
    assert cli("load", path, "--quiet", check=0).stdout == ""


def _break_text_at_span(rec):
    c = next(c for c in rec["claims"] if c["figures"])
    c["figures"][0]["text"] = "999 " + c["figures"][0]["text"]


def _span_out_of_range(rec):
    c = next(c for c in rec["claims"] if c["figures"])
    c["figures"][0]["span"] = [len(rec["article"]["text"]) - 2, len(rec["article"]["text"]) + 40]


def _hash_mismatch(rec):
    rec["article"]["text"] = rec["article"]["text"].replace("1", "2", 1)


def _missing_text(rec):
    del rec["article"]["text"]


def _missing_field(rec):
    del rec["claims"][0]["cue"]


def _value_not_a_number(rec):
    c = next(c for c in rec["claims"] if c["figures"])
    c["figures"][0]["value"] = "1 million"


BAD = {
    "broken JSON": (None, "line 2: not valid JSON"),
    "span out of range": (_span_out_of_range, "line 2: claim"),
    "text not at its span": (_break_text_at_span, "is not the text at its span"),
    "hash mismatch": (_hash_mismatch, "line 2: the article text does not match its content_hash"),
    "missing text": (_missing_text, "line 2: the article has no text"),
    "missing field": (_missing_field, "line 2: claim 0: missing field 'cue'"),
    "wrong type": (_value_not_a_number, "figure 0 value '1 million' is not a number"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_record_is_one_line_and_the_rest_are_stored(cli, db_path, tmp_path,
                                                          fixture_claims, case):
    lines = fixture_claims.read_text(encoding="utf-8").splitlines()
    # the store already holds the first article: it must come out untouched
    first = tmp_path / "first.jsonl"
    first.write_text(lines[0] + "\n", encoding="utf-8")
    cli("load", first, check=0)
    before = tables(db_path)
    change, expected = BAD[case]
    if change is None:
        bad = lines[1][:-20]
    else:
        rec = json.loads(lines[1])
        change(rec)
        bad = json.dumps(rec)
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([lines[0], bad, lines[2]]) + "\n", encoding="utf-8")
    r = cli("load", batch, check=1)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"claimaudit: {batch} line 2: ") and expected in r.stderr
    assert "claimaudit extract" in r.stderr or "fix or remove the line" in r.stderr
    assert r.stdout == "Stored 1 new article (%d claims, %d figures), 1 already stored, " \
                       "1 failed.\n" % _counts(lines[2])
    after = tables(db_path)
    assert len(after["articles"]) == 2
    for t in ("articles", "claims", "figures"):
        assert set(before[t]) <= set(after[t])
    rec = json.loads(lines[1])
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE content_hash = ?",
                            [rec["article"]["content_hash"]]).fetchone()[0] == 0
        (status, errors) = conn.execute(
            "SELECT status, errors FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert status == "errors" and json.loads(errors)[0]["source"] == f"{batch} line 2"


def _counts(line: str) -> tuple[int, int]:
    rec = json.loads(line)
    return len(rec["claims"]), sum(len(c["figures"]) for c in rec["claims"])


def test_load_of_articles_or_a_missing_file_says_what_to_do(cli, db_path, tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a", "text": "Ilves said 3 ships sank."}) + "\n",
                        encoding="utf-8")
    r = cli("load", articles, tmp_path / "nope.jsonl", check=1)
    err = r.stderr.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"claimaudit: {articles} line 1: not a claims record")
    assert "claimaudit ingest" in err[0]
    assert err[1].startswith(f"claimaudit: {tmp_path / 'nope.jsonl'}: no such file")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def _dask_script():
    import importlib.util
    from tests.conftest import ROOT
    spec = importlib.util.spec_from_file_location("dask_extract",
                                                  ROOT / "benchmarks" / "dask_extract.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)        # Dask itself is imported only by its main()
    return mod


def test_dask_script_chunks_load_like_ingest(cli, db_path, tmp_path, monkeypatch):
    """The Dask script's task, run here without Dask: its parts load into the same store
    as ingest of the corpus, line numbers and a bad line included."""
    mod = _dask_script()
    corpus = tmp_path / "corpus.jsonl"
    rows = [json.dumps({"id": f"a{i}", "outlet": "Alpha Wire", "published": "2024-12-1%d" % i,
                        "text": p.read_text(encoding="utf-8")})
            for i, p in enumerate(sorted(FIXTURES.glob("*.txt"))[:7])]
    rows[3] = "{broken"
    rows.insert(5, "")
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)         # sources named as the CLI below names them
    spans = mod.chunks(corpus, 3)
    assert [s[0] for s in spans] == [1, 4, 7]
    out = tmp_path / "parts"
    out.mkdir()
    stats = [mod.extract_chunk(("corpus.jsonl", str(out), i, s, True))
             for i, s in enumerate(spans)]
    assert sum(s["articles"] for s in stats) == 6
    assert [e for s in stats for e in s["errors"]] == [
        "corpus.jsonl line 4: not valid JSON (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)) (fix or remove the line)"]
    r = cli("load", *sorted(out.glob("part-*.jsonl")), check=0)
    assert r.stdout.startswith("Stored 6 new articles")
    other = tmp_path / "ingested.db"
    cli("ingest", "corpus.jsonl", "--db", other, check=1)
    assert tables(db_path) == tables(other)

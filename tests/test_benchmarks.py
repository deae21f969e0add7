"""The benchmark tools: the synthetic corpus generator (deterministic, well-formed, figures
restated across outlets) and a smoke run of the suite. Timings are printed by the scripts,
never asserted here."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

from tests.conftest import ROOT

MAKE = ROOT / "benchmarks" / "make_corpus.py"
RUN_ALL = ROOT / "benchmarks" / "run_all.py"
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402


def _generate(n: int, seed: int = 7) -> bytes:
    r = subprocess.run([sys.executable, str(MAKE), str(n), "--seed", str(seed)],
                       capture_output=True, timeout=60, check=True)
    return r.stdout


def test_same_seed_same_bytes_other_seed_other_corpus():
    a, b = _generate(40), _generate(40)
    assert a == b and len(a) > 40 * 500
    assert _generate(40, seed=8) != a
    # streaming: a shorter corpus is the start of a longer one
    assert a.startswith(_generate(15))


def test_every_line_is_an_article_in_well_formed_text():
    lines = _generate(60, seed=3).decode("utf-8").splitlines()
    assert len(lines) == 60
    ids = set()
    capital_bodies = [b[0].upper() + b[1:] for b in make_corpus.BODIES]
    for line in lines:
        row = json.loads(line)
        assert {"id", "outlet", "published", "text", "title", "url"} <= set(row)
        ids.add(row["id"])
        dt.date.fromisoformat(row["published"])
        text = row["text"]
        assert text.startswith(row["title"] + "\n\n")
        assert row["outlet"] in text.split("\n\n")[1]          # the dateline names it
        for para in text.split("\n\n")[1:]:
            assert para.rstrip("”").endswith((".", "?", "!")), para
        for bad in ("  ", " ,", " .", "..", ",,", ",.", ", ,", "“ ", " ”"):
            assert bad not in text, (bad, text)
        for body in capital_bodies:     # "The Defence Ministry" only where a sentence starts
            for m in re.finditer(re.escape(body), text):
                before = text[max(0, m.start() - 2):m.start()]
                assert m.start() == 0 or before in ("\n\n", ". ", "” ", "— ", "- "), \
                    (body, text[max(0, m.start() - 40):m.end()])
    assert len(ids) == 60


def test_stats_of_a_corpus(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(_generate(20))
    r = subprocess.run([sys.executable, str(MAKE), "--stats", str(corpus), "--json"],
                       capture_output=True, text=True, timeout=120, check=True)
    st = json.loads(r.stdout)[0]
    assert st["articles"] == 20
    assert st["characters"] == sum(len(json.loads(l)["text"]) for l in corpus.open())
    assert st["p10_chars"] <= st["median_chars"] <= st["p90_chars"]
    assert 0 < st["attributed_figures_per_1k"] < st["claims_per_1k"]


def test_restated_figures_recur_across_outlets(tmp_path, cli):
    corpus = tmp_path / "c50.jsonl"
    corpus.write_bytes(_generate(50))
    cli("ingest", corpus, "--quiet", check=0)
    groups = cli.json("report", "--format", "json")["groups"]
    spread = sorted((len({f["article"]["outlet"] for f in g["figures"]}), g["label"])
                    for g in groups)
    assert spread and spread[-1][0] >= 4, spread[-5:]
    # and restatements differ from the first statement: hedges, speakers, rounding
    flags = {fl for g in groups for fl in g["flags"]}
    assert {"qualifier", "speaker", "rounding"} <= flags, flags


def test_run_all_smoke(tmp_path):
    out_json = tmp_path / "results.json"
    r = subprocess.run(
        [sys.executable, str(RUN_ALL), "--sizes", "20", "--runs", "1", "--report-runs", "1",
         "--startup-runs", "2", "--skip-1m", "--workdir", str(tmp_path / "work"),
         "--json", str(out_json), "--markdown"],
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    out = r.stdout
    assert out.startswith("machine ")
    for row in ("extract, 1 process: M chars/s", "extract, pinned to 1 core: articles/s",
                "raw SQLite floor: articles/s", "peak RSS MB", "time / raw floor",
                "report --speaker (frequent): s", "report --speaker (rare): s",
                "claimaudit --help: s", "| measure | 20 articles |"):
        assert row in out, (row, out)
    assert "load" in out            # measured, or "n/a (command missing)"
    res = json.loads(out_json.read_text())
    values = {(x["measure"], x["size"]): x["value"] for x in res["results"]}
    assert values[("extract, 1 process: articles/s", "20")] > 0
    assert values[("extract, 1 process: peak RSS MB", "20")] > 10
    assert res["machine"]["sqlite"]

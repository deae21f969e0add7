"""`claimaudit ingest` end to end through the installed CLI: every kind of source, pages
from a real HTTP server on 127.0.0.1 (tests/httpserver.py, no mocks of the fetch path),
metadata, boilerplate, charsets, each kind of fetch failure, one client per run, and the
progress display (terminals only)."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN, SEED
from tests.httpserver import LocalServer, _Handler, http_server  # noqa: F401

DATA = Path(__file__).parent / "data"
BOILERPLATE = ("NAVTOKEN", "FOOTERTOKEN", "SIDEBARTOKEN", "RELATEDTOKEN", "COMMENTTOKEN")


def page(title: str, first: str, outlet: str | None = None) -> str:
    meta = f'<meta property="og:site_name" content="{outlet}">' if outlet else ""
    return f"""<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>
<nav><a href="/">NAVTOKEN Home</a></nav>
<article><p>{first}</p>
<p>The agency said the figures would be revised next month after further inspections.</p>
</article>
<aside class="sidebar"><p>SIDEBARTOKEN Subscribe today and save 30 per cent.</p></aside>
<footer><p>FOOTERTOKEN Contact us</p></footer></body></html>"""


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


# -- local sources ----------------------------------------------------------------------

def test_files_folders_jsonl_and_stdin(cli, db_path, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text("Port Minister Oskar Lind said on Monday that 300 ships "
                                  "were delayed.\n", encoding="utf-8")
    (folder / "sub" / "b.htm").write_text(page("Cranes", "Marta Ilves said 12 cranes broke "
                                                "down at the container terminal."),
                                          encoding="utf-8")
    (folder / "sub" / "deeper" / "c.jsonl").write_text(
        json.dumps({"id": "c1", "text": "The harbour master said 45 tugs were idle.",
                    "outlet": "Quay Times"}) + "\n"
        + json.dumps({"id": "c2", "html": "<p>The union said 2,300 members had joined.</p>",
                      "url": "https://quay.example/union"}) + "\n", encoding="utf-8")
    (folder / "notes.md").write_text("A figure of 999 that is not read.", encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.txt").write_text("Hidden said 5 things.", encoding="utf-8")
    html = tmp_path / "story.html"
    html.write_text(page("Ferries", "About 70 ferries were cancelled, the port said."),
                    encoding="utf-8")

    doc = cli.json("ingest", folder, html, SEED, "--format", "json")
    assert doc["articles_new"] == 6 and doc["errors"] == []
    assert doc["claims"] >= 6 and doc["figures"] >= 6
    stored = rows(db_path, "SELECT source, text, outlet, url, ext_id FROM articles")
    assert len(stored) == 6
    texts = " ".join(r["text"] for r in stored)
    assert "999" not in texts and "Hidden" not in texts
    assert not any(tok in texts for tok in BOILERPLATE)
    by_id = {r["ext_id"]: r for r in stored if r["ext_id"]}
    assert by_id["c1"]["outlet"] == "Quay Times"
    assert by_id["c2"]["url"] == "https://quay.example/union"

    lines = [json.dumps({"text": "Ilves said 7 ships sank."}), "{broken",
             json.dumps({"text": "Lind said 9 berths were closed."})]
    r = cli("ingest", "-", "--input-format", "jsonl", "--format", "json",
            input="\n".join(lines) + "\n")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["articles_new"] == 2
    assert out["errors"] == [{"source": "<stdin> line 2",
                              "error": "not valid JSON (Expecting property name enclosed in "
                                       "double quotes: line 1 column 2 (char 1)) (fix or "
                                       "remove the line)"}]
    sources = [r["source"] for r in rows(db_path, "SELECT source FROM articles")]
    assert sources[-2:] == ["<stdin> line 1", "<stdin> line 3"]


# -- pages from the server --------------------------------------------------------------

def test_pages_metadata_boilerplate_and_charsets(cli, db_path, http_server):
    http_server.route("/business/port-strike-day-three",
                      (DATA / "article_opengraph.html").read_bytes())
    http_server.route("/story/flood", (DATA / "article_jsonld.html").read_bytes())
    http_server.route("/plain", "Harbour master Ivo Brandt said 45 tugs were idle on Sunday.\n",
                      content_type="text/plain; charset=utf-8")
    cp1252 = (DATA / "article_cp1252.html").read_bytes()
    assert b"charset" not in cp1252 and b"\x93" in cp1252
    http_server.route("/cp1252", cp1252, content_type="text/html")   # no charset anywhere
    og_url = http_server.url("/business/port-strike-day-three?ref=rss")
    ld_url = http_server.url("/story/flood")
    plain_url = http_server.url("/plain")
    cp_url = http_server.url("/cp1252")

    r = cli("ingest", og_url, ld_url, plain_url, cp_url, check=0)
    assert "Stored 4 new articles" in r.stdout
    assert [l for l in r.stderr.splitlines() if "note:" not in l] == []
    assert "read as cp1252" in r.stderr   # the page named no charset: the guess is stated

    # metadata -> the stored fields, as `articles` lists them
    arts = {a["title"]: a for a in cli.json("articles", "--format", "json")}
    og = arts["Port strike enters third day"]
    assert og["outlet"] == "Harbour Courier"                 # og:site_name
    assert og["published"] == "2023-11-14"                   # article:published_time
    # the relative canonical, resolved against the fetched URL (the query is gone)
    assert og["url"] == http_server.url("/business/port-strike-day-three")
    ld = arts["Flood damage in Riverton put at 1,200 homes"]    # JSON-LD headline
    assert ld["outlet"] == "The Valley Ledger"               # JSON-LD publisher
    assert ld["published"] == "2024-03-04"                   # JSON-LD datePublished
    assert ld["url"] == "https://ledger.example/news/2024/03/riverton-flood-damage"
    plain = next(a for a in arts.values() if a["url"] == plain_url)
    assert plain["outlet"] is None
    cp = arts["Riverton flood count rises"]                  # " | Valley Ledger" dropped
    assert cp["outlet"] == "Valley Ledger" and cp["url"] == cp_url

    stored = {r["source"]: r for r in rows(db_path, "SELECT * FROM articles")}
    assert stored[ld_url]["canonical_url"] == ld["url"]     # the asked-for URL stays the source
    assert stored[ld_url]["author"] == "Mara Quill, Tobias Fenn"
    assert stored[og_url]["author"] == "Lena Ostrova"
    # boilerplate: menus, sidebars, related links, comments and footers are left out
    for src in (og_url, ld_url, cp_url):
        assert not any(tok in stored[src]["text"] for tok in BOILERPLATE), stored[src]["text"]
    assert stored[ld_url]["text"].startswith("About 1,200 homes in Riverton")
    assert "99,999" not in stored[ld_url]["text"]            # a reader comment
    assert stored[plain_url]["text"].startswith("Harbour master Ivo Brandt said 45 tugs")

    # Windows-1252 without a charset: curly quotes and dashes come out right
    first = ("Helen Marsh said on Monday that about 1,200 homes were damaged \u2013 nearly "
             "double the county\u2019s \u201cofficial\u201d figure \u2014 and 340 families had left.")
    text = stored[cp_url]["text"]
    assert text.startswith(first)
    assert "\ufffd" not in text and "\u00e2\u20ac" not in text   # no mojibake
    assert stored[cp_url]["encoding"] == "cp1252"            # a guess, so it is recorded
    claims = cli.json("claims", "--format", "json")
    (marsh,) = [c for c in claims if c["article"]["url"] == cp_url
                and c["speaker"] and c["speaker"]["name"] == "Helen Marsh"]
    assert marsh["content"]["text"] == first[len("Helen Marsh said on Monday that "):-1]
    assert [f["text"] for f in marsh["figures"]] == ["about 1,200", "340"]


# -- failures ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _failing_routes(server) -> dict[str, str]:
    """path -> the reason its URL must be reported with."""
    big = page("Big", "The ministry said 5 pages were far too long. " + "Padding. " * 400)
    assert len(big) > 3000
    server.route("/ok", page("Ok", "Port Minister Oskar Lind said 300 ships were delayed."))
    server.route("/slow", page("Slow", "Lind said 4 ships were slow."), delay=2)
    server.route("/big", big)
    server.route("/big-chunked", big, chunked=True)
    server.route("/loop-a", redirect="/loop-b")
    server.route("/loop-b", redirect="/loop-a")
    server.route("/image", PNG, content_type="text/html")       # mislabelled binary
    server.route("/octet", b"\x00\x01\x02 data", content_type="application/octet-stream")
    return {
        "/slow": "timed out after 0.5 s",
        "/big": "too large (over 3,000 bytes)",
        "/big-chunked": "too large (over 3,000 bytes)",
        "/loop-a": "redirect loop",
        "/missing": "HTTP 404",
        "/image": "not text (PNG image, labelled text/html)",
        "/octet": "not text (content type application/octet-stream)",
    }


def test_each_failure_is_one_line_and_the_rest_is_stored(cli, db_path, http_server):
    reasons = _failing_routes(http_server)
    urls = [http_server.url(p) for p in ("/slow", "/big", "/ok", "/big-chunked", "/loop-a",
                                         "/missing", "/image", "/octet")]
    r = cli("ingest", *urls, "--timeout", "0.5", "--max-bytes", "3000", "--format", "json")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = error_lines(r.stderr)
    assert len(lines) == len(reasons), lines
    for path, reason in reasons.items():
        (line,) = [l for l in lines if l.startswith(f"claimaudit: {http_server.url(path)}: ")]
        assert reason in line, (path, line)
    doc = json.loads(r.stdout)
    assert set(doc) == {"articles_new", "articles_seen", "claims", "figures", "errors"}
    assert (doc["articles_new"], doc["articles_seen"]) == (1, 0)
    assert doc["claims"] >= 1 and doc["figures"] >= 1
    assert [e["source"] for e in doc["errors"]] == [u for u in urls if not u.endswith("/ok")]
    assert set(doc["errors"][0]) == {"source", "error"}
    for e in doc["errors"]:
        assert e["error"].startswith(reasons[e["source"][len(http_server.base):]]), e
    assert [a["url"] for a in rows(db_path, "SELECT url FROM articles")] == [
        http_server.url("/ok")]
    run = rows(db_path, "SELECT errors FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert len(json.loads(run["errors"])) == len(reasons)
    assert http_server.count("/slow") == 1                   # a timeout is not retried


def test_bad_fetch_options_are_usage_errors(cli):
    r = cli("ingest", "http://127.0.0.1:9/x", "--timeout", "0")
    assert r.returncode == 2 and "--timeout" in r.stderr and "Traceback" not in r.stderr


# -- one HTTP client for the whole run --------------------------------------------------

class _PortHandler(_Handler):
    def _serve(self, head: bool = False) -> None:
        self.server.owner.ports.append(self.client_address[1])
        super()._serve(head)


def test_one_client_for_urls_and_feeds(cli, db_path):
    with LocalServer() as server:
        server.ports = []
        server._httpd.RequestHandlerClass = _PortHandler     # note each request's client port
        base = server.base
        # slow enough that a terminal would show the progress bar (a cron run must not)
        server.route("/a", page("A", "Lind said 300 ships were delayed."), delay=0.6)
        server.route("/b", page("B", "Ilves said 12 cranes broke down."))
        server.route("/feed", f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Quay Wire</title><link>{base}/</link>
<item><title>C</title><link>{base}/c</link></item>
<item><title>D</title><link>{base}/d</link></item></channel></rss>""",
                     content_type="application/rss+xml")
        server.route("/c", page("C", "Roos said 80 containers were seized."))
        server.route("/d", page("D", "Brandt said 45 tugs were idle."))
        r = cli("ingest", server.url("/a"), server.url("/b"), "--feed", server.url("/feed"),
                check=0)
        # not a terminal: the summary line alone, no escape codes, no bar
        assert r.stdout.startswith("Stored 4 new articles (") and r.stdout.count("\n") == 1
        assert "\x1b" not in r.stdout + r.stderr and "━" not in r.stdout + r.stderr
        assert len(server.requests) == 5
        # one keep-alive connection: one client (one pool) for article URLs and the feed
        assert len(set(server.ports)) == 1, server.ports
        assert {req.headers["user-agent"] for req in server.requests} == {
            next(iter(server.requests)).headers["user-agent"]}
        assert server.requests[0].headers["user-agent"].startswith("claimaudit/")
    outlets = {r["url"].rsplit("/", 1)[1]: r["outlet"]
               for r in rows(db_path, "SELECT url, outlet FROM articles")}
    assert outlets == {"a": None, "b": None, "c": "Quay Wire", "d": "Quay Wire"}


# -- the progress display ---------------------------------------------------------------

def _run_on_a_terminal(args: list[str], env: dict) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; (exit code, all output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(BIN), *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:          # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not BIN.exists(), reason="needs the installed claimaudit command")
def test_progress_bar_on_a_terminal(db_path, http_server):
    # the display appears once a run has taken half a second: the first page is slow
    # (test_one_client_for_urls_and_feeds checks that a slow run off a terminal has none)
    for name, delay in (("a", 0.6), ("b", 0)):
        http_server.route(f"/{name}", page(name.upper(), f"Lind said {ord(name)} ships were "
                                                         f"delayed at berth {name}."),
                          delay=delay)
    env = dict(os.environ, CLAIMAUDIT_DB=str(db_path), TERM="xterm", COLUMNS="120",
               LINES="40")
    env.pop("NO_COLOR", None)
    code, out = _run_on_a_terminal(["ingest", http_server.url("/a"), http_server.url("/b")],
                                   env)
    assert code == 0, out
    assert "━" in out and "1 read" in out              # rich's bar and its count
    # transient: the bar is erased and the summary line is what stays
    assert out.endswith("\x1b[2KStored 2 new articles (4 claims, 2 figures).\r\n"), out[-300:]

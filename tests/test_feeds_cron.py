"""Feeds as cron runs them, end to end through the installed CLI against a real HTTP
server on 127.0.0.1: conditional GET with the validators kept in the store, no download of
stored articles, a 404 entry reported (and retried next run) while the rest is stored,
RSS 0.91 / 1.0 / 2.0 and Atom, --feeds-file, and a URL auto-detected as a feed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.httpserver import Reply, Request, http_server  # noqa: F401

DATA = Path(__file__).parent / "data"

PAGE = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><a href="/">NAVTOKEN Home</a></nav>
<article><p>{first}</p>
<p>Officials said the count would be updated on Thursday after more inspections.</p></article>
<footer><p>FOOTERTOKEN Contact</p></footer></body></html>"""

STORIES = {
    "/news/ferries": ("Ferries cancelled", "About 70 ferries were cancelled, the port said."),
    "/news/cranes": ("Cranes broken", "Marta Ilves said 12 cranes broke down on Monday."),
    "/news/tugs": ("Tugs idle", "Harbour master Ivo Brandt said 45 tugs were idle."),
    "/news/berths": ("Berths closed", "Port Minister Oskar Lind said 9 berths were closed."),
}


def serve_stories(server, paths=STORIES) -> None:
    for path in paths:
        title, first = STORIES[path]
        server.route(path, PAGE.format(title=title, first=first))


def rss2(base: str, paths, title: str = "Quay Wire") -> bytes:
    items = "".join(
        f"<item><title>{STORIES[p][0]}</title><link>{base}{p}</link>"
        f"<guid>{base}{p}</guid><pubDate>Tue, 05 Mar 2024 09:10:00 GMT</pubDate></item>"
        for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>{base}/</link>{items}</channel></rss>").encode()


def atom(base: str, paths, title: str = "Dock Atom") -> bytes:
    entries = "".join(
        f'<entry><title>{STORIES.get(p, ("Gone", ""))[0]}</title>'
        f'<link rel="alternate" type="text/html" href="{base}{p}"/><id>tag:dock,{p}</id>'
        f"<updated>2024-03-07T08:00:00Z</updated></entry>" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>tag:dock</id><updated>2024-03-07T08:00:00Z</updated>"
            f"{entries}</feed>").encode()


class VersionedFeed:
    """A feed whose body the test changes; answers 304 to its current ETag or
    Last-Modified, and records what each request sent."""

    def __init__(self, body: bytes, content_type: str = "application/rss+xml"):
        self.content_type = content_type
        self.seen: list[tuple] = []
        self.version = 0
        self.set(body)

    def set(self, body: bytes) -> None:
        self.version += 1
        self.body = body
        self.etag = f'"v{self.version}"'
        self.last_modified = f"Tue, 0{self.version} Apr 2024 10:00:00 GMT"

    def __call__(self, req: Request) -> Reply:
        sent = (req.headers.get("if-none-match"), req.headers.get("if-modified-since"))
        self.seen.append(sent)
        if sent[0] == self.etag or (sent[0] is None and sent[1] == self.last_modified):
            return Reply(304)
        return Reply(200, body=self.body, content_type=self.content_type,
                     headers={"ETag": self.etag, "Last-Modified": self.last_modified})


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def page_counts(server, paths=STORIES) -> dict[str, int]:
    return {p: server.count(p) for p in paths}


# ---------------------------------------------------------------------------------------

def test_cron_conditional_get_and_no_refetch(cli, db_path, http_server):
    base = http_server.base
    serve_stories(http_server)
    feed = VersionedFeed(rss2(base, ["/news/ferries", "/news/cranes"]))
    http_server.route("/rss.xml", handler=feed)
    feed_url = http_server.url("/rss.xml")
    # a URL given as a source (no --feed) that answers with a feed content type
    latest = VersionedFeed(atom(base, ["/news/berths", "/news/ferries"]),
                           content_type="application/atom+xml")
    http_server.route("/latest", handler=latest)
    latest_url = http_server.url("/latest")

    # first run: the feeds and each page once (ferries is in both); cron output is empty
    r = cli("ingest", latest_url, "--feed", feed_url, "--quiet", check=0)
    assert r.stdout == "" and r.stderr == ""
    assert feed.seen == [(None, None)] and latest.seen == [(None, None)]
    assert page_counts(http_server) == {"/news/ferries": 1, "/news/cranes": 1,
                                        "/news/tugs": 0, "/news/berths": 1}
    state = {f["url"]: f for f in rows(db_path, "SELECT * FROM feeds")}
    assert (state[feed_url]["etag"], state[feed_url]["last_modified"],
            state[feed_url]["title"]) == ('"v1"', "Tue, 01 Apr 2024 10:00:00 GMT", "Quay Wire")
    assert state[latest_url]["etag"] == '"v1"'      # the auto-detected feed is a feed now
    arts = {a["url"]: a for a in rows(db_path, "SELECT url, outlet, published, text "
                                               "FROM articles")}
    assert set(arts) == {f"{base}/news/ferries", f"{base}/news/cranes", f"{base}/news/berths"}
    assert arts[f"{base}/news/cranes"]["outlet"] == "Quay Wire"     # the feed's title
    assert arts[f"{base}/news/cranes"]["published"] == "2024-03-05"  # the entry's date
    assert arts[f"{base}/news/berths"]["outlet"] == "Dock Atom"
    assert not any("NAVTOKEN" in a["text"] or "FOOTERTOKEN" in a["text"] for a in arts.values())

    # second run, feeds unchanged: conditional GETs answered 304, no article request
    r = cli("ingest", latest_url, "--feed", feed_url, "--format", "json")
    assert r.returncode == 0 and r.stderr == ""
    assert json.loads(r.stdout) == {"articles_new": 0, "articles_seen": 0, "claims": 0,
                                    "figures": 0, "errors": []}
    assert feed.seen[1] == ('"v1"', "Tue, 01 Apr 2024 10:00:00 GMT")
    assert latest.seen[1] == ('"v1"', "Tue, 01 Apr 2024 10:00:00 GMT")
    assert http_server.count("/rss.xml") == 2 and http_server.count("/latest") == 2
    assert page_counts(http_server) == {"/news/ferries": 1, "/news/cranes": 1,
                                        "/news/tugs": 0, "/news/berths": 1}

    # the feed changes (one new entry on top): only the new page is downloaded
    feed.set(rss2(base, ["/news/tugs", "/news/ferries", "/news/cranes"]))
    r = cli("ingest", "--feed", feed_url, check=0)
    assert r.stdout.startswith("Stored 1 new article (")
    assert feed.seen[2] == ('"v1"', "Tue, 01 Apr 2024 10:00:00 GMT")
    assert page_counts(http_server) == {"/news/ferries": 1, "/news/cranes": 1,
                                        "/news/tugs": 1, "/news/berths": 1}
    assert rows(db_path, "SELECT etag FROM feeds WHERE url = ?", feed_url) == [{"etag": '"v2"'}]
    assert len(rows(db_path, "SELECT id FROM articles")) == 4

    # nothing changed anywhere: said in one line
    r = cli("ingest", latest_url, check=0)
    assert r.stdout == "Nothing new.\n"


def test_404_entry_is_reported_the_rest_stored_and_retried_next_run(cli, db_path, http_server):
    base = http_server.base
    serve_stories(http_server, ["/news/ferries", "/news/cranes"])
    berths = STORIES["/news/berths"]
    # the story is missing at first, published later
    http_server.route("/news/berths", sequence=[
        Reply(404, body=b"<h1>not found</h1>"),
        Reply(200, body=PAGE.format(title=berths[0], first=berths[1]))])
    feed = VersionedFeed(atom(base, ["/news/ferries", "/news/berths", "/news/cranes"]),
                         content_type="application/atom+xml")
    http_server.route("/atom.xml", handler=feed)
    feed_url = http_server.url("/atom.xml")

    r = cli("ingest", "--feed", feed_url, "--quiet")
    assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert lines == [f"claimaudit: {base}/news/berths: HTTP 404 (the page does not exist "
                     "(any more); check the URL)"]
    arts = rows(db_path, "SELECT url, outlet FROM articles")
    assert {a["url"] for a in arts} == {f"{base}/news/ferries", f"{base}/news/cranes"}
    assert {a["outlet"] for a in arts} == {"Dock Atom"}                # the feed's title
    # no validators kept, so the next run reads the feed again and retries the failed entry
    assert rows(db_path, "SELECT etag, last_modified FROM feeds") == [
        {"etag": None, "last_modified": None}]

    doc = cli.json("ingest", "--feed", feed_url, "--format", "json")
    assert doc["articles_new"] == 1 and doc["errors"] == []
    assert feed.seen == [(None, None), (None, None)]
    assert page_counts(http_server) == {"/news/ferries": 1, "/news/cranes": 1,
                                        "/news/berths": 2, "/news/tugs": 0}

    # all stored: the validators are kept and the third run is one 304
    doc = cli.json("ingest", "--feed", feed_url, "--format", "json")
    assert (doc["articles_new"], doc["errors"]) == (0, [])
    assert feed.seen[-1] == ('"v1"', "Tue, 01 Apr 2024 10:00:00 GMT")
    assert page_counts(http_server)["/news/berths"] == 2


def test_feeds_file_rss091_rss1_and_failing_feeds(cli, db_path, http_server, tmp_path):
    base = http_server.base
    http_server.route("/rss091.xml", (DATA / "cron_rss091.xml").read_text()
                      .replace("{base}", base).encode("latin-1"), content_type="text/xml")
    http_server.route("/rss1.rdf", (DATA / "cron_rss1.rdf").read_text(encoding="utf-8")
                      .replace("{base}", base), content_type="application/rdf+xml")
    http_server.route("/courier/ferries", PAGE.format(title="Ferries",
                                                      first=STORIES["/news/ferries"][1]))
    http_server.route("/post/dam", PAGE.format(
        title="Dam", first="Inspectors found 3 cracks in the dam, the water board said."))
    http_server.route("/slow.xml", rss2(base, ["/news/tugs"]), delay=2,
                      content_type="application/rss+xml")
    http_server.route("/not-a-feed", PAGE.format(title="Page", first="Lind said 2 things."))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# newsroom feeds\n{base}/rss091.xml\n\n{base}/slow.xml   # slow\n"
                     f"{base}/rss1.rdf\n{base}/not-a-feed\n{base}/gone.xml\n", encoding="utf-8")

    r = cli("ingest", "--feeds-file", feeds, "--timeout", "0.5", "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    assert doc["articles_new"] == 2
    assert [(e["source"], e["error"].split(" (")[0]) for e in doc["errors"]] == [
        (f"{base}/slow.xml", "timed out after 0.5 s"),
        (f"{base}/not-a-feed", "not a feed"),
        (f"{base}/gone.xml", "HTTP 404"),
    ]
    assert len([l for l in r.stderr.splitlines() if l.strip()]) == 3
    arts = {a["url"]: a for a in rows(db_path, "SELECT url, outlet, published FROM articles")}
    assert arts[f"{base}/courier/ferries"]["outlet"] == "Harbour Courier"     # RSS 0.91
    assert arts[f"{base}/post/dam"]["outlet"] == "Lakeside Post"              # RSS 1.0
    assert arts[f"{base}/post/dam"]["published"] == "2020-09-10"
    assert http_server.count("/news/tugs") == 0

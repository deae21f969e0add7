"""RSS 1.0 / 2.0 / 0.91, Atom and JSON Feed parsing, sniffing, feeds.txt, and the
feed -> entries -> pages flow against the local HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.errors import FormatError, SourceError
from claimaudit.sources.feeds import FeedEntry, is_feed, parse_feed, read_feed_urls
from claimaudit.sources.fetch import Fetcher
from claimaudit.sources.html import article_from_html
from tests.httpserver import Reply, Request, http_server  # noqa: F401

DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


# -- parsing --------------------------------------------------------------------------

def test_rss2():
    title, entries = parse_feed(data("feed_rss2.xml"), url="https://ledger.example/rss")
    assert title == "Valley Ledger – Top stories"
    assert all(isinstance(e, FeedEntry) for e in entries)
    assert [e.url for e in entries] == [
        "https://ledger.example/news/2024/03/riverton-flood-damage",
        "https://ledger.example/news/2024/03/bridge-repairs",      # relative link resolved
        "https://ledger.example/news/2024/03/guid-only",           # permalink guid
    ]                                                               # the link-less item dropped
    first, second, third = entries
    assert first.title == "Flood damage in Riverton put at 1,200 homes"
    assert first.published == "2024-03-04"          # as written (+0100), not shifted to UTC
    assert "1,200 homes were damaged" in first.summary_html
    assert "Second paragraph" in first.content_html
    assert "<script" not in first.content_html      # feedparser sanitises
    assert second.published == "2024-03-05" and second.content_html is None
    assert third.published == "2024-03-06" and third.summary_html is None


def test_rss1_rdf():
    title, entries = parse_feed(data("feed_rss1.rdf"), url="https://courier.example/rss")
    assert title == "Harbour Courier"
    assert [(e.url, e.title, e.published) for e in entries] == [
        ("https://courier.example/business/port-strike-day-three",
         "Port strike enters third day", "2023-11-14"),
        ("https://courier.example/business/port-talks", "Port talks to resume", "2023-11-15"),
    ]


def test_atom():
    title, entries = parse_feed(data("feed_atom.xml"), url="https://wire.example/health.atom")
    assert title == "Northwire: Health"
    assert len(entries) == 2
    fire, contained = entries
    assert fire.url == "https://wire.example/health/2021/03/plant-fire"   # xml:base, not the image
    assert fire.title == "Hundreds treated after plant fire"
    assert fire.published == "2021-03-03"        # <published> as written (-05:00)
    assert "412 patients had been treated" in fire.content_html
    assert "412 patients treated" in fire.summary_html
    assert contained.url == "https://wire.example/health/2021/03/fire-contained"   # from <id>
    assert contained.published == "2021-03-04"   # <updated> when there is no <published>


def test_rss091_and_duplicates():
    body = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Old \xe9dition</title><link>http://old.example/</link>
<item><title>One</title><link>http://old.example/1</link></item>
<item><title>One again</title><link>http://old.example/1</link></item>
<item><title>Two</title><link>http://old.example/2</link></item>
</channel></rss>"""
    title, entries = parse_feed(body, url="http://old.example/rss")
    assert title == "Old \u00e9dition"
    assert [e.url for e in entries] == ["http://old.example/1", "http://old.example/2"]
    assert entries[0].published is None


def test_json_feed():
    body = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON wire",
      "items": [{"id": "1", "url": "https://json.example/a", "title": "A",
                 "date_published": "2024-01-02T10:00:00+02:00", "content_html": "<p>A</p>"},
                {"id": "2", "url": "/b", "content_text": "B one\\n\\nB two"},
                {"id": "3"}]}"""
    assert is_feed("application/json", body)
    title, entries = parse_feed(body, url="https://json.example/feed.json")
    assert title == "JSON wire"
    assert [e.url for e in entries] == ["https://json.example/a", "https://json.example/b"]
    assert entries[0].published == "2024-01-02"
    assert entries[1].content_html == "<p>B one</p><p>B two</p>"


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>Not a feed</title></head><body><p>x</p></body></html>",
    b"just some text",
    b"",
    b"   \n",
    b"<?xml version='1.0'?><note><to>x</to></note>",
    b'{"items": "nope"}',
])
def test_not_a_feed(body):
    with pytest.raises(FormatError) as e:
        parse_feed(body, url="https://x.example/feed")
    assert e.value.source == "https://x.example/feed"
    assert e.value.message.startswith("not a feed")


# -- sniffing -------------------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["application/rss+xml", "application/atom+xml",
                                   "application/rdf+xml", "application/rss+xml; charset=utf-8",
                                   "Application/Atom+XML"])
def test_is_feed_by_content_type(ctype):
    assert is_feed(ctype, b"")


@pytest.mark.parametrize("name", ["feed_rss2.xml", "feed_rss1.rdf", "feed_atom.xml"])
@pytest.mark.parametrize("ctype", ["text/xml", "application/xml", "text/html", "text/plain", ""])
def test_is_feed_by_sniffing(name, ctype):
    assert is_feed(ctype, data(name))


def test_is_feed_sniffing_edge_cases():
    assert is_feed("text/xml", b"\xef\xbb\xbf  \n<!-- c --><?xml-stylesheet href='x'?><rss/>")
    assert is_feed("", "<feed xmlns='http://www.w3.org/2005/Atom'/>".encode("utf-16"))
    assert is_feed("", b"<!DOCTYPE rss PUBLIC \"-//Netscape//DTD RSS 0.91//EN\" \"x\"><rss>")
    assert is_feed("text/xml", b"<RDF:RDF xmlns:RDF='x'/>")
    assert not is_feed("text/html", b"<!DOCTYPE html><html><body>rss feed</body></html>")
    assert not is_feed("text/html", b"<html><head><link rel=alternate type=application/rss+xml>")
    assert not is_feed("application/xml", b"<?xml version='1.0'?><sitemap/>")
    assert not is_feed("text/plain", b"")
    assert not is_feed("application/json", b'{"a": 1}')


# -- feeds.txt ------------------------------------------------------------------------

def test_read_feed_urls(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_bytes(
        "\ufeff# my feeds\r\n"
        "https://ledger.example/rss\r\n"
        "\r\n"
        "   # indented comment\n"
        "  http://courier.example/rss   \n"
        "https://wire.example/health.atom  # health desk\n"
        "https://ledger.example/rss\n"
        "https://example.org/feed#fragment\n".encode("utf-8"))
    assert read_feed_urls(str(path)) == [
        "https://ledger.example/rss",
        "http://courier.example/rss",
        "https://wire.example/health.atom",
        "https://example.org/feed#fragment",
    ]


def test_read_feed_urls_empty_and_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n")
    assert read_feed_urls(str(empty)) == []
    bad = tmp_path / "bad.txt"
    bad.write_text("https://ok.example/rss\nftp://no.example/rss\n")
    with pytest.raises(FormatError) as e:
        read_feed_urls(str(bad))
    assert "line 2" in e.value.message
    with pytest.raises(SourceError) as e:
        read_feed_urls(str(tmp_path / "missing.txt"))
    assert e.value.message == "no such file"


# -- the whole flow over HTTP -----------------------------------------------------------

ARTICLE = """<html><head><title>{title}</title></head><body>
<nav><a href="/">NAVTOKEN home</a></nav>
<article><p>{first}</p><p>The agency said the figures would be revised next month.</p></article>
<footer><p>FOOTERTOKEN contact</p></footer></body></html>"""


def test_feed_to_articles_over_http(http_server):
    base = http_server.base
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<link>{base}/</link>
<item><title>Story one</title><link>{base}/one</link><pubDate>Tue, 05 Mar 2024 09:10:00 GMT</pubDate></item>
<item><title>Story two</title><link>/two</link><pubDate>Wed, 06 Mar 2024 09:10:00 GMT</pubDate></item>
</channel></rss>""".encode()

    def feed(req: Request) -> Reply:
        if req.headers.get("if-none-match") == '"f1"':
            return Reply(304)
        return Reply(200, body=rss, content_type="text/xml", headers={"ETag": '"f1"'})

    http_server.route("/feed.xml", handler=feed)
    http_server.route("/one", ARTICLE.format(title="One", first="About 70 ferries were cancelled, the port said."))
    http_server.route("/two", ARTICLE.format(title="Two", first="Some 300 passengers were stranded, police said."))

    with Fetcher(timeout=5) as f:
        got = f.get(http_server.url("/feed.xml"), accept_feed=True)
        assert is_feed(got.content_type, got.body)
        feed_title, entries = parse_feed(got.body, url=got.url)
        assert feed_title == "Local Wire"
        assert [e.url for e in entries] == [f"{base}/one", f"{base}/two"]
        articles = []
        for entry in entries:
            page = f.get(entry.url)
            a = article_from_html(page.body, url=page.url, charset=page.charset)
            a.outlet = a.outlet or feed_title
            a.published = a.published or entry.published
            articles.append(a)
        again = f.get(http_server.url("/feed.xml"), accept_feed=True, etag=got.headers["etag"])

    assert [a.published for a in articles] == ["2024-03-05", "2024-03-06"]
    assert {a.outlet for a in articles} == {"Local Wire"}
    assert articles[0].text.startswith("About 70 ferries")
    assert all("NAVTOKEN" not in a.text and "FOOTERTOKEN" not in a.text for a in articles)
    assert again.not_modified and again.body == b""
    assert http_server.count("/feed.xml") == 2
    assert http_server.count("/one") == 1 and http_server.count("/two") == 1

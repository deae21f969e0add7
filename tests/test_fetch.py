"""Fetcher against a real HTTP server on 127.0.0.1 (tests/httpserver.py)."""

from __future__ import annotations

import gzip
import socket
import time

import pytest

from claimaudit.errors import FetchError, SourceError
from claimaudit.sources.fetch import USER_AGENT, Fetched, Fetcher
from tests.httpserver import LocalServer, Reply, Request, http_server  # noqa: F401

PAGE = b"<html><body><p>Hello from the test server.</p></body></html>"


@pytest.fixture
def fetcher():
    with Fetcher(timeout=2.0, max_retry_wait=1.0) as f:
        yield f


def reason(excinfo) -> str:
    return excinfo.value.message


# -- the ordinary case ----------------------------------------------------------------

def test_get_page(http_server, fetcher):
    http_server.route("/page", PAGE, headers={"X-Extra": "yes"})
    got = fetcher.get(http_server.url("/page"))
    assert isinstance(got, Fetched)
    assert got.status == 200
    assert got.body == PAGE
    assert got.url == http_server.url("/page")
    assert got.content_type == "text/html"
    assert got.charset == "utf-8"
    assert got.not_modified is False
    assert got.headers["x-extra"] == "yes"
    sent = http_server.requests_to("/page")[0]
    assert sent.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("claimaudit/") and "github.com/claimaudit" in USER_AGENT
    assert "text/html" in sent.headers["accept"]


def test_accept_feed_header(http_server, fetcher):
    http_server.route("/feed", b"<rss version='2.0'><channel></channel></rss>",
                      content_type="application/rss+xml")
    got = fetcher.get(http_server.url("/feed"), accept_feed=True)
    assert got.content_type == "application/rss+xml"
    assert got.charset is None
    accept = http_server.requests_to("/feed")[0].headers["accept"]
    assert accept.startswith("application/rss+xml")


def test_gzip_content_encoding_is_decoded(http_server, fetcher):
    http_server.route("/gz", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    assert fetcher.get(http_server.url("/gz")).body == PAGE


def test_custom_user_agent(http_server):
    http_server.route("/ua", PAGE)
    with Fetcher(user_agent="tester/1.0") as f:
        f.get(http_server.url("/ua"))
    assert http_server.requests_to("/ua")[0].headers["user-agent"] == "tester/1.0"


# -- HTTP errors ----------------------------------------------------------------------

def test_404(http_server, fetcher):
    url = http_server.url("/missing")
    with pytest.raises(FetchError) as e:
        fetcher.get(url)
    assert reason(e) == "HTTP 404"
    assert e.value.source == url
    assert isinstance(e.value, SourceError)
    assert e.value.hint


def test_500_is_not_retried(http_server, fetcher):
    http_server.route("/boom", b"oops", status=500)
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/boom"))
    assert reason(e) == "HTTP 500"
    assert http_server.count("/boom") == 1


def test_unsupported_scheme_makes_no_request(fetcher):
    for url in ("ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)",
                "example.org/page", "data:text/html,<p>x</p>"):
        with pytest.raises(FetchError) as e:
            fetcher.get(url)
        assert reason(e) == "unsupported URL scheme", url


def test_connection_refused(fetcher):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                    # nothing listens there now
    with pytest.raises(FetchError) as e:
        fetcher.get(f"http://127.0.0.1:{port}/x")
    assert reason(e) == "connection refused"


# -- timeouts -------------------------------------------------------------------------

def test_slow_response_times_out(http_server):
    http_server.route("/slow", PAGE, delay=2.0)
    started = time.monotonic()
    with Fetcher(timeout=0.5, retries=0) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/slow"))
    assert reason(e) == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.8


def test_trickling_body_hits_the_total_deadline(http_server):
    # each chunk comes within the read timeout, the whole body does not
    http_server.route("/trickle", b"x" * 4000, chunked=True, chunk_size=200, chunk_delay=0.2)
    started = time.monotonic()
    with Fetcher(timeout=0.4) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/trickle"))
    assert reason(e).startswith("timed out after")
    assert time.monotonic() - started < 2.5


# -- size cap -------------------------------------------------------------------------

def test_too_large_by_content_length(http_server):
    http_server.route("/big", b"a" * 5000)
    with Fetcher(max_bytes=1000) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/big"))
    assert reason(e) == "too large (over 1,000 bytes)"


def test_too_large_chunked_is_cut_off_while_streaming(http_server):
    # no Content-Length; reading all of it would take 2 s, the cap stops it after ~3 chunks
    http_server.route("/chunked", b"a" * 5000, chunked=True, chunk_size=500, chunk_delay=0.2)
    started = time.monotonic()
    with Fetcher(max_bytes=1000, timeout=5) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/chunked"))
    assert reason(e) == "too large (over 1,000 bytes)"
    assert time.monotonic() - started < 1.5


def test_lying_content_length_still_capped(http_server):
    http_server.route("/liar", b"a" * 5000, chunked=True, chunk_size=1000)
    with Fetcher(max_bytes=2000) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/liar"))
    assert "too large" in reason(e)


def test_decompressed_size_is_capped(http_server):
    bomb = gzip.compress(b"a" * 3_000_000)        # ~3 KB on the wire
    assert len(bomb) < 100_000
    http_server.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(max_bytes=100_000) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/bomb"))
    assert reason(e) == "too large (over 100,000 bytes)"


def test_default_limit_message():
    f = Fetcher()
    try:
        assert f.max_bytes == 10_000_000 and f.timeout == 20.0 and f.max_redirects == 10
    finally:
        f.close()


# -- redirects ------------------------------------------------------------------------

def test_redirect_followed(http_server, fetcher):
    http_server.route("/old", status=301, redirect="/new")
    http_server.route("/new", PAGE)
    got = fetcher.get(http_server.url("/old"))
    assert got.url == http_server.url("/new")
    assert got.body == PAGE
    assert http_server.count("/old") == 1 and http_server.count("/new") == 1


def test_redirect_loop(http_server, fetcher):
    http_server.route("/a", redirect="/b")
    http_server.route("/b", redirect="/a")
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/a"))
    assert reason(e) == "redirect loop"
    assert http_server.count("/a") == 1 and http_server.count("/b") == 1


def test_self_redirect_is_a_loop(http_server, fetcher):
    http_server.route("/self", status=307, redirect="/self")
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/self"))
    assert reason(e) == "redirect loop"


def test_too_many_redirects(http_server):
    for i in range(10):
        http_server.route(f"/hop{i}", status=302, redirect=f"/hop{i + 1}")
    with Fetcher(max_redirects=3) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/hop0"))
    assert reason(e) == "too many redirects"
    assert sum(http_server.count(f"/hop{i}") for i in range(10)) == 4


def test_redirect_to_other_scheme_refused(http_server, fetcher):
    http_server.route("/ftp", redirect="ftp://127.0.0.1/file")
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/ftp"))
    assert "unsupported URL scheme" in reason(e)


# -- not text -------------------------------------------------------------------------

@pytest.mark.parametrize("ctype", ["image/png", "application/pdf", "application/octet-stream",
                                   "video/mp4", "application/zip"])
def test_non_text_content_types_refused(http_server, fetcher, ctype):
    http_server.route("/bin", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type=ctype)
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/bin"))
    assert reason(e) == f"not text (content type {ctype})"


@pytest.mark.parametrize("ctype", ["text/plain", "application/xhtml+xml", "application/xml",
                                   "application/atom+xml", "application/rdf+xml",
                                   "application/json", "application/ld+json",
                                   "application/feed+json", "text/xml; charset=iso-8859-1", None])
def test_text_content_types_allowed(http_server, fetcher, ctype):
    http_server.route("/t", b"<x>text</x>", content_type=ctype)
    assert fetcher.get(http_server.url("/t")).body == b"<x>text</x>"


def test_nul_bytes_labelled_html_refused(http_server, fetcher):
    http_server.route("/nul", b"<html>\x00\x01\x02\x00binary</html>")
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/nul"))
    assert reason(e).startswith("not text (")


def test_png_labelled_html_refused(http_server, fetcher):
    http_server.route("/png", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 20)
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/png"))
    assert reason(e).startswith("not text (PNG image")


def test_utf16_with_bom_is_text(http_server, fetcher):
    body = "<html><p>utf-16 page</p></html>".encode("utf-16")   # BOM + NUL bytes
    http_server.route("/u16", body, content_type="text/html")
    assert fetcher.get(http_server.url("/u16")).body == body


# -- retries --------------------------------------------------------------------------

def test_429_retry_after_then_ok(http_server, fetcher):
    http_server.route("/busy", sequence=[
        Reply(429, body=b"slow down", headers={"Retry-After": "0"}),
        Reply(200, body=PAGE),
    ])
    got = fetcher.get(http_server.url("/busy"))
    assert got.status == 200 and got.body == PAGE
    assert http_server.count("/busy") == 2


def test_503_retries_are_bounded(http_server):
    http_server.route("/down", b"down", status=503, headers={"Retry-After": "0"})
    with Fetcher(retries=2) as f, pytest.raises(FetchError) as e:
        f.get(http_server.url("/down"))
    assert reason(e) == "HTTP 503"
    assert http_server.count("/down") == 3


def test_retry_without_retry_after_backs_off(http_server):
    http_server.route("/flaky", sequence=[Reply(503), Reply(200, body=PAGE)])
    started = time.monotonic()
    with Fetcher(retries=1, max_retry_wait=0.2) as f:
        assert f.get(http_server.url("/flaky")).body == PAGE
    assert 0.15 <= time.monotonic() - started < 2
    assert http_server.count("/flaky") == 2


def test_retry_after_longer_than_allowed_gives_up(http_server, fetcher):
    http_server.route("/later", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetcher.get(http_server.url("/later"))
    assert reason(e) == "HTTP 429"
    assert "3600" in e.value.hint
    assert http_server.count("/later") == 1
    assert time.monotonic() - started < 1


# -- conditional GET ------------------------------------------------------------------

def _conditional(req: Request) -> Reply:
    if req.headers.get("if-none-match") == '"v1"':
        return Reply(304, headers={"ETag": '"v1"'})
    if req.headers.get("if-modified-since") == "Mon, 04 Mar 2024 10:00:00 GMT":
        return Reply(304)
    return Reply(200, body=PAGE, headers={"ETag": '"v1"',
                                          "Last-Modified": "Mon, 04 Mar 2024 10:00:00 GMT"})


def test_conditional_get_etag(http_server, fetcher):
    http_server.route("/cond", handler=_conditional)
    first = fetcher.get(http_server.url("/cond"))
    assert first.status == 200 and not first.not_modified
    etag = first.headers["etag"]
    assert etag == '"v1"'
    second = fetcher.get(http_server.url("/cond"), etag=etag)
    assert second.not_modified is True
    assert second.status == 304 and second.body == b""
    assert http_server.count("/cond") == 2
    assert http_server.requests_to("/cond")[1].headers["if-none-match"] == '"v1"'


def test_conditional_get_last_modified(http_server, fetcher):
    http_server.route("/cond", handler=_conditional)
    first = fetcher.get(http_server.url("/cond"))
    got = fetcher.get(http_server.url("/cond"), last_modified=first.headers["last-modified"])
    assert got.not_modified
    assert http_server.count("/cond") == 2


def test_no_conditional_headers_by_default(http_server, fetcher):
    http_server.route("/plain", PAGE)
    fetcher.get(http_server.url("/plain"))
    sent = http_server.requests_to("/plain")[0].headers
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_server_helper_counts_and_404(http_server):
    http_server.route("/x", b"x")
    with Fetcher() as f:
        f.get(http_server.url("/x?a=1"))
        f.get(http_server.url("/x"))
    assert http_server.count("/x") == 2
    assert http_server.count("/nothing") == 0

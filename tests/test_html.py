"""HTML pages -> Article: main text, metadata, canonical URL, charsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.errors import FormatError, SourceError
from claimaudit.models import Article
from claimaudit.sources.fetch import Fetcher
from claimaudit.sources.html import article_from_html, decode_html
from tests.httpserver import http_server  # noqa: F401

DATA = Path(__file__).parent / "data"
BOILERPLATE = ("NAVTOKEN", "SIDEBARTOKEN", "FOOTERTOKEN", "COMMENTTOKEN", "RELATEDTOKEN")


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


# -- main text ------------------------------------------------------------------------

def test_main_text_only_and_paragraphs_kept():
    a = article_from_html(page("article_jsonld.html"), url="https://ledger.example/x")
    assert isinstance(a, Article)
    for token in BOILERPLATE:
        assert token not in a.text, token
    assert "99,999" not in a.text                      # a reader comment's figure
    assert "document.write" not in a.text and ".menu" not in a.text   # script / style
    paragraphs = a.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("About 1,200 homes in Riverton")
    assert paragraphs[-1].endswith("since 1978.")
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)
    assert "By Mara Quill" not in a.text               # the byline is not body text
    assert not a.text.startswith("Flood damage")       # the headline is the title, not text


def test_main_text_without_semantic_markup():
    a = article_from_html(page("article_opengraph.html"))
    for token in BOILERPLATE:
        assert token not in a.text, token
    assert a.text.count("\n\n") == 2
    assert '"fewer than 1,500"' in a.text


def test_tiny_page_falls_back_to_paragraphs():
    a = article_from_html("<html><body><p>Short one.</p></body></html>")
    assert a.text == "Short one."
    a = article_from_html("<p>Short one.</p><p>And two.</p><footer><p>foot</p></footer>")
    assert a.text == "Short one.\n\nAnd two."


@pytest.mark.parametrize("html", ["", "   ", b"", b"\n\n", "<html><body></body></html>"])
def test_empty_pages_raise_format_error(html):
    with pytest.raises(FormatError) as e:
        article_from_html(html, source="page.html")
    assert e.value.source == "page.html"
    assert isinstance(e.value, SourceError)


def test_page_with_only_navigation_raises_format_error():
    with pytest.raises(FormatError) as e:
        article_from_html(page("article_empty.html"), url="https://x.example/app")
    assert e.value.source == "https://x.example/app"
    assert "no article text" in e.value.message


def test_markup_in_text_is_only_data():
    html = ("<html><body><article><p>The mayor said &lt;script&gt;alert(1)&lt;/script&gt; "
            "was typed into the form 14 times, according to the city's IT office.</p>"
            "<script>throw new Error('never run')</script></article></body></html>")
    a = article_from_html(html)
    assert "<script>alert(1)</script>" in a.text       # kept, as text
    assert "never run" not in a.text


# -- metadata -------------------------------------------------------------------------

def test_json_ld_metadata_wins():
    a = article_from_html(page("article_jsonld.html"), url="https://ledger.example/x?utm=1")
    assert a.title == "Flood damage in Riverton put at 1,200 homes"    # not og:title
    assert a.published == "2024-03-04"        # JSON-LD (as written), not article:published_time
    assert a.author == "Mara Quill, Tobias Fenn"
    assert a.outlet == "The Valley Ledger"    # publisher by @id in @graph, not og:site_name
    assert a.url == "https://ledger.example/news/2024/03/riverton-flood-damage"   # canonical
    assert a.source == "https://ledger.example/x?utm=1"


def test_json_ld_list_and_type_list():
    html = """<html><head>
    <script type="application/ld+json">{ this is not json }</script>
    <script type="application/ld+json">[
      {"@type": "BreadcrumbList", "name": "crumbs"},
      {"@type": ["ReportageNewsArticle"], "headline": "Dam inspection finds 3 cracks",
       "datePublished": "2020-09-10", "author": {"@type": "Person", "name": "Ada Brook"},
       "publisher": {"@type": "Organization", "name": "Lakeside Post"},
       "mainEntityOfPage": {"@id": "https://post.example/dam"}}
    ]</script></head>
    <body><p>Inspectors found three cracks in the dam, the water board said.</p></body></html>"""
    a = article_from_html(html)
    assert (a.title, a.published, a.author, a.outlet) == (
        "Dam inspection finds 3 cracks", "2020-09-10", "Ada Brook", "Lakeside Post")
    assert a.url == "https://post.example/dam"


def test_opengraph_metadata():
    a = article_from_html(page("article_opengraph.html"),
                          url="https://courier.example/business/port-strike-day-three?ref=rss")
    assert a.outlet == "Harbour Courier"
    assert a.title == "Port strike enters third day"
    assert a.published == "2023-11-14"
    assert a.author == "Lena Ostrova"
    # a relative canonical is resolved against the fetch URL and preferred to og:url
    assert a.url == "https://courier.example/business/port-strike-day-three"


def test_time_element_and_title_tag():
    a = article_from_html(page("article_meta.html"), url="https://city.example/library")
    assert a.published == "2022-06-30"          # <time datetime> before <meta name="dc.date">
    assert a.title == "Library budget cut by a fifth"
    assert a.outlet is None
    assert a.url == "https://city.example/library"   # no canonical: the fetch URL
    assert not a.text.startswith("Library budget")


def test_meta_date_and_title_suffix():
    html = """<html><head><title>Ferry fares up 8% - Island Times</title>
    <meta property="og:site_name" content="Island Times">
    <meta name="pubdate" content="2019-05-02"></head>
    <body><article><p>Ferry fares will rise by 8 percent in June, the operator said.</p>
    </article></body></html>"""
    a = article_from_html(html)
    assert a.published == "2019-05-02"
    assert a.title == "Ferry fares up 8%"
    assert a.outlet == "Island Times"


def test_canonical_without_base_url():
    html = ('<html><head><link rel="canonical" href="/relative/only"></head>'
            '<body><p>Some text of the article about 12 new buses.</p></body></html>')
    assert article_from_html(html).url is None
    html = html.replace("/relative/only", "https://buses.example/a")
    assert article_from_html(html, url="https://buses.example/a?amp=1").url == \
        "https://buses.example/a"


def test_dateline_fills_outlet_and_date():
    a = article_from_html(page("article_dateline.html"), url="https://wire.example/x")
    assert a.outlet == "Northwire"
    assert a.published == "2021-03-03"
    assert a.text.startswith("GREYFORD, March 3, 2021 (Northwire) - ")


def test_markup_beats_dateline():
    html = page("article_dateline.html").replace(
        b"<head>", b'<head><meta property="og:site_name" content="Greyford Gazette">'
                   b'<meta property="article:published_time" content="2021-03-04">')
    a = article_from_html(html)
    assert a.outlet == "Greyford Gazette"
    assert a.published == "2021-03-04"


# -- charsets -------------------------------------------------------------------------

QUOTES = "\u201cWe counted every street,\u201d Marsh said \u2013 twice \u2014 at the caf\u00e9."


def _html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><article><p>{body}</p>" \
           "<p>The county said 600 properties were affected by the flood water.</p>" \
           "</article></body></html>"


def test_windows_1252_without_charset_sniffed():
    data = _html(QUOTES).encode("cp1252")
    assert b"\x93" in data and b"\x94" in data and b"\x96" in data and b"\x97" in data
    text, encoding = decode_html(data, None)
    assert QUOTES in text
    assert encoding == "cp1252"
    a = article_from_html(data)
    assert QUOTES in a.text
    assert a.encoding == "cp1252"               # a guess, so it is recorded


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin-1", "latin1", "ascii",
                                   "us-ascii"])
def test_latin1_and_ascii_labels_mean_windows_1252(label):
    data = _html(QUOTES).encode("cp1252")
    assert QUOTES in decode_html(data, label)[0]
    meta = _html(QUOTES, f'<meta charset="{label}">').encode("cp1252")
    assert QUOTES in decode_html(meta, None)[0]


def test_header_charset_beats_meta():
    text = "Министерство обороны заявило, что потери составили около 1200 человек."
    data = _html(text, '<meta charset="utf-8">').encode("cp1251")
    got, encoding = decode_html(data, "windows-1251")
    assert text in got and encoding == "cp1251"
    a = article_from_html(data, charset="windows-1251")
    assert text in a.text and a.encoding is None    # declared, not guessed


def test_meta_charset_beats_detection():
    text = "Zażółć gęślą jaźń: straty wynoszą około 45 milionów złotych."
    data = _html(text, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">')
    got, encoding = decode_html(data.encode("cp1250"), None)
    assert text in got and encoding == "cp1250"
    koi = _html("Министерство обороны", '<meta charset="koi8-r">').encode("koi8-r")
    assert "Министерство обороны" in decode_html(koi, None)[0]


def test_wrong_declared_charset_is_skipped():
    data = _html(QUOTES, '<meta charset="utf-8">').encode("cp1252")   # lies: not UTF-8
    assert QUOTES in decode_html(data, "utf-8")[0]


def test_utf8_default_and_bom():
    data = _html(QUOTES).encode("utf-8")
    assert decode_html(data, None) == (data.decode("utf-8"), "utf-8")
    text, encoding = decode_html(b"\xef\xbb\xbf" + data, "iso-8859-1")   # BOM wins
    assert text == data.decode("utf-8") and encoding == "utf-8"
    assert article_from_html(data).encoding is None


def test_str_input_is_not_decoded_again():
    a = article_from_html(_html(QUOTES), charset="iso-8859-1")
    assert QUOTES in a.text


# -- over HTTP ------------------------------------------------------------------------

def test_fetched_windows_1252_page(http_server):
    """A windows-1252 page served as text/html without a charset, fetched and read."""
    http_server.route("/story", _html(QUOTES).encode("cp1252"), content_type="text/html")
    with Fetcher(timeout=5) as f:
        got = f.get(http_server.url("/story"))
    assert got.charset is None
    a = article_from_html(got.body, url=got.url, charset=got.charset)
    assert QUOTES in a.text
    assert a.url == http_server.url("/story")


def test_fetched_page_with_header_charset(http_server):
    text = "Министерство обороны заявило, что потери составили около 1200 человек."
    http_server.route("/ru", _html(text).encode("cp1251"),
                      content_type="text/html; charset=windows-1251")
    with Fetcher(timeout=5) as f:
        got = f.get(http_server.url("/ru"))
    assert got.charset == "windows-1251"
    assert text in article_from_html(got.body, url=got.url, charset=got.charset).text


def test_fallback_survives_boilerplate_looking_wrapper():
    html = ('<body><div class="post-with-comments"><p>Tiny.</p></div>'
            '<aside><p>SIDEBARTOKEN</p></aside></body>')
    assert article_from_html(html).text == "Tiny."


def test_quotes_and_lists_are_paragraphs():
    body = " ".join(["The survey covered farms across the valley and was completed in May."] * 3)
    html = f"""<html><head><title>Survey</title></head><body><article>
    <p>{body}</p>
    <blockquote><p>"We lost 30 percent of the harvest," one farmer said.</p></blockquote>
    <ul><li>Wheat yields fell by 12 percent.</li><li>Barley yields fell by 9 percent.</li></ul>
    <p>The ministry said it would publish final figures<br>in the autumn.</p>
    </article></body></html>"""
    paragraphs = article_from_html(html).text.split("\n\n")
    assert paragraphs[0] == body
    assert '"We lost 30 percent of the harvest," one farmer said.' in paragraphs
    assert "Wheat yields fell by 12 percent." in paragraphs
    assert "Barley yields fell by 9 percent." in paragraphs
    assert paragraphs[-1] == "The ministry said it would publish final figures\nin the autumn."

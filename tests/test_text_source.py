"""claimaudit.sources.text: decoding bytes, datelines, headlines, Article metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.errors import DecodeError, SourceError
from claimaudit.models import Article
from claimaudit.sources.text import (
    article_from_text, decode_bytes, looks_like_headline, parse_byline, parse_dateline,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "menafn-2024-12-21-gerasimov-ukraine-losses.txt"


# --------------------------------------------------------------------------- the seed

def test_seed_article_metadata():
    data = SEED.read_bytes()
    text, enc = decode_bytes(data, str(SEED))
    assert enc is None
    assert text == data.decode("utf-8")
    art = article_from_text(text, source=str(SEED), encoding=enc)
    assert isinstance(art, Article)
    assert art.outlet == "MENAFN"
    assert art.published == "2024-12-21"
    assert art.title is None
    assert art.text is text
    assert art.source == str(SEED)
    assert text[26:42] == "Valery Gerasimov"


def test_seed_dateline_span():
    text = SEED.read_text(encoding="utf-8")
    dl = parse_dateline(text)
    assert dl["outlet"] == "MENAFN"
    assert dl["published"] == "2024-12-21"
    s, e = dl["span"]
    assert text[s:e] == "date 2024-12-21 (MENAFN)"


# --------------------------------------------------------------------------- decode_bytes

def test_invalid_utf8_falls_back_to_windows_codepage():
    text, enc = decode_bytes(b"caf\xe9 \x93quoted\x94", "x.txt")
    assert text == "café “quoted”"
    assert enc == "cp1252"


def test_clean_utf8_and_bom():
    assert decode_bytes("naïve “text”".encode(), "x") == ("naïve “text”", None)
    assert decode_bytes(b"\xef\xbb\xbfHello", "x") == ("Hello", None)


def test_utf8_with_a_few_stray_windows_bytes():
    data = "Kyiv’s “plan” café".encode() + b" and \x93this\x94"
    text, enc = decode_bytes(data, "x")
    assert text == "Kyiv’s “plan” café and “this”"
    assert enc == "utf-8+cp1252"


def test_non_latin_single_byte_text_uses_charset_normalizer():
    original = "Министерство обороны сообщило в среду о потерях противника."
    text, enc = decode_bytes(original.encode("cp1251"), "x")
    assert text == original
    assert enc is not None


def test_polish_cp1250_is_not_read_as_cp1252():
    original = ("Minister powiedział w środę, że gospodarka rośnie szybciej niż "
                "oczekiwano, a inflacja spadła do 4,5 proc. w listopadzie.")
    text, enc = decode_bytes(original.encode("cp1250"), "x")
    assert text == original


def test_utf16_with_bom():
    text, enc = decode_bytes("Zürich said".encode("utf-16"), "x")
    assert text == "Zürich said"
    assert enc == "utf-16"


def test_undecodable_bytes_never_crash():
    text, enc = decode_bytes(b"odd \x81\x8d\x8f\x90\x9d bytes", "x")
    assert text.startswith("odd ") and enc


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03\x04\x05",
    b"text with a NUL \x00 in it",
    b"\x01\x02\x03\x04\x05\x06abc",
    bytes(range(256)) * 4,
])
def test_binary_data_is_rejected(data):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "blob.bin")
    assert info.value.source == "blob.bin"
    assert info.value.hint
    assert isinstance(info.value, SourceError)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf \n"])
def test_empty_input_is_rejected(data):
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(data, "empty.txt")


# --------------------------------------------------------------------------- datelines

@pytest.mark.parametrize("text,outlet,published,place,month_day,written", [
    (" date 2023-07-04 (MENAFN) The central bank said", "MENAFN", "2023-07-04", None,
     "07-04", "date 2023-07-04 (MENAFN)"),
    ("2023-07-04 (MENAFN- Gulf Times) The port said", "MENAFN- Gulf Times", "2023-07-04", None,
     "07-04", "2023-07-04 (MENAFN- Gulf Times)"),
    ("ANKARA, Mar 3 (Reuters) - Turkey's central bank", "Reuters", None, "ANKARA", "03-03",
     "ANKARA, Mar 3 (Reuters) -"),
    ("NAIROBI (AP) — Kenyan police said", "AP", None, "NAIROBI", None, "NAIROBI (AP) —"),
    ("BERLIN, June 5, 2023 /PRNewswire/ -- Acme GmbH announced", "PRNewswire", "2023-06-05",
     "BERLIN", "06-05", "BERLIN, June 5, 2023 /PRNewswire/ --"),
    ("ISLAMABAD (Agencies): Officials confirmed", "Agencies", None, "ISLAMABAD", None,
     "ISLAMABAD (Agencies):"),
    ("LIMA, 9 August 2022 (AFP) - Peru's president", "AFP", "2022-08-09", "LIMA", "08-09",
     "LIMA, 9 August 2022 (AFP) -"),
    ("SAN JOSE, Calif., Oct. 2, 2023 (AP) — The firm", "AP", "2023-10-02", "SAN JOSE, Calif.",
     "10-02", "SAN JOSE, Calif., Oct. 2, 2023 (AP) —"),
    ("ST. PETERSBURG, Feb 1 (Reuters) - A court", "Reuters", None, "ST. PETERSBURG", "02-01",
     "ST. PETERSBURG, Feb 1 (Reuters) -"),
    ("Nairobi, Feb 1 (Reuters) - A court", "Reuters", None, "Nairobi", "02-01",
     "Nairobi, Feb 1 (Reuters) -"),
    ("OTTAWA — The government said", None, None, "OTTAWA", None, "OTTAWA —"),
])
def test_dateline_forms(text, outlet, published, place, month_day, written):
    dl = parse_dateline(text)
    assert dl["outlet"] == outlet
    assert dl["published"] == published
    assert dl["place"] == place
    assert dl["month_day"] == month_day
    s, e = dl["span"]
    assert text[s:e] == written


@pytest.mark.parametrize("text", [
    "The central bank (CBRT) said on Monday it would hold rates.",
    "President Ruto said the talks had failed.",
    "BREAKING: ministers resign over budget row",
    "",
    "   ",
])
def test_no_dateline(text):
    assert parse_dateline(text) == {}


def test_dateline_after_headline_and_byline():
    text = ("Port strike ends after three weeks\n"
            "By Ana Lima, Reuters\n\n"
            "SANTOS, Brazil, Mar 3 (Reuters) - Dockworkers voted on Friday.")
    dl = parse_dateline(text)
    assert dl["outlet"] == "Reuters" and dl["place"] == "SANTOS, Brazil"
    s, e = dl["span"]
    assert text[s:e] == "SANTOS, Brazil, Mar 3 (Reuters) -"


def test_dateline_is_not_searched_deep_in_the_text():
    text = "A first paragraph that is a sentence.\n\nNAIROBI (AP) — Later text."
    assert parse_dateline(text) == {}


def test_byline():
    assert parse_byline("By Jane Doe, Reuters") == {"author": "Jane Doe", "outlet": "Reuters"}
    assert parse_byline("By Jane Doe") == {"author": "Jane Doe", "outlet": None}
    assert parse_byline("Bystanders fled the scene.") == {}


# --------------------------------------------------------------------------- headlines

@pytest.mark.parametrize("line", [
    "Russia says Ukraine lost 20,000 tanks",
    "Will the ceasefire hold?",
    "“We will not retreat,” minister says",
    "  Port strike ends after three weeks  ",
])
def test_headlines(line):
    assert looks_like_headline(line)


@pytest.mark.parametrize("line", [
    "The minister said talks had failed.",
    "“We will not retreat.”",
    "lowercase start of a line",
    "NAIROBI (AP) — Kenyan police said",
    " date 2023-07-04 (MENAFN) The central bank said",
    "By Jane Doe, Reuters",
    "December 18, 2024",
    "",
    " ".join(["word"] * 25),
    "A" * 201,
])
def test_not_headlines(line):
    assert not looks_like_headline(line)


# --------------------------------------------------------------------------- article_from_text

def test_title_from_first_line():
    text = "Port strike ends after three weeks\n\nNAIROBI (AP) — Dockworkers voted on Friday."
    art = article_from_text(text)
    assert art.title == "Port strike ends after three weeks"
    assert art.outlet == "AP"
    assert art.published is None
    assert art.text == text


def test_title_and_byline_author():
    text = "Port strike ends\nBy Ana Lima, Reuters\n\nThe strike ended on Friday, unions said."
    art = article_from_text(text)
    assert art.title == "Port strike ends"
    assert art.author == "Ana Lima"
    assert art.outlet == "Reuters"


def test_single_line_text_is_not_a_title():
    assert article_from_text("Port strike ends after three weeks").title is None


def test_first_sentence_is_not_a_title():
    text = "The strike ended on Friday, unions said.\n\nMore text follows here."
    assert article_from_text(text).title is None


def test_explicit_arguments_win():
    text = " date 2023-07-04 (MENAFN) The central bank said rates would hold."
    art = article_from_text(text, source="feed.txt", url="https://example.org/a",
                            outlet="Example Wire", published="Wed, 05 Jul 2023 10:00:00 GMT",
                            title="Rates on hold", encoding="cp1252")
    assert art.outlet == "Example Wire"
    assert art.published == "2023-07-05"
    assert art.title == "Rates on hold"
    assert (art.url, art.source, art.encoding) == ("https://example.org/a", "feed.txt", "cp1252")


def test_explicit_published_is_normalised():
    art = article_from_text("Some text here.", published="2023-07-05T09:00:00+02:00")
    assert art.published == "2023-07-05"


def test_dateline_without_year_leaves_published_empty():
    art = article_from_text("ANKARA, Mar 3 (Reuters) - Turkey's central bank held rates.")
    assert art.outlet == "Reuters"
    assert art.published is None


def test_text_is_kept_exactly():
    text = "\ufeff  Headline here\r\n\r\n ANKARA (Reuters) - Body.\r\n  "
    art = article_from_text(text)
    assert art.text == text
    assert art.outlet == "Reuters"

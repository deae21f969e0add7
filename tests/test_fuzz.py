"""Property-based tests of extraction on hostile, random text: it never raises, every span
lies inside the text and equals its ``text`` field, and every interval holds its value.

Texts are built from newsroom pieces (names, reporting verbs, quotes of every kind, numbers
written every way, scale words, qualifiers, dates, periods) mixed with unicode and control
characters, so the examples reach deep into the extraction rules instead of being noise.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimaudit.extract.pipeline import extract_claims
from claimaudit.models import Article

MAX_EXAMPLES = 300

NAMES = ["Oskar Lind", "Marta Ilves", "Valery Gerasimov", "Gen. Jaan Tamm", "the ministry",
         "Defence Minister Andrey Belousov", "He", "She", "They", "a spokesman", "O'Brien",
         "Zelenskyy", "the Kremlin", "Reuters", "Ada Brandt, head of the central bank,"]
VERBS = ["said", "told reporters", "according to", "claimed", "reported", "revealed",
         "was quoted as saying", "added", "wrote", "estimated", "insisted", "noted", "says",
         "first revealed by", "cited by", "denied"]
QUOTES = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", "``", "''", "「", "」"]
NUMBERS = ["1", "0", "300", "1,000,000", "1.000.000", "975,100", "2.5", ".5", "12", "-5",
           "−40", "1e6", "one", "two", "twelve", "a hundred", "hundreds", "dozens", "half",
           "a third", "1/3", "½", "٣", "१२", "10%", "5 percent", "$4bn", "€3.2 million",
           "£12m", "₽300", "20 000", "1 000", "999999999999999999999", "3-4", "3 to 4",
           "between 10 and 20", "10–20", "0.0001", "1,2,3", "9,99", "１２"]
SCALES = ["million", "billion", "trillion", "thousand", "hundred", "bn", "m", "k", "lakh",
          "crore", "dozen", "percent", "per cent", "%", "square kilometres", "km2"]
QUALIFIERS = ["nearly", "almost", "about", "around", "roughly", "some", "over", "more than",
              "at least", "up to", "fewer than", "less than", "at most", "approximately",
              "close to", "just under", "well over", "no fewer than", "an estimated"]
NOUNS = ["casualties", "soldiers", "tanks", "ships", "settlements", "villages", "dollars",
         "losses", "killed or wounded", "armoured vehicles", "square kilometres of territory",
         "people", "cranes"]
DATES = ["on Monday", "on Dec. 16", "on 16 December 2024", "last week", "yesterday",
         "in 2024", "since February 2022", "since the start of the war", "this year",
         "over the same period", "in the first half of 2023", "2024-12-16", "Dec 31, 1999",
         "on February 30", "in 10000", "from 2022 to 2023", "since 1 January"]
ODD = ["\x00", "\x01", "\x07", "\x1b[31m", "\x1b]8;;http://x.test\x07", "\x7f", "\x9b",
       "\u200b", "\u200e", "\u202e", "\u2066", "\ufeff", "\ud7ff", "\U0001f600", "é", "е",
       "ß", "ﬁ", "İ", "\u0301", "\t", "\r\n", "\n\n", "\u2028", "\u00a0", "\u3000", "…",
       "—", "–", "-", "(", ")", "[bold red]", "[/]", "|", "\\", "*", "%", ";", ".", ",", ":",
       "?", "!", "Mr.", "U.S.", "No. 5", "p.m.", "e.g."]

PIECES = st.one_of(
    st.sampled_from(NAMES), st.sampled_from(VERBS), st.sampled_from(QUOTES),
    st.sampled_from(NUMBERS), st.sampled_from(SCALES), st.sampled_from(QUALIFIERS),
    st.sampled_from(NOUNS), st.sampled_from(DATES), st.sampled_from(ODD),
    st.text(max_size=8),                                   # anything at all, unicode included
    st.builds(lambda n, q, num, s, noun: f"{n} said {q} {num} {s} {noun}",
              st.sampled_from(NAMES), st.sampled_from(QUALIFIERS), st.sampled_from(NUMBERS),
              st.sampled_from(SCALES), st.sampled_from(NOUNS)),
    st.builds(lambda o, n, v, num, c: f"{o}{num} {n}{c} {v}",
              st.sampled_from(QUOTES), st.sampled_from(NOUNS), st.sampled_from(VERBS),
              st.sampled_from(NUMBERS), st.sampled_from(QUOTES)),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "", ". ", ", ", "\n", " — ", ": "])


@st.composite
def texts(draw) -> str:
    parts = draw(st.lists(st.tuples(PIECES, SEPARATORS), min_size=1, max_size=40))
    return "".join(p + s for p, s in parts)


PUBLISHED = st.one_of(st.none(), st.sampled_from(
    ["2024-12-21", "2024-02-29", "1999-12-31", "2024-12-21T10:00:00Z", "2024", "2024-13-40",
     "not a date", ""]))


def check_span(text: str, span, value: str, what: str) -> None:
    assert span is not None, what
    s, e = span
    assert isinstance(s, int) and isinstance(e, int), (what, span)
    assert 0 <= s <= e <= len(text), (what, span, len(text))
    assert text[s:e] == value, (what, span, text[s:e], value)


def check_claims(text: str, claims) -> None:
    for c in claims:
        if c.speaker is not None:
            check_span(text, c.speaker.span, c.speaker.text, "speaker")
        check_span(text, c.cue.span, c.cue.text, "cue")
        check_span(text, c.content.span, c.content.text, "content")
        for frag in c.content.spans or []:
            s, e = frag
            assert c.content.span[0] <= s <= e <= c.content.span[1], ("fragment", frag)
        if c.stated_on is not None and c.stated_on.span is not None:
            check_span(text, c.stated_on.span, c.stated_on.text, "stated_on")
        for f in c.figures:
            check_span(text, f.span, f.text, "figure")
            if f.number_span is not None:
                ns, ne = f.number_span
                assert f.span[0] <= ns <= ne <= f.span[1], ("number inside figure", f)
            assert f.value is not None and not math.isnan(f.value), f
            if f.low is not None:
                assert f.low <= f.value, ("low", f)
            if f.high is not None:
                assert f.value <= f.high, ("high", f)
            if f.period is not None and f.period.span is not None:
                check_span(text, f.period.span, f.period.text, "period")
        for o in c.origin:
            check_span(text, o.speaker.span, o.speaker.text, "origin speaker")
            s, e = o.span
            assert 0 <= s <= e <= len(text), ("origin", o.span)
            if o.stated_on is not None and o.stated_on.span is not None:
                check_span(text, o.stated_on.span, o.stated_on.text, "origin stated_on")


FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(narration: bool) -> dict:
    """Run the property over MAX_EXAMPLES drawn texts; return what was seen."""
    seen = {"examples": 0, "claims": 0, "figures": 0}

    @FUZZ
    @given(text=texts(), published=PUBLISHED)
    def run(text, published):
        claims = extract_claims(Article(text=text, published=published), narration=narration)
        check_claims(text, claims)
        seen["examples"] += 1
        seen["claims"] += len(claims)
        seen["figures"] += sum(len(c.figures) for c in claims)

    run()
    print(f"fuzz narration={narration}: {seen}")
    return seen


def test_extraction_never_raises_and_spans_point_into_the_text():
    seen = fuzz(narration=False)
    # hypothesis really drew the examples, and they reached the claim and figure rules
    assert seen["examples"] >= MAX_EXAMPLES * 0.9
    assert seen["claims"] > 0 and seen["figures"] > 0


def test_extraction_with_narration_never_raises_and_spans_point_into_the_text():
    seen = fuzz(narration=True)
    assert seen["examples"] >= MAX_EXAMPLES * 0.9
    assert seen["claims"] > 0 and seen["figures"] > 0


def test_reading_random_bytes_gives_an_article_or_one_source_error():
    """Any bytes as a .txt file or as JSON Lines: an Article or a SourceError, never a crash
    (the CLI turns each SourceError into one line)."""
    import io

    from claimaudit.errors import SourceError
    from claimaudit.ingest import Overrides, _article_from_bytes, iter_jsonl
    seen = {"examples": 0, "articles": 0, "errors": 0}
    pieces = st.one_of(st.binary(max_size=40), st.sampled_from(
        [b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\xc3\x28", b"\x93quoted\x94",
         b"\n", b'{"text": "', b'"}', b"Oskar Lind said 300 ships sank.", b"\\u0000",
         b'{"text": "Lind said 5 tugs sank.", "published": "2024-13-45"}']),
        st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")))

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.lists(pieces, max_size=12).map(b"".join))
    def run(data):
        seen["examples"] += 1
        try:
            art = _article_from_bytes(data, "text", "fuzz.txt", Overrides())
        except SourceError as e:
            assert "\n" not in e.message
            seen["errors"] += 1
        else:
            assert isinstance(art.text, str) and art.text.strip()
            seen["articles"] += 1
        for item in iter_jsonl(io.BytesIO(data), "fuzz.jsonl", Overrides()):
            assert isinstance(item, (Article, SourceError))
            if isinstance(item, Article):
                check_claims(item.text, extract_claims(item, narration=True))

    run()
    print(f"fuzz bytes: {seen}")
    assert seen["examples"] >= 180 and seen["articles"] and seen["errors"]

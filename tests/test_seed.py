"""The seed article against shared/spec/seed-gold.md (copied into this test as numbers)."""

from __future__ import annotations

import pytest

from claimaudit.extract.pipeline import extract_claims
from claimaudit.sources.text import article_from_text


@pytest.fixture(scope="module")
def seed():
    from tests.conftest import SEED
    text = SEED.read_text(encoding="utf-8")
    art = article_from_text(text, source=str(SEED))
    return art, extract_claims(art)


def figure_claims(claims):
    return [(c, f) for c in claims for f in c.figures]


def test_metadata(seed):
    art, _ = seed
    assert art.outlet == "MENAFN"
    assert art.published == "2024-12-21"
    assert not art.title


def test_exactly_four_figures_with_gold_spans(seed):
    art, claims = seed
    got = [(f.span, f.value, f.qualifier) for _, f in figure_claims(claims)]
    assert got == [((138, 154), 1_000_000, "nearly"), ((248, 260), 20_000, "approx"),
                   ((747, 760), 190, "more_than"), ((1215, 1218), 2, "exact")]
    for _, f in figure_claims(claims):
        assert art.text[f.span[0]:f.span[1]] == f.text


def test_every_figure_is_credited_to_gerasimov(seed):
    art, claims = seed
    for c, _ in figure_claims(claims):
        assert c.speaker.name == "Valery Gerasimov"
    first = figure_claims(claims)[0][0]
    assert first.speaker.span == (26, 42) and first.speaker.text == "Valery Gerasimov"
    assert "head of Russia’s General Staff" in first.speaker.role
    assert [c.cue.text for c, _ in figure_claims(claims)] == [
        "reported", "stated", "claimed", "identified"]
    assert [c.speaker.text for c, _ in figure_claims(claims)][1:] == ["He", "he", "He"]


def test_statement_dates(seed):
    _, claims = seed
    fc = figure_claims(claims)
    first = fc[0][0].stated_on
    assert (first.date, first.precision, first.span) == ("2024-12-18", "day", (89, 101))
    for c, _ in fc[1:]:
        assert c.stated_on is None or c.stated_on.date == "2024-12-18"


def test_what_is_counted_and_period(seed):
    _, claims = seed
    f1, f2, f3, f4 = [f for _, f in figure_claims(claims)]
    assert "casualties" in f1.metric and "Ukrainian forces" in (f1.subject or "")
    assert f1.period and f1.period.start == "2022-02"
    assert "tanks" in f2.metric and f2.subject == "Ukraine"
    assert "settlements" in f3.metric and f3.period and f3.period.start[:4] == "2024"
    assert f4.metric == "key escalations" and f4.period and f4.period.start[:4] == "2024"


def test_origin_links_to_belousov(seed):
    _, claims = seed
    fc = figure_claims(claims)
    for c, f in fc[:2]:
        (o,) = c.origin
        assert o.speaker.name == "Andrey Belousov"
        assert o.speaker.role == "Russian Defense Minister"
        assert o.stated_on.date == "2024-12-16"
    for c, f in fc[2:]:
        assert c.origin == []


def test_putin_is_audience_not_speaker(seed):
    _, claims = seed
    names = {c.speaker.name for c in claims if c.speaker}
    names |= {o.speaker.name for c in claims for o in c.origin}
    assert not any("Putin" in n for n in names)


def test_claims_without_figures(seed):
    art, claims = seed
    plain = {c.cue.text: c for c in claims if not c.figures}
    for cue in ("said", "described", "argued", "revealed", "warned"):
        assert cue in plain, (cue, sorted(plain))
        assert plain[cue].speaker.name == "Valery Gerasimov"
    assert "strategic defeat" in plain["said"].content.text and plain["said"].kind == "mixed"
    assert "terrorist attack" in plain["described"].content.text
    assert plain["argued"].content.text.startswith("the Ukrainian army")
    assert plain["revealed"].content.text.startswith("Russia had deployed")
    assert plain["warned"].content.text.startswith("Russia would continue")


def test_non_figures(seed):
    art, claims = seed
    spans = [f.span for _, f in figure_claims(claims)]
    assert not any(s[0] <= 474 < s[1] for s in spans)  # 30-minute
    texts = [f.text for _, f in figure_claims(claims)]
    assert not any(t in ("2022", "2024") for t in texts)

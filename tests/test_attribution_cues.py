"""Cue words of a sentence are read off one scan of the whole article: every window of a
text must give what a scan of that window alone gives, even where the window's end cuts a
word or a cue's " out"."""

from __future__ import annotations

import pytest

from claimaudit.extract.attribution import CUE_RE, _ctx, _cues_in

TEXTS = [
    "Smith said taxes rose. Lind pointed out that 40 ships sank.",
    "He said out loud: sayings are old.Then she told them, unsaid.",
    "They warned  out\nof time, she says-out; ‘said’ he wrote’s notes",
    "She points out",
    "said",
]


def spans(ms):
    return [(m.start(), m.end(), m.group()) for m in ms]


@pytest.mark.parametrize("text", TEXTS)
def test_every_window_finds_what_a_scan_of_it_finds(text):
    ctx = _ctx(text)
    assert ctx.cues    # each text holds cue words
    for s in range(len(text) + 1):
        for e in range(s, len(text) + 1):
            assert spans(_cues_in(ctx, text, s, e)) == spans(CUE_RE.finditer(text, s, e)), \
                (s, e, text[s:e])

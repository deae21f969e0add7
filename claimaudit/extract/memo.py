"""A one-entry cache for the per-article steps of extraction."""

from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")


def per_text(fn: Callable[[str], T]) -> Callable[[str], T]:
    """``fn(text)``, computed once for the text last asked about.

    The steps that extract one article ask for its paragraphs, quotations, tokens and
    cues many times over, always with the same text object, so an identity test is the
    whole key (an equal text built elsewhere is only computed again). The (text, value)
    pair is replaced whole: a thread never sees one text with another's value."""
    last: tuple = (None, None)

    @wraps(fn)
    def cached(text: str) -> T:
        nonlocal last
        seen, value = last
        if seen is not text:
            value = fn(text)
            last = (text, value)
        return value

    return cached

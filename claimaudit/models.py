"""Plain data passed between the steps: source -> article -> claims and figures -> store.

Every extracted item carries ``span = (start, end)``: Python ``str`` offsets into
``Article.text``, end exclusive, so ``article.text[start:end] == item.text``.
Dates are ISO strings: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

Span = tuple[int, int]


def _span(v: Any) -> Optional[Span]:
    """``[start, end]`` from JSON -> ``(start, end)``; None stays None."""
    return None if v is None else (v[0], v[1])

QUALIFIERS = (
    "exact", "approx", "nearly", "more_than", "at_least", "less_than", "at_most", "range",
)
KINDS = ("direct", "indirect", "mixed", "narration")


def content_hash(text: str) -> str:
    """The store's de-duplication key: sha256 of the text, whitespace-normalised."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass
class Article:
    text: str
    id: Optional[str] = None          # the caller's id (JSONL "id"), if any
    url: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None   # ISO date or datetime
    source: Optional[str] = None      # where it came from: path, URL, "<stdin>"
    encoding: Optional[str] = None    # how the bytes were decoded, when a fallback was used
    author: Optional[str] = None
    canonical_url: Optional[str] = None   # the page's own canonical link, when it differs

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def to_dict(self, *, text: bool = False) -> dict[str, Any]:
        """The metadata and content hash; with ``text``, also the text, the encoding it
        was read with and the canonical URL: all :meth:`from_dict` needs to rebuild it."""
        d = {k: getattr(self, k) for k in
             ("id", "url", "outlet", "title", "published", "source", "author")}
        d["content_hash"] = self.content_hash
        if text:
            d["encoding"] = self.encoding
            d["canonical_url"] = self.canonical_url
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        return cls(text=d["text"], id=d.get("id"), url=d.get("url"), outlet=d.get("outlet"),
                   title=d.get("title"), published=d.get("published"), source=d.get("source"),
                   encoding=d.get("encoding"), author=d.get("author"),
                   canonical_url=d.get("canonical_url"))


@dataclass
class DateRef:
    """When something was said (or happened): a resolved date and its precision."""
    date: str                      # YYYY-MM-DD | YYYY-MM | YYYY
    precision: str                 # day | month | year
    text: str = ""
    span: Optional[Span] = None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "precision": self.precision, "text": self.text,
                "span": list(self.span) if self.span else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DateRef":
        return cls(date=d["date"], precision=d["precision"], text=d.get("text", ""),
                   span=_span(d.get("span")))


@dataclass
class Period:
    """The stretch of time a figure covers: ``since February 2022`` -> start 2022-02."""
    text: str
    start: Optional[str] = None
    end: Optional[str] = None
    span: Optional[Span] = None
    carried: bool = False          # taken from an earlier sentence, not written next to it

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        d = {"text": self.text, "start": self.start, "end": self.end,
             "span": list(self.span) if self.span else None}
        if full:
            d["carried"] = self.carried
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Period":
        return cls(text=d["text"], start=d.get("start"), end=d.get("end"),
                   span=_span(d.get("span")), carried=bool(d.get("carried", False)))


@dataclass
class Figure:
    text: str                      # as written, qualifier included: "nearly 1 million"
    span: Span
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    qualifier: str = "exact"
    unit: Optional[str] = None     # percent | USD | GBP | EUR | RUB | km2 | ...
    metric: Optional[str] = None   # what is counted: "casualties"
    subject: Optional[str] = None  # whose: "Ukrainian forces"
    period: Optional[Period] = None
    number_span: Optional[Span] = None  # the number alone, without the qualifier

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        d = {"text": self.text, "span": list(self.span), "value": self.value,
             "low": self.low, "high": self.high, "qualifier": self.qualifier,
             "unit": self.unit, "metric": self.metric, "subject": self.subject,
             "period": self.period.to_dict(full=full) if self.period else None}
        if full:
            d["number_span"] = list(self.number_span) if self.number_span else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        return cls(text=d["text"], span=_span(d["span"]), value=d["value"], low=d.get("low"),
                   high=d.get("high"), qualifier=d.get("qualifier", "exact"),
                   unit=d.get("unit"), metric=d.get("metric"), subject=d.get("subject"),
                   period=Period.from_dict(d["period"]) if d.get("period") else None,
                   number_span=_span(d.get("number_span")))


@dataclass
class SpeakerRef:
    """Who is credited: ``name`` is canonical (pronouns resolved), ``text``/``span`` as written."""
    name: str
    text: str
    span: Span
    role: Optional[str] = None
    kind: str = "person"           # person | body | pronoun | description
    # the whole source phrase as written, appositive included ("Ada Berg, the port's
    # director,"), when it is longer than ``span``
    phrase: Optional[Span] = None

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "text": self.text, "span": list(self.span),
                             "role": self.role}
        if full:
            d["kind"] = self.kind
        if self.phrase and tuple(self.phrase) != tuple(self.span):
            d["spans"] = [list(self.phrase)]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SpeakerRef":
        spans = d.get("spans")
        return cls(name=d["name"], text=d["text"], span=_span(d["span"]), role=d.get("role"),
                   kind=d.get("kind", "person"), phrase=_span(spans[0]) if spans else None)


@dataclass
class TextSpan:
    text: str
    span: Span                     # covering span; ``text == article.text[span]``
    spans: Optional[list[list[int]]] = None  # the fragments, when discontinuous

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "span": list(self.span)}
        if self.spans:
            d["spans"] = [list(x) for x in self.spans]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TextSpan":
        spans = d.get("spans")
        return cls(text=d["text"], span=_span(d["span"]),
                   spans=[list(x) for x in spans] if spans else None)


@dataclass
class Origin:
    """An earlier source the article names for a claim's figures ("first revealed by X")."""
    speaker: SpeakerRef
    span: Span                     # the provenance sentence or clause
    stated_on: Optional[DateRef] = None
    cue: str = ""

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        return {"speaker": self.speaker.to_dict(full=full),
                "stated_on": self.stated_on.to_dict() if self.stated_on else None,
                "span": list(self.span), "cue": self.cue}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Origin":
        return cls(speaker=SpeakerRef.from_dict(d["speaker"]), span=_span(d["span"]),
                   stated_on=DateRef.from_dict(d["stated_on"]) if d.get("stated_on") else None,
                   cue=d.get("cue", ""))


@dataclass
class Claim:
    id: int                        # position within the article, from 0
    speaker: Optional[SpeakerRef]
    cue: TextSpan
    content: TextSpan
    kind: str = "indirect"
    stated_on: Optional[DateRef] = None
    figures: list[Figure] = field(default_factory=list)
    origin: list[Origin] = field(default_factory=list)

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        """The claim as ``claims --format json`` lists it; with ``full``, also what only
        extraction knows (the speaker reference's kind, each figure's number span, whether
        its period was carried over): what :meth:`from_dict` needs to rebuild it exactly."""
        return {"id": self.id,
                "speaker": self.speaker.to_dict(full=full) if self.speaker else None,
                "cue": self.cue.to_dict(), "content": self.content.to_dict(),
                "kind": self.kind,
                "stated_on": self.stated_on.to_dict() if self.stated_on else None,
                "figures": [f.to_dict(full=full) for f in self.figures],
                "origin": [o.to_dict(full=full) for o in self.origin]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        """The inverse of :meth:`to_dict`: ``Claim.from_dict(c.to_dict(full=True)) == c``."""
        return cls(id=d["id"],
                   speaker=SpeakerRef.from_dict(d["speaker"]) if d.get("speaker") else None,
                   cue=TextSpan.from_dict(d["cue"]), content=TextSpan.from_dict(d["content"]),
                   kind=d.get("kind", "indirect"),
                   stated_on=DateRef.from_dict(d["stated_on"]) if d.get("stated_on") else None,
                   figures=[Figure.from_dict(f) for f in d.get("figures") or ()],
                   origin=[Origin.from_dict(o) for o in d.get("origin") or ()])


def plain(obj: Any) -> Any:
    """Dataclass -> dict for JSON, for objects without a ``to_dict``."""
    return asdict(obj)

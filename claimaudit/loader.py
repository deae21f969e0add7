"""Pre-extracted claims -> store: the ``load`` half of ``extract --format jsonl | load``.

Each JSON Lines record is what ``claimaudit extract --format jsonl`` prints:
``{"id", "article": {..., "text", "content_hash"}, "claims": [...], "narration"}``.
A record is checked whole before anything of it is stored (the text is there and matches
its content hash, every span lies inside the text, and each item's text is the text its
span covers), so a bad line is one error and never a half-stored article; the other lines
go on. Storing and grouping are ingest's: one run row, already stored texts are "seen",
figures placed in their groups once at the end.
"""

from __future__ import annotations

import json
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from claimaudit.errors import DecodeError, FormatError, SourceError
from claimaudit.ingest import MAX_ARTICLE_BYTES, Summary, bounded_lines
from claimaudit.models import KINDS, QUALIFIERS, Article, Claim, content_hash

# A record holds the article's text and its claims' texts (contents restate much of it).
MAX_RECORD_BYTES = 4 * MAX_ARTICLE_BYTES
REEXTRACT = "extract it again with `claimaudit extract --format jsonl`"
ARTICLE_FIELDS = ("id", "url", "outlet", "title", "published", "source", "author", "encoding",
                  "canonical_url")


@dataclass
class Record:
    """One stored-to-be article with the claims extracted from it."""
    article: Article
    claims: list[Claim]
    narration: Optional[bool] = None    # were uncredited figures kept (None: not said)
    where: str = ""                     # "claims.jsonl line 3"


Item = Union[Record, SourceError]


# ----------------------------------------------------------------------------- writing

def extract_record(article: Article, *, narration: bool = False, text: bool = True) -> dict:
    """Extract one article's claims: the record ``claimaudit extract`` prints. With
    ``text`` it is self-contained (:func:`record_from_row` rebuilds article and claims);
    with ``narration``, figures credited to no one are kept, as ``ingest`` stores them."""
    from claimaudit.extract.pipeline import extract_claims
    claims = extract_claims(article, narration=narration)
    return {"id": article.id, "article": article.to_dict(text=text),
            "claims": [c.to_dict(full=True) for c in claims], "narration": narration}


# ----------------------------------------------------------------------------- reading

def iter_records(sources: Iterable[str], *, stdin=None) -> Iterator[Item]:
    """Every record of the files (``-`` is stdin), in order; a bad line or file is its
    SourceError and the rest go on."""
    for src in sources:
        try:
            if src == "-":
                stream = stdin or sys.stdin
                yield from _records(getattr(stream, "buffer", stream), "<stdin>")
                continue
            path = Path(src)
            try:
                st = path.stat()
            except FileNotFoundError:
                raise SourceError(src, "no such file",
                                  "give the JSON Lines that `claimaudit extract --format "
                                  "jsonl` wrote") from None
            if not stat.S_ISREG(st.st_mode):
                raise SourceError(src, "not a regular file", "give a JSON Lines file")
            with path.open("rb") as fh:
                yield from _records(fh, src)
        except SourceError as e:
            yield e
        except OSError as e:
            yield SourceError(src, e.strerror or str(e), "check the path and its permissions")


def _records(fh, source: str) -> Iterator[Item]:
    lines = 0
    for n, raw, size in bounded_lines(fh, MAX_RECORD_BYTES):
        where = f"{source} line {n}"
        lines += 1
        if raw is None:
            yield FormatError(where, f"too large for one record ({size:,} bytes, limit "
                                     f"{MAX_RECORD_BYTES // 1_000_000} MB)",
                              "split the article before extracting it")
            continue
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            yield FormatError(where, f"not valid JSON ({_short(e)})",
                              f"fix or remove the line, or {REEXTRACT}")
            continue
        try:
            yield record_from_row(row, where)
        except SourceError as e:
            yield e
    if not lines:
        yield DecodeError(source, "empty input (no lines)",
                          "give the output of `claimaudit extract --format jsonl`")


def record_from_row(row: Any, where: str) -> Record:
    """A parsed JSON line -> :class:`Record`, checked; a FormatError naming ``where`` and
    the first problem otherwise."""
    if not isinstance(row, dict) or not isinstance(row.get("article"), dict) \
            or not isinstance(row.get("claims"), list):
        raise FormatError(where, "not a claims record (expected an object with \"article\" "
                                 "and \"claims\")",
                          "load reads what `claimaudit extract --format jsonl` prints; "
                          "use `claimaudit ingest` for articles")
    art = row["article"]
    text = art.get("text")
    if not isinstance(text, str) or not text.strip():
        raise FormatError(where, "the article has no text",
                          "extract it again with `claimaudit extract --format jsonl` "
                          "(without --no-text)")
    chash = art.get("content_hash")
    if not isinstance(chash, str):
        raise FormatError(where, "the article has no content_hash", REEXTRACT)
    if chash != content_hash(text):
        raise FormatError(where, "the article text does not match its content_hash "
                                 "(the text was changed after extraction)", REEXTRACT)
    for k in ARTICLE_FIELDS:
        if art.get(k) is not None and not isinstance(art[k], str):
            raise FormatError(where, f"the article's {k} is not a string", REEXTRACT)
    try:
        article = Article.from_dict(art)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise FormatError(where, f"the article: {_field_problem(e)}", REEXTRACT) from None
    claims = []
    for i, c in enumerate(row["claims"]):
        try:
            claim = Claim.from_dict(c)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
            raise FormatError(where, f"claim {i}: {_field_problem(e)}", REEXTRACT) from None
        problem = claim_problem(claim, text)
        if problem:
            raise FormatError(where, f"claim {i}: {problem}", REEXTRACT)
        claims.append(claim)
    narration = row.get("narration")
    return Record(article, claims, narration if isinstance(narration, bool) else None, where)


def _field_problem(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"missing field {e.args[0]!r}"
    return f"a field of the wrong shape ({_short(e)})"


def claim_problem(c: Claim, text: str) -> Optional[str]:
    """What is wrong with a claim's offsets into ``text``, or None when they all hold."""
    n = len(text)

    def bad_span(name: str, span, item_text: Optional[str] = None) -> Optional[str]:
        if span is None:
            return None
        s, e = span
        if not (_is_number(s) and _is_number(e) and isinstance(s + e, int)):
            return f"{name} span {list(span)} is not two whole numbers"
        if not 0 <= s <= e <= n:
            return f"{name} span [{s}, {e}] lies outside the text ({n} characters)"
        if item_text is not None and text[s:e] != item_text:
            return (f"{name} text {_short(item_text, 40)!r} is not the text at its span "
                    f"[{s}, {e}] ({_short(text[s:e], 40)!r})")
        return None

    if c.kind not in KINDS:
        return f"kind {_short(c.kind, 20)!r} is not one of {', '.join(KINDS)}"
    checks: list[tuple] = []
    if c.speaker is not None:
        checks += [("speaker", c.speaker.span, c.speaker.text),
                   ("speaker phrase", c.speaker.phrase)]
    checks += [("cue", c.cue.span, c.cue.text), ("content", c.content.span, c.content.text)]
    checks += [("content fragment", tuple(x)) for x in c.content.spans or ()]
    checks += [("cue fragment", tuple(x)) for x in c.cue.spans or ()]
    if c.stated_on is not None:
        checks.append(("stated_on", c.stated_on.span))
    for j, f in enumerate(c.figures):
        for name, v in (("value", f.value), ("low", f.low), ("high", f.high)):
            if not (_is_number(v) or v is None and name != "value"):
                return f"figure {j} {name} {_short(v, 20)!r} is not a number"
        if f.qualifier not in QUALIFIERS:
            return f"figure {j} qualifier {_short(f.qualifier, 20)!r} is not one of " \
                   f"{', '.join(QUALIFIERS)}"
        checks += [(f"figure {j}", f.span, f.text), (f"figure {j} number", f.number_span)]
        if f.period is not None:
            checks.append((f"figure {j} period", f.period.span))
    for j, o in enumerate(c.origin):
        checks += [(f"origin {j}", o.span), (f"origin {j} speaker", o.speaker.span,
                                             o.speaker.text)]
        if o.stated_on is not None:
            checks.append((f"origin {j} stated_on", o.stated_on.span))
    for check in checks:
        problem = bad_span(*check)
        if problem:
            return problem
    return None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _short(e: Any, limit: int = 80) -> str:
    s = " ".join(str(e).split())
    return s if len(s) < limit else s[:limit - 3] + "..."


# ----------------------------------------------------------------------------- storing

def load(store, items: Iterable[Item], *, sources: Optional[list[str]] = None,
         on_error: Optional[Callable[[SourceError], None]] = None,
         on_item: Optional[Callable[[Any], None]] = None,
         on_notice: Optional[Callable[[str], None]] = None, debug: bool = False) -> Summary:
    """Store every record without extracting anything, through ingest's one batched
    writer: one run row, known texts counted as seen, then the new figures grouped once.
    Errors (bad lines, unreadable files) go to ``on_error``; the rest are stored.
    ``on_item`` sees each article or error as it arrives (a progress display)."""
    from claimaudit.ingest import store_extracted
    noted: set[str] = set()

    def pairs() -> Iterator[Any]:
        for item in items:
            if isinstance(item, SourceError):
                yield item
                continue
            if item.narration is False and on_notice:
                src = item.where.rsplit(" line ", 1)[0]
                if src not in noted:
                    noted.add(src)
                    on_notice(f"{src}: extracted without --narration, so figures the text "
                              "credits to no one (headlines) are not in it; `claimaudit "
                              "extract --narration` stores what `ingest` would")
            yield item.article, item.claims

    def seen(entry: Any) -> None:
        if on_item:
            on_item(entry if isinstance(entry, SourceError) else entry[0])

    return store_extracted(store, pairs(), command="load", sources=sources,
                           on_error=on_error, on_item=seen, on_notice=on_notice, debug=debug)

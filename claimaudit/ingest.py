"""Sources -> articles -> store. Reads files, folders, JSON Lines, stdin, URLs and feeds;
each article is extracted and written in its own transaction; a bad source is reported and
the others go on."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from claimaudit.errors import ClaimAuditError, DecodeError, FormatError, SourceError
from claimaudit.models import Article

TEXT_EXTS = {".txt", ".text"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
KNOWN_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS
MAX_FILE_BYTES = 200_000_000


@dataclass
class Overrides:
    """Metadata given on the command line; it wins over what the text says."""
    outlet: Optional[str] = None
    published: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None

    def as_kwargs(self) -> dict[str, Optional[str]]:
        return {"outlet": self.outlet, "published": self.published, "title": self.title,
                "url": self.url}


Item = Union[Article, SourceError]


def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def iter_articles(sources: Iterable[str], overrides: Optional[Overrides] = None, *,
                  input_format: str = "auto", stdin=None) -> Iterator[Item]:
    """Every article the sources hold, in order; a failing source yields its SourceError."""
    ov = overrides or Overrides()
    for src in sources:
        try:
            if src == "-":
                yield from _from_stdin(stdin or sys.stdin, ov, input_format)
            elif is_url(src):
                yield from _from_url(src, ov)
            else:
                yield from _from_path(Path(src), ov, input_format)
        except SourceError as e:
            yield e
        except OSError as e:
            yield SourceError(src, e.strerror or str(e), "check the path and its permissions")


def _from_path(path: Path, ov: Overrides, input_format: str) -> Iterator[Item]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*")
                       if p.is_file() and p.suffix.lower() in KNOWN_EXTS
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not files:
            yield SourceError(str(path), "no .txt, .html or .jsonl files in this folder")
        for p in files:
            try:
                yield from _from_file(p, ov, input_format)
            except SourceError as e:
                yield e
            except OSError as e:
                yield SourceError(str(p), e.strerror or str(e), "check its permissions")
        return
    if not path.exists():
        raise SourceError(str(path), "no such file or folder")
    yield from _from_file(path, ov, input_format)


def _kind(path: Path, input_format: str) -> str:
    if input_format != "auto":
        return input_format
    ext = path.suffix.lower()
    if ext in JSONL_EXTS:
        return "jsonl"
    if ext in HTML_EXTS:
        return "html"
    return "text"


def _from_file(path: Path, ov: Overrides, input_format: str) -> Iterator[Item]:
    kind = _kind(path, input_format)
    size = path.stat().st_size
    if kind == "jsonl":
        with path.open("rb") as fh:
            yield from iter_jsonl(fh, str(path), ov)
        return
    if size > MAX_FILE_BYTES:
        raise SourceError(str(path), f"too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})",
                          "split it into smaller files or JSON Lines")
    data = path.read_bytes()
    yield _article_from_bytes(data, kind, str(path), ov)


def _article_from_bytes(data: bytes, kind: str, source: str, ov: Overrides,
                        charset: Optional[str] = None) -> Article:
    if kind == "html":
        from claimaudit.sources.html import article_from_html
        art = article_from_html(data, url=ov.url, source=source, charset=charset)
        _apply(art, ov)
        return art
    from claimaudit.sources.text import article_from_text, decode_bytes
    text, enc = decode_bytes(data, source)
    return article_from_text(text, source=source, encoding=enc, **ov.as_kwargs())


def _apply(art: Article, ov: Overrides) -> None:
    from claimaudit.extract.dates import normalize_published
    for k, v in ov.as_kwargs().items():
        if v:
            setattr(art, k, normalize_published(v) if k == "published" else v)


def iter_jsonl(fh, source: str, ov: Overrides) -> Iterator[Item]:
    """One article a line: ``text`` or ``html``, optional id, url, outlet, published, title.
    A broken line yields a FormatError naming its number; the other lines go on."""
    for n, raw in enumerate(fh, 1):
        if not raw.strip():
            continue
        where = f"{source} line {n}"
        try:
            row = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            yield FormatError(where, f"not valid JSON ({_short(e)})", "fix or remove the line")
            continue
        try:
            yield article_from_row(row, where, ov)
        except SourceError as e:
            yield e


def article_from_row(row: Any, where: str, ov: Optional[Overrides] = None) -> Article:
    ov = ov or Overrides()
    if not isinstance(row, dict):
        raise FormatError(where, "expected a JSON object with a \"text\" or \"html\" field")
    meta = {k: _str_or_none(row.get(k)) for k in ("url", "outlet", "published", "title")}
    for k, v in ov.as_kwargs().items():
        if v:
            meta[k] = v
    if isinstance(row.get("text"), str) and row["text"].strip():
        from claimaudit.sources.text import article_from_text
        art = article_from_text(row["text"], source=where, **meta)
    elif isinstance(row.get("html"), str) and row["html"].strip():
        from claimaudit.sources.html import article_from_html
        art = article_from_html(row["html"], url=meta["url"], source=where)
        _apply(art, Overrides(**meta))
    else:
        raise FormatError(where, "no \"text\" or \"html\" field with content",
                          "each line needs the article text")
    if row.get("id") is not None:
        art.id = str(row["id"])
    return art


def _str_or_none(v: Any) -> Optional[str]:
    return None if v is None else str(v)


def _short(e: Exception) -> str:
    s = str(e)
    return s if len(s) < 80 else s[:77] + "..."


def _from_stdin(stream, ov: Overrides, input_format: str) -> Iterator[Item]:
    buf = getattr(stream, "buffer", stream)
    if input_format == "jsonl":
        yield from iter_jsonl(buf, "<stdin>", ov)
        return
    data = buf.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    yield _article_from_bytes(data, "html" if input_format == "html" else "text", "<stdin>", ov)


def _from_url(url: str, ov: Overrides) -> Iterator[Item]:
    from claimaudit.sources.fetch import Fetcher
    from claimaudit.sources.feeds import is_feed
    with Fetcher() as fetcher:
        got = fetcher.get(url)
        if is_feed(got.content_type, got.body):
            yield from _feed_entries(fetcher, url, got, ov, None)
            return
        kind = "html" if "html" in got.content_type or got.body.lstrip()[:1] == b"<" else "text"
        art = _article_from_bytes(got.body, kind, url, Overrides(ov.outlet, ov.published,
                                                                   ov.title, ov.url or got.url),
                                  charset=got.charset)
        art.url = art.url or got.url
        yield art


def _feed_entries(fetcher, url, got, ov: Overrides, seen: Optional[Callable[[str], bool]]):
    from claimaudit.sources.feeds import parse_feed
    title, entries = parse_feed(got.body, url=url)
    for entry in entries:
        if seen and seen(entry.url):
            continue
        try:
            page = fetcher.get(entry.url)
            art = _article_from_bytes(page.body, "html", entry.url,
                                      Overrides(ov.outlet, ov.published, ov.title, page.url),
                                      charset=page.charset)
        except SourceError as e:
            if entry.content_html:
                from claimaudit.sources.html import article_from_html
                try:
                    art = article_from_html(entry.content_html, url=entry.url, source=entry.url)
                except SourceError:
                    yield e
                    continue
            else:
                yield e
                continue
        art.url = art.url or entry.url
        art.outlet = art.outlet or title
        art.published = art.published or entry.published
        art.title = art.title or entry.title
        yield art


@dataclass
class Summary:
    articles_new: int = 0
    articles_seen: int = 0
    claims: int = 0
    figures: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"articles_new": self.articles_new, "articles_seen": self.articles_seen,
                "claims": self.claims, "figures": self.figures, "errors": self.errors}


def ingest(store, items: Iterable[Item], *, command: str = "ingest",
           sources: Optional[list[str]] = None,
           on_error: Optional[Callable[[SourceError], None]] = None,
           on_article: Optional[Callable[[], None]] = None) -> Summary:
    """Extract and store every article; report errors through ``on_error``; regroup once."""
    from claimaudit.extract.pipeline import extract_claims
    from claimaudit.groups import regroup
    summary = Summary()
    run_id = store.start_run(command, sources or [])
    try:
        for item in items:
            if on_article:
                on_article()
            if isinstance(item, SourceError):
                summary.errors.append({"source": item.source, "error": str(item)})
                if on_error:
                    on_error(item)
                continue
            if store.find_article(content_hash=item.content_hash) is not None:
                summary.articles_seen += 1
                continue
            claims = extract_claims(item)
            _, created = store.add_article(item, claims, run_id=run_id)
            if created:
                summary.articles_new += 1
                summary.claims += len(claims)
                summary.figures += sum(len(c.figures) for c in claims)
            else:
                summary.articles_seen += 1
        if summary.articles_new:
            regroup(store)
    finally:
        store.finish_run(run_id, **summary.to_dict())
    return summary

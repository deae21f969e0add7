"""RSS 0.9x / 1.0 (RDF) / 2.0 and Atom feeds (via feedparser), plus JSON Feed,
and ``feeds.txt`` lists of feed URLs."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urljoin, urlsplit

from claimaudit.errors import FormatError, SourceError
from claimaudit.extract.dates import normalize_published

__all__ = ["FeedEntry", "is_feed", "parse_feed", "read_feed_urls"]

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/x-rss+xml", "application/x-atom+xml", "application/rss+rdf",
    "application/feed+json",
})

# prolog = XML declaration, comments, processing instructions, DOCTYPE, whitespace
_PROLOG = re.compile(r"""\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*""",
                     re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


@dataclass
class FeedEntry:
    url: str
    title: Optional[str]
    published: Optional[str]        # YYYY-MM-DD, the date as written in the feed
    summary_html: Optional[str]
    content_html: Optional[str]


def _head_text(body: bytes, n: int = 4096) -> str:
    head = body[:n]
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0:1] == b"<" else "utf-16-be", errors="ignore")
    return head.decode("latin-1")


def _root_element(body: bytes) -> Optional[tuple[str, str]]:
    """(prefix, local name) of the document's root element, if it starts like XML."""
    text = _head_text(body)
    m = _PROLOG.match(text)
    rest = text[m.end():] if m else text
    m = _ROOT.match(rest)
    if not m:
        return None
    return (m.group(1) or "").rstrip(":").lower(), m.group(2).lower()


def _is_json_feed(body: bytes) -> bool:
    head = _head_text(body, 2048).lstrip()
    return head.startswith("{") and "jsonfeed.org/version" in head.replace("\\/", "/")


def is_feed(content_type: str, body: bytes) -> bool:
    """True for an RSS/Atom/RDF feed: by content type, or by the root element
    (``<rss``, ``<feed``, ``<rdf:RDF``) whatever the content type says."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in FEED_TYPES:
        return True
    if _is_json_feed(body):
        return True
    root = _root_element(body)
    if root is None:
        return False
    _prefix, local = root
    return local in ("rss", "feed", "rdf")


# ------------------------------------------------------------------ dates ---

def _date(raw: Optional[str], parsed: Any = None) -> Optional[str]:
    """YYYY-MM-DD as written in the feed (an offset is not converted to UTC, which could
    change the day); feedparser's UTC struct only when the string cannot be read."""
    if raw:
        try:
            value = normalize_published(raw)
        except Exception:
            value = None
        if value:
            return value
    if parsed:
        try:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
        except AttributeError:
            return None
    return None


# ------------------------------------------------------------------ parse ---

def _clean(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _entry_url(entry: Any, base: str) -> Optional[str]:
    candidates = []
    for link in entry.get("links", []) or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            if (link.get("type") or "text/html").lower() in ("text/html", "application/xhtml+xml"):
                candidates.insert(0, link["href"])
            else:
                candidates.append(link["href"])
    if entry.get("link"):
        candidates.append(entry["link"])
    guid = entry.get("id")
    if guid and entry.get("guidislink", True):
        candidates.append(guid)
    for c in candidates:
        url = urljoin(base, c.strip())
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return url
    return None


def _parse_json_feed(body: bytes, url: str) -> tuple[Optional[str], list[FeedEntry]]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(url, "not a feed (bad JSON Feed)", str(exc)[:120]) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FormatError(url, "not a feed", "a JSON Feed needs an items list")
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str):
            link = item.get("id")      # an id is only a link when it is an absolute URL
            if not isinstance(link, str) or not link.startswith(("http://", "https://")):
                continue
        link = urljoin(url, link.strip())
        if urlsplit(link).scheme not in ("http", "https"):
            continue
        content = item.get("content_html")
        if not content and isinstance(item.get("content_text"), str):
            from html import escape

            content = "".join(f"<p>{escape(p)}</p>" for p in item["content_text"].split("\n\n"))
        entries.append(FeedEntry(
            url=link, title=_clean(item.get("title")),
            published=_date(item.get("date_published") if isinstance(
                item.get("date_published"), str) else None),
            summary_html=item.get("summary") if isinstance(item.get("summary"), str) else None,
            content_html=content if isinstance(content, str) else None))
    return _clean(data.get("title")), entries


def parse_feed(body: bytes, *, url: str) -> tuple[str | None, list[FeedEntry]]:
    """(feed title, entries with a fetchable http(s) URL, in feed order, no duplicates).
    Raises :class:`FormatError` when ``body`` is not a feed."""
    if not body or not body.strip():
        raise FormatError(url, "not a feed (empty)", "the feed URL returned nothing")
    if _is_json_feed(body):
        return _parse_json_feed(body, url)
    root = _root_element(body)
    if root is None or root[1] not in ("rss", "feed", "rdf"):
        found = f"<{root[1]}>" if root else "no XML"
        raise FormatError(url, f"not a feed (found {found})",
                          "expected RSS (<rss>, <rdf:RDF>) or Atom (<feed>)")
    import io

    import feedparser

    # a stream, never the bytes themselves: feedparser would try a str/bytes as a path or URL
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url},
                              sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FormatError(url, "not a feed (cannot parse it)",
                          _clean(str(problem))[:160] if problem else None)
    feed = parsed.get("feed", {})
    base = feed.get("link") if isinstance(feed.get("link"), str) else None
    base = urljoin(url, base) if base else url
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _entry_url(entry, base)
        if not link or link in seen:
            continue
        seen.add(link)
        content_html = None
        for c in entry.get("content", []) or []:
            if c.get("value"):
                if (c.get("type") or "").lower() in ("text/html", "application/xhtml+xml"):
                    content_html = c["value"]
                    break
                content_html = content_html or c["value"]
        published = _date(entry.get("published"), entry.get("published_parsed"))
        if not published:
            published = _date(entry.get("updated"), entry.get("updated_parsed"))
        if not published:
            published = _date(entry.get("created"), entry.get("created_parsed"))
        entries.append(FeedEntry(
            url=link, title=_clean(entry.get("title")), published=published,
            summary_html=entry.get("summary") or None, content_html=content_html))
    return _clean(feed.get("title")), entries


# ----------------------------------------------------------------- lists ----

def read_feed_urls(path: str) -> list[str]:
    """A ``feeds.txt``: one URL per line; blank lines and ``#`` comments (whole
    lines, or after whitespace at the end of a line) are ignored; duplicates dropped."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise SourceError(path, "no such file", "give the path of a feeds list") from None
    except IsADirectoryError:
        raise SourceError(path, "is a directory", "give the path of a feeds list") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    urls: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in line:
            raise FormatError(path, f"line {n}: not an http(s) URL: {line[:80]!r}",
                              "one feed URL per line; '#' starts a comment")
        if line not in urls:
            urls.append(line)
    return urls

"""Sources -> articles -> store. Reads files, folders, JSON Lines, stdin, URLs and feeds;
articles are extracted (in a pool of worker processes for large local inputs) and written
by this process in batched transactions, a savepoint per article; a bad source is reported
and the others go on."""

from __future__ import annotations

import json
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from claimaudit.errors import ClaimAuditError, DecodeError, FormatError, SourceError
from claimaudit.models import Article

TEXT_EXTS = {".txt", ".text"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
KNOWN_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS
# One article (a text or HTML file, stdin, one JSON Lines line) is at most this big; larger
# input is refused before it is read, so a stray dump or log cannot exhaust memory.
MAX_ARTICLE_BYTES = 10_000_000
MAX_FILE_BYTES = MAX_ARTICLE_BYTES      # the old name
_READ_CHUNK = 1 << 20
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}


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
                  input_format: str = "auto", stdin=None, fetcher=None, store=None,
                  debug: bool = False) -> Iterator[Item]:
    """Every article the sources hold, in order; a failing source yields its SourceError.

    ``fetcher`` is the run's one HTTP client (a :class:`SharedFetcher` or a ``Fetcher``;
    one is made, and closed, when URLs need it and none is given). With a ``store``, a
    URL that is a feed is read incrementally (conditional GET, stored entries skipped).
    An unexpected exception in one source becomes that source's error unless ``debug``."""
    ov = overrides or Overrides()
    with run_fetcher(fetcher) as fetcher:
        for src in sources:
            try:
                if src == "-":
                    yield from _from_stdin(stdin or sys.stdin, ov, input_format)
                elif is_url(src):
                    yield from _from_url(src, ov, fetcher, store, debug)
                else:
                    yield from _from_path(Path(src), ov, input_format, debug)
            except SourceError as e:
                yield e
            except OSError as e:
                yield SourceError(src, e.strerror or str(e), "check the path and its permissions")
            except Exception as e:  # noqa: BLE001 - one bad source must not stop the others
                if debug:
                    raise
                yield unexpected(src, e)


@contextmanager
def run_fetcher(fetcher=None):
    """The run's one HTTP client: ``fetcher`` when given, else a new
    :class:`SharedFetcher` that is closed when the run ends."""
    if fetcher is not None:
        yield fetcher
        return
    own = SharedFetcher()
    try:
        yield own
    finally:
        own.close()


def _from_path(path: Path, ov: Overrides, input_format: str, debug: bool = False
               ) -> Iterator[Item]:
    if path.is_dir():
        # not only regular files: a broken link or a pipe named like an article is reported
        # (by _from_file) rather than skipped in silence; folders are walked, not read
        files = sorted(p for p in path.rglob("*")
                       if p.suffix.lower() in KNOWN_EXTS and not p.is_dir()
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
            except Exception as e:  # noqa: BLE001 - one bad file must not stop the folder
                if debug:
                    raise
                yield unexpected(str(p), e)
        return
    if not path.exists():
        if path.is_symlink():
            raise SourceError(str(path), "a broken symbolic link", "check where it points")
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


def too_large(source: str, size: Any) -> SourceError:
    return SourceError(source, f"too large for one article ({size} bytes, limit "
                               f"{MAX_ARTICLE_BYTES // 1_000_000} MB); split it or use JSON Lines")


def _from_file(path: Path, ov: Overrides, input_format: str) -> Iterator[Item]:
    kind = _kind(path, input_format)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise SourceError(str(path), "a broken symbolic link",
                              "check where it points") from None
        raise SourceError(str(path), "no such file or folder") from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(str(path), "a folder where a file was expected")
    if not stat.S_ISREG(st.st_mode):
        # opening a FIFO would wait for a writer forever; a device may never end
        raise SourceError(str(path), f"not a regular file ({_file_kind(st.st_mode)})",
                          "give a text, HTML or JSON Lines file")
    if kind == "jsonl":
        with path.open("rb") as fh:
            if b"\x00" in fh.read(65536):      # one line for a binary file, not one per line
                raise DecodeError(str(path), "not text: binary data (contains NUL bytes)",
                                  "pass a text, HTML or JSON Lines file")
            fh.seek(0)
            yield from iter_jsonl(fh, str(path), ov)
        return
    if st.st_size > MAX_ARTICLE_BYTES:
        raise too_large(str(path), f"{st.st_size:,}")
    with path.open("rb") as fh:
        data = fh.read(MAX_ARTICLE_BYTES + 1)      # the file may grow after the stat
    if len(data) > MAX_ARTICLE_BYTES:
        raise too_large(str(path), f"over {MAX_ARTICLE_BYTES:,}")
    yield _article_from_bytes(data, kind, str(path), ov)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file"


def _article_from_bytes(data: bytes, kind: str, source: str, ov: Overrides,
                        charset: Optional[str] = None, base_url: Optional[str] = None) -> Article:
    """``base_url``: where the bytes came from (relative links, the URL when the page names
    none); ``ov.url`` (``--url``) overrides whatever the page says."""
    if kind == "html":
        from claimaudit.sources.html import article_from_html
        art = article_from_html(data, url=ov.url or base_url, source=source, charset=charset)
        _apply(art, ov)
        return art
    from claimaudit.sources.text import article_from_text, decode_bytes
    text, enc = None, None
    if charset:     # the header's charset, read as browsers do (latin-1 means cp1252)
        label = charset.strip().lower()
        codec = ("cp1252" if label in _LATIN1_LABELS
                 else "utf-8-sig" if label in ("utf-8", "utf8") else label)
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            text = None
        if text is not None and not text.strip():
            text = None
    if text is None:
        text, enc = decode_bytes(data, source)
    kwargs = ov.as_kwargs()
    kwargs["url"] = ov.url or base_url
    return article_from_text(text, source=source, encoding=enc, **kwargs)


def _apply(art: Article, ov: Overrides) -> None:
    from claimaudit.extract.dates import normalize_published
    for k, v in ov.as_kwargs().items():
        if v:
            setattr(art, k, normalize_published(v) if k == "published" else v)


def iter_jsonl(fh, source: str, ov: Overrides) -> Iterator[Item]:
    """One article a line: ``text`` or ``html``, optional id, url, outlet, published, title.
    A broken line yields a FormatError naming its number; the other lines go on. A line
    longer than one article may be is skipped unread (reported), so memory stays bounded."""
    lines = 0
    for n, raw, size in bounded_lines(fh, MAX_ARTICLE_BYTES):
        where = f"{source} line {n}"
        if raw is None:
            lines += 1
            yield too_large(where, f"{size:,}")
            continue
        if not raw.strip():
            continue
        lines += 1
        try:
            row = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            yield FormatError(where, f"not valid JSON ({_short(e)})", "fix or remove the line")
            continue
        try:
            yield article_from_row(row, where, ov)
        except SourceError as e:
            yield e
    if not lines:       # a failed export leaves an empty file: say so, as for an empty .txt
        yield DecodeError(source, "empty input (no lines)",
                          "nothing to read: give a file with one JSON object a line")


def bounded_lines(fh, limit: int) -> Iterator[tuple[int, Optional[bytes], int]]:
    """``(number, line, size)`` for each line of a binary stream; ``line`` is None for a
    line over ``limit`` bytes, which is read past in chunks, never held whole."""
    n = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        n += 1
        if len(raw) <= limit or raw.endswith(b"\n") and len(raw) == limit + 1:
            yield n, raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = fh.readline(_READ_CHUNK)
            if not raw:
                break
            size += len(raw)
        yield n, None, size


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


def _short(e: Any, limit: int = 80) -> str:
    s = " ".join(str(e).split())
    return s if len(s) < limit else s[:limit - 3] + "..."


def _from_stdin(stream, ov: Overrides, input_format: str) -> Iterator[Item]:
    buf = getattr(stream, "buffer", stream)
    if input_format == "jsonl":
        yield from iter_jsonl(buf, "<stdin>", ov)
        return
    data = buf.read(MAX_ARTICLE_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_ARTICLE_BYTES:
        raise too_large("<stdin>", f"over {MAX_ARTICLE_BYTES:,}")
    yield _article_from_bytes(data, "html" if input_format == "html" else "text", "<stdin>", ov)


class SharedFetcher:
    """The one HTTP client of a run (article URLs and feeds alike), made on first use so
    that a run over local files never imports httpx."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 10_000_000, **options: Any):
        self.options = dict(options, timeout=timeout, max_bytes=max_bytes)
        self._fetcher = None

    @property
    def fetcher(self):
        if self._fetcher is None:
            from claimaudit.sources.fetch import Fetcher
            self._fetcher = Fetcher(**self.options)
        return self._fetcher

    def get(self, url: str, **kwargs: Any):
        return self.fetcher.get(url, **kwargs)

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __enter__(self) -> "SharedFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unexpected(source: str, exc: BaseException) -> SourceError:
    """A bug met while reading one source, as that source's error (the run goes on)."""
    return SourceError(source, f"unexpected error ({type(exc).__name__}: {_short(str(exc))})",
                       "run again with --debug for the traceback")


def _from_url(url: str, ov: Overrides, fetcher, store=None, debug: bool = False
              ) -> Iterator[Item]:
    """An article URL, or a feed URL: a URL already known as a feed gets a conditional GET;
    one that turns out to be a feed goes through the same incremental feed path."""
    if store is not None and store.get_feed_state(url) is not None:
        from claimaudit.feeds_run import feed_items
        yield from feed_items(store, fetcher, url, ov, allow_page=True, debug=debug)
        return
    got = fetcher.get(url)
    from claimaudit.sources.feeds import is_feed
    if is_feed(got.content_type, got.body):
        if store is not None:
            from claimaudit.feeds_run import feed_items
            yield from feed_items(store, fetcher, url, ov, got=got, debug=debug)
        else:
            title, entries = parse_feed_response(url, got)
            yield from feed_entry_items(fetcher, title, entries, ov, debug=debug)
        return
    yield page_article(url, got, ov)


def page_article(source: str, got, ov: Overrides) -> Article:
    """A fetched page (or text) -> Article. The page's canonical URL is the article's URL
    (``--url`` wins); the URL asked for stays its ``source``."""
    ctype = got.content_type or ""
    kind = "html" if "html" in ctype or (ctype != "text/plain"
                                         and got.body.lstrip()[:1] == b"<") else "text"
    art = _article_from_bytes(got.body, kind, source, ov, charset=got.charset, base_url=got.url)
    if kind == "html" and art.url and art.url != got.url and not ov.url:
        art.canonical_url = art.url     # declared by the page (stored for URL look-ups)
    art.url = art.url or got.url
    return art


def parse_feed_response(url: str, got):
    """(title, entries) of a fetched feed; relative links resolve against the final URL,
    errors name the URL asked for."""
    from claimaudit.sources.feeds import parse_feed
    try:
        return parse_feed(got.body, url=got.url or url)
    except SourceError as e:
        raise type(e)(url, e.message, e.hint) from None


_GONE = ("HTTP 404", "HTTP 410")


def feed_entry_items(fetcher, feed_title: Optional[str], entries, ov: Overrides,
                     seen: Optional[Callable[[str], bool]] = None, *, debug: bool = False
                     ) -> Iterator[Item]:
    """The articles of a feed's entries, skipping those ``seen`` says are stored. A page
    that cannot be fetched or read falls back to the feed's own content, if it has any
    (not for a page that is gone: 404 and 410 are reported)."""
    for entry in entries:
        if seen and seen(entry.url):
            continue
        try:
            art = _entry_article(fetcher, entry, ov)
        except SourceError as e:
            yield e
            continue
        except Exception as e:  # noqa: BLE001 - one bad page must not stop the feed
            if debug:
                raise
            yield unexpected(entry.url, e)
            continue
        art.url = art.url or entry.url
        art.outlet = art.outlet or feed_title
        art.published = art.published or entry.published
        art.title = art.title or entry.title
        yield art


def _entry_article(fetcher, entry, ov: Overrides) -> Article:
    entry_ov = Overrides(ov.outlet, ov.published, ov.title, None)
    try:
        return page_article(entry.url, fetcher.get(entry.url), entry_ov)
    except SourceError as e:
        if not entry.content_html or e.message in _GONE:
            raise
        from claimaudit.sources.html import article_from_html
        try:
            art = article_from_html(entry.content_html, url=entry.url, source=entry.url)
        except SourceError:
            raise e from None
        _apply(art, entry_ov)
        return art


@dataclass
class Summary:
    articles_new: int = 0
    articles_seen: int = 0
    claims: int = 0
    figures: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    # how the run went (not part of the summary printed): seconds spent reading sources,
    # extracting (CPU, here and in the workers), waiting for workers, writing, grouping;
    # the most articles held at once (read, not yet stored); whether a pool was used
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    peak_held: int = field(default=0, repr=False, compare=False)
    pooled: bool = field(default=False, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"articles_new": self.articles_new, "articles_seen": self.articles_seen,
                "claims": self.claims, "figures": self.figures, "errors": self.errors}

    def add_time(self, what: str, seconds: float) -> None:
        self.timings[what] = self.timings.get(what, 0.0) + seconds


def error_entry(e: SourceError) -> dict[str, str]:
    """``{"source", "error"}``: the error without the source repeated in front of it."""
    return {"source": e.source, "error": e.message + (f" ({e.hint})" if e.hint else "")}


# Batched writing: a transaction holds up to this many articles, this many characters of
# text, or what arrived in this many seconds, whichever comes first. The write lock is
# taken only to write a full batch (never while waiting for extraction), so a concurrent
# ingest waits at most one batch's writing.
BATCH_ARTICLES = 256
BATCH_CHARS = 32_000_000
BATCH_SECONDS = 1.0
# Articles read ahead of the writer, waiting for or in extraction (per worker, at least
# WINDOW_MIN): with the batch, all an ingest holds in memory whatever the corpus size.
WINDOW_PER_WORKER = 32
WINDOW_MIN = 64
# Fewer new articles than this are extracted in this process: no pool start-up.
POOL_AFTER = 32


def _source_of(art: Article) -> str:
    return art.source or art.url or "<article>"


class _Dup:
    """An article whose text an earlier article of this run has (not stored yet when it
    was read): "already stored" once that one is, else that one's error."""
    __slots__ = ("article", "hash")

    def __init__(self, article: Article, chash: str):
        self.article, self.hash = article, chash


class _Failed:
    """An article whose extraction failed: its error, remembered for its duplicates."""
    __slots__ = ("hash", "error")

    def __init__(self, chash: str, error: SourceError):
        self.hash, self.error = chash, error


class BatchWriter:
    """The one writer of a run: extracted articles (in input order) are stored in batched
    transactions (:meth:`Store.add_articles`: a savepoint per article, a committed batch
    always whole), counted in the summary and their errors reported, in input order.

    ``add`` takes ``(article, claims)``, a :class:`SourceError`, or the internal
    duplicate/failure markers of :func:`ingest`. ``flush`` writes what is pending."""

    def __init__(self, store, summary: Summary, run_id: Optional[int], *,
                 batch_size: int = BATCH_ARTICLES, batch_chars: int = BATCH_CHARS,
                 batch_seconds: float = BATCH_SECONDS,
                 on_error: Optional[Callable[[SourceError], None]] = None,
                 on_notice: Optional[Callable[[str], None]] = None, debug: bool = False):
        import time
        self._clock = time.monotonic
        self.store, self.summary, self.run_id = store, summary, run_id
        self.batch_size, self.batch_chars = max(1, batch_size), batch_chars
        self.batch_seconds = batch_seconds
        self.on_error, self.on_notice, self.debug = on_error, on_notice, debug
        self.pending: list = []
        self.pending_hashes: set[str] = set()     # texts waiting in this batch
        self.failed: dict[str, SourceError] = {}  # texts that failed in this run
        self._chars = 0
        self._since: Optional[float] = None
        self.batches = 0

    def __len__(self) -> int:
        return len(self.pending)

    def add(self, entry) -> None:
        if isinstance(entry, tuple):
            art, claims = entry[0], entry[1]
            chash = entry[2] if len(entry) > 2 else art.content_hash
            entry = (art, claims, chash)
            self.pending_hashes.add(chash)
            self._chars += len(art.text)
        elif not isinstance(entry, (SourceError, _Dup, _Failed)):
            raise TypeError(f"not an (article, claims) pair or an error: {entry!r}")
        self.pending.append(entry)
        if self._since is None:
            self._since = self._clock()
        # batches grow from 8 articles to batch_size: a run commits its first articles
        # soon after it starts (a run killed early keeps them), then writes in bulk
        if (len(self.pending) >= min(self.batch_size, 8 << min(self.batches, 16))
                or self._chars >= self.batch_chars
                or self._clock() - self._since >= self.batch_seconds):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        import time
        pending = self.pending      # taken first: a batch that fails is not tried again
        self.pending, self.pending_hashes, self._chars, self._since = [], set(), 0, None
        pairs = [(e[0], e[1]) for e in pending if isinstance(e, tuple)]
        t = time.perf_counter()
        results = iter(self.store.add_articles(pairs, run_id=self.run_id, debug=self.debug)
                       if pairs else ())
        self.summary.add_time("write", time.perf_counter() - t)
        self.batches += 1
        s = self.summary
        for e in pending:
            if isinstance(e, SourceError):
                self._report(e)
            elif isinstance(e, _Failed):
                self.failed[e.hash] = e.error
                self._report(e.error)
            elif isinstance(e, _Dup):
                first = self.failed.get(e.hash)
                if first is None:
                    s.articles_seen += 1
                else:
                    self._report(SourceError(_source_of(e.article), first.message, first.hint))
            else:
                art, claims, chash = e
                _, created, err = next(results)
                if err is not None:
                    se = SourceError(_source_of(art), "could not be stored "
                                     f"({type(err).__name__}: {_short(str(err))})",
                                     "run again with --debug for the traceback")
                    self.failed[chash] = se
                    self._report(se)
                elif created:
                    s.articles_new += 1
                    s.claims += len(claims)
                    s.figures += sum(len(c.figures) for c in claims)
                    if self.on_notice and art.encoding and not art.encoding.startswith("utf-8"):
                        self.on_notice(f"{art.source or art.url}: not valid UTF-8; read as "
                                       f"{art.encoding} (stored as decoded)")
                else:
                    s.articles_seen += 1

    def _report(self, err: SourceError) -> None:
        self.summary.errors.append(error_entry(err))
        if self.on_error:
            self.on_error(err)


def _group(store, summary: Summary) -> None:
    # also after a run killed between storing and grouping: its figures wait here
    if summary.articles_new or store.has_ungrouped_figures():
        import time
        from claimaudit.groups import update_groups
        t = time.perf_counter()
        # one transaction: two ingests at once must not both read the groups, then
        # both write (the same new group id twice, or a figure left out)
        with store.transaction():
            update_groups(store)
        summary.add_time("group", time.perf_counter() - t)


def store_extracted(store, pairs: Iterable[Union[tuple[Article, list], SourceError]], *,
                    command: str = "load", sources: Optional[list[str]] = None,
                    on_error: Optional[Callable[[SourceError], None]] = None,
                    on_item: Optional[Callable[[Any], None]] = None,
                    on_notice: Optional[Callable[[str], None]] = None,
                    batch_size: int = BATCH_ARTICLES, batch_seconds: float = BATCH_SECONDS,
                    group: bool = True, debug: bool = False) -> Summary:
    """Store pre-extracted ``(article, claims)`` pairs (or a source's SourceError, which
    is reported in its place) without extracting anything: a run record, batched
    transactions (an article that cannot be written is that article's error, the others
    are stored), counts and errors in the summary, then the new figures grouped. An
    article already stored (same content hash, in the store or earlier in ``pairs``)
    counts as seen. Memory: one batch."""
    summary = Summary()
    run_id = store.start_run(command, sources or [])
    writer = BatchWriter(store, summary, run_id, batch_size=batch_size,
                         batch_seconds=batch_seconds, on_error=on_error, on_notice=on_notice,
                         debug=debug)
    try:
        for entry in pairs:
            if on_item:
                on_item(entry)
            writer.add(entry)
            summary.peak_held = max(summary.peak_held, len(writer))
        writer.flush()
        if group:
            _group(store, summary)
    finally:
        store.finish_run(run_id, **summary.to_dict())
    return summary


def ingest(store, items: Iterable[Item], *, command: str = "ingest",
           sources: Optional[list[str]] = None,
           on_error: Optional[Callable[[SourceError], None]] = None,
           on_article: Optional[Callable[[], None]] = None,
           on_item: Optional[Callable[[Item], None]] = None,
           on_notice: Optional[Callable[[str], None]] = None,
           debug: bool = False, workers: int = 1, batch_size: int = 1,
           batch_seconds: float = BATCH_SECONDS, window: Optional[int] = None,
           pool_after: int = POOL_AFTER) -> Summary:
    """Extract and store every article; report errors through ``on_error``; then place the
    new figures in their groups (incrementally).
    ``on_item`` sees each article or error as it arrives (a progress display).

    ``workers``: extraction processes (1: in this process; more: a pool, started once
    ``pool_after`` new articles have been read). ``batch_size``: articles per write
    transaction (1: each article committed before the next is read, as a feed's
    bookkeeping needs; see :class:`BatchWriter`). ``window``: articles read ahead of the
    writer at most. Articles already stored, or read earlier in this run, are never
    extracted. A worker that dies stops the run with :class:`WorkerCrash` after storing
    what was extracted before it."""
    from collections import deque
    import time

    from claimaudit.workers import ExtractionFailed, Extractor, WorkerCrash
    summary = Summary()
    run_id = store.start_run(command, sources or [])
    writer = BatchWriter(store, summary, run_id, batch_size=batch_size,
                         batch_seconds=batch_seconds, on_error=on_error, on_notice=on_notice,
                         debug=debug)
    window = window or max(WINDOW_MIN, WINDOW_PER_WORKER * max(1, workers))
    queue: deque = deque()      # (ticket or None, entry, hash), in input order
    in_flight: set[str] = set()
    clock = time.perf_counter

    def finish(head, ext: Extractor):
        ticket, entry, chash = head
        if ticket is None:
            return entry
        in_flight.discard(chash)
        t = clock()
        try:
            claims = ext.result(ticket)
        except (ClaimAuditError, WorkerCrash):
            raise
        except ExtractionFailed as e:
            if debug:
                raise
            kind, message = e.args
            return _Failed(chash, SourceError(
                _source_of(entry), f"unexpected error ({kind}: {_short(message)})",
                "run again with --debug for the traceback"))
        except Exception as e:  # noqa: BLE001 - a bug on one article must not stop the run
            if debug:
                raise
            return _Failed(chash, unexpected(_source_of(entry), e))
        finally:
            summary.add_time("wait", clock() - t)
        return entry, claims, chash

    def put(entry) -> None:
        writer.add(entry)
        held = len(queue) + len(writer)
        if held > summary.peak_held:
            summary.peak_held = held

    try:
        # the articles extracted here before the pool starts are committed first: a run
        # stopped early keeps them
        with Extractor(workers, start_after=pool_after, debug=debug,
                       before_start=writer.flush) as ext:
            try:
                it = iter(items)
                end = object()
                while True:
                    t = clock()
                    item = next(it, end)
                    if item is end:
                        summary.add_time("read", clock() - t)
                        break
                    if on_article:
                        on_article()
                    if on_item:
                        on_item(item)
                    if isinstance(item, SourceError):
                        queue.append((None, item, None))
                        summary.add_time("read", clock() - t)
                    else:
                        chash = item.content_hash
                        if chash in in_flight or chash in writer.pending_hashes:
                            queue.append((None, _Dup(item, chash), chash))
                            summary.add_time("read", clock() - t)
                        elif store.find_article(content_hash=chash) is not None:
                            summary.articles_seen += 1
                            summary.add_time("read", clock() - t)
                        else:
                            summary.add_time("read", clock() - t)
                            in_flight.add(chash)
                            queue.append((ext.submit(item), item, chash))
                    while queue and (queue[0][0] is None or queue[0][0].done()):
                        put(finish(queue.popleft(), ext))
                    while len(queue) >= window:
                        put(finish(queue.popleft(), ext))
                while queue:
                    put(finish(queue.popleft(), ext))
            except Exception:
                # a worker died, or reading failed (--debug): what was extracted before is
                # kept (Ctrl-C is not caught here: it loses the open batch, and fast)
                try:
                    writer.flush()
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    pass
                raise
            summary.pooled = ext.pooled
            summary.add_time("extract", ext.seconds)
        writer.flush()
        _group(store, summary)
    finally:
        store.finish_run(run_id, **summary.to_dict())
    return summary


class TerminalProgress:
    """A transient rich progress display for an ingest on a terminal: it appears only once
    the run has taken ``delay`` seconds (short runs print just their summary line), and
    rich is imported only then."""

    def __init__(self, delay: float = 0.5):
        import time
        self._clock = time.monotonic
        self._start = self._clock()
        self.delay = delay
        self.count = 0
        self._progress = None
        self._task = None

    def __call__(self, item: Item) -> None:
        self.count += 1
        if self._progress is None and self._clock() - self._start < self.delay:
            return
        where = item.source if isinstance(item, SourceError) else (item.url or item.source)
        from claimaudit.report import one_line      # a file name is data, too
        where = _short(one_line(where), 60)
        if self._progress is None:
            self._begin(where)
        else:
            self._progress.update(self._task, completed=self.count, description=where)

    def _begin(self, where: str) -> None:
        from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.completed} read"), BarColumn(),
            TimeElapsedColumn(), TextColumn("{task.description}", markup=False),
            transient=True, redirect_stdout=False,
            # errors print above the bar when they go to the same terminal, else untouched
            redirect_stderr=sys.stderr.isatty())
        self._task = self._progress.add_task(where, total=None, completed=self.count)
        self._progress.start()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

"""Feeds for cron: conditional GET of each feed (ETag / Last-Modified kept in the store),
and no download of an entry whose URL is already stored.

A feed answering 304 costs one request and yields nothing. After a full answer, the
validators are kept only when every new entry was stored; otherwise they are cleared, so
the next run reads the feed again and retries the entries that failed (the stored ones are
still skipped)."""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from claimaudit.errors import FetchError, SourceError
from claimaudit.ingest import (Item, Overrides, feed_entry_items, page_article,
                               parse_feed_response, run_fetcher, unexpected)

__all__ = ["feed_items", "iter_feed_articles"]


def iter_feed_articles(store, feed_urls: Iterable[str], ov: Optional[Overrides] = None, *,
                       fetcher=None, debug: bool = False) -> Iterator[Item]:
    """New articles of every feed, through the run's one ``fetcher`` (made and closed
    here when none is given); a feed that fails yields its error and the others go on."""
    ov = ov or Overrides()
    with run_fetcher(fetcher) as fetcher:
        for url in feed_urls:
            try:
                yield from feed_items(store, fetcher, url, ov, debug=debug)
            except SourceError as e:
                yield e
            except Exception as e:  # noqa: BLE001 - one bad feed must not stop the others
                if debug:
                    raise
                yield unexpected(url, e)


def feed_items(store, fetcher, url: str, ov: Overrides, *, got=None, allow_page: bool = False,
               debug: bool = False) -> Iterator[Item]:
    """The new articles of one feed. ``got``: the feed already fetched (a URL given as a
    source that answered with a feed), else a conditional GET with the stored validators.
    ``allow_page``: an answer that is not a feed is read as an article page (a URL source)
    instead of an error. The feed's state is written once the consumer has stored what
    was yielded (the generator resumes only then)."""
    from claimaudit.sources.feeds import is_feed
    state = store.get_feed_state(url) or {}
    if got is None:
        got = fetcher.get(url, etag=state.get("etag"), last_modified=state.get("last_modified"),
                          accept_feed=True)
    if got.not_modified:
        if not (state.get("etag") or state.get("last_modified")):
            # a 304 to a request without validators: nothing to compare, nothing to read
            raise FetchError(url, "HTTP 304 without a conditional request",
                             "the server answered 'not modified' to a plain request")
        store.set_feed_state(url, etag=state.get("etag"),
                             last_modified=state.get("last_modified"), title=None)
        return
    if not is_feed(got.content_type, got.body):
        if allow_page:
            yield page_article(url, got, ov)
            return
        raise FetchError(url, f"not a feed (content type {got.content_type or 'none'})",
                         "give article URLs without --feed")
    title, entries = parse_feed_response(url, got)
    ok = True
    yielded = []
    for item in feed_entry_items(fetcher, title, entries, ov, store.has_url, debug=debug):
        if isinstance(item, SourceError):
            ok = False
        else:
            yielded.append(item.content_hash)
        yield item
    # an article the consumer could not store counts as a failure too
    ok = ok and all(store.find_article(content_hash=h) is not None for h in yielded)
    store.set_feed_state(url, etag=got.headers.get("etag") if ok else None,
                         last_modified=got.headers.get("last-modified") if ok else None,
                         title=title)

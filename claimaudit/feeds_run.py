"""Feeds for cron: conditional GET of each feed (ETag / Last-Modified kept in the store),
and no download of an entry whose URL is already stored."""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from claimaudit.errors import FetchError, SourceError
from claimaudit.ingest import Item, Overrides, _feed_entries


def iter_feed_articles(store, feed_urls: Iterable[str], ov: Optional[Overrides] = None, *,
                       fetcher=None) -> Iterator[Item]:
    """New articles of every feed; a feed answering 304 costs one request and yields nothing."""
    from claimaudit.sources.feeds import is_feed
    from claimaudit.sources.fetch import Fetcher
    ov = ov or Overrides()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for url in feed_urls:
            state = store.get_feed_state(url) or {}
            try:
                got = fetcher.get(url, etag=state.get("etag"),
                                  last_modified=state.get("last_modified"), accept_feed=True)
            except SourceError as e:
                yield e
                continue
            if got.not_modified:
                continue
            if not is_feed(got.content_type, got.body):
                yield FetchError(url, f"not a feed (content type {got.content_type})",
                                 "give article URLs without --feed")
                continue
            failed = False
            try:
                for item in _feed_entries(fetcher, url, got, ov, store.has_url):
                    failed = failed or isinstance(item, SourceError)
                    yield item
            except SourceError as e:
                yield e
                continue
            if failed:
                continue  # keep no validators, so the next run retries the failed entries
            store.set_feed_state(url, etag=got.headers.get("etag"),
                                 last_modified=got.headers.get("last-modified"), title=None)
    finally:
        if own:
            fetcher.close()

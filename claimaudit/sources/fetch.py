"""Fetching pages and feeds over HTTP(S): one ``httpx`` client, careful limits.

Every failure is a :class:`FetchError` ``(url, reason, hint)`` with a short reason:
``timed out after 20 s``, ``too large (over 10,000,000 bytes)``, ``redirect loop``,
``too many redirects``, ``HTTP 404``, ``not text (content type image/png)``,
``connection refused``, ``host not found``, ``unsupported URL scheme`` ...
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

import httpx

from claimaudit.errors import FetchError

__all__ = ["Fetched", "Fetcher", "USER_AGENT", "is_text_content_type"]


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("claimaudit")
    except Exception:  # pragma: no cover - running from a source tree without metadata
        return "0"


USER_AGENT = f"claimaudit/{_version()} (+https://github.com/claimaudit/claimaudit)"

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
FEED_ACCEPT = ("application/rss+xml,application/atom+xml,application/rdf+xml;q=0.9,"
               "application/xml;q=0.8,text/xml;q=0.8,application/feed+json;q=0.7,*/*;q=0.5")

TEXT_TYPES = frozenset({
    "application/xhtml+xml", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/rdf+xml", "application/json", "application/ld+json", "application/feed+json",
    "application/x-rss+xml", "application/x-atom+xml",
})

REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 503)

# magic numbers of things that are certainly not text, whatever they are labelled
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"), (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"), (b"RIFF", "RIFF media"), (b"\x00\x00\x01\x00", "icon"),
    (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"), (b"wOFF", "web font"), (b"wOF2", "web font"),
)
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass
class Fetched:
    url: str                      # the final URL, after redirects
    status: int
    content_type: str             # the media type alone, lower case ("text/html")
    charset: Optional[str]        # from the Content-Type header, if any
    body: bytes
    headers: dict = field(default_factory=dict)   # lower-case names
    not_modified: bool = False    # a 304 answer to a conditional GET (body is b"")


def is_text_content_type(media_type: str) -> bool:
    media_type = (media_type or "").strip().lower()
    return (media_type.startswith("text/") or media_type in TEXT_TYPES
            or media_type.endswith("+xml") or media_type.endswith("+json"))


def _split_content_type(value: Optional[str]) -> tuple[str, Optional[str]]:
    if not value:
        return "", None
    parts = value.split(";")
    media_type = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media_type, charset


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _binary_kind(body: bytes, charset: Optional[str]) -> Optional[str]:
    """Why ``body`` is certainly not text, or None."""
    head = body[:8192]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        if head.startswith(_UNICODE_BOMS):
            return None
        if charset and charset.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
            return None
        return "binary data"
    return None


def _http_hint(status: int) -> str:
    if status == 404 or status == 410:
        return "the page does not exist (any more); check the URL"
    if status in (401, 403):
        return "the site refuses access; it may need a login or block automated clients"
    if status == 429:
        return "the site is rate-limiting requests; try again later"
    if status >= 500:
        return "the server failed; try again later"
    return "the server refused the request"


_SSL_CONTEXT = None


def _ssl_context():
    """One verifying TLS context for every client (building one costs ~50 ms)."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


class _Retry(Exception):
    def __init__(self, status: int, wait: Optional[float]):
        self.status = status
        self.wait = wait


class Fetcher:
    """A polite HTTP client for pages and feeds (one connection pool, reuse it)."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 10_000_000,
                 max_redirects: int = 10, retries: int = 2, max_retry_wait: float = 10.0,
                 user_agent: str = USER_AGENT):
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.retries = max(0, int(retries))
        self.max_retry_wait = float(max_retry_wait)
        self.user_agent = user_agent
        # the whole body must arrive within this (a server trickling bytes just under the
        # read timeout would otherwise hold us for ever)
        self.total_timeout = self.timeout * 3
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            verify=_ssl_context(),
            headers={"User-Agent": user_agent},
        )

    # -- lifecycle --
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- fetching --
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept_feed: bool = False) -> Fetched:
        """GET ``url`` following redirects; a conditional GET when ``etag`` or
        ``last_modified`` is given (a 304 gives ``Fetched(not_modified=True)``).
        429 and 503 are retried (``retries`` times) after Retry-After or a backoff."""
        _check_url(url, url)
        headers = {"Accept": FEED_ACCEPT if accept_feed else HTML_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._get(url, headers)
            except _Retry as retry:
                reason = f"HTTP {retry.status}"
                if attempt >= self.retries:
                    raise FetchError(url, reason, f"still failing after {attempt + 1} tries; "
                                     + _http_hint(retry.status)) from None
                wait = retry.wait if retry.wait is not None else min(
                    self.max_retry_wait, 1.0 * 2 ** attempt)
                if wait > self.max_retry_wait:
                    raise FetchError(url, reason, f"the server asks to wait {_seconds(round(wait))}"
                                     "; try again later") from None
                time.sleep(wait)
                attempt += 1

    def _get(self, url: str, headers: dict) -> Fetched:
        try:
            return self._follow(url, headers)
        except (FetchError, _Retry):
            raise
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {_seconds(self.timeout)}",
                             "the server is slow or unreachable; try a longer --timeout") from None
        except httpx.ConnectError as exc:
            raise FetchError(url, *_connect_reason(exc)) from None
        except httpx.RemoteProtocolError as exc:
            raise FetchError(url, "the server closed the connection or sent a bad response",
                             _short(exc)) from None
        except httpx.DecodingError as exc:
            raise FetchError(url, "cannot decode the response's compression", _short(exc)) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, "invalid URL", _short(exc)) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"network error ({type(exc).__name__})", _short(exc)) from None
        except (UnicodeError, ValueError) as exc:    # e.g. an unencodable host name
            raise FetchError(url, "invalid URL", _short(exc)) from None

    def _follow(self, url: str, headers: dict) -> Fetched:
        seen = {url}
        current = url
        for _hop in range(self.max_redirects + 1):
            with self._client.stream("GET", current, headers=headers) as resp:
                status = resp.status_code
                location = resp.headers.get("location")
                if status in REDIRECTS and location:
                    target = str(resp.url.join(location.strip()))
                    _check_url(url, target, "redirected to an unsupported URL scheme")
                    if target in seen:
                        raise FetchError(url, "redirect loop", f"{current} -> {target}")
                    seen.add(target)
                    current = target
                    continue
                return self._read(url, resp)
        raise FetchError(url, "too many redirects",
                         f"more than {self.max_redirects}; the site may be misconfigured")

    def _read(self, url: str, resp: httpx.Response) -> Fetched:
        status = resp.status_code
        final = str(resp.url)
        media_type, charset = _split_content_type(resp.headers.get("content-type"))
        headers = {k.lower(): v for k, v in resp.headers.items()}
        if status == 304:
            return Fetched(final, status, media_type, charset, b"", headers, not_modified=True)
        if status in RETRY_STATUSES:
            raise _Retry(status, _retry_after(resp.headers.get("retry-after")))
        if status >= 400:
            raise FetchError(url, f"HTTP {status}", _http_hint(status))
        if not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status}", "an answer that is not a page")
        if media_type and not is_text_content_type(media_type):
            raise FetchError(url, f"not text (content type {media_type})",
                             "only web pages and feeds can be read")
        length = resp.headers.get("content-length")
        if length and length.strip().isdigit() and int(length) > self.max_bytes:
            raise FetchError(url, f"too large (over {self.max_bytes:,} bytes)",
                             f"it says {int(length):,} bytes")
        deadline = time.monotonic() + self.total_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"too large (over {self.max_bytes:,} bytes)",
                                 "stopped reading at the limit")
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(url, f"timed out after {_seconds(self.total_timeout)}",
                                 "the body arrived too slowly; try a longer --timeout")
        body = b"".join(chunks)
        kind = _binary_kind(body, charset)
        if kind:
            label = media_type or "no content type"
            raise FetchError(url, f"not text ({kind}, labelled {label})",
                             "only web pages and feeds can be read")
        return Fetched(final, status, media_type, charset, body, headers, not_modified=False)


def _check_url(source: str, url: str, reason: str = "unsupported URL scheme") -> None:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise FetchError(source, reason, "only http:// and https:// URLs can be fetched")
    try:
        host = httpx.URL(url).host
    except Exception:
        raise FetchError(source, "invalid URL", url) from None
    if not host:
        raise FetchError(source, "invalid URL", "no host name")


def _short(exc: BaseException) -> Optional[str]:
    text = " ".join(str(exc).split())
    return text[:200] or None


def _connect_reason(exc: BaseException) -> tuple[str, Optional[str]]:
    text = str(exc)
    low = text.lower()
    if "refused" in low:
        return "connection refused", "nothing is listening there; check the URL"
    if any(s in low for s in ("name or service not known", "nodename nor servname",
                              "getaddrinfo", "no address associated", "name resolution",
                              "no such host", "not known")):
        return "host not found", "check the host name"
    if "certificate" in low or "ssl" in low or "tls" in low:
        return "TLS error", _short(exc)
    if "unreachable" in low:
        return "network unreachable", _short(exc)
    return "cannot connect", _short(exc)

"""The errors claimaudit raises, one small named tree (after httpx's _exceptions.py)::

    ClaimAuditError
    ├── SourceError            an input could not be read; carries ``source``
    │   ├── DecodeError        bytes that are not text, or an empty input
    │   ├── FormatError        a JSON Lines line, a feed or a page that cannot be parsed
    │   └── FetchError         a URL that could not be fetched (timeout, too large, HTTP status)
    └── StoreError             the SQLite store cannot be opened, migrated or written
        └── SchemaTooNewError  the store was made by a newer claimaudit

The CLI turns each into one line, ``claimaudit: SOURCE: what is wrong (what to do)``.
"""

from __future__ import annotations


class ClaimAuditError(Exception):
    """Base class of everything claimaudit raises on purpose."""


class SourceError(ClaimAuditError):
    def __init__(self, source: str, message: str, hint: str | None = None):
        self.source = source
        self.message = message
        self.hint = hint
        super().__init__(f"{source}: {message}" + (f" ({hint})" if hint else ""))


class DecodeError(SourceError):
    pass


class FormatError(SourceError):
    pass


class FetchError(SourceError):
    pass


class StoreError(ClaimAuditError):
    pass


class SchemaTooNewError(StoreError):
    pass

"""Exceptions raised by feed ingestion.

The tree, httpx-style (catch a branch to handle a whole family)::

    IngestError
    ├── FetchError                  -- anything that stops us getting a feed's bytes
    │   ├── UnsafeURLError          -- refused before any packet leaves the machine
    │   │   ├── UnsupportedURLError      (not http/https, no host, or unparseable)
    │   │   └── BlockedAddressError      (resolves to loopback/private/link-local/... address)
    │   ├── TooManyRedirectsError
    │   ├── ResponseTooLargeError   -- decoded body exceeded the cap (gzip bombs included)
    │   ├── FetchTimeoutError       -- whole-fetch deadline, not just one socket read
    │   └── BadEncodingError        -- Content-Encoding we did not ask for, or corrupt data
    ├── FeedParseError              -- bytes arrived but are not a feed we can read
    │   ├── NotAFeedError           -- a web page where a feed's address belongs
    │   └── UnreadableCharsetError  -- in a character set no codec here reads (ISO-2022-CN)
    └── OpmlError                   -- an OPML document we cannot read

`FeedFetcher.fetch` never raises these for network trouble: it folds them into
`FetchResult.error` so a poller can record the reason and move on. They surface as exceptions
from the lower-level helpers (`netguard.check_url`, `parser.parse_feed`, `opml.parse_opml`).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sys


class IngestError(Exception):
    """Base class for everything the ingest package raises on purpose."""


class FetchError(IngestError):
    """The feed's bytes could not be obtained."""


class UnsafeURLError(FetchError):
    """The URL was refused before connecting."""


class UnsupportedURLError(UnsafeURLError):
    """Only well-formed http and https URLs with a host are fetched."""


class BlockedAddressError(UnsafeURLError):
    """The host is, or resolves to, an address feeds must not reach (SSRF guard).

    Beside the message, what a poll needs to say it as a feed's lasting state: the `address`,
    its `kind` ("private", "link-local"), whether `polling.allow_private_networks` would allow it
    (`settable`) and the `host` name it was resolved from (None for an address as written)."""

    def __init__(
        self,
        message: str,
        *,
        address: str | None = None,
        kind: str | None = None,
        settable: bool = False,
        host: str | None = None,
    ) -> None:
        super().__init__(message)
        self.address = address
        self.kind = kind
        self.settable = settable
        self.host = host


class TooManyRedirectsError(FetchError):
    pass


class ResponseTooLargeError(FetchError):
    pass


class FetchTimeoutError(FetchError):
    pass


class BadEncodingError(FetchError):
    pass


class FeedParseError(IngestError):
    """The body is not a readable RSS/Atom/JSON feed; the message says why."""


class NotAFeedError(FeedParseError):
    """The body is a web page, not a feed; the message says which feed it names, if any."""


class UnreadableCharsetError(FeedParseError):
    """The document is in a character set no codec here reads as labelled (ISO-2022-CN named
    only by the HTTP header: Python has no codec for it, and libxml2 reads only a declared
    one); the message names it, what said so and what the publisher can do."""


class OpmlError(IngestError):
    pass


def network_error(exc: BaseException) -> str:
    """A feed's error for an HTTP client's failure to reach it, as the socket said it: httpx
    says a refused connection as "ConnectError: All connection attempts failed", which reads as
    a library's trouble; the OS error under it ("connection refused") is what happened. Another
    failure keeps its type's name, and a word when it has no message."""
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:  # a chain is short; a cycle must not hang a poll
        # Only the socket's own verdicts: a DNS failure (a gaierror, its errno negative) is
        # already said whole by the guard ("cannot resolve news.example: ...").
        if isinstance(cause, OSError) and cause.errno in _SOCKET_VERDICTS:
            said = os.strerror(cause.errno).lower()  # not .strerror: asyncio puts the call there
            if cause.errno == errno.ECONNREFUSED:
                said += " (no server is listening at that address and port)"
            return said
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return f"{type(exc).__name__}: {str(exc) or 'network error'}"


_SOCKET_VERDICTS = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ENETUNREACH, errno.EHOSTUNREACH}
)


# How a poll's error says that our own code failed (a bug, or a module missing from the install
# after an upgrade), not the feed: such a poll does not count towards disabling the feed, and
# /healthz lists the feeds whose last poll ended so (`is_internal_error`).
INTERNAL_ERROR = "internal error"


def internal_error(exc: BaseException, doing: str = "") -> str:
    """The feed's `last_error` for a poll our own code failed `doing` something ("storing
    entries"): "internal error storing entries: KeyError: 'x'"."""
    what = f"{INTERNAL_ERROR} {doing}" if doing else INTERNAL_ERROR
    said = f"{type(exc).__name__}: {exc}"
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        # "unhandled errors in a TaskGroup (1 sub-exception)" alone says nothing of the cause.
        exc = exc.exceptions[0]
        said += f": {type(exc).__name__}: {exc}"
    return f"{what}: {said}"[:300]


# The bugs whose traceback this process has logged, by exception type and the path that raised
# it (`_raised_at`). Per process, not per feed's stored error: after a restart (a redeployed
# container's log is gone) the traceback /healthz points to is logged again, once; and a message
# that varies (an address, a count) is still the same bug, logged with its traceback once.
_logged: set[tuple[str, tuple[tuple[str, int], ...]]] = set()


def _raised_at(exc: BaseException) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The exception's type and every frame's file and line from the handler to the raise; for
    an exception group, its first sub-exception's, the one `internal_error` names. The whole
    path, not the innermost frame: two bugs of ours failing inside one library line (a bad date
    given to `strptime` from two places) are two bugs, each with its traceback. Code sites are
    few, so the set stays small whatever the messages say."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    frames: list[tuple[str, int]] = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    return type(exc).__qualname__, tuple(frames)


def log_internal(logger: logging.Logger, error: str, message: str, *args: object) -> None:
    """Log `message` (called in the `except` block) for a poll our own code failed with `error`:
    with the traceback the first time this process meets that bug, else on one line. Each poll
    of every feed stuck on one bug repeated the same traceback in the log."""
    exc = sys.exc_info()[1]
    key = _raised_at(exc) if exc is not None else None
    if key is not None and key in _logged:
        logger.error(
            f"{message}: %s (again; its traceback was logged before)", *args, error, stacklevel=2
        )
        return
    if key is not None:
        _logged.add(key)
    logger.exception(message, *args, stacklevel=2)


def forget_logged_tracebacks() -> None:
    """As in a new process: each bug's traceback is logged again once (for tests)."""
    _logged.clear()


def is_internal_error(error: str | None) -> bool:
    """Whether a feed's `last_error` says our own code failed its last poll."""
    return (error or "").startswith(INTERNAL_ERROR)


# How a disabled reason for a feed that failed for `polling.disable_after` begins
# (`bot.ingest.policy.record_failure`). Here, not in the policy, for `feeds list` and `/healthz`
# to read without loading the fetcher.
FAILING = "failing since "
# How older versions worded a disable by the count: retried daily as well once upgraded, since
# most were a short outage counted too fast.
_OLD_FAILING = re.compile(r"disabled after \d+ consecutive failures; last error: ")


def retried_daily(reason: str | None) -> bool:
    """Whether a feed disabled with `reason` was disabled for its failures, and so is still
    tried once a day and enabled again by a poll that works."""
    return reason is not None and (reason.startswith(FAILING) or bool(_OLD_FAILING.match(reason)))

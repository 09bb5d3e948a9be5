"""Checking a feed URL that a person typed, before it is stored, and its one spelling.

This is the cheap, synchronous check (scheme, host, no credentials). The address guard in
`bot.ingest.netguard` runs again on every fetch and every redirect hop, since DNS can change.
`normalize_feed_url` is the form a feed is stored and compared in, so
`HTTPS://News.Example:443/rss#top` is recognised as the feed `https://news.example/rss`.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Dot-separated labels of letters (any script: IDNs), digits, '-' and '_', or an IPv6 literal.
_HOST_RE = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)*\.?|[0-9a-f:.]+)$", re.IGNORECASE)


class FeedUrlError(ValueError):
    pass


def check_feed_url(url: str) -> str:
    """`url` tidied (spaces, <angle brackets>), or FeedUrlError saying what is wrong with it."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
        # .port parses lazily; reading it here turns "host:99999" into this error, not a crash
        # at the first fetch.
        parts.port  # noqa: B018
    except ValueError as exc:
        # urlsplit's own ValueError ("Invalid IPv6 URL") is not a FeedUrlError, so callers that
        # report bad input (OPML import, /feeds add) would take it for a bug of ours.
        raise FeedUrlError(f"not a valid URL ({exc}): {url!r}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FeedUrlError(f"only http:// and https:// feed URLs are allowed, got {url!r}")
    if not parts.hostname:
        raise FeedUrlError(f"the URL has no host: {url!r}")
    if not _HOST_RE.match(parts.hostname):
        raise FeedUrlError(f"{parts.hostname!r} is not a valid host name")
    if parts.username or parts.password:
        raise FeedUrlError("feed URLs with a user name or password are not allowed")
    if any(ch.isspace() for ch in url):
        raise FeedUrlError(f"the URL contains spaces: {url!r}")
    return normalize_feed_url(url)


def normalize_feed_url(url: str) -> str:
    """`url` in the one spelling feeds are stored and compared in: scheme and host in lower case,
    no default port (:80 for http, :443 for https), no #fragment (never sent to the server), and
    `/` for an empty path. The path and query are kept as written: servers may tell case apart
    there. A URL that does not parse is returned as it is (check_feed_url refuses those)."""
    found = http_parts(url)
    if found is None or found[0].username or found[0].password:
        return url
    parts, scheme, netloc = found
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def http_parts(url: str) -> tuple[SplitResult, str, str] | None:
    """An http(s) URL split, with its scheme and its host[:port] in one spelling (lower case, no
    default port, brackets round an IPv6 literal, no user info); None for another scheme, no
    host, or a URL that does not parse. Shared by feed URLs and articles' canonical URLs."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    # Without the brackets of an IPv6 literal; lower-cased by urlsplit only up to a "%".
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return parts, scheme, netloc

"""Checking a feed URL that a person typed, before it is stored.

This is the cheap, synchronous check (scheme, host, no credentials). The address guard in
`bot.ingest.netguard` runs again on every fetch and every redirect hop, since DNS can change.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class FeedUrlError(ValueError):
    pass


def check_feed_url(url: str) -> str:
    url = url.strip().strip("<>")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FeedUrlError(f"only http:// and https:// feed URLs are allowed, got {url!r}")
    if not parts.hostname:
        raise FeedUrlError(f"the URL has no host: {url!r}")
    if parts.username or parts.password:
        raise FeedUrlError("feed URLs with a user name or password are not allowed")
    if any(ch.isspace() for ch in url):
        raise FeedUrlError(f"the URL contains spaces: {url!r}")
    return url

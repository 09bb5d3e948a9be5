"""An address the network guard refused on the way to a feed, said as the feed's state.

The fetcher folds a `BlockedAddressError` into a `Refusal` (`refusal_of`); `bot.ingest.policy`
decides from it whether the feed is disabled at once (an address written in the URL, or a
redirect's) or retried with backoff (an address a DNS answer gave, which can change).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.ingest.addresses import is_local_name
from bot.ingest.errors import BlockedAddressError

__all__ = ["Refusal", "refusal_of", "refusal_phrase"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """An address the network guard refused on the way to a feed."""

    what: str  # "feeds.example resolves to private address 10.0.0.5" (`refusal_phrase`)
    settable: bool  # polling.allow_private_networks would allow it
    # The address came from a DNS answer, not from the URL (nor "localhost"): a VPN, a DNS
    # blocker or a fake-IP proxy may give it for a while, so the poller retries with backoff.
    dns: bool = False
    kind: str | None = None  # the guard's class of the address: "private", "unspecified", ...


def refusal_of(exc: BlockedAddressError, url: str, final_url: str | None) -> Refusal:
    """The refusal `exc` fetching `url` (whose last hop was `final_url`) stands for."""
    return Refusal(
        refusal_phrase(exc, url, final_url),
        exc.settable,
        dns=exc.host is not None and not is_local_name(exc.host),
        kind=exc.kind,
    )


def refusal_phrase(exc: BlockedAddressError, url: str, final_url: str | None) -> str:
    """What the guard refused, said as a feed's state: "feeds.example resolves to private
    address 10.0.0.5", or "private address 10.0.0.5" for an address as written; with the hop
    when a redirect led there. The hint of the guard's message (the setting) is the caller's."""
    if exc.address is None or exc.kind is None:
        what = str(exc)  # not an address (a unix socket): the message is all there is
    elif exc.host is not None:
        what = f"{exc.host} resolves to {exc.kind} address {exc.address}"
    else:
        what = f"{exc.kind} address {exc.address}"
    if final_url is not None and final_url != url and final_url != _spelt(url):
        what = f"redirected to {final_url}: {what}"
    return what


def _spelt(url: str) -> str:
    """`url` as httpx spells it (what `FetchResult.final_url` holds for the first hop)."""
    try:
        return str(httpx.URL(url))
    except (httpx.InvalidURL, UnicodeError):
        return url

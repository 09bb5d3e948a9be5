"""Feed ingestion: fetch politely and safely, parse, normalise. Pure of storage.

Modules: `netguard` (no internal addresses, on every redirect hop; `addresses`: which are
internal), `fetcher` (conditional GET, size cap, per-site limits), `transport` (httpx's, its pool dialling through the guard), `bodies`
(Content-Encoding undone within the cap), `policy` (a fetch outcome -> the feed's next state),
`decoding` (charset repairs before parsing; `wide_encodings`: UTF-16/32 as UTF-8), `controls`
(the control characters XML forbids, dropped), `entities` (HTML entities and stray ampersands
XML refuses, repaired; both, in a document left in ISO-2022, in its ASCII text: `iso_2022`),
`attributes` (an element crowded with attributes, refused before any parser), `parser`
(bytes -> `ParsedFeed`, which `parsed_feed` builds of what the parser library read), `entry_cap` (a big document cut to the entries read before it is
parsed, with `entry_when` and `entry_dates` dating them as the parser does), `entries` (each entry of it, `ParsedEntry`), with `entry_fields`,
`entry_links`, `titles`, `intervals` and `jsonfeed` for what the parsers miss, `shape` (a web
page where a feed belongs, and the feed it names; a feed cut off before its end), `normalize`
(URLs, HTML -> text, dates, length caps), `chat_markup` (chat mentions and `**`/`||` markers
a feed's text carries, taken out), `opml` (import and export) and `errors`.

The poller (`bot.pipeline.poll`) drives it::

    async with FeedFetcher() as fetcher:
        result = await fetcher.fetch(state.url, etag=state.etag, last_modified=state.last_modified)
    outcome = apply_fetch_result(state, result, now)
    if outcome.has_new_body:
        feed = parse_feed(result.body, url=outcome.url)   # may raise FeedParseError
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.ingest.errors import (
        BlockedAddressError,
        FeedParseError,
        FetchError,
        IngestError,
        OpmlError,
        UnsafeURLError,
    )
    from bot.ingest.fetcher import FeedFetcher, FetchResult
    from bot.ingest.normalize import canonical_url, html_to_text, to_utc
    from bot.ingest.opml import OpmlFeed, export_opml, parse_opml
    from bot.ingest.parsed_feed import ParsedFeed
    from bot.ingest.parser import ParsedEntry, parse_feed
    from bot.ingest.policy import FeedPollState, PollOutcome, apply_fetch_result, record_failure

# The names above, each from its module, imported on first use: importing one light module of
# the package (`netguard`, `opml`) used to load the fetcher (httpx) and both feed parsers with
# it, a fifth of a second of every `newsdigest` command's start-up.
_EXPORTS = {
    "errors": (
        "BlockedAddressError",
        "FeedParseError",
        "FetchError",
        "IngestError",
        "OpmlError",
        "UnsafeURLError",
    ),
    "fetcher": ("FeedFetcher", "FetchResult"),
    "normalize": ("canonical_url", "html_to_text", "to_utc"),
    "opml": ("OpmlFeed", "export_opml", "parse_opml"),
    "parsed_feed": ("ParsedFeed",),
    "parser": ("ParsedEntry", "parse_feed"),
    "policy": ("FeedPollState", "PollOutcome", "apply_fetch_result", "record_failure"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        # `bot.ingest.parser` as an attribute, as when the package imported its modules itself.
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # the module exists but something it imports does not
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BlockedAddressError",
    "FeedFetcher",
    "FeedParseError",
    "FeedPollState",
    "FetchError",
    "FetchResult",
    "IngestError",
    "OpmlError",
    "OpmlFeed",
    "ParsedEntry",
    "ParsedFeed",
    "PollOutcome",
    "UnsafeURLError",
    "apply_fetch_result",
    "canonical_url",
    "export_opml",
    "html_to_text",
    "parse_feed",
    "parse_opml",
    "record_failure",
    "to_utc",
]

"""Feed bytes to `ParsedFeed`: RSS 0.9x/1.0/2.0, Atom and JSON Feed.

fastfeedparser is the fast path (about 100x feedparser on real feeds); feedparser is the
fallback for what it rejects, up to `MAX_FALLBACK_BYTES`: a bigger document it rejects fails.
Both only ever see bytes: given a string, either library may treat it as a URL or a file path
and open it, which would bypass the fetcher's network guard.

Character encoding, first match wins: a byte-order mark; the XML declaration's encoding; the HTTP
Content-Type charset; UTF-8. The document's own word goes first because servers often send a
stock charset for every file. (feedparser alone would let the HTTP charset win, per RFC 3023.)
JSON Feed is UTF-8 by definition, so there the HTTP charset only decides bytes that are not UTF-8.
The bytes then have the last word (`bot.ingest.decoding.to_utf8`): those that are not UTF-8 where
UTF-8 is declared or assumed are windows-1252, and valid UTF-8 under a single-byte label is UTF-8.
UTF-16 and UTF-32 are read as UTF-8 too (`bot.ingest.wide_encodings`), their declaration relabelled.

The C0 control characters XML forbids are then dropped (`drop_controls`): after one, libxml2's
recovery turned an entry's markup into words. XML documents have the ampersands XML refuses
repaired (`bot.ingest.entities`): libxml2's recovery drops text at them without an error, so no
fallback would ever be tried. Before either parser, a document with an element carrying more
attributes than any feed needs is refused (`bot.ingest.attributes`): both parsers are quadratic
in them, and fastfeedparser holds the GIL while it works.

What either library read becomes a `ParsedFeed` in `bot.ingest.parsed_feed` (`build_feed`).
"""

from __future__ import annotations

import io
import logging
from collections import Counter

import fastfeedparser
import feedparser

from bot.ingest.attributes import crowded_element
from bot.ingest.controls import codes_in_names, drop_controls
from bot.ingest.decoding import left_in_iso_2022, to_utf8, unreadable_charset
from bot.ingest.entities import repair_entities
from bot.ingest.entries import DIGEST_GUID, ParsedEntry
from bot.ingest.entry_cap import (
    EntryCut,
    Sharers,
    cut_sharers,
    keep_newest_entries,
    trim_uncut,
)
from bot.ingest.errors import FeedParseError, NotAFeedError, UnreadableCharsetError
from bot.ingest.intervals import SY_IGNORED_UP_TO_MINUTES
from bot.ingest.iso_2022 import ascii_view
from bot.ingest.jsonfeed import is_json, json_feed_body, link_external_urls, without_bom
from bot.ingest.parsed_feed import ParsedFeed, build_feed
from bot.ingest.shape import cut_entry_starts, missing_end, web_page_problem

log = logging.getLogger(__name__)

__all__ = [
    "SY_IGNORED_UP_TO_MINUTES",
    "FeedParseError",
    "ParsedEntry",
    "ParsedFeed",
    "parse_feed",
]

# Entries read from one document, the newest by date (undated ones after, in document order).
# The fetch's size cap bounds the bytes, not the items: 10 MB of tiny items is 100,000 entries.
# Five times what one poll stores (polling.max_new_entries); what is past it is old backlog of an
# archive-sized feed, cut out of the document before it is parsed (`entry_cap`), so it costs an
# expat read, not a parse.
MAX_FEED_ENTRIES = 1_000

# The largest document fastfeedparser refuses that feedparser is asked to read. feedparser is
# pure Python, 1 to 3 s of CPU a megabyte of element-dense markup (27 s for 10 MB of xhtml
# content), taking the GIL from the loop meanwhile; real feeds are under it (the 200 of
# bench/parse_speed.py: 81 KB median, 2.5 MB the largest, and none needs the fallback).
MAX_FALLBACK_BYTES = 2_000_000


def parse_feed(
    body: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    polled_url: str | None = None,
) -> ParsedFeed:
    """Parse a feed document. `url` (where it was fetched from) resolves relative links;
    `content_type` (the HTTP header) gives the charset of a document that does not name its own;
    a web page never names `polled_url` (asked for, then redirected to `url`) as the feed.

    Raises `FeedParseError` with the reason when neither parser finds a feed in `body`, and
    `UnreadableCharsetError` for one in a character set no codec here reads as labelled
    (ISO-2022-CN named only by the HTTP header).
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("parse_feed takes the feed's bytes, never a URL or path")
    body = bytes(body)
    if not body.strip():
        raise FeedParseError("empty document")
    if unreadable := unreadable_charset(body, content_type):
        raise UnreadableCharsetError(unreadable)
    # Controls dropped once the bytes are UTF-8 (or another ASCII-compatible encoding), before
    # anything reads the document: every offset taken later is into these same bytes.
    as_read = to_utf8(without_bom(body), content_type)
    body = drop_controls(as_read)
    parsed = _parse(body, url, polled_url)
    if body == as_read:
        return parsed
    parsed.codes_in_names = codes_in_names(as_read)
    if parsed.codes_in_names or any(e.guid.startswith(DIGEST_GUID) for e in parsed.entries):
        # Left for later: it parses the document again, and only an entry not found under its
        # GUID of now needs it, not every poll of a feed with a control character in it.
        entries = parsed.entries
        parsed.pending_old_guids = lambda: _add_old_guids(entries, as_read, url, polled_url)
    return parsed


def add_old_guids(parsed: ParsedFeed) -> None:
    """Give `parsed`'s entries their old GUIDs (`ParsedEntry.old_guid`), when its document has
    control characters that changed them once; `parse_feed` leaves that for this call, since it
    parses the document a second time."""
    pending, parsed.pending_old_guids = parsed.pending_old_guids, None
    if pending is not None:
        pending()


def _add_old_guids(
    entries: list[ParsedEntry], as_read: bytes, url: str | None, polled_url: str | None
) -> None:
    """Give each entry the GUID it had when the document was parsed with its control characters
    in it (`ParsedEntry.old_guid`), when that differs. Before they were dropped, one control
    character garbled the text of the entries after it, and the digest of an entry with no id
    and no link of its own is of its text; and a terminal code in a GUID or link kept all but
    its ESC ("notice-[31m42", now "notice-42"). Without the old GUID, such an entry stored by
    an older version would come back as a new article. Paired by position, and only when both
    parses read the same entries, with the same dates, and GUIDs of one kind (both digests or
    neither)."""
    try:
        old = _parse(as_read, url, polled_url, quiet=True).entries
    except Exception:
        return  # nothing was stored from a document the old parse could not read
    if len(old) != len(entries):
        return
    # Templated undated items garbled into text that agrees in all the digest reads had one old
    # GUID: it names no one of them, and taken by each it would swap the stored article between
    # them every poll (or let a new one take it over, never posted).
    shared = Counter(was.guid for was in old)
    for entry, was in zip(entries, old, strict=True):
        if (
            entry.guid.startswith(DIGEST_GUID) == was.guid.startswith(DIGEST_GUID)
            and was.guid != entry.guid
            and was.published == entry.published
            and shared[was.guid] == 1
        ):
            entry.old_guid = was.guid


def _parse(
    body: bytes, url: str | None, polled_url: str | None, *, quiet: bool = False
) -> ParsedFeed:
    """`parse_feed` of a document whose bytes `to_utf8` has settled. `quiet`: an entry that
    cannot be read, or the fallback parser's reading, is not logged (a second parse of a document
    `parse_feed` logged it for)."""
    json_body = is_json(body)
    if not json_body and (crowded := crowded_element(body)):
        # Before any parser: each is quadratic in one element's attributes (`attributes`).
        raise FeedParseError(str(crowded))
    # Entries past the newest MAX_FEED_ENTRIES are cut out before any parser reads them
    # (`entry_cap`); a document still in ISO-2022, where "<" may be half a character, is not cut.
    unread = 0
    cut: EntryCut | None = None
    if json_body:
        cut = json_feed_body(body, MAX_FEED_ENTRIES)
        body, unread = cut.body, cut.unread
    elif left_in_iso_2022(body):
        # There an "&" may be half of a character: only those in its ASCII text are repaired.
        body = repair_entities(body, view=ascii_view(body))
        reason = "left in ISO-2022, where a '<' may be half of a character"
        if cut := trim_uncut(body, MAX_FEED_ENTRIES, reason, view=ascii_view(body)):
            body, unread = cut.body, cut.unread
    else:
        # Repaired first: expat, which the cut reads with, refuses an HTML entity.
        body = repair_entities(body)
        if cut := keep_newest_entries(body, MAX_FEED_ENTRIES):
            body, unread = cut.body, cut.unread
            # Checked again, though the cut joins no markup: the guard is what parsers see.
            if crowded := crowded_element(body):
                raise FeedParseError(str(crowded))
    end = None if json_body else missing_end(body)
    # A cut-off feed that stops inside an entry: that entry is left out (`build_feed`).
    cut_starts = cut_entry_starts(body) if end else None
    fast_error: str | None = None
    try:
        raw = fastfeedparser.parse(
            body, include_tags=False, include_media=False, include_enclosures=False
        )
    except Exception as exc:  # the library raises bare ValueError and friends on bad input
        fast_error = f"{type(exc).__name__}: {exc}"
    else:
        feed = raw.get("feed") or {}
        entries = raw.get("entries") or []
        if entries or feed.get("title"):
            if json_body:
                link_external_urls(body, entries)
            also = _sharers(cut, json_body)
            parsed = build_feed(
                feed,
                entries,
                body,
                url,
                "fastfeedparser",
                limit=MAX_FEED_ENTRIES,
                cut_starts=cut_starts,
                quiet=quiet,
                also=also,
            )
        else:
            fast_error = "no feed title and no entries"
    if fast_error is not None:
        also = _sharers(cut, json_body)
        parsed = _parse_slow(body, url, fast_error, polled_url, cut_starts, quiet, also)
        if not quiet:
            # A feed read this way every poll costs far more CPU than its size suggests.
            log.debug(
                "feed %s read by feedparser, the slower fallback (fastfeedparser: %s)",
                url or polled_url or "(no address)",
                fast_error,
            )
    parsed.missing_end = end
    parsed.unread_entries += unread
    return parsed


def _sharers(cut: EntryCut | None, json_body: bool) -> Sharers:
    # A JSON Feed item's external_url is its link, as for the kept ones.
    also = cut_sharers(cut)
    if json_body and cut is not None and cut.sharing is not None:
        link_external_urls(cut.sharing, list(also[0]))
    return also


def _parse_slow(
    body: bytes,
    url: str | None,
    fast_error: str,
    polled: str | None,
    cut_starts: int | None,
    quiet: bool = False,
    also: Sharers = ((), frozenset()),
) -> ParsedFeed:
    if len(body) > MAX_FALLBACK_BYTES:
        # Before any parse: a web page is still named as one, the parse of a page is cheap.
        if page := web_page_problem(body, url, polled):
            raise NotAFeedError(page)
        raise FeedParseError(
            f"unreadable feed ({fast_error}), and at {len(body) / 1e6:.1f} MB too big for the "
            f"fallback parser, which reads up to {MAX_FALLBACK_BYTES / 1e6:.0f} MB"
        )
    try:
        # A file object, never the bytes themselves: feedparser tries open() on a bytes or str
        # argument first, so a body that reads like a path would make it parse a local file.
        # sanitize/resolve off: we strip HTML ourselves and resolve against the fetch URL.
        raw = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:
        raise FeedParseError(f"unreadable feed ({fast_error}; feedparser: {exc})") from exc
    feed = raw.get("feed") or {}
    entries = raw.get("entries") or []
    if not raw.get("version") and not entries:
        if page := web_page_problem(body, url, polled):
            raise NotAFeedError(page)
        reason = raw.get("bozo_exception") or "not RSS, Atom or JSON Feed"
        raise FeedParseError(f"not a feed: {reason} (fastfeedparser: {fast_error})")
    return build_feed(
        feed,
        entries,
        body,
        url,
        "feedparser",
        limit=MAX_FEED_ENTRIES,
        cut_starts=cut_starts,
        quiet=quiet,
        also=also,
    )

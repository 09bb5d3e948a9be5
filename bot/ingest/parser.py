"""Feed bytes to `ParsedFeed`: RSS 0.9x/1.0/2.0, Atom and JSON Feed.

fastfeedparser is the fast path (about 100x feedparser on real feeds); feedparser is the
fallback for what it rejects. Both only ever see bytes: given a string, either library may treat
it as a URL or a file path and open it, which would bypass the fetcher's network guard.

Character encoding, first match wins: a byte-order mark; the XML declaration's encoding; the HTTP
Content-Type charset; UTF-8. The document's own word goes first because servers often send a
stock charset for every file. (feedparser alone would let the HTTP charset win, per RFC 3023.)
JSON Feed is UTF-8 by definition, so there the HTTP charset only decides bytes that are not UTF-8.
The bytes then have the last word (`bot.ingest.decoding.to_utf8`): those that are not UTF-8 where
UTF-8 is declared or assumed are windows-1252, and valid UTF-8 under a single-byte label is UTF-8.

XML documents then have the ampersands XML refuses repaired (`bot.ingest.decoding`): libxml2's
recovery drops text at them without an error, so no fallback would ever be tried.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import fastfeedparser
import feedparser

from bot.ingest.decoding import repair_entities, to_utf8
from bot.ingest.entry_fields import fill_from_document
from bot.ingest.entry_links import absolute_link, entry_base, is_home_id, with_fragment
from bot.ingest.errors import FeedParseError, NotAFeedError
from bot.ingest.intervals import SY_IGNORED_UP_TO_MINUTES, asked_ttl, asked_update_minutes
from bot.ingest.jsonfeed import is_json, link_external_urls, without_bom
from bot.ingest.normalize import (
    canonical_url,
    cap_title,
    html_to_text,
    is_homepage,
    parse_date,
    strip_boilerplate,
    title_to_text,
)
from bot.ingest.shape import cut_entry_starts, missing_end, web_page_problem
from bot.ingest.titles import text_title_flags, xhtml_titles

log = logging.getLogger(__name__)

__all__ = [
    "SY_IGNORED_UP_TO_MINUTES",
    "FeedParseError",
    "ParsedEntry",
    "ParsedFeed",
    "parse_feed",
]

_TITLE_FALLBACK_WORDS = 12
# A summary whose text is this many times longer than the content's is the entry's real body:
# the content is a stub ("Short.") or only markup around a picture.
_SUMMARY_WINS_AT = 2
# Entries read from one document, the newest by date (undated ones after, in document order).
# The fetch's size cap bounds the bytes, not the items: 10 MB of tiny items is 100,000 entries,
# each costing an HTML pass. Five times what one poll stores (polling.max_new_entries); what is
# past it is old backlog of an archive-sized feed, not read at all.
MAX_FEED_ENTRIES = 1_000


@dataclass(slots=True)
class ParsedEntry:
    guid: str
    url: str | None
    title: str
    text: str
    published: datetime | None
    author: str | None


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    ttl_minutes: int | None = None
    # sy:updatePeriod / sy:updateFrequency as minutes between updates (period / frequency).
    update_minutes: int | None = None
    # Which library produced it ("fastfeedparser" or "feedparser"); handy in benches and logs.
    parser: str = "fastfeedparser"
    # Entries of the document left unread past MAX_FEED_ENTRIES.
    unread_entries: int = 0
    # The root's closing tag ("</rss>") when the document stops before it: kept, but said.
    missing_end: str | None = None
    # Other names the feed gives its publisher (its description, its managing editor's name),
    # for a feed whose title names no one: ABC Australia's "Top Stories" is edited by
    # "... (ABC News)", Boston.com's "World News: Breaking news, ..." is described "Boston.com".
    other_names: tuple[str, ...] = ()

    @property
    def asked_minutes(self) -> int | None:
        """The shortest poll interval the publisher asks for, in minutes: the longer of <ttl>
        and the sy: update period, since each says that polling sooner finds nothing new. A sy:
        period of an hour or less is taken for boilerplate (`SY_IGNORED_UP_TO_MINUTES`); <ttl>
        is always a deliberate setting."""
        sy = self.update_minutes
        if sy is not None and sy <= SY_IGNORED_UP_TO_MINUTES:
            sy = None
        asked = [m for m in (self.ttl_minutes, sy) if m]
        return max(asked) if asked else None


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

    Raises `FeedParseError` with the reason when neither parser finds a feed in `body`.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("parse_feed takes the feed's bytes, never a URL or path")
    body = bytes(body)
    if not body.strip():
        raise FeedParseError("empty document")
    body = to_utf8(without_bom(body), content_type)
    json_body = is_json(body)
    if not json_body:
        body = repair_entities(body)
    end = None if json_body else missing_end(body)
    # A cut-off feed that stops inside an entry: that entry is left out (`_build`).
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
            parsed = _build(feed, entries, body, url, "fastfeedparser", cut_starts)
        else:
            fast_error = "no feed title and no entries"
    if fast_error is not None:
        parsed = _parse_slow(body, url, fast_error, polled_url, cut_starts)
    parsed.missing_end = end
    return parsed


def _parse_slow(
    body: bytes, url: str | None, fast_error: str, polled: str | None, cut_starts: int | None
) -> ParsedFeed:
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
    return _build(feed, entries, body, url, "feedparser", cut_starts)


def _build(
    feed: Mapping[str, Any],
    raw_entries: list[Any],
    body: bytes,
    url: str | None,
    which: str,
    cut_starts: int | None = None,
) -> ParsedFeed:
    """A `ParsedFeed` of the parser's `raw_entries`. `cut_starts` is the number of entry start
    tags of a document cut off inside its last entry (`cut_entry_starts`)."""
    feed_link = _str(feed.get("link")) or None
    base = url or feed_link
    if base and feed_link:
        base = absolute_link(base, feed_link) or url
    title = cap_title(title_to_text(_str(feed.get("title")))) or None
    count = len(raw_entries)
    bases = None if is_json(body) else fill_from_document(raw_entries, body)
    titles = [_str(raw.get("title")) for raw in raw_entries]
    if which == "fastfeedparser" and not all(titles):
        titles = [t or x for t, x in zip(titles, xhtml_titles(body, count) or titles, strict=True)]
    # Which titles are marked as text only matters for one with markup or an entity in it; the
    # scan of the whole document is left for those.
    marked_up = any("<" in t or ("&" in t and ";" in t) for t in titles)
    plain_titles = (text_title_flags(body, count) if marked_up else None) or [False] * count
    # Entries are in document order: when the parser made one per start tag, the last is the one
    # the cut went through. Stored now, its text would end mid-sentence on a card; the next whole
    # read brings it. It is left out before the newest are chosen, so it takes no whole one's
    # place, and only by its index, so no whole entry is ever dropped for it.
    whole = count - 1 if cut_starts is not None and cut_starts == count else count
    unread = max(0, whole - MAX_FEED_ENTRIES)
    kept = _newest(raw_entries[:whole], MAX_FEED_ENTRIES) if unread else range(whole)
    shared = _shared_ids(raw_entries)
    entries = []
    for index in kept:
        try:
            resolve_against = entry_base(base, bases[index]) if bases else base
            entries.append(
                _entry(
                    raw_entries[index], resolve_against, titles[index], plain_titles[index], shared
                )
            )
        except Exception:
            # One entry we can't read must not cost the feed its other entries.
            log.exception("skipped an entry of %s that could not be read", url or base)
    return ParsedFeed(
        title=title,
        link=canonical_url(base) if base else None,
        entries=entries,
        ttl_minutes=asked_ttl(feed, body),
        update_minutes=asked_update_minutes(feed, body),
        parser=which,
        unread_entries=unread,
        other_names=_other_names(feed),
    )


# RSS's <managingEditor> is "email (Name)"; the name is the publisher's, the address is not.
_EDITOR_NAME_RE = re.compile(r"[^\s()@]+@[^\s()]+\s*\(([^()]+)\)")


def _other_names(feed: Mapping[str, Any]) -> tuple[str, ...]:
    """The feed's description and its editor's name, as `ParsedFeed.other_names`."""
    names = [html_to_text(_str(feed.get("subtitle")))]
    # Only the "email (Name)" form: a desk's address with the outlet's name. A bare name, or an
    # Atom author, is most often a person's, and "Skylar Jones" on sky.com is no outlet's name.
    match = _EDITOR_NAME_RE.fullmatch(_str(feed.get("author")).strip())
    if match:
        names.append(html_to_text(match.group(1)))
    return tuple(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))


def _newest(raw_entries: list[Any], count: int) -> list[int]:
    """The indices of the `count` newest of `raw_entries` by date, undated ones after the dated
    in document order; in document order. Only dates are read, which costs far less than a
    whole entry."""
    keyed: list[tuple[bool, float, int]] = []
    for index, raw in enumerate(raw_entries):
        try:
            date = _date(raw, "published") or _date(raw, "updated") or _date(raw, "created")
        except Exception:
            date = None  # an entry we cannot date is read as undated; `_entry` logs what is wrong
        keyed.append((date is None, -date.timestamp() if date else 0.0, index))
    return sorted(index for _, _, index in sorted(keyed)[:count])


def _shared_ids(raw_entries: list[Any]) -> frozenset[str]:
    """The ids the document gives to entries with different links: such an id names no entry
    (some CMSs put one constant in every item's guid), and as a GUID it would make the store
    take each new story for a correction of the last. The same id on the same link twice is
    one entry listed twice, and keeps it."""
    link_of: dict[str, str] = {}
    shared: set[str] = set()
    for raw in raw_entries:
        raw_id = _str(raw.get("id")).strip()
        if raw_id:
            link = _entry_link(raw)
            if link_of.setdefault(raw_id, link) != link:
                shared.add(raw_id)
    return frozenset(shared)


def _entry(
    raw: Mapping[str, Any],
    base: str | None,
    raw_title: str,
    plain_title: bool,
    shared_ids: frozenset[str] = frozenset(),
) -> ParsedEntry:
    """One entry. `raw_title` is its title as the document has it (`plain_title` when the feed
    marks it as text: nothing in it is markup). An id in `shared_ids` is read as no id."""
    raw_link = _entry_link(raw)
    raw_id = _str(raw.get("id")).strip()
    # fastfeedparser copies the first link into a missing id, whatever its rel.
    named = (
        bool(raw_id)
        and raw_id != _str(raw.get("link")).strip()
        and raw_id not in shared_ids
        and not is_home_id(raw_id)
    )
    if raw_link:
        link = absolute_link(base, raw_link)
    elif named and raw_id.startswith(("http://", "https://")):
        # An Atom entry linked only by its id, as an RSS item is by its permalink guid. The
        # GUID stays the id as written.
        link = absolute_link(None, raw_id)
    else:
        link = None
    # The GUID seed below reads the text as feeds gave it, so no stored entry changes its GUID.
    full_text, seed_text = _body_text(raw)
    text = strip_boilerplate(full_text)
    title = cap_title(title_to_text(raw_title, plain=plain_title) or _first_words(text))
    published = _date(raw, "published") or _date(raw, "updated") or _date(raw, "created")
    if named and raw_id != raw_link:
        guid = raw_id
    elif link and not is_homepage(link):
        # fastfeedparser copies the link into id when there is no guid. The stored URL drops
        # the fragment, but the identity keeps it: a changelog's or a one-page blog's items
        # are anchors on one page (page#v1-1, page#v1-0), and without it they are one GUID.
        guid = with_fragment(link, raw_link)
    else:
        # No id, and no link or only the site's home page (status pages give every item that):
        # a digest of what the item says, stable across polls.
        # The title as it was read before titles had their own rule (`title_to_text`), so that
        # a stored entry keeps its GUID.
        seed_title = html_to_text(raw_title) or _first_words(text)
        seed = "\x1f".join(
            [seed_title, seed_text[:500], published.isoformat() if published else ""]
        )
        guid = "sha1:" + hashlib.sha1(seed.encode("utf-8")).hexdigest()
    author = cap_title(html_to_text(_str(raw.get("author")))) or None
    return ParsedEntry(
        guid=guid, url=link, title=title, text=text, published=published, author=author
    )


def _entry_link(raw: Mapping[str, Any]) -> str:
    """The entry's page: its first link with rel="alternate" or none (Atom's default), else
    the parser's `link`, which fastfeedparser takes from the first <link> whatever its rel
    (a WordPress rel="edit" API address, say)."""
    for candidate in raw.get("links") or []:
        if isinstance(candidate, Mapping) and candidate.get("rel") in (None, "", "alternate"):
            href = _str(candidate.get("href")).strip()
            if href:
                return href
    return _str(raw.get("link")).strip()


def _first_words(text: str) -> str:
    """A title for an entry that has none: the opening words of its text."""
    return " ".join(text.split(maxsplit=_TITLE_FALLBACK_WORDS)[:_TITLE_FALLBACK_WORDS])


def _body_text(raw: Mapping[str, Any]) -> tuple[str, str]:
    """The entry's text, and the text its GUID digest reads (the content whenever there is
    any, as before the summary could win, so that no stored entry changes its GUID).

    The content is the fuller body as a rule, but some CMSs fill it with no words at all (a
    lone image, `<p></p>`) or a stub beside a real description; the summary wins then."""
    content = ""
    for part in raw.get("content") or []:
        value = _str(part.get("value") if isinstance(part, Mapping) else part)
        if len(value) > len(content):
            content = value
    summary = _str(raw.get("summary")) or _str(raw.get("description"))
    if not content:
        text = html_to_text(summary)
        return text, text
    text = html_to_text(content)
    # A summary's text is never longer than its markup, so one that could not be much longer
    # than the content's text is not converted: the usual full content beside a short teaser
    # costs no second HTML pass.
    if summary and summary != content and len(summary) > _SUMMARY_WINS_AT * len(text):
        other = html_to_text(summary)
        # Compared without boilerplate: a "The post ... appeared first on ..." line says nothing.
        if len(strip_boilerplate(other)) > _SUMMARY_WINS_AT * len(strip_boilerplate(text)):
            return other, text
    return text, text


def _date(raw: Mapping[str, Any], key: str) -> datetime | None:
    parsed = raw.get(f"{key}_parsed")  # feedparser: struct_time already in UTC
    if isinstance(parsed, time.struct_time):
        try:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    return parse_date(_str(raw.get(key)))


# A lone UTF-16 surrogate (JSON's "\ud800" alone) is a str no UTF-8 codec will write, so
# SQLite would refuse the whole feed's insert.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _str(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _SURROGATE_RE.search(text):
        # Via UTF-16 so a pair that is still split in two is joined, not replaced.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text

"""`ParsedFeed`, and how one is built from what a parser library read (`build_feed`).

`bot.ingest.parser` settles the bytes and picks the library (fastfeedparser, feedparser as the
fallback); both hand over a feed mapping and a list of entry mappings, and this module makes the
one `ParsedFeed` of them: the feed's title, link, asked-for poll interval and other names, and
its entries (`bot.ingest.entries.read_entry`), the newest `limit` of them, what either library
misses filled in from the document itself (`entry_fields`, `titles`). Split out of `parser`
when that reached the 400-line limit: the reading of the document there, the feed made here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.ingest.entries import ParsedEntry, newest, raw_str, read_entry, shared_ids
from bot.ingest.entry_cap import Sharers
from bot.ingest.entry_fields import fill_from_document
from bot.ingest.entry_links import FeedAddress, absolute_link, entry_base, site_hosts
from bot.ingest.intervals import SY_IGNORED_UP_TO_MINUTES, asked_ttl, asked_update_minutes
from bot.ingest.jsonfeed import is_json
from bot.ingest.normalize import canonical_url, cap_title, html_to_text, title_to_text
from bot.ingest.titles import text_title_flags, xhtml_titles

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: list[ParsedEntry] = field(default_factory=list)
    ttl_minutes: int | None = None
    # sy:updatePeriod / sy:updateFrequency as minutes between updates (period / frequency).
    update_minutes: int | None = None
    # Which library produced it: "feedparser" when fastfeedparser could not read the document
    # (logged at DEBUG, with fastfeedparser's reason: the fallback costs many times the CPU).
    parser: str = "fastfeedparser"
    # Entries of the document left unread past the parser's MAX_FEED_ENTRIES.
    unread_entries: int = 0
    # The root's closing tag ("</rss>") when the document stops before it: kept, but said.
    missing_end: str | None = None
    # Other names the feed gives its publisher (its description, its managing editor's name),
    # for a feed whose title names no one: ABC Australia's "Top Stories" is edited by
    # "... (ABC News)", Boston.com's "World News: Breaking news, ..." is described "Boston.com".
    other_names: tuple[str, ...] = ()
    # Works out the entries' old GUIDs when asked (`add_old_guids`), else None.
    pending_old_guids: Callable[[], None] | None = field(default=None, repr=False, compare=False)
    # A GUID or link of the document held a terminal code (`codes_in_names`): any entry, not
    # only one known by a digest, may be stored under the GUID an older version gave it.
    codes_in_names: bool = False

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


def build_feed(
    feed: Mapping[str, Any],
    raw_entries: list[Any],
    body: bytes,
    url: str | None,
    which: str,
    *,
    limit: int,
    cut_starts: int | None = None,
    quiet: bool = False,
    also: Sharers = ((), frozenset()),
) -> ParsedFeed:
    """A `ParsedFeed` of the parser's `raw_entries`, the newest `limit` of them read (the
    parser's `MAX_FEED_ENTRIES`). `which` names the library that read them. `cut_starts` is the
    number of entry start tags of a document cut off inside its last entry (`cut_entry_starts`);
    `also`, the entries cut out before parsing that share an id with one read, and the ids read
    as shared outright (`entry_cap.cut_sharers`)."""
    feed_link = raw_str(feed.get("link")) or None
    base = url or feed_link
    if base and feed_link:
        base = absolute_link(base, feed_link, site_hosts(url)) or url
    title = cap_title(title_to_text(raw_str(feed.get("title")))) or None
    count = len(raw_entries)
    bases = None if is_json(body) else fill_from_document(raw_entries, body)
    titles = [raw_str(raw.get("title")) for raw in raw_entries]
    xhtml = xhtml_titles(body, count) if which == "fastfeedparser" else None
    if xhtml:
        # Its own reading of one is empty, or only the words before the first child element.
        titles = [x or t for t, x in zip(titles, xhtml, strict=True)]
    # Which titles are marked as text only matters for one with markup or an entity in it; the
    # scan of the whole document is left for those.
    marked_up = any("<" in t or ("&" in t and ";" in t) for t in titles)
    plain_titles = (text_title_flags(body, count) if marked_up else None) or [False] * count
    if xhtml:
        # An xhtml title's words come escaped; the scan's flag may be a <source>'s title's.
        plain_titles = [p and not x for p, x in zip(plain_titles, xhtml, strict=True)]
    # Entries are in document order: when the parser made one per start tag, the last is the one
    # the cut went through. Stored now, its text would end mid-sentence on a card; the next whole
    # read brings it. It is left out before the newest are chosen, so it takes no whole one's
    # place, and only by its index, so no whole entry is ever dropped for it.
    whole = count - 1 if cut_starts is not None and cut_starts == count else count
    unread = max(0, whole - limit)
    kept = newest(raw_entries[:whole], limit) if unread else range(whole)
    sharers, shared_outright = also
    shared = shared_ids([*raw_entries, *sharers]) | shared_outright
    if sharers or shared_outright:
        log.debug(
            "feed %s: %d ids an entry read shares with entries cut out before parsing",
            url or base, len(shared - shared_ids(raw_entries)),
        )  # fmt: skip
    entries = []
    address = FeedAddress.of(url, base)
    for index in kept:
        try:
            resolve_against = entry_base(base, bases[index]) if bases else base
            entries.append(
                read_entry(
                    raw_entries[index],
                    resolve_against,
                    titles[index],
                    plain_titles[index],
                    shared,
                    address,
                )
            )
        except Exception:
            # One entry we can't read must not cost the feed its other entries.
            log.log(
                logging.DEBUG if quiet else logging.ERROR,
                "skipped an entry of %s that could not be read",
                url or base,
                exc_info=True,
            )
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
    names = [html_to_text(raw_str(feed.get("subtitle")))]
    # Only the "email (Name)" form: a desk's address with the outlet's name. A bare name, or an
    # Atom author, is most often a person's, and "Skylar Jones" on sky.com is no outlet's name.
    match = _EDITOR_NAME_RE.fullmatch(raw_str(feed.get("author")).strip())
    if match:
        names.append(html_to_text(match.group(1)))
    return tuple(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))

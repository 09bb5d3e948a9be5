"""One entry of a feed document, read from what the parser made of it: `ParsedEntry`'s link,
GUID, title, body text, date and author (`read_entry`), which entries of a big document are
read (`newest`), and the ids a document gives to more than one entry (`shared_ids`).

`bot.ingest.parser` reads the document, `bot.ingest.parsed_feed` the feed around them;
`entry_fields` and `entry_links` fill in what the parsers miss of an entry.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.ingest.chat_markup import without_chat_markup
from bot.ingest.entry_links import NO_ADDRESS, FeedAddress, absolute_link, is_home_id, with_fragment
from bot.ingest.normalize import (
    cap_title,
    html_to_text,
    is_homepage,
    parse_date,
    strip_boilerplate,
    title_to_text,
)

_TITLE_FALLBACK_WORDS = 12
# The prefix of a GUID that is a digest of what the entry says (no id, no link of its own).
DIGEST_GUID = "sha1:"
# A summary whose text is this many times longer than the content's is the entry's real body:
# the content is a stub ("Short.") or only markup around a picture.
_SUMMARY_WINS_AT = 2


@dataclass(slots=True)
class ParsedEntry:
    guid: str
    url: str | None
    title: str
    text: str
    published: datetime | None
    author: str | None
    # The GUID an older version gave this entry, when the document has control characters and
    # those changed it then (`parser._add_old_guids`): a digest of text they garbled, or a GUID
    # or link that kept a terminal code. The store takes an article stored under it for this
    # entry.
    old_guid: str | None = None


def newest(raw_entries: list[Any], count: int) -> list[int]:
    """The indices of the `count` newest of `raw_entries` by date, undated ones after the dated
    in document order; in document order. Only dates are read, which costs far less than a
    whole entry."""
    keyed: list[tuple[bool, float, int]] = []
    for index, raw in enumerate(raw_entries):
        try:
            date = _date(raw, "published") or _date(raw, "updated") or _date(raw, "created")
        except Exception:  # read as undated; `read_entry` logs what is wrong
            date = None
        keyed.append((date is None, -date.timestamp() if date else 0.0, index))
    return sorted(index for _, _, index in sorted(keyed)[:count])


def shared_ids(raw_entries: list[Any]) -> frozenset[str]:
    """The ids the document gives to entries with different links: such an id names no entry
    (some CMSs put one constant in every item's guid), and as a GUID it would make the store
    take each new story for a correction of the last. The same id on the same link twice is
    one entry listed twice, and keeps it."""
    link_of: dict[str, str] = {}
    shared: set[str] = set()
    for raw in raw_entries:
        raw_id = raw_str(raw.get("id")).strip()
        if raw_id:
            link = _entry_link(raw)
            if link_of.setdefault(raw_id, link) != link:
                shared.add(raw_id)
    return frozenset(shared)


def read_entry(
    raw: Mapping[str, Any],
    base: str | None,
    raw_title: str,
    plain_title: bool,
    shared_ids: frozenset[str] = frozenset(),
    feed: FeedAddress = NO_ADDRESS,
) -> ParsedEntry:
    """One entry. `raw_title` is its title as the document has it (`plain_title` when the feed
    marks it as text: nothing in it is markup). An id in `shared_ids` is read as no id. `feed`
    is the address the document came from: a link that is that address is no link, and one
    that carries its key is not the entry's URL (`bot.ingest.entry_links` says why)."""
    raw_link = _entry_link(raw)
    raw_id = raw_str(raw.get("id")).strip()
    # fastfeedparser copies the first link into a missing id, whatever its rel.
    named = (
        bool(raw_id)
        and raw_id != raw_str(raw.get("link")).strip()
        and raw_id not in shared_ids
        and not is_home_id(raw_id)
    )
    if raw_link:
        link = absolute_link(base, raw_link, feed.hosts)
    elif named and raw_id.startswith(("http://", "https://")):
        # An Atom entry linked only by its id, as an RSS item is by its permalink guid. The
        # GUID stays the id as written.
        link = absolute_link(None, raw_id)
    else:
        link = None
    # The feed's own address is no page of the entry's, but an anchor on it (`#item-3`) still
    # tells entries apart, as it did before: only one without (`<link>#</link>`) is no link.
    own = feed.is_own(link)
    if own and not raw_link.partition("#")[2].strip():
        link = None
    # The GUID seed below reads the text as feeds gave it, so no stored entry changes its GUID.
    full_text, seed_text = _body_text(raw)
    text = without_chat_markup(strip_boilerplate(full_text))
    title = cap_title(
        without_chat_markup(title_to_text(raw_title, plain=plain_title)) or _first_words(text)
    )
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
        guid = DIGEST_GUID + hashlib.sha1(seed.encode("utf-8")).hexdigest()
    author = cap_title(html_to_text(raw_str(raw.get("author")))) or None
    # The GUID keeps such a link: an entry keeps the identity it was stored under.
    url = None if own or feed.carries_secret(link) else link
    return ParsedEntry(
        guid=guid, url=url, title=title, text=text, published=published, author=author
    )


def _entry_link(raw: Mapping[str, Any]) -> str:
    """The entry's page: its first link with rel="alternate" or none (Atom's default), else
    the parser's `link`, which fastfeedparser takes from the first <link> whatever its rel
    (a WordPress rel="edit" API address, say)."""
    for candidate in raw.get("links") or []:
        if isinstance(candidate, Mapping) and candidate.get("rel") in (None, "", "alternate"):
            href = raw_str(candidate.get("href")).strip()
            if href:
                return href
    return raw_str(raw.get("link")).strip()


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
        value = raw_str(part.get("value") if isinstance(part, Mapping) else part)
        if len(value) > len(content):
            content = value
    summary = raw_str(raw.get("summary")) or raw_str(raw.get("description"))
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
    return parse_date(raw_str(raw.get(key)))


# A lone UTF-16 surrogate (JSON's "\ud800" alone) is a str no UTF-8 codec will write, so
# SQLite would refuse the whole feed's insert.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def raw_str(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _SURROGATE_RE.search(text):
        # Via UTF-16 so a pair that is still split in two is joined, not replaced.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text

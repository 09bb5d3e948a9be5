"""/feeds list's lines: each feed's id, address and state, as chat may show them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from bot.commands.base import ListLine
from bot.feed_status import feed_status
from bot.store import feeds as feed_store

# A feed's error, disabled reason or poll note in /feeds list: room for the longest the bot
# writes itself (a refused address's, with its fix), not for pages a server sends.
FEED_DETAIL_CHARS = 300
# What stands for a hidden query string or fragment: enough to show that the address has one.
HIDDEN = "?…"
# An address inside a feed's error or note ("moved to https://…?key=…"), up to its query.
_URL_QUERY_RE = re.compile(r"(https?://[^\s?#<>]*)[?#][^\s<>)\]]*", re.IGNORECASE)


def feed_line(feed: feed_store.FeedRow, *, whole: bool) -> ListLine:
    """One feed of /feeds list: its id and URL (either is what /feeds remove takes; the URL is
    the unambiguous one, as a removed feed's id can be given to a new feed), and its state as
    `newsdigest feeds list` says it: its last poll's outcome and note, or its error, cut for a
    chat line (the whole of it is on the host). The note is untrusted, as the title is: the
    adapters escape ListLine's text and note.

    `whole`: the asker is an admin. Anyone else in the channel sees no query string or fragment
    of an address, the feed's or one its state names: that is where feeds carry API keys and
    tokens (`?apikey=…`), and only admins can remove a feed by its address anyway."""
    state = feed_status(feed).line(FEED_DETAIL_CHARS)
    where = "; in the config file" if feed.origin == "config" else ""
    # A feed without a title of its own is named by its URL, which the line shows anyway.
    name = f" {feed.display_name}" if feed.display_name != feed.url else ""
    if whole:
        return ListLine(f"#{feed.id}{name}", feed.url, f"({state}{where})")
    state, name = (_URL_QUERY_RE.sub(lambda m: m.group(1) + HIDDEN, t) for t in (state, name))
    shown = without_query(feed.url)
    if shown == feed.url:
        return ListLine(f"#{feed.id}{name}", feed.url, f"({state}{where})")
    # Not a link: the address without its query is not the feed's, and not one to click.
    return ListLine(f"#{feed.id}{name} {shown}", None, f"({state}{where})")


def without_query(url: str) -> str:
    """`url` with its query string and fragment, if any, shown as `?…`."""
    parts = urlsplit(url)
    if not parts.query and not parts.fragment:
        return url
    return urlunsplit(parts._replace(query="", fragment="")).rstrip("?#") + HIDDEN

"""/feeds list's lines: each feed's id, address and state, as chat may show them."""

from __future__ import annotations

import dataclasses

from bot.commands.base import ListLine
from bot.feed_status import feed_status
from bot.redact import hidden_in_text, hidden_url
from bot.store import feeds as feed_store

# A feed's error, disabled reason or poll note in /feeds list: room for the longest the bot
# writes itself (a refused address's, with its fix), not for pages a server sends.
FEED_DETAIL_CHARS = 300


def feed_line(feed: feed_store.FeedRow, *, whole: bool) -> ListLine:
    """One feed of /feeds list: its id and URL (either is what /feeds remove takes; a removed
    feed's id is never given to another), and its state as
    `newsdigest feeds list` says it: its last poll's outcome and note, or its error, cut for a
    chat line (the whole of it is on the host). The note is untrusted, as the title is: the
    adapters escape ListLine's text and note.

    `whole`: the asker is an admin. Anyone else in the channel sees an address, the feed's or
    one its name or state names, without its query string, path parameters, fragment or
    password (`bot.redact`): that is where feeds carry API keys and tokens (`?apikey=…`), and
    only admins can remove a feed by its address anyway."""
    status = feed_status(feed)
    where = "; in the config file" if feed.origin == "config" else ""
    name, shown = feed_shown(feed, whole=whole)
    if whole:
        return ListLine(f"#{feed.id}{name}", feed.url, f"({status.line(FEED_DETAIL_CHARS)}{where})")
    # Hidden before the cut, so a cut inside an address cannot leave a secret's start behind.
    status = dataclasses.replace(status, detail=hidden_in_text(status.detail))
    state = status.line(FEED_DETAIL_CHARS)
    if shown == feed.url:
        return ListLine(f"#{feed.id}{name}", feed.url, f"({state}{where})")
    # Not a link: the address without its query is not the feed's, and not one to click.
    return ListLine(f"#{feed.id}{name} {shown}", None, f"({state}{where})")


def feed_shown(feed: feed_store.FeedRow, *, whole: bool) -> tuple[str, str]:
    """A feed's name (" Name", blank when it is only its URL, which is shown anyway) and address
    as the asker may see them: whole for an admin (`whole`), else without the parts that carry
    keys (`bot.redact`), in the name too. /feeds list's lines and /feeds remove's choices
    (`bot.commands.choices`) both name a feed so."""
    name = f" {feed.display_name}" if feed.display_name != feed.url else ""
    if whole:
        return name, feed.url
    return hidden_in_text(name), hidden_url(feed.url)

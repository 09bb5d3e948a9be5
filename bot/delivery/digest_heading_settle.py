"""A digest heading whose count is more than the cards that will show under it, settled at the end
of every drain (`settle_headings`), whichever drain that is: the one that posted it, or a later one
(its cards held back by a 429 or a route down, then returned to the digest pool by a switch to
instant mode and back; given up).

Which cards still show is kept in the database, not worked out by the drain that posted the
heading: a trigger on `deliveries` (`bot.store.digest_headings.add_shown_count`) takes a card
out of its heading's rows when its row is deleted unsent (returned to the pool, merged away, its
story gone) or given up (failed: it never shows in the channel). Only the channel's last heading
is on record, so an earlier digest's is never touched once a newer one is posted.

With two or more cards left the heading is edited to their count (the adapter's
`revise_heading`, keeping the digest's time it gave): "5 stories" over 3 reads as 2 lost. With
none left it heads nothing, and with one it heads what a digest of one card never has (no
heading, `CHAT_HEADED_CARDS`): it is deleted (the adapter's `retract_heading`), and its record
keeps only its message, as the lookups' bound. Each change is settled once: an edit or deletion
refused is logged and not tried again, but for one refused for a rate limit, tried at a later
drain; one whose channel is paused, or whose route is down, waits for a drain that can reach it.
An edit or deletion is an edit call on the route, as a card's refresh is
(`bot.delivery.rate_limits`): while the route's edits are held it is not tried, and a 429 holds
them, so drains inside the Retry-After do not each call into the limit. A refusal for a limit of
the channel's own (a Discord bucket's 429, `DeferredDeliveryError`) holds that channel's heading
alone until its Retry-After (`_held`), other channels' going on: tried at every drain instead,
it was refused again each time, or slept out inside the call (the bot's bucket waits up to 5 s
there), holding up the drain and every channel's posts with it.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.delivery.adapter import (
    ChatAdapter,
    DeferredDeliveryError,
    DeliveryError,
    RateLimitedDeliveryError,
)
from bot.delivery.rate_limits import EDIT, wait_over
from bot.render.text import CHAT_HEADED_CARDS
from bot.store import channels as channel_store
from bot.store import digest_headings as heading_store
from bot.store.channels import ChannelRow
from bot.store.digest_headings import Unsettled

if TYPE_CHECKING:
    from bot.delivery.outbox import Outbox

log = logging.getLogger(__name__)

# Per outbox, channel pk -> (when, until): the channel's own limit refused its heading's change
# at `when` and asked it to wait until `until`. In memory, as the route's holds are: after a
# restart it is tried once, and a refusal says again how long.
_refused: weakref.WeakKeyDictionary[Outbox, dict[int, tuple[datetime, datetime]]] = (
    weakref.WeakKeyDictionary()
)


async def settle_headings(outbox: Outbox, channel_pk: int) -> None:
    """Edit or delete the channel's last heading if it counts cards which will not show (at the
    end of the channel's drain, `bot.delivery.channel_drain`: an edit that hangs holds up no
    other channel)."""
    try:
        found = heading_store.unsettled(outbox.db)
    except sqlite3.Error as exc:
        log.warning("digest headings not checked against their cards: %s", exc)
        return
    for heading in found:
        if heading.channel_pk != channel_pk:
            continue
        channel = channel_store.get_channel_by_pk(outbox.db, heading.channel_pk)
        if channel is None or channel.paused_reason:
            continue
        now = outbox.clock()
        sender = outbox.sender(channel, now)
        if sender is None or outbox.rate_limits.until(sender[1], EDIT, now) is not None:
            continue
        if _held(outbox, channel.id, now):
            continue
        adapter, route = sender
        try:
            if heading.left < CHAT_HEADED_CARDS:
                await _retract(outbox, adapter, route, channel, heading)
            else:
                await _revise(outbox, adapter, route, channel, heading)
        except sqlite3.Error as exc:
            log.warning("digest heading in %s settled, but not so recorded: %s", channel.key, exc)


async def _retract(
    outbox: Outbox, adapter: ChatAdapter, route: str, channel: ChannelRow, heading: Unsettled
) -> None:
    retract = getattr(adapter, "retract_heading", None)
    if retract is None:
        log.warning(
            "digest heading for %s heads %d card(s), and cannot be deleted",
            channel.key,
            heading.left,
        )
    else:
        failed = await _attempt(
            outbox, route, channel, "deleting", lambda: retract(channel, heading.message_ref)
        )
        if failed is _PUT_OFF:
            return
        if failed is not None:
            log.warning(
                "digest heading for %s heads %d card(s) (the others will not show), "
                "and deleting it failed: %s",
                channel.key,
                heading.left,
                failed,
            )
        else:
            log.info(
                "digest heading for %s deleted: %d of its %d cards will not show "
                "(back in the digest pool, or given up)",
                channel.key,
                heading.shown - heading.left,
                heading.shown,
            )
            heading_store.retracted(outbox.db, channel.id, heading.message_ref)
            return
    heading_store.recounted(outbox.db, channel.id, heading.message_ref, heading.left)


async def _revise(
    outbox: Outbox, adapter: ChatAdapter, route: str, channel: ChannelRow, heading: Unsettled
) -> None:
    revise = getattr(adapter, "revise_heading", None)
    if revise is None:
        log.warning(
            "digest heading for %s counts %d cards over %d, and cannot be edited",
            channel.key,
            heading.shown,
            heading.left,
        )
    else:
        failed = await _attempt(
            outbox,
            route,
            channel,
            "editing",
            lambda: revise(channel, heading.message_ref, heading.left, heading.digest_at),
        )
        if failed is _PUT_OFF:
            return
        if failed is not None:
            log.warning(
                "digest heading for %s counts %d cards over %d (the others will not show), "
                "and editing it failed: %s",
                channel.key,
                heading.shown,
                heading.left,
                failed,
            )
        else:
            log.info(
                "digest heading for %s edited to %d stories: %d of its cards will not show "
                "(back in the digest pool, or given up)",
                channel.key,
                heading.left,
                heading.shown - heading.left,
            )
    heading_store.recounted(outbox.db, channel.id, heading.message_ref, heading.left)


# `_attempt`'s answer when the platform asked the change to wait: tried again at a later drain.
_PUT_OFF = DeliveryError("put off: tried again at a later drain")


async def _attempt(
    outbox: Outbox,
    route: str,
    channel: ChannelRow,
    doing: str,
    call: Callable[[], Awaitable[object]],
) -> DeliveryError | None:
    """None when `call` (an edit or delete of the heading) went through, `_PUT_OFF` when the
    platform asked it to wait (a 429 holds the route's edits for its Retry-After, as a card
    edit's does), else the error it failed with."""
    try:
        await call()
    except RateLimitedDeliveryError as exc:
        outbox.rate_limits.hold(exc.route or route, EDIT, exc, outbox.clock())
        log.info("%s the digest heading for %s put off: %s", doing, channel.key, exc)
        return _PUT_OFF
    except DeferredDeliveryError as exc:
        # The channel's own limit: its heading alone waits it out, the route's edits go on.
        now = outbox.clock()
        _refused.setdefault(outbox, {})[channel.id] = (now, wait_over(now, exc.retry_after))
        log.info("%s the digest heading for %s put off: %s", doing, channel.key, exc)
        return _PUT_OFF
    except DeliveryError as exc:
        return exc
    return None


def _held(outbox: Outbox, channel_pk: int, now: datetime) -> bool:
    """Whether the channel's own limit still holds its heading's change (`_refused`). A wait
    asked after `now` is over too: the wall clock stepped back, and a wait counted from the
    later time would be held as much longer (tried now, a refusal says again how long)."""
    waits = _refused.get(outbox)
    if not waits or channel_pk not in waits:
        return False
    when, until = waits[channel_pk]
    if when <= now < until:
        return True
    del waits[channel_pk]
    return False

"""Reconciling deliveries a crash (or an ambiguous failure) left `sending`, before anything else
is sent in their channel (each channel's drain looks for its own: `bot.delivery.channel_drain`,
so a lookup that hangs holds up no other channel's posts). The lookups themselves go one at a
time per route (`Outbox.lookups`), as when channels were reconciled in turn: Slack limits
conversations.history per workspace, to one a minute for most apps, and the channels' lookups
all at once after a restart would send all but the first into the limit.

The adapter's `find_posted` looks for the message (Slack: the bot's message metadata in recent
history); if it landed, the row is marked sent, otherwise it goes back to pending and is resent
with the same nonce (which Discord de-duplicates by itself). An update found landed is owed the
edit of its card its lost answer skipped: queued as a row of its own (`bot.store.card_refreshes`),
sent in the same drain. An edit of a card left `sending` is made again, never looked for: it sets
the card's whole state, so making it twice is harmless. Notices interrupted by a crash are simply
requeued (`release_leftovers`, with the edits, by the drain's pass over every channel).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.delivery.adapter import PostedMessage, lookup_route, refreshes_cards
from bot.delivery.failures import give_up_unsent, lookup_failed
from bot.delivery.prepare import card_editable
from bot.delivery.rate_limits import LOOKUP
from bot.store import alerts as alert_store
from bot.store import card_refreshes
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


def release_leftovers(outbox: Outbox, report: DrainReport) -> None:
    """What a crash left `sending` that needs no lookup, whatever its channel: card edits, made
    again, and notices, sent again (looked for first where the adapter can). A notice is left
    alone while any channel's drain runs: it may be the one in flight (`Outbox.channel_drains`)."""
    for row in store.in_state(outbox.db, "sending"):
        if row.kind != card_refreshes.REFRESH or row.id in outbox.in_flight:
            continue
        if row.next_attempt_at is not None and row.next_attempt_at > outbox.clock():
            continue
        store.release(outbox.db, row.id, now=outbox.clock(), next_attempt_at=None, error="resend")
        report.reconciled += 1
    if not outbox.channel_drains.tasks and alert_store.requeue_stale_alerts(outbox.db):
        log.info("requeued notices interrupted by a crash")


async def reconcile(outbox: Outbox, report: DrainReport, channel_pk: int) -> None:
    """The channel's posts a crash or an ambiguous failure left `sending`, looked for in the
    channel before anything else is sent there (`bot.delivery.channel_drain`)."""
    # Only rows of routes we can ask; others wait until their adapter registers (or its route
    # is back). Rows this process is still sending are skipped: taking one for a leftover
    # would resend a post that is about to land.
    for row in store.in_state(outbox.db, "sending"):
        if row.channel_pk != channel_pk or row.kind == card_refreshes.REFRESH:
            continue
        if row.id in outbox.in_flight:
            continue
        if row.next_attempt_at is not None and row.next_attempt_at > outbox.clock():
            continue  # an ambiguous failure, checked once its backoff is over
        channel = channel_store.get_channel_by_pk(outbox.db, row.channel_pk)
        if channel is None or channel.paused_reason:
            continue  # a paused channel's rows are checked once it is resumed
        if (sender := outbox.sender(channel, outbox.clock())) is None:
            continue
        adapter = sender[0]
        async with outbox.lookups.setdefault(lookup_route(adapter, channel), asyncio.Lock()):
            # One lookup at a time per route, as when channels were reconciled in turn: Slack
            # limits conversations.history per workspace (1 a minute for most apps), and all
            # at once after a restart, every lookup but the first would meet the limit.
            if outbox.halted:
                return  # a stop: looked for after the restart, as after a crash
            looked = await _look_for(outbox, channel, row, report)
        if looked is None:
            continue
        found, parent, now = looked
        if found is not None:
            # Record what the channel was shown: the card stored with the claim. The story may
            # have grown since, and recording today's count would swallow that update.
            shown_count, shown_outlets = row.source_count, row.outlets
            if not shown_outlets:
                # Claimed by a version that stored nothing with the claim: today's card is the
                # best guess left.
                shown_count, shown_outlets = await _current(outbox, row, channel)
            if (
                row.kind == "update"
                and parent is not None
                and refreshes_cards(adapter)
                and card_editable(outbox, row.story_id, row.channel_pk)
            ):
                # The reply is there, but the card's edit, made after its answer, never was:
                # the card would show the old count under a thread telling the new one. Queued
                # before the update is recorded, so a crash in between loses neither.
                card_refreshes.enqueue(
                    outbox.db, row.story_id, row.channel_pk, now=now, not_before=None
                )
            store.mark_sent(
                outbox.db,
                row.id,
                message_ref=found.message_ref,
                thread_ref=found.thread_ref,
                source_count=shown_count,
                outlets=shown_outlets,
                now=now,
            )
            outbox.plan_update(row.story_id)
            # Rows get here after a crash, but as often after an ambiguous answer (a timeout, a
            # 5xx, a body that is not JSON) with no crash at all: say where it was found.
            where = "the story's thread" if row.kind == "update" else "the channel's history"
            log.info("delivery %d to %s had landed (found in %s)", row.id, channel.key, where)
        elif row.attempts >= outbox.settings.max_attempts:
            error = row.last_error or "gave up"
            give_up_unsent(outbox, row, error, report, attempts=row.attempts)
        else:
            store.release(outbox.db, row.id, now=now, next_attempt_at=None, error="resend")
            log.info("delivery %d to %s will be resent (same nonce)", row.id, channel.key)
        report.reconciled += 1


async def _look_for(
    outbox: Outbox, channel: ChannelRow, row: DeliveryRow, report: DrainReport
) -> tuple[PostedMessage | None, PostedMessage | None, datetime] | None:
    """Ask the platform whether the row landed: (what was found, the card an update replied
    to, when); None when it was not asked (its route down or its lookups held meanwhile) or the
    lookup failed (`lookup_failed` settled the row)."""
    now = outbox.clock()
    if (sender := outbox.sender(channel, now)) is None:
        return None  # the lookup before it, waited for, found the route down
    adapter, route = sender
    holds = [
        outbox.rate_limits.until(r, LOOKUP, now) for r in {route, lookup_route(adapter, channel)}
    ]
    if (until := max((u for u in holds if u is not None), default=None)) is not None:
        # The platform rate limits the lookup, on the channel's route or the one its lookups
        # take (a Discord webhook channel's, the bot's): asked now, it would only refuse again.
        store.hold_sending(
            outbox.db, row.id, now=now, check_at=until, error=row.last_error or "unchecked"
        )
        return None
    parent = None
    if row.kind == "update":
        first = store.story_post(outbox.db, row.story_id, row.channel_pk)
        if first is not None and first.message_ref:
            parent = PostedMessage(first.message_ref, first.thread_ref)
    # A merge since the send may have moved the row onto another story; the card carries the id
    # it was posted under, which adapters that cannot see the nonce (Discord's history) match on.
    story_ids = [row.story_id]
    if row.kind == "story":
        story_ids = story_store.posted_as(outbox.db, row.story_id, row.channel_pk)
    found = None
    mark = outbox.outages.mark(route)
    try:
        for story_id in story_ids:
            found = await adapter.find_posted(
                channel, story_id=story_id, nonce=row.nonce, kind=row.kind, parent=parent
            )
            if found is not None:
                break
    except Exception as exc:  # the lookup failing must not lose the row, nor loop
        lookup_failed(outbox, channel, row, exc, report, mark=mark)
        return None
    return found, parent, now


async def _current(outbox: Outbox, row: DeliveryRow, channel: ChannelRow) -> tuple[int, list[str]]:
    try:
        card = await outbox.card(row.story_id, channel)
    except Exception:  # only the recorded count suffers; the row must be settled
        log.exception("building the card for delivery %d failed", row.id)
        card = None
    if card is None:
        return row.source_count, row.outlets
    return card.source_count, list(card.outlets)

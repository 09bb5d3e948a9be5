"""One row's send: claim it durably, make the chat API call, and settle the outcome.

The outbox (`bot.delivery.outbox`) decides which row goes out when and builds its card first
(`bot.delivery.prepare`); from the claim on, this module owns the row. A claimed row means only
"an API call may have started": while the call runs the row is in the outbox's `in_flight`, so
reconcile never takes it for a crash leftover. Success marks it sent and plans the story's next
update; each kind of failure goes to `bot.delivery.failures` (or `card_edits` for an edit of a
card, `rate_limits` for a call the platform rate limits), which keeps, retries, checks or gives
up on the row.

The drain runs on the event loop beside chat commands, heartbeats and the gateway, and shares
the database with other processes (`newsdigest poll`, a prune, an import): each of its steps
waits only briefly for another process's write lock (`bot.store.loop_waits.brief_steps`), not
the connection's 30 s, and a drain that met it is tried again shortly (`Outbox.run`). A claim
that meets the lock sends nothing. A send's outcome that meets it (the post landed, the lock was
taken meanwhile) is kept in memory and written by the next drain first (`settle`): the row stays
`in_flight`, so it is neither taken for a crash leftover (looked for, and where it cannot be
found, resent) nor lost. Only a stop before the lock is free leaves it `sending`, for the next
start to look for before resending, as after a crash.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.cards import StoryCard
from bot.delivery import card_edits
from bot.delivery.adapter import (
    ChatAdapter,
    DeferredDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    PostedMessage,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)
from bot.delivery.failures import check_later, defer, retry, wait_for_route
from bot.delivery.pauses import pause_channel
from bot.delivery.prepare import Prepared
from bot.delivery.rate_limits import wait_out
from bot.runner import update_planner
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import is_busy
from bot.store.deliveries import DeliveryRow
from bot.store.loop_waits import brief_steps

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)

# What a send's result writes (`settle`): kept and run again while the write lock is held.
Outcome = Callable[[], "datetime | None"]


async def send_one(
    outbox: Outbox,
    channel: ChannelRow,
    sender: tuple[ChatAdapter, str],
    row: DeliveryRow,
    prepared: Prepared,
    report: DrainReport,
) -> datetime | None:
    """Claim the row and send it. Returns when it is tried again if only it was put off (a
    `DeferredDeliveryError`, or a call that failed alone: `failures.wait_for_route`), for the
    drain to hold the channel's later posts as long; else None."""
    # Everything that can fail for local reasons was built before the claim (`prepare`), so
    # a claimed row means "an API call may have started" and nothing else.
    card = prepared[0]
    claimed = store.claim(
        outbox.db,
        row.id,
        outbox.clock(),
        source_count=card.source_count,
        outlets=list(card.outlets),
        headline=card.headline,
    )
    if claimed is None:
        return None
    outbox.in_flight.add(row.id)
    try:
        return await _post(outbox, channel, sender, row, claimed, prepared, report)
    finally:
        if row.id not in outbox.unsettled:  # its outcome is still to be written: never resent
            outbox.in_flight.discard(row.id)


async def _post(
    outbox: Outbox,
    channel: ChannelRow,
    sender: tuple[ChatAdapter, str],
    row: DeliveryRow,
    claimed: DeliveryRow,
    prepared: Prepared,
    report: DrainReport,
) -> datetime | None:
    adapter, route = sender
    card, original, new_outlets = prepared
    outcome: Outcome
    mark = outbox.outages.mark(route)  # did others get through while this call was under way
    try:
        if card_edits.is_edit(row) and original is not None:
            posted = await card_edits.edit(adapter, channel, original, card)
        elif original is None:
            posted = await adapter.post_card(channel, card, nonce=row.nonce)
        else:
            posted = await adapter.post_update(
                channel, original, card, new_outlets=new_outlets, nonce=row.nonce
            )
    except PermanentDeliveryError as exc:
        if card_edits.is_edit(row):
            outcome = partial(card_edits.refused, outbox, channel, row, exc, report)
        else:
            outcome = partial(pause_channel, outbox, channel, exc, row, report)
    except RateLimitedDeliveryError as exc:
        # Refused, so not sent: the row and the route's others needing its call wait it out;
        # the route that refused it, when not the channel's own (a Discord webhook channel's
        # thread, started by the bot).
        outcome = partial(wait_out, outbox, claimed, exc, exc.route or route, report)
    except TransientDeliveryError as exc:
        # Unreachable, failing, rate limiting, or refusing every post: the route's trouble
        # (the channel's own, or one its post needed as well), not this row's.
        outcome = partial(wait_for_route, outbox, claimed, exc, route, report, mark=mark)
    except DeferredDeliveryError as exc:
        outcome = partial(defer, outbox, claimed, exc, report)
    except DeliveryError as exc:
        # The platform refused our payload (invalid_blocks, HTTP 400): the same card will be
        # refused again, so only a few tries (a later rebuild may differ), no traceback.
        limit = outbox.settings.max_refused_attempts
        outcome = partial(retry, outbox, claimed, str(exc), report, limit=limit)
    except Exception as exc:
        # Unknown errors (a network library's own exception, a bug) may have posted: look
        # before resending.
        log.exception("delivery %d to %s raised", row.id, channel.key)
        error = f"{type(exc).__name__}: {exc}"
        outcome = partial(check_later, outbox, claimed, error, report)
    else:
        outbox.outages.up(route)
        outcome = partial(_landed, outbox, channel, row, card, posted, outbox.clock(), report)
    return settle(outbox, row.id, outcome)


def settle(outbox: Outbox, row_id: int | str, outcome: Outcome) -> datetime | None:
    """Write the outcome of the row's send (a notice's: `row_id` "notice <id>"). Another
    process's write lock met past the drain's brief wait (`bot.store.loop_waits.brief_steps`)
    keeps it in memory, the row `in_flight`, for the next drain to write first
    (`settle_unsettled`): taken for a crash leftover meanwhile, the row would be looked for,
    and where it cannot be found, sent again (a notice: requeued, `requeue_stale_alerts`)."""
    try:
        return outcome()
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
    outbox.unsettled[row_id] = outcome
    log.warning(
        "%s: another process holds the database's write lock; the outcome of its send is "
        "written once the lock is free, and it is not sent again meanwhile",
        row_id if isinstance(row_id, str) else f"delivery {row_id}",
        extra={"event": "outcome_waits"},
    )
    return None


def settle_unsettled(outbox: Outbox) -> None:
    """Write the outcomes `settle` kept for want of the write lock, before anything is
    reconciled. Raises "database is locked" while the lock is still held: nothing else could
    be written either, and the drain is tried again shortly (`Outbox.run`). An outcome that
    fails otherwise leaves its row `sending`, checked before it is resent (`reconcile`)."""
    for row_id, outcome in list(outbox.unsettled.items()):
        del outbox.unsettled[row_id]  # an outcome may leave the rest of itself (`_plan`)
        try:
            outcome()
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                outbox.unsettled.setdefault(row_id, outcome)
                raise
            log.exception("recording the outcome of %s failed", row_id)
        except Exception:
            log.exception("recording the outcome of %s failed", row_id)
        if row_id not in outbox.unsettled and isinstance(row_id, int):
            outbox.in_flight.discard(row_id)


def _plan(outbox: Outbox, row: DeliveryRow) -> None:
    """`Outbox.plan_update` once the post is recorded. Met the lock, it is the rest of the
    outcome, planned by the next drain first: the story may never be touched again."""
    try:
        update_planner.enqueue_updates(
            outbox.db, [row.story_id], now=outbox.clock(), interval=outbox.settings.update_interval
        )
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            log.exception("planning an update for %s failed", row.story_id)
            return
        outbox.unsettled[row.id] = partial(_plan, outbox, row)
    except Exception:  # the post is recorded; a failed plan must not stop the drain
        log.exception("planning an update for %s failed", row.story_id)


async def settle_at_stop(outbox: Outbox) -> None:
    """One last try, waiting briefly, at the outcomes still kept when the outbox stops."""
    if outbox.unsettled:
        with contextlib.suppress(sqlite3.OperationalError):
            await brief_steps(outbox.db.conn, _settle_now(outbox))
    if outbox.unsettled:
        log.warning("stopping with %d sent post(s) not yet recorded", len(outbox.unsettled))


async def _settle_now(outbox: Outbox) -> None:
    settle_unsettled(outbox)


def _landed(
    outbox: Outbox,
    channel: ChannelRow,
    row: DeliveryRow,
    card: StoryCard,
    posted: PostedMessage,
    now: datetime,
    report: DrainReport,
) -> None:
    """The send landed: recorded, and the story's next update planned. Safe to run again after
    meeting the lock: `after_update`'s writes replace what they wrote before."""
    if row.kind == "update":
        card_edits.after_update(outbox, channel, row, posted)
    store.mark_sent(
        outbox.db,
        row.id,
        message_ref=posted.message_ref,
        thread_ref=posted.thread_ref or posted.message_ref,
        source_count=card.source_count,
        outlets=list(card.outlets),
        now=now,
    )
    report.sent += 1
    _plan(outbox, row)
    log.info(
        "posted %s %s to %s",
        row.kind,
        row.story_id,
        channel.key,
        extra={"event": "delivered", "kind": row.kind, "story": row.story_id},
    )

"""One row's send: claim it durably, make the chat API call, and settle the outcome.

The outbox (`bot.delivery.outbox`) decides which row goes out when and builds its card first
(`bot.delivery.prepare`); from the claim on, this module owns the row. A claimed row means only
"an API call may have started": while the call runs the row is in the outbox's `in_flight`, so
reconcile never takes it for a crash leftover. Success marks it sent and plans the story's next
update; each kind of failure goes to `bot.delivery.failures` (or `card_edits` for an edit of a
card, `rate_limits` for a call the platform rate limits), which keeps, retries, checks or gives
up on the row.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.delivery import card_edits
from bot.delivery.adapter import (
    ChatAdapter,
    DeferredDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)
from bot.delivery.failures import check_later, defer, pause_channel, retry, wait_for_route
from bot.delivery.prepare import Prepared
from bot.delivery.rate_limits import wait_out
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


async def send_one(
    outbox: Outbox,
    channel: ChannelRow,
    sender: tuple[ChatAdapter, str],
    row: DeliveryRow,
    prepared: Prepared,
    report: DrainReport,
) -> datetime | None:
    """Claim the row and send it. Returns when it is tried again if only it was put off (a
    `DeferredDeliveryError`), for the drain to hold the channel's later posts as long; else
    None."""
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
            card_edits.refused(outbox, channel, row, exc, report)
        else:
            pause_channel(outbox, channel, exc, row, report)
    except RateLimitedDeliveryError as exc:
        # Refused, so not sent: the row and the route's others needing its call wait it out;
        # the route that refused it, when not the channel's own (a Discord webhook channel's
        # thread, started by the bot).
        wait_out(outbox, claimed, exc, exc.route or route, report)
    except TransientDeliveryError as exc:
        # Unreachable, failing, rate limiting, or refusing every post: the route's trouble
        # (the channel's own, or one its post needed as well), not this row's.
        wait_for_route(outbox, claimed, exc, route, report)
    except DeferredDeliveryError as exc:
        return defer(outbox, claimed, exc, report)
    except DeliveryError as exc:
        # The platform refused our payload (invalid_blocks, HTTP 400): the same card will be
        # refused again, so only a few tries (a later rebuild may differ), no traceback.
        retry(outbox, claimed, str(exc), report, limit=outbox.settings.max_refused_attempts)
    except Exception as exc:
        # Unknown errors (a network library's own exception, a bug) may have posted: look
        # before resending.
        log.exception("delivery %d to %s raised", row.id, channel.key)
        check_later(outbox, claimed, f"{type(exc).__name__}: {exc}", report)
    else:
        outbox.outages.up(route)
        if row.kind == "update":
            card_edits.after_update(outbox, channel, row, posted)
        store.mark_sent(
            outbox.db,
            row.id,
            message_ref=posted.message_ref,
            thread_ref=posted.thread_ref or posted.message_ref,
            source_count=card.source_count,
            outlets=list(card.outlets),
            now=outbox.clock(),
        )
        report.sent += 1
        outbox.plan_update(row.story_id)
        log.info(
            "posted %s %s to %s",
            row.kind,
            row.story_id,
            channel.key,
            extra={"event": "delivered", "kind": row.kind, "story": row.story_id},
        )
    return None

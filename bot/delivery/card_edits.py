"""Edits of a posted card an update could not make, sent by the outbox as rows of their own
(`bot.store.card_refreshes`): an update whose reply landed but whose edit of the original card
failed (a 5xx, a timeout) is recorded as sent, and the edit is queued, to be tried after the
outbox's first backoff and from then on like any post (route outages, backoff, a restart, the
stale rule), through the adapter's `refresh_card` alone, so the reply is never posted again. An
update whose own edit landed supersedes any still waiting; `bot.delivery.prepare` drops one whose
story was merged away or muted meanwhile (an unmute makes the edit after all, `bot.runner.unmutes`).
The update planner queues such rows too, due at once, for a story that grew while its thread
reply waits out its paced gap (`bot.delivery.update_pacing`): the same silent edit, no reply.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.cards import StoryCard
from bot.delivery.adapter import ChatAdapter, PermanentDeliveryError, PostedMessage
from bot.store import card_refreshes
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


def is_edit(row: DeliveryRow) -> bool:
    return row.kind == card_refreshes.REFRESH


async def edit(
    adapter: ChatAdapter, channel: ChannelRow, card_ref: PostedMessage, card: StoryCard
) -> PostedMessage:
    """The card at `card_ref` made to show `card`; raises as a post does."""
    await adapter.refresh_card(channel, card_ref, card)  # type: ignore[attr-defined]
    return card_ref


def refused(
    outbox: Outbox,
    channel: ChannelRow,
    row: DeliveryRow,
    exc: PermanentDeliveryError,
    report: DrainReport,
) -> None:
    """An edit the channel refuses is given up, the channel not paused: only its next post can
    tell whether it takes posts at all (a card deleted is not even an error, see `refresh_card`)."""
    store.mark_failed(outbox.db, row.id, now=outbox.clock(), error=str(exc))
    report.failed += 1
    log.warning("card edit %d in %s refused: %s", row.id, channel.key, exc)


def after_update(
    outbox: Outbox, channel: ChannelRow, row: DeliveryRow, posted: PostedMessage
) -> None:
    """An update landed: its edit of the card supersedes any waiting, and an edit it could not
    make is queued. Called before the update is recorded, so a crash in between loses neither
    (reconcile finds the update and queues the edit again)."""
    if not posted.card_unedited:
        card_refreshes.drop(outbox.db, row.story_id, row.channel_pk)
        return
    delay = outbox.backoff(1)
    now = outbox.clock()
    retry_at = now + timedelta(seconds=delay)
    card_refreshes.enqueue(outbox.db, row.story_id, row.channel_pk, now=now, not_before=retry_at)
    log.warning(
        "%s: the card of %s still shows its old count; its edit is retried in %.0fs",
        channel.key,
        row.story_id,
        delay,
    )

"""A channel its platform refuses (archived, the bot removed, a webhook deleted: a 403 or 404),
paused with the reason a person reads in /watchlist, `newsdigest channels list` and the log:
what happened, the adapter's fix if it knows one, and the config file's entry for a channel the
file declares. Nothing goes to it until it is resumed; its rows stay pending meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.delivery.adapter import PermanentDeliveryError
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


def pause_channel(
    outbox: Outbox,
    channel: ChannelRow,
    exc: PermanentDeliveryError,
    row: DeliveryRow,
    report: DrainReport,
) -> None:
    """The channel cannot take posts. Keep the row pending (nothing is lost) and pause the
    channel until someone fixes it and resumes it (/watchlist resume, `newsdigest channels
    resume`, or for a config channel a new `webhook_url`)."""
    store.release(outbox.db, row.id, now=outbox.clock(), next_attempt_at=None, error=str(exc))
    pause_refused(outbox, channel, exc, report)


def pause_reason(channel: ChannelRow, exc: PermanentDeliveryError, now: datetime) -> str:
    """'slack refused to post (Slack post: not_in_channel) on 2027-05-03 10:00 UTC: invite the
    bot ...; it is the config file's [[channels]] entry with id = "C0123"': what happened, the
    adapter's fix if it knows one, and, for a channel the file declares, which entry, since a
    wrong id or webhook URL is fixed there."""
    reason = f"{channel.platform} {channel_store.REFUSED_TO_POST}{exc}) on {now:%Y-%m-%d %H:%M} UTC"
    if exc.fix:
        reason += f": {exc.fix}"
    if channel.origin == "config":
        reason += (
            f"; it is the config file's [[channels]] entry with platform = "
            f'"{channel.platform}", id = "{channel.channel_id}"'
        )
    return reason


def pause_refused(
    outbox: Outbox, channel: ChannelRow, exc: PermanentDeliveryError, report: DrainReport
) -> None:
    """Pause the channel its platform refused (a post, a notice, a lookup), saying why."""
    now = outbox.clock()
    reason = pause_reason(channel, exc, now)
    channel_store.update_channel(outbox.db, channel.id, paused_reason=reason, paused_at=now)
    if outbox.on_pause is not None:
        outbox.on_pause(channel.id)
    report.paused.append(channel.key)
    log.error(
        "pausing channel %s: %s",
        channel.key,
        reason,
        extra={"event": "channel_paused", "channel": channel.key},
    )

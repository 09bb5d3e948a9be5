"""Sending the outbox's plain notices (`alerts`: a feed this channel relies on was disabled).

A notice is simpler than a story post: nothing threads on it and repeating one after a crash is
harmless, so it is sent at-least-once (`requeue_stale_alerts`) rather than reconciled.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.delivery.adapter import PermanentDeliveryError, TransientDeliveryError
from bot.runner.schedule import quiet_until
from bot.store import alerts as store
from bot.store import channels as channel_store

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox


async def send_alerts(outbox: Outbox, report: DrainReport) -> None:
    now = outbox.clock()
    for alert in store.due_alerts(outbox.db, now):
        channel = channel_store.get_channel_by_pk(outbox.db, alert.channel_pk)
        if channel is None or channel.paused_reason:
            continue
        if (sender := outbox.sender(channel, now)) is None:
            continue
        adapter, route = sender
        if (until := quiet_until(now, channel.quiet_hours, channel.timezone)) is not None:
            store.set_alert_state(outbox.db, alert.id, "pending", now=now, next_attempt_at=until)
            continue
        await outbox.pace_channel(channel.id)
        store.set_alert_state(outbox.db, alert.id, "sending", now=now)
        try:
            await adapter.post_text(channel, alert.text)
        except TransientDeliveryError as exc:
            # Unreachable, failing or refusing every post: the route's trouble, not the notice's,
            # so it waits with the route and is not given up (`bot.delivery.failures`).
            retry_at = outbox.outages.down(
                exc.route or route, exc, now=outbox.clock(), backoff=outbox.backoff
            )
            store.set_alert_state(
                outbox.db, alert.id, "pending", now=now, error=str(exc), next_attempt_at=retry_at
            )
        except PermanentDeliveryError as exc:
            store.set_alert_state(outbox.db, alert.id, "pending", now=now, error=str(exc))
            channel_store.update_channel(
                outbox.db, channel.id, paused_reason=f"{channel.platform} refused to post ({exc})"
            )
            report.paused.append(channel.key)
        except Exception as exc:
            state = "failed" if alert.attempts + 1 >= outbox.settings.max_attempts else "pending"
            retry = now + timedelta(seconds=outbox.backoff(alert.attempts + 1))
            store.set_alert_state(
                outbox.db, alert.id, state, now=now, error=str(exc), next_attempt_at=retry
            )
        else:
            outbox.outages.up(route)
            store.set_alert_state(outbox.db, alert.id, "sent", now=outbox.clock())
            report.alerts += 1

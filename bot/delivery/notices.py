"""Sending the outbox's plain notices (`alerts`: a feed this channel relies on was disabled).

A notice is simpler than a story post: nothing threads on it and repeating one is harmless, so it
is sent at-least-once rather than reconciled: after a crash (`requeue_stale_alerts`) and after a
failure that may have landed all the same (a timeout, a 5xx), it is resent unchecked, a rare
duplicate alert being accepted. Like every outbox row it is given up once queued longer than
`stale_after` (`bot.store.alerts.expire_stale`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.delivery.adapter import PermanentDeliveryError, TransientDeliveryError
from bot.runner.schedule import quiet_until
from bot.store import alerts as store
from bot.store import channels as channel_store

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


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
            # The route was taking posts when this went out (`sender` let it through, after this
            # drain's story posts), so the notice waits on its own backoff and does not hold its
            # route back: a notice the platform always chokes on would otherwise stop every
            # channel's posts on each retry. A real outage is found and shown by the posts that
            # fail too. No attempt is used; the stale rule ends a wait that never does.
            delay = exc.retry_after
            if delay is None:
                delay = outbox.backoff(alert.attempts + 1)
            store.set_alert_state(
                outbox.db,
                alert.id,
                "pending",
                now=now,
                error=str(exc),
                next_attempt_at=now + timedelta(seconds=delay),
            )
            log.warning(
                "notice %d to %s failed (%s); retrying in %.0fs", alert.id, channel.key, exc, delay
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

"""What `/healthz` reports about a running `Service`: scheduler state, last successful poll,
failing feeds, paused channels, platform errors and outages, and the outbox backlog. The server
that answers the request is `bot.runner.health`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store.database import iso, parse_iso

if TYPE_CHECKING:
    from bot.runner.service import Service


def service_health(service: Service) -> dict[str, Any]:
    failing = feed_store.failing_feeds(service.db)
    paused = [c for c in channel_store.list_channels(service.db) if c.paused_reason]
    counts = delivery_store.counts(service.db)
    last_ok = service.poller.last_success
    if last_ok is None:
        row = service.db.execute("SELECT MAX(last_success_at) FROM feeds").fetchone()
        last_ok = parse_iso(row[0]) if row and row[0] else None
    running = service.state == "running" and service.scheduler.running
    outages = {
        name: {
            "error": o.error,
            "since": iso(o.since),
            "next_retry": iso(o.retry_at),
            "failures": o.failures,
        }
        for name, o in service.outbox.outages.items()
    }
    degraded = bool(service.platform_errors or paused or outages)
    return {
        "status": ("degraded" if degraded else "ok") if running else service.state,
        "scheduler_running": running,
        "started_at": iso(service.started_at),
        "last_successful_poll": iso(last_ok),
        "polls_in_flight": len(service.poller.inflight),
        "failing_feeds": [
            {
                "id": f.id,
                "url": f.url,
                "consecutive_failures": f.consecutive_failures,
                "last_error": f.last_error,
                "disabled": f.disabled_reason,
            }
            for f in failing[:100]
        ],
        "pending_deliveries": counts["pending"] + counts["sending"],
        "deliveries": counts,
        "paused_channels": [{"channel": c.key, "reason": c.paused_reason} for c in paused],
        "platforms": sorted(service.outbox.adapters),
        "platform_errors": service.platform_errors,
        # A platform refusing every post (revoked token...): retried, no channel paused.
        "delivery_outages": outages,
        "jobs": len(service.scheduler.get_jobs()),
    }

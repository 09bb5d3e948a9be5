"""`GET /healthz`: a small JSON status for container health checks and humans; what it reports
(`service_health`) and the server that answers it (`HealthServer`).

200 when the scheduler is running; 503 otherwise (starting, stopping, or crashed). The body also
lists the last successful poll, failing feeds, paused channels and the outbox backlog.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store.database import iso, parse_iso

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


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


class HealthServer:
    def __init__(self, status: Callable[[], dict[str, Any]], *, host: str, port: int) -> None:
        self.status = status
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        server = site._server
        if server is not None and getattr(server, "sockets", None):
            self.port = server.sockets[0].getsockname()[1]
        log.info("health endpoint on http://%s:%d/healthz", self.host, self.port)
        return self.port

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            body = self.status()
        except Exception as exc:  # the health check must answer even when something is broken
            log.exception("health status failed")
            body = {"status": "error", "error": str(exc), "scheduler_running": False}
        code = 200 if body.get("scheduler_running") else 503
        return web.Response(
            status=code, text=json.dumps(body, default=str), content_type="application/json"
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

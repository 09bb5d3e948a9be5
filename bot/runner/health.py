"""`GET /healthz`: a small JSON status for container health checks and humans.

200 when the scheduler is running and nothing critical is wrong; 503 when it is not (starting,
stopping, or crashed) or when the body is `critical` (a database that refuses writes, polling that
stalled; see `bot.runner.status`). "degraded" with a 200 is chat trouble, listed in `problems`.
The body also lists the last successful poll, failing feeds, paused channels and the backlog.
Until the service exists (`newsdigest run` still loading its code and opening the database, see
`bot.runner.launch`), the body is only "starting" (`loading_status`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.runner.listen import bind_error
from bot.runner.settings import RunnerSettings, SettingsError
from bot.store.database import iso

log = logging.getLogger(__name__)


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
        try:
            await site.start()
        except OSError:
            # Port taken (or host not ours): release the runner; the caller reports it.
            await self.stop()
            raise
        # The bound port, for port 0 ("any free one").
        addresses = self._runner.addresses
        if addresses:
            self.port = addresses[0][1]
        log.info("health endpoint on http://%s:%d/healthz", self.host, self.port)
        return self.port

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            body = self.status()
        except Exception as exc:  # the health check must answer even when something is broken
            log.exception("health status failed")
            body = {"status": "error", "error": str(exc), "scheduler_running": False}
        code = 200 if body.get("scheduler_running") and not body.get("critical") else 503
        return web.Response(
            status=code, text=json.dumps(body, default=str), content_type="application/json"
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def start_health(
    settings: RunnerSettings, status: Callable[[], dict[str, Any]]
) -> HealthServer | None:
    """The health endpoint as the settings ask, answering with `status`; None when turned off.
    A host or port it cannot listen on fails the start, naming the variable: the health check is
    how a self-hoster supervises the bot, so running silently without it would hide the problem."""
    if settings.health_port is None:
        return None
    server = HealthServer(status, host=settings.health_host, port=settings.health_port)
    try:
        await server.start()
    except OSError as exc:
        raise SettingsError(
            bind_error(
                exc,
                host=settings.health_host,
                port=settings.health_port,
                host_var="NEWSDIGEST_HEALTH_HOST",
                port_var="NEWSDIGEST_HEALTH_PORT",
                port_hint="free the port, choose another, or set it to 'off'",
            )
        ) from None
    return server


def loading_status(started_at: datetime) -> dict[str, Any]:
    """The body while `run` is still loading its code and opening the database, before there is
    a service to report on (`bot.runner.launch`): starting, so an HTTP 503."""
    return {
        "status": "starting",
        "problems": [],
        "critical": False,
        "scheduler_running": False,
        "started_at": iso(started_at),
    }

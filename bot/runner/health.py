"""`GET /healthz`: a small JSON status for container health checks and humans.

200 when the scheduler is running and nothing critical is wrong; 503 when it is not (starting,
stopping, or crashed) or when the body is `critical` (a database that refuses writes, polling that
stalled; see `bot.runner.status`). "degraded" with a 200 is chat trouble, listed in `problems`.
The body also lists the last successful poll, failing feeds, paused channels and the backlog.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

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

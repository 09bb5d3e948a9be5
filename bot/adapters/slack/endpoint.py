"""HTTP mode's endpoint: POST /slack/events on aiohttp, the request signature checked (with an
injectable clock) before bolt sees the request, so a forged one costs no auth.test. Socket Mode
needs none of this."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import Clock, SignatureVerifier

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack's timestamps are Unix seconds (10 digits until the year 2286). str.isdigit() also passes
# '²' and strings too long for int(), which slack-sdk's verifier then raises on (a 500).
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class _FixedClock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class EventsEndpoint:
    def __init__(
        self, app: AsyncApp, *, signing_secret: str | None, clock: Callable[[], float]
    ) -> None:
        self.app = app
        self.verifier = (
            SignatureVerifier(signing_secret, clock=_FixedClock(clock)) if signing_secret else None
        )
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int:
        """Serve POST /slack/events; returns the bound port (useful with port 0)."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = int(self._runner.addresses[0][1])
        log.info("Slack: HTTP mode, listening on port %d at %s", bound, EVENTS_PATH)
        return bound

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(EVENTS_PATH, self.handle_http)
        return app

    async def handle_http(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if not self.signature_ok(raw, request.headers):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "body is not UTF-8"}, status=400)
        bolt_request = AsyncBoltRequest(
            body=body,
            query=request.query_string,
            headers={k.lower(): request.headers.getall(k) for k in request.headers},
        )
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    def signature_ok(self, raw: bytes, headers: Mapping[str, str]) -> bool:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if self.verifier is None or not TIMESTAMP.fullmatch(timestamp) or not signature:
            return False
        return self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)

"""Slack's Socket Mode connection: opened without slack-sdk's endless retries, and given up when
a reconnect's app-level token is refused (the runner is told; posting goes on with the bot token).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.adapters.slack.socket_watch import SocketWatch, sdk_logger

log = logging.getLogger(__name__)

# Also what /healthz shows, next to `slack` still listed under platforms: say what stopped.
APP_TOKEN_HELP = (
    "the app-level token no longer works, so slash commands and buttons are off (posts still go "
    "out with SLACK_BOT_TOKEN): put a new one (Basic Information > App-Level Tokens) in "
    "SLACK_APP_TOKEN and restart newsdigest"
)

# slack-sdk's ping, and its retry of a lost connection, every this many seconds (slack-bolt's).
PING_INTERVAL = 10.0


class SocketConnection:
    """One Socket Mode connection of the app, from `start` to `close`."""

    def __init__(
        self,
        app: AsyncApp,
        app_token: str,
        *,
        connect_timeout: float,
        on_auth_lost: Callable[[str], object] | None,
        on_back: Callable[[], object] | None = None,
    ) -> None:
        self.app = app
        self.app_token = app_token
        # How long the websocket may take to open once Slack gave us its URL.
        self.connect_timeout = connect_timeout
        # The runner's hook for a token refused on a reconnect, with the reason.
        self.on_auth_lost = on_auth_lost
        self.handler: Any = None  # slack-bolt's AsyncSocketModeHandler, while open
        self._closing: set[asyncio.Task[None]] = set()
        # The runner's hook for the connection coming back after a drop (`SocketWatch`).
        self.on_back = on_back
        self.watch: SocketWatch | None = None  # while open
        self._watching: asyncio.Task[None] | None = None

    async def start(self) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self.handler = handler = AsyncSocketModeHandler(
            self.app, self.app_token, logger=sdk_logger(), ping_interval=PING_INTERVAL
        )
        try:
            # slack-sdk's connect() retries *every* exception forever ("Retrying..."), so a
            # revoked app token would hang start() and the whole service behind it. Asking for
            # the websocket URL ourselves first raises the SlackApiError (invalid_auth...) the
            # runner treats as fatal, or a connection error it retries; connect() then reuses it.
            handler.client.wss_uri = await handler.client.issue_new_wss_url()
            # The websocket itself can still fail (unreachable, URL expired): bounded, so the
            # runner's backoff takes over instead of slack-sdk's endless loop.
            await asyncio.wait_for(handler.connect_async(), self.connect_timeout)
        except BaseException:
            await self._close_handler()
            raise
        self._watch_reconnects(handler)
        self.watch = SocketWatch(handler.client.is_connected, on_back=self.on_back)
        self._watching = asyncio.create_task(self.watch.run(), name="slack-socket-watch")
        log.info("Slack: Socket Mode connected")

    def problem(self) -> tuple[datetime, str] | None:
        """(since when, what) while the connection has been down for more than a moment."""
        return self.watch.problem() if self.watch is not None else None

    def _watch_reconnects(self, handler: Any) -> None:
        """Give up Socket Mode when a reconnect's token is refused.

        Once connected, slack-sdk reconnects by itself whenever the websocket drops, asking
        apps.connections.open for a new URL each time and retrying every error forever; a
        revoked app token would make that an endless loop of log lines. An auth error there
        closes the client instead and tells the runner, which reports it; other errors (Slack
        unreachable for a while) are still left to slack-sdk's retries."""
        client = handler.client
        issue_new_wss_url = client.issue_new_wss_url

        async def issue_checked() -> str:
            try:
                url: str = await issue_new_wss_url()
            except SlackApiError as exc:
                code = str(exc.response.get("error") or "")
                if code in AUTH_ERRORS and handler is self.handler:
                    self._auth_lost(client, code)
                raise
            return url

        client.issue_new_wss_url = issue_checked

    def _auth_lost(self, client: Any, code: str) -> None:
        # Stop slack-sdk's loops at once (they check `closed`); the close itself runs in a task
        # of its own, since it cancels the very task this is called from.
        client.closed = True
        client.auto_reconnect_enabled = False
        task = asyncio.create_task(self._close_handler(), name="slack-socket-close")
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
        reason = f"Slack Socket Mode reconnect (apps.connections.open): {code}; {APP_TOKEN_HELP}"
        if self.on_auth_lost is None:
            log.error("Slack: stopped, not retrying: %s", reason)
            return
        try:
            self.on_auth_lost(reason)
        except Exception:
            log.exception("Slack: reporting the refused token to the runner failed")

    async def _close_handler(self) -> None:
        watching, self._watching, self.watch = self._watching, None, None
        if watching is not None:
            watching.cancel()
        handler, self.handler = self.handler, None
        if handler is not None:
            try:
                await handler.close_async()
            except Exception:
                # Closing a half-open connection may fail; the original error matters more.
                log.warning("Slack: closing the Socket Mode connection failed", exc_info=True)

    async def close(self) -> None:
        await self._close_handler()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

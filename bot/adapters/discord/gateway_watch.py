"""Whether the bot's Discord gateway is connected, told once each way.

discord.py reconnects a dropped gateway by itself, with a backoff that grows to minutes, and
says so only in its own log; meanwhile slash commands and buttons get no answer, while posts
(over REST, or a channel's webhook) may go on fine, so nothing else in /healthz notices.
`GatewayWatch` reads the client's websocket every few seconds (no request: it looks at the
socket the client holds): a gateway down longer than `DOWN_GRACE` is one WARNING and a problem in
/healthz, with since when, and its return one INFO; a routine reconnect (Discord asks for one now
and then), over within the grace, says nothing. Each return also calls `on_back`: a connected
gateway shows Discord is reachable again, so the runner retries the posts waiting out Discord's
backoff then rather than up to an hour later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import discord

from bot.store.database import utcnow

log = logging.getLogger(__name__)

# How often the gateway is looked at, and how long it may be down before anyone is told: the
# same as Slack's Socket Mode (`bot.adapters.slack.socket_watch`).
WATCH_INTERVAL = 5.0
DOWN_GRACE = 45.0

# Posting, the bot's included, is REST and goes on: said, or readers take every channel to wait.
DOWN = (
    "gateway disconnected: slash commands and buttons get no answer until it is back"
    " (posts from the bot and from webhooks do not need it and go on over REST)"
)


def gateway_open(client: discord.Client) -> bool:
    """Whether the client's gateway websocket is open. While discord.py waits to reconnect, or
    fails to, the client still holds the last socket, closed."""
    ws = client.ws
    return ws is not None and ws.open and not client.is_closed()


class GatewayWatch:
    """The gateway's state, from `is_connected`, polled by `run`."""

    def __init__(
        self,
        is_connected: Callable[[], bool],
        *,
        on_back: Callable[[], object] | None = None,
        interval: float | None = None,
        grace: float | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.is_connected = is_connected
        self.on_back = on_back
        # Read here, not as defaults, so a test can shorten the module's values.
        self.interval = WATCH_INTERVAL if interval is None else interval
        self.grace = DOWN_GRACE if grace is None else grace
        self.clock = clock
        self.down_since: datetime | None = None
        self.warned = False

    def problem(self) -> tuple[datetime, str] | None:
        """(since when, what) while the gateway has been down longer than the grace."""
        since = self.down_since
        if since is None or (self.clock() - since).total_seconds() < self.grace:
            return None
        return since, DOWN

    def check(self) -> None:
        try:
            up = self.is_connected()
        except Exception:  # a client being torn down: take it as down for now
            up = False
        now = self.clock()
        if up:
            if self.down_since is None:
                return
            if self.warned:
                log.info(
                    "Discord: gateway connection back after %.0fs",
                    (now - self.down_since).total_seconds(),
                    extra={"event": "discord_gateway_up"},
                )
            self.down_since, self.warned = None, False
            self._back()
            return
        if self.down_since is None:
            self.down_since = now
        elif not self.warned and (now - self.down_since).total_seconds() >= self.grace:
            self.warned = True
            since, what = self.problem() or (self.down_since, DOWN)
            log.warning(
                "Discord: %s, since %s UTC",
                what,
                f"{since:%Y-%m-%d %H:%M:%S}",
                extra={"event": "discord_gateway_down"},
            )

    def _back(self) -> None:
        if self.on_back is None:
            return
        try:
            self.on_back()
        except Exception:
            log.exception("Discord: telling the runner the gateway is back failed")

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.check()

"""The bot's Discord gateway for `ConnectionWatch`: whether it is connected, told once each way.

discord.py reconnects a dropped gateway by itself, with a backoff that grows to minutes, and
says so only in its own log; meanwhile slash commands and buttons get no answer, while posts
(over REST, or a channel's webhook) may go on fine, so nothing else in /healthz notices.
`GatewayWatch` is `bot.adapters.connection_watch.ConnectionWatch` on `gateway_open` (the socket
the client holds). Its `on_back` matters here too: a gateway back after an outage (one declared,
past the grace) shows Discord is reachable again, so the runner retries the posts waiting out
Discord's backoff then rather than up to an hour later. A routine reconnect (Discord asks for one
now and then) shows nothing of the kind, so it retries nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import discord

from bot.adapters import connection_watch
from bot.adapters.connection_watch import ConnectionWatch
from bot.store.database import utcnow

log = logging.getLogger(__name__)

# Discord's own, so a test can shorten them here (they are read as a watch starts).
WATCH_INTERVAL = connection_watch.WATCH_INTERVAL
DOWN_GRACE = connection_watch.DOWN_GRACE

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


class GatewayWatch(ConnectionWatch):
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
        super().__init__(
            is_connected,
            platform="Discord",
            connection="gateway connection",
            it="gateway",
            event="discord_gateway",
            down=lambda: DOWN,
            log=log,
            on_back=on_back,
            outage_only=True,
            # Read here, not as defaults, so a test can shorten the module's values.
            interval=WATCH_INTERVAL if interval is None else interval,
            grace=DOWN_GRACE if grace is None else grace,
            clock=clock,
        )

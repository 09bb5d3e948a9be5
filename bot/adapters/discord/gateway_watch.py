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

import discord

from bot.adapters.connection_watch import ConnectionWatch

log = logging.getLogger(__name__)

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

    platform = "Discord"
    connection = "gateway connection"
    it = "gateway"
    event = "discord_gateway"
    log = log
    outage_only = True

    def down(self) -> str:
        return DOWN

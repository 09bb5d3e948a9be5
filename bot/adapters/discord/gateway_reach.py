"""The bot's gateway out of reach (DNS, a refused or timed-out connection, TLS, a proxy's error
page) while Discord's REST API answers, said in one line naming the gateway.

discord.py handles it badly in two places. Its connect loop logs every failed attempt with
`_log.exception`, some 60 lines of traceback at ERROR per retry; and when the very first
connection fails it then trips over its own missing websocket (`self.ws.sequence` on None),
so a start failed with `AttributeError: 'NoneType' object has no attribute 'sequence'`.

- `connect` runs the client's gateway loop in a context that says whose loop it is, so the
  filter on discord.py's logger (`quiet_gateway_tracebacks`) can tell a start's attempt, which
  `DiscordPlatform.start` reports itself, from a reconnect of a running bot, said in one line:
  `Discord gateway wss://gateway.discord.gg/ cannot be reached: <why>; discord.py tries again in
  12.3 s` (event `discord_gateway_unreachable`). Other errors keep their traceback.
- `unreachable` turns the start's AttributeError (or any failure whose cause is the network)
  into a `GatewayUnreachable`, a ConnectionError: the runner logs it in one line and retries.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from dataclasses import dataclass

import aiohttp
import discord
import yarl

# discord.py's logger and message for a failed connection attempt (discord/client.py, connect).
CLIENT_LOGGER = "discord.client"
RECONNECT_MESSAGE = "Attempting a reconnect in %.2fs"

# What the network raises under aiohttp: no name resolution, refused or reset, TLS (all
# OSError), a handshake a proxy or load balancer answered with an error page (ClientError), a
# timeout (discord.py waits 60 s for the socket).
NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, aiohttp.ClientError, TimeoutError)


class GatewayUnreachable(ConnectionError):
    """The gateway cannot be reached; the message names it and says why."""


@dataclass(slots=True)
class GatewayRun:
    """One client's gateway loop: `started` once the bot was ready at least once."""

    client: discord.Client
    started: bool = False

    def url(self) -> yarl.URL:
        """The gateway it connects to: the one it was told to resume at, else the default
        (discord.py's `DEFAULT_GATEWAY`, or `DISCORD_GATEWAY_URL`)."""
        ws = getattr(self.client, "ws", None)
        gateway = getattr(ws, "gateway", None) if ws is not None else None
        if isinstance(gateway, yarl.URL):
            return gateway
        return discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


_RUN: contextvars.ContextVar[GatewayRun | None] = contextvars.ContextVar(
    "discord_gateway_run", default=None
)


def connect(client: discord.Client) -> tuple[asyncio.Task[None], GatewayRun]:
    """Start `client`'s gateway loop (reconnecting by itself) as a task whose log lines know
    it; set the run's `started` once the bot is ready."""
    run = GatewayRun(client)
    context = contextvars.copy_context()
    context.run(_RUN.set, run)
    task = asyncio.create_task(
        client.connect(reconnect=True), name="discord-gateway", context=context
    )
    return task, run


def network_cause(exc: BaseException) -> BaseException | None:
    """The network error behind `exc`, itself or one it was raised from or while handling."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, NETWORK_ERRORS):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def why(exc: BaseException) -> str:
    """A network error in a few words: aiohttp's message (which names the host), else its type."""
    if isinstance(exc, TimeoutError) and not str(exc):
        return "timed out"
    return str(exc) or type(exc).__name__


def unreachable(exc: BaseException, run: GatewayRun) -> GatewayUnreachable | None:
    """`exc`, the gateway loop's end before the bot was ready, as a GatewayUnreachable when the
    network caused it; None for anything else."""
    cause = network_cause(exc)
    if cause is None:
        return None
    error = GatewayUnreachable(f"Discord gateway {run.url()} cannot be reached: {why(cause)}")
    error.__cause__, error.__suppress_context__ = cause, True
    return error


class _ReconnectLine(logging.Filter):
    """discord.py's failed attempt, as above: dropped while a start is connecting, one line
    without its traceback once the bot ran; any other record passes as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != RECONNECT_MESSAGE or not record.exc_info:
            return True
        cause = network_cause(record.exc_info[1]) if record.exc_info[1] else None
        run = _RUN.get()
        if cause is None or run is None:
            return True
        if not run.started:
            return False  # the start fails with it, and says so in one line
        delay = record.args[0] if isinstance(record.args, tuple) and record.args else 0.0
        record.msg = "Discord gateway %s cannot be reached: %s; discord.py tries again in %.1f s"
        record.args = (str(run.url()), why(cause), delay)
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.event = "discord_gateway_unreachable"
        return True


_FILTER = _ReconnectLine()


def quiet_gateway_tracebacks() -> None:
    """Install the filter on discord.py's client logger; safe to call again."""
    logger = logging.getLogger(CLIENT_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)

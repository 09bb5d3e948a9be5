"""Whether Slack's Socket Mode connection is up, told once each way, and slack-sdk's reconnect loop
kept out of the log.

While Slack cannot be reached, slack-sdk retries the websocket every ping interval and logs an
ERROR each time ("Failed to check the current session ... or reconnect", about 360 lines an
hour), while posts, which use the Web API, may go on fine. `SocketWatch` instead reads the client's
own `is_connected()` every few seconds (no request: it looks at the session it holds): a
connection down longer than `DOWN_GRACE` is one WARNING and a problem in /healthz, with since
when, and its return one INFO; a routine reconnect, over within the grace, says nothing. Each
return also calls `on_back` (the runner retries Slack's queued posts then, not at the end of
their backoff).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.store.database import utcnow

log = logging.getLogger(__name__)

# How often the connection is looked at, and how long it may be down before anyone is told: a
# reconnect (Slack refreshes its sockets every few hours) takes a second or two.
WATCH_INTERVAL = 5.0
DOWN_GRACE = 45.0
# The logger slack-sdk's Socket Mode client is given (slack-bolt would give it the app's).
SDK_LOGGER = "slack_sdk.socket_mode.aiohttp"
# What slack-sdk logs at every retry while the connection is down; `SocketWatch` says it once.
RECONNECT_NOISE = (
    "Failed to check the current session",
    "Failed to connect",
    "Failed to retrieve WSS URL",
    "Failed to send a ping message",
)
# Its receiving loop's error, when what failed is the reconnect after Slack closed the socket
# (apps.connections.open refused, Slack not reached); any other error there is still logged.
RECEIVE_ERROR = "Failed to receive or enqueue a message: "
RECONNECT_ERRORS = ("SlackApiError", "Client", "ServerDisconnectedError", "TimeoutError")


class _ReconnectNoise(logging.Filter):
    """Drops the reconnect loop's lines, keeping the last one's text for the WARNING."""

    def __init__(self) -> None:
        super().__init__()
        self.last: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        reconnecting = message.startswith(RECEIVE_ERROR) and message[
            len(RECEIVE_ERROR) :
        ].startswith(RECONNECT_ERRORS)
        if not (reconnecting or message.startswith(RECONNECT_NOISE)):
            return True
        self.last = " ".join(message.split())  # one line: Slack's answer comes on a second
        return False


_NOISE = _ReconnectNoise()


def sdk_logger() -> logging.Logger:
    """The logger for slack-sdk's Socket Mode client: its reconnect loop dropped, and its INFO
    about each session (new, abandoned) left out, as `SocketWatch` says what matters."""
    logger = logging.getLogger(SDK_LOGGER)
    if _NOISE not in logger.filters:
        logger.addFilter(_NOISE)
    logger.setLevel(logging.WARNING)
    return logger


class SocketWatch:
    """The connection's state, from `is_connected` (slack-sdk's client's), polled by `run`."""

    def __init__(
        self,
        is_connected: Callable[[], Awaitable[bool]],
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
        """(since when, what) while the connection has been down longer than the grace."""
        since = self.down_since
        if since is None or (self.clock() - since).total_seconds() < self.grace:
            return None
        what = (
            "Socket Mode disconnected: slash commands and buttons get no answer until it is "
            "back (posts still go out)"
        )
        return since, f"{what}; last error: {_NOISE.last}" if _NOISE.last else what

    async def check(self) -> None:
        try:
            up = await self.is_connected()
        except Exception:  # a client being replaced: take it as down for now
            up = False
        now = self.clock()
        if up:
            if self.down_since is None:
                return
            if self.warned:
                log.info(
                    "Slack: Socket Mode connection back after %.0fs",
                    (now - self.down_since).total_seconds(),
                    extra={"event": "slack_socket_up"},
                )
            self.down_since, self.warned = None, False
            self._back()
            return
        if self.down_since is None:
            self.down_since, _NOISE.last = now, None
        elif not self.warned and (now - self.down_since).total_seconds() >= self.grace:
            self.warned = True
            since, what = self.problem() or (self.down_since, "")
            log.warning(
                "Slack: %s, since %s UTC",
                what,
                f"{since:%Y-%m-%d %H:%M:%S}",
                extra={"event": "slack_socket_down"},
            )

    def _back(self) -> None:
        if self.on_back is None:
            return
        try:
            self.on_back()
        except Exception:
            log.exception("Slack: telling the runner the connection is back failed")

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

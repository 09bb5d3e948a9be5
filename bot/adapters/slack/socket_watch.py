"""Slack's Socket Mode connection for `ConnectionWatch`, and slack-sdk's reconnect loop kept out of
the log.

While Slack cannot be reached, slack-sdk retries the websocket every ping interval and logs an
ERROR each time ("Failed to check the current session ... or reconnect", about 360 lines an
hour), while posts, which use the Web API, may go on fine. `sdk_logger` drops those lines, keeping
the last one's text; `SocketWatch` is `bot.adapters.connection_watch.ConnectionWatch` on the
client's own `is_connected()`, whose WARNING and /healthz problem name that last error.
"""

from __future__ import annotations

import logging

from bot.adapters.connection_watch import ConnectionWatch

log = logging.getLogger(__name__)

DOWN = (
    "Socket Mode disconnected: slash commands and buttons get no answer until it is "
    "back (posts still go out)"
)
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


class SocketWatch(ConnectionWatch):
    """The connection's state, from `is_connected` (slack-sdk's client's), polled by `run`."""

    platform = "Slack"
    connection = "Socket Mode connection"
    it = "connection"
    event = "slack_socket"
    log = log

    def down(self) -> str:
        return f"{DOWN}; last error: {_NOISE.last}" if _NOISE.last else DOWN

    def on_drop(self) -> None:
        # A new drop's WARNING names its own reconnect's error, not one from a drop before.
        _NOISE.last = None

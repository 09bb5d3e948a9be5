"""Whether a chat platform's live connection is up, told once each way.

Slack's Socket Mode and Discord's gateway both reconnect by themselves and say so only in their
own logs (Slack's at every retry), while slash commands and buttons get no answer and posts, over
the platforms' REST APIs, may go on fine. `ConnectionWatch` asks the client whether it is
connected every few seconds (no request: it looks at the socket the client holds): a connection
down longer than the grace is one WARNING and a problem in /healthz, with since when, and its
return one INFO; a routine reconnect, over within the grace, says nothing. A return calls `on_back`
(the runner retries the platform's queued posts then, not at the end of their backoff): every
return, or with `outage_only` only the end of a drop that was declared (logged as down), as a
routine reconnect then says nothing about the routes.
The platform modules (`slack.socket_watch`, `discord.gateway_watch`) give it what they know.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import ClassVar

from bot.store.database import utcnow

# How often the connection is looked at, and how long it may be down before anyone is told: a
# reconnect (Slack refreshes its sockets every few hours, Discord asks for one now and then)
# takes a second or two.
WATCH_INTERVAL = 5.0
DOWN_GRACE = 45.0


class ConnectionWatch:
    """One platform connection's state, from `is_connected` (sync or async), polled by `run`.

    A platform's watch says, as class attributes, who it is: `platform` and `connection` make
    the log lines ("Slack: Socket Mode connection back after …"), `it` the failed `on_back`'s
    ("telling the runner the connection is back failed"), `event` their events (`<event>_down`,
    `<event>_up`); the records go to `log`, the platform's. `down()` gives the problem's text
    when asked, and `on_drop()` runs once as a drop starts. `on_back` runs at each return, or
    with `outage_only` only at the end of a declared outage.
    """

    platform: ClassVar[str]
    connection: ClassVar[str]
    it: ClassVar[str]
    event: ClassVar[str]
    log: ClassVar[logging.Logger]
    outage_only: ClassVar[bool] = False

    def __init__(
        self,
        is_connected: Callable[[], Awaitable[bool] | bool],
        *,
        on_back: Callable[[], object] | None = None,
        interval: float | None = None,
        grace: float | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.is_connected = is_connected
        self.on_back = on_back
        # Read as a watch starts, not as defaults, so a test can shorten the module's values.
        self.interval = WATCH_INTERVAL if interval is None else interval
        self.grace = DOWN_GRACE if grace is None else grace
        self.clock = clock
        self.down_since: datetime | None = None
        self.warned = False

    def down(self) -> str:
        """What is wrong while the connection is down, for the log and /healthz."""
        raise NotImplementedError

    def on_drop(self) -> None:
        """Runs once as a drop starts."""

    def problem(self) -> tuple[datetime, str] | None:
        """(since when, what) while the connection has been down longer than the grace."""
        since = self.down_since
        if since is None or (self.clock() - since).total_seconds() < self.grace:
            return None
        return since, self.down()

    def seen(self, up: bool) -> None:
        """Takes one look's answer: a drop starts, goes past the grace, or ends."""
        now = self.clock()
        if up:
            if self.down_since is None:
                return
            declared = self.warned
            if declared:
                self.log.info(
                    f"{self.platform}: {self.connection} back after %.0fs",
                    (now - self.down_since).total_seconds(),
                    extra={"event": f"{self.event}_up"},
                )
            self.down_since, self.warned = None, False
            if declared or not self.outage_only:
                self._back()
            return
        if self.down_since is None:
            self.down_since = now
            self.on_drop()
        elif not self.warned and (now - self.down_since).total_seconds() >= self.grace:
            self.warned = True
            since, what = self.problem() or (self.down_since, self.down())
            self.log.warning(
                f"{self.platform}: %s, since %s UTC",
                what,
                f"{since:%Y-%m-%d %H:%M:%S}",
                extra={"event": f"{self.event}_down"},
            )

    async def check(self) -> None:
        """One look, awaiting `is_connected` if it is async."""
        try:
            up = self.is_connected()
            if inspect.isawaitable(up):
                up = await up
        except Exception:  # a client being replaced or torn down: take it as down for now
            up = False
        self.seen(bool(up))

    def _back(self) -> None:
        if self.on_back is None:
            return
        try:
            self.on_back()
        except Exception:
            self.log.exception(f"{self.platform}: telling the runner the {self.it} is back failed")

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

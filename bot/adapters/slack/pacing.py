"""Our own pace of posting to a Slack channel: about one message a second, Slack's documented
posting rate, so a long digest does not provoke a 429 in the first place; other channels are not
held up meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


class ChannelPacer:
    """At most one post per `interval` seconds per channel; other channels are not held up."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    async def run(self, channel_id: str, call: Callable[[], Awaitable[Any]]) -> Any:
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            last = self._last.get(channel_id)
            if last is not None:
                wait = self.interval - (self._clock() - last)
                if wait > 0:
                    await self._sleep(wait)
            try:
                return await call()
            finally:
                self._last[channel_id] = self._clock()

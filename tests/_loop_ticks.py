"""How often the event loop got to run while some awaited work was in progress.

A blocked loop does not tick: tests that claim "this runs off the event loop" count ticks of a
20 ms timer across the work and expect a handful.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class LoopTicks:
    """`async with LoopTicks() as ticks: await work()`, then `ticks.count`."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.count = 0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.count += 1

    async def __aenter__(self) -> LoopTicks:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._task is not None
        self._task.cancel()

"""A request a fake platform holds unanswered until the test opens it: in flight meanwhile, for
a test to change something under the bot's feet (a mode switch while a heading is being posted)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class Gate:
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    async def through(self) -> None:
        """The fake's side: say the request arrived, then wait for the test to open."""
        self.entered.set()
        await self.opened.wait()

    async def arrived(self, timeout: float = 5.0) -> None:
        """The test's side: the request is in flight."""
        await asyncio.wait_for(self.entered.wait(), timeout)

    def open(self) -> None:
        self.opened.set()

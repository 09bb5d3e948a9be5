"""A ChatAdapter that talks to `FakeChatServer` over real HTTP, with crash hooks for the SIGKILL
tests: NEWSDIGEST_FAKE_CRASH="before:N" kills the process just before its Nth post request,
"after:N" just after the Nth post landed (the response read, nothing recorded yet)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import httpx

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage
from bot.store.channels import ChannelRow


class HttpChatAdapter:
    def __init__(self, base_url: str, *, platform: str = "slack") -> None:
        self.platform = platform
        self.client = httpx.AsyncClient(base_url=base_url, timeout=5)
        when, _, count = os.environ.get("NEWSDIGEST_FAKE_CRASH", "").partition(":")
        self.crash_when = when or None
        self.crash_at = int(count) if count else 0
        # Counted separately: posts to two channels run concurrently.
        self.started = 0
        self.landed = 0

    def _maybe_die(self, moment: str, count: int) -> None:
        if self.crash_when == moment and count == self.crash_at:
            os.kill(os.getpid(), signal.SIGKILL)

    async def _post(self, channel: ChannelRow, payload: dict[str, object]) -> str:
        self.started += 1
        self._maybe_die("before", self.started)
        response = await self.client.post("/post", json={"channel": channel.channel_id, **payload})
        response.raise_for_status()
        self.landed += 1
        self._maybe_die("after", self.landed)
        return str(response.json()["ref"])

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        ref = await self._post(
            channel, {"story_id": card.story_id, "nonce": nonce, "kind": "card", "thread": None}
        )
        return PostedMessage(ref, ref)

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        ref = await self._post(
            channel,
            {
                "story_id": card.story_id,
                "nonce": nonce,
                "kind": "update",
                "thread": posted.thread_ref,
            },
        )
        return PostedMessage(ref, posted.thread_ref)

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
    ) -> None:
        if start:
            return  # one message, posted already
        await self._post(channel, {"story_id": None, "nonce": "", "kind": "text", "thread": None})

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        if channel.channel_id.startswith("D"):
            return None  # Discord: resend with the same nonce; the server de-duplicates
        response = await self.client.get("/history", params={"channel": channel.channel_id})
        response.raise_for_status()
        for message in response.json():
            if message["nonce"] == nonce and message["story_id"] == story_id:
                return PostedMessage(message["ref"], message["ref"])
        return None

"""An in-memory chat platform for tests: records every post, can fail on demand, and can behave
like Slack (history searchable by message metadata) or Discord (server-side nonce de-duplication).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage
from bot.store.channels import ChannelRow


@dataclass(slots=True)
class FakeMessage:
    ref: str
    channel_id: str
    kind: str  # "card", "update" or "text"
    text: str
    story_id: str | None = None
    nonce: str | None = None
    thread_ref: str | None = None
    source_count: int = 0
    new_outlets: list[str] = field(default_factory=list)


class FakeChatAdapter:
    def __init__(
        self, platform: str = "slack", *, searchable: bool = True, dedupe_nonce: bool = False
    ) -> None:
        self.platform = platform
        self.searchable = searchable
        self.dedupe_nonce = dedupe_nonce
        self.messages: list[FakeMessage] = []
        self.edits: list[tuple[str, int]] = []
        # Exceptions to raise from the next calls, in order (None = succeed).
        self.failures: list[Exception | None] = []
        # Exceptions to raise after the next posts landed (a timeout on the response).
        self.failures_after: list[Exception | None] = []
        # Exceptions to raise from the next edits of a card, in order (None = succeed).
        self.edit_failures: list[Exception | None] = []
        self.calls = 0
        # find_posted calls: (kind, nonce, parent).
        self.lookups: list[tuple[str, str, PostedMessage | None]] = []
        self._ids = itertools.count(1)

    def _maybe_fail(self) -> None:
        self.calls += 1
        if self.failures:
            exc = self.failures.pop(0)
            if exc is not None:
                raise exc

    def _maybe_fail_after(self) -> None:
        if self.failures_after:
            exc = self.failures_after.pop(0)
            if exc is not None:
                raise exc

    def _by_nonce(self, nonce: str) -> FakeMessage | None:
        return next((m for m in self.messages if m.nonce == nonce), None)

    def cards(self, channel_id: str | None = None) -> list[FakeMessage]:
        return [
            m
            for m in self.messages
            if m.kind == "card" and (channel_id is None or m.channel_id == channel_id)
        ]

    def updates(self) -> list[FakeMessage]:
        return [m for m in self.messages if m.kind == "update"]

    def texts(self) -> list[FakeMessage]:
        return [m for m in self.messages if m.kind == "text"]

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        self._maybe_fail()
        if self.dedupe_nonce and (old := self._by_nonce(nonce)):
            return PostedMessage(old.ref, old.ref)
        ref = f"m{next(self._ids)}"
        self.messages.append(
            FakeMessage(
                ref=ref,
                channel_id=channel.channel_id,
                kind="card",
                text=card.headline,
                story_id=card.story_id,
                nonce=nonce,
                thread_ref=ref,
                source_count=card.source_count,
            )
        )
        self._maybe_fail_after()
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
        self._maybe_fail()
        if self.dedupe_nonce and (old := self._by_nonce(nonce)):
            return PostedMessage(old.ref, posted.thread_ref)
        ref = f"m{next(self._ids)}"
        self.messages.append(
            FakeMessage(
                ref=ref,
                channel_id=channel.channel_id,
                kind="update",
                text=card.headline,
                story_id=card.story_id,
                nonce=nonce,
                thread_ref=posted.thread_ref,
                source_count=card.source_count,
                new_outlets=list(new_outlets),
            )
        )
        # As the real adapters do: the card is edited once the reply's answer is in, so an
        # answer lost leaves the card unedited.
        self._maybe_fail_after()
        try:
            await self.refresh_card(channel, posted, card)
        except Exception:  # as the real adapters do: the reply stands, the edit is owed
            return PostedMessage(ref, posted.thread_ref, card_unedited=True)
        return PostedMessage(ref, posted.thread_ref)

    async def refresh_card(
        self, channel: ChannelRow, posted: PostedMessage, card: StoryCard
    ) -> None:
        if self.edit_failures and (exc := self.edit_failures.pop(0)) is not None:
            raise exc
        self.edits.append((posted.message_ref, card.source_count))

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
        self._maybe_fail()
        self.messages.append(
            FakeMessage(
                ref=f"m{next(self._ids)}", channel_id=channel.channel_id, kind="text", text=text
            )
        )
        if posted is not None:
            posted(1)

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        self.lookups.append((kind, nonce, parent))
        if not self.searchable:
            return None
        found = self._by_nonce(nonce)
        wanted = "update" if kind == "update" else "card"
        if found is None or found.story_id != story_id or found.kind != wanted:
            return None
        if kind == "update" and (parent is None or found.thread_ref != parent.thread_ref):
            return None
        return PostedMessage(found.ref, found.thread_ref)

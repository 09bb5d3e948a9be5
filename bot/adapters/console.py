"""The console "chat platform": cards printed to the terminal with the rich renderer.

It lets anyone run `newsdigest run` without a Slack or Discord app and watch digests arrive. There
is no history to search, so after a crash a card may be printed again; that is harmless here. The
chat commands are typed into a console channel with `newsdigest chat` (`console_chat` draws the
replies, with the same renderer).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from bot.cards import DIGEST_TITLE, StoryCard, StoryUpdate
from bot.delivery.adapter import PostedMessage
from bot.render.console import render_card_console
from bot.render.literal import unmarked
from bot.render.text import clean, local_time
from bot.store.channels import ChannelRow
from bot.textutil import plural


def _shown(channel: ChannelRow) -> str:
    name = clean(channel.name or channel.channel_id)
    # A name written as Slack shows it ("#news", as the README's examples are) keeps its '#'.
    return name if name.startswith("#") else f"#{name}"


class ConsoleAdapter:
    platform = "console"

    def __init__(self, file: TextIO | None = None, *, width: int | None = None) -> None:
        # No emoji codes: a feed's ":warning:" prints as written (see bot.cli.output).
        self.console = Console(file=file, width=width, soft_wrap=False, emoji=False)
        self._ids = itertools.count(1)
        # Channels whose digest heading is showing: their cards go under it, unlabelled while
        # nothing of another channel came between (`_last`, the channel printed last).
        self._headed: set[int] = set()
        self._last: int | None = None

    def _header(self, channel: ChannelRow, label: str) -> None:
        self.console.print(Text(f"{_shown(channel)} · {label}", style="dim"))
        self._last = channel.id

    def begin_digest(self, channel: ChannelRow, count: int, at: datetime) -> None:
        """The heading `newsdigest digest CHANNEL` prints, before a scheduled digest's cards
        (which were each labelled "new story", as if posted on their own)."""
        heading = f"{DIGEST_TITLE} · {_shown(channel)} · {local_time(at, channel.timezone)}"
        stories = plural(count, "story", "stories")
        self.console.print(Rule(Text(f"{heading} · {stories}", style="bold")))
        self._headed.add(channel.id)
        self._last = channel.id

    def end_digest(self, channel: ChannelRow) -> None:
        self._headed.discard(channel.id)

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        if channel.id not in self._headed:
            self._header(channel, "new story")
        elif self._last != channel.id:
            # Another channel's post came between: this card would read as part of it.
            self._header(channel, f"{DIGEST_TITLE.lower()}, continued")
        render_card_console(card, self.console)
        ref = f"console-{next(self._ids)}"
        return PostedMessage(message_ref=ref, thread_ref=ref)

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        self._header(channel, f"update to {posted.message_ref}")
        update = StoryUpdate.of(card, new_outlets)
        self.console.print(Text(f"↳ {clean(update.title)} — {update.lead(clean)}"))
        return PostedMessage(message_ref=f"console-{next(self._ids)}", thread_ref=posted.thread_ref)

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
            return  # one piece, printed already
        self._header(channel, "notice")
        self.console.print(Text(clean(unmarked(text))))

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        return None

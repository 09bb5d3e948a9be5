"""What every command module shares: who asked where, the reply, and the usage error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.cards import Digest, StoryCard
from bot.store.channels import ChannelRow


@dataclass(slots=True)
class CommandContext:
    platform: str
    channel_id: str
    user_id: str
    channel_name: str | None = None
    # Set by the adapter from the platform's own notion of an admin (workspace admin, a
    # configured user group, Manage Server, a configured role).
    is_admin: bool = False


@dataclass(slots=True)
class Reply:
    text: str
    # Errors, help and settings are shown only to the person who asked.
    ephemeral: bool = True
    cards: list[StoryCard] = field(default_factory=list)
    full: bool = False
    digest: Digest | None = None
    lines: list[str] = field(default_factory=list)
    # The bot's own line after the cards: other stories the words also name (slugs only).
    see_also: str = ""


DigestPoster = Callable[[ChannelRow], Awaitable[int]]
# Called with the channel's row before and after a settings change made in chat.
ChannelChange = Callable[[ChannelRow, ChannelRow], Awaitable[None]]


class UsageError(ValueError):
    """Bad input: the reply is the message plus the command's usage."""

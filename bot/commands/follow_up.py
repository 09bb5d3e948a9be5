"""The running service's follow-up to a /watchlist change (`Commands.on_channel_change`: the
digest job replaced, a catch-up queued), and what the reply adds when another process's write
lock put the catch-up off (`bot.runner.changes`): the setting is saved, and what it lets through
is queued once the database is free."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.channels import ChannelRow
from bot.store.loop_waits import FollowUpLater

if TYPE_CHECKING:
    from bot.commands.core import Commands


async def take_effect(commands: Commands, before: ChannelRow, after: ChannelRow, held: str) -> str:
    """The reply's line after "Saved." when the follow-up waits for the database, else "".
    `held`: what the catch-up queues, as the line names it."""
    if commands.on_channel_change is None:
        return ""
    try:
        await commands.on_channel_change(before, after)
    except FollowUpLater:
        return (
            "The database is busy just now (another newsdigest command is writing to it): "
            f"{held} will be queued as soon as it is free.\n"
        )
    return ""

"""/watchlist pause and resume: a channel's posts stopped until it is resumed, and what the
pause held then sent and caught up (`resume_channel`, used by `newsdigest channels resume`
too)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from bot.commands.base import CommandContext, Reply
from bot.commands.follow_up import take_effect
from bot.commands.held_posts import release_quiet_holds
from bot.commands.hints import admin_kinds
from bot.commands.overview import channel_overview, shown_reason
from bot.store import channels as channel_store
from bot.store.channels import PAUSED_IN_CHAT, ChannelRow
from bot.store.sync import REMOVED_FROM_CONFIG

if TYPE_CHECKING:
    from bot.commands.core import Commands


async def pause(commands: Commands, channel: ChannelRow) -> Reply:
    """/watchlist pause: nothing is posted to the channel until /watchlist resume. What it holds
    stays queued (as any pause holds it) and goes out on resume."""
    if not channel.id:
        # No row, no posts: a pause would sign the channel up only to hold nothing.
        return Reply("This channel gets no posts from me, so there is nothing to pause.")
    if channel.paused_reason:
        # Kept: a fault's reason is what says how to fix it, and a config removal's is the
        # operator's.
        return Reply(
            f"Posting to this channel is already paused: {shown_reason(channel.paused_reason)}."
        )
    before = channel
    channel = channel_store.update_channel(
        commands.core.db, before.id, paused_reason=PAUSED_IN_CHAT
    )
    # A pause needs no catch-up: nothing is ever put off.
    await take_effect(commands, before, channel, "")
    return channel_overview(
        commands.core.db, channel, commands.core.config.digest_size, prefix="Saved. "
    )


async def resume(commands: Commands, channel: ChannelRow, ctx: CommandContext) -> Reply:
    if not channel.paused_reason:
        # Nothing to undo: a "Saved." here would suggest something was paused and changed.
        return Reply("Posting to this channel is not paused, so there is nothing to resume.")
    if channel.paused_reason == REMOVED_FROM_CONFIG and not ctx.is_admin:
        # The bot's operator took the channel out of the config file: keeping it after all is
        # the operator's call (an admin's, as adding or removing a feed is), not any member's.
        if ctx.admin_unknown:
            return Reply(
                "I could not check whether you are an admin just now: "
                f"{ctx.platform.capitalize()} did not answer. Posting was not resumed; please "
                "try again in a minute."
            )
        return Reply(
            "Posting to this channel is paused because the bot's operator took it out of the "
            f"config file. Only admins can resume it ({admin_kinds(ctx.platform)})."
        )
    before = channel  # a paused channel has a row: only the outbox and the sync pause one
    channel, released = resume_channel(commands.core.db, before, now=commands.clock())
    if released and commands.kick_outbox is not None:
        commands.kick_outbox()
    said = await take_effect(commands, before, channel, "what the pause held back")
    return channel_overview(
        commands.core.db, channel, commands.core.config.digest_size, prefix=f"Saved. {said}"
    )


def resume_channel(
    db: sqlite_utils.Database, channel: ChannelRow, *, now: datetime
) -> tuple[ChannelRow, int]:
    """Lift the channel's pause: /watchlist resume, and `newsdigest channels resume` from another
    process. The posts the pause held stay queued and go out; posts held for its quiet hours are
    due now (`release_quiet_holds`). What the pause kept from being queued (an instant channel's
    stories, thread updates) the running service queues (`bot.runner.changes.RESUMED_CATCH_UP`):
    at once for /watchlist, at its next job sync (a minute) for a change made elsewhere, or at
    its next start. Returns the row and how many quiet-hours posts were released."""
    after = channel_store.update_channel(db, channel.id, paused_reason=None)
    return after, release_quiet_holds(db, channel, now=now)

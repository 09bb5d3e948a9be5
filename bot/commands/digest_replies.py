"""What `/digest` says when it queues nothing: a digest is already held for the channel's quiet
hours (`held`), or nothing is new (`nothing_new`), said so that stories still waiting to go out
are not hidden behind "nothing new". Kept apart from `bot.commands.core`, which runs the
command."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.pipeline.digest import queued_story_count
from bot.runner.schedule import quiet_period
from bot.store import channels as channel_store
from bot.store import quiet_holds
from bot.store.channels import ChannelRow
from bot.textutil import plural


def held(db: sqlite_utils.Database, channel: ChannelRow, now: datetime) -> str | None:
    """What /digest says in the channel's quiet hours while a digest queued in them is held for
    their end (`bot.runner.digests.held_stories`, which queues no second one): a second digest,
    sent with the first under one heading, gave the channel twice its digest size; one of a list
    alone, a second list. None when none is held."""
    period = quiet_period(now, channel.quiet_hours, channel.timezone)
    if period is None or not channel.id:
        return None
    waiting, notices = quiet_holds.held_digest(db, channel.id, since=period[0])
    if not waiting and not notices:
        return None
    local = period[1].astimezone(ZoneInfo(channel.timezone))
    at = f"at {local:%H:%M} {channel.timezone} when its quiet hours ({channel.quiet_hours}) end"
    if not waiting:
        return (
            f"A list of the stories still waiting for a line is already queued for this channel "
            f"and will be posted {at}. Anything newer goes in the digest after it."
        )
    verb = "is" if waiting == 1 else "are"
    return (
        f"{plural(waiting, 'story', 'stories')} {verb} already queued for this channel and "
        f"will be posted {at}. Anything newer goes in the digest after them."
    )


def nothing_new(db: sqlite_utils.Database, channel: ChannelRow, when: str, *, first: bool) -> str:
    """/digest found nothing new: say so, unless an earlier one's stories still wait to go
    out (held for quiet hours, or still being posted), which "nothing new" would hide.
    `first`: the channel was never sent a story, so there is no "last digest" to speak of."""
    since = "" if first else " since the last digest"
    waiting = queued_story_count(db, channel.id)
    if not waiting:
        if first:
            sources = plural(channel.min_sources, "independent source")
            topics_part = (
                " matches its topics and"
                if channel.id and channel_store.channel_topics(db, channel.id)
                else ""
            )
            # The command as this platform takes it: Discord's /watchlist needs `show`.
            show = "/watchlist show" if channel.platform == "discord" else "/watchlist"
            return (
                f"Nothing to post to this channel yet: no recent story{topics_part} has at "
                f"least {sources}. {show} shows its settings."
            )
        # Not "since its last digest": what it was sent may all have been instant posts
        # (the channel switched to digest mode since), and the rows do not tell them apart.
        return "Nothing new for this channel since the stories it was last sent."
    stories = plural(waiting, "story", "stories")
    verb = "is" if waiting == 1 else "are"
    if when:
        return (
            f"Nothing new{since}: {stories} {verb} already queued for this "
            f"channel and will be posted at {when} when its quiet hours "
            f"({channel.quiet_hours}) end."
        )
    return f"Nothing new{since}: {stories} {verb} already queued for this channel and being posted."

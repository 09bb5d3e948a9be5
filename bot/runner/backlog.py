"""What a digest's list says about the stories it cannot list: a channel that is behind, and the
stories that waited their longest without a line.

A story a digest only counts is listed first by the next one (`bot.store.counted_stories`), but
a list holds at most `MAX_LISTED` lines, and the backlog's message (`bot.runner.overflow`) what
fits one message: a channel matching more stories a day than its cards and those lines builds a
backlog that never drains, and a story that waits `MAX_LOOKBACK` is dropped. Counting them
("…and 40 more") hid both. So the last message of the list says it plainly:

- once the stories carried to the next digest are more than it can list (as many of their lines
  as fit its list's and its backlog's messages on the platform, each with room left for this
  line, which the next digest has whenever it is behind: `overflow.next_capacity`), or one
  of them was carried already (the lists are not catching up): how many stories the channel is
  behind, that /digest shows the next ones now, and the setting that would show them (more cards, up to
  `MAX_DIGEST_SIZE`; at that size, a higher min-sources, so fewer stories match);
- how many stories this digest drops after waiting `MAX_LOOKBACK` without a line, still matching
  the channel without a card (`dropped_stories`), and that /story finds any of them.

The bot never changes the channel's settings itself: its size and min-sources are the channel's.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.commands.base import story_usage
from bot.config_entries import MAX_DIGEST_SIZE, MAX_MIN_SOURCES
from bot.pipeline.digest import MAX_LOOKBACK, Selection, delivered_story_ids
from bot.store import channels as channel_store
from bot.store import counted_stories, topic_matches
from bot.store.channels import ChannelRow
from bot.textutil import plural

_DAYS = MAX_LOOKBACK.days


def behind_line(
    platform: str,
    *,
    behind: int,
    carried: int,
    cards: int,
    min_sources: int,
    next_lines: int,
) -> str | None:
    """The line saying the channel is `behind` stories (carried to its next digest), or None
    while its next digest may list them all: they are no more than its lines (`next_lines`, the
    list's and the backlog's message's, at most) and none was carried already, i.e. had waited
    through an earlier digest and found no line in this one's list nor its backlog's message
    (`carried`). `cards` and `min_sources`: the channel's digest size and minimum, for the hint."""
    if behind <= 0 or (behind <= next_lines and carried == 0):
        return None
    return (
        f"This channel is {plural(behind, 'story', 'stories')} behind: more match it than its "
        f"digests can list, and a story waits {_DAYS} days at most for a line. /digest shows "
        f"the next ones now; "
        f"{_setting_hint(platform, behind=behind, cards=cards, min_sources=min_sources)}."
    )


def _setting_hint(platform: str, *, behind: int, cards: int, min_sources: int) -> str:
    """The channel setting that would show more of what matches, typed as `platform` takes it:
    enough cards for this backlog (up to the most a digest has), else fewer stories matching."""
    discord = platform == "discord"
    if cards < MAX_DIGEST_SIZE:
        size = min(MAX_DIGEST_SIZE, cards + behind)
        command = f"/watchlist digest-size {'cards:' if discord else ''}{size}"
        return f"{command} gives each digest more cards (now {cards})"
    if min_sources < MAX_MIN_SOURCES:
        command = f"/watchlist min-sources {'count:' if discord else ''}{min_sources + 1}"
        return f"{command} (now {min_sources}) or narrower topics let fewer stories match"
    return "narrower topics let fewer stories match"


def dropped_line(dropped: int, platform: str) -> str | None:
    """The line counting the stories this digest drops after they waited their longest, naming
    /story as `platform` takes it."""
    if dropped <= 0:
        return None
    verb = "is" if dropped == 1 else "are"
    return (
        f"{plural(dropped, 'story', 'stories')} matching this channel waited {_DAYS} days "
        f"without a line and {verb} no longer carried: {story_usage(platform)} finds any story."
    )


def dropped_stories(
    db: sqlite_utils.Database, channel: ChannelRow, selection: Selection, *, now: datetime
) -> list[str]:
    """The stories this digest drops from the channel's backlog (`counted_stories.expiring`)
    that would otherwise be lost to it: not in this digest (its cards or its list), never posted
    to it, not muted there, and, for a channel with topics, still matched by one it follows
    (`topic_matches.kept`: kept when a digest counted it, under the query it still has)."""
    expiring = counted_stories.expiring(db, channel.id, expired_before=now - MAX_LOOKBACK)
    if not expiring:
        return []
    shown = {c.story.id for c in selection.chosen + selection.overflow}
    gone = delivered_story_ids(db, channel.id) | channel_store.muted_story_ids(db, channel.id)
    lost = [s for s in expiring if s not in shown and s not in gone]
    if lost and selection.topics:
        kept = topic_matches.kept(db, channel.id, lost)
        lost = [s for s in lost if s in kept]
    return lost
